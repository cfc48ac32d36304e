// The figures of ../shared/tools/score_extraction.py, computed in C++ so the
// thresholds of the issue are asserted by GoogleTest: ID precision/recall,
// and the share of matched IDs whose answer, title and group are exactly
// right (or the answer "close": similarity >= 0.9, approximated here by a
// longest-common-subsequence ratio, the measure difflib's ratio reduces to
// for these texts).
#ifndef FISCDEX_TESTS_SCORE_H_
#define FISCDEX_TESTS_SCORE_H_

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "extract/record.h"
#include "tests/corpus_compare.h"
#include "tests/json_reader.h"

namespace fiscdex::testing {

struct GoldenRecord {
  std::string answer;
  std::optional<std::string> title;
  std::vector<std::string> group;
};

struct Golden {
  std::vector<std::string> order;
  std::map<std::string, GoldenRecord> records;
  std::optional<std::string> vendor, date;
  std::optional<int> edition;
  bool has_edition = false, has_date = false;
};

inline Result<Golden> ReadGolden(const std::string& text) {
  ASSIGN_OR_RETURN(JsonValue root, ParseJson(text));
  Golden g;
  if (const JsonValue* v = root.Find("vendor"); v && v->is_string()) g.vendor = v->as_string();
  if (const JsonValue* v = root.Find("date")) {
    g.has_date = true;
    if (v->is_string()) g.date = v->as_string();
  }
  if (const JsonValue* v = root.Find("edition")) {
    g.has_edition = true;
    if (v->is_number()) g.edition = static_cast<int>(v->as_number());
  }
  const JsonValue* criteria = root.Find("criteria");
  if (!criteria || !criteria->is_array()) return Status::Corrupt("golden has no criteria array");
  for (const JsonValue& r : criteria->items()) {
    std::string id = Canon(r.Find("id")->as_string());
    if (g.records.count(id)) continue;
    GoldenRecord rec;
    if (const JsonValue* a = r.Find("answer"); a && a->is_string()) rec.answer = a->as_string();
    if (const JsonValue* t = r.Find("title"); t && t->is_string()) rec.title = t->as_string();
    if (const JsonValue* gr = r.Find("group"); gr && gr->is_array()) {
      for (const JsonValue& x : gr->items()) rec.group.push_back(Canon(x.as_string()));
    } else {
      rec.group.push_back(id);
    }
    g.order.push_back(id);
    g.records.emplace(id, std::move(rec));
  }
  return g;
}

// Similarity as 2*LCS/(len a + len b) over code points.
inline double Similarity(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    std::vector<std::string> cps;
    for (size_t i = 0; i < s.size();) {
      size_t n = 1;
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
      cps.push_back(s.substr(i, n));
      i += n;
    }
    return cps;
  };
  std::vector<std::string> x = split(a), y = split(b);
  if (x.empty() && y.empty()) return 1.0;
  std::vector<int> prev(y.size() + 1, 0), cur(y.size() + 1, 0);
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      cur[j] = x[i - 1] == y[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return 2.0 * prev[y.size()] / static_cast<double>(x.size() + y.size());
}

struct Score {
  double precision = 0, recall = 0, answer_exact = 0, answer_close = 0, group_exact = 0;
  std::optional<double> title_exact;
  bool vendor_ok = true, edition_ok = true, date_ok = true;
  std::string differences;  // readable, for failure messages

  std::string Summary() const {
    std::ostringstream o;
    o << "precision " << precision << " recall " << recall << " answer " << answer_exact
      << " (close " << answer_close << ") title "
      << (title_exact ? std::to_string(*title_exact) : "n/a") << " group " << group_exact
      << " vendor " << vendor_ok << " edition " << edition_ok << " date " << date_ok;
    return o.str();
  }
};

inline Score ScoreExtraction(const Golden& g, const extract::Extraction& e) {
  Score s;
  std::map<std::string, const extract::CriterionRecord*> out;
  for (const auto& r : e.records) out.emplace(Canon(r.id), &r);
  size_t matched = 0, answer_ok = 0, close = 0, title_ok = 0, title_n = 0, group_ok = 0;
  std::ostringstream diff;
  for (const std::string& id : g.order) {
    auto it = out.find(id);
    if (it == out.end()) {
      diff << "missing " << id << "\n";
      continue;
    }
    ++matched;
    const GoldenRecord& want = g.records.at(id);
    const extract::CriterionRecord& got = *it->second;
    std::string wa = Canon(want.answer), ga = Canon(got.answer);
    if (wa == ga) {
      ++answer_ok;
      ++close;
    } else {
      if (Similarity(wa, ga) >= 0.9) ++close;
      diff << "answer " << id << "\n  want: " << want.answer << "\n  got:  " << got.answer << "\n";
    }
    if (want.title) {
      ++title_n;
      if (Canon(*want.title) == Canon(got.title.value_or(""))) {
        ++title_ok;
      } else {
        diff << "title " << id << "\n  want: " << *want.title << "\n  got:  "
             << got.title.value_or("null") << "\n";
      }
    }
    std::vector<std::string> gg;
    for (const auto& x : got.group) gg.push_back(Canon(x));
    if (gg.empty()) gg.push_back(id);
    if (gg == want.group) {
      ++group_ok;
    } else {
      diff << "group " << id << " want " << want.group.size() << " got " << gg.size() << "\n";
    }
  }
  for (const auto& [id, r] : out) {
    if (!g.records.count(id)) diff << "extra " << id << "\n";
  }
  s.precision = out.empty() ? (g.records.empty() ? 1.0 : 0.0) : double(matched) / out.size();
  s.recall = g.records.empty() ? 1.0 : double(matched) / g.records.size();
  double none = g.records.empty() ? 1.0 : 0.0;
  s.answer_exact = matched ? double(answer_ok) / matched : none;
  s.answer_close = matched ? double(close) / matched : none;
  s.group_exact = matched ? double(group_ok) / matched : none;
  if (title_n) s.title_exact = double(title_ok) / title_n;
  if (g.has_edition) s.edition_ok = g.edition == e.metadata.edition;
  if (g.has_date) s.date_ok = g.date == e.metadata.date;
  if (g.vendor) {
    std::string gv = Canon(*g.vendor), ov = Canon(e.metadata.vendor.value_or(""));
    for (auto* v : {&gv, &ov}) {
      for (char& c : *v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    s.vendor_ok = !ov.empty() && (gv.find(ov) != std::string::npos || ov.find(gv) != std::string::npos);
  }
  if (!s.edition_ok) diff << "edition wrong\n";
  if (!s.date_ok) diff << "date wrong: " << e.metadata.date.value_or("null") << "\n";
  if (!s.vendor_ok) diff << "vendor wrong: " << e.metadata.vendor.value_or("null") << "\n";
  s.differences = diff.str();
  return s;
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_SCORE_H_
