#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/criterion_id.h"
#include "extract/extract.h"
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

TEST(ExtractTest, ProseCitingIdsHasNoRecords) {
  Extraction e = ExtractText("e.md",
                             "# 方針\n\n本方針は FISC 実務 3-1-1 と設備 2-2-4 に沿っています。\n\n"
                             "対応策は実 4 と同じであり、（FISC 実務基準 実76 — 参考）を見てください。\n"
                             "上位 実 35件 のうち 4.3 節を参照。\n");
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

