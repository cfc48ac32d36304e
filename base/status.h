// Status and Result<T>: how errors cross stage boundaries in fiscdex.
//
// Every fallible function that another stage calls returns a Status or a
// Result<T>; no exception crosses a stage boundary. An OK Status holds no
// allocation, so returning one on the hot path is free.
#ifndef FISCDEX_BASE_STATUS_H_
#define FISCDEX_BASE_STATUS_H_

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fiscdex {

// The codes double as per-document outcomes in the CLI summary, so they name
// what went wrong with the input, not which library noticed it.
enum class StatusCode {
  kOk = 0,
  kNotFound,         // a path that does not exist
  kInvalidArgument,  // usage errors, malformed queries
  kUnsupported,      // a format fiscdex does not read (binary, image, ...)
  kUndecodable,      // bytes that are not text in any supported encoding
  kEmpty,            // a file or folder with nothing to index
  kCorrupt,          // a damaged container (truncated PDF, bad index file)
  kEncrypted,        // needs a password
  kNoText,           // a document with no text layer
  kIoError,          // read/write failures, permissions, disk full
  kInternal,         // a bug or a third-party library failure
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(StatusCode::kNotFound, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(StatusCode::kInvalidArgument, msg);
  }
  static Status Unsupported(std::string_view msg) { return Status(StatusCode::kUnsupported, msg); }
  static Status Undecodable(std::string_view msg) { return Status(StatusCode::kUndecodable, msg); }
  static Status Empty(std::string_view msg) { return Status(StatusCode::kEmpty, msg); }
  static Status Corrupt(std::string_view msg) { return Status(StatusCode::kCorrupt, msg); }
  static Status Encrypted(std::string_view msg) { return Status(StatusCode::kEncrypted, msg); }
  static Status NoText(std::string_view msg) { return Status(StatusCode::kNoText, msg); }
  static Status IoError(std::string_view msg) { return Status(StatusCode::kIoError, msg); }
  static Status Internal(std::string_view msg) { return Status(StatusCode::kInternal, msg); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message without the code name; empty when OK.
  const std::string& message() const;
  // "not found: <message>", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  Status(StatusCode code, std::string_view msg)
      : rep_(std::make_shared<const Rep>(Rep{code, std::string(msg)})) {}
  std::shared_ptr<const Rep> rep_;
};

// A value or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result needs a value or an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace fiscdex

#define FISCDEX_CONCAT_INNER(a, b) a##b
#define FISCDEX_CONCAT(a, b) FISCDEX_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::fiscdex::Status status_macro_ = (expr);  \
    if (!status_macro_.ok()) return status_macro_; \
  } while (0)

// ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL(FISCDEX_CONCAT(result_macro_, __LINE__), lhs, rexpr)
#define ASSIGN_OR_RETURN_IMPL(result, lhs, rexpr) \
  auto result = (rexpr);                          \
  if (!result.ok()) return result.status();       \
  lhs = std::move(result).value()

#endif  // FISCDEX_BASE_STATUS_H_
