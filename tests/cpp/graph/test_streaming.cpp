#include "bankquant/graph/streaming.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Streaming, BatchAlertsAndNothingChangesOnBadOptions) {
  // a round trip 0 -> 1 -> 2 -> 0 whose closing transfer arrives in a later batch
  auto g = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{1, 2},
                                            std::vector<double>{100, 95}, std::vector<std::int64_t>{0, 60});
  gr::StreamingOptions o;
  o.patterns.window = 3600;
  o.max_cycle_length = 0;
  EXPECT_THROW((void)gr::append_and_detect(g, 3, std::vector<std::int32_t>{2}, std::vector<std::int32_t>{0},
                                           std::vector<double>{90}, std::vector<std::int64_t>{120},
                                           [] {
                                             gr::StreamingOptions bad;
                                             bad.max_cycle_length = 100;
                                             return bad;
                                           }()),
               bq::InvalidArgument);
  EXPECT_EQ(g.n_edges(), 2u);  // refused before anything changed
  o.max_cycle_length = 3;
  const auto update = gr::append_and_detect(g, 3, std::vector<std::int32_t>{2}, std::vector<std::int32_t>{0},
                                            std::vector<double>{90}, std::vector<std::int64_t>{120}, o);
  EXPECT_EQ(g.n_edges(), 3u);
  std::size_t cycles = 0;
  for (std::size_t k = 0; k < update.alerts.size(); ++k) cycles += update.alerts.typology[k] == gr::Typology::cycle;
  EXPECT_EQ(cycles, 1u);
  EXPECT_TRUE(update.status.converged());
}

TEST(Streaming, LateTransferInsideALayeringChain) {
  // 0 -> 1 -> 2 -> 3 -> 4, each hop forwarding most of the one before; the hop 1 -> 2 arrives last,
  // so the four-hop chain ends at an old transfer (3 -> 4) and only a walk forward from the new one finds it
  auto g = gr::TransactionGraph::from_edges(5, std::vector<std::int32_t>{0, 2, 3}, std::vector<std::int32_t>{1, 3, 4},
                                            std::vector<double>{1000, 900, 860}, std::vector<std::int64_t>{0, 200, 300});
  gr::StreamingOptions o;
  o.patterns.window = 3600;
  o.patterns.typologies = {gr::Typology::stack};
  o.max_cycle_length = 0;
  const auto update = gr::append_and_detect(g, 5, std::vector<std::int32_t>{1}, std::vector<std::int32_t>{2},
                                            std::vector<double>{950}, std::vector<std::int64_t>{100}, o);
  ASSERT_EQ(update.alerts.size(), 1u);
  EXPECT_EQ(update.alerts.typology[0], gr::Typology::stack);
  EXPECT_EQ(update.alerts.node[0], 0);
  const auto w = update.alerts.witness(0);
  EXPECT_EQ(std::vector<std::int32_t>(w.begin(), w.end()), (std::vector<std::int32_t>{0, 3, 1, 2}));  // in time order
  // the batch run over the same graph finds the same chain
  const auto batch = gr::detect_patterns(g, o.patterns);
  ASSERT_EQ(batch.alerts.size(), 1u);
  const auto bw = batch.alerts.witness(0);
  EXPECT_EQ(std::vector<std::int32_t>(bw.begin(), bw.end()), (std::vector<std::int32_t>(w.begin(), w.end())));
}
