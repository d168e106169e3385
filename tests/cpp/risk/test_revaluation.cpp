#include "bankquant/risk/revaluation.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/delta_gamma.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;
namespace pr = bankquant::risk::pricing;

namespace {
risk::Book base_book() {
  risk::Book b;
  b.spots = {100.0};
  b.curve = pr::ZeroCurve({1.0, 5.0, 10.0}, {0.03, 0.035, 0.04});
  return b;
}
}  // namespace

TEST(Revaluation, ABondsLossIsMonotoneInTheShiftSoItsVarIsExact) {
  risk::Book b = base_book();
  b.bonds.push_back({pr::FixedRateBond{100, 0.05, 7.0, 2}, 1000});
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(2, 2);
  cov(1, 1) = 0.001 * 0.001;  // 10 bp daily sd of the parallel shift
  const std::vector<double> levels{0.99};
  risk::RevaluationOptions o;
  o.n_scenarios = 400'000;
  const auto r = risk::full_revaluation_var_es(b, cov, levels, o);
  // loss(s) increases with s, so VaR = loss(s_0.99) with s_0.99 = 2.326 x 10 bp (coupons still
  // ahead); the horizon curve is today's forward curve shifted, P(0,t) / P(0,dt) e^(-s (t - dt)).
  const double s99 = 0.001 * boost::math::quantile(boost::math::normal_distribution<double>(), 0.99);
  const double dt = 1.0 / 252;
  double shifted = 0;
  for (const auto& [t, a] : b.bonds[0].bond.cash_flows()) {
    shifted += 1000 * a * std::exp(-b.curve.zero_rate(t) * t + b.curve.zero_rate(dt) * dt - s99 * (t - dt));
  }
  EXPECT_NEAR(r.estimates.var[0], r.base_value - shifted, 0.01 * (r.base_value - shifted));
  EXPECT_NEAR(r.base_value, 1000 * pr::bond_price(b.bonds[0].bond, b.curve), 1e-6);
}

TEST(Revaluation, AnOptionAgreesWithDeltaGammaForSmallMoves) {
  risk::Book b = base_book();
  b.options.push_back({0, pr::OptionType::call, 100, 0.5, 0.25, 0.0, -100});
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(2, 2);
  cov(0, 0) = 0.01 * 0.01;
  const std::vector<double> levels{0.99};
  risk::RevaluationOptions o;
  o.n_scenarios = 400'000;
  const auto full = risk::full_revaluation_var_es(b, cov, levels, o);
  const auto g = pr::black_scholes(pr::OptionType::call, 100, 100, 0.5, b.curve.zero_rate(0.5), 0.0, 0.25);
  // in price terms: dS = S x, delta and gamma per unit of S
  Eigen::VectorXd delta(1);
  delta << -100 * g.delta;
  Eigen::MatrixXd gamma(1, 1), cov_s(1, 1);
  gamma << -100 * g.gamma;
  cov_s << 1.0;  // sd of dS = 100 x 1%
  const auto dg = risk::delta_gamma_monte_carlo(risk::delta_gamma_form(delta, gamma, cov_s), levels, 400'000, 3);
  const double theta_day = -100 * g.theta / 252;  // the book also ages a day
  EXPECT_NEAR(full.estimates.var[0], dg.var[0] - theta_day, 0.03 * dg.var[0]);
}

// Issue 14 defects 3 and 5: a coupon paid inside the horizon is reinvested (not lost), an
// unmoved book earns its carry, and FX forwards are revalued.
TEST(Revaluation, CouponsInsideTheHorizonCarryAndFxForwards) {
  risk::Book b;
  b.spots = {100.0, 1.1};
  b.curve = pr::ZeroCurve({1.0, 10.0}, {0.03, 0.03});
  b.bonds.push_back({pr::FixedRateBond{100, 0.05, 5.002, 2}, 1000});  // a coupon in 0.002 years
  const std::vector<double> levels{0.99};
  risk::RevaluationOptions o;
  o.n_scenarios = 1000;
  const auto still = risk::full_revaluation_var_es(b, Eigen::MatrixXd::Zero(3, 3), levels, o);
  const double carry = still.base_value * (std::exp(0.03 / 252) - 1);  // a flat curve: the short rate
  for (double p : still.pnl) EXPECT_NEAR(p, carry, 1e-9 * std::abs(carry));
  EXPECT_NEAR(still.estimates.var[0], -carry, 1e-9 * std::abs(carry));
  risk::Book fx;
  fx.spots = {1.1};
  fx.curve = b.curve;
  fx.fx_forwards.push_back({0, 1.12, 1.0, 1e6, 0.02});
  EXPECT_NEAR(risk::book_value(fx), 1e6 * (1.1 * std::exp(-0.02) - 1.12 * std::exp(-0.03)), 1e-6);
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(2, 2);
  cov(0, 0) = 0.006 * 0.006;
  o.n_scenarios = 200'000;
  const auto moved = risk::full_revaluation_var_es(fx, cov, levels, o);
  // linear in S e^x: VaR ~ N e^(-r_f tau) S (1 - e^(-2.326 sd)) less a day's carry
  const double z99 = boost::math::quantile(boost::math::normal_distribution<double>(), 0.99);
  const double expected = 1e6 * std::exp(-0.02 * (1 - 1.0 / 252)) * 1.1 * (1 - std::exp(-z99 * 0.006));
  EXPECT_NEAR(moved.estimates.var[0], expected, 0.02 * expected);
  fx.fx_forwards[0].pair = 3;
  EXPECT_THROW((void)risk::book_value(fx), bq::InvalidArgument);
}

TEST(Revaluation, SameNumbersOnAnyThreadCountAndBadInput) {
  risk::Book b = base_book();
  b.stock_quantities = {10};
  b.options.push_back({0, pr::OptionType::put, 95, 1.0, 0.3, 0.0, 50});
  Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(2, 2) * 1e-4;
  const std::vector<double> levels{0.99};
  risk::RevaluationOptions o;
  o.n_scenarios = 20'000;
  const auto a = bq::testing::with_threads(1, [&] { return risk::full_revaluation_var_es(b, cov, levels, o); });
  const auto c = bq::testing::with_threads(2, [&] { return risk::full_revaluation_var_es(b, cov, levels, o); });
  EXPECT_EQ(a.pnl, c.pnl);
  EXPECT_THROW((void)risk::full_revaluation_var_es(b, Eigen::MatrixXd::Identity(3, 3), levels, o), bq::InvalidArgument);
  b.options.push_back({4, pr::OptionType::call, 100, 1.0, 0.2, 0.0, 1});
  EXPECT_THROW((void)risk::full_revaluation_var_es(b, cov, levels, o), bq::InvalidArgument);
}
