#!/bin/sh
# `make run`-style demo: `phaen --db FILE demo` on an empty database imports the
# sample, prints the total 546,200 baht and its words ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน,
# the quarter totals and the findings, and exits 0; a second run shows the plan again
# without importing it a second time (still one version).
. tests/e2e/lib.sh

DB=$TMP/d.db
ph demo
assert_eq "demo exit" 0 "$RC"
assert_contains "demo imports the sample" "$OUT" "imported lampang-2568-rev1.txt"
assert_contains "demo prints the total" "$OUT" "546,200"
assert_contains "demo prints the total in words" "$OUT" "ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน"
assert_contains "demo prints quarter 2's total 274,133" "$OUT" "274,133"
assert_contains "demo prints the cumulative 64.38% after quarter 2" "$OUT" "64.38%"
assert_contains "demo prints the findings" "$OUT" "spend-outside-period"
assert_eq "demo writes nothing on stderr" "" "$ERR"
first=$OUT

ph versions
assert_eq "one version after the demo" 1 "$(nlines "$OUT")"

ph demo
assert_eq "second demo exit" 0 "$RC"
assert_not_contains "second demo does not import again" "$OUT" "imported lampang"
assert_contains "second demo prints the total" "$OUT" "546,200"
assert_contains "second demo prints the words" "$OUT" "ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน"
# Apart from the import lines, the two runs print the same.
assert_eq "second demo = first demo without its import lines" \
    "$(printf '%s\n' "$first" | sed '1,3d')" "$OUT"
ph versions
assert_eq "still one version after the second demo" 1 "$(nlines "$OUT")"

# demo FILE: another document, into another empty database.
make_doc "$TMP/small.txt" \
    "1|โครงการทดสอบ|เพื่อทดสอบ|ครู 10 คน|ร้อยละ 80|9,000|-|9,000|-|-|ม.ค. - มี.ค. 68|กลุ่มนโยบายและแผน|3|12|120101|12|-|4|3"
DB=$TMP/d2.db
ph demo "$TMP/small.txt"
assert_eq "demo FILE exit" 0 "$RC"
assert_contains "demo FILE prints its total" "$OUT" "9,000"
assert_contains "demo FILE prints its total in words" "$OUT" "เก้าพันบาทถ้วน"

DB=$TMP/d3.db
ph demo "$TMP/no-such-file.txt"
assert_eq "demo of a missing file exits 2" 2 "$RC"
assert_contains "demo of a missing file names it" "$ERR" "no-such-file.txt"

finish
