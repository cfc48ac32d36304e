// `fiscdex search QUERY...`: BM25-ranked hits from the index.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "index/index.h"
#include "index/synonyms.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "base/json.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 10000;
constexpr int kMaxOffset = 1000000;

struct SearchCommandOptions {
  std::string query;
  index::SearchOptions search;
  bool count = false;
  bool json = false;
  std::shared_ptr<const index::Synonyms> synonyms;  // options.search points at it
};

// `value` as a whole number from `min` to `max`, or an error naming `flag`.
Result<int> ParseNumber(std::string_view flag, const std::string& value, int min, int max) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (ec != std::errc() || ptr != end || number < min || number > max) {
    return Status::InvalidArgument(std::string(flag) + " wants a number from " +
                                   std::to_string(min) + " to " + std::to_string(max) +
                                   ", not '" + value + "'");
  }
  return number;
}

Result<SearchCommandOptions> ParseSearchOptions(const std::vector<std::string>& args) {
  SearchCommandOptions options;
  options.search.limit = kDefaultLimit;
  std::string limit, offset, vendor, document, edition, id, family, synonyms, status;
  std::vector<std::string> words;
  RETURN_IF_ERROR(ParseFlags(args,
                             {{.name = "--limit", .value = &limit},
                              {.name = "--offset", .value = &offset},
                              {.name = "--vendor", .value = &vendor},
                              {.name = "--document", .value = &document},
                              {.name = "--edition", .value = &edition},
                              {.name = "--id", .value = &id},
                              {.name = "--family", .value = &family},
                              {.name = "--status", .value = &status},
                              {.name = "--synonyms", .value = &synonyms},
                              {.name = "--count", .present = &options.count},
                              {.name = "--json", .present = &options.json}},
                             &words));
  if (!limit.empty()) {
    ASSIGN_OR_RETURN(options.search.limit, ParseNumber("--limit", limit, 1, kMaxLimit));
  }
  if (!offset.empty()) {
    ASSIGN_OR_RETURN(options.search.offset, ParseNumber("--offset", offset, 0, kMaxOffset));
  }
  if (!edition.empty()) {
    ASSIGN_OR_RETURN(options.search.edition, ParseNumber("--edition", edition, 1, 999));
  }
  if (!vendor.empty()) options.search.vendor = vendor;
  // Stored paths are absolute (see StoredPath), as ingest stored them.
  if (!document.empty()) options.search.document = StoredPath(document);
  if (!id.empty() && !family.empty()) {
    return Status::InvalidArgument("--id and --family cannot be used together");
  }
  if (!id.empty()) options.search.criterion_id = id;
  if (!family.empty()) options.search.family = family;
  if (!status.empty()) {
    options.search.status = assess::ParseStatus(status);
    if (!options.search.status) {
      return Status::InvalidArgument("--status " + status +
                                     ": not a status (implemented, partial, provider, customer, "
                                     "not_applicable, blank, retired, reference)");
    }
  }
  // The user's list (this file, else ~/.config/fiscdex/synonyms.txt when it
  // exists) merged over the default one; a bad line stops the search.
  ASSIGN_OR_RETURN(index::Synonyms groups, index::LoadSynonyms(synonyms));
  options.synonyms = std::make_shared<index::Synonyms>(std::move(groups));
  options.search.synonyms = options.synonyms.get();
  options.query = JoinWords(words);
  if (options.query.empty()) return Status::InvalidArgument("no QUERY given");
  return options;
}

// Replaces the «» match marks for a terminal (bold) and flattens line
// breaks so each snippet stays on one line.
std::string RenderSnippet(std::string_view snippet, bool bold) {
  static constexpr std::string_view kOpen = "«";
  static constexpr std::string_view kClose = "»";
  std::string out;
  out.reserve(snippet.size() + 16);
  for (size_t i = 0; i < snippet.size();) {
    if (bold && snippet.compare(i, kOpen.size(), kOpen) == 0) {
      out += "\x1b[1m";
      i += kOpen.size();
    } else if (bold && snippet.compare(i, kClose.size(), kClose) == 0) {
      out += "\x1b[0m";
      i += kClose.size();
    } else if (snippet[i] == '\n' || snippet[i] == '\r' || snippet[i] == '\t') {
      out += ' ';
      ++i;
    } else {
      out += snippet[i++];
    }
  }
  return out;
}

std::string HumanHits(const std::vector<index::SearchHit>& hits, int offset, bool bold) {
  std::string out;
  int rank = offset;
  for (const index::SearchHit& hit : hits) {
    out += std::to_string(++rank);
    out += ".  ";
    out += hit.vendor.value_or("-");
    out += "  ";
    out += hit.criterion_id.value_or("-");
    out += "  ";
    out += DisplayPath(hit.document);
    out += "  p.";
    out += std::to_string(hit.page);
    out += "\n    ";
    out += RenderSnippet(hit.snippet, bold);
    out += '\n';
  }
  return out;
}

std::string JsonHits(const std::string& query, const std::vector<index::SearchHit>& hits) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("query").String(query);
  json.Key("hits").BeginArray(/*one_per_line=*/true);
  for (const index::SearchHit& hit : hits) {
    json.BeginObject();
    json.Key("document").String(DisplayPath(hit.document));
    json.Key("vendor").OptionalString(hit.vendor);
    json.Key("id").OptionalString(hit.criterion_id);
    json.Key("page").Int(hit.page);
    json.Key("snippet").String(hit.snippet);
    json.Key("score").Double(hit.score);
    json.EndObject();
  }
  json.EndArray().EndObject();
  out += '\n';
  return out;
}

// Bold on a terminal unless the user opted out of styling (no-color.org).
bool UseBold() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  if (no_color != nullptr && *no_color != '\0') return false;
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return IsTerminal(stdout);
}

}  // namespace

int RunSearch(const GlobalOptions& global, const std::vector<std::string>& args) {
  Result<SearchCommandOptions> parsed = ParseSearchOptions(args);
  if (!parsed.ok()) return UsageError("search", parsed.status().message());
  const SearchCommandOptions& options = *parsed;

  std::unique_ptr<index::Index> index = OpenExistingIndex(global);
  if (index == nullptr) return kExitUsage;
  // Searched anyway, with a warning: the tokens of two dictionaries mostly
  // agree, so most hits are still found, and a reader who cannot write the
  // index (or must not, while an ingest runs) still gets an answer. The
  // line says why hits may be missing and what mends it.
  if (std::optional<std::string> mismatch = index->DictionaryMismatch()) {
    PrintError(global.db_path, "warning: " + *mismatch);
  }

  // Errors in the query or the filters are the user's (exit 2).
  auto report = [&](const Status& status) {
    if (status.code() == StatusCode::kInvalidArgument) {
      PrintError("query \"" + options.query + "\"", status.ToString());
      return kExitUsage;
    }
    PrintError(global.db_path, status.ToString());
    return kExitFailed;
  };

  if (options.count) {
    Result<index::MatchCounts> counts = index->CountMatches(options.query, options.search);
    if (!counts.ok()) return report(counts.status());
    std::string out;
    if (options.json) {
      JsonWriter json(&out);
      json.BeginObject();
      json.Key("query").String(options.query);
      json.Key("documents").Int(counts->documents);
      json.Key("records").Int(counts->records);
      json.Key("passages").Int(counts->passages);
      json.EndObject();
      out += '\n';
    } else {
      out = std::to_string(counts->documents) + " documents, " +
            std::to_string(counts->records) + " records, " + std::to_string(counts->passages) +
            " passages\n";
    }
    return WriteStdout(out) ? kExitOk : kExitFailed;
  }

  Result<std::vector<index::SearchHit>> hits = index->Search(options.query, options.search);
  if (!hits.ok()) return report(hits.status());
  if (hits->empty() && !global.quiet) std::fputs("no hits\n", stderr);
  const std::string out =
      options.json ? JsonHits(options.query, *hits)
                   : HumanHits(*hits, options.search.offset, UseBold());
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
