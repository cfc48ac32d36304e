// What the subcommands of the CLI share: the global options, the command
// table entry, option parsing and the error-line conventions of tools/cli.h.
// Internal to tools/.
#ifndef FISCDEX_TOOLS_COMMAND_H_
#define FISCDEX_TOOLS_COMMAND_H_

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "index/ingest_lock.h"

namespace fiscdex::cli {

// Options accepted before or after the subcommand.
struct GlobalOptions {
  std::string db_path;   // --db, else $FISCDEX_DB, else "fiscdex.db"
  bool quiet = false;    // errors only: no summary, no progress line
  bool verbose = false;  // one line per file, info-level logging
};

// A subcommand. `handler` receives the arguments after the subcommand name
// with the global options already taken out; `--help` never reaches it.
// It returns the process exit code (tools/cli.h).
struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for `fiscdex --help`
  std::string_view help;     // the full text of `fiscdex NAME --help`
  int (*handler)(const GlobalOptions& global, const std::vector<std::string>& args);
};

// The handlers, one per *_command.cc.
int RunIngest(const GlobalOptions& global, const std::vector<std::string>& args);
int RunSearch(const GlobalOptions& global, const std::vector<std::string>& args);
int RunExtract(const GlobalOptions& global, const std::vector<std::string>& args);
int RunShow(const GlobalOptions& global, const std::vector<std::string>& args);
int RunList(const GlobalOptions& global, const std::vector<std::string>& args);
int RunCheck(const GlobalOptions& global, const std::vector<std::string>& args);
int RunReindex(const GlobalOptions& global, const std::vector<std::string>& args);
int RunCoverage(const GlobalOptions& global, const std::vector<std::string>& args);
int RunCriteria(const GlobalOptions& global, const std::vector<std::string>& args);
int RunDiff(const GlobalOptions& global, const std::vector<std::string>& args);
int RunExport(const GlobalOptions& global, const std::vector<std::string>& args);
int RunReport(const GlobalOptions& global, const std::vector<std::string>& args);

// One option a subcommand accepts. Exactly one of `value` (an option that
// takes a value: "--limit 5" or "--limit=5") and `present` (a switch) is set.
// A value option given twice is an error, unless it is a `list`: then the
// values are joined with commas (--vendor A --vendor B is --vendor A,B).
struct Flag {
  std::string_view name;
  std::string* value = nullptr;
  bool* present = nullptr;
  bool list = false;
};

// Sorts `args` into the given flags and `positional` (in order). "--" ends
// the options; a lone "-" is positional. Returns InvalidArgument naming an
// unknown option, a missing value, a value given to a switch or a value
// option given twice.
Status ParseFlags(const std::vector<std::string>& args, std::initializer_list<Flag> flags,
                  std::vector<std::string>* positional);

// Writes "fiscdex: <subject>: <reason>\n" to stderr in one write.
void PrintError(std::string_view subject, std::string_view reason);

// Reports a usage error of `command` and returns kExitUsage.
int UsageError(std::string_view command, std::string_view reason);

// Writes `text` to stdout. Returns false (after reporting) when stdout
// cannot be written, e.g. a full disk.
bool WriteStdout(std::string_view text);

// Opens the index at global.db_path for reading. A missing file is reported
// as "no index here" and never created. Reports any error and returns null;
// the caller then exits with kExitUsage.
std::unique_ptr<index::Index> OpenExistingIndex(const GlobalOptions& global);

// Takes the ingest lock of global.db_path (index/ingest_lock.h). With
// `wait`, says once (unless --quiet) that it waits for the other ingest;
// without, fails at once. Reports any error and returns nothing; the caller
// then exits with kExitUsage.
std::optional<index::IngestLock> LockIndex(const GlobalOptions& global, bool wait);

// How stored document paths are shown: relative to the current directory
// when below it, otherwise as stored (absolute).
std::string DisplayPath(std::string_view stored);

// The path a file is stored under in the index: absolute and lexically
// normal, so ingesting the same file from another directory (or as "./a"
// and "a") updates one document instead of adding a second.
std::string StoredPath(const std::string& path);

// Joins `words` with single spaces.
std::string JoinWords(const std::vector<std::string>& words);

}  // namespace fiscdex::cli

#endif  // FISCDEX_TOOLS_COMMAND_H_
