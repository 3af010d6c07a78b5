#!/bin/sh
# Run every end-to-end test script in tests/e2e/ against build/phaen.
# Each script exits non-zero on failure; this prints one closing tally.
pass=0; fail=0
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    if sh "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
