// The benchmark's PDF inputs: the committed LibreOffice fixtures copied N
// times, and a generated PDF of many pages for the streaming check.
//
// The fixtures are copied byte for byte, not varied like the text seeds
// (corpus_gen.h): the index keys documents by path, so identical copies at
// different paths are all ingested, and the bench measures real LibreOffice
// output rather than a file it has edited.
#ifndef FISCDEX_BENCH_PDF_CORPUS_H_
#define FISCDEX_BENCH_PDF_CORPUS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"
#include "bench/corpus_gen.h"

namespace fiscdex::bench {

// Replaces `docs_dir` with `copies` folders (CopyFolderName), each holding a
// copy of every "*.pdf" directly in `fixtures_dir`. `progress(done, total)`
// is called after each file. REQUIRES: copies >= 1. Errors: NotFound (no
// such folder), Empty (no PDF in it), IoError naming the path that could not
// be removed, created or copied.
Result<GenerateStats> CopyPdfFixtures(
    const std::string& fixtures_dir, int copies, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress);

// Rows of the two-column table on every page of WriteManyPagePdf's file.
inline constexpr int kManyPageRowsPerPage = 8;

// Writes a PDF of `pages` A4 pages to `path`, streaming: memory does not grow
// with `pages`. Each page has a title, two lines of prose, a two-column table
// (a header row, then kManyPageRowsPerPage rows "統N" | an English answer, N
// counting on across pages from 1 to 999, then from 1 again) and a
// page-number footer. The prose and answers
// are ASCII in Helvetica; the IDs use a non-embedded CID font (Identity-H)
// with a ToUnicode map, so text extraction reads 統 without a font file.
// Returns the file size. REQUIRES: pages >= 1. Errors: IoError.
Result<uint64_t> WriteManyPagePdf(const std::string& path, int pages);

}  // namespace fiscdex::bench

#endif  // FISCDEX_BENCH_PDF_CORPUS_H_
