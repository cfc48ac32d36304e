// Document metadata: vendor, FISC edition, date, title.
#ifndef FISCDEX_EXTRACT_METADATA_H_
#define FISCDEX_EXTRACT_METADATA_H_

#include <vector>

#include "extract/record.h"
#include "ingest/document.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {

// Reads the metadata from the document's properties (front matter, HTML
// meta), its opening lines, its page furniture and, for the vendor, the
// answers themselves ("Xは、…" as the subject of most answers).
DocumentMetadata ExtractMetadata(const ingest::Document& doc,
                                 const normalize::NormalizedDocument& normalized,
                                 const std::vector<CriterionRecord>& records);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_METADATA_H_
