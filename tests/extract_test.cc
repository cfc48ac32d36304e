#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "extract/criterion_id.h"
#include "extract/extract.h"
#include "extract/id_cell.h"
#include "extract/labels.h"
#include "base/json.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "tests/test_util.h"

namespace fiscdex::extract {
namespace {

std::vector<std::string> IdsAtStart(std::string_view raw) {
  std::string text = normalize::NormalizeText(raw);
  auto expr = MatchIdExpressionAt(text, 0);
  return expr ? expr->ids : std::vector<std::string>{};
}

struct IdCase {
  const char* input;
  std::vector<std::string> ids;
};

TEST(CriterionIdTest, ReadsEveryWrittenForm) {
  const IdCase cases[] = {
      {"統1", {"統1"}},
      {"実１", {"実1"}},
      {"実 ８", {"実8"}},
      {"統 1", {"統1"}},
      {"実務基準1", {"実1"}},
      {"統制基準 24", {"統24"}},
      {"【実1】", {"実1"}},
      {"(実1)", {"実1"}},
      {"（実１）", {"実1"}},
      {"実103-1", {"実103-1"}},
      {"実 103 - 1", {"実103-1"}},
      {"設83-1", {"設83-1"}},
      {"監1", {"監1"}},
      {"運12", {"運12"}},
      {"技3", {"技3"}},
  };
  for (const IdCase& c : cases) EXPECT_EQ(IdsAtStart(c.input), c.ids) << c.input;
}

TEST(CriterionIdTest, ExpandsRangesAndLists) {
  const IdCase cases[] = {
      {"統 1~3", {"統1", "統2", "統3"}},
      {"実 35～38", {"実35", "実36", "実37", "実38"}},
      {"実48〜52", {"実48", "実49", "実50", "実51", "実52"}},
      {"統1～統3", {"統1", "統2", "統3"}},
      {"統１～統３", {"統1", "統2", "統3"}},
      {"設備基準84～86", {"設84", "設85", "設86"}},
      {"実26 実27", {"実26", "実27"}},
      {"実26、実27", {"実26", "実27"}},
      {"統4,5", {"統4", "統5"}},
      {"実 3, 実 25", {"実3", "実25"}},
      {"統5-1〜5-3", {"統5-1", "統5-2", "統5-3"}},
      {"実1~2、実5", {"実1", "実2", "実5"}},
      {"実3及び実4", {"実3", "実4"}},
  };
  for (const IdCase& c : cases) EXPECT_EQ(IdsAtStart(c.input), c.ids) << c.input;
}

// A PDF reader joins the wrapped lines of a cell without a blank, as
// Japanese wants: "実26 実27" wrapped in a narrow cell arrives as "実26実27".
TEST(CriterionIdTest, ReadsIdsGluedToEachOther) {
  const IdCase cases[] = {
      {"実26実27", {"実26", "実27"}},
      {"統1統2統3", {"統1", "統2", "統3"}},
      {"設83-1設83-2", {"設83-1", "設83-2"}},
      {"実１実２", {"実1", "実2"}},
      {"実務基準26実務基準27", {"実26", "実27"}},
      {"統1~3統5", {"統1", "統2", "統3", "統5"}},
      {"実26、実27", {"実26", "実27"}},
  };
  for (const IdCase& c : cases) EXPECT_EQ(IdsAtStart(c.input), c.ids) << c.input;
  // Only a family character and a number directly after the number glue:
  // words that start with one (実施, 実務基準第3版) and counts (実27件) do not.
  const IdCase single[] = {
      {"実26実施しています", {"実26"}},
      {"実26実務基準第3版", {"実26"}},
      {"実26実27件", {"実26"}},
      {"設83設備", {"設83"}},
  };
  for (const IdCase& c : single) EXPECT_EQ(IdsAtStart(c.input), c.ids) << c.input;
}

TEST(CriterionIdTest, ReadsQuestionnaireNumbers) {
  const IdCase cases[] = {
      {"実務基準 No.12", {"実12"}},
      {"実務基準 Ｎｏ．１２", {"実12"}},
      {"実務基準No12", {"実12"}},
      {"実務基準 番号12", {"実12"}},
      {"統制基準 番号 3", {"統3"}},
      {"実務基準 項番:25", {"実25"}},
      {"監査基準 No.1", {"監1"}},
      {"実務基準 No.35〜38", {"実35", "実36", "実37", "実38"}},
  };
  for (const IdCase& c : cases) EXPECT_EQ(IdsAtStart(c.input), c.ids) << c.input;
  // A number label without a family names no criterion.
  for (const char* text : {"No.12", "番号12", "実務基準番号", "実務基準 No.12件"}) {
    EXPECT_TRUE(IdsAtStart(text).empty()) << text;
  }
}

TEST(CriterionIdTest, RejectsCountsRanksPartsAndSections) {
  for (const char* text : {"実 35件", "実 35位", "実 35B", "実務 3-1-1", "設備 2-2-4", "実1.2.3",
                           "4.3", "統制", "実務基準「情報セキュリティ」", "実1000"}) {
    EXPECT_TRUE(IdsAtStart(text).empty()) << text;
  }
}

TEST(CriterionIdTest, CitationsAreFollowedByParticles) {
  EXPECT_TRUE(FollowedByParticle("の対策は"));
  EXPECT_TRUE(FollowedByParticle(" と同じ"));
  EXPECT_TRUE(FollowedByParticle("を参照"));
  EXPECT_FALSE(FollowedByParticle(" セキュリティ管理体制を整備すること。"));
  EXPECT_FALSE(FollowedByParticle(""));
}

TEST(CriterionIdTest, SubjectParticlesSayTheSentenceIsAboutTheIds) {
  for (const char* after : {"は当サービスの対象外です", " は対象外", "も同様です",
                            "については実2をご参照ください", "が対象外です"}) {
    EXPECT_TRUE(FollowedBySubjectParticle(after)) << after;
  }
  for (const char* after : {"の対策は", "と同じ", "を参照", "に準じる", "", " 暗証番号の保護"}) {
    EXPECT_FALSE(FollowedBySubjectParticle(after)) << after;
  }
}

std::optional<IdCell> NoteCell(std::string_view raw) {
  return ParseNoteIdCell(normalize::NormalizeText(raw));
}

TEST(IdCellTest, NoteReadsARangeFollowedDirectlyByItsSubjectParticle) {
  struct NoteCase {
    const char* input;
    std::vector<std::string> ids;
  };
  const NoteCase cases[] = {
      {"設備基準84～90は当サービスの対象外です",
       {"設84", "設85", "設86", "設87", "設88", "設89", "設90"}},
      {"設備基準84～90 は当サービスの対象外です",
       {"設84", "設85", "設86", "設87", "設88", "設89", "設90"}},
      {"実3については実2をご参照ください", {"実3"}},
      {"実26実27は対象外です", {"実26", "実27"}},
      {"実27も同様です", {"実27"}},
  };
  for (const NoteCase& c : cases) {
    std::optional<IdCell> cell = NoteCell(c.input);
    ASSERT_TRUE(cell.has_value()) << c.input;
    EXPECT_EQ(cell->ids, c.ids) << c.input;
    EXPECT_EQ(cell->kind, IdCell::Kind::kText) << c.input;
  }
  // Citations stay citations, even alone in a row.
  for (const char* text : {"実97の対策は実96と共通です", "実3を参照", "実4と同じ", "実3に準じます",
                           "対応策は実4と同じ", "実務基準第3版を参照"}) {
    EXPECT_FALSE(NoteCell(text).has_value()) << text;
  }
}

TEST(IdCellTest, OutsideANoteRowAGluedParticleStillCites) {
  // An answer or remark cell opening "実39は…" is prose; only a row with
  // nothing else in it (ParseNoteIdCell) reads it as a note.
  EXPECT_FALSE(ParseIdCell(normalize::NormalizeText("設備基準84～90は当サービスの対象外です")));
  EXPECT_FALSE(ParseIdCell(normalize::NormalizeText("実39の保管期間の記載を更新しました。")));
  std::optional<IdCell> glued = ParseIdCell(normalize::NormalizeText("実26実27"));
  ASSERT_TRUE(glued.has_value());
  EXPECT_EQ(glued->ids, (std::vector<std::string>{"実26", "実27"}));
  EXPECT_EQ(glued->kind, IdCell::Kind::kPlain);
}

TEST(CriterionIdTest, OrdersIdsAsTheStandardDoes) {
  std::vector<std::string> ids = {"技1", "実10", "設83-1", "実8-1", "監1", "実8", "統2", "設83", "X1"};
  std::sort(ids.begin(), ids.end(), CriterionLess);
  EXPECT_EQ(ids, (std::vector<std::string>{"統2", "実8", "実8-1", "実10", "設83", "設83-1", "監1",
                                           "技1", "X1"}));
  EXPECT_EQ(CriterionFamilyOf("設83-1"), "設");
  EXPECT_EQ(CriterionFamilies().front().name, "統制基準");
}

TEST(CriterionIdTest, ParsesQueriesThatAreOneId) {
  EXPECT_EQ(ParseCriterionId("実8"), "実8");
  EXPECT_EQ(ParseCriterionId("実 ８"), "実8");
  EXPECT_EQ(ParseCriterionId("【統1】"), "統1");
  EXPECT_EQ(ParseCriterionId("実務基準103-1"), "実103-1");
  EXPECT_EQ(ParseCriterionId("統1 ✏️"), "統1");
  EXPECT_FALSE(ParseCriterionId("実8 暗号"));
  EXPECT_FALSE(ParseCriterionId("統1~3"));
  EXPECT_FALSE(ParseCriterionId("暗号鍵"));
}

// Labels are read on normalized text, as the extractor sees it.
std::optional<std::string> Answer(std::string_view raw) {
  std::string text = normalize::NormalizeText(raw);
  std::optional<std::string_view> rest = MatchAnswerLabel(text);
  return rest ? std::optional<std::string>(*rest) : std::nullopt;
}

std::optional<std::string> Mapping(std::string_view raw) {
  std::string text = normalize::NormalizeText(raw);
  std::optional<std::string_view> rest = MatchMappingLabel(text);
  return rest ? std::optional<std::string>(*rest) : std::nullopt;
}

TEST(LabelTest, PatternsCompile) { EXPECT_TRUE(LabelPatternsCompiled()); }

struct QuestionCase {
  const char* input;
  bool label;
  bool asks;
};

TEST(LabelTest, ReadsQuestionLabels) {
  const QuestionCase cases[] = {
      {"Q. 実8 本人確認", true, true},
      {"Ｑ．実8", true, true},
      {"Q1. 実8", true, true},
      {"Q 実8", true, true},
      {"【質問】実8", true, true},
      {"質問：パスワードを…", true, true},
      {"問3. 実8", true, true},
      {"項番：実12", true, false},
      {"番号 実12", true, false},
      {"No. 実9", true, false},
      // The same letters starting a word are no label.
      {"Quality of service", false, false},
      {"Question 3: 実8", true, true},
      {"QA 実施結果", false, false},
      {"Questionnaire", false, false},
      {"質問事項の一覧", false, false},
      {"問題点はありません", false, false},
  };
  for (const QuestionCase& c : cases) {
    std::string text = normalize::NormalizeText(c.input);
    std::optional<QuestionLabel> label = MatchQuestionLabel(text);
    EXPECT_EQ(label.has_value(), c.label) << c.input;
    if (label) {
      EXPECT_EQ(label->asks, c.asks) << c.input;
    }
  }
}

struct LabelCase {
  const char* input;
  std::optional<std::string> rest;  // nullopt: not a label
};

TEST(LabelTest, ReadsAnswerLabels) {
  const LabelCase cases[] = {
      {"回答：当社は暗号化しています。", "当社は暗号化しています。"},
      {"回答", ""},
      {"回答:", ""},
      {"回答 当社は…", "当社は…"},
      {"A. 当社は…", "当社は…"},
      {"Ａ：当社は…", "当社は…"},
      {"A:", ""},
      {"Answer: yes", "yes"},
      {"【回答】当社は…", "当社は…"},
      {"対応状況：対応済み", "対応済み"},
      {"対応状況", ""},
      // Label words inside prose.
      {"回答期限は2024年5月末日です。", std::nullopt},
      {"回答内容は6月末時点のものです。", std::nullopt},
      {"対応状況は以下のとおりです。", std::nullopt},
      {"Answers are given below.", std::nullopt},
      {"A社は委託先です。", std::nullopt},
      {"AES-256で暗号化しています。", std::nullopt},
      {"当社の回答: 対応済み", std::string("対応済み")},
  };
  for (const LabelCase& c : cases) {
    EXPECT_EQ(Answer(c.input),
              c.rest ? std::optional<std::string>(normalize::NormalizeText(*c.rest)) : std::nullopt)
        << c.input;
  }
}

TEST(LabelTest, ReadsMappingLabels) {
  const LabelCase cases[] = {
      {"対応する安全対策基準番号", ""},
      {"対応するFISC基準：実3、実25", "実3、実25"},
      {"関連する FISC 基準", ""},
      {"関連するＦＩＳＣ基準: 実8", "実8"},
      {"FISC対応項番：実8", "実8"},
      {"参照基準 実3", "実3"},
      {"【関連基準】実3", "実3"},
      {"・対応する基準：実9", "実9"},
      // Prose and table headers that name the standard.
      {"対応するFISC基準は以下のとおりです。", std::nullopt},
      {"本書では対応する安全対策基準番号を末尾に記載しています。", std::nullopt},
      {"FISC 実務基準", std::nullopt},
      {"基準番号", std::nullopt},
      {"対応状況", std::nullopt},
  };
  for (const LabelCase& c : cases) {
    EXPECT_EQ(Mapping(c.input),
              c.rest ? std::optional<std::string>(normalize::NormalizeText(*c.rest)) : std::nullopt)
        << c.input;
  }
}

TEST(LabelTest, KnowsQuestionsToTheVendor) {
  for (const char* q : {"本人確認の機能を設けていますか。", "設けていますか?", "設けていますか？",
                        "ご説明ください。", "教えて下さい", "実施状況をご教示願います。"}) {
    EXPECT_TRUE(IsQuestionPhrase(normalize::NormalizeText(q))) << q;
  }
  for (const char* t :
       {"本人確認の機能を設けること。", "パスワードの管理", "暗号化しています。", ""}) {
    EXPECT_FALSE(IsQuestionPhrase(t)) << t;
  }
}

TEST(AnswerMarkerTest, KnowsMarkers) {
  for (const char* m : {"欠番", "（欠番）", "対象外", "—", "○", "-", "N/A"}) {
    EXPECT_TRUE(IsAnswerMarker(m)) << m;
  }
  EXPECT_FALSE(IsAnswerMarker("暗号化しています。"));
}

// The whole pipeline on small documents of each layout.
Extraction ExtractText(const std::string& name, const std::string& text) {
  Result<ingest::Document> doc = ingest::LoadBytes(name, text);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  if (!doc.ok()) return {};
  normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
  return Extract(*doc, normalized);
}

std::vector<std::string> Ids(const Extraction& e) {
  std::vector<std::string> ids;
  for (const auto& r : e.records) ids.push_back(r.id);
  return ids;
}

TEST(ExtractTest, RowTableGivesOneRecordPerId) {
  Extraction e = ExtractText("a.txt",
                             "基準番号\t対応状況\n"
                             "統1\t規程を整備しています。\n"
                             "実26 実27\t権限を見直しています。\n"
                             "実12\t\n"
                             "設備基準84～86 は対象外\t\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "実26", "実27", "実12", "設84", "設85", "設86"}));
  EXPECT_EQ(e.records[0].answer, "規程を整備しています。");
  EXPECT_EQ(e.records[1].group, (std::vector<std::string>{"実26", "実27"}));
  EXPECT_EQ(e.records[3].answer, "");
  EXPECT_EQ(e.records[4].answer, "設備基準84~86 は対象外");
  EXPECT_EQ(e.records[6].group.size(), 3u);
}

// A column headed 項目 (or 対策項目, 確認事項 ...) holds what the row is
// about: the criterion's text, not a second answer. 大項目 and 中項目 group
// rows instead.
TEST(ExtractTest, AnItemColumnIsTheCriterionText) {
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"item.csv", "項番,項目,回答\n統1,方針の策定,方針を定めています。\n統2,体制の整備,体制を整えています。\n"},
           {"item.md", "| 項番 | 対策項目 | 回答 |\n|---|---|---|\n| 統1 | 方針の策定 | 方針を定めています。 |\n"
                       "| 統2 | 体制の整備 | 体制を整えています。 |\n"},
           {"item.txt", "大項目\t項番\t確認事項\t回答\n統制\t統1\t方針の策定\t方針を定めています。\n"
                        "統制\t統2\t体制の整備\t体制を整えています。\n"}}) {
    SCOPED_TRACE(name);
    Extraction e = ExtractText(name, text);
    ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2"}));
    EXPECT_EQ(e.records[0].answer, "方針を定めています。");
    ASSERT_TRUE(e.records[0].title.has_value());
    EXPECT_EQ(*e.records[0].title, "方針の策定");
    EXPECT_TRUE(e.records[0].columns.empty());
  }
}

// A document that is all table names itself in a key/value row (文書名,
// タイトル, Title ...), not in a heading.
TEST(ExtractTest, AnAllTableDocumentTakesItsTitleFromALabelledRow) {
  Extraction e = ExtractText("sheet.csv",
                             "作成,株式会社カモメ\n文書名,カモメ決済 FISC安全対策基準 対応状況\n"
                             ",\n項番,回答\n統1,方針を定めています。\n");
  ASSERT_TRUE(e.metadata.title.has_value());
  EXPECT_EQ(*e.metadata.title, "カモメ決済 FISC安全対策基準 対応状況");
  Extraction untitled = ExtractText("sheet.csv", "項番,回答\n統1,方針を定めています。\n");
  EXPECT_FALSE(untitled.metadata.title.has_value());
}

// What a PDF reader gives for wrapped ID cells: the blank at the wrap gone.
TEST(ExtractTest, WrappedIdCellsWithoutBlanksGiveTheSameRecords) {
  Extraction e = ExtractText("wrapped.txt",
                             "基準番号\t小項目\t対応状況\n"
                             "統1統2統3\t規程を整備すること。\t規程を整備しています。\n"
                             "実26実27\t操作の記録を取得すること。\t操作ログを記録しています。\n"
                             "設備基準84～90は当サービスの対象外です\t\t\n"
                             "監1\t監査を行うこと。\t内部監査を行っています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2", "統3", "実26", "実27", "設84", "設85",
                                              "設86", "設87", "設88", "設89", "設90", "監1"}));
  EXPECT_EQ(e.records[0].group, (std::vector<std::string>{"統1", "統2", "統3"}));
  EXPECT_EQ(e.records[3].group, (std::vector<std::string>{"実26", "実27"}));
  EXPECT_EQ(e.records[4].answer, "操作ログを記録しています。");
  EXPECT_EQ(e.records[4].title, "操作の記録を取得すること。");
  EXPECT_EQ(e.records[5].answer, "設備基準84~90は当サービスの対象外です");
  EXPECT_EQ(e.records[11].group.size(), 7u);
  EXPECT_FALSE(e.records[5].title.has_value());
}

TEST(ExtractTest, CitationsOpeningCellsGiveNoRecords) {
  // A revision history: its remark cells open with IDs, glued to particles.
  Extraction history = ExtractText("history.txt",
                                   "版\t日付\t変更内容\n"
                                   "1.2\t2024/04/01\t実39は記載を更新しました。\n"
                                   "1.3\t2024/10/01\t実40の保管期間の記載を更新しました。\n");
  EXPECT_TRUE(history.records.empty()) << Ids(history).size();
  // A criterion table: a citing note alone in a row names nothing, and an
  // answer that opens with another ID's subject stays that row's answer.
  Extraction e = ExtractText("cite.txt",
                             "基準番号\t対応状況\n"
                             "実3\t暗号化しています。\n"
                             "実3の回答をご参照ください\t\n"
                             "実4\t実3は鍵をHSMで管理しています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実3", "実4"}));
  EXPECT_EQ(e.records[0].answer, "暗号化しています。");
  EXPECT_EQ(e.records[1].answer, "実3は鍵をHSMで管理しています。");
}

TEST(ExtractTest, ContinuationRowAfterRepeatedHeaderJoinsTheRecordAbove) {
  Extraction e = ExtractText("b.txt",
                             "中項目\t基準番号\t対応\n"
                             "(1)\t統 1~2\t監視を行い、対応が必要な場合は迅速に対\n"
                             "\n\n"
                             "中項目\t基準番号\t対応\n"
                             "\t\t応します。\n"
                             "(2)\t統 3\t教育を行います。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2", "統3"}));
  EXPECT_EQ(e.records[0].answer, "監視を行い、対応が必要な場合は迅速に対応します。");
  EXPECT_EQ(e.records[2].answer, "教育を行います。");
}

TEST(ExtractTest, AnswerParagraphIsSharedByFollowingIdsWithoutAnswer) {
  Extraction e = ExtractText("c.txt",
                             "統1\n規程を整備す\nること。\n\n"
                             "当社は規程を整備しています。\n\n"
                             "統2 計画を策定すること。\n\n"
                             "組織体制\n\n"
                             "統4 管理体制を整備すること。\n\n"
                             "当社は体制を整備しており、統9の対策は別に記載しています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2", "統4"}));
  EXPECT_EQ(e.records[0].title, "規程を整備すること。");
  EXPECT_EQ(e.records[1].answer, "当社は規程を整備しています。");
  EXPECT_EQ(e.records[1].group, (std::vector<std::string>{"統1", "統2"}));
  EXPECT_EQ(e.records[2].group, (std::vector<std::string>{"統4"}));
}

TEST(ExtractTest, HeadingPerIdTakesItsSection) {
  Extraction e = ExtractText("d.md",
                             "# 索引\n\n"
                             "### 1. 方針（統1〜統2）\n\n"
                             "#### 統1 ✏️: 規程の整備\n"
                             "- **概要**: 規程を求める基準。\n"
                             "- **対応**: [ポリシー](x.md) で管理\n\n"
                             "#### 統2: 計画\n"
                             "- **概要**: 計画の策定。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2"}));
  EXPECT_EQ(e.records[0].title, "規程の整備");
  EXPECT_EQ(e.records[0].answer, "概要: 規程を求める基準。\n対応: ポリシー で管理");
}

TEST(ExtractTest, IdsInTheLastColumnTakeTheRestOfTheRow) {
  Extraction e = ExtractText("g.txt",
                             "保存データを暗号化する\tAES-256で暗号化しています。\t実3, 実25\n"
                             "多要素認証を使う\t全ての管理者に必須です。\t実8\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実3", "実25", "実8"}));
  EXPECT_EQ(e.records[0].group, (std::vector<std::string>{"実3", "実25"}));
  EXPECT_EQ(e.records[2].answer, "多要素認証を使う\n全ての管理者に必須です。");
  ASSERT_EQ(e.records[2].columns.size(), 2u);
}

// A check sheet's row counter (No. or bare numbers) is not an answer column;
// a mapping's number column right of the IDs is data the row reports.
TEST(ExtractTest, RowCounterLeftOfTheIdsIsNotAnAnswer) {
  Extraction e = ExtractText("n.md",
                             "| No. | 基準番号 | 回答 |\n|---|---|---|\n"
                             "| 1 | 統1 | 方針を定めています。 |\n"
                             "| 2 | 統2～統4 | 計画を策定しています。 |\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統1", "統2", "統3", "統4"}));
  EXPECT_EQ(e.records[0].answer, "方針を定めています。");
  EXPECT_TRUE(e.records[1].columns.empty());

  Extraction unlabelled = ExtractText("u.md",
                                      "| 通し | 基準 | 回答 |\n|---|---|---|\n"
                                      "| (1) | 統1 | 方針を定めています。 |\n"
                                      "| (2) | 統2 | 計画を策定しています。 |\n");
  ASSERT_EQ(Ids(unlabelled), (std::vector<std::string>{"統1", "統2"}));
  EXPECT_EQ(unlabelled.records[1].answer, "計画を策定しています。");

  Extraction mapping = ExtractText("m.md",
                                   "| FISC | 名前 | No | 有効化 |\n|---|---|---|---|\n"
                                   "| 実 3 | 暗号化を有効にする | 1 | ◯ |\n");
  ASSERT_EQ(Ids(mapping), (std::vector<std::string>{"実3"}));
  EXPECT_EQ(mapping.records[0].answer, "暗号化を有効にする\n1\n◯");
}

// A sheet's print area wider than its table prints empty gridded columns.
TEST(ExtractTest, ColumnWithNoTextAtAllIsNoAnswerColumn) {
  Extraction e = ExtractText("x.md",
                             "| 基準 | 回答 | | |\n|---|---|---|---|\n"
                             "| 実1 | 体制を整えています。 | | |\n"
                             "| 実2 | 暗号化しています。 | | |\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実1", "実2"}));
  EXPECT_EQ(e.records[1].answer, "暗号化しています。");
  EXPECT_TRUE(e.records[1].columns.empty());
}

// "対応区分" reads as a category, but a column saying who acts (当社, お客様)
// is part of the answer; a category of the measure (組織, 技術) is not.
TEST(ExtractTest, WhoDoesItColumnIsAnAnswerColumnUnderACategoryHeader) {
  Extraction who = ExtractText("w.md",
                               "| 項番 | 基準項目 | 対応区分 | 回答 |\n|---|---|---|---|\n"
                               "| 運1 | 方針を定めること。 | 当社 | 方針を定めています。 |\n"
                               "| 運2 | 計画を策定すること。 | お客様 | 計画を策定してください。 |\n");
  ASSERT_EQ(Ids(who), (std::vector<std::string>{"運1", "運2"}));
  EXPECT_EQ(who.records[1].answer, "お客様\n計画を策定してください。");
  EXPECT_EQ(who.records[1].title, "計画を策定すること。");

  Extraction parties = ExtractText("p.md",
                                   "| 基準 | 分類 | 回答 |\n|---|---|---|\n"
                                   "| 実1 | 当社・お客様 | 双方で管理しています。 |\n"
                                   "| 実2 | 当社 | 暗号化しています。 |\n");
  EXPECT_EQ(parties.records.at(0).answer, "当社・お客様\n双方で管理しています。");

  Extraction category = ExtractText("c.md",
                                    "| 基準 | 区分 | 回答 |\n|---|---|---|\n"
                                    "| 実1 | 組織 | 体制を整えています。 |\n"
                                    "| 実2 | 技術 | 暗号化しています。 |\n");
  EXPECT_EQ(category.records.at(1).answer, "暗号化しています。");
}

TEST(ExtractTest, ProseCitingIdsHasNoRecords) {
  Extraction e = ExtractText("e.md",
                             "# 方針\n\n本方針は FISC 実務 3-1-1 と設備 2-2-4 に沿っています。\n\n"
                             "対応策は実 4 と同じであり、（FISC 実務基準 実76 — 参考）を見てください。\n"
                             "上位 実 35件 のうち 4.3 節を参照。\n");
  EXPECT_TRUE(e.records.empty()) << Ids(e).size();
}

// A document as a PDF reader gives it: one block per printed line, "# " and
// "## " for lines set larger (headings), "" for a paragraph gap.
Extraction ExtractPdfLines(const std::vector<std::string>& lines) {
  ingest::Document doc;
  doc.path = "p.pdf";
  doc.format = ingest::Format::kPdf;
  for (const std::string& line : lines) {
    ingest::Block b;
    b.source_begin = doc.text.size();
    doc.text += line + "\n";
    b.source_end = doc.text.size() - 1;
    if (line.empty()) {
      b.kind = ingest::BlockKind::kBlank;
    } else if (line.rfind("## ", 0) == 0) {
      b.kind = ingest::BlockKind::kHeading;
      b.level = 2;
      b.text = line.substr(3);
    } else if (line.rfind("# ", 0) == 0) {
      b.kind = ingest::BlockKind::kHeading;
      b.level = 1;
      b.text = line.substr(2);
    } else {
      b.text = line;
    }
    doc.blocks.push_back(std::move(b));
  }
  normalize::NormalizedDocument normalized = normalize::Normalize(doc);
  return Extract(doc, normalized);
}

std::string Squeezed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t') out.push_back(c);
  }
  return out;
}

// Records as "id|answer|title|group", white space aside: what must agree
// whatever the container.
std::vector<std::string> Summary(const Extraction& e) {
  std::vector<std::string> out;
  for (const CriterionRecord& r : e.records) {
    std::string group;
    for (const std::string& id : r.group) group += id + ",";
    out.push_back(r.id + "|" + Squeezed(r.answer) + "|" + (r.title ? *r.title : "(null)") + "|" +
                  group);
  }
  return out;
}

struct FormatCase {
  const char* name;
  Extraction extraction;
};

// The same questionnaire as text, Markdown, HTML, and a PDF's lines with and
// without larger type for the questions.
// A Word-style answer ending in a list keeps the list; each item is a line;
// a lead line naming two criteria gives both its text as title, while a
// range's text describes the range and titles none.
TEST(ExtractTest, ListItemsEndingAnAnswerStayAndAListOfIdsSharesItsTitle) {
  Extraction e = ExtractPdfLines({"【統10・統11】 外部委託を管理すること。", "",
                                  "委託先を評価しています。", "", "＜評価の観点＞", "",
                                  "・情報の取扱い体制", "・再委託の管理", "", "【実3～実5】 データの保護",
                                  "", "暗号化しています。"});
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"統10", "統11", "実3", "実4", "実5"}));
  EXPECT_EQ(e.records[0].answer, "委託先を評価しています。\n<評価の観点>\n・情報の取扱い体制\n・再委託の管理");
  EXPECT_EQ(e.records[1].title, "外部委託を管理すること。");
  EXPECT_EQ(e.records[3].title, std::nullopt);
  EXPECT_EQ(e.records[3].answer, "暗号化しています。");
}

TEST(QuestionnaireTest, EveryContainerGivesTheSameRecords) {
  // The answer 実9 and 実10 share, white space removed.
  const char* kShared =
      "失敗が続くとロックします。履歴は一年間保存します。詳細は実25の回答をご覧ください。";
  const std::vector<std::string> expected = {
      "実8|多要素認証を必須としています。|本人確認の機能を設けること。|実8,",
      std::string("実9|") + kShared + "|(null)|実9,実10,",
      std::string("実10|") + kShared + "|(null)|実9,実10,",
      "実12||(null)|実12,",
  };
  const FormatCase cases[] = {
      {"text", ExtractText("q.txt",
                           "質問票回答\n\n"
                           "Q1. 実8 本人確認の機能を設けること。\n"
                           "回答: 多要素認証を必須としています。\n\n"
                           "Q2. 実9 IDの不正使用を防いでいますか。\n"
                           "Q3. 実10 アクセス履歴を管理していますか。\n"
                           "回答:\n"
                           "失敗が続くとロックします。\n\n"
                           "履歴は一年間保存します。詳細は実25の回答をご覧ください。\n\n"
                           "Q4. 実12 パスワードの桁数を定めていますか。\n"
                           "回答:\n\n"
                           "Q5. 貴社の所在地を教えてください。\n"
                           "回答: 東京都です。\n")},
      {"markdown", ExtractText("q.md",
                               "# 質問票回答\n\n"
                               "## Q1. 実8 本人確認の機能を設けること。\n\n"
                               "**回答：** 多要素認証を必須としています。\n\n"
                               "## Q2. 実9 IDの不正使用を防いでいますか。\n\n"
                               "## Q3. 実10 アクセス履歴を管理していますか。\n\n"
                               "**回答：**\n\n"
                               "失敗が続くとロックします。\n\n"
                               "履歴は一年間保存します。詳細は実25の回答をご覧ください。\n\n"
                               "## Q4. 実12 パスワードの桁数を定めていますか。\n\n"
                               "**回答：**\n\n"
                               "## Q5. 貴社の所在地を教えてください。\n\n"
                               "**回答：** 東京都です。\n")},
      {"html", ExtractText("q.html",
                           "<html><body><h1>質問票回答</h1>"
                           "<h2>Q1. 実8 本人確認の機能を設けること。</h2>"
                           "<p><b>回答：</b>多要素認証を必須としています。</p>"
                           "<h2>Q2. 実9 IDの不正使用を防いでいますか。</h2>"
                           "<h2>Q3. 実10 アクセス履歴を管理していますか。</h2>"
                           "<p><b>回答：</b></p><p>失敗が続くとロックします。</p>"
                           "<p>履歴は一年間保存します。詳細は実25の回答をご覧ください。</p>"
                           "<h2>Q4. 実12 パスワードの桁数を定めていますか。</h2>"
                           "<p><b>回答：</b></p>"
                           "<h2>Q5. 貴社の所在地を教えてください。</h2>"
                           "<p><b>回答：</b>東京都です。</p></body></html>")},
      {"pdf lines",
       ExtractPdfLines(
           {"質問票回答", "", "Q1. 実8 本人確認の機能を設けること。",
            "回答: 多要素認証を必須としています。", "", "Q2. 実9 IDの不正使用を防いでいますか。",
            "Q3. 実10 アクセス履歴を管理していますか。", "回答:", "失敗が続くとロックします。",
            "履歴は一年間保存します。詳細は", "実25の回答をご覧ください。", "",
            "Q4. 実12 パスワードの桁数を定めていますか。", "回答:", "",
            "Q5. 貴社の所在地を教えてください。", "回答: 東京都です。"})},
      {"pdf headings",
       ExtractPdfLines(
           {"# 質問票回答", "## Q1. 実8 本人確認の機能を設けること。",
            "回答: 多要素認証を必須としています。", "## Q2. 実9 IDの不正使用を防いでいますか。",
            "## Q3. 実10 アクセス履歴を管理していますか。", "回答:", "失敗が続くとロックします。",
            "履歴は一年間保存します。詳細は", "実25の回答をご覧ください。",
            "## Q4. 実12 パスワードの桁数を定めていますか。",
            "回答:", "## Q5. 貴社の所在地を教えてください。", "回答: 東京都です。"})},
  };
  for (const FormatCase& c : cases) EXPECT_EQ(Summary(c.extraction), expected) << c.name;
}

struct TitleCase {
  const char* question;
  std::optional<std::string> title;
};

TEST(QuestionnaireTest, QuestionTextIsTheTitleOnlyWhereItIsTheCriterionText) {
  const TitleCase cases[] = {
      {"Q. 実8 本人確認の機能を設けること。", "本人確認の機能を設けること。"},
      {"Q. 実8 本人確認の機能を設けること。どのように対応していますか。",
       "本人確認の機能を設けること。"},
      {"Q. 実8 本人確認機能", "本人確認機能"},
      {"Q. 実8 本人確認の機能を設けていますか。", std::nullopt},
      {"Q. 実8 本人確認の方法をご説明ください。", std::nullopt},
      {"【質問】実8 本人確認の方法は?", std::nullopt},
      {"Q. 実8の要件への対応状況を教えてください。", std::nullopt},
      {"実務基準 No.8 本人確認の機能を設けること。", "本人確認の機能を設けること。"},
  };
  for (const TitleCase& c : cases) {
    Extraction e = ExtractText("t.txt", std::string(c.question) + "\n回答: 多要素認証です。\n");
    ASSERT_EQ(Ids(e), std::vector<std::string>{"実8"}) << c.question;
    EXPECT_EQ(e.records[0].title, c.title) << c.question;
    EXPECT_EQ(e.records[0].answer, "多要素認証です。") << c.question;
  }
}

TEST(QuestionnaireTest, ReadsEveryWayOfNumberingAQuestion) {
  Extraction e = ExtractText("n.txt",
                             "実務基準 No.12 パスワードの有効期限を設定していますか。\n"
                             "回答：設けていません。\n\n"
                             "実務基準 番号13 パスワードの桁数を定めること。\n"
                             "回答：十二文字以上です。\n\n"
                             "項番：実14\n"
                             "質問：不正アクセスを監視していますか。\n"
                             "回答：二十四時間監視しています。\n\n"
                             "No. 実15 不正プログラム対策を講じていますか。\n"
                             "対応状況：対策ソフトを導入しています。\n\n"
                             "【質問】実16 不正プログラムを検知していますか。\n"
                             "【回答】検知時は即時に通知します。\n\n"
                             "Q. 実17 ログを保存していますか。\n"
                             "Answer: 一年間保存しています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実12", "実13", "実14", "実15", "実16", "実17"}));
  EXPECT_EQ(e.records[0].answer, "設けていません。");
  EXPECT_EQ(e.records[1].title, "パスワードの桁数を定めること。");
  EXPECT_EQ(e.records[2].answer, "二十四時間監視しています。");
  EXPECT_EQ(e.records[2].title, std::nullopt);
  EXPECT_EQ(e.records[3].answer, "対策ソフトを導入しています。");
  EXPECT_EQ(e.records[4].answer, "検知時は即時に通知します。");
  EXPECT_EQ(e.records[5].answer, "一年間保存しています。");
}

TEST(QuestionnaireTest, AnswerRunsUntilTheNextQuestion) {
  Extraction e = ExtractText("r.txt",
                             "Q. 実8 本人確認をしていますか。\n"
                             "A. 多要素認証です。\n\n"
                             "実9の対策と合わせて運用しています。\n\n"
                             "Q. 貴社の所在地は?\n"
                             "A. 東京都です。\n\n"
                             "Q. 実10 履歴を管理していますか。\n"
                             "A. 一年間保存しています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実8", "実10"}));
  // A question about no criterion ends the answer above; 実9 there is cited.
  EXPECT_EQ(e.records[0].answer, "多要素認証です。\n実9の対策と合わせて運用しています。");
  EXPECT_EQ(e.records[1].answer, "一年間保存しています。");
}

TEST(QuestionnaireTest, EmptyAnswerIsSharedByNobody) {
  Extraction e = ExtractText("e.txt",
                             "Q. 実8 本人確認をしていますか。\n"
                             "Q. 実9 IDを管理していますか。\n"
                             "A.\n\n"
                             "Q. 実10 履歴を管理していますか。\n"
                             "A. 保存しています。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実8", "実9", "実10"}));
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(e.records[k].answer, "") << k;
    EXPECT_EQ(e.records[k].group.size(), 1u) << k;
  }
  EXPECT_EQ(e.records[2].group, std::vector<std::string>{"実10"});
}

TEST(QuestionnaireTest, LabelWordsInProseLabelNothing) {
  // "回答期限は" and "対応状況は" are prose; without a question label the
  // ID lines keep the merged-cell reading of a PDF dump.
  Extraction e = ExtractText("p.txt",
                             "回答期限は5月末日です。\n\n"
                             "実1 パスワードを保護すること。\n\n"
                             "対応状況は以下のとおりです。ハッシュ化して保存しています。\n\n"
                             "実2 相手先を確認すること。\n");
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実1", "実2"}));
  EXPECT_EQ(e.records[0].answer, "対応状況は以下のとおりです。ハッシュ化して保存しています。");
  EXPECT_EQ(e.records[1].group, (std::vector<std::string>{"実1", "実2"}));
}

TEST(QuestionnaireTest, TextBetweenQuestionAndLabelIsNotTheAnswer) {
  Extraction e = ExtractText("b.txt",
                             "Q. 実8 本人確認の機能を設けること。\n\n"
                             "(利用者と運用者の両方についてお答えください。)\n\n"
                             "A. 双方に多要素認証を必須としています。\n");
  ASSERT_EQ(Ids(e), std::vector<std::string>{"実8"});
  EXPECT_EQ(e.records[0].title, "本人確認の機能を設けること。");
  EXPECT_EQ(e.records[0].answer, "双方に多要素認証を必須としています。");
}

// normalize/ takes a line repeated through a document without pages for a
// running header; "Answer" above every answer is one.
TEST(QuestionnaireTest, AnswerLabelRepeatedOnEveryQuestionIsNotPageFurniture) {
  std::string text = "Questionnaire\n\n";
  for (int k = 1; k <= 4; ++k) {
    const std::string n = std::to_string(k);
    text += "Question 実" + n + " 対策" + n + "をしていますか。\n\n(補足" + n +
            "です。)\n\nAnswer\n対策" + n + "を実施しています。\n\n説明" + n + "です。\n\n";
  }
  Extraction e = ExtractText("a.txt", text);
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実1", "実2", "実3", "実4"}));
  EXPECT_EQ(e.records[2].answer, "対策3を実施しています。\n説明3です。");
  EXPECT_EQ(e.records[2].title, std::nullopt);
}

// The same blocks of best practices, each naming its criteria at the end,
// in every container; one block names 実3 again.
TEST(MappingTest, EveryContainerGivesTheSameRecords) {
  const std::vector<std::string> expected = {
      "実3|保存データを暗号化する。鍵はHSMで管理する。鍵を年一回更新する。|(null)|実3,実25,",
      "実25|保存データを暗号化する。鍵はHSMで管理する。|(null)|実3,実25,",
      "実8|管理者に多要素認証を課す。実9の要件も満たす。|(null)|実8,",
      "統20|委託先を毎年審査する。|(null)|統20,統21,統22,",
      "統21|委託先を毎年審査する。|(null)|統20,統21,統22,",
      "統22|委託先を毎年審査する。|(null)|統20,統21,統22,",
  };
  const FormatCase cases[] = {
      {"markdown", ExtractText("m.md",
                               "# ベストプラクティス\n\n"
                               "## BP-01 保存データの暗号化\n\n"
                               "保存データを暗号化する。\n\n鍵はHSMで管理する。\n\n"
                               "**対応する安全対策基準番号**\n\n- 実3\n- 実25\n\n"
                               "## BP-02 多要素認証\n\n"
                               "管理者に多要素認証を課す。実9の要件も満たす。\n\n"
                               "関連する FISC 基準：実8\n\n"
                               "## BP-03 鍵の更新\n\n"
                               "鍵を年一回更新する。\n\n参照基準：実3\n\n"
                               "## BP-04 委託先の審査\n\n"
                               "委託先を毎年審査する。\n\n"
                               "| FISC対応項番 | 統20〜統22 |\n|---|---|\n")},
      {"html",
       ExtractText("m.html",
                   "<html><body><h1>ベストプラクティス</h1>"
                   "<h2>BP-01 保存データの暗号化</h2>"
                   "<p>保存データを暗号化する。</p><p>鍵はHSMで管理する。</p>"
                   "<p><b>対応する安全対策基準番号</b></p><ul><li>実3</li><li>実25</li></ul>"
                   "<h2>BP-02 多要素認証</h2>"
                   "<p>管理者に多要素認証を課す。実9の要件も満たす。</p>"
                   "<p>関連する FISC 基準：実8</p>"
                   "<h2>BP-03 鍵の更新</h2><p>鍵を年一回更新する。</p><p>参照基準：実3</p>"
                   "<h2>BP-04 委託先の審査</h2><p>委託先を毎年審査する。</p>"
                   "<p>FISC対応項番：統20〜統22</p></body></html>")},
      {"text",
       ExtractText("m.txt",
                   "ベストプラクティス\n作成：株式会社サンプル\n\n"
                   "本書は当社の対策をまとめたものです。\n\n"
                   "BP-01 保存データの暗号化\n"
                   "保存データを暗号化する。\n\n鍵はHSMで管理する。\n\n"
                   "対応する安全対策基準番号\n・実3\n・実25\n\n"
                   "BP-02 多要素認証\n"
                   "管理者に多要素認証を課す。実9の要件も満たす。\n"
                   "関連する FISC 基準：実8\n\n"
                   "BP-03 鍵の更新\n\n鍵を年一回更新する。\n\n参照基準：実3\n\n"
                   "BP-04 委託先の審査\n委託先を毎年審査する。\nFISC対応項番：統20〜統22\n")},
      {"pdf lines", ExtractPdfLines({"ベストプラクティス",
                                     "",
                                     "BP-01 保存データの暗号化",
                                     "保存データを暗号化する。",
                                     "鍵はHSMで管理する。",
                                     "対応する安全対策基準番号",
                                     "・実3",
                                     "・実25",
                                     "",
                                     "BP-02 多要素認証",
                                     "管理者に多要素認証を課す。実9の要件も",
                                     "満たす。",
                                     "関連する FISC 基準：実8",
                                     "",
                                     "BP-03 鍵の更新",
                                     "鍵を年一回更新する。",
                                     "参照基準：実3",
                                     "",
                                     "BP-04 委託先の審査",
                                     "委託先を毎年審査する。",
                                     "FISC対応項番：統20〜統22"})},
      {"pdf headings",
       ExtractPdfLines(
           {"# ベストプラクティス", "## BP-01 保存データの暗号化", "保存データを暗号化する。",
            "鍵はHSMで管理する。", "対応する安全対策基準番号", "実3", "実25", "## BP-02 多要素認証",
            "管理者に多要素認証を課す。実9の要件も満たす。", "関連する FISC 基準：実8",
            "## BP-03 鍵の更新", "鍵を年一回更新する。", "参照基準：実3", "## BP-04 委託先の審査",
            "委託先を毎年審査する。", "FISC対応項番：統20〜統22"})},
  };
  for (const FormatCase& c : cases) EXPECT_EQ(Summary(c.extraction), expected) << c.name;
}

TEST(MappingTest, LabelAtTheStartOfEachBlockGivesTheSameRecords) {
  const std::vector<std::string> expected = {
      "実3|保存データを暗号化する。鍵はHSMで管理する。|(null)|実3,実25,",
      "実25|保存データを暗号化する。鍵はHSMで管理する。|(null)|実3,実25,",
      "実8|管理者に多要素認証を課す。|(null)|実8,",
  };
  const FormatCase cases[] = {
      {"markdown", ExtractText("s.md",
                               "# ベストプラクティス\n\n## 保存データの暗号化\n\n"
                               "対応する安全対策基準番号：実3、実25\n\n"
                               "保存データを暗号化する。\n\n鍵はHSMで管理する。\n\n"
                               "## 多要素認証\n\n参照基準：実8\n\n管理者に多要素認証を課す。\n")},
      {"text", ExtractText("s.txt",
                           "ベストプラクティス\n\n1. 保存データの暗号化\n"
                           "対応する安全対策基準番号：実3、実25\n"
                           "保存データを暗号化する。\n\n鍵はHSMで管理する。\n\n"
                           "2. 多要素認証\n参照基準：実8\n管理者に多要素認証を課す。\n")},
  };
  for (const FormatCase& c : cases) EXPECT_EQ(Summary(c.extraction), expected) << c.name;
}

// normalize/ takes a line repeated through a document without pages for a
// running header; the label above every list of IDs is one.
TEST(MappingTest, LabelRepeatedOnEveryBlockIsNotPageFurniture) {
  std::string md = "# 対策集\n\n";
  for (int k = 1; k <= 4; ++k) {
    const std::string n = std::to_string(k);
    md += "## 対策" + n + "\n\n対策" + n + "を実施する。\n\n対策" + n +
          "の補足を記載する。\n\n**対応する安全対策基準番号**\n\n- 実" + n + "\n\n";
  }
  Extraction e = ExtractText("f.md", md);
  ASSERT_EQ(Ids(e), (std::vector<std::string>{"実1", "実2", "実3", "実4"}));
  EXPECT_EQ(e.records[3].answer, "対策4を実施する。\n対策4の補足を記載する。");
}

TEST(MappingTest, RelatedCriteriaInsideAnAnswerAreReferences) {
  // Under a heading per ID, and in a questionnaire's answer, the label lists
  // the criteria the answer refers to.
  Extraction heading = ExtractText("h.md",
                                   "### 実8: 本人確認\n\n多要素認証を必須とする。\n\n"
                                   "関連する FISC 基準：実9、実10\n\n"
                                   "### 実11: ログ\n\nログを保存する。\n");
  EXPECT_EQ(Ids(heading), (std::vector<std::string>{"実8", "実11"}));
  Extraction questionnaire = ExtractText("q.txt",
                                         "Q. 実8 本人確認をしていますか。\n"
                                         "A. 多要素認証を必須としています。\n"
                                         "関連する FISC 基準\n"
                                         "・実9\n"
                                         "実10\n\n"
                                         "Q. 実11 ログを保存していますか。\n"
                                         "A. 一年間保存しています。\n");
  ASSERT_EQ(Ids(questionnaire), (std::vector<std::string>{"実8", "実11"}));
}

TEST(MappingTest, LabelWithoutIdsOrInProseMapsNothing) {
  Extraction e =
      ExtractText("n.md",
                  "# 対策集\n\n本書では、対応する安全対策基準番号を各対策の末尾に記載します。\n\n"
                  "## 対策1\n\n暗号化する。\n\n参照基準：なし\n\n"
                  "## 対策2\n\n対応するFISC基準は以下のとおりです。\n");
  EXPECT_TRUE(e.records.empty()) << Ids(e).size();
}

TEST(ExtractTest, MetadataFromTheOpeningLines) {
  Extraction e = ExtractText("f.txt",
                             "サンプル対応表\n\n「金融機関等コンピュータシステムの安全対策基準・解説書（第１０版）」対応\n\n"
                             "2023/07/27\n\n作成：株式会社ミナトクラウド\n\n統1\t整備しています。\n");
  EXPECT_EQ(e.metadata.vendor, "ミナトクラウド");
  EXPECT_EQ(e.metadata.edition, 10);
  EXPECT_EQ(e.metadata.date, "2023-07-27");
}

struct AuthorCase {
  const char* lines;
  const char* vendor;
  std::optional<std::string> date;
};

// "作成：<company> <date>" on one line gives both, apart.
TEST(ExtractTest, AuthorLineGivesVendorAndDateApart) {
  const AuthorCase cases[] = {
      {"作成：株式会社ミズナラ 2024年5月1日", "ミズナラ", "2024-05-01"},
      {"作成: ミズナラ株式会社　2024/05/01", "ミズナラ", "2024-05-01"},
      {"作成：ミズナラ・データサービス 令和6年5月1日", "ミズナラ・データサービス", "2024-05-01"},
      {"作成：株式会社ミズナラ・ホールディングス・デジタルサービス 2024-05-01",
       "ミズナラ・ホールディングス・デジタルサービス", "2024-05-01"},
      {"作成日：2023年5月10日\n作成：ミズナラ株式会社 情報システム部", "ミズナラ", "2023-05-10"},
      {"作成：株式会社ミズナラ", "ミズナラ", std::nullopt},
      // No label: the publisher's name beside the date.
      {"かもめネットワークス株式会社　2016年3月1日", "かもめネットワークス", "2016-03-01"},
  };
  for (const AuthorCase& c : cases) {
    Extraction e =
        ExtractText("a.txt", std::string("対応表\n\n") + c.lines + "\n\n統1\t整備しています。\n");
    EXPECT_EQ(e.metadata.vendor, c.vendor) << c.lines;
    EXPECT_EQ(e.metadata.date, c.date) << c.lines;
  }
}

// A sentence ending with a date is not the document's date line, even when it
// names a company.
TEST(ExtractTest, SentenceEndingWithADateIsNotTheDocumentDate) {
  Extraction e = ExtractText("s.txt",
                             "対応表\n\nミズナラ株式会社は、次の手順を改めました。2016年3月1日\n\n"
                             "統1\t整備しています。\n");
  EXPECT_EQ(e.metadata.date, std::nullopt);
}

// Found by fuzz/extract_fuzzer: "第4版" on a line naming FISC came out as
// edition 4, outside the 8..13 of DocumentMetadata's contract, and the
// vendor's own revision number shadowed the edition after it on the line.
TEST(ExtractTest, EditionIsOneTheStandardHas) {
  Extraction own_revision_first = ExtractText(
      "g.txt", "本書 第2版（FISC安全対策基準 第10版対応）\n\n統1\t整備しています。\n");
  EXPECT_EQ(own_revision_first.metadata.edition, 10);
  Extraction out_of_range =
      ExtractText("h.txt", "FISC安全対策基準（第4版）対応\n\n統1\t整備しています。\n");
  EXPECT_EQ(out_of_range.metadata.edition, std::nullopt);
}

}  // namespace
}  // namespace fiscdex::extract

