#include "extract/extract.h"

#include <tuple>
#include <vector>

#include "base/json.h"
#include "base/text.h"
#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/labels.h"
#include "extract/metadata.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {

namespace {

// A line that is nothing but a label the extractor reads ("回答", "【質問】",
// "対応する安全対策基準番号"), or a mapping label with its IDs. A running
// header that merely starts with such a word ("Answer Sheet") is not one.
bool IsLabelLine(const ingest::Block& b) {
  if (b.kind != ingest::BlockKind::kLine && b.kind != ingest::BlockKind::kHeading) return false;
  if (std::optional<std::string_view> rest = MatchMappingLabel(b.text)) {
    return rest->empty() || ParseIdCell(*rest).has_value();
  }
  if (std::optional<std::string_view> rest = MatchAnswerLabel(b.text)) return rest->empty();
  std::optional<QuestionLabel> question = MatchQuestionLabel(b.text);
  return question && question->asks && Trim(std::string_view(b.text).substr(question->end)).empty();
}

// normalize/ takes a line repeated all through a plain-text document without
// pages (a dump of printed pages) for a running header. A label printed on every block ("対応する安全対策基準番号"
// above each list of IDs, "Answer" above each answer) is such a line, but it
// is content to the extractor. Puts removed label lines back where they stood
// and drops the page breaks that only their removal made. Returns false (and
// leaves the outputs alone) when no label was removed, the common case, which
// then costs no copy of the blocks.
bool RestoreLabelLines(const normalize::NormalizedDocument& normalized,
                       std::vector<ingest::Block>* blocks, std::vector<size_t>* breaks) {
  std::vector<bool> restore(normalized.furniture.size());
  bool any = false;
  for (size_t f = 0; f < normalized.furniture.size(); ++f) {
    const ingest::Block& b = normalized.furniture[f];
    // Furniture the reader placed (a PDF's header band) stays furniture.
    restore[f] = !b.furniture && IsLabelLine(b);
    any = any || restore[f];
  }
  if (!any) return false;
  const std::vector<ingest::Block>& kept = normalized.blocks;
  blocks->clear();
  blocks->reserve(kept.size() + normalized.furniture.size());
  breaks->clear();
  size_t f = 0, next_break = 0;
  for (size_t k = 0; k <= kept.size(); ++k) {
    // The furniture removed just before kept block k (all the rest at the end).
    bool only_labels = true, removed = false;
    for (; f < normalized.furniture.size() &&
           (k == kept.size() || normalized.furniture[f].source_begin <= kept[k].source_begin);
         ++f) {
      removed = true;
      if (restore[f]) {
        blocks->push_back(normalized.furniture[f]);
      } else {
        only_labels = false;
      }
    }
    if (k == kept.size()) break;
    while (next_break < normalized.furniture_breaks.size() &&
           normalized.furniture_breaks[next_break] < k) {
      ++next_break;
    }
    if (next_break < normalized.furniture_breaks.size() &&
        normalized.furniture_breaks[next_break] == k && !(removed && only_labels)) {
      breaks->push_back(blocks->size());
    }
    blocks->push_back(kept[k]);
  }
  return true;
}

}  // namespace

Extraction Extract(const ingest::Document& doc, const normalize::NormalizedDocument& normalized) {
  std::vector<Draft> drafts;
  TableExtractor tables;
  std::vector<ingest::Block> restored_blocks;
  std::vector<size_t> restored_breaks;
  if (RestoreLabelLines(normalized, &restored_blocks, &restored_breaks)) {
    ExtractFromLines(restored_blocks, restored_breaks, &drafts, &tables);
  } else {
    ExtractFromLines(normalized.blocks, normalized.furniture_breaks, &drafts, &tables);
  }
  Extraction out;
  out.records = AssembleRecords(std::move(drafts));
  out.metadata = ExtractMetadata(doc, normalized, out.records);
  return out;
}

std::optional<std::string> ParseCriterionId(std::string_view text) {
  std::string normalized = StripDecorations(normalize::NormalizeText(text));
  std::optional<IdExpression> expr = MatchIdExpressionAt(normalized, 0);
  if (!expr || expr->ids.size() != 1 || !Trim(std::string_view(normalized).substr(expr->end)).empty()) {
    return std::nullopt;
  }
  return expr->ids[0];
}

const std::vector<CriterionFamily>& CriterionFamilies() {
  static const std::vector<CriterionFamily> families = {
      {"統", "統制基準"}, {"実", "実務基準"}, {"設", "設備基準"},
      {"監", "監査基準"}, {"運", "運用基準"}, {"技", "技術基準"},
  };
  return families;
}

std::string_view CriterionFamilyOf(std::string_view id) {
  size_t end = 0;
  while (end < id.size() && !(id[end] >= '0' && id[end] <= '9')) ++end;
  return id.substr(0, end);
}

namespace {

size_t FamilyRank(std::string_view id) {
  const std::vector<CriterionFamily>& families = CriterionFamilies();
  const std::string_view family = CriterionFamilyOf(id);
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i].key == family) return i;
  }
  return families.size();
}

}  // namespace

bool CriterionLess(std::string_view a, std::string_view b) {
  return std::tuple(FamilyRank(a), NumbersIn(a), a) < std::tuple(FamilyRank(b), NumbersIn(b), b);
}

std::string ToJson(const ingest::Document& doc, const Extraction& extraction,
                   const JsonExtras& extras) {
  const DocumentMetadata& m = extraction.metadata;
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("source").String(doc.path);
  json.Key("format").String(ingest::FormatName(doc.format));
  // PDFs carry no text encoding of their own.
  json.Key("encoding").OptionalString(doc.encoding.empty() ? std::nullopt
                                                           : std::optional(doc.encoding));
  json.Key("title").OptionalString(m.title);
  json.Key("vendor").OptionalString(m.vendor);
  json.Key("edition").OptionalInt(m.edition);
  json.Key("date").OptionalString(m.date);
  // One record per line keeps long outputs readable and diffable.
  json.Key("criteria").BeginArray(/*one_per_line=*/true);
  for (size_t i = 0; i < extraction.records.size(); ++i) {
    const CriterionRecord& r = extraction.records[i];
    json.BeginObject();
    json.Key("id").String(r.id);
    json.Key("answer").String(r.answer);
    json.Key("title").OptionalString(r.title);
    json.Key("group").StringArray(r.group);
    json.Key("page").Int(r.page);
    if (!r.columns.empty()) {
      json.Key("columns").BeginArray();
      for (size_t k = 0; k < r.columns.size(); ++k) {
        json.BeginObject();
        json.Key("header").String(r.columns[k].header);
        json.Key("text").String(r.columns[k].text);
        if (extras.column) extras.column(i, k, &json);
        json.EndObject();
      }
      json.EndArray();
    }
    if (extras.record) extras.record(i, &json);
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace fiscdex::extract
