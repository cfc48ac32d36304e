// Reverse mappings: blocks about one control or best practice that name the
// criteria they serve.
//
// A mapping label ("対応する安全対策基準番号", "関連する FISC 基準", "参照基準",
// labels.h) names IDs on its own line ("参照基準: 実3、実25"), on the ID lines
// or bullets right below it, or in the next cell of its table row. The block
// it belongs to is found from the headings first: the section of the
// innermost heading around the label, widened to the parent heading while the
// parent's section holds no other label and has text of its own outside the
// child (sub-headings "概要" / "対策" of one control), never to the
// document's title. A section that holds several labels has blocks without
// headings of their own; there the labels split it:
// - label at the end (the paragraph before the label is text): the block is
//   everything since the previous label's IDs, after the captions (short
//   unpunctuated paragraphs: the block's title) that open it. Before the
//   first label, the block starts after the last caption followed by text,
//   which skips the document's preamble.
// - label at the start (a caption right before it): the block is the caption
//   and what follows the IDs, up to the next block's caption.
// Which of the two holds is voted over the section's labels (ties: at the
// end), since one document writes all its blocks alike.
//
// A label inside a criterion's own section (under "### 実8: …", or in a
// block whose text starts a record, as a questionnaire answer's "関連する
// FISC 基準: 実9" does) lists references, not a mapping: it is left to the
// other rules.
#include <algorithm>
#include <string>
#include <string_view>

#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/labels.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {
namespace {

using ingest::Block;
using ingest::BlockKind;

constexpr long kNone = -1;

struct Label {
  size_t begin = 0;  // the label's line, heading or table row
  size_t end = 0;    // one past the last block of its ID list
  std::vector<std::string> ids;
  std::vector<std::optional<std::string>> titles;  // parallel to ids
  std::vector<int> pages;                          // of each ID's line
};

// A block span [begin, end) of the answer.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

bool IsText(const Block& b) {
  return (b.kind == BlockKind::kLine && !b.text.empty()) || b.kind == BlockKind::kTableRow ||
         b.kind == BlockKind::kHeading;
}

// Adds the IDs of one ID line or cell; false when it is not one.
bool AddIdLine(std::string_view text, int page, Label* label) {
  std::optional<IdCell> cell = ParseIdCell(StripBullet(text));
  if (!cell) return false;
  // "実3 蓄積データの保護": the text after a single ID names the criterion.
  std::optional<std::string> title;
  if (cell->kind != IdCell::Kind::kPlain && cell->ids.size() == 1 && !cell->remainder.empty()) {
    title = cell->remainder;
  }
  for (const std::string& id : cell->ids) {
    label->ids.push_back(id);
    label->titles.push_back(title);
    label->pages.push_back(page);
  }
  return true;
}

// The label starting at block `b`, with its IDs, if there is one.
std::optional<Label> ReadLabel(const std::vector<Block>& blocks, size_t b) {
  const Block& block = blocks[b];
  Label label;
  label.begin = b;
  label.end = b + 1;
  if (block.kind == BlockKind::kTableRow) {
    // | 対応するFISC基準 | 実3、実25 |: the IDs in the next filled cell.
    for (size_t c = 0; c < block.cells.size(); ++c) {
      std::optional<std::string_view> rest = MatchMappingLabel(block.cells[c]);
      if (!rest) continue;
      if (!rest->empty()) {
        if (AddIdLine(*rest, block.page, &label)) return label;
        return std::nullopt;
      }
      for (size_t k = c + 1; k < block.cells.size(); ++k) {
        if (Trim(block.cells[k]).empty()) continue;
        if (AddIdLine(block.cells[k], block.page, &label)) return label;
        break;
      }
      return std::nullopt;
    }
    return std::nullopt;
  }
  if (block.kind != BlockKind::kLine && block.kind != BlockKind::kHeading) return std::nullopt;
  std::optional<std::string_view> rest = MatchMappingLabel(block.text);
  if (!rest) return std::nullopt;
  if (!rest->empty()) {
    if (AddIdLine(*rest, block.page, &label)) return label;
    return std::nullopt;
  }
  // The IDs below the label: ID lines, bullets, or table rows of ID cells.
  for (size_t j = b + 1; j < blocks.size(); ++j) {
    const Block& next = blocks[j];
    if (next.kind == BlockKind::kBlank || (next.kind == BlockKind::kLine && next.text.empty())) {
      continue;
    }
    bool read = false;
    if (next.kind == BlockKind::kLine) {
      read = AddIdLine(next.text, next.page, &label);
    } else if (next.kind == BlockKind::kTableRow) {
      Label row = label;
      read = std::any_of(next.cells.begin(), next.cells.end(),
                         [](const std::string& c) { return !Trim(c).empty(); });
      for (const std::string& c : next.cells) {
        if (read && !Trim(c).empty()) read = AddIdLine(c, next.page, &row);
      }
      if (read) label = std::move(row);
    }
    if (!read) break;
    label.end = j + 1;
  }
  if (label.ids.empty()) return std::nullopt;
  return label;
}

class MappingReader {
 public:
  MappingReader(const std::vector<Block>& blocks, std::vector<bool>* claimed,
                std::vector<Draft>* drafts)
      : blocks_(blocks), claimed_(*claimed), drafts_(drafts) {}

  void Run() {
    ReadStructure();
    std::vector<Label> labels;
    for (size_t b = 0; b < blocks_.size(); ++b) {
      std::optional<Label> label = ReadLabel(blocks_, b);
      if (!label || InsideCriterionSection(label->begin)) continue;
      b = label->end - 1;
      labels.push_back(std::move(*label));
    }
    if (labels.empty()) return;
    for (const Label& l : labels) {
      for (long h = parent_[l.begin]; h != kNone; h = parent_[h]) ++labels_in_[h];
    }
    // Labels in a heading section of their own first; the rest split the
    // section they share.
    std::vector<std::vector<const Label*>> by_section;  // labels sharing a section
    std::vector<long> section_of;
    for (const Label& l : labels) {
      long container = Container(l);
      if (container != kNone) {
        std::vector<Span> content;
        AddSpan(container + 1, l.begin, &content);
        AddSpan(l.end, section_end_[container], &content);
        Emit(l, content, container, section_end_[container]);
        continue;
      }
      long section = parent_[l.begin];
      auto it = std::find(section_of.begin(), section_of.end(), section);
      if (it == section_of.end()) {
        section_of.push_back(section);
        by_section.emplace_back();
        it = section_of.end() - 1;
      }
      by_section[it - section_of.begin()].push_back(&l);
    }
    for (size_t s = 0; s < by_section.size(); ++s) {
      long section = section_of[s];
      size_t begin = section == kNone ? 0 : static_cast<size_t>(section) + 1;
      size_t end = section == kNone ? blocks_.size() : section_end_[section];
      SplitSection(by_section[s], begin, end);
    }
  }

 private:
  // Section ends, enclosing headings and the document's title heading.
  void ReadStructure() {
    const size_t n = blocks_.size();
    section_end_.assign(n, n);
    parent_.assign(n, kNone);
    labels_in_.assign(n, 0);
    std::vector<size_t> open;
    long first_heading = kNone;
    for (size_t b = 0; b < n; ++b) {
      const Block& block = blocks_[b];
      if (block.kind == BlockKind::kHeading) {
        while (!open.empty() && blocks_[open.back()].level >= block.level) {
          section_end_[open.back()] = b;
          open.pop_back();
        }
        if (first_heading == kNone) first_heading = static_cast<long>(b);
      }
      parent_[b] = open.empty() ? kNone : static_cast<long>(open.back());
      if (block.kind == BlockKind::kHeading) open.push_back(b);
    }
    // The first heading titles the document when no other heading is of
    // its level or higher.
    title_heading_ = first_heading;
    for (size_t b = 0; b < n && title_heading_ != kNone; ++b) {
      if (blocks_[b].kind == BlockKind::kHeading && static_cast<long>(b) != first_heading &&
          blocks_[b].level <= blocks_[first_heading].level) {
        title_heading_ = kNone;
      }
    }
  }

  // Under "### 実8: …" (a heading per ID or a question), the label lists
  // the criteria that answer refers to.
  bool InsideCriterionSection(size_t b) const {
    for (long h = parent_[b]; h != kNone; h = parent_[h]) {
      if (ParseHeadingId(blocks_[h].text)) return true;
    }
    return false;
  }

  // The heading whose section is the label's block, or kNone.
  long Container(const Label& l) const {
    long h = parent_[l.begin];
    if (h == kNone || h == title_heading_ || labels_in_[h] != 1) return kNone;
    for (long p = parent_[h]; p != kNone && p != title_heading_ && labels_in_[p] == 1;
         p = parent_[p]) {
      if (!HasTextOutside(p, h)) break;
      h = p;
    }
    return h;
  }

  // True when the section of `parent` has text outside the section of `child`.
  bool HasTextOutside(long parent, long child) const {
    for (size_t b = parent + 1; b < section_end_[parent]; ++b) {
      if (b == static_cast<size_t>(child)) {
        b = section_end_[child] - 1;
        continue;
      }
      if (IsText(blocks_[b])) return true;
    }
    return false;
  }

  void AddSpan(size_t begin, size_t end, std::vector<Span>* spans) const {
    if (begin < end) spans->push_back({begin, end});
  }

  // Paragraphs of [begin, end): runs of text blocks between blank lines; a
  // heading is a paragraph of its own. A claimed block (another block's)
  // cuts them. Callers pass ranges between labels, never across one.
  std::vector<Span> Paragraphs(size_t begin, size_t end) const {
    std::vector<Span> out;
    bool open = false;
    for (size_t b = begin; b < end; ++b) {
      const Block& block = blocks_[b];
      if (claimed_[b] || !IsText(block)) {
        open = false;
        continue;
      }
      if (block.kind == BlockKind::kHeading) {
        out.push_back({b, b + 1});
        open = false;
        continue;
      }
      if (open) {
        out.back().end = b + 1;
      } else {
        out.push_back({b, b + 1});
        open = true;
      }
    }
    return out;
  }

  // A paragraph, or its first line where that line is the caption of the
  // text below it ("3. バックアップ" printed right above its text).
  struct Item {
    Span span;
    bool caption = false;
  };

  std::vector<Item> Items(size_t begin, size_t end) const {
    std::vector<Item> items;
    for (const Span& p : Paragraphs(begin, end)) {
      const Block& first = blocks_[p.begin];
      if (first.kind == BlockKind::kHeading) {
        items.push_back({p, true});
        continue;
      }
      const bool caption_like = first.kind == BlockKind::kLine && LooksLikeCaption(first.text);
      if (p.end - p.begin == 1) {
        items.push_back({p, caption_like});
        continue;
      }
      // A wrapped line is as long as the next; a caption is numbered or much
      // shorter than the text under it.
      const Block& second = blocks_[p.begin + 1];
      if (caption_like && second.kind == BlockKind::kLine &&
          (EnumeratorLength(first.text) > 0 ||
           2 * CodePointCount(first.text) <= CodePointCount(second.text))) {
        items.push_back({{p.begin, p.begin + 1}, true});
        items.push_back({{p.begin + 1, p.end}, false});
        continue;
      }
      items.push_back({p, false});
    }
    return items;
  }

  // Labels sharing the section [begin, end), which has no heading per block.
  void SplitSection(const std::vector<const Label*>& labels, size_t begin, size_t end) {
    std::vector<std::vector<Item>> before(labels.size());
    int at_start = 0, at_end = 0;
    for (size_t j = 0; j < labels.size(); ++j) {
      size_t from = j == 0 ? begin : labels[j - 1]->end;
      before[j] = Items(from, labels[j]->begin);
      if (before[j].empty() || before[j].back().caption) {
        ++at_start;
      } else {
        ++at_end;
      }
    }
    for (size_t j = 0; j < labels.size(); ++j) {
      const Label& l = *labels[j];
      std::vector<Span> content;
      size_t first = l.begin, last = l.end;
      const std::vector<Item>& items = before[j];
      if (at_end >= at_start) {
        size_t k = 0;  // the first item of the block's text
        if (j == 0) {
          // Past the preamble: after the last caption that text follows.
          for (size_t c = 0; c < items.size(); ++c) {
            if (!items[c].caption) continue;
            for (size_t t = c + 1; t < items.size(); ++t) {
              if (!items[t].caption) k = c + 1;
            }
          }
          if (k > 0) {
            first = items[k - 1].span.begin;
          } else if (!items.empty()) {
            first = items[0].span.begin;
          }
        } else {
          while (k < items.size() && items[k].caption) ++k;  // the block's title
          if (!items.empty()) first = items[0].span.begin;
        }
        if (k < items.size()) AddSpan(items[k].span.begin, items.back().span.end, &content);
      } else {
        if (!items.empty() && items.back().caption) first = items.back().span.begin;
        size_t stop = end;
        if (j + 1 < labels.size()) {
          const std::vector<Item>& next = before[j + 1];
          stop =
              !next.empty() && next.back().caption ? next.back().span.begin : labels[j + 1]->begin;
        } else {
          // The last block ends at a deeper heading or another claimed block.
          for (size_t b = l.end; b < stop; ++b) {
            if (claimed_[b] || blocks_[b].kind == BlockKind::kHeading) stop = b;
          }
        }
        std::vector<Span> ps = Paragraphs(l.end, stop);
        if (!ps.empty()) {
          AddSpan(ps.front().begin, ps.back().end, &content);
          last = ps.back().end;
        }
      }
      Emit(l, content, first, last);
    }
  }

  // True when a line of `content` starts a record: the block is a
  // questionnaire answer or a criterion's text, not a control's.
  bool StartsRecord(const std::vector<Span>& content) const {
    for (const Span& s : content) {
      for (size_t b = s.begin; b < s.end; ++b) {
        const Block& block = blocks_[b];
        if (block.kind == BlockKind::kLine && FindLineStart(block.text, {})) return true;
        if (block.kind == BlockKind::kHeading && ParseHeadingId(block.text)) return true;
        if (block.kind == BlockKind::kTableRow) {
          for (const std::string& c : block.cells) {
            if (ParseIdCell(c)) return true;
          }
        }
      }
    }
    return false;
  }

  // One draft for the block [first, last): `content` minus the label.
  void Emit(const Label& l, const std::vector<Span>& content, size_t first, size_t last) {
    if (StartsRecord(content)) return;
    for (size_t b = first; b < last; ++b) {
      if (claimed_[b]) return;  // another block's already
    }
    Draft d;
    d.origin = Draft::Origin::kMapping;
    d.ids = l.ids;
    d.titles = l.titles;
    d.id_pages = l.pages;
    for (const Span& s : content) {
      for (size_t b = s.begin; b < s.end; ++b) {
        if (b >= l.begin && b < l.end) continue;
        std::string line = AnswerLine(blocks_[b]);
        if (line.empty()) continue;
        if (!d.answer.empty()) d.answer += '\n';
        d.answer += line;
      }
    }
    d.page = l.pages.front();
    d.source_begin = blocks_[first].source_begin;
    d.source_end = blocks_[last - 1].source_end;
    d.order = l.begin;
    for (size_t b = first; b < last; ++b) claimed_[b] = true;
    drafts_->push_back(std::move(d));
  }

  const std::vector<Block>& blocks_;
  std::vector<bool>& claimed_;
  std::vector<Draft>* drafts_;
  std::vector<size_t> section_end_;  // for headings: one past their section
  std::vector<long> parent_;         // the innermost heading whose section holds the block
  std::vector<int> labels_in_;       // for headings: labels in their section
  long title_heading_ = kNone;
};

}  // namespace

void ExtractMappings(const std::vector<Block>& blocks, std::vector<bool>* claimed,
                     std::vector<Draft>* drafts) {
  MappingReader(blocks, claimed, drafts).Run();
}

}  // namespace fiscdex::extract
