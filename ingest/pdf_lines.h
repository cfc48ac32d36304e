// Text lines from word boxes, the first step of the PDF layout: words that
// share a baseline band form a line, and the gaps inside a line cut it into
// segments (the text of one table cell, or a run of prose). Internal to
// ingest/'s PDF layout (pdf_layout.h); nothing here knows about Poppler.
#ifndef FISCDEX_INGEST_PDF_LINES_H_
#define FISCDEX_INGEST_PDF_LINES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/pdf_layout.h"

namespace fiscdex::ingest::internal {

// A glyph box is about 1.25 times the font size; the em is what the gap
// thresholds below are measured in.
constexpr double kEmPerBoxHeight = 0.8;
// Gaps inside a line that separate segments. Word spaces are ~0.2-0.35 em
// in Latin text and 0.5 em between CJK words; table cells are two paddings
// and a border apart, ~0.55 em at least (Poppler may still call that a space). So a gap over kSegmentGapEm splits
// where Poppler saw no space character, and any gap over kWideGapEm splits.
// Narrower gaps (kSoftGapEm and up) may still split a segment that would
// otherwise straddle two table columns.
constexpr double kSegmentGapEm = 0.45;
constexpr double kWideGapEm = 0.7;
constexpr double kSoftGapEm = 0.3;
// Text within this distance of a row's top is aligned with it.
constexpr double kAlignEm = 0.3;

inline bool StartsLatin(std::string_view s) {
  return !s.empty() && static_cast<unsigned char>(s.front()) < 0x80;
}
inline bool EndsLatin(std::string_view s) {
  return !s.empty() && static_cast<unsigned char>(s.back()) < 0x80;
}

// A place inside a segment where it could be split: the gap's extent and
// where the right part's text starts.
struct SoftGap {
  double x0, x1;
  size_t text_pos;
};

struct Segment {
  double x0, y0, x1, y1;
  std::string text;
  std::vector<SoftGap> soft_gaps;
  // What had to fit on the line above for this segment not to start a line:
  // its first Latin word, or its first CJK character.
  double first_word_width = 0;
};

struct Line {
  bool bold = false;  // every word of it bold
  double y0 = 0, y1 = 0;
  double ref_y0 = 0, ref_y1 = 0;  // the first word's band, which others must overlap
  double em = 0;
  std::vector<PdfWord> words;
  std::vector<Segment> segments;
};

double Median(std::vector<double> v);

// One visual line of a table cell's text.
struct CellLine {
  double x0, y0, x1, y1, em;
  std::string text;
  double first_word_width = 0;
};

// Whether a line ending at `end_x` (its em `em`) ends its paragraph: the
// next line's first word (`next_first_width` wide, of `next_text`) would
// still have fitted after it before `right`.
bool EndsShortOfNext(double end_x, double em, std::string_view next_text,
                     double next_first_width, double right);

// A cell's text from its lines, top to bottom: wrapped lines are joined as
// one paragraph (AppendWrapped), and a line ends its paragraph ('\n') where
// the next line's first word would have fitted after it before `right`, the
// right edge of the cell's text.
std::string JoinCellLines(const std::vector<const CellLine*>& lines, double right);

// Whether the words have text and all of it is bold.
bool AllBold(const std::vector<PdfWord>& words);

// Drops words that are empty or inverted, and trims the others.
void CleanWords(std::vector<PdfWord>* words);

// Where lines are split into segments besides their wide gaps.
enum class Split {
  kGapsOnly,     // the words of one cell: no columns inside
  kColumnEdges,  // the words of a page: also at text edges (columns set close)
};

// The lines of `words`, top to bottom, each with its segments.
std::vector<Line> GroupLines(std::vector<PdfWord> words, Split split);

// The segments' text, one space between segments.
std::string JoinSegments(const std::vector<Segment>& segments);

// How far apart (in em) two lines of one cell or paragraph can be. Lines of
// single-spaced text overlap or nearly touch (Poppler's boxes are taller
// than the line pitch), rows of a table are two paddings and a border apart
// (~0.35 em and up), so 0.25 em separates them. Only a page without any
// tightly set lines (1.5-spaced text) needs more, and then less than its
// smallest gap: splitting a cell in two is repaired by the row logic,
// joining two rows is not.
double TightGapEm(const std::vector<Line>& lines);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_PDF_LINES_H_
