#include "bankquant/graph.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/transaction_graph.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <cmath>
#include <numeric>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(TransactionGraph, CsrInTimeOrder) {
  const std::vector<std::int32_t> src{0, 0, 1, 2, 0}, dst{1, 2, 2, 0, 1};
  const std::vector<double> amount{5, 1, 2, 3, 4};
  const std::vector<std::int64_t> t{30, 10, 5, 7, 20};
  const auto g = gr::TransactionGraph::from_edges(3, src, dst, amount, t);
  EXPECT_EQ(g.n_nodes(), 3u);
  EXPECT_EQ(g.n_edges(), 5u);
  const auto out0 = g.out_edges(0);
  EXPECT_EQ(std::vector<std::int32_t>(out0.begin(), out0.end()), (std::vector<std::int32_t>{1, 4, 0}));  // t 10, 20, 30
  EXPECT_EQ(g.in_degree(1), 2u);
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(3, src, std::vector<std::int32_t>{1, 2}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(2, src, dst, {}, {}), bq::InvalidArgument);  // node 2 out of range
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(3, src, dst, std::vector<double>{1, -1, 1, 1, 1}, {}),
               bq::InvalidArgument);
}

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

TEST(PageRank, CycleIsUniformAndPersonalisationAndThreads) {
  const std::vector<std::int32_t> src{0, 1, 2}, dst{1, 2, 0};
  const auto g = gr::TransactionGraph::from_edges(3, src, dst);
  const auto r = gr::pagerank(g);
  ASSERT_TRUE(r.converged);
  for (double s : r.scores) EXPECT_NEAR(s, 1.0 / 3, 1e-13);
  // a dangling node: igraph/networkx values for 0->1->2->0, 0->3 (damping 0.85)
  const auto h = gr::TransactionGraph::from_edges(4, std::vector<std::int32_t>{0, 1, 2, 0}, std::vector<std::int32_t>{1, 2, 0, 3});
  const auto p = gr::pagerank(h);
  EXPECT_NEAR(p.scores[0], 0.30785340314136866, 1e-12);
  EXPECT_NEAR(p.scores[3], 0.21376215407628857, 1e-12);
  gr::PageRankOptions o;
  o.personalization = {1, 0, 0, 0};
  EXPECT_NEAR(gr::pagerank(h, o).scores[0], 0.4522328999434642, 1e-12);
  o.damping = 1.0;
  EXPECT_THROW((void)gr::pagerank(h, o), bq::InvalidArgument);
  const auto a = bq::testing::with_threads(1, [&] { return gr::pagerank(h); });
  const auto b = bq::testing::with_threads(2, [&] { return gr::pagerank(h); });
  EXPECT_EQ(a.scores, b.scores);
}
