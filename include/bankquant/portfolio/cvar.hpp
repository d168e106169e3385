// bankquant/portfolio/cvar.hpp — minimum conditional value at risk on scenarios.
//
// Rockafellar and Uryasev (2000), "Optimization of conditional value-at-risk": with T equally
// likely return scenarios r_t and losses L_t = -r_t'w,
//   CVaR_a(w) = min_z  z + 1 / ((1 - a) T) sum_t max(L_t - z, 0),
// so minimising it over w is the LP
//   min z + 1/((1 - a) T) sum u_t   s.t.  u_t >= -r_t'w - z,  u_t >= 0,  plus the constraints on w,
// solved with COIN-OR Clp (lp.hpp); z at the optimum is the VaR. This CVaR is the expected
// shortfall of the risk module (the mean loss beyond VaR with the boundary scenario's fractional
// weight, Acerbi and Tasche 2002): risk::historical_var_es gives the same number for the optimal
// portfolio. Constraints: bounds, budget, groups, and optionally a minimum mean scenario return.
// LP size: n + T + 1 variables, T + 1 + groups rows (T n non-zeros).
#pragma once

#include <limits>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

struct CvarOptions {
  double level = 0.95;
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  double budget = 1.0;
  std::vector<AssetGroup> groups;
  double target_return = std::numeric_limits<double>::quiet_NaN();
  double periods_per_year = 252.0;
  double risk_free = 0.0;
  double time_limit = 0.0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("level", &CvarOptions::level, "confidence level of the CVaR (0.95: the mean of the worst 5%)"),
        field("lower", &CvarOptions::lower, "lowest weight per asset (empty: 0, long only)"),
        field("upper", &CvarOptions::upper, "highest weight per asset (empty: 1)"),
        field("budget", &CvarOptions::budget, "sum of the weights (NaN for none)"),
        field("groups", &CvarOptions::groups, "group constraints"),
        field("target_return", &CvarOptions::target_return,
              "minimum mean scenario return, per period of the scenarios (NaN for none)"),
        field("periods_per_year", &CvarOptions::periods_per_year,
              "annualises the reported expected return and volatility (the CVaR stays per period)"),
        field("risk_free", &CvarOptions::risk_free, "annual risk-free rate for the reported Sharpe ratio"),
        field("time_limit", &CvarOptions::time_limit, "seconds for the LP; 0 for none")};
  }
};

struct CvarResult {
  PortfolioResult portfolio;
  double cvar = 0.0;
  double var = 0.0;
  int scenarios = 0;

  static constexpr auto fields() {
    return std::tuple{field("portfolio", &CvarResult::portfolio, "weights and their report (annualised)"),
                      field("cvar", &CvarResult::cvar, "the minimal CVaR, a positive loss per scenario period"),
                      field("var", &CvarResult::var, "the VaR at the optimum (z)"),
                      field("scenarios", &CvarResult::scenarios, "number of scenarios")};
  }
};

/// Minimum-CVaR weights for return scenarios (T x n, rows equally likely).
[[nodiscard]] BANKQUANT_EXPORT CvarResult min_cvar(const Eigen::Ref<const RowMatrix>& scenarios,
                                                   const CvarOptions& options = {});

}  // namespace bankquant::portfolio
