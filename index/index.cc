// The index: schema, document replacement and search. doc/schema.md
// describes the tables; this file keeps the SQL next to the code that binds
// it. Statements are prepared once per Index and reused.
#include "index/index.h"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>

#include "base/log.h"
#include "extract/extract.h"
#include "index/fts_tokenizer.h"
#include "index/mecab_segmenter.h"
#include "index/query.h"
#include "index/sqlite_util.h"

#ifndef FISCDEX_VERSION
#define FISCDEX_VERSION "unknown"
#endif

namespace fiscdex::index {
namespace {

constexpr int kSchemaVersion = 2;
// How long a statement waits for another connection's lock. Only one
// ingest writes at a time (IngestLock), so this covers a `check` or a
// checkpoint, which take seconds at most.
constexpr int kBusyTimeoutMs = 30000;
// Column weights of criteria_fts (title, answer) for fiscdex_rank: a term
// in the criterion's own title says what the criterion is about, so it
// counts double.
constexpr char kCriteriaWeights[] = "2.0, 1.0";
// Each FTS table ranks at most this many matching rows (or twice the limit,
// if more), the first ones in rowid (indexing) order. Ranking costs 2-3 us a
// row (BM25 reads each row's length), so a term found in 100 000 passages
// would take a quarter of a second to rank in full; with the window a
// search stays within a few ms, and is exact whenever a query matches fewer
// rows than this.
constexpr int kRankWindow = 1000;
constexpr int kSnippetTokens = 32;
// Characters of answer shown for a hit found by criterion ID (no FTS match
// to centre a snippet on).
constexpr size_t kIdSnippetChars = 100;
// AddDocument segments a document in batches of about this much text on up
// to kMaxTokenizerThreads threads; a batch must fit in a quarter of the
// PieceCache (see PrefillPieceCache).
constexpr size_t kBatchBytes = PieceCache::kDefaultMaxBytes / 4;
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
};

// One MeCab model per process: loading the dictionary is the slow part of
// opening an index, and the segmenter is thread-safe.
Result<std::shared_ptr<MecabSegmenter>> SharedSegmenter() {
  static std::mutex mutex;
  static std::weak_ptr<MecabSegmenter> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto segmenter = cached.lock()) return segmenter;
  ASSIGN_OR_RETURN(std::shared_ptr<MecabSegmenter> segmenter, MecabSegmenter::Create());
  cached = segmenter;
  return segmenter;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

std::string GroupJson(const std::vector<std::string>& group) {
  std::string out = "[";
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, group[i]);
  }
  out.push_back(']');
  return out;
}

std::string ColumnsJson(const std::vector<extract::AnswerColumn>& columns) {
  std::string out = "[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"header\":");
    AppendJsonString(&out, columns[i].header);
    out.append(",\"text\":");
    AppendJsonString(&out, columns[i].text);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// Group IDs come back from SQL joined by U+001F (see kAnswersSql).
std::vector<std::string> SplitGroup(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t end = joined.find('\x1f', start);
    out.emplace_back(joined.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// Snippets are shown on one line.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

// The first `max_chars` characters of `text` on one line, "…" if cut.
std::string Prefix(std::string_view text, size_t max_chars) {
  size_t i = 0;
  size_t chars = 0;
  while (i < text.size() && chars < max_chars) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  std::string out = OneLine(text.substr(0, i));
  if (i < text.size()) out += "…";
  return out;
}

bool Overlaps(size_t b1, size_t e1, size_t b2, size_t e2) {
  // An empty range (offsets unknown) overlaps nothing.
  return b1 < e1 && b2 < e2 && b1 < e2 && b2 < e1;
}

Status NotFiscdex(std::string_view why) {
  return Status::Corrupt(std::string("not a fiscdex index: ") + std::string(why));
}

}  // namespace

// Tokens of a document's texts, by position: passages[i] for passage i,
// titles[i] and answers[i] for record i (an empty list for no title).
struct DocumentTokens {
  std::vector<TokenList> passages;
  std::vector<TokenList> titles;
  std::vector<TokenList> answers;

  bool Fits(const DocumentInput& doc) const {
    return passages.size() == doc.passages.size() && titles.size() == doc.records.size() &&
           answers.size() == doc.records.size();
  }
};

namespace {

// Registers texts' tokens for the FTS5 inserts of one row.
class PretokenizedScope {
 public:
  explicit PretokenizedScope(PretokenizedTexts* texts) : texts_(texts) {}
  ~PretokenizedScope() { texts_->Clear(); }
  PretokenizedScope(const PretokenizedScope&) = delete;
  PretokenizedScope& operator=(const PretokenizedScope&) = delete;
  void Add(std::string_view text, const TokenList* tokens) { texts_->Add(text, tokens); }

 private:
  PretokenizedTexts* texts_;
};

}  // namespace

struct Index::Impl {
  std::shared_ptr<MecabSegmenter> segmenter;
  // Shared with the connection's FTS5 tokenizers; AddDocument fills it on
  // several threads before the inserts tokenize (PrefillPieceCache).
  std::shared_ptr<PieceCache> piece_cache;
  int threads = 1;
  bool mapped = false;  // PRAGMA mmap_size set (on the first search)
  DbPtr db;
  // Statements come after `db`, so they are finalized before it closes.
  Statement find_document;
  Statement delete_document;
  Statement insert_document;
  Statement insert_passage;
  Statement insert_criterion;
  Statement index_passage;
  Statement index_criterion;
  Statement list_stored_files;
  Statement update_file_stat;
  Statement rename_document;
  Statement list_documents;
  Statement answers_for;
  Statement search_ids;
  Statement search_criteria;
  Statement search_passages;
  Statement snippet_criterion;
  Statement snippet_passage;

  // Set while AddDocument inserts a document that came with its tokens.
  std::shared_ptr<PretokenizedTexts> pretokenized;

  Status Prepare();
  // Open between BeginBatch and CommitBatch/RollbackBatch.
  std::optional<Transaction> batch;
  // A transaction of its own for one write, or none inside a batch.
  Result<std::optional<Transaction>> BeginWrite();

  // The id of the document stored under `path`, and its content hash.
  Result<std::optional<int64_t>> FindDocument(const std::string& path, std::string* content_hash);
  Status DeleteDocument(int64_t id);
};

Status Index::Impl::Prepare() {
  sqlite3* h = db.get();
  ASSIGN_OR_RETURN(find_document,
                   Statement::Prepare(h, "SELECT id, content_hash FROM documents WHERE path = ?1"));
  ASSIGN_OR_RETURN(delete_document, Statement::Prepare(h, "DELETE FROM documents WHERE id = ?1"));
  ASSIGN_OR_RETURN(insert_document,
                   Statement::Prepare(h,
                                      "INSERT INTO documents(path, content_hash, format, encoding, "
                                      "size_bytes, mtime, page_count, title, vendor, edition, "
                                      "date, passage_count, record_count, indexed_at, mtime_ns) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                      "?13, ?14, ?15)"));
  ASSIGN_OR_RETURN(insert_passage,
                   Statement::Prepare(h,
                                      "INSERT INTO passages(document_id, seq, page, source_begin, "
                                      "source_end, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  ASSIGN_OR_RETURN(insert_criterion,
                   Statement::Prepare(h,
                                      "INSERT INTO criteria(document_id, seq, criterion_id, title, "
                                      "answer, group_ids, page, columns, source_begin, "
                                      "source_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                      "?10)"));
  ASSIGN_OR_RETURN(index_passage,
                   Statement::Prepare(h, "INSERT INTO passages_fts(rowid, text) VALUES (?1, ?2)"));
  ASSIGN_OR_RETURN(index_criterion,
                   Statement::Prepare(h,
                                      "INSERT INTO criteria_fts(rowid, title, answer) "
                                      "VALUES (?1, ?2, ?3)"));
  ASSIGN_OR_RETURN(list_stored_files,
                   Statement::Prepare(h,
                                      "SELECT path, content_hash, size_bytes, mtime_ns FROM "
                                      "documents ORDER BY path"));
  ASSIGN_OR_RETURN(update_file_stat,
                   Statement::Prepare(h,
                                      "UPDATE documents SET size_bytes = ?2, mtime = ?3, "
                                      "mtime_ns = ?4 WHERE path = ?1"));
  ASSIGN_OR_RETURN(rename_document,
                   Statement::Prepare(h,
                                      "UPDATE documents SET path = ?2, size_bytes = ?3, "
                                      "mtime = ?4, mtime_ns = ?5 WHERE id = ?1"));
  ASSIGN_OR_RETURN(list_documents,
                   Statement::Prepare(h,
                                      "SELECT path, format, encoding, vendor, edition, date, "
                                      "record_count, passage_count FROM documents ORDER BY path"));
  // Documents without a vendor sort after those with one.
  ASSIGN_OR_RETURN(
      answers_for,
      Statement::Prepare(h,
                         "SELECT d.path, d.vendor, c.criterion_id, c.title, c.answer, "
                         "(SELECT group_concat(value, char(31)) FROM json_each(c.group_ids)), "
                         "c.page FROM criteria c JOIN documents d ON d.id = c.document_id "
                         "WHERE c.criterion_id = ?1 "
                         "ORDER BY d.vendor IS NULL, d.vendor, d.path, c.seq"));
  // The inner query picks the first ?2 records by vendor and path from the
  // covering index criteria_by_id; only those rows are then read whole.
  ASSIGN_OR_RETURN(
      search_ids,
      Statement::Prepare(h,
                         "SELECT c.id, c.document_id, d.path, d.vendor, c.criterion_id, c.page, "
                         "c.source_begin, c.source_end, c.answer FROM "
                         "(SELECT k.id AS row, kd.vendor IS NULL AS no_vendor, kd.vendor AS "
                         "vendor, kd.path AS path, k.seq AS seq FROM criteria k "
                         "JOIN documents kd ON kd.id = k.document_id WHERE k.criterion_id = ?1 "
                         "ORDER BY no_vendor, vendor, path, seq LIMIT ?2) AS m "
                         "JOIN criteria c ON c.id = m.row JOIN documents d ON d.id = c.document_id "
                         "ORDER BY m.no_vendor, m.vendor, m.path, m.seq"));
  // Rows of equal score (the same passage in the HTML and the PDF of one
  // whitepaper) are ordered by path and place, never by rowid: rowids follow
  // the order a parallel ingest happened to commit in, and the same corpus
  // must give the same hits. rank() keeps every row tied with the last one
  // kept, so which of them survive the cut does not depend on rowids either.
  static constexpr char kPlace[] = "rank() OVER (ORDER BY score DESC) AS place";
  // Ranking reads no snippet: snippets are made afterwards, only for the
  // hits kept. The innermost query walks the matches in rowid order, which
  // FTS5 does lazily, and stops after the window (?3); the middle one keeps
  // the best ?2, so only those rows are read from the content tables.
  const std::string criteria_ranked =
      std::string("(SELECT row, score FROM (SELECT row, score, ") + kPlace +
      " FROM (SELECT rowid AS row, " + kRankFunctionName + "(criteria_fts, " + kCriteriaWeights +
      ") AS score FROM criteria_fts WHERE criteria_fts MATCH ?1 ORDER BY rowid LIMIT ?3)) "
      "WHERE place <= ?2) AS m";
  ASSIGN_OR_RETURN(search_criteria,
                   Statement::Prepare(h,
                                      "SELECT c.id, c.document_id, d.path, d.vendor, "
                                      "c.criterion_id, c.page, c.source_begin, c.source_end, "
                                      "c.answer, m.score FROM " +
                                          criteria_ranked +
                                          " JOIN criteria c ON c.id = m.row "
                                          "JOIN documents d ON d.id = c.document_id "
                                          "ORDER BY m.score DESC, d.path, c.seq"));
  const std::string passages_ranked =
      std::string("(SELECT row, score FROM (SELECT row, score, ") + kPlace +
      " FROM (SELECT rowid AS row, " + kRankFunctionName +
      "(passages_fts) AS score FROM passages_fts WHERE passages_fts MATCH ?1 "
      "ORDER BY rowid LIMIT ?3)) WHERE place <= ?2) AS m";
  ASSIGN_OR_RETURN(search_passages,
                   Statement::Prepare(h,
                                      "SELECT p.id, p.document_id, d.path, d.vendor, p.page, "
                                      "p.source_begin, p.source_end, p.text, m.score FROM " +
                                          passages_ranked +
                                          " JOIN passages p ON p.id = m.row "
                                          "JOIN documents d ON d.id = p.document_id "
                                          "ORDER BY m.score DESC, d.path, p.seq"));
  const std::string snippet_args = ", '«', '»', '…', " + std::to_string(kSnippetTokens) + ")";
  ASSIGN_OR_RETURN(snippet_criterion,
                   Statement::Prepare(h, "SELECT snippet(criteria_fts, -1" + snippet_args +
                                             " FROM criteria_fts WHERE criteria_fts MATCH ?1 "
                                             "AND rowid = ?2"));
  ASSIGN_OR_RETURN(snippet_passage,
                   Statement::Prepare(h, "SELECT snippet(passages_fts, 0" + snippet_args +
                                             " FROM passages_fts WHERE passages_fts MATCH ?1 "
                                             "AND rowid = ?2"));
  return Status::Ok();
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
Status CreateSchema(sqlite3* db) {
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
  RETURN_IF_ERROR(Exec(db, "PRAGMA cache_size = -32768"));  // KiB
  // Checkpoint every 10 000 pages (40 MB of WAL) instead of 1000: a page
  // that FTS5 rewrites in many consecutive transactions is then copied to
  // the database file once, not ten times (a fifth fewer bytes written).
  RETURN_IF_ERROR(Exec(db, "PRAGMA wal_autocheckpoint = 10000"));
  if (*version == 0) {
    RETURN_IF_ERROR(CreateSchema(db));
  } else if (*version < kSchemaVersion) {
    RETURN_IF_ERROR(UpgradeSchema(db, path));
  }
  RETURN_IF_ERROR(impl->Prepare());
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

Result<std::vector<StoredFile>> Index::ListStoredFiles() {
  Statement& stmt = impl_->list_stored_files;
  ScopedReset reset(&stmt);
  std::vector<StoredFile> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({std::string(stmt.ColumnText(0)), std::string(stmt.ColumnText(1)),
                   static_cast<uint64_t>(stmt.ColumnInt64(2)), stmt.ColumnInt64(3)});
  }
  return out;
}

namespace {

int64_t SecondsOf(int64_t mtime_ns) {
  // Floor, also before 1970.
  return mtime_ns >= 0 ? mtime_ns / 1'000'000'000 : -((-mtime_ns + 999'999'999) / 1'000'000'000);
}

}  // namespace

Status Index::UpdateFileStat(const std::string& path, uint64_t size_bytes, int64_t mtime_ns) {
  Statement& stmt = impl_->update_file_stat;
  RETURN_IF_ERROR(stmt.BindText(1, path));
  RETURN_IF_ERROR(stmt.BindInt64(2, static_cast<int64_t>(size_bytes)));
  RETURN_IF_ERROR(stmt.BindInt64(3, SecondsOf(mtime_ns)));
  RETURN_IF_ERROR(stmt.BindInt64(4, mtime_ns));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(impl_->db.get()) == 0) return Status::NotFound("not in the index: " + path);
  return Status::Ok();
}

Result<std::optional<int64_t>> Index::Impl::FindDocument(const std::string& path,
                                                         std::string* content_hash) {
  ScopedReset reset(&find_document);
  RETURN_IF_ERROR(find_document.BindText(1, path));
  ASSIGN_OR_RETURN(bool found, find_document.Step());
  if (!found) return std::optional<int64_t>();
  if (content_hash != nullptr) *content_hash = std::string(find_document.ColumnText(1));
  return std::optional<int64_t>(find_document.ColumnInt64(0));
}

Result<std::optional<Transaction>> Index::Impl::BeginWrite() {
  if (batch) return std::optional<Transaction>();
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db.get()));
  return std::optional<Transaction>(std::move(txn));
}

Status Index::BeginBatch() {
  if (impl_->batch) return Status::Internal("a batch is already open");
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(impl_->db.get()));
  impl_->batch.emplace(std::move(txn));
  return Status::Ok();
}

Status Index::CommitBatch() {
  if (!impl_->batch) return Status::Internal("no batch is open");
  Status status = impl_->batch->Commit();
  impl_->batch.reset();
  return status;
}

void Index::RollbackBatch() { impl_->batch.reset(); }

Status Index::Impl::DeleteDocument(int64_t id) {
  // The schema's trigger and cascade remove the FTS rows and children.
  RETURN_IF_ERROR(delete_document.BindInt64(1, id));
  return delete_document.Run();
}

Status Index::MoveDocument(const std::string& from, const std::string& to, uint64_t size_bytes,
                           int64_t mtime_ns) {
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<int64_t> id, s.FindDocument(from, nullptr));
  if (!id) return Status::NotFound("not in the index: " + from);
  ASSIGN_OR_RETURN(std::optional<int64_t> replaced, s.FindDocument(to, nullptr));
  if (replaced && *replaced != *id) RETURN_IF_ERROR(s.DeleteDocument(*replaced));
  RETURN_IF_ERROR(s.rename_document.BindInt64(1, *id));
  RETURN_IF_ERROR(s.rename_document.BindText(2, to));
  RETURN_IF_ERROR(s.rename_document.BindInt64(3, static_cast<int64_t>(size_bytes)));
  RETURN_IF_ERROR(s.rename_document.BindInt64(4, SecondsOf(mtime_ns)));
  RETURN_IF_ERROR(s.rename_document.BindInt64(5, mtime_ns));
  RETURN_IF_ERROR(s.rename_document.Run());
  return txn ? txn->Commit() : Status::Ok();
}

Status Index::RemoveDocument(const std::string& path) {
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<int64_t> id, s.FindDocument(path, nullptr));
  if (!id) return Status::NotFound("not in the index: " + path);
  RETURN_IF_ERROR(s.DeleteDocument(*id));
  return txn ? txn->Commit() : Status::Ok();
}

Result<AddOutcome> Index::AddDocument(const DocumentInput& doc) {
  Impl& s = *impl_;
  const DocumentTokens* tokens = doc.tokens.get();
  if (tokens != nullptr && !tokens->Fits(doc)) {
    return Status::Internal("the tokens given are not those of this document");
  }
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());

  std::string stored_hash;
  ASSIGN_OR_RETURN(std::optional<int64_t> old_id, s.FindDocument(doc.path, &stored_hash));
  if (old_id) {
    if (stored_hash == doc.content_hash) return AddOutcome::kUnchanged;
    RETURN_IF_ERROR(s.DeleteDocument(*old_id));
  }

  Statement& ins_doc = s.insert_document;
  RETURN_IF_ERROR(ins_doc.BindText(1, doc.path));
  RETURN_IF_ERROR(ins_doc.BindText(2, doc.content_hash));
  RETURN_IF_ERROR(ins_doc.BindText(3, doc.format));
  RETURN_IF_ERROR(ins_doc.BindText(4, doc.encoding));
  RETURN_IF_ERROR(ins_doc.BindInt64(5, static_cast<int64_t>(doc.size_bytes)));
  RETURN_IF_ERROR(ins_doc.BindInt64(6, SecondsOf(doc.mtime_ns)));
  RETURN_IF_ERROR(ins_doc.BindInt64(7, doc.page_count));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(8, doc.metadata.title));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(9, doc.metadata.vendor));
  RETURN_IF_ERROR(ins_doc.BindOptionalInt(10, doc.metadata.edition));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(11, doc.metadata.date));
  RETURN_IF_ERROR(ins_doc.BindInt64(12, static_cast<int64_t>(doc.passages.size())));
  RETURN_IF_ERROR(ins_doc.BindInt64(13, static_cast<int64_t>(doc.records.size())));
  RETURN_IF_ERROR(ins_doc.BindInt64(14, static_cast<int64_t>(std::time(nullptr))));
  RETURN_IF_ERROR(ins_doc.BindInt64(15, doc.mtime_ns));
  RETURN_IF_ERROR(ins_doc.Run());
  const int64_t doc_id = sqlite3_last_insert_rowid(s.db.get());

  // Rows go in batches: first the batch's sentences are segmented on
  // several threads into the piece cache, then each row and its FTS row are
  // inserted (the FTS5 tokenizer then finds every piece in the cache).
  std::vector<std::string_view> batch_texts;
  Statement& ins_passage = s.insert_passage;
  Statement& fts_passage = s.index_passage;
  for (size_t first = 0; first < doc.passages.size();) {
    size_t last = first;
    size_t bytes = 0;
    batch_texts.clear();
    while (last < doc.passages.size() && (last == first || bytes < kBatchBytes)) {
      batch_texts.push_back(doc.passages[last].text);
      bytes += doc.passages[last].text.size();
      ++last;
    }
    if (tokens == nullptr) {
      RETURN_IF_ERROR(
          PrefillPieceCache(s.segmenter, batch_texts, s.threads, s.piece_cache.get()));
    }
    for (size_t i = first; i < last; ++i) {
      const normalize::Passage& p = doc.passages[i];
      RETURN_IF_ERROR(ins_passage.BindInt64(1, doc_id));
      RETURN_IF_ERROR(ins_passage.BindInt64(2, static_cast<int64_t>(i)));
      RETURN_IF_ERROR(ins_passage.BindInt64(3, p.page));
      RETURN_IF_ERROR(ins_passage.BindInt64(4, static_cast<int64_t>(p.source_begin)));
      RETURN_IF_ERROR(ins_passage.BindInt64(5, static_cast<int64_t>(p.source_end)));
      RETURN_IF_ERROR(ins_passage.BindText(6, p.text));
      Status status = ins_passage.Run();
      if (!status.ok()) return status.WithContext("passage " + std::to_string(i));
      RETURN_IF_ERROR(fts_passage.BindInt64(1, sqlite3_last_insert_rowid(s.db.get())));
      RETURN_IF_ERROR(fts_passage.BindText(2, p.text));
      PretokenizedScope ready(s.pretokenized.get());
      if (tokens != nullptr) ready.Add(p.text, &tokens->passages[i]);
      RETURN_IF_ERROR(fts_passage.Run());
    }
    first = last;
  }

  Statement& ins_record = s.insert_criterion;
  Statement& fts_record = s.index_criterion;
  std::string group_json;
  std::string columns_json;
  for (size_t first = 0; first < doc.records.size();) {
    size_t last = first;
    size_t bytes = 0;
    batch_texts.clear();
    while (last < doc.records.size() && (last == first || bytes < kBatchBytes)) {
      const extract::CriterionRecord& r = doc.records[last];
      batch_texts.push_back(r.answer);
      bytes += r.answer.size();
      if (r.title) {
        batch_texts.push_back(*r.title);
        bytes += r.title->size();
      }
      ++last;
    }
    if (tokens == nullptr) {
      RETURN_IF_ERROR(
          PrefillPieceCache(s.segmenter, batch_texts, s.threads, s.piece_cache.get()));
    }
    for (size_t i = first; i < last; ++i) {
      const extract::CriterionRecord& r = doc.records[i];
      group_json = GroupJson(r.group);
      RETURN_IF_ERROR(ins_record.BindInt64(1, doc_id));
      RETURN_IF_ERROR(ins_record.BindInt64(2, static_cast<int64_t>(i)));
      RETURN_IF_ERROR(ins_record.BindText(3, r.id));
      RETURN_IF_ERROR(ins_record.BindOptionalText(4, r.title));
      RETURN_IF_ERROR(ins_record.BindText(5, r.answer));
      RETURN_IF_ERROR(ins_record.BindText(6, group_json));
      RETURN_IF_ERROR(ins_record.BindInt64(7, r.page));
      if (r.columns.empty()) {
        RETURN_IF_ERROR(ins_record.BindNull(8));
      } else {
        columns_json = ColumnsJson(r.columns);
        RETURN_IF_ERROR(ins_record.BindText(8, columns_json));
      }
      RETURN_IF_ERROR(ins_record.BindInt64(9, static_cast<int64_t>(r.source_begin)));
      RETURN_IF_ERROR(ins_record.BindInt64(10, static_cast<int64_t>(r.source_end)));
      Status status = ins_record.Run();
      if (!status.ok()) {
        return status.WithContext("record " + std::to_string(i) + " (" + r.id + ")");
      }
      RETURN_IF_ERROR(fts_record.BindInt64(1, sqlite3_last_insert_rowid(s.db.get())));
      RETURN_IF_ERROR(fts_record.BindOptionalText(2, r.title));
      RETURN_IF_ERROR(fts_record.BindText(3, r.answer));
      PretokenizedScope ready(s.pretokenized.get());
      if (tokens != nullptr) {
        if (r.title) ready.Add(*r.title, &tokens->titles[i]);
        ready.Add(r.answer, &tokens->answers[i]);
      }
      RETURN_IF_ERROR(fts_record.Run());
    }
    first = last;
  }

  if (txn) RETURN_IF_ERROR(txn->Commit());
  return old_id ? AddOutcome::kUpdated : AddOutcome::kAdded;
}

namespace {

// A hit before merging, with what deduplication needs.
struct Candidate {
  SearchHit hit;
  int64_t row = 0;  // criteria.id or passages.id
  int64_t document_id = 0;
  size_t source_begin = 0;
  size_t source_end = 0;
  std::string text;  // the answer or the passage text
  bool is_criterion = false;
};

// A passage that shows the same place as a criterion hit adds nothing: same
// document and page, and the same source bytes or the same text.
bool DuplicatesCriterion(const Candidate& passage, const Candidate& criterion) {
  if (passage.document_id != criterion.document_id || passage.hit.page != criterion.hit.page) {
    return false;
  }
  if (Overlaps(passage.source_begin, passage.source_end, criterion.source_begin,
               criterion.source_end)) {
    return true;
  }
  return !criterion.text.empty() && passage.text == criterion.text;
}

// Reads a criterion row of search_ids or search_criteria: id, document_id,
// path, vendor, criterion_id, page, source_begin, source_end, answer.
Candidate ReadCriterion(const Statement& stmt) {
  Candidate c;
  c.is_criterion = true;
  c.row = stmt.ColumnInt64(0);
  c.document_id = stmt.ColumnInt64(1);
  c.hit.document = std::string(stmt.ColumnText(2));
  c.hit.vendor = stmt.ColumnOptionalText(3);
  c.hit.criterion_id = std::string(stmt.ColumnText(4));
  c.hit.page = stmt.ColumnInt(5);
  c.source_begin = static_cast<size_t>(stmt.ColumnInt64(6));
  c.source_end = static_cast<size_t>(stmt.ColumnInt64(7));
  c.text = std::string(stmt.ColumnText(8));
  return c;
}

}  // namespace

Result<std::vector<SearchHit>> Index::Search(std::string_view query, int limit) {
  if (limit <= 0) return Status::InvalidArgument("search limit must be positive");
  ASSIGN_OR_RETURN(std::string fts_query, ToFtsQuery(query));
  Impl& s = *impl_;
  if (!s.mapped) {
    // A search reads FTS segments and row sizes all over the file; mapping
    // it saves a read() and a copy per page, half the time to rank on a
    // large index. Only for searching: an ingest would map (and count in
    // its RSS) every page it touches, for no gain. SQLite caps the size at
    // its compile-time maximum.
    RETURN_IF_ERROR(Exec(s.db.get(), "PRAGMA mmap_size = 2147418112"));
    s.mapped = true;
  }
  ASSIGN_OR_RETURN(Transaction read, Transaction::BeginRead(s.db.get()));

  std::vector<Candidate> id_hits;
  if (std::optional<std::string> id = extract::ParseCriterionId(query)) {
    Statement& stmt = s.search_ids;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, *id));
    RETURN_IF_ERROR(stmt.BindInt64(2, limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Candidate c = ReadCriterion(stmt);
      c.hit.snippet = "«" + *c.hit.criterion_id + "» " + Prefix(c.text, kIdSnippetChars);
      id_hits.push_back(std::move(c));
    }
  }

  // The window must hold at least the hits asked for.
  const int64_t window = std::max<int64_t>(kRankWindow, 2 * static_cast<int64_t>(limit));
  std::vector<Candidate> fts_hits;
  {
    Statement& stmt = s.search_criteria;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, fts_query));
    RETURN_IF_ERROR(stmt.BindInt64(2, limit));
    RETURN_IF_ERROR(stmt.BindInt64(3, window));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Candidate c = ReadCriterion(stmt);
      c.hit.score = stmt.ColumnDouble(9);
      fts_hits.push_back(std::move(c));
    }
  }
  {
    // Some passages will duplicate criterion hits and go; fetch spares.
    Statement& stmt = s.search_passages;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, fts_query));
    RETURN_IF_ERROR(stmt.BindInt64(2, 2 * static_cast<int64_t>(limit)));
    RETURN_IF_ERROR(stmt.BindInt64(3, window));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Candidate c;
      c.row = stmt.ColumnInt64(0);
      c.document_id = stmt.ColumnInt64(1);
      c.hit.document = std::string(stmt.ColumnText(2));
      c.hit.vendor = stmt.ColumnOptionalText(3);
      c.hit.page = stmt.ColumnInt(4);
      c.source_begin = static_cast<size_t>(stmt.ColumnInt64(5));
      c.source_end = static_cast<size_t>(stmt.ColumnInt64(6));
      c.text = std::string(stmt.ColumnText(7));
      c.hit.score = stmt.ColumnDouble(8);
      fts_hits.push_back(std::move(c));
    }
  }

  // Merge: ID hits first, then FTS hits by score, without repeats.
  std::unordered_set<int64_t> id_rows;
  for (const Candidate& c : id_hits) id_rows.insert(c.row);
  std::vector<const Candidate*> criteria;
  for (const Candidate& c : id_hits) criteria.push_back(&c);
  for (const Candidate& c : fts_hits) {
    if (c.is_criterion && id_rows.count(c.row) == 0) criteria.push_back(&c);
  }
  std::vector<Candidate*> ranked;
  for (Candidate& c : fts_hits) {
    if (c.is_criterion) {
      if (id_rows.count(c.row) == 0) ranked.push_back(&c);
      continue;
    }
    bool duplicate = std::any_of(criteria.begin(), criteria.end(),
                                 [&](const Candidate* k) { return DuplicatesCriterion(c, *k); });
    if (!duplicate) ranked.push_back(&c);
  }
  // Ties by path and place, as the statements order them.
  std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) {
    if (a->hit.score != b->hit.score) return a->hit.score > b->hit.score;
    if (a->hit.document != b->hit.document) return a->hit.document < b->hit.document;
    if (a->hit.page != b->hit.page) return a->hit.page < b->hit.page;
    return a->source_begin < b->source_begin;
  });

  double top_score = 0;
  for (const Candidate* c : ranked) top_score = std::max(top_score, c->hit.score);
  std::vector<SearchHit> hits;
  hits.reserve(static_cast<size_t>(limit));
  for (Candidate& c : id_hits) {
    if (hits.size() >= static_cast<size_t>(limit)) break;
    c.hit.score = top_score + 1.0;
    hits.push_back(std::move(c.hit));
  }
  for (Candidate* c : ranked) {
    if (hits.size() >= static_cast<size_t>(limit)) break;
    Statement& stmt = c->is_criterion ? s.snippet_criterion : s.snippet_passage;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, fts_query));
    RETURN_IF_ERROR(stmt.BindInt64(2, c->row));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    c->hit.snippet = row ? OneLine(stmt.ColumnText(0)) : Prefix(c->text, kIdSnippetChars);
    hits.push_back(std::move(c->hit));
  }
  RETURN_IF_ERROR(read.Commit());
  return hits;
}

Result<std::vector<CriterionAnswer>> Index::AnswersFor(const std::string& criterion_id) {
  // Accept any written form ("実 ８", "【実8】"); stored IDs are canonical.
  std::string id = extract::ParseCriterionId(criterion_id).value_or(criterion_id);
  Statement& stmt = impl_->answers_for;
  ScopedReset reset(&stmt);
  RETURN_IF_ERROR(stmt.BindText(1, id));
  std::vector<CriterionAnswer> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    CriterionAnswer a;
    a.document = std::string(stmt.ColumnText(0));
    a.vendor = stmt.ColumnOptionalText(1);
    a.id = std::string(stmt.ColumnText(2));
    a.title = stmt.ColumnOptionalText(3);
    a.answer = std::string(stmt.ColumnText(4));
    a.group = SplitGroup(stmt.ColumnText(5));
    a.page = stmt.ColumnInt(6);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<DocumentSummary>> Index::ListDocuments() {
  Statement& stmt = impl_->list_documents;
  ScopedReset reset(&stmt);
  std::vector<DocumentSummary> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    DocumentSummary d;
    d.path = std::string(stmt.ColumnText(0));
    d.format = std::string(stmt.ColumnText(1));
    d.encoding = std::string(stmt.ColumnText(2));
    d.vendor = stmt.ColumnOptionalText(3);
    d.edition = stmt.ColumnOptionalInt(4);
    d.date = stmt.ColumnOptionalText(5);
    d.records = stmt.ColumnInt(6);
    d.passages = stmt.ColumnInt(7);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// Runs `sql` and appends each row's first column, as text, to `problems`
// (prefixed), unless it is `ok_row`.
Status CollectRows(sqlite3* db, const char* sql, std::string_view ok_row, std::string_view prefix,
                   std::vector<std::string>* problems) {
  ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, sql, false));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    std::string text(stmt.ColumnText(0));
    if (text != ok_row) problems->push_back(std::string(prefix) + text);
  }
}

}  // namespace

Result<CheckReport> Index::Check() {
  sqlite3* db = impl_->db.get();
  CheckReport report;
  // One snapshot for all of it, so that the counts agree with each other.
  // FTS5's check is an INSERT, so this is a write transaction (rolled back):
  // it also keeps a writer from changing the index under the check.
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db));
  RETURN_IF_ERROR(CollectRows(db, "PRAGMA integrity_check(100)", "ok", "sqlite: ",
                              &report.problems));
  {
    ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, "PRAGMA foreign_key_check", false));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      report.problems.push_back("sqlite: row " + std::to_string(stmt.ColumnInt64(1)) + " of " +
                                std::string(stmt.ColumnText(0)) + " belongs to no document");
    }
  }
  for (const char* table : {"passages_fts", "criteria_fts"}) {
    // rank 1: also compare the full-text index with its content table.
    const std::string sql =
        std::string("INSERT INTO ") + table + "(" + table + ", rank) VALUES ('integrity-check', 1)";
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    if ((rc & 0xFF) == SQLITE_CORRUPT) {
      report.problems.push_back(std::string("fts5: ") + table +
                                " does not match its table (FTS5 integrity-check failed)");
    } else if (rc != SQLITE_OK) {
      return SqliteError(db, rc, std::string("cannot check ") + table);
    }
  }
  {
    // Per document: stored counts against the rows present, and seq
    // numbers 0..n-1 without gaps (max(seq) + 1 == count).
    ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db,
                           "SELECT d.path, d.passage_count, "
                           "(SELECT count(*) FROM passages p WHERE p.document_id = d.id), "
                           "(SELECT coalesce(max(seq) + 1, 0) FROM passages p "
                           "WHERE p.document_id = d.id), d.record_count, "
                           "(SELECT count(*) FROM criteria c WHERE c.document_id = d.id), "
                           "(SELECT coalesce(max(seq) + 1, 0) FROM criteria c "
                           "WHERE c.document_id = d.id) FROM documents d ORDER BY d.path",
                           false));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ++report.documents;
      const std::string path(stmt.ColumnText(0));
      const int64_t passages = stmt.ColumnInt64(2);
      const int64_t records = stmt.ColumnInt64(5);
      report.passages += passages;
      report.records += records;
      if (passages != stmt.ColumnInt64(1) || stmt.ColumnInt64(3) != passages) {
        report.problems.push_back(path + ": " + std::to_string(passages) + " passages stored, " +
                                  std::to_string(stmt.ColumnInt64(1)) + " expected");
      }
      if (records != stmt.ColumnInt64(4) || stmt.ColumnInt64(6) != records) {
        report.problems.push_back(path + ": " + std::to_string(records) + " records stored, " +
                                  std::to_string(stmt.ColumnInt64(4)) + " expected");
      }
    }
  }
  return report;  // txn rolls back: the check wrote nothing
}

struct DocumentTokenizer::Impl {
  // Its own piece cache: the same sentence in the next document this
  // worker reads is segmented once.
  SearchTokenizer tokenizer;
};

DocumentTokenizer::DocumentTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentTokenizer::~DocumentTokenizer() = default;

Result<std::unique_ptr<DocumentTokenizer>> DocumentTokenizer::Create() {
  ASSIGN_OR_RETURN(std::shared_ptr<MecabSegmenter> segmenter, SharedSegmenter());
  return std::unique_ptr<DocumentTokenizer>(
      new DocumentTokenizer(std::unique_ptr<Impl>(new Impl{SearchTokenizer(segmenter)})));
}

Result<std::shared_ptr<const DocumentTokens>> DocumentTokenizer::Tokenize(
    const DocumentInput& doc) {
  auto tokens = std::make_shared<DocumentTokens>();
  SearchTokenizer& tokenizer = impl_->tokenizer;
  tokens->passages.reserve(doc.passages.size());
  for (const normalize::Passage& passage : doc.passages) {
    ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(passage.text));
    tokens->passages.push_back(*list);
  }
  tokens->titles.reserve(doc.records.size());
  tokens->answers.reserve(doc.records.size());
  for (const extract::CriterionRecord& record : doc.records) {
    if (record.title) {
      ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(*record.title));
      tokens->titles.push_back(*list);
    } else {
      tokens->titles.emplace_back();
    }
    ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(record.answer));
    tokens->answers.push_back(*list);
  }
  return std::shared_ptr<const DocumentTokens>(std::move(tokens));
}

}  // namespace fiscdex::index
