// Finding input files and reading them from disk (POSIX calls: the walk
// needs device and inode numbers to recognise symlink loops, and errors
// must become Status values, never exceptions).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/sha256.h"
#include "ingest/ingest.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest {
namespace {

using FileId = std::pair<dev_t, ino_t>;

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The one place an errno becomes a Status.
Status ErrnoStatus(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return Status::NotFound("no such file or directory");
    case EACCES:
    case EPERM:
      return Status::IoError("permission denied");
    case ELOOP:
      return Status::IoError("symbolic link loop, not followed");
    default:
      return Status::IoError(std::strerror(error));
  }
}

// Folders hold more than documents; these are the names worth reading.
bool IsDocumentName(std::string_view name) {
  static constexpr std::string_view kExtensions[] = {"txt", "text", "md",  "markdown", "html",
                                                     "htm", "csv",  "tsv", "pdf"};
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return true;
  const std::string ext = internal::AsciiLowerCopy(name.substr(dot + 1));
  return std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions);
}

std::string JoinPath(const std::string& dir, std::string_view name) {
  std::string path = dir;
  if (path.empty() || path.back() != '/') path.push_back('/');
  path.append(name);
  return path;
}

// A size for messages, with its unit: "256 MB", "1.5 MB". Below 1 MB in
// KB, below 1 KB in bytes: in MB, a limit such as --max-bytes 1K and the
// file it skipped both read "0.00 MB".
std::string SizeText(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  const bool in_mb = bytes >= 1024 * 1024;
  const double value = static_cast<double>(bytes) / (in_mb ? 1024.0 * 1024.0 : 1024.0);
  char buffer[32];
  if (value >= 10 || value == std::floor(value)) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  }
  return std::string(buffer) + (in_mb ? " MB" : " KB");
}

int64_t ModificationTimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

class Walker {
 public:
  using ErrorFn = std::function<void(const std::string& path, const Status& status)>;

  explicit Walker(const ErrorFn& on_error) : on_error_(on_error) {}

  void AddPath(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      ReportStatFailure(path, errno);
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      const size_t before = files_.size();
      if (WalkDirectory(path, st) && files_.size() == before) {
        on_error_(path, Status::Empty("no files to index in this folder"));
      }
    } else if (S_ISREG(st.st_mode)) {
      AddFile(path, st);  // named explicitly: read whatever its name
    } else {
      on_error_(path, Status::Unsupported("not a regular file"));
    }
  }

  std::vector<InputFile> TakeFiles() { return std::move(files_); }

 private:
  void ReportStatFailure(const std::string& path, int error) {
    struct stat link;
    if (error == ENOENT && lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      on_error_(path, Status::NotFound("broken symbolic link"));
    } else {
      on_error_(path, ErrnoStatus(error));
    }
  }

  void AddFile(const std::string& path, const struct stat& st) {
    // The same file reached twice (a symlink beside its target) is read once.
    if (seen_files_.insert(FileId(st.st_dev, st.st_ino)).second) {
      files_.push_back({path, static_cast<uint64_t>(st.st_size), ModificationTimeNs(st)});
    }
  }

  // Returns false when the folder was not walked (a loop, a repeat, an error).
  bool WalkDirectory(const std::string& dir, const struct stat& st) {
    const FileId id(st.st_dev, st.st_ino);
    if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) {
      on_error_(dir, Status::IoError("symbolic link loop, not followed"));
      return false;
    }
    // A folder reached through a second symlink is walked once.
    if (!seen_dirs_.insert(id).second) return false;
    DirPtr handle(opendir(dir.c_str()));
    if (!handle) {
      on_error_(dir, ErrnoStatus(errno));
      return false;
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = readdir(handle.get())) {
      if (entry->d_name[0] == '.') continue;  // hidden, and "." and ".."
      names.emplace_back(entry->d_name);
    }
    if (errno != 0) on_error_(dir, ErrnoStatus(errno));
    handle.reset();
    std::sort(names.begin(), names.end());

    ancestors_.push_back(id);
    for (const std::string& name : names) {
      const std::string child = JoinPath(dir, name);
      struct stat child_st;
      if (stat(child.c_str(), &child_st) != 0) {
        ReportStatFailure(child, errno);
        continue;
      }
      if (S_ISDIR(child_st.st_mode)) {
        WalkDirectory(child, child_st);
      } else if (S_ISREG(child_st.st_mode) && IsDocumentName(name)) {
        AddFile(child, child_st);
      }
    }
    ancestors_.pop_back();
    return true;
  }

  const ErrorFn& on_error_;
  std::vector<InputFile> files_;
  std::set<FileId> seen_files_;
  std::set<FileId> seen_dirs_;
  std::vector<FileId> ancestors_;
};

}  // namespace

std::vector<InputFile> ListInputFiles(
    const std::vector<std::string>& paths,
    const std::function<void(const std::string& path, const Status& status)>& on_error) {
  Walker walker(on_error);
  for (const std::string& path : paths) walker.AddPath(path);
  return walker.TakeFiles();
}

Result<FileContent> ReadFileContent(const std::string& path, const LoadOptions& options) {
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(errno);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno);
  if (S_ISDIR(st.st_mode)) return Status::Unsupported("is a directory");
  if (!S_ISREG(st.st_mode)) return Status::Unsupported("not a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  auto too_big = [&](uint64_t bytes) {
    return Status::Unsupported("file is " + SizeText(bytes) + ", over the --max-bytes limit of " +
                               SizeText(options.max_bytes) + ": skipped");
  };
  if (size > options.max_bytes) return too_big(size);

  FileContent content;
  content.path = path;
  content.mtime_ns = ModificationTimeNs(st);
  std::string& bytes = content.bytes;
  // One byte more than the size, so that a file that has not grown since
  // fstat is read in one pass without growing the buffer (which would hold
  // up to twice the file for a moment).
  bytes.resize(size + 1);
  size_t filled = 0;
  while (true) {
    if (filled == bytes.size()) {
      // The file has grown since fstat: keep reading, within the limit.
      if (bytes.size() > options.max_bytes) return too_big(bytes.size());
      bytes.resize(bytes.size() + 64 * 1024);
    }
    const ssize_t n = read(fd.get(), bytes.data() + filled, bytes.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  bytes.resize(filled);
  if (bytes.size() > options.max_bytes) return too_big(bytes.size());
  content.content_hash = Sha256Hex(bytes);
  return content;
}

Result<Document> LoadFile(const std::string& path, const LoadOptions& options) {
  ASSIGN_OR_RETURN(FileContent content, ReadFileContent(path, options));
  return ParseFileContent(std::move(content), options);
}

}  // namespace fiscdex::ingest
