#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "extract/draft.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {
namespace {

// The same answer printed twice (a page-top repeat, a duplicated row) must
// not be joined to itself; compare without white space.
std::string Squeezed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<CriterionRecord> AssembleRecords(std::vector<Draft> drafts) {
  std::stable_sort(drafts.begin(), drafts.end(),
                   [](const Draft& a, const Draft& b) { return a.order < b.order; });
  // A heading per ID is the document's own section for that criterion; a
  // table or a line naming the same ID is then an index of those sections.
  // A block about a control that names it (a reverse mapping) is the
  // vendor's text all the same and joins the section's answer.
  std::set<std::string> heading_ids;
  for (const Draft& d : drafts) {
    if (d.origin == Draft::Origin::kHeading) heading_ids.insert(d.ids.begin(), d.ids.end());
  }

  std::vector<CriterionRecord> records;
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, std::vector<std::string>> parts_by_id;
  for (const Draft& d : drafts) {
    std::vector<std::string> group;
    for (const std::string& id : d.ids) {
      if (std::find(group.begin(), group.end(), id) == group.end()) group.push_back(id);
    }
    for (size_t k = 0; k < d.ids.size(); ++k) {
      const std::string& id = d.ids[k];
      if ((d.origin == Draft::Origin::kTableRow || d.origin == Draft::Origin::kLine) &&
          heading_ids.count(id)) {
        continue;
      }
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        CriterionRecord r;
        r.id = id;
        r.answer = d.answer;
        r.title = d.titles[k];
        r.group = group;
        r.page = k < d.id_pages.size() ? d.id_pages[k] : d.page;
        r.columns = d.columns;
        r.source_begin = d.source_begin;
        r.source_end = d.source_end;
        by_id.emplace(id, records.size());
        parts_by_id[id].push_back(Squeezed(d.answer));
        records.push_back(std::move(r));
        continue;
      }
      // The ID starts a record again: join the answers, dropping exact repeats.
      CriterionRecord& r = records[it->second];
      std::vector<std::string>& parts = parts_by_id[id];
      std::string squeezed = Squeezed(d.answer);
      if (!r.title && d.titles[k]) r.title = d.titles[k];
      if (squeezed.empty() || std::find(parts.begin(), parts.end(), squeezed) != parts.end()) {
        continue;
      }
      parts.push_back(squeezed);
      if (!r.answer.empty()) r.answer += '\n';
      r.answer += d.answer;
      r.columns.insert(r.columns.end(), d.columns.begin(), d.columns.end());
      r.source_end = std::max(r.source_end, d.source_end);
    }
  }
  return records;
}

}  // namespace fiscdex::extract
