// bankquant/portfolio/risk_parity.hpp — risk budgeting (equal risk contribution when the budgets
// are equal).
//
// The portfolio whose risk contributions w_i (S w)_i are proportional to budgets b_i > 0 is the
// normalised minimiser of the strictly convex f(x) = 1/2 x'Sx - sum_i b_i log x_i over x > 0
// (Spinu 2013; Roncalli, Introduction to Risk Parity and Budgeting, 2013, ch. 2). Newton's method
// with a backtracking line search that keeps x > 0 converges quadratically from the
// inverse-volatility start; each step solves (S + diag(b / x^2)) p = -grad, O(n^3).
//
// With bounds or groups on the normalised weights w = x / sum(x) the constraints are a cone in x
// (x_i - l_i sum(x) >= 0, ...), so the problem stays convex and scale-free (Richard and Roncalli
// 2019, "Constrained risk budgeting portfolios"): each Newton step is then the QP
// min 1/2 p'Hp + g'p over the cone (qp.hpp, warm-started), followed by the same line search.
// At the optimum x_i (Sx)_i = b_i + x_i (A'lambda)_i: an asset whose bound binds contributes less
// (or more) than its budget, and the others' contributions move by a term proportional to their
// weight (the cone's normal involves every asset).
#pragma once

#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

struct RiskBudgetOptions {
  Eigen::VectorXd budgets;
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  std::vector<AssetGroup> groups;
  double risk_free = 0.0;
  int max_iterations = 100;
  double tolerance = 1e-12;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("budgets", &RiskBudgetOptions::budgets, "risk budgets: positive shares of the risk that sum to 1 (to within 1e-6; another sum is refused); empty: equal"),
        field("lower", &RiskBudgetOptions::lower, "lowest weight per asset (empty: none beyond w > 0)"),
        field("upper", &RiskBudgetOptions::upper, "highest weight per asset (empty: none)"),
        field("groups", &RiskBudgetOptions::groups, "group constraints on the weights"),
        field("risk_free", &RiskBudgetOptions::risk_free, "for the reported Sharpe ratio"),
        field("max_iterations", &RiskBudgetOptions::max_iterations, "Newton iterations"),
        field("tolerance", &RiskBudgetOptions::tolerance,
              "stop when the Newton decrement squared is below this (relative to sum of budgets)")};
  }
};

/// Risk budgeting under cov (n x n PSD, positive variances); mu (n or empty) for the report.
[[nodiscard]] BANKQUANT_EXPORT PortfolioResult risk_budgeting(const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                              const Eigen::Ref<const Eigen::VectorXd>& mu,
                                                              const RiskBudgetOptions& options = {});

}  // namespace bankquant::portfolio
