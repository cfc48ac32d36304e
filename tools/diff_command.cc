// `fiscdex diff OLD NEW` / `fiscdex diff --vendor V`: what changed between
// two versions of a whitepaper: criteria added and removed, status changes
// first, then answers that changed, as a diff of the Japanese text.
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "compare/text_diff.h"
#include "tools/assessment_views.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct DiffOptions {
  std::vector<std::string> documents;
  std::string vendor;
  bool json = false;
};

std::map<std::string, const index::StoredRecord*> ById(const std::vector<index::StoredRecord>& rs) {
  std::map<std::string, const index::StoredRecord*> out;
  for (const auto& r : rs) out.emplace(r.criterion_id, &r);
  return out;
}

Result<int64_t> DocumentByPath(const Catalog& catalog, const std::string& path) {
  for (const auto& d : catalog.documents) {
    if (d.path == path || DisplayPath(d.path) == path) return d.id;
  }
  return Status::NotFound("not in the index: " + path + " (fiscdex list shows what is)");
}

}  // namespace

int RunDiff(const GlobalOptions& global, const std::vector<std::string>& args) {
  DiffOptions options;
  Status parsed = ParseFlags(args,
                             {{.name = "--vendor", .value = &options.vendor},
                              {.name = "--json", .present = &options.json}},
                             &options.documents);
  if (!parsed.ok()) return UsageError("diff", parsed.message());
  if (options.vendor.empty() == (options.documents.size() != 2)) {
    return UsageError("diff", "give two indexed documents (OLD NEW) or --vendor VENDOR");
  }
  View view;
  if (int code = OpenView(global, "diff", Selection{.all_versions = true}, &view); code != kExitOk) {
    return code;
  }
  index::Index* index = view.index.get();
  const Catalog* catalog = &view.catalog;
  int64_t old_id = 0, new_id = 0;
  if (!options.vendor.empty()) {
    Selection selection;
    selection.all_versions = true;
    selection.vendors = {options.vendor};
    Result<std::vector<int64_t>> all = SelectDocuments(*catalog, selection);
    if (!all.ok()) return UsageError("diff", all.status().message());
    // The two latest versions of the vendor's whitepaper (of the latest one,
    // when it has several).
    const std::string series = catalog->Version(all->back()).series;
    std::vector<int64_t> versions;
    for (int64_t id : *all) {
      if (catalog->Version(id).series == series) versions.push_back(id);
    }
    if (versions.size() < 2) {
      return UsageError("diff", "vendor '" + options.vendor + "' has one version of " +
                                    DisplayPath(catalog->Document(versions.back()).path) +
                                    " indexed: nothing to compare it with");
    }
    old_id = versions[versions.size() - 2];
    new_id = versions.back();
  } else {
    Result<int64_t> a = DocumentByPath(*catalog, options.documents[0]);
    if (!a.ok()) return UsageError("diff", a.status().message());
    Result<int64_t> b = DocumentByPath(*catalog, options.documents[1]);
    if (!b.ok()) return UsageError("diff", b.status().message());
    old_id = *a;
    new_id = *b;
  }
  const auto& old_doc = catalog->Document(old_id);
  const auto& new_doc = catalog->Document(new_id);
  const std::string old_vendor = catalog->Version(old_id).vendor;
  const std::string new_vendor = catalog->Version(new_id).vendor;
  if (!global.quiet && assess::VendorKey(old_vendor) != assess::VendorKey(new_vendor)) {
    PrintError("diff", "note: comparing documents of two vendors (" + old_vendor + ", " +
                           new_vendor + "), not two versions of one whitepaper");
  }

  index::RecordQuery query;
  query.document_ids = std::vector<int64_t>{old_id};
  Result<std::vector<index::StoredRecord>> old_records = index->Records(query);
  query.document_ids = std::vector<int64_t>{new_id};
  Result<std::vector<index::StoredRecord>> new_records = index->Records(query);
  if (!old_records.ok() || !new_records.ok()) {
    PrintError(global.db_path,
               (old_records.ok() ? new_records.status() : old_records.status()).ToString());
    return kExitFailed;
  }
  const auto old_by_id = ById(*old_records);
  const auto new_by_id = ById(*new_records);
  std::vector<std::string> added, removed, status_changed, answer_changed;
  for (const auto& [id, r] : new_by_id) {
    if (!old_by_id.count(id)) added.push_back(id);
  }
  for (const auto& [id, r] : old_by_id) {
    const auto other = new_by_id.find(id);
    if (other == new_by_id.end()) {
      removed.push_back(id);
    } else if (r->status.status != other->second->status.status) {
      status_changed.push_back(id);
    } else if (r->answer != other->second->answer) {
      answer_changed.push_back(id);
    }
  }
  for (auto* list : {&added, &removed, &status_changed, &answer_changed}) {
    std::sort(list->begin(), list->end(), CriterionLess);
  }

  std::string out;
  if (options.json) {
    JsonWriter json(&out);
    json.BeginObject();
    json.Key("old").String(DisplayPath(old_doc.path));
    json.Key("new").String(DisplayPath(new_doc.path));
    json.Key("same_vendor").Bool(assess::VendorKey(old_vendor) == assess::VendorKey(new_vendor));
    json.Key("added").StringArray(added);
    json.Key("removed").StringArray(removed);
    json.Key("changed").BeginArray(true);
    for (const auto* list : {&status_changed, &answer_changed}) {
      for (const std::string& id : *list) {
        const auto* a = old_by_id.at(id);
        const auto* b = new_by_id.at(id);
        json.BeginObject();
        json.Key("id").String(id);
        json.Key("old_status").String(assess::StatusName(a->status.status));
        json.Key("new_status").String(assess::StatusName(b->status.status));
        json.Key("new_status_evidence").String(b->status.evidence);
        json.Key("diff").BeginArray();
        for (const compare::DiffSpan& span : compare::DiffText(a->answer, b->answer)) {
          json.BeginObject();
          json.Key("op").String(span.kind == compare::DiffKind::kEqual     ? "equal"
                                : span.kind == compare::DiffKind::kDeleted ? "deleted"
                                                                           : "inserted");
          json.Key("text").String(span.text);
          json.EndObject();
        }
        json.EndArray().EndObject();
      }
    }
    json.EndArray().EndObject();
    out += '\n';
    return WriteStdout(out) ? kExitOk : kExitFailed;
  }

  out = "old: " + DisplayPath(old_doc.path) + " (" + old_vendor + ", " + old_doc.date.value_or("no date") +
        ")\nnew: " + DisplayPath(new_doc.path) + " (" + new_vendor + ", " +
        new_doc.date.value_or("no date") + ")\n";
  if (old_id == new_id || (added.empty() && removed.empty() && status_changed.empty() &&
                           answer_changed.empty())) {
    out += old_id == new_id ? "no changes: both are the same document\n" : "no changes\n";
    return WriteStdout(out) ? kExitOk : kExitFailed;
  }
  auto list = [&](const char* what, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    out += std::string(what) + " (" + std::to_string(ids.size()) + "): " + JoinWords(ids) + "\n";
  };
  list("added", added);
  list("removed", removed);
  const bool colour = IsTerminal(stdout);
  auto show = [&](const std::string& id) {
    const auto* a = old_by_id.at(id);
    const auto* b = new_by_id.at(id);
    out += "\n■ " + id + "  " + std::string(assess::StatusName(a->status.status));
    if (a->status.status != b->status.status) {
      out += " → " + std::string(assess::StatusName(b->status.status));
      if (!b->status.evidence.empty()) out += "  «" + b->status.evidence + "»";
    }
    out += "\n    ";
    for (const compare::DiffSpan& span : compare::DiffText(a->answer, b->answer)) {
      std::string text = span.text;
      for (size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 5) {
        text.replace(p, 1, "\n    ");
      }
      if (span.kind == compare::DiffKind::kEqual) {
        out += text;
      } else if (colour) {
        out += span.kind == compare::DiffKind::kDeleted ? "\x1b[31;9m" : "\x1b[32;4m";
        out += text + "\x1b[0m";
      } else {
        out += span.kind == compare::DiffKind::kDeleted ? "[-" + text + "-]" : "{+" + text + "+}";
      }
    }
    out += '\n';
  };
  if (!status_changed.empty()) out += "\nstatus changed (" + std::to_string(status_changed.size()) + "):";
  for (const std::string& id : status_changed) show(id);
  if (!answer_changed.empty()) out += "\nanswer changed (" + std::to_string(answer_changed.size()) + "):";
  for (const std::string& id : answer_changed) show(id);
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
