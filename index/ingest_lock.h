// One ingest at a time per index. SQLite would let two ingests interleave
// their documents, but each would prune and count as if alone, and the
// second would spend its busy timeout waiting at every document. The lock
// is flock() on "<index>.lock" beside the index: the kernel releases it
// when the holder exits, however it dies (SIGKILL included), so a crashed
// ingest never leaves a stale lock. The file holds the holder's pid, for
// the message of the ingest that finds it taken.
#ifndef FISCDEX_INDEX_INGEST_LOCK_H_
#define FISCDEX_INDEX_INGEST_LOCK_H_

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"

namespace fiscdex::index {

class IngestLock {
 public:
  // Takes the lock of the index at `index_path`. When another process holds
  // it: with `wait`, calls `on_wait(pid)` once and blocks until it is free;
  // without, fails at once with IoError "index is locked by another ingest
  // (pid N)". Errors: IoError when the lock file cannot be created (e.g. a
  // read-only folder).
  static Result<IngestLock> Acquire(const std::string& index_path, bool wait,
                                    const std::function<void(int64_t pid)>& on_wait);

  IngestLock(IngestLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  IngestLock& operator=(IngestLock&&) = delete;
  IngestLock(const IngestLock&) = delete;
  IngestLock& operator=(const IngestLock&) = delete;
  ~IngestLock();

  static std::string LockPath(const std::string& index_path) { return index_path + ".lock"; }

 private:
  explicit IngestLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace fiscdex::index

#endif  // FISCDEX_INDEX_INGEST_LOCK_H_
