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
  EXPECT_EQ(r.flag, sc::StabilityFlag::stable);
  // an empty bin is replaced by half an observation, so the index stays finite
  const auto z = sc::stability_from_counts(std::vector<double>{10, 0}, std::vector<double>{5, 5});
  EXPECT_TRUE(std::isfinite(z.index));
  EXPECT_EQ(z.flag, sc::StabilityFlag::significant_shift);
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
  sc::StabilityOptions one;
  one.bins = 1;
  EXPECT_THROW((void)sc::population_stability(dev, same, one), bq::InvalidArgument);
}

TEST(Stability, BinsEmptyInBothSamplesAreLeftOut) {
  // a characteristic with one populated bin cannot shift, whatever the sample sizes
  const auto r = sc::stability_from_counts(std::vector<double>{990, 0, 0}, std::vector<double>{10, 0, 0});
  EXPECT_EQ(r.index, 0.0);
  EXPECT_EQ(r.largest_shift_bin, 0u);
  EXPECT_EQ(r.bins[1].contribution, 0.0);
}

TEST(Stability, ByPeriodEqualsEachPeriodAlone) {
  bq::RandomStream s(2);
  std::vector<double> dev(5000), act(3000);
  s.fill_normal(dev);
  std::vector<std::int32_t> period(3000);
  for (std::size_t i = 0; i < act.size(); ++i) {
    period[i] = static_cast<std::int32_t>(i % 3);
    act[i] = s.normal() + 0.3 * period[i];
  }
  const auto by = sc::population_stability_by_period(dev, act, period, 3);
  ASSERT_EQ(by.size(), 3u);
  for (int p = 0; p < 3; ++p) {
    std::vector<double> only;
    for (std::size_t i = 0; i < act.size(); ++i) {
      if (period[i] == p) only.push_back(act[i]);
    }
    EXPECT_NEAR(by[static_cast<std::size_t>(p)].index, sc::population_stability(dev, only).index, 1e-15);
  }
  EXPECT_LT(by[0].index, by[2].index);
}
