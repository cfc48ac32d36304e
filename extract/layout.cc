// Records outside tables: ID lines and headings per ID.
//
// Lines. A line starts a record when an ID expression stands at its start,
// after a short label (a category printed in the column to the left), after
// a finished sentence (…しています。実45), and is not followed by a particle
// (実97の対策は is a citation) nor inside brackets. What follows the ID on its
// line and on the lines right after it is the title region: the criterion's
// own text ends at its "こと。"; whatever follows starts the answer. Later
// paragraphs are the answer, except short unpunctuated ones at the end
// (category labels before the next ID).
//
// Groups. An answer belongs to the ID it follows and to the IDs after it that
// have no answer of their own, up to the next answer (a merged table cell
// dumped as text). IDs before the first answer join the first answer.
//
// Headings. "### 実1: title" starts a record whose answer is the section
// up to the next heading of the same or a higher level.
#include <string>
#include <string_view>

#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/utf8_util.h"
#include "base/text.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {
namespace {

using ingest::Block;
using ingest::BlockKind;

constexpr size_t kMaxLabelCodePoints = 40;

struct Unit {
  std::vector<std::string> ids;
  std::string region;            // title region text
  bool region_after_blank = false;
  bool region_closed = false;
  std::vector<std::string> paragraphs;
  bool paragraph_open = false;
  int page = 1;
  size_t source_begin = 0;
  size_t source_end = 0;
  size_t order = 0;
  std::optional<std::string> region_title;  // resolved title, for IDs waiting for an answer
};

bool HasSentencePunctuation(std::string_view s) {
  return s.find("。") != std::string_view::npos || s.find("．") != std::string_view::npos ||
         s.find(". ") != std::string_view::npos || (!s.empty() && s.back() == '.');
}

bool IsLabel(std::string_view para) {
  para = Trim(para);
  return !para.empty() && CodePointCount(para) <= kMaxLabelCodePoints &&
         !HasSentencePunctuation(para) && !IsAnswerMarker(para);
}

// Unclosed brackets before `pos`: an ID there is a citation in parentheses.
bool InsideBrackets(std::string_view text, size_t pos) {
  int depth = 0;
  for (size_t p = 0; p < pos;) {
    char32_t c = NextCodePoint(text, &p);
    if (c == '(' || c == U'「' || c == U'『' || c == '[' || c == U'【' || c == U'〔') ++depth;
    if ((c == ')' || c == U'」' || c == U'』' || c == ']' || c == U'】' || c == U'〕') && depth > 0) {
      --depth;
    }
  }
  return depth > 0;
}

struct LineStart {
  size_t prefix_end = 0;  // text before the ID that is answer text (…です。)
  bool prefix_is_text = false;
  IdExpression expr;
};

// Finds where in `line` a record starts, if anywhere. `next_line` is the
// following line (an ID ending a line may be cited across the wrap).
std::optional<LineStart> FindLineStart(std::string_view line, std::string_view next_line) {
  for (IdExpression& expr : FindIdExpressions(line)) {
    std::string_view after = line.substr(expr.end);
    if (FollowedByParticle(after)) continue;
    if (Trim(after).empty() && FollowedByParticle(next_line)) continue;
    std::string_view before = Trim(line.substr(0, expr.begin));
    if (!before.empty() && InsideBrackets(line, expr.begin)) continue;
    LineStart start;
    start.expr = expr;
    if (before.empty()) return start;
    char32_t last = PreviousCodePoint(before, before.size());
    if (last == U'。' || last == '.' || last == '!' || last == '?') {
      start.prefix_is_text = true;
      start.prefix_end = expr.begin;
      return start;
    }
    // A category label printed left of the ID: short, no clause punctuation.
    if (CodePointCount(before) <= 30 && before.find("、") == std::string_view::npos &&
        before.find(',') == std::string_view::npos && !HasSentencePunctuation(before) &&
        before.back() != ':') {
      return start;
    }
    return std::nullopt;  // an ID in running prose
  }
  return std::nullopt;
}

class LineRecords {
 public:
  explicit LineRecords(std::vector<Draft>* drafts) : drafts_(drafts) {}

  void StartId(const IdExpression& expr, std::string_view rest, const Block& b, size_t index) {
    Unit u;
    u.ids = expr.ids;
    // "実3：保存データの暗号化", "実3 - …": the separator is not part of the text.
    rest = Trim(rest);
    for (std::string_view sep : {":", "：", "-", "—", "–", "."}) {
      if (rest.substr(0, sep.size()) == sep) {
        rest = Trim(rest.substr(sep.size()));
        break;
      }
    }
    u.region = std::string(rest);
    u.page = b.page;
    u.source_begin = b.source_begin;
    u.source_end = b.source_end;
    u.order = index;
    units_.push_back(std::move(u));
  }

  void Text(std::string_view text, const Block& b) {
    if (units_.empty()) return;  // prose before the first ID
    Unit& u = units_.back();
    u.source_end = b.source_end;
    if (!u.region_closed) {
      AppendWrapped(&u.region, text);
      return;
    }
    if (!u.paragraph_open) {
      u.paragraphs.emplace_back();
      u.paragraph_open = true;
    }
    AppendWrapped(&u.paragraphs.back(), text);
  }

  void Blank() {
    if (units_.empty()) return;
    Unit& u = units_.back();
    u.paragraph_open = false;
    if (!u.region_closed) {
      if (!u.region.empty()) {
        u.region_closed = true;
      } else {
        u.region_after_blank = true;  // ID alone on its line: the title may follow a blank
      }
    }
  }

  // Ends the current run (a table or heading follows): resolves the groups.
  void Flush() {
    long group = -1;
    std::vector<size_t> leading;
    for (size_t i = 0; i < units_.size(); ++i) {
      Unit& u = units_[i];
      std::optional<std::string> title;
      std::string answer = ResolveTitleAndAnswer(&u, &title);
      if (!answer.empty()) {
        Draft d;
        d.origin = Draft::Origin::kLine;
        for (size_t li : leading) AddIds(units_[li], units_[li].region_title, &d);
        leading.clear();
        u.region_title = title;
        AddIds(u, title, &d);
        d.answer = std::move(answer);
        d.page = u.page;
        d.source_begin = u.source_begin;
        d.source_end = u.source_end;
        d.order = u.order;
        drafts_->push_back(std::move(d));
        group = static_cast<long>(drafts_->size()) - 1;
      } else if (group >= 0) {
        Draft& d = (*drafts_)[group];
        AddIds(u, title, &d);
        d.source_end = u.source_end;
      } else {
        u.region_title = title;
        leading.push_back(i);
      }
    }
    for (size_t li : leading) {
      Draft d;
      d.origin = Draft::Origin::kLine;
      AddIds(units_[li], units_[li].region_title, &d);
      d.page = units_[li].page;
      d.source_begin = units_[li].source_begin;
      d.source_end = units_[li].source_end;
      d.order = units_[li].order;
      drafts_->push_back(std::move(d));
    }
    units_.clear();
  }

 private:
  static void AddIds(const Unit& u, const std::optional<std::string>& title, Draft* d) {
    for (const std::string& id : u.ids) {
      d->ids.push_back(id);
      // A range or list on one line shares no single criterion text.
      d->titles.push_back(u.ids.size() == 1 ? title : std::nullopt);
    }
  }

  // Splits the title region into the criterion's text and the start of the
  // answer; joins the answer paragraphs. Returns the answer.
  static std::string ResolveTitleAndAnswer(Unit* u, std::optional<std::string>* title) {
    std::vector<std::string> paragraphs = u->paragraphs;
    // Trailing short unpunctuated paragraphs are labels of what comes next.
    while (!paragraphs.empty() && IsLabel(paragraphs.back())) paragraphs.pop_back();

    std::string answer_start;
    std::string_view region = Trim(u->region);
    size_t end_of_title = region.find("こと。");
    if (end_of_title != std::string_view::npos) {
      *title = std::string(region.substr(0, end_of_title + 9));
      answer_start = std::string(Trim(region.substr(end_of_title + 9)));
    } else if (region.size() >= 6 && region.substr(region.size() - 6) == "こと") {
      *title = std::string(region);
    } else if (!region.empty()) {
      bool answered_later = !paragraphs.empty();
      if (IsAnswerMarker(region) || u->region_after_blank || !answered_later) {
        // Text that does not read as a criterion and has no answer after
        // it is the answer itself ("実1 当社は…しています。").
        if (!IsLabel(region) || IsAnswerMarker(region) || answered_later) {
          answer_start = std::string(region);
        }
      } else {
        *title = std::string(region);
      }
    }
    std::string answer = answer_start;
    for (const std::string& p : paragraphs) AppendContinuation(&answer, p);
    return answer;
  }

  std::vector<Draft>* drafts_;
  std::vector<Unit> units_;
};

// "### 実1: title": the ID heading's record, its answer the section below.
// Returns the index of the first block after the section.
size_t ExtractHeadingSection(const std::vector<Block>& blocks, size_t index, const IdCell& cell,
                             std::vector<Draft>* drafts) {
  const Block& heading = blocks[index];
  std::string answer;
  size_t i = index + 1;
  for (; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.kind == BlockKind::kHeading && b.level <= heading.level) break;
    std::string line;
    if (b.kind == BlockKind::kTableRow) {
      // A table nested in an answer: one line per row, cells tab-separated.
      size_t last = b.cells.size();
      while (last > 0 && b.cells[last - 1].empty()) --last;
      for (size_t c = 0; c < last; ++c) {
        if (c) line += '\t';
        line += b.cells[c];
      }
    } else if (b.kind != BlockKind::kBlank) {
      line = b.text;
    }
    if (line.empty()) continue;
    if (!answer.empty()) answer += '\n';
    answer += line;
  }
  Draft d;
  d.origin = Draft::Origin::kHeading;
  d.ids = cell.ids;
  std::optional<std::string> title;
  if (cell.kind != IdCell::Kind::kPlain && cell.ids.size() == 1 && !cell.remainder.empty()) {
    title = cell.remainder;
  }
  d.titles.assign(d.ids.size(), title);
  d.answer = std::move(answer);
  d.page = heading.page;
  d.source_begin = heading.source_begin;
  d.source_end = i > index + 1 ? blocks[i - 1].source_end : heading.source_end;
  d.order = index;
  drafts->push_back(std::move(d));
  return i;
}

}  // namespace

void ExtractFromLines(const std::vector<Block>& blocks, const std::vector<size_t>& furniture_breaks,
                      std::vector<Draft>* drafts, TableExtractor* tables) {
  LineRecords lines(drafts);
  size_t next_break = 0;
  for (size_t i = 0; i < blocks.size();) {
    bool page_top = false;
    while (next_break < furniture_breaks.size() && furniture_breaks[next_break] <= i) {
      page_top = furniture_breaks[next_break] == i;
      ++next_break;
    }
    if (page_top) lines.Blank();
    const Block& b = blocks[i];
    switch (b.kind) {
      case BlockKind::kTableRow: {
        lines.Flush();
        std::vector<const Block*> rows;
        size_t first = i;
        while (i < blocks.size() && blocks[i].kind == BlockKind::kTableRow &&
               blocks[i].table == b.table) {
          rows.push_back(&blocks[i]);
          ++i;
        }
        tables->AddTable(rows, first, drafts);
        continue;
      }
      case BlockKind::kHeading: {
        lines.Flush();
        tables->Interrupt();
        if (std::optional<IdCell> cell = ParseIdCell(b.text)) {
          i = ExtractHeadingSection(blocks, i, *cell, drafts);
          continue;
        }
        break;
      }
      case BlockKind::kBlank:
        lines.Blank();
        break;
      case BlockKind::kLine: {
        if (b.text.empty()) {
          lines.Blank();
          break;
        }
        tables->Interrupt();
        std::string_view next_line;
        if (i + 1 < blocks.size() && blocks[i + 1].kind == BlockKind::kLine) {
          next_line = blocks[i + 1].text;
        }
        std::string_view text = b.text;
        if (std::optional<LineStart> start = FindLineStart(text, next_line)) {
          if (start->prefix_is_text) lines.Text(text.substr(0, start->prefix_end), b);
          lines.StartId(start->expr, text.substr(start->expr.end), b, i);
        } else {
          lines.Text(text, b);
        }
        break;
      }
    }
    ++i;
  }
  lines.Flush();
}

}  // namespace fiscdex::extract
