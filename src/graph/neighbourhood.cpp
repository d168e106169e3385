#include "bankquant/graph/neighbourhood.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "bankquant/core/check.hpp"

namespace bankquant::graph {
namespace {

void check_node(std::string_view name, std::int64_t node, std::size_t n) {
  if (node < 0 || static_cast<std::size_t>(node) >= n) {
    check::fail(name, fmt::format("node {} outside the {} nodes", node, n));
  }
}

void check_window(const std::optional<std::int64_t>& start, const std::optional<std::int64_t>& end) {
  if (start && end && *end < *start)
    check::fail("end", fmt::format("expected end >= start, got {} < {}", *end, *start));
}

struct Window {
  std::int64_t start = std::numeric_limits<std::int64_t>::min();
  std::int64_t end = std::numeric_limits<std::int64_t>::max();
  Window(const std::optional<std::int64_t>& s, const std::optional<std::int64_t>& e) {
    if (s) start = *s;
    if (e) end = *e;
  }
  [[nodiscard]] bool holds(std::int64_t t) const { return t >= start && t <= end; }
};

// The subgraph on `nodes` (ascending, distinct) with the transfers `edges` (ascending, distinct;
// both ends among the nodes).
Subgraph make_subgraph(const TransactionGraph& g, std::vector<std::int32_t> nodes, std::vector<std::int64_t> edges) {
  std::vector<std::int32_t> new_id(g.n_nodes(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    new_id[static_cast<std::size_t>(nodes[i])] = static_cast<std::int32_t>(i);
  std::vector<std::int32_t> src(edges.size()), dst(edges.size());
  std::vector<double> amount(edges.size());
  std::vector<std::int64_t> time(edges.size());
  for (std::size_t k = 0; k < edges.size(); ++k) {
    const auto e = static_cast<std::size_t>(edges[k]);
    src[k] = new_id[static_cast<std::size_t>(g.src()[e])];
    dst[k] = new_id[static_cast<std::size_t>(g.dst()[e])];
    amount[k] = g.amount()[e];
    time[k] = g.timestamp()[e];
  }
  Subgraph s{
      TransactionGraph::from_edges(nodes.size(), src, dst, amount, time), std::move(nodes), std::move(edges), {}};
  return s;
}

}  // namespace

void EgoOptions::validate(std::size_t n_nodes) const {
  check::integer_at_least("radius", radius, 0);
  check::integer_at_least("max_degree", max_degree, 0);
  for (std::int32_t v : stop_at) check_node("stop_at", v, n_nodes);
  check_window(start, end);
}

Subgraph ego_network(const TransactionGraph& g, std::int64_t node, const EgoOptions& o) {
  const std::size_t n = g.n_nodes();
  check_node("node", node, n);
  o.validate(n);
  const Window window(o.start, o.end);
  const auto src = g.src(), dst = g.dst();
  const auto time = g.timestamp();
  std::vector<char> stop(n, 0);
  for (std::int32_t v : o.stop_at) stop[static_cast<std::size_t>(v)] = 1;
  const auto transfers_in_range = [&](std::size_t v) {
    if (!o.start && !o.end) return static_cast<std::int64_t>(g.out_edges(v).size() + g.in_edges(v).size());
    std::int64_t count = 0;
    for (std::int32_t e : g.out_edges(v)) count += window.holds(time[static_cast<std::size_t>(e)]) ? 1 : 0;
    for (std::int32_t e : g.in_edges(v)) count += window.holds(time[static_cast<std::size_t>(e)]) ? 1 : 0;
    return count;
  };
  std::vector<std::int32_t> hops(n, -1), queue{static_cast<std::int32_t>(node)};
  hops[static_cast<std::size_t>(node)] = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const auto v = static_cast<std::size_t>(queue[head]);
    if (hops[v] == o.radius) continue;
    if (head > 0 && (stop[v] || (o.max_degree > 0 && transfers_in_range(v) > o.max_degree))) continue;  // a hub
    const auto visit = [&](std::int32_t edge, std::int32_t w) {
      if (!window.holds(time[static_cast<std::size_t>(edge)]) || hops[static_cast<std::size_t>(w)] >= 0) return;
      hops[static_cast<std::size_t>(w)] = hops[v] + 1;
      queue.push_back(w);
    };
    if (o.direction != Direction::in) {
      for (std::int32_t e : g.out_edges(v)) visit(e, dst[static_cast<std::size_t>(e)]);
    }
    if (o.direction != Direction::out) {
      for (std::int32_t e : g.in_edges(v)) visit(e, src[static_cast<std::size_t>(e)]);
    }
  }
  std::vector<std::int32_t> nodes(queue);
  std::sort(nodes.begin(), nodes.end());
  std::vector<std::int64_t> edges;
  for (std::int32_t v : nodes) {  // each transfer once: from its payer's side
    for (std::int32_t e : g.out_edges(static_cast<std::size_t>(v))) {
      const auto k = static_cast<std::size_t>(e);
      if (hops[static_cast<std::size_t>(dst[k])] >= 0 && window.holds(time[k])) edges.push_back(e);
    }
  }
  std::sort(edges.begin(), edges.end());
  std::vector<std::int32_t> node_hops(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) node_hops[i] = hops[static_cast<std::size_t>(nodes[i])];
  Subgraph s = make_subgraph(g, std::move(nodes), std::move(edges));
  s.hops = std::move(node_hops);
  return s;
}

void SubgraphOptions::validate(const TransactionGraph& g) const {
  if (nodes) {
    for (std::int32_t v : *nodes) check_node("nodes", v, g.n_nodes());
  }
  if (edges) {
    for (std::int64_t e : *edges) {
      if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) {
        check::fail("edges", fmt::format("edge id {} outside the {} edges", e, g.n_edges()));
      }
    }
  }
  check_window(start, end);
}

Subgraph subgraph(const TransactionGraph& g, const SubgraphOptions& o) {
  o.validate(g);
  const std::size_t n = g.n_nodes(), m = g.n_edges();
  const Window window(o.start, o.end);
  std::vector<char> node_in(n, o.nodes ? 0 : 1), edge_in(m, o.edges ? 0 : 1);
  if (o.nodes) {
    for (std::int32_t v : *o.nodes) node_in[static_cast<std::size_t>(v)] = 1;
  }
  if (o.edges) {
    for (std::int64_t e : *o.edges) edge_in[static_cast<std::size_t>(e)] = 1;
  }
  std::vector<std::int64_t> edges;
  std::vector<char> touched(n, 0);
  const auto src = g.src(), dst = g.dst();
  const auto time = g.timestamp();
  for (std::size_t e = 0; e < m; ++e) {
    const auto s = static_cast<std::size_t>(src[e]), d = static_cast<std::size_t>(dst[e]);
    if (edge_in[e] && node_in[s] && node_in[d] && window.holds(time[e])) {
      edges.push_back(static_cast<std::int64_t>(e));
      touched[s] = touched[d] = 1;
    }
  }
  std::vector<std::int32_t> nodes;
  for (std::size_t v = 0; v < n; ++v) {
    if (o.nodes ? node_in[v] : touched[v]) nodes.push_back(static_cast<std::int32_t>(v));
  }
  return make_subgraph(g, std::move(nodes), std::move(edges));
}

void MoneyPathOptions::validate() const {
  check::integer_at_least("max_hops", max_hops, 0);
  check::finite("min_amount", min_amount);
  check::non_negative("min_amount", min_amount);
  check_window(start, end);
}

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// Rounds of hop-indexed earliest arrival. changes[h]: (node, edge) for each node whose arrival
// improved in round h (h transfers), ascending by node; the edge is the last transfer used.
struct ArrivalSearch {
  std::vector<std::int64_t> arrival;
  std::vector<std::int32_t> hops;
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> changes;
};

ArrivalSearch arrival_search(const TransactionGraph& g, std::size_t source, std::int64_t target,
                             const MoneyPathOptions& o) {
  const std::size_t n = g.n_nodes();
  const auto dst = g.dst();
  const auto time = g.timestamp();
  const auto amount = g.amount();
  const std::int64_t end = o.end.value_or(kNever);
  ArrivalSearch s;
  s.arrival.assign(n, kNever);
  s.hops.assign(n, -1);
  s.arrival[source] = o.start.value_or(std::numeric_limits<std::int64_t>::min());
  s.hops[source] = 0;
  s.changes.emplace_back();
  struct Frontier {
    std::int32_t node;
    std::int64_t now, before;  // arrival now, and before this improvement (transfers after it are done)
  };
  std::vector<Frontier> frontier{{static_cast<std::int32_t>(source), s.arrival[source], kNever}};
  std::vector<std::int32_t> best_edge(n, -1), touched;
  std::vector<std::int64_t> before_round(n, kNever);
  const std::size_t max_rounds = o.max_hops > 0 ? static_cast<std::size_t>(o.max_hops) : n;
  for (std::size_t round = 1; round <= max_rounds && !frontier.empty(); ++round) {
    touched.clear();
    for (const Frontier& f : frontier) {
      const auto u = static_cast<std::size_t>(f.node);
      // nothing from u can beat the target's arrival: times never decrease along a path
      if (target >= 0 && f.now >= s.arrival[static_cast<std::size_t>(target)]) continue;
      const bool strict = o.strictly_increasing && u != source;
      const auto out = g.out_edges(u);
      const auto first = std::partition_point(out.begin(), out.end(), [&](std::int32_t e) {
        const std::int64_t t = time[static_cast<std::size_t>(e)];
        return strict ? t <= f.now : t < f.now;
      });
      for (auto it = first; it != out.end(); ++it) {
        const auto e = static_cast<std::size_t>(*it);
        const std::int64_t t = time[e];
        if (t > end || (strict ? t > f.before : t >= f.before)) break;
        if (amount[e] < o.min_amount) continue;
        const auto v = static_cast<std::size_t>(dst[e]);
        if (t < s.arrival[v]) {
          if (best_edge[v] < 0) {
            touched.push_back(static_cast<std::int32_t>(v));
            before_round[v] = s.arrival[v];
          }
          s.arrival[v] = t;
          best_edge[v] = *it;
        }
      }
    }
    std::sort(touched.begin(), touched.end());
    auto& changed = s.changes.emplace_back();
    std::vector<Frontier> next;
    for (std::int32_t vi : touched) {
      const auto v = static_cast<std::size_t>(vi);
      changed.emplace_back(vi, best_edge[v]);
      next.push_back({vi, s.arrival[v], before_round[v]});
      s.hops[v] = static_cast<std::int32_t>(round);
      best_edge[v] = -1;
    }
    frontier.swap(next);
  }
  return s;
}

// The transfers of the path that reached `v` in round `h`: each came from a node that changed in
// the round before (only those are relaxed), back to the source at round 0.
std::vector<std::int64_t> path_to(const TransactionGraph& g, const ArrivalSearch& s, std::size_t v) {
  std::vector<std::int64_t> edges;
  for (auto h = static_cast<std::size_t>(s.hops[v]); h > 0; --h) {
    const auto& changed = s.changes[h];
    const auto it = std::lower_bound(changed.begin(), changed.end(),
                                     std::pair<std::int32_t, std::int32_t>(static_cast<std::int32_t>(v), -1));
    const auto e = static_cast<std::size_t>(it->second);
    edges.push_back(static_cast<std::int64_t>(e));
    v = static_cast<std::size_t>(g.src()[e]);
  }
  std::reverse(edges.begin(), edges.end());
  return edges;
}

}  // namespace

MoneyPath money_path(const TransactionGraph& g, std::int64_t source, std::int64_t target, const MoneyPathOptions& o) {
  const std::size_t n = g.n_nodes();
  check_node("source", source, n);
  check_node("target", target, n);
  o.validate();
  MoneyPath p;
  if (source == target) {
    p.found = true;
    p.message = "source and target are the same account: no transfer needed";
    return p;
  }
  const ArrivalSearch s = arrival_search(g, static_cast<std::size_t>(source), target, o);
  const auto t = static_cast<std::size_t>(target);
  if (s.hops[t] < 0) {
    p.message = o.max_hops > 0 ? fmt::format("no time-respecting path of at most {} transfers", o.max_hops)
                               : std::string("no time-respecting path");
    if (o.min_amount > 0) p.message += fmt::format(" of transfers of at least {}", o.min_amount);
    return p;
  }
  p.found = true;
  p.edges = path_to(g, s, t);
  p.arrival = s.arrival[t];
  p.message =
      fmt::format("arrives at {} after {} transfer{}", s.arrival[t], p.edges.size(), p.edges.size() == 1 ? "" : "s");
  return p;
}

EarliestArrival earliest_arrival(const TransactionGraph& g, std::int64_t source, const MoneyPathOptions& o) {
  check_node("source", source, g.n_nodes());
  o.validate();
  ArrivalSearch s = arrival_search(g, static_cast<std::size_t>(source), -1, o);
  EarliestArrival r;
  r.arrival = std::move(s.arrival);
  r.hops = std::move(s.hops);
  for (std::size_t v = 0; v < r.arrival.size(); ++v) {
    if (r.hops[v] < 0) r.arrival[v] = 0;
  }
  const auto src = static_cast<std::size_t>(source);
  r.arrival[src] = o.start.value_or(0);
  return r;
}

}  // namespace bankquant::graph
