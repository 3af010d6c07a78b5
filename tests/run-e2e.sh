#!/bin/sh
# Run every end-to-end test script in tests/e2e/ against build/phaen.
# Each script exits non-zero on failure; this prints one closing tally.
# tests/e2e/lib.sh holds the shared helpers the scripts source: it is not a test.
pass=0; fail=0
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    [ "$t" = tests/e2e/lib.sh ] && continue
    if sh "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
