#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "compare/text_diff.h"

namespace fiscdex::compare {
namespace {

std::string Old(const std::vector<DiffSpan>& spans) {
  std::string out;
  for (const DiffSpan& s : spans) {
    if (s.kind != DiffKind::kInserted) out += s.text;
  }
  return out;
}

std::string New(const std::vector<DiffSpan>& spans) {
  std::string out;
  for (const DiffSpan& s : spans) {
    if (s.kind != DiffKind::kDeleted) out += s.text;
  }
  return out;
}

// Everything DiffText promises about any pair, whatever the bytes.
void ExpectWellFormed(std::string_view old_text, std::string_view new_text,
                      const std::vector<DiffSpan>& spans) {
  EXPECT_EQ(Old(spans), old_text);
  EXPECT_EQ(New(spans), new_text);
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_FALSE(spans[i].text.empty()) << "span " << i;
    if (i == 0) continue;
    EXPECT_NE(spans[i].kind, spans[i - 1].kind) << "span " << i;
    EXPECT_FALSE(spans[i - 1].kind == DiffKind::kInserted && spans[i].kind == DiffKind::kDeleted)
        << "insertion before deletion at span " << i;
  }
  const double ratio = ChangeRatio(spans);
  EXPECT_GE(ratio, 0.0);
  EXPECT_LE(ratio, 1.0);
  EXPECT_EQ(ratio == 0.0, old_text == new_text);
}

struct InlineCase {
  const char* name;
  std::string old_text;
  std::string new_text;
  std::string rendered;
};

class DiffTextInlineTest : public ::testing::TestWithParam<InlineCase> {};

TEST_P(DiffTextInlineTest, RendersExpectedChange) {
  const InlineCase& c = GetParam();
  const std::vector<DiffSpan> spans = DiffText(c.old_text, c.new_text);
  EXPECT_EQ(RenderInline(spans), c.rendered);
  ExpectWellFormed(c.old_text, c.new_text, spans);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, DiffTextInlineTest,
    ::testing::Values(
        InlineCase{"NumberInKanjiContext", "年1回", "年2回", "年[-1-]{+2+}回"},
        InlineCase{"NumberOfDays", "ログは90日間保存", "ログは60日間保存",
                   "ログは[-90-]{+60+}日間保存"},
        InlineCase{"LatinWordIsOneUnit", "AES128で暗号化", "AES256で暗号化",
                   "[-AES128-]{+AES256+}で暗号化"},
        InlineCase{"LatinWordsSeparatedBySpace", "AWS KMSで管理", "AWS CloudHSMで管理",
                   "AWS [-KMS-]{+CloudHSM+}で管理"},
        InlineCase{"FullWidthDigitsAreOneNumber", "年１２回", "年４回", "年[-１２-]{+４+}回"},
        InlineCase{"DecimalIsOneNumber", "稼働率99.9%", "稼働率99.95%", "稼働率[-99.9-]{+99.95+}%"},
        InlineCase{"ThousandsSeparatorIsOneNumber", "上限1,000件", "上限10,000件",
                   "上限[-1,000-]{+10,000+}件"},
        InlineCase{"InsertionInsideAVerbPhrase", "暗号化しています", "暗号化を予定しています",
                   "暗号化{+を予定+}しています"},
        InlineCase{"SentenceAddedAtTheEnd", "データは国内で保管します。",
                   "データは国内で保管します。バックアップは東京と大阪に置きます。",
                   "データは国内で保管します。{+バックアップは東京と大阪に置きます。+}"},
        InlineCase{"TadashiClauseInsertedInTheMiddle",
                   "ログは1年間保存します。アクセスは管理者に限ります。",
                   "ログは1年間保存します。ただし、監査ログは7年間保存します。"
                   "アクセスは管理者に限ります。",
                   "ログは1年間保存します。{+ただし、監査ログは7年間保存します。+}"
                   "アクセスは管理者に限ります。"},
        InlineCase{"TadashiClauseInsideASentence", "データは暗号化して保管します。",
                   "データは、ただし個人情報を除き、暗号化して保管します。",
                   "データは{+、ただし個人情報を除き、+}暗号化して保管します。"},
        InlineCase{"SentenceDeleted", "鍵は年1回更新します。鍵はHSMに保管します。",
                   "鍵はHSMに保管します。", "[-鍵は年1回更新します。-]鍵はHSMに保管します。"},
        InlineCase{"KanjiCompoundChangesAsOne", "外部監査を実施", "内部調査を実施",
                   "[-外部監-]{+内部調+}査を実施"},
        InlineCase{"TwoCharacterEqualityBetweenOneCharacterChangesStays", "年1回、外部監査",
                   "年2回、内部監査", "年[-1-]{+2+}回、[-外-]{+内+}部監査"},
        InlineCase{"KatakanaWordReplacedWhole", "バックアップを取得", "レプリケーションを取得",
                   "[-バックアップ-]{+レプリケーション+}を取得"},
        InlineCase{"KatakanaWordKeepsLongSharedStart", "データベースに保存", "データセンターに保存",
                   "データ[-ベース-]{+センター+}に保存"},
        InlineCase{"KatakanaWordExtended", "サーバで処理", "サーバーで処理", "サーバ{+ー+}で処理"},
        InlineCase{"KatakanaWordKeepsSharedEnd", "ユーザーが申請", "エンドユーザーが申請",
                   "{+エンド+}ユーザーが申請"},
        InlineCase{"KatakanaChanceSharedStartIsNotShown", "バックアップを参照", "バージョンを参照",
                   "[-バックアップ-]{+バージョン+}を参照"},
        InlineCase{"ChangedBulletLine", "・保存データは暗号化します\n・鍵は年1回更新します",
                   "・保存データは暗号化します\n・鍵は年2回更新します\n・鍵はHSMで管理します",
                   "・保存データは暗号化します\n・鍵は年[-1-]{+2+}回更新します"
                   "{+\n・鍵はHSMで管理します+}"},
        InlineCase{"LineBreakBetweenChangesIsKept", "A社\nB社", "C社\nD社",
                   "[-A-]{+C+}社\n[-B-]{+D+}社"},
        InlineCase{"CrLfIsOneLineBreak", "一\r\n二", "一\n二", "一[-\r\n-]{+\n+}二"},
        InlineCase{"OldEmpty", "", "新規に回答します。", "{+新規に回答します。+}"},
        InlineCase{"NewEmpty", "回答を削除しました。", "", "[-回答を削除しました。-]"},
        InlineCase{"VariationSelectorStaysWithItsKanji", "葛\U000E0100飾区", "葛飾区",
                   "[-葛\U000E0100-]{+葛+}飾区"},
        InlineCase{"InvalidByteIsAUnitKeptExactly", "暗号\xff化", "暗号\xfe化",
                   "暗号[-\xff-]{+\xfe+}化"},
        InlineCase{"TruncatedSequenceKeptExactly", "鍵\xe6\x9a管理", "鍵管理",
                   "鍵[-\xe6\x9a-]管理"}),
    [](const ::testing::TestParamInfo<InlineCase>& info) { return info.param.name; });

TEST(DiffTextTest, IdenticalTextsAreOneEqualSpan) {
  const std::string text = "当社は、AWS KMSを利用して暗号鍵を管理しています。\n・年1回見直します。";
  const std::vector<DiffSpan> spans = DiffText(text, text);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (DiffSpan{DiffKind::kEqual, text}));
  EXPECT_EQ(ChangeRatio(spans), 0.0);
}

TEST(DiffTextTest, BothEmptyGiveNoSpans) {
  EXPECT_TRUE(DiffText("", "").empty());
  EXPECT_EQ(ChangeRatio({}), 0.0);
}

TEST(DiffTextTest, LatinWordChangeIsOneDeletionAndOneInsertion) {
  const std::vector<DiffSpan> spans = DiffText("AES128", "AES256");
  EXPECT_EQ(spans, (std::vector<DiffSpan>{{DiffKind::kDeleted, "AES128"},
                                          {DiffKind::kInserted, "AES256"}}));
  EXPECT_EQ(ChangeRatio(spans), 1.0);
}

TEST(DiffTextTest, EmptySideIsOneSpanWithRatioOne) {
  EXPECT_EQ(DiffText("", "追加"), (std::vector<DiffSpan>{{DiffKind::kInserted, "追加"}}));
  EXPECT_EQ(DiffText("削除", ""), (std::vector<DiffSpan>{{DiffKind::kDeleted, "削除"}}));
  EXPECT_EQ(ChangeRatio(DiffText("", "追加")), 1.0);
}

TEST(DiffTextTest, UnrelatedAnswerIsAlmostAllChanged) {
  const std::string old_text =
      "当社はお客様のデータを国内のデータセンターで保管し、定期的にバックアップを取得しています。"
      "バックアップは暗号化した上で遠隔地に保管しています。";
  const std::string new_text =
      "アクセス権限は最小権限の原則に基づき付与され、四半期ごとに棚卸しを実施します。"
      "退職者のアカウントは当日中に削除します。";
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
  EXPECT_GT(ChangeRatio(spans), 0.9) << RenderInline(spans);
}

TEST(DiffTextTest, SmallChangeHasSmallRatio) {
  const std::vector<DiffSpan> spans = DiffText("アクセスログは1年間保存し、年1回監査します。",
                                               "アクセスログは1年間保存し、年2回監査します。");
  EXPECT_GT(ChangeRatio(spans), 0.0);
  EXPECT_LT(ChangeRatio(spans), 0.05);
}

TEST(ChangeRatioTest, CountsCharactersOfBothTexts) {
  // old "暗号化" + "A", new "暗号化" + "BC": 3 changed of 4 + 5.
  const std::vector<DiffSpan> spans = {
      {DiffKind::kEqual, "暗号化"}, {DiffKind::kDeleted, "A"}, {DiffKind::kInserted, "BC"}};
  EXPECT_DOUBLE_EQ(ChangeRatio(spans), 3.0 / 9.0);
}

TEST(ChangeRatioTest, InvalidByteCountsAsOneCharacter) {
  const std::vector<DiffSpan> spans = {{DiffKind::kEqual, "a"}, {DiffKind::kDeleted, "\xe6\x9a"}};
  EXPECT_DOUBLE_EQ(ChangeRatio(spans), 2.0 / 4.0);
}

TEST(RenderInlineTest, UsesWdiffMarkers) {
  const std::vector<DiffSpan> spans = {{DiffKind::kEqual, "年"},
                                       {DiffKind::kDeleted, "1"},
                                       {DiffKind::kInserted, "2"},
                                       {DiffKind::kEqual, "回\n"}};
  EXPECT_EQ(RenderInline(spans), "年[-1-]{+2+}回\n");
  EXPECT_EQ(RenderInline({}), "");
}

// ---------------------------------------------------------------------------
// Generated pairs

// Pieces the generator builds texts from: every unit class, the boundaries
// between them, and bytes that are not UTF-8.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> pieces = {
      "暗",         "号", "化",   "鍵", "管",   "理",   "年",       "回",       "日",
      "の",         "は", "を",   "し", "て",   "い",   "ま",       "す",       "、",
      "。",         "\n", "\r\n", "\r", " ",    "　",   "・",       "「",       "」",
      "ー",         "ア", "バ",   "ッ", "ク",   "プ",   "ｶ",        "ﾞ",        "\u3099",
      "\U000E0100", "A",  "E",    "S",  "K",    "1",    "2",        "0",        "９",
      ".",          ",",  "-",    "%",  "\xff", "\x80", "\xe6\x9a", "\xf0\x9f", "\xed\xa0\x80",
      "😀"};
  return pieces;
}

std::string RandomText(std::mt19937* rng, size_t max_pieces) {
  const std::vector<std::string>& pieces = Pieces();
  std::uniform_int_distribution<size_t> count(0, max_pieces);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string out;
  for (size_t n = count(*rng); n > 0; --n) out += pieces[pick(*rng)];
  return out;
}

// `text` with a few random pieces inserted, deleted or replaced, cut at any
// byte (so an edit can split a code point).
std::string Mutate(const std::string& text, std::mt19937* rng) {
  std::string out = text;
  std::uniform_int_distribution<int> edits(0, 4);
  for (int n = edits(*rng); n > 0; --n) {
    std::uniform_int_distribution<size_t> at(0, out.size());
    const size_t pos = at(*rng);
    const size_t len =
        std::min<size_t>(std::uniform_int_distribution<size_t>(0, 6)(*rng), out.size() - pos);
    out.replace(pos, len, RandomText(rng, 3));
  }
  return out;
}

TEST(DiffTextPropertyTest, RoundTripsGeneratedPairs) {
  std::mt19937 rng(20240601);
  for (int i = 0; i < 4000; ++i) {
    const std::string old_text = RandomText(&rng, 40);
    const std::string new_text = i % 4 == 0 ? RandomText(&rng, 40) : Mutate(old_text, &rng);
    SCOPED_TRACE(::testing::Message() << "pair " << i);
    ExpectWellFormed(old_text, new_text, DiffText(old_text, new_text));
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(DiffTextPropertyTest, RoundTripsRandomBytes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 60);
  for (int i = 0; i < 2000; ++i) {
    std::string old_text, new_text;
    for (size_t n = length(rng); n > 0; --n) old_text.push_back(static_cast<char>(byte(rng)));
    if (i % 2 == 0) {
      // Random bytes share little; half the pairs are edits of each other.
      new_text = old_text;
      for (int k = 0; k < 3 && !new_text.empty(); ++k) {
        new_text[std::uniform_int_distribution<size_t>(0, new_text.size() - 1)(rng)] =
            static_cast<char>(byte(rng));
      }
    } else {
      for (size_t n = length(rng); n > 0; --n) new_text.push_back(static_cast<char>(byte(rng)));
    }
    SCOPED_TRACE(::testing::Message() << "pair " << i);
    ExpectWellFormed(old_text, new_text, DiffText(old_text, new_text));
    if (::testing::Test::HasFailure()) break;
  }
}

// ---------------------------------------------------------------------------
// Long texts: they must finish and round-trip (no timing asserts).

// Lines of Japanese-looking text from a pool of kanji and kana; two texts
// built from different seeds share characters but hardly any line.
std::string LongText(uint32_t seed, size_t chars) {
  static const char32_t kPool[] = {U'暗', U'号', U'鍵', U'管', U'理', U'監', U'査', U'記', U'録',
                                   U'保', U'存', U'の', U'は', U'を', U'に', U'し', U'て', U'す',
                                   U'ま', U'た', U'ア', U'ク', U'セ', U'ス', U'、'};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPool) - 1);
  std::string out;
  for (size_t i = 1; i <= chars; ++i) {
    if (i % 40 == 0) {
      out += "。\n";
    } else {
      AppendUtf8(kPool[pick(rng)], &out);
    }
  }
  return out;
}

TEST(DiffTextLongTest, UnrelatedTextsSharingAFewLinesFinish) {
  const std::string shared1 = "この行は両方の版に共通して現れる文です。\n";
  const std::string shared2 = "AWS KMSで鍵を管理し、年1回ローテーションします。\n";
  const std::string old_text =
      LongText(1, 10000) + shared1 + LongText(2, 10000) + shared2 + LongText(3, 500);
  const std::string new_text =
      LongText(4, 10000) + shared1 + LongText(5, 10000) + shared2 + LongText(6, 500);
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
  EXPECT_GT(ChangeRatio(spans), 0.5);
  // Too different to compare by characters: the fallback compares lines, and
  // the shared ones come out as equal text.
  for (const std::string& shared : {shared1, shared2}) {
    const std::string line = shared.substr(0, shared.size() - 1);
    EXPECT_TRUE(std::any_of(spans.begin(), spans.end(), [&](const DiffSpan& s) {
      return s.kind == DiffKind::kEqual && s.text.find(line) != std::string::npos;
    })) << line;
  }
}

TEST(DiffTextLongTest, LongTextsWithFewChangesFindThem) {
  const std::string old_text = LongText(11, 20000);
  std::string new_text = old_text;
  // Five edits spread over the text, each at a line start.
  const std::vector<std::string> inserted = {"追加A", "追加B", "追加C", "追加D", "追加E"};
  for (size_t k = 0; k < inserted.size(); ++k) {
    const size_t line = new_text.find('\n', (k + 1) * new_text.size() / 6);
    new_text.insert(line + 1, inserted[k]);
  }
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
  size_t insertions = 0;
  for (const DiffSpan& s : spans) {
    EXPECT_NE(s.kind, DiffKind::kDeleted);
    insertions += s.kind == DiffKind::kInserted;
  }
  EXPECT_EQ(insertions, 5u);
  EXPECT_LT(ChangeRatio(spans), 0.01);
}

TEST(DiffTextLongTest, SmallEditBesideARewrittenSectionIsStillFound) {
  // The rewritten half puts the whole pair past the budget of the fine diff;
  // the fallback must still show the one-digit change elsewhere precisely.
  // A paragraph without line breaks, so the fallback cannot split it up.
  const auto paragraph = [](uint32_t seed) {
    std::string text = LongText(seed, 12000);
    std::erase(text, '\n');
    return text + "\n";
  };
  const std::string head = LongText(30, 4000);
  const std::string tail = LongText(32, 2000);
  const std::string old_text =
      head + paragraph(31) + "鍵は年1回更新し、ログは90日保存します。\n" + tail;
  const std::string new_text =
      head + paragraph(33) + "鍵は年2回更新し、ログは60日保存します。\n" + tail;
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
  EXPECT_NE(RenderInline(spans).find("鍵は年[-1-]{+2+}回更新し、ログは[-90-]{+60+}日保存します。"),
            std::string::npos);
}

TEST(DiffTextLongTest, RoundTripsGeneratedLongPairs) {
  // Long enough for the fallback, with every kind of unit and bad bytes.
  std::mt19937 rng(99);
  for (int i = 0; i < 6; ++i) {
    const std::string old_text = RandomText(&rng, 12000);
    std::string new_text = i % 2 == 0 ? RandomText(&rng, 12000) : old_text;
    for (int k = 0; i % 2 == 1 && k < 300; ++k) new_text = Mutate(new_text, &rng);
    SCOPED_TRACE(::testing::Message() << "pair " << i);
    ExpectWellFormed(old_text, new_text, DiffText(old_text, new_text));
  }
}

TEST(DiffTextLongTest, LongSingleParagraphsWithoutLineBreaksFinish) {
  std::string old_text = LongText(21, 25000), new_text = LongText(22, 25000);
  for (std::string* t : {&old_text, &new_text}) {
    std::erase(*t, '\n');
  }
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
}

TEST(DiffTextLongTest, LongRepetitiveTextsFinish) {
  // Many equal units on every diagonal: the snakes, not the diagonals, cost.
  std::string old_text, new_text;
  for (int i = 0; i < 20000; ++i) {
    old_text += i % 7 == 0 ? "す" : "し";
    new_text += i % 5 == 0 ? "す" : "し";
  }
  const std::vector<DiffSpan> spans = DiffText(old_text, new_text);
  ExpectWellFormed(old_text, new_text, spans);
}

}  // namespace
}  // namespace fiscdex::compare
