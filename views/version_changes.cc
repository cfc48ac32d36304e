// Criterion-by-criterion comparison of two indexed documents.
#include "views/version_changes.h"

#include <algorithm>

#include "extract/extract.h"

namespace fiscdex::views {
namespace {

std::map<std::string, size_t> PositionsById(const std::vector<index::StoredRecord>& records) {
  std::map<std::string, size_t> out;
  for (size_t i = 0; i < records.size(); ++i) out.emplace(records[i].criterion_id, i);
  return out;
}

}  // namespace

const index::StoredRecord* VersionChanges::Old(const std::string& id) const {
  const auto found = old_by_id_.find(id);
  return found == old_by_id_.end() ? nullptr : &old_records[found->second];
}

const index::StoredRecord* VersionChanges::New(const std::string& id) const {
  const auto found = new_by_id_.find(id);
  return found == new_by_id_.end() ? nullptr : &new_records[found->second];
}

Result<VersionChanges> CompareDocuments(index::Index* index, int64_t old_document,
                                        int64_t new_document) {
  VersionChanges changes;
  index::RecordQuery query;
  query.document_ids = std::vector<int64_t>{old_document};
  ASSIGN_OR_RETURN(changes.old_records, index->Records(query));
  query.document_ids = std::vector<int64_t>{new_document};
  ASSIGN_OR_RETURN(changes.new_records, index->Records(query));
  changes.old_by_id_ = PositionsById(changes.old_records);
  changes.new_by_id_ = PositionsById(changes.new_records);
  for (const auto& [id, position] : changes.new_by_id_) {
    if (!changes.old_by_id_.count(id)) changes.added.push_back(id);
  }
  for (const auto& [id, position] : changes.old_by_id_) {
    const index::StoredRecord* now = changes.New(id);
    const index::StoredRecord& before = changes.old_records[position];
    if (now == nullptr) {
      changes.removed.push_back(id);
    } else if (before.status.status != now->status.status) {
      changes.status_changed.push_back(id);
    } else if (before.answer != now->answer) {
      changes.answer_changed.push_back(id);
    }
  }
  for (auto* list : {&changes.added, &changes.removed, &changes.status_changed,
                     &changes.answer_changed}) {
    std::sort(list->begin(), list->end(), extract::CriterionLess);
  }
  return changes;
}

std::optional<int64_t> PreviousVersion(const Catalog& catalog, int64_t document) {
  const assess::DocumentVersion& current = catalog.Version(document);
  std::optional<int64_t> best;
  int best_version = 0;
  for (const assess::DocumentVersion& other : catalog.versions) {
    if (!other.primary || other.series != current.series || other.version >= current.version) {
      continue;
    }
    if (other.version > best_version) {
      best_version = other.version;
      best = other.id;
    }
  }
  return best;
}

}  // namespace fiscdex::views
