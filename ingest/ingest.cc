// LoadBytes and ParseText: the pipeline from bytes to a parsed Document.
#include "ingest/ingest.h"

#include <string>
#include <string_view>
#include <utility>

#include "base/sha256.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest {

Status ParseText(Format format, Document* doc) {
  doc->blocks.clear();
  doc->properties.clear();
  doc->page_count = 1;
  switch (format) {
    case Format::kText:
      internal::ReadPlainText(doc);
      return Status::Ok();
    case Format::kMarkdown:
      internal::ReadMarkdown(doc);
      return Status::Ok();
    case Format::kHtml:
      internal::ReadHtml(doc);
      return Status::Ok();
    case Format::kCsv:
      internal::ReadCsv(doc);
      return Status::Ok();
    case Format::kPdf:
      // A PDF is laid out from its bytes (LoadBytes), never from decoded text.
      return Status::InvalidArgument("a PDF is read from its bytes, not from text");
  }
  return Status::Internal("unknown format");
}

namespace internal {

Result<Document> LoadOwnedBytes(const std::string& path, std::string bytes,
                                std::string content_hash, const LoadOptions& options) {
  Document doc;
  doc.path = path;
  doc.size_bytes = bytes.size();
  doc.content_hash = std::move(content_hash);
  if (bytes.empty()) return Status::Empty("file is empty");
  if (HasPdfSignature(bytes)) {
    doc.format = Format::kPdf;
    return ReadPdf(std::move(doc), std::move(bytes), options);
  }
  ASSIGN_OR_RETURN(DecodedText decoded, DecodeOwnedText(std::move(bytes)));
  if (IsBlank(decoded.utf8)) return Status::Empty("file holds only white space");
  doc.text = std::move(decoded.utf8);
  doc.encoding = std::move(decoded.encoding);
  doc.format = DetectFormat(path, doc.text);
  RETURN_IF_ERROR(ParseText(doc.format, &doc));
  return doc;
}

}  // namespace internal

Result<Document> LoadBytes(const std::string& path, std::string_view bytes,
                           const LoadOptions& options) {
  return internal::LoadOwnedBytes(path, std::string(bytes), Sha256Hex(bytes), options);
}

Result<Document> ParseFileContent(FileContent content, const LoadOptions& options) {
  return internal::LoadOwnedBytes(content.path, std::move(content.bytes),
                                  std::move(content.content_hash), options);
}

}  // namespace fiscdex::ingest
