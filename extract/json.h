// JSON text helpers shared by the extractor's output and the CLI.
#ifndef FISCDEX_EXTRACT_JSON_H_
#define FISCDEX_EXTRACT_JSON_H_

#include <optional>
#include <string>
#include <string_view>

namespace fiscdex::extract {

// Appends `s` as a JSON string literal (quotes included). Control characters
// are escaped; valid UTF-8 passes through; invalid bytes become U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);
void AppendJsonOptional(std::string* out, const std::optional<std::string>& s);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_JSON_H_
