#include "export/csv_writer.h"

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace fiscdex::exporting {
namespace {

class CsvSink final : public TableSink {
 public:
  explicit CsvSink(TextOutput out) : out_(std::move(out)) {}

  Status BeginSheet(const SheetSpec& spec) override {
    RETURN_IF_ERROR(CheckUsable());
    if (began_) {
      return Fail(Status::InvalidArgument(out_.name() + ": a CSV file holds one sheet; '" +
                                          spec.name + "' would be the second"));
    }
    if (spec.columns.empty()) {
      return Fail(Status::InvalidArgument("sheet '" + spec.name + "' has no columns"));
    }
    began_ = true;
    spec_ = spec;
    line_ = "\xEF\xBB\xBF";
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      if (c > 0) line_ += ',';
      line_ += CsvField(spec.columns[c].header, ColumnKind::kText);
    }
    line_ += "\r\n";
    return Fail(out_.Write(line_));
  }

  Status AddRow(const std::vector<std::string>& cells) override {
    RETURN_IF_ERROR(CheckUsable());
    if (!began_) return Fail(Status::InvalidArgument("AddRow before BeginSheet"));
    RETURN_IF_ERROR(Fail(CheckRow(spec_, cells, ++rows_)));
    line_.clear();
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line_ += ',';
      line_ += CsvField(cells[c], spec_.columns[c].kind);
    }
    line_ += "\r\n";
    return Fail(out_.Write(line_));
  }

  Status Finish() override {
    RETURN_IF_ERROR(CheckUsable());
    finished_ = true;
    return Fail(out_.Close());
  }

 private:
  Status CheckUsable() const {
    if (!error_.ok()) return error_;
    if (finished_) return Status::InvalidArgument(out_.name() + ": already finished");
    return Status::Ok();
  }
  Status Fail(Status status) {
    if (!status.ok()) error_ = status;
    return status;
  }

  TextOutput out_;
  Status error_;
  bool began_ = false;
  bool finished_ = false;
  SheetSpec spec_;
  size_t rows_ = 0;
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

Result<TextOutput> TextOutput::Open(const std::string& path) {
  // "e": O_CLOEXEC, so a child the CLI starts does not inherit the file.
  std::FILE* f = std::fopen(path.c_str(), "wbe");
  if (f == nullptr) return Status::IoError(path + ": " + std::strerror(errno));
  return TextOutput(f, std::unique_ptr<std::FILE, FileClose>(f), path);
}

TextOutput TextOutput::Borrow(std::FILE* stream, std::string name) {
  return TextOutput(stream, nullptr, std::move(name));
}

Status TextOutput::Error(int error_number) const {
  return Status::IoError(name_ + ": " +
                         (error_number != 0 ? std::strerror(error_number) : "write error"));
}

Status TextOutput::Write(std::string_view bytes) {
  if (stream_ == nullptr) return Status::InvalidArgument(name_ + ": already closed");
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), stream_) != bytes.size()) return Error(errno);
  return Status::Ok();
}

Status TextOutput::Close() {
  if (stream_ == nullptr) return Status::Ok();
  std::FILE* stream = stream_;
  stream_ = nullptr;
  errno = 0;
  // A write that failed inside the buffer shows only here, in fflush or in
  // the stream's error flag.
  if (std::fflush(stream) != 0 || std::ferror(stream)) {
    const Status error = Error(errno);
    owned_.reset();
    return error;
  }
  if (owned_ != nullptr && std::fclose(owned_.release()) != 0) return Error(errno);
  return Status::Ok();
}

}  // namespace fiscdex::exporting
