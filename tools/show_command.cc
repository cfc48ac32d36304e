// `fiscdex show ID`: every indexed vendor's answer to one criterion.
#include <algorithm>
#include <set>
#include <cstdio>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "base/json.h"
#include "tools/terminal.h"
#include "tools/view_command.h"

namespace fiscdex::cli {
namespace {

// Answers wrap to the terminal, but never wider than is comfortable to read.
constexpr int kMaxColumns = 100;
constexpr int kIndent = 4;

struct ShowOptions {
  std::string id;  // canonical
  bool json = false;
  bool all_versions = false;
};

Result<ShowOptions> ParseShowOptions(const std::vector<std::string>& args) {
  ShowOptions options;
  std::vector<std::string> words;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--json", .present = &options.json},
                              {.name = "--all-versions", .present = &options.all_versions}},
                             &words));
  // "実 ８" may arrive as one argument or as two.
  const std::string text = JoinWords(words);
  if (text.empty()) return Status::InvalidArgument("no ID given");
  std::optional<std::string> id = extract::ParseCriterionId(text);
  if (!id) {
    return Status::InvalidArgument("ID \"" + text +
                                   "\": not a criterion ID (like 統1, 実8, 設83-1)");
  }
  options.id = std::move(*id);
  return options;
}

std::string HumanAnswers(const std::vector<index::CriterionAnswer>& answers, int columns) {
  std::string out;
  const std::string indent(kIndent, ' ');
  for (const index::CriterionAnswer& answer : answers) {
    if (!out.empty()) out += '\n';
    out += "■ ";
    out += answer.vendor.value_or("(vendor unknown)");
    out += "\n  document: ";
    out += DisplayPath(answer.document);
    out += "  p.";
    out += std::to_string(answer.page);
    out += '\n';
    if (answer.title) {
      out += "  title:    ";
      out += *answer.title;
      out += '\n';
    }
    if (answer.group.size() > 1) {
      out += "  group:    ";
      out += JoinWords(answer.group);
      out += '\n';
    }
    out += "  status:   ";
    out += assess::StatusName(answer.status.status);
    if (!answer.status.evidence.empty()) {
      out += "  «";
      out += answer.status.evidence;
      out += "»";
    }
    out += '\n';
    out += "  answer:\n";
    if (answer.answer.empty()) {
      out += indent + "(empty)\n";
      continue;
    }
    for (const std::string& line : WrapText(answer.answer, columns - kIndent)) {
      out += indent;
      out += line;
      out += '\n';
    }
  }
  return out;
}

std::string JsonAnswers(const std::string& id, const std::vector<index::CriterionAnswer>& answers) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("id").String(id);
  json.Key("answers").BeginArray(/*one_per_line=*/true);
  for (const index::CriterionAnswer& answer : answers) {
    json.BeginObject();
    json.Key("document").String(DisplayPath(answer.document));
    json.Key("vendor").OptionalString(answer.vendor);
    json.Key("title").OptionalString(answer.title);
    json.Key("answer").String(answer.answer);
    json.Key("group").StringArray(answer.group);
    json.Key("page").Int(answer.page);
    assess::WriteStatusFields(answer.status, &json);
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace

int RunShow(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<ShowOptions> parsed = ParseShowOptions(args);
  if (!parsed.ok()) return UsageError("show", parsed.status().message());
  const ShowOptions& options = *parsed;

  // One answer per whitepaper: its latest version's (the primary copy of
  // it, when the same content is indexed in two formats).
  View view;
  Selection selection;
  selection.all_versions = options.all_versions;
  if (int code = OpenView(global, "show", selection, &view); code != kExitOk) {
    return code;
  }
  Result<std::vector<index::CriterionAnswer>> answers = view.index->AnswersFor(options.id);
  if (!answers.ok()) {
    PrintError(global.db_path, answers.status().ToString());
    return kExitFailed;
  }
  const std::set<int64_t> keep(view.documents.begin(), view.documents.end());
  std::erase_if(*answers, [&](const index::CriterionAnswer& a) { return !keep.count(a.document_id); });
  for (index::CriterionAnswer& a : *answers) {
    a.vendor = view.catalog.Version(a.document_id).vendor;
  }
  if (answers->empty() && !global.quiet) {
    PrintError(options.id, "no answers in the index");
  }
  const int columns = std::min(TerminalColumns(stdout, 80), kMaxColumns);
  const std::string out =
      options.json ? JsonAnswers(options.id, *answers) : HumanAnswers(*answers, columns);
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
