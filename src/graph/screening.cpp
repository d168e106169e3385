#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/community_alerts.hpp"
#include "bankquant/graph/dense_blocks.hpp"
#include "bankquant/graph/detail/edge_filter.hpp"
#include "bankquant/graph/hubs.hpp"
#include "bankquant/graph/screening.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::graph {

void ScreeningOptions::validate() const {
  patterns.validate();
  check::integer_at_least("max_cycle_length", max_cycle_length, 0);
  if (max_cycle_length > 64) check::fail("max_cycle_length", fmt::format("expected at most 64, got {}", max_cycle_length));
  check::integer_at_least("min_cycle_length", min_cycle_length, 1);
  check::integer_at_least("max_cycles", max_cycles, 0);
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
  check::integer_at_least("n_blocks", n_blocks, 0);
  check::non_negative("min_block_lift", min_block_lift);
  check::finite("min_block_lift", min_block_lift);
  check::non_negative("ring_days", ring_days);
  check::finite("ring_days", ring_days);
  check::positive("ring_resolution", ring_resolution);
  check::finite("ring_resolution", ring_resolution);
  check::integer_at_least("budget", budget, 0);
}

namespace detail {

AlertList round_trips(const TransactionGraph& g, const PatternOptions& p, std::span<const std::int32_t> hub, int min_length,
                      int max_length, std::int64_t max_cycles, double time_limit, const std::vector<std::int32_t>* start_edges,
                      std::int32_t min_edge_id, Status& status) {
  CycleOptions c;
  c.max_length = max_length;
  c.min_length = min_length;
  c.window = p.window;
  c.amount_tolerance = p.amount_tolerance;
  c.max_cycles = max_cycles;
  c.time_limit = time_limit;
  for (std::size_t v = 0; v < hub.size(); ++v) {
    if (hub[v]) c.exclude.push_back(static_cast<std::int32_t>(v));
  }
  const CycleResult cycles = start_edges ? temporal_cycles_from(g, c, *start_edges, min_edge_id) : temporal_cycles(g, c);
  status = cycles.status;
  AlertList found = cycle_alerts(g, cycles);
  // as layering chains: every hop large for its payer (large_hops_only), most between accounts
  // that trade only around the round trip (mules recruited for it, not friends and households)
  if (found.size() > 0 && (p.large_hops_only || p.new_relationship_hops)) {
    std::vector<double> median;
    if (p.large_hops_only) median = median_payments(g);
    const auto amount = g.amount();
    const auto src = g.src();
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < found.size(); ++k) {
      const auto w = found.witness(k);
      const bool large = median.empty() || std::all_of(w.begin(), w.end(), [&](std::int32_t e) {
        return amount[static_cast<std::size_t>(e)] >= median[static_cast<std::size_t>(src[static_cast<std::size_t>(e)])];
      });
      if (large && (!p.new_relationship_hops || mostly_new_relationships(g, w, p.window))) keep.push_back(k);
    }
    found = found.select(keep);
  }
  for (std::size_t k = 0; k < found.size(); ++k) {
    found.score[k] = 2.0 * static_cast<double>(found.witness(k).size()) + found.score[k];
  }
  return found;
}

}  // namespace detail

ScreeningResult screen(const TransactionGraph& g, const ScreeningOptions& o) {
  o.validate();
  const PatternOptions& p = o.patterns;
  HubOptions h;
  h.hub_degree = p.hub_degree;
  h.known_hubs = p.known_hubs;
  const HubResult hubs = find_hubs(g, h);
  ScreeningResult r;
  AlertList all = detail::detect_patterns_around(g, p, {}, hubs.hub, 0).alerts;
  r.status = Status::make(StatusCode::converged, "complete");
  if (o.max_cycle_length > 0 && o.min_cycle_length <= o.max_cycle_length) {
    all.append(detail::round_trips(g, p, hubs.hub, o.min_cycle_length, o.max_cycle_length, o.max_cycles, o.time_limit,
                                   nullptr, 0, r.status));
  }
  if (o.n_blocks > 0) {
    std::vector<char> keep(g.n_edges(), 0);
    const auto src = g.src(), dst = g.dst();
    for (std::size_t e = 0; e < g.n_edges(); ++e) keep[e] = !hubs.hub[static_cast<std::size_t>(src[e])] && !hubs.hub[static_cast<std::size_t>(dst[e])];
    const auto links = detail::filter_edges(g, keep);
    DenseBlockOptions b;
    b.n_blocks = o.n_blocks;
    b.min_lift = o.min_block_lift;
    b.max_degree = 0;  // the hubs are out already, found as screening finds them
    AlertList blocks = block_alerts(g, dense_blocks(links.graph, b));
    for (std::size_t k = 0; k < blocks.size(); ++k) blocks.score[k] *= 5.0;
    all.append(blocks);
  }
  if (o.rings) {
    RingSearchOptions s;
    s.span = static_cast<std::int64_t>(std::llround(o.ring_days * p.units_per_day));
    s.resolution = o.ring_resolution;
    s.hub_degree = p.hub_degree;
    s.known_hubs = p.known_hubs;
    AlertList rings = find_rings(g, s);
    for (std::size_t k = 0; k < rings.size(); ++k) rings.score[k] *= 3.0;
    all.append(rings);
  }
  RankOptions rank;
  rank.budget = o.budget;
  r.alerts = rank_alerts(all, rank);
  return r;
}

}  // namespace bankquant::graph
