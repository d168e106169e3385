#include "bankquant/risk/backtest.hpp"

#include <cmath>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

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
  return -2 * (xlogy(n - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(n - x, 1 - phat) + xlogy(x, phat));
}

void check_counts(std::size_t x, std::size_t n, double level) {
  if (n == 0) check::fail("n", "expected at least one observation");
  if (x > n) check::fail("exceptions", fmt::format("expected at most n = {} exceptions, got {}", n, x));
  check::open_unit_interval("level", level);
}

}  // namespace

std::vector<int> exceptions(std::span<const double> pnl, std::span<const double> var) {
  check::not_empty("pnl", pnl.size());
  check::same_size("pnl", pnl.size(), "var", var.size());
  check::all_finite("pnl", pnl);
  check::all_finite("var", var);
  std::vector<int> out(pnl.size());
  for (std::size_t i = 0; i < pnl.size(); ++i) out[i] = -pnl[i] > var[i] ? 1 : 0;
  return out;
}

TestResult kupiec(std::size_t x, std::size_t n, double level) {
  check_counts(x, n, level);
  const double p = 1 - level;
  TestResult r;
  r.name = "Kupiec proportion of failures";
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

TestResult tuff(std::size_t first_failure, std::size_t n, double level) {
  check::open_unit_interval("level", level);
  if (n == 0) check::fail("n", "expected at least one observation");
  if (first_failure > n) check::fail("first_failure", fmt::format("expected a day in [1, {}], or 0 for none", n));
  const double p = 1 - level;
  const double v = first_failure == 0 ? static_cast<double>(n + 1) : static_cast<double>(first_failure);
  TestResult r;
  r.name = "time until first failure";
  // xlogy: with the first failure on day 1, (v - 1) ln(1 - 1/v) is 0 ln 0 = 0, not NaN
  r.statistic = -2 * (std::log(p) + xlogy(v - 1, 1 - p)) + 2 * (std::log(1 / v) + xlogy(v - 1, 1 - 1 / v));
  r.statistic = std::max(r.statistic, 0.0);
  r.p_value = chi2_sf(r.statistic, 1);
  return r;
}

ChristoffersenResult christoffersen(std::span<const int> e, double level) {
  check::min_size("exception_series", e.size(), 2);
  check::open_unit_interval("level", level);
  ChristoffersenResult r;
  std::size_t x = 0;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i] != 0 && e[i] != 1) check::fail("exception_series", fmt::format("expected 0/1, found {} at index {}", e[i], i));
    x += static_cast<std::size_t>(e[i]);
    if (i == 0) continue;
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
  r.independence.name = "Christoffersen independence";
  r.independence.statistic = std::max(-2 * (restricted - unrestricted), 0.0);
  r.independence.p_value = chi2_sf(r.independence.statistic, 1);
  r.conditional_coverage.name = "Christoffersen conditional coverage";
  r.conditional_coverage.statistic =
      kupiec(x, e.size(), level).statistic + r.independence.statistic;
  r.conditional_coverage.p_value = chi2_sf(r.conditional_coverage.statistic, 2);
  return r;
}

TrafficLight traffic_light(std::size_t x, std::size_t n, double level) {
  check_counts(x, n, level);
  TrafficLight t;
  const boost::math::binomial_distribution<double> bin(static_cast<double>(n), 1 - level);
  t.cumulative_probability = boost::math::cdf(bin, static_cast<double>(x));
  t.zone = t.cumulative_probability < 0.95 ? "green" : t.cumulative_probability < 0.9999 ? "yellow" : "red";
  if (n == 250 && std::abs(level - 0.99) < 1e-12) {
    static constexpr double kPlus[] = {0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85};
    t.plus_factor = x < 10 ? kPlus[x] : 1.0;
  }
  return t;
}

}  // namespace bankquant::risk
