// The assessment commands end to end on the corpus: coverage, criteria,
// diff, export, and one clear line with the right exit code for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/cli_support.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using fiscdex::testing::RunFiscdex;
using fiscdex::testing::RunResult;

namespace {

class CliAssessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(fs::path(FISCDEX_SOURCE_DIR) / "corpus", dir_.path() / "docs",
             fs::copy_options::recursive);
    RunResult r = Run({"ingest", "-q", "docs"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "a.db"});
    return RunFiscdex(dir_.path(), args);
  }
  fiscdex::testing::TempDir dir_;
};

int Lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST_F(CliAssessTest, CoverageHasACellPerCriterionAndVendor) {
  RunResult r = Run({"coverage", "--json", "--family", "監"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\": \"監1\""), std::string::npos);
  EXPECT_NE(r.out.find("\"implemented\""), std::string::npos);
  EXPECT_NE(r.out.find("\"universe\""), std::string::npos);
}

TEST_F(CliAssessTest, DiffOfADocumentWithItselfHasNoChanges) {
  RunResult r = Run({"diff", "docs/01_rowtable_sakuragi.txt", "docs/01_rowtable_sakuragi.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no changes: both are the same document"), std::string::npos) << r.out;
}

TEST_F(CliAssessTest, DiffOfTwoVendorsSaysSo) {
  RunResult r = Run({"diff", "docs/01_rowtable_sakuragi.txt", "docs/02_ranges_kasumi.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("comparing documents of two vendors"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_NE(r.out.find("added ("), std::string::npos);
}

TEST_F(CliAssessTest, DiffShowsTheChangeInsideAnAnswer) {
  // A second version of one whitepaper: one answer changed by a word.
  std::ifstream in(dir_.path() / "docs" / "01_rowtable_sakuragi.txt", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string from = "2024/03/15", to = "2025/04/01";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), to);
  const std::string word = "暗号化";
  ASSERT_NE(text.find(word), std::string::npos);
  text.replace(text.find(word), word.size(), "暗号化と署名");
  fs::create_directories(dir_.path() / "v2");
  std::ofstream(dir_.path() / "v2" / "sakuragi_2025.txt", std::ios::binary) << text;
  ASSERT_EQ(Run({"ingest", "-q", "v2"}).exit_code, 0);
  RunResult r = Run({"diff", "--vendor", "サクラギ"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{+と署名+}"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(CliAssessTest, BadInputGetsOneLineAndTheRightExitCode) {
  RunResult unknown = Run({"diff", "nothere.txt", "docs/01_rowtable_sakuragi.txt"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("not in the index: nothere.txt"), std::string::npos) << unknown.err;
  EXPECT_EQ(Lines(unknown.err), 1);
  RunResult vendor = Run({"coverage", "--vendor", "存在しない会社"});
  EXPECT_EQ(vendor.exit_code, 2);
  EXPECT_NE(vendor.err.find("no indexed document is by a vendor matching"), std::string::npos);
  EXPECT_EQ(Lines(vendor.err), 1);
  RunResult unwritable = Run({"export", "--format", "xlsx", "--out", "missing/dir/a.xlsx"});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_NE(unwritable.err.find("missing/dir/a.xlsx"), std::string::npos) << unwritable.err;
  EXPECT_EQ(Lines(unwritable.err), 1);
  RunResult status = Run({"search", "--status", "done", "暗号"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_NE(status.err.find("not a status"), std::string::npos);
}

TEST_F(CliAssessTest, ExportsReadBack) {
  ASSERT_EQ(Run({"export", "--format", "xlsx", "--out", "a.xlsx"}).exit_code, 0);
  // The workbook's XML parts, read by Python's zipfile (tests/read_xlsx.py).
  // Every path quoted: CI runs from a clone whose path has a space in it.
  const std::string command =
      "python3 '" + (fs::path(FISCDEX_SOURCE_DIR) / "tests" / "read_xlsx.py").string() + "' '" +
      (dir_.path() / "a.xlsx").string() + "' > '" + (dir_.path() / "a.json").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream json(dir_.path() / "a.json");
  std::string parts((std::istreambuf_iterator<char>(json)), {});
  for (const char* sheet : {"\"summary\"", "\"coverage\"", "\"records\""}) {
    EXPECT_NE(parts.find(sheet), std::string::npos) << sheet;
  }
  EXPECT_NE(parts.find("not_applicable"), std::string::npos);
  RunResult csv = Run({"export", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.out.find("\r\n"), std::string::npos);
  RunResult ndjson = Run({"export", "--format", "ndjson"});
  ASSERT_EQ(ndjson.exit_code, 0) << ndjson.err;
  EXPECT_EQ(ndjson.out.rfind("{\"index\":", 0), 0u) << ndjson.out.substr(0, 80);
}

}  // namespace
