#include "ingest/text_util.h"

#include <cstring>

namespace fiscdex::ingest::internal {

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

size_t FindIgnoreCase(std::string_view hay, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  const char first_lower = AsciiLower(needle[0]);
  const char first_upper = static_cast<char>(
      (first_lower >= 'a' && first_lower <= 'z') ? first_lower - 32 : first_lower);
  while (from + needle.size() <= hay.size()) {
    // memchr on both cases of the first byte keeps this fast on long inputs.
    const char* base = hay.data() + from;
    const size_t span = hay.size() - from - needle.size() + 1;
    const char* a = static_cast<const char*>(std::memchr(base, first_lower, span));
    const char* b = first_upper == first_lower
                        ? nullptr
                        : static_cast<const char*>(std::memchr(base, first_upper, span));
    const char* hit = (a && b) ? std::min(a, b) : (a ? a : b);
    if (hit == nullptr) return std::string_view::npos;
    const size_t at = static_cast<size_t>(hit - hay.data());
    if (EqualsIgnoreCase(hay.substr(at, needle.size()), needle)) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

namespace {

// Length of a white-space character at s[i], or 0.
inline size_t SpaceAt(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiSpace(static_cast<char>(c)) ? 1 : 0;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x80) {
    return 3;
  }
  return 0;
}

// Length of a white-space character ending at s[end-1], or 0.
inline size_t SpaceBefore(std::string_view s, size_t end) {
  const unsigned char c = static_cast<unsigned char>(s[end - 1]);
  if (c < 0x80) return IsAsciiSpace(static_cast<char>(c)) ? 1 : 0;
  if (end >= 2 && c == 0xA0 && static_cast<unsigned char>(s[end - 2]) == 0xC2) return 2;
  if (end >= 3 && c == 0x80 && static_cast<unsigned char>(s[end - 2]) == 0x80 &&
      static_cast<unsigned char>(s[end - 3]) == 0xE3) {
    return 3;
  }
  return 0;
}

}  // namespace

size_t LeadingSpaceLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = SpaceAt(s, i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

size_t TrailingSpaceLength(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    const size_t n = SpaceBefore(s, end);
    if (n == 0) break;
    end -= n;
  }
  return s.size() - end;
}

std::string_view TrimSpace(std::string_view s) {
  s.remove_prefix(LeadingSpaceLength(s));
  s.remove_suffix(TrailingSpaceLength(s));
  return s;
}

bool IsBlank(std::string_view s) { return LeadingSpaceLength(s) == s.size(); }

void TidyLines(std::string* s) {
  std::string out;
  out.reserve(s->size());
  std::string_view rest(*s);
  while (true) {
    const size_t nl = rest.find('\n');
    std::string_view line = TrimSpace(rest.substr(0, nl));
    if (!line.empty()) {
      if (!out.empty()) out.push_back('\n');
      out.append(line);
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  *s = std::move(out);
}

size_t LineCursor::NextOf(char c, size_t* cached) {
  if (*cached < pos_ || *cached == std::string_view::npos) {
    const void* hit = std::memchr(text_.data() + pos_, c, end_ - pos_);
    *cached = hit ? static_cast<size_t>(static_cast<const char*>(hit) - text_.data()) : end_;
  }
  return *cached;
}

bool LineCursor::Next(size_t* begin, size_t* end, bool* form_feed) {
  *form_feed = false;
  if (pos_ >= end_) return false;
  const char* base = text_.data();
  const size_t i =
      std::min({NextOf('\n', &next_lf_), NextOf('\r', &next_cr_), NextOf('\f', &next_ff_)});
  *begin = pos_;
  *end = i;
  if (i >= end_) {
    pos_ = end_;
    return true;
  }
  size_t next = i + 1;
  if (base[i] == '\f') {
    *form_feed = true;
    if (next < end_ && base[next] == '\r') ++next;
    if (next < end_ && base[next] == '\n') ++next;
  } else if (base[i] == '\r') {
    if (next < end_ && base[next] == '\n') ++next;
  }
  pos_ = next;
  return true;
}

Block& BlockSink::Add(BlockKind kind, size_t begin, size_t end) {
  Block& block = doc_->blocks.emplace_back();
  block.kind = kind;
  block.page = page_;
  block.source_begin = begin;
  block.source_end = end;
  return block;
}

void BlockSink::Line(std::string text, size_t begin, size_t end) {
  Add(BlockKind::kLine, begin, end).text = std::move(text);
}

void BlockSink::Heading(std::string text, int level, size_t begin, size_t end) {
  Block& block = Add(BlockKind::kHeading, begin, end);
  block.text = std::move(text);
  block.level = level;
}

void BlockSink::Blank(size_t begin, size_t end) {
  // Not at the top of a page either: after a final form feed, a blank line
  // would sit on a page the document does not count.
  if (doc_->blocks.empty() || doc_->blocks.back().kind == BlockKind::kBlank ||
      doc_->blocks.back().page != page_) {
    return;
  }
  Add(BlockKind::kBlank, begin, end);
}

void BlockSink::Row(std::vector<std::string> cells, int table, bool header, size_t begin,
                    size_t end) {
  Block& block = Add(BlockKind::kTableRow, begin, end);
  block.cells = std::move(cells);
  block.table = table;
  block.header = header;
}

size_t BlockSink::last_index() const {
  return doc_->blocks.empty() ? std::string::npos : doc_->blocks.size() - 1;
}

}  // namespace fiscdex::ingest::internal
