// bankquant/graph/temporal_cycles.hpp — round-tripping: cycles of transfers back to the payer.
//
// Two modes. With a window Δ, a cycle is a sequence of transfers e1..ek (k <= max_length) that
// leaves a node and returns to it through distinct nodes, each hop strictly later than the one
// before and t(ek) − t(e1) <= Δ; parallel transfers give distinct cycles (each is a different
// flow of money). Every such cycle has one earliest transfer, so it is found once, from that
// start edge. Without a window there is no time constraint: cycles are the simple cycles of the
// simple digraph (one arc per ordered pair, self-loops are cycles of length 1), each found once
// from its smallest node — the cycles networkx's simple_cycles lists.
//
// Starts are searched in parallel, in fixed chunks whose results are concatenated in start order,
// so the result is the same on any thread count. A hub cannot hang the search: max_cycles caps the
// cycles kept and time_limit_seconds bounds the wall time; either sets `truncated` (which cycles
// a truncated search returns may then depend on scheduling).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct CycleOptions {
  int max_length = 6;                   ///< edges per cycle, >= 1
  std::optional<std::int64_t> window;   ///< Δ in timestamp units; none: no time constraint
  std::size_t max_cycles = 1'000'000;   ///< cycles kept before the search stops
  double time_limit_seconds = 0;        ///< 0: none
  /// Time-respecting mode only: search only from these start edges (empty: all) and keep only
  /// cycles holding an edge with id >= min_edge_id (used by streaming updates).
  std::vector<std::int32_t> start_edges;
  std::int32_t min_edge_id = 0;
  void validate() const;
};

struct CycleResult {
  std::vector<std::size_t> offsets{0};  ///< cycle k is nodes[offsets[k] .. offsets[k+1])
  std::vector<std::int32_t> nodes;      ///< each cycle from its start node, in travel order
  std::vector<std::int32_t> edges;      ///< time-respecting mode: the edge ids, same offsets
  bool truncated = false;
  [[nodiscard]] std::size_t count() const { return offsets.size() - 1; }
};

[[nodiscard]] BANKQUANT_EXPORT CycleResult temporal_cycles(const TransactionGraph& g, const CycleOptions& options = {});

/// The edges that can start a time-respecting cycle (length <= max_length, within window) that
/// passes through one of `edges`: those edges and the transfers reached by walking back from their
/// payers in time. The streaming update searches only from these.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> cycle_start_candidates(const TransactionGraph& g,
                                                                              const std::vector<std::int32_t>& edges,
                                                                              std::int64_t window, int max_length);

}  // namespace bankquant::graph
