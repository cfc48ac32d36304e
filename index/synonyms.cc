#include "index/synonyms.h"

#include <unicode/utf8.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "normalize/normalize.h"

namespace fiscdex::index {
namespace {

const char kDefaultSynonyms[] =
#include "default_synonyms.inc"
    ;

constexpr char32_t kLongVowelMark = 0x30FC;  // ー

bool IsKatakana(UChar32 c) { return c >= 0x30A1 && c <= 0x30FC && c != 0x30FB; }

bool IsUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  auto space_at_front = [&s]() {
    if (s.empty()) return size_t{0};
    if (s.front() == ' ' || s.front() == '\t' || s.front() == '\r') return size_t{1};
    return s.substr(0, 3) == "\u3000" ? size_t{3} : size_t{0};
  };
  auto space_at_back = [&s]() {
    if (s.empty()) return size_t{0};
    if (s.back() == ' ' || s.back() == '\t' || s.back() == '\r') return size_t{1};
    return s.size() >= 3 && s.substr(s.size() - 3) == "\u3000" ? size_t{3} : size_t{0};
  };
  while (size_t n = space_at_front()) s.remove_prefix(n);
  while (size_t n = space_at_back()) s.remove_suffix(n);
  return s;
}

// Splits a line at ',' and '，'.
std::vector<std::string_view> SplitMembers(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= line.size();) {
    size_t width = 0;
    if (i == line.size()) {
      width = 1;
    } else if (line[i] == ',') {
      width = 1;
    } else if (line.compare(i, 3, "\uFF0C") == 0) {
      width = 3;
    }
    if (width == 0) {
      ++i;
      continue;
    }
    out.push_back(Trim(line.substr(start, i - start)));
    i += width;
    start = i;
  }
  return out;
}

}  // namespace

std::string SynonymKey(std::string_view term) {
  const std::string folded = normalize::FoldForSearch(term);
  std::string out;
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  const int32_t length = static_cast<int32_t>(folded.size());
  int32_t i = 0;
  int katakana_run = 0;
  size_t run_last_start = 0;  // where the last character of the run starts in `out`
  UChar32 last = 0;
  auto end_run = [&]() {
    if (katakana_run >= 4 && last == static_cast<UChar32>(kLongVowelMark)) {
      out.resize(run_last_start);
    }
    katakana_run = 0;
  };
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c == ' ' || c == 0x3000 || c == '\t') {
      end_run();
      continue;
    }
    if (c >= 0 && IsKatakana(c)) {
      ++katakana_run;
      run_last_start = out.size();
      last = c;
    } else {
      end_run();
    }
    out.append(folded, static_cast<size_t>(start), static_cast<size_t>(i - start));
  }
  end_run();
  return out;
}

const Synonyms& Synonyms::Default() {
  static const Synonyms* const instance = [] {
    auto* synonyms = new Synonyms();
    // tests/synonyms_test.cc checks that the built-in list parses.
    (void)synonyms->MergeText(kDefaultSynonyms, "data/synonyms.txt");
    return synonyms;
  }();
  return *instance;
}

Status Synonyms::MergeText(std::string_view text, std::string_view source) {
  // Parse everything first, so a bad line leaves the list as it was.
  std::vector<std::vector<std::string>> new_groups;
  size_t line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++line_number;
    start = end + 1;
    auto problem = [&](std::string_view what) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line_number) +
                                     ": " + std::string(what));
    };
    if (!IsUtf8(line)) return problem("not UTF-8");
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    std::vector<std::string> group;
    std::set<std::string> keys;
    for (std::string_view member : SplitMembers(line)) {
      if (member.empty() || SynonymKey(member).empty()) {
        return problem("empty member (members are separated by single commas)");
      }
      if (keys.insert(SynonymKey(member)).second) group.emplace_back(member);
    }
    new_groups.push_back(std::move(group));
  }

  for (std::vector<std::string>& group : new_groups) {
    for (const std::string& member : group) {
      auto it = by_key_.find(SynonymKey(member));
      if (it == by_key_.end()) continue;
      std::vector<std::string>& old = groups_[it->second];
      for (const std::string& old_member : old) by_key_.erase(SynonymKey(old_member));
      old.clear();
    }
    if (group.size() < 2) continue;  // one member: removal only
    for (const std::string& member : group) by_key_[SynonymKey(member)] = groups_.size();
    groups_.push_back(std::move(group));
  }
  return Status::Ok();
}

Status Synonyms::MergeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound("synonyms file " + path + ": no such file");
    return Status::Internal("cannot read the synonyms file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Status::Internal("cannot read the synonyms file " + path);
  return MergeText(contents.str(), path);
}

const std::vector<std::string>* Synonyms::GroupOf(std::string_view term) const {
  auto it = by_key_.find(SynonymKey(term));
  return it == by_key_.end() ? nullptr : &groups_[it->second];
}

std::vector<std::vector<std::string>> Synonyms::Groups() const {
  std::vector<std::vector<std::string>> out;
  for (const auto& group : groups_) {
    if (!group.empty()) out.push_back(group);
  }
  return out;
}

std::string DefaultUserSynonymsPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/fiscdex/synonyms.txt";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.config/fiscdex/synonyms.txt";
  return {};
}

Result<Synonyms> LoadSynonyms(const std::string& user_file) {
  Synonyms synonyms = Synonyms::Default();
  if (!user_file.empty()) {
    RETURN_IF_ERROR(synonyms.MergeFile(user_file));
    return synonyms;
  }
  const std::string path = DefaultUserSynonymsPath();
  if (path.empty()) return synonyms;
  Status status = synonyms.MergeFile(path);
  if (!status.ok() && status.code() != StatusCode::kNotFound) return status;
  return synonyms;
}

}  // namespace fiscdex::index
