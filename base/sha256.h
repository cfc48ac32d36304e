// SHA-256 (FIPS 180-4), self-written so that content hashes need no crypto
// library. Used for Document::content_hash: the index compares it to skip
// files that did not change, so the digest must be stable across platforms.
#ifndef FISCDEX_BASE_SHA256_H_
#define FISCDEX_BASE_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fiscdex {

// Incremental hasher: Update() any number of times, then Final() once.
// Not thread-safe; one object per stream.
class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();

  void Update(std::string_view bytes);
  // REQUIRES: called once; the object is spent afterwards.
  Digest Final();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lower-case hex of the SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

}  // namespace fiscdex

#endif  // FISCDEX_BASE_SHA256_H_
