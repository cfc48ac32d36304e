// Where each field comes from, most trusted first:
// - title: the document's own property (HTML <title>, front matter), the
//   first heading or line, and for a document that is all table a key/value
//   row near the top (文書名 | …).
// - vendor: an explicit author line (作成：/発行：/著作, without the date
//   that may end it: 作成：株式会社X 2024年5月1日), an organisation
//   named with its legal form (株式会社X, X Inc.) other than FISC itself, a
//   copyright line, the vendor named in an answer column header (X対応状況),
//   and last the most common subject of the answers (Xは、…).
// - edition: 第N版 / Nth Edition on a line that names the FISC standard;
//   the first one wins (later mentions are usually history).
// - date: front matter (updated, last_updated, date), then a line near the
//   top or in the page furniture that is or ends with a full date (a line
//   near the top: after at most a short label, or after an author line's
//   publisher), then a "(YYYY/MM/DD 時点)" note. Dates of rules (制定, 施行,
//   改正) are not the document's date.
#include "extract/metadata.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "extract/re2_util.h"
#include "extract/utf8_util.h"

namespace fiscdex::extract {
namespace {

constexpr size_t kTopBlocks = 40;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string BlockText(const ingest::Block& b) {
  if (b.kind != ingest::BlockKind::kTableRow) return b.text;
  std::string out;
  for (const std::string& c : b.cells) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

bool NamesFisc(std::string_view line) {
  std::string lower = Lower(line);
  for (std::string_view w : {"fisc", "安全対策基準", "金融機関等コンピュータシステム",
                             "金融情報システムセンター"}) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

std::optional<int> FindEdition(const std::vector<std::string>& lines) {
  static const RE2 kJa("第\\s*(\\d{1,2})\\s*版", QuietOptions());
  static const RE2 kEn("(?i)(\\d{1,2})\\s*(?:st|nd|rd|th)\\s+edition", QuietOptions());
  // Only editions 8 to 13 exist for the documents fiscdex reads (the
  // DocumentMetadata contract); any other "第N版" on the line is the
  // vendor's own revision ("本書 第2版 (FISC 第10版対応)"), so every match of
  // the line is tried, not just the first.
  constexpr int kFirstEdition = 8, kLastEdition = 13;
  for (const std::string& line : lines) {
    if (!NamesFisc(line)) continue;
    for (const RE2* pattern : {&kJa, &kEn}) {
      re2::StringPiece rest(line);
      int n = 0;
      while (RE2::FindAndConsume(&rest, *pattern, &n)) {
        if (n >= kFirstEdition && n <= kLastEdition) return n;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> FormatDate(int y, int m, int d) {
  if (y < 1980 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

struct TrailingDate {
  std::string date;  // YYYY-MM-DD
  size_t start = 0;  // where it starts in the text searched
};

// A full date at the end of `s`: 2023/07/27, 2018年12月14日, 2026-04-30,
// 令和5年4月1日.
std::optional<TrailingDate> FindDateAtEnd(std::string_view s) {
  static const RE2 kWestern(
      "(\\d{4})\\s*[/.\\-年]\\s*(\\d{1,2})\\s*[/.\\-月]\\s*(\\d{1,2})\\s*日?\\s*$", QuietOptions());
  static const RE2 kEra("(令和|平成)\\s*(\\d{1,2}|元)\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日\\s*$",
                        QuietOptions());
  re2::StringPiece text(s.data(), s.size());
  re2::StringPiece m[4];
  int y = 0, mo = 0, d = 0;
  size_t start = 0;
  if (kWestern.Match(text, 0, text.size(), RE2::UNANCHORED, m, 4)) {
    y = std::atoi(std::string(m[1]).c_str());
    mo = std::atoi(std::string(m[2]).c_str());
    d = std::atoi(std::string(m[3]).c_str());
    start = m[0].data() - s.data();
  } else {
    re2::StringPiece e[5];
    if (!kEra.Match(text, 0, text.size(), RE2::UNANCHORED, e, 5)) return std::nullopt;
    int n = e[2] == "元" ? 1 : std::atoi(std::string(e[2]).c_str());
    y = (e[1] == "令和" ? 2018 : 1988) + n;
    mo = std::atoi(std::string(e[3]).c_str());
    d = std::atoi(std::string(e[4]).c_str());
    start = e[0].data() - s.data();
  }
  std::optional<std::string> date = FormatDate(y, mo, d);
  if (!date) return std::nullopt;
  return TrailingDate{std::move(*date), start};
}

std::optional<std::string> FindOrganisation(const std::vector<std::string>& lines);

// A full date at the end of `s` (or alone, when `whole_line`).
std::optional<std::string> DateAtEnd(std::string_view s, bool whole_line) {
  std::optional<TrailingDate> found = FindDateAtEnd(s);
  if (!found) return std::nullopt;
  if (whole_line) {
    std::string_view before = Trim(s.substr(0, found->start));
    // Allow a short label ("作成日：", "Date:", "発行日 ") or the publisher's
    // name set beside the date ("かもめネットワークス株式会社　2016年3月1日"),
    // but not a sentence that ends with a date.
    const bool publisher = CodePointCount(before) <= 40 &&
                           before.find("。") == std::string_view::npos &&
                           before.find("、") == std::string_view::npos &&
                           FindOrganisation({std::string(before)}).has_value();
    if (CodePointCount(before) > 12 && !publisher) return std::nullopt;
  }
  return std::move(found->date);
}

// "作成：株式会社ミズナラ 2024年5月1日", "発行 ミズナラ株式会社": who
// published the document and, on the same line, maybe when.
struct AuthorLine {
  std::string who;
  bool colon = false;  // "作成：…" rather than a key/value cell "作成 …"
  std::optional<std::string> date;
};

std::optional<AuthorLine> ParseAuthorLine(std::string_view line) {
  static const RE2 kAuthorLine("^(?:作成|発行|著作|作成者|発行者|文責)\\s*([:：]?)\\s*(.+)$",
                               QuietOptions());
  std::string colon, who;
  if (!RE2::FullMatch(Trim(line), kAuthorLine, &colon, &who)) return std::nullopt;
  AuthorLine out;
  out.colon = !colon.empty();
  std::string_view name = who;
  if (std::optional<TrailingDate> date = FindDateAtEnd(name)) {
    out.date = std::move(date->date);
    name = name.substr(0, date->start);
  }
  out.who = std::string(Trim(name));
  if (out.who.empty()) return std::nullopt;
  return out;
}

bool NamesRuleDate(std::string_view line) {
  for (std::string_view w : {"制定", "施行", "改正", "承認", "決定", "廃止", "発効"}) {
    if (line.find(w) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<std::string> FindDate(const ingest::Document& doc,
                                    const std::vector<std::string>& top_lines,
                                    const std::vector<std::string>& furniture_lines) {
  for (std::string_view key : {"updated", "last_updated", "lastmod", "modified", "date"}) {
    for (const auto& [k, v] : doc.properties) {
      if (k != key) continue;
      static const RE2 kIso("(\\d{4})-(\\d{1,2})-(\\d{1,2})", QuietOptions());
      int y, m, d;
      if (RE2::PartialMatch(v, kIso, &y, &m, &d)) {
        if (auto date = FormatDate(y, m, d)) return date;
      }
    }
  }
  auto from_lines = [&](const std::vector<std::string>& lines, bool header_line) {
    std::optional<std::string> found;
    for (const std::string& line : lines) {
      if (NamesRuleDate(line)) continue;
      // "作成：株式会社ミズナラ 2024年5月1日": the publisher and the date.
      if (std::optional<AuthorLine> author = ParseAuthorLine(line); author && author->date) {
        return author->date;
      }
      // A page header may print the standard's name before the date.
      if (auto date = DateAtEnd(Trim(line), !header_line || !NamesFisc(line))) return date;
    }
    return found;
  };
  if (auto date = from_lines(top_lines, false)) return date;
  if (auto date = from_lines(furniture_lines, true)) return date;
  static const RE2 kAsOf(
      "(\\d{4})\\s*[/.\\-年]\\s*(\\d{1,2})\\s*[/.\\-月]\\s*(\\d{1,2})\\s*日?\\s*(?:時点|現在)",
      QuietOptions());
  for (const std::string& line : top_lines) {
    int y, m, d;
    if (RE2::PartialMatch(line, kAsOf, &y, &m, &d)) {
      if (auto date = FormatDate(y, m, d)) return date;
    }
  }
  return std::nullopt;
}

// The text after a legal form (株式会社X) or before a suffix (X株式会社, X Inc.).
std::optional<std::string> FindOrganisation(const std::vector<std::string>& lines) {
  static const RE2 kPrefix(
      "(?:株式会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|有限会社|合同会社|"
      "特定非営利活動法人|独立行政法人)\\s*([^\\s(（)）、。,「」『』:：][^(（)）、。,「」『』:：]*)",
      QuietOptions());
  static const RE2 kSuffix(
      "([A-Za-z0-9ぁ-んァ-ヶー一-龥][A-Za-z0-9ぁ-んァ-ヶー一-龥・&\\-]*?)(?:株式会社|\\(株\\))|"
      "([A-Za-z0-9][A-Za-z0-9 .&\\-]*?)\\s*(?:Co\\.,? ?Ltd\\.?|Inc\\.|Corporation|Corp\\.|K\\.K\\.)",
      QuietOptions());
  for (const std::string& line : lines) {
    // Both forms may match ("X株式会社 Y室"): the one that starts first names
    // the organisation.
    re2::StringPiece text(line), prefix[2], suffix[3];
    bool has_prefix = kPrefix.Match(text, 0, text.size(), RE2::UNANCHORED, prefix, 2);
    bool has_suffix = kSuffix.Match(text, 0, text.size(), RE2::UNANCHORED, suffix, 3);
    if (!has_prefix && !has_suffix) continue;
    bool use_suffix = has_suffix && (!has_prefix || suffix[0].data() < prefix[0].data());
    std::string name(use_suffix ? (suffix[1].empty() ? suffix[2] : suffix[1]) : prefix[1]);
    // "株式会社Xは、…": the name ends where the sentence goes on. (The
    // suffix form ends at its legal form already.)
    for (std::string_view stop : {"は、", "が", "の", "および", "及び", "では", "は"}) {
      size_t at = name.find(stop);
      if (!use_suffix && at != std::string::npos && at > 0) name.resize(at);
    }
    std::string_view trimmed = Trim(name);
    if (trimmed.empty() || trimmed.find("金融情報システムセンター") != std::string_view::npos) {
      continue;
    }
    return std::string(trimmed);
  }
  return std::nullopt;
}

std::optional<std::string> FindVendor(const ingest::Document& doc,
                                      const std::vector<std::string>& top_lines,
                                      const std::vector<std::string>& all_lines,
                                      const std::vector<CriterionRecord>& records) {
  for (const std::string& line : all_lines) {
    if (std::optional<AuthorLine> author = ParseAuthorLine(line)) {
      if (auto org = FindOrganisation({author->who})) return org;
      // Without a colon ("作成 …" in a key/value table) only an organisation counts.
      if (author->colon) return author->who;
    }
  }
  for (const auto& [k, v] : doc.properties) {
    if (k == "vendor" || k == "company" || k == "publisher" || k == "organization") return v;
    // An author is a vendor only when named as an organisation (not a role).
    if (k == "author" || k == "creator") {
      if (auto org = FindOrganisation({v})) return org;
    }
  }
  if (auto org = FindOrganisation(top_lines)) return org;
  static const RE2 kCopyright("(?:©|\\(c\\)|Copyright)\\s*(?:\\d{4}\\s*)?([^,.]+?)\\s*(?:Co\\.|Inc\\.|Corporation|株式会社|All rights|$)",
                              QuietOptions());
  for (const std::string& line : all_lines) {
    std::string who;
    if (RE2::PartialMatch(line, kCopyright, &who) && !Trim(who).empty()) {
      return std::string(Trim(who));
    }
  }
  if (auto org = FindOrganisation(all_lines)) return org;
  // The vendor that answers: "Chatwork対応状況", "Xの対応状況".
  static const RE2 kAnswerHeader("([A-Za-z][A-Za-z0-9.\\-]+)\\s*の?対応状況", QuietOptions());
  for (const std::string& line : all_lines) {
    std::string who;
    if (RE2::PartialMatch(line, kAnswerHeader, &who)) return who;
  }
  // The most common subject of the answers: "Chatworkは、…".
  static const RE2 kSubject("^([A-Za-z][A-Za-z0-9.\\-]+(?: [A-Z][A-Za-z0-9.\\-]+)*)\\s*(?:は|では)、",
                            QuietOptions());
  std::map<std::string, int> subjects;
  for (const CriterionRecord& r : records) {
    std::string who;
    if (RE2::PartialMatch(r.answer, kSubject, &who)) ++subjects[who];
  }
  auto best = std::max_element(subjects.begin(), subjects.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (best != subjects.end() && best->second >= 3) return best->first;
  return std::nullopt;
}

// A document that is all table (a CSV check sheet, an Excel export) names
// itself in a key/value row near the top: "文書名 | <title>".
std::optional<std::string> LabelledTitle(const std::vector<ingest::Block>& blocks) {
  static const RE2 kTitleLabel(
      "^\\s*(?:文書名|資料名|書類名|ドキュメント名|タイトル|表題|件名|(?i:title|document(?: name)?))"
      "\\s*[:：]?\\s*$");
  size_t seen = 0;
  for (const ingest::Block& b : blocks) {
    if (b.kind == ingest::BlockKind::kBlank) continue;
    if (++seen > kTopBlocks) break;
    if (b.kind != ingest::BlockKind::kTableRow) continue;
    std::vector<std::string_view> filled;
    for (const std::string& cell : b.cells) {
      if (!Trim(cell).empty()) filled.push_back(Trim(cell));
    }
    if (filled.size() == 2 && RE2::FullMatch(re2::StringPiece(filled[0].data(), filled[0].size()),
                                             kTitleLabel) &&
        CodePointCount(filled[1]) <= 120) {
      return std::string(filled[1]);
    }
  }
  return std::nullopt;
}

}  // namespace

DocumentMetadata ExtractMetadata(const ingest::Document& doc,
                                 const normalize::NormalizedDocument& normalized,
                                 const std::vector<CriterionRecord>& records) {
  std::vector<std::string> top_lines, all_lines, furniture_lines;
  for (const ingest::Block& b : normalized.blocks) {
    if (b.kind == ingest::BlockKind::kBlank) continue;
    std::string text = BlockText(b);
    if (top_lines.size() < kTopBlocks) top_lines.push_back(text);
    all_lines.push_back(std::move(text));
  }
  for (const ingest::Block& b : normalized.furniture) furniture_lines.push_back(BlockText(b));

  DocumentMetadata meta;
  for (const auto& [k, v] : doc.properties) {
    if (k == "title" && !v.empty()) meta.title = v;
  }
  if (!meta.title) {
    for (const ingest::Block& b : normalized.blocks) {
      if ((b.kind == ingest::BlockKind::kHeading || b.kind == ingest::BlockKind::kLine) &&
          !b.text.empty() && CodePointCount(b.text) <= 120) {
        meta.title = b.text;
        break;
      }
    }
  }
  if (!meta.title) meta.title = LabelledTitle(normalized.blocks);
  // Furniture first: a running header names the standard and edition.
  std::vector<std::string> edition_lines = furniture_lines;
  edition_lines.insert(edition_lines.end(), all_lines.begin(), all_lines.end());
  meta.edition = FindEdition(edition_lines);
  meta.date = FindDate(doc, top_lines, furniture_lines);
  std::vector<std::string> vendor_lines = all_lines;
  vendor_lines.insert(vendor_lines.end(), furniture_lines.begin(), furniture_lines.end());
  meta.vendor = FindVendor(doc, top_lines, vendor_lines, records);
  return meta;
}

}  // namespace fiscdex::extract
