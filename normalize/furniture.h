// Page furniture (repeated headers, footers, page numbers) and passages.
#ifndef FISCDEX_NORMALIZE_FURNITURE_H_
#define FISCDEX_NORMALIZE_FURNITURE_H_

#include <vector>

#include "ingest/document.h"
#include "normalize/normalize.h"

namespace fiscdex::normalize {

// Marks the blocks that are page furniture. With real pages (page_count > 1)
// furniture is a line that recurs in the top or bottom band of several pages,
// or a page number there. In plain text without page breaks (a dump of a
// printed document), it is a line that recurs at least three times spread
// far apart (a header printed on every page), plus the lines that recur next
// to such lines (the rest of the header band). Lines close together that
// repeat (an answer marker on consecutive rows) are never furniture. Other
// formats without pages have none.
std::vector<bool> FindFurniture(const std::vector<ingest::Block>& blocks, int page_count,
                                ingest::Format format);

// Paragraphs (consecutive lines joined), headings and table rows, in order.
std::vector<Passage> BuildPassages(const std::vector<ingest::Block>& blocks);

}  // namespace fiscdex::normalize

#endif  // FISCDEX_NORMALIZE_FURNITURE_H_
