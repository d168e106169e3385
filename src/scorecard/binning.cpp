#include "bankquant/scorecard/binning.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/statistics.hpp"

namespace bankquant::scorecard {
namespace {

constexpr std::string_view kMethodNames[] = {"optimal", "chimerge", "tree", "quantile", "uniform", "manual"};
constexpr std::string_view kTrendNames[] = {"auto", "ascending", "descending", "peak", "valley", "none"};
constexpr std::string_view kCriterionNames[] = {"gini", "entropy"};

template <typename Enum, std::size_t N>
Enum enum_from_string(std::string_view s, const std::string_view (&names)[N], std::string_view argument) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  check::fail(argument, fmt::format("expected one of {}, got '{}'", fmt::join(names, ", "), s));
}

constexpr double kInf = std::numeric_limits<double>::infinity();

// How many of the sorted values are <= x (or < x). For the short arrays of cut points (tens), a
// branch-free count that the compiler vectorises is several times faster than a binary search,
// whose branches mispredict on unordered data (measured: 25 ns -> 3 ns per lookup over 20 cuts).
std::size_t count_at_most(const std::vector<double>& sorted, double x) {
  if (sorted.size() > 64) return static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
  std::size_t n = 0;
  for (double v : sorted) n += v <= x;
  return n;
}

std::size_t count_below(const std::vector<double>& sorted, double x) {
  if (sorted.size() > 64) return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
  std::size_t n = 0;
  for (double v : sorted) n += v < x;
  return n;
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
    return {b.count - a.count, b.events - a.events, b.non_events - a.non_events};
  }

 private:
  std::vector<BinCounts> prefix_;
};

struct Limits {
  double min_count;
  double min_events;
  double min_non_events;
  [[nodiscard]] bool admits(const BinCounts& c) const {
    // a small tolerance keeps weighted sums that equal a limit from failing by rounding
    return c.count >= min_count * (1 - 1e-12) && c.events >= min_events * (1 - 1e-12) &&
           c.non_events >= min_non_events * (1 - 1e-12);
  }
};

Limits limits_of(const BinningOptions& o, const BinCounts& total) {
  return {o.min_bin_share * total.count, o.min_bin_events, o.min_bin_non_events};
}

// ---- optimal: exact dynamic program ------------------------------------------------------------

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

std::vector<std::size_t> optimal_dp(const std::vector<BinCounts>& prebins, const BinCounts& total,
                                    const BinningOptions& o, MonotonicTrend trend) {
  const std::size_t m = prebins.size();
  if (m == 0) return {};
  const std::size_t max_k = std::min<std::size_t>(static_cast<std::size_t>(o.max_bins), m);
  const RunCounts runs(prebins);
  const Limits limits = limits_of(o, total);
  const Phases phases = phases_of(trend);
  const int n_phases = phases.second == 0 ? 1 : 2;

  // Per run j..i: admissible?, IV, event rate.
  std::vector<double> iv(m * m, 0.0), rate(m * m, 0.0);
  std::vector<char> ok(m * m, 0);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t i = j; i < m; ++i) {
      const BinCounts c = runs.of(j, i);
      ok[j * m + i] = limits.admits(c);
      iv[j * m + i] = information_value(c, total.events, total.non_events, o.woe_adjustment);
      rate[j * m + i] = c.event_rate();
    }
  }

  // best[p][k][j][i]: best IV of pre-bins 0..i in k+1 bins whose last bin is j..i, in phase p.
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
    if (ok[i]) best[at(0, 0, 0, i)] = iv[i];
  }
  for (std::size_t k = 1; k < max_k; ++k) {
    for (std::size_t j = k; j < m; ++j) {
      for (std::size_t i = j; i < m; ++i) {
        if (!ok[j * m + i]) continue;
        const double r = rate[j * m + i];
        for (int p = 0; p < n_phases; ++p) {
          const int direction = p == 0 ? phases.first : phases.second;
          double value = kNone;
          std::int32_t from = -1;
          for (int q = 0; q <= p; ++q) {  // stay in the phase, or move from the first to the second
            for (std::size_t l = k - 1; l < j; ++l) {
              const double before = best[at(q, k - 1, l, j - 1)];
              if (before == kNone || !ordered(direction, rate[l * m + j - 1], r)) continue;
              if (before > value) {
                value = before;
                from = static_cast<std::int32_t>(q * static_cast<int>(m) + static_cast<int>(l));
              }
            }
          }
          if (from >= 0) {
            best[at(p, k, j, i)] = value + iv[j * m + i];
            parent[at(p, k, j, i)] = from;
          }
        }
      }
    }
  }

  // The best complete grouping (ending at pre-bin m-1); ties go to fewer bins, then phase 0.
  double top = kNone;
  int top_p = 0;
  std::size_t top_k = 0, top_j = 0;
  for (std::size_t k = 0; k < max_k; ++k) {
    for (int p = 0; p < n_phases; ++p) {
      for (std::size_t j = 0; j < m; ++j) {
        const double v = best[at(p, k, j, m - 1)];
        if (v > top + 1e-14 * std::abs(top) || (top == kNone && v != kNone)) {
          top = v;
          top_p = p;
          top_k = k;
          top_j = j;
        }
      }
    }
  }
  if (top == kNone) return {};
  std::vector<std::size_t> starts;
  int p = top_p;
  std::size_t k = top_k, j = top_j, i = m - 1;
  while (true) {
    starts.push_back(j);
    if (k == 0) break;
    const std::int32_t from = parent[at(p, k, j, i)];
    const int q = from / static_cast<int>(m);
    const auto l = static_cast<std::size_t>(from % static_cast<int>(m));
    i = j - 1;
    j = l;
    p = q;
    --k;
  }
  std::reverse(starts.begin(), starts.end());
  return starts;
}

// ---- chimerge ------------------------------------------------------------------------------------

double chi_square(const BinCounts& a, const BinCounts& b) {
  const double n = a.count + b.count;
  if (n <= 0) return 0.0;
  const double col_e = a.events + b.events, col_n = a.non_events + b.non_events;
  double chi = 0.0;
  for (const BinCounts* r : {&a, &b}) {
    const double exp_e = r->count * col_e / n, exp_n = r->count * col_n / n;
    if (exp_e > 0) chi += (r->events - exp_e) * (r->events - exp_e) / exp_e;
    if (exp_n > 0) chi += (r->non_events - exp_n) * (r->non_events - exp_n) / exp_n;
  }
  return chi;
}

std::vector<std::size_t> chimerge(const std::vector<BinCounts>& prebins, const BinCounts& total,
                                  const BinningOptions& o) {
  std::vector<std::size_t> starts(prebins.size());
  std::iota(starts.begin(), starts.end(), std::size_t{0});
  std::vector<BinCounts> groups = prebins;
  const Limits limits = limits_of(o, total);
  auto merge_at = [&](std::size_t g) {  // merges group g+1 into g
    groups[g].merge(groups[g + 1]);
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(g) + 1);
    starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(g) + 1);
  };
  while (groups.size() > 1) {
    std::size_t arg = 0;
    double smallest = kInf;
    for (std::size_t g = 0; g + 1 < groups.size(); ++g) {
      const double chi = chi_square(groups[g], groups[g + 1]);
      if (chi < smallest) {
        smallest = chi;
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
        arg = chi_square(groups[small - 1], groups[small]) <= chi_square(groups[small], groups[small + 1]) ? small - 1
                                                                                                             : small;
      }
    } else if (!too_many && smallest >= o.chimerge_threshold) {
      break;
    }
    merge_at(arg);
  }
  return starts;
}

// ---- tree ----------------------------------------------------------------------------------------

double impurity(const BinCounts& c, TreeCriterion criterion) {
  if (c.count <= 0) return 0.0;
  const double p = c.events / c.count;
  if (criterion == TreeCriterion::gini) return 1.0 - p * p - (1 - p) * (1 - p);
  auto h = [](double v) { return v > 0 ? -v * std::log(v) : 0.0; };
  return h(p) + h(1 - p);
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
      const BinCounts whole = runs.of(a, b);
      const double parent = whole.count * impurity(whole, o.tree_criterion);
      for (std::size_t s = a + 1; s <= b; ++s) {
        const BinCounts left = runs.of(a, s - 1), right = runs.of(s, b);
        if (!limits.admits(left) || !limits.admits(right)) continue;
        const double gain = parent - left.count * impurity(left, o.tree_criterion) -
                            right.count * impurity(right, o.tree_criterion);
        if (gain > best_gain * (1 + 1e-12) + 1e-15) {
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

// ---- shared steps ----------------------------------------------------------------------------------

void check_target_and_weights(std::size_t n, std::span<const double> y, std::span<const double> w) {
  check::not_empty("x", n);
  check::same_size("x", n, "y", y.size());
  check::binary("y", y);
  if (!w.empty()) {
    check::same_size("x", n, "weights", w.size());
    check::all_non_negative("weights", w);
    check::all_finite("weights", w);
  }
}

BinCounts totals_of(std::span<const double> y, std::span<const double> w) {
  BinCounts t;
  for (std::size_t i = 0; i < y.size(); ++i) t.add(y[i], w.empty() ? 1.0 : w[i]);
  if (!(t.events > 0) || !(t.non_events > 0)) {
    check::fail("y", fmt::format("expected both classes (0 and 1) with positive weight, got {} events and {} "
                                 "non-events",
                                 t.events, t.non_events));
  }
  return t;
}

struct Grouping {
  std::vector<std::size_t> starts;
  std::string method;
  std::string status;
};

Grouping group_prebins(const std::vector<BinCounts>& prebins, const BinCounts& total, const BinningOptions& o,
                       bool ordered_categories) {
  Grouping g;
  if (prebins.size() <= 1) {
    g.starts.assign(prebins.size(), 0);
    g.method = std::string(to_string(o.method));
    if (prebins.size() == 1) g.status = "a single distinct value (or category group): one bin";
    return g;
  }
  switch (o.method) {
    case BinningMethod::chimerge:
      g.starts = chimerge(prebins, total, o);
      g.method = "chimerge";
      return g;
    case BinningMethod::tree:
      g.starts = tree_splits(prebins, total, o);
      g.method = fmt::format("tree ({})", to_string(o.tree_criterion));
      return g;
    case BinningMethod::quantile:
    case BinningMethod::uniform:
    case BinningMethod::manual:
      if (!ordered_categories) {
        g.starts.resize(prebins.size());
        std::iota(g.starts.begin(), g.starts.end(), std::size_t{0});
        g.method = std::string(to_string(o.method));
        return g;
      }
      [[fallthrough]];  // categories: grouped optimally along their event-rate order
    case BinningMethod::optimal:
    default: {
      MonotonicTrend trend = ordered_categories ? MonotonicTrend::none : o.monotonic;
      if (trend == MonotonicTrend::automatic) {
        const auto up = optimal_dp(prebins, total, o, MonotonicTrend::ascending);
        const auto down = optimal_dp(prebins, total, o, MonotonicTrend::descending);
        auto iv_of = [&](const std::vector<std::size_t>& starts) {
          if (starts.empty()) return -kInf;
          const RunCounts runs(prebins);
          double s = 0.0;
          for (std::size_t k = 0; k < starts.size(); ++k) {
            const std::size_t last = k + 1 < starts.size() ? starts[k + 1] - 1 : prebins.size() - 1;
            s += information_value(runs.of(starts[k], last), total.events, total.non_events, o.woe_adjustment);
          }
          return s;
        };
        const bool use_down = iv_of(down) > iv_of(up);
        g.starts = use_down ? down : up;
        trend = use_down ? MonotonicTrend::descending : MonotonicTrend::ascending;
      } else {
        g.starts = optimal_dp(prebins, total, o, trend);
      }
      g.method = ordered_categories ? "optimal (categories ordered by event rate)"
                                    : fmt::format("optimal ({})", to_string(trend));
      if (g.starts.empty()) {
        g.starts = {0};
        g.status = fmt::format(
            "no grouping meets the constraints (min_bin_share {}, min_bin_events {}, min_bin_non_events {}, "
            "monotonic '{}'): one bin",
            o.min_bin_share, o.min_bin_events, o.min_bin_non_events, to_string(trend));
      }
      return g;
    }
  }
}

std::vector<BinCounts> merge_groups(const std::vector<BinCounts>& prebins, const std::vector<std::size_t>& starts) {
  std::vector<BinCounts> out(starts.size());
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : prebins.size();
    for (std::size_t p = starts[k]; p < end; ++p) out[k].merge(prebins[p]);
  }
  return out;
}

VariableBinning start_binning(std::string_view name, bool categorical, const Grouping& grouping,
                              const BinCounts& total) {
  VariableBinning b;
  b.name = std::string(name);
  b.categorical = categorical;
  b.method = grouping.method;
  b.status = grouping.status;
  b.total_events = total.events;
  b.total_non_events = total.non_events;
  return b;
}

// Appends the missing bin and one bin per special value after the regular bins, then computes
// WoE/IV and the lookup indexes.
void finish_binning(VariableBinning& b, const BinCounts& missing, const std::vector<double>& specials,
                    const std::vector<BinCounts>& special_counts, const BinningOptions& o) {
  if (b.bins.empty()) b.bins.push_back(Bin{});  // all values missing or special: one empty regular bin
  Bin missing_bin;
  missing_bin.kind = BinKind::missing;
  missing_bin.counts = missing;
  b.bins.push_back(missing_bin);
  for (std::size_t s = 0; s < specials.size(); ++s) {
    Bin bin;
    bin.kind = BinKind::special;
    bin.special_value = specials[s];
    bin.counts = special_counts[s];
    b.bins.push_back(bin);
  }
  b.refresh_woe(o.woe_adjustment);
  index_bins(b);
}

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.6g}", v);
}

}  // namespace

std::string_view to_string(BinningMethod v) { return kMethodNames[static_cast<int>(v)]; }
std::string_view to_string(MonotonicTrend v) { return kTrendNames[static_cast<int>(v)]; }
std::string_view to_string(TreeCriterion v) { return kCriterionNames[static_cast<int>(v)]; }
BinningMethod binning_method_from_string(std::string_view s) {
  return enum_from_string<BinningMethod>(s, kMethodNames, "method");
}
MonotonicTrend monotonic_trend_from_string(std::string_view s) {
  return enum_from_string<MonotonicTrend>(s, kTrendNames, "monotonic");
}
TreeCriterion tree_criterion_from_string(std::string_view s) {
  return enum_from_string<TreeCriterion>(s, kCriterionNames, "criterion");
}

void BinningOptions::validate() const {
  check::integer_at_least("max_bins", max_bins, 1);
  check::integer_at_least("prebins", prebins, 2);
  if (prebins > 1000) check::fail("prebins", fmt::format("expected at most 1000 pre-bins, got {}", prebins));
  check::in_closed_range("min_bin_share", min_bin_share, 0.0, 0.5);
  check::non_negative("min_bin_events", min_bin_events);
  check::non_negative("min_bin_non_events", min_bin_non_events);
  check::in_closed_range("min_category_share", min_category_share, 0.0, 0.5);
  check::in_closed_range("woe_adjustment", woe_adjustment, 1e-12, 1e6);
  check::non_negative("chimerge_threshold", chimerge_threshold);
  check::all_finite("breaks", breaks);
  check::sorted<double>("breaks", breaks, true);
  if (method == BinningMethod::manual && breaks.empty()) check::fail("breaks", "method 'manual' needs cut points");
  check::all_finite("special_values", special_values);
}

std::string Bin::label() const {
  switch (kind) {
    case BinKind::missing: return "missing";
    case BinKind::special: return fmt::format("special {}", format_number(special_value));
    case BinKind::regular:
    default:
      if (!categories.empty()) return fmt::format("{}", fmt::join(categories, ", "));
      return fmt::format("[{}, {})", format_number(lower), format_number(upper));
  }
}

std::size_t VariableBinning::bin_of(double x) const noexcept {
  if (std::isnan(x)) return missing_index_;
  for (const auto& [value, index] : special_index_) {
    if (x == value) return index;
  }
  if (categorical || regular_uppers_.empty()) return npos;
  // the first regular bin whose upper bound exceeds x (the last one's is +inf)
  const std::size_t k = count_at_most(regular_uppers_, x);
  return k < regular_uppers_.size() ? k : regular_uppers_.size() - 1;
}

std::size_t VariableBinning::bin_of(std::string_view category) const noexcept {
  const auto it = std::lower_bound(category_index_.begin(), category_index_.end(), category,
                                   [](const auto& entry, std::string_view c) { return entry.first < c; });
  return it != category_index_.end() && it->first == category ? it->second : npos;
}

std::size_t VariableBinning::missing_bin() const noexcept { return missing_index_; }

std::vector<double> VariableBinning::cut_points() const {
  std::vector<double> cuts;
  for (const Bin& b : bins) {
    if (b.kind == BinKind::regular && std::isfinite(b.upper)) cuts.push_back(b.upper);
  }
  return cuts;
}

void VariableBinning::refresh_woe(double adjustment) {
  total_iv = 0.0;
  for (Bin& b : bins) {
    b.woe = weight_of_evidence(b.counts, total_events, total_non_events, adjustment);
    b.iv = information_value(b.counts, total_events, total_non_events, adjustment);
    total_iv += b.iv;
  }
}

void index_bins(VariableBinning& b) {
  b.missing_index_ = VariableBinning::npos;
  b.regular_uppers_.clear();
  for (const Bin& bin : b.bins) {
    if (bin.kind != BinKind::regular) break;
    if (!b.categorical) b.regular_uppers_.push_back(bin.upper);
  }
  b.special_index_.clear();
  b.category_index_.clear();
  for (std::size_t i = 0; i < b.bins.size(); ++i) {
    const Bin& bin = b.bins[i];
    if (bin.kind == BinKind::missing) b.missing_index_ = i;
    if (bin.kind == BinKind::special) b.special_index_.emplace_back(bin.special_value, i);
    for (const auto& c : bin.categories) b.category_index_.emplace_back(c, i);
  }
  std::sort(b.category_index_.begin(), b.category_index_.end());
}

io::Json VariableBinning::to_json() const {
  io::Json j;
  j["name"] = name;
  j["categorical"] = categorical;
  j["method"] = method;
  j["status"] = status;
  j["total_events"] = total_events;
  j["total_non_events"] = total_non_events;
  io::Json list = io::Json::array();
  for (const Bin& b : bins) {
    io::Json e;
    e["kind"] = b.kind == BinKind::regular ? "regular" : b.kind == BinKind::missing ? "missing" : "special";
    if (b.kind == BinKind::regular && !categorical) {
      e["lower"] = io::json_from_double(b.lower);
      e["upper"] = io::json_from_double(b.upper);
    }
    if (b.kind == BinKind::special) e["value"] = b.special_value;
    if (categorical && b.kind == BinKind::regular) e["categories"] = b.categories;
    e["count"] = b.counts.count;
    e["events"] = b.counts.events;
    e["non_events"] = b.counts.non_events;
    e["woe"] = b.woe;
    e["iv"] = b.iv;
    list.push_back(std::move(e));
  }
  j["bins"] = std::move(list);
  return j;
}

VariableBinning VariableBinning::from_json(const io::Json& j) {
  VariableBinning b;
  b.name = io::require_field(j, "name", "binning").get<std::string>();
  b.categorical = io::require_field(j, "categorical", b.name).get<bool>();
  b.method = j.value("method", "");
  b.status = j.value("status", "");
  b.total_events = io::double_from_json(io::require_field(j, "total_events", b.name), "total_events");
  b.total_non_events = io::double_from_json(io::require_field(j, "total_non_events", b.name), "total_non_events");
  for (const io::Json& e : io::require_field(j, "bins", b.name)) {
    Bin bin;
    const std::string kind = io::require_field(e, "kind", b.name + " bin").get<std::string>();
    if (kind == "missing") {
      bin.kind = BinKind::missing;
    } else if (kind == "special") {
      bin.kind = BinKind::special;
      bin.special_value = io::double_from_json(io::require_field(e, "value", b.name), "value");
    } else if (kind == "regular") {
      if (b.categorical) {
        bin.categories = io::require_field(e, "categories", b.name).get<std::vector<std::string>>();
      } else {
        bin.lower = io::double_from_json(io::require_field(e, "lower", b.name), "lower");
        bin.upper = io::double_from_json(io::require_field(e, "upper", b.name), "upper");
      }
    } else {
      throw ModelFormatError(fmt::format("{}: unknown bin kind '{}'", b.name, kind));
    }
    bin.counts = {io::double_from_json(io::require_field(e, "count", b.name), "count"),
                  io::double_from_json(io::require_field(e, "events", b.name), "events"),
                  io::double_from_json(io::require_field(e, "non_events", b.name), "non_events")};
    bin.woe = io::double_from_json(io::require_field(e, "woe", b.name), "woe");
    bin.iv = io::double_from_json(io::require_field(e, "iv", b.name), "iv");
    b.total_iv += bin.iv;
    b.bins.push_back(std::move(bin));
  }
  index_bins(b);
  return b;
}

std::vector<std::size_t> optimal_grouping(const std::vector<BinCounts>& prebins, const BinningOptions& options,
                                          MonotonicTrend trend) {
  BinCounts total;
  for (const auto& p : prebins) total.merge(p);
  return optimal_dp(prebins, total, options, trend);
}

VariableBinning bin_numeric(std::string_view name, std::span<const double> x, std::span<const double> y,
                            std::span<const double> weights, const BinningOptions& o) {
  o.validate();
  check_target_and_weights(x.size(), y, weights);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isinf(x[i])) {
      check::fail(name, fmt::format("expected finite values or NaN (missing), found {} at index {}", x[i], i));
    }
  }
  const BinCounts total = totals_of(y, weights);
  auto w_at = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };

  std::vector<double> specials = o.special_values;
  std::sort(specials.begin(), specials.end());
  specials.erase(std::unique(specials.begin(), specials.end()), specials.end());

  BinCounts missing;
  std::vector<BinCounts> special_counts(specials.size());
  std::vector<std::size_t> regular;  // rows with an ordinary value
  regular.reserve(x.size());
  double lo = kInf, hi = -kInf;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      missing.add(y[i], w_at(i));
      continue;
    }
    const auto it = std::lower_bound(specials.begin(), specials.end(), x[i]);
    if (it != specials.end() && *it == x[i]) {
      special_counts[static_cast<std::size_t>(it - specials.begin())].add(y[i], w_at(i));
      continue;
    }
    regular.push_back(i);
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }

  // Cut points of the pre-bins: x < c goes left. Quantile cuts are data values: the value at each
  // quantile stays in the left bin (as pandas.qcut) and the cut is the next distinct value, so
  // ties are never split.
  std::vector<double> cuts;
  if (!regular.empty()) {
    if (o.method == BinningMethod::manual) {
      cuts = o.breaks;
    } else if (o.method == BinningMethod::uniform) {
      for (int k = 1; k < o.max_bins; ++k) cuts.push_back(lo + (hi - lo) * k / o.max_bins);
    } else {
      const int parts = o.method == BinningMethod::quantile ? o.max_bins : o.prebins;
      std::vector<double> at_quantiles;
      if (weights.empty()) {
        // The value at cumulative count n k / parts is order statistic ceil(n k / parts) - 1:
        // selected in O(n log parts), no sort.
        const std::size_t n = regular.size();
        std::vector<double> work(n);
        for (std::size_t r = 0; r < n; ++r) work[r] = x[regular[r]];
        std::vector<std::size_t> positions;
        for (int k = 1; k < parts; ++k) {
          const std::size_t pos = (n * static_cast<std::size_t>(k) + static_cast<std::size_t>(parts) - 1) /
                                      static_cast<std::size_t>(parts) - 1;
          if (positions.empty() || positions.back() != pos) positions.push_back(pos);
        }
        stats::select_order_statistics(work, positions);
        for (std::size_t pos : positions) at_quantiles.push_back(work[pos]);
      } else {
        std::vector<std::size_t> order = regular;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
        double weight_sum = 0.0;
        for (std::size_t i : order) weight_sum += weights[i];
        double cumulative = 0.0;
        int next = 1;
        for (std::size_t i : order) {
          cumulative += weights[i];
          while (next < parts && cumulative >= weight_sum * next / parts) {
            ++next;
            at_quantiles.push_back(x[i]);
          }
        }
      }
      std::sort(at_quantiles.begin(), at_quantiles.end());
      at_quantiles.erase(std::unique(at_quantiles.begin(), at_quantiles.end()), at_quantiles.end());
      // One pass: the smallest value above each quantile value becomes the cut.
      std::vector<double> next_above(at_quantiles.size(), kInf);
      for (std::size_t i : regular) {
        const std::size_t below = count_below(at_quantiles, x[i]);
        if (below == 0) continue;
        double& slot = next_above[below - 1];
        if (x[i] < slot) slot = x[i];
      }
      cuts = next_above;
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::erase_if(cuts, [&](double c) { return !(c > lo) || !std::isfinite(c); });
    if (o.method != BinningMethod::manual && o.method != BinningMethod::uniform) {
      std::erase_if(cuts, [&](double c) { return c > hi; });
    }
  }

  std::vector<BinCounts> prebins(regular.empty() ? 0 : cuts.size() + 1);
  for (std::size_t i : regular) {
    prebins[count_at_most(cuts, x[i])].add(y[i], w_at(i));
  }
  // Quantile-based pre-bins are never empty; manual and uniform ones can be, and stay.
  const Grouping grouping = group_prebins(prebins, total, o, false);

  VariableBinning b = start_binning(name, false, grouping, total);
  const auto groups = merge_groups(prebins, grouping.starts);
  for (std::size_t k = 0; k < groups.size(); ++k) {
    Bin bin;
    const std::size_t first = grouping.starts[k];
    const std::size_t end = k + 1 < grouping.starts.size() ? grouping.starts[k + 1] : prebins.size();
    bin.lower = first == 0 ? -kInf : cuts[first - 1];
    bin.upper = end >= prebins.size() ? kInf : cuts[end - 1];
    bin.counts = groups[k];
    b.bins.push_back(bin);
  }
  finish_binning(b, missing, specials, special_counts, o);
  return b;
}

VariableBinning bin_categorical(std::string_view name, std::span<const std::int32_t> codes,
                                const std::vector<std::string>& categories, std::span<const double> y,
                                std::span<const double> weights, const BinningOptions& o) {
  o.validate();
  check_target_and_weights(codes.size(), y, weights);
  const BinCounts total = totals_of(y, weights);
  const auto n_categories = static_cast<std::int32_t>(categories.size());
  std::vector<BinCounts> per_category(categories.size());
  BinCounts missing;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (codes[i] == -1) {
      missing.add(y[i], w);
    } else if (codes[i] < 0 || codes[i] >= n_categories) {
      check::fail("codes", fmt::format("expected codes in [-1, {}), found {} at index {}", n_categories, codes[i], i));
    } else {
      per_category[static_cast<std::size_t>(codes[i])].add(y[i], w);
    }
  }

  // Units to group: each category with enough share, and one pool of the rare ones.
  struct Unit {
    std::vector<std::string> categories;
    BinCounts counts;
  };
  std::vector<Unit> units;
  Unit rare;
  for (std::size_t c = 0; c < categories.size(); ++c) {
    if (per_category[c].count <= 0) continue;
    if (per_category[c].count < o.min_category_share * total.count) {
      rare.categories.push_back(categories[c]);
      rare.counts.merge(per_category[c]);
    } else {
      units.push_back({{categories[c]}, per_category[c]});
    }
  }
  if (!rare.categories.empty()) units.push_back(rare);
  std::stable_sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
    const double ra = a.counts.event_rate(), rb = b.counts.event_rate();
    return ra != rb ? ra < rb : a.categories.front() < b.categories.front();
  });
  std::vector<BinCounts> prebins;
  for (const Unit& u : units) prebins.push_back(u.counts);
  const Grouping grouping = group_prebins(prebins, total, o, true);

  VariableBinning b = start_binning(name, true, grouping, total);
  for (std::size_t k = 0; k < grouping.starts.size(); ++k) {
    Bin bin;
    const std::size_t end = k + 1 < grouping.starts.size() ? grouping.starts[k + 1] : units.size();
    for (std::size_t u = grouping.starts[k]; u < end; ++u) {
      bin.counts.merge(units[u].counts);
      bin.categories.insert(bin.categories.end(), units[u].categories.begin(), units[u].categories.end());
    }
    std::sort(bin.categories.begin(), bin.categories.end());
    b.bins.push_back(std::move(bin));
  }
  finish_binning(b, missing, {}, {}, o);
  return b;
}

}  // namespace bankquant::scorecard
