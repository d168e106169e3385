#include "bankquant/scorecard/binning.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "binning_internal.hpp"
#include "hypothesis.hpp"

namespace bankquant::scorecard {
namespace {

using bankquant::detail::kInf;

// The finer grid has this many quantile bins per pre-bin, so pre-bin cuts are a subset of its cuts.
constexpr int kFinePerPrebin = 5;

// ---- constraints -----------------------------------------------------------------------------------

struct Limits {
  double min_count, max_count, min_events, min_non_events;
  bool binary;
  [[nodiscard]] bool admits(const BinCounts& c) const {
    // a small tolerance keeps weighted sums that equal a limit from failing by rounding
    if (c.count < min_count * (1 - 1e-12) || c.count > max_count * (1 + 1e-12)) return false;
    if (!binary) return true;
    return c.event_rows >= min_events && c.non_event_rows() >= min_non_events;
  }
};

Limits limits_of(const BinningOptions& o, const BinCounts& total) {
  return {o.min_bin_share * total.count, o.max_bin_share * total.count, o.min_bin_events, o.min_bin_non_events,
          o.target == TargetType::binary};
}

// Effective sample sizes for tests: weighted counts rescaled to the number of observations, so a
// p value does not depend on the scale of the weights and equals the unweighted one without them.
struct Scale {
  double rows_per_weight;
};

// p value of the test that two bins have the same event rate (mean).
double neighbour_pvalue(const BinCounts& a, const BinCounts& b, TargetType target, Scale s) {
  if (target == TargetType::binary) {
    return detail::two_proportion_pvalue(a.events * s.rows_per_weight, a.non_events * s.rows_per_weight,
                                         b.events * s.rows_per_weight, b.non_events * s.rows_per_weight);
  }
  const double na = a.count * s.rows_per_weight, nb = b.count * s.rows_per_weight;
  const double va = na > 1 ? a.variance() * na / (na - 1) : 0.0, vb = nb > 1 ? b.variance() * nb / (nb - 1) : 0.0;
  return detail::welch_pvalue(a.mean(), va, na, b.mean(), vb, nb);
}

struct PairRule {
  double min_diff;
  double max_pvalue;
  TargetType target;
  Scale scale;
  [[nodiscard]] bool active() const { return min_diff > 0 || max_pvalue < 1; }
  [[nodiscard]] bool admits(const BinCounts& a, const BinCounts& b) const {
    if (min_diff > 0 && std::abs(a.event_rate() - b.event_rate()) < min_diff) return false;
    if (max_pvalue < 1 && neighbour_pvalue(a, b, target, scale) > max_pvalue) return false;
    return true;
  }
};

PairRule pair_rule_of(const BinningOptions& o, const BinCounts& total) {
  return {o.min_event_rate_diff, o.max_pvalue, o.target, {total.count > 0 ? total.rows / total.count : 1.0}};
}

// Objective of one bin: its IV term (binary), or n_b (mean_b - mean)^2 (continuous).
struct Objective {
  TargetType target;
  BinCounts total;
  double adjustment;  // in weight units
  [[nodiscard]] double of(const BinCounts& c) const {
    if (target == TargetType::binary) return information_value(c, total.events, total.non_events, adjustment);
    if (!(c.count > 0)) return 0.0;
    const double d = c.mean() - total.mean();
    return c.count * d * d;
  }
};

Objective objective_of(const BinningOptions& o, const BinCounts& total) {
  const double per_row = total.rows > 0 ? total.count / total.rows : 1.0;
  return {o.target, total, o.woe_adjustment * per_row};
}

// Prefix sums of pre-bin counts: the counts of any run of consecutive pre-bins in O(1).
class RunCounts {
 public:
  explicit RunCounts(const std::vector<BinCounts>& bins) : prefix_(bins.size() + 1) {
    for (std::size_t i = 0; i < bins.size(); ++i) {
      prefix_[i + 1] = prefix_[i];
      prefix_[i + 1].merge(bins[i]);
    }
  }
  /// Counts of pre-bins first..last (inclusive).
  [[nodiscard]] BinCounts of(std::size_t first, std::size_t last) const {
    const BinCounts& a = prefix_[first];
    const BinCounts& b = prefix_[last + 1];
    BinCounts c;
    c.count = b.count - a.count;
    c.events = b.events - a.events;
    c.non_events = b.non_events - a.non_events;
    c.sum_squares = b.sum_squares - a.sum_squares;
    c.rows = b.rows - a.rows;
    c.event_rows = b.event_rows - a.event_rows;
    return c;
  }

 private:
  std::vector<BinCounts> prefix_;
};

std::vector<BinCounts> merge_groups(const std::vector<BinCounts>& prebins, const std::vector<std::size_t>& starts) {
  std::vector<BinCounts> out(starts.size());
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : prebins.size();
    for (std::size_t p = starts[k]; p < end; ++p) out[k].merge(prebins[p]);
  }
  return out;
}

double grouping_objective(const std::vector<BinCounts>& prebins, const std::vector<std::size_t>& starts,
                          const Objective& f) {
  if (starts.empty()) return -kInf;
  double s = 0.0;
  for (const BinCounts& g : merge_groups(prebins, starts)) s += f.of(g);
  return s;
}

// ---- optimal: exact dynamic program --------------------------------------------------------------

// One monotone phase: +1 rates increase from bin to bin, -1 decrease, 0 unconstrained.
struct Phases {
  int first;
  int second;  // 0 when there is no second phase
};

Phases phases_of(MonotonicTrend t) {
  switch (t) {
    case MonotonicTrend::ascending: return {+1, 0};
    case MonotonicTrend::descending: return {-1, 0};
    case MonotonicTrend::peak: return {+1, -1};
    case MonotonicTrend::valley: return {-1, +1};
    default: return {0, 0};
  }
}

// The best grouping with exactly k + 1 bins for every k (empty when none), by dynamic programming.
std::vector<std::vector<std::size_t>> optimal_dp_by_bins(const std::vector<BinCounts>& prebins, const BinCounts& total,
                                                        const BinningOptions& o, MonotonicTrend trend) {
  const std::size_t m = prebins.size();
  if (m == 0) return {};
  const std::size_t max_k = std::min<std::size_t>(static_cast<std::size_t>(o.max_bins), m);
  const RunCounts runs(prebins);
  const Limits limits = limits_of(o, total);
  const PairRule pairs = pair_rule_of(o, total);
  const Objective f = objective_of(o, total);
  const Phases phases = phases_of(trend);
  const int n_phases = phases.second == 0 ? 1 : 2;

  // Per run j..i: admissible?, objective, event rate.
  std::vector<double> value(m * m, 0.0), rate(m * m, 0.0);
  std::vector<char> ok(m * m, 0);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t i = j; i < m; ++i) {
      const BinCounts c = runs.of(j, i);
      ok[j * m + i] = limits.admits(c);
      value[j * m + i] = f.of(c);
      rate[j * m + i] = c.event_rate();
    }
  }
  // Neighbour rule for (previous run l..j-1, run j..i), computed once when the rule is active.
  std::vector<char> pair_ok;
  if (pairs.active()) {
    pair_ok.assign(m * m * m, 0);
    for (std::size_t j = 1; j < m; ++j) {
      for (std::size_t l = 0; l < j; ++l) {
        if (!ok[l * m + j - 1]) continue;
        const BinCounts prev = runs.of(l, j - 1);
        for (std::size_t i = j; i < m; ++i) {
          if (ok[j * m + i]) pair_ok[(l * m + j) * m + i] = pairs.admits(prev, runs.of(j, i));
        }
      }
    }
  }

  // best[p][k][j][i]: best objective of pre-bins 0..i in k+1 bins whose last bin is j..i, in phase p.
  const double kNone = -kInf;
  const std::size_t layer = m * m;
  std::vector<double> best(static_cast<std::size_t>(n_phases) * max_k * layer, kNone);
  std::vector<std::int32_t> parent(best.size(), -1);  // encoded (phase, first pre-bin of previous bin)
  auto at = [&](int p, std::size_t k, std::size_t j, std::size_t i) {
    return (static_cast<std::size_t>(p) * max_k + k) * layer + j * m + i;
  };
  auto ordered = [&](int direction, double previous, double next) {
    return direction == 0 || (direction > 0 ? next > previous : next < previous);
  };

  for (std::size_t i = 0; i < m; ++i) {
    if (ok[i]) best[at(0, 0, 0, i)] = value[i];
  }
  for (std::size_t k = 1; k < max_k; ++k) {
    for (std::size_t j = k; j < m; ++j) {
      for (std::size_t i = j; i < m; ++i) {
        if (!ok[j * m + i]) continue;
        const double r = rate[j * m + i];
        for (int p = 0; p < n_phases; ++p) {
          const int direction = p == 0 ? phases.first : phases.second;
          double v = kNone;
          std::int32_t from = -1;
          for (int q = 0; q <= p; ++q) {  // stay in the phase, or move from the first to the second
            for (std::size_t l = k - 1; l < j; ++l) {
              const double before = best[at(q, k - 1, l, j - 1)];
              if (before == kNone || !ordered(direction, rate[l * m + j - 1], r)) continue;
              if (!pair_ok.empty() && !pair_ok[(l * m + j) * m + i]) continue;
              if (before > v) {
                v = before;
                from = static_cast<std::int32_t>(q * static_cast<int>(m) + static_cast<int>(l));
              }
            }
          }
          if (from >= 0) {
            best[at(p, k, j, i)] = v + value[j * m + i];
            parent[at(p, k, j, i)] = from;
          }
        }
      }
    }
  }

  // For each number of bins, the best complete grouping (ending at pre-bin m-1); ties go to phase 0.
  std::vector<std::vector<std::size_t>> out(max_k);
  for (std::size_t k = 0; k < max_k; ++k) {
    double top = kNone;
    int top_p = 0;
    std::size_t top_j = 0;
    for (int p = 0; p < n_phases; ++p) {
      for (std::size_t j = 0; j < m; ++j) {
        const double v = best[at(p, k, j, m - 1)];
        if (v != kNone && (top == kNone || v > top + 1e-14 * std::abs(top))) {
          top = v;
          top_p = p;
          top_j = j;
        }
      }
    }
    if (top == kNone) continue;
    std::vector<std::size_t> starts;
    int p = top_p;
    std::size_t kk = k, j = top_j, i = m - 1;
    while (true) {
      starts.push_back(j);
      if (kk == 0) break;
      const std::int32_t from = parent[at(p, kk, j, i)];
      const int q = from / static_cast<int>(m);
      const auto l = static_cast<std::size_t>(from % static_cast<int>(m));
      i = j - 1;
      j = l;
      p = q;
      --kk;
    }
    std::reverse(starts.begin(), starts.end());
    out[k] = std::move(starts);
  }
  return out;
}

// Concave (differences of rates non-increasing) or convex (non-decreasing) trends: the state
// carries the previous bin, O(K m^4).
std::vector<std::vector<std::size_t>> curvature_dp_by_bins(const std::vector<BinCounts>& prebins,
                                                          const BinCounts& total, const BinningOptions& o,
                                                          bool concave) {
  const std::size_t m = prebins.size();
  if (m == 0) return {};
  const std::size_t max_k = std::min<std::size_t>(static_cast<std::size_t>(o.max_bins), m);
  const RunCounts runs(prebins);
  const Limits limits = limits_of(o, total);
  const PairRule pairs = pair_rule_of(o, total);
  const Objective f = objective_of(o, total);
  std::vector<double> value(m * m, 0.0), rate(m * m, 0.0);
  std::vector<char> ok(m * m, 0);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t i = j; i < m; ++i) {
      const BinCounts c = runs.of(j, i);
      ok[j * m + i] = limits.admits(c);
      value[j * m + i] = f.of(c);
      rate[j * m + i] = c.event_rate();
    }
  }
  const double kNone = -kInf;
  // state (k, l, j, i): k+1 bins, last bin j..i, previous bin l..j-1 (l = j for k == 0).
  const std::size_t cube = m * m * m;
  std::vector<double> best(max_k * cube, kNone);
  std::vector<std::int32_t> parent(best.size(), -1);  // first pre-bin of the bin before the previous
  auto at = [&](std::size_t k, std::size_t l, std::size_t j, std::size_t i) { return k * cube + (l * m + j) * m + i; };
  for (std::size_t i = 0; i < m; ++i) {
    if (ok[i]) best[at(0, 0, 0, i)] = value[i];
  }
  for (std::size_t k = 1; k < max_k; ++k) {
    for (std::size_t j = k; j < m; ++j) {
      for (std::size_t l = k - 1; l < j; ++l) {
        if (!ok[l * m + j - 1]) continue;
        const double r_prev = rate[l * m + j - 1];
        for (std::size_t i = j; i < m; ++i) {
          if (!ok[j * m + i]) continue;
          if (pairs.active() && !pairs.admits(runs.of(l, j - 1), runs.of(j, i))) continue;
          const double d_next = rate[j * m + i] - r_prev;
          double v = kNone;
          std::int32_t from = -1;
          if (k == 1) {
            v = best[at(0, 0, 0, j - 1)];
            from = 0;
            if (l != 0) v = kNone;
          } else {
            for (std::size_t p = k - 2; p < l; ++p) {
              const double before = best[at(k - 1, p, l, j - 1)];
              if (before == kNone) continue;
              const double d_prev = r_prev - rate[p * m + l - 1];
              if (concave ? d_next > d_prev : d_next < d_prev) continue;
              if (before > v) {
                v = before;
                from = static_cast<std::int32_t>(p);
              }
            }
          }
          if (v != kNone) {
            best[at(k, l, j, i)] = v + value[j * m + i];
            parent[at(k, l, j, i)] = from;
          }
        }
      }
    }
  }
  std::vector<std::vector<std::size_t>> out(max_k);
  for (std::size_t k = 0; k < max_k; ++k) {
    double top = kNone;
    std::size_t top_l = 0, top_j = 0;
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t l = 0; l <= j; ++l) {
        const double v = best[at(k, l, j, m - 1)];
        if (v != kNone && (top == kNone || v > top + 1e-14 * std::abs(top))) {
          top = v;
          top_l = l;
          top_j = j;
        }
      }
    }
    if (top == kNone) continue;
    std::vector<std::size_t> starts{top_j};
    std::size_t kk = k, l = top_l, j = top_j, i = m - 1;
    while (kk > 0) {
      starts.push_back(l);
      const auto p = static_cast<std::size_t>(parent[at(kk, l, j, i)]);
      i = j - 1;
      j = l;
      l = p;
      --kk;
    }
    std::reverse(starts.begin(), starts.end());
    out[k] = std::move(starts);
  }
  return out;
}

// The best grouping with at least min_bins bins, else the best with fewer (flagged).
std::vector<std::size_t> pick_by_bins(const std::vector<std::vector<std::size_t>>& by_bins,
                                      const std::vector<BinCounts>& prebins, const Objective& f, int min_bins,
                                      bool& fewer_than_asked) {
  fewer_than_asked = false;
  double top = -kInf;
  std::vector<std::size_t> pick;
  for (std::size_t k = 0; k < by_bins.size(); ++k) {
    if (by_bins[k].empty() || static_cast<int>(k) + 1 < min_bins) continue;
    const double v = grouping_objective(prebins, by_bins[k], f);
    if (pick.empty() || v > top + 1e-14 * std::abs(top)) {  // ties go to fewer bins
      top = v;
      pick = by_bins[k];
    }
  }
  if (!pick.empty()) return pick;
  for (std::size_t k = by_bins.size(); k-- > 0;) {
    if (!by_bins[k].empty()) {
      fewer_than_asked = min_bins > 1;
      return by_bins[k];
    }
  }
  return {};
}

// ---- chimerge --------------------------------------------------------------------------------------

double chi_square(const BinCounts& a, const BinCounts& b) {
  return detail::two_by_two_statistic(a.events, a.non_events, b.events, b.non_events);
}

std::vector<std::size_t> chimerge(const std::vector<BinCounts>& prebins, const BinCounts& total,
                                  const BinningOptions& o) {
  std::vector<std::size_t> starts(prebins.size());
  std::iota(starts.begin(), starts.end(), std::size_t{0});
  std::vector<BinCounts> groups = prebins;
  const Limits limits = limits_of(o, total);
  // The statistic on observation-scaled counts, so the threshold does not depend on the weights.
  const double scale = total.count > 0 ? total.rows / total.count : 1.0;
  auto chi = [&](const BinCounts& a, const BinCounts& b) { return chi_square(a, b) * scale; };
  auto merge_at = [&](std::size_t g) {  // merges group g+1 into g
    groups[g].merge(groups[g + 1]);
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(g) + 1);
    starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(g) + 1);
  };
  while (groups.size() > 1) {
    std::size_t arg = 0;
    double smallest = kInf;
    for (std::size_t g = 0; g + 1 < groups.size(); ++g) {
      const double c = chi(groups[g], groups[g + 1]);
      if (c < smallest) {
        smallest = c;
        arg = g;
      }
    }
    const bool too_many = groups.size() > static_cast<std::size_t>(o.max_bins);
    // a group below the limits is merged with the neighbour it differs from least
    std::size_t small = groups.size();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (!limits.admits(groups[g])) {
        small = g;
        break;
      }
    }
    if (small < groups.size()) {
      if (small == 0) {
        arg = 0;
      } else if (small + 1 == groups.size()) {
        arg = small - 1;
      } else {
        arg = chi(groups[small - 1], groups[small]) <= chi(groups[small], groups[small + 1]) ? small - 1 : small;
      }
    } else if (!too_many && smallest >= o.chimerge_threshold) {
      break;
    }
    merge_at(arg);
  }
  return starts;
}

// ---- tree ----------------------------------------------------------------------------------------

// Impurity times weight of a node: gini/entropy (binary) or the sum of squared errors (continuous).
double node_loss(const BinCounts& c, const BinningOptions& o) {
  if (c.count <= 0) return 0.0;
  if (o.target == TargetType::continuous) return c.count * c.variance();
  const double p = c.events / c.count;
  if (o.tree_criterion == TreeCriterion::gini) return c.count * (1.0 - p * p - (1 - p) * (1 - p));
  auto h = [](double v) { return v > 0 ? -v * std::log(v) : 0.0; };
  return c.count * (h(p) + h(1 - p));
}

std::vector<std::size_t> tree_splits(const std::vector<BinCounts>& prebins, const BinCounts& total,
                                     const BinningOptions& o) {
  const RunCounts runs(prebins);
  const Limits limits = limits_of(o, total);
  std::vector<std::pair<std::size_t, std::size_t>> leaves{{0, prebins.size() - 1}};
  while (leaves.size() < static_cast<std::size_t>(o.max_bins)) {
    double best_gain = 0.0;
    std::size_t best_leaf = leaves.size(), best_split = 0;
    for (std::size_t li = 0; li < leaves.size(); ++li) {
      const auto [a, b] = leaves[li];
      const double parent = node_loss(runs.of(a, b), o);
      for (std::size_t s = a + 1; s <= b; ++s) {
        const BinCounts left = runs.of(a, s - 1), right = runs.of(s, b);
        if (!limits.admits(left) || !limits.admits(right)) continue;
        const double gain = parent - node_loss(left, o) - node_loss(right, o);
        if (gain > best_gain * (1 + 1e-12) + 1e-15 * std::abs(parent)) {
          best_gain = gain;
          best_leaf = li;
          best_split = s;
        }
      }
    }
    if (best_leaf == leaves.size()) break;
    const auto [a, b] = leaves[best_leaf];
    leaves[best_leaf] = {a, best_split - 1};
    leaves.insert(leaves.begin() + static_cast<std::ptrdiff_t>(best_leaf) + 1, {best_split, b});
  }
  std::vector<std::size_t> starts;
  for (const auto& [a, b] : leaves) starts.push_back(a);
  return starts;
}

// Pools adjacent bins until the rates follow `direction` (+1 increasing, -1 decreasing) strictly:
// pool-adjacent-violators on groups of pre-bins.
std::vector<std::size_t> pool_violators(const std::vector<BinCounts>& prebins, std::vector<std::size_t> starts,
                                        int direction) {
  auto groups = merge_groups(prebins, starts);
  for (std::size_t g = 0; g + 1 < groups.size();) {
    const double a = groups[g].event_rate(), b = groups[g + 1].event_rate();
    if (direction > 0 ? b > a : b < a) {
      ++g;
      continue;
    }
    groups[g].merge(groups[g + 1]);
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(g) + 1);
    starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(g) + 1);
    if (g > 0) --g;  // the pooled group may now violate with its left neighbour
  }
  return starts;
}

// Merges the neighbours that break the pair rule (least different first) until none does.
std::vector<std::size_t> merge_close_neighbours(const std::vector<BinCounts>& prebins, std::vector<std::size_t> starts,
                                                const PairRule& rule) {
  if (!rule.active()) return starts;
  while (starts.size() > 1) {
    const auto groups = merge_groups(prebins, starts);
    std::size_t worst = groups.size();
    double worst_p = -1;
    for (std::size_t g = 0; g + 1 < groups.size(); ++g) {
      if (rule.admits(groups[g], groups[g + 1])) continue;
      const double p = neighbour_pvalue(groups[g], groups[g + 1], rule.target, rule.scale);
      if (p > worst_p) {
        worst_p = p;
        worst = g;
      }
    }
    if (worst == groups.size()) break;
    starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(worst) + 1);
  }
  return starts;
}

// ---- grouping dispatch ---------------------------------------------------------------------------

struct Grouping {
  std::vector<std::size_t> starts;
  std::string method;
  std::string status;
};

// The turning bin of a peak/valley grouping differs from both neighbours at `level`.
bool turn_is_significant(const std::vector<BinCounts>& prebins, const std::vector<std::size_t>& starts, bool peak,
                         const BinningOptions& o, const BinCounts& total) {
  const auto groups = merge_groups(prebins, starts);
  if (groups.size() < 3) return false;
  std::size_t t = 0;
  for (std::size_t g = 1; g < groups.size(); ++g) {
    const bool better = peak ? groups[g].event_rate() > groups[t].event_rate()
                             : groups[g].event_rate() < groups[t].event_rate();
    if (better) t = g;
  }
  if (t == 0 || t + 1 == groups.size()) return false;
  const Scale s{total.count > 0 ? total.rows / total.count : 1.0};
  return neighbour_pvalue(groups[t - 1], groups[t], o.target, s) < o.turn_pvalue &&
         neighbour_pvalue(groups[t], groups[t + 1], o.target, s) < o.turn_pvalue;
}

Grouping optimal_grouping_of(const std::vector<BinCounts>& prebins, const BinCounts& total, const BinningOptions& o,
                             MonotonicTrend trend) {
  Grouping g;
  const Objective f = objective_of(o, total);
  bool fewer = false;
  auto solve = [&](MonotonicTrend t, bool& few) {
    if (t == MonotonicTrend::concave || t == MonotonicTrend::convex) {
      return pick_by_bins(curvature_dp_by_bins(prebins, total, o, t == MonotonicTrend::concave), prebins, f,
                          o.min_bins, few);
    }
    return pick_by_bins(optimal_dp_by_bins(prebins, total, o, t), prebins, f, o.min_bins, few);
  };
  if (trend == MonotonicTrend::automatic) {
    bool few_up = false, few_down = false;
    const auto up = solve(MonotonicTrend::ascending, few_up);
    const auto down = solve(MonotonicTrend::descending, few_down);
    const bool use_down = grouping_objective(prebins, down, f) > grouping_objective(prebins, up, f);
    g.starts = use_down ? down : up;
    fewer = use_down ? few_down : few_up;
    trend = use_down ? MonotonicTrend::descending : MonotonicTrend::ascending;
    // A peak or valley replaces the monotone trend only when it is both better and significant.
    double top = grouping_objective(prebins, g.starts, f);
    for (auto turn : {MonotonicTrend::peak, MonotonicTrend::valley}) {
      bool few = false;
      const auto s = solve(turn, few);
      const double v = grouping_objective(prebins, s, f);
      if (v > top * (1 + 1e-9) + 1e-15 &&
          turn_is_significant(prebins, s, turn == MonotonicTrend::peak, o, total)) {
        top = v;
        g.starts = s;
        fewer = few;
        trend = turn;
      }
    }
  } else {
    g.starts = solve(trend, fewer);
  }
  g.method = fmt::format("optimal ({})", enum_name(trend));
  if (g.starts.empty()) {
    g.starts = {0};
    g.status = fmt::format(
        "no grouping meets the constraints (min_bin_share {}, max_bin_share {}, min_bin_events {}, "
        "min_bin_non_events {}, min_event_rate_diff {}, max_pvalue {}, monotonic '{}'): one bin",
        o.min_bin_share, o.max_bin_share, o.min_bin_events, o.min_bin_non_events, o.min_event_rate_diff, o.max_pvalue,
        enum_name(trend));
  } else if (fewer) {
    g.status = fmt::format("only {} bins meet the constraints (min_bins {})", g.starts.size(), o.min_bins);
  }
  return g;
}

Grouping group_prebins(const std::vector<BinCounts>& prebins, const BinCounts& total, const BinningOptions& o,
                       bool ordered_categories) {
  Grouping g;
  if (prebins.size() <= 1) {
    g.starts.assign(prebins.size(), 0);
    g.method = std::string(enum_name(o.method));
    if (prebins.size() == 1) g.status = "a single distinct value (or category group): one bin";
    return g;
  }
  if (ordered_categories) {
    // categories are in event-rate order, so a monotone grouping of them is the natural one
    g = optimal_grouping_of(prebins, total, o, MonotonicTrend::none);
    g.method = "optimal (categories ordered by event rate)";
    return g;
  }
  const PairRule rule = pair_rule_of(o, total);
  auto enforce = [&](std::vector<std::size_t> starts, std::string& method) {
    const Objective f = objective_of(o, total);
    switch (o.monotonic) {
      case MonotonicTrend::ascending: starts = pool_violators(prebins, starts, +1); break;
      case MonotonicTrend::descending: starts = pool_violators(prebins, starts, -1); break;
      case MonotonicTrend::automatic: {
        const auto up = pool_violators(prebins, starts, +1), down = pool_violators(prebins, starts, -1);
        const bool use_down = grouping_objective(prebins, down, f) > grouping_objective(prebins, up, f);
        starts = use_down ? down : up;
        method += use_down ? ", descending" : ", ascending";
        break;
      }
      default: break;
    }
    return merge_close_neighbours(prebins, std::move(starts), rule);
  };
  switch (o.method) {
    case BinningMethod::chimerge:
      g.method = "chimerge";
      g.starts = enforce(chimerge(prebins, total, o), g.method);
      return g;
    case BinningMethod::tree:
      g.method = o.target == TargetType::binary ? fmt::format("tree ({})", enum_name(o.tree_criterion))
                                                : std::string("tree (variance)");
      g.starts = enforce(tree_splits(prebins, total, o), g.method);
      return g;
    case BinningMethod::quantile:
    case BinningMethod::uniform:
    case BinningMethod::manual:
      g.starts.resize(prebins.size());
      std::iota(g.starts.begin(), g.starts.end(), std::size_t{0});
      g.method = std::string(enum_name(o.method));
      return g;
    case BinningMethod::optimal:
    default:
      return optimal_grouping_of(prebins, total, o, o.monotonic);
  }
}

// ---- shared steps ----------------------------------------------------------------------------------

void check_target_and_weights(std::size_t n, std::span<const double> y, std::span<const double> w, TargetType t) {
  check::not_empty("x", n);
  check::same_size("x", n, "y", y.size());
  if (t == TargetType::binary) {
    check::binary("y", y);
  } else {
    check::all_finite("y", y);
  }
  if (!w.empty()) {
    check::same_size("x", n, "weights", w.size());
    check::all_finite("weights", w);
    check::all_non_negative("weights", w);
  }
}

BinCounts totals_of(std::span<const double> y, std::span<const double> w, TargetType t) {
  BinCounts total;
  for (std::size_t i = 0; i < y.size(); ++i) total.add(y[i], w.empty() ? 1.0 : w[i]);
  if (!(total.count > 0)) check::fail("weights", "expected a positive sum of weights");
  if (t == TargetType::binary && (!(total.events > 0) || !(total.non_events > 0))) {
    check::fail("y", fmt::format("expected both classes (0 and 1) with positive weight, got {} events and {} "
                                 "non-events",
                                 total.events, total.non_events));
  }
  return total;
}

VariableBinning start_binning(std::string_view name, bool categorical, const Grouping& grouping,
                              const BinCounts& total, const BinningOptions& o) {
  VariableBinning b;
  b.name = std::string(name);
  b.categorical = categorical;
  b.target = o.target;
  b.method = grouping.method;
  b.status = grouping.status;
  b.total = total;
  b.woe_adjustment = o.woe_adjustment;
  return b;
}

void append_status(std::string& status, const std::string& note) {
  if (note.empty()) return;
  status += (status.empty() ? "" : "; ") + note;
}

}  // namespace

// Notes on pure bins and perfect separation (binary target), appended to the status.
void detail::note_purity(VariableBinning& b) {
  if (b.target != TargetType::binary) return;
  std::size_t regular = 0, pure = 0;
  std::vector<std::string> pure_labels;
  for (const Bin& bin : b.bins) {
    if (bin.kind != BinKind::regular || !(bin.counts.rows > 0)) continue;
    ++regular;
    if (bin.counts.pure()) {
      ++pure;
      pure_labels.push_back(fmt::format("{} holds only {}", bin.label(),
                                        bin.counts.event_rows > 0 ? "events" : "non-events"));
    }
  }
  b.separates = regular >= 2 && pure == regular;
  if (b.separates) {
    append_status(b.status, "separates the classes perfectly (every bin holds one class): a leak of the target?");
  } else if (pure > 0) {
    append_status(b.status, fmt::format("pure bins: {}", fmt::join(pure_labels, ", ")));
  }
}

// Appends the missing bin and one bin per special group after the regular bins, then computes
// WoE/IV and the lookup indexes.
void detail::finish_binning(VariableBinning& b, const BinCounts& missing, const std::vector<Bin>& specials) {
  if (b.bins.empty()) b.bins.push_back(Bin{});  // all values missing or special: one empty regular bin
  Bin missing_bin;
  missing_bin.kind = BinKind::missing;
  missing_bin.counts = missing;
  b.bins.push_back(missing_bin);
  for (const Bin& s : specials) b.bins.push_back(s);
  b.missing_share = b.total.rows > 0 ? missing.rows / b.total.rows : 0.0;
  b.refresh();
  b.index();
  note_purity(b);
}

// Numeric bins: the grouping of pre-bins as [lower, upper) intervals of the fine grid.
void detail::numeric_bins_from_grouping(VariableBinning& b, const std::vector<double>& prebin_cuts,
                                        const std::vector<BinCounts>& prebins, const std::vector<std::size_t>& starts) {
  const auto groups = merge_groups(prebins, starts);
  for (std::size_t k = 0; k < groups.size(); ++k) {
    Bin bin;
    const std::size_t first = starts[k];
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : prebins.size();
    bin.lower = first == 0 ? -kInf : prebin_cuts[first - 1];
    bin.upper = end >= prebins.size() ? kInf : prebin_cuts[end - 1];
    bin.counts = groups[k];
    b.bins.push_back(bin);
  }
}

std::vector<BinCounts> detail::merge_fine(const std::vector<double>& fine_cuts, const std::vector<BinCounts>& fine,
                                          const std::vector<double>& cuts) {
  std::vector<BinCounts> out(cuts.size() + 1);
  for (std::size_t f = 0; f < fine.size(); ++f) {
    const double lower = f == 0 ? -kInf : fine_cuts[f - 1];
    const auto k = static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), lower) - cuts.begin());
    out[k].merge(fine[f]);
  }
  return out;
}

std::vector<std::size_t> optimal_grouping(const std::vector<BinCounts>& prebins, const BinningOptions& options,
                                          MonotonicTrend trend) {
  BinCounts total;
  for (const auto& p : prebins) total.merge(p);
  bool fewer = false;
  const Objective f = objective_of(options, total);
  if (trend == MonotonicTrend::concave || trend == MonotonicTrend::convex) {
    return pick_by_bins(curvature_dp_by_bins(prebins, total, options, trend == MonotonicTrend::concave), prebins, f,
                        options.min_bins, fewer);
  }
  return pick_by_bins(optimal_dp_by_bins(prebins, total, options, trend), prebins, f, options.min_bins, fewer);
}

void BinningOptions::validate() const {
  check::integer_at_least("max_bins", max_bins, 1);
  check::integer_at_least("min_bins", min_bins, 1);
  if (min_bins > max_bins) {
    check::fail("min_bins", fmt::format("expected at most max_bins ({}), got {}", max_bins, min_bins));
  }
  check::integer_at_least("prebins", prebins, 2);
  if (prebins > 1000) check::fail("prebins", fmt::format("expected at most 1000 pre-bins, got {}", prebins));
  if ((monotonic == MonotonicTrend::concave || monotonic == MonotonicTrend::convex) && prebins > 60) {
    check::fail("prebins", fmt::format("expected at most 60 pre-bins with a concave or convex trend, got {}", prebins));
  }
  check::in_closed_range("min_bin_share", min_bin_share, 0.0, 0.5);
  check::in_closed_range("max_bin_share", max_bin_share, 0.0, 1.0);
  if (max_bin_share < min_bin_share) {
    check::fail("max_bin_share", fmt::format("expected at least min_bin_share ({}), got {}", min_bin_share,
                                             max_bin_share));
  }
  check::non_negative("min_bin_events", min_bin_events);
  check::finite("min_bin_events", min_bin_events);
  check::non_negative("min_bin_non_events", min_bin_non_events);
  check::finite("min_bin_non_events", min_bin_non_events);
  check::non_negative("min_event_rate_diff", min_event_rate_diff);
  check::finite("min_event_rate_diff", min_event_rate_diff);
  check::in_closed_range("max_pvalue", max_pvalue, 0.0, 1.0);
  check::in_closed_range("turn_pvalue", turn_pvalue, 0.0, 1.0);
  check::in_closed_range("min_category_share", min_category_share, 0.0, 0.5);
  check::in_closed_range("woe_adjustment", woe_adjustment, 1e-12, 1e6);
  check::non_negative("chimerge_threshold", chimerge_threshold);
  check::finite("chimerge_threshold", chimerge_threshold);
  check::all_finite("breaks", breaks);
  check::sorted<double>("breaks", breaks, true);
  if (target == TargetType::continuous && method == BinningMethod::chimerge) {
    check::fail("method", "'chimerge' needs a binary target (its statistic is a 2 x 2 chi-square); use 'optimal' or "
                          "'tree' for a continuous target");
  }
  const bool trend_free = method == BinningMethod::quantile || method == BinningMethod::uniform ||
                          method == BinningMethod::manual;
  if (trend_free && monotonic != MonotonicTrend::automatic && monotonic != MonotonicTrend::none) {
    check::fail("monotonic", fmt::format("method '{}' keeps its bins as defined; a trend ('{}') needs method "
                                         "'optimal', 'tree' or 'chimerge'",
                                         enum_name(method), enum_name(monotonic)));
  }
  const bool shaped = monotonic == MonotonicTrend::peak || monotonic == MonotonicTrend::valley ||
                      monotonic == MonotonicTrend::concave || monotonic == MonotonicTrend::convex;
  if (shaped && method != BinningMethod::optimal) {
    check::fail("monotonic", fmt::format("'{}' is supported by method 'optimal' only (tree and chimerge enforce "
                                         "ascending or descending trends)",
                                         enum_name(monotonic)));
  }
  std::vector<double> seen;
  for (std::size_t g = 0; g < special_values.size(); ++g) {
    if (special_values[g].empty()) check::fail("special_values", fmt::format("group {} is empty", g));
    check::all_finite("special_values", special_values[g]);
    seen.insert(seen.end(), special_values[g].begin(), special_values[g].end());
  }
  std::sort(seen.begin(), seen.end());
  if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) {
    check::fail("special_values", fmt::format("the value {} appears twice", *std::adjacent_find(seen.begin(), seen.end())));
  }
  std::vector<std::string> names;
  for (const auto& group : special_categories) {
    if (group.empty()) check::fail("special_categories", "a group is empty");
    names.insert(names.end(), group.begin(), group.end());
  }
  for (const auto& group : groups) {
    if (group.empty()) check::fail("groups", "a group is empty");
    names.insert(names.end(), group.begin(), group.end());
  }
  std::sort(names.begin(), names.end());
  const auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) {
    check::fail("groups", fmt::format("the category '{}' appears in two groups (or is also special)", *dup));
  }
}

std::string Bin::label() const {
  auto number = [](double v) { return std::isinf(v) ? std::string(v > 0 ? "inf" : "-inf") : fmt::format("{:.6g}", v); };
  auto quoted = [](const std::vector<std::string>& cs) {
    std::string out = "[";
    for (std::size_t i = 0; i < cs.size(); ++i) {
      out += i ? ", '" : "'";
      for (char c : cs[i]) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += "'";
    }
    return out + "]";
  };
  switch (kind) {
    case BinKind::missing: return "missing";
    case BinKind::special: {
      if (!categories.empty()) return "special " + quoted(categories);
      std::string values;
      for (std::size_t i = 0; i < special_values.size(); ++i) values += (i ? ", " : "") + number(special_values[i]);
      return special_values.size() == 1 ? "special " + values : "special {" + values + "}";
    }
    case BinKind::regular:
    default:
      if (!categories.empty()) return quoted(categories);
      return fmt::format("[{}, {})", number(lower), number(upper));
  }
}

std::size_t VariableBinning::bin_of(double x) const noexcept {
  if (std::isnan(x)) return missing_index_;
  if (categorical) {
    if (category_type == CategoryType::text) return npos;
    return bin_of(std::string_view(category_key(x, category_type)));
  }
  for (const auto& [value, index] : special_index_) {
    if (x == value) return index;
  }
  if (regular_uppers_.empty()) return npos;
  // the first regular bin whose upper bound exceeds x (the last one's is +inf)
  const std::size_t k = detail::count_at_most(regular_uppers_, x);
  return k < regular_uppers_.size() ? k : regular_uppers_.size() - 1;
}

std::size_t VariableBinning::bin_of(std::string_view category) const noexcept {
  const auto it = std::lower_bound(category_index_.begin(), category_index_.end(), category,
                                   [](const auto& entry, std::string_view c) { return entry.first < c; });
  return it != category_index_.end() && it->first == category ? it->second : npos;
}

std::size_t VariableBinning::bin_of_text(std::string_view text) const {
  if (text.empty()) return missing_index_;
  if (!categorical) {
    std::string key;
    if (!canonical_key(text, CategoryType::number, key)) return npos;
    return bin_of(std::stod(key));
  }
  std::string key;
  if (!canonical_key(text, category_type, key)) return npos;
  return bin_of(std::string_view(key));
}

std::size_t VariableBinning::regular_bins() const noexcept {
  std::size_t k = 0;
  for (const Bin& b : bins) k += b.kind == BinKind::regular;
  return k;
}

std::vector<double> VariableBinning::cut_points() const {
  std::vector<double> cuts;
  for (const Bin& b : bins) {
    if (b.kind == BinKind::regular && std::isfinite(b.upper) && b.categories.empty()) cuts.push_back(b.upper);
  }
  return cuts;
}

std::vector<BinRates> bin_rates(const VariableBinning& b) {
  double total = 0.0;
  for (const Bin& bin : b.bins) total += bin.counts.count;
  std::vector<BinRates> out(b.bins.size());
  for (std::size_t k = 0; k < b.bins.size(); ++k) {
    const BinCounts& c = b.bins[k].counts;
    BinRates& r = out[k];
    r.share = total > 0 ? c.count / total : 0.0;
    if (!(c.count > 0)) continue;
    if (b.target == TargetType::continuous) {
      r.mean = c.events / c.count;  // events holds sum w * y
      r.std_dev = std::sqrt(std::max(c.sum_squares / c.count - r.mean * r.mean, 0.0));
    } else {
      r.event_rate = c.events / c.count;
    }
  }
  return out;
}

void VariableBinning::refresh() {
  total_iv = 0.0;
  if (target == TargetType::binary) {
    const double adjustment = woe_adjustment * (total.rows > 0 ? total.count / total.rows : 1.0);
    for (Bin& b : bins) {
      b.woe = weight_of_evidence(b.counts, total.events, total.non_events, adjustment);
      b.iv = information_value(b.counts, total.events, total.non_events, adjustment);
      total_iv += b.iv;
    }
    return;
  }
  const double mean = total.mean();
  const double total_ss = total.count * total.variance();
  for (Bin& b : bins) {
    b.woe = b.counts.count > 0 ? b.counts.mean() : mean;  // an empty bin scores the population mean
    const double d = b.counts.mean() - mean;
    b.iv = (b.counts.count > 0 && total_ss > 0) ? b.counts.count * d * d / total_ss : 0.0;
    total_iv += b.iv;
  }
}

void VariableBinning::index() {
  missing_index_ = npos;
  regular_uppers_.clear();
  for (const Bin& bin : bins) {
    if (bin.kind != BinKind::regular) break;
    if (!categorical) regular_uppers_.push_back(bin.upper);
  }
  special_index_.clear();
  category_index_.clear();
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const Bin& bin = bins[i];
    if (bin.kind == BinKind::missing) missing_index_ = i;
    if (bin.kind == BinKind::special) {
      for (double v : bin.special_values) special_index_.emplace_back(v, i);
    }
    for (const auto& c : bin.categories) category_index_.emplace_back(c, i);
  }
  std::sort(category_index_.begin(), category_index_.end());
}

VariableBinning bin_numeric(std::string_view name, std::span<const double> x, std::span<const double> y,
                            std::span<const double> weights, const BinningOptions& o) {
  o.validate();
  check_target_and_weights(x.size(), y, weights, o.target);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isinf(x[i])) {
      check::fail(name, fmt::format("expected finite values or NaN (missing), found {} at index {}", x[i], i));
    }
  }
  const BinCounts total = totals_of(y, weights, o.target);
  auto w_at = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  // equal weights where positive (0 leaves a row out): the quantiles of the unweighted rows kept
  const auto first_positive = std::find_if(weights.begin(), weights.end(), [](double v) { return v > 0; });
  const bool uniform_weights =
      weights.empty() || std::all_of(weights.begin(), weights.end(), [&](double v) { return v == 0 || v == *first_positive; });

  // Special groups: value -> group, sorted by value.
  std::vector<std::pair<double, std::size_t>> special_of;
  for (std::size_t g = 0; g < o.special_values.size(); ++g) {
    for (double v : o.special_values[g]) special_of.emplace_back(v, g);
  }
  std::sort(special_of.begin(), special_of.end());

  BinCounts missing;
  std::vector<Bin> specials(o.special_values.size());
  std::vector<std::size_t> regular;  // rows with an ordinary value
  regular.reserve(x.size());
  double lo = kInf, hi = -kInf;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (w_at(i) == 0.0) continue;  // left out, also of the cuts: the bins of the data without it
    if (std::isnan(x[i])) {
      missing.add(y[i], w_at(i));
      continue;
    }
    if (!special_of.empty()) {
      const auto it = std::lower_bound(special_of.begin(), special_of.end(), std::pair{x[i], std::size_t{0}});
      if (it != special_of.end() && it->first == x[i]) {
        specials[it->second].counts.add(y[i], w_at(i));
        continue;
      }
    }
    regular.push_back(i);
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  for (std::size_t g = 0; g < specials.size(); ++g) {
    specials[g].kind = BinKind::special;
    specials[g].special_values = o.special_values[g];
    std::sort(specials[g].special_values.begin(), specials[g].special_values.end());
  }

  // Cut points: x < c goes left. A quantile cut is the next distinct value above the value at the
  // quantile, so the value at each quantile stays in the left bin (as pandas.qcut) and ties are
  // never split. The fine grid has kFinePerPrebin times as many quantiles as the pre-bins, at the
  // same positions, so every pre-bin cut is a fine cut.
  const int fine_parts = o.prebins * kFinePerPrebin;
  std::vector<double> fine_cuts, prebin_cuts;
  if (!regular.empty()) {
    std::vector<int> parts_list{fine_parts};
    if (o.method == BinningMethod::quantile) parts_list.push_back(o.max_bins);
    // values at the quantile positions k / parts, for every parts in parts_list, and the smallest
    // regular value above each of them (the cut that keeps the quantile value's ties on its left)
    std::vector<std::vector<double>> at(parts_list.size());
    std::vector<double> distinct, next_above;
    const std::size_t n = regular.size();
    if (uniform_weights) {
      // The value at cumulative count n k / parts is order statistic ceil(n k / parts) - 1:
      // selected in O(n log parts), no sort.
      std::vector<double> work(n);
      for (std::size_t r = 0; r < n; ++r) work[r] = x[regular[r]];
      std::vector<std::size_t> positions;
      std::vector<std::vector<std::size_t>> wanted(parts_list.size());
      for (std::size_t p = 0; p < parts_list.size(); ++p) {
        const auto parts = static_cast<std::size_t>(parts_list[p]);
        for (std::size_t k = 1; k < parts; ++k) wanted[p].push_back((n * k + parts - 1) / parts - 1);
        positions.insert(positions.end(), wanted[p].begin(), wanted[p].end());
      }
      std::sort(positions.begin(), positions.end());
      positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
      stats::select_order_statistics(work, positions);
      for (std::size_t p = 0; p < parts_list.size(); ++p) {
        for (std::size_t pos : wanted[p]) at[p].push_back(work[pos]);
      }
      // After the selection, work[q] >= work[pos] for q > pos, and the elements between two
      // positions lie between their values: the next value above work[pos] is the smallest
      // element above it in the following segments, found in one pass over the array.
      const std::size_t m = positions.size();
      for (std::size_t k = 0; k < m;) {
        const double v = work[positions[k]];
        std::size_t last = k;  // the last position holding v (ties)
        while (last + 1 < m && work[positions[last + 1]] == v) ++last;
        // the segment after it, up to and including the next position (whose value exceeds v)
        const std::size_t end = last + 1 < m ? positions[last + 1] + 1 : n;
        double above = kInf;
        for (std::size_t q = positions[last] + 1; q < end; ++q) {
          const double w = work[q];
          above = (w > v && w < above) ? w : above;
        }
        distinct.push_back(v);
        next_above.push_back(above);
        k = last + 1;
      }
    } else {
      std::vector<std::size_t> order = regular;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
      double weight_sum = 0.0;
      for (std::size_t i : order) weight_sum += weights[i];
      for (std::size_t p = 0; p < parts_list.size(); ++p) {
        const int parts = parts_list[p];
        double cumulative = 0.0;
        int next = 1;
        for (std::size_t i : order) {
          cumulative += weights[i];
          while (next < parts && cumulative >= weight_sum * next / parts * (1 - 1e-12)) {
            ++next;
            at[p].push_back(x[i]);
          }
        }
        while (static_cast<int>(at[p].size()) < parts - 1) at[p].push_back(x[order.back()]);
      }
      for (const auto& v : at) distinct.insert(distinct.end(), v.begin(), v.end());
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      next_above.assign(distinct.size(), kInf);
      for (std::size_t k = 0; k < distinct.size(); ++k) {  // the data are sorted: the next value above
        const auto it = std::upper_bound(order.begin(), order.end(), distinct[k],
                                         [&](double v, std::size_t i) { return v < x[i]; });
        if (it != order.end()) next_above[k] = x[*it];
      }
    }
    auto cut_of = [&](double v) {
      return next_above[static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), v) -
                                                 distinct.begin())];
    };
    auto clean = [&](std::vector<double>& cuts) {
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      std::erase_if(cuts, [&](double c) { return !std::isfinite(c) || !(c > lo) || c > hi; });
    };
    for (double v : at[0]) fine_cuts.push_back(cut_of(v));
    // Heavily tied (discrete) data, such as months or counts: every distinct value is a fine cut,
    // so a hand edit can break at any value the data holds. Found in one pass, given up past a cap.
    if (distinct.size() * 2 < static_cast<std::size_t>(fine_parts)) {
      const std::size_t cap = 4 * static_cast<std::size_t>(fine_parts);
      std::vector<double> values;
      for (std::size_t i : regular) {
        const auto it = std::lower_bound(values.begin(), values.end(), x[i]);
        if (it != values.end() && *it == x[i]) continue;
        if (values.size() == cap) {
          values.clear();
          break;
        }
        values.insert(it, x[i]);
      }
      fine_cuts.insert(fine_cuts.end(), values.begin(), values.end());
    }
    clean(fine_cuts);
    if (o.method == BinningMethod::quantile) {
      for (double v : at[1]) prebin_cuts.push_back(cut_of(v));
      clean(prebin_cuts);
    } else if (o.method == BinningMethod::uniform) {
      for (int k = 1; k < o.max_bins; ++k) prebin_cuts.push_back(lo + (hi - lo) * k / o.max_bins);
      clean(prebin_cuts);
    } else if (o.method == BinningMethod::manual) {
      prebin_cuts = o.breaks;  // as asked, empty bins included
    } else {
      // every kFinePerPrebin-th fine position
      for (std::size_t k = kFinePerPrebin - 1; k < at[0].size(); k += kFinePerPrebin) {
        prebin_cuts.push_back(cut_of(at[0][k]));
      }
      clean(prebin_cuts);
    }
    // the method's cuts are fine cuts too, so bins are unions of fine bins
    fine_cuts.insert(fine_cuts.end(), prebin_cuts.begin(), prebin_cuts.end());
    std::sort(fine_cuts.begin(), fine_cuts.end());
    fine_cuts.erase(std::unique(fine_cuts.begin(), fine_cuts.end()), fine_cuts.end());
  }

  // The row pass: counts per fine bin, and the count of each fine bin's largest value (the
  // candidates for the most frequent value: any value holding at least 1/fine_parts of the rows
  // sits at a quantile position, so it is the largest value of its fine bin).
  const std::size_t n_fine = regular.empty() ? 0 : fine_cuts.size() + 1;
  std::vector<BinCounts> fine(n_fine);
  std::vector<double> top_value(n_fine, -kInf), top_rows(n_fine, 0.0);
  const detail::SortedCuts index(fine_cuts);
  for (std::size_t i : regular) {
    const std::size_t f = index.count_at_most(x[i]);
    fine[f].add(y[i], w_at(i));
    if (x[i] > top_value[f]) {
      top_value[f] = x[i];
      top_rows[f] = 1.0;
    } else if (x[i] == top_value[f]) {
      top_rows[f] += 1.0;
    }
  }
  double largest_rows = missing.rows;
  for (double r : top_rows) largest_rows = std::max(largest_rows, r);
  for (const Bin& s : specials) largest_rows = std::max(largest_rows, s.counts.rows);  // a group counts as one value

  const std::vector<BinCounts> prebins =
      regular.empty() ? std::vector<BinCounts>{} : detail::merge_fine(fine_cuts, fine, prebin_cuts);
  const Grouping grouping = group_prebins(prebins, total, o, false);

  VariableBinning b = start_binning(name, false, grouping, total, o);
  detail::numeric_bins_from_grouping(b, prebin_cuts, prebins, grouping.starts);
  b.fine_cuts = std::move(fine_cuts);
  b.fine_counts = std::move(fine);
  b.largest_value_share = total.rows > 0 ? largest_rows / total.rows : 0.0;
  detail::finish_binning(b, missing, specials);
  return b;
}

PrebinCounts count_prebins(std::span<const double> x, std::span<const double> y, std::span<const double> weights,
                           std::span<const double> cuts, const BinningOptions& o) {
  o.validate();
  check::same_size("x", x.size(), "y", y.size());
  if (o.target == TargetType::binary) {
    check::binary("y", y);
  } else {
    check::all_finite("y", y);
  }
  if (!weights.empty()) {
    check::same_size("x", x.size(), "weights", weights.size());
    check::all_finite("weights", weights);
    check::all_non_negative("weights", weights);
  }
  check::all_finite("cuts", cuts);
  check::sorted<double>("cuts", cuts, true);
  std::vector<std::pair<double, std::size_t>> special_of;
  for (std::size_t g = 0; g < o.special_values.size(); ++g) {
    for (double v : o.special_values[g]) special_of.emplace_back(v, g);
  }
  std::sort(special_of.begin(), special_of.end());
  PrebinCounts out;
  out.cuts.assign(cuts.begin(), cuts.end());
  out.bins.resize(cuts.size() + 1);
  out.top_value.assign(cuts.size() + 1, -kInf);
  out.top_rows.assign(cuts.size() + 1, 0.0);
  out.specials.resize(o.special_values.size());
  const detail::SortedCuts index(out.cuts);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double v = x[i], w = weights.empty() ? 1.0 : weights[i];
    if (w == 0.0) continue;  // left out, as in bin_numeric
    if (std::isnan(v)) {
      out.missing.add(y[i], w);
      continue;
    }
    if (std::isinf(v)) check::fail("x", fmt::format("expected finite values or NaN (missing), found {} at index {}", v, i));
    if (!special_of.empty()) {
      const auto it = std::lower_bound(special_of.begin(), special_of.end(), std::pair{v, std::size_t{0}});
      if (it != special_of.end() && it->first == v) {
        out.specials[it->second].add(y[i], w);
        continue;
      }
    }
    const std::size_t f = index.count_at_most(v);
    out.bins[f].add(y[i], w);
    if (v > out.top_value[f]) {
      out.top_value[f] = v;
      out.top_rows[f] = 1.0;
    } else if (v == out.top_value[f]) {
      out.top_rows[f] += 1.0;
    }
  }
  return out;
}

PrebinCounts merge_prebin_counts(std::span<const PrebinCounts> parts) {
  check::not_empty("counts", parts.size());
  PrebinCounts out = parts[0];
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const PrebinCounts& part = parts[p];
    if (part.cuts != out.cuts || part.bins.size() != out.bins.size() || part.top_value.size() != out.bins.size() ||
        part.top_rows.size() != out.bins.size() || part.specials.size() != out.specials.size()) {
      check::fail("counts", fmt::format("part {} has other pre-bins or special groups than part 0 ({} cuts and {} "
                                        "special groups, against {} and {})",
                                        p, part.cuts.size(), part.specials.size(), out.cuts.size(),
                                        out.specials.size()));
    }
    if (p == 0) continue;
    for (std::size_t f = 0; f < out.bins.size(); ++f) {
      out.bins[f].merge(part.bins[f]);
      if (part.top_value[f] > out.top_value[f]) {
        out.top_value[f] = part.top_value[f];
        out.top_rows[f] = part.top_rows[f];
      } else if (part.top_value[f] == out.top_value[f]) {
        out.top_rows[f] += part.top_rows[f];
      }
    }
    out.missing.merge(part.missing);
    for (std::size_t g = 0; g < out.specials.size(); ++g) out.specials[g].merge(part.specials[g]);
  }
  return out;
}

VariableBinning bin_prebins(std::string_view name, const PrebinCounts& counts, const BinningOptions& o) {
  o.validate();
  if (o.method != BinningMethod::optimal && o.method != BinningMethod::chimerge && o.method != BinningMethod::tree) {
    check::fail("method", fmt::format("expected 'optimal', 'chimerge' or 'tree' to group fixed pre-bins, got '{}' "
                                      "(it cuts the data itself)",
                                      enum_name(o.method)));
  }
  const std::size_t m = counts.cuts.size() + 1;
  if (counts.bins.size() != m || counts.top_value.size() != m || counts.top_rows.size() != m) {
    check::fail("counts", fmt::format("expected {} pre-bins for {} cuts, got {}", m, counts.cuts.size(),
                                      counts.bins.size()));
  }
  if (counts.specials.size() != o.special_values.size()) {
    check::fail("counts", fmt::format("expected counts of {} special groups (options.special_values), got {}",
                                      o.special_values.size(), counts.specials.size()));
  }
  check::sorted<double>("counts", counts.cuts, true);
  BinCounts total;
  for (const BinCounts& b : counts.bins) total.merge(b);
  total.merge(counts.missing);
  for (const BinCounts& s : counts.specials) total.merge(s);
  if (!(total.rows > 0)) check::fail("x", "expected at least one row");
  if (!(total.count > 0)) check::fail("weights", "expected a positive sum of weights");
  if (o.target == TargetType::binary && (!(total.events > 0) || !(total.non_events > 0))) {
    check::fail("y", fmt::format("expected both classes (0 and 1) with positive weight, got {} events and {} "
                                 "non-events",
                                 total.events, total.non_events));
  }
  // Empty pre-bins join the next non-empty one (trailing ones the last): the cut between two kept
  // pre-bins is the one right after the earlier, so the bins still tile the line.
  std::vector<double> cuts;
  std::vector<BinCounts> prebins;
  std::vector<double> top_rows;
  std::size_t previous = m;
  for (std::size_t f = 0; f < m; ++f) {
    if (!(counts.bins[f].rows > 0)) continue;
    if (previous != m) cuts.push_back(counts.cuts[previous]);
    prebins.push_back(counts.bins[f]);
    top_rows.push_back(counts.top_rows[f]);
    previous = f;
  }
  const Grouping grouping = group_prebins(prebins, total, o, false);
  VariableBinning b = start_binning(name, false, grouping, total, o);
  detail::numeric_bins_from_grouping(b, cuts, prebins, grouping.starts);
  std::vector<Bin> specials(o.special_values.size());
  double largest_rows = counts.missing.rows;
  for (double r : top_rows) largest_rows = std::max(largest_rows, r);
  for (std::size_t g = 0; g < specials.size(); ++g) {
    specials[g].kind = BinKind::special;
    specials[g].special_values = o.special_values[g];
    std::sort(specials[g].special_values.begin(), specials[g].special_values.end());
    specials[g].counts = counts.specials[g];
    largest_rows = std::max(largest_rows, counts.specials[g].rows);
  }
  b.fine_cuts = cuts;
  b.fine_counts = prebins;
  b.largest_value_share = total.rows > 0 ? largest_rows / total.rows : 0.0;
  detail::finish_binning(b, counts.missing, specials);
  return b;
}

VariableBinning bin_categorical(std::string_view name, std::span<const std::int32_t> codes,
                                std::span<const std::string> keys, CategoryType type, std::span<const double> y,
                                std::span<const double> weights, const BinningOptions& o) {
  o.validate();
  check_target_and_weights(codes.size(), y, weights, o.target);
  const BinCounts total = totals_of(y, weights, o.target);
  const auto n_keys = static_cast<std::int32_t>(keys.size());
  std::vector<BinCounts> per_key(keys.size());
  BinCounts missing;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (codes[i] == -1) {
      missing.add(y[i], w);
    } else if (codes[i] < 0 || codes[i] >= n_keys) {
      check::fail("codes", fmt::format("expected codes in [-1, {}), found {} at index {}", n_keys, codes[i], i));
    } else {
      per_key[static_cast<std::size_t>(codes[i])].add(y[i], w);
    }
  }
  // Keys may repeat (two spellings of one category): merge them, sorted by key.
  std::map<std::string, BinCounts> by_key;
  for (std::size_t c = 0; c < keys.size(); ++c) by_key[keys[c]].merge(per_key[c]);

  // Special categories: their own bins.
  std::vector<Bin> specials(o.special_categories.size());
  std::map<std::string, std::size_t> special_of;
  for (std::size_t g = 0; g < o.special_categories.size(); ++g) {
    specials[g].kind = BinKind::special;
    specials[g].categories = o.special_categories[g];
    std::sort(specials[g].categories.begin(), specials[g].categories.end());
    for (const auto& c : o.special_categories[g]) special_of[c] = g;
  }

  VariableBinning b;
  std::vector<std::string> fine_keys;
  std::vector<BinCounts> fine_counts;
  double largest_rows = missing.rows;
  for (const auto& [key, counts] : by_key) {
    const auto s = special_of.find(key);
    if (s != special_of.end()) {
      specials[s->second].counts.merge(counts);
      continue;
    }
    if (counts.rows <= 0) continue;
    fine_keys.push_back(key);
    fine_counts.push_back(counts);
    largest_rows = std::max(largest_rows, counts.rows);
  }
  for (const Bin& s : specials) largest_rows = std::max(largest_rows, s.counts.rows);

  Grouping grouping;
  std::vector<Bin> regular_bins;
  if (o.method == BinningMethod::manual && !o.groups.empty()) {
    // the groups as given, then every other category on its own
    std::map<std::string, std::size_t> group_of;
    for (std::size_t g = 0; g < o.groups.size(); ++g) {
      for (const auto& c : o.groups[g]) group_of[c] = g;
    }
    regular_bins.resize(o.groups.size());
    for (std::size_t g = 0; g < o.groups.size(); ++g) {
      regular_bins[g].categories = o.groups[g];
      std::sort(regular_bins[g].categories.begin(), regular_bins[g].categories.end());
    }
    for (std::size_t f = 0; f < fine_keys.size(); ++f) {
      const auto it = group_of.find(fine_keys[f]);
      if (it != group_of.end()) {
        regular_bins[it->second].counts.merge(fine_counts[f]);
      } else {
        Bin own;
        own.categories = {fine_keys[f]};
        own.counts = fine_counts[f];
        regular_bins.push_back(std::move(own));
      }
    }
    grouping.method = "manual";
  } else {
    // Units to group: each category with enough share, and one pool of the rare ones.
    struct Unit {
      std::vector<std::string> categories;
      BinCounts counts;
    };
    std::vector<Unit> units;
    Unit rare;
    for (std::size_t f = 0; f < fine_keys.size(); ++f) {
      if (fine_counts[f].count < o.min_category_share * total.count) {
        rare.categories.push_back(fine_keys[f]);
        rare.counts.merge(fine_counts[f]);
      } else {
        units.push_back({{fine_keys[f]}, fine_counts[f]});
      }
    }
    if (!rare.categories.empty()) units.push_back(rare);
    std::stable_sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
      const double ra = a.counts.event_rate(), rb = b.counts.event_rate();
      return ra != rb ? ra < rb : a.categories.front() < b.categories.front();
    });
    std::vector<BinCounts> prebins;
    for (const Unit& u : units) prebins.push_back(u.counts);
    grouping = group_prebins(prebins, total, o, true);
    for (std::size_t k = 0; k < grouping.starts.size(); ++k) {
      Bin bin;
      const std::size_t end = k + 1 < grouping.starts.size() ? grouping.starts[k + 1] : units.size();
      for (std::size_t u = grouping.starts[k]; u < end; ++u) {
        bin.counts.merge(units[u].counts);
        bin.categories.insert(bin.categories.end(), units[u].categories.begin(), units[u].categories.end());
      }
      std::sort(bin.categories.begin(), bin.categories.end());
      regular_bins.push_back(std::move(bin));
    }
  }
  b = start_binning(name, true, grouping, total, o);
  b.category_type = type;
  b.bins = std::move(regular_bins);
  b.fine_categories = std::move(fine_keys);
  b.fine_counts = std::move(fine_counts);
  b.largest_value_share = total.rows > 0 ? largest_rows / total.rows : 0.0;
  detail::finish_binning(b, missing, specials);
  return b;
}

VariableBinning bin_column(const ColumnView& column, std::span<const double> y, std::span<const double> weights,
                           const BinningOptions& options) {
  check_column(column);
  if (!column.categorical) return bin_numeric(column.name, column.numbers, y, weights, options);
  if (!column.codes.empty()) {
    if (column.type == CategoryType::text) {
      return bin_categorical(column.name, column.codes, column.keys, column.type, y, weights, options);
    }
    std::vector<std::string> keys;
    keys.reserve(column.number_keys.size());
    for (double v : column.number_keys) keys.push_back(std::isnan(v) ? std::string() : category_key(v, column.type));
    std::vector<std::int32_t> codes(column.codes.begin(), column.codes.end());
    for (auto& c : codes) {
      if (c >= 0 && static_cast<std::size_t>(c) < keys.size() && keys[static_cast<std::size_t>(c)].empty()) c = -1;
    }
    return bin_categorical(column.name, codes, keys, column.type, y, weights, options);
  }
  // strings or numbers: factorise here
  std::map<std::string, std::int32_t> code_of;
  std::vector<std::string> keys;
  std::vector<std::int32_t> codes(column.size(), -1);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    std::string key;
    if (!column.strings.empty()) {
      if (column.strings[i].empty()) continue;
      if (!canonical_key(column.strings[i], column.type, key)) {
        check::fail(column.name, fmt::format("expected {} categories, found '{}' at row {}", enum_name(column.type),
                                             column.strings[i], i));
      }
    } else {
      if (std::isnan(column.numbers[i])) continue;
      key = category_key(column.numbers[i], column.type);
    }
    const auto [it, inserted] = code_of.try_emplace(key, static_cast<std::int32_t>(keys.size()));
    if (inserted) keys.push_back(key);
    codes[i] = it->second;
  }
  return bin_categorical(column.name, codes, keys, column.type, y, weights, options);
}

void bin_indices(const VariableBinning& b, const ColumnView& column, std::span<std::int32_t> out) {
  check_column(column);
  check::same_size(column.name, column.size(), "out", out.size());
  auto to_code = [](std::size_t k) { return k == VariableBinning::npos ? -1 : static_cast<std::int32_t>(k); };
  if (b.categorical != column.categorical && !(b.categorical && !column.numbers.empty())) {
    check::fail(column.name, b.categorical ? "the binning is categorical, got a numeric column"
                                           : "the binning is numeric, got a categorical column");
  }
  if (!column.codes.empty()) {
    // each distinct key once, then an integer lookup per row
    const std::size_t n_keys = column.type == CategoryType::text ? column.keys.size() : column.number_keys.size();
    std::vector<std::int32_t> of_key(n_keys);
    for (std::size_t k = 0; k < n_keys; ++k) {
      if (column.type == CategoryType::text) {
        of_key[k] = to_code(b.categorical ? b.bin_of(std::string_view(column.keys[k])) : b.bin_of_text(column.keys[k]));
      } else {
        of_key[k] = to_code(b.bin_of(column.number_keys[k]));
      }
    }
    const auto missing = to_code(b.missing_bin());
    const auto codes = column.codes;
    parallel_for_chunks(codes.size(), 1 << 16, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const std::int32_t c = codes[i];
        out[i] = c < 0 ? missing : (static_cast<std::size_t>(c) < n_keys ? of_key[static_cast<std::size_t>(c)] : -1);
      }
    });
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (codes[i] < -1 || codes[i] >= static_cast<std::int32_t>(n_keys)) {
        check::fail(column.name, fmt::format("code {} at row {} is outside the {} keys", codes[i], i, n_keys));
      }
    }
    return;
  }
  if (!column.strings.empty()) {
    parallel_for_chunks(column.strings.size(), 1 << 14, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) out[i] = to_code(b.bin_of_text(column.strings[i]));
    });
    return;
  }
  const auto xs = column.numbers;
  parallel_for_chunks(xs.size(), 1 << 16, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = to_code(b.bin_of(xs[i]));
  });
}

}  // namespace bankquant::scorecard
