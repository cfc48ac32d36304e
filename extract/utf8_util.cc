#include "extract/utf8_util.h"

namespace fiscdex::extract {

char32_t NextCodePoint(std::string_view s, size_t* pos) {
  size_t i = *pos;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    *pos = i + 1;
    return 0xFFFD;
  }
  char32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  *pos = i + 1 + extra;
  return cp;
}

size_t PreviousBoundary(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

char32_t PreviousCodePoint(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t start = PreviousBoundary(s, pos);
  return NextCodePoint(s, &start);
}

bool IsKanji(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) || c == 0x3005;
}

bool IsKana(char32_t c) {
  return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF) ||
         (c >= 0x31F0 && c <= 0x31FF);
}

bool IsSpaceLike(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0 ||
         c == 0x200B || c == 0x200D || c == 0xFE0F || c == 0xFE0E || c == 0x20E3;
}

bool IsPictograph(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2300 && c <= 0x23FF) ||
         (c >= 0x2190 && c <= 0x21FF) || (c >= 0x25A0 && c <= 0x25FF) || c == 0x2705 ||
         c == 0x274C || c == 0x2714 || c == 0x2716;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty()) {
    size_t p = 0;
    char32_t c = NextCodePoint(s, &p);
    if (!IsSpaceLike(c)) break;
    s.remove_prefix(p);
  }
  while (!s.empty()) {
    size_t start = PreviousBoundary(s, s.size());
    size_t p = start;
    char32_t c = NextCodePoint(s, &p);
    if (!IsSpaceLike(c)) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace fiscdex::extract
