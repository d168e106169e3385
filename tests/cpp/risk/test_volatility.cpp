#include "bankquant/risk/volatility.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/optimize.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;
using risk::Innovation;
using risk::MeanModel;
using risk::VarianceModel;

namespace {

// A simulated GARCH / GJR / EGARCH path with the given innovations (500 days of burn-in).
std::vector<double> simulate(VarianceModel model, std::size_t n, double mu, double omega, double alpha, double gamma,
                             double beta, const risk::StandardizedDistribution& z, std::uint64_t seed) {
  bq::RandomStream s(seed);
  std::vector<double> r(n);
  double h = model == VarianceModel::egarch ? std::exp(omega / (1 - beta)) : omega / (1 - alpha - gamma / 2 - beta);
  double e = 0, zt = 0;
  for (std::size_t t = 0; t < n + 500; ++t) {
    if (model == VarianceModel::egarch) {
      h = std::exp(omega + alpha * (std::abs(zt) - std::sqrt(2 / M_PI)) + gamma * zt + beta * std::log(h));
    } else {
      h = omega + (alpha + (e < 0 ? gamma : 0.0)) * e * e + beta * h;
    }
    zt = z.sample(s);
    e = std::sqrt(h) * zt;
    if (t >= 500) r[t - 500] = mu + e;
  }
  return r;
}

risk::VolatilityOptions spec(VarianceModel model, Innovation dist = Innovation::normal,
                             MeanModel mean = MeanModel::constant) {
  risk::VolatilityOptions o;
  o.model = model;
  o.dist = dist;
  o.mean = mean;
  return o;
}

}  // namespace

TEST(Ewma, RecursionByHand) {
  const std::vector<double> r{0.01, -0.02, 0.03};
  const auto v = risk::ewma_variance(r, 0.94);
  const double s0 = (0.0001 + 0.0004 + 0.0009) / 3;
  EXPECT_NEAR(v[0], s0, 1e-18);
  EXPECT_NEAR(v[1], 0.94 * s0 + 0.06 * 0.0001, 1e-18);
  EXPECT_NEAR(v[3], 0.94 * v[2] + 0.06 * 0.0009, 1e-18);
  bq::RowMatrix R(3, 2);
  R << 0.01, 0.02, -0.02, 0.01, 0.03, -0.01;
  const auto C = risk::ewma_covariance(R, 0.94);
  EXPECT_NEAR(C(0, 0), v[3], 1e-18);  // the diagonal is the univariate recursion
  EXPECT_NEAR(C(0, 1), C(1, 0), 1e-18);
  EXPECT_THROW((void)risk::ewma_variance(r, 1.0), bq::InvalidArgument);
}

TEST(Garch, RecoversSimulatedParameters) {
  const auto r = simulate(VarianceModel::garch, 20'000, 0.0005, 2e-6, 0.08, 0.0, 0.90,
                          risk::StandardizedDistribution(), 42);
  const auto fit = risk::fit_volatility(r);
  ASSERT_TRUE(fit.status.converged()) << fit.status.message;
  EXPECT_EQ(fit.names, (std::vector<std::string>{"mu", "omega", "alpha", "beta"}));
  EXPECT_NEAR(fit.parameter("alpha"), 0.08, 4 * fit.standard_errors[2]);
  EXPECT_NEAR(fit.parameter("beta"), 0.90, 4 * fit.standard_errors[3]);
  EXPECT_NEAR(fit.parameter("omega"), 2e-6, 4 * fit.standard_errors[1]);
  EXPECT_NEAR(fit.parameter("mu"), 0.0005, 4 * fit.standard_errors[0]);
  // The reported log-likelihood is the likelihood of the reported parameters, and the optimum.
  const double ll = risk::volatility_log_likelihood(r, fit.options, fit.params);
  EXPECT_NEAR(fit.log_likelihood, ll, 1e-9 * std::abs(ll));
  for (double d : {-0.003, 0.003}) {
    auto moved = fit.params;
    moved[2] += d;
    moved[3] -= d;
    EXPECT_LT(risk::volatility_log_likelihood(r, fit.options, moved), ll);
  }
  const auto f = fit.forecast_variance(500);
  EXPECT_NEAR(f[0], fit.next_variance, 1e-18);
  EXPECT_NEAR(f.back(), fit.unconditional_variance(), 1e-3 * fit.unconditional_variance());
  EXPECT_THROW((void)fit.parameter("nu"), bq::InvalidArgument);
}

TEST(Garch, EveryModelAndDistributionRecoversItsParameters) {
  struct Case {
    VarianceModel model;
    Innovation dist;
    double nu, skew, omega, alpha, gamma, beta;
  };
  const Case cases[] = {
      {VarianceModel::garch, Innovation::student_t, 6.0, 0.0, 2e-6, 0.08, 0.0, 0.90},
      {VarianceModel::garch, Innovation::ged, 1.3, 0.0, 2e-6, 0.08, 0.0, 0.90},
      {VarianceModel::garch, Innovation::skew_t, 7.0, -0.25, 2e-6, 0.08, 0.0, 0.90},
      {VarianceModel::gjr, Innovation::normal, 0.0, 0.0, 2e-6, 0.03, 0.09, 0.90},
      {VarianceModel::egarch, Innovation::normal, 0.0, 0.0, -0.3, 0.15, -0.08, 0.97},
  };
  for (const auto& c : cases) {
    const risk::StandardizedDistribution z(c.dist, c.nu, c.skew);
    const auto r = simulate(c.model, 15'000, 0.0003, c.omega, c.alpha, c.gamma, c.beta, z, 7);
    const auto fit = risk::fit_volatility(r, spec(c.model, c.dist));
    ASSERT_TRUE(fit.status.converged()) << bq::enum_name(c.model) << " " << fit.status.message;
    auto near = [&](const char* name, double truth) {
      std::size_t i = 0;
      while (fit.names[i] != name) ++i;
      EXPECT_NEAR(fit.params[i], truth, 4.5 * fit.standard_errors[i]) << bq::enum_name(c.model) << " "
                                                                        << bq::enum_name(c.dist) << " " << name;
    };
    near("alpha", c.alpha);
    near("beta", c.beta);
    if (c.model != VarianceModel::garch) near("gamma", c.gamma);
    if (risk::has_shape(c.dist)) near("nu", c.nu);
    if (risk::has_skew(c.dist)) near("skew", c.skew);
  }
}

TEST(Garch, ExactGradientAgreesWithFiniteDifferences) {
  // The optimum of each model is where the (exact, forward-mode) gradient vanishes: check the
  // likelihood is flat there to first order and curved downwards, on the natural parameters.
  const auto r = simulate(VarianceModel::gjr, 3000, 0.0002, 3e-6, 0.04, 0.1, 0.88,
                          risk::StandardizedDistribution(Innovation::student_t, 7.0), 3);
  for (auto model : {VarianceModel::garch, VarianceModel::gjr, VarianceModel::egarch}) {
    for (auto dist : {Innovation::normal, Innovation::student_t, Innovation::skew_t, Innovation::ged}) {
      auto o = spec(model, dist, MeanModel::ar1);
      const auto fit = risk::fit_volatility(r, o);
      if (!fit.status.converged()) continue;  // boundary fits: the gradient need not vanish
      for (std::size_t i = 0; i < fit.params.size(); ++i) {
        const double h = 1e-4 * std::max(std::abs(fit.params[i]), 1e-4);
        auto up = fit.params, down = fit.params;
        up[i] += h;
        down[i] -= h;
        const double ll = fit.log_likelihood, lu = risk::volatility_log_likelihood(r, o, up),
                     ld = risk::volatility_log_likelihood(r, o, down);
        const double slope = (lu - ld) / (2 * h), curvature = (lu - 2 * ll + ld) / (h * h);
        EXPECT_LT(std::abs(slope * h), 1e-5 * std::abs(ll) + 1e-6)
            << bq::enum_name(model) << " " << bq::enum_name(dist) << " " << fit.names[i];
        EXPECT_LT(curvature, 0.0) << bq::enum_name(model) << " " << bq::enum_name(dist) << " " << fit.names[i];
      }
    }
  }
}

TEST(Garch, UnitsDoNotMatter) {
  const auto r = simulate(VarianceModel::garch, 5000, 0.0, 1e-6, 0.1, 0.0, 0.85,
                          risk::StandardizedDistribution(Innovation::student_t, 6.0), 7);
  for (auto model : {VarianceModel::garch, VarianceModel::egarch}) {
    const auto o = spec(model, Innovation::student_t);
    const auto fit = risk::fit_volatility(r, o);
    std::vector<double> percent(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) percent[i] = 100 * r[i];
    const auto scaled = risk::fit_volatility(percent, o);
    EXPECT_NEAR(scaled.parameter("alpha"), fit.parameter("alpha"), 1e-4);
    EXPECT_NEAR(scaled.parameter("nu"), fit.parameter("nu"), 1e-3);
    if (model == VarianceModel::garch) {
      EXPECT_NEAR(scaled.parameter("omega"), 1e4 * fit.parameter("omega"), 1e-3 * 1e4 * fit.parameter("omega"));
    }
    EXPECT_NEAR(scaled.log_likelihood, fit.log_likelihood - 5000 * std::log(100.0), 1e-3);
    EXPECT_NEAR(scaled.next_variance, 1e4 * fit.next_variance, 1e-3 * 1e4 * fit.next_variance);
  }
}

TEST(Garch, EwmaWithLambdaFixedOrEstimated) {
  // An IGARCH-like series generated by an EWMA recursion with lambda 0.96.
  bq::RandomStream s(9);
  std::vector<double> r(8000);
  double h = 1e-4, e = 0;
  for (double& v : r) {
    h = 0.96 * h + 0.04 * e * e;
    e = std::sqrt(h) * s.normal();
    v = e;
  }
  auto o = spec(VarianceModel::ewma, Innovation::normal, MeanModel::zero);
  const auto fixed = risk::fit_volatility(r, o);
  EXPECT_TRUE(fixed.params.empty());
  const auto v = risk::ewma_variance(r, 0.94);
  EXPECT_NEAR(fixed.conditional_variance[100], v[100], 1e-12 * v[100]);  // the same recursion as ewma_variance
  o.estimate_lambda = true;
  const auto fit = risk::fit_volatility(r, o);
  ASSERT_TRUE(fit.status.converged()) << fit.status.message;
  EXPECT_NEAR(fit.parameter("lambda"), 0.96, 4 * fit.standard_errors[0]);
  EXPECT_GT(fit.log_likelihood, fixed.log_likelihood);
}

TEST(Garch, ForecastsAgreeWithSimulation) {
  const auto r = simulate(VarianceModel::gjr, 4000, 0.0003, 2e-6, 0.03, 0.1, 0.88,
                          risk::StandardizedDistribution(Innovation::skew_t, 8.0, -0.2), 5);
  const auto fit = risk::fit_volatility(r, spec(VarianceModel::gjr, Innovation::skew_t, MeanModel::ar1));
  ASSERT_TRUE(fit.status.usable());
  risk::PathOptions po;
  po.horizon = 20;
  po.n_paths = 100'000;
  const auto paths = risk::simulate_paths(fit, po);
  const auto analytic = fit.forecast_variance(20);
  for (int k : {0, 4, 19}) {
    EXPECT_NEAR(paths.mean_variance[static_cast<std::size_t>(k)], analytic[static_cast<std::size_t>(k)],
                0.01 * analytic[static_cast<std::size_t>(k)])
        << k;
  }
  EXPECT_NEAR(paths.mean_variance[0], fit.next_variance, 1e-12 * fit.next_variance);  // day one is known
  // same seed, same paths on one and two threads
  auto small = po;
  small.n_paths = 10'000;
  auto run = [&] { return risk::simulate_paths(fit, small).cumulative_returns; };
  EXPECT_EQ(bq::testing::with_threads(1, run), bq::testing::with_threads(2, run));
  po.innovations = risk::PathInnovations::bootstrap;
  const auto fhs = risk::simulate_paths(fit, po);
  EXPECT_NEAR(fhs.mean_variance[19], analytic[19], 0.03 * analytic[19]);  // residuals have about unit variance
}

TEST(Garch, FilterReappliesTheParameters) {
  const auto r = simulate(VarianceModel::garch, 3000, 0.0, 2e-6, 0.08, 0.0, 0.9, risk::StandardizedDistribution(), 1);
  const std::vector<double> first(r.begin(), r.begin() + 2000), rest(r.begin() + 2000, r.end());
  const auto fit = risk::fit_volatility(first);
  const auto same = risk::filter_volatility(fit, first);
  EXPECT_EQ(same.conditional_variance, fit.conditional_variance);
  EXPECT_DOUBLE_EQ(same.log_likelihood, fit.log_likelihood);
  const auto later = risk::filter_volatility(fit, rest);
  EXPECT_EQ(later.params, fit.params);
  EXPECT_EQ(later.conditional_variance.size(), 1000u);
  EXPECT_NEAR(later.log_likelihood, risk::volatility_log_likelihood(rest, fit.options, fit.params), 1e-9);
  EXPECT_TRUE(later.standard_errors.empty());
}

TEST(Garch, BadInput) {
  EXPECT_THROW((void)risk::fit_volatility(std::vector<double>(10, 0.01)), bq::InvalidArgument);   // too short
  EXPECT_THROW((void)risk::fit_volatility(std::vector<double>(100, 0.01)), bq::InvalidArgument);  // constant
  std::vector<double> r(100, 0.01);
  r[3] = NAN;
  EXPECT_THROW((void)risk::fit_volatility(r), bq::InvalidArgument);
  auto o = spec(VarianceModel::garch);
  o.p = 0;
  EXPECT_THROW(o.validate(), bq::InvalidArgument);
  o = spec(VarianceModel::garch);
  o.estimate_lambda = true;
  EXPECT_THROW(o.validate(), bq::InvalidArgument);
  EXPECT_THROW((void)risk::volatility_log_likelihood(std::vector<double>(50, 0.01), spec(VarianceModel::garch),
                                                     std::vector<double>{1.0}),
               bq::InvalidArgument);
}

TEST(Garch, ShortSeriesIsABoundarySolutionNotASilentSuccess) {
  // 20 observations carry almost no information about the variance dynamics: the fit either
  // lands on a bound or has a singular information matrix, and must say so.
  const auto r = simulate(VarianceModel::garch, 20, 0.0, 2e-6, 0.08, 0.0, 0.90, risk::StandardizedDistribution(), 3);
  const auto fit = risk::fit_volatility(r);
  EXPECT_TRUE(fit.status.usable());
  if (fit.status.code == bq::StatusCode::converged) {
    for (double se : fit.standard_errors) EXPECT_TRUE(std::isfinite(se));
  } else {
    EXPECT_EQ(fit.status.code, bq::StatusCode::boundary) << fit.status.message;
    EXPECT_FALSE(fit.status.message.empty());
  }
}
