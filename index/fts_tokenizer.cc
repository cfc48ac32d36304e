// How a text becomes search tokens (doc/tokens.md has the full model):
//
// 1. Cut the text into pieces after line breaks, sentence ends, tabs and
//    '|', and look each piece up in the PieceCache; steps 2-4 run only for
//    pieces not seen recently.
// 2. Fold the piece with ICU's NFKC_Casefold, recording ICU Edits (a map
//    from folded offsets back to original offsets). Most text is already
//    folded: ASCII needs at most a lowercase pass of the same length, and a
//    quick check avoids the normalizer for folded Japanese.
// 3. Segment the folded piece with MeCab. Folding first matters: MeCab
//    splits full-width digits one by one but keeps ASCII digits together, so
//    only folded text segments the same whatever width the writer used.
// 4. Drop morphemes without a letter or digit (white space, punctuation,
//    symbols); map each kept morpheme's offsets back to the original piece;
//    emit its folded surface, then its dictionary form as a colocated token
//    when that differs (サ変 -ずる verbs are written as their -じる twin so
//    講ずる and 講じる meet). A katakana token of 4 or more characters loses
//    a final ー (サーバー -> サーバ). The whole of a compound the segmenter
//    split follows its first part, colocated.
// 5. Append the piece's tokens to the result, offsets shifted to the text.
#include "index/fts_tokenizer.h"

#include <sqlite3.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "index/sqlite_util.h"

namespace fiscdex::index {

struct SearchTokenizer::EditMap {
  icu::Edits edits;
};

namespace {

const icu::Normalizer2* NfkcCasefold() {
  // ICU owns the singleton; it must never be deleted.
  static const icu::Normalizer2* const instance = [] {
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(ec);
    return U_SUCCESS(ec) ? n : nullptr;
  }();
  return instance;
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void LowercaseAscii(std::string* s) {
  for (char& c : *s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Byte length of the white space (ASCII or U+3000) that starts at text[i] /
// ends just before text[i], or 0.
size_t SpaceAt(std::string_view text, size_t i) {
  char c = text[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  return text.compare(i, 3, "\u3000") == 0 ? 3 : 0;
}
size_t SpaceBefore(std::string_view text, size_t i) {
  char c = text[i - 1];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  return i >= 3 && text.compare(i - 3, 3, "\u3000") == 0 ? 3 : 0;
}

// Where the piece that starts at text[start] ends: after the next line
// break, tab, '|', or sentence end (。 ！ ？ and ASCII ! ?, which NFKC makes
// of ！ ？). These end a sentence or a cell, so a piece segments as it would
// inside the whole text (MeCab's choices depend on the neighbouring
// morphemes only), and the cuts depend on nothing but the text.
size_t PieceEnd(std::string_view text, size_t start) {
  const size_t n = text.size();
  for (size_t i = start; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\t' || c == '|' || c == '!' || c == '?') return i + 1;
    if (c == 0xE3 && i + 2 < n && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x82) {
      return i + 3;  // 。 U+3002
    }
    if (c == 0xEF && i + 2 < n && static_cast<unsigned char>(text[i + 1]) == 0xBC &&
        (static_cast<unsigned char>(text[i + 2]) == 0x81 ||
         static_cast<unsigned char>(text[i + 2]) == 0x9F)) {
      return i + 3;  // ！ U+FF01, ？ U+FF1F
    }
  }
  return n;
}

}  // namespace

bool HasLetterOrDigit(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    if (p[i] < 0x80) {
      if (IsAsciiAlnum(p[i])) return true;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

std::string_view FoldLongVowel(std::string_view token) {
  constexpr size_t kMinChars = 4;
  constexpr std::string_view kMark = "\u30FC";  // ー
  if (token.size() < kMinChars * 3 || !EndsWith(token, kMark) || !IsKatakanaOnly(token)) {
    return token;
  }
  return token.substr(0, token.size() - kMark.size());
}

SearchTokenizer::SearchTokenizer(std::shared_ptr<const MecabSegmenter> segmenter,
                                 std::shared_ptr<PieceCache> cache)
    : segmenter_(std::move(segmenter)),
      cache_(cache != nullptr ? std::move(cache) : std::make_shared<PieceCache>()),
      edits_(std::make_unique<EditMap>()) {}

SearchTokenizer::~SearchTokenizer() = default;

Result<bool> SearchTokenizer::Fold(std::string_view text) {  // one piece
  bool ascii = true;
  bool upper = false;
  for (unsigned char c : text) {
    if (c >= 0x80) {
      ascii = false;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    }
  }
  edits_->edits.reset();
  if (ascii && !upper) return false;
  // Lowercasing ASCII keeps every byte where it was, so offsets need no map.
  if (upper) {
    folded_.assign(text);
    LowercaseAscii(&folded_);
    if (ascii) return true;
  }
  const icu::Normalizer2* normalizer = NfkcCasefold();
  if (normalizer == nullptr) return Status::Internal("ICU NFKC_Casefold data is missing");
  std::string_view view = upper ? std::string_view(folded_) : text;
  UErrorCode ec = U_ZERO_ERROR;
  if (normalizer->isNormalizedUTF8(icu::StringPiece(view.data(), static_cast<int32_t>(view.size())),
                                   ec) &&
      U_SUCCESS(ec)) {
    return upper;
  }
  ec = U_ZERO_ERROR;
  folded_.clear();
  icu::StringByteSink<std::string> sink(&folded_, static_cast<int32_t>(text.size()));
  normalizer->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                            sink, &edits_->edits, ec);
  if (U_FAILURE(ec)) {
    return Status::Internal(std::string("ICU cannot fold text: ") + u_errorName(ec));
  }
  return true;
}

Status SearchTokenizer::TokenizePiece(std::string_view text, TokenList* out) {
  out->Clear();
  if (text.empty()) return Status::Ok();
  Result<bool> folded = Fold(text);
  if (!folded.ok()) return folded.status();
  std::string_view input = *folded ? std::string_view(folded_) : text;
  const bool mapped = *folded && edits_->edits.hasChanges();
  icu::Edits::Iterator it = edits_->edits.getFineIterator();
  const size_t source_size = text.size();

  // Folded offsets -> original offsets. A token edge inside a changed span
  // (e.g. "株" of "㈱" -> "(株)") widens to the whole span, so the original
  // bytes a token came from are always inside [begin, end).
  auto map_begin = [&](size_t dest) -> size_t {
    UErrorCode ec = U_ZERO_ERROR;
    if (!it.findDestinationIndex(static_cast<int32_t>(dest), ec) || U_FAILURE(ec)) {
      return source_size;
    }
    if (!it.hasChange()) return it.sourceIndex() + (dest - it.destinationIndex());
    return it.sourceIndex();
  };
  auto map_end = [&](size_t dest_end) -> size_t {
    UErrorCode ec = U_ZERO_ERROR;
    if (!it.findDestinationIndex(static_cast<int32_t>(dest_end - 1), ec) || U_FAILURE(ec)) {
      return source_size;
    }
    if (!it.hasChange()) return it.sourceIndex() + (dest_end - it.destinationIndex());
    return it.sourceIndex() + it.oldLength();
  };
  auto add = [out](std::string_view token, size_t begin, size_t end, bool colocated) {
    TokenList::Entry entry{static_cast<uint32_t>(out->pool_.size()),
                           static_cast<uint32_t>(token.size()), begin, end, colocated};
    out->pool_.append(token);
    out->entries_.push_back(entry);
  };

  Status fold_status;
  const bool fold_long_vowels = segmenter_->token_rules() >= 2;
  Status status = segmenter_->Segment(input, [&](const Token& token) {
    if (!HasLetterOrDigit(token.surface)) return true;
    const std::string_view surface =
        fold_long_vowels ? FoldLongVowel(token.surface) : token.surface;
    if (token.colocated) {
      // The whole of a split compound, after its first part: FTS5's
      // highlight() skips colocated tokens' offsets anyway, and keeping the
      // part's offsets keeps them increasing.
      if (out->entries_.empty()) return true;
      const TokenList::Entry previous = out->entries_.back();
      add(surface, previous.begin, previous.end, true);
      return true;
    }
    size_t begin = token.begin;
    size_t end = token.end;
    if (mapped) {
      begin = map_begin(token.begin);
      end = map_end(token.end);
    }
    add(surface, begin, end, false);

    std::string_view lemma = token.base_form;
    if (lemma.empty()) return true;
    // Dictionary forms are written by the dictionary's authors, not folded.
    fold_buf_.assign(lemma);
    LowercaseAscii(&fold_buf_);
    const icu::Normalizer2* normalizer = NfkcCasefold();
    UErrorCode ec = U_ZERO_ERROR;
    if (!normalizer->isNormalizedUTF8(fold_buf_, ec) && U_SUCCESS(ec)) {
      std::string lemma_copy = std::move(fold_buf_);
      fold_buf_.clear();
      icu::StringByteSink<std::string> sink(&fold_buf_);
      normalizer->normalizeUTF8(0, lemma_copy, sink, nullptr, ec);
    }
    if (U_FAILURE(ec)) {
      fold_status =
          Status::Internal(std::string("ICU cannot fold a dictionary form: ") + u_errorName(ec));
      return false;
    }
    // ipadic has two lemmas for one verb: 講ずる (サ変・-ズル) and 講じる
    // (一段); 講じています analyses as the latter. Writing -ずる as -じる lets
    // either spelling find the other.
    if (token.pos == "動詞" && EndsWith(fold_buf_, "ずる")) {
      fold_buf_.replace(fold_buf_.size() - 6, 6, "じる");
    }
    if (fold_long_vowels) fold_buf_.resize(FoldLongVowel(fold_buf_).size());
    if (fold_buf_ != surface) add(fold_buf_, begin, end, true);
    return true;
  });
  if (!fold_status.ok()) return fold_status;
  return status;
}

namespace {

// Calls on_piece(begin, piece) for every piece of `text` that can hold a
// token: cut by PieceEnd, without its surrounding white space (so a piece
// is the same whether it starts a record's answer or follows " | " in a
// table-row passage), and holding a letter or digit.
template <typename OnPiece>
Status ForEachPiece(std::string_view text, OnPiece on_piece) {
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = PieceEnd(text, start);
    size_t begin = start;
    size_t stop = end;
    while (begin < stop && SpaceAt(text, begin) != 0) begin += SpaceAt(text, begin);
    while (stop > begin && SpaceBefore(text, stop) != 0) stop -= SpaceBefore(text, stop);
    std::string_view piece = text.substr(begin, stop - begin);
    if (HasLetterOrDigit(piece)) RETURN_IF_ERROR(on_piece(begin, piece));
    start = end;
  }
  return Status::Ok();
}

}  // namespace

Result<const TokenList*> SearchTokenizer::Tokenize(std::string_view text) {
  result_.Clear();
  RETURN_IF_ERROR(ForEachPiece(text, [this](size_t begin, std::string_view piece) -> Status {
    const TokenList* tokens = cache_->Find(piece);
    if (tokens == nullptr) {
      RETURN_IF_ERROR(TokenizePiece(piece, &piece_));
      cache_->Insert(piece, piece_);
      tokens = &piece_;
    }
    result_.Append(*tokens, begin);
    return Status::Ok();
  }));
  return &result_;
}

Status PrefillPieceCache(const std::shared_ptr<const MecabSegmenter>& segmenter,
                         const std::vector<std::string_view>& texts, int threads,
                         PieceCache* cache) {
  // Below this many new bytes a thread costs more than it saves.
  constexpr size_t kMinBytesPerThread = 16 * 1024;
  if (threads < 2) return Status::Ok();
  std::vector<std::string_view> pieces;
  std::unordered_set<std::string_view> seen;
  size_t bytes = 0;
  for (std::string_view text : texts) {
    RETURN_IF_ERROR(ForEachPiece(text, [&](size_t, std::string_view piece) -> Status {
      if (seen.insert(piece).second && cache->Find(piece) == nullptr) {
        pieces.push_back(piece);
        bytes += piece.size();
      }
      return Status::Ok();
    }));
  }
  threads =
      static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), bytes / kMinBytesPerThread));
  if (threads < 2) return Status::Ok();

  // Contiguous shares of about equal bytes; worker t takes [cut[t], cut[t+1]).
  std::vector<size_t> cut = {0};
  size_t acc = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    acc += pieces[i].size();
    if (acc * threads >= bytes * cut.size() && cut.size() < static_cast<size_t>(threads)) {
      cut.push_back(i + 1);
    }
  }
  cut.push_back(pieces.size());
  std::vector<TokenList> results(pieces.size());
  std::vector<Status> statuses(cut.size() - 1);
  auto work = [&](size_t t) noexcept {
    try {
      SearchTokenizer tokenizer(segmenter);
      for (size_t i = cut[t]; i < cut[t + 1]; ++i) {
        statuses[t] = tokenizer.TokenizePiece(pieces[i], &results[i]);
        if (!statuses[t].ok()) return;
      }
    } catch (const std::exception& e) {
      statuses[t] = Status::Internal(std::string("tokenizer thread failed: ") + e.what());
    } catch (...) {
      statuses[t] = Status::Internal("tokenizer thread failed");
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t + 1 < cut.size(); ++t) workers.emplace_back(work, t);
  work(0);
  for (std::thread& w : workers) w.join();
  for (const Status& status : statuses) RETURN_IF_ERROR(status);
  for (size_t i = 0; i < pieces.size(); ++i) cache->Insert(pieces[i], results[i]);
  return Status::Ok();
}

void TokenList::Append(const TokenList& other, size_t shift) {
  const uint32_t pool_shift = static_cast<uint32_t>(pool_.size());
  pool_.append(other.pool_);
  entries_.reserve(entries_.size() + other.entries_.size());
  for (Entry e : other.entries_) {
    e.text_offset += pool_shift;
    e.begin += shift;
    e.end += shift;
    entries_.push_back(e);
  }
}

// Two generations of maps: lookups try both, inserts go to the young one,
// and when it holds max_bytes / 2 of text the old one is dropped and the
// young one ages. Cheap, and a piece used again survives.
struct PieceCache::Maps {
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  using Map = std::unordered_map<std::string, TokenList, Hash, Equal>;
  Map young;
  Map old;
  size_t young_bytes = 0;
};

namespace {

// The memory one cached piece holds: its node (key, list, hash, link, the
// allocator's headers), the key's text and the list's heap.
size_t CachedBytes(std::string_view piece, const TokenList& tokens) {
  constexpr size_t kNodeBytes = 160;
  return kNodeBytes + piece.size() + tokens.HeapBytes();
}

}  // namespace

PieceCache::PieceCache(size_t max_bytes) : maps_(std::make_unique<Maps>()), max_bytes_(max_bytes) {}
PieceCache::~PieceCache() = default;

const TokenList* PieceCache::Find(std::string_view piece) {
  if (auto it = maps_->young.find(piece); it != maps_->young.end()) return &it->second;
  if (auto it = maps_->old.find(piece); it != maps_->old.end()) {
    // Promote, so a piece in steady use is never forgotten.
    auto node = maps_->old.extract(it);
    maps_->young_bytes += CachedBytes(node.key(), node.mapped());
    auto inserted = maps_->young.insert(std::move(node));
    return &inserted.position->second;
  }
  return nullptr;
}

void PieceCache::Insert(std::string_view piece, const TokenList& tokens) {
  const size_t cost = CachedBytes(piece, tokens);
  if (cost > max_bytes_ / 16) return;  // a huge piece would flush everything else
  if (maps_->young_bytes + cost > max_bytes_ / 2) {
    maps_->old = std::move(maps_->young);
    maps_->young = Maps::Map();
    maps_->young_bytes = 0;
  }
  auto [it, inserted] = maps_->young.try_emplace(std::string(piece), tokens);
  if (inserted) maps_->young_bytes += CachedBytes(piece, it->second);
}

// ---------------------------------------------------------------------------
// The FTS5 adapter. SQLite calls these through C function pointers, so none
// may let an exception escape: each is noexcept and catches everything,
// turning std::bad_alloc into SQLITE_NOMEM and anything else into
// SQLITE_ERROR.

namespace {

struct TokenizerModule {
  std::shared_ptr<const MecabSegmenter> segmenter;
  // Shared by the tokenizers of every FTS5 table of the connection: a
  // passage and a record's answer often hold the same sentences.
  std::shared_ptr<PieceCache> cache;
  std::shared_ptr<const PretokenizedTexts> pretokenized;  // may be null
};

// What FTS5 holds per table: a tokenizer, and the tokens made ahead of time.
struct FtsTokenizer {
  SearchTokenizer tokenizer;
  std::shared_ptr<const PretokenizedTexts> pretokenized;
};

int TokenizerCreate(void* context, const char** args, int arg_count, Fts5Tokenizer** out) noexcept {
  *out = nullptr;
  // tokenize='fiscdex_mecab' takes no options; anything else is a typo
  // that would silently change what is indexed.
  if (arg_count != 0 || context == nullptr) return SQLITE_ERROR;
  try {
    auto* module = static_cast<TokenizerModule*>(context);
    *out = reinterpret_cast<Fts5Tokenizer*>(new FtsTokenizer{
        SearchTokenizer(module->segmenter, module->cache), module->pretokenized});
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

void TokenizerDelete(Fts5Tokenizer* tokenizer) noexcept {
  delete reinterpret_cast<FtsTokenizer*>(tokenizer);
}

int TokenizerTokenize(Fts5Tokenizer* tokenizer, void* context, int /*flags*/, const char* text,
                      int text_size,
                      int (*on_token)(void*, int, const char*, int, int, int)) noexcept {
  if (tokenizer == nullptr || on_token == nullptr || text_size < 0) return SQLITE_ERROR;
  if (text_size == 0) return SQLITE_OK;
  if (text == nullptr) return SQLITE_ERROR;
  try {
    auto* self = reinterpret_cast<FtsTokenizer*>(tokenizer);
    const std::string_view input(text, static_cast<size_t>(text_size));
    const TokenList* ready =
        self->pretokenized != nullptr ? self->pretokenized->Find(input) : nullptr;
    if (ready == nullptr) {
      Result<const TokenList*> tokens = self->tokenizer.Tokenize(input);
      if (!tokens.ok()) return SQLITE_ERROR;
      ready = *tokens;
    }
    const TokenList& list = *ready;
    for (size_t i = 0; i < list.size(); ++i) {
      SearchToken t = list[i];
      int rc = on_token(context, t.colocated ? FTS5_TOKEN_COLOCATED : 0, t.text.data(),
                        static_cast<int>(t.text.size()), static_cast<int>(t.begin),
                        static_cast<int>(t.end));
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

void DestroyModule(void* context) noexcept { delete static_cast<TokenizerModule*>(context); }

}  // namespace

namespace {

// FTS5 hands out its API only as a pointer bound to "SELECT fts5(?1)".
Result<fts5_api*> GetFts5Api(sqlite3* db) {
  ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, "SELECT fts5(?1)", false));
  fts5_api* api = nullptr;
  int rc = sqlite3_bind_pointer(stmt.get(), 1, &api, "fts5_api_ptr", nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "cannot get the FTS5 API");
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || api == nullptr) return Status::Internal("cannot get the FTS5 API: no pointer");
  return api;
}

// What fiscdex_rank computes once per query (kept as FTS5 auxdata).
struct RankData {
  double average_length = 1;
  std::vector<double> idf;   // per phrase
  std::vector<double> freq;  // per phrase, reused for every row
};

int CountHit(const Fts5ExtensionApi*, Fts5Context*, void* user) noexcept {
  auto* hits = static_cast<int64_t*>(user);
  // SQLITE_DONE stops the walk without an error.
  return ++*hits >= kRankMaxIdfHits ? SQLITE_DONE : SQLITE_OK;
}

void DeleteRankData(void* data) noexcept { delete static_cast<RankData*>(data); }

int GetRankData(const Fts5ExtensionApi* api, Fts5Context* fts, RankData** out) {
  auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
  if (data == nullptr) {
    auto fresh = std::make_unique<RankData>();
    const int phrases = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) return rc;
    fresh->average_length = rows > 0 ? static_cast<double>(tokens) / rows : 1;
    if (fresh->average_length <= 0) fresh->average_length = 1;
    fresh->idf.resize(phrases);
    fresh->freq.resize(phrases);
    for (int i = 0; i < phrases; ++i) {
      int64_t hits = 0;
      rc = api->xQueryPhrase(fts, i, &hits, &CountHit);
      if (rc != SQLITE_OK) return rc;
      const double n = static_cast<double>(rows);
      const double h = static_cast<double>(hits);
      // As bm25(): a phrase in more than half the rows still counts a little.
      double idf = std::log((n - h + 0.5) / (h + 0.5));
      fresh->idf[i] = idf > 0 ? idf : 1e-6;
    }
    data = fresh.get();
    rc = api->xSetAuxdata(fts, fresh.release(), &DeleteRankData);
    if (rc != SQLITE_OK) return rc;  // FTS5 has already freed it
  }
  *out = data;
  return SQLITE_OK;
}

void RankFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                  int arg_count, sqlite3_value** args) noexcept {
  constexpr double k1 = 1.2;
  constexpr double b = 0.75;
  try {
    RankData* data = nullptr;
    int rc = GetRankData(api, fts, &data);
    int instances = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    if (rc == SQLITE_OK) std::fill(data->freq.begin(), data->freq.end(), 0.0);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
      int phrase = 0;
      int column = 0;
      int offset = 0;
      rc = api->xInst(fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK) {
        data->freq[phrase] += column < arg_count ? sqlite3_value_double(args[column]) : 1.0;
      }
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    const double norm = k1 * (1 - b + b * length / data->average_length);
    double score = 0;
    for (size_t i = 0; i < data->idf.size(); ++i) {
      const double f = data->freq[i];
      score += data->idf[i] * (f * (k1 + 1)) / (f + norm);
    }
    sqlite3_result_double(ctx, score);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (...) {
    sqlite3_result_error(ctx, "fiscdex_rank failed", -1);
  }
}

}  // namespace

Status RegisterFtsRankFunction(sqlite3* db) {
  ASSIGN_OR_RETURN(fts5_api * api, GetFts5Api(db));
  int rc = api->xCreateFunction(api, kRankFunctionName, nullptr, &RankFunction, nullptr);
  if (rc != SQLITE_OK) return SqliteError(nullptr, rc, "cannot register the FTS5 rank function");
  return Status::Ok();
}

Status RegisterFtsTokenizer(sqlite3* db, std::shared_ptr<const MecabSegmenter> segmenter,
                            std::shared_ptr<PieceCache> cache,
                            std::shared_ptr<const PretokenizedTexts> pretokenized) {
  ASSIGN_OR_RETURN(fts5_api * api, GetFts5Api(db));
  static fts5_tokenizer callbacks = {&TokenizerCreate, &TokenizerDelete, &TokenizerTokenize};
  auto module = std::make_unique<TokenizerModule>(TokenizerModule{
      std::move(segmenter), cache != nullptr ? std::move(cache) : std::make_shared<PieceCache>(),
      std::move(pretokenized)});
  int rc = api->xCreateTokenizer(api, kTokenizerName, module.get(), &callbacks, &DestroyModule);
  // xCreateTokenizer leaves no message on the connection, hence no `db` here.
  if (rc != SQLITE_OK) return SqliteError(nullptr, rc, "cannot register the FTS5 tokenizer");
  // FTS5 owns the module now and frees it through DestroyModule when the
  // connection closes (it does not on failure, so the unique_ptr does then).
  module.release();
  return Status::Ok();
}

}  // namespace fiscdex::index
