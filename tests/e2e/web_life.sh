#!/bin/sh
# The plan's life on the web, driven with curl as a browser would (sign-in
# cookie, CSRF field from the page, plain form posts; no JavaScript):
# the seed cannot be submitted while it has an error finding (400, nothing
# changed); project 8's period is fixed through the project form; the planner
# submits, the reviewer reviews, the approver approves; wrong-role (403) and
# out-of-order (409) moves, a return without a comment (400) and a form without
# its CSRF field (403) change nothing; approval makes a notice (แจ้งเวียน) for
# each of the 9 units and mails the units that have an address (a loopback SMTP
# sink, tests/smtp_sink.py: RFC 2047 subject, base64 UTF-8 body, the document
# links); a unit editor acknowledges the notice and the planner sees the read
# receipt on /inbox; the plan PDF's signature blocks carry the three signers'
# names and today's Thai date; a revision 1 -> 2 from /versions/new, two budgets
# changed through the project form, reasons and the allocation recorded, then
# submitted, reviewed, approved; /versions shows both logs with their SHA-256
# and "ตรงกับบันทึก"; `phaen verify` exits 0; approved versions refuse edits
# (form: 409; sqlite3 with the triggers: error); every transition is in the
# audit log; after the triggers are dropped and version 1 is altered behind the
# application's back, `phaen verify` exits 1 and /versions shows the red mark;
# a mail that cannot be sent (a bad address; the mail server down) is logged and
# never undoes an approval; the server stops cleanly on SIGTERM.
. tests/e2e/lib.sh

need curl sqlite3 pdftotext "$PYTHON"

NITHET="กลุ่มนิเทศ ติดตามและประเมินผล"
AMNUAY="กลุ่มอำนวยการ"
PW=life-test-password-1
N_PAT="นางสาวพัชรา วางแผนดี"
N_REV="นายรัฐพล ตรวจละเอียด"
N_APP="นายอำนาจ อนุมัติการ"
SINK=

stop_sink() {
    if [ -n "$SINK" ]; then
        kill -TERM "$SINK" 2>/dev/null
        wait "$SINK" 2>/dev/null
        SINK=
    fi
}
trap 'stop_server; stop_sink; rm -rf "$TMP"' EXIT

# ---- the seed, people, e-mail addresses -----------------------------------------------------------

import_seed
adduser() { # adduser LOGIN ROLE NAME [UNIT]
    expect_exit "user add $1" 0 env PHAEN_PASSWORD=$PW "$PHAEN" --db "$DB" user add "$@"
}
adduser pat planner "$N_PAT"
adduser rev reviewer "$N_REV"
adduser app approver "$N_APP"
adduser ned unit_editor "นางนิดา นิเทศงาน" "$NITHET"
adduser amy unit_editor "นางเอมอร อำนวยดี" "$AMNUAY"
expect_exit "position of pat" 0 "$PHAEN" --db "$DB" user position pat "นักวิเคราะห์นโยบายและแผนชำนาญการ"
expect_exit "position of rev" 0 "$PHAEN" --db "$DB" user position rev "ผู้อำนวยการกลุ่มนโยบายและแผน"
expect_exit "position of app" 0 "$PHAEN" --db "$DB" user position app "ศึกษาธิการจังหวัดลำปาง"
sqlite3 "$DB" "UPDATE unit SET email='amnuay@example.test' WHERE name='$AMNUAY'" || fail "set an e-mail"
sqlite3 "$DB" "UPDATE unit SET email='nithet@example.test' WHERE name='$NITHET'" || fail "set an e-mail"

# ---- the SMTP sink and the server ------------------------------------------------------------------

"$PYTHON" tests/smtp_sink.py --dir "$TMP/mail" --port-file "$TMP/smtp.port" 2>"$TMP/sink.err" &
SINK=$!
for _ in $(seq 1 100); do
    [ -s "$TMP/smtp.port" ] && break
    sleep 0.1
done
if [ ! -s "$TMP/smtp.port" ]; then
    fail "the SMTP sink did not start: $(head -c 400 "$TMP/sink.err")"
    finish
fi
SMTP_PORT=$(cat "$TMP/smtp.port")

export PHAEN_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export PHAEN_SMTP_FROM=phaen@example.test
export PHAEN_BASE_URL=https://plan.example.test
serve --quiet
U=$BASE

# req JAR CURL-ARGS... — one request; CODE = status, BODY = the body, LOC = the redirect.
req() {
    _jar=$1
    shift
    _w=$(curl -s -b "$_jar" -c "$_jar" -o "$TMP/body" -w '%{http_code} %{redirect_url}' "$@")
    CODE=${_w%% *}
    LOC=${_w#* }
    BODY=$(cat "$TMP/body")
}
field() { # field NAME — the value of the first hidden field NAME in BODY
    printf '%s' "$BODY" | grep -o "name=\"$1\" value=\"[0-9a-f]*\"" | head -n 1 | sed 's/.*value="//; s/"$//'
}
signin() { # signin JAR LOGIN — then CSRF holds the session's form token
    req "$1" -d "login=$2" --data-urlencode "password=$PW" "$U/signin"
    assert_eq "sign in as $2" 303 "$CODE"
    req "$1" "$U/versions"
    assert_eq "GET /versions as $2" 200 "$CODE"
    CSRF=$(field csrf)
    assert_ne "a CSRF token for $2" "" "$CSRF"
}
status_of() { sqlite3 "$DB" "SELECT status FROM plan_version WHERE id = $1"; }
project_id() { sqlite3 "$DB" "SELECT id FROM project WHERE version_id = $1 AND no = $2"; }
row_version() { sqlite3 "$DB" "SELECT row_version FROM project WHERE id = $1"; }
# move JAR CSRF VERSION ACTION [COMMENT]
move() {
    req "$1" --data-urlencode "csrf=$2" --data-urlencode "comment=${5:-}" "$U/versions/$3/$4"
}
# unchanged DESC BEFORE — the database is as it was
unchanged() {
    assert_eq "$1: nothing changed" "$2" "$(db_state)"
}

P=$TMP/pat.jar R=$TMP/rev.jar A=$TMP/app.jar NJ=$TMP/ned.jar MJ=$TMP/amy.jar
signin "$P" pat
PC=$CSRF
signin "$R" rev
RVC=$CSRF
signin "$A" app
AC=$CSRF
signin "$NJ" ned
NC=$CSRF
signin "$MJ" amy
MC=$CSRF

# ---- /versions before anything --------------------------------------------------------------------

req "$P" "$U/versions"
assert_contains "/versions lists version 1" "$BODY" 'id="v1"'
assert_contains "/versions: status in Thai" "$BODY" "[ร่าง]"
assert_contains "/versions: the budget" "$BODY" "546,200 บาท"
assert_contains "/versions: the revision label" "$BODY" "ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1"
assert_contains "/versions: the planner may submit" "$BODY" 'action="/versions/1/submit"'
assert_contains "/versions: the error that blocks submitting is shown" "$BODY" "แผนมีข้อผิดพลาด 1 รายการ"
assert_not_contains "/versions: the planner may not approve" "$BODY" 'action="/versions/1/approve"'
req "$A" "$U/versions"
assert_not_contains "/versions: the approver has no move on a draft" "$BODY" 'action="/versions/1/'

# ---- refused moves on the seed ---------------------------------------------------------------------

before=$(db_state)
move "$P" "$PC" 1 submit "เสนอ"
assert_eq "submit with an error finding: 400" 400 "$CODE"
assert_contains "submit with an error finding: Thai message" "$BODY" "แผนมีข้อผิดพลาด 1 รายการ"
assert_contains "submit with an error finding: English message" "$BODY" "cannot submit"
assert_contains "submit with an error finding: names the rule" "$BODY" "spend-outside-period"
unchanged "submit with an error finding" "$before"

# Project 8's period, through the project form.
ID8=$(project_id 1 8)
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID8")" \
    --data-urlencode "period=ต.ค. 67 - ก.ย. 68" "$U/project/$ID8"
assert_eq "fix project 8's period through the form: 200" 200 "$CODE"
assert_contains "fix project 8: saved" "$BODY" "บันทึกแล้ว"
expect_exit "the plan has no error findings now" 0 "$PHAEN" --db "$DB" check

before=$(db_state)
move "$R" "$RVC" 1 submit
assert_eq "the reviewer submits: 403" 403 "$CODE"
assert_contains "wrong role: Thai message" "$BODY" "ได้เฉพาะ"
assert_contains "wrong role: English message" "$BODY" "only planner or admin may submit"
move "$NJ" "$NC" 1 submit
assert_eq "a unit editor submits: 403" 403 "$CODE"
move "$P" "$PC" 1 review
assert_eq "the planner reviews: 403" 403 "$CODE"
move "$A" "$AC" 1 approve
assert_eq "approve a draft: 409" 409 "$CODE"
assert_contains "out of order: Thai message" "$BODY" "อยู่ในสถานะร่าง"
assert_contains "out of order: English message" "$BODY" "version 1 is draft"
move "$P" "$PC" 1 publish
assert_eq "publish a draft: 409" 409 "$CODE"
move "$R" "$RVC" 1 return "กลับ"
assert_eq "return a draft: 409" 409 "$CODE"
req "$P" -d "comment=x" "$U/versions/1/submit"
assert_eq "submit without the CSRF field: 403" 403 "$CODE"
req "$P" "$U/versions/1/submit"
assert_eq "GET on a move: 405" 405 "$CODE"
move "$P" "$PC" 99 submit
assert_eq "an unknown version: 404" 404 "$CODE"
move "$P" "$PC" 1 launch
assert_eq "an unknown move: 404" 404 "$CODE"
unchanged "refused moves" "$before"

# ---- submit, review, approve -------------------------------------------------------------------------

move "$P" "$PC" 1 submit "เสนอเพื่อโปรดพิจารณา"
assert_eq "the planner submits: 303" 303 "$CODE"
assert_eq "submit: back to /versions" "$U/versions#v1" "$LOC"
assert_eq "version 1 is submitted" submitted "$(status_of 1)"

before=$(db_state)
move "$P" "$PC" 1 submit
assert_eq "submit twice: 409" 409 "$CODE"
move "$R" "$RVC" 1 return ""
assert_eq "return without a comment: 400" 400 "$CODE"
assert_contains "return without a comment: says so" "$BODY" "comment"
move "$A" "$AC" 1 approve
assert_eq "approve before review: 409" 409 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID8")" \
    --data-urlencode "period=พ.ย. 67 - ก.ย. 68" "$U/project/$ID8"
assert_eq "edit a project of a submitted version: 409" 409 "$CODE"
assert_contains "edit a submitted version: the message" "$BODY" "only drafts can be edited"
unchanged "refusals on a submitted version" "$before"

# A return with a comment, and the submit again.
move "$R" "$RVC" 1 return "โปรดทบทวนตัวชี้วัด"
assert_eq "the reviewer returns with a comment: 303" 303 "$CODE"
assert_eq "version 1 is a draft again" draft "$(status_of 1)"
move "$P" "$PC" 1 submit "แก้ไขตามความเห็นแล้ว"
assert_eq "submit again: 303" 303 "$CODE"
move "$R" "$RVC" 1 review "ตรวจแล้วถูกต้อง"
assert_eq "the reviewer reviews: 303" 303 "$CODE"
assert_eq "version 1 is checked" checked "$(status_of 1)"
move "$A" "$AC" 1 approve "อนุมัติ"
assert_eq "the approver approves: 303" 303 "$CODE"
assert_eq "version 1 is approved" approved "$(status_of 1)"
assert_eq "a notice for each of the 9 units" 9 \
    "$(sqlite3 "$DB" "SELECT count(DISTINCT unit_id) FROM notice WHERE version_id = 1")"

# ---- the notice e-mails --------------------------------------------------------------------------------

for _ in $(seq 1 50); do
    [ "$(ls "$TMP/mail" 2>/dev/null | grep -c '\.json$')" -ge 2 ] && break
    sleep 0.1
done
mails() {
    "$PYTHON" - "$TMP/mail" <<'EOF'
import email, email.policy, glob, json, os, sys
out = []
for j in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    env = json.load(open(j))
    raw = open(j[:-5] + ".eml", "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    out.append("|".join([",".join(env["to"]), m["To"], str(m["Subject"]),
                         m["Content-Transfer-Encoding"], m.get_content_type(),
                         m.get_content_charset() or "", "date" if m["Date"] else "nodate",
                         "mid" if m["Message-ID"] else "nomid",
                         "ascii" if all(b < 128 for b in raw) else "8bit",
                         m.get_content().replace("\n", " ")]))
print("\n".join(out))
EOF
}
M=$(mails)
assert_eq "two notice mails (the units with an address)" 2 "$(nlines "$M")"
assert_contains "a mail to กลุ่มอำนวยการ" "$M" "amnuay@example.test|amnuay@example.test|"
assert_contains "a mail to กลุ่มนิเทศ" "$M" "nithet@example.test|nithet@example.test|"
assert_contains "the subject decodes to Thai (RFC 2047)" "$M" "|แจ้งเวียน: แผนการใช้จ่ายงบประมาณ"
assert_contains "base64 UTF-8 plain text, Date, Message-ID, 7-bit on the wire" "$M" \
    "|base64|text/plain|utf-8|date|mid|ascii|"
assert_contains "the body greets the unit" "$M" "ถึง $AMNUAY"
assert_contains "the body links the plan PDF" "$M" "https://plan.example.test/export/plan.pdf?version=1"
assert_contains "the body links the memo PDF" "$M" "https://plan.example.test/export/memo.pdf?version=1"
assert_contains "the body names the approver" "$M" "$N_APP"

# ---- the inbox and read receipts ---------------------------------------------------------------------

req "$NJ" "$U/inbox"
assert_eq "GET /inbox as a unit editor" 200 "$CODE"
assert_contains "the unit's notice" "$BODY" "หนังสือเวียนถึง$NITHET"
assert_contains "the notice links the plan PDF" "$BODY" 'href="/export/plan.pdf?version=1"'
assert_contains "the notice links the memo PDF" "$BODY" 'href="/export/memo.pdf?version=1"'
NID=$(printf '%s' "$BODY" | grep -o 'action="/inbox/[0-9]*/ack"' | head -n 1 | tr -dc 0-9)
assert_ne "an acknowledge button" "" "$NID"
assert_eq "the notice is the unit's" "$NITHET" \
    "$(sqlite3 "$DB" "SELECT u.name FROM notice n JOIN unit u ON u.id = n.unit_id WHERE n.id = ${NID:-0}")"

before=$(db_state)
req "$MJ" -d "csrf=$MC" "$U/inbox/$NID/ack"
assert_eq "another unit acknowledges it: 404" 404 "$CODE"
req "$P" -d "csrf=$PC" "$U/inbox/$NID/ack"
assert_eq "a planner (no unit) acknowledges it: 403" 403 "$CODE"
req "$NJ" -d "x=1" "$U/inbox/$NID/ack"
assert_eq "acknowledge without CSRF: 403" 403 "$CODE"
unchanged "refused acknowledgements" "$before"

req "$NJ" -d "csrf=$NC" "$U/inbox/$NID/ack"
assert_eq "the unit editor acknowledges: 303" 303 "$CODE"
assert_eq "the receipt is stored" "ned" "$(sqlite3 "$DB" "SELECT acked_by FROM notice WHERE id = $NID")"
req "$NJ" -d "csrf=$NC" "$U/inbox/$NID/ack"
assert_eq "acknowledge twice: 409" 409 "$CODE"
req "$NJ" "$U/inbox"
assert_contains "the unit editor sees the receipt" "$BODY" "รับทราบแล้ว โดย ned"
req "$P" "$U/inbox"
assert_contains "the planner sees every unit" "$BODY" "รับทราบแล้ว 1 จาก 9 กลุ่ม"
assert_eq "the planner sees 9 rows for version 1" 9 \
    "$(printf '%s' "$BODY" | grep -o '<tr data-unit="' | wc -l)"
assert_contains "the planner sees who acknowledged" "$BODY" "</td><td>ned</td></tr>"
assert_contains "the planner sees who did not" "$BODY" "ยังไม่รับทราบ"

# ---- the plan PDF's signature blocks -------------------------------------------------------------------

TODAY=$("$PYTHON" -c '
import datetime
d = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
m = ["มกราคม","กุมภาพันธ์","มีนาคม","เมษายน","พฤษภาคม","มิถุนายน","กรกฎาคม","สิงหาคม","กันยายน","ตุลาคม","พฤศจิกายน","ธันวาคม"][d.month - 1]
print(("%d %s %d" % (d.day, m, d.year + 543)).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
')
curl -s -b "$P" -o "$TMP/plan1.pdf" -w '%{http_code}' "$U/export/plan.pdf?version=1" >"$TMP/code"
assert_eq "GET /export/plan.pdf?version=1" 200 "$(cat "$TMP/code")"
pdftotext -layout "$TMP/plan1.pdf" "$TMP/plan1.txt" 2>/dev/null
# the signature blocks are side by side: compare without the layout's spaces
SIG=$(tr -d ' \n' <"$TMP/plan1.txt")
for n in "$N_PAT" "$N_REV" "$N_APP"; do
    assert_contains "the PDF's signature blocks name $n" "$SIG" "($(printf '%s' "$n" | tr -d ' '))"
done
assert_eq "the three blocks carry today's Thai date ($TODAY)" 3 \
    "$(printf '%s' "$SIG" | grep -o "วันที่$(printf '%s' "$TODAY" | tr -d ' ')" | wc -l)"

# ---- publish ------------------------------------------------------------------------------------------

move "$A" "$AC" 1 publish
assert_eq "the approver publishes: 403" 403 "$CODE"
move "$P" "$PC" 1 publish "เผยแพร่บนเว็บไซต์"
assert_eq "the planner publishes: 303" 303 "$CODE"
assert_eq "version 1 is published" published "$(status_of 1)"

# ---- revision 2 -----------------------------------------------------------------------------------------

before=$(db_state)
req "$R" --data-urlencode "csrf=$RVC" --data-urlencode "reason=x" "$U/versions/new"
assert_eq "a reviewer starts a revision: 403" 403 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "reason=" "$U/versions/new"
assert_eq "a revision without a reason: 400" 400 "$CODE"
unchanged "refused revisions" "$before"

req "$P" "$U/versions"
assert_contains "/versions offers a new revision" "$BODY" 'action="/versions/new"'
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "label=" \
    --data-urlencode "reason=ได้รับจัดสรรงบประมาณเพิ่มเติม ปรับแผนให้ตรงกับงบที่ได้รับ" "$U/versions/new"
assert_eq "the planner starts revision 2: 303" 303 "$CODE"
assert_eq "revision 2 is version 2" "$U/versions#v2" "$LOC"
assert_eq "version 2: draft, revision 2, based on 1" "draft|2|1" \
    "$(sqlite3 "$DB" "SELECT status, revision, based_on FROM plan_version WHERE id = 2")"
before=$(db_state)
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "reason=อีกครั้ง" "$U/versions/new"
assert_eq "a second revision while one is in progress: 409" 409 "$CODE"
unchanged "a second revision" "$before"

# Two budgets changed through the project form.
ID5=$(project_id 2 5) ID11=$(project_id 2 11)
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID5")" \
    --data-urlencode "budget=6,000" --data-urlencode "q2=6,000" "$U/project/$ID5"
assert_eq "project 5's budget through the form: 200" 200 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID11")" \
    --data-urlencode "budget=25,000" --data-urlencode "q2=25,000" "$U/project/$ID11"
assert_eq "project 11's budget through the form: 200" 200 "$CODE"

req "$P" "$U/versions"
assert_contains "/versions lists project 5 as changed" "$BODY" "id=\"c$ID5\""
assert_contains "/versions lists project 11 as changed" "$BODY" "id=\"c$ID11\""
assert_eq "only the two changed projects are listed" 2 "$(printf '%s' "$BODY" | grep -o '<tr id="c' | wc -l)"
assert_contains "the reason form" "$BODY" 'action="/versions/2/reason"'

before=$(db_state)
req "$MJ" --data-urlencode "csrf=$MC" --data-urlencode "project=$ID5" \
    --data-urlencode "reason=x" "$U/versions/2/reason"
assert_eq "another unit's editor records a reason: 403" 403 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "project=$(project_id 1 5)" \
    --data-urlencode "reason=x" "$U/versions/2/reason"
assert_eq "a project of another version: 404" 404 "$CODE"
unchanged "refused reasons" "$before"
req "$NJ" --data-urlencode "csrf=$NC" --data-urlencode "project=$ID5" \
    --data-urlencode "reason=ขยายกลุ่มเป้าหมายเป็นครูทุกอำเภอ" "$U/versions/2/reason"
assert_eq "the unit's editor records project 5's reason: 303" 303 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "project=$ID11" \
    --data-urlencode "reason=ได้รับจัดสรรน้อยกว่าที่ขอ" "$U/versions/2/reason"
assert_eq "the planner records project 11's reason: 303" 303 "$CODE"
assert_eq "the reasons are stored" "ขยายกลุ่มเป้าหมายเป็นครูทุกอำเภอ|ได้รับจัดสรรน้อยกว่าที่ขอ" \
    "$(sqlite3 "$DB" "SELECT group_concat(change_reason, '|') FROM (SELECT change_reason FROM project WHERE id IN ($ID5, $ID11) ORDER BY no)")"

# The allocation: overall and one unit.
before=$(db_state)
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "allocated=lots" "$U/versions/2/allocation"
assert_eq "an unreadable allocation: 400" 400 "$CODE"
req "$R" --data-urlencode "csrf=$RVC" --data-urlencode "allocated=541,700" "$U/versions/2/allocation"
assert_eq "a reviewer records the allocation: 403" 403 "$CODE"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "allocated=541,700" "$U/versions/1/allocation"
assert_eq "the allocation of a published version: 409" 409 "$CODE"
unchanged "refused allocations" "$before"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "allocated=541,700" \
    --data-urlencode "un0=$NITHET" --data-urlencode "ua0=110,500" "$U/versions/2/allocation"
assert_eq "the planner records the allocation: 303" 303 "$CODE"
assert_eq "the allocation is stored" "54170000|11050000" \
    "$(sqlite3 "$DB" "SELECT v.allocated_satang, a.allocated_satang FROM plan_version v JOIN unit_allocation a ON a.version_id = v.id WHERE v.id = 2")"
req "$P" "$U/versions"
assert_contains "/versions shows the allocation" "$BODY" "541,700 บาท"

move "$P" "$PC" 2 submit "เสนอฉบับปรับปรุงครั้งที่ 2"
assert_eq "submit revision 2: 303" 303 "$CODE"
move "$R" "$RVC" 2 review
assert_eq "review revision 2: 303" 303 "$CODE"
# A unit whose address is unusable: its mail fails, logged; the approval stands.
sqlite3 "$DB" "UPDATE unit SET email='not an address' WHERE name='กลุ่มกฎหมายและคดี'" ||
    fail "set a bad e-mail"
move "$A" "$AC" 2 approve
assert_eq "approve revision 2: 303" 303 "$CODE"
assert_eq "version 2 is approved" approved "$(status_of 2)"
assert_eq "notices for version 2" 9 "$(sqlite3 "$DB" "SELECT count(*) FROM notice WHERE version_id = 2")"
for _ in $(seq 1 50); do
    [ "$(ls "$TMP/mail" | grep -c '\.json$')" -ge 4 ] && break
    sleep 0.1
done
M=$(mails)
assert_eq "two more mails for version 2" 4 "$(nlines "$M")"
assert_contains "the mail of version 2 links its PDF" "$M" "/export/plan.pdf?version=2"
assert_contains "the failed mail is logged" "$(cat "$TMP/serve.err")" \
    "notice of version 2 to กลุ่มกฎหมายและคดี <not an address> not mailed"

# ---- both logs, verification ------------------------------------------------------------------------------

req "$P" "$U/versions"
assert_eq "/versions shows both versions as matching their log" 2 \
    "$(printf '%s' "$BODY" | grep -o 'data-verify="ok"' | wc -l)"
assert_not_contains "/versions: no tampering yet" "$BODY" "ถูกแก้ไขหลังบันทึก"
for t in $(sqlite3 "$DB" "SELECT substr(sha256, 1, 12) FROM version_transition"); do
    assert_contains "/versions shows the log's SHA-256 $t" "$BODY" ">$t</code>"
done
assert_eq "/versions shows every transition (6 of version 1, 3 of version 2)" 9 \
    "$(printf '%s' "$BODY" | grep -o '<td>[^<]* → [^<]*</td>' | wc -l)"
assert_contains "/versions: the return's comment" "$BODY" "โปรดทบทวนตัวชี้วัด"
assert_contains "/versions: the signer's position" "$BODY" "ผู้อำนวยการกลุ่มนโยบายและแผน"
assert_contains "/versions: the log's date in Thai digits" "$BODY" "$TODAY เวลา "
assert_contains "/versions: the role in Thai" "$BODY" "</td><td>ผู้ตรวจ"
assert_contains "/versions: the revision's reason" "$BODY" "ได้รับจัดสรรงบประมาณเพิ่มเติม"
assert_contains "/versions: the project's reason, read only now" "$BODY" "ได้รับจัดสรรน้อยกว่าที่ขอ"
assert_not_contains "/versions: no reason form on an approved version" "$BODY" 'action="/versions/2/reason"'
expect_exit "phaen verify: every version matches its log" 0 "$PHAEN" --db "$DB" verify

# Approved versions refuse edits.
before=$(db_state)
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID5")" \
    --data-urlencode "budget=7,000" "$U/project/$ID5"
assert_eq "edit a project of approved version 2 through the form: 409" 409 "$CODE"
assert_contains "edit an approved version: the message" "$BODY" "only drafts can be edited"
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "row_version=$(row_version "$ID8")" \
    --data-urlencode "name=x" "$U/project/$ID8"
assert_eq "edit a project of published version 1 through the form: 409" 409 "$CODE"
unchanged "edits of approved versions" "$before"
run sqlite3 "$DB" "UPDATE project SET name='x' WHERE version_id=1"
assert_ne "sqlite3 with the triggers in place: refused" 0 "$RC"
assert_contains "sqlite3 with the triggers in place: the trigger's message" "$ERR" "only drafts can change"
unchanged "a direct UPDATE with the triggers in place" "$before"

# ---- the audit log ------------------------------------------------------------------------------------------

assert_eq "every transition has its audit entry" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM version_transition")" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action LIKE 'version.%' AND action <> 'version.allocation'")"
assert_eq "the audit entries name version, new status and hash" \
    "$(sqlite3 "$DB" "SELECT group_concat('version ' || version_id || ':' || to_status || ':' || sha256, ',') FROM (SELECT * FROM version_transition ORDER BY id)")" \
    "$(sqlite3 "$DB" "SELECT group_concat(entity || ':' || json_extract(new_value, '\$.status') || ':' || json_extract(new_value, '\$.sha256'), ',') FROM (SELECT * FROM audit_log WHERE action LIKE 'version.%' AND action <> 'version.allocation' ORDER BY id)")"
req "$R" "$U/audit"
assert_eq "/audit lists every transition" "$(sqlite3 "$DB" "SELECT count(*) FROM version_transition")" \
    "$(printf '%s' "$BODY" | grep -o '<code>version\.\(submit\|review\|approve\|publish\|return\)</code>' | wc -l)"
for a in version.submit version.review version.approve version.publish version.return \
    revision.create project.reason version.allocation notice.ack; do
    assert_contains "/audit shows $a" "$BODY" "$a"
done

# ---- tampering behind the application's back ---------------------------------------------------------------

sqlite3 "$DB" "DROP TRIGGER project_frozen_update; UPDATE project SET name='x' WHERE version_id=1" ||
    fail "tamper with version 1"
expect_exit "phaen verify after tampering: exit 1" 1 "$PHAEN" --db "$DB" verify
assert_contains "phaen verify names version 1" "$OUT" "version 1 was changed"
req "$P" "$U/versions"
assert_contains "/versions: the red mark" "$BODY" "ถูกแก้ไขหลังบันทึก!"
assert_contains "/versions: the mark is an error" "$BODY" 'class="verify finding error'
V1=$(printf '%s' "$BODY" | sed -n '/id="v1"/,$p')
assert_contains "/versions: the mark is on version 1" "$V1" 'data-verify="tampered"'
assert_eq "/versions: version 2 still matches" 1 "$(printf '%s' "$BODY" | grep -o 'data-verify="ok"' | wc -l)"

# ---- stopping --------------------------------------------------------------------------------------------------

stop_server
assert_eq "SIGTERM: the server exits 0" 0 "$SERVER_RC"
assert_eq "no other mail failed" 1 "$(grep -c 'not mailed' "$TMP/serve.err")"

# ---- a mail server that is down never undoes an approval -----------------------------------------------------

stop_sink
serve --quiet # the same PHAEN_SMTP_URL: nobody listens there now
U=$BASE
req "$P" --data-urlencode "csrf=$PC" --data-urlencode "reason=ทดสอบเมื่อเซิร์ฟเวอร์อีเมลล่ม" "$U/versions/new"
assert_eq "revision 3: 303" 303 "$CODE"
move "$P" "$PC" 3 submit
move "$R" "$RVC" 3 review
move "$A" "$AC" 3 approve
assert_eq "approve with the mail server down: 303" 303 "$CODE"
assert_eq "version 3 is approved" approved "$(status_of 3)"
assert_eq "its notices exist" 9 "$(sqlite3 "$DB" "SELECT count(*) FROM notice WHERE version_id = 3")"
assert_contains "the unreachable mail server is logged" "$(cat "$TMP/serve.err")" "not mailed"
assert_contains "and the rest is skipped, not waited for" "$(cat "$TMP/serve.err")" "unreachable"
stop_server
assert_eq "SIGTERM: the second server exits 0" 0 "$SERVER_RC"
finish
