// `fiscdex coverage`: criteria × vendors, each cell the status of the
// vendor's answer, and a summary per vendor; `fiscdex criteria`: every
// criterion ID known to the index with its title and statuses.
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "base/json.h"
#include "tools/view_command.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct ViewOptions {
  std::string vendors, edition, family;
  bool all_versions = false;
  bool json = false;
};

Result<ViewOptions> ParseViewOptions(const std::vector<std::string>& args) {
  ViewOptions options;
  std::vector<std::string> positional;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--vendor", .value = &options.vendors, .list = true},
                              {.name = "--edition", .value = &options.edition},
                              {.name = "--family", .value = &options.family},
                              {.name = "--all-versions", .present = &options.all_versions},
                              {.name = "--json", .present = &options.json}},
                             &positional));
  if (!positional.empty()) return Status::InvalidArgument("unexpected '" + positional[0] + "'");
  return options;
}

// What coverage and criteria both start from: the options, the documents
// they choose, and the coverage of those. On failure reports why (as
// `command`'s error) and returns the exit code, else kExitOk.
int OpenCoverage(const GlobalOptions& global, std::string_view command,
                 const std::vector<std::string>& args, ViewOptions* options, View* view,
                 std::optional<Coverage>* coverage) {
  Result<ViewOptions> parsed = ParseViewOptions(args);
  if (!parsed.ok()) return UsageError(command, parsed.status().message());
  *options = std::move(*parsed);
  Result<Selection> selection =
      views::MakeSelection(options->vendors, options->edition, options->all_versions);
  if (!selection.ok()) return UsageError(command, selection.status().message());
  if (int code = OpenView(global, command, *selection, view); code != kExitOk) return code;
  const std::optional<std::string> family =
      options->family.empty() ? std::nullopt : std::optional(options->family);
  Result<Coverage> built =
      views::BuildCoverage(view->index.get(), view->catalog, view->documents, family);
  if (!built.ok()) return UsageError(command, built.status().message());
  *coverage = std::move(*built);
  return kExitOk;
}

std::string UniverseNote(const Coverage& coverage) {
  std::string editions;
  for (int e : coverage.editions) {
    if (!editions.empty()) editions += ", ";
    editions += e < 0 ? "unknown" : std::to_string(e);
  }
  return "criteria of an edition are the IDs seen in any indexed document of that edition "
         "(editions here: " + editions + ")";
}

}  // namespace

int RunCoverage(const GlobalOptions& global, const std::vector<std::string>& args) {
  ViewOptions options;
  View view;
  std::optional<Coverage> coverage;
  if (int code = OpenCoverage(global, "coverage", args, &options, &view, &coverage);
      code != kExitOk) {
    return code;
  }
  const ViewOptions* parsed = &options;
  const Catalog* catalog = &view.catalog;

  if (parsed->json) {
    std::string out;
    JsonWriter json(&out);
    json.BeginObject();
    json.Key("universe").String(UniverseNote(*coverage));
    json.Key("documents").BeginArray(true);
    for (int64_t id : coverage->documents) {
      const auto& d = catalog->Document(id);
      const auto& v = catalog->Version(id);
      json.BeginObject();
      json.Key("document").String(DisplayPath(d.path));
      json.Key("vendor").String(v.vendor);
      json.Key("edition").OptionalInt(d.edition);
      json.Key("date").OptionalString(d.date);
      json.Key("version").Int(v.version);
      json.Key("versions").Int(v.versions);
      std::vector<std::string> missing;
      json.Key("counts").BeginObject();
      for (const auto& [status, count] : coverage->Counts(*catalog, id, &missing)) {
        json.Key(status).Int(count);
      }
      json.EndObject();
      json.Key("missing").StringArray(missing);
      json.EndObject();
    }
    json.EndArray();
    json.Key("criteria").BeginArray(true);
    if (!WriteStdout(out)) return kExitFailed;
    out.clear();
    // Rows stream: 400 criteria × 50 vendors is 20 000 cells.
    bool first = true;
    for (const std::string& criterion : coverage->criteria) {
      std::string row = first ? "\n  " : ",\n  ";
      first = false;
      JsonWriter cell_json(&row);
      cell_json.BeginObject();
      cell_json.Key("id").String(criterion);
      const auto title = coverage->titles.find(criterion);
      cell_json.Key("title").OptionalString(
          title == coverage->titles.end() ? std::nullopt : std::optional(title->second));
      cell_json.Key("cells").BeginArray();
      for (int64_t id : coverage->documents) {
        const std::string cell = coverage->Cell(*catalog, criterion, id);
        if (cell.empty()) {
          cell_json.Null();
        } else {
          cell_json.String(cell);
        }
      }
      cell_json.EndArray().EndObject();
      if (!WriteStdout(row)) return kExitFailed;
    }
    return WriteStdout("\n]}\n") ? kExitOk : kExitFailed;
  }

  std::string out;
  if (coverage->documents.empty()) {
    out = "no documents with criterion records in the index\n";
    return WriteStdout(out) ? kExitOk : kExitFailed;
  }
  for (size_t i = 0; i < coverage->documents.size(); ++i) {
    out += "  [" + std::to_string(i + 1) + "] " +
           ColumnLabel(*catalog, coverage->documents[i], parsed->all_versions) + "  " +
           DisplayPath(catalog->Document(coverage->documents[i]).path) + "\n";
  }
  out += '\n';
  out += PadToWidth("", 10);
  for (size_t i = 0; i < coverage->documents.size(); ++i) {
    out += PadToWidth(std::to_string(i + 1), 4);
  }
  out += '\n';
  if (!WriteStdout(out)) return kExitFailed;
  for (const std::string& criterion : coverage->criteria) {
    std::string row = PadToWidth(criterion, 10);
    for (int64_t id : coverage->documents) {
      row += views::StatusCode2(coverage->Cell(*catalog, criterion, id));
      row += "  ";
    }
    row += '\n';
    if (!WriteStdout(row)) return kExitFailed;
  }
  out = "\nsummary (" + UniverseNote(*coverage) + "):\n";
  for (size_t i = 0; i < coverage->documents.size(); ++i) {
    std::vector<std::string> missing;
    const auto counts = coverage->Counts(*catalog, coverage->documents[i], &missing);
    out += "  [" + std::to_string(i + 1) + "] " +
           ColumnLabel(*catalog, coverage->documents[i], parsed->all_versions) + ":";
    for (const views::StatusDisplay& status : views::StatusDisplays()) {
      const auto found = counts.find(std::string(status.key));
      out += " " + std::string(status.key) + " " +
             std::to_string(found == counts.end() ? 0 : found->second);
    }
    out += '\n';
  }
  out += "\n" + views::StatusLegend();
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

int RunCriteria(const GlobalOptions& global, const std::vector<std::string>& args) {
  ViewOptions options;
  View view;
  std::optional<Coverage> coverage;
  if (int code = OpenCoverage(global, "criteria", args, &options, &view, &coverage);
      code != kExitOk) {
    return code;
  }
  const ViewOptions* parsed = &options;

  std::string out;
  JsonWriter json(&out);
  if (parsed->json) json.BeginObject().Key("criteria").BeginArray(true);
  for (const std::string& criterion : coverage->criteria) {
    std::map<std::string, int> counts;
    int vendors = 0;
    for (int64_t id : coverage->documents) {
      const auto cell = coverage->cells.find(std::pair(criterion, id));
      if (cell == coverage->cells.end()) continue;
      ++vendors;
      ++counts[std::string(assess::StatusName(cell->second))];
    }
    const auto title = coverage->titles.find(criterion);
    if (parsed->json) {
      json.BeginObject();
      json.Key("id").String(criterion);
      json.Key("title").OptionalString(
          title == coverage->titles.end() ? std::nullopt : std::optional(title->second));
      json.Key("vendors").Int(vendors);
      json.Key("statuses").BeginObject();
      for (const auto& [status, count] : counts) json.Key(status).Int(count);
      json.EndObject().EndObject();
      continue;
    }
    out += PadToWidth(criterion, 9);
    out += PadToWidth(std::to_string(vendors) + (vendors == 1 ? " vendor " : " vendors"), 11);
    std::string statuses;
    for (const auto& [status, count] : counts) {
      statuses += (statuses.empty() ? "" : ", ") + status + " " + std::to_string(count);
    }
    out += PadToWidth(statuses, 30);
    if (title != coverage->titles.end()) out += "  " + title->second.substr(0, title->second.find('\n'));
    out += '\n';
  }
  if (parsed->json) {
    json.EndArray().EndObject();
    out += '\n';
  }
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
