#!/bin/sh
# Bad input to `phaen import`: an empty file, a binary, the seed cut in the middle of
# a UTF-8 character, the seed in TIS-620, CSVs with wrong columns or a bad amount, a
# file over --max-size, a missing file, a directory, --fy abc. Each must exit 2 with
# ONE line on stderr that starts with "phaen: " and names the file (and the line when
# there is one), print nothing on stdout, and leave the database byte-for-byte as it
# was (sqlite3 .dump) with no new version. Cutting the seed anywhere inside the table
# must import or fail cleanly (exit 0 or 2), never crash.
. tests/e2e/lib.sh

import_seed
BEFORE=$(db_state)

# bad_import DESC FILE-AS-NAMED [ARGS...] — runs `phaen import ARGS` (FILE is what the
# message must name) and checks the contract above.
bad_import() {
    _d=$1 _name=$2
    shift 2
    ph import "$@"
    assert_eq "$_d: exit status" 2 "$RC"
    assert_eq "$_d: one line on stderr" 1 "$(nlines "$ERR")"
    assert_contains "$_d: stderr starts with 'phaen: '" "$(printf '%s' "$ERR" | head -c 7)" "phaen: "
    assert_contains "$_d: the message names $_name" "$ERR" "$_name"
    assert_eq "$_d: nothing on stdout" "" "$OUT"
    assert_eq "$_d: database unchanged, no new version" "$BEFORE" "$(db_state)"
}

: >"$TMP/empty.txt"
bad_import "empty file" empty.txt "$TMP/empty.txt"
assert_contains "empty file: says empty" "$ERR" "empty"

head -c 4096 /bin/ls >"$TMP/binary.txt"
bad_import "binary file" binary.txt "$TMP/binary.txt"
assert_contains "binary file: names line 1" "$ERR" "line 1:"

# The title line of the table, cut after one byte of its second character.
title_off=$(grep -b -m1 '^แผนการใช้จ่ายงบประมาณรายโครงการ' "$SAMPLE" | cut -d: -f1)
title_line=$(grep -n -m1 '^แผนการใช้จ่ายงบประมาณรายโครงการ' "$SAMPLE" | cut -d: -f1)
head -c $((title_off + 4)) "$SAMPLE" >"$TMP/cut-title.txt"
bad_import "seed cut inside a Thai character of the title" cut-title.txt "$TMP/cut-title.txt"
assert_contains "seed cut in the title: names the title's line" "$ERR" "line $title_line:"
# The memo's first line (line 5, บันทึกข้อความ), cut after its first byte.
head -c 5 "$SAMPLE" >"$TMP/cut-memo.txt"
bad_import "seed cut inside the first Thai character" cut-memo.txt "$TMP/cut-memo.txt"

iconv -f UTF-8 -t TIS-620//TRANSLIT "$SAMPLE" >"$TMP/tis620.txt" 2>/dev/null
bad_import "seed in TIS-620" tis620.txt "$TMP/tis620.txt"
assert_contains "TIS-620: names line 5 (the first Thai line)" "$ERR" "line 5:"
assert_contains "TIS-620: says UTF-8" "$ERR" "UTF-8"
bad_import "seed in TIS-620 as --format csv" tis620.txt "$TMP/tis620.txt" --format csv --fy 2568

printf 'foo,bar,baz\r\n1,2,3\r\n' >"$TMP/wrong-columns.csv"
bad_import "CSV with wrong columns" wrong-columns.csv "$TMP/wrong-columns.csv" --fy 2568
assert_contains "wrong columns: names line 1" "$ERR" "line 1:"
assert_contains "wrong columns: names the unknown column" "$ERR" "'foo'"
assert_not_contains "wrong columns: the file is named once" "$ERR" "wrong-columns.csv: wrong-columns.csv"

printf 'no,name,budget\n1,x,"6,330"\n' >"$TMP/missing-columns.csv"
bad_import "CSV missing required columns" missing-columns.csv "$TMP/missing-columns.csv" --fy 2568
assert_contains "missing columns: names q1" "$ERR" "q1"

{
    printf 'no,name,budget,q1,q2,q3,q4,period,unit\r\n'
    printf '1,โครงการหนึ่ง,"6,330","2,100","4,230",-,-,ต.ค. 67 - ธ.ค. 67,กลุ่มนโยบายและแผน\r\n'
    printf '2,โครงการสอง,"12,3x4",-,-,-,-,ม.ค. - มี.ค. 68,กลุ่มอำนวยการ\r\n'
} >"$TMP/bad-amount.csv"
bad_import "CSV with a bad amount" bad-amount.csv "$TMP/bad-amount.csv" --fy 2568
assert_contains "bad amount: names line 3 and column budget" "$ERR" "line 3, column budget"
assert_contains "bad amount: quotes the amount" "$ERR" "12,3x4"

bad_import "CSV without --fy" bad-amount.csv "$TMP/bad-amount.csv"
assert_contains "CSV without --fy: asks for --fy" "$ERR" "--fy"

bad_import "file over --max-size 1K" lampang-2568-rev1.txt "$SAMPLE" --max-size 1K
assert_contains "max-size: states the limit" "$ERR" "1024"

bad_import "nonexistent file" no-such-file.txt "$TMP/no-such-file.txt"
mkdir "$TMP/adir"
bad_import "a directory" adir "$TMP/adir"

ph import "$SAMPLE" --fy abc
assert_eq "--fy abc: exit status" 2 "$RC"
assert_eq "--fy abc: one line" 1 "$(nlines "$ERR")"
assert_contains "--fy abc: starts with phaen:" "$ERR" "phaen: --fy"
assert_contains "--fy abc: quotes the value" "$ERR" "'abc'"
assert_eq "--fy abc: database unchanged" "$BEFORE" "$(db_state)"

ph import "$SAMPLE" --max-size lots
assert_eq "--max-size lots: exit status" 2 "$RC"
assert_eq "--max-size lots: database unchanged" "$BEFORE" "$(db_state)"

ph import "$SAMPLE" --format xml
assert_eq "--format xml: exit status" 2 "$RC"
assert_eq "--format xml: database unchanged" "$BEFORE" "$(db_state)"

ph import
assert_eq "import without a file: exit status" 2 "$RC"

# --max-size boundary: a file of exactly N bytes is accepted, N-1 is over the limit.
make_doc "$TMP/small.txt" \
    "1|โครงการทดสอบ|เพื่อทดสอบ|ครู 10 คน|ร้อยละ 80|9,000|-|9,000|-|-|ม.ค. - มี.ค. 68|กลุ่มนโยบายและแผน|3|12|120101|12|-|4|3"
size=$(wc -c <"$TMP/small.txt" | tr -d ' ')
DB=$TMP/small.db
ph import "$TMP/small.txt" --max-size $((size - 1))
assert_eq "file one byte over --max-size: exit 2" 2 "$RC"
ph import "$TMP/small.txt" --max-size "$size"
assert_eq "file of exactly --max-size bytes: exit 0" 0 "$RC"
DB=$TMP/x.db

# ---- the seed cut at many points inside the table ------------------------------------
# 16 offsets inside a multi-byte character ("mid") and 8 at a character boundary
# ("edge"), spread from the title line to the end. A cut file imports (exit 0) or is
# refused (exit 2, naming the line of the cut when it refuses the encoding); never more.
"$PYTHON" - "$SAMPLE" "$title_off" >"$TMP/offsets" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
start = int(sys.argv[2])
for n, kind in ((16, "mid"), (8, "edge")):
    for k in range(n):
        i = start + (len(data) - start) * k // n + 7
        while i < len(data) and (0x80 <= data[i] <= 0xBF) != (kind == "mid"):
            i += 1
        print(i, kind)
PY
ncut=0
while read -r off kind; do
    ncut=$((ncut + 1))
    head -c "$off" "$SAMPLE" >"$TMP/cut.txt"
    cut_line=$(($(wc -l <"$TMP/cut.txt") + 1))
    DB=$TMP/cut-$off.db
    ph import "$TMP/cut.txt"
    case $RC in
    0)
        ph summary --json
        printf '%s' "$OUT" >"$TMP/cut.json"
        assert_eq "cut ($kind) at byte $off imported: summary works" 0 "$RC"
        assert_eq "cut ($kind) at byte $off imported: 1..21 projects" true \
            "$(json "$TMP/cut.json" '1 <= d["projects"] <= 21')"
        ph check
        assert_eq "cut ($kind) at byte $off imported: check exits 0 or 1" true \
            "$([ "$RC" = 0 ] || [ "$RC" = 1 ] && echo true || echo "$RC")"
        ;;
    2)
        assert_eq "cut ($kind) at byte $off refused: one line" 1 "$(nlines "$ERR")"
        assert_contains "cut ($kind) at byte $off refused: names the file" "$ERR" "phaen: $TMP/cut.txt"
        case $ERR in
        *UTF-8*) assert_contains "cut ($kind) at byte $off: names the cut line" "$ERR" "line $cut_line:" ;;
        esac
        ph versions
        assert_eq "cut ($kind) at byte $off refused: no version saved" "" "$OUT"
        ;;
    *)
        fail "cut ($kind) at byte $off: import exited $RC (expected 0 or 2): $ERR"
        ;;
    esac
done <"$TMP/offsets"
assert_eq "24 cut points tried" 24 "$ncut"
DB=$TMP/x.db

# ---- a failed import after a successful one leaves the versions alone ---------------
ph versions
assert_eq "still exactly one version" 1 "$(nlines "$OUT")"

# ---- a failed import into a database that did not exist leaves no database ----------
# (the text importer opens the database while libthai's dictionary loads, before it
# knows whether the file holds a plan)
printf 'บันทึกข้อความ\nเรื่อง ไม่มีตาราง\n' >"$TMP/notable.txt"
for kind in notable empty; do
    NEWDB=$TMP/new-$kind.db
    [ "$kind" = empty ] && file=$TMP/empty.txt || file=$TMP/notable.txt
    run "$PHAEN" --db "$NEWDB" import "$file"
    assert_eq "import of a file with no plan ($kind) into a new database: exit 2" 2 "$RC"
    assert_eq "... and no database is left at $NEWDB" "none" \
        "$(ls "$NEWDB" "$NEWDB-wal" "$NEWDB-shm" "$NEWDB-journal" 2>/dev/null || echo none)"
done
run "$PHAEN" --db "$TMP/new-notable.db" import "$TMP/notable.txt"
assert_contains "a file with no plan: says there is no project table" "$ERR" "no project table"

finish
