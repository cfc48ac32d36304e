// JSON output: string escaping and a small streaming writer, shared by
// `extract --json` and every --json of the CLI.
//
// Strings: valid UTF-8 passes through; control characters, '"' and '\\' are
// escaped; ill-formed bytes (overlongs, surrogates, stray bytes) become
// U+FFFD. Separators are ", " and ": " as in ../shared/EXTRACTION.md.
//
// The writer's caller keeps the calls balanced (a Key before every value
// inside an object, End* matching Begin*); unbalanced use is a programming
// error caught by assert() in debug builds.
#ifndef FISCDEX_BASE_JSON_H_
#define FISCDEX_BASE_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex {

// Appends `s` as a JSON string literal (quotes included).
void AppendJsonString(std::string* out, std::string_view s);

class JsonWriter {
 public:
  // Appends to `*out`, which must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  // With `one_per_line`, each element starts on its own line, indented by
  // two spaces, and the closing bracket gets a line of its own: long lists
  // (hits, records) stay readable and diffable.
  JsonWriter& BeginArray(bool one_per_line = false);
  JsonWriter& EndArray();

  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  // NaN and infinities, which JSON cannot hold, are written as null.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // null when empty.
  JsonWriter& OptionalString(const std::optional<std::string>& value);
  JsonWriter& OptionalInt(const std::optional<int>& value);
  JsonWriter& StringArray(const std::vector<std::string>& values);

 private:
  struct Frame {
    bool array;
    bool one_per_line;
    bool empty;
  };
  // Writes the separator a new value (or key) needs in the current container.
  void BeforeValue();

  std::string* out_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

}  // namespace fiscdex

#endif  // FISCDEX_BASE_JSON_H_
