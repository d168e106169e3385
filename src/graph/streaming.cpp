#include <algorithm>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/hubs.hpp"
#include "bankquant/graph/screening.hpp"
#include "bankquant/graph/streaming.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::graph {

void StreamingOptions::validate() const {
  patterns.validate();
  check::integer_at_least("max_cycle_length", max_cycle_length, 0);
  if (max_cycle_length > 64) check::fail("max_cycle_length", fmt::format("expected at most 64, got {}", max_cycle_length));
  check::integer_at_least("min_cycle_length", min_cycle_length, 1);
  check::integer_at_least("max_cycles", max_cycles, 0);
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
}

StreamingUpdate append_and_detect(TransactionGraph& g, std::size_t n_nodes, std::span<const std::int32_t> src,
                                  std::span<const std::int32_t> dst, std::span<const double> amount,
                                  std::span<const std::int64_t> timestamp, const StreamingOptions& o) {
  o.validate();  // every argument is checked before the graph changes
  for (std::int32_t v : o.patterns.known_hubs) {
    if (static_cast<std::size_t>(v) >= n_nodes) check::fail("known_hubs", fmt::format("node {} outside the {} nodes", v, n_nodes));
  }
  const auto first_new = static_cast<std::int32_t>(g.n_edges());
  g.append_edges(n_nodes, src, dst, amount, timestamp);
  StreamingUpdate update;
  update.status = Status::make(StatusCode::converged, "complete");
  if (src.empty()) return update;
  const std::int64_t w = o.patterns.window;
  const auto ts = g.timestamp();
  std::int64_t t_min = INT64_MAX;
  for (std::size_t e = static_cast<std::size_t>(first_new); e < g.n_edges(); ++e) t_min = std::min(t_min, ts[e]);
  auto minus = [](std::int64_t t, std::int64_t d) { return t < INT64_MIN + d ? INT64_MIN : t - d; };
  std::vector<std::int32_t> touched(src.begin(), src.end()), payers(src.begin(), src.end());
  touched.insert(touched.end(), dst.begin(), dst.end());
  std::sort(payers.begin(), payers.end());
  payers.erase(std::unique(payers.begin(), payers.end()), payers.end());
  // a new transfer m -> d can be the second hop of a scatter-gather from a recent payer of m
  const auto back = detail::recent_payers(g, payers, minus(t_min, w));
  touched.insert(touched.end(), back.begin(), back.end());
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  HubOptions hubs;
  hubs.hub_degree = o.patterns.hub_degree;
  hubs.known_hubs = o.patterns.known_hubs;
  const HubResult hub = find_hubs(g, hubs);
  update.alerts = detail::detect_patterns_around(g, o.patterns, touched, hub.hub, first_new).alerts;
  if (o.max_cycle_length > 0 && o.min_cycle_length <= o.max_cycle_length) {
    std::vector<std::int32_t> fresh(g.n_edges() - static_cast<std::size_t>(first_new));
    for (std::size_t k = 0; k < fresh.size(); ++k) fresh[k] = first_new + static_cast<std::int32_t>(k);
    const auto starts = detail::cycle_start_candidates(g, fresh, w, o.max_cycle_length, hub.hub, o.time_limit);
    update.alerts.append(detail::round_trips(g, o.patterns, hub.hub, o.min_cycle_length, o.max_cycle_length, o.max_cycles,
                                             o.time_limit, &starts.edges, first_new, update.status));
    if (starts.truncated) {
      update.status = Status::make(StatusCode::time_limit, "the time limit stopped the walk back to cycle starts");
    }
  }
  return update;
}

}  // namespace bankquant::graph
