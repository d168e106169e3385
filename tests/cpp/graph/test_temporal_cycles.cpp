#include "bankquant/graph/temporal_cycles.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

#include <algorithm>
#include <set>

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

gr::TransactionGraph complete_digraph(int n) {
  std::vector<std::int32_t> s, d;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) {
        s.push_back(i);
        d.push_back(j);
      }
    }
  }
  return gr::TransactionGraph::from_edges(static_cast<std::size_t>(n), s, d);
}

}  // namespace

TEST(TemporalCycles, CompleteDigraphAndTimeOrder) {
  const auto k5 = complete_digraph(5);
  gr::CycleOptions o;
  o.max_length = 5;
  const auto all = gr::temporal_cycles(k5, o);
  EXPECT_EQ(all.count(), 10u + 20u + 30u + 24u);  // C(5,k)(k−1)! for k = 2..5
  EXPECT_TRUE(all.status.converged());
  // a -> b at 1, b -> c at 2, c -> a at 3 is a round trip; with times 2, 1, 3 no rotation is in time order
  const std::vector<std::int32_t> cs{0, 1, 2}, cd{1, 2, 0};
  const auto forward = gr::TransactionGraph::from_edges(3, cs, cd, std::vector<double>{100, 90, 80}, std::vector<std::int64_t>{1, 2, 3});
  const auto backward = gr::TransactionGraph::from_edges(3, cs, cd, {}, std::vector<std::int64_t>{2, 1, 3});
  gr::CycleOptions timed;
  timed.window = 10;
  const auto r = gr::temporal_cycles(forward, timed);
  ASSERT_EQ(r.count(), 1u);
  EXPECT_EQ(r.edges, (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_EQ(gr::temporal_cycles(backward, timed).count(), 0u);
  const auto alerts = gr::cycle_alerts(forward, r);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::cycle);
  EXPECT_DOUBLE_EQ(alerts.score[0], 0.8);  // the returned share
  EXPECT_DOUBLE_EQ(alerts.amount[0], 270);
  timed.window = 1;  // the cycle spans 2 time units
  EXPECT_EQ(gr::temporal_cycles(forward, timed).count(), 0u);
  gr::CycleOptions bad;
  bad.max_length = 0;
  EXPECT_THROW((void)gr::temporal_cycles(forward, bad), bq::InvalidArgument);
}

TEST(TemporalCycles, CapsAreStatuses) {
  const auto k9 = complete_digraph(9);
  gr::CycleOptions o;
  o.max_length = 9;
  o.max_cycles = 1000;
  const auto capped = gr::temporal_cycles(k9, o);
  EXPECT_EQ(capped.status.code, bq::StatusCode::size_limit);
  EXPECT_TRUE(capped.truncated());
  EXPECT_EQ(capped.count(), 1000u);
  o.max_cycles = 0;
  o.time_limit = 1e-3;
  const auto timed = gr::temporal_cycles(k9, o);
  EXPECT_EQ(timed.status.code, bq::StatusCode::time_limit);
  o.time_limit = -1;
  EXPECT_THROW((void)gr::temporal_cycles(k9, o), bq::InvalidArgument);
}

TEST(TemporalCycles, StreamingSearchFindsTheCyclesThroughNewEdges) {
  // random timed transfers; cycles through the last 50 edges, searched from the candidate starts
  bq::RandomStream rng(3);
  std::vector<std::int32_t> s, d;
  std::vector<std::int64_t> t;
  for (int k = 0; k < 400; ++k) {
    s.push_back(static_cast<std::int32_t>(rng.uniform_int(25)));
    d.push_back(static_cast<std::int32_t>(rng.uniform_int(25)));
    t.push_back(static_cast<std::int64_t>(rng.uniform_int(200)));
  }
  const auto g = gr::TransactionGraph::from_edges(25, s, d, {}, t);
  gr::CycleOptions o;
  o.max_length = 4;
  o.window = 20;
  const auto all = gr::temporal_cycles(g, o);
  std::vector<std::int32_t> fresh;
  for (std::int32_t e = 350; e < 400; ++e) fresh.push_back(e);
  const auto starts = gr::detail::cycle_start_candidates(g, fresh, 20, 4);
  const auto some = gr::detail::temporal_cycles_from(g, o, starts, 350);
  std::set<std::vector<std::int32_t>> expected, got;
  for (std::size_t k = 0; k < all.count(); ++k) {
    std::vector<std::int32_t> c(all.edges.begin() + all.offsets[k], all.edges.begin() + all.offsets[k + 1]);
    if (*std::max_element(c.begin(), c.end()) >= 350) expected.insert(c);
  }
  for (std::size_t k = 0; k < some.count(); ++k) {
    got.insert(std::vector<std::int32_t>(some.edges.begin() + some.offsets[k], some.edges.begin() + some.offsets[k + 1]));
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(got, expected);
  const auto one = bq::testing::with_threads(1, [&] { return gr::temporal_cycles(g, o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::temporal_cycles(g, o); });
  EXPECT_EQ(one.edges, two.edges);
  EXPECT_THROW((void)gr::detail::cycle_start_candidates(g, std::vector<std::int32_t>{900}, 10, 3), bq::InvalidArgument);
}

TEST(TemporalCycles, BoundsInsideTheSearch) {
  // 0 -> 1 -> 2 -> 0 passing on 90% then 94%; 0 -> 1 -> 0 a repayment
  std::vector<std::int32_t> s{0, 1, 2, 1}, d{1, 2, 0, 0};
  std::vector<double> a{100, 90, 85, 100};
  std::vector<std::int64_t> t{1, 2, 3, 4};
  const auto g = bankquant::graph::TransactionGraph::from_edges(3, s, d, a, t);
  bankquant::graph::CycleOptions o;
  o.window = 10;
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 2u);
  o.min_length = 3;  // no repayments
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 1u);
  o.amount_tolerance = 0.15;
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 1u);
  o.amount_tolerance = 0.05;  // the first hop keeps 10%
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.amount_tolerance = 0;
  o.min_returned_share = 0.9;  // 85 of 100 returned
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.min_returned_share = 0;
  o.exclude = {2};
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.exclude = {3};
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
  o.exclude = {};
  o.min_length = 4;
  o.max_length = 3;
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
  o = {};
  o.amount_tolerance = 0.1;  // amounts are followed only along time-respecting cycles
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
}
