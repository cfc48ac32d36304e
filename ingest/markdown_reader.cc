// Markdown (CommonMark with GitHub's tables), read line by line.
//
// Block structure is decided per physical line with one line of look-ahead
// (a table's delimiter row, a setext underline), which is all GFM needs for
// the constructs the blocks model: front matter, ATX and setext headings,
// fenced code, thematic breaks, pipe tables, block quotes and list items.
// List items and quotes are not nested structures here: their markers are
// removed and each line becomes a kLine. Inline syntax is rendered by
// RenderMarkdownInline. An HTML <table> block is handed to the HTML reader.
#include <string>
#include <string_view>
#include <vector>

#include "ingest/inline_markup.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

struct Line {
  size_t begin;
  size_t end;
  bool form_feed;
};

size_t CountLeading(std::string_view s, char c, size_t from = 0) {
  size_t i = from;
  while (i < s.size() && s[i] == c) ++i;
  return i - from;
}

// Up to three spaces of indentation, as CommonMark allows before block markers.
size_t SmallIndent(std::string_view s) {
  const size_t n = CountLeading(s, ' ');
  return n <= 3 ? n : std::string_view::npos;
}

// Bytes of "> " quote markers (possibly nested) at the start of `s`.
size_t BlockquotePrefixLength(std::string_view s) {
  size_t i = 0;
  while (true) {
    const size_t indent = CountLeading(s, ' ', i);
    if (indent > 3 || i + indent >= s.size() || s[i + indent] != '>') return i;
    i += indent + 1;
    if (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
}

// Fence opener: ``` or ~~~ (three or more) after up to three spaces.
bool IsFenceOpen(std::string_view s, char* fence_char, size_t* fence_length) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos || indent >= s.size()) return false;
  const char c = s[indent];
  if (c != '`' && c != '~') return false;
  const size_t run = CountLeading(s, c, indent);
  if (run < 3) return false;
  // A backtick fence's info string cannot hold a backtick (it would be code).
  if (c == '`' && s.find('`', indent + run) != std::string_view::npos) return false;
  *fence_char = c;
  *fence_length = run;
  return true;
}

bool IsFenceClose(std::string_view s, char fence_char, size_t fence_length) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos || indent >= s.size()) return false;
  const size_t run = CountLeading(s, fence_char, indent);
  return run >= fence_length && IsBlank(s.substr(indent + run));
}

// ATX heading: returns its level (1..6) and the heading text, or 0.
int AtxHeading(std::string_view s, std::string_view* content) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos) return 0;
  const size_t hashes = CountLeading(s, '#', indent);
  if (hashes < 1 || hashes > 6) return 0;
  const size_t after = indent + hashes;
  if (after < s.size() && s[after] != ' ' && s[after] != '\t') return 0;
  std::string_view rest = TrimSpace(s.substr(after));
  // The optional closing sequence: #s preceded by a space (or the whole rest).
  size_t closing = rest.size();
  while (closing > 0 && rest[closing - 1] == '#') --closing;
  if (closing == 0) {
    rest = {};
  } else if (closing < rest.size() && (rest[closing - 1] == ' ' || rest[closing - 1] == '\t')) {
    rest = TrimSpace(rest.substr(0, closing));
  }
  *content = rest;
  return static_cast<int>(hashes);
}

// Setext underline ("===" → 1, "---" → 2), or 0.
int SetextLevel(std::string_view s) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos || indent >= s.size()) return 0;
  const char c = s[indent];
  if (c != '=' && c != '-') return 0;
  const size_t run = CountLeading(s, c, indent);
  if (!IsBlank(s.substr(indent + run))) return 0;
  return c == '=' ? 1 : 2;
}

bool IsThematicBreak(std::string_view s) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos || indent >= s.size()) return false;
  const char c = s[indent];
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (size_t i = indent; i < s.size(); ++i) {
    if (s[i] == c) {
      ++count;
    } else if (s[i] != ' ' && s[i] != '\t') {
      return false;
    }
  }
  return count >= 3;
}

// Bytes of a list marker ("- ", "* ", "+ ", "1. ", "1) ") after any
// indentation, or 0.
size_t ListMarkerLength(std::string_view s) {
  size_t i = CountLeading(s, ' ');
  i += CountLeading(s, '\t', i);
  if (i >= s.size()) return 0;
  size_t marker_end;
  if (s[i] == '-' || s[i] == '*' || s[i] == '+') {
    marker_end = i + 1;
  } else {
    size_t j = i;
    while (j < s.size() && j - i < 9 && IsAsciiDigit(s[j])) ++j;
    if (j == i || j >= s.size() || (s[j] != '.' && s[j] != ')')) return 0;
    marker_end = j + 1;
  }
  if (marker_end == s.size()) return marker_end;  // an empty item
  if (s[marker_end] != ' ' && s[marker_end] != '\t') return 0;
  return marker_end + 1;
}

// "[label]: destination" lines define link targets and show nothing.
bool IsLinkReferenceDefinition(std::string_view s) {
  const size_t indent = SmallIndent(s);
  if (indent == std::string_view::npos || indent >= s.size() || s[indent] != '[') return false;
  const size_t close = s.find("]:", indent + 1);
  if (close == std::string_view::npos || close == indent + 1) return false;
  if (s[indent + 1] == '^') return false;  // a footnote definition shows its text
  const std::string_view label = s.substr(indent + 1, close - indent - 1);
  if (label.find('[') != std::string_view::npos || label.find(']') != std::string_view::npos) {
    return false;
  }
  return !IsBlank(s.substr(close + 2));
}

// Splits a table row on unescaped pipes outside code spans, without the
// optional leading and trailing pipe. Cells are trimmed, not rendered.
std::vector<std::string_view> SplitTableRow(std::string_view s, bool* had_pipe) {
  s = TrimSpace(s);
  *had_pipe = false;
  std::vector<std::string_view> cells;
  if (!s.empty() && s[0] == '|') {
    *had_pipe = true;
    s.remove_prefix(1);
  }
  size_t start = 0;
  size_t i = 0;
  bool trailing_pipe = false;
  BacktickMatcher backticks(s);
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '`') {
      const size_t run = CountLeading(s, '`', i);
      const size_t close = backticks.FindClosing(i + run, run);
      i = close == std::string_view::npos ? i + run : close + run;
    } else if (c == '|') {
      *had_pipe = true;
      cells.push_back(TrimSpace(s.substr(start, i - start)));
      start = i + 1;
      ++i;
      trailing_pipe = i >= s.size();
    } else {
      ++i;
    }
  }
  if (!trailing_pipe) cells.push_back(TrimSpace(s.substr(std::min(start, s.size()))));
  return cells;
}

bool IsDelimiterCell(std::string_view cell) {
  if (cell.empty()) return false;
  size_t i = 0;
  if (cell[i] == ':') ++i;
  const size_t dashes = CountLeading(cell, '-', i);
  if (dashes == 0) return false;
  i += dashes;
  if (i < cell.size() && cell[i] == ':') ++i;
  return i == cell.size();
}

// A cell's text as GitHub shows it: "\|" is a pipe (even in a code span),
// the rest is inline Markdown.
std::string RenderCell(std::string_view cell) {
  if (cell.find("\\|") == std::string_view::npos) return RenderMarkdownInline(cell);
  std::string unescaped;
  unescaped.reserve(cell.size());
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size()) {
      if (cell[i + 1] != '|') unescaped.push_back('\\');
      unescaped.push_back(cell[i + 1]);
      ++i;
    } else {
      unescaped.push_back(cell[i]);
    }
  }
  return RenderMarkdownInline(unescaped);
}

void ParseFrontMatter(std::string_view text, const std::vector<Line>& lines, size_t last,
                      Document* doc) {
  for (size_t i = 1; i < last; ++i) {
    const std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    // Nested mappings, list items and comments are not key: value pairs.
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '-' || line[0] == '#') {
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = TrimSpace(line.substr(0, colon));
    std::string_view value = TrimSpace(line.substr(colon + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (key.empty() || value.empty()) continue;
    doc->properties.emplace_back(AsciiLowerCopy(key), std::string(value));
  }
}

// YAML front matter opens with a "key:" line; a "---" rule above prose does not.
bool LooksLikeYamlKey(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (IsAsciiAlnum(line[i]) || line[i] == '_' || line[i] == '-')) ++i;
  return i > 0 && IsAsciiAlpha(line[0]) && i < line.size() && line[i] == ':';
}

bool IsFrontMatterFence(std::string_view line, bool closing) {
  line = line.substr(0, line.size() - TrailingSpaceLength(line));
  return line == "---" || (closing && line == "...");
}

class MarkdownReader {
 public:
  explicit MarkdownReader(Document* doc) : doc_(doc), text_(doc->text), sink_(doc) {}

  void Run() {
    LineCursor cursor(text_);
    Line line;
    while (cursor.Next(&line.begin, &line.end, &line.form_feed)) lines_.push_back(line);
    doc_->blocks.reserve(doc_->blocks.size() + lines_.size());

    size_t i = 0;
    if (lines_.size() > 1 && IsFrontMatterFence(LineText(0), false) &&
        LooksLikeYamlKey(LineText(1))) {
      for (size_t j = 1; j < lines_.size(); ++j) {
        if (IsFrontMatterFence(LineText(j), true)) {
          ParseFrontMatter(text_, lines_, j, doc_);
          for (size_t k = 0; k <= j; ++k) EndLine(k);
          i = j + 1;
          break;
        }
      }
    }
    while (i < lines_.size()) i = ReadLine(i);

    int last_page = 1;
    for (const Block& block : doc_->blocks) {
      if (block.kind != BlockKind::kBlank) last_page = block.page;
    }
    doc_->page_count = last_page;
  }

 private:
  std::string_view LineText(size_t i) const {
    return text_.substr(lines_[i].begin, lines_[i].end - lines_[i].begin);
  }

  // The line without its quote markers, and where that content starts.
  std::string_view Content(size_t i, size_t* content_begin) const {
    const std::string_view raw = LineText(i);
    const size_t prefix = BlockquotePrefixLength(raw);
    *content_begin = lines_[i].begin + prefix;
    return raw.substr(prefix);
  }

  void EndLine(size_t i) {
    if (lines_[i].form_feed) ++page_;
  }

  // Reads the block structure at line i; returns the next line to read.
  size_t ReadLine(size_t i) {
    sink_.set_page(page_);
    const size_t begin = lines_[i].begin;
    const size_t end = lines_[i].end;
    const bool was_paragraph = previous_paragraph_;
    previous_paragraph_ = false;
    size_t content_begin;
    const std::string_view content = Content(i, &content_begin);

    if (fence_char_ != 0) {
      if (IsFenceClose(content, fence_char_, fence_length_)) {
        fence_char_ = 0;
      } else if (IsBlank(content)) {
        sink_.Blank(begin, end);
      } else {
        // Code is verbatim, less the fence's own indentation.
        const size_t strip = std::min(CountLeading(content, ' '), fence_indent_);
        sink_.Line(std::string(content.substr(strip)), begin, end);
      }
      EndLine(i);
      return i + 1;
    }

    if (table_columns_ > 0) {
      if (ReadTableRow(i, content, begin, end)) {
        EndLine(i);
        return i + 1;
      }
      table_columns_ = 0;
    }

    std::string_view heading;
    if (IsBlank(content)) {
      sink_.Blank(begin, end);
    } else if (IsFenceOpen(content, &fence_char_, &fence_length_)) {
      fence_indent_ = CountLeading(content, ' ');
    } else if (const int level = AtxHeading(content, &heading); level > 0) {
      EmitHeading(heading, level, begin, end);
    } else if (const int setext = was_paragraph ? SetextLevel(content) : 0; setext > 0) {
      Block& block = doc_->blocks[paragraph_block_];
      block.kind = BlockKind::kHeading;
      block.level = setext;
      block.source_end = end;
    } else if (IsThematicBreak(content)) {
      sink_.Blank(begin, end);
    } else if (size_t next = TryTable(i, content); next > i) {
      return next;
    } else if (size_t after_html = TryHtmlTable(i, content, content_begin); after_html > i) {
      return after_html;
    } else if (IsLinkReferenceDefinition(content)) {
      // shows nothing
    } else {
      const size_t marker = ListMarkerLength(content);
      const size_t emitted = EmitLines(RenderMarkdownInline(content.substr(marker)), begin, end);
      // Only a plain paragraph line can become a setext heading.
      if (marker == 0 && emitted == 1) {
        previous_paragraph_ = true;
        paragraph_block_ = sink_.last_index();
      }
    }
    EndLine(i);
    return i + 1;
  }

  void EmitHeading(std::string_view raw, int level, size_t begin, size_t end) {
    std::string text = RenderMarkdownInline(raw);
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    sink_.Heading(std::move(text), level, begin, end);
  }

  // One kLine per rendered line (a <br> splits them); returns how many.
  size_t EmitLines(const std::string& rendered, size_t begin, size_t end) {
    size_t count = 0;
    size_t from = 0;
    while (from < rendered.size()) {
      size_t nl = rendered.find('\n', from);
      if (nl == std::string::npos) nl = rendered.size();
      if (nl > from) {
        sink_.Line(rendered.substr(from, nl - from), begin, end);
        ++count;
      }
      from = nl + 1;
    }
    return count;
  }

  // A header row followed by a delimiter row with as many cells starts a
  // table. Returns the line after the delimiter row, or i when no table starts.
  size_t TryTable(size_t i, std::string_view content) {
    if (i + 1 >= lines_.size() || content.find('|') == std::string_view::npos) return i;
    bool header_pipe;
    std::vector<std::string_view> header = SplitTableRow(content, &header_pipe);
    if (!header_pipe) return i;
    size_t delimiter_begin;
    const std::string_view delimiter_line = Content(i + 1, &delimiter_begin);
    if (delimiter_line.find('-') == std::string_view::npos) return i;
    bool delimiter_pipe;
    std::vector<std::string_view> delimiter = SplitTableRow(delimiter_line, &delimiter_pipe);
    if (!delimiter_pipe || delimiter.size() != header.size()) return i;
    for (std::string_view cell : delimiter) {
      if (!IsDelimiterCell(cell)) return i;
    }
    table_columns_ = header.size();
    table_index_ = next_table_++;
    std::vector<std::string> cells;
    cells.reserve(header.size());
    for (std::string_view cell : header) cells.push_back(RenderCell(cell));
    sink_.Row(std::move(cells), table_index_, /*header=*/true, lines_[i].begin, lines_[i].end);
    EndLine(i);
    EndLine(i + 1);
    return i + 2;
  }

  // A body row of the open table; false when the line ends the table.
  bool ReadTableRow(size_t i, std::string_view content, size_t begin, size_t end) {
    if (IsBlank(content)) return false;
    std::string_view ignored;
    char fence_char;
    size_t fence_length;
    if (AtxHeading(content, &ignored) > 0 || IsFenceOpen(content, &fence_char, &fence_length) ||
        (IsThematicBreak(content) && content.find('|') == std::string_view::npos)) {
      return false;
    }
    bool had_pipe;
    std::vector<std::string_view> raw = SplitTableRow(content, &had_pipe);
    // GFM would also take a pipe-less line as a one-cell row; a note written
    // under a table without a blank line reads better as its own paragraph.
    if (!had_pipe) return false;
    std::vector<std::string> cells(table_columns_);
    for (size_t c = 0; c < table_columns_ && c < raw.size(); ++c) cells[c] = RenderCell(raw[c]);
    sink_.Row(std::move(cells), table_index_, /*header=*/false, begin, end);
    return true;
  }

  // An HTML <table> block; returns the line after it, or i when none starts here.
  size_t TryHtmlTable(size_t i, std::string_view content, size_t content_begin) {
    const size_t indent = SmallIndent(content);
    if (indent == std::string_view::npos ||
        !StartsWithIgnoreCase(content.substr(indent), "<table") ||
        (content.size() > indent + 6 && IsAsciiAlnum(content[indent + 6]))) {
      return i;
    }
    // Find the matching </table>, counting nested tables.
    size_t pos = content_begin + indent + 6;
    int depth = 1;
    size_t range_end = std::string_view::npos;
    while (depth > 0) {
      // Remembering where no "</table" follows keeps many unclosed tables linear.
      if (pos >= no_table_close_from_) break;
      const size_t close = FindIgnoreCase(text_, "</table", pos);
      if (close == std::string_view::npos) {
        no_table_close_from_ = pos;
        break;
      }
      const size_t open = FindIgnoreCase(text_.substr(0, close), "<table", pos);
      if (open != std::string_view::npos && open < close) {
        ++depth;
        pos = open + 6;
        continue;
      }
      --depth;
      const size_t gt = text_.find('>', close);
      pos = gt == std::string_view::npos ? text_.size() : gt + 1;
      if (depth == 0) range_end = pos;
    }
    size_t last = i;
    if (range_end == std::string_view::npos) {
      // Unterminated: the HTML block ends at a blank line, as in CommonMark.
      while (last + 1 < lines_.size() && !IsBlank(LineText(last + 1))) ++last;
      range_end = lines_[last].end;
    } else {
      while (last + 1 < lines_.size() && lines_[last].end < range_end) ++last;
    }
    ReadHtmlRange(doc_, content_begin + indent, range_end, &sink_, &next_table_,
                  /*properties=*/false);
    for (size_t k = i; k <= last; ++k) EndLine(k);
    return last + 1;
  }

  Document* doc_;
  std::string_view text_;
  BlockSink sink_;
  std::vector<Line> lines_;
  int page_ = 1;
  int next_table_ = 0;
  int table_index_ = -1;
  size_t table_columns_ = 0;
  char fence_char_ = 0;
  size_t fence_length_ = 0;
  size_t fence_indent_ = 0;
  bool previous_paragraph_ = false;
  size_t paragraph_block_ = 0;
  size_t no_table_close_from_ = std::string_view::npos;
};

}  // namespace

void ReadMarkdown(Document* doc) {
  MarkdownReader reader(doc);
  reader.Run();
}

}  // namespace fiscdex::ingest::internal
