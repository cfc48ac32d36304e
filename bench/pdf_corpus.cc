#include "bench/pdf_corpus.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fiscdex::bench {
namespace {

namespace fs = std::filesystem;

// Answers cycle through these so that pages differ in more than their IDs
// and the lines vary in width, as a vendor's answers do.
constexpr std::string_view kAnswers[] = {
    "Access logs are kept for one year and reviewed every month.",
    "Backups are encrypted and stored in a second region.",
    "Staff receive security training when hired and once a year.",
    "Administrator rights are granted per task and expire after 30 days.",
    "Incidents are reported to the customer within 24 hours.",
};

// The PDF's objects in a fixed order, so every object number is known before
// the page tree (which lists every page) is written.
constexpr int kCatalog = 1;
constexpr int kPages = 2;
constexpr int kHelvetica = 3;
constexpr int kCidFont = 4;        // the Type0 font pages refer to
constexpr int kCidDescendant = 5;  // its CIDFontType2
constexpr int kToUnicode = 6;
constexpr int kFontDescriptor = 7;
constexpr int kInfo = 8;
constexpr int kFirstPage = 9;  // page k is object kFirstPage + 2k, its content the next

int PageObject(int page) { return kFirstPage + 2 * page; }

// Writes the file sequentially and remembers where each object starts, for
// the cross-reference table.
class PdfFile {
 public:
  explicit PdfFile(const std::string& path)
      : out_(path, std::ios::binary | std::ios::trunc) {}

  bool ok() const { return static_cast<bool>(out_); }
  uint64_t size() const { return size_; }

  void Write(std::string_view s) {
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    size_ += s.size();
  }

  void BeginObject(int number) {
    if (offsets_.size() <= static_cast<size_t>(number)) offsets_.resize(number + 1, 0);
    offsets_[number] = size_;
    Write(std::to_string(number) + " 0 obj\n");
  }

  void Object(int number, std::string_view body) {
    BeginObject(number);
    Write(body);
    Write("\nendobj\n");
  }

  void Stream(int number, std::string_view data) {
    BeginObject(number);
    Write("<< /Length " + std::to_string(data.size()) + " >>\nstream\n");
    Write(data);
    Write("\nendstream\nendobj\n");
  }

  // The cross-reference table and trailer. Every entry is exactly 20 bytes,
  // as the format requires ("nnnnnnnnnn ggggg n" plus a two-byte EOL).
  void Finish() {
    const uint64_t xref = size_;
    Write("xref\n0 " + std::to_string(offsets_.size()) + "\n");
    Write("0000000000 65535 f \n");
    char entry[32];
    for (size_t i = 1; i < offsets_.size(); ++i) {
      std::snprintf(entry, sizeof entry, "%010llu 00000 n \n",
                    static_cast<unsigned long long>(offsets_[i]));
      Write(entry);
    }
    Write("trailer\n<< /Size " + std::to_string(offsets_.size()) + " /Root " +
          std::to_string(kCatalog) + " 0 R /Info " + std::to_string(kInfo) +
          " 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n");
    out_.close();
  }

 private:
  std::ofstream out_;
  uint64_t size_ = 0;
  std::vector<uint64_t> offsets_;  // by object number; 0 is the free head
};

// A PDF literal string: ( ) and \ escaped. ASCII only.
std::string Literal(std::string_view text) {
  std::string out = "(";
  for (const char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

// "統N" in the CID font: two-byte codes that are the characters' UTF-16
// code units, which the ToUnicode map below maps to themselves.
std::string IdCodes(int n) {
  std::string hex = "<7D71";
  for (const char digit : std::to_string(n)) {
    char unit[8];
    std::snprintf(unit, sizeof unit, "%04X", static_cast<unsigned>(digit));
    hex += unit;
  }
  return hex + ">";
}

// Text drawn at (x, y) in PDF space (y up from the bottom of the page).
std::string TextAt(std::string_view font, int size, int x, int y, std::string_view operand) {
  return "BT /" + std::string(font) + " " + std::to_string(size) + " Tf " + std::to_string(x) +
         " " + std::to_string(y) + " Td " + std::string(operand) + " Tj ET\n";
}

std::string PageContent(int page, int pages) {
  constexpr int kLeft = 72;
  constexpr int kAnswerX = 150;
  std::string s;
  s += TextAt("F1", 16, kLeft, 780,
              Literal("Security whitepaper, part " + std::to_string(page + 1)));
  s += TextAt("F1", 10, kLeft, 750,
              Literal("This part answers the criteria below. Each answer states the control as "
                      "it is run today."));
  s += TextAt("F1", 10, kLeft, 736,
              Literal("Questions about an answer go to the security office named in part 1."));
  int y = 700;
  s += TextAt("F1", 10, kLeft, y, Literal("No."));
  s += TextAt("F1", 10, kAnswerX, y, Literal("Answer"));
  for (int row = 0; row < kManyPageRowsPerPage; ++row) {
    y -= 20;
    // Criterion numbers have three digits at most (extract/criterion_id.h):
    // past 999 they start again, as in a binder of several whitepapers.
    const int id = (page * kManyPageRowsPerPage + row) % 999 + 1;
    s += TextAt("F2", 10, kLeft, y, IdCodes(id));
    s += TextAt("F1", 10, kAnswerX, y,
                Literal(kAnswers[static_cast<size_t>(id) % std::size(kAnswers)]));
  }
  s += TextAt("F1", 9, 280, 40,
              Literal(std::to_string(page + 1) + " / " + std::to_string(pages)));
  return s;
}

// Identity over the two blocks of codes the pages use: 00xx (ASCII digits)
// and 7Dxx (統 is U+7D71). A bfrange may not cross a change of its first byte.
constexpr std::string_view kToUnicodeCMap =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "2 beginbfrange\n<0000> <00FF> <0000>\n<7D00> <7DFF> <7D00>\nendbfrange\n"
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\n"
    "end";

}  // namespace

Result<GenerateStats> CopyPdfFixtures(
    const std::string& fixtures_dir, int copies, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  std::error_code ec;
  if (!fs::is_directory(fixtures_dir, ec)) return Status::NotFound(fixtures_dir + ": no such folder");
  std::vector<fs::path> fixtures;
  for (fs::directory_iterator it(fixtures_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".pdf" && it->is_regular_file(ec)) fixtures.push_back(it->path());
  }
  if (ec) return Status::IoError(fixtures_dir + ": " + ec.message());
  if (fixtures.empty()) return Status::Empty(fixtures_dir + ": no *.pdf files");
  std::sort(fixtures.begin(), fixtures.end());

  fs::remove_all(docs_dir, ec);
  if (ec) return Status::IoError(docs_dir + ": cannot remove: " + ec.message());
  GenerateStats stats;
  const uint64_t total = static_cast<uint64_t>(copies) * fixtures.size();
  for (int copy = 0; copy < copies; ++copy) {
    const fs::path folder = fs::path(docs_dir) / CopyFolderName(copy);
    fs::create_directories(folder, ec);
    if (ec) return Status::IoError(folder.string() + ": cannot create: " + ec.message());
    for (const fs::path& fixture : fixtures) {
      const fs::path target = folder / fixture.filename();
      fs::copy_file(fixture, target, ec);
      if (ec) return Status::IoError(target.string() + ": cannot copy: " + ec.message());
      ++stats.files;
      stats.bytes += fs::file_size(target, ec);
      if (progress) progress(stats.files, total);
    }
  }
  return stats;
}

Result<uint64_t> WriteManyPagePdf(const std::string& path, int pages) {
  PdfFile pdf(path);
  if (!pdf.ok()) return Status::IoError(path + ": cannot create");
  // The comment of high bytes marks the file as binary for transfer tools.
  pdf.Write("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
  pdf.Object(kCatalog, "<< /Type /Catalog /Pages " + std::to_string(kPages) + " 0 R >>");
  // One flat page tree: valid at any size, and Poppler walks it lazily.
  pdf.BeginObject(kPages);
  pdf.Write("<< /Type /Pages /Count " + std::to_string(pages) + " /Kids [");
  for (int page = 0; page < pages; ++page) {
    pdf.Write(page % 16 == 0 ? "\n" : " ");
    pdf.Write(std::to_string(PageObject(page)) + " 0 R");
  }
  pdf.Write("\n] >>\nendobj\n");
  pdf.Object(kHelvetica,
             "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pdf.Object(kCidFont, "<< /Type /Font /Subtype /Type0 /BaseFont /IPAGothic /Encoding /Identity-H"
                       " /DescendantFonts [" + std::to_string(kCidDescendant) +
                           " 0 R] /ToUnicode " + std::to_string(kToUnicode) + " 0 R >>");
  pdf.Object(kCidDescendant,
             "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /IPAGothic"
             " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
             " /FontDescriptor " + std::to_string(kFontDescriptor) +
                 " 0 R /DW 1000 /W [48 57 500] /CIDToGIDMap /Identity >>");
  pdf.Stream(kToUnicode, kToUnicodeCMap);
  pdf.Object(kFontDescriptor,
             "<< /Type /FontDescriptor /FontName /IPAGothic /Flags 4 /FontBBox [0 -141 1000 859]"
             " /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>");
  pdf.Object(kInfo, "<< /Title (fiscdex_bench many-page PDF) /Producer (fiscdex_bench) >>");
  const std::string resources = "/Resources << /Font << /F1 " + std::to_string(kHelvetica) +
                                " 0 R /F2 " + std::to_string(kCidFont) + " 0 R >> >>";
  for (int page = 0; page < pages; ++page) {
    pdf.Object(PageObject(page), "<< /Type /Page /Parent " + std::to_string(kPages) +
                                     " 0 R /MediaBox [0 0 595 842] " + resources +
                                     " /Contents " + std::to_string(PageObject(page) + 1) +
                                     " 0 R >>");
    pdf.Stream(PageObject(page) + 1, PageContent(page, pages));
  }
  pdf.Finish();
  if (!pdf.ok()) return Status::IoError(path + ": cannot write");
  return pdf.size();
}

}  // namespace fiscdex::bench
