// The document model every input format is read into.
//
// A Document is the decoded text of one file plus its structure as a flat
// list of Blocks in reading order: lines of running text, headings, blank
// lines (paragraph breaks) and table rows. Every reader (plain text, Markdown,
// HTML, CSV, and PDF pages rebuilt from word boxes) produces this same shape,
// so normalize/ and extract/ never look at the container format. Markup is
// already rendered: a Block's text is what a reader of the document sees.
#ifndef FISCDEX_INGEST_DOCUMENT_H_
#define FISCDEX_INGEST_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscdex::ingest {

enum class Format { kText, kMarkdown, kHtml, kCsv, kPdf };

// "text", "markdown", "html", "csv", "pdf": the names used in JSON and the index.
std::string_view FormatName(Format format);

enum class BlockKind {
  kLine,      // one line of running text (a list item or blockquote line, marker removed)
  kHeading,   // a heading; `level` is 1..6
  kBlank,     // a paragraph break (blank line, </p>, end of a list)
  kTableRow,  // one row of a table; `cells` holds its cells
};

struct Block {
  BlockKind kind = BlockKind::kLine;
  // kLine, kHeading: the rendered text, without the trailing newline.
  std::string text;
  // kTableRow: the rendered cells, in column order. A line break inside a cell
  // (<br>, <p>, a wrapped PDF cell) is '\n'. An empty cell is "".
  std::vector<std::string> cells;
  // kHeading: 1..6. Otherwise 0.
  int level = 0;
  // kTableRow: which table of the document the row belongs to (0-based,
  // counting tables in reading order). -1 for other kinds.
  int table = -1;
  // kTableRow: true where the format marks the row as a header (Markdown's
  // first row, HTML <thead>/<th>-only rows). Plain text and CSV never set it;
  // the extractor infers header rows there.
  bool header = false;
  // kTableRow: empty, or one flag per cell: true where the cell is the
  // continuation of a cell merged over several rows (HTML rowspan, a PDF
  // cell spanning rows). Its text repeats the merged cell's text. The
  // extractor gives all rows of one merged answer cell one group.
  std::vector<bool> merged_from_above;
  // 1-based page. Plain text: form feeds split pages. PDF: the page it is on.
  int page = 1;
  // True where the reader knows the block is page furniture (a PDF's running
  // header or footer, found by its position on the page). normalize/ sets it
  // aside as furniture whatever its own text-based rules say.
  bool furniture = false;
  // The byte range of the block in Document::text.
  size_t source_begin = 0;
  size_t source_end = 0;
};

struct Document {
  std::string path;             // as given by the user
  Format format = Format::kText;
  std::string encoding;         // detected: "UTF-8", "UTF-16LE", "UTF-16BE", "Shift_JIS", "EUC-JP"
  std::string content_hash;     // hex digest of the file's bytes, as read
  uint64_t size_bytes = 0;      // of the file, as read
  std::string text;             // the whole decoded text, UTF-8
  std::vector<Block> blocks;    // the structure, in reading order
  int page_count = 1;
  // Document properties the container states outright: YAML front matter
  // keys of Markdown (`title`, `updated`, `date`, `author`, ...), HTML <title>
  // and <meta name=...>, PDF info (Title, Author, CreationDate). In order of
  // appearance; keys lower-cased.
  std::vector<std::pair<std::string, std::string>> properties;
  // Problems that did not stop the reading, one sentence each, without the
  // path (e.g. a PDF without a text layer). The CLI prints them as warnings.
  std::vector<std::string> warnings;
};

}  // namespace fiscdex::ingest

#endif  // FISCDEX_INGEST_DOCUMENT_H_
