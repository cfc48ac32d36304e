// Laid-out pages into one Document: headings from type size, running
// headers and footers kept as furniture, header rows repeated at the top of
// a table on several pages, and a table continued on the next page kept as
// one table, with merged cells cut by the page break carried over.
#include "ingest/pdf_layout.h"

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// A line this much taller than the body text is a heading.
constexpr double kHeadingRatio = 1.15;
// A bold heading at body size: not smaller than body text (a bold footnote
// or caption), and a short line.
constexpr double kWeightHeadingMinRatio = 0.95;
constexpr size_t kWeightHeadingMaxChars = 40;
// A line shorter than this repeats a cell's text by chance (a word).
constexpr size_t kRepeatedCellMinChars = 4;

// Whether the text ends as a sentence does (。 or a full stop): a bold
// sentence is emphasis, not a heading.
bool EndsSentence(std::string_view text) {
  text = TrimSpace(text);
  return text.ends_with("。") || text.ends_with("．") || text.ends_with(".");
}

// Text is compared without its spaces: the same words laid out on another
// page may be split differently.
void AppendWithoutSpaces(std::string_view text, std::string* out) {
  for (char c : text) {
    if (!IsAsciiSpace(c)) out->push_back(c);
  }
}

std::string RowSignature(const PdfItem& row) {
  std::string sig;
  for (const std::string& cell : row.cells) {
    AppendWithoutSpaces(cell, &sig);
    sig.push_back('\x1f');
  }
  return sig;
}

bool SameColumns(const PdfRegion& a, const PdfRegion& b) {
  if (a.columns.size() != b.columns.size()) return false;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const double overlap = std::min(a.columns[c].second, b.columns[c].second) -
                           std::max(a.columns[c].first, b.columns[c].first);
    if (overlap <= 0) return false;
  }
  return true;
}

// The first row of a table continued on a new page, where the previous
// page cut cells of the table's last row. A row with text of its own
// beside the cut column (an ID of its own) is a row the cut cell was merged
// over: the cell's text is the two parts, given to every row it spans. A
// row with nothing beside it is the cut row's own rest, left as it is for
// the extractor to join.
void ContinueCutCells(int table, const std::vector<bool>& cut,
                      const std::vector<bool>& cut_at_paragraph_end,
                      std::vector<std::string>* cells, std::vector<bool>* merged,
                      const std::map<int, size_t>& last_row_of_table, Document* doc) {
  const auto last = last_row_of_table.find(table);
  if (last == last_row_of_table.end()) return;
  for (size_t c = 0; c < cut.size() && c < cells->size(); ++c) {
    if (!cut[c] || (*cells)[c].empty()) continue;
    bool own_text_beside = false;
    for (size_t o = 0; o < cells->size(); ++o) {
      if (o != c && !(*cells)[o].empty() && !(o < merged->size() && (*merged)[o])) {
        own_text_beside = true;
      }
    }
    if (!own_text_beside) continue;
    size_t row = last->second;
    if (c >= doc->blocks[row].cells.size()) continue;
    std::string whole = doc->blocks[row].cells[c];
    if (c < cut_at_paragraph_end.size() && cut_at_paragraph_end[c]) {
      whole.push_back('\n');
      whole += (*cells)[c];
    } else {
      AppendWrapped(&whole, (*cells)[c]);
    }
    // Every row the cell spans: up from the last one while it is merged.
    const std::string part = doc->blocks[row].cells[c];
    while (true) {
      Block& block = doc->blocks[row];
      if (block.kind != BlockKind::kTableRow || block.table != table ||
          c >= block.cells.size() || block.cells[c] != part) {
        break;
      }
      block.cells[c] = whole;
      const bool merged_here = c < block.merged_from_above.size() && block.merged_from_above[c];
      if (!merged_here) break;
      while (row > 0 && doc->blocks[--row].kind != BlockKind::kTableRow) {
      }
    }
    (*cells)[c] = whole;
    merged->resize(cells->size(), false);
    (*merged)[c] = true;
  }
}

// Whether `text`, a line at the top of a page before anything else, repeats
// part of a cell of the last row of the table the previous page ended in.
// Spreadsheets print a merged cell cut by the page break on both pages,
// clipped: its text's tail shows again above the next page's table, and
// must neither be prose nor end the table there.
bool RepeatsCarriedCell(std::string_view text, int carried_table,
                        const std::map<int, size_t>& last_row_of_table, const Document& doc) {
  if (carried_table < 0) return false;
  const auto last = last_row_of_table.find(carried_table);
  if (last == last_row_of_table.end()) return false;
  std::string line;
  AppendWithoutSpaces(text, &line);
  if (CodePointCount(line) < kRepeatedCellMinChars) return false;
  for (const std::string& cell : doc.blocks[last->second].cells) {
    std::string squeezed;
    AppendWithoutSpaces(cell, &squeezed);
    if (squeezed.find(line) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

void AssemblePdfDocument(const std::vector<PdfPage>& pages, Document* doc) {
  doc->blocks.clear();
  doc->text.clear();
  doc->page_count = static_cast<int>(pages.size());

  // Body text height: the most common line height, by characters.
  std::map<long, size_t> by_height;  // quarter points → characters
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      const PdfItem& item = pages[p].items[i];
      if (item.kind != PdfItem::Kind::kLine || pages[p].items[i].furniture) continue;
      by_height[std::lround(item.height * 4)] += item.text.size();
    }
  }
  double body = 0;
  size_t most = 0;
  for (const auto& [quarter, chars] : by_height) {
    if (chars > most) body = quarter / 4.0, most = chars;
  }
  // Heading levels: larger type, lower level number.
  std::set<long, std::greater<long>> heading_sizes;
  auto is_heading = [&](const PdfItem& item) {
    return body > 0 && item.kind == PdfItem::Kind::kLine && item.height >= kHeadingRatio * body &&
           CodePointCount(item.text) <= 80;
  };
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      if (!pages[p].items[i].furniture && is_heading(pages[p].items[i])) {
        heading_sizes.insert(std::lround(pages[p].items[i].height * 2));
      }
    }
  }
  // A heading set in bold at about body size, as word processors' heading
  // styles often are: a short bold line standing alone (a paragraph break,
  // a table or the page's edge on both sides) that is not a sentence. A
  // bold line with its text right below it is a lead-in, not a heading.
  auto is_weight_heading = [&](const PdfPage& page, size_t i) {
    const PdfItem& item = page.items[i];
    if (body <= 0 || item.kind != PdfItem::Kind::kLine || !item.bold || item.furniture ||
        item.height < kWeightHeadingMinRatio * body ||
        CodePointCount(item.text) > kWeightHeadingMaxChars || EndsSentence(item.text)) {
      return false;
    }
    auto alone = [&](size_t j) { return page.items[j].kind != PdfItem::Kind::kLine; };
    // Below it, space: a line merely ending short is a lead-in's end.
    auto spaced = [&](size_t j) { return alone(j) && !page.items[j].line_end; };
    return (i == 0 || alone(i - 1)) && (i + 1 == page.items.size() || spaced(i + 1));
  };
  const int weight_level = std::min(static_cast<int>(heading_sizes.size()) + 1, 6);
  auto level_of = [&](const PdfItem& item) {
    if (item.height < kHeadingRatio * body) return weight_level;
    const long size = std::lround(item.height * 2);
    int level = 1;
    for (long s : heading_sizes) {
      if (s == size) break;
      ++level;
    }
    return std::min(level, 6);
  };

  // A row that tops a table on several pages is the table's header row.
  std::map<std::string, std::set<size_t>> top_rows;
  for (size_t p = 0; p < pages.size(); ++p) {
    int last_region = -1;
    for (const PdfItem& item : pages[p].items) {
      if (item.kind != PdfItem::Kind::kRow || item.region == last_region) continue;
      last_region = item.region;
      top_rows[RowSignature(item)].insert(p);
    }
  }
  // A header row repeated in the top margin of later pages is furniture
  // there; where it tops the table as a row, it is the header.
  std::set<std::string> furniture_texts;
  for (size_t p = 0; p < pages.size(); ++p) {
    for (size_t i = 0; i < pages[p].items.size(); ++i) {
      if (!pages[p].items[i].furniture) continue;
      std::string text;
      AppendWithoutSpaces(pages[p].items[i].text, &text);
      furniture_texts.insert(std::move(text));
    }
  }
  auto repeated_header = [&](const PdfItem& row) {
    if (top_rows[RowSignature(row)].size() >= 2) return true;
    std::string text;
    for (const std::string& cell : row.cells) AppendWithoutSpaces(cell, &text);
    return !text.empty() && furniture_texts.count(text) > 0;
  };

  BlockSink sink(doc);
  std::map<int, std::vector<bool>> merge_columns;  // per table
  std::map<int, size_t> last_row_of_table;         // index into doc->blocks
  std::vector<bool> pending_merge;                 // per column of the current region
  int next_table = 0;
  int carried_table = -1;               // the table the previous page ended in
  const PdfRegion* carried_region = nullptr;
  // Cells of the carried table's last row cut by the page's end (empty: none).
  std::vector<bool> carried_cut, carried_cut_at_paragraph_end;
  for (size_t p = 0; p < pages.size(); ++p) {
    const PdfPage& page = pages[p];
    sink.set_page(static_cast<int>(p) + 1);
    if (p > 0) doc->text.push_back('\f');
    std::vector<int> table_of_region(page.regions.size(), -1);
    bool content_seen = false;
    int last_region = -1;
    int page_last_table = -1;
    const PdfRegion* page_last_region = nullptr;
    std::vector<bool> page_last_cut, page_last_cut_at_paragraph_end;
    for (size_t i = 0; i < page.items.size(); ++i) {
      const PdfItem& item = page.items[i];
      const size_t begin = doc->text.size();
      switch (item.kind) {
        case PdfItem::Kind::kBreak:
          sink.Blank(begin, begin);
          break;
        case PdfItem::Kind::kLine: {
          if (!content_seen && !item.furniture &&
              RepeatsCarriedCell(item.text, carried_table, last_row_of_table, *doc)) {
            break;  // a spreadsheet's merged cell, printed again clipped
          }
          doc->text += item.text;
          doc->text.push_back('\n');
          const size_t end = doc->text.size() - 1;
          const Document& d = *doc;
          if (pages[p].items[i].furniture) {
            sink.Line(item.text, begin, end);
            doc->blocks.back().furniture = true;
            break;
          }
          content_seen = true;
          page_last_table = -1;
          if (is_heading(item) || is_weight_heading(page, i)) {
            const size_t last = sink.last_index();
            if (last != std::string::npos && d.blocks[last].kind == BlockKind::kHeading &&
                d.blocks[last].level == level_of(item) && i > 0 &&
                page.items[i - 1].kind == PdfItem::Kind::kLine) {
              // A heading wrapped over two lines is one heading.
              Block& heading = doc->blocks[last];
              AppendWrapped(&heading.text, item.text);
              heading.source_end = end;
              break;
            }
            sink.Heading(item.text, level_of(item), begin, end);
          } else {
            sink.Line(item.text, begin, end);
          }
          break;
        }
        case PdfItem::Kind::kRow: {
          const bool first_row = item.region != last_region;
          last_region = item.region;
          int& table = table_of_region[item.region];
          if (table < 0) {
            const PdfRegion& region = page.regions[item.region];
            const bool continues = !content_seen && carried_table >= 0 &&
                                   carried_region != nullptr &&
                                   SameColumns(*carried_region, region);
            table = continues ? carried_table : next_table++;
            // Columns where the table merges cells: a merged cell cut by
            // the page break leaves the top rows of this page blank there.
            std::vector<bool>& merging = merge_columns[table];
            merging.resize(item.cells.size(), false);
            for (const PdfItem& other : page.items) {
              if (other.kind != PdfItem::Kind::kRow || other.region != item.region) continue;
              for (size_t c = 0; c < other.merged_from_above.size() && c < merging.size(); ++c) {
                merging[c] = merging[c] || other.merged_from_above[c];
              }
            }
            pending_merge.assign(item.cells.size(), continues);
          }
          content_seen = true;
          const bool header = item.header || (first_row && repeated_header(item));
          std::vector<std::string> cells = item.cells;
          std::vector<bool> merged = item.merged_from_above;
          const std::vector<bool>& merging = merge_columns[table];
          if (!header && last_row_of_table.count(table)) {
            const Block& above = doc->blocks[last_row_of_table[table]];
            for (size_t c = 0; c < cells.size() && c < pending_merge.size(); ++c) {
              if (!pending_merge[c]) continue;
              if (!cells[c].empty() || c >= merging.size() || !merging[c] ||
                  c >= above.cells.size() || above.cells[c].empty()) {
                pending_merge[c] = false;
                continue;
              }
              cells[c] = above.cells[c];
              merged.resize(cells.size(), false);
              merged[c] = true;
            }
          }
          if (!header && table == carried_table && !carried_cut.empty()) {
            ContinueCutCells(table, carried_cut, carried_cut_at_paragraph_end, &cells, &merged,
                             last_row_of_table, doc);
            carried_cut.clear();
          }
          if (!header) {
            // Only the rows at the top of a continued table can be the rest
            // of a cell from the previous page.
            for (size_t c = 0; c < cells.size() && c < pending_merge.size(); ++c) {
              if (!cells[c].empty() && !(c < merged.size() && merged[c])) pending_merge[c] = false;
            }
          }
          for (size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) doc->text.push_back('\t');
            doc->text += cells[c];
          }
          doc->text.push_back('\n');
          sink.Row(std::move(cells), table, header, begin, doc->text.size() - 1);
          doc->blocks.back().merged_from_above = std::move(merged);
          if (!header) last_row_of_table[table] = doc->blocks.size() - 1;
          page_last_table = table;
          page_last_region = &page.regions[item.region];
          page_last_cut = item.cut_below;
          page_last_cut_at_paragraph_end = item.cut_at_paragraph_end;
          break;
        }
      }
    }
    carried_table = page_last_table;
    carried_region = page_last_table >= 0 ? page_last_region : nullptr;
    carried_cut = page_last_table >= 0 ? page_last_cut : std::vector<bool>();
    carried_cut_at_paragraph_end = page_last_cut_at_paragraph_end;
  }
}

}  // namespace fiscdex::ingest::internal
