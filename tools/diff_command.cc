// `fiscdex diff OLD NEW` / `fiscdex diff --vendor V`: what changed between
// two versions of a whitepaper: criteria added and removed, status changes
// first, then answers that changed, as a diff of the Japanese text.
#include <string>
#include <vector>

#include "base/json.h"
#include "compare/text_diff.h"
#include "tools/view_command.h"
#include "views/version_changes.h"
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
  Selection every_version;
  every_version.all_versions = true;
  if (int code = OpenView(global, "diff", every_version, &view); code != kExitOk) {
    return code;
  }
  index::Index* index = view.index.get();
  const Catalog* catalog = &view.catalog;
  int64_t old_id = 0, new_id = 0;
  if (!options.vendor.empty()) {
    Selection selection;
    selection.all_versions = true;
    selection.vendors = {options.vendor};
    Result<std::vector<int64_t>> all = views::SelectDocuments(*catalog, selection);
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

  Result<views::VersionChanges> compared = views::CompareDocuments(index, old_id, new_id);
  if (!compared.ok()) {
    PrintError(global.db_path, compared.status().ToString());
    return kExitFailed;
  }
  const views::VersionChanges& changes = *compared;
  const std::vector<std::string>& added = changes.added;
  const std::vector<std::string>& removed = changes.removed;
  const std::vector<std::string>& status_changed = changes.status_changed;
  const std::vector<std::string>& answer_changed = changes.answer_changed;

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
        const auto* a = changes.Old(id);
        const auto* b = changes.New(id);
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
  if (old_id == new_id || changes.empty()) {
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
    const auto* a = changes.Old(id);
    const auto* b = changes.New(id);
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
