// The HTML report's C++ half: the page data built from a real index (corpus/
// plus two versions of a hostile document), how that data enters the page,
// the Content-Security-Policy that lets only the page's own style and script
// run, and `fiscdex report`'s bad input. What the page does with it in a
// browser is tests/browser/report_browser_test.py.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "base/sha256.h"
#include "index/index.h"
#include "report/html_report.h"
#include "report/report_assets.h"
#include "report/report_data.h"
#include "tests/cli_support.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"
#include "views/assessment_views.h"

namespace fs = std::filesystem;
using fiscdex::testing::JsonValue;
using fiscdex::testing::RunFiscdex;
using fiscdex::testing::RunResult;

namespace {

const JsonValue& Get(const JsonValue& value, std::string_view key) {
  static const JsonValue kNull;
  const JsonValue* found = value.Find(key);
  EXPECT_NE(found, nullptr) << key;
  return found != nullptr ? *found : kNull;
}

std::string Gunzip(const std::string& bytes) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[65536];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

// An independent decoder: the alphabet by position, padding by count.
std::string DecodeBase64(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const size_t value = alphabet.find(c);
    EXPECT_NE(value, std::string::npos) << "not base64: " << c;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string Between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t begin = text.find(open);
  if (begin == std::string::npos) return "";
  const size_t end = text.find(close, begin + open.size());
  return end == std::string::npos ? "" : text.substr(begin + open.size(), end - begin - open.size());
}

TEST(ReportPageTest, CellLettersAreTheStatusDisplaysLetters) {
  std::string letters;
  for (const auto& display : fiscdex::views::StatusDisplays()) letters += display.letter;
  EXPECT_EQ(letters, fiscdex::report::kCellLetters);
}

TEST(ReportPageTest, Base64MatchesRfc4648) {
  EXPECT_EQ(fiscdex::report::Base64(""), "");
  EXPECT_EQ(fiscdex::report::Base64("f"), "Zg==");
  EXPECT_EQ(fiscdex::report::Base64("fo"), "Zm8=");
  EXPECT_EQ(fiscdex::report::Base64("foo"), "Zm9v");
  EXPECT_EQ(fiscdex::report::Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(fiscdex::report::Base64("\xFF\xFE"), "//4=");
}

// Whatever a document says, the page data is base64 (nothing that can end a
// <script> element) and decodes to the JSON exactly.
TEST(ReportPageTest, PageDataIsBase64OfTheJsonGzipped) {
  const std::string json =
      "{\"a\": \"</script><script>alert(1)</script>\\u2028 <!-- {{fiscdex:data}} & 暗号鍵\"}";
  const std::string encoded = fiscdex::report::EncodePageData(json);
  EXPECT_EQ(encoded.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
            std::string::npos);
  EXPECT_EQ(Gunzip(DecodeBase64(encoded)), json);
}

TEST(ReportPageTest, PolicyAllowsExactlyThePagesOwnStyleAndScript) {
  const std::string page = fiscdex::report::RenderReportPage("{\"x\": \"{{fiscdex:script}}\"}");
  EXPECT_EQ(page.find("{{fiscdex:"), std::string::npos);
  const std::string policy = Between(page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
  ASSERT_FALSE(policy.empty());
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  auto hash = [](std::string_view content) {
    fiscdex::Sha256 sha;
    sha.Update(content);
    const auto digest = sha.Final();
    return "'sha256-" +
           fiscdex::report::Base64(std::string_view(reinterpret_cast<const char*>(digest.data()),
                                                    digest.size())) +
           "'";
  };
  // The hashes are of what the page holds between the tags.
  const std::string style = Between(page, "<style>", "</style>");
  const std::string script = Between(page, "<script>", "</script>");
  EXPECT_EQ(style, fiscdex::report::kReportStyle);
  EXPECT_EQ(script, fiscdex::report::kReportScript);
  EXPECT_NE(policy.find("style-src " + hash(style)), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src " + hash(script)), std::string::npos) << policy;
  // Two script elements: the data and the page's script, nothing else.
  size_t scripts = 0;
  for (size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 2u);
  // The page's own script builds nothing from markup.
  EXPECT_EQ(fiscdex::report::kReportScript.find("innerHTML"), std::string::npos);
  EXPECT_EQ(fiscdex::report::kReportScript.find("insertAdjacentHTML"), std::string::npos);
  EXPECT_EQ(fiscdex::report::kReportScript.find("document.write"), std::string::npos);
  EXPECT_EQ(fiscdex::report::kReportScript.find("eval("), std::string::npos);
}

class ReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(fs::path(FISCDEX_SOURCE_DIR) / "corpus", dir_.path() / "docs",
             fs::copy_options::recursive);
    fs::copy(fs::path(FISCDEX_SOURCE_DIR) / "tests/data/report", dir_.path() / "docs/report");
    RunResult r = RunFiscdex(dir_.path(), {"--db", "a.db", "ingest", "-q", "docs"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "a.db"});
    return RunFiscdex(dir_.path(), args);
  }
  fiscdex::testing::TempDir dir_;
};

TEST_F(ReportDataTest, EveryCellAnswerAndChangeIsThere) {
  auto index = fiscdex::index::Index::Open((dir_.path() / "a.db").string());
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  auto catalog = fiscdex::views::LoadCatalog(index->get());
  ASSERT_TRUE(catalog.ok());
  auto documents = fiscdex::views::SelectDocuments(*catalog, {});
  ASSERT_TRUE(documents.ok());
  fiscdex::report::ReportRequest request;
  request.documents = *documents;
  request.generated_at = "2026-12-06 00:00";
  auto data = fiscdex::report::BuildReportData(index->get(), *catalog, request);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  auto parsed = fiscdex::testing::ParseJson(*data);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const JsonValue& root = *parsed;
  const auto& criteria = Get(root, "criteria").items();
  const auto& cells = Get(root, "cells").items();
  const auto& docs = Get(root, "documents").items();
  const auto& answers = Get(root, "answers").items();
  ASSERT_EQ(docs.size(), documents->size());
  ASSERT_EQ(cells.size(), criteria.size());
  ASSERT_EQ(answers.size(), docs.size());
  const std::string letters = std::string(fiscdex::report::kCellLetters) + ".";
  for (size_t row = 0; row < cells.size(); ++row) {
    const std::string& line = cells[row].as_string();
    ASSERT_EQ(line.size(), docs.size()) << row;
    EXPECT_EQ(line.find_first_not_of(letters), std::string::npos) << line;
  }
  for (size_t d = 0; d < docs.size(); ++d) {
    // Each answer sits in a cell of its status; the counts add up to the
    // cells of the document's edition.
    int in_edition = 0;
    for (const auto& line : cells) in_edition += line.as_string()[d] != '.';
    int counted = 0;
    for (const auto& count : Get(docs[d], "counts").items()) counted += static_cast<int>(count.as_number());
    EXPECT_EQ(counted, in_edition) << d;
    for (const auto& answer : answers[d].items()) {
      const size_t row = static_cast<size_t>(answer.items()[0].as_number());
      ASSERT_LT(row, criteria.size());
      EXPECT_EQ(std::string(1, cells[row].as_string()[d]), answer.items()[1].as_string());
    }
  }
  // The hostile vendor's second version: 統6 added, 統5 removed, 統3 from
  // partial to implemented, 統1 reworded; its answers kept as written.
  size_t hostile = docs.size();
  for (size_t d = 0; d < docs.size(); ++d) {
    if (Get(docs[d], "file").as_string() == "hostile_sakuhin_v2.csv") hostile = d;
  }
  ASSERT_LT(hostile, docs.size());
  const JsonValue& changes = Get(docs[hostile], "changes");
  auto id_of = [&](const JsonValue& row) {
    return Get(criteria[static_cast<size_t>(row.as_number())], "id").as_string();
  };
  ASSERT_EQ(Get(changes, "added").items().size(), 1u);
  EXPECT_EQ(id_of(Get(changes, "added").items()[0]), "統6");
  ASSERT_EQ(Get(changes, "removed").items().size(), 1u);
  EXPECT_EQ(Get(changes, "removed").items()[0].items()[0].as_string(), "統5");
  ASSERT_EQ(Get(changes, "status").items().size(), 1u);
  EXPECT_EQ(id_of(Get(changes, "status").items()[0].items()[0]), "統3");
  EXPECT_EQ(Get(changes, "status").items()[0].items()[1].as_string(), "p");
  ASSERT_EQ(Get(changes, "answer").items().size(), 1u);
  EXPECT_EQ(id_of(Get(changes, "answer").items()[0]), "統1");
  bool kept = false;
  for (const auto& answer : answers[hostile].items()) {
    kept |= answer.items()[2].as_string().find("<script>window.__pwned='answer2'</script>") == 0;
  }
  EXPECT_TRUE(kept);
}

TEST_F(ReportDataTest, CommandWritesAPageAndRefusesBadInputInOneLine) {
  RunResult ok = Run({"report", "--vendor", "サクヒン", "--vendor", "カスミ", "--out", "r.html"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(dir_.path() / "r.html"));
  EXPECT_FALSE(fs::exists(dir_.path() / "r.html.tmp"));
  EXPECT_NE(ok.err.find("2 documents"), std::string::npos) << ok.err;

  RunResult no_vendor = Run({"report", "--vendor", "存在しない", "--out", "x.html"});
  EXPECT_EQ(no_vendor.exit_code, 2);
  EXPECT_EQ(fiscdex::testing::Lines(no_vendor.err).size(), 1u) << no_vendor.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "x.html"));

  RunResult unwritable = Run({"report", "--out", "no/such/folder/r.html"});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_EQ(fiscdex::testing::Lines(unwritable.err).size(), 1u) << unwritable.err;
  EXPECT_NE(unwritable.err.find("no/such/folder/r.html"), std::string::npos) << unwritable.err;

  RunResult twice = Run({"report", "--family", "実", "--family", "統", "--out", "y.html"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("given twice"), std::string::npos) << twice.err;

  // An earlier report stays whole when a new one cannot be written.
  const auto size = fs::file_size(dir_.path() / "r.html");
  fs::create_directory(dir_.path() / "r.html.tmp");  // the temporary cannot be made
  RunResult blocked = Run({"report", "--out", "r.html"});
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_EQ(fs::file_size(dir_.path() / "r.html"), size);

  // Two runs over one index give the same bytes when the time is fixed.
  RunResult a = fiscdex::testing::RunFiscdex(dir_.path(), {"--db", "a.db", "report"},
                                             {{"SOURCE_DATE_EPOCH", "1700000000"}});
  RunResult b = fiscdex::testing::RunFiscdex(dir_.path(), {"--db", "a.db", "report"},
                                             {{"SOURCE_DATE_EPOCH", "1700000000"}});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("<!DOCTYPE html>"), std::string::npos);
}

}  // namespace
