// PDF input through poppler-cpp: the words of each page with their boxes go
// to the layout engine (pdf_layout.h), one page at a time, so that only the
// laid-out text of the pages read so far is held, never Poppler's pages.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cmath>
#include <deque>
#include <ctime>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "ingest/pdf_layout.h"
#include "ingest/readers.h"

namespace fiscdex::ingest::internal {
namespace {

// Poppler prints syntax errors and warnings through this hook; without it
// they go straight to stderr. They matter only when debugging a file: the
// reader turns real failures into a Status of its own.
void RoutePopplerMessages() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function(
        [](const std::string& message, void*) { Log(LogLevel::kDebug, "poppler: " + message); },
        nullptr);
  });
}

std::string ToUtf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Poppler repairs a file cut short and reads what is left, silently losing
// pages; every complete PDF ends with this marker (garbage after it is
// tolerated, as readers do).
bool HasEndOfFileMarker(std::string_view bytes) {
  const size_t tail = std::min<size_t>(bytes.size(), 4096);
  return bytes.substr(bytes.size() - tail).find("%%EOF") != std::string_view::npos;
}

// Tells table borders from text: renders the page once, on first need, in
// grey without anti-aliasing, and looks for a row of dark pixels across the
// band asked about.
class RuleFinder {
 public:
  explicit RuleFinder(const poppler::page* page) : page_(page) {}

  std::optional<bool> HasRule(double x0, double x1, double y0, double y1) {
    if (!rendered_) Render();
    if (!image_.is_valid()) return std::nullopt;
    const int width = image_.width();
    const int height = image_.height();
    const int left = std::max(0, static_cast<int>(std::floor(x0 * kScale)));
    const int right = std::min(width, static_cast<int>(std::ceil(x1 * kScale)));
    const int top = std::max(0, static_cast<int>(std::floor(y0 * kScale)));
    const int bottom = std::min(height, static_cast<int>(std::ceil(y1 * kScale)) + 1);
    if (right - left < 4 || bottom <= top) return std::nullopt;
    const char* data = image_.const_data();
    const int stride = image_.bytes_per_row();
    for (int y = top; y < bottom; ++y) {
      const auto* row = reinterpret_cast<const unsigned char*>(data + static_cast<size_t>(y) * stride);
      int dark = 0;
      for (int x = left; x < right; ++x) dark += row[x] < kDark;
      if (dark * 10 >= (right - left) * 8) return true;
    }
    return false;
  }

 private:
  static constexpr double kScale = 1.0;  // 72 dpi: one pixel per point
  static constexpr unsigned char kDark = 200;

  void Render() {
    rendered_ = true;
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, false);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, false);
    renderer.set_image_format(poppler::image::format_gray8);
    image_ = renderer.render_page(page_, 72.0 * kScale, 72.0 * kScale);
  }

  const poppler::page* page_;
  bool rendered_ = false;
  poppler::image image_;
};

std::vector<PdfWord> PageWords(const poppler::page& page) {
  std::vector<PdfWord> words;
  for (const poppler::text_box& box : page.text_list()) {
    // Rotated runs are margin notes and watermarks, not the page's text.
    if (box.rotation() != 0) continue;
    const poppler::rectf r = box.bbox();
    PdfWord& word = words.emplace_back();
    word.x0 = r.left();
    word.y0 = r.top();
    word.x1 = r.right();
    word.y1 = r.bottom();
    word.text = ToUtf8(box.text());
    word.space_after = box.has_space_after();
  }
  return words;
}

void ReadProperties(const poppler::document& pdf, Document* doc) {
  // The creation date is when the file was exported, often not the date the
  // document states, so it is kept under its own name.
  for (const auto& [key, name] : {std::pair<const char*, const char*>{"Title", "title"},
                                  {"Author", "author"},
                                  {"Subject", "subject"}}) {
    std::string value = ToUtf8(pdf.info_key(key));
    if (!value.empty()) doc->properties.emplace_back(name, std::move(value));
  }
  const time_t created = pdf.info_date_t("CreationDate");
  if (created > 0) {
    char date[16];
    struct tm tm;
    if (gmtime_r(&created, &tm) != nullptr && strftime(date, sizeof date, "%Y-%m-%d", &tm) > 0) {
      doc->properties.emplace_back("creationdate", date);
    }
  }
}

}  // namespace

Result<Document> ReadPdf(Document doc, std::string bytes, const LoadOptions& options) {
  RoutePopplerMessages();
  if (!HasEndOfFileMarker(bytes)) {
    return Status::Corrupt("truncated or damaged PDF: the end-of-file marker is missing");
  }
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::Unsupported("PDF over 2 GB");
  }
  std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
      bytes.data(), static_cast<int>(bytes.size()), options.password, options.password));
  if (pdf == nullptr) return Status::Corrupt("damaged PDF: Poppler cannot read its structure");
  if (pdf->is_locked()) {
    return Status::Encrypted(options.password.empty()
                                 ? "needs a password (give it with --password)"
                                 : "the password given does not open it");
  }
  doc.encoding.clear();
  ReadProperties(*pdf, &doc);
  const int page_count = pdf->pages();
  if (page_count <= 0) return Status::Corrupt("damaged PDF: no pages");
  std::vector<PdfPage> pages;
  pages.reserve(static_cast<size_t>(page_count));
  // A page (and its renderer) lives until the layout is done with it.
  struct OpenPage {
    std::unique_ptr<poppler::page> page;
    std::unique_ptr<RuleFinder> rules;
  };
  std::deque<OpenPage> open_pages;
  PdfPageStream stream;
  for (int i = 0; i < page_count; ++i) {
    std::unique_ptr<poppler::page> page(pdf->create_page(i));
    if (page == nullptr) {
      return Status::Corrupt("damaged PDF: page " + std::to_string(i + 1) + " cannot be read");
    }
    const poppler::rectf box = page->page_rect();
    auto rules = std::make_unique<RuleFinder>(page.get());
    RuleProbe probe = [finder = rules.get()](double x0, double x1, double y0, double y1) {
      return finder->HasRule(x0, x1, y0, y1);
    };
    stream.Add(PageWords(*page), box.width(), box.height(), std::move(probe));
    open_pages.push_back({std::move(page), std::move(rules)});
    const bool last = i + 1 == page_count;
    for (size_t done = stream.LayOut(last, &pages); done > 0; --done) open_pages.pop_front();
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
