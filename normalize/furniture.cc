#include "normalize/furniture.h"

#include "base/text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace fiscdex::normalize {
namespace {

using ingest::Block;
using ingest::BlockKind;

constexpr size_t kMaxFurnitureBytes = 240;
// A text dump's page header recurs once per page; anything repeating more
// densely than this is content (e.g. "対象外" on consecutive rows).
constexpr size_t kMinBlocksBetweenHeaders = 8;
// How far (in non-blank blocks) a header line may sit from another one and
// still count as part of the same header band.
constexpr int kBandReach = 1;
// Shorter repeated lines are the tails of wrapped sentences ("います。").
constexpr size_t kMinFurnitureCodePoints = 6;
constexpr size_t kPageBandLines = 3;
constexpr size_t kMaxPassageBytes = 4000;


// A wrapped sentence's tail starts with hiragana ("ています。", "と。");
// a header never does.
bool StartsWithHiragana(std::string_view s) {
  if (s.size() < 3) return false;
  unsigned char b0 = s[0], b1 = s[1], b2 = s[2];
  unsigned cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
  return (b0 & 0xF0) == 0xE0 && cp >= 0x3041 && cp <= 0x309F;
}

bool IsCandidate(const Block& b) {
  return b.kind == BlockKind::kLine && !b.text.empty() && b.text.size() <= kMaxFurnitureBytes;
}

bool IsRepeatedHeaderCandidate(const Block& b) {
  return IsCandidate(b) && CodePointCount(b.text) >= kMinFurnitureCodePoints &&
         !StartsWithHiragana(b.text);
}

std::vector<bool> FindPagedFurniture(const std::vector<Block>& blocks, int page_count) {
  std::vector<bool> furniture(blocks.size(), false);
  // Per page, the first and last few line blocks form its top and bottom bands.
  std::unordered_map<int, std::vector<size_t>> lines_by_page;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].kind == BlockKind::kLine) lines_by_page[blocks[i].page].push_back(i);
  }
  std::unordered_map<std::string, std::vector<size_t>> band_occurrences;
  std::unordered_map<std::string, int> band_pages;
  for (auto& [page, indices] : lines_by_page) {
    std::vector<size_t> band;
    for (size_t k = 0; k < indices.size() && k < kPageBandLines; ++k) band.push_back(indices[k]);
    for (size_t k = indices.size() > kPageBandLines ? indices.size() - kPageBandLines : 0;
         k < indices.size(); ++k) {
      band.push_back(indices[k]);
    }
    std::sort(band.begin(), band.end());
    band.erase(std::unique(band.begin(), band.end()), band.end());
    std::vector<std::string> seen_here;
    for (size_t i : band) {
      const Block& b = blocks[i];
      if (!IsCandidate(b)) continue;
      if (LooksLikePageNumber(b.text)) {
        furniture[i] = true;
        continue;
      }
      band_occurrences[b.text].push_back(i);
      if (std::find(seen_here.begin(), seen_here.end(), b.text) == seen_here.end()) {
        seen_here.push_back(b.text);
        ++band_pages[b.text];
      }
    }
  }
  const int min_pages = std::max(2, (page_count + 3) / 4);
  for (auto& [text, indices] : band_occurrences) {
    if (band_pages[text] < min_pages) continue;
    for (size_t i : indices) furniture[i] = true;
  }
  return furniture;
}

bool EndsWithClosingPunctuation(std::string_view s) {
  for (std::string_view end : {"。", "．", ".", "!", "?", "！", "？", "」", "）", ")"}) {
    if (s.size() >= end.size() && s.substr(s.size() - end.size()) == end) return true;
  }
  return false;
}

bool IsLetterOrDigit(UChar32 c) { return c >= 0 && u_isalnum(c); }

// True when `above` and `below` read as one wrapped sentence: the break
// falls between two letters ("…直ぐに検" / "知出来る…"), with no closing
// punctuation before it. A header band's lines ("…2020年1月1日" / "※本書…")
// do not.
bool RunsOn(std::string_view above, std::string_view below) {
  if (above.empty() || below.empty() || EndsWithClosingPunctuation(above)) return false;
  const auto* a = reinterpret_cast<const uint8_t*>(above.data());
  int32_t end = static_cast<int32_t>(above.size());
  UChar32 last;
  U8_PREV(a, 0, end, last);
  const auto* b = reinterpret_cast<const uint8_t*>(below.data());
  int32_t i = 0;
  UChar32 first;
  U8_NEXT(b, i, static_cast<int32_t>(below.size()), first);
  return IsLetterOrDigit(last) && IsLetterOrDigit(first);
}

// A repeated line that is part of a wrapped paragraph is content (an answer
// printed twice), not a header: it continues the line above, or it runs on
// into the same next line at every occurrence.
bool WrappedInParagraph(const std::vector<Block>& blocks, const std::vector<size_t>& at,
                        size_t* standalone) {
  *standalone = 0;
  for (size_t i : at) {
    bool continues_above = i > 0 && blocks[i - 1].kind == BlockKind::kLine &&
                           RunsOn(blocks[i - 1].text, blocks[i].text);
    if (!continues_above) ++*standalone;
  }
  for (size_t i : at) {
    if (i + 1 >= blocks.size() || blocks[i + 1].kind != BlockKind::kLine ||
        blocks[i + 1].text != blocks[at[0] + 1].text ||
        !RunsOn(blocks[i].text, blocks[i + 1].text)) {
      return false;
    }
  }
  return true;
}

std::vector<bool> FindDumpFurniture(const std::vector<Block>& blocks) {
  std::vector<bool> furniture(blocks.size(), false);
  std::unordered_map<std::string_view, std::vector<size_t>> occurrences;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (IsRepeatedHeaderCandidate(blocks[i])) occurrences[blocks[i].text].push_back(i);
  }
  auto spread_out = [](const std::vector<size_t>& at) {
    for (size_t k = 1; k < at.size(); ++k) {
      if (at[k] - at[k - 1] < kMinBlocksBetweenHeaders) return false;
    }
    return true;
  };
  for (auto& [text, at] : occurrences) {
    size_t standalone = 0;
    if (at.size() >= 3 && spread_out(at) && !WrappedInParagraph(blocks, at, &standalone) &&
        standalone >= 3) {
      for (size_t i : at) furniture[i] = true;
    }
  }
  // The rest of a header band repeats less often (a title line printed only
  // on some pages) but always sits next to a confirmed header line.
  auto near_furniture = [&](size_t i) {
    int seen = 0;
    for (size_t j = i; j > 0 && seen < kBandReach;) {
      --j;
      if (blocks[j].kind == BlockKind::kBlank) continue;
      if (furniture[j]) return true;
      ++seen;
    }
    seen = 0;
    for (size_t j = i + 1; j < blocks.size() && seen < kBandReach; ++j) {
      if (blocks[j].kind == BlockKind::kBlank) continue;
      if (furniture[j]) return true;
      ++seen;
    }
    return false;
  };
  for (auto& [text, at] : occurrences) {
    size_t standalone = 0;
    if (at.size() < 2 || furniture[at[0]] || !spread_out(at)) continue;
    if (WrappedInParagraph(blocks, at, &standalone) || standalone == 0) continue;
    if (std::all_of(at.begin(), at.end(), near_furniture)) {
      for (size_t i : at) furniture[i] = true;
    }
  }
  return furniture;
}

}  // namespace

std::vector<bool> FindFurniture(const std::vector<Block>& blocks, int page_count,
                                ingest::Format format) {
  if (page_count > 1) return FindPagedFurniture(blocks, page_count);
  // Only plain text can be a dump of printed pages. A Markdown, HTML or CSV
  // document was written as it is: a line it repeats (a label above every
  // block, the same answer to several questions) is content.
  if (format != ingest::Format::kText) return std::vector<bool>(blocks.size(), false);
  return FindDumpFurniture(blocks);
}

std::vector<Passage> BuildPassages(const std::vector<Block>& blocks) {
  std::vector<Passage> passages;
  Passage current;
  bool open = false;
  auto flush = [&] {
    if (open && !current.text.empty()) passages.push_back(std::move(current));
    current = Passage();
    open = false;
  };
  for (const Block& b : blocks) {
    switch (b.kind) {
      case BlockKind::kBlank:
        flush();
        break;
      case BlockKind::kLine:
        if (open && (b.page != current.page || current.text.size() > kMaxPassageBytes)) flush();
        if (!open) {
          current.page = b.page;
          current.source_begin = b.source_begin;
          open = true;
        }
        AppendWrapped(&current.text, b.text);
        current.source_end = b.source_end;
        break;
      case BlockKind::kHeading:
      case BlockKind::kTableRow: {
        flush();
        Passage p;
        p.page = b.page;
        p.source_begin = b.source_begin;
        p.source_end = b.source_end;
        if (b.kind == BlockKind::kHeading) {
          p.text = b.text;
        } else {
          for (const std::string& cell : b.cells) {
            if (cell.empty()) continue;
            if (!p.text.empty()) p.text += " | ";
            p.text += cell;
          }
        }
        if (!p.text.empty()) passages.push_back(std::move(p));
        break;
      }
    }
  }
  flush();
  return passages;
}

}  // namespace fiscdex::normalize
