// Labels that tell what a line introduces, on normalized text (NFKC: "：" is
// ":", "Ｑ．" is "Q."): the question of a questionnaire ("Q. 実8 …",
// "【質問】", "項番:"), its answer ("回答:", "A.", "【回答】", "対応状況"), and
// the list of criteria a block about one control serves ("対応する安全対策
// 基準番号", "関連する FISC 基準", "参照基準"). Each matcher looks at the start
// of the text only: the same word inside a sentence ("回答期限は…") is prose.
#ifndef FISCDEX_EXTRACT_LABELS_H_
#define FISCDEX_EXTRACT_LABELS_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace fiscdex::extract {

struct QuestionLabel {
  size_t end = 0;  // byte offset after the label and the blanks after it
  // "Q.", "【質問】", "質問:", "問3.": the line is a question whether or not
  // it names an ID. False for "項番:", "番号:", "No.", which only say that a
  // number follows.
  bool asks = false;
};

// A question label at the start of `line`, or nullopt.
std::optional<QuestionLabel> MatchQuestionLabel(std::string_view line);

// If `line` starts with an answer label, the text after it (trimmed; empty
// when the label stands alone and the answer follows on the next lines).
std::optional<std::string_view> MatchAnswerLabel(std::string_view line);

// If `line` starts with a label that introduces the criteria a block serves,
// the text after it (trimmed; the IDs, or empty when they follow on the next
// lines). A label followed by anything but a colon, a blank or the end
// ("対応するFISC基準は以下のとおり") is prose and gives nullopt.
std::optional<std::string_view> MatchMappingLabel(std::string_view line);

// "…していますか。", "…か?", "…をご説明ください。": a question to the vendor,
// not the criterion's own text.
bool IsQuestionPhrase(std::string_view text);

// True when every pattern above compiled (RE2 reports errors as values; a
// pattern that does not compile matches nothing). For the tests.
bool LabelPatternsCompiled();

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_LABELS_H_
