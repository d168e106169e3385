// bankquant/scorecard/strategy.hpp — decisions from scores: cutoff analysis, approve / refer /
// decline bands with policy rules, a rating master scale.
//
// cutoff_analysis: for each cutoff, approve when the score is at least the cutoff (higher is
// safer) and report the approval rate, the bads approved — observed 0/1 outcomes, or expected
// ones from the model's probabilities for a new population — their rate, and the profit
// goods x profit_per_good - bads x loss_per_bad. Default cutoffs: the 21 quantiles 0, 5%, ...,
// 100% of the scores (numpy's linear rule), distinct. O((n + m) log n) for m cutoffs.
//
// decision_bands: score >= approve_at approves, score < decline_below declines, between refers;
// a policy rule (a mask) declines whatever the score, the first rule that applies named.
//
// MasterScale: grade i holds PDs in (bound[i-1], bound[i]]; defaults are a common 10-grade layout,
// each grade about 2.5 times the previous one's PD, from 0.05% (the Basel corporate PD floor is
// 0.03%, our pd_floor) to default.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::scorecard {

struct CutoffOptions {
  std::vector<double> cutoffs;  ///< empty: 21 quantiles of the scores
  double profit_per_good = 1.0;
  double loss_per_bad = 5.0;
  void validate() const;
  static constexpr auto fields() {
    using O = CutoffOptions;
    return std::tuple{field("cutoffs", &O::cutoffs, "cutoffs to evaluate (empty: 21 quantiles of the scores)"),
                      field("profit_per_good", &O::profit_per_good, "profit of an approved good"),
                      field("loss_per_bad", &O::loss_per_bad, "loss of an approved bad")};
  }
};

struct CutoffRow {
  double cutoff = 0.0, approval_rate = 0.0, approved = 0.0, expected_bads = 0.0, bad_rate = 0.0, profit = 0.0;
  bool best = false;
  static constexpr auto fields() {
    using R = CutoffRow;
    return std::tuple{field("cutoff", &R::cutoff, "approve when score >= cutoff"),
                      field("approval_rate", &R::approval_rate, "share approved"),
                      field("approved", &R::approved, "number approved"),
                      field("expected_bads", &R::expected_bads, "bads among the approved (observed or expected)"),
                      field("bad_rate", &R::bad_rate, "bads / approved (NaN when none is approved)"),
                      field("profit", &R::profit, "goods x profit_per_good - bads x loss_per_bad"),
                      field("best", &R::best, "the highest profit")};
  }
};

struct CutoffAnalysis {
  std::vector<CutoffRow> rows;
  static constexpr auto fields() { return std::tuple{field("rows", &CutoffAnalysis::rows, "one per cutoff, increasing")}; }
};

/// `bad`: 0/1 outcomes or probabilities in [0, 1] (expected bads).
[[nodiscard]] BANKQUANT_EXPORT CutoffAnalysis cutoff_analysis(std::span<const double> score, std::span<const double> bad,
                                                              const CutoffOptions& options = {});

enum class Decision { approve, refer, decline };
BANKQUANT_ENUM_NAMES(Decision, {approve, "approve"}, {refer, "refer"}, {decline, "decline"})

struct DecisionOptions {
  double approve_at = 0.0;
  double decline_below = 0.0;
  void validate() const;
  static constexpr auto fields() {
    return std::tuple{field("approve_at", &DecisionOptions::approve_at, "approve from this score"),
                      field("decline_below", &DecisionOptions::decline_below, "decline below this score")};
  }
};

struct DecisionResult {
  std::vector<std::int32_t> decision;  ///< Decision as an integer: 0 approve, 1 refer, 2 decline
  std::vector<std::int32_t> rule;      ///< index of the policy rule that declined, -1 for the score
  static constexpr auto fields() {
    return std::tuple{field("decision", &DecisionResult::decision, "0 approve, 1 refer, 2 decline"),
                      field("rule", &DecisionResult::rule, "policy rule that declined (-1: the score decided)")};
  }
};

/// policy: one mask per rule (1 = decline), each the length of score.
[[nodiscard]] BANKQUANT_EXPORT DecisionResult decision_bands(std::span<const double> score,
                                                             const std::vector<std::vector<std::uint8_t>>& policy,
                                                             const DecisionOptions& options);

struct MasterScale {
  std::vector<std::string> grades{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
  std::vector<double> pd_bounds{0.0005, 0.00125, 0.003, 0.0075, 0.0185, 0.045, 0.11, 0.25, 0.5, 1.0};
  double pd_floor = 0.0003;
  void validate() const;
  /// Grade index of each PD in [0, 1].
  [[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> grade(std::span<const double> pd) const;
  static constexpr auto fields() {
    using M = MasterScale;
    return std::tuple{field("grades", &M::grades, "grade names, best first"),
                      field("pd_bounds", &M::pd_bounds, "upper PD bound of each grade, increasing, the last 1"),
                      field("pd_floor", &M::pd_floor, "floor of the PD reported with a grade (Basel: 0.03%)")};
  }
};

}  // namespace bankquant::scorecard
