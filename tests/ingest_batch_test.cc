// The promises of the ingest batch (tools/ingest_batch.h), checked on a
// real index in a TempDir: real files, real SQLite, MeCab and Poppler.
// Each test changes the tree the way a user would (touch, edit, rename,
// copy, mv over, delete, unmount, chmod) and checks both what the batch
// reported and what the index holds afterwards, through the Index API and,
// for row identity, through a plain sqlite3 connection.
#include <fcntl.h>
#include <linux/capability.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "index/index.h"
#include "tests/test_util.h"
#include "tools/ingest_batch.h"

namespace fiscdex {
namespace {

namespace fs = std::filesystem;
using cli::BatchOptions;
using cli::BatchSummary;
using cli::FileOutcome;
using cli::FileReport;
using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteFile;

// ---------------------------------------------------------------------------
// Documents: fictional vendors, our own sentences.

constexpr std::string_view kHibari =
    "ヒバリ書類クラウド FISC安全対策基準 対応状況書\n"
    "\n"
    "作成：株式会社ヒバリデータ\n"
    "\n"
    "基準番号\t対応状況\n"
    "統1\t情報セキュリティ基本方針を制定し、全従業員に毎年周知しています。\n"
    "実8\t暗号鍵はハードウェアセキュリティモジュールで生成しています。\n"
    "実9\tアクセスログを一年間保存し、ハシビロコウ担当が毎月点検しています。\n";

// kHibari edited: 実9 is gone, 実8 answers otherwise, the odd word changed.
constexpr std::string_view kHibariEdited =
    "ヒバリ書類クラウド FISC安全対策基準 対応状況書\n"
    "\n"
    "作成：株式会社ヒバリデータ\n"
    "\n"
    "基準番号\t対応状況\n"
    "統1\t情報セキュリティ基本方針を制定し、全従業員に毎年周知しています。\n"
    "実8\t暗号鍵はヤンバルクイナ室の専用装置で生成しています。\n";

constexpr std::string_view kTsubame =
    "ツバメ物流システム FISC安全対策基準 対応状況書\n"
    "\n"
    "作成：株式会社ツバメロジ\n"
    "\n"
    "基準番号\t対応状況\n"
    "実25\t外部委託先を年に一度監査しています。\n"
    "実34\t障害時の連絡体制を定め、四半期ごとに訓練しています。\n";

constexpr std::string_view kOoruri =
    "オオルリ物産 社内規程の概要\n"
    "\n"
    "当社は重要書類の保管庫を二か所に分けて設置し、入退室を記録しています。\n";

// ---------------------------------------------------------------------------
// Helpers.

// Records what the batch reports.
class Recorder : public cli::BatchObserver {
 public:
  void OnPlan(size_t files, size_t files_to_read, uint64_t bytes_to_read) override {
    ++plans;
    planned_files = files;
    planned_reads = files_to_read;
    planned_bytes = bytes_to_read;
  }
  void OnFile(const FileReport& report) override { reports.push_back(report); }

  // The one report about `path`; fails the test if there is not exactly one.
  FileReport About(const std::string& path) const {
    std::vector<FileReport> found;
    for (const FileReport& r : reports) {
      if (r.path == path) found.push_back(r);
    }
    EXPECT_EQ(found.size(), 1u) << "reports about " << path << ": " << Describe();
    return found.empty() ? FileReport{} : found[0];
  }
  std::vector<std::string> PathsWith(FileOutcome outcome) const {
    std::vector<std::string> paths;
    for (const FileReport& r : reports) {
      if (r.outcome == outcome) paths.push_back(r.path);
    }
    std::sort(paths.begin(), paths.end());
    return paths;
  }
  std::string Describe() const {
    std::string out;
    for (const FileReport& r : reports) {
      out += "\n  " + r.path + " -> " + std::to_string(static_cast<int>(r.outcome));
      if (!r.reason.empty()) out += " (" + r.reason + ")";
      if (!r.moved_from.empty()) out += " from " + r.moved_from;
    }
    return out;
  }

  int plans = 0;
  size_t planned_files = 0;
  size_t planned_reads = 0;
  uint64_t planned_bytes = 0;
  std::vector<FileReport> reports;
};

// Sets a file's mtime to `seconds` since the epoch (a `touch -d`): tests
// never depend on the clock moving between two writes.
void SetMtime(const fs::path& path, int64_t seconds) {
  timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path << ": " << strerror(errno);
}

int64_t MtimeNs(const fs::path& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// A plain sqlite3 connection, for what the Index API does not show (row
// ids). Read-only: the FTS tables need our tokenizer, the plain ones not.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Every row of `sql` (with `?1` bound to `arg` when given), columns
  // joined by '|'.
  std::vector<std::string> Rows(const std::string& sql, const std::string* arg = nullptr) {
    std::vector<std::string> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    if (stmt == nullptr) return rows;
    if (arg != nullptr) sqlite3_bind_text(stmt, 1, arg->c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i > 0) row += '|';
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  std::string One(const std::string& sql, const std::string& arg) {
    std::vector<std::string> rows = Rows(sql, &arg);
    if (rows.size() == 1) return rows[0];
    return std::to_string(rows.size()) + " rows";
  }

 private:
  sqlite3* db_ = nullptr;
};

// The ids of a document's row and of its records and passages, by path.
struct RowIds {
  std::string document;
  std::vector<std::string> criteria;
  std::vector<std::string> passages;
  bool operator==(const RowIds&) const = default;
};
RowIds IdsOf(const fs::path& db, const std::string& path) {
  RawDb raw(db);
  RowIds ids;
  ids.document = raw.One("SELECT id FROM documents WHERE path = ?1", path);
  ids.criteria = raw.Rows(
      "SELECT c.id FROM criteria c JOIN documents d ON d.id = c.document_id "
      "WHERE d.path = ?1 ORDER BY c.id",
      &path);
  ids.passages = raw.Rows(
      "SELECT p.id FROM passages p JOIN documents d ON d.id = p.document_id "
      "WHERE d.path = ?1 ORDER BY p.id",
      &path);
  return ids;
}

// Everything stored, without row ids and times: (path, criterion, seq,
// title, answer, group, page, columns) for records, (path, seq, page,
// text) for passages, the document rows.
std::vector<std::string> DumpStored(const fs::path& db) {
  RawDb raw(db);
  std::vector<std::string> dump;
  for (std::string row : raw.Rows(
           "SELECT d.path, c.criterion_id, c.seq, c.title, c.answer, c.group_ids, c.page, "
           "c.columns, c.source_begin, c.source_end FROM criteria c "
           "JOIN documents d ON d.id = c.document_id ORDER BY 1, 3")) {
    dump.push_back("criterion " + row);
  }
  for (std::string row : raw.Rows(
           "SELECT d.path, p.seq, p.page, p.source_begin, p.source_end, p.text FROM passages p "
           "JOIN documents d ON d.id = p.document_id ORDER BY 1, 2")) {
    dump.push_back("passage " + row);
  }
  for (std::string row :
       raw.Rows("SELECT path, content_hash, format, encoding, size_bytes, mtime, page_count, "
                "title, vendor, edition, date, passage_count, record_count FROM documents "
                "ORDER BY path")) {
    dump.push_back("document " + row);
  }
  return dump;
}

// Drops, for the calling thread and the threads it starts, the
// capabilities that let root read and search whatever the mode bits say
// (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): CI runs as root, and a test of
// "unreadable" must see EACCES there too. Capabilities are per thread on
// Linux, so the rest of the process is unaffected; restored at destruction.
// For a user that is not root this changes nothing (it has none).
class ScopedNoDacOverride {
 public:
  ScopedNoDacOverride() {
    header_.version = _LINUX_CAPABILITY_VERSION_3;
    header_.pid = 0;
    if (syscall(SYS_capget, &header_, saved_) != 0) return;
    __user_cap_data_struct reduced[2] = {saved_[0], saved_[1]};
    reduced[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
    active_ = syscall(SYS_capset, &header_, reduced) == 0;
  }
  ~ScopedNoDacOverride() {
    if (active_) syscall(SYS_capset, &header_, saved_);
  }
  ScopedNoDacOverride(const ScopedNoDacOverride&) = delete;
  ScopedNoDacOverride& operator=(const ScopedNoDacOverride&) = delete;

 private:
  __user_cap_header_struct header_{};
  __user_cap_data_struct saved_[2] = {};
  bool active_ = false;
};

// True when this thread cannot open a mode-000 file (the premise of the
// permission tests).
bool ModeBitsAreEnforced(const fs::path& dir) {
  const fs::path probe = dir / "probe";
  WriteFile(probe, "x");
  chmod(probe.c_str(), 0);
  const int fd = open(probe.c_str(), O_RDONLY);
  if (fd >= 0) close(fd);
  fs::remove(probe);
  return fd < 0;
}

class IngestBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() / "fiscdex.db";
    index_ = OpenIndex(db_, 1);
  }

  static std::unique_ptr<index::Index> OpenIndex(const fs::path& db, int jobs) {
    index::OpenOptions options;
    options.for_writing = true;
    // As `fiscdex ingest` does: one job, one thread in all.
    if (jobs == 1) options.tokenizer_threads = 1;
    Result<std::unique_ptr<index::Index>> opened = index::Index::Open(db.string(), options);
    EXPECT_OK(opened);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  fs::path Path(std::string_view relative) const { return dir_.path() / relative; }
  std::string P(std::string_view relative) const { return Path(relative).string(); }

  // Runs one batch over `paths` (relative to the temp dir).
  BatchSummary Run(Recorder* recorder, std::vector<std::string> paths, BatchOptions options = {}) {
    for (std::string& path : paths) path = P(path);
    options.paths = std::move(paths);
    return cli::RunIngestBatch(index_.get(), options, recorder);
  }
  BatchSummary Run(std::vector<std::string> paths, BatchOptions options = {}) {
    Recorder recorder;
    return Run(&recorder, std::move(paths), std::move(options));
  }

  std::vector<std::string> StoredPaths() {
    Result<std::vector<index::StoredFile>> stored = index_->ListStoredFiles();
    EXPECT_OK(stored);
    std::vector<std::string> paths;
    if (stored.ok()) {
      for (const index::StoredFile& file : *stored) paths.push_back(file.path);
    }
    std::sort(paths.begin(), paths.end());
    return paths;
  }
  std::optional<index::StoredFile> Stored(const std::string& path) {
    Result<std::vector<index::StoredFile>> stored = index_->ListStoredFiles();
    EXPECT_OK(stored);
    if (!stored.ok()) return std::nullopt;
    for (const index::StoredFile& file : *stored) {
      if (file.path == path) return file;
    }
    return std::nullopt;
  }
  // The documents holding an answer to `criterion`.
  std::vector<std::string> AnswerPaths(const std::string& criterion) {
    Result<std::vector<index::CriterionAnswer>> answers = index_->AnswersFor(criterion);
    EXPECT_OK(answers);
    std::vector<std::string> paths;
    if (answers.ok()) {
      for (const index::CriterionAnswer& a : *answers) paths.push_back(a.document);
    }
    std::sort(paths.begin(), paths.end());
    return paths;
  }
  size_t HitCount(std::string_view query) {
    Result<std::vector<index::SearchHit>> hits = index_->Search(query, 50);
    EXPECT_OK(hits);
    return hits.ok() ? hits->size() : 0;
  }
  void ExpectSoundIndex() {
    Result<index::CheckReport> report = index_->Check();
    ASSERT_OK(report);
    EXPECT_TRUE(report->problems.empty())
        << "first problem: " << (report->problems.empty() ? "" : report->problems[0]);
  }

  // docs/hibari.txt, docs/tsubame.txt, docs/ooruri.txt, each with its own
  // mtime, indexed.
  void IndexThreeDocs() {
    WriteFile(Path("docs/hibari.txt"), kHibari);
    WriteFile(Path("docs/tsubame.txt"), kTsubame);
    WriteFile(Path("docs/ooruri.txt"), kOoruri);
    SetMtime(Path("docs/hibari.txt"), 1'700'000'000);
    SetMtime(Path("docs/tsubame.txt"), 1'700'000'100);
    SetMtime(Path("docs/ooruri.txt"), 1'700'000'200);
    BatchSummary first = Run({"docs"});
    ASSERT_OK(first.fatal);
    ASSERT_EQ(first.added, 3u);
    ASSERT_EQ(first.failed, 0u);
  }

  TempDir dir_;
  fs::path db_;
  std::unique_ptr<index::Index> index_;
};

// ---------------------------------------------------------------------------
// Incremental runs.

TEST_F(IngestBatchTest, SecondRunOverUnchangedFilesReadsNothing) {
  IndexThreeDocs();
  Recorder again;
  BatchSummary summary = Run(&again, {"docs"});
  ASSERT_OK(summary.fatal);
  EXPECT_EQ(summary.bytes_read, 0u);
  EXPECT_EQ(summary.unchanged, 3u);
  EXPECT_EQ(summary.added + summary.updated + summary.moved + summary.failed, 0u);
  EXPECT_EQ(again.plans, 1);
  EXPECT_EQ(again.planned_files, 3u);
  EXPECT_EQ(again.planned_reads, 0u);
  EXPECT_EQ(again.planned_bytes, 0u);
  ASSERT_EQ(again.reports.size(), 3u) << again.Describe();
  for (const FileReport& r : again.reports) {
    EXPECT_EQ(r.outcome, FileOutcome::kUnchanged) << r.path;
    EXPECT_EQ(r.bytes_read, 0u) << r.path;
  }
}

TEST_F(IngestBatchTest, TouchedFileIsUnchangedKeepsItsRowsAndStoresTheNewMtime) {
  IndexThreeDocs();
  // hibari was stored first: re-extracting it would give its rows new ids
  // (SQLite takes max(id) + 1), so equal ids prove it was not re-extracted.
  const std::string hibari = P("docs/hibari.txt");
  const RowIds before = IdsOf(db_, hibari);
  ASSERT_FALSE(before.criteria.empty());
  SetMtime(Path("docs/hibari.txt"), 1'700'009'999);

  Recorder touched;
  BatchSummary summary = Run(&touched, {"docs"});
  ASSERT_OK(summary.fatal);
  const FileReport report = touched.About(hibari);
  EXPECT_EQ(report.outcome, FileOutcome::kUnchanged);
  EXPECT_EQ(report.bytes_read, kHibari.size()) << "read once, to compare its hash";
  EXPECT_EQ(summary.unchanged, 3u);
  EXPECT_EQ(summary.updated + summary.added, 0u);
  EXPECT_EQ(IdsOf(db_, hibari), before);
  std::optional<index::StoredFile> stored = Stored(hibari);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->mtime_ns, MtimeNs(Path("docs/hibari.txt")));
  EXPECT_EQ(stored->mtime_ns, int64_t{1'700'009'999} * 1'000'000'000);

  // And with the new mtime stored, the next run does not read it again.
  EXPECT_EQ(Run({"docs"}).bytes_read, 0u);
}

TEST_F(IngestBatchTest, ChangedContentIsUpdatedWithoutStalePassagesOrRecords) {
  IndexThreeDocs();
  const std::string hibari = P("docs/hibari.txt");
  ASSERT_GT(HitCount("ハシビロコウ"), 0u);
  ASSERT_EQ(AnswerPaths("実9"), std::vector<std::string>{hibari});
  WriteFile(Path("docs/hibari.txt"), kHibariEdited);
  SetMtime(Path("docs/hibari.txt"), 1'700'005'000);

  Recorder edited;
  BatchSummary summary = Run(&edited, {"docs"});
  ASSERT_OK(summary.fatal);
  EXPECT_EQ(edited.About(hibari).outcome, FileOutcome::kUpdated);
  EXPECT_EQ(summary.updated, 1u);
  EXPECT_EQ(summary.unchanged, 2u);

  EXPECT_EQ(HitCount("ハシビロコウ"), 0u) << "a passage of the old version is still searchable";
  EXPECT_GT(HitCount("ヤンバルクイナ"), 0u);
  EXPECT_TRUE(AnswerPaths("実9").empty()) << "the old version's record is still stored";
  Result<std::vector<index::CriterionAnswer>> answers = index_->AnswersFor("実8");
  ASSERT_OK(answers);
  ASSERT_EQ(answers->size(), 1u);
  EXPECT_NE(answers->at(0).answer.find("ヤンバルクイナ"), std::string::npos) << answers->at(0).answer;

  // The counts stored with each document match its rows, and no row is
  // left without a document.
  RawDb raw(db_);
  EXPECT_EQ(raw.Rows("SELECT d.path FROM documents d WHERE d.passage_count != "
                     "(SELECT count(*) FROM passages p WHERE p.document_id = d.id) OR "
                     "d.record_count != (SELECT count(*) FROM criteria c WHERE c.document_id = d.id)"),
            std::vector<std::string>{});
  EXPECT_EQ(raw.One("SELECT count(*) FROM criteria WHERE document_id = "
                    "(SELECT id FROM documents WHERE path = ?1)",
                    hibari),
            "2");
  EXPECT_EQ(raw.Rows("SELECT count(*) FROM passages WHERE document_id NOT IN (SELECT id FROM documents)"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(raw.Rows("SELECT count(*) FROM criteria WHERE document_id NOT IN (SELECT id FROM documents)"),
            std::vector<std::string>{"0"});
  ExpectSoundIndex();
}

TEST_F(IngestBatchTest, RenamedFileIsMovedKeepingItsRecords) {
  IndexThreeDocs();
  const std::string from = P("docs/hibari.txt");
  const std::string to = P("docs/renamed/hibari-2024.txt");
  const RowIds before = IdsOf(db_, from);
  fs::create_directories(Path("docs/renamed"));
  fs::rename(from, to);

  Recorder moved;
  BatchSummary summary = Run(&moved, {"docs"});
  ASSERT_OK(summary.fatal);
  const FileReport report = moved.About(to);
  EXPECT_EQ(report.outcome, FileOutcome::kMoved);
  EXPECT_EQ(report.moved_from, from);
  EXPECT_EQ(summary.moved, 1u);
  EXPECT_EQ(summary.added + summary.updated + summary.removed + summary.failed, 0u);
  EXPECT_EQ(IdsOf(db_, to), before) << "a move must not extract the document again";
  EXPECT_EQ(StoredPaths(), (std::vector<std::string>{P("docs/ooruri.txt"), to, P("docs/tsubame.txt")}));
  EXPECT_EQ(Stored(to)->mtime_ns, MtimeNs(to));
  EXPECT_EQ(AnswerPaths("実9"), std::vector<std::string>{to});
  ExpectSoundIndex();
}

TEST_F(IngestBatchTest, CopiedFileIsAddedWhileTheOriginalStays) {
  IndexThreeDocs();
  const std::string original = P("docs/hibari.txt");
  const RowIds before = IdsOf(db_, original);
  fs::copy_file(Path("docs/hibari.txt"), Path("docs/hibari-copy.txt"));

  Recorder copied;
  BatchSummary summary = Run(&copied, {"docs"});
  ASSERT_OK(summary.fatal);
  EXPECT_EQ(copied.About(P("docs/hibari-copy.txt")).outcome, FileOutcome::kAdded);
  EXPECT_EQ(copied.About(original).outcome, FileOutcome::kUnchanged);
  EXPECT_EQ(summary.added, 1u);
  EXPECT_EQ(summary.moved, 0u);
  EXPECT_EQ(IdsOf(db_, original), before);
  EXPECT_EQ(AnswerPaths("実9"), (std::vector<std::string>{P("docs/hibari-copy.txt"), original}));

  // A copy ingested on its own, the original not listed in this run: the
  // original is still there, so the copy is no move either.
  fs::create_directories(Path("elsewhere"));
  fs::copy_file(Path("docs/hibari.txt"), Path("elsewhere/hibari.txt"));
  Recorder alone;
  BatchSummary second = Run(&alone, {"elsewhere"});
  ASSERT_OK(second.fatal);
  EXPECT_EQ(alone.About(P("elsewhere/hibari.txt")).outcome, FileOutcome::kAdded);
  EXPECT_EQ(second.moved, 0u);
  EXPECT_EQ(IdsOf(db_, original), before);
  EXPECT_EQ(AnswerPaths("実9").size(), 3u);
}

TEST_F(IngestBatchTest, MoveOverAnIndexedFileTakesItsPlace) {
  IndexThreeDocs();
  // `mv tsubame.txt hibari.txt`: hibari's file now holds tsubame's bytes.
  const std::string a = P("docs/hibari.txt");
  const std::string b = P("docs/tsubame.txt");
  const RowIds b_before = IdsOf(db_, b);
  const std::string b_hash = Stored(b)->content_hash;
  fs::rename(b, a);

  Recorder moved;
  BatchSummary summary = Run(&moved, {"docs"});
  ASSERT_OK(summary.fatal);
  const FileReport report = moved.About(a);
  EXPECT_EQ(report.outcome, FileOutcome::kMoved) << moved.Describe();
  EXPECT_EQ(report.moved_from, b);
  EXPECT_EQ(summary.failed, 0u);
  EXPECT_EQ(StoredPaths(), (std::vector<std::string>{a, P("docs/ooruri.txt")}));
  EXPECT_EQ(Stored(a)->content_hash, b_hash);
  EXPECT_EQ(IdsOf(db_, a), b_before);
  EXPECT_EQ(AnswerPaths("実25"), std::vector<std::string>{a});
  EXPECT_TRUE(AnswerPaths("実9").empty()) << "a's old records are still stored";
  EXPECT_EQ(HitCount("ハシビロコウ"), 0u);
  ExpectSoundIndex();
}

// ---------------------------------------------------------------------------
// Pruning.

TEST_F(IngestBatchTest, PruneRemovesOnlyGoneFilesUnderTheGivenFolders) {
  // given/: the folder pruned. other/: indexed, not given. share/: given,
  // but gone as a whole (an unmounted share). given/locked/: still there
  // but unreadable, as is given/unreadable.txt.
  WriteFile(Path("given/keep.txt"), kHibari);
  WriteFile(Path("given/gone.txt"), kTsubame);
  WriteFile(Path("given/unreadable.txt"), kOoruri);
  WriteFile(Path("given/locked/inside.txt"), std::string(kOoruri) + "施錠。\n");
  WriteFile(Path("other/elsewhere.txt"), std::string(kOoruri) + "別所。\n");
  WriteFile(Path("share/mounted.txt"), std::string(kOoruri) + "共有。\n");
  BatchSummary first = Run({"given", "other", "share"});
  ASSERT_OK(first.fatal);
  ASSERT_EQ(first.added, 6u);
  const std::vector<std::string> all = StoredPaths();

  fs::remove(Path("given/gone.txt"));
  fs::remove(Path("other/elsewhere.txt"));
  fs::remove_all(Path("share"));
  ASSERT_EQ(chmod(P("given/locked").c_str(), 0), 0);
  ASSERT_EQ(chmod(P("given/unreadable.txt").c_str(), 0), 0);
  SetMtime(Path("given/unreadable.txt"), 1'700'007'000);  // so that it must be read
  Recorder pruned;
  BatchSummary summary;
  {
    ScopedNoDacOverride as_a_user;
    if (!ModeBitsAreEnforced(dir_.path())) {
      chmod(P("given/locked").c_str(), 0755);
      GTEST_SKIP() << "mode bits are not enforced for this process";
    }
    BatchOptions options;
    options.prune = true;
    summary = Run(&pruned, {"given", "share"}, options);
  }
  chmod(P("given/locked").c_str(), 0755);  // so that TempDir can remove it
  ASSERT_OK(summary.fatal);

  EXPECT_EQ(pruned.PathsWith(FileOutcome::kRemoved), std::vector<std::string>{P("given/gone.txt")});
  EXPECT_EQ(summary.removed, 1u);
  std::vector<std::string> expected = all;
  expected.erase(std::find(expected.begin(), expected.end(), P("given/gone.txt")));
  EXPECT_EQ(StoredPaths(), expected);
  // The unreadable ones are reported, not removed.
  EXPECT_EQ(pruned.PathsWith(FileOutcome::kFailed),
            (std::vector<std::string>{P("given/locked"), P("given/unreadable.txt"), P("share")}))
      << pruned.Describe();
  EXPECT_NE(pruned.About(P("given/unreadable.txt")).reason.find("permission denied"),
            std::string::npos);
  EXPECT_NE(pruned.About(P("given/locked")).reason.find("permission denied"), std::string::npos);
  ExpectSoundIndex();
}

TEST_F(IngestBatchTest, WithoutPruneGoneFilesStay) {
  IndexThreeDocs();
  fs::remove(Path("docs/ooruri.txt"));
  BatchSummary summary = Run({"docs"});
  ASSERT_OK(summary.fatal);
  EXPECT_EQ(summary.removed, 0u);
  EXPECT_EQ(StoredPaths().size(), 3u);
}

// ---------------------------------------------------------------------------
// The tree changing under a running batch.

TEST_F(IngestBatchTest, FolderDeletedAfterListingFailsOnlyItsFiles) {
  for (int jobs : {1, 4}) {
    SCOPED_TRACE("jobs " + std::to_string(jobs));
    TempDir dir;
    std::unique_ptr<index::Index> index = OpenIndex(dir.path() / "fiscdex.db", jobs);
    ASSERT_NE(index, nullptr);
    const fs::path docs = dir.path() / "docs";
    WriteFile(docs / "a" / "old.txt", kHibari);
    WriteFile(docs / "b" / "keep.txt", kOoruri);
    Recorder first_run;
    BatchOptions options;
    options.paths = {docs.string()};
    options.jobs = jobs;
    ASSERT_EQ(cli::RunIngestBatch(index.get(), options, &first_run).added, 2u);

    // a/old.txt changed and a/new.txt appeared (both must be read), b/ got
    // a new file; a/ goes after the listing.
    WriteFile(docs / "a" / "old.txt", kHibariEdited);
    SetMtime(docs / "a" / "old.txt", 1'700'003'000);
    WriteFile(docs / "a" / "new.txt", kTsubame);
    WriteFile(docs / "b" / "new.txt", std::string(kTsubame) + "追記。\n");
    options.after_listing = [&] { fs::remove_all(docs / "a"); };
    Recorder recorder;
    BatchSummary summary = cli::RunIngestBatch(index.get(), options, &recorder);
    ASSERT_OK(summary.fatal);

    EXPECT_EQ(recorder.PathsWith(FileOutcome::kFailed),
              (std::vector<std::string>{(docs / "a/new.txt").string(), (docs / "a/old.txt").string()}))
        << recorder.Describe();
    for (const char* name : {"a/new.txt", "a/old.txt"}) {
      EXPECT_TRUE(recorder.About((docs / name).string()).reason.starts_with("not found"))
          << recorder.About((docs / name).string()).reason;
    }
    EXPECT_EQ(recorder.About((docs / "b/new.txt").string()).outcome, FileOutcome::kAdded);
    EXPECT_EQ(summary.failed, 2u);
    EXPECT_EQ(summary.added, 1u);
    // a/old.txt keeps its stored version: without --prune nothing goes.
    Result<std::vector<index::StoredFile>> stored = index->ListStoredFiles();
    ASSERT_OK(stored);
    std::vector<std::string> paths;
    for (const index::StoredFile& file : *stored) paths.push_back(file.path);
    EXPECT_EQ(paths, (std::vector<std::string>{(docs / "a/old.txt").string(),
                                               (docs / "b/keep.txt").string(),
                                               (docs / "b/new.txt").string()}));
    Result<std::vector<index::CriterionAnswer>> answers = index->AnswersFor("実9");
    ASSERT_OK(answers);
    EXPECT_EQ(answers->size(), 1u) << "the stored version of a/old.txt was lost";
  }
}

// ---------------------------------------------------------------------------
// Parallel = serial.

TEST(IngestBatchJobsTest, OneAndFourJobsStoreIdenticalRecords) {
  const std::string corpus = std::string(FISCDEX_SOURCE_DIR) + "/corpus";
  TempDir dir;
  std::vector<std::string> dumps[2];
  std::vector<index::DocumentSummary> listed[2];
  BatchSummary summaries[2];
  const int jobs[2] = {1, 4};
  for (int i = 0; i < 2; ++i) {
    const fs::path db = dir.path() / ("jobs" + std::to_string(jobs[i]) + ".db");
    {
      index::OpenOptions open_options;
      open_options.for_writing = true;
      if (jobs[i] == 1) open_options.tokenizer_threads = 1;
      Result<std::unique_ptr<index::Index>> index = index::Index::Open(db.string(), open_options);
      ASSERT_OK(index);
      BatchOptions options;
      options.paths = {corpus};
      options.jobs = jobs[i];
      Recorder recorder;
      summaries[i] = cli::RunIngestBatch(index->get(), options, &recorder);
      ASSERT_OK(summaries[i].fatal);
      EXPECT_EQ(summaries[i].failed, 0u) << recorder.Describe();
      Result<std::vector<index::DocumentSummary>> documents = (*index)->ListDocuments();
      ASSERT_OK(documents);
      listed[i] = std::move(*documents);
    }
    dumps[i] = DumpStored(db);
  }
  EXPECT_GE(summaries[0].added, 20u);
  EXPECT_EQ(summaries[0].added, summaries[1].added);
  EXPECT_EQ(summaries[0].bytes_read, summaries[1].bytes_read);
  ASSERT_EQ(dumps[0].size(), dumps[1].size());
  for (size_t i = 0; i < dumps[0].size(); ++i) {
    ASSERT_EQ(dumps[0][i], dumps[1][i]) << "row " << i;
  }
  ASSERT_EQ(listed[0].size(), listed[1].size());
  auto tie = [](const index::DocumentSummary& d) {
    return std::tie(d.path, d.format, d.encoding, d.vendor, d.edition, d.date, d.records,
                    d.passages);
  };
  for (size_t i = 0; i < listed[0].size(); ++i) {
    EXPECT_TRUE(tie(listed[0][i]) == tie(listed[1][i])) << listed[0][i].path << " vs " << listed[1][i].path;
  }
}

}  // namespace
}  // namespace fiscdex
