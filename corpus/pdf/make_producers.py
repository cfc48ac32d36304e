#!/usr/bin/env python3
"""Prints corpus/NAME.html as corpus/pdf/NAME.PRODUCER.pdf with LibreOffice.

usage: make_producers.py [--keep-src DIR] [--soffice PATH] [NAME[.PRODUCER] ...]

The same HTML source is laid out the way three kinds of office documents
print, so that one source gives several PDFs with the same records:

  writer     a Writer text document (.fodt) holding the source's tables: page
             header and footer, cell borders, a header row repeated on every
             page, rows that may break across pages, and per document: the
             font, column widths, vertical alignment and padding of the cells,
             a grey header row, and `表 N …` captions set as captions.
  calc       a Calc spreadsheet (.fods), as an Excel-style check sheet prints:
             one sheet per table, the prose above a table as a title block of
             merged cells, cell borders as grid lines, the header row as print
             titles (repeated on every page), merged cells (rowspan), wrapped
             text, and the page scaled to fit its width.
  wordstyle  a Writer text document without tables, as a word processor
             document prints: a title block, numbered headings, and each
             criterion as a bold line at body size (<p><b>【実8】 …</b></p>)
             followed by its answer paragraphs.
  web        the HTML source itself opened in LibreOffice Writer and printed,
             as someone does who saves a web page and opens it in an office
             suite: Writer's HTML import keeps the tables' structure but drops
             the CSS (no borders, no columns), sets the cells close together
             and centres them vertically.

With no NAME every job in JOBS is made; NAME alone makes all of its producers.
Each job's file is converted with `soffice --headless --convert-to pdf` in a
private profile, then its creation date, /ID and /DocChecksum are fixed in
place (make_pdfs.make_deterministic), so that the same LibreOffice and fonts
give the same bytes on every run (checked with LibreOffice 7.4.7,
fonts-ipafont 00303, fonts-ipaexfont 00401 and fonts-noto-cjk 20220127).

Row heights in Calc: Calc sizes a row to its own cells only, never to a cell
merged over several rows or columns, so a long merged answer would be cut off
on paper. The calc producer therefore converts a measuring sheet first (every
row's cells, and every merged cell alone in a column as wide as its merged
area) to .fods, reads the heights LibreOffice gave those rows, and makes the
rows under a merged cell tall enough to show all of its text.

What the HTML may use: what make_pdfs.py reads (<title>, <meta name="author">,
h1-h3, p, br, table/tr/th/td with rowspan and colspan, <p> and <br> in cells),
and <b>/<strong> (bold, used by wordstyle). Python 3 standard library only;
needs LibreOffice (soffice) and the fonts named in JOBS.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in corpus/pdf/
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pdfs as base  # noqa: E402

CORPUS = os.path.dirname(HERE)
BR = base.BR
BOLD_ON, BOLD_OFF = object(), object()

# One entry per PDF: corpus/pdf/NAME.PRODUCER.pdf. "date" is the document's
# own date, used as the fixed creation date.
JOBS = {
    "19_caption_isaribi.writer": {
        "font": "IPAexGothic", "size": 10.0,
        "orientation": "portrait", "margins": (1.5, 1.5, 2.0, 2.0),  # top, bottom, left, right
        "columns": [1.47, 5.33, 10.2],
        "valign": ["top", "top", "top"], "padding": "0.1cm",
        "head_bg": "#d9d9d9", "table_align": "left",
        "header": "{author}　{title}", "header_align": "end",
        "footer": "- {page} -",
        "date": "2024-08-20T10:00:00",
    },
    "19_caption_isaribi.calc": {
        "font": "IPAexGothic", "size": 10.0,
        "orientation": "portrait", "margins": (1.8, 1.8, 1.5, 1.5),
        "columns": [1.9, 6.6, 12.5],
        "valign": ["top", "top", "top"], "head_bg": "#d9d9d9",
        "sheets": ["統制基準", "実務基準", "設備・監査基準"],
        "header": "{title}", "footer": "{page} / {pages}",
        "date": "2024-08-20T10:00:00",
    },
    "20_midpage_minamo.writer": {
        "font": "Noto Sans CJK JP", "size": 9.5,
        "orientation": "portrait", "margins": (2.0, 1.8, 2.2, 2.2),
        "columns": [2.0, 5.2, 9.4],
        "valign": ["middle", "middle", "middle"], "padding": "0cm",
        "head_bg": None, "table_align": "center",
        "header": "{title}", "header_align": "start",
        "footer": "{page} / {pages}",
        "date": "2023-11-06T10:00:00",
    },
    "20_midpage_minamo.calc": {
        "font": "Noto Sans CJK JP", "size": 9.5,
        "orientation": "portrait", "margins": (1.5, 1.5, 1.5, 1.5),
        "columns": [2.2, 6.0, 11.0],
        "valign": ["middle", "middle", "middle"], "head_bg": "#fce4d6",
        "sheets": ["対応状況"],
        "header": "{author}", "footer": "ページ {page}",
        "date": "2023-11-06T10:00:00",
    },
    "21_checksheet_kogarashi.calc": {
        "font": "IPAGothic", "size": 10.0,
        "orientation": "landscape", "margins": (1.5, 1.5, 1.2, 1.2),
        "columns": [2.6, 2.4, 10.0, 19.0],
        # Excel's default vertical alignment is "bottom"; this sheet kept it
        # for the ID column only.
        "valign": ["middle", "bottom", "top", "top"], "head_bg": "#ddebf7",
        "sheets": ["チェックシート"],
        "header": "{title}", "footer": "{page} / {pages}",
        "date": "2025-01-22T10:00:00",
    },
    "21_checksheet_kogarashi.writer": {
        "font": "IPAGothic", "size": 10.0,
        "orientation": "landscape", "margins": (1.2, 1.2, 1.5, 1.5),
        "columns": [2.4, 2.2, 8.2, 13.9],
        "valign": ["top", "top", "top", "top"], "padding": "0.1cm",
        "head_bg": "#d9d9d9", "table_align": "left",
        "header": "{author}　{title}", "header_align": "end",
        "footer": "{page} / {pages}",
        "date": "2025-01-22T10:00:00",
    },
    # Only the page's own settings count for `web`: Writer takes the layout
    # from the HTML. 16 and 24 are the sources whose web prints read right
    # today; the others are measured in doc/pdf.md.
    "16_pdf3col_akebono.web": {
        "date": "2022-11-30T10:00:00",
    },
    "24_borderless_hamayu.web": {
        "date": "2023-12-08T10:00:00",
    },
    # The same check sheet with narrow text columns: a merged answer cell
    # (実34-37) cut by the page break, which Calc prints clipped on both pages.
    "21_checksheet_kogarashi.calc-narrow": {
        "font": "IPAGothic", "size": 10.0,
        "orientation": "landscape", "margins": (1.5, 1.5, 1.2, 1.2),
        "columns": [2.6, 2.4, 6.0, 7.3],
        "valign": ["middle", "bottom", "top", "top"], "head_bg": "#ddebf7",
        "sheets": ["チェックシート"],
        "header": "{title}", "footer": "{page} / {pages}",
        "date": "2025-01-22T10:00:00",
    },
    # A check sheet numbering its rows (No.) left of the IDs, IDs written
    # with the family's full name (統制基準1), a category merged over each
    # family's rows, and a second table of ranges and lists.
    "30_rownumbers_shiosai.calc": {
        "font": "IPAexGothic", "size": 10.0,
        "orientation": "landscape", "margins": (1.5, 1.5, 1.2, 1.2),
        "columns": [1.2, 3.0, 6.0, 6.5, 11.5],
        "valign": ["top", "middle", "top", "top", "top"], "head_bg": "#e2efda",
        "sheets": ["対応チェックシート", "範囲・一覧"],
        "header": "{title}", "footer": "ページ {page} / {pages}",
        "date": "2024-09-17T10:00:00",
    },
    "30_rownumbers_shiosai.writer": {
        "font": "Noto Sans CJK JP", "size": 9.0,
        "orientation": "portrait", "margins": (1.5, 1.5, 1.8, 1.8),
        "columns": [1.0, 1.8, 2.6, 4.4, 7.6],
        "valign": ["top", "top", "top", "top", "top"], "padding": "0.08cm",
        "head_bg": "#d9d9d9", "table_align": "left",
        "header": "{author}", "header_align": "start",
        "footer": "- {page} -",
        "date": "2024-09-17T10:00:00",
    },
    # Two answer columns: who acts (当社, お客様, 共同) and the vendor's text.
    "31_whodoes_kamome.writer": {
        "font": "IPAexMincho", "size": 10.0,
        "orientation": "portrait", "margins": (2.0, 2.0, 2.0, 2.0),
        "columns": [1.9, 4.2, 1.6, 9.3],
        "valign": ["top", "top", "top", "top"], "padding": "0.1cm",
        "head_bg": "#eeeeee", "table_align": "left",
        "header": "{title}", "header_align": "end",
        "footer": "{page} / {pages}",
        "date": "2016-03-01T10:00:00",
    },
    "31_whodoes_kamome.web": {
        "date": "2016-03-01T10:00:00",
    },
    # Word-style answers with lists (・ lines), sub-labels (＜補足＞) and
    # lead lines naming two criteria (【統10・統11】).
    "32_wordlists_sazanami.wordstyle": {
        "font": "IPAexMincho", "size": 10.5,
        "orientation": "portrait", "margins": (2.5, 2.5, 2.5, 2.5),
        "header": "{author}", "footer": "- {page} -",
        "date": "2025-06-02T10:00:00",
    },
    "32_wordlists_sazanami.writer": {
        "font": "Noto Sans CJK JP", "size": 9.5, "bold": True,
        "orientation": "portrait", "margins": (1.5, 1.5, 2.0, 2.0),
        "columns": [17.0], "valign": ["top"], "padding": "0.1cm",
        "head_bg": None, "table_align": "left",
        "header": "{title}", "header_align": "end",
        "footer": "{page} / {pages}",
        "date": "2025-06-02T10:00:00",
    },
    "22_wordstyle_tsukimi.wordstyle": {
        "font": "Noto Sans CJK JP", "size": 10.5,
        "orientation": "portrait", "margins": (3.5, 3.0, 3.0, 3.0),
        "header": "{title}", "footer": "{page}",
        "date": "2022-04-15T10:00:00",
    },
    "22_wordstyle_tsukimi.writer": {
        "font": "IPAGothic", "size": 10.0, "bold": False,
        "orientation": "portrait", "margins": (1.2, 1.2, 2.0, 2.0),
        "columns": [17.0], "valign": ["top"], "padding": "0.1cm",
        "head_bg": None, "table_align": "left",
        "header": "{author}　{title}", "header_align": "end",
        "footer": "- {page} -",
        "date": "2022-04-15T10:00:00",
    },
}


# ---------------------------------------------------------------- HTML

class RichDoc(base.HtmlDoc):
    """make_pdfs.HtmlDoc plus <b>/<strong>, kept as BOLD_ON/BOLD_OFF runs."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag in ("b", "strong"):
            self._target().append(BOLD_ON)

    def handle_endtag(self, tag):
        if tag in ("b", "strong"):
            self._target().append(BOLD_OFF)
        super().handle_endtag(tag)


def read_html(path):
    with open(path, encoding="utf-8") as f:
        doc = RichDoc()
        doc.feed(f.read())
        doc.close()
    return doc


def rich_lines(runs):
    """Runs (str, BR, BOLD_ON/OFF) as lines, each a list of (text, bold),
    with white space collapsed the way a browser does."""
    lines, cur, bold = [], [], False
    for r in runs:
        if r is BR:
            lines.append(cur)
            cur = []
        elif r is BOLD_ON:
            bold = True
        elif r is BOLD_OFF:
            bold = False
        else:
            cur.extend((ch, bold) for ch in r)
    lines.append(cur)
    out = []
    for chars in lines:
        keep = []
        prev_space = True  # drops leading white space
        for c, b in chars:
            space = c in " \t\r\n\f"
            if space and prev_space:
                continue
            keep.append((" " if space else c, b))
            prev_space = space
        while keep and keep[-1][0] == " ":
            keep.pop()
        spans = []
        for c, b in keep:
            if spans and spans[-1][1] == b:
                spans[-1][0] += c
            else:
                spans.append([c, b])
        out.append([(t, b) for t, b in spans])
    return out


def plain(runs):
    """The text of runs, one string per line."""
    return ["".join(t for t, _ in line) for line in rich_lines(runs)]


def cell_lines(cell):
    """A table cell's text as lines: one per <p> and per <br>."""
    out = []
    for para in cell.paras:
        lines = plain(para)
        if any(lines):
            out.extend(lines)
    return out


def is_caption(block, next_block):
    return (block[0] == "p" and next_block is not None and next_block[0] == "table"
            and re.match(r"^表\s*[0-9０-９]", "".join(plain(block[1]))) is not None)


# ---------------------------------------------------------------- common ODF

NS = (base.NS + ' xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')
esc = base.esc


def fmt_pt(x):
    return ("%.2f" % x).rstrip("0").rstrip(".") + "pt"


def text_props(cfg, size=None, bold=False, extra=""):
    font, size = cfg["font"], fmt_pt(size or cfg["size"])
    weight = (' fo:font-weight="bold" style:font-weight-asian="bold" '
              'style:font-weight-complex="bold"') if bold else ""
    return (f'<style:text-properties style:font-name="{font}" fo:font-size="{size}" '
            f'style:font-name-asian="{font}" style:font-size-asian="{size}" '
            f'style:font-name-complex="{font}" style:font-size-complex="{size}"{weight}{extra}/>')


def font_decls(cfg):
    font = cfg["font"]
    pitch = "fixed" if font == "IPAGothic" else "variable"
    return ('<office:font-face-decls>'
            f'<style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;" '
            f'style:font-family-generic="swiss" style:font-pitch="{pitch}"/>'
            '</office:font-face-decls>\n')


def meta(doc, cfg):
    return ('<office:meta>'
            f'<dc:title>{esc(doc.title)}</dc:title>'
            f'<meta:initial-creator>{esc(doc.author)}</meta:initial-creator>'
            f'<dc:creator>{esc(doc.author)}</dc:creator>'
            f'<meta:creation-date>{cfg["date"]}</meta:creation-date>'
            f'<dc:date>{cfg["date"]}</dc:date>'
            '<dc:language>ja-JP</dc:language>'
            '</office:meta>\n')


def page_size(cfg):
    return ("29.7cm", "21cm") if cfg["orientation"] == "landscape" else ("21cm", "29.7cm")


def header_footer_text(template, doc, calc=False):
    """A header/footer template as ODF text: {title}, {author}, {page}, {pages}."""
    parts = re.split(r"(\{page\}|\{pages\})", template)
    out = []
    for p in parts:
        if p == "{page}":
            out.append('<text:page-number text:select-page="current">1</text:page-number>'
                       if not calc else '<text:page-number>1</text:page-number>')
        elif p == "{pages}":
            out.append('<text:page-count>1</text:page-count>')
        else:
            out.append(esc(p.format(title=doc.title, author=doc.author)))
    return "".join(out)


def runs_xml(line):
    """One line of (text, bold) spans as ODF text; bold spans in a T_B span."""
    out = []
    for t, b in line:
        x = re.sub(r"  +", lambda m: " <text:s text:c=\"%d\"/>" % (len(m.group()) - 1), esc(t))
        out.append(f'<text:span text:style-name="T_B">{x}</text:span>' if b else x)
    return "".join(out)


def lines_xml(lines):
    return "<text:line-break/>".join(runs_xml(line) for line in lines)


# ---------------------------------------------------------------- writer (tables)

def writer_styles(cfg):
    heading = lambda n, size, above, below: (
        f'<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}" '
        f'style:family="paragraph" style:parent-style-name="Standard" '
        f'style:next-style-name="Standard" style:default-outline-level="{n}" style:class="text">'
        f'<style:paragraph-properties fo:margin-top="{above}" fo:margin-bottom="{below}" '
        f'fo:keep-with-next="always"/>{text_props(cfg, size, bold=True)}</style:style>')
    return (
        '<style:default-style style:family="paragraph">'
        '<style:paragraph-properties style:writing-mode="lr-tb" style:line-break="strict"/>'
        + text_props(cfg, extra=' fo:language="ja" fo:country="JP" style:language-asian="ja" '
                                'style:country-asian="JP"')
        + '</style:default-style>'
        '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.18cm" '
        'fo:line-height="125%"/></style:style>'
        + heading(1, cfg["size"] * 1.5, "0cm", "0.4cm")
        + heading(2, cfg["size"] * 1.2, "0.35cm", "0.2cm")
        + heading(3, cfg["size"] * 1.05, "0.25cm", "0.12cm")
        + '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm" '
        'fo:line-height="120%"/></style:style>'
        '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" '
        'style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center"/>'
        + text_props(cfg, bold=True) + '</style:style>'
        '<style:style style:name="Caption" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm" '
        'fo:margin-bottom="0.1cm" fo:keep-with-next="always"/>'
        + text_props(cfg, cfg["size"] * 0.95, bold=True) + '</style:style>'
        '<style:style style:name="Header" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-bottom="0cm"/>'
        + text_props(cfg, 8.5) + '</style:style>'
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center" fo:margin-bottom="0cm"/>'
        + text_props(cfg, 9) + '</style:style>'
    )


def writer_page_layout(cfg, header_rule=True):
    w, h = page_size(cfg)
    top, bottom, left, right = cfg["margins"]
    rule = ('fo:border-bottom="0.5pt solid #808080" fo:padding-bottom="0.1cm" '
            if header_rule else "")
    return (
        '<style:page-layout style:name="pm1">'
        f'<style:page-layout-properties fo:page-width="{w}" fo:page-height="{h}" '
        f'style:print-orientation="{cfg["orientation"]}" style:num-format="1" '
        f'fo:margin-top="{top}cm" fo:margin-bottom="{bottom}cm" fo:margin-left="{left}cm" '
        f'fo:margin-right="{right}cm" style:writing-mode="lr-tb"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.6cm" '
        f'fo:margin-bottom="0.4cm" {rule}/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-top="0.4cm"/></style:footer-style>'
        '</style:page-layout>'
    )


def writer_master(cfg, doc):
    return (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        f'<style:header><text:p text:style-name="HeaderAlign">'
        f'{header_footer_text(cfg["header"], doc)}</text:p></style:header>'
        f'<style:footer><text:p text:style-name="Footer">'
        f'{header_footer_text(cfg["footer"], doc)}</text:p></style:footer>'
        '</style:master-page>'
    )


def writer_auto_styles(cfg):
    total = sum(cfg["columns"])
    cols = "".join(
        f'<style:style style:name="Tbl.{chr(65 + i)}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{w:.2f}cm"/></style:style>'
        for i, w in enumerate(cfg["columns"]))
    cells = []
    for i, valign in enumerate(cfg["valign"]):
        for kind, bg in (("Cell", None), ("Head", cfg["head_bg"])):
            bg_attr = f' fo:background-color="{bg}"' if bg else ""
            v = "middle" if kind == "Head" else valign
            cells.append(
                f'<style:style style:name="Tbl.{kind}{i}" style:family="table-cell">'
                f'<style:table-cell-properties style:vertical-align="{v}" '
                f'fo:padding="{cfg["padding"]}" fo:border="0.5pt solid #000000"{bg_attr}/>'
                '</style:style>')
    return (
        writer_page_layout(cfg)
        + f'<style:style style:name="Tbl" style:family="table">'
        f'<style:table-properties style:width="{total:.2f}cm" table:align="{cfg["table_align"]}" '
        f'fo:margin-top="0.1cm" fo:margin-bottom="0.3cm" style:may-break-between-rows="true"/>'
        f'</style:style>'
        + cols
        + '<style:style style:name="Tbl.Row" style:family="table-row">'
        '<style:table-row-properties fo:keep-together="auto"/></style:style>'
        + "".join(cells)
        + f'<style:style style:name="HeaderAlign" style:family="paragraph" '
        f'style:parent-style-name="Header"><style:paragraph-properties '
        f'fo:text-align="{cfg["header_align"]}"/></style:style>'
        + '<style:style style:name="T_B" style:family="text">'
        '<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" '
        'style:font-weight-complex="bold"/></style:style>'
    )


def header_row_count(rows):
    n = 0
    for row in rows:
        if row and all(c.header for c in row):
            n += 1
        else:
            break
    return n


def writer_table(rows, cfg, number):
    ncols = len(cfg["columns"])
    out = [f'<table:table table:name="Table{number}" table:style-name="Tbl">']
    for i in range(ncols):
        out.append(f'<table:table-column table:style-name="Tbl.{chr(65 + i)}"/>')
    covered = {}
    heads = header_row_count(rows)
    for r, row in enumerate(rows):
        if r == 0 and heads:
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
            if cell is None:
                out.append(f'<table:table-cell table:style-name="Tbl.Cell{col}" '
                           'office:value-type="string"><text:p text:style-name="Table_20_Contents"/>'
                           '</table:table-cell>')
                col += 1
                continue
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' table:number-rows-spanned="{cell.rowspan}"'
                for k in range(cell.colspan):
                    covered[col + k] = cell.rowspan - 1
            if cell.colspan > 1:
                attrs += f' table:number-columns-spanned="{cell.colspan}"'
            kind = "Head" if cell.header else "Cell"
            pstyle = "Table_20_Heading" if cell.header else "Table_20_Contents"
            out.append(f'<table:table-cell table:style-name="Tbl.{kind}{col}"{attrs} '
                       'office:value-type="string">')
            paras = [p for p in cell.paras if any(plain(p))] or [[]]
            for p in paras:
                out.append(f'<text:p text:style-name="{pstyle}">{lines_xml(rich_lines(p))}</text:p>')
            out.append("</table:table-cell>")
            out.extend("<table:covered-table-cell/>" for _ in range(1, cell.colspan))
            col += cell.colspan
        out.append("</table:table-row>")
        if heads and r == heads - 1:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def writer_body(doc, cfg):
    out, tables = [], 0
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block[0] == "h":
            _, level, runs = block
            out.append(f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
                       f'{lines_xml(rich_lines(runs))}</text:h>')
        elif block[0] == "p":
            lines = rich_lines(block[1])
            if not cfg.get("bold", True):  # a plain layout: <b> prints as body text
                lines = [[(t, False) for t, _ in line] for line in lines]
            if any(lines):
                style = "Caption" if is_caption(block, nxt) else "Standard"
                out.append(f'<text:p text:style-name="{style}">{lines_xml(lines)}</text:p>')
        elif block[0] == "table":
            tables += 1
            out.append(writer_table(block[1], cfg, tables))
    return "".join(out)


def writer_fodt(doc, cfg):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">\n'
        + meta(doc, cfg) + font_decls(cfg)
        + f'<office:styles>{writer_styles(cfg)}</office:styles>\n'
        f'<office:automatic-styles>{writer_auto_styles(cfg)}</office:automatic-styles>\n'
        f'<office:master-styles>{writer_master(cfg, doc)}</office:master-styles>\n'
        f'<office:body><office:text>{writer_body(doc, cfg)}</office:text></office:body>\n'
        '</office:document>\n'
    )


# ---------------------------------------------------------------- wordstyle

def wordstyle_fodt(doc, cfg):
    size = cfg["size"]
    indent = fmt_pt(size)  # one full-width character
    styles = (
        '<style:default-style style:family="paragraph">'
        '<style:paragraph-properties style:writing-mode="lr-tb" style:line-break="strict"/>'
        + text_props(cfg, extra=' fo:language="ja" fo:country="JP" style:language-asian="ja" '
                                'style:country-asian="JP"')
        + '</style:default-style>'
        '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm" '
        'fo:line-height="150%" fo:text-align="justify"/></style:style>'
        '<style:style style:name="Title" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="chapter">'
        '<style:paragraph-properties fo:text-align="center" fo:margin-top="0.6cm" '
        'fo:margin-bottom="0.6cm"/>' + text_props(cfg, 16, bold=True) + '</style:style>'
        '<style:style style:name="Heading_20_2" style:display-name="Heading 2" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        'style:default-outline-level="2" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.15cm" '
        'fo:keep-with-next="always"/>' + text_props(cfg, 12, bold=True) + '</style:style>'
        '<style:style style:name="Heading_20_3" style:display-name="Heading 3" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        'style:default-outline-level="3" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.1cm" '
        'fo:keep-with-next="always"/>' + text_props(cfg, size, bold=True) + '</style:style>'
        '<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">'
        f'<style:paragraph-properties fo:text-indent="{indent}"/></style:style>'
        '<style:style style:name="Answer" style:family="paragraph" style:parent-style-name="Standard">'
        f'<style:paragraph-properties fo:margin-left="{indent}" fo:text-indent="{indent}"/>'
        '</style:style>'
        '<style:style style:name="Item" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:margin-top="0.25cm" fo:keep-with-next="always"/>'
        '</style:style>'
        '<style:style style:name="Right" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:text-align="end"/></style:style>'
        '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:text-align="end" fo:line-height="100%"/>'
        + text_props(cfg, 9) + '</style:style>'
        '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:text-align="center" fo:line-height="100%"/>'
        + text_props(cfg, 9) + '</style:style>'
    )
    w, h = page_size(cfg)
    top, bottom, left, right = cfg["margins"]
    auto = (
        '<style:page-layout style:name="pm1">'
        f'<style:page-layout-properties fo:page-width="{w}" fo:page-height="{h}" '
        f'style:print-orientation="{cfg["orientation"]}" style:num-format="1" '
        f'fo:margin-top="{top - 1.5}cm" fo:margin-bottom="{bottom - 1.2}cm" '
        f'fo:margin-left="{left}cm" fo:margin-right="{right}cm" style:writing-mode="lr-tb"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="1.5cm" '
        'fo:margin-bottom="0cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="1.2cm" '
        'fo:margin-top="0cm"/></style:footer-style>'
        '</style:page-layout>'
        '<style:style style:name="T_B" style:family="text">'
        '<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" '
        'style:font-weight-complex="bold"/></style:style>'
    )
    master = (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        f'<style:header><text:p text:style-name="Header">{header_footer_text(cfg["header"], doc)}'
        '</text:p></style:header>'
        f'<style:footer><text:p text:style-name="Footer">{header_footer_text(cfg["footer"], doc)}'
        '</text:p></style:footer></style:master-page>'
    )
    body = []
    seen_h2 = False
    in_item = False
    for block in doc.blocks:
        if block[0] == "h":
            _, level, runs = block
            text = lines_xml([[(t, False) for t, _ in line] for line in rich_lines(runs)])
            if level == 1:
                body.append(f'<text:p text:style-name="Title">{text}</text:p>')
            else:
                seen_h2 = True
                lvl = min(level, 3)
                body.append(f'<text:h text:style-name="Heading_20_{lvl}" '
                            f'text:outline-level="{lvl}">{text}</text:h>')
            in_item = False
        elif block[0] == "p":
            lines = rich_lines(block[1])
            if not any(lines):
                continue
            all_bold = all(b for line in lines for _, b in line)
            if not seen_h2:
                style = "Right"
            elif all_bold:
                style, in_item = "Item", True
            else:
                style = "Answer" if in_item else "Body"
            body.append(f'<text:p text:style-name="{style}">{lines_xml(lines)}</text:p>')
        elif block[0] == "table":
            sys.exit("wordstyle: the source has a table")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">\n'
        + meta(doc, cfg) + font_decls(cfg)
        + f'<office:styles>{styles}</office:styles>\n'
        f'<office:automatic-styles>{auto}</office:automatic-styles>\n'
        f'<office:master-styles>{master}</office:master-styles>\n'
        f'<office:body><office:text>{"".join(body)}</office:text></office:body>\n'
        '</office:document>\n'
    )


# ---------------------------------------------------------------- calc

class SCell:
    """A cell of the sheet model: where it is, what it spans, its lines."""

    def __init__(self, row, col, lines, style, rowspan=1, colspan=1):
        self.row, self.col, self.lines, self.style = row, col, lines, style
        self.rowspan, self.colspan = rowspan, colspan


class Sheet:
    def __init__(self, name):
        self.name = name
        self.cells = []          # SCell
        self.nrows = 0
        self.header_rows = None  # (first, last) row of the print titles

    def add_row(self):
        self.nrows += 1
        return self.nrows - 1


def calc_sheets(doc, cfg):
    """Lays the HTML out as sheets: each table (with the prose and caption
    before it) on its own sheet, the prose after the last table below it."""
    ncols = len(cfg["columns"])
    names = cfg["sheets"]
    sheets = [Sheet(n) for n in names]
    tables = [b for b in doc.blocks if b[0] == "table"]
    if len(tables) != len(sheets):
        sys.exit(f"calc: {len(tables)} tables but {len(sheets)} sheet names")
    si = 0
    blocks = doc.blocks
    pending_gap = False
    for i, block in enumerate(blocks):
        sheet = sheets[min(si, len(sheets) - 1)]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block[0] in ("h", "p"):
            runs = block[2] if block[0] == "h" else block[1]
            lines = plain(runs)
            if not any(lines):
                continue
            if block[0] == "h" and block[1] == 1:
                style = "title"
            elif block[0] == "h":
                style = "heading"
            elif is_caption(block, nxt):
                style = "caption"
                if sheet.nrows:
                    sheet.add_row()  # a blank row above the caption
            else:
                style = "prose"
            if pending_gap and sheet.nrows:  # a blank row below the table
                sheet.add_row()
            pending_gap = False
            r = sheet.add_row()
            sheet.cells.append(SCell(r, 0, lines, style, colspan=ncols))
        elif block[0] == "table":
            rows = block[1]
            if sheet.nrows and sheet.cells[-1].style != "caption":
                sheet.add_row()
            heads = header_row_count(rows)
            covered = {}
            first = sheet.nrows
            for k, row in enumerate(rows):
                r = sheet.add_row()
                cells = iter(row)
                col = 0
                while col < ncols:
                    if covered.get(col, 0) > 0:
                        covered[col] -= 1
                        col += 1
                        continue
                    cell = next(cells, None)
                    if cell is None:
                        sheet.cells.append(SCell(r, col, [], f"data{col}"))
                        col += 1
                        continue
                    if cell.rowspan > 1:
                        for c in range(cell.colspan):
                            covered[col + c] = cell.rowspan - 1
                    style = "head" if cell.header else f"data{col}"
                    sheet.cells.append(SCell(r, col, cell_lines(cell), style,
                                             cell.rowspan, cell.colspan))
                    col += cell.colspan
            if heads:
                sheet.header_rows = (first, first + heads - 1)
            si += 1
            pending_gap = True
    return sheets


def calc_cell_styles(cfg):
    size = cfg["size"]
    border = ' fo:border="0.5pt solid #000000"'
    styles = {
        "title": ("top", "", text_props(cfg, size * 1.4, bold=True), "start", False),
        "heading": ("top", "", text_props(cfg, size * 1.1, bold=True), "start", True),
        "caption": ("bottom", "", text_props(cfg, size, bold=True), "start", False),
        "prose": ("top", "", text_props(cfg), "start", True),
        "head": ("middle", border + (f' fo:background-color="{cfg["head_bg"]}"'
                                    if cfg["head_bg"] else ""),
                 text_props(cfg, bold=True), "center", True),
    }
    for i, v in enumerate(cfg["valign"]):
        styles[f"data{i}"] = (v, border, text_props(cfg), "start", True)
    out = []
    for name, (valign, extra, tprops, align, wrap) in styles.items():
        wrap_attr = ' fo:wrap-option="wrap"' if wrap else ""
        out.append(
            f'<style:style style:name="ce_{name}" style:family="table-cell" '
            'style:parent-style-name="Default">'
            f'<style:table-cell-properties style:vertical-align="{valign}"{wrap_attr}'
            f' fo:padding="0.05cm"{extra}/>'
            f'<style:paragraph-properties fo:text-align="{align}" style:line-break="strict"/>{tprops}</style:style>')
    return "".join(out)


def calc_columns_xml(widths):
    return "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(len(widths)))


def calc_column_styles(widths):
    return "".join(
        f'<style:style style:name="co{i}" style:family="table-column">'
        f'<style:table-column-properties fo:break-before="auto" style:column-width="{w:.3f}cm"/>'
        '</style:style>' for i, w in enumerate(widths))


def calc_cell_xml(cell):
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' table:number-rows-spanned="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' table:number-columns-spanned="{cell.colspan}"'
    if not any(cell.lines):
        return f'<table:table-cell table:style-name="ce_{cell.style}"{attrs}/>'
    paras = "".join(f'<text:p>{esc(line)}</text:p>' for line in cell.lines)
    return (f'<table:table-cell table:style-name="ce_{cell.style}"{attrs} '
            f'office:value-type="string" calcext:value-type="string">{paras}</table:table-cell>')


def calc_sheet_xml(sheet, ncols, heights, table_style):
    """heights: row -> explicit height in cm (other rows: optimal height)."""
    by_row = {}
    covered = set()
    for c in sheet.cells:
        by_row.setdefault(c.row, []).append(c)
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                if (r, k) != (c.row, c.col):
                    covered.add((r, k))
    name = sheet.name
    out = [f'<table:table table:name="{esc(name)}" table:style-name="{table_style}">',
           calc_columns_xml([0] * ncols)]
    for r in range(sheet.nrows):
        if sheet.header_rows and r == sheet.header_rows[0]:
            out.append("<table:table-header-rows>")
        style = f"ro_{heights[r]:.3f}".replace(".", "_") if r in heights else "ro_opt"
        out.append(f'<table:table-row table:style-name="{style}">')
        cells = {c.col: c for c in by_row.get(r, [])}
        for k in range(ncols):
            if k in cells:
                out.append(calc_cell_xml(cells[k]))
            elif (r, k) in covered:
                out.append("<table:covered-table-cell/>")
            else:
                out.append("<table:table-cell/>")
        out.append("</table:table-row>")
        if sheet.header_rows and r == sheet.header_rows[1]:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


CALC_NS = NS + (' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:'
                'xmlns:calcext:1.0"')


def calc_fods(doc, cfg, sheets_xml, col_widths, row_heights, page=True):
    w, h = page_size(cfg)
    top, bottom, left, right = cfg["margins"]
    scale = 'style:scale-to-X="1" ' if page else ""
    row_styles = ['<style:style style:name="ro_opt" style:family="table-row">'
                  '<style:table-row-properties style:use-optimal-row-height="true" '
                  'fo:break-before="auto"/></style:style>']
    for hgt in sorted(set(row_heights)):
        n = f"ro_{hgt:.3f}".replace(".", "_")
        row_styles.append(f'<style:style style:name="{n}" style:family="table-row">'
                          f'<style:table-row-properties style:row-height="{hgt:.3f}cm" '
                          'style:use-optimal-row-height="false" fo:break-before="auto"/></style:style>')
    region = lambda where, tmpl: (f'<style:region-{where}><text:p>'
                                  f'{header_footer_text(tmpl, doc, calc=True)}</text:p>'
                                  f'</style:region-{where}>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {CALC_NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">\n'
        + meta(doc, cfg) + font_decls(cfg)
        + '<office:styles>'
        '<style:default-style style:family="table-cell">'
        '<style:paragraph-properties style:line-break="strict"/>'
        + text_props(cfg, extra=' fo:language="ja" fo:country="JP" style:language-asian="ja" '
                                'style:country-asian="JP"')
        + '</style:default-style>'
        '<style:style style:name="Default" style:family="table-cell"/>'
        '</office:styles>\n'
        '<office:automatic-styles>'
        + calc_column_styles(col_widths) + "".join(row_styles)
        + '<style:style style:name="ta1" style:family="table" style:master-page-name="PM1">'
        '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
        + calc_cell_styles(cfg)
        + '<style:page-layout style:name="pm1">'
        f'<style:page-layout-properties fo:page-width="{w}" fo:page-height="{h}" '
        f'style:print-orientation="{cfg["orientation"]}" fo:margin-top="{top - 0.8:.2f}cm" '
        f'fo:margin-bottom="{bottom - 0.8:.2f}cm" fo:margin-left="{left}cm" '
        f'fo:margin-right="{right}cm" {scale}style:print-page-order="ttb" '
        'style:first-page-number="continue" style:writing-mode="lr-tb"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-bottom="0.2cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-top="0.2cm"/></style:footer-style>'
        '</style:page-layout>'
        '</office:automatic-styles>\n'
        '<office:master-styles><style:master-page style:name="PM1" style:page-layout-name="pm1">'
        f'<style:header>{region("right", cfg["header"])}</style:header>'
        f'<style:footer>{region("center", cfg["footer"])}</style:footer>'
        '</style:master-page></office:master-styles>\n'
        f'<office:body><office:spreadsheet>{sheets_xml}</office:spreadsheet></office:body>\n'
        '</office:document>\n'
    )


# Calc sizes rows with the screen's text metrics unless told to use the
# printer's; with the screen's, wrapped text can need more lines on paper than
# its row was given. The private profile holds this one setting.
PROFILE_XCU = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    '<item oor:path="/org.openoffice.Office.Calc/Input">'
    '<prop oor:name="UsePrinterMetrics" oor:op="fuse"><value>true</value></prop></item>\n'
    '</oor:items>\n')


def soffice_convert(soffice, src, fmt, tmp):
    user = os.path.join(tmp, "profile", "user")
    if not os.path.exists(user):
        os.makedirs(user)
        with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
            f.write(PROFILE_XCU)
    profile = "file://" + os.path.join(tmp, "profile")
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", os.path.join(tmp, "out"), src]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ext = fmt.split(":")[0]
    out = os.path.join(tmp, "out", os.path.splitext(os.path.basename(src))[0] + "." + ext)
    if res.returncode != 0 or not os.path.exists(out):
        sys.exit(f"{src}: soffice failed ({res.returncode}):\n{res.stdout}")
    return out


def measured_heights(fods_text):
    """Row heights (cm) of the first sheet of a .fods that LibreOffice wrote,
    in row order, with repeated rows expanded."""
    to_cm = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72}
    styles = {}
    for m in re.finditer(r'<style:style style:name="([^"]+)" style:family="table-row">\s*'
                         r'<style:table-row-properties[^>]*?style:row-height="([0-9.]+)(cm|mm|in|pt)"',
                         fods_text):
        styles[m.group(1)] = float(m.group(2)) * to_cm[m.group(3)]
    sheet = fods_text.split("<table:table ", 2)[1]
    heights = []
    for m in re.finditer(r'<table:table-row table:style-name="([^"]+)"'
                         r'(?: table:number-rows-repeated="(\d+)")?', sheet):
        heights.extend([styles[m.group(1)]] * int(m.group(2) or 1))
    return heights


def calc_row_heights(doc, cfg, sheets, soffice, tmp):
    """The rows that need an explicit height so that merged cells show all
    their text: {sheet index: {row: cm}}."""
    widths = list(cfg["columns"])
    ncols = len(widths)
    # The measuring sheet: the real columns, then one column per merged width.
    extra = {}
    jobs = []  # (sheet index, kind, payload, measuring row)
    rows_xml = []
    for si, sheet in enumerate(sheets):
        for r in range(sheet.nrows):
            cells = [c for c in sheet.cells if c.row == r and c.rowspan == 1 and c.colspan == 1]
            xml = []
            for k in range(ncols):
                c = next((c for c in cells if c.col == k), None)
                xml.append(calc_cell_xml(c) if c else "<table:table-cell/>")
            jobs.append((si, "row", r))
            rows_xml.append(xml)
        for c in sheet.cells:
            if c.rowspan == 1 and c.colspan == 1:
                continue
            wsum = round(sum(widths[c.col:c.col + c.colspan]), 3)
            if wsum not in extra:
                extra[wsum] = ncols + len(extra)
            jobs.append((si, "merged", c))
            rows_xml.append(("merged", wsum, c))
    total_cols = ncols + len(extra)
    col_widths = widths + sorted(extra, key=lambda w: extra[w])
    body = []
    for x in rows_xml:
        if isinstance(x, tuple):
            _, wsum, c = x
            cells = ["<table:table-cell/>"] * total_cols
            single = SCell(0, 0, c.lines, c.style)
            cells[extra[wsum]] = calc_cell_xml(single)
        else:
            cells = x + ["<table:table-cell/>"] * len(extra)
        body.append('<table:table-row table:style-name="ro_opt">' + "".join(cells)
                    + "</table:table-row>")
    sheet_xml = (f'<table:table table:name="M" table:style-name="ta1">'
                 f'{calc_columns_xml(col_widths)}{"".join(body)}</table:table>')
    src = os.path.join(tmp, "measure.fods")
    with open(src, "w", encoding="utf-8") as f:
        f.write(calc_fods(doc, cfg, sheet_xml, col_widths, [], page=False))
    with open(soffice_convert(soffice, src, "fods", tmp), encoding="utf-8") as f:
        measured = measured_heights(f.read())
    # Calc's own optimal heights come out short on paper for these fonts (the
    # printed lines are taller, and a long text can wrap once more), so every
    # row with text gets an explicit height with room to spare.
    pad = lambda cm: round(cm * 1.08 + 0.3, 3)
    natural = {}  # (sheet, row) -> cm
    need = []     # (sheet, cell, cm)
    for (si, kind, payload), hgt in zip(jobs, measured):
        if kind == "row":
            natural[(si, payload)] = hgt
        else:
            need.append((si, payload, hgt))
    heights = {si: {} for si in range(len(sheets))}
    for si, sheet in enumerate(sheets):
        for c in sheet.cells:
            if c.rowspan == 1 and c.colspan == 1 and any(c.lines):
                heights[si][c.row] = pad(natural[(si, c.row)])
    for si, c, hgt in need:
        if not any(c.lines):
            continue
        span = list(range(c.row, c.row + c.rowspan))
        have = sum(heights[si].get(r, natural[(si, r)]) for r in span)
        if pad(hgt) > have:
            last = span[-1]
            heights[si][last] = round(heights[si].get(last, natural[(si, last)])
                                      + pad(hgt) - have, 3)
    return heights


def calc_document(doc, cfg, soffice, tmp):
    sheets = calc_sheets(doc, cfg)
    heights = calc_row_heights(doc, cfg, sheets, soffice, tmp)
    ncols = len(cfg["columns"])
    xml = "".join(calc_sheet_xml(s, ncols, heights[i], "ta1") for i, s in enumerate(sheets))
    all_heights = [h for hs in heights.values() for h in hs.values()]
    return calc_fods(doc, cfg, xml, cfg["columns"], all_heights)


# ---------------------------------------------------------------- driver

def make(job, cfg, soffice, keep_dir=None):
    name, producer = job.rsplit(".", 1)
    # "calc-narrow": a second calc layout of the same source.
    kind = producer.split("-")[0]
    doc = read_html(os.path.join(CORPUS, name + ".html"))
    dest = os.path.join(HERE, job + ".pdf")
    with tempfile.TemporaryDirectory(prefix="fiscdex-pdf-") as tmp:
        if kind == "web":
            with open(os.path.join(CORPUS, name + ".html"), encoding="utf-8") as f:
                text, ext = f.read(), ".html"
        elif kind == "calc":
            text, ext = calc_document(doc, cfg, soffice, tmp), ".fods"
        elif kind == "wordstyle":
            text, ext = wordstyle_fodt(doc, cfg), ".fodt"
        else:
            text, ext = writer_fodt(doc, cfg), ".fodt"
        src = os.path.join(tmp, job + ext)
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
            shutil.copy(src, keep_dir)
        with open(soffice_convert(soffice, src, "pdf", tmp), "rb") as f:
            pdf = base.make_deterministic(f.read(), cfg, job)
    with open(dest, "wb") as f:
        f.write(pdf)
    print(f"{os.path.relpath(dest)}: {len(pdf)} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="NAME or NAME.PRODUCER (default: all of JOBS)")
    ap.add_argument("--keep-src", metavar="DIR", help="also copy each .fodt/.fods into DIR")
    ap.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = ap.parse_args()
    jobs = []
    for n in args.names or sorted(JOBS):
        hits = [j for j in sorted(JOBS) if j == n or j.rsplit(".", 1)[0] == n]
        if not hits:
            sys.exit(f"unknown job {n}; known: {', '.join(sorted(JOBS))}")
        jobs.extend(h for h in hits if h not in jobs)
    for job in jobs:
        make(job, JOBS[job], args.soffice, args.keep_src)


if __name__ == "__main__":
    main()
