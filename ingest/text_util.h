// Small byte-level helpers shared by the readers of ingest/. Internal to the
// stage: nothing outside ingest/ includes this header.
#ifndef FISCDEX_INGEST_TEXT_UTIL_H_
#define FISCDEX_INGEST_TEXT_UTIL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "ingest/document.h"

namespace fiscdex::ingest::internal {

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

std::string AsciiLowerCopy(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
// Position of `needle` (ASCII, any case) in `hay` at or after `from`, or npos.
size_t FindIgnoreCase(std::string_view hay, std::string_view needle, size_t from = 0);

// Length of the white space (ASCII, U+00A0 NBSP, U+3000 ideographic space)
// that starts / ends `s`.
size_t LeadingSpaceLength(std::string_view s);
size_t TrailingSpaceLength(std::string_view s);
// `s` without surrounding white space (as above).
std::string_view TrimSpace(std::string_view s);
// True when `s` holds only white space (as above), or nothing.
bool IsBlank(std::string_view s);

// Trims every '\n'-separated line of `*s` (white space as above, tabs
// included) and drops the lines left empty, so runs of breaks collapse to one.
void TidyLines(std::string* s);

// Iterates the lines of a text: terminators are "\n", "\r\n" and a lone
// "\r". A form feed also ends a line and is reported through `form_feed`
// (a "\f" directly followed by a line terminator swallows that terminator,
// so "\f\n" is one page break, not a page break and a blank line).
class LineCursor {
 public:
  explicit LineCursor(std::string_view text, size_t begin = 0, size_t end = std::string_view::npos)
      : text_(text), pos_(begin), end_(std::min(end, text.size())) {}

  // Reads the next line into [*begin, *end) (terminator excluded). Returns
  // false at the end of the range.
  bool Next(size_t* begin, size_t* end, bool* form_feed);
  // Offset of the next unread byte.
  size_t position() const { return pos_; }

 private:
  // Offset of the next `c` at or after pos_ (end_ if none), via memchr. The
  // cache keeps the scan linear when one terminator is rare or absent.
  size_t NextOf(char c, size_t* cached);

  std::string_view text_;
  size_t pos_;
  size_t end_;
  size_t next_lf_ = std::string_view::npos;
  size_t next_cr_ = std::string_view::npos;
  size_t next_ff_ = std::string_view::npos;
};

// Appends blocks to a Document, collapsing runs of kBlank to one and never
// starting the document (or a page) with a blank.
class BlockSink {
 public:
  explicit BlockSink(Document* doc) : doc_(doc) {}

  void set_page(int page) { page_ = page; }
  int page() const { return page_; }

  void Line(std::string text, size_t begin, size_t end);
  void Heading(std::string text, int level, size_t begin, size_t end);
  void Blank(size_t begin, size_t end);
  void Row(std::vector<std::string> cells, int table, bool header, size_t begin, size_t end);
  // The index of the last block added, or npos.
  size_t last_index() const;

 private:
  Block& Add(BlockKind kind, size_t begin, size_t end);

  Document* doc_;
  int page_ = 1;
};

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_TEXT_UTIL_H_
