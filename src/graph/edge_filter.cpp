#include <algorithm>
#include <numeric>

#include "bankquant/core/threading.hpp"
#include "bankquant/graph/detail/edge_filter.hpp"

namespace bankquant::graph::detail {

FilteredGraph filter_edges(const TransactionGraph& g, std::span<const char> keep) {
  FilteredGraph f;
  std::vector<std::int32_t> s, d;
  std::vector<double> a;
  std::vector<std::int64_t> t;
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    if (!keep[e]) continue;
    f.original.push_back(static_cast<std::int32_t>(e));
    s.push_back(g.src()[e]);
    d.push_back(g.dst()[e]);
    a.push_back(g.amount()[e]);
    t.push_back(g.timestamp()[e]);
  }
  f.graph = TransactionGraph::from_edges(g.n_nodes(), s, d, a, t);
  return f;
}

std::vector<std::int64_t> pair_spans(const TransactionGraph& g) {
  const std::size_t m = g.n_edges();
  const auto src = g.src(), dst = g.dst();
  const auto ts = g.timestamp();
  auto key = [&](std::size_t e) {
    const auto a = static_cast<std::uint32_t>(std::min(src[e], dst[e])), b = static_cast<std::uint32_t>(std::max(src[e], dst[e]));
    return (std::uint64_t{a} << 32) | b;
  };
  std::vector<std::int32_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) {
    return key(static_cast<std::size_t>(x)) < key(static_cast<std::size_t>(y));
  });
  std::vector<std::int64_t> span(m, 0);
  for (std::size_t i = 0; i < m;) {
    std::size_t j = i;
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    const auto k = key(static_cast<std::size_t>(order[i]));
    for (; j < m && key(static_cast<std::size_t>(order[j])) == k; ++j) {
      lo = std::min(lo, ts[static_cast<std::size_t>(order[j])]);
      hi = std::max(hi, ts[static_cast<std::size_t>(order[j])]);
    }
    for (std::size_t x = i; x < j; ++x) span[static_cast<std::size_t>(order[x])] = hi - lo;
    i = j;
  }
  return span;
}

std::vector<double> median_payments(const TransactionGraph& g) {
  std::vector<double> out(g.n_nodes(), 0.0);
  const auto amount = g.amount();
  parallel_for_chunks(g.n_nodes(), 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<double> a;
    for (std::size_t v = b; v < e; ++v) {
      const auto edges = g.out_edges(v);
      if (edges.empty()) continue;
      a.clear();
      for (std::int32_t x : edges) a.push_back(amount[static_cast<std::size_t>(x)]);
      const auto mid = a.begin() + static_cast<std::ptrdiff_t>((a.size() - 1) / 2);
      std::nth_element(a.begin(), mid, a.end());
      out[v] = *mid;
    }
  });
  return out;
}

}  // namespace bankquant::graph::detail
