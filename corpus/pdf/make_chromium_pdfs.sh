#!/bin/sh
# Regenerates corpus/pdf/NAME.chromium.pdf from corpus/NAME.html by printing
# each page with headless Chromium, as a browser user printing a wiki or
# intranet page to PDF would. Run from anywhere:
#
#   sh corpus/pdf/make_chromium_pdfs.sh            # all of them
#   sh corpus/pdf/make_chromium_pdfs.sh 24_borderless_hamayu
#
# The page layout is the HTML's own inline <style>: @page sets the paper
# (A4 portrait or landscape) and the margins; 23 also prints a browser-like
# running header and footer from @page margin boxes. Chromium's own
# header and footer (which would print the local file:// URL) are off.
#
# Needs chromium (set CHROMIUM to use another binary), python3 and the fonts
# the sources name: IPAexGothic (fonts-ipaexfont-gothic), IPAGothic
# (fonts-ipafont-gothic) and Noto Sans CJK JP (fonts-noto-cjk).
#
# Fonts in the output: Skia embeds the TrueType IPA fonts as subset CID
# fonts, but draws Noto Sans CJK JP (an OpenType/CFF font) and any synthetic
# bold of the IPA fonts as Type 3 fonts, one small Type 3 font per range of
# glyph IDs, which is why the sources keep bold and Noto text short (each
# PDF must stay under 300 KB).
#
# Determinism: Chromium stamps /CreationDate and /ModDate with the time of
# printing. They are rewritten in place to the document's own date, keeping
# the same length so that no byte offset moves. Chromium writes no trailer
# /ID (the /ID entries in the structure tree are node numbers, the same on
# every run). With the same Chromium and fonts the bytes are then the same on
# every run (checked with Chromium 156.0.8078.114, Debian 12 packages
# fonts-ipafont-gothic 00303-23, fonts-ipaexfont-gothic 00401-5,
# fonts-noto-cjk 1:20220127+repack1-1).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
CORPUS=$(dirname "$HERE")
CHROMIUM=${CHROMIUM:-chromium}

# NAME and the date written as the PDF's creation and modification date.
DOCS="
23_wikitable_tsukishiro 20241001100000
24_borderless_hamayu 20231208100000
25_zebraprose_koharu 20250203100000
31_whodoes_kamome 20160301100000
"

PROFILE=$(mktemp -d -t fiscdex-chromium.XXXXXX)
trap 'rm -rf "$PROFILE"' EXIT INT TERM

print_one() {
  name=$1
  stamp=$2
  src="$CORPUS/$name.html"
  dest="$HERE/$name.chromium.pdf"
  [ -f "$src" ] || { echo "missing $src" >&2; exit 1; }
  url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).as_uri())' "$src")
  rm -f "$dest"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$PROFILE/$name" --no-pdf-header-footer \
    --print-to-pdf="$dest" "$url" >/dev/null 2>&1 || true
  [ -s "$dest" ] || { echo "chromium wrote no $dest" >&2; exit 1; }
  python3 - "$dest" "$stamp" <<'EOF'
import re, sys
path, stamp = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    pdf = f.read()
def fixed(m):
    old = m.group(2)
    new = ("D:" + stamp + "+00'00'").encode()
    if len(new) != len(old):
        sys.exit("%s: unexpected date form %r" % (path, old))
    return m.group(1) + new + m.group(3)
pdf, n = re.subn(rb"(/(?:CreationDate|ModDate) \()(D:[^)]*)(\))", fixed, pdf)
if n != 2:
    sys.exit("%s: expected /CreationDate and /ModDate, found %d dates" % (path, n))
if re.search(rb"trailer\s*<<[^>]*/ID", pdf):
    sys.exit("%s: the trailer has an /ID; fix it here too" % path)
with open(path, "wb") as f:
    f.write(pdf)
EOF
  echo "$dest"
}

echo "$DOCS" | while read -r name stamp; do
  [ -n "$name" ] || continue
  if [ $# -gt 0 ]; then
    match=no
    for want in "$@"; do [ "$want" = "$name" ] && match=yes; done
    [ "$match" = yes ] || continue
  fi
  print_one "$name" "$stamp"
done
