#!/bin/sh
# Export through the CLI and the CSV round trip (docs/csv-format.md): the CSV starts
# with the UTF-8 BOM, has the 25 documented columns and CRLF records; importing it
# into a fresh database (--fy 2568 --agency ...) and exporting again gives the same
# bytes, and the JSON export's projects (budgets, quarters, periods, units,
# alignment, texts) equal the original's. Also: --out vs stdout, bad --format.
. tests/e2e/lib.sh

import_seed

ph export --format csv --out "$TMP/a.csv"
assert_eq "export csv --out exit" 0 "$RC"
assert_eq "export csv --out prints nothing on stdout" "" "$OUT"
assert_eq "CSV starts with the UTF-8 BOM" "efbbbf" "$(head -c 3 "$TMP/a.csv" | od -An -tx1 | tr -d ' \n')"
header=$(head -n 1 "$TMP/a.csv" | tail -c +4 | tr -d '\r')
assert_eq "CSV header (25 columns, in order)" \
    "no,name,strategic_issue,objectives,outputs,outcomes,indicators_quantitative,indicators_qualitative,budget,q1,q2,q3,q4,period,period_start,period_end,unit,unit_text,national_strategy,master_plan,subplan_target,plan13_milestone,security_policy,government_policy,moe_strategy" \
    "$header"
assert_eq "CSV header ends in CRLF" "0d0a" "$(head -n 1 "$TMP/a.csv" | tail -c 2 | od -An -tx1 | tr -d ' \n')"
assert_eq "CSV ends in CRLF" "0d0a" "$(tail -c 2 "$TMP/a.csv" | od -An -tx1 | tr -d ' \n')"

# The CSV parsed by Python's csv module: 21 projects, amounts as the document writes them.
"$PYTHON" - "$TMP/a.csv" >"$TMP/a.csv.json" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(json.dumps(rows, ensure_ascii=False))
EOF
assert_eq "CSV has 21 records" 21 "$(json "$TMP/a.csv.json" 'len(d)')"
assert_eq "CSV project 12 amounts" '["86,400","-","71,193","12,065","3,142"]' \
    "$(json "$TMP/a.csv.json" '[d[11][k] for k in ("budget","q1","q2","q3","q4")]')"
assert_eq "CSV project 12 period dates" '["2024-11-01","2025-09-30"]' \
    "$(json "$TMP/a.csv.json" '[d[11]["period_start"], d[11]["period_end"]]')"
assert_eq "CSV project 17 budget words" '"ไม่ใช้งบประมาณ"' "$(json "$TMP/a.csv.json" 'd[16]["budget"]')"
assert_eq "CSV project 18 security policy" '"1,6,7,8,9,10"' \
    "$(json "$TMP/a.csv.json" 'd[17]["security_policy"]')"
assert_eq "CSV project 2 unit (registered) and unit_text (as written)" '["กลุ่มอำนวยการ","กลุ่ม อำนาจการ"]' \
    "$(json "$TMP/a.csv.json" '[d[1]["unit"], d[1]["unit_text"]]')"

ph export --format csv
assert_eq "export csv to stdout exit" 0 "$RC"
"$PHAEN" --db "$DB" export --format csv >"$TMP/a-stdout.csv"
assert_eq "export csv to stdout = --out" "$(sha256sum <"$TMP/a.csv")" "$(sha256sum <"$TMP/a-stdout.csv")"

ph export --format json --out "$TMP/a.json"
assert_eq "export json --out exit" 0 "$RC"
assert_eq "export json --out is the plan" 2568 "$(json "$TMP/a.json" 'd["fiscal_year"]')"

ph export --format xml
assert_eq "export --format xml exits 2" 2 "$RC"
assert_contains "export --format xml: message" "$ERR" "phaen: "
ph export
assert_eq "export without --format exits 2" 2 "$RC"

# ---- round trip into a fresh database -------------------------------------------------
DB=$TMP/fresh.db
ph import "$TMP/a.csv" --fy 2568 --agency "$AGENCY"
assert_eq "import of the exported CSV into a fresh db: exit 0" 0 "$RC"
assert_contains "import of the CSV reports 21 projects" "$OUT" "21 projects"
assert_contains "import of the CSV reports the total" "$OUT" "546,200"
if [ "$RC" != 0 ]; then
    fail "the round trip stops here: the CSV import failed: $ERR"
else
    ph export --format csv --out "$TMP/b.csv"
    assert_eq "re-export of the CSV: exit 0" 0 "$RC"
    if cmp -s "$TMP/a.csv" "$TMP/b.csv"; then
        assert_eq "CSV -> import -> CSV is byte-identical" same same
    else
        assert_eq "CSV -> import -> CSV is byte-identical" same \
            "differs: $(cmp "$TMP/a.csv" "$TMP/b.csv" 2>&1 | head -c 200)"
    fi
    ph export --format json --out "$TMP/b.json"
    assert_eq "JSON export after the round trip: exit 0" 0 "$RC"

    # The projects of the two JSON exports, field by field.
    for f in no name strategic_issue objectives outputs outcomes indicators_quantitative \
        indicators_qualitative budget_satang quarters_satang period unit unit_text alignment; do
        a=$(json "$TMP/a.json" "[p.get(\"$f\") for p in d[\"projects\"]]")
        b=$(json "$TMP/b.json" "[p.get(\"$f\") for p in d.get(\"projects\", [])]")
        assert_eq "round trip keeps projects' $f" "$a" "$b"
    done
    assert_eq "round trip keeps the fiscal year" 2568 "$(json "$TMP/b.json" 'd.get("fiscal_year")')"
    assert_eq "round trip keeps the agency" "\"$AGENCY\"" "$(json "$TMP/b.json" 'd.get("agency")')"
    assert_eq "round trip keeps the summary totals" \
        "$(json "$TMP/a.json" '[d["summary"]["budget_satang"], d["summary"]["quarters_satang"]]')" \
        "$(json "$TMP/b.json" '[d["summary"]["budget_satang"], d["summary"]["quarters_satang"]]')"
    assert_eq "round trip keeps the error on project 8" '[8]' \
        "$(json "$TMP/b.json" '[f["project"] for f in d["findings"] if f["rule"]=="spend-outside-period"]')"
fi

# ---- the CSV imported as a new version of the same plan --------------------------------
DB=$TMP/x.db
ph import "$TMP/a.csv" --fy 2568
assert_eq "import of the CSV into the seeded db: exit 0" 0 "$RC"
ph export --format csv --out "$TMP/c.csv"
assert_eq "CSV imported over the seed re-exports identically" \
    "$(sha256sum <"$TMP/a.csv")" "$(sha256sum <"$TMP/c.csv")"

# ---- a CSV written by hand (docs/csv-format.md) ----------------------------------------
# Only the required columns plus period and unit, LF line ends, no BOM, and the amount
# forms a spreadsheet makes: no separators, Thai digits, a trailing บาท, satang.
{
    printf 'no,name,budget,q1,q2,q3,q4,period,unit\n'
    printf '1,โครงการนิเทศ ติดตาม,9000,-,-,9000,-,เม.ย. - มิ.ย. 68,กลุ่มนิเทศ ติดตามและประเมินผล\n'
    printf '2,โครงการเลขไทย,"๖,๓๓๐","๒,๑๐๐","๔,๒๓๐",-,-,พ.ย. 67 - ก.พ. 68,กลุ่มนโยบายและแผน\n'
    printf '3,โครงการมีสตางค์,1234.5 บาท,1234.50,,,,ต.ค. - ธ.ค. 67,กลุ่มอำนวยการ\n'
    printf '4,โครงการไม่ใช้งบ,ไม่ใช้งบประมาณ,-,-,-,-,ตลอดปีงบประมาณ,กลุ่มบริหารงานบุคคล\n'
} >"$TMP/hand.csv"
DB=$TMP/hand.db
ph import "$TMP/hand.csv" --fy 2568 --agency "$AGENCY"
assert_eq "hand-written CSV: exit 0" 0 "$RC"
if [ "$RC" = 0 ]; then
    ph export --format json --out "$TMP/hand.json"
    assert_eq "hand-written CSV: budgets" '[900000,633000,123450,null]' \
        "$(json "$TMP/hand.json" '[p["budget_satang"] for p in d["projects"]]')"
    assert_eq "hand-written CSV: quarters" \
        '[[0,0,900000,0],[210000,423000,0,0],[123450,0,0,0],[0,0,0,0]]' \
        "$(json "$TMP/hand.json" '[p["quarters_satang"] for p in d["projects"]]')"
    assert_eq "hand-written CSV: periods read within FY 2568" \
        '[["2025-04-01","2025-06-30"],["2024-11-01","2025-02-28"],["2024-10-01","2024-12-31"],["2024-10-01","2025-09-30"]]' \
        "$(json "$TMP/hand.json" '[[p["period"]["start"], p["period"]["end"]] for p in d["projects"]]')"
    assert_eq "hand-written CSV: units" \
        '["กลุ่มนิเทศ ติดตามและประเมินผล","กลุ่มนโยบายและแผน","กลุ่มอำนวยการ","กลุ่มบริหารงานบุคคล"]' \
        "$(json "$TMP/hand.json" '[p["unit"] for p in d["projects"]]')"
    ph check
    assert_eq "hand-written CSV: check exits 0" 0 "$RC"
    ph export --format csv --out "$TMP/hand-out.csv"
    "$PYTHON" - "$TMP/hand-out.csv" >"$TMP/hand-out.json" <<'EOF2'
import csv, json, sys
print(json.dumps(list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline=""))), ensure_ascii=False))
EOF2
    assert_eq "hand-written CSV re-exported in the canonical forms" \
        '[["9,000","-","-","9,000","-"],["6,330","2,100","4,230","-","-"],["1,234.50","1,234.50","-","-","-"],["ไม่ใช้งบประมาณ","-","-","-","-"]]' \
        "$(json "$TMP/hand-out.json" '[[r[k] for k in ("budget","q1","q2","q3","q4")] for r in d]')"
fi

finish
