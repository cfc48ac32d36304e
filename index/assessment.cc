// What the index keeps of the assessment (assess/status.h): a status row
// per criterion record and a content key per document, written with each
// document and worked out again for the whole index when the status rules
// change (meta 'assessment'); and reading them back for the views.
#include <sqlite3.h>

#include <string>
#include <utility>

#include "assess/versions.h"
#include "base/json.h"
#include "base/log.h"
#include "extract/extract.h"
#include "index/index.h"
#include "index/index_impl.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {
namespace {

// Text fields packed by SQL for one row: fields split by U+001F, entries by
// U+001E (the extractor's text holds neither: normalization drops C0
// controls other than tab and newline).
std::vector<std::vector<std::string>> Unpack(std::string_view packed) {
  std::vector<std::vector<std::string>> out;
  if (packed.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t end = packed.find('\x1e', start);
    const std::string_view entry = packed.substr(start, end == std::string_view::npos ? end : end - start);
    std::vector<std::string> fields;
    size_t field_start = 0;
    while (true) {
      const size_t field_end = entry.find('\x1f', field_start);
      fields.emplace_back(entry.substr(field_start, field_end == std::string_view::npos
                                                        ? field_end
                                                        : field_end - field_start));
      if (field_end == std::string_view::npos) break;
      field_start = field_end + 1;
    }
    out.push_back(std::move(fields));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

assess::StatusJudgement JudgementOf(std::string_view status, std::string_view rule,
                                    std::string_view evidence) {
  assess::StatusJudgement j;
  j.status = assess::ParseStatus(status).value_or(assess::AnswerStatus::kImplemented);
  j.rule = std::string(rule);
  j.evidence = std::string(evidence);
  return j;
}

std::string ColumnStatusesJson(const std::vector<assess::StatusJudgement>& columns) {
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (const assess::StatusJudgement& c : columns) {
    json.BeginObject();
    json.Key("status").String(assess::StatusName(c.status));
    json.Key("rule").String(c.rule);
    json.Key("evidence").String(c.evidence);
    json.EndObject();
  }
  json.EndArray();
  return out;
}

#define FISCDEX_PACKED_COLUMNS(c)                                                          \
  "(SELECT group_concat(ifnull(json_extract(value, '$.header'), '') || char(31) || "      \
  "ifnull(json_extract(value, '$.text'), ''), char(30)) FROM json_each(" c ".columns))"
#define FISCDEX_PACKED_COLUMN_STATUSES(s)                                                   \
  "(SELECT group_concat(json_extract(value, '$.status') || char(31) || "                   \
  "json_extract(value, '$.rule') || char(31) || json_extract(value, '$.evidence'), char(30)) " \
  "FROM json_each(" s ".column_statuses))"

}  // namespace

Status Index::Impl::PrepareAssessmentStatements() {
  sqlite3* h = db.get();
  ASSIGN_OR_RETURN(insert_status,
                   Statement::Prepare(h,
                                      "INSERT OR REPLACE INTO statuses(record_id, status, rule, "
                                      "evidence, column_statuses) VALUES (?1, ?2, ?3, ?4, ?5)"));
  ASSIGN_OR_RETURN(previous_declared_vendor,
                   Statement::Prepare(h, "SELECT declared_vendor FROM documents WHERE path = ?1"));
  return Status::Ok();
}

Status Index::Impl::InsertStatus(int64_t record_row, const assess::RecordAssessment& assessed) {
  Statement& stmt = insert_status;
  RETURN_IF_ERROR(stmt.BindInt64(1, record_row));
  RETURN_IF_ERROR(stmt.BindText(2, assess::StatusName(assessed.record.status)));
  RETURN_IF_ERROR(stmt.BindText(3, assessed.record.rule));
  // Bound text is not copied: it must live until Run.
  const std::optional<std::string> evidence =
      assessed.record.evidence.empty() ? std::nullopt
                                       : std::optional<std::string>(assessed.record.evidence);
  RETURN_IF_ERROR(stmt.BindOptionalText(4, evidence));
  std::string columns;
  if (assessed.columns.empty()) {
    RETURN_IF_ERROR(stmt.BindNull(5));
  } else {
    columns = ColumnStatusesJson(assessed.columns);
    RETURN_IF_ERROR(stmt.BindText(5, columns));
  }
  return stmt.Run();
}

Status Index::Impl::RefreshAssessment() {
  sqlite3* h = db.get();
  RETURN_IF_ERROR(Exec(h, "DELETE FROM statuses"));
  ASSIGN_OR_RETURN(
      Statement rows,
      Statement::Prepare(h,
                         "SELECT c.id, c.document_id, c.criterion_id, c.title, c.answer, "
                         FISCDEX_PACKED_COLUMNS("c") ", d.title, d.vendor "
                         "FROM criteria c JOIN documents d ON d.id = c.document_id "
                         "ORDER BY c.document_id, c.seq",
                         false));
  std::vector<std::pair<int64_t, std::string>> content_keys;
  int64_t current_document = -1;
  assess::ContentKeyBuilder key;
  assess::DocumentContext context;
  int64_t records = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows.Step());
    const int64_t document = row ? rows.ColumnInt64(1) : -1;
    if (document != current_document) {
      if (current_document >= 0) content_keys.emplace_back(current_document, key.Finish());
      current_document = document;
      if (row) {
        extract::DocumentMetadata metadata;
        metadata.title = rows.ColumnOptionalText(6);
        metadata.vendor = rows.ColumnOptionalText(7);
        context = assess::ContextOf(metadata);
      }
    }
    if (!row) break;
    extract::CriterionRecord record;
    record.id = std::string(rows.ColumnText(2));
    record.title = rows.ColumnOptionalText(3);
    record.answer = std::string(rows.ColumnText(4));
    for (std::vector<std::string>& fields : Unpack(rows.ColumnText(5))) {
      fields.resize(2);
      record.columns.push_back({std::move(fields[0]), std::move(fields[1])});
    }
    key.Add(record.id, record.answer);
    RETURN_IF_ERROR(InsertStatus(rows.ColumnInt64(0), assess::AssessRecord(record, context)));
    ++records;
  }
  ASSIGN_OR_RETURN(Statement update,
                   Statement::Prepare(h, "UPDATE documents SET content_key = ?2 WHERE id = ?1", false));
  for (const auto& [document, content_key] : content_keys) {
    RETURN_IF_ERROR(update.BindInt64(1, document));
    RETURN_IF_ERROR(update.BindText(2, content_key));
    RETURN_IF_ERROR(update.Run());
  }
  ASSIGN_OR_RETURN(Statement meta,
                   Statement::Prepare(h,
                                      "INSERT OR REPLACE INTO meta(key, value) "
                                      "VALUES ('assessment', ?1)",
                                      false));
  stored_assessment = std::to_string(assess::kStatusRulesVersion);
  RETURN_IF_ERROR(meta.BindText(1, stored_assessment));
  RETURN_IF_ERROR(meta.Run());
  Log(LogLevel::kInfo, "worked out the status of " + std::to_string(records) + " records with " +
                           "status rules version " + stored_assessment);
  return Status::Ok();
}

std::optional<std::string> Index::AssessmentStale() const {
  if (impl_->stored_assessment == std::to_string(assess::kStatusRulesVersion)) return std::nullopt;
  return "the statuses in this index were worked out by other status rules (version " +
         (impl_->stored_assessment.empty() ? std::string("none") : impl_->stored_assessment) +
         ", this fiscdex has " + std::to_string(assess::kStatusRulesVersion) +
         "): open it once with write access (any ingest) to bring them up to date";
}

Status Index::SetDeclaredVendor(const std::string& path, const std::string& vendor) {
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());
  ASSIGN_OR_RETURN(Statement stmt,
                   Statement::Prepare(s.db.get(),
                                      "UPDATE documents SET declared_vendor = ?2 WHERE path = ?1",
                                      false));
  RETURN_IF_ERROR(stmt.BindText(1, path));
  RETURN_IF_ERROR(stmt.BindText(2, vendor));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(s.db.get()) == 0) return Status::NotFound("not in the index: " + path);
  return txn ? txn->Commit() : Status::Ok();
}

Result<std::vector<StoredRecord>> Index::Records(const RecordQuery& query) {
  std::optional<std::string> family;
  if (query.family) {
    ASSIGN_OR_RETURN(family, CanonicalFamily(*query.family));
  }
  std::optional<std::string> ids;
  if (query.document_ids) {
    ids = "[";
    for (size_t i = 0; i < query.document_ids->size(); ++i) {
      if (i > 0) *ids += ',';
      *ids += std::to_string((*query.document_ids)[i]);
    }
    *ids += ']';
  }
  const std::string text_columns =
      query.with_text ? std::string("c.title, c.answer, ") + FISCDEX_PACKED_COLUMNS("c") + ", " +
                            FISCDEX_PACKED_COLUMN_STATUSES("s") +
                            ", (SELECT group_concat(value, char(31)) FROM json_each(c.group_ids))"
                      : std::string("c.title, '', NULL, NULL, NULL");
  // The family test is the one of search's RecordFilter: the letters before
  // the number. The document test is left out rather than written "?1 IS
  // NULL OR ...": that OR kept SQLite from the index on document_id, and
  // reading one document's records scanned every record of the index.
  const std::string sql =
      "SELECT c.document_id, c.seq, c.criterion_id, c.page, s.status, s.rule, "
      "ifnull(s.evidence, ''), " +
      text_columns +
      " FROM criteria c JOIN statuses s ON s.record_id = c.id WHERE " +
      (ids ? "c.document_id IN (SELECT value FROM json_each(?1)) " : "?1 IS NULL ") +
      "AND (?2 IS NULL OR (c.criterion_id > ?2 AND c.criterion_id < ?2 || char(1114111) AND "
      "substr(c.criterion_id, length(?2) + 1, 1) BETWEEN '0' AND '9')) "
      "AND (?3 IS NULL OR s.status = ?3) "
      "ORDER BY c.document_id, c.seq";
  ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(impl_->db.get(), sql.c_str(), false));
  RETURN_IF_ERROR(stmt.BindOptionalText(1, ids));
  RETURN_IF_ERROR(stmt.BindOptionalText(2, family));
  const std::optional<std::string> status =
      query.status ? std::optional<std::string>(std::string(assess::StatusName(*query.status)))
                   : std::nullopt;
  RETURN_IF_ERROR(stmt.BindOptionalText(3, status));
  std::vector<StoredRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    StoredRecord r;
    r.document_id = stmt.ColumnInt64(0);
    r.seq = stmt.ColumnInt(1);
    r.criterion_id = std::string(stmt.ColumnText(2));
    r.page = stmt.ColumnInt(3);
    r.status = JudgementOf(stmt.ColumnText(4), stmt.ColumnText(5), stmt.ColumnText(6));
    r.title = stmt.ColumnOptionalText(7);
    r.answer = std::string(stmt.ColumnText(8));
    if (query.with_text) {
      const auto columns = Unpack(stmt.ColumnText(9));
      const auto statuses = Unpack(stmt.ColumnText(10));
      for (size_t i = 0; i < columns.size(); ++i) {
        StoredColumn column;
        column.header = columns[i].size() > 0 ? columns[i][0] : "";
        column.text = columns[i].size() > 1 ? columns[i][1] : "";
        if (i < statuses.size() && statuses[i].size() == 3) {
          column.status = JudgementOf(statuses[i][0], statuses[i][1], statuses[i][2]);
        }
        r.columns.push_back(std::move(column));
      }
      for (auto& fields : Unpack(stmt.ColumnText(11))) {
        for (auto& id : fields) r.group.push_back(std::move(id));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace fiscdex::index
