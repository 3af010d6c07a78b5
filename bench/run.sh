#!/bin/sh
# bench/run.sh — `make bench`: time build/phaen on the seed and on a plan
# BENCH_N (500) times its size, against the targets, with a baseline of
# the machine measured in the same run. POSIX sh; no network; temp files
# live in one directory removed on exit.
#
#   BENCH_N=500 BENCH_RUNS=20 BENCH_BIG_RUNS=3 sh bench/run.sh
#
# Times are whole-process wall times, fork to exit, taken by bench/runcmd.c
# (so they include exec and the dynamic loader, and not the shell's or
# date's own forks); peak RSS is wait4's ru_maxrss of the same run. Seed
# figures are the median of BENCH_RUNS runs, each import into a fresh
# database; the commands measured take turns, so that a machine slowing
# down meanwhile slows them all. MB = 10^6 bytes.
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

# measure OUT [-f DB] -- CMD...: run CMD once under runcmd, append its line
# "ns maxrss_kib status" to OUT. runcmd fails (exit 2) when CMD exits
# above 1 (phaen check: 1 = the plan has errors, a result).
measure() {
    out=$1
    shift
    if ! "$tmp/runcmd" -n 1 "$@" >>"$out" 2>"$tmp/stderr"; then
        echo "bench: failed: $*" >&2
        tail -n 5 "$tmp/stderr" >&2
        exit 1
    fi
}

# median_ms FILE: the median of the run times in FILE, in ms.
median_ms() {
    awk '{ print $1 }' "$1" | sort -n | awk '{ a[NR] = $1 }
        END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
              printf "%.1f", m / 1e6 }'
}

# max_rss_mb FILE: the largest peak RSS in FILE, in MB; "n/a" without.
max_rss_mb() {
    if [ -s "$1" ]; then
        awk '{ print $2 }' "$1" | sort -n | tail -n 1 | awk '{ printf "%.1f", $1 * 1024 / 1e6 }'
    else
        echo n/a
    fi
}

have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
# sqlite3 CLI importing a text file as one-column rows into a new database
# (the floor of "read the bytes and store them in SQLite").
sqlite_import() {
    measure "$1" -f "$tmp/base.db" -- sqlite3 "$tmp/base.db" 'CREATE TABLE t(line TEXT);' \
        '.mode ascii' '.separator "\037" "\n"' ".import '$2' t"
}

echo "bench: compiling bench/gen_plan.c and bench/runcmd.c"
"$CC" -O2 -o "$tmp/gen_plan" bench/gen_plan.c
"$CC" -O2 -o "$tmp/runcmd" bench/runcmd.c

# ---- the seed ---------------------------------------------------------------
echo "bench: seed, $RUNS runs each"
i=0
while [ "$i" -lt "$RUNS" ]; do
    measure "$tmp/t_seed_import" -f "$tmp/seed.db" -- "$PHAEN" --db "$tmp/seed.db" import "$SEED"
    measure "$tmp/t_true" -- /bin/true
    if [ "$have_sqlite" = 1 ]; then
        sqlite_import "$tmp/t_seed_sqlite" "$SEED"
    fi
    i=$((i + 1))
done
i=0
while [ "$i" -lt "$RUNS" ]; do
    measure "$tmp/t_seed_check" -- "$PHAEN" --db "$tmp/seed.db" check
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
    measure "$tmp/t_big_import" -f "$tmp/big.db" -- "$PHAEN" --db "$tmp/big.db" import "$big" --max-size 512M
    measure "$tmp/t_big_check" -- "$PHAEN" --db "$tmp/big.db" check
    measure "$tmp/t_big_cat" -- cat "$big"
    measure "$tmp/t_big_wc" -- wc -l "$big"
    if [ "$have_sqlite" = 1 ]; then
        sqlite_import "$tmp/t_big_sqlite" "$big"
    fi
    i=$((i + 1))
done
nproj=$("$PHAEN" --db "$tmp/big.db" summary 2>/dev/null | grep -o '[0-9,]* projects' | head -n 1 || true)
# a fast wrong answer is no answer: the big plan must hold N times the seed's projects
seed_nproj=$("$PHAEN" --db "$tmp/seed.db" summary 2>/dev/null | grep -o '[0-9,]* projects' | head -n 1 | tr -dc 0-9)
if [ "$(printf '%s' "$nproj" | tr -dc 0-9)" != "$((seed_nproj * N))" ]; then
    echo "bench: the ${N}x plan was imported as '$nproj', not $((seed_nproj * N)) projects ($seed_nproj x $N): the figures would be for a wrong result" >&2
    exit 1
fi
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
rss_seed=$(max_rss_mb "$tmp/t_seed_import")
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
