#include "bankquant/risk/stress.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk {

namespace {

void check_window(std::size_t days, std::size_t window, std::size_t n) {
  if (window < 1 || window > days) check::fail("window", fmt::format("expected 1 to {} days, got {}", days, window));
  check::integer_at_least("n", static_cast<std::int64_t>(n), 1);
}

// The n worst non-overlapping windows, greedy from the worst, given each window's P&L.
WorstWindowsResult worst_of(const std::vector<double>& sums, std::size_t window, std::size_t n) {
  const std::size_t m = sums.size();
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

}  // namespace

WorstWindowsResult worst_windows(std::span<const double> daily, std::size_t window, std::size_t n) {
  check::not_empty("factor_returns", daily.size());
  check::all_finite("factor_returns", daily);
  check_window(daily.size(), window, n);
  // Each window sum from its own days (a running sum would drift over thousands of days).
  std::vector<double> sums(daily.size() - window + 1);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    double w = 0.0;
    for (std::size_t j = i; j < i + window; ++j) w += daily[j];
    sums[i] = w;
  }
  return worst_of(sums, window, n);
}

WorstWindowsResult worst_windows(const Eigen::Ref<const RowMatrix>& R, std::span<const double> w, std::size_t window,
                                 std::size_t n) {
  const auto days = static_cast<std::size_t>(R.rows()), k = static_cast<std::size_t>(R.cols());
  check::not_empty("factor_returns", days * k);
  check::all_finite("factor_returns", R);
  if (w.size() != k) check::fail("positions", fmt::format("expected one position per factor ({}), got {}", k, w.size()));
  check::all_finite("positions", w);
  check_window(days, window, n);
  std::vector<double> sums(days - window + 1);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    double pnl = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      double growth = 1.0;
      for (std::size_t t = i; t < i + window; ++t) growth *= 1.0 + R(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(c));
      pnl += w[c] * (growth - 1.0);
    }
    sums[i] = pnl;
  }
  return worst_of(sums, window, n);
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
