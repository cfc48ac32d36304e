// How a snippet is made (index/snippet.h).
//
// Marking: the text is folded code point by code point, keeping for every
// folded byte the original byte it came from; each term's words are looked
// for in it and kept where a word can start and end.
//
// Cutting: the marks are taken out of the text, leaving the plain text and
// the byte ranges of the matches. The matched terms are the distinct texts
// of the matches. The smallest run of matches holding every term is found
// with a sliding window. If that run and some context fit in max_chars, the
// snippet is the run centred in max_chars; else each term's match in the run
// gets its own piece with an equal share of the context, and pieces that
// touch are merged. Every piece's ends then move outwards to the nearest
// place a cut may fall, and never inwards, so no word and no match is cut.
#include "index/snippet.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <vector>

#include "index/fts_tokenizer.h"

namespace fiscdex::index {
namespace {

// Context shown on each side of a match when the terms need pieces of
// their own.
constexpr size_t kMinContextChars = 8;

struct Range {
  size_t begin = 0;
  size_t end = 0;
};

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// `n` characters back from `pos` (stops at 0).
size_t BackChars(std::string_view text, size_t pos, size_t n) {
  while (n > 0 && pos > 0) {
    --pos;
    while (pos > 0 && IsContinuationByte(text[pos])) --pos;
    --n;
  }
  return pos;
}

// `n` characters on from `pos` (stops at the end).
size_t ForwardChars(std::string_view text, size_t pos, size_t n) {
  while (n > 0 && pos < text.size()) {
    ++pos;
    while (pos < text.size() && IsContinuationByte(text[pos])) ++pos;
    --n;
  }
  return pos;
}

size_t CountChars(std::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += IsContinuationByte(c) ? 0 : 1;
  return chars;
}

// What a character is, for where words start and end.
enum class CharKind { kBreak, kKanji, kHiragana, kKatakana, kLetter, kDigit, kOther };

CharKind KindOf(UChar32 c) {
  if (c == 0x30FC || c == 0xFF70) return CharKind::kKatakana;  // ー, ｰ
  if (c == 0x3005) return CharKind::kKanji;                    // 々
  if (u_isspace(c) || u_ispunct(c) || c < 0x20) return CharKind::kBreak;
  if (u_isdigit(c)) return CharKind::kDigit;
  if (c < 0x80) return u_isalpha(c) ? CharKind::kLetter : CharKind::kBreak;
  UErrorCode ec = U_ZERO_ERROR;
  switch (uscript_getScript(c, &ec)) {
    case USCRIPT_HAN:
      return CharKind::kKanji;
    case USCRIPT_HIRAGANA:
      return CharKind::kHiragana;
    case USCRIPT_KATAKANA:
      return CharKind::kKatakana;
    case USCRIPT_LATIN:
      return CharKind::kLetter;
    default:
      return u_isUAlphabetic(c) ? CharKind::kOther : CharKind::kBreak;
  }
}

// The code point at `text[i]` (U+FFFD for a bad byte) and its length.
UChar32 CodePointAt(std::string_view text, size_t i, size_t* length) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t at = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, at, static_cast<int32_t>(text.size()), c);
  *length = static_cast<size_t>(at) - i;
  return c < 0 ? 0xFFFD : c;
}

// The code point that ends before `text[i]`.
UChar32 CodePointBefore(std::string_view text, size_t i) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t at = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(p, 0, at, c);
  return c < 0 ? 0xFFFD : c;
}

// Whether a word can end at `i` and the next begin: the kinds of character
// on the two sides differ (or one is a space or punctuation), except a kanji
// followed by hiragana, its okurigana more often than not.
bool IsCutPlace(std::string_view text, size_t i) {
  if (i == 0 || i >= text.size()) return true;
  const CharKind before = KindOf(CodePointBefore(text, i));
  size_t length = 0;
  const CharKind after = KindOf(CodePointAt(text, i, &length));
  if (before == CharKind::kBreak || after == CharKind::kBreak) return true;
  if (before == CharKind::kKanji && after == CharKind::kHiragana) return false;
  return before != after;
}

// A cut moves at most this many characters outwards to reach a cut place;
// past that it falls where it was (a long run of kanji, a URL).
constexpr size_t kMaxCutShift = 6;

// The nearest cut place from `pos` on in the direction `step` goes
// (BackChars or ForwardChars), `pos` itself included.
size_t SnapToCutPlace(std::string_view text, size_t pos,
                      size_t (*step)(std::string_view, size_t, size_t)) {
  size_t place = pos;
  for (size_t moved = 0; moved <= kMaxCutShift; ++moved) {
    if (IsCutPlace(text, place)) return place;
    place = step(text, place, 1);
  }
  return pos;
}

// A text folded as the index folds it, with the original bytes each folded
// byte came from.
struct FoldedText {
  std::string text;
  std::vector<size_t> source_begin;  // per byte of `text`
  std::vector<size_t> source_end;
};

// NFKC_Casefold code point by code point (stored text is NFKC already, so
// this is case folding in practice), and a katakana word's final ー left
// out as the index's tokens leave it (FoldLongVowel, applied to each run of
// katakana). The ー's bytes go to the character before it, so a match of
// the word without it covers it.
FoldedText FoldWithOffsets(std::string_view text) {
  struct CodePoint {
    size_t begin;
    size_t end;
    UChar32 c;
  };
  std::vector<CodePoint> points;
  for (size_t i = 0; i < text.size();) {
    size_t length = 0;
    const UChar32 c = CodePointAt(text, i, &length);
    points.push_back({i, i + length, c});
    i += length;
  }
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  if (U_FAILURE(ec)) normalizer = nullptr;
  FoldedText out;
  bool in_run = false;     // inside a run of katakana
  size_t run_start = 0;    // where that run starts in out.text
  size_t last_folded = 0;  // bytes the previous character folded to
  for (size_t p = 0; p < points.size(); ++p) {
    const CodePoint& point = points[p];
    std::string folded;
    if (point.c < 0x80) {
      folded.push_back(static_cast<char>(u_tolower(point.c)));
    } else if (normalizer == nullptr || normalizer->isInert(point.c)) {
      folded.assign(text.substr(point.begin, point.end - point.begin));
    } else {
      UErrorCode fold_ec = U_ZERO_ERROR;
      normalizer->normalize(icu::UnicodeString(point.c), fold_ec).toUTF8String(folded);
      if (U_FAILURE(fold_ec)) folded.assign(text.substr(point.begin, point.end - point.begin));
    }
    const bool katakana = KindOf(point.c) == CharKind::kKatakana;
    if (katakana && !in_run) run_start = out.text.size();
    in_run = katakana;
    out.text += folded;
    const bool run_ends = p + 1 == points.size() || KindOf(points[p + 1].c) != CharKind::kKatakana;
    if (katakana && run_ends && run_start + folded.size() < out.text.size()) {
      const std::string_view word = std::string_view(out.text).substr(run_start);
      const size_t kept = FoldLongVowel(word).size();
      if (kept == word.size() - folded.size()) {  // this character was the ー left out
        out.text.resize(run_start + kept);
        std::fill(out.source_end.end() - static_cast<ptrdiff_t>(last_folded), out.source_end.end(),
                  point.end);
        continue;
      }
    }
    last_folded = folded.size();
    out.source_begin.insert(out.source_begin.end(), folded.size(), point.begin);
    out.source_end.insert(out.source_end.end(), folded.size(), point.end);
  }
  return out;
}

// Whether the characters on the two sides of `i` in `folded` belong to one
// run of katakana or of Latin letters, or of digits (a match there starts
// or ends inside a word). Sets *katakana when the run is katakana.
bool InsideRun(std::string_view folded, size_t i, bool* katakana) {
  if (i == 0 || i >= folded.size()) return false;
  size_t length = 0;
  const CharKind before = KindOf(CodePointBefore(folded, i));
  const CharKind after = KindOf(CodePointAt(folded, i, &length));
  if (before != after) return false;
  *katakana = before == CharKind::kKatakana;
  return before == CharKind::kKatakana || before == CharKind::kLetter ||
         before == CharKind::kDigit;
}

void AppendOneLine(std::string* out, std::string_view text) {
  for (char c : text) out->push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
}

}  // namespace

std::string MakeSnippet(std::string_view highlighted, size_t max_chars) {
  const std::string_view open(kMatchOpen);
  const std::string_view close(kMatchClose);
  std::string text;
  text.reserve(highlighted.size());
  std::vector<Range> matches;
  for (size_t i = 0; i < highlighted.size();) {
    if (highlighted.compare(i, open.size(), open) == 0) {
      matches.push_back({text.size(), text.size()});
      i += open.size();
    } else if (highlighted.compare(i, close.size(), close) == 0) {
      if (!matches.empty()) matches.back().end = text.size();
      i += close.size();
    } else {
      text.push_back(highlighted[i++]);
    }
  }
  std::erase_if(matches, [](const Range& m) { return m.begin >= m.end; });

  // The pieces of `text` to show.
  std::vector<Range> pieces;
  if (CountChars(text) <= max_chars || matches.empty()) {
    pieces.push_back({0, matches.empty() ? ForwardChars(text, 0, max_chars) : text.size()});
  } else {
    // Each match's term, numbered.
    std::map<std::string, int> term_numbers;
    std::vector<int> term_of;
    for (const Range& m : matches) {
      auto [it, added] = term_numbers.try_emplace(text.substr(m.begin, m.end - m.begin),
                                                  static_cast<int>(term_numbers.size()));
      term_of.push_back(it->second);
    }
    const size_t terms = term_numbers.size();
    // The shortest run of matches [best_first, best_last] holding every term.
    std::vector<int> seen(terms, 0);
    size_t distinct = 0;
    size_t best_first = 0;
    size_t best_last = matches.size() - 1;
    for (size_t first = 0, last = 0; last < matches.size(); ++last) {
      if (seen[term_of[last]]++ == 0) ++distinct;
      while (distinct == terms) {
        if (matches[last].end - matches[first].begin <
            matches[best_last].end - matches[best_first].begin) {
          best_first = first;
          best_last = last;
        }
        if (--seen[term_of[first]] == 0) --distinct;
        ++first;
      }
    }
    const Range run{matches[best_first].begin, matches[best_last].end};
    const size_t run_chars = CountChars(std::string_view(text).substr(run.begin, run.end - run.begin));
    if (run_chars <= max_chars) {
      // Centre the run; what one side cannot use goes to the other.
      const size_t spare = max_chars - run_chars;
      size_t begin = BackChars(text, run.begin, spare / 2);
      const size_t unused_before = spare / 2 - CountChars(std::string_view(text).substr(
                                                   begin, run.begin - begin));
      size_t end = ForwardChars(text, run.end, spare - spare / 2 + unused_before);
      const size_t unused_after =
          spare - spare / 2 + unused_before -
          CountChars(std::string_view(text).substr(run.end, end - run.end));
      begin = BackChars(text, begin, unused_after);
      pieces.push_back({begin, end});
    } else {
      // One piece per term: its first match in the run.
      std::vector<Range> chosen;
      std::vector<bool> shown(terms, false);
      size_t match_chars = 0;
      for (size_t i = best_first; i <= best_last; ++i) {
        if (shown[term_of[i]]) continue;
        shown[term_of[i]] = true;
        chosen.push_back(matches[i]);
        match_chars += CountChars(
            std::string_view(text).substr(matches[i].begin, matches[i].end - matches[i].begin));
      }
      const size_t context =
          std::max(kMinContextChars,
                   match_chars < max_chars ? (max_chars - match_chars) / (2 * chosen.size()) : 0);
      for (const Range& m : chosen) {
        pieces.push_back({BackChars(text, m.begin, context), ForwardChars(text, m.end, context)});
      }
    }
  }

  // Out to word boundaries, never cutting a match; then merge what touches.
  for (Range& piece : pieces) {
    piece.begin = SnapToCutPlace(text, piece.begin, BackChars);
    piece.end = SnapToCutPlace(text, piece.end, ForwardChars);
    for (const Range& m : matches) {
      if (m.begin < piece.begin && piece.begin < m.end) piece.begin = m.begin;
      if (m.begin < piece.end && piece.end < m.end) piece.end = m.end;
    }
  }
  std::vector<Range> merged;
  for (const Range& piece : pieces) {
    if (!merged.empty() && piece.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, piece.end);
    } else {
      merged.push_back(piece);
    }
  }

  std::string out;
  if (merged.front().begin > 0) out += "…";
  for (size_t p = 0; p < merged.size(); ++p) {
    if (p > 0) out += "…";
    size_t at = merged[p].begin;
    for (const Range& m : matches) {
      if (m.end <= merged[p].begin || m.begin >= merged[p].end) continue;
      AppendOneLine(&out, std::string_view(text).substr(at, m.begin - at));
      out += "«";
      AppendOneLine(&out, std::string_view(text).substr(m.begin, m.end - m.begin));
      out += "»";
      at = m.end;
    }
    AppendOneLine(&out, std::string_view(text).substr(at, merged[p].end - at));
  }
  if (merged.back().end < text.size()) out += "…";
  return out;
}

namespace {

// Where a verb or adjective written as kanji and okurigana (講ずる, 保管し)
// stands in another form: its kanji followed by hiragana (講じ, 保管す),
// marked with the first of them, as MeCab's token of that form would be.
std::vector<Range> InflectedForms(const FoldedText& folded, std::string_view word) {
  size_t stem = 0;  // bytes of kanji at the start of `word`
  size_t length = 0;
  while (stem < word.size() && KindOf(CodePointAt(word, stem, &length)) == CharKind::kKanji) {
    stem += length;
  }
  if (stem == 0 || stem == word.size()) return {};
  for (size_t i = stem; i < word.size(); i += length) {
    if (KindOf(CodePointAt(word, i, &length)) != CharKind::kHiragana) return {};
  }
  std::vector<Range> out;
  const std::string_view kanji = word.substr(0, stem);
  const std::string_view text(folded.text);
  for (size_t at = text.find(kanji); at != std::string_view::npos;
       at = text.find(kanji, at + 1)) {
    const size_t end = at + kanji.size();
    if (end >= text.size() || KindOf(CodePointAt(text, end, &length)) != CharKind::kHiragana) {
      continue;
    }
    if (at > 0 && KindOf(CodePointBefore(text, at)) == CharKind::kKanji) continue;
    out.push_back({folded.source_begin[at], folded.source_end[end + length - 1]});
  }
  return out;
}

}  // namespace

std::string MarkMatches(std::string_view text, const std::vector<QueryTerm>& terms) {
  const FoldedText folded = FoldWithOffsets(text);
  std::vector<Range> found;  // in `text`
  for (const QueryTerm& term : terms) {
    std::vector<std::string> words;
    {
      size_t begin = 0;
      const std::string_view whole(term.text);
      while (begin < whole.size()) {
        size_t end = whole.find(' ', begin);
        if (end == std::string_view::npos) end = whole.size();
        if (end > begin) words.emplace_back(whole.substr(begin, end - begin));
        begin = end + 1;
      }
    }
    for (size_t w = 0; w < words.size(); ++w) {
      const std::string word = FoldWithOffsets(words[w]).text;
      if (word.empty()) continue;
      const bool prefix = term.prefix && w + 1 == words.size();
      std::vector<Range> clean;
      std::vector<Range> in_katakana;
      for (size_t at = folded.text.find(word); at != std::string::npos;
           at = folded.text.find(word, at + 1)) {
        size_t end = at + word.size();
        if (prefix) {
          // The rest of the word the prefix begins: 権 of アクセス権 marks 権限.
          size_t length = 0;
          const CharKind last = KindOf(CodePointBefore(folded.text, end));
          while (end < folded.text.size() &&
                 KindOf(CodePointAt(folded.text, end, &length)) == last) {
            end += length;
          }
        }
        bool katakana_begin = false;
        bool katakana_end = false;
        const bool cut_begin = InsideRun(folded.text, at, &katakana_begin);
        const bool cut_end = !prefix && InsideRun(folded.text, end, &katakana_end);
        const Range range{folded.source_begin[at], folded.source_end[end - 1]};
        if (!cut_begin && !cut_end) {
          clean.push_back(range);
        } else if ((!cut_begin || katakana_begin) && (!cut_end || katakana_end)) {
          in_katakana.push_back(range);
        }
      }
      constexpr size_t kMinCompoundPartChars = 3;
      if (clean.empty() && CountChars(word) >= kMinCompoundPartChars) clean = in_katakana;
      if (clean.empty()) clean = InflectedForms(folded, word);
      found.insert(found.end(), clean.begin(), clean.end());
    }
  }
  // Overlapping matches (暗号 and 暗号鍵) become one.
  std::sort(found.begin(), found.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  std::vector<Range> merged;
  for (const Range& r : found) {
    if (!merged.empty() && r.begin < merged.back().end) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  std::string out;
  out.reserve(text.size() + merged.size() * 6);
  size_t at = 0;
  for (const Range& r : merged) {
    out.append(text.substr(at, r.begin - at));
    out += kMatchOpen;
    out.append(text.substr(r.begin, r.end - r.begin));
    out += kMatchClose;
    at = r.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace fiscdex::index
