#include "extract/id_cell.h"

#include "extract/criterion_id.h"
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
  std::string cleaned = StripDecorations(text);
  std::string_view cell = cleaned;
  std::optional<IdExpression> expr = MatchIdExpressionAt(cell, 0);
  if (!expr) return std::nullopt;
  std::string_view rest = cell.substr(expr->end);
  if (FollowedByParticle(rest)) return std::nullopt;
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
  return last == U'。' || last == '.' || last == '!' || last == '?' || last == U'」' ||
         last == U'）' || last == ')' || last == ':' || last == U'：';
}

void AppendContinuation(std::string* text, std::string_view next) {
  next = Trim(next);
  if (next.empty()) return;
  if (text->empty()) {
    text->assign(next);
    return;
  }
  if (EndsSentence(*text)) {
    text->push_back('\n');
    text->append(next);
    return;
  }
  AppendWrapped(text, next);
}

}  // namespace fiscdex::extract
