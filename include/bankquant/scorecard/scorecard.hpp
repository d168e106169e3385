// bankquant/scorecard/scorecard.hpp — a fitted scorecard: binnings, coefficients and points.
//
// Scaling (Siddiqi 2006, ch. 6). Odds are good:bad (non-event : event); a score of `base_score`
// means odds of `base_odds`, and every `pdo` points double the odds:
//   Factor = pdo / ln 2,   Offset = base_score - Factor ln(base_odds)
//   score  = Offset + Factor ln(odds_good) = Offset - Factor (b0 + sum_j b_j WoE_j)
// so higher scores are safer. The points of bin i of characteristic j are -Factor b_j WoE_ij and
// the base points Offset - Factor b0; a score is base points plus one bin's points per
// characteristic. With `round_points` every entry of the points table is rounded to an integer,
// so a score read from the printed table equals score() exactly, and differs from the unrounded
// model score by at most 0.5 per characteristic plus 0.5.
//
// A ScorecardModel is what deployment needs, and nothing more: it loads from the same JSON the
// Python Scorecard writes, scores columns of a table in parallel, and writes one SQL expression.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/core/model_io.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"

namespace bankquant::scorecard {

struct Scaling {
  double pdo = 20.0;
  double base_score = 600.0;
  double base_odds = 50.0;  ///< good:bad odds at base_score
  void validate() const;
  [[nodiscard]] double factor() const;
  [[nodiscard]] double offset() const;
};

/// One input column by name: numbers (NaN = missing), strings (categories; empty = missing), or
/// precomputed bin indices (-1: an unseen category). Exactly one of the three is non-empty.
struct ColumnView {
  std::string_view name;
  std::span<const double> numbers;
  std::span<const std::string> strings;
  std::span<const std::int32_t> bins;
};

struct ScoreResult {
  std::vector<double> score;        ///< points: base points + one bin's points per characteristic
  std::vector<double> probability;  ///< P(event) from the unrounded model
  std::vector<std::size_t> unseen;  ///< per characteristic: values that matched no bin (WoE 0, 0 points)
};

class BANKQUANT_EXPORT ScorecardModel {
 public:
  static constexpr std::string_view kKind = "scorecard";
  static constexpr int kSchemaVersion = 1;

  std::vector<VariableBinning> variables;
  std::vector<double> coefficients;  ///< one per variable, on its WoE
  double intercept = 0.0;
  Scaling scaling;
  bool round_points = false;

  /// Fills the points table from the binnings, coefficients and scaling (call after changing them).
  void compute_points();
  [[nodiscard]] double base_points() const { return base_points_; }
  /// points()[j][i]: points of bin i of variable j.
  [[nodiscard]] const std::vector<std::vector<double>>& points() const { return points_; }

  /// Scores a table given as named columns (extra columns are ignored; a missing one is an error).
  [[nodiscard]] ScoreResult score(const std::vector<ColumnView>& columns) const;

  /// One SQL expression computing the score from a row's columns (standard SQL CASE; identifiers
  /// double-quoted). Unseen categories and values score 0 points, as in score().
  [[nodiscard]] std::string to_sql() const;

  [[nodiscard]] io::Json to_json() const;
  [[nodiscard]] static ScorecardModel from_json(const io::Json& model);
  void save(const std::string& path) const;
  [[nodiscard]] static ScorecardModel load(const std::string& path);

 private:
  double base_points_ = 0.0;
  std::vector<std::vector<double>> points_;
};

}  // namespace bankquant::scorecard
