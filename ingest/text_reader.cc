// Plain text: one block per line, TAB-separated lines as table rows, form
// feeds as page breaks. Word-processor exports leave HTML in some lines and
// cells; it is rendered where a known tag shows that the text is markup.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/inline_markup.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// Renders one line or cell: HTML where it has known tags, else the trimmed text.
std::string RenderPiece(std::string_view piece) {
  std::string out;
  if (piece.find('<') != std::string_view::npos && RenderTextWithHtml(piece, &out)) return out;
  out.assign(TrimSpace(piece));
  return out;
}

}  // namespace

void ReadPlainText(Document* doc) {
  const std::string& text = doc->text;
  doc->blocks.reserve(doc->blocks.size() +
                      static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  BlockSink sink(doc);
  LineCursor cursor(text);
  int page = 1;
  int last_content_page = 1;
  int table = -1;
  bool in_table = false;
  size_t begin;
  size_t end;
  bool form_feed;
  while (cursor.Next(&begin, &end, &form_feed)) {
    sink.set_page(page);
    const std::string_view line(text.data() + begin, end - begin);
    if (IsBlank(line)) {
      // An empty piece before a form feed is the page break itself, not a blank line.
      if (!(form_feed && line.empty())) sink.Blank(begin, end);
      in_table = false;
    } else if (std::memchr(line.data(), '\t', line.size()) != nullptr) {
      if (!in_table) {
        ++table;
        in_table = true;
      }
      std::vector<std::string> cells;
      size_t from = 0;
      while (true) {
        const size_t tab = line.find('\t', from);
        cells.push_back(RenderPiece(line.substr(from, tab - from)));
        if (tab == std::string_view::npos) break;
        from = tab + 1;
      }
      sink.Row(std::move(cells), table, /*header=*/false, begin, end);
      last_content_page = page;
    } else {
      in_table = false;
      std::string rendered = RenderPiece(line);
      if (!rendered.empty()) last_content_page = page;
      // A line of markup can hold several lines of text (<p>a</p><p>b</p>);
      // each becomes a line block over the same source range.
      size_t from = 0;
      while (from < rendered.size()) {
        size_t nl = rendered.find('\n', from);
        if (nl == std::string::npos) {
          sink.Line(from == 0 ? std::move(rendered) : rendered.substr(from), begin, end);
          break;
        }
        sink.Line(rendered.substr(from, nl - from), begin, end);
        from = nl + 1;
      }
    }
    if (form_feed) {
      ++page;
      in_table = false;
    }
  }
  doc->page_count = last_content_page;
}

}  // namespace fiscdex::ingest::internal
