#!/bin/sh
# Help: `phaen --help` and `phaen help` exit 0 and list the commands; for every
# command listed, `phaen CMD --help` and `phaen help CMD` exit 0 and print "usage:"
# without touching the database; an unknown command exits 2 with one "phaen: " line.
. tests/e2e/lib.sh

ph --help
assert_eq "phaen --help exit" 0 "$RC"
assert_contains "phaen --help prints usage" "$OUT" "usage:"
top=$OUT
ph help
assert_eq "phaen help exit" 0 "$RC"
assert_eq "phaen help = phaen --help" "$top" "$OUT"

# The commands are the first words of the indented lines after "commands:".
cmds=$(printf '%s\n' "$top" | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\).*/\1/p')
cmdlist=" $(printf '%s\n' "$cmds" | tr '\n' ' ')"
for c in import check show summary export unit ref versions rules demo help; do
    assert_contains "--help lists '$c'" "$cmdlist" " $c "
done

for c in $cmds; do
    ph "$c" --help
    assert_eq "phaen $c --help exit" 0 "$RC"
    assert_contains "phaen $c --help prints usage:" "$OUT" "usage:"
    assert_contains "phaen $c --help names the command" "$OUT" "phaen [--db FILE] $c"
    ph help "$c"
    assert_eq "phaen help $c exit" 0 "$RC"
    assert_contains "phaen help $c prints usage:" "$OUT" "usage:"
done
assert_eq "asking for help does not create the database" absent "$([ -e "$DB" ] && echo present || echo absent)"

ph frobnicate
assert_eq "unknown command exits 2" 2 "$RC"
assert_eq "unknown command: one line on stderr" 1 "$(nlines "$ERR")"
assert_contains "unknown command: starts with phaen:" "$ERR" "phaen: "
assert_contains "unknown command: names it" "$ERR" "frobnicate"
ph help frobnicate
assert_eq "help for an unknown command exits 2" 2 "$RC"
ph import --frobnicate x
assert_eq "unknown option exits 2" 2 "$RC"

finish
