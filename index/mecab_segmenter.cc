#include "index/mecab_segmenter.h"

#include <mecab.h>

#include <string>
#include <utility>

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

}  // namespace

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
                               std::string dictionary)
    : model_(std::move(model)), tagger_(std::move(tagger)), dictionary_(std::move(dictionary)) {}

MecabSegmenter::~MecabSegmenter() = default;

const char* MecabSegmenter::DefaultDictionaryDir() { return FISCDEX_MECAB_DICDIR; }

Result<std::shared_ptr<MecabSegmenter>> MecabSegmenter::Create() {
  return CreateWithDictionary(DefaultDictionaryDir());
}

Result<std::shared_ptr<MecabSegmenter>> MecabSegmenter::CreateWithDictionary(
    const std::string& dictionary_dir) {
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
  char* argv[] = {program.data(), rc_flag.data(), rc_file.data(), dic_flag.data(), dic_dir.data()};
  std::unique_ptr<MeCab::Model, ModelDeleter> model(MeCab::createModel(5, argv));
  if (model == nullptr) return failure("cannot load MeCab");
  const MeCab::DictionaryInfo* info = model->dictionary_info();
  if (info == nullptr) return failure("cannot load MeCab");
  const std::string charset = info->charset != nullptr ? info->charset : "";
  if (charset != "UTF-8" && charset != "utf-8" && charset != "utf8" && charset != "UTF8") {
    return Status::Internal("the MeCab dictionary " + std::string(info->filename) + " is in " +
                            (charset.empty() ? std::string("an unknown charset") : charset) +
                            ", fiscdex needs one in UTF-8 (install mecab-ipadic-utf8)");
  }
  std::unique_ptr<MeCab::Tagger, TaggerDeleter> tagger(model->createTagger());
  if (tagger == nullptr) return failure("cannot create a MeCab tagger");
  std::string dictionary = std::string(info->filename) + " (" + charset + ", version " +
                           std::to_string(info->version) + ")";
  return std::shared_ptr<MecabSegmenter>(
      new MecabSegmenter(std::move(model), std::move(tagger), std::move(dictionary)));
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
  for (const MeCab::Node* node = lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE) continue;
    if (node->stat == MECAB_EOS_NODE) break;
    if (node->length == 0) continue;
    size_t begin = static_cast<size_t>(node->surface - base);
    token.begin = offset + begin;
    token.end = token.begin + node->length;
    token.surface = text.substr(begin, node->length);
    token.pos = FeatureField(node->feature, 0);
    token.base_form = FeatureField(node->feature, 6);
    if (token.base_form == "*") token.base_form = {};
    if (!on_token(token)) {
      *stopped = true;
      break;
    }
  }
  return Status::Ok();
}

Result<std::vector<OwnedToken>> MecabSegmenter::SegmentAll(std::string_view text) const {
  std::vector<OwnedToken> tokens;
  Status status = Segment(text, [&tokens](const Token& t) {
    tokens.push_back(OwnedToken{t.begin, t.end, std::string(t.surface), std::string(t.base_form),
                                std::string(t.pos)});
    return true;
  });
  if (!status.ok()) return status;
  return tokens;
}

}  // namespace fiscdex::index
