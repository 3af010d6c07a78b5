#!/bin/sh
# The public site (src/publish.h): the seed, with project 8's one error corrected (its money is
# in quarter 1, so its period is made to start in ต.ค. 67), goes draft → submitted → checked →
# approved → published as version 1; version 2 is a revision approved but not published;
# version 3 a draft whose label (DRAFT-SECRET) must never be seen publicly. Over HTTP, without
# signing in: /public/ lists only version 1; every public URL of versions 2 and 3 is 404, also
# through path tricks (.., //, leading zeros, percent-encoding) and ?version=; the signed-in
# pages and the API do not hand them out either; every download has its content type and its
# format (PDF, XLSX zip, JSON, CSV, SVG, Atom); the pages carry no script and no inline style.
# Then `phaen publish --static DIR` writes the same site: the text files are byte for byte
# what the server sends, every relative link of every page resolves inside DIR, no trace of
# versions 2 and 3, a second run replaces the first, and a directory of other files is refused.
. tests/e2e/lib.sh

need curl "$PYTHON"

PW=publish-test-password-1
SECRET=DRAFT-SECRET


# ---- a published version, an approved one, a draft ---------------------------------------------

sed '104s/ก\.พ\. - ก\.ย\. 68/ต.ค. 67 - ก.ย. 68/' "$SAMPLE" >"$TMP/fixed.txt"
assert_ne "line 104 (project 8) was corrected" "$(sed -n 104p "$SAMPLE")" "$(sed -n 104p "$TMP/fixed.txt")"
expect_exit "import the corrected seed" 0 "$PHAEN" --db "$DB" import "$TMP/fixed.txt"
expect_exit "the corrected seed has no error findings" 0 "$PHAEN" --db "$DB" check
for u in "pat planner Planner" "rev reviewer Reviewer" "hed approver Head"; do
    # shellcheck disable=SC2086 # split the login, role and name on purpose
    set -- $u
    expect_exit "user add $1" 0 env PHAEN_PASSWORD=$PW "$PHAEN" --db "$DB" user add "$1" "$2" "$3"
done
expect_exit "submit version 1" 0 "$PHAEN" --db "$DB" submit --as pat --version 1
expect_exit "review version 1" 0 "$PHAEN" --db "$DB" review --as rev --version 1
expect_exit "approve version 1" 0 "$PHAEN" --db "$DB" approve --as hed --version 1
expect_exit "publish version 1" 0 "$PHAEN" --db "$DB" publish --as pat --version 1
expect_exit "revision 2 from version 1" 0 "$PHAEN" --db "$DB" revision --from 1 --reason "ปรับ"
expect_exit "submit version 2" 0 "$PHAEN" --db "$DB" submit --as pat --version 2
expect_exit "review version 2" 0 "$PHAEN" --db "$DB" review --as rev --version 2
expect_exit "approve version 2 (not published)" 0 "$PHAEN" --db "$DB" approve --as hed --version 2
expect_exit "a draft, version 3" 0 "$PHAEN" --db "$DB" revision --from 1 --label "ฉบับร่าง $SECRET" --reason "ร่าง"
ph versions
assert_contains "version 1 is published" "$OUT" "published"
assert_contains "version 2 is approved" "$(printf '%s\n' "$OUT" | grep '^2 ')" "approved"
assert_contains "version 3 is a draft" "$(printf '%s\n' "$OUT" | grep '^3 ')" "draft"

# ---- the server -------------------------------------------------------------------------------------

serve --quiet

# get PATH [curl args...] — the body goes to $TMP/resp, the status to $STATUS, the type to $CTYPE,
# the redirect target to $LOCATION. Paths are sent as written (--path-as-is).
get() {
    _p=$1
    shift
    curl -s --path-as-is -o "$TMP/resp" -w '%{http_code}\n%{content_type}\n%{redirect_url}\n' \
        "$@" "$BASE$_p" >"$TMP/meta"
    STATUS=$(sed -n 1p "$TMP/meta")
    CTYPE=$(sed -n 2p "$TMP/meta")
    LOCATION=$(sed -n 3p "$TMP/meta")
}

get /public
assert_eq "/public redirects" 303 "$STATUS"
assert_eq "/public redirects to /public/" "$BASE/public/" "$LOCATION"
get /public/
assert_eq "/public/ without signing in: 200" 200 "$STATUS"
assert_eq "/public/ is HTML" "text/html; charset=utf-8" "$CTYPE"
INDEX=$(cat "$TMP/resp")
assert_contains "/public/ is Thai" "$INDEX" '<html lang="th">'
assert_contains "/public/ lists version 1" "$INDEX" 'href="versions/1/"'
assert_not_contains "/public/ does not list version 2" "$INDEX" "versions/2/"
assert_not_contains "/public/ does not list version 3" "$INDEX" "versions/3/"
assert_not_contains "/public/ has no trace of the draft" "$INDEX" "$SECRET"
assert_contains "/public/ groups by fiscal year" "$INDEX" "ปีงบประมาณ พ.ศ. 2568"
assert_contains "/public/ shows the budget" "$INDEX" "546,200"
assert_contains "/public/ says when it was published" "$INDEX" "<time datetime="
get /public/index.html
assert_eq "/public/index.html is the same page" "$INDEX" "$(cat "$TMP/resp")"
get "/public/?version=3"
assert_eq "/public/?version=3 is still the public index" "$INDEX" "$(cat "$TMP/resp")"
curl -s -D "$TMP/headers" -o /dev/null "$BASE/public/"
assert_contains "public pages keep the CSP" "$(cat "$TMP/headers")" "script-src 'self'"

get /public/versions/1
assert_eq "/public/versions/1 redirects" 303 "$STATUS"
assert_eq "… to the page with its slash" "$BASE/public/versions/1/" "$LOCATION"
get /public/versions/1/
assert_eq "version 1's page: 200" 200 "$STATUS"
PAGE=$(cat "$TMP/resp")
assert_contains "version 1's page has the plan table" "$PAGE" '<th colspan="7">ความสอดคล้อง</th>'
assert_contains "… with all 21 projects" "$PAGE" "รวมทั้งสิ้น (21 โครงการ)"
assert_contains "… and the summary chart as an image" "$PAGE" '<img src="summary.svg"'
assert_contains "… and the data package" "$PAGE" 'href="datapackage.json"'
for page in "$INDEX" "$PAGE"; do
    assert_not_contains "no script in public pages" "$page" "<script"
    assert_not_contains "no inline style in public pages" "$page" "style="
    assert_not_contains "no links into the signed-in application" "$page" 'href="/'
done

# a browser gets the page in gzip (the same bytes decoded); a PDF goes as it is (it is compressed)
gz_get() { # gz_get PATH NAME: raw gzip-asked answer in $TMP/NAME.b, headers in $TMP/NAME.h
    curl -s --path-as-is -H 'Accept-Encoding: gzip, deflate, br, zstd' -D "$TMP/$2.h" \
        -o "$TMP/$2.b" "$BASE$1"
    tr -d '\r' <"$TMP/$2.h" | awk 'tolower($0) ~ /^content-encoding:/ { print $2 }' >"$TMP/$2.enc"
}
gz_get /public/versions/1/ pubgz
assert_eq "version 1's page, Accept-Encoding gzip: gzip" gzip "$(cat "$TMP/pubgz.enc")"
assert_eq "... decodes to the same page" "$PAGE" "$(gzip -dc <"$TMP/pubgz.b")"
gz_get /public/versions/1/plan.pdf pubpdf
assert_eq "plan.pdf, Accept-Encoding gzip: sent as it is" "" "$(cat "$TMP/pubpdf.enc")"
assert_eq "... a PDF" "%PDF-" "$(head -c 5 "$TMP/pubpdf.b")"
gz_get /static/style.css cssgz
assert_eq "the stylesheet in gzip" gzip "$(cat "$TMP/cssgz.enc")"
get /static/style.css
assert_eq "... decodes to the stylesheet" "$(cat "$TMP/resp")" "$(gzip -dc <"$TMP/cssgz.b")"
assert_contains "... which is the stylesheet" "$(cat "$TMP/resp")" "font-family"

# ---- drafts and approved-but-unpublished versions are never public ----------------------------------

for v in 2 3; do
    for f in "" index.html plan.pdf memo.pdf summary.pdf summary.svg plan.xlsx plan.csv plan.json \
        datapackage.json budget.csv; do
        get "/public/versions/$v/$f"
        assert_eq "version $v: /public/versions/$v/$f is 404" 404 "$STATUS"
        assert_not_contains "version $v: /public/versions/$v/$f shows nothing of it" "$(cat "$TMP/resp")" "$SECRET"
    done
    for p in "/public/versions/$v" "/public/versions/0$v/" "/public/versions/1/../$v/" \
        "/public/versions/1/../$v/plan.json" "/public/versions/../versions/$v/" \
        "/public//versions/$v/" "/public/versions/$v//plan.json" "/public/versions/%3$v/" \
        "/public/versions/$v%2Fplan.json" "/public/versions/$v/plan.json/" \
        "/public/versions/+$v/" "/public/versions/$v.0/" "/public/versions/$v%00/" \
        "/public/../plan?version=$v" "/public/./versions/$v/" "/public/versions/%20$v/" \
        "/public/../" "/public/../public/versions/$v/" "/public/%2e%2e/versions/$v/" \
        "/public/versions/$v?version=1" "/public/versions/$v/?version=1"; do
        get "$p"
        assert_eq "path trick $p is 404" 404 "$STATUS"
    done
    get "/public/versions/1/plan.json?version=$v"
    assert_eq "?version=$v on version 1's JSON: still version 1" 200 "$STATUS"
    assert_eq "?version=$v: the revision in it is version 1's" 1 "$(json "$TMP/resp" 'd["revision"]')"
    # the signed-in parts do not hand it out without signing in either
    get "/plan?version=$v"
    assert_eq "/plan?version=$v without signing in redirects to sign-in" "$BASE/signin" "$LOCATION"
    get "/export/plan.json?version=$v"
    assert_ne "/export/plan.json?version=$v without signing in is not served" 200 "$STATUS"
    assert_not_contains "/export/plan.json?version=$v shows nothing of it" "$(cat "$TMP/resp")" "$SECRET"
    get "/api/v1/plans/$v"
    assert_eq "/api/v1/plans/$v without a token is 401" 401 "$STATUS"
done
get "/public/versions/999/"
assert_eq "a version that does not exist is the same 404" 404 "$STATUS"
get "/public/static/app.js"
assert_eq "no script is published" 404 "$STATUS"
get "/public/versions/1/app.js"
assert_eq "an unknown file of version 1 is 404" 404 "$STATUS"
get /public/ -X POST
assert_eq "POST /public/ is not allowed" 405 "$STATUS"

# ---- downloads ------------------------------------------------------------------------------------------

# magic FILE — the first bytes, as text
magic() {
    head -c "$2" "$1"
}
while read -r f ctype head; do
    get "/public/versions/1/$f"
    assert_eq "$f: 200" 200 "$STATUS"
    assert_eq "$f: Content-Type" "$ctype" "$(printf '%s' "$CTYPE" | tr -d ' ')"
    cp "$TMP/resp" "$TMP/dl-$f"
    if [ "$head" != - ]; then
        assert_eq "$f: starts as its format does" "$head" "$(magic "$TMP/resp" ${#head})"
    fi
done <<'EOF'
plan.pdf application/pdf %PDF-
memo.pdf application/pdf %PDF-
summary.pdf application/pdf %PDF-
summary.svg image/svg+xml <?xml
plan.xlsx application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK
plan.csv text/csv;charset=utf-8 -
plan.json application/json;charset=utf-8 {
datapackage.json application/json;charset=utf-8 {
budget.csv text/csv;charset=utf-8 fiscal_year_be,
EOF
curl -s -o /dev/null -I -w '%{http_code}' "$BASE/public/versions/1/plan.pdf" >"$TMP/head"
assert_eq "HEAD plan.pdf: 200" 200 "$(cat "$TMP/head")"
get /public/feed.atom
assert_eq "feed.atom: 200" 200 "$STATUS"
assert_eq "feed.atom: Content-Type" "application/atom+xml; charset=utf-8" "$CTYPE"
cp "$TMP/resp" "$TMP/dl-feed.atom"
assert_eq "feed.atom: one entry, for version 1" "1 versions/1/" "$("$PYTHON" -c '
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
f = ET.parse(sys.argv[1]).getroot()
assert f.tag == A + "feed", f.tag
for k in ("id", "title", "updated"):
    assert (f.findtext(A + k) or "").strip(), k
assert any(l.get("rel") == "self" for l in f.findall(A + "link")), "self"
es = f.findall(A + "entry")
for e in es:
    for k in ("id", "title", "updated", "summary"):
        assert (e.findtext(A + k) or "").strip(), k
print(len(es), " ".join(l.get("href") for e in es for l in e.findall(A + "link") if l.get("rel", "alternate") == "alternate"))
' "$TMP/resp" 2>&1)"
assert_not_contains "feed.atom: nothing of the draft" "$(cat "$TMP/resp")" "$SECRET"
get /public/static/style.css
assert_eq "style.css: 200" 200 "$STATUS"
assert_eq "style.css: Content-Type" "text/css; charset=utf-8" "$CTYPE"
assert_eq "plan.json is the published version's" "[1,21]" "$(json "$TMP/dl-plan.json" '[d["revision"], len(d["projects"])]')"
assert_eq "datapackage.json: a fiscal data package of budget.csv, in THB" \
    '["fiscal-data-package","budget.csv","text/csv","utf-8","THB","adjusted"]' \
    "$(json "$TMP/dl-datapackage.json" '[d["profile"], d["resources"][0]["path"], d["resources"][0]["mediatype"], d["resources"][0]["encoding"], d["model"]["measures"]["budget_planned"]["currency"], d["budgetStage"]]')"
assert_eq "budget.csv: the declared fields, 21 rows, the plan's total in baht" "ok 21 546200.00" "$("$PYTHON" -c '
import csv, json, sys
dp = json.load(open(sys.argv[1], encoding="utf-8"))
names = [f["name"] for f in dp["resources"][0]["schema"]["fields"]]
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
assert rows[0] == names, rows[0]
i = names.index("budget_planned")
total = sum(int(r[i].replace(".", "")) for r in rows[1:])
print("ok", len(rows) - 1, "%d.%02d" % divmod(total, 100))
' "$TMP/dl-datapackage.json" "$TMP/dl-budget.csv" 2>&1)"
assert_not_contains "nothing of the draft in any download" "$(cat "$TMP"/dl-*.csv "$TMP"/dl-*.json)" "$SECRET"

# ---- the static site ----------------------------------------------------------------------------------

SITE=$TMP/site
ph publish --static "$SITE"
assert_eq "publish --static: exit 0" 0 "$RC"
for f in index.html feed.atom static/style.css versions/1/index.html versions/1/plan.pdf \
    versions/1/memo.pdf versions/1/summary.pdf versions/1/summary.svg versions/1/plan.xlsx \
    versions/1/plan.csv versions/1/plan.json versions/1/datapackage.json versions/1/budget.csv; do
    if [ ! -s "$SITE/$f" ]; then
        fail "publish --static: $f is missing or empty"
    fi
done
for d in versions/2 versions/3; do
    assert_eq "publish --static: no $d" no "$([ -e "$SITE/$d" ] && echo yes || echo no)"
done
assert_eq "publish --static: no trace of the draft" "" "$(grep -rl "$SECRET" "$SITE" 2>/dev/null)"
# the same site: the text files are byte for byte what the server sends
for f in index.html:/public/ feed.atom:/public/feed.atom static/style.css:/public/static/style.css \
    versions/1/index.html:/public/versions/1/ versions/1/plan.csv:/public/versions/1/plan.csv \
    versions/1/plan.json:/public/versions/1/plan.json \
    versions/1/datapackage.json:/public/versions/1/datapackage.json \
    versions/1/budget.csv:/public/versions/1/budget.csv \
    versions/1/summary.svg:/public/versions/1/summary.svg; do
    get "${f#*:}"
    if cmp -s "$TMP/resp" "$SITE/${f%%:*}"; then same=same; else same=differ; fi
    assert_eq "static ${f%%:*} = server ${f#*:}" same "$same"
done
for f in plan.pdf memo.pdf summary.pdf; do
    assert_eq "static $f is a PDF" "%PDF-" "$(magic "$SITE/versions/1/$f" 5)"
done
assert_eq "static plan.xlsx is a zip" PK "$(magic "$SITE/versions/1/plan.xlsx" 2)"
# every relative link resolves inside the site (so it works from any host and any folder)
assert_eq "static: every href/src resolves" ok "$("$PYTHON" -c '
import os, re, sys
root = sys.argv[1]
bad = []
for dp, dn, fn in os.walk(root):
    for n in fn:
        if not n.endswith(".html"):
            continue
        page = os.path.join(dp, n)
        for ref in re.findall(r"(?:href|src)=\"([^\"]*)\"", open(page, encoding="utf-8").read()):
            if ref.startswith("#") or ref == "data:,":  # the empty icon: no request at all
                continue
            if re.match(r"^[a-z]+:|^/", ref):
                bad.append("%s: absolute %s" % (page, ref))
                continue
            t = os.path.normpath(os.path.join(dp, ref.split("#")[0]))
            if os.path.isdir(t):
                t = os.path.join(t, "index.html")
            if not t.startswith(os.path.abspath(root)) or not os.path.isfile(t):
                bad.append("%s: %s" % (page, ref))
print("ok" if not bad else "; ".join(bad[:5]))
' "$(cd "$SITE" 2>/dev/null && pwd)" 2>&1)"

ph publish --static "$SITE"
assert_eq "publish --static again: replaces its own site" 0 "$RC"
get /public/versions/1/
if cmp -s "$TMP/resp" "$SITE/versions/1/index.html"; then same=same; else same=differ; fi
assert_eq "… with the same pages" same "$same"
assert_eq "no temporary directories left beside it" "" "$(ls -d "$SITE".* 2>/dev/null)"
mkdir "$TMP/other" && echo mine >"$TMP/other/keep.txt"
ph publish --static "$TMP/other"
assert_eq "publish --static into a directory of other files: exit 2" 2 "$RC"
assert_eq "… which is left alone" mine "$(cat "$TMP/other/keep.txt")"

# ---- stopping ----------------------------------------------------------------------------

stop_server
assert_eq "SIGTERM: the server exits 0" 0 "$SERVER_RC"
finish
