#include "export/csv_writer.h"

#include <utility>
#include <vector>

#include "export/text_output.h"

namespace fiscdex::exporting {
namespace {

class CsvSink final : public OneSheetTextSink {
 public:
  explicit CsvSink(TextOutput out) : OneSheetTextSink(std::move(out), "a CSV file") {}

 private:
  Status StartSheet(const SheetSpec& spec) override {
    line_ = "\xEF\xBB\xBF";
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      if (c > 0) line_ += ',';
      line_ += CsvField(spec.columns[c].header, ColumnKind::kText);
    }
    line_ += "\r\n";
    return out().Write(line_);
  }

  Status WriteRow(const std::vector<std::string>& cells, size_t /*row*/) override {
    line_.clear();
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line_ += ',';
      line_ += CsvField(cells[c], spec().columns[c].kind);
    }
    line_ += "\r\n";
    return out().Write(line_);
  }

  std::string line_;  // reused: one allocation for the whole file
};

}  // namespace

std::string CsvField(std::string_view cell, ColumnKind kind) {
  std::string field = "\"";
  if (kind != ColumnKind::kNumber && !cell.empty() &&
      std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    field += '\'';
  }
  for (char c : cell) {
    if (c == '"') field += '"';
    field += c;
  }
  field += '"';
  return field;
}

Result<std::unique_ptr<TableSink>> OpenCsv(const std::string& path) {
  ASSIGN_OR_RETURN(TextOutput out, TextOutput::Open(path));
  return std::unique_ptr<TableSink>(std::make_unique<CsvSink>(std::move(out)));
}

Result<std::unique_ptr<TableSink>> OpenCsv(std::FILE* out, std::string name) {
  return std::unique_ptr<TableSink>(
      std::make_unique<CsvSink>(TextOutput::Borrow(out, std::move(name))));
}

}  // namespace fiscdex::exporting
