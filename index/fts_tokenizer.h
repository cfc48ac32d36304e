// The search tokenizer and its registration as the FTS5 tokenizer
// "fiscdex_mecab". The token/offset model is described in doc/tokens.md.
//
// SearchTokenizer turns text into the tokens the index stores and queries
// are matched on: MeCab morphemes, NFKC-normalized and case-folded, with
// white space and punctuation dropped, each inflected word followed by its
// dictionary form as a colocated token (same position, same offsets) so that
// 講ずる finds 講じています. The FTS5 adapter only validates arguments and
// hands these tokens to FTS5.
#ifndef FISCDEX_INDEX_FTS_TOKENIZER_H_
#define FISCDEX_INDEX_FTS_TOKENIZER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "index/mecab_segmenter.h"

struct sqlite3;

namespace fiscdex::index {

// The name the FTS5 tables use: tokenize='fiscdex_mecab'.
inline constexpr char kTokenizerName[] = "fiscdex_mecab";

struct SearchToken {
  std::string_view text;  // folded token text
  size_t begin = 0;       // byte range in the text given to Tokenize (NOT the folded text)
  size_t end = 0;
  bool colocated = false;  // same position as the previous token (a dictionary form)
};

// The tokens of one text. Views stay valid until the tokenizer that made the
// list is called again.
class TokenList {
 public:
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Heap bytes the list holds (its capacity, not its size).
  size_t HeapBytes() const { return pool_.capacity() + entries_.capacity() * sizeof(Entry); }
  SearchToken operator[](size_t i) const {
    const Entry& e = entries_[i];
    return SearchToken{std::string_view(pool_).substr(e.text_offset, e.text_size), e.begin, e.end,
                       e.colocated};
  }

 private:
  friend class SearchTokenizer;
  struct Entry {
    uint32_t text_offset;
    uint32_t text_size;
    size_t begin;
    size_t end;
    bool colocated;
  };
  void Clear() {
    entries_.clear();
    pool_.clear();
  }
  // Appends `other`'s tokens with their offsets moved by `shift`.
  void Append(const TokenList& other, size_t shift);
  std::string pool_;  // every token's text, back to back
  std::vector<Entry> entries_;
};

// True when `text` holds a letter or a digit in any script (kanji and kana
// are letters). A morpheme without one (white space, punctuation, symbols)
// is not indexed, so a query term without one can match nothing.
bool HasLetterOrDigit(std::string_view text);

// `token` without its final long-vowel mark ー when it is all katakana and 4
// or more characters long (Lucene's JapaneseKatakanaStemFilter rule):
// サーバー -> サーバ, ユーザー -> ユーザ, but キー and データ stay. Both the
// text and the queries go through it, so either spelling finds the other.
std::string_view FoldLongVowel(std::string_view token);

// Remembers the tokens of recently seen text pieces (sentences, lines, table
// cells; see SearchTokenizer). Bounded: holds about `max_bytes` of memory
// (keys, tokens and the map's nodes counted), forgetting the oldest half
// when full. Not thread-safe; share one only between tokenizers used by one
// thread at a time (the FTS5 tokenizers of one connection).
class PieceCache {
 public:
  explicit PieceCache(size_t max_bytes = kDefaultMaxBytes);
  ~PieceCache();
  PieceCache(const PieceCache&) = delete;
  PieceCache& operator=(const PieceCache&) = delete;

  // Each worker of an ingest has one, and so has the index: 8 MB each kept
  // a document's repeated lines and table cells (what it is for) on the
  // Debian manuals, where 4 MB of piece text (about 40 MB of memory) made
  // two-thirds of the ingest's heap for a few per cent of speed.
  static constexpr size_t kDefaultMaxBytes = 8 << 20;
  // Memory a cached piece costs per byte of its text, about (measured on
  // Japanese prose: tokens, colocated base forms, the node).
  static constexpr size_t kMemoryPerTextByte = 10;

  // The cached tokens of `piece`, or null.
  const TokenList* Find(std::string_view piece);
  // Stores the tokens of `piece` (offsets relative to the piece).
  void Insert(std::string_view piece, const TokenList& tokens);

 private:
  struct Maps;
  std::unique_ptr<Maps> maps_;
  size_t max_bytes_;
};

// Not thread-safe: FTS5 creates one instance per table and connection and
// calls it from one thread at a time. Create one per thread otherwise.
class SearchTokenizer {
 public:
  // `cache` may be shared with other tokenizers (see PieceCache); null gives
  // this tokenizer a cache of its own.
  explicit SearchTokenizer(std::shared_ptr<const MecabSegmenter> segmenter,
                           std::shared_ptr<PieceCache> cache = nullptr);
  ~SearchTokenizer();
  SearchTokenizer(const SearchTokenizer&) = delete;
  SearchTokenizer& operator=(const SearchTokenizer&) = delete;

  // Tokenizes `text` (UTF-8, not necessarily NUL-terminated). Offsets are
  // byte offsets into `text`, in increasing order; a colocated token has the
  // offsets of the token before it; empty text gives no tokens. The result
  // is valid until the next call. Errors: Internal (MeCab or ICU failed).
  //
  // The text is cut into pieces after each line break, sentence end (。 ! ?)
  // tab and '|' (the cell separator of table-row passages), and each piece
  // is segmented on its own, through the cache: the same sentence in a
  // passage, in the answer of every record of a group, and in the next
  // document is segmented once. The cuts depend only on the text, so the
  // same text always gives the same tokens (FTS5 relies on this to delete
  // rows), cached or not.
  Result<const TokenList*> Tokenize(std::string_view text);

  // Tokenizes one piece as Tokenize does, without cutting it and without the
  // cache: `out` gets offsets relative to `piece`. For PrefillPieceCache.
  Status TokenizePiece(std::string_view piece, TokenList* out);

 private:
  // Sets folded_ to `piece` NFKC-casefolded; false when `piece` is already
  // in that form (then MeCab reads `piece` itself and offsets need no map).
  Result<bool> Fold(std::string_view piece);

  std::shared_ptr<const MecabSegmenter> segmenter_;
  std::shared_ptr<PieceCache> cache_;
  TokenList result_;      // what Tokenize returns
  TokenList piece_;       // one piece being built
  std::string folded_;    // the piece MeCab reads when folding changed it
  std::string fold_buf_;  // one token's folded dictionary form
  struct EditMap;         // ICU's edit record: folded offsets -> original offsets
  std::unique_ptr<EditMap> edits_;
};

// Segments, on up to `threads` threads (the caller's included), every piece
// of `texts` that `cache` does not hold yet, and stores the results in
// `cache`; tokenizers sharing `cache` then segment nothing while they
// tokenize these texts. MeCab is most of the cost of indexing, and a
// document's sentences are independent of each other. Does nothing when the
// new pieces are too few to be worth a thread. The texts must hold no more
// than a quarter of the cache's max_bytes, or early pieces may be forgotten
// (then they are only segmented again). Errors: Internal (MeCab or ICU).
Status PrefillPieceCache(const std::shared_ptr<const MecabSegmenter>& segmenter,
                         const std::vector<std::string_view>& texts, int threads,
                         PieceCache* cache);

// Tokens made ahead of time (on another thread) for the texts about to be
// inserted: while a text is registered here, the connection's FTS5
// tokenizers hand out its tokens instead of segmenting it again. Matched by
// content, so any other text (an old row being deleted) is segmented as
// usual. Holds views: the texts and lists must outlive their registration.
class PretokenizedTexts {
 public:
  void Add(std::string_view text, const TokenList* tokens) { entries_.push_back({text, tokens}); }
  void Clear() { entries_.clear(); }
  const TokenList* Find(std::string_view text) const {
    for (const Entry& e : entries_) {
      if (e.text.size() == text.size() && (e.text.data() == text.data() || e.text == text)) {
        return e.tokens;
      }
    }
    return nullptr;
  }

 private:
  struct Entry {
    std::string_view text;
    const TokenList* tokens;
  };
  std::vector<Entry> entries_;
};

// The FTS5 ranking function the index sorts by:
//   fiscdex_rank(<fts table>, <weight of column 0>, <weight of column 1>, ...)
// is FTS5's BM25 (k1 = 1.2, b = 0.75, the same per-column weights) returned
// as a positive score, higher is better. One difference: for the IDF it
// counts at most kRankMaxIdfHits rows per phrase (bm25() counts every row,
// which for a term in 100 000 passages costs more than the whole rest of a
// search); a phrase in more rows than that gets the IDF of that many.
inline constexpr char kRankFunctionName[] = "fiscdex_rank";
inline constexpr int64_t kRankMaxIdfHits = 2000;

// Registers fiscdex_rank with the FTS5 module of `db`, for the life of the
// connection. Errors: Internal when FTS5 is unavailable.
Status RegisterFtsRankFunction(sqlite3* db);

// Registers "fiscdex_mecab" with the FTS5 module of `db`, sharing
// `segmenter`. The registration (and its reference to the segmenter) lives
// as long as the connection. Errors: Internal when FTS5 is unavailable.
// `cache` (null: a new one) is shared by the connection's tokenizers, and
// so is `pretokenized` (may be null).
Status RegisterFtsTokenizer(sqlite3* db, std::shared_ptr<const MecabSegmenter> segmenter,
                            std::shared_ptr<PieceCache> cache = nullptr,
                            std::shared_ptr<const PretokenizedTexts> pretokenized = nullptr);

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_FTS_TOKENIZER_H_
