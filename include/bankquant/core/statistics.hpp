// bankquant/core/statistics.hpp — statistics helpers the modules share.
//
//   quantile / quantiles      numpy's definitions (default "linear", numpy's default, Hyndman &
//                             Fan type 7), so results equal numpy.quantile to the last bit
//   weighted_quantile(s)      inverted-CDF definition with weights (numpy >= 2.0 `weights=`):
//                             the smallest x whose cumulative weight share reaches q
//   RunningMoments            Welford's streaming mean/variance, mergeable (Chan et al. 1979),
//                             so per-chunk moments combine in parallel code
//   rank                      ranks with ties, scipy.stats.rankdata's five methods
//
// NaN inputs are rejected (InvalidArgument) rather than propagated.
//
// The selection and ranking kernels are templates over the scalar type (float or double) and
// accept any contiguous range (std::vector, std::span, std::array, Eigen maps via span): a C++
// caller with float data gains from instantiating them without converting to double. They are
// declared here, defined in statistics_impl.hpp (ensmallen's form), and explicitly instantiated
// for float and double in src/core/statistics.cpp, so other translation units do not recompile them.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/export.hpp"

namespace bankquant::stats {

/// numpy.quantile's `method` names (the ones that are not sample-size corrections).
enum class QuantileMethod { linear, lower, higher, midpoint, nearest, inverted_cdf };
BANKQUANT_ENUM_NAMES(QuantileMethod, {linear, "linear"}, {lower, "lower"}, {higher, "higher"}, {midpoint, "midpoint"},
                     {nearest, "nearest"}, {inverted_cdf, "inverted_cdf"})

/// scipy.stats.rankdata's tie methods.
enum class RankMethod { average, min, max, dense, ordinal };
BANKQUANT_ENUM_NAMES(RankMethod, {average, "average"}, {min, "min"}, {max, "max"}, {dense, "dense"},
                     {ordinal, "ordinal"})

/// A contiguous range of float or double (std::vector, std::span, std::array, ...).
template <typename R>
concept FloatingRange = std::ranges::contiguous_range<R> &&
                        std::floating_point<std::remove_cv_t<std::ranges::range_value_t<R>>>;

template <FloatingRange R>
using range_scalar_t = std::remove_cv_t<std::ranges::range_value_t<R>>;

/// The q-quantile (0 <= q <= 1) of x; x need not be sorted. O(n) (selection on a copy).
template <std::floating_point T>
[[nodiscard]] T quantile(std::span<const T> x, double q, QuantileMethod method = QuantileMethod::linear);

/// Several quantiles at once (x sorted once). Output in the order of qs.
template <std::floating_point T>
[[nodiscard]] std::vector<T> quantiles(std::span<const T> x, std::span<const double> qs,
                                       QuantileMethod method = QuantileMethod::linear);

/// As quantile(), for x already sorted ascending (not checked beyond a debug assertion).
template <std::floating_point T>
[[nodiscard]] T quantile_sorted(std::span<const T> sorted_x, double q, QuantileMethod method = QuantileMethod::linear);

/// Rearranges `work` so that work[k] is the k-th smallest value for every k in `positions`
/// (sorted ascending, unique), as std::nth_element does for one: O(n log m) for m positions.
template <std::floating_point T>
void select_order_statistics(std::span<T> work, std::span<const std::size_t> positions);

/// 1-based ranks of x, ties resolved by `method`; O(n log n).
template <std::floating_point T>
[[nodiscard]] std::vector<double> rank(std::span<const T> x, RankMethod method = RankMethod::average);

// The same for any contiguous range of float or double.
template <FloatingRange R>
[[nodiscard]] auto quantile(const R& x, double q, QuantileMethod method = QuantileMethod::linear) {
  return quantile(std::span<const range_scalar_t<R>>(std::ranges::data(x), std::ranges::size(x)), q, method);
}
template <FloatingRange R>
[[nodiscard]] auto quantiles(const R& x, std::span<const double> qs, QuantileMethod method = QuantileMethod::linear) {
  return quantiles(std::span<const range_scalar_t<R>>(std::ranges::data(x), std::ranges::size(x)), qs, method);
}
template <FloatingRange R>
[[nodiscard]] auto quantile_sorted(const R& x, double q, QuantileMethod method = QuantileMethod::linear) {
  return quantile_sorted(std::span<const range_scalar_t<R>>(std::ranges::data(x), std::ranges::size(x)), q, method);
}
template <FloatingRange R>
  requires(!std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<R>>>)
void select_order_statistics(R& work, std::span<const std::size_t> positions) {
  select_order_statistics(std::span<range_scalar_t<R>>(std::ranges::data(work), std::ranges::size(work)), positions);
}
template <FloatingRange R>
[[nodiscard]] std::vector<double> rank(const R& x, RankMethod method = RankMethod::average) {
  return rank(std::span<const range_scalar_t<R>>(std::ranges::data(x), std::ranges::size(x)), method);
}

/// Weighted quantile, inverted-CDF definition; weights non-negative with a positive sum.
[[nodiscard]] BANKQUANT_EXPORT double weighted_quantile(std::span<const double> x, std::span<const double> weights,
                                                        double q);

[[nodiscard]] BANKQUANT_EXPORT std::vector<double> weighted_quantiles(std::span<const double> x,
                                                                      std::span<const double> weights,
                                                                      std::span<const double> qs);

/// Streaming mean and variance (Welford 1962); merge() combines two summaries (Chan, Golub and
/// LeVeque 1979) with no loss beyond rounding, so chunked parallel code can use it.
class RunningMoments {
 public:
  RunningMoments() = default;

  /// Rebuilds a summary from its parts (count, mean, sum of squared deviations m2, min, max), as
  /// stored by pickling or sent between Dask workers.
  static RunningMoments from_parts(std::size_t count, double mean, double m2, double min, double max) noexcept {
    RunningMoments r;
    r.count_ = count;
    r.mean_ = mean;
    r.m2_ = m2;
    r.min_ = min;
    r.max_ = max;
    return r;
  }

  void add(double x) noexcept {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
    if (x < min_) min_ = x;
    if (x > max_) max_ = x;
  }

  void merge(const RunningMoments& other) noexcept {
    if (other.count_ == 0) return;
    if (count_ == 0) {
      *this = other;
      return;
    }
    const double n_a = static_cast<double>(count_);
    const double n_b = static_cast<double>(other.count_);
    const double n = n_a + n_b;
    const double delta = other.mean_ - mean_;
    mean_ += delta * n_b / n;
    m2_ += other.m2_ + delta * delta * n_a * n_b / n;
    count_ += other.count_;
    if (other.min_ < min_) min_ = other.min_;
    if (other.max_ > max_) max_ = other.max_;
  }

  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  /// Sum of squared deviations from the mean.
  [[nodiscard]] double m2() const noexcept { return m2_; }
  [[nodiscard]] double mean() const noexcept { return count_ ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
  /// Variance with `ddof` delta degrees of freedom (0: population, 1: sample); NaN if count <= ddof.
  [[nodiscard]] double variance(int ddof = 1) const noexcept {
    const auto dof = static_cast<double>(count_) - ddof;
    return dof > 0 ? m2_ / dof : std::numeric_limits<double>::quiet_NaN();
  }
  [[nodiscard]] double stddev(int ddof = 1) const noexcept { return std::sqrt(variance(ddof)); }
  [[nodiscard]] double min() const noexcept { return count_ ? min_ : std::numeric_limits<double>::quiet_NaN(); }
  [[nodiscard]] double max() const noexcept { return count_ ? max_ : std::numeric_limits<double>::quiet_NaN(); }

 private:
  std::size_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace bankquant::stats

#define BANKQUANT_INSIDE_STATISTICS_HPP
#include "bankquant/core/statistics_impl.hpp"
#undef BANKQUANT_INSIDE_STATISTICS_HPP
