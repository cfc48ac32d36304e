// How it works. Rules that lie on one line (within kSnap) are one rule,
// their pieces joined across gaps of up to kJoinGap (a border drawn cell by
// cell). Horizontal and vertical rules that meet or cross (within kSnap)
// are linked; each linked network of rules is a candidate table. Its column
// edges are the x of its vertical rules and its row edges the y of its
// horizontal ones; where the network has no rule on a side (a table open
// at the sides, or one drawn with horizontal rules only between
// columns drawn by vertical ones), its outer extent is the edge there.
//
// The slots between neighbouring edges are then joined into cells: two
// slots side by side are one cell unless a vertical rule covers at least
// half of the side they share, and likewise for slots one above the other.
// That is how merged cells show in a drawing: the rule between the slots
// is missing. A cell is always a rectangle: slots caught inside the
// bounding box of a cell join it.
//
// Words go to the cell holding the centre of their box. A cell's words are
// grouped into lines (pdf_lines.h) and the lines joined into its text.
#include "ingest/pdf_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "ingest/pdf_lines.h"

namespace fiscdex::ingest::internal {
namespace {

// Rules closer than this are on one line; rules whose ends come this close
// meet. Borders are 0.1-1 pt thick; double borders are 1-2 pt apart.
constexpr double kSnap = 2.0;
// Pieces of one rule this far apart are one rule (a border drawn cell by
// cell leaves hairline gaps at the joints).
constexpr double kJoinGap = 2.0;
// A rule separates two slots when it covers this share of their side.
constexpr double kCoverage = 0.5;
// Smaller than this, in points, a network is a decoration, not a table.
constexpr double kMinTableWidth = 20;
constexpr double kMinTableHeight = 8;
// A row is shaded when fills cover this share of it.
constexpr double kShadedShare = 0.7;
// Lines of a cut cell's text under the grid are closer than this, in line
// heights: the cell's own line pitch.
constexpr double kOverflowGap = 0.8;
// A table on a page has at most a few hundred rows and columns of slots
// (Word tables whose rows set their column borders a little apart add
// edges); a network of rules with more slots than this is a chart: a step
// chart's staircase of 20 000 rules would otherwise make 10^8 slots.
constexpr size_t kMaxSlots = 50000;
// Making cells rectangles visits each cell's bounding box; a table's cells
// are rectangles already, so it needs two passes over the slots. A tangle
// that needs more visits than this many per slot is no table.
constexpr size_t kMaxVisitsPerSlot = 16;

struct Line1D {
  double at;
  double from, to;
};

// Joins the rules of one orientation: rules on one line (within kSnap of
// each other) and overlapping or nearly touching become one.
std::vector<Line1D> JoinRules(std::vector<Line1D> rules) {
  std::sort(rules.begin(), rules.end(),
            [](const Line1D& a, const Line1D& b) { return a.at < b.at; });
  std::vector<Line1D> joined;
  size_t i = 0;
  while (i < rules.size()) {
    // One line: rules whose position is within kSnap of the first.
    size_t j = i;
    double sum = 0;
    while (j < rules.size() && rules[j].at - rules[i].at <= kSnap) sum += rules[j++].at;
    const double at = sum / static_cast<double>(j - i);
    std::vector<std::pair<double, double>> spans;
    for (size_t k = i; k < j; ++k) spans.emplace_back(rules[k].from, rules[k].to);
    std::sort(spans.begin(), spans.end());
    for (const auto& [from, to] : spans) {
      if (!joined.empty() && joined.back().at == at && from <= joined.back().to + kJoinGap) {
        joined.back().to = std::max(joined.back().to, to);
      } else {
        joined.push_back({at, from, to});
      }
    }
    i = j;
  }
  return joined;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// Positions within kSnap of each other, as one (their mean), sorted.
std::vector<double> Edges(std::vector<double> positions) {
  std::sort(positions.begin(), positions.end());
  std::vector<double> edges;
  size_t i = 0;
  while (i < positions.size()) {
    size_t j = i;
    double sum = 0;
    while (j < positions.size() && positions[j] - positions[i] <= kSnap) sum += positions[j++];
    edges.push_back(sum / static_cast<double>(j - i));
    i = j;
  }
  return edges;
}

// How much of [from, to] the rules at `at` (within kSnap) cover.
// REQUIRES: `rules` sorted by position (at), so that only the rules near
// `at` are looked at: a grid asks this once per pair of slots.
double Covered(const std::vector<const Line1D*>& rules, double at, double from, double to) {
  std::vector<std::pair<double, double>> spans;
  auto first = std::lower_bound(rules.begin(), rules.end(), at - kSnap,
                                [](const Line1D* rule, double x) { return rule->at < x; });
  for (auto it = first; it != rules.end() && (*it)->at <= at + kSnap; ++it) {
    const Line1D* rule = *it;
    const double a = std::max(rule->from, from);
    const double b = std::min(rule->to, to);
    if (b > a) spans.emplace_back(a, b);
  }
  std::sort(spans.begin(), spans.end());
  double length = 0;
  double reach = from;
  for (const auto& [a, b] : spans) {
    if (b <= reach) continue;
    length += b - std::max(a, reach);
    reach = b;
  }
  return length;
}

// The grid of one network of rules, or nullopt if it is no table.
std::optional<PdfGrid> GridOf(const std::vector<const Line1D*>& horizontal,
                              const std::vector<const Line1D*>& vertical) {
  if (horizontal.empty() || vertical.empty()) return std::nullopt;
  double left = vertical.front()->at, right = left;
  double top = horizontal.front()->at, bottom = top;
  std::vector<double> xs, ys;
  for (const Line1D* v : vertical) {
    xs.push_back(v->at);
    left = std::min(left, v->at);
    right = std::max(right, v->at);
    top = std::min(top, v->from);
    bottom = std::max(bottom, v->to);
  }
  for (const Line1D* h : horizontal) {
    ys.push_back(h->at);
    top = std::min(top, h->at);
    bottom = std::max(bottom, h->at);
    left = std::min(left, h->from);
    right = std::max(right, h->to);
  }
  if (right - left < kMinTableWidth || bottom - top < kMinTableHeight) return std::nullopt;
  // The outer extent is an edge where no rule stands.
  xs.push_back(left);
  xs.push_back(right);
  ys.push_back(top);
  ys.push_back(bottom);
  PdfGrid grid;
  grid.xs = Edges(std::move(xs));
  grid.ys = Edges(std::move(ys));
  if (grid.xs.size() < 3 || grid.ys.size() < 2 ||
      (grid.xs.size() - 1) * (grid.ys.size() - 1) > kMaxSlots) {
    return std::nullopt;
  }
  const int rows = grid.rows();
  const int columns = grid.columns();

  // Which slots are one cell.
  auto slot = [columns](int r, int c) { return static_cast<size_t>(r * columns + c); };
  UnionFind cells(static_cast<size_t>(rows * columns));
  for (int r = 0; r < rows; ++r) {
    const double height = grid.ys[r + 1] - grid.ys[r];
    for (int c = 1; c < columns; ++c) {
      if (Covered(vertical, grid.xs[c], grid.ys[r], grid.ys[r + 1]) < kCoverage * height) {
        cells.Union(slot(r, c - 1), slot(r, c));
      }
    }
  }
  for (int r = 1; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const double width = grid.xs[c + 1] - grid.xs[c];
      if (Covered(horizontal, grid.ys[r], grid.xs[c], grid.xs[c + 1]) < kCoverage * width) {
        cells.Union(slot(r - 1, c), slot(r, c));
      }
    }
  }
  // Cells are rectangles: whatever lies in a cell's bounding box joins it.
  // Each pass visits the box of every cell as it stood when the pass began.
  const size_t slots = static_cast<size_t>(rows) * static_cast<size_t>(columns);
  size_t visits = 0;
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<int> r0(slots, rows), r1(slots, -1);
    std::vector<int> c0(slots, columns), c1(slots, -1);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        const size_t root = cells.Find(slot(r, c));
        r0[root] = std::min(r0[root], r);
        r1[root] = std::max(r1[root], r);
        c0[root] = std::min(c0[root], c);
        c1[root] = std::max(c1[root], c);
      }
    }
    for (size_t cell = 0; cell < slots; ++cell) {
      if (r1[cell] < 0) continue;  // not a cell's root when the pass began
      visits += static_cast<size_t>(r1[cell] - r0[cell] + 1) *
                static_cast<size_t>(c1[cell] - c0[cell] + 1);
      if (visits > kMaxVisitsPerSlot * slots) return std::nullopt;
      for (int rr = r0[cell]; rr <= r1[cell]; ++rr) {
        for (int cc = c0[cell]; cc <= c1[cell]; ++cc) {
          if (cells.Find(slot(rr, cc)) != cells.Find(cell)) {
            cells.Union(slot(rr, cc), cell);
            changed = true;
          }
        }
      }
    }
  }
  grid.cell_of.assign(static_cast<size_t>(rows * columns), -1);
  std::vector<int> index_of_root(static_cast<size_t>(rows * columns), -1);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const size_t root = cells.Find(slot(r, c));
      int& index = index_of_root[root];
      if (index < 0) {
        index = static_cast<int>(grid.cells.size());
        grid.cells.push_back({r, r + 1, c, c + 1, 0, 0, 0, 0});
      }
      GridCell& cell = grid.cells[index];
      cell.row1 = std::max(cell.row1, r + 1);
      cell.col1 = std::max(cell.col1, c + 1);
      grid.cell_of[slot(r, c)] = index;
    }
  }
  // Rules that enclose one cell (a frame, a chart's staircase) make no table.
  if (grid.cells.size() < 2) return std::nullopt;
  for (GridCell& cell : grid.cells) {
    cell.x0 = grid.xs[cell.col0];
    cell.x1 = grid.xs[cell.col1];
    cell.y0 = grid.ys[cell.row0];
    cell.y1 = grid.ys[cell.row1];
    cell.open_bottom = cell.row1 == rows && Covered(horizontal, cell.y1, cell.x0, cell.x1) <
                                                kCoverage * (cell.x1 - cell.x0);
  }
  return grid;
}

}  // namespace

int PdfGrid::CellAt(double x, double y) const {
  if (x < xs.front() || x > xs.back() || y < ys.front() || y > ys.back()) return -1;
  const int c = std::clamp(
      static_cast<int>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()) - 1, 0,
      columns() - 1);
  const int r = std::clamp(
      static_cast<int>(std::upper_bound(ys.begin(), ys.end(), y) - ys.begin()) - 1, 0, rows() - 1);
  return cell_of[static_cast<size_t>(r * columns() + c)];
}

std::vector<PdfGrid> FindGrids(const std::vector<PdfRule>& rules, size_t max_pairs) {
  std::vector<Line1D> horizontal_in, vertical_in;
  for (const PdfRule& rule : rules) {
    (rule.horizontal ? horizontal_in : vertical_in).push_back({rule.at, rule.from, rule.to});
  }
  const std::vector<Line1D> horizontal = JoinRules(std::move(horizontal_in));
  std::vector<Line1D> vertical = JoinRules(std::move(vertical_in));
  if (horizontal.empty() || vertical.empty()) return {};
  // Vertical rules by x, so each horizontal rule meets a contiguous run.
  std::sort(vertical.begin(), vertical.end(),
            [](const Line1D& a, const Line1D& b) { return a.at < b.at; });
  const size_t h_count = horizontal.size();
  UnionFind networks(h_count + vertical.size());
  size_t pairs = 0;
  for (size_t h = 0; h < h_count; ++h) {
    const Line1D& row = horizontal[h];
    auto it = std::lower_bound(vertical.begin(), vertical.end(), row.from - kSnap,
                               [](const Line1D& v, double x) { return v.at < x; });
    for (; it != vertical.end() && it->at <= row.to + kSnap; ++it) {
      if (++pairs > max_pairs) return {};
      if (row.at >= it->from - kSnap && row.at <= it->to + kSnap) {
        networks.Union(h, h_count + static_cast<size_t>(it - vertical.begin()));
      }
    }
  }
  // Each network's rules in order of position, as Covered needs them.
  std::vector<std::vector<const Line1D*>> h_of(h_count + vertical.size());
  std::vector<std::vector<const Line1D*>> v_of(h_count + vertical.size());
  for (size_t h = 0; h < h_count; ++h) h_of[networks.Find(h)].push_back(&horizontal[h]);
  for (size_t v = 0; v < vertical.size(); ++v) {
    v_of[networks.Find(h_count + v)].push_back(&vertical[v]);
  }
  std::vector<PdfGrid> grids;
  for (size_t root = 0; root < h_of.size(); ++root) {
    if (h_of[root].empty() || v_of[root].empty()) continue;
    if (std::optional<PdfGrid> grid = GridOf(h_of[root], v_of[root])) {
      grids.push_back(std::move(*grid));
    }
  }
  std::sort(grids.begin(), grids.end(),
            [](const PdfGrid& a, const PdfGrid& b) { return a.y0() < b.y0(); });
  return grids;
}

void TakeOverflow(PdfGrid* grid, const std::vector<PdfWord>& words, double page_end) {
  std::vector<GridCell*> open;
  for (GridCell& cell : grid->cells) {
    if (cell.open_bottom) open.push_back(&cell);
  }
  if (open.empty()) return;
  std::vector<const PdfWord*> below;
  // Where the lines of each open cell start: the cell's text goes on below
  // the grid from one of them (its margin, or a list item's indent), where
  // a running footer under the table would not.
  std::vector<std::vector<const PdfWord*>> inside(open.size());
  for (const PdfWord& word : words) {
    const double x = (word.x0 + word.x1) / 2, y = (word.y0 + word.y1) / 2;
    if (y > grid->y1() && word.x1 > grid->x0() && word.x0 < grid->x1()) below.push_back(&word);
    for (size_t k = 0; k < open.size(); ++k) {
      if (x >= open[k]->x0 && x <= open[k]->x1 && y >= open[k]->y0 && y <= open[k]->y1) {
        inside[k].push_back(&word);
      }
    }
  }
  std::vector<std::vector<double>> starts(open.size());
  for (size_t k = 0; k < open.size(); ++k) {
    std::sort(inside[k].begin(), inside[k].end(),
              [](const PdfWord* a, const PdfWord* b) { return a->y0 < b->y0; });
    double line_y1 = -1;
    for (const PdfWord* w : inside[k]) {
      if (w->y0 >= line_y1 - 0.5 * (w->y1 - w->y0)) {
        starts[k].push_back(w->x0);
        line_y1 = w->y1;
      } else {
        starts[k].back() = std::min(starts[k].back(), w->x0);
        line_y1 = std::max(line_y1, w->y1);
      }
    }
  }
  auto starts_a_line = [&](size_t k, double x0) {
    for (double start : starts[k]) {
      if (std::abs(start - x0) <= kSnap) return true;
    }
    return false;
  };
  std::sort(below.begin(), below.end(),
            [](const PdfWord* a, const PdfWord* b) { return a->y0 < b->y0; });
  // Line by line down from the grid: each must follow closely (closer than
  // a line's height: the cell's own line pitch) and lie in open cells.
  double bottom = grid->y1();
  std::vector<bool> taken(open.size(), false);
  std::vector<bool> taken_line(open.size(), false);
  size_t i = 0;
  while (i < below.size()) {
    const double line_y1 = below[i]->y1;
    const double height = below[i]->y1 - below[i]->y0;
    if (below[i]->y0 - bottom > kOverflowGap * height) break;
    size_t j = i;
    bool inside = true;
    std::fill(taken_line.begin(), taken_line.end(), false);
    std::vector<double> leftmost(open.size(), std::numeric_limits<double>::max());
    double line_bottom = line_y1;
    for (; j < below.size() && below[j]->y0 < line_y1 - 0.5 * height; ++j) {
      size_t k = 0;
      while (k < open.size() &&
             !(below[j]->x0 >= open[k]->x0 - kSnap && below[j]->x1 <= open[k]->x1 + kSnap)) {
        ++k;
      }
      if (k == open.size()) {
        inside = false;
        break;
      }
      taken_line[k] = true;
      leftmost[k] = std::min(leftmost[k], below[j]->x0);
      line_bottom = std::max(line_bottom, below[j]->y1);
    }
    for (size_t k = 0; k < open.size() && inside; ++k) {
      if (taken_line[k] && !starts_a_line(k, leftmost[k])) inside = false;
    }
    if (!inside) break;
    for (size_t k = 0; k < open.size(); ++k) taken[k] = taken[k] || taken_line[k];
    bottom = line_bottom;
    i = j;
  }
  // Only a cut runs to the page's end; text that stops short of it is
  // whatever follows the table.
  if (bottom <= grid->y1() || bottom < page_end) return;
  bottom += kSnap;
  for (GridCell& cell : grid->cells) {
    if (cell.row1 == grid->rows()) cell.y1 = bottom;
  }
  for (size_t k = 0; k < open.size(); ++k) open[k]->cut = taken[k];
  grid->ys.back() = bottom;
}

namespace {

// The share of the box covered by fills, and the lightness of the fill
// covering most of it.
std::pair<double, double> Shading(const std::vector<PdfFill>& fills, double x0, double y0,
                                  double x1, double y1) {
  const double area = (x1 - x0) * (y1 - y0);
  if (area <= 0) return {0, 1};
  double covered = 0;
  double best = 0;
  double lightness = 1;
  for (const PdfFill& fill : fills) {
    const double w = std::min(fill.x1, x1) - std::max(fill.x0, x0);
    const double h = std::min(fill.y1, y1) - std::max(fill.y0, y0);
    if (w <= 0 || h <= 0) continue;
    covered += w * h;
    if (w * h > best) {
      best = w * h;
      lightness = fill.lightness;
    }
  }
  return {std::min(1.0, covered / area), lightness};
}

// How a row looks: whether all its text is bold, and its shading (-1: none).
struct RowLook {
  bool has_text = false;
  bool bold = true;
  double shade = -1;
  bool operator==(const RowLook& o) const {
    return bold == o.bold && std::abs(shade - o.shade) < 0.02;
  }
};

}  // namespace

GridTable ReadGrid(const PdfGrid& grid, std::vector<PdfWord> words,
                   const std::vector<PdfFill>& fills) {
  const int rows = grid.rows();
  const int columns = grid.columns();
  GridTable table;
  table.x0 = grid.x0();
  table.x1 = grid.x1();
  table.y0 = grid.y0();
  table.y1 = grid.y1();
  for (int c = 0; c < columns; ++c) table.region.columns.emplace_back(grid.xs[c], grid.xs[c + 1]);

  // Each cell's lines.
  std::vector<std::vector<PdfWord>> words_of(grid.cells.size());
  for (PdfWord& word : words) {
    const int cell = grid.CellAt((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2);
    if (cell >= 0) words_of[static_cast<size_t>(cell)].push_back(std::move(word));
  }
  std::vector<std::vector<CellLine>> lines_of(grid.cells.size());
  std::vector<bool> bold_of(grid.cells.size(), true);
  // The right edge of each column's text: its widest line in a cell of its own.
  std::vector<double> right(static_cast<size_t>(columns), 0);
  for (size_t k = 0; k < grid.cells.size(); ++k) {
    if (words_of[k].empty()) continue;
    for (Line& line : GroupLines(std::move(words_of[k]), Split::kGapsOnly)) {
      CellLine cell_line{line.segments.front().x0, line.y0, line.segments.back().x1, line.y1,
                         line.em, JoinSegments(line.segments),
                         line.segments.front().first_word_width};
      bold_of[k] = bold_of[k] && line.bold;
      lines_of[k].push_back(std::move(cell_line));
      const GridCell& cell = grid.cells[k];
      double& edge = right[static_cast<size_t>(cell.col1 - 1)];
      edge = std::max(edge, lines_of[k].back().x1);
    }
  }

  std::vector<std::string> text_of(grid.cells.size());
  for (size_t k = 0; k < grid.cells.size(); ++k) {
    if (lines_of[k].empty()) continue;
    const GridCell& cell = grid.cells[k];
    std::vector<const CellLine*> lines;
    for (const CellLine& line : lines_of[k]) lines.push_back(&line);
    // A column whose text never wraps shows no right edge of its own; the
    // cell's border, less a padding, is where a line would have wrapped.
    double edge = right[static_cast<size_t>(cell.col1 - 1)];
    edge = std::max(edge, cell.x1 - lines.front()->em);
    text_of[k] = JoinCellLines(lines, edge);
  }

  std::vector<RowLook> looks(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    PdfItem item;
    item.kind = PdfItem::Kind::kRow;
    item.x0 = grid.x0();
    item.x1 = grid.x1();
    item.y0 = grid.ys[r];
    item.y1 = grid.ys[r + 1];
    item.cells.assign(static_cast<size_t>(columns), "");
    std::vector<bool> merged(static_cast<size_t>(columns), false);
    bool own_text = false;
    bool any_merged = false;
    RowLook& look = looks[static_cast<size_t>(r)];
    for (int c = 0; c < columns; ++c) {
      const int k = grid.cell_of[static_cast<size_t>(r * columns + c)];
      const GridCell& cell = grid.cells[static_cast<size_t>(k)];
      // A cell over several columns gives its text to the first.
      if (cell.col0 != c || text_of[static_cast<size_t>(k)].empty()) continue;
      item.cells[static_cast<size_t>(c)] = text_of[static_cast<size_t>(k)];
      if (cell.row0 != r) {
        merged[static_cast<size_t>(c)] = true;
        any_merged = true;
      } else {
        own_text = true;
        look.has_text = true;
        look.bold = look.bold && bold_of[static_cast<size_t>(k)];
      }
    }
    const auto [share, lightness] =
        Shading(fills, grid.x0(), grid.ys[r], grid.x1(), grid.ys[r + 1]);
    look.shade = share >= kShadedShare ? lightness : -1;
    if (!own_text) continue;
    if (any_merged) item.merged_from_above = std::move(merged);
    table.rows.push_back(std::move(item));
    table.rows.back().region = r;  // the grid row, until the header rows are known
  }

  // Header rows: the leading rows (three at most) that look alike and unlike
  // every row below them, by weight or by shading. With zebra stripes the
  // body has two looks; a header shaded like the stripes is no header here
  // (its repetition at page tops, or the extractor, still tells).
  auto look_of = [&](size_t i) { return looks[static_cast<size_t>(table.rows[i].region)]; };
  if (!table.rows.empty()) {
    const RowLook first = look_of(0);
    size_t lead = 0;
    while (lead < table.rows.size() && lead < 3 && look_of(lead) == first) ++lead;
    bool distinct = (first.bold || first.shade >= 0) && lead < table.rows.size();
    for (size_t b = lead; b < table.rows.size() && distinct; ++b) distinct = !(look_of(b) == first);
    if (distinct) {
      for (size_t i = 0; i < lead; ++i) table.rows[i].header = true;
    }
  }
  // A cut cell goes on at the next page's top: the last row it spans says so.
  if (!table.rows.empty()) {
    PdfItem& last = table.rows.back();
    const int last_row = last.region;
    for (size_t k = 0; k < grid.cells.size(); ++k) {
      const GridCell& cell = grid.cells[k];
      if (!cell.cut || lines_of[k].empty() || cell.row0 > last_row) continue;
      last.cut_below.resize(static_cast<size_t>(columns), false);
      last.cut_at_paragraph_end.resize(static_cast<size_t>(columns), false);
      const CellLine& end = lines_of[k].back();
      const double edge = std::max(right[static_cast<size_t>(cell.col1 - 1)], cell.x1 - end.em);
      last.cut_below[static_cast<size_t>(cell.col0)] = true;
      // The text going on at the next page's top is not known here: its
      // first character, one em of CJK, is what would have had to fit.
      last.cut_at_paragraph_end[static_cast<size_t>(cell.col0)] =
          EndsShortOfNext(end.x1, end.em, "", end.em, edge);
    }
  }
  for (PdfItem& row : table.rows) row.region = -1;
  return table;
}

}  // namespace fiscdex::ingest::internal
