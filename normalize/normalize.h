// Text normalization with ICU: NFKC, variant folding, page furniture removal,
// and unwrapping of lines broken mid-sentence.
//
// The normalized document keeps the block structure of ingest/document.h (so
// the extractor still sees lines, headings and table rows) and every block
// keeps the byte range of its source in the original text. Passages are the
// searchable units: paragraphs (wrapped lines joined), headings, table rows.
#ifndef FISCDEX_NORMALIZE_NORMALIZE_H_
#define FISCDEX_NORMALIZE_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.h"

namespace fiscdex::normalize {

// NFKC (full-width ASCII → half-width, half-width kana → full-width,
// ideographic space → ' '). The wave dash 〜 and the hyphen variants are kept
// as printed: the criterion-ID grammar reads them as range and sub-number
// separators, and answers quote the document as written. Safe on any UTF-8;
// invalid sequences become U+FFFD.
std::string NormalizeText(std::string_view utf8);

// NormalizeText plus case folding and the folding of tilde/wave-dash (to '~')
// and hyphen variants (to '-'): the form the search tokenizer indexes and
// queries are compared in.
std::string FoldForSearch(std::string_view utf8);

struct Passage {
  std::string text;       // normalized; a table row's cells joined with " | "
  int page = 1;
  size_t source_begin = 0;  // byte range in the original Document::text
  size_t source_end = 0;
};

struct NormalizedDocument {
  // Normalized blocks, same kinds as the source. Repeated page headers and
  // footers are removed. Lines are NOT joined here: the extractor needs the
  // line structure (an ID alone on a line starts a record).
  std::vector<ingest::Block> blocks;
  // Lines removed as page headers/footers, normalized, in order. Metadata
  // (edition, date) often sits only there.
  std::vector<ingest::Block> furniture;
  // Indices into `blocks` of the first block after each removed band of page
  // furniture: where a page (of the printed original) began, even in a text
  // dump without form feeds. Ascending.
  std::vector<size_t> furniture_breaks;
  // Searchable passages: every text of the document, furniture excepted.
  std::vector<Passage> passages;
};

// REQUIRES: doc.blocks parsed.
NormalizedDocument Normalize(const ingest::Document& doc);

}  // namespace fiscdex::normalize

#endif  // FISCDEX_NORMALIZE_NORMALIZE_H_
