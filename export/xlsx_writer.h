// XLSX export through libxlsxwriter in constant-memory mode: each row goes
// to a temporary file as it is added, so a sheet of any length is written in
// memory proportional to one row.
//
// What the workbook looks like (doc/export.md has the details): one worksheet
// per BeginSheet; the header row bold and frozen; an autofilter over the
// header and every row; columns as wide as their text (East Asian wide
// characters count two), capped per kind; kLongText wrapped; kNumber cells
// numbers; kStatus cells filled with the colour of their status
// (StatusStyleOf); every other cell a string, never a formula, whatever it
// starts with.
#ifndef FISCDEX_EXPORT_XLSX_WRITER_H_
#define FISCDEX_EXPORT_XLSX_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "export/table.h"

namespace fiscdex::exporting {

// A sink that writes the workbook `path` at Finish (libxlsxwriter writes the
// whole file at close). The path is opened for writing here, so a missing
// folder, a folder in the way or a permission refused is an IoError
// "<path>: <reason>" at once rather than after the export; a file this call
// creates is removed again if the sink is destroyed without a successful
// Finish. Finish's IoError carries libxlsxwriter's error string.
Result<std::unique_ptr<TableSink>> OpenXlsx(const std::string& path);

// Excel's limit of characters (UTF-16 code units) in a cell.
inline constexpr size_t kXlsxMaxCellChars = 32767;

// ---------------------------------------------------------------------------
// The rules above as functions, for the tests and for doc/export.md.

// The fill of a status cell and the font colour legible on it, as 0xRRGGBB.
struct StatusStyle {
  std::string_view code;
  uint32_t fill;
  uint32_t font;
};
// nullopt for a string that is not a status code (and for "").
std::optional<StatusStyle> StatusStyleOf(std::string_view code);

// The text a cell holds in the workbook: ill-formed UTF-8 and the control
// characters XML 1.0 cannot carry (all of U+0000-U+001F but tab and line
// feed) become U+FFFD; CR LF and a lone CR become LF (Excel's line break);
// text that would read as an OOXML escape ("_x0041_") is escaped so that it
// stays literal. Over kXlsxMaxCellChars, the text is cut at a character
// boundary and ends with "…[truncated; the full text has N characters]"
// (N: characters of `cell`), the whole at most kXlsxMaxCellChars.
std::string XlsxCellText(std::string_view cell);

// Columns of a monospace terminal that `utf8` takes: East Asian Wide and
// Fullwidth characters count 2, combining marks 0, others 1. For text over
// several lines, the widest line.
size_t DisplayWidth(std::string_view utf8);

// A worksheet name Excel accepts, made from `wanted`: the characters
// []:*?/\ and control characters become '_', apostrophes at either end go,
// "" becomes "Sheet", "History" (reserved by Excel) "History_", at most 31
// characters, and " (2)", " (3)" ... added to be unique among `taken`
// (compared without ASCII and full-width Latin case, as Excel does).
std::string ExcelSheetName(std::string_view wanted, const std::vector<std::string>& taken);

}  // namespace fiscdex::exporting

#endif  // FISCDEX_EXPORT_XLSX_WRITER_H_
