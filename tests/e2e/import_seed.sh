#!/bin/sh
# Import the real seed document (data/samples/lampang-2568-rev1.txt) and check the
# values a person can read off the document: the total 546,200 baht and the quarter
# totals; project 12 (86,400 = - / 71,193 / 12,065 / 3,142, พ.ย. 67 - ก.ย. 68);
# project 17 (ไม่ใช้งบประมาณ); the alignment codes of projects 2, 3 and 18; and the
# checker's findings, whose only error is money in quarter 1 for project 8 whose
# period is ก.พ. - ก.ย. 68. The same file with CRLF line ends or a BOM reads the same.
. tests/e2e/lib.sh

import_seed
assert_contains "import reports the project count" "$OUT" "21 projects"
assert_contains "import reports the total" "$OUT" "546,200"
assert_contains "import reports the fiscal year" "$OUT" "fiscal year 2568"
assert_eq "import writes nothing to stderr" "" "$ERR"
# a new database takes its first import without a WAL, then goes over to WAL
# for everyone who opens it after (store_open)
assert_eq "the new database is in WAL mode after the import" wal \
    "$(sqlite3 "$DB" 'PRAGMA journal_mode')"
assert_eq "the new database is sound after the import" ok \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
# written from the build's image, with SQLite's usual pages (a plan this
# small; render_big.sh checks a large one), and nothing left beside it
assert_eq "a database made for the seed has 4 KiB pages" 4096 \
    "$(sqlite3 "$DB" 'PRAGMA page_size')"
assert_eq "no image file is left beside it" "" "$(ls "$DB".new-* 2>/dev/null)"

# A first import into a new database that fails after the database was made
# (a CSV that names no agency) leaves a database that takes the next import.
NEWDB=$TMP/first-fails.db
ph export --format csv --out "$TMP/seed.csv"
expect_exit "a CSV naming no agency into a new database" 2 \
    "$PHAEN" --db "$NEWDB" import "$TMP/seed.csv" --fy 2568
assert_contains "the refusal says how to fix it" "$ERR" "--agency"
expect_exit "the next import into that database" 0 \
    "$PHAEN" --db "$NEWDB" import "$SAMPLE"
assert_eq "that database holds the one version" 1 \
    "$(sqlite3 "$NEWDB" 'SELECT count(*) FROM plan_version')"
assert_eq "that database is sound" ok "$(sqlite3 "$NEWDB" 'PRAGMA integrity_check')"
assert_eq "that database is in WAL mode" wal "$(sqlite3 "$NEWDB" 'PRAGMA journal_mode')"

# ---- summary -----------------------------------------------------------------------
ph summary --json
assert_eq "summary --json exit" 0 "$RC"
printf '%s' "$OUT" >"$TMP/summary.json"
assert_eq "summary budget_satang" 54620000 "$(json "$TMP/summary.json" 'd["budget_satang"]')"
assert_eq "summary quarters_satang" "[7752500,27413300,16054500,3399700]" \
    "$(json "$TMP/summary.json" 'd["quarters_satang"]')"
assert_eq "summary quarters add up to the budget" 54620000 \
    "$(json "$TMP/summary.json" 'sum(d["quarters_satang"])')"
assert_eq "summary project count" 21 "$(json "$TMP/summary.json" 'd["projects"]')"
assert_eq "summary projects without budget (17 and 21)" 2 \
    "$(json "$TMP/summary.json" 'd["projects_without_budget"]')"
assert_eq "summary fiscal year" 2568 "$(json "$TMP/summary.json" 'd["fiscal_year"]')"
assert_eq "issue 1 = projects 1-3: 6,330 + 9,000 + 20,000 baht" '[3,3533000]' \
    "$(json "$TMP/summary.json" '[[i["projects"], i["budget_satang"]] for i in d["by_issue"] if i["key"]=="1"][0]')"
assert_eq "the issues' budgets add up to the total" 54620000 \
    "$(json "$TMP/summary.json" 'sum(i["budget_satang"] for i in d["by_issue"])')"
assert_eq "the units' budgets add up to the total" 54620000 \
    "$(json "$TMP/summary.json" 'sum(u["budget_satang"] for u in d["by_unit"])')"
assert_eq "the units' projects add up to 21" 21 \
    "$(json "$TMP/summary.json" 'sum(u["projects"] for u in d["by_unit"])')"
assert_eq "cumulative after quarter 4 is the total" 54620000 \
    "$(json "$TMP/summary.json" 'd["cumulative_satang"][3]')"

ph summary
assert_eq "summary exit" 0 "$RC"
assert_contains "summary text total" "$OUT" "546,200"
assert_contains "summary text total in words" "$OUT" "ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน"

# ---- show --------------------------------------------------------------------------
ph show 12 --json
assert_eq "show 12 exit" 0 "$RC"
printf '%s' "$OUT" >"$TMP/p12.json"
assert_eq "project 12 no" 12 "$(json "$TMP/p12.json" 'd["no"]')"
assert_eq "project 12 budget (86,400 baht)" 8640000 "$(json "$TMP/p12.json" 'd["budget_satang"]')"
assert_eq "project 12 quarters (-, 71,193, 12,065, 3,142)" "[0,7119300,1206500,314200]" \
    "$(json "$TMP/p12.json" 'd["quarters_satang"]')"
assert_eq "project 12 period start" '"2024-11-01"' "$(json "$TMP/p12.json" 'd["period"]["start"]')"
assert_eq "project 12 period end" '"2025-09-30"' "$(json "$TMP/p12.json" 'd["period"]["end"]')"
assert_eq "project 12 period text" '"พ.ย. 67 - ก.ย. 68"' "$(json "$TMP/p12.json" 'd["period"]["text"]')"
assert_eq "project 12 unit" '"กลุ่มนิเทศ ติดตามและประเมินผล"' "$(json "$TMP/p12.json" 'd["unit"]')"
assert_eq "project 12 strategic issue" 3 "$(json "$TMP/p12.json" 'd["strategic_issue"]')"

ph show 17 --json
assert_eq "show 17 exit" 0 "$RC"
printf '%s' "$OUT" >"$TMP/p17.json"
assert_eq "project 17 (ไม่ใช้งบประมาณ) budget" null "$(json "$TMP/p17.json" 'd["budget_satang"]')"
assert_eq "project 17 quarters" "[0,0,0,0]" "$(json "$TMP/p17.json" 'd["quarters_satang"]')"
assert_eq "project 17 period (ต.ค. 67 - ก.ย. 68)" '["2024-10-01","2025-09-30"]' \
    "$(json "$TMP/p17.json" '[d["period"]["start"], d["period"]["end"]]')"

ph show 11 --json
printf '%s' "$OUT" >"$TMP/p11.json"
assert_eq "project 11 period 1 - 31 ม.ค. 68" '["2025-01-01","2025-01-31"]' \
    "$(json "$TMP/p11.json" '[d["period"]["start"], d["period"]["end"]]')"

ph show 99
assert_eq "show of a project that does not exist exits 2" 2 "$RC"
assert_contains "show 99 names the project" "$ERR" "99"

ph show 0
assert_eq "show 0 (no such project) exits 2" 2 "$RC"

ph show
assert_eq "show (all) exit" 0 "$RC"
assert_contains "show lists project 21" "$OUT" "21. "

# ---- export json -------------------------------------------------------------------
ph export --format json
assert_eq "export json exit" 0 "$RC"
printf '%s' "$OUT" >"$TMP/plan.json"
assert_eq "export fiscal_year" 2568 "$(json "$TMP/plan.json" 'd["fiscal_year"]')"
assert_eq "export agency" "\"$AGENCY\"" "$(json "$TMP/plan.json" 'd["agency"]')"
assert_eq "export revision" 1 "$(json "$TMP/plan.json" 'd["revision"]')"
assert_eq "export project count" 21 "$(json "$TMP/plan.json" 'len(d["projects"])')"
assert_eq "export project numbers 1..21 in order" "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]" \
    "$(json "$TMP/plan.json" '[p["no"] for p in d["projects"]]')"
assert_eq "export budgets add up to 546,200 baht" 54620000 \
    "$(json "$TMP/plan.json" 'sum(p["budget_satang"] or 0 for p in d["projects"])')"
assert_eq "project 2 master plan written 01" '["01"]' \
    "$(json "$TMP/plan.json" 'd["projects"][1]["alignment"]["master_plan"]')"
assert_eq "project 3 master plan written 1 reads as 01" '["01"]' \
    "$(json "$TMP/plan.json" 'd["projects"][2]["alignment"]["master_plan"]')"
assert_eq "project 18 security policy '1,6,7,8,9, 10'" '["1","6","7","8","9","10"]' \
    "$(json "$TMP/plan.json" 'd["projects"][17]["alignment"]["security_policy"]')"
assert_eq "project 18 budget 100,000" 10000000 \
    "$(json "$TMP/plan.json" 'd["projects"][17]["budget_satang"]')"
assert_eq "export summary budget" 54620000 "$(json "$TMP/plan.json" 'd["summary"]["budget_satang"]')"
assert_eq "export findings: spend-outside-period on project 8 only" '[8]' \
    "$(json "$TMP/plan.json" '[f["project"] for f in d["findings"] if f["rule"]=="spend-outside-period"]')"

assert_eq "export's summary = summary --json" \
    "$(json "$TMP/summary.json" '{k: v for k, v in d.items() if k != "fiscal_year"}')" \
    "$(json "$TMP/plan.json" 'd["summary"]')"

# ---- check -------------------------------------------------------------------------
ph check
assert_eq "check exits 1 (one error in the seed)" 1 "$RC"
assert_contains "check text names the rule" "$OUT" "spend-outside-period"
assert_contains "check text tally" "$OUT" "errors 1,"

ph check --json
assert_eq "check --json exits 1" 1 "$RC"
printf '%s' "$OUT" >"$TMP/check.json"
assert_eq "check --json is an array" '"list"' "$(json "$TMP/check.json" 'type(d).__name__')"
assert_eq "export's findings = check --json" "$(json "$TMP/check.json" 'd')" \
    "$(json "$TMP/plan.json" 'd["findings"]')"
assert_eq "every finding has the seven keys" true "$(json "$TMP/check.json" \
    'all(set(f) >= {"rule","severity","project","field","line","message_th","message_en"} for f in d)')"
assert_eq "severities are error, warning or info" true \
    "$(json "$TMP/check.json" 'all(f["severity"] in ("error","warning","info") for f in d)')"
assert_eq "the only error" '[["spend-outside-period",8,"q1",104]]' \
    "$(json "$TMP/check.json" '[[f["rule"],f["project"],f["field"],f["line"]] for f in d if f["severity"]=="error"]')"
assert_contains "the error names the amount" \
    "$(json "$TMP/check.json" '[f["message_en"] for f in d if f["severity"]=="error"]')" "10,100"
assert_eq "damaged months repaired (ต.ย. ร.ค. ต.ศ.) on projects 2,4,6,16,18" '[2,4,6,16,18]' \
    "$(json "$TMP/check.json" 'sorted(f["project"] for f in d if f["rule"]=="month-repaired")')"
assert_eq "units matched to the nearest on projects 1,2,13,17,20" '[1,2,13,17,20]' \
    "$(json "$TMP/check.json" 'sorted(f["project"] for f in d if f["rule"]=="unit-matched")')"
assert_eq "project 1 lost a quarter cell" '[1]' \
    "$(json "$TMP/check.json" 'sorted(f["project"] for f in d if f["rule"]=="row-missing-cell")')"
assert_eq "issues inferred for projects 17..21 (no band rows)" '[17,18,19,20,21]' \
    "$(json "$TMP/check.json" 'sorted(f["project"] for f in d if f["rule"]=="strategic-issue-inferred")')"
assert_eq "project 8's finding line is the row's line in the file" \
    "$(grep -n '^8	' "$SAMPLE" | cut -d: -f1)" \
    "$(json "$TMP/check.json" '[f["line"] for f in d if f["rule"]=="spend-outside-period"][0]')"

# ---- the same document saved with CRLF line ends, or with a UTF-8 BOM -------------------
projects_of() { json "$1" 'd["projects"]'; }
sed 's/$/\r/' "$SAMPLE" >"$TMP/crlf.txt"
{ printf '\357\273\277'; cat "$SAMPLE"; } >"$TMP/bom.txt"
for v in crlf bom; do
    DB=$TMP/$v.db
    ph import "$TMP/$v.txt"
    assert_eq "seed with $v: exit 0" 0 "$RC"
    ph export --format json --out "$TMP/$v.json"
    assert_eq "seed with $v: the same projects" "$(projects_of "$TMP/plan.json")" "$(projects_of "$TMP/$v.json")"
    assert_eq "seed with $v: the same findings" "$(json "$TMP/plan.json" 'd["findings"]')" \
        "$(json "$TMP/$v.json" 'd["findings"]')"
done
DB=$TMP/x.db

ph versions
assert_eq "versions exit" 0 "$RC"
assert_eq "one version after one import" 1 "$(nlines "$OUT")"
assert_contains "versions names the source" "$OUT" "lampang-2568-rev1.txt"

finish
