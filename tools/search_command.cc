// `fiscdex search QUERY...`: BM25-ranked hits from the index.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "index/index.h"
#include "tools/cli.h"
#include "tools/command.h"
#include "base/json.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 10000;

struct SearchOptions {
  std::string query;
  int limit = kDefaultLimit;
  bool json = false;
};

Result<SearchOptions> ParseSearchOptions(const std::vector<std::string>& args) {
  SearchOptions options;
  std::string limit;
  std::vector<std::string> words;
  RETURN_IF_ERROR(ParseFlags(
      args, {{.name = "--limit", .value = &limit}, {.name = "--json", .present = &options.json}},
      &words));
  if (!limit.empty()) {
    const char* end = limit.data() + limit.size();
    auto [ptr, ec] = std::from_chars(limit.data(), end, options.limit);
    if (ec != std::errc() || ptr != end || options.limit < 1 || options.limit > kMaxLimit) {
      return Status::InvalidArgument("--limit wants a number from 1 to " +
                                     std::to_string(kMaxLimit) + ", not '" + limit + "'");
    }
  }
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

std::string HumanHits(const std::vector<index::SearchHit>& hits, bool bold) {
  std::string out;
  int rank = 0;
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
  Result<SearchOptions> parsed = ParseSearchOptions(args);
  if (!parsed.ok()) return UsageError("search", parsed.status().message());
  const SearchOptions& options = *parsed;

  std::unique_ptr<index::Index> index = OpenExistingIndex(global);
  if (index == nullptr) return kExitUsage;

  Result<std::vector<index::SearchHit>> hits = index->Search(options.query, options.limit);
  if (!hits.ok()) {
    if (hits.status().code() == StatusCode::kInvalidArgument) {
      PrintError("query \"" + options.query + "\"", hits.status().ToString());
      return kExitUsage;
    }
    PrintError(global.db_path, hits.status().ToString());
    return kExitFailed;
  }
  if (hits->empty() && !global.quiet) std::fputs("no hits\n", stderr);
  const std::string out =
      options.json ? JsonHits(options.query, *hits) : HumanHits(*hits, UseBold());
  return WriteStdout(out) ? kExitOk : kExitFailed;
}

}  // namespace fiscdex::cli
