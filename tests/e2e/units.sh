#!/bin/sh
# The unit registry (`phaen unit`): the 9 groups of a provincial education office
# (DOMAIN.md), adding a unit (twice is an error), and an alias: after
# `unit alias กลุ่มอำนวยการ "กลุ่ม อำนาจการ"` (the misread spelling of projects 2, 13
# and 20) those projects match exactly, while 1 and 17 (other spellings) stay
# nearest-matched. An alias of an unknown unit is an error that changes nothing.
. tests/e2e/lib.sh

ph unit list
assert_eq "unit list before any plan exits 2 (no agency yet)" 2 "$RC"
assert_contains "unit list before any plan says what to do" "$ERR" "phaen: "

import_seed

ph unit list
assert_eq "unit list exit" 0 "$RC"
for u in "กลุ่มอำนวยการ" "กลุ่มนโยบายและแผน" "กลุ่มบริหารงานบุคคล" "กลุ่มพัฒนาการศึกษา" \
    "กลุ่มนิเทศ ติดตามและประเมินผล" "กลุ่มส่งเสริมการศึกษาเอกชน" \
    "กลุ่มลูกเสือ ยุวกาชาด และกิจการนักเรียน" "กลุ่มกฎหมายและคดี" "หน่วยตรวจสอบภายใน"; do
    assert_eq "unit list has '$u' on a line of its own" 1 \
        "$(printf '%s\n' "$OUT" | grep -c -x -F "$u")"
done
assert_eq "unit list has exactly the 9 units" 9 "$(nlines "$OUT")"

ph unit add "กลุ่มทดสอบ"
assert_eq "unit add exit" 0 "$RC"
ph unit list
assert_eq "unit list now has กลุ่มทดสอบ" 1 "$(printf '%s\n' "$OUT" | grep -c -x -F "กลุ่มทดสอบ")"
assert_eq "unit list now has 10 units" 10 "$(nlines "$OUT")"

before=$(db_state)
ph unit add "กลุ่มทดสอบ"
assert_eq "adding the same unit again exits 2" 2 "$RC"
assert_eq "adding it again: one line on stderr" 1 "$(nlines "$ERR")"
assert_contains "adding it again: names the unit" "$ERR" "กลุ่มทดสอบ"
assert_eq "adding it again changes nothing" "$before" "$(db_state)"

ph unit add
assert_eq "unit add without a name exits 2" 2 "$RC"

matched() {
    ph check --json
    printf '%s' "$OUT" >"$TMP/check.json"
    json "$TMP/check.json" 'sorted(f["project"] for f in d if f["rule"]=="unit-matched")'
}
assert_eq "before the alias: unit-matched on 1, 2, 13, 17, 20" '[1,2,13,17,20]' "$(matched)"

ph unit alias "กลุ่มอำนวยการ" "กลุ่ม อำนาจการ"
assert_eq "unit alias exit" 0 "$RC"
ph unit list
assert_contains "unit list shows the alias" "$OUT" "กลุ่ม อำนาจการ"
assert_eq "after the alias: unit-matched only on 1 and 17" '[1,17]' "$(matched)"
assert_eq "after the alias: no unit-unknown" '[]' \
    "$(json "$TMP/check.json" '[f["project"] for f in d if f["rule"]=="unit-unknown"]')"
ph show 2 --json
printf '%s' "$OUT" >"$TMP/p2.json"
assert_eq "project 2 still belongs to กลุ่มอำนวยการ" '"กลุ่มอำนวยการ"' "$(json "$TMP/p2.json" 'd["unit"]')"
assert_eq "project 2 keeps its text as written" '"กลุ่ม อำนาจการ"' "$(json "$TMP/p2.json" 'd["unit_text"]')"

before=$(db_state)
ph unit alias "กลุ่มที่ไม่มีอยู่" "ชื่อเรียกอื่น"
assert_eq "alias to an unknown unit exits 2" 2 "$RC"
assert_eq "alias to an unknown unit: one line on stderr" 1 "$(nlines "$ERR")"
assert_contains "alias to an unknown unit: names it" "$ERR" "กลุ่มที่ไม่มีอยู่"
assert_eq "alias to an unknown unit changes nothing" "$before" "$(db_state)"

ph unit alias "กลุ่มอำนวยการ"
assert_eq "unit alias without the alias exits 2" 2 "$RC"

# A new import sees the alias: the seed imported again has projects 2, 13, 20 exact.
import_seed
assert_eq "re-import after the alias: unit-matched only on 1 and 17" '[1,17]' "$(matched)"

# ---- what the registry must refuse ------------------------------------------------
# Each case runs on a copy of the database as it is now (กลุ่มทดสอบ added, the alias
# กลุ่ม อำนาจการ of กลุ่มอำนวยการ), so that one accepted mistake cannot hide the next.
cp "$DB" "$TMP/registry.db"
refused() { # DESC ARGS... — `phaen unit ARGS` on a fresh copy must exit 2 and change nothing
    _d=$1
    shift
    cp "$TMP/registry.db" "$TMP/copy.db"
    DB=$TMP/copy.db
    _before=$(db_state)
    ph unit "$@"
    if assert_eq "$_d: exit 2" 2 "$RC"; then
        assert_eq "$_d: database unchanged" "$_before" "$(db_state)"
    fi
    DB=$TMP/x.db
}
# Empty names, or a name with spaces around it (which would be a second, invisible
# กลุ่มทดสอบ: `unit list` does not show it).
refused "unit add ''" add ""
refused "unit add '   '" add "   "
refused "unit add ' กลุ่มทดสอบ '" add " กลุ่มทดสอบ "
refused "unit add 'กลุ่มอำนวยการ  '" add "กลุ่มอำนวยการ  "
# An alias must mean one unit only.
refused "unit alias with an empty alias" alias "กลุ่มอำนวยการ" ""
refused "unit alias: กลุ่ม อำนาจการ is already กลุ่มอำนวยการ's alias" alias "กลุ่มนโยบายและแผน" "กลุ่ม อำนาจการ"
refused "unit alias: another unit's name as an alias" alias "กลุ่มอำนวยการ" "กลุ่มนโยบายและแผน"
refused "unit add of a name that is an alias" add "กลุ่ม อำนาจการ"

finish
