#include "tools/ingest_batch.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "extract/extract.h"
#include "normalize/normalize.h"
#include "tools/command.h"

namespace fiscdex::cli {
namespace {

// A listed file that must be read.
struct WorkItem {
  std::string path;         // as listed
  std::string stored_path;  // as the index names it
  const index::StoredFile* stored = nullptr;  // the same path in the index, if any
};

enum class Action { kStore, kUpdateStat, kMove, kFail };

// A work item made ready for the writer.
struct Prepared {
  const WorkItem* item = nullptr;
  Action action = Action::kFail;
  Status error;             // kFail
  std::string moved_from;   // kMove
  uint64_t size_bytes = 0;  // as read
  int64_t mtime_ns = 0;
  index::DocumentInput input;  // kStore
  std::vector<std::string> warnings;
};

// True when nothing is at `path` any more (as opposed to a file that is
// there but could not be listed or read, which keeps its records).
bool IsGone(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

// Stored documents whose files are gone, by content hash: a new file with
// one of these hashes is that document moved. Each is claimed once.
class MoveCandidates {
 public:
  void Add(const index::StoredFile& stored) {
    by_hash_[stored.content_hash].push_back(stored.path);
  }
  bool empty() const { return by_hash_.empty(); }

  // A gone document's path with this content, taken for good; none: null.
  std::optional<std::string> Claim(const std::string& content_hash) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = by_hash_.find(content_hash);
    if (it == by_hash_.end() || it->second.empty()) return std::nullopt;
    std::string path = std::move(it->second.back());
    it->second.pop_back();
    claimed_.insert(path);
    return path;
  }
  bool WasClaimed(const std::string& path) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return claimed_.count(path) > 0;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::string>> by_hash_;
  std::unordered_set<std::string> claimed_;
};

// Reads one file and decides what the writer does with it. Never throws:
// the stages report errors as values, and this catch is the last line of
// defence so that a bug tripped by one odd document (or an allocation
// failure on a huge one) costs that document, not the batch.
Prepared Prepare(const WorkItem& item, const ingest::LoadOptions& load,
                 index::DocumentTokenizer* tokenizer, MoveCandidates* moves) noexcept {
  Prepared out;
  out.item = &item;
  try {
    Result<ingest::FileContent> content = ingest::ReadFileContent(item.path, load);
    if (!content.ok()) {
      out.error = content.status();
      return out;
    }
    out.size_bytes = content->bytes.size();
    out.mtime_ns = content->mtime_ns;
    if (item.stored != nullptr && item.stored->content_hash == content->content_hash) {
      out.action = Action::kUpdateStat;
      return out;
    }
    if (std::optional<std::string> from = moves->Claim(content->content_hash)) {
      out.action = Action::kMove;
      out.moved_from = std::move(*from);
      return out;
    }
    Result<ingest::Document> doc = ingest::ParseFileContent(std::move(*content), load);
    if (!doc.ok()) {
      out.error = doc.status();
      return out;
    }
    normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
    extract::Extraction extraction = extract::Extract(*doc, normalized);
    index::DocumentInput& input = out.input;
    input.path = item.stored_path;
    input.content_hash = std::move(doc->content_hash);
    input.format = ingest::FormatName(doc->format);
    input.encoding = std::move(doc->encoding);
    input.size_bytes = doc->size_bytes;
    input.mtime_ns = out.mtime_ns;
    input.page_count = doc->page_count;
    input.metadata = std::move(extraction.metadata);
    input.passages = std::move(normalized.passages);
    input.records = std::move(extraction.records);
    if (tokenizer != nullptr) {
      Result<std::shared_ptr<const index::DocumentTokens>> tokens = tokenizer->Tokenize(input);
      if (!tokens.ok()) {
        out.error = tokens.status();
        return out;
      }
      input.tokens = std::move(*tokens);
    }
    out.warnings = std::move(doc->warnings);
    out.action = Action::kStore;
  } catch (const std::exception& e) {
    out.action = Action::kFail;
    out.error = Status::Internal(e.what());
  } catch (...) {
    out.action = Action::kFail;
    out.error = Status::Internal("unknown exception");
  }
  return out;
}

constexpr int kWorkerNice = 5;

FileReport Outcome(FileOutcome outcome, std::string path) {
  FileReport report;
  report.outcome = outcome;
  report.path = std::move(path);
  return report;
}

// Lowers the calling thread's priority a little, relative to the process's
// (Linux threads have their own nice value). Failure changes only speed.
void YieldToTheWriter() {
  const id_t thread = static_cast<id_t>(gettid());
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, thread);
  if (nice == -1 && errno != 0) return;
  const int rc = setpriority(PRIO_PROCESS, thread, std::min(nice + kWorkerNice, 19));
  static_cast<void>(rc);
}

// An error of the index itself (not of the document being stored): every
// following write would fail the same way.
bool IsIndexFailure(const Status& status) {
  return status.code() == StatusCode::kIoError || status.code() == StatusCode::kCorrupt;
}

// Hands prepared documents from the workers to the writer, holding at most
// `capacity`, so that fast readers cannot fill memory ahead of the writer.
class PreparedQueue {
 public:
  explicit PreparedQueue(size_t capacity) : capacity_(capacity) {}

  // False when the writer has stopped taking (then `prepared` is dropped).
  bool Push(Prepared prepared) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(prepared));
    not_empty_.notify_one();
    return true;
  }
  // The next prepared document; none once every producer is done.
  std::optional<Prepared> Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || producers_ == 0; });
    if (items_.empty()) return std::nullopt;
    Prepared prepared = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return prepared;
  }
  void AddProducer() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++producers_;
  }
  void ProducerDone() {
    std::lock_guard<std::mutex> lock(mutex_);
    --producers_;
    not_empty_.notify_all();
  }
  // The writer stops: producers blocked in Push return.
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    items_.clear();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Prepared> items_;
  size_t capacity_;
  int producers_ = 0;
  bool closed_ = false;
};

class Batch {
 public:
  Batch(index::Index* index, const BatchOptions& options, BatchObserver* observer)
      : index_(index), options_(options), observer_(observer) {}

  BatchSummary Run() {
    Plan();
    if (summary_.fatal.ok() && options_.after_listing) options_.after_listing();
    if (summary_.fatal.ok()) {
      if (options_.jobs <= 1) {
        RunOnThisThread();
      } else {
        RunOnWorkers();
      }
    }
    if (summary_.fatal.ok() && options_.prune) Prune();
    return std::move(summary_);
  }

 private:
  void Report(FileReport report) {
    switch (report.outcome) {
      case FileOutcome::kAdded: ++summary_.added; break;
      case FileOutcome::kUpdated: ++summary_.updated; break;
      case FileOutcome::kMoved: ++summary_.moved; break;
      case FileOutcome::kUnchanged: ++summary_.unchanged; break;
      case FileOutcome::kRemoved: ++summary_.removed; break;
      case FileOutcome::kFailed: ++summary_.failed; break;
    }
    summary_.bytes_read += report.bytes_read;
    observer_->OnFile(report);
  }

  void Fail(const std::string& path, const Status& status, uint64_t bytes_read = 0) {
    FileReport report = Outcome(FileOutcome::kFailed, path);
    report.reason = status.ToString();
    report.bytes_read = bytes_read;
    Report(std::move(report));
  }

  // Lists the files, settles the unchanged ones and finds what to read.
  void Plan() {
    std::vector<ingest::InputFile> files = ingest::ListInputFiles(
        options_.paths, [&](const std::string& path, const Status& status) { Fail(path, status); });
    Result<std::vector<index::StoredFile>> stored = index_->ListStoredFiles();
    if (!stored.ok()) {
      summary_.fatal = stored.status();
      return;
    }
    stored_ = std::move(*stored);
    std::unordered_map<std::string_view, const index::StoredFile*> by_path;
    by_path.reserve(stored_.size());
    for (const index::StoredFile& file : stored_) by_path.emplace(file.path, &file);

    uint64_t bytes_to_read = 0;
    std::vector<FileReport> unchanged;
    for (ingest::InputFile& file : files) {
      std::string stored_path = StoredPath(file.path);
      auto it = by_path.find(stored_path);
      const index::StoredFile* known = it == by_path.end() ? nullptr : it->second;
      listed_.insert(stored_path);
      if (known != nullptr && known->size_bytes == file.size_bytes &&
          known->mtime_ns == file.mtime_ns) {
        if (options_.declared_vendor) {
          Status declared = index_->SetDeclaredVendor(stored_path, *options_.declared_vendor);
          if (!declared.ok()) {
            Fail(file.path, declared);
            continue;
          }
        }
        unchanged.push_back(Outcome(FileOutcome::kUnchanged, std::move(file.path)));
        continue;
      }
      bytes_to_read += file.size_bytes;
      work_.push_back({std::move(file.path), std::move(stored_path), known});
    }
    for (const index::StoredFile& file : stored_) {
      if (listed_.count(file.path) == 0 && IsGone(file.path)) moves_.Add(file);
    }
    observer_->OnPlan(files.size(), work_.size(), bytes_to_read);
    for (FileReport& report : unchanged) Report(std::move(report));
  }

  // Writes one prepared file into the current group (opening one if
  // needed); false when the index failed (batch over).
  bool Commit(Prepared prepared) {
    if (prepared.action == Action::kFail) {
      Fail(prepared.item->path, prepared.error, prepared.size_bytes);
      return true;
    }
    if (group_.empty()) {
      if (Status begun = index_->BeginBatch(); !begun.ok()) {
        summary_.fatal = begun.WithContext("cannot write the index");
        return false;
      }
      group_start_ = std::chrono::steady_clock::now();
      group_bytes_ = 0;
    }
    Written written = Write(prepared);
    if (!written.status.ok()) {
      // Part of this document may be in the group: undo the group and
      // write its documents one by one, so only this one fails.
      index_->RollbackBatch();
      if (IsIndexFailure(written.status)) {
        summary_.fatal = written.status.WithContext("cannot write the index");
        return false;
      }
      group_.push_back(std::move(written));
      return RedoGroupAlone();
    }
    group_bytes_ += prepared.size_bytes;
    group_.push_back(std::move(written));
    const bool full = group_bytes_ >= kGroupBytes ||
                      std::chrono::steady_clock::now() - group_start_ >= kGroupTime;
    return !full || CommitGroup();
  }

  // Commits the open group and reports its files; false when the index
  // failed.
  bool CommitGroup() {
    if (group_.empty()) return true;
    Status committed = index_->CommitBatch();
    if (!committed.ok()) {
      summary_.fatal = committed.WithContext("cannot write the index");
      group_.clear();
      return false;
    }
    for (Written& written : group_) Report(std::move(written.report));
    group_.clear();
    return true;
  }

  // After a failure inside a group: each of its files again, each in a
  // transaction of its own (read again for a document to store: the
  // prepared one was not kept, to keep memory bounded).
  bool RedoGroupAlone() {
    std::vector<Written> group = std::move(group_);
    group_.clear();
    for (Written& earlier : group) {
      Prepared again;
      if (earlier.action == Action::kStore) {
        again = Prepare(*earlier.item, options_.load, nullptr, &moves_);
      } else {
        again.item = earlier.item;
        again.action = earlier.action;
        again.moved_from = earlier.report.moved_from;
        again.size_bytes = earlier.report.bytes_read;
        again.mtime_ns = earlier.mtime_ns;
      }
      if (again.action == Action::kFail) {
        Fail(again.item->path, again.error, again.size_bytes);
        continue;
      }
      Written written = Write(again);
      if (!written.status.ok()) {
        if (IsIndexFailure(written.status)) {
          summary_.fatal = written.status.WithContext("cannot write the index");
          return false;
        }
        written.report.outcome = FileOutcome::kFailed;
        written.report.reason = written.status.ToString();
      }
      Report(std::move(written.report));
    }
    return true;
  }

  // One write to the index and the report it will make once committed.
  struct Written {
    const WorkItem* item = nullptr;
    Action action = Action::kFail;
    int64_t mtime_ns = 0;
    FileReport report;
    Status status;
  };

  // Writes one prepared file (inside a group, or alone if none is open).
  Written Write(Prepared& prepared) {
    const WorkItem& item = *prepared.item;
    Written written;
    written.item = &item;
    written.action = prepared.action;
    written.mtime_ns = prepared.mtime_ns;
    FileReport& report = written.report;
    report.path = item.path;
    report.bytes_read = prepared.size_bytes;
    report.warnings = std::move(prepared.warnings);
    switch (prepared.action) {
      case Action::kFail:
        written.status = prepared.error;
        break;
      case Action::kUpdateStat:
        report.outcome = FileOutcome::kUnchanged;
        written.status =
            index_->UpdateFileStat(item.stored_path, prepared.size_bytes, prepared.mtime_ns);
        if (written.status.ok() && options_.declared_vendor) {
          written.status = index_->SetDeclaredVendor(item.stored_path, *options_.declared_vendor);
        }
        break;
      case Action::kMove:
        report.outcome = FileOutcome::kMoved;
        report.moved_from = prepared.moved_from;
        written.status = index_->MoveDocument(prepared.moved_from, item.stored_path,
                                              prepared.size_bytes, prepared.mtime_ns);
        if (written.status.ok() && options_.declared_vendor) {
          written.status = index_->SetDeclaredVendor(item.stored_path, *options_.declared_vendor);
        }
        break;
      case Action::kStore: {
        prepared.input.declared_vendor = options_.declared_vendor;
        Result<index::AddOutcome> added = index_->AddDocument(prepared.input);
        if (added.ok()) {
          report.outcome = *added == index::AddOutcome::kAdded     ? FileOutcome::kAdded
                           : *added == index::AddOutcome::kUpdated ? FileOutcome::kUpdated
                                                                   : FileOutcome::kUnchanged;
          report.records = prepared.input.records.size();
          report.passages = prepared.input.passages.size();
        }
        written.status = added.status();
        break;
      }
    }
    if (!written.status.ok()) {
      report.outcome = FileOutcome::kFailed;
      report.reason = written.status.ToString();
    }
    return written;
  }

  void RunOnThisThread() {
    // Tokenized by AddDocument (on its own threads unless told otherwise).
    for (const WorkItem& item : work_) {
      if (!Commit(Prepare(item, options_.load, nullptr, &moves_))) return;
    }
    CommitGroup();
  }

  void RunOnWorkers() {
    const size_t workers = std::min<size_t>(static_cast<size_t>(options_.jobs), work_.size());
    PreparedQueue queue(static_cast<size_t>(options_.jobs));
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (size_t w = 0; w < workers; ++w) {
      queue.AddProducer();
      threads.emplace_back([&] {
        // The writer is the one serial stage: with as many workers as
        // cores, a worker would take a core from it half the time. Yielding
        // to it keeps it busy; the workers use what it leaves.
        YieldToTheWriter();
        // Without a tokenizer (MeCab failed to load, which Index::Open
        // would have caught first) AddDocument tokenizes on the writer.
        Result<std::unique_ptr<index::DocumentTokenizer>> tokenizer =
            index::DocumentTokenizer::Create();
        index::DocumentTokenizer* own = tokenizer.ok() ? tokenizer->get() : nullptr;
        for (size_t i = next++; i < work_.size(); i = next++) {
          if (!queue.Push(Prepare(work_[i], options_.load, own, &moves_))) break;
        }
        queue.ProducerDone();
      });
    }
    bool ok = true;
    while (std::optional<Prepared> prepared = queue.Pop()) {
      if (!Commit(std::move(*prepared))) {
        ok = false;
        next = work_.size();
        queue.Close();
        break;
      }
    }
    for (std::thread& thread : threads) thread.join();
    if (ok) CommitGroup();
  }

  // The given folders that exist now; documents are pruned only under
  // these (a folder that is missing, e.g. an unmounted share, prunes
  // nothing).
  std::vector<std::string> PruneRoots() const {
    std::vector<std::string> roots;
    for (const std::string& path : options_.paths) {
      struct stat st;
      if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
      std::string root = StoredPath(path);
      if (root.empty() || root.back() != '/') root.push_back('/');
      roots.push_back(std::move(root));
    }
    return roots;
  }

  void Prune() {
    const std::vector<std::string> roots = PruneRoots();
    for (const index::StoredFile& file : stored_) {
      const bool under_root = std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
        return file.path.compare(0, root.size(), root) == 0;
      });
      if (!under_root || moves_.WasClaimed(file.path) || !IsGone(file.path)) continue;
      Status status = index_->RemoveDocument(file.path);
      if (status.code() == StatusCode::kNotFound) continue;
      if (!status.ok()) {
        summary_.fatal = status.WithContext("cannot write the index");
        return;
      }
      Report(Outcome(FileOutcome::kRemoved, file.path));
    }
  }

  // Documents are committed in groups (Index::BeginBatch) of about this
  // much input, or what was written in this long: fewer, larger FTS5
  // segments (32 MB groups cost a quarter more memory than 8 MB ones and
  // saved 6 % of the time at 1000x), while a crash or kill loses at most two
  // seconds of work (redone by the next run) and the progress line still
  // moves.
  static constexpr uint64_t kGroupBytes = 32 << 20;
  static constexpr std::chrono::milliseconds kGroupTime{2000};

  index::Index* index_;
  const BatchOptions& options_;
  BatchObserver* observer_;
  BatchSummary summary_;
  std::vector<index::StoredFile> stored_;
  std::unordered_set<std::string> listed_;
  std::vector<WorkItem> work_;
  MoveCandidates moves_;
  std::vector<Written> group_;
  uint64_t group_bytes_ = 0;
  std::chrono::steady_clock::time_point group_start_;
};

}  // namespace

BatchSummary RunIngestBatch(index::Index* index, const BatchOptions& options,
                            BatchObserver* observer) {
  return Batch(index, options, observer).Run();
}

}  // namespace fiscdex::cli
