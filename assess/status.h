// What a vendor's answer amounts to: one of eight statuses, decided by the
// rules of doc/status.md over the answer's text, with the phrase that decided
// it kept as evidence so that an analyst can see why and disagree.
//
// The rules are one ordered table (assess/status.cc, kStatusRules): the
// first rule, in priority order, whose pattern matches decides; an answer no
// rule matches is `implemented` (it states measures and nothing that limits
// them). A record with several answer columns gets a status per column, and
// one for the record made from them (doc/status.md, "Columns").
//
// Thread safety: everything here is a pure function of its arguments; the
// compiled patterns are shared, immutable and safe to use from any thread.
#ifndef FISCDEX_ASSESS_STATUS_H_
#define FISCDEX_ASSESS_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "extract/record.h"

namespace fiscdex::assess {

// In priority order: when the rules of two statuses match one answer, the
// earlier status wins.
enum class AnswerStatus {
  kRetired,
  kBlank,
  kNotApplicable,
  kReference,
  kPartial,
  kCustomer,
  kProvider,
  kImplemented,
};
inline constexpr int kStatusCount = 8;

// The status's code as in JSON, the index and exports: "retired", "blank",
// "not_applicable", "reference", "partial", "customer", "provider",
// "implemented".
std::string_view StatusName(AnswerStatus status);
// The inverse of StatusName; nullopt for anything else.
std::optional<AnswerStatus> ParseStatus(std::string_view name);
// One line on what the status means, for --help and reports.
std::string_view StatusMeaning(AnswerStatus status);
// Every status, in priority order.
const std::vector<AnswerStatus>& AllStatuses();

// Bumped whenever a rule changes: statuses stored in an index under another
// version are worked out again (index/doc/schema.md).
inline constexpr int kStatusRulesVersion = 2;

struct StatusJudgement {
  AnswerStatus status = AnswerStatus::kBlank;
  // The rule that decided (its name in doc/status.md), "default" when no
  // rule matched, or "columns" for a record judged from its columns.
  std::string rule;
  // The phrase of the answer (NFKC-normalized) that the rule matched; empty
  // for the default and for an empty answer.
  std::string evidence;
};

struct RecordAssessment {
  StatusJudgement record;
  // One per extract::CriterionRecord::columns entry, same order; empty for
  // a record without columns.
  std::vector<StatusJudgement> columns;
};

// Who wrote the document: its title and vendor, as the extractor found
// them. A cloud named in a mapping of that cloud's own services is the
// vendor, not a provider under it.
struct DocumentContext {
  std::string self;  // NFKC, case-folded title and vendor
};
DocumentContext ContextOf(const extract::DocumentMetadata& metadata);

// The status of one answer text.
StatusJudgement JudgeAnswer(std::string_view answer, const DocumentContext& context = {});

// The status of one answer column: JudgeAnswer on its text, read in the
// light of its header (a column headed for the customer's side, the
// provider's, or one that names who acts).
StatusJudgement JudgeColumn(const extract::AnswerColumn& column,
                            const DocumentContext& context = {});

// The record's status: from its answer, or for a record with columns, from
// its columns' statuses (doc/status.md, "Columns").
RecordAssessment AssessRecord(const extract::CriterionRecord& record,
                              const DocumentContext& context = {});

// Every record of an extraction, in order.
std::vector<RecordAssessment> AssessAll(const extract::Extraction& extraction);

// Writes "status" and "status_evidence" (null when there is none) into the
// JSON object being written.
void WriteStatusFields(const StatusJudgement& judgement, JsonWriter* json);

// The rule table as data, for the documentation test and `--help`.
struct StatusRuleInfo {
  AnswerStatus status;
  std::string_view name;
  std::string_view pattern;  // RE2 syntax, over NFKC text
  std::string_view unless;   // the rule does not apply where this matches; "": always
  int max_chars;             // the rule applies only to answers this short; 0: any
  std::string_view why;
};
const std::vector<StatusRuleInfo>& StatusRules();

}  // namespace fiscdex::assess

#endif  // FISCDEX_ASSESS_STATUS_H_
