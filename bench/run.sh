#!/bin/sh
# bench/run.sh — `make bench`: time build/phaen on the seed and on a plan
# BENCH_N (500) times its size, against the targets, with a baseline of
# the machine measured in the same run. POSIX sh; no network; temp files
# live in one directory removed on exit.
#
#   BENCH_N=500 BENCH_RUNS=20 BENCH_BIG_RUNS=3 sh bench/run.sh
#
# Times are whole-process wall times taken with `date +%s%N` around the
# command (so they include exec and the dynamic loader); seed figures are
# the median of BENCH_RUNS runs, each import into a fresh database. Peak
# RSS comes from GNU time (/usr/bin/time -f %M, in KiB). MB = 10^6 bytes.
set -eu

PHAEN=${PHAEN:-build/phaen}
SEED=${SEED:-data/samples/lampang-2568-rev1.txt}
N=${BENCH_N:-500}
RUNS=${BENCH_RUNS:-20}
BIG_RUNS=${BENCH_BIG_RUNS:-3}
CC=${CC:-cc}

T_SEED_MS=20      # target: whole-process time on the seed, ms
T_MBS=100         # target: import + check throughput, MB/s
T_RSS_MB=200      # target: peak RSS, MB

[ -x "$PHAEN" ] || { echo "bench: $PHAEN not built (run make)" >&2; exit 2; }
[ -r "$SEED" ] || { echo "bench: no seed $SEED" >&2; exit 2; }
PHAEN=$(cd "$(dirname "$PHAEN")" && pwd)/$(basename "$PHAEN")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/phaen-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

TIME=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null; then
    TIME=/usr/bin/time
fi

now() { date +%s%N; }

# median FILE: the median of the nanosecond figures in FILE, in ms.
median_ms() {
    sort -n "$1" | awk '{ a[NR] = $1 }
        END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
              printf "%.1f", m / 1e6 }'
}

# run OUT CMD...: run CMD once, append its wall time (ns) to OUT. Exit
# status 0 or 1 (phaen check: 1 = the plan has errors) counts as success.
# run_rss OUT CMD...: the same under GNU time, also appending the peak RSS
# (KiB) to OUT.rss; used where the few ms GNU time adds do not matter.
run() {
    out=$1
    shift
    rc=0
    t0=$(now)
    "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
    t1=$(now)
    ran "$@"
}
run_rss() {
    out=$1
    shift
    rc=0
    if [ -z "$TIME" ]; then
        run "$out" "$@"
        return
    fi
    t0=$(now)
    "$TIME" -f %M -o "$out.rss1" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
    t1=$(now)
    # GNU time writes "Command exited with non-zero status N" first.
    tail -n 1 "$out.rss1" >>"$out.rss"
    ran "$@"
}
ran() {
    if [ "$rc" -gt 1 ]; then
        echo "bench: failed (exit $rc): $*" >&2
        tail -n 5 "$tmp/stderr" >&2
        exit 1
    fi
    echo $((t1 - t0)) >>"$out"
}

# max_rss_mb FILE: the largest KiB figure in FILE.rss, in MB; "n/a" without.
max_rss_mb() {
    if [ -s "$1.rss" ]; then
        sort -n "$1.rss" | tail -n 1 | awk '{ printf "%.1f", $1 * 1024 / 1e6 }'
    else
        echo n/a
    fi
}

# sqlite3 CLI importing a text file as one-column rows (the floor of
# "read the bytes and store them in SQLite").
# A script, so that GNU time can run it: sqlite_import.sh TEXT DB.
cat >"$tmp/sqlite_import.sh" <<'END'
rm -f "$2"
printf '%s\n' 'CREATE TABLE t(line TEXT);' '.mode ascii' '.separator "\037" "\n"' \
    ".import '$1' t" | sqlite3 "$2"
END

have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1

echo "bench: compiling bench/gen_plan.c"
"$CC" -O2 -o "$tmp/gen_plan" bench/gen_plan.c

# ---- the seed ---------------------------------------------------------------
echo "bench: seed, $RUNS runs each"
i=0
while [ "$i" -lt "$RUNS" ]; do
    rm -f "$tmp/seed.db" "$tmp/seed.db-journal" "$tmp/seed.db-wal" "$tmp/seed.db-shm"
    run "$tmp/t_seed_import" "$PHAEN" --db "$tmp/seed.db" import "$SEED"
    i=$((i + 1))
done
rm -f "$tmp/seed.db"
run_rss "$tmp/t_seed_rss" "$PHAEN" --db "$tmp/seed.db" import "$SEED"
i=0
while [ "$i" -lt "$RUNS" ]; do
    run "$tmp/t_seed_check" "$PHAEN" --db "$tmp/seed.db" check
    run "$tmp/t_true" /bin/true
    if [ "$have_sqlite" = 1 ]; then
        run "$tmp/t_seed_sqlite" sh "$tmp/sqlite_import.sh" "$SEED" "$tmp/base.db"
    fi
    i=$((i + 1))
done

# ---- the big plan -----------------------------------------------------------
big="$tmp/plan-x$N.txt"
"$tmp/gen_plan" "$SEED" "$N" "$big"
size=$(wc -c <"$big" | tr -d ' ')
size_mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
echo "bench: ${N}x plan, $size_mb MB, $BIG_RUNS run(s) each"
i=0
while [ "$i" -lt "$BIG_RUNS" ]; do
    rm -f "$tmp/big.db" "$tmp/big.db-journal" "$tmp/big.db-wal" "$tmp/big.db-shm"
    run_rss "$tmp/t_big_import" "$PHAEN" --db "$tmp/big.db" import "$big" --max-size 512M
    i=$((i + 1))
done
nproj=$("$PHAEN" --db "$tmp/big.db" summary 2>/dev/null | grep -o '[0-9,]* projects' | head -n 1 || true)
# a fast wrong answer is no answer: the big plan must hold N times the seed's projects
seed_nproj=$("$PHAEN" --db "$tmp/seed.db" summary 2>/dev/null | grep -o '[0-9,]* projects' | head -n 1 | tr -dc 0-9)
if [ "$(printf '%s' "$nproj" | tr -dc 0-9)" != "$((seed_nproj * N))" ]; then
    echo "bench: the ${N}x plan was imported as '$nproj', not $((seed_nproj * N)) projects ($seed_nproj x $N): the figures would be for a wrong result" >&2
    exit 1
fi
i=0
while [ "$i" -lt "$BIG_RUNS" ]; do
    run_rss "$tmp/t_big_check" "$PHAEN" --db "$tmp/big.db" check
    run_rss "$tmp/t_big_cat" cat "$big"
    run "$tmp/t_big_wc" wc -l "$big"
    if [ "$have_sqlite" = 1 ]; then
        run_rss "$tmp/t_big_sqlite" sh "$tmp/sqlite_import.sh" "$big" "$tmp/base.db"
    fi
    i=$((i + 1))
done
db_mb=$(wc -c <"$tmp/big.db" | awk '{ printf "%.1f", $1 / 1e6 }')

# ---- the table --------------------------------------------------------------
seed_imp=$(median_ms "$tmp/t_seed_import")
seed_chk=$(median_ms "$tmp/t_seed_check")
true_ms=$(median_ms "$tmp/t_true")
big_imp=$(median_ms "$tmp/t_big_import")
big_chk=$(median_ms "$tmp/t_big_check")
cat_ms=$(median_ms "$tmp/t_big_cat")
wc_ms=$(median_ms "$tmp/t_big_wc")
rss_imp=$(max_rss_mb "$tmp/t_big_import")
rss_chk=$(max_rss_mb "$tmp/t_big_check")
rss_seed=$(max_rss_mb "$tmp/t_seed_rss")
if [ "$have_sqlite" = 1 ]; then
    sq_seed=$(median_ms "$tmp/t_seed_sqlite")
    sq_big=$(median_ms "$tmp/t_big_sqlite")
else
    sq_seed=n/a
    sq_big=n/a
fi

mbs() { awk -v s="$size" -v ms="$1" 'BEGIN { if (ms == "n/a" || ms <= 0) print "n/a"; else printf "%.1f", s / 1e6 / (ms / 1000) }'; }
thr=$(awk -v s="$size" -v a="$big_imp" -v b="$big_chk" 'BEGIN { printf "%.1f", s / 1e6 / ((a + b) / 1000) }')
# verdict VALUE TARGET lower|higher: "ok" when VALUE meets TARGET.
verdict() {
    awk -v v="$1" -v t="$2" -v d="$3" 'BEGIN {
        if (v == "n/a") { print "?"; exit }
        ok = (d == "lower") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
        print ok ? "ok" : "MISSED" }'
}

echo
echo "phaen benchmark: $(uname -m), $(nproc 2>/dev/null || echo '?') CPU(s), seed $(wc -c <"$SEED" | tr -d ' ') bytes, big plan ${N}x = $size_mb MB${nproj:+ ($nproj)}"
echo "seed times: median of $RUNS runs; big plan: median of $BIG_RUNS run(s); whole-process wall time"
echo
fmt='%-34s %12s %12s  %-7s %s\n'
# shellcheck disable=SC2059
{
printf "$fmt" "what" "value" "target" "" "baseline (same run)"
printf "$fmt" "----" "-----" "------" "" "-------------------"
printf "$fmt" "seed: import (fresh db)" "$seed_imp ms" "<= $T_SEED_MS ms" "$(verdict "$seed_imp" $T_SEED_MS lower)" \
    "sqlite3 .import of seed as lines: $sq_seed ms; /bin/true: $true_ms ms"
printf "$fmt" "seed: check" "$seed_chk ms" "<= $T_SEED_MS ms" "$(verdict "$seed_chk" $T_SEED_MS lower)" \
    "/bin/true: $true_ms ms"
printf "$fmt" "seed: import peak RSS" "$rss_seed MB" "" "" ""
printf "$fmt" "${N}x: file size" "$size_mb MB" "" "" "database after import: $db_mb MB"
printf "$fmt" "${N}x: import" "$big_imp ms" "" "" "sqlite3 .import as lines: $sq_big ms"
printf "$fmt" "${N}x: check" "$big_chk ms" "" "" "cat > /dev/null: $cat_ms ms; wc -l: $wc_ms ms"
printf "$fmt" "${N}x: import+check throughput" "$thr MB/s" ">= $T_MBS MB/s" "$(verdict "$thr" $T_MBS higher)" \
    "sqlite3 .import: $(mbs "$sq_big") MB/s; cat: $(mbs "$cat_ms") MB/s; wc -l: $(mbs "$wc_ms") MB/s"
printf "$fmt" "${N}x: import peak RSS" "$rss_imp MB" "<= $T_RSS_MB MB" "$(verdict "$rss_imp" $T_RSS_MB lower)" \
    "sqlite3 .import: $(max_rss_mb "$tmp/t_big_sqlite") MB; cat: $(max_rss_mb "$tmp/t_big_cat") MB"
printf "$fmt" "${N}x: check peak RSS" "$rss_chk MB" "<= $T_RSS_MB MB" "$(verdict "$rss_chk" $T_RSS_MB lower)" ""
}
[ -n "$TIME" ] || echo "(no GNU time at /usr/bin/time: peak RSS not measured; install the Debian package time)"
