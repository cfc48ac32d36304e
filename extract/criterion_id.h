// Criterion IDs: recognising every written form and expanding ranges/lists.
//
// Works on normalized text (normalize::NormalizeText): full-width digits are
// ASCII and the wave dash family is '~'. An "ID expression" is one ID, a
// range (統1~3, 統1~統3, 設備基準84~137, 統5-1~5-5) or a list (実26 実27,
// 実26、実27, 統4,5, or glued 実26実27 as a PDF reader joins a wrapped cell),
// optionally in brackets (【実1】, (実1)).
#ifndef FISCDEX_EXTRACT_CRITERION_ID_H_
#define FISCDEX_EXTRACT_CRITERION_ID_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex::extract {

struct IdExpression {
  size_t begin = 0;  // byte offsets in the searched text
  size_t end = 0;
  std::vector<std::string> ids;  // canonical, expanded, in order
  bool is_range = false;
};

// The ID expression that starts exactly at `pos` (an opening bracket may
// stand there), or nullopt. Rejects counts, ranks and part numbers (実35件,
// 実35位, 実35B) and section numbers (実務 3-1-1). Does not judge whether the
// expression is a reference; see IsReferenceContext.
std::optional<IdExpression> MatchIdExpressionAt(std::string_view text, size_t pos);

// Every ID expression in `text`, left to right, each starting at a word
// boundary (not glued to a preceding letter, digit, kana or kanji).
std::vector<IdExpression> FindIdExpressions(std::string_view text);

// True when the text right after an ID expression makes it a citation in a
// sentence (実97の対策は, 実4と同じ, 実3を参照) rather than a record start.
bool FollowedByParticle(std::string_view after);

// True when the text right after an ID expression makes the IDs the subject
// of the sentence they open (設備基準84~90は対象外です, 実27も同様, 実3に
// ついては…), blanks before it or not. Such a sentence is said of those
// criteria; where nothing else in its row could be their answer (a note row,
// see ParseNoteIdCell) it is. Citing particles (実4と同じ, 実3を参照,
// 実3に準じる) and the possessive (実97の対策は) give false.
bool FollowedBySubjectParticle(std::string_view after);

// "欠番", "対象外", "—", "○", "-", "N/A", ...: a cell or line that is an
// answer marker rather than prose.
bool IsAnswerMarker(std::string_view text);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_CRITERION_ID_H_
