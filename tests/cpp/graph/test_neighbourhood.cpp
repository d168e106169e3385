#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/neighbourhood.hpp"

namespace gr = bankquant::graph;

namespace {

// 0 -> 1 -> 2 -> 3 and 4 -> 1, 2 -> 4 (a link between two leaves of 1), 5 alone with a self-loop
gr::TransactionGraph small() {
  const std::vector<std::int32_t> s{0, 1, 2, 4, 2, 5}, d{1, 2, 3, 1, 4, 5};
  const std::vector<double> a{10, 9, 8, 7, 6, 5};
  const std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6};
  return gr::TransactionGraph::from_edges(6, s, d, a, t);
}

std::string message_of(const auto& call) {
  try {
    call();
  } catch (const bankquant::InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(EgoNetwork, RadiusDirectionAndInducedEdges) {
  const auto g = small();
  gr::EgoOptions o;  // radius 1, both ways
  auto ego = gr::ego_network(g, 1, o);
  EXPECT_EQ(ego.nodes, (std::vector<std::int32_t>{0, 1, 2, 4}));
  EXPECT_EQ(ego.hops, (std::vector<std::int32_t>{1, 0, 1, 1}));
  EXPECT_EQ(ego.edges, (std::vector<std::int64_t>{0, 1, 3, 4}));  // 2 -> 4 joins two leaves: kept
  ASSERT_EQ(ego.graph.n_nodes(), 4u);
  ASSERT_EQ(ego.graph.n_edges(), 4u);
  // edge 4 (2 -> 4, amount 6, time 5) is edge 3 of the ego network, between its nodes 2 and 3
  EXPECT_EQ(ego.graph.src()[3], 2);
  EXPECT_EQ(ego.graph.dst()[3], 3);
  EXPECT_EQ(ego.graph.amount()[3], 6.0);
  EXPECT_EQ(ego.graph.timestamp()[3], 5);
  o.direction = gr::Direction::out;
  o.radius = 2;
  EXPECT_EQ(gr::ego_network(g, 1, o).nodes, (std::vector<std::int32_t>{1, 2, 3, 4}));
  o.direction = gr::Direction::in;
  EXPECT_EQ(gr::ego_network(g, 1, o).nodes, (std::vector<std::int32_t>{0, 1, 2, 4}));  // 2 pays 4 pays 1
  o.radius = 0;
  ego = gr::ego_network(g, 5, o);
  EXPECT_EQ(ego.nodes, (std::vector<std::int32_t>{5}));
  EXPECT_EQ(ego.edges, (std::vector<std::int64_t>{5}));  // its self-loop
}

// A merchant (node 1) paid by ten shoppers (2..11); the centre 0 pays the merchant and account 12.
TEST(EgoNetwork, HubsAreReachedButNotWalkedThrough) {
  std::vector<std::int32_t> src{0, 0}, dst{1, 12};
  for (std::int32_t shopper = 2; shopper <= 11; ++shopper) {
    src.push_back(shopper);
    dst.push_back(1);
  }
  src.push_back(12);  // 12 -> 2: a shopper the centre reaches through a person, not the merchant
  dst.push_back(2);
  const auto g = gr::TransactionGraph::from_edges(13, src, dst, {}, {});
  gr::EgoOptions o;
  o.radius = 2;
  EXPECT_EQ(gr::ego_network(g, 0, o).nodes.size(), 13u);  // no limit: every shopper, as networkx
  o.max_degree = 5;                                       // the merchant has 11 transfers
  auto ego = gr::ego_network(g, 0, o);
  EXPECT_EQ(ego.nodes, (std::vector<std::int32_t>{0, 1, 2, 12}));
  EXPECT_EQ(ego.edges, (std::vector<std::int64_t>{0, 1, 2, 12}));  // 2 -> 1 joins two reached accounts
  o.max_degree = 0;
  o.stop_at = {1};
  EXPECT_EQ(gr::ego_network(g, 0, o).nodes, (std::vector<std::int32_t>{0, 1, 2, 12}));
  o.stop_at = {0};  // the centre is walked even when named
  o.radius = 1;
  EXPECT_EQ(gr::ego_network(g, 0, o).nodes, (std::vector<std::int32_t>{0, 1, 12}));
  o.stop_at = {13};
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, 0, o); }).find("stop_at"), std::string::npos);
  o.stop_at.clear();
  o.max_degree = -1;
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, 0, o); }).find("max_degree"), std::string::npos);
}

TEST(EgoNetwork, TimeWindowLimitsTheWalkAndTheEdges) {
  const auto g = small();
  gr::EgoOptions o;
  o.radius = 3;
  o.direction = gr::Direction::out;
  o.start = 2;
  o.end = 4;
  // from 0 the only transfer is at time 1, outside the window
  EXPECT_EQ(gr::ego_network(g, 0, o).nodes, (std::vector<std::int32_t>{0}));
  const auto ego = gr::ego_network(g, 1, o);
  EXPECT_EQ(ego.nodes, (std::vector<std::int32_t>{1, 2, 3}));  // 2 -> 4 at time 5 is outside
  EXPECT_EQ(ego.edges, (std::vector<std::int64_t>{1, 2}));
}

TEST(EgoNetwork, BadInputIsNamed) {
  const auto g = small();
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, 6); }).find("'node'"), std::string::npos);
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, -1); }).find("'node'"), std::string::npos);
  gr::EgoOptions o;
  o.radius = -1;
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, 0, o); }).find("'radius'"), std::string::npos);
  o.radius = 1;
  o.start = 5;
  o.end = 4;
  EXPECT_NE(message_of([&] { (void)gr::ego_network(g, 0, o); }).find("'end'"), std::string::npos);
}

TEST(Subgraph, ByNodesEdgesAndWindow) {
  const auto g = small();
  gr::SubgraphOptions o;
  o.nodes = std::vector<std::int32_t>{4, 2, 1, 2, 3};  // any order, duplicates ignored
  auto s = gr::subgraph(g, o);
  EXPECT_EQ(s.nodes, (std::vector<std::int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(s.edges, (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_TRUE(s.hops.empty());
  o.start = 3;
  s = gr::subgraph(g, o);
  EXPECT_EQ(s.edges, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(s.nodes, (std::vector<std::int32_t>{1, 2, 3, 4}));  // the nodes given, all of them
  gr::SubgraphOptions by_edges;
  by_edges.edges = std::vector<std::int64_t>{5, 0};
  s = gr::subgraph(g, by_edges);
  EXPECT_EQ(s.nodes, (std::vector<std::int32_t>{0, 1, 5}));
  EXPECT_EQ(s.edges, (std::vector<std::int64_t>{0, 5}));
  EXPECT_EQ(s.graph.src()[1], 2);  // node 5 is node 2 of the subgraph
  EXPECT_EQ(s.graph.dst()[1], 2);
  gr::SubgraphOptions window;
  window.start = 2;
  window.end = 3;
  s = gr::subgraph(g, window);
  EXPECT_EQ(s.nodes, (std::vector<std::int32_t>{1, 2, 3}));
  EXPECT_EQ(s.edges, (std::vector<std::int64_t>{1, 2}));
  window.start = 100;
  window.end = std::nullopt;
  s = gr::subgraph(g, window);
  EXPECT_EQ(s.graph.n_nodes(), 0u);
  EXPECT_EQ(s.graph.n_edges(), 0u);
  gr::SubgraphOptions bad;
  bad.edges = std::vector<std::int64_t>{6};
  EXPECT_NE(message_of([&] { (void)gr::subgraph(g, bad); }).find("'edges'"), std::string::npos);
  bad = {};
  bad.nodes = std::vector<std::int32_t>{-1};
  EXPECT_NE(message_of([&] { (void)gr::subgraph(g, bad); }).find("'nodes'"), std::string::npos);
}

TEST(MoneyPath, EarliestThenFewestTransfers) {
  // 0 -> 3 directly at time 9; 0 -> 1 -> 2 -> 3 arriving at 6; 0 -> 4 -> 3 arriving at 6 as well
  const std::vector<std::int32_t> s{0, 0, 1, 2, 0, 4}, d{3, 1, 2, 3, 4, 3};
  const std::vector<double> a{100, 100, 95, 90, 50, 49};
  const std::vector<std::int64_t> t{9, 1, 3, 6, 2, 6};
  const auto g = gr::TransactionGraph::from_edges(5, s, d, a, t);
  auto p = gr::money_path(g, 0, 3);
  ASSERT_TRUE(p.found);
  EXPECT_EQ(p.edges, (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(p.arrival, 6);
  gr::MoneyPathOptions o;
  o.min_amount = 80;  // 0 -> 4 -> 3 moves too little
  EXPECT_EQ(gr::money_path(g, 0, 3, o).edges, (std::vector<std::int64_t>{1, 2, 3}));
  o.max_hops = 2;  // the chain is too long: the direct transfer
  EXPECT_EQ(gr::money_path(g, 0, 3, o).edges, (std::vector<std::int64_t>{0}));
  o.max_hops = 0;
  o.start = 2;  // after 0 -> 1 at time 1
  o.min_amount = 0;
  EXPECT_EQ(gr::money_path(g, 0, 3, o).edges, (std::vector<std::int64_t>{4, 5}));
  o.start = 3;
  o.end = 8;
  p = gr::money_path(g, 0, 3, o);
  EXPECT_FALSE(p.found);
  EXPECT_TRUE(p.edges.empty());
  EXPECT_FALSE(p.arrival.has_value());
  EXPECT_EQ(p.message, "no time-respecting path");
  p = gr::money_path(g, 3, 0);
  EXPECT_FALSE(p.found);
  EXPECT_TRUE(gr::money_path(g, 2, 2).found);
}

TEST(MoneyPath, StrictlyIncreasingTimes) {
  const std::vector<std::int32_t> s{0, 1}, d{1, 2};
  const std::vector<std::int64_t> t{5, 5};  // forwarded at the same time
  const auto g = gr::TransactionGraph::from_edges(3, s, d, {}, t);
  EXPECT_TRUE(gr::money_path(g, 0, 2).found);
  gr::MoneyPathOptions o;
  o.strictly_increasing = true;
  EXPECT_FALSE(gr::money_path(g, 0, 2, o).found);
  o.start = 5;  // the first transfer may be at the start itself
  EXPECT_TRUE(gr::money_path(g, 0, 1, o).found);
}

TEST(MoneyPath, BadInputIsNamed) {
  const auto g = small();
  EXPECT_NE(message_of([&] { (void)gr::money_path(g, 9, 0); }).find("'source'"), std::string::npos);
  EXPECT_NE(message_of([&] { (void)gr::money_path(g, 0, 9); }).find("'target'"), std::string::npos);
  gr::MoneyPathOptions o;
  o.max_hops = -1;
  EXPECT_NE(message_of([&] { (void)gr::money_path(g, 0, 1, o); }).find("'max_hops'"), std::string::npos);
  o = {};
  o.min_amount = -1;
  EXPECT_NE(message_of([&] { (void)gr::money_path(g, 0, 1, o); }).find("'min_amount'"), std::string::npos);
  o = {};
  o.start = 2;
  o.end = 1;
  EXPECT_NE(message_of([&] { (void)gr::earliest_arrival(g, 0, o); }).find("'end'"), std::string::npos);
}

namespace {

// Every time-respecting walk from the source (no transfer used twice), by depth-first search:
// the earliest arrival at each node, and the fewest transfers among the earliest.
struct Best {
  std::int64_t arrival = std::numeric_limits<std::int64_t>::max();
  int hops = -1;
};

void walk(const gr::TransactionGraph& g, std::size_t v, std::int64_t now, int depth, bool at_source,
          const gr::MoneyPathOptions& o, std::vector<char>& used, std::vector<Best>& best) {
  if (o.max_hops > 0 && depth == o.max_hops) return;
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    if (used[e] || static_cast<std::size_t>(g.src()[e]) != v) continue;
    const std::int64_t t = g.timestamp()[e];
    const bool in_time = (o.strictly_increasing && !at_source) ? t > now : t >= now;
    if (!in_time || t > o.end.value_or(std::numeric_limits<std::int64_t>::max()) || g.amount()[e] < o.min_amount)
      continue;
    const auto w = static_cast<std::size_t>(g.dst()[e]);
    auto& b = best[w];
    if (t < b.arrival || (t == b.arrival && depth + 1 < b.hops)) b = {t, depth + 1};
    used[e] = 1;
    walk(g, w, t, depth + 1, false, o, used, best);
    used[e] = 0;
  }
}

}  // namespace

TEST(MoneyPath, EqualsExhaustiveSearchOnRandomGraphs) {
  std::mt19937 rng(4);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 2 + static_cast<int>(rng() % 5), m = 1 + static_cast<int>(rng() % 10);
    std::vector<std::int32_t> s, d;
    std::vector<double> a;
    std::vector<std::int64_t> t;
    for (int i = 0; i < m; ++i) {
      s.push_back(static_cast<std::int32_t>(rng() % n));
      d.push_back(static_cast<std::int32_t>(rng() % n));
      a.push_back(static_cast<double>(rng() % 4));
      t.push_back(static_cast<std::int64_t>(rng() % 6));
    }
    const auto g = gr::TransactionGraph::from_edges(static_cast<std::size_t>(n), s, d, a, t);
    gr::MoneyPathOptions o;
    o.strictly_increasing = trial % 2 == 1;
    o.max_hops = static_cast<int>(rng() % 4);
    o.min_amount = static_cast<double>(rng() % 3);
    if (trial % 3 == 0) o.start = static_cast<std::int64_t>(rng() % 4);
    if (trial % 5 == 0) o.end = 3;
    const std::size_t source = rng() % static_cast<std::size_t>(n);
    std::vector<Best> best(static_cast<std::size_t>(n));
    std::vector<char> used(static_cast<std::size_t>(m), 0);
    walk(g, source, o.start.value_or(std::numeric_limits<std::int64_t>::min()), 0, true, o, used, best);
    const auto all = gr::earliest_arrival(g, static_cast<std::int64_t>(source), o);
    for (std::size_t target = 0; target < static_cast<std::size_t>(n); ++target) {
      if (target == source) continue;
      const auto p = gr::money_path(g, static_cast<std::int64_t>(source), static_cast<std::int64_t>(target), o);
      const auto& want = best[target];
      ASSERT_EQ(p.found, want.hops > 0) << "trial " << trial << " target " << target;
      EXPECT_EQ(all.hops[target], want.hops) << "trial " << trial;
      if (!p.found) continue;
      EXPECT_EQ(*p.arrival, want.arrival) << "trial " << trial;
      EXPECT_EQ(all.arrival[target], want.arrival);
      ASSERT_EQ(static_cast<int>(p.edges.size()), want.hops) << "trial " << trial;
      // the path itself: chained, in time, heavy enough, from the source to the target
      std::size_t at = source;
      std::int64_t now = o.start.value_or(std::numeric_limits<std::int64_t>::min());
      for (std::size_t k = 0; k < p.edges.size(); ++k) {
        const auto e = static_cast<std::size_t>(p.edges[k]);
        EXPECT_EQ(static_cast<std::size_t>(g.src()[e]), at);
        EXPECT_TRUE(o.strictly_increasing && k > 0 ? g.timestamp()[e] > now : g.timestamp()[e] >= now);
        EXPECT_GE(g.amount()[e], o.min_amount);
        now = g.timestamp()[e];
        at = static_cast<std::size_t>(g.dst()[e]);
      }
      EXPECT_EQ(at, target);
      EXPECT_EQ(now, want.arrival);
    }
  }
}
