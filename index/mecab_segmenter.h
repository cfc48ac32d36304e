// A plain C++ word segmenter over MeCab and the IPA dictionary in UTF-8.
//
// The FTS5 tokenizer (index/fts_tokenizer.h) is a thin adapter over this
// class; keeping MeCab behind a C++ interface lets the tests and the
// benchmark segment text without SQLite. No MeCab type appears here.
#ifndef FISCDEX_INDEX_MECAB_SEGMENTER_H_
#define FISCDEX_INDEX_MECAB_SEGMENTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace MeCab {
class Model;
class Tagger;
class Lattice;
}  // namespace MeCab

namespace fiscdex::index {

// One morpheme as MeCab segments it. The views point into the segmented text
// (surface) or into MeCab's dictionary (base_form, pos); they are valid only
// for the duration of the callback that receives the token.
struct Token {
  size_t begin = 0;  // byte offset of the surface in the text given to Segment
  size_t end = 0;    // one past the last byte
  std::string_view surface;
  // The dictionary (base) form: ipadic feature field 7. Empty when the
  // dictionary has none ("*"), e.g. for unknown words such as "ISO".
  std::string_view base_form;
  // The part of speech: ipadic feature field 1 ("名詞", "動詞", "記号", ...).
  std::string_view pos;
  // True for the whole of a decompounded word (see SegmenterOptions): it
  // follows the compound's first part and stands at the same position, its
  // [begin, end) spanning all the parts.
  bool colocated = false;
};

// A Token that owns its strings, for callers that keep tokens.
struct OwnedToken {
  size_t begin = 0;
  size_t end = 0;
  std::string surface;
  std::string base_form;
  std::string pos;
  bool colocated = false;
};

// Raise when a change to the segmenter or to SearchTokenizer's rules changes
// the tokens of some text, so MecabSegmenter::dictionary() changes and an
// index made under the old rules is noticed. 1: morphemes and dictionary
// forms; 2: katakana compound splitting, long-vowel folding, the user
// dictionary.
inline constexpr int kTokenRulesVersion = 2;

struct SegmenterOptions {
  // A compiled MeCab user dictionary (.dic) to load with the system one;
  // empty for none.
  std::string user_dictionary;
  // The token rules (kTokenRulesVersion): from 2 on, an unknown katakana
  // word of 4 or more characters (MeCab keeps an unknown katakana run whole:
  // ハードウェアセキュリティモジュール) is split into dictionary words when
  // it is made of them (see Segment), and SearchTokenizer folds a katakana
  // word's final ー. 1 reproduces the rules before that, for the judged
  // benchmark (bench/judged/) to compare against; nothing else uses it.
  int token_rules = kTokenRulesVersion;
};

// Whether `s` is katakana only (U+30A1..U+30FC, ー included, ・ not).
bool IsKatakanaOnly(std::string_view s);

class MecabSegmenter {
 public:
  // The dictionary fiscdex segments with: Debian's mecab-ipadic-utf8
  // (tools/setup.sh installs it), fixed at build time (CMake's
  // FISCDEX_MECAB_DICDIR). Never the system default: /etc/mecabrc,
  // $MECABRC and ~/.mecabrc name whatever dictionary another package or
  // user chose last (mecab-naist-jdic, the EUC-JP mecab-ipadic), and an
  // index's tokens must not change under it.
  static const char* DefaultDictionaryDir();

  // The fiscdex user dictionary (data/userdic.csv compiled at build time,
  // CMake's FISCDEX_MECAB_USERDIC), or "" when the build has none. A copy
  // beside the running program (or in its ../lib/fiscdex/) is preferred.
  static const char* DefaultUserDictionary();

  // Loads MeCab with the dictionary in DefaultDictionaryDir() and the user
  // dictionary DefaultUserDictionary(), splitting compounds.
  static Result<std::shared_ptr<MecabSegmenter>> Create();

  // Loads MeCab with the compiled dictionary in `dictionary_dir` (the
  // folder holding sys.dic and dicrc); no mecabrc is read. Returns
  // Status::Internal naming the folder, with MeCab's own error and the hint
  // "install mecab-ipadic-utf8", when it cannot be loaded;
  // also when the dictionary is not in UTF-8 (fiscdex passes UTF-8 text; an
  // EUC-JP dictionary would find no word at all).
  // A user dictionary that cannot be read or is not in UTF-8 is refused the
  // same way, naming its file.
  static Result<std::shared_ptr<MecabSegmenter>> CreateWithDictionary(
      const std::string& dictionary_dir, const SegmenterOptions& options = {});

  // What decides the tokens, for an index to record and compare:
  // "<dir>/sys.dic (UTF-8, version 102); user fiscdex_user.dic (fnv1a64
  // 0123456789abcdef); rules 2". The user dictionary is named by a hash of
  // its bytes (not its path, which is where the build tree happens to be),
  // "no user dictionary" when there is none.
  const std::string& dictionary() const { return dictionary_; }

  // SegmenterOptions::token_rules as loaded.
  int token_rules() const { return token_rules_; }

  ~MecabSegmenter();
  MecabSegmenter(const MecabSegmenter&) = delete;
  MecabSegmenter& operator=(const MecabSegmenter&) = delete;

  // Called once per token in text order; returning false stops the walk
  // (Segment then returns OK).
  using TokenCallback = std::function<bool(const Token&)>;

  // Segments `text` (UTF-8, need not be NUL-terminated; white space between
  // morphemes is skipped, so it never appears in a token). Every token's
  // [begin, end) lies inside `text` and tokens come in increasing order
  // without overlap, except that a colocated token (the whole of a split
  // compound) spans the parts around it.
  //
  // Compounds: an unknown katakana morpheme of 4 or more characters that
  // the dictionary can cover with words of 2 or more characters each, with
  // no gap, is given as its parts (the fewest that cover it), the whole
  // following the first part as a colocated token: セキュリティ then finds
  // ハードウェアセキュリティモジュール. A known word (プログラム) is never
  // split, so ログ does not find it. Long texts are cut into pieces at line or sentence
  // ends so MeCab's lattice stays small. Returns Status::Internal if MeCab
  // fails. Thread-safe: each call borrows its own MeCab lattice.
  Status Segment(std::string_view text, const TokenCallback& on_token) const;

  // Convenience for tests and tools: every token, owned.
  Result<std::vector<OwnedToken>> SegmentAll(std::string_view text) const;

 private:
  struct ModelDeleter {
    void operator()(MeCab::Model* model) const;
  };
  struct TaggerDeleter {
    void operator()(MeCab::Tagger* tagger) const;
  };
  struct LatticeDeleter {
    void operator()(MeCab::Lattice* lattice) const;
  };
  using LatticePtr = std::unique_ptr<MeCab::Lattice, LatticeDeleter>;

  MecabSegmenter(std::unique_ptr<MeCab::Model, ModelDeleter> model,
                 std::unique_ptr<MeCab::Tagger, TaggerDeleter> tagger, std::string dictionary,
                 int token_rules);

  // A lattice from the pool, or a new one; returned with ReturnLattice.
  LatticePtr BorrowLattice() const;
  void ReturnLattice(LatticePtr lattice) const;
  Status SegmentPiece(MeCab::Lattice* lattice, std::string_view text, size_t offset,
                      const TokenCallback& on_token, bool* stopped) const;

  // Declared in this order so the tagger and lattices go before the model.
  std::unique_ptr<MeCab::Model, ModelDeleter> model_;
  std::unique_ptr<MeCab::Tagger, TaggerDeleter> tagger_;
  const std::string dictionary_;
  const int token_rules_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<LatticePtr> pool_;  // guarded by pool_mutex_
};

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_MECAB_SEGMENTER_H_
