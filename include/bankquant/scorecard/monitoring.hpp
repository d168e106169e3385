// bankquant/scorecard/monitoring.hpp — population and characteristic stability (PSI, CSI).
//
// PSI = sum_i (a_i - e_i) ln(a_i / e_i) over bins, with e_i and a_i the shares of the
// development ("expected") and the recent ("actual") sample in bin i. Usual reading (Siddiqi
// 2006): below 0.1 stable, 0.1 to 0.25 a shift worth a look, above 0.25 a significant shift.
// CSI is the same index over a characteristic's bins. An empty bin would make the index infinite:
// its count is replaced by `adjustment` (default 0.5 of an observation) before shares are taken.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::scorecard {

struct StabilityBin {
  double lower = 0.0, upper = 0.0;  ///< [lower, upper) for bins made from a score; unused for counts
  double expected_count = 0.0, actual_count = 0.0;
  double expected_share = 0.0, actual_share = 0.0;
  double contribution = 0.0;        ///< (a - e) ln(a / e)
};

struct StabilityResult {
  double index = 0.0;
  std::vector<StabilityBin> bins;
  std::string flag;  ///< "stable" (< 0.1), "shift" (0.1 to 0.25), "significant shift" (>= 0.25)
};

/// PSI of two samples of a score; bins are `n_bins` quantiles of `expected` (ties kept together).
[[nodiscard]] BANKQUANT_EXPORT StabilityResult population_stability(std::span<const double> expected,
                                                                    std::span<const double> actual,
                                                                    int n_bins = 10, double adjustment = 0.5);

/// PSI/CSI from counts per bin (e.g. a characteristic's bins in two samples).
[[nodiscard]] BANKQUANT_EXPORT StabilityResult stability_from_counts(std::span<const double> expected_counts,
                                                                     std::span<const double> actual_counts,
                                                                     double adjustment = 0.5);

}  // namespace bankquant::scorecard
