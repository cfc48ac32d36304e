// `fiscdex report`: the assessment as one self-contained HTML page for
// readers who will not run a command line (report/, doc/report.md).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "report/html_report.h"
#include "report/report_data.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "tools/terminal.h"
#include "tools/view_command.h"

#ifndef FISCDEX_VERSION
#define FISCDEX_VERSION "unknown"
#endif

namespace fiscdex::cli {
namespace {

struct ReportOptions {
  std::string out, vendors, edition, family;
  bool all_versions = false;
};

// Local time of generation, or SOURCE_DATE_EPOCH's (the reproducible-builds
// convention) so that two runs over one index give the same bytes.
std::string GeneratedAt() {
  std::time_t now = std::time(nullptr);
  bool utc = false;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (*end == '\0' && value >= 0) {
      now = static_cast<std::time_t>(value);
      utc = true;
    }
  }
  std::tm parts{};
  if (utc) {
    gmtime_r(&now, &parts);
  } else {
    localtime_r(&now, &parts);
  }
  char text[32];
  std::strftime(text, sizeof text, utc ? "%Y-%m-%d %H:%M UTC" : "%Y-%m-%d %H:%M", &parts);
  return text;
}

std::string DescribeSelection(const ReportOptions& options) {
  std::string out;
  auto add = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
  if (!options.vendors.empty()) add("vendors: " + options.vendors);
  if (!options.family.empty()) add("family: " + options.family);
  if (!options.edition.empty()) add("edition: " + options.edition);
  add(options.all_versions ? "every version" : "latest versions");
  return out;
}

// Writes beside the target and renames, so a reader never opens half a
// report and a failed run leaves an earlier report as it was.
Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return Status::IoError("cannot write: " + std::string(std::strerror(errno)));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const bool closed = std::fclose(file) == 0;
  std::error_code ec;
  if (!written || !closed) {
    std::filesystem::remove(temporary, ec);
    return Status::IoError("cannot write (disk full?)");
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return Status::IoError("cannot write: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

int RunReport(const GlobalOptions& global, const std::vector<std::string>& args) {
  ReportOptions options;
  std::vector<std::string> positional;
  Status parsed = ParseFlags(args,
                             {{.name = "--out", .value = &options.out},
                              {.name = "--vendor", .value = &options.vendors, .list = true},
                              {.name = "--edition", .value = &options.edition},
                              {.name = "--family", .value = &options.family},
                              {.name = "--all-versions", .present = &options.all_versions}},
                             &positional);
  if (!parsed.ok()) return UsageError("report", parsed.message());
  if (!positional.empty()) return UsageError("report", "unexpected '" + positional[0] + "'");
  if (options.out.empty() && IsTerminal(stdout)) {
    return UsageError("report", "the report is an HTML file: give --out report.html");
  }
  Result<Selection> selection =
      views::MakeSelection(options.vendors, options.edition, options.all_versions);
  if (!selection.ok()) return UsageError("report", selection.status().message());
  View view;
  if (int code = OpenView(global, "report", *selection, &view); code != kExitOk) return code;
  if (view.documents.empty()) {
    PrintError("report", "nothing to report: no indexed document with criterion records matches");
    return kExitFailed;
  }

  report::ReportRequest request;
  request.documents = view.documents;
  if (!options.family.empty()) request.family = options.family;
  request.generated_at = GeneratedAt();
  request.fiscdex_version = FISCDEX_VERSION;
  request.selection = DescribeSelection(options);
  Result<std::string> data = report::BuildReportData(view.index.get(), view.catalog, request);
  if (!data.ok()) return UsageError("report", data.status().message());
  const std::string page = report::RenderReportPage(*data);

  if (options.out.empty()) return WriteStdout(page) ? kExitOk : kExitFailed;
  if (Status written = WriteFileAtomically(options.out, page); !written.ok()) {
    PrintError(options.out, written.message());
    return kExitFailed;
  }
  if (!global.quiet) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(page.size()) / (1024.0 * 1024.0));
    PrintError("report", "wrote " + DisplayPath(options.out) + " (" +
                             std::to_string(view.documents.size()) + " documents, " + size + ")");
  }
  return kExitOk;
}

}  // namespace fiscdex::cli
