// The status rules, answer by answer, and how versions are grouped.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "assess/status.h"
#include "assess/versions.h"

namespace fiscdex::assess {
namespace {

struct Case {
  const char* answer;
  AnswerStatus status;
};

TEST(StatusRulesTest, EveryPatternCompiles) {
  for (const StatusRuleInfo& rule : StatusRules()) {
    // A pattern that does not compile never matches: JudgeAnswer on its
    // own evidence would fall through to the default.
    EXPECT_FALSE(rule.pattern.empty()) << rule.name;
  }
  EXPECT_EQ(JudgeAnswer("欠番").rule, "retired_marker");
}

TEST(StatusRulesTest, JudgesTypicalAnswers) {
  const Case cases[] = {
      {"", AnswerStatus::kBlank},
      {"―", AnswerStatus::kBlank},
      {"（欠番）", AnswerStatus::kRetired},
      {"対象外", AnswerStatus::kNotApplicable},
      {"Ｎ／Ａ", AnswerStatus::kNotApplicable},
      {"本サービスでは該当しません。", AnswerStatus::kNotApplicable},
      {"対応策は実 4 と同じ", AnswerStatus::kReference},
      {"実8に同じ。", AnswerStatus::kReference},
      {"暗号化しています。ただし、旧形式のファイルは対象としていません。", AnswerStatus::kPartial},
      {"多要素認証は来年度に導入予定です。", AnswerStatus::kPartial},
      {"パスワードポリシーはお客様にて設定してください。", AnswerStatus::kCustomer},
      {"物理的セキュリティは AWS の責任範囲です。", AnswerStatus::kProvider},
      {"○", AnswerStatus::kImplemented},
      {"お客様のデータは AES-256 で暗号化して保管しています。", AnswerStatus::kImplemented},
      {"対象外（クラウド事業者の管理範囲です）", AnswerStatus::kProvider},
      {"対象外（アプリケーション側で対策）", AnswerStatus::kCustomer},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(StatusName(JudgeAnswer(c.answer).status), StatusName(c.status)) << c.answer;
  }
}

TEST(StatusRulesTest, KeepsThePhraseThatDecided) {
  const StatusJudgement j = JudgeAnswer("バックアップを取得しています。ただし遠隔地保管は未対応です。");
  EXPECT_EQ(j.status, AnswerStatus::kPartial);
  EXPECT_NE(j.evidence.find("ただし"), std::string::npos) << j.evidence;
  EXPECT_EQ(JudgeAnswer("ログを1年間保管しています。").rule, "default");
}

TEST(StatusRulesTest, ACloudInAMappingOfItsOwnServicesIsTheVendor) {
  extract::DocumentMetadata own;
  own.title = "FISC安全対策基準 → Azureサービス マッピング表";
  const char* answer = "物理的セキュリティは Azure の責任範囲です。";
  EXPECT_EQ(JudgeAnswer(answer).status, AnswerStatus::kProvider);
  EXPECT_EQ(JudgeAnswer(answer, ContextOf(own)).status, AnswerStatus::kImplemented);
}

TEST(StatusRulesTest, ColumnsGiveARecordStatus) {
  extract::CriterionRecord record;
  record.id = "実3";
  record.columns = {{"共通基盤の対策", "対象外(アプリケーション側で対策)"},
                    {"ワークロードの対策", "鍵管理サービスで暗号化"},
                    {"利用者側で追加する対策の例", "鍵の利用者を限定する"}};
  const RecordAssessment a = AssessRecord(record);
  ASSERT_EQ(a.columns.size(), 3u);
  EXPECT_EQ(a.columns[0].status, AnswerStatus::kCustomer);
  EXPECT_EQ(a.columns[1].status, AnswerStatus::kImplemented);
  EXPECT_EQ(a.columns[2].status, AnswerStatus::kCustomer);  // the header says whose
  EXPECT_EQ(a.record.status, AnswerStatus::kImplemented);
  record.columns = {{"対応区分", "お客様"}, {"当社の対応", "手順書を提供しています"}};
  EXPECT_EQ(AssessRecord(record).record.status, AnswerStatus::kCustomer);
}

TEST(StatusRulesTest, DocumentationListsEveryRule) {
  std::ifstream in(std::string(FISCDEX_SOURCE_DIR) + "/doc/status.md");
  ASSERT_TRUE(in) << "doc/status.md";
  std::stringstream text;
  text << in.rdbuf();
  for (const StatusRuleInfo& rule : StatusRules()) {
    EXPECT_NE(text.str().find("`" + std::string(rule.name) + "`"), std::string::npos)
        << rule.name << " is not in doc/status.md";
  }
}

TEST(VersionsTest, SameWhitepaperInTwoFormatsIsOneVersion) {
  ContentKeyBuilder a, b;
  a.Add("実1", "暗号化 しています。");
  b.Add("実1", "暗号化しています");
  const std::string key = a.Finish();
  EXPECT_EQ(key, b.Finish());
  std::vector<VersionInput> docs = {
      {1, "w/v1.pdf", "株式会社サクラギ", std::nullopt, "サクラギ FISC 対応表 第1版", 10, "2023-01-10", "k1", 30},
      {2, "w/v2.pdf", "株式会社サクラギ", std::nullopt, "サクラギ FISC 対応表 第2版", 10, "2024-02-01", key, 31},
      {3, "w/v2.xlsx", "(株)サクラギ", std::nullopt, "FISC対応表", std::nullopt, std::nullopt, key, 32},
      {4, "other.txt", std::nullopt, std::nullopt, "対応表", 10, std::nullopt, "k4", 5},
  };
  const std::vector<DocumentVersion> v = GroupVersions(docs);
  EXPECT_EQ(v[0].series, v[1].series);
  EXPECT_EQ(v[1].series, v[2].series);  // joined by content
  EXPECT_EQ(v[0].version, 1);
  EXPECT_EQ(v[1].version, 2);
  EXPECT_EQ(v[2].version, 2);
  EXPECT_TRUE(v[1].latest && v[2].latest && !v[0].latest);
  EXPECT_FALSE(v[1].primary);  // the copy with more records stands for it
  EXPECT_TRUE(v[2].primary);
  EXPECT_NE(v[3].series, v[0].series);  // no vendor: a vendor of its own
  EXPECT_EQ(VersionLabel("FISC対応表 Ver.2.1").value_or(""), "2.1");
  EXPECT_EQ(VendorKey("株式会社サクラギ"), VendorKey("(株) サクラギ"));
}

}  // namespace
}  // namespace fiscdex::assess
