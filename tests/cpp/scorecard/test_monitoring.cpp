#include "bankquant/scorecard/monitoring.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

TEST(Stability, FromCountsByHand) {
  const std::vector<double> e{25, 25, 50}, a{20, 30, 50};
  const auto r = sc::stability_from_counts(e, a);
  const double expected = (0.2 - 0.25) * std::log(0.2 / 0.25) + (0.3 - 0.25) * std::log(0.3 / 0.25);
  EXPECT_NEAR(r.index, expected, 1e-15);
  EXPECT_EQ(r.flag, "stable");
  // an empty bin is replaced by half an observation, so the index stays finite
  const auto z = sc::stability_from_counts(std::vector<double>{10, 0}, std::vector<double>{5, 5});
  EXPECT_TRUE(std::isfinite(z.index));
  EXPECT_EQ(z.flag, "significant shift");
}

TEST(Stability, PopulationShift) {
  bq::RandomStream s(1);
  std::vector<double> dev(20000), same(20000), shifted(20000);
  s.fill_normal(dev);
  s.fill_normal(same);
  for (double& v : shifted) v = s.normal() + 0.5;
  EXPECT_LT(sc::population_stability(dev, same).index, 0.01);
  const auto r = sc::population_stability(dev, shifted);
  EXPECT_GT(r.index, 0.2);
  EXPECT_EQ(r.bins.size(), 10u);
  EXPECT_THROW((void)sc::population_stability(dev, std::vector<double>{}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::population_stability(dev, same, 1), bq::InvalidArgument);
}
