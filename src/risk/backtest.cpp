#include "bankquant/risk/backtest.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {
namespace {

double chi2_sf(double x, double dof) {
  if (!(x > 0)) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(dof), x));
}

// x ln(y), with 0 ln(0) = 0
double xlogy(double x, double y) { return x == 0 ? 0.0 : x * std::log(y); }

double pof_statistic(double x, double n, double p) {
  const double phat = x / n;
  return std::max(-2 * (xlogy(n - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(n - x, 1 - phat) + xlogy(x, phat)), 0.0);
}

// -2 ln of the duration likelihood ratio for one duration v (TUFF and each TBF term).
double duration_statistic(double v, double p) {
  // xlogy: with v = 1, (v - 1) ln(1 - 1/v) is 0 ln 0 = 0, not NaN
  return std::max(-2 * (std::log(p) + xlogy(v - 1, 1 - p)) + 2 * (std::log(1 / v) + xlogy(v - 1, 1 - 1 / v)), 0.0);
}

void check_counts(std::size_t x, std::size_t n, double level) {
  if (n == 0) check::fail("n", "expected at least one observation");
  if (x > n) check::fail("exceptions", fmt::format("expected at most n = {} exceptions, got {}", n, x));
  check_backtest_level(level);
}

// Validates a 0/1 series and returns its exception count.
std::size_t count_series(std::span<const int> e) {
  check::not_empty("exception_series", e.size());
  std::size_t x = 0;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i] != 0 && e[i] != 1) check::fail("exception_series", fmt::format("expected 0/1 flags, found {} at index {}", e[i], i));
    x += static_cast<std::size_t>(e[i]);
  }
  return x;
}

}  // namespace

void check_backtest_level(double level) { check_levels(std::span<const double>(&level, 1), 0); }

std::vector<int> exceptions(std::span<const double> pnl, std::span<const double> var) {
  check::not_empty("pnl", pnl.size());
  check::same_size("pnl", pnl.size(), "var", var.size());
  check::all_finite("pnl", pnl);
  check::all_finite("var", var);
  for (std::size_t i = 0; i < var.size(); ++i) {
    if (var[i] < 0) {
      check::fail("var", fmt::format("expected VaR as a non-negative loss, found {} at index {} (a P&L quantile "
                                     "has the opposite sign)",
                                     var[i], i));
    }
  }
  std::vector<int> out(pnl.size());
  for (std::size_t i = 0; i < pnl.size(); ++i) out[i] = -pnl[i] > var[i] ? 1 : 0;
  return out;
}

TestResult kupiec(std::size_t x, std::size_t n, double level) {
  check_counts(x, n, level);
  const double p = 1 - level;
  TestResult r;
  r.name = "Kupiec proportion of failures (POF)";
  r.statistic = pof_statistic(static_cast<double>(x), static_cast<double>(n), p);
  r.p_value = chi2_sf(r.statistic, 1);
  const boost::math::binomial_distribution<double> bin(static_cast<double>(n), p);
  double exact = 0.0;
  for (std::size_t k = 0; k <= n; ++k) {
    if (pof_statistic(static_cast<double>(k), static_cast<double>(n), p) >= r.statistic * (1 - 1e-12)) {
      exact += boost::math::pdf(bin, static_cast<double>(k));
    }
  }
  r.p_value_exact = std::min(exact, 1.0);
  return r;
}

TestResult kupiec(std::span<const int> e, double level) { return kupiec(count_series(e), e.size(), level); }

TestResult binomial_test(std::size_t x, std::size_t n, double level) {
  check_counts(x, n, level);
  TestResult r;
  r.name = "binomial (too many exceptions)";
  const boost::math::binomial_distribution<double> bin(static_cast<double>(n), 1 - level);
  r.statistic = static_cast<double>(x);
  r.p_value = x == 0 ? 1.0 : boost::math::cdf(boost::math::complement(bin, static_cast<double>(x) - 1));
  r.p_value_exact = r.p_value;
  return r;
}

TestResult binomial_test(std::span<const int> e, double level) {
  return binomial_test(count_series(e), e.size(), level);
}

TestResult tuff(std::size_t first_failure, std::size_t n, double level) {
  check_backtest_level(level);
  if (n == 0) check::fail("n", "expected at least one observation");
  if (first_failure > n) check::fail("first_failure", fmt::format("expected a day in [1, {}], or 0 for none", n));
  const double v = first_failure == 0 ? static_cast<double>(n + 1) : static_cast<double>(first_failure);
  TestResult r;
  r.name = "time until first failure (TUFF)";
  r.statistic = duration_statistic(v, 1 - level);
  r.p_value = chi2_sf(r.statistic, 1);
  return r;
}

TestResult tuff(std::span<const int> e, double level) {
  count_series(e);
  const auto first = std::find(e.begin(), e.end(), 1);
  return tuff(first == e.end() ? 0 : static_cast<std::size_t>(first - e.begin()) + 1, e.size(), level);
}

ChristoffersenResult christoffersen(std::span<const int> e, double level) {
  check::min_size("exception_series", e.size(), 2);
  check_backtest_level(level);
  const std::size_t x = count_series(e);
  ChristoffersenResult r;
  for (std::size_t i = 1; i < e.size(); ++i) {
    const int a = e[i - 1], b = e[i];
    (a == 0 ? (b == 0 ? r.n00 : r.n01) : (b == 0 ? r.n10 : r.n11))++;
  }
  const double n00 = static_cast<double>(r.n00), n01 = static_cast<double>(r.n01);
  const double n10 = static_cast<double>(r.n10), n11 = static_cast<double>(r.n11);
  const double pi0 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0.0;
  const double pi1 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0.0;
  const double pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  const double restricted = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const double unrestricted = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1);
  r.independence.name = "Christoffersen independence (CCI)";
  r.independence.statistic = std::max(-2 * (restricted - unrestricted), 0.0);
  r.independence.p_value = chi2_sf(r.independence.statistic, 1);
  r.conditional_coverage.name = "Christoffersen conditional coverage (CC)";
  r.conditional_coverage.statistic = kupiec(x, e.size(), level).statistic + r.independence.statistic;
  r.conditional_coverage.p_value = chi2_sf(r.conditional_coverage.statistic, 2);
  return r;
}

TimeBetweenFailuresResult time_between_failures(std::span<const int> e, double level) {
  check_backtest_level(level);
  const std::size_t x = count_series(e);
  const double p = 1 - level;
  TimeBetweenFailuresResult r;
  std::size_t last = 0;  // day (1-based) of the previous exception; 0 before the first
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i] == 1) {
      r.durations.push_back(i + 1 - last);
      last = i + 1;
    }
  }
  double tbfi = 0.0;
  for (std::size_t d : r.durations) tbfi += duration_statistic(static_cast<double>(d), p);
  const double dof = x == 0 ? 1.0 : static_cast<double>(x);
  if (x == 0) tbfi = duration_statistic(static_cast<double>(e.size() + 1), p);
  r.independence.name = "time between failures, independence (TBFI)";
  r.independence.statistic = tbfi;
  r.independence.p_value = chi2_sf(tbfi, dof);
  r.combined.name = "time between failures (TBF)";
  r.combined.statistic = tbfi + kupiec(x, e.size(), level).statistic;
  r.combined.p_value = chi2_sf(r.combined.statistic, dof + 1);
  return r;
}

TrafficLightResult traffic_light(std::size_t x, std::size_t n, double level) {
  check_counts(x, n, level);
  TrafficLightResult t;
  t.exceptions = x;
  t.n = n;
  t.level = level;
  const boost::math::binomial_distribution<double> bin(static_cast<double>(n), 1 - level);
  auto zone_of = [&](double cumulative) {
    return cumulative < 0.95 ? TrafficLightZone::green
                             : cumulative < 0.9999 ? TrafficLightZone::yellow : TrafficLightZone::red;
  };
  t.cumulative_probability = boost::math::cdf(bin, static_cast<double>(x));
  t.zone = zone_of(t.cumulative_probability);
  // Zone limits: the last count in each zone (the CDF rises with k, so walk up from the mean).
  std::size_t k = 0;
  while (k < n && zone_of(boost::math::cdf(bin, static_cast<double>(k + 1))) == TrafficLightZone::green) ++k;
  t.green_limit = zone_of(boost::math::cdf(bin, 0.0)) == TrafficLightZone::green ? k : 0;
  while (k < n && zone_of(boost::math::cdf(bin, static_cast<double>(k + 1))) != TrafficLightZone::red) ++k;
  t.yellow_limit = k;
  if (n == 250 && std::abs(level - 0.99) < 1e-12) {
    static constexpr double kPlus[] = {0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85};
    t.plus_factor = x < 10 ? kPlus[x] : 1.0;
  }
  return t;
}

TrafficLightResult traffic_light(std::span<const int> e, double level) {
  return traffic_light(count_series(e), e.size(), level);
}

}  // namespace bankquant::risk
