#!/bin/sh
# Regenerates corpus/pdf/*.pdf from the HTML sources in corpus/ (see
# make_pdfs.py). Run from anywhere; needs python3, LibreOffice (soffice) and
# fonts-ipafont. Arguments go to make_pdfs.py (e.g. a NAME, or --keep-fodt DIR).
set -eu
cd "$(dirname "$0")"
exec python3 make_pdfs.py "$@"
