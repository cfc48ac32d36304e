// How an ID expression is read: RE2 matches one ID token (family + number +
// optional sub-number) anchored at a position; a small hand-written loop
// then looks for a range ("~" or "–" and a second token, family optional) or
// list separators followed by more tokens. The character after the whole
// expression decides whether it was an ID at all: 実35件 (a count), 実35B (a
// part number) and 実1-1-1 (a section number) are not.
#include "extract/criterion_id.h"

#include <re2/re2.h>

#include <array>
#include <cstdlib>

#include "extract/re2_util.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {
namespace {

// Sub-numbers and ranges in real documents stay far below these bounds; they
// only stop a typo like 実1~1000 from producing a thousand records.
constexpr int kMaxRangeSpan = 300;

const RE2& IdTokenRe() {
  static const RE2* re = CompileQuiet(
      "(統制基準|実務基準|設備基準|監査基準|運用基準|技術基準|統|実|設|監|運|技)"
      // Questionnaires number their items: "実務基準 No.12", "実務基準 番号12".
      "[ \\t]*(?:(?:No|NO)[ \\t]*\\.?[ \\t]*|(?:番号|項番)[ \\t]*:?[ \\t]*)?"
      "(\\d{1,3})(?:[ \\t]*(?:-|‐|‑|−)[ \\t]*(\\d{1,2}))?");
  return *re;
}

const RE2& BareNumberRe() {
  static const RE2* re = CompileQuiet("(\\d{1,3})(?:[ \\t]*(?:-|‐|‑|−)[ \\t]*(\\d{1,2}))?");
  return *re;
}

struct Token {
  std::string family;  // one character: 統 実 設 監 運 技
  int number = 0;
  int sub = 0;  // 0: none
  size_t end = 0;
};

std::string FamilyChar(std::string_view family) {
  // The long names all start with their family character (3 bytes in UTF-8).
  return std::string(family.substr(0, 3));
}

std::string Canonical(const std::string& family, int number, int sub) {
  std::string id = family + std::to_string(number);
  if (sub > 0) {
    // Appended in two steps: GCC 12 warns falsely (-Wrestrict, its bug
    // 105651) on "-" + std::to_string(...).
    id += '-';
    id += std::to_string(sub);
  }
  return id;
}

std::optional<Token> MatchToken(std::string_view text, size_t pos) {
  std::array<re2::StringPiece, 4> groups;
  if (!IdTokenRe().Match(re2::StringPiece(text.data(), text.size()), pos, text.size(),
                         RE2::ANCHOR_START, groups.data(), groups.size())) {
    return std::nullopt;
  }
  Token t;
  t.family = FamilyChar(std::string_view(groups[1].data(), groups[1].size()));
  t.number = std::atoi(std::string(groups[2]).c_str());
  if (!groups[3].empty()) t.sub = std::atoi(std::string(groups[3]).c_str());
  t.end = static_cast<size_t>(groups[0].data() + groups[0].size() - text.data());
  return t;
}

std::optional<Token> MatchBareNumber(std::string_view text, size_t pos, const std::string& family) {
  std::array<re2::StringPiece, 3> groups;
  if (!BareNumberRe().Match(re2::StringPiece(text.data(), text.size()), pos, text.size(),
                            RE2::ANCHOR_START, groups.data(), groups.size())) {
    return std::nullopt;
  }
  Token t;
  t.family = family;
  t.number = std::atoi(std::string(groups[1]).c_str());
  if (!groups[2].empty()) t.sub = std::atoi(std::string(groups[2]).c_str());
  t.end = static_cast<size_t>(groups[0].data() + groups[0].size() - text.data());
  return t;
}

size_t SkipBlanks(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  return pos;
}

// A cell may list one ID per line ("実3<br>実4").
size_t SkipBlanksAndNewlines(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) ++pos;
  return pos;
}

// Tries a separator at `pos`; returns the position after it.
std::optional<size_t> MatchRangeSeparator(std::string_view text, size_t pos) {
  pos = SkipBlanks(text, pos);
  if (pos < text.size() && text[pos] == '~') return SkipBlanks(text, pos + 1);
  // 〜 (wave dash), 〰, ∼, ⁓ and the en dash –: NFKC leaves them as printed.
  for (std::string_view dash : {"〜", "〰", "∼", "⁓", "–"}) {
    if (text.substr(pos, dash.size()) == dash) return SkipBlanks(text, pos + dash.size());
  }
  if (text.substr(pos, 6) == "\xE3\x81\x8B\xE3\x82\x89") return SkipBlanks(text, pos + 6);  // から
  return std::nullopt;
}

std::optional<size_t> MatchListSeparator(std::string_view text, size_t pos) {
  size_t p = SkipBlanks(text, pos);
  if (p < text.size() && (text[p] == ',' || text[p] == '/')) return SkipBlanks(text, p + 1);
  for (std::string_view sep : {"、", "・", "，", "及び", "および", "並びに"}) {
    if (text.substr(p, sep.size()) == sep) return SkipBlanks(text, p + sep.size());
  }
  return std::nullopt;
}

// Characters that, right after a number, make it a count, rank, part or
// section number instead of an ID.
bool RejectsAfterNumber(std::string_view after) {
  if (after.empty()) return false;
  size_t p = 0;
  char32_t c = NextCodePoint(after, &p);
  if (IsAsciiAlnum(c) || c == '%') return true;
  if (c == '-' || c == '.') {
    // 実1-1-1 and 4.3.1 are section numbers; "実1-" alone is fine.
    return p < after.size() && IsAsciiDigit(static_cast<unsigned char>(after[p]));
  }
  static constexpr char32_t kCounters[] = {U'件', U'位', U'番', U'号', U'条', U'項', U'章', U'節',
                                           U'版', U'年', U'月', U'日', U'個', U'回', U'名', U'社',
                                           U'倍', U'時', U'分', U'秒', U'円', U'人', U'台', U'桁',
                                           U'行', U'列', U'頁', U'割', U'歳', U'期', U'次', U'点'};
  for (char32_t k : kCounters) {
    if (c == k) return true;
  }
  return false;
}

void AppendRange(const Token& from, const Token& to, std::vector<std::string>* ids) {
  if (from.sub > 0 && to.sub > 0 && from.number == to.number) {
    for (int s = from.sub; s <= to.sub; ++s) ids->push_back(Canonical(from.family, from.number, s));
    return;
  }
  ids->push_back(Canonical(from.family, from.number, from.sub));
  for (int n = from.number + 1; n <= to.number; ++n) ids->push_back(Canonical(from.family, n, 0));
  if (to.sub > 0) ids->push_back(Canonical(to.family, to.number, to.sub));
}

bool IsValidRange(const Token& from, const Token& to) {
  if (from.family != to.family) return false;
  if (from.number == to.number) return from.sub > 0 && to.sub > from.sub;
  return to.number > from.number && to.number - from.number <= kMaxRangeSpan;
}

}  // namespace

std::optional<IdExpression> MatchIdExpressionAt(std::string_view text, size_t pos) {
  size_t start = pos;
  std::string_view closing;
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"【", "】"},
                             {"(", ")"}, {"[", "]"}, {"〔", "〕"}, {"<", ">"}}) {
    if (text.substr(pos, open.size()) == open) {
      pos = SkipBlanks(text, pos + open.size());
      closing = close;
      break;
    }
  }
  std::optional<Token> first = MatchToken(text, pos);
  if (!first) return std::nullopt;

  IdExpression expr;
  expr.begin = start;
  size_t end = first->end;
  Token last = *first;
  bool pending_first = true;  // `first` not yet emitted (it may open a range)
  while (true) {
    if (auto after_sep = MatchRangeSeparator(text, end)) {
      std::optional<Token> to = MatchToken(text, *after_sep);
      if (!to) to = MatchBareNumber(text, *after_sep, last.family);
      if (to && IsValidRange(last, *to) && !RejectsAfterNumber(text.substr(to->end))) {
        if (!pending_first) expr.ids.pop_back();
        AppendRange(last, *to, &expr.ids);
        expr.is_range = true;
        pending_first = false;
        last = *to;
        end = to->end;
        continue;
      }
    }
    if (pending_first) {
      expr.ids.push_back(Canonical(last.family, last.number, last.sub));
      pending_first = false;
    }
    std::optional<Token> next;
    if (auto after_sep = MatchListSeparator(text, end)) {
      next = MatchToken(text, *after_sep);
      if (!next) next = MatchBareNumber(text, *after_sep, last.family);
    } else {
      // "実26 実27", one per line, or glued "実26実27": a PDF reader joins the
      // wrapped lines of a cell without a blank. Only with the family spelled
      // out, so a family character must follow the number directly; nothing
      // else written that way (実務基準第3版, 実施) reads as a token.
      next = MatchToken(text, SkipBlanksAndNewlines(text, end));
    }
    if (!next || RejectsAfterNumber(text.substr(next->end))) break;
    // A list goes on only where the next token could open a range or stand alone.
    expr.ids.push_back(Canonical(next->family, next->number, next->sub));
    last = *next;
    end = next->end;
  }
  if (RejectsAfterNumber(text.substr(end))) return std::nullopt;
  if (!closing.empty()) {
    size_t p = SkipBlanks(text, end);
    if (text.substr(p, closing.size()) == closing) end = p + closing.size();
  }
  expr.end = end;
  return expr;
}

std::vector<IdExpression> FindIdExpressions(std::string_view text) {
  std::vector<IdExpression> found;
  size_t pos = 0;
  while (pos < text.size()) {
    // Cheap pre-filter: every family character and bracket is a 3-byte lead
    // E3/E5/E6/E7/E8/E9 or ASCII '(' / '['.
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c >= 0xE0 || c == '(' || c == '[' || c == '<') {
      char32_t prev = PreviousCodePoint(text, pos);
      bool boundary = !(IsAsciiAlnum(prev) || IsCjkLetter(prev));
      if (boundary) {
        if (auto expr = MatchIdExpressionAt(text, pos)) {
          pos = expr->end;
          found.push_back(std::move(*expr));
          continue;
        }
      }
    }
    NextCodePoint(text, &pos);
  }
  return found;
}

bool FollowedByParticle(std::string_view after) {
  bool adjacent = true;
  while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) {
    after.remove_prefix(1);
    adjacent = false;
  }
  static constexpr std::string_view kAlways[] = {
      "の", "と", "を", "に", "へ", "や", "も", "より", "から", "まで", "等", "など", "および",
      "及び", "または", "又は", "参照", "相当", "同様", "以外", "以降", "以下", "以上", "を参照",
      "に準", "に記載", "で述べ", "で記載"};
  for (std::string_view p : kAlways) {
    if (after.substr(0, p.size()) == p) return true;
  }
  if (adjacent) {
    for (std::string_view p : {"は", "が", "で", "、", "。"}) {
      if (after.substr(0, p.size()) == p) return true;
    }
  }
  return false;
}

bool FollowedBySubjectParticle(std::string_view after) {
  while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) after.remove_prefix(1);
  // Topic and subject markers only. The possessive "の" is left out on
  // purpose: it makes the ID modify another noun, which is how citations
  // read (実97の対策は, 実3の回答をご参照ください, 実39、実40の記載を更新).
  static constexpr std::string_view kSubject[] = {"は", "が", "も", "について"};
  for (std::string_view p : kSubject) {
    if (after.substr(0, p.size()) == p) return true;
  }
  return false;
}

bool IsAnswerMarker(std::string_view text) {
  text = Trim(text);
  if (text.empty() || CodePointCount(text) > 12) return false;
  std::string core;
  for (size_t p = 0; p < text.size();) {
    size_t start = p;
    char32_t c = NextCodePoint(text, &p);
    if (c == '(' || c == ')' || c == U'（' || c == U'）' || c == U'【' || c == U'】' ||
        c == '[' || c == ']' || IsSpaceLike(c)) {
      continue;
    }
    core.append(text.substr(start, p - start));
  }
  static constexpr std::string_view kMarkers[] = {
      "欠番", "対象外", "該当なし", "該当無し", "非該当", "適用外", "なし", "無し", "予備",
      "欠番/予備", "-", "—", "–", "―", "‐", "○", "〇", "◯", "●", "×", "✕", "△", "✓", "✔",
      "N/A", "n/a", "NA", "TBD", "対応済", "対応済み", "未対応", "不要", "対応不要", "済"};
  for (std::string_view m : kMarkers) {
    if (core == m) return true;
  }
  return false;
}

}  // namespace fiscdex::extract
