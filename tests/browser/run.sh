#!/bin/sh
# `make browser`: the browser test. Builds nothing: it needs build/phaen (or $PHAEN),
# Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) and Node; it installs
# playwright-core into tests/browser/node_modules from the lock file when missing.
# It makes a fresh database in a temporary directory (the seed; a planner, a
# reviewer and an approver), starts `phaen serve` on a free loopback port, runs
# edit_project.mjs and then approval.mjs against it (the same database: the
# second submits and approves the version the first edited), and stops the
# server with SIGTERM. Screenshots go to build/screenshots/. Each test prints
# its tally; this script adds them up into the one closing line
# "browser: N passed, M failed" (a test that ends without a tally is a failure).
set -u
cd "$(dirname "$0")/../.." || exit 1

PHAEN=${PHAEN:-build/phaen}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SEED=data/samples/lampang-2568-rev1.txt
[ -x "$PHAEN" ] || { echo "browser: $PHAEN is missing; run make build/phaen first" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "browser: no $CHROMIUM; apt-get install chromium (scripts/deps.sh)" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "browser: no node; apt-get install nodejs npm (scripts/deps.sh)" >&2; exit 1; }
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
    echo "browser: installing playwright-core (npm ci)" >&2
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phaen-browser.XXXXXX") || exit 1
SPID=""
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a private copy, so that a rebuild during the run cannot break it
cp "$PHAEN" "$TMP/phaen" || exit 1
cp "$(dirname "$PHAEN")/phaen-ext.so" "$TMP/" || exit 1
DB=$TMP/b.db
PASSWORD=browser-test-pw
NAME="นักวางแผน ทดสอบเบราว์เซอร์"
"$TMP/phaen" --db "$DB" import "$SEED" >/dev/null || { echo "browser: import failed" >&2; exit 1; }
REVIEWER_NAME="นายรัฐพล ตรวจละเอียด"
APPROVER_NAME="นายอำนาจ อนุมัติการ"
adduser() { # adduser LOGIN ROLE NAME POSITION
    PHAEN_PASSWORD=$PASSWORD "$TMP/phaen" --db "$DB" user add "$1" "$2" "$3" >/dev/null &&
        "$TMP/phaen" --db "$DB" user position "$1" "$4" >/dev/null ||
        { echo "browser: user add $1 failed" >&2; exit 1; }
}
adduser planner planner "$NAME" "นักวิเคราะห์นโยบายและแผนชำนาญการ"
adduser reviewer reviewer "$REVIEWER_NAME" "ผู้อำนวยการกลุ่มนโยบายและแผน"
adduser approver approver "$APPROVER_NAME" "ศึกษาธิการจังหวัดลำปาง"

PORT=$("$PYTHON" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
(
    sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$TMP/pid" \
        "$TMP/phaen" --db "$DB" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log"
    echo $? >"$TMP/rc"
) &
i=0
until [ -s "$TMP/pid" ] && curl -s -o /dev/null --max-time 1 "$BASE/signin"; do
    i=$((i + 1))
    if [ -e "$TMP/rc" ] || [ "$i" -ge 100 ]; then
        echo "browser: the server did not start:" >&2
        cat "$TMP/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
SPID=$(cat "$TMP/pid")

# run_test FILE — run one test, pass its output on but for its tally line,
# and add the tally to PASSED and FAILED.
PASSED=0 FAILED=0 rc=0
TALLY='^browser: [0-9][0-9]* passed, [0-9][0-9]* failed$'
run_test() {
    PHAEN_URL=$BASE PHAEN_PASSWORD=$PASSWORD PHAEN_LOGIN=planner PHAEN_NAME=$NAME \
        PHAEN_REVIEWER=reviewer PHAEN_REVIEWER_NAME=$REVIEWER_NAME \
        PHAEN_APPROVER=approver PHAEN_APPROVER_NAME=$APPROVER_NAME \
        SCREENSHOT_DIR=${SCREENSHOT_DIR:-build/screenshots} CHROMIUM=$CHROMIUM \
        node "tests/browser/$1" >"$TMP/out"
    t_rc=$?
    grep -v "$TALLY" "$TMP/out"
    t=$(grep "$TALLY" "$TMP/out" | tail -n 1)
    if [ -z "$t" ]; then
        echo "browser: FAIL: $1 ended without its tally (status $t_rc)" >&2
        FAILED=$((FAILED + 1))
        rc=1
        return
    fi
    t_pass=${t#browser: }
    t_pass=${t_pass%% *}
    t_fail=${t#*passed, }
    t_fail=${t_fail%% *}
    PASSED=$((PASSED + t_pass))
    FAILED=$((FAILED + t_fail))
    if [ "$t_rc" != 0 ]; then
        rc=1
        if [ "$t_fail" = 0 ]; then
            echo "browser: FAIL: $1 exited with status $t_rc" >&2
            FAILED=$((FAILED + 1))
        fi
    fi
}
run_test edit_project.mjs
run_test approval.mjs

kill -TERM "$SPID" 2>/dev/null
i=0
while [ ! -e "$TMP/rc" ] && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
SPID=""
srv=$(cat "$TMP/rc" 2>/dev/null || echo timeout)
if [ "$srv" != 0 ]; then
    echo "browser: FAIL: the server did not stop cleanly on SIGTERM (status $srv)" >&2
    tail -n 20 "$TMP/server.log" >&2
    FAILED=$((FAILED + 1))
    rc=1
fi
if [ "$rc" != 0 ]; then
    echo "browser: server log (last 30 lines):" >&2
    tail -n 30 "$TMP/server.log" >&2
fi
echo "browser: $PASSED passed, $FAILED failed"
exit "$rc"
