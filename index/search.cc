// Reading the index: full-text search, the answers to one criterion and the
// list of documents (index/index.h). doc/schema.md, "Searching", describes
// the steps of a search; Index::Search below runs them in that order.
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "extract/extract.h"
#include "index/index.h"
#include "index/index_impl.h"
#include "index/query.h"
#include "index/synonyms.h"
#include "index/snippet.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {
namespace {

// Column weights of criteria_fts (title, answer) for bm25(): a term in the
// criterion's own title says what the criterion is about, so it counts
// double.
constexpr char kCriteriaWeights[] = "2.0, 1.0";
// A criterion record's BM25 score is multiplied by this before it is
// merged with passages' scores: a record is the vendor's answer to a
// criterion, what a search is for, and a passage is running text around
// it. The two tables' BM25 statistics (row count, mean length) differ, so a
// passage holding a record's very text can score a little above it without
// this; 1.5 puts the record first in the corpus's cases with room to spare,
// and still lets a passage with many more matches outrank a record.
constexpr double kRecordWeight = 1.5;
// Characters of text around the matches in a snippet (index/snippet.h),
// and of a title shown before an answer's snippet when both match.
constexpr size_t kSnippetChars = 80;
constexpr size_t kTitleSnippetChars = 30;
// Characters of answer shown for a hit found by criterion ID (no FTS match
// to centre a snippet on).
constexpr size_t kIdSnippetChars = 100;

// Parameters every filtered statement takes, by number: ?10 is 1 when any
// filter is set (so that an unfiltered search skips the filter subquery),
// then the filters of SearchOptions, NULL when not set.
enum FilterParameter {
  kAnyFilter = 10,
  kVendor = 11,
  kPath = 12,
  kEdition = 13,
  kCriterionId = 14,
  kFamily = 15,
  kStatus = 17,       // ?16 is taken by count_matches
  kDocumentIds = 18,  // a JSON array of documents.id
};

// The filters on a document row aliased `d`.
std::string DocumentFilter(const std::string& d) {
  return "(?11 IS NULL OR " + d + ".vendor = ?11) AND (?12 IS NULL OR " + d +
         ".path = ?12) AND (?13 IS NULL OR " + d + ".edition = ?13) AND (?18 IS NULL OR " + d +
         ".id IN (SELECT value FROM json_each(?18)))";
}

// The filters on a criteria row aliased `c`. A family is the letters before
// the number: 実 takes 実8 and 実25-1, not 実務8 (no such ID is canonical).
std::string RecordFilter(const std::string& c) {
  return "(?14 IS NULL OR " + c + ".criterion_id = ?14) AND (?15 IS NULL OR (" + c +
         ".criterion_id > ?15 AND " + c + ".criterion_id < ?15 || char(1114111) AND substr(" +
         c + ".criterion_id, length(?15) + 1, 1) BETWEEN '0' AND '9')) AND (?17 IS NULL OR " + c +
         ".id IN (SELECT record_id FROM statuses WHERE status = ?17))";
}

bool HasRecordFilter(const SearchOptions& options) {
  return options.criterion_id.has_value() || options.family.has_value() ||
         options.status.has_value();
}

// Whether the statement takes parameter ?n: a statement over passages has
// no record filter, and only count_matches has ?16.
bool Takes(const Statement& stmt, int n) {
  return sqlite3_bind_parameter_name(stmt.get(), n) != nullptr;
}

Status BindFilters(Statement* stmt, const SearchOptions& options) {
  const bool any = options.vendor || options.document || options.edition ||
                   options.document_ids || HasRecordFilter(options);
  if (Takes(*stmt, kAnyFilter)) RETURN_IF_ERROR(stmt->BindInt64(kAnyFilter, any ? 1 : 0));
  RETURN_IF_ERROR(stmt->BindOptionalText(kVendor, options.vendor));
  RETURN_IF_ERROR(stmt->BindOptionalText(kPath, options.document));
  RETURN_IF_ERROR(stmt->BindOptionalInt(kEdition, options.edition));
  if (options.document_ids) {
    std::string ids = "[";
    for (size_t i = 0; i < options.document_ids->size(); ++i) {
      if (i > 0) ids += ',';
      ids += std::to_string((*options.document_ids)[i]);
    }
    ids += ']';
    // Bound as a copy: the string dies with this call.
    if (sqlite3_bind_text(stmt->get(), kDocumentIds, ids.data(), static_cast<int>(ids.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
      return Status::Internal("cannot bind the document filter");
    }
  } else {
    RETURN_IF_ERROR(stmt->BindNull(kDocumentIds));
  }
  if (!Takes(*stmt, kFamily)) return Status::Ok();
  RETURN_IF_ERROR(stmt->BindOptionalText(kCriterionId, options.criterion_id));
  RETURN_IF_ERROR(stmt->BindOptionalText(kFamily, options.family));
  if (options.status) {
    RETURN_IF_ERROR(stmt->BindText(kStatus, assess::StatusName(*options.status)));
  } else {
    RETURN_IF_ERROR(stmt->BindNull(kStatus));
  }
  return Status::Ok();
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

// The first `max_chars` characters of `text` on one line, "…" if cut.
std::string Prefix(std::string_view text, size_t max_chars) {
  size_t i = 0;
  size_t chars = 0;
  while (i < text.size() && chars < max_chars) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  std::string out(text.substr(0, i));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (i < text.size()) out += "…";
  return out;
}


}  // namespace

Result<std::string> CanonicalFamily(const std::string& family) {
  // A family is what a criterion ID has before its number: 実 of 実8.
  std::optional<std::string> id = extract::ParseCriterionId(family + "1");
  if (!id || !id->ends_with("1") || id->size() < 2 ||
      id->find_first_of("0123456789") != id->size() - 1) {
    return Status::InvalidArgument("not a criterion family: '" + family +
                                   "' (the letters of an ID before its number, e.g. 実)");
  }
  return id->substr(0, id->size() - 1);
}

Status Index::Impl::PrepareSearchStatements() {
  sqlite3* h = db.get();
  ASSIGN_OR_RETURN(list_documents,
                   Statement::Prepare(h,
                                      "SELECT path, format, encoding, vendor, edition, date, "
                                      "record_count, passage_count, id, title, declared_vendor, "
                                      "content_key, page_count FROM documents ORDER BY path"));
  // Documents without a vendor sort after those with one.
  ASSIGN_OR_RETURN(
      answers_for,
      Statement::Prepare(h,
                         "SELECT d.path, coalesce(d.declared_vendor, d.vendor), c.criterion_id, c.title, c.answer, "
                         "(SELECT group_concat(value, char(31)) FROM json_each(c.group_ids)), "
                         "c.page, s.status, s.rule, ifnull(s.evidence, ''), d.id "
                         "FROM criteria c JOIN documents d ON d.id = c.document_id "
                         "LEFT JOIN statuses s ON s.record_id = c.id "
                         "WHERE c.criterion_id = ?1 "
                         "ORDER BY coalesce(d.declared_vendor, d.vendor) IS NULL, coalesce(d.declared_vendor, d.vendor), d.path, c.seq"));
  // Step 1, a query that is a criterion ID: the inner query picks the first
  // ?2 records by vendor and path from the covering index criteria_by_id;
  // only those rows are then read whole.
  ASSIGN_OR_RETURN(
      search_ids,
      Statement::Prepare(h,
                         "SELECT c.id, d.path, coalesce(d.declared_vendor, d.vendor), c.criterion_id, c.page, "
                         "c.source_begin, c.answer, c.title FROM "
                         "(SELECT k.id AS row, coalesce(kd.declared_vendor, kd.vendor) IS NULL AS no_vendor, coalesce(kd.declared_vendor, kd.vendor) AS "
                         "vendor, kd.path AS path, k.seq AS seq FROM criteria k "
                         "JOIN documents kd ON kd.id = k.document_id WHERE k.criterion_id = ?1 "
                         "AND " + DocumentFilter("kd") + " AND " + RecordFilter("k") +
                         " ORDER BY no_vendor, vendor, path, seq LIMIT ?2) AS m "
                         "JOIN criteria c ON c.id = m.row JOIN documents d ON d.id = c.document_id "
                         "ORDER BY m.no_vendor, m.vendor, m.path, m.seq"));
  // Step 2, ranking. BM25 over every match: the innermost query scores each
  // row (reading no text, only the row's length and the match positions);
  // the filters are a set of allowed rows built once (`+rowid` keeps SQLite
  // from driving the FTS table with that set, one lookup per row). Rows of
  // equal score (the same passage in the HTML and the PDF of one
  // whitepaper) are ordered by path and place, never by rowid: rowids
  // follow the order a parallel ingest happened to commit in, and the same
  // corpus must give the same hits. rank() keeps every row tied with the
  // last one kept, so which of them survive the cut does not depend on
  // rowids either. Only the rows kept (?2) are read from the content tables.
  static constexpr char kPlace[] = "rank() OVER (ORDER BY score DESC) AS place";
  const std::string criteria_ranked =
      std::string("(SELECT row, score FROM (SELECT row, score, ") + kPlace +
      " FROM (SELECT rowid AS row, -bm25(criteria_fts, " + kCriteriaWeights + ") * " +
      std::to_string(kRecordWeight) +
      " AS score FROM criteria_fts WHERE criteria_fts MATCH ?1 AND (?10 = 0 OR +rowid IN "
      "(SELECT c.id FROM criteria c JOIN documents d ON d.id = c.document_id WHERE " +
      DocumentFilter("d") + " AND " + RecordFilter("c") + ")))) WHERE place <= ?2) AS m";
  ASSIGN_OR_RETURN(search_criteria,
                   Statement::Prepare(h,
                                      "SELECT c.id, d.path, coalesce(d.declared_vendor, d.vendor), c.criterion_id, "
                                      "c.page, c.source_begin, c.answer, c.title, m.score "
                                      "FROM " +
                                          criteria_ranked +
                                          " JOIN criteria c ON c.id = m.row "
                                          "JOIN documents d ON d.id = c.document_id "
                                          "ORDER BY m.score DESC, d.path, c.seq"));
  // Step 3 in the same statement: a passage that repeats a record of its
  // page (passage_repeats, filled when the document was written) goes when
  // that record is a hit itself, matching the query's text (?1) or its ID
  // (?9). The ranking gives rowids and scores only; the rows kept are then
  // read whole by id.
  ASSIGN_OR_RETURN(search_passages,
                   Statement::Prepare(h,
                                      "SELECT rowid, -bm25(passages_fts) AS score FROM "
                                      "passages_fts WHERE passages_fts MATCH ?1 AND (?10 = 0 OR "
                                      "+rowid IN (SELECT p.id FROM passages p JOIN documents d "
                                      "ON d.id = p.document_id WHERE " +
                                          DocumentFilter("d") +
                                          ")) AND NOT EXISTS (SELECT 1 FROM passage_repeats r "
                                          "JOIN criteria rc ON rc.id = r.record_id WHERE "
                                          "r.passage_id = passages_fts.rowid AND "
                                          "(rc.criterion_id = ?9 OR r.record_id IN (SELECT "
                                          "rowid FROM criteria_fts WHERE criteria_fts MATCH "
                                          "?1))) ORDER BY score DESC"));
  ASSIGN_OR_RETURN(read_passage,
                   Statement::Prepare(h,
                                      "SELECT d.path, coalesce(d.declared_vendor, d.vendor), p.page, p.source_begin, "
                                      "p.text FROM passages p "
                                      "JOIN documents d ON d.id = p.document_id WHERE p.id = ?1"));
  // Counting: records matching by text or by ID (?9), passages unless a
  // record filter excludes them (?16), and their documents.
  ASSIGN_OR_RETURN(
      count_matches,
      Statement::Prepare(
          h, "WITH r AS (SELECT c.id, c.document_id FROM criteria c JOIN documents d ON "
             "d.id = c.document_id WHERE c.id IN (SELECT rowid FROM criteria_fts WHERE "
             "criteria_fts MATCH ?1 UNION SELECT id FROM criteria WHERE criterion_id = ?9) AND " +
                 DocumentFilter("d") + " AND " + RecordFilter("c") +
                 "), p AS (SELECT p.id, p.document_id FROM passages p JOIN documents d ON "
                 "d.id = p.document_id WHERE ?16 = 1 AND p.id IN (SELECT rowid FROM passages_fts "
                 "WHERE passages_fts MATCH ?1) AND " +
                 DocumentFilter("d") +
                 ") SELECT (SELECT count(*) FROM (SELECT document_id FROM r UNION "
                 "SELECT document_id FROM p)), (SELECT count(*) FROM r), "
                 "(SELECT count(*) FROM p)"));
  return Status::Ok();
}

namespace {

// A hit before merging, with what ordering ties and snippets need.
struct Candidate {
  SearchHit hit;
  int64_t row = 0;  // criteria.id or passages.id
  size_t source_begin = 0;
  std::string text;   // the answer or the passage text
  std::string title;  // a record's title
  bool is_criterion = false;
};

// Reads a criterion row of search_ids or search_criteria: id, path, vendor,
// criterion_id, page, source_begin, answer, title.
Candidate ReadCriterion(const Statement& stmt) {
  Candidate c;
  c.is_criterion = true;
  c.row = stmt.ColumnInt64(0);
  c.hit.document = std::string(stmt.ColumnText(1));
  c.hit.vendor = stmt.ColumnOptionalText(2);
  c.hit.criterion_id = std::string(stmt.ColumnText(3));
  c.hit.page = stmt.ColumnInt(4);
  c.source_begin = static_cast<size_t>(stmt.ColumnInt64(5));
  c.text = std::string(stmt.ColumnText(6));
  c.title = std::string(stmt.ColumnText(7));
  return c;
}

// Checks the options and puts the IDs in canonical form.
Result<SearchOptions> ValidateOptions(const SearchOptions& given) {
  SearchOptions options = given;
  if (options.limit <= 0) return Status::InvalidArgument("search limit must be positive");
  if (options.offset < 0) return Status::InvalidArgument("search offset must not be negative");
  if (options.criterion_id) {
    std::optional<std::string> id = extract::ParseCriterionId(*options.criterion_id);
    if (!id) {
      return Status::InvalidArgument("not a criterion ID: '" + *options.criterion_id + "'");
    }
    options.criterion_id = *id;
  }
  if (options.family) {
    ASSIGN_OR_RETURN(options.family, CanonicalFamily(*options.family));
  }
  return options;
}

}  // namespace

Result<std::vector<SearchHit>> Index::Search(std::string_view query, int limit) {
  SearchOptions options;
  options.limit = limit;
  return Search(query, options);
}

Result<std::vector<SearchHit>> Index::Search(std::string_view query,
                                             const SearchOptions& given) {
  ASSIGN_OR_RETURN(const SearchOptions options, ValidateOptions(given));
  ASSIGN_OR_RETURN(std::string fts_query,
                   options.synonyms ? ToFtsQuery(query, *options.synonyms) : ToFtsQuery(query));
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(Transaction read, Transaction::BeginRead(s.db.get()));
  // The hits up to the end of the page asked for are ranked; the page is
  // cut from them.
  const int64_t wanted = static_cast<int64_t>(options.offset) + options.limit;

  // 1. A query that is a criterion ID: that criterion's records.
  const std::optional<std::string> query_id = extract::ParseCriterionId(query);
  std::vector<Candidate> id_hits;
  if (query_id) {
    Statement& stmt = s.search_ids;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, *query_id));
    RETURN_IF_ERROR(stmt.BindInt64(2, wanted));
    RETURN_IF_ERROR(BindFilters(&stmt, options));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Candidate c = ReadCriterion(stmt);
      c.hit.snippet = "«" + *c.hit.criterion_id + "» " + Prefix(c.text, kIdSnippetChars);
      id_hits.push_back(std::move(c));
    }
  }
  std::unordered_set<int64_t> id_rows;
  for (const Candidate& c : id_hits) id_rows.insert(c.row);

  // 2. The best `wanted` records by BM25 (every match ranked).
  std::vector<Candidate> records;
  {
    Statement& stmt = s.search_criteria;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, fts_query));
    RETURN_IF_ERROR(stmt.BindInt64(2, wanted));
    RETURN_IF_ERROR(BindFilters(&stmt, options));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Candidate c = ReadCriterion(stmt);
      c.hit.score = stmt.ColumnDouble(8);
      if (id_rows.count(c.row) == 0) records.push_back(std::move(c));
    }
  }

  // 2 and 3. The best passages that repeat no matching record. A record
  // filter leaves no passage (passages have no ID).
  std::vector<Candidate> passages;
  if (!HasRecordFilter(options)) {
    // Read in score order until `wanted` are kept and the next score is
    // below the last kept one: rows tied with it all come, and the merge
    // below orders ties by path and place, so which survive the cut does
    // not depend on rowids.
    Statement& stmt = s.search_passages;
    ScopedReset reset(&stmt);
    RETURN_IF_ERROR(stmt.BindText(1, fts_query));
    RETURN_IF_ERROR(stmt.BindOptionalText(9, query_id));
    RETURN_IF_ERROR(BindFilters(&stmt, options));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const double score = stmt.ColumnDouble(1);
      if (static_cast<int64_t>(passages.size()) >= wanted && score < passages.back().hit.score) {
        break;
      }
      Candidate c;
      c.row = stmt.ColumnInt64(0);
      c.hit.score = score;
      Statement& read_row = s.read_passage;
      ScopedReset reset_row(&read_row);
      RETURN_IF_ERROR(read_row.BindInt64(1, c.row));
      ASSIGN_OR_RETURN(bool found, read_row.Step());
      if (!found) return Status::Corrupt("passages_fts has a row that passages lacks");
      c.hit.document = std::string(read_row.ColumnText(0));
      c.hit.vendor = read_row.ColumnOptionalText(1);
      c.hit.page = read_row.ColumnInt(2);
      c.source_begin = static_cast<size_t>(read_row.ColumnInt64(3));
      c.text = std::string(read_row.ColumnText(4));
      passages.push_back(std::move(c));
    }
  }

  // Merge: ID hits first, then records and passages by score; ties by path
  // and place, as the statements order them.
  std::vector<Candidate*> ranked;
  for (Candidate& c : records) ranked.push_back(&c);
  for (Candidate& c : passages) ranked.push_back(&c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) {
    if (a->hit.score != b->hit.score) return a->hit.score > b->hit.score;
    if (a->hit.document != b->hit.document) return a->hit.document < b->hit.document;
    if (a->hit.page != b->hit.page) return a->hit.page < b->hit.page;
    return a->source_begin < b->source_begin;
  });
  double top_score = 0;
  for (const Candidate* c : ranked) top_score = std::max(top_score, c->hit.score);
  std::vector<Candidate*> merged;
  for (Candidate& c : id_hits) {
    c.hit.score = top_score + 1.0;
    merged.push_back(&c);
  }
  merged.insert(merged.end(), ranked.begin(), ranked.end());

  // 4. The page asked for, with snippets made for its hits only.
  const std::vector<QueryTerm> terms = PositiveTerms(fts_query);
  std::vector<SearchHit> hits;
  for (size_t i = static_cast<size_t>(options.offset);
       i < merged.size() && hits.size() < static_cast<size_t>(options.limit); ++i) {
    Candidate& c = *merged[i];
    if (!c.hit.snippet.empty()) {  // an ID hit
      hits.push_back(std::move(c.hit));
      continue;
    }
    const std::string answer = MarkMatches(c.text, terms);
    const std::string title = c.is_criterion ? MarkMatches(c.title, terms) : std::string();
    const bool answer_matches = answer.find(kMatchOpen) != std::string::npos;
    const bool title_matches = title.find(kMatchOpen) != std::string::npos;
    if (title_matches && answer_matches) {
      // The answer's matches, and the title's before them.
      c.hit.snippet = MakeSnippet(title, kTitleSnippetChars) + " — " +
                      MakeSnippet(answer, kSnippetChars);
    } else {
      c.hit.snippet = MakeSnippet(title_matches ? title : answer, kSnippetChars);
    }
    hits.push_back(std::move(c.hit));
  }
  RETURN_IF_ERROR(read.Commit());
  return hits;
}

Result<MatchCounts> Index::CountMatches(std::string_view query, const SearchOptions& given) {
  ASSIGN_OR_RETURN(const SearchOptions options, ValidateOptions(given));
  ASSIGN_OR_RETURN(std::string fts_query,
                   options.synonyms ? ToFtsQuery(query, *options.synonyms) : ToFtsQuery(query));
  Statement& stmt = impl_->count_matches;
  ScopedReset reset(&stmt);
  RETURN_IF_ERROR(stmt.BindText(1, fts_query));
  RETURN_IF_ERROR(stmt.BindOptionalText(9, extract::ParseCriterionId(query)));
  RETURN_IF_ERROR(BindFilters(&stmt, options));
  RETURN_IF_ERROR(stmt.BindInt64(16, HasRecordFilter(options) ? 0 : 1));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("counting matches returned nothing");
  MatchCounts counts;
  counts.documents = stmt.ColumnInt64(0);
  counts.records = stmt.ColumnInt64(1);
  counts.passages = stmt.ColumnInt64(2);
  return counts;
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
    a.status.status = assess::ParseStatus(stmt.ColumnText(7)).value_or(assess::AnswerStatus::kImplemented);
    a.status.rule = std::string(stmt.ColumnText(8));
    a.status.evidence = std::string(stmt.ColumnText(9));
    a.document_id = stmt.ColumnInt64(10);
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
    d.id = stmt.ColumnInt64(8);
    d.title = stmt.ColumnOptionalText(9);
    d.declared_vendor = stmt.ColumnOptionalText(10);
    d.content_key = std::string(stmt.ColumnText(11));
    d.page_count = stmt.ColumnInt(12);
    out.push_back(std::move(d));
  }
  return out;
}
}  // namespace fiscdex::index
