// Fuzzes the first stage untrusted bytes meet: encoding detection and
// decoding, format detection, and every reader LoadBytes dispatches to
// (plain text, Markdown, HTML, CSV, and PDF through Poppler).
//
// Input: first byte = file name extension (fuzz/fuzz_support.h), rest = the
// file's bytes. Errors (Undecodable, Unsupported, Corrupt ...) are outcomes
// the CLI reports per file, not failures; only crashes, sanitizer reports
// and broken invariants are.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fiscdex::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fiscdex;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size);
  if (input.path.empty()) return 0;

  // DecodeText on its own as well: LoadBytes skips it for PDFs, and a PDF
  // signature is easy for the fuzzer to stumble on.
  Result<ingest::DecodedText> decoded = ingest::DecodeText(input.bytes);
  if (decoded.ok()) {
    FUZZ_CHECK(fuzz::IsValidUtf8(decoded->utf8));
    // "without a BOM"
    FUZZ_CHECK(decoded->utf8.rfind("\xEF\xBB\xBF", 0) != 0);
    FUZZ_CHECK(!decoded->encoding.empty());
    // Detection on the raw bytes as well as on decoded text: the CLI asks
    // before decoding, and the header allows either.
    (void)ingest::DetectFormat(input.path, input.bytes);
    (void)ingest::DetectFormat(input.path, decoded->utf8);
  }

  Result<ingest::Document> doc = ingest::LoadBytes(input.path, input.bytes);
  if (!doc.ok()) {
    FUZZ_CHECK(!doc.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(doc->size_bytes == input.bytes.size());
  FUZZ_CHECK(doc->content_hash.size() == 64);
  fuzz::CheckDocument(*doc);
  return 0;
}
