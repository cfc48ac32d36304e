// Comparing an extraction with an expected-records file, the way
// ../shared/tools/score_extraction.py compares them: both sides in the
// canonical form (NFKC, HTML tags removed, all white space removed), so line
// breaks and spacing never count, and every difference is listed.
//
// Stricter than the scoring script in three ways, because a corpus file is
// a regression test rather than a score: the ID sequence must match in
// order; a null expected title or vendor must come out null (or empty); and
// `columns` and `page` are compared too.
#ifndef FISCDEX_TESTS_CORPUS_COMPARE_H_
#define FISCDEX_TESTS_CORPUS_COMPARE_H_

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "extract/record.h"
#include "tests/json_reader.h"

namespace fiscdex::testing {

// Python's str.isspace(), which `\s` in the scoring script follows: the
// Unicode White_Space property plus the information separators U+001C..1F.
inline bool IsScoreSpace(UChar32 c) {
  return u_isUWhiteSpace(c) || (c >= 0x1C && c <= 0x1F);
}

// NFKC, then every `<...>` removed, then every white-space character removed.
// Invalid UTF-8 is compared byte for byte after the valid part (ICU turns it
// into U+FFFD, which is what the scorer's UTF-8 decoding would reject; the
// corpus has none).
inline std::string Canon(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  // A singleton owned by ICU: never deleted.
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::string normalized;
  if (U_SUCCESS(status)) {
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString result = nfkc->normalize(source, status);
    if (U_SUCCESS(status)) result.toUTF8String(normalized);
  }
  if (U_FAILURE(status)) normalized.assign(text);  // fall back to the raw bytes

  std::string untagged;
  untagged.reserve(normalized.size());
  for (size_t i = 0; i < normalized.size();) {
    if (normalized[i] == '<') {
      const size_t close = normalized.find('>', i + 1);
      if (close == std::string::npos) {  // no tag can close after here
        untagged.append(normalized, i, std::string::npos);
        break;
      }
      i = close + 1;
      continue;
    }
    untagged.push_back(normalized[i++]);
  }

  std::string out;
  out.reserve(untagged.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(untagged.data());
  const int32_t length = static_cast<int32_t>(untagged.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && IsScoreSpace(c)) continue;
    out.append(untagged, static_cast<size_t>(start), static_cast<size_t>(i - start));
  }
  return out;
}

// What a corpus/NAME.expected.json file holds.
struct ExpectedFile {
  std::string source;    // "corpus/NAME.ext", relative to the repo root
  std::string format;    // "text", "markdown", "html", "csv", "pdf"
  std::string encoding;  // "UTF-8", "Shift_JIS", "UTF-16LE", ...; "" for null (PDF)
  extract::Extraction extraction;
};

namespace compare_internal {

inline Status FieldError(std::string_view where, std::string_view what) {
  return Status::InvalidArgument(std::string(where) + ": " + std::string(what));
}

inline Status GetString(const JsonValue& object, std::string_view key, std::string_view where,
                        std::string* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr) return FieldError(where, "missing \"" + std::string(key) + "\"");
  if (!v->is_string()) return FieldError(where, "\"" + std::string(key) + "\" is not a string");
  *out = v->as_string();
  return Status::Ok();
}

// A key that must be present, holding a string or null.
inline Status GetOptionalString(const JsonValue& object, std::string_view key,
                                std::string_view where, std::optional<std::string>* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr) return FieldError(where, "missing \"" + std::string(key) + "\"");
  if (v->is_null()) {
    out->reset();
    return Status::Ok();
  }
  if (!v->is_string()) {
    return FieldError(where, "\"" + std::string(key) + "\" is neither a string nor null");
  }
  *out = v->as_string();
  return Status::Ok();
}

inline Status GetInt(const JsonValue& v, std::string_view where, int* out) {
  if (!v.is_number() || v.as_number() != std::floor(v.as_number()) ||
      std::fabs(v.as_number()) > 1e9) {
    return FieldError(where, "not an integer");
  }
  *out = static_cast<int>(v.as_number());
  return Status::Ok();
}

inline Status ParseRecord(const JsonValue& r, size_t index, extract::CriterionRecord* out) {
  const std::string where = "criteria[" + std::to_string(index) + "]";
  if (!r.is_object()) return FieldError(where, "not an object");
  RETURN_IF_ERROR(GetString(r, "id", where, &out->id));
  RETURN_IF_ERROR(GetString(r, "answer", where, &out->answer));
  RETURN_IF_ERROR(GetOptionalString(r, "title", where, &out->title));
  const JsonValue* group = r.Find("group");
  if (group == nullptr || !group->is_array()) return FieldError(where, "\"group\" is not an array");
  for (const JsonValue& id : group->items()) {
    if (!id.is_string()) return FieldError(where, "\"group\" holds a non-string");
    out->group.push_back(id.as_string());
  }
  const JsonValue* page = r.Find("page");
  if (page == nullptr) return FieldError(where, "missing \"page\"");
  RETURN_IF_ERROR(GetInt(*page, where + ".page", &out->page));
  if (const JsonValue* columns = r.Find("columns"); columns != nullptr) {
    if (!columns->is_array()) return FieldError(where, "\"columns\" is not an array");
    for (const JsonValue& c : columns->items()) {
      extract::AnswerColumn column;
      if (!c.is_object()) return FieldError(where, "a column is not an object");
      RETURN_IF_ERROR(GetString(c, "header", where + ".columns", &column.header));
      RETURN_IF_ERROR(GetString(c, "text", where + ".columns", &column.text));
      out->columns.push_back(std::move(column));
    }
  }
  return Status::Ok();
}

}  // namespace compare_internal

// Reads the `extract --json` shape of ../shared/EXTRACTION.md. Every top-level
// key must be present (null where the document does not say). Errors:
// InvalidArgument naming the key or the record that is wrong.
inline Result<ExpectedFile> ParseExpectedFile(const JsonValue& root) {
  using namespace compare_internal;
  if (!root.is_object()) return FieldError("expected file", "top level is not an object");
  ExpectedFile file;
  RETURN_IF_ERROR(GetString(root, "source", "top level", &file.source));
  RETURN_IF_ERROR(GetString(root, "format", "top level", &file.format));
  std::optional<std::string> encoding;
  RETURN_IF_ERROR(GetOptionalString(root, "encoding", "top level", &encoding));
  file.encoding = encoding.value_or("");
  extract::DocumentMetadata& meta = file.extraction.metadata;
  RETURN_IF_ERROR(GetOptionalString(root, "title", "top level", &meta.title));
  RETURN_IF_ERROR(GetOptionalString(root, "vendor", "top level", &meta.vendor));
  RETURN_IF_ERROR(GetOptionalString(root, "date", "top level", &meta.date));
  const JsonValue* edition = root.Find("edition");
  if (edition == nullptr) return FieldError("top level", "missing \"edition\"");
  if (!edition->is_null()) {
    int value = 0;
    RETURN_IF_ERROR(GetInt(*edition, "edition", &value));
    meta.edition = value;
  }
  const JsonValue* criteria = root.Find("criteria");
  if (criteria == nullptr || !criteria->is_array()) {
    return FieldError("top level", "\"criteria\" is not an array");
  }
  for (size_t i = 0; i < criteria->items().size(); ++i) {
    extract::CriterionRecord record;
    RETURN_IF_ERROR(ParseRecord(criteria->items()[i], i, &record));
    file.extraction.records.push_back(std::move(record));
  }
  return file;
}

// One way the output differs from the expected file. `id` is empty for
// document-level fields.
struct Difference {
  std::string id;
  std::string field;
  std::string want;
  std::string got;
};

namespace compare_internal {

inline std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ",";
    out += id;
  }
  return out;
}

inline std::string OrNull(const std::optional<std::string>& s) { return s ? *s : "null"; }

inline void CompareRecord(const extract::CriterionRecord& want, const extract::CriterionRecord& got,
                          std::vector<Difference>* out) {
  if (Canon(want.answer) != Canon(got.answer)) {
    out->push_back({want.id, "answer", want.answer, got.answer});
  }
  const std::string want_title = want.title ? Canon(*want.title) : "";
  const std::string got_title = got.title ? Canon(*got.title) : "";
  if (want_title != got_title) {
    out->push_back({want.id, "title", OrNull(want.title), OrNull(got.title)});
  }
  std::vector<std::string> want_group, got_group;
  for (const std::string& id : want.group) want_group.push_back(Canon(id));
  for (const std::string& id : got.group) got_group.push_back(Canon(id));
  // The scorer reads a missing group as [id].
  if (got_group.empty()) got_group.push_back(Canon(got.id));
  if (want_group != got_group) {
    out->push_back({want.id, "group", JoinIds(want.group), JoinIds(got.group)});
  }
  if (want.page != got.page) {
    out->push_back({want.id, "page", std::to_string(want.page), std::to_string(got.page)});
  }
  const size_t columns = std::max(want.columns.size(), got.columns.size());
  if (want.columns.size() != got.columns.size()) {
    out->push_back({want.id, "columns.size", std::to_string(want.columns.size()),
                    std::to_string(got.columns.size())});
  }
  for (size_t i = 0; i < columns; ++i) {
    const std::string index = "columns[" + std::to_string(i) + "]";
    const extract::AnswerColumn* w = i < want.columns.size() ? &want.columns[i] : nullptr;
    const extract::AnswerColumn* g = i < got.columns.size() ? &got.columns[i] : nullptr;
    if (w == nullptr || g == nullptr || Canon(w->header) != Canon(g->header)) {
      out->push_back({want.id, index + ".header", w ? w->header : "(none)",
                      g ? g->header : "(none)"});
    }
    if (w == nullptr || g == nullptr || Canon(w->text) != Canon(g->text)) {
      out->push_back({want.id, index + ".text", w ? w->text : "(none)", g ? g->text : "(none)"});
    }
  }
}

}  // namespace compare_internal

// Every difference between the expected and the extracted records and
// metadata (the document title is not compared: the contract does not say
// how it is chosen). Empty when they agree.
inline std::vector<Difference> CompareExtractions(const extract::Extraction& want,
                                                  const extract::Extraction& got) {
  using namespace compare_internal;
  std::vector<Difference> out;

  std::vector<std::string> want_ids, got_ids;
  std::map<std::string, const extract::CriterionRecord*> got_by_id;
  std::set<std::string> want_set;
  for (const auto& r : want.records) {
    want_ids.push_back(Canon(r.id));
    want_set.insert(want_ids.back());
  }
  for (const auto& r : got.records) {
    got_ids.push_back(Canon(r.id));
    if (!got_by_id.emplace(got_ids.back(), &r).second) {
      out.push_back({r.id, "duplicate", "one record per ID", "another record for " + r.id});
    }
  }
  for (const auto& r : want.records) {
    if (got_by_id.count(Canon(r.id)) == 0) out.push_back({r.id, "missing", r.id, "(none)"});
  }
  for (size_t i = 0; i < got.records.size(); ++i) {
    if (want_set.count(got_ids[i]) == 0) {
      out.push_back({got.records[i].id, "extra", "(none)", got.records[i].answer});
    }
  }
  // Order is checked on the IDs both sides have, so one missing ID is
  // reported once and not again as an order difference.
  std::vector<std::string> want_common, got_common;
  for (const std::string& id : want_ids) {
    if (got_by_id.count(id)) want_common.push_back(id);
  }
  std::set<std::string> seen;
  for (const std::string& id : got_ids) {
    if (want_set.count(id) && seen.insert(id).second) got_common.push_back(id);
  }
  if (want_common != got_common) {
    out.push_back({"", "order", JoinIds(want_common), JoinIds(got_common)});
  }
  for (const auto& r : want.records) {
    auto it = got_by_id.find(Canon(r.id));
    if (it != got_by_id.end()) CompareRecord(r, *it->second, &out);
  }

  const extract::DocumentMetadata& wm = want.metadata;
  const extract::DocumentMetadata& gm = got.metadata;
  // The scorer's vendor rule: either canonical, lower-cased name contains the
  // other ("Works Human Intelligence" matches "株式会社Works Human Intelligence").
  if (wm.vendor) {
    std::string w = Canon(*wm.vendor), g = gm.vendor ? Canon(*gm.vendor) : "";
    std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return std::tolower(c); });
    std::transform(g.begin(), g.end(), g.begin(), [](unsigned char c) { return std::tolower(c); });
    if (g.empty() || (w.find(g) == std::string::npos && g.find(w) == std::string::npos)) {
      out.push_back({"", "vendor", *wm.vendor, OrNull(gm.vendor)});
    }
  } else if (gm.vendor && !Canon(*gm.vendor).empty()) {
    out.push_back({"", "vendor", "null", *gm.vendor});
  }
  if (wm.edition != gm.edition) {
    out.push_back({"", "edition", wm.edition ? std::to_string(*wm.edition) : "null",
                   gm.edition ? std::to_string(*gm.edition) : "null"});
  }
  if (wm.date != gm.date) out.push_back({"", "date", OrNull(wm.date), OrNull(gm.date)});
  return out;
}

// One line per difference, then the want/got values indented, like the
// scoring script's "wrong" lines.
inline std::string FormatDifferences(const std::vector<Difference>& diffs) {
  std::string out;
  for (const Difference& d : diffs) {
    out += (d.id.empty() ? std::string("document") : d.id) + " " + d.field + "\n";
    out += "  want: " + d.want + "\n";
    out += "  got:  " + d.got + "\n";
  }
  return out;
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_CORPUS_COMPARE_H_
