#!/usr/bin/env python3
"""Writes the small PDF seeds of fuzz/seeds/ for decode_fuzzer.

usage: make_pdf_seeds.py [DIR]   (default: the folder of this script)

The corpus PDFs (corpus/pdf/) are LibreOffice and Chromium output: large, with
compressed content streams that random mutation rarely turns into other
drawing. These seeds are a few hundred bytes to a few KB each, uncompressed,
so that mutating them reaches what the PDF reader does with a page's drawing:
the cell grid of ruled tables (rules that meet, merged cells, a staircase of
rules), thin filled rectangles as borders, shading, bold header rows, text
beyond the page's edge, and pages turned by /Rotate (sideways, or upright
through a turned drawing). Text is ASCII in the standard Helvetica fonts, so
no font is embedded. Python 3 standard library only; the output is the same
bytes on every run.
"""
import os
import sys

A4 = (595, 842)


def num(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


class Page:
    """A content stream, positions measured from the top-left corner."""

    def __init__(self, width=A4[0], height=A4[1], rotate=0, prefix=""):
        self.width, self.height, self.rotate = width, height, rotate
        self.ops = [prefix] if prefix else []

    def text(self, x, baseline, s, size=10, font="F1"):
        s = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.ops.append("BT /%s %s Tf 1 0 0 1 %s %s Tm (%s) Tj ET"
                        % (font, num(size), num(x), num(self.height - baseline), s))

    def line(self, x0, y0, x1, y1):
        self.ops.append("%s %s m %s %s l" % (num(x0), num(self.height - y0),
                                             num(x1), num(self.height - y1)))

    def stroke(self, width=0.5):
        self.ops.append("%s w S" % num(width))

    def fill(self, x0, y0, x1, y1, grey):
        self.ops.append("%s g %s %s %s %s re f 0 g" % (
            num(grey), num(x0), num(self.height - y1), num(x1 - x0), num(y1 - y0)))

    def raw(self, ops):
        self.ops.append(ops)

    def table(self, xs, top, row_height, rows, open_below=(), bold_header=False):
        """A ruled table; (row, column) in open_below merges that cell with the one below."""
        for r in range(len(rows) + 1):
            y = top + row_height * r
            for c in range(len(xs) - 1):
                if r > 0 and (r - 1, c) in open_below:
                    continue
                self.line(xs[c], y, xs[c + 1], y)
        for x in xs:
            self.line(x, top, x, top + row_height * len(rows))
        self.stroke()
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                if cell:
                    font = "F2" if bold_header and r == 0 else "F1"
                    self.text(xs[c] + 4, top + row_height * r + 13, cell, font=font)

    def content(self):
        return ("\n".join(self.ops) + "\n").encode("latin-1")


def pdf_bytes(pages):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for page in pages:
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        rotate = b" /Rotate %d" % page.rotate if page.rotate else b""
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s]%s"
                       b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
                       % (num(page.width).encode(), num(page.height).encode(), rotate,
                          number + 1))
        content = page.content()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


ROWS = [["ID", "Answer"], ["S1", "Policy is set."], ["S2", "Shared answer."], ["S3", ""]]


def grid_merged():
    """A ruled table: shaded bold header row, a cell merged over two rows."""
    page = Page()
    page.text(50, 80, "Security measures", size=14, font="F2")
    page.fill(50, 100, 500, 120, 0.85)
    page.table([50, 120, 500], 100, 20, ROWS, open_below={(2, 1)}, bold_header=True)
    page.text(50, 220, "Prose after the table.")
    return [page]


def thin_fill_borders():
    """Borders drawn as thin filled rectangles (as browsers draw them), zebra rows."""
    page = Page()
    xs, top, h = [50, 120, 500], 100, 20
    for r in range(len(ROWS)):
        if r % 2:
            page.fill(xs[0], top + h * r, xs[-1], top + h * (r + 1), 0.93)
    for r in range(len(ROWS) + 1):
        page.fill(xs[0], top + h * r - 0.5, xs[-1], top + h * r + 0.5, 0.4)
    for x in xs:
        page.fill(x - 0.5, top, x + 0.5, top + h * len(ROWS), 0.4)
    for r, cells in enumerate(ROWS):
        for c, cell in enumerate(cells):
            if cell:
                page.text(xs[c] + 4, top + h * r + 13, cell)
    return [page]


def beyond_edge():
    """A three-column table whose last column lies beyond the right edge."""
    page = Page()
    for r, (a, b) in enumerate([("ID", "Answer"), ("Q1", "Yes."), ("Q2", "No.")]):
        y = 150 + 20 * r
        page.text(60, y, a)
        page.text(130, y, b)
        page.text(640, y, "Remark %d" % r)
    return [page]


def staircase():
    """A step chart: axis-aligned segments that meet, one long network of rules."""
    page = Page()
    page.text(50, 80, "Requests per day")
    page.line(50, 100, 50, 400)
    page.line(50, 400, 450, 400)
    x, y = 50.0, 380.0
    for step in range(60):
        page.line(x, y, x + 6, y)
        page.line(x + 6, y, x + 6, y - 5)
        x, y = x + 6, y - 5
    page.stroke()
    return [page]


def rotated_sideways():
    """/Rotate 90 on an upright page: shown sideways, read turned back."""
    page = Page(rotate=90)
    page.table([50, 120, 500], 100, 20, ROWS, open_below={(2, 1)})
    return [page]


def rotated_upright():
    """/Rotate 270 with the drawing turned the other way: shown upright."""
    page = Page(width=A4[1], height=A4[0], rotate=270,
                prefix="0 -1 1 0 0 %s cm" % num(A4[0]))
    # Positions are for the upright A4 page the turned drawing shows.
    page.height = A4[1]
    page.table([50, 120, 500], 100, 20, ROWS)
    page.height = A4[0]
    return [page]


SEEDS = {
    "grid_merged.pdf": grid_merged,
    "thin_fill_borders.pdf": thin_fill_borders,
    "beyond_edge.pdf": beyond_edge,
    "staircase.pdf": staircase,
    "rotated_sideways.pdf": rotated_sideways,
    "rotated_upright.pdf": rotated_upright,
}


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, make in SEEDS.items():
        data = pdf_bytes(make())
        with open(os.path.join(folder, name), "wb") as out:
            out.write(data)
        print("%6d %s" % (len(data), name))


if __name__ == "__main__":
    main()
