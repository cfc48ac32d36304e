#!/usr/bin/env python3
"""An independent reader of the files fiscdex exports, for tests/export_test.cc.

    read_xlsx.py FILE.xlsx            the workbook, from its XML parts (stdlib only)
    read_xlsx.py --summary FILE.xlsx  per sheet: name, row count, the last row
                                      (streams the sheet: for very long sheets)
    read_xlsx.py --openpyxl FILE.xlsx the workbook as openpyxl reads it; exit 77
                                      when openpyxl cannot be imported
    read_xlsx.py --csv FILE.csv       the rows as Python's csv module reads them

Prints one JSON document on stdout, ASCII only (every other character
\\u-escaped), so that the locale of the test run does not matter.

The XLSX reader shares no code with libxlsxwriter: zipfile and
xml.etree only. It reads workbook.xml (sheet names, in order) and its
relationships, sharedStrings.xml and inline strings, each sheet's cells,
<pane>, <autoFilter> and <cols>, and styles.xml (fills, fonts, wrapping) to
describe each cell's style. Strings are decoded as Excel decodes them,
"_xHHHH_" escapes included.

A workbook is printed as
    {"sheets": [{"name", "pane": {"xSplit", "ySplit", "topLeftCell", "state"} | null,
                 "autofilter": "A1:C9" | null, "cols": [{"min", "max", "width"}],
                 "rows": [[cell | null, ...], ...]}]}
with one list per row from row 1 to the last, and each cell as
    {"v": text or number, "kind": "string" | "number" | "formula" | "bool" | "error",
     "fill": "RRGGBB" | null, "font": "RRGGBB" | null, "bold": bool, "wrap": bool}
"""

import csv
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
M = "{%s}" % NS["m"]

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text):
    """OOXML's ST_Xstring escapes: "_x0041_" is "A", "_x005F_" is "_"."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def split_ref(ref):
    """"AB12" -> (12, 28)."""
    m = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - ord("A") + 1)
    return int(m.group(2)), col


def number(text):
    value = float(text)
    return int(value) if value.is_integer() else value


def rgb(color):
    """The RRGGBB of a <color>/<fgColor> element, or None."""
    if color is None:
        return None
    if color.get("rgb"):
        return color.get("rgb")[-6:].upper()
    if color.get("theme") is not None:
        return "theme:" + color.get("theme")
    if color.get("indexed") is not None:
        return "indexed:" + color.get("indexed")
    return None


def text_of(element):
    """The text of an <si> or <is>: its <t>, or its rich-text runs' <t>s."""
    return unescape("".join(t.text or "" for t in element.iter(M + "t")))


class Workbook:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.shared = []
        if "xl/sharedStrings.xml" in self.zip.namelist():
            root = ET.fromstring(self.zip.read("xl/sharedStrings.xml"))
            self.shared = [text_of(si) for si in root.findall("m:si", NS)]
        self.styles = self._read_styles()
        rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        workbook = ET.fromstring(self.zip.read("xl/workbook.xml"))
        self.sheets = []
        for sheet in workbook.find("m:sheets", NS):
            target = targets[sheet.get("{%s}id" % NS["r"])].lstrip("/")
            if not target.startswith("xl/"):
                target = "xl/" + target
            self.sheets.append((sheet.get("name"), target))

    def _read_styles(self):
        root = ET.fromstring(self.zip.read("xl/styles.xml"))
        fonts = []
        for font in root.find("m:fonts", NS):
            fonts.append({"bold": font.find("m:b", NS) is not None,
                          "color": rgb(font.find("m:color", NS))})
        fills = []
        for fill in root.find("m:fills", NS):
            pattern = fill.find("m:patternFill", NS)
            solid = pattern is not None and pattern.get("patternType") == "solid"
            fills.append(rgb(pattern.find("m:fgColor", NS)) if solid else None)
        styles = []
        for xf in root.find("m:cellXfs", NS):
            alignment = xf.find("m:alignment", NS)
            font = fonts[int(xf.get("fontId", 0))]
            styles.append({
                "fill": fills[int(xf.get("fillId", 0))],
                "font": font["color"],
                "bold": font["bold"],
                "wrap": alignment is not None and alignment.get("wrapText") in ("1", "true"),
            })
        return styles

    def cell(self, c):
        kind_attr = c.get("t", "n")
        v = c.find("m:v", NS)
        f = c.find("m:f", NS)
        if f is not None:
            kind, value = "formula", f.text
        elif kind_attr == "inlineStr":
            kind, value = "string", text_of(c.find("m:is", NS))
        elif kind_attr == "s":
            kind, value = "string", self.shared[int(v.text)]
        elif kind_attr == "str":
            kind, value = "string", unescape(v.text or "")
        elif kind_attr == "b":
            kind, value = "bool", v.text == "1"
        elif kind_attr == "e":
            kind, value = "error", v.text
        else:
            kind, value = "number", None if v is None else number(v.text)
        out = {"v": value, "kind": kind}
        out.update(self.styles[int(c.get("s", 0))])
        return out

    def sheet(self, name, target):
        root = ET.fromstring(self.zip.read(target))
        pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
        autofilter = root.find("m:autoFilter", NS)
        cols = [{"min": int(col.get("min")), "max": int(col.get("max")),
                 "width": float(col.get("width"))}
                for col in root.findall("m:cols/m:col", NS)]
        rows = []
        for row in root.findall("m:sheetData/m:row", NS):
            r = int(row.get("r"))
            while len(rows) < r:
                rows.append([])
            for c in row.findall("m:c", NS):
                _, col = split_ref(c.get("r"))
                cells = rows[r - 1]
                while len(cells) < col:
                    cells.append(None)
                cells[col - 1] = self.cell(c)
        return {
            "name": name,
            "pane": None if pane is None else {
                k: pane.get(k) for k in ("xSplit", "ySplit", "topLeftCell", "state")},
            "autofilter": None if autofilter is None else autofilter.get("ref"),
            "cols": cols,
            "rows": rows,
        }

    def summary(self, name, target):
        """Streams the sheet: the row count and the values of the last row."""
        count, last = 0, []
        with self.zip.open(target) as f:
            for _, element in ET.iterparse(f):
                if element.tag == M + "row":
                    count += 1
                    last = [self.cell(c)["v"] for c in element.findall("m:c", NS)]
                    element.clear()
        return {"name": name, "row_count": count, "last_row": last}


def read_openpyxl(path):
    try:
        import openpyxl  # noqa: the second, optional reader
    except ImportError as e:
        print("openpyxl cannot be imported: %s" % e, file=sys.stderr)
        sys.exit(77)

    def color(c):
        if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
            return None
        return c.rgb[-6:].upper()

    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = []
            for cell in row:
                if cell.value is None:
                    cells.append(None)
                    continue
                kind = {"s": "string", "n": "number", "f": "formula", "b": "bool",
                        "e": "error"}.get(cell.data_type, cell.data_type)
                value = cell.value
                # openpyxl 3.0 leaves OOXML escapes in inline strings; Excel
                # decodes them.
                if kind == "string":
                    value = unescape(value)
                fill = cell.fill
                cells.append({
                    "v": value,
                    "kind": kind,
                    "fill": color(fill.fgColor) if fill.fill_type == "solid" else None,
                    "font": color(cell.font.color),
                    "bold": bool(cell.font.b),
                    "wrap": bool(cell.alignment.wrap_text),
                })
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        sheets.append({
            "name": ws.title,
            "freeze_panes": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "rows": rows,
        })
    return {"sheets": sheets}


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {"rows": list(csv.reader(f))}


def main(argv):
    if len(argv) == 3 and argv[1] == "--summary":
        wb = Workbook(argv[2])
        out = {"sheets": [wb.summary(name, target) for name, target in wb.sheets]}
    elif len(argv) == 3 and argv[1] == "--openpyxl":
        out = read_openpyxl(argv[2])
    elif len(argv) == 3 and argv[1] == "--csv":
        out = read_csv(argv[2])
    elif len(argv) == 2:
        wb = Workbook(argv[1])
        out = {"sheets": [wb.sheet(name, target) for name, target in wb.sheets]}
    else:
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(out, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
