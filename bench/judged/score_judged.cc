// Scores three ways of finding lines against a judged set (README.md):
//   fiscdex    the fiscdex_mecab tokenizer with today's rules, in a real
//              SQLite FTS5 table, queried through index::ToFtsQuery;
//   substring  the NFKC-folded query as a substring of the NFKC-folded line;
//   mecab-v1   the same FTS5 table tokenized with token rules 1 (MeCab
//              morphemes and dictionary forms only, no user dictionary), queried
//              as the query builder did before rules 2: the folded term as one
//              quoted phrase, without synonyms or prefixes.
// Usage: score_judged LINES.tsv QUERIES.tsv [--verbose]
// Prints recall and precision per query and in total (summed over queries)
// for each; exit status 1 when an input cannot be read, 2 on bad usage.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "index/fts_tokenizer.h"
#include "index/mecab_segmenter.h"
#include "index/query.h"
#include "index/sqlite_util.h"
#include "index/synonyms.h"
#include "normalize/normalize.h"

namespace {

using fiscdex::Result;
using fiscdex::Status;
namespace ix = fiscdex::index;

struct Line {
  int id = 0;
  std::string text;
};

struct Judged {
  std::string query;
  std::string kind;
  std::set<int> relevant;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) out.push_back(field);
  return out;
}

// The rows of a TSV file with `fields` fields each, '#' lines and empty lines
// skipped; a row of another width is an error naming file, line and `want`.
Result<std::vector<std::vector<std::string>>> ReadRows(const std::string& path, size_t fields,
                                                       std::string_view want) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::vector<std::vector<std::string>> rows;
  std::string row;
  int number = 0;
  while (std::getline(in, row)) {
    ++number;
    if (row.empty() || row[0] == '#') continue;
    std::vector<std::string> cells = SplitTabs(row);
    if (cells.size() != fields) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": want " +
                                     std::string(want));
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

Result<std::vector<Line>> ReadLines(const std::string& path) {
  ASSIGN_OR_RETURN(auto rows, ReadRows(path, 2, "id<TAB>text"));
  std::vector<Line> lines;
  for (const std::vector<std::string>& fields : rows) {
    lines.push_back(Line{std::stoi(fields[0]), fields[1]});
  }
  return lines;
}

Result<std::vector<Judged>> ReadQueries(const std::string& path) {
  ASSIGN_OR_RETURN(auto rows, ReadRows(path, 3, "query<TAB>kind<TAB>ids"));
  std::vector<Judged> queries;
  for (const std::vector<std::string>& fields : rows) {
    Judged judged{fields[0], fields[1], {}};
    if (fields[2] != "-") {
      std::stringstream ids(fields[2]);
      std::string id;
      while (std::getline(ids, id, ',')) judged.relevant.insert(std::stoi(id));
    }
    queries.push_back(std::move(judged));
  }
  return queries;
}

// An in-memory FTS5 table of the lines, tokenized by `segmenter`.
class FtsLines {
 public:
  static Result<std::unique_ptr<FtsLines>> Create(std::shared_ptr<ix::MecabSegmenter> segmenter,
                                                  const std::vector<Line>& lines) {
    ASSIGN_OR_RETURN(ix::DbPtr db, ix::OpenDatabase(":memory:"));
    RETURN_IF_ERROR(ix::RegisterFtsTokenizer(db.get(), std::move(segmenter)));
    RETURN_IF_ERROR(
        ix::Exec(db.get(), "CREATE VIRTUAL TABLE lines USING fts5(text, tokenize='fiscdex_mecab')"));
    ASSIGN_OR_RETURN(ix::Statement insert,
                     ix::Statement::Prepare(db.get(), "INSERT INTO lines(rowid, text) VALUES(?, ?)"));
    for (const Line& line : lines) {
      RETURN_IF_ERROR(insert.BindInt64(1, line.id));
      RETURN_IF_ERROR(insert.BindText(2, line.text));
      RETURN_IF_ERROR(insert.Run());
    }
    auto out = std::unique_ptr<FtsLines>(new FtsLines);
    out->db_ = std::move(db);
    return out;
  }

  Result<std::set<int>> Match(const std::string& fts_query) {
    ASSIGN_OR_RETURN(ix::Statement select,
                     ix::Statement::Prepare(db_.get(), "SELECT rowid FROM lines WHERE lines MATCH ?"));
    RETURN_IF_ERROR(select.BindText(1, fts_query));
    std::set<int> found;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      found.insert(select.ColumnInt(0));
    }
    return found;
  }

 private:
  FtsLines() = default;
  ix::DbPtr db_;
};

struct Tally {
  long relevant = 0;
  long found = 0;
  long hits = 0;
  void Add(const std::set<int>& relevant_ids, const std::set<int>& found_ids) {
    relevant += static_cast<long>(relevant_ids.size());
    found += static_cast<long>(found_ids.size());
    for (int id : found_ids) hits += relevant_ids.count(id);
  }
  // An empty set of relevant lines is all found, and nothing found is all
  // correct: a query that rightly finds nothing scores 1 and 1.
  double Recall() const { return relevant == 0 ? 1.0 : static_cast<double>(hits) / relevant; }
  double Precision() const { return found == 0 ? 1.0 : static_cast<double>(hits) / found; }
};

std::string Ids(const std::set<int>& ids) {
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "-" : out;
}

int Run(int argc, char** argv) {
  if (argc < 3 || argc > 4 || (argc == 4 && std::string(argv[3]) != "--verbose")) {
    std::cerr << "usage: score_judged LINES.tsv QUERIES.tsv [--verbose]\n";
    return 2;
  }
  const bool verbose = argc == 4;
  auto lines = ReadLines(argv[1]);
  auto queries = ReadQueries(argv[2]);
  for (const Status& s : {lines.status(), queries.status()}) {
    if (!s.ok()) {
      std::cerr << "score_judged: " << s.ToString() << "\n";
      return 1;
    }
  }
  auto current = ix::MecabSegmenter::Create();
  ix::SegmenterOptions v1_options;
  v1_options.token_rules = 1;
  auto v1 = ix::MecabSegmenter::CreateWithDictionary(ix::MecabSegmenter::DefaultDictionaryDir(),
                                                     v1_options);
  for (const Status& s : {current.status(), v1.status()}) {
    if (!s.ok()) {
      std::cerr << "score_judged: " << s.ToString() << "\n";
      return 1;
    }
  }
  auto fts_current = FtsLines::Create(*current, *lines);
  auto fts_v1 = FtsLines::Create(*v1, *lines);
  for (const Status& s : {fts_current.status(), fts_v1.status()}) {
    if (!s.ok()) {
      std::cerr << "score_judged: " << s.ToString() << "\n";
      return 1;
    }
  }
  std::vector<std::string> folded_lines;
  for (const Line& line : *lines) folded_lines.push_back(fiscdex::normalize::FoldForSearch(line.text));

  const char* names[] = {"fiscdex", "substring", "mecab-v1"};
  std::map<std::string, Tally> totals;
  std::printf("%-24s %-12s %5s | %-13s | %-13s | %-13s\n", "query", "kind", "rel", names[0],
              names[1], names[2]);
  for (const Judged& q : *queries) {
    std::set<int> found[3];
    auto fts_query = ix::ToFtsQuery(q.query);
    if (!fts_query.ok()) {
      std::cerr << "score_judged: " << fts_query.status().ToString() << "\n";
      return 1;
    }
    auto a = (*fts_current)->Match(*fts_query);
    // Before rules 2 a bare term was one quoted phrase: quoting it here, with
    // no synonyms, gives exactly that expression.
    std::string quoted = "\"" + q.query + "\"";
    auto v1_query = ix::ToFtsQuery(quoted, ix::Synonyms());
    if (!a.ok() || !v1_query.ok()) {
      std::cerr << "score_judged: " << q.query << ": "
                << (a.ok() ? v1_query.status() : a.status()).ToString() << "\n";
      return 1;
    }
    auto c = (*fts_v1)->Match(*v1_query);
    if (!c.ok()) {
      std::cerr << "score_judged: " << c.status().ToString() << "\n";
      return 1;
    }
    found[0] = *a;
    found[2] = *c;
    const std::string needle = fiscdex::normalize::FoldForSearch(q.query);
    for (size_t i = 0; i < lines->size(); ++i) {
      if (folded_lines[i].find(needle) != std::string::npos) found[1].insert((*lines)[i].id);
    }
    std::printf("%-24s %-12s %5zu |", q.query.c_str(), q.kind.c_str(), q.relevant.size());
    for (int s = 0; s < 3; ++s) {
      Tally one;
      one.Add(q.relevant, found[s]);
      totals[names[s]].Add(q.relevant, found[s]);
      std::printf(" R %.2f P %.2f |", one.Recall(), one.Precision());
    }
    std::printf("\n");
    if (verbose) {
      std::printf("    fts: %s\n    relevant %s; fiscdex %s; substring %s; mecab-v1 %s\n",
                  fts_query->c_str(), Ids(q.relevant).c_str(), Ids(found[0]).c_str(),
                  Ids(found[1]).c_str(), Ids(found[2]).c_str());
    }
  }
  std::printf("\n%zu queries, %zu lines; totals over all queries (line level):\n", queries->size(),
              lines->size());
  for (const char* name : names) {
    const Tally& t = totals[name];
    std::printf("  %-10s recall %.3f (%ld/%ld)  precision %.3f (%ld/%ld)\n", name, t.Recall(),
                t.hits, t.relevant, t.Precision(), t.hits, t.found);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
