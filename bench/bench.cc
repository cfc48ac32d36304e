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
#include <spawn.h>
#include <sys/resource.h>
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
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "base/status.h"
#include "bench/corpus_gen.h"
#include "index/index.h"
#include "index/mecab_segmenter.h"

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
    "  --out DIR         working folder (default: bench/out/scaleN)\n"
    "  --fiscdex PATH    the fiscdex binary (default: BUILD/tools/fiscdex)\n"
    "  --repeat R        timed runs of each query (default 20)\n"
    "  --limit K         hits asked of each search (default 10)\n"
    "  --skip-generate   reuse OUT/docs\n"
    "  --skip-ingest     reuse OUT/index.db (queries only)\n"
    "  --mecab-only      segment OUT/docs with MeCab in process instead\n"
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
    } else if (arg == "--scale" || arg == "--repeat" || arg == "--limit") {
      RETURN_IF_ERROR(need(&v));
      ASSIGN_OR_RETURN(int n, ParsePositive(arg, v));
      (arg == "--scale" ? o.scale : arg == "--repeat" ? o.repeat : o.limit) = n;
    } else if (arg == "--skip-generate") {
      o.skip_generate = true;
    } else if (arg == "--skip-ingest") {
      o.skip_ingest = true;
    } else if (arg == "--mecab-only") {
      o.mecab_only = true;
    } else if (arg == "--json") {
      o.json = true;
    } else {
      return Status::InvalidArgument("unknown argument \"" + arg + "\"");
    }
  }
  if (o.out.empty()) {
    o.out = std::string(FISCDEX_SOURCE_DIR) + "/bench/out/scale" + std::to_string(o.scale);
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

// Runs the CLI with posix_spawn (no shell: paths may hold anything) and
// waits with wait4() for its own rusage.
Result<IngestInfo> RunIngest(const Options& o, const std::string& db, const std::string& docs) {
  std::error_code ec;
  // A fresh index every run: an existing one would turn the ingest into a
  // skip-unchanged pass.
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix, ec);

  std::vector<std::string> args = {o.fiscdex, "--db", db, "ingest", docs, "--quiet"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  IngestInfo info;
  info.ran = true;
  const auto start = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, o.fiscdex.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) return Status::IoError(o.fiscdex + ": cannot start: " + std::strerror(rc));
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

void PrintTable(const Options& o, const DocsInfo& docs, const IngestInfo* ingest,
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
  if (ingest != nullptr && ingest->ran) {
    std::printf("  ingest    %.2f s   %.2f MB/s   %.1f docs/s   peak RSS %.1f MB   "
                "cpu %.2f s user + %.2f s sys   exit %d\n",
                ingest->wall_s, Rate(Mb(docs.bytes), ingest->wall_s),
                Rate(static_cast<double>(docs.files), ingest->wall_s),
                static_cast<double>(ingest->peak_rss_kb) / 1024.0, ingest->user_s, ingest->sys_s,
                ingest->exit_code);
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

void PrintJson(const Options& o, const DocsInfo& docs, const IngestInfo* ingest,
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
  if (ingest != nullptr && ingest->ran) {
    j += ", \"ingest\": {\"wall_s\": " + Fixed(ingest->wall_s, 3) +
         ", \"mb_per_s\": " + Fixed(Rate(Mb(docs.bytes), ingest->wall_s), 3) +
         ", \"docs_per_s\": " + Fixed(Rate(static_cast<double>(docs.files), ingest->wall_s), 1) +
         ", \"peak_rss_kb\": " + std::to_string(ingest->peak_rss_kb) +
         ", \"user_s\": " + Fixed(ingest->user_s, 3) + ", \"sys_s\": " + Fixed(ingest->sys_s, 3) +
         ", \"exit_code\": " + std::to_string(ingest->exit_code) +
         ", \"db_bytes\": " + std::to_string(ingest->db_bytes) +
         ", \"wal_bytes\": " + std::to_string(ingest->wal_bytes) + "}";
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

int Fail(const Status& status) {
  std::fprintf(stderr, "fiscdex_bench: %s\n", status.ToString().c_str());
  return 1;
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
  const std::string docs_dir = o.out + "/docs";
  const std::string db = o.out + "/index.db";
  // Fail before the minutes of generating, not after.
  std::error_code ec;
  if (!o.mecab_only && !o.skip_ingest && !fs::exists(o.fiscdex, ec)) {
    return Fail(Status::NotFound(o.fiscdex + ": no fiscdex binary (build it, or pass --fiscdex)"));
  }

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

  IngestInfo ingest;
  if (!o.skip_ingest) {
    auto ran = RunIngest(o, db, docs_dir);
    if (!ran.ok()) return Fail(ran.status());
    ingest = *ran;
  }
  auto queries = RunQueries(o, db);
  if (!queries.ok()) return Fail(queries.status());

  if (o.json) {
    PrintJson(o, *docs, &ingest, &*queries, nullptr);
  } else {
    PrintTable(o, *docs, &ingest, &*queries, nullptr);
  }
  // Exit 1 when the numbers cannot be trusted: a document the CLI refused
  // (it exits 1) or a query that failed.
  const bool ingest_failed = ingest.ran && ingest.exit_code != 0;
  return ingest_failed || Summarize(*queries).failed ? 1 : 0;
}

}  // namespace
}  // namespace fiscdex::bench

int main(int argc, char** argv) { return fiscdex::bench::Run(argc, argv); }
