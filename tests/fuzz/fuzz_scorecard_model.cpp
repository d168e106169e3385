// Fuzzes scorecard model files, the bytes a scoring service reads: any input is parsed as JSON,
// checked as a bankquant model document of kind "scorecard", loaded as a ScorecardModel and, when
// it loads, used as a service would (score a small table, write SQL, write and re-read JSON).
// Only ModelFormatError may come out of the loading; a loaded model must score without error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/scorecard/scorecard.hpp"

namespace io = bankquant::io;
namespace sc = bankquant::scorecard;

namespace {

// A table of four rows with a column for each characteristic of the model: numbers spanning
// missing, special-like, negative and large values; categories seen and unseen.
void exercise(const sc::ScorecardModel& model) {
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<std::string>> strings;
  numbers.reserve(model.variables.size());
  strings.reserve(model.variables.size());
  std::vector<sc::ColumnView> columns;
  for (const auto& v : model.variables) {
    numbers.push_back({NAN, -999.0, 0.5, 1e300});
    std::vector<std::string> cats{"", "zzz-unseen", "1", "true"};
    for (const auto& b : v.bins) {
      if (!b.categories.empty()) cats[2] = b.categories.front();
    }
    strings.push_back(cats);
    if (v.categorical) {
      columns.push_back({.name = v.name, .categorical = true, .strings = strings.back()});
    } else {
      columns.push_back({.name = v.name, .numbers = numbers.back()});
    }
  }
  try {
    const auto r = model.score(columns);
    if (r.score.size() != 4 && !model.variables.empty()) __builtin_trap();
  } catch (const bankquant::InvalidArgument&) {
    // two characteristics with one name: the table cannot hold both (a refusal, not a crash)
  }
  (void)model.to_sql();
  const auto again = sc::ScorecardModel::from_json(model.to_json());
  if (again.variables.size() != model.variables.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sc::ScorecardModel model;
  try {
    const io::Json json = io::parse_json(text, "fuzz");
    const io::ModelDocument doc = io::read_model_document(json, sc::ScorecardModel::kKind, sc::ScorecardModel::kSchemaVersion);
    model = sc::ScorecardModel::from_json(doc.model, doc.schema_version);
  } catch (const bankquant::ModelFormatError&) {
    return 0;  // a refusal with a message: the expected outcome for bad bytes
  }
  exercise(model);
  return 0;
}
