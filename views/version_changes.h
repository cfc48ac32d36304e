// What changed between two indexed documents, criterion by criterion: the
// comparison behind `fiscdex diff` and the report's "since the previous
// version". The answer texts themselves are compared by compare/text_diff.h.
#ifndef FISCDEX_VIEWS_VERSION_CHANGES_H_
#define FISCDEX_VIEWS_VERSION_CHANGES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "views/assessment_views.h"

namespace fiscdex::views {

struct VersionChanges {
  std::vector<index::StoredRecord> old_records;
  std::vector<index::StoredRecord> new_records;
  // Criterion IDs in the standard's order (extract::CriterionLess).
  std::vector<std::string> added;           // in new only
  std::vector<std::string> removed;         // in old only
  std::vector<std::string> status_changed;  // in both, another status
  std::vector<std::string> answer_changed;  // in both, same status, other answer text

  bool empty() const {
    return added.empty() && removed.empty() && status_changed.empty() && answer_changed.empty();
  }
  // The record of `id` in the old or new document; null when it has none.
  const index::StoredRecord* Old(const std::string& id) const;
  const index::StoredRecord* New(const std::string& id) const;

 private:
  friend Result<VersionChanges> CompareDocuments(index::Index*, int64_t, int64_t);
  std::map<std::string, size_t> old_by_id_;
  std::map<std::string, size_t> new_by_id_;
};

// Reads both documents' records (with their text and statuses) and compares
// them. A criterion a document holds twice counts by its first record.
Result<VersionChanges> CompareDocuments(index::Index* index, int64_t old_document,
                                        int64_t new_document);

// The version just before `document` in its whitepaper's series (every
// version counted, primary copies only), if there is one.
std::optional<int64_t> PreviousVersion(const Catalog& catalog, int64_t document);

}  // namespace fiscdex::views

#endif  // FISCDEX_VIEWS_VERSION_CHANGES_H_
