// The benchmark's scaled corpus (bench/corpus_gen.h): copies must differ
// byte for byte (or fiscdex would skip them as unchanged), keep the seed's
// text otherwise, and land where the bench looks for them. And its PDF
// inputs (bench/pdf_corpus.h): the fixture copies, and a generated PDF that
// must be valid, not merely readable after Poppler's repair. And the
// assessment corpus (bench/assess_corpus.h): the same bytes on every run,
// every file different, and documents the real extractor reads as the
// generator meant them.
#include "bench/corpus_gen.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench/assess_corpus.h"
#include "bench/pdf_corpus.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
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

// --- the assessment corpus ---------------------------------------------------

// The pool from corpus/ alone, read once: the tests must not need ../shared.
// Null (and the test skips) when corpus/ is absent or gives no records.
const AnswerPool* CorpusPool() {
  static const AnswerPool* pool = []() -> const AnswerPool* {
    auto files = ListPoolFiles(std::string(FISCDEX_SOURCE_DIR) + "/corpus");
    if (!files.ok() || files->empty()) return nullptr;
    auto built = BuildAnswerPool(*files);
    return built.ok() ? new AnswerPool(std::move(*built)) : nullptr;
  }();
  return pool;
}

constexpr const char* kNoCorpusPool = "corpus/ is absent or gives no records";

// Every regular file under `dir`, by path relative to it.
std::map<std::string, std::string> ReadTree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).generic_string()] =
          testing::ReadFileOrDie(entry.path());
    }
  }
  return files;
}

TEST(AnswerPoolTest, GroupsTheCorpusAnswersByCriterion) {
  const AnswerPool* pool = CorpusPool();
  if (pool == nullptr) GTEST_SKIP() << kNoCorpusPool;
  EXPECT_GT(pool->files, 20);
  EXPECT_LT(pool->files_with_records, pool->files) << "the negative controls give no records";
  EXPECT_GT(pool->criteria.size(), 100u);
  EXPECT_EQ(pool->criteria.size(), pool->answers.size());
  EXPECT_EQ(pool->criteria.front(), "統1");
  // Criterion order, not byte order: 実2 before 実10, 統 before 実.
  const auto at = [&](const std::string& id) {
    return std::find(pool->criteria.begin(), pool->criteria.end(), id) - pool->criteria.begin();
  };
  EXPECT_LT(at("実2"), at("実10"));
  EXPECT_LT(at("実10"), at("実103-1"));
  EXPECT_LT(at("統20"), at("実1"));
  for (const std::string& answer : pool->all_answers) {
    EXPECT_EQ(answer.find('\t'), std::string::npos) << answer;
    EXPECT_FALSE(answer.empty());
  }
}

// The universe padded to 400: the pool's own IDs kept, then further numbers
// of its families, each one an ID the extractor reads, in criterion order.
TEST(AnswerPoolTest, PadsTheUniverseWithTheFamiliesNextNumbers) {
  const AnswerPool* corpus = CorpusPool();
  if (corpus == nullptr) GTEST_SKIP() << kNoCorpusPool;
  AnswerPool pool = *corpus;
  const std::vector<std::string> before = pool.criteria;
  ASSERT_LT(before.size(), 400u);
  PadUniverse(&pool, 400);
  ASSERT_EQ(pool.criteria.size(), 400u);
  const std::set<std::string> ids(pool.criteria.begin(), pool.criteria.end());
  EXPECT_EQ(ids.size(), 400u);
  for (const std::string& id : before) EXPECT_TRUE(ids.count(id)) << id;
  for (const std::string& id : pool.criteria) {
    EXPECT_EQ(fiscdex::extract::ParseCriterionId(id), id) << id;
  }
  PadUniverse(&pool, 10);  // already larger: unchanged
  EXPECT_EQ(pool.criteria.size(), 400u);
}

TEST(AnswerPoolTest, ListsTextFilesOnly) {
  testing::TempDir dir;
  for (const char* name : {"b.md", "a.txt", "c.csv", "d.html", "e.pdf", "a.expected.json",
                           ".hidden.txt", "make_encoded.sh"}) {
    testing::WriteFile(dir.path() / name, "x");
  }
  testing::WriteFile(dir.path() / "pdf" / "f.txt", "nested");
  auto files = ListPoolFiles(dir.path().string());
  ASSERT_OK(files);
  std::vector<std::string> names;
  for (const std::string& f : *files) names.push_back(fs::path(f).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "b.md", "c.csv", "d.html"}));
  EXPECT_FALSE(ListPoolFiles((dir.path() / "nope").string()).ok());
}

TEST(AssessVendorsTest, NamesAreDistinctAndNoneIsAPartOfAnother) {
  const std::vector<AssessVendor> vendors = AssessVendors(300);
  ASSERT_EQ(vendors.size(), 300u);
  std::set<std::string> names;
  for (size_t i = 0; i < vendors.size(); ++i) {
    EXPECT_TRUE(names.insert(vendors[i].name).second) << vendors[i].name;
    EXPECT_NE(vendors[i].name.find(vendors[i].core), std::string::npos);
    for (size_t j = 0; j < vendors.size(); ++j) {
      if (i != j) {
        EXPECT_EQ(vendors[j].core.find(vendors[i].core), std::string::npos)
            << vendors[i].core << " is a part of " << vendors[j].core;
      }
    }
  }
  // A longer list starts with the shorter one, so vendor 0 is the same
  // whatever --vendors says; and the PRNG is the same on every machine
  // (splitmix64, no standard-library distribution), so is the name.
  EXPECT_EQ(AssessVendors(3)[2].name, vendors[2].name);
  EXPECT_EQ(AssessVendors(1)[0].name, "株式会社トワクオ情報システム");
  std::set<AssessLayout> layouts;
  for (const AssessVendor& v : AssessVendors(kAssessLayoutCount)) layouts.insert(v.layout);
  EXPECT_EQ(layouts.size(), static_cast<size_t>(kAssessLayoutCount));
}

TEST(GenerateAssessCorpusTest, SameBytesEveryRunAndEveryFileDifferent) {
  const AnswerPool* pool = CorpusPool();
  if (pool == nullptr) GTEST_SKIP() << kNoCorpusPool;
  constexpr int kVendors = 8, kVersions = 3;
  testing::TempDir dir;
  const fs::path first = dir.path() / "first", second = dir.path() / "second";
  testing::WriteFile(first / "v099" / "stale.md", "from an earlier, larger run");
  std::vector<uint64_t> progress;
  auto stats = GenerateAssessCorpus(*pool, kVendors, kVersions, first.string(),
                                    [&](uint64_t done, uint64_t total) {
                                      EXPECT_EQ(total, 24u);
                                      progress.push_back(done);
                                    });
  ASSERT_OK(stats);
  ASSERT_OK(GenerateAssessCorpus(*pool, kVendors, kVersions, second.string(), nullptr));
  EXPECT_EQ(progress.size(), 24u);
  EXPECT_FALSE(fs::exists(first / "v099"));

  const auto files = ReadTree(first);
  EXPECT_EQ(files, ReadTree(second)) << "the corpus must not depend on the run";
  ASSERT_EQ(files.size(), 24u);
  EXPECT_EQ(stats->files, 24u);
  std::set<std::string> contents;
  std::map<std::string, int> per_vendor;
  uint64_t bytes = 0;
  for (const auto& [path, text] : files) {
    EXPECT_TRUE(contents.insert(text).second) << path << " repeats another file";
    ++per_vendor[path.substr(0, path.find('/'))];
    bytes += text.size();
  }
  EXPECT_EQ(stats->bytes, bytes);
  ASSERT_EQ(per_vendor.size(), static_cast<size_t>(kVendors));
  EXPECT_EQ(per_vendor.begin()->first, "v001");
  EXPECT_EQ(per_vendor.rbegin()->first, "v008");
  for (const auto& [vendor, count] : per_vendor) EXPECT_EQ(count, kVersions) << vendor;

  auto described = DescribeAssessCorpus(*pool, kVendors, kVersions);
  ASSERT_OK(described);
  EXPECT_EQ(described->records, stats->records);
  EXPECT_EQ(described->records_by_path, stats->records_by_path);
  EXPECT_EQ(described->bytes, stats->bytes);
}

TEST(GenerateAssessCorpusTest, ReportsAFolderThatCannotBeCreated) {
  const AnswerPool* pool = CorpusPool();
  if (pool == nullptr) GTEST_SKIP() << kNoCorpusPool;
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "file", "a file where a folder should go");
  auto stats = GenerateAssessCorpus(*pool, 1, 1, (dir.path() / "file" / "docs").string(), nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
}

TEST(MakeVendorVersionsTest, VersionsChangeSomeAnswersAndCriteria) {
  const AnswerPool* pool = CorpusPool();
  if (pool == nullptr) GTEST_SKIP() << kNoCorpusPool;
  const std::vector<AssessVendor> vendors = AssessVendors(6);
  for (int v = 0; v < 6; ++v) {
    const std::vector<AssessDocument> docs = MakeVendorVersions(*pool, v, vendors[v], 8);
    ASSERT_EQ(docs.size(), 8u);
    const double coverage =
        static_cast<double>(docs[0].records.size()) / static_cast<double>(pool->criteria.size());
    EXPECT_GE(coverage, 0.75) << vendors[v].name;
    EXPECT_LE(coverage, 1.0) << vendors[v].name;
    int changed = 0, common = 0, added = 0, removed = 0;
    for (size_t k = 1; k < docs.size(); ++k) {
      std::map<std::string, std::string> before, after;
      for (const AssessRecord& r : docs[k - 1].records) before[r.id] = r.answer;
      for (const AssessRecord& r : docs[k].records) after[r.id] = r.answer;
      for (const auto& [id, answer] : after) {
        const auto old = before.find(id);
        if (old == before.end()) {
          ++added;
        } else {
          ++common;
          changed += old->second != answer;
        }
      }
      for (const auto& [id, answer] : before) removed += after.count(id) == 0;
      EXPECT_LT(docs[k - 1].date, docs[k].date);
      EXPECT_NE(docs[k - 1].title, docs[k].title);
    }
    const double change_rate = static_cast<double>(changed) / common;
    EXPECT_GT(change_rate, 0.05) << vendors[v].name;
    EXPECT_LT(change_rate, 0.15) << vendors[v].name;
    EXPECT_GE(added, 7) << "1 to 3 criteria a version";
    EXPECT_LE(added, 21);
    EXPECT_LE(removed, 14) << "0 to 2 criteria a version";
  }
}

// The generator's intent read back by fiscdex's own stages: vendor, title,
// date and edition from the header, and exactly the criteria and answers
// written, in each layout. (With the seeds in the pool, a questionnaire may
// print one answer line three times or more; normalize then drops it as a
// running header. corpus/ alone gives no such repeat.)
TEST(MakeVendorVersionsTest, TheExtractorReadsWhatTheGeneratorMeant) {
  const AnswerPool* pool = CorpusPool();
  if (pool == nullptr) GTEST_SKIP() << kNoCorpusPool;
  testing::TempDir dir;
  const std::vector<AssessVendor> vendors = AssessVendors(kAssessLayoutCount);
  for (int v = 0; v < kAssessLayoutCount; ++v) {
    const AssessVendor& vendor = vendors[v];
    SCOPED_TRACE(std::string(AssessLayoutName(vendor.layout)) + ": " + vendor.name);
    std::string previous_date;
    for (const AssessDocument& doc : MakeVendorVersions(*pool, v, vendor, 3)) {
      const fs::path path = dir.path() / doc.relative_path;
      testing::WriteFile(path, doc.bytes);
      auto loaded = ingest::LoadFile(path.string());
      ASSERT_OK(loaded);
      const normalize::NormalizedDocument normalized = normalize::Normalize(*loaded);
      const extract::Extraction extraction = extract::Extract(*loaded, normalized);
      const extract::DocumentMetadata& meta = extraction.metadata;
      EXPECT_EQ(meta.vendor.value_or("-"), vendor.core);
      EXPECT_EQ(meta.title.value_or("-"), doc.title);
      EXPECT_EQ(meta.date.value_or("-"), doc.date);
      EXPECT_EQ(meta.edition.value_or(0), kAssessEdition);
      ASSERT_TRUE(meta.date.has_value());
      EXPECT_LT(previous_date, *meta.date) << "version " << doc.version + 1;
      previous_date = *meta.date;

      // Each answer as printed: the text layouts print it on one line.
      std::vector<std::pair<std::string, std::string>> want, got;
      for (const AssessRecord& r : doc.records) want.emplace_back(r.id, r.answer);
      for (const extract::CriterionRecord& r : extraction.records) got.emplace_back(r.id, r.answer);
      EXPECT_EQ(got, want) << doc.relative_path;
    }
  }
}

}  // namespace
}  // namespace fiscdex::bench
