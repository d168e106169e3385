// bankquant/scorecard/metrics.hpp — discrimination and calibration of a score: AUC, Gini, KS, ROC
// curve, gains table, Hosmer–Lemeshow.
//
// The direction of a score is always explicit: `higher_is_riskier` for a probability of the
// event or log-odds, `higher_is_safer` for scorecard points (a higher score is a safer
// applicant). Ties are handled exactly: AUC counts a tied event/non-event pair as one half, the
// area under the ROC curve through the tied groups (scikit-learn's roc_auc_score). O(n log n).
//
// Gains table: `bands` bands of (about) equal count from the riskiest down — band 1 is the
// riskiest — with tied scores kept in one band (a rank-based split, like pandas' qcut on ranks).
// Hosmer–Lemeshow (Hosmer and Lemeshow, Applied Logistic Regression, 2000): the same bands of
// the predicted probability, statistic sum (O - E)^2 / (E (1 - E / n)) ~ chi-square(groups - 2).
#pragma once

#include <span>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::scorecard {

enum class ScoreDirection { higher_is_riskier, higher_is_safer };
BANKQUANT_ENUM_NAMES(ScoreDirection, {higher_is_riskier, "higher_is_riskier"}, {higher_is_safer, "higher_is_safer"})

/// Area under the ROC curve; weights empty or non-negative.
[[nodiscard]] BANKQUANT_EXPORT double auc(std::span<const double> y, std::span<const double> score,
                                          std::span<const double> weights, ScoreDirection direction);

/// Gini = 2 AUC - 1 (the accuracy ratio).
[[nodiscard]] BANKQUANT_EXPORT double gini(std::span<const double> y, std::span<const double> score,
                                           std::span<const double> weights, ScoreDirection direction);

/// Kolmogorov–Smirnov statistic: max over thresholds of |TPR - FPR| (the same for both directions).
[[nodiscard]] BANKQUANT_EXPORT double ks(std::span<const double> y, std::span<const double> score,
                                         std::span<const double> weights, ScoreDirection direction);

struct RocCurve {
  std::vector<double> thresholds;  ///< distinct scores, riskiest first (the first is +inf or -inf)
  std::vector<double> fpr;         ///< share of non-events at least as risky as the threshold
  std::vector<double> tpr;         ///< share of events at least as risky as the threshold
  std::vector<double> population;  ///< share of everyone at least as risky as the threshold
  static constexpr auto fields() {
    return std::tuple{field("thresholds", &RocCurve::thresholds, "distinct scores, riskiest first"),
                      field("fpr", &RocCurve::fpr, "cumulative share of non-events"),
                      field("tpr", &RocCurve::tpr, "cumulative share of events"),
                      field("population", &RocCurve::population, "cumulative share of the (weighted) population")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT RocCurve roc_curve(std::span<const double> y, std::span<const double> score,
                                                  std::span<const double> weights, ScoreDirection direction);

struct GainsOptions {
  int bands = 10;
  ScoreDirection direction = ScoreDirection::higher_is_riskier;
  void validate() const;
  static constexpr auto fields() {
    return std::tuple{field("bands", &GainsOptions::bands, "bands of about equal count (deciles)"),
                      field("direction", &GainsOptions::direction, "higher_is_riskier or higher_is_safer")};
  }
};

struct GainsBand {
  int band = 0;  ///< 1 = riskiest
  double min_score = 0.0, max_score = 0.0;
  double count = 0.0, events = 0.0, non_events = 0.0;
  double event_rate = 0.0;
  double cum_events_share = 0.0, cum_non_events_share = 0.0;
  double lift = 0.0, cum_lift = 0.0, ks = 0.0;
  static constexpr auto fields() {
    using B = GainsBand;
    return std::tuple{field("band", &B::band, "1 = riskiest"), field("min_score", &B::min_score, "lowest score"),
                      field("max_score", &B::max_score, "highest score"), field("count", &B::count, "weighted count"),
                      field("events", &B::events, "weighted events"), field("non_events", &B::non_events, "weighted non-events"),
                      field("event_rate", &B::event_rate, "events / count"),
                      field("cum_events_share", &B::cum_events_share, "share of all events in this band and riskier"),
                      field("cum_non_events_share", &B::cum_non_events_share, "same for non-events"),
                      field("lift", &B::lift, "event rate / overall event rate"),
                      field("cum_lift", &B::cum_lift, "cumulative event rate / overall"),
                      field("ks", &B::ks, "|cum_events_share - cum_non_events_share|")};
  }
};

struct GainsTable {
  std::vector<GainsBand> bands;
  static constexpr auto fields() { return std::tuple{field("bands", &GainsTable::bands, "riskiest first")}; }
};

[[nodiscard]] BANKQUANT_EXPORT GainsTable gains_table(std::span<const double> y, std::span<const double> score,
                                                      std::span<const double> weights, const GainsOptions& options);

/// Band (0 = riskiest) of each score: ranks with ties at their lowest rank, cut into equal parts.
[[nodiscard]] BANKQUANT_EXPORT std::vector<int> risk_bands(std::span<const double> score, int bands,
                                                           ScoreDirection direction);

struct HosmerLemeshowOptions {
  int groups = 10;
  void validate() const;
  static constexpr auto fields() {
    return std::tuple{field("groups", &HosmerLemeshowOptions::groups, "bands of predicted probability (10 deciles)")};
  }
};

struct HosmerLemeshowGroup {
  int group = 0;
  double count = 0.0, observed = 0.0, expected = 0.0, mean_probability = 0.0;
  static constexpr auto fields() {
    using G = HosmerLemeshowGroup;
    return std::tuple{field("group", &G::group, "1 = highest probability"), field("count", &G::count, "weighted count"),
                      field("observed", &G::observed, "observed events"), field("expected", &G::expected, "expected events"),
                      field("mean_probability", &G::mean_probability, "mean predicted probability")};
  }
};

struct HosmerLemeshowResult {
  double statistic = 0.0;
  double p_value = 0.0;
  int degrees_of_freedom = 0;
  std::vector<HosmerLemeshowGroup> groups;
  static constexpr auto fields() {
    using R = HosmerLemeshowResult;
    return std::tuple{field("statistic", &R::statistic, "sum (O - E)^2 / (E (1 - E/n))"),
                      field("p_value", &R::p_value, "chi-square upper tail"),
                      field("degrees_of_freedom", &R::degrees_of_freedom, "groups - 2"),
                      field("groups", &R::groups, "the bands")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT HosmerLemeshowResult hosmer_lemeshow(std::span<const double> y,
                                                                    std::span<const double> probability,
                                                                    std::span<const double> weights,
                                                                    const HosmerLemeshowOptions& options = {});

}  // namespace bankquant::scorecard
