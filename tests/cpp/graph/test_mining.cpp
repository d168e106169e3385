// C++ tests of the fraud-mining algorithms; the Python suite cross-checks them against networkx,
// python-igraph and brute force on larger graphs.
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/dense_blocks.hpp"
#include "bankquant/graph/edge_lists.hpp"
#include "bankquant/graph/entity_resolution.hpp"
#include "bankquant/graph/k_core.hpp"
#include "bankquant/graph/node_statistics.hpp"
#include "bankquant/graph/temporal_cycles.hpp"
#include "bankquant/graph/typologies.hpp"
#include "bankquant/graph/undirected_graph.hpp"
#include "bankquant/graph/union_find.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

// Zachary's karate club (78 edges), as listed by networkx.
gr::TransactionGraph karate() {
  const std::vector<std::pair<int, int>> e{
      {0, 1},   {0, 2},   {0, 3},   {0, 4},   {0, 5},   {0, 6},   {0, 7},   {0, 8},   {0, 10},  {0, 11},  {0, 12},
      {0, 13},  {0, 17},  {0, 19},  {0, 21},  {0, 31},  {1, 2},   {1, 3},   {1, 7},   {1, 13},  {1, 17},  {1, 19},
      {1, 21},  {1, 30},  {2, 3},   {2, 7},   {2, 8},   {2, 9},   {2, 13},  {2, 27},  {2, 28},  {2, 32},  {3, 7},
      {3, 12},  {3, 13},  {4, 6},   {4, 10},  {5, 6},   {5, 10},  {5, 16},  {6, 16},  {8, 30},  {8, 32},  {8, 33},
      {9, 33},  {13, 33}, {14, 32}, {14, 33}, {15, 32}, {15, 33}, {18, 32}, {18, 33}, {19, 33}, {20, 32}, {20, 33},
      {22, 32}, {22, 33}, {23, 25}, {23, 27}, {23, 29}, {23, 32}, {23, 33}, {24, 25}, {24, 27}, {24, 31}, {25, 31},
      {26, 29}, {26, 33}, {27, 33}, {28, 31}, {28, 33}, {29, 32}, {29, 33}, {30, 32}, {30, 33}, {31, 32}, {31, 33},
      {32, 33}};
  std::vector<std::int32_t> s, d;
  for (auto [a, b] : e) {
    s.push_back(a);
    d.push_back(b);
  }
  return gr::TransactionGraph::from_edges(34, s, d);
}

}  // namespace

TEST(Community, KarateClubOptimumAndTheFactionSplit) {
  const auto g = karate();
  const auto u = gr::UndirectedGraph::from(g, false);
  EXPECT_DOUBLE_EQ(u.total_weight(), 78.0);
  // The club's split into the two factions (Zachary 1977) has modularity 0.3715 (Newman 2006).
  std::vector<std::int32_t> faction(34, 1);
  for (int v : {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 16, 17, 19, 21}) faction[static_cast<std::size_t>(v)] = 0;
  EXPECT_NEAR(gr::modularity(u, faction), 0.3715, 5e-5);
  double best = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    gr::CommunityOptions o;
    o.seed = seed;
    best = std::max(best, gr::detect_communities(g, o).modularity);
  }
  EXPECT_NEAR(best, 0.4197896, 1e-6);  // the optimum (Brandes et al. 2008)
}

TEST(Community, SameLabelsOnAnyThreadCount) {
  const auto g = karate();
  gr::CommunityOptions o;
  o.seed = 7;
  const auto one = bq::testing::with_threads(1, [&] { return gr::detect_communities(g, o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::detect_communities(g, o); });
  EXPECT_EQ(one.labels, two.labels);
  gr::CommunityOptions bad;
  bad.resolution = 0;
  EXPECT_THROW((void)gr::detect_communities(g, bad), bq::InvalidArgument);
}

TEST(TemporalCycles, CompleteDigraphAndTimeOrder) {
  std::vector<std::int32_t> s, d;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      if (i != j) {
        s.push_back(i);
        d.push_back(j);
      }
    }
  }
  const auto k5 = gr::TransactionGraph::from_edges(5, s, d);
  gr::CycleOptions o;
  o.max_length = 5;
  EXPECT_EQ(gr::temporal_cycles(k5, o).count(), 10u + 20u + 30u + 24u);  // C(5,k)(k−1)! for k = 2..5
  // a -> b at 1, b -> c at 2, c -> a at 3 is a round trip; with times 2, 1, 3 no rotation is in time order
  const std::vector<std::int32_t> cs{0, 1, 2}, cd{1, 2, 0};
  const auto forward = gr::TransactionGraph::from_edges(3, cs, cd, {}, std::vector<std::int64_t>{1, 2, 3});
  const auto backward = gr::TransactionGraph::from_edges(3, cs, cd, {}, std::vector<std::int64_t>{2, 1, 3});
  gr::CycleOptions timed;
  timed.window = 10;
  const auto r = gr::temporal_cycles(forward, timed);
  ASSERT_EQ(r.count(), 1u);
  EXPECT_EQ(r.edges, (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_EQ(gr::temporal_cycles(backward, timed).count(), 0u);
  timed.window = 1;  // the cycle spans 2 time units
  EXPECT_EQ(gr::temporal_cycles(forward, timed).count(), 0u);
  gr::CycleOptions bad;
  bad.max_length = 0;
  EXPECT_THROW((void)gr::temporal_cycles(forward, bad), bq::InvalidArgument);
}

TEST(KCore, PathTriangleAndClique) {
  // triangle 0-1-2 with a tail 2-3-4, and a 4-clique 5..8
  std::vector<std::int32_t> s{0, 1, 2, 2, 3}, d{1, 2, 0, 3, 4};
  for (int i = 5; i < 9; ++i) {
    for (int j = i + 1; j < 9; ++j) {
      s.push_back(i);
      d.push_back(j);
    }
  }
  const auto g = gr::TransactionGraph::from_edges(9, s, d);
  EXPECT_EQ(gr::core_numbers(gr::UndirectedGraph::from(g, false)), (std::vector<std::int32_t>{2, 2, 2, 1, 1, 3, 3, 3, 3}));
}

TEST(DenseBlocks, FindsTheFullBlockAndUpdatesIncrementally) {
  // 4 payers x 3 payees fully linked (0..3 -> 4..6), plus a sparse background 7..29
  std::vector<std::int32_t> s, d;
  for (int p = 0; p < 4; ++p) {
    for (int q = 4; q < 7; ++q) {
      s.push_back(p);
      d.push_back(q);
    }
  }
  for (int v = 7; v < 29; ++v) {
    s.push_back(v);
    d.push_back(v + 1);
  }
  const auto g = gr::TransactionGraph::from_edges(30, s, d);
  gr::DenseBlockOptions o;
  o.log_offset = 0;  // plain edge density: the block has 12 links over 7 nodes
  const auto blocks = gr::dense_blocks(g, o);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].payers, (std::vector<std::int32_t>{0, 1, 2, 3}));
  EXPECT_EQ(blocks[0].payees, (std::vector<std::int32_t>{4, 5, 6}));
  EXPECT_DOUBLE_EQ(blocks[0].density, 12.0 / 7.0);
  // incremental: links far from the block re-peel only a suffix and leave the block unchanged
  gr::DenseBlockDetector detector(30, o);
  detector.add_links(s, d);
  const std::vector<std::int32_t> ps{27}, qs{7};
  const auto after = detector.add_links(ps, qs);
  EXPECT_EQ(after.payers, blocks[0].payers);
  EXPECT_LT(detector.last_repeeled(), 2 * 30u);
}

TEST(EntityResolution, HubsAreSetAside) {
  // customers 0,1 share identifier 0; 2,3 share 1; identifier 2 is held by everyone (a hub at k = 3)
  const std::vector<std::int32_t> c{0, 1, 2, 3, 0, 1, 2, 3}, id{0, 0, 1, 1, 2, 2, 2, 2};
  const auto r = gr::resolve_entities(4, 3, c, id, 3);
  EXPECT_EQ(r.entity, (std::vector<std::int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(r.hub, (std::vector<char>{0, 0, 1}));
  EXPECT_EQ(r.customers_per_identifier[2], 4);
  EXPECT_THROW((void)gr::resolve_entities(4, 3, c, id, 1), bq::InvalidArgument);
}

TEST(Typologies, FanOutWitnessAndStructuring) {
  // account 0 pays 1..6 within an hour; then pays 7 three times just below 10,000
  std::vector<std::int32_t> s, d;
  std::vector<double> a;
  std::vector<std::int64_t> t;
  for (int k = 1; k <= 6; ++k) {
    s.push_back(0);
    d.push_back(k);
    a.push_back(100);
    t.push_back(k * 60);
  }
  for (int k = 0; k < 3; ++k) {
    s.push_back(0);
    d.push_back(7);
    a.push_back(9'500);
    t.push_back(100'000 + k);
  }
  const auto g = gr::TransactionGraph::from_edges(8, s, d, a, t);
  gr::PatternOptions o;
  o.window = 3600;
  o.typologies = {gr::Typology::fan_out, gr::Typology::structuring};
  const auto alerts = gr::detect_patterns(g, o);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::fan_out);
  EXPECT_EQ(std::vector<std::int32_t>(alerts.edges.begin(), alerts.edges.begin() + 6), (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(alerts.typology[1], gr::Typology::structuring);
  EXPECT_DOUBLE_EQ(alerts.amount[1], 28'500);
  // 6 transfers in the hour against a usual 9 · 3600 / (100,002 + 3600) ≈ 0.31 per hour: a burst of 19x
  o.typologies = {gr::Typology::fan_out};
  o.min_burst = 19;
  EXPECT_EQ(gr::detect_patterns(g, o).size(), 1u);
  o.min_burst = 20;
  EXPECT_EQ(gr::detect_patterns(g, o).size(), 0u);
  o.window = 0;
  EXPECT_THROW((void)gr::detect_patterns(g, o), bq::InvalidArgument);
}

TEST(TransactionGraph, AppendEqualsBuildingAtOnce) {
  const std::vector<std::int32_t> s{0, 1, 2, 3, 0}, d{1, 2, 0, 0, 3};
  const std::vector<double> a{1, 2, 3, 4, 5};
  const std::vector<std::int64_t> t{5, 1, 4, 2, 3};
  const auto whole = gr::TransactionGraph::from_edges(4, s, d, a, t);
  auto part = gr::TransactionGraph::from_edges(3, std::span(s).first(3), std::span(d).first(3), std::span(a).first(3),
                                               std::span(t).first(3));
  part.append_edges(4, std::span(s).last(2), std::span(d).last(2), std::span(a).last(2), std::span(t).last(2));
  for (std::size_t v = 0; v < 4; ++v) {
    EXPECT_TRUE(std::ranges::equal(part.out_edges(v), whole.out_edges(v)));
    EXPECT_TRUE(std::ranges::equal(part.in_edges(v), whole.in_edges(v)));
  }
  // a failing append changes nothing
  EXPECT_THROW(part.append_edges(4, std::vector<std::int32_t>{9}, std::vector<std::int32_t>{0}), bq::InvalidArgument);
  EXPECT_EQ(part.n_edges(), 5u);
}

TEST(UnionFind, Labels) {
  gr::UnionFind sets(5);
  EXPECT_TRUE(sets.unite(3, 4));
  EXPECT_FALSE(sets.unite(4, 3));
  sets.unite(0, 4);
  EXPECT_EQ(sets.labels(), (std::vector<std::int32_t>{0, 1, 2, 0, 0}));
}

class IncrementalPeel : public ::testing::TestWithParam<double> {};

TEST_P(IncrementalPeel, EqualsAFreshOne) {
  // sparse random links arriving in batches, with a planted block; with the camouflage weighting
  // a payee's new degree lowers the weight of its older links, and new accounts arrive light
  bq::RandomStream rng(5);
  std::vector<std::int32_t> s, d;
  for (int k = 0; k < 6000; ++k) {
    s.push_back(static_cast<std::int32_t>(rng.uniform_int(2000)));
    d.push_back(static_cast<std::int32_t>(rng.uniform_int(1500)));
    if (k % 7 == 0) {  // a planted block among payers 0..19 and payees 0..9
      s.push_back(static_cast<std::int32_t>(rng.uniform_int(20)));
      d.push_back(static_cast<std::int32_t>(rng.uniform_int(10)));
    }
  }
  gr::DenseBlockOptions o;
  o.min_lift = 0;
  o.log_offset = GetParam();
  gr::DenseBlockDetector incremental(0, o);
  for (std::size_t start = 0; start < s.size(); start += 200) {
    const std::size_t len = std::min<std::size_t>(200, s.size() - start);
    const auto block = incremental.add_links(std::span(s).subspan(start, len), std::span(d).subspan(start, len));
    gr::DenseBlockDetector fresh(0, o);
    const auto expected = fresh.add_links(std::span(s).first(start + len), std::span(d).first(start + len));
    EXPECT_EQ(incremental.peeling_order(), fresh.peeling_order()) << "after " << start + len << " links";
    EXPECT_EQ(block.density, expected.density);
    EXPECT_EQ(block.payers, expected.payers);
    EXPECT_EQ(block.payees, expected.payees);
  }
  std::size_t repeeled = 0, fresh_size = 0;
  // The planted block intensifies: its nodes are peeled last, so without the camouflage weighting
  // (which re-weights every payer of a payee) an update re-peels only the end of the order.
  for (int round = 0; round < 5; ++round) {
    std::vector<std::int32_t> ps, qs;
    for (int k = 0; k < 20; ++k) {
      ps.push_back(static_cast<std::int32_t>(rng.uniform_int(20)));
      qs.push_back(static_cast<std::int32_t>(rng.uniform_int(10)));
    }
    s.insert(s.end(), ps.begin(), ps.end());
    d.insert(d.end(), qs.begin(), qs.end());
    incremental.add_links(ps, qs);
    gr::DenseBlockDetector fresh(0, o);
    fresh.add_links(s, d);
    EXPECT_EQ(incremental.peeling_order(), fresh.peeling_order());
    repeeled += incremental.last_repeeled();
    fresh_size += fresh.peeling_order().size();
  }
  if (GetParam() == 0.0) {
    EXPECT_LT(10 * repeeled, fresh_size);
  }
}

INSTANTIATE_TEST_SUITE_P(DenseBlocks, IncrementalPeel, ::testing::Values(5.0, 0.0));

TEST(GraphInputs, OutOfRangeArgumentsAreNamedErrors) {
  const std::vector<std::int32_t> s{0, 1, 2}, d{1, 2, 0};
  const auto g = gr::TransactionGraph::from_edges(3, s, d, std::vector<double>{1, 2, 3}, std::vector<std::int64_t>{1, 2, 3});
  EXPECT_EQ(gr::max_transfers_in_window(g, 10, true), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_THROW((void)gr::max_transfers_in_window(g, -1, true), bq::InvalidArgument);
  EXPECT_EQ(gr::cycle_start_candidates(g, {2}, 10, 3), (std::vector<std::int32_t>{0, 1, 2}));  // the walk back from 2
  EXPECT_THROW((void)gr::cycle_start_candidates(g, {7}, 10, 3), bq::InvalidArgument);
  gr::DenseBlockOptions blocks;
  blocks.log_offset = std::nan("");
  EXPECT_THROW((void)gr::dense_blocks(g, blocks), bq::InvalidArgument);
  EXPECT_THROW((void)gr::resolve_entities(2, 1, std::vector<std::int32_t>{0, 2}, std::vector<std::int32_t>{0, 0}, 5),
               bq::InvalidArgument);
  gr::PatternOptions patterns;
  patterns.focal_nodes = {5};
  EXPECT_THROW((void)gr::detect_patterns(g, patterns), bq::InvalidArgument);
  gr::CycleOptions cycles;
  cycles.start_edges = {1};  // only with a window
  EXPECT_THROW((void)gr::temporal_cycles(g, cycles), bq::InvalidArgument);
}

TEST(EdgeLists, ManyAppendsEqualOneBuild) {
  // lists that outgrow their room move and the array compacts; the result is always the build's
  bq::RandomStream rng(11);
  std::vector<std::int32_t> key;
  std::vector<std::int64_t> time;
  gr::EdgeLists grown;
  grown.build(0, key, time);
  for (int batch = 0; batch < 60; ++batch) {
    const auto first = static_cast<std::int32_t>(key.size());
    std::vector<std::int32_t> add;
    for (int k = 0; k < 50; ++k) {
      add.push_back(static_cast<std::int32_t>(rng.uniform_int(k % 5 == 0 ? 3 : 40)));  // a few hubs
      time.push_back(static_cast<std::int64_t>(rng.uniform_int(1000)));                 // out of order
    }
    key.insert(key.end(), add.begin(), add.end());
    grown.append(40, add, first, time);
    gr::EdgeLists built;
    built.build(40, key, time);
    for (std::size_t v = 0; v < 40; ++v) ASSERT_TRUE(std::ranges::equal(grown.of(v), built.of(v))) << "batch " << batch;
  }
}
