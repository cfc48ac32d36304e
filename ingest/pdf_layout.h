// Rebuilding lines, paragraphs and tables from the word boxes of PDF pages.
// Internal to ingest/: pdf_reader.cc feeds it Poppler's words; the tests feed
// it words directly. Nothing here knows about Poppler or criterion IDs.
#ifndef FISCDEX_INGEST_PDF_LAYOUT_H_
#define FISCDEX_INGEST_PDF_LAYOUT_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ingest/document.h"

namespace fiscdex::ingest::internal {

// One word as the PDF places it: a box in page points, y growing downwards.
struct PdfWord {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;  // UTF-8
  bool space_after = false;
  bool bold = false;  // a bold face, or glyphs drawn filled and stroked (synthetic bold)
};

// A straight line the page draws, horizontal or vertical: a table border or
// cell rule (stroked, or filled as a thin rectangle), in page points.
struct PdfRule {
  bool horizontal = true;
  double at = 0;              // y of a horizontal rule, x of a vertical one
  double from = 0, to = 0;    // its extent along the other axis, from < to
  double width = 0;           // its thickness
};

// A filled rectangle that is not white: header shading, zebra stripes, a
// highlighted cell. `lightness` is 0 (black) to 1 (white).
struct PdfFill {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double lightness = 0;
};

// What the layout engine gets of one page.
struct PdfPageContent {
  double width = 0;   // as displayed: a page rotated by /Rotate 90 is as wide as it is tall
  double height = 0;
  std::vector<PdfWord> words;
  std::vector<PdfRule> rules;
  std::vector<PdfFill> fills;
};

// Answers whether the page draws a horizontal rule (a table border) inside
// the band y0..y1 across most of x0..x1. nullopt when it cannot tell (band
// too thin). Made from PdfPageContent::rules.
using RuleProbe = std::function<std::optional<bool>(double x0, double x1, double y0, double y1)>;

// One laid-out item of a page, in reading order.
struct PdfItem {
  enum class Kind { kLine, kBreak, kRow };
  Kind kind = Kind::kLine;
  std::string text;                      // kLine: the line's words
  std::vector<std::string> cells;        // kRow: one per column; wrapped lines joined
  std::vector<bool> merged_from_above;   // kRow: empty, or one flag per cell
  int region = -1;                       // kRow: which table of the page (0-based)
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // extent on the page
  double height = 0;                     // kLine: glyph box height, the font size's proxy
  bool furniture = false;                // kLine: a running header, footer or page number
  bool bold = false;                     // kLine: every word bold
  bool header = false;                   // kRow: a header row by its look (shading, weight)
  bool line_end = false;                 // kBreak: only a line ending short, no space below it
  // kRow: per cell, empty or one flag per cell: the cell is cut by the
  // page's end and goes on at the top of the next page, and whether its
  // text here ended a paragraph.
  std::vector<bool> cut_below;
  std::vector<bool> cut_at_paragraph_end;
};

// A table's column extents on a page, left to right.
struct PdfRegion {
  std::vector<std::pair<double, double>> columns;
};

struct PdfPage {
  double width = 0;
  double height = 0;
  std::vector<PdfItem> items;
  std::vector<PdfRegion> regions;  // indexed by PdfItem::region
};

// Lays out one page on its own (no running headers known): words → lines →
// table regions (columns from x, rows from y, wrapped cell lines joined,
// cells spanning rows repeated with merged_from_above) and prose lines with
// paragraph breaks.
PdfPage LayoutPdfPage(PdfPageContent content);

// Lays out the pages of one document in order. Running headers and footers
// are recognised by repetition across pages, so each page waits until
// kLookahead more pages have been seen (or the document ends); only those
// pages' words are held, whatever the page count.
class PdfPageStream {
 public:
  static constexpr size_t kLookahead = 8;

  PdfPageStream();
  ~PdfPageStream();
  PdfPageStream(const PdfPageStream&) = delete;
  PdfPageStream& operator=(const PdfPageStream&) = delete;

  // Takes the next page.
  void Add(PdfPageContent content);

  // Appends to `out` the pages that can be laid out now (all of them with
  // `flush`), in order, and returns how many.
  size_t LayOut(bool flush, std::vector<PdfPage>* out);

 private:
  struct Pending;
  struct State;
  std::deque<std::unique_ptr<Pending>> pending_;
  std::unique_ptr<State> state_;
};

// Turns laid-out pages into doc->blocks and doc->text: headings from font
// size, running headers and footers (PdfItem::furniture) flagged as
// furniture, header rows repeated at the top of a table on several pages
// flagged as headers, a table continued on the next page kept as one table.
// Sets doc->page_count to pages.size().
void AssemblePdfDocument(const std::vector<PdfPage>& pages, Document* doc);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_PDF_LAYOUT_H_
