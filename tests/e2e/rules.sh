#!/bin/sh
# The check rules through the CLI. `phaen rules` lists the documented rule ids; then
# small crafted text extractions (the seed's title and header lines, a band row and a
# few tab-separated project rows; see make_doc in lib.sh) make each rule fire on the
# project, field and line where the problem is: quarters that do not add up, a budget
# with "-" in every quarter, ไม่ใช้งบประมาณ with money, amounts 12,3x4, periods out of
# the year or unreadable, master plan 23 with target 120101, national strategy 9,
# numbers 1,1,3, unit ฝ่ายการเงิน, an unknown code in a complete reference list.
# `check` exits 1 when a finding is an error and 0 when there are only warnings.
. tests/e2e/lib.sh

# ---- rules ---------------------------------------------------------------------------
ph rules
assert_eq "rules exit" 0 "$RC"
ids=$(printf '%s\n' "$OUT" | awk '{ print $1 }')
for r in quarters-sum quarters-without-budget budget-without-quarters spend-outside-period \
    period-outside-year period-unreadable month-repaired row-missing-cell amount-unreadable \
    unit-matched unit-unknown align-masterplan-strategy align-target-masterplan \
    align-unknown-code align-missing strategic-issue-inferred number-duplicate number-gap; do
    assert_eq "rules lists $r" 1 "$(printf '%s\n' "$ids" | grep -c -x -F "$r")"
done
sev() { printf '%s\n' "$OUT" | awk -v r="$1" '$1 == r { print $2 }'; }
assert_eq "rules: quarters-sum is an error" error "$(sev quarters-sum)"
assert_eq "rules: spend-outside-period is an error" error "$(sev spend-outside-period)"
assert_eq "rules: unit-matched is a warning" warning "$(sev unit-matched)"
assert_eq "rules: strategic-issue-inferred is info" info "$(sev strategic-issue-inferred)"
assert_eq "rules: every line has a severity" 0 \
    "$(printf '%s\n' "$OUT" | awk '$2 != "error" && $2 != "warning" && $2 != "info"' | wc -l | tr -d ' ')"

# ---- crafted documents ----------------------------------------------------------------
# The texts of a row, then its alignment codes when nothing is wrong with them.
T='|เพื่อทดสอบระบบ|ครู 10 คน|ร้อยละ 80'
UNIT='กลุ่มนโยบายและแผน'
ALIGN='3|12|120101|12|-|4|3'
YEAR='ต.ค. 67 - ก.ย. 68'

# crafted NAME ROW... — import the rows (must succeed), run check --json into
# $TMP/NAME.json; CHECK_RC is check's exit status. Project rows start on line 5.
crafted() {
    _n=$1
    shift
    make_doc "$TMP/$_n.txt" "$@"
    DB=$TMP/$_n.db
    ph import "$TMP/$_n.txt"
    assert_eq "$_n: import exit" 0 "$RC"
    ph check --json
    CHECK_RC=$RC
    printf '%s' "$OUT" >"$TMP/$_n.json"
}
# found NAME RULE — [project, field, line, severity] of each finding of RULE.
found() {
    json "$TMP/$1.json" "[[f['project'],f['field'],f['line'],f['severity']] for f in d if f['rule']=='$2']"
}
# message NAME RULE — the English messages of RULE's findings.
message() {
    json "$TMP/$1.json" "[f['message_en'] for f in d if f['rule']=='$2']"
}
# rules_of NAME — the rule ids of the errors and warnings, sorted.
rules_of() {
    json "$TMP/$1.json" "sorted(set(f['rule'] for f in d if f['severity'] != 'info'))"
}

crafted clean "1|โครงการปกติ$T|6,000|1,000|2,000|3,000|-|$YEAR|$UNIT|$ALIGN" \
    "2|โครงการไม่ใช้งบ$T|ไม่ใช้งบประมาณ|-|-|-|-|ม.ค. - มี.ค. 68|กลุ่มอำนวยการ|$ALIGN"
assert_eq "clean: check exits 0" 0 "$CHECK_RC"
assert_eq "clean: no errors or warnings" '[]' "$(rules_of clean)"
DB=$TMP/clean.db
ph summary --json
printf '%s' "$OUT" >"$TMP/clean-summary.json"
assert_eq "clean: total 6,000 baht" 600000 "$(json "$TMP/clean-summary.json" 'd["budget_satang"]')"
assert_eq "clean: quarters" '[100000,200000,300000,0]' "$(json "$TMP/clean-summary.json" 'd["quarters_satang"]')"

crafted sum "1|โครงการผลรวมผิด$T|10,000|1,000|2,000|3,000|-|$YEAR|$UNIT|$ALIGN"
assert_eq "quarters-sum: check exits 1" 1 "$CHECK_RC"
assert_eq "quarters-sum: on project 1, line 5" '[[1,"quarters",5,"error"]]' "$(found sum quarters-sum)"
assert_contains "quarters-sum: message names the budget" "$(message sum quarters-sum)" "10,000"
assert_contains "quarters-sum: message names the sum" "$(message sum quarters-sum)" "6,000"

crafted bwq "1|โครงการไม่มีแผนใช้จ่าย$T|10,000|-|-|-|-|$YEAR|$UNIT|$ALIGN"
assert_eq "budget-without-quarters: check exits 1" 1 "$CHECK_RC"
assert_eq "budget-without-quarters: on project 1" '[[1,"quarters",5,"error"]]' \
    "$(found bwq budget-without-quarters)"
assert_eq "budget-without-quarters: not also quarters-sum" '[]' "$(found bwq quarters-sum)"

crafted qwb "1|โครงการไม่ใช้งบแต่มีเงิน$T|ไม่ใช้งบประมาณ|-|5,000|-|-|$YEAR|$UNIT|$ALIGN"
assert_eq "quarters-without-budget: check exits 1" 1 "$CHECK_RC"
assert_eq "quarters-without-budget: on project 1" '[[1,"quarters",5,"error"]]' \
    "$(found qwb quarters-without-budget)"
DB=$TMP/qwb.db
ph show 1 --json
printf '%s' "$OUT" >"$TMP/qwb-p1.json"
assert_eq "quarters-without-budget: budget is null" null "$(json "$TMP/qwb-p1.json" 'd["budget_satang"]')"
assert_eq "quarters-without-budget: the money is kept" '[0,500000,0,0]' \
    "$(json "$TMP/qwb-p1.json" 'd["quarters_satang"]')"

crafted amount "1|โครงการเงินอ่านไม่ได้$T|12,3x4|-|5,000|-|-|$YEAR|$UNIT|$ALIGN" \
    "2|โครงการไตรมาสอ่านไม่ได้$T|5,000|5,x00|-|-|-|$YEAR|$UNIT|$ALIGN"
assert_eq "amount-unreadable: check exits 1" 1 "$CHECK_RC"
assert_eq "amount-unreadable: budget of 1 and q1 of 2" '[[1,"budget",5,"error"],[2,"q1",6,"error"]]' \
    "$(found amount amount-unreadable)"
assert_contains "amount-unreadable: quotes 12,3x4" "$(message amount amount-unreadable)" "12,3x4"

# Sep-Oct 2566 is before FY 2568 (Oct 2567 - Sep 2568); no money, so only a warning.
crafted outside "1|โครงการปีก่อน$T|ไม่ใช้งบประมาณ|-|-|-|-|ก.ย. 66 - ต.ค. 66|$UNIT|$ALIGN"
assert_eq "period-outside-year: only a warning, check exits 0" 0 "$CHECK_RC"
assert_eq "period-outside-year: on project 1" '[[1,"period",5,"warning"]]' \
    "$(found outside period-outside-year)"
DB=$TMP/outside.db
ph show 1 --json
printf '%s' "$OUT" >"$TMP/outside-p1.json"
assert_eq "period-outside-year: the period is still read" '["2023-09-01","2023-10-31"]' \
    "$(json "$TMP/outside-p1.json" '[d["period"]["start"], d["period"]["end"]]')"
crafted outside2 "1|โครงการปีก่อนมีเงิน$T|5,000|5,000|-|-|-|ก.ย. 66 - ต.ค. 66|$UNIT|$ALIGN"
assert_eq "period-outside-year with money in q1: spend-outside-period too" '[[1,"q1",5,"error"]]' \
    "$(found outside2 spend-outside-period)"

crafted unreadable "1|โครงการเร็วๆ นี้$T|5,000|5,000|-|-|-|เร็วๆ นี้|$UNIT|$ALIGN" \
    "2|โครงการขยะ$T|5,000|5,000|-|-|-|@@ 99 ~ ##|$UNIT|$ALIGN"
assert_eq "period-unreadable: check exits 1" 1 "$CHECK_RC"
assert_eq "period-unreadable: projects 1 and 2" '[[1,"period",5,"error"],[2,"period",6,"error"]]' \
    "$(found unreadable period-unreadable)"
assert_eq "period-unreadable: no spend-outside-period guessed" '[]' \
    "$(found unreadable spend-outside-period)"

crafted target "1|โครงการแผนแม่บท 23$T|5,000|5,000|-|-|-|$YEAR|$UNIT|3|23|120101|12|-|4|3"
assert_eq "align-target-masterplan: check exits 1" 1 "$CHECK_RC"
assert_eq "align-target-masterplan: on the sub-plan target" '[[1,"alignment.subplan_target",5,"error"]]' \
    "$(found target align-target-masterplan)"

crafted ns9 "1|โครงการยุทธศาสตร์ชาติ 9$T|5,000|5,000|-|-|-|$YEAR|$UNIT|9|12|120101|12|-|4|3"
assert_eq "national strategy 9: check exits 1" 1 "$CHECK_RC"
assert_eq "national strategy 9: align-bad-form or align-unknown-code on it" \
    '[[1,"alignment.national_strategy",5,"error"]]' \
    "$(json "$TMP/ns9.json" "[[f['project'],f['field'],f['line'],f['severity']] for f in d if f['rule'] in ('align-bad-form','align-unknown-code')]")"

crafted ns6 "1|โครงการยุทธศาสตร์ชาติ 6$T|5,000|5,000|-|-|-|$YEAR|$UNIT|6|12|120101|12|-|4|3"
assert_eq "master plan 12 under national strategy 6: a warning only" 0 "$CHECK_RC"
assert_eq "align-masterplan-strategy on project 1" '[[1,"alignment.national_strategy",5,"warning"]]' \
    "$(found ns6 align-masterplan-strategy)"

crafted missing "1|โครงการไม่ระบุความสอดคล้อง$T|5,000|5,000|-|-|-|$YEAR|$UNIT|-|-|-|-|-|-|-"
assert_eq "align-missing: a warning per empty code column" \
    '["alignment.master_plan","alignment.moe_strategy","alignment.national_strategy","alignment.plan13_milestone","alignment.subplan_target"]' \
    "$(json "$TMP/missing.json" "sorted(f['field'] for f in d if f['rule']=='align-missing')")"

crafted numbers "1|โครงการหนึ่ง$T|5,000|5,000|-|-|-|$YEAR|$UNIT|$ALIGN" \
    "1|โครงการหนึ่งซ้ำ$T|5,000|5,000|-|-|-|$YEAR|$UNIT|$ALIGN" \
    "3|โครงการสาม$T|5,000|5,000|-|-|-|$YEAR|$UNIT|$ALIGN"
assert_eq "numbers 1,1,3: check exits 1" 1 "$CHECK_RC"
assert_eq "number-duplicate: the second 1 (line 6)" '[6]' \
    "$(json "$TMP/numbers.json" "[f['line'] for f in d if f['rule']=='number-duplicate']")"
assert_eq "number-gap: 2 is skipped, found at 3 (line 7)" '[[3,"no",7,"warning"]]' \
    "$(found numbers number-gap)"
DB=$TMP/numbers.db
ph summary --json
printf '%s' "$OUT" >"$TMP/numbers-summary.json"
assert_eq "numbers 1,1,3: all three projects kept" 3 "$(json "$TMP/numbers-summary.json" 'd["projects"]')"

crafted unit "1|โครงการฝ่ายการเงิน$T|5,000|5,000|-|-|-|$YEAR|ฝ่ายการเงิน|$ALIGN"
assert_eq "unit-unknown: check exits 1" 1 "$CHECK_RC"
assert_eq "unit-unknown: on project 1" '[[1,"unit",5,"error"]]' "$(found unit unit-unknown)"
assert_contains "unit-unknown: quotes the unit" "$(message unit unit-unknown)" "ฝ่ายการเงิน"
# After `unit add ฝ่ายการเงิน` the same project matches exactly.
ph unit add "ฝ่ายการเงิน"
assert_eq "unit add ฝ่ายการเงิน" 0 "$RC"
ph check --json
printf '%s' "$OUT" >"$TMP/unit2.json"
assert_eq "after unit add: no unit-unknown" '[]' "$(found unit2 unit-unknown)"
assert_eq "after unit add: check exits 0" 0 "$RC"

crafted months "1|โครงการเดือนเพี้ยน$T|5,000|5,000|-|-|-|ต.ศ. 67 - ก.ย. 68|$UNIT|$ALIGN"
assert_eq "month-repaired: ต.ศ. read as ต.ค." '[[1,"period",5,"warning"]]' "$(found months month-repaired)"
DB=$TMP/months.db
ph show 1 --json
printf '%s' "$OUT" >"$TMP/months-p1.json"
assert_eq "month-repaired: period from 1 Oct 2024" '"2024-10-01"' "$(json "$TMP/months-p1.json" 'd["period"]["start"]')"

crafted noname "1||เพื่อทดสอบ|ครู|ร้อยละ|5,000|5,000|-|-|-|$YEAR|$UNIT|$ALIGN"
assert_eq "name-missing: check exits 1" 1 "$CHECK_RC"
assert_eq "name-missing: on project 1" '[[1,"name",5,"error"]]' "$(found noname name-missing)"

# align-unknown-code: only once a list is loaded as complete.
crafted subplan "1|โครงการเป้าหมายย่อย$T|5,000|5,000|-|-|-|$YEAR|$UNIT|3|12|129999|12|-|4|3"
assert_eq "sub-plan target 129999 with no complete list: no error" 0 "$CHECK_RC"
printf 'code,title_th\n120101,ผู้เรียนได้รับการพัฒนา\n' >"$TMP/subplan.csv"
ph ref load subplan_target "$TMP/subplan.csv" --complete
assert_eq "ref load --complete exit" 0 "$RC"
ph check --json
printf '%s' "$OUT" >"$TMP/subplan2.json"
assert_eq "after the complete list: check exits 1" 1 "$RC"
assert_eq "align-unknown-code on the sub-plan target" '[[1,"alignment.subplan_target",5,"error"]]' \
    "$(found subplan2 align-unknown-code)"

# Errors from several rules in one plan: every project gets its own findings.
crafted many "1|โครงการผลรวมผิด$T|10,000|1,000|-|-|-|$YEAR|$UNIT|$ALIGN" \
    "2|โครงการปกติ$T|3,000|-|3,000|-|-|ม.ค. - มี.ค. 68|$UNIT|$ALIGN" \
    "3|โครงการหน่วยไม่รู้จัก$T|2,000|-|-|2,000|-|เม.ย. - มิ.ย. 68|ฝ่ายพัสดุ|$ALIGN"
assert_eq "several problems: the rules and projects" '[["quarters-sum",1],["unit-unknown",3]]' \
    "$(json "$TMP/many.json" "sorted([f['rule'],f['project']] for f in d if f['severity']=='error')")"
DB=$TMP/many.db
ph check
assert_contains "check text tallies two errors" "$OUT" "errors 2,"

finish
