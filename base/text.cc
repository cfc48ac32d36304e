#include "base/text.h"

#include <algorithm>

namespace fiscdex {
namespace {

bool IsAsciiWordChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// True when `s` ends with ASCII digits written right after kana or a kanji
// ("設備基準8", "第12"). Byte-level: decodes only the three-byte UTF-8 code
// point before the digits, which is where kana and kanji live.
bool EndsWithNumberInJapanese(std::string_view s) {
  size_t digits = s.size();
  while (digits > 0 && s[digits - 1] >= '0' && s[digits - 1] <= '9') --digits;
  if (digits == s.size() || digits < 3) return false;
  const auto b0 = static_cast<unsigned char>(s[digits - 3]);
  const auto b1 = static_cast<unsigned char>(s[digits - 2]);
  const auto b2 = static_cast<unsigned char>(s[digits - 1]);
  if ((b0 & 0xF0) != 0xE0 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
  const char32_t c = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF);
}

}  // namespace

size_t CodePointCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

void AppendWrapped(std::string* paragraph, std::string_view next_line) {
  next_line = Trim(next_line);
  if (next_line.empty()) return;
  while (!paragraph->empty() && (paragraph->back() == ' ' || paragraph->back() == '\t')) {
    paragraph->pop_back();
  }
  if (!paragraph->empty()) {
    // Japanese wraps anywhere and never puts a space at the break; Latin text
    // wraps at spaces, so the space the break replaced comes back.
    const unsigned char last = static_cast<unsigned char>(paragraph->back());
    const unsigned char first = static_cast<unsigned char>(next_line.front());
    const bool last_latin = last < 0x80 && last != '(' && last != '/' && last != '\n';
    const bool first_latin = first < 0x80 && (IsAsciiWordChar(first) || first == '(');
    // A number the wrap cut in two is one number: in Japanese the digits
    // follow the text before them directly ("設備基準8" / "4～90 は", a
    // narrow cell), while Latin text has a blank or a letter there
    // ("page 8" / "4 items", "ISO27001" / "2013").
    const bool split_number = last >= '0' && last <= '9' && first >= '0' && first <= '9' &&
                              EndsWithNumberInJapanese(*paragraph);
    if (last_latin && first_latin && !split_number) paragraph->push_back(' ');
  }
  paragraph->append(next_line);
}

bool LooksLikePageNumber(std::string_view line) {
  // The line's shape: digit runs as '#', spaces dropped, ASCII lowered, and
  // the full-width and typographic forms of digits, dashes and brackets
  // folded (PDF text reaches this before NFKC).
  std::string key;
  bool has_digit = false;
  auto digit = [&] {
    has_digit = true;
    if (key.empty() || key.back() != '#') key.push_back('#');
  };
  static constexpr std::pair<std::string_view, char> kFolds[] = {
      {"–", '-'}, {"—", '-'}, {"－", '-'}, {"（", '('}, {"）", ')'}, {"／", '/'}, {"　", ' '}};
  for (size_t i = 0; i < line.size();) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= '0' && c <= '9') {
      digit();
      ++i;
      continue;
    }
    // U+FF10..U+FF19, full-width digits: EF BC 90..99.
    if (c == 0xEF && i + 2 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xBC &&
        static_cast<unsigned char>(line[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(line[i + 2]) <= 0x99) {
      digit();
      i += 3;
      continue;
    }
    bool folded = false;
    for (const auto& [from, to] : kFolds) {
      if (line.substr(i, from.size()) == from) {
        if (to != ' ') key.push_back(to);
        i += from.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    if (c != ' ' && c != '\t') {
      key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
    ++i;
  }
  if (!has_digit) return false;
  static constexpr std::string_view kShapes[] = {"#",     "-#-",   "#/#",   "page#", "page#/#",
                                                 "p.#",   "#ページ", "#頁",    "(#)",   "-#",
                                                 "#-",    "page#of#", "[#]"};
  return std::find(std::begin(kShapes), std::end(kShapes), key) != std::end(kShapes);
}

std::vector<long> NumbersIn(std::string_view text) {
  std::vector<long> numbers;
  long value = -1;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      value = (value < 0 ? 0 : value * 10) + (c - '0');
    } else if (value >= 0) {
      numbers.push_back(value);
      value = -1;
    }
  }
  if (value >= 0) numbers.push_back(value);
  return numbers;
}

}  // namespace fiscdex
