#include "bankquant/graph/k_core.hpp"

#include <gtest/gtest.h>

#include "graph_fixtures.hpp"
#include "with_threads.hpp"

namespace gr = bankquant::graph;

TEST(KCore, PathTriangleAndClique) {
  // triangle 0-1-2 with a tail 2-3-4, and a 4-clique 5..8, with parallel and reversed transfers
  std::vector<std::int32_t> s{0, 1, 2, 2, 3, 1, 3}, d{1, 2, 0, 3, 4, 0, 3};
  for (int i = 5; i < 9; ++i) {
    for (int j = i + 1; j < 9; ++j) {
      s.push_back(i);
      d.push_back(j);
    }
  }
  const auto g = gr::TransactionGraph::from_edges(9, s, d);
  EXPECT_EQ(gr::core_numbers(g), (std::vector<std::int32_t>{2, 2, 2, 1, 1, 3, 3, 3, 3}));
}

TEST(KCore, KarateClubAsNetworkx) {
  // networkx 2.8 core_number(karate_club_graph())
  const std::vector<std::int32_t> expected{4, 4, 4, 4, 3, 3, 3, 4, 4, 2, 3, 1, 2, 4, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3, 3, 4, 3, 4, 4};
  const auto g = gr::testing::karate();
  EXPECT_EQ(gr::core_numbers(g), expected);
  EXPECT_EQ(bankquant::testing::with_threads(1, [&] { return gr::core_numbers(g); }),
            bankquant::testing::with_threads(2, [&] { return gr::core_numbers(g); }));
}
