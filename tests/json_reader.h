// A small JSON reader for the test suites: enough for the expected-records
// files of corpus/ and the goldens (objects, arrays, strings with every
// escape, numbers, true/false/null), with no dependency beyond base/.
//
// It is strict where a lax reader would hide a broken expected file: no
// trailing commas, no comments, no leading zeros, no unpaired surrogates,
// nothing after the top-level value. Objects keep their keys in file order
// (duplicates are kept too; Find returns the first).
#ifndef FISCDEX_TESTS_JSON_READER_H_
#define FISCDEX_TESTS_JSON_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/utf8.h"

namespace fiscdex::testing {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;  // null
  static JsonValue Bool(bool b) {
    JsonValue v(Type::kBool);
    v.bool_ = b;
    return v;
  }
  static JsonValue Number(double d) {
    JsonValue v(Type::kNumber);
    v.number_ = d;
    return v;
  }
  static JsonValue String(std::string s) {
    JsonValue v(Type::kString);
    v.string_ = std::move(s);
    return v;
  }
  static JsonValue Array() { return JsonValue(Type::kArray); }
  static JsonValue Object() { return JsonValue(Type::kObject); }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // REQUIRES: the matching is_*() is true.
  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

  // The first member named `key`, or nullptr when absent or not an object.
  const JsonValue* Find(std::string_view key) const {
    if (type_ != Type::kObject) return nullptr;
    for (const auto& [name, value] : members_) {
      if (name == key) return &value;
    }
    return nullptr;
  }

  void Append(JsonValue v) { items_.push_back(std::move(v)); }
  void Add(std::string key, JsonValue v) { members_.emplace_back(std::move(key), std::move(v)); }

 private:
  explicit JsonValue(Type type) : type_(type) {}

  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

namespace json_internal {

// Recursive descent over the whole text; `pos_` is the byte offset every
// error names, so a broken expected file is found without a debugger.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<JsonValue> ParseDocument() {
    // A UTF-8 BOM is tolerated: editors on Windows add one.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    JsonValue value;
    RETURN_IF_ERROR(ParseValue(0, &value));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the value");
    return value;
  }

 private:
  // Deeper nesting than any expected file needs; the limit keeps a hostile
  // or corrupted file from overflowing the stack.
  static constexpr int kMaxDepth = 64;

  Status Error(std::string_view what) const {
    return Status::InvalidArgument("json: " + std::string(what) + " at byte " +
                                   std::to_string(pos_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status ParseValue(int depth, JsonValue* out) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') return ParseObject(depth, out);
    if (c == '[') return ParseArray(depth, out);
    if (c == '"') {
      std::string s;
      RETURN_IF_ERROR(ParseString(&s));
      *out = JsonValue::String(std::move(s));
      return Status::Ok();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    if (Consume("true")) {
      *out = JsonValue::Bool(true);
      return Status::Ok();
    }
    if (Consume("false")) {
      *out = JsonValue::Bool(false);
      return Status::Ok();
    }
    if (Consume("null")) {
      *out = JsonValue();
      return Status::Ok();
    }
    return Error("unexpected character");
  }

  Status ParseObject(int depth, JsonValue* out) {
    ++pos_;  // '{'
    JsonValue object = JsonValue::Object();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      *out = std::move(object);
      return Status::Ok();
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a member name");
      std::string key;
      RETURN_IF_ERROR(ParseString(&key));
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      JsonValue value;
      RETURN_IF_ERROR(ParseValue(depth + 1, &value));
      object.Add(std::move(key), std::move(value));
      SkipSpace();
      if (pos_ >= text_.size()) return Error("unterminated object");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        *out = std::move(object);
        return Status::Ok();
      }
      return Error("expected ',' or '}'");
    }
  }

  Status ParseArray(int depth, JsonValue* out) {
    ++pos_;  // '['
    JsonValue array = JsonValue::Array();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      *out = std::move(array);
      return Status::Ok();
    }
    while (true) {
      JsonValue item;
      RETURN_IF_ERROR(ParseValue(depth + 1, &item));
      array.Append(std::move(item));
      SkipSpace();
      if (pos_ >= text_.size()) return Error("unterminated array");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        *out = std::move(array);
        return Status::Ok();
      }
      return Error("expected ',' or ']'");
    }
  }

  Status ParseNumber(JsonValue* out) {
    const size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Error("expected a digit");
    if (text_[pos_] == '0' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1])) {
      return Error("leading zero");
    }
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Error("expected a digit after '.'");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Error("expected an exponent");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    // strtod needs a NUL-terminated copy; numbers are short.
    const std::string number(text_.substr(start, pos_ - start));
    *out = JsonValue::Number(std::strtod(number.c_str(), nullptr));
    return Status::Ok();
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  Status ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Error("truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Error("bad hex digit in \\u escape");
      }
    }
    *out = value;
    return Status::Ok();
  }



  // Raw bytes >= 0x80 are copied as they are: the files are UTF-8 and the
  // comparison (corpus_compare.h) decodes them with ICU.
  Status ParseString(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (pos_ >= text_.size()) return Error("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return Error("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          RETURN_IF_ERROR(ParseHex4(&cp));
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Error("unpaired low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!Consume("\\u")) return Error("unpaired high surrogate");
            uint32_t low = 0;
            RETURN_IF_ERROR(ParseHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) return Error("unpaired high surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --pos_;
          return Error("bad escape");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace json_internal

// Parses one JSON document. Errors: Status::InvalidArgument naming what was
// expected and the byte offset where parsing stopped.
inline Result<JsonValue> ParseJson(std::string_view text) {
  return json_internal::Parser(text).ParseDocument();
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_JSON_READER_H_
