// Private to src/scorecard: the logistic fit on a subset of the columns of X, without copying
// them (stepwise selection fits hundreds of such models on the same matrix).
#pragma once

#include <vector>

#include "bankquant/scorecard/logistic.hpp"

namespace bankquant::scorecard::detail {

/// `grouped`: each row stands for the rows of X that share its values, `weights` their summed
/// weight and `y` their weighted share of events (in [0, 1]); the fit is the fit of those rows.
[[nodiscard]] LogisticResult fit_logistic_columns(const Eigen::Ref<const RowMatrix>& X,
                                                  const std::vector<Eigen::Index>& cols, std::span<const double> y,
                                                  std::span<const double> weights, const LogisticOptions& options,
                                                  const Eigen::VectorXd& start, bool grouped = false);

}  // namespace bankquant::scorecard::detail
