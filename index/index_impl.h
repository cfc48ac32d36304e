// Internal to the index library: what index/schema.cc, writer.cc, check.cc
// and search.cc share. Index::Impl is the connection and its prepared
// statements; each .cc prepares the statements it runs, next to the code
// that binds them.
#ifndef FISCDEX_INDEX_INDEX_IMPL_H_
#define FISCDEX_INDEX_INDEX_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/fts_tokenizer.h"
#include "index/index.h"
#include "index/mecab_segmenter.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {

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

struct Index::Impl {
  std::shared_ptr<MecabSegmenter> segmenter;
  // Shared with the connection's FTS5 tokenizers; AddDocument fills it on
  // several threads before the inserts tokenize (PrefillPieceCache).
  std::shared_ptr<PieceCache> piece_cache;
  int threads = 1;
  // meta 'dictionary': the segmenter identity the FTS tables were made
  // with ('' for an index older than schema version 3).
  std::string stored_dictionary;
  // False while stored_dictionary is not the segmenter's (and Open was not
  // told to allow it): AddDocument would mix two dictionaries' tokens.
  bool may_write_tokens = true;
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
  Statement insert_repeat;
  Statement list_documents;
  Statement answers_for;
  Statement insert_status;
  Statement previous_declared_vendor;
  // meta 'assessment': the status rules version of the stored statuses.
  std::string stored_assessment;
  Statement search_ids;
  Statement search_criteria;
  Statement search_passages;
  Statement read_passage;
  Statement count_matches;

  // Set while AddDocument inserts a document that came with its tokens.
  std::shared_ptr<PretokenizedTexts> pretokenized;

  // Prepare the statements of writer.cc and search.cc; Open calls both.
  Status PrepareWriteStatements();
  // The statements of assessment.cc (PrepareWriteStatements calls it).
  Status PrepareAssessmentStatements();
  // Stores the status of the record in row `record_row` (assessment.cc).
  Status InsertStatus(int64_t record_row, const assess::RecordAssessment& assessed);
  // Works out every record's status and every document's content key
  // again, in the caller's write transaction (assessment.cc).
  Status RefreshAssessment();
  Status PrepareSearchStatements();
  // Open between BeginBatch and CommitBatch/RollbackBatch.
  std::optional<Transaction> batch;
  // A transaction of its own for one write, or none inside a batch.
  Result<std::optional<Transaction>> BeginWrite();

  // The id of the document stored under `path`, and its content hash.
  Result<std::optional<int64_t>> FindDocument(const std::string& path, std::string* content_hash);
  Status DeleteDocument(int64_t id);
};

// The (passage, record) pairs of passage_repeats: a record of the passage's
// document and page whose source bytes overlap the passage's, or whose
// answer is the passage's text. The writer works them out the same way in
// C++ (RepeatPairs); the migration that made the table and Index::Check use
// this. A macro, to be joined to other SQL literals.
#define FISCDEX_PASSAGE_REPEATS_SELECT                                                 \
  "SELECT p.id, c.id FROM passages p JOIN criteria c "                                 \
  "ON c.document_id = p.document_id AND c.page = p.page "                              \
  "WHERE ((c.source_begin < c.source_end AND p.source_begin < p.source_end AND "       \
  "c.source_begin < p.source_end AND p.source_begin < c.source_end) OR "               \
  "(c.answer <> '' AND c.answer = p.text))"

// The canonical family of a --family argument (実務基準 → 実). Errors:
// InvalidArgument naming it.
Result<std::string> CanonicalFamily(const std::string& family);

// One MeCab model per process: loading the dictionary is the slow part of
// opening an index, and the segmenter is thread-safe.
Result<std::shared_ptr<MecabSegmenter>> SharedSegmenter();

// The one line Index::DictionaryMismatch and Open (for writing) report.
std::string DictionaryMismatchLine(const std::string& stored, const std::string& current);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_INDEX_IMPL_H_
