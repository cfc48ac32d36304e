// Records outside tables: ID lines, questionnaires and headings per ID.
//
// Lines. A line starts a record where FindLineStart (id_cell.h) says so. What
// follows the ID on its line and on the lines right after it is the title
// region: the criterion's own text ends at its "こと。"; whatever follows
// starts the answer. Later paragraphs are the answer, except short
// unpunctuated ones at the end (category labels before the next ID).
//
// Groups. An answer belongs to the ID it follows and to the IDs after it that
// have no answer of their own, up to the next answer (a merged table cell
// dumped as text). IDs before the first answer join the first answer.
//
// Questionnaires. A question label ("Q. 実8", "項番:実12") or an answer label
// ("回答:", "A.", "【回答】") turns a run of lines into a questionnaire: the
// region after the ID is the question, which is the title only where it reads
// as the criterion's text (not "…していますか。"); the answer is what the
// answer label introduces, up to the next question; and questions listed
// before one answer share it, so an unanswered question joins the answer
// after it, not the one before. A question label without an ID
// ("Q. 貴社の所在地は?") ends the answer above.
//
// Headings. "### 実1: title" starts a record whose answer is the section
// up to the next heading of the same or a higher level. A section with an
// answer label is a question and its answer: the text before the label is
// the question. Question headings with nothing under them share the answer
// of the next one.
#include <string>
#include <string_view>

#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/labels.h"
#include "extract/utf8_util.h"
#include "base/text.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {
namespace {

using ingest::Block;
using ingest::BlockKind;

constexpr std::string_view kKoto = "こと。";

struct Unit {
  std::vector<std::string> ids;  // empty: a question without an ID
  bool is_range = false;         // ids written as a range (実3～実5), not a list
  std::string region;            // title region text
  bool region_after_blank = false;
  bool region_closed = false;
  std::vector<std::string> paragraphs;
  bool paragraph_open = false;
  bool question = false;  // opened by a question label
  bool asks = false;      // by one that asks ("Q.", "【質問】"; not "項番:")
  bool labelled = false;  // an answer label introduced the paragraphs
  int page = 1;
  size_t source_begin = 0;
  size_t source_end = 0;
  size_t order = 0;
  std::optional<std::string> region_title;  // resolved title, for IDs waiting for an answer
};

// The criterion's text in a question, if the question prints it: up to its
// "こと。", or the whole question unless it is phrased as a question to the
// vendor. A leading "質問:" is not part of it.
std::optional<std::string> QuestionTitle(std::string_view question) {
  question = Trim(question);
  if (std::optional<QuestionLabel> label = MatchQuestionLabel(question); label && label->asks) {
    question = Trim(question.substr(label->end));
  }
  if (question.empty()) return std::nullopt;
  if (size_t koto = question.find(kKoto); koto != std::string_view::npos) {
    return std::string(question.substr(0, koto + kKoto.size()));
  }
  if (IsQuestionPhrase(question)) return std::nullopt;
  return std::string(question);
}

class LineRecords {
 public:
  explicit LineRecords(std::vector<Draft>* drafts) : drafts_(drafts) {}

  void StartId(const LineStart& start, std::string_view rest, const Block& b, size_t index) {
    Unit u;
    u.ids = start.expr.ids;
    u.is_range = start.expr.is_range;
    u.question = start.question;
    u.asks = start.asks;
    // "実3：保存データの暗号化", "実3 - …": the separator is not part of the text.
    rest = Trim(rest);
    for (std::string_view sep : {":", "：", "-", "—", "–", "."}) {
      if (rest.substr(0, sep.size()) == sep) {
        rest = Trim(rest.substr(sep.size()));
        break;
      }
    }
    u.region = std::string(rest);
    Open(std::move(u), b, index);
  }

  // "Q. 貴社の所在地は?": a question about no criterion ends the answer above.
  void StartQuestionWithoutId(std::string_view question, const Block& b, size_t index) {
    Unit u;
    u.question = true;
    u.asks = true;
    u.region = std::string(Trim(question));
    Open(std::move(u), b, index);
  }

  // True while the current record is still at its question: no answer has
  // begun.
  bool AtQuestion() const {
    return !units_.empty() && !units_.back().labelled && units_.back().paragraphs.empty();
  }

  // A line "質問: …" is the text of the question the record opened with
  // ("項番:実12", then "質問: …"), unless that record asked a question of
  // its own already: then it is the next question.
  bool TakesQuestionText() const {
    return AtQuestion() && (!units_.back().asks || Trim(units_.back().region).empty());
  }

  // An answer label with `rest` after it. Returns false where it introduces
  // nothing: no record is open, its answer has been introduced already (a
  // label word repeated inside an answer is text), or an ID line without a
  // question label has paragraphs already (a PDF dump's answer, where a
  // column header such as "対応状況" may reappear). After a question label,
  // paragraphs between the question and the label are a note on the
  // question, not the answer.
  bool AnswerLabel(std::string_view rest, const Block& b) {
    if (units_.empty() || units_.back().labelled) return false;
    Unit& u = units_.back();
    if (!u.question && !u.paragraphs.empty()) return false;
    u.labelled = true;
    u.region_closed = true;
    u.paragraphs.clear();
    u.paragraph_open = false;
    u.source_end = b.source_end;
    rest = Trim(rest);
    if (!rest.empty()) {
      u.paragraphs.emplace_back(rest);
      u.paragraph_open = true;
    }
    return true;
  }

  void Text(std::string_view text, const Block& b) {
    if (units_.empty()) return;  // prose before the first ID
    Unit& u = units_.back();
    u.source_end = b.source_end;
    if (!u.region_closed) {
      AppendWrapped(&u.region, text);
      return;
    }
    if (!u.paragraph_open || IsListItem(text)) {  // each list item is a line of its own
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
    bool questionnaire = false;
    for (const Unit& u : units_) questionnaire = questionnaire || u.question || u.labelled;
    if (questionnaire) {
      FlushQuestionnaire();
    } else {
      FlushMergedCells();
    }
    units_.clear();
  }

 private:
  void Open(Unit u, const Block& b, size_t index) {
    u.page = b.page;
    u.source_begin = b.source_begin;
    u.source_end = b.source_end;
    u.order = index;
    units_.push_back(std::move(u));
  }

  void FlushMergedCells() {
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
    for (size_t li : leading) Emit({li}, "");
  }

  // Questions before an answer share it; a question whose answer label is
  // followed by nothing has "" of its own.
  void FlushQuestionnaire() {
    std::vector<size_t> waiting;  // questions without an answer yet
    auto give_each_empty = [&] {
      for (size_t w : waiting) Emit({w}, "");
      waiting.clear();
    };
    for (size_t i = 0; i < units_.size(); ++i) {
      Unit& u = units_[i];
      std::string answer = ResolveQuestion(&u);
      if (u.ids.empty()) {
        give_each_empty();
        continue;
      }
      if (answer.empty()) {
        if (!u.labelled) {
          waiting.push_back(i);
          continue;
        }
        give_each_empty();  // an empty answer is nobody's shared answer
        Emit({i}, "");
        continue;
      }
      waiting.push_back(i);
      Emit(waiting, std::move(answer));
      waiting.clear();
    }
    give_each_empty();
  }

  // One draft for the units `indices` (in order) sharing `answer`.
  void Emit(const std::vector<size_t>& indices, std::string answer) {
    Draft d;
    d.origin = Draft::Origin::kLine;
    for (size_t k : indices) {
      const Unit& u = units_[k];
      AddIds(u, u.region_title, &d);
      d.id_pages.insert(d.id_pages.end(), u.ids.size(), u.page);
    }
    const Unit& first = units_[indices.front()];
    d.answer = std::move(answer);
    d.page = first.page;
    d.source_begin = first.source_begin;
    d.source_end = units_[indices.back()].source_end;
    d.order = first.order;
    drafts_->push_back(std::move(d));
  }

  static void AddIds(const Unit& u, const std::optional<std::string>& title, Draft* d) {
    for (const std::string& id : u.ids) {
      d->ids.push_back(id);
      // A range describes what its criteria share, not the text of each;
      // a list ("【統10・統11】 …") names criteria the text was written for.
      d->titles.push_back(u.ids.size() == 1 || !u.is_range ? title : std::nullopt);
    }
  }

  // Joins answer paragraphs, dropping the short unpunctuated ones at the end
  // (labels of what comes next). `keep` paragraphs at the front stay
  // whatever they look like.
  static std::string JoinAnswer(std::string start, std::vector<std::string> paragraphs,
                                size_t keep) {
    while (paragraphs.size() > keep && LooksLikeCaption(paragraphs.back())) paragraphs.pop_back();
    for (const std::string& p : paragraphs) AppendContinuation(&start, p);
    return start;
  }

  // Splits the title region into the criterion's text and the start of the
  // answer; joins the answer paragraphs. Returns the answer.
  static std::string ResolveTitleAndAnswer(Unit* u, std::optional<std::string>* title) {
    std::vector<std::string>& paragraphs = u->paragraphs;
    while (!paragraphs.empty() && LooksLikeCaption(paragraphs.back())) paragraphs.pop_back();

    std::string answer_start;
    std::string_view region = Trim(u->region);
    size_t end_of_title = region.find(kKoto);
    if (end_of_title != std::string_view::npos) {
      *title = std::string(region.substr(0, end_of_title + kKoto.size()));
      answer_start = std::string(Trim(region.substr(end_of_title + kKoto.size())));
    } else if (region.size() >= 6 && region.substr(region.size() - 6) == "こと") {
      *title = std::string(region);
    } else if (!region.empty()) {
      bool answered_later = !paragraphs.empty();
      if (IsAnswerMarker(region) || u->region_after_blank || !answered_later) {
        // Text that does not read as a criterion and has no answer after
        // it is the answer itself ("実1 当社は…しています。").
        if (!LooksLikeCaption(region) || IsAnswerMarker(region) || answered_later) {
          answer_start = std::string(region);
        }
      } else {
        *title = std::string(region);
      }
    }
    return JoinAnswer(std::move(answer_start), std::move(paragraphs), 0);
  }

  // A question and its answer: the region is the question, never the
  // answer, except where an unlabelled question goes on after its "こと。"
  // ("Q. 実10 記録を管理すること。当社は…"). Sets region_title; returns the
  // answer.
  static std::string ResolveQuestion(Unit* u) {
    std::string_view region = Trim(u->region);
    u->region_title = QuestionTitle(region);
    std::string answer_start;
    if (!u->labelled) {
      if (size_t koto = region.find(kKoto); koto != std::string_view::npos) {
        std::string_view after = Trim(region.substr(koto + kKoto.size()));
        if (!IsQuestionPhrase(after)) answer_start = std::string(after);
      }
    }
    // The text on the answer label's own line is the answer, however short.
    const size_t keep = u->labelled && !u->paragraphs.empty() ? 1 : 0;
    return JoinAnswer(std::move(answer_start), std::move(u->paragraphs), keep);
  }

  std::vector<Draft>* drafts_;
  std::vector<Unit> units_;
};

}  // namespace

std::string AnswerLine(const Block& b) {
  if (b.kind == BlockKind::kBlank) return "";
  if (b.kind != BlockKind::kTableRow) return b.text;
  std::string line;
  size_t last = b.cells.size();
  while (last > 0 && b.cells[last - 1].empty()) --last;
  for (size_t c = 0; c < last; ++c) {
    if (c) line += '\t';
    line += b.cells[c];
  }
  return line;
}

namespace {

void AppendLine(std::string* text, std::string_view line) {
  if (line.empty()) return;
  if (!text->empty()) *text += '\n';
  text->append(line);
}

size_t SectionEnd(const std::vector<Block>& blocks, size_t heading) {
  size_t i = heading + 1;
  while (i < blocks.size() &&
         !(blocks[i].kind == BlockKind::kHeading && blocks[i].level <= blocks[heading].level)) {
    ++i;
  }
  return i;
}

// The first answer label in the section [begin, end), or end.
size_t FindAnswerLabel(const std::vector<Block>& blocks, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    const Block& b = blocks[i];
    if ((b.kind == BlockKind::kLine || b.kind == BlockKind::kHeading) && MatchAnswerLabel(b.text)) {
      return i;
    }
  }
  return end;
}

// "### 実1: title": the ID heading's record, its answer the section below.
// `next` receives the index of the first block after the section; `*empty`
// whether the section held nothing at all.
Draft HeadingSection(const std::vector<Block>& blocks, size_t index, const HeadingId& heading_id,
                     size_t* next, bool* empty) {
  const Block& heading = blocks[index];
  const IdCell& cell = heading_id.cell;
  const size_t end = SectionEnd(blocks, index);
  const size_t label = FindAnswerLabel(blocks, index + 1, end);
  const bool labelled = label < end;
  std::string question, answer;
  *empty = true;
  for (size_t i = index + 1; i < end; ++i) {
    std::string line = AnswerLine(blocks[i]);
    if (!line.empty()) *empty = false;
    if (i < label) {
      AppendLine(labelled ? &question : &answer, line);
    } else if (i == label) {
      AppendLine(&answer, *MatchAnswerLabel(blocks[i].text));
    } else {
      AppendLine(&answer, line);
    }
  }
  Draft d;
  d.origin = Draft::Origin::kHeading;
  d.ids = cell.ids;
  std::optional<std::string> title;
  if (cell.ids.size() == 1 || !cell.is_range) {
    if (heading_id.question || labelled) {
      // A question prints the criterion's text, if at all, after its ID or
      // between the heading and the answer label.
      title = QuestionTitle(cell.remainder);
      if (!title) title = QuestionTitle(question);
    } else if (cell.kind != IdCell::Kind::kPlain && !cell.remainder.empty()) {
      title = cell.remainder;
    }
  }
  d.titles.assign(d.ids.size(), title);
  d.id_pages.assign(d.ids.size(), heading.page);
  d.answer = std::move(answer);
  d.page = heading.page;
  d.source_begin = heading.source_begin;
  d.source_end = end > index + 1 ? blocks[end - 1].source_end : heading.source_end;
  d.order = index;
  *next = end;
  return d;
}

// Question headings with nothing under them, waiting to share the answer of
// the next question heading of their level ("### Q. 実9", "### Q. 実10",
// then one answer).
class WaitingQuestions {
 public:
  explicit WaitingQuestions(std::vector<Draft>* drafts) : drafts_(drafts) {}

  // Takes the draft of a question heading whose section starts at `next`.
  void Add(Draft d, bool empty, bool question, const std::vector<Block>& blocks, size_t heading,
           size_t next) {
    if (d.answer.empty() && empty && SharesNext(blocks, heading, next, question)) {
      waiting_.push_back(std::move(d));
      return;
    }
    if (!d.answer.empty() && !waiting_.empty()) {
      // One group, in document order, starting where the first question does.
      Draft merged = std::move(waiting_.front());
      for (size_t k = 1; k < waiting_.size(); ++k) Append(waiting_[k], &merged);
      Append(d, &merged);
      merged.answer = std::move(d.answer);
      merged.source_end = d.source_end;
      waiting_.clear();
      drafts_->push_back(std::move(merged));
      return;
    }
    Flush();
    drafts_->push_back(std::move(d));
  }

  // Nothing followed to answer them: each has "".
  void Flush() {
    for (Draft& w : waiting_) drafts_->push_back(std::move(w));
    waiting_.clear();
  }

 private:
  static void Append(const Draft& from, Draft* to) {
    to->ids.insert(to->ids.end(), from.ids.begin(), from.ids.end());
    to->titles.insert(to->titles.end(), from.titles.begin(), from.titles.end());
    to->id_pages.insert(to->id_pages.end(), from.id_pages.begin(), from.id_pages.end());
  }

  // An empty section shares the next one's answer where the next block is a
  // question heading of the same level and this is a questionnaire: either
  // heading has a question label, or the next section has an answer label.
  // An empty section of a plain heading per ID stays "".
  static bool SharesNext(const std::vector<Block>& blocks, size_t heading, size_t next,
                         bool question) {
    if (next >= blocks.size() || blocks[next].kind != BlockKind::kHeading ||
        blocks[next].level != blocks[heading].level) {
      return false;
    }
    std::optional<HeadingId> next_id = ParseHeadingId(blocks[next].text);
    if (!next_id) return false;
    return question || next_id->question ||
           FindAnswerLabel(blocks, next + 1, SectionEnd(blocks, next)) < SectionEnd(blocks, next);
  }

  std::vector<Draft>* drafts_;
  std::vector<Draft> waiting_;
};

}  // namespace

void ExtractFromLines(const std::vector<Block>& blocks, const std::vector<size_t>& furniture_breaks,
                      std::vector<Draft>* drafts, TableExtractor* tables) {
  // Blocks about one control that name the criteria they serve are read
  // first; they are no one else's (their ID lists are not record starts).
  std::vector<bool> claimed(blocks.size(), false);
  ExtractMappings(blocks, &claimed, drafts);

  LineRecords lines(drafts);
  WaitingQuestions waiting(drafts);
  // After a label of related criteria that no block claimed ("関連する FISC
  // 基準:" inside an answer), the ID lines below it cite those criteria.
  bool citing_list = false;
  size_t next_break = 0;
  for (size_t i = 0; i < blocks.size();) {
    bool page_top = false;
    while (next_break < furniture_breaks.size() && furniture_breaks[next_break] <= i) {
      page_top = furniture_breaks[next_break] == i;
      ++next_break;
    }
    if (page_top) lines.Blank();
    const Block& b = blocks[i];
    if (claimed[i]) {
      lines.Flush();
      waiting.Flush();
      tables->Interrupt();
      citing_list = false;
      ++i;
      continue;
    }
    switch (b.kind) {
      case BlockKind::kTableRow: {
        lines.Flush();
        waiting.Flush();
        citing_list = false;
        std::vector<const Block*> rows;
        size_t first = i;
        while (i < blocks.size() && blocks[i].kind == BlockKind::kTableRow &&
               blocks[i].table == b.table && !claimed[i]) {
          rows.push_back(&blocks[i]);
          ++i;
        }
        tables->AddTable(rows, first, drafts);
        continue;
      }
      case BlockKind::kHeading: {
        lines.Flush();
        tables->Interrupt();
        citing_list = MatchMappingLabel(b.text).has_value();
        if (std::optional<HeadingId> heading = ParseHeadingId(b.text)) {
          size_t next = i + 1;
          bool empty = true;
          Draft d = HeadingSection(blocks, i, *heading, &next, &empty);
          waiting.Add(std::move(d), empty, heading->question, blocks, i, next);
          i = next;
          continue;
        }
        waiting.Flush();
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
        std::string_view text = b.text;
        if (std::optional<std::string_view> rest = MatchAnswerLabel(text);
            rest && lines.AnswerLabel(*rest, b)) {
          citing_list = false;
          break;
        }
        if (citing_list) {
          std::optional<IdCell> cell = ParseIdCell(StripBullet(text));
          if (cell && cell->kind == IdCell::Kind::kPlain) {
            lines.Text(text, b);
            break;
          }
        }
        citing_list = false;
        if (std::optional<std::string_view> rest = MatchMappingLabel(text); rest && rest->empty()) {
          citing_list = true;
          lines.Text(text, b);
          break;
        }
        std::string_view next_line;
        if (i + 1 < blocks.size() && blocks[i + 1].kind == BlockKind::kLine) {
          next_line = blocks[i + 1].text;
        }
        if (std::optional<LineStart> start = FindLineStart(text, next_line)) {
          if (start->prefix_is_text) lines.Text(text.substr(0, start->prefix_end), b);
          lines.StartId(*start, text.substr(start->expr.end), b, i);
        } else if (std::optional<QuestionLabel> label = MatchQuestionLabel(text);
                   label && label->asks) {
          if (lines.TakesQuestionText()) {
            lines.Text(text.substr(label->end), b);
          } else {
            lines.StartQuestionWithoutId(text.substr(label->end), b, i);
          }
        } else {
          lines.Text(text, b);
        }
        break;
      }
    }
    ++i;
  }
  lines.Flush();
  waiting.Flush();
}

}  // namespace fiscdex::extract
