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
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::stats {

/// numpy.quantile's `method` names (the ones that are not sample-size corrections).
enum class QuantileMethod { linear, lower, higher, midpoint, nearest, inverted_cdf };

[[nodiscard]] BANKQUANT_EXPORT std::string_view to_string(QuantileMethod method);
/// Throws InvalidArgument naming the accepted values.
[[nodiscard]] BANKQUANT_EXPORT QuantileMethod quantile_method_from_string(std::string_view name);

/// The q-quantile (0 <= q <= 1) of x; x need not be sorted. O(n) (selection on a copy).
[[nodiscard]] BANKQUANT_EXPORT double quantile(std::span<const double> x, double q,
                                               QuantileMethod method = QuantileMethod::linear);

/// Several quantiles at once (x sorted once). Output in the order of qs.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> quantiles(std::span<const double> x, std::span<const double> qs,
                                                             QuantileMethod method = QuantileMethod::linear);

/// As quantile(), for x already sorted ascending (not checked beyond a debug assertion).
[[nodiscard]] BANKQUANT_EXPORT double quantile_sorted(std::span<const double> sorted_x, double q,
                                                      QuantileMethod method = QuantileMethod::linear);

/// Rearranges `work` so that work[k] is the k-th smallest value for every k in `positions`
/// (sorted ascending, unique), as std::nth_element does for one: O(n log m) for m positions.
BANKQUANT_EXPORT void select_order_statistics(std::span<double> work, std::span<const std::size_t> positions);

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

/// scipy.stats.rankdata's tie methods.
enum class RankMethod { average, min, max, dense, ordinal };

[[nodiscard]] BANKQUANT_EXPORT std::string_view to_string(RankMethod method);
[[nodiscard]] BANKQUANT_EXPORT RankMethod rank_method_from_string(std::string_view name);

/// 1-based ranks of x, ties resolved by `method`; O(n log n).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> rank(std::span<const double> x,
                                                        RankMethod method = RankMethod::average);

}  // namespace bankquant::stats
