// score_service — scores applicants with a scorecard fitted in Python.
//
//   score_service scorecard.json applicants.csv scores.csv
//
// Reads the model file that bankquant.scorecard.Scorecard.to_json wrote, reads a CSV of
// applicants (a header row; quoted fields allowed), scores every row with the same binning, WoE
// and points, and writes "row,score,probability". Characteristics the scorecard bins as numbers
// are parsed as numbers (empty = missing); the others are passed as text.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <bankquant/scorecard.hpp>
#include <fmt/format.h>

#include "csv.hpp"

namespace sc = bankquant::scorecard;

int main(int argc, char** argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: {} SCORECARD.json APPLICANTS.csv SCORES.csv\n", argv[0]);
    return 2;
  }
  try {
    const sc::ScorecardModel model = sc::ScorecardModel::load(argv[1]);
    std::ifstream in(argv[2]);
    if (!in) throw bankquant::InvalidArgument(fmt::format("argument 'applicants': cannot open '{}'", argv[2]));
    std::string line;
    std::getline(in, line);
    const auto header = examples::parse_csv_record(line);
    std::vector<std::vector<std::string>> text(header.size());
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto fields = examples::parse_csv_record(line);
      if (fields.size() != header.size()) {
        throw bankquant::InvalidArgument(fmt::format("applicants: a row has {} fields, the header {}", fields.size(),
                                                     header.size()));
      }
      for (std::size_t j = 0; j < fields.size(); ++j) text[j].push_back(fields[j]);
    }
    std::vector<std::vector<double>> numbers(header.size());
    std::vector<sc::ColumnView> columns;
    for (std::size_t j = 0; j < header.size(); ++j) {
      bool numeric = false;
      for (const auto& v : model.variables) numeric |= v.name == header[j] && !v.categorical;
      if (numeric) {
        for (const auto& s : text[j]) numbers[j].push_back(s.empty() ? NAN : std::stod(s));
        columns.push_back({.name = header[j], .numbers = numbers[j]});
      } else {
        columns.push_back({.name = header[j], .categorical = true, .strings = text[j]});
      }
    }
    const sc::ScoreResult result = model.score(columns);
    std::FILE* out = std::fopen(argv[3], "w");
    if (out == nullptr) throw bankquant::InvalidArgument(fmt::format("argument 'scores': cannot write '{}'", argv[3]));
    fmt::print(out, "row,score,probability\n");
    for (std::size_t i = 0; i < result.score.size(); ++i) {
      fmt::print(out, "{},{:.17g},{:.17g}\n", i, result.score[i], result.probability[i]);
    }
    std::fclose(out);
    std::size_t unseen = 0;
    for (auto u : result.unseen) unseen += u;
    fmt::print("scored {} applicants with {} characteristics ({} values unseen at fit time scored 0 points)\n",
               result.score.size(), model.variables.size(), unseen);
  } catch (const bankquant::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
