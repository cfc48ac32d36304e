// `fiscdex check`: verifies an index (Index::Check) for a person or a cron
// job. Waits for a running ingest first: a check is only meaningful on an
// index nobody is writing.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "base/json.h"
#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"

namespace fiscdex::cli {

int RunCheck(const GlobalOptions& global, const std::vector<std::string>& args) {
  bool json = false;
  std::vector<std::string> extra;
  Status parsed = ParseFlags(args, {{.name = "--json", .present = &json}}, &extra);
  if (parsed.ok() && !extra.empty()) {
    parsed = Status::InvalidArgument("unexpected argument '" + extra[0] + "'");
  }
  if (!parsed.ok()) return UsageError("check", parsed.message());

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<index::Index> index = OpenExistingIndex(global);
  if (index == nullptr) return kExitUsage;
  const std::optional<index::IngestLock> lock = LockIndex(global, /*wait=*/true);
  if (!lock) return kExitUsage;
  Result<index::CheckReport> report = index->Check();
  if (!report.ok()) {
    PrintError(global.db_path, "cannot check the index: " + report.status().ToString());
    return kExitUsage;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (json) {
    std::string out;
    JsonWriter writer(&out);
    writer.BeginObject();
    writer.Key("ok").Bool(report->problems.empty());
    writer.Key("documents").Int(report->documents);
    writer.Key("passages").Int(report->passages);
    writer.Key("records").Int(report->records);
    writer.Key("seconds").Double(seconds);
    writer.Key("problems").BeginArray(/*one_per_line=*/true);
    for (const std::string& problem : report->problems) writer.String(problem);
    writer.EndArray().EndObject();
    out += '\n';
    if (!WriteStdout(out)) return kExitFailed;
  } else {
    for (const std::string& problem : report->problems) PrintError(global.db_path, problem);
    if (!global.quiet || !report->problems.empty()) {
      char line[200];
      std::snprintf(line, sizeof line, "%s: %lld documents, %lld passages, %lld records (%.1f s)\n",
                    report->problems.empty()
                        ? "ok"
                        : (std::to_string(report->problems.size()) + " problems").c_str(),
                    static_cast<long long>(report->documents),
                    static_cast<long long>(report->passages),
                    static_cast<long long>(report->records), seconds);
      std::fputs(line, report->problems.empty() ? stdout : stderr);
    }
  }
  return report->problems.empty() ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
