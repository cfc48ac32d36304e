#!/bin/sh
# Regenerates the PDFs in this folder: good.pdf from good.html (with
# corpus/pdf/make_pdfs.py and LibreOffice), then the bad PDFs made from it.
# See README.md for what each file is. Run from anywhere; needs python3,
# soffice, fonts-ipafont, qpdf and ghostscript (gs).
#
# Everything is byte-for-byte reproducible except the two encrypted files:
# for AES-256 qpdf draws a random file key and salts on every run (its
# --static-id/--static-aes-iv only fix the /ID and the IVs), so their bytes
# change each time while their content and passwords stay the same.
set -eu
cd "$(dirname "$0")"

# Rewrites a PDF's /CreationDate, /ModDate and /ID in place to fixed values of
# the same length, so no byte offset moves.
fix_stamps() {
  python3 - "$1" "$2" <<'EOF_PY'
import hashlib, re, sys
path, stamp = sys.argv[1], sys.argv[2].encode()
pdf = open(path, "rb").read()
def date(m):
    old = m.group(2)
    new = (stamp + b"Z00'00'")[:len(old)]
    return m.group(1) + new.ljust(len(old), b" ") + m.group(3)
pdf = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", date, pdf)
digest = hashlib.md5(path.encode()).hexdigest().upper().encode()
pdf = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)",
             lambda m: m.group(1) + digest[:len(m.group(2))] + m.group(3)
             + digest[:len(m.group(4))] + m.group(5), pdf)
open(path, "wb").write(pdf)
EOF_PY
}

# Deterministic junk: SHA-256 in counter mode over a seed.
junk() {
  python3 - "$1" "$2" <<'EOF_PY'
import hashlib, sys
seed, size = sys.argv[1].encode(), int(sys.argv[2])
out = b"".join(hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(size // 32 + 1))
sys.stdout.buffer.write(out[:size])
EOF_PY
}

# The good PDF: one A4 page, a 3-row ID/answer table, text layer in IPAGothic.
python3 ../../../corpus/pdf/make_pdfs.py --html good.html --pdf good.pdf --date 2024-02-01

# Needs the user password to open (AES-256, qpdf R6).
qpdf --static-id --static-aes-iv --encrypt fisc-user fisc-owner 256 -- good.pdf encrypted_user.pdf
# Opens without a password (empty user password); the owner password restricts nothing here.
qpdf --static-id --static-aes-iv --encrypt "" fisc-owner 256 -- good.pdf encrypted_owner_only.pdf

# The first 55% of the bytes: no xref table, no trailer, a stream cut short.
size=$(wc -c < good.pdf)
head -c $((size * 55 / 100)) good.pdf > truncated.pdf

# A PDF header and then nothing that parses.
{ printf '%%PDF-1.6\n'; junk fiscdex-corrupt 4096; } > corrupt.pdf

# No text layer: each page rasterised at 72 dpi into an 8-bit grey image.
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfimage8 -r72 -o scanned.pdf good.pdf
fix_stamps scanned.pdf D:20240201100000

# Not a PDF at all.
junk fiscdex-not-a-pdf 2048 > not_a_pdf.pdf

ls -l good.pdf encrypted_user.pdf encrypted_owner_only.pdf truncated.pdf corrupt.pdf \
  scanned.pdf not_a_pdf.pdf
