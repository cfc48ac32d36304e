// Tables drawn with rules: the cell grid from a page's horizontal and
// vertical rules, as lattice table finders (Camelot, Tabula, pdfplumber)
// build it, and the table rows read off it. Internal to ingest/'s PDF
// layout; nothing here knows about Poppler.
#ifndef FISCDEX_INGEST_PDF_GRID_H_
#define FISCDEX_INGEST_PDF_GRID_H_

#include <cstddef>
#include <vector>

#include "ingest/pdf_layout.h"

namespace fiscdex::ingest::internal {

// One cell of a grid: the slots [row0, row1) × [col0, col1) and its box.
// A cell over several rows or columns is a merged cell: the rule between
// its slots is missing.
struct GridCell {
  int row0 = 0, row1 = 0;
  int col0 = 0, col1 = 0;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool open_bottom = false;  // in the last row, with no rule under it
  bool cut = false;          // its text runs on below the grid: cut by the page's end
};

struct PdfGrid {
  std::vector<double> xs;  // column edges, left to right: columns() + 1 of them
  std::vector<double> ys;  // row edges, top to bottom: rows() + 1 of them
  std::vector<GridCell> cells;
  std::vector<int> cell_of;  // per slot (row * columns() + column): index into cells

  int rows() const { return static_cast<int>(ys.size()) - 1; }
  int columns() const { return static_cast<int>(xs.size()) - 1; }
  double x0() const { return xs.front(); }
  double x1() const { return xs.back(); }
  double y0() const { return ys.front(); }
  double y1() const { return ys.back(); }
  // The cell at slot (row, column), or -1 outside the grid.
  int CellAt(double x, double y) const;
};

// The grids the rules of a page form: rules that meet are one network; a
// network with at least two columns and one row is a grid. Its edges are
// where the vertical and horizontal rules stand, plus the network's outer
// extent where a side has no rule (tables open at the sides). Between two
// neighbouring slots the rule must cover half the shared side, otherwise
// the slots are one cell; a network that makes a single cell (a frame) is
// no grid. Bounded: a page of more than `max_pairs` candidate crossings (a
// dense chart) gives no grid, nor does a network of more than 50 000 slots
// (a chart's lattice or staircase): the work stays bounded whatever the
// page draws.
std::vector<PdfGrid> FindGrids(const std::vector<PdfRule>& rules, size_t max_pairs = 4000000);

// A cell cut by the page's end: a browser draws a cell's borders only as far
// as its row goes on this page, while the text of a cell merged over the
// rows below runs on under the grid. Lines right below the grid that lie
// inside the grid's open-bottomed cells and run down to the page's end
// (below `page_end`) are taken into the grid: its bottom moves down to them
// and those cells are flagged cut. Words taken are those with centres below
// the grid and not in any other grid.
void TakeOverflow(PdfGrid* grid, const std::vector<PdfWord>& words, double page_end);

// A grid table with its words, laid out: the rows of cells and what the
// page builder needs to place it among the page's other text.
struct GridTable {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  PdfRegion region;            // the columns
  std::vector<PdfItem> rows;   // kRow items, region index to be set by the page
};

// Reads `grid`'s rows from its words: each cell's words become its text
// (lines joined as wrapped text, a line that ends short of the cell's edge
// ends a paragraph); a cell over several rows gives its text to each, the
// rows below the first flagged merged_from_above; a cell over several
// columns gives its text to the first, the others are "". Rows with no text
// of their own are dropped. Leading rows set apart by weight (every cell
// bold, the rows below not) or by shading (`fills`) are flagged header.
GridTable ReadGrid(const PdfGrid& grid, std::vector<PdfWord> words,
                   const std::vector<PdfFill>& fills);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_PDF_GRID_H_
