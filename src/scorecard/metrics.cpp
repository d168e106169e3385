#include "bankquant/scorecard/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::scorecard {
namespace {

// Groups of tied scores in descending order, with the weighted events and non-events of each.
struct TiedGroup {
  double score, events, non_events;
};

std::vector<TiedGroup> tied_groups(std::span<const double> y, std::span<const double> score,
                                   std::span<const double> w, double& total_events, double& total_non_events) {
  check::not_empty("y", y.size());
  check::same_size("y", y.size(), "score", score.size());
  check::binary("y", y);
  check::all_finite("score", score);
  if (!w.empty()) {
    check::same_size("y", y.size(), "weights", w.size());
    check::all_finite("weights", w);
    check::all_non_negative("weights", w);
  }
  std::vector<std::size_t> order(y.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  std::vector<TiedGroup> groups;
  total_events = total_non_events = 0.0;
  for (std::size_t k = 0; k < order.size();) {
    const double s = score[order[k]];
    TiedGroup g{s, 0.0, 0.0};
    for (; k < order.size() && score[order[k]] == s; ++k) {
      const double wi = w.empty() ? 1.0 : w[order[k]];
      (y[order[k]] == 1.0 ? g.events : g.non_events) += wi;
    }
    total_events += g.events;
    total_non_events += g.non_events;
    groups.push_back(g);
  }
  if (!(total_events > 0) || !(total_non_events > 0)) {
    check::fail("y", fmt::format("expected both classes with positive weight, got {} events and {} non-events",
                                 total_events, total_non_events));
  }
  return groups;
}

}  // namespace

double auc(std::span<const double> y, std::span<const double> score, std::span<const double> weights) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, E, N);
  // Pairs (event, non-event) where the event scores higher count 1, tied pairs 1/2.
  double events_above = 0.0, area = 0.0;
  for (const TiedGroup& g : groups) {
    area += g.non_events * (events_above + 0.5 * g.events);
    events_above += g.events;
  }
  return area / (E * N);
}

double gini(std::span<const double> y, std::span<const double> score, std::span<const double> weights) {
  return 2.0 * auc(y, score, weights) - 1.0;
}

double ks(std::span<const double> y, std::span<const double> score, std::span<const double> weights) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, E, N);
  double e = 0, n = 0, best = 0;
  for (const TiedGroup& g : groups) {
    e += g.events;
    n += g.non_events;
    best = std::max(best, std::abs(e / E - n / N));
  }
  return best;
}

RocCurve roc_curve(std::span<const double> y, std::span<const double> score, std::span<const double> weights) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, E, N);
  RocCurve c;
  c.thresholds.push_back(std::numeric_limits<double>::infinity());
  c.fpr.push_back(0.0);
  c.tpr.push_back(0.0);
  double e = 0, n = 0;
  for (const TiedGroup& g : groups) {
    e += g.events;
    n += g.non_events;
    c.thresholds.push_back(g.score);
    c.fpr.push_back(n / N);
    c.tpr.push_back(e / E);
  }
  return c;
}

}  // namespace bankquant::scorecard
