// Synonym groups a query term is widened to: 多要素認証 also finds 二要素認証
// and MFA. A list is UTF-8 text, one group per line, members separated by
// commas (ASCII ',' or full-width '，'), '#' starting a comment:
//
//   # authentication
//   多要素認証, 二要素認証, MFA
//
// Members are compared after folding (SynonymKey): width, case and the
// final long-vowel mark of a katakana word do not matter. The default list is
// data/synonyms.txt, compiled into the library; a user's file is merged over
// it (MergeText says how).
#ifndef FISCDEX_INDEX_SYNONYMS_H_
#define FISCDEX_INDEX_SYNONYMS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fiscdex::index {

// The form a term and a group member are compared in: normalize::FoldForSearch
// (NFKC, case folding), white space removed, and the final ー of every
// katakana run of 4 or more characters dropped (the tokenizer's long-vowel
// rule, doc/tokens.md), so サーバー, ｻｰﾊﾞｰ and サーバ have one key.
std::string SynonymKey(std::string_view term);

class Synonyms {
 public:
  // No groups.
  Synonyms() = default;

  // The default list, data/synonyms.txt as built into the library. Parsed
  // once; the list is checked by a test, so this cannot fail at run time.
  static const Synonyms& Default();

  // Merges the groups of `text` (the format above) over this list: a new
  // group replaces every group it shares a member with (so a user can narrow
  // a default group by writing it again, smaller), and a line of one member
  // removes that member's group. Errors: InvalidArgument
  // "<source>:<line>: <problem>" for a line with an empty member ("a,,b",
  // "a,") or that is not UTF-8; the list is unchanged then.
  Status MergeText(std::string_view text, std::string_view source);

  // MergeText over the contents of the file `path`. Errors: NotFound when it
  // does not exist, Internal when it cannot be read, MergeText's otherwise.
  Status MergeFile(const std::string& path);

  // The members of the group holding `term` (as typed; it is folded with
  // SynonymKey), spelled as the list has them, or null when it is in none.
  const std::vector<std::string>* GroupOf(std::string_view term) const;

  // Every group, in the order of their first line.
  std::vector<std::vector<std::string>> Groups() const;

 private:
  std::vector<std::vector<std::string>> groups_;  // an empty group was removed
  std::map<std::string, size_t> by_key_;          // SynonymKey -> index in groups_
};

// The synonyms the CLI searches with, in one call: the default list, merged
// with `user_file` when it is not empty (a missing file is then an error),
// else with the user's file at $XDG_CONFIG_HOME/fiscdex/synonyms.txt (or
// ~/.config/fiscdex/synonyms.txt when XDG_CONFIG_HOME is unset or empty)
// when that exists. Errors: those of Synonyms::MergeFile.
Result<Synonyms> LoadSynonyms(const std::string& user_file);

// The user's synonyms file LoadSynonyms looks for when given none ("" when
// neither XDG_CONFIG_HOME nor HOME is set). It need not exist.
std::string DefaultUserSynonymsPath();

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_SYNONYMS_H_
