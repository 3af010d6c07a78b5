#!/bin/sh
# render_big.sh — a plan of 1,008 projects (the seed's table 48 times, made by
# bench/gen_plan.c) imports (into a database with 16 KiB pages) and renders:
# the PDF runs to a thousand pages or more and carries the last project and
# the grand total; the XLSX is written.
set -u
. tests/e2e/lib.sh

cc -O2 -o "$TMP/gen" bench/gen_plan.c || fail "bench/gen_plan.c does not build"
"$TMP/gen" data/samples/lampang-2568-rev1.txt 48 "$TMP/big.txt"
DB="$TMP/big.db"
expect_exit "import 1,008 projects" 0 "$PHAEN" --db "$DB" import "$TMP/big.txt"
assert_contains "import" "$OUT" "1008"
# a database created by importing 1 MiB or more is laid out for large plans
assert_eq "a database made for 1,008 projects has 16 KiB pages" 16384 \
    "$(sqlite3 "$DB" 'PRAGMA page_size')"
expect_exit "render 1,008 projects" 0 "$PHAEN" --db "$DB" render plan --pdf "$TMP/big.pdf"
pages=$(pdfinfo "$TMP/big.pdf" | awk '/^Pages:/ {print $2}')
CHECKS=$((CHECKS + 1))
[ "${pages:-0}" -ge 1000 ] || fail "1,008 projects gave only ${pages:-0} pages"
pdftotext -raw "$TMP/big.pdf" "$TMP/big.txt.out"
text=$(cat "$TMP/big.txt.out")
# 48 x 546,200 baht
assert_contains "grand total" "$text" "26,217,600"
assert_contains "the last project" "$text" "1008 "
expect_exit "xlsx of 1,008 projects" 0 "$PHAEN" --db "$DB" export --format xlsx --out "$TMP/big.xlsx"
CHECKS=$((CHECKS + 1))
head -c 2 "$TMP/big.xlsx" | grep -q PK || fail "the XLSX is not a zip"
finish
