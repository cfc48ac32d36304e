// Tables without a grid of rules: columns from where the words stand, rows
// from the vertical gaps and the alignment of the cells (what Camelot and
// Tabula call the stream method). Internal to ingest/'s PDF layout.
#ifndef FISCDEX_INGEST_PDF_STREAM_TABLE_H_
#define FISCDEX_INGEST_PDF_STREAM_TABLE_H_

#include <cstddef>
#include <vector>

#include "ingest/pdf_layout.h"
#include "ingest/pdf_lines.h"

namespace fiscdex::ingest::internal {

struct Column {
  double x0, x1;
  int id;  // stable while columns are inserted
};

struct Region {
  std::vector<Column> columns;  // sorted by x0
  std::vector<size_t> lines;
  std::vector<std::vector<int>> segment_column_ids;  // per line, per segment
  int multi_segment_lines = 0;
  double last_y1 = 0;
  double em = 0;  // of the line that opened it
};

// A header cell centred over a column is one or two lines; a column with
// more lines than that is a column of the table's body.
constexpr size_t kCentredHeaderLines = 2;

// How many columns of `cols` the extent x0..x1 overlaps; `hit` is set to the
// rightmost of them.
int ColumnsHit(const std::vector<Column>& cols, double x0, double x1, int* hit);

// Places each segment of `line` in one column of the region, adding a column
// where a segment falls in a gap. A segment that straddles columns is split
// at a gap between them if it has one; otherwise the columns are merged if
// no earlier line used more than one of them (a centred header cell makes a
// narrow column that the body's wider cells then cover) and at most one of
// them holds more than kCentredHeaderLines lines (an ID centred between the
// two lines of its title never shares a line with them either). False when
// neither works: the line is not part of the table.
bool AssignColumns(Region* region, int* next_id, Line* line, std::vector<int>* ids);

// The rows of the table `region` (over `lines`), top to bottom, as items of
// table `region_index` of the page. `probe` says where the page draws
// horizontal borders.
std::vector<PdfItem> BuildStreamTable(const std::vector<Line>& lines, const Region& region,
                                      double tight_em, const RuleProbe& probe, int region_index);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_PDF_STREAM_TABLE_H_
