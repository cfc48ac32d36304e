// Assembles the report page from its template, style, script and data.
#include "report/html_report.h"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "base/sha256.h"
#include "report/report_assets.h"

namespace fiscdex::report {
namespace {

// The CSP source that allows exactly this inline element's content.
std::string HashSource(std::string_view content) {
  Sha256 hash;
  hash.Update(content);
  const auto digest = hash.Final();
  return "'sha256-" +
         Base64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) + "'";
}

}  // namespace

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

std::string EncodePageData(std::string_view json) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper, which DecompressionStream("gzip") reads.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    std::abort();  // only out of memory, which terminates elsewhere too
  }
  std::string compressed(deflateBound(&stream, json.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
  // uInt is 32 bits: the data of a report is megabytes, never gigabytes.
  stream.avail_in = static_cast<uInt>(json.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int finished = deflate(&stream, Z_FINISH);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  if (finished != Z_STREAM_END) std::abort();  // deflateBound promises room
  return Base64(compressed);
}

std::string RenderReportPage(std::string_view data_json) {
  const std::string csp = "default-src 'none'; style-src " + HashSource(kReportStyle) +
                          "; script-src " + HashSource(kReportScript) +
                          "; base-uri 'none'; form-action 'none'";
  const std::string data = EncodePageData(data_json);
  // One pass over the template: what goes in is never searched for markers,
  // so a "{{fiscdex:…}}" in the script or the data stays as it is.
  const std::array<std::pair<std::string_view, std::string_view>, 4> fills = {{
      {"{{fiscdex:csp}}", csp},
      {"{{fiscdex:style}}", kReportStyle},
      {"{{fiscdex:script}}", kReportScript},
      {"{{fiscdex:data}}", data},
  }};
  std::string page;
  page.reserve(kReportTemplate.size() + kReportStyle.size() + kReportScript.size() + data.size() +
               csp.size());
  size_t at = 0;
  while (at < kReportTemplate.size()) {
    size_t next = std::string_view::npos;
    const std::pair<std::string_view, std::string_view>* fill = nullptr;
    for (const auto& candidate : fills) {
      const size_t found = kReportTemplate.find(candidate.first, at);
      if (found < next) {
        next = found;
        fill = &candidate;
      }
    }
    page.append(kReportTemplate.substr(at, next == std::string_view::npos ? next : next - at));
    if (fill == nullptr) break;
    page.append(fill->second);
    at = next + fill->first.size();
  }
  return page;
}

}  // namespace fiscdex::report
