// Fuzzes extract/ end to end as `fiscdex extract --json` runs it: LoadBytes,
// Normalize, Extract, ToJson; then checks what every record must satisfy,
// whatever the input, because the index stores records without checking.
//
// Input: first byte = file name extension (fuzz/fuzz_support.h), rest = the
// file's bytes. PDFs are left to decode_fuzzer (see normalize_fuzzer.cc).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "extract/extract.h"
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

  Result<ingest::Document> doc = ingest::LoadBytes(input.path, input.bytes);
  if (!doc.ok()) return 0;
  const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
  const extract::Extraction extraction = extract::Extract(*doc, normalized);

  const std::string json = extract::ToJson(*doc, extraction);
  FUZZ_CHECK(!json.empty() && json.front() == '{');
  FUZZ_CHECK(fuzz::IsValidUtf8(json));

  const extract::DocumentMetadata& meta = extraction.metadata;
  FUZZ_CHECK(!meta.title || fuzz::IsValidUtf8(*meta.title));
  FUZZ_CHECK(!meta.vendor || fuzz::IsValidUtf8(*meta.vendor));
  FUZZ_CHECK(!meta.edition || (*meta.edition >= 8 && *meta.edition <= 13));
  // YYYY-MM-DD
  FUZZ_CHECK(!meta.date || meta.date->size() == 10);

  std::set<std::string> ids;
  for (const extract::CriterionRecord& record : extraction.records) {
    FUZZ_CHECK(!record.id.empty());
    // "one per ID"
    FUZZ_CHECK(ids.insert(record.id).second);
    // A stored ID must be found again by `show ID`, which parses what the
    // user typed: canonical IDs are fixed points of the parser.
    const std::optional<std::string> reparsed = extract::ParseCriterionId(record.id);
    FUZZ_CHECK(reparsed && *reparsed == record.id);
    FUZZ_CHECK(record.page >= 1 && record.page <= doc->page_count);
    FUZZ_CHECK(record.source_begin <= record.source_end);
    FUZZ_CHECK(record.source_end <= doc->text.size());
    FUZZ_CHECK(fuzz::IsValidUtf8(record.id));
    FUZZ_CHECK(fuzz::IsValidUtf8(record.answer));
    FUZZ_CHECK(!record.title || fuzz::IsValidUtf8(*record.title));
    // "every ID sharing this answer", the record's own among them.
    bool own_id_in_group = false;
    for (const std::string& id : record.group) {
      FUZZ_CHECK(!id.empty() && fuzz::IsValidUtf8(id));
      own_id_in_group |= id == record.id;
    }
    FUZZ_CHECK(own_id_in_group);
    for (const extract::AnswerColumn& column : record.columns) {
      FUZZ_CHECK(fuzz::IsValidUtf8(column.header) && fuzz::IsValidUtf8(column.text));
    }
  }
  return 0;
}
