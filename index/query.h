// From what a user types to an FTS5 MATCH expression.
//
// The user's language:
//   暗号鍵 管理          terms separated by spaces must all match (AND)
//   "暗号鍵 の 管理"     a quoted phrase ("…", “…” or ＂…＂)
//   暗号 OR 鍵           either term (OR binds two neighbouring terms)
//   暗号 -鍵, 暗号 NOT 鍵  exclusion of the next term or phrase
//   a AND b              the same as "a b"
// OR, AND and NOT are operators only in upper case ("or" is a word). Each
// term is NFKC-normalized and case-folded (normalize::FoldForSearch), then
// written as an FTS5 string, so FTS5 runs the fiscdex_mecab tokenizer over
// it and a term that MeCab splits becomes a phrase: 暗号鍵 -> 暗号 + 鍵,
// ISO27001 -> iso + 27001. A term without any letter or digit (only
// punctuation) can match nothing and is left out.
//
// A bare (unquoted) term is widened in two ways, a "quoted phrase" never:
//   - ending in a kanji, its last token matches as a prefix (FTS5's `*`), so
//     アクセス権 finds アクセス権限 (MeCab: アクセス + 権限); a term ending in
//     kana or a letter stays whole-word, so ログ does not find ログイン;
//   - equal to a member of a synonym group (index/synonyms.h), it becomes
//     the OR of the group's members: MFA -> ("多要素認証" OR "二要素認証" OR
//     "mfa" ...), each member a phrase with the prefix rule above.
#ifndef FISCDEX_INDEX_QUERY_H_
#define FISCDEX_INDEX_QUERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fiscdex::index {

class Synonyms;

// Returns the FTS5 expression, e.g. `暗号 -鍵 "a b" OR c` ->
// `("暗号" * AND ("a b" OR "c")) NOT "鍵" *`. Errors, all InvalidArgument with a
// message `query "<query>": <problem>`: "empty query" (nothing but space or
// punctuation), "unbalanced quote", "OR with nothing on one side" (likewise
// AND, NOT and a lone "-"), "only excluded terms".
// Expands synonyms from Synonyms::Default().
Result<std::string> ToFtsQuery(std::string_view query);

// The same with the given synonym groups (LoadSynonyms makes the CLI's).
Result<std::string> ToFtsQuery(std::string_view query, const Synonyms& synonyms);

// A string an FTS5 expression asks for, as it stands there (folded, not yet
// tokenized), and whether its last token may be a prefix (`"…" *`).
struct QueryTerm {
  std::string text;
  bool prefix = false;
};

// The strings of an expression made by ToFtsQuery that a hit may contain:
// every one except those after NOT. What search marks in a snippet.
std::vector<QueryTerm> PositiveTerms(std::string_view fts_expression);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_QUERY_H_
