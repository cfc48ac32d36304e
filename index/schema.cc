// The index file: its schema, the upgrades of older versions, and opening
// a connection (index/index.h). doc/schema.md describes the tables.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "base/log.h"
#include "index/fts_tokenizer.h"
#include "index/index.h"
#include "index/index_impl.h"
#include "index/mecab_segmenter.h"
#include "index/sqlite_util.h"

#ifndef FISCDEX_VERSION
#define FISCDEX_VERSION "unknown"
#endif

namespace fiscdex::index {
namespace {

constexpr int kSchemaVersion = 5;
// How long a statement waits for another connection's lock. Only one
// ingest writes at a time (IngestLock), so this covers a `check` or a
// checkpoint, which take seconds at most.
constexpr int kBusyTimeoutMs = 30000;
constexpr unsigned kMaxTokenizerThreads = 4;

// Version 1 of the schema; a new index is made at version 1 and then
// migrated (kMigrations), so that new and upgraded indexes are the same.
// Passages and criteria are only ever inserted and deleted: a new version of
// a document replaces the old one.
constexpr char kSchemaV1Sql[] = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT NOT NULL,
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
  mtime INTEGER NOT NULL,
  page_count INTEGER NOT NULL CHECK (page_count >= 0),
  title TEXT,
  vendor TEXT,
  edition INTEGER,
  date TEXT,
  passage_count INTEGER NOT NULL CHECK (passage_count >= 0),
  record_count INTEGER NOT NULL CHECK (record_count >= 0),
  indexed_at INTEGER NOT NULL
);

CREATE TABLE passages(
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  page INTEGER NOT NULL CHECK (page >= 1),
  source_begin INTEGER NOT NULL CHECK (source_begin >= 0),
  source_end INTEGER NOT NULL CHECK (source_end >= source_begin),
  text TEXT NOT NULL
);
CREATE INDEX passages_by_document ON passages(document_id);

CREATE TABLE criteria(
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  criterion_id TEXT NOT NULL CHECK (criterion_id <> ''),
  title TEXT,
  answer TEXT NOT NULL,
  group_ids TEXT NOT NULL CHECK (json_valid(group_ids)),
  page INTEGER NOT NULL CHECK (page >= 1),
  columns TEXT CHECK (columns IS NULL OR json_valid(columns)),
  source_begin INTEGER NOT NULL CHECK (source_begin >= 0),
  source_end INTEGER NOT NULL CHECK (source_end >= source_begin)
);
-- Covers the criterion-ID lookups: which documents have a record for an ID,
-- in record order, without reading the records.
CREATE INDEX criteria_by_id ON criteria(criterion_id, document_id, seq);
CREATE INDEX criteria_by_document ON criteria(document_id);

CREATE VIRTUAL TABLE passages_fts USING fts5(
  text, content='passages', content_rowid='id', tokenize='fiscdex_mecab');
CREATE VIRTUAL TABLE criteria_fts USING fts5(
  title, answer, content='criteria', content_rowid='id', tokenize='fiscdex_mecab');

-- Every document is its own transaction, so FTS5 writes a small segment
-- per document and merges them as it goes. Merging 16 segments at a time
-- (FTS5's maximum; the default is 4) rewrites the index fewer times: a
-- third fewer bytes written and faster ingest, for a few more segments to
-- read per search, which measured no slower.
INSERT INTO passages_fts(passages_fts, rank) VALUES ('automerge', 16);
INSERT INTO criteria_fts(criteria_fts, rank) VALUES ('automerge', 16);

-- FTS rows are written by Index::AddDocument next to each row, not by
-- per-row triggers: every statement a trigger runs opens a savepoint, and
-- FTS5 flushes its pending terms to a new segment at each savepoint, which
-- made triggers ten times slower. Deleting a document removes its FTS rows
-- here, then its passages and criteria through ON DELETE CASCADE (needs
-- PRAGMA foreign_keys = ON).
CREATE TRIGGER documents_bd BEFORE DELETE ON documents BEGIN
  INSERT INTO passages_fts(passages_fts, rowid, text)
    SELECT 'delete', id, text FROM passages WHERE document_id = old.id;
  INSERT INTO criteria_fts(criteria_fts, rowid, title, answer)
    SELECT 'delete', id, title, answer FROM criteria WHERE document_id = old.id;
END;
-- An edited row would leave its old tokens in the FTS index; a document is
-- replaced as a whole instead.
CREATE TRIGGER passages_bu BEFORE UPDATE ON passages BEGIN
  SELECT RAISE(ABORT, 'passages are replaced with their document, never updated');
END;
CREATE TRIGGER criteria_bu BEFORE UPDATE ON criteria BEGIN
  SELECT RAISE(ABORT, 'criteria are replaced with their document, never updated');
END;
)sql";

// Upgrades from version `to - 1` to `to`.
struct Migration {
  int to;
  const char* sql;
};
constexpr Migration kMigrations[] = {
    // mtime in nanoseconds: with whole seconds, a file rewritten with the
    // same size within the second it was indexed would be taken as
    // unchanged and never read again. Upgraded rows have 0, so their files
    // are hashed once more on the next ingest (not extracted again).
    //
    // FTS5 flushes its pending terms to a new segment whenever they pass
    // 'hashsize' (1 MB by default), and merging segments is most of the
    // writer's work at scale. An ingest commits documents in groups of up to
    // 32 MB (tools/ingest_batch.cc); with 32 MB a group becomes about one segment:
    // a tenth less CPU for the 1000x benchmark corpus, for a few MB more
    // memory while a group is written.
    {2,
     "ALTER TABLE documents ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT 0;"
     "INSERT INTO passages_fts(passages_fts, rank) VALUES ('hashsize', 33554432);"
     "INSERT INTO criteria_fts(criteria_fts, rank) VALUES ('hashsize', 33554432);"},
    // The dictionary the index was tokenised with (meta 'dictionary'): an
    // index searched with other tokens finds nothing, or the wrong rows,
    // without a word. Older indexes did not record it: '' (unknown) until
    // `fiscdex reindex` re-tokenises them.
    //
    // A search drops a passage that repeats a matching record of its page
    // (index/search.cc): criteria_by_page finds a page's records at once,
    // where criteria_by_document (its prefix, so dropped) read all of the
    // document's.
    {3,
     "INSERT OR IGNORE INTO meta(key, value) VALUES ('dictionary', '');"
     "DROP INDEX criteria_by_document;"
     "CREATE INDEX criteria_by_page ON criteria(document_id, page);"},
    // Which records of its page each passage repeats (their source bytes
    // overlap, or the record's answer is the passage's text), worked out
    // once when the document is written (kRecordRepeatsSql) instead of at
    // every search: a search drops a passage that repeats a matching record
    // in the ranking statement itself. Checking passage by passage cost up
    // to 300 ms on 400 whitepapers, whose best passages are mostly their
    // records' rows.
    {4,
     "CREATE TABLE passage_repeats("
     "  passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,"
     "  record_id INTEGER NOT NULL,"
     "  PRIMARY KEY (passage_id, record_id)) WITHOUT ROWID;"
     "INSERT INTO passage_repeats(passage_id, record_id) " FISCDEX_PASSAGE_REPEATS_SELECT ";"},
    // The assessment (assess/status.h): a status per record, kept apart
    // from criteria (whose rows are never updated) so that new status rules
    // can replace them; the vendor declared at ingest (--as) and a digest of
    // a document's records, which versions are told apart by. Statuses and
    // content keys are worked out in C++ (RefreshAssessment) right after
    // the migration: meta 'assessment' is empty until then.
    {5,
     "ALTER TABLE documents ADD COLUMN declared_vendor TEXT;"
     "ALTER TABLE documents ADD COLUMN content_key TEXT NOT NULL DEFAULT '';"
     "CREATE TABLE statuses("
     "  record_id INTEGER PRIMARY KEY REFERENCES criteria(id) ON DELETE CASCADE,"
     "  status TEXT NOT NULL CHECK (status IN ('implemented', 'partial', 'provider', 'customer',"
     "    'not_applicable', 'blank', 'retired', 'reference')),"
     "  rule TEXT NOT NULL,"
     "  evidence TEXT,"
     "  column_statuses TEXT CHECK (column_statuses IS NULL OR json_valid(column_statuses)));"
     "CREATE INDEX statuses_by_status ON statuses(status);"
     "INSERT OR REPLACE INTO meta(key, value) VALUES ('assessment', '');"},
};

Status NotFiscdex(std::string_view why) {
  return Status::Corrupt(std::string("not a fiscdex index: ") + std::string(why));
}

}  // namespace

Result<std::shared_ptr<MecabSegmenter>> SharedSegmenter() {
  static std::mutex mutex;
  static std::weak_ptr<MecabSegmenter> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto segmenter = cached.lock()) return segmenter;
  ASSIGN_OR_RETURN(std::shared_ptr<MecabSegmenter> segmenter, MecabSegmenter::Create());
  cached = segmenter;
  return segmenter;
}

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;

namespace {

Result<int> ReadUserVersion(sqlite3* db) {
  ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, "PRAGMA user_version", false));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("PRAGMA user_version returned nothing");
  return stmt.ColumnInt(0);
}

Result<int64_t> CountSchemaObjects(sqlite3* db) {
  ASSIGN_OR_RETURN(Statement stmt,
                   Statement::Prepare(db, "SELECT count(*) FROM sqlite_schema", false));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("cannot count schema objects");
  return stmt.ColumnInt64(0);
}

Status CheckVersion(int version) {
  if (version > kSchemaVersion) {
    return Status::Corrupt("index schema version " + std::to_string(version) +
                           " is newer than this fiscdex (version " +
                           std::to_string(kSchemaVersion) + "): use a newer fiscdex");
  }
  return Status::Ok();
}

Status SetSchemaVersion(sqlite3* db, int version) {
  ASSIGN_OR_RETURN(Statement meta,
                   Statement::Prepare(db,
                                      "INSERT OR REPLACE INTO meta(key, value) "
                                      "VALUES ('schema_version', ?1)",
                                      false));
  RETURN_IF_ERROR(meta.BindText(1, std::to_string(version)));
  RETURN_IF_ERROR(meta.Run());
  // PRAGMA takes no parameters; the value is our own integer.
  const std::string pragma = "PRAGMA user_version = " + std::to_string(version);
  return Exec(db, pragma.c_str());
}

Status SetMeta(sqlite3* db, std::string_view key, std::string_view value) {
  ASSIGN_OR_RETURN(Statement stmt,
                   Statement::Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                                      false));
  RETURN_IF_ERROR(stmt.BindText(1, key));
  RETURN_IF_ERROR(stmt.BindText(2, value));
  return stmt.Run();
}

// Brings a version-`version` schema to kSchemaVersion, inside the caller's
// write transaction: a crash leaves the old version whole.
Status ApplyMigrations(sqlite3* db, int version) {
  for (const Migration& migration : kMigrations) {
    if (migration.to <= version) continue;
    Status status = Exec(db, migration.sql);
    if (!status.ok()) {
      return status.WithContext("upgrading the index to schema version " +
                                std::to_string(migration.to));
    }
  }
  return SetSchemaVersion(db, kSchemaVersion);
}

// Creates the schema in an empty database. Runs in a write transaction and
// re-reads the version inside it: another process may have created the
// index since we looked.
Status CreateSchema(sqlite3* db, const std::string& dictionary) {
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db));
  ASSIGN_OR_RETURN(int version, ReadUserVersion(db));
  if (version != 0) {
    RETURN_IF_ERROR(CheckVersion(version));
    return txn.Commit();
  }
  ASSIGN_OR_RETURN(int64_t objects, CountSchemaObjects(db));
  if (objects > 0) return NotFiscdex("the database holds tables of another application");
  RETURN_IF_ERROR(Exec(db, kSchemaV1Sql));
  ASSIGN_OR_RETURN(Statement meta,
                   Statement::Prepare(db, "INSERT INTO meta(key, value) VALUES (?1, ?2)", false));
  const std::pair<const char*, std::string> rows[] = {
      {"created_by", std::string("fiscdex ") + FISCDEX_VERSION},
      {"tokenizer", kTokenizerName},
  };
  for (const auto& [key, value] : rows) {
    RETURN_IF_ERROR(meta.BindText(1, key));
    RETURN_IF_ERROR(meta.BindText(2, value));
    RETURN_IF_ERROR(meta.Run());
  }
  RETURN_IF_ERROR(ApplyMigrations(db, 1));
  RETURN_IF_ERROR(SetMeta(db, "dictionary", dictionary));
  return txn.Commit();
}

// Upgrades an index made by an older fiscdex. Re-reads the version inside
// the write transaction: another process may have upgraded it meanwhile.
Status UpgradeSchemaInTransaction(sqlite3* db, int* from_version) {
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db));
  ASSIGN_OR_RETURN(*from_version, ReadUserVersion(db));
  if (*from_version >= kSchemaVersion) return txn.Commit();
  RETURN_IF_ERROR(ApplyMigrations(db, *from_version));
  return txn.Commit();
}

// Upgrades an index made by an older fiscdex. The version is read again
// inside the write transaction: another process may have upgraded it since.
Status UpgradeSchema(sqlite3* db, const std::string& path) {
  int from_version = 0;
  Status status = UpgradeSchemaInTransaction(db, &from_version);
  if (!status.ok()) {
    return Status::IoError("index " + path + " was made by an older fiscdex and cannot be " +
                           "upgraded to schema version " + std::to_string(kSchemaVersion) +
                           " (open it once with write access): " + status.message());
  }
  if (from_version < kSchemaVersion) {
    Log(LogLevel::kInfo, "upgraded index " + path + " from schema version " +
                             std::to_string(from_version) + " to " +
                             std::to_string(kSchemaVersion));
  }
  return Status::Ok();
}

// A file of ours has the meta table naming our tokenizer.
Status CheckMeta(sqlite3* db) {
  Result<Statement> stmt =
      Statement::Prepare(db, "SELECT value FROM meta WHERE key = 'tokenizer'", false);
  if (!stmt.ok()) return NotFiscdex("it has no meta table");
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFiscdex("its meta table names no tokenizer");
  if (stmt->ColumnText(0) != kTokenizerName) {
    return Status::Corrupt("index uses tokenizer " + std::string(stmt->ColumnText(0)) +
                           ", this fiscdex has " + kTokenizerName);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Index>> Index::Open(const std::string& path, const OpenOptions& options) {
  auto impl = std::make_unique<Impl>();
  ASSIGN_OR_RETURN(impl->segmenter, SharedSegmenter());
  ASSIGN_OR_RETURN(impl->db, OpenDatabase(path));
  sqlite3* db = impl->db.get();
  sqlite3_busy_timeout(db, kBusyTimeoutMs);

  // The first read of the file: SQLite opens lazily, so a file that is not
  // a database only shows here. Nothing is written before the file is known
  // to be ours (or empty).
  Result<int> version = ReadUserVersion(db);
  if (!version.ok()) {
    if (version.status().code() == StatusCode::kCorrupt) {
      return NotFiscdex("file is not a database");
    }
    return version.status();
  }
  RETURN_IF_ERROR(CheckVersion(*version));
  if (*version == 0) {
    ASSIGN_OR_RETURN(int64_t objects, CountSchemaObjects(db));
    if (objects > 0) return NotFiscdex("the database holds tables of another application");
  } else {
    RETURN_IF_ERROR(CheckMeta(db));
  }
  if (options.for_writing && sqlite3_db_readonly(db, "main") == 1) {
    return Status::IoError("index " + path + " is read-only (no write permission)");
  }

  impl->piece_cache = std::make_shared<PieceCache>();
  impl->pretokenized = std::make_shared<PretokenizedTexts>();
  impl->threads = options.tokenizer_threads > 0
                      ? options.tokenizer_threads
                      : static_cast<int>(std::clamp<unsigned>(std::thread::hardware_concurrency(),
                                                              1, kMaxTokenizerThreads));
  RETURN_IF_ERROR(
      RegisterFtsTokenizer(db, impl->segmenter, impl->piece_cache, impl->pretokenized));
  RETURN_IF_ERROR(RegisterFtsRankFunction(db));
  RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys = ON"));
  {
    ASSIGN_OR_RETURN(Statement wal, Statement::Prepare(db, "PRAGMA journal_mode = WAL", false));
    ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.ColumnText(0) != "wal") {
      // E.g. a file system without shared memory: the index still works,
      // only readers and the writer then block each other.
      Log(LogLevel::kWarning, "index " + path + " is not in WAL mode");
    }
  }
  RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous = NORMAL"));
  // 8 MB of page cache: an ingest of the Debian manuals (18 MB, a 30 MB
  // index) and of 400 seed copies (a 72 MB index) ran as fast as with 32 MB
  // and peaked 20 to 25 MB lower; a search reads a few hundred pages.
  RETURN_IF_ERROR(Exec(db, "PRAGMA cache_size = -8192"));  // KiB
  // Checkpoint every 10 000 pages (40 MB of WAL) instead of 1000: a page
  // that FTS5 rewrites in many consecutive transactions is then copied to
  // the database file once, not ten times (a fifth fewer bytes written).
  RETURN_IF_ERROR(Exec(db, "PRAGMA wal_autocheckpoint = 10000"));
  if (*version == 0) {
    RETURN_IF_ERROR(CreateSchema(db, impl->segmenter->dictionary()));
  } else if (*version < kSchemaVersion) {
    RETURN_IF_ERROR(UpgradeSchema(db, path));
  }
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     Statement::Prepare(db, "SELECT value FROM meta WHERE key = 'dictionary'",
                                        false));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) impl->stored_dictionary = std::string(stmt.ColumnText(0));
  }
  // Writing tokens of one dictionary into an index of another mixes them:
  // some rows would then match a query and others not.
  impl->may_write_tokens = options.allow_other_dictionary ||
                           impl->stored_dictionary == impl->segmenter->dictionary();
  if (options.for_writing && !impl->may_write_tokens) {
    return Status::Unsupported(DictionaryMismatchLine(impl->stored_dictionary,
                                                      impl->segmenter->dictionary()));
  }
  RETURN_IF_ERROR(impl->PrepareWriteStatements());
  RETURN_IF_ERROR(impl->PrepareSearchStatements());
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     Statement::Prepare(db, "SELECT value FROM meta WHERE key = 'assessment'",
                                        false));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) impl->stored_assessment = std::string(stmt.ColumnText(0));
  }
  // Statuses of other rules (or none, right after the upgrade to version 5)
  // are worked out again whenever the file may be written; a read-only
  // index keeps them, and AssessmentStale says so.
  if (impl->stored_assessment != std::to_string(assess::kStatusRulesVersion) &&
      sqlite3_db_readonly(db, "main") == 0) {
    ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db));
    Status refreshed = impl->RefreshAssessment();
    if (refreshed.ok()) refreshed = txn.Commit();
    if (!refreshed.ok() && options.for_writing) {
      return refreshed.WithContext("working out the statuses of " + path);
    }
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

std::string DictionaryMismatchLine(const std::string& stored, const std::string& current) {
  const std::string made_with =
      stored.empty() ? "an unrecorded dictionary (made before schema version 3)" : stored;
  return "index was tokenised with " + made_with + ", this fiscdex has " + current +
         ": run 'fiscdex reindex' to re-tokenise it";
}

std::optional<std::string> Index::DictionaryMismatch() const {
  if (impl_->stored_dictionary == impl_->segmenter->dictionary()) return std::nullopt;
  return DictionaryMismatchLine(impl_->stored_dictionary, impl_->segmenter->dictionary());
}

Status Index::Reindex() {
  Impl& s = *impl_;
  if (s.batch) return Status::Internal("cannot reindex inside a batch");
  sqlite3* db = s.db.get();
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db));
  // 'rebuild' empties an external-content FTS5 table and tokenises every
  // row of its content table again, with the tokenizer registered now.
  for (const char* table : {"passages_fts", "criteria_fts"}) {
    const std::string sql =
        std::string("INSERT INTO ") + table + "(" + table + ") VALUES ('rebuild')";
    Status status = Exec(db, sql.c_str());
    if (!status.ok()) return status.WithContext(std::string("re-tokenising ") + table);
  }
  RETURN_IF_ERROR(SetMeta(db, "dictionary", s.segmenter->dictionary()));
  RETURN_IF_ERROR(txn.Commit());
  s.stored_dictionary = s.segmenter->dictionary();
  s.may_write_tokens = true;
  return Status::Ok();
}

}  // namespace fiscdex::index
