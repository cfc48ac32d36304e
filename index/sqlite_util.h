// Ownership and error helpers for the SQLite C API, private to index/.
//
// Every sqlite3* and sqlite3_stmt* lives in a unique_ptr with its deleter, and
// SqliteError is the one place where SQLite's result code and message become
// a Status. Not thread-safe beyond what the connection itself allows: use a
// connection and its statements from one thread at a time.
#ifndef FISCDEX_INDEX_SQLITE_UTIL_H_
#define FISCDEX_INDEX_SQLITE_UTIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fiscdex::index {

struct DbCloser {
  void operator()(sqlite3* db) const;  // sqlite3_close_v2
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const;  // sqlite3_finalize
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Turns a failed SQLite call into a Status "<context>: <sqlite3_errmsg>".
// Must be called before any other call on `db` (which would replace the
// message). The code says what went wrong with the input, not that SQLite
// noticed it: SQLITE_NOTADB/CORRUPT -> Corrupt, CANTOPEN/IOERR/READONLY/
// FULL/PERM/BUSY/LOCKED -> IoError, CONSTRAINT/MISMATCH/RANGE/TOOBIG ->
// InvalidArgument, anything else -> Internal. `db` may be null (then the
// message is sqlite3_errstr(rc)).
Status SqliteError(sqlite3* db, int rc, std::string_view context);

// Opens `path` read-write, creating it if absent. Extended result codes are
// turned on. Errors: IoError when the file cannot be opened or created.
Result<DbPtr> OpenDatabase(const std::string& path);

// Runs one or more SQL statements that return no rows of interest.
Status Exec(sqlite3* db, const char* sql);

// A prepared statement with typed binds and column reads. Columns and
// parameters are 0-based and 1-based respectively, as in SQLite.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) = default;
  Statement& operator=(Statement&&) = default;

  // `persistent`: the statement lives for the whole session (SQLite then
  // keeps it out of its lookaside memory).
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql, bool persistent = true);

  // Binds. Text and blobs are NOT copied: the bytes must stay valid until
  // the statement has been stepped to completion or reset.
  Status BindText(int index, std::string_view value);
  Status BindInt64(int index, int64_t value);
  Status BindDouble(int index, double value);
  Status BindNull(int index);
  Status BindOptionalText(int index, const std::optional<std::string>& value);
  Status BindOptionalInt(int index, const std::optional<int>& value);

  // Steps once: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows, then resets it.
  Status Run();
  // Resets to run again and drops the bindings (so no view of the caller's
  // memory outlives the call that bound it).
  void Reset();

  // Column reads. Text views are valid until the next Step or Reset.
  bool IsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  int ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  std::string_view ColumnText(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::optional<int> ColumnOptionalInt(int column) const;

  sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  Statement(sqlite3* db, StmtPtr stmt) : db_(db), stmt_(std::move(stmt)) {}
  Status Check(int rc, std::string_view what) const;

  sqlite3* db_ = nullptr;
  StmtPtr stmt_;
};

// Resets a statement when it goes out of scope, so an early return never
// leaves it holding a read transaction or the caller's bound memory.
class ScopedReset {
 public:
  explicit ScopedReset(Statement* stmt) : stmt_(stmt) {}
  ~ScopedReset() { stmt_->Reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement* stmt_;
};

// A transaction that rolls back unless committed.
class Transaction {
 public:
  // A read transaction (BEGIN): every statement in it sees one snapshot.
  static Result<Transaction> BeginRead(sqlite3* db);
  // A write transaction. Takes the write lock now, so a second writer waits (busy_timeout) here
  // instead of failing half-way.
  static Result<Transaction> BeginImmediate(sqlite3* db);

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // After Commit (successful or not) the guard does nothing more; a failed
  // COMMIT is rolled back before returning, so the database is as before.
  Status Commit();

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  sqlite3* db_;  // null once committed or rolled back
};

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_SQLITE_UTIL_H_
