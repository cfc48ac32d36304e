// HTML: a tag-soup reader, not a DOM builder.
//
// The text is scanned once, tag by tag. Text goes to the innermost open table
// cell, or else to the current top-level line; block-level tags end lines
// (and paragraph-level ones add a kBlank), white space collapses the way a
// browser collapses it (except inside <pre>). Tables are buffered until they
// close, because rowspan and colspan need the whole grid: a rowspanned cell's
// text is repeated into each row it spans, colspanned columns are "". A table
// nested in a cell becomes one line per row, cells joined by '\t', inside the
// outer cell's text. Missing end tags (</td>, </tr>, </p>, </table>) are
// implied the way browsers imply them.
#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/inline_markup.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// The spans browsers accept (HTML caps colspan at 1000, rowspan at 65534).
constexpr int kMaxColspan = 1000;
constexpr int kMaxRowspan = 65534;
// Tables nested deeper than this are read as if their tags were not there:
// no real document nests so deep, and the bound keeps text routing cheap.
constexpr size_t kMaxTableDepth = 32;

enum class BreakKind { kLine, kParagraph };

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

// h1..h6 → 1..6, else 0.
int HeadingLevel(std::string_view name) {
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
    return name[1] - '0';
  }
  return 0;
}

bool IsParagraphTag(std::string_view name) {
  return IsOneOf(name,
                 {"p", "ul", "ol", "dl", "blockquote", "section", "article", "pre", "hr", "menu"});
}

bool IsLineTag(std::string_view name) {
  return IsOneOf(name,
                 {"br",      "div",      "li",      "dt",       "dd",     "header",     "footer",
                  "nav",     "aside",    "main",    "form",     "figure", "figcaption", "address",
                  "center",  "fieldset", "details", "summary",  "body",   "html",       "head",
                  "caption", "option",   "legend",  "noscript", "tr"});
}

int SpanAttribute(std::string_view attributes, std::string_view name, int max_value) {
  std::string value;
  if (!GetHtmlAttribute(attributes, name, &value)) return 1;
  std::string_view digits = TrimSpace(value);
  int parsed = 1;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
  if (result.ec != std::errc()) return 1;
  return std::clamp(parsed, 0, max_value);
}

class HtmlReader {
 public:
  HtmlReader(Document* doc, size_t begin, size_t end, BlockSink* sink, int* next_table,
             bool properties)
      : doc_(doc),
        text_(doc->text),
        begin_(begin),
        end_(std::min(end, doc->text.size())),
        sink_(sink),
        next_table_(next_table),
        properties_(properties) {}

  void Run() {
    size_t pos = begin_;
    HtmlTag tag;
    TagScanMemo memo;
    while (pos < end_) {
      const size_t lt = text_.find('<', pos);
      if (lt == std::string_view::npos || lt >= end_) {
        OnText(pos, end_);
        break;
      }
      OnText(pos, lt);
      if (!ScanHtmlTag(text_.substr(lt, end_ - lt), &tag, &memo,
                       /*allow_unterminated_comment=*/true)) {
        OnText(lt, lt + 1);
        pos = lt + 1;
        continue;
      }
      pos = lt + tag.length;
      if (tag.kind == HtmlTag::Kind::kStart) {
        pos = OnStartTag(tag, lt, pos);
      } else if (tag.kind == HtmlTag::Kind::kEnd) {
        OnEndTag(tag, lt, pos);
      }
    }
    while (!tables_.empty()) CloseTable(end_);
    EndHeading(end_);
    FlushLine();
  }

 private:
  struct Cell {
    std::string text;
    int rowspan = 1;
    int colspan = 1;
    bool th = false;
    bool pending_space = false;
  };
  struct Row {
    std::vector<Cell> cells;
    bool thead = false;
    size_t begin = 0;
    size_t end = 0;
  };
  struct Table {
    std::vector<Row> rows;
    bool in_thead = false;
    bool row_open = false;
    bool cell_open = false;
  };
  // Where text goes: a cell's buffer or the top-level line.
  struct Target {
    std::string* text;
    bool* pending_space;
    bool top_level;
  };

  Target CurrentTarget() {
    for (auto it = tables_.rbegin(); it != tables_.rend(); ++it) {
      if (it->cell_open) {
        Cell& cell = it->rows.back().cells.back();
        return {&cell.text, &cell.pending_space, false};
      }
    }
    return {&line_, &line_pending_space_, true};
  }

  // Appends visible text (already decoded) that came from text_[src_begin, src_end).
  void Append(const Target& target, std::string_view visible, size_t src_begin, size_t src_end) {
    std::string& out = *target.text;
    if (*target.pending_space && !out.empty() && out.back() != '\n' && out.back() != '\t') {
      out.push_back(' ');
    }
    *target.pending_space = false;
    if (target.top_level) {
      if (out.empty()) line_begin_ = src_begin;
      line_end_ = src_end;
    }
    out.append(visible);
  }

  void OnText(size_t begin, size_t end) {
    if (begin >= end) return;
    Target target = CurrentTarget();
    if (pre_depth_ > 0) {
      OnPreText(target, begin, end);
      return;
    }
    std::string decoded;
    size_t i = begin;
    while (i < end) {
      const char c = text_[i];
      if (IsAsciiSpace(c)) {
        *target.pending_space = true;
        ++i;
        continue;
      }
      if (c == '&') {
        decoded.clear();
        const size_t used = DecodeEntity(text_.substr(i, end - i), &decoded);
        if (used > 0) {
          Append(target, decoded, i, i + used);
          i += used;
          continue;
        }
      }
      size_t j = i + 1;
      while (j < end && !IsAsciiSpace(text_[j]) && text_[j] != '&') ++j;
      Append(target, text_.substr(i, j - i), i, j);
      i = j;
    }
  }

  // <pre>: text verbatim, each source line its own line.
  void OnPreText(const Target& target, size_t begin, size_t end) {
    size_t i = begin;
    // Browsers drop the line break that directly follows <pre>.
    if (i == pre_content_begin_ && text_[i] == '\n') ++i;
    std::string decoded;
    while (i < end) {
      const size_t nl = text_.find('\n', i);
      const size_t piece_end = (nl == std::string_view::npos || nl > end) ? end : nl;
      std::string_view piece = text_.substr(i, piece_end - i);
      if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
      if (!piece.empty()) {
        decoded.clear();
        AppendEntitiesDecoded(piece, &decoded);
        *target.pending_space = false;
        Append(target, decoded, i, i + piece.size());
      }
      if (piece_end == end) break;
      if (target.top_level) {
        if (line_.empty()) {
          sink_->Blank(i, piece_end);
        } else {
          FlushLine();
        }
      } else {
        target.text->push_back('\n');
      }
      i = piece_end + 1;
    }
  }

  // Returns where scanning resumes (past the content of raw-text elements).
  size_t OnStartTag(const HtmlTag& tag, size_t tag_begin, size_t tag_end) {
    const std::string& name = tag.name;
    if (name == "script" || name == "style" || name == "title" || name == "textarea") {
      size_t close = FindIgnoreCase(text_.substr(0, end_), "</" + name, tag_end);
      if (close == std::string_view::npos) close = end_;
      if (name == "title" && properties_) {
        AddProperty("title", text_.substr(tag_end, close - tag_end));
      } else if (name == "textarea") {
        OnText(tag_end, close);
      }
      const size_t gt = text_.find('>', close);
      return (gt == std::string_view::npos || gt >= end_) ? end_ : gt + 1;
    }
    if (name == "meta") {
      std::string meta_name;
      std::string content;
      if (properties_ && GetHtmlAttribute(tag.attributes, "name", &meta_name) &&
          GetHtmlAttribute(tag.attributes, "content", &content)) {
        AddProperty(AsciiLowerCopy(TrimSpace(meta_name)), content);
      }
      return tag_end;
    }
    if (name == "table") {
      OpenTable(tag_begin);
    } else if (name == "thead") {
      if (!tables_.empty()) tables_.back().in_thead = true;
    } else if (name == "tbody" || name == "tfoot") {
      if (!tables_.empty()) tables_.back().in_thead = false;
    } else if (name == "tr") {
      if (tables_.empty()) {
        Break(BreakKind::kLine, tag_begin, tag_end);
      } else {
        OpenRow(tag_begin);
      }
    } else if (name == "td" || name == "th") {
      if (tables_.empty()) {
        *CurrentTarget().pending_space = true;
      } else {
        OpenCell(tag, tag_begin);
      }
    } else if (const int level = HeadingLevel(name); level > 0) {
      const Target target = CurrentTarget();
      if (target.top_level) {
        EndHeading(tag_begin);
        FlushLine();
        heading_level_ = level;
        heading_begin_ = tag_begin;
      } else {
        Break(BreakKind::kLine, tag_begin, tag_end);
      }
    } else if (IsParagraphTag(name)) {
      Break(BreakKind::kParagraph, tag_begin, tag_end);
      if (name == "pre") {
        ++pre_depth_;
        pre_content_begin_ = tag_end;
      }
    } else if (IsLineTag(name)) {
      Break(BreakKind::kLine, tag_begin, tag_end);
    }
    return tag_end;
  }

  void OnEndTag(const HtmlTag& tag, size_t tag_begin, size_t tag_end) {
    const std::string& name = tag.name;
    if (name == "table") {
      if (ignored_tables_ > 0) {
        --ignored_tables_;
      } else if (!tables_.empty()) {
        CloseTable(tag_end);
      }
    } else if (name == "thead") {
      if (!tables_.empty()) tables_.back().in_thead = false;
    } else if (name == "tr") {
      if (!tables_.empty()) CloseRow(tag_end);
    } else if (name == "td" || name == "th") {
      if (!tables_.empty()) CloseCell();
    } else if (HeadingLevel(name) > 0) {
      if (heading_level_ > 0 && CurrentTarget().top_level) {
        EndHeading(tag_end);
      } else {
        Break(BreakKind::kLine, tag_begin, tag_end);
      }
    } else if (IsParagraphTag(name)) {
      if (name == "pre" && pre_depth_ > 0) --pre_depth_;
      Break(BreakKind::kParagraph, tag_begin, tag_end);
    } else if (IsLineTag(name)) {
      Break(BreakKind::kLine, tag_begin, tag_end);
    }
  }

  void Break(BreakKind kind, size_t tag_begin, size_t tag_end) {
    const Target target = CurrentTarget();
    if (!target.top_level) {
      std::string& text = *target.text;
      if (!text.empty() && text.back() != '\n') text.push_back('\n');
      *target.pending_space = false;
      return;
    }
    if (heading_level_ > 0) {
      line_pending_space_ = true;  // a break inside a heading reads as a space
      return;
    }
    FlushLine();
    if (kind == BreakKind::kParagraph) sink_->Blank(tag_begin, tag_end);
  }

  void FlushLine() {
    if (heading_level_ > 0) return;
    if (!line_.empty()) sink_->Line(std::move(line_), line_begin_, line_end_);
    line_.clear();
    line_pending_space_ = false;
  }

  void EndHeading(size_t end) {
    if (heading_level_ == 0) return;
    if (!line_.empty()) sink_->Heading(std::move(line_), heading_level_, heading_begin_, end);
    line_.clear();
    line_pending_space_ = false;
    heading_level_ = 0;
  }

  void AddProperty(std::string key, std::string_view raw) {
    std::string decoded;
    AppendEntitiesDecoded(raw, &decoded);
    std::string value;
    bool space = false;
    for (char c : decoded) {
      if (IsAsciiSpace(c)) {
        space = !value.empty();
      } else {
        if (space) value.push_back(' ');
        space = false;
        value.push_back(c);
      }
    }
    if (!key.empty() && !value.empty()) doc_->properties.emplace_back(std::move(key), value);
  }

  // ---- tables ----

  void OpenTable(size_t tag_begin) {
    if (tables_.size() >= kMaxTableDepth) {
      ++ignored_tables_;
      return;
    }
    if (CurrentTarget().top_level) {
      EndHeading(tag_begin);
      FlushLine();
    }
    tables_.emplace_back();
  }

  void OpenRow(size_t tag_begin) {
    Table& table = tables_.back();
    CloseRow(tag_begin);
    Row& row = table.rows.emplace_back();
    row.thead = table.in_thead;
    row.begin = tag_begin;
    row.end = tag_begin;
    table.row_open = true;
  }

  void OpenCell(const HtmlTag& tag, size_t tag_begin) {
    Table& table = tables_.back();
    CloseCell();
    if (!table.row_open) OpenRow(tag_begin);
    Cell& cell = table.rows.back().cells.emplace_back();
    cell.th = tag.name == "th";
    cell.rowspan = SpanAttribute(tag.attributes, "rowspan", kMaxRowspan);
    cell.colspan = std::max(1, SpanAttribute(tag.attributes, "colspan", kMaxColspan));
    table.cell_open = true;
  }

  void CloseCell() {
    Table& table = tables_.back();
    if (!table.cell_open) return;
    TidyLines(&table.rows.back().cells.back().text);
    table.cell_open = false;
  }

  void CloseRow(size_t end) {
    Table& table = tables_.back();
    CloseCell();
    if (!table.row_open) return;
    table.rows.back().end = end;
    table.row_open = false;
  }

  void CloseTable(size_t end) {
    CloseRow(end);
    Table table = std::move(tables_.back());
    tables_.pop_back();
    std::vector<bool> header;
    std::vector<std::vector<bool>> merged;
    std::vector<std::vector<std::string>> grid = Layout(table, &header, &merged);
    const Target target = CurrentTarget();
    if (!target.top_level) {
      // A table inside a cell: one line per row, cells joined by tabs.
      std::string& text = *target.text;
      for (const auto& cells : grid) {
        if (cells.empty()) continue;
        if (!text.empty() && text.back() != '\n') text.push_back('\n');
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i > 0) text.push_back('\t');
          // An inner cell's own line breaks would split the row; they read as spaces.
          for (char c : cells[i]) text.push_back(c == '\n' ? ' ' : c);
        }
        text.push_back('\n');
      }
      *target.pending_space = false;
      return;
    }
    bool any = false;
    for (size_t r = 0; r < grid.size(); ++r) any |= !grid[r].empty();
    if (!any) return;
    const int index = (*next_table_)++;
    for (size_t r = 0; r < grid.size(); ++r) {
      if (grid[r].empty()) continue;
      sink_->Row(std::move(grid[r]), index, header[r], table.rows[r].begin, table.rows[r].end);
      // Tell the extractor which cells repeat a rowspanned cell from above:
      // the rows of one merged answer cell share one record.
      if (std::find(merged[r].begin(), merged[r].end(), true) != merged[r].end()) {
        doc_->blocks[sink_->last_index()].merged_from_above = std::move(merged[r]);
      }
    }
  }

  // Lays the rows out on the column grid, resolving rowspan and colspan.
  static std::vector<std::vector<std::string>> Layout(const Table& table,
                                                      std::vector<bool>* header,
                                                      std::vector<std::vector<bool>>* merged) {
    struct Carry {
      int rows_left = 0;
      std::string text;
    };
    std::vector<Carry> carry;
    std::vector<std::vector<std::string>> grid(table.rows.size());
    header->assign(table.rows.size(), false);
    merged->assign(table.rows.size(), {});
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const Row& row = table.rows[r];
      std::vector<std::string>& out = grid[r];
      std::vector<bool> filled;
      std::vector<bool> carried(carry.size(), false);  // spans already counted for this row
      auto ensure = [&](size_t size) {
        if (out.size() < size) {
          out.resize(size);
          filled.resize(size, false);
        }
      };
      auto place_carried = [&](size_t c) {
        ensure(c + 1);
        if (!filled[c]) {
          out[c] = carry[c].text;
          filled[c] = true;
          if ((*merged)[r].size() <= c) (*merged)[r].resize(c + 1, false);
          (*merged)[r][c] = true;
        }
        --carry[c].rows_left;
        carried[c] = true;
      };
      size_t col = 0;
      for (const Cell& cell : row.cells) {
        while (col < carry.size() && carry[col].rows_left > 0 && !carried[col]) {
          place_carried(col++);
        }
        const size_t span = static_cast<size_t>(cell.colspan);
        ensure(col + span);
        for (size_t k = 0; k < span; ++k) {
          out[col + k] = k == 0 ? cell.text : std::string();
          filled[col + k] = true;
        }
        // rowspan="0" spans the rest of the table.
        int rows = cell.rowspan == 0 ? static_cast<int>(table.rows.size() - r) : cell.rowspan;
        rows = std::min(rows, static_cast<int>(table.rows.size() - r));
        if (rows > 1) {
          if (carry.size() < col + span) {
            carry.resize(col + span);
            carried.resize(col + span, false);
          }
          for (size_t k = 0; k < span; ++k) {
            // An overlapping span (bad markup) is replaced, as browsers overlap them.
            carry[col + k].rows_left = rows - 1;
            carry[col + k].text = k == 0 ? cell.text : std::string();
            carried[col + k] = true;
          }
        }
        col += span;
      }
      // Spans from rows above that this row's own cells did not reach.
      for (size_t c = 0; c < carry.size(); ++c) {
        if (carry[c].rows_left > 0 && !carried[c]) place_carried(c);
      }
      (*merged)[r].resize(out.size(), false);
      bool all_th = !row.cells.empty();
      for (const Cell& cell : row.cells) all_th &= cell.th;
      (*header)[r] = row.thead || all_th;
    }
    return grid;
  }

  Document* doc_;
  std::string_view text_;
  size_t begin_;
  size_t end_;
  BlockSink* sink_;
  int* next_table_;
  bool properties_;

  std::string line_;
  size_t line_begin_ = 0;
  size_t line_end_ = 0;
  bool line_pending_space_ = false;
  int heading_level_ = 0;
  size_t heading_begin_ = 0;
  int pre_depth_ = 0;
  size_t pre_content_begin_ = std::string_view::npos;
  std::vector<Table> tables_;
  size_t ignored_tables_ = 0;  // open <table>s past kMaxTableDepth
};

}  // namespace

void ReadHtmlRange(Document* doc, size_t begin, size_t end, BlockSink* sink, int* next_table,
                   bool properties) {
  HtmlReader reader(doc, begin, end, sink, next_table, properties);
  reader.Run();
}

void ReadHtml(Document* doc) {
  BlockSink sink(doc);
  int next_table = 0;
  ReadHtmlRange(doc, 0, doc->text.size(), &sink, &next_table, /*properties=*/true);
  doc->page_count = 1;
}

}  // namespace fiscdex::ingest::internal
