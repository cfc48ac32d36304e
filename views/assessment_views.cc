// Vendors, versions and coverage for the views of the assessment.
#include "views/assessment_views.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <tuple>

#include "extract/extract.h"

namespace fiscdex::views {
Result<Selection> MakeSelection(const std::string& vendors, const std::string& edition,
                                bool all_versions) {
  Selection selection;
  selection.all_versions = all_versions;
  size_t start = 0;
  while (start <= vendors.size() && !vendors.empty()) {
    const size_t comma = vendors.find(',', start);
    std::string name = vendors.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!name.empty()) selection.vendors.push_back(std::move(name));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!edition.empty()) {
    char* end = nullptr;
    const long value = std::strtol(edition.c_str(), &end, 10);
    if (*end != '\0' || value < 1 || value > 99) {
      return Status::InvalidArgument("--edition " + edition + ": not an edition number (8..13)");
    }
    selection.edition = static_cast<int>(value);
  }
  return selection;
}

const std::vector<StatusDisplay>& StatusDisplays() {
  static const std::vector<StatusDisplay> displays = {
      {"implemented", "IM", 'i', "○", "対応"},
      {"partial", "PA", 'p', "△", "一部・制限"},
      {"provider", "PR", 'v', "P", "基盤事業者"},
      {"customer", "CU", 'c', "C", "利用者対応"},
      {"not_applicable", "NA", 'n', "−", "対象外"},
      {"blank", "BL", 'b', "?", "空欄"},
      {"retired", "RT", 'r', "欠", "欠番"},
      {"reference", "RF", 'f', "→", "他項参照"},
      {"missing", "--", 'm', "×", "記載なし"},
  };
  return displays;
}

const StatusDisplay* FindStatusDisplay(std::string_view key) {
  for (const StatusDisplay& display : StatusDisplays()) {
    if (display.key == key) return &display;
  }
  return nullptr;
}

std::string_view StatusCode2(std::string_view status) {
  const StatusDisplay* display = FindStatusDisplay(status);
  return display != nullptr ? display->code2 : "  ";
}

std::string StatusLegend() {
  std::string out;
  for (assess::AnswerStatus status : assess::AllStatuses()) {
    out += "  ";
    out += StatusCode2(assess::StatusName(status));
    out += "  ";
    out += assess::StatusName(status);
    out += ": ";
    out += assess::StatusMeaning(status);
    out += '\n';
  }
  out += "  --  missing: the document's edition has the criterion, the document never mentions it\n";
  return out;
}

Result<Catalog> LoadCatalog(index::Index* index) {
  Catalog catalog;
  ASSIGN_OR_RETURN(catalog.documents, index->ListDocuments());
  std::vector<assess::VersionInput> inputs;
  inputs.reserve(catalog.documents.size());
  for (size_t i = 0; i < catalog.documents.size(); ++i) {
    const index::DocumentSummary& d = catalog.documents[i];
    catalog.by_id[d.id] = i;
    inputs.push_back({d.id, d.path, d.vendor, d.declared_vendor, d.title, d.edition, d.date,
                      d.content_key, d.records});
  }
  catalog.versions = assess::GroupVersions(inputs);
  return catalog;
}

Result<std::vector<int64_t>> SelectDocuments(const Catalog& catalog, const Selection& selection) {
  std::vector<std::string> keys;
  for (const std::string& vendor : selection.vendors) keys.push_back(assess::VendorKey(vendor));
  std::vector<bool> matched(keys.size(), false);
  std::vector<size_t> chosen;
  for (size_t i = 0; i < catalog.documents.size(); ++i) {
    const assess::DocumentVersion& v = catalog.versions[i];
    bool vendor_ok = keys.empty();
    const std::string key = assess::VendorKey(v.vendor);
    for (size_t k = 0; k < keys.size(); ++k) {
      // A vendor is named by its name or a part of it (サクラギ for
      // 株式会社サクラギ・ソフト), never by an empty key.
      if (!keys[k].empty() && key.find(keys[k]) != std::string::npos) {
        vendor_ok = true;
        matched[k] = true;
      }
    }
    // Views are about answers: a document without records (prose, a
    // negative control) has no column.
    if (!vendor_ok || !v.primary || catalog.documents[i].records == 0) continue;
    if (!selection.all_versions && !v.latest) continue;
    if (selection.edition && catalog.documents[i].edition != selection.edition) continue;
    chosen.push_back(i);
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    if (matched[k]) continue;
    std::set<std::string> known;
    for (const auto& v : catalog.versions) known.insert(v.vendor);
    std::string list;
    for (const std::string& name : known) {
      if (list.size() > 300) {
        list += ", ...";
        break;
      }
      list += list.empty() ? "" : ", ";
      list += name;
    }
    return Status::NotFound("no indexed document is by a vendor matching '" +
                            selection.vendors[k] + "' (vendors: " +
                            (list.empty() ? "none" : list) + ")");
  }
  std::sort(chosen.begin(), chosen.end(), [&](size_t a, size_t b) {
    const auto& x = catalog.versions[a];
    const auto& y = catalog.versions[b];
    return std::tuple(assess::VendorKey(x.vendor), x.series, x.version) <
           std::tuple(assess::VendorKey(y.vendor), y.series, y.version);
  });
  std::vector<int64_t> out;
  for (size_t i : chosen) out.push_back(catalog.documents[i].id);
  return out;
}

std::string ColumnLabel(const Catalog& catalog, int64_t id, bool with_version) {
  const assess::DocumentVersion& v = catalog.Version(id);
  const index::DocumentSummary& d = catalog.Document(id);
  std::string label = v.vendor;
  // A vendor with two whitepapers needs the file to tell them apart.
  int series_of_vendor = 0;
  std::set<std::string> seen;
  for (const auto& other : catalog.versions) {
    if (assess::VendorKey(other.vendor) == assess::VendorKey(v.vendor) &&
        seen.insert(other.series).second) {
      ++series_of_vendor;
    }
  }
  if (series_of_vendor > 1) {
    const size_t slash = d.path.find_last_of('/');
    label += " (" + (slash == std::string::npos ? d.path : d.path.substr(slash + 1)) + ")";
  }
  if (with_version && v.versions > 1) {
    label += " v" + std::to_string(v.version) + "/" + std::to_string(v.versions);
  }
  return label;
}

Result<Coverage> BuildCoverage(index::Index* index, const Catalog& catalog,
                               const std::vector<int64_t>& documents,
                               const std::optional<std::string>& family) {
  Coverage coverage;
  coverage.documents = documents;
  index::RecordQuery query;
  query.family = family;
  query.with_text = false;
  ASSIGN_OR_RETURN(std::vector<index::StoredRecord> records, index->Records(query));
  const std::set<int64_t> wanted(documents.begin(), documents.end());
  std::set<std::string> rows;
  std::map<std::string, std::map<std::string, int>> title_votes;
  std::map<int, std::set<std::string>> universe;  // edition -> IDs
  for (const index::StoredRecord& r : records) {
    const auto found = catalog.by_id.find(r.document_id);
    if (found == catalog.by_id.end()) continue;
    const int edition = catalog.documents[found->second].edition.value_or(-1);
    universe[edition].insert(r.criterion_id);
    if (!wanted.count(r.document_id)) continue;
    rows.insert(r.criterion_id);
    coverage.cells.emplace(std::pair(r.criterion_id, r.document_id), r.status.status);
    if (r.title && !r.title->empty()) ++title_votes[r.criterion_id][*r.title];
  }
  // The rows: every ID the chosen documents' editions know, so that a
  // criterion a vendor never mentions shows as missing.
  std::set<int> editions;
  for (int64_t id : documents) editions.insert(catalog.Document(id).edition.value_or(-1));
  for (int edition : editions) {
    for (const std::string& id : universe[edition]) rows.insert(id);
  }
  coverage.editions.assign(editions.begin(), editions.end());
  coverage.universe = std::move(universe);
  coverage.criteria.assign(rows.begin(), rows.end());
  std::sort(coverage.criteria.begin(), coverage.criteria.end(), extract::CriterionLess);
  for (auto& [id, votes] : title_votes) {
    const auto best = std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
      return a.second < b.second || (a.second == b.second && a.first > b.first);
    });
    coverage.titles[id] = best->first;
  }
  return coverage;
}

std::string Coverage::Cell(const Catalog& catalog, const std::string& criterion,
                           int64_t document) const {
  const auto found = cells.find(std::pair(criterion, document));
  if (found != cells.end()) return std::string(assess::StatusName(found->second));
  const auto ids = universe.find(catalog.Document(document).edition.value_or(-1));
  if (ids != universe.end() && ids->second.count(criterion)) return "missing";
  return "";
}

std::map<std::string, int> Coverage::Counts(const Catalog& catalog, int64_t document,
                                            std::vector<std::string>* missing) const {
  std::map<std::string, int> counts;
  for (const std::string& criterion : criteria) {
    const std::string cell = Cell(catalog, criterion, document);
    if (cell.empty()) continue;
    ++counts[cell];
    if (cell == "missing" && missing != nullptr) missing->push_back(criterion);
  }
  return counts;
}

}  // namespace fiscdex::views
