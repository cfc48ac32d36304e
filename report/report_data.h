// The data of the HTML report (doc/report.md): one JSON object with the
// chosen documents, the criteria in the standard's order, the status of
// every cell, every answer with the phrase that decided its status, and what
// changed since each document's previous version. The page's script draws
// every view from it; nothing else of a document reaches the page.
#ifndef FISCDEX_REPORT_REPORT_DATA_H_
#define FISCDEX_REPORT_REPORT_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "views/assessment_views.h"

namespace fiscdex::report {

struct ReportRequest {
  std::vector<int64_t> documents;     // the columns, in this order
  std::optional<std::string> family;  // 実: that family's criteria only
  // Shown in the page's header; passed in so that a test can fix them.
  std::string generated_at;     // e.g. "2026-12-06 10:00"
  std::string fiscdex_version;  // e.g. "0.9.0"
  std::string selection;        // what was asked for, e.g. "vendors: A, B; family: 実"
};

// The letters of the "cells" strings, one per status and "missing" in the
// order of views::StatusDisplays(), whose letters they are; '.' marks a
// criterion the document's edition does not have.
inline constexpr const char* kCellLetters = "ipvcnbrfm";

// The JSON object (UTF-8; html_report.h's EncodePageData makes it part of
// the page). Reads the records of the chosen documents with their text,
// and for each document that has a previous version, that version's records.
Result<std::string> BuildReportData(index::Index* index, const views::Catalog& catalog,
                                    const ReportRequest& request);

}  // namespace fiscdex::report

#endif  // FISCDEX_REPORT_REPORT_DATA_H_
