// The export stage: tables written to real XLSX, CSV and NDJSON files in a
// temp dir, then read back by readers that share nothing with the writers:
// tests/read_xlsx.py (Python's zipfile + xml.etree, and openpyxl when it is
// installed), Python's csv module, and tests/json_reader.h.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/sha256.h"
#include "base/status.h"
#include "base/text.h"
#include "export/csv_writer.h"
#include "export/ndjson.h"
#include "export/table.h"
#include "export/xlsx_writer.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"

namespace fiscdex::exporting {
namespace {

namespace fs = std::filesystem;
using ::fiscdex::testing::JsonValue;
using ::fiscdex::testing::ParseJson;
using ::fiscdex::testing::ReadFileOrDie;
using ::fiscdex::testing::TempDir;

// ---------------------------------------------------------------------------
// Running the independent reader.

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// The exit code of tests/read_xlsx.py when openpyxl cannot be imported.
constexpr int kReaderSkipped = 77;

// Runs `python3 tests/read_xlsx.py ARGS...` and parses what it prints.
// `*exit_code` (when given) receives its exit code; a failure is an error
// naming the command.
Result<JsonValue> RunReader(const std::vector<std::string>& args, int* exit_code = nullptr) {
  // Debian's interpreter when there is one: python3-openpyxl installs for
  // it, and a python3 found first in PATH (pyenv, a venv) may not see it.
  // -I: the user's PYTHON* variables and site folder cannot change what the
  // reader does.
  std::string command = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  command += " -I ";
  command += ShellQuote(std::string(FISCDEX_SOURCE_DIR) + "/tests/read_xlsx.py");
  for (const std::string& arg : args) {
    command += ' ';
    command += ShellQuote(arg);
  }
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status::Internal("cannot run " + command);
  std::string out;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (exit_code != nullptr) *exit_code = code;
  if (code != 0) {
    return Status::Internal(
        command + " exited with " + std::to_string(code) +
        (code == 127 ? " (python3 not found: tools/setup.sh installs it)" : ""));
  }
  return ParseJson(out);
}

// ---------------------------------------------------------------------------
// Reading the reader's JSON.

const JsonValue& At(const JsonValue& v, std::string_view key) {
  static const JsonValue kNull;
  const JsonValue* found = v.Find(key);
  return found != nullptr ? *found : kNull;
}

const JsonValue& Sheet(const JsonValue& workbook, size_t i) {
  return At(workbook, "sheets").items().at(i);
}

// The cell at 0-based `row` (0 is the header) and `col`, or null when the
// workbook has none there.
const JsonValue& CellAt(const JsonValue& sheet, size_t row, size_t col) {
  static const JsonValue kNull;
  const auto& rows = At(sheet, "rows").items();
  if (row >= rows.size() || col >= rows[row].items().size()) return kNull;
  return rows[row].items()[col];
}

std::string CellText(const JsonValue& sheet, size_t row, size_t col) {
  const JsonValue& v = At(CellAt(sheet, row, col), "v");
  return v.is_string() ? v.as_string() : "<not a string>";
}

// The width of the 0-based column `col` in <cols>, or -1.
double ColumnWidth(const JsonValue& sheet, size_t col) {
  for (const JsonValue& c : At(sheet, "cols").items()) {
    if (At(c, "min").as_number() <= col + 1 && col + 1 <= At(c, "max").as_number()) {
      return At(c, "width").as_number();
    }
  }
  return -1;
}

std::string Hex(uint32_t rgb) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%06X", rgb);
  return buf;
}

// ---------------------------------------------------------------------------
// Writing tables.

struct TestSheet {
  SheetSpec spec;
  std::vector<std::vector<std::string>> rows;
};

Status WriteAll(TableSink& sink, const std::vector<TestSheet>& sheets) {
  for (const TestSheet& sheet : sheets) {
    RETURN_IF_ERROR(sink.BeginSheet(sheet.spec));
    for (const auto& row : sheet.rows) RETURN_IF_ERROR(sink.AddRow(row));
  }
  return sink.Finish();
}

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kLongAnswer = Repeat("あ", 40000);
const std::string kTruncationMarker = "…[truncated; the full text has 40000 characters]";
const std::string kControlChars =
    std::string("a\x01") + "b\tc\r\nd\x0b" + std::string(1, '\0') + "e";

// The workbook most XLSX tests write: records with one row per status, the
// awkward cells, a second sheet whose name Excel would refuse and a third
// whose name is taken.
std::vector<TestSheet> SampleWorkbook() {
  TestSheet records;
  records.spec.name = "記録";
  records.spec.columns = {
      {"文書", ColumnKind::kText, "document"},
      {"基準", ColumnKind::kText, "criterion_id"},
      {"ページ", ColumnKind::kNumber, "page"},
      {"status", ColumnKind::kStatus},
      {"回答", ColumnKind::kLongText, "answer"},
      {"vendor", ColumnKind::kText},
      {"title", ColumnKind::kText},
  };
  for (std::string_view code : kStatusCodes) {
    records.rows.push_back({"corpus/クラウド白書.pdf", "実8", "12", std::string(code),
                            "暗号鍵はHSMで管理しています。", "ABCDEFGHIJ", "暗号鍵管理暗号鍵管理"});
  }
  records.rows.push_back({"=HYPERLINK(\"http://evil.example/\",\"click\")", "+1", "-7", "",
                          "@SUM(A1:A2)", "-1", "_x0041_"});
  records.rows.push_back({kControlChars, "統1", "", "missing", kLongAnswer, "  spaced  ", ""});
  TestSheet summary;
  summary.spec.name = "概要: summary?";
  summary.spec.columns = {{"vendor", ColumnKind::kText}, {"count", ColumnKind::kNumber}};
  TestSheet again;
  again.spec.name = "記録";
  again.spec.columns = {{"a", ColumnKind::kText}};
  again.rows = {{"x"}};
  return {records, summary, again};
}

constexpr size_t kStatusRows = kStatusCodes.size();

// ---------------------------------------------------------------------------
// The data model.

TEST(CheckRowTest, AcceptsCellsOfTheirKindAndNamesTheOffender) {
  const SheetSpec sheet{"s", {{"page", ColumnKind::kNumber}, {"status", ColumnKind::kStatus}}};
  struct Case {
    std::vector<std::string> cells;
    std::string error;  // "" = OK
  } cases[] = {
      {{"12", "implemented"}, ""},
      {{"", ""}, ""},
      {{"-3", "missing"}, ""},
      {{"123456789012345", "reference"}, ""},
      {{"1234567890123456", ""}, "'1234567890123456' is not a decimal integer"},
      {{"12a", ""}, "column 'page': '12a' is not a decimal integer"},
      {{"1.5", ""}, "not a decimal integer"},
      {{"-", ""}, "not a decimal integer"},
      {{"１２", ""}, "not a decimal integer"},
      {{"", "done"}, "column 'status': 'done' is not a status code"},
      {{"", "Implemented"}, "not a status code"},
      {{"12"}, "1 cells for 2 columns"},
  };
  for (const Case& c : cases) {
    const Status status = CheckRow(sheet, c.cells, 4);
    if (c.error.empty()) {
      EXPECT_OK(status);
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(status.message().find(c.error), std::string::npos) << status.ToString();
      EXPECT_NE(status.message().find("sheet 's' row 4"), std::string::npos) << status.ToString();
    }
  }
}

// ---------------------------------------------------------------------------
// XLSX rules.

TEST(DisplayWidthTest, CountsEastAsianWideCharactersTwice) {
  struct Case {
    std::string text;
    size_t width;
  } cases[] = {
      {"", 0},         {"abc", 3},
      {"暗号鍵", 6},   {"ｱｲｳ", 3},                        // half-width katakana
      {"ＡＢ", 4},                                        // full-width Latin
      {"がぎ", 4},                                        // precomposed
      {"か\u3099", 2},                                    // combining voiced mark
      {"e\u0301", 1},                                     // combining acute
      {"設83-1", 6},   {"一行目\nずっと長い二行目", 16},  // the widest line
      {"😀", 2},        {"\xff", 1},                       // an ill-formed byte shows as U+FFFD
  };
  for (const Case& c : cases) EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST(ExcelSheetNameTest, MakesNamesExcelAccepts) {
  const std::string long_name = Repeat("長", 40);
  struct Case {
    std::string wanted;
    std::vector<std::string> taken;
    std::string expected;
  } cases[] = {
      {"記録", {}, "記録"},
      {"a/b:c*d?e[f]g\\h", {}, "a_b_c_d_e_f_g_h"},
      {"tab\there", {}, "tab_here"},
      {"'quoted'", {}, "quoted"},
      {"''", {}, "Sheet"},
      {"", {}, "Sheet"},
      {"History", {}, "History_"},
      {long_name, {}, Repeat("長", 31)},
      {"Records", {"records"}, "Records (2)"},
      {"Records", {"records", "RECORDS (2)"}, "Records (3)"},
      {long_name, {Repeat("長", 31)}, Repeat("長", 27) + " (2)"},
      {"ＡＢＣ", {"ａｂｃ"}, "ＡＢＣ (2)"},
      {"😀" + Repeat("x", 40), {}, "😀" + Repeat("x", 29)},  // 31 UTF-16 units
  };
  for (const Case& c : cases) EXPECT_EQ(ExcelSheetName(c.wanted, c.taken), c.expected) << c.wanted;
}

TEST(XlsxCellTextTest, KeepsTextAndReplacesWhatXmlCannotHold) {
  struct Case {
    std::string cell;
    std::string expected;
  } cases[] = {
      {"暗号鍵はHSMで管理", "暗号鍵はHSMで管理"},
      {"=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"},
      {"a\r\nb\rc\nd", "a\nb\nc\nd"},
      {kControlChars, "a\uFFFDb\tc\nd\uFFFD\uFFFDe"},
      {"\xef\xbf\xbe", "\uFFFD"},  // U+FFFE
      {"bad \xff byte", "bad \uFFFD byte"},
      {"_x0041_", "_x005F_x0041_"},
      {"_x004_ _xZZZZ_", "_x004_ _xZZZZ_"},
      {"  spaced  ", "  spaced  "},
  };
  for (const Case& c : cases) EXPECT_EQ(XlsxCellText(c.cell), c.expected) << c.cell;
}

TEST(XlsxCellTextTest, TruncatesPastExcelsLimitWithAMarker) {
  const std::string text = XlsxCellText(kLongAnswer);
  ASSERT_EQ(text.size() % 3, kTruncationMarker.size() % 3);
  EXPECT_EQ(CodePointCount(text), kXlsxMaxCellChars);
  ASSERT_TRUE(text.ends_with(kTruncationMarker));
  EXPECT_EQ(text.substr(0, text.size() - kTruncationMarker.size()),
            Repeat("あ", kXlsxMaxCellChars - CodePointCount(kTruncationMarker)));

  // Exactly at the limit: kept whole. Characters outside the BMP count two.
  const std::string at_limit = Repeat("a", kXlsxMaxCellChars);
  EXPECT_EQ(XlsxCellText(at_limit), at_limit);
  const std::string emoji = Repeat("😀", kXlsxMaxCellChars / 2 + 1);
  const std::string cut = XlsxCellText(emoji);
  EXPECT_TRUE(cut.ends_with("…[truncated; the full text has 16384 characters]"));
  const size_t marker = CodePointCount("…[truncated; the full text has 16384 characters]");
  const size_t units = 2 * (CodePointCount(cut) - marker) + marker;
  EXPECT_LE(units, kXlsxMaxCellChars);
  EXPECT_GE(units, kXlsxMaxCellChars - 1);
}

// WCAG 2's relative luminance and contrast ratio.
double Luminance(uint32_t rgb) {
  double sum = 0;
  const double weights[] = {0.2126, 0.7152, 0.0722};
  for (int i = 0; i < 3; ++i) {
    const double c = ((rgb >> (16 - 8 * i)) & 0xFF) / 255.0;
    sum += weights[i] * (c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
  }
  return sum;
}
double Contrast(uint32_t a, uint32_t b) {
  const double la = Luminance(a), lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST(StatusStyleTest, EveryCodeHasALegibleDistinctColour) {
  std::vector<uint32_t> fills;
  for (std::string_view code : kStatusCodes) {
    const std::optional<StatusStyle> style = StatusStyleOf(code);
    ASSERT_TRUE(style.has_value()) << code;
    EXPECT_GE(Contrast(style->fill, style->font), 4.5) << code;  // WCAG AA
    for (uint32_t other : fills) EXPECT_NE(other, style->fill) << code;
    fills.push_back(style->fill);
  }
  EXPECT_FALSE(StatusStyleOf("").has_value());
  EXPECT_FALSE(StatusStyleOf("done").has_value());
  // doc/export.md's table.
  EXPECT_EQ(StatusStyleOf("implemented")->fill, 0x56B4E9u);
  EXPECT_EQ(StatusStyleOf("missing")->fill, 0x000000u);
  // The statuses a gap analysis turns on stay apart in greyscale.
  EXPECT_LT(Luminance(StatusStyleOf("missing")->fill), Luminance(StatusStyleOf("blank")->fill));
  EXPECT_LT(Luminance(StatusStyleOf("blank")->fill), Luminance(StatusStyleOf("implemented")->fill));
  EXPECT_LT(Luminance(StatusStyleOf("implemented")->fill),
            Luminance(StatusStyleOf("partial")->fill));
}

// ---------------------------------------------------------------------------
// XLSX files.

TEST(XlsxExportTest, RoundTripsThroughAnIndependentReader) {
  TempDir dir;
  const std::string path = (dir.path() / "記録 export.xlsx").string();
  const std::vector<TestSheet> sheets = SampleWorkbook();
  {
    Result<std::unique_ptr<TableSink>> sink = OpenXlsx(path);
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, sheets));
  }
  Result<JsonValue> read = RunReader({path});
  ASSERT_OK(read);
  const JsonValue& workbook = *read;

  // Sheet names: kept, made valid, made unique.
  ASSERT_EQ(At(workbook, "sheets").items().size(), 3u);
  EXPECT_EQ(At(Sheet(workbook, 0), "name").as_string(), "記録");
  EXPECT_EQ(At(Sheet(workbook, 1), "name").as_string(), "概要_ summary_");
  EXPECT_EQ(At(Sheet(workbook, 2), "name").as_string(), "記録 (2)");

  // Every sheet: header frozen, autofilter from the header to the last row.
  const char* filters[] = {"A1:G12", "A1:B1", "A1:A2"};
  for (size_t i = 0; i < 3; ++i) {
    const JsonValue& sheet = Sheet(workbook, i);
    const JsonValue& pane = At(sheet, "pane");
    ASSERT_TRUE(pane.is_object()) << i;
    EXPECT_EQ(At(pane, "ySplit").as_string(), "1");
    EXPECT_EQ(At(pane, "state").as_string(), "frozen");
    EXPECT_EQ(At(pane, "topLeftCell").as_string(), "A2");
    EXPECT_TRUE(At(pane, "xSplit").is_null());
    EXPECT_EQ(At(sheet, "autofilter").as_string(), filters[i]) << i;
  }

  const JsonValue& records = Sheet(workbook, 0);
  ASSERT_EQ(At(records, "rows").items().size(), 1 + sheets[0].rows.size());
  // The header: bold text.
  const std::vector<std::string> headers = {"文書", "基準",   "ページ", "status",
                                            "回答", "vendor", "title"};
  for (size_t c = 0; c < headers.size(); ++c) {
    EXPECT_EQ(CellText(records, 0, c), headers[c]);
    EXPECT_TRUE(At(CellAt(records, 0, c), "bold").as_bool());
  }

  // One row per status: Japanese exact, numbers numbers, the status filled.
  for (size_t r = 1; r <= kStatusRows; ++r) {
    const std::string code(kStatusCodes[r - 1]);
    EXPECT_EQ(CellText(records, r, 0), "corpus/クラウド白書.pdf");
    EXPECT_EQ(CellText(records, r, 1), "実8");
    EXPECT_EQ(At(CellAt(records, r, 2), "kind").as_string(), "number");
    EXPECT_EQ(At(CellAt(records, r, 2), "v").as_number(), 12);
    const JsonValue& status = CellAt(records, r, 3);
    EXPECT_EQ(At(status, "v").as_string(), code);
    EXPECT_EQ(At(status, "fill").as_string(), Hex(StatusStyleOf(code)->fill)) << code;
    EXPECT_EQ(At(status, "font").as_string(), Hex(StatusStyleOf(code)->font)) << code;
    EXPECT_EQ(CellText(records, r, 4), "暗号鍵はHSMで管理しています。");
    EXPECT_TRUE(At(CellAt(records, r, 4), "wrap").as_bool());
    EXPECT_FALSE(At(CellAt(records, r, 0), "wrap").as_bool());
    EXPECT_TRUE(At(CellAt(records, r, 0), "fill").is_null());
  }

  // Would-be formulas stay strings; "" leaves the cell empty.
  const size_t odd = kStatusRows + 1;
  EXPECT_EQ(At(CellAt(records, odd, 0), "kind").as_string(), "string");
  EXPECT_EQ(CellText(records, odd, 0), "=HYPERLINK(\"http://evil.example/\",\"click\")");
  EXPECT_EQ(CellText(records, odd, 1), "+1");
  EXPECT_EQ(At(CellAt(records, odd, 2), "v").as_number(), -7);
  EXPECT_TRUE(CellAt(records, odd, 3).is_null());
  EXPECT_EQ(CellText(records, odd, 4), "@SUM(A1:A2)");
  EXPECT_EQ(CellText(records, odd, 5), "-1");
  EXPECT_EQ(CellText(records, odd, 6), "_x0041_");  // not "A"

  // Control characters, the 40,000-character answer, blanks kept.
  const size_t last = kStatusRows + 2;
  EXPECT_EQ(CellText(records, last, 0), "a\uFFFDb\tc\nd\uFFFD\uFFFDe");
  EXPECT_TRUE(CellAt(records, last, 2).is_null());
  EXPECT_EQ(At(CellAt(records, last, 3), "fill").as_string(), "000000");
  const std::string answer = CellText(records, last, 4);
  EXPECT_EQ(CodePointCount(answer), kXlsxMaxCellChars);
  EXPECT_TRUE(answer.starts_with(Repeat("あ", 1000)));
  EXPECT_TRUE(answer.ends_with(kTruncationMarker));
  EXPECT_EQ(CellText(records, last, 5), "  spaced  ");

  // Widths: Japanese counts double; long text wraps at 60; status codes fit.
  const double vendor = ColumnWidth(records, 5), title = ColumnWidth(records, 6);
  EXPECT_GE(vendor, 10);
  EXPECT_LT(vendor, 14);
  EXPECT_GE(title, 20);
  EXPECT_LT(title, 24);
  EXPECT_NEAR(ColumnWidth(records, 4), 60.7, 0.5);
  EXPECT_GE(ColumnWidth(records, 3), std::string("not_applicable").size());
  EXPECT_LE(ColumnWidth(records, 3), 17);
  // A header wider than its cells sets the width (with room for the
  // filter button).
  EXPECT_GE(ColumnWidth(Sheet(workbook, 1), 1), std::string("count").size() + 3);
}

TEST(XlsxExportTest, OpenpyxlReadsTheSameWorkbook) {
  TempDir dir;
  const std::string path = (dir.path() / "book.xlsx").string();
  {
    Result<std::unique_ptr<TableSink>> sink = OpenXlsx(path);
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, SampleWorkbook()));
  }
  int exit_code = 0;
  Result<JsonValue> by_openpyxl = RunReader({"--openpyxl", path}, &exit_code);
  if (exit_code == kReaderSkipped) {
    GTEST_SKIP() << "openpyxl cannot be imported (Debian: python3-openpyxl); the stdlib "
                    "reader checked the file";
  }
  ASSERT_OK(by_openpyxl);
  Result<JsonValue> by_stdlib = RunReader({path});
  ASSERT_OK(by_stdlib);

  const auto& sheets = At(*by_openpyxl, "sheets").items();
  ASSERT_EQ(sheets.size(), At(*by_stdlib, "sheets").items().size());
  for (size_t i = 0; i < sheets.size(); ++i) {
    const JsonValue& mine = Sheet(*by_stdlib, i);
    const JsonValue& theirs = sheets[i];
    EXPECT_EQ(At(theirs, "name").as_string(), At(mine, "name").as_string());
    EXPECT_EQ(At(theirs, "freeze_panes").as_string(), "A2");
    EXPECT_EQ(At(theirs, "autofilter").as_string(), At(mine, "autofilter").as_string());
    const auto& rows = At(theirs, "rows").items();
    ASSERT_EQ(rows.size(), At(mine, "rows").items().size()) << i;
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].items().size(); ++c) {
        const JsonValue& a = rows[r].items()[c];
        const JsonValue& b = CellAt(mine, r, c);
        if (a.is_null()) {
          EXPECT_TRUE(b.is_null()) << i << ":" << r << ":" << c;
          continue;
        }
        SCOPED_TRACE("sheet " + std::to_string(i) + " row " + std::to_string(r) + " column " +
                     std::to_string(c));
        EXPECT_EQ(At(a, "kind").as_string(), At(b, "kind").as_string());
        if (At(a, "v").is_string()) {
          EXPECT_EQ(At(a, "v").as_string(), At(b, "v").as_string());
        } else {
          EXPECT_EQ(At(a, "v").as_number(), At(b, "v").as_number());
        }
        EXPECT_EQ(At(a, "bold").as_bool(), At(b, "bold").as_bool());
        EXPECT_EQ(At(a, "wrap").as_bool(), At(b, "wrap").as_bool());
        EXPECT_EQ(At(a, "fill").is_null(), At(b, "fill").is_null());
        if (!At(a, "fill").is_null()) {
          EXPECT_EQ(At(a, "fill").as_string(), At(b, "fill").as_string());
          EXPECT_EQ(At(a, "font").as_string(), At(b, "font").as_string());
        }
      }
    }
  }
}

// Peak resident memory of this process, in bytes.
long PeakRss() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

TEST(XlsxExportTest, HundredThousandRowsStreamInBoundedMemory) {
  TempDir dir;
  const std::string path = (dir.path() / "big.xlsx").string();
  constexpr size_t kRows = 100000;
  const std::string answer = Repeat("クラウド事業者は暗号鍵をHSMで管理する。", 12);  // 684 bytes
  const long before = PeakRss();
  {
    Result<std::unique_ptr<TableSink>> sink = OpenXlsx(path);
    ASSERT_OK(sink);
    ASSERT_OK((*sink)->BeginSheet({"records",
                                   {{"document", ColumnKind::kText},
                                    {"page", ColumnKind::kNumber},
                                    {"status", ColumnKind::kStatus},
                                    {"answer", ColumnKind::kLongText}}}));
    for (size_t i = 0; i < kRows; ++i) {
      // Every answer differs: a writer holding the sheet could not share
      // one string among the rows.
      ASSERT_OK((*sink)->AddRow({"corpus/doc" + std::to_string(i % 97) + ".pdf", std::to_string(i),
                                 std::string(kStatusCodes[i % 9]), answer + std::to_string(i)}));
    }
    ASSERT_OK((*sink)->Finish());
  }
  // About 70 MB of cells went through; a writer that held them would grow
  // by more than that.
  const long growth = PeakRss() - before;
  EXPECT_LT(growth, 32L << 20) << "grew by " << (growth >> 20) << " MB";

  Result<JsonValue> read = RunReader({"--summary", path});
  ASSERT_OK(read);
  const JsonValue& sheet = Sheet(*read, 0);
  EXPECT_EQ(At(sheet, "row_count").as_number(), kRows + 1);
  const auto& last = At(sheet, "last_row").items();
  ASSERT_EQ(last.size(), 4u);
  EXPECT_EQ(last[1].as_number(), kRows - 1);
  EXPECT_EQ(last[3].as_string(), answer + std::to_string(kRows - 1));
}

TEST(XlsxExportTest, WorkbookWithoutRowsHasItsHeader) {
  TempDir dir;
  const std::string path = (dir.path() / "empty.xlsx").string();
  Result<std::unique_ptr<TableSink>> sink = OpenXlsx(path);
  ASSERT_OK(sink);
  ASSERT_OK(WriteAll(**sink, {{{"空", {{"件名", ColumnKind::kText}}}, {}}}));
  Result<JsonValue> read = RunReader({path});
  ASSERT_OK(read);
  EXPECT_EQ(CellText(Sheet(*read, 0), 0, 0), "件名");
  EXPECT_EQ(At(Sheet(*read, 0), "autofilter").as_string(), "A1");  // a one-cell range
}

TEST(XlsxExportTest, AbandonedExportLeavesNoFile) {
  TempDir dir;
  const fs::path path = dir.path() / "abandoned.xlsx";
  {
    Result<std::unique_ptr<TableSink>> sink = OpenXlsx(path.string());
    ASSERT_OK(sink);
    ASSERT_TRUE(fs::exists(path));  // opened at once to check the path
    ASSERT_OK((*sink)->BeginSheet({"s", {{"a", ColumnKind::kText}}}));
    ASSERT_OK((*sink)->AddRow({"x"}));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(XlsxExportTest, WriteErrorAtFinishCarriesLibxlsxwritersReason) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this machine";
  Result<std::unique_ptr<TableSink>> sink = OpenXlsx("/dev/full");
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->BeginSheet({"s", {{"a", ColumnKind::kText}}}));
  ASSERT_OK((*sink)->AddRow({"x"}));
  const Status status = (*sink)->Finish();
  EXPECT_EQ(status.code(), StatusCode::kIoError) << status.ToString();
  EXPECT_TRUE(status.message().starts_with("/dev/full: ")) << status.ToString();
  EXPECT_NE(status.message().find("rror"), std::string::npos) << status.ToString();
  EXPECT_TRUE(fs::exists("/dev/full"));  // never removed: it was not ours
}

// ---------------------------------------------------------------------------
// Errors every format shares.

using Opener = Result<std::unique_ptr<TableSink>> (*)(const std::string&);

Result<std::unique_ptr<TableSink>> OpenTestNdjson(const std::string& path) {
  return OpenNdjson(path, {"fiscdex", {}, IdForm::kSha256});
}

struct Format {
  const char* name;
  Opener open;
};
const Format kFormats[] = {
    {"xlsx", [](const std::string& p) { return OpenXlsx(p); }},
    {"csv", [](const std::string& p) { return OpenCsv(p); }},
    {"ndjson", OpenTestNdjson},
};

TEST(ExportErrorsTest, UnwritablePathIsAnIoErrorNamingPathAndReason) {
  TempDir dir;
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    const std::string missing = (dir.path() / "no such folder" / "out").string();
    Result<std::unique_ptr<TableSink>> sink = format.open(missing);
    ASSERT_FALSE(sink.ok());
    EXPECT_EQ(sink.status().code(), StatusCode::kIoError);
    EXPECT_EQ(sink.status().message(), missing + ": No such file or directory");

    sink = format.open(dir.path().string());
    ASSERT_FALSE(sink.ok());
    EXPECT_EQ(sink.status().code(), StatusCode::kIoError);
    EXPECT_EQ(sink.status().message(), dir.path().string() + ": Is a directory");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ExportErrorsTest, FolderWithoutWritePermissionIsAnIoError) {
  TempDir dir;
  const fs::path locked = dir.path() / "locked";
  fs::create_directory(locked);
  ASSERT_EQ(chmod(locked.c_str(), 0555), 0);
  {
    ::fiscdex::testing::ScopedNobody nobody(dir.path());
    if (!nobody.skip_reason().empty()) GTEST_SKIP() << nobody.skip_reason();
    for (const Format& format : kFormats) {
      SCOPED_TRACE(format.name);
      const std::string path = (locked / "out").string();
      Result<std::unique_ptr<TableSink>> sink = format.open(path);
      ASSERT_FALSE(sink.ok());
      EXPECT_EQ(sink.status().code(), StatusCode::kIoError);
      EXPECT_EQ(sink.status().message(), path + ": Permission denied");
    }
  }
  chmod(locked.c_str(), 0755);
}

TEST(ExportErrorsTest, MisuseIsInvalidArgumentAndErrorsStick) {
  TempDir dir;
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    Result<std::unique_ptr<TableSink>> opened = format.open((dir.path() / format.name).string());
    ASSERT_OK(opened);
    TableSink& sink = **opened;
    EXPECT_EQ(sink.AddRow({"x"}).code(), StatusCode::kInvalidArgument);
    // The first error sticks: the same Status comes back.
    const Status again = sink.BeginSheet({"s", {{"a", ColumnKind::kText}}});
    EXPECT_EQ(again.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(again.message().find("AddRow before BeginSheet"), std::string::npos);
    EXPECT_EQ(sink.Finish().code(), StatusCode::kInvalidArgument);
  }
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    Result<std::unique_ptr<TableSink>> opened =
        format.open((dir.path() / (std::string(format.name) + "2")).string());
    ASSERT_OK(opened);
    TableSink& sink = **opened;
    EXPECT_EQ(sink.BeginSheet({"s", {}}).code(), StatusCode::kInvalidArgument);
  }
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    Result<std::unique_ptr<TableSink>> opened =
        format.open((dir.path() / (std::string(format.name) + "3")).string());
    ASSERT_OK(opened);
    TableSink& sink = **opened;
    ASSERT_OK(sink.BeginSheet({"s", {{"n", ColumnKind::kNumber}}}));
    EXPECT_EQ(sink.AddRow({"twelve"}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(sink.AddRow({"12"}).code(), StatusCode::kInvalidArgument);  // sticky
  }
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    Result<std::unique_ptr<TableSink>> opened =
        format.open((dir.path() / (std::string(format.name) + "4")).string());
    ASSERT_OK(opened);
    TableSink& sink = **opened;
    ASSERT_OK(sink.BeginSheet({"s", {{"n", ColumnKind::kNumber}}}));
    ASSERT_OK(sink.Finish());
    EXPECT_EQ(sink.Finish().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(sink.AddRow({"1"}).code(), StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------
// CSV.

const SheetSpec kCsvSheet{"s",
                          {{"名前", ColumnKind::kText},
                           {"数", ColumnKind::kNumber},
                           {"status", ColumnKind::kStatus},
                           {"本文", ColumnKind::kLongText}}};
const std::vector<std::vector<std::string>> kCsvRows = {
    {"暗号鍵", "12", "implemented", "say \"hi\""},
    {"複数行\nの値", "-3", "", "=1+2"},
    {"+81", "", "missing", "-1"},
    {"@SUM(A1)", "0", "partial", "\tx"},
    {"\rx", "7", "", "a,b"},
    {"", "", "", ""},
};

TEST(CsvExportTest, BytesAreAsExcelOpensThem) {
  TempDir dir;
  const fs::path path = dir.path() / "out.csv";
  {
    Result<std::unique_ptr<TableSink>> sink = OpenCsv(path.string());
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, {{kCsvSheet, kCsvRows}}));
  }
  const std::string expected =
      "\xEF\xBB\xBF"
      "\"名前\",\"数\",\"status\",\"本文\"\r\n"
      "\"暗号鍵\",\"12\",\"implemented\",\"say \"\"hi\"\"\"\r\n"
      "\"複数行\nの値\",\"-3\",\"\",\"'=1+2\"\r\n"
      "\"'+81\",\"\",\"missing\",\"'-1\"\r\n"
      "\"'@SUM(A1)\",\"0\",\"partial\",\"'\tx\"\r\n"
      "\"'\rx\",\"7\",\"\",\"a,b\"\r\n"
      "\"\",\"\",\"\",\"\"\r\n";
  EXPECT_EQ(ReadFileOrDie(path), expected);

  Result<JsonValue> read = RunReader({"--csv", path.string()});
  ASSERT_OK(read);
  const auto& rows = At(*read, "rows").items();
  ASSERT_EQ(rows.size(), 1 + kCsvRows.size());
  for (size_t c = 0; c < kCsvSheet.columns.size(); ++c) {
    EXPECT_EQ(rows[0].items()[c].as_string(), kCsvSheet.columns[c].header);
  }
  // What the csv module reads is the cell, after the guard's apostrophe.
  const auto guarded = [](const std::string& cell, ColumnKind kind) {
    const bool risky =
        !cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos;
    return kind != ColumnKind::kNumber && risky ? "'" + cell : cell;
  };
  for (size_t r = 0; r < kCsvRows.size(); ++r) {
    ASSERT_EQ(rows[r + 1].items().size(), kCsvRows[r].size());
    for (size_t c = 0; c < kCsvRows[r].size(); ++c) {
      EXPECT_EQ(rows[r + 1].items()[c].as_string(),
                guarded(kCsvRows[r][c], kCsvSheet.columns[c].kind))
          << r << ":" << c;
    }
  }
  // Spelled out:
  EXPECT_EQ(rows[1].items()[3].as_string(), "say \"hi\"");
  EXPECT_EQ(rows[2].items()[0].as_string(), "複数行\nの値");
  EXPECT_EQ(rows[2].items()[1].as_string(), "-3");
  EXPECT_EQ(rows[2].items()[3].as_string(), "'=1+2");
  EXPECT_EQ(rows[3].items()[0].as_string(), "'+81");
  EXPECT_EQ(rows[4].items()[3].as_string(), "'\tx");
  EXPECT_EQ(rows[5].items()[0].as_string(), "'\rx");
}

TEST(CsvExportTest, WritesToAStreamTheCallerOwns) {
  TempDir dir;
  const fs::path path = dir.path() / "stream.csv";
  std::FILE* stream = std::fopen(path.c_str(), "wb");
  ASSERT_NE(stream, nullptr);
  {
    Result<std::unique_ptr<TableSink>> sink = OpenCsv(stream, "<stream>");
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, {{kCsvSheet, {kCsvRows[0]}}}));
  }
  // Still open: the sink only flushed it.
  EXPECT_GE(std::fputs("tail", stream), 0);
  ASSERT_EQ(std::fclose(stream), 0);
  const std::string bytes = ReadFileOrDie(path);
  EXPECT_TRUE(bytes.starts_with("\xEF\xBB\xBF\"名前\"")) << bytes;
  EXPECT_TRUE(bytes.ends_with("\"say \"\"hi\"\"\"\r\ntail")) << bytes;
}

TEST(CsvExportTest, SecondSheetIsInvalidArgument) {
  TempDir dir;
  Result<std::unique_ptr<TableSink>> sink = OpenCsv((dir.path() / "one.csv").string());
  ASSERT_OK(sink);
  ASSERT_OK((*sink)->BeginSheet(kCsvSheet));
  const Status status = (*sink)->BeginSheet({"second", {{"a", ColumnKind::kText}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("one sheet"), std::string::npos) << status.ToString();
}

TEST(CsvExportTest, FullDiskIsAnIoError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this machine";
  Result<std::unique_ptr<TableSink>> sink = OpenCsv("/dev/full");
  ASSERT_OK(sink);
  // stdio buffers: the error shows at a later row or at Finish.
  Status status = (*sink)->BeginSheet(kCsvSheet);
  for (int i = 0; i < 1000 && status.ok(); ++i) status = (*sink)->AddRow(kCsvRows[0]);
  if (status.ok()) status = (*sink)->Finish();
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_EQ(status.message(), "/dev/full: No space left on device");
}

// ---------------------------------------------------------------------------
// NDJSON.

// The record fields the CLI exports (doc/export.md).
const SheetSpec kRecordSheet{"records",
                             {{"document", ColumnKind::kText},
                              {"vendor", ColumnKind::kText},
                              {"title", ColumnKind::kText},
                              {"edition", ColumnKind::kNumber},
                              {"date", ColumnKind::kText},
                              {"version", ColumnKind::kText},
                              {"criterion_id", ColumnKind::kText},
                              {"family", ColumnKind::kText},
                              {"criterion_title", ColumnKind::kText},
                              {"answer", ColumnKind::kLongText},
                              {"status", ColumnKind::kStatus},
                              {"status_evidence", ColumnKind::kLongText},
                              {"page", ColumnKind::kNumber},
                              {"columns", ColumnKind::kJson}}};

std::vector<std::vector<std::string>> RecordRows() {
  return {
      {"corpus/クラウド白書.pdf", "例示クラウド株式会社", "FISC安全対策基準対応状況", "12",
       "2024-03-01", "1.2", "実8", "実", "暗号鍵の管理",
       "暗号鍵はHSMで管理しています。\n鍵は年1回更新。", "implemented", "対応済み", "3",
       "[{\"header\": \"対応\", \"text\": \"〇\", \"status\": \"implemented\"},\n"
       " {\"header\": \"備考\", \"text\": \"\\\"HSM\\\"\", \"status\": null}]"},
      {"corpus/クラウド白書.pdf", "例示クラウド株式会社", "FISC安全対策基準対応状況", "12",
       "2024-03-01", "1.2", "統1", "統", "", "", "", "", "", ""},
      {"corpus/other#1.md", "Other", "", "", "", "", "設83-1", "設", "", "=cmd", "missing", "",
       "-1", "[]"},
  };
}

std::vector<std::string> Lines(const std::string& bytes) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      lines.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  }
  if (start != bytes.size()) lines.push_back(bytes.substr(start) + "<no final newline>");
  return lines;
}

TEST(NdjsonExportTest, ActionAndSourceLinesAlternate) {
  TempDir dir;
  const fs::path path = dir.path() / "records.ndjson";
  const auto rows = RecordRows();
  {
    Result<std::unique_ptr<TableSink>> sink =
        OpenNdjson(path.string(), {"fiscdex", {"document", "criterion_id"}, IdForm::kSha256});
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, {{kRecordSheet, rows}}));
  }
  const std::string bytes = ReadFileOrDie(path);
  // Japanese as UTF-8, not \u-escaped.
  EXPECT_NE(bytes.find("\"criterion_id\":\"実8\""), std::string::npos);
  const std::vector<std::string> lines = Lines(bytes);
  ASSERT_EQ(lines.size(), 2 * rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    Result<JsonValue> action = ParseJson(lines[2 * r]);
    ASSERT_OK(action);
    const JsonValue& index = At(*action, "index");
    ASSERT_EQ(action->members().size(), 1u);
    EXPECT_EQ(At(index, "_index").as_string(), "fiscdex");
    EXPECT_EQ(At(index, "_id").as_string(), Sha256Hex(rows[r][0] + "#" + rows[r][6]));

    Result<JsonValue> source = ParseJson(lines[2 * r + 1]);
    ASSERT_OK(source);
    ASSERT_EQ(source->members().size(), kRecordSheet.columns.size());
    for (size_t c = 0; c < kRecordSheet.columns.size(); ++c) {
      const ColumnSpec& column = kRecordSheet.columns[c];
      const auto& [key, value] = source->members()[c];
      EXPECT_EQ(key, column.header);
      const std::string& cell = rows[r][c];
      if (cell.empty()) {
        EXPECT_TRUE(value.is_null()) << key;
      } else if (column.kind == ColumnKind::kNumber) {
        EXPECT_EQ(value.as_number(), std::stod(cell)) << key;
      } else if (column.kind == ColumnKind::kJson) {
        EXPECT_TRUE(value.is_array()) << key;
      } else {
        EXPECT_EQ(value.as_string(), cell) << key;
      }
    }
  }
  const JsonValue columns = *ParseJson(lines[1])->Find("columns");
  ASSERT_EQ(columns.items().size(), 2u);
  EXPECT_EQ(At(columns.items()[0], "text").as_string(), "〇");
  EXPECT_EQ(At(columns.items()[1], "text").as_string(), "\"HSM\"");
  EXPECT_TRUE(At(columns.items()[1], "status").is_null());
}

TEST(NdjsonExportTest, VerbatimIdIsDocumentHashCriterion) {
  TempDir dir;
  const fs::path path = dir.path() / "verbatim.ndjson";
  {
    Result<std::unique_ptr<TableSink>> sink = OpenNdjson(
        path.string(), {"fiscdex-2024", {"document", "criterion_id"}, IdForm::kVerbatim});
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, {{kRecordSheet, RecordRows()}}));
  }
  const std::vector<std::string> lines = Lines(ReadFileOrDie(path));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0],
            "{\"index\":{\"_index\":\"fiscdex-2024\",\"_id\":\"corpus/クラウド白書.pdf#実8\"}}");
  EXPECT_EQ(lines[4],
            "{\"index\":{\"_index\":\"fiscdex-2024\",\"_id\":\"corpus/other#1.md#設83-1\"}}");
}

TEST(NdjsonExportTest, WithoutIdFieldsOpenSearchAssignsIds) {
  std::FILE* stream = std::tmpfile();
  ASSERT_NE(stream, nullptr);
  {
    Result<std::unique_ptr<TableSink>> sink =
        OpenNdjson(stream, "<tmp>", {"fiscdex", {}, IdForm::kSha256});
    ASSERT_OK(sink);
    ASSERT_OK(WriteAll(**sink, {{{"s", {{"名前", ColumnKind::kText, "name"}}}, {{"値"}}}}));
  }
  std::rewind(stream);
  char buffer[256] = {};
  const size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, stream);
  std::fclose(stream);
  EXPECT_EQ(std::string(buffer, n), "{\"index\":{\"_index\":\"fiscdex\"}}\n{\"name\":\"値\"}\n");
}

TEST(NdjsonExportTest, RefusesWhatWouldBreakTheBulkRequest) {
  EXPECT_OK(CheckIndexName("fiscdex"));
  EXPECT_OK(CheckIndexName("fiscdex-2024.03"));
  for (std::string_view bad :
       {"", "FiscDex", "_x", "-x", "+x", "a b", "a,b", "a/b", "a#b", "a:b", ".", ".."}) {
    EXPECT_EQ(CheckIndexName(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  TempDir dir;
  const std::string path = (dir.path() / "bad.ndjson").string();
  EXPECT_EQ(OpenNdjson(path, {"Fiscdex", {}, IdForm::kSha256}).status().code(),
            StatusCode::kInvalidArgument);

  struct Case {
    const char* name;
    std::vector<std::string> id_fields;
    SheetSpec sheet;
    std::vector<std::string> row;
    std::string error;
  } cases[] = {
      {"unknown id field",
       {"path"},
       {"s", {{"document", ColumnKind::kText}}},
       {},
       "id field 'path'"},
      {"same field twice",
       {},
       {"s", {{"a", ColumnKind::kText}, {"b", ColumnKind::kText, "a"}}},
       {},
       "field 'a' twice"},
      {"empty id value",
       {"document"},
       {"s", {{"document", ColumnKind::kText}}},
       {""},
       "id value 1 is empty"},
      {"not JSON", {}, {"s", {{"columns", ColumnKind::kJson}}}, {"[{\"a\": 1,}]"}, "not JSON"},
      {"raw newline in a JSON string",
       {},
       {"s", {{"columns", ColumnKind::kJson}}},
       {"[\"a\nb\"]"},
       "control character"},
      {"text after JSON", {}, {"s", {{"columns", ColumnKind::kJson}}}, {"[] []"}, "text after"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::unique_ptr<TableSink>> sink =
        OpenNdjson(path, {"fiscdex", c.id_fields, IdForm::kSha256});
    ASSERT_OK(sink);
    Status status = (*sink)->BeginSheet(c.sheet);
    if (status.ok()) status = (*sink)->AddRow(c.row);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(c.error), std::string::npos) << status.ToString();
  }
  const std::string long_path = Repeat("長", 200);
  EXPECT_EQ(BulkId({long_path, "実8"}, IdForm::kVerbatim).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(BulkId({long_path, "実8"}, IdForm::kSha256)->size(), 64u);
}

// ---------------------------------------------------------------------------
// The index template.

TEST(OpenSearchTemplateTest, MapsEveryRecordFieldWithKuromoji) {
  const std::string text =
      ReadFileOrDie(fs::path(FISCDEX_SOURCE_DIR) / "data" / "opensearch_template.json");
  Result<JsonValue> parsed = ParseJson(text);
  ASSERT_OK(parsed);
  const JsonValue& tmpl = At(*parsed, "template");
  const JsonValue& properties = At(At(tmpl, "mappings"), "properties");
  for (const ColumnSpec& column : kRecordSheet.columns) {
    EXPECT_TRUE(properties.Find(column.header) != nullptr) << column.header;
  }
  const std::pair<const char*, const char*> types[] = {
      {"document", "keyword"}, {"vendor", "keyword"},       {"criterion_id", "keyword"},
      {"family", "keyword"},   {"status", "keyword"},       {"edition", "integer"},
      {"date", "date"},        {"page", "integer"},         {"answer", "text"},
      {"title", "text"},       {"criterion_title", "text"}, {"status_evidence", "text"},
      {"columns", "nested"},
  };
  for (const auto& [field, type] : types) {
    EXPECT_EQ(At(At(properties, field), "type").as_string(), type) << field;
  }
  EXPECT_EQ(At(At(properties, "answer"), "analyzer").as_string(), "fiscdex_ja");
  const JsonValue& analyzer =
      At(At(At(At(tmpl, "settings"), "analysis"), "analyzer"), "fiscdex_ja");
  EXPECT_EQ(At(analyzer, "tokenizer").as_string(), "kuromoji_tokenizer");
  std::vector<std::string> filters;
  for (const JsonValue& f : At(analyzer, "filter").items()) filters.push_back(f.as_string());
  for (const char* f : {"kuromoji_baseform", "kuromoji_part_of_speech", "cjk_width", "ja_stop",
                        "kuromoji_stemmer", "lowercase"}) {
    EXPECT_NE(std::find(filters.begin(), filters.end(), f), filters.end()) << f;
  }
}

}  // namespace
}  // namespace fiscdex::exporting
