// Reading input files: finding them, detecting format and encoding, and
// turning their bytes into a Document (ingest/document.h).
#ifndef FISCDEX_INGEST_INGEST_H_
#define FISCDEX_INGEST_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/document.h"

namespace fiscdex::ingest {

// Expands files and folders into the list of files to read, each with the
// size and mtime seen while walking (so that an incremental ingest can skip
// an unchanged file without opening it): folders are
// walked recursively, entries sorted by name (byte order), symlinks to
// folders followed once (a loop is reported, not followed). Hidden entries
// (".name") are skipped. A path that cannot be read is reported through
// `on_error(path, status)` and the walk goes on; a folder that holds nothing
// to read is reported as Status::Empty.
struct InputFile {
  std::string path;
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
};
std::vector<InputFile> ListInputFiles(
    const std::vector<std::string>& paths,
    const std::function<void(const std::string& path, const Status& status)>& on_error);

struct DecodedText {
  std::string utf8;      // without a BOM
  std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE", "Shift_JIS", "EUC-JP"
};

// Detects the encoding of `bytes` (BOM first, then strict trial decoding of
// UTF-8, then ICU's detector among Shift_JIS/CP932 and EUC-JP) and converts
// to UTF-8. Returns Status::Undecodable naming the first bad byte offset when
// no supported encoding decodes the bytes cleanly, and Status::Unsupported for
// binary content (NUL bytes outside UTF-16).
Result<DecodedText> DecodeText(std::string_view bytes);

// Detects the format from the content (with the file name's extension as a
// hint): PDF by its %PDF- signature, HTML by its tags, Markdown by headings /
// pipe tables / front matter, CSV by consistent comma-separated columns;
// otherwise plain text.
Format DetectFormat(std::string_view path, std::string_view utf8_or_bytes);

// Parses decoded text in the given format into blocks (fills doc->blocks,
// doc->page_count, doc->properties). doc->text must be set.
Status ParseText(Format format, Document* doc);

struct LoadOptions {
  // Files larger than this are refused with Status::Unsupported.
  uint64_t max_bytes = 256ull << 20;
  // Opens PDFs encrypted with a user password (also tried as the owner
  // password). Empty: only PDFs that open without one are read.
  std::string password;
};

// Reads one file: bytes, hash, format, encoding, blocks. Errors name the
// reason (the caller adds the path): NotFound, IoError (permissions),
// Empty (zero bytes or only white space), Unsupported (binary, too big),
// Undecodable; for PDFs also Corrupt (damaged or truncated) and Encrypted
// (needs a password, or the one given is wrong). A PDF without a text layer
// is read, with no blocks and a warning in Document::warnings.
Result<Document> LoadFile(const std::string& path, const LoadOptions& options = {});

// A file read but not parsed: enough to tell whether the index already
// holds this content (by hash) before paying for parsing. LoadFile is
// ReadFileContent then ParseFileContent.
struct FileContent {
  std::string path;
  std::string bytes;
  std::string content_hash;  // SHA-256 of bytes, hex
  int64_t mtime_ns = 0;      // as of opening the file (a later write changes it)
};
// Errors: NotFound, IoError, Unsupported (not a regular file, over max_bytes).
Result<FileContent> ReadFileContent(const std::string& path, const LoadOptions& options = {});
Result<Document> ParseFileContent(FileContent content, const LoadOptions& options = {});

// Same as LoadFile, on bytes already in memory (tests, fuzzing, stdin).
// options.max_bytes is not applied: the bytes are already read.
Result<Document> LoadBytes(const std::string& path, std::string_view bytes,
                           const LoadOptions& options = {});

}  // namespace fiscdex::ingest

#endif  // FISCDEX_INGEST_INGEST_H_
