#!/usr/bin/env python3
"""Regenerates corpus/pdf/NAME.pdf from corpus/NAME.html with LibreOffice.

usage: make_pdfs.py [--keep-fodt DIR] [--soffice PATH] [NAME ...]
       make_pdfs.py --html SRC.html --pdf DEST.pdf --date YYYY-MM-DD

For each source (all four by default) the HTML is parsed with html.parser and
written as a Flat ODF text document (.fodt) in a temporary directory; then
`soffice --headless --convert-to pdf` turns it into a PDF. The .fodt gives the
layout HTML cannot: page size and orientation, a running page header and a
page-number footer on every page, cell borders and padding, column widths, a
header row repeated on every page, rows allowed to break across pages, the
vertical alignment of cells, and a page break before a table.

Needs LibreOffice (soffice) and the IPA fonts (fonts-ipafont: IPAGothic).
Python 3 standard library only.

What the HTML may use: <title>, <meta name="author">, h1-h3, p, br, and
table/tr/th/td with rowspan, <p> and <br> inside cells. Everything else is
read as plain text.

Determinism: the .fodt carries a fixed creation date. LibreOffice stamps each
PDF with the time of conversion (/CreationDate), a document /ID and a
/DocChecksum that both depend on it; all three are rewritten in place to
fixed values of the same length (so no byte offset moves). The output is then
the same on every run with the same LibreOffice version and fonts (checked
with LibreOffice 7.4.7 and fonts-ipafont 00303).
"""
import argparse
import hashlib
import html
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)

FONT = "IPAGothic"
FONT_SIZE = "10pt"

# Per document: page orientation, column widths (cm), vertical alignment of
# the cells, the footer's page-number form, and whether the table starts a
# new page. The date is the document's own date, used as the fixed creation
# date in the metadata.
DOCS = {
    "15_pdf2col_shiranami": {
        "orientation": "portrait",
        "columns": [2.6, 14.4],
        "valign": "top",
        "footer": "dash",          # - 3 -
        "header_align": "end",
        "table_page_break": False,
        "date": "2023-09-12T10:00:00",
    },
    "16_pdf3col_akebono": {
        "orientation": "portrait",
        "columns": [2.2, 5.0, 9.8],
        "valign": "middle",        # as Excel exports often are
        "footer": "of",            # 3 / 4
        "header_align": "start",
        "table_page_break": False,
        "date": "2022-11-30T10:00:00",
    },
    "17_pdf5col_kazahana": {
        "orientation": "landscape",
        "columns": [2.3, 2.9, 1.9, 7.0, 12.6],
        "valign": "top",
        "footer": "of",
        "header_align": "end",
        "table_page_break": False,
        "date": "2025-03-14T10:00:00",
    },
    "18_pdfprose_hotaru": {
        "orientation": "portrait",
        "columns": [2.4, 2.4, 12.2],
        "valign": "top",
        "footer": "dash",
        "header_align": "end",
        "table_page_break": True,
        "date": "2021-06-01T10:00:00",
    },
}

BR = object()  # a line break inside a paragraph


# ---------------------------------------------------------------- HTML model

class Cell:
    def __init__(self, header, rowspan, colspan):
        self.header = header
        self.rowspan = rowspan
        self.colspan = colspan
        self.paras = [[]]       # list of paragraphs, each a list of str / BR
        self.in_p = False


class HtmlDoc(html.parser.HTMLParser):
    """The subset of HTML the corpus sources use, as blocks:
    ("h", level, runs), ("p", runs), ("table", rows) where rows are lists of
    Cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.author = ""
        self.blocks = []
        self._in_title = False
        self._in_body_skip = 0   # <style>, <script>
        self._runs = None        # the open top-level paragraph or heading
        self._table = None       # rows of the open table
        self._cell = None

    # -- helpers
    def _open_block(self, kind, level=0):
        self._close_block()
        self._runs = []
        self.blocks.append((kind, level, self._runs) if kind == "h" else (kind, self._runs))

    def _close_block(self):
        self._runs = None

    def _target(self):
        if self._cell is not None:
            return self._cell.paras[-1]
        if self._runs is None:
            self._open_block("p")
        return self._runs

    # -- parser callbacks
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag in ("style", "script"):
            self._in_body_skip += 1
        elif tag == "meta":
            if (a.get("name") or "").lower() == "author":
                self.author = a.get("content") or ""
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            if self._cell is None:
                self._open_block("h", int(tag[1]))
        elif tag == "p":
            if self._cell is not None:
                c = self._cell
                if c.paras[-1] or c.in_p:
                    c.paras.append([])
                c.in_p = True
            else:
                self._open_block("p")
        elif tag == "br":
            self._target().append(BR)
        elif tag == "table":
            self._close_block()
            self._table = []
            self.blocks.append(("table", self._table))
        elif tag == "tr" and self._table is not None:
            self._cell = None
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = Cell(tag == "th", int(a.get("rowspan") or 1), int(a.get("colspan") or 1))
            self._table[-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in ("style", "script"):
            self._in_body_skip -= 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p"):
            if self._cell is not None:
                if tag == "p":
                    self._cell.paras.append([])
                    self._cell.in_p = False
            else:
                self._close_block()
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "table":
            self._table = None
            self._cell = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._in_body_skip:
            return
        if self._table is not None and self._cell is None:
            return  # white space between table tags
        if self._cell is None and self._runs is None and not data.strip():
            return
        self._target().append(data)


def tidy(runs):
    """Collapses white space the way a browser would and trims each line."""
    lines, cur = [], ""
    for r in runs:
        if r is BR:
            lines.append(cur)
            cur = ""
        else:
            cur += r
    lines.append(cur)
    out = []
    for i, line in enumerate(lines):
        line = re.sub(r"[ \t\r\n\f]+", " ", line).strip()
        if i:
            out.append(BR)
        if line:
            out.append(line)
    return out


def cell_paragraphs(cell):
    paras = [tidy(p) for p in cell.paras]
    paras = [p for p in paras if any(r is not BR for r in p)]
    return paras or [[]]


# ---------------------------------------------------------------- FODT

def esc(s):
    return html.escape(s, quote=True)


def runs_xml(runs):
    out = []
    for r in runs:
        if r is BR:
            out.append("<text:line-break/>")
        else:
            # Runs of spaces need <text:s/>; single spaces are kept as is.
            out.append(re.sub(r"  +", lambda m: " <text:s text:c=\"%d\"/>" % (len(m.group()) - 1),
                              esc(r)))
    return "".join(out)


def page_layout(cfg):
    if cfg["orientation"] == "landscape":
        w, h, margin_lr = "29.7cm", "21cm", "1.5cm"
    else:
        w, h, margin_lr = "21cm", "29.7cm", "2cm"
    return (
        '<style:page-layout style:name="pm1">'
        f'<style:page-layout-properties fo:page-width="{w}" fo:page-height="{h}" '
        f'style:print-orientation="{cfg["orientation"]}" style:num-format="1" '
        f'fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="{margin_lr}" '
        f'fo:margin-right="{margin_lr}" style:writing-mode="lr-tb"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-bottom="0.4cm" fo:border-bottom="0.5pt solid #808080" '
        'fo:padding-bottom="0.1cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-top="0.4cm"/></style:footer-style>'
        '</style:page-layout>'
    )


def text_props(size=FONT_SIZE, bold=False):
    weight = ' fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"' \
        if bold else ""
    return (f'<style:text-properties style:font-name="{FONT}" fo:font-size="{size}" '
            f'style:font-name-asian="{FONT}" style:font-size-asian="{size}" '
            f'style:font-name-complex="{FONT}" style:font-size-complex="{size}"{weight}/>')


def common_styles():
    heading = lambda n, size, above, below: (
        f'<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}" '
        f'style:family="paragraph" style:parent-style-name="Standard" '
        f'style:next-style-name="Standard" style:default-outline-level="{n}" style:class="text">'
        f'<style:paragraph-properties fo:margin-top="{above}" fo:margin-bottom="{below}" '
        f'fo:keep-with-next="always"/>{text_props(size, bold=True)}</style:style>')
    return (
        '<style:default-style style:family="paragraph">'
        '<style:paragraph-properties style:writing-mode="lr-tb" style:line-break="strict"/>'
        + text_props().replace("/>", ' fo:language="ja" fo:country="JP" '
                                     'style:language-asian="ja" style:country-asian="JP"/>')
        + '</style:default-style>'
        '<style:default-style style:family="table-cell">'
        '<style:table-cell-properties style:vertical-align="top"/></style:default-style>'
        '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.18cm" '
        'fo:line-height="125%"/></style:style>'
        + heading(1, "15pt", "0cm", "0.4cm")
        + heading(2, "12pt", "0.35cm", "0.2cm")
        + heading(3, "10.5pt", "0.25cm", "0.12cm")
        + '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm" '
        'fo:line-height="120%"/></style:style>'
        '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" '
        'style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center"/>'
        + text_props(bold=True) + '</style:style>'
        '<style:style style:name="Header" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-bottom="0cm"/>'
        + text_props("8.5pt") + '</style:style>'
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center" fo:margin-bottom="0cm"/>'
        + text_props("9pt") + '</style:style>'
    )


def automatic_styles(cfg):
    total = sum(cfg["columns"])
    cols = "".join(
        f'<style:style style:name="Tbl.{chr(65 + i)}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{w:.2f}cm"/></style:style>'
        for i, w in enumerate(cfg["columns"]))
    cell = lambda name, extra="": (
        f'<style:style style:name="{name}" style:family="table-cell">'
        f'<style:table-cell-properties style:vertical-align="{cfg["valign"]}" '
        f'fo:padding="0.1cm" fo:border="0.5pt solid #000000"{extra}/></style:style>')
    break_before = ' fo:break-before="page"'
    return (
        page_layout(cfg)
        + f'<style:style style:name="Tbl" style:family="table">'
        f'<style:table-properties style:width="{total:.2f}cm" table:align="left" '
        f'fo:margin-top="0.1cm" fo:margin-bottom="0.3cm" style:may-break-between-rows="true"/>'
        f'</style:style>'
        f'<style:style style:name="TblBreak" style:family="table">'
        f'<style:table-properties style:width="{total:.2f}cm" table:align="left" '
        f'fo:margin-top="0.1cm" fo:margin-bottom="0.3cm" style:may-break-between-rows="true"'
        f'{break_before}/></style:style>'
        + cols
        + '<style:style style:name="Tbl.Row" style:family="table-row">'
        '<style:table-row-properties fo:keep-together="auto"/></style:style>'
        + cell("Tbl.Cell")
        + cell("Tbl.Head", ' fo:background-color="#d9d9d9"')
        + '<style:style style:name="PBreak" style:family="paragraph" '
        'style:parent-style-name="Heading_20_2"><style:paragraph-properties '
        'fo:break-before="page"/></style:style>'
        + f'<style:style style:name="HeaderAlign" style:family="paragraph" '
        f'style:parent-style-name="Header"><style:paragraph-properties '
        f'fo:text-align="{cfg["header_align"]}"/></style:style>'
    )


def master_styles(cfg, doc):
    header_text = f"{doc.author}　{doc.title}"
    if cfg["footer"] == "dash":
        footer = '- <text:page-number text:select-page="current">1</text:page-number> -'
    else:
        footer = ('<text:page-number text:select-page="current">1</text:page-number> / '
                  '<text:page-count>1</text:page-count>')
    return (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        f'<style:header><text:p text:style-name="HeaderAlign">{esc(header_text)}</text:p>'
        '</style:header>'
        f'<style:footer><text:p text:style-name="Footer">{footer}</text:p></style:footer>'
        '</style:master-page>'
    )


def table_xml(rows, cfg, page_break):
    ncols = len(cfg["columns"])
    out = [f'<table:table table:name="Table1" table:style-name="{"TblBreak" if page_break else "Tbl"}">']
    for i in range(ncols):
        out.append(f'<table:table-column table:style-name="Tbl.{chr(65 + i)}"/>')
    covered = {}  # column -> rows still covered by a rowspan from above
    header_rows = 0
    for row in rows:
        if row and all(c.header for c in row):
            header_rows += 1
        else:
            break
    for r, row in enumerate(rows):
        if r == 0 and header_rows:
            out.append("<table:table-header-rows>")
        out.append('<table:table-row table:style-name="Tbl.Row">')
        cells = iter(row)
        col = 0
        while col < ncols:
            if covered.get(col, 0) > 0:
                covered[col] -= 1
                out.append("<table:covered-table-cell/>")
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:  # a short row: pad it
                out.append('<table:table-cell table:style-name="Tbl.Cell" office:value-type="string">'
                           '<text:p text:style-name="Table_20_Contents"/></table:table-cell>')
                col += 1
                continue
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' table:number-rows-spanned="{cell.rowspan}"'
                for k in range(cell.colspan):
                    covered[col + k] = cell.rowspan - 1
            if cell.colspan > 1:
                attrs += f' table:number-columns-spanned="{cell.colspan}"'
            style = "Tbl.Head" if cell.header else "Tbl.Cell"
            pstyle = "Table_20_Heading" if cell.header else "Table_20_Contents"
            out.append(f'<table:table-cell table:style-name="{style}"{attrs} '
                       'office:value-type="string">')
            for p in cell_paragraphs(cell):
                out.append(f'<text:p text:style-name="{pstyle}">{runs_xml(p)}</text:p>')
            out.append("</table:table-cell>")
            for k in range(1, cell.colspan):
                out.append("<table:covered-table-cell/>")
            col += cell.colspan
        out.append("</table:table-row>")
        if header_rows and r == header_rows - 1:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def body_xml(doc, cfg):
    out = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        kind = block[0]
        next_is_table = i + 1 < len(blocks) and blocks[i + 1][0] == "table"
        prev_is_heading = i > 0 and blocks[i - 1][0] == "h"
        if kind == "h":
            _, level, runs = block
            style = f"Heading_20_{level}"
            # The table's page break goes on the heading that introduces it,
            # so the heading moves to the new page with its table.
            if cfg["table_page_break"] and next_is_table and level == 2:
                style = "PBreak"
            out.append(f'<text:h text:style-name="{style}" text:outline-level="{level}">'
                       f'{runs_xml(tidy(runs))}</text:h>')
        elif kind == "p":
            runs = tidy(block[1])
            if runs:
                out.append(f'<text:p text:style-name="Standard">{runs_xml(runs)}</text:p>')
        elif kind == "table":
            page_break = cfg["table_page_break"] and not prev_is_heading
            out.append(table_xml(block[1], cfg, page_break))
    return "".join(out)


NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def fodt(doc, cfg):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">\n'
        '<office:meta>'
        f'<dc:title>{esc(doc.title)}</dc:title>'
        f'<meta:initial-creator>{esc(doc.author)}</meta:initial-creator>'
        f'<dc:creator>{esc(doc.author)}</dc:creator>'
        f'<meta:creation-date>{cfg["date"]}</meta:creation-date>'
        f'<dc:date>{cfg["date"]}</dc:date>'
        '<dc:language>ja-JP</dc:language>'
        '</office:meta>\n'
        '<office:font-face-decls>'
        f'<style:font-face style:name="{FONT}" svg:font-family="{FONT}" '
        'style:font-family-generic="modern" style:font-pitch="fixed"/>'
        '</office:font-face-decls>\n'
        f'<office:styles>{common_styles()}</office:styles>\n'
        f'<office:automatic-styles>{automatic_styles(cfg)}</office:automatic-styles>\n'
        f'<office:master-styles>{master_styles(cfg, doc)}</office:master-styles>\n'
        f'<office:body><office:text>{body_xml(doc, cfg)}</office:text></office:body>\n'
        '</office:document>\n'
    )


# ---------------------------------------------------------------- PDF

def make_deterministic(pdf, cfg, seed):
    """Rewrites the conversion time, the document /ID and LibreOffice's
    /DocChecksum in place, keeping every byte offset."""
    stamp = "D:" + re.sub(r"[-T:]", "", cfg["date"])  # D:20230912100000

    def date_sub(m):
        old = m.group(2)
        new = (stamp + "+00'00'").encode()
        new = new[:len(old)] if len(new) >= len(old) else new + b" " * (len(old) - len(new))
        return m.group(1) + new + m.group(3)

    pdf = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", date_sub, pdf)
    digest = hashlib.md5(seed.encode()).hexdigest().upper().encode()

    def hex_like(old):
        return (digest * (len(old) // len(digest) + 1))[:len(old)]

    pdf = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)",
                 lambda m: m.group(1) + hex_like(m.group(2)) + m.group(3) + hex_like(m.group(4))
                 + m.group(5), pdf)
    # LibreOffice also writes a checksum of the file it wrote (with the time in it).
    pdf = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)",
                 lambda m: m.group(1) + hex_like(m.group(2)), pdf)
    return pdf


def convert(src, dest, cfg, soffice, keep_dir=None):
    """src: an HTML file; dest: the PDF to write."""
    name = os.path.splitext(os.path.basename(dest))[0]
    with open(src, encoding="utf-8") as f:
        doc = HtmlDoc()
        doc.feed(f.read())
        doc.close()
    xml = fodt(doc, cfg)
    with tempfile.TemporaryDirectory(prefix="fiscdex-pdf-") as tmp:
        fodt_path = os.path.join(tmp, name + ".fodt")
        with open(fodt_path, "w", encoding="utf-8") as f:
            f.write(xml)
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
            shutil.copy(fodt_path, keep_dir)
        # A private profile: no clash with a running LibreOffice, no user settings.
        profile = "file://" + os.path.join(tmp, "profile")
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, fodt_path]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out_pdf = os.path.join(tmp, name + ".pdf")
        if res.returncode != 0 or not os.path.exists(out_pdf):
            sys.exit(f"{name}: soffice failed ({res.returncode}):\n{res.stdout}")
        with open(out_pdf, "rb") as f:
            pdf = make_deterministic(f.read(), cfg, name)
    with open(dest, "wb") as f:
        f.write(pdf)
    print(f"{dest}: {len(pdf)} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="corpus sources to convert (default: all)")
    ap.add_argument("--keep-fodt", metavar="DIR", help="also copy each .fodt into DIR")
    ap.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    ap.add_argument("--html", metavar="SRC",
                    help="convert this HTML file instead (A4 portrait, one table of 2 "
                         "columns: ID and answer); needs --pdf and --date")
    ap.add_argument("--pdf", metavar="DEST", help="where --html's PDF goes")
    ap.add_argument("--date", metavar="YYYY-MM-DD", help="--html's fixed creation date")
    args = ap.parse_args()
    if args.html:
        if not args.pdf or not args.date or args.names:
            sys.exit("--html needs --pdf and --date, and no NAME")
        cfg = dict(DOCS["15_pdf2col_shiranami"], date=args.date + "T10:00:00")
        convert(args.html, args.pdf, cfg, args.soffice, args.keep_fodt)
        return
    names = args.names or sorted(DOCS)
    for n in names:
        if n not in DOCS:
            sys.exit(f"unknown source {n}; known: {', '.join(sorted(DOCS))}")
        dest = os.path.join(HERE, n + ".pdf")
        convert(os.path.join(CORPUS, n + ".html"), os.path.relpath(dest), DOCS[n], args.soffice,
                args.keep_fodt)


if __name__ == "__main__":
    main()
