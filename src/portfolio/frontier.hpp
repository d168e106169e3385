// The parametric active-set path behind MeanVariance::frontier (private to src/).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/status.hpp"
#include "bankquant/portfolio/qp.hpp"

namespace bankquant::portfolio::detail {

struct PathPoint {
  double t = 0.0;
  Eigen::VectorXd x;
  std::string event;
};

struct PathResult {
  std::vector<PathPoint> points;
  bool unbounded = false;
  Status status;
};

/// Traces argmin 1/2 x'Hx + (c - t mu)'x over t in [0, t_max] (t_max = 0: to the end) from a
/// feasible x_start (the t = 0 optimum is found first). Labels name variables and rows in events.
[[nodiscard]] PathResult trace_path(const QpProblem& qp, const Eigen::VectorXd& mu, const Eigen::VectorXd& x_start,
                                    const QpOptions& options, double t_max,
                                    const std::function<std::string(Eigen::Index)>& variable_label,
                                    const std::function<std::string(Eigen::Index)>& row_label);

}  // namespace bankquant::portfolio::detail
