#!/bin/sh
# build/phaen and build/phaen-ext.so (src/ext.h): the program holds SQLite,
# libthai, jansson and libsodium (linked in statically) and loads mimalloc,
# libm and libc only, so that importing and checking do not
# pay for loading Pango, Cairo, GLib, libmicrohttpd and libcurl; the PDF,
# XLSX, web and mail half is loaded when a command needs it. Without the
# shared object the core commands still work, and the others say what is
# missing (exit 2) instead of crashing.
. tests/e2e/lib.sh

libs=$(ldd "$PHAEN" 2>&1)
for lib in libpango libcairo libglib libharfbuzz libmicrohttpd libcurl libxlsxwriter libzip libexpat; do
    assert_not_contains "build/phaen does not link $lib" "$libs" "$lib"
done
for lib in libsqlite3 libthai libjansson libsodium; do
    assert_not_contains "build/phaen does not load $lib.so" "$libs" "$lib"
done
# they are inside the program, exported to the shared object: a second
# SQLite in the process would break the first one's POSIX locks, a second
# jansson hash with another seed; json_pack is used by the shared object only
syms=$(nm -D --defined-only "$PHAEN" 2>&1)
for sym in sqlite3_open_v2 sqlite3_prepare_v2 th_brk_find_breaks json_pack json_dumps \
    crypto_pwhash randombytes_buf; do
    assert_contains "build/phaen exports $sym" "$syms" " $sym"
done
extlibs=$(ldd "$(dirname "$PHAEN")/phaen-ext.so" 2>&1)
assert_contains "phaen-ext.so links Pango" "$extlibs" "libpango"
assert_contains "phaen-ext.so links libmicrohttpd" "$extlibs" "libmicrohttpd"
# (Pango brings libthai.so along; its calls bind to the program's copy, and
# libthai keeps no state but its dictionary)
assert_not_contains "phaen-ext.so does not load a second SQLite" "$extlibs" "libsqlite3"
assert_not_contains "phaen-ext.so does not load a second jansson" "$extlibs" "libjansson"
assert_not_contains "phaen-ext.so does not load a second libsodium" "$extlibs" "libsodium"

# with the shared object: a PDF
import_seed
ph export --format pdf --out "$TMP/plan.pdf"
assert_eq "export --format pdf with phaen-ext.so: exit 0" 0 "$RC"
assert_eq "... and the file starts as a PDF" "%PDF-" "$(head -c 5 "$TMP/plan.pdf")"

# without it (PHAEN_EXT names a file that is not there)
export PHAEN_EXT="$TMP/missing/phaen-ext.so"
rm -f "$DB"
import_seed
ph check
assert_eq "check without phaen-ext.so: the seed's one error, exit 1" 1 "$RC"
ph summary --json
assert_eq "summary without phaen-ext.so: exit 0" 0 "$RC"
ph search "พระราชทาน"
assert_contains "search without phaen-ext.so finds project 14" "$OUT" "14	โครงการทุนการศึกษาพระราชทาน"
ph export --format csv --out "$TMP/plan.csv"
assert_eq "export --format csv without phaen-ext.so: exit 0" 0 "$RC"
before=$(db_state)
for cmd in "export --format pdf --out $TMP/x.pdf" "export --format xlsx --out $TMP/x.xlsx" \
    "render plan --pdf $TMP/x.pdf" "serve --listen 127.0.0.1:1"; do
    # shellcheck disable=SC2086
    ph $cmd
    assert_eq "$cmd without phaen-ext.so: exit 2" 2 "$RC"
    assert_eq "$cmd without phaen-ext.so: one line on stderr" 1 "$(nlines "$ERR")"
    assert_contains "$cmd: names the file it could not load" "$ERR" "$TMP/missing/phaen-ext.so"
    assert_contains "$cmd: says how to fix it" "$ERR" "rebuild with make"
done
assert_eq "nothing was written by the refused commands" "$before" "$(db_state)"
assert_eq "no PDF or workbook was left behind" "" "$(ls "$TMP"/x.pdf "$TMP"/x.xlsx 2>/dev/null)"
unset PHAEN_EXT

finish
