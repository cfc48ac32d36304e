// Fuzzes normalize/: the whole-document Normalize (furniture removal,
// passages) on every text format, and the string functions NormalizeText and
// FoldForSearch, which the index also calls on user queries.
//
// Input: first byte = file name extension (fuzz/fuzz_support.h), rest = the
// file's bytes. PDFs are left to decode_fuzzer: Poppler would spend most of
// this target's time on inputs that never reach normalize/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fiscdex::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fiscdex;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size);
  if (input.path.empty() || fuzz::MayBePdf(input.bytes)) return 0;

  // The string functions promise well-formed output for any UTF-8; feeding
  // them only valid UTF-8 keeps the input what their callers pass
  // (decoded text, queries the terminal gave as UTF-8).
  if (fuzz::IsValidUtf8(input.bytes)) {
    const std::string normalized = normalize::NormalizeText(input.bytes);
    FUZZ_CHECK(fuzz::IsValidUtf8(normalized));
    // NFKC is idempotent; so must be the wrapper, or text normalized at
    // ingest and a query normalized at search time would disagree.
    FUZZ_CHECK(normalize::NormalizeText(normalized) == normalized);
    FUZZ_CHECK(fuzz::IsValidUtf8(normalize::FoldForSearch(input.bytes)));
  }

  Result<ingest::Document> doc = ingest::LoadBytes(input.path, input.bytes);
  if (!doc.ok()) return 0;
  const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);

  for (const ingest::Block& block : normalized.blocks) {
    FUZZ_CHECK(block.source_begin <= block.source_end);
    FUZZ_CHECK(block.source_end <= doc->text.size());
    FUZZ_CHECK(block.page >= 1);
    FUZZ_CHECK(fuzz::IsValidUtf8(block.text));
    for (const std::string& cell : block.cells) FUZZ_CHECK(fuzz::IsValidUtf8(cell));
  }
  for (const ingest::Block& block : normalized.furniture) {
    FUZZ_CHECK(block.source_end <= doc->text.size());
    FUZZ_CHECK(fuzz::IsValidUtf8(block.text));
  }
  size_t previous_break = 0;
  for (size_t at : normalized.furniture_breaks) {
    FUZZ_CHECK(at >= previous_break);  // "Ascending."
    FUZZ_CHECK(at <= normalized.blocks.size());
    previous_break = at;
  }
  for (const normalize::Passage& passage : normalized.passages) {
    FUZZ_CHECK(passage.source_begin <= passage.source_end);
    FUZZ_CHECK(passage.source_end <= doc->text.size());
    FUZZ_CHECK(passage.page >= 1);
    FUZZ_CHECK(fuzz::IsValidUtf8(passage.text));
  }
  return 0;
}
