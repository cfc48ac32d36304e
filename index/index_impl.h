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
  Statement list_documents;
  Statement answers_for;
  Statement search_ids;
  Statement search_criteria;
  Statement search_passages;
  Statement read_passage;
  Statement records_near;
  Statement record_matches;
  Statement count_matches;

  // Set while AddDocument inserts a document that came with its tokens.
  std::shared_ptr<PretokenizedTexts> pretokenized;

  // Prepare the statements of writer.cc and search.cc; Open calls both.
  Status PrepareWriteStatements();
  Status PrepareSearchStatements();
  // Open between BeginBatch and CommitBatch/RollbackBatch.
  std::optional<Transaction> batch;
  // A transaction of its own for one write, or none inside a batch.
  Result<std::optional<Transaction>> BeginWrite();

  // The id of the document stored under `path`, and its content hash.
  Result<std::optional<int64_t>> FindDocument(const std::string& path, std::string* content_hash);
  Status DeleteDocument(int64_t id);
};

// One MeCab model per process: loading the dictionary is the slow part of
// opening an index, and the segmenter is thread-safe.
Result<std::shared_ptr<MecabSegmenter>> SharedSegmenter();

// The one line Index::DictionaryMismatch and Open (for writing) report.
std::string DictionaryMismatchLine(const std::string& stored, const std::string& current);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_INDEX_IMPL_H_
