// PDF input through Poppler's core API. One pass over each page's content
// stream gives both what the layout engine needs: the words with their
// boxes and weight (TextOutputDev, as pdftotext reads them) and the page's
// drawing, as straight rules and filled rectangles (table borders, cell
// rules, header shading, zebra stripes). Nothing is rasterised. Pages are
// read one at a time and released; the layout engine (pdf_layout.h) holds
// only what it still needs.
#include <GfxFont.h>
#include <GfxState.h>
#include <GlobalParams.h>
#include <Object.h>
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <DateInfo.h>
#include <Error.h>
#include <UTF.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/utf8.h"
#include "ingest/pdf_layout.h"
#include "ingest/pdf_module.h"
#include "ingest/readers.h"

namespace fiscdex::ingest::internal {
namespace {

// Drawing of no use to the layout, bounded so that a page of a vector chart
// (100 000 tiny segments) costs neither memory nor layout time: segments
// shorter than this are not rules, and a page keeps at most this many rules
// and fills (the rest are dropped, with a warning).
constexpr double kMinRuleLength = 2.0;
constexpr size_t kMaxRulesPerPage = 20000;
constexpr size_t kMaxFillsPerPage = 20000;
// A filled rectangle this thin is a rule (browsers draw borders so).
constexpr double kMaxRuleThickness = 2.5;
// Lines within this of being straight are horizontal or vertical.
constexpr double kStraightTolerance = 0.5;
// Fills lighter than this are the paper: white cell backgrounds.
constexpr double kWhite = 0.97;

// Poppler reports syntax errors and warnings through this hook; without it
// they go straight to stderr. They matter only when debugging a file: the
// reader turns real failures into a Status of its own.
void RoutePopplerMessages(ErrorCategory, Goffset, const char* message) {
  Log(LogLevel::kDebug, std::string("poppler: ") + (message != nullptr ? message : ""));
}

// Poppler's global state is made once and kept for the life of the process:
// documents on several threads share it (it guards itself).
void InitPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!globalParams) globalParams = std::make_unique<GlobalParams>();
    globalParams->setErrQuiet(false);
    setErrorCallback(&RoutePopplerMessages);
  });
}

// Poppler repairs a file cut short and reads what is left, silently losing
// pages; every complete PDF ends with this marker (garbage after it is
// tolerated, as readers do).
bool HasEndOfFileMarker(std::string_view bytes) {
  const size_t tail = std::min<size_t>(bytes.size(), 4096);
  return bytes.substr(bytes.size() - tail).find("%%EOF") != std::string_view::npos;
}

// A PDF text string (UTF-16BE with a byte-order mark, or PDFDocEncoding) as
// UTF-8.
std::string TextStringToUtf8(const GooString& text) {
  Unicode* ucs4 = nullptr;
  const int length = TextStringToUCS4(text.toStr(), &ucs4);
  std::string out;
  for (int i = 0; i < length; ++i) {
    const Unicode c = ucs4[i];
    // A lone surrogate or a value past U+10FFFF is not text: left out.
    if ((c >= 0xD800 && c <= 0xDFFF) || c >= 0x110000) continue;
    AppendUtf8(static_cast<char32_t>(c), &out);
  }
  gfree(ucs4);
  return out;
}

// Whether a font is a bold face by its name: subset fonts often carry no
// weight flag, but their names do ("ABCDEF+NotoSansCJKjp-Bold",
// "IPAexGothic,Bold", "HiraginoSans-W6", "MS-Gothic-Bold").
bool BoldByName(const GooString* name) {
  if (name == nullptr) return false;
  std::string lower = name->toStr();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* mark : {"bold", "black", "heavy", "semibold", "demibold", "-w6", "-w7",
                           "-w8", "-w9", ",w6", ",w7", ",w8", ",w9"}) {
    if (lower.find(mark) != std::string::npos) return true;
  }
  return false;
}

// Captures one page: TextOutputDev collects the words; the overrides keep
// the straight parts of stroked paths, filled rectangles, and where glyphs
// were drawn in a bold way or outside the page.
class PageCapture : public TextOutputDev {
 public:
  PageCapture(double width, double height)
      : TextOutputDev(nullptr, /*physLayoutA=*/false, /*fixedPitchA=*/0, /*rawOrderA=*/false,
                      /*append=*/false),
        width_(width),
        height_(height) {}

  void stroke(GfxState* state) override {
    const GfxPath* path = state->getPath();
    const double width = state->getTransformedLineWidth();
    for (int i = 0; i < path->getNumSubpaths(); ++i) {
      const GfxSubpath* sub = path->getSubpath(i);
      const int n = sub->getNumPoints();
      double x0 = 0, y0 = 0;
      if (n > 0) state->transform(sub->getX(0), sub->getY(0), &x0, &y0);
      for (int k = 1; k < n; ++k) {
        double x1 = 0, y1 = 0;
        state->transform(sub->getX(k), sub->getY(k), &x1, &y1);
        if (!sub->getCurve(k)) AddLine(x0, y0, x1, y1, width);
        x0 = x1;
        y0 = y1;
      }
      // A closed subpath strokes its closing side too.
      if (sub->isClosed() && n > 2) {
        double xs = 0, ys = 0;
        state->transform(sub->getX(0), sub->getY(0), &xs, &ys);
        AddLine(x0, y0, xs, ys, width);
      }
    }
  }

  void fill(GfxState* state) override { Fill(state); }
  void eoFill(GfxState* state) override { Fill(state); }

  void drawChar(GfxState* state, double x, double y, double dx, double dy, double originX,
                double originY, CharCode c, int nBytes, const Unicode* u, int uLen) override {
    TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
    double px = 0, py = 0;
    state->transform(x, y, &px, &py);
    // Beyond the left or right edge: a column cut off by a table wider than
    // the page. (Text beyond the bottom is the part of a merged cell that
    // continues on the next page, as spreadsheets print it: invisible there
    // too, and repeated where it matters.)
    if ((px < -1 || px > width_ + 1) && py >= 0 && py <= height_) ++outside_;
    // Render mode 2 fills and strokes the glyphs: how programs embolden a
    // font that has no bold face.
    if (state->getRender() == 2) emboldened_.emplace_back(px, py);
    // Poppler guesses the size of a Type 3 font's glyphs (its glyphs are
    // little programs in a space of their own), and guesses wrong for
    // browsers' Type 3 fonts: twice the size, so body text would pass for
    // headings. The size the text state gives is the real one.
    const GfxFont* font = state->getFont().get();
    if (font != nullptr && font->getType() == fontType3) {
      type3_chars_.push_back({px, py, state->getTransformedFontSize()});
    }
    CountDirection(state, font);
  }

  // How far to turn the page, clockwise, for its text to stand upright: 0
  // unless three quarters of its glyphs are turned one way. A page shown
  // turned has all its text turned; a sparse page (a cover) with a margin
  // note longer than its title is not turned.
  int TurnToUpright() const {
    int most = 0;
    size_t total = 0;
    for (int rotation = 0; rotation < 4; ++rotation) {
      total += glyphs_by_rotation_[rotation];
      if (glyphs_by_rotation_[rotation] > glyphs_by_rotation_[most]) most = rotation;
    }
    if (most == 0 || glyphs_by_rotation_[most] < 3 * (total - glyphs_by_rotation_[most])) return 0;
    // Rotation r is a glyph turned r quarters clockwise on the display.
    return (4 - most) * 90;
  }

  // A glyph of a Type 3 font: its origin on the baseline and its size.
  struct Type3Char {
    double x, y, size;
    bool operator<(const Type3Char& o) const { return x < o.x; }
  };
  const std::vector<Type3Char>& type3_chars() const { return type3_chars_; }

  std::vector<PdfRule>& rules() { return rules_; }
  std::vector<PdfFill>& fills() { return fills_; }
  const std::vector<std::pair<double, double>>& emboldened() const { return emboldened_; }
  size_t characters_outside() const { return outside_; }
  bool dropped_drawing() const { return dropped_; }

 private:
  void AddLine(double x0, double y0, double x1, double y1, double width) {
    const double dx = std::abs(x1 - x0);
    const double dy = std::abs(y1 - y0);
    if (std::max(dx, dy) < kMinRuleLength) return;
    PdfRule rule;
    if (dy <= kStraightTolerance) {
      rule = {true, (y0 + y1) / 2, std::min(x0, x1), std::max(x0, x1), width};
    } else if (dx <= kStraightTolerance) {
      rule = {false, (x0 + x1) / 2, std::min(y0, y1), std::max(y0, y1), width};
    } else {
      return;  // diagonal: a chart or a decoration
    }
    if (rules_.size() >= kMaxRulesPerPage) {
      dropped_ = true;
      return;
    }
    rules_.push_back(rule);
  }

  // Counts the glyph under the rotation Poppler gives its word (the quarter
  // turn its font matrix is nearest, one more in vertical writing mode);
  // diagonal glyphs (a watermark across the page) count for none.
  void CountDirection(GfxState* state, const GfxFont* font) {
    double m[4];
    state->getFontTransMat(&m[0], &m[1], &m[2], &m[3]);
    const bool diagonal = std::abs(m[0]) >= std::abs(m[1]) ? std::abs(m[1]) > 0.1 * std::abs(m[0])
                                                           : std::abs(m[0]) > 0.1 * std::abs(m[1]);
    if (diagonal) return;
    int rotation = std::abs(m[0] * m[3]) > std::abs(m[1] * m[2]) ? (m[0] > 0 || m[3] < 0 ? 0 : 2)
                                                                 : (m[2] > 0 ? 1 : 3);
    if (font != nullptr && font->getWMode() != 0) rotation = (rotation + 1) & 3;
    ++glyphs_by_rotation_[rotation];
  }

  void Fill(GfxState* state) {
    if (state->getFillColorSpace()->getMode() == csPattern) return;
    if (state->getFillOpacity() < 0.05) return;
    GfxRGB rgb;
    state->getFillRGB(&rgb);
    const double lightness =
        0.299 * colToDbl(rgb.r) + 0.587 * colToDbl(rgb.g) + 0.114 * colToDbl(rgb.b);
    const GfxPath* path = state->getPath();
    for (int i = 0; i < path->getNumSubpaths(); ++i) {
      double x0, y0, x1, y1;
      if (!AxisAlignedRectangle(state, path->getSubpath(i), &x0, &y0, &x1, &y1)) continue;
      const double w = x1 - x0;
      const double h = y1 - y0;
      if (std::min(w, h) <= kMaxRuleThickness) {
        // A thin rectangle is a line, drawn by filling: browsers draw every
        // border so, even light grey ones.
        if (lightness < kWhite) {
          if (w >= h) {
            AddLine(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2, h);
          } else {
            AddLine((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, w);
          }
        }
        continue;
      }
      if (lightness >= kWhite) continue;
      // The page's own background is not a fill of anything on it.
      if (w >= 0.95 * width_ && h >= 0.95 * height_) continue;
      if (fills_.size() >= kMaxFillsPerPage) {
        dropped_ = true;
        continue;
      }
      fills_.push_back({x0, y0, x1, y1, lightness});
    }
  }

  // The box of a subpath that is an axis-aligned rectangle (4 corners,
  // closed or with the first point repeated).
  static bool AxisAlignedRectangle(GfxState* state, const GfxSubpath* sub, double* x0,
                                   double* y0, double* x1, double* y1) {
    const int n = sub->getNumPoints();
    if (n < 4 || n > 5) return false;
    double xs[5], ys[5];
    for (int k = 0; k < n; ++k) {
      if (sub->getCurve(k)) return false;
      state->transform(sub->getX(k), sub->getY(k), &xs[k], &ys[k]);
    }
    if (n == 5 && (std::abs(xs[4] - xs[0]) > kStraightTolerance ||
                   std::abs(ys[4] - ys[0]) > kStraightTolerance)) {
      return false;
    }
    for (int k = 0; k < 4; ++k) {
      const int next = (k + 1) % 4;
      const bool flat = std::abs(ys[next] - ys[k]) <= kStraightTolerance;
      const bool upright = std::abs(xs[next] - xs[k]) <= kStraightTolerance;
      if (!flat && !upright) return false;
    }
    *x0 = std::min({xs[0], xs[1], xs[2], xs[3]});
    *x1 = std::max({xs[0], xs[1], xs[2], xs[3]});
    *y0 = std::min({ys[0], ys[1], ys[2], ys[3]});
    *y1 = std::max({ys[0], ys[1], ys[2], ys[3]});
    return *x1 > *x0 && *y1 > *y0;
  }

  const double width_;
  const double height_;
  std::vector<PdfRule> rules_;
  std::vector<PdfFill> fills_;
  std::vector<std::pair<double, double>> emboldened_;
  std::vector<Type3Char> type3_chars_;
  size_t outside_ = 0;
  size_t glyphs_by_rotation_[4] = {0, 0, 0, 0};
  bool dropped_ = false;
};

// The words of a captured page. Rotated runs are margin notes and
// watermarks, not the page's text.
std::vector<PdfWord> PageWords(PageCapture* capture) {
  std::vector<PdfWord> words;
  std::unique_ptr<TextWordList> list = capture->makeWordList();
  if (list == nullptr) return words;
  std::vector<std::pair<double, double>> emboldened = capture->emboldened();
  std::sort(emboldened.begin(), emboldened.end());
  std::vector<PageCapture::Type3Char> type3 = capture->type3_chars();
  std::sort(type3.begin(), type3.end());
  words.reserve(static_cast<size_t>(list->getLength()));
  for (int i = 0; i < list->getLength(); ++i) {
    const TextWord* word = list->get(i);
    if (word->getRotation() != 0) continue;
    PdfWord& out = words.emplace_back();
    word->getBBox(&out.x0, &out.y0, &out.x1, &out.y1);
    std::unique_ptr<GooString> text(word->getText());
    out.text = text != nullptr ? text->toStr() : std::string();
    out.space_after = word->getSpaceAfter();
    if (!type3.empty()) {
      // The box of a word in a Type 3 font, from the real size: CJK fonts'
      // boxes reach 0.88 em above the baseline and 0.12 em below.
      const double base = word->getBaseline();
      auto it = std::lower_bound(type3.begin(), type3.end(),
                                 PageCapture::Type3Char{out.x0 - 0.5, 0, 0});
      std::vector<double> sizes;
      for (; it != type3.end() && it->x <= out.x1 + 0.5; ++it) {
        if (std::abs(it->y - base) < 1.0) sizes.push_back(it->size);
      }
      if (!sizes.empty()) {
        std::nth_element(sizes.begin(), sizes.begin() + sizes.size() / 2, sizes.end());
        const double size = sizes[sizes.size() / 2];
        out.y0 = base - 0.88 * size;
        out.y1 = base + 0.12 * size;
      }
    }
    const TextFontInfo* font = word->getLength() > 0 ? word->getFontInfo(0) : nullptr;
    out.bold = font != nullptr && (font->isBold() || BoldByName(font->getFontName()));
    if (!out.bold && !emboldened.empty()) {
      // Glyph origins sit on the baseline, inside the word's box.
      auto it = std::lower_bound(emboldened.begin(), emboldened.end(),
                                 std::pair<double, double>(out.x0 - 0.5, out.y0 - 0.5));
      size_t inside = 0;
      for (; it != emboldened.end() && it->first <= out.x1 + 0.5; ++it) {
        inside += it->second >= out.y0 - 0.5 && it->second <= out.y1 + 0.5;
      }
      out.bold = inside * 2 >= static_cast<size_t>(word->getLength());
    }
  }
  return words;
}

// Displays page `number` turned `turn` degrees clockwise beyond its own
// /Rotate and captures it. Poppler applies /Rotate when it displays a page:
// the words come as a reader sees them, on a page as wide as the crop box is
// tall when the page is turned a quarter; `content` gets that size.
std::unique_ptr<PageCapture> CapturePage(PDFDoc* pdf, Page* page, int number, int turn,
                                         PdfPageContent* content) {
  content->width = page->getCropWidth();
  content->height = page->getCropHeight();
  const int rotate = (((page->getRotate() + turn) % 360) + 360) % 360;
  if (rotate == 90 || rotate == 270) std::swap(content->width, content->height);
  auto capture = std::make_unique<PageCapture>(content->width, content->height);
  pdf->displayPage(capture.get(), number, 72, 72, turn, /*useMediaBox=*/false, /*crop=*/false,
                   /*printing=*/false);
  return capture;
}

void ReadProperties(PDFDoc* pdf, Document* doc) {
  // The creation date is when the file was exported, often not the date the
  // document states, so it is kept under its own name.
  for (const auto& [key, name] : {std::pair<const char*, const char*>{"Title", "title"},
                                  {"Author", "author"},
                                  {"Subject", "subject"}}) {
    std::unique_ptr<GooString> value = pdf->getDocInfoStringEntry(key);
    if (value == nullptr) continue;
    std::string text = TextStringToUtf8(*value);
    if (!text.empty()) doc->properties.emplace_back(name, std::move(text));
  }
  std::unique_ptr<GooString> created = pdf->getDocInfoStringEntry("CreationDate");
  const time_t when = created != nullptr ? dateStringToTime(created.get()) : -1;
  if (when > 0) {
    char date[16];
    struct tm tm;
    if (gmtime_r(&when, &tm) != nullptr && strftime(date, sizeof date, "%Y-%m-%d", &tm) > 0) {
      doc->properties.emplace_back("creationdate", date);
    }
  }
}

}  // namespace

Result<Document> ReadPdfWithPoppler(Document doc, std::string bytes, const LoadOptions& options) {
  InitPoppler();
  if (!HasEndOfFileMarker(bytes)) {
    return Status::Corrupt("truncated or damaged PDF: the end-of-file marker is missing");
  }
  std::optional<GooString> password;
  if (!options.password.empty()) password.emplace(options.password);
  // The stream reads `bytes` in place; they outlive the document.
  auto pdf = std::make_unique<PDFDoc>(
      new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull)),
      password, password);
  if (!pdf->isOk()) {
    if (pdf->getErrorCode() == errEncrypted) {
      return Status::Encrypted(options.password.empty()
                                   ? "needs a password (give it with --password)"
                                   : "the password given does not open it");
    }
    return Status::Corrupt("damaged PDF: Poppler cannot read its structure");
  }
  doc.encoding.clear();
  ReadProperties(pdf.get(), &doc);
  const int page_count = pdf->getNumPages();
  if (page_count <= 0) return Status::Corrupt("damaged PDF: no pages");
  std::vector<PdfPage> pages;
  pages.reserve(static_cast<size_t>(page_count));
  PdfPageStream stream;
  std::vector<int> pages_cut_off;
  std::vector<int> pages_too_drawn;
  for (int i = 1; i <= page_count; ++i) {
    Page* page = pdf->getPage(i);
    if (page == nullptr) {
      return Status::Corrupt("damaged PDF: page " + std::to_string(i) + " cannot be read");
    }
    PdfPageContent content;
    std::unique_ptr<PageCapture> capture = CapturePage(pdf.get(), page, i, 0, &content);
    // A page whose text stands sideways or upside down as displayed is read
    // turned upright: /Rotate set on an upright page (as `qpdf --rotate`,
    // or a viewer's "rotate page" and save, leave it), or a wide table set
    // sideways on a portrait page. Such pages are rare, so displaying them
    // twice costs little. A few rotated words on an upright page (a margin
    // note) do not turn it, and are dropped as before.
    if (const int turn = capture->TurnToUpright(); turn != 0) {
      capture = CapturePage(pdf.get(), page, i, turn, &content);
    }
    content.words = PageWords(capture.get());
    content.rules = std::move(capture->rules());
    content.fills = std::move(capture->fills());
    if (capture->characters_outside() > 0) pages_cut_off.push_back(i);
    if (capture->dropped_drawing()) pages_too_drawn.push_back(i);
    stream.Add(std::move(content));
    stream.LayOut(/*flush=*/i == page_count, &pages);
  }
  auto page_list = [](const std::vector<int>& numbers) {
    std::string list;
    for (size_t k = 0; k < numbers.size() && k < 10; ++k) {
      if (k > 0) list += ", ";
      list += std::to_string(numbers[k]);
    }
    if (numbers.size() > 10) list += " and " + std::to_string(numbers.size() - 10) + " more";
    return list;
  };
  if (!pages_cut_off.empty()) {
    doc.warnings.push_back("text lies beyond the page edge on page" +
                           std::string(pages_cut_off.size() > 1 ? "s " : " ") +
                           page_list(pages_cut_off) +
                           " (a table wider than the page?): what lies outside is not read");
  }
  if (!pages_too_drawn.empty()) {
    // Only what is drawn after the allowance is lost: a table drawn before
    // a chart keeps its borders, one drawn after it is read from its text.
    static_assert(kMaxRulesPerPage == kMaxFillsPerPage, "the warning names one allowance");
    const bool one = pages_too_drawn.size() == 1;
    doc.warnings.push_back(
        "page" + std::string(one ? " " : "s ") + page_list(pages_too_drawn) +
        (one ? " draws" : " draw") + " more lines or shapes than a table has (a chart?): only the "
        "first " + std::to_string(kMaxRulesPerPage) + " of each are kept, and a table drawn "
        "after them is read from its text alone");
  }
  bool any_text = false;
  for (const PdfPage& page : pages) any_text |= !page.items.empty();
  AssemblePdfDocument(pages, &doc);
  if (!any_text) {
    doc.warnings.push_back("no text layer (a scan?): listed without text; OCR is out of scope");
  }
  return doc;
}

}  // namespace fiscdex::ingest::internal

// The module's one exported symbol (pdf_module.h): everything else in it is
// hidden, so the host sees only this table.
extern "C" __attribute__((visibility("default"))) const fiscdex::ingest::internal::PdfModuleApi*
fiscdex_pdf_module_api() {
  using namespace fiscdex::ingest::internal;
  static constexpr PdfModuleApi kApi = {
      .abi_version = kPdfModuleAbiVersion,
      .document_size = sizeof(fiscdex::ingest::Document),
      .load_options_size = sizeof(fiscdex::ingest::LoadOptions),
      .set_log_level = &fiscdex::SetLogLevel,
      .read_pdf = &ReadPdfWithPoppler,
  };
  return &kApi;
}
