// The batch behind `fiscdex ingest`: brings the index up to date with the
// files under some paths, reading only what changed.
//
// For each listed file, in this order of cost:
//   - same size and mtime as stored: unchanged, not even opened;
//   - read and hashed: the same content as stored (a touched file): only
//     the new size and mtime are stored;
//   - the content of a stored document whose file is gone: moved, the
//     document takes the new path, nothing is extracted again;
//   - otherwise parsed, normalized, extracted and tokenized, and stored in
//     one transaction that replaces any earlier version.
// With --prune, stored documents under the given folders whose files are
// gone are removed at the end.
//
// Reading, parsing, extracting and tokenizing run on `jobs` worker threads;
// the calling thread is the only writer (SQLite has one writer anyway) and
// the only one to call the observer. At most about 2 x jobs documents are in
// memory at once, whatever the corpus size.
#ifndef FISCDEX_TOOLS_INGEST_BATCH_H_
#define FISCDEX_TOOLS_INGEST_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "ingest/ingest.h"

namespace fiscdex::cli {

struct BatchOptions {
  std::vector<std::string> paths;
  ingest::LoadOptions load;
  int jobs = 1;  // 1: everything on the calling thread
  bool prune = false;
  // --as VENDOR: the vendor of every file of this run (index::DocumentInput::
  // declared_vendor), also of files that did not change.
  std::optional<std::string> declared_vendor;
  // Called after the files are listed, before any is read: lets a test
  // change the tree under a running batch at a known point.
  std::function<void()> after_listing;
};

enum class FileOutcome { kAdded, kUpdated, kMoved, kUnchanged, kRemoved, kFailed };

// What became of one file (or, kRemoved, of one stored document).
struct FileReport {
  FileOutcome outcome = FileOutcome::kFailed;
  std::string path;        // as listed; kRemoved: as stored
  std::string moved_from;  // kMoved: the stored path it had
  std::string reason;      // kFailed
  std::vector<std::string> warnings;
  size_t records = 0;
  size_t passages = 0;
  uint64_t bytes_read = 0;
};

class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  // The work ahead, once the files are listed: how many, and how many of
  // them (and bytes) must be read.
  virtual void OnPlan(size_t files, size_t files_to_read, uint64_t bytes_to_read) = 0;
  virtual void OnFile(const FileReport& report) = 0;
};

struct BatchSummary {
  size_t added = 0;
  size_t updated = 0;
  size_t moved = 0;
  size_t unchanged = 0;
  size_t removed = 0;
  size_t failed = 0;
  uint64_t bytes_read = 0;
  // Set when the index could not be written (disk full, read-only, I/O
  // error): the batch stopped there. Every document committed before is
  // whole; the one being written is not in the index.
  Status fatal;
};

BatchSummary RunIngestBatch(index::Index* index, const BatchOptions& options,
                            BatchObserver* observer);

}  // namespace fiscdex::cli

#endif  // FISCDEX_TOOLS_INGEST_BATCH_H_
