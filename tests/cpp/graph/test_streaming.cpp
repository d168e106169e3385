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
