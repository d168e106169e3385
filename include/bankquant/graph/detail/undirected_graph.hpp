// bankquant/graph/detail/undirected_graph.hpp (internal: not part of the public API) — the undirected, weighted, simple view of a transaction graph.
//
// Community detection and k-cores ignore direction and multiplicity: the weight between i and j
// is the number of transfers between them in either direction (or their summed amount), kept once
// per pair and stored in CSR on both sides. Self-loops are held apart in loop(i), so neighbour lists
// never contain i itself; degree(i) counts a loop twice, as igraph and networkx do.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph::detail {

class BANKQUANT_EXPORT UndirectedGraph {
 public:
  UndirectedGraph() = default;
  /// weighted: amounts as weights; otherwise each transfer weighs 1.
  static UndirectedGraph from(const TransactionGraph& g, bool weighted);
  /// From a symmetric list of (i, j, w) entries with i != j, each pair once per side, sorted by
  /// (i, j); loops per node. Used when communities are contracted into nodes.
  static UndirectedGraph from_sorted(std::size_t n, std::vector<std::size_t> offsets, std::vector<std::int32_t> neighbours,
                                     std::vector<double> weights, std::vector<double> loops);

  [[nodiscard]] std::size_t n_nodes() const { return loops_.size(); }
  [[nodiscard]] std::span<const std::int32_t> neighbours(std::size_t v) const {
    return {neighbours_.data() + offsets_[v], offsets_[v + 1] - offsets_[v]};
  }
  [[nodiscard]] std::span<const double> weights(std::size_t v) const {
    return {weights_.data() + offsets_[v], offsets_[v + 1] - offsets_[v]};
  }
  [[nodiscard]] double loop(std::size_t v) const { return loops_[v]; }
  [[nodiscard]] double degree(std::size_t v) const { return degrees_[v]; }
  /// Sum of all edge weights, each pair and loop counted once (m in the modularity formula).
  [[nodiscard]] double total_weight() const { return total_weight_; }

 private:
  void finish();
  std::vector<std::size_t> offsets_;
  std::vector<std::int32_t> neighbours_;
  std::vector<double> weights_, loops_, degrees_;
  double total_weight_ = 0;
};

}  // namespace bankquant::graph::detail
