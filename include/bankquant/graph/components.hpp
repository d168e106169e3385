// bankquant/graph/components.hpp — weakly and strongly connected components.
//
// Labels are 0..k-1, numbered in the order of each component's smallest node id, so the same
// graph always gets the same labels. Weak components by union-find with path halving and union
// by size; strong components by Tarjan's algorithm (1972), iterative so deep graphs cannot
// overflow the stack.
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> weakly_connected_components(const TransactionGraph& g);
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> strongly_connected_components(const TransactionGraph& g);

}  // namespace bankquant::graph
