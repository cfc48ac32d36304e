// Building the benchmark corpus: N varied copies of each seed document.
//
// The copies must differ byte for byte, or fiscdex would index one and skip
// the rest as unchanged (same content hash) and the benchmark would measure
// the skip. Each copy therefore gets its first date moved by a few days and a
// trailing line naming the copy; the text the extractor and the tokenizer
// see is otherwise the seed's, so throughput per MB stays representative.
#ifndef FISCDEX_BENCH_CORPUS_GEN_H_
#define FISCDEX_BENCH_CORPUS_GEN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fiscdex::bench {

struct SeedFile {
  std::string name;   // file name, e.g. "000_f7b908816a3f01db.txt"
  std::string bytes;  // the whole file
};

// Reads every regular, non-hidden file directly in `dir`, sorted by name.
// Errors: NotFound (no such folder), IoError (unreadable), Empty (no files).
Result<std::vector<SeedFile>> ReadSeeds(const std::string& dir);

// Copy `copy` (0-based) of `seed`, one of `copies`: the first date written
// "YYYY/MM/DD" or "YYYY年M月D日" gets its day moved forward by `copy` (mod 28,
// so the date stays valid; a two-digit day stays two digits), and a last line
// "bench copy K of N: NAME" is appended. Distinct `copy` values give distinct
// bytes. UTF-8 seeds only; other bytes pass through unchanged.
std::string VaryCopy(std::string_view seed, std::string_view name, int copy, int copies);

// The folder of copy `copy` under the docs folder: "c0001" for copy 0, so a
// listing sorted by name is in copy order.
std::string CopyFolderName(int copy);

struct GenerateStats {
  uint64_t files = 0;
  uint64_t bytes = 0;  // total size of the files written
};

// Replaces `docs_dir` with `copies` folders (CopyFolderName), each holding a
// varied copy (VaryCopy) of every seed. `progress(done, total)` is called
// after each file. REQUIRES: copies >= 1. Errors: IoError naming the path
// that could not be removed, created or written.
Result<GenerateStats> GenerateCorpus(
    const std::vector<SeedFile>& seeds, int copies, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress);

}  // namespace fiscdex::bench

#endif  // FISCDEX_BENCH_CORPUS_GEN_H_
