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
#ifndef FISCDEX_INDEX_QUERY_H_
#define FISCDEX_INDEX_QUERY_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace fiscdex::index {

// Returns the FTS5 expression, e.g. `暗号 -鍵 "a b" OR c` ->
// `("暗号" AND ("a b" OR "c")) NOT "鍵"`. Errors, all InvalidArgument with a
// message `query "<query>": <problem>`: "empty query" (nothing but space or
// punctuation), "unbalanced quote", "OR with nothing on one side" (likewise
// AND, NOT and a lone "-"), "only excluded terms".
Result<std::string> ToFtsQuery(std::string_view query);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_QUERY_H_
