// Checking the index: SQLite's and FTS5's integrity checks and the counts
// stored with each document (index/index.h, doc/schema.md "Checking").
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "index/index.h"
#include "index/index_impl.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {
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
  {
    // passage_repeats holds exactly the pairs its rule gives (a wrong one
    // hides a passage from search, or shows a repeat).
    ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db,
                           "SELECT (SELECT count(*) FROM (SELECT passage_id, record_id FROM "
                           "passage_repeats EXCEPT " FISCDEX_PASSAGE_REPEATS_SELECT ")), "
                           "(SELECT count(*) FROM (" FISCDEX_PASSAGE_REPEATS_SELECT
                           " EXCEPT SELECT passage_id, record_id FROM passage_repeats))",
                           false));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row && (stmt.ColumnInt64(0) != 0 || stmt.ColumnInt64(1) != 0)) {
      report.problems.push_back("passage_repeats: " + std::to_string(stmt.ColumnInt64(0)) +
                                " pairs too many, " + std::to_string(stmt.ColumnInt64(1)) +
                                " missing (a passage repeating a record shows in search, or "
                                "one that does not is hidden)");
    }
  }
  {
    // Every record has its status (a search --status or a coverage would
    // otherwise skip it silently).
    ASSIGN_OR_RETURN(Statement stmt,
                     Statement::Prepare(db,
                                        "SELECT count(*) FROM criteria c WHERE NOT EXISTS "
                                        "(SELECT 1 FROM statuses s WHERE s.record_id = c.id)",
                                        false));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row && stmt.ColumnInt64(0) != 0) {
      report.problems.push_back("statuses: " + std::to_string(stmt.ColumnInt64(0)) +
                                " records have no status");
    }
  }
  return report;  // txn rolls back: the check wrote nothing
}

}  // namespace fiscdex::index
