// Fuzzes what comes after extraction: the status rules (assess/) on every
// record of a document, and the answer diff (compare/) that `fiscdex diff`
// runs on two versions of an answer. Both take text straight from documents,
// and the diff promises to rebuild both texts byte for byte whatever they are.
//
// Input: first byte = file name extension (fuzz/fuzz_support.h), rest = the
// file's bytes. The records' answers are diffed pairwise (real answer text,
// which reaches the diff's Japanese units), and the raw bytes split in two
// halves are diffed too (bytes that are not UTF-8). PDFs are left to
// decode_fuzzer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "assess/status.h"
#include "compare/text_diff.h"
#include "extract/extract.h"
#include "fuzz/fuzz_support.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

namespace {

using fiscdex::compare::DiffKind;
using fiscdex::compare::DiffSpan;

// text_diff.h's contract: the spans rebuild both texts, none is empty, no two
// neighbours share a kind, a deletion comes before the insertion it pairs with.
void CheckDiff(std::string_view old_text, std::string_view new_text) {
  const std::vector<DiffSpan> spans = fiscdex::compare::DiffText(old_text, new_text);
  std::string rebuilt_old, rebuilt_new;
  for (size_t i = 0; i < spans.size(); ++i) {
    const DiffSpan& span = spans[i];
    FUZZ_CHECK(!span.text.empty());
    if (i > 0) {
      FUZZ_CHECK(spans[i - 1].kind != span.kind);
      FUZZ_CHECK(!(spans[i - 1].kind == DiffKind::kInserted && span.kind == DiffKind::kDeleted));
    }
    if (span.kind != DiffKind::kInserted) rebuilt_old += span.text;
    if (span.kind != DiffKind::kDeleted) rebuilt_new += span.text;
  }
  FUZZ_CHECK(rebuilt_old == old_text);
  FUZZ_CHECK(rebuilt_new == new_text);
  const double ratio = fiscdex::compare::ChangeRatio(spans);
  FUZZ_CHECK(ratio >= 0.0 && ratio <= 1.0);
  FUZZ_CHECK((ratio == 0.0) == (old_text == new_text));
  if (fiscdex::fuzz::IsValidUtf8(old_text) && fiscdex::fuzz::IsValidUtf8(new_text)) {
    FUZZ_CHECK(fiscdex::fuzz::IsValidUtf8(fiscdex::compare::RenderInline(spans)));
  }
}

void CheckJudgement(const fiscdex::assess::StatusJudgement& judgement) {
  FUZZ_CHECK(!judgement.rule.empty());
  FUZZ_CHECK(fiscdex::assess::ParseStatus(fiscdex::assess::StatusName(judgement.status)) ==
             judgement.status);
  FUZZ_CHECK(fiscdex::fuzz::IsValidUtf8(judgement.evidence));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fiscdex::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fiscdex;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size);
  if (input.path.empty() || fuzz::MayBePdf(input.bytes)) return 0;

  // The first 2 KB only: two unrelated halves of a 130 KB seed take seconds
  // under the sanitizers (the coarse fallback, which compare_test covers),
  // and would leave this target a few runs a minute.
  const std::string_view head = input.bytes.substr(0, 2048);
  CheckDiff(head.substr(0, head.size() / 2), head.substr(head.size() / 2));

  Result<ingest::Document> doc = ingest::LoadBytes(input.path, input.bytes);
  if (!doc.ok()) return 0;
  const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
  const extract::Extraction extraction = extract::Extract(*doc, normalized);

  const std::vector<assess::RecordAssessment> assessments = assess::AssessAll(extraction);
  FUZZ_CHECK(assessments.size() == extraction.records.size());
  for (size_t i = 0; i < assessments.size(); ++i) {
    const extract::CriterionRecord& record = extraction.records[i];
    CheckJudgement(assessments[i].record);
    FUZZ_CHECK(assessments[i].columns.size() == record.columns.size());
    for (const assess::StatusJudgement& column : assessments[i].columns) CheckJudgement(column);
    // Nothing to read is blank, or retired when the criterion's own title says so.
    if (record.answer.empty() && record.columns.empty()) {
      FUZZ_CHECK(assessments[i].record.status == assess::AnswerStatus::kBlank ||
                 assessments[i].record.status == assess::AnswerStatus::kRetired);
    }
    if (i > 0) CheckDiff(extraction.records[i - 1].answer, record.answer);
  }
  return 0;
}
