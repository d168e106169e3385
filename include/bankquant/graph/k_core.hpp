// bankquant/graph/k_core.hpp — core numbers (k-core decomposition).
//
// The core number of a node is the largest k such that it belongs to a subgraph where every node
// has at least k neighbours. Direction, multiplicity and self-loops are ignored (the simple
// undirected graph, as networkx's core_number and igraph's coreness). Batagelj & Zaversnik (2003),
// O(m) bucket peeling, on neighbour lists deduplicated with a per-thread marker (no sort).
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> core_numbers(const TransactionGraph& g);

}  // namespace bankquant::graph
