#include "bankquant/scorecard/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "hypothesis.hpp"

namespace bankquant::scorecard {
namespace {

void check_inputs(std::span<const double> y, std::span<const double> score, std::span<const double> w) {
  check::not_empty("y", y.size());
  check::same_size("y", y.size(), "score", score.size());
  check::binary("y", y);
  check::all_finite("score", score);
  if (!w.empty()) {
    check::same_size("y", y.size(), "weights", w.size());
    check::all_finite("weights", w);
    check::all_non_negative("weights", w);
  }
}

// Groups of tied scores, riskiest first, with the weighted events and non-events of each.
struct TiedGroup {
  double score, events, non_events;
};

std::vector<TiedGroup> tied_groups(std::span<const double> y, std::span<const double> score,
                                   std::span<const double> w, ScoreDirection direction, double& total_events,
                                   double& total_non_events) {
  check_inputs(y, score, w);
  std::vector<std::size_t> order(y.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (direction == ScoreDirection::higher_is_riskier) {
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  } else {
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  }
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

double auc(std::span<const double> y, std::span<const double> score, std::span<const double> weights,
           ScoreDirection direction) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, direction, E, N);
  // Pairs (event, non-event) where the event is riskier count 1, tied pairs 1/2.
  double events_above = 0.0, area = 0.0;
  for (const TiedGroup& g : groups) {
    area += g.non_events * (events_above + 0.5 * g.events);
    events_above += g.events;
  }
  return area / (E * N);
}

double gini(std::span<const double> y, std::span<const double> score, std::span<const double> weights,
            ScoreDirection direction) {
  return 2.0 * auc(y, score, weights, direction) - 1.0;
}

double ks(std::span<const double> y, std::span<const double> score, std::span<const double> weights,
          ScoreDirection direction) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, direction, E, N);
  double e = 0, n = 0, best = 0;
  for (const TiedGroup& g : groups) {
    e += g.events;
    n += g.non_events;
    best = std::max(best, std::abs(e / E - n / N));
  }
  return best;
}

RocCurve roc_curve(std::span<const double> y, std::span<const double> score, std::span<const double> weights,
                   ScoreDirection direction) {
  double E = 0, N = 0;
  const auto groups = tied_groups(y, score, weights, direction, E, N);
  RocCurve c;
  const double inf = std::numeric_limits<double>::infinity();
  c.thresholds.push_back(direction == ScoreDirection::higher_is_riskier ? inf : -inf);
  c.fpr.push_back(0.0);
  c.tpr.push_back(0.0);
  c.population.push_back(0.0);
  double e = 0, n = 0;
  for (const TiedGroup& g : groups) {
    e += g.events;
    n += g.non_events;
    c.thresholds.push_back(g.score);
    c.fpr.push_back(n / N);
    c.tpr.push_back(e / E);
    c.population.push_back((e + n) / (E + N));
  }
  return c;
}

void GainsOptions::validate() const { check::integer_at_least("bands", bands, 2); }
void HosmerLemeshowOptions::validate() const { check::integer_at_least("groups", groups, 3); }

std::vector<int> risk_bands(std::span<const double> score, int bands, ScoreDirection direction) {
  check::all_finite("score", score);
  check::integer_at_least("bands", bands, 1);
  const std::size_t n = score.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const bool riskier_high = direction == ScoreDirection::higher_is_riskier;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return riskier_high ? score[a] > score[b] : score[a] < score[b];
  });
  std::vector<int> band(n);
  for (std::size_t k = 0; k < n;) {
    const std::size_t first = k;  // ties take the lowest rank of their group
    const double s = score[order[k]];
    const int b = std::min(static_cast<int>(first * static_cast<std::size_t>(bands) / n), bands - 1);
    for (; k < n && score[order[k]] == s; ++k) band[order[k]] = b;
  }
  return band;
}

GainsTable gains_table(std::span<const double> y, std::span<const double> score, std::span<const double> weights,
                       const GainsOptions& o) {
  o.validate();
  check_inputs(y, score, weights);
  if (static_cast<std::size_t>(o.bands) > y.size()) {
    check::fail("bands", fmt::format("expected at most {} bands (one per row), got {}", y.size(), o.bands));
  }
  const auto band = risk_bands(score, o.bands, o.direction);
  GainsTable t;
  std::vector<GainsBand> rows(static_cast<std::size_t>(o.bands));
  std::vector<char> used(rows.size(), 0);
  double E = 0, N = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    auto& r = rows[static_cast<std::size_t>(band[i])];
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!used[static_cast<std::size_t>(band[i])]) {
      r.min_score = r.max_score = score[i];
      used[static_cast<std::size_t>(band[i])] = 1;
    }
    r.min_score = std::min(r.min_score, score[i]);
    r.max_score = std::max(r.max_score, score[i]);
    r.count += w;
    (y[i] == 1.0 ? r.events : r.non_events) += w;
    (y[i] == 1.0 ? E : N) += w;
  }
  if (!(E > 0) || !(N > 0)) check::fail("y", "expected both classes with positive weight");
  const double overall = E / (E + N);
  double ce = 0, cn = 0, cc = 0;
  for (std::size_t b = 0; b < rows.size(); ++b) {
    if (!used[b]) continue;  // all rows tied into fewer bands
    GainsBand r = rows[b];
    r.band = static_cast<int>(b) + 1;
    ce += r.events;
    cn += r.non_events;
    cc += r.count;
    r.event_rate = r.count > 0 ? r.events / r.count : 0.0;
    r.cum_events_share = ce / E;
    r.cum_non_events_share = cn / N;
    r.lift = r.event_rate / overall;
    r.cum_lift = cc > 0 ? (ce / cc) / overall : 0.0;
    r.ks = std::abs(r.cum_events_share - r.cum_non_events_share);
    t.bands.push_back(r);
  }
  return t;
}

HosmerLemeshowResult hosmer_lemeshow(std::span<const double> y, std::span<const double> p,
                                     std::span<const double> weights, const HosmerLemeshowOptions& o) {
  o.validate();
  check::not_empty("y", y.size());
  check::same_size("y", y.size(), "probability", p.size());
  check::binary("y", y);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
      check::fail("probability", fmt::format("expected probabilities in [0, 1], found {} at index {}", p[i], i));
    }
  }
  if (!weights.empty()) {
    check::same_size("y", y.size(), "weights", weights.size());
    check::all_finite("weights", weights);
    check::all_non_negative("weights", weights);
  }
  const auto band = risk_bands(p, o.groups, ScoreDirection::higher_is_riskier);
  std::vector<HosmerLemeshowGroup> groups(static_cast<std::size_t>(o.groups));
  std::vector<double> sum_p(groups.size(), 0.0), n_rows(groups.size(), 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    auto& g = groups[static_cast<std::size_t>(band[i])];
    const double w = weights.empty() ? 1.0 : weights[i];
    g.count += w;
    g.observed += w * y[i];
    g.expected += w * p[i];
    sum_p[static_cast<std::size_t>(band[i])] += p[i];
    n_rows[static_cast<std::size_t>(band[i])] += 1.0;
  }
  HosmerLemeshowResult r;
  for (std::size_t b = 0; b < groups.size(); ++b) {
    if (!(n_rows[b] > 0)) continue;
    HosmerLemeshowGroup g = groups[b];
    g.group = static_cast<int>(b) + 1;
    g.mean_probability = sum_p[b] / n_rows[b];
    const double denom = g.expected * (1 - g.expected / g.count);
    if (denom > 0) r.statistic += (g.observed - g.expected) * (g.observed - g.expected) / denom;
    r.groups.push_back(g);
  }
  r.degrees_of_freedom = static_cast<int>(r.groups.size()) - 2;
  if (r.degrees_of_freedom < 1) {
    check::fail("probability", fmt::format("expected at least 3 distinct bands of probability, got {}", r.groups.size()));
  }
  r.p_value = detail::chi2_sf(r.statistic, r.degrees_of_freedom);
  return r;
}

}  // namespace bankquant::scorecard
