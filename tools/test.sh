#!/usr/bin/env bash
# Builds fiscdex (tools/setup.sh) and runs every test suite with ctest.
# Exits with ctest's status; the last line is ctest's summary.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh

log=build/ctest.log
status=0
ctest --test-dir build --output-on-failure -j2 2>&1 | tee "$log" || status=$?
echo
grep -E '^[0-9]+% tests passed' "$log" || echo "test: ctest printed no summary (status $status)" >&2
exit "$status"
