#!/bin/sh
# The Excel workbook as another program reads it. Export the seed with
# `export --format xlsx`, let LibreOffice (soffice, headless) write every sheet as CSV
# (LibreOffice 7.2+ writes FILE-SheetName.csv for each sheet with the sheet option -1;
# Debian 12 has 7.4), and compare every number of the plan sheet (each project's budget
# and four quarters, the totals row) and of the three summary sheets with the database's
# JSON export (budget_satang, quarters_satang). Then import the workbook back, and a copy
# re-saved by LibreOffice, and check that the plan is unchanged; a broken .xlsx is refused
# and leaves the database as it was.
#
# soffice gets its own profile directory and HOME under $TMP so that parallel and CI runs
# do not share (or lock) ~/.config/libreoffice.
. tests/e2e/lib.sh

if ! command -v soffice >/dev/null 2>&1; then
    echo "$TEST_NAME: FAIL: soffice (LibreOffice) is not installed; it is needed to read" \
        "the exported workbook. Install it with: sh scripts/deps.sh" \
        "(or apt-get install libreoffice-calc-nogui)" >&2
    exit 1
fi

mkdir -p "$TMP/home" "$TMP/csv" "$TMP/resaved"
LO_PROFILE="file://$(printf '%s' "$TMP/lo-profile" | sed 's/ /%20/g')"
CSV_FILTER='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

# lo ARGS... — run soffice headless with the private profile (RC, OUT, ERR set by run)
lo() {
    run env HOME="$TMP/home" timeout 300 soffice "-env:UserInstallation=$LO_PROFILE" \
        --headless --norestore "$@"
}

import_seed
ph export --format json --out "$TMP/before.json"
assert_eq "export json exit" 0 "$RC"

ph export --format xlsx --out "$TMP/plan.xlsx"
assert_eq "export xlsx exit" 0 "$RC"
assert_eq "export xlsx writes nothing to stderr" "" "$ERR"
assert_eq "the workbook is a zip file (PK)" "PK" "$(head -c 2 "$TMP/plan.xlsx" 2>/dev/null)"

# ---- every sheet as CSV, through LibreOffice ----------------------------------------------
lo --convert-to "$CSV_FILTER" --outdir "$TMP/csv" "$TMP/plan.xlsx"
assert_eq "soffice --convert-to csv exit" 0 "$RC"
PLAN_CSV="$TMP/csv/plan-แผน.csv"
if [ ! -f "$PLAN_CSV" ] && [ -f "$TMP/csv/plan.csv" ]; then
    # LibreOffice before 7.2 ignores the sheet option and writes the first sheet only
    echo "$TEST_NAME: note: this LibreOffice writes the first sheet only;" \
        "the summaries are not checked" >&2
    PLAN_CSV="$TMP/csv/plan.csv"
fi
if [ ! -f "$PLAN_CSV" ]; then
    fail "soffice wrote no CSV of the plan sheet; it wrote: $(ls "$TMP/csv") $OUT $ERR"
    finish
fi

# compare.py PLAN_CSV JSON CSV_DIR — prints one line per problem, then "checked N numbers"
cat >"$TMP/compare.py" <<'EOF'
import csv, json, os, sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

plan_csv, js, csv_dir = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(js, encoding="utf-8"))
s = d["summary"]
bad, checked = [], 0

def satang(cell):
    """A number as LibreOffice writes it (raw value, not as shown) -> satang, exactly."""
    c = cell.strip()
    if c in ("", "-"):
        return 0
    try:
        v = Decimal(c.replace(",", "")) * 100
    except InvalidOperation:
        return None
    return int(v) if v == v.to_integral_value() else None

def same(what, got_cell, want):
    global checked
    checked += 1
    got = satang(got_cell)
    if got != want:
        bad.append("%s: sheet has %r (%s satang), JSON has %s" % (what, got_cell, got, want))

rows = list(csv.reader(open(plan_csv, encoding="utf-8")))
projects = [r for r in rows if r and r[0].strip().isdigit()]
by_no = {p["no"]: p for p in d["projects"]}
if [int(r[0]) for r in projects] != [p["no"] for p in d["projects"]]:
    bad.append("project rows %s, JSON projects %s" %
               ([r[0] for r in projects], [p["no"] for p in d["projects"]]))
for r in projects:
    p = by_no.get(int(r[0]))
    if p is None or len(r) < 10:
        bad.append("row %r: no such project or too few cells" % r[:2])
        continue
    if p["budget_satang"] is None:
        checked += 1
        if r[5].strip() != "ไม่ใช้งบประมาณ":
            bad.append("project %s: budget %r, want ไม่ใช้งบประมาณ" % (r[0], r[5]))
    else:
        same("project %s budget" % r[0], r[5], p["budget_satang"])
    for q in range(4):
        same("project %s quarter %d" % (r[0], q + 1), r[6 + q], p["quarters_satang"][q])

totals = [r for r in rows if r and r[0].strip() == "รวมทั้งสิ้น"]
if len(totals) != 1:
    bad.append("expected one totals row (รวมทั้งสิ้น), found %d" % len(totals))
else:
    same("total budget", totals[0][5], s["budget_satang"])
    for q in range(4):
        same("total quarter %d" % (q + 1), totals[0][6 + q], s["quarters_satang"][q])
words = [r[0] for r in rows if r and r[0].startswith("(") and "บาท" in r[0]]
checked += 1
if words != ["(ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน)"]:
    bad.append("total in words: %r" % words)

def sheet(name):
    path = os.path.join(csv_dir, "plan-%s.csv" % name)
    return list(csv.reader(open(path, encoding="utf-8"))) if os.path.exists(path) else None

q = sheet("สรุปรายไตรมาส")
if q is not None:
    for i in range(4):
        same("quarter summary planned Q%d" % (i + 1), q[1 + i][2], s["quarters_satang"][i])
        same("quarter summary cumulative Q%d" % (i + 1), q[1 + i][3], s["cumulative_satang"][i])
        checked += 1
        pct = Decimal(q[1 + i][4].rstrip("%")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if pct != Decimal(str(s["cumulative_percent"][i])).quantize(Decimal("0.01")):
            bad.append("cumulative percent Q%d: %s vs %s"
                       % (i + 1, pct, s["cumulative_percent"][i]))
    same("quarter summary budget", [r for r in q if r[0] == "งบประมาณทั้งสิ้น"][0][2],
         s["budget_satang"])
for name, key, first, groups in (("สรุปตามประเด็น", 0, 3, s["by_issue"]),
                                 ("สรุปตามหน่วยงาน", 0, 2, s["by_unit"])):
    t = sheet(name)
    if t is None:
        continue
    body = [r for r in t[1:] if r and r[0] != "รวมทั้งสิ้น"]
    if len(body) != len(groups):
        bad.append("%s: %d rows, JSON has %d groups" % (name, len(body), len(groups)))
        continue
    for r, g in zip(body, groups):
        same("%s %s budget" % (name, r[0]), r[first], g["budget_satang"])
        for i in range(4):
            same("%s %s Q%d" % (name, r[0], i + 1), r[first + 1 + i], g["quarters_satang"][i])
    tot = [r for r in t if r and r[0] == "รวมทั้งสิ้น"][0]
    same("%s total budget" % name, tot[first], s["budget_satang"])
    for i in range(4):
        same("%s total Q%d" % (name, i + 1), tot[first + 1 + i], s["quarters_satang"][i])

for b in bad:
    print(b)
print("checked %d numbers" % checked)
EOF

RESULT=$("${PYTHON:-python3}" "$TMP/compare.py" "$PLAN_CSV" "$TMP/before.json" "$TMP/csv" 2>&1)
assert_contains "the comparison ran" "$RESULT" "checked "
assert_eq "every number of the workbook matches the JSON export" \
    "$(printf '%s\n' "$RESULT" | tail -1)" "$RESULT"

# ---- import back: the workbook, and the workbook re-saved by LibreOffice --------------------
# same_plan A.json B.json — the plan-level fields and every project field but source lines
# and the alignment cells as written (the canonical CSV columns hold normalized codes)
same_plan() {
    "${PYTHON:-python3}" - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
keys = ("fiscal_year", "agency", "title", "title_line", "revision", "version_label",
        "strategic_issues")
diff = [k for k in keys if a[k] != b[k]]
strip = lambda p: {k: v for k, v in p.items() if k not in ("line", "alignment_text")}
pa, pb = [strip(p) for p in a["projects"]], [strip(p) for p in b["projects"]]
diff += ["project %s: %s" % (x["no"], [k for k in x if x[k] != y.get(k)])
         for x, y in zip(pa, pb) if x != y]
if len(pa) != len(pb):
    diff.append("%d projects, then %d" % (len(pa), len(pb)))
print("same" if not diff else "; ".join(map(str, diff))[:2000])
EOF
}

ph import "$TMP/plan.xlsx"
assert_eq "import of the workbook exit" 0 "$RC"
assert_contains "import reports the total" "$OUT" "546,200"
ph export --format json --out "$TMP/after.json"
assert_eq "the plan is unchanged after export and import of the workbook" same \
    "$(same_plan "$TMP/before.json" "$TMP/after.json")"

lo --convert-to "xlsx:Calc MS Excel 2007 XML" --outdir "$TMP/resaved" "$TMP/plan.xlsx"
assert_eq "soffice --convert-to xlsx exit" 0 "$RC"
ph import "$TMP/resaved/plan.xlsx"
assert_eq "import of the workbook re-saved by LibreOffice exit" 0 "$RC"
assert_eq "import of the re-saved workbook writes nothing to stderr" "" "$ERR"
ph export --format json --out "$TMP/resaved.json"
assert_eq "the plan is unchanged after a round trip through LibreOffice" same \
    "$(same_plan "$TMP/before.json" "$TMP/resaved.json")"

# ---- a broken workbook changes nothing ----------------------------------------------------
BEFORE=$(db_state)
printf 'PK\003\004 not really a zip' >"$TMP/broken.xlsx"
ph import "$TMP/broken.xlsx"
assert_eq "import of a broken .xlsx exits 2" 2 "$RC"
assert_contains "the error says it is not a workbook" "$ERR" "not an Excel workbook"
assert_eq "a refused import leaves the database as it was" "$BEFORE" "$(db_state)"

finish
