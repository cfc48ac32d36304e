// CSV and TSV (RFC 4180, read leniently): each record is one table row.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

class CsvParser {
 public:
  CsvParser(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  // Reads the next record into `fields`; [*begin, *end) is its source range
  // without the line terminator. Returns false at the end of the text.
  bool Next(std::vector<std::string>* fields, size_t* begin, size_t* end) {
    if (pos_ >= text_.size()) return false;
    fields->clear();
    *begin = pos_;
    while (true) {
      std::string& field = fields->emplace_back();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ReadQuoted(&field);
      } else {
        const size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
               text_[pos_] != '\r') {
          ++pos_;
        }
        field.assign(TrimSpace(text_.substr(start, pos_ - start)));
      }
      if (pos_ < text_.size() && text_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      *end = pos_;
      if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      return true;
    }
  }

 private:
  // A quoted field: "" is a quote, line breaks inside are '\n'. Text after the
  // closing quote up to the delimiter is kept (spreadsheets write such lines).
  void ReadQuoted(std::string* field) {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field->push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\r') {
        field->push_back('\n');
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        continue;
      }
      field->push_back(c);
      ++pos_;
    }
    while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
           text_[pos_] != '\r') {
      field->push_back(text_[pos_++]);
    }
  }

  std::string_view text_;
  char delimiter_;
  size_t pos_ = 0;
};

bool IsEmptyRecord(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].empty();
}

}  // namespace

char SniffCsvDelimiter(std::string_view text) {
  constexpr size_t kSampleRecords = 32;
  static constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  char best = ',';
  size_t best_score = 0;
  std::vector<std::string> fields;
  for (char delimiter : kCandidates) {
    CsvParser parser(text, delimiter);
    std::vector<size_t> widths;
    size_t begin;
    size_t end;
    while (widths.size() < kSampleRecords && parser.Next(&fields, &begin, &end)) {
      if (!IsEmptyRecord(fields)) widths.push_back(fields.size());
    }
    // Score: how many sampled records share the most common width (> 1).
    size_t score = 0;
    for (size_t width : widths) {
      if (width < 2) continue;
      size_t same = 0;
      for (size_t other : widths) same += other == width;
      score = std::max(score, same);
    }
    if (score > best_score) {
      best_score = score;
      best = delimiter;
    }
  }
  return best;
}

bool LooksLikeCsv(std::string_view text, bool truncated) {
  constexpr size_t kSampleRecords = 50;
  const char delimiter = SniffCsvDelimiter(text);
  if (delimiter == '\t') return false;
  CsvParser parser(text, delimiter);
  std::vector<std::string> fields;
  size_t begin;
  size_t end;
  size_t records = 0;
  size_t width = 0;
  while (records < kSampleRecords && parser.Next(&fields, &begin, &end)) {
    if (truncated && end >= text.size()) break;  // cut short by the sample
    if (IsEmptyRecord(fields)) continue;
    if (width == 0) width = fields.size();
    if (fields.size() != width || width < 2) return false;
    ++records;
  }
  return records >= 3;
}

void ReadCsv(Document* doc) {
  const std::string_view text(doc->text);
  BlockSink sink(doc);
  CsvParser parser(text, SniffCsvDelimiter(text));
  std::vector<std::string> fields;
  size_t begin;
  size_t end;
  while (parser.Next(&fields, &begin, &end)) {
    if (IsEmptyRecord(fields)) continue;
    sink.Row(std::move(fields), /*table=*/0, /*header=*/false, begin, end);
    fields = {};
  }
  doc->page_count = 1;
}

}  // namespace fiscdex::ingest::internal
