// bankquant/graph/detail/edge_filter.hpp (internal) — a graph of some of another graph's edges.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph::detail {

/// The edges with keep[e] != 0, on the same nodes; `original[k]` is the id in g of the new edge k.
struct FilteredGraph {
  TransactionGraph graph;
  std::vector<std::int32_t> original;
};

[[nodiscard]] BANKQUANT_EXPORT FilteredGraph filter_edges(const TransactionGraph& g, std::span<const char> keep);

/// Per edge: the time span of all transfers between its two accounts (either direction), from the
/// first to the last; 0 for a pair that traded once.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int64_t> pair_spans(const TransactionGraph& g);

/// Per node: the median amount of its payments (the lower median; 0 for a node that pays nothing).
/// O(m) with nth_element, nodes in parallel.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> median_payments(const TransactionGraph& g);

}  // namespace bankquant::graph::detail
