// Builds the report's JSON data from the index (report_data.h).
#include "report/report_data.h"

#include <iterator>
#include <map>
#include <set>
#include <string_view>

#include "assess/status.h"
#include "base/json.h"
#include "compare/text_diff.h"
#include "extract/extract.h"
#include "views/version_changes.h"

namespace fiscdex::report {
namespace {

char LetterOf(std::string_view status) {
  const views::StatusDisplay* display = views::FindStatusDisplay(status);
  return display != nullptr ? display->letter : '.';
}

char LetterOf(assess::AnswerStatus status) { return LetterOf(assess::StatusName(status)); }

std::string_view FamilyName(std::string_view family) {
  for (const extract::CriterionFamily& known : extract::CriterionFamilies()) {
    if (known.key == family) return known.name;
  }
  return "";
}

// Length in UTF-16 code units, what a JavaScript string's length counts.
int64_t Utf16Length(std::string_view text) {
  int64_t units = 0;
  for (unsigned char byte : text) {
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

std::string FileName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void WriteStatuses(JsonWriter* json) {
  json->Key("statuses").BeginArray(true);
  for (const views::StatusDisplay& style : views::StatusDisplays()) {
    json->BeginObject();
    json->Key("key").String(style.key);
    json->Key("letter").String(std::string_view(&style.letter, 1));
    json->Key("glyph").String(style.glyph);
    json->Key("label").String(style.label);
    const std::optional<assess::AnswerStatus> status = assess::ParseStatus(style.key);
    json->Key("meaning").String(status ? assess::StatusMeaning(*status)
                                       : "the document's edition has the criterion, the "
                                         "document never mentions it");
    json->EndObject();
  }
  json->EndArray();
}

// An answer diff for the page: a number is that many UTF-16 units of text
// both versions share (the page takes them from the new answer, which it has
// anyway), "-…" deleted and "+…" inserted text.
void WriteDiff(const std::string& before, const std::string& after, JsonWriter* json) {
  json->BeginArray();
  for (const compare::DiffSpan& span : compare::DiffText(before, after)) {
    switch (span.kind) {
      case compare::DiffKind::kEqual:
        json->Int(Utf16Length(span.text));
        break;
      case compare::DiffKind::kDeleted:
        json->String("-" + span.text);
        break;
      case compare::DiffKind::kInserted:
        json->String("+" + span.text);
        break;
    }
  }
  json->EndArray();
}

}  // namespace

Result<std::string> BuildReportData(index::Index* index, const views::Catalog& catalog,
                                    const ReportRequest& request) {
  ASSIGN_OR_RETURN(views::Coverage coverage,
                   views::BuildCoverage(index, catalog, request.documents, request.family));
  index::RecordQuery query;
  query.document_ids = request.documents;
  query.family = request.family;
  ASSIGN_OR_RETURN(std::vector<index::StoredRecord> records, index->Records(query));

  std::map<std::string, size_t> row_of;
  std::set<std::string> families;
  for (size_t i = 0; i < coverage.criteria.size(); ++i) {
    row_of.emplace(coverage.criteria[i], i);
    families.insert(std::string(extract::CriterionFamilyOf(coverage.criteria[i])));
  }
  std::map<int64_t, size_t> column_of;
  for (size_t i = 0; i < request.documents.size(); ++i) column_of.emplace(request.documents[i], i);
  // A criterion a document holds twice (two tables) is shown by its first
  // record, as coverage does.
  std::vector<std::map<size_t, const index::StoredRecord*>> answers(request.documents.size());
  for (const index::StoredRecord& record : records) {
    const auto column = column_of.find(record.document_id);
    const auto row = row_of.find(record.criterion_id);
    if (column == column_of.end() || row == row_of.end()) continue;
    answers[column->second].emplace(row->second, &record);
  }

  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("generated").String(request.generated_at);
  json.Key("fiscdex").String(request.fiscdex_version);
  json.Key("selection").String(request.selection);
  json.Key("rules").Int(assess::kStatusRulesVersion);
  json.Key("editions").BeginArray();
  for (int edition : coverage.editions) json.Int(edition);
  json.EndArray();
  WriteStatuses(&json);
  json.Key("families").BeginObject();
  for (const std::string& family : families) json.Key(family).String(FamilyName(family));
  json.EndObject();

  json.Key("criteria").BeginArray(true);
  for (const std::string& id : coverage.criteria) {
    json.BeginObject();
    json.Key("id").String(id);
    json.Key("family").String(extract::CriterionFamilyOf(id));
    const auto title = coverage.titles.find(id);
    if (title != coverage.titles.end()) json.Key("title").String(title->second);
    json.EndObject();
  }
  json.EndArray();

  json.Key("cells").BeginArray(true);
  for (const std::string& id : coverage.criteria) {
    std::string letters;
    letters.reserve(request.documents.size());
    for (int64_t document : request.documents) {
      const std::string cell = coverage.Cell(catalog, id, document);
      letters += cell.empty() ? '.' : LetterOf(cell);
    }
    json.String(letters);
  }
  json.EndArray();

  json.Key("documents").BeginArray(true);
  for (size_t column = 0; column < request.documents.size(); ++column) {
    const int64_t id = request.documents[column];
    const index::DocumentSummary& document = catalog.Document(id);
    const assess::DocumentVersion& version = catalog.Version(id);
    json.BeginObject();
    json.Key("vendor").String(version.vendor);
    json.Key("label").String(views::ColumnLabel(catalog, id, /*with_version=*/false));
    json.Key("path").String(document.path);
    json.Key("file").String(FileName(document.path));
    json.Key("title").OptionalString(document.title);
    json.Key("version_label").OptionalString(version.version_label);
    json.Key("version").Int(version.version);
    json.Key("versions").Int(version.versions);
    json.Key("edition").OptionalInt(document.edition);
    json.Key("date").OptionalString(document.date);
    json.Key("format").String(document.format);
    json.Key("records").Int(document.records);
    // In the order of the statuses' display, which the page's bars follow.
    const std::map<std::string, int> counts = coverage.Counts(catalog, id);
    json.Key("counts").BeginArray();
    for (const views::StatusDisplay& display : views::StatusDisplays()) {
      const auto found = counts.find(std::string(display.key));
      json.Int(found == counts.end() ? 0 : found->second);
    }
    json.EndArray();

    const std::optional<int64_t> previous = views::PreviousVersion(catalog, id);
    if (!previous) {
      json.Key("previous").Null();
    } else {
      const index::DocumentSummary& before = catalog.Document(*previous);
      json.Key("previous").BeginObject();
      json.Key("path").String(before.path);
      json.Key("file").String(FileName(before.path));
      json.Key("date").OptionalString(before.date);
      json.Key("version_label").OptionalString(catalog.Version(*previous).version_label);
      json.Key("version").Int(catalog.Version(*previous).version);
      json.EndObject();
      ASSIGN_OR_RETURN(views::VersionChanges changes,
                       views::CompareDocuments(index, *previous, id));
      // With --family, the changes of the other families are not the
      // report's business.
      auto shown = [&](const std::string& criterion) {
        return !request.family || families.count(std::string(extract::CriterionFamilyOf(criterion))) > 0;
      };
      auto row = [&](const std::string& criterion) -> std::optional<size_t> {
        const auto found = row_of.find(criterion);
        if (found == row_of.end()) return std::nullopt;
        return found->second;
      };
      json.Key("changes").BeginObject();
      json.Key("added").BeginArray();
      for (const std::string& c : changes.added) {
        if (shown(c) && row(c)) json.Int(static_cast<int64_t>(*row(c)));
      }
      json.EndArray();
      json.Key("removed").BeginArray();
      for (const std::string& c : changes.removed) {
        if (!shown(c)) continue;
        json.BeginArray().String(c);
        json.String(std::string(1, LetterOf(changes.Old(c)->status.status)));
        json.EndArray();
      }
      json.EndArray();
      json.Key("status").BeginArray();
      for (const std::string& c : changes.status_changed) {
        if (!shown(c) || !row(c)) continue;
        json.BeginArray().Int(static_cast<int64_t>(*row(c)));
        json.String(std::string(1, LetterOf(changes.Old(c)->status.status)));
        json.EndArray();
      }
      json.EndArray();
      json.Key("answer").BeginArray();
      for (const std::string& c : changes.answer_changed) {
        if (shown(c) && row(c)) json.Int(static_cast<int64_t>(*row(c)));
      }
      json.EndArray();
      json.Key("diffs").BeginObject();
      for (const auto* list : {&changes.status_changed, &changes.answer_changed}) {
        for (const std::string& c : *list) {
          if (!shown(c) || !row(c)) continue;
          json.Key(std::to_string(*row(c)));
          WriteDiff(changes.Old(c)->answer, changes.New(c)->answer, &json);
        }
      }
      json.EndObject();
      json.EndObject();
    }
    json.EndObject();
  }
  json.EndArray();

  // Per document, its answers: [row, letter, answer, evidence, page,
  // columns]; columns [[header, letter, text, evidence], ...] or 0.
  json.Key("answers").BeginArray(true);
  for (size_t column = 0; column < request.documents.size(); ++column) {
    json.BeginArray();
    for (const auto& [row, record] : answers[column]) {
      json.BeginArray();
      json.Int(static_cast<int64_t>(row));
      json.String(std::string(1, LetterOf(record->status.status)));
      json.String(record->answer);
      json.String(record->status.evidence);
      json.Int(record->page);
      if (record->columns.empty()) {
        json.Int(0);
      } else {
        json.BeginArray();
        for (const index::StoredColumn& c : record->columns) {
          json.BeginArray().String(c.header);
          json.String(std::string(1, LetterOf(c.status.status)));
          json.String(c.text).String(c.status.evidence).EndArray();
        }
        json.EndArray();
      }
      json.EndArray();
    }
    json.EndArray();
  }
  json.EndArray();
  json.EndObject();
  return out;
}

}  // namespace fiscdex::report
