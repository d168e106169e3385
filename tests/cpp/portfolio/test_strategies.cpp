#include "bankquant/portfolio/strategies.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/cointegration.hpp"
#include "dow_jones.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::VectorXd;

TEST(Strategies, MovingAverageSignalByHand) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::moving_average;
  s.fast = 10;
  s.slow = 40;
  auto st = pf::make_strategy(s);
  st->prepare(P);
  VectorXd out = VectorXd::Zero(30);
  const Eigen::Index t = 1000;
  ASSERT_TRUE(st->target(P, t, out, out));
  for (int j = 0; j < 30; ++j) {
    const double fast = P.col(j).segment(t - 9, 10).mean(), slow = P.col(j).segment(t - 39, 40).mean();
    EXPECT_EQ(out(j), fast > slow ? 1.0 / 30 : -1.0 / 30) << j;
  }
}

TEST(Strategies, CrossSectionalMomentumLegs) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::cross_sectional_momentum;
  s.lookback = 252;
  s.skip = 21;
  s.quantile = 0.2;
  auto st = pf::make_strategy(s);
  VectorXd out = VectorXd::Zero(30);
  ASSERT_TRUE(st->target(P, 800, out, out));
  EXPECT_NEAR(out.sum(), 0.0, 1e-15);
  EXPECT_NEAR(out.cwiseAbs().sum(), 1.0, 1e-15);
  EXPECT_EQ((out.array() > 0).count(), 6);
  // The best past performer is long.
  Eigen::Index best;
  (P.row(800 - 21).cwiseQuotient(P.row(800 - 252))).maxCoeff(&best);
  EXPECT_GT(out(best), 0.0);
}

TEST(Strategies, PairsSelectionUsesTheSmallestPValues) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  const auto pairs = pf::select_pairs(P, 600, 252, 3, 0.2);
  ASSERT_FALSE(pairs.empty());
  for (std::size_t k = 1; k < pairs.size(); ++k) EXPECT_LE(pairs[k - 1].p_value, pairs[k].p_value);
  std::vector<double> y(252), x(252);
  for (int r = 0; r < 252; ++r) {
    y[static_cast<std::size_t>(r)] = std::log(P(600 - 251 + r, pairs[0].first));
    x[static_cast<std::size_t>(r)] = std::log(P(600 - 251 + r, pairs[0].second));
  }
  const auto c = pf::engle_granger(y, x);
  EXPECT_NEAR(c.p_value, pairs[0].p_value, 1e-15);
  EXPECT_NEAR(c.hedge_ratio, pairs[0].hedge_ratio, 1e-15);
  // A pairs backtest runs and trades.
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::pairs;
  s.max_p_value = 0.2;
  auto st = pf::make_strategy(s);
  pf::BacktestOptions o;
  o.rebalance_every = 1;
  o.proportional_cost = 0.0005;
  const auto r = pf::run_backtest(P, *st, o);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_GT(r.trades.size(), 10u);
  EXPECT_LE(r.gross_exposure.maxCoeff(), 1.0 + 1e-12);
}

TEST(Strategies, AllocationEqualsTheOptimiserOnTheWindow) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::allocation;
  s.method = pf::AllocationMethod::min_volatility;
  s.lookback = 252;
  auto st = pf::make_strategy(s);
  VectorXd out = VectorXd::Zero(30);
  ASSERT_TRUE(st->target(P, 700, out, out));
  bq::RowMatrix R(252, 30);
  for (int k = 0; k < 252; ++k) R.row(k) = P.row(700 - 251 + k).cwiseQuotient(P.row(700 - 252 + k)).array() - 1.0;
  const auto cov = pf::estimate_covariance(R).covariance;
  const auto mu = pf::estimate_expected_returns(R).expected_returns;
  const auto direct = pf::MeanVariance(mu, cov).min_volatility();
  EXPECT_NEAR((out - direct.weights).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  EXPECT_EQ(st->warmup(), 252);
}

TEST(Strategies, MeanReversionEntersAndExits) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::mean_reversion;
  s.window = 20;
  s.entry_z = 1.5;
  s.exit_z = 0.25;
  auto st = pf::make_strategy(s);
  pf::BacktestOptions o;
  o.rebalance_every = 1;
  const auto r = pf::run_backtest(P, *st, o);
  EXPECT_GT(r.trades.size(), 100u);
  EXPECT_LE(r.gross_exposure.maxCoeff(), 1.0 + 1e-12);
  EXPECT_GT((r.weights.array() < 0).count(), 0);
  s.long_only = true;
  auto lo = pf::make_strategy(s);
  EXPECT_EQ((pf::run_backtest(P, *lo, o).weights.array() < 0).count(), 0);
}
