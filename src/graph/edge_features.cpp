#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/edge_features.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::graph {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The columns of one window, in order.
constexpr const char* kWindowColumns[] = {
    "src_out_degree",  "src_fan_out",     "dst_in_degree",   "dst_fan_in",      "scatter_gather",
    "src_amount_mean", "src_amount_median", "src_amount_var", "src_amount_skew", "src_amount_kurt",
    "dst_amount_mean", "dst_amount_median", "dst_amount_var", "dst_amount_skew", "dst_amount_kurt",
    "amount_to_src_median"};
constexpr std::size_t kPerWindow = std::size(kWindowColumns);

// Mean, median, sample variance, skewness and excess kurtosis as pandas' Series methods give them
// (two passes about the mean; skew and kurt 0 when every value is the same, as pandas).
struct AmountStats {
  double mean = kNaN, median = kNaN, var = kNaN, skew = kNaN, kurt = kNaN;
};

AmountStats amount_stats(std::vector<double>& values) {
  AmountStats s;
  const std::size_t n = values.size();
  if (n == 0) return s;
  double sum = 0;
  for (double x : values) sum += x;
  s.mean = sum / static_cast<double>(n);
  double m2 = 0, m3 = 0, m4 = 0;
  for (double x : values) {
    const double d = x - s.mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const bool constant = *lo == *hi;
  const double c = static_cast<double>(n);
  if (n >= 2) s.var = m2 / (c - 1);
  if (n >= 3) s.skew = constant ? 0.0 : c * std::sqrt(c - 1) / (c - 2) * (m3 / std::pow(m2, 1.5));
  if (n >= 4) {
    s.kurt = constant ? 0.0
                      : c * (c + 1) * (c - 1) * m4 / ((c - 2) * (c - 3) * m2 * m2) -
                            3 * (c - 1) * (c - 1) / ((c - 2) * (c - 3));
  }
  const std::size_t mid = n / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  s.median = values[mid];
  if (n % 2 == 0) s.median = (s.median + *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
  return s;
}

// Per-thread markers over the nodes; a fresh stamp per use avoids clearing them.
struct Scratch {
  std::vector<std::uint64_t> seen, counted;
  std::vector<std::int64_t> earliest;
  std::uint64_t stamp = 0;
  std::vector<double> amounts;
  explicit Scratch(std::size_t n) : seen(n, 0), counted(n, 0), earliest(n, 0) {}
};

// The transfers of a time-ordered list (by time, then id) that come before edge e at time t and
// no earlier than t − window: [first, position of e).
std::pair<std::size_t, std::size_t> before_in_window(std::span<const std::int32_t> list, std::span<const std::int64_t> ts,
                                                     std::int32_t e, std::int64_t t, std::int64_t window) {
  const std::int64_t from = t < std::numeric_limits<std::int64_t>::min() + window ? std::numeric_limits<std::int64_t>::min() : t - window;
  auto key = [&](std::int32_t x) { return std::pair{ts[static_cast<std::size_t>(x)], x}; };
  const auto end = std::lower_bound(list.begin(), list.end(), std::pair{t, e}, [&](std::int32_t x, const auto& k) { return key(x) < k; });
  const auto begin = std::lower_bound(list.begin(), end, from, [&](std::int32_t x, std::int64_t value) {
    return ts[static_cast<std::size_t>(x)] < value;
  });
  return {static_cast<std::size_t>(begin - list.begin()), static_cast<std::size_t>(end - list.begin())};
}

}  // namespace

void EdgeFeatureOptions::validate() const {
  for (std::int64_t w : windows) {
    if (w <= 0) check::fail("windows", fmt::format("expected positive windows, got {}", w));
  }
  for (std::int64_t w : cycle_windows) {
    if (w <= 0) check::fail("cycle_windows", fmt::format("expected positive windows, got {}", w));
  }
  check::integer_at_least("max_cycle_length", max_cycle_length, 1);
  if (max_cycle_length > 64) check::fail("max_cycle_length", fmt::format("expected at most 64, got {}", max_cycle_length));
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
}

EdgeFeatures edge_features(const TransactionGraph& g, const EdgeFeatureOptions& o, std::span<const std::int32_t> edges) {
  o.validate();
  for (std::int32_t e : edges) {
    if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) {
      check::fail("edges", fmt::format("edge id {} outside the {} edges", e, g.n_edges()));
    }
  }
  EdgeFeatures f;
  const std::size_t rows = edges.empty() ? g.n_edges() : edges.size();
  f.edges.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) f.edges[r] = edges.empty() ? static_cast<std::int64_t>(r) : edges[r];
  for (std::size_t k = 0; k < o.windows.size(); ++k) {
    for (const char* name : kWindowColumns) f.names.push_back(fmt::format("{}_w{}", name, k));
  }
  for (std::size_t k = 0; k < o.cycle_windows.size(); ++k) f.names.push_back(fmt::format("cycles_closed_c{}", k));
  f.values.setConstant(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(f.names.size()), kNaN);
  f.status = Status::make(StatusCode::converged, "complete");

  const auto src = g.src(), dst = g.dst();
  const auto ts = g.timestamp();
  const auto amount = g.amount();
  const std::size_t n = g.n_nodes();
  tbb::enumerable_thread_specific<Scratch> scratch_tls([n] { return Scratch(n); });
  parallel_for_chunks(rows, 1024, [&](std::size_t, std::size_t b, std::size_t end) {
    Scratch& sc = scratch_tls.local();
    for (std::size_t r = b; r < end; ++r) {
      const auto e = static_cast<std::int32_t>(f.edges[r]);
      const auto s = static_cast<std::size_t>(src[static_cast<std::size_t>(e)]);
      const auto d = static_cast<std::size_t>(dst[static_cast<std::size_t>(e)]);
      const std::int64_t t = ts[static_cast<std::size_t>(e)];
      const auto outs = g.out_edges(s), ins = g.in_edges(d);
      auto row = f.values.row(static_cast<Eigen::Index>(r));
      for (std::size_t k = 0; k < o.windows.size(); ++k) {
        const auto base = static_cast<Eigen::Index>(k * kPerWindow);
        const auto [ob, oe] = before_in_window(outs, ts, e, t, o.windows[k]);
        const auto [ib, ie] = before_in_window(ins, ts, e, t, o.windows[k]);
        // payer side: payees (distinct), the first time each was paid, amounts
        ++sc.stamp;
        double fan_out = 0;
        sc.amounts.clear();
        for (std::size_t i = ob; i < oe; ++i) {
          const auto x = static_cast<std::size_t>(outs[i]);
          const auto y = static_cast<std::size_t>(dst[x]);
          sc.amounts.push_back(amount[x]);
          if (sc.seen[y] != sc.stamp) {
            sc.seen[y] = sc.stamp;
            sc.earliest[y] = ts[x];
            fan_out += 1;
          }
        }
        const AmountStats payer = amount_stats(sc.amounts);
        // payee side: payers (distinct), and the intermediates of s -> x -> d
        const std::uint64_t payer_stamp = sc.stamp;
        ++sc.stamp;
        double fan_in = 0, scatter_gather = 0;
        sc.amounts.clear();
        for (std::size_t i = ib; i < ie; ++i) {
          const auto x = static_cast<std::size_t>(ins[i]);
          const auto p = static_cast<std::size_t>(src[x]);
          sc.amounts.push_back(amount[x]);
          if (sc.counted[p] == sc.stamp) continue;  // counted[]: payers met in this window
          sc.counted[p] = sc.stamp;
          fan_in += 1;
        }
        // a second pass: the earliest-paid time of an intermediate must precede one of its payments to d
        ++sc.stamp;
        for (std::size_t i = ib; i < ie; ++i) {
          const auto x = static_cast<std::size_t>(ins[i]);
          const auto p = static_cast<std::size_t>(src[x]);
          if (p == s || p == d || sc.seen[p] != payer_stamp || sc.counted[p] == sc.stamp) continue;
          if (sc.earliest[p] < ts[x]) {
            sc.counted[p] = sc.stamp;
            scatter_gather += 1;
          }
        }
        const AmountStats payee = amount_stats(sc.amounts);
        row(base + 0) = static_cast<double>(oe - ob);
        row(base + 1) = fan_out;
        row(base + 2) = static_cast<double>(ie - ib);
        row(base + 3) = fan_in;
        row(base + 4) = scatter_gather;
        row(base + 5) = payer.mean;
        row(base + 6) = payer.median;
        row(base + 7) = payer.var;
        row(base + 8) = payer.skew;
        row(base + 9) = payer.kurt;
        row(base + 10) = payee.mean;
        row(base + 11) = payee.median;
        row(base + 12) = payee.var;
        row(base + 13) = payee.skew;
        row(base + 14) = payee.kurt;
        row(base + 15) = oe > ob ? amount[static_cast<std::size_t>(e)] / payer.median : kNaN;
      }
    }
  });

  // cycles closed by each row's edge; a subset of rows needs only the starts that can reach them
  const auto first_cycle_column = static_cast<Eigen::Index>(o.windows.size() * kPerWindow);
  for (std::size_t k = 0; k < o.cycle_windows.size(); ++k) {
    CycleOptions c;
    c.max_length = o.max_cycle_length;
    c.window = o.cycle_windows[k];
    c.time_limit = o.time_limit;
    CycleCounts counts;
    if (edges.empty()) {
      counts = temporal_cycle_counts(g, c);
    } else {
      const auto starts = detail::cycle_start_candidates(g, edges, o.cycle_windows[k], o.max_cycle_length, {}, o.time_limit);
      counts = detail::temporal_cycle_counts_from(g, c, starts.edges);
      if (starts.truncated) {
        counts.status = Status::make(StatusCode::time_limit, "the time limit stopped the walk back to cycle starts");
      }
    }
    if (counts.truncated()) f.status = counts.status;
    for (std::size_t r = 0; r < rows; ++r) {
      f.values(static_cast<Eigen::Index>(r), first_cycle_column + static_cast<Eigen::Index>(k)) =
          static_cast<double>(counts.closing_cycles[static_cast<std::size_t>(f.edges[r])]);
    }
  }
  return f;
}

}  // namespace bankquant::graph
