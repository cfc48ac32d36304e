// `fiscdex extract FILE`: the extractor's view of one file, no index.
#include <exception>
#include <string>
#include <vector>

#include "assess/status.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct ExtractOptions {
  std::string path;
  bool json = false;
  ingest::LoadOptions load;
};

Result<ExtractOptions> ParseExtractOptions(const std::vector<std::string>& args) {
  ExtractOptions options;
  std::vector<std::string> files;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--json", .present = &options.json},
                              {.name = "--password", .value = &options.load.password}},
                             &files));
  if (files.size() != 1) {
    return Status::InvalidArgument(files.empty() ? "no FILE given" : "one FILE at a time");
  }
  options.path = std::move(files[0]);
  return options;
}

std::string_view FirstLine(std::string_view text) { return text.substr(0, text.find('\n')); }

std::string HumanListing(const ingest::Document& doc, const extract::Extraction& extraction,
                         const std::vector<assess::RecordAssessment>& assessed) {
  const extract::DocumentMetadata& meta = extraction.metadata;
  std::string out = doc.path;
  out += "  (";
  out += ingest::FormatName(doc.format);
  out += ", ";
  if (!doc.encoding.empty()) {
    out += doc.encoding;
    out += ", ";
  }
  out += std::to_string(doc.page_count);
  out += doc.page_count == 1 ? " page)\n" : " pages)\n";
  out += "title:    " + meta.title.value_or("-") + "\n";
  out += "vendor:   " + meta.vendor.value_or("-") + "\n";
  out += "edition:  " + (meta.edition ? std::to_string(*meta.edition) : std::string("-")) + "\n";
  out += "date:     " + meta.date.value_or("-") + "\n";
  out += "records:  " + std::to_string(extraction.records.size()) + "\n";

  for (size_t i = 0; i < extraction.records.size(); ++i) {
    const extract::CriterionRecord& record = extraction.records[i];
    out += '\n';
    out += PadToWidth(record.id, 8);
    out += "p.";
    out += std::to_string(record.page);
    if (record.title) {
      out += "  ";
      out += FirstLine(*record.title);
    }
    out += "\n    answer: ";
    out += record.answer.empty() ? std::string_view("(empty)") : FirstLine(record.answer);
    out += "\n    status: ";
    out += assess::StatusName(assessed[i].record.status);
    if (!assessed[i].record.evidence.empty()) {
      out += "  «";
      out += FirstLine(assessed[i].record.evidence);
      out += "»";
    }
    if (record.group.size() > 1) {
      out += "\n    group:  ";
      out += JoinWords(record.group);
    }
    out += '\n';
  }
  return out;
}

}  // namespace

int RunExtract(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<ExtractOptions> parsed = ParseExtractOptions(args);
  if (!parsed.ok()) return UsageError("extract", parsed.status().message());
  const ExtractOptions& options = *parsed;

  std::string out;
  // As in ingest: a stage bug on an odd file is reported as that file's error.
  try {
    Result<ingest::Document> doc = ingest::LoadFile(options.path, options.load);
    if (!doc.ok()) {
      PrintError(options.path, doc.status().ToString());
      return kExitFailed;
    }
    if (!global.quiet) {
      for (const std::string& warning : doc->warnings) {
        PrintError(options.path, "warning: " + warning);
      }
    }
    const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
    const extract::Extraction extraction = extract::Extract(*doc, normalized);
    const std::vector<assess::RecordAssessment> assessed = assess::AssessAll(extraction);
    extract::JsonExtras extras;
    extras.record = [&](size_t record, JsonWriter* json) {
      assess::WriteStatusFields(assessed[record].record, json);
    };
    extras.column = [&](size_t record, size_t column, JsonWriter* json) {
      assess::WriteStatusFields(assessed[record].columns[column], json);
    };
    out = options.json ? extract::ToJson(*doc, extraction, extras)
                       : HumanListing(*doc, extraction, assessed);
  } catch (const std::exception& e) {
    PrintError(options.path, Status::Internal(e.what()).ToString());
    return kExitFailed;
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
