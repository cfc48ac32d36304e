// Golden end-to-end tests over corpus/: every corpus/NAME.expected.json names
// its input (`source`), which is loaded, normalized and extracted in process,
// and the result must agree with the expected records field by field (see
// tests/corpus_compare.h for how strings are compared). A failure lists every
// difference, one "id field / want / got" entry each.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "tests/corpus_compare.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"

namespace fiscdex {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExpectedSuffix = ".expected.json";

fs::path CorpusDir() { return fs::path(FISCDEX_SOURCE_DIR) / "corpus"; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The NAME of every corpus/NAME.expected.json, sorted; NAME is relative to
// corpus/ ("pdf/15_pdf2col_shiranami" for the PDFs).
std::vector<std::string> ExpectedNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusDir(), ec)) {
    const std::string file = fs::relative(entry.path(), CorpusDir()).generic_string();
    if (entry.is_regular_file() && EndsWith(file, kExpectedSuffix)) {
      names.push_back(file.substr(0, file.size() - kExpectedSuffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Files in corpus/ that are not inputs: expected records, READMEs and the
// scripts (make_*) that made the encoded and PDF copies.
bool IsCorpusSupportFile(const std::string& file) {
  return EndsWith(file, kExpectedSuffix) || file == "README.md" || file.starts_with("make_");
}

Result<testing::ExpectedFile> ReadExpected(const std::string& name) {
  const fs::path path = CorpusDir() / (name + std::string(kExpectedSuffix));
  if (!fs::is_regular_file(path)) return Status::NotFound(path.string());
  ASSIGN_OR_RETURN(testing::JsonValue json, testing::ParseJson(testing::ReadFileOrDie(path)));
  auto expected = testing::ParseExpectedFile(json);
  if (!expected.ok()) return expected.status().WithContext(path.string());
  return expected;
}

TEST(CorpusFilesTest, EveryInputHasAnExpectedFileAndBack) {
  const std::vector<std::string> names = ExpectedNames();
  ASSERT_GE(names.size(), 12u) << "corpus/ should hold one expected file per layout";
  std::vector<std::string> sources;
  for (const std::string& name : names) {
    auto expected = ReadExpected(name);
    ASSERT_OK(expected);
    EXPECT_TRUE(fs::is_regular_file(fs::path(FISCDEX_SOURCE_DIR) / expected->source))
        << name << ": source " << expected->source << " does not exist";
    const fs::path source = fs::relative(fs::path(FISCDEX_SOURCE_DIR) / expected->source, CorpusDir());
    EXPECT_EQ(source.parent_path() / source.stem(), fs::path(name))
        << "the expected file must be named after its source";
    sources.push_back(source.generic_string());
  }
  for (const auto& entry : fs::recursive_directory_iterator(CorpusDir())) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || IsCorpusSupportFile(file)) continue;
    const std::string relative = fs::relative(entry.path(), CorpusDir()).generic_string();
    EXPECT_NE(std::find(sources.begin(), sources.end(), relative), sources.end())
        << "corpus/" << relative << " has no " << entry.path().stem().string() << kExpectedSuffix;
  }
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, ExtractionMatchesExpectedRecords) {
  auto expected = ReadExpected(GetParam());
  ASSERT_OK(expected);
  const fs::path input = fs::path(FISCDEX_SOURCE_DIR) / expected->source;

  auto doc = ingest::LoadFile(input.string());
  ASSERT_OK(doc);
  const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
  const extract::Extraction got = extract::Extract(*doc, normalized);

  std::vector<testing::Difference> diffs = testing::CompareExtractions(expected->extraction, got);
  const std::string format(ingest::FormatName(doc->format));
  if (format != expected->format) diffs.push_back({"", "format", expected->format, format});
  if (doc->encoding != expected->encoding) {
    diffs.push_back({"", "encoding", expected->encoding, doc->encoding});
  }
  EXPECT_TRUE(diffs.empty()) << expected->source << ": " << diffs.size() << " difference(s), "
                             << got.records.size() << " records extracted, "
                             << expected->extraction.records.size() << " expected\n"
                             << testing::FormatDifferences(diffs);
}

// "01_rowtable_sakuragi" → "01_rowtable_sakuragi": test names allow only
// [A-Za-z0-9_].
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(ExpectedNames()), TestName);

// Differential: every corpus/pdf/NAME.pdf or corpus/pdf/NAME.PRODUCER.pdf
// (one source printed by several programs: NAME.calc.pdf, NAME.chromium.pdf)
// was printed from corpus/NAME.html, and the two must give the same records
// (pages aside: the HTML has one).
TEST(PdfCorpusTest, EachPdfGivesTheRecordsOfItsSource) {
  size_t pairs = 0;
  for (const auto& entry : fs::directory_iterator(CorpusDir() / "pdf")) {
    if (entry.path().extension() != ".pdf") continue;
    const std::string stem = entry.path().stem().string();
    const fs::path html = CorpusDir() / (stem.substr(0, stem.find('.')) + ".html");
    SCOPED_TRACE(entry.path().filename().string());
    ASSERT_TRUE(fs::is_regular_file(html)) << html << " missing";
    auto from_pdf = ingest::LoadFile(entry.path().string());
    auto from_html = ingest::LoadFile(html.string());
    ASSERT_OK(from_pdf);
    ASSERT_OK(from_html);
    const extract::Extraction pdf = extract::Extract(*from_pdf, normalize::Normalize(*from_pdf));
    extract::Extraction source =
        extract::Extract(*from_html, normalize::Normalize(*from_html));
    ASSERT_EQ(pdf.records.size(), source.records.size());
    for (size_t i = 0; i < source.records.size(); ++i) source.records[i].page = pdf.records[i].page;
    const std::vector<testing::Difference> diffs = testing::CompareExtractions(source, pdf);
    EXPECT_TRUE(diffs.empty()) << testing::FormatDifferences(diffs);
    ++pairs;
  }
  EXPECT_GE(pairs, 4u);
}

}  // namespace
}  // namespace fiscdex
