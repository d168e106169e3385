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
// Bounds applied inside the search, so a bank's graph never materialises its millions of ordinary
// round trips: min_length (3 leaves out repayments), amount_tolerance (money passing through
// mostly intact: each hop keeps at least 1 − tolerance of the one before, never more),
// min_returned_share, and nodes to leave out (hubs.hpp).
//
// Pruning (after 2SCENT, Kumar & Calders 2018): before the depth-first search from a start edge
// u -> v at t0, a backward walk from u over transfers in (t0, t0 + Δ] labels each node with the
// latest time it can still leave and reach u, and the fewest hops it needs (at most max_length − 1
// levels); the search only enters nodes whose label admits a way back, so dead ends cost a label,
// not an enumeration. temporal_cycle_counts runs the same search but only counts: per edge the
// cycles through it and the cycles it closes (its latest transfer), per node, and in total —
// no cycle is stored (the counts of IBM's Graph Feature Preprocessor), so it needs no memory cap.
//
// Starts are searched in parallel, in fixed chunks whose results are concatenated in start order
// (counts are integer sums), so the result is the same on any thread count. A hub cannot hang the
// search: max_cycles caps the cycles kept (or counted) and time_limit bounds the wall time; either
// ends the search with status size_limit or time_limit (which cycles a truncated search returns may
// then depend on scheduling). Neither has a default: set one on graphs whose hubs are not excluded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct CycleOptions {
  int max_length = 6;                   ///< edges per cycle, 1..64
  int min_length = 1;                   ///< 3 leaves out repayments (a pays b, b pays a back)
  std::optional<std::int64_t> window;   ///< Δ in timestamp units; none: no time constraint
  double amount_tolerance = 0;          ///< > 0: each hop keeps at least 1 − tolerance of the one before, never more
  double min_returned_share = 0;        ///< the last transfer returns at least this share of the first
  std::vector<std::int32_t> exclude;    ///< nodes no cycle may pass through (hubs)
  std::int64_t max_cycles = 0;          ///< cycles kept (or counted) before the search stops (0: no cap)
  double time_limit = 0;                ///< seconds; 0: none
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("max_length", &CycleOptions::max_length, "transfers per cycle at most (1..64)"),
        field("min_length", &CycleOptions::min_length, "transfers per cycle at least (3 leaves out repayments)"),
        field("window", &CycleOptions::window,
              "time from the first to the last transfer at most, in timestamp units (None: simple cycles, no time)"),
        field("amount_tolerance", &CycleOptions::amount_tolerance,
              "with a window: each hop keeps at least 1 - tolerance of the one before and never more (0: off)"),
        field("min_returned_share", &CycleOptions::min_returned_share,
              "with a window: the last transfer returns at least this share of the first (0: off)"),
        field("exclude", &CycleOptions::exclude, "nodes no cycle may pass through (e.g. hubs)"),
        field("max_cycles", &CycleOptions::max_cycles,
              "stop after this many cycles, status size_limit (0: no cap; set it or time_limit when hubs are kept)"),
        field("time_limit", &CycleOptions::time_limit, "stop after this many seconds, status time_limit (0: none)")};
  }
};

struct CycleResult {
  std::vector<std::int64_t> offsets{0};  ///< cycle k is nodes[offsets[k] .. offsets[k+1])
  std::vector<std::int32_t> nodes;       ///< each cycle from its start node, in travel order
  std::vector<std::int32_t> edges;       ///< time-respecting mode: the edge ids, same offsets
  Status status;
  [[nodiscard]] std::size_t count() const { return offsets.size() - 1; }
  [[nodiscard]] bool truncated() const { return status.code == StatusCode::size_limit || status.code == StatusCode::time_limit; }

  static constexpr auto fields() {
    return std::tuple{field("offsets", &CycleResult::offsets, "cycle k is nodes[offsets[k]:offsets[k+1]]"),
                      field("nodes", &CycleResult::nodes, "each cycle's nodes from its start, in travel order"),
                      field("edges", &CycleResult::edges, "with a window: each cycle's transfers, same offsets"),
                      field("status", &CycleResult::status, "converged (complete), size_limit or time_limit (partial)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT CycleResult temporal_cycles(const TransactionGraph& g, const CycleOptions& options = {});

/// How many time-respecting cycles pass through each edge and node, without storing them.
struct CycleCounts {
  std::vector<std::int64_t> edge_cycles;     ///< per edge: cycles holding it
  std::vector<std::int64_t> closing_cycles;  ///< per edge: cycles whose latest transfer it is
  std::vector<std::int64_t> node_cycles;     ///< per node: cycles through it
  std::int64_t total = 0;                    ///< cycles counted
  Status status;
  [[nodiscard]] bool truncated() const { return status.code == StatusCode::size_limit || status.code == StatusCode::time_limit; }

  static constexpr auto fields() {
    return std::tuple{field("edge_cycles", &CycleCounts::edge_cycles, "per edge id: the cycles holding the transfer"),
                      field("closing_cycles", &CycleCounts::closing_cycles,
                            "per edge id: the cycles it closes (it is their latest transfer)"),
                      field("node_cycles", &CycleCounts::node_cycles, "per node: the cycles through it"),
                      field("total", &CycleCounts::total, "cycles counted"),
                      field("status", &CycleCounts::status, "converged (complete), size_limit or time_limit (partial)")};
  }
};

/// The cycles temporal_cycles finds (a window is required), counted instead of listed: the same
/// bounds, the same caps. O(n + m) memory per thread.
[[nodiscard]] BANKQUANT_EXPORT CycleCounts temporal_cycle_counts(const TransactionGraph& g, const CycleOptions& options);

/// The time-respecting cycles as alerts (typology cycle; focal: the payer of the first transfer).
[[nodiscard]] BANKQUANT_EXPORT AlertList cycle_alerts(const TransactionGraph& g, const CycleResult& cycles);

namespace detail {
/// Time-respecting search from the given start edges only, keeping cycles that hold an edge with
/// id >= min_edge_id (the streaming update).
[[nodiscard]] BANKQUANT_EXPORT CycleResult temporal_cycles_from(const TransactionGraph& g, const CycleOptions& options,
                                                                std::span<const std::int32_t> start_edges,
                                                                std::int32_t min_edge_id);
/// Counting search from the given start edges only (every cycle starting at one of them).
[[nodiscard]] BANKQUANT_EXPORT CycleCounts temporal_cycle_counts_from(const TransactionGraph& g, const CycleOptions& options,
                                                                     std::span<const std::int32_t> start_edges);
/// The start edges of cycle_start_candidates, and whether its time limit cut the walk short.
struct StartCandidates {
  std::vector<std::int32_t> edges;
  bool truncated = false;
};
/// The edges that can start a time-respecting cycle (length <= max_length, within window) that
/// passes through one of `edges`: those edges and the transfers reached by walking back from their
/// payers in time. Accounts flagged in `excluded` (hubs, which the cycle search leaves out) are not
/// walked back through; `time_limit` seconds (0: none) stops the walk, flagged `truncated`.
[[nodiscard]] BANKQUANT_EXPORT StartCandidates cycle_start_candidates(const TransactionGraph& g,
                                                                    std::span<const std::int32_t> edges,
                                                                    std::int64_t window, int max_length,
                                                                    std::span<const std::int32_t> excluded = {},
                                                                    double time_limit = 0.0);
}  // namespace detail

}  // namespace bankquant::graph
