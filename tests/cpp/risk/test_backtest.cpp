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
  ASSERT_TRUE(r.p_value_exact.has_value());
  EXPECT_GT(*r.p_value_exact, 0.0);
  EXPECT_LE(*r.p_value_exact, 1.0);
  EXPECT_NEAR(risk::kupiec(0, 250, 0.99).statistic, -2 * 250 * std::log(0.99), 1e-10);
  EXPECT_NEAR(risk::kupiec(3, 300, 0.99).statistic, 0.0, 1e-12);  // exactly the expected rate
  // the series form counts the exceptions and takes n from the length
  std::vector<int> e(250, 0);
  for (int i : {3, 50, 51, 90, 120, 121, 200, 240}) e[static_cast<std::size_t>(i)] = 1;
  EXPECT_DOUBLE_EQ(risk::kupiec(e, 0.99).statistic, r.statistic);
}

TEST(Backtest, TrafficLightMatchesTheBaselTable) {
  // Basel Committee (1996), table 2: 0-4 green, 5-9 yellow (plus factors .40 .50 .65 .75 .85), 10+ red.
  const double plus[] = {0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85, 1.0, 1.0};
  for (std::size_t x = 0; x <= 11; ++x) {
    const auto t = risk::traffic_light(x, 250, 0.99);
    EXPECT_EQ(t.zone, x <= 4 ? risk::TrafficLightZone::green : x <= 9 ? risk::TrafficLightZone::yellow
                                                                      : risk::TrafficLightZone::red)
        << x;
    ASSERT_TRUE(t.plus_factor.has_value());
    EXPECT_DOUBLE_EQ(*t.plus_factor, plus[x]) << x;
    EXPECT_EQ(t.green_limit, 4u);
    EXPECT_EQ(t.yellow_limit, 9u);
  }
  // the table's cumulative probabilities: 4 exceptions 89.22%, 9 exceptions 99.97%
  EXPECT_NEAR(risk::traffic_light(4).cumulative_probability, 0.8922, 5e-5);
  EXPECT_NEAR(risk::traffic_light(9).cumulative_probability, 0.9997, 5e-5);
  EXPECT_FALSE(risk::traffic_light(2, 500, 0.99).plus_factor.has_value());  // no table outside 250 @ 99%
}

TEST(Backtest, TrafficLightZonesScaleWithTheSample) {
  // 1,000 days at 99% (10 expected): P(X <= 14) = 0.9176, P(X <= 15) = 0.9521, P(X <= 23) = 0.99989,
  // P(X <= 24) = 0.99996 (scipy 1.10 stats.binom.cdf).
  const auto t = risk::traffic_light(15, 1000, 0.99);
  EXPECT_EQ(t.zone, risk::TrafficLightZone::yellow);
  EXPECT_EQ(t.green_limit, 14u);
  EXPECT_EQ(risk::traffic_light(14, 1000, 0.99).zone, risk::TrafficLightZone::green);
  EXPECT_EQ(t.yellow_limit, 23u);
  EXPECT_EQ(risk::traffic_light(t.yellow_limit + 1, 1000, 0.99).zone, risk::TrafficLightZone::red);
  std::vector<int> e(1000, 0);
  for (std::size_t i = 0; i < 15; ++i) e[i * 60] = 1;
  const auto s = risk::traffic_light(e, 0.99);
  EXPECT_EQ(s.n, 1000u);
  EXPECT_EQ(s.exceptions, 15u);
  EXPECT_EQ(s.zone, risk::TrafficLightZone::yellow);
}

TEST(Backtest, BinomialAndTuff) {
  const auto b = risk::binomial_test(0, 250, 0.99);
  EXPECT_EQ(b.p_value, 1.0);
  EXPECT_NEAR(risk::binomial_test(1, 250, 0.99).p_value, 1 - std::pow(0.99, 250), 1e-12);
  const auto early = risk::tuff(1, 250, 0.99);  // a failure on day 1 at 99% is suspicious
  EXPECT_LT(early.p_value, 0.1);
  EXPECT_GT(risk::tuff(100, 250, 0.99).p_value, 0.5);
  std::vector<int> e(250, 0);
  e[99] = 1;
  EXPECT_DOUBLE_EQ(risk::tuff(e, 0.99).statistic, risk::tuff(100, 250, 0.99).statistic);
}

TEST(Backtest, TimeBetweenFailuresByHand) {
  // Exceptions on days 10, 40 and 41 at 99%: durations 10, 30, 1; each term
  // -2 ln[p (1-p)^(N-1)] + 2 ln[(1/N)(1 - 1/N)^(N-1)].
  std::vector<int> e(250, 0);
  for (int d : {10, 40, 41}) e[static_cast<std::size_t>(d - 1)] = 1;
  const double p = 0.01;
  auto term = [&](double N) {
    const double restricted = std::log(p) + (N - 1) * std::log(1 - p);
    const double free = N == 1 ? 0.0 : std::log(1 / N) + (N - 1) * std::log(1 - 1 / N);
    return -2 * (restricted - free);
  };
  const double tbfi = term(10) + term(30) + term(1);
  const auto r = risk::time_between_failures(e, 0.99);
  EXPECT_EQ(r.durations, (std::vector<std::size_t>{10, 30, 1}));
  EXPECT_NEAR(r.independence.statistic, tbfi, 1e-10);
  EXPECT_NEAR(r.combined.statistic, tbfi + risk::kupiec(3, 250, 0.99).statistic, 1e-10);
  EXPECT_LT(r.independence.p_value, 0.05);  // a day-1 duration after an exception: clustered
  const auto none = risk::time_between_failures(std::vector<int>(250, 0), 0.99);
  EXPECT_NEAR(none.independence.statistic, risk::tuff(0, 250, 0.99).statistic, 1e-12);
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
  EXPECT_EQ(b.statistic(), b.conditional_coverage.statistic);
}

TEST(Backtest, ExceptionsAndBadInput) {
  const auto e = risk::exceptions(std::vector<double>{-3, 1, -1}, std::vector<double>{2, 2, 2});
  EXPECT_EQ(e, (std::vector<int>{1, 0, 0}));
  EXPECT_THROW((void)risk::exceptions(std::vector<double>{-3}, std::vector<double>{-2}), bq::InvalidArgument);
  EXPECT_THROW((void)risk::kupiec(5, 3, 0.99), bq::InvalidArgument);
  EXPECT_THROW((void)risk::kupiec(1, 100, 1.0), bq::InvalidArgument);
  EXPECT_THROW((void)risk::kupiec(1, 100, 0.05), bq::InvalidArgument);  // a tail probability, not a level
  EXPECT_THROW((void)risk::christoffersen(std::vector<int>{0, 2}, 0.99), bq::InvalidArgument);
  EXPECT_THROW((void)risk::exceptions(std::vector<double>{1}, std::vector<double>{1, 2}), bq::InvalidArgument);
}
