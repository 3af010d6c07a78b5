#!/bin/sh
# The JSON API under /api/v1/ (docs/openapi.yaml), driven with curl against
# `phaen serve` on a free port, over a fresh database holding the seed:
# 401 without a token; a token from POST /api/v1/session; GET /api/v1/plans/{id}
# is the same JSON as `phaen export --format json`; the project list has the
# export's project shape plus id and row_version, and filters by unit, issue and
# Thai words; a unit editor updates a project of their unit (budget and quarters,
# audited, row_version + 1, and the quarters-sum finding appears when the quarters
# no longer add up), but not another unit's project nor moves one away (403);
# a stale row_version is a 409 carrying both versions; a viewer cannot write;
# unknown fields, wrong types, malformed JSON and bad UTF-8 are 400; a body over
# --max-body is 413; every error is {"error":{status,message_th,message_en}}; a
# whole project sent back unchanged except for its period keeps every other cell;
# the server stops cleanly on SIGTERM.
. tests/e2e/lib.sh

need curl "$PYTHON"

NITHET="กลุ่มนิเทศ ติดตามและประเมินผล"
PW=api-test-password-1


import_seed
for u in "pat planner Planner" "vic viewer Viewer"; do
    # shellcheck disable=SC2086 # split the login, role and name on purpose
    set -- $u
    expect_exit "user add $1" 0 env PHAEN_PASSWORD=$PW "$PHAEN" --db "$DB" user add "$1" "$2" "$3"
done
expect_exit "user add ned (unit editor of $NITHET)" 0 env PHAEN_PASSWORD=$PW \
    "$PHAEN" --db "$DB" user add ned unit_editor "Ned" "$NITHET"

# The CLI's export, read before the server starts.
ph export --format json --out "$TMP/cli.json"
assert_eq "CLI export exit" 0 "$RC"

serve --quiet --max-body 64K

# api METHOD PATH TOKEN [BODY_FILE [curl args...]] — the response goes to
# $TMP/resp, its status to $STATUS.
api() {
    _m=$1 _p=$2 _t=$3
    shift 3
    _body=
    if [ $# -gt 0 ]; then
        _body=$1
        shift
    fi
    set -- -s -o "$TMP/resp" -w '%{http_code}' -X "$_m" "$@"
    [ -n "$_t" ] && set -- "$@" -H "Authorization: Bearer $_t"
    [ -n "$_body" ] && set -- "$@" -H "Content-Type: application/json" --data-binary "@$_body"
    STATUS=$(curl "$@" "$BASE$_p")
}

# j EXPR — EXPR over the last response ($TMP/resp) as `d`.
j() {
    json "$TMP/resp" "$1"
}

# An error response: the status and the {"error":{...}} body.
assert_error() {
    assert_eq "$1: status" "$2" "$STATUS"
    assert_eq "$1: JSON error body" "[$2,true,true]" \
        "$(j '[d["error"]["status"], bool(d["error"]["message_th"]), bool(d["error"]["message_en"])]')"
}

# body FILE PYTHON-EXPR — write the JSON value of EXPR to FILE.
body() {
    "$PYTHON" -c 'import json,sys; open(sys.argv[1],"w",encoding="utf-8").write(json.dumps(eval(sys.argv[2]),ensure_ascii=False))' "$1" "$2"
}

# ---- sign-in -----------------------------------------------------------------------

api GET /api/v1/plans ""
assert_error "no token: 401" 401
api GET /api/v1/projects/1 "" "" -H "Authorization: Bearer $(printf '%064d' 0)"
assert_error "a made-up token: 401" 401

# login LOGIN — POST /api/v1/session; the token goes to $TOKEN.
login() {
    body "$TMP/login.json" "{'login': '$1', 'password': '$PW'}"
    api POST /api/v1/session "" "$TMP/login.json"
    assert_eq "session for $1: 201" 201 "$STATUS"
    TOKEN=$(j 'd["token"]' | tr -d '"')
}
login ned
NED=$TOKEN
login vic
VIC=$TOKEN
login pat
PAT=$TOKEN
body "$TMP/login.json" "{'login': 'ned', 'password': 'wrong'}"
api POST /api/v1/session "" "$TMP/login.json"
assert_error "a wrong password: 401" 401
assert_eq "a token is 64 hex digits" 64 "$(printf '%s' "$NED" | tr -cd '0-9a-f' | wc -c | tr -d ' ')"

# ---- reading -----------------------------------------------------------------------

api GET /api/v1/plans "$VIC"
assert_eq "plans: 200" 200 "$STATUS"
assert_eq "plans: one version of FY2568, 21 projects, 546,200 baht, a draft" \
    '[1,2568,21,54620000,"draft"]' \
    "$(j '[len(d), d[0]["fiscal_year"], d[0]["projects"], d[0]["budget_satang"], d[0]["status"]]')"
assert_eq "plans: the listed keys" \
    '["budget_satang","created","fiscal_year","id","label","projects","revision","status"]' \
    "$(j 'sorted(d[0])')"
VID=$(j 'd[0]["id"]')

# same_json A B [DROP...] — A and B parse to equal JSON once the top-level keys DROP are removed.
same_json() {
    "$PYTHON" -c '
import json, sys
a, b = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
for k in sys.argv[3:]:
    a.pop(k, None); b.pop(k, None)
print("same" if a == b else "differ: " + ", ".join(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))))
' "$@" 2>&1
}

api GET "/api/v1/plans/$VID" "$VIC"
assert_eq "plan: 200" 200 "$STATUS"
cp "$TMP/resp" "$TMP/api-plan.json"
assert_eq "GET /api/v1/plans/$VID is the CLI's export --format json" same \
    "$(same_json "$TMP/api-plan.json" "$TMP/cli.json")"
api GET /api/v1/plans/999 "$VIC"
assert_error "an unknown version: 404" 404
api GET /api/v1/plans/abc "$VIC"
assert_error "a version id that is no number: 404" 404

api GET /api/v1/projects "$VIC"
assert_eq "projects: 200" 200 "$STATUS"
cp "$TMP/resp" "$TMP/projects.json"
assert_eq "projects: all 21, of the latest version" "[21,$VID]" "$(j '[len(d["projects"]), d["version"]]')"
assert_eq "projects: the export's project objects plus id and row_version" same "$("$PYTHON" -c '
import json, sys
api = json.load(open(sys.argv[1], encoding="utf-8"))["projects"]
cli = json.load(open(sys.argv[2], encoding="utf-8"))["projects"]
bad = [p["no"] for p, c in zip(api, cli)
       if {k: v for k, v in p.items() if k not in ("id", "row_version")} != c
       or not isinstance(p["id"], int) or p["row_version"] < 1]
print("same" if len(api) == len(cli) and not bad else "differ: %s" % bad)
' "$TMP/projects.json" "$TMP/cli.json" 2>&1)"
ID12=$(json "$TMP/projects.json" '[p["id"] for p in d["projects"] if p["no"] == 12][0]')
ID2=$(json "$TMP/projects.json" '[p["id"] for p in d["projects"] if p["no"] == 2][0]')
RV12=$(json "$TMP/projects.json" '[p["row_version"] for p in d["projects"] if p["no"] == 12][0]')
assert_eq "project 12 is $NITHET's" "\"$NITHET\"" \
    "$(json "$TMP/projects.json" '[p["unit"] for p in d["projects"] if p["no"] == 12][0]')"

api GET /api/v1/projects "$VIC" "" -G --data-urlencode "unit=$NITHET"
assert_eq "?unit=: 200" 200 "$STATUS"
assert_eq "?unit=: only $NITHET's projects, 12 among them" '[true,true]' \
    "$(j '[all(p["unit"] == "'"$NITHET"'" for p in d["projects"]), 12 in [p["no"] for p in d["projects"]]]')"
api GET /api/v1/projects "$VIC" "" -G --data-urlencode "issue=3"
assert_eq "?issue=3: only strategic issue 3, some of them" '[true,true]' \
    "$(j '[all(p["strategic_issue"] == 3 for p in d["projects"]), len(d["projects"]) > 0]')"
api GET /api/v1/projects "$VIC" "" -G --data-urlencode "q=คณิตศาสตร์"
assert_eq "?q=คณิตศาสตร์ (a Thai word): project 12 found, not all 21" '[true,true]' \
    "$(j '[12 in [p["no"] for p in d["projects"]], len(d["projects"]) < 21]')"
api GET /api/v1/projects "$VIC" "" -G --data-urlencode "issue=three"
assert_error "?issue=three: 400" 400
api GET /api/v1/projects "$VIC" "" -G --data-urlencode "unti=x"
assert_error "a misspelt filter (?unti=): 400" 400
assert_contains "the 400 names the parameter" "$(j 'd["error"]["message_en"]')" "unti"

api GET "/api/v1/projects/$ID2" "$VIC"
cp "$TMP/resp" "$TMP/p2-before.json"
api GET "/api/v1/projects/$ID12" "$VIC"
assert_eq "project 12: 200" 200 "$STATUS"
assert_eq "project 12: {project, findings} with its id and row_version" "[12,$ID12,$RV12,true]" \
    "$(j '[d["project"]["no"], d["project"]["id"], d["project"]["row_version"], all(f["project"] == 12 for f in d["findings"])]')"
assert_eq "project 12 starts without a quarters-sum finding" '[]' \
    "$(j '[f for f in d["findings"] if f["rule"] == "quarters-sum"]')"
api GET /api/v1/projects/999999 "$VIC"
assert_error "an unknown project: 404" 404

api GET /api/v1/findings "$VIC"
assert_eq "findings: the export's findings" "$(json "$TMP/cli.json" 'd["findings"]')" "$(j 'd')"
api GET /api/v1/units "$VIC"
assert_eq "units: $NITHET is registered" true "$(j 'any(u["name"] == "'"$NITHET"'" for u in d)')"
api GET /api/v1/reference/master_plan "$VIC"
assert_eq "reference/master_plan: 200" 200 "$STATUS"
assert_eq "reference/master_plan: the list, items with codes" '["master_plan",true]' \
    "$(j '[d["list"], len(d["items"]) > 0 and all(i["code"] for i in d["items"])]')"
api GET /api/v1/reference/nope "$VIC"
assert_error "an unknown reference list: 404" 404
api GET /api/v1/nothing-here "$VIC"
assert_error "an unknown API path: 404" 404
api DELETE "/api/v1/projects/$ID12" "$PAT"
assert_error "DELETE a project: 405" 405
api POST /api/v1/plans "$PAT"
assert_error "POST /api/v1/plans: 405" 405

# ---- writing ---------------------------------------------------------------------------

# Project 12 by its unit's editor: 90,000 baht, quarters adding up to 30,000.
body "$TMP/put12.json" "{'row_version': $RV12, 'budget_satang': 9000000, 'quarters_satang': [0, 1000000, 1000000, 1000000]}"
api PUT "/api/v1/projects/$ID12" "$NED" "$TMP/put12.json"
assert_eq "unit editor PUT of their project 12: 200" 200 "$STATUS"
assert_eq "the new project: budget, quarters, row_version + 1" \
    "[9000000,[0,1000000,1000000,1000000],$((RV12 + 1))]" \
    "$(j '[d["project"]["budget_satang"], d["project"]["quarters_satang"], d["project"]["row_version"]]')"
assert_eq "the quarters no longer add up: a quarters-sum error on project 12" '[["error",12,"quarters"]]' \
    "$(j '[[f["severity"], f["project"], f["field"]] for f in d["findings"] if f["rule"] == "quarters-sum"]')"
api GET "/api/v1/projects/$ID12" "$VIC"
assert_eq "GET after the PUT: stored" "[9000000,$((RV12 + 1))]" \
    "$(j '[d["project"]["budget_satang"], d["project"]["row_version"]]')"
api GET /api/v1/findings "$VIC"
assert_eq "GET /api/v1/findings: quarters-sum on project 12" '[12]' \
    "$(j '[f["project"] for f in d if f["rule"] == "quarters-sum"]')"
assert_eq "the audit log: one project.update by ned, old and new budgets" \
    '[["ned",8640000,9000000]]' "$("$PYTHON" -c '
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT user_login, old_value, new_value FROM audit_log WHERE action = ?", ("project.update",)).fetchall()
print(json.dumps([[u, json.loads(o)["budget_satang"], json.loads(n)["budget_satang"]] for u, o, n in rows]))
' "$DB" 2>&1 | tr -d ' ')"

# The plan as the API gives it is still the CLI's export, findings included.
ph export --format json --out "$TMP/cli2.json"
api GET "/api/v1/plans/$VID" "$VIC"
assert_eq "after the PUT, GET /api/v1/plans/$VID is still the CLI's export" same \
    "$(same_json "$TMP/resp" "$TMP/cli2.json")"

# A stale row_version: 409 with what is stored and what was sent.
body "$TMP/stale.json" "{'row_version': $RV12, 'budget_satang': 100}"
api PUT "/api/v1/projects/$ID12" "$NED" "$TMP/stale.json"
assert_error "stale row_version: 409" 409
assert_eq "409: current is the stored project, yours what was sent" \
    "[$ID12,$((RV12 + 1)),9000000,100,$RV12]" \
    "$(j '[d["current"]["id"], d["current"]["row_version"], d["current"]["budget_satang"], d["yours"]["budget_satang"], d["yours"]["row_version"]]')"
api GET "/api/v1/projects/$ID12" "$VIC"
assert_eq "409: nothing written" 9000000 "$(j 'd["project"]["budget_satang"]')"
RV12=$((RV12 + 1))

# Another unit's project, a move away, a viewer.
RV2=$(json "$TMP/p2-before.json" 'd["project"]["row_version"]')
assert_eq "project 2 is กลุ่มอำนวยการ's" '"กลุ่มอำนวยการ"' "$(json "$TMP/p2-before.json" 'd["project"]["unit"]')"
body "$TMP/put2.json" "{'row_version': $RV2, 'budget_satang': 1}"
api PUT "/api/v1/projects/$ID2" "$NED" "$TMP/put2.json"
assert_error "unit editor PUT of another unit's project 2: 403" 403
body "$TMP/move.json" "{'row_version': $RV12, 'unit': 'กลุ่มอำนวยการ'}"
api PUT "/api/v1/projects/$ID12" "$NED" "$TMP/move.json"
assert_error "unit editor moving project 12 to another unit: 403" 403
api PUT "/api/v1/projects/$ID12" "$VIC" "$TMP/put12.json"
assert_error "viewer PUT: 403" 403
api GET "/api/v1/projects/$ID2" "$VIC"
assert_eq "project 2 unchanged" same "$(same_json "$TMP/resp" "$TMP/p2-before.json")"

# Bad bodies: 400 naming what is wrong; nothing written.
bad() {
    printf '%s' "$2" >"$TMP/bad.json"
    api PUT "/api/v1/projects/$ID12" "$PAT" "$TMP/bad.json"
    assert_error "$1: 400" 400
    [ -n "${3:-}" ] && assert_contains "$1: the message names it" "$(j 'd["error"]["message_en"]')" "$3"
    return 0
}
bad "an unknown field" "{\"row_version\": $RV12, \"budgett\": 1}" budgett
bad "an unknown field inside period" "{\"row_version\": $RV12, \"period\": {\"txt\": \"x\"}}" period.txt
bad "an unknown alignment list" "{\"row_version\": $RV12, \"alignment\": {\"moe\": [\"3\"]}}" alignment.moe
bad "malformed JSON" "{\"row_version\": $RV12, \"budget_satang\": 1" JSON
bad "not an object" "[1, 2]"
bad "an empty body" ""
bad "no row_version" '{"budget_satang": 1}' row_version
bad "budget as a string" "{\"row_version\": $RV12, \"budget_satang\": \"6,330\"}" budget_satang
bad "budget with satang fractions" "{\"row_version\": $RV12, \"budget_satang\": 1.5}" budget_satang
bad "a negative budget" "{\"row_version\": $RV12, \"budget_satang\": -1}" budget_satang
bad "three quarters" "{\"row_version\": $RV12, \"quarters_satang\": [1, 2, 3]}" quarters_satang
bad "an unregistered unit" "{\"row_version\": $RV12, \"unit\": \"กลุ่มที่ไม่มี\"}" unit
bad "an unreadable period" "{\"row_version\": $RV12, \"period\": {\"text\": \"เร็ว ๆ นี้\"}}" period
bad "a malformed master plan code" "{\"row_version\": $RV12, \"alignment\": {\"master_plan\": [\"12a\"]}}" master_plan
bad "a duplicate key" "{\"row_version\": $RV12, \"no\": 1, \"no\": 2}"
long=$("$PYTHON" -c 'print("ก" * 3000)')
bad "an unknown field with a long Thai name (quoted, cut to whole characters)" "{\"$long\": 1}" "unknown field"
bad "a long unreadable period" "{\"row_version\": $RV12, \"period\": {\"text\": \"$long\"}}" period.text
printf '{"row_version": %s, "name": "\377\376"}' "$RV12" >"$TMP/bad.json"
api PUT "/api/v1/projects/$ID12" "$PAT" "$TMP/bad.json"
assert_error "a body that is not UTF-8: 400" 400
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("{\"name\": \"" + "ก" * 35000 + "\"}")' "$TMP/big.json"
api PUT "/api/v1/projects/$ID12" "$PAT" "$TMP/big.json"
assert_error "a 100 KB body over --max-body 64K: 413" 413
api GET "/api/v1/projects/$ID12" "$VIC"
assert_eq "bad bodies: nothing written" "[9000000,$RV12]" \
    "$(j '[d["project"]["budget_satang"], d["project"]["row_version"]]')"

# The planner sends the whole project back with a new period text: the period is
# re-read in the plan's fiscal year, and every other cell stays as it was.
cp "$TMP/resp" "$TMP/p12.json"
"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))["project"]
d["period"]["text"] = "ม.ค. - ก.พ. 68"
d["alignment"]["master_plan"] = ["1"]
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
' "$TMP/p12.json" "$TMP/round.json"
api PUT "/api/v1/projects/$ID12" "$PAT" "$TMP/round.json"
assert_eq "planner round trip: 200" 200 "$STATUS"
assert_eq "the period text is parsed in FY2568; master plan 1 becomes 01" \
    '["2025-01-01","2025-02-28",["01"],"1"]' \
    "$(j '[d["project"]["period"]["start"], d["project"]["period"]["end"], d["project"]["alignment"]["master_plan"], d["project"]["alignment_text"]["master_plan"]]')"
assert_eq "round trip: every other field unchanged" same "$("$PYTHON" -c '
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))["project"]
b = json.load(open(sys.argv[2], encoding="utf-8"))["project"]
diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
print("same" if diff == ["alignment", "alignment_text", "period", "row_version"] else "differ: %s" % diff)
' "$TMP/p12.json" "$TMP/resp" 2>&1)"

# ---- stopping ----------------------------------------------------------------------------

stop_server
assert_eq "SIGTERM: the server exits 0" 0 "$SERVER_RC"
assert_contains "SIGTERM: it says it stopped cleanly" "$(cat "$TMP/serve.err")" "stopped cleanly"
finish
