# Shared helpers for the end-to-end tests in tests/e2e/ (sourced, not run;
# tests/run-e2e.sh skips this file). Scripts run from the repository root.
#
# After `. tests/e2e/lib.sh` a script has:
#   $PHAEN   the program under test (a copy of ./build/phaen, or of $PHAEN when set)
#   $SAMPLE  the seed document (21 projects, 546,200 baht)
#   $TMP     a fresh temporary directory, removed on exit
#   run CMD...            run a command; sets RC, OUT (stdout), ERR (stderr);
#                         a death by signal (status >= 128) is always a failure
#   ph ARGS...            run "$PHAEN --db $DB ARGS..." through run
#   assert_eq DESC EXPECTED ACTUAL
#   assert_ne DESC UNEXPECTED ACTUAL
#   assert_contains DESC HAYSTACK NEEDLE
#   assert_not_contains DESC HAYSTACK NEEDLE
#   expect_exit DESC CODE CMD...     run CMD and check its exit status
#   json FILE EXPR        print EXPR (Python, over the parsed document `d`) as compact JSON
#   db_state              print a fingerprint of $DB: sha256 of `sqlite3 .dump` + `versions`
#   finish                print the tally and exit non-zero when anything failed
#   serve [ARGS...]       start `$PHAEN --db $DB serve ARGS` on a free loopback port (stderr
#                         in $TMP/serve.err); sets PORT, BASE, SERVER; waits until it answers
#   stop_server           SIGTERM, wait; SERVER_RC = its exit status (also run at exit)
set -u

PHAEN=${PHAEN:-./build/phaen}
SAMPLE=data/samples/lampang-2568-rev1.txt
AGENCY="สำนักงานศึกษาธิการจังหวัดลำปาง"
TEST_NAME=$(basename "$0" .sh)
CHECKS=0
FAILS=0
RC=0
OUT=
ERR=

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phaen-e2e.XXXXXX") || exit 1
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
DB=$TMP/x.db

# python3 reads the JSON; the system one starts faster than a version manager's shim.
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

if [ ! -x "$PHAEN" ]; then
    echo "$TEST_NAME: $PHAEN is missing; run make build/phaen first" >&2
    exit 1
fi
# Run a private copy, so that a rebuild of build/phaen during the run cannot break it.
cp "$PHAEN" "$TMP/phaen" || exit 1
# ... and the PDF/XLSX/web half it loads from its own directory (src/ext.h)
cp "$(dirname "$PHAEN")/phaen-ext.so" "$TMP/" || exit 1
PHAEN=$TMP/phaen

fail() {
    FAILS=$((FAILS + 1))
    printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
}

run() {
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    RC=$?
    OUT=$(cat "$TMP/.out")
    ERR=$(cat "$TMP/.err")
    if [ "$RC" -ge 128 ]; then
        fail "'$*' died with status $RC (signal $((RC - 128))); stderr: $(head -c 400 "$TMP/.err")"
    fi
}

ph() {
    run "$PHAEN" --db "$DB" "$@"
}

assert_eq() {
    CHECKS=$((CHECKS + 1))
    if [ "$2" != "$3" ]; then
        fail "$1: expected [$(printf '%s' "$2" | head -c 300)], got [$(printf '%s' "$3" | head -c 300)]"
        return 1
    fi
}

assert_ne() {
    CHECKS=$((CHECKS + 1))
    if [ "$2" = "$3" ]; then
        fail "$1: did not expect [$2]"
        return 1
    fi
}

assert_contains() {
    CHECKS=$((CHECKS + 1))
    case $2 in
    *"$3"*) return 0 ;;
    esac
    fail "$1: [$3] not found in [$(printf '%s' "$2" | head -c 600)]"
    return 1
}

assert_not_contains() {
    CHECKS=$((CHECKS + 1))
    case $2 in
    *"$3"*)
        fail "$1: [$3] should not be in [$(printf '%s' "$2" | head -c 600)]"
        return 1
        ;;
    esac
}

# expect_exit DESC CODE CMD... — runs CMD (RC/OUT/ERR stay set for further checks).
expect_exit() {
    _desc=$1 _code=$2
    shift 2
    run "$@"
    CHECKS=$((CHECKS + 1))
    if [ "$RC" != "$_code" ]; then
        fail "$_desc: '$*' exited $RC, expected $_code; stderr: $(printf '%s' "$ERR" | head -c 400)"
        return 1
    fi
}

# json FILE EXPR — e.g. json "$TMP/s.json" 'd["budget_satang"]' prints 54620000.
json() {
    "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
print(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
' "$1" "$2" 2>&1
}

# The number of lines of $1 (a string), counting a last line without a newline.
nlines() {
    printf '%s' "$1" | awk 'END { print NR }'
}

db_state() {
    if ! command -v sqlite3 >/dev/null 2>&1; then
        fail "sqlite3 (the CLI) is needed to compare databases: apt-get install sqlite3"
    fi
    printf '%s\n' "$(sqlite3 "$DB" .dump | sha256sum)"
    "$PHAEN" --db "$DB" versions 2>&1
}

# import_seed — import the sample into $DB, which must succeed.
import_seed() {
    expect_exit "import the seed into $DB" 0 "$PHAEN" --db "$DB" import "$SAMPLE"
}

# make_doc FILE ROW... — a small text extraction: the seed's title line and table
# header lines, a strategic-issue band row, then one project row per argument, its
# cells separated by '|' (written as tabs): no|name|objectives|targets|indicators|
# budget|q1|q2|q3|q4|period|unit|ย.ชาติ|แผนแม่บท|เป้าหมายย่อย|แผน13|ความมั่นคง|รัฐบาล|ย.ศธ
make_doc() {
    _f=$1
    shift
    {
        grep -m1 '^แผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2568' "$SAMPLE"
        grep -m1 "^ที่	โครงการ	" "$SAMPLE"
        grep -m1 "^						ไตรมาส 1	" "$SAMPLE"
        printf 'ประเด็นยุทธศาสตร์ที่ 3 เสริมสร้างศักยภาพคนทุกระดับทุกประเภท\t\t\t\n'
        for _r in "$@"; do
            printf '%s\n' "$_r" | tr '|' '\t'
        done
    } >"$_f"
}

finish() {
    if [ "$FAILS" -eq 0 ]; then
        echo "$TEST_NAME: ok ($CHECKS checks)"
        exit 0
    fi
    echo "$TEST_NAME: $FAILS of $CHECKS checks failed"
    exit 1
}

# ---- the web server ---------------------------------------------------------------------------
SERVER=
SERVER_RC=

# need TOOL...: end the test with a failure naming the first tool missing.
need() {
    for _tool in "$@"; do
        if ! command -v "$_tool" >/dev/null 2>&1; then
            fail "$_tool is needed for this test (scripts/deps.sh installs it)"
            finish
        fi
    done
}

free_port() {
    "$PYTHON" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

serve() {
    PORT=$(free_port)
    BASE=http://127.0.0.1:$PORT
    "$PHAEN" --db "$DB" serve --listen "127.0.0.1:$PORT" "$@" 2>"$TMP/serve.err" &
    SERVER=$!
    _up=no
    for _ in $(seq 1 100); do
        if curl -s -o /dev/null "$BASE/signin"; then
            _up=yes
            break
        fi
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$_up" != yes ]; then
        fail "the server did not start on port $PORT: $(head -c 400 "$TMP/serve.err")"
        finish
    fi
}

stop_server() {
    if [ -n "$SERVER" ]; then
        kill -TERM "$SERVER" 2>/dev/null
        wait "$SERVER"
        SERVER_RC=$?
        SERVER=
    fi
}
