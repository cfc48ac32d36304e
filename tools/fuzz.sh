#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (ASan + UBSan, clang) in build-fuzz/
# and runs each for SECONDS (default 10), one after the other.
#
#   tools/fuzz.sh [SECONDS]
#
# Each target starts from a fresh temporary corpus seeded with corpus/ (and
# fuzz/seeds/ for decode_fuzzer) and, when they exist beside the repository,
# ../shared/seeds and ../shared/realworld (read at run time, never copied
# into the repo). Crash, leak and timeout inputs go to build-fuzz/artifacts/;
# logs to build-fuzz/logs/. Prints one line per target and exits non-zero if
# any target failed.
#
# Environment, for longer runs (fuzz/README.md):
#   FUZZ_TARGETS     targets to run (default: all four)
#   FUZZ_CORPUS_DIR  keep each target's corpus in DIR/corpus-<target>/ and
#                    add to it run after run, instead of a temporary one
#   FUZZ_BUILD_JOBS  build parallelism (default: nproc)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

seconds=${1:-10}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: tools/fuzz.sh [SECONDS]" >&2
  exit 2
fi
build=build-fuzz
targets=(${FUZZ_TARGETS:-decode_fuzzer normalize_fuzzer extract_fuzzer assess_fuzzer})

# Release for the build type only; FISCDEX_FUZZ sets the optimisation and
# sanitizer flags. Tests, bench and the CLI are not configured at all.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFISCDEX_FUZZ=ON \
  -DFISCDEX_BUILD_TESTS=OFF -DFISCDEX_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"${FUZZ_BUILD_JOBS:-$(nproc)}" --target "${targets[@]}"

mkdir -p "$build/artifacts" "$build/logs"
# In the build tree, not $TMPDIR: that may be read-only or missing.
scratch=$(mktemp -d "$build/scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The targets read the first byte as the file's extension (the order of
# kFileNames in fuzz/fuzz_support.h), so each seed gets its own extension's.
selector_byte() {
  case "${1##*.}" in
    txt) echo 0 ;; md) echo 1 ;; html | htm) echo 2 ;; csv) echo 3 ;; tsv) echo 4 ;;
    pdf) echo 5 ;; *) echo 6 ;;
  esac
}

# seed DIR TARGET: fills DIR with the seed files, each behind its selector byte.
seed() {
  local dir=$1 target=$2 file n=0
  local sources=("$repo"/corpus/*.txt "$repo"/corpus/*.md "$repo"/corpus/*.html "$repo"/corpus/*.csv)
  # Only decode_fuzzer reads PDFs (the others return at once for them); the
  # small uncompressed seeds of fuzz/seeds/ let mutation reach page drawing.
  [[ "$target" == decode_fuzzer ]] && sources+=("$repo"/corpus/pdf/*.pdf "$repo"/fuzz/seeds/*.pdf)
  for shared in "$repo/../shared/seeds" "$repo/../shared/realworld"; do
    [[ -d "$shared" ]] && sources+=("$shared"/*)
  done
  for file in "${sources[@]}"; do
    [[ -f "$file" && "$file" != *.expected.json ]] || continue
    { printf "\\x$(printf %02x "$(selector_byte "$file")")"; cat "$file"; } \
      >"$dir/seed-$n-$(basename "$file")"
    n=$((n + 1))
  done
}

# Poppler and fontconfig keep process-wide caches that LeakSanitizer
# reports at exit; fuzz/lsan.supp names them, so only our leaks fail a run.
# Relative to the repository (the current folder): the sanitizers split their
# options at spaces and colons, which a checkout's path may hold.
export LSAN_OPTIONS="suppressions=fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
for target in "${targets[@]}"; do
  if [[ -n "${FUZZ_CORPUS_DIR:-}" ]]; then
    corpus="$FUZZ_CORPUS_DIR/corpus-$target"
    if [[ ! -d "$corpus" ]]; then
      mkdir -p "$corpus"
      seed "$corpus" "$target"
    fi
  else
    corpus="$scratch/corpus-$target"
    mkdir -p "$corpus"
    seed "$corpus" "$target"
  fi
  log="$build/logs/$target.log"
  start=$SECONDS
  status=0
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict=fuzz/fiscdex.dict -artifact_prefix="$build/artifacts/$target-" \
    -print_final_stats=1 "$corpus" >"$log" 2>&1 || status=$?
  elapsed=$((SECONDS - start))
  runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  if ((status == 0)); then
    result=ok
  else
    failed=1
    kind=$(grep -oE 'ERROR: (libFuzzer: [a-z -]+|[A-Za-z]+Sanitizer: [A-Za-z -]+)|runtime error|invariant failed' "$log" |
      head -1 || true)
    artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/^Test unit written to //' || true)
    result="FAILED (${kind:-exit status $status})${artifact:+ -> $artifact}"
    tail -n 60 "$log" >&2
  fi
  echo "fuzz: $target: ${runs:-?} runs in $elapsed s: $result"
done
exit "$failed"
