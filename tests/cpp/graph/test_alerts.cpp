#include "bankquant/graph/alerts.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Alerts, WitnessInTimeOrderAndRanking) {
  const auto g = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 1, 2, 0}, std::vector<std::int32_t>{1, 2, 0, 2},
                                                  std::vector<double>{1, 2, 4, 8}, std::vector<std::int64_t>{40, 10, 20, 30});
  gr::AlertList a;
  a.add(g, gr::Typology::cycle, 0, {0, 1, 2, 1}, 0.5, "low");
  a.add(g, gr::Typology::fan_out, 0, {3}, 2.0, "high");
  a.add(g, gr::Typology::fan_in, 2, {2}, 0.5, "tie");
  EXPECT_EQ(std::vector<std::int32_t>(a.witness(0).begin(), a.witness(0).end()), (std::vector<std::int32_t>{1, 2, 0}));
  EXPECT_EQ(a.start[0], 10);
  EXPECT_EQ(a.end[0], 40);
  EXPECT_DOUBLE_EQ(a.amount[0], 7);
  const auto ranked = gr::rank_alerts(a);
  EXPECT_EQ(ranked.reason, (std::vector<std::string>{"high", "tie", "low"}));  // ties: typology order (fan_in first)
  // alerts 0 and 2 share transfer 2: one case, after the case of "high"
  EXPECT_EQ(ranked.case_id, (std::vector<std::int64_t>{0, 1, 1}));
  gr::RankOptions two;
  two.budget = 1;  // a budget of cases, not of alerts
  EXPECT_EQ(gr::rank_alerts(a, two).reason, (std::vector<std::string>{"high"}));
  two.budget = 2;
  EXPECT_EQ(gr::rank_alerts(a, two).size(), 3u);
  two.budget = -1;
  EXPECT_THROW((void)gr::rank_alerts(a, two), bq::InvalidArgument);
  gr::AlertList b = a;
  b.append(a);
  EXPECT_EQ(b.size(), 6u);
  EXPECT_EQ(b.offsets.back(), 2 * a.offsets.back());
  const std::vector<std::size_t> pick{4};
  EXPECT_EQ(b.select(pick).reason[0], "high");
}
