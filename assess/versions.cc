// Versions of whitepapers: keys for vendors, titles and content, and the
// grouping doc/versions.md describes.
#include "assess/versions.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

#include "base/sha256.h"
#include "base/text.h"
#include "normalize/normalize.h"

namespace fiscdex::assess {
namespace {

// Everything but letters, digits, kana and kanji: punctuation, symbols and
// white space differ between a PDF's text and a spreadsheet's cells for the
// same answer.
const RE2& NotWordCharacters() {
  static const RE2* re = new RE2("[\\s\\pP\\pS]+");
  return *re;
}

const RE2& VersionPattern() {
  // The digits of: 第3版 / 第3.1版 / 3.1版 / v1.2 / Ver. 2.0 / Version 3 /
  // Rev.3 / 改訂2 / 改版3 / 2023年版 / 第2刷.
  static const RE2* re = new RE2(
      "(?i)(?:第\\s*(\\d+(?:\\.\\d+)*)\\s*(?:版|刷)|(\\d+(?:\\.\\d+)*)\\s*版|"
      "\\bv(?:er(?:sion)?)?\\.?\\s*(\\d+(?:\\.\\d+)*)|\\brev(?:ision)?\\.?\\s*(\\d+(?:\\.\\d+)*)|"
      "改(?:訂|版)\\s*(\\d+(?:\\.\\d+)*))");
  return *re;
}

// Words of a title that change from version to version.
const RE2& TitleVersionWords() {
  static const RE2* re = new RE2(
      "(?i)(?:第\\s*\\d+(?:\\.\\d+)*\\s*(?:版|刷)|\\d+(?:\\.\\d+)*\\s*版|"
      "\\bv(?:er(?:sion)?)?\\.?\\s*\\d+(?:\\.\\d+)*|\\brev(?:ision)?\\.?\\s*\\d+(?:\\.\\d+)*|"
      "改(?:訂|版)\\s*\\d*|\\d{4}\\s*[年/.-]\\s*\\d{1,2}\\s*(?:[月/.-]\\s*\\d{1,2}\\s*日?)?|"
      "\\d{4}\\s*年度?|令和\\s*\\d+\\s*年度?|"
      "第\\s*\\d+\\s*版\\s*対応|(?:FISC)?安全対策基準\\s*(?:・解説書)?\\s*(?:第\\s*\\d+\\s*版)?|"
      "[(（]\\s*[)）]|最新|改訂版|更新版|draft|ドラフト)");
  return *re;
}

const RE2& CompanyForms() {
  static const RE2* re = new RE2(
      "(?i)(?:株式会社|有限会社|合同会社|一般社団法人|一般財団法人|\\(株\\)|㈱|\\(有\\)|"
      "\\binc\\b\\.?|\\bcorp(?:oration)?\\b\\.?|\\bco\\.?,?\\s*ltd\\b\\.?|\\bltd\\b\\.?|"
      "\\bllc\\b|\\bk\\.?k\\.?\\b|\\bg\\.?k\\.?\\b)");
  return *re;
}

std::string Folded(std::string_view text) { return normalize::FoldForSearch(text); }

// Version strings compare by their numbers: 1.10 after 1.9.
bool VersionLess(const std::string& a, const std::string& b) {
  return NumbersIn(a) < NumbersIn(b);
}

std::string FileStem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

}  // namespace

void ContentKeyBuilder::Add(std::string_view criterion_id, std::string_view answer) {
  std::string text = Folded(answer);
  RE2::GlobalReplace(&text, NotWordCharacters(), "");
  lines_.push_back(std::string(criterion_id) + '\t' + text);
}

std::string ContentKeyBuilder::Finish() {
  if (lines_.empty()) return "";
  std::sort(lines_.begin(), lines_.end());
  std::string all;
  for (const std::string& line : lines_) {
    all += line;
    all += '\n';
  }
  lines_.clear();
  return Sha256Hex(all);
}

std::optional<std::string> VersionLabel(std::string_view text) {
  const std::string folded = normalize::NormalizeText(text);
  std::string a, b, c, d, e;
  if (!RE2::PartialMatch(folded, VersionPattern(), &a, &b, &c, &d, &e)) return std::nullopt;
  for (std::string* found : {&a, &b, &c, &d, &e}) {
    if (!found->empty()) return *found;
  }
  return std::nullopt;
}

std::string VendorKey(std::string_view vendor) {
  std::string key = Folded(vendor);
  RE2::GlobalReplace(&key, CompanyForms(), "");
  RE2::GlobalReplace(&key, NotWordCharacters(), "");
  return key;
}

std::string TitleKey(std::string_view title) {
  std::string key = Folded(title);
  RE2::GlobalReplace(&key, TitleVersionWords(), "");
  RE2::GlobalReplace(&key, NotWordCharacters(), "");
  return key;
}

std::vector<DocumentVersion> GroupVersions(const std::vector<VersionInput>& documents) {
  std::vector<DocumentVersion> out(documents.size());
  // Series: vendor key + title key. A document naming no vendor is its own
  // vendor (keyed by path), so unrelated anonymous files never merge.
  std::map<std::string, std::vector<size_t>> series;
  for (size_t i = 0; i < documents.size(); ++i) {
    const VersionInput& d = documents[i];
    DocumentVersion& v = out[i];
    v.id = d.id;
    const std::optional<std::string>& named = d.declared_vendor ? d.declared_vendor : d.vendor;
    std::string vendor_key;
    if (named && !VendorKey(*named).empty()) {
      v.vendor = *named;
      vendor_key = VendorKey(*named);
    } else {
      v.vendor = FileStem(d.path);
      vendor_key = "\x01" + d.path;
    }
    v.series = vendor_key + '\x1f' + (d.title ? TitleKey(*d.title) : std::string());
    v.version_label = d.title ? VersionLabel(*d.title) : std::nullopt;
    if (!v.version_label) v.version_label = VersionLabel(FileStem(d.path));
    series[v.series].push_back(i);
  }

  // Within one vendor, a document whose title differs but whose records are
  // the same as another's (a PDF and its spreadsheet export, titled
  // differently by their producers) joins that one's series.
  std::map<std::string, std::string> series_of_content;  // vendor key + content -> series
  for (auto& [key, members] : series) {
    for (size_t i : members) {
      if (documents[i].content_key.empty()) continue;
      const std::string vendor_key = key.substr(0, key.find('\x1f'));
      series_of_content.try_emplace(vendor_key + '\x1f' + documents[i].content_key, key);
    }
  }
  std::map<std::string, std::vector<size_t>> merged;
  for (auto& [key, members] : series) {
    std::string target = key;
    for (size_t i : members) {
      if (documents[i].content_key.empty()) continue;
      const std::string vendor_key = key.substr(0, key.find('\x1f'));
      const std::string& first = series_of_content[vendor_key + '\x1f' + documents[i].content_key];
      target = std::min(target, first);
    }
    for (size_t i : members) {
      out[i].series = target;
      merged[target].push_back(i);
    }
  }

  for (auto& [key, members] : merged) {
    // Same version: same date, edition and version string (any of them
    // known), or the same records.
    auto version_key = [&](size_t i) {
      const VersionInput& d = documents[i];
      if (!d.date && !d.edition && !out[i].version_label) return std::string("\x02") + d.content_key;
      return d.date.value_or("") + '\x1f' + (d.edition ? std::to_string(*d.edition) : "") +
             '\x1f' + out[i].version_label.value_or("");
    };
    std::vector<std::vector<size_t>> versions;
    std::map<std::string, size_t> by_key;
    for (size_t i : members) {
      size_t slot = versions.size();
      const std::string k = version_key(i);
      bool anonymous = k == "\x02";  // nothing known at all: a version of its own
      if (!anonymous) {
        auto found = by_key.find(k);
        if (found == by_key.end() && !documents[i].content_key.empty()) {
          found = by_key.find("\x03" + documents[i].content_key);
        }
        if (found != by_key.end()) slot = found->second;
      }
      if (slot == versions.size()) versions.emplace_back();
      versions[slot].push_back(i);
      if (!anonymous) by_key.emplace(k, slot);
      if (!documents[i].content_key.empty()) by_key.emplace("\x03" + documents[i].content_key, slot);
    }
    // The copy with the most records stands for its version (a PDF may lose
    // a row a spreadsheet keeps); then the first by path, for stability.
    std::vector<size_t> primary(versions.size());
    for (size_t v = 0; v < versions.size(); ++v) {
      primary[v] = *std::min_element(versions[v].begin(), versions[v].end(), [&](size_t a, size_t b) {
        return std::tuple(-documents[a].records, documents[a].path) <
               std::tuple(-documents[b].records, documents[b].path);
      });
    }
    // What a version is known by: the date, edition and version string any
    // of its copies carries (a spreadsheet export may have lost the date
    // its PDF prints).
    struct Known {
      std::optional<std::string> date;
      std::optional<int> edition;
      std::optional<std::string> label;
    };
    std::vector<Known> known(versions.size());
    for (size_t v = 0; v < versions.size(); ++v) {
      for (size_t i : versions[v]) {
        if (documents[i].date) known[v].date = std::max(known[v].date, documents[i].date);
        if (documents[i].edition) known[v].edition = std::max(known[v].edition, documents[i].edition);
        if (!known[v].label) known[v].label = out[i].version_label;
      }
    }
    std::vector<size_t> order(versions.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const Known& x = known[a];
      const Known& y = known[b];
      // Unknown dates and editions sort first: a dated version is newer.
      if (x.date != y.date) return x.date < y.date;
      if (x.edition != y.edition) return x.edition < y.edition;
      const auto& lx = x.label;
      const auto& ly = y.label;
      if (lx != ly) {
        if (!lx || !ly) return !lx;
        if (VersionLess(*lx, *ly)) return true;
        if (VersionLess(*ly, *lx)) return false;
      }
      return documents[primary[a]].path < documents[primary[b]].path;
    });
    for (size_t rank = 0; rank < order.size(); ++rank) {
      const size_t v = order[rank];
      for (size_t i : versions[v]) {
        out[i].version = static_cast<int>(rank) + 1;
        out[i].versions = static_cast<int>(order.size());
        out[i].latest = rank + 1 == order.size();
        out[i].primary = i == primary[v];
        out[i].primary_id = documents[primary[v]].id;
      }
    }
  }
  return out;
}

}  // namespace fiscdex::assess
