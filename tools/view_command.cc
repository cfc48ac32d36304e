#include "tools/view_command.h"

#include "tools/cli.h"

namespace fiscdex::cli {

int OpenView(const GlobalOptions& global, std::string_view command, const Selection& selection,
             View* view) {
  view->index = OpenExistingIndex(global);
  if (view->index == nullptr) return kExitUsage;
  Result<Catalog> catalog = views::LoadCatalog(view->index.get());
  if (!catalog.ok()) {
    PrintError(global.db_path, catalog.status().ToString());
    return kExitFailed;
  }
  view->catalog = std::move(*catalog);
  Result<std::vector<int64_t>> documents = views::SelectDocuments(view->catalog, selection);
  if (!documents.ok()) return UsageError(command, documents.status().message());
  view->documents = std::move(*documents);
  return kExitOk;
}

}  // namespace fiscdex::cli
