// bankquant/graph/streaming.hpp — transfers arriving in batches: append, and report what they create.
//
// append_and_detect checks the batch and the options before anything changes, appends the batch
// (a late batch lands in time order), and re-examines only its neighbourhood: the typologies of the
// touched accounts (and, for scatter-gather, their recent payers one hop back), keeping alerts whose
// witness holds a new transfer, and the round trips through a new transfer, bounded as the ranked
// list bounds them (screening.hpp: min_cycle_length, amounts passed on, no hubs, large hops; searched
// only from the transfers that can start one: a walk back in time from each new payer). Each
// update returns exactly the alerts of a batch run over the graph so far that hold a new transfer,
// whatever order the batches arrive in; an alert raised earlier is not withdrawn when later
// transfers make it look ordinary (re-run detect_patterns or screen for the current view).
#pragma once

#include <cstdint>
#include <span>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/typologies.hpp"

namespace bankquant::graph {

struct StreamingOptions {
  PatternOptions patterns;      ///< the typologies re-examined around the batch
  int max_cycle_length = 6;     ///< round trips through new transfers up to this length (0: none)
  int min_cycle_length = 3;     ///< and at least this long (3 leaves out repayments)
  std::int64_t max_cycles = 0;  ///< cap of the cycle search (0: none)
  double time_limit = 0;        ///< seconds for the cycle search (0: none)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("patterns", &StreamingOptions::patterns, "the typologies re-examined around the batch"),
        field("max_cycle_length", &StreamingOptions::max_cycle_length,
              "round trips through new transfers up to this length (0: none)"),
        field("min_cycle_length", &StreamingOptions::min_cycle_length,
              "round trips of at least this many transfers (3 leaves out repayments, as the ranked list)"),
        field("max_cycles", &StreamingOptions::max_cycles, "cap of the cycle search (0: none)"),
        field("time_limit", &StreamingOptions::time_limit, "seconds for the cycle search (0: none)")};
  }
};

struct StreamingUpdate {
  AlertList alerts;  ///< alerts whose witness holds a transfer of the batch
  Status status;     ///< the cycle search's: converged, size_limit or time_limit

  static constexpr auto fields() {
    return std::tuple{field("alerts", &StreamingUpdate::alerts, "alerts created by the batch"),
                      field("status", &StreamingUpdate::status, "converged, or the cycle search's limit")};
  }
};

/// Appends the batch (as TransactionGraph::append_edges) and returns the alerts it creates.
[[nodiscard]] BANKQUANT_EXPORT StreamingUpdate append_and_detect(TransactionGraph& g, std::size_t n_nodes,
                                                                 std::span<const std::int32_t> src,
                                                                 std::span<const std::int32_t> dst,
                                                                 std::span<const double> amount,
                                                                 std::span<const std::int64_t> timestamp,
                                                                 const StreamingOptions& options = {});

}  // namespace bankquant::graph
