// NDJSON export in the shape of OpenSearch's (and Elasticsearch's) _bulk
// API: for each row an action line and a source line, each ending in "\n":
//
//   {"index":{"_index":"fiscdex","_id":"5d41…"}}
//   {"document":"corpus/a.pdf","criterion_id":"実8","page":12,"columns":[…],…}
//
// The source object has one member per column, named by the column's
// field_name(), in column order: kText, kLongText and kStatus cells as JSON
// strings, kNumber cells as numbers, kJson cells as the JSON value they hold
// (re-written without whitespace, so it stays on one line); an empty cell
// of any kind is null, which OpenSearch indexes as a missing field (an
// empty string would be a parse error in a date field). Strings are UTF-8
// as given (base/json.h escapes; Japanese is not \u-escaped).
// One sheet per output (a second BeginSheet is an InvalidArgument); its
// field names must be distinct and not empty.
// data/opensearch_template.json is the index template for fiscdex records;
// doc/export.md shows how to load both.
#ifndef FISCDEX_EXPORT_NDJSON_H_
#define FISCDEX_EXPORT_NDJSON_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "export/table.h"

namespace fiscdex::exporting {

enum class IdForm {
  // Lower-case hex SHA-256 of the joined values: 64 characters whatever
  // the length of a path, and nothing to escape in a /_doc/<id> URL.
  kSha256,
  // The joined values themselves ("corpus/a.pdf#実8"): readable; a row
  // whose id is over OpenSearch's 512 bytes is an InvalidArgument.
  kVerbatim,
};

struct NdjsonOptions {
  // The _index of every action line: a valid OpenSearch index name
  // (lower case, no \ / * ? " < > | , # : or space, not starting with - _ +).
  std::string index;
  // The fields (by field_name) whose values make a row's _id, joined with
  // '#'. Empty: no _id, OpenSearch assigns one (and a second load adds the
  // records again instead of replacing them).
  std::vector<std::string> id_fields;
  IdForm id_form = IdForm::kSha256;
};

// Writes `path`, created (or truncated) here: a bad path is an IoError
// "<path>: <reason>". InvalidArgument for a bad index name.
Result<std::unique_ptr<TableSink>> OpenNdjson(const std::string& path, NdjsonOptions options);
// Writes to `out`, which the caller owns and keeps open (stdout); `name`
// stands for it in errors.
Result<std::unique_ptr<TableSink>> OpenNdjson(std::FILE* out, std::string name,
                                              NdjsonOptions options);

// The _id of a row whose id fields hold `values`. InvalidArgument when a
// value is empty or, for kVerbatim, the id is over 512 bytes.
Result<std::string> BulkId(const std::vector<std::string_view>& values, IdForm form);

// OK when OpenSearch accepts `name` as an index name.
Status CheckIndexName(std::string_view name);

}  // namespace fiscdex::exporting

#endif  // FISCDEX_EXPORT_NDJSON_H_
