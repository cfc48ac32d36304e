// The index: one SQLite file (WAL) holding documents, passages and criterion
// records, with FTS5 over passages and over criterion titles and answers,
// tokenized by MeCab (index/fts_tokenizer.h). Schema: doc/schema.md.
//
// Thread safety: an Index is used by one thread at a time. Several processes
// may open the same file; readers never block the writer (WAL).
#ifndef FISCDEX_INDEX_INDEX_H_
#define FISCDEX_INDEX_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assess/status.h"
#include "base/status.h"
#include "extract/record.h"
#include "normalize/normalize.h"

namespace fiscdex::index {

// A document's search tokens, made ahead of time by a DocumentTokenizer.
struct DocumentTokens;

// Everything stored for one document.
struct DocumentInput {
  std::string path;
  std::string content_hash;
  std::string format;    // ingest::FormatName
  std::string encoding;
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;  // nanoseconds since the epoch; 0 if unknown
  int page_count = 1;
  extract::DocumentMetadata metadata;
  // The vendor given at ingest (--as VENDOR): overrides metadata.vendor for
  // versions and views. Null keeps what an earlier ingest of the same path
  // declared.
  std::optional<std::string> declared_vendor;
  std::vector<normalize::Passage> passages;
  std::vector<extract::CriterionRecord> records;
  // Null: AddDocument tokenizes the texts itself.
  std::shared_ptr<const DocumentTokens> tokens;
};

// What the index knows of a stored document's file: enough to tell, without
// reading the file, whether it changed (size and mtime), and by content
// hash whether a new file is an old one moved.
struct StoredFile {
  std::string path;
  std::string content_hash;
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;
};

// What `fiscdex check` found.
struct CheckReport {
  int64_t documents = 0;
  int64_t passages = 0;
  int64_t records = 0;
  std::vector<std::string> problems;  // one line each; empty when the index is sound
};

struct OpenOptions {
  // Refuse an index that cannot be written (read-only file or folder) at
  // once, instead of at the first write.
  bool for_writing = false;
  // Threads AddDocument segments a document on when it has no tokens; 0:
  // one per core, at most 4.
  int tokenizer_threads = 0;
  // Open for writing even when the index was tokenised with another
  // dictionary than the one at hand (see Index::DictionaryMismatch): only
  // for Reindex, which makes the two agree again.
  bool allow_other_dictionary = false;
};

struct DocumentSummary {
  int64_t id = 0;
  std::string path;
  std::optional<std::string> title;
  std::optional<std::string> declared_vendor;
  std::string content_key;  // assess::ContentKeyBuilder over its records
  int page_count = 1;
  std::string format;
  std::string encoding;
  std::optional<std::string> vendor;
  std::optional<int> edition;
  std::optional<std::string> date;
  int records = 0;
  int passages = 0;
};

// What Search and CountMatches look at, and which of the ranked hits
// Search returns. The filters narrow the matches before they are ranked:
// a page of hits is the same page of the filtered ranking, never a filtered
// page of the whole one.
class Synonyms;  // index/synonyms.h

struct SearchOptions {
  int limit = 10;   // at most this many hits (> 0)
  int offset = 0;   // skip the best `offset` hits first (>= 0): paging
  std::optional<std::string> vendor;    // documents.vendor, exactly
  std::optional<std::string> document;  // documents.path, exactly
  std::optional<int> edition;           // documents.edition
  // Criterion records only (passages have no ID): one canonical ID (実8),
  // or one family, the letters before the number (実: 実1, 実8, 実25-1 ...).
  std::optional<std::string> criterion_id;
  std::optional<std::string> family;
  // Criterion records of this status only (passages have none).
  std::optional<assess::AnswerStatus> status;
  // Only these documents (documents.id); null: all. Views pass the latest
  // version of each whitepaper here (assess/versions.h).
  std::optional<std::vector<int64_t>> document_ids;
  // The synonym groups a term is widened to (owned by the caller); null: the
  // default list (data/synonyms.txt).
  const Synonyms* synonyms = nullptr;
};

// How many rows of the index match a query under SearchOptions' filters
// (limit and offset play no part).
struct MatchCounts {
  int64_t documents = 0;  // documents with a matching record or passage
  int64_t records = 0;    // matching criterion records (by text or by ID)
  // Matching passages, also those that repeat a record's text (which
  // Search does not show as hits of their own).
  int64_t passages = 0;
};

struct SearchHit {
  std::string document;                   // path
  std::optional<std::string> vendor;
  std::optional<std::string> criterion_id;  // null for a passage that is no record
  int page = 1;
  std::string snippet;                    // matches marked «like this»
  double score = 0;                       // higher is better
};

struct CriterionAnswer {
  int64_t document_id = 0;
  std::string document;
  std::optional<std::string> vendor;
  std::string id;
  std::optional<std::string> title;
  std::string answer;
  std::vector<std::string> group;
  int page = 1;
  assess::StatusJudgement status;
};

// A stored record with its assessment, for the views (coverage, criteria,
// diff, export).
struct StoredColumn {
  std::string header;
  std::string text;
  assess::StatusJudgement status;
};
struct StoredRecord {
  int64_t document_id = 0;
  int seq = 0;
  std::string criterion_id;
  std::optional<std::string> title;
  std::string answer;  // empty unless RecordQuery::with_text
  std::vector<std::string> group;
  int page = 1;
  assess::StatusJudgement status;
  std::vector<StoredColumn> columns;  // only with_text
};
struct RecordQuery {
  std::optional<std::vector<int64_t>> document_ids;  // null: all documents
  std::optional<std::string> family;                 // 実 (as SearchOptions::family)
  std::optional<assess::AnswerStatus> status;
  // Answers, titles and columns too; without, only IDs and statuses (what
  // coverage needs, a tenth of the bytes).
  bool with_text = true;
};

enum class AddOutcome { kAdded, kUpdated, kUnchanged };

class Index {
 public:
  // Opens or creates the index file; an index made by an older fiscdex is
  // upgraded to this schema version in one transaction. Errors: IoError
  // (cannot open/create, read-only where writing is needed, including an old
  // index that cannot be upgraded), Corrupt (not a fiscdex index, or a newer
  // schema version), Internal (MeCab or its dictionary missing).
  static Result<std::unique_ptr<Index>> Open(const std::string& path,
                                             const OpenOptions& options = {});

  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Every stored document's path, hash, size and mtime, by path.
  Result<std::vector<StoredFile>> ListStoredFiles();

  // Stores one document in one transaction, replacing any earlier version of
  // the same path entirely (old passages and records go). On error the index
  // is as it was.
  Result<AddOutcome> AddDocument(const DocumentInput& doc);

  // Records a new size and mtime for a stored document whose content did
  // not change (a file touched or rewritten with the same bytes).
  Status UpdateFileStat(const std::string& path, uint64_t size_bytes, int64_t mtime_ns);

  // Gives the document stored under `from` the path `to` (a file moved or
  // renamed): its records stay, nothing is extracted again. A document
  // already stored under `to` is replaced. One transaction. Errors:
  // NotFound when nothing is stored under `from`.
  Status MoveDocument(const std::string& from, const std::string& to, uint64_t size_bytes,
                      int64_t mtime_ns);

  // Removes a document with its passages and records. Errors: NotFound.
  Status RemoveDocument(const std::string& path);

  // Groups the writes that follow (the four above) into one transaction,
  // until CommitBatch. FTS5 then writes one segment for the group instead of
  // one per document and merges far less: most of the writer's time at
  // scale. Every document is still all or nothing, and readers see the
  // group at once. A write that fails inside a batch may have left part of
  // its rows: the caller must RollbackBatch, which undoes the whole group
  // (the index is then as before BeginBatch), and may redo the group's
  // documents one by one.
  Status BeginBatch();
  Status CommitBatch();  // on error the group is rolled back
  void RollbackBatch();

  // Verifies the index: SQLite's integrity check and foreign keys, FTS5's
  // integrity check of both full-text tables against their content, and
  // that every document has all its passages and records (the counts stored
  // with it, numbered without gaps). Problems are reported, not returned as
  // errors; an error means the check itself could not run.
  Result<CheckReport> Check();

  // Hits over passages and criterion records, ranked by BM25 over every
  // match (criteria: title weighted above answer; a record's score counts
  // more than a passage's, doc/schema.md says how much), with snippets
  // centred on the matches. The query is a list of terms (AND), "quoted
  // phrases" and OR between terms; width, case and inflection do not
  // matter. A query that is a criterion ID puts that criterion's records
  // first. A passage that repeats a matching record of its document (same
  // page, same place or text) is not a hit of its own. Errors:
  // InvalidArgument naming the problem (unbalanced quote, stray operator,
  // empty query, limit < 1, offset < 0, a --family that is no family).
  Result<std::vector<SearchHit>> Search(std::string_view query, const SearchOptions& options);
  // The best `limit` hits, no filter.
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit);

  // The number of matching documents, records and passages (the filters of
  // `options` apply). Errors: as Search.
  Result<MatchCounts> CountMatches(std::string_view query, const SearchOptions& options);

  // Null when the index was tokenised with the MeCab dictionary this
  // fiscdex segments queries with (MecabSegmenter::dictionary()); else one
  // line saying what the index was made with, what is here now, and that
  // `fiscdex reindex` re-tokenises it. Searching such an index may miss
  // what it holds; Open refuses to write to it (OpenOptions::for_writing)
  // unless OpenOptions::allow_other_dictionary.
  std::optional<std::string> DictionaryMismatch() const;

  // Re-tokenises both full-text tables from their content tables with the
  // dictionary at hand (FTS5 'rebuild'), and records that dictionary, in
  // one transaction: on error the index is as it was. Takes as long as
  // tokenising every passage and record again.
  Status Reindex();

  // Every indexed answer to one criterion (canonical ID), by document path.
  Result<std::vector<CriterionAnswer>> AnswersFor(const std::string& criterion_id);

  Result<std::vector<DocumentSummary>> ListDocuments();

  // Stored records with their statuses, by document then record order.
  // Errors: InvalidArgument for a family that is no family.
  Result<std::vector<StoredRecord>> Records(const RecordQuery& query);

  // Declares the vendor of a stored document (ingest --as on a file that
  // did not change). Errors: NotFound.
  Status SetDeclaredVendor(const std::string& path, const std::string& vendor);

  // Null when the statuses stored were worked out by the status rules of
  // this fiscdex (assess::kStatusRulesVersion); else one line saying they
  // are older. Open brings them up to date whenever it may write; a
  // read-only index keeps the old ones.
  std::optional<std::string> AssessmentStale() const;

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Makes documents' search tokens on a thread other than the writer's (an
// ingest runs one per worker), so that AddDocument only stores them: MeCab
// is most of the cost of indexing. Not thread-safe: one per thread.
class DocumentTokenizer {
 public:
  // Errors: Internal (MeCab or its dictionary missing).
  static Result<std::unique_ptr<DocumentTokenizer>> Create();
  ~DocumentTokenizer();
  DocumentTokenizer(const DocumentTokenizer&) = delete;
  DocumentTokenizer& operator=(const DocumentTokenizer&) = delete;

  // The tokens of every passage, title and answer of `doc`, for
  // DocumentInput::tokens. Errors: Internal (MeCab or ICU failed).
  Result<std::shared_ptr<const DocumentTokens>> Tokenize(const DocumentInput& doc);

 private:
  struct Impl;
  explicit DocumentTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_INDEX_H_
