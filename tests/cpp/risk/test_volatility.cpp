#include "bankquant/risk/volatility.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

namespace {

std::vector<double> simulate_garch(std::size_t n, double mu, double omega, double alpha, double beta, std::uint64_t seed) {
  bq::RandomStream s(seed);
  std::vector<double> r(n);
  double h = omega / (1 - alpha - beta), e = 0;
  for (std::size_t t = 0; t < n + 500; ++t) {  // 500 days of burn-in
    h = omega + alpha * e * e + beta * h;
    e = std::sqrt(h) * s.normal();
    if (t >= 500) r[t - 500] = mu + e;
  }
  return r;
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
  const auto r = simulate_garch(20'000, 0.0005, 2e-6, 0.08, 0.90, 42);
  const auto fit = risk::fit_garch11(r);
  ASSERT_TRUE(fit.status.converged()) << fit.status.message;
  EXPECT_NEAR(fit.alpha, 0.08, 4 * fit.standard_errors[2]);
  EXPECT_NEAR(fit.beta, 0.90, 4 * fit.standard_errors[3]);
  EXPECT_NEAR(fit.omega, 2e-6, 4 * fit.standard_errors[1]);
  EXPECT_NEAR(fit.mu, 0.0005, 4 * fit.standard_errors[0]);
  EXPECT_EQ(fit.names, (std::vector<std::string>{"mu", "omega", "alpha", "beta"}));
  // The reported log-likelihood is the likelihood of the reported parameters, and the optimum.
  const double ll = risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha, fit.beta, 0, risk::GarchDistribution::normal);
  EXPECT_NEAR(fit.log_likelihood, ll, 1e-6 * std::abs(ll));
  for (double d : {-0.003, 0.003}) {
    EXPECT_LT(risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha + d, fit.beta - d, 0,
                                           risk::GarchDistribution::normal),
              ll);
  }
  const auto f = fit.forecast_variance(500);
  EXPECT_NEAR(f[0], fit.next_variance, 1e-18);
  EXPECT_NEAR(f.back(), fit.unconditional_variance(), 1e-3 * fit.unconditional_variance());
}

TEST(Garch, StudentTAndUnitsDoNotMatter) {
  bq::RandomStream s(7);
  std::vector<double> r(5000);
  double h = 1e-4, e = 0;
  for (double& v : r) {  // t(6) innovations with unit variance
    h = 1e-6 + 0.1 * e * e + 0.85 * h;
    double chi = 0;
    for (int k = 0; k < 6; ++k) {
      const double g = s.normal();
      chi += g * g;
    }
    e = std::sqrt(h) * s.normal() * std::sqrt(4.0 / chi);
    v = e;
  }
  risk::GarchOptions o;
  o.dist = risk::GarchDistribution::student_t;
  const auto fit = risk::fit_garch11(r, o);
  ASSERT_TRUE(fit.status.converged()) << fit.status.message;
  EXPECT_NEAR(fit.nu, 6.0, 4 * fit.standard_errors[4]);
  std::vector<double> percent(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) percent[i] = 100 * r[i];
  const auto scaled = risk::fit_garch11(percent, o);
  EXPECT_NEAR(scaled.alpha, fit.alpha, 1e-4);
  EXPECT_NEAR(scaled.omega, 1e4 * fit.omega, 1e-4 * 1e4 * fit.omega);
  EXPECT_NEAR(scaled.log_likelihood, fit.log_likelihood - 5000 * std::log(100.0), 1e-3);
}

TEST(Garch, BadInput) {
  EXPECT_THROW((void)risk::fit_garch11(std::vector<double>(10, 0.01)), bq::InvalidArgument);  // too short
  EXPECT_THROW((void)risk::fit_garch11(std::vector<double>(100, 0.01)), bq::InvalidArgument);  // constant
  std::vector<double> r(100, 0.01);
  r[3] = NAN;
  EXPECT_THROW((void)risk::fit_garch11(r), bq::InvalidArgument);
}

TEST(Garch, ShortSeriesIsABoundarySolutionNotASilentSuccess) {
  // 20 observations carry almost no information about the variance dynamics: the fit either
  // lands on the stationarity bound or has a singular information matrix, and must say so.
  const auto r = simulate_garch(20, 0.0, 2e-6, 0.08, 0.90, 3);
  const auto fit = risk::fit_garch11(r);
  EXPECT_TRUE(fit.status.usable());
  if (fit.status.code == bq::StatusCode::converged) {
    for (double se : fit.standard_errors) EXPECT_TRUE(std::isfinite(se));
  } else {
    EXPECT_EQ(fit.status.code, bq::StatusCode::boundary) << fit.status.message;
    EXPECT_FALSE(fit.status.message.empty());
  }
}

TEST(Garch, FitIsTheOptimumOfTheLikelihoodForBothDistributions) {
  // At the estimate no small move of any parameter raises the likelihood.
  const auto r = simulate_garch(3000, 0.0003, 3e-6, 0.1, 0.85, 11);
  for (auto dist : {risk::GarchDistribution::normal, risk::GarchDistribution::student_t}) {
    risk::GarchOptions o;
    o.dist = dist;
    const auto fit = risk::fit_garch11(r, o);
    ASSERT_TRUE(fit.status.converged()) << fit.status.message;
    const double nu = dist == risk::GarchDistribution::student_t ? fit.nu : 0.0;
    const double ll = risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha, fit.beta, nu, dist);
    EXPECT_NEAR(ll, fit.log_likelihood, 1e-8 * std::abs(ll));
    for (double rel : {-1e-3, 1e-3}) {
      EXPECT_LE(risk::garch11_log_likelihood(r, fit.mu * (1 + rel), fit.omega, fit.alpha, fit.beta, nu, dist), ll + 1e-9);
      EXPECT_LE(risk::garch11_log_likelihood(r, fit.mu, fit.omega * (1 + rel), fit.alpha, fit.beta, nu, dist), ll + 1e-9);
      EXPECT_LE(risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha * (1 + rel), fit.beta, nu, dist), ll + 1e-9);
      EXPECT_LE(risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha, fit.beta * (1 + rel), nu, dist), ll + 1e-9);
      if (nu > 0) {
        EXPECT_LE(risk::garch11_log_likelihood(r, fit.mu, fit.omega, fit.alpha, fit.beta, nu * (1 + rel), dist), ll + 1e-9);
      }
    }
    for (std::size_t i = 0; i < fit.standard_errors.size(); ++i) {
      EXPECT_TRUE(std::isfinite(fit.standard_errors[i]) && fit.standard_errors[i] > 0) << fit.names[i];
      EXPECT_TRUE(std::isfinite(fit.robust_standard_errors[i]) && fit.robust_standard_errors[i] > 0) << fit.names[i];
    }
  }
}
