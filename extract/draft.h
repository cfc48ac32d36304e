// Internal to extract/: a record before IDs are split out and merged.
#ifndef FISCDEX_EXTRACT_DRAFT_H_
#define FISCDEX_EXTRACT_DRAFT_H_

#include <optional>
#include <string>
#include <vector>

#include "extract/record.h"
#include "ingest/document.h"

namespace fiscdex::extract {

// One answer and the IDs that share it (a range, a list, a merged cell, or
// the IDs that follow an answer paragraph without one of their own).
struct Draft {
  enum class Origin { kTableRow, kLine, kHeading, kMapping };
  Origin origin = Origin::kLine;
  std::vector<std::string> ids;
  std::vector<std::optional<std::string>> titles;  // parallel to ids
  std::string answer;
  std::vector<AnswerColumn> columns;  // tables with several answer columns
  int page = 1;
  // Parallel to ids where they start on different pages (a merged cell cut
  // by a page break); empty when every ID starts on `page`.
  std::vector<int> id_pages;
  size_t source_begin = 0;
  size_t source_end = 0;
  size_t order = 0;  // block index of the record's start, for document order
};

// Tables: rows of a criterion table become drafts (ingest::BlockKind::kTableRow).
class TableExtractor {
 public:
  // Feeds one whole table (consecutive rows with the same table index).
  // `last_draft_open`: nothing but blank lines and headers separate this
  // table from the draft that ended the previous criterion table, so an
  // ID-less row here continues it.
  void AddTable(const std::vector<const ingest::Block*>& rows, size_t first_block,
                std::vector<Draft>* drafts);
  // Something other than a table (prose, a heading) came: no continuation.
  void Interrupt() { open_draft_ = -1; }

 private:
  struct Layout {
    int id_column = -1;
    int title_column = -1;
    std::vector<int> answer_columns;
    std::vector<std::string> headers;
    std::vector<std::string> header_cells;  // the header row as printed, to skip repeats
    size_t width = 0;
  };
  Layout layout_;
  bool has_layout_ = false;
  long open_draft_ = -1;
};

// Lines of running text (PDF dumps, prose with ID lines) and headings per ID.
void ExtractFromLines(const std::vector<ingest::Block>& blocks,
                      const std::vector<size_t>& furniture_breaks, std::vector<Draft>* drafts,
                      TableExtractor* tables);

// A block as one line of an answer: its text; a table row's cells separated
// by tabs (a table nested in an answer); "" for a blank.
std::string AnswerLine(const ingest::Block& b);

// Reverse mappings: a block about one control or best practice (a heading
// and its text) that names the criteria it serves under a label
// ("対応する安全対策基準番号", "関連する FISC 基準", "参照基準"). Each block
// gives one draft: its text, heading and label excluded, is the answer of
// every ID it names. Marks every block it reads in `claimed` (sized like
// `blocks`), so that no other rule reads them again.
void ExtractMappings(const std::vector<ingest::Block>& blocks, std::vector<bool>* claimed,
                     std::vector<Draft>* drafts);

// Splits drafts into one record per ID, joins repeated IDs, orders them.
std::vector<CriterionRecord> AssembleRecords(std::vector<Draft> drafts);

}  // namespace fiscdex::extract

#endif  // FISCDEX_EXTRACT_DRAFT_H_
