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
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "base/text.h"
#include "ingest/pdf_lines.h"
#include "ingest/pdf_stream_table.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// Page bands where running headers and footers sit.
constexpr double kHeaderBand = 0.13;
constexpr double kFooterBand = 0.87;

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
        for (PdfItem& item : BuildStreamTable(lines_, region, tight_em_, probe_, index)) {
          page_->items.push_back(std::move(item));
        }
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

}  // namespace fiscdex::ingest::internal
