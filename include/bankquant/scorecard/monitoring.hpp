// bankquant/scorecard/monitoring.hpp — stability and performance of a scorecard over time.
//
// PSI = sum_i (a_i - e_i) ln(a_i / e_i) over bins, with e_i and a_i the shares of the
// development ("expected") and the recent ("actual") sample in bin i. Usual reading (Siddiqi
// 2006): below 0.1 stable, 0.1 to 0.25 a shift worth a look, above 0.25 a significant shift.
// CSI is the same index over a characteristic's bins. A bin empty in one sample would make the
// index infinite: its count is replaced by `adjustment` (0.5 of an observation) before shares are
// taken. A bin empty in both samples cannot shift and is left out (it would otherwise add a
// phantom term whenever the samples differ in size).
//
// Over time: the same indices for each period of a monitoring sample (period codes 0..P-1).
//
// Per-bin event-rate tests (optbinning's ScorecardMonitoring idea): for each bin, is the event
// rate of the monitoring sample the one seen at development? Binary target: Pearson's
// chi-square on the 2x2 table (no continuity correction), or Fisher's exact test when an
// expected cell count is below 5; continuous target: Welch's t test of the means. A bin whose p
// value is below `alpha` is flagged. Counts are rescaled to observations, so p values do not
// depend on the scale of sample weights. O(n) per characteristic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"

namespace bankquant::scorecard {

enum class StabilityFlag { stable, shift, significant_shift };
BANKQUANT_ENUM_NAMES(StabilityFlag, {stable, "stable"}, {shift, "shift"}, {significant_shift, "significant shift"})

struct StabilityOptions {
  int bins = 10;
  double adjustment = 0.5;
  double shift = 0.1;
  double significant_shift = 0.25;
  void validate() const;
  static constexpr auto fields() {
    using O = StabilityOptions;
    return std::tuple{field("bins", &O::bins, "quantile bins of the expected score (deciles)"),
                      field("adjustment", &O::adjustment, "observations put in a bin empty in one sample"),
                      field("shift", &O::shift, "index from which a shift is flagged (Siddiqi 2006: 0.1)"),
                      field("significant_shift", &O::significant_shift, "index of a significant shift (0.25)")};
  }
};

struct StabilityBin {
  double lower = 0.0, upper = 0.0;  ///< [lower, upper) for bins made from a score
  double expected_count = 0.0, actual_count = 0.0;
  double expected_share = 0.0, actual_share = 0.0;
  double contribution = 0.0;        ///< (a - e) ln(a / e); 0 for a bin empty in both
  static constexpr auto fields() {
    using B = StabilityBin;
    return std::tuple{field("lower", &B::lower, "lower edge (score bins)"), field("upper", &B::upper, "upper edge"),
                      field("expected_count", &B::expected_count, "count in the development sample"),
                      field("actual_count", &B::actual_count, "count in the recent sample"),
                      field("expected_share", &B::expected_share, "share in the development sample"),
                      field("actual_share", &B::actual_share, "share in the recent sample"),
                      field("contribution", &B::contribution, "(a - e) ln(a / e)")};
  }
};

struct StabilityResult {
  double index = 0.0;
  std::vector<StabilityBin> bins;
  StabilityFlag flag = StabilityFlag::stable;
  std::size_t largest_shift_bin = 0;  ///< the bin contributing most
  static constexpr auto fields() {
    using R = StabilityResult;
    return std::tuple{field("index", &R::index, "PSI or CSI"), field("bins", &R::bins, "per bin"),
                      field("flag", &R::flag, "stable, shift or significant shift"),
                      field("largest_shift_bin", &R::largest_shift_bin, "index of the bin contributing most")};
  }
};

/// PSI of two samples of a score; bins are `bins` quantiles of `expected` (ties kept together).
[[nodiscard]] BANKQUANT_EXPORT StabilityResult population_stability(std::span<const double> expected,
                                                                    std::span<const double> actual,
                                                                    const StabilityOptions& options = {});

/// PSI/CSI from counts per bin (e.g. a characteristic's bins in two samples).
[[nodiscard]] BANKQUANT_EXPORT StabilityResult stability_from_counts(std::span<const double> expected_counts,
                                                                     std::span<const double> actual_counts,
                                                                     const StabilityOptions& options = {});

/// CSI of a characteristic from the bin index of each row of both samples (-1: unseen, left out).
[[nodiscard]] BANKQUANT_EXPORT StabilityResult characteristic_stability(const VariableBinning& binning,
                                                                        std::span<const std::int32_t> expected_bins,
                                                                        std::span<const std::int32_t> actual_bins,
                                                                        const StabilityOptions& options = {});

/// PSI of each period of the actual sample (period[i] in 0..n_periods-1) against expected; the
/// bins are those of population_stability on the whole expected sample.
[[nodiscard]] BANKQUANT_EXPORT std::vector<StabilityResult> population_stability_by_period(
    std::span<const double> expected, std::span<const double> actual, std::span<const std::int32_t> period,
    int n_periods, const StabilityOptions& options = {});

/// CSI of each period, from bin indices.
[[nodiscard]] BANKQUANT_EXPORT std::vector<StabilityResult> characteristic_stability_by_period(
    const VariableBinning& binning, std::span<const std::int32_t> expected_bins,
    std::span<const std::int32_t> actual_bins, std::span<const std::int32_t> period, int n_periods,
    const StabilityOptions& options = {});

enum class BinTestMethod { chi_square, fisher_exact, welch_t };
BANKQUANT_ENUM_NAMES(BinTestMethod, {chi_square, "chi_square"}, {fisher_exact, "fisher_exact"}, {welch_t, "welch_t"})

struct EventRateTestOptions {
  double alpha = 0.05;
  double min_expected = 5.0;  ///< below this expected cell count, Fisher's exact test (Cochran's rule)
  void validate() const;
  static constexpr auto fields() {
    using O = EventRateTestOptions;
    return std::tuple{field("alpha", &O::alpha, "a bin is flagged when its p value is below this"),
                      field("min_expected", &O::min_expected,
                            "Fisher's exact test when an expected 2x2 cell is below this (Cochran's rule: 5)")};
  }
};

struct BinEventRateTest {
  std::size_t bin = 0;
  double expected_count = 0.0, actual_count = 0.0;
  double expected_rate = 0.0, actual_rate = 0.0;  ///< event rates (means for a continuous target)
  BinTestMethod method = BinTestMethod::chi_square;
  double statistic = 0.0;
  double p_value = 1.0;
  bool significant = false;
  static constexpr auto fields() {
    using T = BinEventRateTest;
    return std::tuple{field("bin", &T::bin, "index of the bin"),
                      field("expected_count", &T::expected_count, "development sample count"),
                      field("actual_count", &T::actual_count, "monitoring sample count"),
                      field("expected_rate", &T::expected_rate, "development event rate (or mean)"),
                      field("actual_rate", &T::actual_rate, "monitoring event rate (or mean)"),
                      field("method", &T::method, "chi_square, fisher_exact or welch_t"),
                      field("statistic", &T::statistic, "chi-square or t statistic (NaN for Fisher's test)"),
                      field("p_value", &T::p_value, "of equal rates"),
                      field("significant", &T::significant, "p value below alpha")};
  }
};

struct EventRateTestResult {
  std::vector<BinEventRateTest> bins;
  std::size_t n_significant = 0;
  static constexpr auto fields() {
    return std::tuple{field("bins", &EventRateTestResult::bins, "one test per bin with data in both samples"),
                      field("n_significant", &EventRateTestResult::n_significant, "bins flagged")};
  }
};

/// Tests each bin's event rate between the development and the monitoring sample.
[[nodiscard]] BANKQUANT_EXPORT EventRateTestResult event_rate_tests(
    const VariableBinning& binning, std::span<const std::int32_t> expected_bins, std::span<const double> expected_y,
    std::span<const double> expected_weights, std::span<const std::int32_t> actual_bins,
    std::span<const double> actual_y, std::span<const double> actual_weights,
    const EventRateTestOptions& options = {});

}  // namespace bankquant::scorecard
