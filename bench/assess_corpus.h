// The assessment corpus: V vendors × K versions of a whitepaper, every
// document different, for timing the views over an index (coverage,
// criteria, diff, export).
//
// The seeds' copies (corpus_gen.h) all share one vendor and one title, so
// the views see four vendors with hundreds of identical versions. Here each
// vendor gets its own name, service and layout, answers a different 80-100 %
// of the criteria, and its versions move forward in time with a tenth of the
// answers changed and a few criteria added or removed: what an index of real
// whitepapers looks like to `coverage` and `diff`.
//
// The answers are real: the records fiscdex's own ingest, normalize and
// extract find in the seeds and in corpus/, grouped by criterion ID. All
// choices come from a fixed PRNG (splitmix64) seeded from the vendor,
// version and criterion, so the corpus is the same on every machine for the
// same pool.
#ifndef FISCDEX_BENCH_ASSESS_CORPUS_H_
#define FISCDEX_BENCH_ASSESS_CORPUS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace fiscdex::bench {

// Real answers to draw from.
struct AnswerPool {
  // The criterion universe: every ID some source answers, in criterion order
  // (統 実 設 監 運 技, then number, then sub-number).
  std::vector<std::string> criteria;
  // ID -> its distinct answers, in the order the sources give them. An
  // answer may be "" (a source left the criterion blank).
  std::map<std::string, std::vector<std::string>> answers;
  // ID -> the criterion's own text, where some source printed it.
  std::map<std::string, std::string> titles;
  // Every distinct non-empty answer, for IDs few sources answer.
  std::vector<std::string> all_answers;
  int files = 0;               // source files read
  int files_with_records = 0;  // of which gave at least one record
  uint64_t records = 0;        // records read
};

// The files of `dir` a pool is read from: visible regular files directly in
// it named *.txt, *.md, *.csv, *.html or *.htm, sorted. PDFs (slow to read,
// and corpus/pdf holds the same text as corpus/*.html) and the goldens'
// *.json are left out. Errors: NotFound (no such folder), IoError.
Result<std::vector<std::string>> ListPoolFiles(const std::string& dir);

// Loads, normalizes and extracts each file in process, as `fiscdex extract`
// does, and groups the records' answers by ID. Answers are tidied for
// re-use in another layout: tabs become spaces, lines are trimmed, empty
// lines dropped. Errors: the first file that cannot be read (its path and
// reason); Empty when no file gives a non-empty answer.
Result<AnswerPool> BuildAnswerPool(const std::vector<std::string>& files);

// Pads the pool's universe to `target` criteria with the next numbers of its
// families in turn (統, 実, 設, ... after the highest each has: 実151, 設140
// ...), answered from the whole pool: the seeds and corpus/ answer about 340
// IDs, and a report of 400 criteria × 50 vendors is what is measured. A
// universe already that large is left as it is.
void PadUniverse(AnswerPool* pool, size_t target);

// The layouts a vendor's documents are written in, one per vendor (vendor
// index modulo kAssessLayoutCount), each a form the extractor reads through
// a different path.
enum class AssessLayout {
  kMarkdownTable,     // .md, `| 項番 | 項目 | 回答 |` tables, one per family
  kTextRows,          // .txt, `ID<TAB>answer` rows (a row table in text)
  kCsv,               // .csv, key/value rows, then `基準番号,項目名,対応状況`
  kQuestionnaire,     // .txt, `Q. 実8 …` / `A. …` lines
  kMarkdownHeadings,  // .md with front matter, `### 実8: title` per ID
  kHtmlTable,         // .html, <table> per family
};
constexpr int kAssessLayoutCount = 6;
const char* AssessLayoutName(AssessLayout layout);

// The FISC edition every generated document declares. One edition for all,
// so that coverage has one universe of criteria and every vendor a column.
constexpr int kAssessEdition = 13;

struct AssessVendor {
  std::string name;     // as written in its documents: "株式会社トワクオ情報システム"
  std::string core;     // without the legal form, as the extractor reports it
  std::string service;  // the product its whitepaper is about
  AssessLayout layout = AssessLayout::kMarkdownTable;
  const char* version_format = "";  // printf format of the title's version word
};

// The first `count` vendors: invented names from syllable and word lists,
// distinct, and none (without its legal form) a part of another's, since
// `fiscdex diff --vendor X` also matches vendors whose name contains X.
std::vector<AssessVendor> AssessVendors(int count);

struct AssessRecord {
  std::string id;
  std::string answer;
};

// One generated document: what it says and where it goes.
struct AssessDocument {
  int vendor = 0;             // 0-based
  int version = 0;            // 0-based: version k is printed as k+1 (Ver.3.0 for k = 2)
  std::string title;          // with the version word
  std::string date;           // YYYY-MM-DD, later for every later version
  std::string relative_path;  // "v001/version-3.md", under the docs folder
  // Criterion order, one per ID; each answer as the document prints it (on
  // one line in the text layouts), which is what the extractor should read.
  std::vector<AssessRecord> records;
  std::string bytes;  // the file
};

// The `versions` documents of one vendor, oldest first. Version 0 answers a
// subset of the pool's universe; each later one changes about 10 % of the
// answers of the one before and adds and removes a few criteria. Pure: the
// same pool and arguments give the same bytes. REQUIRES: pool has criteria,
// versions >= 1, pool.all_answers not empty (BuildAnswerPool's pools).
std::vector<AssessDocument> MakeVendorVersions(const AnswerPool& pool, int vendor_index,
                                               const AssessVendor& vendor, int versions);

struct AssessCorpusStats {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t records = 0;  // records written (one per ID per document)
  // Relative path (AssessDocument::relative_path) -> records written.
  std::map<std::string, int> records_by_path;
};

// Replaces `docs_dir` with the corpus: folders v001 … vNNN, each holding the
// vendor's versions. `progress(done, total)` is called after each file.
// REQUIRES: vendors >= 1, versions >= 1. Errors: Empty (a pool without
// answers), IoError naming the path that could not be removed, created or
// written.
Result<AssessCorpusStats> GenerateAssessCorpus(
    const AnswerPool& pool, int vendors, int versions, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress);

// What GenerateAssessCorpus would write, without writing: for checking an
// index made from a corpus generated earlier.
Result<AssessCorpusStats> DescribeAssessCorpus(const AnswerPool& pool, int vendors, int versions);

}  // namespace fiscdex::bench

#endif  // FISCDEX_BENCH_ASSESS_CORPUS_H_
