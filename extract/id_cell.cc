#include "extract/id_cell.h"

#include <re2/re2.h>

#include "extract/criterion_id.h"
#include "extract/labels.h"
#include "extract/re2_util.h"
#include "extract/utf8_util.h"
#include "base/text.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {
namespace {

// "(新設)", "（含 統1-1, 統1-2）", "[改]": a short bracketed note.
bool IsBracketedNote(std::string_view s) {
  s = Trim(s);
  if (s.size() < 2) return false;
  bool opens = s.front() == '(' || s.front() == '[' || s.substr(0, 3) == "【" ||
               s.substr(0, 3) == "〔";
  bool closes = s.back() == ')' || s.back() == ']' || (s.size() >= 3 && (s.substr(s.size() - 3) == "】" || s.substr(s.size() - 3) == "〕"));
  return opens && closes && CodePointCount(s) <= 40;
}

constexpr size_t kMaxCaptionCodePoints = 40;

// "1. ", "2-1 ", "(3) ", "BP-01 ", "■": the numbering of a heading printed as
// a line of text.
const RE2& EnumeratorRe() {
  static const RE2* re = CompileQuiet(
      "(?:(?:\\d{1,3}(?:[.\\-]\\d{1,3})*|[A-Za-z]{1,4}-?\\d{1,3})(?:[.:)]|[ \\t]|$)"
      "|\\(\\d{1,3}\\)|第\\d{1,3}[章節]|[■□●○◆◇▼▶◎])[ \\t]*");
  return *re;
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

// Which particles after the IDs leave them a record start.
enum class Particles {
  kNone,     // any particle cites the IDs (a cell, a heading)
  kSubject,  // topic and subject particles do not (a note row)
  kAny,      // none does (after a question label that asks)
};

std::optional<IdCell> ParseIdCellImpl(std::string_view text, Particles allowed) {
  std::string cleaned = StripDecorations(text);
  std::string_view cell = cleaned;
  std::optional<IdExpression> expr = MatchIdExpressionAt(cell, 0);
  if (!expr) return std::nullopt;
  std::string_view rest = cell.substr(expr->end);
  if (allowed != Particles::kAny && FollowedByParticle(rest) &&
      !(allowed == Particles::kSubject && FollowedBySubjectParticle(rest))) {
    return std::nullopt;
  }
  IdCell out;
  out.ids = std::move(expr->ids);
  out.is_range = expr->is_range;
  rest = Trim(rest);
  if (rest.empty() || IsBracketedNote(rest)) return out;
  if (rest.substr(0, 1) == ":" || rest.substr(0, 3) == "：") {
    out.kind = IdCell::Kind::kTitled;
    rest.remove_prefix(rest.front() == ':' ? 1 : 3);
    out.remainder = std::string(Trim(rest));
    return out;
  }
  // "実1 - 暗証番号…", "実1．暗証番号…"
  for (std::string_view sep : {"-", ".", "—", "–", "／", "|"}) {
    if (rest.substr(0, sep.size()) == sep) {
      out.kind = IdCell::Kind::kTitled;
      out.remainder = std::string(Trim(rest.substr(sep.size())));
      return out;
    }
  }
  out.kind = IdCell::Kind::kText;
  out.remainder = std::string(rest);
  return out;
}

}  // namespace

std::string StripDecorations(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t p = 0; p < text.size();) {
    size_t start = p;
    char32_t c = NextCodePoint(text, &p);
    if (IsPictograph(c) || c == 0xFE0F || c == 0xFE0E || c == 0x200D || c == 0x20E3) continue;
    out.append(text.substr(start, p - start));
  }
  return std::string(Trim(out));
}


std::optional<IdCell> ParseIdCell(std::string_view text) {
  return ParseIdCellImpl(text, Particles::kNone);
}

std::optional<IdCell> ParseNoteIdCell(std::string_view text) {
  return ParseIdCellImpl(text, Particles::kSubject);
}

std::optional<HeadingId> ParseHeadingId(std::string_view text) {
  if (std::optional<QuestionLabel> label = MatchQuestionLabel(text)) {
    std::optional<IdCell> cell =
        ParseIdCellImpl(text.substr(label->end), label->asks ? Particles::kAny : Particles::kNone);
    if (!cell) return std::nullopt;
    return HeadingId{std::move(*cell), /*question=*/true};
  }
  std::optional<IdCell> cell = ParseIdCell(text);
  if (!cell) return std::nullopt;
  return HeadingId{std::move(*cell), /*question=*/false};
}

bool HasSentencePunctuation(std::string_view s) {
  return s.find("。") != std::string_view::npos || s.find("．") != std::string_view::npos ||
         s.find(". ") != std::string_view::npos || (!s.empty() && s.back() == '.');
}

size_t EnumeratorLength(std::string_view line) {
  re2::StringPiece match;
  if (!EnumeratorRe().Match(re2::StringPiece(line.data(), line.size()), 0, line.size(),
                            RE2::ANCHOR_START, &match, 1)) {
    return 0;
  }
  return match.size();
}

bool IsListItem(std::string_view paragraph) {
  paragraph = Trim(paragraph);
  for (std::string_view mark : {"・", "•", "●", "○", "■", "□", "◆", "◇", "▪", "‣", "◦", "- ",
                                "* ", "※"}) {
    if (paragraph.size() > mark.size() && paragraph.substr(0, mark.size()) == mark) return true;
  }
  return false;
}

bool LooksLikeCaption(std::string_view paragraph) {
  paragraph = Trim(paragraph);
  // "・再委託の有無": the last items of a list end an answer; they label nothing.
  if (IsListItem(paragraph)) return false;
  // The period of "1. 概要" ends no sentence.
  paragraph = paragraph.substr(EnumeratorLength(paragraph));
  return !paragraph.empty() && CodePointCount(paragraph) <= kMaxCaptionCodePoints &&
         !HasSentencePunctuation(paragraph) && !IsAnswerMarker(paragraph);
}

std::optional<LineStart> FindLineStart(std::string_view line, std::string_view next_line) {
  // "Q. 実8 …", "【質問】実8 …", "項番:実12": the ID right after a question
  // label. After a label that asks, the ID is the question's subject even
  // with a particle ("Q. 実8の要件について…").
  if (std::optional<QuestionLabel> label = MatchQuestionLabel(line)) {
    if (std::optional<IdExpression> expr = MatchIdExpressionAt(line, label->end)) {
      if (label->asks || !FollowedByParticle(line.substr(expr->end))) {
        LineStart start;
        start.expr = std::move(*expr);
        start.question = true;
        start.asks = label->asks;
        return start;
      }
    }
  }
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

std::string_view StripBullet(std::string_view text) {
  text = Trim(text);
  for (std::string_view bullet : {"・", "•", "●", "○", "■", "□", "◆", "◇", "▪", "◦", "-", "*"}) {
    if (text.substr(0, bullet.size()) == bullet) return Trim(text.substr(bullet.size()));
  }
  return text;
}

bool IsNoIdMarker(std::string_view cell) {
  std::string_view s = Trim(cell);
  for (std::string_view m : {"-", "—", "–", "―", "‐", "N/A", "n/a", "NA", "なし", "無し", "該当なし",
                             "対象外", "×"}) {
    if (s == m) return true;
  }
  return false;
}

bool EndsSentence(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return true;
  char32_t last = PreviousCodePoint(text, text.size());
  // A closing bracket ends a quotation, a note or a label line (＜補足＞).
  return last == U'。' || last == '.' || last == '!' || last == '?' || last == U'」' ||
         last == U'）' || last == ')' || last == ':' || last == U'：' || last == U'＞' ||
         last == '>' || last == U'】' || last == U'〉' || last == U'』';
}

void AppendContinuation(std::string* text, std::string_view next) {
  next = Trim(next);
  if (next.empty()) return;
  if (text->empty()) {
    text->assign(next);
    return;
  }
  if (EndsSentence(*text) || IsListItem(next)) {
    text->push_back('\n');
    text->append(next);
    return;
  }
  AppendWrapped(text, next);
}

}  // namespace fiscdex::extract
