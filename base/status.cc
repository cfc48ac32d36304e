#include "base/status.h"

namespace fiscdex {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kUndecodable: return "undecodable";
    case StatusCode::kEmpty: return "empty";
    case StatusCode::kCorrupt: return "corrupt";
    case StatusCode::kEncrypted: return "encrypted";
    case StatusCode::kNoText: return "no text";
    case StatusCode::kIoError: return "I/O error";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

const std::string& Status::message() const {
  static const std::string kEmptyMessage;
  return rep_ ? rep_->message : kEmptyMessage;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(rep_->code));
  if (!rep_->message.empty()) {
    out += ": ";
    out += rep_->message;
  }
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  if (!rep_->message.empty()) {
    msg += ": ";
    msg += rep_->message;
  }
  return Status(rep_->code, msg);
}

}  // namespace fiscdex
