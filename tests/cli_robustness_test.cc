// `fiscdex ingest` against what goes wrong in real folders, run as the
// real binary (tests/cli_support.h): bad and odd files, odd file names,
// permissions (as user nobody when the tests run as root, as CI does), a
// full disk (RLIMIT_FSIZE) and a second ingest on the same index. Each test
// checks the three promises of a failed file: one line on stderr naming
// it, exit code 1 (2 when the index itself is unusable), and everything
// else indexed with nothing indexed before lost.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest-spi.h>

#include "tests/cli_support.h"
#include "tests/test_util.h"

namespace fiscdex {
namespace {

namespace fs = std::filesystem;
using ::fiscdex::testing::AllDocs;
using ::fiscdex::testing::At;
using ::fiscdex::testing::BadPdf;
using ::fiscdex::testing::ChildSetup;
using ::fiscdex::testing::ErrorLinesAbout;
using ::fiscdex::testing::GiveTreeToNobody;
using ::fiscdex::testing::JsonValue;
using ::fiscdex::testing::kBinary;
using ::fiscdex::testing::kNobody;
using ::fiscdex::testing::Lines;
using ::fiscdex::testing::ListedPaths;
using ::fiscdex::testing::ParseOutput;
using ::fiscdex::testing::PlaceForNobody;
using ::fiscdex::testing::ReadFileOrDie;
using ::fiscdex::testing::RunFiscdex;
using ::fiscdex::testing::RunningAsRoot;
using ::fiscdex::testing::RunResult;
using ::fiscdex::testing::SpawnFiscdex;
using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WaitExitCode;
using ::fiscdex::testing::WriteDocs;
using ::fiscdex::testing::WriteFile;

// A text document with a word found nowhere else.
std::string TextWith(std::string_view word) {
  return "シギ通信 社内規程の概要\n\n当社は" + std::string(word) +
         "の観察記録を金庫に保管し、閲覧を記録しています。\n";
}

void SetMtime(const fs::path& path, int64_t seconds) {
  timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
}

// The documents answering 実8, by `show --json`.
std::vector<std::string> AnswersTo8(const fs::path& dir) {
  RunResult show = RunFiscdex(dir, {"show", "--json", "実8"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  Result<JsonValue> json = ParseOutput(show.out);
  std::vector<std::string> paths;
  EXPECT_OK(json);
  if (!json.ok()) return paths;
  for (const JsonValue& answer : At(*json, "answers").items()) {
    paths.push_back(At(answer, "document").as_string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The paths of `search --json QUERY` hits.
std::vector<std::string> SearchHits(const fs::path& dir, const std::string& query) {
  RunResult search = RunFiscdex(dir, {"search", "--json", query});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  Result<JsonValue> json = ParseOutput(search.out);
  std::vector<std::string> paths;
  EXPECT_OK(json);
  if (!json.ok()) return paths;
  for (const JsonValue& hit : At(*json, "hits").items()) {
    paths.push_back(At(hit, "document").as_string());
  }
  return paths;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// `count` UTF-8 documents made of the corpus' texts, each with its own
// closing line (no two alike), under `folder`.
void WriteGeneratedDocs(const fs::path& folder, int count) {
  std::vector<std::string> texts;
  for (const auto& entry : fs::directory_iterator(fs::path(FISCDEX_SOURCE_DIR) / "corpus")) {
    const std::string name = entry.path().filename().string();
    // 12_*: Shift_JIS and UTF-16, which a UTF-8 line appended would spoil.
    if (name.starts_with("12_")) continue;
    if (name.ends_with(".txt") || name.ends_with(".md")) texts.push_back(ReadFileOrDie(entry.path()));
  }
  std::sort(texts.begin(), texts.end());
  ASSERT_FALSE(texts.empty());
  for (int i = 0; i < count; ++i) {
    const std::string& text = texts[static_cast<size_t>(i) % texts.size()];
    WriteFile(folder / ("gen" + std::to_string(1000 + i) + ".txt"),
              text + "\n通し番号" + std::to_string(i) + "番の文書です。\n");
  }
}

// Polls `done` every millisecond for up to `seconds`.
template <typename Fn>
bool WaitFor(Fn done, double seconds = 10) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

// The exit code of child `pid` once it exits within `seconds`; otherwise
// kills it and returns nullopt (a test of "does not wait" must fail, not
// hang).
std::optional<int> WaitExitCodeWithin(pid_t pid, double seconds) {
  int status = 0;
  const bool exited = WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, seconds);
  if (!exited) {
    kill(pid, SIGKILL);
    WaitExitCode(pid);
    return std::nullopt;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ---------------------------------------------------------------------------
// A bad file among good ones.

struct BadFileCase {
  const char* name;
  const char* file;        // under docs/
  std::string_view bytes;  // the bad content
  uint64_t sparse_size;    // instead of bytes: a hole this big
  enum { kFile, kLoopToFolder, kLoopToItself } kind;
  std::vector<std::string> args;  // extra ingest flags
  const char* reason;             // expected in the error line
};
void PrintTo(const BadFileCase& c, std::ostream* os) { *os << c.name; }

class CliBadFileTest : public ::testing::TestWithParam<BadFileCase> {};

// The file first holds a good version that is indexed; then the bad
// version and a new good file appear. The ingest must report the bad one
// on one line, index the new one, and keep everything indexed before,
// including the good version of the bad file.
TEST_P(CliBadFileTest, OneLineExitOneOthersIndexedNothingLost) {
  const BadFileCase& c = GetParam();
  TempDir dir;
  WriteDocs(dir.path());
  const std::string path = std::string("docs/") + c.file;
  const fs::path file = dir.path() / path;
  const bool is_pdf = path.ends_with(".pdf");
  std::vector<std::string> indexed_before = AllDocs();
  if (c.kind == BadFileCase::kFile) {
    WriteFile(file, is_pdf ? BadPdf("good.pdf") : TextWith("ハヤブサ"));
    indexed_before.push_back(path);
  }
  RunResult first = RunFiscdex(dir.path(), {"ingest", "docs"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(ListedPaths(dir.path()), Sorted(indexed_before));
  const std::vector<std::string> answers_before = AnswersTo8(dir.path());
  ASSERT_GE(answers_before.size(), 2u);  // hibari, kamome (and good.pdf)

  switch (c.kind) {
    case BadFileCase::kFile:
      fs::remove(file);
      WriteFile(file, c.bytes);
      if (c.sparse_size > 0) fs::resize_file(file, c.sparse_size);  // a hole: no disk, no time
      SetMtime(file, 1'600'000'000);  // differs from the good version's, whatever the clock
      break;
    case BadFileCase::kLoopToFolder:
      fs::create_directory_symlink(".", file);
      break;
    case BadFileCase::kLoopToItself:
      fs::create_symlink(c.file, file);
      break;
  }
  WriteFile(dir.path() / "docs" / "later.txt", TextWith("ライチョウ"));
  std::vector<std::string> args = {"ingest", "docs"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  const auto start = std::chrono::steady_clock::now();
  RunResult ingest = RunFiscdex(dir.path(), args);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, path);
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find(c.reason), std::string::npos) << lines[0];
  EXPECT_NE(ingest.err.find("added 1, updated 0, moved 0, unchanged 3, removed 0, failed 1"),
            std::string::npos)
      << ingest.err;
  // Nothing else on stderr but that line and the summary.
  EXPECT_EQ(Lines(ingest.err).size(), 2u) << ingest.err;
  EXPECT_LT(seconds, 3.0) << "a skipped file must not be read";

  std::vector<std::string> expected = indexed_before;
  expected.push_back("docs/later.txt");
  EXPECT_EQ(ListedPaths(dir.path()), Sorted(expected));
  EXPECT_EQ(AnswersTo8(dir.path()), answers_before);
  EXPECT_EQ(SearchHits(dir.path(), "ライチョウ"), std::vector<std::string>{"docs/later.txt"});
  if (c.kind == BadFileCase::kFile && !is_pdf) {
    EXPECT_EQ(SearchHits(dir.path(), "ハヤブサ"), std::vector<std::string>{path})
        << "the good version indexed before is lost";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, CliBadFileTest,
    ::testing::Values(
        BadFileCase{"ZeroByteFile", "zero.txt", "", 0, BadFileCase::kFile, {}, "empty"},
        BadFileCase{"JunkNamedPdf", "junk.pdf", kBinary, 0, BadFileCase::kFile, {},
                    "unsupported"},
        BadFileCase{"JunkNamedTxt", "junk.txt", kBinary, 0, BadFileCase::kFile, {},
                    "unsupported"},
        BadFileCase{"TruncatedPdf", "cut.pdf", BadPdf("truncated.pdf"), 0, BadFileCase::kFile,
                    {}, "corrupt: truncated or damaged PDF"},
        BadFileCase{"EncryptedPdfWithoutPassword", "locked.pdf", BadPdf("encrypted_user.pdf"), 0,
                    BadFileCase::kFile, {}, "encrypted: needs a password (give it with --password)"},
        BadFileCase{"EncryptedPdfWithWrongPassword", "locked.pdf", BadPdf("encrypted_user.pdf"),
                    0, BadFileCase::kFile, {"--password", "wrong"},
                    "encrypted: the password given does not open it"},
        BadFileCase{"HugeFileOverTheDefaultLimit", "huge.txt", "", 500ull << 20,
                    BadFileCase::kFile, {},
                    "file is 500 MB, over the --max-bytes limit of 256 MB: skipped"},
        BadFileCase{"SmallFileOverMaxBytes1K", "small.txt", std::string_view(
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。"
                        "この文書は一キロバイトを超える長さの平文です。\n"),
                    0, BadFileCase::kFile, {"--max-bytes", "1K"},
                    "file is 1.1 KB, over the --max-bytes limit of 1 KB: skipped"},
        BadFileCase{"SymlinkLoopToItsFolder", "loop", "", 0, BadFileCase::kLoopToFolder, {},
                    "symbolic link loop, not followed"},
        BadFileCase{"SymlinkToItself", "self.txt", "", 0, BadFileCase::kLoopToItself, {},
                    "symbolic link loop, not followed"}),
    [](const ::testing::TestParamInfo<BadFileCase>& info) { return std::string(info.param.name); });

TEST(CliRobustnessTest, EncryptedPdfIsIndexedWithTheRightPassword) {
  TempDir dir;
  WriteDocs(dir.path());
  WriteFile(dir.path() / "docs" / "locked.pdf", BadPdf("encrypted_user.pdf"));
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--password", "fisc-user", "docs"});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(ErrorLinesAbout(ingest.err, "docs/locked.pdf").size(), 0u) << ingest.err;
  std::vector<std::string> expected = AllDocs();
  expected.push_back("docs/locked.pdf");
  EXPECT_EQ(ListedPaths(dir.path()), Sorted(expected));
}

TEST(CliRobustnessTest, PdfWithoutATextLayerIsAWarningNotAFailure) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  WriteFile(dir.path() / "docs" / "scan.pdf", BadPdf("scanned.pdf"));
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "docs/scan.pdf");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find("warning: no text layer"), std::string::npos) << lines[0];
  EXPECT_NE(ingest.err.find("added 1, updated 0, moved 0, unchanged 3, removed 0, failed 0"),
            std::string::npos)
      << ingest.err;
  std::vector<std::string> expected = AllDocs();
  expected.push_back("docs/scan.pdf");
  EXPECT_EQ(ListedPaths(dir.path()), Sorted(expected));
}

TEST(CliRobustnessTest, BadSizeOrJobsIsAUsageErrorThatTouchesNothing) {
  TempDir dir;
  WriteDocs(dir.path());
  // "" is what `--max-bytes "$UNSET"` passes: not the default, an error.
  const std::vector<std::pair<std::string, std::string>> flags = {
      {"--max-bytes", "x"}, {"--max-bytes", "12Q"}, {"--max-bytes", ""},
      {"--max-bytes", "1KB"}, {"--jobs", ""}, {"--jobs", "0"}};
  for (const auto& [flag, value] : flags) {
    SCOPED_TRACE(flag + " '" + value + "'");
    RunResult ingest = RunFiscdex(dir.path(), {"ingest", flag, value, "docs"});
    EXPECT_EQ(ingest.exit_code, 2) << ingest.err;
    EXPECT_EQ(Lines(ingest.err).size(), 1u) << ingest.err;
    EXPECT_TRUE(ingest.err.starts_with("fiscdex: ingest: ")) << ingest.err;
    EXPECT_FALSE(fs::exists(dir.path() / "fiscdex.db"));
  }
  RunResult x = RunFiscdex(dir.path(), {"ingest", "--max-bytes", "x", "docs"});
  EXPECT_NE(x.err.find("not a size: 'x'"), std::string::npos) << x.err;
}

// ---------------------------------------------------------------------------
// File names.

TEST(CliRobustnessTest, OddFileNamesAreIndexedAndListedOnce) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"with space.txt", "ミサゴ"},
      {"new\nline.txt", "カワセミ"},
      {"日本語の名前.txt", "ヤマセミ"},
      {"\xff\xfe.txt", "オジロワシ"},
  };
  for (const auto& [name, word] : files) WriteFile(dir.path() / "docs" / name, TextWith(word));
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--json", "docs"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  Result<JsonValue> summary = ParseOutput(ingest.out);
  ASSERT_OK(summary);
  EXPECT_EQ(At(*summary, "added").as_number(), 4);

  RunResult list = RunFiscdex(dir.path(), {"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  Result<JsonValue> json = ParseOutput(list.out);
  ASSERT_OK(json);  // list --json must stay valid JSON
  std::vector<std::string> listed;
  for (const JsonValue& doc : At(*json, "documents").items()) {
    listed.push_back(At(doc, "path").as_string());
  }
  // A name that is not UTF-8 cannot be JSON: its bad bytes show as U+FFFD.
  EXPECT_EQ(Sorted(listed), Sorted({"docs/with space.txt", "docs/new\nline.txt",
                                    "docs/日本語の名前.txt", "docs/\uFFFD\uFFFD.txt"}));
  for (const auto& [name, word] : files) {
    EXPECT_EQ(SearchHits(dir.path(), word).size(), 1u) << word;
  }
  // The stored names are the files' own: a second run finds them unchanged.
  RunResult again = RunFiscdex(dir.path(), {"ingest", "docs"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("added 0, updated 0, moved 0, unchanged 4, removed 0, failed 0"),
            std::string::npos)
      << again.err;
}

TEST(CliRobustnessTest, ErrorAboutAnOddlyNamedFileIsOneLine) {
  TempDir dir;
  WriteDocs(dir.path());
  WriteFile(dir.path() / "docs" / "bad\nname.txt", kBinary);
  WriteFile(dir.path() / "docs" / "bad\xff\xfe.txt", kBinary);
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"});
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  // Two error lines and the summary, the names escaped (PrintableName).
  const std::vector<std::string> lines = Lines(ingest.err);
  ASSERT_EQ(lines.size(), 3u) << ingest.err;
  EXPECT_EQ(ErrorLinesAbout(ingest.err, "docs/bad\\nname.txt").size(), 1u) << ingest.err;
  EXPECT_EQ(ErrorLinesAbout(ingest.err, "docs/bad\\xFF\\xFE.txt").size(), 1u) << ingest.err;
  EXPECT_EQ(ingest.err.find('\xff'), std::string::npos) << "stderr must stay valid UTF-8";
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());
}

// ---------------------------------------------------------------------------
// Permissions. As root, mode bits stop nothing: the child runs as nobody,
// from a copy of the binary nobody can reach (cli_support.h), in a folder
// beside it.

ChildSetup AsNobody() {
  ChildSetup setup;
  setup.as_nobody = true;
  return setup;
}

// The folder a permission test works in; skips the test (with the reason)
// where nobody cannot be given one.
#define NOBODY_TEST_DIR(dir)                                                 \
  const ::fiscdex::testing::NobodyPlace& place_for_nobody = PlaceForNobody(); \
  if (!place_for_nobody.skip_reason.empty()) GTEST_SKIP() << place_for_nobody.skip_reason; \
  TempDir dir(place_for_nobody.base)

TEST(CliPermissionTest, UnreadableFileIsReportedAndTheBatchGoesOn) {
  NOBODY_TEST_DIR(dir);
  WriteDocs(dir.path());
  WriteFile(dir.path() / "docs" / "secret.txt", TextWith("イヌワシ"));
  GiveTreeToNobody(dir.path());
  ASSERT_EQ(chmod((dir.path() / "docs" / "secret.txt").c_str(), 0), 0);
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"}, {}, AsNobody());
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "docs/secret.txt");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find("permission denied"), std::string::npos) << lines[0];
  EXPECT_NE(ingest.err.find("added 3, updated 0, moved 0, unchanged 0, removed 0, failed 1"),
            std::string::npos)
      << ingest.err;
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());
}

TEST(CliPermissionTest, ReadOnlyIndexFileIsRefusedAndLeftAlone) {
  NOBODY_TEST_DIR(dir);
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  const fs::path db = dir.path() / "fiscdex.db";
  ASSERT_FALSE(fs::exists(dir.path() / "fiscdex.db-wal")) << "the WAL is merged on close";
  WriteFile(dir.path() / "docs" / "later.txt", TextWith("ライチョウ"));
  // Everything the child's, but the index: root's, 0644 (as non-root: 0444).
  GiveTreeToNobody(dir.path());
  if (RunningAsRoot()) {
    ASSERT_EQ(chown(db.c_str(), 0, 0), 0);
    ASSERT_EQ(chmod(db.c_str(), 0644), 0);
  } else {
    ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  }
  const std::string before = ReadFileOrDie(db);

  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs"}, {}, AsNobody());
  EXPECT_EQ(ingest.exit_code, 2) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "fiscdex.db");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find("read-only"), std::string::npos) << lines[0];
  EXPECT_EQ(Lines(ingest.err).size(), 1u) << ingest.err;
  EXPECT_TRUE(ReadFileOrDie(db) == before) << "the read-only index file changed";
  chmod(db.c_str(), 0644);
  EXPECT_EQ(ListedPaths(dir.path()), AllDocs());
}

// The index is writable but its folder is not: SQLite cannot create the
// WAL beside it, nor fiscdex the lock file.
TEST(CliPermissionTest, ReadOnlyFolderHoldingAWritableIndexIsRefusedClearly) {
  NOBODY_TEST_DIR(dir);
  WriteDocs(dir.path());
  fs::create_directories(dir.path() / "var");
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "--db", "var/fiscdex.db", "docs"}).exit_code, 0);
  const fs::path db = dir.path() / "var" / "fiscdex.db";
  fs::remove(dir.path() / "var" / "fiscdex.db.lock");
  WriteFile(dir.path() / "docs" / "later.txt", TextWith("ライチョウ"));
  GiveTreeToNobody(dir.path());  // the index file included
  const fs::path var = dir.path() / "var";
  if (RunningAsRoot()) {
    ASSERT_EQ(chown(var.c_str(), 0, 0), 0);
    ASSERT_EQ(chmod(var.c_str(), 0755), 0);
  } else {
    ASSERT_EQ(chmod(var.c_str(), 0555), 0);
  }
  const std::string before = ReadFileOrDie(db);

  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "--db", "var/fiscdex.db", "docs"}, {},
                                AsNobody());
  chmod(var.c_str(), 0755);
  EXPECT_EQ(ingest.exit_code, 2) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "var/fiscdex.db");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_EQ(Lines(ingest.err).size(), 1u) << ingest.err;
  // Clear: it says what cannot be written and why.
  EXPECT_NE(lines[0].find("read-only"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("folder"), std::string::npos) << lines[0];
  EXPECT_TRUE(ReadFileOrDie(db) == before);
  EXPECT_EQ(ListedPaths(dir.path(), {{"FISCDEX_DB", "var/fiscdex.db"}}), AllDocs());
}

// ---------------------------------------------------------------------------
// The machine. What a user's environment holds (a locale, HOME, TMPDIR, the
// system's or the user's choice of MeCab dictionary) changes no byte of
// what fiscdex finds. doc/testing.md lists what the suite itself assumes.

// A child that could not start is the test's failure, and says so; it is
// never read as an exit code of fiscdex.
TEST(CliTestSetupTest, AChildThatCannotStartIsReportedAsSuch) {
  static RunResult result;
  EXPECT_NONFATAL_FAILURE(result = RunFiscdex("/nonexistent folder", {"--version"}),
                          "could not start fiscdex (chdir /nonexistent folder: No such file");
  EXPECT_EQ(result.exit_code, -1);
  static pid_t pid;
  EXPECT_NONFATAL_FAILURE(pid = SpawnFiscdex("/nonexistent folder", {"--version"}),
                          "not a result of fiscdex");
  EXPECT_EQ(pid, -1);
}

struct MachineCase {
  const char* name;
  // Set in the variant's run; "{dir}" stands for the test's folder, where
  // mecabrc (naming Debian's EUC-JP ipadic) and home/.mecabrc (naming a
  // dictionary that does not exist) are.
  fiscdex::testing::EnvOverrides env;
};
void PrintTo(const MachineCase& c, std::ostream* os) { *os << c.name; }

class CliMachineTest : public ::testing::TestWithParam<MachineCase> {};

// Everything a user sees of an index of the corpus (text, Markdown, HTML,
// CSV, Shift_JIS, UTF-16, PDF), with the ingest's timing left out.
std::string WhatTheUserSees(const fs::path& dir, const fiscdex::testing::EnvOverrides& env) {
  std::string seen;
  auto run = [&](std::vector<std::string> args) {
    RunResult r = RunFiscdex(dir, args, env);
    // Timing in brackets at a line's end: "… failed 0 (read 0.6 MB in 0.1 s,
    // 5.2 MB/s)" from ingest, "ok: … records (0.0 s)" from check.
    static const std::regex kTiming(R"( \((read [^)]*|[0-9.]+ s)\)$)", std::regex::multiline);
    seen += "$ fiscdex";
    for (const std::string& arg : args) seen += " " + arg;
    seen += "\nexit " + std::to_string(r.exit_code) + "\n" +
            std::regex_replace(r.out + r.err, kTiming, "");
  };
  run({"ingest", "docs"});
  run({"list", "--json"});
  run({"search", "暗号鍵"});
  run({"search", "--json", "アクセス 権限"});
  run({"show", "--json", "実8"});
  run({"show", "統20"});
  run({"check"});
  return seen;
}

// "line N: expected …, got …" for the first line where `got` differs.
std::string FirstDifference(const std::string& expected, const std::string& got) {
  const std::vector<std::string> a = Lines(expected);
  const std::vector<std::string> b = Lines(got);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(end)";
    const std::string y = i < b.size() ? b[i] : "(end)";
    if (x != y) {
      return "line " + std::to_string(i + 1) + ":\n  expected: " + x + "\n  got:      " + y;
    }
  }
  return "the same lines";
}

TEST_P(CliMachineTest, ChangesNothingFiscdexFinds) {
  TempDir dir;
  const fs::path corpus = fs::path(FISCDEX_SOURCE_DIR) / "corpus";
  for (const char* run : {"baseline", "variant"}) {
    fs::create_directories(dir.path() / run);
    fs::copy(corpus, dir.path() / run / "docs", fs::copy_options::recursive);
  }
  WriteFile(dir.path() / "mecabrc", "dicdir = /var/lib/mecab/dic/ipadic\n");
  WriteFile(dir.path() / "home" / ".mecabrc", "dicdir = " + (dir.path() / "nothing").string() + "\n");
  // The baseline: a plain UTF-8 locale, a home and a temp folder of its own.
  fs::create_directories(dir.path() / "tmp");
  const fiscdex::testing::EnvOverrides baseline = {
      {"LC_ALL", "C.UTF-8"}, {"LANG", std::nullopt},      {"LC_CTYPE", std::nullopt},
      {"HOME", (dir.path() / "home").string()},            {"TMPDIR", (dir.path() / "tmp").string()},
      {"MECABRC", std::nullopt}};
  fiscdex::testing::EnvOverrides variant = baseline;
  for (const auto& [name, value] : GetParam().env) {
    std::optional<std::string> resolved = value;
    if (resolved && resolved->starts_with("{dir}")) {
      resolved = dir.path().string() + resolved->substr(5);
    }
    std::erase_if(variant, [&](const auto& entry) { return entry.first == name; });
    variant.emplace_back(name, resolved);
  }
  const std::string expected = WhatTheUserSees(dir.path() / "baseline", baseline);
  ASSERT_NE(expected.find("updated 0, moved 0, unchanged 0, removed 0, failed 0"),
            std::string::npos)
      << expected;
  const std::string seen = WhatTheUserSees(dir.path() / "variant", variant);
  EXPECT_TRUE(seen == expected) << FirstDifference(expected, seen);
}

INSTANTIATE_TEST_SUITE_P(
    Environments, CliMachineTest,
    ::testing::Values(
        MachineCase{"HomeUnset", {{"HOME", std::nullopt}}},
        // /proc: a folder nobody, root included, can write in.
        MachineCase{"HomeReadOnly", {{"HOME", "/proc"}}},
        MachineCase{"TmpdirMissing", {{"TMPDIR", "/nonexistent/tmp"}}},
        MachineCase{"TmpdirReadOnly", {{"TMPDIR", "/proc"}}},
        MachineCase{"CLocale", {{"LC_ALL", "C"}, {"LANG", "C"}}},
        // Whether or not they are installed: fiscdex never consults the locale.
        MachineCase{"OtherLocales",
                    {{"LC_ALL", std::nullopt},
                     {"LANG", "ja_JP.eucJP"},
                     {"LC_CTYPE", "tr_TR.UTF-8"}}},
        MachineCase{"SystemMecabrcNamesAnotherDictionary", {{"MECABRC", "{dir}/mecabrc"}}},
        MachineCase{"UserMecabrcNamesAnotherDictionary", {{"HOME", "{dir}/home"}}}),
    [](const ::testing::TestParamInfo<MachineCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// A full disk.

uint64_t SizeOr0(const fs::path& path) {
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

TEST(CliDiskFullTest, FailedWriteStopsTheBatchAndKeepsTheIndexSound) {
  TempDir dir;
  WriteDocs(dir.path());
  ASSERT_EQ(RunFiscdex(dir.path(), {"ingest", "docs"}).exit_code, 0);
  WriteGeneratedDocs(dir.path() / "more", 40);
  const fs::path db = dir.path() / "fiscdex.db";
  // Just above what the index takes now: the WAL cannot hold 40 more
  // documents within it.
  const uint64_t limit = SizeOr0(db) + SizeOr0(dir.path() / "fiscdex.db-wal") + 64 * 1024;
  ChildSetup full;
  full.max_file_size = limit;
  RunResult ingest = RunFiscdex(dir.path(), {"ingest", "docs", "more"}, {}, full);
  EXPECT_EQ(ingest.exit_code, 2) << ingest.err;
  const std::vector<std::string> lines = ErrorLinesAbout(ingest.err, "fiscdex.db");
  ASSERT_EQ(lines.size(), 1u) << ingest.err;
  EXPECT_NE(lines[0].find("cannot write the index"), std::string::npos) << lines[0];
  // What SQLite makes of EFBIG, for the record.
  std::cout << "[ disk full ] " << lines[0] << "\n";

  RunResult check = RunFiscdex(dir.path(), {"check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  const std::vector<std::string> listed = ListedPaths(dir.path());
  for (const std::string& doc : AllDocs()) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), doc), listed.end()) << doc;
  }
  EXPECT_LT(listed.size(), 43u) << "the limit was not reached";

  RunResult again = RunFiscdex(dir.path(), {"ingest", "docs", "more"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ListedPaths(dir.path()).size(), 43u);
  EXPECT_EQ(RunFiscdex(dir.path(), {"check"}).exit_code, 0);
}

// ---------------------------------------------------------------------------
// A second ingest on the same index.

// Starts an ingest of 60 generated documents and stops it (SIGSTOP) once it
// holds the lock, so the tests see it hold the lock for as long as they
// need; Resume lets it finish.
class RunningIngest {
 public:
  explicit RunningIngest(const fs::path& dir) : dir_(dir) {
    WriteGeneratedDocs(dir / "bulk", 60);
    ChildSetup setup;
    setup.stderr_file = (dir / "first.err").string();
    pid_ = SpawnFiscdex(dir, {"ingest", "--jobs", "1", "bulk"}, setup);
    const fs::path lock = dir / "fiscdex.db.lock";
    const std::string pid_line = std::to_string(pid_) + "\n";
    holding_ = WaitFor([&] {
      std::error_code ec;
      return fs::exists(lock, ec) && ReadFileOrDie(lock) == pid_line;
    });
    if (holding_) kill(pid_, SIGSTOP);
    // Still running (not exited before the stop) and holding the lock.
    int status = 0;
    holding_ = holding_ && waitpid(pid_, &status, WNOHANG) == 0 && LockIsHeld(lock);
  }
  ~RunningIngest() {
    if (pid_ > 0) {
      kill(pid_, SIGCONT);
      WaitExitCode(pid_);
    }
  }

  pid_t pid() const { return pid_; }
  bool holding() const { return holding_; }
  // Lets it finish; its exit code.
  int Resume() {
    kill(pid_, SIGCONT);
    const std::optional<int> code = WaitExitCodeWithin(pid_, 20);
    pid_ = -1;
    return code.value_or(-2);
  }

 private:
  static bool LockIsHeld(const fs::path& lock) {
    const int fd = open(lock.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return held;
  }

  fs::path dir_;
  pid_t pid_ = -1;
  bool holding_ = false;
};

TEST(CliSecondIngestTest, NoWaitIsRefusedNamingTheHolder) {
  TempDir dir;
  WriteDocs(dir.path());
  RunningIngest first(dir.path());
  ASSERT_TRUE(first.holding()) << ReadFileOrDie(dir.path() / "first.err");
  ChildSetup setup;
  setup.stderr_file = (dir.path() / "second.err").string();
  const pid_t second = SpawnFiscdex(dir.path(), {"ingest", "--no-wait", "docs"}, setup);
  EXPECT_EQ(WaitExitCodeWithin(second, 10), 2) << "it must not wait";
  EXPECT_EQ(ReadFileOrDie(dir.path() / "second.err"),
            "fiscdex: fiscdex.db: index is locked by another ingest (pid " +
                std::to_string(first.pid()) + ")\n");
  EXPECT_EQ(first.Resume(), 0) << ReadFileOrDie(dir.path() / "first.err");
  const std::vector<std::string> listed = ListedPaths(dir.path());
  EXPECT_EQ(listed.size(), 60u);
  EXPECT_TRUE(std::none_of(listed.begin(), listed.end(),
                           [](const std::string& p) { return p.starts_with("docs/"); }));
}

TEST(CliSecondIngestTest, WithoutNoWaitItWaitsThenSucceeds) {
  TempDir dir;
  WriteDocs(dir.path());
  RunningIngest first(dir.path());
  ASSERT_TRUE(first.holding()) << ReadFileOrDie(dir.path() / "first.err");
  ChildSetup setup;
  setup.stderr_file = (dir.path() / "second.err").string();
  const pid_t second = SpawnFiscdex(dir.path(), {"ingest", "docs"}, setup);
  const std::string waiting = "fiscdex: fiscdex.db: waiting for another ingest (pid " +
                              std::to_string(first.pid()) + ") to finish\n";
  EXPECT_TRUE(WaitFor([&] { return ReadFileOrDie(dir.path() / "second.err") == waiting; }))
      << ReadFileOrDie(dir.path() / "second.err");
  int status = 0;
  EXPECT_EQ(waitpid(second, &status, WNOHANG), 0) << "it must wait, not give up";

  EXPECT_EQ(first.Resume(), 0) << ReadFileOrDie(dir.path() / "first.err");
  EXPECT_EQ(WaitExitCodeWithin(second, 20), 0) << ReadFileOrDie(dir.path() / "second.err");
  EXPECT_NE(ReadFileOrDie(dir.path() / "second.err")
                .find("added 3, updated 0, moved 0, unchanged 0, removed 0, failed 0"),
            std::string::npos)
      << ReadFileOrDie(dir.path() / "second.err");
  EXPECT_EQ(ListedPaths(dir.path()).size(), 63u);
}

}  // namespace
}  // namespace fiscdex
