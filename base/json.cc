#include "base/json.h"

#include "base/utf8.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace fiscdex {


void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': *out += "\\\""; continue;
      case '\\': *out += "\\\\"; continue;
      case '\n': *out += "\\n"; continue;
      case '\r': *out += "\\r"; continue;
      case '\t': *out += "\\t"; continue;
      case '\b': *out += "\\b"; continue;
      case '\f': *out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      *out += buf;
      continue;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    // Copy a whole well-formed sequence (RFC 3629: no overlongs, no
    // surrogates, nothing above U+10FFFF), or replace the bad byte.
    int extra = WellFormedUtf8Length(s, i) - 1;
    if (extra <= 0) {
      *out += "\xEF\xBF\xBD";
      continue;
    }
    out->append(s.substr(i, extra + 1));
    i += extra;
  }
  out->push_back('"');
}



void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Frame& frame = stack_.back();
  if (!frame.empty) out_->append(",");
  if (frame.one_per_line) {
    out_->append("\n  ");
  } else if (!frame.empty) {
    out_->push_back(' ');
  }
  frame.empty = false;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  stack_.push_back({/*array=*/false, /*one_per_line=*/false, /*empty=*/true});
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  assert(!stack_.empty() && !stack_.back().array && !after_key_);
  stack_.pop_back();
  out_->push_back('}');
  return *this;
}

JsonWriter& JsonWriter::BeginArray(bool one_per_line) {
  BeforeValue();
  out_->push_back('[');
  stack_.push_back({/*array=*/true, one_per_line, /*empty=*/true});
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  assert(!stack_.empty() && stack_.back().array);
  if (stack_.back().one_per_line && !stack_.back().empty) out_->push_back('\n');
  stack_.pop_back();
  out_->push_back(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!stack_.empty() && !stack_.back().array && !after_key_);
  BeforeValue();
  AppendJsonString(out_, key);
  out_->append(": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  if (!std::isfinite(value)) return Null();
  BeforeValue();
  // Shortest form that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_->append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::OptionalString(const std::optional<std::string>& value) {
  return value ? String(*value) : Null();
}

JsonWriter& JsonWriter::OptionalInt(const std::optional<int>& value) {
  return value ? Int(*value) : Null();
}

JsonWriter& JsonWriter::StringArray(const std::vector<std::string>& values) {
  BeginArray();
  for (const std::string& v : values) String(v);
  return EndArray();
}

}  // namespace fiscdex
