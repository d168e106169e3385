// The internal pieces (bankquant/graph/detail/): growable edge lists, union-find, the undirected view.
#include "bankquant/graph/detail/edge_lists.hpp"
#include "bankquant/graph/detail/undirected_graph.hpp"
#include "bankquant/graph/detail/union_find.hpp"

#include <gtest/gtest.h>

#include "graph_fixtures.hpp"

#include <algorithm>

#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(UnionFind, Labels) {
  gr::detail::UnionFind sets(5);
  EXPECT_TRUE(sets.unite(3, 4));
  EXPECT_FALSE(sets.unite(4, 3));
  sets.unite(0, 4);
  EXPECT_EQ(sets.labels(), (std::vector<std::int32_t>{0, 1, 2, 0, 0}));
}

TEST(UndirectedGraph, KarateWeightsAndLoops) {
  const auto u = gr::detail::UndirectedGraph::from(gr::testing::karate(), false);
  EXPECT_DOUBLE_EQ(u.total_weight(), 78.0);
  EXPECT_DOUBLE_EQ(u.degree(0), 16.0);
  const auto loops = gr::TransactionGraph::from_edges(2, std::vector<std::int32_t>{0, 0, 1}, std::vector<std::int32_t>{0, 1, 0});
  const auto v = gr::detail::UndirectedGraph::from(loops, false);
  EXPECT_DOUBLE_EQ(v.loop(0), 1.0);
  EXPECT_DOUBLE_EQ(v.degree(0), 4.0);  // a loop counts twice, as igraph and networkx
  EXPECT_EQ(v.neighbours(0).size(), 1u);
  EXPECT_DOUBLE_EQ(v.weights(0)[0], 2.0);
}

TEST(EdgeLists, ManyAppendsEqualOneBuild) {
  // lists that outgrow their room move and the array compacts; the result is always the build's
  bq::RandomStream rng(11);
  std::vector<std::int32_t> key;
  std::vector<std::int64_t> time;
  gr::detail::EdgeLists grown;
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
    gr::detail::EdgeLists built;
    built.build(40, key, time);
    for (std::size_t v = 0; v < 40; ++v) ASSERT_TRUE(std::ranges::equal(grown.of(v), built.of(v))) << "batch " << batch;
  }
}
