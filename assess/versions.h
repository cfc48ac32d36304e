// Vendors, whitepapers and their versions (doc/versions.md).
//
// Documents of one vendor and one whitepaper are versions of it: the same
// vendor (the one declared at ingest with --as, else the one the document
// names) and the same title once version words, dates and editions are taken
// out of it. They are ordered by date, edition and version string. Two
// documents of one whitepaper with the same date, edition and version string,
// or with the same records (criterion IDs and answers, whatever the layout
// and format), are one version in two files: the one with the most records
// stands for it.
#ifndef FISCDEX_ASSESS_VERSIONS_H_
#define FISCDEX_ASSESS_VERSIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscdex::assess {

// A digest of a document's records, the same for the same content read from
// a PDF, a spreadsheet export or a web page: criterion IDs with their
// answers after NFKC and case folding, without white space, punctuation or
// markup remnants, in ID order.
class ContentKeyBuilder {
 public:
  void Add(std::string_view criterion_id, std::string_view answer);
  // Hex SHA-256; "" for a document without records (such documents are
  // never merged by content).
  std::string Finish();

 private:
  std::vector<std::string> lines_;
};

// The version string a title or file name carries: 第3版, 3.1版, v1.2, Ver.2.0,
// Rev.3, 改訂2, 2023年版 ... (the digits and dots of it, for ordering), or
// nullopt.
std::optional<std::string> VersionLabel(std::string_view text);

// What vendor names are compared by: folded, without company-form words
// (株式会社, (株), Inc., Co., Ltd. ...) and spaces.
std::string VendorKey(std::string_view vendor);

// What whitepaper titles are compared by: folded, without version strings,
// dates, FISC edition mentions and spaces.
std::string TitleKey(std::string_view title);

struct VersionInput {
  int64_t id = 0;
  std::string path;
  std::optional<std::string> vendor;           // from the document
  std::optional<std::string> declared_vendor;  // --as at ingest
  std::optional<std::string> title;
  std::optional<int> edition;
  std::optional<std::string> date;  // YYYY-MM-DD
  std::string content_key;          // ContentKeyBuilder; "" when unknown
  int records = 0;
};

struct DocumentVersion {
  int64_t id = 0;
  // Shown for the vendor: the declared one, else the document's, else the
  // file name (a document naming no vendor is a vendor of its own).
  std::string vendor;
  // The whitepaper (series) the document belongs to; documents of one
  // series have the same key.
  std::string series;
  // 1 for the oldest version of its series; format copies share a number.
  int version = 1;
  int versions = 1;  // versions in the series
  bool latest = false;
  // True for the one document that stands for its version (the others are
  // the same content in another file).
  bool primary = true;
  int64_t primary_id = 0;  // the document standing for this one's version
  std::optional<std::string> version_label;
};

// One entry per input, in input order.
std::vector<DocumentVersion> GroupVersions(const std::vector<VersionInput>& documents);

}  // namespace fiscdex::assess

#endif  // FISCDEX_ASSESS_VERSIONS_H_
