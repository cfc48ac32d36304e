#include "tools/terminal.h"

#include <sys/ioctl.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/utf8.h"

namespace fiscdex::cli {
namespace {

int CodePointWidth(UChar32 c) {
  if (c < 0) return 1;  // an invalid byte; terminals show a replacement mark
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR) return 0;
  const int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
}

std::string_view TrimTrailingSpaces(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The line-break rules are loaded once; each WrapText call clones the
// prototype (cheap) so concurrent calls never share iterator state.
const icu::BreakIterator* LineBreakPrototype() {
  static const icu::BreakIterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* it =
        icu::BreakIterator::createLineInstance(icu::Locale::getJapanese(), status);
    if (U_FAILURE(status)) {
      delete it;
      return static_cast<icu::BreakIterator*>(nullptr);
    }
    return it;
  }();
  return prototype;
}

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

// Appends the code points of `segment` to `*line` (width `*width`), pushing
// full lines to `out`: the fallback for a word wider than the line.
void CutByCharacters(std::string_view segment, int columns, std::string* line, int* width,
                     std::vector<std::string>* out) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(segment.size());
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(segment.data(), i, n, c);
    const int w = CodePointWidth(c);
    if (*width + w > columns && !line->empty()) {
      out->emplace_back(TrimTrailingSpaces(*line));
      line->clear();
      *width = 0;
    }
    line->append(segment.data() + start, static_cast<size_t>(i - start));
    *width += w;
  }
}

void WrapLine(std::string_view text, int columns, std::vector<std::string>* out) {
  std::string line;
  int width = 0;
  auto add_segment = [&](std::string_view segment) {
    const int visible = DisplayWidth(TrimTrailingSpaces(segment));
    if (width + visible > columns && !line.empty()) {
      out->emplace_back(TrimTrailingSpaces(line));
      line.clear();
      width = 0;
    }
    if (visible > columns) {
      CutByCharacters(segment, columns, &line, &width, out);
    } else {
      line.append(segment);
      width += DisplayWidth(segment);
    }
  };

  std::unique_ptr<icu::BreakIterator> breaker;
  std::unique_ptr<UText, UTextCloser> utext;
  if (const icu::BreakIterator* prototype = LineBreakPrototype()) {
    UErrorCode status = U_ZERO_ERROR;
    utext.reset(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    if (U_SUCCESS(status)) {
      breaker.reset(prototype->clone());
      if (breaker) breaker->setText(utext.get(), status);
      if (U_FAILURE(status)) breaker.reset();
    }
  }
  if (breaker) {
    // On UTF-8 UText, break positions are byte offsets into `text`.
    int32_t prev = 0;
    for (int32_t pos = breaker->next(); pos != icu::BreakIterator::DONE; pos = breaker->next()) {
      add_segment(text.substr(static_cast<size_t>(prev), static_cast<size_t>(pos - prev)));
      prev = pos;
    }
  } else {
    // Without ICU's break rules (no data): break anywhere.
    CutByCharacters(text, columns, &line, &width, out);
  }
  out->emplace_back(TrimTrailingSpaces(line));
}

}  // namespace

bool IsTerminal(FILE* stream) { return isatty(fileno(stream)) == 1; }

int TerminalColumns(FILE* stream, int fallback) {
  winsize ws{};
  if (ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return fallback;
}

int DisplayWidth(std::string_view utf8) {
  int width = 0;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    const unsigned char b = static_cast<unsigned char>(utf8[static_cast<size_t>(i)]);
    if (b < 0x80) {  // ASCII fast path
      width += (b >= 0x20 && b != 0x7F) ? 1 : 0;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    width += CodePointWidth(c);
  }
  return width;
}

std::string PadToWidth(std::string_view utf8, int columns) {
  std::string out(utf8);
  const int width = DisplayWidth(utf8);
  if (width < columns) out.append(static_cast<size_t>(columns - width), ' ');
  return out;
}

std::string TailToWidth(std::string_view utf8, int columns) {
  if (DisplayWidth(utf8) <= columns) return std::string(utf8);
  static constexpr std::string_view kEllipsis = "…";
  int width = 1;  // the ellipsis
  int32_t i = static_cast<int32_t>(utf8.size());
  while (i > 0) {
    int32_t prev = i;
    UChar32 c;
    U8_PREV(utf8.data(), 0, prev, c);
    const int w = CodePointWidth(c);
    if (width + w > columns) break;
    width += w;
    i = prev;
  }
  std::string out(kEllipsis);
  out.append(utf8.substr(static_cast<size_t>(i)));
  return out;
}

std::vector<std::string> WrapText(std::string_view utf8, int columns) {
  std::vector<std::string> out;
  if (columns < 1) columns = 1;
  size_t start = 0;
  while (true) {
    const size_t newline = utf8.find('\n', start);
    const std::string_view line = utf8.substr(
        start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    if (line.empty()) {
      out.emplace_back();
    } else {
      WrapLine(line, columns, &out);
    }
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  return out;
}

std::string PrintableName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const char* escape = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : nullptr;
    const int length = WellFormedUtf8Length(name, i);
    if (escape != nullptr) {
      out += escape;
      ++i;
    } else if (c < 0x20 || c == 0x7F || length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
    } else {
      out.append(name.substr(i, static_cast<size_t>(length)));
      i += static_cast<size_t>(length);
    }
  }
  return out;
}

ProgressLine::ProgressLine(bool enabled, size_t total_files, uint64_t total_bytes)
    : enabled_(enabled),
      total_(total_files),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()) {}

namespace {

std::string Duration(double seconds) {
  const long s = std::lround(seconds);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  }
  return text;
}

}  // namespace

std::string ProgressLine::Format(size_t done, size_t total_files, uint64_t bytes,
                                 uint64_t total_bytes, double seconds, std::string_view path,
                                 int columns) {
  // The bar follows bytes, the work that takes time; files that need no
  // reading (unchanged) would otherwise make it jump.
  constexpr int kBarWidth = 20;
  const double fraction =
      total_bytes > 0 ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes))
                      : (total_files > 0 ? static_cast<double>(done) / total_files : 1.0);
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::string line = "[";
  line.append(static_cast<size_t>(filled), '=');
  line.append(static_cast<size_t>(kBarWidth - filled), ' ');
  line += "] ";
  char counts[64];
  std::snprintf(counts, sizeof counts, "%zu/%zu files", done, total_files);
  line += counts;
  // Rates and ETA once there is something to measure.
  if (seconds > 0.5 && bytes > 0) {
    const double rate = static_cast<double>(bytes) / seconds;
    char speed[32];
    std::snprintf(speed, sizeof speed, ", %.1f MB/s", rate / 1e6);
    line += speed;
    if (total_bytes > bytes) {
      line += ", ETA " + Duration(static_cast<double>(total_bytes - bytes) / rate);
    }
  }
  line += "  ";
  // One column is kept free: writing the last column makes some terminals
  // wrap, and \r would then redraw on the wrong line.
  const int room = columns - 1 - DisplayWidth(line);
  if (room > 1) {
    line += TailToWidth(PrintableName(path), room);
  } else if (room < 0) {
    line.resize(static_cast<size_t>(std::max(0, columns - 1)));  // all ASCII so far
  }
  return line;
}

void ProgressLine::Update(size_t done, uint64_t bytes, std::string_view path) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r\x1b[K" + Format(done, total_, bytes, total_bytes_, seconds, path,
                                          TerminalColumns(stderr));
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace fiscdex::cli
