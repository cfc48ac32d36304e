// How DiffText works.
//
// 1. Units. Each text is cut into units (Tokenize): a run of Latin letters
//    and digits ("AES256", "2023", "1.5"), a katakana word ("バックアップ"),
//    or one other character (each kanji, kana, punctuation mark, space),
//    with any combining marks that follow it; a byte that is not UTF-8 is a
//    unit of its own. Units are interned to integers, so the diff compares
//    ints and equal ints mean equal bytes.
// 2. Diff. Myers' O(ND) algorithm in its linear-space form (find the middle
//    snake, recurse on both halves), with the common prefix and suffix
//    stripped at every level, as in diff-match-patch. Every step of the search
//    is paid from a work budget. When the budget runs out inside a
//    sub-problem, that sub-problem is diffed by chunks (lines and sentences)
//    instead, and each changed run of chunks is refined by units from a second
//    budget; whatever a budget cannot pay for is a plain replacement. Budgets
//    count steps, not time, so the result is the same on every machine.
// 3. Regions. The edit script becomes alternating equal and changed regions,
//    each a range of units in both texts, so every later step only moves
//    range ends and cannot lose or reorder a byte.
// 4. Cleanup for reading (doc/diff.md): short equalities between changes are
//    folded into them, pure insertions and deletions slide to the nicest
//    boundary among the equivalent places, and a replaced katakana word keeps
//    a long enough shared start or end as equal text.
#include "compare/text_diff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/utf8.h"

namespace fiscdex::compare {
namespace {

// Work budgets, in Myers steps (a diagonal visited or a unit matched along a
// snake; a few ns each). A full diff costs about D²/2 steps for an edit
// distance of D units: two unrelated answers of 2,000 characters take 6
// million, of 3,000 characters 14 million, so every answer is compared unit
// by unit and only document-sized texts reach the fallback, whose two
// budgets bound the rest. Worst case, all three spent: well under a second.
constexpr int64_t kUnitBudget = 16'000'000;
constexpr int64_t kChunkBudget = 4'000'000;
constexpr int64_t kRefineBudget = 8'000'000;

// ---------------------------------------------------------------------------
// Characters

char32_t DecodeAt(std::string_view s, size_t i, int len) {
  const auto byte = [&](int k) { return static_cast<unsigned char>(s[i + k]); };
  switch (len) {
    case 1:
      return byte(0);
    case 2:
      return (char32_t{byte(0) & 0x1Fu} << 6) | (byte(1) & 0x3Fu);
    case 3:
      return (char32_t{byte(0) & 0x0Fu} << 12) | (char32_t{byte(1) & 0x3Fu} << 6) |
             (byte(2) & 0x3Fu);
    default:
      return (char32_t{byte(0) & 0x07u} << 18) | (char32_t{byte(1) & 0x3Fu} << 12) |
             (char32_t{byte(2) & 0x3Fu} << 6) | (byte(3) & 0x3Fu);
  }
}

bool IsDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

// Letters and digits that form words written with spaces: ASCII, their
// full-width forms (ＡＷＳ, ９０) and accented Latin letters.
bool IsLatinWordChar(char32_t c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// A katakana word starts with a letter; the prolonged sound mark ー and the
// iteration marks only continue one (after hiragana, ー is a unit of its own).
bool IsKatakanaLetter(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0xFF66 && c <= 0xFF6F) || (c >= 0xFF71 && c <= 0xFF9D);
}

// Marks that belong to the character before them: a diff must never cut
// between the two (a kana and its voicing mark, a kanji and its variation
// selector).
bool IsCombiningMark(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0x3099 && c <= 0x309A) || c == 0xFF9E || c == 0xFF9F ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) ||
         (c >= 0xE0100 && c <= 0xE01EF);
}

bool ContinuesKatakana(char32_t c) {
  return IsKatakanaLetter(c) || c == 0x30FC || c == 0x30FD || c == 0x30FE || c == 0xFF70 ||
         IsCombiningMark(c);
}

bool IsLineBreak(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

bool IsSentenceEnd(char32_t c) {
  return c == 0x3002 || c == 0xFF0E || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }

bool IsPause(char32_t c) {
  return c == 0x3001 || c == 0xFF0C || c == ',' || c == ';' || c == ':' || c == 0xFF1B ||
         c == 0xFF1A || c == 0x30FB;
}

bool IsOpenBracket(char32_t c) {
  return c == '(' || c == '[' || c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 ||
         c == 0xFF3B;
}

bool IsCloseBracket(char32_t c) {
  return c == ')' || c == ']' || c == 0xFF09 || c == 0x300D || c == 0x300F || c == 0x3011 ||
         c == 0xFF3D;
}

enum class Script : uint8_t { kLatin, kKatakana, kHiragana, kKanji, kOther };

Script ScriptOf(char32_t c) {
  if (IsLatinWordChar(c)) return Script::kLatin;
  if (IsKatakanaLetter(c) || c == 0x30FC || c == 0xFF70) return Script::kKatakana;
  if (c >= 0x3041 && c <= 0x309F) return Script::kHiragana;
  if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005 ||
      c == 0x3006) {
    return Script::kKanji;
  }
  return Script::kOther;
}

// Characters as ChangeRatio counts them: code points, and each byte that is
// not part of one.
size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    const int len = WellFormedUtf8Length(s, i);
    i += len > 0 ? static_cast<size_t>(len) : 1;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Units

enum class UnitClass : uint8_t { kLatin, kKatakana, kLineBreak, kOther, kBadByte };

struct Unit {
  size_t begin;  // byte offset in the text
  size_t size;   // bytes
  UnitClass cls;
  char32_t first;  // first and last code point (the byte itself for kBadByte),
  char32_t last;   // for scoring boundaries
};

struct Text {
  std::string_view bytes;
  std::vector<Unit> units;
  std::vector<int32_t> ids;    // interned unit contents
  std::vector<size_t> chars;   // chars[i]: characters in units [0, i)
  std::vector<size_t> breaks;  // breaks[i]: line-break units in [0, i)

  size_t size() const { return units.size(); }
  size_t ByteOffset(size_t unit) const {
    return unit < units.size() ? units[unit].begin : bytes.size();
  }
  std::string_view Slice(size_t from, size_t to) const {
    const size_t b = ByteOffset(from);
    return bytes.substr(b, ByteOffset(to) - b);
  }
  std::string_view UnitBytes(size_t i) const { return bytes.substr(units[i].begin, units[i].size); }
  size_t Chars(size_t from, size_t to) const { return chars[to] - chars[from]; }
  bool HasBreak(size_t from, size_t to) const { return breaks[to] != breaks[from]; }
};

std::vector<Unit> Tokenize(std::string_view s) {
  std::vector<Unit> units;
  // At most one unit a code point (plus stray continuation bytes, rare).
  size_t code_points = 0;
  for (unsigned char c : s) code_points += (c & 0xC0) != 0x80;
  units.reserve(code_points);
  size_t i = 0;
  // The code point at i, or nothing (end of text, or a byte that is not UTF-8).
  const auto peek = [&](size_t at, char32_t* c) -> int {
    if (at >= s.size()) return 0;
    const int len = WellFormedUtf8Length(s, at);
    if (len > 0) *c = DecodeAt(s, at, len);
    return len;
  };
  while (i < s.size()) {
    const size_t start = i;
    char32_t c = 0;
    const int len = peek(i, &c);
    if (len == 0) {
      const auto byte = static_cast<unsigned char>(s[i]);
      units.push_back({start, 1, UnitClass::kBadByte, byte, byte});
      ++i;
      continue;
    }
    i += len;
    char32_t last = c;
    UnitClass cls = UnitClass::kOther;
    char32_t next = 0;
    int next_len = 0;
    if (c == '\r' && i < s.size() && s[i] == '\n') {
      ++i;
      last = '\n';
      cls = UnitClass::kLineBreak;
    } else if (IsLineBreak(c)) {
      cls = UnitClass::kLineBreak;
    } else if (IsLatinWordChar(c)) {
      cls = UnitClass::kLatin;
      char32_t base = c;  // the last character that was not a combining mark
      while ((next_len = peek(i, &next)) > 0) {
        if (IsLatinWordChar(next) || IsCombiningMark(next)) {
          i += next_len;
          last = next;
          if (!IsCombiningMark(next)) base = next;
          continue;
        }
        // A decimal point or a thousands separator inside a number keeps the
        // number whole: "1.5" → "2.0" is one changed number, not three units.
        // A comma needs exactly three digits after it ("1,000", not "1,2").
        const bool point = next == '.' || next == 0xFF0E;
        const bool comma = next == ',' || next == 0xFF0C;
        if (!IsDigit(base) || (!point && !comma)) break;
        size_t j = i + next_len;
        int digits = 0;
        char32_t digit = 0, last_digit = 0;
        int digit_len = 0;
        while ((digit_len = peek(j, &digit)) > 0 && IsDigit(digit)) {
          j += digit_len;
          ++digits;
          last_digit = digit;
        }
        if (digits == 0 || (comma && digits != 3)) break;
        i = j;
        last = base = last_digit;
      }
    } else if (IsKatakanaLetter(c)) {
      cls = UnitClass::kKatakana;
      while ((next_len = peek(i, &next)) > 0 && ContinuesKatakana(next)) {
        i += next_len;
        last = next;
      }
    }
    if (cls == UnitClass::kOther) {
      while ((next_len = peek(i, &next)) > 0 && IsCombiningMark(next)) {
        i += next_len;
        last = next;
      }
    }
    units.push_back({start, i - start, cls, c, last});
  }
  return units;
}

// Both texts' units, interned together: equal ids mean equal bytes.
void MakeTexts(std::string_view old_text, std::string_view new_text, Text* a, Text* b) {
  std::unordered_map<std::string_view, int32_t> ids;
  for (Text* t : {a, b}) {
    t->bytes = t == a ? old_text : new_text;
    t->units = Tokenize(t->bytes);
    t->ids.reserve(t->units.size());
    t->chars.reserve(t->units.size() + 1);
    t->breaks.reserve(t->units.size() + 1);
    t->chars.assign(1, 0);
    t->breaks.assign(1, 0);
    for (size_t i = 0; i < t->units.size(); ++i) {
      const Unit& u = t->units[i];
      const std::string_view bytes = t->UnitBytes(i);
      t->ids.push_back(ids.try_emplace(bytes, static_cast<int32_t>(ids.size())).first->second);
      // Units hold whole code points, except a bad byte, which is one
      // character by itself.
      size_t chars = 1;
      if (u.cls != UnitClass::kBadByte) {
        chars = 0;
        for (unsigned char c : bytes) chars += (c & 0xC0) != 0x80;
      }
      t->chars.push_back(t->chars.back() + chars);
      t->breaks.push_back(t->breaks.back() + (u.cls == UnitClass::kLineBreak));
    }
  }
}

// ---------------------------------------------------------------------------
// Edit scripts

struct Budget {
  int64_t left;
};

enum class OpKind : uint8_t { kEqual, kDelete, kInsert };

struct Op {
  OpKind kind;
  size_t count;  // elements (units or chunks) of the sequences diffed
};

class OpList {
 public:
  void Add(OpKind kind, size_t count) {
    if (count == 0) return;
    if (!ops_.empty() && ops_.back().kind == kind) {
      ops_.back().count += count;
    } else {
      ops_.push_back({kind, count});
    }
  }
  void Replace(size_t a_count, size_t b_count) {
    Add(OpKind::kDelete, a_count);
    Add(OpKind::kInsert, b_count);
  }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

// Myers' diff of two int sequences into an OpList, paid from a Budget. A
// sub-problem the budget cannot pay for goes to `on_exhausted`, which must
// append ops covering exactly a[a_lo, a_hi) and b[b_lo, b_hi).
class Myers {
 public:
  using Fallback = std::function<void(size_t a_lo, size_t a_hi, size_t b_lo, size_t b_hi)>;

  Myers(const std::vector<int32_t>& a, const std::vector<int32_t>& b, Budget* budget,
        Fallback on_exhausted, OpList* out)
      : a_(a), b_(b), budget_(budget), on_exhausted_(std::move(on_exhausted)), out_(out) {}
  Myers(const Myers&) = delete;
  Myers& operator=(const Myers&) = delete;

  // Appends the ops turning a[a_lo, a_hi) into b[b_lo, b_hi). Recursion depth
  // is about log2 of the edit distance: each split halves it.
  void Diff(size_t a_lo, size_t a_hi, size_t b_lo, size_t b_hi) {
    size_t prefix = 0;
    while (a_lo + prefix < a_hi && b_lo + prefix < b_hi && a_[a_lo + prefix] == b_[b_lo + prefix]) {
      ++prefix;
    }
    out_->Add(OpKind::kEqual, prefix);
    a_lo += prefix;
    b_lo += prefix;
    size_t suffix = 0;
    while (a_hi - suffix > a_lo && b_hi - suffix > b_lo &&
           a_[a_hi - suffix - 1] == b_[b_hi - suffix - 1]) {
      ++suffix;
    }
    a_hi -= suffix;
    b_hi -= suffix;
    if (a_lo == a_hi || b_lo == b_hi) {
      out_->Replace(a_hi - a_lo, b_hi - b_lo);
    } else {
      size_t x = 0, y = 0;
      switch (Bisect(a_lo, a_hi, b_lo, b_hi, &x, &y)) {
        case Split::kFound:
          Diff(a_lo, a_lo + x, b_lo, b_lo + y);
          Diff(a_lo + x, a_hi, b_lo + y, b_hi);
          break;
        case Split::kNothingShared:
          out_->Replace(a_hi - a_lo, b_hi - b_lo);
          break;
        case Split::kOverBudget:
          on_exhausted_(a_lo, a_hi, b_lo, b_hi);
          break;
      }
    }
    out_->Add(OpKind::kEqual, suffix);
  }

 private:
  enum class Split { kFound, kNothingShared, kOverBudget };

  // The middle snake: runs the shortest paths forward from the start and
  // backward from the end, one edit at a time, until they meet; where they
  // meet splits the problem into two with half the edits each. This is
  // diff-match-patch's diff_bisect. REQUIRES: both ranges non-empty, first
  // and last elements differ.
  Split Bisect(size_t a_lo, size_t a_hi, size_t b_lo, size_t b_hi, size_t* split_x,
               size_t* split_y) {
    if (budget_->left <= 0) return Split::kOverBudget;
    const int32_t* a = a_.data() + a_lo;
    const int32_t* b = b_.data() + b_lo;
    const auto n = static_cast<int64_t>(a_hi - a_lo);
    const auto m = static_cast<int64_t>(b_hi - b_lo);
    const int64_t max_d = (n + m + 1) / 2;
    // Round d visits up to d+1 diagonals each way, so the budget runs out
    // before d passes about sqrt(budget): the arrays need not be longer.
    const int64_t d_cap = std::min<int64_t>(
        max_d, 2 * static_cast<int64_t>(std::sqrt(static_cast<double>(budget_->left))) + 2);
    const int64_t v_offset = d_cap;
    const int64_t v_length = 2 * d_cap + 2;
    std::vector<int64_t> v1(v_length, -1);
    std::vector<int64_t> v2(v_length, -1);
    v1[v_offset + 1] = 0;
    v2[v_offset + 1] = 0;
    const int64_t delta = n - m;
    // With an odd delta the forward path is the one to meet the reverse one.
    const bool front = delta % 2 != 0;
    // Diagonals that ran off the grid are not visited again.
    int64_t k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    for (int64_t d = 0; d < d_cap; ++d) {
      for (int64_t k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const int64_t k1_offset = v_offset + k1;
        int64_t x1 = (k1 == -d || (k1 != d && v1[k1_offset - 1] < v1[k1_offset + 1]))
                         ? v1[k1_offset + 1]
                         : v1[k1_offset - 1] + 1;
        int64_t y1 = x1 - k1;
        const int64_t x_start = x1;
        while (x1 < n && y1 < m && a[x1] == b[y1]) {
          ++x1;
          ++y1;
        }
        budget_->left -= 1 + (x1 - x_start);
        if (budget_->left < 0) return Split::kOverBudget;
        v1[k1_offset] = x1;
        if (x1 > n) {
          k1end += 2;
        } else if (y1 > m) {
          k1start += 2;
        } else if (front) {
          const int64_t k2_offset = v_offset + delta - k1;
          if (k2_offset >= 0 && k2_offset < v_length && v2[k2_offset] != -1 &&
              x1 >= n - v2[k2_offset]) {
            *split_x = static_cast<size_t>(x1);
            *split_y = static_cast<size_t>(y1);
            return Split::kFound;
          }
        }
      }
      for (int64_t k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const int64_t k2_offset = v_offset + k2;
        int64_t x2 = (k2 == -d || (k2 != d && v2[k2_offset - 1] < v2[k2_offset + 1]))
                         ? v2[k2_offset + 1]
                         : v2[k2_offset - 1] + 1;
        int64_t y2 = x2 - k2;
        const int64_t x_start = x2;
        while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1]) {
          ++x2;
          ++y2;
        }
        budget_->left -= 1 + (x2 - x_start);
        if (budget_->left < 0) return Split::kOverBudget;
        v2[k2_offset] = x2;
        if (x2 > n) {
          k2end += 2;
        } else if (y2 > m) {
          k2start += 2;
        } else if (!front) {
          const int64_t k1_offset = v_offset + delta - k2;
          if (k1_offset >= 0 && k1_offset < v_length && v1[k1_offset] != -1) {
            const int64_t x1 = v1[k1_offset];
            const int64_t y1 = v_offset + x1 - k1_offset;
            if (x1 >= n - x2) {
              *split_x = static_cast<size_t>(x1);
              *split_y = static_cast<size_t>(y1);
              return Split::kFound;
            }
          }
        }
      }
    }
    return d_cap < max_d ? Split::kOverBudget : Split::kNothingShared;
  }

  const std::vector<int32_t>& a_;
  const std::vector<int32_t>& b_;
  Budget* budget_;
  Fallback on_exhausted_;
  OpList* out_;
};

// Where the fine diff gives up: the sub-problem is cut into chunks (a line,
// or a sentence within a line), chunks are diffed as wholes, and each changed
// run of chunks is diffed again by units. A long text that was largely
// rewritten keeps its unchanged lines and sentences; the rest is replaced.
class ChunkFallback {
 public:
  ChunkFallback(const Text& a, const Text& b, OpList* out) : a_(a), b_(b), out_(out) {}
  ChunkFallback(const ChunkFallback&) = delete;
  ChunkFallback& operator=(const ChunkFallback&) = delete;

  void Diff(size_t a_lo, size_t a_hi, size_t b_lo, size_t b_hi) {
    // Chunk i of a side spans units [starts[i], starts[i + 1]).
    std::vector<size_t> a_starts, b_starts;
    std::vector<int32_t> a_ids, b_ids;
    std::unordered_map<std::string_view, int32_t> ids;
    Cut(a_, a_lo, a_hi, &ids, &a_starts, &a_ids);
    Cut(b_, b_lo, b_hi, &ids, &b_starts, &b_ids);

    OpList chunk_ops;
    Myers chunks(
        a_ids, b_ids, &chunk_budget_,
        [&chunk_ops](size_t alo, size_t ahi, size_t blo, size_t bhi) {
          chunk_ops.Replace(ahi - alo, bhi - blo);
        },
        &chunk_ops);
    chunks.Diff(0, a_ids.size(), 0, b_ids.size());

    // The unit ranges of the chunk diff: equal runs and changed runs.
    struct Run {
      bool equal;
      size_t a_lo, a_hi, b_lo, b_hi;
    };
    std::vector<Run> runs;
    size_t ia = 0, ib = 0;  // chunk positions
    const std::vector<Op>& ops = chunk_ops.ops();
    for (size_t k = 0; k < ops.size();) {
      const size_t ia0 = ia, ib0 = ib;
      const bool equal = ops[k].kind == OpKind::kEqual;
      for (; k < ops.size() && (ops[k].kind == OpKind::kEqual) == equal; ++k) {
        if (ops[k].kind != OpKind::kInsert) ia += ops[k].count;
        if (ops[k].kind != OpKind::kDelete) ib += ops[k].count;
      }
      runs.push_back({equal, a_starts[ia0], a_starts[ia], b_starts[ib0], b_starts[ib]});
    }

    // Smallest changed runs first: a long rewritten section, which would
    // spend the whole budget and likely fail anyway, must not leave the
    // one-word edits elsewhere unrefined.
    std::vector<size_t> order;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (!runs[i].equal) order.push_back(i);
    }
    const auto size = [&runs](size_t i) {
      return runs[i].a_hi - runs[i].a_lo + runs[i].b_hi - runs[i].b_lo;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&size](size_t x, size_t y) { return size(x) < size(y); });
    std::vector<OpList> refined(runs.size());
    for (const size_t i : order) {
      OpList* run_ops = &refined[i];
      Myers refine(
          a_.ids, b_.ids, &refine_budget_,
          [run_ops](size_t alo, size_t ahi, size_t blo, size_t bhi) {
            run_ops->Replace(ahi - alo, bhi - blo);
          },
          run_ops);
      refine.Diff(runs[i].a_lo, runs[i].a_hi, runs[i].b_lo, runs[i].b_hi);
    }

    for (size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].equal) {
        out_->Add(OpKind::kEqual, runs[i].a_hi - runs[i].a_lo);
      } else {
        for (const Op& op : refined[i].ops()) out_->Add(op.kind, op.count);
      }
    }
  }

 private:
  static void Cut(const Text& t, size_t lo, size_t hi,
                  std::unordered_map<std::string_view, int32_t>* ids, std::vector<size_t>* starts,
                  std::vector<int32_t>* chunk_ids) {
    starts->push_back(lo);
    for (size_t i = lo; i < hi; ++i) {
      const Unit& u = t.units[i];
      const bool ends_chunk =
          u.cls == UnitClass::kLineBreak || (u.cls == UnitClass::kOther && IsSentenceEnd(u.first));
      if (ends_chunk || i + 1 == hi) {
        const std::string_view chunk = t.Slice(starts->back(), i + 1);
        chunk_ids->push_back(
            ids->try_emplace(chunk, static_cast<int32_t>(ids->size())).first->second);
        starts->push_back(i + 1);
      }
    }
  }

  const Text& a_;
  const Text& b_;
  OpList* out_;
  // Shared by every sub-problem that falls back, so the total work of one
  // DiffText call stays bounded however many there are.
  Budget chunk_budget_{kChunkBudget};
  Budget refine_budget_{kRefineBudget};
};

// ---------------------------------------------------------------------------
// Regions and cleanup

// A stretch of both texts: units [a_begin, a_end) of the old text and
// [b_begin, b_end) of the new. Equal regions hold the same units on both
// sides; the regions of a diff tile both texts in order.
struct Region {
  bool equal;
  size_t a_begin, a_end, b_begin, b_end;
};

std::vector<Region> ToRegions(const std::vector<Op>& ops) {
  std::vector<Region> regions;
  size_t a = 0, b = 0;
  for (const Op& op : ops) {
    const bool equal = op.kind == OpKind::kEqual;
    if (regions.empty() || regions.back().equal != equal) {
      regions.push_back({equal, a, a, b, b});
    }
    if (op.kind != OpKind::kInsert) a += op.count;
    if (op.kind != OpKind::kDelete) b += op.count;
    regions.back().a_end = a;
    regions.back().b_end = b;
  }
  return regions;
}

// The larger side of a changed region, in characters.
size_t ChangeSize(const Region& r, const Text& a, const Text& b) {
  return std::max(a.Chars(r.a_begin, r.a_end), b.Chars(r.b_begin, r.b_end));
}

// Whether the equal region `e` between changes `left` and `right` reads
// better as part of one change. A line break stays: an analyst scans the
// lines. Otherwise: one or two characters no longer than the larger change
// beside them (外部監査 → 内部調査 is one change, not [-外-]{+内+}部[-監-]{+調+}査,
// while 年1回、外部 → 年2回、内部 keeps 回、 between the two digits); or any
// equality at most half as long as the changes on both sides, which is what
// makes two unrelated answers one replacement instead of a mesh of the
// particles they happen to share (diff-match-patch's semantic cleanup, with
// half instead of all).
bool ShouldFold(const Region& left, const Region& e, const Region& right, const Text& a,
                const Text& b) {
  if (a.HasBreak(e.a_begin, e.a_end)) return false;
  const size_t chars = a.Chars(e.a_begin, e.a_end);
  const size_t l = ChangeSize(left, a, b);
  const size_t r = ChangeSize(right, a, b);
  if (chars <= 2 && chars <= std::max(l, r)) return true;
  return 2 * chars <= l && 2 * chars <= r;
}

// Merges neighbours of one kind, drops empty regions and folds equalities
// (ShouldFold). Folding makes a change longer, which can make the equality
// before it foldable too, so each fold looks back.
std::vector<Region> Fold(const std::vector<Region>& in, const Text& a, const Text& b) {
  std::vector<Region> out;
  for (const Region& r : in) {
    if (r.a_begin == r.a_end && r.b_begin == r.b_end) continue;
    if (!out.empty() && out.back().equal == r.equal) {
      out.back().a_end = r.a_end;
      out.back().b_end = r.b_end;
    } else {
      out.push_back(r);
    }
    while (out.size() >= 3 && !out.back().equal &&
           ShouldFold(out[out.size() - 3], out[out.size() - 2], out.back(), a, b)) {
      Region& left = out[out.size() - 3];
      left.a_end = out.back().a_end;
      left.b_end = out.back().b_end;
      out.resize(out.size() - 2);
    }
  }
  return out;
}

// How well a change reads when it starts or ends between units `before` and
// `after` (nullptr: the edge of the text, best of all). After a line break
// or a sentence is good; between a kanji and the kana inflecting it, worst.
int BoundaryScore(const Unit* before, const Unit* after) {
  if (before == nullptr || after == nullptr) return 6;
  const char32_t p = before->last;
  const char32_t n = after->first;
  if (before->cls == UnitClass::kLineBreak) return 5;
  if (after->cls == UnitClass::kLineBreak) return 4;
  if (before->cls == UnitClass::kBadByte || after->cls == UnitClass::kBadByte) return 0;
  if (IsSentenceEnd(p)) return 4;
  if (IsPause(p) || IsSpace(p) || IsSpace(n) || IsCloseBracket(p) || IsOpenBracket(n)) return 3;
  const Script sp = ScriptOf(p);
  const Script sn = ScriptOf(n);
  if (sp == sn) return 0;
  // Hiragana ends a word (a particle, an inflection); a kanji followed by
  // hiragana is usually one word with its okurigana.
  if (sp == Script::kHiragana) return 2;
  if (sp == Script::kKanji && sn == Script::kHiragana) return 0;
  return 1;
}

// A pure insertion or deletion between two equalities can often sit in
// several places (inserting "して保管" or "て保管し" into 暗号化します gives the
// same text); Myers picks one arbitrarily. Move it to the place with the best
// boundaries, the later one on a tie (diff-match-patch's
// cleanupSemanticLossless, by units).
void Slide(std::vector<Region>* regions, const Text& a, const Text& b) {
  for (size_t i = 1; i + 1 < regions->size(); ++i) {
    Region& left = (*regions)[i - 1];
    Region& edit = (*regions)[i];
    Region& right = (*regions)[i + 1];
    if (edit.equal || !left.equal || !right.equal) continue;
    const bool insertion = edit.a_begin == edit.a_end;
    const bool deletion = edit.b_begin == edit.b_end;
    if (!insertion && !deletion) continue;
    // The side holding the edited units; positions are unit indices in it.
    const Text& t = insertion ? b : a;
    const size_t lo = insertion ? left.b_begin : left.a_begin;
    const size_t begin = insertion ? edit.b_begin : edit.a_begin;
    const size_t end = insertion ? edit.b_end : edit.a_end;
    const size_t hi = insertion ? right.b_end : right.a_end;
    const auto score = [&](size_t from, size_t to) {
      const Unit* before = from > 0 ? &t.units[from - 1] : nullptr;
      const Unit* after = to < t.size() ? &t.units[to] : nullptr;
      return BoundaryScore(before, &t.units[from]) + BoundaryScore(&t.units[to - 1], after);
    };
    size_t from = begin, to = end;
    while (from > lo && t.ids[from - 1] == t.ids[to - 1]) {
      --from;
      --to;
    }
    size_t best = from;
    int best_score = score(from, to);
    while (to < hi && t.ids[from] == t.ids[to]) {
      ++from;
      ++to;
      const int s = score(from, to);
      if (s >= best_score) {
        best_score = s;
        best = from;
      }
    }
    // Every boundary moves by the same amount in both texts.
    const auto shift = [&](size_t* pos) { *pos = *pos + best - begin; };
    for (size_t* pos : {&left.a_end, &left.b_end, &edit.a_begin, &edit.a_end, &edit.b_begin,
                        &edit.b_end, &right.a_begin, &right.b_begin}) {
      shift(pos);
    }
  }
}

// ---------------------------------------------------------------------------
// Spans

class SpanWriter {
 public:
  void Add(DiffKind kind, std::string_view text) {
    if (text.empty()) return;
    if (!spans_.empty() && spans_.back().kind == kind) {
      spans_.back().text.append(text);
    } else {
      spans_.push_back({kind, std::string(text)});
    }
  }
  std::vector<DiffSpan> Release() { return std::move(spans_); }

 private:
  std::vector<DiffSpan> spans_;
};

// A kana voicing mark (゛, ﾞ) or other combining mark starts at byte `at`.
bool CombiningAt(std::string_view s, size_t at) {
  const int len = WellFormedUtf8Length(s, at);
  return len > 0 && IsCombiningMark(DecodeAt(s, at, len));
}

size_t CommonPrefixBytes(std::string_view x, std::string_view y) {
  size_t p = 0;
  while (p < x.size() && p < y.size() && x[p] == y[p]) ++p;
  // Whole code points, and never a base without its voicing mark.
  while (p > 0 && p < x.size() && (static_cast<unsigned char>(x[p]) & 0xC0) == 0x80) --p;
  while (p > 0 && ((p < x.size() && CombiningAt(x, p)) || (p < y.size() && CombiningAt(y, p)))) {
    do {
      --p;
    } while (p > 0 && (static_cast<unsigned char>(x[p]) & 0xC0) == 0x80);
  }
  return p;
}

size_t CommonSuffixBytes(std::string_view x, std::string_view y) {
  size_t s = 0;
  while (s < x.size() && s < y.size() && x[x.size() - 1 - s] == y[y.size() - 1 - s]) ++s;
  while (s > 0 && (static_cast<unsigned char>(x[x.size() - s]) & 0xC0) == 0x80) --s;
  while (s > 0 && CombiningAt(x, x.size() - s)) {
    s -= static_cast<size_t>(WellFormedUtf8Length(x, x.size() - s));
  }
  return s;
}

// Whether a start or end shared by two different katakana words is worth
// showing as equal: three characters or more (データ[-ベース-]{+センター+}),
// or two if that is all of one word (ログ{+イン+}). Less is chance
// (バ[-ックアップ-]{+ージョン+} would only distract).
bool WorthKeeping(size_t shared, size_t x_chars, size_t y_chars) {
  return shared >= 3 || (shared >= 2 && (shared == x_chars || shared == y_chars));
}

// Writes a changed region: its deleted units, then its inserted ones. A
// katakana word is one unit (doc/diff.md says why), so サーバ → サーバー would
// replace the whole word; when the region starts or ends with katakana words
// on both sides, a long enough shared start or end is written as equal text.
void WriteChange(const Region& r, const Text& a, const Text& b, SpanWriter* out) {
  const std::string_view del = a.Slice(r.a_begin, r.a_end);
  const std::string_view ins = b.Slice(r.b_begin, r.b_end);
  size_t prefix = 0, suffix = 0;
  if (!del.empty() && !ins.empty()) {
    if (a.units[r.a_begin].cls == UnitClass::kKatakana &&
        b.units[r.b_begin].cls == UnitClass::kKatakana) {
      const std::string_view x = a.UnitBytes(r.a_begin);
      const std::string_view y = b.UnitBytes(r.b_begin);
      const size_t p = CommonPrefixBytes(x, y);
      if (WorthKeeping(CountChars(x.substr(0, p)), CountChars(x), CountChars(y))) prefix = p;
    }
    if (a.units[r.a_end - 1].cls == UnitClass::kKatakana &&
        b.units[r.b_end - 1].cls == UnitClass::kKatakana) {
      std::string_view x = a.UnitBytes(r.a_end - 1);
      std::string_view y = b.UnitBytes(r.b_end - 1);
      if (r.a_end - 1 == r.a_begin) x.remove_prefix(prefix);
      if (r.b_end - 1 == r.b_begin) y.remove_prefix(prefix);
      const size_t s = CommonSuffixBytes(x, y);
      if (WorthKeeping(CountChars(x.substr(x.size() - s)), CountChars(x), CountChars(y))) {
        suffix = s;
      }
    }
  }
  out->Add(DiffKind::kEqual, del.substr(0, prefix));
  out->Add(DiffKind::kDeleted, del.substr(prefix, del.size() - prefix - suffix));
  out->Add(DiffKind::kInserted, ins.substr(prefix, ins.size() - prefix - suffix));
  out->Add(DiffKind::kEqual, del.substr(del.size() - suffix));
}

}  // namespace

std::vector<DiffSpan> DiffText(std::string_view old_text, std::string_view new_text) noexcept {
  Text a, b;
  MakeTexts(old_text, new_text, &a, &b);

  OpList ops;
  ChunkFallback chunks(a, b, &ops);
  Budget budget{kUnitBudget};
  Myers units(
      a.ids, b.ids, &budget,
      [&chunks](size_t alo, size_t ahi, size_t blo, size_t bhi) {
        chunks.Diff(alo, ahi, blo, bhi);
      },
      &ops);
  units.Diff(0, a.size(), 0, b.size());

  std::vector<Region> regions = Fold(ToRegions(ops.ops()), a, b);
  Slide(&regions, a, b);
  // Sliding can shorten an equality enough to fold, or empty one.
  regions = Fold(regions, a, b);

  SpanWriter out;
  for (const Region& r : regions) {
    if (r.equal) {
      out.Add(DiffKind::kEqual, a.Slice(r.a_begin, r.a_end));
    } else {
      WriteChange(r, a, b, &out);
    }
  }
  return out.Release();
}

double ChangeRatio(const std::vector<DiffSpan>& spans) noexcept {
  size_t changed = 0, total = 0;
  for (const DiffSpan& span : spans) {
    const size_t chars = CountChars(span.text);
    // An equal character is in both texts.
    if (span.kind == DiffKind::kEqual) {
      total += 2 * chars;
    } else {
      changed += chars;
      total += chars;
    }
  }
  return total == 0 ? 0.0 : static_cast<double>(changed) / static_cast<double>(total);
}

std::string RenderInline(const std::vector<DiffSpan>& spans) noexcept {
  std::string out;
  for (const DiffSpan& span : spans) {
    switch (span.kind) {
      case DiffKind::kEqual:
        out += span.text;
        break;
      case DiffKind::kDeleted:
        out += "[-" + span.text + "-]";
        break;
      case DiffKind::kInserted:
        out += "{+" + span.text + "+}";
        break;
    }
  }
  return out;
}

}  // namespace fiscdex::compare
