// `fiscdex list`: the indexed documents.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "base/json.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct ListOptions {
  bool json = false;
};

Result<ListOptions> ParseListOptions(const std::vector<std::string>& args) {
  ListOptions options;
  std::vector<std::string> extra;
  RETURN_IF_ERROR(ParseFlags(args, {{.name = "--json", .present = &options.json}}, &extra));
  if (!extra.empty()) return Status::InvalidArgument("unexpected argument '" + extra[0] + "'");
  return options;
}

// An aligned table; the vendor column is as wide as its widest name (CJK
// names count two columns per character).
std::string HumanTable(const std::vector<index::DocumentSummary>& documents) {
  constexpr std::string_view kVendor = "VENDOR";
  int vendor_width = DisplayWidth(kVendor);
  for (const index::DocumentSummary& doc : documents) {
    vendor_width = std::max(vendor_width, DisplayWidth(doc.vendor.value_or("-")));
  }
  std::string out = PadToWidth(kVendor, vendor_width);
  out += "  ED  DATE        RECORDS  PASSAGES  FORMAT    ENCODING   PATH\n";
  for (const index::DocumentSummary& doc : documents) {
    char counts[128];
    std::snprintf(counts, sizeof counts, "  %-2s  %-10s  %7d  %8d  %-8s  %-9s  ",
                  doc.edition ? std::to_string(*doc.edition).c_str() : "-",
                  doc.date.value_or("-").c_str(), doc.records, doc.passages, doc.format.c_str(),
                  doc.encoding.empty() ? "-" : doc.encoding.c_str());
    out += PadToWidth(doc.vendor.value_or("-"), vendor_width);
    out += counts;
    out += DisplayPath(doc.path);
    // Only a PDF without a text layer is indexed with no text at all.
    if (doc.passages == 0) out += "  (no text layer)";
    out += '\n';
  }
  return out;
}

std::string JsonDocuments(const std::vector<index::DocumentSummary>& documents) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject().Key("documents").BeginArray(/*one_per_line=*/true);
  for (const index::DocumentSummary& doc : documents) {
    json.BeginObject();
    json.Key("path").String(DisplayPath(doc.path));
    json.Key("format").String(doc.format);
    json.Key("encoding").OptionalString(doc.encoding.empty() ? std::nullopt
                                                             : std::optional(doc.encoding));
    json.Key("vendor").OptionalString(doc.vendor);
    json.Key("edition").OptionalInt(doc.edition);
    json.Key("date").OptionalString(doc.date);
    json.Key("records").Int(doc.records);
    json.Key("passages").Int(doc.passages);
    json.Key("text").Bool(doc.passages > 0);
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace

int RunList(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<ListOptions> parsed = ParseListOptions(args);
  if (!parsed.ok()) return UsageError("list", parsed.status().message());

  std::unique_ptr<index::Index> index = OpenExistingIndex(global);
  if (index == nullptr) return kExitUsage;
  Result<std::vector<index::DocumentSummary>> documents = index->ListDocuments();
  if (!documents.ok()) {
    PrintError(global.db_path, documents.status().ToString());
    return kExitFailed;
  }
  if (documents->empty() && !global.quiet) std::fputs("no documents\n", stderr);
  const std::string out = parsed->json         ? JsonDocuments(*documents)
                          : documents->empty() ? std::string()
                                               : HumanTable(*documents);
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
