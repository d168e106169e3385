#include "bankquant/risk/var.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/gauss.hpp>
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

void add(VarEsTable& t, double level, double var, double es) {
  t.level.push_back(level);
  t.var.push_back(var);
  t.es.push_back(es);
}

void check_series(std::span<const double> x) {
  check::min_size("x", x.size(), 2);
  check::all_finite("x", x);
}

}  // namespace

void check_levels(std::span<const double> levels, std::size_t n) {
  check::not_empty("level", levels.size());
  for (double a : levels) {
    if (!(a > 0.5 && a < 1.0)) {
      check::fail("level", a > 0.0 && a <= 0.5
                               ? fmt::format("expected a confidence level in (0.5, 1) such as 0.99, got {} (for a "
                                             "tail probability of {} pass level={})",
                                             a, a, 1 - a)
                               : fmt::format("expected a confidence level in (0.5, 1), got {}", a));
    }
    if (n > 0 && (1.0 - a) * static_cast<double>(n) < 1.0) {
      check::fail("level", fmt::format("{} needs at least {} observations for one beyond the quantile, got {}", a,
                                       static_cast<std::size_t>(std::ceil(1.0 / (1.0 - a))), n));
    }
  }
}

VarEsTable historical_var_es(std::span<const double> x, std::span<const double> levels) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  check_levels(levels, x.size());
  std::vector<double> sorted(x.size());
  std::transform(x.begin(), x.end(), sorted.begin(), [](double v) { return -v; });
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const std::vector<double> prob(x.size(), 1.0 / static_cast<double>(x.size()));
  const std::vector<double> ascending(sorted.rbegin(), sorted.rend());
  VarEsTable out;
  for (double a : levels) add(out, a, stats::quantile_sorted(ascending, a), tail_mean(sorted, prob, a));
  return out;
}

VarEsManyResult historical_var_es_many(const Eigen::Ref<const RowMatrix>& pnl, std::span<const double> levels) {
  const auto days = static_cast<std::size_t>(pnl.rows()), portfolios = static_cast<std::size_t>(pnl.cols());
  check::not_empty("pnl", days * portfolios);
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
  VarEsManyResult out;
  out.level.assign(levels.begin(), levels.end());
  out.var.resize(pnl.cols(), static_cast<Eigen::Index>(levels.size()));
  out.es.resize(pnl.cols(), static_cast<Eigen::Index>(levels.size()));
  constexpr std::size_t kBlock = 8;  // portfolios read together: 8 adjacent doubles per day
  // Non-finite values are found in the same pass (a separate check would read all the data again);
  // each chunk notes its first, and the first in row-major order is reported.
  const std::size_t none = days * portfolios;
  std::vector<std::size_t> first_bad(chunk_count(portfolios, kBlock), none);
  parallel_for_chunks(portfolios, kBlock, [&](std::size_t c, std::size_t begin, std::size_t end) {
    std::vector<std::vector<double>> heaps(end - begin);
    for (auto& h : heaps) h.reserve(k);
    for (std::size_t t = 0; t < days; ++t) {
      const double* row = pnl.data() + t * static_cast<std::size_t>(pnl.outerStride());
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
    if (first_bad[c] != none) return;
    for (std::size_t p = begin; p < end; ++p) {
      auto& worst = heaps[p - begin];
      std::sort(worst.begin(), worst.end(), std::greater<>());  // worst[r]: the (r+1)-th largest loss
      for (std::size_t j = 0; j < levels.size(); ++j) {
        const double a = levels[j];
        const double pos = a * static_cast<double>(days - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, days - 1);
        const double x_lo = worst[days - 1 - lo], x_hi = worst[days - 1 - hi];
        const double g = pos - static_cast<double>(lo);
        // numpy's linear interpolation, in the form numpy evaluates it (so results agree to the bit)
        const double var = g == 0.0 ? x_lo : (g >= 0.5 ? x_hi - (x_hi - x_lo) * (1 - g) : x_lo + (x_hi - x_lo) * g);
        const double mass = (1 - a) * static_cast<double>(days);
        const auto whole = static_cast<std::size_t>(std::floor(mass));
        double sum = 0.0;
        for (std::size_t r = 0; r < whole; ++r) sum += worst[r];
        if (mass > static_cast<double>(whole) && whole < worst.size()) sum += (mass - static_cast<double>(whole)) * worst[whole];
        const auto row = static_cast<Eigen::Index>(p), col = static_cast<Eigen::Index>(j);
        out.var(row, col) = var;
        out.es(row, col) = sum / mass;
      }
    }
  });
  const std::size_t bad = *std::min_element(first_bad.begin(), first_bad.end());
  if (bad < none) {
    const auto t = static_cast<Eigen::Index>(bad / portfolios), p = static_cast<Eigen::Index>(bad % portfolios);
    check::fail("pnl", fmt::format("expected finite values, found {} at day {}, portfolio {}", pnl(t, p), t, p));
  }
  return out;
}

VarEsTable age_weighted_var_es(std::span<const double> x, std::span<const double> levels, double lambda) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  check::in_open_range("lambda_", lambda, 0.0, 1.0);
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
  VarEsTable out;
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
    add(out, a, var, tail_mean(losses_desc, prob, a));
  }
  return out;
}

VarEsTable location_scale_var_es(double mean, double sd, const StandardizedDistribution& z,
                                 std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("sd", sd);
  check::finite("sd", sd);
  check_levels(levels, 0);
  VarEsTable out;
  for (double a : levels) add(out, a, -mean - sd * z.quantile(1 - a), -mean - sd * z.lower_tail_mean(1 - a));
  return out;
}

VarEsTable normal_var_es(double mean, double sd, std::span<const double> levels) {
  return location_scale_var_es(mean, sd, StandardizedDistribution(Innovation::normal), levels);
}

VarEsTable student_t_var_es(double mean, double scale, double nu, std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("scale", scale);
  check::finite("scale", scale);
  if (!(nu > 2) || !std::isfinite(nu)) check::fail("nu", fmt::format("expected a finite value > 2, got {}", nu));
  check_levels(levels, 0);
  const boost::math::students_t_distribution<double> t(nu);
  VarEsTable out;
  for (double a : levels) {
    const double q = boost::math::quantile(t, a);
    // ES of a standard t: pdf(q) (nu + q^2) / ((nu - 1)(1 - a))
    const double es = boost::math::pdf(t, q) * (nu + q * q) / ((nu - 1) * (1 - a));
    add(out, a, -mean + scale * q, -mean + scale * es);
  }
  return out;
}

VarEsTable cornish_fisher_var_es(double mean, double sd, double skewness, double excess_kurtosis,
                                 std::span<const double> levels) {
  check::finite("mean", mean);
  check::positive("sd", sd);
  check::finite("skewness", skewness);
  check::finite("excess_kurtosis", excess_kurtosis);
  check_levels(levels, 0);
  const boost::math::normal_distribution<double> n01;
  // Quantile of the P&L at probability u by the Cornish–Fisher expansion; the loss quantile at a is -q(1 - a).
  auto pnl_quantile = [&](double u) {
    const double z = boost::math::quantile(n01, u);
    const double s = skewness, k = excess_kurtosis;
    const double zc = z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36;
    return mean + sd * zc;
  };
  VarEsTable out;
  for (double a : levels) {
    // ES = int_0^1 2 v (-q((1 - a) v^2)) dv, the tail mean after u = (1 - a) v^2, which puts the
    // nodes densely in the far tail; 20-point Gauss–Legendre.
    const double es = boost::math::quadrature::gauss<double, 20>::integrate(
        [&](double v) { return 2 * v * -pnl_quantile((1 - a) * v * v); }, 0.0, 1.0);
    add(out, a, -pnl_quantile(1 - a), es);
  }
  return out;
}

std::vector<double> filtered_scenarios(std::span<const double> x, std::span<const double> variance,
                                       double next_variance, double mu) {
  check::same_size("x", x.size(), "variance", variance.size());
  check::all_finite("x", x);
  for (std::size_t i = 0; i < variance.size(); ++i) {
    if (!(variance[i] > 0) || !std::isfinite(variance[i])) {
      check::fail("variance", fmt::format("expected positive finite variances, found {} at index {}", variance[i], i));
    }
  }
  check::positive("next_variance", next_variance);
  check::finite("mu", mu);
  std::vector<double> out(x.size());
  const double sigma = std::sqrt(next_variance);
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = mu + sigma * (x[i] - mu) / std::sqrt(variance[i]);
  return out;
}

VarEsTable conditional_var_es(const VolatilityResult& model, std::span<const double> levels, ConditionalMethod method) {
  if (model.residuals.empty() || !(model.next_variance > 0)) check::fail("model", "expected a fitted or filtered model");
  const double sigma = std::sqrt(model.next_variance);
  if (method == ConditionalMethod::parametric) return location_scale_var_es(model.next_mean, sigma, model.innovation(), levels);
  std::vector<double> scenarios(model.standardized_residuals.size());
  for (std::size_t t = 0; t < scenarios.size(); ++t) scenarios[t] = model.next_mean + sigma * model.standardized_residuals[t];
  return historical_var_es(scenarios, levels);
}

void VarEsOptions::validate() const {
  check::integer_at_least("horizon", horizon, 1);
  const bool uses_lambda =
      method == VarMethod::age_weighted || method == VarMethod::filtered_ewma || method == VarMethod::ewma_normal;
  if (lambda && !uses_lambda) {
    check::fail("lambda_", fmt::format("not used by method '{}' (only by 'age_weighted', 'filtered_ewma' and "
                                       "'ewma_normal')",
                                       enum_name(method)));
  }
  if (lambda) check::in_open_range("lambda_", *lambda, 0.0, 1.0);
  if (nu && method != VarMethod::student_t) {
    check::fail("nu", fmt::format("not used by method '{}' (only by 't')", enum_name(method)));
  }
  if (nu && (!(*nu > 2) || !std::isfinite(*nu))) check::fail("nu", fmt::format("expected a finite value > 2, got {}", *nu));
  if (volatility && !uses_volatility_model(method)) {
    check::fail("volatility", fmt::format("not used by method '{}' (only by 'fhs', 'filtered_garch' and 'garch')",
                                          enum_name(method)));
  }
  if (volatility) volatility->validate();
}

VarEsResult var_es(std::span<const double> x, std::span<const double> levels, const VarEsOptions& o) {
  o.validate();
  check_series(x);
  VarEsResult r;
  r.method = o.method;
  r.horizon = o.horizon;
  r.observations = x.size();
  const double n = static_cast<double>(x.size());
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= n;
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (double v : x) {
    const double c = v - mean, c2 = c * c;
    m2 += c2;
    m3 += c2 * c;
    m4 += c2 * c2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  r.mean = mean;
  r.sd = std::sqrt(m2 * n / (n - 1));
  r.skewness = m2 > 0 ? m3 / std::pow(m2, 1.5) : 0.0;
  r.excess_kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3 : 0.0;
  if (!std::isfinite(r.sd) || !std::isfinite(r.skewness) || !std::isfinite(r.excess_kurtosis)) {
    check::fail("x", fmt::format("expected values whose moments fit in double precision; the fourth moment "
                                 "overflows (largest |x| {:.3g}): rescale the series",
                                 std::abs(*std::max_element(x.begin(), x.end(), [](double a, double b) {
                                   return std::abs(a) < std::abs(b);
                                 }))));
  }
  const bool parametric = o.method == VarMethod::normal || o.method == VarMethod::student_t ||
                          o.method == VarMethod::cornish_fisher;
  if (parametric && !(r.sd > 0)) check::fail("x", "expected values that vary, got a constant series");

  switch (o.method) {
    case VarMethod::historical:
      r.estimates = historical_var_es(x, levels);
      break;
    case VarMethod::age_weighted:
      r.lambda = o.lambda.value_or(0.98);
      r.estimates = age_weighted_var_es(x, levels, *r.lambda);
      break;
    case VarMethod::normal:
      r.estimates = normal_var_es(mean, r.sd, levels);
      break;
    case VarMethod::student_t: {
      // The kurtosis of t_nu is 6 / (nu - 4): a moment estimate, capped at 100 for near-normal data.
      r.nu = o.nu ? *o.nu : (r.excess_kurtosis > 0.06 ? 4 + 6 / r.excess_kurtosis : 100.0);
      r.estimates = student_t_var_es(mean, r.sd * std::sqrt((*r.nu - 2) / *r.nu), *r.nu, levels);
      break;
    }
    case VarMethod::cornish_fisher:
      r.estimates = cornish_fisher_var_es(mean, r.sd, r.skewness, r.excess_kurtosis, levels);
      break;
    case VarMethod::filtered_ewma: {
      r.lambda = o.lambda.value_or(0.94);
      const auto v = ewma_variance(x, *r.lambda);
      const std::span<const double> past(v.data(), x.size());
      r.volatility_forecast = std::sqrt(v.back());
      r.estimates = historical_var_es(filtered_scenarios(x, past, v.back(), 0.0), levels);
      break;
    }
    case VarMethod::filtered_garch:
    case VarMethod::fhs:
    case VarMethod::garch: {
      // the model's own minimum, named as the caller's argument
      check::min_size("x", x.size(), 20);
      VolatilityResult fit = fit_volatility(x, o.volatility.value_or(VolatilityOptions{}));
      r.volatility_forecast = std::sqrt(fit.next_variance);
      r.estimates = conditional_var_es(fit, levels, o.method == VarMethod::garch ? ConditionalMethod::parametric
                                                                               : ConditionalMethod::fhs);
      r.volatility = std::move(fit);
      break;
    }
    case VarMethod::ewma_normal: {
      r.lambda = o.lambda.value_or(0.94);
      const auto v = ewma_variance(x, *r.lambda);
      r.volatility_forecast = std::sqrt(v.back());
      r.estimates = normal_var_es(0.0, *r.volatility_forecast, levels);
      break;
    }
  }
  if (o.horizon > 1) {
    const double s = std::sqrt(static_cast<double>(o.horizon));
    for (double& v : r.estimates.var) v *= s;
    for (double& v : r.estimates.es) v *= s;
  }
  return r;
}

}  // namespace bankquant::risk
