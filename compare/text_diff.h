// What changed between two versions of an answer, as spans of Japanese text.
//
// `fiscdex diff` shows an analyst how a vendor reworded an answer between two
// editions of its whitepaper. A paragraph swap hides the one digit that
// changed (年1回 → 年2回), so the texts are compared unit by unit: a run of
// Latin letters and digits, a katakana word, or any other single character.
// doc/diff.md describes the units, the algorithm, the readability cleanup and
// the coarser fallback for texts too different to compare finely.
//
// Thread safety: the functions keep no state; call them from any thread.
#ifndef FISCDEX_COMPARE_TEXT_DIFF_H_
#define FISCDEX_COMPARE_TEXT_DIFF_H_

#include <string>
#include <string_view>
#include <vector>

namespace fiscdex::compare {

enum class DiffKind { kEqual, kDeleted, kInserted };

struct DiffSpan {
  DiffKind kind;
  std::string text;  // bytes of old_text or new_text, copied as they were

  bool operator==(const DiffSpan&) const = default;
};

// The spans that turn `old_text` into `new_text`, in order. Concatenating the
// kEqual and kDeleted spans gives `old_text` and the kEqual and kInserted
// spans give `new_text`, byte for byte, whatever the input: bytes that are not
// UTF-8 are compared and copied one by one. No span is empty, no two neighbours
// have the same kind, and within each changed stretch the kDeleted span comes
// before the kInserted one. Identical texts give one kEqual span (none if both
// are empty).
//
// Cost is bounded: texts of tens of thousands of characters return quickly,
// comparing coarser (by lines and sentences, then as a whole) where a fine
// comparison would take too long. The result never depends on timing.
//
// Never throws: running out of memory terminates, as it does elsewhere in
// fiscdex.
std::vector<DiffSpan> DiffText(std::string_view old_text, std::string_view new_text) noexcept;

// How much changed: characters deleted plus characters inserted, over the
// characters of both texts (0 = identical, 1 = nothing in common). A
// character is a code point; a byte that is not UTF-8 counts as one. 0 when
// both texts are empty.
double ChangeRatio(const std::vector<DiffSpan>& spans) noexcept;

// The spans as one line-preserving string with wdiff's markers: deleted text
// as "[-…-]", inserted text as "{+…+}", equal text as it is ("年[-1-]{+2+}回").
// For terminals without colour and for tests. Markers inside the texts are not
// escaped.
std::string RenderInline(const std::vector<DiffSpan>& spans) noexcept;

}  // namespace fiscdex::compare

#endif  // FISCDEX_COMPARE_TEXT_DIFF_H_
