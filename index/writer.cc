// Writing the index: adding, replacing, moving and removing documents, and
// grouping those writes in batches (index/index.h). doc/schema.md, "Adding
// and replacing a document", says why the FTS rows are written here and not
// by triggers.
#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/fts_tokenizer.h"
#include "assess/status.h"
#include "assess/versions.h"
#include "index/index.h"
#include "index/index_impl.h"
#include "index/sqlite_util.h"

namespace fiscdex::index {
namespace {

// AddDocument segments a document in batches of about this much text on up
// to kMaxTokenizerThreads threads; a batch's tokens must fit in a quarter of
// the PieceCache (see PrefillPieceCache).
constexpr size_t kBatchBytes =
    PieceCache::kDefaultMaxBytes / 4 / PieceCache::kMemoryPerTextByte;

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

// The (passage, record) index pairs of `doc` that passage_repeats holds,
// by the rule of FISCDEX_PASSAGE_REPEATS_SELECT (same page; source bytes
// overlapping, or the answer is the passage's text), worked out here
// rather than by that SQL: a text file is one page, and the SQL compared
// every passage with every record, tripling the time of an ingest.
std::vector<std::pair<size_t, size_t>> RepeatPairs(const DocumentInput& doc) {
  struct Span {
    size_t begin;
    size_t end;
    size_t record;
  };
  // Per page: records with a source range by begin, with the largest end
  // so far (so the first that can reach a passage is found by bisection),
  // and records by answer.
  struct Page {
    std::vector<Span> spans;
    std::vector<size_t> max_end;
    std::unordered_map<std::string_view, std::vector<size_t>> by_answer;
  };
  std::unordered_map<int, Page> pages;
  for (size_t r = 0; r < doc.records.size(); ++r) {
    const extract::CriterionRecord& record = doc.records[r];
    Page& page = pages[record.page];
    if (record.source_begin < record.source_end) {
      page.spans.push_back({record.source_begin, record.source_end, r});
    }
    if (!record.answer.empty()) page.by_answer[record.answer].push_back(r);
  }
  for (auto& [number, page] : pages) {
    std::sort(page.spans.begin(), page.spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    size_t max_end = 0;
    for (const Span& span : page.spans) {
      max_end = std::max(max_end, span.end);
      page.max_end.push_back(max_end);
    }
  }
  std::vector<std::pair<size_t, size_t>> out;
  std::vector<size_t> found;
  for (size_t p = 0; p < doc.passages.size(); ++p) {
    const normalize::Passage& passage = doc.passages[p];
    auto it = pages.find(passage.page);
    if (it == pages.end()) continue;
    const Page& page = it->second;
    found.clear();
    if (passage.source_begin < passage.source_end) {
      const size_t first = static_cast<size_t>(
          std::upper_bound(page.max_end.begin(), page.max_end.end(), passage.source_begin) -
          page.max_end.begin());
      for (size_t k = first; k < page.spans.size() && page.spans[k].begin < passage.source_end;
           ++k) {
        if (page.spans[k].end > passage.source_begin) found.push_back(page.spans[k].record);
      }
    }
    if (auto same = page.by_answer.find(passage.text); same != page.by_answer.end()) {
      found.insert(found.end(), same->second.begin(), same->second.end());
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (size_t r : found) out.emplace_back(p, r);
  }
  return out;
}

std::string GroupJson(const std::vector<std::string>& group) {
  std::string out = "[";
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, group[i]);
  }
  out.push_back(']');
  return out;
}

std::string ColumnsJson(const std::vector<extract::AnswerColumn>& columns) {
  std::string out = "[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"header\":");
    AppendJsonString(&out, columns[i].header);
    out.append(",\"text\":");
    AppendJsonString(&out, columns[i].text);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// Registers texts' tokens for the FTS5 inserts of one row.
class PretokenizedScope {
 public:
  explicit PretokenizedScope(PretokenizedTexts* texts) : texts_(texts) {}
  ~PretokenizedScope() { texts_->Clear(); }
  PretokenizedScope(const PretokenizedScope&) = delete;
  PretokenizedScope& operator=(const PretokenizedScope&) = delete;
  void Add(std::string_view text, const TokenList* tokens) { texts_->Add(text, tokens); }

 private:
  PretokenizedTexts* texts_;
};

}  // namespace

Status Index::Impl::PrepareWriteStatements() {
  sqlite3* h = db.get();
  RETURN_IF_ERROR(PrepareAssessmentStatements());
  ASSIGN_OR_RETURN(find_document,
                   Statement::Prepare(h, "SELECT id, content_hash FROM documents WHERE path = ?1"));
  ASSIGN_OR_RETURN(delete_document, Statement::Prepare(h, "DELETE FROM documents WHERE id = ?1"));
  ASSIGN_OR_RETURN(insert_document,
                   Statement::Prepare(h,
                                      "INSERT INTO documents(path, content_hash, format, encoding, "
                                      "size_bytes, mtime, page_count, title, vendor, edition, "
                                      "date, passage_count, record_count, indexed_at, mtime_ns, "
                                      "declared_vendor, content_key) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                      "?13, ?14, ?15, ?16, ?17)"));
  ASSIGN_OR_RETURN(insert_passage,
                   Statement::Prepare(h,
                                      "INSERT INTO passages(document_id, seq, page, source_begin, "
                                      "source_end, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  ASSIGN_OR_RETURN(insert_criterion,
                   Statement::Prepare(h,
                                      "INSERT INTO criteria(document_id, seq, criterion_id, title, "
                                      "answer, group_ids, page, columns, source_begin, "
                                      "source_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                      "?10)"));
  ASSIGN_OR_RETURN(index_passage,
                   Statement::Prepare(h, "INSERT INTO passages_fts(rowid, text) VALUES (?1, ?2)"));
  ASSIGN_OR_RETURN(index_criterion,
                   Statement::Prepare(h,
                                      "INSERT INTO criteria_fts(rowid, title, answer) "
                                      "VALUES (?1, ?2, ?3)"));
  ASSIGN_OR_RETURN(list_stored_files,
                   Statement::Prepare(h,
                                      "SELECT path, content_hash, size_bytes, mtime_ns FROM "
                                      "documents ORDER BY path"));
  ASSIGN_OR_RETURN(update_file_stat,
                   Statement::Prepare(h,
                                      "UPDATE documents SET size_bytes = ?2, mtime = ?3, "
                                      "mtime_ns = ?4 WHERE path = ?1"));
  ASSIGN_OR_RETURN(rename_document,
                   Statement::Prepare(h,
                                      "UPDATE documents SET path = ?2, size_bytes = ?3, "
                                      "mtime = ?4, mtime_ns = ?5 WHERE id = ?1"));
  ASSIGN_OR_RETURN(insert_repeat,
                   Statement::Prepare(h, "INSERT INTO passage_repeats(passage_id, record_id) "
                                         "VALUES (?1, ?2)"));
  return Status::Ok();
}

Result<std::vector<StoredFile>> Index::ListStoredFiles() {
  Statement& stmt = impl_->list_stored_files;
  ScopedReset reset(&stmt);
  std::vector<StoredFile> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({std::string(stmt.ColumnText(0)), std::string(stmt.ColumnText(1)),
                   static_cast<uint64_t>(stmt.ColumnInt64(2)), stmt.ColumnInt64(3)});
  }
  return out;
}

namespace {

int64_t SecondsOf(int64_t mtime_ns) {
  // Floor, also before 1970.
  return mtime_ns >= 0 ? mtime_ns / 1'000'000'000 : -((-mtime_ns + 999'999'999) / 1'000'000'000);
}

}  // namespace

Status Index::UpdateFileStat(const std::string& path, uint64_t size_bytes, int64_t mtime_ns) {
  Statement& stmt = impl_->update_file_stat;
  RETURN_IF_ERROR(stmt.BindText(1, path));
  RETURN_IF_ERROR(stmt.BindInt64(2, static_cast<int64_t>(size_bytes)));
  RETURN_IF_ERROR(stmt.BindInt64(3, SecondsOf(mtime_ns)));
  RETURN_IF_ERROR(stmt.BindInt64(4, mtime_ns));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(impl_->db.get()) == 0) return Status::NotFound("not in the index: " + path);
  return Status::Ok();
}

Result<std::optional<int64_t>> Index::Impl::FindDocument(const std::string& path,
                                                         std::string* content_hash) {
  ScopedReset reset(&find_document);
  RETURN_IF_ERROR(find_document.BindText(1, path));
  ASSIGN_OR_RETURN(bool found, find_document.Step());
  if (!found) return std::optional<int64_t>();
  if (content_hash != nullptr) *content_hash = std::string(find_document.ColumnText(1));
  return std::optional<int64_t>(find_document.ColumnInt64(0));
}

Result<std::optional<Transaction>> Index::Impl::BeginWrite() {
  if (batch) return std::optional<Transaction>();
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(db.get()));
  return std::optional<Transaction>(std::move(txn));
}

Status Index::BeginBatch() {
  if (impl_->batch) return Status::Internal("a batch is already open");
  ASSIGN_OR_RETURN(Transaction txn, Transaction::BeginImmediate(impl_->db.get()));
  impl_->batch.emplace(std::move(txn));
  return Status::Ok();
}

Status Index::CommitBatch() {
  if (!impl_->batch) return Status::Internal("no batch is open");
  Status status = impl_->batch->Commit();
  impl_->batch.reset();
  return status;
}

void Index::RollbackBatch() { impl_->batch.reset(); }

Status Index::Impl::DeleteDocument(int64_t id) {
  // The schema's trigger and cascade remove the FTS rows and children.
  RETURN_IF_ERROR(delete_document.BindInt64(1, id));
  return delete_document.Run();
}

Status Index::MoveDocument(const std::string& from, const std::string& to, uint64_t size_bytes,
                           int64_t mtime_ns) {
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<int64_t> id, s.FindDocument(from, nullptr));
  if (!id) return Status::NotFound("not in the index: " + from);
  ASSIGN_OR_RETURN(std::optional<int64_t> replaced, s.FindDocument(to, nullptr));
  if (replaced && *replaced != *id) RETURN_IF_ERROR(s.DeleteDocument(*replaced));
  RETURN_IF_ERROR(s.rename_document.BindInt64(1, *id));
  RETURN_IF_ERROR(s.rename_document.BindText(2, to));
  RETURN_IF_ERROR(s.rename_document.BindInt64(3, static_cast<int64_t>(size_bytes)));
  RETURN_IF_ERROR(s.rename_document.BindInt64(4, SecondsOf(mtime_ns)));
  RETURN_IF_ERROR(s.rename_document.BindInt64(5, mtime_ns));
  RETURN_IF_ERROR(s.rename_document.Run());
  return txn ? txn->Commit() : Status::Ok();
}

Status Index::RemoveDocument(const std::string& path) {
  Impl& s = *impl_;
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<int64_t> id, s.FindDocument(path, nullptr));
  if (!id) return Status::NotFound("not in the index: " + path);
  RETURN_IF_ERROR(s.DeleteDocument(*id));
  return txn ? txn->Commit() : Status::Ok();
}

Result<AddOutcome> Index::AddDocument(const DocumentInput& doc) {
  Impl& s = *impl_;
  const DocumentTokens* tokens = doc.tokens.get();
  if (tokens != nullptr && !tokens->Fits(doc)) {
    return Status::Internal("the tokens given are not those of this document");
  }
  if (!s.may_write_tokens) {
    return Status::Unsupported(
        DictionaryMismatchLine(s.stored_dictionary, s.segmenter->dictionary()));
  }
  ASSIGN_OR_RETURN(std::optional<Transaction> txn, s.BeginWrite());

  std::string stored_hash;
  ASSIGN_OR_RETURN(std::optional<int64_t> old_id, s.FindDocument(doc.path, &stored_hash));
  // A vendor declared once (--as) stays with the path until another is.
  std::optional<std::string> declared_vendor = doc.declared_vendor;
  if (old_id) {
    if (stored_hash == doc.content_hash) {
      if (doc.declared_vendor) {
        RETURN_IF_ERROR(SetDeclaredVendor(doc.path, *doc.declared_vendor));
        if (txn) RETURN_IF_ERROR(txn->Commit());
      }
      return AddOutcome::kUnchanged;
    }
    if (!declared_vendor) {
      ScopedReset reset(&s.previous_declared_vendor);
      RETURN_IF_ERROR(s.previous_declared_vendor.BindText(1, doc.path));
      ASSIGN_OR_RETURN(bool row, s.previous_declared_vendor.Step());
      if (row) declared_vendor = s.previous_declared_vendor.ColumnOptionalText(0);
    }
    RETURN_IF_ERROR(s.DeleteDocument(*old_id));
  }
  const assess::DocumentContext context = assess::ContextOf(doc.metadata);
  assess::ContentKeyBuilder content_key;
  for (const extract::CriterionRecord& r : doc.records) content_key.Add(r.id, r.answer);

  Statement& ins_doc = s.insert_document;
  RETURN_IF_ERROR(ins_doc.BindText(1, doc.path));
  RETURN_IF_ERROR(ins_doc.BindText(2, doc.content_hash));
  RETURN_IF_ERROR(ins_doc.BindText(3, doc.format));
  RETURN_IF_ERROR(ins_doc.BindText(4, doc.encoding));
  RETURN_IF_ERROR(ins_doc.BindInt64(5, static_cast<int64_t>(doc.size_bytes)));
  RETURN_IF_ERROR(ins_doc.BindInt64(6, SecondsOf(doc.mtime_ns)));
  RETURN_IF_ERROR(ins_doc.BindInt64(7, doc.page_count));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(8, doc.metadata.title));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(9, doc.metadata.vendor));
  RETURN_IF_ERROR(ins_doc.BindOptionalInt(10, doc.metadata.edition));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(11, doc.metadata.date));
  RETURN_IF_ERROR(ins_doc.BindInt64(12, static_cast<int64_t>(doc.passages.size())));
  RETURN_IF_ERROR(ins_doc.BindInt64(13, static_cast<int64_t>(doc.records.size())));
  RETURN_IF_ERROR(ins_doc.BindInt64(14, static_cast<int64_t>(std::time(nullptr))));
  RETURN_IF_ERROR(ins_doc.BindInt64(15, doc.mtime_ns));
  RETURN_IF_ERROR(ins_doc.BindOptionalText(16, declared_vendor));
  const std::string key = content_key.Finish();
  RETURN_IF_ERROR(ins_doc.BindText(17, key));
  RETURN_IF_ERROR(ins_doc.Run());
  const int64_t doc_id = sqlite3_last_insert_rowid(s.db.get());

  // Rows go in batches: first the batch's sentences are segmented on
  // several threads into the piece cache, then each row and its FTS row are
  // inserted (the FTS5 tokenizer then finds every piece in the cache).
  std::vector<std::string_view> batch_texts;
  std::vector<int64_t> passage_rows(doc.passages.size());
  std::vector<int64_t> record_rows(doc.records.size());
  Statement& ins_passage = s.insert_passage;
  Statement& fts_passage = s.index_passage;
  for (size_t first = 0; first < doc.passages.size();) {
    size_t last = first;
    size_t bytes = 0;
    batch_texts.clear();
    while (last < doc.passages.size() && (last == first || bytes < kBatchBytes)) {
      batch_texts.push_back(doc.passages[last].text);
      bytes += doc.passages[last].text.size();
      ++last;
    }
    if (tokens == nullptr) {
      RETURN_IF_ERROR(
          PrefillPieceCache(s.segmenter, batch_texts, s.threads, s.piece_cache.get()));
    }
    for (size_t i = first; i < last; ++i) {
      const normalize::Passage& p = doc.passages[i];
      RETURN_IF_ERROR(ins_passage.BindInt64(1, doc_id));
      RETURN_IF_ERROR(ins_passage.BindInt64(2, static_cast<int64_t>(i)));
      RETURN_IF_ERROR(ins_passage.BindInt64(3, p.page));
      RETURN_IF_ERROR(ins_passage.BindInt64(4, static_cast<int64_t>(p.source_begin)));
      RETURN_IF_ERROR(ins_passage.BindInt64(5, static_cast<int64_t>(p.source_end)));
      RETURN_IF_ERROR(ins_passage.BindText(6, p.text));
      Status status = ins_passage.Run();
      if (!status.ok()) return status.WithContext("passage " + std::to_string(i));
      passage_rows[i] = sqlite3_last_insert_rowid(s.db.get());
      RETURN_IF_ERROR(fts_passage.BindInt64(1, passage_rows[i]));
      RETURN_IF_ERROR(fts_passage.BindText(2, p.text));
      PretokenizedScope ready(s.pretokenized.get());
      if (tokens != nullptr) ready.Add(p.text, &tokens->passages[i]);
      RETURN_IF_ERROR(fts_passage.Run());
    }
    first = last;
  }

  Statement& ins_record = s.insert_criterion;
  Statement& fts_record = s.index_criterion;
  std::string group_json;
  std::string columns_json;
  for (size_t first = 0; first < doc.records.size();) {
    size_t last = first;
    size_t bytes = 0;
    batch_texts.clear();
    while (last < doc.records.size() && (last == first || bytes < kBatchBytes)) {
      const extract::CriterionRecord& r = doc.records[last];
      batch_texts.push_back(r.answer);
      bytes += r.answer.size();
      if (r.title) {
        batch_texts.push_back(*r.title);
        bytes += r.title->size();
      }
      ++last;
    }
    if (tokens == nullptr) {
      RETURN_IF_ERROR(
          PrefillPieceCache(s.segmenter, batch_texts, s.threads, s.piece_cache.get()));
    }
    for (size_t i = first; i < last; ++i) {
      const extract::CriterionRecord& r = doc.records[i];
      group_json = GroupJson(r.group);
      RETURN_IF_ERROR(ins_record.BindInt64(1, doc_id));
      RETURN_IF_ERROR(ins_record.BindInt64(2, static_cast<int64_t>(i)));
      RETURN_IF_ERROR(ins_record.BindText(3, r.id));
      RETURN_IF_ERROR(ins_record.BindOptionalText(4, r.title));
      RETURN_IF_ERROR(ins_record.BindText(5, r.answer));
      RETURN_IF_ERROR(ins_record.BindText(6, group_json));
      RETURN_IF_ERROR(ins_record.BindInt64(7, r.page));
      if (r.columns.empty()) {
        RETURN_IF_ERROR(ins_record.BindNull(8));
      } else {
        columns_json = ColumnsJson(r.columns);
        RETURN_IF_ERROR(ins_record.BindText(8, columns_json));
      }
      RETURN_IF_ERROR(ins_record.BindInt64(9, static_cast<int64_t>(r.source_begin)));
      RETURN_IF_ERROR(ins_record.BindInt64(10, static_cast<int64_t>(r.source_end)));
      Status status = ins_record.Run();
      if (!status.ok()) {
        return status.WithContext("record " + std::to_string(i) + " (" + r.id + ")");
      }
      record_rows[i] = sqlite3_last_insert_rowid(s.db.get());
      RETURN_IF_ERROR(s.InsertStatus(record_rows[i], assess::AssessRecord(r, context)));
      RETURN_IF_ERROR(fts_record.BindInt64(1, record_rows[i]));
      RETURN_IF_ERROR(fts_record.BindOptionalText(2, r.title));
      RETURN_IF_ERROR(fts_record.BindText(3, r.answer));
      PretokenizedScope ready(s.pretokenized.get());
      if (tokens != nullptr) {
        if (r.title) ready.Add(*r.title, &tokens->titles[i]);
        ready.Add(r.answer, &tokens->answers[i]);
      }
      RETURN_IF_ERROR(fts_record.Run());
    }
    first = last;
  }

  // Which passages repeat a record, for search (index/search.cc).
  Statement& ins_repeat = s.insert_repeat;
  for (const auto& [passage, record] : RepeatPairs(doc)) {
    RETURN_IF_ERROR(ins_repeat.BindInt64(1, passage_rows[passage]));
    RETURN_IF_ERROR(ins_repeat.BindInt64(2, record_rows[record]));
    RETURN_IF_ERROR(ins_repeat.Run());
  }

  if (txn) RETURN_IF_ERROR(txn->Commit());
  return old_id ? AddOutcome::kUpdated : AddOutcome::kAdded;
}

struct DocumentTokenizer::Impl {
  // Its own piece cache: the same sentence in the next document this
  // worker reads is segmented once.
  SearchTokenizer tokenizer;
};

DocumentTokenizer::DocumentTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentTokenizer::~DocumentTokenizer() = default;

Result<std::unique_ptr<DocumentTokenizer>> DocumentTokenizer::Create() {
  ASSIGN_OR_RETURN(std::shared_ptr<MecabSegmenter> segmenter, SharedSegmenter());
  return std::unique_ptr<DocumentTokenizer>(
      new DocumentTokenizer(std::unique_ptr<Impl>(new Impl{SearchTokenizer(segmenter)})));
}

Result<std::shared_ptr<const DocumentTokens>> DocumentTokenizer::Tokenize(
    const DocumentInput& doc) {
  auto tokens = std::make_shared<DocumentTokens>();
  SearchTokenizer& tokenizer = impl_->tokenizer;
  tokens->passages.reserve(doc.passages.size());
  for (const normalize::Passage& passage : doc.passages) {
    ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(passage.text));
    tokens->passages.push_back(*list);
  }
  tokens->titles.reserve(doc.records.size());
  tokens->answers.reserve(doc.records.size());
  for (const extract::CriterionRecord& record : doc.records) {
    if (record.title) {
      ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(*record.title));
      tokens->titles.push_back(*list);
    } else {
      tokens->titles.emplace_back();
    }
    ASSIGN_OR_RETURN(const TokenList* list, tokenizer.Tokenize(record.answer));
    tokens->answers.push_back(*list);
  }
  return std::shared_ptr<const DocumentTokens>(std::move(tokens));
}


}  // namespace fiscdex::index
