#include "ingest/pdf_lines.h"

#include <algorithm>
#include <limits>

#include "base/text.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// A text edge: left edges within kEdgeTolerance points of each other, of
// words starting at least kEdgeGapEm after the word before them, on at least
// kEdgeLines lines.
constexpr double kEdgeTolerance = 1.0;
constexpr double kEdgeGapEm = 0.1;
constexpr size_t kEdgeLines = 4;
constexpr size_t kEdgeLineStarts = 2;

// What must fit for the word not to start a line: a leading Latin run
// wraps whole ("WAF" of "WAFによる…"), a CJK character on its own. Poppler
// gives one box for a word that mixes them, so the run's share of the box
// is estimated with half-width characters at half the width of the others.
double FirstWordWidth(const PdfWord& w) {
  const double width = w.x1 - w.x0;
  size_t units = 0, latin_units = 0;
  bool in_latin_run = StartsLatin(w.text);
  for (unsigned char c : w.text) {
    if ((c & 0xC0) == 0x80) continue;
    const bool ascii = c < 0x80;
    units += ascii ? 1 : 2;
    if (in_latin_run && ascii) {
      ++latin_units;
    } else {
      in_latin_run = false;
    }
  }
  if (units == 0) return width;
  const double run = latin_units > 0 ? static_cast<double>(latin_units) : 2.0;
  return width * run / static_cast<double>(units);
}

bool IsBullet(std::string_view word) {
  for (std::string_view bullet : {"•", "●", "○", "■", "□", "◆", "◇", "▪", "・", "‣", "◦", "-"}) {
    if (word == bullet) return true;
  }
  return false;
}

// Where the columns of a table set close together start: a left edge that
// words of several lines share, after a visible gap or at the start of the
// line, and that no word of the lines around crosses (what Tabula calls a
// text edge). A table's columns leave such a river however narrow the gap
// between them; in prose a word lines up with others only by chance, and
// the lines around cross it.
std::vector<double> ColumnEdges(const std::vector<Line>& lines) {
  struct Start {
    double x, y;
    bool line_start;
  };
  std::vector<Start> starts;
  for (const Line& line : lines) {
    const PdfWord* prev = nullptr;
    for (const PdfWord& w : line.words) {
      if (prev == nullptr || w.x0 - prev->x1 > kEdgeGapEm * line.em) {
        starts.push_back({w.x0, w.y0, prev == nullptr});
      }
      prev = &w;
    }
  }
  std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) { return a.x < b.x; });
  std::vector<double> edges;
  size_t i = 0;
  while (i < starts.size()) {
    size_t j = i, line_starts = 0;
    double top = starts[i].y, bottom = starts[i].y;
    while (j < starts.size() && starts[j].x - starts[i].x <= kEdgeTolerance) {
      top = std::min(top, starts[j].y);
      bottom = std::max(bottom, starts[j].y);
      line_starts += starts[j].line_start;
      ++j;
    }
    const size_t count = j - i;
    const double x = starts[i].x;
    i = j;
    // A column also starts lines of its own: where the cells to its left
    // are done and its own text wraps on. The number after a criterion's
    // family character lines up row after row, but never starts a line.
    if (count < kEdgeLines || line_starts < kEdgeLineStarts || line_starts == count) continue;
    size_t crossings = 0;
    for (const Line& line : lines) {
      if (line.y0 < top || line.y0 > bottom) continue;
      for (const PdfWord& w : line.words) {
        if (w.x0 < x - kEdgeTolerance && w.x1 > x + kEdgeTolerance) {
          ++crossings;
          break;
        }
      }
    }
    if (crossings * 4 <= count) edges.push_back(x);
  }
  return edges;
}

bool AtEdge(const std::vector<double>& edges, double x) {
  for (double edge : edges) {
    if (x >= edge - 0.1 && x <= edge + kEdgeTolerance + 0.1) return true;
  }
  return false;
}

}  // namespace

bool AllBold(const std::vector<PdfWord>& words) {
  bool any_text = false;
  for (const PdfWord& w : words) {
    if (w.text.empty()) continue;
    if (!w.bold) return false;
    any_text = true;
  }
  return any_text;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

void CleanWords(std::vector<PdfWord>* words) {
  words->erase(std::remove_if(words->begin(), words->end(),
                              [](PdfWord& w) {
                                w.text = std::string(TrimSpace(w.text));
                                return w.text.empty() || w.x1 < w.x0 || w.y1 < w.y0;
                              }),
               words->end());
}


std::vector<Line> GroupLines(std::vector<PdfWord> words, Split split) {
  std::sort(words.begin(), words.end(), [](const PdfWord& a, const PdfWord& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  std::vector<Line> lines;
  for (PdfWord& word : words) {
    const double h = std::max(word.y1 - word.y0, 0.1);
    Line* best = nullptr;
    // Half a line of overlap: centred cells of one row, set half a line
    // apart, still share a line (cells of different rows are told apart by
    // their columns later).
    double best_ratio = 0.5;
    // Only the last few lines can still overlap a word further down.
    for (size_t k = lines.size(), seen = 0; k > 0 && seen < 8; --k, ++seen) {
      Line& line = lines[k - 1];
      const double overlap = std::min(line.ref_y1, word.y1) - std::max(line.ref_y0, word.y0);
      const double ratio = overlap / std::min(h, line.ref_y1 - line.ref_y0);
      if (ratio < best_ratio) continue;
      bool collides = false;  // superimposed text is not on the same line
      for (const PdfWord& other : line.words) {
        const double x_overlap = std::min(other.x1, word.x1) - std::max(other.x0, word.x0);
        if (x_overlap > 0.5 * std::min(other.x1 - other.x0, word.x1 - word.x0)) collides = true;
      }
      if (collides) continue;
      best = &line;
      best_ratio = ratio;
    }
    if (best == nullptr) {
      Line& line = lines.emplace_back();
      line.ref_y0 = line.y0 = word.y0;
      line.ref_y1 = line.y1 = std::max(word.y1, word.y0 + 0.1);
      best = &line;
    }
    best->y0 = std::min(best->y0, word.y0);
    best->y1 = std::max(best->y1, word.y1);
    best->words.push_back(std::move(word));
  }
  for (Line& line : lines) {
    std::sort(line.words.begin(), line.words.end(),
              [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
    // List markup, as the other readers drop it; but a mark the line also
    // ends with is a decoration (the page number `- 3 -`).
    if (line.words.size() >= 2 && IsBullet(line.words.front().text) &&
        line.words.back().text != line.words.front().text) {
      line.words.erase(line.words.begin());
    }
    std::vector<double> heights;
    for (const PdfWord& w : line.words) heights.push_back(w.y1 - w.y0);
    line.bold = AllBold(line.words);
    line.em = std::max(Median(heights) * kEmPerBoxHeight, 1.0);
  }
  const std::vector<double> edges =
      split == Split::kColumnEdges ? ColumnEdges(lines) : std::vector<double>();
  for (Line& line : lines) {
    const PdfWord* prev = nullptr;
    for (const PdfWord& w : line.words) {
      const double gap = prev ? w.x0 - prev->x1 : 0;
      const bool at_edge = gap > kEdgeGapEm * line.em && AtEdge(edges, w.x0);
      const bool split = prev != nullptr && (gap > kWideGapEm * line.em || at_edge ||
                                             (gap > kSegmentGapEm * line.em && !prev->space_after));
      if (prev == nullptr || split) {
        line.segments.push_back({w.x0, w.y0, w.x1, w.y1, w.text, {}, FirstWordWidth(w)});
      } else {
        Segment& seg = line.segments.back();
        const bool latin = EndsLatin(seg.text) && StartsLatin(w.text);
        if ((latin && (prev->space_after || gap > 0.12 * line.em)) ||
            gap > kSegmentGapEm * line.em) {
          seg.text.push_back(' ');
        }
        if (gap > kSoftGapEm * line.em) {
          seg.soft_gaps.push_back({prev->x1, w.x0, seg.text.size()});
        }
        seg.text += w.text;
        seg.x1 = std::max(seg.x1, w.x1);
        seg.y0 = std::min(seg.y0, w.y0);
        seg.y1 = std::max(seg.y1, w.y1);
      }
      prev = &w;
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return a.y0 < b.y0; });
  return lines;
}

std::string JoinSegments(const std::vector<Segment>& segments) {
  std::string out;
  for (const Segment& seg : segments) {
    if (!out.empty()) out.push_back(' ');
    out += seg.text;
  }
  return out;
}

double TightGapEm(const std::vector<Line>& lines) {
  double lowest = std::numeric_limits<double>::max();
  for (size_t i = 1; i < lines.size(); ++i) {
    const double gap = (lines[i].y0 - lines[i - 1].y1) / lines[i].em;
    if (gap > -0.5) lowest = std::min(lowest, gap);
  }
  if (lowest <= 0.15 || lowest > 1.5) return 0.25;
  return std::clamp(lowest - 0.1, 0.25, 0.6);
}

bool EndsShortOfNext(double end_x, double em, std::string_view next_text,
                     double next_first_width, double right) {
  // A Latin word or number wraps whole ("実" / "10") and needs the space
  // before it too, and a cell's padding, which the text's extent does not
  // show: an em to spare.
  const double spare = StartsLatin(next_text) ? 1.0 : 0.25;
  return end_x + next_first_width < right - spare * em;
}

std::string JoinCellLines(const std::vector<const CellLine*>& lines, double right) {
  std::string out;
  const CellLine* prev = nullptr;
  for (const CellLine* line : lines) {
    if (prev != nullptr) {
      const double first = line->first_word_width > 0 ? line->first_word_width : prev->em;
      if (EndsShortOfNext(prev->x1, prev->em, line->text, first, right)) out.push_back('\n');
    }
    AppendWrapped(&out, line->text);
    prev = line;
  }
  return out;
}

}  // namespace fiscdex::ingest::internal
