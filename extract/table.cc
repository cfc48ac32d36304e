// Criterion tables. A table is a criterion table when one of its columns
// holds ID cells; that column need not be the first. The other columns are
// classified by their header (or, without one, by their content): category
// columns (分類, 区分, 中項目 ...) and the title column (小項目, or cells
// phrased "…こと。") are not answers; every other column is an answer
// column. Rows whose ID cell is empty continue the row above, even across a
// page break that repeated the header row; rows whose ID cell says "-" map
// to no criterion and are dropped.
#include <algorithm>
#include <string>
#include <string_view>

#include "extract/criterion_id.h"
#include "extract/draft.h"
#include "extract/id_cell.h"
#include "extract/utf8_util.h"
#include "base/text.h"
#include "normalize/normalize.h"

namespace fiscdex::extract {
namespace {

using ingest::Block;

std::string_view CellAt(const Block& row, size_t column) {
  return column < row.cells.size() ? std::string_view(row.cells[column]) : std::string_view();
}

bool AllEmpty(const Block& row) {
  return std::all_of(row.cells.begin(), row.cells.end(),
                     [](const std::string& c) { return Trim(c).empty(); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool HeaderSays(std::string_view header, std::initializer_list<std::string_view> words) {
  std::string lower = Lower(header);
  for (std::string_view w : words) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

bool IsTitleHeader(std::string_view h) {
  if (HeaderSays(h, {"小項目", "項目名", "タイトル", "title", "基準内容", "基準の内容",
                     "要求事項", "基準名", "基準項目", "criterion text", "確認事項", "質問事項",
                     "質問内容", "設問"})) {
    return true;
  }
  // "項目", "対策項目", "管理項目": the item a row is about, i.e. the
  // criterion's text, unless it is a level of grouping (大項目, 中項目).
  const std::string_view trimmed = Trim(h);
  constexpr std::string_view kItem = "項目";
  return trimmed.size() >= kItem.size() &&
         trimmed.substr(trimmed.size() - kItem.size()) == kItem && !HeaderSays(trimmed, {"大項目", "中項目"});
}

bool IsCategoryHeader(std::string_view h) {
  return HeaderSays(h, {"分類", "区分", "大項目", "中項目", "カテゴリ", "category", "種別",
                        "グループ", "分野", "領域"});
}

// "対応区分", "実施主体", "責任分担": a column on who answers for the
// criterion (the vendor, the customer, both) is part of the answer, even when
// its header also reads as a category.
bool SaysWhoResponds(std::string_view h) {
  return HeaderSays(h, {"対応", "実施", "主体", "責任", "担当", "分担", "役割", "回答"});
}

// Cells that name the party who acts (当社, お客様, 共同): a who-does-it
// column under whatever header.
bool NamesParties(const std::vector<const Block*>& rows, const Block* header_row, size_t column) {
  int filled = 0, parties = 0;
  for (const Block* r : rows) {
    if (r->header || r == header_row) continue;
    std::string_view cell = Trim(CellAt(*r, column));
    if (cell.empty()) continue;
    ++filled;
    if (cell.size() <= 30 && HeaderSays(cell, {"当社", "弊社", "お客様", "顧客", "利用者", "金融機関",
                                               "共同", "双方", "事業者", "提供者", "委託先", "ベンダ"})) {
      ++parties;
    }
  }
  return filled > 0 && parties * 2 > filled;
}

// A row counter (No., 通番): numbers the sheet's rows, says nothing about
// the criterion. Matched as the whole header, since "基準番号" or
// "関連する基準番号" name columns of IDs.
bool IsNumberHeader(std::string_view h) {
  std::string lower = Lower(Trim(normalize::NormalizeText(h)));
  while (!lower.empty() && (lower.back() == '.' || lower.back() == ':')) lower.pop_back();
  for (std::string_view w : {"no", "#", "nr", "seq", "番号", "通番", "連番", "項番", "整理番号",
                             "行番号", "行", "通し番号"}) {
    if (lower == w) return true;
  }
  return false;
}

// A cell holding only a row number: "12", "(3)", "No.4".
bool IsRowNumberCell(std::string_view cell) {
  std::string s = Lower(Trim(normalize::NormalizeText(cell)));
  size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '(' && c != ')' && c != '.' && c != '-' && c != 'n' && c != 'o') {
      return false;
    }
  }
  return digits > 0 && digits <= 5;
}

// FISC phrases every criterion as an instruction ending in こと(。).
bool LooksLikeCriterionText(std::string_view cell) {
  std::string_view s = Trim(cell);
  while (!s.empty() && (s.back() == '.' || s.substr(s.size() >= 3 ? s.size() - 3 : 0) == "。")) {
    s.remove_suffix(s.back() == '.' ? 1 : 3);
  }
  return s.size() >= 6 && s.substr(s.size() - 6) == "こと";
}

// A row whose only filled cell is `column`: a note spanning the row, or
// one the other columns leave alone.
bool OnlyCellFilled(const Block& row, size_t column) {
  for (size_t c = 0; c < row.cells.size(); ++c) {
    if (c != column && !Trim(row.cells[c]).empty()) return false;
  }
  return column < row.cells.size() && !Trim(row.cells[column]).empty();
}

// The ID cell of `row` in the ID column. In a row where it is the only
// filled cell, a sentence whose subject is the IDs ("設備基準84~90は…対象外")
// is a note on them rather than a citation: no answer cell says otherwise.
std::optional<IdCell> ParseRowIdCell(const Block& row, size_t id_column) {
  std::string_view text = CellAt(row, id_column);
  if (std::optional<IdCell> cell = ParseIdCell(text)) return cell;
  if (OnlyCellFilled(row, id_column)) return ParseNoteIdCell(text);
  return std::nullopt;
}

}  // namespace

void TableExtractor::AddTable(const std::vector<const Block*>& rows, size_t first_block,
                              std::vector<Draft>* drafts) {
  if (rows.empty()) return;
  size_t width = 0;
  for (const Block* r : rows) width = std::max(width, r->cells.size());

  // The ID column: the one holding the most ID cells.
  std::vector<int> id_counts(width, 0);
  for (const Block* r : rows) {
    if (r->header) continue;
    for (size_t c = 0; c < r->cells.size(); ++c) {
      if (ParseIdCell(r->cells[c])) ++id_counts[c];
    }
  }
  int id_column = -1;
  for (size_t c = 0; c < width; ++c) {
    if (id_counts[c] > 0 && (id_column < 0 || id_counts[c] > id_counts[id_column])) {
      id_column = static_cast<int>(c);
    }
  }

  Layout layout;
  if (id_column < 0) {
    // A table with no ID cell is a criterion table only as the rest of the
    // previous one, cut by a page break (its rows continue the open record).
    if (open_draft_ < 0 || !has_layout_ || width != layout_.width) {
      open_draft_ = -1;
      return;
    }
    layout = layout_;
  } else {
    layout.id_column = id_column;
    layout.width = width;
    // Header: the format's header rows, else the rows before the first ID row.
    const Block* header_row = nullptr;
    for (const Block* r : rows) {
      if (r->header) {
        header_row = r;
        continue;
      }
      if (ParseRowIdCell(*r, static_cast<size_t>(id_column))) break;
      if (!AllEmpty(*r) && !Trim(CellAt(*r, id_column)).empty()) header_row = r;
    }
    layout.headers.assign(width, "");
    if (header_row != nullptr) {
      layout.header_cells = header_row->cells;
      for (size_t c = 0; c < width && c < header_row->cells.size(); ++c) {
        layout.headers[c] = header_row->cells[c];
      }
    } else if (has_layout_ && layout_.width == width && layout_.id_column == id_column) {
      layout.headers = layout_.headers;  // the header was on an earlier page
      layout.header_cells = layout_.header_cells;
    }
    bool have_headers = header_row != nullptr ||
                        std::any_of(layout.headers.begin(), layout.headers.end(),
                                    [](const std::string& h) { return !h.empty(); });
    for (size_t c = 0; c < width; ++c) {
      if (static_cast<int>(c) == id_column) continue;
      const std::string& h = layout.headers[c];
      const bool known_header = have_headers && !h.empty();
      // A column with no text at all (a sheet's print area wider than its
      // table, gridlines and all) answers nothing.
      if (Trim(h).empty() && std::all_of(rows.begin(), rows.end(), [&](const Block* r) {
            return Trim(CellAt(*r, c)).empty();
          })) {
        continue;
      }
      if (known_header && IsCategoryHeader(h) && !SaysWhoResponds(h) &&
          !NamesParties(rows, header_row, c)) {
        continue;
      }
      // A row counter numbers the rows ahead of their IDs; a number column
      // right of the IDs (a mapping's "#", "No") is data the row reports.
      if (static_cast<int>(c) < id_column) {
        if (known_header && IsNumberHeader(h)) continue;
        bool all_numbers = true, any = false;
        for (const Block* r : rows) {
          if (r->header || r == header_row) continue;
          std::string_view cell = Trim(CellAt(*r, c));
          if (cell.empty()) continue;
          any = true;
          if (!IsRowNumberCell(cell)) all_numbers = false;
        }
        if (any && all_numbers) continue;  // a row counter, whatever its header
      }
      if (known_header) {
        if (IsTitleHeader(h) && layout.title_column < 0) {
          layout.title_column = static_cast<int>(c);
          continue;
        }
      } else if (static_cast<int>(c) < id_column) {
        continue;  // without a header, columns left of the IDs are labels
      }
      // A column of "…こと。" cells is the criterion text, whatever its
      // header says.
      int filled = 0, criterion_like = 0;
      for (const Block* r : rows) {
        if (r->header) continue;
        std::string_view cell = CellAt(*r, c);
        if (Trim(cell).empty()) continue;
        ++filled;
        if (LooksLikeCriterionText(cell)) ++criterion_like;
      }
      if (filled > 0 && criterion_like * 10 >= filled * 6 && layout.title_column < 0) {
        layout.title_column = static_cast<int>(c);
        continue;
      }
      layout.answer_columns.push_back(static_cast<int>(c));
    }
    // A header-less table whose IDs stand in the last column ("related FISC
    // IDs" of a table of measures): the rest of the row is the answer.
    if (layout.answer_columns.empty() && !have_headers) {
      for (int c = 0; c < id_column; ++c) {
        if (c != layout.title_column) layout.answer_columns.push_back(c);
      }
    }
    // With only the ID and a criterion-text column, that text is the answer.
    if (layout.answer_columns.empty() && layout.title_column >= 0 && header_row == nullptr) {
      layout.answer_columns.push_back(layout.title_column);
      layout.title_column = -1;
    }
    layout_ = layout;
    has_layout_ = true;
  }

  const bool multi = layout.answer_columns.size() > 1;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Block& row = *rows[i];
    if (row.header || AllEmpty(row)) continue;
    if (!layout.header_cells.empty() && row.cells == layout.header_cells) continue;
    std::string_view id_text = CellAt(row, layout.id_column);

    std::vector<std::string> answers;
    for (int c : layout.answer_columns) answers.emplace_back(Trim(CellAt(row, c)));
    std::string_view title_text =
        layout.title_column >= 0 ? Trim(CellAt(row, layout.title_column)) : std::string_view();

    if (Trim(id_text).empty()) {
      if (open_draft_ < 0) continue;
      Draft& d = (*drafts)[open_draft_];
      if (multi) {
        // Continue the last row's columns (the record may span many rows).
        // A continuation in a table with more answer columns than the
        // record's starts at its first column.
        const size_t first =
            d.columns.size() >= answers.size() ? d.columns.size() - answers.size() : 0;
        for (size_t k = 0; k < answers.size() && first + k < d.columns.size(); ++k) {
          AnswerColumn& col = d.columns[first + k];
          AppendContinuation(&col.text, answers[k]);
        }
        d.answer.clear();
        for (size_t k = 0; k < d.columns.size(); ++k) {
          if (k) d.answer += '\n';
          d.answer += d.columns[k].text;
        }
      } else if (!answers.empty()) {
        AppendContinuation(&d.answer, answers[0]);
      }
      if (!title_text.empty() && !d.titles.empty() && d.titles.back()) {
        AppendWrapped(&*d.titles.back(), title_text);
      }
      d.source_end = row.source_end;
      continue;
    }

    std::optional<IdCell> id_cell = ParseRowIdCell(row, static_cast<size_t>(layout.id_column));
    if (!id_cell) {
      if (IsNoIdMarker(id_text)) open_draft_ = -1;
      continue;  // a sub-header or label row
    }
    bool answers_empty = std::all_of(answers.begin(), answers.end(),
                                     [](const std::string& a) { return a.empty(); });

    // One answer cell merged over several rows: these IDs share its record.
    bool merged = false;
    if (open_draft_ >= 0 && !layout.answer_columns.empty() && !row.merged_from_above.empty()) {
      merged = true;
      for (int c : layout.answer_columns) {
        if (static_cast<size_t>(c) >= row.merged_from_above.size() || !row.merged_from_above[c]) {
          merged = false;
        }
      }
    }

    std::optional<std::string> title;
    if (!title_text.empty()) title = std::string(title_text);
    std::string answer;
    std::vector<AnswerColumn> columns;
    if (id_cell->kind == IdCell::Kind::kText && answers_empty) {
      // "設備基準84~137 は…対象外": the note is the answer for the whole range.
      answer = std::string(Trim(StripDecorations(id_text)));
    } else {
      if (id_cell->kind != IdCell::Kind::kPlain && !id_cell->is_range && !title) {
        title = id_cell->remainder;
      }
      if (multi) {
        for (size_t k = 0; k < answers.size(); ++k) {
          if (k) answer += '\n';
          answer += answers[k];
          columns.push_back({layout.headers[layout.answer_columns[k]], answers[k]});
        }
      } else if (!answers.empty()) {
        answer = answers[0];
      }
    }
    if (id_cell->ids.size() > 1 && title && layout.title_column < 0) title.reset();

    if (merged) {
      Draft& d = (*drafts)[open_draft_];
      if (d.id_pages.empty()) d.id_pages.assign(d.ids.size(), d.page);
      for (const std::string& id : id_cell->ids) {
        d.ids.push_back(id);
        d.titles.push_back(title);
        d.id_pages.push_back(row.page);
      }
      d.source_end = row.source_end;
      continue;
    }
    Draft d;
    d.origin = Draft::Origin::kTableRow;
    d.ids = id_cell->ids;
    d.titles.assign(d.ids.size(), title);
    d.answer = std::move(answer);
    d.columns = std::move(columns);
    d.page = row.page;
    d.source_begin = row.source_begin;
    d.source_end = row.source_end;
    d.order = first_block + i;
    drafts->push_back(std::move(d));
    open_draft_ = static_cast<long>(drafts->size()) - 1;
  }
}

}  // namespace fiscdex::extract
