// Tests of the helpers the corpus tests stand on: the JSON reader
// (tests/json_reader.h) and the comparison with expected records
// (tests/corpus_compare.h). They need no extractor, so they run (and must
// pass) while the stages are still being written; a comparison that could
// not fail would make every corpus test meaningless.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/corpus_compare.h"
#include "tests/json_reader.h"
#include "tests/test_util.h"

namespace fiscdex::testing {
namespace {

TEST(JsonReaderTest, ParsesScalarsArraysAndObjectsInOrder) {
  auto v = ParseJson(R"( {"b": [1, -2.5, 3e2, true, false, null], "a": {"x": "y"}, "b": 0} )");
  ASSERT_OK(v);
  ASSERT_TRUE(v->is_object());
  ASSERT_EQ(v->members().size(), 3u);
  EXPECT_EQ(v->members()[0].first, "b");
  EXPECT_EQ(v->members()[1].first, "a");
  const JsonValue* b = v->Find("b");  // the first of the duplicate keys
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_array());
  ASSERT_EQ(b->items().size(), 6u);
  EXPECT_EQ(b->items()[0].as_number(), 1);
  EXPECT_EQ(b->items()[1].as_number(), -2.5);
  EXPECT_EQ(b->items()[2].as_number(), 300);
  EXPECT_TRUE(b->items()[3].as_bool());
  EXPECT_FALSE(b->items()[4].as_bool());
  EXPECT_TRUE(b->items()[5].is_null());
  EXPECT_EQ(v->Find("a")->Find("x")->as_string(), "y");
  EXPECT_EQ(v->Find("missing"), nullptr);
  EXPECT_EQ(b->Find("x"), nullptr);  // not an object
}

TEST(JsonReaderTest, DecodesStringEscapes) {
  struct Case {
    const char* json;
    std::string want;
  };
  const Case cases[] = {
      {R"("plain")", "plain"},
      {R"("a\"b\\c\/d")", "a\"b\\c/d"},
      {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {R"("\u0041\u00e9")", "A\xC3\xA9"},
      {R"("\u7d71\uff11")", "統１"},
      {R"("\ud83c\udd95")", "\xF0\x9F\x86\x95"},  // 🆕 as a surrogate pair
      {"\"実103-1 ✏️\"", "実103-1 ✏️"},                // raw UTF-8 passes through
      {"\xEF\xBB\xBF\"bom\"", "bom"},
  };
  for (const Case& c : cases) {
    auto v = ParseJson(c.json);
    ASSERT_OK(v);
    ASSERT_TRUE(v->is_string()) << c.json;
    EXPECT_EQ(v->as_string(), c.want) << c.json;
  }
}

TEST(JsonReaderTest, RejectsMalformedInputNamingTheOffset) {
  struct Case {
    std::string json;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"", "unexpected end of input"},
      {"[1, 2,]", "unexpected character"},
      {R"({"a": 1,})", "expected a member name"},
      {R"({"a" 1})", "expected ':'"},
      {R"({"a": 1 "b": 2})", "expected ',' or '}'"},
      {"[1 2]", "expected ',' or ']'"},
      {"[1, 2", "unterminated array"},
      {R"({"a": 1)", "unterminated object"},
      {R"("abc)", "unterminated string"},
      {"\"a\nb\"", "control character in string"},
      {R"("\x")", "bad escape"},
      {R"("\u12")", "truncated \\u escape"},
      {R"("\u12zz")", "bad hex digit"},
      {R"("\udc00")", "unpaired low surrogate"},
      {R"("\ud800x")", "unpaired high surrogate"},
      {R"("\ud800\u0041")", "unpaired high surrogate"},
      {"01", "leading zero"},
      {"-", "expected a digit"},
      {"1.", "expected a digit after '.'"},
      {"1e", "expected an exponent"},
      {"tru", "unexpected character"},
      {"{} {}", "unexpected text after the value"},
      {std::string(100, '[') + std::string(100, ']'), "nesting too deep"},
  };
  for (const Case& c : cases) {
    auto v = ParseJson(c.json);
    ASSERT_FALSE(v.ok()) << c.json;
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(v.status().message().find(c.message), std::string::npos)
        << c.json << " gave " << v.status().ToString();
    EXPECT_NE(v.status().message().find("at byte"), std::string::npos) << c.json;
  }
}

TEST(CanonTest, MatchesTheScoringScriptsCanonicalForm) {
  struct Case {
    std::string in;
    std::string want;
  };
  const Case cases[] = {
      {"実１ ～ ３", "実1~3"},                     // NFKC: full width to ASCII
      {"ｱｸｾｽ権限", "アクセス権限"},                // half-width kana to full width
      {"a <b>bold</b>\n<p>para</p>", "aboldpara"},  // tags and white space go
      {"x\u3000y\u00a0z\t\r\n", "xyz"},             // ideographic space, NBSP
      {"応答 < 2秒", "応答<2秒"},                   // an unclosed '<' stays
      {"<a\nhref='x'>link</a>", "link"},            // a tag may span lines
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(Canon(c.in), c.want) << c.in;
}

extract::CriterionRecord Record(std::string id, std::string answer,
                                std::vector<std::string> group = {}) {
  extract::CriterionRecord r;
  r.id = id;
  r.answer = std::move(answer);
  r.group = group.empty() ? std::vector<std::string>{id} : std::move(group);
  return r;
}

extract::Extraction Sample() {
  extract::Extraction e;
  e.metadata.vendor = "サクラギ情報システム";
  e.metadata.edition = 10;
  e.metadata.date = "2024-03-15";
  e.records.push_back(Record("統1", "規程を整備しています。"));
  e.records.push_back(Record("実26", "権限を管理しています。", {"実26", "実27"}));
  e.records.push_back(Record("実27", "権限を管理しています。", {"実26", "実27"}));
  e.records.back().title = "アクセス権限を管理すること。";
  return e;
}

std::vector<std::string> Fields(const std::vector<Difference>& diffs) {
  std::vector<std::string> out;
  for (const Difference& d : diffs) out.push_back(d.id + " " + d.field);
  return out;
}

TEST(CompareExtractionsTest, AgreesWhenOnlyWhiteSpaceWidthAndTagsDiffer) {
  extract::Extraction got = Sample();
  got.records[0].answer = "規程を\n整備 しています。";
  got.records[1].answer = "<p>権限を管理しています。</p>";
  got.records[2].title = "アクセス権限を管理すること。 ";
  got.metadata.vendor = "株式会社サクラギ情報システム";  // the scorer's containment rule
  const auto diffs = CompareExtractions(Sample(), got);
  EXPECT_TRUE(diffs.empty()) << FormatDifferences(diffs);
}

TEST(CompareExtractionsTest, ReportsEachKindOfDifference) {
  struct Case {
    const char* name;
    void (*mutate)(extract::Extraction*);
    std::vector<std::string> want_fields;
  };
  const Case cases[] = {
      {"answer", [](extract::Extraction* e) { e->records[0].answer = "別の回答"; }, {"統1 answer"}},
      {"title given where null expected",
       [](extract::Extraction* e) { e->records[0].title = "規程を整備すること。"; },
       {"統1 title"}},
      {"title missing", [](extract::Extraction* e) { e->records[2].title.reset(); }, {"実27 title"}},
      {"group", [](extract::Extraction* e) { e->records[1].group = {"実26"}; }, {"実26 group"}},
      {"page", [](extract::Extraction* e) { e->records[2].page = 3; }, {"実27 page"}},
      {"missing", [](extract::Extraction* e) { e->records.pop_back(); }, {"実27 missing"}},
      {"extra", [](extract::Extraction* e) { e->records.push_back(Record("実97", "参照")); },
       {"実97 extra"}},
      {"duplicate",
       [](extract::Extraction* e) { e->records.push_back(Record("統1", "規程を整備しています。")); },
       {"統1 duplicate"}},
      {"order", [](extract::Extraction* e) { std::swap(e->records[0], e->records[1]); },
       {" order"}},
      {"columns",
       [](extract::Extraction* e) { e->records[0].columns.push_back({"共通基盤", "規程"}); },
       {"統1 columns.size", "統1 columns[0].header", "統1 columns[0].text"}},
      {"vendor", [](extract::Extraction* e) { e->metadata.vendor = "ホシゾラ"; }, {" vendor"}},
      {"vendor missing", [](extract::Extraction* e) { e->metadata.vendor.reset(); }, {" vendor"}},
      {"edition", [](extract::Extraction* e) { e->metadata.edition = 9; }, {" edition"}},
      {"date", [](extract::Extraction* e) { e->metadata.date.reset(); }, {" date"}},
  };
  for (const Case& c : cases) {
    extract::Extraction got = Sample();
    c.mutate(&got);
    EXPECT_EQ(Fields(CompareExtractions(Sample(), got)), c.want_fields) << c.name;
  }
}

TEST(CompareExtractionsTest, NullVendorExpectedMeansNoneExtracted) {
  extract::Extraction want = Sample();
  want.metadata.vendor.reset();
  extract::Extraction got = want;
  EXPECT_TRUE(CompareExtractions(want, got).empty());
  got.metadata.vendor = "ISO27001";
  EXPECT_EQ(Fields(CompareExtractions(want, got)), std::vector<std::string>{" vendor"});
}

TEST(CompareExtractionsTest, ComparesColumnsHeaderAndTextInOrder) {
  extract::Extraction want = Sample();
  want.records[0].columns = {{"共通基盤", "規程"}, {"利用者側", ""}};
  extract::Extraction got = want;
  got.records[0].columns[1].text = "追加の対策";
  got.records[0].columns[0].header = "共通 基盤";  // white space does not count
  EXPECT_EQ(Fields(CompareExtractions(want, got)),
            std::vector<std::string>{"統1 columns[1].text"});
}

TEST(FormatDifferencesTest, PrintsIdFieldWantAndGot) {
  const std::string text = FormatDifferences({{"実8", "answer", "多要素認証", "(none)"},
                                              {"", "edition", "10", "null"}});
  EXPECT_EQ(text,
            "実8 answer\n  want: 多要素認証\n  got:  (none)\n"
            "document edition\n  want: 10\n  got:  null\n");
}

TEST(ParseExpectedFileTest, ReadsEveryField) {
  auto json = ParseJson(R"({"source": "corpus/x.md", "format": "markdown", "encoding": "UTF-8",
    "title": null, "vendor": "ツバメクラウド", "edition": 13, "date": null,
    "criteria": [{"id": "実1", "answer": "a\nb", "title": null, "group": ["実1"], "page": 2,
                  "columns": [{"header": "h1", "text": "a"}, {"header": "h2", "text": "b"}]}]})");
  ASSERT_OK(json);
  auto file = ParseExpectedFile(*json);
  ASSERT_OK(file);
  EXPECT_EQ(file->source, "corpus/x.md");
  EXPECT_EQ(file->format, "markdown");
  EXPECT_EQ(file->encoding, "UTF-8");
  EXPECT_FALSE(file->extraction.metadata.title.has_value());
  EXPECT_EQ(file->extraction.metadata.vendor, "ツバメクラウド");
  EXPECT_EQ(file->extraction.metadata.edition, 13);
  EXPECT_FALSE(file->extraction.metadata.date.has_value());
  ASSERT_EQ(file->extraction.records.size(), 1u);
  const extract::CriterionRecord& r = file->extraction.records[0];
  EXPECT_EQ(r.id, "実1");
  EXPECT_EQ(r.answer, "a\nb");
  EXPECT_EQ(r.page, 2);
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.columns[1].header, "h2");
}

TEST(ParseExpectedFileTest, RejectsFilesMissingOrMistypingAField) {
  const std::string ok_record = R"({"id": "実1", "answer": "", "title": null, "group": ["実1"], "page": 1})";
  auto top = [](const std::string& criteria, const std::string& edition = "10") {
    return R"({"source": "corpus/x.txt", "format": "text", "encoding": "UTF-8", "title": null,
      "vendor": null, "edition": )" + edition + R"(, "date": null, "criteria": )" + criteria + "}";
  };
  struct Case {
    std::string json;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"[]", "top level is not an object"},
      {R"({"format": "text"})", "missing \"source\""},
      {top("[]", "\"10\""), "edition: not an integer"},
      {top("[]", "10.5"), "edition: not an integer"},
      {top("{}"), "\"criteria\" is not an array"},
      {top("[1]"), "criteria[0]: not an object"},
      {top(R"([{"answer": ""}])"), "criteria[0]: missing \"id\""},
      {top(R"([{"id": 1}])"), "\"id\" is not a string"},
      {top(R"([{"id": "実1", "answer": "", "title": 3}])"), "\"title\" is neither"},
      {top(R"([{"id": "実1", "answer": "", "title": null, "group": "実1"}])"),
       "\"group\" is not an array"},
      {top(R"([{"id": "実1", "answer": "", "title": null, "group": [1]}])"),
       "\"group\" holds a non-string"},
      {top(R"([{"id": "実1", "answer": "", "title": null, "group": []}])"), "missing \"page\""},
      {top("[" + ok_record + R"(, {"id": "実2", "answer": "", "title": null, "group": [], "page": 1, "columns": {}}])"),
       "criteria[1]: \"columns\" is not an array"},
      {top(R"([{"id": "実2", "answer": "", "title": null, "group": [], "page": 1, "columns": [1]}])"),
       "a column is not an object"},
      {top(R"([{"id": "実2", "answer": "", "title": null, "group": [], "page": 1, "columns": [{"text": ""}]}])"),
       "missing \"header\""},
  };
  for (const Case& c : cases) {
    auto json = ParseJson(c.json);
    ASSERT_OK(json);
    auto file = ParseExpectedFile(*json);
    ASSERT_FALSE(file.ok()) << c.json;
    EXPECT_EQ(file.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(file.status().message().find(c.message), std::string::npos)
        << c.json << " gave " << file.status().ToString();
  }
}

}  // namespace
}  // namespace fiscdex::testing
