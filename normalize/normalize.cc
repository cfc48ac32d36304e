#include "normalize/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "normalize/furniture.h"

namespace fiscdex::normalize {
namespace {

// Replaces ill-formed UTF-8 with U+FFFD so ICU and RE2 always see valid text.
// Returns false, with the repaired text in `out`, when `in` was ill-formed.
bool SanitizeUtf8(std::string_view in, std::string* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const int32_t length = static_cast<int32_t>(in.size());
  bool valid = true;
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0 && valid) {
      out->assign(in.substr(0, start));
      valid = false;
    }
    if (!valid) {
      if (c < 0) {
        out->append("\xEF\xBF\xBD");
      } else {
        out->append(in.substr(start, i - start));
      }
    }
  }
  return valid;
}

// The folds NFKC leaves undone but that matter for criterion ranges and IDs.
// All targets are ASCII, and all sources are 3-byte sequences led by E2/E3,
// so a single pass that copies everything else verbatim suffices.
void FoldVariants(std::string* text) {
  std::string& s = *text;
  size_t out = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c == 0xE2 || c == 0xE3) && i + 2 < s.size()) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      char folded = 0;
      if (c == 0xE3 && c1 == 0x80 && (c2 == 0x9C || c2 == 0xB0)) folded = '~';  // 〜 〰
      if (c == 0xE2 && c1 == 0x88 && c2 == 0xBC) folded = '~';                  // ∼
      if (c == 0xE2 && c1 == 0x81 && c2 == 0x93) folded = '~';                  // ⁓
      if (c == 0xE2 && c1 == 0x80 && (c2 == 0x90 || c2 == 0x91)) folded = '-';  // ‐ ‑
      if (c == 0xE2 && c1 == 0x88 && c2 == 0x92) folded = '-';                  // −
      if (folded) {
        s[out++] = folded;
        i += 3;
        continue;
      }
    }
    s[out++] = s[i++];
  }
  s.resize(out);
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string ApplyNormalizer(const icu::Normalizer2* normalizer, std::string_view utf8,
                            bool fold_variants) {
  std::string sanitized;
  if (!SanitizeUtf8(utf8, &sanitized)) utf8 = sanitized;
  std::string out;
  UErrorCode status = U_ZERO_ERROR;
  if (normalizer != nullptr) {
    out.reserve(utf8.size());
    icu::StringByteSink<std::string> sink(&out);
    normalizer->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())),
                              sink, nullptr, status);
  }
  // ICU data is linked in, so this fails only on a broken installation; the
  // unnormalized text is still better than nothing for the caller.
  if (normalizer == nullptr || U_FAILURE(status)) out.assign(utf8);
  if (fold_variants) FoldVariants(&out);
  return out;
}

const icu::Normalizer2* Nfkc() {
  // ICU singletons: owned by ICU, never deleted.
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

const icu::Normalizer2* NfkcCasefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string NormalizeText(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);  // NFKC and the folds leave ASCII alone
  return ApplyNormalizer(Nfkc(), utf8, /*fold_variants=*/false);
}

std::string FoldForSearch(std::string_view utf8) {
  if (IsAscii(utf8)) {
    std::string out(utf8);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  return ApplyNormalizer(NfkcCasefold(), utf8, /*fold_variants=*/true);
}

NormalizedDocument Normalize(const ingest::Document& doc) {
  NormalizedDocument out;
  std::vector<ingest::Block> blocks;
  blocks.reserve(doc.blocks.size());
  for (const ingest::Block& source : doc.blocks) {
    ingest::Block block = source;
    block.text = std::string(TrimView(NormalizeText(source.text)));
    for (std::string& cell : block.cells) cell = std::string(TrimView(NormalizeText(cell)));
    blocks.push_back(std::move(block));
  }
  std::vector<bool> is_furniture = FindFurniture(blocks, doc.page_count, doc.format);

  bool pending_break = false;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (is_furniture[i] || blocks[i].furniture) {
      out.furniture.push_back(std::move(blocks[i]));
      pending_break = true;
      continue;
    }
    if (pending_break && blocks[i].kind != ingest::BlockKind::kBlank) {
      out.furniture_breaks.push_back(out.blocks.size());
      pending_break = false;
    }
    out.blocks.push_back(std::move(blocks[i]));
  }
  out.passages = BuildPassages(out.blocks);
  return out;
}

}  // namespace fiscdex::normalize
