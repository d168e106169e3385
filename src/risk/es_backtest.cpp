#include "bankquant/risk/es_backtest.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {
namespace {

enum Stat { kZ1, kZ2, kZ3, kAbs, kRel, kStats };

struct Day {
  double var, es, mu, sigma;  // forecasts; the matched P&L distribution mu + sigma z
};

// The five simulated-p-value statistics of losses L under the forecasts. `shocks` are the
// standardised shocks of the sample (for Z3: the k smallest give the sample ES of the ranks).
std::array<double, kStats> statistics(std::span<const double> losses, std::span<const Day> days, double p,
                                      std::vector<double>& shocks, std::size_t k, double expected_tail) {
  const std::size_t T = losses.size();
  double hits = 0, ratio = 0, mb_abs = 0, mb_rel = 0;
  for (std::size_t t = 0; t < T; ++t) {
    const Day& d = days[t];
    const double beyond = losses[t] - d.var;
    if (beyond > 0) {
      hits += 1;
      ratio += losses[t] / d.es;
    }
    const double term = d.es - d.var - std::max(beyond, 0.0) / p;
    mb_abs += term;
    mb_rel += term / d.es;
  }
  std::nth_element(shocks.begin(), shocks.begin() + static_cast<std::ptrdiff_t>(k - 1), shocks.end());
  double a = 0;
  for (std::size_t i = 0; i < k; ++i) a += shocks[i];
  a /= static_cast<double>(k);  // mean of the k smallest standardised shocks
  double z3 = 0;
  for (const Day& d : days) z3 += (d.mu + d.sigma * a) / (d.mu + d.sigma * expected_tail);
  const double n = static_cast<double>(T);
  return {hits > 0 ? 1 - ratio / hits : 0.0, 1 - ratio / (n * p), 1 - z3 / n, mb_abs / n, mb_rel / n};
}

}  // namespace

void EsBacktestOptions::validate() const {
  (void)StandardizedDistribution(dist, nu, skew);  // checks nu and skew
  if (n_simulations < 100) check::fail("n_simulations", fmt::format("expected at least 100, got {}", n_simulations));
  check::integer_at_least("lags", lags, 1);
}

EsBacktestResult es_backtest(std::span<const double> pnl, std::span<const double> var, std::span<const double> es,
                             double level, const EsBacktestOptions& o, std::span<const double> ranks) {
  o.validate();
  const std::size_t T = pnl.size();
  check::not_empty("pnl", T);
  check::same_size("pnl", T, "var", var.size());
  check::same_size("pnl", T, "es", es.size());
  check::all_finite("pnl", pnl);
  check::all_finite("var", var);
  check::all_finite("es", es);
  check_levels(std::span<const double>(&level, 1), T);
  if (!ranks.empty()) {
    check::same_size("pnl", T, "ranks", ranks.size());
    for (std::size_t t = 0; t < T; ++t) check::in_closed_range("ranks", ranks[t], 0.0, 1.0);
  }
  const double p = 1 - level;
  const StandardizedDistribution z(o.dist, o.nu, o.skew);
  const double q = z.quantile(p), tail = z.lower_tail_mean(p);
  std::vector<Day> days(T);
  std::vector<double> losses(T), shocks(T);
  for (std::size_t t = 0; t < T; ++t) {
    if (!(es[t] > var[t])) {
      check::fail("es", fmt::format("expected ES above VaR on every day, found ES {} and VaR {} at index {}", es[t],
                                    var[t], t));
    }
    if (var[t] < 0) {
      check::fail("var", fmt::format("expected VaR as a non-negative loss, found {} at index {}", var[t], t));
    }
    // VaR = -mu - sigma q and ES = -mu - sigma e give sigma = (ES - VaR) / (q - e).
    const double sigma = (es[t] - var[t]) / (q - tail);
    days[t] = {var[t], es[t], -var[t] - sigma * q, sigma};
    losses[t] = -pnl[t];
    shocks[t] = (pnl[t] - days[t].mu) / sigma;
  }
  const auto k = static_cast<std::size_t>(std::floor(static_cast<double>(T) * p));
  // E[mean of the k smallest of T shocks] = (T / k) int_0^1 Q(v) P(Bin(T - 1, v) <= k - 1) dv.
  const double Td = static_cast<double>(T), kd = static_cast<double>(k);
  boost::math::quadrature::tanh_sinh<double> integrator;
  const double expected_tail =
      Td / kd * integrator.integrate([&](double v) { return z.quantile(v) * boost::math::ibeta(Td - kd, kd, 1 - v); },
                                     0.0, 1.0);

  EsBacktestResult r;
  r.n = T;
  r.level = level;
  r.n_simulations = o.n_simulations;
  for (std::size_t t = 0; t < T; ++t) r.n_exceptions += losses[t] > var[t] ? 1 : 0;
  std::vector<double> sample_shocks = shocks;
  const auto observed = statistics(losses, days, p, sample_shocks, k, expected_tail);

  // Null distribution: samples drawn from the forecasts themselves.
  const auto n_sim = static_cast<std::size_t>(o.n_simulations);
  std::vector<std::array<double, kStats>> simulated(n_sim);
  parallel_for_chunks(n_sim, 64, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(o.seed, c);
    std::vector<double> l(T), s(T);
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t t = 0; t < T; ++t) {
        s[t] = z.sample(stream);
        l[t] = -(days[t].mu + days[t].sigma * s[t]);
      }
      simulated[i] = statistics(l, days, p, s, k, expected_tail);
    }
  });
  auto simulated_test = [&](int stat, const char* name) {
    TestResult t;
    t.name = name;
    t.statistic = observed[static_cast<std::size_t>(stat)];
    std::size_t below = 0;
    for (const auto& s : simulated) below += s[static_cast<std::size_t>(stat)] <= t.statistic ? 1 : 0;
    t.p_value = static_cast<double>(below) / static_cast<double>(n_sim);
    return t;
  };
  r.z1 = simulated_test(kZ1, "Acerbi-Szekely Z1 (conditional)");
  r.z2 = simulated_test(kZ2, "Acerbi-Szekely Z2 (unconditional)");
  r.z3 = simulated_test(kZ3, "Acerbi-Szekely Z3 (ranks)");
  r.minimally_biased_absolute = simulated_test(kAbs, "minimally biased, absolute");
  r.minimally_biased_relative = simulated_test(kRel, "minimally biased, relative");

  // Du and Escanciano on the cumulative violations H_t = (p - u_t)^+ / p.
  std::vector<double> h(T);
  for (std::size_t t = 0; t < T; ++t) {
    const double u = ranks.empty() ? z.cdf(shocks[t]) : ranks[t];
    h[t] = std::max(p - u, 0.0) / p - p / 2;  // centred at its null mean p / 2
  }
  double mean = 0, gamma0 = 0;
  for (double v : h) {
    mean += v;
    gamma0 += v * v;
  }
  mean /= Td;
  gamma0 /= Td;
  const boost::math::normal_distribution<double> n01;
  r.du_escanciano_unconditional.name = "Du-Escanciano unconditional";
  r.du_escanciano_unconditional.statistic = std::sqrt(Td) * mean / std::sqrt(p * (1.0 / 3 - p / 4));
  r.du_escanciano_unconditional.p_value =
      2 * boost::math::cdf(boost::math::complement(n01, std::abs(r.du_escanciano_unconditional.statistic)));
  double c = 0;
  const auto lags = static_cast<std::size_t>(o.lags);
  for (std::size_t j = 1; j <= lags && j < T; ++j) {
    double g = 0;
    for (std::size_t t = j; t < T; ++t) g += h[t] * h[t - j];
    g /= Td - static_cast<double>(j);
    const double rho = gamma0 > 0 ? g / gamma0 : 0.0;
    c += rho * rho;
  }
  r.du_escanciano_conditional.name = fmt::format("Du-Escanciano conditional ({} lag{})", o.lags, o.lags == 1 ? "" : "s");
  r.du_escanciano_conditional.statistic = Td * c;
  r.du_escanciano_conditional.p_value =
      r.du_escanciano_conditional.statistic > 0
          ? boost::math::cdf(boost::math::complement(
                boost::math::chi_squared_distribution<double>(static_cast<double>(o.lags)), r.du_escanciano_conditional.statistic))
          : 1.0;
  return r;
}

}  // namespace bankquant::risk
