#include "bankquant/risk/attribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {
namespace {

// numpy's linear interpolation between two order statistics, in numpy's own arithmetic.
double lerp(double lo, double hi, double g) { return g >= 0.5 ? hi - (hi - lo) * (1 - g) : lo + (hi - lo) * g; }

}  // namespace

AttributionResult attribution(std::span<const double> w, const Eigen::Ref<const RowMatrix>& R, double level,
                              AttributionMethod method) {
  const auto n = static_cast<std::size_t>(R.rows()), k = static_cast<std::size_t>(R.cols());
  check::not_empty("factor_returns", n * k);
  if (w.size() != k) {
    check::fail("positions", fmt::format("expected one position per factor ({}), got {}", k, w.size()));
  }
  check::all_finite("positions", w);
  check::all_finite("factor_returns", R);
  check_levels(std::span<const double>(&level, 1), method == AttributionMethod::historical ? n : 0);
  AttributionResult r;
  r.level = level;
  r.method = method;
  r.position.assign(w.begin(), w.end());
  r.marginal_var.assign(k, 0.0);
  r.marginal_es.assign(k, 0.0);
  r.incremental_var.assign(k, 0.0);
  r.incremental_es.assign(k, 0.0);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), static_cast<Eigen::Index>(k));

  if (method == AttributionMethod::normal) {
    check::min_size("factor_returns", n, 2);
    const Eigen::RowVectorXd mean = R.colwise().mean();
    const RowMatrix centred = R.rowwise() - mean;
    const Eigen::MatrixXd C = centred.transpose() * centred / static_cast<double>(n - 1);
    const double sigma = std::sqrt(std::max(wv.dot(C * wv), 0.0));
    if (!(sigma > 0)) check::fail("positions", "the portfolio has zero variance under 'factor_returns': nothing to attribute");
    const boost::math::normal_distribution<double> n01;
    const double z = boost::math::quantile(n01, level), tail = boost::math::pdf(n01, z) / (1 - level);
    const Eigen::VectorXd beta = C * wv / sigma;
    // The sample mean P&L counts, as in var_es(method="normal"), so both give the same portfolio VaR.
    const double drift = mean.dot(wv);
    r.var = -drift + z * sigma;
    r.es = -drift + tail * sigma;
    for (std::size_t i = 0; i < k; ++i) {
      const auto c = static_cast<Eigen::Index>(i);
      r.marginal_var[i] = -mean(c) + z * beta(c);
      r.marginal_es[i] = -mean(c) + tail * beta(c);
    }
    parallel_for_chunks(k, 1, [&](std::size_t, std::size_t i, std::size_t) {
      Eigen::VectorXd without = wv;
      without(static_cast<Eigen::Index>(i)) = 0.0;
      const double s = std::sqrt(std::max(without.dot(C * without), 0.0));
      const double d = mean.dot(without);
      r.incremental_var[i] = r.var - (-d + z * s);
      r.incremental_es[i] = r.es - (-d + tail * s);
    });
  } else {
    const Eigen::VectorXd loss = -(R * wv);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return loss(static_cast<Eigen::Index>(a)) < loss(static_cast<Eigen::Index>(b));
    });
    const double pos = level * static_cast<double>(n - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double g = pos - static_cast<double>(lo);
    const auto s_lo = static_cast<Eigen::Index>(order[lo]), s_hi = static_cast<Eigen::Index>(order[hi]);
    r.var = g == 0.0 ? loss(s_lo) : lerp(loss(s_lo), loss(s_hi), g);
    // The ES scenarios, worst first, with their (fractional) weights.
    const double mass = (1 - level) * static_cast<double>(n);
    std::vector<std::pair<Eigen::Index, double>> tail;
    double taken = 0.0;
    for (std::size_t j = n; j-- > 0 && taken < mass;) {
      const double weight = std::min(1.0, mass - taken);
      tail.emplace_back(static_cast<Eigen::Index>(order[j]), weight);
      taken += weight;
    }
    double es = 0.0;
    for (const auto& [s, weight] : tail) es += weight * loss(s);
    r.es = es / mass;
    for (std::size_t i = 0; i < k; ++i) {
      const auto c = static_cast<Eigen::Index>(i);
      r.marginal_var[i] = g == 0.0 ? -R(s_lo, c) : lerp(-R(s_lo, c), -R(s_hi, c), g);
      double m = 0.0;
      for (const auto& [s, weight] : tail) m += weight * -R(s, c);
      r.marginal_es[i] = m / mass;
    }
    parallel_for_chunks(k, 1, [&](std::size_t, std::size_t i, std::size_t) {
      if (w[i] == 0.0) return;  // closing a zero position changes nothing
      std::vector<double> pnl(n);
      bool any = false;
      for (std::size_t s = 0; s < n; ++s) {
        pnl[s] = -loss(static_cast<Eigen::Index>(s)) - R(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(i)) * w[i];
      }
      for (std::size_t j = 0; j < k; ++j) any = any || (j != i && w[j] != 0.0);
      const auto without = any ? historical_var_es(pnl, std::span<const double>(&level, 1)) : VarEsTable{{level}, {0.0}, {0.0}};
      r.incremental_var[i] = r.var - without.var[0];
      r.incremental_es[i] = r.es - without.es[0];
    });
  }
  r.component_var.resize(k);
  r.component_es.resize(k);
  r.component_var_share.resize(k);
  r.component_es_share.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    r.component_var[i] = w[i] * r.marginal_var[i];
    r.component_es[i] = w[i] * r.marginal_es[i];
    r.component_var_share[i] = r.component_var[i] / r.var;
    r.component_es_share[i] = r.component_es[i] / r.es;
  }
  return r;
}

}  // namespace bankquant::risk
