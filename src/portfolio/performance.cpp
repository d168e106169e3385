#include "bankquant/portfolio/performance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::portfolio {

void PerformanceOptions::validate() const {
  check::positive("periods_per_year", periods_per_year);
  if (!std::isfinite(periods_per_year)) check::fail("periods_per_year", "expected a finite number");
  if (!(risk_free > -1) || !std::isfinite(risk_free)) check::fail("risk_free", fmt::format("expected a finite rate above -1, got {}", risk_free));
  if (!(minimum_acceptable_return > -1) || !std::isfinite(minimum_acceptable_return)) {
    check::fail("minimum_acceptable_return", fmt::format("expected a finite rate above -1, got {}", minimum_acceptable_return));
  }
  check::finite("benchmark_sharpe", benchmark_sharpe);
}

double probabilistic_sharpe_ratio(double sr, double benchmark, int n, double skewness, double kurtosis) {
  check::finite("sharpe", sr);
  check::finite("benchmark", benchmark);
  check::integer_at_least("n", n, 2);
  check::finite("skewness", skewness);
  check::finite("kurtosis", kurtosis);
  const double var = 1.0 - skewness * sr + (kurtosis - 1.0) / 4.0 * sr * sr;
  if (!(var > 0)) {
    check::fail("kurtosis", fmt::format("the Sharpe ratio's variance 1 - g3 SR + (g4 - 1)/4 SR^2 = {} is not positive "
                                        "(skewness {}, kurtosis {})",
                                        var, skewness, kurtosis));
  }
  const double z = (sr - benchmark) * std::sqrt(static_cast<double>(n - 1)) / std::sqrt(var);
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

double expected_maximum_sharpe(double variance, int n_trials) {
  check::non_negative("variance", variance);
  check::integer_at_least("n_trials", n_trials, 1);
  if (n_trials == 1) return 0.0;
  const boost::math::normal standard;
  constexpr double euler = 0.5772156649015329;
  const double N = static_cast<double>(n_trials);
  return std::sqrt(variance) * ((1.0 - euler) * boost::math::quantile(standard, 1.0 - 1.0 / N) +
                                euler * boost::math::quantile(standard, 1.0 - 1.0 / (N * std::numbers::e)));
}

double deflated_sharpe_ratio(double sr, int n, double skewness, double kurtosis, std::span<const double> trials) {
  check::min_size("trial_sharpes", trials.size(), 2);
  check::all_finite("trial_sharpes", trials);
  double mean = 0.0;
  for (double v : trials) mean += v;
  mean /= static_cast<double>(trials.size());
  double var = 0.0;
  for (double v : trials) var += (v - mean) * (v - mean);
  var /= static_cast<double>(trials.size() - 1);
  const double benchmark = expected_maximum_sharpe(var, static_cast<int>(trials.size()));
  return probabilistic_sharpe_ratio(sr, benchmark, n, skewness, kurtosis);
}

PerformanceStats performance_stats(std::span<const double> r, const PerformanceOptions& o,
                                   std::span<const double> turnover) {
  o.validate();
  check::min_size("returns", r.size(), 2);
  check::all_finite("returns", r);
  for (std::size_t t = 0; t < r.size(); ++t) {
    if (!(r[t] > -1.0)) check::fail("returns", fmt::format("expected simple returns above -1, got {} at {}", r[t], t));
  }
  if (!turnover.empty()) {
    check::same_size("turnover", turnover.size(), "returns", r.size());
    check::all_non_negative("turnover", turnover);
  }
  const std::size_t n = r.size();
  const double ppy = o.periods_per_year;
  PerformanceStats s;
  s.periods = static_cast<int>(n);
  double log_growth = 0.0, mean = 0.0;
  for (double v : r) {
    log_growth += std::log1p(v);
    mean += v;
  }
  mean /= static_cast<double>(n);
  s.total_return = std::expm1(log_growth);
  s.annual_return = std::expm1(log_growth * ppy / static_cast<double>(n));
  double m2 = 0.0, m3 = 0.0, m4 = 0.0, positive = 0.0;
  for (double v : r) {
    const double d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    positive += v > 0 ? 1.0 : 0.0;
  }
  const double var = m2 / static_cast<double>(n - 1);
  const double sd = std::sqrt(var);
  s.annual_volatility = sd * std::sqrt(ppy);
  const double rf_p = std::pow(1.0 + o.risk_free, 1.0 / ppy) - 1.0;
  const double mar_p = std::pow(1.0 + o.minimum_acceptable_return, 1.0 / ppy) - 1.0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double sr_p = sd > 0 ? (mean - rf_p) / sd : nan;
  s.sharpe = sr_p * std::sqrt(ppy);
  double downside = 0.0;
  for (double v : r) downside += std::pow(std::min(v - mar_p, 0.0), 2);
  downside = std::sqrt(downside / static_cast<double>(n));
  s.sortino = downside > 0 ? (mean - mar_p) / downside * std::sqrt(ppy) : nan;
  // Drawdowns of the equity curve starting at 1.
  double equity = 1.0, peak = 1.0, worst = 0.0;
  int below = 0, longest = 0;
  for (double v : r) {
    equity *= 1.0 + v;
    if (equity >= peak) {
      peak = equity;
      below = 0;
    } else {
      ++below;
      longest = std::max(longest, below);
    }
    worst = std::max(worst, 1.0 - equity / peak);
  }
  s.max_drawdown = worst;
  s.max_drawdown_periods = longest;
  s.calmar = worst > 0 ? s.annual_return / worst : nan;
  s.hit_rate = positive / static_cast<double>(n);
  if (!turnover.empty()) {
    double total = 0.0;
    for (double v : turnover) total += v;
    s.turnover = total / static_cast<double>(n) * ppy;
  }
  const double mm2 = m2 / static_cast<double>(n);
  s.skewness = mm2 > 0 ? (m3 / static_cast<double>(n)) / std::pow(mm2, 1.5) : 0.0;
  s.kurtosis = mm2 > 0 ? (m4 / static_cast<double>(n)) / (mm2 * mm2) : 3.0;
  if (sd > 0) {
    const double bench_p = o.benchmark_sharpe / std::sqrt(ppy);
    const double v = 1.0 - s.skewness * sr_p + (s.kurtosis - 1.0) / 4.0 * sr_p * sr_p;
    s.psr = v > 0 ? probabilistic_sharpe_ratio(sr_p, bench_p, static_cast<int>(n), s.skewness, s.kurtosis) : nan;
  } else {
    s.psr = nan;
  }
  return s;
}

}  // namespace bankquant::portfolio
