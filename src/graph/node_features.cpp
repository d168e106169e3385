#include <algorithm>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/k_core.hpp"
#include "bankquant/graph/node_features.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/typologies.hpp"

namespace bankquant::graph {

void NodeFeatureOptions::validate() const {
  if (window && *window <= 0) check::fail("window", fmt::format("expected a positive window, got {}", *window));
  for (std::int32_t v : seeds) check::integer_at_least("seeds", v, 0);
  communities.validate();
  check::integer_at_least("max_cycle_length", max_cycle_length, 0);
  if (max_cycle_length > 64) check::fail("max_cycle_length", fmt::format("expected at most 64, got {}", max_cycle_length));
  check::integer_at_least("max_cycles", max_cycles, 0);
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
}

std::vector<std::int32_t> max_transfers_in_window(const TransactionGraph& g, std::int64_t window, bool outgoing) {
  if (window < 0) check::fail("window", fmt::format("expected a non-negative window, got {}", window));
  const std::size_t n = g.n_nodes();
  const auto ts = g.timestamp();
  std::vector<std::int32_t> out(n, 0);
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      const auto list = outgoing ? g.out_edges(v) : g.in_edges(v);
      std::size_t lo = 0;
      std::int32_t best = 0;
      for (std::size_t hi = 0; hi < list.size(); ++hi) {
        const std::int64_t t = ts[static_cast<std::size_t>(list[hi])];
        while (ts[static_cast<std::size_t>(list[lo])] < t - window) ++lo;
        best = std::max(best, static_cast<std::int32_t>(hi - lo + 1));
      }
      out[v] = best;
    }
  });
  return out;
}

NodeFeatures node_features(const TransactionGraph& g, const NodeFeatureOptions& o, const NodeFeatureInputs& inputs) {
  o.validate();
  const std::size_t n = g.n_nodes();
  check::not_empty("graph", n);
  for (std::int32_t v : o.seeds) {
    if (static_cast<std::size_t>(v) >= n) check::fail("seeds", fmt::format("node {} outside the {} nodes", v, n));
  }
  if (inputs.communities && inputs.communities->labels.size() != n) {
    check::fail("communities", fmt::format("expected labels for {} nodes, got {}", n, inputs.communities->labels.size()));
  }
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  auto add = [&](const char* name, const auto& values) {
    columns.emplace_back(name, std::vector<double>(values.begin(), values.end()));
  };
  const auto src = g.src(), dst = g.dst();
  const auto amount = g.amount();
  std::vector<double> out_strength(n, 0.0), in_strength(n, 0.0);
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    out_strength[static_cast<std::size_t>(src[e])] += amount[e];
    in_strength[static_cast<std::size_t>(dst[e])] += amount[e];
  }
  std::vector<double> out_cp(n, 0.0), in_cp(n, 0.0);
  {
    std::vector<std::uint64_t> pairs(g.n_edges());
    for (std::size_t e = 0; e < pairs.size(); ++e) {
      pairs[e] = (static_cast<std::uint64_t>(src[e]) << 32) | static_cast<std::uint32_t>(dst[e]);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    for (std::uint64_t p : pairs) {
      out_cp[static_cast<std::size_t>(p >> 32)] += 1;
      in_cp[static_cast<std::size_t>(p & 0xffffffffu)] += 1;
    }
  }
  add("out_degree", out_degrees(g));
  add("in_degree", in_degrees(g));
  add("out_strength", out_strength);
  add("in_strength", in_strength);
  add("out_counterparties", out_cp);
  add("in_counterparties", in_cp);
  PageRankOptions pr;
  pr.tolerance = 1e-10;
  add("pagerank", pagerank(g, pr).scores);
  if (!o.seeds.empty()) {
    pr.personalization.assign(n, 0.0);
    for (std::int32_t v : o.seeds) pr.personalization[static_cast<std::size_t>(v)] = 1.0;
    add("ppr_from_seeds", pagerank(g, pr).scores);
  }
  const CommunityResult communities = inputs.communities ? *inputs.communities : detect_communities(g, o.communities);
  std::int32_t k = 0;
  for (std::int32_t l : communities.labels) {
    check::integer_at_least("communities", l, 0);
    k = std::max(k, l + 1);
  }
  std::vector<double> community_size(static_cast<std::size_t>(k), 0.0);
  for (std::int32_t l : communities.labels) community_size[static_cast<std::size_t>(l)] += 1;
  std::vector<double> size_of(n);
  for (std::size_t v = 0; v < n; ++v) size_of[v] = community_size[static_cast<std::size_t>(communities.labels[v])];
  add("community", communities.labels);
  add("community_size", size_of);
  add("core_number", core_numbers(g));
  NodeFeatures f;
  f.status = Status::make(StatusCode::converged, "complete");
  if (o.window) {
    const std::int64_t w = *o.window;
    add("out_velocity", max_transfers_in_window(g, w, true));
    add("in_velocity", max_transfers_in_window(g, w, false));
    std::vector<double> on_cycles(n, 0.0);
    if (inputs.cycles) {
      for (std::int32_t v : inputs.cycles->nodes) {
        if (v < 0 || static_cast<std::size_t>(v) >= n) check::fail("cycles", fmt::format("node {} outside the graph", v));
        on_cycles[static_cast<std::size_t>(v)] += 1;
      }
    } else if (o.max_cycle_length > 0) {  // counted, not listed: no cycle is stored
      CycleOptions c;
      c.max_length = o.max_cycle_length;
      c.window = w;
      c.max_cycles = o.max_cycles;
      c.time_limit = o.time_limit;
      const CycleCounts counts = temporal_cycle_counts(g, c);
      f.status = counts.status;
      std::copy(counts.node_cycles.begin(), counts.node_cycles.end(), on_cycles.begin());
    }
    add("cycles", on_cycles);
    AlertList computed_alerts;
    if (!inputs.alerts) {
      PatternOptions p;
      p.window = w;
      computed_alerts = detect_patterns(g, p).alerts;
    }
    const AlertList& alerts = inputs.alerts ? *inputs.alerts : computed_alerts;
    std::vector<double> touched(n, 0.0);
    std::vector<std::int64_t> last_alert(n, -1);  // each alert counts once per account its witness touches
    for (std::size_t a = 0; a < alerts.size(); ++a) {
      for (std::int32_t e : alerts.witness(a)) {
        if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("alerts", fmt::format("edge {} outside the graph", e));
        for (std::int32_t v : {src[static_cast<std::size_t>(e)], dst[static_cast<std::size_t>(e)]}) {
          if (last_alert[static_cast<std::size_t>(v)] != static_cast<std::int64_t>(a)) {
            last_alert[static_cast<std::size_t>(v)] = static_cast<std::int64_t>(a);
            touched[static_cast<std::size_t>(v)] += 1;
          }
        }
      }
    }
    add("pattern_alerts", touched);
  }
  f.values.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    f.names.push_back(columns[c].first);
    for (std::size_t v = 0; v < n; ++v) f.values(static_cast<Eigen::Index>(v), static_cast<Eigen::Index>(c)) = columns[c].second[v];
  }
  return f;
}

}  // namespace bankquant::graph
