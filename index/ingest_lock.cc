#include "index/ingest_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace fiscdex::index {
namespace {

// The pid written by the holder; 0 when unreadable (it may be writing it).
int64_t ReadHolderPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return 0;
  return std::strtoll(buffer, nullptr, 10);
}

Status LockError(const std::string& lock_path, int error) {
  return Status::IoError("cannot lock the index (" + lock_path + "): " + std::strerror(error));
}

}  // namespace

Result<IngestLock> IngestLock::Acquire(const std::string& index_path, bool wait,
                                       const std::function<void(int64_t pid)>& on_wait) {
  const std::string lock_path = LockPath(index_path);
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return LockError(lock_path, errno);
  IngestLock lock(fd);
  int rc;
  while ((rc = flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
  }
  if (rc != 0) {
    if (errno != EWOULDBLOCK) return LockError(lock_path, errno);
    const int64_t pid = ReadHolderPid(fd);
    const std::string holder = pid > 0 ? " (pid " + std::to_string(pid) + ")" : "";
    if (!wait) return Status::IoError("index is locked by another ingest" + holder);
    if (on_wait) on_wait(pid);
    while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
    }
    if (rc != 0) return LockError(lock_path, errno);
  }
  // Without the pid the lock still holds; only the message of an ingest
  // that finds it taken loses it.
  const std::string pid = std::to_string(static_cast<int64_t>(getpid())) + "\n";
  if (ftruncate(fd, 0) == 0) {
    const ssize_t written = pwrite(fd, pid.data(), pid.size(), 0);
    static_cast<void>(written);
  }
  return lock;
}

IngestLock::~IngestLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace fiscdex::index
