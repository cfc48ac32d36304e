#include "export/text_output.h"

#include <cerrno>
#include <cstring>

namespace fiscdex::exporting {

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

Status OneSheetTextSink::BeginSheet(const SheetSpec& spec) {
  RETURN_IF_ERROR(CheckUsable());
  if (began_) {
    return Fail(Status::InvalidArgument(out_.name() + ": " + what_ + " holds one sheet; '" +
                                        spec.name + "' would be the second"));
  }
  if (spec.columns.empty()) {
    return Fail(Status::InvalidArgument("sheet '" + spec.name + "' has no columns"));
  }
  RETURN_IF_ERROR(Fail(StartSheet(spec)));
  began_ = true;
  spec_ = spec;
  return Status::Ok();
}

Status OneSheetTextSink::AddRow(const std::vector<std::string>& cells) {
  RETURN_IF_ERROR(CheckUsable());
  if (!began_) return Fail(Status::InvalidArgument("AddRow before BeginSheet"));
  RETURN_IF_ERROR(Fail(CheckRow(spec_, cells, ++rows_)));
  return Fail(WriteRow(cells, rows_));
}

Status OneSheetTextSink::Finish() {
  RETURN_IF_ERROR(CheckUsable());
  finished_ = true;
  return Fail(out_.Close());
}

Status OneSheetTextSink::CheckUsable() const {
  if (!error_.ok()) return error_;
  if (finished_) return Status::InvalidArgument(out_.name() + ": already finished");
  return Status::Ok();
}

Status OneSheetTextSink::Fail(Status status) {
  if (!status.ok()) error_ = status;
  return status;
}

}  // namespace fiscdex::exporting
