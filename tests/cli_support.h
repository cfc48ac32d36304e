// Helpers for tests that run the real `fiscdex` binary (found through
// FISCDEX_BINARY_DIR) as a subprocess: running it and capturing its output,
// optionally as user nobody (from a copy nobody can reach) or with a file
// size limit, telling a child that could not start from one that failed,
// reading its --json
// output and error lines, and the small test documents most such tests
// index. Header-only; each test binary includes it once.
#ifndef FISCDEX_TESTS_CLI_SUPPORT_H_
#define FISCDEX_TESTS_CLI_SUPPORT_H_

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/mecab_segmenter.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"

extern char** environ;

namespace fiscdex::testing {

// ---------------------------------------------------------------------------
// Running the binary.

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

// Variables to set in the child's environment; nullopt unsets one.
using EnvOverrides = std::vector<std::pair<std::string, std::optional<std::string>>>;

// What the child does to itself between fork and exec.
struct ChildSetup {
  // When the test runs as root: run as user nobody (65534) instead, which
  // mode bits apply to. Otherwise ignored (the test's user already is one).
  bool as_nobody = false;
  // RLIMIT_FSIZE: a write past this many bytes into any file fails with
  // EFBIG (SIGXFSZ is ignored, so the write returns the error instead of
  // killing the process), as on a full disk.
  std::optional<rlim_t> max_file_size;
  // Where stdout and stderr go (SpawnFiscdex only; RunFiscdex captures them).
  std::string stdout_file = "/dev/null";
  std::string stderr_file = "/dev/null";
  bool append_output = false;  // SpawnFiscdex: append to those files
};

constexpr uid_t kNobody = 65534;

inline bool RunningAsRoot() { return geteuid() == 0; }

inline std::string BinaryPath() { return std::string(FISCDEX_BINARY_DIR) + "/tools/fiscdex"; }

// The child's environment: ours without the variables that change the CLI's
// behaviour or that `env` names, plus those `env` sets.
inline std::vector<std::string> ChildEnvironment(const EnvOverrides& env) {
  // The user's synonyms (XDG_CONFIG_HOME/fiscdex/synonyms.txt) would change
  // what a search finds: the child has none unless a test sets them.
  std::vector<std::string> dropped = {"FISCDEX_DB=", "NO_COLOR=", "FISCDEX_PDF_MODULE=",
                                      "XDG_CONFIG_HOME="};
  for (const auto& [name, value] : env) dropped.push_back(name + "=");
  std::vector<std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var = *e;
    if (std::any_of(dropped.begin(), dropped.end(),
                    [&](const std::string& d) { return var.starts_with(d); })) {
      continue;
    }
    vars.emplace_back(var);
  }
  for (const auto& [name, value] : env) {
    if (value) vars.push_back(name + "=" + *value);
  }
  if (std::none_of(env.begin(), env.end(),
                   [](const auto& var) { return var.first == "XDG_CONFIG_HOME"; })) {
    vars.push_back("XDG_CONFIG_HOME=/nonexistent/fiscdex-test");
  }
  return vars;
}

inline std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> ptrs;
  for (std::string& s : strings) ptrs.push_back(s.data());
  ptrs.push_back(nullptr);
  return ptrs;
}

// The binary a child runs: the build's, or for ChildSetup::as_nobody under
// root the copy of NobodyPlace() (defined below).
inline std::string BinaryFor(const ChildSetup& setup);

// Starting a child goes wrong for reasons of the test's own making (a
// binary user nobody cannot reach, a cwd that is gone); the child says
// which on `report_fd`, a close-on-exec pipe that a successful exec closes
// unwritten, so "could not start" is never mistaken for the tool's failure.
// `error` is errno as the failed call left it.
[[noreturn]] inline void ChildFailed(int report_fd, int error, const std::string& step) {
  const std::string message = step + ": " + std::strerror(error);
  ssize_t ignored = write(report_fd, message.data(), message.size());
  static_cast<void>(ignored);
  _exit(127);
}

// In the child: applies `setup`, chdirs and execs; never returns.
[[noreturn]] inline void ExecChild(const std::filesystem::path& cwd, std::vector<std::string> argv,
                                   std::vector<std::string> envp, const ChildSetup& setup,
                                   int report_fd) {
  if (setup.max_file_size) {
    // Ignored signals stay ignored across exec.
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{*setup.max_file_size, *setup.max_file_size};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) ChildFailed(report_fd, errno, "setrlimit(RLIMIT_FSIZE)");
  }
  if (setup.as_nobody && RunningAsRoot()) {
    if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0) {
      ChildFailed(report_fd, errno, "becoming user nobody");
    }
  }
  if (chdir(cwd.c_str()) != 0) {
    const int error = errno;
    ChildFailed(report_fd, error, "chdir " + cwd.string());
  }
  std::vector<char*> args = Pointers(argv);
  std::vector<char*> env = Pointers(envp);
  execve(args[0], args.data(), env.data());
  const int error = errno;
  ChildFailed(report_fd, error, "exec " + argv[0] + (setup.as_nobody ? " as nobody" : ""));
}

// A child being started: fork, and after it the reading end of the report
// pipe. Launch() returns the child's pid, or -1 with `error` set.
struct Launch {
  pid_t pid = -1;
  std::string error;  // why the child could not start; empty once it runs
};

// Forks; the child runs `in_child` (which ends in ExecChild) with the
// reporting end of the pipe. Waits until the child has exec'd or failed.
template <typename InChild>
Launch LaunchChild(InChild in_child) {
  Launch launch;
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    launch.error = std::string("pipe: ") + std::strerror(errno);
    return launch;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    close(report[0]);
    in_child(report[1]);
  }
  close(report[1]);
  if (pid < 0) {
    launch.error = std::string("fork: ") + std::strerror(errno);
    close(report[0]);
    return launch;
  }
  char buf[512];
  ssize_t n;
  while ((n = read(report[0], buf, sizeof buf)) != 0) {
    if (n > 0) {
      launch.error.append(buf, static_cast<size_t>(n));
    } else if (errno != EINTR) {
      break;
    }
  }
  close(report[0]);
  if (!launch.error.empty()) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return launch;
  }
  launch.pid = pid;
  return launch;
}

// Reports a child that never ran: the test's setup failed, not fiscdex.
inline void ReportLaunchFailure(const std::string& error) {
  ADD_FAILURE() << "the test could not start fiscdex (" << error
                << "): a problem of the test's environment, not a result of fiscdex";
}

// The exit code of child `pid`, -1 if a signal killed it (or `pid` is not
// a child: SpawnFiscdex returns -1 when it could not start one).
inline int WaitExitCode(pid_t pid) {
  if (pid <= 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs the binary with `args` in `cwd` and returns its exit code and output.
// A child that could not start is a test failure saying so (and exit_code
// stays -1).
inline RunResult RunFiscdex(const std::filesystem::path& cwd, std::vector<std::string> args,
                            const EnvOverrides& env = {}, const ChildSetup& setup = {}) {
  args.insert(args.begin(), BinaryFor(setup));
  std::vector<std::string> envp = ChildEnvironment(env);
  int out_pipe[2];
  int err_pipe[2];
  RunResult result;
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  const Launch launch = LaunchChild([&](int report_fd) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    ExecChild(cwd, std::move(args), std::move(envp), setup, report_fd);
  });
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (launch.pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    ReportLaunchFailure(launch.error);
    return result;
  }
  // Both pipes are drained together so a child filling one never blocks.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[8192];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  result.exit_code = WaitExitCode(launch.pid);
  return result;
}

// Starts the binary in the background, its output going to the files
// `setup` names (appended to when ChildSetup::append_output); returns its
// pid, or -1 after reporting a child that could not start. Collect it with
// WaitExitCode.
inline pid_t SpawnFiscdex(const std::filesystem::path& cwd, std::vector<std::string> args,
                          const ChildSetup& setup = {}) {
  args.insert(args.begin(), BinaryFor(setup));
  std::vector<std::string> envp = ChildEnvironment({});
  const Launch launch = LaunchChild([&](int report_fd) {
    const int mode = O_WRONLY | O_CREAT | (setup.append_output ? O_APPEND : O_TRUNC);
    const int out = open(setup.stdout_file.c_str(), mode, 0644);
    if (out < 0) {
      const int error = errno;
      ChildFailed(report_fd, error, "open " + setup.stdout_file);
    }
    const int err = open(setup.stderr_file.c_str(), mode, 0644);
    if (err < 0) {
      const int error = errno;
      ChildFailed(report_fd, error, "open " + setup.stderr_file);
    }
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(out);
    close(err);
    ExecChild(cwd, std::move(args), std::move(envp), setup, report_fd);
  });
  if (launch.pid < 0) ReportLaunchFailure(launch.error);
  return launch.pid;
}

// ---------------------------------------------------------------------------
// Running as user nobody.
//
// As root, mode bits stop nothing, so the permission tests run their child
// as nobody. Nobody must then reach the binary and the test's folder: every
// folder above them searchable by others. A checkout or TMPDIR under a 0700
// folder (a clone in /root, or in a `mktemp -d` folder) is not, so the
// binary is copied into a folder nobody can reach, and the test folders are
// made beside it.

struct NobodyPlace {
  std::filesystem::path base;  // make the test's TempDir here
  std::string binary;          // the fiscdex nobody runs
  std::string skip_reason;     // non-empty: no such place on this machine
};

// Whether user nobody can run `binary --version` with `cwd` as its
// current folder: empty if so, else why not.
inline std::string NobodyCannotRun(const std::string& binary, const std::filesystem::path& cwd) {
  ChildSetup setup;
  setup.as_nobody = true;
  const Launch launch = LaunchChild([&](int report_fd) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    ExecChild(cwd, {binary, "--version"}, ChildEnvironment({}), setup, report_fd);
  });
  if (launch.pid < 0) return launch.error;
  const int code = WaitExitCode(launch.pid);
  return code == 0 ? "" : binary + " --version exited with " + std::to_string(code) + " as nobody";
}

// The place, found once per test process. Not root: the test's own user
// runs the child, from the build tree and the usual temp folder.
inline const NobodyPlace& PlaceForNobody() {
  namespace fs = std::filesystem;
  // Removes the copy when the test process ends.
  struct Holder {
    NobodyPlace place;
    fs::path made;
    ~Holder() {
      std::error_code ec;
      if (!made.empty()) fs::remove_all(made, ec);
    }
  };
  static Holder* holder = [] {
    auto* h = new Holder;
    if (!RunningAsRoot()) {
      h->place = {TempRoot(), BinaryPath(), ""};
      return h;
    }
    std::vector<fs::path> bases = {TempRoot(), "/tmp", "/var/tmp", "/dev/shm"};
    std::string why_not;
    for (const fs::path& base : bases) {
      std::string tmpl = (base / "fiscdex-nobody-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) continue;
      const fs::path dir = tmpl;
      const fs::path copy = dir / "fiscdex";
      std::error_code ec;
      fs::copy_file(BinaryPath(), copy, ec);
      // The binary finds its user dictionary beside it (the build's may sit
      // in a folder nobody cannot reach).
      const fs::path dictionary = index::MecabSegmenter::DefaultUserDictionary();
      if (!ec && !dictionary.empty()) {
        fs::copy_file(dictionary, dir / dictionary.filename(), ec);
        if (!ec) chmod((dir / dictionary.filename()).c_str(), 0644);
      }
      if (!ec && chmod(dir.c_str(), 0755) == 0 && chmod(copy.c_str(), 0755) == 0) {
        const std::string failure = NobodyCannotRun(copy.string(), dir);
        if (failure.empty()) {
          h->place = {dir, copy.string(), ""};
          h->made = dir;
          return h;
        }
        why_not += (why_not.empty() ? "" : "; ") + failure;
      }
      fs::remove_all(dir, ec);
    }
    h->place.skip_reason =
        "user nobody cannot run a copy of fiscdex under any of $TMPDIR, /tmp, /var/tmp, "
        "/dev/shm (" + why_not + ")";
    return h;
  }();
  static struct Cleanup {
    ~Cleanup() { delete holder; }
  } cleanup;
  return holder->place;
}

inline std::string BinaryFor(const ChildSetup& setup) {
  if (setup.as_nobody && RunningAsRoot()) return PlaceForNobody().binary;
  return BinaryPath();
}

// Makes the tree at `root` usable by the user a child runs as with
// ChildSetup::as_nobody: every folder 0755 and, when we are root, every
// entry owned by nobody (so that the child may create the index, its WAL
// and lock file). Tests then take away exactly the permission they test.
inline void GiveTreeToNobody(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  auto fix = [](const fs::path& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) chmod(path.c_str(), 0755);
    if (RunningAsRoot()) static_cast<void>(lchown(path.c_str(), kNobody, kNobody));
  };
  fix(root);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fix(it->path());
  }
}

// ---------------------------------------------------------------------------
// Reading the output.

inline std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The stderr lines that start with "fiscdex: <subject>: ".
inline std::vector<std::string> ErrorLinesAbout(std::string_view err, std::string_view subject) {
  std::vector<std::string> found;
  const std::string prefix = "fiscdex: " + std::string(subject) + ": ";
  for (std::string& line : Lines(err)) {
    if (line.starts_with(prefix)) found.push_back(std::move(line));
  }
  return found;
}

// Parses `out`; a parse error carries the text, so ASSERT_OK shows both.
inline Result<JsonValue> ParseOutput(std::string_view out) {
  Result<JsonValue> parsed = ParseJson(out);
  if (!parsed.ok()) return parsed.status().WithContext(out);
  return parsed;
}

// The member `key` of `v`; null when absent.
inline const JsonValue& At(const JsonValue& v, std::string_view key) {
  static const JsonValue kNull;
  const JsonValue* found = v.Find(key);
  return found != nullptr ? *found : kNull;
}

// Paths of `list --json` output, sorted.
inline std::vector<std::string> ListedPaths(const std::filesystem::path& dir,
                                            const EnvOverrides& env = {}) {
  RunResult list = RunFiscdex(dir, {"list", "--json"}, env);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  Result<JsonValue> json = ParseOutput(list.out);
  std::vector<std::string> paths;
  EXPECT_OK(json);
  if (!json.ok()) return paths;
  for (const JsonValue& doc : At(*json, "documents").items())
    paths.push_back(At(doc, "path").as_string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// ---------------------------------------------------------------------------
// Test documents: fictional vendors, our own sentences.

// A row table, one `ID<TAB>answer` per line.
inline constexpr std::string_view kHibariText =
    "ヒバリ書類クラウド FISC安全対策基準 対応状況書\n"
    "\n"
    "FISC「金融機関等コンピュータシステムの安全対策基準・解説書（第11版）」対応\n"
    "\n"
    "2024/05/20\n"
    "\n"
    "作成：株式会社ヒバリデータ\n"
    "\n"
    "基準番号\t対応状況\n"
    "統1\t情報セキュリティ基本方針を制定し、全従業員に毎年周知しています。\n"
    "実8\t暗号鍵はハードウェアセキュリティモジュールで生成し、二名の承認なしには取り出せません。\n"
    "実9\tアクセスログを一年間保存し、毎月点検しています。\n";

// The same layout as a Markdown table, another vendor.
inline constexpr std::string_view kKamomeMarkdown =
    "# カモメ会計サービス セキュリティホワイトペーパー\n"
    "\n"
    "株式会社カモメソフト\n"
    "\n"
    "| 基準番号 | 対応状況 |\n"
    "| --- | --- |\n"
    "| 実8 | 通信はTLSで暗号化し、暗号鍵は九十日ごとに更新しています。 |\n"
    "| 実25 | 外部委託先を年に一度監査しています。 |\n";

// Prose without any criterion: only passages.
inline constexpr std::string_view kOoruriText =
    "オオルリ物産 社内規程の概要\n"
    "\n"
    "当社は重要書類の保管庫を二か所に分けて設置し、入退室を記録しています。\n"
    "停電に備えて無停電電源装置を点検しています。\n";

// A folder `docs/` with the three documents, under `dir`.
inline void WriteDocs(const std::filesystem::path& dir) {
  WriteFile(dir / "docs" / "hibari.txt", kHibariText);
  WriteFile(dir / "docs" / "kamome.md", kKamomeMarkdown);
  WriteFile(dir / "docs" / "ooruri.txt", kOoruriText);
}

inline const std::vector<std::string>& AllDocs() {
  static const std::vector<std::string> kAll = {"docs/hibari.txt", "docs/kamome.md",
                                                "docs/ooruri.txt"};
  return kAll;
}

// Bytes that are not text: a PNG signature and header with NULs.
inline constexpr std::string_view kBinary{
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff"
    "a",
    33};

// A file of tests/data/pdf, read once (string_views into it stay valid).
inline const std::string& BadPdf(const char* name) {
  static std::map<std::string, std::string>* files = new std::map<std::string, std::string>();
  auto it = files->find(name);
  if (it == files->end()) {
    it = files
             ->emplace(name, ReadFileOrDie(std::filesystem::path(FISCDEX_SOURCE_DIR) / "tests" /
                                           "data" / "pdf" / name))
             .first;
  }
  return it->second;
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_CLI_SUPPORT_H_
