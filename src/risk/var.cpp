#include "bankquant/risk/var.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant::risk {
namespace {

// ES of a sorted-descending loss sample with per-observation probabilities p_i (summing to 1):
// the mean of the worst (1 - alpha) probability mass, the boundary observation taking its share.
double tail_mean(const std::vector<double>& losses_desc, const std::vector<double>& prob, double alpha) {
  const double mass = 1.0 - alpha;
  double taken = 0.0, sum = 0.0;
  for (std::size_t i = 0; i < losses_desc.size() && taken < mass; ++i) {
    const double w = std::min(prob[i], mass - taken);
    sum += w * losses_desc[i];
    taken += w;
  }
  return sum / mass;
}

double standard_normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

}  // namespace

void check_levels(std::span<const double> levels, std::size_t n) {
  check::not_empty("levels", levels.size());
  for (double a : levels) {
    check::open_unit_interval("level", a);
    if (n > 0 && (1.0 - a) * static_cast<double>(n) < 1.0) {
      check::fail("level", fmt::format("{} needs at least {} observations for one beyond the quantile, got {}", a,
                                       static_cast<std::size_t>(std::ceil(1.0 / (1.0 - a))), n));
    }
  }
}

std::vector<VarEs> historical_var_es(std::span<const double> x, std::span<const double> levels) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  check_levels(levels, x.size());
  std::vector<double> losses(x.size());
  std::transform(x.begin(), x.end(), losses.begin(), [](double v) { return -v; });
  std::vector<double> sorted = losses;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const std::vector<double> prob(x.size(), 1.0 / static_cast<double>(x.size()));
  std::vector<double> ascending(sorted.rbegin(), sorted.rend());
  std::vector<VarEs> out;
  for (double a : levels) {
    out.push_back({a, stats::quantile_sorted(ascending, a), tail_mean(sorted, prob, a)});
  }
  return out;
}

std::vector<std::vector<VarEs>> historical_var_es_many(std::span<const double> pnl, std::size_t days,
                                                      std::size_t portfolios, std::span<const double> levels) {
  if (days * portfolios != pnl.size()) {
    check::fail("pnl", fmt::format("expected {} x {} = {} values, got {}", days, portfolios, days * portfolios, pnl.size()));
  }
  check::not_empty("pnl", pnl.size());
  check_levels(levels, days);
  // Only the worst k losses matter: the two order statistics around the VaR quantile (numpy's
  // linear rule) and the (1 - a) days of the ES tail. One pass keeps them in a bounded min-heap,
  // O(days log k), far cheaper than selections over all days when k is small (26 of 2,500 at 99%).
  std::size_t k = 1;
  for (double a : levels) {
    const auto lo = static_cast<std::size_t>(std::floor(a * static_cast<double>(days - 1)));
    const auto whole = static_cast<std::size_t>(std::floor((1 - a) * static_cast<double>(days)));
    k = std::max({k, days - lo, whole + 1});
  }
  k = std::min(k, days);
  std::vector<std::vector<VarEs>> out(portfolios);
  constexpr std::size_t kBlock = 8;  // portfolios read together: 8 adjacent doubles per day
  // Non-finite values are found in the same pass (a separate check would read all the data again);
  // each chunk notes its first, and the first in row-major order is reported.
  std::vector<std::size_t> first_bad(chunk_count(portfolios, kBlock), pnl.size());
  parallel_for_chunks(portfolios, kBlock, [&](std::size_t c, std::size_t begin, std::size_t end) {
    std::vector<std::vector<double>> heaps(end - begin);
    for (auto& h : heaps) h.reserve(k);
    for (std::size_t t = 0; t < days; ++t) {
      const double* row = pnl.data() + t * portfolios;
      for (std::size_t p = begin; p < end; ++p) {
        const double loss = -row[p];
        if (!std::isfinite(loss)) {
          first_bad[c] = std::min(first_bad[c], t * portfolios + p);
          continue;
        }
        auto& h = heaps[p - begin];
        if (h.size() < k) {
          h.push_back(loss);
          std::push_heap(h.begin(), h.end(), std::greater<>());
        } else if (loss > h.front()) {
          std::pop_heap(h.begin(), h.end(), std::greater<>());
          h.back() = loss;
          std::push_heap(h.begin(), h.end(), std::greater<>());
        }
      }
    }
    for (std::size_t p = begin; p < end; ++p) {
      auto& worst = heaps[p - begin];
      std::sort(worst.begin(), worst.end(), std::greater<>());  // worst[r]: the (r+1)-th largest loss
      for (double a : levels) {
        const double pos = a * static_cast<double>(days - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, days - 1);
        const double x_lo = worst[days - 1 - lo], x_hi = worst[days - 1 - hi];
        const double g = pos - static_cast<double>(lo);
        const double var = g == 0.0 ? x_lo : (g >= 0.5 ? x_hi - (x_hi - x_lo) * (1 - g) : x_lo + (x_hi - x_lo) * g);
        const double mass = (1 - a) * static_cast<double>(days);
        const auto whole = static_cast<std::size_t>(std::floor(mass));
        double sum = 0.0;
        for (std::size_t r = 0; r < whole; ++r) sum += worst[r];
        if (mass > static_cast<double>(whole) && whole < worst.size()) sum += (mass - static_cast<double>(whole)) * worst[whole];
        out[p].push_back({a, var, sum / mass});
      }
    }
  });
  const std::size_t bad = *std::min_element(first_bad.begin(), first_bad.end());
  if (bad < pnl.size()) {
    check::fail("pnl", fmt::format("expected finite values, found {} at day {}, portfolio {}", pnl[bad], bad / portfolios,
                                   bad % portfolios));
  }
  return out;
}

std::vector<VarEs> age_weighted_var_es(std::span<const double> x, std::span<const double> levels, double lambda) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  check::in_open_range("lambda", lambda, 0.0, 1.0);
  check_levels(levels, 0);
  const std::size_t n = x.size();
  std::vector<double> w(n);
  const double norm = (1 - lambda) / (1 - std::pow(lambda, static_cast<double>(n)));
  for (std::size_t i = 0; i < n; ++i) w[i] = std::pow(lambda, static_cast<double>(n - 1 - i)) * norm;  // age n-1-i
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return -x[a] > -x[b]; });
  std::vector<double> losses_desc(n), prob(n);
  for (std::size_t k = 0; k < n; ++k) {
    losses_desc[k] = -x[order[k]];
    prob[k] = w[order[k]];
  }
  std::vector<VarEs> out;
  for (double a : levels) {
    // VaR: the smallest loss whose upper-tail probability mass reaches 1 - a
    double mass = 0.0, var = losses_desc.back();
    for (std::size_t k = 0; k < n; ++k) {
      mass += prob[k];
      if (mass >= 1.0 - a - 1e-15) {
        var = losses_desc[k];
        break;
      }
    }
    out.push_back({a, var, tail_mean(losses_desc, prob, a)});
  }
  return out;
}

std::vector<VarEs> normal_var_es(double mean, double sd, std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("sd", sd);
  check::finite("sd", sd);
  check_levels(levels, 0);
  const boost::math::normal_distribution<double> n01;
  std::vector<VarEs> out;
  for (double a : levels) {
    const double z = boost::math::quantile(n01, a);
    out.push_back({a, -mean + sd * z, -mean + sd * boost::math::pdf(n01, z) / (1 - a)});
  }
  return out;
}

std::vector<VarEs> student_t_var_es(double mean, double scale, double nu, std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("scale", scale);
  check::finite("scale", scale);
  if (!(nu > 2) || !std::isfinite(nu)) check::fail("nu", fmt::format("expected a finite value > 2, got {}", nu));
  check_levels(levels, 0);
  const boost::math::students_t_distribution<double> t(nu);
  std::vector<VarEs> out;
  for (double a : levels) {
    const double q = boost::math::quantile(t, a);
    // ES of a standard t: pdf(q) (nu + q^2) / ((nu - 1)(1 - a))
    const double es = boost::math::pdf(t, q) * (nu + q * q) / ((nu - 1) * (1 - a));
    out.push_back({a, -mean + scale * q, -mean + scale * es});
  }
  return out;
}

std::vector<VarEs> cornish_fisher_var_es(double mean, double sd, double skewness, double excess_kurtosis,
                                         std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("sd", sd);
  check::finite("skewness", skewness);
  check::finite("excess_kurtosis", excess_kurtosis);
  check_levels(levels, 0);
  // Quantile of the P&L at probability u by the Cornish–Fisher expansion; the loss quantile at a is -q(1 - a).
  auto pnl_quantile = [&](double u) {
    const double z = standard_normal_quantile(u);
    const double s = skewness, k = excess_kurtosis;
    const double zc = z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36;
    return mean + sd * zc;
  };
  std::vector<VarEs> out;
  for (double a : levels) {
    // ES: mean of the loss quantile over (a, 1), by Gauss–Legendre on a substitution that puts
    // nodes densely in the far tail (u = 1 - (1 - a) v^2).
    static constexpr double kNodes[] = {-0.9931285991850949, -0.9639719272779138, -0.9122344282513259,
                                        -0.8391169718222188, -0.7463319064601508, -0.6360536807265150,
                                        -0.5108670019508271, -0.3737060887154195, -0.2277858511416451,
                                        -0.0765265211334973, 0.0765265211334973,  0.2277858511416451,
                                        0.3737060887154195,  0.5108670019508271,  0.6360536807265150,
                                        0.7463319064601508,  0.8391169718222188,  0.9122344282513259,
                                        0.9639719272779138,  0.9931285991850949};
    static constexpr double kWeights[] = {0.0176140071391521, 0.0406014298003869, 0.0626720483341091,
                                          0.0832767415767048, 0.1019301198172404, 0.1181945319615184,
                                          0.1316886384491766, 0.1420961093183820, 0.1491729864726037,
                                          0.1527533871307258, 0.1527533871307258, 0.1491729864726037,
                                          0.1420961093183820, 0.1316886384491766, 0.1181945319615184,
                                          0.1019301198172404, 0.0832767415767048, 0.0626720483341091,
                                          0.0406014298003869, 0.0176140071391521};
    double integral = 0.0;  // ES = int_0^1 2 v (-q((1 - a) v^2)) dv, the tail mean after u = (1 - a) v^2
    for (int i = 0; i < 20; ++i) {
      const double v = 0.5 * (kNodes[i] + 1);
      integral += 0.5 * kWeights[i] * 2 * v * -pnl_quantile((1 - a) * v * v);
    }
    out.push_back({a, -pnl_quantile(1 - a), integral});
  }
  return out;
}

std::vector<double> filtered_returns(std::span<const double> x, std::span<const double> variance, double next_variance) {
  check::same_size("x", x.size(), "variance", variance.size());
  check::all_finite("x", x);
  for (std::size_t i = 0; i < variance.size(); ++i) {
    if (!(variance[i] > 0) || !std::isfinite(variance[i])) {
      check::fail("variance", fmt::format("expected positive finite variances, found {} at index {}", variance[i], i));
    }
  }
  check::positive("next_variance", next_variance);
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] * std::sqrt(next_variance / variance[i]);
  return out;
}

}  // namespace bankquant::risk
