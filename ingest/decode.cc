// Encoding detection and conversion to UTF-8.
//
// The order of evidence: a BOM is decisive; NUL bytes mean UTF-16 (when they
// fall on one byte parity) or binary; many control bytes mean binary; then
// strict UTF-8 validation, which almost never accepts legacy Japanese text by
// accident; then trial conversion with ICU's Shift_JIS (CP932) and EUC-JP
// converters set to stop at the first invalid or unmappable byte. When both
// legacy encodings decode cleanly, the one whose output reads like Japanese
// (kana and kanji rather than half-width katakana and private-use
// characters) wins.
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "ingest/readers.h"
#include "ingest/text_util.h"

namespace fiscdex::ingest {
namespace {

// ICU's name for Microsoft's CP932 (alias "windows-31j"): Shift_JIS plus the
// NEC and IBM extensions (①, 髙, ...) that Japanese Windows documents use.
constexpr const char* kShiftJisConverter = "ibm-943_P15A-2003";
constexpr const char* kEucJpConverter = "EUC-JP";

// UTF-16 code units converted per ICU call: large enough to amortize the
// call, small enough to live on the stack.
constexpr size_t kChunkUnits = 16 * 1024;

constexpr size_t kNotFound = std::string_view::npos;

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// The one place an ICU UErrorCode becomes a Status.
Status IcuError(std::string_view what, UErrorCode code) {
  std::string message(what);
  message += ": ";
  message += u_errorName(code);
  return Status::Internal(message);
}

// A converter per thread and encoding, opened once: ucnv_open parses the
// alias table and mapping data, which is not free per file.
Result<UConverter*> StoppingConverter(const char* name) {
  thread_local ConverterPtr shift_jis;
  thread_local ConverterPtr euc_jp;
  ConverterPtr& slot = std::strcmp(name, kShiftJisConverter) == 0 ? shift_jis : euc_jp;
  if (!slot) {
    UErrorCode error = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(name, &error));
    if (U_FAILURE(error)) return IcuError(std::string("opening converter ") + name, error);
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &error);
    if (U_FAILURE(error)) return IcuError("setting the stop callback", error);
    slot = std::move(converter);
  }
  ucnv_reset(slot.get());
  return slot.get();
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlongs, surrogates and code points past U+10FFFF included), or npos.
size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  auto cont = [&](size_t k) { return k < n && (p[k] & 0xC0) == 0x80; };
  while (i < n) {
    const uint8_t c = p[i];
    if (c < 0x80) {
      // Runs of ASCII go eight bytes at a time; Japanese text skips this test.
      uint64_t word;
      if (i + 8 <= n && (std::memcpy(&word, p + i, 8), (word & 0x8080808080808080ULL) == 0)) {
        i += 8;
      } else {
        ++i;
      }
    } else if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
               (p[i + 2] & 0xC0) == 0x80) {
      i += 3;  // the common three-byte case (kana, kanji), no range exceptions
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(i + 1) || !cont(i + 2)) return i;
      if (c == 0xE0 && p[i + 1] < 0xA0) return i;  // overlong
      if (c == 0xED && p[i + 1] > 0x9F) return i;  // surrogate
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return i;
      if (c == 0xF0 && p[i + 1] < 0x90) return i;  // overlong
      if (c == 0xF4 && p[i + 1] > 0x8F) return i;  // past U+10FFFF
      i += 4;
    } else {
      return i;
    }
  }
  return kNotFound;
}

// The byte grammar of CP932: ASCII, half-width katakana A1-DF, and
// double-byte characters (lead 81-9F or E0-FC, trail 40-7E or 80-FC).
// Returns the offset of the first byte outside it, or npos. ICU's converter
// would accept the stray single bytes 80 and A0 (mapping them to controls
// and private use), which are not text.
size_t FindInvalidShiftJis(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = p[i];
    if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) {
      ++i;
    } else if ((c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC)) {
      if (i + 1 >= n) return i;
      const uint8_t t = p[i + 1];
      if (t < 0x40 || t == 0x7F || t > 0xFC) return i;
      i += 2;
    } else {
      return i;
    }
  }
  return kNotFound;
}

// The byte grammar of EUC-JP: ASCII, A1-FE pairs (JIS X 0208), 8E + A1-DF
// (half-width katakana), 8F + two A1-FE bytes (JIS X 0212). ICU's converter
// would map other high bytes to C1 controls.
size_t FindInvalidEucJp(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  auto high = [&](size_t k) { return k < n && p[k] >= 0xA1 && p[k] <= 0xFE; };
  size_t i = 0;
  while (i < n) {
    const uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xA1 && c <= 0xFE) {
      if (!high(i + 1)) return i;
      i += 2;
    } else if (c == 0x8E) {
      if (i + 1 >= n || p[i + 1] < 0xA1 || p[i + 1] > 0xDF) return i;
      i += 2;
    } else if (c == 0x8F) {
      if (!high(i + 1) || !high(i + 2)) return i;
      i += 3;
    } else {
      return i;
    }
  }
  return kNotFound;
}

struct ByteCounts {
  size_t nul_even = 0;
  size_t nul_odd = 0;
  size_t controls = 0;  // C0 controls other than NUL, TAB, LF, VT, FF, CR, ESC; and DEL
};

ByteCounts CountSuspiciousBytes(std::string_view s) {
  ByteCounts counts;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  auto count = [&](size_t i) {
    const uint8_t c = p[i];
    if (c >= 0x20 && c != 0x7F) return;
    if (c == 0) {
      ((i & 1) ? counts.nul_odd : counts.nul_even) += 1;
    } else if (c == 0x7F || c < 0x09 || (c > 0x0D && c != 0x1B)) {
      ++counts.controls;
    }
  };
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t i = 0;
  // Eight bytes at a time: a word with no byte below 0x20 and no DEL (the
  // usual case between line breaks) needs no per-byte look.
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, p + i, 8);
    const uint64_t below_space = (x - kOnes * 0x20) & ~x & kHighs;
    const uint64_t y = x ^ (kOnes * 0x7F);
    const uint64_t del = (y - kOnes) & ~y & kHighs;
    if ((below_space | del) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) count(k);
  }
  for (; i < n; ++i) count(i);
  return counts;
}

// More than 2% control bytes is not text in any encoding we read.
bool TooManyControls(size_t controls, size_t size) { return controls > 0 && controls * 50 > size; }

// Appends UTF-16 code units as UTF-8. A lead surrogate at the end of a chunk
// waits in *pending for its trail in the next one.
void AppendUtf16AsUtf8(const char16_t* units, size_t n, char16_t* pending, std::string* out) {
  for (size_t i = 0; i < n; ++i) {
    const char16_t u = units[i];
    if (*pending != 0) {
      const char16_t lead = *pending;
      *pending = 0;
      if (u >= 0xDC00 && u <= 0xDFFF) {
        AppendUtf8(0x10000 + ((char32_t{lead} - 0xD800) << 10) + (u - 0xDC00), out);
        continue;
      }
      AppendUtf8(0xFFFD, out);
    }
    if (u < 0x80) {
      out->push_back(static_cast<char>(u));
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      *pending = u;
    } else {
      AppendUtf8(u, out);
    }
  }
}

// Decodes UTF-16 from bytes[start..]. Returns the byte offset of the first
// invalid unit (an unpaired surrogate, an odd trailing byte), or npos.
size_t DecodeUtf16(std::string_view bytes, size_t start, bool big_endian, std::string* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  out->reserve(out->size() + (n - start) * 3 / 2);
  auto unit = [&](size_t i) -> char16_t {
    return big_endian ? static_cast<char16_t>((p[i] << 8) | p[i + 1])
                      : static_cast<char16_t>((p[i + 1] << 8) | p[i]);
  };
  size_t i = start;
  while (i + 1 < n) {
    const char16_t u = unit(i);
    if (u < 0x80) {
      out->push_back(static_cast<char>(u));
      i += 2;
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= n) return i;
      const char16_t trail = unit(i + 2);
      if (trail < 0xDC00 || trail > 0xDFFF) return i;
      AppendUtf8(0x10000 + ((char32_t{u} - 0xD800) << 10) + (trail - 0xDC00), out);
      i += 4;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return i;
    } else {
      AppendUtf8(u, out);
      i += 2;
    }
  }
  return i < n ? i : kNotFound;
}

// Converts with an ICU converter that stops at the first bad byte. On
// success *bad_offset is npos; otherwise it is that byte's offset.
Status ConvertWithIcu(const char* name, std::string_view bytes, std::string* out,
                      size_t* bad_offset) {
  *bad_offset = kNotFound;
  ASSIGN_OR_RETURN(UConverter * converter, StoppingConverter(name));
  out->clear();
  out->reserve(bytes.size() + bytes.size() / 2);
  char16_t buffer[kChunkUnits];
  char16_t pending = 0;
  const char* source = bytes.data();
  const char* const source_limit = bytes.data() + bytes.size();
  while (true) {
    UChar* target = reinterpret_cast<UChar*>(buffer);
    UErrorCode error = U_ZERO_ERROR;
    ucnv_toUnicode(converter, &target, reinterpret_cast<UChar*>(buffer) + kChunkUnits, &source,
                   source_limit, nullptr, /*flush=*/true, &error);
    AppendUtf16AsUtf8(buffer, static_cast<size_t>(target - reinterpret_cast<UChar*>(buffer)),
                      &pending, out);
    if (error == U_BUFFER_OVERFLOW_ERROR) continue;
    if (error == U_ILLEGAL_CHAR_FOUND || error == U_INVALID_CHAR_FOUND ||
        error == U_TRUNCATED_CHAR_FOUND) {
      char invalid[32];
      int8_t invalid_length = sizeof(invalid);
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(converter, invalid, &invalid_length, &ignored);
      if (U_FAILURE(ignored)) invalid_length = 0;
      *bad_offset =
          static_cast<size_t>(source - bytes.data()) - static_cast<size_t>(invalid_length);
      return Status::Ok();
    }
    if (U_FAILURE(error)) return IcuError(std::string("converting from ") + name, error);
    break;
  }
  if (pending != 0) AppendUtf8(0xFFFD, out);
  return Status::Ok();
}

// How much `utf8` reads like Japanese text: kana and kanji score, half-width
// katakana, private-use and rare compatibility characters (what the wrong
// legacy decoding of Japanese produces) cost.
long JapaneseScore(std::string_view utf8) {
  long score = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(utf8.size(), 1 << 20));
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0x80) continue;
    if (c >= 0x3040 && c <= 0x30FF) {
      score += 3;  // kana
    } else if (c >= 0x4E00 && c <= 0x9FFF) {
      score += 2;  // unified kanji
    } else if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF60)) {
      score += 1;  // CJK punctuation, full-width forms
    } else if (c >= 0xFF61 && c <= 0xFF9F) {
      score -= 2;  // half-width katakana
    } else if (c >= 0xE000 && c <= 0xF8FF) {
      score -= 6;  // private use (user-defined characters)
    } else {
      score -= 1;
    }
  }
  return score;
}

std::string OffsetMessage(std::string_view what, std::string_view bytes, size_t offset) {
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), ": byte 0x%02X at offset %zu does not decode",
                static_cast<unsigned>(static_cast<uint8_t>(bytes[offset])), offset);
  return std::string(what) + buffer;
}

Result<DecodedText> DecodeUtf16Text(std::string_view bytes, size_t start, bool big_endian) {
  DecodedText decoded;
  decoded.encoding = big_endian ? "UTF-16BE" : "UTF-16LE";
  const size_t bad = DecodeUtf16(bytes, start, big_endian, &decoded.utf8);
  if (bad != kNotFound) {
    return Status::Undecodable(OffsetMessage("invalid " + decoded.encoding, bytes, bad));
  }
  const ByteCounts counts = CountSuspiciousBytes(decoded.utf8);
  if (counts.nul_even + counts.nul_odd > 0 ||
      TooManyControls(counts.controls, decoded.utf8.size())) {
    return Status::Unsupported("binary file");
  }
  return decoded;
}

Result<DecodedText> Decode(std::string_view bytes, std::string* owned) {
  DecodedText decoded;
  decoded.encoding = "UTF-8";
  if (bytes.empty()) return decoded;

  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    const size_t bad = FindInvalidUtf8(bytes.substr(3));
    if (bad != kNotFound) {
      return Status::Undecodable(OffsetMessage("invalid UTF-8", bytes, bad + 3));
    }
    decoded.utf8.assign(bytes.substr(3));
    if (std::memchr(decoded.utf8.data(), 0, decoded.utf8.size()) != nullptr) {
      return Status::Unsupported("binary file");
    }
    return decoded;
  }
  if (bytes.size() >= 2 && p[0] == 0xFF && p[1] == 0xFE) return DecodeUtf16Text(bytes, 2, false);
  if (bytes.size() >= 2 && p[0] == 0xFE && p[1] == 0xFF) return DecodeUtf16Text(bytes, 2, true);

  const ByteCounts counts = CountSuspiciousBytes(bytes);
  if (counts.nul_even + counts.nul_odd > 0) {
    // UTF-16 without a BOM: ASCII characters (spaces, newlines, digits)
    // put their zero byte on one parity. Japanese kanji such as U+4E00 put a
    // few on the other, hence a ratio rather than a clean split.
    if (counts.nul_odd > 0 && counts.nul_odd >= 8 * counts.nul_even) {
      return DecodeUtf16Text(bytes, 0, false);
    }
    if (counts.nul_even > 0 && counts.nul_even >= 8 * counts.nul_odd) {
      return DecodeUtf16Text(bytes, 0, true);
    }
    return Status::Unsupported("binary file");
  }
  if (TooManyControls(counts.controls, bytes.size())) return Status::Unsupported("binary file");

  const size_t utf8_bad = FindInvalidUtf8(bytes);
  if (utf8_bad == kNotFound) {
    if (bytes.find("\x1b$B") != std::string_view::npos ||
        bytes.find("\x1b$@") != std::string_view::npos) {
      return Status::Unsupported("ISO-2022-JP text is not supported");
    }
    if (owned != nullptr) {
      decoded.utf8 = std::move(*owned);
    } else {
      decoded.utf8.assign(bytes);
    }
    return decoded;
  }

  // The byte grammar first (cheap, and exact about offsets), then ICU for
  // byte pairs the grammar allows but the character set does not map.
  std::string shift_jis;
  size_t shift_jis_bad = FindInvalidShiftJis(bytes);
  if (shift_jis_bad == kNotFound) {
    RETURN_IF_ERROR(ConvertWithIcu(kShiftJisConverter, bytes, &shift_jis, &shift_jis_bad));
  }
  std::string euc_jp;
  size_t euc_jp_bad = FindInvalidEucJp(bytes);
  if (euc_jp_bad == kNotFound) {
    RETURN_IF_ERROR(ConvertWithIcu(kEucJpConverter, bytes, &euc_jp, &euc_jp_bad));
  }

  const bool shift_jis_ok = shift_jis_bad == kNotFound;
  const bool euc_jp_ok = euc_jp_bad == kNotFound;
  if (shift_jis_ok && (!euc_jp_ok || JapaneseScore(shift_jis) >= JapaneseScore(euc_jp))) {
    decoded.utf8 = std::move(shift_jis);
    decoded.encoding = "Shift_JIS";
    return decoded;
  }
  if (euc_jp_ok) {
    decoded.utf8 = std::move(euc_jp);
    decoded.encoding = "EUC-JP";
    return decoded;
  }
  // Name the failure of the encoding that got furthest: the likeliest one.
  const size_t furthest = std::max({utf8_bad, shift_jis_bad, euc_jp_bad});
  return Status::Undecodable(
      OffsetMessage("not valid UTF-8, Shift_JIS or EUC-JP", bytes, furthest));
}

}  // namespace

Result<DecodedText> DecodeText(std::string_view bytes) { return Decode(bytes, nullptr); }

namespace internal {

Result<DecodedText> DecodeOwnedText(std::string bytes) {
  const std::string_view view(bytes);
  return Decode(view, &bytes);
}

}  // namespace internal
}  // namespace fiscdex::ingest
