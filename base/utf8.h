// Encoding one code point as UTF-8, for every stage and the tests.
#ifndef FISCDEX_BASE_UTF8_H_
#define FISCDEX_BASE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace fiscdex {

// Appends `cp` as UTF-8. A surrogate or a value past U+10FFFF, which UTF-8
// cannot carry, becomes U+FFFD.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the well-formed UTF-8 sequence at s[i], or 0 (a stray, overlong
// or truncated sequence, a surrogate, a value past U+10FFFF).
inline int WellFormedUtf8Length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) -> int {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : -1;
  };
  const int lead = byte(0);
  if (lead >= 0 && lead < 0x80) return 1;
  int n = 0, lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  const int second = byte(1);
  if (second < lo || second > hi) return 0;
  for (int k = 2; k < n; ++k) {
    const int b = byte(k);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return n;
}

}  // namespace fiscdex

#endif  // FISCDEX_BASE_UTF8_H_
