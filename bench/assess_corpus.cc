#include "bench/assess_corpus.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

namespace fiscdex::bench {
namespace {

namespace fs = std::filesystem;

// --- determinism ------------------------------------------------------------

// splitmix64: tiny, fast, and the same on every platform and standard
// library (std::mt19937 is too, but its distributions are not).
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// FNV-1a: a criterion ID's part of a seed.
uint64_t HashText(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// Distinct purposes draw from distinct streams, so adding a draw to one
// (say, a new way to change an answer) leaves the others' choices alone.
enum class Stream : uint64_t {
  kVendorName = 1,
  kCoverage,
  kAnswer,
  kVersionChanges,
};

class Rng {
 public:
  Rng(Stream stream, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
    state_ = static_cast<uint64_t>(stream);
    for (const uint64_t part : {a, b, c}) {
      state_ ^= part;
      state_ = SplitMix64(&state_);
    }
  }
  uint64_t Next() { return SplitMix64(&state_); }
  // Uniform enough in [0, n) for the small n used here. REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_ = 0;
};

// --- criterion IDs ----------------------------------------------------------

// The family's name for a heading (実務基準 for 実8).
std::string_view FamilyName(std::string_view id) {
  const std::string_view family = extract::CriterionFamilyOf(id);
  for (const extract::CriterionFamily& known : extract::CriterionFamilies()) {
    if (known.key == family) return known.name;
  }
  return "その他";
}

// --- text -------------------------------------------------------------------

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// An extracted answer made fit for any layout: a tab would split a text
// row table's cell, and blank lines or stray spaces would come out
// differently in each format.
std::string TidyAnswer(std::string_view answer) {
  std::string out;
  size_t start = 0;
  while (start <= answer.size()) {
    const size_t end = std::min(answer.find('\n', start), answer.size());
    std::string line(TrimSpaces(answer.substr(start, end - start)));
    std::replace(line.begin(), line.end(), '\t', ' ');
    if (!TrimSpaces(line).empty()) {
      if (!out.empty()) out += '\n';
      out += TrimSpaces(line);
    }
    start = end + 1;
  }
  return out;
}

// One line of a multi-line answer, for layouts where a line break would end
// the record: lines after a sentence end are joined directly, as Japanese
// is written; others with a space, so words do not run together.
std::string OneLine(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = TrimSpaces(text.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty() && !EndsWith(out, "。") && !EndsWith(out, "）") && !EndsWith(out, ")")) {
        out += ' ';
      }
      out.append(line);
    }
    start = end + 1;
  }
  return out;
}

// Sentences, each with its 。 and without the line breaks around it.
std::vector<std::string> Sentences(std::string_view text) {
  constexpr std::string_view kStop = "。";
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t stop = text.find(kStop, start);
    const size_t end = stop == std::string_view::npos ? text.size() : stop + kStop.size();
    std::string_view sentence = text.substr(start, end - start);
    const size_t first = sentence.find_first_not_of(" \r\n");
    const size_t last = sentence.find_last_not_of(" \r\n");
    if (first != std::string_view::npos) out.emplace_back(sentence.substr(first, last - first + 1));
    start = end;
  }
  return out;
}

// --- answers ----------------------------------------------------------------

// `answer` with `sentence` after it: on the same line after a finished
// sentence, as one paragraph continues; on a line of its own otherwise.
std::string WithSentence(std::string answer, const std::string& sentence) {
  if (sentence.empty() || answer.find(sentence) != std::string::npos) return answer;
  if (!answer.empty() && !EndsWith(answer, "。")) answer += '\n';
  return answer + sentence;
}

// A sentence of some other answer, to make a vendor's answer its own.
std::string BorrowedSentence(const AnswerPool& pool, Rng* rng) {
  if (pool.all_answers.empty()) return "";
  const std::vector<std::string> sentences = Sentences(OneLine(rng->Pick(pool.all_answers)));
  return sentences.empty() ? "" : rng->Pick(sentences);
}

// Vendor `vendor`'s answer to `id`, `variant` 0 for its first version.
// Mostly one of the answers real documents give for that ID; for an ID few
// documents answer, sometimes any answer (else all vendors would say the
// same); now and then with a sentence of another answer added.
std::string PickAnswer(const AnswerPool& pool, int vendor, const std::string& id, int variant) {
  Rng rng(Stream::kAnswer, static_cast<uint64_t>(vendor), HashText(id),
          static_cast<uint64_t>(variant));
  const auto found = pool.answers.find(id);
  const bool few = found == pool.answers.end() || found->second.size() < 3;
  std::string answer;
  if ((few && rng.Percent(30) && !pool.all_answers.empty()) || found == pool.answers.end()) {
    answer = rng.Pick(pool.all_answers);
  } else {
    answer = rng.Pick(found->second);
  }
  if (!answer.empty() && rng.Percent(25)) {
    answer = WithSentence(answer, BorrowedSentence(pool, &rng));
  }
  return answer;
}

// The first ASCII digit moved up by one (9 wraps to 1): the kind of change
// a new version makes (年1回 -> 年2回). Text without a digit stays as it is.
void BumpFirstDigit(std::string* text) {
  for (char& c : *text) {
    if (c >= '0' && c <= '9') {
      c = c == '9' ? '1' : static_cast<char>(c + 1);
      return;
    }
  }
}

// An answer as the next version has it: another real answer, a sentence
// added or dropped, or a number changed; never the same text.
std::string ChangeAnswer(const AnswerPool& pool, int vendor, const std::string& id, int version,
                         const std::string& answer, Rng* rng) {
  std::string changed = answer;
  switch (rng->Below(4)) {
    case 0:
      changed = PickAnswer(pool, vendor, id, version);
      break;
    case 1: {
      const std::vector<std::string> sentences = Sentences(answer);
      if (sentences.size() >= 2) {
        changed.clear();
        for (size_t i = 0; i + 1 < sentences.size(); ++i) changed += sentences[i];
      }
      break;
    }
    case 2:
      BumpFirstDigit(&changed);
      break;
    default:
      break;
  }
  // Nothing changed (no second sentence, no digit, the same pick): a
  // sentence is added, or a blank answer filled. A borrowed sentence may be
  // in the answer already, so a few tries; a pool of one answer that this
  // answer already holds leaves only a made-up change.
  for (int tries = 0; (changed == answer || changed.empty()) && tries < 5; ++tries) {
    changed = answer.empty() ? rng->Pick(pool.all_answers)
                             : WithSentence(answer, BorrowedSentence(pool, rng));
  }
  if (changed == answer || changed.empty()) changed = answer + "（改訂）";
  return changed;
}

// --- vendors ----------------------------------------------------------------

// Name parts for invented companies: stems of two syllables that mean
// nothing, and generic business words.
constexpr const char* kSyllables[] = {
    "アオ", "カヤ", "ミト", "ハル", "ソラ", "ユウ", "キリ", "ナギ", "ツキ", "ヒノ", "サエ",
    "モリ", "タカ", "ミネ", "コト", "シオ", "フミ", "ヤエ", "ルリ", "ノゾ", "カエ", "セリ",
    "トワ", "ニレ", "ウル", "マシ", "ホタ", "レン", "イブ", "クオ", "エナ", "ヨシ",
};
constexpr const char* kBusinessWords[] = {
    "情報システム", "データ",         "テック",       "ソリューションズ",
    "クラウド",     "ネットワークス", "システムズ",   "デジタル",
    "総研",         "ソフト",         "情報サービス", "インフォテック",
    "ラボ",         "コンピュータ",   "計算センター",
};
constexpr const char* kServiceWords[] = {
    "給与クラウド",     "決済ゲートウェイ",   "勘定系SaaS",     "経費精算クラウド",
    "電子契約サービス", "認証基盤",           "データ連携基盤", "与信管理サービス",
    "顧客管理クラウド", "ローン審査クラウド", "帳票クラウド",   "業務チャット",
};
// Version words the title carries; each is a form assess::VersionLabel
// reads. Not a bare 第N版: on the title line, which names FISC, the
// extractor would take 第8版 for the FISC edition.
constexpr const char* kVersionFormats[] = {"Ver.%d.0", "第%d.0版", "Rev.%d", "v1.%d"};

// A candidate vendor: the `candidate`-th name the lists give.
AssessVendor CandidateVendor(uint64_t candidate) {
  Rng rng(Stream::kVendorName, candidate);
  const size_t first = rng.Below(std::size(kSyllables));
  size_t second = rng.Below(std::size(kSyllables) - 1);
  if (second >= first) ++second;  // never the same syllable twice
  const std::string stem = std::string(kSyllables[first]) + kSyllables[second];
  AssessVendor v;
  v.core = stem + kBusinessWords[rng.Below(std::size(kBusinessWords))];
  // The legal form before the name, after it, or another form: 3 : 3 : 1.
  const uint64_t form = rng.Below(7);
  if (form < 3) {
    v.name = "株式会社" + v.core;
  } else if (form < 6) {
    v.name = v.core + "株式会社";
  } else {
    v.name = "合同会社" + v.core;
  }
  v.service = stem + kServiceWords[rng.Below(std::size(kServiceWords))];
  return v;
}

// --- layouts ----------------------------------------------------------------

std::string FormatVersionWord(const char* format, int version) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, version + 1);
  return buf;
}

struct Ymd {
  int year = 0, month = 0, day = 0;
};

// Version k of a vendor is dated about four months after version k-1; the
// vendors start in different months and on different days.
Ymd VersionDate(int vendor, int version) {
  const int months = 3 + 4 * version + vendor % 4;  // from January 2019
  Ymd d;
  d.year = 2019 + months / 12;
  d.month = months % 12 + 1;
  d.day = 1 + (vendor * 5 + version * 11) % 28;
  return d;
}

std::string IsoDate(const Ymd& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}
std::string SlashDate(const Ymd& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", d.year, d.month, d.day);
  return buf;
}
std::string KanjiDate(const Ymd& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string FiscStandard() {
  return "金融機関等コンピュータシステムの安全対策基準・解説書（第" +
         std::to_string(kAssessEdition) + "版）";
}

// What a layout writer needs to know besides the records.
struct DocumentHead {
  const AssessVendor* vendor = nullptr;
  std::string title;
  Ymd date;
};

std::string TitleOf(const AnswerPool& pool, const std::string& id) {
  const auto found = pool.titles.find(id);
  return found == pool.titles.end() ? "" : OneLine(found->second);
}

// Calls `section(family_name)` before the first record of each family and
// `row(record)` for every record.
template <typename Section, typename Row>
void ByFamily(const std::vector<AssessRecord>& records, Section section, Row row) {
  std::string_view current;
  for (const AssessRecord& r : records) {
    const std::string_view family = FamilyName(r.id);
    if (family != current) {
      section(family);
      current = family;
    }
    row(r);
  }
}

// Text as Markdown shows it: emphasis and code markers escaped, and in a
// table cell the column separator escaped and line breaks as <br>.
std::string MarkdownText(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "<br>";
    } else if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string WriteMarkdownTable(const AnswerPool& pool, const DocumentHead& head,
                               const std::vector<AssessRecord>& records) {
  std::string out = "# " + head.title + "\n\n";
  out += "作成：" + head.vendor->name + "\n\n";
  out += "更新日：" + SlashDate(head.date) + "\n\n";
  out += "本書は、FISC「" + FiscStandard() + "」の基準ごとに、" + head.vendor->service +
         "の対応状況を記載したものです。\n";
  ByFamily(
      records,
      [&](std::string_view family) {
        out += "\n## ";
        out.append(family);
        out += "\n\n| 項番 | 項目 | 回答 |\n| --- | --- | --- |\n";
      },
      [&](const AssessRecord& r) {
        out += "| " + r.id + " | " + MarkdownText(TitleOf(pool, r.id)) + " | " +
               MarkdownText(r.answer) + " |\n";
      });
  return out;
}

std::string WriteTextRows(const AnswerPool&, const DocumentHead& head,
                          const std::vector<AssessRecord>& records) {
  std::string out = head.title + "\n\n";
  out += "FISC「" + FiscStandard() + "」対応\n\n";
  out += KanjiDate(head.date) + "\n\n";
  out += "作成：" + head.vendor->name + "\n\n";
  out += "1. 本書について\n\n";
  out += "本書は、" + head.vendor->service +
         "における安全対策の実施状況を、安全対策基準の基準番号ごとに記載したものです。"
         "空欄の項目は、記載を準備中であることを示します。\n\n";
  out += "2. 安全対策対応表\n";
  ByFamily(
      records,
      [&](std::string_view family) {
        out += "\n■ ";
        out.append(family);
        out += "\n\n基準番号\t" + head.vendor->service + "の対応状況\n";
      },
      [&](const AssessRecord& r) { out += r.id + "\t" + r.answer + "\n"; });
  return out;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// A spreadsheet exported to CSV: key/value rows above the table, the
// title in a 文書名 row.
std::string WriteCsv(const AnswerPool& pool, const DocumentHead& head,
                     const std::vector<AssessRecord>& records) {
  std::string out = "文書名," + CsvField(head.title) + "\n";
  out += "作成," + CsvField(head.vendor->name) + "\n";
  out += "準拠基準," + CsvField(FiscStandard()) + "\n";
  out += "作成日," + SlashDate(head.date) + "\n";
  out += ",\n";
  out += "基準番号,項目名,対応状況\n";
  for (const AssessRecord& r : records) {
    out += r.id + "," + CsvField(TitleOf(pool, r.id)) + "," + CsvField(r.answer) + "\n";
  }
  return out;
}

std::string WriteQuestionnaire(const AnswerPool& pool, const DocumentHead& head,
                               const std::vector<AssessRecord>& records) {
  std::string out = head.title + "\n\n";
  out += head.vendor->service + " 金融機関向け質問票 回答書\n";
  out += "作成：" + head.vendor->name + " " + KanjiDate(head.date) + "\n\n";
  out += "はじめに\n";
  out += "本書は、FISC「" + FiscStandard() +
         "」の基準ごとに、金融機関のお客さまからいただいた質問への当社の回答を記載したものです。"
         "Q. が質問、A. が当社の回答です。\n";
  for (const AssessRecord& r : records) {
    std::string question = TitleOf(pool, r.id);
    // Phrased to the vendor, so that it is no criterion title.
    if (question.empty()) question = "貴社の対応状況をご回答ください。";
    out += "\nQ. " + r.id + " " + question + "\n";
    out += r.answer.empty() ? "A.\n" : "A. " + r.answer + "\n";
  }
  return out;
}

// An answer that stays one paragraph of Markdown: a line starting with a
// block marker would turn into a heading, quote, table or list item, so the
// markers go (the pool's answers from Markdown lists start with "- ").
std::string MarkdownParagraph(std::string_view text) {
  std::string line = OneLine(text);
  const size_t start = line.find_first_not_of("#>|-*+ ");
  return start == std::string::npos ? "" : line.substr(start);
}

std::string WriteMarkdownHeadings(const AnswerPool& pool, const DocumentHead& head,
                                  const std::vector<AssessRecord>& records) {
  std::string out = "---\n";
  out += "title: " + head.title + "\n";
  out += "author: " + head.vendor->name + "\n";
  out += "updated: " + IsoDate(head.date) + "\n";
  out += "---\n\n";
  out += "# " + head.title + "\n\n";
  out += "発行：" + head.vendor->name + "\n\n";
  out += "> 本書は「" + FiscStandard() + "」の基準ごとに、" + head.vendor->service +
         "の対応を解説します。\n";
  ByFamily(
      records,
      [&](std::string_view family) {
        out += "\n## ";
        out.append(family);
        out += "\n";
      },
      [&](const AssessRecord& r) {
        const std::string title = TitleOf(pool, r.id);
        out += "\n### " + r.id + (title.empty() ? "" : ": " + MarkdownText(title)) + "\n";
        if (!r.answer.empty()) out += "\n" + MarkdownText(r.answer) + "\n";
      });
  return out;
}

std::string HtmlText(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string WriteHtmlTable(const AnswerPool& pool, const DocumentHead& head,
                           const std::vector<AssessRecord>& records) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + HtmlText(head.title) + "</title>\n";
  out += "<meta name=\"author\" content=\"" + HtmlText(head.vendor->name) + "\">\n";
  out += "</head>\n<body>\n";
  out += "<h1>" + HtmlText(head.title) + "</h1>\n";
  out += "<p>本書は、FISC「" + FiscStandard() + "」の各基準に対する、" +
         HtmlText(head.vendor->service) + "の対応状況を示します。</p>\n";
  out += "<p>発行日：" + KanjiDate(head.date) + "<br>" + HtmlText(head.vendor->name) +
         " セキュリティ推進室</p>\n";
  bool open = false;
  ByFamily(
      records,
      [&](std::string_view family) {
        if (open) out += "</tbody>\n</table>\n";
        open = true;
        out += "<h2>";
        out.append(family);
        out +=
            "</h2>\n<table>\n<thead><tr><th>基準番号</th><th>項目</th><th>対応状況</th></tr>"
            "</thead>\n<tbody>\n";
      },
      [&](const AssessRecord& r) {
        out += "<tr><td>" + r.id + "</td><td>" + HtmlText(TitleOf(pool, r.id)) + "</td><td>" +
               HtmlText(r.answer) + "</td></tr>\n";
      });
  if (open) out += "</tbody>\n</table>\n";
  out += "</body>\n</html>\n";
  return out;
}

// An answer as `layout` prints it, which is what the extractor should read
// back: layouts that end a record at a line break get it on one line.
std::string PrintedAnswer(AssessLayout layout, const std::string& answer) {
  switch (layout) {
    case AssessLayout::kTextRows:
    case AssessLayout::kQuestionnaire:
      return OneLine(answer);
    case AssessLayout::kMarkdownHeadings:
      return MarkdownParagraph(answer);
    case AssessLayout::kMarkdownTable:
    case AssessLayout::kCsv:
    case AssessLayout::kHtmlTable:
      return answer;
  }
  return answer;
}

const char* Extension(AssessLayout layout) {
  switch (layout) {
    case AssessLayout::kMarkdownTable:
    case AssessLayout::kMarkdownHeadings:
      return ".md";
    case AssessLayout::kCsv:
      return ".csv";
    case AssessLayout::kHtmlTable:
      return ".html";
    case AssessLayout::kTextRows:
    case AssessLayout::kQuestionnaire:
      return ".txt";
  }
  return ".txt";
}

std::string WriteDocument(const AnswerPool& pool, const DocumentHead& head,
                          const std::vector<AssessRecord>& records) {
  switch (head.vendor->layout) {
    case AssessLayout::kMarkdownTable:
      return WriteMarkdownTable(pool, head, records);
    case AssessLayout::kTextRows:
      return WriteTextRows(pool, head, records);
    case AssessLayout::kCsv:
      return WriteCsv(pool, head, records);
    case AssessLayout::kQuestionnaire:
      return WriteQuestionnaire(pool, head, records);
    case AssessLayout::kMarkdownHeadings:
      return WriteMarkdownHeadings(pool, head, records);
    case AssessLayout::kHtmlTable:
      return WriteHtmlTable(pool, head, records);
  }
  return "";
}

std::string VendorFolder(int vendor) {
  char name[16];
  std::snprintf(name, sizeof name, "v%03d", vendor + 1);
  return name;
}

// Calls `visit` on every document of the corpus, vendor by vendor, so that
// at most one vendor's versions are in memory.
Status ForEachAssessDocument(const AnswerPool& pool, int vendors, int versions,
                             const std::function<Status(const AssessDocument&)>& visit) {
  if (pool.criteria.empty() || pool.all_answers.empty()) {
    return Status::Empty("the answer pool has no answers");
  }
  const std::vector<AssessVendor> all = AssessVendors(vendors);
  for (int v = 0; v < vendors; ++v) {
    for (const AssessDocument& doc : MakeVendorVersions(pool, v, all[v], versions)) {
      RETURN_IF_ERROR(visit(doc));
    }
  }
  return Status::Ok();
}

void Count(const AssessDocument& doc, AssessCorpusStats* stats) {
  ++stats->files;
  stats->bytes += doc.bytes.size();
  stats->records += doc.records.size();
  stats->records_by_path[doc.relative_path] = static_cast<int>(doc.records.size());
}

}  // namespace

const char* AssessLayoutName(AssessLayout layout) {
  switch (layout) {
    case AssessLayout::kMarkdownTable:
      return "markdown table";
    case AssessLayout::kTextRows:
      return "text rows";
    case AssessLayout::kCsv:
      return "csv";
    case AssessLayout::kQuestionnaire:
      return "questionnaire";
    case AssessLayout::kMarkdownHeadings:
      return "markdown headings";
    case AssessLayout::kHtmlTable:
      return "html table";
  }
  return "?";
}

Result<std::vector<std::string>> ListPoolFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir + ": no such folder");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_regular_file(ec)) continue;
    for (const char* ext : {".txt", ".md", ".csv", ".html", ".htm"}) {
      if (EndsWith(name, ext)) {
        files.push_back(it->path().string());
        break;
      }
    }
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<AnswerPool> BuildAnswerPool(const std::vector<std::string>& files) {
  AnswerPool pool;
  std::map<std::string, std::set<std::string>> seen_by_id;
  std::set<std::string> seen_anywhere;
  for (const std::string& path : files) {
    Result<ingest::Document> doc = ingest::LoadFile(path);
    if (!doc.ok()) return doc.status().WithContext(path);
    const normalize::NormalizedDocument normalized = normalize::Normalize(*doc);
    const extract::Extraction extraction = extract::Extract(*doc, normalized);
    ++pool.files;
    if (!extraction.records.empty()) ++pool.files_with_records;
    for (const extract::CriterionRecord& record : extraction.records) {
      ++pool.records;
      std::string answer = TidyAnswer(record.answer);
      if (seen_by_id[record.id].insert(answer).second) {
        pool.answers[record.id].push_back(answer);
      }
      if (!answer.empty() && seen_anywhere.insert(answer).second) {
        pool.all_answers.push_back(answer);
      }
      if (record.title && !record.title->empty()) pool.titles.emplace(record.id, *record.title);
    }
  }
  if (pool.all_answers.empty()) return Status::Empty("no answered criterion in the pool's files");
  for (const auto& [id, answers] : pool.answers) pool.criteria.push_back(id);
  std::sort(pool.criteria.begin(), pool.criteria.end(), extract::CriterionLess);
  return pool;
}

void PadUniverse(AnswerPool* pool, size_t target) {
  // The families in the standard's order, with the highest number each has.
  std::vector<std::pair<std::string, long>> families;
  for (const std::string& id : pool->criteria) {
    size_t digits = 0;
    while (digits < id.size() && !(id[digits] >= '0' && id[digits] <= '9')) ++digits;
    if (digits == 0 || digits == id.size()) continue;
    const std::string family = id.substr(0, digits);
    const long number = std::strtol(id.c_str() + digits, nullptr, 10);
    auto known = std::find_if(families.begin(), families.end(),
                              [&](const auto& f) { return f.first == family; });
    if (known == families.end()) {
      families.emplace_back(family, number);
    } else {
      known->second = std::max(known->second, number);
    }
  }
  if (families.empty()) return;
  std::set<std::string> have(pool->criteria.begin(), pool->criteria.end());
  for (size_t turn = 0; pool->criteria.size() < target; ++turn) {
    auto& [family, highest] = families[turn % families.size()];
    const std::string id = family + std::to_string(++highest);
    if (have.insert(id).second) pool->criteria.push_back(id);
  }
  std::sort(pool->criteria.begin(), pool->criteria.end(), extract::CriterionLess);
}

std::vector<AssessVendor> AssessVendors(int count) {
  std::vector<AssessVendor> vendors;
  for (uint64_t candidate = 0; static_cast<int>(vendors.size()) < count; ++candidate) {
    AssessVendor v = CandidateVendor(candidate);
    const bool clashes = std::any_of(vendors.begin(), vendors.end(), [&](const AssessVendor& o) {
      return o.core.find(v.core) != std::string::npos || v.core.find(o.core) != std::string::npos;
    });
    if (clashes) continue;
    const int index = static_cast<int>(vendors.size());
    v.layout = static_cast<AssessLayout>(index % kAssessLayoutCount);
    v.version_format = kVersionFormats[(index / kAssessLayoutCount) % std::size(kVersionFormats)];
    vendors.push_back(std::move(v));
  }
  return vendors;
}

std::vector<AssessDocument> MakeVendorVersions(const AnswerPool& pool, int vendor_index,
                                               const AssessVendor& vendor, int versions) {
  const std::vector<std::string>& universe = pool.criteria;
  // Index into the universe -> answer; the universe is in criterion order,
  // so iterating gives the records in the order documents print them.
  std::map<size_t, std::string> answers;
  {
    Rng rng(Stream::kCoverage, static_cast<uint64_t>(vendor_index));
    const uint64_t coverage_permille = 800 + rng.Below(201);
    for (size_t i = 0; i < universe.size(); ++i) {
      if (rng.Below(1000) < coverage_permille) {
        answers[i] = PickAnswer(pool, vendor_index, universe[i], 0);
      }
    }
    if (answers.empty()) answers[0] = PickAnswer(pool, vendor_index, universe[0], 0);
  }

  std::vector<AssessDocument> docs;
  for (int k = 0; k < versions; ++k) {
    if (k > 0) {
      Rng rng(Stream::kVersionChanges, static_cast<uint64_t>(vendor_index),
              static_cast<uint64_t>(k));
      for (auto& [i, answer] : answers) {
        if (rng.Percent(10)) {
          answer = ChangeAnswer(pool, vendor_index, universe[i], k, answer, &rng);
        }
      }
      const uint64_t removals = rng.Below(3);
      for (uint64_t n = 0; n < removals && answers.size() > 1; ++n) {
        auto victim = answers.begin();
        std::advance(victim, static_cast<long>(rng.Below(answers.size())));
        answers.erase(victim);
      }
      const uint64_t additions = 1 + rng.Below(3);
      for (uint64_t n = 0, tries = 0; n < additions && tries < 50; ++tries) {
        const size_t i = rng.Below(universe.size());
        if (answers.count(i)) continue;
        answers[i] = PickAnswer(pool, vendor_index, universe[i], k);
        ++n;
      }
    }
    AssessDocument doc;
    doc.vendor = vendor_index;
    doc.version = k;
    const std::string version_word = FormatVersionWord(vendor.version_format, k);
    doc.title = vendor.service + " FISC安全対策基準 対応状況 " + version_word;
    const Ymd date = VersionDate(vendor_index, k);
    doc.date = IsoDate(date);
    doc.relative_path =
        VendorFolder(vendor_index) + "/version-" + std::to_string(k + 1) + Extension(vendor.layout);
    for (const auto& [i, answer] : answers) {
      doc.records.push_back({universe[i], PrintedAnswer(vendor.layout, answer)});
    }
    doc.bytes = WriteDocument(pool, DocumentHead{&vendor, doc.title, date}, doc.records);
    docs.push_back(std::move(doc));
  }
  return docs;
}

Result<AssessCorpusStats> GenerateAssessCorpus(
    const AnswerPool& pool, int vendors, int versions, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  if (pool.criteria.empty() || pool.all_answers.empty()) {
    return Status::Empty("the answer pool has no answers");
  }
  std::error_code ec;
  fs::remove_all(docs_dir, ec);
  if (ec) return Status::IoError(docs_dir + ": cannot remove: " + ec.message());
  AssessCorpusStats stats;
  const uint64_t total = static_cast<uint64_t>(vendors) * static_cast<uint64_t>(versions);
  RETURN_IF_ERROR(ForEachAssessDocument(pool, vendors, versions, [&](const AssessDocument& doc) {
    const fs::path path = fs::path(docs_dir) / doc.relative_path;
    std::error_code mkdir_ec;
    fs::create_directories(path.parent_path(), mkdir_ec);
    if (mkdir_ec) {
      return Status::IoError(path.parent_path().string() +
                             ": cannot create: " + mkdir_ec.message());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(doc.bytes.data(), static_cast<std::streamsize>(doc.bytes.size()));
    out.close();
    if (!out) return Status::IoError(path.string() + ": cannot write");
    Count(doc, &stats);
    if (progress) progress(stats.files, total);
    return Status::Ok();
  }));
  return stats;
}

Result<AssessCorpusStats> DescribeAssessCorpus(const AnswerPool& pool, int vendors, int versions) {
  AssessCorpusStats stats;
  RETURN_IF_ERROR(ForEachAssessDocument(pool, vendors, versions, [&](const AssessDocument& doc) {
    Count(doc, &stats);
    return Status::Ok();
  }));
  return stats;
}

}  // namespace fiscdex::bench
