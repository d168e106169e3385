#include "bankquant/graph/community.hpp"

#include <gtest/gtest.h>

#include "graph_fixtures.hpp"
#include "with_threads.hpp"

#include <algorithm>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Community, KarateClubOptimumAndTheFactionSplit) {
  const auto g = gr::testing::karate();
  // The club's split into the two factions (Zachary 1977) has modularity 0.3715 (Newman 2006).
  std::vector<std::int32_t> faction(34, 1);
  for (int v : {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 16, 17, 19, 21}) faction[static_cast<std::size_t>(v)] = 0;
  EXPECT_NEAR(gr::modularity(g, faction), 0.3715, 5e-5);
  double best = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    gr::CommunityOptions o;
    o.seed = seed;
    const auto r = gr::detect_communities(g, o);
    EXPECT_TRUE(r.status.converged()) << r.status.message;
    best = std::max(best, r.modularity);
  }
  EXPECT_NEAR(best, 0.4197896, 1e-6);  // the optimum (Brandes et al. 2008)
}

TEST(Community, SameLabelsOnAnyThreadCount) {
  const auto g = gr::testing::karate();
  gr::CommunityOptions o;
  o.seed = 7;
  const auto one = bq::testing::with_threads(1, [&] { return gr::detect_communities(g, o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::detect_communities(g, o); });
  EXPECT_EQ(one.labels, two.labels);
  gr::CommunityOptions bad;
  bad.resolution = 0;
  EXPECT_THROW((void)gr::detect_communities(g, bad), bq::InvalidArgument);
  EXPECT_EQ(bq::enum_from_name<gr::CommunityMethod>("louvain", "method"), gr::CommunityMethod::louvain);
  EXPECT_THROW((void)bq::enum_from_name<gr::CommunityObjective>("potts", "objective"), bq::InvalidArgument);
}

TEST(Community, PassLimitIsAStatusAndCpmQualityByHand) {
  const auto g = gr::testing::karate();
  gr::CommunityOptions o;
  o.max_passes = 1;
  const auto r = gr::detect_communities(g, o);
  EXPECT_EQ(r.status.code, bq::StatusCode::iteration_limit);
  // CPM of the two factions at γ = 0.1: internal edges minus γ n(n−1)/2 per community
  std::vector<std::int32_t> faction(34, 1);
  for (int v : {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 16, 17, 19, 21}) faction[static_cast<std::size_t>(v)] = 0;
  const auto src = g.src(), dst = g.dst();
  double inside = 0;
  for (std::size_t e = 0; e < g.n_edges(); ++e) inside += faction[static_cast<std::size_t>(src[e])] == faction[static_cast<std::size_t>(dst[e])];
  EXPECT_NEAR(gr::cpm_quality(g, faction, 0.1), inside - 0.1 * (16 * 15 / 2 + 18 * 17 / 2), 1e-12);
}
