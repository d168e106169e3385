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

// Places work[k] for each k in needed[k_begin, k_end) (sorted), all inside [begin, end).
void select_range(std::span<double> work, std::size_t begin, std::size_t end, std::span<const std::size_t> needed,
                  std::size_t k_begin, std::size_t k_end) {
  if (k_begin >= k_end) return;
  const std::size_t mid = k_begin + (k_end - k_begin) / 2;
  const auto first = work.begin() + static_cast<std::ptrdiff_t>(begin);
  const auto nth = work.begin() + static_cast<std::ptrdiff_t>(needed[mid]);
  std::nth_element(first, nth, work.begin() + static_cast<std::ptrdiff_t>(end));
  select_range(work, begin, needed[mid], needed, k_begin, mid);
  select_range(work, needed[mid] + 1, end, needed, mid + 1, k_end);
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

void select_order_statistics(std::span<double> work, std::span<const std::size_t> positions) {
  select_range(work, 0, work.size(), positions, 0, positions.size());
}

double quantile_sorted(std::span<const double> sorted_x, double q, QuantileMethod method) {
  const Position p = locate(sorted_x.size(), q, method);
  return value_at(p, sorted_x[p.lo], sorted_x[p.hi]);
}

double quantile(std::span<const double> x, double q, QuantileMethod method) {
  const double qs[] = {q};
  return quantiles(x, qs, method).front();
}

std::vector<double> quantiles(std::span<const double> x, std::span<const double> qs, QuantileMethod method) {
  check::not_empty("x", x.size());
  check::all_finite("x", x);
  for (double q : qs) check::probability("q", q);
  const std::size_t n = x.size();
  std::vector<double> work(x.begin(), x.end());

  std::vector<Position> positions;
  positions.reserve(qs.size());
  std::vector<std::size_t> needed;  // order statistics the quantiles use
  for (double q : qs) {
    positions.push_back(locate(n, q, method));
    needed.push_back(positions.back().lo);
    needed.push_back(positions.back().hi);
  }
  std::sort(needed.begin(), needed.end());
  needed.erase(std::unique(needed.begin(), needed.end()), needed.end());

  // Multi-k selection: place the middle needed order statistic with nth_element, then recurse on
  // the parts left and right of it: O(n log k) for k statistics. A full sort is cheaper for many.
  if (needed.size() > 32) {
    std::sort(work.begin(), work.end());
  } else {
    select_order_statistics(work, needed);
  }
  std::vector<double> out;
  out.reserve(qs.size());
  for (const Position& p : positions) out.push_back(value_at(p, work[p.lo], work[p.hi]));
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
