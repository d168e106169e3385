// bankquant/portfolio/performance.hpp — performance statistics of a return series, with the
// probabilistic and deflated Sharpe ratios.
//
// From periodic simple returns r_1..r_n (periods_per_year per year):
//   annual_return      (prod(1 + r))^(periods_per_year / n) - 1 (compounded)
//   annual_volatility  sd(r) sqrt(periods_per_year), sd with n - 1
//   sharpe             (mean(r) - rf_p) / sd(r) * sqrt(periods_per_year), rf_p the per-period rate
//                      (1 + rf)^(1 / periods_per_year) - 1
//   sortino            (mean(r) - mar_p) / dd * sqrt(periods_per_year), dd = sqrt(mean(min(r - mar_p, 0)^2))
//                      (Sortino and Price 1994)
//   max_drawdown       the largest fall of the equity curve from a previous peak, as a positive fraction
//   calmar             annual_return / max_drawdown
//   hit_rate           share of periods with r > 0
//   turnover           annualised mean one-way turnover, when a turnover series is given
//   psr                probabilistic Sharpe ratio (Bailey and Lopez de Prado 2012, "The Sharpe ratio
//                      efficient frontier"): Phi((SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2))
//                      with the per-period SR, its skewness g3 and (non-excess) kurtosis g4 (sample
//                      moments, biased as in the paper), against SR* = benchmark_sharpe
//   deflated_sharpe    the PSR against the expected maximum Sharpe ratio of N independent trials
//                      with variance V of their Sharpe ratios (Bailey and Lopez de Prado 2014, "The
//                      deflated Sharpe ratio"): SR*_0 = sqrt(V) ((1 - e) Phi^-1(1 - 1/N) +
//                      e Phi^-1(1 - 1/(N exp(1)))), e the Euler-Mascheroni constant.
// O(n). Pure functions.
#pragma once

#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

struct PerformanceOptions {
  double periods_per_year = 252.0;
  double risk_free = 0.0;
  double minimum_acceptable_return = 0.0;
  double benchmark_sharpe = 0.0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("periods_per_year", &PerformanceOptions::periods_per_year, "periods per year (252 trading days)"),
        field("risk_free", &PerformanceOptions::risk_free, "annual risk-free rate for the Sharpe ratio"),
        field("minimum_acceptable_return", &PerformanceOptions::minimum_acceptable_return,
              "annual target of the Sortino ratio"),
        field("benchmark_sharpe", &PerformanceOptions::benchmark_sharpe,
              "annualised Sharpe ratio the PSR tests against (0: is the strategy better than nothing?)")};
  }
};

struct PerformanceStats {
  int periods = 0;
  double total_return = 0.0;
  double annual_return = 0.0;
  double annual_volatility = 0.0;
  double sharpe = 0.0;
  double sortino = 0.0;
  double max_drawdown = 0.0;
  int max_drawdown_periods = 0;
  double calmar = 0.0;
  double hit_rate = 0.0;
  double turnover = 0.0;
  double skewness = 0.0;
  double kurtosis = 3.0;
  double psr = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("periods", &PerformanceStats::periods, "number of returns"),
        field("total_return", &PerformanceStats::total_return, "prod(1 + r) - 1"),
        field("annual_return", &PerformanceStats::annual_return, "compounded annual growth rate"),
        field("annual_volatility", &PerformanceStats::annual_volatility, "sd x sqrt(periods_per_year)"),
        field("sharpe", &PerformanceStats::sharpe, "annualised Sharpe ratio"),
        field("sortino", &PerformanceStats::sortino, "annualised Sortino ratio"),
        field("max_drawdown", &PerformanceStats::max_drawdown, "largest peak-to-trough fall (positive)"),
        field("max_drawdown_periods", &PerformanceStats::max_drawdown_periods,
              "longest stretch below a previous peak, in periods"),
        field("calmar", &PerformanceStats::calmar, "annual_return / max_drawdown"),
        field("hit_rate", &PerformanceStats::hit_rate, "share of positive periods"),
        field("turnover", &PerformanceStats::turnover, "annualised one-way turnover (0 without a turnover series)"),
        field("skewness", &PerformanceStats::skewness, "sample skewness of the returns"),
        field("kurtosis", &PerformanceStats::kurtosis, "sample kurtosis (3 for a normal)"),
        field("psr", &PerformanceStats::psr, "probabilistic Sharpe ratio against benchmark_sharpe")};
  }
};

/// Statistics of returns (finite, at least 2); turnover (one value per period, or empty).
[[nodiscard]] BANKQUANT_EXPORT PerformanceStats performance_stats(std::span<const double> returns,
                                                                  const PerformanceOptions& options = {},
                                                                  std::span<const double> turnover = {});

/// PSR of a per-period Sharpe ratio sr from n observations with skewness and kurtosis, against
/// the per-period benchmark.
[[nodiscard]] BANKQUANT_EXPORT double probabilistic_sharpe_ratio(double sr, double benchmark, int n, double skewness,
                                                                 double kurtosis);

/// The expected maximum per-period Sharpe ratio of n_trials independent trials whose per-period
/// Sharpe ratios have variance `variance` (the DSR's benchmark SR*_0).
[[nodiscard]] BANKQUANT_EXPORT double expected_maximum_sharpe(double variance, int n_trials);

/// Deflated Sharpe ratio of the chosen strategy (per-period sr, n, skewness, kurtosis) among
/// trials whose per-period Sharpe ratios are `trial_sharpes`.
[[nodiscard]] BANKQUANT_EXPORT double deflated_sharpe_ratio(double sr, int n, double skewness, double kurtosis,
                                                            std::span<const double> trial_sharpes);

}  // namespace bankquant::portfolio
