// A minimal logger: one line per message on stderr, "fiscdex: <level>: msg".
// Third-party libraries (Poppler, MeCab) are routed here, never to stderr
// directly, so the CLI controls verbosity (--quiet, --verbose).
#ifndef FISCDEX_BASE_LOG_H_
#define FISCDEX_BASE_LOG_H_

#include <string_view>

namespace fiscdex {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kSilent = 4 };

// Messages below this level are dropped. Default kWarning. Thread-safe.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

void Log(LogLevel level, std::string_view message);

}  // namespace fiscdex

#endif  // FISCDEX_BASE_LOG_H_
