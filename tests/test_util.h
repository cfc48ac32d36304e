// Helpers shared by the test suites.
#ifndef FISCDEX_TESTS_TEST_UTIL_H_
#define FISCDEX_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fiscdex-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
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

// ../shared, or empty when it is absent (tests then GTEST_SKIP).
inline std::filesystem::path SharedDir() {
  std::filesystem::path dir = FISCDEX_SHARED_DIR;
  if (std::filesystem::is_directory(dir / "seeds")) return dir;
  return {};
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_TEST_UTIL_H_
