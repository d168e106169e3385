// bankquant/graph/screening.hpp — one call from a transaction graph to the ranked list of cases.
//
// screen runs every detector with one set of hubs (hubs.hpp, from the data and the user's list)
// and one window: the windowed typologies (typologies.hpp); round trips of min_cycle_length to
// max_cycle_length transfers passing money on mostly intact (temporal_cycles.hpp, bounded inside
// the search); FRAUDAR dense blocks among non-hub accounts (dense_blocks.hpp); and fraud rings,
// communities of new relationships (community_alerts.hpp). It ranks the alerts into cases
// (alerts.hpp) and cuts the list at the budget: the list an investigator works through, and what a
// C++ service and the Python package (TransactionGraph.alerts) both return for the same data.
//
// Scores are on one scale: windowed typologies give −log10 of the chance of the counts under the
// account's usual rate plus a term per forwarded hop (typologies.hpp); a round trip scores 2 per
// hop that passed the money on, plus its returned share; a dense block 5 per unit of lift; a ring 3
// per distinct internal pair per member. The rates are set so that an injected pattern of each
// typology at its median size scores between 8 and 20; they order cases, they are not probabilities.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/typologies.hpp"

namespace bankquant::graph {

struct ScreeningOptions {
  PatternOptions patterns;        ///< the typologies, the window, the hubs and the amount tolerance of every search
  int max_cycle_length = 6;       ///< round trips up to this many transfers (0: none)
  int min_cycle_length = 3;       ///< 3 leaves out repayments
  std::int64_t max_cycles = 0;    ///< cap of the cycle search (0: none)
  double time_limit = 0;          ///< seconds for the cycle search (0: none)
  /// Dense blocks sought (0: none). 15: a large injected block can come out as two (its densest
  /// part, then the rest), so 10 blocks found 9 of the library generator's 10 (30,000 accounts,
  /// 90 days, seed 0); the lift test stops the search early where there are fewer.
  int n_blocks = 15;
  double min_block_lift = 2.0;    ///< a block must be this many times denser than the links left
  bool rings = true;              ///< look for fraud rings
  double ring_days = 14;          ///< a pair trading only within this many days is a new relationship
  double ring_resolution = 0.1;   ///< CPM resolution of the ring search
  std::int64_t budget = 0;        ///< cases returned, most suspicious first (0: all)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("patterns", &ScreeningOptions::patterns, "the typologies, window, hubs and amount tolerance of every search"),
        field("max_cycle_length", &ScreeningOptions::max_cycle_length, "round trips up to this many transfers (0: none)"),
        field("min_cycle_length", &ScreeningOptions::min_cycle_length, "round trips of at least this many (3: no repayments)"),
        field("max_cycles", &ScreeningOptions::max_cycles, "cap of the cycle search (0: none)"),
        field("time_limit", &ScreeningOptions::time_limit, "seconds for the cycle search (0: none)"),
        field("n_blocks", &ScreeningOptions::n_blocks, "dense blocks sought among non-hub accounts (0: none)"),
        field("min_block_lift", &ScreeningOptions::min_block_lift, "a block must be this many times denser than the rest"),
        field("rings", &ScreeningOptions::rings, "look for fraud rings (communities of new relationships)"),
        field("ring_days", &ScreeningOptions::ring_days, "a pair trading only within this many days is a new relationship"),
        field("ring_resolution", &ScreeningOptions::ring_resolution, "CPM resolution of the ring search"),
        field("budget", &ScreeningOptions::budget, "cases returned, most suspicious first (0: all)")};
  }
};

struct ScreeningResult {
  AlertList alerts;  ///< ranked: case by case, most suspicious first
  Status status;     ///< converged, or the cycle search's size_limit / time_limit

  static constexpr auto fields() {
    return std::tuple{field("alerts", &ScreeningResult::alerts, "the ranked alerts, case by case"),
                      field("status", &ScreeningResult::status, "converged, or the limit a search hit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT ScreeningResult screen(const TransactionGraph& g, const ScreeningOptions& options = {});

namespace detail {
/// Round trips as the ranked list reports them: min_length..max_length transfers within the
/// patterns' window, each passing on most of what came in (amount_tolerance), no hub on the way
/// (`hub`: one flag per node), every hop large for its payer (large_hops_only); scored 2 per
/// transfer plus the share returned. With start_edges, only cycles from those edges that hold an
/// edge id >= min_edge_id (the streaming update, streaming.hpp). `status`: the search's.
[[nodiscard]] BANKQUANT_EXPORT AlertList round_trips(const TransactionGraph& g, const PatternOptions& patterns,
                                                     std::span<const std::int32_t> hub, int min_length, int max_length,
                                                     std::int64_t max_cycles, double time_limit,
                                                     const std::vector<std::int32_t>* start_edges,
                                                     std::int32_t min_edge_id, Status& status);
}  // namespace detail

}  // namespace bankquant::graph
