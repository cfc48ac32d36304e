#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/document.h"
#include "normalize/furniture.h"
#include "normalize/normalize.h"

namespace fiscdex::normalize {
namespace {

using ingest::Block;
using ingest::BlockKind;

struct TextCase {
  const char* input;
  const char* expected;
};

TEST(NormalizeTextTest, AppliesNfkc) {
  const TextCase cases[] = {
      {"ＩＳＯ２７００１", "ISO27001"},
      {"実１０３－１", "実103-1"},
      {"ｱｸｾｽ権限", "アクセス権限"},
      {"統制基準\u3000２４", "統制基準 24"},
      {"（第１０版）", "(第10版)"},
      {"plain ascii", "plain ascii"},
      {"実35〜38", "実35〜38"},  // the wave dash stays as printed
      {"", ""},
  };
  for (const TextCase& c : cases) EXPECT_EQ(NormalizeText(c.input), c.expected) << c.input;
}

TEST(NormalizeTextTest, RepairsInvalidUtf8) {
  EXPECT_EQ(NormalizeText("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(NormalizeText("\xE5\xAE"), "\xEF\xBF\xBD");  // one maximal subpart
}

TEST(FoldForSearchTest, FoldsWidthCaseAndDashes) {
  const TextCase cases[] = {
      {"ＩＳＯ２７００１", "iso27001"},
      {"ISO27001", "iso27001"},
      {"iso27001", "iso27001"},
      {"ﾊﾞｯｸｱｯﾌﾟ", "バックアップ"},
      {"実35〜38", "実35~38"},
      {"実35～38", "実35~38"},
      {"実103‐1", "実103-1"},
  };
  for (const TextCase& c : cases) EXPECT_EQ(FoldForSearch(c.input), c.expected) << c.input;
}

Block Line(std::string text, int page = 1) {
  Block b;
  b.kind = text.empty() ? BlockKind::kBlank : BlockKind::kLine;
  b.text = std::move(text);
  b.page = page;
  return b;
}

std::vector<std::string> Removed(const std::vector<Block>& blocks, int pages,
                                 ingest::Format format = ingest::Format::kText) {
  std::vector<bool> f = FindFurniture(blocks, pages, format);
  std::vector<std::string> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (f[i]) out.push_back(blocks[i].text);
  }
  return out;
}

TEST(FurnitureTest, RemovesHeadersRepeatedThroughATextDump) {
  std::vector<Block> blocks;
  blocks.push_back(Line("サンプル対応表（第9版） 2020年1月1日"));
  blocks.push_back(Line("※本書は対象項目のみ記載しています。"));
  for (int page = 0; page < 3; ++page) {
    if (page > 0) {
      blocks.push_back(Line("サンプル対応表（第9版） 2020年1月1日"));
      blocks.push_back(Line("※本書は対象項目のみ記載しています。"));
    }
    blocks.push_back(Line(""));
    for (int k = 0; k < 5; ++k) {
      blocks.push_back(Line("統" + std::to_string(page * 5 + k + 1) + " 規程を整備すること。"));
      blocks.push_back(Line("当社は規程を整備して"));
      blocks.push_back(Line("います。"));
      blocks.push_back(Line(""));
    }
  }
  std::vector<std::string> removed = Removed(blocks, 1);
  EXPECT_EQ(removed.size(), 6u);
  for (const std::string& r : removed) EXPECT_NE(r, "います。");
  // The same lines in a document written as Markdown or HTML are its own:
  // a label above every block, say. Only plain text is a dump of pages.
  EXPECT_TRUE(Removed(blocks, 1, ingest::Format::kMarkdown).empty());
  EXPECT_TRUE(Removed(blocks, 1, ingest::Format::kHtml).empty());
}

TEST(FurnitureTest, KeepsARepeatedAnswerParagraph) {
  std::vector<Block> blocks;
  for (int k = 0; k < 4; ++k) {
    blocks.push_back(Line("実" + std::to_string(k + 1) + " 監視すること。"));
    blocks.push_back(Line(""));
    blocks.push_back(Line("当社は各種資源の運用状況を常時監視しており、異常を直ぐに検"));
    blocks.push_back(Line("知できる体制を構築しています。"));
    for (int pad = 0; pad < 8; ++pad) blocks.push_back(Line("別の内容の行 " + std::to_string(k * 10 + pad)));
  }
  EXPECT_TRUE(Removed(blocks, 1).empty());
}

TEST(FurnitureTest, RemovesRunningHeadersAndPageNumbersOfRealPages) {
  std::vector<Block> blocks;
  for (int page = 1; page <= 4; ++page) {
    blocks.push_back(Line("株式会社サンプル 社外秘", page));
    blocks.push_back(Line("本文 " + std::to_string(page), page));
    blocks.push_back(Line("- " + std::to_string(page) + " -", page));
  }
  EXPECT_EQ(Removed(blocks, 4).size(), 8u);
}

TEST(NormalizeTest, BuildsPassagesAndKeepsSourceRanges) {
  ingest::Document doc;
  doc.text = "暗号鍵を管理して\nいます。\n\n統1\tＩＳＯ２７００１に準拠\n";
  Block a = Line("暗号鍵を管理して");
  a.source_begin = 0;
  a.source_end = 24;
  Block b = Line("います。");
  b.source_begin = 25;
  b.source_end = 37;
  Block blank = Line("");
  Block row;
  row.kind = BlockKind::kTableRow;
  row.cells = {"統1", "ＩＳＯ２７００１に準拠"};
  row.table = 0;
  row.source_begin = 39;
  row.source_end = static_cast<size_t>(doc.text.size() - 1);
  doc.blocks = {a, b, blank, row};
  NormalizedDocument n = Normalize(doc);
  ASSERT_EQ(n.passages.size(), 2u);
  EXPECT_EQ(n.passages[0].text, "暗号鍵を管理しています。");
  EXPECT_EQ(n.passages[0].source_begin, 0u);
  EXPECT_EQ(n.passages[0].source_end, 37u);
  EXPECT_EQ(n.passages[1].text, "統1 | ISO27001に準拠");
  EXPECT_EQ(n.blocks[3].cells[1], "ISO27001に準拠");
}

}  // namespace
}  // namespace fiscdex::normalize
