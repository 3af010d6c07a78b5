#!/bin/sh
# Slow requests go to worker threads (web_is_slow): with one event loop
# (--threads 1), six PDF and XLSX exports and six sign-ins (Argon2id) sent at
# once with forty page loads all come back whole (the exports suspended and
# resumed, the pages answered meanwhile): every status is 200 or 303, every
# PDF starts %PDF and has the seed's 37 pages' worth of content the CLI makes,
# every XLSX is a ZIP. A SIGTERM while exports are in flight lets them
# finish, and the server exits 0.
. tests/e2e/lib.sh

need curl "$PYTHON"

PW=workers-test-password-1
import_seed
expect_exit "user add pat" 0 env PHAEN_PASSWORD=$PW "$PHAEN" --db "$DB" user add pat planner Pat
ph export --format pdf --out "$TMP/cli.pdf"
assert_eq "CLI PDF export exit" 0 "$RC"

serve --threads 1 --quiet
curl -s -o /dev/null -D "$TMP/signin.h" --data "login=pat&password=$PW" "$BASE/signin"
TOKEN=$(tr -d '\r' <"$TMP/signin.h" | sed -n 's/^[Ss]et-[Cc]ookie: phaen_session=\([^;]*\).*/\1/p')
assert_eq "signed in" yes "$([ -n "$TOKEN" ] && echo yes || echo no)"
COOKIE="Cookie: phaen_session=$TOKEN"

# everything at once (the curls' pids in PIDS, the server is a job too)
PIDS=
i=0
while [ "$i" -lt 6 ]; do
    curl -s --max-time 60 -o "$TMP/plan$i.pdf" -w '%{http_code}\n' -H "$COOKIE" "$BASE/export/plan.pdf" \
        >"$TMP/code.pdf$i" &
    PIDS="$PIDS $!"
    curl -s --max-time 60 -o "$TMP/plan$i.xlsx" -w '%{http_code}\n' -H "$COOKIE" "$BASE/export/plan.xlsx" \
        >"$TMP/code.xlsx$i" &
    PIDS="$PIDS $!"
    curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' --data "login=pat&password=$PW" "$BASE/signin" \
        >"$TMP/code.signin$i" &
    PIDS="$PIDS $!"
    i=$((i + 1))
done
i=0
while [ "$i" -lt 40 ]; do
    curl -s --max-time 60 -o "$TMP/page$i.html" -w '%{http_code}\n' -H "$COOKIE" "$BASE/plan" \
        >"$TMP/code.page$i" &
    PIDS="$PIDS $!"
    i=$((i + 1))
done
# shellcheck disable=SC2086 # a list of pids
wait $PIDS
PIDS=

assert_eq "6 PDF exports: 200" "200 200 200 200 200 200" "$(cat "$TMP"/code.pdf* | tr '\n' ' ' | sed 's/ $//')"
assert_eq "6 XLSX exports: 200" "200 200 200 200 200 200" "$(cat "$TMP"/code.xlsx* | tr '\n' ' ' | sed 's/ $//')"
assert_eq "6 sign-ins: 303" "303 303 303 303 303 303" "$(cat "$TMP"/code.signin* | tr '\n' ' ' | sed 's/ $//')"
assert_eq "40 page loads: 200" 40 "$(cat "$TMP"/code.page* | grep -c '^200$')"
cli_size=$(wc -c <"$TMP/cli.pdf")
i=0
while [ "$i" -lt 6 ]; do
    assert_eq "PDF $i starts %PDF" "%PDF" "$(head -c 4 "$TMP/plan$i.pdf")"
    # the same document as the CLI's, give or take its creation date
    size=$(wc -c <"$TMP/plan$i.pdf")
    assert_eq "PDF $i is as large as the CLI's (within 1%)" yes \
        "$(awk -v a="$size" -v b="$cli_size" 'BEGIN { d = a - b; if (d < 0) d = -d; print (d * 100 <= b) ? "yes" : "no" }')"
    assert_eq "XLSX $i is a ZIP" "PK" "$(head -c 2 "$TMP/plan$i.xlsx")"
    i=$((i + 1))
done
assert_eq "every page holds the 21 project rows" 40 \
    "$(for f in "$TMP"/page*.html; do grep -o '<tr id="p[0-9]*">' "$f" | wc -l; done | grep -c '^21$')"

# SIGTERM with exports in flight: they finish, the server exits 0
i=0
while [ "$i" -lt 3 ]; do
    curl -s --max-time 60 -o "$TMP/late$i.pdf" -w '%{http_code}\n' -H "$COOKIE" "$BASE/export/plan.pdf" \
        >"$TMP/code.late$i" &
    PIDS="$PIDS $!"
    i=$((i + 1))
done
sleep 0.05
stop_server
# shellcheck disable=SC2086
wait $PIDS
assert_eq "the server exits 0 on SIGTERM" 0 "$SERVER_RC"
assert_eq "exports in flight at SIGTERM: 200, or refused before they began" yes \
    "$(cat "$TMP"/code.late* | awk '$1 != 200 && $1 != 000 { bad = 1 } END { print bad ? "no" : "yes" }')"
for f in "$TMP"/late*.pdf; do
    [ -s "$f" ] || continue
    assert_eq "$(basename "$f") after SIGTERM starts %PDF" "%PDF" "$(head -c 4 "$f")"
done
finish
