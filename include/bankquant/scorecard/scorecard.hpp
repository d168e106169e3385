// bankquant/scorecard/scorecard.hpp — a scorecard: fitting end to end, points, scoring, reasons,
// counterfactuals, deployment.
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
// fit_scorecard is the whole pipeline a notebook runs: bin every column (binning_process.hpp),
// WoE-transform, screen (selection.hpp), optionally select stepwise, fit the logistic model and
// turn it into points. A ScorecardModel is what deployment needs: it scores columns of a table
// in parallel, explains scores (reason codes, counterfactuals) and writes one SQL expression.
//
// Model files (core/model_io.hpp, kind "scorecard", schema 2) hold every binning once — the
// scored characteristics with their coefficients and points, and the others so a reloaded
// scorecard still shows its whole selection — plus the logistic fit for the summary. Reading
// checks that the stored WoE, IV and points are the ones the counts and coefficients give.
// Schema 1 files (the scored binnings only) still load.
//
// Reason codes: the characteristics that cost the applicant most points, against the
// characteristic's best bin ("max") or against 0 points, the population average ("neutral").
// Counterfactuals: for a score below `target_score`, the smallest change of the applicant's
// bins that reaches it: fewest characteristics changed, then fewest bins moved (numeric bins
// count the steps between them, a category change counts 1), then the highest new score; moves
// go to regular bins only, and `fixed` characteristics (age, say) never move. Exact, by a dynamic
// program over characteristics, O(J C S B) per applicant for J characteristics, at most C
// changes, S bin steps in all and B bins each.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"
#include "bankquant/scorecard/binning_process.hpp"
#include "bankquant/scorecard/column.hpp"
#include "bankquant/scorecard/logistic.hpp"
#include "bankquant/scorecard/selection.hpp"

namespace bankquant::scorecard {

struct Scaling {
  double pdo = 20.0;
  double base_score = 600.0;
  double base_odds = 50.0;
  void validate() const;
  [[nodiscard]] double factor() const;
  [[nodiscard]] double offset() const;
  /// P(event) a score stands for: good:bad odds = base_odds 2^((score - base_score) / pdo).
  [[nodiscard]] std::vector<double> event_probability(std::span<const double> score) const;
  static constexpr auto fields() {
    return std::tuple{field("pdo", &Scaling::pdo, "points that double the good:bad odds"),
                      field("base_score", &Scaling::base_score, "the score of odds base_odds"),
                      field("base_odds", &Scaling::base_odds, "good:bad odds at base_score")};
  }
};

struct ScoreResult {
  std::vector<double> score;        ///< points: base points + one bin's points per characteristic
  std::vector<double> probability;  ///< P(event) from the unrounded model
  std::vector<std::size_t> unseen;  ///< per characteristic: values that matched no bin (WoE 0, 0 points)
  static constexpr auto fields() {
    return std::tuple{field("score", &ScoreResult::score, "points, higher is safer"),
                      field("probability", &ScoreResult::probability, "P(event) of the unrounded model"),
                      field("unseen", &ScoreResult::unseen, "per characteristic: values unseen at fit time")};
  }
};

enum class ReasonReference { max, neutral };
BANKQUANT_ENUM_NAMES(ReasonReference, {max, "max"}, {neutral, "neutral"})

struct ReasonOptions {
  int n_reasons = 4;
  ReasonReference reference = ReasonReference::max;
  void validate() const;
  static constexpr auto fields() {
    return std::tuple{field("n_reasons", &ReasonOptions::n_reasons, "reasons per applicant (US adverse action: 4)"),
                      field("reference", &ReasonOptions::reference,
                            "points lost against the best bin ('max') or against 0 points ('neutral')")};
  }
};

struct ReasonCodes {
  int n_reasons = 0;
  std::vector<std::int32_t> variable;  ///< n x n_reasons, row-major: index of the characteristic, -1 for none
  std::vector<double> points_lost;     ///< n x n_reasons
  static constexpr auto fields() {
    return std::tuple{field("n_reasons", &ReasonCodes::n_reasons, "columns per row"),
                      field("variable", &ReasonCodes::variable, "n x n_reasons characteristic indices (-1: none)"),
                      field("points_lost", &ReasonCodes::points_lost, "n x n_reasons points lost")};
  }
};

struct CounterfactualOptions {
  double target_score = 0.0;
  int max_changes = 3;
  std::vector<std::string> fixed;
  void validate() const;
  static constexpr auto fields() {
    using O = CounterfactualOptions;
    return std::tuple{field("target_score", &O::target_score, "the score to reach (an approval cutoff)"),
                      field("max_changes", &O::max_changes, "change at most this many characteristics"),
                      field("fixed", &O::fixed, "characteristics that cannot change (age, ...)")};
  }
};

struct CounterfactualChange {
  std::size_t variable = 0;   ///< index of the characteristic
  std::int64_t from_bin = 0;  ///< -1 when the value matched no bin
  std::size_t to_bin = 0;
  double points = 0.0;        ///< points gained
  static constexpr auto fields() {
    using C = CounterfactualChange;
    return std::tuple{field("variable", &C::variable, "characteristic index"), field("from_bin", &C::from_bin, "current bin"),
                      field("to_bin", &C::to_bin, "bin to move to"), field("points", &C::points, "points gained")};
  }
};

struct Counterfactual {
  std::size_t row = 0;
  double score = 0.0;
  double new_score = 0.0;
  bool found = false;  ///< false when no change within max_changes reaches the target
  std::vector<CounterfactualChange> changes;
  static constexpr auto fields() {
    using C = Counterfactual;
    return std::tuple{field("row", &C::row, "row of the input"), field("score", &C::score, "score today"),
                      field("new_score", &C::new_score, "score after the changes"),
                      field("found", &C::found, "a change within max_changes reaches the target"),
                      field("changes", &C::changes, "the changes")};
  }
};

class BANKQUANT_EXPORT ScorecardModel {
 public:
  static constexpr std::string_view kKind = "scorecard";
  static constexpr int kSchemaVersion = 2;

  // Constructed, copied and destroyed inside the library: `logistic` holds Eigen vectors, whose
  // allocation depends on the instruction set the library was built for (-march=native gives
  // 64-byte aligned blocks), so a service compiled without those flags must not free them inline.
  ScorecardModel();
  ~ScorecardModel();
  ScorecardModel(const ScorecardModel&);
  ScorecardModel(ScorecardModel&&) noexcept;
  ScorecardModel& operator=(const ScorecardModel&);
  ScorecardModel& operator=(ScorecardModel&&) noexcept;

  std::vector<VariableBinning> variables;  ///< the scored characteristics
  std::vector<double> coefficients;        ///< one per variable, on its WoE
  double intercept = 0.0;
  Scaling scaling;
  bool round_points = false;
  std::vector<VariableBinning> candidates;  ///< binnings of the characteristics not scored (kept for reports)
  std::optional<LogisticResult> logistic;   ///< the fit, for its summary
  io::Json metadata = io::Json::object();   ///< anything else the writer keeps (the Python parameters)

  /// Fills the points table from the binnings, coefficients and scaling (call after changing them).
  void compute_points();
  [[nodiscard]] double base_points() const { return base_points_; }
  /// points()[j][i]: points of bin i of variable j.
  [[nodiscard]] const std::vector<std::vector<double>>& points() const { return points_; }

  /// Scores a table given as named columns (extra columns are ignored; a missing one is an error).
  [[nodiscard]] ScoreResult score(const std::vector<ColumnView>& columns) const;
  /// Bin index of each row for each scored characteristic (variables x rows; -1: no bin).
  [[nodiscard]] std::vector<std::vector<std::int32_t>> bin_indices(const std::vector<ColumnView>& columns) const;
  [[nodiscard]] ReasonCodes reason_codes(const std::vector<ColumnView>& columns, const ReasonOptions& options) const;
  /// One counterfactual per row scoring below options.target_score.
  [[nodiscard]] std::vector<Counterfactual> counterfactuals(const std::vector<ColumnView>& columns,
                                                            const CounterfactualOptions& options) const;

  /// One SQL expression computing the score from a row's columns (standard SQL CASE; identifiers
  /// double-quoted; boolean categories as TRUE/FALSE, number categories as numbers). Unseen
  /// categories and values score 0 points, as in score().
  [[nodiscard]] std::string to_sql() const;

  [[nodiscard]] io::Json to_json() const;
  [[nodiscard]] static ScorecardModel from_json(const io::Json& model, int schema_version = kSchemaVersion);
  void save(const std::string& path) const;
  [[nodiscard]] static ScorecardModel load(const std::string& path);

 private:
  double base_points_ = 0.0;
  std::vector<std::vector<double>> points_;
  [[nodiscard]] std::vector<std::vector<std::int32_t>> indices_checked(const std::vector<ColumnView>& columns) const;
};

struct ScorecardOptions {
  BinningProcessOptions binning;
  ScreeningOptions screening;
  std::vector<std::string> variables;                 ///< use exactly these (no screening)
  std::optional<StepwiseDirection> stepwise;          ///< none: no stepwise selection
  SelectionCriterion criterion = SelectionCriterion::aic;
  LogisticOptions logistic;
  Scaling scaling;
  bool round_points = true;
  void validate() const;
  static constexpr auto fields() {
    using O = ScorecardOptions;
    return std::tuple{field("binning", &O::binning, "binning of every characteristic"),
                      field("screening", &O::screening, "screening limits"),
                      field("variables", &O::variables, "use exactly these characteristics (skips the screening)"),
                      field("stepwise", &O::stepwise, "None, 'forward', 'backward' or 'both'"),
                      field("criterion", &O::criterion, "stepwise criterion: aic, bic or pvalue"),
                      field("logistic", &O::logistic, "the logistic model"), field("scaling", &O::scaling, "points scaling"),
                      field("round_points", &O::round_points, "integer points, so the table reproduces the score")};
  }
};

struct ScorecardFit {
  ScorecardModel model;
  BinningProcessResult binning;
  ScreeningResult screening;
  StepwiseResult stepwise;                  ///< empty history without stepwise selection
  std::vector<std::string> sign_violations; ///< characteristics with a negative WoE coefficient
  static constexpr auto fields() {
    using F = ScorecardFit;
    return std::tuple{field("model", &F::model, "the fitted scorecard"),
                      field("binning", &F::binning, "the binning of every column"),
                      field("screening", &F::screening, "why each characteristic was kept or dropped"),
                      field("stepwise", &F::stepwise, "the stepwise search (empty without one)"),
                      field("sign_violations", &F::sign_violations, "characteristics with a negative WoE coefficient")};
  }
};

/// Fits a scorecard on a table: columns (column.hpp), y 0/1, weights empty or non-negative.
/// Throws InvalidArgument when no characteristic passes the screening, ConvergenceError when the
/// logistic model has no usable fit (perfect separation, singular Hessian).
[[nodiscard]] BANKQUANT_EXPORT ScorecardFit fit_scorecard(const std::vector<ColumnView>& columns,
                                                          std::span<const double> y, std::span<const double> weights,
                                                          const ScorecardOptions& options);

}  // namespace bankquant::scorecard
