// bankquant/scorecard/selection.hpp — which characteristics enter the scorecard, and why not.
//
// screen drops characteristics in turn and says why: a perfect split of the classes (a leak,
// binning.hpp), a missing rate above max_missing_rate, one value holding more than
// max_single_value_share of the rows, an IV outside [min_iv, max_iv]; then, walking from the
// highest IV, any characteristic whose WoE correlates above max_correlation (absolute, weighted
// Pearson) with a stronger one kept before it; then the largest variance inflation factor above
// max_vif (VIF_j = 1 / (1 - R^2_j), the diagonal of the inverse correlation matrix) until none
// is. The limits default to the usual practice (Siddiqi 2006: IV 0.02; |r| 0.7; VIF 10).
// O(n k^2) for the correlations.
//
// stepwise: forward, backward or both-ways selection by AIC, BIC or the Wald p value (enter
// below p_enter, leave above p_remove; SAS PROC LOGISTIC's SLENTRY 0.05 / SLSTAY 0.10 are our
// 0.05 / 0.10). Each step fits every candidate model, warm-started from the current model's
// coefficients (Newton then needs two or three steps), in parallel over candidates and reading
// the columns in place. Ties go to the first candidate, so the path is the same on any number
// of threads.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"
#include "bankquant/scorecard/logistic.hpp"

namespace bankquant::scorecard {

struct ScreeningOptions {
  double min_iv = 0.02;
  double max_iv = std::numeric_limits<double>::infinity();
  double max_missing_rate = 0.95;
  double max_single_value_share = 0.95;
  double max_correlation = 0.7;
  double max_vif = 10.0;
  void validate() const;
  static constexpr auto fields() {
    using O = ScreeningOptions;
    return std::tuple{field("min_iv", &O::min_iv, "least IV (Siddiqi 2006: below 0.02 is not predictive)"),
                      field("max_iv", &O::max_iv, "largest IV (inf: none)"),
                      field("max_missing_rate", &O::max_missing_rate, "largest share of missing values"),
                      field("max_single_value_share", &O::max_single_value_share, "largest share of one value"),
                      field("max_correlation", &O::max_correlation, "largest |correlation| of WoE with a stronger kept one"),
                      field("max_vif", &O::max_vif, "largest variance inflation factor")};
  }
};

struct ScreeningResult {
  std::vector<std::string> names;
  std::vector<double> iv;
  std::vector<double> missing_rate;
  std::vector<double> single_value_share;
  std::vector<bool> kept;
  std::vector<std::string> reasons;
  std::vector<std::size_t> selected;  ///< kept characteristics, highest IV first
  static constexpr auto fields() {
    using R = ScreeningResult;
    return std::tuple{field("names", &R::names, "the characteristics"), field("iv", &R::iv, "information value"),
                      field("missing_rate", &R::missing_rate, "share of missing values"),
                      field("single_value_share", &R::single_value_share, "share of the most frequent value"),
                      field("kept", &R::kept, "passed every screen"),
                      field("reasons", &R::reasons, "why it was dropped (empty when kept)"),
                      field("selected", &R::selected, "indices of the kept ones, highest IV first")};
  }
};

/// values: k x n WoE (binning_process.hpp's TableTransform layout), one row per binning.
[[nodiscard]] BANKQUANT_EXPORT ScreeningResult screen(const std::vector<VariableBinning>& binnings,
                                                      const Eigen::Ref<const RowMatrix>& values,
                                                      std::span<const double> weights,
                                                      const ScreeningOptions& options = {});

/// Weighted correlation matrix of the rows of `values` (k x n).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd row_correlation(const Eigen::Ref<const RowMatrix>& values,
                                                               std::span<const double> weights = {});

/// VIF of each row of `values` (k x n); inf for a row that is a linear combination of others.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> variance_inflation(const Eigen::Ref<const RowMatrix>& values,
                                                                      std::span<const double> weights = {});

enum class StepwiseDirection { forward, backward, both };
BANKQUANT_ENUM_NAMES(StepwiseDirection, {forward, "forward"}, {backward, "backward"}, {both, "both"})

enum class SelectionCriterion { aic, bic, pvalue };
BANKQUANT_ENUM_NAMES(SelectionCriterion, {aic, "aic"}, {bic, "bic"}, {pvalue, "pvalue"})

enum class StepAction { enter, remove };
BANKQUANT_ENUM_NAMES(StepAction, {enter, "enter"}, {remove, "remove"})

struct StepwiseOptions {
  StepwiseDirection direction = StepwiseDirection::both;
  SelectionCriterion criterion = SelectionCriterion::aic;
  double p_enter = 0.05;
  double p_remove = 0.10;
  int max_variables = 0;
  LogisticOptions logistic;
  void validate() const;
  static constexpr auto fields() {
    using O = StepwiseOptions;
    return std::tuple{field("direction", &O::direction, "forward, backward or both"),
                      field("criterion", &O::criterion, "aic, bic or pvalue"),
                      field("p_enter", &O::p_enter, "pvalue: largest p value to enter (SAS SLENTRY 0.05)"),
                      field("p_remove", &O::p_remove, "pvalue: p value above which a variable leaves (0.10)"),
                      field("max_variables", &O::max_variables, "at most this many variables (0: no limit)"),
                      field("logistic", &O::logistic, "options of every logistic fit")};
  }
};

struct StepwiseStep {
  int step = 0;
  StepAction action = StepAction::enter;
  std::size_t variable = 0;  ///< column of X
  double value = 0.0;        ///< the criterion after the step (the p value for 'pvalue')
  int n_variables = 0;
  static constexpr auto fields() {
    using S = StepwiseStep;
    return std::tuple{field("step", &S::step, "1, 2, ..."), field("action", &S::action, "enter or remove"),
                      field("variable", &S::variable, "column of X"),
                      field("value", &S::value, "criterion after the step (the p value with 'pvalue')"),
                      field("n_variables", &S::n_variables, "variables in the model after the step")};
  }
};

struct StepwiseResult {
  std::vector<std::size_t> selected;  ///< columns of X in the final model, in order of entry
  std::vector<StepwiseStep> history;
  LogisticResult model;               ///< the final model's fit
  Status status;
  /// Columns left out because the model with them could not be fitted (separation, collinearity),
  /// and why: never entered later, where a fit that happens to converge would hide it.
  std::vector<std::size_t> excluded;
  std::vector<std::string> excluded_reasons;
  static constexpr auto fields() {
    using R = StepwiseResult;
    return std::tuple{field("selected", &R::selected, "columns of X in the final model"),
                      field("history", &R::history, "the steps taken"),
                      field("model", &R::model, "the final model"), field("status", &R::status, "how the search ended"),
                      field("excluded", &R::excluded, "columns left out: the model with them could not be fitted"),
                      field("excluded_reasons", &R::excluded_reasons, "why each was left out")};
  }
};

/// Stepwise selection over the columns of X (n x k); `start` are the columns to begin with
/// (default: none for forward/both, all for backward).
[[nodiscard]] BANKQUANT_EXPORT StepwiseResult stepwise(const Eigen::Ref<const RowMatrix>& X, std::span<const double> y,
                                                       std::span<const double> weights,
                                                       const StepwiseOptions& options = {},
                                                       const std::vector<std::size_t>& start = {});

}  // namespace bankquant::scorecard
