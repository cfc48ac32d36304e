// The report page: one self-contained HTML file (doc/report.md). Its style
// and script are inline, a Content-Security-Policy lets only those two run
// and forbids every request, and the documents' text is data (EncodePageData)
// that the script shows as text.
#ifndef FISCDEX_REPORT_HTML_REPORT_H_
#define FISCDEX_REPORT_HTML_REPORT_H_

#include <string>
#include <string_view>

namespace fiscdex::report {

// The one way document text enters the page: `json` (BuildReportData's
// output) gzip-compressed and written in base64. Base64's 65 characters
// cannot end or disturb the <script> element the data goes into, whatever
// a document says, and compression keeps a report of 50 vendors × 400
// criteria (20 000 answers) a third of its JSON's size. The page's script
// decodes it with the browser's DecompressionStream.
std::string EncodePageData(std::string_view json);

// The whole page around `data_json` (BuildReportData's output).
std::string RenderReportPage(std::string_view data_json);

// Base64 of `bytes` (RFC 4648, with padding).
std::string Base64(std::string_view bytes);

}  // namespace fiscdex::report

#endif  // FISCDEX_REPORT_HTML_REPORT_H_
