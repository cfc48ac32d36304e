// Opening a view for a command: the index, its catalog and the documents the
// selection chooses, with the command's errors reported as every command
// reports them. The views themselves are views/assessment_views.h.
#ifndef FISCDEX_TOOLS_VIEW_COMMAND_H_
#define FISCDEX_TOOLS_VIEW_COMMAND_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "index/index.h"
#include "tools/command.h"
#include "views/assessment_views.h"

namespace fiscdex::cli {

using views::Catalog;
using views::ColumnLabel;
using views::Coverage;
using views::Selection;

// What a view command reads.
struct View {
  std::unique_ptr<index::Index> index;
  Catalog catalog;
  std::vector<int64_t> documents;
};

// Opens the index and chooses the documents; on failure reports why (as
// `command`'s error) and returns the exit code, else kExitOk.
int OpenView(const GlobalOptions& global, std::string_view command, const Selection& selection,
             View* view);

}  // namespace fiscdex::cli

#endif  // FISCDEX_TOOLS_VIEW_COMMAND_H_
