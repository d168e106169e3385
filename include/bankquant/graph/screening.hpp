// bankquant/graph/screening.hpp — one call from a transaction graph to the ranked list of alerts.
//
// screen runs the windowed typologies (typologies.hpp) and the time-respecting round trips
// (temporal_cycles.hpp) with the same window, merges their alerts and ranks them by score
// (alerts.hpp), cut at the budget: the list an investigator works through, and what a C++
// service and the Python package (TransactionGraph.alerts) both return for the same data.
#pragma once

#include <cstdint>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/typologies.hpp"

namespace bankquant::graph {

struct ScreeningOptions {
  PatternOptions patterns;      ///< the typologies, and the window of every search
  int max_cycle_length = 6;     ///< round trips up to this many transfers (0: none)
  std::int64_t max_cycles = 0;  ///< cap of the cycle search (0: none)
  double time_limit = 0;        ///< seconds for the cycle search (0: none)
  std::int64_t budget = 0;      ///< alerts returned, most suspicious first (0: all)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("patterns", &ScreeningOptions::patterns, "the typologies, and the window of every search"),
                      field("max_cycle_length", &ScreeningOptions::max_cycle_length,
                            "round trips up to this many transfers (0: none)"),
                      field("max_cycles", &ScreeningOptions::max_cycles, "cap of the cycle search (0: none)"),
                      field("time_limit", &ScreeningOptions::time_limit, "seconds for the cycle search (0: none)"),
                      field("budget", &ScreeningOptions::budget, "alerts returned, most suspicious first (0: all)")};
  }
};

struct ScreeningResult {
  AlertList alerts;  ///< ranked, highest score first
  Status status;     ///< converged, or the cycle search's size_limit / time_limit

  static constexpr auto fields() {
    return std::tuple{field("alerts", &ScreeningResult::alerts, "the ranked alerts, most suspicious first"),
                      field("status", &ScreeningResult::status, "converged, or the limit a search hit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT ScreeningResult screen(const TransactionGraph& g, const ScreeningOptions& options = {});

}  // namespace bankquant::graph
