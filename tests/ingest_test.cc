// Tests of the ingest stage: encodings, format detection, the four readers,
// the file walk and LoadFile, and the SHA-256 behind content hashes. Fixture
// text is written here (fictional vendors); byte sequences in other encodings
// are built with ICU, independently of the code under test, or spelled out.
#include "ingest/ingest.h"

#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/sha256.h"
#include "ingest/document.h"
#include "tests/test_util.h"

namespace fiscdex::ingest {
namespace {

using ::fiscdex::testing::TempDir;
using ::fiscdex::testing::WriteFile;
namespace fs = std::filesystem;

// ---- helpers ----

std::u16string ToUtf16(std::string_view utf8) {
  std::u16string out(utf8.size() + 1, u'\0');
  int32_t length = 0;
  UErrorCode error = U_ZERO_ERROR;
  u_strFromUTF8(reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &length,
                utf8.data(), static_cast<int32_t>(utf8.size()), &error);
  EXPECT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  out.resize(static_cast<size_t>(length));
  return out;
}

std::string Utf16Bytes(std::string_view utf8, bool big_endian, bool bom) {
  std::u16string units = ToUtf16(utf8);
  if (bom) units.insert(units.begin(), u'\xFEFF');
  std::string bytes;
  for (char16_t u : units) {
    const char hi = static_cast<char>(u >> 8);
    const char lo = static_cast<char>(u & 0xFF);
    bytes.push_back(big_endian ? hi : lo);
    bytes.push_back(big_endian ? lo : hi);
  }
  return bytes;
}

// Encodes with an ICU converter that must map every character.
std::string Encode(std::string_view utf8, const char* converter_name) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open(converter_name, &error),
                                                               ucnv_close);
  EXPECT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  ucnv_setFromUCallBack(converter.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &error);
  const std::u16string units = ToUtf16(utf8);
  std::string out(units.size() * 4 + 16, '\0');
  const int32_t length = ucnv_fromUChars(
      converter.get(), out.data(), static_cast<int32_t>(out.size()),
      reinterpret_cast<const UChar*>(units.data()), static_cast<int32_t>(units.size()), &error);
  EXPECT_TRUE(U_SUCCESS(error)) << converter_name << ": " << u_errorName(error);
  out.resize(static_cast<size_t>(length));
  return out;
}

// A block in one short line: "L:text", "H2:text", "B", "R0h:a|b" (table 0, header).
std::string Describe(const Block& block) {
  switch (block.kind) {
    case BlockKind::kLine:
      return "L:" + block.text;
    case BlockKind::kHeading:
      return "H" + std::to_string(block.level) + ":" + block.text;
    case BlockKind::kBlank:
      return "B";
    case BlockKind::kTableRow: {
      std::string out = "R" + std::to_string(block.table) + (block.header ? "h" : "") + ":";
      for (size_t i = 0; i < block.cells.size(); ++i) {
        if (i > 0) out += "|";
        out += block.cells[i];
      }
      return out;
    }
  }
  return "?";
}

std::vector<std::string> DescribeAll(const Document& doc) {
  std::vector<std::string> out;
  for (const Block& block : doc.blocks) out.push_back(Describe(block));
  return out;
}

Result<Document> Parse(Format format, std::string_view text) {
  Document doc;
  doc.text = std::string(text);
  RETURN_IF_ERROR(ParseText(format, &doc));
  return doc;
}

// Every block's source range must lie inside the text and be ordered.
void ExpectSaneOffsets(const Document& doc) {
  size_t previous_begin = 0;
  for (const Block& block : doc.blocks) {
    EXPECT_LE(block.source_begin, block.source_end) << Describe(block);
    EXPECT_LE(block.source_end, doc.text.size()) << Describe(block);
    EXPECT_GE(block.source_begin, previous_begin) << Describe(block);
    previous_begin = block.source_begin;
  }
}

std::string SourceOf(const Document& doc, const Block& block) {
  return doc.text.substr(block.source_begin, block.source_end - block.source_begin);
}

// ---- SHA-256 ----

TEST(Sha256Test, MatchesPublishedVectors) {
  struct Case {
    std::string input;
    std::string_view digest;
  };
  const std::vector<Case> cases = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Sha256Hex(c.input), c.digest) << "input of " << c.input.size() << " bytes";
  }
}

TEST(Sha256Test, IncrementalUpdatesEqualOneShotAtEveryBlockBoundary) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (size_t length : {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 300}) {
    const std::string_view input(data.data(), length);
    for (size_t split : {size_t{1}, size_t{3}, size_t{64}}) {
      Sha256 hasher;
      for (size_t at = 0; at < length; at += split) hasher.Update(input.substr(at, split));
      const Sha256::Digest digest = hasher.Final();
      std::string hex;
      for (uint8_t b : digest) {
        static constexpr char kHex[] = "0123456789abcdef";
        hex += kHex[b >> 4];
        hex += kHex[b & 15];
      }
      EXPECT_EQ(hex, Sha256Hex(input)) << "length " << length << " split " << split;
    }
  }
}

// ---- encodings ----

constexpr std::string_view kJapanese =
    "統1\t安全対策の規程を整備しています。\n"
    "実8\tアクセス権限は四半期ごとに棚卸しします。①承認 ②記録\n"
    "髙橋システムズ株式会社 カタカナ ひらがな ABC 123\n";

TEST(DecodeTextTest, DetectsEveryEncoding) {
  struct Case {
    std::string name;
    std::string bytes;
    std::string_view encoding;
  };
  const std::string text(kJapanese);
  const std::vector<Case> cases = {
      {"utf8", text, "UTF-8"},
      {"utf8 with bom", "\xEF\xBB\xBF" + text, "UTF-8"},
      {"utf16le with bom", Utf16Bytes(text, false, true), "UTF-16LE"},
      {"utf16be with bom", Utf16Bytes(text, true, true), "UTF-16BE"},
      {"utf16le without bom", Utf16Bytes(text, false, false), "UTF-16LE"},
      {"utf16be without bom", Utf16Bytes(text, true, false), "UTF-16BE"},
      // CP932: ① and 髙 are Microsoft/IBM extensions plain Shift_JIS lacks.
      {"shift_jis cp932", Encode(text, "windows-31j"), "Shift_JIS"},
      {"euc-jp", Encode(text, "EUC-JP"), "EUC-JP"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<DecodedText> decoded = DecodeText(c.bytes);
    ASSERT_OK(decoded);
    EXPECT_EQ(decoded->encoding, c.encoding);
    EXPECT_EQ(decoded->utf8, text);
  }
}

TEST(DecodeTextTest, DecodesSpelledOutLegacyBytes) {
  struct Case {
    std::string bytes;
    std::string_view utf8;
    std::string_view encoding;
  };
  const std::vector<Case> cases = {
      {"\x93\xFA\x96\x7B\x8C\xEA", "日本語", "Shift_JIS"},
      {"\x87\x40\xFB\xFC", "①髙", "Shift_JIS"},  // CP932 NEC and IBM extensions
      {"\xC6\xFC\xCB\xDC\xB8\xEC", "日本語", "EUC-JP"},
      {"\x8E\xB1\x8E\xB2\xA4\xA2\xA4\xA4\xA4\xA6", "ｱｲあいう",
       "EUC-JP"},  // SS2 half-width katakana
      {"plain ascii", "plain ascii", "UTF-8"},
  };
  for (const Case& c : cases) {
    Result<DecodedText> decoded = DecodeText(c.bytes);
    ASSERT_OK(decoded);
    EXPECT_EQ(decoded->utf8, c.utf8);
    EXPECT_EQ(decoded->encoding, c.encoding);
  }
}

TEST(DecodeTextTest, ShortAmbiguousLegacyTextPrefersTheReadableDecoding) {
  // Text whose EUC-JP bytes also form valid Shift_JIS (as half-width
  // katakana): the scoring must pick EUC-JP.
  const std::string text = "あいうえお かきくけこ";
  Result<DecodedText> decoded = DecodeText(Encode(text, "EUC-JP"));
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->encoding, "EUC-JP");
  EXPECT_EQ(decoded->utf8, text);
}

TEST(DecodeTextTest, RejectsBadBytesWithTheirOffset) {
  struct Case {
    std::string name;
    std::string bytes;
    StatusCode code;
    std::string_view message_part;
  };
  const std::vector<Case> cases = {
      {"0xFF in no encoding", "ABC\xFF\xFF", StatusCode::kUndecodable, "offset 3"},
      {"stray 0x80", "Vendor A\x80 answer", StatusCode::kUndecodable, "offset 8"},
      {"truncated double byte", "ABC\x93", StatusCode::kUndecodable, "offset 3"},
      {"bad utf8 after bom", "\xEF\xBB\xBFok\xC3(", StatusCode::kUndecodable, "offset 5"},
      {"overlong utf8 after bom", "\xEF\xBB\xBF\xC0\xAF", StatusCode::kUndecodable, "offset 3"},
      {"unpaired surrogate utf16le",
       std::string("\xFF\xFE"
                   "a\0\x00\xD8"
                   "b\0",
                   8),
       StatusCode::kUndecodable, "offset 4"},
      {"odd utf16be length", std::string("\xFE\xFF\0a\0", 5), StatusCode::kUndecodable, "offset 4"},
      {"binary with nuls", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0", 20),
       StatusCode::kUnsupported, "binary file"},
      {"binary controls", "\x01\x02\x03\x04\x05\x06 text", StatusCode::kUnsupported, "binary file"},
      {"iso-2022-jp", "\x1b$B$3$s\x1b(B", StatusCode::kUnsupported, "ISO-2022-JP"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<DecodedText> decoded = DecodeText(c.bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), c.code) << decoded.status().ToString();
    EXPECT_NE(decoded.status().message().find(c.message_part), std::string::npos)
        << decoded.status().ToString();
  }
}

TEST(DecodeTextTest, UnpairedSurrogateIsNotValidUtf8) {
  Result<DecodedText> decoded = DecodeText("\xEF\xBB\xBFok\xED\xA0\x80");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kUndecodable);
}

TEST(DecodeTextTest, EmptyInputDecodesToEmptyUtf8) {
  Result<DecodedText> decoded = DecodeText("");
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->utf8, "");
  EXPECT_EQ(decoded->encoding, "UTF-8");
}

TEST(DecodeTextTest, LongShiftJisTextDecodesAcrossConverterChunks) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "第" + std::to_string(i) + "条 髙品質な①運用。\n";
  Result<DecodedText> decoded = DecodeText(Encode(text, "windows-31j"));
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->encoding, "Shift_JIS");
  EXPECT_EQ(decoded->utf8, text);
}

// ---- LoadBytes ----

TEST(LoadBytesTest, RefusesEmptyWhitespaceAndPdf) {
  struct Case {
    std::string name;
    std::string path;
    std::string bytes;
    StatusCode code;
    std::string_view message;
  };
  const std::vector<Case> cases = {
      {"empty", "a.txt", "", StatusCode::kEmpty, "file is empty"},
      {"spaces", "a.txt", " \n\t\r\n  ", StatusCode::kEmpty, "file holds only white space"},
      {"ideographic spaces", "a.md", "\xE3\x80\x80\n\xE3\x80\x80", StatusCode::kEmpty,
       "file holds only white space"},
      {"bom only", "a.txt", "\xEF\xBB\xBF", StatusCode::kEmpty, "file holds only white space"},
      {"utf16 spaces", "a.txt", Utf16Bytes("  \n ", false, true), StatusCode::kEmpty,
       "file holds only white space"},
      {"pdf cut short", "whitepaper.pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
       StatusCode::kCorrupt, "truncated or damaged PDF: the end-of-file marker is missing"},
      {"pdf named txt", "whitepaper.txt", "%PDF-1.4\n", StatusCode::kCorrupt,
       "truncated or damaged PDF: the end-of-file marker is missing"},
      {"pdf without structure", "whitepaper.pdf", "%PDF-1.4\nnot a pdf body\n%%EOF\n",
       StatusCode::kCorrupt, "damaged PDF: Poppler cannot read its structure"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Document> doc = LoadBytes(c.path, c.bytes);
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().code(), c.code);
    EXPECT_EQ(doc.status().message(), c.message);
  }
}

TEST(LoadBytesTest, FillsHashSizeEncodingAndText) {
  const std::string bytes = Utf16Bytes("Vendor: Kitsune Cloud\n統1\t対応済み\n", false, true);
  Result<Document> doc = LoadBytes("answers.txt", bytes);
  ASSERT_OK(doc);
  EXPECT_EQ(doc->path, "answers.txt");
  EXPECT_EQ(doc->content_hash, Sha256Hex(bytes));
  EXPECT_EQ(doc->size_bytes, bytes.size());
  EXPECT_EQ(doc->encoding, "UTF-16LE");
  EXPECT_EQ(doc->format, Format::kText);
  EXPECT_EQ(doc->text, "Vendor: Kitsune Cloud\n統1\t対応済み\n");
  EXPECT_EQ(DescribeAll(*doc),
            (std::vector<std::string>{"L:Vendor: Kitsune Cloud", "R0:統1|対応済み"}));
}

TEST(LoadBytesTest, StripsBomFromTextAndOffsets) {
  Result<Document> doc = LoadBytes("a.txt", "\xEF\xBB\xBFline one\nline two");
  ASSERT_OK(doc);
  EXPECT_EQ(doc->text, "line one\nline two");
  ASSERT_EQ(doc->blocks.size(), 2u);
  EXPECT_EQ(SourceOf(*doc, doc->blocks[1]), "line two");
}

TEST(LoadBytesTest, ReportsDecodingErrorsAsIs) {
  Result<Document> doc = LoadBytes("a.txt", "ABC\xFF");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kUndecodable);
  EXPECT_EQ(doc.status().message().find("a.txt"), std::string::npos) << "the CLI adds the path";
}

// ---- format detection ----

TEST(DetectFormatTest, DecidesByContentAndExtension) {
  struct Case {
    std::string name;
    std::string path;
    std::string content;
    Format format;
  };
  const std::vector<Case> cases = {
      {"txt holding a pipe table", "notes.txt",
       "Answers\n\n| ID | Answer |\n|----|:------:|\n| 統1 | Yes |\n", Format::kMarkdown},
      {"txt holding front matter", "notes.txt", "---\ntitle: Plan\n---\nBody text\n",
       Format::kMarkdown},
      {"txt with headings and links", "readme",
       "# Heading\n\nSee [the guide](g.md).\n\n## Part\n\ntext\n", Format::kMarkdown},
      {"html without extension", "page", "<!DOCTYPE html>\n<html><body><p>x</p></body></html>",
       Format::kHtml},
      {"html element first", "page.txt", "  <html lang=ja><p>x</p></html>", Format::kHtml},
      {"html after comment", "page", "<!-- saved -->\n<html><body>x</body></html>", Format::kHtml},
      {"html fragment table", "frag", "<table><tr><td>統1</td></tr></table>\n", Format::kHtml},
      {"tab export opening with a paragraph tag", "export.txt",
       "<p>Answers</p>\n統1\t<p>yes</p>\n統2\tno\n統3\tno\n", Format::kText},
      {"indented html stays html", "page.txt",
       "<div>\n\t<p>one</p>\n\t<p>two</p>\n\t<p>three</p>\n</div>\n", Format::kHtml},
      {"xhtml prologue", "page", "<?xml version=\"1.0\"?>\n<html xmlns=\"x\"></html>",
       Format::kHtml},
      {"html extension", "Page.HTM", "just words", Format::kHtml},
      {"csv extension", "rows.csv", "a;b\n", Format::kCsv},
      {"tsv extension", "rows.tsv", "a\tb\n", Format::kCsv},
      {"csv by content", "export", "id,answer,owner\n1,yes,ops\n2,no,dev\n3,yes,sec\n",
       Format::kCsv},
      {"md extension", "x.markdown", "plain words", Format::kMarkdown},
      {"md that is an html document", "x.md", "<!doctype html><html></html>", Format::kHtml},
      {"pdf signature wins", "file.txt", "%PDF-1.7\n...", Format::kPdf},
      {"plain prose", "notes.txt", "Kitsune Cloud answers each criterion below.\n", Format::kText},
      {"tab export with markdown-looking headings", "export.txt",
       "# Title\n\n## Part\n\n(1)\t統 1~3\t<p>answer</p>\n(2)\t統 4\tanswer\n"
       "(3)\t統 5\tanswer\n(4)\t統 6\tanswer\n### Part 2\n",
       Format::kText},
      {"prose with uneven commas", "notes.txt", "One, two.\nThree.\nFour, five, six.\n",
       Format::kText},
      {"hash without space is no heading", "notes.txt", "#1\n#2\n#3\n#4\n", Format::kText},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatName(DetectFormat(c.path, c.content)), FormatName(c.format)) << c.name;
  }
}

TEST(FormatNameTest, NamesEveryFormat) {
  EXPECT_EQ(FormatName(Format::kText), "text");
  EXPECT_EQ(FormatName(Format::kMarkdown), "markdown");
  EXPECT_EQ(FormatName(Format::kHtml), "html");
  EXPECT_EQ(FormatName(Format::kCsv), "csv");
  EXPECT_EQ(FormatName(Format::kPdf), "pdf");
}

TEST(ParseTextTest, PdfIsNotParsedFromText) {
  Document doc;
  doc.text = "x";
  Status status = ParseText(Format::kPdf, &doc);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

// ---- readers, table-driven ----

struct ReaderCase {
  std::string name;
  std::string input;
  std::vector<std::string> blocks;
};

void RunReaderCases(Format format, const std::vector<ReaderCase>& cases) {
  for (const ReaderCase& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Document> doc = Parse(format, c.input);
    ASSERT_OK(doc);
    EXPECT_EQ(DescribeAll(*doc), c.blocks);
    ExpectSaneOffsets(*doc);
  }
}

TEST(PlainTextReaderTest, ReadsLinesBlanksAndTabRows) {
  RunReaderCases(
      Format::kText,
      {
          {"lines and collapsed blanks",
           "\n\nfirst line\n\n\n  \nsecond line  \n",
           {"L:first line", "B", "L:second line"}},
          {"crlf and lone cr", "one\r\ntwo\rthree\r\n", {"L:one", "L:two", "L:three"}},
          {"tab rows form one table",
           "統1\tanswer one\r\n統2\tanswer two\n",
           {"R0:統1|answer one", "R0:統2|answer two"}},
          {"blank line starts a new table",
           "a\tb\n\nc\td\nprose\ne\tf\n",
           {"R0:a|b", "B", "R1:c|d", "L:prose", "R2:e|f"}},
          {"cells trimmed, empty cells kept", " 実8 \t\t answer \t\n", {"R0:実8||answer|"}},
          {"full-width spaces trimmed", "\xE3\x80\x80統1\xE3\x80\x80\tx\n", {"R0:統1|x"}},
          {"tags in cells render as lines",
           "(2)\t実 48～52\t<p>First part.</p> <p>Second part.</p>\n",
           {"R0:(2)|実 48～52|First part.\nSecond part."}},
          {"list tags in a cell",
           "x\t<ul style=\"list-style-type: none\"> <li>alpha</li> <li>beta</li> </ul>\n",
           {"R0:x|alpha\nbeta"}},
          {"br variants and bold",
           "y\t<b>Bold</b> text<br>next<br/>last\n",
           {"R0:y|Bold text\nnext\nlast"}},
          {"entities decoded only with tags",
           "A &amp; B\nz\t<span>C &amp; D &lt;x&gt;</span>\n",
           {"L:A &amp; B", "R0:z|C & D <x>"}},
          {"unknown angle text stays",
           "<https://example.jp> and a < b > c\n",
           {"L:<https://example.jp> and a < b > c"}},
          {"a line of paragraphs splits",
           "<p>one</p><p>two &amp; three</p>\n",
           {"L:one", "L:two & three"}},
          {"a line of only tags shows nothing", "<ul>\nitem\n</ul>\n", {"L:item"}},
          {"inline table in a cell",
           "q\t<table><tr><td>a</td><td>b</td></tr></table>\n",
           {"R0:q|a\tb"}},
      });
}

TEST(PlainTextReaderTest, FormFeedsStartPages) {
  Result<Document> doc = Parse(Format::kText, "page one\n\fpage two\fpage three\nmore\f\n");
  ASSERT_OK(doc);
  EXPECT_EQ(DescribeAll(*doc),
            (std::vector<std::string>{"L:page one", "L:page two", "L:page three", "L:more"}));
  std::vector<int> pages;
  for (const Block& block : doc->blocks) pages.push_back(block.page);
  EXPECT_EQ(pages, (std::vector<int>{1, 2, 3, 3}));
  EXPECT_EQ(doc->page_count, 3) << "a trailing form feed opens no page";
}

// Found by decode_fuzzer: "i-j\f\r " gave a blank block on page 2 of a
// document of one page (a blank line after the final form feed).
TEST(PlainTextReaderTest, BlankLinesAfterAFinalFormFeedOpenNoPage) {
  for (const Format format : {Format::kText, Format::kMarkdown}) {
    for (const std::string text : {"i-j\f\r ", "text\f \n", "text\f\n\n\n", "a\fb\f\n  \n"}) {
      SCOPED_TRACE(std::string(format == Format::kText ? "text" : "markdown") + ": " + text);
      Result<Document> doc = Parse(format, text);
      ASSERT_OK(doc);
      for (const Block& block : doc->blocks) {
        EXPECT_GE(block.page, 1);
        EXPECT_LE(block.page, doc->page_count);
      }
      ASSERT_FALSE(doc->blocks.empty());
      EXPECT_NE(doc->blocks.back().kind, BlockKind::kBlank);
    }
  }
}

TEST(PlainTextReaderTest, SourceRangesCoverTheLine) {
  const std::string text = "head\n統1\t<b>yes</b>\r\n\n  tail line\n";
  Result<Document> doc = Parse(Format::kText, text);
  ASSERT_OK(doc);
  ASSERT_EQ(doc->blocks.size(), 4u);
  EXPECT_EQ(SourceOf(*doc, doc->blocks[0]), "head");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[1]), "統1\t<b>yes</b>");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[3]), "  tail line");
}

TEST(MarkdownReaderTest, ReadsBlockStructure) {
  RunReaderCases(Format::kMarkdown,
                 {
                     {"atx headings",
                      "# Title #\n## Sub ##  \n###### Six\n####### seven\n#nospace\n",
                      {"H1:Title", "H2:Sub", "H6:Six", "L:####### seven", "L:#nospace"}},
                     {"setext headings",
                      "Main title\n==========\nSection\n---\ntext\n",
                      {"H1:Main title", "H2:Section", "L:text"}},
                     {"list markers removed",
                      "- one\n* two\n+ three\n1. four\n12) five\n  - nested\n-no\n",
                      {"L:one", "L:two", "L:three", "L:four", "L:five", "L:nested", "L:-no"}},
                     {"blockquote markers removed",
                      "> quoted **text**\n> > deeper\n>\n",
                      {"L:quoted text", "L:deeper", "B"}},
                     {"thematic breaks are blanks",
                      "above\n\n***\n- - -\nbelow\n",
                      {"L:above", "B", "L:below"}},
                     {"fenced code is verbatim",
                      "```text\n**not bold** | pipe\n  indented\n\n```\nafter\n",
                      {"L:**not bold** | pipe", "L:  indented", "B", "L:after"}},
                     {"tilde fence", "~~~\n# not heading\n~~~\n", {"L:# not heading"}},
                     {"reference definitions vanish",
                      "[guide][g]\n\n[g]: https://example.jp\n",
                      {"L:guide", "B"}},
                     {"html table block",
                      "Intro\n<table>\n<tr><th>ID</th><th>Answer</th></tr>\n"
                      "<tr><td>統1</td><td>Yes<br>all</td></tr>\n</table>\nAfter\n",
                      {"L:Intro", "R0h:ID|Answer", "R0:統1|Yes\nall", "L:After"}},
                 });
}

TEST(MarkdownReaderTest, ReadsPipeTables) {
  RunReaderCases(
      Format::kMarkdown,
      {
          {"header, delimiter and body",
           "| ID | Answer |\n|:---|---:|\n| 統1 | Yes |\n| 統2 | No |\n",
           {"R0h:ID|Answer", "R0:統1|Yes", "R0:統2|No"}},
          {"no outer pipes",
           "ID | Answer\n--- | ---\n実8 | done\n",
           {"R0h:ID|Answer", "R0:実8|done"}},
          {"escaped pipes and code pipes",
           "| A | B |\n|---|---|\n| x \\| y | `a|b` |\n",
           {"R0h:A|B", "R0:x | y|a|b"}},
          {"escaped pipe inside code", "| A |\n|---|\n| `p\\|q` |\n", {"R0h:A", "R0:p|q"}},
          {"links, br and emoji",
           "| ID | Answer |\n|---|---|\n| 統1 ✏️ | [Guide](https://x.jp/a)<br>line 2 🆕 |\n",
           {"R0h:ID|Answer", "R0:統1 ✏️|Guide\nline 2 🆕"}},
          {"escapes undone, dash kept",
           "| ID | A |\n|---|---|\n| 実13 | \\- first<br>- second |\n",
           {"R0h:ID|A", "R0:実13|- first\n- second"}},
          {"unescaped dash at cell start stays",
           "| ID | A |\n|---|---|\n| 実47 | - item one |\n",
           {"R0h:ID|A", "R0:実47|- item one"}},
          {"missing cells padded, extra dropped",
           "| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n",
           {"R0h:a|b|c", "R0:1||", "R0:1|2|3"}},
          {"two tables",
           "| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n",
           {"R0h:a", "R0:1", "B", "R1h:b", "R1:2"}},
          {"pipe-less line ends table",
           "| a |\n|---|\n| 1 |\nNote below.\n",
           {"R0h:a", "R0:1", "L:Note below."}},
          {"mismatched delimiter is no table", "| a | b |\n|---|\n", {"L:| a | b |", "L:|---|"}},
      });
}

TEST(MarkdownReaderTest, RendersInlineSyntax) {
  RunReaderCases(
      Format::kMarkdown,
      {
          {"links and images",
           "[text](https://a.jp/x \"t\") ![alt](i.png) [ref][r] [[nested]](u)\n",
           {"L:text alt ref [nested]"}},
          {"autolinks",
           "<https://example.jp/path?q=1> <ops@example.jp>\n",
           {"L:https://example.jp/path?q=1 ops@example.jp"}},
          {"emphasis", "**bold** __strong__ *it* _em_ ***both***\n", {"L:bold strong it em both"}},
          {"cjk emphasis", "**「重要」**です\n", {"L:「重要」です"}},
          {"intraword underscores stay",
           "Control AWS-GR_RDS_X and snake_case_name\n",
           {"L:Control AWS-GR_RDS_X and snake_case_name"}},
          {"escaped star", "全ての「\\*」権限\n", {"L:全ての「*」権限"}},
          {"lone stars stay", "a * b and 2*3\n", {"L:a * b and 2*3"}},
          {"code spans verbatim",
           "`**x**` and `` a`b `` and `unclosed\n",
           {"L:**x** and a`b and `unclosed"}},
          {"html tags and entities",
           "<span class=\"x\">A</span> &amp; B &lt;C&gt; &#x5B9F;&#23455;&nbsp;!\n",
           {"L:A & B <C> 実実\u00A0!"}},
          {"br splits a line",
           "first<br/>second</br>third<br />\n",
           {"L:first", "L:second", "L:third"}},
          {"escapes", "\\# not heading \\[x\\] \\\\ \\a\n", {"L:# not heading [x] \\ \\a"}},
          {"heading inline", "## 統1 ✏️: **title** `code`\n", {"H2:統1 ✏️: title code"}},
          {"comment removed", "before <!-- hidden --> after\n", {"L:before  after"}},
      });
}

TEST(MarkdownReaderTest, FrontMatterBecomesProperties) {
  Result<Document> doc = Parse(Format::kMarkdown,
                               "---\nTitle: \"Kitsune Cloud FISC map\"\nupdated: 2024-05-01\n"
                               "Author: 'Ops Team'\ntags:\n  - fisc\n# comment\n---\n# Heading\n");
  ASSERT_OK(doc);
  EXPECT_EQ(
      doc->properties,
      (std::vector<std::pair<std::string, std::string>>{
          {"title", "Kitsune Cloud FISC map"}, {"updated", "2024-05-01"}, {"author", "Ops Team"}}));
  EXPECT_EQ(DescribeAll(*doc), (std::vector<std::string>{"H1:Heading"}));
}

TEST(MarkdownReaderTest, RuleAboveProseIsNoFrontMatter) {
  Result<Document> doc = Parse(Format::kMarkdown, "---\nJust prose here.\n---\n");
  ASSERT_OK(doc);
  EXPECT_TRUE(doc->properties.empty());
  EXPECT_EQ(DescribeAll(*doc), (std::vector<std::string>{"H2:Just prose here."}));
}

TEST(MarkdownReaderTest, SourceRangesPointAtTheLines) {
  const std::string text = "# Title\n\n| ID | A |\n|---|---|\n| 統1 | yes |\n- item\n";
  Result<Document> doc = Parse(Format::kMarkdown, text);
  ASSERT_OK(doc);
  ASSERT_EQ(DescribeAll(*doc),
            (std::vector<std::string>{"H1:Title", "B", "R0h:ID|A", "R0:統1|yes", "L:item"}));
  EXPECT_EQ(SourceOf(*doc, doc->blocks[0]), "# Title");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[2]), "| ID | A |");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[3]), "| 統1 | yes |");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[4]), "- item");
}

TEST(HtmlReaderTest, ReadsTextStructure) {
  RunReaderCases(
      Format::kHtml,
      {
          {"headings and paragraphs",
           "<html><head><title>T</title></head><body><h1>Main  title</h1><p>First\n  para</p>"
           "<p>Second</p></body></html>",
           {"H1:Main title", "B", "L:First para", "B", "L:Second", "B"}},
          {"br and div end lines",
           "<div>one<br>two</div><div>three</div>",
           {"L:one", "L:two", "L:three"}},
          {"lists",
           "<ul><li>alpha</li><li>beta <b>bold</b></li></ul>after",
           {"L:alpha", "L:beta bold", "B", "L:after"}},
          {"script, style and comments dropped",
           "<style>p{color:red}</style><script>var a='<p>x</p>';</script><!-- c --><p>shown</p>",
           {"L:shown", "B"}},
          {"entities",
           "<p>A &amp; B &lt;x&gt; &quot;q&quot; &#39;s&#39; &#x5B9F;&nbsp;1</p>",
           {"L:A & B <x> \"q\" 's' 実\u00A01", "B"}},
          {"attribute quotes hold brackets",
           "<p title=\"a > b\" data-x='<y>'>text</p>",
           {"L:text", "B"}},
          {"pre keeps white space", "<pre>\n  a  b\n\n  c</pre>", {"L:  a  b", "B", "L:  c", "B"}},
          {"unclosed tags tolerated", "<p>one<p>two<li>three", {"L:one", "B", "L:two", "L:three"}},
          {"stray less-than is text", "<p>a < b and 3<4</p>", {"L:a < b and 3<4", "B"}},
          {"unterminated comment hides the rest",
           "<p>seen</p><!-- never closed <p>x</p>",
           {"L:seen", "B"}},
      });
}

TEST(HtmlReaderTest, ReadsTables) {
  RunReaderCases(
      Format::kHtml,
      {
          {"thead and th rows are headers",
           "<table><thead><tr><td>ID</td><td>Answer</td></tr></thead>"
           "<tbody><tr><th>統1</th><td>Yes</td></tr><tr><th>A</th><th>B</th></tr></tbody></table>",
           {"R0h:ID|Answer", "R0:統1|Yes", "R0h:A|B"}},
          {"rowspan repeats text",
           "<table><tr><td rowspan=\"2\">統1</td><td>a</td></tr>"
           "<tr><td>b</td></tr><tr><td>統2</td><td>c</td></tr></table>",
           {"R0:統1|a", "R0:統1|b", "R0:統2|c"}},
          {"colspan fills empty",
           "<table><tr><td colspan=3>wide</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>",
           {"R0:wide||", "R0:1|2|3"}},
          {"rowspan and colspan together",
           "<table><tr><td rowspan=2 colspan=2>X</td><td>a</td></tr><tr><td>b</td></tr></table>",
           {"R0:X||a", "R0:X||b"}},
          {"rowspan in a middle column",
           "<table><tr><td>1</td><td rowspan=3>M</td><td>a</td></tr><tr><td>2</td><td>b</td></tr>"
           "<tr><td>3</td><td>c</td></tr></table>",
           {"R0:1|M|a", "R0:2|M|b", "R0:3|M|c"}},
          {"rowspan zero and past the end",
           "<table><tr><td rowspan=0>Z</td><td>a</td></tr><tr><td>b</td></tr></table>"
           "<table><tr><td rowspan=9>Y</td><td>c</td></tr></table>",
           {"R0:Z|a", "R0:Z|b", "R1:Y|c"}},
          {"br and p in cells",
           "<table><tr><td>line 1<br>line 2</td><td><p>para 1</p>\n<p>para 2</p></td></tr></table>",
           {"R0:line 1\nline 2|para 1\npara 2"}},
          {"list in a cell",
           "<table><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table>",
           {"R0:a\nb"}},
          {"nested table",
           "<table><tr><td>outer</td><td>before<table><tr><th>h1</th><th>h2</th></tr>"
           "<tr><td>x</td><td>y</td></tr></table>after</td></tr></table>",
           {"R0:outer|before\nh1\th2\nx\ty\nafter"}},
          {"entities and spaces in cells",
           "<table><tr><td>  A&amp;B\n  C </td><td>&#12354;</td></tr></table>",
           {"R0:A&B C|あ"}},
          {"implied end tags",
           "<table><tr><td>a<td>b<tr><td>c<td>d</table><p>after</p>",
           {"R0:a|b", "R0:c|d", "B", "L:after", "B"}},
          {"unclosed table at end", "<table><tr><td>a</td>", {"R0:a"}},
          {"empty cells and rows",
           "<table><tr></tr><tr><td></td><td>x</td></tr></table>",
           {"R0:|x"}},
          {"second table numbered",
           "<table><tr><td>1</td></tr></table><p>mid</p><table><tr><td>2</td></tr></table>",
           {"R0:1", "B", "L:mid", "B", "R1:2"}},
      });
}

TEST(HtmlReaderTest, TitleAndMetaBecomeProperties) {
  Result<Document> doc =
      Parse(Format::kHtml,
            "<html><head><title> Kitsune &amp; Co\n whitepaper </title>"
            "<meta charset=\"utf-8\"><meta name=\"Author\" content=\"Ops &quot;Team&quot;\">"
            "<meta content=\"2024-05-01\" name=date></head><body><p>x</p></body></html>");
  ASSERT_OK(doc);
  EXPECT_EQ(doc->properties,
            (std::vector<std::pair<std::string, std::string>>{{"title", "Kitsune & Co whitepaper"},
                                                              {"author", "Ops \"Team\""},
                                                              {"date", "2024-05-01"}}));
  EXPECT_EQ(DescribeAll(*doc), (std::vector<std::string>{"L:x", "B"}));
}

TEST(HtmlReaderTest, SourceRangesPointAtRowsAndText) {
  const std::string text =
      "<h2>Answers</h2>\n<table>\n<tr><td>統1</td><td>yes</td></tr>\n</table>\n<p>Closing "
      "words</p>";
  Result<Document> doc = Parse(Format::kHtml, text);
  ASSERT_OK(doc);
  ASSERT_EQ(DescribeAll(*doc),
            (std::vector<std::string>{"H2:Answers", "R0:統1|yes", "B", "L:Closing words", "B"}));
  EXPECT_EQ(SourceOf(*doc, doc->blocks[0]), "<h2>Answers</h2>");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[1]), "<tr><td>統1</td><td>yes</td></tr>");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[3]), "Closing words");
}

TEST(CsvReaderTest, ReadsRfc4180Records) {
  RunReaderCases(
      Format::kCsv,
      {
          {"quoted commas, quotes and newlines",
           "ID,Answer\r\n統1,\"Yes, fully\"\r\n実8,\"He said \"\"done\"\"\nsecond line\"\r\n",
           {"R0:ID|Answer", "R0:統1|Yes, fully", "R0:実8|He said \"done\"\nsecond line"}},
          {"semicolons sniffed", "a;b;c\n1;2,5;3\n4;5;6\n", {"R0:a|b|c", "R0:1|2,5|3", "R0:4|5|6"}},
          {"tabs sniffed", "a\tb\n1\t\"x\ty\"\n", {"R0:a|b", "R0:1|x\ty"}},
          {"blank lines skipped, empty fields kept", "a,,c\n\n,b,\n", {"R0:a||c", "R0:|b|"}},
          {"unterminated quote runs to the end", "a,\"open\nrest", {"R0:a|open\nrest"}},
          {"text after closing quote kept", "\"a\"b,c\n", {"R0:ab|c"}},
      });
}

TEST(CsvReaderTest, SourceRangesExcludeTerminators) {
  const std::string text = "a,b\r\n\"x\ny\",z\n";
  Result<Document> doc = Parse(Format::kCsv, text);
  ASSERT_OK(doc);
  ASSERT_EQ(doc->blocks.size(), 2u);
  EXPECT_EQ(SourceOf(*doc, doc->blocks[0]), "a,b");
  EXPECT_EQ(SourceOf(*doc, doc->blocks[1]), "\"x\ny\",z");
}

TEST(ReadersTest, LoadBytesRoutesByContent) {
  struct Case {
    std::string path;
    std::string bytes;
    Format format;
    std::string first_block;
  };
  const std::vector<Case> cases = {
      {"answers.txt", "| ID | A |\n|---|---|\n| 統1 | ok |\n", Format::kMarkdown, "R0h:ID|A"},
      {"answers", "<!DOCTYPE html><h1>Answers</h1>", Format::kHtml, "H1:Answers"},
      {"answers.csv", Encode("ID,回答\n統1,対応済\n", "windows-31j"), Format::kCsv, "R0:ID|回答"},
      {"answers.txt", Encode("統1\t対応済\n", "EUC-JP"), Format::kText, "R0:統1|対応済"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    Result<Document> doc = LoadBytes(c.path, c.bytes);
    ASSERT_OK(doc);
    EXPECT_EQ(doc->format, c.format);
    ASSERT_FALSE(doc->blocks.empty());
    EXPECT_EQ(Describe(doc->blocks[0]), c.first_block);
  }
}

TEST(ReadersTest, MalformedInputNeverBreaksTheReaders) {
  // Truncations of tricky inputs at every byte: each reader must return
  // sane, in-range offsets for every prefix.
  const std::vector<std::string> inputs = {
      "<table><tr><td rowspan=\"2\">a<br>b</td><td colspan='2'>&amp;c</td></tr><tr><td>d</td>"
      "</tr></table><pre>x\ny</pre><!-- z -->",
      "---\ntitle: x\n---\n# H\n| a | `b|c` |\n|---|---|\n| \\| | [l](u) |\n```\ncode\n```\n",
      "a,\"b\"\"c\"\n\"d\ne\",f\n",
      "x\t<p>y</p>\f\nz<br>w\n",
  };
  for (Format format : {Format::kText, Format::kMarkdown, Format::kHtml, Format::kCsv}) {
    for (const std::string& input : inputs) {
      for (size_t cut = 0; cut <= input.size(); ++cut) {
        Result<Document> doc = Parse(format, input.substr(0, cut));
        ASSERT_OK(doc);
        ExpectSaneOffsets(*doc);
      }
    }
  }
}

// Unterminated constructs repeated over a long line must not make any reader
// rescan the rest of the line for each of them (a quadratic blow-up that a
// fuzzer or a hostile file would find).
TEST(ReadersTest, UnterminatedMarkupRepeatedStaysFast) {
  const std::vector<std::string> patterns = {
      "[",         "](",   "![x](", "`` ` ", "<a x=\"",   "<",
      "*_",        "<!--", "&#",    "| `a",  "<table>\n", "\\",
      "<![CDATA[", "<!x",  "[a](<", "[a][",  "<x y='z' ", "<td rowspan=99 colspan=999>"};
  for (const std::string& pattern : patterns) {
    std::string text;
    while (text.size() < 128 * 1024) text += pattern;
    for (Format format : {Format::kText, Format::kMarkdown, Format::kHtml, Format::kCsv}) {
      const auto start = std::chrono::steady_clock::now();
      Result<Document> doc = Parse(format, "| h |\n|---|\n| " + text);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ASSERT_OK(doc);
      EXPECT_LT(seconds, 1.0) << "pattern " << pattern << " as " << FormatName(format);
    }
  }
}

// ---- files ----

struct Reported {
  std::string path;
  Status status;
};

std::vector<std::string> List(const std::vector<std::string>& paths,
                              std::vector<Reported>* errors) {
  std::vector<std::string> listed;
  for (InputFile& file :
       ListInputFiles(paths, [&](const std::string& path, const Status& status) {
         errors->push_back({path, status});
       })) {
    listed.push_back(std::move(file.path));
  }
  return listed;
}

TEST(ListInputFilesTest, WalksFoldersSortedAndSkipsHiddenAndOtherFiles) {
  TempDir dir;
  const fs::path root = dir.path();
  for (const char* name :
       {"b.txt", "a.md", "C.html", "notes", "table.csv", "data.tsv", "paper.pdf", "page.htm",
        "x.text", "y.markdown", "z.TXT", "image.png", "archive.zip", ".hidden.txt", "sub/inner.txt",
        "sub/deeper/last.txt", ".git/config.txt", "sub/.cache/x.txt"}) {
    WriteFile(root / name, "content");
  }
  std::vector<Reported> errors;
  const std::string r = root.string();
  EXPECT_EQ(List({r}, &errors),
            (std::vector<std::string>{
                r + "/C.html", r + "/a.md", r + "/b.txt", r + "/data.tsv", r + "/notes",
                r + "/page.htm", r + "/paper.pdf", r + "/sub/deeper/last.txt", r + "/sub/inner.txt",
                r + "/table.csv", r + "/x.text", r + "/y.markdown", r + "/z.TXT"}));
  EXPECT_TRUE(errors.empty());
}

TEST(ListInputFilesTest, ExplicitFilesAreAlwaysListed) {
  TempDir dir;
  WriteFile(dir.path() / "image.png", "x");
  WriteFile(dir.path() / ".hidden", "x");
  std::vector<Reported> errors;
  const std::string png = (dir.path() / "image.png").string();
  const std::string hidden = (dir.path() / ".hidden").string();
  EXPECT_EQ(List({png, hidden, png}, &errors), (std::vector<std::string>{png, hidden}));
  EXPECT_TRUE(errors.empty());
}

TEST(ListInputFilesTest, ReportsMissingPathsAndEmptyFoldersAndGoesOn) {
  TempDir dir;
  const fs::path empty = dir.path() / "empty";
  fs::create_directories(empty / "nested");
  WriteFile(empty / "skipped.png", "x");
  WriteFile(dir.path() / "real.txt", "x");
  std::vector<Reported> errors;
  const std::string missing = (dir.path() / "missing.txt").string();
  const std::string real = (dir.path() / "real.txt").string();
  EXPECT_EQ(List({missing, empty.string(), real}, &errors), (std::vector<std::string>{real}));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, missing);
  EXPECT_EQ(errors[0].status.code(), StatusCode::kNotFound);
  EXPECT_EQ(errors[1].path, empty.string());
  EXPECT_EQ(errors[1].status.code(), StatusCode::kEmpty);
}

TEST(ListInputFilesTest, FollowsFolderSymlinksOnceAndReportsLoops) {
  TempDir dir;
  const fs::path root = dir.path() / "root";
  WriteFile(root / "a.txt", "x");
  WriteFile(dir.path() / "shared/s.txt", "x");
  fs::create_directory_symlink(root, root / "loop");  // root/loop -> root
  fs::create_directory_symlink(dir.path() / "shared", root / "link1");
  fs::create_directory_symlink(dir.path() / "shared", root / "link2");
  fs::create_symlink(root / "a.txt", root / "alias.txt");      // same file twice
  fs::create_symlink(root / "gone.txt", root / "broken.txt");  // dangling
  std::vector<Reported> errors;
  const std::string r = root.string();
  EXPECT_EQ(List({r}, &errors), (std::vector<std::string>{r + "/a.txt", r + "/link1/s.txt"}));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, r + "/broken.txt");
  EXPECT_EQ(errors[0].status.code(), StatusCode::kNotFound);
  EXPECT_EQ(errors[0].status.message(), "broken symbolic link");
  EXPECT_EQ(errors[1].path, r + "/loop");
  EXPECT_NE(errors[1].status.message().find("loop"), std::string::npos);
}

TEST(ListInputFilesTest, ReportsSelfReferencingSymlink) {
  TempDir dir;
  WriteFile(dir.path() / "ok.txt", "x");
  fs::create_symlink(dir.path() / "self", dir.path() / "self");
  std::vector<Reported> errors;
  EXPECT_EQ(List({dir.path().string()}, &errors),
            (std::vector<std::string>{(dir.path() / "ok.txt").string()}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].status.code(), StatusCode::kIoError);
}

TEST(ListInputFilesTest, ReportsUnreadableFolder) {
  TempDir dir;
  const fs::path locked = dir.path() / "locked";
  WriteFile(locked / "a.txt", "x");
  WriteFile(dir.path() / "b.txt", "x");
  fs::permissions(locked, fs::perms::none);
  std::vector<Reported> errors;
  {
    ::fiscdex::testing::ScopedNobody nobody(dir.path());  // root reads any folder
    if (!nobody.skip_reason().empty()) GTEST_SKIP() << nobody.skip_reason();
    EXPECT_EQ(List({dir.path().string()}, &errors),
              (std::vector<std::string>{(dir.path() / "b.txt").string()}));
  }
  fs::permissions(locked, fs::perms::owner_all);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].status.code(), StatusCode::kIoError);
  EXPECT_EQ(errors[0].status.message(), "permission denied");
}

TEST(LoadFileTest, ReadsAFileFromDisk) {
  TempDir dir;
  const std::string bytes =
      Encode("# 回答\n\n| ID | 回答 |\n|---|---|\n| 統1 | 済 |\n", "windows-31j");
  WriteFile(dir.path() / "answers.txt", bytes);
  Result<Document> doc = LoadFile((dir.path() / "answers.txt").string());
  ASSERT_OK(doc);
  EXPECT_EQ(doc->encoding, "Shift_JIS");
  EXPECT_EQ(doc->format, Format::kMarkdown);
  EXPECT_EQ(doc->content_hash, Sha256Hex(bytes));
  EXPECT_EQ(doc->size_bytes, bytes.size());
  EXPECT_EQ(DescribeAll(*doc),
            (std::vector<std::string>{"H1:回答", "B", "R0h:ID|回答", "R0:統1|済"}));
}

TEST(LoadFileTest, ReportsFailuresPlainly) {
  TempDir dir;
  WriteFile(dir.path() / "big.txt", std::string(3 * 1024 * 1024 / 2, 'x'));
  WriteFile(dir.path() / "empty.txt", "");
  fs::create_directories(dir.path() / "folder");
  struct Case {
    std::string name;
    std::string path;
    uint64_t max_bytes;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"missing", (dir.path() / "none.txt").string(), 1 << 30, StatusCode::kNotFound,
       "no such file or directory"},
      {"too big", (dir.path() / "big.txt").string(), 1 << 20, StatusCode::kUnsupported,
       "file is 1.5 MB, over the --max-bytes limit of 1 MB: skipped"},
      {"empty", (dir.path() / "empty.txt").string(), 1 << 30, StatusCode::kEmpty, "file is empty"},
      {"folder", (dir.path() / "folder").string(), 1 << 30, StatusCode::kUnsupported,
       "is a directory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LoadOptions options;
    options.max_bytes = c.max_bytes;
    Result<Document> doc = LoadFile(c.path, options);
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().code(), c.code);
    EXPECT_EQ(doc.status().message(), c.message);
  }
}

TEST(LoadFileTest, UnreadableFileIsPermissionDenied) {
  TempDir dir;
  const fs::path path = dir.path() / "secret.txt";
  WriteFile(path, "x");
  fs::permissions(path, fs::perms::none);
  ::fiscdex::testing::ScopedNobody nobody(dir.path());  // root reads any file
  if (!nobody.skip_reason().empty()) GTEST_SKIP() << nobody.skip_reason();
  Result<Document> doc = LoadFile(path.string());
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kIoError);
  EXPECT_EQ(doc.status().message(), "permission denied");
}

// A floor far below the target (well over 50 MB/s), to catch accidental
// quadratic behaviour without failing on a busy machine.
TEST(LoadFileTest, ReadsLargeTextQuickly) {
  TempDir dir;
  std::string text;
  text.reserve(24 << 20);
  for (int i = 0; text.size() < (20u << 20); ++i) {
    text += "実" + std::to_string(i % 150) +
            "\t<p>キツネクラウドは四半期ごとに権限を棚卸しします。</p>\n";
    text += "本文の行です。Kitsune Cloud operates **controls** for every criterion.\n\n";
  }
  WriteFile(dir.path() / "large.txt", text);
  const auto start = std::chrono::steady_clock::now();
  Result<Document> doc = LoadFile((dir.path() / "large.txt").string());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_OK(doc);
  const double mb_per_second = static_cast<double>(text.size()) / (1 << 20) / seconds;
  RecordProperty("MBps", std::to_string(mb_per_second));
  EXPECT_GT(mb_per_second, 10.0);
}

}  // namespace
}  // namespace fiscdex::ingest

namespace fiscdex::ingest {
namespace {

TEST(HtmlReaderTest, MarksCellsContinuingARowspan) {
  Result<Document> doc = LoadBytes(
      "t.html",
      "<html><body><table><tr><th>基準番号</th><th>対応状況</th></tr>"
      "<tr><td>統20</td><td rowspan=\"2\">委託先を評価します。</td></tr>"
      "<tr><td>統21</td></tr><tr><td>統22</td><td>別の回答です。</td></tr></table></body></html>");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<const Block*> rows;
  for (const Block& b : doc->blocks) {
    if (b.kind == BlockKind::kTableRow) rows.push_back(&b);
  }
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(rows[1]->merged_from_above.empty());
  ASSERT_EQ(rows[2]->merged_from_above.size(), 2u);
  EXPECT_FALSE(rows[2]->merged_from_above[0]);
  EXPECT_TRUE(rows[2]->merged_from_above[1]);
  EXPECT_EQ(rows[2]->cells[1], "委託先を評価します。");
  EXPECT_TRUE(rows[3]->merged_from_above.empty());
}

}  // namespace
}  // namespace fiscdex::ingest
