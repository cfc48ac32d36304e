#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready to build fiscdex, then builds it.
#
# Installs the Debian packages fiscdex builds against when any is missing
# (apt-get, as root or through sudo), then configures and builds a Release
# tree in build/. Safe to run again: installed packages are left alone and
# the build is incremental. Works from any directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  build-essential cmake pkg-config
  libicu-dev libre2-dev libsqlite3-dev
  # mecab-utils: mecab-dict-index, which compiles data/userdic.csv; mecab-ipadic:
  # the ipadic definitions (matrix.def ...) it is compiled against.
  libmecab-dev mecab-ipadic-utf8 mecab-utils mecab-ipadic
  # libpoppler-private-dev: Poppler's core API (words and drawing of a page);
  # poppler-data: the CMaps of Japanese PDFs whose fonts are not embedded;
  # poppler-utils: pdftotext, which the benchmark measures PDF reading against.
  libpoppler-private-dev poppler-data poppler-utils
  googletest libgtest-dev
  # clang and libclang_rt.fuzzer/asan/ubsan (only Recommended by clang): tools/fuzz.sh.
  clang libclang-rt-14-dev
  python3
  # libxlsxwriter-dev: fiscdex export --format xlsx; python3-openpyxl: a second, independent
  # reader of the workbooks in the tests (besides their XML parts).
  libxlsxwriter-dev python3-openpyxl
  # chromium: the browser the report's tests load it in (tests/browser/); fonts-noto-cjk:
  # Japanese glyphs for its screenshots and printed PDF. zlib1g-dev: the report's data
  # is gzip-compressed.
  chromium fonts-noto-cjk zlib1g-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
