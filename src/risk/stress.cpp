#include "bankquant/risk/stress.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk {

WorstWindowsResult worst_windows(std::span<const double> daily, std::size_t window, std::size_t n) {
  check::not_empty("factor_returns", daily.size());
  check::all_finite("factor_returns", daily);
  if (window < 1 || window > daily.size()) {
    check::fail("window", fmt::format("expected 1 to {} days, got {}", daily.size(), window));
  }
  check::integer_at_least("n", static_cast<std::int64_t>(n), 1);
  const std::size_t m = daily.size() - window + 1;
  std::vector<double> sums(m);
  double s = 0.0;
  for (std::size_t i = 0; i < window; ++i) s += daily[i];
  sums[0] = s;
  // Each window sum recomputed from its own days (a running sum would drift over thousands of days).
  for (std::size_t i = 1; i < m; ++i) {
    double w = 0.0;
    for (std::size_t j = i; j < i + window; ++j) w += daily[j];
    sums[i] = w;
  }
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sums[a] < sums[b]; });
  std::vector<char> taken(m, 0);
  WorstWindowsResult r;
  for (std::size_t start : order) {
    if (r.start.size() == n) break;
    const std::size_t lo = start + 1 >= window ? start + 1 - window : 0, hi = std::min(m, start + window);
    if (std::any_of(taken.begin() + static_cast<std::ptrdiff_t>(lo), taken.begin() + static_cast<std::ptrdiff_t>(hi),
                    [](char t) { return t != 0; })) {
      continue;
    }
    taken[start] = 1;
    r.start.push_back(start);
    r.pnl.push_back(sums[start]);
  }
  return r;
}

std::vector<double> compound_moves(const Eigen::Ref<const RowMatrix>& R) {
  check::not_empty("factor_returns", static_cast<std::size_t>(R.size()));
  check::all_finite("factor_returns", R);
  std::vector<double> out(static_cast<std::size_t>(R.cols()), 1.0);
  for (Eigen::Index i = 0; i < R.rows(); ++i) {
    for (Eigen::Index j = 0; j < R.cols(); ++j) out[static_cast<std::size_t>(j)] *= 1 + R(i, j);
  }
  for (double& v : out) v -= 1;
  return out;
}

ReverseStressResult reverse_stress(std::span<const double> w, const Eigen::Ref<const Eigen::MatrixXd>& C, double loss) {
  check::not_empty("positions", w.size());
  check::all_finite("positions", w);
  check::shape("cov", C.rows(), C.cols(), static_cast<Eigen::Index>(w.size()), static_cast<Eigen::Index>(w.size()));
  check::all_finite("cov", C);
  check::positive("loss", loss);
  check::finite("loss", loss);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), static_cast<Eigen::Index>(w.size()));
  const Eigen::VectorXd Cw = C * wv;
  const double variance = wv.dot(Cw);
  if (!(variance > 0)) check::fail("cov", "the portfolio has zero variance under it: no shock produces a loss");
  ReverseStressResult r;
  const Eigen::VectorXd shock = -loss * Cw / variance;
  r.shock.assign(shock.data(), shock.data() + shock.size());
  r.distance = loss / std::sqrt(variance);
  r.probability = boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), r.distance));
  r.pnl = wv.dot(shock);
  return r;
}

}  // namespace bankquant::risk
