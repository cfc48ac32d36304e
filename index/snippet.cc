// How a snippet is cut (index/snippet.h): the marks are taken out of the
// text, leaving the plain text and the byte ranges of the matches. The
// matched terms are the distinct texts of the matches. The smallest run of
// matches holding every term is found with a sliding window. If that run
// and some context fit in max_chars, the snippet is the run centred in
// max_chars; else each term's match in the run gets its own piece with an
// equal share of the context, and pieces that touch are merged. Every
// piece's ends then move outwards to the nearest word boundary, and never
// inwards, so no word and no match is cut.
#include "index/snippet.h"

#include <algorithm>
#include <map>
#include <vector>

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

// Where a cut may fall: the starts (`starts`) and ends (`ends`) of MeCab's
// words, sorted. 0 and the text's size are always there.
struct WordBoundaries {
  std::vector<size_t> starts;
  std::vector<size_t> ends;
};

WordBoundaries FindBoundaries(std::string_view text, const MecabSegmenter& segmenter) {
  WordBoundaries out;
  out.starts.push_back(0);
  Status status = segmenter.Segment(text, [&](const Token& token) {
    out.starts.push_back(token.begin);
    out.ends.push_back(token.end);
    return true;
  });
  if (!status.ok()) {
    // No words known: every character boundary will do.
    out.starts.clear();
    out.ends.clear();
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || !IsContinuationByte(text[i])) {
        out.starts.push_back(i);
        out.ends.push_back(i);
      }
    }
  }
  out.ends.push_back(text.size());
  std::sort(out.starts.begin(), out.starts.end());
  std::sort(out.ends.begin(), out.ends.end());
  return out;
}

// The last word start at or before `pos`.
size_t SnapBack(const WordBoundaries& words, size_t pos) {
  auto it = std::upper_bound(words.starts.begin(), words.starts.end(), pos);
  return it == words.starts.begin() ? 0 : *(it - 1);
}

// The first word end at or after `pos`.
size_t SnapForward(const WordBoundaries& words, size_t pos) {
  return *std::lower_bound(words.ends.begin(), words.ends.end(), pos);
}

void AppendOneLine(std::string* out, std::string_view text) {
  for (char c : text) out->push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
}

}  // namespace

std::string MakeSnippet(std::string_view highlighted, const MecabSegmenter& segmenter,
                        size_t max_chars) {
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
  const WordBoundaries words = FindBoundaries(text, segmenter);
  for (Range& piece : pieces) {
    piece.begin = SnapBack(words, piece.begin);
    piece.end = SnapForward(words, piece.end);
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

}  // namespace fiscdex::index
