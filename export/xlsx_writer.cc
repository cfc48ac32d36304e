// How the sink uses libxlsxwriter's constant-memory mode: a worksheet's
// rows go to a temporary file as they are written and cannot be touched
// again, but everything else of the sheet (column widths, the autofilter,
// the frozen pane) is kept in memory and written only at workbook_close
// (lxw_worksheet_assemble_xml_file writes <cols> and <autoFilter> around the
// streamed <sheetData>). So the sink measures the display width of every
// cell as it streams by, keeping one number per column, and sets the widths
// and the autofilter when the sheet ends: widths fit the whole column, not a
// sample, with no row held back.
#include "export/xlsx_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <utility>

#include "base/text.h"
#include "base/utf8.h"

namespace fiscdex::exporting {
namespace {

// Decodes the code point at s[*i] and moves past it; an ill-formed byte
// decodes to U+FFFD on its own, so every byte is consumed exactly once.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const int n = WellFormedUtf8Length(s, *i);
  const auto byte = [&](int k) { return static_cast<unsigned char>(s[*i + k]); };
  char32_t cp;
  switch (n) {
    case 0:
      ++*i;
      return 0xFFFD;
    case 1:
      cp = byte(0);
      break;
    case 2:
      cp = (byte(0) & 0x1Fu) << 6 | (byte(1) & 0x3Fu);
      break;
    case 3:
      cp = (byte(0) & 0x0Fu) << 12 | (byte(1) & 0x3Fu) << 6 | (byte(2) & 0x3Fu);
      break;
    default:
      cp = (byte(0) & 0x07u) << 18 | (byte(1) & 0x3Fu) << 12 | (byte(2) & 0x3Fu) << 6 |
           (byte(3) & 0x3Fu);
      break;
  }
  *i += static_cast<size_t>(n);
  return cp;
}

struct Range {
  char32_t first, last;
};

bool InRanges(char32_t cp, const Range* ranges, size_t count) {
  const Range* end = ranges + count;
  const Range* it =
      std::upper_bound(ranges, end, cp, [](char32_t c, const Range& r) { return c < r.first; });
  return it != ranges && cp <= (it - 1)->last;
}

// Unicode's East Asian Width W and F: the CJK, kana, Hangul and full-width
// blocks exactly, the emoji presentation blocks roughly (a whitepaper has few).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

// Combining marks, zero-width characters and variation selectors: drawn on
// the character before them. (The kana voiced marks U+3099-309A are W in
// the table, but combine.)
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// The fills follow Okabe & Ito's colour-blind-safe palette ("Color Universal
// Design", 2008), with greys for the neutral statuses; the font is the one
// of black and white with the higher contrast on the fill (WCAG 2 AA, 4.5:1,
// on every fill). In greyscale the statuses a gap analysis turns on stay
// apart by lightness: missing (black) < blank < implemented < partial;
// doc/export.md gives the whole table.
constexpr StatusStyle kStatusStyles[] = {
    {"implemented", 0x56B4E9, 0x000000},     // sky blue
    {"partial", 0xF0E442, 0x000000},         // yellow
    {"provider", 0x009E73, 0x000000},        // bluish green
    {"customer", 0x0072B2, 0xFFFFFF},        // blue
    {"not_applicable", 0xEEEEEE, 0x000000},  // light grey
    {"blank", 0xD55E00, 0x000000},           // vermillion
    {"retired", 0xBBBBBB, 0x000000},         // grey
    {"reference", 0xCC79A7, 0x000000},       // reddish purple
    {"missing", 0x000000, 0xFFFFFF},         // black
};
static_assert(std::size(kStatusStyles) == kStatusCodes.size());

constexpr std::string_view kTruncatedMarker = "…[truncated; the full text has ";

// Widths in Excel's unit (the width of '0' in the default font), at most
// this much per kind: short text stays on one line up to a sensible width,
// long text wraps at 60, numbers and status codes never need more.
double MaxColumnWidth(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kNumber:
      return 15;
    case ColumnKind::kStatus:
      return 16;
    case ColumnKind::kText:
      return 50;
    case ColumnKind::kLongText:
    case ColumnKind::kJson:
      return 60;
  }
  return 50;
}

// libxlsxwriter takes 0 for "no colour" and has its own value for black.
lxw_color_t LxwColor(uint32_t rgb) {
  return rgb == 0 ? static_cast<lxw_color_t>(LXW_COLOR_BLACK) : rgb;
}

// libxlsxwriter's error convention (an lxw_error described by lxw_strerror;
// errno set by the system call behind a failed file operation) as a Status.
// `saved_errno` is errno right after the failed call, 0 if it set none.
Status LxwStatus(lxw_error error, const std::string& path, int saved_errno) {
  std::string message = path + ": " + lxw_strerror(error);
  switch (error) {
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
      if (saved_errno != 0) message += std::string(" (") + std::strerror(saved_errno) + ")";
      return Status::IoError(message);
    default:
      return Status::Internal(message);
  }
}

// The case folding Excel applies when it compares sheet names, as far as
// it matters here: ASCII and full-width Latin letters.
std::string FoldSheetName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    char32_t cp = NextCodePoint(name, &i);
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (cp >= 0xFF21 && cp <= 0xFF3A) cp += 0xFF41 - 0xFF21;
    AppendUtf8(cp, &out);
  }
  return out;
}

size_t Utf16Units(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// The longest prefix of `s` (whole code points) of at most `max_units`.
std::string_view Utf16Prefix(std::string_view s, size_t max_units) {
  size_t units = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    units += Utf16Units(NextCodePoint(s, &i));
    if (units > max_units) return s.substr(0, start);
  }
  return s;
}

class XlsxSink final : public TableSink {
 public:
  XlsxSink(std::string path, bool created_file)
      : path_(std::move(path)), created_file_(created_file) {}

  ~XlsxSink() override {
    if (workbook_ != nullptr) {
      // lxw_workbook_free does not close the temporary file that holds each
      // constant-memory sheet's rows; only workbook_close does.
      for (lxw_worksheet* sheet : worksheets_) {
        if (sheet->optimize_tmpfile != nullptr) std::fclose(sheet->optimize_tmpfile);
        sheet->optimize_tmpfile = nullptr;
        sheet->file = nullptr;
      }
    }
    if (!finished_ && created_file_) unlink(path_.c_str());
  }

  Status Init() {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    workbook_.reset(workbook_new_opt(path_.c_str(), &options));
    if (workbook_ == nullptr) return Status::Internal(path_ + ": libxlsxwriter: out of memory");
    lxw_workbook* wb = workbook_.get();

    header_ = workbook_add_format(wb);
    format_set_bold(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    // Body cells align to the top: beside a wrapped answer of ten lines, a
    // criterion ID at the bottom of its cell would be hard to pair with it.
    text_ = workbook_add_format(wb);
    format_set_align(text_, LXW_ALIGN_VERTICAL_TOP);
    long_text_ = workbook_add_format(wb);
    format_set_align(long_text_, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(long_text_);
    for (size_t i = 0; i < std::size(kStatusStyles); ++i) {
      lxw_format* format = workbook_add_format(wb);
      format_set_align(format, LXW_ALIGN_VERTICAL_TOP);
      format_set_pattern(format, LXW_PATTERN_SOLID);
      format_set_bg_color(format, LxwColor(kStatusStyles[i].fill));
      format_set_font_color(format, LxwColor(kStatusStyles[i].font));
      status_[i] = format;
    }
    return Status::Ok();
  }

  Status BeginSheet(const SheetSpec& spec) override {
    RETURN_IF_ERROR(CheckUsable());
    RETURN_IF_ERROR(Fail(EndSheet()));
    if (spec.columns.empty()) {
      return Fail(Status::InvalidArgument("sheet '" + spec.name + "' has no columns"));
    }
    if (spec.columns.size() > LXW_COL_MAX) {
      return Fail(Status::InvalidArgument("sheet '" + spec.name + "' has " +
                                          std::to_string(spec.columns.size()) +
                                          " columns; Excel holds at most 16,384"));
    }
    std::string name = ExcelSheetName(spec.name, names_);
    lxw_worksheet* ws = workbook_add_worksheet(workbook_.get(), name.c_str());
    if (ws == nullptr) {
      // The name is valid and unique, so what failed is the temporary file
      // of a constant-memory sheet (or memory).
      return Fail(Status::IoError(path_ + ": cannot create a temporary file for sheet '" + name +
                                  "': " + std::strerror(errno)));
    }
    worksheets_.push_back(ws);
    names_.push_back(name);
    worksheet_freeze_panes(ws, 1, 0);

    sheet_ = ws;
    spec_ = spec;
    next_row_ = 1;
    widths_.assign(spec.columns.size(), 0);
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      const std::string text = XlsxCellText(spec.columns[c].header);
      // Bold text and the autofilter's drop-down button need about three
      // more columns than the plain text.
      widths_[c] = DisplayWidth(text) + 3;
      RETURN_IF_ERROR(Fail(Write(
          0, c, worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), text.c_str(), header_))));
    }
    return Status::Ok();
  }

  Status AddRow(const std::vector<std::string>& cells) override {
    RETURN_IF_ERROR(CheckUsable());
    if (sheet_ == nullptr) return Fail(Status::InvalidArgument("AddRow before BeginSheet"));
    RETURN_IF_ERROR(Fail(CheckRow(spec_, cells, next_row_)));
    if (next_row_ >= LXW_ROW_MAX) {
      return Fail(Status::InvalidArgument(
          "sheet '" + spec_.name +
          "': more rows than Excel's 1,048,576 (header included); export CSV or NDJSON"));
    }
    const lxw_row_t row = next_row_++;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string& cell = cells[c];
      if (cell.empty()) continue;
      const ColumnKind kind = spec_.columns[c].kind;
      const auto col = static_cast<lxw_col_t>(c);
      lxw_error error = LXW_NO_ERROR;
      switch (kind) {
        case ColumnKind::kNumber: {
          // CheckRow vouched for the digits: at most 15, exact as a double.
          long long value = 0;
          std::from_chars(cell.data(), cell.data() + cell.size(), value);
          error = worksheet_write_number(sheet_, row, col, static_cast<double>(value), text_);
          widths_[c] = std::max(widths_[c], cell.size());
          break;
        }
        case ColumnKind::kStatus: {
          // CheckRow vouched for the code; the test StatusStyleTest.EveryCodeHasOne
          // that every code has a style.
          size_t index = 0;
          while (index + 1 < std::size(kStatusStyles) && kStatusStyles[index].code != cell) {
            ++index;
          }
          error = worksheet_write_string(sheet_, row, col, cell.c_str(), status_[index]);
          widths_[c] = std::max(widths_[c], cell.size());
          break;
        }
        case ColumnKind::kText:
        case ColumnKind::kLongText:
        case ColumnKind::kJson: {
          const std::string text = XlsxCellText(cell);
          error = worksheet_write_string(sheet_, row, col, text.c_str(),
                                         kind == ColumnKind::kLongText ? long_text_ : text_);
          // Past the cap the measure no longer matters; long answers are
          // the bulk of an export, so skip measuring them.
          if (static_cast<double>(widths_[c]) < MaxColumnWidth(kind)) {
            widths_[c] = std::max(widths_[c], DisplayWidth(text));
          }
          break;
        }
      }
      RETURN_IF_ERROR(Fail(Write(row, c, error)));
    }
    return Status::Ok();
  }

  Status Finish() override {
    RETURN_IF_ERROR(CheckUsable());
    RETURN_IF_ERROR(Fail(EndSheet()));
    errno = 0;
    // workbook_close writes the file and frees the workbook, whatever it
    // returns.
    const lxw_error error = workbook_close(workbook_.release());
    const int saved_errno = errno;
    worksheets_.clear();
    if (error != LXW_NO_ERROR) {
      // A half-written zip is no workbook; remove it if it is ours.
      if (created_file_) unlink(path_.c_str());
      created_file_ = false;
      return Fail(LxwStatus(error, path_, saved_errno));
    }
    finished_ = true;
    return Status::Ok();
  }

 private:
  struct WorkbookFree {
    void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
  };

  Status CheckUsable() const {
    if (!error_.ok()) return error_;
    if (workbook_ == nullptr) return Status::InvalidArgument(path_ + ": already finished");
    return Status::Ok();
  }

  Status Fail(Status status) {
    if (!status.ok()) error_ = status;
    return status;
  }

  Status Write(lxw_row_t row, size_t col, lxw_error error) const {
    if (error == LXW_NO_ERROR) return Status::Ok();
    return LxwStatus(error, path_, errno)
        .WithContext("sheet '" + names_.back() + "' row " + std::to_string(row) + " column " +
                     std::to_string(col + 1));
  }

  // Sets what can only be known once the sheet's last row is: the widths
  // and the autofilter's range.
  Status EndSheet() {
    if (sheet_ == nullptr) return Status::Ok();
    lxw_worksheet* ws = sheet_;
    sheet_ = nullptr;
    for (size_t c = 0; c < widths_.size(); ++c) {
      const double width = std::clamp(static_cast<double>(widths_[c]) + 1, 6.0,
                                      MaxColumnWidth(spec_.columns[c].kind));
      const auto col = static_cast<lxw_col_t>(c);
      const lxw_error error = worksheet_set_column(ws, col, col, width, nullptr);
      if (error != LXW_NO_ERROR) return LxwStatus(error, path_, 0);
    }
    const lxw_error error =
        worksheet_autofilter(ws, 0, 0, next_row_ - 1, static_cast<lxw_col_t>(widths_.size() - 1));
    if (error != LXW_NO_ERROR) return LxwStatus(error, path_, 0);
    return Status::Ok();
  }

  std::string path_;
  bool created_file_;  // this sink created path_ (and may remove it)
  bool finished_ = false;
  Status error_;
  std::unique_ptr<lxw_workbook, WorkbookFree> workbook_;
  std::vector<lxw_worksheet*> worksheets_;  // owned by the workbook
  std::vector<std::string> names_;          // of the sheets so far
  // Formats are owned by the workbook.
  lxw_format* header_ = nullptr;
  lxw_format* text_ = nullptr;
  lxw_format* long_text_ = nullptr;
  lxw_format* status_[std::size(kStatusStyles)] = {};

  // The sheet being written, or nullptr.
  lxw_worksheet* sheet_ = nullptr;
  SheetSpec spec_;
  lxw_row_t next_row_ = 1;
  std::vector<size_t> widths_;  // widest display width seen, per column
};

}  // namespace

Result<std::unique_ptr<TableSink>> OpenXlsx(const std::string& path) {
  // libxlsxwriter opens the file only in workbook_close, after the whole
  // export; opening it now reports a bad path before any work is done.
  // O_EXCL tells whether the file is ours to remove if the export fails;
  // O_NONBLOCK keeps a FIFO without a reader from hanging the check.
  bool created = true;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, 0666);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  }
  if (fd < 0) return Status::IoError(path + ": " + std::strerror(errno));
  close(fd);

  auto sink = std::make_unique<XlsxSink>(path, created);
  RETURN_IF_ERROR(sink->Init());
  return std::unique_ptr<TableSink>(std::move(sink));
}

std::optional<StatusStyle> StatusStyleOf(std::string_view code) {
  for (const StatusStyle& style : kStatusStyles) {
    if (style.code == code) return style;
  }
  return std::nullopt;
}

std::string XlsxCellText(std::string_view cell) {
  // The marker names the length of the whole text, so count it first; then
  // copy, remembering the last place where the marker would still fit.
  size_t total = 0;
  for (size_t i = 0; i < cell.size(); ++total) NextCodePoint(cell, &i);
  const std::string marker = std::string(kTruncatedMarker) + std::to_string(total) + " characters]";
  const size_t budget = kXlsxMaxCellChars - CodePointCount(marker);

  std::string out;
  size_t units = 0;  // UTF-16 code units in `out`, as Excel counts
  size_t cut = 0;    // out.size() at the last character boundary within budget
  for (size_t i = 0; i < cell.size();) {
    const size_t start = i;
    char32_t cp = NextCodePoint(cell, &i);
    if (cp == '\r') {
      if (i < cell.size() && cell[i] == '\n') continue;  // the LF follows
      cp = '\n';
    } else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) {
      cp = 0xFFFD;
    }
    // OOXML reads "_xHHHH_" in a string as the character U+HHHH; the text
    // "_x0041_" stays itself only with its '_' written as "_x005F_".
    const std::string_view rest = cell.substr(start);
    if (cp == '_' && rest.size() >= 7 && rest[1] == 'x' && rest[6] == '_' &&
        std::all_of(rest.begin() + 2, rest.begin() + 6,
                    [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      out += "_x005F_";
      units += 7;  // libxlsxwriter counts the escape against the limit
    } else {
      AppendUtf8(cp, &out);
      units += Utf16Units(cp);
    }
    if (units > kXlsxMaxCellChars) {
      out.resize(cut);
      return out + marker;
    }
    if (units <= budget) cut = out.size();
  }
  return out;
}

size_t DisplayWidth(std::string_view utf8) {
  size_t widest = 0, width = 0;
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, &i);
    if (cp == '\n') {
      widest = std::max(widest, width);
      width = 0;
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
               InRanges(cp, kZeroWidth, std::size(kZeroWidth))) {
      // Nothing drawn.
    } else if (InRanges(cp, kWide, std::size(kWide))) {
      width += 2;
    } else {
      width += 1;
    }
  }
  return std::max(widest, width);
}

std::string ExcelSheetName(std::string_view wanted, const std::vector<std::string>& taken) {
  std::string name;
  for (size_t i = 0; i < wanted.size();) {
    char32_t cp = NextCodePoint(wanted, &i);
    if (cp < 0x80 &&
        (cp < 0x20 || cp == 0x7F ||
         std::string_view("[]:*?/\\").find(static_cast<char>(cp)) != std::string_view::npos)) {
      cp = '_';
    }
    AppendUtf8(cp, &name);
  }
  std::string_view trimmed = Utf16Prefix(name, 31);
  while (!trimmed.empty() && trimmed.front() == '\'') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == '\'') trimmed.remove_suffix(1);
  std::string base(trimmed);
  if (base.empty()) base = "Sheet";
  if (FoldSheetName(base) == "history") base += "_";

  std::vector<std::string> folded;
  folded.reserve(taken.size());
  for (const std::string& t : taken) folded.push_back(FoldSheetName(t));
  const auto is_taken = [&](const std::string& candidate) {
    return std::find(folded.begin(), folded.end(), FoldSheetName(candidate)) != folded.end();
  };
  if (!is_taken(base)) return base;
  for (size_t n = 2;; ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    std::string stem(Utf16Prefix(base, 31 - suffix.size()));
    while (!stem.empty() && stem.front() == '\'') stem.erase(0, 1);
    const std::string candidate = stem + suffix;
    if (!is_taken(candidate)) return candidate;
  }
}

}  // namespace fiscdex::exporting
