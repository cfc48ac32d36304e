// Terminal-facing helpers of the CLI: whether a stream is a terminal, how
// wide text is on screen (CJK characters take two columns), line wrapping
// by Unicode line-break rules (no line starts with 。 or 」), and the
// redrawn progress line of `ingest`. Internal to tools/.
#ifndef FISCDEX_TOOLS_TERMINAL_H_
#define FISCDEX_TOOLS_TERMINAL_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex::cli {

// True when `stream` is a terminal.
bool IsTerminal(FILE* stream);

// The width of the terminal on `stream`, or `fallback` when it is not one.
int TerminalColumns(FILE* stream, int fallback = 80);

// Columns `utf8` takes on a terminal: East Asian wide and full-width
// characters count 2, combining marks 0, everything else 1.
int DisplayWidth(std::string_view utf8);

// Pads `utf8` with spaces to `columns` display columns (no-op if wider).
std::string PadToWidth(std::string_view utf8, int columns);

// The tail of `utf8` that fits in `columns`, led by "…" when cut.
std::string TailToWidth(std::string_view utf8, int columns);

// Wraps `utf8` into lines of at most `columns` display columns, breaking
// where Japanese and Latin line-breaking rules allow; '\n' always breaks.
// A word wider than `columns` is cut between characters. Trailing spaces of
// a line are dropped. REQUIRES: columns >= 1.
std::vector<std::string> WrapText(std::string_view utf8, int columns);

// A file name as one line of valid UTF-8, for messages: control characters
// (a newline in a name would break the one-line-per-error rule) become C
// escapes and bytes that are not UTF-8 become \xNN, so every name stays
// distinguishable.
std::string PrintableName(std::string_view name);

// The line `ingest` redraws on stderr: files done/total, a bar, throughput,
// time left and the last file. Draws nothing unless enabled. Redraws at
// most every 100 ms so the terminal is never the bottleneck. Not
// thread-safe.
class ProgressLine {
 public:
  ProgressLine(bool enabled, size_t total_files, uint64_t total_bytes);
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `done` files finished, `bytes` of `total_bytes` read so far, `path`
  // the last one.
  void Update(size_t done, uint64_t bytes, std::string_view path);
  // Erases the line (before an error line is printed, and at the end).
  void Clear();

  // The text of the line, without the terminal codes (for tests).
  static std::string Format(size_t done, size_t total_files, uint64_t bytes,
                            uint64_t total_bytes, double seconds, std::string_view path,
                            int columns);

 private:
  bool enabled_;
  size_t total_;
  uint64_t total_bytes_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace fiscdex::cli

#endif  // FISCDEX_TOOLS_TERMINAL_H_
