#include "bankquant/graph/screening.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Screening, PatternsAndCyclesRankedAndBudgeted) {
  // a round trip 0 -> 1 -> 2 -> 0 returning 90%, and account 3 paying 4..9 within the hour
  std::vector<std::int32_t> s{0, 1, 2}, d{1, 2, 0};
  std::vector<double> a{1000, 950, 900};
  std::vector<std::int64_t> t{0, 60, 120};
  for (int k = 4; k < 10; ++k) {
    s.push_back(3);
    d.push_back(k);
    a.push_back(100);
    t.push_back(1000 + k);
  }
  // a month of history, so that six new payees within the hour are a burst for account 3
  s.push_back(3);
  d.push_back(4);
  a.push_back(50);
  t.push_back(30 * 86'400);
  const auto g = gr::TransactionGraph::from_edges(10, s, d, a, t);
  gr::ScreeningOptions o;
  o.patterns.window = 3600;
  o.patterns.recurrence_days = 0;  // an hour of traffic: every pair is judged
  const auto all = gr::screen(g, o);
  EXPECT_TRUE(all.status.converged());
  EXPECT_TRUE(std::is_sorted(all.alerts.score.begin(), all.alerts.score.end(), std::greater<>()));
  const auto cycle = std::find(all.alerts.typology.begin(), all.alerts.typology.end(), gr::Typology::cycle);
  ASSERT_NE(cycle, all.alerts.typology.end());
  const auto fan = std::find(all.alerts.typology.begin(), all.alerts.typology.end(), gr::Typology::fan_out);
  ASSERT_NE(fan, all.alerts.typology.end());
  o.budget = 1;
  EXPECT_EQ(gr::screen(g, o).alerts.size(), 1u);
  o.max_cycle_length = 0;
  const auto no_cycles = gr::screen(g, o);
  EXPECT_EQ(std::count(no_cycles.alerts.typology.begin(), no_cycles.alerts.typology.end(), gr::Typology::cycle), 0);
  o.budget = -2;
  EXPECT_THROW((void)gr::screen(g, o), bq::InvalidArgument);
}
