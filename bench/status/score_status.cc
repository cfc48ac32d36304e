// Scores fiscdex's status rules against hand labels (LABELLING.md here):
// accuracy, per-status precision/recall/F1 and macro-F1, for record labels
// and column labels apart, and the confusion of every miss.
//
//   score_status [--check ACCURACY,MACRO_F1] [--misses] LABELS.tsv...
//
// A labels file names documents (corpus/..., realworld/...); unseen.tsv
// holds answer texts. Documents are read with the real ingest, normalize
// and extract stages, as `fiscdex extract` reads them. With --check, exit
// status 1 when any file's record labels score below either figure.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "assess/status.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

#ifndef FISCDEX_SOURCE_DIR
#define FISCDEX_SOURCE_DIR "."
#endif

namespace {

using fiscdex::assess::AnswerStatus;

struct Outcome {
  AnswerStatus gold;
  AnswerStatus predicted;
  std::string where;  // source id column, for the list of misses
  std::string evidence;
};

struct Tally {
  std::vector<Outcome> outcomes;

  double Accuracy() const {
    if (outcomes.empty()) return 0;
    int right = 0;
    for (const Outcome& o : outcomes) right += o.gold == o.predicted;
    return static_cast<double>(right) / outcomes.size();
  }
  // Over the statuses the labels use: a status nobody labelled has no recall
  // to speak of, and the rules predicting it are counted against precision.
  double MacroF1(std::string* per_status) const {
    std::set<AnswerStatus> labelled;
    for (const Outcome& o : outcomes) labelled.insert(o.gold);
    double sum = 0;
    for (AnswerStatus status : labelled) {
      int tp = 0, fp = 0, fn = 0;
      for (const Outcome& o : outcomes) {
        if (o.predicted == status && o.gold == status) ++tp;
        if (o.predicted == status && o.gold != status) ++fp;
        if (o.predicted != status && o.gold == status) ++fn;
      }
      const double precision = tp + fp ? static_cast<double>(tp) / (tp + fp) : 0;
      const double recall = tp + fn ? static_cast<double>(tp) / (tp + fn) : 0;
      const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
      sum += f1;
      if (per_status) {
        char line[160];
        std::snprintf(line, sizeof line, "    %-15s n=%-4d P %.3f R %.3f F1 %.3f\n",
                      std::string(fiscdex::assess::StatusName(status)).c_str(), tp + fn,
                      precision, recall, f1);
        *per_status += line;
      }
    }
    return labelled.empty() ? 0 : sum / labelled.size();
  }
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.push_back("");
  return out;
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 't') {
      out += '\t';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string ResolveSource(const std::string& source) {
  if (source.rfind("realworld/", 0) == 0) return std::string(FISCDEX_SOURCE_DIR) + "/../shared/" + source;
  return std::string(FISCDEX_SOURCE_DIR) + "/" + source;
}

struct Assessed {
  std::map<std::string, const fiscdex::extract::CriterionRecord*> by_id;
  fiscdex::extract::Extraction extraction;
};

std::optional<fiscdex::extract::Extraction> ExtractFile(const std::string& path) {
  fiscdex::Result<fiscdex::ingest::Document> doc = fiscdex::ingest::LoadFile(path, {});
  if (!doc.ok()) {
    std::fprintf(stderr, "score_status: %s: %s\n", path.c_str(), doc.status().ToString().c_str());
    return std::nullopt;
  }
  const fiscdex::normalize::NormalizedDocument normalized = fiscdex::normalize::Normalize(*doc);
  return fiscdex::extract::Extract(*doc, normalized);
}

// Returns false when the file cannot be read at all.
bool ScoreFile(const std::string& file, Tally* records, Tally* columns) {
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "score_status: %s: cannot read\n", file.c_str());
    return false;
  }
  std::map<std::string, std::optional<fiscdex::extract::Extraction>> documents;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = SplitTabs(line);
    const std::string where = file + ":" + std::to_string(line_number);
    // unseen.tsv: status<TAB>answer.
    if (std::optional<AnswerStatus> gold = fiscdex::assess::ParseStatus(fields[0]); gold) {
      const std::string answer = fields.size() > 1 ? Unescape(fields[1]) : "";
      const fiscdex::assess::StatusJudgement judged = fiscdex::assess::JudgeAnswer(answer);
      records->outcomes.push_back({*gold, judged.status, where + " " + answer.substr(0, 240),
                                   judged.rule + ": " + judged.evidence});
      continue;
    }
    if (fields.size() < 4) {
      std::fprintf(stderr, "score_status: %s: expected source, id, column, status\n", where.c_str());
      continue;
    }
    const std::optional<AnswerStatus> gold = fiscdex::assess::ParseStatus(fields[3]);
    if (!gold) {
      std::fprintf(stderr, "score_status: %s: unknown status '%s'\n", where.c_str(), fields[3].c_str());
      continue;
    }
    auto [it, inserted] = documents.try_emplace(fields[0]);
    if (inserted) it->second = ExtractFile(ResolveSource(fields[0]));
    if (!it->second) continue;
    const fiscdex::extract::CriterionRecord* record = nullptr;
    for (const auto& r : it->second->records) {
      if (r.id == fields[1]) record = &r;
    }
    if (record == nullptr) {
      // A record the extractor missed is an extraction miss, scored by
      // corpus_test; here it counts as wrong so that it is not hidden.
      std::fprintf(stderr, "score_status: %s: no record %s extracted\n", where.c_str(), fields[1].c_str());
      (fields[2] == "*" ? records : columns)->outcomes.push_back(
          {*gold, AnswerStatus::kBlank, where + " (not extracted)", ""});
      continue;
    }
    const fiscdex::assess::RecordAssessment assessed =
        fiscdex::assess::AssessRecord(*record, fiscdex::assess::ContextOf(it->second->metadata));
    if (fields[2] == "*") {
      records->outcomes.push_back({*gold, assessed.record.status,
                                   where + " " + fields[0] + " " + fields[1] + " " +
                                       record->answer.substr(0, 300),
                                   assessed.record.rule + ": " + assessed.record.evidence});
      continue;
    }
    const size_t column = std::strtoul(fields[2].c_str(), nullptr, 10);
    if (column < 1 || column > assessed.columns.size()) {
      std::fprintf(stderr, "score_status: %s: %s has no column %s\n", where.c_str(), fields[1].c_str(),
                   fields[2].c_str());
      continue;
    }
    const auto& judged = assessed.columns[column - 1];
    columns->outcomes.push_back(
        {*gold, judged.status,
         where + " " + fields[0] + " " + fields[1] + " col " + fields[2] + " [" +
             record->columns[column - 1].header + "] " + record->columns[column - 1].text.substr(0, 300),
         judged.rule + ": " + judged.evidence});
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<double> min_accuracy, min_f1;
  bool misses = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--misses") {
      misses = true;
    } else if (arg == "--check" && i + 1 < argc) {
      double a = 0, f = 0;
      if (std::sscanf(argv[++i], "%lf,%lf", &a, &f) != 2) {
        std::fprintf(stderr, "score_status: --check ACCURACY,MACRO_F1\n");
        return 2;
      }
      min_accuracy = a;
      min_f1 = f;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: score_status [--check ACCURACY,MACRO_F1] [--misses] LABELS.tsv...\n");
    return 2;
  }
  bool below = false;
  for (const std::string& file : files) {
    Tally records, columns;
    if (!ScoreFile(file, &records, &columns)) return 1;
    for (const auto& [name, tally] : {std::pair{"records", &records}, std::pair{"columns", &columns}}) {
      if (tally->outcomes.empty()) continue;
      std::string per_status;
      const double f1 = tally->MacroF1(&per_status);
      std::printf("%s %s: n=%zu accuracy %.3f macro-F1 %.3f\n%s", file.c_str(), name,
                  tally->outcomes.size(), tally->Accuracy(), f1, per_status.c_str());
      if (tally == &records && min_accuracy && (tally->Accuracy() < *min_accuracy || f1 < *min_f1)) {
        below = true;
      }
      if (misses) {
        for (const Outcome& o : tally->outcomes) {
          if (o.gold == o.predicted) continue;
          std::printf("  MISS gold %s got %s (%s) %s\n",
                      std::string(fiscdex::assess::StatusName(o.gold)).c_str(),
                      std::string(fiscdex::assess::StatusName(o.predicted)).c_str(), o.evidence.c_str(),
                      o.where.c_str());
        }
      }
    }
  }
  return below ? 1 : 0;
}
