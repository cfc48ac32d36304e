// The page's template, style and script: report/assets/, built into the
// binary (embed_assets.cmake) so that a report needs no file beside fiscdex.
#ifndef FISCDEX_REPORT_REPORT_ASSETS_H_
#define FISCDEX_REPORT_REPORT_ASSETS_H_

#include <string_view>

namespace fiscdex::report {

extern const std::string_view kReportTemplate;  // assets/report.html
extern const std::string_view kReportStyle;     // assets/report.css
extern const std::string_view kReportScript;    // assets/report.js

}  // namespace fiscdex::report

#endif  // FISCDEX_REPORT_REPORT_ASSETS_H_
