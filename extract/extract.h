// The extractor: criterion records and metadata from a normalized document.
#ifndef FISCDEX_EXTRACT_EXTRACT_H_
#define FISCDEX_EXTRACT_EXTRACT_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "extract/record.h"
#include "ingest/document.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {

// Finds every criterion record and the document's metadata. Never fails: a
// document without criteria gives no records. Thread-safe.
Extraction Extract(const ingest::Document& doc, const normalize::NormalizedDocument& normalized);

// If `text` (normalized or not) is exactly one criterion ID in any written
// form ("実8", "実 ８", "実務基準8", "【統1】"), returns its canonical form.
std::optional<std::string> ParseCriterionId(std::string_view text);

// The standard's criterion families in its order, with their names (統
// 統制基準, 実 実務基準, 設 設備基準, 監 監査基準; 運 and 技 of the 8th edition).
struct CriterionFamily {
  std::string_view key;
  std::string_view name;
};
const std::vector<CriterionFamily>& CriterionFamilies();

// The family of a canonical ID: what stands before its number (実 of 実8,
// 設 of 設83-1).
std::string_view CriterionFamilyOf(std::string_view id);

// Orders canonical IDs as the standard does: family (in CriterionFamilies'
// order, an unknown one last), then number, then sub-number.
bool CriterionLess(std::string_view a, std::string_view b);

// Fields a later stage adds to each record object and each column object of
// ToJson (the assessment's status): called after the object's own fields,
// with the record's (and column's) index. Either may be empty.
struct JsonExtras {
  std::function<void(size_t record, JsonWriter* json)> record;
  std::function<void(size_t record, size_t column, JsonWriter* json)> column;
};

// The `extract --json` object of EXTRACTION.md, pretty-printed one record per line.
std::string ToJson(const ingest::Document& doc, const Extraction& extraction,
                   const JsonExtras& extras = {});

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_EXTRACT_H_
