// bankquant/portfolio/expected_returns.hpp — expected-return estimators.
//
// Inputs are simple returns (T x n, rows are periods, NaN for missing values), under the same
// missing-data policies as the covariance estimators (covariance.hpp); for means, 'pairwise' uses
// each column's own observed values. Results are annualised with periods_per_year (252 by
// default, PyPortfolioOpt's `frequency`):
//   mean         arithmetic mean x periods_per_year, or with compounding the geometric rate
//                (prod(1 + r))^(periods_per_year / T) - 1 (PyPortfolioOpt's compounding=True)
//   ewma         exponentially weighted mean (half-life in periods, normalised weights), annualised
//                the same way
//   capm         rf + beta_i (E[r_m] - rf), beta_i = cov(r_i, r_m) / var(r_m) against the given
//                market returns or, if none, the equally weighted average of the assets (Sharpe
//                1964; PyPortfolioOpt's capm_return)
//   james_stein  the sample means shrunk toward their grand mean m: m + (1 - c)(mu - m), with
//                c = min(1, (n - 3) / (T (mu - m)' S^-1 (mu - m))) on per-period values (James and
//                Stein 1961; Efron and Morris 1973 for the estimated target, the covariance-weighted
//                norm as in Jorion 1986); needs n >= 4 and more complete rows than assets
// Cost O(T n), and O(T n^2 + n^3) for james_stein.
#pragma once

#include <tuple>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/covariance.hpp"

namespace bankquant::portfolio {

enum class ReturnMethod { mean, ewma, capm, james_stein };
BANKQUANT_ENUM_NAMES(ReturnMethod, {mean, "mean"}, {ewma, "ewma"}, {capm, "capm"}, {james_stein, "james_stein"})

struct ExpectedReturnsOptions {
  ReturnMethod method = ReturnMethod::mean;
  MissingPolicy missing = MissingPolicy::complete;
  bool compounding = false;
  double half_life = 62.4;
  double risk_free = 0.0;
  double periods_per_year = 252.0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &ExpectedReturnsOptions::method, "'mean', 'ewma', 'capm' or 'james_stein'"),
        field("missing", &ExpectedReturnsOptions::missing,
              "missing values: 'complete' (drop rows), 'pairwise' (each column's own values), 'fill_mean' or "
              "'fill_zero'"),
        field("compounding", &ExpectedReturnsOptions::compounding,
              "geometric (compounded) annual rates instead of arithmetic means x periods_per_year"),
        field("half_life", &ExpectedReturnsOptions::half_life,
              "ewma: half-life in periods (62.4 = PyPortfolioOpt's span of 180 days)"),
        field("risk_free", &ExpectedReturnsOptions::risk_free, "capm: annual risk-free rate"),
        field("periods_per_year", &ExpectedReturnsOptions::periods_per_year,
              "annualisation factor (252 trading days; 1 keeps the per-period scale)")};
  }
};

struct ExpectedReturnsResult {
  Eigen::VectorXd expected_returns;
  ReturnMethod method = ReturnMethod::mean;
  MissingPolicy missing = MissingPolicy::complete;
  int n_observations = 0;
  int rows_dropped = 0;
  double shrinkage = 0.0;
  Eigen::VectorXd betas;
  double market_return = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("expected_returns", &ExpectedReturnsResult::expected_returns, "annualised expected returns (n)"),
        field("method", &ExpectedReturnsResult::method, "the estimator"),
        field("missing", &ExpectedReturnsResult::missing, "the missing-data policy that was applied"),
        field("n_observations", &ExpectedReturnsResult::n_observations, "rows used"),
        field("rows_dropped", &ExpectedReturnsResult::rows_dropped, "rows dropped for a missing value"),
        field("shrinkage", &ExpectedReturnsResult::shrinkage, "james_stein: the intensity c in [0, 1]"),
        field("betas", &ExpectedReturnsResult::betas, "capm: the betas against the market"),
        field("market_return", &ExpectedReturnsResult::market_return, "capm: the market's annualised return")};
  }
};

/// Expected returns of the columns of `returns`; `market` (T values, or empty) for capm.
[[nodiscard]] BANKQUANT_EXPORT ExpectedReturnsResult estimate_expected_returns(
    const Eigen::Ref<const RowMatrix>& returns, const ExpectedReturnsOptions& options = {},
    const Eigen::Ref<const Eigen::VectorXd>& market = Eigen::VectorXd());

/// Annualised mean of per-period values (arithmetic x periods, or compounded).
[[nodiscard]] BANKQUANT_EXPORT double annualize_return(double per_period, double periods_per_year,
                                                       bool compounding = false);
/// Annualised volatility: per-period volatility x sqrt(periods_per_year).
[[nodiscard]] BANKQUANT_EXPORT double annualize_volatility(double per_period, double periods_per_year);

}  // namespace bankquant::portfolio
