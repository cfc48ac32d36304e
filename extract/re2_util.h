// RE2 patterns of the extractor: compiled quietly, once.
#ifndef FISCDEX_EXTRACT_RE2_UTIL_H_
#define FISCDEX_EXTRACT_RE2_UTIL_H_

#include <re2/re2.h>

namespace fiscdex::extract {

// Options that keep RE2 from logging: a pattern that fails to compile
// matches nothing, and the tests check ok() instead.
inline RE2::Options QuietOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

// A pattern for a function-local static, never freed (no destructor runs
// at exit while another thread may still match).
inline const RE2* CompileQuiet(const char* pattern) { return new RE2(pattern, QuietOptions()); }

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_RE2_UTIL_H_
