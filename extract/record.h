// What the extractor finds in a document: criterion records and document
// metadata, in the shape of ../shared/EXTRACTION.md.
#ifndef FISCDEX_EXTRACT_RECORD_H_
#define FISCDEX_EXTRACT_RECORD_H_

#include <optional>
#include <string>
#include <vector>

namespace fiscdex::extract {

struct AnswerColumn {
  std::string header;
  std::string text;
};

struct CriterionRecord {
  std::string id;                    // canonical: 統1, 実103-1, 設83-1, 監1, 運5, 技12
  std::string answer;                // may be ""
  std::optional<std::string> title;  // the criterion's own text, where printed
  std::vector<std::string> group;    // every ID sharing this answer, in order
  int page = 1;
  std::vector<AnswerColumn> columns;  // only for tables with several answer columns
  size_t source_begin = 0;            // byte range in the original text
  size_t source_end = 0;
};

struct DocumentMetadata {
  std::optional<std::string> title;
  std::optional<std::string> vendor;
  std::optional<int> edition;        // FISC edition, 8..13
  std::optional<std::string> date;   // YYYY-MM-DD
};

struct Extraction {
  DocumentMetadata metadata;
  std::vector<CriterionRecord> records;  // one per ID, document order
};

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_RECORD_H_
