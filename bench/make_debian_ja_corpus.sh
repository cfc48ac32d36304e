#!/usr/bin/env bash
# Builds a benchmark corpus of different Japanese documents: Debian's Japanese
# manuals, each rendered to one UTF-8 .txt file.
#
#   bench/make_debian_ja_corpus.sh OUT_DIR
#
# The seed copies that fiscdex_bench --scale makes repeat every line, so the
# tokenizer's piece cache turns MeCab into a lookup; these ~3,000 documents
# (man pages, the Debian Reference, the Policy, the Edu manual, aptitude's
# manual) do not repeat. Installs the packages with apt-get (as root): run it
# only for the bench, never from tests or CI.
#
# Man pages (.gz or not) are rendered with groff -Tutf8 -man and col -b
# (no bold or underline overstrikes); HTML is stripped to text by a small
# Python HTMLParser (script, style and tags out, entities decoded). Files
# that are not UTF-8 or that render to almost nothing are left out.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
out=$1

packages=(manpages-ja manpages-ja-dev debian-reference-ja debian-policy-ja
          debian-edu-doc-ja aptitude-doc-ja)
tools=(groff-base bsdextrautils python3)   # groff, col, the HTML stripper

missing=()
for package in "${packages[@]}" "${tools[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "$0: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

rm -rf "$out"
mkdir -p "$out"

# A name for each file: its package and its path, slashes turned to '_'.
target_name() {  # PACKAGE PATH
  local name=${2#/usr/share/}
  name=${name//\//_}
  name=${name%.gz}
  echo "$out/$1/${name}.txt"
}

# Renders the man pages listed on stdin (SOURCE<TAB>TARGET lines), one
# process per core. -k: preconv turns the page's encoding into groff's
# input; pages that include others (.so) are rendered from their section's
# parent folder.
render_man_pages() {
  # shellcheck disable=SC2016
  xargs -d '\n' -P "$(nproc)" -n 1 bash -c '
    source=$(cut -f1 <<<"$1"); target=$(cut -f2 <<<"$1")
    cat_cmd=cat; [[ "$source" == *.gz ]] && cat_cmd=zcat
    (cd "$(dirname "$(dirname "$source")")" &&
      $cat_cmd "$source" | groff -k -Tutf8 -man -P-c 2>/dev/null | col -b -x) >"$target" || true
  ' render
}

strip_html() {  # LIST: a file of PACKAGE<TAB>PATH lines
  # The script comes on stdin, so the list is named, not piped.
  python3 - "$out" "$1" <<'PY'
import gzip, html.parser, os, sys
out, listing = sys.argv[1], sys.argv[2]
class Text(html.parser.HTMLParser):
    SKIP = {"script", "style", "head"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
             "table", "dt", "dd", "title", "section", "article", "ul", "ol"}
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP: self.skip += 1
        if tag in self.BLOCK: self.parts.append("\n")
    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip: self.skip -= 1
        if tag in self.BLOCK: self.parts.append("\n")
    def handle_data(self, data):
        if not self.skip: self.parts.append(data)
for line in open(listing, encoding="utf-8"):
    package, path = line.rstrip("\n").split("\t")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        continue
    parser = Text()
    parser.feed(text)
    lines = [" ".join(l.split()) for l in "".join(parser.parts).splitlines()]
    body = "\n".join(l for l in lines if l) + "\n"
    name = path[len("/usr/share/"):] if path.startswith("/usr/share/") else path
    name = name.replace("/", "_")
    if name.endswith(".gz"): name = name[:-3]
    os.makedirs(os.path.join(out, package), exist_ok=True)
    with open(os.path.join(out, package, name + ".txt"), "w", encoding="utf-8") as f:
        f.write(body)
PY
}

html_list=$(mktemp)
man_list=$(mktemp)
trap 'rm -f "$html_list" "$man_list"' EXIT
for package in "${packages[@]}"; do
  mkdir -p "$out/$package"
  while IFS= read -r path; do
    [[ -f "$path" && ! -L "$path" ]] || continue
    case "$path" in
      /usr/share/man/*/man[0-9]*/*)
        printf '%s\t%s\n' "$path" "$(target_name "$package" "$path")" >>"$man_list" ;;
      *.html | *.html.gz | *.htm)
        printf '%s\t%s\n' "$package" "$path" >>"$html_list" ;;
      *.txt | *.txt.gz)
        target=$(target_name "$package" "$path")
        if [[ "$path" == *.gz ]]; then zcat "$path" >"$target"; else cp "$path" "$target"; fi ;;
    esac
  done < <(dpkg -L "$package")
done
render_man_pages <"$man_list"
strip_html "$html_list"

# Not UTF-8, or next to nothing once rendered: out.
find "$out" -name '*.txt' -type f | while IFS= read -r file; do
  if [[ $(stat -c %s "$file") -lt 200 ]] || ! iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1; then
    rm -f "$file"
  fi
done

count=$(find "$out" -name '*.txt' -type f | wc -l)
bytes=$(find "$out" -name '*.txt' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
echo "corpus: $count documents, $((bytes / 1048576)) MB in $out" >&2
