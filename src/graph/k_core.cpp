#include <algorithm>

#include "bankquant/graph/k_core.hpp"

namespace bankquant::graph {

std::vector<std::int32_t> core_numbers(const UndirectedGraph& g) {
  // Batagelj & Zaversnik: nodes in bins by current degree; peel the smallest, lowering neighbours.
  const std::size_t n = g.n_nodes();
  std::vector<std::int32_t> degree(n), position(n), order(n);
  std::int32_t max_degree = 0;
  for (std::size_t v = 0; v < n; ++v) {
    degree[v] = static_cast<std::int32_t>(g.neighbours(v).size());
    max_degree = std::max(max_degree, degree[v]);
  }
  std::vector<std::int32_t> bin_start(static_cast<std::size_t>(max_degree) + 2, 0);
  for (std::size_t v = 0; v < n; ++v) ++bin_start[static_cast<std::size_t>(degree[v]) + 1];
  for (std::size_t d = 1; d < bin_start.size(); ++d) bin_start[d] += bin_start[d - 1];
  {
    std::vector<std::int32_t> cursor(bin_start.begin(), bin_start.end() - 1);
    for (std::size_t v = 0; v < n; ++v) {
      position[v] = cursor[static_cast<std::size_t>(degree[v])]++;
      order[static_cast<std::size_t>(position[v])] = static_cast<std::int32_t>(v);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::size_t>(order[i]);
    for (std::int32_t ui : g.neighbours(v)) {
      const auto u = static_cast<std::size_t>(ui);
      if (degree[u] <= degree[v]) continue;
      // move u to the front of its bin, then shrink the bin by one: u's degree drops by one
      const auto du = static_cast<std::size_t>(degree[u]);
      const std::int32_t first = bin_start[du];
      const auto w = static_cast<std::size_t>(order[static_cast<std::size_t>(first)]);
      if (w != u) {
        std::swap(order[static_cast<std::size_t>(position[u])], order[static_cast<std::size_t>(first)]);
        std::swap(position[u], position[w]);
      }
      ++bin_start[du];
      --degree[u];
    }
  }
  return degree;
}

}  // namespace bankquant::graph
