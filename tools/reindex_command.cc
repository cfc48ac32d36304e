// `fiscdex reindex`: re-tokenises an index in place with the MeCab
// dictionary at hand (Index::Reindex), the way out when `search` or
// `ingest` says the index was made with another one. Takes the ingest lock:
// it rewrites both full-text tables.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"

namespace fiscdex::cli {

int RunReindex(const GlobalOptions& global, const std::vector<std::string>& args) {
  std::vector<std::string> extra;
  Status parsed = ParseFlags(args, {}, &extra);
  if (parsed.ok() && !extra.empty()) {
    parsed = Status::InvalidArgument("unexpected argument '" + extra[0] + "'");
  }
  if (!parsed.ok()) return UsageError("reindex", parsed.message());

  std::error_code ec;
  if (!std::filesystem::exists(global.db_path, ec)) {
    PrintError(global.db_path, "no index here; run 'fiscdex ingest' first");
    return kExitUsage;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::optional<index::IngestLock> lock = LockIndex(global, /*wait=*/true);
  if (!lock) return kExitUsage;
  index::OpenOptions options;
  options.for_writing = true;
  options.allow_other_dictionary = true;
  Result<std::unique_ptr<index::Index>> opened = index::Index::Open(global.db_path, options);
  if (!opened.ok()) {
    PrintError(global.db_path, opened.status().ToString());
    return kExitUsage;
  }
  if (Status status = (*opened)->Reindex(); !status.ok()) {
    PrintError(global.db_path, "cannot reindex: " + status.ToString());
    return kExitUsage;
  }
  if (!global.quiet) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char line[64];
    std::snprintf(line, sizeof line, " (%.1f s)\n", seconds);
    if (!WriteStdout("re-tokenised " + DisplayPath(global.db_path) + line)) return kExitFailed;
  }
  return kExitOk;
}

}  // namespace fiscdex::cli
