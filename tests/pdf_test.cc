// The PDF reader: the layout engine on word boxes given directly (what each
// rule does), and the whole reader on real PDFs through real Poppler (the
// corpus fixtures and the broken files of tests/data/pdf).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "ingest/ingest.h"
#include "ingest/pdf_grid.h"
#include "ingest/pdf_layout.h"
#include "tests/test_util.h"

namespace fiscdex::ingest {
namespace {

namespace fs = std::filesystem;
using internal::AssemblePdfDocument;
using internal::LayoutPdfPage;
using internal::PdfItem;
using internal::PdfPage;
using internal::PdfWord;
using internal::PdfPageContent;
using internal::PdfRule;

constexpr double kPageWidth = 595;
constexpr double kPageHeight = 842;
constexpr double kBox = 13;     // glyph box height of 10 pt text
constexpr double kPitch = 12;   // line pitch: boxes overlap a little, as Poppler reports them
constexpr double kCjkWidth = 10;

// A word of CJK text at (x, y), one em per character (ASCII: half an em).
PdfWord Word(double x, double y, const std::string& text, bool space_after = false) {
  double width = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += c < 0x80 ? kCjkWidth / 2 : kCjkWidth;
    i += len;
  }
  return {x, y, x + width, y + kBox, text, space_after};
}

// A page of these words and rules, A4.
PdfPageContent Content(std::vector<PdfWord> words, std::vector<PdfRule> rules = {}) {
  PdfPageContent content;
  content.width = kPageWidth;
  content.height = kPageHeight;
  content.words = std::move(words);
  content.rules = std::move(rules);
  return content;
}

// A horizontal rule at y from x0 to x1, 0.5 pt thick.
PdfRule HorizontalRule(double y, double x0, double x1) { return {true, y, x0, x1, 0.5}; }

std::vector<const PdfItem*> Rows(const PdfPage& page) {
  std::vector<const PdfItem*> rows;
  for (const PdfItem& item : page.items) {
    if (item.kind == PdfItem::Kind::kRow) rows.push_back(&item);
  }
  return rows;
}

std::vector<std::string> Lines(const PdfPage& page) {
  std::vector<std::string> lines;
  for (const PdfItem& item : page.items) {
    if (item.kind == PdfItem::Kind::kLine) lines.push_back(item.text);
  }
  return lines;
}

// A two-column ID/answer table with top-aligned cells, as Word and
// LibreOffice print them: one row per entry, the answer wrapped over its
// lines, rows 5.5 pt apart (two paddings and a border).
struct TableSpec {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;  // id, answer lines
};

double AddTable(const TableSpec& spec, double y, std::vector<PdfWord>* words) {
  words->push_back(Word(60, y, "基準番号"));
  words->push_back(Word(300, y, "対応状況"));
  y += kBox + 5.5;
  for (const auto& [id, answer] : spec.rows) {
    words->push_back(Word(60, y, id));
    double line_y = y;
    for (const std::string& line : answer) {
      words->push_back(Word(130, line_y, line));
      line_y += kPitch;
    }
    y = std::max(y + kPitch, line_y) + kBox - kPitch + 5.5;
  }
  return y;
}

TEST(PdfLayoutTest, JoinsWordsOfALineWithoutSpacesBetweenCjkAndDigits) {
  // Layout engines put ~0.2 em between kana and digits; the text has no space.
  std::vector<PdfWord> words = {Word(60, 100, "年", true), Word(72.4, 100, "1", true),
                                Word(80, 100, "回", false), Word(92, 100, "ISO", true),
                                Word(110, 100, "27001")};
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_EQ(Lines(page), std::vector<std::string>{"年1回ISO 27001"});
}

TEST(PdfLayoutTest, AHalfWidthSpaceInProseIsNotAColumnGap) {
  // 0.5 em between two CJK words, a space Poppler saw: prose, not two cells.
  std::vector<PdfWord> words = {Word(57, 100, "白波クラウド株式会社", true),
                                Word(162, 100, "クラウド事業本部")};
  words.push_back(Word(57, 100 + kPitch, "発行日", true));
  words.push_back(Word(92, 100 + kPitch, "2023"));
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_TRUE(page.regions.empty());
  EXPECT_EQ(Lines(page), (std::vector<std::string>{"白波クラウド株式会社 クラウド事業本部",
                                                   "発行日 2023"}));
}

TEST(PdfLayoutTest, RebuildsRowsAndJoinsWrappedCellLines) {
  std::vector<PdfWord> words;
  AddTable({{{"統1", {"情報セキュリティ基本方針を定め、全社に向けて", "公開しています。"}},
             {"統2", {"中長期計画を策定しています。"}},
             {"実3", {"保存データを暗号化しています。"}}}},
           100, &words);
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]->cells, (std::vector<std::string>{"基準番号", "対応状況"}));
  EXPECT_EQ(rows[1]->cells, (std::vector<std::string>{
                                "統1", "情報セキュリティ基本方針を定め、全社に向けて公開しています。"}));
  EXPECT_EQ(rows[2]->cells, (std::vector<std::string>{"統2", "中長期計画を策定しています。"}));
  EXPECT_EQ(rows[3]->cells[0], "実3");
  EXPECT_EQ(page.regions.size(), 1u);
}

TEST(PdfLayoutTest, AShortLineEndsAParagraphInsideACell) {
  std::vector<PdfWord> words;
  // The first answer line stops far short of the column's right edge, which
  // the second row's long line shows: a line break, not a wrap.
  AddTable({{{"実1", {"暗号化しています。", "鍵は年1回更新します。"}},
             {"実2", {"通信経路はTLSで暗号化し、証明書を自動で更新しています。"}}}},
           100, &words);
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]->cells[1], "暗号化しています。\n鍵は年1回更新します。");
}

TEST(PdfLayoutTest, ProseBeforeAndAfterATableStaysProse) {
  std::vector<PdfWord> words = {Word(57, 60, "本書は、当社サービスの対応状況を示します。")};
  const double end = AddTable({{{"統1", {"対応しています。"}}, {"統2", {"対応しています。"}}}},
                              100, &words);
  words.push_back(Word(57, end + 20, "お問い合わせは営業部までご連絡ください。"));
  const PdfPage page = LayoutPdfPage(Content(words));
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items.front().kind, PdfItem::Kind::kLine);
  EXPECT_EQ(page.items.back().kind, PdfItem::Kind::kLine);
  EXPECT_EQ(Rows(page).size(), 3u);
}

TEST(PdfLayoutTest, ACellRunningIntoTheNextRowsIsMergedOverThem) {
  // One answer printed once, longer than the two rows it spans.
  std::vector<PdfWord> words = {Word(60, 100, "基準番号"), Word(300, 100, "対応状況")};
  const double top = 100 + kBox + 5.5;
  words.push_back(Word(60, top, "統20"));
  words.push_back(Word(60, top + kBox + 5.5, "統21"));
  for (int i = 0; i < 3; ++i) {
    words.push_back(Word(130, top + i * kPitch, i < 2 ? "外部委託先は評価基準に基づいて選定し、"
                                                      : "契約に監査権を含めます。"));
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]->cells[0], "統20");
  EXPECT_EQ(rows[2]->cells[0], "統21");
  EXPECT_EQ(rows[2]->cells[1], rows[1]->cells[1]);
  ASSERT_EQ(rows[2]->merged_from_above.size(), 2u);
  EXPECT_TRUE(rows[2]->merged_from_above[1]);
  EXPECT_FALSE(rows[2]->merged_from_above[0]);
}

// Word boxes cannot tell a one-line answer merged over three rows from an
// answer followed by two empty ones; the drawing can: borders between the
// rows in the ID column always, in the answer column only where
// `answer_borders` says.
TEST(PdfLayoutTest, TheBordersDecideWhetherAnEmptyCellIsMerged) {
  std::vector<PdfWord> words;
  AddTable({{{"設1", {"事業者の施設を使用しています。"}}, {"設2", {}}, {"設3", {}}}}, 100,
           &words);
  // Between the header and 設1, 設1 and 設2, 設2 and 設3 (AddTable's rows).
  const std::vector<double> between_rows = {115.75, 134.25, 152.75};
  for (const bool answer_borders : {false, true}) {
    SCOPED_TRACE(answer_borders ? "ruled" : "merged");
    std::vector<PdfRule> rules;
    for (double y : between_rows) {
      rules.push_back(HorizontalRule(y, 55, 125));
      if (answer_borders) rules.push_back(HorizontalRule(y, 125, 500));
    }
    const PdfPage page = LayoutPdfPage(Content(words, rules));
    const std::vector<const PdfItem*> rows = Rows(page);
    ASSERT_EQ(rows.size(), 4u);
    for (size_t r = 2; r < 4; ++r) {
      EXPECT_EQ(rows[r]->cells[1], answer_borders ? "" : "事業者の施設を使用しています。");
      EXPECT_EQ(!rows[r]->merged_from_above.empty() && rows[r]->merged_from_above[1],
                !answer_borders);
    }
  }
  // Without any drawing an empty cell stays empty.
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_EQ(Rows(page)[2]->cells[1], "");
}

TEST(PdfLayoutTest, ACentredHeaderCellDoesNotSplitTheColumnBelowIt) {
  // The header "対応状況" is centred over a column whose cells start further
  // left; the two make one column.
  std::vector<PdfWord> words = {Word(74, 100, "基準番号"), Word(315, 100, "対応状況")};
  words.push_back(Word(133, 118, "前の頁から続く回答です。"));
  words.push_back(Word(60, 137, "実10"));
  words.push_back(Word(133, 137, "操作ログを取得し、改ざんを防ぐため追記専用の保管庫に保存します。"));
  words.push_back(Word(60, 156, "実13"));
  words.push_back(Word(133, 156, "連続5回の失敗でロックします。"));
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]->cells, (std::vector<std::string>{"基準番号", "対応状況"}));
  EXPECT_EQ(rows[1]->cells, (std::vector<std::string>{"", "前の頁から続く回答です。"}));
  EXPECT_EQ(rows[2]->cells[0], "実10");
}

TEST(PdfLayoutTest, VerticallyCentredCellsStillFormRows) {
  // Excel-style: each ID sits level with the middle line of its answer.
  std::vector<PdfWord> words = {Word(60, 100, "基準番号"), Word(300, 100, "対応状況")};
  double top = 100 + kBox + 5.5;
  for (const std::string id : {"実1", "実2"}) {
    for (int i = 0; i < 3; ++i) {
      words.push_back(Word(130, top + i * kPitch, id + "の回答、三行のうち" + std::to_string(i + 1) +
                                                      "行目です。"));
    }
    words.push_back(Word(60, top + kPitch, id));
    top += 2 * kPitch + kBox + 5.5;
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]->cells[0], "実1");
  EXPECT_EQ(rows[1]->cells[1].find("実1の回答"), 0u);
  EXPECT_EQ(rows[1]->cells[1].find("実2"), std::string::npos);
  EXPECT_EQ(rows[2]->cells[0], "実2");
}

// ---- Ruled tables: the cell grid from the page's rules ----

PdfRule VerticalRule(double x, double y0, double y1) { return {false, x, y0, y1, 0.5}; }

// A ruled table: column edges `xs`, row edges `ys`, every border drawn
// except those `skip` names (a merged cell). Rules are drawn cell by cell,
// with the hairline gaps programs leave at the joints.
struct Skip {
  bool horizontal;
  int line;  // index into ys (horizontal) or xs (vertical)
  int slot;  // the column (horizontal) or row (vertical) the piece borders
};
std::vector<PdfRule> GridRules(const std::vector<double>& xs, const std::vector<double>& ys,
                               const std::vector<Skip>& skip = {}) {
  auto skipped = [&](bool horizontal, int line, int slot) {
    for (const Skip& s : skip) {
      if (s.horizontal == horizontal && s.line == line && s.slot == slot) return true;
    }
    return false;
  };
  std::vector<PdfRule> rules;
  for (size_t i = 0; i < ys.size(); ++i) {
    for (size_t c = 0; c + 1 < xs.size(); ++c) {
      if (!skipped(true, static_cast<int>(i), static_cast<int>(c))) {
        rules.push_back(HorizontalRule(ys[i], xs[c] + 0.3, xs[c + 1] - 0.3));
      }
    }
  }
  for (size_t j = 0; j < xs.size(); ++j) {
    for (size_t r = 0; r + 1 < ys.size(); ++r) {
      if (!skipped(false, static_cast<int>(j), static_cast<int>(r))) {
        rules.push_back(VerticalRule(xs[j], ys[r] + 0.3, ys[r + 1] - 0.3));
      }
    }
  }
  return rules;
}

TEST(PdfGridTest, RulesThatMeetFormOneGridWithItsCells) {
  const std::vector<PdfRule> rules = GridRules({50, 120, 500}, {100, 120, 160, 200});
  const std::vector<internal::PdfGrid> grids = internal::FindGrids(rules);
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].columns(), 2);
  EXPECT_EQ(grids[0].rows(), 3);
  EXPECT_EQ(grids[0].cells.size(), 6u);
  EXPECT_NEAR(grids[0].xs[1], 120, 0.01);
  EXPECT_NEAR(grids[0].ys[2], 160, 0.01);
  EXPECT_EQ(grids[0].CellAt(60, 110), 0);
  EXPECT_EQ(grids[0].CellAt(40, 110), -1);
}

TEST(PdfGridTest, AMissingRuleBetweenSlotsMakesOneMergedCell) {
  // The answer cell of rows 1 and 2 is one cell; so are columns 0-1 of row 0.
  const std::vector<PdfRule> rules = GridRules({50, 120, 300, 500}, {100, 120, 160, 200},
                                               {{true, 2, 2}, {false, 1, 0}});
  const std::vector<internal::PdfGrid> grids = internal::FindGrids(rules);
  ASSERT_EQ(grids.size(), 1u);
  const internal::PdfGrid& grid = grids[0];
  const internal::GridCell& answer = grid.cells[grid.CellAt(400, 130)];
  EXPECT_EQ(answer.row0, 1);
  EXPECT_EQ(answer.row1, 3);
  EXPECT_EQ(grid.CellAt(400, 130), grid.CellAt(400, 190));
  const internal::GridCell& wide = grid.cells[grid.CellAt(60, 110)];
  EXPECT_EQ(wide.col0, 0);
  EXPECT_EQ(wide.col1, 2);
  EXPECT_EQ(grid.cells.size(), 7u);  // 9 slots, two pairs merged
}

TEST(PdfGridTest, ATableOpenAtTheSidesStillHasItsOuterColumns) {
  // Only the rules between the columns, and horizontal rules across: the
  // outer edges are where the horizontal rules end.
  std::vector<PdfRule> rules;
  for (double y : {100.0, 120.0, 160.0}) rules.push_back(HorizontalRule(y, 50, 500));
  rules.push_back(VerticalRule(120, 100, 160));
  const std::vector<internal::PdfGrid> grids = internal::FindGrids(rules);
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].columns(), 2);
  EXPECT_NEAR(grids[0].x0(), 50, 0.01);
  EXPECT_NEAR(grids[0].x1(), 500, 0.01);
}

TEST(PdfGridTest, AnUnderlineOrAFrameAloneIsNoGrid) {
  // A box around a note (one column), an underline: no table.
  std::vector<PdfRule> rules = GridRules({50, 500}, {100, 160});
  rules.push_back(HorizontalRule(300, 80, 140));
  EXPECT_TRUE(internal::FindGrids(rules).empty());
}

TEST(PdfGridTest, APageTooDenseToCheckGivesNoGridInsteadOfTakingLong) {
  // A chart's grid lines: more crossings than the bound allows.
  std::vector<PdfRule> rules;
  for (int i = 0; i < 120; ++i) {
    rules.push_back(HorizontalRule(100 + 5 * i, 50, 650));
    rules.push_back(VerticalRule(50 + 5 * i, 100, 700));
  }
  EXPECT_TRUE(internal::FindGrids(rules, /*max_pairs=*/10000).empty());
  EXPECT_FALSE(internal::FindGrids(rules).empty());
}

// The table of RulesThatMeetFormOneGridWithItsCells with its words, laid
// out as a page.
PdfPageContent RuledTable(std::vector<PdfWord> extra_words = {},
                          std::vector<internal::PdfFill> fills = {}) {
  std::vector<PdfWord> words = {Word(55, 104, "基準番号"), Word(125, 104, "対応状況"),
                                Word(55, 124, "統1"),      Word(125, 124, "方針を定めています。"),
                                Word(55, 164, "統2"),      Word(125, 164, "体制を整え、"),
                                Word(125, 176, "見直しています。")};
  for (PdfWord& w : extra_words) words.push_back(std::move(w));
  PdfPageContent content = Content(std::move(words), GridRules({50, 120, 500}, {100, 120, 160, 200}));
  content.fills = std::move(fills);
  return content;
}

TEST(PdfGridTest, ARuledTableGivesOneRowPerRowOfCells) {
  std::vector<PdfWord> prose = {Word(50, 60, "次の表は対応状況です。"),
                                Word(50, 240, "以上です。")};
  const PdfPage page = LayoutPdfPage(RuledTable(prose));
  ASSERT_EQ(page.regions.size(), 1u);
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]->cells, (std::vector<std::string>{"基準番号", "対応状況"}));
  EXPECT_EQ(rows[1]->cells, (std::vector<std::string>{"統1", "方針を定めています。"}));
  // Wrapped lines of one cell are one text; the first line filled its cell.
  EXPECT_EQ(rows[2]->cells, (std::vector<std::string>{"統2", "体制を整え、\n見直しています。"}));
  // Reading order: prose, the table, prose.
  ASSERT_GE(page.items.size(), 5u);
  EXPECT_EQ(page.items.front().text, "次の表は対応状況です。");
  EXPECT_EQ(page.items.back().text, "以上です。");
  EXPECT_FALSE(rows[0]->header);  // nothing sets it apart
}

TEST(PdfGridTest, AShadedOrBoldFirstRowIsAHeaderRow) {
  {
    SCOPED_TRACE("shaded");
    const PdfPage page = LayoutPdfPage(RuledTable({}, {{50, 100, 500, 120, 0.85}}));
    const std::vector<const PdfItem*> rows = Rows(page);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[0]->header);
    EXPECT_FALSE(rows[1]->header);
  }
  {
    SCOPED_TRACE("zebra stripes: every other row shaded alike, no header");
    const PdfPage page =
        LayoutPdfPage(RuledTable({}, {{50, 100, 500, 120, 0.9}, {50, 160, 500, 200, 0.9}}));
    EXPECT_FALSE(Rows(page)[0]->header);
  }
  {
    SCOPED_TRACE("bold");
    PdfPageContent content = RuledTable();
    content.words[0].bold = content.words[1].bold = true;
    const std::vector<const PdfItem*> rows = Rows(LayoutPdfPage(std::move(content)));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[0]->header);
    EXPECT_FALSE(rows[1]->header);
  }
}

TEST(PdfGridTest, AMergedCellGivesItsTextToEveryRowItSpans) {
  // 統2 and 統3 share one answer cell: the rule between them stops at the
  // answer column.
  std::vector<PdfWord> words = {Word(55, 104, "統1"), Word(125, 104, "方針を定めています。"),
                                Word(55, 124, "統2"), Word(55, 164, "統3"),
                                Word(125, 140, "体制を整えています。")};
  const PdfPage page =
      LayoutPdfPage(Content(words, GridRules({50, 120, 500}, {100, 120, 160, 200},
                                             {{true, 2, 1}})));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]->cells[1], "体制を整えています。");
  EXPECT_EQ(rows[2]->cells[1], "体制を整えています。");
  EXPECT_TRUE(rows[1]->merged_from_above.empty() || !rows[1]->merged_from_above[1]);
  ASSERT_EQ(rows[2]->merged_from_above.size(), 2u);
  EXPECT_TRUE(rows[2]->merged_from_above[1]);
  EXPECT_FALSE(rows[2]->merged_from_above[0]);
}

// Three pages of one table with a running header, a page-number footer and
// the column header repeated at the top of every page, laid out as the
// reader does (running headers are known from the pages around).
std::vector<PdfPage> ThreePages(bool merged_across_break) {
  internal::PdfPageStream stream;
  for (int p = 1; p <= 3; ++p) {
    std::vector<PdfWord> words = {Word(220, 33, "白波クラウド株式会社", true),
                                  Word(330, 33, "対応状況報告書")};
    TableSpec spec;
    if (p == 2 && merged_across_break) {
      spec.rows.push_back({"統13", {}});  // its answer cell was cut off on page 1
    }
    for (int i = 0; i < 3; ++i) {
      spec.rows.push_back({"実" + std::to_string(p * 10 + i), {"回答" + std::to_string(p * 10 + i) + "です。"}});
    }
    AddTable(spec, 120, &words);  // below the top margin: its header row is a row
    words.push_back(Word(280, 800, "- " + std::to_string(p) + " -"));
    stream.Add(Content(words));
  }
  std::vector<PdfPage> pages;
  stream.LayOut(/*flush=*/true, &pages);
  if (merged_across_break) {
    // Page 1's last answer cell is merged (its continuation flagged).
    PdfItem& last = pages[0].items[pages[0].items.size() - 2];
    last.merged_from_above = {false, true};
  }
  return pages;
}

TEST(PdfAssembleTest, RunningHeadersFootersAndRepeatedHeaderRowsAreMarked) {
  Document doc;
  AssemblePdfDocument(ThreePages(false), &doc);
  EXPECT_EQ(doc.page_count, 3);
  int furniture = 0, headers = 0;
  std::set<int> tables;
  for (const Block& b : doc.blocks) {
    if (b.furniture) {
      ++furniture;
      EXPECT_EQ(b.kind, BlockKind::kLine);
    }
    if (b.kind == BlockKind::kTableRow) {
      tables.insert(b.table);
      if (b.header) {
        ++headers;
        EXPECT_EQ(b.cells, (std::vector<std::string>{"基準番号", "対応状況"}));
      }
    }
  }
  EXPECT_EQ(furniture, 6);  // a header and a footer on each page
  EXPECT_EQ(headers, 3);
  EXPECT_EQ(tables, std::set<int>{0});  // one table continued over three pages
  // Every block points at its own text.
  for (const Block& b : doc.blocks) {
    ASSERT_LE(b.source_end, doc.text.size());
    if (b.kind == BlockKind::kLine) {
      EXPECT_EQ(doc.text.substr(b.source_begin, b.source_end - b.source_begin), b.text);
    }
  }
}

TEST(PdfAssembleTest, AMergedCellCutByAPageBreakContinuesOnTheNextPage) {
  Document doc;
  AssemblePdfDocument(ThreePages(true), &doc);
  const Block* statement13 = nullptr;
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kTableRow && !b.cells.empty() && b.cells[0] == "統13") statement13 = &b;
  }
  ASSERT_NE(statement13, nullptr);
  EXPECT_EQ(statement13->page, 2);
  EXPECT_EQ(statement13->cells[1], "回答12です。");
  ASSERT_EQ(statement13->merged_from_above.size(), 2u);
  EXPECT_TRUE(statement13->merged_from_above[1]);
}

TEST(PdfAssembleTest, AnEmptyCellAtAPageTopStaysEmptyWhereTheTableMergesNothing) {
  std::vector<PdfPage> pages = ThreePages(true);
  pages[0].items[pages[0].items.size() - 2].merged_from_above.clear();
  Document doc;
  AssemblePdfDocument(pages, &doc);
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kTableRow && b.cells[0] == "統13") {
      EXPECT_EQ(b.cells[1], "");
    }
  }
}

// ---- Producers' habits: loose spacing, bold headings, columns, cut cells ----

// A paragraph of `lines` lines of full width (the last one short) at `y`,
// `pitch` apart; returns the y after it.
double AddParagraph(double x, double y, double pitch, int lines, const std::string& stem,
                    std::vector<PdfWord>* words, double line_chars = 40) {
  for (int i = 0; i < lines; ++i) {
    const bool last = i + 1 == lines;
    std::string text = stem + std::to_string(i);
    while (text.size() < (last ? 12u : static_cast<size_t>(line_chars) * 3)) text += "文";
    words->push_back(Word(x, y, text));
    y += pitch;
  }
  return y;
}

TEST(PdfLayoutTest, LooselySpacedProseBreaksOnlyBetweenParagraphs) {
  // 1.5 line spacing, as word processors set it: lines 0.84 em apart, and
  // paragraphs a little more. Every gap is wider than the tight gap of a
  // single-spaced page; only the wider ones end a paragraph.
  constexpr double kLoosePitch = kBox + 0.84 * 0.8 * kBox;
  std::vector<PdfWord> words;
  double y = 100;
  for (int p = 0; p < 3; ++p) {
    y = AddParagraph(57, y, kLoosePitch, 4, "段落" + std::to_string(p), &words, 30);
    y += 0.6 * 0.8 * kBox;
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  int breaks = 0;
  for (const PdfItem& item : page.items) breaks += item.kind == PdfItem::Kind::kBreak;
  EXPECT_EQ(breaks, 2);
  EXPECT_EQ(Lines(page).size(), 12u);
}

TEST(PdfLayoutTest, TwoColumnsOfProseAreReadColumnByColumn) {
  // Two columns of wrapped text, set independently: the right column's
  // lines drift from the left's after its heading's spacing.
  std::vector<PdfWord> words;
  double left = 100, right = 104;
  for (int p = 0; p < 3; ++p) {
    left = AddParagraph(57, left, kPitch, 4, "左" + std::to_string(p), &words, 22);
    right = AddParagraph(310, right, kPitch, 4, "右" + std::to_string(p), &words, 22);
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_TRUE(Rows(page).empty());
  const std::vector<std::string> lines = Lines(page);
  ASSERT_EQ(lines.size(), 24u);
  for (size_t i = 0; i < 12; ++i) EXPECT_EQ(lines[i].rfind("左", 0), 0u) << lines[i];
  for (size_t i = 12; i < 24; ++i) EXPECT_EQ(lines[i].rfind("右", 0), 0u) << lines[i];
}

TEST(PdfLayoutTest, ATableOfTwoWrappedColumnsIsStillATable) {
  // Two text columns alike in width, but each row's cells start together
  // and the shorter cell leaves its column blank until the next row.
  std::vector<PdfWord> words;
  double y = 100;
  for (int r = 0; r < 4; ++r) {
    const int left_lines = r % 2 == 0 ? 1 : 3, right_lines = r % 2 == 0 ? 3 : 1;
    const double left_end = AddParagraph(57, y, kPitch, left_lines, "問" + std::to_string(r), &words, 22);
    const double right_end = AddParagraph(310, y, kPitch, right_lines, "答" + std::to_string(r), &words, 22);
    y = std::max(left_end, right_end) + 8;
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_EQ(Rows(page).size(), 4u);
}

TEST(PdfAssembleTest, AShortBoldLineStandingAloneIsAHeading) {
  // Body-size headings set apart by weight only, as Word's heading styles
  // often are; a bold lead-in with its text right below, and a bold
  // sentence, are not headings.
  std::vector<PdfWord> words;
  double y = 100;
  auto bold = [&](const std::string& text) {
    PdfWord word = Word(57, y, text);
    word.bold = true;
    words.push_back(word);
    y += kPitch;
  };
  bold("3.アクセスの管理");
  y += 10;
  y = AddParagraph(57, y, kPitch, 3, "本文", &words) + 10;
  bold("【実8】本人確認の機能を設けること");
  y = AddParagraph(57, y, kPitch, 2, "回答", &words) + 10;
  bold("重要な変更は必ず事前に通知します。");
  y += 10;
  AddParagraph(57, y, kPitch, 2, "結び", &words);
  internal::PdfPageStream stream;
  stream.Add(Content(words));
  std::vector<PdfPage> pages;
  stream.LayOut(/*flush=*/true, &pages);
  Document doc;
  AssemblePdfDocument(pages, &doc);
  std::vector<std::string> headings;
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kHeading) headings.push_back(b.text);
  }
  EXPECT_EQ(headings, std::vector<std::string>{"3.アクセスの管理"});
}

TEST(PdfLayoutTest, ALatinWordStartingALineIsMeasuredToItsFirstCjkCharacter) {
  // "WAF" would have fitted after the short line above: a new paragraph (a
  // list item), although the word box Poppler gives runs on in Japanese.
  std::vector<PdfWord> words;
  AddTable({{{"実14",
              {"次の防御で保護しています。", "DDoS対策サービス",
               "WAFによるアプリケーション層の攻撃の遮断"}},
             {"実15", {"通信経路はTLSで暗号化し、証明書を自動で更新しています。"}}}},
           100, &words);
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]->cells[1],
            "次の防御で保護しています。\nDDoS対策サービス\nWAFによるアプリケーション層の攻撃の遮断");
}

// A ruled table whose last answer cell, merged over two rows, a browser
// cut at the page's end: its borders stop with the row while its text runs
// on below them; the rest of the cell tops the next page beside the second
// row's ID.
std::vector<PdfPage> CutCellPages() {
  internal::PdfPageStream stream;
  {
    std::vector<PdfWord> words = {Word(55, 654, "統1"), Word(125, 654, "方針を定めています。"),
                                  Word(55, 674, "統2"), Word(125, 674, "外部からの通信は、"),
                                  Word(125, 674 + kPitch, "次の防御で保護しています。"),
                                  Word(125, 674 + 2 * kPitch, "WAFによる攻撃の遮断"),
                                  Word(125, 674 + 3 * kPitch, "侵入検知の仕組み")};
    // The rows' rules: the last row's bottom rule only under the ID cell.
    std::vector<PdfRule> rules = GridRules({50, 120, 500}, {650, 670, 700}, {{true, 2, 1}});
    stream.Add(Content(words, rules));
  }
  {
    std::vector<PdfWord> words = {Word(55, 104, "統3"), Word(125, 102, "これらを24時間監視しています。"),
                                  Word(55, 124, "統4"), Word(125, 124, "体制を整えています。")};
    stream.Add(Content(words, GridRules({50, 120, 500}, {100, 120, 140})));
  }
  std::vector<PdfPage> pages;
  stream.LayOut(/*flush=*/true, &pages);
  return pages;
}

TEST(PdfGridTest, TextRunningOnBelowACutCellIsTheCells) {
  const std::vector<PdfPage> pages = CutCellPages();
  const std::vector<const PdfItem*> rows = Rows(pages[0]);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(Lines(pages[0]).empty());
  EXPECT_EQ(rows[1]->cells[1],
            "外部からの通信は、\n次の防御で保護しています。\nWAFによる攻撃の遮断\n侵入検知の仕組み");
  ASSERT_EQ(rows[1]->cut_below.size(), 2u);
  EXPECT_TRUE(rows[1]->cut_below[1]);
  EXPECT_FALSE(rows[1]->cut_below[0]);
}

TEST(PdfAssembleTest, ACutCellGoesOnBesideTheNextPagesFirstRow) {
  Document doc;
  AssemblePdfDocument(CutCellPages(), &doc);
  std::map<std::string, const Block*> by_id;
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kTableRow && !b.cells.empty()) by_id[b.cells[0]] = &b;
  }
  ASSERT_TRUE(by_id.count("統2") && by_id.count("統3") && by_id.count("統4"));
  const std::string whole =
      "外部からの通信は、\n次の防御で保護しています。\nWAFによる攻撃の遮断\n侵入検知の仕組み\n"
      "これらを24時間監視しています。";
  EXPECT_EQ(by_id["統2"]->cells[1], whole);
  EXPECT_EQ(by_id["統3"]->cells[1], whole);
  ASSERT_EQ(by_id["統3"]->merged_from_above.size(), 2u);
  EXPECT_TRUE(by_id["統3"]->merged_from_above[1]);
  EXPECT_EQ(by_id["統4"]->cells[1], "体制を整えています。");
  EXPECT_EQ(by_id["統1"]->cells[1], "方針を定めています。");
}

TEST(PdfAssembleTest, TextBelowATableThatStopsShortOfThePageEndIsNotACutCell) {
  // The same table with its last cell open at the bottom, but the text
  // under it is a note that ends far above the page's end.
  std::vector<PdfWord> words = {Word(55, 104, "統1"), Word(125, 104, "方針を定めています。"),
                                Word(125, 124 + 1, "注記です。")};
  std::vector<PdfRule> rules = GridRules({50, 120, 500}, {100, 120}, {{true, 1, 1}});
  const PdfPage page = LayoutPdfPage(Content(words, rules));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->cells[1], "方針を定めています。");
  EXPECT_TRUE(rows[0]->cut_below.empty());
  EXPECT_EQ(Lines(page), std::vector<std::string>{"注記です。"});
}

TEST(PdfLayoutTest, ColumnsSetCloseTogetherAreSplitWhereTheirTextLinesUp) {
  // A table without rules whose title and answer columns are 0.3 em apart
  // (LibreOffice printing an HTML table it imported): the answer column's
  // lines all start at one x, some of them lines of their own, and no word
  // crosses it. The number of each ID lines up too, but starts no line.
  std::vector<PdfWord> words;
  double y = 100;
  for (int r = 0; r < 5; ++r) {
    words.push_back(Word(60, y, "統"));
    words.push_back(Word(72, y, std::to_string(10 + r)));
    words.push_back(Word(98, y, "安全対策の重要事項を規程"));
    words.push_back(Word(98, y + kPitch, "とすること。"));
    words.push_back(Word(221 + 0.3 * 0.8 * kBox - 3, y, "規程を定め、代表取締役の承認を得ています。"));
    words.push_back(Word(221, y + kPitch, "規程は年1回見直しています。"));
    words.push_back(Word(221, y + 2 * kPitch, "改定履歴を記録しています。"));
    y += 3 * kPitch + 6;
  }
  // The left edges, made exact: Word() places the first answer word so.
  for (PdfWord& w : words) {
    if (w.x0 > 200) {
      const double width = w.x1 - w.x0;
      w.x0 = 221;
      w.x1 = 221 + width;
    }
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 5u);
  for (int r = 0; r < 5; ++r) {
    ASSERT_EQ(rows[r]->cells.size(), 3u);
    EXPECT_EQ(rows[r]->cells[0], "統" + std::to_string(10 + r));
    EXPECT_EQ(rows[r]->cells[1], "安全対策の重要事項を規程とすること。");
    EXPECT_EQ(rows[r]->cells[2].rfind("規程を定め", 0), 0u) << rows[r]->cells[2];

  }
}

TEST(PdfLayoutTest, AnIdCentredBetweenTheLinesOfItsTitleKeepsItsOwnColumn) {
  // Cells centred vertically in loosely set rows: the ID sits between the
  // two lines of the title beside it and shares a line with neither.
  constexpr double kLoose = kBox + 1.5;
  std::vector<PdfWord> words;
  double y = 100;
  for (int r = 0; r < 4; ++r) {
    words.push_back(Word(60, y + kLoose / 2, "実" + std::to_string(40 + r)));
    words.push_back(Word(120, y, "障害時の対応手順を整備す"));
    words.push_back(Word(120, y + kLoose, "ること。"));
    words.push_back(Word(260, y, "障害対応マニュアルにまとめています。"));
    y += 2 * kLoose + 10;
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 4u);
  for (int r = 0; r < 4; ++r) {
    ASSERT_EQ(rows[r]->cells.size(), 3u);
    EXPECT_EQ(rows[r]->cells[0], "実" + std::to_string(40 + r));
    std::string title = rows[r]->cells[1];  // how it wraps is another test's
    std::erase(title, '\n');
    EXPECT_EQ(title, "障害時の対応手順を整備すること。");
  }
}

TEST(PdfLayoutTest, AShortLineOrABoldLineAfterPlainTextStartsAParagraph) {
  // No space between paragraphs: a line that stops where the next line's
  // first character would have fitted ends one, and a bold line after plain
  // text starts one. A bold line with its text right below is no heading.
  std::vector<PdfWord> words;
  double y = 100;
  y = AddParagraph(57, y, kPitch, 3, "一", &words, 30);
  PdfWord lead = Word(57, y, "【実3】蓄積データの保護");
  lead.bold = true;
  words.push_back(lead);
  y += kPitch;
  AddParagraph(57, y, kPitch, 2, "二", &words, 30);
  internal::PdfPageStream stream;
  stream.Add(Content(words));
  std::vector<PdfPage> pages;
  stream.LayOut(/*flush=*/true, &pages);
  ASSERT_EQ(pages.size(), 1u);
  std::vector<std::string> kinds;
  for (const PdfItem& item : pages[0].items) {
    kinds.push_back(item.kind == PdfItem::Kind::kBreak ? "-" : item.text.substr(0, 3));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"一", "一", "一", "-", "【", "-", "二", "二"}));
  Document doc;
  AssemblePdfDocument(pages, &doc);
  for (const Block& b : doc.blocks) EXPECT_NE(b.kind, BlockKind::kHeading) << b.text;
}

TEST(PdfLayoutTest, AnAnswerCentredOnItsIdKeepsItsParagraphsAboveTheId) {
  // Cells centred vertically, an answer of two paragraphs spaced apart: its
  // first paragraph starts above the ID, with a blank band between. Each
  // row keeps its own paragraphs; none goes to the row above.
  std::vector<PdfWord> words = {Word(60, 100 - kBox - 8, "基準番号"),
                                Word(130, 100 - kBox - 8, "対応状況")};
  double y = 100;
  for (int r = 0; r < 4; ++r) {
    const std::string n = std::to_string(r);
    words.push_back(Word(130, y, "段落一の" + n + "は委員会の方針と規程について述べています。"));
    words.push_back(Word(130, y + 20, "段落二の" + n + "の一行目です。"));
    words.push_back(Word(130, y + 20 + kPitch, "二行目です。"));
    const double height = 20 + kPitch + kBox;
    words.push_back(Word(60, y + height / 2 - kBox / 2, "実" + std::to_string(10 + r)));
    y += height + 10;
  }
  const PdfPage page = LayoutPdfPage(Content(words));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]->cells, (std::vector<std::string>{"基準番号", "対応状況"}));
  for (int r = 0; r < 4; ++r) {
    const std::string n = std::to_string(r);
    EXPECT_EQ(rows[r + 1]->cells[0], "実" + std::to_string(10 + r));
    std::string answer = rows[r + 1]->cells[1];
    std::erase(answer, '\n');
    EXPECT_EQ(answer, "段落一の" + n + "は委員会の方針と規程について述べています。段落二の" + n +
                          "の一行目です。二行目です。");
  }
}

TEST(PdfGridTest, AFooterUnderAnOpenCellIsNotTheCellsText) {
  // The last answer cell has no rule under it and a page number sits just
  // below it, inside its column: not where the cell's lines start, so not
  // its text.
  std::vector<PdfWord> words = {Word(55, 754, "統1"), Word(125, 754, "方針を定めています。"),
                                Word(280, 772, "- 2 -")};
  std::vector<PdfRule> rules = GridRules({50, 120, 500}, {750, 770}, {{true, 1, 1}});
  const PdfPage page = LayoutPdfPage(Content(words, rules));
  const std::vector<const PdfItem*> rows = Rows(page);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->cells[1], "方針を定めています。");
  EXPECT_TRUE(rows[0]->cut_below.empty());
}

TEST(PdfAssembleTest, AMergedCellPrintedAgainAboveTheNextPagesTableIsNotProse) {
  // A spreadsheet prints a merged cell cut by the page break on both pages:
  // the tail of its text shows again at the next page's top, above the
  // table, whose first row's answer is blank under the merged cell.
  internal::PdfPageStream stream;
  {
    std::vector<PdfWord> words = {Word(55, 104, "統1"), Word(125, 104, "バックアップを取得し、"),
                                  Word(125, 104 + kPitch, "35日間保管します。"),
                                  Word(55, 134, "統2")};
    stream.Add(Content(words, GridRules({50, 120, 500}, {100, 130, 150}, {{true, 1, 1}})));
  }
  {
    std::vector<PdfWord> words = {Word(125, 60, "35日間保管します。"), Word(55, 104, "統3"),
                                  Word(55, 124, "統4"), Word(125, 124, "記録しています。")};
    stream.Add(Content(words, GridRules({50, 120, 500}, {100, 120, 140})));
  }
  std::vector<PdfPage> pages;
  stream.LayOut(/*flush=*/true, &pages);
  Document doc;
  AssemblePdfDocument(pages, &doc);
  std::map<std::string, const Block*> by_id;
  for (const Block& b : doc.blocks) {
    EXPECT_NE(b.kind, BlockKind::kLine) << b.text;
    if (b.kind == BlockKind::kTableRow && !b.cells.empty()) by_id[b.cells[0]] = &b;
  }
  ASSERT_TRUE(by_id.count("統3"));
  EXPECT_EQ(by_id["統3"]->cells[1], "バックアップを取得し、\n35日間保管します。");
  EXPECT_EQ(by_id["統3"]->table, by_id["統1"]->table);
}

TEST(PdfLayoutTest, ABulletStartsAListItemButAPageNumbersDashesStay) {
  std::vector<PdfWord> words = {Word(57, 100, "・"), Word(70, 100, "暗号化しています。"),
                                Word(280, 800, "-", true), Word(290, 800, "3", true),
                                Word(300, 800, "-")};
  const PdfPage page = LayoutPdfPage(Content(words));
  EXPECT_EQ(Lines(page), (std::vector<std::string>{"暗号化しています。", "- 3 -"}));
}

// ---- The reader, on real PDFs through Poppler ----

fs::path SourceDir() { return FISCDEX_SOURCE_DIR; }
fs::path BadPdfs() { return SourceDir() / "tests" / "data" / "pdf"; }

TEST(PdfReaderTest, ReadsPagesTablesAndPropertiesOfALibreOfficePdf) {
  Result<Document> doc =
      LoadFile((SourceDir() / "corpus" / "pdf" / "15_pdf2col_shiranami.pdf").string());
  ASSERT_OK(doc);
  EXPECT_EQ(doc->format, Format::kPdf);
  EXPECT_EQ(doc->encoding, "");
  EXPECT_EQ(doc->page_count, 3);
  EXPECT_TRUE(doc->warnings.empty());
  std::map<std::string, std::string> properties(doc->properties.begin(), doc->properties.end());
  EXPECT_EQ(properties["author"], "白波クラウド株式会社");
  std::set<int> pages_with_header_rows, pages_with_furniture;
  bool continuation_row = false;
  for (const Block& b : doc->blocks) {
    if (b.header) pages_with_header_rows.insert(b.page);
    if (b.furniture) pages_with_furniture.insert(b.page);
    // 実9's answer runs over to page 2: a row with an empty ID cell there.
    if (b.kind == BlockKind::kTableRow && b.page == 2 && !b.header && b.cells.size() == 2 &&
        b.cells[0].empty() && b.cells[1].find("停止します") != std::string::npos) {
      continuation_row = true;
    }
  }
  // The header row repeated at the top of every page is a row of the ruled
  // table there, shaded: a header row on each page, never a data row.
  EXPECT_EQ(pages_with_header_rows, (std::set<int>{1, 2, 3}));
  EXPECT_EQ(pages_with_furniture, (std::set<int>{1, 2, 3}));
  EXPECT_TRUE(continuation_row);
}

TEST(PdfReaderTest, BrokenAndProtectedPdfsFailWithTheirReason) {
  struct Case {
    std::string file;
    std::string password;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"encrypted_user.pdf", "", StatusCode::kEncrypted,
       "needs a password (give it with --password)"},
      {"encrypted_user.pdf", "wrong", StatusCode::kEncrypted,
       "the password given does not open it"},
      {"truncated.pdf", "", StatusCode::kCorrupt,
       "truncated or damaged PDF: the end-of-file marker is missing"},
      {"corrupt.pdf", "", StatusCode::kCorrupt,
       "truncated or damaged PDF: the end-of-file marker is missing"},
      {"not_a_pdf.pdf", "", StatusCode::kUnsupported, "binary file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file + " password '" + c.password + "'");
    LoadOptions options;
    options.password = c.password;
    Result<Document> doc = LoadFile((BadPdfs() / c.file).string(), options);
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().code(), c.code);
    EXPECT_EQ(doc.status().message(), c.message);
  }
}

TEST(PdfReaderTest, PasswordsOpenWhatTheyShould) {
  LoadOptions with_password;
  with_password.password = "fisc-user";
  Result<Document> user = LoadFile((BadPdfs() / "encrypted_user.pdf").string(), with_password);
  ASSERT_OK(user);
  Result<Document> owner_only = LoadFile((BadPdfs() / "encrypted_owner_only.pdf").string());
  ASSERT_OK(owner_only);
  Result<Document> plain = LoadFile((BadPdfs() / "good.pdf").string());
  ASSERT_OK(plain);
  EXPECT_EQ(user->text, plain->text);
  EXPECT_EQ(owner_only->text, plain->text);
  EXPECT_FALSE(plain->blocks.empty());
}

TEST(PdfReaderTest, AScanWithoutTextIsReadWithAWarning) {
  Result<Document> doc = LoadFile((BadPdfs() / "scanned.pdf").string());
  ASSERT_OK(doc);
  EXPECT_TRUE(doc->blocks.empty());
  EXPECT_EQ(doc->page_count, 1);
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_NE(doc->warnings[0].find("no text layer"), std::string::npos);
}

TEST(PdfReaderTest, PopplerMessagesGoThroughTheLogger) {
  // A PDF with an end marker but nothing Poppler can parse makes it complain.
  const std::string broken = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n%%EOF\n";
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kWarning);
  ::testing::internal::CaptureStderr();
  Result<Document> quiet = LoadBytes("broken.pdf", broken);
  const std::string at_warning = ::testing::internal::GetCapturedStderr();
  SetLogLevel(LogLevel::kDebug);
  ::testing::internal::CaptureStderr();
  Result<Document> loud = LoadBytes("broken.pdf", broken);
  const std::string at_debug = ::testing::internal::GetCapturedStderr();
  SetLogLevel(saved);
  EXPECT_FALSE(quiet.ok());
  EXPECT_EQ(quiet.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(at_warning, "");
  EXPECT_NE(at_debug.find("poppler: "), std::string::npos) << at_debug;
}

}  // namespace
}  // namespace fiscdex::ingest
