// The label patterns. Each is anchored at the start of the text and must end
// at a clear boundary (a colon, a closing bracket, a blank or the end of the
// text), so that the label word used in a sentence ("回答期限は…", "対応状況は
// 以下のとおり", "Answers") is never taken for a label.
#include "extract/labels.h"

#include <re2/re2.h>

#include <vector>

#include "extract/re2_util.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {
namespace {

// LabelPatternsCompiled lets a test see that every pattern compiled.

// Group 1: a label that asks ("Q.", "【質問】", "質問:", "問3."); group 2: a
// label that only announces a number ("項番:", "No.").
const RE2& QuestionRe() {
  static const RE2* re = CompileQuiet(
      "(?:("
      "【\\s*(?:質問|設問|問|Q)\\s*\\d{0,3}\\s*】"
      "|\\[\\s*(?:質問|設問|Q)\\s*\\d{0,3}\\s*\\]"
      "|(?:Question|QUESTION|Q|質問|設問|問)\\s*\\d{0,3}\\s*[.:]"
      "|(?:Question|QUESTION|Q|質問|設問)\\s*\\d{0,3}(?:\\s|$)"
      ")|("
      "(?:項番|基準番号|質問番号|管理番号|番号|No|NO)\\s*\\.?\\s*:?"
      "))\\s*");
  return *re;
}

const RE2& AnswerRe() {
  static const RE2* re = CompileQuiet(
      "(?:"
      "【\\s*(?:回答|答|A|Answer)\\s*\\d{0,3}\\s*】"
      "|\\[\\s*(?:回答|A)\\s*\\d{0,3}\\s*\\]"
      "|(?:回答内容|当社の回答|当社回答|ご回答|回答|対応状況|Answer|ANSWER|答|A)\\s*\\d{0,3}\\s*[.:"
      "]"
      "|(?:回答内容|当社の回答|当社回答|ご回答|回答|対応状況|Answer|ANSWER)(?:\\s|$)"
      ")\\s*");
  return *re;
}

// "対応する安全対策基準番号", "対応するFISC基準", "関連する FISC 基準",
// "関連基準", "参照基準", "FISC対応項番", "FISC基準番号", optionally after a
// bullet or inside 【】.
const RE2& MappingRe() {
  static const RE2* re = CompileQuiet(
      "[■□●○◆◇▼▶・※*\\-]?\\s*[【\\[]?\\s*"
      "(?:"
      "(?:対応|関連|参照|該当)(?:している|する|した|先の|先)?\\s*(?:FISC)?\\s*の?\\s*"
      "(?:安全対策)?\\s*基準\\s*(?:番号|項番|項目|ID)?"
      "|FISC\\s*(?:安全対策基準)?\\s*の?\\s*(?:対応|関連|参照|該当)?\\s*(?:項番|基準番号|番号|基準|"
      "ID)"
      ")(?:\\s*[】\\]]\\s*:?|\\s*(?::|\\s|$))\\s*");
  return *re;
}

// Matches `re` anchored at the start; returns the bytes it consumed.
std::optional<size_t> MatchPrefix(const RE2& re, std::string_view text, re2::StringPiece* groups,
                                  int ngroups) {
  std::vector<re2::StringPiece> all(ngroups + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::ANCHOR_START,
                all.data(), ngroups + 1)) {
    return std::nullopt;
  }
  for (int k = 0; k < ngroups; ++k) groups[k] = all[k + 1];
  return all[0].size();
}

}  // namespace

std::optional<QuestionLabel> MatchQuestionLabel(std::string_view line) {
  std::string_view trimmed = Trim(line);
  re2::StringPiece groups[2];
  std::optional<size_t> end = MatchPrefix(QuestionRe(), trimmed, groups, 2);
  if (!end) return std::nullopt;
  QuestionLabel label;
  label.asks = groups[0].data() != nullptr;
  // An offset into `line`, not into its trimmed copy.
  label.end = static_cast<size_t>(trimmed.data() - line.data()) + *end;
  return label;
}

std::optional<std::string_view> MatchAnswerLabel(std::string_view line) {
  line = Trim(line);
  std::optional<size_t> end = MatchPrefix(AnswerRe(), line, nullptr, 0);
  if (!end) return std::nullopt;
  return Trim(line.substr(*end));
}

std::optional<std::string_view> MatchMappingLabel(std::string_view line) {
  line = Trim(line);
  std::optional<size_t> end = MatchPrefix(MappingRe(), line, nullptr, 0);
  if (!end) return std::nullopt;
  return Trim(line.substr(*end));
}

bool IsQuestionPhrase(std::string_view text) {
  text = Trim(text);
  while (!text.empty()) {
    char32_t last = PreviousCodePoint(text, text.size());
    if (last != U'。' && last != '.' && !IsSpaceLike(last)) break;
    text = text.substr(0, PreviousBoundary(text, text.size()));
  }
  if (text.empty()) return false;
  if (text.back() == '?') return true;
  for (std::string_view ending : {"か", "ください", "下さい", "願います"}) {
    if (text.size() >= ending.size() && text.substr(text.size() - ending.size()) == ending) {
      return true;
    }
  }
  return false;
}

bool LabelPatternsCompiled() { return QuestionRe().ok() && AnswerRe().ok() && MappingRe().ok(); }

}  // namespace fiscdex::extract
