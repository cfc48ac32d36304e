// Page layout from word boxes and the page's drawing.
//
// How it works. Words that share a baseline band form a line; inside a line,
// a gap wider than about half an em separates segments (pdf_lines.h). Lines
// are read top to bottom: running headers and footers, recognised by their
// repetition across pages, are set aside; lines with several segments open
// table regions, which pdf_stream_table.h turns into rows of cells; the
// rest is prose, with paragraph breaks where the line spacing opens up.
#include "ingest/pdf_layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "base/text.h"
#include "ingest/pdf_grid.h"
#include "ingest/pdf_lines.h"
#include "ingest/pdf_stream_table.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// Page bands where running headers and footers sit.
constexpr double kHeaderBand = 0.13;
constexpr double kFooterBand = 0.87;
// Loosely set prose: the usual gap between lines counts when at least this
// many pairs of lines (and a third of the page's pairs) have it, and a
// paragraph break is this much more. Paragraph spacing in such documents
// is half a line or more (0.5 em and up) over the usual gap.
constexpr int kUsualGapLines = 4;
// Text cut by the page's end reaches below this share of the page's height
// (the bottom margin starts lower on any page).
constexpr double kCutEnd = 0.8;
// Columns of prose: two or three, alike in width, each of several lines
// most of which run to the column's edge (less this many ems).
constexpr size_t kMaxProseColumns = 3;
constexpr double kProseColumnWidthRatio = 1.25;
constexpr size_t kMinProseColumnLines = 5;
constexpr double kFullLineEm = 1.5;
// A blank stretch in a column: a gap of more than this many line heights.
constexpr double kBlankStretchLines = 1.5;
constexpr double kParagraphExtraEm = 0.25;

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
  PageBuilder(std::vector<Line> lines, std::vector<GridTable> grids, const RuleProbe& probe,
              const MarginLines* margins, PdfPage* page)
      : lines_(std::move(lines)),
        grids_(std::move(grids)),
        probe_(probe),
        margins_(margins),
        page_(page),
        tight_em_(TightGapEm(lines_)) {}

  void Run() {
    size_t next_grid = 0;
    for (size_t i = 0; i < lines_.size(); ++i) {
      Line& line = lines_[i];
      // Ruled tables take their place among the lines by their top.
      for (; next_grid < grids_.size() && grids_[next_grid].y0 <= line.y0; ++next_grid) {
        if (open_) CloseRegion();
        units_.push_back({0, -1, false, static_cast<int>(next_grid)});
      }
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
    for (; next_grid < grids_.size(); ++next_grid) {
      units_.push_back({0, -1, false, static_cast<int>(next_grid)});
    }
    Emit();
  }

 private:
  // In reading order: a prose line, a table found from word positions
  // (region >= 0), or a ruled table (grid >= 0).
  struct Unit {
    size_t line;
    int region;
    bool margin = false;  // a running header or footer
    int grid = -1;
    int column_line = -1;       // a line of a column of prose (column_lines_)
    bool column_start = false;  // the first line of such a column
  };

  const Line& LineOf(const Unit& unit) const {
    return unit.column_line >= 0 ? column_lines_[static_cast<size_t>(unit.column_line)]
                                 : lines_[unit.line];
  }

  // Text set in columns (a two-column page of prose) looks like a table
  // without rules, but is not one: its columns are alike in width, and each
  // is filled line after line by wrapped text, with no blank stretch in it
  // (at most a paragraph's spacing). In a table, the cells of a row start
  // together and the shorter ones leave their column blank until the next
  // row; and the lines of the columns keep to the rows' baselines, where
  // columns of prose drift apart after a heading or a paragraph's spacing.
  bool IsColumnProse(const Region& region) const {
    const size_t columns = region.columns.size();
    if (columns < 2 || columns > kMaxProseColumns) return false;
    double narrowest = region.columns.front().x1 - region.columns.front().x0, widest = narrowest;
    for (const Column& c : region.columns) {
      narrowest = std::min(narrowest, c.x1 - c.x0);
      widest = std::max(widest, c.x1 - c.x0);
    }
    if (widest > kProseColumnWidthRatio * narrowest) return false;
    for (size_t c = 0; c < columns; ++c) {
      size_t lines = 0, full = 0, blanks = 0;
      double last_y1 = -1;
      for (size_t r = 0; r < region.lines.size(); ++r) {
        const Line& line = lines_[region.lines[r]];
        for (size_t s = 0; s < line.segments.size(); ++s) {
          if (region.segment_column_ids[r][s] != region.columns[c].id) continue;
          const Segment& segment = line.segments[s];
          ++lines;
          if (segment.x1 >= region.columns[c].x1 - kFullLineEm * line.em) ++full;
          const double height = line.em / kEmPerBoxHeight;
          if (last_y1 >= 0 && line.y0 - last_y1 > kBlankStretchLines * height) ++blanks;
          last_y1 = line.y1;
          break;
        }
      }
      if (lines < kMinProseColumnLines || 3 * full < lines || 10 * blanks > lines) return false;
    }
    return true;
  }

  // The region's lines, column by column, as prose lines.
  void AddColumnProse(const Region& region) {
    for (const Column& column : region.columns) {
      bool first = true;
      for (size_t r = 0; r < region.lines.size(); ++r) {
        const Line& line = lines_[region.lines[r]];
        Line part;
        part.em = line.em;
        part.y0 = line.y0;
        part.y1 = line.y1;
        part.ref_y0 = line.ref_y0;
        part.ref_y1 = line.ref_y1;
        for (size_t s = 0; s < line.segments.size(); ++s) {
          if (region.segment_column_ids[r][s] == column.id) part.segments.push_back(line.segments[s]);
        }
        if (part.segments.empty()) continue;
        for (const PdfWord& word : line.words) {
          const double x = (word.x0 + word.x1) / 2;
          if (x >= part.segments.front().x0 && x <= part.segments.back().x1) {
            part.words.push_back(word);
          }
        }
        part.bold = AllBold(part.words);
        units_.push_back({0, -1, false, -1, static_cast<int>(column_lines_.size()), first});
        column_lines_.push_back(std::move(part));
        column_right_.push_back(column.x1);
        first = false;
      }
    }
  }

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
      size_t left_lines = 0, right_lines = 0;
      for (const std::vector<int>& ids : region_.segment_column_ids) {
        const bool has_left = std::find(ids.begin(), ids.end(), left) != ids.end();
        const bool has_right = std::find(ids.begin(), ids.end(), right) != ids.end();
        together |= has_left && has_right;
        left_lines += has_left;
        right_lines += has_right;
      }
      // Two columns of many lines each are two columns even so: an ID cell
      // centred between the lines of the title beside it never shares a
      // line with them either.
      if (together || std::min(left_lines, right_lines) > kCentredHeaderLines) {
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
    while (!units_.empty() && units_.back().region < 0 && units_.back().grid < 0 &&
           units_.back().column_line < 0) {
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
    if (IsColumnProse(region_)) {
      AddColumnProse(region_);
      return;
    }
    units_.push_back({0, static_cast<int>(regions_.size())});
    regions_.push_back(std::move(region_));
  }

  // The gap a paragraph break needs between two prose lines. Usually the
  // tight gap of the page; but where the page's prose is set looser than
  // that (1.5 or double line spacing, common in word-processor documents),
  // every line would be a paragraph, so a break needs clearly more than the
  // usual gap between its lines.
  double ParagraphGapEm() const {
    std::map<long, int> by_gap;  // twentieths of an em → pairs of lines
    int pairs = 0;
    const Line* last = nullptr;
    for (const Unit& unit : units_) {
      if (unit.grid >= 0 || unit.region >= 0 || unit.margin) {
        last = nullptr;
        continue;
      }
      const Line& line = LineOf(unit);
      if (unit.column_start) last = nullptr;
      if (last != nullptr) {
        const double gap = (line.y0 - last->y1) / line.em;
        if (gap > -0.5 && gap < 3) ++by_gap[std::lround(gap * 20)], ++pairs;
      }
      last = &line;
    }
    long usual = 0;
    int most = 0;
    for (const auto& [twentieths, count] : by_gap) {
      if (count > most) usual = twentieths, most = count;
    }
    // Too few lines to tell what is usual on this page, or gaps too uneven
    // to tell a break from the usual (boxes of mixed fonts: then every line
    // ends a paragraph, and normalize joins the lines that wrap).
    if (most < kUsualGapLines || most * 3 < pairs) return tight_em_;
    const double usual_em = usual / 20.0;
    if (usual_em <= tight_em_) return tight_em_;
    return usual_em + kParagraphExtraEm;
  }

  void Emit() {
    const Line* last_prose = nullptr;
    double last_height = 0;
    const double paragraph_em = ParagraphGapEm();
    // The right edge of the page's prose (not of its margins).
    double prose_right = 0;
    for (const Unit& unit : units_) {
      if (unit.grid >= 0 || unit.region >= 0 || unit.margin || unit.column_line >= 0) continue;
      prose_right = std::max(prose_right, lines_[unit.line].segments.back().x1);
    }
    for (const Unit& unit : units_) {
      if (unit.grid >= 0) {
        GridTable& grid = grids_[static_cast<size_t>(unit.grid)];
        const int index = static_cast<int>(page_->regions.size());
        page_->regions.push_back(std::move(grid.region));
        for (PdfItem& item : grid.rows) {
          item.region = index;
          page_->items.push_back(std::move(item));
        }
        last_prose = nullptr;
        continue;
      }
      if (unit.region >= 0) {
        const Region& region = regions_[unit.region];
        const int index = static_cast<int>(page_->regions.size());
        PdfRegion& out = page_->regions.emplace_back();
        for (const Column& c : region.columns) out.columns.emplace_back(c.x0, c.x1);
        for (PdfItem& item : BuildStreamTable(lines_, region, tight_em_, probe_, index)) {
          page_->items.push_back(std::move(item));
        }
        last_prose = nullptr;
        continue;
      }
      const Line& line = LineOf(unit);
      const double height = line.em / kEmPerBoxHeight;
      if (unit.column_start && last_prose != nullptr) {
        page_->items.emplace_back().kind = PdfItem::Kind::kBreak;
      } else if (last_prose != nullptr) {
        const double gap = line.y0 - last_prose->y1;
        const bool resized = std::abs(height - last_height) > 0.15 * std::max(height, last_height);
        // A bold line after plain text starts a paragraph: a bold lead line
        // (a criterion's heading) stands apart from the text before it even
        // where nothing but the weight sets it apart. The text after it may
        // be its own (a lead-in and its text), so that is left to the gap.
        const bool reweighted = line.bold && !last_prose->bold;
        // A line that stops where the next line's first word would still
        // have fitted ends its paragraph, as in a table cell.
        const double right = unit.column_line >= 0
                                 ? column_right_[static_cast<size_t>(unit.column_line)]
                                 : prose_right;
        const bool ended_short =
            EndsShortOfNext(last_prose->segments.back().x1, last_prose->em,
                            line.segments.front().text, line.segments.front().first_word_width,
                            right);
        if (gap > paragraph_em * line.em || resized || reweighted) {
          page_->items.emplace_back().kind = PdfItem::Kind::kBreak;
        } else if (ended_short) {
          PdfItem& end = page_->items.emplace_back();
          end.kind = PdfItem::Kind::kBreak;
          end.line_end = true;
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
      item.bold = line.bold;
      last_prose = &line;
      last_height = height;
    }
  }

  std::vector<Line> lines_;
  std::vector<Line> column_lines_;  // lines of columns of prose, split from lines_
  std::vector<double> column_right_;  // per column line: its column's right edge
  std::vector<GridTable> grids_;  // by their top
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

// Whether the code point that ends (before = true) or starts `text` at
// `pos` is a letter: Latin, kana or kanji, full-width letters. Punctuation,
// spaces and symbols are not.
bool LetterAt(std::string_view text, size_t pos, bool before) {
  if (before) {
    if (pos == 0) return false;
    size_t start = pos - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    pos = start;
  } else if (pos >= text.size()) {
    return false;
  }
  const unsigned char lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return std::isalpha(lead) != 0;
  char32_t cp = 0;
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (pos + static_cast<size_t>(length) > text.size()) return false;
  cp = lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
  for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
  if (cp >= 0xFF21 && cp <= 0xFF3A) return true;  // full-width A-Z
  if (cp >= 0xFF41 && cp <= 0xFF5A) return true;  // full-width a-z
  if (cp >= 0xFF66 && cp <= 0xFF9F) return true;  // half-width katakana
  return cp >= 0x3040 && cp < 0xFF00 && !(cp >= 0x3000 && cp <= 0x303F);
}

// The line's text with page numbers masked and spaces dropped: a running
// header or footer with the page number or date in it is the same line on
// every page. Only numbers standing apart from letters are masked (`- 3 -`,
// `3 / 12`, `Page 3`, `2024/10/03`); a number written onto a word is part of
// a name (`実12`, `Q0041`), so that table rows near the page's edge that
// differ only in their numbers are not taken for one recurring line.
std::string FurnitureKey(std::string_view text) {
  std::string key;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (!IsAsciiDigit(c)) {
      if (!IsAsciiSpace(c)) key.push_back(c);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsAsciiDigit(text[end])) ++end;
    const bool apart = !LetterAt(text, i, /*before=*/true) && !LetterAt(text, end, false);
    for (size_t k = i; k < end; ++k) key.push_back(apart ? '#' : text[k]);
    i = end;
  }
  return key;
}

std::string MarginLines::Key(const Line& line) {
  return FurnitureKey(JoinSegments(line.segments)) + "@" + std::to_string(std::lround(line.y0 / 4));
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

// A page ready to be laid out: the ruled tables read, the other words as
// lines. Only the rules are kept of the drawing, for the tables that have
// no grid (HasRuleIn).
struct PreparedPage {
  std::vector<Line> lines;
  std::vector<GridTable> grids;
  std::vector<PdfRule> rules;
  double width = 0;
  double height = 0;
};

PreparedPage Prepare(PdfPageContent content) {
  PreparedPage page;
  page.width = content.width;
  page.height = content.height;
  CleanWords(&content.words);
  std::vector<PdfGrid> grids = FindGrids(content.rules);
  for (PdfGrid& grid : grids) TakeOverflow(&grid, content.words, kCutEnd * content.height);
  std::vector<std::vector<PdfWord>> grid_words(grids.size());
  std::vector<PdfWord> rest;
  for (PdfWord& word : content.words) {
    const double x = (word.x0 + word.x1) / 2;
    const double y = (word.y0 + word.y1) / 2;
    size_t g = 0;
    while (g < grids.size() && grids[g].CellAt(x, y) < 0) ++g;
    (g < grids.size() ? grid_words[g] : rest).push_back(std::move(word));
  }
  for (size_t g = 0; g < grids.size(); ++g) {
    if (grid_words[g].empty()) continue;  // a frame or a chart, not a table
    GridTable table = ReadGrid(grids[g], std::move(grid_words[g]), content.fills);
    if (!table.rows.empty()) page.grids.push_back(std::move(table));
  }
  if (!rest.empty()) page.lines = GroupLines(std::move(rest), Split::kColumnEdges);
  page.rules = std::move(content.rules);
  return page;
}

void LayOutPrepared(PreparedPage* prepared, const MarginLines* margins, PdfPage* page) {
  page->width = prepared->width;
  page->height = prepared->height;
  if (prepared->lines.empty() && prepared->grids.empty()) return;
  const std::vector<PdfRule>& rules = prepared->rules;
  RuleProbe probe = [&rules](double x0, double x1, double y0, double y1) {
    return HasRuleIn(rules, x0, x1, y0, y1);
  };
  PageBuilder(std::move(prepared->lines), std::move(prepared->grids), probe, margins, page).Run();
}

}  // namespace

PdfPage LayoutPdfPage(PdfPageContent content) {
  PdfPage page;
  PreparedPage prepared = Prepare(std::move(content));
  LayOutPrepared(&prepared, nullptr, &page);
  return page;
}

struct PdfPageStream::Pending {
  PreparedPage page;
};

struct PdfPageStream::State {
  MarginLines margins;
};

PdfPageStream::PdfPageStream() : state_(std::make_unique<State>()) {}
PdfPageStream::~PdfPageStream() = default;

void PdfPageStream::Add(PdfPageContent content) {
  auto pending = std::make_unique<Pending>();
  pending->page = Prepare(std::move(content));
  state_->margins.Observe(pending->page.lines, pending->page.height);
  pending_.push_back(std::move(pending));
}

size_t PdfPageStream::LayOut(bool flush, std::vector<PdfPage>* out) {
  size_t done = 0;
  while (!pending_.empty() && (flush || pending_.size() > kLookahead)) {
    LayOutPrepared(&pending_.front()->page, &state_->margins, &out->emplace_back());
    pending_.pop_front();
    ++done;
  }
  return done;
}

}  // namespace fiscdex::ingest::internal
