// What the CSV and NDJSON sinks share: the byte stream they write to, and
// the life of a sink that holds one sheet (BeginSheet once, then rows, then
// Finish; the first error sticks and every later call returns it).
#ifndef FISCDEX_EXPORT_TEXT_OUTPUT_H_
#define FISCDEX_EXPORT_TEXT_OUTPUT_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "export/table.h"

namespace fiscdex::exporting {

// The byte stream a CSV or NDJSON sink writes to: a file it opened, or a
// stream it borrowed. Each error names the output and the system's reason.
class TextOutput {
 public:
  static Result<TextOutput> Open(const std::string& path);
  // REQUIRES: `stream` is open for writing.
  static TextOutput Borrow(std::FILE* stream, std::string name);

  TextOutput(TextOutput&&) = default;
  TextOutput& operator=(TextOutput&&) = default;

  // IoError when the bytes cannot be written (disk full, a closed pipe ...).
  Status Write(std::string_view bytes);
  // Flushes, and closes a file this object opened; reports a write that
  // failed in the buffer.
  Status Close();

  const std::string& name() const { return name_; }

 private:
  struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  TextOutput(std::FILE* stream, std::unique_ptr<std::FILE, FileClose> owned, std::string name)
      : stream_(stream), owned_(std::move(owned)), name_(std::move(name)) {}
  Status Error(int error_number) const;

  std::FILE* stream_;
  std::unique_ptr<std::FILE, FileClose> owned_;  // null for a borrowed stream
  std::string name_;
};

// A sink of one sheet written to a TextOutput. It checks the order of the
// calls and each row against the sheet (CheckRow) and keeps the first error;
// the format writes the sheet's start and each row.
class OneSheetTextSink : public TableSink {
 public:
  Status BeginSheet(const SheetSpec& spec) final;
  Status AddRow(const std::vector<std::string>& cells) final;
  Status Finish() final;

 protected:
  // `what` names the format in the error for a second sheet ("a CSV file").
  OneSheetTextSink(TextOutput out, std::string what)
      : out_(std::move(out)), what_(std::move(what)) {}

  // The format's checks of the sheet, and whatever it writes first.
  virtual Status StartSheet(const SheetSpec& spec) = 0;
  // One row, already checked against the sheet; `row` counts from 1.
  virtual Status WriteRow(const std::vector<std::string>& cells, size_t row) = 0;

  TextOutput& out() { return out_; }
  const SheetSpec& spec() const { return spec_; }

 private:
  Status CheckUsable() const;
  Status Fail(Status status);

  TextOutput out_;
  std::string what_;
  Status error_;
  bool began_ = false;
  bool finished_ = false;
  SheetSpec spec_;
  size_t rows_ = 0;
};

}  // namespace fiscdex::exporting

#endif  // FISCDEX_EXPORT_TEXT_OUTPUT_H_
