// bankquant/graph/node_statistics.hpp — per-node activity statistics for fraud features.
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

/// Velocity: per node, the most transfers it sent (outgoing) or received within any window
/// [t, t + window] of its own activity. A two-pointer scan of each node's time-ordered edges.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> max_transfers_in_window(const TransactionGraph& g,
                                                                                 std::int64_t window, bool outgoing);

}  // namespace bankquant::graph
