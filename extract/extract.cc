#include "extract/extract.h"

#include "base/json.h"
#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
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
  for (const CriterionRecord& r : extraction.records) {
    json.BeginObject();
    json.Key("id").String(r.id);
    json.Key("answer").String(r.answer);
    json.Key("title").OptionalString(r.title);
    json.Key("group").StringArray(r.group);
    json.Key("page").Int(r.page);
    if (!r.columns.empty()) {
      json.Key("columns").BeginArray();
      for (const AnswerColumn& c : r.columns) {
        json.BeginObject();
        json.Key("header").String(c.header);
        json.Key("text").String(c.text);
        json.EndObject();
      }
      json.EndArray();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace fiscdex::extract
