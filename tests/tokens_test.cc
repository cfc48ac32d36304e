// What a search term matches (doc/tokens.md): katakana compounds split into
// their dictionary words, the long-vowel fold, the kanji prefix rule,
// synonyms, the user dictionary and the segmenter's identity. Real MeCab
// with fiscdex's own dictionary and user dictionary, real SQLite FTS5.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "index/fts_tokenizer.h"
#include "index/mecab_segmenter.h"
#include "index/query.h"
#include "index/sqlite_util.h"
#include "index/synonyms.h"
#include "tests/segmenter_support.h"
#include "tests/test_util.h"

namespace fiscdex::index {
namespace {

using ::fiscdex::testing::ScopedEnv;
using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteFile;

using ::fiscdex::testing::Segmenter;

// Surfaces, "+" before a colocated one.
std::string Surfaces(const MecabSegmenter& segmenter, std::string_view text) {
  auto tokens = segmenter.SegmentAll(text);
  EXPECT_OK(tokens);
  std::string out;
  if (!tokens.ok()) return out;
  for (const OwnedToken& t : *tokens) {
    if (!out.empty()) out += ' ';
    if (t.colocated) out += '+';
    out += t.surface;
  }
  return out;
}

std::string SearchTokens(std::string_view text) {
  SearchTokenizer tokenizer(Segmenter());
  auto tokens = tokenizer.Tokenize(text);
  EXPECT_OK(tokens);
  std::string out;
  if (!tokens.ok()) return out;
  for (size_t i = 0; i < (*tokens)->size(); ++i) {
    SearchToken t = (**tokens)[i];
    if (!out.empty()) out += ' ';
    if (t.colocated) out += '+';
    out.append(t.text);
  }
  return out;
}

TEST(CompoundTest, SplitsUnknownKatakanaCompoundsIntoDictionaryWords) {
  ASSERT_NE(Segmenter(), nullptr);
  struct Row {
    std::string text;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"ハードウェアセキュリティモジュール",
       "ハードウェア +ハードウェアセキュリティモジュール セキュリティ モジュール"},
      // Known words are never split: no accidental ログ, ファイル, 京都.
      {"プログラム", "プログラム"},
      {"プロファイル", "プロファイル"},
      {"東京都", "東京 都"},
      // Unknown, but made of no dictionary words: kept whole.
      {"ゼロデイ", "ゼロデイ"},
      // Fewer than 4 characters: never split.
      {"ログ", "ログ"},
      // The user dictionary knows these, so they are not split (ログ+オン,
      // オン+プレ+ミス would be accidental).
      {"ログオン", "ログオン"},
      {"オンプレミス", "オンプレミス"},
      {"サイバーセキュリティ", "サイバー セキュリティ"},
      {"クラウドサービス", "クラウド サービス"},
  };
  for (const Row& row : rows) EXPECT_EQ(Surfaces(*Segmenter(), row.text), row.want) << row.text;
}

TEST(CompoundTest, ColocatedWholeSpansItsPartsAndTokensKeepTheirOffsets) {
  const std::string text = "鍵をハードウェアセキュリティモジュールで";
  auto tokens = Segmenter()->SegmentAll(text);
  ASSERT_OK(tokens);
  ASSERT_GE(tokens->size(), 6u);
  const OwnedToken& part = (*tokens)[2];
  const OwnedToken& whole = (*tokens)[3];
  EXPECT_EQ(part.surface, "ハードウェア");
  EXPECT_FALSE(part.colocated);
  EXPECT_TRUE(whole.colocated);
  EXPECT_EQ(whole.begin, part.begin);
  EXPECT_EQ(text.substr(whole.begin, whole.end - whole.begin), "ハードウェアセキュリティモジュール");
  EXPECT_EQ(text.substr((*tokens)[5].begin, (*tokens)[5].end - (*tokens)[5].begin), "モジュール");
  // The search tokenizer gives the whole the offsets of the part before it.
  SearchTokenizer tokenizer(Segmenter());
  auto search = tokenizer.Tokenize(text);
  ASSERT_OK(search);
  ASSERT_GE((*search)->size(), 4u);
  EXPECT_TRUE((**search)[3].colocated);
  EXPECT_EQ((**search)[3].begin, (**search)[2].begin);
  EXPECT_EQ((**search)[3].end, (**search)[2].end);
}

TEST(CompoundTest, TokenRulesOneKeepsCompoundsWholeAndLongVowels) {
  SegmenterOptions options;
  options.token_rules = 1;
  auto v1 = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), options);
  ASSERT_OK(v1);
  EXPECT_EQ(Surfaces(**v1, "ハードウェアセキュリティモジュール"),
            "ハードウェアセキュリティモジュール");
  SearchTokenizer tokenizer(*v1);
  auto tokens = tokenizer.Tokenize("サーバー");
  ASSERT_OK(tokens);
  ASSERT_EQ((*tokens)->size(), 1u);
  EXPECT_EQ((**tokens)[0].text, "サーバー");
}

TEST(LongVowelTest, DropsTheFinalMarkOfKatakanaWordsOfFourOrMore) {
  struct Row {
    std::string token;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"サーバー", "サーバ"}, {"ユーザー", "ユーザ"},   {"セキュリティー", "セキュリティ"},
      {"キー", "キー"},       {"データ", "データ"},     {"カー", "カー"},
      {"ルーター", "ルータ"}, {"漢字ー", "漢字ー"},     {"abcー", "abcー"},
      {"", ""},               {"ーーーー", "ーーー"},
  };
  for (const Row& row : rows) EXPECT_EQ(FoldLongVowel(row.token), row.want) << row.token;
}

TEST(LongVowelTest, TextAndQueriesMeetWhateverTheSpelling) {
  EXPECT_EQ(SearchTokens("サーバー室"), "サーバ 室");
  EXPECT_EQ(SearchTokens("ｻｰﾊﾞｰ"), SearchTokens("サーバ"));
  EXPECT_EQ(SearchTokens("ユーザー"), SearchTokens("ユーザ"));
}

// A table of lines and which of them each query finds, through FTS5.
class MatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenDatabase(":memory:");
    ASSERT_OK(db);
    db_ = std::move(*db);
    ASSERT_OK(RegisterFtsTokenizer(db_.get(), Segmenter()));
    ASSERT_OK(Exec(db_.get(), "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='fiscdex_mecab')"));
    auto insert = Statement::Prepare(db_.get(), "INSERT INTO t(rowid, x) VALUES(?, ?)");
    ASSERT_OK(insert);
    for (size_t i = 0; i < kLines.size(); ++i) {
      ASSERT_OK(insert->BindInt64(1, static_cast<int64_t>(i)));
      ASSERT_OK(insert->BindText(2, kLines[i]));
      ASSERT_OK(insert->Run());
    }
  }

  // The lines `query` finds, as their texts joined by " / ".
  std::string Find(const std::string& query, const Synonyms& synonyms = Synonyms::Default()) {
    auto fts = ToFtsQuery(query, synonyms);
    EXPECT_OK(fts);
    if (!fts.ok()) return "?";
    auto select = Statement::Prepare(db_.get(), "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid");
    EXPECT_OK(select);
    if (!select.ok()) return "?";
    EXPECT_OK(select->BindText(1, *fts));
    std::string out;
    while (true) {
      auto row = select->Step();
      EXPECT_OK(row);
      if (!row.ok() || !*row) break;
      if (!out.empty()) out += " / ";
      out += kLines[static_cast<size_t>(select->ColumnInt(0))];
    }
    return out;
  }

  const std::vector<std::string> kLines = {
      "アクセス権限を付与する",              // 0
      "アクセス権を付与する",                // 1
      "ハードウェアセキュリティモジュールで保管",  // 2
      "プログラムを更新する",                // 3
      "ログを保存する",                      // 4
      "ログインを制限する",                  // 5
      "東京都に置く",                        // 6
      "京都に置く",                          // 7
      "プロファイルを暗号化する",            // 8
      "ファイルを暗号化する",                // 9
      "ｻｰﾊﾞｰを監視する",                     // 10
      "多要素認証を使う",                    // 11
      "ＭＦＡを使う",                        // 12
      "対策を講じています",                  // 13
      "暗号化キーを分ける",                  // 14
  };
  DbPtr db_;
};

TEST_F(MatchTest, FindsRealMentionsAndNoAccidentalOnes) {
  struct Row {
    std::string query;
    std::string want;
  };
  const std::vector<Row> rows = {
      // A kanji ending matches a longer morpheme.
      {"アクセス権限", "アクセス権限を付与する / アクセス権を付与する"},
      {"\"アクセス権\"", "アクセス権を付与する"},  // quoted: as written, no synonyms
      // Parts of a katakana compound, and the compound itself as a phrase.
      {"セキュリティ", "ハードウェアセキュリティモジュールで保管"},
      {"モジュール", "ハードウェアセキュリティモジュールで保管"},
      {"ハードウェアセキュリティモジュールで", "ハードウェアセキュリティモジュールで保管"},
      {"セキュリティモジュール", "ハードウェアセキュリティモジュールで保管"},
      // Accidental substrings do not count.
      {"ログ", "ログを保存する"},
      {"京都", "京都に置く"},
      {"ファイル", "ファイルを暗号化する"},
      {"グラム", ""},
      // Width, long vowels, synonyms, inflections.
      {"サーバー", "ｻｰﾊﾞｰを監視する"},
      {"MFA", "多要素認証を使う / ＭＦＡを使う"},
      {"二要素認証", "多要素認証を使う / ＭＦＡを使う"},
      {"講ずる", "対策を講じています"},
      {"暗号鍵", "暗号化キーを分ける"},
  };
  for (const Row& row : rows) EXPECT_EQ(Find(row.query), row.want) << row.query;
}

TEST_F(MatchTest, WithoutSynonymsATermFindsOnlyItself) {
  EXPECT_EQ(Find("MFA", Synonyms()), "ＭＦＡを使う");
}

// ---------------------------------------------------------------------------
// Synonyms

TEST(SynonymsTest, KeysFoldWidthCaseAndFinalLongVowel) {
  EXPECT_EQ(SynonymKey("ｻｰﾊﾞｰ"), "サーバ");
  EXPECT_EQ(SynonymKey("ＭＦＡ"), "mfa");
  EXPECT_EQ(SynonymKey("サーバー 室"), "サーバ室");
  EXPECT_EQ(SynonymKey("キー"), "キー");
  EXPECT_EQ(SynonymKey("ユーザー認証"), "ユーザ認証");
}

TEST(SynonymsTest, ParsesGroupsCommentsAndBlankLines) {
  Synonyms synonyms;
  ASSERT_OK(synonyms.MergeText("# comment\n\n a , b，c # trailing\nd,e\n", "test"));
  const std::vector<std::vector<std::string>> want = {{"a", "b", "c"}, {"d", "e"}};
  EXPECT_EQ(synonyms.Groups(), want);
  ASSERT_NE(synonyms.GroupOf("Ｂ"), nullptr);
  EXPECT_EQ(synonyms.GroupOf("Ｂ")->front(), "a");
  EXPECT_EQ(synonyms.GroupOf("f"), nullptr);
}

TEST(SynonymsTest, AUserGroupReplacesTheGroupsItSharesAMemberWith) {
  Synonyms synonyms;
  ASSERT_OK(synonyms.MergeText("a, b, c\nd, e\n", "default"));
  ASSERT_OK(synonyms.MergeText("a, b\nd\nx, y\n", "user"));
  const std::vector<std::vector<std::string>> want = {{"a", "b"}, {"x", "y"}};
  EXPECT_EQ(synonyms.Groups(), want);
  EXPECT_EQ(synonyms.GroupOf("c"), nullptr);
  EXPECT_EQ(synonyms.GroupOf("e"), nullptr);
}

TEST(SynonymsTest, ABadLineIsNamedAndLeavesTheListAsItWas) {
  Synonyms synonyms;
  ASSERT_OK(synonyms.MergeText("a, b\n", "default"));
  struct Row {
    std::string text;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"x, y\nc,,d\n", "my.txt:2: empty member (members are separated by single commas)"},
      {"c,\n", "my.txt:1: empty member (members are separated by single commas)"},
      {"# ok\n\xff\xfe, a\n", "my.txt:2: not UTF-8"},
  };
  for (const Row& row : rows) {
    Status status = synonyms.MergeText(row.text, "my.txt");
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << row.text;
    EXPECT_EQ(status.message(), row.message) << row.text;
  }
  const std::vector<std::vector<std::string>> want = {{"a", "b"}};
  EXPECT_EQ(synonyms.Groups(), want);
}

TEST(SynonymsTest, TheBuiltInListIsTheCommittedFileAndParses) {
  Synonyms parsed;
  TempDir dir;
  // The library's copy must parse without error (Default() cannot report one).
  std::string text;
  {
    std::ifstream in(std::string(FISCDEX_SOURCE_DIR) + "/data/synonyms.txt", std::ios::binary);
    ASSERT_TRUE(in) << "data/synonyms.txt";
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  ASSERT_OK(parsed.MergeText(text, "data/synonyms.txt"));
  EXPECT_EQ(parsed.Groups(), Synonyms::Default().Groups());
  ASSERT_NE(Synonyms::Default().GroupOf("MFA"), nullptr);
  ASSERT_NE(Synonyms::Default().GroupOf("インタフェース"), nullptr);
  EXPECT_EQ(Synonyms::Default().GroupOf("インタフェース"),
            Synonyms::Default().GroupOf("インターフェース"));
}

TEST(SynonymsTest, LoadSynonymsMergesTheUserFile) {
  TempDir dir;
  const auto config = dir.path() / "config";
  WriteFile(config / "fiscdex" / "synonyms.txt", "MFA, 多要素認証\n鍵束, キーリング\n");
  {
    ScopedEnv xdg("XDG_CONFIG_HOME", config.string());
    EXPECT_EQ(DefaultUserSynonymsPath(), (config / "fiscdex" / "synonyms.txt").string());
    auto loaded = LoadSynonyms("");
    ASSERT_OK(loaded);
    ASSERT_NE(loaded->GroupOf("鍵束"), nullptr);
    const std::vector<std::string> mfa = {"MFA", "多要素認証"};
    EXPECT_EQ(*loaded->GroupOf("mfa"), mfa);
    EXPECT_EQ(loaded->GroupOf("二要素認証"), nullptr);
  }
  {
    // XDG unset: ~/.config; a missing default file is no error.
    ScopedEnv xdg("XDG_CONFIG_HOME", std::nullopt);
    ScopedEnv home("HOME", (dir.path() / "empty-home").string());
    EXPECT_EQ(DefaultUserSynonymsPath(),
              (dir.path() / "empty-home" / ".config" / "fiscdex" / "synonyms.txt").string());
    auto loaded = LoadSynonyms("");
    ASSERT_OK(loaded);
    EXPECT_EQ(loaded->Groups(), Synonyms::Default().Groups());
  }
  // A file named explicitly must exist.
  auto missing = LoadSynonyms((dir.path() / "nope.txt").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.txt"), std::string::npos);
  // A bad line names the file and line.
  WriteFile(dir.path() / "bad.txt", "a, b\n,\n");
  auto bad = LoadSynonyms((dir.path() / "bad.txt").string());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("bad.txt:2:"), std::string::npos)
      << bad.status().message();
}

// ---------------------------------------------------------------------------
// Identity and the user dictionary

TEST(IdentityTest, NamesSystemDictionaryUserDictionaryAndRules) {
  const std::string& id = Segmenter()->dictionary();
  EXPECT_NE(id.find(MecabSegmenter::DefaultDictionaryDir()), std::string::npos) << id;
  EXPECT_NE(id.find("UTF-8"), std::string::npos) << id;
  EXPECT_NE(id.find("user fiscdex_user.dic (fnv1a64 "), std::string::npos) << id;
  EXPECT_NE(id.find("; rules " + std::to_string(kTokenRulesVersion)), std::string::npos) << id;

  SegmenterOptions plain;
  plain.token_rules = 1;
  auto v1 = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), plain);
  ASSERT_OK(v1);
  EXPECT_NE((*v1)->dictionary().find("no user dictionary; rules 1"), std::string::npos)
      << (*v1)->dictionary();
  EXPECT_NE((*v1)->dictionary(), id);
}

TEST(IdentityTest, RefusesAMissingUserDictionaryAndUnknownRules) {
  TempDir dir;
  SegmenterOptions options;
  options.user_dictionary = (dir.path() / "gone.dic").string();
  auto missing = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("gone.dic"), std::string::npos);

  WriteFile(dir.path() / "junk.dic", "not a dictionary");
  options.user_dictionary = (dir.path() / "junk.dic").string();
  auto junk = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), options);
  EXPECT_FALSE(junk.ok());

  SegmenterOptions future;
  future.token_rules = kTokenRulesVersion + 1;
  auto rules = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), future);
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
}

TEST(UserDictionaryTest, EveryEntryChangesHowMecabSegmentsIt) {
  // Each word in data/userdic.csv is there because ipadic gets it wrong;
  // without the user dictionary it comes out differently.
  SegmenterOptions without;
  auto plain = MecabSegmenter::CreateWithDictionary(MecabSegmenter::DefaultDictionaryDir(), without);
  ASSERT_OK(plain);
  std::ifstream in(std::string(FISCDEX_SOURCE_DIR) + "/data/userdic.csv");
  ASSERT_TRUE(in);
  std::string line;
  int entries = 0;
  while (std::getline(in, line)) {
    const std::string word = line.substr(0, line.find(','));
    ++entries;
    // Alone and before another katakana word (an unknown katakana word
    // swallows the next one: フィッシングメール is one unknown token).
    const std::string before = word + "メール";
    EXPECT_EQ(Surfaces(*Segmenter(), word), word) << "the user dictionary should keep it whole";
    EXPECT_EQ(Surfaces(*Segmenter(), before), word + " メール");
    EXPECT_TRUE(Surfaces(**plain, word) != word || Surfaces(**plain, before) != word + " メール")
        << word << ": ipadic already gets it right";
  }
  EXPECT_GT(entries, 5);
}

}  // namespace
}  // namespace fiscdex::index
