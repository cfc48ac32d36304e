// `fiscdex ingest PATH...`: brings the index up to date with the files
// under PATH (tools/ingest_batch.h does the work), with a progress line on
// a terminal and a summary for people or, with --json, for cron jobs' logs.
// A failed file is reported and the run goes on (style: one bad document is
// not a failed run); the exit code says whether any input failed.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/log.h"
#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/ingest_batch.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

struct IngestOptions {
  BatchOptions batch;
  bool json = false;
  bool no_wait = false;
};

// "500", "64K", "256M", "2G" (powers of 1024).
Result<uint64_t> ParseByteSize(std::string_view text) {
  uint64_t value = 0;
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return Status::InvalidArgument("size too large");
    value = value * 10 + digit;
    ++i;
  }
  if (i == 0) return Status::InvalidArgument("not a size: '" + std::string(text) + "'");
  int shift = 0;
  if (i + 1 == text.size()) {
    switch (text[i]) {
      case 'k': case 'K': shift = 10; break;
      case 'm': case 'M': shift = 20; break;
      case 'g': case 'G': shift = 30; break;
      default: return Status::InvalidArgument("not a size: '" + std::string(text) + "'");
    }
  } else if (i != text.size()) {
    return Status::InvalidArgument("not a size: '" + std::string(text) + "'");
  }
  if (value > (UINT64_MAX >> shift)) return Status::InvalidArgument("size too large");
  return value << shift;
}

Result<int> ParseJobs(std::string_view text) {
  int jobs = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || jobs > 1000) {
      return Status::InvalidArgument("--jobs needs a number from 1 to 1000");
    }
    jobs = jobs * 10 + (c - '0');
  }
  if (jobs < 1 || jobs > 1000) return Status::InvalidArgument("--jobs needs a number from 1 to 1000");
  return jobs;
}

Result<IngestOptions> ParseIngestOptions(const std::vector<std::string>& args) {
  IngestOptions options;
  // ParseFlags assigns a value only when its flag is given. Starting from a
  // string no argument can hold (a NUL) tells "not given" from "given
  // empty": `--max-bytes "$UNSET"` is a usage error, not the default.
  const std::string not_given(1, '\0');
  std::string jobs = not_given;
  std::string max_bytes = not_given;
  std::string declared_vendor = not_given;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--json", .present = &options.json},
                              {.name = "--password", .value = &options.batch.load.password},
                              {.name = "--jobs", .value = &jobs},
                              {.name = "--prune", .present = &options.batch.prune},
                              {.name = "--no-wait", .present = &options.no_wait},
                              {.name = "--max-bytes", .value = &max_bytes},
                              {.name = "--as", .value = &declared_vendor}},
                             &options.batch.paths));
  if (declared_vendor != not_given) {
    if (declared_vendor.find_first_not_of(" \t") == std::string::npos) {
      return Status::InvalidArgument("--as needs a vendor name");
    }
    options.batch.declared_vendor = declared_vendor;
  }
  if (options.batch.paths.empty()) return Status::InvalidArgument("no PATH given");
  if (jobs != not_given) {
    ASSIGN_OR_RETURN(options.batch.jobs, ParseJobs(jobs));
  } else {
    options.batch.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (max_bytes != not_given) {
    ASSIGN_OR_RETURN(options.batch.load.max_bytes, ParseByteSize(max_bytes));
  }
  return options;
}

// Prints what happens to each file as it happens, draws the progress line,
// and keeps what the final summary needs.
class IngestReporter : public BatchObserver {
 public:
  IngestReporter(const GlobalOptions& global, bool progress)
      : global_(global), progress_enabled_(progress) {}

  void OnPlan(size_t files, size_t /*files_to_read*/, uint64_t bytes_to_read) override {
    progress_.emplace(progress_enabled_, files, bytes_to_read);
    progress_->Update(0, 0, "");
  }

  void OnFile(const FileReport& report) override {
    ++done_;
    bytes_ += report.bytes_read;
    switch (report.outcome) {
      case FileOutcome::kFailed:
        Print(report.path, report.reason);
        failures_.push_back({report.path, report.reason});
        break;
      case FileOutcome::kMoved:
        moves_.push_back({report.moved_from, report.path});
        Verbose(report.path, "moved from " + PrintableName(DisplayPath(report.moved_from)));
        break;
      case FileOutcome::kRemoved:
        // Said even without --verbose: a document leaving the index is news.
        if (!global_.quiet) Print(DisplayPath(report.path), "removed from the index (file gone)");
        removals_.push_back(report.path);
        break;
      case FileOutcome::kUnchanged:
        Verbose(report.path, "unchanged");
        break;
      case FileOutcome::kAdded:
      case FileOutcome::kUpdated:
        Verbose(report.path, std::string(report.outcome == FileOutcome::kAdded ? "added" : "updated") +
                                 ", " + std::to_string(report.records) + " records, " +
                                 std::to_string(report.passages) + " passages");
        break;
    }
    for (const std::string& warning : report.warnings) {
      if (!global_.quiet) Print(report.path, "warning: " + warning);
      warnings_.push_back({report.path, warning});
    }
    if (progress_) progress_->Update(done_, bytes_, report.path);
  }

  void ClearProgress() {
    if (progress_) progress_->Clear();
  }

  std::string Json(const BatchSummary& summary, double seconds) const {
    std::string out;
    JsonWriter json(&out);
    json.BeginObject();
    json.Key("added").Int(static_cast<int64_t>(summary.added));
    json.Key("updated").Int(static_cast<int64_t>(summary.updated));
    json.Key("moved").Int(static_cast<int64_t>(summary.moved));
    json.Key("unchanged").Int(static_cast<int64_t>(summary.unchanged));
    json.Key("removed").Int(static_cast<int64_t>(summary.removed));
    json.Key("failed").Int(static_cast<int64_t>(summary.failed));
    json.Key("bytes_read").Int(static_cast<int64_t>(summary.bytes_read));
    json.Key("seconds").Double(seconds);
    json.Key("error");
    if (summary.fatal.ok()) {
      json.Null();
    } else {
      json.String(summary.fatal.ToString());
    }
    json.Key("failures").BeginArray(/*one_per_line=*/true);
    for (const auto& [path, reason] : failures_) {
      json.BeginObject().Key("path").String(path).Key("reason").String(reason).EndObject();
    }
    json.EndArray();
    json.Key("moves").BeginArray(/*one_per_line=*/true);
    for (const auto& [from, to] : moves_) {
      json.BeginObject().Key("from").String(from).Key("to").String(to).EndObject();
    }
    json.EndArray();
    json.Key("removals").BeginArray(/*one_per_line=*/true);
    for (const std::string& path : removals_) json.String(path);
    json.EndArray();
    json.Key("warnings").BeginArray(/*one_per_line=*/true);
    for (const auto& [path, warning] : warnings_) {
      json.BeginObject().Key("path").String(path).Key("warning").String(warning).EndObject();
    }
    json.EndArray().EndObject();
    out += '\n';
    return out;
  }

 private:
  void Print(std::string_view path, std::string_view message) {
    ClearProgress();
    PrintError(path, message);
  }
  void Verbose(std::string_view path, const std::string& message) {
    if (!global_.verbose) return;
    ClearProgress();
    Log(LogLevel::kInfo, PrintableName(path) + ": " + message);
  }

  const GlobalOptions& global_;
  bool progress_enabled_;
  std::optional<ProgressLine> progress_;
  size_t done_ = 0;
  uint64_t bytes_ = 0;
  std::vector<std::pair<std::string, std::string>> failures_;
  std::vector<std::pair<std::string, std::string>> moves_;
  std::vector<std::string> removals_;
  std::vector<std::pair<std::string, std::string>> warnings_;
};

// The reason an index could not be opened for writing. When the index file
// is writable but its folder is not, SQLite cannot create the WAL beside it
// and says only "attempt to write a readonly database", which sends the
// user to the file's permissions: name the folder instead.
std::string OpenFailure(const std::string& db_path, const Status& status) {
  if (status.code() != StatusCode::kIoError) return status.ToString();
  std::filesystem::path folder = std::filesystem::path(db_path).parent_path();
  if (folder.empty()) folder = ".";
  if (access(folder.c_str(), W_OK) == 0 || (errno != EACCES && errno != EROFS)) {
    return status.ToString();
  }
  std::string message = "the folder ";
  message += PrintableName(folder.native());
  message += " is read-only (no write permission): the index needs to create its WAL and lock "
             "files there (";
  message += status.ToString();
  message += ')';
  return message;
}

}  // namespace

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<IngestOptions> parsed = ParseIngestOptions(args);
  if (!parsed.ok()) return UsageError("ingest", parsed.status().message());
  const IngestOptions& options = *parsed;

  const auto start = std::chrono::steady_clock::now();
  index::OpenOptions open_options;
  open_options.for_writing = true;
  // With one job, one thread in all (the baseline --jobs is measured against).
  if (options.batch.jobs == 1) open_options.tokenizer_threads = 1;
  Result<std::unique_ptr<index::Index>> opened = index::Index::Open(global.db_path, open_options);
  if (!opened.ok()) {
    PrintError(global.db_path, OpenFailure(global.db_path, opened.status()));
    return kExitUsage;
  }
  const std::optional<index::IngestLock> lock = LockIndex(global, !options.no_wait);
  if (!lock) return kExitUsage;

  IngestReporter reporter(global, !global.quiet && IsTerminal(stderr));
  const BatchSummary summary = RunIngestBatch(opened->get(), options.batch, &reporter);
  reporter.ClearProgress();
  if (!summary.fatal.ok()) PrintError(global.db_path, summary.fatal.ToString());

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.json) {
    if (!WriteStdout(reporter.Json(summary, seconds))) return kExitFailed;
  } else if (!global.quiet) {
    const double mb = static_cast<double>(summary.bytes_read) / 1e6;
    char line[256];
    std::snprintf(line, sizeof line,
                  "added %zu, updated %zu, moved %zu, unchanged %zu, removed %zu, failed %zu "
                  "(read %.1f MB in %.1f s, %.1f MB/s)\n",
                  summary.added, summary.updated, summary.moved, summary.unchanged,
                  summary.removed, summary.failed, mb, seconds, seconds > 0 ? mb / seconds : 0.0);
    std::fputs(line, stderr);
  }
  if (!summary.fatal.ok()) return kExitUsage;
  return summary.failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
