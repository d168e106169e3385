#include "bankquant/graph/node_features.hpp"

#include <gtest/gtest.h>

#include "graph_fixtures.hpp"

#include <algorithm>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

double column(const gr::NodeFeatures& f, const std::string& name, std::size_t row) {
  const auto it = std::find(f.names.begin(), f.names.end(), name);
  EXPECT_NE(it, f.names.end()) << name;
  return f.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(it - f.names.begin()));
}

}  // namespace

TEST(NodeFeatures, ByHandOnATimedTriangle) {
  // 0 -> 1 -> 2 -> 0 within 30 s, plus 0 -> 1 again and 3 -> 0
  const auto g = gr::TransactionGraph::from_edges(4, std::vector<std::int32_t>{0, 1, 2, 0, 3},
                                                  std::vector<std::int32_t>{1, 2, 0, 1, 0},
                                                  std::vector<double>{10, 20, 30, 40, 50},
                                                  std::vector<std::int64_t>{0, 10, 20, 25, 1000});
  gr::NodeFeatureOptions o;
  o.window = 100;
  o.seeds = {3};
  const auto f = gr::node_features(g, o);
  EXPECT_EQ(f.values.rows(), 4);
  EXPECT_EQ(column(f, "out_degree", 0), 2);
  EXPECT_EQ(column(f, "in_strength", 0), 80);
  EXPECT_EQ(column(f, "out_counterparties", 0), 1);
  EXPECT_EQ(column(f, "in_counterparties", 0), 2);
  EXPECT_EQ(column(f, "out_velocity", 0), 2);  // 0 -> 1 at 0 and 25
  EXPECT_EQ(column(f, "cycles", 0), 2);  // 0 -> 1 -> 2 -> 0 and 1 -> 2 -> 0 -> 1 (the transfer at 25)
  EXPECT_EQ(column(f, "cycles", 3), 0);
  EXPECT_EQ(column(f, "core_number", 3), 1);
  EXPECT_GT(column(f, "ppr_from_seeds", 3), column(f, "pagerank", 3));
  double total = 0;
  for (std::size_t v = 0; v < 4; ++v) total += column(f, "pagerank", v);
  EXPECT_NEAR(total, 1.0, 1e-12);
  // results computed before are used as given
  gr::NodeFeatureInputs inputs;
  gr::CycleResult none;
  inputs.cycles = none;
  EXPECT_EQ(column(gr::node_features(g, o, inputs), "cycles", 0), 0);
  gr::CommunityResult wrong;
  wrong.labels = {0, 0};
  inputs.communities = wrong;
  EXPECT_THROW((void)gr::node_features(g, o, inputs), bq::InvalidArgument);
  o.seeds = {7};
  EXPECT_THROW((void)gr::node_features(g, o), bq::InvalidArgument);
}

TEST(NodeFeatures, WithoutTimeAndVelocity) {
  const auto f = gr::node_features(gr::testing::karate());
  EXPECT_EQ(std::find(f.names.begin(), f.names.end(), "out_velocity"), f.names.end());
  EXPECT_EQ(column(f, "community_size", 0) > 1, true);
  const auto g = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 1, 2}, std::vector<std::int32_t>{1, 2, 0}, {},
                                                  std::vector<std::int64_t>{1, 2, 3});
  EXPECT_EQ(gr::max_transfers_in_window(g, 10, true), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_THROW((void)gr::max_transfers_in_window(g, -1, true), bq::InvalidArgument);
}
