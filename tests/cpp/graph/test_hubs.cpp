#include "bankquant/graph/hubs.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Hubs, DistinctCounterpartiesAndKnownHubs) {
  // 0 is paid by 1..5 (twice by 1); 6 pays 0
  std::vector<std::int32_t> s{1, 1, 2, 3, 4, 5, 6}, d{0, 0, 0, 0, 0, 0, 0};
  std::vector<double> a(s.size(), 1.0);
  std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6, 7};
  const auto g = gr::TransactionGraph::from_edges(7, s, d, a, t);
  gr::HubOptions o;
  o.hub_degree = 6;
  auto r = gr::find_hubs(g, o);
  EXPECT_EQ(r.payers[0], 6);  // distinct, not transfers
  EXPECT_EQ(r.payees[1], 1);
  EXPECT_EQ(r.hub, (std::vector<std::int32_t>{1, 0, 0, 0, 0, 0, 0}));
  o.hub_degree = 7;
  EXPECT_EQ(gr::find_hubs(g, o).hub[0], 0);
  o.known_hubs = {3};
  EXPECT_EQ(gr::find_hubs(g, o).hub[3], 1);
  o.hub_degree = 0;  // none detected, the known ones stay
  r = gr::find_hubs(g, o);
  EXPECT_EQ(r.hub[0], 0);
  EXPECT_EQ(r.hub[3], 1);
  std::vector<std::int32_t> payers, payees;
  const std::vector<std::int32_t> nodes{0, 6};
  gr::count_counterparties(g, nodes, payers, payees);
  ASSERT_EQ(payers.size(), 7u);  // per node, refreshed at the given ones
  EXPECT_EQ(payers[0], 6);
  EXPECT_EQ(payers[6], 0);
  EXPECT_EQ(payees[0], 0);
  EXPECT_EQ(payees[6], 1);
  o.known_hubs = {7};
  EXPECT_THROW((void)gr::find_hubs(g, o), bq::InvalidArgument);
  o.known_hubs = {};
  o.hub_degree = -1;
  EXPECT_THROW((void)gr::find_hubs(g, o), bq::InvalidArgument);
}
