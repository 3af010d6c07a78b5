#!/bin/sh
# Versions and re-imports: importing the same seed again replaces the draft (still one
# version, same totals); --fy that agrees with the document (2568 or 68) is accepted,
# --fy that contradicts it (2567) must not file the plan under 2567; a second, different
# document of the same plan and revision (the seed cut after project 12) replaces the
# draft; revision 2 of the plan becomes version 2 and the older version stays readable
# with --version; a failed import never adds a version.
. tests/e2e/lib.sh

import_seed
ph versions
v1=$OUT
assert_eq "one version" 1 "$(nlines "$v1")"
assert_contains "version 1 is fiscal year 2568, 21 projects" "$v1" "2568"

import_seed
assert_contains "the second import says it replaced the draft" "$OUT" "replacing the draft"
ph versions
assert_eq "re-import: still one version" 1 "$(nlines "$OUT")"
assert_contains "re-import: still 21 projects" "$OUT" "21 "
ph summary --json
printf '%s' "$OUT" >"$TMP/s.json"
assert_eq "re-import: same total" 54620000 "$(json "$TMP/s.json" 'd["budget_satang"]')"
assert_eq "re-import: projects not doubled" 21 "$(json "$TMP/s.json" 'd["projects"]')"

ph import "$SAMPLE" --fy 2568
assert_eq "--fy 2568 (what the document says): exit 0" 0 "$RC"
ph import "$SAMPLE" --fy 68
assert_eq "--fy 68 (two digits, = 2568): exit 0" 0 "$RC"
ph versions
assert_eq "--fy 2568 and 68: still one version" 1 "$(nlines "$OUT")"

# The document's title says พ.ศ. 2568; --fy 2567 contradicts it. Filing the plan as a
# 2567 plan would put every period (พ.ย. 67 - ก.ย. 68, ...) outside its year, silently.
# Sane: refuse (exit 2, nothing changed), or keep the document's 2568 and say so.
before=$(db_state)
ph import "$SAMPLE" --fy 2567
fy_err=$ERR fy_out=$OUT fy_rc=$RC
ph versions
case $fy_rc in
2)
    assert_contains "--fy 2567 refused: the message names the document's year" "$fy_err" "2568"
    assert_eq "--fy 2567 refused: database unchanged" "$before" "$(db_state)"
    ;;
0)
    assert_not_contains "--fy 2567 on a 2568 document: no plan filed under 2567" "$OUT" " 2567 "
    assert_contains "--fy 2567 accepted: the mismatch is reported" "$fy_out$fy_err" "2567"
    ;;
*)
    fail "--fy 2567 on a 2568 document: exit $fy_rc"
    ;;
esac

# The rest starts again from a database holding the seed alone.
DB=$TMP/y.db
import_seed

# A second, different file of the same plan and revision: the seed cut after project 12.
cut_at=$(grep -n '^13	' "$SAMPLE" | cut -d: -f1)
head -n $((cut_at - 1)) "$SAMPLE" >"$TMP/first-12.txt"
ph import "$TMP/first-12.txt"
assert_eq "a different file of the same plan: exit 0" 0 "$RC"
assert_contains "a different file of the same plan: replaces the draft" "$OUT" "replacing the draft"
ph versions
assert_eq "a different file of the same plan: still one version" 1 "$(nlines "$OUT")"
assert_contains "versions names the new source" "$OUT" "first-12.txt"
ph summary --json
printf '%s' "$OUT" >"$TMP/s12.json"
assert_eq "the draft now has projects 1..12" 12 "$(json "$TMP/s12.json" 'd["projects"]')"
assert_eq "the draft's total is that of projects 1..12" 26575000 "$(json "$TMP/s12.json" 'd["budget_satang"]')"

# Back to the whole seed, then revision 2 of the plan: a new version.
import_seed
{
    grep -m1 '^แผนการใช้จ่ายงบประมาณรายโครงการ' "$SAMPLE" | sed 's/ครั้งที่ 1)/ครั้งที่ 2)/'
    grep -m1 "^ที่	โครงการ	" "$SAMPLE"
    grep -m1 "^						ไตรมาส 1	" "$SAMPLE"
    printf '1\tโครงการฉบับปรับปรุงครั้งที่ 2\tเพื่อทดสอบ\tครู 10 คน\tร้อยละ 80\t5,000\t5,000\t-\t-\t-\tต.ค. 67 - ก.ย. 68\tกลุ่มนโยบายและแผน\t3\t12\t120101\t12\t-\t4\t3\n'
} >"$TMP/rev2.txt"
ph import "$TMP/rev2.txt"
assert_eq "revision 2: exit 0" 0 "$RC"
assert_contains "revision 2 is version 2" "$OUT" "version 2"
ph versions
assert_eq "revision 2: two versions" 2 "$(nlines "$OUT")"
assert_contains "versions lists ครั้งที่ 2" "$OUT" "ครั้งที่ 2"
ph summary --json
printf '%s' "$OUT" >"$TMP/latest.json"
assert_eq "summary shows the latest (revision 2, 5,000 baht)" 500000 "$(json "$TMP/latest.json" 'd["budget_satang"]')"
ph summary --json --version 1
printf '%s' "$OUT" >"$TMP/v1.json"
assert_eq "summary --version 1 is still the seed" 54620000 "$(json "$TMP/v1.json" 'd["budget_satang"]')"
ph check --version 1
assert_eq "check --version 1 exits 1 (the seed's error)" 1 "$RC"
ph check
assert_eq "check of revision 2 exits 0" 0 "$RC"
ph show 12 --json --version 1
printf '%s' "$OUT" >"$TMP/p12.json"
assert_eq "show 12 --version 1" 8640000 "$(json "$TMP/p12.json" 'd["budget_satang"]')"
ph export --format json --version 1
printf '%s' "$OUT" >"$TMP/e1.json"
assert_eq "export --version 1 has 21 projects" 21 "$(json "$TMP/e1.json" 'len(d["projects"])')"
ph summary --version 9
assert_eq "summary --version 9 (none) exits 2" 2 "$RC"
assert_contains "summary --version 9 names it" "$ERR" "9"

# A failed import after all that adds nothing.
before=$(db_state)
: >"$TMP/empty.txt"
ph import "$TMP/empty.txt"
assert_eq "failed import: exit 2" 2 "$RC"
assert_eq "failed import: versions and data unchanged" "$before" "$(db_state)"

finish
