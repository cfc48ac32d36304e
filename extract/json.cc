#include "extract/json.h"

#include <cstdio>

namespace fiscdex::extract {

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
    // Copy a whole well-formed sequence, or replace the bad byte.
    int extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : -1;
    bool ok = extra > 0 && i + extra < s.size();
    if (ok) {
      for (int k = 1; k <= extra; ++k) {
        if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) ok = false;
      }
    }
    if (!ok) {
      *out += "\xEF\xBF\xBD";
      continue;
    }
    out->append(s.substr(i, extra + 1));
    i += extra;
  }
  out->push_back('"');
}

void AppendJsonOptional(std::string* out, const std::optional<std::string>& s) {
  if (s) {
    AppendJsonString(out, *s);
  } else {
    *out += "null";
  }
}

}  // namespace fiscdex::extract
