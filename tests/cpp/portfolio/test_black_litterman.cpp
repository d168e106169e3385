#include "bankquant/portfolio/black_litterman.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Cholesky>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
// He and Litterman (1999), "The intuition behind Black-Litterman model portfolios", Goldman Sachs:
// Australia, Canada, France, Germany, Japan, UK, USA.
struct HeLitterman {
  MatrixXd cov;
  VectorXd w;
  HeLitterman() {
    MatrixXd corr(7, 7);
    corr << 1, .488, .478, .515, .439, .512, .491,  //
        .488, 1, .664, .655, .310, .608, .779,      //
        .478, .664, 1, .861, .355, .783, .668,      //
        .515, .655, .861, 1, .354, .777, .653,      //
        .439, .310, .355, .354, 1, .405, .306,      //
        .512, .608, .783, .777, .405, 1, .652,      //
        .491, .779, .668, .653, .306, .652, 1;
    VectorXd vol(7);
    vol << .160, .203, .248, .271, .210, .200, .187;
    cov = vol.asDiagonal() * corr * vol.asDiagonal();
    w = VectorXd(7);
    w << .016, .022, .052, .055, .116, .124, .615;
  }
};
}  // namespace

TEST(BlackLitterman, HeLittermanPublishedExample) {
  const HeLitterman d;
  const bq::RowMatrix none(0, 7);
  const auto prior = pf::black_litterman(d.cov, d.w, none, VectorXd(), MatrixXd(), VectorXd());
  VectorXd pi(7);
  pi << 3.9, 6.9, 8.4, 9.0, 4.3, 6.8, 7.6;  // Table 2, percent
  EXPECT_NEAR((prior.pi * 100 - pi).cwiseAbs().maxCoeff(), 0.0, 0.051);
  // Without views the optimal weights are the market's scaled by 1 / (1 + tau).
  EXPECT_NEAR((prior.weights - d.w / 1.05).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  // View: Germany outperforms the rest of Europe (France and UK by market cap) by 5%.
  bq::RowMatrix P(1, 7);
  P << 0, 0, -0.295, 1, 0, -0.705, 0;
  VectorXd Q(1);
  Q << 0.05;
  const auto one = pf::black_litterman(d.cov, d.w, P, Q, MatrixXd(), VectorXd());
  EXPECT_EQ(one.omega_source, "he_litterman");
  VectorXd mu(7), w(7);
  mu << 4.3, 7.6, 9.3, 11.0, 4.5, 7.0, 8.1;         // Table 4
  w << 1.5, 2.1, -3.9, 35.4, 11.0, -9.5, 58.6;      // Table 4
  EXPECT_NEAR((one.posterior_returns * 100 - mu).cwiseAbs().maxCoeff(), 0.0, 0.051);
  EXPECT_NEAR((one.weights * 100 - w).cwiseAbs().maxCoeff(), 0.0, 0.051);
  // Only the assets in the view tilt: w - w_mkt / (1 + tau) is a multiple of P'.
  const VectorXd tilt = one.weights - d.w / 1.05;
  EXPECT_NEAR(tilt(0), 0.0, 1e-12);
  EXPECT_NEAR(tilt(4), 0.0, 1e-12);
  EXPECT_NEAR(tilt(2) / tilt(3), -0.295, 1e-10);
  // Two views: add Canada outperforms the US by 3% (Table 5).
  bq::RowMatrix P2(2, 7);
  P2 << 0, 0, -0.295, 1, 0, -0.705, 0, 0, 1, 0, 0, 0, 0, -1;
  VectorXd Q2(2);
  Q2 << 0.05, 0.03;
  const auto two = pf::black_litterman(d.cov, d.w, P2, Q2, MatrixXd(), VectorXd());
  VectorXd mu2(7), w2(7);
  mu2 << 4.4, 8.7, 9.5, 11.2, 4.6, 7.0, 7.5;
  w2 << 1.5, 41.9, -3.4, 33.6, 11.0, -8.2, 18.8;
  EXPECT_NEAR((two.posterior_returns * 100 - mu2).cwiseAbs().maxCoeff(), 0.0, 0.051);
  EXPECT_NEAR((two.weights * 100 - w2).cwiseAbs().maxCoeff(), 0.0, 0.051);
}

TEST(BlackLitterman, IdzorekConfidences) {
  const HeLitterman d;
  bq::RowMatrix P(1, 7);
  P << 0, 0, -0.295, 1, 0, -0.705, 0;
  VectorXd Q(1);
  Q << 0.05;
  pf::BlackLittermanOptions o;
  o.weights = pf::BlackLittermanWeights::prior_normalised;
  auto at = [&](double c) {
    VectorXd conf(1);
    conf << c;
    return pf::black_litterman(d.cov, d.w, P, Q, MatrixXd(), conf, o);
  };
  const auto none = at(0.0), full = at(1.0), part = at(0.4);
  EXPECT_EQ(none.views_used, 0);
  EXPECT_NEAR((none.posterior_returns - none.pi).cwiseAbs().maxCoeff(), 0.0, 1e-15);
  EXPECT_NEAR((P * full.posterior_returns)(0), 0.05, 1e-12);  // a certain view holds exactly
  // Idzorek: the weight tilt at confidence c is c times the tilt at 100%.
  const VectorXd raw0 = (2.5 * d.cov).ldlt().solve(none.posterior_returns);
  const VectorXd raw1 = (2.5 * d.cov).ldlt().solve(full.posterior_returns);
  const VectorXd rawc = (2.5 * d.cov).ldlt().solve(part.posterior_returns);
  EXPECT_NEAR(((rawc - raw0) - 0.4 * (raw1 - raw0)).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  EXPECT_NEAR(part.weights.sum(), 1.0, 1e-12);
  EXPECT_EQ(part.omega_source, "idzorek");
  // A subnormal confidence overflows (1 - c) / c: the floating-point form of the limit c -> 0,
  // so the view is dropped (found by the advisor's property test, which refused it before).
  const auto tiny = at(3.4e-309);
  EXPECT_EQ(tiny.views_used, 0);
  EXPECT_EQ((tiny.posterior_returns - none.posterior_returns).cwiseAbs().maxCoeff(), 0.0);
  // Small but representable: kept, and its tilt is that small.
  const auto small = at(1e-12);
  EXPECT_EQ(small.views_used, 1);
  EXPECT_NEAR((small.posterior_returns - none.posterior_returns).cwiseAbs().maxCoeff(), 0.0, 1e-12);
}

TEST(BlackLitterman, BadViewsAreNamed) {
  const HeLitterman d;
  bq::RowMatrix P(1, 6);
  P.setZero();
  P(0, 0) = 1;
  VectorXd Q(1);
  Q << 0.05;
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, P, Q, MatrixXd(), VectorXd()), bq::InvalidArgument);
  bq::RowMatrix P7 = bq::RowMatrix::Zero(1, 7);
  P7(0, 3) = 1;
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, P7, VectorXd::Zero(2), MatrixXd(), VectorXd()), bq::InvalidArgument);
  VectorXd conf(1);
  conf << 1.5;
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, P7, Q, MatrixXd(), conf), bq::InvalidArgument);
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, P7, Q, -MatrixXd::Identity(1, 1), VectorXd()), bq::InvalidArgument);
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, bq::RowMatrix::Zero(1, 7), Q, MatrixXd(), VectorXd()), bq::InvalidArgument);
  pf::BlackLittermanOptions o;
  o.tau = 0;
  EXPECT_THROW((void)pf::black_litterman(d.cov, d.w, P7, Q, MatrixXd(), VectorXd(), o), bq::InvalidArgument);
}
