// `fiscdex ingest PATH...`: the whole pipeline, one file at a time:
// ingest::LoadFile → (skip if unchanged) → normalize::Normalize →
// extract::Extract → index::Index::AddDocument. Each file gets an outcome;
// a failed file is reported and the run goes on (style: one bad document is
// not a failed run), and the exit code says whether any input failed.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "extract/extract.h"
#include "index/index.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "base/json.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct IngestOptions {
  std::vector<std::string> paths;
  bool json = false;
  ingest::LoadOptions load;
};

Result<IngestOptions> ParseIngestOptions(const std::vector<std::string>& args) {
  IngestOptions options;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--json", .present = &options.json},
                              {.name = "--password", .value = &options.load.password}},
                             &options.paths));
  if (options.paths.empty()) return Status::InvalidArgument("no PATH given");
  return options;
}

struct FileOutcome {
  bool unchanged = false;
  size_t records = 0;
  size_t passages = 0;
  std::vector<std::string> warnings;
};

int64_t ModificationTime(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : 0;
}

// Runs the pipeline on one file. `*bytes_read` grows by the file's size once
// it has been read, whatever happens next.
Result<FileOutcome> IngestFile(index::Index* index, const std::string& path,
                               const ingest::LoadOptions& load, uint64_t* bytes_read) {
  const int64_t mtime = ModificationTime(path);
  ASSIGN_OR_RETURN(ingest::Document doc, ingest::LoadFile(path, load));
  *bytes_read += doc.size_bytes;

  index::DocumentInput input;
  input.path = StoredPath(path);
  // Checked before normalizing and extracting: those are most of the work.
  ASSIGN_OR_RETURN(const bool unchanged, index->IsUnchanged(input.path, doc.content_hash));
  if (unchanged) return FileOutcome{.unchanged = true, .warnings = std::move(doc.warnings)};

  normalize::NormalizedDocument normalized = normalize::Normalize(doc);
  extract::Extraction extraction = extract::Extract(doc, normalized);

  input.content_hash = std::move(doc.content_hash);
  input.format = ingest::FormatName(doc.format);
  input.encoding = std::move(doc.encoding);
  input.size_bytes = doc.size_bytes;
  input.mtime = mtime;
  input.page_count = doc.page_count;
  input.metadata = std::move(extraction.metadata);
  input.passages = std::move(normalized.passages);
  input.records = std::move(extraction.records);
  ASSIGN_OR_RETURN(const index::AddOutcome outcome, index->AddDocument(input));
  return FileOutcome{.unchanged = outcome == index::AddOutcome::kUnchanged,
                     .records = input.records.size(),
                     .passages = input.passages.size(),
                     .warnings = std::move(doc.warnings)};
}

// The stages report errors as values; this catch is the last line of
// defence so that a bug tripped by one odd document (or an allocation
// failure on a huge one) costs that document, not the whole run.
Result<FileOutcome> IngestFileCatchingAll(index::Index* index, const std::string& path,
                                          const ingest::LoadOptions& load, uint64_t* bytes_read) {
  try {
    return IngestFile(index, path, load, bytes_read);
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

struct Failure {
  std::string path;
  std::string reason;
};

struct Warning {
  std::string path;
  std::string warning;
};

std::string JsonSummary(size_t indexed, size_t unchanged, const std::vector<Failure>& failures,
                        const std::vector<Warning>& warnings, uint64_t bytes, double seconds) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("indexed").Int(static_cast<int64_t>(indexed));
  json.Key("unchanged").Int(static_cast<int64_t>(unchanged));
  json.Key("failed").Int(static_cast<int64_t>(failures.size()));
  json.Key("bytes").Int(static_cast<int64_t>(bytes));
  json.Key("seconds").Double(seconds);
  json.Key("errors").BeginArray(/*one_per_line=*/true);
  for (const Failure& failure : failures) {
    json.BeginObject();
    json.Key("path").String(failure.path);
    json.Key("reason").String(failure.reason);
    json.EndObject();
  }
  json.EndArray();
  json.Key("warnings").BeginArray(/*one_per_line=*/true);
  for (const Warning& warning : warnings) {
    json.BeginObject();
    json.Key("path").String(warning.path);
    json.Key("warning").String(warning.warning);
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<IngestOptions> parsed = ParseIngestOptions(args);
  if (!parsed.ok()) return UsageError("ingest", parsed.status().message());
  const IngestOptions& options = *parsed;

  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<index::Index>> opened = index::Index::Open(global.db_path);
  if (!opened.ok()) {
    PrintError(global.db_path, opened.status().ToString());
    return kExitUsage;
  }
  index::Index* index = opened->get();

  std::vector<Failure> failures;
  std::vector<Warning> warnings;
  const std::vector<std::string> files =
      ingest::ListInputFiles(options.paths, [&](const std::string& path, const Status& status) {
        failures.push_back({path, status.ToString()});
        PrintError(path, failures.back().reason);
      });

  ProgressLine progress(!global.quiet && IsTerminal(stderr), files.size());
  size_t indexed = 0;
  size_t unchanged = 0;
  uint64_t bytes = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i];
    progress.Update(i, bytes, path);
    Result<FileOutcome> outcome = IngestFileCatchingAll(index, path, options.load, &bytes);
    if (!outcome.ok()) {
      progress.Clear();
      failures.push_back({path, outcome.status().ToString()});
      PrintError(path, failures.back().reason);
      continue;
    }
    for (std::string& warning : outcome->warnings) {
      if (!global.quiet) {
        progress.Clear();
        PrintError(path, "warning: " + warning);
      }
      warnings.push_back({path, std::move(warning)});
    }
    if (outcome->unchanged) {
      ++unchanged;
    } else {
      ++indexed;
    }
    if (global.verbose) {
      progress.Clear();
      Log(LogLevel::kInfo,
          outcome->unchanged ? path + ": unchanged"
                             : path + ": indexed, " + std::to_string(outcome->records) +
                                   " records, " + std::to_string(outcome->passages) + " passages");
    }
  }
  progress.Clear();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.json) {
    if (!WriteStdout(JsonSummary(indexed, unchanged, failures, warnings, bytes, seconds))) return kExitFailed;
  } else if (!global.quiet) {
    const double mb = static_cast<double>(bytes) / 1e6;
    char line[160];
    std::snprintf(line, sizeof line,
                  "indexed %zu, unchanged %zu, failed %zu (%.1f MB in %.1f s, %.1f MB/s)\n",
                  indexed, unchanged, failures.size(), mb, seconds,
                  seconds > 0 ? mb / seconds : 0.0);
    std::fputs(line, stderr);
  }
  return failures.empty() ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
