// ReadPdf for the host: finds and loads the PDF module (pdf_module.h) on the
// first PDF, then hands every PDF to it.
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "ingest/pdf_module.h"
#include "ingest/readers.h"

namespace fiscdex::ingest::internal {
namespace {

// The folder of the running executable, "" when /proc is not mounted (then
// only $FISCDEX_PDF_MODULE can name the module).
std::string ExecutableFolder() {
  std::string path(4096, '\0');
  const ssize_t length = readlink("/proc/self/exe", path.data(), path.size());
  if (length <= 0 || static_cast<size_t>(length) >= path.size()) return "";
  path.resize(static_cast<size_t>(length));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::vector<std::string> ModuleCandidates() {
  const char* chosen = std::getenv(kPdfModuleEnvironmentVariable);
  if (chosen != nullptr && chosen[0] != '\0') return {chosen};
  const std::string folder = ExecutableFolder();
  if (folder.empty()) return {};
  return {folder + "/" + kPdfModuleFileName, folder + "/../lib/fiscdex/" + kPdfModuleFileName};
}

Status CannotLoad(std::string_view why) {
  std::string message = "PDF support module ";
  message += kPdfModuleFileName;
  message += " cannot be loaded: ";
  message += why;
  return Status::Unsupported(message);
}

Result<const PdfModuleApi*> OpenModule() {
  const std::vector<std::string> candidates = ModuleCandidates();
  if (candidates.empty()) return CannotLoad("the executable's folder is unknown (no /proc)");
  std::string tried;
  for (const std::string& path : candidates) {
    // A missing file is the usual miss; any other failure (a module that
    // does not link, a missing Poppler) is the answer, told as dlerror says it.
    if (access(path.c_str(), F_OK) != 0) {
      if (!tried.empty()) tried += ", ";
      tried += path;
      continue;
    }
    // Never closed: Poppler keeps global state for the life of the process.
    // RTLD_LOCAL keeps Poppler's symbols out of the way of the host's.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* error = dlerror();
      return CannotLoad(error != nullptr ? error : path);
    }
    using EntryPoint = const PdfModuleApi* (*)();
    auto entry = reinterpret_cast<EntryPoint>(dlsym(handle, kPdfModuleEntryPoint));
    if (entry == nullptr) return CannotLoad(path + " has no " + kPdfModuleEntryPoint);
    const PdfModuleApi* api = entry();
    if (api == nullptr || api->abi_version != kPdfModuleAbiVersion ||
        api->document_size != sizeof(Document) ||
        api->load_options_size != sizeof(LoadOptions)) {
      return CannotLoad(path + " is from another build of fiscdex (rebuild it)");
    }
    return api;
  }
  return CannotLoad("not found (looked for " + tried + ")");
}

}  // namespace

Result<const PdfModuleApi*> LoadPdfModule() {
  // A function-local static: loaded once, by whichever thread comes first.
  static const Result<const PdfModuleApi*> loaded = OpenModule();
  return loaded;
}

Result<Document> ReadPdf(Document doc, std::string bytes, const LoadOptions& options) {
  ASSIGN_OR_RETURN(const PdfModuleApi* api, LoadPdfModule());
  api->set_log_level(GetLogLevel());
  return api->read_pdf(std::move(doc), std::move(bytes), options);
}

}  // namespace fiscdex::ingest::internal
