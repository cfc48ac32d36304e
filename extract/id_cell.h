// Reading the ID cell of a table row or the ID at the head of a line.
#ifndef FISCDEX_EXTRACT_ID_CELL_H_
#define FISCDEX_EXTRACT_ID_CELL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/criterion_id.h"

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

// The ID cell of a row whose other cells are all empty: a note on the
// criteria it names ("設備基準84~90 は当サービスの対象外です"). As ParseIdCell,
// and also where a topic or subject particle follows the IDs directly
// ("設備基準84~90は…", "実3については…", see FollowedBySubjectParticle): a
// PDF reader joins the wrapped lines of a cell without a blank, so a blank
// cannot be what tells a note from a citation here. Only the caller knows
// the row is such a note; ParseIdCell alone keeps "実3は…" a citation, since
// an answer or remark cell opening that way is prose.
std::optional<IdCell> ParseNoteIdCell(std::string_view text);

// A heading that starts a record: an ID cell ("### 実1: title"), possibly
// after a question label ("### Q. 実8 …", "### 項番:実12"). After a label
// that asks ("Q.", "【質問】"), the ID is the question's subject even when a
// particle follows it ("Q. 実8の要件について…").
struct HeadingId {
  IdCell cell;
  bool question = false;  // a question label stood before the ID
};
std::optional<HeadingId> ParseHeadingId(std::string_view text);

// Where in a line of running text a record starts.
struct LineStart {
  size_t prefix_end = 0;  // text before the ID that is answer text (…です。)
  bool prefix_is_text = false;
  bool question = false;  // after a question label ("Q. 実8", "項番:実12")
  bool asks = false;      // after a label that asks ("Q. 実8", not "項番:実12")
  IdExpression expr;
};

// A line starts a record when an ID expression stands at its start, after a
// question label, after a short label with no clause punctuation (a category
// printed left of the ID), or after a finished sentence (…しています。実45);
// and when the ID is not followed by a particle (実97の対策は cites it) nor
// inside brackets. `next_line` is the following line (an ID ending a line may
// be cited across the wrap). nullopt: no record starts in the line.
std::optional<LineStart> FindLineStart(std::string_view line, std::string_view next_line);

bool HasSentencePunctuation(std::string_view s);

// A paragraph that starts with a list mark (・, •, ■, "- ", ※ …).
bool IsListItem(std::string_view paragraph);

// A short paragraph without sentence punctuation (its numbering aside) that
// is not an answer marker nor a list item: a heading or category label
// printed as text ("組織体制", "1.情報セキュリティ", "2. 多要素認証",
// "BP-01 保存データの暗号化").
bool LooksLikeCaption(std::string_view paragraph);

// Bytes of the numbering at the start of `line` ("1. ", "2-1 ", "(3) ",
// "BP-01 ", "■ "), blanks after it included; 0 if none.
size_t EnumeratorLength(std::string_view line);

// "・実3" → "実3": removes the bullet of a plain-text list item (Markdown
// and HTML readers remove their own list markers), and surrounding blanks.
std::string_view StripBullet(std::string_view text);

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
