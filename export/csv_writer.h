// CSV export, as Excel opens it: UTF-8 with a BOM (without one Excel reads
// the bytes as the ANSI code page, Shift_JIS in Japan), CRLF line ends,
// every field in double quotes with inner quotes doubled, line breaks kept
// inside the quotes. One sheet per file: its header line, then its rows.
//
// Formula-injection guard (OWASP, "CSV Injection"): a text cell (every kind
// but kNumber) that starts with = + - @ tab or CR gets a leading
// apostrophe, so a spreadsheet shows it as text instead of running it:
// "=HYPERLINK(...)" is written "'=HYPERLINK(...)". kNumber cells are
// digits by contract and are never changed. Otherwise the text is written
// byte for byte, however long (Excel cuts cells past 32,767 characters when
// it opens such a file; the XLSX export says so in the cell instead).
#ifndef FISCDEX_EXPORT_CSV_WRITER_H_
#define FISCDEX_EXPORT_CSV_WRITER_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "export/table.h"

namespace fiscdex::exporting {

// Writes `path`, created (or truncated) here: a bad path is an IoError
// "<path>: <reason>" before any row.
Result<std::unique_ptr<TableSink>> OpenCsv(const std::string& path);
// Writes to `out` (stdout, say), which the caller owns and keeps open until
// the sink is gone; Finish flushes it. `name` stands for it in errors
// ("<stdout>").
Result<std::unique_ptr<TableSink>> OpenCsv(std::FILE* out, std::string name);

// The field as written: quoted, guarded, quotes doubled.
std::string CsvField(std::string_view cell, ColumnKind kind);

}  // namespace fiscdex::exporting

#endif  // FISCDEX_EXPORT_CSV_WRITER_H_
