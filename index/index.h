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

#include "base/status.h"
#include "extract/record.h"
#include "normalize/normalize.h"

namespace fiscdex::index {

// Everything stored for one document.
struct DocumentInput {
  std::string path;
  std::string content_hash;
  std::string format;    // ingest::FormatName
  std::string encoding;
  uint64_t size_bytes = 0;
  int64_t mtime = 0;     // seconds since the epoch; 0 if unknown
  int page_count = 1;
  extract::DocumentMetadata metadata;
  std::vector<normalize::Passage> passages;
  std::vector<extract::CriterionRecord> records;
};

struct DocumentSummary {
  std::string path;
  std::string format;
  std::string encoding;
  std::optional<std::string> vendor;
  std::optional<int> edition;
  std::optional<std::string> date;
  int records = 0;
  int passages = 0;
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
  std::string document;
  std::optional<std::string> vendor;
  std::string id;
  std::optional<std::string> title;
  std::string answer;
  std::vector<std::string> group;
  int page = 1;
};

enum class AddOutcome { kAdded, kUpdated, kUnchanged };

class Index {
 public:
  // Opens or creates the index file. Errors: IoError (cannot open/create,
  // read-only where writing is needed), Corrupt (not a fiscdex index, or a
  // newer schema version), Internal (MeCab or its dictionary missing).
  static Result<std::unique_ptr<Index>> Open(const std::string& path);

  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // True when a document with this path and content hash is already stored.
  Result<bool> IsUnchanged(const std::string& path, const std::string& content_hash);

  // Stores one document in one transaction, replacing any earlier version of
  // the same path entirely (old passages and records go). On error the index
  // is as it was.
  Result<AddOutcome> AddDocument(const DocumentInput& doc);

  // BM25-ranked hits over passages and criterion records. The query is a list
  // of terms (AND), "quoted phrases" and OR between terms; width, case and
  // inflection do not matter. A query that is a criterion ID puts that
  // criterion's records first. Errors: InvalidArgument naming the problem
  // (unbalanced quote, stray operator, empty query).
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit);

  // Every indexed answer to one criterion (canonical ID), by document path.
  Result<std::vector<CriterionAnswer>> AnswersFor(const std::string& criterion_id);

  Result<std::vector<DocumentSummary>> ListDocuments();

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_INDEX_H_
