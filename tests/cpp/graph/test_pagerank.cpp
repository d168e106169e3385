#include "bankquant/graph/pagerank.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(PageRank, CycleIsUniformAndPersonalisationAndThreads) {
  const std::vector<std::int32_t> src{0, 1, 2}, dst{1, 2, 0};
  const auto g = gr::TransactionGraph::from_edges(3, src, dst);
  const auto r = gr::pagerank(g);
  ASSERT_TRUE(r.status.converged());
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

TEST(PageRank, ParallelTransfersWeighLikeOneLinkOfTheirTotal) {
  // 0 pays 1 twice and 2 once: as a weighted simple graph with weights 2 and 1
  const auto multi = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 0, 0, 1, 2},
                                                      std::vector<std::int32_t>{1, 1, 2, 0, 0});
  const auto simple = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 0, 1, 2},
                                                       std::vector<std::int32_t>{1, 2, 0, 0}, std::vector<double>{2, 1, 1, 1});
  gr::PageRankOptions weighted;
  weighted.weighted = true;
  const auto a = gr::pagerank(multi), b = gr::pagerank(simple, weighted);
  for (std::size_t v = 0; v < 3; ++v) EXPECT_NEAR(a.scores[v], b.scores[v], 1e-14);
}

TEST(PageRank, IterationLimitIsAStatus) {
  const auto g = gr::TransactionGraph::from_edges(4, std::vector<std::int32_t>{0, 1, 2, 0}, std::vector<std::int32_t>{1, 2, 0, 3});
  gr::PageRankOptions o;
  o.max_iterations = 3;
  const auto r = gr::pagerank(g, o);
  EXPECT_EQ(r.status.code, bq::StatusCode::iteration_limit);
  EXPECT_EQ(r.status.iterations, 3);
  EXPECT_TRUE(r.status.usable());
}
