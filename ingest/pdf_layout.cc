// Page layout from word boxes.
//
// How it works. Words that share a baseline band form a line; inside a line,
// a gap wider than about half an em separates segments (the text of one
// table cell, or one run of prose). Lines are read top to bottom. A line with
// two segments or more opens a table region whose columns are the segments'
// x extents; following lines join the region while each of their segments
// falls inside one column (a column widens to hold what it is given), and a
// line with a segment that straddles two columns (prose, a heading) closes
// it. A region becomes a table when at least two of its lines have several
// segments; otherwise its lines are prose.
//
// Inside a table, each column's lines are grouped into blocks of tightly
// spaced lines (one cell's wrapped text). The key column, whose blocks start
// rows, is the column with the most short blocks (IDs, item numbers); rows
// are cut at its blocks' tops when cells are top-aligned, and wherever a
// horizontal band is free of text in every column. A block that reaches into
// several rows is a cell merged over them. Where a cell is empty next to a
// filled one, only the drawing can tell a merged cell from an empty one: the
// RuleProbe says whether a border separates the two rows in that column
// (compared with the key column, which always has one in a ruled table).
#include "ingest/pdf_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "base/text.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

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
// Page bands where running headers and footers sit.
constexpr double kHeaderBand = 0.13;
constexpr double kFooterBand = 0.87;
// A line this much taller than the body text is a heading.
constexpr double kHeadingRatio = 1.15;

bool StartsLatin(std::string_view s) {
  return !s.empty() && static_cast<unsigned char>(s.front()) < 0x80;
}
bool EndsLatin(std::string_view s) {
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

double FirstWordWidth(const PdfWord& w) {
  const double width = w.x1 - w.x0;
  if (StartsLatin(w.text)) return width;
  size_t chars = 0;
  for (unsigned char c : w.text) chars += (c & 0xC0) != 0x80;
  return chars > 0 ? width / static_cast<double>(chars) : width;
}

struct Line {
  double y0 = 0, y1 = 0;
  double ref_y0 = 0, ref_y1 = 0;  // the first word's band, which others must overlap
  double em = 0;
  std::vector<PdfWord> words;
  std::vector<Segment> segments;
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

bool IsBullet(std::string_view word) {
  for (std::string_view bullet : {"•", "●", "○", "■", "□", "◆", "◇", "▪", "・", "‣", "◦", "-"}) {
    if (word == bullet) return true;
  }
  return false;
}

std::vector<Line> GroupLines(std::vector<PdfWord> words) {
  std::sort(words.begin(), words.end(), [](const PdfWord& a, const PdfWord& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  std::vector<Line> lines;
  for (PdfWord& word : words) {
    const double h = std::max(word.y1 - word.y0, 0.1);
    Line* best = nullptr;
    // Half a line of overlap: centred cells of one row, set half a line
    // apart, still share a line (cells of different rows are told apart by
    // their columns later).
    double best_ratio = 0.5;
    // Only the last few lines can still overlap a word further down.
    for (size_t k = lines.size(), seen = 0; k > 0 && seen < 8; --k, ++seen) {
      Line& line = lines[k - 1];
      const double overlap = std::min(line.ref_y1, word.y1) - std::max(line.ref_y0, word.y0);
      const double ratio = overlap / std::min(h, line.ref_y1 - line.ref_y0);
      if (ratio < best_ratio) continue;
      bool collides = false;  // superimposed text is not on the same line
      for (const PdfWord& other : line.words) {
        const double x_overlap = std::min(other.x1, word.x1) - std::max(other.x0, word.x0);
        if (x_overlap > 0.5 * std::min(other.x1 - other.x0, word.x1 - word.x0)) collides = true;
      }
      if (collides) continue;
      best = &line;
      best_ratio = ratio;
    }
    if (best == nullptr) {
      Line& line = lines.emplace_back();
      line.ref_y0 = line.y0 = word.y0;
      line.ref_y1 = line.y1 = std::max(word.y1, word.y0 + 0.1);
      best = &line;
    }
    best->y0 = std::min(best->y0, word.y0);
    best->y1 = std::max(best->y1, word.y1);
    best->words.push_back(std::move(word));
  }
  for (Line& line : lines) {
    std::sort(line.words.begin(), line.words.end(),
              [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
    if (line.words.size() >= 2 && IsBullet(line.words.front().text)) {
      line.words.erase(line.words.begin());  // list markup, as the other readers drop it
    }
    std::vector<double> heights;
    for (const PdfWord& w : line.words) heights.push_back(w.y1 - w.y0);
    line.em = std::max(Median(heights) * kEmPerBoxHeight, 1.0);
    const PdfWord* prev = nullptr;
    for (const PdfWord& w : line.words) {
      const double gap = prev ? w.x0 - prev->x1 : 0;
      const bool split = prev != nullptr && (gap > kWideGapEm * line.em ||
                                             (gap > kSegmentGapEm * line.em && !prev->space_after));
      if (prev == nullptr || split) {
        line.segments.push_back({w.x0, w.y0, w.x1, w.y1, w.text, {}, FirstWordWidth(w)});
      } else {
        Segment& seg = line.segments.back();
        const bool latin = EndsLatin(seg.text) && StartsLatin(w.text);
        if ((latin && (prev->space_after || gap > 0.12 * line.em)) ||
            gap > kSegmentGapEm * line.em) {
          seg.text.push_back(' ');
        }
        if (gap > kSoftGapEm * line.em) {
          seg.soft_gaps.push_back({prev->x1, w.x0, seg.text.size()});
        }
        seg.text += w.text;
        seg.x1 = std::max(seg.x1, w.x1);
        seg.y0 = std::min(seg.y0, w.y0);
        seg.y1 = std::max(seg.y1, w.y1);
      }
      prev = &w;
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return a.y0 < b.y0; });
  return lines;
}

std::string JoinSegments(const std::vector<Segment>& segments) {
  std::string out;
  for (const Segment& seg : segments) {
    if (!out.empty()) out.push_back(' ');
    out += seg.text;
  }
  return out;
}

// How far apart (in em) two lines of one cell or paragraph can be. Lines of
// single-spaced text overlap or nearly touch (Poppler's boxes are taller
// than the line pitch), rows of a table are two paddings and a border apart
// (~0.35 em and up), so 0.25 em separates them. Only a page without any
// tightly set lines (1.5-spaced text) needs more, and then less than its
// smallest gap: splitting a cell in two is repaired by the row logic,
// joining two rows is not.
double TightGapEm(const std::vector<Line>& lines) {
  double lowest = std::numeric_limits<double>::max();
  for (size_t i = 1; i < lines.size(); ++i) {
    const double gap = (lines[i].y0 - lines[i - 1].y1) / lines[i].em;
    if (gap > -0.5) lowest = std::min(lowest, gap);
  }
  if (lowest <= 0.15 || lowest > 1.5) return 0.25;
  return std::clamp(lowest - 0.1, 0.25, 0.6);
}

struct Column {
  double x0, x1;
  int id;  // stable while columns are inserted
};

struct Region {
  std::vector<Column> columns;  // sorted by x0
  std::vector<size_t> lines;
  std::vector<std::vector<int>> segment_column_ids;  // per line, per segment
  int multi_segment_lines = 0;
  double last_y1 = 0;
  double em = 0;  // of the line that opened it
};

// Places each segment of `line` in one column of `columns`, adding a column
// where a segment falls in a gap. False when a segment straddles columns.
int ColumnsHit(const std::vector<Column>& cols, double x0, double x1, int* hit) {
  int hits = 0;
  for (size_t c = 0; c < cols.size(); ++c) {
    if (x0 < cols[c].x1 - 0.5 && x1 > cols[c].x0 + 0.5) {
      *hit = static_cast<int>(c);
      ++hits;
    }
  }
  return hits;
}

// Splits a segment that straddles columns at the soft gaps that fall between
// them, so that every part lies in one column. False if no such split exists.
bool SplitAtColumns(const std::vector<Column>& cols, const Segment& seg,
                    std::vector<Segment>* parts) {
  parts->clear();
  Segment rest = seg;
  rest.soft_gaps.clear();
  size_t consumed = 0;  // text of `seg` already in parts
  int hit = -1;
  for (const SoftGap& gap : seg.soft_gaps) {
    if (ColumnsHit(cols, rest.x0, gap.x0, &hit) != 1) continue;
    const int left_column = hit;
    if (ColumnsHit(cols, gap.x1, gap.x1 + 0.5, &hit) == 1 && hit == left_column) continue;
    Segment left = rest;
    rest.first_word_width = 0;  // unknown: the split's right part may start a line
    left.x1 = gap.x0;
    left.text = seg.text.substr(consumed, gap.text_pos - consumed);
    while (!left.text.empty() && left.text.back() == ' ') left.text.pop_back();
    parts->push_back(std::move(left));
    consumed = gap.text_pos;
    rest.x0 = gap.x1;
  }
  if (parts->empty()) return false;
  rest.text = seg.text.substr(consumed);
  parts->push_back(std::move(rest));
  for (const Segment& part : *parts) {
    if (ColumnsHit(cols, part.x0, part.x1, &hit) > 1) return false;
  }
  return true;
}

// Places each segment of `line` in one column of the region, adding a column
// where a segment falls in a gap. A segment that straddles columns is split
// at a gap between them if it has one; otherwise the columns are merged if
// no earlier line used more than one of them (a centred header cell makes a
// narrow column that the body's wider cells then cover). False when neither
// works: the line is not part of the table.
bool AssignColumns(Region* region, int* next_id, Line* line, std::vector<int>* ids) {
  std::vector<Column> cols = region->columns;
  std::map<int, int> renamed;  // merged column id → the id it became
  // Merges the columns at positions [lo, hi] if no line of the region has
  // text in two of them.
  auto merge = [&](int lo, int hi) {
    std::set<int> merging;
    for (int c = lo; c <= hi; ++c) merging.insert(cols[c].id);
    for (const std::vector<int>& line_ids : region->segment_column_ids) {
      int used = 0;
      std::set<int> seen;
      for (int id : line_ids) {
        auto it = renamed.find(id);
        if (it != renamed.end()) id = it->second;
        if (merging.count(id) && seen.insert(id).second) ++used;
      }
      if (used > 1) return false;
    }
    for (int id : *ids) {
      if (merging.count(id)) return false;
    }
    for (int c = lo + 1; c <= hi; ++c) {
      cols[lo].x0 = std::min(cols[lo].x0, cols[c].x0);
      cols[lo].x1 = std::max(cols[lo].x1, cols[c].x1);
      renamed[cols[c].id] = cols[lo].id;
      for (auto& [from, to] : renamed) {
        if (to == cols[c].id) to = cols[lo].id;
      }
    }
    cols.erase(cols.begin() + lo + 1, cols.begin() + hi + 1);
    return true;
  };
  std::vector<Segment> segments;
  for (const Segment& seg : line->segments) {
    int hit = -1;
    std::vector<Segment> parts;
    if (ColumnsHit(cols, seg.x0, seg.x1, &hit) > 1 && SplitAtColumns(cols, seg, &parts)) {
      for (Segment& part : parts) segments.push_back(std::move(part));
    } else {
      segments.push_back(seg);
    }
  }
  ids->clear();
  for (const Segment& seg : segments) {
    int hit = -1;
    const int hits = ColumnsHit(cols, seg.x0, seg.x1, &hit);
    if (hits == 0) {
      Column col{seg.x0, seg.x1, (*next_id)++};
      auto at = std::lower_bound(cols.begin(), cols.end(), col,
                                 [](const Column& a, const Column& b) { return a.x0 < b.x0; });
      cols.insert(at, col);
      ids->push_back(col.id);
      continue;
    }
    if (hits > 1) {
      // `hit` is the rightmost column hit; the hits are contiguous.
      if (!merge(hit - hits + 1, hit)) return false;
      hit = hit - hits + 1;
    }
    cols[hit].x0 = std::min(cols[hit].x0, seg.x0);
    cols[hit].x1 = std::max(cols[hit].x1, seg.x1);
    int lo = hit, hi = hit;
    while (lo > 0 && cols[lo - 1].x1 > cols[hit].x0) --lo;
    while (hi + 1 < static_cast<int>(cols.size()) && cols[hi + 1].x0 < cols[hit].x1) ++hi;
    if (lo != hi) {
      if (!merge(lo, hi)) return false;
      hit = lo;
    }
    ids->push_back(cols[hit].id);
  }
  for (std::vector<int>& line_ids : region->segment_column_ids) {
    for (int& id : line_ids) {
      auto it = renamed.find(id);
      if (it != renamed.end()) id = it->second;
    }
  }
  region->columns = std::move(cols);
  line->segments = std::move(segments);
  return true;
}

// One column's text on one visual line of a table.
struct CellLine {
  double x0, y0, x1, y1, em;
  std::string text;
  double first_word_width = 0;
};

// Tightly spaced lines of one column: one cell's text, or part of it.
struct CellBlock {
  double y0, y1, em;
  std::vector<const CellLine*> lines;
};

class TableBuilder {
 public:
  TableBuilder(const std::vector<Line>& lines, const Region& region, double tight_em,
               const RuleProbe& probe)
      : lines_(lines), region_(region), tight_em_(tight_em), probe_(probe) {}

  // The rows of the table, top to bottom.
  std::vector<PdfItem> Build(int region_index);

 private:
  void CollectCellLines();
  void FormBlocks();
  int ChooseKeyColumn() const;
  std::vector<double> RowBoundaries(int key) const;
  int RowOf(double y) const;
  void FillCells(int key);
  void ResolveEmptyCells(int key);
  // Whether a border separates row `lower` from the row above in `column`.
  std::optional<bool> RuleBetween(int column, size_t lower) const;
  std::string BlockText(const CellBlock& block, double column_right) const;

  const std::vector<Line>& lines_;
  const Region& region_;
  const double tight_em_;
  const RuleProbe& probe_;

  double region_em_ = 1;
  int key_ = 0;
  size_t width_ = 0;
  std::vector<std::vector<CellLine>> cell_lines_;    // per column
  std::vector<std::vector<CellBlock>> blocks_;       // per column
  std::vector<double> column_right_;                 // per column: rightmost text
  std::vector<double> boundaries_;                   // row r is [b[r-1], b[r]), open ends
  struct Row {
    std::vector<std::string> cells;
    std::vector<bool> merged;
    std::vector<bool> filled;  // own text or merged
    double top = 0;            // the cut above the row
    double y0 = std::numeric_limits<double>::max();
    double y1 = std::numeric_limits<double>::lowest();
  };
  std::vector<Row> rows_;
};

void TableBuilder::CollectCellLines() {
  std::vector<double> ems;
  for (size_t i : region_.lines) ems.push_back(lines_[i].em);
  region_em_ = Median(ems);
  width_ = region_.columns.size();
  std::map<int, size_t> position;  // column id → index
  for (size_t c = 0; c < width_; ++c) position[region_.columns[c].id] = c;
  cell_lines_.assign(width_, {});
  for (size_t k = 0; k < region_.lines.size(); ++k) {
    const Line& line = lines_[region_.lines[k]];
    std::vector<std::vector<const Segment*>> per_column(width_);
    for (size_t s = 0; s < line.segments.size(); ++s) {
      per_column[position[region_.segment_column_ids[k][s]]].push_back(&line.segments[s]);
    }
    for (size_t c = 0; c < width_; ++c) {
      if (per_column[c].empty()) continue;
      CellLine cl{per_column[c].front()->x0, per_column[c].front()->y0, 0, 0, line.em, "",
                  per_column[c].front()->first_word_width};
      for (const Segment* seg : per_column[c]) {
        if (!cl.text.empty()) cl.text.push_back(' ');
        cl.text += seg->text;
        cl.x1 = std::max(cl.x1, seg->x1);
        cl.y0 = std::min(cl.y0, seg->y0);
        cl.y1 = std::max(cl.y1, seg->y1);
      }
      cell_lines_[c].push_back(std::move(cl));
    }
  }
  column_right_.assign(width_, 0);
  for (size_t c = 0; c < width_; ++c) {
    std::sort(cell_lines_[c].begin(), cell_lines_[c].end(),
              [](const CellLine& a, const CellLine& b) { return a.y0 < b.y0; });
    for (const CellLine& cl : cell_lines_[c]) column_right_[c] = std::max(column_right_[c], cl.x1);
    // Short cells (IDs) never reach their column's edge; the next column's
    // text, less the paddings, is where a line would have had to wrap.
    if (c + 1 < width_) {
      column_right_[c] =
          std::max(column_right_[c], region_.columns[c + 1].x0 - kSegmentGapEm * region_em_);
    }
  }
}

void TableBuilder::FormBlocks() {
  blocks_.assign(width_, {});
  for (size_t c = 0; c < width_; ++c) {
    for (const CellLine& cl : cell_lines_[c]) {
      std::vector<CellBlock>& column = blocks_[c];
      if (!column.empty() && cl.y0 - column.back().y1 <= tight_em_ * cl.em) {
        CellBlock& block = column.back();
        block.y1 = std::max(block.y1, cl.y1);
        block.lines.push_back(&cl);
        continue;
      }
      column.push_back({cl.y0, cl.y1, cl.em, {&cl}});
    }
  }
}

int TableBuilder::ChooseKeyColumn() const {
  // Row labels (IDs, item numbers) are short and one per row; answers are
  // long, and category cells merged over many rows are few.
  int best = -1;
  size_t best_count = 0;
  for (size_t c = 0; c < width_; ++c) {
    size_t short_blocks = 0;
    for (const CellBlock& block : blocks_[c]) {
      size_t length = 0;
      for (const CellLine* line : block.lines) length += CodePointCount(line->text);
      if (length <= 20) ++short_blocks;
    }
    const size_t count = blocks_[c].size();
    if (count >= 2 && short_blocks * 10 >= count * 6 && count > best_count) {
      best = static_cast<int>(c);
      best_count = count;
    }
  }
  if (best >= 0) return best;
  for (size_t c = 0; c < width_; ++c) {
    if (best < 0 || blocks_[c].size() > blocks_[best].size()) best = static_cast<int>(c);
  }
  return best;
}

std::vector<double> TableBuilder::RowBoundaries(int key) const {
  std::vector<double> cuts;
  // Bands free of text across every column separate rows, whatever the key.
  std::vector<std::pair<double, double>> spans;
  for (const auto& column : cell_lines_) {
    for (const CellLine& cl : column) spans.emplace_back(cl.y0, cl.y1);
  }
  std::sort(spans.begin(), spans.end());
  // No cut can fall inside a block: its lines are at most this far apart.
  const double min_band = tight_em_ * region_em_;
  double reach = spans.empty() ? 0 : spans.front().second;
  for (size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].first - reach > min_band) {
      cuts.push_back((spans[i].first + reach) / 2);
    }
    reach = std::max(reach, spans[i].second);
  }
  // The key column's blocks start rows. Where another cell starts level with
  // the key block, cells are top-aligned and the row starts there; otherwise
  // (centred cells) the row starts between the key blocks.
  const std::vector<CellBlock>& keys = blocks_[key];
  for (size_t i = 1; i < keys.size(); ++i) {
    // Level with another cell's top means top-aligned, unless a cell that
    // starts after the previous key and reaches past this one is centred on it.
    bool aligned = false;
    bool straddled = false;
    const double tolerance = kAlignEm * keys[i].em;
    for (size_t c = 0; c < width_; ++c) {
      if (static_cast<int>(c) == key) continue;
      for (const CellBlock& b : blocks_[c]) {
        aligned |= std::abs(b.y0 - keys[i].y0) <= tolerance;
        straddled |= b.y0 > keys[i - 1].y1 && b.y0 < keys[i].y0 - tolerance &&
                     b.y1 > keys[i].y1 + tolerance;
      }
    }
    aligned = aligned && !straddled;
    if (aligned) {
      cuts.push_back(keys[i].y0 - 0.05 * keys[i].em);
      continue;
    }
    const double gap_top = keys[i - 1].y1;
    const double gap_bottom = keys[i].y0;
    bool has_cut = false;
    for (double cut : cuts) has_cut |= cut > gap_top && cut < gap_bottom;
    if (!has_cut) cuts.push_back((gap_top + gap_bottom) / 2);
  }
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

int TableBuilder::RowOf(double y) const {
  return static_cast<int>(std::upper_bound(boundaries_.begin(), boundaries_.end(), y) -
                          boundaries_.begin());
}

std::string TableBuilder::BlockText(const CellBlock& block, double column_right) const {
  std::string out;
  const CellLine* prev = nullptr;
  for (const CellLine* line : block.lines) {
    // A line ends its paragraph when the next line's first word would have
    // fitted after it. A Latin word or number wraps whole ("実" / "10") and
    // needs the space before it too, and the cell's padding, which the
    // column's extent does not show: an em to spare.
    const double first = line->first_word_width > 0 ? line->first_word_width : prev ? prev->em : 0;
    const double spare = StartsLatin(line->text) ? 1.0 : 0.25;
    if (prev != nullptr && prev->x1 + first < column_right - spare * prev->em) {
      out.push_back('\n');
    }
    AppendWrapped(&out, line->text);
    prev = line;
  }
  return out;
}

void TableBuilder::FillCells(int key) {
  boundaries_ = RowBoundaries(key);
  const size_t row_slots = boundaries_.size() + 1;
  std::vector<Row> slots(row_slots);
  for (Row& row : slots) {
    row.cells.assign(width_, "");
    row.merged.assign(width_, false);
    row.filled.assign(width_, false);
  }
  for (size_t c = 0; c < width_; ++c) {
    for (const CellBlock& whole : blocks_[c]) {
      // With top-aligned rows, a block that runs into the next row's top at a
      // fresh line is two cells whose rows sit close together.
      std::vector<CellBlock> parts;
      parts.push_back({whole.y0, whole.y1, whole.em, {}});
      const CellLine* prev = nullptr;
      for (const CellLine* line : whole.lines) {
        if (prev != nullptr && static_cast<int>(c) != key && line->y0 - prev->y1 > 0.1 * line->em &&
            RowOf(line->y0 + 0.05 * line->em) != RowOf(prev->y1 - 0.3 * prev->em)) {
          bool at_row_top = false;
          for (const CellBlock& k : blocks_[key]) {
            at_row_top |= std::abs(k.y0 - line->y0) <= kAlignEm * line->em;
          }
          if (at_row_top) {
            parts.back().y1 = prev->y1;
            parts.push_back({line->y0, whole.y1, whole.em, {}});
          }
        }
        parts.back().lines.push_back(line);
        prev = line;
      }
      for (const CellBlock& block : parts) {
        // Rows the block reaches into by more than a sliver.
        const double sliver = 0.3 * block.em;
        const int first = RowOf(block.y0 + sliver);
        const int last = std::max(first, RowOf(block.y1 - sliver));
        const std::string text = BlockText(block, column_right_[c]);
        for (int r = first; r <= last; ++r) {
          Row& row = slots[r];
          std::string& cell = row.cells[c];
          if (!cell.empty()) cell.push_back('\n');
          cell += text;
          row.filled[c] = true;
          if (r > first) row.merged[c] = true;
        }
        for (const CellLine* line : block.lines) {
          Row& row = slots[RowOf((line->y0 + line->y1) / 2)];
          row.y0 = std::min(row.y0, line->y0);
          row.y1 = std::max(row.y1, line->y1);
        }
      }
    }
  }
  for (size_t r = 0; r < slots.size(); ++r) {
    Row& row = slots[r];
    row.top = r > 0 ? boundaries_[r - 1] : std::numeric_limits<double>::lowest();
    if (std::find(row.filled.begin(), row.filled.end(), true) != row.filled.end()) {
      if (row.y0 > row.y1) row.y0 = row.y1 = 0;  // only merged text reaches it
      rows_.push_back(std::move(row));
    }
  }
}

std::optional<bool> TableBuilder::RuleBetween(int column, size_t lower) const {
  if (!probe_) return std::nullopt;
  // A border lies between the key cells above and below the cut, and, in
  // `column`, between its last text above the cut and its first text below.
  const double cut = rows_[lower].top;
  const double slack = 0.1 * region_em_;
  const CellBlock* above = nullptr;
  const CellBlock* below = nullptr;
  for (const CellBlock& k : blocks_[key_]) {
    if (k.y0 < cut - slack) above = &k;
    if (k.y0 >= cut - slack && below == nullptr) below = &k;
  }
  if (above == nullptr || below == nullptr) return std::nullopt;
  double y0 = above->y1;
  double y1 = below->y0;
  if (column != key_) {
    for (const CellLine& cl : cell_lines_[column]) {
      if (cl.y1 <= cut + slack) y0 = std::max(y0, cl.y1);
      if (cl.y0 >= cut - slack) y1 = std::min(y1, cl.y0);
    }
  }
  if (y1 - y0 < 1.0) {
    const double mid = (y0 + y1) / 2;
    y0 = mid - 1.0;
    y1 = mid + 1.0;
  }
  const Column& col = region_.columns[column];
  const double inset = (col.x1 - col.x0) * 0.15;
  return probe_(col.x0 + inset, col.x1 - inset, y0, y1);
}

void TableBuilder::ResolveEmptyCells(int key) {
  if (!probe_ || rows_.size() < 2) return;
  // Whether a border separates rows r-1 and r in the key column: a ruled
  // table draws one there, so its absence in another column means a merge.
  std::vector<std::optional<bool>> key_rule(rows_.size());
  auto key_ruled = [&](size_t r) {
    if (!key_rule[r].has_value()) key_rule[r] = RuleBetween(key_, r).value_or(false);
    return *key_rule[r];
  };
  for (size_t c = 0; c < width_; ++c) {
    if (static_cast<int>(c) == key) continue;
    // A merged cell's text at its top: empty rows below it belong to it.
    for (size_t r = 1; r < rows_.size(); ++r) {
      if (rows_[r].filled[c] || !rows_[r - 1].filled[c]) continue;
      if (!key_ruled(r) || RuleBetween(static_cast<int>(c), r).value_or(true)) continue;
      rows_[r].cells[c] = rows_[r - 1].cells[c];
      rows_[r].filled[c] = rows_[r].merged[c] = true;
    }
    // A merged cell's text centred lower down: empty rows above it too.
    for (size_t r = rows_.size() - 1; r >= 1; --r) {
      if (rows_[r - 1].filled[c] || !rows_[r].filled[c] || rows_[r].merged[c]) continue;
      if (!key_ruled(r) || RuleBetween(static_cast<int>(c), r).value_or(true)) continue;
      rows_[r - 1].cells[c] = rows_[r].cells[c];
      rows_[r - 1].filled[c] = true;
      rows_[r].merged[c] = true;
      for (size_t below = r + 1; below < rows_.size() && rows_[below].merged[c]; ++below) {
        rows_[below].cells[c] = rows_[r - 1].cells[c];
      }
    }
  }
}

std::vector<PdfItem> TableBuilder::Build(int region_index) {
  CollectCellLines();
  FormBlocks();
  key_ = ChooseKeyColumn();
  FillCells(key_);
  ResolveEmptyCells(key_);
  std::vector<PdfItem> items;
  for (Row& row : rows_) {
    PdfItem& item = items.emplace_back();
    item.kind = PdfItem::Kind::kRow;
    item.region = region_index;
    item.x0 = region_.columns.front().x0;
    item.x1 = region_.columns.back().x1;
    item.y0 = row.y0;
    item.y1 = row.y1;
    item.cells = std::move(row.cells);
    if (std::find(row.merged.begin(), row.merged.end(), true) != row.merged.end()) {
      item.merged_from_above = std::move(row.merged);
    }
  }
  return items;
}

// Which lines of a page are running headers and footers: lines in the top
// or bottom band whose text (digits masked) recurs at the same height on
// other pages, and page numbers there. Learnt from the pages seen so far.
class MarginLines {
 public:
  void Observe(const std::vector<Line>& lines, double page_height) {
    ++pages_;
    std::set<std::string> seen_here;
    for (const Line& line : lines) {
      if (!InBand(line, page_height)) continue;
      const std::string key = Key(line);
      if (!seen_here.insert(key).second) continue;
      ++count_[key];
    }
  }

  bool IsMargin(const Line& line, double page_height) const {
    if (!InBand(line, page_height)) return false;
    const std::string text = JoinSegments(line.segments);
    if (LooksLikePageNumber(text)) return true;
    auto it = count_.find(Key(line));
    const size_t needed = std::max<size_t>(2, (pages_ + 3) / 4);
    return it != count_.end() && it->second >= needed;
  }

 private:
  static bool InBand(const Line& line, double page_height) {
    return line.y1 <= kHeaderBand * page_height || line.y0 >= kFooterBand * page_height;
  }
  // The masked text and the height on the page, in 4 pt steps.
  static std::string Key(const Line& line);

  size_t pages_ = 0;
  std::map<std::string, size_t> count_;
};

class PageBuilder {
 public:
  PageBuilder(std::vector<Line> lines, const RuleProbe& probe, const MarginLines* margins,
              PdfPage* page)
      : lines_(std::move(lines)),
        probe_(probe),
        margins_(margins),
        page_(page),
        tight_em_(TightGapEm(lines_)) {}

  void Run() {
    for (size_t i = 0; i < lines_.size(); ++i) {
      Line& line = lines_[i];
      if (margins_ != nullptr && margins_->IsMargin(line, page_->height)) {
        // Running headers and footers never join a table, even when they
        // sit above its columns.
        if (open_) CloseRegion();
        units_.push_back({i, -1, true});
        continue;
      }
      if (open_) {
        std::vector<int> ids;
        const bool far = line.y0 - region_.last_y1 > 2.5 * line.em / kEmPerBoxHeight;
        const bool resized = std::abs(line.em - region_.em) > 0.1 * region_.em;  // a heading
        if (!far && !resized && AssignColumns(&region_, &next_column_id_, &line, &ids)) {
          AddToRegion(i, std::move(ids));
          continue;
        }
        CloseRegion();
      }
      if (line.segments.size() >= 2) {
        open_ = true;
        region_ = Region{};
        region_.em = line.em;
        std::vector<int> ids;
        AssignColumns(&region_, &next_column_id_, &line, &ids);
        AddToRegion(i, std::move(ids));
        continue;
      }
      units_.push_back({i, -1});
    }
    if (open_) CloseRegion();
    Emit();
  }

 private:
  // In reading order: a prose line (region < 0) or a table.
  struct Unit {
    size_t line;
    int region;
    bool margin = false;  // a running header or footer
  };

  void AddToRegion(size_t line_index, std::vector<int> ids) {
    const Line& line = lines_[line_index];
    region_.lines.push_back(line_index);
    region_.segment_column_ids.push_back(std::move(ids));
    region_.multi_segment_lines += line.segments.size() >= 2;
    region_.last_y1 = std::max(region_.last_y1, line.y1);
  }

  // Two neighbouring columns that never hold text on the same line are one
  // column: a header centred over cells that are all short and left-aligned
  // never overlaps them.
  void MergeDisjointColumns() {
    for (size_t c = 0; c + 1 < region_.columns.size();) {
      const int left = region_.columns[c].id;
      const int right = region_.columns[c + 1].id;
      bool together = false;
      for (const std::vector<int>& ids : region_.segment_column_ids) {
        together |= std::find(ids.begin(), ids.end(), left) != ids.end() &&
                    std::find(ids.begin(), ids.end(), right) != ids.end();
      }
      if (together) {
        ++c;
        continue;
      }
      region_.columns[c].x0 = std::min(region_.columns[c].x0, region_.columns[c + 1].x0);
      region_.columns[c].x1 = std::max(region_.columns[c].x1, region_.columns[c + 1].x1);
      region_.columns.erase(region_.columns.begin() + c + 1);
      for (std::vector<int>& ids : region_.segment_column_ids) {
        for (int& id : ids) id = id == right ? left : id;
      }
    }
  }

  // Lines just above a table that each sit inside one of its columns are
  // its first rows: the rest of a row broken by the page break, or a header
  // whose cells are set on lines of their own.
  void TakeLinesAbove() {
    while (!units_.empty() && units_.back().region < 0) {
      const size_t above = units_.back().line;
      const Line& line = lines_[above];
      const Line& below = lines_[region_.lines.front()];
      if (margins_ != nullptr && margins_->IsMargin(line, page_->height)) break;
      if (below.y0 - line.y1 > 1.5 * line.em / kEmPerBoxHeight) break;
      if (std::abs(line.em - region_.em) > 0.1 * region_.em) break;
      std::vector<int> ids;
      for (const Segment& seg : line.segments) {
        int hit = -1;
        if (ColumnsHit(region_.columns, seg.x0, seg.x1, &hit) != 1) return;
        ids.push_back(region_.columns[hit].id);
      }
      units_.pop_back();
      region_.lines.insert(region_.lines.begin(), above);
      region_.segment_column_ids.insert(region_.segment_column_ids.begin(), std::move(ids));
    }
  }

  void CloseRegion() {
    open_ = false;
    MergeDisjointColumns();
    if (region_.multi_segment_lines < 2 || region_.columns.size() < 2) {
      for (size_t i : region_.lines) units_.push_back({i, -1});
      return;
    }
    TakeLinesAbove();
    units_.push_back({0, static_cast<int>(regions_.size())});
    regions_.push_back(std::move(region_));
  }

  void Emit() {
    const Line* last_prose = nullptr;
    double last_height = 0;
    for (const Unit& unit : units_) {
      if (unit.region >= 0) {
        const Region& region = regions_[unit.region];
        const int index = static_cast<int>(page_->regions.size());
        PdfRegion& out = page_->regions.emplace_back();
        for (const Column& c : region.columns) out.columns.emplace_back(c.x0, c.x1);
        TableBuilder builder(lines_, region, tight_em_, probe_);
        for (PdfItem& item : builder.Build(index)) page_->items.push_back(std::move(item));
        last_prose = nullptr;
        continue;
      }
      const Line& line = lines_[unit.line];
      const double height = line.em / kEmPerBoxHeight;
      if (last_prose != nullptr) {
        const double gap = line.y0 - last_prose->y1;
        const bool resized = std::abs(height - last_height) > 0.15 * std::max(height, last_height);
        if (gap > tight_em_ * line.em || resized) {
          page_->items.emplace_back().kind = PdfItem::Kind::kBreak;
        }
      }
      PdfItem& item = page_->items.emplace_back();
      item.kind = PdfItem::Kind::kLine;
      item.text = JoinSegments(line.segments);
      item.x0 = line.segments.front().x0;
      item.x1 = line.segments.back().x1;
      item.y0 = line.y0;
      item.y1 = line.y1;
      item.height = height;
      item.furniture = unit.margin;
      last_prose = &line;
      last_height = height;
    }
  }

  std::vector<Line> lines_;
  const RuleProbe& probe_;
  const MarginLines* margins_;
  PdfPage* page_;
  const double tight_em_;
  bool open_ = false;
  Region region_;
  int next_column_id_ = 0;
  std::vector<Unit> units_;
  std::vector<Region> regions_;
};

// --- Across pages ---------------------------------------------------------

// The line's text with digits masked and spaces dropped: a running header
// with the page number or date in it is the same line on every page.
std::string FurnitureKey(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (IsAsciiSpace(c)) continue;
    key.push_back(IsAsciiDigit(c) ? '#' : c);
  }
  return key;
}

std::string MarginLines::Key(const Line& line) {
  return FurnitureKey(JoinSegments(line.segments)) + "@" + std::to_string(std::lround(line.y0 / 4));
}

std::string RowSignature(const PdfItem& row) {
  std::string sig;
  for (const std::string& cell : row.cells) {
    for (char c : cell) {
      if (!IsAsciiSpace(c)) sig.push_back(c);
    }
    sig.push_back('\x1f');
  }
  return sig;
}

bool SameColumns(const PdfRegion& a, const PdfRegion& b) {
  if (a.columns.size() != b.columns.size()) return false;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const double overlap = std::min(a.columns[c].second, b.columns[c].second) -
                           std::max(a.columns[c].first, b.columns[c].first);
    if (overlap <= 0) return false;
  }
  return true;
}

}  // namespace

namespace {

// Words that are empty or inverted are dropped.
void CleanWords(std::vector<PdfWord>* words) {
  words->erase(std::remove_if(words->begin(), words->end(),
                              [](PdfWord& w) {
                                w.text = std::string(TrimSpace(w.text));
                                return w.text.empty() || w.x1 < w.x0 || w.y1 < w.y0;
                              }),
               words->end());
}

// Whether a horizontal rule crosses the band y0..y1 over 80 % of x0..x1.
std::optional<bool> HasRuleIn(const std::vector<PdfRule>& rules, double x0, double x1, double y0,
                              double y1) {
  if (x1 - x0 < 4) return std::nullopt;
  std::vector<std::pair<double, double>> covered;
  for (const PdfRule& rule : rules) {
    if (!rule.horizontal) continue;
    const double half = rule.width / 2;
    if (rule.at + half < y0 - 0.5 || rule.at - half > y1 + 0.5) continue;
    const double from = std::max(rule.from, x0);
    const double to = std::min(rule.to, x1);
    if (to > from) covered.emplace_back(from, to);
  }
  std::sort(covered.begin(), covered.end());
  double length = 0;
  double reach = x0;
  for (const auto& [from, to] : covered) {
    if (to <= reach) continue;
    length += to - std::max(from, reach);
    reach = to;
  }
  return length >= 0.8 * (x1 - x0);
}

}  // namespace

PdfPage LayoutPdfPage(PdfPageContent content) {
  PdfPage page;
  page.width = content.width;
  page.height = content.height;
  CleanWords(&content.words);
  if (content.words.empty()) return page;
  const std::vector<PdfRule>& rules = content.rules;
  RuleProbe probe = [&rules](double x0, double x1, double y0, double y1) {
    return HasRuleIn(rules, x0, x1, y0, y1);
  };
  PageBuilder(GroupLines(std::move(content.words)), probe, nullptr, &page).Run();
  return page;
}

struct PdfPageStream::Pending {
  std::vector<Line> lines;
  double width = 0;
  double height = 0;
  std::vector<PdfRule> rules;
};

struct PdfPageStream::State {
  MarginLines margins;
};

PdfPageStream::PdfPageStream() : state_(std::make_unique<State>()) {}
PdfPageStream::~PdfPageStream() = default;

void PdfPageStream::Add(PdfPageContent content) {
  CleanWords(&content.words);
  auto page = std::make_unique<Pending>();
  page->lines =
      content.words.empty() ? std::vector<Line>() : GroupLines(std::move(content.words));
  page->width = content.width;
  page->height = content.height;
  page->rules = std::move(content.rules);
  state_->margins.Observe(page->lines, page->height);
  pending_.push_back(std::move(page));
}

size_t PdfPageStream::LayOut(bool flush, std::vector<PdfPage>* out) {
  size_t done = 0;
  while (!pending_.empty() && (flush || pending_.size() > kLookahead)) {
    Pending& next = *pending_.front();
    PdfPage& page = out->emplace_back();
    page.width = next.width;
    page.height = next.height;
    if (!next.lines.empty()) {
      const std::vector<PdfRule>& rules = next.rules;
      RuleProbe probe = [&rules](double x0, double x1, double y0, double y1) {
        return HasRuleIn(rules, x0, x1, y0, y1);
      };
      PageBuilder(std::move(next.lines), probe, &state_->margins, &page).Run();
    }
    pending_.pop_front();
    ++done;
  }
  return done;
}

void AssemblePdfDocument(const std::vector<PdfPage>& pages, Document* doc) {
  doc->blocks.clear();
  doc->text.clear();
  doc->page_count = static_cast<int>(pages.size());

  // Body text height: the most common line height, by characters.
  std::map<long, size_t> by_height;  // quarter points → characters
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      const PdfItem& item = pages[p].items[i];
      if (item.kind != PdfItem::Kind::kLine || pages[p].items[i].furniture) continue;
      by_height[std::lround(item.height * 4)] += item.text.size();
    }
  }
  double body = 0;
  size_t most = 0;
  for (const auto& [quarter, chars] : by_height) {
    if (chars > most) body = quarter / 4.0, most = chars;
  }
  // Heading levels: larger type, lower level number.
  std::set<long, std::greater<long>> heading_sizes;
  auto is_heading = [&](const PdfItem& item) {
    return body > 0 && item.kind == PdfItem::Kind::kLine && item.height >= kHeadingRatio * body &&
           CodePointCount(item.text) <= 80;
  };
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      if (!pages[p].items[i].furniture && is_heading(pages[p].items[i])) {
        heading_sizes.insert(std::lround(pages[p].items[i].height * 2));
      }
    }
  }
  auto level_of = [&](const PdfItem& item) {
    const long size = std::lround(item.height * 2);
    int level = 1;
    for (long s : heading_sizes) {
      if (s == size) break;
      ++level;
    }
    return std::min(level, 6);
  };

  // A row that tops a table on several pages is the table's header row.
  std::map<std::string, std::set<size_t>> top_rows;
  for (size_t p = 0; p < pages.size(); ++p) {
    int last_region = -1;
    for (const PdfItem& item : pages[p].items) {
      if (item.kind != PdfItem::Kind::kRow || item.region == last_region) continue;
      last_region = item.region;
      top_rows[RowSignature(item)].insert(p);
    }
  }
  // A header row repeated in the top margin of later pages is furniture
  // there; where it tops the table as a row, it is the header.
  std::set<std::string> furniture_texts;
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      if (!pages[p].items[i].furniture) continue;
      std::string text;
      for (char c : pages[p].items[i].text) {
        if (!IsAsciiSpace(c)) text.push_back(c);
      }
      furniture_texts.insert(std::move(text));
    }
  }
  auto repeated_header = [&](const PdfItem& row) {
    if (top_rows[RowSignature(row)].size() >= 2) return true;
    std::string text;
    for (const std::string& cell : row.cells) {
      for (char c : cell) {
        if (!IsAsciiSpace(c)) text.push_back(c);
      }
    }
    return !text.empty() && furniture_texts.count(text) > 0;
  };

  BlockSink sink(doc);
  std::map<int, std::vector<bool>> merge_columns;  // per table
  std::map<int, size_t> last_row_of_table;         // index into doc->blocks
  std::vector<bool> pending_merge;                 // per column of the current region
  int next_table = 0;
  int carried_table = -1;               // the table the previous page ended in
  const PdfRegion* carried_region = nullptr;
  for (size_t p = 0; p < pages.size(); ++p) {
    const PdfPage& page = pages[p];
    sink.set_page(static_cast<int>(p) + 1);
    if (p > 0) doc->text.push_back('\f');
    std::vector<int> table_of_region(page.regions.size(), -1);
    bool content_seen = false;
    int last_region = -1;
    int page_last_table = -1;
    const PdfRegion* page_last_region = nullptr;
    for (size_t i = 0; i < page.items.size(); ++i) {
      const PdfItem& item = page.items[i];
      const size_t begin = doc->text.size();
      switch (item.kind) {
        case PdfItem::Kind::kBreak:
          sink.Blank(begin, begin);
          break;
        case PdfItem::Kind::kLine: {
          doc->text += item.text;
          doc->text.push_back('\n');
          const size_t end = doc->text.size() - 1;
          const Document& d = *doc;
          if (pages[p].items[i].furniture) {
            sink.Line(item.text, begin, end);
            doc->blocks.back().furniture = true;
            break;
          }
          content_seen = true;
          page_last_table = -1;
          if (is_heading(item)) {
            const size_t last = sink.last_index();
            if (last != std::string::npos && d.blocks[last].kind == BlockKind::kHeading &&
                d.blocks[last].level == level_of(item) && i > 0 &&
                page.items[i - 1].kind == PdfItem::Kind::kLine) {
              // A heading wrapped over two lines is one heading.
              Block& heading = doc->blocks[last];
              AppendWrapped(&heading.text, item.text);
              heading.source_end = end;
              break;
            }
            sink.Heading(item.text, level_of(item), begin, end);
          } else {
            sink.Line(item.text, begin, end);
          }
          break;
        }
        case PdfItem::Kind::kRow: {
          const bool first_row = item.region != last_region;
          last_region = item.region;
          int& table = table_of_region[item.region];
          if (table < 0) {
            const PdfRegion& region = page.regions[item.region];
            const bool continues = !content_seen && carried_table >= 0 &&
                                   carried_region != nullptr &&
                                   SameColumns(*carried_region, region);
            table = continues ? carried_table : next_table++;
            // Columns where the table merges cells: a merged cell cut by
            // the page break leaves the top rows of this page blank there.
            std::vector<bool>& merging = merge_columns[table];
            merging.resize(item.cells.size(), false);
            for (const PdfItem& other : page.items) {
              if (other.kind != PdfItem::Kind::kRow || other.region != item.region) continue;
              for (size_t c = 0; c < other.merged_from_above.size() && c < merging.size(); ++c) {
                merging[c] = merging[c] || other.merged_from_above[c];
              }
            }
            pending_merge.assign(item.cells.size(), continues);
          }
          content_seen = true;
          const bool header = first_row && repeated_header(item);
          std::vector<std::string> cells = item.cells;
          std::vector<bool> merged = item.merged_from_above;
          const std::vector<bool>& merging = merge_columns[table];
          if (!header && last_row_of_table.count(table)) {
            const Block& above = doc->blocks[last_row_of_table[table]];
            for (size_t c = 0; c < cells.size() && c < pending_merge.size(); ++c) {
              if (!pending_merge[c]) continue;
              if (!cells[c].empty() || c >= merging.size() || !merging[c] ||
                  c >= above.cells.size() || above.cells[c].empty()) {
                pending_merge[c] = false;
                continue;
              }
              cells[c] = above.cells[c];
              merged.resize(cells.size(), false);
              merged[c] = true;
            }
          }
          if (!header) {
            // Only the rows at the top of a continued table can be the rest
            // of a cell from the previous page.
            for (size_t c = 0; c < cells.size() && c < pending_merge.size(); ++c) {
              if (!cells[c].empty() && !(c < merged.size() && merged[c])) pending_merge[c] = false;
            }
          }
          for (size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) doc->text.push_back('\t');
            doc->text += cells[c];
          }
          doc->text.push_back('\n');
          sink.Row(std::move(cells), table, header, begin, doc->text.size() - 1);
          doc->blocks.back().merged_from_above = std::move(merged);
          if (!header) last_row_of_table[table] = doc->blocks.size() - 1;
          page_last_table = table;
          page_last_region = &page.regions[item.region];
          break;
        }
      }
    }
    carried_table = page_last_table;
    carried_region = page_last_table >= 0 ? page_last_region : nullptr;
  }
}

}  // namespace fiscdex::ingest::internal
