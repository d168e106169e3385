#include "bankquant/core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::stats {
namespace {

constexpr std::string_view kQuantileNames[] = {"linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"};
constexpr std::string_view kRankNames[] = {"average", "min", "max", "dense", "ordinal"};

// numpy's _lerp: a + (b - a) t, computed from the nearer end for t >= 0.5 (monotone, exact at 1).
double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// Where a quantile sits among n sorted values: x[lo] + gamma (x[hi] - x[lo]), as numpy computes it.
struct Position {
  std::size_t lo;
  std::size_t hi;
  double gamma;
};

Position locate(std::size_t n, double q, QuantileMethod method) {
  const double last = static_cast<double>(n - 1);
  auto clamp_index = [&](double v) {
    if (v <= 0.0) return std::size_t{0};
    if (v >= last) return n - 1;
    return static_cast<std::size_t>(v);
  };
  const double v = last * q;
  switch (method) {
    case QuantileMethod::lower: {
      const std::size_t i = clamp_index(std::floor(v));
      return {i, i, 0.0};
    }
    case QuantileMethod::higher: {
      const std::size_t i = clamp_index(std::ceil(v));
      return {i, i, 0.0};
    }
    case QuantileMethod::nearest: {
      const std::size_t i = clamp_index(std::nearbyint(v));  // round half to even, as np.around
      return {i, i, 0.0};
    }
    case QuantileMethod::inverted_cdf: {
      const std::size_t i = clamp_index(std::ceil(static_cast<double>(n) * q - 1.0));
      return {i, i, 0.0};
    }
    case QuantileMethod::midpoint: {
      const double lo = std::floor(v);
      if (v >= last) return {n - 1, n - 1, 0.0};
      const std::size_t i = clamp_index(lo);
      return {i, std::min(i + 1, n - 1), lo == v ? 0.0 : 0.5};
    }
    case QuantileMethod::linear:
    default: {
      if (v >= last) return {n - 1, n - 1, 0.0};
      const double lo = std::floor(v);
      const std::size_t i = clamp_index(lo);
      return {i, i + 1, v - lo};
    }
  }
}

double value_at(const Position& p, double x_lo, double x_hi) { return p.gamma == 0.0 ? x_lo : lerp(x_lo, x_hi, p.gamma); }

void check_quantile_inputs(std::span<const double> x, double q) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  check::probability("q", q);
}

}  // namespace

std::string_view to_string(QuantileMethod method) { return kQuantileNames[static_cast<int>(method)]; }

QuantileMethod quantile_method_from_string(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kQuantileNames); ++i) {
    if (kQuantileNames[i] == name) return static_cast<QuantileMethod>(i);
  }
  check::fail("method", fmt::format("expected one of {}, got '{}'", fmt::join(kQuantileNames, ", "), name));
}

std::string_view to_string(RankMethod method) { return kRankNames[static_cast<int>(method)]; }

RankMethod rank_method_from_string(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kRankNames); ++i) {
    if (kRankNames[i] == name) return static_cast<RankMethod>(i);
  }
  check::fail("method", fmt::format("expected one of {}, got '{}'", fmt::join(kRankNames, ", "), name));
}

double quantile_sorted(std::span<const double> sorted_x, double q, QuantileMethod method) {
  const Position p = locate(sorted_x.size(), q, method);
  return value_at(p, sorted_x[p.lo], sorted_x[p.hi]);
}

double quantile(std::span<const double> x, double q, QuantileMethod method) {
  check_quantile_inputs(x, q);
  std::vector<double> work(x.begin(), x.end());
  const Position p = locate(work.size(), q, method);
  std::nth_element(work.begin(), work.begin() + static_cast<std::ptrdiff_t>(p.lo), work.end());
  const double x_lo = work[p.lo];
  double x_hi = x_lo;
  if (p.hi != p.lo) x_hi = *std::min_element(work.begin() + static_cast<std::ptrdiff_t>(p.lo) + 1, work.end());
  return value_at(p, x_lo, x_hi);
}

std::vector<double> quantiles(std::span<const double> x, std::span<const double> qs, QuantileMethod method) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  for (double q : qs) check::probability("q", q);
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) out.push_back(quantile_sorted(sorted, q, method));
  return out;
}

std::vector<double> weighted_quantiles(std::span<const double> x, std::span<const double> weights,
                                       std::span<const double> qs) {
  check::not_empty("x", x.size());
  check::same_size("x", x.size(), "weights", weights.size());
  check::all_finite("x", x);
  check::all_non_negative("weights", weights);
  check::all_finite("weights", weights);
  for (double q : qs) check::probability("q", q);

  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> cumulative(x.size());
  double total = 0.0;
  for (std::size_t i = 0; i < order.size(); ++i) cumulative[i] = (total += weights[order[i]]);
  if (!(total > 0.0)) check::fail("weights", "expected a positive sum of weights, got 0");
  for (double& c : cumulative) c /= total;  // as numpy: the normalised CDF, then searchsorted(left)

  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) {
    auto it = std::lower_bound(cumulative.begin(), cumulative.end(), q);
    std::size_t i = static_cast<std::size_t>(it - cumulative.begin());
    if (i >= order.size()) i = order.size() - 1;
    out.push_back(x[order[i]]);
  }
  return out;
}

double weighted_quantile(std::span<const double> x, std::span<const double> weights, double q) {
  const double qs[] = {q};
  return weighted_quantiles(x, weights, qs).front();
}

std::vector<double> rank(std::span<const double> x, RankMethod method) {
  check::all_finite("x", x);
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> ranks(n);
  std::size_t dense = 0;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && x[order[end]] == x[order[start]]) ++end;
    ++dense;
    for (std::size_t k = start; k < end; ++k) {
      double r = 0.0;
      switch (method) {
        case RankMethod::average: r = 0.5 * static_cast<double>(start + 1 + end); break;
        case RankMethod::min: r = static_cast<double>(start + 1); break;
        case RankMethod::max: r = static_cast<double>(end); break;
        case RankMethod::dense: r = static_cast<double>(dense); break;
        case RankMethod::ordinal: r = static_cast<double>(k + 1); break;
      }
      ranks[order[k]] = r;
    }
    start = end;
  }
  return ranks;
}

}  // namespace bankquant::stats
