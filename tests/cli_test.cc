// End-to-end tests of the `fiscdex` binary: each test writes its own inputs
// into a TempDir, runs the real binary as a subprocess (cwd = the temp dir)
// on them and a real index file, and checks exit code, stdout and stderr.
// The last tests cover the CLI's helpers (JSON writer, wrapping) directly.
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/cli_support.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"
#include "base/json.h"
#include "tools/terminal.h"

namespace fiscdex {
namespace {

namespace fs = std::filesystem;
using ::fiscdex::testing::AllDocs;
using ::fiscdex::testing::At;
using ::fiscdex::testing::BadPdf;
using ::fiscdex::testing::BinaryPath;
using ::fiscdex::testing::ChildEnvironment;
using ::fiscdex::testing::ChildSetup;
using ::fiscdex::testing::EnvOverrides;
using ::fiscdex::testing::ErrorLinesAbout;
using ::fiscdex::testing::ExecChild;
using ::fiscdex::testing::JsonValue;
using ::fiscdex::testing::LaunchChild;
using ::fiscdex::testing::kBinary;
using ::fiscdex::testing::kOoruriText;
using ::fiscdex::testing::Lines;
using ::fiscdex::testing::ListedPaths;
using ::fiscdex::testing::ParseJson;
using ::fiscdex::testing::ParseOutput;
using ::fiscdex::testing::RunFiscdex;
using ::fiscdex::testing::RunResult;
using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteDocs;
using ::fiscdex::testing::WriteFile;

// ---------------------------------------------------------------------------
// Running the binary on a terminal (the rest is in tests/cli_support.h).

// Runs the binary with stdout and stderr on a terminal (a pseudo-terminal
// 100 columns wide) and returns what the terminal received.
RunResult RunOnTerminal(const fs::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), BinaryPath());
  std::vector<std::string> envp = ChildEnvironment({{"TERM", "xterm"}});
  RunResult result;
  winsize size{};
  size.ws_row = 40;
  size.ws_col = 100;
  int master = -1;
  int slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, &size) != 0) return result;
  const ::fiscdex::testing::Launch launch = LaunchChild([&](int report_fd) {
    close(master);
    setsid();
    ioctl(slave, TIOCSCTTY, 0);
    dup2(slave, STDIN_FILENO);
    dup2(slave, STDOUT_FILENO);
    dup2(slave, STDERR_FILENO);
    if (slave > STDERR_FILENO) close(slave);
    ExecChild(cwd, std::move(args), std::move(envp), ChildSetup{}, report_fd);
  });
  if (launch.pid < 0) {
    close(master);
    close(slave);
    ::fiscdex::testing::ReportLaunchFailure(launch.error);
    return result;
  }
  const pid_t pid = launch.pid;
  // The parent holds the slave side open until the end: once the last slave
  // descriptor closes, Linux may answer EIO while output is still queued, and
  // the tail of it is lost. So the master is read until the child has exited
  // and the terminal has stayed quiet for a while.
  int status = 0;
  bool exited = false;
  while (true) {
    pollfd fd = {master, POLLIN, 0};
    const int ready = poll(&fd, 1, exited ? 200 : 20);
    if (ready > 0) {
      char buf[8192];
      const ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) {
        result.out.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    if (ready < 0 && errno == EINTR) continue;
    if (exited) break;
    exited = waitpid(pid, &status, WNOHANG) == pid;
  }
  close(master);
  close(slave);
  if (!exited) waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// ---------------------------------------------------------------------------
// Reading --json output (tests/json_reader.h, tests/cli_support.h).

// The member names of `v`, in order.
std::vector<std::string> Keys(const JsonValue& v) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : v.members()) keys.push_back(key);
  return keys;
}
std::set<std::string> KeySet(const JsonValue& v) {
  std::vector<std::string> keys = Keys(v);
  return {keys.begin(), keys.end()};
}

bool IsStringOrNull(const JsonValue& v) { return v.is_string() || v.is_null(); }
bool IsNumberOrNull(const JsonValue& v) { return v.is_number() || v.is_null(); }

// ---------------------------------------------------------------------------
// Test documents (the others are in tests/cli_support.h).

// Bytes that are no supported encoding (0xFF is invalid in UTF-8,
// Shift_JIS and EUC-JP alike), without NULs.
constexpr std::string_view kUndecodable = "abc \xff\xfe\xfd\x80\xff mixed \xff\xff\n\xfe\xfd\xff\n";

// ---------------------------------------------------------------------------
// ingest + search

TEST(CliIngestTest, IngestsFolderThenSearchFindsIt) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(ingest.out, "");  // machine output only, and there is none
  EXPECT_NE(ingest.err.find("added 3, updated 0, moved 0, unchanged 0, removed 0, failed 0 ("), std::string::npos) << ingest.err;
  EXPECT_NE(ingest.err.find("MB/s)"), std::string::npos) << ingest.err;
  EXPECT_TRUE(fs::exists(dir.path() / "fiscdex.db"));

  RunResult search = RunFiscdex(dir.path(), {"search", "暗号鍵"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("1.  "), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("docs/hibari.txt"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("«"), std::string::npos) << "matches are marked: " << search.out;
  EXPECT_EQ(search.out.find("\x1b["), std::string::npos) << "no ANSI codes off a terminal";
}

TEST(CliIngestTest, SearchJoinsWordsAndHonoursLimit) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunFiscdex(dir.path(), {"search", "--limit", "1", "--json", "暗号鍵", "更新"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  Result<JsonValue> json = ParseOutput(search.out);
  ASSERT_OK(json);
  EXPECT_EQ(At(*json, "query").as_string(), "暗号鍵 更新");
  ASSERT_EQ(At(*json, "hits").items().size(), 1u);
  EXPECT_EQ(At(At(*json, "hits").items()[0], "document").as_string(), "docs/kamome.md");
}

TEST(CliIngestTest, DbFlagWorksBeforeAndAfterTheCommand) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult before = RunFiscdex(dir.path(), {"--db", "first.db", "ingest", "docs"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  RunResult after = RunFiscdex(dir.path(), {"ingest", "docs", "--db=second.db"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(fs::exists(dir.path() / "first.db"));
  EXPECT_TRUE(fs::exists(dir.path() / "second.db"));
  EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db"));

  RunResult search = RunFiscdex(dir.path(), {"search", "保管庫", "--db", "second.db"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("docs/ooruri.txt"), std::string::npos) << search.out;
  EXPECT_EQ(ListedPaths(dir.path(), {{"FISCDEX_DB", "first.db"}}), AllDocs());
}

TEST(CliIngestTest, FiscdexDbSetsTheDefaultAndTheFlagOverridesIt) {
  TempDir dir;
  WriteDocs(dir.path());
  fs::create_directories(dir.path() / "var");
  const EnvOverrides env = {{"FISCDEX_DB", "var/env.db"}};
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs/hibari.txt"}, env).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir.path() / "var" / "env.db"));
  EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db"));
  EXPECT_EQ(ListedPaths(dir.path(), env), std::vector<std::string>{"docs/hibari.txt"});

  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "--db", "flag.db", "docs/kamome.md"}, env).exit_code,
            0);
  EXPECT_TRUE(fs::exists(dir.path() / "flag.db"));
  EXPECT_EQ(ListedPaths(dir.path(), env), std::vector<std::string>{"docs/hibari.txt"});
}

TEST(CliIngestTest, ReingestCountsUnchangedFiles) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult again = RunFiscdex(dir.path(), {"ingest", "--json", "docs"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  Result<JsonValue> json = ParseOutput(again.out);
  ASSERT_OK(json);
  EXPECT_EQ(KeySet(*json),
            (std::set<std::string>{"added", "updated", "moved", "unchanged", "removed", "failed",
                                   "bytes_read", "seconds", "error", "failures", "moves",
                                   "removals", "warnings"}));
  EXPECT_EQ(At(*json, "added").as_number(), 0);
  EXPECT_EQ(At(*json, "unchanged").as_number(), 3);
  EXPECT_EQ(At(*json, "failed").as_number(), 0);
  // Unchanged size and mtime: not even read.
  EXPECT_EQ(At(*json, "bytes_read").as_number(), 0);
  EXPECT_EQ(again.err.find("added "), std::string::npos) << "--json replaces the summary line";

  // The same files named another way are the same documents.
  RunResult absolute = RunFiscdex(dir.path(), {"ingest", (dir.path() / "docs").string()});
  ASSERT_EQ(absolute.exit_code, 0) << absolute.err;
  EXPECT_NE(absolute.err.find("added 0, updated 0, moved 0, unchanged 3, removed 0, failed 0"), std::string::npos)
      << absolute.err;
  RunResult dotted = RunFiscdex(dir.path(), {"ingest", "./docs/../docs/kamome.md"});
  ASSERT_EQ(dotted.exit_code, 0) << dotted.err;
  EXPECT_NE(dotted.err.find("added 0, updated 0, moved 0, unchanged 1, removed 0, failed 0"), std::string::npos) << dotted.err;

  // A changed file is indexed again.
  WriteFile(dir.path() / "docs" / "ooruri.txt",
            std::string(kOoruriText) + "非常用発電機を毎月試運転しています。\n");
  RunResult changed = RunFiscdex(dir.path(), {"ingest", "docs"});
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.err.find("added 0, updated 1, moved 0, unchanged 2, removed 0, failed 0"), std::string::npos) << changed.err;
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());
}

TEST(CliIngestTest, VerboseNamesEachFileAndQuietPrintsNothing) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult verbose = RunFiscdex(dir.path(), {"--verbose", "ingest", "docs"});
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  for (const std::string& doc : AllDocs()) {
    EXPECT_NE(verbose.err.find(doc + ": added"), std::string::npos) << verbose.err;
  }
  RunResult quiet = RunFiscdex(dir.path(), {"ingest", "docs", "--quiet"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "");
}

// ---------------------------------------------------------------------------
// ingest failures: each names the path, the rest is still indexed.

struct BadInputCase {
  const char* name;
  const char* path;        // as passed on the command line, relative to the temp dir
  std::string_view bytes;  // written to `path` unless it is a missing path
  bool create;
  bool directory;
  const char* reason;  // expected in the error line
};
// Each case prints as its name, so ctest lists readable test names.
void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

class CliBadInputTest : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(CliBadInputTest, ReportsThePathAndIndexesTheRest) {
  const BadInputCase& c = GetParam();
  TempDir dir;
  WriteDocs(dir.path());
  if (c.directory) {
    fs::create_directories(dir.path() / c.path);
  } else if (c.create) {
    WriteFile(dir.path() / c.path, c.bytes);
  }
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs", c.path});
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, c.path);
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find(c.reason), std::string::npos) << lines[0];
  EXPECT_NE(ingest.err.find("added 3, updated 0, moved 0, unchanged 0, removed 0, failed 1"), std::string::npos) << ingest.err;
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, CliBadInputTest,
    ::testing::Values(
        BadInputCase{"MissingPath", "nope/missing.txt", "", false, false, "not found"},
        BadInputCase{"EmptyFile", "empty.txt", "", true, false, "empty"},
        BadInputCase{"WhiteSpaceOnlyFile", "blank.txt", " \n\n\t\n", true, false, "empty"},
        BadInputCase{"BinaryFile", "image.png", kBinary, true, false, "unsupported"},
        BadInputCase{"UndecodableFile", "garbled.txt", kUndecodable, true, false, "undecodable"},
        BadInputCase{"EmptyDirectory", "hollow", "", false, true, "empty"},
        BadInputCase{"EncryptedPdf", "locked.pdf", BadPdf("encrypted_user.pdf"), true, false,
                     "encrypted: needs a password (give it with --password)"},
        BadInputCase{"TruncatedPdf", "cut.pdf", BadPdf("truncated.pdf"), true, false,
                     "corrupt: truncated or damaged PDF"},
        BadInputCase{"CorruptPdf", "broken.pdf", BadPdf("corrupt.pdf"), true, false,
                     "corrupt: truncated or damaged PDF"},
        BadInputCase{"JunkNamedPdf", "junk.pdf", BadPdf("not_a_pdf.pdf"), true, false,
                     "unsupported"}),
    [](const ::testing::TestParamInfo<BadInputCase>& info) {
      return std::string(info.param.name);
    });

TEST(CliIngestTest, FailedFileKeepsAlreadyIndexedDocuments) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  // kamome.md is overwritten with garbage: its re-ingest fails, and neither
  // it nor the others may be lost.
  WriteFile(dir.path() / "docs" / "kamome.md", kBinary);
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"});
  EXPECT_EQ(ingest.exit_code, 1);
  EXPECT_EQ(ErrorLinesAbout(ingest.err, "docs/kamome.md").size(), 1u) << ingest.err;
  EXPECT_NE(ingest.err.find("added 0, updated 0, moved 0, unchanged 2, removed 0, failed 1"), std::string::npos) << ingest.err;
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());

  RunResult show = RunFiscdex(dir.path(), {"show", "--json", "実8"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  Result<JsonValue> json = ParseOutput(show.out);
  ASSERT_OK(json);
  EXPECT_EQ(At(*json, "answers").items().size(), 2u) << show.out;
}

TEST(CliIngestTest, UnopenableIndexIsAUsageError) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--db", "no/such/dir/x.db", "docs"});
  EXPECT_EQ(ingest.exit_code, 2);
  EXPECT_EQ(ErrorLinesAbout(ingest.err, "no/such/dir/x.db").size(), 1u) << ingest.err;

  WriteFile(dir.path() / "notes.db", "these are notes, not an index\n");
  RunResult not_index = RunFiscdex(dir.path(), {"--db", "notes.db", "list"});
  EXPECT_EQ(not_index.exit_code, 2);
  EXPECT_EQ(ErrorLinesAbout(not_index.err, "notes.db").size(), 1u) << not_index.err;
}

TEST(CliIngestTest, ProgressLineIsDrawnAndClearedOnATerminal) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult ingest = RunOnTerminal(dir.path(), {"ingest", "docs"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.out;
  EXPECT_NE(ingest.out.find("0/3 files"), std::string::npos) << ingest.out;
  // Cleared before the summary: the summary starts after an erase sequence.
  EXPECT_NE(ingest.out.find("\r\x1b[Kadded 3, updated 0, moved 0, unchanged 0, removed 0, failed 0"),
            std::string::npos)
      << ingest.out;

  RunResult quiet = RunOnTerminal(dir.path(), {"ingest", "--quiet", "docs"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "");
}

// ---------------------------------------------------------------------------
// search

TEST(CliSearchTest, JsonHasTheContractShapeAndNullIdForPassages) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunFiscdex(dir.path(), {"search", "--json", "保管庫"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  Result<JsonValue> json = ParseOutput(search.out);
  ASSERT_OK(json);
  EXPECT_EQ(Keys(*json), (std::vector<std::string>{"query", "hits"}));
  EXPECT_EQ(At(*json, "query").as_string(), "保管庫");
  const std::vector<JsonValue>& hits = At(*json, "hits").items();
  ASSERT_FALSE(hits.empty());
  for (const JsonValue& hit : hits) {
    EXPECT_EQ(Keys(hit),
              (std::vector<std::string>{"document", "vendor", "id", "page", "snippet", "score"}));
    EXPECT_EQ(At(hit, "document").as_string(), "docs/ooruri.txt");
    EXPECT_TRUE(IsStringOrNull(At(hit, "vendor")));
    EXPECT_TRUE(At(hit, "id").is_null()) << "ooruri.txt has no criteria";
    EXPECT_EQ(At(hit, "page").as_number(), 1);
    EXPECT_NE(At(hit, "snippet").as_string().find("«"), std::string::npos);
    EXPECT_TRUE(At(hit, "score").is_number());
  }
}

TEST(CliSearchTest, JsonNamesTheCriterionOfARecordHit) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunFiscdex(dir.path(), {"search", "--json", "アクセスログ"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  Result<JsonValue> json = ParseOutput(search.out);
  ASSERT_OK(json);
  bool found = false;
  for (const JsonValue& hit : At(*json, "hits").items()) {
    if (At(hit, "id").is_string() && At(hit, "id").as_string() == "実9") found = true;
  }
  EXPECT_TRUE(found) << search.out;
}

// A user's synonym groups widen a term: from --synonyms, or from
// $XDG_CONFIG_HOME/fiscdex/synonyms.txt; a bad line stops the search, naming it.
TEST(CliSearchTest, UserSynonymsWidenATermAndABadLineIsNamed) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult plain = RunFiscdex(dir.path(), {"search", "監査証跡"});
  EXPECT_EQ(plain.err, "no hits\n");
  WriteFile(dir.path() / "syn.txt", "# ours\n監査証跡, アクセスログ\n");
  RunResult widened = RunFiscdex(dir.path(), {"search", "--synonyms", "syn.txt", "監査証跡"});
  EXPECT_EQ(widened.exit_code, 0) << widened.err;
  EXPECT_NE(widened.out.find("アクセスログ"), std::string::npos) << widened.out;
  WriteFile(dir.path() / "config" / "fiscdex" / "synonyms.txt", "監査証跡, アクセスログ\n");
  RunResult from_config = RunFiscdex(dir.path(), {"search", "監査証跡"},
                                     {{"XDG_CONFIG_HOME", (dir.path() / "config").string()}});
  EXPECT_NE(from_config.out.find("アクセスログ"), std::string::npos) << from_config.err;
  WriteFile(dir.path() / "bad.txt", "監査証跡,,アクセスログ\n");
  RunResult bad = RunFiscdex(dir.path(), {"search", "--synonyms", "bad.txt", "監査証跡"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("bad.txt:1"), std::string::npos) << bad.err;
}

TEST(CliSearchTest, NoHitsIsNotAnError) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult text = RunFiscdex(dir.path(), {"search", "量子テレポーテーション"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "");
  EXPECT_EQ(text.err, "no hits\n");
  RunResult json = RunFiscdex(dir.path(), {"search", "--json", "量子テレポーテーション"});
  EXPECT_EQ(json.exit_code, 0);
  Result<JsonValue> parsed = ParseOutput(json.out);
  ASSERT_OK(parsed);
  EXPECT_TRUE(At(*parsed, "hits").is_array());
  EXPECT_TRUE(At(*parsed, "hits").items().empty());
}

struct BadQueryCase {
  const char* name;
  std::vector<std::string> words;
  const char* query;  // as named in the error line
};
void PrintTo(const BadQueryCase& c, std::ostream* os) { *os << c.name; }

class CliBadQueryTest : public ::testing::TestWithParam<BadQueryCase> {};

TEST_P(CliBadQueryTest, IsAUsageErrorNamingTheQuery) {
  const BadQueryCase& c = GetParam();
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  std::vector<std::string> args = {"search"};
  args.insert(args.end(), c.words.begin(), c.words.end());
  RunResult search = RunFiscdex(dir.path(), args);
  EXPECT_EQ(search.exit_code, 2);
  EXPECT_EQ(search.out, "");
  const std::vector<std::string> lines = Lines(search.err);
  ASSERT_EQ(lines.size(), 1u) << search.err;
  EXPECT_TRUE(lines[0].starts_with("fiscdex: query \"" + std::string(c.query) + "\": "))
      << lines[0];
}

INSTANTIATE_TEST_SUITE_P(
    Queries, CliBadQueryTest,
    ::testing::Values(BadQueryCase{"UnbalancedQuote", {"\"暗号鍵", "管理"}, "\"暗号鍵 管理"},
                      BadQueryCase{"TrailingOperator", {"暗号鍵", "OR"}, "暗号鍵 OR"},
                      BadQueryCase{"LeadingOperator", {"OR", "暗号鍵"}, "OR 暗号鍵"}),
    [](const ::testing::TestParamInfo<BadQueryCase>& info) {
      return std::string(info.param.name);
    });

TEST(CliSearchTest, BoldOnATerminalInsteadOfGuillemets) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunOnTerminal(dir.path(), {"search", "保管庫"});
  ASSERT_EQ(search.exit_code, 0) << search.out;
  EXPECT_NE(search.out.find("\x1b[1m"), std::string::npos) << search.out;
  EXPECT_EQ(search.out.find("«"), std::string::npos) << search.out;
}

// ---------------------------------------------------------------------------
// Reading commands never create an index.

struct MissingIndexCase {
  const char* name;
  std::vector<std::string> args;
};
void PrintTo(const MissingIndexCase& c, std::ostream* os) { *os << c.name; }

class CliMissingIndexTest : public ::testing::TestWithParam<MissingIndexCase> {};

TEST_P(CliMissingIndexTest, SaysSoAndCreatesNothing) {
  TempDir dir;
  RunResult run = RunFiscdex(dir.path(), GetParam().args);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "fiscdex: fiscdex.db: no index here; run 'fiscdex ingest' first\n");
  EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

INSTANTIATE_TEST_SUITE_P(Commands, CliMissingIndexTest,
                         ::testing::Values(MissingIndexCase{"Search", {"search", "暗号鍵"}},
                                           MissingIndexCase{"SearchJson",
                                                            {"search", "--json", "暗号鍵"}},
                                           MissingIndexCase{"Show", {"show", "実8"}},
                                           MissingIndexCase{"List", {"list"}}),
                         [](const ::testing::TestParamInfo<MissingIndexCase>& info) {
                           return std::string(info.param.name);
                         });

// ---------------------------------------------------------------------------
// list, show, extract

TEST(CliListTest, JsonHasTheContractShape) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult list = RunFiscdex(dir.path(), {"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  Result<JsonValue> json = ParseOutput(list.out);
  ASSERT_OK(json);
  EXPECT_EQ(Keys(*json), std::vector<std::string>{"documents"});
  std::map<std::string, const JsonValue*> by_path;
  for (const JsonValue& doc : At(*json, "documents").items()) {
    EXPECT_EQ(Keys(doc), (std::vector<std::string>{"path", "format", "encoding", "vendor",
                                                   "edition", "date", "records", "passages",
                                                   "text"}));
    EXPECT_TRUE(IsStringOrNull(At(doc, "vendor")));
    EXPECT_TRUE(IsNumberOrNull(At(doc, "edition")));
    EXPECT_TRUE(IsStringOrNull(At(doc, "date")));
    EXPECT_EQ(At(doc, "encoding").as_string(), "UTF-8");
    by_path[At(doc, "path").as_string()] = &doc;
  }
  ASSERT_EQ(by_path.size(), 3u) << list.out;
  EXPECT_EQ(At(*by_path["docs/hibari.txt"], "format").as_string(), "text");
  EXPECT_EQ(At(*by_path["docs/hibari.txt"], "records").as_number(), 3);
  EXPECT_EQ(At(*by_path["docs/kamome.md"], "format").as_string(), "markdown");
  EXPECT_EQ(At(*by_path["docs/kamome.md"], "records").as_number(), 2);
  EXPECT_EQ(At(*by_path["docs/ooruri.txt"], "records").as_number(), 0);

  RunResult human = RunFiscdex(dir.path(), {"list"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_EQ(Lines(human.out).size(), 4u) << human.out;  // header + 3 documents
}

TEST(CliShowTest, ShowsEveryVendorsAnswerWhateverTheIdSpelling) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  for (const std::vector<std::string>& spelling :
       {std::vector<std::string>{"実8"}, {"実", "８"}, {"実 ８"}, {"実務基準8"}}) {
    std::vector<std::string> args = {"show"};
    args.insert(args.end(), spelling.begin(), spelling.end());
    RunResult show = RunFiscdex(dir.path(), args);
    ASSERT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("docs/hibari.txt"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("docs/kamome.md"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("ハードウェアセキュリティモジュール"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("九十日ごとに更新"), std::string::npos) << show.out;
  }
}

TEST(CliShowTest, JsonHasOneAnswerPerDocument) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult show = RunFiscdex(dir.path(), {"show", "--json", "実8"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  Result<JsonValue> json = ParseOutput(show.out);
  ASSERT_OK(json);
  EXPECT_EQ(Keys(*json), (std::vector<std::string>{"id", "answers"}));
  EXPECT_EQ(At(*json, "id").as_string(), "実8");
  std::set<std::string> documents;
  for (const JsonValue& answer : At(*json, "answers").items()) {
    EXPECT_EQ(Keys(answer),
              (std::vector<std::string>{"document", "vendor", "title", "answer", "group", "page",
                                        "status", "status_evidence"}));
    EXPECT_TRUE(IsStringOrNull(At(answer, "vendor")));
    EXPECT_TRUE(IsStringOrNull(At(answer, "title")));
    EXPECT_NE(At(answer, "answer").as_string().find("暗号鍵"), std::string::npos);
    ASSERT_EQ(At(answer, "group").items().size(), 1u);
    EXPECT_EQ(At(answer, "group").items()[0].as_string(), "実8");
    documents.insert(At(answer, "document").as_string());
  }
  EXPECT_EQ(documents, (std::set<std::string>{"docs/hibari.txt", "docs/kamome.md"}));
}

TEST(CliShowTest, UnindexedIdHasNoAnswers) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult show = RunFiscdex(dir.path(), {"show", "監1"});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_EQ(show.out, "");
  EXPECT_EQ(ErrorLinesAbout(show.err, "監1").size(), 1u) << show.err;
}

TEST(CliShowTest, InvalidIdIsAUsageError) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  for (const char* bad : {"暗号鍵", "8", "実"}) {
    RunResult show = RunFiscdex(dir.path(), {"show", bad});
    EXPECT_EQ(show.exit_code, 2) << bad;
    EXPECT_EQ(Lines(show.err).size(), 1u) << show.err;
    std::string quoted = "\"";  // built in steps: GCC 12 warns falsely on "x" + s + "x"
    quoted += bad;
    quoted += '"';
    EXPECT_NE(show.err.find(quoted), std::string::npos) << show.err;
  }
}

TEST(CliExtractTest, JsonHasTheContractShape) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult extract = RunFiscdex(dir.path(), {"extract", "--json", "docs/hibari.txt"});
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db")) << "extract never touches the index";
  Result<JsonValue> json = ParseOutput(extract.out);
  ASSERT_OK(json);
  EXPECT_EQ(KeySet(*json), (std::set<std::string>{"source", "format", "encoding", "title", "vendor",
                                                  "edition", "date", "criteria"}));
  EXPECT_EQ(At(*json, "source").as_string(), "docs/hibari.txt");
  EXPECT_EQ(At(*json, "format").as_string(), "text");
  EXPECT_EQ(At(*json, "encoding").as_string(), "UTF-8");
  EXPECT_TRUE(IsNumberOrNull(At(*json, "edition")));
  EXPECT_TRUE(IsStringOrNull(At(*json, "date")));
  std::vector<std::string> ids;
  for (const JsonValue& record : At(*json, "criteria").items()) {
    EXPECT_TRUE(KeySet(record).contains("id") && KeySet(record).contains("answer") &&
                KeySet(record).contains("title") && KeySet(record).contains("group") &&
                KeySet(record).contains("page"))
        << extract.out;
    ids.push_back(At(record, "id").as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"統1", "実8", "実9"}));
}

TEST(CliExtractTest, ListingShowsRecordsAndMetadata) {
  TempDir dir;
  WriteDocs(dir.path());
  RunResult extract = RunFiscdex(dir.path(), {"extract", "docs/kamome.md"});
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  EXPECT_NE(extract.out.find("docs/kamome.md  (markdown, UTF-8, 1 page)"), std::string::npos)
      << extract.out;
  EXPECT_NE(extract.out.find("records:  2"), std::string::npos) << extract.out;
  EXPECT_NE(extract.out.find("実8"), std::string::npos);
  EXPECT_NE(extract.out.find("実25"), std::string::npos);
  EXPECT_NE(extract.out.find("外部委託先"), std::string::npos);
}

TEST(CliExtractTest, BadFileNamesItAndFails) {
  TempDir dir;
  WriteFile(dir.path() / "image.png", kBinary);
  for (const char* path : {"image.png", "missing.txt"}) {
    RunResult extract = RunFiscdex(dir.path(), {"extract", "--json", path});
    EXPECT_EQ(extract.exit_code, 1) << path;
    EXPECT_EQ(extract.out, "");
    EXPECT_EQ(ErrorLinesAbout(extract.err, path).size(), 1u) << extract.err;
    EXPECT_EQ(Lines(extract.err).size(), 1u) << extract.err;
  }
}

// ---------------------------------------------------------------------------
// usage

TEST(CliUsageTest, HelpForEveryCommandGoesToStdout) {
  TempDir dir;
  for (const char* command : {"ingest", "search", "extract", "show", "list"}) {
    for (const char* flag : {"--help", "-h"}) {
      RunResult help = RunFiscdex(dir.path(), {command, flag});
      EXPECT_EQ(help.exit_code, 0) << command;
      EXPECT_EQ(help.err, "") << command;
      EXPECT_TRUE(help.out.starts_with("usage: fiscdex " + std::string(command))) << help.out;
      EXPECT_NE(help.out.find("example:"), std::string::npos) << help.out;
    }
  }
  // Help wins over other arguments, valid or not.
  RunResult mixed = RunFiscdex(dir.path(), {"search", "--limit", "x", "--help"});
  EXPECT_EQ(mixed.exit_code, 0);
  EXPECT_TRUE(mixed.out.starts_with("usage: fiscdex search"));

  RunResult main_help = RunFiscdex(dir.path(), {"--help"});
  EXPECT_EQ(main_help.exit_code, 0);
  for (const char* command : {"ingest", "search", "extract", "show", "list"}) {
    EXPECT_NE(main_help.out.find(std::string("  ") + command + " "), std::string::npos)
        << main_help.out;
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(CliUsageTest, VersionPrintsTheVersion) {
  TempDir dir;
  RunResult version = RunFiscdex(dir.path(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("fiscdex ")) << version.out;
  EXPECT_EQ(version.err, "");
}

struct UsageCase {
  const char* name;
  std::vector<std::string> args;
  const char* mention;  // the error line names this
};
void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class CliUsageErrorTest : public ::testing::TestWithParam<UsageCase> {};

TEST_P(CliUsageErrorTest, ExitsTwoWithOneLine) {
  const UsageCase& c = GetParam();
  TempDir dir;
  WriteDocs(dir.path());
  RunResult run = RunFiscdex(dir.path(), c.args);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  const std::vector<std::string> lines = Lines(run.err);
  ASSERT_EQ(lines.size(), 1u) << run.err;
  EXPECT_TRUE(lines[0].starts_with("fiscdex: ")) << lines[0];
  EXPECT_NE(lines[0].find(c.mention), std::string::npos) << lines[0];
  EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db"));
}

INSTANTIATE_TEST_SUITE_P(
    Args, CliUsageErrorTest,
    ::testing::Values(UsageCase{"NoCommand", {}, "no command"},
                      UsageCase{"UnknownCommand", {"serch", "暗号鍵"}, "'serch'"},
                      UsageCase{"UnknownGlobalFlag", {"--bogus", "list"}, "'--bogus'"},
                      UsageCase{"UnknownCommandFlag", {"search", "--bogus", "暗号鍵"}, "'--bogus'"},
                      UsageCase{"UnknownFlagAfterPaths", {"ingest", "docs", "--fast"}, "'--fast'"},
                      UsageCase{"DbWithoutValue", {"list", "--db"}, "'--db'"},
                      UsageCase{"LimitNotANumber", {"search", "--limit", "ten", "暗号鍵"}, "'ten'"},
                      UsageCase{"LimitZero", {"search", "--limit=0", "暗号鍵"}, "'0'"},
                      UsageCase{"SwitchWithValue", {"list", "--json=yes"}, "'--json'"},
                      UsageCase{"SearchWithoutQuery", {"search", "--json"}, "QUERY"},
                      UsageCase{"IngestWithoutPath", {"ingest"}, "PATH"},
                      UsageCase{"ExtractTwoFiles", {"extract", "a.txt", "b.txt"}, "one FILE"},
                      UsageCase{"ShowWithoutId", {"show"}, "ID"},
                      UsageCase{"ListWithArgument", {"list", "docs"}, "'docs'"}),
    [](const ::testing::TestParamInfo<UsageCase>& info) { return std::string(info.param.name); });

TEST(CliUsageTest, DoubleDashPassesOptionLikeWordsToTheQuery) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunFiscdex(dir.path(), {"search", "--json", "--", "--db"});
  // "--db" reached the index as the query: a result or a query error, never
  // a complaint about a missing --db value.
  EXPECT_EQ(search.err.find("needs a value"), std::string::npos) << search.err;
  if (search.exit_code == 0) {
    Result<JsonValue> json = ParseOutput(search.out);
    ASSERT_OK(json);
    EXPECT_EQ(At(*json, "query").as_string(), "--db");
  } else {
    EXPECT_TRUE(search.err.starts_with("fiscdex: query \"--db\": ")) << search.err;
  }
}

// ---------------------------------------------------------------------------
// The CLI's helpers.

struct JsonStringCase {
  const char* name;
  std::string_view input;
  std::string_view expected;
};
void PrintTo(const JsonStringCase& c, std::ostream* os) { *os << c.name; }

class JsonWriterStringTest : public ::testing::TestWithParam<JsonStringCase> {};

TEST_P(JsonWriterStringTest, EscapesToValidJson) {
  std::string out;
  JsonWriter(&out).String(GetParam().input);
  EXPECT_EQ(out, GetParam().expected);
  Result<JsonValue> parsed = ParseOutput(out);
  ASSERT_OK(parsed);
  EXPECT_TRUE(parsed->is_string());
}

INSTANTIATE_TEST_SUITE_P(
    Strings, JsonWriterStringTest,
    ::testing::Values(
        JsonStringCase{"Plain", "実8 answer", "\"実8 answer\""},
        JsonStringCase{"QuoteAndBackslash", "a\"b\\c", "\"a\\\"b\\\\c\""},
        JsonStringCase{"NamedControls", "a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\""},
        JsonStringCase{"OtherControls", std::string_view("\x01\x1f\0", 3),
                       "\"\\u0001\\u001f\\u0000\""},
        JsonStringCase{"FullWidthAndEmoji", "ＡＢ１ ✏️ 🆕", "\"ＡＢ１ ✏️ 🆕\""},
        JsonStringCase{"InvalidByte",
                       "a\xff"
                       "b",
                       "\"a\xEF\xBF\xBD"
                       "b\""},
        JsonStringCase{"TruncatedSequence", "\xe5\xae", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""}),
    [](const ::testing::TestParamInfo<JsonStringCase>& info) {
      return std::string(info.param.name);
    });

TEST(JsonWriterTest, WritesNestedValuesWithListsOnePerLine) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("query").String("暗号");
  json.Key("n").Int(-3);
  json.Key("score").Double(1.5);
  json.Key("nan").Double(std::nan(""));
  json.Key("none").OptionalString(std::nullopt);
  json.Key("ok").Bool(true);
  json.Key("hits").BeginArray(/*one_per_line=*/true);
  json.BeginObject();
  json.Key("id").OptionalInt(8);
  json.Key("group").StringArray({"実8", "実9"});
  json.EndObject();
  json.BeginObject();
  json.Key("id").Null();
  json.Key("group").StringArray({});
  json.EndObject();
  json.EndArray();
  json.EndObject();
  EXPECT_EQ(out,
            "{\"query\": \"暗号\", \"n\": -3, \"score\": 1.5, \"nan\": null, \"none\": null, "
            "\"ok\": true, "
            "\"hits\": [\n"
            "  {\"id\": 8, \"group\": [\"実8\", \"実9\"]},\n"
            "  {\"id\": null, \"group\": []}\n"
            "]}");
  EXPECT_OK(ParseJson(out));
}

struct WrapCase {
  const char* name;
  std::string_view text;
  int columns;
  std::vector<std::string> expected;
};
void PrintTo(const WrapCase& c, std::ostream* os) { *os << c.name; }

class WrapTextTest : public ::testing::TestWithParam<WrapCase> {};

TEST_P(WrapTextTest, WrapsByDisplayWidth) {
  const WrapCase& c = GetParam();
  const std::vector<std::string> lines = cli::WrapText(c.text, c.columns);
  EXPECT_EQ(lines, c.expected);
  for (const std::string& line : lines) EXPECT_LE(cli::DisplayWidth(line), c.columns) << line;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, WrapTextTest,
    ::testing::Values(
        WrapCase{"LatinAtSpaces", "the quick brown fox", 10, {"the quick", "brown fox"}},
        WrapCase{"JapaneseTwoColumnsEach", "暗号鍵を管理する", 8, {"暗号鍵を", "管理する"}},
        // 。 may not start a line: the character before it moves down too.
        WrapCase{"NoLineStartsWithFullStop", "鍵を守る。次", 8, {"鍵を守", "る。次"}},
        WrapCase{"HardBreaksKept", "一行目\n\n三行目", 20, {"一行目", "", "三行目"}},
        WrapCase{"LongWordIsCut", "abcdefghij", 4, {"abcd", "efgh", "ij"}},
        WrapCase{"MixedWidth", "TLS1.3で暗号化", 9, {"TLS1.3で", "暗号化"}}),
    [](const ::testing::TestParamInfo<WrapCase>& info) { return std::string(info.param.name); });

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  EXPECT_EQ(cli::DisplayWidth("abc"), 3);
  EXPECT_EQ(cli::DisplayWidth("実８"), 4);
  EXPECT_EQ(cli::DisplayWidth("ｶﾅ"), 2);         // half-width kana
  EXPECT_EQ(cli::DisplayWidth("e\xcc\x81"), 1);  // e + combining acute
  EXPECT_EQ(cli::TailToWidth("docs/長い名前.txt", 10), "…名前.txt");
}

TEST(PrintableNameTest, EscapesControlCharactersAndBytesThatAreNotUtf8) {
  EXPECT_EQ(cli::PrintableName("docs/暗号 鍵.txt"), "docs/暗号 鍵.txt");
  EXPECT_EQ(cli::PrintableName("bad\nname\t.txt"), "bad\\nname\\t.txt");
  EXPECT_EQ(cli::PrintableName("\xff\xfe.txt"), "\\xFF\\xFE.txt");
  EXPECT_EQ(cli::PrintableName("a\x01" "b"), "a\\x01b");
  // A UTF-8 sequence cut short is escaped byte by byte, not swallowed.
  EXPECT_EQ(cli::PrintableName("\xe6\x9a.txt"), "\\xE6\\x9A.txt");
}

TEST(ProgressLineTest, ShowsFilesBarSpeedAndTimeLeft) {
  // 50 of 100 MB in 10 s: 5 MB/s, 10 s to go; the bar half full.
  const std::string line =
      cli::ProgressLine::Format(7, 20, 50'000'000, 100'000'000, 10.0, "docs/a.pdf", 120);
  EXPECT_EQ(line, "[==========          ] 7/20 files, 5.0 MB/s, ETA 0:10  docs/a.pdf");
  // Nothing measured yet: no speed or ETA.
  EXPECT_EQ(cli::ProgressLine::Format(0, 3, 0, 1000, 0.0, "", 80), "[                    ] 0/3 files  ");
  // Only unchanged files (no bytes to read): the bar follows files.
  EXPECT_EQ(cli::ProgressLine::Format(2, 4, 0, 0, 1.0, "x", 80),
            "[==========          ] 2/4 files  x");
  // A long path keeps its tail within the terminal's width.
  const std::string narrow = cli::ProgressLine::Format(
      1, 2, 10, 20, 1.0, "docs/とても長いフォルダ名/さらに長いファイル名.txt", 70);
  EXPECT_LE(cli::DisplayWidth(narrow), 69);
  EXPECT_NE(narrow.find("…ファイル名.txt"), std::string::npos) << narrow;
  // A terminal narrower than the counts: cut, never wrapped.
  EXPECT_EQ(cli::ProgressLine::Format(1, 2, 10, 20, 1.0, "x", 20), "[==========        ");
  // Hours when the rest takes that long.
  EXPECT_NE(cli::ProgressLine::Format(1, 9, 1'000'000, 8'000'000'000, 1.0, "", 80)
                .find("ETA 2:13:19"),
            std::string::npos);
}

}  // namespace
}  // namespace fiscdex

namespace fiscdex {
namespace {

TEST(CliPdfTest, PasswordOpensAnEncryptedPdf) {
  TempDir dir;
  WriteFile(dir.path() / "docs" / "locked.pdf", BadPdf("encrypted_user.pdf"));
  RunResult wrong = RunFiscdex(dir.path(), {"ingest", "--password", "nope", "docs"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("docs/locked.pdf: encrypted: the password given does not open it"),
            std::string::npos)
      << wrong.err;
  RunResult right = RunFiscdex(dir.path(), {"ingest", "--password", "fisc-user", "docs"});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  RunResult shown = RunFiscdex(dir.path(), {"show", "--json", "実3"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("docs/locked.pdf"), std::string::npos) << shown.out;
}

TEST(CliPdfTest, APdfModuleThatCannotBeLoadedFailsThatFileOnly) {
  // PDF support is a module loaded on the first PDF: when it is missing,
  // each PDF gets one error line naming it and the rest of the batch goes on.
  TempDir dir;
  WriteFile(dir.path() / "docs" / "good.pdf", BadPdf("good.pdf"));
  WriteFile(dir.path() / "docs" / "second.pdf", BadPdf("good.pdf") + "\n% another copy\n");
  WriteFile(dir.path() / "docs" / "notes.txt", "実3 は対応済みです。\n");
  const std::string missing = (dir.path() / "no-such-module.so").string();
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--json", "docs"},
                                {{"FISCDEX_PDF_MODULE", missing}});
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  for (const char* pdf : {"docs/good.pdf", "docs/second.pdf"}) {
    const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, pdf);
    ASSERT_EQ(lines.size(), 1u) << ingest.err;
    EXPECT_NE(lines[0].find("PDF support module fiscdex_pdf.so cannot be loaded"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find(missing), std::string::npos) << lines[0];
  }
  Result<JsonValue> summary = ParseOutput(ingest.out);
  ASSERT_OK(summary);
  EXPECT_EQ(At(*summary, "added").as_number(), 1);
  EXPECT_EQ(At(*summary, "failed").as_number(), 2);

  // A file that is there but is no module: dlopen's reason is told.
  WriteFile(dir.path() / "not-a-module.so", "not an ELF file");
  RunResult junk = RunFiscdex(dir.path(), {"ingest", "docs"},
                              {{"FISCDEX_PDF_MODULE", (dir.path() / "not-a-module.so").string()}});
  EXPECT_EQ(junk.exit_code, 1) << junk.err;
  const std::vector<std::string> lines = ErrorLinesAbout(junk.err, "docs/good.pdf");
  ASSERT_EQ(lines.size(), 1u) << junk.err;
  EXPECT_NE(lines[0].find("cannot be loaded"), std::string::npos) << lines[0];

  // Found beside the executable (the build tree's lib/fiscdex), it reads them.
  RunResult found = RunFiscdex(dir.path(), {"ingest", "--json", "docs"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
}

TEST(CliPdfTest, ASearchLoadsNoPdfLibrary) {
  // The binary itself does not link Poppler: only the module does.
  TempDir dir;
  WriteFile(dir.path() / "docs" / "notes.txt", "実3 は対応済みです。\n");
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  RunResult search = RunFiscdex(dir.path(), {"search", "対応"}, {{"LD_DEBUG", "libs"}});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  // LD_DEBUG=libs names every library the dynamic linker loads.
  EXPECT_NE(search.err.find("libsqlite3"), std::string::npos) << search.err;
  EXPECT_EQ(search.err.find("libpoppler"), std::string::npos) << search.err;
  EXPECT_EQ(search.err.find("fiscdex_pdf"), std::string::npos) << search.err;
}

TEST(CliPdfTest, AScanIsIndexedWithAWarningAndListedWithoutText) {
  TempDir dir;
  WriteFile(dir.path() / "docs" / "scan.pdf", BadPdf("scanned.pdf"));
  WriteFile(dir.path() / "docs" / "good.pdf", BadPdf("good.pdf"));
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--json", "docs"});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "docs/scan.pdf");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find("warning: no text layer"), std::string::npos) << lines[0];
  Result<JsonValue> summary = ParseOutput(ingest.out);
  ASSERT_OK(summary);
  EXPECT_EQ(At(*summary, "added").as_number(), 2);
  ASSERT_EQ(At(*summary, "warnings").items().size(), 1u);
  EXPECT_EQ(At(At(*summary, "warnings").items()[0], "path").as_string(), "docs/scan.pdf");

  RunResult list = RunFiscdex(dir.path(), {"list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  std::string scan_line, good_line;
  std::istringstream rows(list.out);
  for (std::string row; std::getline(rows, row);) {
    if (row.find("docs/scan.pdf") != std::string::npos) scan_line = row;
    if (row.find("docs/good.pdf") != std::string::npos) good_line = row;
  }
  EXPECT_NE(scan_line.find("(no text layer)"), std::string::npos) << list.out;
  EXPECT_EQ(good_line.find("(no text layer)"), std::string::npos) << list.out;
  RunResult json = RunFiscdex(dir.path(), {"list", "--json"});
  Result<JsonValue> documents = ParseOutput(json.out);
  ASSERT_OK(documents);
  for (const JsonValue& doc : At(*documents, "documents").items()) {
    const bool is_scan = At(doc, "path").as_string() == "docs/scan.pdf";
    EXPECT_EQ(At(doc, "text").as_bool(), !is_scan);
    EXPECT_TRUE(At(doc, "encoding").is_null());
  }
}

TEST(CliPdfTest, ExtractReadsATablePdfWithItsPages) {
  const fs::path pdf = fs::path(FISCDEX_SOURCE_DIR) / "corpus" / "pdf" / "17_pdf5col_kazahana.pdf";
  TempDir dir;
  RunResult extract = RunFiscdex(dir.path(), {"extract", "--json", pdf.string()});
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  Result<JsonValue> json = ParseOutput(extract.out);
  ASSERT_OK(json);
  EXPECT_EQ(At(*json, "format").as_string(), "pdf");
  EXPECT_TRUE(At(*json, "encoding").is_null());
  std::set<double> pages;
  for (const JsonValue& record : At(*json, "criteria").items()) pages.insert(At(record, "page").as_number());
  EXPECT_EQ(pages, (std::set<double>{1, 2, 3}));
}

}  // namespace
}  // namespace fiscdex
