// `fiscdex export --format xlsx|csv|json|ndjson [--out FILE]`: records with
// their statuses, the coverage matrix and the per-vendor summary, for Excel,
// other tools, or an OpenSearch cluster (doc/export.md).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "export/csv_writer.h"
#include "extract/extract.h"
#include "export/ndjson.h"
#include "export/xlsx_writer.h"
#include "tools/view_command.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

using exporting::ColumnKind;
using exporting::ColumnSpec;
using exporting::SheetSpec;
using exporting::TableSink;

struct ExportOptions {
  std::string format, out, view, vendors, edition, family;
  bool all_versions = false;
};

std::string ColumnsJson(const index::StoredRecord& r) {
  if (r.columns.empty()) return "";
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (const auto& c : r.columns) {
    json.BeginObject();
    json.Key("header").String(c.header);
    json.Key("text").String(c.text);
    assess::WriteStatusFields(c.status, &json);
    json.EndObject();
  }
  json.EndArray();
  return out;
}

Status WriteRecords(index::Index* index, const Catalog& catalog, const std::vector<int64_t>& ids,
                    const std::optional<std::string>& family, TableSink* sink) {
  RETURN_IF_ERROR(sink->BeginSheet(SheetSpec{
      "records",
      {{"document", ColumnKind::kText}, {"vendor", ColumnKind::kText},
       {"title", ColumnKind::kText}, {"edition", ColumnKind::kNumber},
       {"date", ColumnKind::kText}, {"version", ColumnKind::kNumber},
       {"criterion_id", ColumnKind::kText}, {"family", ColumnKind::kText},
       {"criterion_title", ColumnKind::kLongText}, {"answer", ColumnKind::kLongText},
       {"status", ColumnKind::kStatus}, {"status_evidence", ColumnKind::kLongText},
       {"page", ColumnKind::kNumber}, {"columns", ColumnKind::kJson}}}));
  // A document at a time: the records of 400 whitepapers are never all in
  // memory at once.
  for (int64_t id : ids) {
    index::RecordQuery query;
    query.document_ids = std::vector<int64_t>{id};
    query.family = family;
    ASSIGN_OR_RETURN(std::vector<index::StoredRecord> records, index->Records(query));
    const auto& d = catalog.Document(id);
    const auto& v = catalog.Version(id);
    for (const index::StoredRecord& r : records) {
      RETURN_IF_ERROR(sink->AddRow({DisplayPath(d.path), v.vendor, d.title.value_or(""),
                                    d.edition ? std::to_string(*d.edition) : "",
                                    d.date.value_or(""), std::to_string(v.version),
                                    r.criterion_id, std::string(extract::CriterionFamilyOf(r.criterion_id)),
                                    r.title.value_or(""), r.answer,
                                    std::string(assess::StatusName(r.status.status)),
                                    r.status.evidence, std::to_string(r.page), ColumnsJson(r)}));
    }
  }
  return Status::Ok();
}

Status WriteCoverage(const Catalog& catalog, const Coverage& coverage, bool all_versions,
                     TableSink* sink) {
  SheetSpec sheet{"coverage", {{"criterion_id", ColumnKind::kText}, {"title", ColumnKind::kLongText}}};
  for (int64_t id : coverage.documents) {
    sheet.columns.push_back({ColumnLabel(catalog, id, all_versions), ColumnKind::kStatus,
                             DisplayPath(catalog.Document(id).path)});
  }
  RETURN_IF_ERROR(sink->BeginSheet(sheet));
  for (const std::string& criterion : coverage.criteria) {
    const auto title = coverage.titles.find(criterion);
    std::vector<std::string> row = {criterion,
                                    title == coverage.titles.end() ? "" : title->second};
    for (int64_t id : coverage.documents) row.push_back(coverage.Cell(catalog, criterion, id));
    RETURN_IF_ERROR(sink->AddRow(row));
  }
  return Status::Ok();
}

Status WriteSummary(const Catalog& catalog, const Coverage& coverage, TableSink* sink) {
  SheetSpec sheet{"summary",
                  {{"vendor", ColumnKind::kText}, {"document", ColumnKind::kText},
                   {"edition", ColumnKind::kNumber}, {"date", ColumnKind::kText},
                   {"version", ColumnKind::kNumber}}};
  for (const views::StatusDisplay& status : views::StatusDisplays()) {
    sheet.columns.push_back({std::string(status.key), ColumnKind::kNumber});
  }
  sheet.columns.push_back({"missing_ids", ColumnKind::kLongText});
  RETURN_IF_ERROR(sink->BeginSheet(sheet));
  for (int64_t id : coverage.documents) {
    std::vector<std::string> missing_ids;
    const std::map<std::string, int> counts = coverage.Counts(catalog, id, &missing_ids);
    std::string missing;
    for (const std::string& criterion : missing_ids) {
      missing += (missing.empty() ? "" : " ") + criterion;
    }
    const auto& d = catalog.Document(id);
    std::vector<std::string> row = {catalog.Version(id).vendor, DisplayPath(d.path),
                                    d.edition ? std::to_string(*d.edition) : "",
                                    d.date.value_or(""),
                                    std::to_string(catalog.Version(id).version)};
    for (const views::StatusDisplay& status : views::StatusDisplays()) {
      const auto found = counts.find(std::string(status.key));
      row.push_back(std::to_string(found == counts.end() ? 0 : found->second));
    }
    row.push_back(missing);
    RETURN_IF_ERROR(sink->AddRow(row));
  }
  return Status::Ok();
}

// JSON: one array of row objects per run, written as rows come (TableSink
// for the one format export/ does not have).
class JsonArraySink : public TableSink {
 public:
  JsonArraySink(std::FILE* out, std::string name) : out_(out), name_(std::move(name)) {}
  Status BeginSheet(const SheetSpec& sheet) override {
    if (sheet_) return Status::InvalidArgument("JSON holds one view; choose one with --view");
    sheet_ = sheet;
    return Put("[");
  }
  Status AddRow(const std::vector<std::string>& cells) override {
    std::string line = rows_++ == 0 ? "\n  " : ",\n  ";
    JsonWriter json(&line);
    json.BeginObject();
    for (size_t i = 0; i < cells.size() && i < sheet_->columns.size(); ++i) {
      const ColumnSpec& column = sheet_->columns[i];
      json.Key(column.field_name());
      if (column.kind == ColumnKind::kNumber && !cells[i].empty()) {
        json.Int(std::stoll(cells[i]));
      } else if (column.kind == ColumnKind::kJson && !cells[i].empty()) {
        line += cells[i];  // already JSON (ColumnsJson)
      } else if (cells[i].empty() && column.kind != ColumnKind::kLongText) {
        json.Null();
      } else {
        json.String(cells[i]);
      }
    }
    json.EndObject();
    return Put(line);
  }
  Status Finish() override {
    RETURN_IF_ERROR(Put(rows_ ? "\n]\n" : "]\n"));
    if (std::fflush(out_) != 0) return Status::IoError(name_ + ": cannot write");
    return Status::Ok();
  }

 private:
  Status Put(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), out_) != text.size()) {
      return Status::IoError(name_ + ": cannot write");
    }
    return Status::Ok();
  }
  std::FILE* out_;
  std::string name_;
  std::optional<SheetSpec> sheet_;
  size_t rows_ = 0;
};

// Owns a FILE* opened for --out (JSON), closed on every path.
struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

int RunExport(const GlobalOptions& global, const std::vector<std::string>& args) {
  ExportOptions options;
  std::vector<std::string> positional;
  Status parsed = ParseFlags(args,
                             {{.name = "--format", .value = &options.format},
                              {.name = "--out", .value = &options.out},
                              {.name = "--view", .value = &options.view},
                              {.name = "--vendor", .value = &options.vendors, .list = true},
                              {.name = "--edition", .value = &options.edition},
                              {.name = "--family", .value = &options.family},
                              {.name = "--all-versions", .present = &options.all_versions}},
                             &positional);
  if (!parsed.ok()) return UsageError("export", parsed.message());
  if (!positional.empty()) return UsageError("export", "unexpected '" + positional[0] + "'");
  if (options.format != "xlsx" && options.format != "csv" && options.format != "json" &&
      options.format != "ndjson") {
    return UsageError("export", "--format must be xlsx, csv, json or ndjson");
  }
  if (options.format == "xlsx" && options.out.empty()) {
    return UsageError("export", "--format xlsx needs --out FILE.xlsx");
  }
  if (!options.view.empty() && options.view != "records" && options.view != "coverage" &&
      options.view != "summary") {
    return UsageError("export", "--view must be records, coverage or summary");
  }
  if (options.format == "ndjson" && !options.view.empty() && options.view != "records") {
    return UsageError("export", "--format ndjson exports records only");
  }
  Result<Selection> selection =
      views::MakeSelection(options.vendors, options.edition, options.all_versions);
  if (!selection.ok()) return UsageError("export", selection.status().message());
  View opened;
  if (int code = OpenView(global, "export", *selection, &opened); code != kExitOk) return code;
  index::Index* index = opened.index.get();
  const Catalog* catalog = &opened.catalog;
  const std::vector<int64_t>* documents = &opened.documents;
  const std::optional<std::string> family =
      options.family.empty() ? std::nullopt : std::optional(options.family);

  const std::string target = options.out.empty() ? "stdout" : options.out;
  std::unique_ptr<std::FILE, FileCloser> json_file;
  Result<std::unique_ptr<TableSink>> sink = Status::Internal("no sink");
  if (options.format == "xlsx") {
    sink = exporting::OpenXlsx(options.out);
  } else if (options.format == "csv") {
    sink = options.out.empty() ? exporting::OpenCsv(stdout, "stdout") : exporting::OpenCsv(options.out);
  } else if (options.format == "ndjson") {
    exporting::NdjsonOptions ndjson;
    ndjson.index = "fiscdex";
    ndjson.id_fields = {"document", "criterion_id"};
    sink = options.out.empty() ? exporting::OpenNdjson(stdout, "stdout", ndjson)
                               : exporting::OpenNdjson(options.out, ndjson);
  } else {
    std::FILE* f = stdout;
    if (!options.out.empty()) {
      json_file.reset(std::fopen(options.out.c_str(), "wb"));
      if (!json_file) {
        PrintError(options.out, Status::IoError(std::strerror(errno)).ToString());
        return kExitFailed;
      }
      f = json_file.get();
    }
    sink = std::unique_ptr<TableSink>(new JsonArraySink(f, target));
  }
  if (!sink.ok()) {
    PrintError(target, sink.status().ToString());
    return kExitFailed;
  }

  Status status;
  const std::string view = options.view.empty() ? "records" : options.view;
  std::optional<Coverage> coverage;
  if (options.format == "xlsx" || view != "records") {
    Result<Coverage> built = views::BuildCoverage(index, *catalog, *documents, family);
    if (!built.ok()) return UsageError("export", built.status().message());
    coverage = std::move(*built);
  }
  if (options.format == "xlsx" && options.view.empty()) {
    // The workbook holds every view, one sheet each.
    status = WriteSummary(*catalog, *coverage, sink->get());
    if (status.ok()) status = WriteCoverage(*catalog, *coverage, options.all_versions, sink->get());
    if (status.ok()) status = WriteRecords(index, *catalog, *documents, family, sink->get());
  } else if (view == "records") {
    status = WriteRecords(index, *catalog, *documents, family, sink->get());
  } else if (view == "coverage") {
    status = WriteCoverage(*catalog, *coverage, options.all_versions, sink->get());
  } else {
    status = WriteSummary(*catalog, *coverage, sink->get());
  }
  if (status.ok()) status = (*sink)->Finish();
  if (!status.ok()) {
    PrintError(target, status.ToString());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace fiscdex::cli
