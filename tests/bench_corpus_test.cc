// The benchmark's scaled corpus (bench/corpus_gen.h): copies must differ
// byte for byte (or fiscdex would skip them as unchanged), keep the seed's
// text otherwise, and land where the bench looks for them. And its PDF
// inputs (bench/pdf_corpus.h): the fixture copies, and a generated PDF that
// must be valid, not merely readable after Poppler's repair.
#include "bench/corpus_gen.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "bench/pdf_corpus.h"
#include "ingest/ingest.h"
#include "tests/test_util.h"

namespace fiscdex::bench {
namespace {

namespace fs = std::filesystem;

TEST(VaryCopyTest, MovesTheFirstDateAndAppendsTheCopyLine) {
  struct Case {
    const char* name;
    std::string seed;
    int copy;
    std::string want;
  };
  const Case cases[] = {
      {"slash date", "作成日 2023/07/27\n本文 2020/01/01\n", 2,
       "作成日 2023/07/01\n本文 2020/01/01\nbench copy 3 of 5: s.txt\n"},
      {"kanji date, two-digit day stays two digits", "2019年12月05日 版", 1,
       "2019年12月06日 版\nbench copy 2 of 5: s.txt\n"},
      {"kanji date, one-digit day", "令和の前 2018年4月9日", 3,
       "令和の前 2018年4月12日\nbench copy 4 of 5: s.txt\n"},
      {"copy 0 keeps the date", "2023/07/27\n", 0, "2023/07/27\nbench copy 1 of 5: s.txt\n"},
      {"no date", "方針\n", 4, "方針\nbench copy 5 of 5: s.txt\n"},
      {"version numbers are no date", "Version 2023.1/2 と 12023/07/27", 1,
       "Version 2023.1/2 と 12023/07/27\nbench copy 2 of 5: s.txt\n"},
      {"a kanji date needs 日", "2019年12月号 と 2018年1月2日", 1,
       "2019年12月号 と 2018年1月3日\nbench copy 2 of 5: s.txt\n"},
      {"empty seed", "", 0, "bench copy 1 of 5: s.txt\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(VaryCopy(c.seed, "s.txt", c.copy, 5), c.want) << c.name;
  }
}

TEST(VaryCopyTest, EveryCopyDiffersFromEveryOther) {
  const std::string seed = "見出し\n2023/07/27\n統1\tISO27001を基準としています。\n";
  std::set<std::string> seen;
  for (int copy = 0; copy < 100; ++copy) {
    const std::string varied = VaryCopy(seed, "000.txt", copy, 100);
    EXPECT_TRUE(seen.insert(varied).second) << "copy " << copy << " repeats an earlier one";
    // The seed's text is all there but the date line.
    EXPECT_NE(varied.find("統1\tISO27001を基準としています。\n"), std::string::npos);
  }
}

TEST(CopyFolderNameTest, SortsInCopyOrder) {
  EXPECT_EQ(CopyFolderName(0), "c0001");
  EXPECT_EQ(CopyFolderName(999), "c1000");
  EXPECT_LT(CopyFolderName(8), CopyFolderName(9));
}

TEST(ReadSeedsTest, ReadsVisibleFilesSortedByName) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "b.txt", "B");
  testing::WriteFile(dir.path() / "a.txt", "AA");
  testing::WriteFile(dir.path() / ".hidden", "x");
  fs::create_directories(dir.path() / "sub");
  testing::WriteFile(dir.path() / "sub" / "c.txt", "nested files are not seeds");
  auto seeds = ReadSeeds(dir.path().string());
  ASSERT_OK(seeds);
  ASSERT_EQ(seeds->size(), 2u);
  EXPECT_EQ((*seeds)[0].name, "a.txt");
  EXPECT_EQ((*seeds)[0].bytes, "AA");
  EXPECT_EQ((*seeds)[1].name, "b.txt");
}

TEST(ReadSeedsTest, ReportsAMissingOrEmptyFolder) {
  testing::TempDir dir;
  auto missing = ReadSeeds((dir.path() / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  testing::WriteFile(dir.path() / ".only-hidden", "x");
  auto empty = ReadSeeds(dir.path().string());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kEmpty);
}

TEST(GenerateCorpusTest, WritesEveryCopyOfEverySeed) {
  testing::TempDir dir;
  const fs::path docs = dir.path() / "docs";
  // A stale file from an earlier, larger run must not survive.
  testing::WriteFile(docs / "c0009" / "old.txt", "stale");
  const std::vector<SeedFile> seeds = {{"000.txt", "2023/07/27\n統1\tA\n"}, {"004.txt", "方針\n"}};
  std::vector<uint64_t> progress;
  auto stats = GenerateCorpus(seeds, 3, docs.string(),
                              [&](uint64_t done, uint64_t total) {
                                EXPECT_EQ(total, 6u);
                                progress.push_back(done);
                              });
  ASSERT_OK(stats);
  EXPECT_EQ(stats->files, 6u);
  EXPECT_EQ(progress, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_FALSE(fs::exists(docs / "c0009"));
  uint64_t bytes = 0;
  std::set<std::string> contents;
  for (int copy = 0; copy < 3; ++copy) {
    for (const SeedFile& seed : seeds) {
      const fs::path path = docs / CopyFolderName(copy) / seed.name;
      ASSERT_TRUE(fs::is_regular_file(path)) << path;
      const std::string text = testing::ReadFileOrDie(path);
      EXPECT_EQ(text, VaryCopy(seed.bytes, seed.name, copy, 3));
      bytes += text.size();
      contents.insert(text);
    }
  }
  EXPECT_EQ(stats->bytes, bytes);
  EXPECT_EQ(contents.size(), 6u);
}

TEST(GenerateCorpusTest, ReportsAFolderThatCannotBeCreated) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "file", "a file where a folder should go");
  auto stats = GenerateCorpus({{"000.txt", "x"}}, 1, (dir.path() / "file" / "docs").string(),
                              nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
  EXPECT_NE(stats.status().message().find("file/docs"), std::string::npos)
      << stats.status().ToString();
}

TEST(CopyPdfFixturesTest, CopiesEveryPdfIntoEveryCopyFolder) {
  testing::TempDir dir;
  const fs::path fixtures = dir.path() / "fixtures";
  testing::WriteFile(fixtures / "b.pdf", "%PDF-1.4 b");
  testing::WriteFile(fixtures / "a.pdf", "%PDF-1.4 a");
  testing::WriteFile(fixtures / "a.expected.json", "{}");
  const fs::path docs = dir.path() / "docs";
  testing::WriteFile(docs / "c0009" / "old.pdf", "stale");
  std::vector<uint64_t> progress;
  auto stats = CopyPdfFixtures(fixtures.string(), 2, docs.string(),
                               [&](uint64_t done, uint64_t total) {
                                 EXPECT_EQ(total, 4u);
                                 progress.push_back(done);
                               });
  ASSERT_OK(stats);
  EXPECT_EQ(stats->files, 4u);
  EXPECT_EQ(stats->bytes, 4u * 10u);
  EXPECT_EQ(progress, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_FALSE(fs::exists(docs / "c0009"));
  for (int copy = 0; copy < 2; ++copy) {
    EXPECT_EQ(testing::ReadFileOrDie(docs / CopyFolderName(copy) / "a.pdf"), "%PDF-1.4 a");
    EXPECT_EQ(testing::ReadFileOrDie(docs / CopyFolderName(copy) / "b.pdf"), "%PDF-1.4 b");
    EXPECT_FALSE(fs::exists(docs / CopyFolderName(copy) / "a.expected.json"));
  }
}

TEST(CopyPdfFixturesTest, ReportsAFolderWithoutPdfs) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "notes.txt", "no PDF here");
  auto stats = CopyPdfFixtures(dir.path().string(), 1, (dir.path() / "docs").string(), nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kEmpty);
}

// Poppler rebuilds a broken cross-reference table silently, so a file that
// loads may still be invalid: every entry must point at its own object.
void ExpectXrefPointsAtObjects(const std::string& pdf) {
  const size_t startxref = pdf.rfind("startxref\n");
  ASSERT_NE(startxref, std::string::npos);
  const size_t xref = std::strtoull(pdf.c_str() + startxref + 10, nullptr, 10);
  ASSERT_EQ(pdf.compare(xref, 7, "xref\n0 "), 0) << "startxref does not point at the table";
  char* end = nullptr;
  const size_t count = std::strtoull(pdf.c_str() + xref + 7, &end, 10);
  ASSERT_EQ(*end, '\n');
  const size_t entries = static_cast<size_t>(end + 1 - pdf.c_str());
  EXPECT_EQ(pdf.compare(entries, 20, "0000000000 65535 f \n"), 0);
  for (size_t i = 1; i < count; ++i) {
    const std::string entry = pdf.substr(entries + 20 * i, 20);
    ASSERT_EQ(entry.substr(10), " 00000 n \n") << "entry " << i << " is not 20 bytes";
    const size_t offset = std::stoull(entry.substr(0, 10));
    const std::string header = std::to_string(i) + " 0 obj\n";
    EXPECT_EQ(pdf.compare(offset, header.size(), header), 0) << "object " << i;
  }
}

TEST(WriteManyPagePdfTest, WritesAValidPdfThatFiscdexReads) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "many.pdf";
  auto size = WriteManyPagePdf(path.string(), 3);
  ASSERT_OK(size);
  const std::string bytes = testing::ReadFileOrDie(path);
  EXPECT_EQ(*size, bytes.size());
  ExpectXrefPointsAtObjects(bytes);

  auto doc = ingest::LoadFile(path.string());
  ASSERT_OK(doc);
  EXPECT_EQ(doc->format, ingest::Format::kPdf);
  EXPECT_EQ(doc->page_count, 3);
  EXPECT_TRUE(doc->warnings.empty());
  // The IDs (the CID font) and the answers (Helvetica) are both read, and the
  // last page's last row is there.
  const int last = 3 * kManyPageRowsPerPage;
  EXPECT_NE(doc->text.find("統1"), std::string::npos) << doc->text;
  EXPECT_NE(doc->text.find("統" + std::to_string(last)), std::string::npos) << doc->text;
  EXPECT_NE(doc->text.find("Backups are encrypted"), std::string::npos) << doc->text;
  int rows = 0;
  for (const ingest::Block& block : doc->blocks) rows += block.kind == ingest::BlockKind::kTableRow;
  EXPECT_GE(rows, last) << "the ID | answer lines should be read as table rows";
}

}  // namespace
}  // namespace fiscdex::bench
