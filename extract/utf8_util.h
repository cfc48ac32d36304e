// Small UTF-8 helpers for the extractor (input is valid UTF-8: normalize/
// repairs it).
#ifndef FISCDEX_EXTRACT_UTF8_UTIL_H_
#define FISCDEX_EXTRACT_UTF8_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fiscdex::extract {

// Decodes the code point at `pos` and advances `pos`; U+FFFD on bad input.
char32_t NextCodePoint(std::string_view s, size_t* pos);
// The code point that ends just before `pos` (0 at the start).
char32_t PreviousCodePoint(std::string_view s, size_t pos);
// Byte offset of the start of the code point ending at `pos`.
size_t PreviousBoundary(std::string_view s, size_t pos);

bool IsKanji(char32_t c);
bool IsKana(char32_t c);
inline bool IsCjkLetter(char32_t c) { return IsKanji(c) || IsKana(c); }
inline bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
// Space, tab, newline, and the invisible marks that decorate ID cells
// (variation selectors, zero-width joiner).
bool IsSpaceLike(char32_t c);
// Emoji and other pictographs (✏️ 🆕 ✅ ⚠️ ...).
bool IsPictograph(char32_t c);

std::string_view Trim(std::string_view s);
// Number of code points.
size_t CodePointCount(std::string_view s);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_UTF8_UTIL_H_
