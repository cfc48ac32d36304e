// Helpers shared by the test suites.
#ifndef FISCDEX_TESTS_TEST_UTIL_H_
#define FISCDEX_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

#define ASSERT_OK(expr)                                   \
  do {                                                    \
    const auto& assert_ok_value_ = (expr);                \
    ASSERT_TRUE(::fiscdex::testing::IsOk(assert_ok_value_)) \
        << ::fiscdex::testing::Describe(assert_ok_value_); \
  } while (0)
#define EXPECT_OK(expr)                                   \
  do {                                                    \
    const auto& expect_ok_value_ = (expr);                \
    EXPECT_TRUE(::fiscdex::testing::IsOk(expect_ok_value_)) \
        << ::fiscdex::testing::Describe(expect_ok_value_); \
  } while (0)

namespace fiscdex::testing {

inline bool IsOk(const Status& s) { return s.ok(); }
template <typename T>
bool IsOk(const Result<T>& r) { return r.ok(); }
inline std::string Describe(const Status& s) { return s.ToString(); }
template <typename T>
std::string Describe(const Result<T>& r) { return r.status().ToString(); }

inline std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Where the tests make their temporary folders: $TMPDIR when it names a
// folder we can write, else /tmp, else the build tree (a read-only or
// missing $TMPDIR must not fail a test that is about something else).
inline const std::filesystem::path& TempRoot() {
  static const std::filesystem::path root = [] {
    std::vector<std::filesystem::path> candidates;
    if (const char* tmpdir = std::getenv("TMPDIR"); tmpdir != nullptr && *tmpdir != '\0') {
      candidates.emplace_back(tmpdir);
    }
    candidates.emplace_back("/tmp");
    candidates.emplace_back(std::filesystem::path(FISCDEX_BINARY_DIR) / "test-tmp");
    for (const std::filesystem::path& candidate : candidates) {
      std::error_code ec;
      std::filesystem::create_directories(candidate, ec);
      if (std::filesystem::is_directory(candidate, ec) &&
          access(candidate.c_str(), W_OK | X_OK) == 0) {
        return candidate;
      }
    }
    std::fprintf(stderr, "tests: no writable temporary folder ($TMPDIR, /tmp, %s)\n",
                 candidates.back().c_str());
    std::abort();
  }();
  return root;
}

// A fresh directory under TempRoot() (or under `base`), removed at
// destruction.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& base = TempRoot()) {
    std::string tmpl = (base / "fiscdex-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::fprintf(stderr, "tests: cannot make a folder in %s: %s\n", base.c_str(),
                   std::strerror(errno));
      std::abort();
    }
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Sets (or, with nullopt, unsets) an environment variable for the life of
// the guard, then puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    Set(value);
  }
  ~ScopedEnv() { Set(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void Set(const std::optional<std::string>& value) {
    if (value) {
      setenv(name_.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

// For a permission test's body: as root, whom mode bits do not stop, takes
// the identity of user nobody (effective user and group, no supplementary
// groups) until the end of the scope; as anyone else, changes nothing.
// `dir` (a TempDir of the test) is given to nobody first, as a user's own
// folder is theirs; what the test made in it stays root's. When
// nobody cannot reach `dir` (a folder above it is private: a checkout or
// TMPDIR under a 0700 folder), skip_reason() says so and the test skips.
class ScopedNobody {
 public:
  explicit ScopedNobody(const std::filesystem::path& dir) {
    if (geteuid() != 0) return;
    was_root_ = true;
    if (chown(dir.c_str(), kNobodyId, kNobodyId) != 0 || chmod(dir.c_str(), 0755) != 0) {
      skip_reason_ = "cannot give " + dir.string() + " to user nobody: " + std::strerror(errno);
      return;
    }
    const int count = getgroups(0, nullptr);
    groups_.resize(static_cast<size_t>(std::max(count, 0)));
    if (count < 0 || getgroups(count, groups_.data()) < 0 || setgroups(0, nullptr) != 0 ||
        setegid(kNobodyId) != 0 || seteuid(kNobodyId) != 0) {
      skip_reason_ = std::string("cannot become user nobody: ") + std::strerror(errno);
      return;
    }
    if (access(dir.c_str(), R_OK | X_OK) != 0) {
      skip_reason_ = "user nobody cannot reach " + dir.string() +
                     " (a folder above it is not searchable by others)";
    }
  }
  ~ScopedNobody() {
    if (!was_root_) return;
    // The tests after this one need root back: failing that is fatal.
    if ((geteuid() != 0 && seteuid(0) != 0) || setegid(0) != 0 ||
        setgroups(groups_.size(), groups_.data()) != 0) {
      std::abort();
    }
  }
  ScopedNobody(const ScopedNobody&) = delete;
  ScopedNobody& operator=(const ScopedNobody&) = delete;

  const std::string& skip_reason() const { return skip_reason_; }

 private:
  static constexpr uid_t kNobodyId = 65534;
  bool was_root_ = false;
  std::vector<gid_t> groups_;
  std::string skip_reason_;
};

// ../shared, or empty when it is absent (tests then GTEST_SKIP).
inline std::filesystem::path SharedDir() {
  std::filesystem::path dir = FISCDEX_SHARED_DIR;
  if (std::filesystem::is_directory(dir / "seeds")) return dir;
  return {};
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_TEST_UTIL_H_
