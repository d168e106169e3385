#include "bankquant/graph/synthetic.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "with_threads.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/graph/community_alerts.hpp"
#include "bankquant/graph/evaluation.hpp"
#include "bankquant/graph/screening.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Synthetic, LabelledPatternsInTimeOrderAndDeterministic) {
  gr::SyntheticOptions o;
  o.n_accounts = 4000;
  o.days = 60;
  o.n_patterns = 2;
  o.seed = 7;
  const auto one = bq::testing::with_threads(1, [&] { return gr::synthetic_transactions(o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::synthetic_transactions(o); });
  EXPECT_EQ(one.src, two.src);
  EXPECT_EQ(one.amount, two.amount);
  EXPECT_EQ(one.timestamp, two.timestamp);
  ASSERT_GT(one.src.size(), 10'000u);
  EXPECT_TRUE(std::is_sorted(one.timestamp.begin(), one.timestamp.end()));
  EXPECT_EQ(one.pattern_typology.size(), 2u * o.typologies.size());
  EXPECT_EQ(one.role.size(), static_cast<std::size_t>(o.n_accounts));
  EXPECT_GE(*std::min_element(one.timestamp.begin(), one.timestamp.end()), o.start);
  EXPECT_LT(*std::max_element(one.timestamp.begin(), one.timestamp.end()), o.start + 60 * 86'400);
  // every labelled transfer is listed under its pattern, and only those
  for (std::size_t k = 0; k < one.pattern_typology.size(); ++k) {
    for (auto i = one.edge_offsets[k]; i < one.edge_offsets[k + 1]; ++i) {
      EXPECT_EQ(one.pattern[static_cast<std::size_t>(one.edges[static_cast<std::size_t>(i)])], static_cast<std::int32_t>(k));
    }
  }
  EXPECT_EQ(std::count_if(one.pattern.begin(), one.pattern.end(), [](std::int32_t p) { return p >= 0; }),
            static_cast<std::ptrdiff_t>(one.edges.size()));
  // the background is mostly ordinary: most transfers are to merchants, employers' payroll and bills
  const auto background = std::count(one.pattern.begin(), one.pattern.end(), -1);
  EXPECT_GT(background, static_cast<std::ptrdiff_t>(0.95 * static_cast<double>(one.src.size())));
  o.seed = 8;
  EXPECT_NE(gr::synthetic_transactions(o).amount, one.amount);
  o.n_accounts = 100;
  EXPECT_THROW((void)gr::synthetic_transactions(o), bq::InvalidArgument);
  o.n_accounts = 4000;
  o.reciprocity = 2;
  EXPECT_THROW((void)gr::synthetic_transactions(o), bq::InvalidArgument);
}

TEST(Synthetic, ScreeningRanksInjectedCasesFirst) {
  gr::SyntheticOptions o;
  o.n_accounts = 6000;
  o.days = 60;
  o.n_patterns = 2;
  o.seed = 3;
  const auto data = gr::synthetic_transactions(o);
  const auto g = gr::TransactionGraph::from_edges(static_cast<std::size_t>(o.n_accounts), data.src, data.dst, data.amount,
                                                  data.timestamp);
  gr::ScreeningOptions s;
  s.budget = 15;  // fewer cases than the 18 injected patterns
  const auto r = gr::screen(g, s);
  ASSERT_GT(r.alerts.size(), 0u);
  const auto cases = r.alerts.case_id.back() + 1;
  EXPECT_LE(cases, 15);
  // 18 patterns injected; the top cases are laundering: most of each one's first alert's witness is labelled
  int laundering = 0;
  for (std::size_t k = 0; k < r.alerts.size(); ++k) {
    if (k > 0 && r.alerts.case_id[k] == r.alerts.case_id[k - 1]) continue;
    const auto w = r.alerts.witness(k);
    const auto labelled = std::count_if(w.begin(), w.end(), [&](std::int32_t e) { return data.pattern[static_cast<std::size_t>(e)] >= 0; });
    laundering += 2 * labelled >= static_cast<std::ptrdiff_t>(w.size());
  }
  EXPECT_GE(laundering, 12);
  EXPECT_GE(laundering, 0.8 * static_cast<double>(cases));
  // the ring search alone: communities of new relationships among non-hubs
  const auto rings = gr::find_rings(g);
  const auto scores = gr::evaluate(rings, data.pattern_typology, data.edge_offsets, data.edges);
  const auto at = std::find(scores.typology.begin(), scores.typology.end(), gr::Typology::fraud_ring) - scores.typology.begin();
  ASSERT_LT(static_cast<std::size_t>(at), scores.typology.size());
  EXPECT_GE(scores.recall[static_cast<std::size_t>(at)], 0.5);
  EXPECT_GE(scores.precision[static_cast<std::size_t>(at)], 0.8);
}
