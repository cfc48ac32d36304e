#include "export/ndjson.h"

#include <cctype>
#include <cstddef>
#include <utility>

#include "base/json.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "export/text_output.h"

namespace fiscdex::exporting {
namespace {

// OpenSearch's limit on an _id.
constexpr size_t kMaxIdBytes = 512;

// Copies one JSON value (RFC 8259) to `out` without the whitespace between
// tokens, so that a kJson cell, however the caller formatted it, stays on
// its NDJSON line; text that is not JSON is refused rather than passed on to
// break the whole bulk request.
class JsonCompactor {
 public:
  JsonCompactor(std::string_view in, std::string* out) : in_(in), out_(out) {}

  Status Run() {
    RETURN_IF_ERROR(Value(0));
    SkipSpace();
    if (pos_ != in_.size()) return Error("text after the value");
    return Status::Ok();
  }

 private:
  // Deeper than any record's columns; the limit keeps a hostile value from
  // overflowing the stack.
  static constexpr int kMaxDepth = 64;

  Status Error(std::string_view what) const {
    return Status::InvalidArgument("not JSON: " + std::string(what) + " at byte " +
                                   std::to_string(pos_));
  }
  void SkipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool At(char c) const { return pos_ < in_.size() && in_[pos_] == c; }
  bool AtDigit() const { return pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9'; }
  void Copy() { out_->push_back(in_[pos_++]); }

  Status Value(int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    SkipSpace();
    if (pos_ >= in_.size()) return Error("unexpected end");
    const char c = in_[pos_];
    if (c == '{' || c == '[') return Container(depth, c == '{');
    if (c == '"') return String();
    if (c == '-' || (c >= '0' && c <= '9')) return Number();
    for (std::string_view word : {"true", "false", "null"}) {
      if (in_.substr(pos_, word.size()) == word) {
        out_->append(word);
        pos_ += word.size();
        return Status::Ok();
      }
    }
    return Error("unexpected character");
  }

  Status Container(int depth, bool object) {
    const char close = object ? '}' : ']';
    Copy();
    SkipSpace();
    if (At(close)) {
      Copy();
      return Status::Ok();
    }
    while (true) {
      if (object) {
        SkipSpace();
        if (!At('"')) return Error("expected a member name");
        RETURN_IF_ERROR(String());
        SkipSpace();
        if (!At(':')) return Error("expected ':'");
        Copy();
      }
      RETURN_IF_ERROR(Value(depth + 1));
      SkipSpace();
      if (At(',')) {
        Copy();
        continue;
      }
      if (At(close)) {
        Copy();
        return Status::Ok();
      }
      return Error(object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }

  Status String() {
    Copy();  // the opening quote
    while (pos_ < in_.size()) {
      const unsigned char c = static_cast<unsigned char>(in_[pos_]);
      if (c == '"') {
        Copy();
        return Status::Ok();
      }
      if (c < 0x20) return Error("control character in a string");
      if (c == '\\') {
        Copy();
        if (pos_ >= in_.size()) break;
        const char e = in_[pos_];
        if (e == 'u') {
          Copy();
          for (int k = 0; k < 4; ++k) {
            if (pos_ >= in_.size() || !std::isxdigit(static_cast<unsigned char>(in_[pos_]))) {
              return Error("bad \\u escape");
            }
            Copy();
          }
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return Error("bad escape");
        }
        Copy();
        continue;
      }
      const int n = WellFormedUtf8Length(in_, pos_);
      if (n == 0) return Error("ill-formed UTF-8");
      out_->append(in_.substr(pos_, static_cast<size_t>(n)));
      pos_ += static_cast<size_t>(n);
    }
    return Error("unterminated string");
  }

  Status Number() {
    if (At('-')) Copy();
    if (At('0')) {
      Copy();
    } else if (AtDigit()) {
      while (AtDigit()) Copy();
    } else {
      return Error("bad number");
    }
    if (At('.')) {
      Copy();
      if (!AtDigit()) return Error("bad number");
      while (AtDigit()) Copy();
    }
    if (At('e') || At('E')) {
      Copy();
      if (At('+') || At('-')) Copy();
      if (!AtDigit()) return Error("bad number");
      while (AtDigit()) Copy();
    }
    return Status::Ok();
  }

  std::string_view in_;
  std::string* out_;
  size_t pos_ = 0;
};

class NdjsonSink final : public OneSheetTextSink {
 public:
  NdjsonSink(TextOutput out, NdjsonOptions options)
      : OneSheetTextSink(std::move(out), "an NDJSON export"), options_(std::move(options)) {
    // The index part of every action line is the same; build it once.
    action_prefix_ = "{\"index\":{\"_index\":";
    AppendJsonString(&action_prefix_, options_.index);
  }

 private:
  Status StartSheet(const SheetSpec& spec) override {
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      const std::string& field = spec.columns[c].field_name();
      if (field.empty()) {
        return Status::InvalidArgument("sheet '" + spec.name + "' column " + std::to_string(c + 1) +
                                       " has no field name");
      }
      for (size_t k = 0; k < c; ++k) {
        if (spec.columns[k].field_name() == field) {
          return Status::InvalidArgument("sheet '" + spec.name + "': field '" + field + "' twice");
        }
      }
    }
    id_columns_.clear();
    for (const std::string& field : options_.id_fields) {
      size_t c = 0;
      while (c < spec.columns.size() && spec.columns[c].field_name() != field) ++c;
      if (c == spec.columns.size()) {
        return Status::InvalidArgument("id field '" + field + "' is not a column of sheet '" +
                                       spec.name + "'");
      }
      id_columns_.push_back(c);
    }
    return Status::Ok();
  }

  Status WriteRow(const std::vector<std::string>& cells, size_t row) override {
    const std::string where = "sheet '" + spec().name + "' row " + std::to_string(row);

    lines_ = action_prefix_;
    if (!id_columns_.empty()) {
      std::vector<std::string_view> values;
      values.reserve(id_columns_.size());
      for (size_t c : id_columns_) values.push_back(cells[c]);
      Result<std::string> id = BulkId(values, options_.id_form);
      if (!id.ok()) return id.status().WithContext(where);
      lines_ += ",\"_id\":";
      AppendJsonString(&lines_, *id);
    }
    lines_ += "}}\n{";
    for (size_t c = 0; c < cells.size(); ++c) {
      const ColumnSpec& column = spec().columns[c];
      const std::string& cell = cells[c];
      if (c > 0) lines_ += ',';
      AppendJsonString(&lines_, column.field_name());
      lines_ += ':';
      if (cell.empty()) {
        lines_ += "null";
        continue;
      }
      switch (column.kind) {
        case ColumnKind::kNumber:
          lines_ += cell;  // CheckRow vouched for the digits
          break;
        case ColumnKind::kJson: {
          Status status = JsonCompactor(cell, &lines_).Run();
          if (!status.ok()) {
            return status.WithContext(where + " column '" + column.header + "'");
          }
          break;
        }
        case ColumnKind::kText:
        case ColumnKind::kLongText:
        case ColumnKind::kStatus:
          AppendJsonString(&lines_, cell);
          break;
      }
    }
    lines_ += "}\n";
    return out().Write(lines_);
  }

  NdjsonOptions options_;
  std::string action_prefix_;
  std::vector<size_t> id_columns_;
  std::string lines_;  // reused: one allocation for the whole export
};

}  // namespace

Status CheckIndexName(std::string_view name) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("index name '" + std::string(name) + "': " + std::string(why));
  };
  if (name.empty()) return bad("empty");
  if (name.size() > 255) return bad("longer than 255 bytes");
  if (name == "." || name == "..") return bad("not allowed");
  if (name[0] == '-' || name[0] == '_' || name[0] == '+') return bad("starts with - _ or +");
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return bad("has upper case letters");
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos) {
      return bad("has a character OpenSearch refuses (\\ / * ? \" < > | , # : space)");
    }
  }
  return Status::Ok();
}

Result<std::string> BulkId(const std::vector<std::string_view>& values, IdForm form) {
  std::string joined;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) {
      return Status::InvalidArgument("id value " + std::to_string(i + 1) + " is empty");
    }
    if (i > 0) joined += '#';
    joined += values[i];
  }
  if (joined.empty()) return Status::InvalidArgument("no id values");
  if (form == IdForm::kSha256) return Sha256Hex(joined);
  if (joined.size() > kMaxIdBytes) {
    return Status::InvalidArgument("id '" + joined.substr(0, 64) + "…' is over " +
                                   std::to_string(kMaxIdBytes) + " bytes");
  }
  return joined;
}

Result<std::unique_ptr<TableSink>> OpenNdjson(const std::string& path, NdjsonOptions options) {
  RETURN_IF_ERROR(CheckIndexName(options.index));
  ASSIGN_OR_RETURN(TextOutput out, TextOutput::Open(path));
  return std::unique_ptr<TableSink>(
      std::make_unique<NdjsonSink>(std::move(out), std::move(options)));
}

Result<std::unique_ptr<TableSink>> OpenNdjson(std::FILE* out, std::string name,
                                              NdjsonOptions options) {
  RETURN_IF_ERROR(CheckIndexName(options.index));
  return std::unique_ptr<TableSink>(
      std::make_unique<NdjsonSink>(TextOutput::Borrow(out, std::move(name)), std::move(options)));
}

}  // namespace fiscdex::exporting
