#include "bankquant/graph/typologies.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

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
  o.recurrence_days = 0;  // a day of traffic: every pair is judged
  o.typologies = {gr::Typology::fan_out, gr::Typology::structuring};
  const auto alerts = gr::detect_patterns(g, o).alerts;
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::fan_out);
  EXPECT_EQ(std::vector<std::int32_t>(alerts.edges.begin(), alerts.edges.begin() + 6), (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(alerts.typology[1], gr::Typology::structuring);
  EXPECT_DOUBLE_EQ(alerts.amount[1], 28'500);
  // 6 transfers in the hour against a usual 9 · 3600 / (100,002 + 3600) ≈ 0.31 per hour: a burst of 19x
  o.typologies = {gr::Typology::fan_out};
  o.min_burst = 19;
  EXPECT_EQ(gr::detect_patterns(g, o).alerts.size(), 1u);
  o.min_burst = 20;
  EXPECT_EQ(gr::detect_patterns(g, o).alerts.size(), 0u);
  o.known_hubs = {0};
  o.min_burst = 0;
  EXPECT_EQ(gr::detect_patterns(g, o).alerts.size(), 0u);
  o.window = 0;
  EXPECT_THROW((void)gr::detect_patterns(g, o), bq::InvalidArgument);
}

TEST(Typologies, OptionsAreCheckedByName) {
  const auto g = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 1, 2}, std::vector<std::int32_t>{1, 2, 0},
                                                  std::vector<double>{1, 2, 3}, std::vector<std::int64_t>{1, 2, 3});
  gr::PatternOptions o;
  o.typologies = {};
  EXPECT_THROW((void)gr::detect_patterns(g, o), bq::InvalidArgument);  // nothing to look for is an error
  o.typologies = {gr::Typology::cycle};
  EXPECT_THROW((void)gr::detect_patterns(g, o), bq::InvalidArgument);  // not a windowed typology
  o = {};
  o.known_hubs = {5};
  EXPECT_THROW((void)gr::detect_patterns(g, o), bq::InvalidArgument);
  EXPECT_EQ(bq::enum_from_name<gr::Typology>("scatter_gather", "typologies"), gr::Typology::scatter_gather);
  EXPECT_THROW((void)bq::enum_from_name<gr::Typology>("smurfing", "typologies"), bq::InvalidArgument);
  // recent payers: of node 2 since time 2 is node 1 only
  EXPECT_EQ(gr::detail::recent_payers(g, std::vector<std::int32_t>{2}, 2), (std::vector<std::int32_t>{1}));
  EXPECT_TRUE(gr::detail::recent_payers(g, std::vector<std::int32_t>{2}, 3).empty());
  EXPECT_THROW((void)gr::detail::recent_payers(g, std::vector<std::int32_t>{3}, 0), bq::InvalidArgument);
}
