// Format detection. The content decides where it is unambiguous (a PDF
// signature, an HTML document prologue); otherwise the extension decides
// when it names a format; for .txt and extension-less files the content is
// weighed: Markdown needs front matter, a pipe table, or several Markdown
// constructs outnumbering the TAB-separated rows that plain-text exports of
// tables are made of (such a file reads better as text, whose reader turns
// TAB rows into table rows).
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest {
namespace {

using internal::IsAsciiSpace;
using internal::StartsWithIgnoreCase;

// Bytes of content examined: detection must stay cheap on huge files.
constexpr size_t kSampleBytes = 64 * 1024;
constexpr size_t kCsvSampleBytes = 16 * 1024;

std::string LowerExtension(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return internal::AsciiLowerCopy(name.substr(dot + 1));
}

std::string_view SkipLeadingSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  return s.substr(i);
}

// A whole HTML document: doctype, <html>, or an XML prologue before <html>.
bool LooksLikeHtmlDocument(std::string_view start) {
  if (StartsWithIgnoreCase(start, "<!doctype html") || StartsWithIgnoreCase(start, "<html")) {
    return true;
  }
  // Comments before the document element.
  while (start.substr(0, 4) == "<!--") {
    const size_t close = start.find("-->");
    if (close == std::string_view::npos) return false;
    start = SkipLeadingSpace(start.substr(close + 3));
    if (StartsWithIgnoreCase(start, "<!doctype html") || StartsWithIgnoreCase(start, "<html")) {
      return true;
    }
  }
  if (StartsWithIgnoreCase(start, "<?xml")) {
    return internal::FindIgnoreCase(start.substr(0, 4096), "<html") != std::string_view::npos;
  }
  return false;
}

// An HTML fragment: the text opens with a block element and closes it.
bool LooksLikeHtmlFragment(std::string_view start) {
  static constexpr std::string_view kOpeners[] = {
      "<head", "<body", "<table", "<div",     "<p>",      "<p ",   "<h1",   "<h2",
      "<h3",   "<ul",   "<ol",    "<section", "<article", "<meta", "<title"};
  for (std::string_view opener : kOpeners) {
    if (!StartsWithIgnoreCase(start, opener)) continue;
    std::string closer = "</";
    closer += opener.substr(1);
    while (!closer.empty() && (closer.back() == '>' || closer.back() == ' ')) closer.pop_back();
    if (opener == "<meta") return true;
    return internal::FindIgnoreCase(start, closer) != std::string_view::npos;
  }
  return false;
}

// A TAB after the first visible character separates cells; leading TABs
// only indent (source code, HTML, nested lists).
bool HasInteriorTab(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line.find('\t', first) != std::string_view::npos;
}

size_t CountInteriorTabLines(std::string_view sample) {
  size_t count = 0;
  size_t pos = 0;
  while (pos < sample.size()) {
    size_t nl = sample.find('\n', pos);
    if (nl == std::string_view::npos) nl = sample.size();
    count += HasInteriorTab(sample.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return count;
}

bool IsDelimiterRow(std::string_view line) {
  bool pipe = false;
  bool dash = false;
  for (char c : line) {
    if (c == '|') {
      pipe = true;
    } else if (c == '-') {
      dash = true;
    } else if (c != ':' && c != ' ' && c != '\t') {
      return false;
    }
  }
  return pipe && dash;
}

bool LooksLikeMarkdown(std::string_view sample) {
  int evidence = 0;
  int tab_lines = 0;
  std::string_view previous;
  size_t line_number = 0;
  bool front_matter_open = false;
  size_t pos = 0;
  while (pos < sample.size()) {
    size_t nl = sample.find('\n', pos);
    if (nl == std::string_view::npos) nl = sample.size();
    std::string_view line = sample.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    ++line_number;

    if (line_number == 1 && line == "---") {
      front_matter_open = true;
    } else if (front_matter_open && (line == "---" || line == "...")) {
      if (line_number > 2) return true;
      front_matter_open = false;
    }
    if (HasInteriorTab(line)) ++tab_lines;
    if (IsDelimiterRow(line) && previous.find('|') != std::string_view::npos) return true;
    size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes >= 1 && hashes <= 6 && hashes < line.size() && line[hashes] == ' ') ++evidence;
    if (line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~") ++evidence;
    if (!previous.empty() && line.size() >= 3 &&
        line.find_first_not_of('=') == std::string_view::npos) {
      ++evidence;
    }
    if (line.find("](") != std::string_view::npos && line.find('[') != std::string_view::npos) {
      ++evidence;
    }
    previous = line;
  }
  return evidence >= 3 && tab_lines * 2 <= evidence;
}

}  // namespace

namespace internal {

bool HasPdfSignature(std::string_view bytes) {
  // PDF readers accept the signature anywhere in the first kilobyte.
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

}  // namespace internal

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kText:
      return "text";
    case Format::kMarkdown:
      return "markdown";
    case Format::kHtml:
      return "html";
    case Format::kCsv:
      return "csv";
    case Format::kPdf:
      return "pdf";
  }
  return "text";
}

Format DetectFormat(std::string_view path, std::string_view content) {
  if (internal::HasPdfSignature(content)) return Format::kPdf;

  std::string_view sample = content.substr(0, kSampleBytes);
  if (sample.substr(0, 3) == "\xEF\xBB\xBF") sample.remove_prefix(3);
  const std::string_view start = SkipLeadingSpace(sample);
  if (LooksLikeHtmlDocument(start)) return Format::kHtml;

  const std::string ext = LowerExtension(path);
  if (ext == "html" || ext == "htm" || ext == "xhtml") return Format::kHtml;
  if (ext == "csv" || ext == "tsv") return Format::kCsv;
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd" || ext == "mkdn") {
    return Format::kMarkdown;
  }
  // A text export that opens with a tag but is made of TAB rows stays text:
  // its reader renders the tags inside lines and cells.
  if (LooksLikeHtmlFragment(start) && CountInteriorTabLines(sample) < 3) return Format::kHtml;
  if (LooksLikeMarkdown(sample)) return Format::kMarkdown;
  // CSV needs only its first records; a stray quote in prose could otherwise
  // make the sniffer read the whole sample as one field, several times over.
  const std::string_view csv_sample = sample.substr(0, kCsvSampleBytes);
  const bool truncated = csv_sample.data() + csv_sample.size() < content.data() + content.size();
  if (internal::LooksLikeCsv(csv_sample, truncated)) return Format::kCsv;
  return Format::kText;
}

}  // namespace fiscdex::ingest
