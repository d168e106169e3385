#include <algorithm>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/threading.hpp"
#include "bankquant/graph/k_core.hpp"

namespace bankquant::graph {
namespace {

// Distinct neighbours of each node in either direction, self-loops left out (the simple
// undirected graph), without sorting: a per-chunk marker array remembers the last node that saw
// each neighbour (one array per thread: node ids never repeat, so it needs no reset). Rows are
// filled per chunk and concatenated in node order.
struct SimpleGraph {
  std::vector<std::size_t> offsets;
  std::vector<std::int32_t> neighbours;
};

SimpleGraph simple_undirected(const TransactionGraph& g) {
  const std::size_t n = g.n_nodes();
  const auto src = g.src(), dst = g.dst();
  constexpr std::size_t kChunk = 4096;
  const std::size_t chunks = chunk_count(n, kChunk);
  std::vector<std::vector<std::int32_t>> part(chunks);
  std::vector<std::int32_t> degree(n, 0);
  tbb::enumerable_thread_specific<std::vector<std::int32_t>> markers([n] { return std::vector<std::int32_t>(n, -1); });
  parallel_for_chunks(n, kChunk, [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& seen_by = markers.local();
    auto& row = part[c];
    for (std::size_t v = b; v < e; ++v) {
      const auto vi = static_cast<std::int32_t>(v);
      const std::size_t before = row.size();
      auto visit = [&](std::int32_t u) {
        if (u != vi && seen_by[static_cast<std::size_t>(u)] != vi) {
          seen_by[static_cast<std::size_t>(u)] = vi;
          row.push_back(u);
        }
      };
      for (std::int32_t edge : g.out_edges(v)) visit(dst[static_cast<std::size_t>(edge)]);
      for (std::int32_t edge : g.in_edges(v)) visit(src[static_cast<std::size_t>(edge)]);
      degree[v] = static_cast<std::int32_t>(row.size() - before);
    }
  });
  SimpleGraph s;
  s.offsets.assign(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) s.offsets[v + 1] = s.offsets[v] + static_cast<std::size_t>(degree[v]);
  s.neighbours.resize(s.offsets[n]);
  std::size_t at = 0;
  for (auto& row : part) {
    std::copy(row.begin(), row.end(), s.neighbours.begin() + static_cast<std::ptrdiff_t>(at));
    at += row.size();
    std::vector<std::int32_t>().swap(row);
  }
  return s;
}

}  // namespace

std::vector<std::int32_t> core_numbers(const TransactionGraph& g) {
  // Batagelj & Zaversnik: nodes in bins by current degree; peel the smallest, lowering neighbours.
  const SimpleGraph s = simple_undirected(g);
  const std::size_t n = g.n_nodes();
  std::vector<std::int32_t> degree(n), position(n), order(n);
  std::int32_t max_degree = 0;
  for (std::size_t v = 0; v < n; ++v) {
    degree[v] = static_cast<std::int32_t>(s.offsets[v + 1] - s.offsets[v]);
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
    for (std::size_t k = s.offsets[v]; k < s.offsets[v + 1]; ++k) {
      const auto u = static_cast<std::size_t>(s.neighbours[k]);
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
