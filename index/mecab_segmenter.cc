#include "index/mecab_segmenter.h"

#include <mecab.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace fiscdex::index {
namespace {

// MeCab's lattice grows with the sentence; cutting long texts at line or
// sentence ends keeps it in cache and bounds memory. The cut points depend
// only on the text, so the same text always gives the same tokens (FTS5
// re-tokenizes stored text to delete it and must see identical tokens).
constexpr size_t kMaxPiece = 16 * 1024;

// Splits ipadic's comma-separated feature string: field `index` (0-based).
std::string_view FeatureField(const char* feature, int index) {
  if (feature == nullptr) return {};
  const char* p = feature;
  for (int i = 0; i < index; ++i) {
    while (*p != '\0' && *p != ',') ++p;
    if (*p == '\0') return {};
    ++p;
  }
  const char* q = p;
  while (*q != '\0' && *q != ',') ++q;
  return std::string_view(p, static_cast<size_t>(q - p));
}

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Where to end the piece that starts at `text[0]`: after the last newline or
// "。" within kMaxPiece bytes, else after the last ASCII space, else at a
// UTF-8 character boundary.
size_t PieceLength(std::string_view text) {
  if (text.size() <= kMaxPiece) return text.size();
  std::string_view window = text.substr(0, kMaxPiece);
  size_t cut = window.rfind('\n');
  if (cut != std::string_view::npos && cut > 0) return cut + 1;
  cut = window.rfind("。");
  if (cut != std::string_view::npos && cut > 0) return cut + 3;
  cut = window.rfind(' ');
  if (cut != std::string_view::npos && cut > 0) return cut + 1;
  size_t end = kMaxPiece;
  while (end > 0 && IsUtf8Continuation(text[end])) --end;
  return end > 0 ? end : kMaxPiece;
}

bool IsCharsetUtf8(const char* charset) {
  const std::string name = charset != nullptr ? charset : "";
  return name == "UTF-8" || name == "utf-8" || name == "utf8" || name == "UTF8";
}

// FNV-1a, 64 bits: enough to tell two user dictionaries apart, and needs no
// library. Empty when the file cannot be read.
std::string HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::istreambuf_iterator<char> it(in), end; it != end; ++it) {
    hash ^= static_cast<unsigned char>(*it);
    hash *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}


constexpr size_t kKatakanaBytes = 3;
constexpr size_t kMinCompoundChars = 4;
constexpr size_t kMinPartChars = 2;

// The fewest dictionary words (each of kMinPartChars or more) that cover
// [begin, end) of the lattice's sentence end to end, or nothing when there
// is no such cover or it is the word itself. `lattice->begin_nodes(pos)`
// lists every word the dictionary has at byte `pos`, not only those on the
// best path. A dynamic program over the character boundaries of the span;
// ties go to the cover found first, which depends only on the text.
std::vector<const MeCab::Node*> CompoundCover(MeCab::Lattice* lattice, const char* sentence,
                                              size_t begin, size_t end) {
  const size_t chars = (end - begin) / kKatakanaBytes;
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<size_t> words(chars + 1, kNone);  // words[k]: fewest to reach char k
  std::vector<const MeCab::Node*> last(chars + 1, nullptr);
  words[0] = 0;
  for (size_t k = 0; k < chars; ++k) {
    if (words[k] == kNone) continue;
    const size_t pos = begin + k * kKatakanaBytes;
    for (const MeCab::Node* node = lattice->begin_nodes(pos); node != nullptr;
         node = node->bnext) {
      if (node->stat != MECAB_NOR_NODE || node->surface != sentence + pos) continue;
      if (node->length < kMinPartChars * kKatakanaBytes || pos + node->length > end) continue;
      if (node->length % kKatakanaBytes != 0) continue;
      const size_t to = k + node->length / kKatakanaBytes;
      if (words[k] + 1 < words[to]) {
        words[to] = words[k] + 1;
        last[to] = node;
      }
    }
  }
  std::vector<const MeCab::Node*> parts;
  if (words[chars] == kNone || words[chars] < 2) return parts;
  for (size_t k = chars; k > 0; k -= last[k]->length / kKatakanaBytes) parts.push_back(last[k]);
  return std::vector<const MeCab::Node*>(parts.rbegin(), parts.rend());
}

}  // namespace

// Every katakana character (and ー) is 3 bytes in UTF-8: U+30A1..U+30FC.
bool IsKatakanaOnly(std::string_view s) {
  if (s.empty() || s.size() % 3 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    const auto b2 = static_cast<unsigned char>(s[i + 2]);
    const unsigned code = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    if ((b0 & 0xF0u) != 0xE0u || code < 0x30A1 || code > 0x30FC || code == 0x30FB) return false;
  }
  return true;
}

void MecabSegmenter::ModelDeleter::operator()(MeCab::Model* model) const {
  MeCab::deleteModel(model);
}
void MecabSegmenter::TaggerDeleter::operator()(MeCab::Tagger* tagger) const {
  MeCab::deleteTagger(tagger);
}
void MecabSegmenter::LatticeDeleter::operator()(MeCab::Lattice* lattice) const {
  MeCab::deleteLattice(lattice);
}

MecabSegmenter::MecabSegmenter(std::unique_ptr<MeCab::Model, ModelDeleter> model,
                               std::unique_ptr<MeCab::Tagger, TaggerDeleter> tagger,
                               std::string dictionary, int token_rules)
    : model_(std::move(model)),
      tagger_(std::move(tagger)),
      dictionary_(std::move(dictionary)),
      token_rules_(token_rules) {}

MecabSegmenter::~MecabSegmenter() = default;

const char* MecabSegmenter::DefaultDictionaryDir() { return FISCDEX_MECAB_DICDIR; }

// Beside the running program first (a copy of fiscdex placed where the
// build tree cannot be reached, or an installed bin/ with lib/fiscdex/),
// then where the build compiled it.
const char* MecabSegmenter::DefaultUserDictionary() {
  static const std::string found = [] {
    const std::string built = FISCDEX_MECAB_USERDIC;
    if (built.empty()) return built;
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      const std::filesystem::path name = std::filesystem::path(built).filename();
      for (const std::filesystem::path& candidate :
           {exe.parent_path() / name, exe.parent_path() / ".." / "lib" / "fiscdex" / name}) {
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
      }
    }
    return built;
  }();
  return found.c_str();
}

Result<std::shared_ptr<MecabSegmenter>> MecabSegmenter::Create() {
  SegmenterOptions options;
  options.user_dictionary = DefaultUserDictionary();
  return CreateWithDictionary(DefaultDictionaryDir(), options);
}

Result<std::shared_ptr<MecabSegmenter>> MecabSegmenter::CreateWithDictionary(
    const std::string& dictionary_dir, const SegmenterOptions& options) {
  if (options.token_rules < 1 || options.token_rules > kTokenRulesVersion) {
    return Status::InvalidArgument("token rules " + std::to_string(options.token_rules) +
                                   " do not exist (1 to " + std::to_string(kTokenRulesVersion) +
                                   ")");
  }
  auto failure = [&](std::string_view what) {
    const char* why = MeCab::getLastError();
    return Status::Internal(std::string(what) + " with the dictionary " + dictionary_dir + ": " +
                            (why != nullptr && *why != '\0' ? why : "unknown error") +
                            " (install mecab-ipadic-utf8)");
  };
  // `-r /dev/null`: MeCab insists on reading a mecabrc, and an empty one
  // names nothing, so only `-d` decides. The argv form keeps a folder name
  // with spaces whole.
  std::string program = "fiscdex";
  std::string rc_flag = "-r";
  std::string rc_file = "/dev/null";
  std::string dic_flag = "-d";
  std::string dic_dir = dictionary_dir;
  std::string user_flag = "-u";
  std::string user_file = options.user_dictionary;
  std::vector<char*> argv = {program.data(), rc_flag.data(), rc_file.data(), dic_flag.data(),
                             dic_dir.data()};
  std::string user_hash;
  if (!user_file.empty()) {
    // MeCab reports a missing user dictionary only as a failed load; say
    // which file first.
    user_hash = HashFile(user_file);
    if (user_hash.empty()) {
      return Status::Internal("cannot read the MeCab user dictionary " + user_file +
                              " (rebuild fiscdex: it is compiled from data/userdic.csv)");
    }
    argv.push_back(user_flag.data());
    argv.push_back(user_file.data());
  }
  std::unique_ptr<MeCab::Model, ModelDeleter> model(
      MeCab::createModel(static_cast<int>(argv.size()), argv.data()));
  if (model == nullptr) return failure("cannot load MeCab");
  const MeCab::DictionaryInfo* info = model->dictionary_info();
  if (info == nullptr) return failure("cannot load MeCab");
  // The list holds the system dictionary and then each user dictionary.
  const MeCab::DictionaryInfo* system_info = nullptr;
  for (const MeCab::DictionaryInfo* d = info; d != nullptr; d = d->next) {
    if (!IsCharsetUtf8(d->charset)) {
      const std::string charset = d->charset != nullptr ? d->charset : "";
      return Status::Internal("the MeCab dictionary " + std::string(d->filename) + " is in " +
                              (charset.empty() ? std::string("an unknown charset") : charset) +
                              ", fiscdex needs one in UTF-8 (install mecab-ipadic-utf8)");
    }
    if (d->type == MECAB_SYS_DIC) system_info = d;
  }
  if (system_info == nullptr) return failure("cannot load MeCab");
  std::unique_ptr<MeCab::Tagger, TaggerDeleter> tagger(model->createTagger());
  if (tagger == nullptr) return failure("cannot create a MeCab tagger");
  std::string dictionary = std::string(system_info->filename) + " (" + system_info->charset +
                           ", version " + std::to_string(system_info->version) + "); ";
  dictionary += user_file.empty() ? std::string("no user dictionary")
                                  : "user " + BaseName(user_file) + " (fnv1a64 " + user_hash + ")";
  dictionary += "; rules " + std::to_string(options.token_rules);
  return std::shared_ptr<MecabSegmenter>(new MecabSegmenter(
      std::move(model), std::move(tagger), std::move(dictionary), options.token_rules));
}

MecabSegmenter::LatticePtr MecabSegmenter::BorrowLattice() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      LatticePtr lattice = std::move(pool_.back());
      pool_.pop_back();
      return lattice;
    }
  }
  return LatticePtr(model_->createLattice());
}

void MecabSegmenter::ReturnLattice(LatticePtr lattice) const {
  if (lattice == nullptr) return;
  lattice->clear();
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(lattice));
}

Status MecabSegmenter::Segment(std::string_view text, const TokenCallback& on_token) const {
  if (text.empty()) return Status::Ok();
  LatticePtr lattice = BorrowLattice();
  if (lattice == nullptr) return Status::Internal("cannot create a MeCab lattice");
  Status status;
  bool stopped = false;
  size_t offset = 0;
  while (offset < text.size() && !stopped) {
    size_t length = PieceLength(text.substr(offset));
    status = SegmentPiece(lattice.get(), text.substr(offset, length), offset, on_token, &stopped);
    if (!status.ok()) break;
    offset += length;
  }
  ReturnLattice(std::move(lattice));
  return status;
}

Status MecabSegmenter::SegmentPiece(MeCab::Lattice* lattice, std::string_view text, size_t offset,
                                    const TokenCallback& on_token, bool* stopped) const {
  lattice->set_sentence(text.data(), text.size());
  if (!tagger_->parse(lattice)) {
    const char* why = lattice->what();
    return Status::Internal(std::string("MeCab failed: ") + (why ? why : "unknown error"));
  }
  const char* const base = text.data();
  Token token;
  auto emit = [&](const MeCab::Node* node, bool colocated, size_t length) {
    size_t begin = static_cast<size_t>(node->surface - base);
    token.begin = offset + begin;
    token.end = token.begin + length;
    token.surface = text.substr(begin, length);
    token.pos = FeatureField(node->feature, 0);
    token.base_form = colocated ? std::string_view() : FeatureField(node->feature, 6);
    if (token.base_form == "*") token.base_form = {};
    token.colocated = colocated;
    if (on_token(token)) return true;
    *stopped = true;
    return false;
  };
  for (const MeCab::Node* node = lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE) continue;
    if (node->stat == MECAB_EOS_NODE) break;
    if (node->length == 0) continue;
    std::vector<const MeCab::Node*> parts;
    const std::string_view surface(node->surface, node->length);
    if (token_rules_ >= 2 && node->stat == MECAB_UNK_NODE &&
        node->length >= kMinCompoundChars * kKatakanaBytes && IsKatakanaOnly(surface)) {
      const size_t begin = static_cast<size_t>(node->surface - base);
      parts = CompoundCover(lattice, base, begin, begin + node->length);
    }
    if (parts.empty()) {
      if (!emit(node, false, node->length)) break;
      continue;
    }
    if (!emit(parts[0], false, parts[0]->length)) break;
    if (!emit(node, true, node->length)) break;
    bool go_on = true;
    for (size_t i = 1; i < parts.size() && go_on; ++i) {
      go_on = emit(parts[i], false, parts[i]->length);
    }
    if (!go_on) break;
  }
  return Status::Ok();
}

Result<std::vector<OwnedToken>> MecabSegmenter::SegmentAll(std::string_view text) const {
  std::vector<OwnedToken> tokens;
  Status status = Segment(text, [&tokens](const Token& t) {
    tokens.push_back(OwnedToken{t.begin, t.end, std::string(t.surface), std::string(t.base_form),
                                std::string(t.pos), t.colocated});
    return true;
  });
  if (!status.ok()) return status;
  return tokens;
}

}  // namespace fiscdex::index
