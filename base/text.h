// Text rules more than one stage needs: how wrapped lines join, and what a
// page number looks like. Byte-level, on UTF-8.
#ifndef FISCDEX_BASE_TEXT_H_
#define FISCDEX_BASE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex {

// Code points in `utf8` (continuation bytes not counted).
size_t CodePointCount(std::string_view utf8);

// The runs of ASCII digits in `text`, as numbers, in order: "実103-1" ->
// {103, 1}, "Ver.1.10" -> {1, 10}. What criterion IDs and version strings
// are ordered by.
std::vector<long> NumbersIn(std::string_view text);

// Joins the next visual line of a wrapped paragraph: no space between CJK
// characters (or CJK and punctuation), one space between two Latin words,
// none after a line break already in `paragraph`, none inside a number
// written right after Japanese text ("設備基準8" + "4～90" → "設備基準84～90").
// Both sides are trimmed.
void AppendWrapped(std::string* paragraph, std::string_view next_line);

// "12", "- 12 -", "12 / 40", "Page 3", "p. 3", "3ページ", "3頁", "(3)", "[3]",
// with ASCII or full-width digits, dashes and brackets: a page number line.
bool LooksLikePageNumber(std::string_view line);

}  // namespace fiscdex

#endif  // FISCDEX_BASE_TEXT_H_
