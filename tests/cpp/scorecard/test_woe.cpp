#include "bankquant/scorecard/woe.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sc = bankquant::scorecard;

TEST(Woe, DefinitionSignAndAdjustment) {
  // 30 of 300 events and 70 of 700 non-events: the bin is exactly average.
  EXPECT_NEAR(sc::weight_of_evidence({100, 30, 70}, 300, 700), 0.0, 1e-15);
  // 60 events, 40 non-events: riskier than average, positive WoE = ln((60/300)/(40/700)).
  const sc::BinCounts risky{100, 60, 40};
  EXPECT_NEAR(sc::weight_of_evidence(risky, 300, 700), std::log((60.0 / 300) / (40.0 / 700)), 1e-15);
  EXPECT_NEAR(sc::information_value(risky, 300, 700),
              (60.0 / 300 - 40.0 / 700) * std::log((60.0 / 300) / (40.0 / 700)), 1e-15);
  // No events: 0.5 is added to both counts.
  const sc::BinCounts clean{50, 0, 50};
  EXPECT_NEAR(sc::weight_of_evidence(clean, 300, 700), std::log((0.5 / 300) / (50.5 / 700)), 1e-15);
  EXPECT_TRUE(std::isfinite(sc::weight_of_evidence(clean, 300, 700)));
  EXPECT_GT(sc::information_value(clean, 300, 700), 0.0);
  EXPECT_EQ(sc::weight_of_evidence({0, 0, 0}, 300, 700), 0.0);  // empty bin: population average
}

TEST(Woe, CountsAccumulate) {
  sc::BinCounts c;
  c.add(1.0, 2.0);
  c.add(0.0, 3.0);
  EXPECT_EQ(c.count, 5.0);
  EXPECT_EQ(c.events, 2.0);
  EXPECT_EQ(c.non_events, 3.0);
  EXPECT_DOUBLE_EQ(c.event_rate(), 0.4);
}
