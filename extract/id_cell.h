// Reading the ID cell of a table row or the ID at the head of a line.
#ifndef FISCDEX_EXTRACT_ID_CELL_H_
#define FISCDEX_EXTRACT_ID_CELL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex::extract {

struct IdCell {
  enum class Kind {
    kPlain,   // only the ID(s), maybe annotated: "統1 ✏️", "実 145\n(新設)"
    kTitled,  // "設1: 災害・障害が…": the text after the colon names the criterion
    kText,    // "設備基準84~137 は…対象外": the ID opens a sentence or a title
  };
  Kind kind = Kind::kPlain;
  std::vector<std::string> ids;
  bool is_range = false;
  std::string remainder;  // kTitled/kText: the text after the ID(s)
};

// Parses a cell (or heading text) that starts with an ID expression. Returns
// nullopt when it does not, or when the ID is cited (followed by a particle).
std::optional<IdCell> ParseIdCell(std::string_view text);

// "-", "—", "N/A", "なし": an ID cell saying the row maps to no criterion.
bool IsNoIdMarker(std::string_view cell);

// Removes emoji, variation selectors and surrounding blanks.
std::string StripDecorations(std::string_view text);

bool EndsSentence(std::string_view text);

// Appends `next` as the continuation of `text`: a line break after a finished
// sentence, otherwise a direct join (the break fell mid-sentence or mid-word).
void AppendContinuation(std::string* text, std::string_view next);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_ID_CELL_H_
