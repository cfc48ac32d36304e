// What every view of the assessment (the commands show, coverage, criteria,
// diff and export, and the HTML report) reads from an index: the indexed
// documents grouped into vendors and versions (assess/versions.h), the
// choice of documents a view shows, and the coverage matrix.
#ifndef FISCDEX_VIEWS_ASSESSMENT_VIEWS_H_
#define FISCDEX_VIEWS_ASSESSMENT_VIEWS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "assess/status.h"
#include "assess/versions.h"
#include "base/status.h"
#include "index/index.h"

namespace fiscdex::views {

struct Catalog {
  std::vector<index::DocumentSummary> documents;  // by path
  std::vector<assess::DocumentVersion> versions;  // same order
  // Index into documents by documents.id.
  std::map<int64_t, size_t> by_id;

  const index::DocumentSummary& Document(int64_t id) const { return documents[by_id.at(id)]; }
  const assess::DocumentVersion& Version(int64_t id) const { return versions[by_id.at(id)]; }
};

Result<Catalog> LoadCatalog(index::Index* index);

// Which documents a view shows.
struct Selection {
  bool all_versions = false;                 // else the latest of each whitepaper
  std::vector<std::string> vendors;          // matched by assess::VendorKey; empty: all
  std::optional<int> edition;
};

// From the command line: --vendor A,B (names or parts of names), --edition
// N, --all-versions. InvalidArgument for an edition that is no number.
Result<Selection> MakeSelection(const std::string& vendors, const std::string& edition,
                                bool all_versions);

// How each status, and "missing", is shown: a two-letter code in terminal
// tables, and in the HTML report a cell letter (of its data), a glyph (so a
// heatmap reads without colour; ○△×− as Japanese check sheets have them) and
// a Japanese label. The order is the report's, of its legend and counts.
struct StatusDisplay {
  std::string_view key;    // assess::StatusName, or "missing"
  std::string_view code2;  // IM PA PR CU NA BL RT RF --
  char letter;
  std::string_view glyph;
  std::string_view label;
};
const std::vector<StatusDisplay>& StatusDisplays();
// Null for a key that is neither a status nor "missing".
const StatusDisplay* FindStatusDisplay(std::string_view key);

// Two-letter codes of the statuses for terminal tables (IM PA PR CU NA BL RT
// RF; -- missing; blank when not in the document's edition) and a legend.
std::string_view StatusCode2(std::string_view status);
std::string StatusLegend();

// The documents chosen, primary copies only (the same content in a second
// format is left out), ordered by vendor, whitepaper and version. Errors:
// NotFound naming a vendor that matches no indexed document (and the
// vendors there are).
Result<std::vector<int64_t>> SelectDocuments(const Catalog& catalog, const Selection& selection);

// A column heading for a document: its vendor, with the version when the
// view shows several of one whitepaper, or the file name when a vendor has
// several whitepapers.
std::string ColumnLabel(const Catalog& catalog, int64_t id, bool with_version);

// Criteria × documents.
struct Coverage {
  std::vector<int64_t> documents;                 // columns
  std::vector<std::string> criteria;              // rows, in standard order
  // status per (criterion, document); absent: the document never mentions it.
  std::map<std::pair<std::string, int64_t>, assess::AnswerStatus> cells;
  std::map<std::string, std::string> titles;      // the most common title per criterion
  // Editions whose universe (the union of IDs their documents hold) made
  // the rows; documents of unknown edition count under -1.
  std::vector<int> editions;
  std::map<int, std::set<std::string>> universe;  // edition -> every ID seen in it

  // "" when the document's edition does not have the criterion; "missing"
  // when it does but the document never mentions it; else the status.
  std::string Cell(const Catalog& catalog, const std::string& criterion, int64_t document) const;

  // How many of the document's cells have each status (and "missing"); the
  // missing criteria, in row order, into `missing` when it is given.
  std::map<std::string, int> Counts(const Catalog& catalog, int64_t document,
                                    std::vector<std::string>* missing = nullptr) const;
};

Result<Coverage> BuildCoverage(index::Index* index, const Catalog& catalog,
                               const std::vector<int64_t>& documents,
                               const std::optional<std::string>& family);

}  // namespace fiscdex::views

#endif  // FISCDEX_VIEWS_ASSESSMENT_VIEWS_H_
