#!/usr/bin/env bash
# Builds fiscdex (tools/setup.sh), runs every test suite with ctest, then a
# short ASan+UBSan fuzz run of each fuzz target (tools/fuzz.sh 10).
# Exits non-zero if ctest or the fuzz run failed; ctest's summary line is
# printed last either way.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh

# What the suite meets on this machine, said before it runs: each of these
# has made tests fail for reasons of the machine, not of fiscdex
# (doc/testing.md). The tests cope with all of them; this says which apply.
preflight() {
  echo "test: as $(id -un) (uid $(id -u)), checkout $PWD"
  if (($(id -u) == 0)); then
    if command -v runuser >/dev/null 2>&1 &&
      ! runuser -u nobody -- test -x "$PWD/build/tools/fiscdex" 2>/dev/null; then
      echo "test: user nobody cannot reach this checkout (a folder above it is private):" \
        "the permission tests run a copy of fiscdex from a temporary folder"
    fi
  fi
  if [[ -n "${TMPDIR:-}" ]] && ! [[ -d "$TMPDIR" && -w "$TMPDIR" ]]; then
    echo "test: TMPDIR=$TMPDIR is not a writable folder: the tests use /tmp instead"
  fi
  local pinned system
  pinned=$(sed -n 's/^FISCDEX_MECAB_DICDIR:[A-Z]*=//p' build/CMakeCache.txt)
  system=$(readlink -f /var/lib/mecab/dic/debian 2>/dev/null || echo none)
  echo "test: MeCab dictionary: fiscdex uses $pinned; the system default is $system" \
    "(fiscdex ignores it)"
  echo "test: locale LC_ALL=${LC_ALL:-} LANG=${LANG:-} (fiscdex ignores it)"
}
preflight

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
