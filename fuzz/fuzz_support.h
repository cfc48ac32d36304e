// What the three fuzz targets share: how an input picks its file name, and
// the checks their invariants are written with.
#ifndef FISCDEX_FUZZ_FUZZ_SUPPORT_H_
#define FISCDEX_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "base/log.h"
#include "base/utf8.h"
#include "ingest/document.h"

// An invariant that fails is a bug whatever the input: trap, so libFuzzer
// saves the input and ASan prints the stack (a plain assert vanishes under
// NDEBUG). The message names the invariant in the crash report.
#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      __builtin_trap();                                                              \
    }                                                                                \
  } while (0)

namespace fiscdex::fuzz {

// DetectFormat takes the extension as a hint, so the first byte picks one:
// without it the HTML, CSV and Markdown readers would only be reached by
// content sniffing, and a mutation that breaks the sniffed shape would fall
// back to plain text. tools/fuzz.sh prefixes each seed file with the byte of
// its own extension (the index into kFileNames).
inline constexpr const char* kFileNames[] = {
    "input.txt", "input.md", "input.html", "input.csv", "input.tsv", "input.pdf", "input",
};
inline constexpr size_t kFileNameCount = sizeof(kFileNames) / sizeof(kFileNames[0]);

struct FuzzInput {
  std::string path;
  std::string_view bytes;
};

// Empty inputs give an empty path; the targets return at once for them.
inline FuzzInput SplitInput(const uint8_t* data, size_t size) {
  if (size == 0) return {};
  return {kFileNames[data[0] % kFileNameCount],
          std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

// The "%PDF-" test LoadBytes makes (ingest's HasPdfSignature is internal):
// the text-stage targets leave PDFs to decode_fuzzer, where Poppler's cost
// per input is expected, so their own runs stay fast.
inline bool MayBePdf(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

// Every stage promises well-formed UTF-8 out whatever came in.
inline bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const int length = WellFormedUtf8Length(s, i);
    if (length == 0) return false;
    i += static_cast<size_t>(length);
  }
  return true;
}

// Poppler's and the stages' warnings would flood libFuzzer's output.
inline void QuietLogs() { SetLogLevel(LogLevel::kSilent); }

// The contract of ingest/document.h, which normalize/ and extract/ index by
// without checking again: ranges inside the text, pages inside the document,
// per-kind fields filled as documented, every string well-formed.
inline void CheckDocument(const ingest::Document& doc) {
  FUZZ_CHECK(doc.page_count >= 1);
  FUZZ_CHECK(IsValidUtf8(doc.text));
  for (const ingest::Block& block : doc.blocks) {
    FUZZ_CHECK(block.source_begin <= block.source_end);
    FUZZ_CHECK(block.source_end <= doc.text.size());
    FUZZ_CHECK(block.page >= 1 && block.page <= doc.page_count);
    FUZZ_CHECK(IsValidUtf8(block.text));
    switch (block.kind) {
      case ingest::BlockKind::kHeading:
        FUZZ_CHECK(block.level >= 1 && block.level <= 6);
        break;
      case ingest::BlockKind::kTableRow:
        FUZZ_CHECK(block.table >= 0);
        FUZZ_CHECK(block.merged_from_above.empty() ||
                   block.merged_from_above.size() == block.cells.size());
        for (const std::string& cell : block.cells) FUZZ_CHECK(IsValidUtf8(cell));
        break;
      case ingest::BlockKind::kLine:
      case ingest::BlockKind::kBlank:
        break;
    }
  }
  for (const auto& [key, value] : doc.properties) {
    FUZZ_CHECK(IsValidUtf8(key) && IsValidUtf8(value));
  }
}

}  // namespace fiscdex::fuzz

#endif  // FISCDEX_FUZZ_FUZZ_SUPPORT_H_
