// bankquant/scorecard/metrics.hpp — discrimination of a score: AUC, Gini, KS, ROC curve.
//
// `score` ranks risk of the event: a higher score means the event (e.g. default) is more likely,
// as a predicted probability does (pass -score for scorecard points, where higher is safer).
// Ties are handled exactly: AUC counts a tied event/non-event pair as one half, which is the
// area under the ROC curve through the tied groups (scikit-learn's roc_auc_score). O(n log n).
#pragma once

#include <span>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::scorecard {

/// Area under the ROC curve; weights empty or non-negative.
[[nodiscard]] BANKQUANT_EXPORT double auc(std::span<const double> y, std::span<const double> score,
                                          std::span<const double> weights = {});

/// Gini = 2 AUC - 1 (the accuracy ratio).
[[nodiscard]] BANKQUANT_EXPORT double gini(std::span<const double> y, std::span<const double> score,
                                           std::span<const double> weights = {});

/// Kolmogorov–Smirnov statistic: max over thresholds of |TPR - FPR|.
[[nodiscard]] BANKQUANT_EXPORT double ks(std::span<const double> y, std::span<const double> score,
                                         std::span<const double> weights = {});

struct RocCurve {
  std::vector<double> thresholds;  ///< distinct scores, descending (the first is +inf)
  std::vector<double> fpr;         ///< share of non-events with score >= threshold
  std::vector<double> tpr;         ///< share of events with score >= threshold
};

[[nodiscard]] BANKQUANT_EXPORT RocCurve roc_curve(std::span<const double> y, std::span<const double> score,
                                                  std::span<const double> weights = {});

}  // namespace bankquant::scorecard
