#include "extract/extract.h"

#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/json.h"
#include "extract/metadata.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {

Extraction Extract(const ingest::Document& doc, const normalize::NormalizedDocument& normalized) {
  std::vector<Draft> drafts;
  TableExtractor tables;
  ExtractFromLines(normalized.blocks, normalized.furniture_breaks, &drafts, &tables);
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

std::string ToJson(const ingest::Document& doc, const Extraction& extraction) {
  const DocumentMetadata& m = extraction.metadata;
  std::string out = "{\"source\": ";
  AppendJsonString(&out, doc.path);
  out += ", \"format\": ";
  AppendJsonString(&out, ingest::FormatName(doc.format));
  out += ", \"encoding\": ";
  AppendJsonString(&out, doc.encoding);
  out += ",\n \"title\": ";
  AppendJsonOptional(&out, m.title);
  out += ", \"vendor\": ";
  AppendJsonOptional(&out, m.vendor);
  out += ", \"edition\": ";
  out += m.edition ? std::to_string(*m.edition) : "null";
  out += ", \"date\": ";
  AppendJsonOptional(&out, m.date);
  out += ",\n \"criteria\": [";
  bool first = true;
  for (const CriterionRecord& r : extraction.records) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"id\": ";
    AppendJsonString(&out, r.id);
    out += ", \"answer\": ";
    AppendJsonString(&out, r.answer);
    out += ", \"title\": ";
    AppendJsonOptional(&out, r.title);
    out += ", \"group\": [";
    for (size_t k = 0; k < r.group.size(); ++k) {
      if (k) out += ", ";
      AppendJsonString(&out, r.group[k]);
    }
    out += "], \"page\": " + std::to_string(r.page);
    if (!r.columns.empty()) {
      out += ", \"columns\": [";
      for (size_t k = 0; k < r.columns.size(); ++k) {
        if (k) out += ", ";
        out += "{\"header\": ";
        AppendJsonString(&out, r.columns[k].header);
        out += ", \"text\": ";
        AppendJsonString(&out, r.columns[k].text);
        out += "}";
      }
      out += "]";
    }
    out += "}";
  }
  out += first ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace fiscdex::extract
