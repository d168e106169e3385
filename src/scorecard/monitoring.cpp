#include "bankquant/scorecard/monitoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "hypothesis.hpp"

namespace bankquant::scorecard {
namespace {

std::vector<double> score_cuts(std::span<const double> expected, int n_bins) {
  std::vector<double> sorted(expected.begin(), expected.end());
  std::sort(sorted.begin(), sorted.end());
  // Cuts at the expected sample's quantiles; a cut is a value that starts a bin, so ties stay together.
  std::vector<double> cuts;
  for (int k = 1; k < n_bins; ++k) {
    const auto pos = static_cast<std::size_t>(static_cast<double>(k) * static_cast<double>(sorted.size()) / n_bins);
    const auto it = std::upper_bound(sorted.begin(), sorted.end(), sorted[std::min(pos, sorted.size() - 1)]);
    if (it != sorted.end()) cuts.push_back(*it);
  }
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

std::size_t score_bin(const std::vector<double>& cuts, double v) {
  return static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), v) - cuts.begin());
}

void set_edges(StabilityResult& r, const std::vector<double>& cuts) {
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < r.bins.size(); ++i) {
    r.bins[i].lower = i == 0 ? -inf : cuts[i - 1];
    r.bins[i].upper = i + 1 == r.bins.size() ? inf : cuts[i];
  }
}

void check_bins(std::string_view name, std::span<const std::int32_t> bins, std::size_t n_bins) {
  for (std::size_t i = 0; i < bins.size(); ++i) {
    if (bins[i] < -1 || bins[i] >= static_cast<std::int32_t>(n_bins)) {
      check::fail(name, fmt::format("bin index {} at row {} is outside [-1, {})", bins[i], i, n_bins));
    }
  }
}

std::vector<double> count_bins(std::span<const std::int32_t> bins, std::size_t n_bins) {
  std::vector<double> out(n_bins, 0.0);
  for (std::int32_t b : bins) {
    if (b >= 0) out[static_cast<std::size_t>(b)] += 1.0;
  }
  return out;
}

}  // namespace

void StabilityOptions::validate() const {
  check::integer_at_least("bins", bins, 2);
  check::positive("adjustment", adjustment);
  check::finite("adjustment", adjustment);
  check::positive("shift", shift);
  if (!(significant_shift >= shift) || !std::isfinite(significant_shift)) {
    check::fail("significant_shift", fmt::format("expected a finite number >= shift ({}), got {}", shift, significant_shift));
  }
}

StabilityResult stability_from_counts(std::span<const double> expected_counts, std::span<const double> actual_counts,
                                      const StabilityOptions& o) {
  o.validate();
  check::not_empty("expected_counts", expected_counts.size());
  check::same_size("expected_counts", expected_counts.size(), "actual_counts", actual_counts.size());
  check::all_finite("expected_counts", expected_counts);
  check::all_finite("actual_counts", actual_counts);
  check::all_non_negative("expected_counts", expected_counts);
  check::all_non_negative("actual_counts", actual_counts);
  double te = 0, ta = 0;
  for (std::size_t i = 0; i < expected_counts.size(); ++i) {
    if (expected_counts[i] <= 0 && actual_counts[i] <= 0) continue;  // empty in both: cannot shift
    te += expected_counts[i] > 0 ? expected_counts[i] : o.adjustment;
    ta += actual_counts[i] > 0 ? actual_counts[i] : o.adjustment;
  }
  if (!(te > 0) || !(ta > 0)) check::fail("actual_counts", "expected observations in both samples");
  StabilityResult r;
  double largest = -1.0;
  for (std::size_t i = 0; i < expected_counts.size(); ++i) {
    StabilityBin b;
    b.expected_count = expected_counts[i];
    b.actual_count = actual_counts[i];
    if (b.expected_count > 0 || b.actual_count > 0) {
      b.expected_share = (b.expected_count > 0 ? b.expected_count : o.adjustment) / te;
      b.actual_share = (b.actual_count > 0 ? b.actual_count : o.adjustment) / ta;
      b.contribution = (b.actual_share - b.expected_share) * std::log(b.actual_share / b.expected_share);
      if (b.contribution > largest) {
        largest = b.contribution;
        r.largest_shift_bin = i;
      }
    }
    r.index += b.contribution;
    r.bins.push_back(b);
  }
  r.flag = r.index < o.shift ? StabilityFlag::stable
           : r.index < o.significant_shift ? StabilityFlag::shift
                                           : StabilityFlag::significant_shift;
  return r;
}

StabilityResult population_stability(std::span<const double> expected, std::span<const double> actual,
                                     const StabilityOptions& o) {
  o.validate();
  check::not_empty("expected", expected.size());
  check::not_empty("actual", actual.size());
  check::all_finite("expected", expected);
  check::all_finite("actual", actual);
  const auto cuts = score_cuts(expected, o.bins);
  const std::size_t bins = cuts.size() + 1;
  std::vector<double> e(bins, 0.0), a(bins, 0.0);
  for (double v : expected) e[score_bin(cuts, v)] += 1.0;
  for (double v : actual) a[score_bin(cuts, v)] += 1.0;
  StabilityResult r = stability_from_counts(e, a, o);
  set_edges(r, cuts);
  return r;
}

StabilityResult characteristic_stability(const VariableBinning& binning, std::span<const std::int32_t> expected_bins,
                                         std::span<const std::int32_t> actual_bins, const StabilityOptions& o) {
  check::not_empty("expected", expected_bins.size());
  check::not_empty("actual", actual_bins.size());
  check_bins("expected", expected_bins, binning.bins.size());
  check_bins("actual", actual_bins, binning.bins.size());
  return stability_from_counts(count_bins(expected_bins, binning.bins.size()),
                               count_bins(actual_bins, binning.bins.size()), o);
}

std::vector<StabilityResult> population_stability_by_period(std::span<const double> expected,
                                                            std::span<const double> actual,
                                                            std::span<const std::int32_t> period, int n_periods,
                                                            const StabilityOptions& o) {
  o.validate();
  check::not_empty("expected", expected.size());
  check::all_finite("expected", expected);
  check::all_finite("actual", actual);
  check::same_size("actual", actual.size(), "period", period.size());
  check::integer_at_least("n_periods", n_periods, 1);
  check_bins("period", period, static_cast<std::size_t>(n_periods));
  const auto cuts = score_cuts(expected, o.bins);
  const std::size_t bins = cuts.size() + 1;
  std::vector<double> e(bins, 0.0);
  for (double v : expected) e[score_bin(cuts, v)] += 1.0;
  std::vector<std::vector<double>> a(static_cast<std::size_t>(n_periods), std::vector<double>(bins, 0.0));
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (period[i] >= 0) a[static_cast<std::size_t>(period[i])][score_bin(cuts, actual[i])] += 1.0;
  }
  std::vector<StabilityResult> out;
  for (std::size_t p = 0; p < a.size(); ++p) {
    double total = 0;
    for (double v : a[p]) total += v;
    if (!(total > 0)) check::fail("period", fmt::format("period {} has no observations", p));
    out.push_back(stability_from_counts(e, a[p], o));
    set_edges(out.back(), cuts);
  }
  return out;
}

std::vector<StabilityResult> characteristic_stability_by_period(const VariableBinning& binning,
                                                                std::span<const std::int32_t> expected_bins,
                                                                std::span<const std::int32_t> actual_bins,
                                                                std::span<const std::int32_t> period, int n_periods,
                                                                const StabilityOptions& o) {
  o.validate();
  const std::size_t nb = binning.bins.size();
  check_bins("expected", expected_bins, nb);
  check_bins("actual", actual_bins, nb);
  check::same_size("actual", actual_bins.size(), "period", period.size());
  check::integer_at_least("n_periods", n_periods, 1);
  check_bins("period", period, static_cast<std::size_t>(n_periods));
  const auto e = count_bins(expected_bins, nb);
  std::vector<std::vector<double>> a(static_cast<std::size_t>(n_periods), std::vector<double>(nb, 0.0));
  for (std::size_t i = 0; i < actual_bins.size(); ++i) {
    if (period[i] >= 0 && actual_bins[i] >= 0) a[static_cast<std::size_t>(period[i])][static_cast<std::size_t>(actual_bins[i])] += 1.0;
  }
  std::vector<StabilityResult> out;
  for (std::size_t p = 0; p < a.size(); ++p) {
    double total = 0;
    for (double v : a[p]) total += v;
    if (!(total > 0)) check::fail("period", fmt::format("period {} has no observations", p));
    out.push_back(stability_from_counts(e, a[p], o));
  }
  return out;
}

void EventRateTestOptions::validate() const {
  check::open_unit_interval("alpha", alpha);
  check::non_negative("min_expected", min_expected);
  check::finite("min_expected", min_expected);
}

EventRateTestResult event_rate_tests(const VariableBinning& binning, std::span<const std::int32_t> expected_bins,
                                     std::span<const double> expected_y, std::span<const double> expected_weights,
                                     std::span<const std::int32_t> actual_bins, std::span<const double> actual_y,
                                     std::span<const double> actual_weights, const EventRateTestOptions& o) {
  o.validate();
  const std::size_t nb = binning.bins.size();
  check::same_size("expected_bins", expected_bins.size(), "expected_y", expected_y.size());
  check::same_size("actual_bins", actual_bins.size(), "actual_y", actual_y.size());
  check_bins("expected_bins", expected_bins, nb);
  check_bins("actual_bins", actual_bins, nb);
  const bool binary = binning.target == TargetType::binary;
  if (binary) {
    check::binary("expected_y", expected_y);
    check::binary("actual_y", actual_y);
  } else {
    check::all_finite("expected_y", expected_y);
    check::all_finite("actual_y", actual_y);
  }
  for (auto [name, w, n] : {std::tuple{"expected_weights", expected_weights, expected_y.size()},
                            std::tuple{"actual_weights", actual_weights, actual_y.size()}}) {
    if (w.empty()) continue;
    check::same_size(name, w.size(), "y", n);
    check::all_finite(name, w);
    check::all_non_negative(name, w);
  }
  auto counts_of = [&](std::span<const std::int32_t> bins, std::span<const double> y, std::span<const double> w) {
    std::vector<BinCounts> c(nb);
    BinCounts total;
    for (std::size_t i = 0; i < bins.size(); ++i) {
      const double wi = w.empty() ? 1.0 : w[i];
      total.add(y[i], wi);
      if (bins[i] >= 0) c[static_cast<std::size_t>(bins[i])].add(y[i], wi);
    }
    // rescale weighted sums to observations
    const double s = total.count > 0 ? total.rows / total.count : 1.0;
    for (auto& b : c) {
      b.count *= s;
      b.events *= s;
      b.non_events *= s;
      b.sum_squares *= s;
    }
    return c;
  };
  const auto e = counts_of(expected_bins, expected_y, expected_weights);
  const auto a = counts_of(actual_bins, actual_y, actual_weights);
  EventRateTestResult r;
  for (std::size_t k = 0; k < nb; ++k) {
    if (!(e[k].count > 0) || !(a[k].count > 0)) continue;
    BinEventRateTest t;
    t.bin = k;
    t.expected_count = e[k].count;
    t.actual_count = a[k].count;
    t.expected_rate = e[k].event_rate();
    t.actual_rate = a[k].event_rate();
    if (binary) {
      const double n = e[k].count + a[k].count, events = e[k].events + a[k].events;
      const double smallest = std::min({e[k].count, a[k].count}) * std::min(events, n - events) / n;
      if (smallest < o.min_expected) {
        t.method = BinTestMethod::fisher_exact;
        t.statistic = std::numeric_limits<double>::quiet_NaN();
        t.p_value = detail::fisher_exact_pvalue(e[k].events, e[k].non_events, a[k].events, a[k].non_events);
      } else {
        t.method = BinTestMethod::chi_square;
        t.statistic = detail::two_by_two_statistic(e[k].events, e[k].non_events, a[k].events, a[k].non_events);
        t.p_value = detail::chi2_sf(t.statistic, 1.0);
      }
    } else {
      t.method = BinTestMethod::welch_t;
      const double ne = e[k].count, na = a[k].count;
      const double ve = ne > 1 ? e[k].variance() * ne / (ne - 1) : 0.0, va = na > 1 ? a[k].variance() * na / (na - 1) : 0.0;
      const double se = std::sqrt(ve / ne + va / na);
      t.statistic = se > 0 ? (a[k].mean() - e[k].mean()) / se : 0.0;
      t.p_value = detail::welch_pvalue(e[k].mean(), ve, ne, a[k].mean(), va, na);
    }
    t.significant = t.p_value < o.alpha;
    r.n_significant += t.significant;
    r.bins.push_back(t);
  }
  return r;
}

}  // namespace bankquant::scorecard
