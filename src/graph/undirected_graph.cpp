#include <algorithm>
#include <numeric>

#include "bankquant/core/threading.hpp"
#include "bankquant/graph/detail/undirected_graph.hpp"

namespace bankquant::graph::detail {

UndirectedGraph UndirectedGraph::from(const TransactionGraph& g, bool weighted) {
  const std::size_t n = g.n_nodes();
  const auto src = g.src(), dst = g.dst();
  const auto amount = g.amount();
  std::vector<double> loops(n, 0.0);
  std::vector<std::size_t> offsets(n + 1, 0);
  std::vector<std::vector<std::pair<std::int32_t, double>>> rows(n);
  // Each node's neighbours from both directions, merged per neighbour; rows are independent.
  parallel_for_chunks(n, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<std::pair<std::int32_t, double>> items;
    for (std::size_t v = b; v < e; ++v) {
      items.clear();
      double loop = 0;
      for (std::int32_t edge : g.out_edges(v)) {
        const auto i = static_cast<std::size_t>(edge);
        const double w = weighted ? amount[i] : 1.0;
        if (static_cast<std::size_t>(dst[i]) == v) loop += w;
        else items.emplace_back(dst[i], w);
      }
      for (std::int32_t edge : g.in_edges(v)) {
        const auto i = static_cast<std::size_t>(edge);
        if (static_cast<std::size_t>(src[i]) != v) items.emplace_back(src[i], weighted ? amount[i] : 1.0);
      }
      std::sort(items.begin(), items.end());
      auto& row = rows[v];
      for (const auto& [u, w] : items) {
        if (!row.empty() && row.back().first == u) row.back().second += w;
        else row.emplace_back(u, w);
      }
      loops[v] = loop;
    }
  });
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] = offsets[v] + rows[v].size();
  std::vector<std::int32_t> neighbours(offsets[n]);
  std::vector<double> weights(offsets[n]);
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      std::size_t o = offsets[v];
      for (const auto& [u, w] : rows[v]) {
        neighbours[o] = u;
        weights[o++] = w;
      }
      std::vector<std::pair<std::int32_t, double>>().swap(rows[v]);
    }
  });
  return from_sorted(n, std::move(offsets), std::move(neighbours), std::move(weights), std::move(loops));
}

UndirectedGraph UndirectedGraph::from_sorted(std::size_t n, std::vector<std::size_t> offsets, std::vector<std::int32_t> neighbours,
                                             std::vector<double> weights, std::vector<double> loops) {
  UndirectedGraph u;
  u.offsets_ = std::move(offsets);
  u.neighbours_ = std::move(neighbours);
  u.weights_ = std::move(weights);
  u.loops_ = std::move(loops);
  u.loops_.resize(n, 0.0);
  u.finish();
  return u;
}

void UndirectedGraph::finish() {
  const std::size_t n = loops_.size();
  degrees_.assign(n, 0.0);
  double pair_sum = 0, loop_sum = 0;
  for (std::size_t v = 0; v < n; ++v) {
    double d = 0;
    for (std::size_t k = offsets_[v]; k < offsets_[v + 1]; ++k) d += weights_[k];
    pair_sum += d;
    loop_sum += loops_[v];
    degrees_[v] = d + 2 * loops_[v];
  }
  total_weight_ = pair_sum / 2 + loop_sum;
}

}  // namespace bankquant::graph::detail
