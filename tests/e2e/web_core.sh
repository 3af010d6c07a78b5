#!/bin/sh
# The web application's core pages, driven with curl as a browser would: sign-in
# (cookie flags, 401, throttling to 429), the security headers on every response
# (and a doctype first on every page), the redirect and the API's 401 for strangers,
# the plan table and its filters (also when served from the page cache), CSRF, who
# may save which project (unit editor: own unit only), lost updates refused with 409
# showing both versions (also 8 saves at once: one wins), check findings next to the
# fields (quarters-sum inside the budget fieldset), bad forms (unknown field, invalid
# UTF-8, NUL, too large), the exports, escaping of hostile text in every text field,
# --trust-proxy (Secure cookie), and SIGTERM: the request in flight finishes, exit 0,
# an access log of request ids and statuses.
#
# Servers run on free loopback ports, against a fresh database in $TMP, and are
# stopped on exit.
. tests/e2e/lib.sh

PW=e2e-secret-pw
EDITOR_UNIT="กลุ่มนิเทศ ติดตามและประเมินผล"
X1='<script>alert(1)</script>'
X2="\"'><img src=x onerror=alert(1)>"
SERVERS=""

# Stop every server still running, then remove $TMP.
cleanup() {
    for _p in $SERVERS; do
        kill -TERM "$_p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

command -v curl >/dev/null 2>&1 || { echo "$TEST_NAME: curl is needed (scripts/deps.sh)" >&2; exit 1; }

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# Several servers at once here, each with its own log (lib.sh's serve runs one).
# start_named_server NAME ARGS... — "phaen serve" on a free port with ARGS; the access log
# goes to $TMP/NAME.log, the exit status to $TMP/NAME.rc. Sets PORT, BASE, SPID.
start_named_server() {
    _name=$1
    shift
    PORT=$(free_port)
    BASE=http://127.0.0.1:$PORT
    rm -f "$TMP/$_name.pid" "$TMP/$_name.rc"
    (
        sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$TMP/$_name.pid" \
            "$PHAEN" --db "$DB" serve --listen "127.0.0.1:$PORT" "$@" 2>"$TMP/$_name.log"
        echo $? >"$TMP/$_name.rc"
    ) &
    _i=0
    while [ ! -s "$TMP/$_name.pid" ] && [ "$_i" -lt 100 ]; do
        sleep 0.05
        _i=$((_i + 1))
    done
    SPID=$(cat "$TMP/$_name.pid" 2>/dev/null)
    SERVERS="$SERVERS $SPID"
    _i=0
    until curl -s -o /dev/null --max-time 1 "$BASE/signin"; do
        _i=$((_i + 1))
        if [ -e "$TMP/$_name.rc" ] || [ "$_i" -ge 100 ]; then
            fail "server $_name did not start: $(head -c 600 "$TMP/$_name.log")"
            finish
        fi
        sleep 0.1
    done
}

# stop_named_server NAME PID — SIGTERM; sets STOP_RC (or "timeout") and STOP_MS.
stop_named_server() {
    _t0=$(now_ms)
    kill -TERM "$2" 2>/dev/null
    _i=0
    while [ ! -e "$TMP/$1.rc" ] && [ "$_i" -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    STOP_MS=$(($(now_ms) - _t0))
    if [ -e "$TMP/$1.rc" ]; then
        sleep 0.05
        STOP_RC=$(cat "$TMP/$1.rc")
    else
        STOP_RC=timeout
        kill -KILL "$2" 2>/dev/null
    fi
}

# ---- requests -------------------------------------------------------------------------
# req NAME CURL-ARGS... — one request. Headers go to $TMP/r/NAME.h (CRs removed), the
# body to $TMP/r/NAME.b; sets CODE and BODY (text responses only) and checks the
# security headers of the response.
mkdir -p "$TMP/r"
NREQ=0
BADHDR=""
req() {
    _n=$1
    shift
    CODE=$(curl -s -S --max-time 60 -D "$TMP/r/$_n.h0" -o "$TMP/r/$_n.b" -w '%{http_code}' "$@" \
        2>"$TMP/r/$_n.e") || CODE="000 ($(cat "$TMP/r/$_n.e"))"
    NREQ=$((NREQ + 1))
    [ -e "$TMP/r/$_n.b" ] || : >"$TMP/r/$_n.b" # curl writes no file for an empty body
    # one pass over the headers: strip CRs, and list what is missing
    _why=$(awk -v out="$TMP/r/$_n.h" '
        { sub(/\r$/, ""); print > out; l = tolower($0); v = $0; sub(/^[^:]*: */, "", v) }
        l ~ /^content-security-policy:/ { csp = v }
        l ~ /^x-content-type-options:/ { xcto = v }
        l ~ /^referrer-policy:/ { rp = v }
        l ~ /^x-request-id:/ { rid = v }
        l ~ /^content-type:/ { ct = v }
        END {
            n = split(csp, d, /; */); script = ""; def = ""
            for (i = 1; i <= n; i++) {
                if (d[i] ~ /^script-src /) script = d[i]
                if (d[i] ~ /^default-src /) def = d[i]
            }
            if (script == "") script = def
            if (csp == "") printf " no Content-Security-Policy;"
            else if (script == "") printf " CSP without script-src or default-src;"
            if (script ~ /unsafe-(inline|eval)/) printf " CSP script-src allows unsafe-*;"
            if (csp != "" && index(csp, "frame-ancestors \047none\047") == 0) printf " no frame-ancestors none;"
            if (xcto != "nosniff") printf " no X-Content-Type-Options: nosniff;"
            if (rp == "") printf " no Referrer-Policy;"
            if (rid == "") printf " no X-Request-Id;"
            printf "%s", (ct ~ /^text\/html/) ? "H" : (ct ~ /^(text\/|application\/json)/) ? "T" : "B"
        }' "$TMP/r/$_n.h0")
    _kind=${_why#"${_why%?}"}
    _why=${_why%?}
    # a gzip body (asked for with Accept-Encoding) is kept as NAME.gz, decoded as NAME.b
    if grep -qi '^content-encoding: *gzip' "$TMP/r/$_n.h"; then
        mv "$TMP/r/$_n.b" "$TMP/r/$_n.gz"
        gzip -dc <"$TMP/r/$_n.gz" >"$TMP/r/$_n.b" || _why="$_why gzip body does not decode;"
    fi
    if [ "$_kind" = B ]; then
        BODY="(binary)"
    else
        BODY=$(cat "$TMP/r/$_n.b")
    fi
    if [ "$_kind" = H ] && [ -n "$BODY" ]; then
        case $BODY in
        "<!DOCTYPE html>"*) ;;
        *) _why="$_why HTML does not start with <!DOCTYPE html> but with [$(printf '%s' "$BODY" | head -c 60 | iconv -f UTF-8 -t UTF-8 -c)];" ;;
        esac
    fi
    if [ -n "$_why" ]; then
        BADHDR="$BADHDR
  $_n ($CODE):$_why"
    fi
}

# hdr NAME HEADER — the first value of HEADER in response NAME (case-insensitive).
hdr() {
    awk -v h="$2" 'BEGIN { h = tolower(h) ":" }
        tolower(substr($0, 1, length(h))) == h { sub(/^[^:]*: */, ""); print; exit }' "$TMP/r/$1.h"
}

# session_of NAME — the phaen_session value set by response NAME.
session_of() {
    hdr "$1" Set-Cookie | sed -n 's/^phaen_session=\([^;]*\).*/\1/p'
}

# signin NAME LOGIN [PASSWORD] [CURL-ARGS...] — POST /signin; sets COOKIE on success.
signin() {
    _n=$1 _l=$2 _p=${3:-$PW}
    if [ $# -ge 3 ]; then shift 3; else shift $#; fi
    req "$_n" --data-urlencode "login=$_l" --data-urlencode "password=$_p" "$@" "$BASE/signin"
    COOKIE=$(session_of "$_n")
}

# The fields of the project form in an HTML page, as a browser submits them, with
# edits: name=value (replace or add; \n is a newline), -name (drop), +name=value
# (add another), !name=percent-encoded (replace with raw bytes).
cat >"$TMP/form.py" <<'EOF'
import sys, urllib.parse
from html.parser import HTMLParser

class Form(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.inform = [], False
        self.text = self.select = self.option = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "project" in (a.get("class") or "").split():
            self.inform = True
        if not self.inform:
            return
        if tag == "input" and "name" in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button", "image", "reset"):
                return
            self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "textarea":
            self.text = [a["name"], ""]
            self.fields.append(self.text)
        elif tag == "select":
            self.select = [a["name"], None, False]
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "", "selected" in a]
    def handle_data(self, d):
        if self.text is not None:
            self.text[1] += d
        if self.option is not None:
            self.option[1] += d
    def handle_endtag(self, tag):
        if tag == "textarea" and self.text is not None:
            if self.text[1].startswith("\n"):
                self.text[1] = self.text[1][1:]
            self.text = None
        elif tag == "option" and self.option is not None:
            v = self.option[0] if self.option[0] is not None else self.option[1]
            if self.select[1] is None or (self.option[2] and not self.select[2]):
                self.select[1], self.select[2] = v, self.option[2]
            self.option = None
        elif tag == "select" and self.select is not None:
            if self.select[1] is not None:
                self.fields.append([self.select[0], self.select[1]])
            self.select = None
        elif tag == "form":
            self.inform = False

p = Form()
p.feed(open(sys.argv[1], encoding="utf-8").read())
fields = [(k, urllib.parse.quote_plus(v)) for k, v in p.fields]
for e in sys.argv[3:]:
    if e.startswith("-"):
        fields = [f for f in fields if f[0] != e[1:]]
        continue
    raw = e.startswith("!")
    add = e.startswith("+")
    k, v = (e[1:] if raw or add else e).split("=", 1)
    if not raw:
        v = urllib.parse.quote_plus(v.replace("\\n", "\n"))
    if add or k not in [f[0] for f in fields]:
        fields.append((k, v))
    else:
        fields = [(f[0], v) if f[0] == k else f for f in fields]
open(sys.argv[2], "w").write("&".join(urllib.parse.quote_plus(k) + "=" + v for k, v in fields))
EOF

# get_form NAME ID — GET /project/ID with $COOKIE into response NAME.
get_form() {
    req "$1" -b "phaen_session=$COOKIE" "$BASE/project/$2"
}

# post_form NAME FORM ID EDITS... — submit the form of response FORM to /project/ID.
post_form() {
    _n=$1 _f=$2 _id=$3
    shift 3
    "$PYTHON" "$TMP/form.py" "$TMP/r/$_f.b" "$TMP/r/$_n.req" "$@" || fail "form.py $_f"
    req "$_n" -b "phaen_session=$COOKIE" -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary "@$TMP/r/$_n.req" "$BASE/project/$_id"
}

# field_of NAME FIELD — the value attribute of input FIELD in response NAME.
field_of() {
    sed -n "s/.*<input[^>]*name=\"$2\"[^>]*value=\"\\([^\"]*\\)\".*/\\1/p" "$TMP/r/$1.b" | head -n 1
}

# The database rows a save would touch, as a fingerprint.
data_state() {
    sqlite3 "$DB" "SELECT * FROM project ORDER BY id; SELECT count(*) FROM audit_log;" | sha256sum
}

# ---- set up ---------------------------------------------------------------------------
import_seed
export PHAEN_PASSWORD="$PW"
for u in "admin admin ผู้ดูแลระบบ" "planner planner นักวางแผน" "viewer viewer ผู้อ่าน" \
    "locked viewer ผู้ใช้สำหรับทดสอบการล็อก"; do
    # shellcheck disable=SC2086
    set -- $u
    expect_exit "user add $1" 0 "$PHAEN" --db "$DB" user add "$1" "$2" "$3"
done
expect_exit "user add editor" 0 "$PHAEN" --db "$DB" user add editor unit_editor \
    "ผู้แก้ไขกลุ่มนิเทศ" "$EDITOR_UNIT"
unset PHAEN_PASSWORD
if [ "$FAILS" -gt 0 ]; then
    echo "$TEST_NAME: setting up the database failed; nothing else can be checked" >&2
    finish
fi

start_named_server a --max-body 64K
A_PID=$SPID
A_BASE=$BASE

# ---- strangers --------------------------------------------------------------------------
req anon-root "$BASE/"
assert_eq "GET / signed out: 303" 303 "$CODE"
assert_eq "GET / signed out: to /signin" /signin "$(hdr anon-root Location)"
req anon-plan "$BASE/plan"
assert_eq "GET /plan signed out: 303" 303 "$CODE"
req anon-project "$BASE/project/12"
assert_eq "GET /project/12 signed out: 303" 303 "$CODE"
req anon-export "$BASE/export/plan.json"
assert_eq "GET /export/plan.json signed out: 303" 303 "$CODE"
req anon-api "$BASE/api/v1/plans"
assert_eq "GET /api/v1/plans signed out: 401" 401 "$CODE"
assert_contains "the API's 401 is JSON" "$(hdr anon-api Content-Type)" application/json
assert_eq "the API's 401 body" 401 "$(json "$TMP/r/anon-api.b" 'd["error"]["status"]')"
req anon-post -d 'name=x' "$BASE/project/12"
assert_eq "POST /project/12 signed out: 401" 401 "$CODE"
req signin-page "$BASE/signin"
assert_eq "GET /signin: 200" 200 "$CODE"
assert_contains "the sign-in form" "$BODY" 'name="password"'
req static-css "$BASE/static/style.css"
assert_eq "GET /static/style.css: 200" 200 "$CODE"
req static-missing "$BASE/static/nope.js"
assert_eq "GET /static/nope.js: 404" 404 "$CODE"
req missing "$BASE/no/such/page"
assert_eq "GET /no/such/page: 404" 404 "$CODE"

# ---- sign-in ------------------------------------------------------------------------------
# wrong passwords on a login of its own ("locked"), so that the others stay usable
i=1
while [ "$i" -le 5 ]; do
    signin "bad-$i" locked wrong-password
    assert_eq "wrong password $i: 401" 401 "$CODE"
    assert_eq "wrong password $i: no cookie" "" "$COOKIE"
    i=$((i + 1))
done
assert_contains "wrong password: Thai message" "$BODY" "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
signin bad-6 locked wrong-password
assert_eq "6th wrong password: 429" 429 "$CODE"
signin bad-7 locked "$PW"
assert_eq "right password after 5 failures: still 429" 429 "$CODE"
assert_eq "no session while throttled" "" "$COOKIE"
signin nouser no-such-user "$PW"
assert_eq "unknown login: 401" 401 "$CODE"

signin planner-in planner "$PW"
assert_eq "planner signs in: 303" 303 "$CODE"
assert_eq "planner signs in: to /" / "$(hdr planner-in Location)"
setc=$(hdr planner-in Set-Cookie)
assert_ne "sign-in sets the session cookie" "" "$COOKIE"
assert_contains "session cookie is HttpOnly" "$setc" "; HttpOnly"
assert_contains "session cookie is SameSite=Strict" "$setc" "; SameSite=Strict"
assert_not_contains "no Secure over plain http" "$setc" "Secure"
PLANNER=$COOKIE
signin planner-xfp planner "$PW" -H 'X-Forwarded-Proto: https'
assert_not_contains "X-Forwarded-Proto is ignored without --trust-proxy" "$(hdr planner-xfp Set-Cookie)" "Secure"

req dash -b "phaen_session=$PLANNER" "$BASE/"
assert_eq "GET / signed in: 200" 200 "$CODE"
assert_contains "dashboard: fiscal year" "$BODY" "ปีงบประมาณ พ.ศ. 2568"
assert_contains "dashboard: the total" "$BODY" "546,200"
assert_contains "dashboard: who is signed in" "$BODY" "นักวางแผน"
req signin-again -b "phaen_session=$PLANNER" "$BASE/signin"
assert_eq "GET /signin signed in: 303" 303 "$CODE"
req badcookie -b "phaen_session=$(printf '%064d' 0)" "$BASE/"
assert_eq "a made-up session: 303 to /signin" 303 "$CODE"

# ---- the plan page ---------------------------------------------------------------------------
# rows — the number of project rows in the last response's plan table
rows() {
    printf '%s' "$BODY" | sed -n '/<tbody>/,/<\/tbody>/p' | grep -o '<tr id="p[0-9]*">' | wc -l | tr -d ' '
}
req plan -b "phaen_session=$PLANNER" "$BASE/plan"
assert_eq "GET /plan: 200" 200 "$CODE"
assert_contains "plan: total row" "$BODY" "รวมทั้งสิ้น (21 โครงการ)"
assert_eq "plan: 21 project rows inside the table body" 21 "$(rows)"
assert_contains "plan: the findings list" "$BODY" 'id="findings"'
req plan-2 -b "phaen_session=$PLANNER" "$BASE/plan"
assert_eq "GET /plan again: 200" 200 "$CODE"
assert_eq "plan again (cached): 21 project rows inside the table body" 21 "$(rows)"
assert_contains "plan again: project 12 row" "$BODY" '<tr id="p12">'
req plan-issue -b "phaen_session=$PLANNER" "$BASE/plan?issue=1"
assert_eq "GET /plan?issue=1: 200" 200 "$CODE"
assert_contains "issue filter: fewer rows" "$BODY" "จาก 21 โครงการ"
n1=$(printf '%s' "$BODY" | sed -n 's/.*แสดง \([0-9]*\) จาก 21 โครงการ.*/\1/p')
assert_eq "issue filter: as many rows as it says" "$n1" "$(rows)"
assert_not_contains "issue filter: project 12 (issue 3) hidden" "$BODY" '<tr id="p12">'
req plan-unit -b "phaen_session=$PLANNER" -G --data-urlencode "unit=$EDITOR_UNIT" "$BASE/plan"
assert_eq "GET /plan?unit=: 200" 200 "$CODE"
assert_contains "unit filter: project 12 shown" "$BODY" '<tr id="p12">'
assert_eq "unit filter: 4 projects of กลุ่มนิเทศ" 4 "$(rows)"
assert_not_contains "unit filter: project 2 (กลุ่มอำนวยการ) hidden" "$BODY" '<tr id="p2">'
req plan-q -b "phaen_session=$PLANNER" -G --data-urlencode "q=PISA" "$BASE/plan"
assert_eq "GET /plan?q=PISA: 200" 200 "$CODE"
assert_contains "search PISA: project 12 shown" "$BODY" '<tr id="p12">'
assert_not_contains "search PISA: project 2 hidden" "$BODY" '<tr id="p2">'

# ---- CSRF --------------------------------------------------------------------------------------
COOKIE=$PLANNER
get_form form12 12
assert_eq "GET /project/12: 200" 200 "$CODE"
assert_contains "the form has a csrf field" "$BODY" 'name="csrf"'
assert_contains "the form has a row_version field" "$BODY" 'name="row_version"'
before=$(data_state)
post_form nocsrf form12 12 -csrf "name=ไม่ควรบันทึก"
assert_eq "POST without csrf: 403" 403 "$CODE"
post_form badcsrf form12 12 "csrf=$(printf '%064d' 7)" "name=ไม่ควรบันทึก"
assert_eq "POST with a wrong csrf: 403" 403 "$CODE"
assert_eq "nothing changed after the CSRF failures" "$before" "$(data_state)"
req signout-nocsrf -b "phaen_session=$PLANNER" -d "x=1" "$BASE/signout"
assert_eq "sign-out without csrf: 403" 403 "$CODE"
req still-in -b "phaen_session=$PLANNER" "$BASE/"
assert_eq "still signed in after a refused sign-out" 200 "$CODE"

# ---- who may save what ----------------------------------------------------------------------
signin editor-in editor "$PW"
assert_eq "editor signs in" 303 "$CODE"
EDITOR=$COOKIE
get_form ed-form12 12
assert_not_contains "editor: project 12 is editable" "$BODY" "คุณอ่านได้อย่างเดียว"
post_form ed-save12 ed-form12 12 "name=โครงการที่ 12 แก้โดยกลุ่มนิเทศ"
assert_eq "editor saves project 12 (own unit): 200" 200 "$CODE"
assert_contains "editor's save: saved" "$BODY" "บันทึกแล้ว"
assert_eq "project 12's new name is stored" "โครงการที่ 12 แก้โดยกลุ่มนิเทศ" \
    "$(sqlite3 "$DB" 'SELECT name FROM project WHERE id = 12')"
get_form ed-form2 2
assert_eq "editor: GET /project/2: 200" 200 "$CODE"
assert_contains "editor: project 2 is read-only" "$BODY" "คุณอ่านได้อย่างเดียว"
before=$(data_state)
post_form ed-save2 ed-form2 2 "name=แก้ข้ามกลุ่ม"
assert_eq "editor saves project 2 (another unit): 403" 403 "$CODE"
get_form ed-form12b 12
post_form ed-move ed-form12b 12 "unit=กลุ่มอำนวยการ"
assert_eq "editor moves project 12 to another unit: 403" 403 "$CODE"
assert_eq "nothing changed after the editor's refused saves" "$before" "$(data_state)"
signin viewer-in viewer "$PW"
get_form v-form12 12
assert_contains "viewer: read-only" "$BODY" "คุณอ่านได้อย่างเดียว"
post_form v-save12 v-form12 12 "name=ผู้อ่านแก้"
assert_eq "viewer saves project 12: 403" 403 "$CODE"
assert_eq "nothing changed after the viewer's save" "$before" "$(data_state)"

# ---- lost updates: 409 -------------------------------------------------------------------------
COOKIE=$PLANNER
get_form tab1 12
rv1=$(field_of tab1 row_version)
get_form tab2 12
rv2=$(field_of tab2 row_version)
assert_ne "row_version is in the form" "" "$rv1"
assert_eq "two loads of the form carry the same row_version" "$rv1" "$rv2"
post_form save1 tab1 12 "name=ชื่อจากแท็บแรก"
assert_eq "first save: 200" 200 "$CODE"
assert_eq "first save: the form now carries row_version+1" "$((rv1 + 1))" "$(field_of save1 row_version)"
before=$(data_state)
post_form save2 tab2 12 "name=ชื่อจากแท็บที่สอง"
assert_eq "second save with the old row_version: 409" 409 "$CODE"
assert_contains "409 page: what you sent" "$BODY" "ชื่อจากแท็บที่สอง"
assert_contains "409 page: what is stored" "$BODY" "ชื่อจากแท็บแรก"
assert_contains "409 page: the stored row version" "$BODY" "ฉบับแก้ไขที่ $((rv1 + 1))"
assert_eq "409: nothing changed" "$before" "$(data_state)"
assert_eq "409: the first save's name stays" "ชื่อจากแท็บแรก" \
    "$(sqlite3 "$DB" 'SELECT name FROM project WHERE id = 12')"

# 8 saves of one form at once: exactly one wins, the others get 409 (no 500, no crash)
get_form race-form 12
"$PYTHON" "$TMP/form.py" "$TMP/r/race-form.b" "$TMP/race.req" "name=ชื่อจากการแข่งกันบันทึก"
pids=""
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o /dev/null -w '%{http_code}\n' -b "phaen_session=$PLANNER" \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$TMP/race.req" \
        "$BASE/project/12" >"$TMP/race.$i" 2>&1 &
    pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
assert_eq "8 concurrent saves: one 200, seven 409" "1x200 7x409" \
    "$(cat "$TMP"/race.? | sort | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = " " }')"
assert_eq "8 concurrent saves: the row version went up by one" "$(($(field_of race-form row_version) + 1))" \
    "$(sqlite3 "$DB" 'SELECT row_version FROM project WHERE id = 12')"

# ---- findings next to the fields ---------------------------------------------------------------
# budget 86,400 = 0 + 71,193 + 12,065 + 3,142; Q1 1,000 makes the quarters 1,000 over
budget_fieldset() {
    "$PYTHON" -c '
import sys
h = open(sys.argv[1], encoding="utf-8").read()
for part in h.split("<fieldset")[1:]:
    part = part.split("</fieldset>")[0]
    if "name=\"budget\"" in part:
        print(part)
' "$TMP/r/$1.b"
}
get_form q-form 12
post_form q-bad q-form 12 "q1=1,000"
assert_eq "save with quarters that do not add up: 200 (saved, with findings)" 200 "$CODE"
fs=$(budget_fieldset q-bad)
assert_contains "quarters-sum: in the budget fieldset" "$fs" 'class="finding error" data-rule="quarters-sum"'
assert_contains "quarters-sum: the Thai message" "$fs" \
    "ไตรมาส 1-4 รวม 87,400 บาท แต่งบประมาณ 86,400 บาท (เกิน 1,000 บาท) ให้แก้ไตรมาสหรืองบประมาณให้เท่ากัน"
assert_contains "quarters-sum: the notice says errors remain" "$BODY" "ยังมีข้อผิดพลาด"
post_form q-good q-bad 12 "q1=0"
assert_eq "save with the quarters fixed: 200" 200 "$CODE"
assert_not_contains "quarters-sum gone after the fix" "$(budget_fieldset q-good)" "quarters-sum"

# ---- bad forms --------------------------------------------------------------------------------
get_form bad-form 12
before=$(data_state)
post_form unknown bad-form 12 "+is_admin=1"
assert_eq "an unknown form field: 400" 400 "$CODE"
assert_contains "unknown field: named" "$BODY" "is_admin"
post_form badutf8 bad-form 12 '!period=%E0%B8%FF%FE'
assert_eq "invalid UTF-8 in a field: 400" 400 "$CODE"
assert_contains "invalid UTF-8: the field is named" "$BODY" "period"
post_form nul bad-form 12 '!name=ab%00cd'
assert_eq "a NUL byte in a field: 400" 400 "$CODE"
post_form badmoney bad-form 12 "budget=หกพัน"
assert_eq "an unreadable budget: 400" 400 "$CODE"
head -c 70000 /dev/zero | tr '\0' a >"$TMP/big.txt"
post_form toolarge bad-form 12 "objectives=$(cat "$TMP/big.txt")"
assert_eq "a 70 KB body with --max-body 64K: 413" 413 "$CODE"
req toolarge-chunked -b "phaen_session=$PLANNER" -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$TMP/r/toolarge.req" \
    "$BASE/project/12"
assert_eq "a 70 KB chunked body: 413" 413 "$CODE"
assert_eq "nothing changed after the bad forms" "$before" "$(data_state)"

# ---- exports --------------------------------------------------------------------------------
req exports -b "phaen_session=$PLANNER" "$BASE/exports"
assert_eq "GET /exports: 200" 200 "$CODE"
for f in plan.pdf plan.xlsx plan.csv plan.json summary.pdf memo.pdf; do
    assert_contains "/exports links $f" "$BODY" "/export/$f"
done
req x-pdf -b "phaen_session=$PLANNER" "$BASE/export/plan.pdf"
assert_eq "plan.pdf: 200" 200 "$CODE"
assert_eq "plan.pdf: application/pdf" application/pdf "$(hdr x-pdf Content-Type)"
assert_eq "plan.pdf: %PDF- magic" "%PDF-" "$(head -c 5 "$TMP/r/x-pdf.b")"
if command -v pdftotext >/dev/null 2>&1; then
    assert_contains "plan.pdf: the total row" "$(pdftotext "$TMP/r/x-pdf.b" - 2>/dev/null)" "รวมทั้งสิ้น"
else
    fail "pdftotext is needed (poppler-utils, scripts/deps.sh)"
fi
req x-csv -b "phaen_session=$PLANNER" "$BASE/export/plan.csv"
assert_eq "plan.csv: 200" 200 "$CODE"
assert_eq "plan.csv: starts with the BOM" efbbbf "$(head -c 3 "$TMP/r/x-csv.b" | od -An -tx1 | tr -d ' \n')"
assert_contains "plan.csv: attachment" "$(hdr x-csv Content-Disposition)" "attachment"
req x-json -b "phaen_session=$PLANNER" "$BASE/export/plan.json"
assert_eq "plan.json: 200" 200 "$CODE"
assert_eq "plan.json: 21 projects" 21 "$(json "$TMP/r/x-json.b" 'len(d["projects"])')"
req x-xlsx -b "phaen_session=$PLANNER" "$BASE/export/plan.xlsx"
assert_eq "plan.xlsx: 200" 200 "$CODE"
assert_eq "plan.xlsx: a zip (PK)" 504b0304 "$(head -c 4 "$TMP/r/x-xlsx.b" | od -An -tx1 | tr -d ' \n')"
for f in summary.pdf memo.pdf; do
    req "x-$f" -b "phaen_session=$PLANNER" "$BASE/export/$f"
    assert_eq "$f: 200" 200 "$CODE"
    assert_eq "$f: %PDF- magic" "%PDF-" "$(head -c 5 "$TMP/r/x-$f.b")"
done
req x-none -b "phaen_session=$PLANNER" "$BASE/export/plan.exe"
assert_eq "an unknown export: 404" 404 "$CODE"

# ---- hostile text is escaped ------------------------------------------------------------------
# Both payloads in every text field of project 5 through the form, as the planner.
get_form xss-form 5
post_form xss-save xss-form 5 \
    "name=$X1 $X2" "objectives=$X1\\n$X2" "outputs=$X1\\n$X2" "outcomes=$X1\\n$X2" \
    "indicators_quantitative=$X1\\n$X2" "indicators_qualitative=$X1\\n$X2" "period=$X1 $X2" \
    "national_strategy=$X1 $X2" "master_plan=$X1 $X2" "subplan_target=$X1 $X2" \
    "plan13_milestone=$X1 $X2" "security_policy=$X1 $X2" "government_policy=$X2 $X1" \
    "moe_strategy=$X1 $X2" "unit=$X1 $X2"
assert_eq "saving hostile text: 200" 200 "$CODE"
assert_contains "hostile text stored (as data)" "$(sqlite3 "$DB" 'SELECT name FROM project WHERE id = 5')" \
    "<img src=x onerror=alert(1)>"
no_raw() { # no_raw DESC — the last response has no live markup from the payloads
    assert_not_contains "$1: no raw <script>alert" "$BODY" "<script>alert"
    assert_not_contains "$1: no raw <img src=x" "$BODY" "<img src=x"
}
no_raw "the save's response"
assert_contains "the save's response: escaped" "$BODY" "&lt;img src=x onerror=alert(1)&gt;"
get_form xss-again 5
post_form xss-409 xss-form 5 "name=$X1 $X2" "objectives=$X2"
assert_eq "hostile text on the 409 page: 409" 409 "$CODE"
no_raw "the 409 page"
post_form xss-400 xss-again 5 "no=$X1 $X2"
assert_eq "hostile text in a number: 400" 400 "$CODE"
no_raw "the 400 page"
assert_contains "the 400 page: escaped" "$BODY" "&lt;script&gt;alert"
for page in / /plan /project/5 /project/12 /exports; do
    req xss-page -b "phaen_session=$PLANNER" "$BASE$page"
    assert_eq "GET $page after the hostile save: 200" 200 "$CODE"
    no_raw "$page"
done
req xss-plan -b "phaen_session=$PLANNER" "$BASE/plan"
assert_contains "/plan shows the hostile name escaped" "$BODY" "&lt;img src=x onerror=alert(1)&gt;"
req xss-q -b "phaen_session=$PLANNER" -G --data-urlencode "q=$X1$X2" \
    --data-urlencode "unit=$X1$X2" --data-urlencode "issue=$X2" "$BASE/plan"
assert_eq "GET /plan with hostile filters: 200" 200 "$CODE"
no_raw "/plan with hostile filters"
assert_contains "/plan echoes the search escaped" "$BODY" "&lt;script&gt;alert(1)&lt;/script&gt;"
req xss-audit -b "phaen_session=$PLANNER" "$BASE/audit"
if [ "$CODE" = 200 ]; then
    no_raw "/audit"
else
    echo "$TEST_NAME: note: /audit answered $CODE; not checked for escaping"
fi
signin admin-in admin "$PW"
req xss-audit-admin -b "phaen_session=$COOKIE" "$BASE/audit"
if [ "$CODE" = 200 ]; then
    no_raw "/audit (admin)"
fi

# ---- what another process changes shows at once ------------------------------------------------
# The server keeps sessions and whole pages while the database is as it was
# (store_generation); a commit by the command line must still show on the
# next request, STORE_GENERATION_LAG_MS (100 ms) later at most.
PHAEN_PASSWORD="$PW" "$PHAEN" --db "$DB" user add cacheprobe planner "ผู้ทดสอบแคช" >/dev/null
signin cacheprobe-in cacheprobe "$PW"
PROBE=$COOKIE
req cache-1 -b "phaen_session=$PROBE" "$BASE/plan"
req cache-2 -b "phaen_session=$PROBE" "$BASE/plan"
assert_eq "cached plan page: 200" 200 "$CODE"
assert_contains "the header names the role: planner" "$(cat "$TMP/r/cache-2.b")" "(นักวิเคราะห์นโยบายและแผน)"
assert_eq "the same bytes the second time" "$(md5sum <"$TMP/r/cache-1.b")" "$(md5sum <"$TMP/r/cache-2.b")"
expect_exit "user role cacheprobe reviewer (another process)" 0 \
    "$PHAEN" --db "$DB" user role cacheprobe reviewer
sleep 0.2
req cache-3 -b "phaen_session=$PROBE" "$BASE/plan"
assert_contains "after the command line's change the header says reviewer" \
    "$(cat "$TMP/r/cache-3.b")" "(ผู้ตรวจ)"
assert_not_contains "... and no longer planner" "$(cat "$TMP/r/cache-3.b")" "(นักวิเคราะห์นโยบายและแผน)"
# a new password ends the user's sessions (here set by the command line)
PHAEN_PASSWORD="$PW-new" "$PHAEN" --db "$DB" user passwd cacheprobe >/dev/null
sleep 0.2
req cache-after-passwd -b "phaen_session=$PROBE" "$BASE/plan"
assert_eq "after user passwd the old session is refused (sign in again)" 303 "$CODE"
signin cacheprobe-again cacheprobe "$PW-new"
PROBE=$COOKIE
req cache-json-1 -b "phaen_session=$PROBE" "$BASE/export/plan.json"
assert_eq "plan.json: 200" 200 "$CODE"
assert_contains "plan.json is the plan: 21 projects" \
    "$("$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["projects"]), "projects")' "$TMP/r/cache-json-1.b")" \
    "21 projects"

# Cached pages go gzip-compressed to clients that take it (every browser does), the
# same bytes once decoded; "gzip;q=0" and no Accept-Encoding get them as they are.
req gz-id -b "phaen_session=$PROBE" "$BASE/plan"
req gz-plan -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip, deflate, br, zstd' "$BASE/plan"
assert_eq "plan with Accept-Encoding gzip: 200" 200 "$CODE"
assert_eq "... Content-Encoding: gzip" gzip "$(hdr gz-plan Content-Encoding)"
assert_eq "... Vary: Accept-Encoding" Accept-Encoding "$(hdr gz-plan Vary)"
assert_eq "... Vary on the uncompressed answer too" Accept-Encoding "$(hdr gz-id Vary)"
assert_eq "... decodes to the same page" "$(md5sum <"$TMP/r/gz-id.b")" "$(md5sum <"$TMP/r/gz-plan.b")"
assert_eq "... Content-Length is the compressed size" "$(wc -c <"$TMP/r/gz-plan.gz" | tr -d ' ')" \
    "$(hdr gz-plan Content-Length)"
gz_size=$(wc -c <"$TMP/r/gz-plan.gz" | tr -d ' ')
id_size=$(wc -c <"$TMP/r/gz-id.b" | tr -d ' ')
assert_eq "... at most a fifth of the page's $id_size bytes ($gz_size)" yes \
    "$([ $((gz_size * 5)) -le "$id_size" ] && echo yes || echo no)"
req gz-again -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip' "$BASE/plan"
assert_eq "the second gzip answer: the same bytes" "$(md5sum <"$TMP/r/gz-plan.gz")" "$(md5sum <"$TMP/r/gz-again.gz")"
req gz-q0 -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip;q=0, br' "$BASE/plan"
assert_eq "gzip;q=0: not compressed" "" "$(hdr gz-q0 Content-Encoding)"
assert_eq "... the page as it is" "$(md5sum <"$TMP/r/gz-id.b")" "$(md5sum <"$TMP/r/gz-q0.b")"
req gz-json -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip' "$BASE/export/plan.json"
assert_eq "plan.json gzip: Content-Encoding" gzip "$(hdr gz-json Content-Encoding)"
assert_eq "... decodes to the same JSON" "$(md5sum <"$TMP/r/cache-json-1.b")" "$(md5sum <"$TMP/r/gz-json.b")"
assert_contains "... a download still" "$(hdr gz-json Content-Disposition)" "plan.json"
# a kept page carries an ETag (another for its gzip bytes); asking again with it: 304, nothing sent
etag=$(hdr gz-id ETag)
etag_gz=$(hdr gz-plan ETag)
assert_eq "plan page: an ETag of 32 hex digits" yes \
    "$(printf '%s' "$etag" | grep -Eq '^"[0-9a-f]{32}"$' && echo yes || echo no)"
assert_eq "... the gzip bytes' ETag is another" "\"$(printf '%s' "$etag" | tr -d '"')-gz\"" "$etag_gz"
assert_eq "... a browser may keep it but asks again" "private, no-cache" "$(hdr gz-id Cache-Control)"
req etag-304 -b "phaen_session=$PROBE" -H "If-None-Match: $etag" "$BASE/plan"
assert_eq "If-None-Match with its ETag: 304" 304 "$CODE"
assert_eq "... and no body" 0 "$(wc -c <"$TMP/r/etag-304.b" | tr -d ' ')"
req etag-304gz -b "phaen_session=$PROBE" -H "If-None-Match: $etag_gz" -H 'Accept-Encoding: gzip' "$BASE/plan"
assert_eq "gzip asked, its ETag: 304" 304 "$CODE"
req etag-other -b "phaen_session=$PROBE" -H "If-None-Match: $etag" -H 'Accept-Encoding: gzip' "$BASE/plan"
assert_eq "gzip asked with the uncompressed page's ETag: 200" 200 "$CODE"
# a large page made for one request (the project form) is compressed on the way too
req gz-form-id -b "phaen_session=$PROBE" "$BASE/project/1"
req gz-form -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip' "$BASE/project/1"
assert_eq "project form with Accept-Encoding gzip: 200" 200 "$CODE"
assert_eq "... Content-Encoding: gzip" gzip "$(hdr gz-form Content-Encoding)"
assert_eq "... Vary: Accept-Encoding" Accept-Encoding "$(hdr gz-form Vary)"
assert_eq "... decodes to the same form" "$(md5sum <"$TMP/r/gz-form-id.b")" "$(md5sum <"$TMP/r/gz-form.b")"
assert_contains "... which is the form of project 1" "$(cat "$TMP/r/gz-form.b")" 'name="row_version"'
req gz-small -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip' "$BASE/inbox"
assert_eq "a small page (the inbox) goes as it is" "" "$(hdr gz-small Content-Encoding)"
# a change made meanwhile shows in the compressed page as well (no stale gzip copy)
expect_exit "user role cacheprobe viewer (another process)" 0 \
    "$PHAEN" --db "$DB" user role cacheprobe viewer
sleep 0.2
req gz-after -b "phaen_session=$PROBE" -H 'Accept-Encoding: gzip' "$BASE/plan"
assert_eq "after the change: 200" 200 "$CODE"
assert_eq "... gzip still" gzip "$(hdr gz-after Content-Encoding)"
assert_contains "... the header says viewer" "$(cat "$TMP/r/gz-after.b")" "(ผู้อ่าน)"
assert_not_contains "... and no longer the old page (planner)" "$(cat "$TMP/r/gz-after.b")" \
    "(นักวิเคราะห์นโยบายและแผน)"
req etag-after -b "phaen_session=$PROBE" -H "If-None-Match: $etag_gz" -H 'Accept-Encoding: gzip' "$BASE/plan"
assert_eq "after the change the old ETag gets the new page: 200" 200 "$CODE"
assert_ne "... with a new ETag" "$etag_gz" "$(hdr etag-after ETag)"
expect_exit "user role cacheprobe planner (back)" 0 "$PHAEN" --db "$DB" user role cacheprobe planner

# ---- sign-out --------------------------------------------------------------------------------
req signout-form -b "phaen_session=$EDITOR" "$BASE/"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$TMP/r/signout-form.b" | head -n 1)
req signout -b "phaen_session=$EDITOR" --data-urlencode "csrf=$csrf" "$BASE/signout"
assert_eq "sign-out: 303" 303 "$CODE"
assert_contains "sign-out clears the cookie" "$(hdr signout Set-Cookie)" "Max-Age=0"
req after-signout -b "phaen_session=$EDITOR" "$BASE/"
assert_eq "the old session is gone after sign-out" 303 "$CODE"

# ---- --trust-proxy: Secure cookies behind TLS ----------------------------------------------
start_named_server b --trust-proxy --quiet
B_PID=$SPID
signin proxy-https planner "$PW" -H 'X-Forwarded-Proto: https'
assert_eq "behind a trusted proxy: 303" 303 "$CODE"
assert_contains "X-Forwarded-Proto: https with --trust-proxy: Secure" "$(hdr proxy-https Set-Cookie)" "; Secure"
assert_contains "Secure cookie is HttpOnly too" "$(hdr proxy-https Set-Cookie)" "HttpOnly"
signin proxy-http planner "$PW" -H 'X-Forwarded-Proto: http'
assert_not_contains "X-Forwarded-Proto: http: no Secure" "$(hdr proxy-http Set-Cookie)" "Secure"
stop_named_server b "$B_PID"
assert_eq "server b: exit 0 on SIGTERM" 0 "$STOP_RC"
assert_eq "server b --quiet: no access log lines" "" \
    "$(grep -E ' (GET|POST) ' "$TMP/b.log" || true)"

# ---- every response had the security headers (and HTML pages a doctype first) --------------
CHECKS=$((CHECKS + 1))
if [ -n "$BADHDR" ]; then
    fail "responses with missing security headers or a bad start:$BADHDR"
fi

# ---- SIGTERM and the access log -------------------------------------------------------------
BASE=$A_BASE
# a PDF (a few hundred ms to render) in flight when SIGTERM comes is finished first
curl -s -o "$TMP/inflight.pdf" -w '%{http_code}' -b "phaen_session=$PLANNER" "$BASE/export/plan.pdf" \
    >"$TMP/inflight.code" 2>/dev/null &
CURL_PID=$!
sleep 0.1
stop_named_server a "$A_PID"
wait "$CURL_PID"
assert_eq "SIGTERM: exit 0" 0 "$STOP_RC"
assert_eq "SIGTERM: the request in flight got its answer" 200 "$(cat "$TMP/inflight.code")"
assert_eq "SIGTERM: the request in flight got the whole PDF" "%PDF-" "$(head -c 5 "$TMP/inflight.pdf")"
assert_eq "after SIGTERM: nobody listens" 000 \
    "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/signin" 2>/dev/null)"
CHECKS=$((CHECKS + 1))
[ "$STOP_MS" -le 5000 ] || fail "SIGTERM: took $STOP_MS ms (> 5 s)"
log=$(cat "$TMP/a.log")
assert_contains "log: stopped cleanly" "$log" "stopped cleanly"
lines=$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z [0-9a-f]+ [0-9.:a-f]+ [A-Z]+ /[^ ]* [1-5][0-9][0-9] [0-9.]+ms [^ ]+$' "$TMP/a.log")
total=$(grep -cE ' (GET|POST|HEAD) /' "$TMP/a.log")
assert_eq "every access log line has time, request id, client, method, path, status, duration, user" \
    "$total" "$lines"
CHECKS=$((CHECKS + 1))
[ "$total" -ge $((NREQ - 1)) ] || fail "access log: $total lines for $NREQ requests (2 of them to the quiet server b)"
id=$(hdr save2 X-Request-Id)
assert_contains "the 409's request id and status are logged" "$log" " $id 127.0.0.1 POST /project/12 409 "
id=$(hdr toolarge X-Request-Id)
assert_contains "the 413's request id and status are logged" "$log" " $id 127.0.0.1 POST /project/12 413 "
assert_contains "the planner's requests name the planner" "$log" " GET /plan 200 "
assert_not_contains "passwords are not logged" "$log" "$PW"

finish
