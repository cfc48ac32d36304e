#include "tools/cli.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "base/log.h"
#include "tools/command.h"
#include "tools/terminal.h"

namespace fiscdex::cli {
namespace {

constexpr std::string_view kDefaultDb = "fiscdex.db";

constexpr std::string_view kUsage =
    "usage: fiscdex [--db PATH] [--quiet | --verbose] COMMAND [ARGS...]\n"
    "       fiscdex --version\n"
    "\n"
    "Indexes vendor answers to the FISC security standard and searches them.\n"
    "\n"
    "commands:\n";

constexpr std::string_view kGlobalHelp =
    "\n"
    "global options (before or after the command):\n"
    "  --db PATH    the index file (default: $FISCDEX_DB, else ./fiscdex.db)\n"
    "  --quiet      print errors only\n"
    "  --verbose    print a line per file and informational messages\n"
    "  --help       this help; 'fiscdex COMMAND --help' for a command\n"
    "  --version    print the version\n"
    "\n"
    "exit codes: 0 ok, 1 some input failed, 2 usage error or unusable index\n";

// What each status means, in the help of every command that shows them.
#define FISCDEX_STATUS_HELP \
  "statuses (doc/status.md):\n" \
  "  implemented     the vendor does it; nothing is said to be missing\n" \
  "  partial         done with a stated exception, limitation, plan or study, or not done\n" \
  "  provider        left to the underlying cloud or data-centre provider\n" \
  "  customer        the financial institution (the customer) must act\n" \
  "  not_applicable  the criterion does not apply (対象外, 該当しない, N/A)\n" \
  "  blank           no answer: empty, or only a dash or placeholder\n" \
  "  retired         the standard retired the number (欠番)\n" \
  "  reference       the answer only points to another criterion's (実4と同じ)\n"

constexpr std::array<Command, 12> kCommands = {{
    {"ingest", "index files and folders, bringing the index up to date",
     "usage: fiscdex ingest [--jobs N] [--prune] [--json] [--no-wait]\n"
     "                      [--max-bytes SIZE] [--password PW] [--as VENDOR] PATH...\n"
     "\n"
     "Reads every file under the given files and folders (text, Markdown, HTML,\n"
     "CSV, PDF), extracts the FISC criterion answers and stores them in the\n"
     "index, one transaction per document. Only what changed is read again:\n"
     "a file with the size and mtime stored is skipped unopened, a file with\n"
     "the content stored is not extracted again, and a file moved or renamed\n"
     "keeps its records. A file that cannot be read is reported on stderr and\n"
     "the others go on. A PDF without a text layer (a scan) is indexed\n"
     "without text, with a warning. On a terminal a progress bar shows files\n"
     "done, MB/s and the time left.\n"
     "\n"
     "options:\n"
     "  --as VENDOR      the vendor of these files (overrides what the documents say;\n"
     "                   kept for them until another --as)\n"
     "  --jobs N          read and extract on N threads (default: one per core)\n"
     "  --prune           remove documents whose files are gone from the given\n"
     "                    folders (only under folders that exist now)\n"
     "  --json            print the summary as a JSON object on stdout: added,\n"
     "                    updated, moved, unchanged, removed, failed, bytes_read,\n"
     "                    seconds, error, failures, moves, removals, warnings\n"
     "  --no-wait         fail at once if another ingest is writing this index\n"
     "                    (default: wait for it to finish)\n"
     "  --max-bytes SIZE  skip larger files (default 256M; K, M, G suffixes)\n"
     "  --password PW     opens PDFs encrypted with this user password\n"
     "\n"
     "exit codes: 0 all files indexed, 1 some files failed, 2 usage error, or\n"
     "the index could not be opened, locked or written (disk full, read-only)\n"
     "\n"
     "example:\n"
     "  fiscdex ingest --prune /srv/whitepapers\n",
     RunIngest},
    {"search", "full-text search of the indexed documents",
     "usage: fiscdex search [--limit N] [--offset N] [--count] [--json]\n"
     "                      [--vendor V] [--document PATH] [--edition N]\n"
     "                      [--id ID | --family F] [--status S] [--synonyms FILE] QUERY...\n"
     "\n"
     "Prints the best matching criterion answers and passages, ranked by BM25\n"
     "over every match; an answer counts more than running text, and a word in\n"
     "a criterion's title more than one in its answer. The words of QUERY must\n"
     "all match (width, case and inflection do not matter); \"quoted phrases\"\n"
     "match in order; OR between words matches either. A query that is a\n"
     "criterion ID (実8) lists its answers first. Each snippet shows every\n"
     "word of the query that its text holds. Start a query that begins with\n"
     "'-' after '--'. If the index was made with another MeCab dictionary, a\n"
     "warning says so and the search goes on: run 'fiscdex reindex'.\n"
     "\n"
     "options:\n"
     "  --limit N        at most N hits (default 10)\n"
     "  --offset N       skip the best N hits first (default 0): the next page\n"
     "  --count          print how many documents, records and passages match\n"
     "                   instead of hits\n"
     "  --vendor V       only documents of vendor V (as 'fiscdex list' shows it)\n"
     "  --document PATH  only the document stored for PATH\n"
     "  --edition N      only documents answering FISC edition N\n"
     "  --id ID          only the records of criterion ID (no passages)\n"
     "  --status S       only criterion records whose answer has status S (implemented,\n"
     "                   partial, provider, customer, not_applicable, blank, retired,\n"
     "                   reference: see fiscdex coverage --help)\n"
     "  --family F       only the records of one family of IDs: 統, 実, 設,\n"
     "                   監, 運 or 技 (実務基準 = 実) (no passages)\n"
     "  --synonyms FILE  synonym groups merged over the default ones, one group\n"
     "                   per line, members separated by commas (default:\n"
     "                   ~/.config/fiscdex/synonyms.txt when it exists); a word\n"
     "                   of a group also finds the others: 多要素認証 finds MFA\n"
     "  --json           {\"query\", \"hits\": [{\"document\", \"vendor\", \"id\",\n"
     "                   \"page\", \"snippet\", \"score\"}]} on stdout; with --count,\n"
     "                   {\"query\", \"documents\", \"records\", \"passages\"}\n"
     "\n"
     "example:\n"
     "  fiscdex search 暗号鍵 管理\n"
     "  fiscdex search --family 実 --vendor サクラギ情報システム バックアップ\n"
     "  fiscdex search --offset 10 暗号鍵\n",
     RunSearch},
    {"extract", "print the criterion records of one file (no index)",
     "usage: fiscdex extract [--json] [--password PW] FILE\n"
     "\n"
     "Reads one file and prints the criterion records and document metadata\n"
     "the extractor finds in it, without touching the index.\n"
     "\n"
     "options:\n"
     "  --json    {\"source\", \"format\", \"encoding\", \"title\", \"vendor\",\n"
     "            \"edition\", \"date\", \"criteria\": [...]} on stdout\n"
     "  --password PW  opens a PDF encrypted with a user password\n"
     "\n"
     "example:\n"
     "  fiscdex extract --json whitepaper.txt\n",
     RunExtract},
    {"show", "every indexed answer to one criterion",
     "usage: fiscdex show [--all-versions] [--json] ID\n"
     "\n"
     "Prints each indexed document's answer to one criterion, a block per\n"
     "vendor, with the answer's status and the phrase that decided it. ID may\n"
     "be written in any form: 実8, 実 ８, 実務基準8, 【実8】.\n"
     "\n"
     "options:\n"
     "  --all-versions  every version of each whitepaper, not only the latest\n"
     "  --json          {\"id\", \"answers\": [{\"document\", \"vendor\", \"title\",\n"
     "                  \"answer\", \"group\", \"page\", \"status\", \"status_evidence\"}]}\n"
     "\n"
     FISCDEX_STATUS_HELP
     "\n"
     "example:\n"
     "  fiscdex show 実8\n",
     RunShow},
    {"list", "the indexed documents",
     "usage: fiscdex list [--json]\n"
     "\n"
     "Lists the indexed documents with vendor, FISC edition, date and counts.\n"
     "\n"
     "options:\n"
     "  --json    {\"documents\": [{\"path\", \"format\", \"encoding\", \"vendor\",\n"
     "            \"edition\", \"date\", \"records\", \"passages\", \"text\"}]} on stdout\n"
     "            (\"text\": false for a PDF without a text layer)\n"
     "\n"
     "example:\n"
     "  fiscdex list\n",
     RunList},
    {"coverage", "criteria × vendors: the status of every answer",
     "usage: fiscdex coverage [--family F] [--edition N] [--vendor V[,V...]] [--all-versions] [--json]\n"
     "\n"
     "One row per criterion, one column per vendor's whitepaper (its latest\n"
     "version unless --all-versions), each cell the status of the answer; then\n"
     "a summary per vendor with the criteria of its edition it never mentions\n"
     "(an edition's criteria are the IDs seen in any indexed document of it).\n"
     "\n"
     "options:\n"
     "  --family F      one family: 統, 実, 設, 監 (運, 技 for the 8th edition)\n"
     "  --edition N     documents of FISC edition N only\n"
     "  --vendor V,...  vendors whose name contains V (as declared with ingest --as, else found)\n"
     "  --all-versions  every version of each whitepaper, not only the latest\n"
     "  --json          {\"universe\", \"documents\": [{..., \"counts\", \"missing\"}],\n"
     "                  \"criteria\": [{\"id\", \"title\", \"cells\"}]} on stdout\n"
     "\n"
     FISCDEX_STATUS_HELP

     "\n"
     "example:\n"
     "  fiscdex coverage --family 実\n",
     RunCoverage},
    {"criteria", "every criterion ID known to the index",
     "usage: fiscdex criteria [--family F] [--edition N] [--vendor V] [--all-versions] [--json]\n"
     "\n"
     "Each criterion ID of the indexed documents with its most common title,\n"
     "how many vendors answer it and with which statuses.\n"
     "\n"
     FISCDEX_STATUS_HELP

     "\n"
     "example:\n"
     "  fiscdex criteria --family 統\n",
     RunCriteria},
    {"diff", "what changed between two versions of a whitepaper",
     "usage: fiscdex diff [--json] OLD NEW\n"
     "       fiscdex diff [--json] --vendor V\n"
     "\n"
     "Compares two indexed documents (paths as fiscdex list shows them), or the\n"
     "two latest versions of vendor V's whitepaper: criteria added and removed,\n"
     "status changes first, then answers that changed, marked within the text\n"
     "([-deleted-]{+inserted+}, or in colour on a terminal). Two documents of\n"
     "different vendors may be compared; a note says so.\n"
     "\n"
     "example:\n"
     "  fiscdex diff --vendor サクラギ\n",
     RunDiff},
    {"export", "records, coverage and summaries for Excel, CSV, JSON or OpenSearch",
     "usage: fiscdex export --format xlsx|csv|json|ndjson [--out FILE] [--view records|coverage|summary]\n"
     "                      [--family F] [--edition N] [--vendor V] [--all-versions]\n"
     "\n"
     "xlsx: one workbook (--out needed) with a sheet per view (summary,\n"
     "coverage, records), frozen header row, filters, status cells coloured.\n"
     "csv: as Excel opens it (UTF-8 with BOM, CRLF, every field quoted).\n"
     "json: one array of row objects. ndjson: records in the OpenSearch /\n"
     "Elasticsearch _bulk shape (doc/export.md, data/opensearch_template.json).\n"
     "Without --out, csv, json and ndjson go to stdout. --view picks one view\n"
     "(default records; an xlsx holds all three unless --view is given).\n"
     "\n"
     FISCDEX_STATUS_HELP

     "\n"
     "example:\n"
     "  fiscdex export --format xlsx --out assessment.xlsx\n",
     RunExport},
    {"report", "the assessment as one HTML page to hand on (works offline)",
     "usage: fiscdex report [--out FILE.html] [--vendor V[,V...]] [--family F] [--edition N]\n"
     "                      [--all-versions]\n"
     "\n"
     "Writes one self-contained HTML file: an overview per vendor, a coverage\n"
     "heatmap (criteria x vendors; a click shows the answer and the phrase\n"
     "that decided its status), every vendor's answer to one criterion, one\n"
     "vendor's answers with what changed since its previous version, and a\n"
     "filter box. Style and script are inline and the page makes no request,\n"
     "so it opens from a file or an e-mail attachment; it prints on A4 (the\n"
     "heatmap landscape). Document text is shown as text, never run.\n"
     "\n"
     "options:\n"
     "  --out FILE      where to write it (written whole, then renamed into\n"
     "                  place); without it the page goes to stdout, unless\n"
     "                  stdout is a terminal\n"
     "  --vendor V,...  vendors whose name contains V (may be repeated)\n"
     "  --family F      one family: 統, 実, 設, 監 (運, 技 for the 8th edition)\n"
     "  --edition N     documents of FISC edition N only\n"
     "  --all-versions  every version of each whitepaper as its own column\n"
     "\n"
     "SOURCE_DATE_EPOCH, when set, fixes the time the page says it was made.\n"
     "\n"
     FISCDEX_STATUS_HELP
     "\n"
     "example:\n"
     "  fiscdex report --family 実 --out assessment.html\n",
     RunReport},
    {"check", "verify the index",
     "usage: fiscdex check [--json]\n"
     "\n"
     "Verifies the index: SQLite's integrity check, FTS5's check of both\n"
     "full-text indexes against their tables, and that every document has\n"
     "all its passages and records. Waits for a running ingest to finish.\n"
     "Prints each problem on stderr; exits 1 if there is any.\n"
     "\n"
     "options:\n"
     "  --json    {\"ok\", \"documents\", \"passages\", \"records\", \"seconds\",\n"
     "            \"problems\": [...]} on stdout\n"
     "\n"
     "example:\n"
     "  fiscdex check\n",
     RunCheck},
    {"reindex", "re-tokenise the index with the dictionary at hand",
     "usage: fiscdex reindex\n"
     "\n"
     "Tokenises every passage and record of the index again, with the MeCab\n"
     "dictionary this fiscdex uses, in one transaction, and records that\n"
     "dictionary in the index. Needed when 'search' or 'ingest' says the index\n"
     "was made with another dictionary (or by a fiscdex that did not record\n"
     "it). Nothing is read from the documents' files. Waits for a running\n"
     "ingest.\n"
     "\n"
     "exit codes: 0 done, 2 the index could not be opened, locked or written\n"
     "(it is then as it was)\n"
     "\n"
     "example:\n"
     "  fiscdex --db /srv/fiscdex.db reindex\n",
     RunReindex},
}};

const Command* FindCommand(std::string_view name) {
  for (const Command& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string MainHelp() {
  std::string text(kUsage);
  for (const Command& command : kCommands) {
    text += "  ";
    text += command.name;
    text.append(10 - command.name.size(), ' ');
    text += command.summary;
    text += '\n';
  }
  text += kGlobalHelp;
  return text;
}

// Splits "--name=value" into name and value; `has_value` says whether '='
// was there.
std::string_view SplitOption(std::string_view arg, std::string_view* value, bool* has_value) {
  const size_t eq = arg.find('=');
  *has_value = arg.starts_with("--") && eq != std::string_view::npos;
  if (!*has_value) return arg;
  *value = arg.substr(eq + 1);
  return arg.substr(0, eq);
}

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

}  // namespace

Status ParseFlags(const std::vector<std::string>& args, std::initializer_list<Flag> flags,
                  std::vector<std::string>* positional) {
  std::vector<const Flag*> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional->insert(positional->end(), args.begin() + static_cast<ptrdiff_t>(i) + 1,
                         args.end());
      return Status::Ok();
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional->push_back(arg);
      continue;
    }
    std::string_view value;
    bool has_value = false;
    const std::string_view name = SplitOption(arg, &value, &has_value);
    const Flag* flag = nullptr;
    for (const Flag& candidate : flags) {
      if (candidate.name == name) flag = &candidate;
    }
    if (flag == nullptr) {
      return Status::InvalidArgument("unknown option '" + std::string(name) + "'");
    }
    if (flag->present != nullptr) {
      if (has_value) {
        return Status::InvalidArgument("option '" + std::string(name) + "' takes no value");
      }
      *flag->present = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 == args.size()) {
        return Status::InvalidArgument("option '" + std::string(name) + "' needs a value");
      }
      value = args[++i];
    }
    const bool again = std::find(given.begin(), given.end(), flag) != given.end();
    if (again && !flag->list) {
      // The last one winning would drop the first without a word.
      return Status::InvalidArgument("option '" + std::string(name) + "' given twice");
    }
    given.push_back(flag);
    if (again) {
      flag->value->append(",").append(value);
    } else {
      flag->value->assign(value);
    }
  }
  return Status::Ok();
}

void PrintError(std::string_view subject, std::string_view reason) {
  std::string line = "fiscdex: ";
  line += PrintableName(subject);
  line += ": ";
  line += reason;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

int UsageError(std::string_view command, std::string_view reason) {
  std::string text(reason);
  text += " (see 'fiscdex ";
  if (!command.empty()) {
    text += command;
    text += ' ';
  }
  text += "--help')";
  PrintError(command.empty() ? "usage" : command, text);
  return kExitUsage;
}

bool WriteStdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    PrintError("stdout", std::strerror(errno));
    return false;
  }
  return true;
}

std::unique_ptr<index::Index> OpenExistingIndex(const GlobalOptions& global) {
  std::error_code ec;
  if (!std::filesystem::exists(global.db_path, ec)) {
    PrintError(global.db_path, "no index here; run 'fiscdex ingest' first");
    return nullptr;
  }
  Result<std::unique_ptr<index::Index>> opened = index::Index::Open(global.db_path);
  if (!opened.ok()) {
    PrintError(global.db_path, opened.status().ToString());
    return nullptr;
  }
  return std::move(opened).value();
}

std::optional<index::IngestLock> LockIndex(const GlobalOptions& global, bool wait) {
  Result<index::IngestLock> lock =
      index::IngestLock::Acquire(global.db_path, wait, [&](int64_t pid) {
        if (global.quiet) return;
        PrintError(global.db_path, "waiting for another ingest" +
                                       (pid > 0 ? " (pid " + std::to_string(pid) + ")" : "") +
                                       " to finish");
      });
  if (!lock.ok()) {
    PrintError(global.db_path, lock.status().message());
    return std::nullopt;
  }
  return std::move(*lock);
}

std::string StoredPath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  return absolute.lexically_normal().string();
}

std::string DisplayPath(std::string_view stored) {
  // The current directory cannot change while the CLI runs.
  static const std::string cwd_prefix = [] {
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).string();
    if (ec || cwd.empty()) return std::string();
    if (cwd.back() != '/') cwd += '/';
    return cwd;
  }();
  if (!cwd_prefix.empty() && stored.size() > cwd_prefix.size() && stored.starts_with(cwd_prefix)) {
    return std::string(stored.substr(cwd_prefix.size()));
  }
  return std::string(stored);
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

int RunCli(int argc, char** argv) {
  GlobalOptions global;
  const char* env_db = std::getenv("FISCDEX_DB");
  global.db_path = (env_db != nullptr && *env_db != '\0') ? env_db : std::string(kDefaultDb);

  // Global options may stand before or after the command; everything else
  // after the command is the command's. "--" hands the rest to the command
  // untouched, so a query may contain "--db".
  const Command* command = nullptr;
  std::vector<std::string> command_args;
  bool help = false;
  bool version = false;
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_ended) {
      command_args.emplace_back(arg);
      continue;
    }
    std::string_view value;
    bool has_value = false;
    const std::string_view name = SplitOption(arg, &value, &has_value);
    if (name == "--db") {
      if (!has_value) {
        if (i + 1 == argc) return UsageError("", "option '--db' needs a value");
        value = argv[++i];
      }
      if (value.empty()) return UsageError("", "option '--db' needs a non-empty path");
      global.db_path.assign(value);
    } else if (arg == "--quiet" || arg == "-q") {
      global.quiet = true;
      global.verbose = false;
    } else if (arg == "--verbose" || arg == "-v") {
      global.verbose = true;
      global.quiet = false;
    } else if (command == nullptr) {
      if (IsHelp(arg)) {
        help = true;
      } else if (arg == "--version") {
        version = true;
      } else if (arg.starts_with("-")) {
        return UsageError("", "unknown option '" + std::string(name) + "'");
      } else {
        command = FindCommand(arg);
        if (command == nullptr) {
          return UsageError("", "unknown command '" + std::string(arg) + "'");
        }
      }
    } else {
      if (arg == "--") options_ended = true;
      if (IsHelp(arg)) help = true;
      command_args.emplace_back(arg);
    }
  }

  if (version) {
    return WriteStdout("fiscdex " FISCDEX_VERSION "\n") ? kExitOk : kExitFailed;
  }
  if (command == nullptr) {
    if (help) return WriteStdout(MainHelp()) ? kExitOk : kExitFailed;
    return UsageError("", "no command given");
  }
  if (help) return WriteStdout(command->help) ? kExitOk : kExitFailed;

  SetLogLevel(global.quiet     ? LogLevel::kError
              : global.verbose ? LogLevel::kInfo
                               : LogLevel::kWarning);
  return command->handler(global, command_args);
}

}  // namespace fiscdex::cli
