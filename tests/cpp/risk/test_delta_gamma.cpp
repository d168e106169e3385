#include "bankquant/risk/delta_gamma.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <boost/math/distributions/chi_squared.hpp>

#include "bankquant/core/errors.hpp"
#include "bankquant/risk/var.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

TEST(DeltaGamma, PureDeltaIsNormal) {
  Eigen::VectorXd delta(2);
  delta << 1.0, -2.0;
  Eigen::MatrixXd cov(2, 2);
  cov << 0.04, 0.01, 0.01, 0.09;
  const auto f = risk::delta_gamma_form(delta, Eigen::MatrixXd::Zero(2, 2), cov);
  EXPECT_NEAR(f.kappa[0], 0.0, 1e-15);
  EXPECT_NEAR(f.kappa[1], delta.dot(cov * delta), 1e-14);
  EXPECT_NEAR(f.kappa[2], 0.0, 1e-15);
  const std::vector<double> levels{0.99};
  const auto mc = risk::delta_gamma_monte_carlo(f, levels, 400'000, 1);
  const auto n = risk::normal_var_es(0.0, std::sqrt(f.kappa[1]), levels);
  EXPECT_NEAR(mc.var[0], n.var[0], 0.01 * n.var[0]);
}

TEST(DeltaGamma, PureGammaIsAScaledChiSquare) {
  // dV = -1/2 * 3 * y^2 (y ~ N(0, 1) after scaling): the loss quantile is 1.5 chi2_1(alpha).
  Eigen::VectorXd delta = Eigen::VectorXd::Zero(1);
  Eigen::MatrixXd gamma(1, 1), cov(1, 1);
  gamma << -0.75;
  cov << 4.0;
  const auto f = risk::delta_gamma_form(delta, gamma, cov);
  EXPECT_NEAR(f.lambda(0), -3.0, 1e-14);
  EXPECT_NEAR(f.kappa[0], -1.5, 1e-14);          // E[dV] = 1/2 lambda
  EXPECT_NEAR(f.kappa[1], 0.5 * 9.0, 1e-13);      // lambda^2 / 2
  EXPECT_NEAR(f.kappa[2], -27.0, 1e-12);          // lambda^3
  EXPECT_NEAR(f.kappa[3], 3 * 81.0, 1e-11);       // 3 lambda^4
  const std::vector<double> levels{0.99, 0.95};
  const auto mc = risk::delta_gamma_monte_carlo(f, levels, 1'000'000, 2);
  const boost::math::chi_squared_distribution<double> chi(1);
  EXPECT_NEAR(mc.var[0], 1.5 * boost::math::quantile(chi, 0.99), 0.01 * 1.5 * boost::math::quantile(chi, 0.99));
  EXPECT_NEAR(mc.var[1], 1.5 * boost::math::quantile(chi, 0.95), 0.01 * 1.5 * boost::math::quantile(chi, 0.95));
}

TEST(DeltaGamma, BadInput) {
  Eigen::VectorXd delta = Eigen::VectorXd::Ones(2);
  Eigen::MatrixXd asym(2, 2), cov = Eigen::MatrixXd::Identity(2, 2), indefinite(2, 2);
  asym << 1, 2, 0, 1;
  indefinite << 1, 2, 2, 1;
  EXPECT_THROW((void)risk::delta_gamma_form(delta, asym, cov), bq::InvalidArgument);
  EXPECT_THROW((void)risk::delta_gamma_form(delta, cov, indefinite), bq::InvalidArgument);
  EXPECT_THROW((void)risk::delta_gamma_form(delta, Eigen::MatrixXd::Identity(3, 3), cov), bq::InvalidArgument);
  const auto f = risk::delta_gamma_form(delta, cov, cov);
  EXPECT_THROW((void)risk::delta_gamma_monte_carlo(f, std::vector<double>{0.99}, 10, 0), bq::InvalidArgument);
}

TEST(DeltaGamma, ImportanceSamplingIsExactInTheDeepTailWithFewScenarios) {
  // dV = -1/2 * 3 y^2: the 99.99% loss quantile is 1.5 chi2_1(0.9999) = 22.65. With 20,000
  // scenarios plain Monte Carlo sees two tail draws; the twisted sample sees thousands.
  Eigen::VectorXd delta(2);
  delta << 0.5, 0.0;
  Eigen::MatrixXd gamma(2, 2), cov = Eigen::MatrixXd::Identity(2, 2);
  gamma << -3.0, 0.0, 0.0, 0.0;
  const auto f = risk::delta_gamma_form(delta, gamma, cov);
  const std::vector<double> levels{0.9999};
  // reference: 4 million plain scenarios
  const double reference = risk::delta_gamma_monte_carlo(f, levels, 4'000'000, 99).var[0];
  double is_error = 0, mc_error = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const double is = risk::delta_gamma_importance_sampling(f, levels, 20'000, seed, reference).var[0];
    const double mc = risk::delta_gamma_monte_carlo(f, levels, 20'000, seed).var[0];
    is_error += (is - reference) * (is - reference);
    mc_error += (mc - reference) * (mc - reference);
  }
  EXPECT_LT(std::sqrt(is_error / 8), 0.02 * reference);
  EXPECT_LT(is_error, mc_error / 4);  // at least half the error of plain Monte Carlo
}
