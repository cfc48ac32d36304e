// How it works. Lines are read top to bottom. A line with two segments or
// more opens a table region whose columns are the segments' x extents;
// following lines join the region while each of their segments falls inside
// one column (a column widens to hold what it is given), and a line with a
// segment that straddles two columns (prose, a heading) closes it. A region
// becomes a table when at least two of its lines have several segments;
// otherwise its lines are prose.
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
#include "ingest/pdf_stream_table.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/text.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {

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

namespace {

// A table is taken for one that centres its cells only with this many key
// cells to judge by.
constexpr size_t kCentredMinKeys = 3;

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

}  // namespace

bool AssignColumns(Region* region, int* next_id, Line* line, std::vector<int>* ids) {
  std::vector<Column> cols = region->columns;
  std::map<int, int> renamed;  // merged column id → the id it became
  // Merges the columns at positions [lo, hi] if no line of the region has
  // text in two of them.
  auto merge = [&](int lo, int hi) {
    std::set<int> merging;
    for (int c = lo; c <= hi; ++c) merging.insert(cols[c].id);
    std::map<int, size_t> lines_of;  // column id → lines with text in it
    for (const std::vector<int>& line_ids : region->segment_column_ids) {
      int used = 0;
      std::set<int> seen;
      for (int id : line_ids) {
        auto it = renamed.find(id);
        if (it != renamed.end()) id = it->second;
        if (merging.count(id) && seen.insert(id).second) ++used, ++lines_of[id];
      }
      if (used > 1) return false;
    }
    size_t body_columns = 0;
    for (const auto& [id, count] : lines_of) body_columns += count > kCentredHeaderLines;
    if (body_columns > 1) return false;
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

namespace {

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
  // Whether another column's cell starts level with this key cell.
  bool LevelWithAnotherCell(int key, const CellBlock& key_block) const;
  bool KeysCentred(int key) const;
  void JoinCentredRows(int key);
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
    bool straddled = false;
    const double tolerance = kAlignEm * keys[i].em;
    for (size_t c = 0; c < width_; ++c) {
      if (static_cast<int>(c) == key) continue;
      for (const CellBlock& b : blocks_[c]) {
        straddled |= b.y0 > keys[i - 1].y1 && b.y0 < keys[i].y0 - tolerance &&
                     b.y1 > keys[i].y1 + tolerance;
      }
    }
    const bool aligned = LevelWithAnotherCell(key, keys[i]) && !straddled;
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
  return JoinCellLines(block.lines, column_right);
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

// Whether the table centres its cells vertically: most key cells (after
// the first) start level with no other cell.
bool TableBuilder::LevelWithAnotherCell(int key, const CellBlock& key_block) const {
  const double tolerance = kAlignEm * key_block.em;
  for (size_t c = 0; c < width_; ++c) {
    if (static_cast<int>(c) == key) continue;
    for (const CellBlock& b : blocks_[c]) {
      if (std::abs(b.y0 - key_block.y0) <= tolerance) return true;
    }
  }
  return false;
}

bool TableBuilder::KeysCentred(int key) const {
  const std::vector<CellBlock>& keys = blocks_[key];
  if (keys.size() < kCentredMinKeys) return false;
  size_t level = 0;
  for (size_t i = 1; i < keys.size(); ++i) level += LevelWithAnotherCell(key, keys[i]);
  return level * 2 < keys.size() - 1;
}

// In a table that centres its cells, an answer of several paragraphs
// spaced apart starts above its key cell and ends below it, and the bands
// between its paragraphs cut rows with no key of their own. Such a row
// belongs to the key row whose key cell is nearer (the key sits at its
// row's middle), not to the row above as a row broken by the page would.
// Rows above the first key row stay: they are the rest of a row from the
// page before.
void TableBuilder::JoinCentredRows(int key) {
  if (!KeysCentred(key)) return;
  const size_t k = static_cast<size_t>(key);
  auto key_centre = [&](const Row& row) {
    for (const CellBlock& b : blocks_[key]) {
      const double centre = (b.y0 + b.y1) / 2;
      if (centre >= row.y0 && centre <= row.y1) return centre;
    }
    return (row.y0 + row.y1) / 2;
  };
  auto keyed = [&](const Row& row) { return !row.cells[k].empty() && !row.merged[k]; };
  auto absorb = [&](Row* into, const Row& part, bool part_above) {
    for (size_t c = 0; c < width_; ++c) {
      const std::string& extra = part.cells[c];
      std::string& cell = into->cells[c];
      if (extra.empty() || extra == cell) {
        if (extra == cell && part_above) into->merged[c] = part.merged[c];
        continue;
      }
      if (cell.empty()) {
        cell = extra;
        into->merged[c] = part.merged[c];
      } else {
        cell = part_above ? extra + "\n" + cell : cell + "\n" + extra;
        if (part_above) into->merged[c] = part.merged[c];
      }
      into->filled[c] = true;
    }
    into->y0 = std::min(into->y0, part.y0);
    into->y1 = std::max(into->y1, part.y1);
  };
  size_t first_keyed = 0;
  while (first_keyed < rows_.size() && !keyed(rows_[first_keyed])) ++first_keyed;
  if (first_keyed == rows_.size()) return;
  // Each keyless row below the first key row, to its nearer key row.
  std::vector<int> target(rows_.size(), -1);
  for (size_t r = first_keyed + 1; r < rows_.size(); ++r) {
    if (keyed(rows_[r])) continue;
    size_t above = r - 1;
    while (!keyed(rows_[above])) --above;
    size_t below = r + 1;
    while (below < rows_.size() && !keyed(rows_[below])) ++below;
    const double centre = (rows_[r].y0 + rows_[r].y1) / 2;
    const bool to_below = below < rows_.size() &&
                          key_centre(rows_[below]) - centre < centre - key_centre(rows_[above]);
    target[r] = static_cast<int>(to_below ? below : above);
  }
  // Into the row below: nearest first, so paragraphs keep their order.
  for (size_t r = rows_.size(); r-- > first_keyed + 1;) {
    if (target[r] > static_cast<int>(r)) absorb(&rows_[target[r]], rows_[r], true);
  }
  for (size_t r = first_keyed + 1; r < rows_.size(); ++r) {
    if (target[r] >= 0 && target[r] < static_cast<int>(r)) {
      absorb(&rows_[target[r]], rows_[r], false);
    }
  }
  std::vector<Row> kept;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (target[r] < 0) kept.push_back(std::move(rows_[r]));
  }
  rows_ = std::move(kept);
}

std::vector<PdfItem> TableBuilder::Build(int region_index) {
  CollectCellLines();
  FormBlocks();
  key_ = ChooseKeyColumn();
  FillCells(key_);
  ResolveEmptyCells(key_);
  JoinCentredRows(key_);
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

}  // namespace

std::vector<PdfItem> BuildStreamTable(const std::vector<Line>& lines, const Region& region,
                                      double tight_em, const RuleProbe& probe, int region_index) {
  return TableBuilder(lines, region, tight_em, probe).Build(region_index);
}

}  // namespace fiscdex::ingest::internal
