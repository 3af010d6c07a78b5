#!/bin/sh
# bench/web.sh — the web server under load (second half of `make bench`):
# wrk on loopback against `phaen serve` for the signed-in plan page /plan and
# for /export/plan.json, next to nginx serving the same bytes from files, in
# the same run, on the same machine; then the server's resident memory.
#
#   BENCH_WEB_SECONDS=5 BENCH_WEB_ROUNDS=6 BENCH_WEB_CONNS=32 BENCH_WEB_THREADS=2 sh bench/web.sh
#
# Each round runs wrk against nginx and phaen in turn, so that both meet the
# same moments of a shared machine; which one goes first alternates by round.
# The table gives, per figure, the median over the rounds, and for p99 also in
# how many rounds phaen's was no worse. A single 10 s run's p99 moved by 2x
# between runs here, and the median of three still flipped the p99 verdicts
# from one run to the next: six rounds (8 targets x 6 x 5 s, 4 minutes).
#
# Each page is measured twice: as browsers ask for it (Accept-Encoding: gzip;
# nginx then serves the same gzip bytes from a .gz file beside the page, with
# gzip_static) and as wrk asks by default (no Accept-Encoding: the page as it
# is, which nginx sends from the file with sendfile(2)).
#
# Targets: /plan requests/s >= 0.5 x nginx's for the same page; p99 latency no
# worse than nginx's; the server's VmRSS after the run <= 50 MB (MB = 10^6
# bytes). The server runs with --quiet (nginx: access_log off) and its default
# thread pool; nginx with worker_processes 2. Everything lives in one temporary
# directory, removed on exit; both servers are stopped on exit.
set -eu

PHAEN=${PHAEN:-build/phaen}
SEED=${SEED:-data/samples/lampang-2568-rev1.txt}
SECS=${BENCH_WEB_SECONDS:-5}
ROUNDS=${BENCH_WEB_ROUNDS:-6}
CONNS=${BENCH_WEB_CONNS:-32}
THREADS=${BENCH_WEB_THREADS:-2}
NGINX=${NGINX:-/usr/sbin/nginx}

T_RATIO=0.5    # target: our requests/s over nginx's, at least
T_RSS_MB=50    # target: VmRSS after the run, MB

for t in wrk curl; do
    command -v "$t" >/dev/null 2>&1 || { echo "bench/web: $t is missing (scripts/deps.sh)" >&2; exit 2; }
done
[ -x "$NGINX" ] || { echo "bench/web: $NGINX is missing (nginx-light, scripts/deps.sh)" >&2; exit 2; }
[ -x "$PHAEN" ] || { echo "bench/web: $PHAEN not built (run make)" >&2; exit 2; }
[ -r "$SEED" ] || { echo "bench/web: no seed $SEED" >&2; exit 2; }
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/phaen-webbench.XXXXXX")
SPID=""
NPID=""
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null
    [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null
    # give both a moment to go, so that the directory is not in use
    i=0
    while [ "$i" -lt 50 ] && { { [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; } ||
        { [ -n "$NPID" ] && kill -0 "$NPID" 2>/dev/null; }; }; do
        sleep 0.1
        i=$((i + 1))
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$PYTHON" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
# wait_port PORT PATH: until an HTTP answer comes (5 s at most).
wait_port() {
    i=0
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1$2"; do
        i=$((i + 1))
        [ "$i" -lt 50 ] || return 1
        sleep 0.1
    done
}

# ---- our server, on a fresh database with the seed and one planner --------------------
cp "$PHAEN" "$tmp/phaen"
cp "$(dirname "$PHAEN")/phaen-ext.so" "$tmp/"
"$tmp/phaen" --db "$tmp/w.db" import "$SEED" >/dev/null
PHAEN_PASSWORD=bench-web-pw "$tmp/phaen" --db "$tmp/w.db" user add planner planner "Bench" >/dev/null
PORT=$(free_port)
"$tmp/phaen" --db "$tmp/w.db" serve --listen "127.0.0.1:$PORT" --quiet ${PHAEN_THREADS:+--threads $PHAEN_THREADS} 2>"$tmp/serve.log" &
SPID=$!
wait_port "$PORT" /signin || { echo "bench/web: the server did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT

curl -s -o /dev/null -D "$tmp/signin.h" --data 'login=planner&password=bench-web-pw' "$BASE/signin"
TOKEN=$(tr -d '\r' <"$tmp/signin.h" | sed -n 's/^[Ss]et-[Cc]ookie: phaen_session=\([^;]*\).*/\1/p')
[ -n "$TOKEN" ] || { echo "bench/web: sign-in failed" >&2; cat "$tmp/signin.h" >&2; exit 1; }
COOKIE="Cookie: phaen_session=$TOKEN"

# The bytes wrk will get: the second request of each (the first fills the page cache).
mkdir -p "$tmp/www"
for i in 1 2; do
    code=$(curl -s -o "$tmp/www/plan.html" -w '%{http_code}' -H "$COOKIE" "$BASE/plan")
done
[ "$code" = 200 ] || { echo "bench/web: GET /plan answered $code" >&2; exit 1; }
code=$(curl -s -o "$tmp/www/plan.json" -w '%{http_code}' -H "$COOKIE" "$BASE/export/plan.json")
[ "$code" = 200 ] || { echo "bench/web: GET /export/plan.json answered $code" >&2; exit 1; }
# and the gzip bytes a browser gets, kept as they came (curl without --compressed)
GZ="Accept-Encoding: gzip"
for f in plan.html:/plan plan.json:/export/plan.json; do
    code=$(curl -s -o "$tmp/www/${f%%:*}.gz" -D "$tmp/gz.h" -w '%{http_code}' -H "$COOKIE" -H "$GZ" "$BASE${f#*:}")
    { [ "$code" = 200 ] && tr -d '\r' <"$tmp/gz.h" | grep -qi '^content-encoding: gzip' &&
        gzip -dc <"$tmp/www/${f%%:*}.gz" | cmp -s - "$tmp/www/${f%%:*}"; } ||
        { echo "bench/web: GET ${f#*:} with $GZ: status $code, not the page in gzip" >&2; exit 1; }
done
# nginx's workers run as another user when started by root: let them read the files
chmod 755 "$tmp" "$tmp/www"
chmod 644 "$tmp/www/plan.html" "$tmp/www/plan.json" "$tmp/www/plan.html.gz" "$tmp/www/plan.json.gz"
plan_bytes=$(wc -c <"$tmp/www/plan.html" | tr -d ' ')
json_bytes=$(wc -c <"$tmp/www/plan.json" | tr -d ' ')
plan_gz_bytes=$(wc -c <"$tmp/www/plan.html.gz" | tr -d ' ')
json_gz_bytes=$(wc -c <"$tmp/www/plan.json.gz" | tr -d ' ')
plan_rows=$(grep -o '<tr id="p[0-9]*">' "$tmp/www/plan.html" | wc -l | tr -d ' ')

# ---- nginx, serving those bytes from files, the same headers -------------------------------
NPORT=$(free_port)
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/tmp"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    gzip_static on;
    gzip_vary on;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/tmp/body;
    proxy_temp_path $tmp/nginx/tmp/proxy;
    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
    scgi_temp_path $tmp/nginx/tmp/scgi;
    types { text/html html; application/json json; }
    server {
        listen 127.0.0.1:$NPORT;
        root $tmp/www;
        add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy same-origin;
        add_header X-Frame-Options DENY;
        location / { }
    }
}
EOF
"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/logs/error.log" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
NPID=$!
wait_port "$NPORT" /plan.html || { echo "bench/web: nginx did not start" >&2; cat "$tmp/nginx/logs/error.log" >&2; exit 1; }
code=$(curl -s -o "$tmp/n.html" -w '%{http_code}' "http://127.0.0.1:$NPORT/plan.html")
ncode=$(curl -s -o "$tmp/n.gz" -w '%{http_code}' -H "$GZ" "http://127.0.0.1:$NPORT/plan.html")
if [ "$code" != 200 ] || ! cmp -s "$tmp/n.html" "$tmp/www/plan.html" ||
    [ "$ncode" != 200 ] || ! cmp -s "$tmp/n.gz" "$tmp/www/plan.html.gz"; then
    echo "bench/web: nginx does not serve the page and its gzip bytes (status $code, $ncode)" >&2
    cat "$tmp/nginx/logs/error.log" >&2
    exit 1
fi

# ---- wrk -------------------------------------------------------------------------------------
# bench NAME URL [wrk args]: run wrk; keep its output in $tmp/NAME.ROUND.wrk.
bench() {
    name=$1 url=$2
    shift 2
    echo "bench/web: round $round/$ROUNDS: $name: wrk -t$THREADS -c$CONNS -d${SECS}s $url" >&2
    wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" >"$tmp/$name.$round.wrk" 2>&1 ||
        { cat "$tmp/$name.$round.wrk" >&2; exit 1; }
}
# median: the median of the numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# rps NAME, pct_ms NAME 99% (ms): medians over the rounds; errors NAME: the sum
rps() {
    for f in "$tmp/$1".*.wrk; do awk '/^Requests\/sec:/ { print $2 }' "$f"; done |
        median | awk '{ printf "%.0f", $1 }'
}
# pct_round NAME ROUND P: percentile P ("99%") of one round, in ms
pct_round() {
    awk -v p="$3" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
        print v }' "$tmp/$1.$2.wrk"
}
pct_ms() {
    _k=1
    while [ "$_k" -le "$ROUNDS" ]; do
        pct_round "$1" "$_k" "$2"
        _k=$((_k + 1))
    done | median
}
# p99_wins A B: in how many rounds A's p99 was no worse than B's (the same round,
# so the same minute of the machine)
p99_wins() {
    _k=1 _w=0
    while [ "$_k" -le "$ROUNDS" ]; do
        _w=$((_w + $(awk -v a="$(pct_round "$1" "$_k" 99%)" -v b="$(pct_round "$2" "$_k" 99%)" \
            'BEGIN { print (a + 0 <= b + 0) ? 1 : 0 }')))
        _k=$((_k + 1))
    done
    echo "$_w of $ROUNDS rounds"
}
errors() {
    cat "$tmp/$1".*.wrk | awk '/Non-2xx or 3xx responses:/ { e += $NF } /Socket errors:/ {
            for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) e += $i + 0 }
         END { print e + 0 }'
}

round=1
# pair A B: run the two targets, A first in odd rounds and B first in even ones
# (whichever runs first in a pair meets the machine a little differently)
pair() {
    if [ $((round % 2)) = 1 ]; then
        eval "bench $1"
        eval "bench $2"
    else
        eval "bench $2"
        eval "bench $1"
    fi
}
while [ "$round" -le "$ROUNDS" ]; do
    pair 'nginx_plan_gz "http://127.0.0.1:$NPORT/plan.html" -H "$GZ"' \
        'phaen_plan_gz "$BASE/plan" -H "$COOKIE" -H "$GZ"'
    pair 'nginx_plan "http://127.0.0.1:$NPORT/plan.html"' 'phaen_plan "$BASE/plan" -H "$COOKIE"'
    pair 'nginx_json_gz "http://127.0.0.1:$NPORT/plan.json" -H "$GZ"' \
        'phaen_json_gz "$BASE/export/plan.json" -H "$COOKIE" -H "$GZ"'
    pair 'nginx_json "http://127.0.0.1:$NPORT/plan.json"' \
        'phaen_json "$BASE/export/plan.json" -H "$COOKIE"'
    round=$((round + 1))
done

rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SPID/status")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SPID/status")
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$SPID/status")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" "$BASE/plan")

# ---- the table ---------------------------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { # verdict VALUE TARGET lower|higher
    awk -v v="$1" -v t="$2" -v d="$3" 'BEGIN {
        if (v == "n/a" || v == "") { print "?"; exit }
        ok = (d == "lower") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
        print ok ? "ok" : "MISSED" }'
}
# FIG NAME: "req/s p50 p99 errors" of one wrk target (medians over the rounds)
fig() { echo "$(rps "$1") $(pct_ms "$1" 50%) $(pct_ms "$1" 99%) $(errors "$1")"; }
for n in phaen_plan_gz nginx_plan_gz phaen_plan nginx_plan phaen_json_gz nginx_json_gz phaen_json nginx_json; do
    eval "f_$n=\$(fig $n)"
done
# col N FIGS: the Nth figure
col() { echo "$2" | awk -v n="$1" '{ print $n }'; }

echo
echo "phaen web benchmark: $(uname -m), $(nproc 2>/dev/null || echo '?') CPU(s); wrk -t$THREADS -c$CONNS -d${SECS}s --latency on loopback; medians of $ROUNDS rounds"
echo "pages: /plan $plan_bytes bytes ($plan_rows project rows; gzip $plan_gz_bytes), /export/plan.json $json_bytes bytes (gzip $json_gz_bytes)"
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') serves the same bytes from files (gzip_static for the gzip rows)"
echo
fmt='%-44s %10s %10s %10s %7s  %s\n'
# shellcheck disable=SC2059
{
printf "$fmt" "what" "req/s" "p50 ms" "p99 ms" "errors" ""
printf "$fmt" "----" "-----" "------" "------" "------" ""
row() { # row LABEL NAME [NOTE]
    printf "$fmt" "$1" "$(col 1 "$2")" "$(col 2 "$2")" "$(col 3 "$2")" "$(col 4 "$2")" "${3:-}"
}
row "phaen  GET /plan, gzip (as browsers ask)" "$f_phaen_plan_gz"
row "nginx  GET /plan.html, gzip_static" "$f_nginx_plan_gz" baseline
row "phaen  GET /plan (signed in)" "$f_phaen_plan"
row "nginx  GET /plan.html (file)" "$f_nginx_plan" baseline
row "phaen  GET /export/plan.json, gzip" "$f_phaen_json_gz"
row "nginx  GET /plan.json, gzip_static" "$f_nginx_json_gz" baseline
row "phaen  GET /export/plan.json" "$f_phaen_json"
row "nginx  GET /plan.json (file)" "$f_nginx_json" baseline
}
echo
fmt='%-44s %12s %12s  %s\n'
# target_rows WHAT PHAEN NGINX NAME-P NAME-N [RATIO-TARGET]: the req/s ratio and the
# p99 of a pair (medians), and in how many rounds phaen's p99 was no worse
target_rows() {
    _r=$(ratio "$(col 1 "$2")" "$(col 1 "$3")")
    _pp=$(col 3 "$2") _pn=$(col 3 "$3")
    if [ -n "${6:-}" ]; then
        printf "$fmt" "$1 req/s, phaen / nginx" "$_r" ">= $6" "$(verdict "$_r" "$6" higher)"
    else
        printf "$fmt" "$1 req/s, phaen / nginx" "$_r" "(none)" ""
    fi
    printf "$fmt" "$1 p99, phaen vs nginx" "$_pp ms" "<= $_pn ms" \
        "$(verdict "$_pp" "$_pn" lower) (no worse in $(p99_wins "$4" "$5"))"
}
# shellcheck disable=SC2059
{
printf "$fmt" "target" "value" "target" ""
printf "$fmt" "------" "-----" "------" ""
target_rows "/plan, gzip:" "$f_phaen_plan_gz" "$f_nginx_plan_gz" phaen_plan_gz nginx_plan_gz "$T_RATIO"
target_rows "/plan, no compression:" "$f_phaen_plan" "$f_nginx_plan" phaen_plan nginx_plan "$T_RATIO"
target_rows "plan.json, gzip:" "$f_phaen_json_gz" "$f_nginx_json_gz" phaen_json_gz nginx_json_gz
target_rows "plan.json, no compression:" "$f_phaen_json" "$f_nginx_json" phaen_json nginx_json
printf "$fmt" "server VmRSS after the run" "$(mb "$rss_kb") MB" "<= $T_RSS_MB MB" "$(verdict "$(mb "$rss_kb")" "$T_RSS_MB" lower)"
printf "$fmt" "server VmHWM (peak RSS)" "$(mb "$hwm_kb") MB" "" "$threads threads"
}
[ "$code" = 200 ] || echo "bench/web: warning: after the run GET /plan answered $code"
[ "$plan_rows" = 21 ] || echo "bench/web: warning: /plan has $plan_rows project rows, not the seed's 21: its figures are for a broken page"
