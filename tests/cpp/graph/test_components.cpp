#include "bankquant/graph/components.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace gr = bankquant::graph;

TEST(Components, WeakAndStrongByHand) {
  // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 joins it weakly; 4 <-> 5 a separate strong pair; 6 alone.
  const std::vector<std::int32_t> src{0, 1, 2, 3, 4, 5}, dst{1, 2, 0, 0, 5, 4};
  const auto g = gr::TransactionGraph::from_edges(7, src, dst);
  EXPECT_EQ(gr::weakly_connected_components(g), (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 2}));
  EXPECT_EQ(gr::strongly_connected_components(g), (std::vector<std::int32_t>{0, 0, 0, 1, 2, 2, 3}));
}

TEST(Components, DeepChainDoesNotOverflowTheStack) {
  const std::int32_t n = 1'000'000;
  std::vector<std::int32_t> src(n - 1), dst(n - 1);
  std::iota(src.begin(), src.end(), 0);
  std::iota(dst.begin(), dst.end(), 1);
  src.push_back(n - 1);
  dst.push_back(0);  // one big cycle
  const auto g = gr::TransactionGraph::from_edges(static_cast<std::size_t>(n), src, dst);
  const auto scc = gr::strongly_connected_components(g);
  EXPECT_EQ(*std::max_element(scc.begin(), scc.end()), 0);
}
