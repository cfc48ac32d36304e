// The export stage's data model: tables streamed one row at a time into a
// sink that writes XLSX (export/xlsx_writer.h), CSV (export/csv_writer.h) or
// OpenSearch bulk NDJSON (export/ndjson.h). doc/export.md describes the files.
//
// A sink is fed BeginSheet, that sheet's rows in order, then another
// BeginSheet or Finish. No sink keeps the rows it was given, so the caller
// can stream an export of any size (100k+ records) from a query cursor in
// memory proportional to one row.
//
// Errors are sticky: once a call has failed, the sink writes nothing more and
// every later call returns that same Status. Sinks are not thread-safe.
#ifndef FISCDEX_EXPORT_TABLE_H_
#define FISCDEX_EXPORT_TABLE_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fiscdex::exporting {

enum class ColumnKind {
  kText,      // a name, an ID, a path: one line, usually short
  kNumber,    // a decimal integer ("12", "-3"; at most 15 digits), or "" for none
  kStatus,    // a status code (IsStatusCode), or "" for none / not mentioned
  kLongText,  // paragraphs (an answer, evidence): wrapped in XLSX
  // A JSON value as text (the record's `columns`: an array of objects), or
  // "". NDJSON embeds it as a value (and rejects text that is not JSON);
  // XLSX and CSV show the text as it is.
  kJson,
};

struct ColumnSpec {
  std::string header;  // row 1 of XLSX and CSV
  ColumnKind kind = ColumnKind::kText;
  // The field name in NDJSON; empty means `header`. Lets a sheet show
  // Japanese headers while the JSON keeps stable field codes.
  std::string key = {};

  const std::string& field_name() const { return key.empty() ? header : key; }
};

struct SheetSpec {
  // The XLSX worksheet name (made valid for Excel: xlsx_writer.h); CSV and
  // NDJSON ignore it.
  std::string name;
  std::vector<ColumnSpec> columns;  // at least one
};

class TableSink {
 public:
  TableSink() = default;
  TableSink(const TableSink&) = delete;
  TableSink& operator=(const TableSink&) = delete;
  // Without a successful Finish the output is abandoned: no XLSX file is
  // left behind; what a CSV or NDJSON sink already wrote stays.
  virtual ~TableSink() = default;

  // Starts a sheet (ending the one before) and writes its header.
  // InvalidArgument for a sheet without columns, or one a format cannot hold
  // (CSV and NDJSON hold one sheet).
  virtual Status BeginSheet(const SheetSpec& sheet) = 0;

  // Writes one row of the current sheet: one cell per column, in order,
  // UTF-8. InvalidArgument before BeginSheet, for a wrong cell count, or a
  // cell that does not fit its column's kind (CheckRow); IoError when the
  // output cannot be written.
  virtual Status AddRow(const std::vector<std::string>& cells) = 0;

  // Completes the output and closes it. IoError names the output and the
  // reason. After Finish the sink accepts nothing more.
  virtual Status Finish() = 0;
};

// The codes a kStatus cell holds: the assessment of a criterion in a
// document, "missing" when the criterion is not in the document at all.
inline constexpr std::array<std::string_view, 9> kStatusCodes = {
    "implemented", "partial", "provider",  "customer", "not_applicable",
    "blank",       "retired", "reference", "missing"};

inline bool IsStatusCode(std::string_view s) {
  for (std::string_view code : kStatusCodes) {
    if (s == code) return true;
  }
  return false;
}

// "" or an optional '-' and 1 to 15 ASCII digits: every such value is exact
// as an Excel number (a double) and as a JSON number.
inline bool IsDecimalInteger(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 15) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// OK when `cells` has one cell per column and every kNumber and kStatus cell
// holds a value of its kind; else InvalidArgument naming the row (`row`,
// counted from 1 after the header), the column and the value. kJson cells
// are checked by the NDJSON sink, the only one that reads them.
inline Status CheckRow(const SheetSpec& sheet, const std::vector<std::string>& cells, size_t row) {
  const std::string where = "sheet '" + sheet.name + "' row " + std::to_string(row);
  if (cells.size() != sheet.columns.size()) {
    return Status::InvalidArgument(where + ": " + std::to_string(cells.size()) + " cells for " +
                                   std::to_string(sheet.columns.size()) + " columns");
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    const ColumnSpec& column = sheet.columns[i];
    const std::string& cell = cells[i];
    if (cell.empty()) continue;
    if (column.kind == ColumnKind::kNumber && !IsDecimalInteger(cell)) {
      return Status::InvalidArgument(where + " column '" + column.header + "': '" + cell +
                                     "' is not a decimal integer");
    }
    if (column.kind == ColumnKind::kStatus && !IsStatusCode(cell)) {
      return Status::InvalidArgument(where + " column '" + column.header + "': '" + cell +
                                     "' is not a status code");
    }
  }
  return Status::Ok();
}

}  // namespace fiscdex::exporting

#endif  // FISCDEX_EXPORT_TABLE_H_
