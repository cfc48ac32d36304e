// fiscdex_bench: how fast fiscdex ingests and searches, on a corpus built
// from the seed documents scaled N times.
//
//   1. generate  N varied copies of every seed under OUT/docs (corpus_gen.h)
//   2. ingest    run `fiscdex --db OUT/index.db ingest OUT/docs --quiet` as a
//                child process: wall clock, CPU and peak RSS from wait4()
//   3. query     open the index in process and run a fixed list of queries
//                R times each after one warm-up run: p50 / p95 / max latency
//   4. report    one table on stdout, or one JSON object with --json
//
// `--mecab-only` replaces 2 and 3 with raw MeCab segmentation of the same
// files in process, the floor the pipeline's throughput can be compared to.
// The ingest runs as a child so its RSS and CPU are its own, not the bench's.
//
// `--pdf` measures PDF input instead (bench/pdf_corpus.h), all in one run so
// the figures share the machine's state:
//   1. copy      the fixture PDFs (corpus/pdf) N times under OUT/pdf/docs
//   2. pdftotext `pdftotext -layout` on each file, a process per file, as the
//                yardstick the reader is held to (skipped when not on PATH)
//   3. read      ingest::LoadFile on each file in process, then normalize +
//                extract on its Document, timed apart; 2 and 3 take turns
//                every few files so that drift in machine speed hits both
//   4. ingest    the CLI on the same folder, as in the text run
//   5. many      generated PDFs of P/10 and P pages, each loaded in a fresh
//                child (`--load-pdf`) for its time and memory
//
// `--assess` times the assessment views on an index of many vendors
// (bench/assess_corpus.h), each view as a child process:
//   1. pool      the records of the seeds and corpus/, read in process
//   2. generate  V vendors x K versions under OUT/assess/docs, every file
//                different (vendor, layout, answers, date)
//   3. ingest    the CLI, as in the text run; then the index is checked to
//                hold what was generated
//   4. views     coverage, criteria, diff, export, report (kAssessCommands), each
//                once: wall, CPU and peak RSS from wait4(), output size
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "base/status.h"
#include "bench/assess_corpus.h"
#include "bench/corpus_gen.h"
#include "bench/pdf_corpus.h"
#include "extract/extract.h"
#include "index/index.h"
#include "index/mecab_segmenter.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

extern char** environ;

namespace fiscdex::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Japanese queries a reader of these whitepapers would type: single terms,
// two-term ANDs, a criterion ID, a phrase and an OR. Fixed so runs compare.
constexpr const char* kQueries[] = {
    "暗号化",       "バックアップ",  "暗号鍵",          "アクセス権限", "実8",
    "ISO27001",     "講ずる",        "不正アクセス",    "障害時 対応",  "外部委託",
    "パスワード",   "監査",          "教育 訓練",       "クラウド",     "統1",
    "\"アクセス履歴\"", "ログ 保管", "災害 OR 障害",   "セキュリティ教育", "委託先 契約",
};

constexpr const char* kUsage =
    "usage: fiscdex_bench [options]\n"
    "  --seeds DIR       seed documents (default: ../shared/seeds)\n"
    "  --scale N         copies of each seed (default 100)\n"
    "  --out DIR         working folder (default: bench/out/scaleN; bench/out\n"
    "                    with --assess, which works in OUT/assess)\n"
    "  --fiscdex PATH    the fiscdex binary (default: BUILD/tools/fiscdex)\n"
    "  --repeat R        timed runs of each query (default 20)\n"
    "  --limit K         hits asked of each search (default 10)\n"
    "  --jobs N[,M...]   ingest once per job count, each into a fresh index\n"
    "                    (default: 1 and the number of cores); then time a\n"
    "                    re-run over the unchanged files and one after touching\n"
    "                    every file (same content: read and hashed again)\n"
    "  --skip-generate   reuse OUT/docs (--assess: OUT/assess/docs)\n"
    "  --skip-ingest     reuse OUT/index.db (queries only; --assess: views only)\n"
    "  --mecab-only      segment OUT/docs with MeCab in process instead\n"
    "  --pdf             PDF ingest instead: the fixture PDFs copied N times to\n"
    "                    OUT/pdf/docs, read with pdftotext and with fiscdex, then\n"
    "                    generated PDFs of P/10 and P pages read in a child each\n"
    "  --pdf-fixtures DIR  the PDFs --pdf copies (default: corpus/pdf)\n"
    "  --pdf-pages P     pages of the larger generated PDF (default 5000)\n"
    "  --load-pdf FILE   (run by --pdf) load FILE, normalize, extract, and print\n"
    "                    times and memory as \"key value\" lines\n"
    "  --assess          time coverage, criteria, diff and export on an index of\n"
    "                    V vendors x K versions, every document different, made\n"
    "                    from the answers in the seeds and corpus/ (OUT/assess;\n"
    "                    OUT defaults to bench/out)\n"
    "  --vendors V       vendors of --assess (default 50)\n"
    "  --versions K      versions of each vendor's whitepaper (default 8); the\n"
    "                    ingest runs once, with the last --jobs count\n"
    "  --criteria N      criteria of --assess (default 400): the pool's own IDs,\n"
    "                    then the next numbers of its families\n"
    "  --json            print one JSON object instead of the table\n"
    "  --help\n";

struct Options {
  std::string seeds = std::string(FISCDEX_SHARED_DIR) + "/seeds";
  int scale = 100;
  std::string out;  // empty: bench/out/scaleN in the source tree
  std::string fiscdex = std::string(FISCDEX_BINARY_DIR) + "/tools/fiscdex";
  int repeat = 20;
  int limit = 10;
  bool skip_generate = false;
  bool skip_ingest = false;
  bool mecab_only = false;
  bool pdf = false;
  std::string pdf_fixtures = std::string(FISCDEX_SOURCE_DIR) + "/corpus/pdf";
  int pdf_pages = 5000;
  std::string load_pdf;  // the child mode of --pdf: one file
  std::vector<int> jobs;  // empty: 1 and the number of cores
  bool assess = false;
  int vendors = 50;
  int versions = 8;
  int criteria = 400;
  bool json = false;
};

// Progress goes to stderr, and only to a terminal: a redirected run gets a
// clean log. One line, rewritten in place.
class Progress {
 public:
  Progress() : enabled_(isatty(STDERR_FILENO) == 1) {}
  void Update(const char* what, uint64_t done, uint64_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    // Redrawing thousands of times a second would cost more than the work.
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r%s %llu/%llu\033[K", what, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total));
    std::fflush(stderr);
  }
  void Done() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  Clock::time_point last_{};
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Mb(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

Result<int> ParsePositive(std::string_view flag, const std::string& value) {
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < 1 || n > 1000000) {
    return Status::InvalidArgument(std::string(flag) + " needs a positive number, got \"" + value +
                                   "\"");
  }
  return static_cast<int>(n);
}

// Accepts "--flag value" and "--flag=value".
Result<Options> ParseArgs(int argc, char** argv, bool* help) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    auto need = [&](std::string* out) -> Status {
      if (has_value) {
        *out = value;
        return Status::Ok();
      }
      if (i + 1 >= argc) return Status::InvalidArgument(arg + " needs a value");
      *out = argv[++i];
      return Status::Ok();
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      *help = true;
    } else if (arg == "--seeds") {
      RETURN_IF_ERROR(need(&o.seeds));
    } else if (arg == "--out") {
      RETURN_IF_ERROR(need(&o.out));
    } else if (arg == "--fiscdex") {
      RETURN_IF_ERROR(need(&o.fiscdex));
    } else if (arg == "--pdf-fixtures") {
      RETURN_IF_ERROR(need(&o.pdf_fixtures));
    } else if (arg == "--load-pdf") {
      RETURN_IF_ERROR(need(&o.load_pdf));
    } else if (arg == "--scale" || arg == "--repeat" || arg == "--limit" || arg == "--pdf-pages" ||
               arg == "--vendors" || arg == "--versions" || arg == "--criteria") {
      RETURN_IF_ERROR(need(&v));
      ASSIGN_OR_RETURN(int n, ParsePositive(arg, v));
      (arg == "--scale"      ? o.scale
       : arg == "--repeat"   ? o.repeat
       : arg == "--limit"    ? o.limit
       : arg == "--vendors"  ? o.vendors
       : arg == "--versions" ? o.versions
       : arg == "--criteria" ? o.criteria
                             : o.pdf_pages) = n;
    } else if (arg == "--jobs") {
      RETURN_IF_ERROR(need(&v));
      for (size_t start = 0; start <= v.size();) {
        const size_t comma = std::min(v.find(',', start), v.size());
        ASSIGN_OR_RETURN(int n, ParsePositive(arg, v.substr(start, comma - start)));
        o.jobs.push_back(n);
        start = comma + 1;
      }
    } else if (arg == "--skip-generate") {
      o.skip_generate = true;
    } else if (arg == "--skip-ingest") {
      o.skip_ingest = true;
    } else if (arg == "--mecab-only") {
      o.mecab_only = true;
    } else if (arg == "--pdf") {
      o.pdf = true;
    } else if (arg == "--assess") {
      o.assess = true;
    } else if (arg == "--json") {
      o.json = true;
    } else {
      return Status::InvalidArgument("unknown argument \"" + arg + "\"");
    }
  }
  if (o.pdf && o.mecab_only) {
    return Status::InvalidArgument("--pdf and --mecab-only are two different runs");
  }
  if (o.assess && (o.pdf || o.mecab_only)) {
    return Status::InvalidArgument("--assess is a run of its own: not with --pdf or --mecab-only");
  }
  // The assessment corpus does not depend on --scale; its folder is
  // OUT/assess.
  if (o.out.empty() && o.assess) o.out = std::string(FISCDEX_SOURCE_DIR) + "/bench/out";
  if (o.out.empty()) {
    o.out = std::string(FISCDEX_SOURCE_DIR) + "/bench/out/scale" + std::to_string(o.scale);
  }
  if (o.jobs.empty()) {
    o.jobs.push_back(1);
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    if (cores > 1) o.jobs.push_back(cores);
  }
  return o;
}

// --- measurements -----------------------------------------------------------

struct DocsInfo {
  uint64_t files = 0;
  uint64_t bytes = 0;
  double generate_s = 0;  // 0 when reused
};

struct IngestInfo {
  int jobs = 0;
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  uint64_t peak_rss_kb = 0;
  int exit_code = 0;
  uint64_t db_bytes = 0;
  uint64_t wal_bytes = 0;
  bool ran = false;
};

struct QueryInfo {
  std::string query;
  int hits = 0;
  std::string error;  // empty when the search succeeded
  std::vector<double> ms;
};

struct MecabInfo {
  double wall_s = 0;
  uint64_t tokens = 0;
};

// Nearest-rank percentile of sorted samples.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(size);
}

// Every regular file under `dir`, sorted, with the total size.
Result<std::vector<std::string>> ListDocs(const std::string& dir, uint64_t* bytes) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(dir + ": no documents (run without --skip-generate)");
  }
  std::vector<std::string> files;
  *bytes = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      files.push_back(it->path().string());
      *bytes += FileSize(files.back());
    }
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  if (files.empty()) return Status::Empty(dir + ": no documents");
  std::sort(files.begin(), files.end());
  return files;
}

Result<DocsInfo> PrepareDocs(const Options& o, const std::string& docs_dir) {
  DocsInfo info;
  if (!o.skip_generate) {
    ASSIGN_OR_RETURN(std::vector<SeedFile> seeds, ReadSeeds(o.seeds));
    Progress progress;
    const auto start = Clock::now();
    ASSIGN_OR_RETURN(GenerateStats stats,
                     GenerateCorpus(seeds, o.scale, docs_dir, [&](uint64_t done, uint64_t total) {
                       progress.Update("generating", done, total);
                     }));
    info.generate_s = Seconds(Clock::now() - start);
    progress.Done();
    info.files = stats.files;
    info.bytes = stats.bytes;
    return info;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> files, ListDocs(docs_dir, &info.bytes));
  info.files = files.size();
  return info;
}

struct ChildInfo {
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  uint64_t peak_rss_kb = 0;
  int exit_code = 0;
  std::string out;  // its stdout, when asked for
};

// Where a child's output goes when not to the bench's own streams.
struct ChildOutput {
  bool capture = false;     // stdout read into ChildInfo::out
  bool quiet = false;       // stderr to /dev/null
  std::string stdout_path;  // stdout written to this file (replaced)
  std::string stderr_path;  // stderr written to this file (replaced)
};

// Runs `args` with posix_spawn (no shell: paths may hold anything) and waits
// with wait4() for the child's own rusage, its output as `output` says.
Result<ChildInfo> SpawnAndWait(std::vector<std::string> args, const ChildOutput& output) {
  const bool capture = output.capture;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2] = {-1, -1};
  if (capture && pipe(pipe_fds) != 0) {
    return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (capture) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  }
  if (output.quiet) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  constexpr int kCreate = O_WRONLY | O_CREAT | O_TRUNC;
  if (!output.stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.stdout_path.c_str(), kCreate,
                                     0644);
  }
  if (!output.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, output.stderr_path.c_str(), kCreate,
                                     0644);
  }

  ChildInfo info;
  const auto start = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (capture) close(pipe_fds[1]);
  if (rc != 0) {
    if (capture) close(pipe_fds[0]);
    return Status::IoError(args[0] + ": cannot start: " + std::strerror(rc));
  }
  if (capture) {
    char buf[4096];
    ssize_t n;
    while ((n = read(pipe_fds[0], buf, sizeof buf)) != 0) {
      if (n > 0) {
        info.out.append(buf, static_cast<size_t>(n));
      } else if (errno != EINTR) {
        break;
      }
    }
    close(pipe_fds[0]);
  }
  int status = 0;
  struct rusage usage {};
  pid_t waited;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  info.wall_s = Seconds(Clock::now() - start);
  if (waited < 0) return Status::Internal(std::string("wait4: ") + std::strerror(errno));
  info.user_s = static_cast<double>(usage.ru_utime.tv_sec) + usage.ru_utime.tv_usec / 1e6;
  info.sys_s = static_cast<double>(usage.ru_stime.tv_sec) + usage.ru_stime.tv_usec / 1e6;
  info.peak_rss_kb = static_cast<uint64_t>(usage.ru_maxrss);  // Linux: kilobytes
  info.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return info;
}

// With `capture`, the child's stdout is read into ChildInfo::out; with
// `quiet`, its stderr goes to /dev/null.
Result<ChildInfo> SpawnAndWait(std::vector<std::string> args, bool capture = false,
                               bool quiet = false) {
  ChildOutput output;
  output.capture = capture;
  output.quiet = quiet;
  return SpawnAndWait(std::move(args), output);
}

// Runs `fiscdex --db DB ingest DOCS --quiet --jobs N` as a child, so its RSS
// and CPU are its own. `fresh`: into a new index (otherwise an incremental
// pass over the existing one).
Result<IngestInfo> RunIngest(const Options& o, const std::string& db, const std::string& docs,
                             int jobs, bool fresh = true) {
  std::error_code ec;
  if (fresh) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix, ec);
  }
  ASSIGN_OR_RETURN(const ChildInfo child,
                   SpawnAndWait({o.fiscdex, "--db", db, "ingest", docs, "--quiet", "--jobs",
                                 std::to_string(jobs)}));
  IngestInfo info;
  info.jobs = jobs;
  info.ran = true;
  info.wall_s = child.wall_s;
  info.user_s = child.user_s;
  info.sys_s = child.sys_s;
  info.peak_rss_kb = child.peak_rss_kb;
  info.exit_code = child.exit_code;
  info.db_bytes = FileSize(db);
  info.wal_bytes = FileSize(db + "-wal");
  return info;
}

Result<std::vector<QueryInfo>> RunQueries(const Options& o, const std::string& db) {
  if (!fs::exists(db)) return Status::NotFound(db + ": no index (run without --skip-ingest)");
  ASSIGN_OR_RETURN(std::unique_ptr<index::Index> db_index, index::Index::Open(db));
  std::vector<QueryInfo> results;
  Progress progress;
  const uint64_t total = std::size(kQueries) * static_cast<uint64_t>(o.repeat + 1);
  uint64_t done = 0;
  for (const char* query : kQueries) {
    QueryInfo q;
    q.query = query;
    // The warm-up run loads the pages this query touches; it is not timed.
    auto warm = db_index->Search(query, o.limit);
    progress.Update("querying", ++done, total);
    if (!warm.ok()) {
      q.error = warm.status().ToString();
      done += o.repeat;
      results.push_back(std::move(q));
      continue;
    }
    q.hits = static_cast<int>(warm->size());
    for (int r = 0; r < o.repeat; ++r) {
      const auto start = Clock::now();
      auto hits = db_index->Search(query, o.limit);
      q.ms.push_back(Seconds(Clock::now() - start) * 1000.0);
      progress.Update("querying", ++done, total);
      if (!hits.ok()) {
        q.error = hits.status().ToString();
        break;
      }
    }
    std::sort(q.ms.begin(), q.ms.end());
    results.push_back(std::move(q));
  }
  progress.Done();
  return results;
}

Result<MecabInfo> RunMecab(const std::string& docs_dir) {
  uint64_t bytes = 0;
  ASSIGN_OR_RETURN(std::vector<std::string> files, ListDocs(docs_dir, &bytes));
  ASSIGN_OR_RETURN(std::shared_ptr<index::MecabSegmenter> segmenter,
                   index::MecabSegmenter::Create());
  MecabInfo info;
  Progress progress;
  std::string text;
  Clock::duration busy{};
  for (size_t i = 0; i < files.size(); ++i) {
    // Reading is left out of the timing: the figure is MeCab's alone.
    std::ifstream in(files[i], std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Status::IoError(files[i] + ": cannot read");
    const auto start = Clock::now();
    RETURN_IF_ERROR(segmenter->Segment(text, [&](const index::Token&) {
      ++info.tokens;
      return true;
    }));
    busy += Clock::now() - start;
    progress.Update("segmenting", i + 1, files.size());
  }
  progress.Done();
  info.wall_s = Seconds(busy);
  return info;
}

// --- PDF --------------------------------------------------------------------

// CPU time of this process. The in-process stages report it beside wall
// time, so a run slowed by a busy machine can be told from a slow reader.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Memory {
  uint64_t rss_kb = 0;  // VmRSS: resident now
  uint64_t hwm_kb = 0;  // VmHWM: the peak so far
};

// This process's memory from /proc/self/status (Linux). Zero where unread.
Memory ReadMemory() {
  Memory m;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long kb = 0;
    if (std::sscanf(line.c_str(), "VmRSS: %llu", &kb) == 1) m.rss_kb = kb;
    if (std::sscanf(line.c_str(), "VmHWM: %llu", &kb) == 1) m.hwm_kb = kb;
  }
  return m;
}

// `name` as a shell would find it on PATH; empty when absent. Looked up
// beforehand so that a missing program is a note, not one failure per file.
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::string_view rest = path;
  while (true) {
    const size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    std::error_code ec;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate, ec)) {
      return candidate;
    }
    if (colon == std::string_view::npos) return "";
    rest.remove_prefix(colon + 1);
  }
}

struct PdfCorpusInfo {
  std::string docs_dir;
  std::vector<std::string> files;  // sorted
  uint64_t bytes = 0;
  double copy_s = 0;  // 0 when reused
};

struct PdftotextInfo {
  std::string path;  // empty: not on PATH, so the comparison was skipped
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  int failed = 0;
  double start_s = 0;  // one process start: mean wall time of `pdftotext -v`
};

struct PdfReadInfo {
  double load_s = 0;
  double load_cpu_s = 0;
  double text_s = 0;  // normalize + extract
  double text_cpu_s = 0;
  uint64_t pages = 0;
  uint64_t text_bytes = 0;
  uint64_t records = 0;
  uint64_t passages = 0;
  int failed = 0;
  std::string first_error;
};

struct ManyPagesInfo {
  int pages = 0;
  std::string path;
  uint64_t file_bytes = 0;
  double write_s = 0;
  // Reported by the --load-pdf child.
  uint64_t pages_read = 0;
  uint64_t text_bytes = 0;
  uint64_t blocks = 0;
  uint64_t records = 0;
  double load_s = 0;
  double pipeline_s = 0;  // normalize + extract, after the load
  uint64_t rss_before_kb = 0;
  uint64_t hwm_load_kb = 0;
  uint64_t hwm_pipeline_kb = 0;
  // pdftotext on the same file; 0 when it is not on PATH.
  double pdftotext_s = 0;
  uint64_t pdftotext_rss_kb = 0;
  std::string error;  // empty when every step succeeded
};

struct PdfReport {
  PdfCorpusInfo corpus;
  PdftotextInfo pdftotext;
  PdfReadInfo read;
  IngestInfo ingest;
  std::vector<ManyPagesInfo> many;
};

Result<PdfCorpusInfo> PreparePdfDocs(const Options& o, const std::string& docs_dir) {
  PdfCorpusInfo info;
  info.docs_dir = docs_dir;
  if (!o.skip_generate) {
    Progress progress;
    const auto start = Clock::now();
    RETURN_IF_ERROR(CopyPdfFixtures(o.pdf_fixtures, o.scale, docs_dir,
                                    [&](uint64_t done, uint64_t total) {
                                      progress.Update("copying", done, total);
                                    })
                        .status());
    info.copy_s = Seconds(Clock::now() - start);
    progress.Done();
  }
  ASSIGN_OR_RETURN(info.files, ListDocs(docs_dir, &info.bytes));
  return info;
}

// `pdftotext -layout FILE OUT` on files [begin, end), one process per file
// as a script converting a folder would run it, added to `*info`. Its time
// therefore includes a process start per file (see TimePdftotextStart).
Status RunPdftotext(const std::vector<std::string>& files, size_t begin, size_t end,
                    const std::string& text_dir, PdftotextInfo* info) {
  const auto start = Clock::now();
  for (size_t i = begin; i < end; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/%06zu.txt", i + 1);
    ASSIGN_OR_RETURN(const ChildInfo child,
                     SpawnAndWait({info->path, "-layout", files[i], text_dir + name}));
    info->user_s += child.user_s;
    info->sys_s += child.sys_s;
    if (child.exit_code != 0) ++info->failed;
  }
  info->wall_s += Seconds(Clock::now() - start);
  return Status::Ok();
}

// One process start of pdftotext: `pdftotext -v` exits before opening
// anything, so its mean wall time over a few runs is exec, dynamic linking
// and exit alone.
Status TimePdftotextStart(PdftotextInfo* info) {
  constexpr int kProbes = 20;
  double probe_s = 0;
  for (int i = 0; i < kProbes; ++i) {
    ASSIGN_OR_RETURN(const ChildInfo child,
                     SpawnAndWait({info->path, "-v"}, /*capture=*/false, /*quiet=*/true));
    probe_s += child.wall_s;
  }
  info->start_s = probe_s / kProbes;
  return Status::Ok();
}

// ingest::LoadFile alone (Poppler and the layout engine: the part pdftotext
// compares with), then normalize and extract on the Document it returns (the
// text pipeline, which PDFs and text files share), timed apart, file by file
// as `fiscdex ingest` runs them; files [begin, end), added to `*info`.
void ReadPdfs(const std::vector<std::string>& files, size_t begin, size_t end,
              PdfReadInfo* info_out) {
  PdfReadInfo& info = *info_out;
  for (size_t i = begin; i < end; ++i) {
    const auto t0 = Clock::now();
    const double c0 = CpuSeconds();
    Result<ingest::Document> doc = ingest::LoadFile(files[i]);
    const auto t1 = Clock::now();
    const double c1 = CpuSeconds();
    info.load_s += Seconds(t1 - t0);
    info.load_cpu_s += c1 - c0;
    if (!doc.ok()) {
      if (info.failed++ == 0) info.first_error = files[i] + ": " + doc.status().ToString();
      continue;
    }
    {
      // Scoped so that freeing the results is timed with the pipeline.
      const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
      const extract::Extraction extraction = extract::Extract(*doc, normalized);
      info.records += extraction.records.size();
      info.passages += normalized.passages.size();
    }
    info.text_s += Seconds(Clock::now() - t1);
    info.text_cpu_s += CpuSeconds() - c1;
    info.pages += static_cast<uint64_t>(doc->page_count);
    info.text_bytes += doc->text.size();
  }
}

// pdftotext and fiscdex take turns, a few files each. On a shared machine the
// CPU's speed drifts over seconds (the same command's CPU time was seen to
// vary 2x), and taking turns puts a slow spell on both sides of the ratio
// instead of on whichever ran through it. The turns are long enough that
// each side still runs on warm caches, as a folder's conversion would.
Status ReadPdfsTakingTurns(const std::vector<std::string>& files, const std::string& text_dir,
                           PdftotextInfo* pdftotext, PdfReadInfo* read) {
  constexpr size_t kFilesPerTurn = 8;
  if (!pdftotext->path.empty()) {
    std::error_code ec;
    fs::remove_all(text_dir, ec);
    fs::create_directories(text_dir, ec);
    if (ec) return Status::IoError(text_dir + ": cannot create: " + ec.message());
  }
  Progress progress;
  for (size_t begin = 0; begin < files.size(); begin += kFilesPerTurn) {
    const size_t end = std::min(files.size(), begin + kFilesPerTurn);
    if (!pdftotext->path.empty()) {
      RETURN_IF_ERROR(RunPdftotext(files, begin, end, text_dir, pdftotext));
    }
    ReadPdfs(files, begin, end, read);
    progress.Update("pdftotext and LoadFile", end, files.size());
  }
  progress.Done();
  if (!pdftotext->path.empty()) RETURN_IF_ERROR(TimePdftotextStart(pdftotext));
  return Status::Ok();
}

// --load-pdf: the child RunManyPages starts for each generated PDF. A fresh
// process, so its memory figures are that file's alone and not what the
// bench's earlier stages left in the heap. Prints "key value" lines on
// stdout; "error MESSAGE" and exit 1 when the file cannot be read.
int RunLoadPdf(const std::string& path) {
  const Memory before = ReadMemory();
  const auto t0 = Clock::now();
  Result<ingest::Document> doc = ingest::LoadFile(path);
  const auto t1 = Clock::now();
  const Memory loaded = ReadMemory();
  if (!doc.ok()) {
    std::printf("error %s\n", doc.status().ToString().c_str());
    return 1;
  }
  size_t records = 0;
  {
    const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
    records = extract::Extract(*doc, normalized).records.size();
  }
  const auto t2 = Clock::now();
  const Memory after = ReadMemory();
  std::printf(
      "pages %d\ntext_bytes %zu\nblocks %zu\nrecords %zu\nload_s %.6f\npipeline_s %.6f\n"
      "rss_before_kb %llu\nhwm_load_kb %llu\nhwm_pipeline_kb %llu\n",
      doc->page_count, doc->text.size(), doc->blocks.size(), records, Seconds(t1 - t0),
      Seconds(t2 - t1), static_cast<unsigned long long>(before.rss_kb),
      static_cast<unsigned long long>(loaded.hwm_kb),
      static_cast<unsigned long long>(after.hwm_kb));
  return 0;
}

// Reads RunLoadPdf's lines into `info`.
void ParseLoadPdfOutput(const std::string& out, ManyPagesInfo* info) {
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    const std::string key = line.substr(0, space);
    const std::string value = line.substr(space + 1);
    const double number = std::strtod(value.c_str(), nullptr);
    const auto count = static_cast<uint64_t>(number);
    if (key == "error") info->error = value;
    if (key == "pages") info->pages_read = count;
    if (key == "text_bytes") info->text_bytes = count;
    if (key == "blocks") info->blocks = count;
    if (key == "records") info->records = count;
    if (key == "load_s") info->load_s = number;
    if (key == "pipeline_s") info->pipeline_s = number;
    if (key == "rss_before_kb") info->rss_before_kb = count;
    if (key == "hwm_load_kb") info->hwm_load_kb = count;
    if (key == "hwm_pipeline_kb") info->hwm_pipeline_kb = count;
  }
}

// Writes a PDF of `pages` pages under `dir`, loads it in a child (RunLoadPdf)
// and, when pdftotext is there, converts it with pdftotext for comparison.
Result<ManyPagesInfo> RunManyPages(const std::string& pdftotext, const std::string& dir,
                                   int pages) {
  ManyPagesInfo info;
  info.pages = pages;
  info.path = dir + "/many_" + std::to_string(pages) + ".pdf";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": cannot create: " + ec.message());
  const auto start = Clock::now();
  ASSIGN_OR_RETURN(info.file_bytes, WriteManyPagePdf(info.path, pages));
  info.write_s = Seconds(Clock::now() - start);

  // The bench itself, by the kernel's link: argv[0] may be relative or bare.
  ASSIGN_OR_RETURN(const ChildInfo child,
                   SpawnAndWait({"/proc/self/exe", "--load-pdf", info.path}, /*capture=*/true));
  ParseLoadPdfOutput(child.out, &info);
  if (child.exit_code != 0 && info.error.empty()) {
    info.error = "--load-pdf exited with status " + std::to_string(child.exit_code);
  }
  if (!pdftotext.empty()) {
    ASSIGN_OR_RETURN(const ChildInfo converted,
                     SpawnAndWait({pdftotext, "-layout", info.path,
                                   dir + "/many_" + std::to_string(pages) + ".txt"}));
    info.pdftotext_s = converted.wall_s;
    info.pdftotext_rss_kb = converted.peak_rss_kb;
    if (converted.exit_code != 0 && info.error.empty()) {
      info.error = "pdftotext exited with status " + std::to_string(converted.exit_code);
    }
  }
  return info;
}

// --- report -----------------------------------------------------------------

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string Fixed(double v, int digits) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

struct Summary {
  std::vector<double> all_ms;  // sorted, every timed run of every query
  int failed = 0;
};

Summary Summarize(const std::vector<QueryInfo>& queries) {
  Summary s;
  for (const QueryInfo& q : queries) {
    s.all_ms.insert(s.all_ms.end(), q.ms.begin(), q.ms.end());
    if (!q.error.empty()) ++s.failed;
  }
  std::sort(s.all_ms.begin(), s.all_ms.end());
  return s;
}

// Padding by bytes would misalign Japanese; count code points (each CJK
// character is two columns wide on a terminal).
std::string PadQuery(const std::string& q, int width) {
  int columns = 0;
  for (size_t i = 0; i < q.size();) {
    const unsigned char c = static_cast<unsigned char>(q[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    columns += len >= 3 ? 2 : 1;
    i += len;
  }
  return q + std::string(std::max(1, width - columns), ' ');
}

// The full ingests (one per --jobs count) and the incremental re-runs.
struct IngestRuns {
  std::vector<IngestInfo> full;
  IngestInfo unchanged;  // nothing changed: files are only listed and stat'ed
  IngestInfo touched;    // every mtime changed, content the same: read and hashed
};

void PrintTable(const Options& o, const DocsInfo& docs, const IngestRuns* runs,
                const std::vector<QueryInfo>* queries, const MecabInfo* mecab) {
  std::printf("fiscdex bench: scale %d, %llu documents, %.1f MB input (%s)\n", o.scale,
              static_cast<unsigned long long>(docs.files), Mb(docs.bytes), o.out.c_str());
  if (docs.generate_s > 0) std::printf("  generate  %.2f s\n", docs.generate_s);
  if (mecab != nullptr) {
    std::printf("  mecab     %.2f s   %.2f MB/s   %.0f docs/s   %llu tokens (%.0f tokens/s)\n",
                mecab->wall_s, Rate(Mb(docs.bytes), mecab->wall_s),
                Rate(static_cast<double>(docs.files), mecab->wall_s),
                static_cast<unsigned long long>(mecab->tokens),
                Rate(static_cast<double>(mecab->tokens), mecab->wall_s));
  }
  const IngestInfo* ingest = runs != nullptr && !runs->full.empty() ? &runs->full.back() : nullptr;
  for (size_t i = 0; runs != nullptr && i < runs->full.size(); ++i) {
    const IngestInfo& run = runs->full[i];
    std::printf("  ingest --jobs %-2d %7.2f s   %.2f MB/s   %.1f docs/s   peak RSS %.1f MB   "
                "cpu %.2f s user + %.2f s sys   exit %d",
                run.jobs, run.wall_s, Rate(Mb(docs.bytes), run.wall_s),
                Rate(static_cast<double>(docs.files), run.wall_s),
                static_cast<double>(run.peak_rss_kb) / 1024.0, run.user_s, run.sys_s,
                run.exit_code);
    if (i > 0) std::printf("   %.2fx --jobs %d", runs->full[0].wall_s / run.wall_s, runs->full[0].jobs);
    std::printf("\n");
  }
  if (runs != nullptr && runs->unchanged.ran) {
    for (const auto& [name, run] : {std::pair<const char*, const IngestInfo&>{"unchanged", runs->unchanged},
                                    {"touched", runs->touched}}) {
      std::printf("  re-run %-9s %6.2f s   %.0f files/s   peak RSS %.1f MB   exit %d\n", name,
                  run.wall_s, Rate(static_cast<double>(docs.files), run.wall_s),
                  static_cast<double>(run.peak_rss_kb) / 1024.0, run.exit_code);
    }
  }
  if (ingest != nullptr && ingest->ran) {
    const uint64_t index_bytes = ingest->db_bytes + ingest->wal_bytes;
    std::printf("  index     %.1f MB (db %.1f + wal %.1f), %.2fx the input\n", Mb(index_bytes),
                Mb(ingest->db_bytes), Mb(ingest->wal_bytes),
                docs.bytes ? static_cast<double>(index_bytes) / docs.bytes : 0.0);
  }
  if (queries != nullptr) {
    const Summary s = Summarize(*queries);
    std::printf("  queries   %zu x %d runs: p50 %.2f ms   p95 %.2f ms   max %.2f ms%s\n",
                queries->size(), o.repeat, Percentile(s.all_ms, 50), Percentile(s.all_ms, 95),
                s.all_ms.empty() ? 0.0 : s.all_ms.back(),
                s.failed ? "   (some queries failed)" : "");
    std::printf("\n  %s hits    p50 ms    p95 ms    max ms\n", PadQuery("query", 20).c_str());
    for (const QueryInfo& q : *queries) {
      if (!q.error.empty()) {
        std::printf("  %s error: %s\n", PadQuery(q.query, 20).c_str(), q.error.c_str());
        continue;
      }
      std::printf("  %s %4d %9.2f %9.2f %9.2f\n", PadQuery(q.query, 20).c_str(), q.hits,
                  Percentile(q.ms, 50), Percentile(q.ms, 95), q.ms.empty() ? 0.0 : q.ms.back());
    }
  }
}

std::string IngestJson(const IngestInfo& run, const DocsInfo& docs) {
  return "{\"jobs\": " + std::to_string(run.jobs) + ", \"wall_s\": " + Fixed(run.wall_s, 3) +
         ", \"mb_per_s\": " + Fixed(Rate(Mb(docs.bytes), run.wall_s), 3) +
         ", \"docs_per_s\": " + Fixed(Rate(static_cast<double>(docs.files), run.wall_s), 1) +
         ", \"peak_rss_kb\": " + std::to_string(run.peak_rss_kb) +
         ", \"user_s\": " + Fixed(run.user_s, 3) + ", \"sys_s\": " + Fixed(run.sys_s, 3) +
         ", \"exit_code\": " + std::to_string(run.exit_code) +
         ", \"db_bytes\": " + std::to_string(run.db_bytes) +
         ", \"wal_bytes\": " + std::to_string(run.wal_bytes) + "}";
}

void PrintJson(const Options& o, const DocsInfo& docs, const IngestRuns* runs,
               const std::vector<QueryInfo>* queries, const MecabInfo* mecab) {
  std::string j = "{";
  j += "\"scale\": " + std::to_string(o.scale);
  j += ", \"out\": " + JsonString(o.out);
  j += ", \"documents\": " + std::to_string(docs.files);
  j += ", \"input_bytes\": " + std::to_string(docs.bytes);
  j += ", \"generate_s\": " + Fixed(docs.generate_s, 3);
  if (mecab != nullptr) {
    j += ", \"mecab\": {\"wall_s\": " + Fixed(mecab->wall_s, 3) +
         ", \"mb_per_s\": " + Fixed(Rate(Mb(docs.bytes), mecab->wall_s), 3) +
         ", \"docs_per_s\": " + Fixed(Rate(static_cast<double>(docs.files), mecab->wall_s), 1) +
         ", \"tokens\": " + std::to_string(mecab->tokens) + "}";
  }
  if (runs != nullptr && !runs->full.empty()) {
    j += ", \"ingest\": [";
    for (size_t i = 0; i < runs->full.size(); ++i) {
      j += (i ? ", " : "") + IngestJson(runs->full[i], docs);
    }
    j += "]";
    if (runs->unchanged.ran) {
      j += ", \"rerun_unchanged\": " + IngestJson(runs->unchanged, docs);
      j += ", \"rerun_touched\": " + IngestJson(runs->touched, docs);
    }
  }
  if (queries != nullptr) {
    const Summary s = Summarize(*queries);
    j += ", \"queries\": {\"repeat\": " + std::to_string(o.repeat) +
         ", \"limit\": " + std::to_string(o.limit) +
         ", \"p50_ms\": " + Fixed(Percentile(s.all_ms, 50), 3) +
         ", \"p95_ms\": " + Fixed(Percentile(s.all_ms, 95), 3) +
         ", \"max_ms\": " + Fixed(s.all_ms.empty() ? 0.0 : s.all_ms.back(), 3) +
         ", \"failed\": " + std::to_string(s.failed) + ", \"per_query\": [";
    for (size_t i = 0; i < queries->size(); ++i) {
      const QueryInfo& q = (*queries)[i];
      j += i ? ", " : "";
      j += "{\"query\": " + JsonString(q.query) + ", \"hits\": " + std::to_string(q.hits) +
           ", \"p50_ms\": " + Fixed(Percentile(q.ms, 50), 3) +
           ", \"p95_ms\": " + Fixed(Percentile(q.ms, 95), 3) +
           ", \"max_ms\": " + Fixed(q.ms.empty() ? 0.0 : q.ms.back(), 3) +
           ", \"error\": " + (q.error.empty() ? "null" : JsonString(q.error)) + "}";
    }
    j += "]}";
  }
  j += "}\n";
  std::fputs(j.c_str(), stdout);
}

// The ratios the target is about. Zero when pdftotext did not run.
struct PdfRatios {
  double load = 0;              // LoadFile / pdftotext, wall
  double load_cpu = 0;          // the same in CPU time
  double with_text = 0;         // (LoadFile + text) / (pdftotext + text), wall
  double with_text_cpu = 0;
};

PdfRatios ComputeRatios(const PdfReport& r) {
  PdfRatios q;
  const PdftotextInfo& p = r.pdftotext;
  if (p.path.empty() || p.wall_s <= 0) return q;
  const double p_cpu = p.user_s + p.sys_s;
  q.load = r.read.load_s / p.wall_s;
  q.load_cpu = p_cpu > 0 ? r.read.load_cpu_s / p_cpu : 0;
  q.with_text = (r.read.load_s + r.read.text_s) / (p.wall_s + r.read.text_s);
  q.with_text_cpu = (r.read.load_cpu_s + r.read.text_cpu_s) / (p_cpu + r.read.text_cpu_s);
  return q;
}

// The target: fiscdex's whole read at most 1.5x pdftotext plus the text
// pipeline's own cost.
constexpr double kPdfTarget = 1.5;

double Kb2Mb(uint64_t kb) { return static_cast<double>(kb) / 1024.0; }

void PrintPdfTable(const Options& o, const PdfReport& r) {
  const double mb = Mb(r.corpus.bytes);
  const auto pages = static_cast<double>(r.read.pages);
  std::printf("fiscdex bench --pdf: scale %d, %zu PDFs, %llu pages, %.1f MB (%s)\n", o.scale,
              r.corpus.files.size(), static_cast<unsigned long long>(r.read.pages), mb,
              r.corpus.docs_dir.c_str());
  if (r.corpus.copy_s > 0) std::printf("  copy      %.2f s\n", r.corpus.copy_s);
  std::printf("\n  %-30s %8s %8s %9s %8s\n", "", "wall s", "cpu s", "pages/s", "MB/s");
  auto row = [&](const char* what, double wall, double cpu, const std::string& note) {
    std::printf("  %-30s %8.2f %8.2f %9.1f %8.2f   %s\n", what, wall, cpu, Rate(pages, wall),
                Rate(mb, wall), note.c_str());
  };
  const PdftotextInfo& p = r.pdftotext;
  char note[160];
  if (!p.path.empty()) {
    std::snprintf(note, sizeof note, "one process per file; a start is %.1f ms (%.2f s in all)%s",
                  p.start_s * 1000.0, p.start_s * static_cast<double>(r.corpus.files.size()),
                  p.failed ? ", SOME FAILED" : "");
    row("pdftotext -layout", p.wall_s, p.user_s + p.sys_s, note);
  }
  row("fiscdex LoadFile", r.read.load_s, r.read.load_cpu_s,
      r.read.failed ? "SOME FAILED: " + r.read.first_error : "Poppler + layout, in process");
  std::snprintf(note, sizeof note, "%.1f MB of text, %llu records, %llu passages",
                Mb(r.read.text_bytes), static_cast<unsigned long long>(r.read.records),
                static_cast<unsigned long long>(r.read.passages));
  row("normalize + extract", r.read.text_s, r.read.text_cpu_s, note);
  row("LoadFile + text", r.read.load_s + r.read.text_s, r.read.load_cpu_s + r.read.text_cpu_s,
      "");
  if (!p.path.empty()) {
    row("pdftotext + text", p.wall_s + r.read.text_s, p.user_s + p.sys_s + r.read.text_cpu_s,
        "");
    const PdfRatios q = ComputeRatios(r);
    std::printf("\n  LoadFile / pdftotext                      %.2fx wall   %.2fx cpu\n", q.load,
                q.load_cpu);
    std::printf("  (LoadFile + text) / (pdftotext + text)    %.2fx wall   %.2fx cpu   "
                "target <= %.1fx: %s\n",
                q.with_text, q.with_text_cpu, kPdfTarget,
                q.with_text <= kPdfTarget ? "met" : "NOT met");
  } else {
    std::printf("\n  pdftotext: not on PATH (Debian package poppler-utils); comparison skipped\n");
  }
  if (r.ingest.ran) {
    std::printf("\n  ingest    %.2f s   %.2f MB/s   %.1f pages/s   peak RSS %.1f MB   "
                "cpu %.2f s user + %.2f s sys   exit %d   (fiscdex ingest, into %.1f MB of "
                "index)\n",
                r.ingest.wall_s, Rate(mb, r.ingest.wall_s), Rate(pages, r.ingest.wall_s),
                Kb2Mb(r.ingest.peak_rss_kb), r.ingest.user_s, r.ingest.sys_s,
                r.ingest.exit_code, Mb(r.ingest.db_bytes + r.ingest.wal_bytes));
  }
  if (r.many.empty()) return;
  std::printf("\n  many pages: one generated PDF each, read in a fresh child process\n");
  for (const ManyPagesInfo& m : r.many) {
    std::printf("  %6d pages  %.1f MB file, written in %.2f s\n", m.pages, Mb(m.file_bytes),
                m.write_s);
    if (!m.error.empty()) {
      std::printf("         FAILED: %s\n", m.error.c_str());
      continue;
    }
    std::printf("         LoadFile            %7.2f s  %8.1f pages/s  %6.2f MB/s   RSS %.1f MB "
                "before, peak %.1f MB after (+%.1f MB)\n",
                m.load_s, Rate(static_cast<double>(m.pages_read), m.load_s),
                Rate(Mb(m.file_bytes), m.load_s), Kb2Mb(m.rss_before_kb),
                Kb2Mb(m.hwm_load_kb), Kb2Mb(m.hwm_load_kb - m.rss_before_kb));
    std::printf("         normalize + extract %7.2f s  %8.1f pages/s                peak %.1f "
                "MB after; %.1f MB of text, %llu blocks, %llu records\n",
                m.pipeline_s, Rate(static_cast<double>(m.pages_read), m.pipeline_s),
                Kb2Mb(m.hwm_pipeline_kb), Mb(m.text_bytes),
                static_cast<unsigned long long>(m.blocks),
                static_cast<unsigned long long>(m.records));
    if (m.pdftotext_s > 0) {
      std::printf("         pdftotext -layout   %7.2f s  %8.1f pages/s  %6.2f MB/s   peak RSS "
                  "%.1f MB\n",
                  m.pdftotext_s, Rate(static_cast<double>(m.pages), m.pdftotext_s),
                  Rate(Mb(m.file_bytes), m.pdftotext_s), Kb2Mb(m.pdftotext_rss_kb));
    }
  }
  // What each further page costs, with what was there before any page (the
  // process, Poppler's start-up) taken out by the difference.
  if (r.many.size() == 2 && r.many[0].error.empty() && r.many[1].error.empty()) {
    const ManyPagesInfo& a = r.many[0];
    const ManyPagesInfo& b = r.many[1];
    const double per = 1000.0 / static_cast<double>(b.pages - a.pages);
    const auto grow = [](const ManyPagesInfo& m, uint64_t hwm) {
      return Kb2Mb(hwm) - Kb2Mb(m.rss_before_kb);
    };
    std::printf("  per 1000 further pages (%d vs %d): +%.2f MB peak at LoadFile, +%.2f MB with "
                "normalize + extract; the file grows %.2f MB, the text %.2f MB\n",
                b.pages, a.pages, (grow(b, b.hwm_load_kb) - grow(a, a.hwm_load_kb)) * per,
                (grow(b, b.hwm_pipeline_kb) - grow(a, a.hwm_pipeline_kb)) * per,
                (Mb(b.file_bytes) - Mb(a.file_bytes)) * per,
                (Mb(b.text_bytes) - Mb(a.text_bytes)) * per);
  }
}

// One stage of the PDF JSON: times and rates over the fixture copies. The
// object is left open for the caller's own fields; the caller closes it.
std::string JsonStage(double wall, double cpu, double pages, double mb) {
  return "{\"wall_s\": " + Fixed(wall, 3) + ", \"cpu_s\": " + Fixed(cpu, 3) +
         ", \"pages_per_s\": " + Fixed(Rate(pages, wall), 1) +
         ", \"mb_per_s\": " + Fixed(Rate(mb, wall), 3);
}

void PrintPdfJson(const Options& o, const PdfReport& r) {
  const double mb = Mb(r.corpus.bytes);
  const auto pages = static_cast<double>(r.read.pages);
  const PdftotextInfo& p = r.pdftotext;
  std::string j = "{";
  j += "\"scale\": " + std::to_string(o.scale);
  j += ", \"out\": " + JsonString(o.out);
  j += ", \"documents\": " + std::to_string(r.corpus.files.size());
  j += ", \"input_bytes\": " + std::to_string(r.corpus.bytes);
  j += ", \"pdf\": {\"fixtures\": " + JsonString(o.pdf_fixtures);
  j += ", \"pages\": " + std::to_string(r.read.pages);
  j += ", \"text_bytes\": " + std::to_string(r.read.text_bytes);
  j += ", \"copy_s\": " + Fixed(r.corpus.copy_s, 3);
  if (p.path.empty()) {
    j += ", \"pdftotext\": null, \"pdftotext_note\": " +
         JsonString("pdftotext is not on PATH (poppler-utils); comparison skipped");
  } else {
    j += ", \"pdftotext\": " + JsonStage(p.wall_s, p.user_s + p.sys_s, pages, mb) +
         ", \"path\": " + JsonString(p.path) + ", \"start_s\": " + Fixed(p.start_s, 5) +
         ", \"failed\": " + std::to_string(p.failed) + "}";
  }
  j += ", \"load\": " + JsonStage(r.read.load_s, r.read.load_cpu_s, pages, mb) +
       ", \"failed\": " + std::to_string(r.read.failed) + ", \"first_error\": " +
       (r.read.first_error.empty() ? "null" : JsonString(r.read.first_error)) + "}";
  j += ", \"text_pipeline\": " + JsonStage(r.read.text_s, r.read.text_cpu_s, pages, mb) +
       ", \"records\": " + std::to_string(r.read.records) +
       ", \"passages\": " + std::to_string(r.read.passages) + "}";
  if (!p.path.empty()) {
    const PdfRatios q = ComputeRatios(r);
    j += ", \"ratios\": {\"load_to_pdftotext\": " + Fixed(q.load, 3) +
         ", \"load_to_pdftotext_cpu\": " + Fixed(q.load_cpu, 3) +
         ", \"with_text_pipeline\": " + Fixed(q.with_text, 3) +
         ", \"with_text_pipeline_cpu\": " + Fixed(q.with_text_cpu, 3) +
         ", \"target\": " + Fixed(kPdfTarget, 1) +
         ", \"target_met\": " + (q.with_text <= kPdfTarget ? "true" : "false") + "}";
  }
  if (r.ingest.ran) {
    j += ", \"ingest\": {\"wall_s\": " + Fixed(r.ingest.wall_s, 3) +
         ", \"mb_per_s\": " + Fixed(Rate(mb, r.ingest.wall_s), 3) +
         ", \"pages_per_s\": " + Fixed(Rate(pages, r.ingest.wall_s), 1) +
         ", \"peak_rss_kb\": " + std::to_string(r.ingest.peak_rss_kb) +
         ", \"user_s\": " + Fixed(r.ingest.user_s, 3) +
         ", \"sys_s\": " + Fixed(r.ingest.sys_s, 3) +
         ", \"exit_code\": " + std::to_string(r.ingest.exit_code) +
         ", \"db_bytes\": " + std::to_string(r.ingest.db_bytes) +
         ", \"wal_bytes\": " + std::to_string(r.ingest.wal_bytes) + "}";
  }
  j += ", \"many_pages\": [";
  for (size_t i = 0; i < r.many.size(); ++i) {
    const ManyPagesInfo& m = r.many[i];
    j += i ? ", " : "";
    j += "{\"pages\": " + std::to_string(m.pages) +
         ", \"file_bytes\": " + std::to_string(m.file_bytes) +
         ", \"write_s\": " + Fixed(m.write_s, 3) +
         ", \"error\": " + (m.error.empty() ? "null" : JsonString(m.error)) +
         ", \"pages_read\": " + std::to_string(m.pages_read) +
         ", \"load_s\": " + Fixed(m.load_s, 3) +
         ", \"load_pages_per_s\": " + Fixed(Rate(static_cast<double>(m.pages_read), m.load_s), 1) +
         ", \"load_mb_per_s\": " + Fixed(Rate(Mb(m.file_bytes), m.load_s), 3) +
         ", \"pipeline_s\": " + Fixed(m.pipeline_s, 3) +
         ", \"rss_before_kb\": " + std::to_string(m.rss_before_kb) +
         ", \"peak_after_load_kb\": " + std::to_string(m.hwm_load_kb) +
         ", \"peak_after_pipeline_kb\": " + std::to_string(m.hwm_pipeline_kb) +
         ", \"text_bytes\": " + std::to_string(m.text_bytes) +
         ", \"blocks\": " + std::to_string(m.blocks) +
         ", \"records\": " + std::to_string(m.records) +
         ", \"pdftotext_s\": " + (m.pdftotext_s > 0 ? Fixed(m.pdftotext_s, 3) : "null") +
         ", \"pdftotext_peak_rss_kb\": " +
         (m.pdftotext_s > 0 ? std::to_string(m.pdftotext_rss_kb) : "null") + "}";
  }
  j += "]}}\n";
  std::fputs(j.c_str(), stdout);
}

// Sets every file's mtime to now: the next ingest must read and hash each
// one again, and finds the same content.
Status TouchAll(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    if (utimensat(AT_FDCWD, entry.path().c_str(), nullptr, 0) != 0) {
      return Status::IoError(entry.path().string() + ": cannot touch");
    }
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  return Status::Ok();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "fiscdex_bench: %s\n", status.ToString().c_str());
  return 1;
}

// --pdf: the fixture copies through pdftotext and through fiscdex, the CLI
// ingest of them, then the many-page check.
int RunPdf(const Options& o) {
  const std::string pdf_dir = o.out + "/pdf";
  PdfReport r;
  auto corpus = PreparePdfDocs(o, pdf_dir + "/docs");
  if (!corpus.ok()) return Fail(corpus.status());
  r.corpus = std::move(*corpus);

  const std::string pdftotext = FindOnPath("pdftotext");
  if (pdftotext.empty()) {
    std::fprintf(stderr,
                 "fiscdex_bench: note: pdftotext is not on PATH (Debian package poppler-utils); "
                 "the comparison with it is skipped\n");
  }
  r.pdftotext.path = pdftotext;
  if (Status read = ReadPdfsTakingTurns(r.corpus.files, pdf_dir + "/pdftotext", &r.pdftotext,
                                        &r.read);
      !read.ok()) {
    return Fail(read);
  }
  if (!o.skip_ingest) {
    auto ran = RunIngest(o, pdf_dir + "/index.db", r.corpus.docs_dir, o.jobs.back());
    if (!ran.ok()) return Fail(ran.status());
    r.ingest = *ran;
  }

  // The smaller file tells what any PDF costs; the difference to the larger
  // one, what each further page costs.
  std::vector<int> sizes = {std::max(1, o.pdf_pages / 10), o.pdf_pages};
  if (sizes[0] == sizes[1]) sizes.pop_back();
  Progress progress;
  for (size_t i = 0; i < sizes.size(); ++i) {
    progress.Update("many-page PDFs", i, sizes.size());
    auto ran = RunManyPages(pdftotext, pdf_dir + "/many", sizes[i]);
    if (!ran.ok()) return Fail(ran.status());
    r.many.push_back(std::move(*ran));
  }
  progress.Done();

  if (o.json) {
    PrintPdfJson(o, r);
  } else {
    PrintPdfTable(o, r);
  }
  // Exit 1 when the numbers cannot be trusted: a file either side could not
  // read, a refused document, a failed many-page step.
  bool failed = r.read.failed > 0 || r.pdftotext.failed > 0 ||
                (r.ingest.ran && r.ingest.exit_code != 0);
  for (const ManyPagesInfo& m : r.many) failed |= !m.error.empty();
  return failed ? 1 : 0;
}

// --- assess -----------------------------------------------------------------

// The views --assess times, each run once as `fiscdex --db DB ARGS...` on
// the assessment index. In ARGS, {vendor} is vendor 0's name and {out} the
// OUT/assess folder. A command that writes a file names it in `writes`: its
// size is the command's output; otherwise the output is its stdout, kept in
// {out}/output/. Timing another view is one more line. How long the report
// takes to open in a browser is bench/report_open.py's to measure.
struct AssessCommand {
  const char* name;      // as the table prints it
  const char* slug;      // file names of its stdout and stderr in {out}/output
  const char* args[10];  // null-terminated
  const char* writes;    // the file it writes, or null
};

constexpr AssessCommand kAssessCommands[] = {
    {"coverage --json", "coverage-json", {"coverage", "--json"}, nullptr},
    {"coverage", "coverage", {"coverage"}, nullptr},
    {"criteria --json", "criteria-json", {"criteria", "--json"}, nullptr},
    {"diff --vendor V0", "diff-vendor", {"diff", "--vendor", "{vendor}"}, nullptr},
    {"export xlsx",
     "export-xlsx",
     {"export", "--format", "xlsx", "--out", "{out}/export.xlsx"},
     "{out}/export.xlsx"},
    {"export csv",
     "export-csv",
     {"export", "--format", "csv", "--out", "{out}/export.csv"},
     "{out}/export.csv"},
    {"report", "report", {"report", "--out", "{out}/report.html"}, "{out}/report.html"},
};

std::string ExpandAssessArg(std::string arg, const std::string& vendor, const std::string& out) {
  for (const auto& [key, value] :
       {std::pair<std::string, const std::string&>{"{vendor}", vendor}, {"{out}", out}}) {
    for (size_t at = arg.find(key); at != std::string::npos;
         at = arg.find(key, at + value.size())) {
      arg.replace(at, key.size(), value);
    }
  }
  return arg;
}

struct AssessPoolInfo {
  AnswerPool pool;
  size_t real_criteria = 0;  // of pool.criteria, the IDs some source answers (the rest pad)
  int seed_files = 0;  // of pool.files, how many came from the seeds
  double read_s = 0;
};

struct AssessIndexInfo {
  int64_t documents = 0;
  int64_t records = 0;
  int vendors = 0;               // distinct vendors the extractor named
  int mismatched_documents = 0;  // documents whose record count is not the generated one
  int unknown_documents = 0;     // documents the generator did not write
  std::string first_mismatch;    // "path: N records, M generated"
};

struct AssessViewRun {
  const AssessCommand* command = nullptr;
  std::vector<std::string> args;  // as run, after --db DB
  ChildInfo child;
  std::string output_path;  // the file whose size is output_bytes
  uint64_t output_bytes = 0;
  std::string error;  // stderr's first line when the command failed
};

struct AssessReport {
  AssessPoolInfo pool;
  DocsInfo docs;                // the files on disk
  AssessCorpusStats generated;  // what the generator wrote (or would have)
  std::string vendor0;
  IngestInfo ingest;
  AssessIndexInfo index;
  std::vector<AssessViewRun> views;
  uint64_t bench_peak_rss_kb = 0;  // the floor of the views' peak RSS
};

// The pool: the seeds (when there) and corpus/'s text files, read in process.
Result<AssessPoolInfo> ReadAssessPool(const Options& o) {
  AssessPoolInfo info;
  const auto start = Clock::now();
  std::vector<std::string> files;
  if (auto seeds = ListPoolFiles(o.seeds); seeds.ok()) {
    files = std::move(*seeds);
    info.seed_files = static_cast<int>(files.size());
  } else {
    std::fprintf(stderr, "fiscdex_bench: note: %s; the answer pool is corpus/ alone\n",
                 seeds.status().ToString().c_str());
  }
  ASSIGN_OR_RETURN(std::vector<std::string> corpus,
                   ListPoolFiles(std::string(FISCDEX_SOURCE_DIR) + "/corpus"));
  files.insert(files.end(), corpus.begin(), corpus.end());
  ASSIGN_OR_RETURN(info.pool, BuildAnswerPool(files));
  info.real_criteria = info.pool.criteria.size();
  PadUniverse(&info.pool, static_cast<size_t>(o.criteria));
  info.read_s = Seconds(Clock::now() - start);
  return info;
}

// What the index holds against what was generated. Documents are matched by
// their path under the docs folder.
Result<AssessIndexInfo> CheckAssessIndex(const std::string& db, const std::string& docs_dir,
                                         const AssessCorpusStats& generated) {
  if (!fs::exists(db)) return Status::NotFound(db + ": no index (run without --skip-ingest)");
  ASSIGN_OR_RETURN(std::unique_ptr<index::Index> opened, index::Index::Open(db));
  ASSIGN_OR_RETURN(std::vector<index::DocumentSummary> documents, opened->ListDocuments());
  AssessIndexInfo info;
  std::error_code ec;
  const fs::path docs_root = fs::weakly_canonical(docs_dir, ec);
  std::set<std::string> vendors;
  for (const index::DocumentSummary& d : documents) {
    ++info.documents;
    info.records += d.records;
    if (d.vendor) vendors.insert(*d.vendor);
    const std::string relative =
        fs::weakly_canonical(d.path, ec).lexically_relative(docs_root).generic_string();
    const auto found = generated.records_by_path.find(relative);
    if (found == generated.records_by_path.end()) {
      ++info.unknown_documents;
    } else if (found->second != d.records) {
      if (info.mismatched_documents++ == 0) {
        info.first_mismatch = relative + ": " + std::to_string(d.records) + " records, " +
                              std::to_string(found->second) + " generated";
      }
    }
  }
  info.vendors = static_cast<int>(vendors.size());
  return info;
}

// The index is fit to time views on when it holds every generated document
// and (nearly) every record: an extractor change that loses a layout's
// records would otherwise make the views look fast.
bool AssessIndexIsSane(const AssessReport& r) {
  const auto want = static_cast<double>(r.generated.records);
  return r.index.documents == static_cast<int64_t>(r.generated.files) &&
         r.index.unknown_documents == 0 &&
         std::abs(static_cast<double>(r.index.records) - want) <= 0.01 * want;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

Result<AssessViewRun> RunAssessView(const Options& o, const std::string& db,
                                    const std::string& assess_dir, const std::string& vendor,
                                    const AssessCommand& command) {
  AssessViewRun run;
  run.command = &command;
  for (const char* const* arg = command.args; *arg != nullptr; ++arg) {
    run.args.push_back(ExpandAssessArg(*arg, vendor, assess_dir));
  }
  const std::string output_dir = assess_dir + "/output";
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec) return Status::IoError(output_dir + ": cannot create: " + ec.message());
  ChildOutput output;
  output.stdout_path = output_dir + "/" + command.slug + ".out";
  output.stderr_path = output_dir + "/" + command.slug + ".err";
  run.output_path = command.writes != nullptr ? ExpandAssessArg(command.writes, vendor, assess_dir)
                                              : output.stdout_path;
  // A file left by an earlier run must not pass for this run's output.
  if (command.writes != nullptr) fs::remove(run.output_path, ec);
  std::vector<std::string> argv = {o.fiscdex, "--db", db};
  argv.insert(argv.end(), run.args.begin(), run.args.end());
  ASSIGN_OR_RETURN(run.child, SpawnAndWait(argv, output));
  run.output_bytes = FileSize(run.output_path);
  if (run.child.exit_code != 0) {
    run.error = FirstLine(output.stderr_path);
    if (run.error.empty()) run.error = "exited with status " + std::to_string(run.child.exit_code);
  }
  return run;
}

// 135210 -> "135,210": counts of records are read at a glance.
std::string Thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void PrintAssessTable(const Options& o, const AssessReport& r) {
  const double mb = Mb(r.docs.bytes);
  std::printf(
      "fiscdex bench --assess: %d vendors x %d versions, %llu documents, %.1f MB input "
      "(%s/assess)\n",
      o.vendors, o.versions, static_cast<unsigned long long>(r.docs.files), mb, o.out.c_str());
  const AnswerPool& pool = r.pool.pool;
  std::printf(
      "  pool      %zu criteria (the universe; %zu answered in the sources, the rest their "
      "families' next numbers), %s distinct answers, from %d of %d files "
      "(%d seeds + %d corpus/), read in %.2f s\n",
      pool.criteria.size(), r.pool.real_criteria, Thousands(pool.all_answers.size()).c_str(), pool.files_with_records,
      pool.files, r.pool.seed_files, pool.files - r.pool.seed_files, r.pool.read_s);
  if (r.docs.generate_s > 0) {
    std::printf("  generate  %.2f s   %s records in %llu files\n", r.docs.generate_s,
                Thousands(r.generated.records).c_str(),
                static_cast<unsigned long long>(r.generated.files));
  }
  if (r.ingest.ran) {
    std::printf(
        "  ingest    %.2f s   %.2f MB/s   %.1f docs/s   %.0f records/s   peak RSS %.1f MB   "
        "cpu %.2f s user + %.2f s sys   --jobs %d   exit %d\n",
        r.ingest.wall_s, Rate(mb, r.ingest.wall_s),
        Rate(static_cast<double>(r.docs.files), r.ingest.wall_s),
        Rate(static_cast<double>(r.index.records), r.ingest.wall_s), Kb2Mb(r.ingest.peak_rss_kb),
        r.ingest.user_s, r.ingest.sys_s, r.ingest.jobs, r.ingest.exit_code);
  }
  std::printf("  index     %s documents, %s records (%s generated), %d vendors named%s",
              Thousands(r.index.documents).c_str(), Thousands(r.index.records).c_str(),
              Thousands(r.generated.records).c_str(), r.index.vendors,
              AssessIndexIsSane(r) ? "" : "   NOT AS GENERATED");
  if (r.ingest.ran) {
    std::printf("; %.1f MB (db %.1f + wal %.1f)", Mb(r.ingest.db_bytes + r.ingest.wal_bytes),
                Mb(r.ingest.db_bytes), Mb(r.ingest.wal_bytes));
  }
  std::printf("\n");
  if (r.index.mismatched_documents > 0 || r.index.unknown_documents > 0) {
    std::printf(
        "            %d documents with another record count than generated (first: %s), "
        "%d not generated\n",
        r.index.mismatched_documents, r.index.first_mismatch.c_str(), r.index.unknown_documents);
  }
  if (r.views.empty()) return;
  std::printf(
      "\n  views, each run once; V0 is vendor 0, %s; a peak RSS under %.1f MB (the "
      "bench's own) would read as %.1f\n",
      r.vendor0.c_str(), Kb2Mb(r.bench_peak_rss_kb), Kb2Mb(r.bench_peak_rss_kb));
  std::printf("  %-18s %8s %8s %8s %8s %12s %12s %5s\n", "view", "wall s", "cpu s", "user s",
              "sys s", "peak RSS MB", "output", "exit");
  for (const AssessViewRun& run : r.views) {
    const bool large = run.output_bytes >= (1u << 20);
    char output[32];
    std::snprintf(output, sizeof output, large ? "%.1f MB" : "%.1f KB",
                  large ? Mb(run.output_bytes) : static_cast<double>(run.output_bytes) / 1024.0);
    const std::string note =
        run.error.empty() ? fs::path(run.output_path).filename().string() : "FAILED: " + run.error;
    std::printf("  %-18s %8.2f %8.2f %8.2f %8.2f %12.1f %12s %5d   %s\n", run.command->name,
                run.child.wall_s, run.child.user_s + run.child.sys_s, run.child.user_s,
                run.child.sys_s, Kb2Mb(run.child.peak_rss_kb), output, run.child.exit_code,
                note.c_str());
  }
}

void PrintAssessJson(const Options& o, const AssessReport& r) {
  const AnswerPool& pool = r.pool.pool;
  const double mb = Mb(r.docs.bytes);
  std::string j = "{\"mode\": \"assess\"";
  j += ", \"vendors\": " + std::to_string(o.vendors);
  j += ", \"versions\": " + std::to_string(o.versions);
  j += ", \"out\": " + JsonString(o.out + "/assess");
  j += ", \"documents\": " + std::to_string(r.docs.files);
  j += ", \"input_bytes\": " + std::to_string(r.docs.bytes);
  j += ", \"pool\": {\"criteria\": " + std::to_string(pool.criteria.size()) +
       ", \"answered_criteria\": " + std::to_string(r.pool.real_criteria) +
       ", \"answers\": " + std::to_string(pool.all_answers.size()) +
       ", \"records\": " + std::to_string(pool.records) +
       ", \"files\": " + std::to_string(pool.files) +
       ", \"files_with_records\": " + std::to_string(pool.files_with_records) +
       ", \"seed_files\": " + std::to_string(r.pool.seed_files) +
       ", \"read_s\": " + Fixed(r.pool.read_s, 3) + "}";
  j += ", \"generate_s\": " + Fixed(r.docs.generate_s, 3);
  j += ", \"records_generated\": " + std::to_string(r.generated.records);
  j += ", \"vendor0\": " + JsonString(r.vendor0);
  if (r.ingest.ran) {
    j += ", \"ingest\": {\"jobs\": " + std::to_string(r.ingest.jobs) +
         ", \"wall_s\": " + Fixed(r.ingest.wall_s, 3) +
         ", \"mb_per_s\": " + Fixed(Rate(mb, r.ingest.wall_s), 3) +
         ", \"docs_per_s\": " + Fixed(Rate(static_cast<double>(r.docs.files), r.ingest.wall_s), 1) +
         ", \"records_per_s\": " +
         Fixed(Rate(static_cast<double>(r.index.records), r.ingest.wall_s), 1) +
         ", \"peak_rss_kb\": " + std::to_string(r.ingest.peak_rss_kb) +
         ", \"user_s\": " + Fixed(r.ingest.user_s, 3) + ", \"sys_s\": " + Fixed(r.ingest.sys_s, 3) +
         ", \"exit_code\": " + std::to_string(r.ingest.exit_code) +
         ", \"db_bytes\": " + std::to_string(r.ingest.db_bytes) +
         ", \"wal_bytes\": " + std::to_string(r.ingest.wal_bytes) + "}";
  } else {
    j += ", \"ingest\": null";
  }
  j += ", \"index\": {\"documents\": " + std::to_string(r.index.documents) +
       ", \"records\": " + std::to_string(r.index.records) +
       ", \"vendors\": " + std::to_string(r.index.vendors) +
       ", \"mismatched_documents\": " + std::to_string(r.index.mismatched_documents) +
       ", \"unknown_documents\": " + std::to_string(r.index.unknown_documents) +
       ", \"as_generated\": " + (AssessIndexIsSane(r) ? "true" : "false") + "}";
  j += ", \"bench_peak_rss_kb\": " + std::to_string(r.bench_peak_rss_kb);
  j += ", \"views\": [";
  for (size_t i = 0; i < r.views.size(); ++i) {
    const AssessViewRun& run = r.views[i];
    std::string args;
    for (const std::string& a : run.args) args += (args.empty() ? "" : ", ") + JsonString(a);
    j += i ? ", " : "";
    j += "{\"name\": " + JsonString(run.command->name) + ", \"args\": [" + args + "]" +
         ", \"wall_s\": " + Fixed(run.child.wall_s, 3) +
         ", \"cpu_s\": " + Fixed(run.child.user_s + run.child.sys_s, 3) +
         ", \"user_s\": " + Fixed(run.child.user_s, 3) +
         ", \"sys_s\": " + Fixed(run.child.sys_s, 3) +
         ", \"peak_rss_kb\": " + std::to_string(run.child.peak_rss_kb) +
         ", \"output\": " + JsonString(run.output_path) +
         ", \"output_bytes\": " + std::to_string(run.output_bytes) +
         ", \"exit_code\": " + std::to_string(run.child.exit_code) +
         ", \"error\": " + (run.error.empty() ? "null" : JsonString(run.error)) + "}";
  }
  j += "]}\n";
  std::fputs(j.c_str(), stdout);
}

// --assess: pool, corpus, ingest, check, then each view of kAssessCommands.
int RunAssess(const Options& o) {
  const std::string assess_dir = o.out + "/assess";
  const std::string docs_dir = assess_dir + "/docs";
  const std::string db = assess_dir + "/index.db";
  AssessReport r;
  r.vendor0 = AssessVendors(1)[0].name;

  auto pool = ReadAssessPool(o);
  if (!pool.ok()) return Fail(pool.status());
  r.pool = std::move(*pool);

  if (!o.skip_generate) {
    Progress progress;
    const auto start = Clock::now();
    auto generated = GenerateAssessCorpus(
        r.pool.pool, o.vendors, o.versions, docs_dir,
        [&](uint64_t done, uint64_t total) { progress.Update("generating", done, total); });
    progress.Done();
    if (!generated.ok()) return Fail(generated.status());
    r.generated = std::move(*generated);
    r.docs.generate_s = Seconds(Clock::now() - start);
  } else {
    // The corpus is a function of the pool and V x K: what it holds can be
    // worked out again without writing it.
    auto described = DescribeAssessCorpus(r.pool.pool, o.vendors, o.versions);
    if (!described.ok()) return Fail(described.status());
    r.generated = std::move(*described);
  }
  auto listed = ListDocs(docs_dir, &r.docs.bytes);
  if (!listed.ok()) return Fail(listed.status());
  r.docs.files = listed->size();

  if (!o.skip_ingest) {
    auto ran = RunIngest(o, db, docs_dir, o.jobs.back());
    if (!ran.ok()) return Fail(ran.status());
    r.ingest = *ran;
  }
  auto checked = CheckAssessIndex(db, docs_dir, r.generated);
  if (!checked.ok()) return Fail(checked.status());
  r.index = std::move(*checked);

  // posix_spawn starts the child on the bench's own pages (vfork), and the
  // kernel counts their peak into the child's ru_maxrss at exec: no figure
  // below the bench's peak means anything.
  r.bench_peak_rss_kb = ReadMemory().hwm_kb;
  Progress progress;
  for (size_t i = 0; i < std::size(kAssessCommands); ++i) {
    // Names the view running now: "coverage --json 1/6".
    progress.Update(kAssessCommands[i].name, i + 1, std::size(kAssessCommands));
    auto run = RunAssessView(o, db, assess_dir, r.vendor0, kAssessCommands[i]);
    if (!run.ok()) return Fail(run.status());
    r.views.push_back(std::move(*run));
  }
  progress.Done();

  if (o.json) {
    PrintAssessJson(o, r);
  } else {
    PrintAssessTable(o, r);
  }
  // Exit 1 when the numbers cannot be trusted: a refused document, an index
  // that does not hold what was generated, a view that failed.
  bool failed = (r.ingest.ran && r.ingest.exit_code != 0) || !AssessIndexIsSane(r);
  for (const AssessViewRun& run : r.views) {
    if (run.child.exit_code == 0) continue;
    failed = true;
    std::fprintf(stderr, "fiscdex_bench: %s failed: %s\n", run.command->name, run.error.c_str());
  }
  return failed ? 1 : 0;
}

int Run(int argc, char** argv) {
  bool help = false;
  auto parsed = ParseArgs(argc, argv, &help);
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!parsed.ok()) {
    std::fprintf(stderr, "fiscdex_bench: %s\n%s", parsed.status().message().c_str(), kUsage);
    return 2;
  }
  const Options& o = *parsed;
  if (!o.load_pdf.empty()) return RunLoadPdf(o.load_pdf);
  const std::string docs_dir = o.out + "/docs";
  const std::string db = o.out + "/index.db";
  // Fail before the minutes of generating, not after.
  std::error_code ec;
  if (!o.mecab_only && !o.skip_ingest && !fs::exists(o.fiscdex, ec)) {
    return Fail(Status::NotFound(o.fiscdex + ": no fiscdex binary (build it, or pass --fiscdex)"));
  }

  if (o.pdf) return RunPdf(o);
  if (o.assess) return RunAssess(o);

  auto docs = PrepareDocs(o, docs_dir);
  if (!docs.ok()) return Fail(docs.status());

  if (o.mecab_only) {
    auto mecab = RunMecab(docs_dir);
    if (!mecab.ok()) return Fail(mecab.status());
    if (o.json) {
      PrintJson(o, *docs, nullptr, nullptr, &*mecab);
    } else {
      PrintTable(o, *docs, nullptr, nullptr, &*mecab);
    }
    return 0;
  }

  IngestRuns runs;
  if (!o.skip_ingest) {
    for (int jobs : o.jobs) {
      auto ran = RunIngest(o, db, docs_dir, jobs);
      if (!ran.ok()) return Fail(ran.status());
      runs.full.push_back(*ran);
    }
    auto unchanged = RunIngest(o, db, docs_dir, o.jobs.back(), /*fresh=*/false);
    if (!unchanged.ok()) return Fail(unchanged.status());
    runs.unchanged = *unchanged;
    if (Status touched = TouchAll(docs_dir); !touched.ok()) return Fail(touched);
    auto touched = RunIngest(o, db, docs_dir, o.jobs.back(), /*fresh=*/false);
    if (!touched.ok()) return Fail(touched.status());
    runs.touched = *touched;
  }
  auto queries = RunQueries(o, db);
  if (!queries.ok()) return Fail(queries.status());

  if (o.json) {
    PrintJson(o, *docs, &runs, &*queries, nullptr);
  } else {
    PrintTable(o, *docs, &runs, &*queries, nullptr);
  }
  // Exit 1 when the numbers cannot be trusted: a document the CLI refused
  // (it exits 1) or a query that failed.
  bool ingest_failed = false;
  for (const IngestInfo& run : runs.full) ingest_failed |= run.exit_code != 0;
  ingest_failed |= runs.unchanged.exit_code != 0 || runs.touched.exit_code != 0;
  return ingest_failed || Summarize(*queries).failed ? 1 : 0;
}

}  // namespace
}  // namespace fiscdex::bench

int main(int argc, char** argv) { return fiscdex::bench::Run(argc, argv); }
