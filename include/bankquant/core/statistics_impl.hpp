// bankquant/core/statistics_impl.hpp — template bodies of statistics.hpp (include that header).
#pragma once

#ifndef BANKQUANT_INSIDE_STATISTICS_HPP
#error "include bankquant/core/statistics.hpp, not its _impl.hpp"
#endif

#include <algorithm>
#include <numeric>

#include "bankquant/core/check.hpp"

namespace bankquant::stats {
namespace detail {

// numpy's _lerp: a + (b - a) t, computed from the nearer end for t >= 0.5 (monotone, exact at 1).
template <typename T>
T lerp(T a, T b, double t) {
  const T diff = b - a;
  return t >= 0.5 ? static_cast<T>(b - diff * (1.0 - t)) : static_cast<T>(a + diff * t);
}

// Where a quantile sits among n sorted values: x[lo] + gamma (x[hi] - x[lo]), as numpy computes it.
struct Position {
  std::size_t lo;
  std::size_t hi;
  double gamma;
};

inline Position locate(std::size_t n, double q, QuantileMethod method) {
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

template <typename T>
T value_at(const Position& p, T x_lo, T x_hi) {
  return p.gamma == 0.0 ? x_lo : lerp(x_lo, x_hi, p.gamma);
}

// Places work[k] for each k in needed[k_begin, k_end) (sorted), all inside [begin, end).
template <typename T>
void select_range(std::span<T> work, std::size_t begin, std::size_t end, std::span<const std::size_t> needed,
                  std::size_t k_begin, std::size_t k_end) {
  if (k_begin >= k_end) return;
  const std::size_t mid = k_begin + (k_end - k_begin) / 2;
  const auto first = work.begin() + static_cast<std::ptrdiff_t>(begin);
  const auto nth = work.begin() + static_cast<std::ptrdiff_t>(needed[mid]);
  std::nth_element(first, nth, work.begin() + static_cast<std::ptrdiff_t>(end));
  select_range(work, begin, needed[mid], needed, k_begin, mid);
  select_range(work, needed[mid] + 1, end, needed, mid + 1, k_end);
}

template <typename T>
void check_finite(std::string_view name, std::span<const T> x) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      check::fail(name, fmt::format("expected finite values, found {} at index {}", static_cast<double>(x[i]), i));
    }
  }
}

}  // namespace detail

template <std::floating_point T>
void select_order_statistics(std::span<T> work, std::span<const std::size_t> positions) {
  detail::select_range(work, 0, work.size(), positions, 0, positions.size());
}

template <std::floating_point T>
T quantile_sorted(std::span<const T> sorted_x, double q, QuantileMethod method) {
  const detail::Position p = detail::locate(sorted_x.size(), q, method);
  return detail::value_at(p, sorted_x[p.lo], sorted_x[p.hi]);
}

template <std::floating_point T>
std::vector<T> quantiles(std::span<const T> x, std::span<const double> qs, QuantileMethod method) {
  check::not_empty("x", x.size());
  detail::check_finite("x", x);
  for (double q : qs) check::probability("q", q);
  const std::size_t n = x.size();
  std::vector<T> work(x.begin(), x.end());

  std::vector<detail::Position> positions;
  positions.reserve(qs.size());
  std::vector<std::size_t> needed;  // order statistics the quantiles use
  for (double q : qs) {
    positions.push_back(detail::locate(n, q, method));
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
    select_order_statistics(std::span<T>(work), std::span<const std::size_t>(needed));
  }
  std::vector<T> out;
  out.reserve(qs.size());
  for (const detail::Position& p : positions) out.push_back(detail::value_at(p, work[p.lo], work[p.hi]));
  return out;
}

template <std::floating_point T>
T quantile(std::span<const T> x, double q, QuantileMethod method) {
  const double qs[] = {q};
  return quantiles(x, std::span<const double>(qs), method).front();
}

template <std::floating_point T>
std::vector<double> rank(std::span<const T> x, RankMethod method) {
  detail::check_finite("x", x);
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

// Compiled once, in src/core/statistics.cpp, for the types the library and its bindings use.
#define BANKQUANT_STATISTICS_INSTANTIATIONS(EXTERN, T)                                                         \
  EXTERN template BANKQUANT_EXPORT T quantile<T>(std::span<const T>, double, QuantileMethod);                \
  EXTERN template BANKQUANT_EXPORT std::vector<T> quantiles<T>(std::span<const T>, std::span<const double>,  \
                                                               QuantileMethod);                              \
  EXTERN template BANKQUANT_EXPORT T quantile_sorted<T>(std::span<const T>, double, QuantileMethod);         \
  EXTERN template BANKQUANT_EXPORT void select_order_statistics<T>(std::span<T>, std::span<const std::size_t>); \
  EXTERN template BANKQUANT_EXPORT std::vector<double> rank<T>(std::span<const T>, RankMethod);

#ifndef BANKQUANT_STATISTICS_INSTANTIATE
BANKQUANT_STATISTICS_INSTANTIATIONS(extern, float)
BANKQUANT_STATISTICS_INSTANTIATIONS(extern, double)
#endif

}  // namespace bankquant::stats
