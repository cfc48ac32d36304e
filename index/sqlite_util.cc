#include "index/sqlite_util.h"

#include <sqlite3.h>

#include <string>

namespace fiscdex::index {

void DbCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void StmtFinalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Status SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  // sqlite3_errmsg describes the last failed call on `db`; without a handle
  // (open failed before one existed) only the code's generic text is known.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corrupt(message);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IoError(message);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return Status::InvalidArgument(message);
    default:
      return Status::Internal(message);
  }
}

Result<DbPtr> OpenDatabase(const std::string& path) {
  // SQLite's memory statistics take a global mutex on every allocation, and
  // FTS5 allocates for every token it indexes: a tenth of the writer's time
  // went to that mutex. We never read the statistics. Must precede
  // sqlite3_initialize, which the first open runs.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  static_cast<void>(configured);
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is only ever used by one thread at a time (see
  // index.h), so its own mutex is pure cost.
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; it must be closed.
  DbPtr db(raw);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, "cannot open " + path);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

Status Exec(sqlite3* db, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "SQL failed");
  return Status::Ok();
}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "cannot prepare statement");
  return Statement(db, std::move(stmt));
}

Status Statement::Check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK) return Status::Ok();
  return SqliteError(db_, rc, what);
}

Status Statement::BindText(int index, std::string_view value) {
  // A zero-length view may have a null data(); SQLite would bind NULL then.
  static const char kEmpty[] = "";
  const char* data = value.data() != nullptr ? value.data() : kEmpty;
  return Check(
      sqlite3_bind_text64(stmt_.get(), index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8),
      "cannot bind text");
}

Status Statement::BindInt64(int index, int64_t value) {
  return Check(sqlite3_bind_int64(stmt_.get(), index, value), "cannot bind integer");
}

Status Statement::BindDouble(int index, double value) {
  return Check(sqlite3_bind_double(stmt_.get(), index, value), "cannot bind number");
}

Status Statement::BindNull(int index) {
  return Check(sqlite3_bind_null(stmt_.get(), index), "cannot bind null");
}

Status Statement::BindOptionalText(int index, const std::optional<std::string>& value) {
  return value ? BindText(index, *value) : BindNull(index);
}

Status Statement::BindOptionalInt(int index, const std::optional<int>& value) {
  return value ? BindInt64(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "SQL failed");
}

Status Statement::Run() {
  ScopedReset reset(this);
  Result<bool> row = Step();
  if (!row.ok()) return row.status();
  return Status::Ok();
}

void Statement::Reset() {
  if (stmt_ == nullptr) return;
  // The error of a failed step is already reported; reset's copy of it is not news.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}
int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}
int Statement::ColumnInt(int column) const { return sqlite3_column_int(stmt_.get(), column); }
double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}
std::string_view Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}
std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return std::string(ColumnText(column));
}
std::optional<int> Statement::ColumnOptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnInt(column);
}

Result<Transaction> Transaction::BeginRead(sqlite3* db) {
  int rc = sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "cannot begin a read transaction");
  return Transaction(db);
}

Result<Transaction> Transaction::BeginImmediate(sqlite3* db) {
  int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "cannot begin a write transaction");
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr && !sqlite3_get_autocommit(db_)) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Transaction::Commit() {
  sqlite3* db = db_;
  int rc = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    db_ = nullptr;
    return Status::Ok();
  }
  Status status = SqliteError(db, rc, "cannot commit");
  // A COMMIT that failed may leave the transaction open; end it now so the
  // database is as it was before BeginImmediate.
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  db_ = nullptr;
  return status;
}

}  // namespace fiscdex::index
