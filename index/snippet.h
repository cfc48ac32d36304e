// Search snippets: a short piece of a hit's text around its matches.
//
// FTS5's snippet() picks the window of N tokens holding the most matches
// and cuts at token starts. With MeCab tokens (index/fts_tokenizer.h) a cut
// falls on a word start, but a window of N tokens shows only the terms that
// happen to fall in it: for a two-term query whose terms stand 40 tokens
// apart it shows one of them. MakeSnippet works on the whole text marked by
// FTS5's highlight() instead: it shows one occurrence of every matched term
// (the closest group of them), centred when they fit in one piece, else in
// pieces joined by "…", and cuts only between MeCab words.
#ifndef FISCDEX_INDEX_SNIPPET_H_
#define FISCDEX_INDEX_SNIPPET_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "index/mecab_segmenter.h"

namespace fiscdex::index {

// The marks highlight() is asked to put around matches: U+FDD0 and U+FDD1,
// Unicode noncharacters, reserved for a program's internal use and not for
// text, so a « in a document is never taken for a mark.
inline constexpr char kMatchOpen[] = "\xEF\xB7\x90";
inline constexpr char kMatchClose[] = "\xEF\xB7\x91";

// About `max_chars` characters (more when the matched terms alone need it)
// of `highlighted` (a text with matches between kMatchOpen and kMatchClose),
// on one line, matches marked «like this», "…" where text was left out. A
// text that fits is shown whole. Cuts fall between the words `segmenter`
// finds (or at white space), never inside a word or a match. If MeCab
// fails, cuts fall between characters.
std::string MakeSnippet(std::string_view highlighted, const MecabSegmenter& segmenter,
                        size_t max_chars);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_SNIPPET_H_
