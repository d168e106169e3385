// Mehrotra's predictor-corrector interior-point method for qp.hpp's QP (private to src/).
#pragma once

#include <chrono>

#include <Eigen/Core>

#include "bankquant/portfolio/qp.hpp"

namespace bankquant::portfolio::detail {

/// Solves the QP (bounds and c given expanded: lower, upper, c_full have n entries) from its own
/// interior start; the caller has checked feasibility. Fills x, multipliers, binding sets,
/// objective and status; residuals are computed by the caller.
[[nodiscard]] QpResult solve_interior_point(const QpProblem& problem, const QpOptions& options,
                                            const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                            const Eigen::VectorXd& c_full,
                                            std::chrono::steady_clock::time_point deadline, bool has_deadline);

}  // namespace bankquant::portfolio::detail
