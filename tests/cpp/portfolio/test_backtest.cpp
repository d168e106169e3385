#include "bankquant/portfolio/backtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/strategies.hpp"
#include "bankquant/risk/var.hpp"
#include "dow_jones.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::VectorXd;

namespace {
pf::StrategySpec equal_weight() {
  pf::StrategySpec s;
  s.kind = pf::StrategyKind::allocation;
  s.method = pf::AllocationMethod::equal_weight;
  s.lookback = 2;
  return s;
}
}  // namespace

TEST(Backtest, DailyRebalancedEqualWeightIsTheMeanReturn) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  auto s = pf::make_strategy(equal_weight());
  pf::BacktestOptions o;
  o.rebalance_every = 1;
  const auto r = pf::run_backtest(P, *s, o);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  for (Eigen::Index t = 3; t < P.rows(); t += 97) {
    const double mean = (P.row(t).cwiseQuotient(P.row(t - 1)).array() - 1.0).mean();
    EXPECT_NEAR(r.returns(t), mean, 1e-14) << t;
  }
  EXPECT_NEAR(r.equity(P.rows() - 1), (1.0 + r.returns.array().tail(P.rows() - 3)).prod(), 1e-10);
}

TEST(Backtest, BuyAndHoldDriftsAndCostsAreCharged) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  auto s = pf::make_strategy(equal_weight());
  pf::BacktestOptions o;
  o.rebalance_every = 100000;  // one trade, at the start
  o.proportional_cost = 0.001;
  const auto r = pf::run_backtest(P, *s, o);
  const Eigen::Index T = P.rows(), start = r.start;
  double hold = 0;
  for (int j = 0; j < 30; ++j) hold += P(T - 1, j) / P(start, j) / 30.0;
  EXPECT_NEAR(r.equity(T - 1), hold * (1 - 0.001), 1e-12);  // buy 1.0 of value at 10 bp
  EXPECT_EQ(r.trades.size(), 1u);
  EXPECT_NEAR(r.turnover(start), 1.0, 1e-15);
  // Weights drift with prices.
  EXPECT_NEAR(r.weights(T - 1, 0), P(T - 1, 0) / P(start, 0) / 30.0 / hold, 1e-12);
}

TEST(Backtest, RiskControls) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec spec = equal_weight();
  pf::BacktestOptions o;
  o.rebalance_every = 21;
  o.target_volatility = 0.08;
  auto s = pf::make_strategy(spec);
  const auto vt = pf::run_backtest(P, *s, o);
  EXPECT_GT(vt.volatility_scalings, 0);
  EXPECT_LT(vt.stats.annual_volatility, 0.11);
  o.target_volatility = 0;
  o.var_limit = 0.01;  // 1% one-day 99% VaR
  const auto vl = pf::run_backtest(P, *s, o);
  EXPECT_GT(vl.var_scalings, 0);
  // At each rebalancing the traded weights have a historical VaR at most the limit.
  for (int t : vl.trades) {
    if (t < 300) continue;
    VectorXd w = vl.weights.row(t).transpose();
    std::vector<double> pnl;
    for (int k = t - 249; k <= t; ++k) pnl.push_back((P.row(k).cwiseQuotient(P.row(k - 1)).array() - 1.0).matrix().dot(w));
    EXPECT_LE(bq::risk::historical_var_es(pnl, std::vector<double>{0.99}).var[0], 0.01 + 1e-12);
    break;
  }
  o.var_limit = 0;
  o.max_position = 0.02;
  const auto mp = pf::run_backtest(P, *s, o);
  EXPECT_LE(mp.weights.row(mp.start).cwiseAbs().maxCoeff(), 0.02 + 1e-15);
  EXPECT_NEAR(mp.cash(mp.start), 0.4, 1e-12);  // 30 x 0.02 invested
  o.max_position = std::numeric_limits<double>::infinity();
  o.stop_loss = 0.05;
  const auto sl = pf::run_backtest(P, *s, o);
  EXPECT_GT(sl.stops, 0);
}

TEST(Backtest, NoLookAhead) {
  bq::RowMatrix P = bq::testing::dow_jones_prices();
  pf::StrategySpec spec;
  spec.kind = pf::StrategyKind::moving_average;
  spec.fast = 20;
  spec.slow = 100;
  pf::BacktestOptions o;
  o.rebalance_every = 5;
  auto a = pf::make_strategy(spec);
  const auto before = pf::run_backtest(P, *a, o);
  // Change the future after row 1500: every weight up to row 1500 stays the same.
  P.bottomRows(P.rows() - 1501) *= 1.7;
  auto b = pf::make_strategy(spec);
  const auto after = pf::run_backtest(P, *b, o);
  EXPECT_EQ((before.weights.topRows(1501) - after.weights.topRows(1501)).cwiseAbs().maxCoeff(), 0.0);
}

TEST(Backtest, GridIsDeterministicAcrossThreads) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  std::vector<std::unique_ptr<pf::Strategy>> grid;
  for (int fast : {10, 20, 50}) {
    for (int slow : {100, 200}) {
      pf::StrategySpec s;
      s.kind = pf::StrategyKind::moving_average;
      s.fast = fast;
      s.slow = slow;
      grid.push_back(pf::make_strategy(s));
    }
  }
  pf::BacktestOptions o;
  o.rebalance_every = 1;
  o.proportional_cost = 0.0005;
  o.keep_paths = false;
  const auto one = bq::testing::with_threads(1, [&] { return pf::run_backtest_grid(P, grid, o); });
  const auto two = bq::testing::with_threads(2, [&] { return pf::run_backtest_grid(P, grid, o); });
  ASSERT_EQ(one.size(), 6u);
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].equity, two[i].equity);
    EXPECT_EQ(one[i].stats.sharpe, two[i].stats.sharpe);
    auto alone = grid[i]->clone();
    EXPECT_EQ(pf::run_backtest(P, *alone, o).equity, one[i].equity);
  }
}

TEST(Backtest, BadInputsAreNamed) {
  bq::RowMatrix P = bq::testing::dow_jones_prices().topRows(300);
  auto s = pf::make_strategy(equal_weight());
  P(100, 3) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW((void)pf::run_backtest(P, *s), bq::InvalidArgument);
  P(100, 3) = -1.0;
  EXPECT_THROW((void)pf::run_backtest(P, *s), bq::InvalidArgument);
  P(100, 3) = 10.0;
  pf::BacktestOptions o;
  o.impact = 0.1;  // without adv
  EXPECT_THROW((void)pf::run_backtest(P, *s, o), bq::InvalidArgument);
  pf::CallbackStrategy bad([](const auto&, Eigen::Index, const VectorXd&, VectorXd& out) {
    out = VectorXd::Constant(5, 0.2);  // 5 weights for 30 assets
    return true;
  }, 0, "bad");
  EXPECT_THROW((void)pf::run_backtest(P, bad), bq::InvalidArgument);
  pf::StrategySpec spec;
  spec.kind = pf::StrategyKind::moving_average;
  spec.fast = 100;
  spec.slow = 50;
  EXPECT_THROW((void)pf::make_strategy(spec), bq::InvalidArgument);
}
