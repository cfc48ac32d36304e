#!/usr/bin/env bash
# Builds fiscdex (tools/setup.sh), runs every test suite with ctest, then a
# short ASan+UBSan fuzz run of each fuzz target (tools/fuzz.sh 10).
# Exits non-zero if ctest or the fuzz run failed; ctest's summary line is
# printed last either way.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh

log=build/ctest.log
status=0
ctest --test-dir build --output-on-failure -j2 2>&1 | tee "$log" || status=$?

# The fuzz run goes on after failed tests: its findings are worth having too.
fuzz_status=0
tools/fuzz.sh 10 || fuzz_status=$?

echo
grep -E '^[0-9]+% tests passed' "$log" || echo "test: ctest printed no summary (status $status)" >&2
if ((fuzz_status != 0)); then
  echo "test: fuzz run failed (status $fuzz_status); inputs in build-fuzz/artifacts/" >&2
  ((status != 0)) || status=$fuzz_status
fi
exit "$status"
