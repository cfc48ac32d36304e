#include <gtest/gtest.h>

#include "base/json.h"
#include "base/status.h"
#include "base/text.h"
#include "tests/test_util.h"

namespace fiscdex {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Status::InvalidArgument("not positive");
  return v;
}

Result<int> Doubled(int v) {
  ASSIGN_OR_RETURN(int parsed, ParsePositive(v));
  return parsed * 2;
}

TEST(StatusTest, OkIsDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesCodeAndContext) {
  Status s = Status::NotFound("no such file").WithContext("a.txt");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: a.txt: no such file");
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Doubled(4), 8);
  Result<int> bad = Doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fiscdex

namespace fiscdex {
namespace {

TEST(JsonTest, EscapesControlsAndReplacesIllFormedUtf8) {
  struct Case {
    std::string input, expected;
  };
  const Case cases[] = {
      {"a\"b\\c\n\t", "\"a\\\"b\\\\c\\n\\t\""},
      {std::string("\x01", 1), "\"\\u0001\""},
      {"実8", "\"実8\""},
      {"\xF5\x80\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
      {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},  // a surrogate
      {"\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},                  // overlong '/'
      {"\xE5\xAE", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},                  // truncated
  };
  for (const Case& c : cases) {
    std::string out;
    AppendJsonString(&out, c.input);
    EXPECT_EQ(out, c.expected);
  }
}

}  // namespace
}  // namespace fiscdex

namespace fiscdex {
namespace {

TEST(AppendWrappedTest, JoinsJapaneseWithoutSpaceAndLatinWithSpace) {
  std::string p = "暗号鍵を管理して";
  AppendWrapped(&p, "います。");
  EXPECT_EQ(p, "暗号鍵を管理しています。");
  std::string q = "We encrypt";
  AppendWrapped(&q, "backups daily.");
  EXPECT_EQ(q, "We encrypt backups daily.");
  std::string r;
  AppendWrapped(&r, "  先頭  ");
  EXPECT_EQ(r, "先頭");
  // A break already in the paragraph needs no space after it.
  std::string s = "Line one\n";
  AppendWrapped(&s, "Line two");
  EXPECT_EQ(s, "Line one\nLine two");
}

// A narrow PDF cell wraps Japanese anywhere, inside a number too.
TEST(AppendWrappedTest, JoinsANumberTheWrapCutAfterJapanese) {
  std::string p = "設備基準8";
  AppendWrapped(&p, "4～90 は");
  EXPECT_EQ(p, "設備基準84～90 は");
  std::string q = "保管期間は1";
  AppendWrapped(&q, "0年です。");
  EXPECT_EQ(q, "保管期間は10年です。");
  // Latin text wraps at blanks: the space comes back between numbers too.
  std::string r = "see page 8";
  AppendWrapped(&r, "4 items");
  EXPECT_EQ(r, "see page 8 4 items");
  std::string s = "ISO27001";
  AppendWrapped(&s, "2013");
  EXPECT_EQ(s, "ISO27001 2013");
  std::string t = "8";
  AppendWrapped(&t, "4");
  EXPECT_EQ(t, "8 4");
}

TEST(PageNumberTest, RecognisesPageNumberShapes) {
  for (const char* line : {"12", "- 12 -", "12 / 40", "Page 3", "p. 3", "3ページ", "3頁", "(3)",
                           "[3]", "Page 3 of 12", "－ ３ －", "（12）", "3 ／ 40"}) {
    EXPECT_TRUE(LooksLikePageNumber(line)) << line;
  }
  for (const char* line : {"", "実3", "第3章", "2024年4月1日", "統1～3", "- -", "page"}) {
    EXPECT_FALSE(LooksLikePageNumber(line)) << line;
  }
}

TEST(TextTest, NumbersInAreTheDigitRunsInOrder) {
  EXPECT_EQ(NumbersIn("実103-1"), (std::vector<long>{103, 1}));
  EXPECT_EQ(NumbersIn("Ver.1.10"), (std::vector<long>{1, 10}));
  EXPECT_EQ(NumbersIn("第３版"), (std::vector<long>{}));  // ASCII digits only
  EXPECT_TRUE(NumbersIn("統").empty());
}

}  // namespace
}  // namespace fiscdex
