// Search snippets: a short piece of a hit's text around its matches.
//
// FTS5's snippet() picks the window of N tokens holding the most matches
// and cuts at token starts: a window of N tokens shows only the terms that
// happen to fall in it, so for a two-term query whose terms stand 40 tokens
// apart it shows one of them. MakeSnippet works on the whole text with its
// matches marked instead: it shows one occurrence of every matched term (the
// closest group of them), centred when they fit in one piece, else in
// pieces joined by "…", and cuts only between words.
//
// Neither marking nor cutting runs MeCab. A search is a new process each
// time, and MeCab's first pass over new text faults in the pages of its
// dictionary its words touch: on the benchmark machine 1 ms for every 150
// characters, three times what the rest of a search costs. Marking instead
// finds the query's own strings in the text, folded as the index folds it,
// where a word can start and end (MarkMatches); cuts fall where the kind of
// character changes (MakeSnippet). doc/tokens.md, "Snippets", says where
// this differs from the tokens that matched.
#ifndef FISCDEX_INDEX_SNIPPET_H_
#define FISCDEX_INDEX_SNIPPET_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "index/query.h"

namespace fiscdex::index {

// The marks put around matches: U+FDD0 and U+FDD1, Unicode noncharacters,
// reserved for a program's internal use and not for text, so a « in a
// document is never taken for a mark.
inline constexpr char kMatchOpen[] = "\xEF\xB7\x90";
inline constexpr char kMatchClose[] = "\xEF\xB7\x91";

// `text` with every occurrence of the terms (PositiveTerms of the query)
// between kMatchOpen and kMatchClose. Text and terms are compared folded
// (NFKC, case, a katakana word's final ー); an occurrence counts where a
// word can start and end: not inside a run of katakana or of Latin letters
// and digits (ログ is not marked in プログラム), except that a term of three
// or more characters found nowhere else in the text is marked inside a
// katakana run too (セキュリティ in an unknown compound the index split).
// A term's words (split at spaces) are marked one by one.
std::string MarkMatches(std::string_view text, const std::vector<QueryTerm>& terms);

// About `max_chars` characters (more when the matched terms alone need it)
// of `marked` (a text with matches between kMatchOpen and kMatchClose), on
// one line, matches shown «like this», "…" where text was left out. A text
// that fits is shown whole. Cuts fall at spaces and punctuation or where the
// kind of character changes (kanji, hiragana, katakana, Latin), never
// between a kanji and the hiragana after it (送り仮名: 行|う), never inside a
// match; a run longer than a few characters without such a place is cut
// inside.
std::string MakeSnippet(std::string_view marked, size_t max_chars);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_SNIPPET_H_
