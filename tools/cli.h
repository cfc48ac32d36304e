// The fiscdex command line: `fiscdex [--db PATH] COMMAND [ARGS...]`.
//
// Commands: ingest, search, extract, show, list (README.md has the
// reference). Output contract shared by all of them:
//   - machine output (--json) and results go to stdout, nothing else does;
//   - errors go to stderr, one line each: "fiscdex: <file or query>: <reason>";
//   - `--help` anywhere before `--` prints the command's help on stdout.
#ifndef FISCDEX_TOOLS_CLI_H_
#define FISCDEX_TOOLS_CLI_H_

namespace fiscdex::cli {

// Process exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // some input (file, path) failed
inline constexpr int kExitUsage = 2;   // bad usage, bad query, unusable index

// Runs the command line and returns the process exit code. Never throws and
// never calls exit(); `main` returns what this returns.
int RunCli(int argc, char** argv);

}  // namespace fiscdex::cli

#endif  // FISCDEX_TOOLS_CLI_H_
