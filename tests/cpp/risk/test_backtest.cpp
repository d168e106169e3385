#include "bankquant/risk/backtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

TEST(Backtest, KupiecByHand) {
  // 250 days at 99%, 8 exceptions: LR = -2 ln(0.99^242 0.01^8) + 2 ln((242/250)^242 (8/250)^8).
  const double lr = -2 * (242 * std::log(0.99) + 8 * std::log(0.01)) +
                    2 * (242 * std::log(242.0 / 250) + 8 * std::log(8.0 / 250));
  const auto r = risk::kupiec(8, 250, 0.99);
  EXPECT_NEAR(r.statistic, lr, 1e-10);
  EXPECT_NEAR(r.p_value, std::erfc(std::sqrt(lr / 2)), 1e-10);  // chi2(1) survival = erfc(sqrt(x/2))
  EXPECT_GT(r.p_value_exact, 0.0);
  EXPECT_LE(r.p_value_exact, 1.0);
  EXPECT_NEAR(risk::kupiec(0, 250, 0.99).statistic, -2 * 250 * std::log(0.99), 1e-10);
  EXPECT_NEAR(risk::kupiec(3, 300, 0.99).statistic, 0.0, 1e-12);  // exactly the expected rate
}

TEST(Backtest, TrafficLightMatchesTheBaselTable) {
  // Basel Committee (1996), table 2: 0-4 green, 5-9 yellow (plus factors .40 .50 .65 .75 .85), 10+ red.
  const double plus[] = {0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85, 1.0, 1.0};
  for (std::size_t x = 0; x <= 11; ++x) {
    const auto t = risk::traffic_light(x, 250, 0.99);
    EXPECT_EQ(t.zone, x <= 4 ? "green" : x <= 9 ? "yellow" : "red") << x;
    EXPECT_DOUBLE_EQ(t.plus_factor, plus[x]) << x;
  }
  // the table's cumulative probabilities: 4 exceptions 89.22%, 9 exceptions 99.97%
  EXPECT_NEAR(risk::traffic_light(4).cumulative_probability, 0.8922, 5e-5);
  EXPECT_NEAR(risk::traffic_light(9).cumulative_probability, 0.9997, 5e-5);
  EXPECT_LT(risk::traffic_light(2, 500, 0.99).plus_factor, 0.0);  // no table outside 250 @ 99%
}

TEST(Backtest, BinomialAndTuff) {
  const auto b = risk::binomial_test(0, 250, 0.99);
  EXPECT_EQ(b.p_value, 1.0);
  EXPECT_NEAR(risk::binomial_test(1, 250, 0.99).p_value, 1 - std::pow(0.99, 250), 1e-12);
  const auto early = risk::tuff(1, 250, 0.99);  // a failure on day 1 at 99% is suspicious
  EXPECT_LT(early.p_value, 0.1);
  EXPECT_GT(risk::tuff(100, 250, 0.99).p_value, 0.5);
}

TEST(Backtest, ChristoffersenDetectsClustering) {
  std::vector<int> spread(250, 0), clustered(250, 0);
  for (int i : {20, 70, 120, 170, 220}) spread[static_cast<std::size_t>(i)] = 1;
  for (int i : {100, 101, 102, 103, 104}) clustered[static_cast<std::size_t>(i)] = 1;
  const auto a = risk::christoffersen(spread, 0.99);
  const auto b = risk::christoffersen(clustered, 0.99);
  EXPECT_GT(a.independence.p_value, 0.5);
  EXPECT_LT(b.independence.p_value, 0.001);
  EXPECT_EQ(b.n11, 4u);
  EXPECT_NEAR(b.conditional_coverage.statistic, risk::kupiec(5, 250, 0.99).statistic + b.independence.statistic, 1e-12);
}

TEST(Backtest, ExceptionsAndBadInput) {
  const auto e = risk::exceptions(std::vector<double>{-3, 1, -1}, std::vector<double>{2, 2, 2});
  EXPECT_EQ(e, (std::vector<int>{1, 0, 0}));
  EXPECT_THROW((void)risk::kupiec(5, 3, 0.99), bq::InvalidArgument);
  EXPECT_THROW((void)risk::kupiec(1, 100, 1.0), bq::InvalidArgument);
  EXPECT_THROW((void)risk::christoffersen(std::vector<int>{0, 2}, 0.99), bq::InvalidArgument);
  EXPECT_THROW((void)risk::exceptions(std::vector<double>{1}, std::vector<double>{1, 2}), bq::InvalidArgument);
}
