// The boundary between ingest/ and its PDF reader, which is built as a
// module of its own (fiscdex_pdf.so) and loaded on the first PDF.
//
// Why a module: Poppler pulls in some 25 shared libraries (NSS, OpenJPEG,
// LCMS, Freetype …). Linked into the binary, every `fiscdex search` paid for
// loading and relocating them although a search never reads a PDF. Loaded
// with dlopen() only when a PDF is read, they cost nothing elsewhere.
//
// The module is built from this tree by the same compiler as the host, so
// C++ types cross the boundary as they are; abi_version and the sizes guard
// against a module left over from another build. Internal to ingest/.
#ifndef FISCDEX_INGEST_PDF_MODULE_H_
#define FISCDEX_INGEST_PDF_MODULE_H_

#include <cstddef>
#include <string>

#include "base/log.h"
#include "base/status.h"
#include "ingest/document.h"
#include "ingest/ingest.h"

namespace fiscdex::ingest::internal {

// Raise it whenever PdfModuleApi or the meaning of a field changes.
inline constexpr int kPdfModuleAbiVersion = 1;

// The file name of the module, and the one symbol it exports.
inline constexpr char kPdfModuleFileName[] = "fiscdex_pdf.so";
inline constexpr char kPdfModuleEntryPoint[] = "fiscdex_pdf_module_api";

// Set to a path, this file is loaded instead of the module found beside the
// executable (see LoadPdfModule).
inline constexpr char kPdfModuleEnvironmentVariable[] = "FISCDEX_PDF_MODULE";

struct PdfModuleApi {
  int abi_version;
  size_t document_size;
  size_t load_options_size;
  // The module carries its own copy of base/ and so its own log level: the
  // host passes its level in before every read, so --quiet and --verbose
  // apply to Poppler's messages as to the rest.
  void (*set_log_level)(LogLevel level);
  // ReadPdfWithPoppler. Thread-safe.
  Result<Document> (*read_pdf)(Document doc, std::string bytes, const LoadOptions& options);
};

// The PDF reader itself (pdf_reader.cc, inside the module): `doc` has path,
// size and hash set.
Result<Document> ReadPdfWithPoppler(Document doc, std::string bytes, const LoadOptions& options);

// Loads the module once per process (later calls return the first answer,
// success or failure) and checks that it matches this build. Looks, in
// order, at $FISCDEX_PDF_MODULE when set and not empty (only there), else
// at fiscdex_pdf.so in the executable's folder, then in
// <executable's folder>/../lib/fiscdex/ (where the build tree puts it).
// On failure, Status::Unsupported naming the module and why, e.g. "PDF
// support module fiscdex_pdf.so cannot be loaded: ...". Thread-safe.
Result<const PdfModuleApi*> LoadPdfModule();

}  // namespace fiscdex::ingest::internal

// What the module exports, unmangled so that dlsym() finds it by name.
extern "C" const fiscdex::ingest::internal::PdfModuleApi* fiscdex_pdf_module_api();

#endif  // FISCDEX_INGEST_PDF_MODULE_H_
