#include "bankquant/scorecard/monitoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::scorecard {

StabilityResult stability_from_counts(std::span<const double> expected_counts, std::span<const double> actual_counts,
                                      double adjustment) {
  check::not_empty("expected_counts", expected_counts.size());
  check::same_size("expected_counts", expected_counts.size(), "actual_counts", actual_counts.size());
  check::all_finite("expected_counts", expected_counts);
  check::all_finite("actual_counts", actual_counts);
  check::all_non_negative("expected_counts", expected_counts);
  check::all_non_negative("actual_counts", actual_counts);
  check::positive("adjustment", adjustment);
  double te = 0, ta = 0;
  for (std::size_t i = 0; i < expected_counts.size(); ++i) {
    te += expected_counts[i] > 0 ? expected_counts[i] : adjustment;
    ta += actual_counts[i] > 0 ? actual_counts[i] : adjustment;
  }
  StabilityResult r;
  for (std::size_t i = 0; i < expected_counts.size(); ++i) {
    StabilityBin b;
    b.expected_count = expected_counts[i];
    b.actual_count = actual_counts[i];
    b.expected_share = (b.expected_count > 0 ? b.expected_count : adjustment) / te;
    b.actual_share = (b.actual_count > 0 ? b.actual_count : adjustment) / ta;
    b.contribution = (b.actual_share - b.expected_share) * std::log(b.actual_share / b.expected_share);
    r.index += b.contribution;
    r.bins.push_back(b);
  }
  r.flag = r.index < 0.1 ? "stable" : r.index < 0.25 ? "shift" : "significant shift";
  return r;
}

StabilityResult population_stability(std::span<const double> expected, std::span<const double> actual, int n_bins,
                                     double adjustment) {
  check::not_empty("expected", expected.size());
  check::not_empty("actual", actual.size());
  check::all_finite("expected", expected);
  check::all_finite("actual", actual);
  check::integer_at_least("bins", n_bins, 2);
  std::vector<double> sorted(expected.begin(), expected.end());
  std::sort(sorted.begin(), sorted.end());
  // Cuts at the expected sample's quantiles; a cut is a value that starts a bin, so ties stay together.
  std::vector<double> cuts;
  for (int k = 1; k < n_bins; ++k) {
    const auto pos = static_cast<std::size_t>(static_cast<double>(k) * sorted.size() / n_bins);
    const auto it = std::upper_bound(sorted.begin(), sorted.end(), sorted[std::min(pos, sorted.size() - 1)]);
    if (it != sorted.end()) cuts.push_back(*it);
  }
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const std::size_t bins = cuts.size() + 1;
  std::vector<double> e(bins, 0.0), a(bins, 0.0);
  auto bin_of = [&](double v) { return static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), v) - cuts.begin()); };
  for (double v : expected) e[bin_of(v)] += 1.0;
  for (double v : actual) a[bin_of(v)] += 1.0;
  StabilityResult r = stability_from_counts(e, a, adjustment);
  for (std::size_t i = 0; i < bins; ++i) {
    r.bins[i].lower = i == 0 ? -std::numeric_limits<double>::infinity() : cuts[i - 1];
    r.bins[i].upper = i + 1 == bins ? std::numeric_limits<double>::infinity() : cuts[i];
  }
  return r;
}

}  // namespace bankquant::scorecard
