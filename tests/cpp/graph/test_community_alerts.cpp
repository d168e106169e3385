#include "bankquant/graph/community_alerts.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

// A 5-clique (nodes 0..4, all pairs one way) and a 5-node path (5..9), joined by 4 -> 5.
gr::TransactionGraph clique_and_path() {
  std::vector<std::int32_t> s, d;
  for (int i = 0; i < 5; ++i) {
    for (int j = i + 1; j < 5; ++j) {
      s.push_back(i);
      d.push_back(j);
    }
  }
  for (int i = 5; i < 9; ++i) {
    s.push_back(i);
    d.push_back(i + 1);
  }
  s.push_back(4);
  d.push_back(5);
  std::vector<double> a(s.size(), 10.0);
  return gr::TransactionGraph::from_edges(10, s, d, a);
}

}  // namespace

TEST(CommunityAlerts, TheCliqueIsARingThePathIsNot) {
  const auto g = clique_and_path();
  const std::vector<std::int32_t> labels{0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const auto alerts = gr::community_alerts(g, labels);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::fraud_ring);
  EXPECT_EQ(alerts.node[0], 0);
  EXPECT_EQ(alerts.witness(0).size(), 10u);  // the clique's 10 transfers
  EXPECT_DOUBLE_EQ(alerts.score[0], 2.0);    // 10 pairs over 5 members
  gr::RingOptions loose;
  loose.min_links_per_member = 0.8;  // the path has 4 pairs over 5 members
  EXPECT_EQ(gr::community_alerts(g, labels, loose).size(), 2u);
  gr::RingOptions bad;
  bad.min_size = 6;
  bad.max_size = 5;
  EXPECT_THROW((void)gr::community_alerts(g, labels, bad), bq::InvalidArgument);
  EXPECT_THROW((void)gr::community_alerts(g, std::vector<std::int32_t>{0, 1}), bq::InvalidArgument);
  EXPECT_THROW((void)gr::community_alerts(g, std::vector<std::int32_t>(10, -1)), bq::InvalidArgument);
}

TEST(CommunityAlerts, SummaryCountsInsideAndAcross) {
  const auto g = clique_and_path();
  const std::vector<std::int32_t> labels{0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const auto s = gr::community_summary(g, labels, std::vector<std::int32_t>{0, 7});
  EXPECT_EQ(s.community, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(s.size, (std::vector<std::int64_t>{5, 5}));
  EXPECT_EQ(s.internal_transfers, (std::vector<std::int64_t>{10, 4}));
  EXPECT_EQ(s.fraud_members, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(s.amount_out, (std::vector<double>{10, 0}));
  EXPECT_EQ(s.amount_in, (std::vector<double>{0, 10}));
  EXPECT_THROW((void)gr::community_summary(g, labels, std::vector<std::int32_t>{10}), bq::InvalidArgument);
}
