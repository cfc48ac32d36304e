#include "bench/corpus_gen.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace fiscdex::bench {
namespace {

namespace fs = std::filesystem;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Number of ASCII digits starting at `pos` (at most `max`).
size_t DigitsAt(std::string_view s, size_t pos, size_t max) {
  size_t n = 0;
  while (pos + n < s.size() && n < max && IsDigit(s[pos + n])) ++n;
  return n;
}

bool HasAt(std::string_view s, size_t pos, std::string_view what) {
  return s.substr(pos, what.size()) == what;
}

// The byte range of the day of the first date in `text`, or {npos, npos}.
// A hand-written scan rather than a regex: it runs once per seed, but the
// bench should not need a regex engine of its own.
std::pair<size_t, size_t> FindFirstDay(std::string_view text) {
  constexpr std::string_view kYear = "\xE5\xB9\xB4";   // 年
  constexpr std::string_view kMonth = "\xE6\x9C\x88";  // 月
  constexpr std::string_view kDay = "\xE6\x97\xA5";    // 日
  for (size_t i = 0; i + 4 < text.size(); ++i) {
    if (!(HasAt(text, i, "19") || HasAt(text, i, "20")) || DigitsAt(text, i, 5) != 4) continue;
    if (i > 0 && IsDigit(text[i - 1])) continue;
    size_t p = i + 4;
    const bool slash = p < text.size() && text[p] == '/';
    const std::string_view sep1 = slash ? "/" : kYear;
    const std::string_view sep2 = slash ? "/" : kMonth;
    if (!HasAt(text, p, sep1)) continue;
    p += sep1.size();
    const size_t month = DigitsAt(text, p, 3);
    if (month < 1 || month > 2) continue;
    p += month;
    if (!HasAt(text, p, sep2)) continue;
    p += sep2.size();
    const size_t day = DigitsAt(text, p, 3);
    if (day < 1 || day > 2) continue;
    if (!slash && !HasAt(text, p + day, kDay)) continue;
    return {p, p + day};
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

Result<std::vector<SeedFile>> ReadSeeds(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir + ": no such folder");
  std::vector<SeedFile> seeds;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) return Status::IoError(it->path().string() + ": cannot read");
    seeds.push_back({name, std::move(bytes)});
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  if (seeds.empty()) return Status::Empty(dir + ": no seed files");
  std::sort(seeds.begin(), seeds.end(),
            [](const SeedFile& a, const SeedFile& b) { return a.name < b.name; });
  return seeds;
}

std::string VaryCopy(std::string_view seed, std::string_view name, int copy, int copies) {
  std::string out;
  out.reserve(seed.size() + name.size() + 48);
  const auto [day_begin, day_end] = FindFirstDay(seed);
  if (day_begin == std::string_view::npos) {
    out.append(seed);
  } else {
    int day = 0;
    for (size_t i = day_begin; i < day_end; ++i) day = day * 10 + (seed[i] - '0');
    day = (std::max(day, 1) - 1 + copy) % 28 + 1;
    char digits[8];
    std::snprintf(digits, sizeof digits, day_end - day_begin == 2 ? "%02d" : "%d", day);
    out.append(seed.substr(0, day_begin));
    out.append(digits);
    out.append(seed.substr(day_end));
  }
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  out += "bench copy " + std::to_string(copy + 1) + " of " + std::to_string(copies) + ": ";
  out.append(name);
  out.push_back('\n');
  return out;
}

std::string CopyFolderName(int copy) {
  char name[16];
  std::snprintf(name, sizeof name, "c%04d", copy + 1);
  return name;
}

Result<GenerateStats> GenerateCorpus(
    const std::vector<SeedFile>& seeds, int copies, const std::string& docs_dir,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  std::error_code ec;
  fs::remove_all(docs_dir, ec);
  if (ec) return Status::IoError(docs_dir + ": cannot remove: " + ec.message());
  GenerateStats stats;
  const uint64_t total = static_cast<uint64_t>(copies) * seeds.size();
  for (int copy = 0; copy < copies; ++copy) {
    const fs::path folder = fs::path(docs_dir) / CopyFolderName(copy);
    fs::create_directories(folder, ec);
    if (ec) return Status::IoError(folder.string() + ": cannot create: " + ec.message());
    for (const SeedFile& seed : seeds) {
      const std::string bytes = VaryCopy(seed.bytes, seed.name, copy, copies);
      const fs::path path = folder / seed.name;
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.close();
      if (!out) return Status::IoError(path.string() + ": cannot write");
      ++stats.files;
      stats.bytes += bytes.size();
      if (progress) progress(stats.files, total);
    }
  }
  return stats;
}

}  // namespace fiscdex::bench
