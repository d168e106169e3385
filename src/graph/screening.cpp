#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/screening.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::graph {

void ScreeningOptions::validate() const {
  patterns.validate();
  check::integer_at_least("max_cycle_length", max_cycle_length, 0);
  if (max_cycle_length > 64) check::fail("max_cycle_length", fmt::format("expected at most 64, got {}", max_cycle_length));
  check::integer_at_least("max_cycles", max_cycles, 0);
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
  check::integer_at_least("budget", budget, 0);
}

ScreeningResult screen(const TransactionGraph& g, const ScreeningOptions& o) {
  o.validate();
  ScreeningResult r;
  AlertList all = detect_patterns(g, o.patterns).alerts;
  r.status = Status::make(StatusCode::converged, "complete");
  if (o.max_cycle_length > 0) {
    CycleOptions c;
    c.max_length = o.max_cycle_length;
    c.window = o.patterns.window;
    c.max_cycles = o.max_cycles;
    c.time_limit = o.time_limit;
    const CycleResult cycles = temporal_cycles(g, c);
    all.append(cycle_alerts(g, cycles));
    r.status = cycles.status;
  }
  RankOptions rank;
  rank.budget = o.budget;
  r.alerts = rank_alerts(all, rank);
  return r;
}

}  // namespace bankquant::graph
