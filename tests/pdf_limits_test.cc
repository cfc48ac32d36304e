// The PDF reader at its limits: pages turned by /Rotate, text beyond the
// page's edge, and input big enough to cost time or memory (a chart of
// 100 000 segments, a table of 2 000 rows, a cell of 50 KB). The PDFs are
// written here (MiniPdf: the standard Helvetica and Courier fonts, ASCII
// text, an exact cross-reference table) or edited from a corpus fixture, so
// nothing large is committed. The checks are on what comes out, never on
// time: a blowup shows as a test that does not finish (ctest's timeout).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/pdf_grid.h"
#include "ingest/pdf_layout.h"
#include "tests/test_util.h"

namespace fiscdex::ingest {
namespace {

namespace fs = std::filesystem;

constexpr double kA4Width = 595;
constexpr double kA4Height = 842;

// A number as PDF writes it: fixed point, no exponent.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// A page's content stream, with positions measured from the top-left
// corner as the layout sees them (PDF's own y grows upwards).
class Content {
 public:
  explicit Content(double height = kA4Height) : height_(height) {}

  // ASCII `text` with its baseline at `baseline` from the top. Fonts: F1
  // Helvetica, F2 Courier.
  Content& Text(double x, double baseline, const std::string& text, double size = 10,
                const char* font = "F1") {
    out_ += "BT /" + std::string(font) + " " + Num(size) + " Tf 1 0 0 1 " + Num(x) + " " +
            Num(height_ - baseline) + " Tm (";
    for (char c : text) {
      if (c == '(' || c == ')' || c == '\\') out_.push_back('\\');
      out_.push_back(c);
    }
    out_ += ") Tj ET\n";
    return *this;
  }
  // Japanese `text` (UTF-8, BMP only) in F3, a CID font whose codes are the
  // characters' UTF-16 units, set horizontally from the baseline's left
  // end, or with `vertical` (縦書き, Identity-V) downwards from the top of a
  // column centred on x.
  Content& CjkText(double x, double y, const std::string& text, double size, bool vertical) {
    out_ += "BT /" + std::string(vertical ? "F4 " : "F3 ") + Num(size) + " Tf 1 0 0 1 " +
            Num(x) + " " + Num(height_ - y) + " Tm <";
    for (size_t i = 0; i < text.size();) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      unsigned code = c;
      size_t length = 1;
      if (c >= 0xE0) {
        code = ((c & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F);
        length = 3;
      } else if (c >= 0xC0) {
        code = ((c & 0x1F) << 6) | (text[i + 1] & 0x3F);
        length = 2;
      }
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X", code);
      out_ += hex;
      i += length;
    }
    out_ += "> Tj ET\n";
    return *this;
  }
  // A stroked line, 0.5 pt wide; not stroked until Stroke() (one path may
  // hold many segments, as a chart's does).
  Content& Segment(double x0, double y0, double x1, double y1) {
    out_ += Num(x0) + " " + Num(height_ - y0) + " m " + Num(x1) + " " + Num(height_ - y1) +
            " l\n";
    return *this;
  }
  Content& Stroke() {
    out_ += "0.5 w S\n";
    return *this;
  }
  // A filled rectangle, grey.
  Content& Fill(double x0, double y0, double x1, double y1, double grey = 0.8) {
    out_ += Num(grey) + " g " + Num(x0) + " " + Num(height_ - y1) + " " + Num(x1 - x0) + " " +
            Num(y1 - y0) + " re f 0 g\n";
    return *this;
  }
  // Operators as they are.
  Content& Raw(const std::string& operators) {
    out_ += operators;
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  double height_;
  std::string out_;
};

// A PDF of pages given as content streams, uncompressed, with the standard
// fonts and a Japanese CID font (none embedded: text extraction needs only
// the ToUnicode map) and an exact cross-reference table.
class MiniPdf {
 public:
  void AddPage(const Content& content, double width = kA4Width, double height = kA4Height,
               int rotate = 0) {
    pages_.push_back({content.str(), width, height, rotate});
  }

  std::string Bytes() const {
    // 1 catalog, 2 page tree, 3-4 standard fonts, 5-6 the CID font set
    // horizontally and vertically, 7 its glyphs, 8 its ToUnicode map (code
    // = UTF-16 unit), 9 its descriptor; then a page and its content each.
    std::string to_unicode =
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << "
        "/Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS "
        "def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n";
    for (int block = 0; block < 256; block += 128) {  // at most 100 ranges a section
      to_unicode += "128 beginbfrange\n";
      for (int high = block; high < block + 128; ++high) {
        char range[40];
        std::snprintf(range, sizeof range, "<%02X00> <%02XFF> <%02X00>\n", high, high, high);
        to_unicode += range;
      }
      to_unicode += "endbfrange\n";
    }
    to_unicode += "endcmap CMapName currentdict /CMap defineresource pop end end";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /IPAGothic /Encoding /Identity-H "
        "/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /IPAGothic /Encoding /Identity-V "
        "/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /IPAGothic /CIDSystemInfo << "
        "/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R "
        "/DW 1000 /CIDToGIDMap /Identity >>",
        "<< /Length " + std::to_string(to_unicode.size()) + " >>\nstream\n" + to_unicode +
            "\nendstream",
        "<< /Type /FontDescriptor /FontName /IPAGothic /Flags 4 /FontBBox [0 -141 1000 859] "
        "/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>"};
    std::string kids;
    for (const Page& page : pages_) {
      const size_t number = objects.size() + 1;
      kids += std::to_string(number) + " 0 R ";
      objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + Num(page.width) + " " +
                        Num(page.height) + "]" +
                        (page.rotate != 0 ? " /Rotate " + std::to_string(page.rotate) : "") +
                        " /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R /F4 6 0 R >> >>"
                        " /Contents " +
                        std::to_string(number + 1) + " 0 R >>");
      objects.push_back("<< /Length " + std::to_string(page.content.size()) + " >>\nstream\n" +
                        page.content + "\nendstream");
    }
    objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " +
                 std::to_string(pages_.size()) + " >>";
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
      offsets.push_back(pdf.size());
      pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t offset : offsets) {
      char entry[24];
      std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
      pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
  }

 private:
  struct Page {
    std::string content;
    double width, height;
    int rotate;
  };
  std::vector<Page> pages_;
};

Document Load(const std::string& pdf) {
  Result<Document> doc = LoadBytes("limits.pdf", pdf);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? std::move(*doc) : Document();
}

// The data rows of a document: table rows that are neither header rows nor
// furniture.
std::vector<const Block*> DataRows(const Document& doc) {
  std::vector<const Block*> rows;
  for (const Block& b : doc.blocks) {
    if (b.kind == BlockKind::kTableRow && !b.header && !b.furniture) rows.push_back(&b);
  }
  return rows;
}

// A ruled table: every cell bordered, except the horizontal borders that
// `open_below` names as (row, column): the cell there is merged with the one
// below. Rows are `row_height` apart from `top`; each cell's text is one
// line at its top-left.
struct RuledTableSpec {
  std::vector<double> xs;
  double top = 100;
  double row_height = 20;
  std::vector<std::vector<std::string>> rows;
  std::set<std::pair<int, int>> open_below;
};

void DrawRuledTable(const RuledTableSpec& spec, Content* content, bool text = true,
                    bool rules = true) {
  const size_t n = spec.rows.size();
  if (rules) {
    for (size_t r = 0; r <= n; ++r) {
      const double y = spec.top + spec.row_height * static_cast<double>(r);
      for (size_t c = 0; c + 1 < spec.xs.size(); ++c) {
        if (r > 0 && spec.open_below.count({static_cast<int>(r) - 1, static_cast<int>(c)})) {
          continue;
        }
        content->Segment(spec.xs[c], y, spec.xs[c + 1], y);
      }
    }
    for (double x : spec.xs) {
      content->Segment(x, spec.top, x, spec.top + spec.row_height * static_cast<double>(n));
    }
    content->Stroke();
  }
  if (!text) return;
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < spec.rows[r].size() && c + 1 < spec.xs.size(); ++c) {
      if (spec.rows[r][c].empty()) continue;
      content->Text(spec.xs[c] + 4, spec.top + spec.row_height * static_cast<double>(r) + 12,
                    spec.rows[r][c]);
    }
  }
}

// ---- /Rotate: pages turned for display are read as the same table ----

fs::path Fixture() {
  return fs::path(FISCDEX_SOURCE_DIR) / "corpus" / "pdf" / "20_midpage_minamo.writer.pdf";
}

// What a rotated copy must give as the original does: every block's kind,
// text, cells, flags and page.
std::string Describe(const Block& b) {
  std::string out = std::to_string(static_cast<int>(b.kind)) + " p" + std::to_string(b.page) +
                    " t" + std::to_string(b.table) + " l" + std::to_string(b.level) +
                    (b.header ? " H" : "") + (b.furniture ? " F" : "") + " [" + b.text + "]";
  for (size_t c = 0; c < b.cells.size(); ++c) {
    out += " |" + b.cells[c];
    if (c < b.merged_from_above.size() && b.merged_from_above[c]) out += "^";
  }
  return out;
}

// Names the first block that differs (a whole document's worth of blocks
// would drown the report).
void ExpectSameBlocks(const std::vector<std::string>& actual,
                      const std::vector<std::string>& expected) {
  EXPECT_EQ(actual.size(), expected.size()) << "blocks";
  for (size_t i = 0; i < actual.size() && i < expected.size(); ++i) {
    if (actual[i] != expected[i]) {
      ADD_FAILURE() << "block " << i << " differs:\n  got:  " << actual[i]
                    << "\n  want: " << expected[i];
      return;
    }
  }
}

std::vector<std::string> Describe(const Document& doc) {
  std::vector<std::string> out;
  for (const Block& b : doc.blocks) out.push_back(Describe(b));
  return out;
}

// The fixture with every page given `/Rotate rotate`, as an incremental
// update (new page objects and a cross-reference section appended, as PDF
// editors save). With `upright`, each page's content is also turned the
// other way inside a MediaBox of swapped sides, so the page displays as the
// original does (how a landscape or portrait page is often stored); without,
// only /Rotate is set and the page displays turned (what `qpdf --rotate`,
// or a viewer's "rotate page" and save, does).
std::string RotatedFixture(int rotate, bool upright) {
  const std::string original = testing::ReadFileOrDie(Fixture());
  std::smatch m;
  const std::regex trailer_re(R"(trailer\s*<<\s*/Size (\d+)/Root (\d+ 0 R)\s*/Info (\d+ 0 R))");
  EXPECT_TRUE(std::regex_search(original, m, trailer_re)) << "the fixture's trailer changed";
  if (m.empty()) return original;
  int next = std::stoi(m[1]);
  const std::string root = m[2], info = m[3];
  const size_t startxref = original.rfind("startxref");
  const long prev = std::stol(original.substr(startxref + 10));

  std::string pdf = original;
  std::map<int, size_t> offsets;  // object number → offset
  auto add_object = [&](int number, const std::string& body) {
    offsets[number] = pdf.size();
    pdf += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
  };
  // LibreOffice's page objects: "<</Type/Page/Parent 10 0 R/Resources 27 0 R
  // /MediaBox[0 0 W H]/Contents N 0 R>>".
  const std::regex page_re(
      R"((\d+) 0 obj\s*<</Type/Page/Parent (\d+ 0 R)/Resources (\d+ 0 R)/MediaBox\[0 0 ([0-9.]+) ([0-9.]+)\]/Contents (\d+ 0 R)>>)");
  int pages = 0;
  std::string prefix_ref, suffix_ref;
  for (auto it = std::sregex_iterator(original.begin(), original.end(), page_re);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& page = *it;
    const double w = std::stod(page[4]), h = std::stod(page[5]);
    std::string media = "[0 0 " + std::string(page[4]) + " " + std::string(page[5]) + "]";
    std::string contents = page[6];
    if (upright) {
      if (prefix_ref.empty()) {
        // Turn the original drawing counter-clockwise for /Rotate 90 (then
        // the display turns it back clockwise), clockwise for 270, inside a
        // MediaBox of swapped sides.
        const std::string cm = rotate == 90    ? "0 1 -1 0 " + Num(h) + " 0 cm"
                               : rotate == 270 ? "0 -1 1 0 0 " + Num(w) + " cm"
                                               : "-1 0 0 -1 " + Num(w) + " " + Num(h) + " cm";
        const std::string q = "q " + cm + "\n";
        prefix_ref = std::to_string(next) + " 0 R";
        add_object(next++, "<</Length " + std::to_string(q.size()) + ">>\nstream\n" + q +
                               "\nendstream");
        suffix_ref = std::to_string(next) + " 0 R";
        add_object(next++, "<</Length 2>>\nstream\nQ\n\nendstream");
      }
      if (rotate != 180) media = "[0 0 " + Num(h) + " " + Num(w) + "]";
      contents = "[" + prefix_ref + " " + contents + " " + suffix_ref + "]";
    }
    add_object(std::stoi(page[1]), "<</Type/Page/Parent " + std::string(page[2]) +
                                       "/Resources " + std::string(page[3]) + "/MediaBox" +
                                       media + "/Rotate " + std::to_string(rotate) +
                                       "/Contents " + contents + ">>");
    ++pages;
  }
  EXPECT_EQ(pages, 3) << "the fixture's page objects changed";
  const size_t xref = pdf.size();
  pdf += "xref\n0 1\n0000000000 65535 f \n";
  for (const auto& [number, offset] : offsets) {
    char entry[48];
    std::snprintf(entry, sizeof entry, "%d 1\n%010zu 00000 n \n", number, offset);
    pdf += entry;
  }
  pdf += "trailer\n<</Size " + std::to_string(next) + "/Root " + root + "/Info " + info +
         "/Prev " + std::to_string(prev) + ">>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

TEST(PdfRotateTest, ARotatedPageGivesTheSameRowsAndCellsAsTheOriginal) {
  Result<Document> original = LoadFile(Fixture().string());
  ASSERT_OK(original);
  const std::vector<std::string> expected = Describe(*original);
  size_t rows = 0;
  for (const Block& b : original->blocks) rows += b.kind == BlockKind::kTableRow;
  ASSERT_GE(rows, 10u) << "the fixture should hold a ruled table";
  struct Case {
    int rotate;
    bool upright;
  };
  for (const Case& c : std::vector<Case>{{90, true}, {270, true}, {180, true},
                                          {90, false}, {270, false}, {180, false}}) {
    SCOPED_TRACE("/Rotate " + std::to_string(c.rotate) +
                 (c.upright ? ", content turned to display upright"
                            : ", content as it was (displayed turned)"));
    const std::string pdf = RotatedFixture(c.rotate, c.upright);
    Result<Document> rotated = LoadBytes("rotated.pdf", pdf);
    ASSERT_OK(rotated);
    EXPECT_EQ(rotated->page_count, original->page_count);
    EXPECT_TRUE(rotated->warnings.empty()) << rotated->warnings.front();
    ExpectSameBlocks(Describe(*rotated), expected);
    EXPECT_TRUE(rotated->text == original->text) << "the text differs";
  }
}

TEST(PdfRotateTest, AFewTurnedOrSlantedWordsDoNotTurnAnUprightPage) {
  // A cover page's title with a longer note set sideways in the margin, or
  // with a watermark slanted across the page: the page is read upright. A
  // page is turned only when nearly all its text is turned one way; the
  // sideways note is left out, and slanted text does not count.
  struct Case {
    std::string name;
    std::string operators;
  };
  const std::vector<Case> cases = {
      {"a sideways margin note", "BT /F1 8 Tf 0 1 -1 0 580 300 Tm (SIDEWAYS NOTE) Tj ET\n"},
      {"a slanted watermark, longer than the page's text",
       "BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 100 150 Tm "
       "(CONFIDENTIAL DRAFT - DO NOT COPY OR FORWARD) Tj ET\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Content content;
    content.Text(60, 100, "Cover page");
    content.Raw(c.operators);
    MiniPdf pdf;
    pdf.AddPage(content);
    const Document doc = Load(pdf.Bytes());
    EXPECT_NE(doc.text.find("Cover page"), std::string::npos) << doc.text;
    EXPECT_EQ(doc.text.find("SIDEWAYS"), std::string::npos) << doc.text;
  }
}

TEST(PdfRotateTest, APageOfVerticalJapaneseIsReadColumnByColumnFromTheRight) {
  // 縦書き: Poppler gives the words of a vertical font a quarter turn, so
  // the page is read turned: its columns, right to left, become lines, each
  // read top to bottom. The same text set horizontally reads the same.
  const std::vector<std::string> columns = {"情報セキュリティ基本方針を定めています。",
                                            "暗号鍵は専用の装置で管理します。",
                                            "監査は年に一回行います。"};
  for (const bool vertical : {false, true}) {
    SCOPED_TRACE(vertical ? "縦書き" : "横書き");
    Content content;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (vertical) {
        content.CjkText(500 - 24.0 * static_cast<double>(i), 80, columns[i], 12, true);
      } else {
        content.CjkText(60, 100 + 18.0 * static_cast<double>(i), columns[i], 12, false);
      }
    }
    MiniPdf pdf;
    pdf.AddPage(content);
    const Document doc = Load(pdf.Bytes());
    EXPECT_TRUE(doc.warnings.empty()) << doc.warnings.front();
    std::vector<std::string> lines;
    for (const Block& b : doc.blocks) {
      if (b.kind == BlockKind::kLine) lines.push_back(b.text);
    }
    EXPECT_EQ(lines, columns);
  }
}

// ---- Text beyond the page's edge ----

// Pages of a two-column table (ID, answer) inside the page; on the pages
// `cut` names, a third column "Remark" stands at `remark_x`, which may lie
// beyond an edge.
std::string EdgePdf(int pages, const std::set<int>& cut, double remark_x, double remark_y = 0) {
  MiniPdf pdf;
  for (int p = 1; p <= pages; ++p) {
    Content content;
    // Below the band of running headers (the top 13 %).
    content.Text(60, 130, "ID").Text(130, 130, "Answer");
    for (int r = 0; r < 5; ++r) {
      const double y = 150 + 20 * r;
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, its bug
      // 105651) on "P" + std::to_string(...).
      std::string id = "P";
      id += std::to_string(p);
      id += '-';
      id += std::to_string(r + 1);
      content.Text(60, y, id).Text(130, y, "Answer of " + id + " is yes.");
      if (cut.count(p)) content.Text(remark_x, remark_y > 0 ? remark_y : y, "Remark " + id);
    }
    pdf.AddPage(content);
  }
  return pdf.Bytes();
}

TEST(PdfEdgeTest, TextBeyondTheLeftOrRightEdgeWarnsNamingThePagesAndTheRestIsRead) {
  struct Case {
    std::string name;
    int pages;
    std::set<int> cut;
    double remark_x, remark_y;
    std::string warning;  // "" for none
  };
  const std::string tail = " (a table wider than the page?): what lies outside is not read";
  const std::vector<Case> cases = {
      {"right edge, one page", 3, {2}, 640, 0, "text lies beyond the page edge on page 2" + tail},
      {"right edge, two pages", 3, {2, 3}, 700, 0,
       "text lies beyond the page edge on pages 2, 3" + tail},
      {"left edge", 2, {1}, -150, 0, "text lies beyond the page edge on page 1" + tail},
      {"every page of twelve", 12, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 620, 0,
       "text lies beyond the page edge on pages 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more" +
           tail},
      // Below the bottom: a merged cell's text running on, as spreadsheets
      // print it; not a table wider than the page.
      {"below the bottom edge", 2, {1}, 130, 900, ""},
      {"inside the page", 2, {1, 2}, 400, 0, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Document doc = Load(EdgePdf(c.pages, c.cut, c.remark_x, c.remark_y));
    EXPECT_EQ(doc.page_count, c.pages);
    if (c.warning.empty()) {
      EXPECT_TRUE(doc.warnings.empty()) << doc.warnings.front();
    } else {
      EXPECT_EQ(doc.warnings, std::vector<std::string>{c.warning});
      EXPECT_EQ(doc.text.find("Remark"), std::string::npos) << "text outside the page";
    }
    // The rest of every page is read, as the table it is.
    std::vector<std::string> ids;
    for (const Block* row : DataRows(doc)) {
      ASSERT_GE(row->cells.size(), 2u);
      ids.push_back(row->cells[0]);
      EXPECT_EQ(row->cells[1], "Answer of " + row->cells[0] + " is yes.");
    }
    ASSERT_EQ(ids.size(), static_cast<size_t>(5 * c.pages));
    EXPECT_EQ(ids.front(), "P1-1");
    EXPECT_EQ(ids.back(), "P" + std::to_string(c.pages) + "-5");
  }
}

// ---- Big input stays bounded ----

// A chart of `count` short horizontal strokes (3 pt dashes on a lattice
// below the table, drawn over and over), stroked 1 000 at a time.
void DrawChart(size_t count, Content* content) {
  for (size_t k = 0; k < count; ++k) {
    const double x = 50 + 6 * static_cast<double>(k % 90);
    const double y = 320 + 3 * static_cast<double>((k / 90) % 150);
    content->Segment(x, y, x + 3, y);
    if (k % 1000 == 999) content->Stroke();
  }
  content->Stroke();
}

// ID | Answer, with the answer cell of S2 merged over S3 (no border between
// them in that column): only the drawing tells that S3 shares S2's answer.
RuledTableSpec MergedTable() {
  RuledTableSpec spec;
  spec.xs = {50, 120, 500};
  spec.top = 100;
  spec.rows = {{"ID", "Answer"}, {"S1", "Policy is set."}, {"S2", "Shared answer."}, {"S3", ""}};
  spec.open_below = {{2, 1}};
  return spec;
}

constexpr const char* kTooMuchDrawing =
    "page 1 draws more lines or shapes than a table has (a chart?): only the first 20000 of "
    "each are kept, and a table drawn after them is read from its text alone";

TEST(PdfBoundsTest, APageOfAHundredThousandSegmentsKeepsTheFirstRulesAndWarns) {
  // The page keeps its first 20 000 rules. Drawn before the chart, the
  // table's borders are among them and the merged cell is read from the
  // grid; drawn after, they are dropped and the table is read from its text
  // alone, where an empty cell stays empty. Either way the words are read
  // and the document says the page drew too much.
  for (const bool table_first : {true, false}) {
    SCOPED_TRACE(table_first ? "table drawn first" : "chart drawn first");
    Content content;
    content.Text(50, 60, "Chart of requests per second");
    if (table_first) DrawRuledTable(MergedTable(), &content, /*text=*/false);
    DrawChart(100000, &content);
    DrawRuledTable(MergedTable(), &content, /*text=*/true, /*rules=*/!table_first);
    MiniPdf pdf;
    pdf.AddPage(content);
    const Document doc = Load(pdf.Bytes());
    EXPECT_EQ(doc.warnings, std::vector<std::string>{kTooMuchDrawing});
    EXPECT_NE(doc.text.find("Chart of requests per second"), std::string::npos);
    // Nothing sets the first row apart (weight, shading, repetition): it is
    // a row like the others here.
    const std::vector<const Block*> rows = DataRows(doc);
    std::vector<std::string> ids;
    for (const Block* row : rows) ids.push_back(row->cells.at(0));
    ASSERT_EQ(ids, (std::vector<std::string>{"ID", "S1", "S2", "S3"}));
    EXPECT_EQ(rows[1]->cells[1], "Policy is set.");
    EXPECT_EQ(rows[2]->cells[1], "Shared answer.");
    EXPECT_EQ(rows[3]->cells[1], table_first ? "Shared answer." : "");
  }
}

TEST(PdfBoundsTest, APageOfThirtyThousandFillsKeepsItsTextAndWarns) {
  Content content;
  DrawRuledTable(MergedTable(), &content);
  for (int k = 0; k < 30000; ++k) {
    const double x = 50 + 5 * (k % 100), y = 320 + 5 * ((k / 100) % 90);
    content.Fill(x, y, x + 4, y + 4, 0.2 + 0.5 * (k % 7) / 7);
  }
  MiniPdf pdf;
  pdf.AddPage(content);
  const Document doc = Load(pdf.Bytes());
  EXPECT_EQ(doc.warnings, std::vector<std::string>{kTooMuchDrawing});
  const std::vector<const Block*> rows = DataRows(doc);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3]->cells, (std::vector<std::string>{"S3", "Shared answer."}));
}

// Rows of ID | answer, 40 to a page, the header row repeated at the top of
// every page and a page number at the bottom, ruled or not. By default the
// table keeps out of the top and bottom 13 % of the page, where running
// headers and footers are looked for.
std::string LongTablePdf(int rows, bool ruled, double top = 120, double row_height = 14) {
  constexpr int kPerPage = 40;
  MiniPdf pdf;
  for (int first = 0, page = 1; first < rows; first += kPerPage, ++page) {
    RuledTableSpec spec;
    spec.xs = {50, 130, 545};
    spec.top = top;
    spec.row_height = row_height;
    spec.rows.push_back({"ID", "Answer"});
    for (int r = first; r < first + kPerPage && r < rows; ++r) {
      char id[24];
      std::snprintf(id, sizeof id, "Q%04d", r + 1);
      spec.rows.push_back({id, "Answer to " + std::string(id) + ": encrypted at rest."});
    }
    Content content;
    DrawRuledTable(spec, &content, /*text=*/true, /*rules=*/ruled);
    content.Text(290, 815, "- " + std::to_string(page) + " -");
    pdf.AddPage(content);
  }
  return pdf.Bytes();
}

TEST(PdfBoundsTest, ATableOfTwoThousandRowsOverFiftyPagesGivesEveryRow) {
  for (const bool ruled : {true, false}) {
    SCOPED_TRACE(ruled ? "ruled" : "not ruled");
    const Document doc = Load(LongTablePdf(2000, ruled));
    EXPECT_EQ(doc.page_count, 50);
    EXPECT_TRUE(doc.warnings.empty()) << doc.warnings.front();
    const std::vector<const Block*> rows = DataRows(doc);
    ASSERT_EQ(rows.size(), 2000u);
    std::set<int> tables;
    for (size_t r = 0; r < rows.size(); ++r) {
      char id[24];
      std::snprintf(id, sizeof id, "Q%04zu", r + 1);
      ASSERT_EQ(rows[r]->cells,
                (std::vector<std::string>{id, "Answer to " + std::string(id) + ": encrypted at rest."}))
          << "row " << r;
      EXPECT_EQ(rows[r]->page, static_cast<int>(r / 40) + 1);
      tables.insert(rows[r]->table);
    }
    EXPECT_EQ(tables, std::set<int>{0}) << "one table continued over every page";
  }
}

// 50 KB of words ("w00000 w00001 …"), and the same joined by spaces: what a
// cell holding them must read.
std::vector<std::string> FiftyKilobytesOfWords(std::string* joined) {
  std::vector<std::string> words;
  for (int i = 0; joined->size() < 50 * 1024; ++i) {
    char word[16];
    std::snprintf(word, sizeof word, "w%05d", i);
    if (!joined->empty()) joined->push_back(' ');
    *joined += word;
    words.push_back(word);
  }
  return words;
}

// A ruled table ID | Answer whose one row holds `words` in Courier of
// `size`, `per_line` words to a line, `lines_per_page` lines to a page: the
// row breaks across pages as word processors break it, its ID on the first
// page only, the header row repeated on each. Every full line is as wide as
// the next, so a cell's lines are one paragraph.
std::string HugeCellPdf(const std::vector<std::string>& words, double size, int per_line,
                        int lines_per_page, double page_height) {
  const double pitch = 1.25 * size;
  const double text_width = per_line * 7 * 0.6 * size;  // Courier: 0.6 em a character
  const std::vector<double> xs = {40, 90, 96 + text_width + 6};
  MiniPdf pdf;
  size_t next = 0;
  for (bool first = true; next < words.size(); first = false) {
    Content content(page_height);
    const double top = 40, body = 60;
    content.Text(44, top + 14, "ID").Text(96, top + 14, "Answer");
    if (first) content.Text(44, body + 4 + size, "Q1");
    double y = body + 4 + size;
    for (int line = 0; line < lines_per_page && next < words.size(); ++line, y += pitch) {
      std::string text;
      for (int k = 0; k < per_line && next < words.size(); ++k) {
        if (!text.empty()) text.push_back(' ');
        text += words[next++];
      }
      content.Text(96, y, text, size, "F2");
    }
    const double bottom = y - pitch + 6;
    for (double row : {top, body, bottom}) content.Segment(xs.front(), row, xs.back(), row);
    for (double col : xs) content.Segment(col, top, col, bottom);
    content.Stroke();
    pdf.AddPage(content, kA4Width, page_height);
  }
  return pdf.Bytes();
}

TEST(PdfBoundsTest, ACellOfFiftyKilobytesComesOutWhole) {
  std::string expected;
  const std::vector<std::string> words = FiftyKilobytesOfWords(&expected);
  // 5.5 pt Courier (3.3 pt a character: Poppler keeps only the first 50 000
  // characters narrower than 3 pt of a page) on one page 2 650 pt tall: 366
  // lines in one cell.
  const Document doc = Load(HugeCellPdf(words, 5.5, 20, 400, 2650));
  EXPECT_EQ(doc.page_count, 1);
  const std::vector<const Block*> rows = DataRows(doc);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]->cells, (std::vector<std::string>{"ID", "Answer"}));
  ASSERT_EQ(rows[1]->cells.size(), 2u);
  EXPECT_EQ(rows[1]->cells[0], "Q1");
  const std::string& cell = rows[1]->cells[1];
  EXPECT_TRUE(cell == expected) << "cell of " << cell.size() << " bytes, expected "
                                << expected.size() << "; first difference at "
                                << std::mismatch(cell.begin(), cell.end(), expected.begin(),
                                                 expected.end()).first - cell.begin();
}

TEST(PdfBoundsTest, ACellOfFiftyKilobytesBrokenOverPagesComesOutInOrder) {
  // 8 pt Courier on A4: the row runs over 7 pages. Each page gives the rest
  // of the row, with an empty ID cell, for the extractor to append to Q1.
  std::string expected;
  const std::vector<std::string> words = FiftyKilobytesOfWords(&expected);
  const Document doc = Load(HugeCellPdf(words, 8, 13, 75, kA4Height));
  EXPECT_GE(doc.page_count, 7);
  const std::vector<const Block*> rows = DataRows(doc);
  ASSERT_EQ(rows.size(), static_cast<size_t>(doc.page_count));
  std::string joined;
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r]->cells.size(), 2u);
    EXPECT_EQ(rows[r]->cells[0], r == 0 ? "Q1" : "") << "row " << r;
    EXPECT_EQ(rows[r]->page, static_cast<int>(r) + 1);
    EXPECT_EQ(rows[r]->table, 0);
    if (!joined.empty()) joined.push_back(' ');
    joined += rows[r]->cells[1];
  }
  EXPECT_TRUE(joined == expected) << "cells of " << joined.size() << " bytes, expected "
                                  << expected.size();
}

// Found by the test above, not fixed yet (ingest/pdf_page.cc, MarginLines):
// the running header and footer test masks digits, so table rows in the top
// or bottom 13 % of the page that differ only in their numbers ("Q0041 |
// Answer to Q0041", "Q0081 | Answer to Q0081") recur at the same height on
// every page and are taken for running headers and footers: the rows are
// lost to the table. Enable once the margin test keeps them.
TEST(PdfBoundsTest, RowsNearThePageEdgesThatDifferOnlyInTheirNumbersStayRows) {
  const Document doc = Load(LongTablePdf(400, /*ruled=*/false, /*top=*/60, /*row_height=*/18));
  EXPECT_EQ(DataRows(doc).size(), 400u);
}

// ---- The fuzz seeds (fuzz/seeds/make_pdf_seeds.py) read as they show ----

TEST(PdfFuzzSeedsTest, EachSeedIsReadAsItShows) {
  struct Case {
    std::string file;
    std::vector<std::string> rows;  // "ID|Answer" per table row, in order
    bool warns;                      // text beyond the page's edge
  };
  const std::vector<std::string> merged = {"ID|Answer", "S1|Policy is set.",
                                           "S2|Shared answer.", "S3|Shared answer."};
  const std::vector<Case> cases = {
      {"grid_merged.pdf", merged, false},
      {"thin_fill_borders.pdf",
       {"ID|Answer", "S1|Policy is set.", "S2|Shared answer.", "S3|"}, false},
      {"beyond_edge.pdf", {"ID|Answer", "Q1|Yes.", "Q2|No."}, true},
      {"staircase.pdf", {}, false},
      {"rotated_sideways.pdf", merged, false},
      {"rotated_upright.pdf", {"ID|Answer", "S1|Policy is set.", "S2|Shared answer.", "S3|"},
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    Result<Document> doc =
        LoadFile((fs::path(FISCDEX_SOURCE_DIR) / "fuzz" / "seeds" / c.file).string());
    ASSERT_OK(doc);
    std::vector<std::string> rows;
    for (const Block& b : doc->blocks) {
      if (b.kind != BlockKind::kTableRow) continue;
      std::string row;
      for (const std::string& cell : b.cells) row += (row.empty() ? "" : "|") + cell;
      rows.push_back(row);
    }
    EXPECT_EQ(rows, c.rows);
    EXPECT_EQ(!doc->warnings.empty(), c.warns);
  }
}

// ---- The layout on its own, with more rules than a table has ----

using internal::FindGrids;
using internal::PdfRule;

TEST(PdfGridBoundsTest, AStepChartOfTwentyThousandRulesIsNoGrid) {
  // A staircase of 20 000 rules (a step chart, a page's whole allowance):
  // one network of rules that meet, 10 000 column and row edges, so 10^8
  // slots if it were taken for a table.
  std::vector<PdfRule> rules;
  for (int i = 0; i < 10000; ++i) {
    const double step = 3.0 * i;
    rules.push_back({true, 100 + step, 50 + step, 53 + step, 0.5});
    rules.push_back({false, 53 + step, 100 + step, 103 + step, 0.5});
  }
  EXPECT_TRUE(FindGrids(rules).empty());
  // The same on a page's scale: 250 steps of 2.5 pt, 63 000 slots.
  rules.clear();
  for (int i = 0; i < 250; ++i) {
    const double step = 2.5 * i;
    rules.push_back({true, 100 + step, 50 + step, 52.5 + step, 0.5});
    rules.push_back({false, 52.5 + step, 100 + step, 102.5 + step, 0.5});
  }
  EXPECT_TRUE(FindGrids(rules).empty());
  // 200 steps: 40 000 slots, within the bound. Hardly any slot is walled
  // off from its neighbours, so all join one cell (each pass visits that
  // cell's box once, not once per slot), and one cell is no table.
  rules.clear();
  for (int i = 0; i < 200; ++i) {
    const double step = 2.5 * i;
    rules.push_back({true, 100 + step, 50 + step, 52.5 + step, 0.5});
    rules.push_back({false, 52.5 + step, 100 + step, 102.5 + step, 0.5});
  }
  EXPECT_TRUE(FindGrids(rules).empty());
}

TEST(PdfGridBoundsTest, ALatticeAtTheCrossingBoundIsNoGrid) {
  // 2 000 × 2 000 lines crossing: 4 000 000 candidate crossings, just
  // within FindGrids' bound, and 4 000 000 slots: a chart's grid lines.
  std::vector<PdfRule> rules;
  for (int i = 0; i < 2000; ++i) {
    rules.push_back({true, 3.0 * i, 0, 6000, 0.5});
    rules.push_back({false, 3.0 * i, 0, 6000, 0.5});
  }
  EXPECT_TRUE(FindGrids(rules).empty());
}

TEST(PdfGridBoundsTest, APageOfTwentyThousandRulesStillReadsItsWords) {
  // A chart's lattice at the page's allowance of rules, and text beside it.
  internal::PdfPageContent content;
  content.width = kA4Width;
  content.height = kA4Height;
  for (int i = 0; i < 10000; ++i) {
    const double x = 300 + 2.5 * (i % 100), y = 300 + 2.5 * (i / 100);
    content.rules.push_back({true, y, x, x + 2.5, 0.5});
    content.rules.push_back({false, x, y, y + 2.5, 0.5});
  }
  for (int i = 0; i < 40; ++i) {
    content.words.push_back({50, 100.0 + 12 * i, 250, 113.0 + 12 * i,
                             "line" + std::to_string(i), false});
  }
  const internal::PdfPage page = internal::LayoutPdfPage(std::move(content));
  size_t lines = 0;
  for (const internal::PdfItem& item : page.items) {
    lines += item.kind == internal::PdfItem::Kind::kLine;
  }
  EXPECT_EQ(lines, 40u);
}

}  // namespace
}  // namespace fiscdex::ingest
