// The index survives what a nightly job meets: an ingest killed at any
// moment, and searches running while a batch writes. Runs the real fiscdex
// binary as a child process, on a real index.
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/index.h"
#include "tests/cli_support.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"

namespace fiscdex {
namespace {

namespace fs = std::filesystem;
using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteFile;

// Starts `fiscdex ARGS...` in `cwd` with stdout and stderr appended to
// `log`; -1 (a failure saying why) if it could not start.
pid_t Spawn(const fs::path& cwd, const std::vector<std::string>& args, const fs::path& log) {
  ::fiscdex::testing::ChildSetup setup;
  setup.stdout_file = setup.stderr_file = log.string();
  setup.append_output = true;
  return ::fiscdex::testing::SpawnFiscdex(cwd, args, setup);
}

// The exit code, or 128 + the signal that ended it.
int Wait(pid_t pid) {
  int status = 0;
  if (pid <= 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int RunToEnd(const fs::path& cwd, const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = Spawn(cwd, args, log);
  return pid > 0 ? Wait(pid) : -1;
}

std::string ReadLog(const fs::path& log) {
  std::error_code ec;
  return fs::exists(log, ec) ? ::fiscdex::testing::ReadFileOrDie(log) : "";
}

// Several copies of the project's corpus (text, HTML, PDF), each file made
// distinct so that no two share a content hash.
std::vector<std::string> WriteBatch(const fs::path& root, int copies) {
  const fs::path corpus = fs::path(FISCDEX_SOURCE_DIR) / "corpus";
  std::vector<std::string> files;
  for (int copy = 0; copy < copies; ++copy) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(corpus)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".txt" && ext != ".md" && ext != ".html")) continue;
      if (entry.path().filename().string().find("sjis") != std::string::npos ||
          entry.path().filename().string().find("utf16") != std::string::npos) {
        continue;  // appending UTF-8 would break their encoding
      }
      const fs::path relative = fs::path("batch") / ("copy" + std::to_string(copy)) /
                                fs::relative(entry.path(), corpus);
      WriteFile(root / relative, ::fiscdex::testing::ReadFileOrDie(entry.path()) +
                                     "\n写し番号 " + std::to_string(copy) + "\n");
      files.push_back(relative.string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// path -> (records, passages) as `fiscdex list --json` reports them.
std::map<std::string, std::pair<int, int>> Listed(const fs::path& cwd, const std::string& db) {
  const fs::path log = cwd / "list.json";
  fs::remove(log);
  EXPECT_EQ(RunToEnd(cwd, {"--db", db, "list", "--json"}, log), 0);
  std::map<std::string, std::pair<int, int>> out;
  Result<testing::JsonValue> json = testing::ParseJson(ReadLog(log));
  EXPECT_TRUE(json.ok()) << ReadLog(log);
  if (!json.ok()) return out;
  for (const testing::JsonValue& doc : json->Find("documents")->items()) {
    const std::string path = doc.Find("path")->as_string();
    EXPECT_EQ(out.count(path), 0u) << "listed twice: " << path;
    out[path] = {static_cast<int>(doc.Find("records")->as_number()),
                 static_cast<int>(doc.Find("passages")->as_number())};
  }
  return out;
}

TEST(CrashTest, IngestKilledAtRandomPointsLeavesASoundIndexThatARerunCompletes) {
  TempDir dir;
  std::vector<std::string> files = WriteBatch(dir.path(), 3);
  const fs::path log = dir.path() / "ingest.log";

  // The reference: the same batch ingested without interruption.
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd(dir.path(), {"--db", "clean.db", "ingest", "--jobs", "2", "batch"}, log), 0)
      << ReadLog(log);
  const double full_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto want = Listed(dir.path(), "clean.db");
  ASSERT_EQ(want.size(), files.size());

  std::mt19937 random(20261122);
  std::uniform_real_distribution<double> when(0.0, full_seconds * 1.1);
  int killed_mid_run = 0;
  for (int round = 0; round < 12; ++round) {
    // Every round changes every file, so that each has a whole batch of
    // updates to be killed in; some also move a file.
    for (const std::string& file : files) {
      WriteFile(dir.path() / file, ::fiscdex::testing::ReadFileOrDie(dir.path() / file) +
                                       "改訂 " + std::to_string(round) + "\n");
    }
    if (round % 4 == 3) {
      const fs::path from = dir.path() / files[round];
      const fs::path to = from.parent_path() / ("moved_" + from.filename().string());
      fs::rename(from, to);
      files[round] = fs::relative(to, dir.path()).string();
    }
    fs::remove(log);
    const pid_t pid = Spawn(dir.path(), {"--db", "fiscdex.db", "ingest", "--jobs", "2", "batch"},
                            log);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::duration<double>(when(random)));
    kill(pid, SIGKILL);
    const int exit_code = Wait(pid);
    if (exit_code == 128 + SIGKILL) ++killed_mid_run;
    if (!fs::exists(dir.path() / "fiscdex.db")) continue;
    const fs::path check_log = dir.path() / "check.log";
    fs::remove(check_log);
    EXPECT_EQ(RunToEnd(dir.path(), {"--db", "fiscdex.db", "check"}, check_log), 0)
        << "round " << round << ": " << ReadLog(check_log);
  }
  EXPECT_GE(killed_mid_run, 6) << "most kills should land while the ingest runs";

  // The final tree in the reference, then both run to completion.
  ASSERT_EQ(RunToEnd(dir.path(), {"--db", "clean.db", "ingest", "--prune", "batch"}, log), 0)
      << ReadLog(log);
  fs::remove(log);
  ASSERT_EQ(RunToEnd(dir.path(), {"--db", "fiscdex.db", "ingest", "--jobs", "2", "--prune", "batch"},
                     log),
            0)
      << ReadLog(log);
  EXPECT_EQ(RunToEnd(dir.path(), {"--db", "fiscdex.db", "check"}, log), 0) << ReadLog(log);
  // Every file exactly once (Listed fails on a repeat), with the records
  // and passages of an uninterrupted run.
  EXPECT_EQ(Listed(dir.path(), "fiscdex.db"), Listed(dir.path(), "clean.db"));
}

// Version `version` of document `n`: every paragraph names the version, so
// a search for both names sees, per document, all paragraphs of one
// version and none of the other — or, if a half-written document were
// visible, a mix or a short count.
constexpr int kParagraphs = 3;
std::string VersionedDocument(int n, const std::string& version) {
  std::string text = "文書" + std::to_string(n) + "の説明\n\n";
  for (int p = 0; p < kParagraphs; ++p) {
    text += "第" + std::to_string(p + 1) + "節では" + version +
            "の手順として、バックアップを暗号化して遠隔地に保管しています。\n\n";
    // Text without the version's name, so that writing a document takes a
    // while next to a search.
    for (int filler = 0; filler < 20; ++filler) {
      text += "文書" + std::to_string(n) + "の項目" + std::to_string(p * 100 + filler) +
              "について、担当部署が年次で点検し、結果を経営層に報告しています。\n\n";
    }
  }
  return text;
}

TEST(CrashTest, SearchesDuringAnIngestSeeEachDocumentWhole) {
  TempDir dir;
  constexpr int kDocuments = 300;
  const fs::path log = dir.path() / "ingest.log";
  for (int n = 0; n < kDocuments; ++n) {
    WriteFile(dir.path() / "docs" / ("doc" + std::to_string(n) + ".txt"),
              VersionedDocument(n, "旧版"));
  }
  ASSERT_EQ(RunToEnd(dir.path(), {"--db", "fiscdex.db", "ingest", "docs"}, log), 0) << ReadLog(log);
  for (int n = 0; n < kDocuments; ++n) {
    WriteFile(dir.path() / "docs" / ("doc" + std::to_string(n) + ".txt"),
              VersionedDocument(n, "新版"));
  }

  auto reader = index::Index::Open((dir.path() / "fiscdex.db").string());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const pid_t pid = Spawn(dir.path(), {"--db", "fiscdex.db", "ingest", "--jobs", "2", "docs"}, log);
  ASSERT_GT(pid, 0);
  int searches_during = 0;
  int mixed_snapshots = 0;
  bool running = true;
  while (running) {
    running = waitpid(pid, nullptr, WNOHANG) == 0;
    auto hits = (*reader)->Search("旧版 OR 新版", 10000);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    std::map<std::string, std::pair<int, int>> per_document;  // old, new
    for (const index::SearchHit& hit : *hits) {
      auto& [old_count, new_count] = per_document[hit.document];
      if (hit.snippet.find("«旧版»") != std::string::npos) ++old_count;
      if (hit.snippet.find("«新版»") != std::string::npos) ++new_count;
    }
    ASSERT_EQ(per_document.size(), static_cast<size_t>(kDocuments));
    std::set<int> versions;
    for (const auto& [document, counts] : per_document) {
      const bool whole_old = counts.first == kParagraphs && counts.second == 0;
      const bool whole_new = counts.first == 0 && counts.second == kParagraphs;
      ASSERT_TRUE(whole_old || whole_new)
          << document << ": " << counts.first << " old and " << counts.second << " new";
      versions.insert(whole_new ? 1 : 0);
    }
    if (running) ++searches_during;
    if (versions.size() == 2) ++mixed_snapshots;
  }
  EXPECT_GE(searches_during, 2) << "the searches should overlap the ingest";
  std::cout << searches_during << " searches during the ingest, " << mixed_snapshots
            << " saw it half-way\n";
}

}  // namespace
}  // namespace fiscdex
