#include "bankquant/portfolio/expected_returns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bankquant/core/errors.hpp"
#include "dow_jones.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::VectorXd;

TEST(ExpectedReturns, MeanAndCompounding) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  const auto m = pf::estimate_expected_returns(R);
  EXPECT_NEAR((m.expected_returns - R.colwise().mean().transpose() * 252.0).cwiseAbs().maxCoeff(), 0.0, 1e-14);
  pf::ExpectedReturnsOptions o;
  o.compounding = true;
  const auto g = pf::estimate_expected_returns(R, o);
  // Geometric rate: (P_T / P_0)^(252 / T) - 1, from the prices.
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  for (int j = 0; j < 30; ++j) {
    const double expected = std::pow(P(P.rows() - 1, j) / P(0, j), 252.0 / 2528.0) - 1.0;
    EXPECT_NEAR(g.expected_returns(j), expected, 1e-10);
  }
  EXPECT_LT(g.expected_returns.mean(), m.expected_returns.mean());  // volatility drag
}

TEST(ExpectedReturns, CapmBetasOfTheEqualWeightedMarketAverageToOne) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  pf::ExpectedReturnsOptions o;
  o.method = pf::ReturnMethod::capm;
  o.risk_free = 0.02;
  const auto c = pf::estimate_expected_returns(R, o);
  EXPECT_NEAR(c.betas.mean(), 1.0, 1e-12);  // the market is the average of the assets
  EXPECT_NEAR(c.market_return, R.rowwise().mean().mean() * 252.0, 1e-12);
  for (int j = 0; j < 30; ++j) EXPECT_NEAR(c.expected_returns(j), 0.02 + c.betas(j) * (c.market_return - 0.02), 1e-14);
  // An explicit market series must have one value per row.
  const VectorXd market = R.col(0);
  const auto one = pf::estimate_expected_returns(R, o, market);
  EXPECT_NEAR(one.betas(0), 1.0, 1e-12);
  EXPECT_THROW((void)pf::estimate_expected_returns(R, o, VectorXd::Zero(10)), bq::InvalidArgument);
}

TEST(ExpectedReturns, JamesSteinShrinksTowardTheGrandMean) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().topRows(500);
  pf::ExpectedReturnsOptions o;
  o.method = pf::ReturnMethod::james_stein;
  const auto js = pf::estimate_expected_returns(R, o);
  const auto m = pf::estimate_expected_returns(R);
  EXPECT_GT(js.shrinkage, 0.0);
  EXPECT_LE(js.shrinkage, 1.0);
  const double grand = m.expected_returns.mean();
  EXPECT_NEAR(js.expected_returns.mean(), grand, 1e-14);
  EXPECT_LT((js.expected_returns.array() - grand).abs().sum(), (m.expected_returns.array() - grand).abs().sum());
  EXPECT_NEAR((js.expected_returns.array() - grand).sum(), 0.0, 1e-12);
  EXPECT_THROW((void)pf::estimate_expected_returns(R.topRows(20), o), bq::InvalidArgument);  // T <= n
}

TEST(ExpectedReturns, EwmaAndMissingValues) {
  bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(3);
  pf::ExpectedReturnsOptions o;
  o.method = pf::ReturnMethod::ewma;
  o.half_life = 1e15;  // equal weights in the limit
  o.periods_per_year = 1;
  const auto flat = pf::estimate_expected_returns(R, o);
  EXPECT_NEAR((flat.expected_returns - R.colwise().mean().transpose()).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  R(3, 2) = std::numeric_limits<double>::quiet_NaN();
  o.method = pf::ReturnMethod::mean;
  o.missing = pf::MissingPolicy::pairwise;
  const auto p = pf::estimate_expected_returns(R, o);
  double s = 0;
  int count = 0;
  for (int t = 0; t < R.rows(); ++t)
    if (!std::isnan(R(t, 2))) s += R(t, 2), ++count;
  EXPECT_NEAR(p.expected_returns(2), s / count, 1e-16);
  o.missing = pf::MissingPolicy::complete;
  EXPECT_EQ(pf::estimate_expected_returns(R, o).rows_dropped, 1);
  o.method = pf::ReturnMethod::capm;
  o.missing = pf::MissingPolicy::pairwise;
  EXPECT_THROW((void)pf::estimate_expected_returns(R, o), bq::InvalidArgument);
}
