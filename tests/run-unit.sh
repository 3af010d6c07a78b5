#!/bin/sh
# Run every cmocka unit test binary given; print one closing tally line.
# library-lifetime caches (fontconfig, Pango, GLib) are not leaks of ours
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
pass=0; fail=0
for t in "$@"; do
    if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
