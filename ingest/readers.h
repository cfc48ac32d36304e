// The format readers behind ParseText (ingest/ingest.h). Internal to ingest/.
//
// Each reader fills doc->blocks, doc->page_count and doc->properties from
// doc->text, which the caller has decoded to UTF-8. Readers never fail on
// malformed markup: they read it the way a browser or Markdown viewer would.
#ifndef FISCDEX_INGEST_READERS_H_
#define FISCDEX_INGEST_READERS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "ingest/document.h"
#include "ingest/ingest.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {

void ReadPlainText(Document* doc);
void ReadMarkdown(Document* doc);
void ReadHtml(Document* doc);
void ReadCsv(Document* doc);

// The CSV delimiter among ',', ';' and TAB that splits the first records of
// `text` into the most rows of one width (two columns or more); ',' when
// none does.
char SniffCsvDelimiter(std::string_view text);

// True when the first records of `text` are comma- or semicolon-separated
// with one width of two columns or more (at least three records). TAB rows
// are left to the plain-text reader. `truncated`: `text` is a prefix of the
// file, so its last record may be incomplete.
bool LooksLikeCsv(std::string_view text, bool truncated);

// The "%PDF-" signature within the first kilobyte, where PDF readers look.
bool HasPdfSignature(std::string_view bytes);

// DecodeText on bytes the caller hands over: valid UTF-8 without a BOM (the
// common case) becomes the result without a copy.
Result<DecodedText> DecodeOwnedText(std::string bytes);

// LoadBytes on bytes the caller hands over (LoadFile's buffer), whose hash
// is known: no copy of the file in the common case.
Result<Document> LoadOwnedBytes(const std::string& path, std::string bytes,
                                std::string content_hash, const LoadOptions& options);

// Reads a PDF (pdf_reader.cc, through the module pdf_module.h loads on the
// first PDF). `doc` has path, size and hash set. When the module cannot be
// loaded: Status::Unsupported naming it.
Result<Document> ReadPdf(Document doc, std::string bytes, const LoadOptions& options);

// Reads doc->text[begin, end) as HTML into `sink` (a Markdown file's HTML
// table, or a whole HTML file). Tables are numbered from *next_table on,
// which is advanced past the tables read. With `properties` set, <title> and
// <meta name=... content=...> are added to doc->properties.
void ReadHtmlRange(Document* doc, size_t begin, size_t end, BlockSink* sink, int* next_table,
                   bool properties);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_READERS_H_
