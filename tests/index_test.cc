// Tests of the index stage on real MeCab (the dictionary fiscdex pins) and real
// SQLite files in a temporary directory. The documents are built here as
// DocumentInput values from sentences written for these tests.
#include "index/index.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "index/fts_tokenizer.h"
#include "index/ingest_lock.h"
#include "index/mecab_segmenter.h"
#include "index/query.h"
#include "index/snippet.h"
#include "index/sqlite_util.h"
#include "index/synonyms.h"
#include "tests/segmenter_support.h"
#include "tests/test_util.h"

namespace fiscdex::index {
namespace {

using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteFile;

using ::fiscdex::testing::Segmenter;

// "text[begin,end]" per token, "+" before a colocated one: compact to compare.
std::string Describe(std::string_view text, const TokenList& tokens) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    SearchToken t = tokens[i];
    if (!out.empty()) out += ' ';
    if (t.colocated) out += '+';
    out.append(t.text);
    out += '[' + std::to_string(t.begin) + ',' + std::to_string(t.end) + ']';
    EXPECT_LE(t.begin, t.end);
    EXPECT_LE(t.end, text.size());
  }
  return out;
}

// ---------------------------------------------------------------------------
// MecabSegmenter

TEST(MecabSegmenterTest, ReportsOffsetsSurfaceBaseFormAndPos) {
  ASSERT_NE(Segmenter(), nullptr);
  const std::string text = "対策を講じています。 ISO27001";
  auto tokens = Segmenter()->SegmentAll(text);
  ASSERT_OK(tokens);
  struct Want {
    std::string surface, base_form, pos;
  };
  const std::vector<Want> want = {
      {"対策", "対策", "名詞"}, {"を", "を", "助詞"},   {"講じ", "講じる", "動詞"},
      {"て", "て", "助詞"},     {"い", "いる", "動詞"}, {"ます", "ます", "助動詞"},
      {"。", "。", "記号"},     {"ISO", "", "名詞"},    {"27001", "", "名詞"},
  };
  ASSERT_EQ(tokens->size(), want.size());
  size_t previous_end = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const OwnedToken& t = (*tokens)[i];
    EXPECT_EQ(t.surface, want[i].surface) << i;
    EXPECT_EQ(t.base_form, want[i].base_form) << i;
    EXPECT_EQ(t.pos, want[i].pos) << i;
    EXPECT_EQ(text.substr(t.begin, t.end - t.begin), t.surface) << i;
    EXPECT_GE(t.begin, previous_end) << i;
    previous_end = t.end;
  }
}

// The surfaces of `text`, space-separated.
std::string Surfaces(const MecabSegmenter& segmenter, std::string_view text) {
  auto tokens = segmenter.SegmentAll(text);
  EXPECT_OK(tokens);
  std::string out;
  if (!tokens.ok()) return out;
  for (const OwnedToken& t : *tokens) {
    if (!out.empty()) out += ' ';
    out += t.surface;
  }
  return out;
}

// Another package (mecab-naist-jdic) or the user may point the system's
// MeCab at another dictionary; the tokens of an index must not follow it.
TEST(MecabSegmenterTest, IgnoresTheSystemAndUserMecabrc) {
  TempDir dir;
  const std::string bogus = "dicdir = " + (dir.path() / "no-such-dictionary").string() + "\n";
  WriteFile(dir.path() / "mecabrc", bogus);
  WriteFile(dir.path() / "home" / ".mecabrc", bogus);
  const std::string text = "暗号鍵はハードウェアセキュリティモジュールで管理しています。";
  const std::string expected = Surfaces(*Segmenter(), text);
  {
    ::fiscdex::testing::ScopedEnv rc("MECABRC", (dir.path() / "mecabrc").string());
    auto segmenter = MecabSegmenter::Create();
    ASSERT_OK(segmenter);
    EXPECT_EQ(Surfaces(**segmenter, text), expected);
  }
  {
    ::fiscdex::testing::ScopedEnv no_rc("MECABRC", std::nullopt);
    ::fiscdex::testing::ScopedEnv home("HOME", (dir.path() / "home").string());
    auto segmenter = MecabSegmenter::Create();
    ASSERT_OK(segmenter);
    EXPECT_EQ(Surfaces(**segmenter, text), expected);
  }
  // ipadic keeps an unknown katakana compound whole; the segmenter adds its
  // parts (tests/tokens_test.cc has the rules).
  EXPECT_EQ(expected,
            "暗号 鍵 は ハードウェア ハードウェアセキュリティモジュール セキュリティ モジュール で "
            "管理 し て い ます 。");
  EXPECT_NE(Segmenter()->dictionary().find(MecabSegmenter::DefaultDictionaryDir()),
            std::string::npos)
      << Segmenter()->dictionary();
  EXPECT_NE(Segmenter()->dictionary().find("UTF-8"), std::string::npos)
      << Segmenter()->dictionary();
}

TEST(MecabSegmenterTest, MissingDictionaryIsNamedWithTheCure) {
  TempDir dir;
  const std::string missing = (dir.path() / "no dictionary here").string();
  auto segmenter = MecabSegmenter::CreateWithDictionary(missing);
  ASSERT_FALSE(segmenter.ok());
  const std::string message = segmenter.status().ToString();
  EXPECT_NE(message.find(missing), std::string::npos) << message;
  EXPECT_NE(message.find("install mecab-ipadic-utf8"), std::string::npos) << message;
}

// Debian's mecab-ipadic (EUC-JP) comes with mecab-ipadic-utf8, which is
// built from it. Loaded for UTF-8 text it would find no word at all: every
// search would come back empty without a word of warning.
TEST(MecabSegmenterTest, RefusesADictionaryNotInUtf8) {
  const std::string euc_jp = "/var/lib/mecab/dic/ipadic";
  if (!std::filesystem::exists(std::filesystem::path(euc_jp) / "sys.dic")) {
    GTEST_SKIP() << "no EUC-JP dictionary at " << euc_jp << " (Debian's mecab-ipadic)";
  }
  auto segmenter = MecabSegmenter::CreateWithDictionary(euc_jp);
  ASSERT_FALSE(segmenter.ok());
  const std::string message = segmenter.status().ToString();
  EXPECT_NE(message.find("EUC-JP"), std::string::npos) << message;
  EXPECT_NE(message.find("UTF-8"), std::string::npos) << message;
}

TEST(MecabSegmenterTest, EmptyTextGivesNoTokens) {
  ASSERT_NE(Segmenter(), nullptr);
  auto tokens = Segmenter()->SegmentAll("");
  ASSERT_OK(tokens);
  EXPECT_TRUE(tokens->empty());
}

TEST(MecabSegmenterTest, ReadsOnlyTheGivenBytes) {
  ASSERT_NE(Segmenter(), nullptr);
  // The view ends before "鍵": MeCab must not read past nText.
  const std::string buffer = "暗号鍵";
  auto tokens = Segmenter()->SegmentAll(std::string_view(buffer).substr(0, 6));
  ASSERT_OK(tokens);
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].surface, "暗号");
}

TEST(MecabSegmenterTest, LongTextIsCutIntoPiecesWithExactOffsets) {
  ASSERT_NE(Segmenter(), nullptr);
  std::string text;
  while (text.size() < 100 * 1024)
    text += "当社は暗号鍵を適切に管理しています。Backup は毎日取得する";
  auto tokens = Segmenter()->SegmentAll(text);
  ASSERT_OK(tokens);
  std::string joined;
  size_t previous_end = 0;
  for (const OwnedToken& t : *tokens) {
    ASSERT_EQ(text.substr(t.begin, t.end - t.begin), t.surface);
    ASSERT_GE(t.begin, previous_end);
    previous_end = t.end;
    joined += t.surface;
  }
  std::string without_spaces = text;
  std::erase(without_spaces, ' ');
  EXPECT_EQ(joined, without_spaces);
}

TEST(MecabSegmenterTest, StopsWhenTheCallbackSaysSo) {
  ASSERT_NE(Segmenter(), nullptr);
  int seen = 0;
  ASSERT_OK(Segmenter()->Segment("暗号鍵を管理する", [&seen](const Token&) {
    ++seen;
    return seen < 2;
  }));
  EXPECT_EQ(seen, 2);
}

TEST(MecabSegmenterTest, ThreadsSharingOneSegmenterGetTheSameTokens) {
  ASSERT_NE(Segmenter(), nullptr);
  const std::string text = "アクセス権限を定期的に見直し、不要な権限を削除しています。";
  auto expected = Segmenter()->SegmentAll(text);
  ASSERT_OK(expected);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto got = Segmenter()->SegmentAll(text);
        if (!got.ok() || got->size() != expected->size()) {
          ++mismatches[t];
          continue;
        }
        for (size_t k = 0; k < got->size(); ++k) {
          if ((*got)[k].surface != (*expected)[k].surface) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// ---------------------------------------------------------------------------
// SearchTokenizer: folding, skipping, colocated base forms, offsets.

TEST(SearchTokenizerTest, TokensOffsetsAndColocatedBaseForms) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer tokenizer(Segmenter());
  struct Row {
    std::string text;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"", ""},
      {" \n\t　", ""},
      {"「。」、・※", ""},
      {"講じています", "講じ[0,6] +講じる[0,6] て[6,9] い[9,12] +いる[9,12] ます[12,18]"},
      // -ずる verbs are written as their -じる twin so both spellings meet.
      {"講ずる", "講ずる[0,9] +講じる[0,9]"},
      {"ISO27001", "iso[0,3] 27001[3,8]"},
      // Full-width ASCII folds; offsets still point at the full-width bytes.
      {"ＩＳＯ２７００１", "iso[0,9] 27001[9,24]"},
      {"ｶﾀｶﾅ", "カタカナ[0,12]"},
      {"AWSのKMSで暗号鍵を管理",
       "aws[0,3] の[3,6] kms[6,9] で[9,12] 暗号[12,18] 鍵[18,21] を[21,24] 管理[24,30]"},
      {"「暗号鍵」", "暗号[3,9] 鍵[9,12]"},
      {"Backup, Restore!", "backup[0,6] restore[8,15]"},
      // A token inside an expansion ("㈱" -> "(株)") covers the whole source.
      {"㈱テスト", "株[0,3] テスト[3,12]"},
  };
  for (const Row& row : rows) {
    auto tokens = tokenizer.Tokenize(row.text);
    ASSERT_OK(tokens);
    EXPECT_EQ(Describe(row.text, **tokens), row.want) << row.text;
  }
}

TEST(SearchTokenizerTest, WidthAndCaseVariantsGiveTheSameTokenTexts) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer tokenizer(Segmenter());
  auto texts = [&](std::string_view text) {
    std::vector<std::string> out;
    auto tokens = tokenizer.Tokenize(text);
    EXPECT_TRUE(tokens.ok());
    if (!tokens.ok()) return out;
    for (size_t i = 0; i < (*tokens)->size(); ++i) out.emplace_back((**tokens)[i].text);
    return out;
  };
  const std::vector<std::string> want = texts("iso27001 に準拠");
  for (std::string_view variant :
       {"ISO27001 に準拠", "ＩＳＯ２７００１ に準拠", "Iso27001　に準拠"}) {
    EXPECT_EQ(texts(variant), want) << variant;
  }
  EXPECT_EQ(texts("ｱｸｾｽ制御"), texts("アクセス制御"));
}

TEST(SearchTokenizerTest, NonColocatedTokensFoldTheirSourceBytes) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer tokenizer(Segmenter());
  const std::string text =
      "当社はＦＩＳＣ安全対策基準に基づき、ｱｸｾｽ権限を年２回見直しています。Data is "
      "ENCRYPTED with AES-256.";
  auto tokens = tokenizer.Tokenize(text);
  ASSERT_OK(tokens);
  ASSERT_FALSE((*tokens)->empty());
  for (size_t i = 0; i < (*tokens)->size(); ++i) {
    SearchToken t = (**tokens)[i];
    if (t.colocated) continue;
    auto again = tokenizer.Tokenize(text.substr(t.begin, t.end - t.begin));
    ASSERT_OK(again);
    ASSERT_EQ((*again)->size() > 0, true) << t.text;
    EXPECT_EQ((**again)[0].text, t.text);
    // Back to the long text: the cache must give the same list again.
    ASSERT_OK(tokenizer.Tokenize(text));
  }
}

TEST(SearchTokenizerTest, RepeatedTextsGiveIdenticalTokensFromTheCache) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer tokenizer(Segmenter());
  const std::string a = "ログを一年間保管しています";
  const std::string b = "障害時は速やかに復旧する";
  auto first = tokenizer.Tokenize(a);
  ASSERT_OK(first);
  const std::string want = Describe(a, **first);
  for (int round = 0; round < 20; ++round) {
    ASSERT_OK(tokenizer.Tokenize(b + std::to_string(round)));  // evicts slots in turn
    auto again = tokenizer.Tokenize(a);
    ASSERT_OK(again);
    EXPECT_EQ(Describe(a, **again), want);
  }
}

TEST(SearchTokenizerTest, InvalidUtf8StaysInsideTheText) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer tokenizer(Segmenter());
  for (std::string text : {std::string("暗号\xff\xfe鍵"), std::string("\xe6\x9a", 2),
                           std::string("ok\x80\xbfＡＢＣ"), std::string("a\0b", 3)}) {
    auto tokens = tokenizer.Tokenize(text);
    ASSERT_OK(tokens);
    Describe(text, **tokens);  // checks every range lies inside the text
  }
}

TEST(SearchTokenizerTest, TinyCacheGivesTheSameTokensAsALargeOne) {
  ASSERT_NE(Segmenter(), nullptr);
  SearchTokenizer small(Segmenter(), std::make_shared<PieceCache>(256));
  SearchTokenizer large(Segmenter());
  const std::vector<std::string> texts = {
      "実8 | 暗号鍵は専用の装置で管理しています。定期的に更新します。",
      "暗号鍵は専用の装置で管理しています。",
      "定期的に更新します。\n障害時は速やかに復旧します!",
      "実8 | 暗号鍵は専用の装置で管理しています。定期的に更新します。",
  };
  for (int round = 0; round < 3; ++round) {
    for (const std::string& text : texts) {
      auto a = small.Tokenize(text);
      ASSERT_OK(a);
      const std::string want = Describe(text, **a);
      auto b = large.Tokenize(text);
      ASSERT_OK(b);
      EXPECT_EQ(Describe(text, **b), want) << text;
    }
  }
}

TEST(SearchTokenizerTest, PiecesAreCutAtSentenceEndsAndCellSeparators) {
  ASSERT_NE(Segmenter(), nullptr);
  auto cache = std::make_shared<PieceCache>();
  SearchTokenizer tokenizer(Segmenter(), cache);
  ASSERT_OK(tokenizer.Tokenize("実8 | 暗号鍵を管理する。 定期的に更新する\n  ログを保管する！"));
  for (std::string_view piece :
       {"実8 |", "暗号鍵を管理する。", "定期的に更新する", "ログを保管する！"}) {
    EXPECT_NE(cache->Find(piece), nullptr) << piece;
  }
  EXPECT_EQ(cache->Find(" 暗号鍵を管理する。"), nullptr);  // surrounding space is not kept
}

TEST(SearchTokenizerTest, PrefillOnThreadsGivesTheSameTokensAsTokenizingAlone) {
  ASSERT_NE(Segmenter(), nullptr);
  std::vector<std::string> texts;
  for (int i = 0; i < 600; ++i) {
    texts.push_back("第" + std::to_string(i) + "条に従い、委託先" + std::to_string(i * 7) +
                    "の暗号鍵を年" + std::to_string(i % 12) + "回見直しています。ISO" +
                    std::to_string(27000 + i) + "に準拠します。");
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto cache = std::make_shared<PieceCache>();
  ASSERT_OK(PrefillPieceCache(Segmenter(), views, 3, cache.get()));
  // Every piece is there now: the prefilled tokenizer segments nothing.
  for (const std::string& text : texts) {
    EXPECT_NE(cache->Find(text.substr(0, text.find("。") + 3)), nullptr) << text;
  }
  SearchTokenizer prefilled(Segmenter(), cache);
  SearchTokenizer alone(Segmenter());
  for (const std::string& text : texts) {
    auto a = alone.Tokenize(text);
    ASSERT_OK(a);
    const std::string want = Describe(text, **a);
    auto b = prefilled.Tokenize(text);
    ASSERT_OK(b);
    ASSERT_EQ(Describe(text, **b), want) << text;
  }
}

TEST(SearchTokenizerTest, PrefillOfLittleTextLeavesTheWorkToTokenize) {
  ASSERT_NE(Segmenter(), nullptr);
  auto cache = std::make_shared<PieceCache>();
  const std::vector<std::string_view> texts = {"暗号鍵を管理する。"};
  ASSERT_OK(PrefillPieceCache(Segmenter(), texts, 4, cache.get()));
  EXPECT_EQ(cache->Find("暗号鍵を管理する。"), nullptr);
}

// ---------------------------------------------------------------------------
// The FTS5 adapter, through SQLite itself.

class FtsTokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(Segmenter(), nullptr);
    auto db = OpenDatabase((dir_.path() / "fts.db").string());
    ASSERT_OK(db);
    db_ = std::move(*db);
    ASSERT_OK(RegisterFtsTokenizer(db_.get(), Segmenter()));
  }

  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    auto stmt = Statement::Prepare(db_.get(), sql, false);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    if (!stmt.ok()) return out;
    while (true) {
      auto row = stmt->Step();
      EXPECT_TRUE(row.ok()) << row.status().ToString();
      if (!row.ok() || !*row) break;
      out.emplace_back(stmt->ColumnText(0));
    }
    return out;
  }

  TempDir dir_;
  DbPtr db_;
};

TEST_F(FtsTokenizerTest, HighlightUsesOffsetsIntoTheOriginalText) {
  ASSERT_OK(Exec(db_.get(),
                 "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='fiscdex_mecab');"
                 "INSERT INTO t(x) VALUES ('当社は対策を講じています。'),"
                 "('ＩＳＯ２７００１の認証を取得'), ('暗号化された鍵');"));
  struct Row {
    std::string match;
    std::vector<std::string> want;
  };
  const std::vector<Row> rows = {
      {"講ずる", {"当社は対策を[講じ]ています。"}},
      {"\"iso 27001\"", {"[ＩＳＯ２７００１]の認証を取得"}},
      {"\"暗号鍵\"", {}},
      {"鍵", {"暗号化された[鍵]"}},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Column("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH '" + row.match +
                     "' ORDER BY rowid"),
              row.want)
        << row.match;
  }
}

TEST_F(FtsTokenizerTest, RankFunctionAgreesWithBm25) {
  ASSERT_OK(RegisterFtsRankFunction(db_.get()));
  ASSERT_OK(Exec(db_.get(),
                 "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='fiscdex_mecab');"
                 "INSERT INTO t(a, b) VALUES ('暗号鍵の管理', '鍵は金庫に保管する'),"
                 "('鍵', '暗号化と鍵の管理と鍵の更新'), ('入退室管理', '鍵の貸出記録'),"
                 "('監査', '外部監査を年一回受ける');"));
  // Below kRankMaxIdfHits rows per phrase the two are the same number.
  for (std::string match : {"鍵", "管理", "鍵 AND 管理", "\"鍵 の 管理\"", "監査 OR 鍵"}) {
    auto stmt = Statement::Prepare(
        db_.get(), "SELECT fiscdex_rank(t, 2.0, 1.0), -bm25(t, 2.0, 1.0) FROM t WHERE t MATCH ?1",
        false);
    ASSERT_OK(stmt);
    ASSERT_OK(stmt->BindText(1, match));
    int rows = 0;
    while (true) {
      auto row = stmt->Step();
      ASSERT_OK(row);
      if (!*row) break;
      ++rows;
      EXPECT_NEAR(stmt->ColumnDouble(0), stmt->ColumnDouble(1), 1e-9) << match;
      EXPECT_GT(stmt->ColumnDouble(0), 0) << match;
    }
    EXPECT_GT(rows, 0) << match;
  }
}

TEST_F(FtsTokenizerTest, RejectsTokenizerArguments) {
  Status status =
      Exec(db_.get(), "CREATE VIRTUAL TABLE bad USING fts5(x, tokenize='fiscdex_mecab extra')");
  EXPECT_FALSE(status.ok());
}

TEST_F(FtsTokenizerTest, IndexesEmptyAndPunctuationOnlyRows) {
  ASSERT_OK(Exec(db_.get(),
                 "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='fiscdex_mecab');"
                 "INSERT INTO t(x) VALUES (''), ('。、「」'), (NULL), ('管理');"
                 "INSERT INTO t(t) VALUES ('integrity-check');"));
  EXPECT_EQ(Column("SELECT x FROM t WHERE t MATCH '管理'"), std::vector<std::string>{"管理"});
}

// ---------------------------------------------------------------------------
// Query parsing.

TEST(QueryTest, TranslatesUserQueriesToFts5) {
  struct Row {
    std::string query;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"暗号鍵", R"("暗号鍵" *)"},
      {"ISO27001", R"("iso27001")"},
      {"ＩＳＯ２７００１", R"("iso27001")"},
      {"ｱｸｾｽ", R"("アクセス")"},
      {"暗号 鍵", R"("暗号" * AND "鍵" *)"},
      {"暗号　鍵", R"("暗号" * AND "鍵" *)"},  // ideographic space
      {"暗号 AND 鍵", R"("暗号" * AND "鍵" *)"},
      {"\"暗号鍵 の 管理\"", R"("暗号鍵 の 管理")"},
      {"“暗号鍵”", R"("暗号鍵")"},  // quoted: as written, no prefix
      {"暗号 OR 鍵", R"("暗号" * OR "鍵" *)"},
      {"a OR b c", R"(("a" OR "b") AND "c")"},
      {"暗号 -鍵", R"("暗号" * NOT "鍵" *)"},
      {"暗号 NOT 鍵", R"("暗号" * NOT "鍵" *)"},
      {"暗号 -\"鍵 管理\"", R"("暗号" * NOT "鍵 管理")"},
      {"暗号 -鍵 \"a b\" OR c", R"(("暗号" * AND ("a b" OR "c")) NOT "鍵" *)"},
      {"x OR y -z", R"(("x" OR "y") NOT "z")"},
      {"or and not", R"("or" AND "and" AND "not")"},  // lower case: words
      {"ISO-27001", R"("iso-27001")"},
      {"実 ８", R"("実" * AND "8")"},
      {"暗号 、", R"("暗号" *)"},  // punctuation can match nothing
      {"(株)", R"q("(株)")q"},
      {"ログ", R"("ログ")"},  // kana ending: whole words only
      {"講じる", R"("講じる")"},
  };
  // Synonyms are tested in tests/tokens_test.cc; none here.
  const Synonyms none;
  for (const Row& row : rows) {
    auto got = ToFtsQuery(row.query, none);
    ASSERT_OK(got);
    EXPECT_EQ(*got, row.want) << row.query;
  }
}

TEST(QueryTest, RejectsMalformedQueriesNamingTheProblem) {
  struct Row {
    std::string query;
    std::string problem;
  };
  const std::vector<Row> rows = {
      {"", "empty query"},
      {"   ", "empty query"},
      {"。、", "empty query"},
      {"\"\"", "empty query"},
      {"\"暗号鍵", "unbalanced quote"},
      {"暗号 \"鍵 管理", "unbalanced quote"},
      {"OR 暗号", "OR with nothing on one side"},
      {"暗号 OR", "OR with nothing on one side"},
      {"暗号 OR OR 鍵", "OR with nothing on one side"},
      {"暗号 -鍵 OR 管理", "OR with nothing on one side"},
      {"暗号 OR -鍵", "OR with nothing on one side"},
      {"暗号 OR NOT 鍵", "OR with nothing on one side"},
      {"AND 暗号", "AND with nothing on one side"},
      {"暗号 AND", "AND with nothing on one side"},
      {"暗号 NOT", "NOT with nothing on one side"},
      {"暗号 NOT NOT 鍵", "NOT with nothing on one side"},
      {"暗号 - 鍵", "- with nothing on one side"},
      {"-鍵", "only excluded terms"},
      {"NOT 鍵", "only excluded terms"},
  };
  for (const Row& row : rows) {
    auto got = ToFtsQuery(row.query);
    ASSERT_FALSE(got.ok()) << row.query;
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << row.query;
    EXPECT_EQ(got.status().message(), "query \"" + row.query + "\": " + row.problem);
  }
}

// ---------------------------------------------------------------------------
// Index

normalize::Passage MakePassage(std::string text, int page, size_t begin, size_t end) {
  normalize::Passage p;
  p.text = std::move(text);
  p.page = page;
  p.source_begin = begin;
  p.source_end = end;
  return p;
}

extract::CriterionRecord MakeRecord(std::string id, std::string answer,
                                    std::vector<std::string> group = {}, int page = 1,
                                    size_t begin = 0, size_t end = 0) {
  extract::CriterionRecord r;
  r.group = group.empty() ? std::vector<std::string>{id} : std::move(group);
  r.id = std::move(id);
  r.answer = std::move(answer);
  r.page = page;
  r.source_begin = begin;
  r.source_end = end;
  return r;
}

DocumentInput MakeDocument(std::string path, std::string hash, std::string vendor) {
  DocumentInput doc;
  doc.path = std::move(path);
  doc.content_hash = std::move(hash);
  doc.format = "text";
  doc.encoding = "UTF-8";
  doc.size_bytes = 1000;
  doc.mtime_ns = 1700000000123456789;
  doc.page_count = 2;
  doc.metadata.vendor = std::move(vendor);
  doc.metadata.edition = 10;
  doc.metadata.date = "2024-04-01";
  return doc;
}

// Cloud A's whitepaper: two records in a group sharing one answer, one more
// record, and passages (one of them the same place as a record).
DocumentInput CloudA(std::string hash = "hash-a1") {
  DocumentInput doc = MakeDocument("docs/cloud_a.txt", std::move(hash), "クラウドA社");
  doc.metadata.title = "FISC安全対策基準への対応状況";
  doc.passages = {
      MakePassage("FISC安全対策基準への対応状況", 1, 0, 40),
      MakePassage("実8 | 暗号鍵は専用の鍵管理サービスで保護し、定期的に更新しています。", 1, 41,
                  140),
      MakePassage("当社はISO27001の認証を取得しており、年1回の外部監査を受けています。", 2, 141,
                  240),
  };
  doc.records = {
      MakeRecord("実8", "暗号鍵は専用の鍵管理サービスで保護し、定期的に更新しています。",
                 {"実8", "実9"}, 1, 41, 140),
      MakeRecord("実9", "暗号鍵は専用の鍵管理サービスで保護し、定期的に更新しています。",
                 {"実8", "実9"}, 1, 41, 140),
      MakeRecord("統1", "情報セキュリティ基本方針を定め、全社に周知しています。", {}, 2, 241, 300),
  };
  doc.records[2].title = "システムの安全対策に係る重要事項を定めた規程を整備すること。";
  return doc;
}

// Bank system vendor B: other sentences, the same criterion 実8.
DocumentInput VendorB() {
  DocumentInput doc = MakeDocument("docs/vendor_b.md", "hash-b1", "ベンダーB");
  doc.format = "markdown";
  doc.passages = {
      MakePassage("不正アクセス対策として、多要素認証を導入しています。", 1, 0, 80),
      MakePassage("実8 への対応は、実8 の解説書に従い実8 の要件を満たすよう設計しました。", 1, 81,
                  180),
  };
  doc.records = {
      MakeRecord("実8", "専用のハードウェアで鍵を保管する対策を講じています。", {}, 1, 200, 260),
  };
  return doc;
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenIndex(); }

  void OpenIndex() {
    index_.reset();
    auto opened = Index::Open(path());
    ASSERT_OK(opened);
    index_ = std::move(*opened);
  }

  std::string path() const { return (dir_.path() / "fiscdex.db").string(); }

  // A second, plain connection to the same file, for looking at the tables.
  int64_t Count(const std::string& sql) {
    auto db = OpenDatabase(path());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return -1;
    auto stmt = Statement::Prepare(db->get(), sql, false);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt64(0);
  }

  // FTS5's own check that its index matches the content tables, and the
  // number of index entries for `term` (needs the tokenizer: runs on a
  // connection that has it registered).
  void ExpectFtsConsistent() {
    auto db = OpenDatabase(path());
    ASSERT_OK(db);
    ASSERT_OK(RegisterFtsTokenizer(db->get(), Segmenter()));
    ASSERT_OK(Exec(db->get(),
                   "INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check');"
                   "INSERT INTO criteria_fts(criteria_fts) VALUES ('integrity-check');"));
  }
  int64_t IndexedDocsWithTerm(const std::string& table, const std::string& term) {
    auto db = OpenDatabase(path());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return -1;
    EXPECT_OK(RegisterFtsTokenizer(db->get(), Segmenter()));
    EXPECT_OK(
        Exec(db->get(),
             ("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, " + table + ", row)").c_str()));
    auto stmt = Statement::Prepare(
        db->get(), "SELECT coalesce(sum(doc), 0) FROM temp.v WHERE term = ?1", false);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok()) return -1;
    EXPECT_OK(stmt->BindText(1, term));
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt64(0);
  }

  // The content hash stored for `path`, or "" when it is not stored.
  std::string StoredHash(const std::string& path) {
    auto files = index_->ListStoredFiles();
    EXPECT_TRUE(files.ok());
    if (!files.ok()) return "";
    for (const StoredFile& file : *files) {
      if (file.path == path) return file.content_hash;
    }
    return "";
  }

  std::vector<SearchHit> SearchOrDie(std::string_view query, int limit = 20) {
    auto hits = index_->Search(query, limit);
    EXPECT_TRUE(hits.ok()) << query << ": " << hits.status().ToString();
    return hits.ok() ? *hits : std::vector<SearchHit>{};
  }

  TempDir dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(IndexTest, NewIndexIsWalWithVersionedSchemaAndMeta) {
  EXPECT_EQ(Count("PRAGMA user_version"), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM meta WHERE key = 'tokenizer' AND value = 'fiscdex_mecab'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM meta WHERE key = 'schema_version' AND value = '5'"), 1);
  // The dictionary it was tokenised with, so a later fiscdex can tell.
  EXPECT_EQ(Count("SELECT count(*) FROM meta WHERE key = 'dictionary' AND value LIKE '%sys.dic%'"),
            1);
  EXPECT_FALSE(index_->DictionaryMismatch().has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM meta WHERE key = 'created_by' AND value LIKE 'fiscdex %'"),
            1);
  auto db = OpenDatabase(path());
  ASSERT_OK(db);
  auto stmt = Statement::Prepare(db->get(), "PRAGMA journal_mode", false);
  ASSERT_OK(stmt);
  ASSERT_OK(stmt->Step());
  EXPECT_EQ(stmt->ColumnText(0), "wal");
}

TEST_F(IndexTest, AddThenSameHashIsUnchangedAndNewHashIsUpdated) {
  auto added = index_->AddDocument(CloudA());
  ASSERT_OK(added);
  EXPECT_EQ(*added, AddOutcome::kAdded);
  auto unchanged = index_->AddDocument(CloudA());
  ASSERT_OK(unchanged);
  EXPECT_EQ(*unchanged, AddOutcome::kUnchanged);
  EXPECT_EQ(StoredHash("docs/cloud_a.txt"), "hash-a1");
  auto updated = index_->AddDocument(CloudA("hash-a2"));
  ASSERT_OK(updated);
  EXPECT_EQ(*updated, AddOutcome::kUpdated);
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM passages"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 3);
  ExpectFtsConsistent();
}

TEST_F(IndexTest, ReplacingADocumentLeavesNoStaleRows) {
  DocumentInput v1 = CloudA();
  v1.passages.push_back(MakePassage("旧版では磁気テープで遠隔地に保管していました。", 2, 300, 400));
  v1.records.push_back(MakeRecord("設83-1", "磁気テープを遠隔地に保管しています。"));
  ASSERT_OK(index_->AddDocument(v1));
  ASSERT_OK(index_->AddDocument(VendorB()));
  EXPECT_EQ(SearchOrDie("磁気テープ").size(), 2u);
  EXPECT_EQ(IndexedDocsWithTerm("passages_fts", "磁気"), 1);

  DocumentInput v2 = CloudA("hash-a2");
  v2.passages[2].text = "当社はクラウド上で複数リージョンにバックアップを取得しています。";
  auto outcome = index_->AddDocument(v2);
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, AddOutcome::kUpdated);

  EXPECT_TRUE(SearchOrDie("磁気テープ").empty());
  EXPECT_EQ(IndexedDocsWithTerm("passages_fts", "磁気"), 0);
  EXPECT_EQ(IndexedDocsWithTerm("criteria_fts", "磁気"), 0);
  EXPECT_EQ(IndexedDocsWithTerm("passages_fts", "iso"), 0);
  EXPECT_EQ(SearchOrDie("バックアップ").size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM passages"), 3 + 2);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 3 + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria WHERE criterion_id = '設83-1'"), 0);
  ExpectFtsConsistent();
  // Vendor B was not touched.
  EXPECT_EQ(SearchOrDie("多要素認証").size(), 1u);
}

TEST_F(IndexTest, DeletingADocumentRowRemovesItsPassagesCriteriaAndFtsRows) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  {
    // The schema's cascade and triggers, not AddDocument, do this work.
    auto db = OpenDatabase(path());
    ASSERT_OK(db);
    ASSERT_OK(RegisterFtsTokenizer(db->get(), Segmenter()));
    ASSERT_OK(Exec(db->get(),
                   "PRAGMA foreign_keys = ON;"
                   "DELETE FROM documents WHERE path = 'docs/cloud_a.txt'"));
  }
  EXPECT_EQ(Count("SELECT count(*) FROM passages"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 1);
  EXPECT_EQ(IndexedDocsWithTerm("criteria_fts", "暗号"), 0);
  EXPECT_EQ(IndexedDocsWithTerm("passages_fts", "iso"), 0);
  ExpectFtsConsistent();
}

TEST_F(IndexTest, RowsCannotBeUpdatedInPlace) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  auto db = OpenDatabase(path());
  ASSERT_OK(db);
  for (const char* sql : {"UPDATE passages SET text = 'x'", "UPDATE criteria SET answer = 'x'"}) {
    Status status = Exec(db->get(), sql);
    EXPECT_FALSE(status.ok()) << sql;
    EXPECT_NE(status.message().find("replaced with their document"), std::string::npos)
        << status.ToString();
  }
}

TEST_F(IndexTest, FailedAddRollsBackAndKeepsTheOldVersion) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  const int64_t passages_before = Count("SELECT count(*) FROM passages");

  struct Row {
    std::string name;
    DocumentInput doc;
  };
  std::vector<Row> rows;
  {
    // A replacement whose last record is bad: page 0 breaks a CHECK
    // constraint after the old version was deleted and the new rows written.
    DocumentInput doc = CloudA("hash-a2");
    doc.passages[2].text = "新版の文章です。";
    doc.records.push_back(MakeRecord("実10", "ページが不正な記録", {}, 0));
    rows.push_back({"replacement", std::move(doc)});
  }
  {
    DocumentInput doc = CloudA("hash-a3");
    doc.records[1].id = "";  // an empty criterion ID
    rows.push_back({"empty id", std::move(doc)});
  }
  {
    DocumentInput doc = VendorB();
    doc.passages[1].page = -1;
    rows.push_back({"new document", std::move(doc)});
  }
  for (const Row& row : rows) {
    auto outcome = index_->AddDocument(row.doc);
    ASSERT_FALSE(outcome.ok()) << row.name;
    EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidArgument) << row.name;
    EXPECT_NE(outcome.status().message().find("CHECK constraint"), std::string::npos)
        << outcome.status().ToString();

    auto docs = index_->ListDocuments();
    ASSERT_OK(docs);
    ASSERT_EQ(docs->size(), 1u) << row.name;
    EXPECT_EQ((*docs)[0].path, "docs/cloud_a.txt");
    EXPECT_EQ(StoredHash("docs/cloud_a.txt"), "hash-a1") << row.name;
    EXPECT_EQ(Count("SELECT count(*) FROM passages"), passages_before) << row.name;
    EXPECT_EQ(SearchOrDie("ISO27001").size(), 1u) << row.name;
    EXPECT_TRUE(SearchOrDie("新版").empty()) << row.name;
    ExpectFtsConsistent();
  }
  // The index still takes writes after the failures.
  auto outcome = index_->AddDocument(VendorB());
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, AddOutcome::kAdded);
}

TEST_F(IndexTest, WidthCaseAndKanaWidthDoNotMatter) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  const std::vector<SearchHit> want = SearchOrDie("iso27001");
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(want[0].document, "docs/cloud_a.txt");
  EXPECT_EQ(want[0].page, 2);
  for (std::string_view variant :
       {"ISO27001", "ＩＳＯ２７００１", "Iso27001", "ｉｓｏ２７００１"}) {
    std::vector<SearchHit> got = SearchOrDie(variant);
    ASSERT_EQ(got.size(), want.size()) << variant;
    EXPECT_EQ(got[0].document, want[0].document) << variant;
    EXPECT_EQ(got[0].snippet, want[0].snippet) << variant;
    EXPECT_DOUBLE_EQ(got[0].score, want[0].score) << variant;
  }
  const auto half = SearchOrDie("ｾｷｭﾘﾃｨ");
  const auto full = SearchOrDie("セキュリティ");
  ASSERT_EQ(half.size(), full.size());
  ASSERT_FALSE(full.empty());
}

TEST_F(IndexTest, InflectedQueryFindsOtherInflections) {
  ASSERT_OK(index_->AddDocument(VendorB()));
  std::vector<SearchHit> hits = SearchOrDie("講ずる");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].criterion_id, "実8");
  EXPECT_NE(hits[0].snippet.find("«講じ»"), std::string::npos) << hits[0].snippet;
  EXPECT_EQ(SearchOrDie("講じる").size(), 1u);
  EXPECT_EQ(SearchOrDie("保管し").size(), 1u);    // 保管する in another form
  EXPECT_EQ(SearchOrDie("導入する").size(), 1u);  // text: 導入しています
}

TEST_F(IndexTest, CompoundTermIsAPhrase) {
  DocumentInput doc = MakeDocument("docs/phrase.txt", "h", "ベンダーC");
  doc.passages = {MakePassage("暗号化した上で鍵を別の場所に保管します。", 1, 0, 10),
                  MakePassage("暗号鍵はHSMで生成します。", 1, 10, 20)};
  ASSERT_OK(index_->AddDocument(doc));
  std::vector<SearchHit> hits = SearchOrDie("暗号鍵");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].snippet, "«暗号鍵»はHSMで生成します。");
  EXPECT_EQ(SearchOrDie("暗号 鍵").size(), 2u);  // two terms: AND, not a phrase
}

TEST_F(IndexTest, OperatorsCombineTerms) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  struct Row {
    std::string query;
    std::vector<std::string> documents;  // sorted, each once
  };
  const std::vector<Row> rows = {
      {"多要素認証", {"docs/vendor_b.md"}},
      {"多要素認証 OR 外部監査", {"docs/cloud_a.txt", "docs/vendor_b.md"}},
      {"鍵 -ハードウェア", {"docs/cloud_a.txt"}},
      {"鍵 NOT ハードウェア", {"docs/cloud_a.txt"}},
      {"\"鍵 管理\"", {"docs/cloud_a.txt"}},
      {"鍵 管理 ハードウェア", {}},
  };
  for (const Row& row : rows) {
    std::vector<std::string> documents;
    for (const SearchHit& hit : SearchOrDie(row.query)) documents.push_back(hit.document);
    std::sort(documents.begin(), documents.end());
    documents.erase(std::unique(documents.begin(), documents.end()), documents.end());
    EXPECT_EQ(documents, row.documents) << row.query;
  }
}

TEST_F(IndexTest, CriterionIdQueryPutsThatCriterionFirst) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  for (std::string_view query : {"実8", "実 ８", "【実8】"}) {
    std::vector<SearchHit> hits = SearchOrDie(query);
    ASSERT_GE(hits.size(), 3u) << query;
    // Both documents' 実8 records, by vendor: "クラウドA社" < "ベンダーB".
    EXPECT_EQ(hits[0].criterion_id, "実8") << query;
    EXPECT_EQ(hits[0].document, "docs/cloud_a.txt") << query;
    EXPECT_EQ(hits[1].criterion_id, "実8") << query;
    EXPECT_EQ(hits[1].document, "docs/vendor_b.md") << query;
    EXPECT_EQ(hits[0].snippet.rfind("«実8» 暗号鍵は", 0), 0u) << hits[0].snippet;
    // The passage that mentions 実8 three times follows, scored lower.
    for (size_t i = 2; i < hits.size(); ++i) {
      EXPECT_LT(hits[i].score, hits[1].score) << query;
      EXPECT_NE(hits[i].criterion_id, "実8") << query;
    }
    EXPECT_TRUE(std::any_of(hits.begin() + 2, hits.end(), [](const SearchHit& h) {
      return h.document == "docs/vendor_b.md" && !h.criterion_id;
    })) << query;
  }
}

TEST_F(IndexTest, PassageAtTheSamePlaceAsARecordIsNotRepeated) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  // The 実8 passage and the 実8/実9 records share bytes 41..140 on page 1;
  // only the records are shown.
  std::vector<SearchHit> hits = SearchOrDie("鍵管理サービス");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE(hits[0].criterion_id.has_value());
  EXPECT_TRUE(hits[1].criterion_id.has_value());
  EXPECT_NE(hits[0].criterion_id, hits[1].criterion_id);

  // Without source offsets the same text on the same page is the test.
  DocumentInput doc = MakeDocument("docs/no_offsets.txt", "h", "ベンダーD");
  doc.passages = {MakePassage("入退室は生体認証で管理しています。", 3, 0, 0)};
  doc.records = {MakeRecord("設20", "入退室は生体認証で管理しています。", {}, 3)};
  ASSERT_OK(index_->AddDocument(doc));
  hits = SearchOrDie("生体認証");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].criterion_id, "設20");
}

TEST_F(IndexTest, HitsCarryDocumentVendorPageSnippetAndScore) {
  DocumentInput doc = MakeDocument("docs/long.txt", "h", "ベンダーE");
  std::string long_text = "前置きの文章です。\n";
  for (int i = 0; i < 20; ++i) long_text += "関係のない説明が続きます。";
  long_text += "重要なのは監査ログの保全です。\n";
  for (int i = 0; i < 20; ++i) long_text += "さらに関係のない説明です。";
  doc.passages = {MakePassage(long_text, 2, 0, long_text.size()),
                  MakePassage("監査ログの保全と監査ログの分析", 1, 0, 0)};
  ASSERT_OK(index_->AddDocument(doc));
  std::vector<SearchHit> hits = SearchOrDie("監査ログ");
  ASSERT_EQ(hits.size(), 2u);
  for (const SearchHit& hit : hits) {
    EXPECT_EQ(hit.document, "docs/long.txt");
    EXPECT_EQ(hit.vendor, "ベンダーE");
    EXPECT_FALSE(hit.criterion_id.has_value());
    EXPECT_GT(hit.score, 0);
    EXPECT_EQ(hit.snippet.find('\n'), std::string::npos) << hit.snippet;
    // The phrase's tokens are marked as one match.
    EXPECT_NE(hit.snippet.find("«監査ログ»"), std::string::npos) << hit.snippet;
  }
  // Two matches in a short passage beat one in a long one.
  EXPECT_EQ(hits[0].page, 1);
  EXPECT_GT(hits[0].score, hits[1].score);
  EXPECT_EQ(hits[1].page, 2);
  EXPECT_LT(hits[1].snippet.size(), long_text.size() / 2);  // a window, not the passage
  EXPECT_NE(hits[1].snippet.find("…"), std::string::npos);
}

TEST_F(IndexTest, SearchHonoursTheLimit) {
  DocumentInput doc = MakeDocument("docs/many.txt", "h", "ベンダーF");
  for (int i = 0; i < 30; ++i) {
    doc.passages.push_back(
        MakePassage("定期的にバックアップを取得します。第" + std::to_string(i) + "項", 1, 0, 0));
  }
  ASSERT_OK(index_->AddDocument(doc));
  EXPECT_EQ(SearchOrDie("バックアップ", 7).size(), 7u);
  EXPECT_EQ(SearchOrDie("バックアップ", 100).size(), 30u);
  auto bad = index_->Search("バックアップ", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

// The same whitepaper as HTML and as PDF gives rows of equal score. A
// parallel ingest commits documents in whatever order their workers finish,
// so ties must not follow the order of indexing: the same corpus gives the
// same hits, and the same ones survive a limit.
TEST_F(IndexTest, TiesAreOrderedByPathWhateverTheIndexingOrder) {
  for (const char* name : {"docs/c.html", "docs/a.pdf", "docs/b.txt"}) {
    DocumentInput doc = MakeDocument(name, name, "ベンダーT");
    doc.passages = {MakePassage("監視カメラの映像を九十日保存しています。", 2, 10, 70)};
    doc.records = {MakeRecord("設30", "入館者の記録を五年保存しています。", {}, 1)};
    ASSERT_OK(index_->AddDocument(doc));
  }
  auto documents = [](const std::vector<SearchHit>& hits) {
    std::vector<std::string> paths;
    for (const SearchHit& hit : hits) paths.push_back(hit.document);
    return paths;
  };
  const std::vector<std::string> all = {"docs/a.pdf", "docs/b.txt", "docs/c.html"};
  EXPECT_EQ(documents(SearchOrDie("監視カメラ")), all);
  EXPECT_EQ(documents(SearchOrDie("入館者")), all);
  const std::vector<std::string> first_two = {"docs/a.pdf", "docs/b.txt"};
  EXPECT_EQ(documents(SearchOrDie("監視カメラ", 2)), first_two);
  EXPECT_EQ(documents(SearchOrDie("入館者", 2)), first_two);
  // Records count more than passages (kRecordWeight): the three records,
  // by path, then the passages, by path.
  EXPECT_EQ(documents(SearchOrDie("保存", 4)),
            (std::vector<std::string>{"docs/a.pdf", "docs/b.txt", "docs/c.html", "docs/a.pdf"}));
}

TEST_F(IndexTest, TermsInMoreRowsThanTheRankWindowStillGiveHits) {
  DocumentInput doc = MakeDocument("docs/huge.txt", "h", "ベンダーH");
  for (int i = 0; i < 2500; ++i) {
    doc.passages.push_back(MakePassage("毎日バックアップを取得します。", 1 + i / 100, 0, 0));
  }
  doc.passages.push_back(MakePassage("バックアップ、バックアップ、バックアップ。", 30, 0, 0));
  ASSERT_OK(index_->AddDocument(doc));
  std::vector<SearchHit> hits = SearchOrDie("バックアップ", 10);
  ASSERT_EQ(hits.size(), 10u);
  for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
}

TEST_F(IndexTest, SearchReportsQueryErrors) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  for (std::string_view query : {"", "\"暗号", "暗号 OR", "-暗号"}) {
    auto hits = index_->Search(query, 10);
    ASSERT_FALSE(hits.ok()) << query;
    EXPECT_EQ(hits.status().code(), StatusCode::kInvalidArgument) << query;
    EXPECT_NE(hits.status().message().find(std::string(query)), std::string::npos);
  }
}

TEST_F(IndexTest, AnswersForListsEveryDocumentByVendorThenPath) {
  ASSERT_OK(index_->AddDocument(VendorB()));
  ASSERT_OK(index_->AddDocument(CloudA()));
  DocumentInput same_vendor = CloudA("hash-x");
  same_vendor.path = "docs/another_cloud_a.txt";
  same_vendor.records[0].answer = "別製品での回答";
  ASSERT_OK(index_->AddDocument(same_vendor));
  DocumentInput no_vendor = MakeDocument("docs/anonymous.txt", "h", "");
  no_vendor.metadata.vendor.reset();
  no_vendor.records = {MakeRecord("実8", "匿名の回答")};
  ASSERT_OK(index_->AddDocument(no_vendor));

  for (std::string id : {"実8", "実 ８"}) {
    auto answers = index_->AnswersFor(id);
    ASSERT_OK(answers);
    ASSERT_EQ(answers->size(), 4u);
    EXPECT_EQ((*answers)[0].document, "docs/another_cloud_a.txt");
    EXPECT_EQ((*answers)[0].answer, "別製品での回答");
    EXPECT_EQ((*answers)[1].document, "docs/cloud_a.txt");
    EXPECT_EQ((*answers)[1].vendor, "クラウドA社");
    EXPECT_EQ((*answers)[1].group, (std::vector<std::string>{"実8", "実9"}));
    EXPECT_EQ((*answers)[1].page, 1);
    EXPECT_EQ((*answers)[2].document, "docs/vendor_b.md");
    EXPECT_EQ((*answers)[3].document, "docs/anonymous.txt");
    EXPECT_FALSE((*answers)[3].vendor.has_value());
    for (const CriterionAnswer& a : *answers) EXPECT_EQ(a.id, "実8");
  }
  auto titled = index_->AnswersFor("統1");
  ASSERT_OK(titled);
  ASSERT_EQ(titled->size(), 2u);
  EXPECT_EQ((*titled)[0].title, "システムの安全対策に係る重要事項を定めた規程を整備すること。");
  auto none = index_->AnswersFor("監1");
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(IndexTest, GroupMembersSharingAnAnswerAreAllFound) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  std::vector<SearchHit> hits = SearchOrDie("定期的に更新");
  std::vector<std::string> ids;
  for (const SearchHit& hit : hits) ids.push_back(hit.criterion_id.value_or("-"));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"実8", "実9"}));
}

TEST_F(IndexTest, StoresColumnsAndGroupsAsJson) {
  DocumentInput doc = MakeDocument("docs/columns.md", "h", "ベンダーG");
  extract::CriterionRecord r = MakeRecord("実1", "共通基盤の回答\n利用者の回答", {"実1", "実2"});
  r.columns = {{"共通基盤", "共通基盤の回答"}, {"利用者 \"注\"", "利用者の回答"}};
  doc.records = {r};
  ASSERT_OK(index_->AddDocument(doc));
  EXPECT_EQ(Count("SELECT count(*) FROM criteria WHERE group_ids = '[\"実1\",\"実2\"]'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria WHERE json_extract(columns, '$[1].header') = "
                  "'利用者 \"注\"'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria WHERE columns IS NULL"), 0);
}

TEST_F(IndexTest, ListDocumentsIsOrderedByPathWithCounts) {
  ASSERT_OK(index_->AddDocument(VendorB()));
  ASSERT_OK(index_->AddDocument(CloudA()));
  auto docs = index_->ListDocuments();
  ASSERT_OK(docs);
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].path, "docs/cloud_a.txt");
  EXPECT_EQ((*docs)[0].format, "text");
  EXPECT_EQ((*docs)[0].encoding, "UTF-8");
  EXPECT_EQ((*docs)[0].vendor, "クラウドA社");
  EXPECT_EQ((*docs)[0].edition, 10);
  EXPECT_EQ((*docs)[0].date, "2024-04-01");
  EXPECT_EQ((*docs)[0].records, 3);
  EXPECT_EQ((*docs)[0].passages, 3);
  EXPECT_EQ((*docs)[1].path, "docs/vendor_b.md");
  EXPECT_EQ((*docs)[1].format, "markdown");
  EXPECT_EQ((*docs)[1].records, 1);
  EXPECT_EQ((*docs)[1].passages, 2);
}

TEST_F(IndexTest, ReopenedIndexKeepsItsDocuments) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  OpenIndex();
  auto docs = index_->ListDocuments();
  ASSERT_OK(docs);
  EXPECT_EQ(docs->size(), 1u);
  EXPECT_EQ(SearchOrDie("暗号鍵").size(), 2u);
  auto outcome = index_->AddDocument(CloudA());
  ASSERT_OK(outcome);
  EXPECT_EQ(*outcome, AddOutcome::kUnchanged);
}

TEST_F(IndexTest, ReaderSeesTheWritersCommits) {
  auto reader = Index::Open(path());
  ASSERT_OK(reader);
  ASSERT_OK(index_->AddDocument(CloudA()));
  auto hits = (*reader)->Search("暗号鍵", 10);
  ASSERT_OK(hits);
  EXPECT_EQ(hits->size(), 2u);
}

// ---------------------------------------------------------------------------
// Files that are not (this version of) a fiscdex index.

TEST(IndexOpenTest, RefusesANewerSchemaVersion) {
  TempDir dir;
  const std::string path = (dir.path() / "future.db").string();
  {
    auto index = Index::Open(path);
    ASSERT_OK(index);
  }
  {
    auto db = OpenDatabase(path);
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(), "PRAGMA user_version = 7"));
  }
  auto index = Index::Open(path);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(index.status().message(),
            "index schema version 7 is newer than this fiscdex (version 5): use a newer fiscdex");
}

TEST(IndexOpenTest, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"notes.txt", "これはデータベースではありません。\n"},
      {"zeros.db", std::string(4096, '\0')},
  };
  for (const auto& [name, bytes] : rows) {
    const auto path = dir.path() / name;
    WriteFile(path, bytes);
    auto index = Index::Open(path.string());
    ASSERT_FALSE(index.ok()) << name;
    EXPECT_EQ(index.status().code(), StatusCode::kCorrupt) << name;
    EXPECT_EQ(index.status().message(), "not a fiscdex index: file is not a database") << name;
    // The file is left as it was.
    EXPECT_EQ(::fiscdex::testing::ReadFileOrDie(path), bytes) << name;
  }
}

TEST(IndexOpenTest, RefusesAnotherApplicationsDatabase) {
  TempDir dir;
  const std::string path = (dir.path() / "other.db").string();
  {
    auto db = OpenDatabase(path);
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(), "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)"));
  }
  auto index = Index::Open(path);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(index.status().message(),
            "not a fiscdex index: the database holds tables of another application");

  // Version 1 but no meta table: not ours either.
  {
    auto db = OpenDatabase(path);
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(), "PRAGMA user_version = 1"));
  }
  index = Index::Open(path);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().message(), "not a fiscdex index: it has no meta table");
}

TEST(IndexOpenTest, RefusesAnIndexBuiltWithAnotherTokenizer) {
  TempDir dir;
  const std::string path = (dir.path() / "other_tokenizer.db").string();
  {
    auto index = Index::Open(path);
    ASSERT_OK(index);
  }
  {
    auto db = OpenDatabase(path);
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(), "UPDATE meta SET value = 'unicode61' WHERE key = 'tokenizer'"));
  }
  auto index = Index::Open(path);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(index.status().message(),
            "index uses tokenizer unicode61, this fiscdex has fiscdex_mecab");
}

TEST(IndexOpenTest, MissingFolderIsAnIoError) {
  TempDir dir;
  auto index = Index::Open((dir.path() / "no" / "such" / "folder" / "index.db").string());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kIoError);
}

TEST(IndexOpenTest, EmptyFileBecomesAnIndex) {
  TempDir dir;
  const auto path = dir.path() / "empty.db";
  WriteFile(path, "");
  auto index = Index::Open(path.string());
  ASSERT_OK(index);
  auto docs = (*index)->ListDocuments();
  ASSERT_OK(docs);
  EXPECT_TRUE(docs->empty());
}

// ---------------------------------------------------------------------------
// Incremental ingest: stored file stats, moves, removals.

TEST_F(IndexTest, StoredFilesCarrySizeMtimeAndHash) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  auto files = index_->ListStoredFiles();
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "docs/cloud_a.txt");
  EXPECT_EQ((*files)[0].content_hash, "hash-a1");
  EXPECT_EQ((*files)[0].size_bytes, 1000u);
  EXPECT_EQ((*files)[0].mtime_ns, 1700000000123456789);
  // Whole seconds stay in `mtime` for readers of the schema.
  EXPECT_EQ(Count("SELECT mtime FROM documents"), 1700000000);

  ASSERT_OK(index_->UpdateFileStat("docs/cloud_a.txt", 1001, 1800000000000000001));
  files = index_->ListStoredFiles();
  ASSERT_OK(files);
  EXPECT_EQ((*files)[0].size_bytes, 1001u);
  EXPECT_EQ((*files)[0].mtime_ns, 1800000000000000001);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 3);

  Status missing = index_->UpdateFileStat("docs/none.txt", 1, 1);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TEST_F(IndexTest, MovedDocumentKeepsItsRecordsUnderTheNewPath) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  const int64_t records = Count("SELECT count(*) FROM criteria");
  const int64_t max_row = Count("SELECT max(id) FROM criteria");

  ASSERT_OK(index_->MoveDocument("docs/cloud_a.txt", "archive/cloud_a_v1.txt", 1000, 5));
  EXPECT_EQ(StoredHash("docs/cloud_a.txt"), "");
  EXPECT_EQ(StoredHash("archive/cloud_a_v1.txt"), "hash-a1");
  // Not extracted or inserted again: the same rows.
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), records);
  EXPECT_EQ(Count("SELECT max(id) FROM criteria"), max_row);
  auto answers = index_->AnswersFor("実9");
  ASSERT_OK(answers);
  ASSERT_EQ(answers->size(), 1u);
  EXPECT_EQ((*answers)[0].document, "archive/cloud_a_v1.txt");

  // Moving onto a stored path replaces what was there.
  ASSERT_OK(index_->MoveDocument("archive/cloud_a_v1.txt", "docs/vendor_b.md", 1000, 6));
  auto docs = index_->ListDocuments();
  ASSERT_OK(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].path, "docs/vendor_b.md");
  EXPECT_EQ(StoredHash("docs/vendor_b.md"), "hash-a1");
  EXPECT_TRUE(SearchOrDie("多要素認証").empty());
  ExpectFtsConsistent();

  EXPECT_EQ(index_->MoveDocument("docs/none.txt", "x.txt", 1, 1).code(), StatusCode::kNotFound);
}

TEST_F(IndexTest, RemovedDocumentLeavesNoRows) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  ASSERT_OK(index_->RemoveDocument("docs/cloud_a.txt"));
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM passages"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 1);
  EXPECT_EQ(IndexedDocsWithTerm("passages_fts", "iso"), 0);
  ExpectFtsConsistent();
  EXPECT_EQ(index_->RemoveDocument("docs/cloud_a.txt").code(), StatusCode::kNotFound);
}

TEST_F(IndexTest, BatchCommitsItsDocumentsTogetherOrRollsThemAllBack) {
  ASSERT_OK(index_->AddDocument(VendorB()));
  ASSERT_OK(index_->BeginBatch());
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->MoveDocument("docs/vendor_b.md", "docs/vendor_b_2024.md", 1, 1));
  // A reader sees nothing of the open batch.
  auto reader = Index::Open(path());
  ASSERT_OK(reader);
  auto hits = (*reader)->Search("暗号鍵", 10);
  ASSERT_OK(hits);
  EXPECT_TRUE(hits->empty());
  ASSERT_OK(index_->CommitBatch());
  hits = (*reader)->Search("暗号鍵", 10);
  ASSERT_OK(hits);
  EXPECT_EQ(hits->size(), 2u);
  EXPECT_EQ(StoredHash("docs/vendor_b_2024.md"), "hash-b1");

  // A failed write inside a batch: rolling back undoes the whole group.
  ASSERT_OK(index_->BeginBatch());
  ASSERT_OK(index_->RemoveDocument("docs/cloud_a.txt"));
  DocumentInput bad = MakeDocument("docs/bad.txt", "hash-bad", "不正");
  bad.records.push_back(MakeRecord("実10", "ページが不正な記録", {}, 0));
  EXPECT_FALSE(index_->AddDocument(bad).ok());
  index_->RollbackBatch();
  EXPECT_EQ(StoredHash("docs/cloud_a.txt"), "hash-a1");
  EXPECT_EQ(StoredHash("docs/bad.txt"), "");
  EXPECT_EQ(Count("SELECT count(*) FROM criteria"), 4);
  ExpectFtsConsistent();
  // The index takes writes again, alone or batched.
  ASSERT_OK(index_->AddDocument(CloudA("hash-a2")));
  EXPECT_EQ(index_->CommitBatch().code(), StatusCode::kInternal);
}

// ---------------------------------------------------------------------------
// Tokens made on a worker thread give the same index as tokens made by the
// writer.

TEST_F(IndexTest, PretokenizedDocumentsIndexLikeOthers) {
  auto tokenizer = DocumentTokenizer::Create();
  ASSERT_OK(tokenizer);
  DocumentInput a = CloudA();
  DocumentInput b = VendorB();
  std::thread worker([&] {
    auto tokens_a = (*tokenizer)->Tokenize(a);
    auto tokens_b = (*tokenizer)->Tokenize(b);
    ASSERT_OK(tokens_a);
    ASSERT_OK(tokens_b);
    a.tokens = *tokens_a;
    b.tokens = *tokens_b;
  });
  worker.join();
  ASSERT_NE(a.tokens, nullptr);
  ASSERT_OK(index_->AddDocument(a));
  ASSERT_OK(index_->AddDocument(b));
  ExpectFtsConsistent();

  TempDir plain_dir;
  auto plain = Index::Open((plain_dir.path() / "plain.db").string());
  ASSERT_OK(plain);
  ASSERT_OK((*plain)->AddDocument(CloudA()));
  ASSERT_OK((*plain)->AddDocument(VendorB()));
  for (std::string_view query : {"暗号鍵", "講ずる", "ISO27001", "実8", "規程"}) {
    auto want = (*plain)->Search(query, 20);
    ASSERT_OK(want);
    std::vector<SearchHit> got = SearchOrDie(query);
    ASSERT_EQ(got.size(), want->size()) << query;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].snippet, (*want)[i].snippet) << query;
      EXPECT_EQ(got[i].document, (*want)[i].document) << query;
    }
  }
  // Replacing a pretokenized document deletes its FTS rows exactly.
  ASSERT_OK(index_->AddDocument(CloudA("hash-a2")));
  ExpectFtsConsistent();
}

TEST_F(IndexTest, TokensOfAnotherDocumentAreRefused) {
  auto tokenizer = DocumentTokenizer::Create();
  ASSERT_OK(tokenizer);
  auto tokens = (*tokenizer)->Tokenize(VendorB());
  ASSERT_OK(tokens);
  DocumentInput a = CloudA();
  a.tokens = *tokens;
  auto added = index_->AddDocument(a);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kInternal);
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 0);
}

// ---------------------------------------------------------------------------
// Check: finds what a crash or a bug could leave behind.

TEST_F(IndexTest, CheckPassesASoundIndex) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  auto report = index_->Check();
  ASSERT_OK(report);
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  EXPECT_EQ(report->documents, 2);
  EXPECT_EQ(report->passages, 5);
  EXPECT_EQ(report->records, 4);
}

TEST_F(IndexTest, CheckFindsAMissingRecordAndAStaleFullTextIndex) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_OK(index_->AddDocument(VendorB()));
  {
    // Behind the index's back: a record goes, its FTS row stays.
    auto db = OpenDatabase(path());
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(),
                   "DELETE FROM criteria WHERE criterion_id = '統1';"
                   "UPDATE documents SET passage_count = 9 WHERE path = 'docs/vendor_b.md';"));
  }
  auto report = index_->Check();
  ASSERT_OK(report);
  std::string all;
  for (const std::string& problem : report->problems) all += problem + "\n";
  EXPECT_NE(all.find("docs/cloud_a.txt: 2 records stored, 3 expected"), std::string::npos) << all;
  EXPECT_NE(all.find("docs/vendor_b.md: 2 passages stored, 9 expected"), std::string::npos) << all;
  EXPECT_NE(all.find("fts5: criteria_fts does not match its table"), std::string::npos) << all;
  // The check changed nothing.
  EXPECT_EQ(Count("SELECT passage_count FROM documents WHERE path = 'docs/vendor_b.md'"), 9);
}

// The writer works out passage_repeats itself; Check compares it with the
// SQL rule, here over nested, touching and offset-less rows on two pages.
TEST_F(IndexTest, PassageRepeatsFollowTheRuleTheCheckUses) {
  DocumentInput doc = MakeDocument("docs/repeats.txt", "r", "ベンダーR");
  doc.passages = {MakePassage("一つ目の段落。", 1, 0, 100),
                  MakePassage("二つ目の段落。", 1, 100, 200),
                  MakePassage("同じ文です。", 1, 0, 0),
                  MakePassage("三つ目の段落。", 2, 0, 100),
                  MakePassage("離れた段落。", 1, 500, 600)};
  doc.records = {MakeRecord("実1", "長い回答。", {}, 1, 10, 450),   // spans two passages
                 MakeRecord("実2", "内側の回答。", {}, 1, 20, 30),  // inside the first
                 MakeRecord("実3", "接する回答。", {}, 1, 200, 300),  // touches the second only
                 MakeRecord("実4", "同じ文です。", {}, 1),           // same text, no offsets
                 MakeRecord("実5", "別の頁。", {}, 2, 50, 60)};
  ASSERT_OK(index_->AddDocument(doc));
  // 実1: passages 1 and 2; 実2: 1; 実4: 3; 実5: 4.
  EXPECT_EQ(Count("SELECT count(*) FROM passage_repeats"), 5);
  auto report = index_->Check();
  ASSERT_OK(report);
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
}

TEST_F(IndexTest, CheckFindsAWrongPassageRepeat) {
  ASSERT_OK(index_->AddDocument(CloudA()));
  ASSERT_GT(Count("SELECT count(*) FROM passage_repeats"), 0);
  {
    auto db = OpenDatabase(path());
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(), "DELETE FROM passage_repeats"));
  }
  auto report = index_->Check();
  ASSERT_OK(report);
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("passage_repeats: 0 pairs too many"), std::string::npos)
      << report->problems[0];
}

// ---------------------------------------------------------------------------
// Ranking, filters, paging and counts.

// Three vendors' documents: records of the families 実 and 統, and passages.
void AddFilterCorpus(Index* index) {
  struct Row {
    const char* path;
    const char* vendor;
    int edition;
  };
  for (const Row& row : {Row{"docs/a.txt", "ベンダーA", 10}, Row{"docs/b.txt", "ベンダーB", 11},
                         Row{"docs/c.txt", "ベンダーC", 11}}) {
    DocumentInput doc = MakeDocument(row.path, row.path, row.vendor);
    doc.metadata.edition = row.edition;
    doc.passages = {MakePassage("バックアップ媒体は施錠された保管庫で管理しています。", 3, 500, 600)};
    doc.records = {
        MakeRecord("実8", "バックアップの暗号鍵を定期的に更新しています。", {}, 1, 0, 50),
        MakeRecord("実25", "バックアップを遠隔地に保管しています。", {}, 1, 51, 100),
        MakeRecord("統1", "バックアップの方針を定めています。", {}, 2, 101, 150),
    };
    ASSERT_OK(index->AddDocument(doc));
  }
}

std::vector<std::string> Describe(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const SearchHit& hit : hits) {
    out.push_back(hit.document + " " + hit.criterion_id.value_or("-"));
  }
  return out;
}

TEST_F(IndexTest, EachFilterNarrowsTheMatchesBeforeRanking) {
  AddFilterCorpus(index_.get());
  auto search = [&](SearchOptions options) {
    options.limit = 50;
    auto hits = index_->Search("バックアップ", options);
    EXPECT_OK(hits);
    std::vector<std::string> got = hits.ok() ? Describe(*hits) : std::vector<std::string>{};
    std::sort(got.begin(), got.end());
    return got;
  };
  EXPECT_EQ(search({}).size(), 12u);  // 9 records, 3 passages
  SearchOptions vendor;
  vendor.vendor = "ベンダーB";
  EXPECT_EQ(search(vendor), (std::vector<std::string>{"docs/b.txt -", "docs/b.txt 実25",
                                                      "docs/b.txt 実8", "docs/b.txt 統1"}));
  SearchOptions document;
  document.document = "docs/c.txt";
  EXPECT_EQ(search(document), (std::vector<std::string>{"docs/c.txt -", "docs/c.txt 実25",
                                                        "docs/c.txt 実8", "docs/c.txt 統1"}));
  SearchOptions edition;
  edition.edition = 10;
  EXPECT_EQ(search(edition), (std::vector<std::string>{"docs/a.txt -", "docs/a.txt 実25",
                                                       "docs/a.txt 実8", "docs/a.txt 統1"}));
  SearchOptions id;
  id.criterion_id = "実 ８";  // any written form
  EXPECT_EQ(search(id),
            (std::vector<std::string>{"docs/a.txt 実8", "docs/b.txt 実8", "docs/c.txt 実8"}));
  SearchOptions family;
  family.family = "実";
  EXPECT_EQ(search(family),
            (std::vector<std::string>{"docs/a.txt 実25", "docs/a.txt 実8", "docs/b.txt 実25",
                                      "docs/b.txt 実8", "docs/c.txt 実25", "docs/c.txt 実8"}));
  SearchOptions both;
  both.family = "統";
  both.vendor = "ベンダーA";
  EXPECT_EQ(search(both), (std::vector<std::string>{"docs/a.txt 統1"}));
  SearchOptions nobody;
  nobody.vendor = "ベンダーZ";
  EXPECT_TRUE(search(nobody).empty());
}

TEST_F(IndexTest, AFilterAppliesBeforeTheLimitNotAfter) {
  AddFilterCorpus(index_.get());
  // Vendor C's hits would all fall outside the best 3 of the whole
  // ranking (ties go by path: a, b, c); filtered, they are the best 3.
  SearchOptions options;
  options.limit = 3;
  options.vendor = "ベンダーC";
  auto hits = index_->Search("バックアップ", options);
  ASSERT_OK(hits);
  ASSERT_EQ(hits->size(), 3u);
  for (const SearchHit& hit : *hits) EXPECT_EQ(hit.document, "docs/c.txt");
}

TEST_F(IndexTest, ACriterionIdQueryHonoursTheFilters) {
  AddFilterCorpus(index_.get());
  SearchOptions options;
  options.vendor = "ベンダーB";
  auto hits = index_->Search("実8", options);
  ASSERT_OK(hits);
  ASSERT_FALSE(hits->empty());
  for (const SearchHit& hit : *hits) EXPECT_EQ(hit.document, "docs/b.txt");
}

TEST_F(IndexTest, BadFiltersAreInvalidArguments) {
  AddFilterCorpus(index_.get());
  const struct {
    SearchOptions options;
    std::string problem;
  } rows[] = {
      {{.limit = 0}, "search limit must be positive"},
      {{.limit = 5, .offset = -1}, "search offset must not be negative"},
      {{.criterion_id = "バックアップ"}, "not a criterion ID: 'バックアップ'"},
      {{.family = "実8"}, "not a criterion family: '実8' (the letters of an ID before its "
                          "number, e.g. 実)"},
      {{.family = "X"}, "not a criterion family: 'X' (the letters of an ID before its "
                        "number, e.g. 実)"},
  };
  for (const auto& row : rows) {
    auto hits = index_->Search("バックアップ", row.options);
    ASSERT_FALSE(hits.ok()) << row.problem;
    EXPECT_EQ(hits.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(hits.status().message(), row.problem);
    auto counts = index_->CountMatches("バックアップ", row.options);
    if (row.options.limit > 0 && row.options.offset >= 0) {
      EXPECT_FALSE(counts.ok()) << row.problem;
    }
  }
}

TEST_F(IndexTest, PagesFollowEachOtherWithoutGapOrRepeat) {
  AddFilterCorpus(index_.get());
  auto all = index_->Search("バックアップ", 50);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 12u);
  std::vector<std::string> paged;
  for (int offset = 0; offset < 14; offset += 5) {
    SearchOptions options;
    options.limit = 5;
    options.offset = offset;
    auto page = index_->Search("バックアップ", options);
    ASSERT_OK(page);
    EXPECT_EQ(page->size(), offset == 10 ? 2u : (offset > 10 ? 0u : 5u)) << offset;
    for (const std::string& hit : Describe(*page)) paged.push_back(hit);
  }
  EXPECT_EQ(paged, Describe(*all));
  SearchOptions past_the_end;
  past_the_end.offset = 12;
  auto none = index_->Search("バックアップ", past_the_end);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(IndexTest, CountsDocumentsRecordsAndPassagesUnderTheFilters) {
  AddFilterCorpus(index_.get());
  ASSERT_OK(index_->AddDocument(CloudA()));
  auto counts = index_->CountMatches("バックアップ", {});
  ASSERT_OK(counts);
  EXPECT_EQ(counts->documents, 3);
  EXPECT_EQ(counts->records, 9);
  EXPECT_EQ(counts->passages, 3);
  SearchOptions family;
  family.family = "統";
  counts = index_->CountMatches("バックアップ", family);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->documents, 3);
  EXPECT_EQ(counts->records, 3);
  EXPECT_EQ(counts->passages, 0);  // passages have no ID
  SearchOptions vendor;
  vendor.vendor = "クラウドA社";
  counts = index_->CountMatches("暗号鍵", vendor);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->documents, 1);
  EXPECT_EQ(counts->records, 2);   // 実8 and 実9 share the answer
  EXPECT_EQ(counts->passages, 1);  // the passage repeating them counts
  // A criterion ID query counts the ID's records too.
  counts = index_->CountMatches("実8", {});
  ASSERT_OK(counts);
  EXPECT_EQ(counts->records, 4);  // three of AddFilterCorpus, one of CloudA
  counts = index_->CountMatches("ゾウアザラシ", {});
  ASSERT_OK(counts);
  EXPECT_EQ(counts->documents, 0);
  EXPECT_EQ(counts->records, 0);
  EXPECT_EQ(counts->passages, 0);
}

TEST_F(IndexTest, ARecordRanksAboveAPassageWithTheSameText) {
  const std::string text = "入退室の記録を三年間保存し、四半期ごとに点検しています。";
  // The passage's document sorts first, so a tie would put it first.
  DocumentInput prose = MakeDocument("docs/a_prose.txt", "p", "ベンダーP");
  prose.passages = {MakePassage(text, 1, 0, 100)};
  ASSERT_OK(index_->AddDocument(prose));
  DocumentInput table = MakeDocument("docs/b_table.txt", "t", "ベンダーT");
  table.records = {MakeRecord("設10", text, {}, 1, 0, 100)};
  ASSERT_OK(index_->AddDocument(table));
  std::vector<SearchHit> hits = SearchOrDie("入退室 記録");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(Describe(hits), (std::vector<std::string>{"docs/b_table.txt 設10",
                                                      "docs/a_prose.txt -"}));
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST_F(IndexTest, ATermInATitleCountsMoreThanInAnAnswer) {
  // Two records with the same two texts, swapped between title and answer:
  // only the column weights tell them apart.
  DocumentInput t = MakeDocument("docs/t.txt", "t", "ベンダーT");
  t.records = {MakeRecord("実2", "監視カメラを設置しています。", {}, 1, 0, 10)};
  t.records[0].title = "手順書を整備しています。";
  ASSERT_OK(index_->AddDocument(t));
  DocumentInput u = MakeDocument("docs/u.txt", "u", "ベンダーU");
  u.records = {MakeRecord("実3", "手順書を整備しています。", {}, 1, 0, 10)};
  u.records[0].title = "監視カメラを設置しています。";
  ASSERT_OK(index_->AddDocument(u));
  std::vector<SearchHit> hits = SearchOrDie("監視カメラ");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(Describe(hits), (std::vector<std::string>{"docs/u.txt 実3", "docs/t.txt 実2"}));
  EXPECT_GT(hits[0].score, hits[1].score);
}

// The passage repeating a record goes even when that record ranks far
// below the page asked for: the check asks the index, not the records read.
TEST_F(IndexTest, APassageRepeatingARecordNeverShowsWhereverTheRecordRanks) {
  DocumentInput doc = MakeDocument("docs/many.txt", "m", "ベンダーM");
  for (int i = 0; i < 40; ++i) {
    const size_t begin = static_cast<size_t>(i) * 100;
    // Strong records first, then weak ones whose passages repeat them.
    std::string text = i < 30 ? "ログ、ログ、ログを保管しています。"
                              : "操作ログは他の記録とともに長期にわたり安全に保管しています。";
    doc.passages.push_back(MakePassage(text, 1 + i, begin, begin + 90));
    doc.records.push_back(MakeRecord("実" + std::to_string(i + 1), text, {}, 1 + i, begin,
                                     begin + 90));
  }
  ASSERT_OK(index_->AddDocument(doc));
  for (int limit : {1, 5, 35, 100}) {
    std::vector<SearchHit> hits = SearchOrDie("ログ", limit);
    EXPECT_EQ(hits.size(), static_cast<size_t>(std::min(limit, 40))) << limit;
    for (const SearchHit& hit : hits) {
      EXPECT_TRUE(hit.criterion_id.has_value()) << "a passage repeating a record, limit "
                                                << limit << ", page " << hit.page;
    }
  }
  auto counts = index_->CountMatches("ログ", {});
  ASSERT_OK(counts);
  EXPECT_EQ(counts->passages, 40);  // counted, but never shown
}

// ---------------------------------------------------------------------------
// Snippets.

// The snippet with its marks and "…" taken out, in pieces.
std::vector<std::string> SnippetPieces(std::string snippet) {
  for (const char* mark : {"«", "»"}) {
    for (size_t at; (at = snippet.find(mark)) != std::string::npos;) snippet.erase(at, 2);
  }
  std::vector<std::string> pieces;
  size_t start = 0;
  while (true) {
    size_t at = snippet.find("…", start);
    std::string piece = snippet.substr(start, at == std::string::npos ? at : at - start);
    if (!piece.empty()) pieces.push_back(piece);
    if (at == std::string::npos) break;
    start = at + std::string("…").size();
  }
  return pieces;
}

std::string Marked(const std::string& text, const std::vector<std::string>& terms) {
  std::string out = text;
  for (const std::string& term : terms) {
    for (size_t at = out.find(term); at != std::string::npos;
         at = out.find(term, at + term.size() + 6)) {
      out.insert(at + term.size(), kMatchClose);
      out.insert(at, kMatchOpen);
    }
  }
  return out;
}

TEST(SnippetTest, AShortTextIsShownWholeWithItsMatches) {
  const std::string text = "暗号鍵は年に一度更新しています。";
  EXPECT_EQ(MakeSnippet(Marked(text, {"暗号鍵"}), 80),
            "«暗号鍵»は年に一度更新しています。");
}

TEST(SnippetTest, TermsFarApartAreEachShownAndNoWordIsCut) {
  std::string text = "当社は、金融機関のお客様向けに提供するクラウド基盤において、";
  for (int i = 0; i < 6; ++i) text += "利用者の申請に基づき権限を付与し、定期的に棚卸を実施しています。";
  text += "また、暗号鍵の管理は専用の装置で行い、二名の承認を必要としています。";
  for (int i = 0; i < 6; ++i) text += "障害発生時には手順書に従い速やかに復旧作業を行っています。";
  text += "最後に、監査法人による外部監査を毎年受けています。";
  const std::string snippet =
      MakeSnippet(Marked(text, {"クラウド", "暗号鍵", "外部監査"}), 80);
  for (const char* term : {"«クラウド»", "«暗号鍵»", "«外部監査»"}) {
    EXPECT_NE(snippet.find(term), std::string::npos) << term << " missing: " << snippet;
  }
  EXPECT_NE(snippet.find("…"), std::string::npos) << snippet;
  // Every piece starts where a MeCab word starts and ends where one ends
  // (MeCab judges the cuts, which are made without it).
  auto tokens = Segmenter()->SegmentAll(text);
  ASSERT_OK(tokens);
  std::vector<size_t> starts = {0}, ends = {text.size()};
  for (const OwnedToken& t : *tokens) {
    starts.push_back(t.begin);
    ends.push_back(t.end);
  }
  for (const std::string& piece : SnippetPieces(snippet)) {
    const size_t at = text.find(piece);
    ASSERT_NE(at, std::string::npos) << piece;
    EXPECT_NE(std::find(starts.begin(), starts.end(), at), starts.end()) << "cut: " << piece;
    EXPECT_NE(std::find(ends.begin(), ends.end(), at + piece.size()), ends.end())
        << "cut: " << piece;
  }
  // About the size asked for, not the whole text.
  EXPECT_LT(snippet.size(), text.size() / 2);
}

TEST(SnippetTest, TermsCloseTogetherAreCentredInOnePiece) {
  std::string text;
  for (int i = 0; i < 5; ++i) text += "利用者の申請に基づき権限を付与しています。";
  text += "バックアップは暗号化して遠隔地に保管しています。";
  for (int i = 0; i < 5; ++i) text += "障害時には手順書に従い復旧しています。";
  const std::string snippet =
      MakeSnippet(Marked(text, {"バックアップ", "遠隔地"}), 60);
  ASSERT_EQ(SnippetPieces(snippet).size(), 1u) << snippet;
  EXPECT_TRUE(snippet.starts_with("…")) << snippet;
  EXPECT_TRUE(snippet.ends_with("…")) << snippet;
  // Centred: context on both sides of the matches.
  const size_t open = snippet.find("«バックアップ»");
  const size_t close = snippet.find("«遠隔地»");
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  EXPECT_GT(open, std::string("…").size() + 12);
  EXPECT_GT(snippet.size() - close, std::string("«遠隔地»").size() + 12);
}

TEST(SnippetTest, MarksTermsWhereWordsCanStartAndEnd) {
  auto marked = [](std::string_view text, std::vector<QueryTerm> terms) {
    return MakeSnippet(MarkMatches(text, terms), 200);
  };
  // Not inside a katakana or Latin run; a kanji term inside a compound.
  EXPECT_EQ(marked("プログラムのログを保存する", {{"ログ", false}}), "プログラムの«ログ»を保存する");
  EXPECT_EQ(marked("ISO 27001 と isolation", {{"iso", false}}), "«ISO» 27001 と isolation");
  EXPECT_EQ(marked("ISO27001を取得", {{"iso", false}}), "«ISO»27001を取得");
  EXPECT_EQ(marked("暗号化した鍵", {{"暗号", false}}), "«暗号»化した鍵");
  // Folded as the index folds: case, full width, a katakana word's final ー.
  EXPECT_EQ(marked("ＭＦＡとmfa", {{"mfa", false}}), "«ＭＦＡ»と«mfa»");
  EXPECT_EQ(marked("サーバーとサーバ", {{"サーバー", false}}), "«サーバー»と«サーバ»");
  // A prefix marks the word it begins; a phrase's words one by one.
  EXPECT_EQ(marked("アクセス権限の付与", {{"アクセス権", true}}), "«アクセス権限»の付与");
  EXPECT_EQ(marked("暗号鍵の管理", {{"暗号鍵 管理", false}}), "«暗号鍵»の«管理»");
  // A longer term found only inside a katakana compound (the index splits
  // unknown ones) is marked there; a short one never is.
  EXPECT_EQ(marked("ハードウェアセキュリティモジュール", {{"セキュリティ", false}}),
            "ハードウェア«セキュリティ»モジュール");
  EXPECT_EQ(marked("プログラム", {{"ログ", false}}), "プログラム");
  // Overlapping terms make one mark.
  EXPECT_EQ(marked("暗号鍵", {{"暗号", false}, {"暗号鍵", false}}), "«暗号鍵»");
}

// Text from documents is data: whatever its bytes (broken UTF-8, marks'
// own bytes, combining characters), marking only adds marks and a snippet
// is made.
TEST(SnippetTest, MarkingAnyBytesKeepsTheTextAndAddsOnlyMarks) {
  std::mt19937 random(20261206);
  const std::vector<std::string> alphabet = {"ロ", "グ", "ー", "ア", "a", "A", "1", " ", "\xE3",
                                             "\x81", "\xFF", "権", "限", "す", "\u3099", "、",
                                             kMatchOpen, "\n"};
  const std::vector<QueryTerm> terms = {{"ログ", false}, {"a1", false}, {"権", true},
                                        {"ロー", false}, {"", false},  {" ", false}};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 40);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    const std::string marked = MarkMatches(text, terms);
    std::string unmarked = marked;
    for (const std::string_view mark : {std::string_view(kMatchOpen), std::string_view(kMatchClose)}) {
      for (size_t at; (at = unmarked.find(mark)) != std::string::npos;) unmarked.erase(at, mark.size());
    }
    std::string expected = text;
    for (size_t at; (at = expected.find(kMatchOpen)) != std::string::npos;) {
      expected.erase(at, std::string_view(kMatchOpen).size());
    }
    ASSERT_EQ(unmarked, expected) << "round " << round;
    static_cast<void>(MakeSnippet(marked, 10));
  }
}

TEST(SnippetTest, PositiveTermsLeaveOutExclusions) {
  const std::vector<QueryTerm> terms =
      PositiveTerms(R"(("暗号" * AND ("a ""b""" OR "c")) NOT "鍵" *)");
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].text, "暗号");
  EXPECT_TRUE(terms[0].prefix);
  EXPECT_EQ(terms[1].text, "a \"b\"");
  EXPECT_FALSE(terms[1].prefix);
  EXPECT_EQ(terms[2].text, "c");
}

TEST(SnippetTest, AGuillemetInTheTextIsNotAMark) {
  const std::string text = "«重要» 暗号鍵は年に一度更新しています。";
  EXPECT_EQ(MakeSnippet(Marked(text, {"暗号鍵"}), 80),
            "«重要» «暗号鍵»は年に一度更新しています。");
}

TEST_F(IndexTest, SearchSnippetsShowEveryTermOfTheQuery) {
  std::string text = "当社のクラウド基盤では、";
  for (int i = 0; i < 8; ++i) text += "利用者の申請に基づき権限を付与し、定期的に棚卸を実施しています。";
  text += "暗号鍵は専用の装置で管理しています。";
  DocumentInput doc = MakeDocument("docs/long.txt", "l", "ベンダーL");
  doc.passages = {MakePassage(text, 1, 0, text.size())};
  ASSERT_OK(index_->AddDocument(doc));
  std::vector<SearchHit> hits = SearchOrDie("クラウド 暗号鍵");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].snippet.find("«クラウド»"), std::string::npos) << hits[0].snippet;
  EXPECT_NE(hits[0].snippet.find("«暗号鍵»"), std::string::npos) << hits[0].snippet;
}

// ---------------------------------------------------------------------------
// Schema versions.

std::filesystem::path SchemaV1Fixture() {
  return std::filesystem::path(FISCDEX_SOURCE_DIR) / "tests" / "data" / "index" /
         "schema_v1.fiscdex";
}

TEST(IndexOpenTest, UpgradesAVersion1Index) {
  TempDir dir;
  const auto path = dir.path() / "old.fiscdex";
  std::filesystem::copy_file(SchemaV1Fixture(), path);
  auto index = Index::Open(path.string());
  ASSERT_OK(index);
  auto files = (*index)->ListStoredFiles();
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 2u);
  // Unknown before version 2: the next ingest hashes these files again.
  EXPECT_EQ((*files)[0].mtime_ns, 0);
  auto docs = (*index)->ListDocuments();
  ASSERT_OK(docs);
  EXPECT_EQ((*docs)[0].records, 28);
  {
    // Version 4 works out which passages repeat records for the rows there.
    auto db = OpenDatabase(path.string());
    ASSERT_OK(db);
    auto pairs = Statement::Prepare(db->get(), "SELECT count(*) FROM passage_repeats", false);
    ASSERT_OK(pairs);
    ASSERT_TRUE(*pairs->Step());
    EXPECT_GT(pairs->ColumnInt(0), 0);
  }
  auto hits = (*index)->Search("暗号", 5);
  ASSERT_OK(hits);
  EXPECT_FALSE(hits->empty());
  // The fixture was tokenized under token rules 1; rules 2 give some of its
  // text other tokens (katakana compounds, long vowels), and the check sees
  // that. Index::Open does not yet rebuild the full-text tables when
  // MecabSegmenter::dictionary() differs from the one the index was made
  // with; until it does, FTS5's 'rebuild' tokenizes them again.
  auto stale = (*index)->Check();
  ASSERT_OK(stale);
  std::string problems;
  for (const std::string& problem : stale->problems) problems += problem + "\n";
  EXPECT_NE(problems.find("fts5: passages_fts does not match its table"), std::string::npos)
      << problems;
  {
    auto db = OpenDatabase(path.string());
    ASSERT_OK(db);
    ASSERT_OK(RegisterFtsTokenizer(db->get(), Segmenter()));
    ASSERT_OK(Exec(db->get(),
                   "INSERT INTO passages_fts(passages_fts) VALUES('rebuild');"
                   "INSERT INTO criteria_fts(criteria_fts) VALUES('rebuild');"));
  }
  auto report = (*index)->Check();
  ASSERT_OK(report);
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  // Made before indexes recorded their dictionary: new tokens are refused
  // until it is re-tokenised, then it takes documents like a new one.
  ASSERT_TRUE((*index)->DictionaryMismatch().has_value());
  DocumentInput doc = MakeDocument("docs/new.txt", "hash-new", "新ベンダー");
  doc.passages = {MakePassage("バックアップは暗号化して保管しています。", 1, 0, 60)};
  auto refused = (*index)->AddDocument(doc);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported);
  ASSERT_OK((*index)->Reindex());
  EXPECT_FALSE((*index)->DictionaryMismatch().has_value());
  ASSERT_OK((*index)->AddDocument(doc));
  index->reset();

  auto db = OpenDatabase(path.string());
  ASSERT_OK(db);
  auto version = Statement::Prepare(db->get(), "PRAGMA user_version", false);
  ASSERT_OK(version);
  ASSERT_TRUE(*version->Step());
  EXPECT_EQ(version->ColumnInt(0), 5);
  // The upgrade worked out a status for every record the old index held.
  auto statuses = Statement::Prepare(
      db->get(),
      "SELECT (SELECT count(*) FROM criteria), (SELECT count(*) FROM statuses), "
      "(SELECT value FROM meta WHERE key = 'assessment'), "
      "(SELECT count(*) FROM documents WHERE content_key = '' AND record_count > 0)",
      false);
  ASSERT_OK(statuses);
  ASSERT_TRUE(*statuses->Step());
  EXPECT_GT(statuses->ColumnInt(0), 0);
  EXPECT_EQ(statuses->ColumnInt(1), statuses->ColumnInt(0));
  EXPECT_EQ(statuses->ColumnText(2), std::to_string(fiscdex::assess::kStatusRulesVersion));
  EXPECT_EQ(statuses->ColumnInt(3), 0);
}

TEST(IndexOpenTest, UpgradesAVersion2IndexAndAsksForAReindex) {
  TempDir dir;
  const auto path = dir.path() / "v2.fiscdex";
  std::filesystem::copy_file(std::filesystem::path(FISCDEX_SOURCE_DIR) / "tests" / "data" /
                                 "index" / "schema_v2.fiscdex",
                             path);
  {
    auto index = Index::Open(path.string());
    ASSERT_OK(index);
    auto mismatch = (*index)->DictionaryMismatch();
    ASSERT_TRUE(mismatch.has_value());
    EXPECT_NE(mismatch->find("unrecorded dictionary"), std::string::npos) << *mismatch;
    EXPECT_NE(mismatch->find("fiscdex reindex"), std::string::npos) << *mismatch;
    auto hits = (*index)->Search("暗号", 5);  // searching still works
    ASSERT_OK(hits);
    EXPECT_FALSE(hits->empty());
  }
  OpenOptions writing;
  writing.for_writing = true;
  auto refused = Index::Open(path.string(), writing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported);
  writing.allow_other_dictionary = true;
  auto index = Index::Open(path.string(), writing);
  ASSERT_OK(index);
  ASSERT_OK((*index)->Reindex());
  EXPECT_FALSE((*index)->DictionaryMismatch().has_value());
  auto report = (*index)->Check();
  ASSERT_OK(report);
  EXPECT_TRUE(report->problems.empty());
}

TEST(IndexOpenTest, AnIndexOfAnotherDictionarySaysSoAndReindexMendsIt) {
  TempDir dir;
  const auto path = (dir.path() / "other.fiscdex").string();
  {
    auto index = Index::Open(path);
    ASSERT_OK(index);
    DocumentInput doc = MakeDocument("docs/a.txt", "a", "ベンダーA");
    doc.passages = {MakePassage("暗号鍵は年に一度更新しています。", 1, 0, 40)};
    ASSERT_OK((*index)->AddDocument(doc));
  }
  {
    auto db = OpenDatabase(path);
    ASSERT_OK(db);
    ASSERT_OK(Exec(db->get(),
                   "UPDATE meta SET value = '/elsewhere/sys.dic (UTF-8, version 1)' "
                   "WHERE key = 'dictionary'"));
  }
  auto index = Index::Open(path);
  ASSERT_OK(index);
  auto mismatch = (*index)->DictionaryMismatch();
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->find("index was tokenised with /elsewhere/sys.dic (UTF-8, version 1), "
                           "this fiscdex has "),
            0u)
      << *mismatch;
  DocumentInput doc = MakeDocument("docs/b.txt", "b", "ベンダーB");
  auto refused = (*index)->AddDocument(doc);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported);
  ASSERT_OK((*index)->Reindex());
  EXPECT_FALSE((*index)->DictionaryMismatch().has_value());
  auto hits = (*index)->Search("暗号鍵", 5);
  ASSERT_OK(hits);
  EXPECT_EQ(hits->size(), 1u);
  index->reset();
  auto reopened = Index::Open(path);
  ASSERT_OK(reopened);
  EXPECT_FALSE((*reopened)->DictionaryMismatch().has_value());
}

TEST(IndexOpenTest, RefusesToWriteAReadOnlyIndex) {
  TempDir dir;
  const auto path = dir.path() / "ro.fiscdex";
  { ASSERT_OK(Index::Open(path.string())); }
  // Kept open so the process's MeCab stays loaded: as nobody, a build tree in
  // a private folder (its user dictionary) cannot be reached.
  auto keeps_mecab_loaded = Index::Open((dir.path() / "other.fiscdex").string());
  ASSERT_OK(keeps_mecab_loaded);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  ::fiscdex::testing::ScopedNobody nobody(dir.path());  // root writes read-only files
  if (!nobody.skip_reason().empty()) GTEST_SKIP() << nobody.skip_reason();
  OpenOptions writing;
  writing.for_writing = true;
  auto index = Index::Open(path.string(), writing);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kIoError);
  EXPECT_NE(index.status().message().find("read-only"), std::string::npos)
      << index.status().ToString();
}

// ---------------------------------------------------------------------------
// One ingest at a time.

TEST(IngestLockTest, SecondLockFailsWithThePidOrWaits) {
  TempDir dir;
  const std::string db = (dir.path() / "fiscdex.db").string();
  auto first = IngestLock::Acquire(db, /*wait=*/false, nullptr);
  ASSERT_OK(first);
  auto second = IngestLock::Acquire(db, /*wait=*/false, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "index is locked by another ingest (pid " + std::to_string(getpid()) + ")");

  std::atomic<bool> acquired{false};
  int64_t waited_for = -1;
  std::thread waiter([&] {
    auto third = IngestLock::Acquire(db, /*wait=*/true, [&](int64_t pid) { waited_for = pid; });
    EXPECT_TRUE(third.ok());
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(acquired);
  { IngestLock released = std::move(*first); }
  waiter.join();
  EXPECT_TRUE(acquired);
  EXPECT_EQ(waited_for, getpid());
}

TEST(IngestLockTest, UnwritableFolderIsAClearError) {
  TempDir dir;
  auto lock = IngestLock::Acquire((dir.path() / "missing" / "fiscdex.db").string(), false, nullptr);
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kIoError);
  EXPECT_NE(lock.status().message().find("cannot lock the index"), std::string::npos);
}

// ---------------------------------------------------------------------------
// SqliteError: the one place SQLite codes become Status codes.

TEST(SqliteUtilTest, MapsResultCodesToStatusCodes) {
  struct Row {
    int rc;
    StatusCode want;
  };
  const std::vector<Row> rows = {
      {SQLITE_NOTADB, StatusCode::kCorrupt},
      {SQLITE_CORRUPT, StatusCode::kCorrupt},
      {SQLITE_CANTOPEN, StatusCode::kIoError},
      {SQLITE_IOERR_WRITE, StatusCode::kIoError},
      {SQLITE_READONLY, StatusCode::kIoError},
      {SQLITE_FULL, StatusCode::kIoError},
      {SQLITE_BUSY, StatusCode::kIoError},
      {SQLITE_CONSTRAINT_CHECK, StatusCode::kInvalidArgument},
      {SQLITE_ERROR, StatusCode::kInternal},
      {SQLITE_NOMEM, StatusCode::kInternal},
  };
  for (const Row& row : rows) {
    Status status = SqliteError(nullptr, row.rc, "doing things");
    EXPECT_EQ(status.code(), row.want) << row.rc;
    EXPECT_EQ(status.message(), std::string("doing things: ") + sqlite3_errstr(row.rc));
  }
}

TEST(SqliteUtilTest, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = OpenDatabase((dir.path() / "t.db").string());
  ASSERT_OK(db);
  ASSERT_OK(Exec(db->get(), "CREATE TABLE t(x)"));
  {
    auto txn = Transaction::BeginImmediate(db->get());
    ASSERT_OK(txn);
    ASSERT_OK(Exec(db->get(), "INSERT INTO t VALUES (1)"));
  }
  {
    auto txn = Transaction::BeginImmediate(db->get());
    ASSERT_OK(txn);
    ASSERT_OK(Exec(db->get(), "INSERT INTO t VALUES (2)"));
    ASSERT_OK(txn->Commit());
  }
  auto stmt = Statement::Prepare(db->get(), "SELECT group_concat(x) FROM t", false);
  ASSERT_OK(stmt);
  ASSERT_OK(stmt->Step());
  EXPECT_EQ(stmt->ColumnText(0), "2");
}

TEST(SqliteUtilTest, BadSqlIsReportedWithSqlitesMessage) {
  TempDir dir;
  auto db = OpenDatabase((dir.path() / "t.db").string());
  ASSERT_OK(db);
  auto stmt = Statement::Prepare(db->get(), "SELEKT 1");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kInternal);
  EXPECT_NE(stmt.status().message().find("syntax error"), std::string::npos);
}

}  // namespace
}  // namespace fiscdex::index
