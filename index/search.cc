// Reading the index: full-text search, the answers to one criterion and the
// list of documents (index/index.h). doc/schema.md, "Searching", describes
// the steps of a search.
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "extract/extract.h"
#include "index/fts_tokenizer.h"
#include "index/index.h"
#include "index/index_impl.h"
#include "index/query.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {
namespace {

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

}  // namespace

Status Index::Impl::PrepareSearchStatements() {
  sqlite3* h = db.get();
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
}  // namespace fiscdex::index
