#include "bankquant/scorecard/logistic.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <cmath>
#include <cstring>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {

struct Data {
  bq::RowMatrix X;
  std::vector<double> y;
};

// y ~ Bernoulli(sigmoid(-1 + 0.8 x1 - 0.5 x2 + 0 x3)), x standard normal.
Data simulate(Eigen::Index n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  Data d{bq::RowMatrix(n, 3), std::vector<double>(static_cast<std::size_t>(n))};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) d.X(i, j) = s.normal();
    const double eta = -1 + 0.8 * d.X(i, 0) - 0.5 * d.X(i, 1);
    d.y[static_cast<std::size_t>(i)] = s.uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return d;
}

}  // namespace

TEST(Logistic, RecoversKnownCoefficients) {
  const Data d = simulate(200'000, 1);
  const auto r = sc::fit_logistic(d.X, d.y, {});
  ASSERT_TRUE(r.converged()) << r.status.message;
  const double truth[] = {-1.0, 0.8, -0.5, 0.0};
  for (int j = 0; j < 4; ++j) {
    // within 4 standard errors of the truth
    EXPECT_NEAR(r.coefficients(j), truth[j], 4 * r.standard_errors(j)) << j;
    EXPECT_LT(r.standard_errors(j), 0.01);
  }
  EXPECT_LT(r.p_values(1), 1e-10);
  EXPECT_GT(r.log_likelihood, r.null_log_likelihood);
  EXPECT_NEAR(r.aic, -2 * r.log_likelihood + 8, 1e-9);
}

TEST(Logistic, ScoreEquationsHoldAtTheOptimum) {
  const Data d = simulate(5000, 2);
  const auto r = sc::fit_logistic(d.X, d.y, {});
  const Eigen::VectorXd eta = sc::linear_predictor(d.X, r.coefficients);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(4);
  for (Eigen::Index i = 0; i < d.X.rows(); ++i) {
    const double resid = d.y[static_cast<std::size_t>(i)] - 1 / (1 + std::exp(-eta(i)));
    grad(0) += resid;
    grad.tail(3) += resid * d.X.row(i).transpose();
  }
  EXPECT_LT(grad.lpNorm<Eigen::Infinity>(), 1e-8);
}

TEST(Logistic, BitIdenticalOnAnyThreadCount) {
  const Data d = simulate(100'000, 3);
  const auto a = bq::testing::with_threads(1, [&] { return sc::fit_logistic(d.X, d.y, {}); });
  const auto b = bq::testing::with_threads(2, [&] { return sc::fit_logistic(d.X, d.y, {}); });
  EXPECT_EQ(std::memcmp(a.coefficients.data(), b.coefficients.data(), 4 * sizeof(double)), 0);
  EXPECT_EQ(a.log_likelihood, b.log_likelihood);
}

TEST(Logistic, PenaltiesShrinkAndSelect) {
  const Data d = simulate(3000, 4);
  const auto plain = sc::fit_logistic(d.X, d.y, {});
  sc::LogisticOptions ridge;
  ridge.l2 = 500;
  const auto r = sc::fit_logistic(d.X, d.y, {}, ridge);
  EXPECT_LT(r.coefficients.tail(3).norm(), plain.coefficients.tail(3).norm());
  sc::LogisticOptions lasso;
  lasso.l1 = 60;
  const auto l = sc::fit_logistic(d.X, d.y, {}, lasso);
  EXPECT_EQ(l.coefficients(3), 0.0);  // the noise feature is dropped
  EXPECT_NE(l.coefficients(1), 0.0);
  EXPECT_TRUE(std::isnan(l.standard_errors(1)));
}

TEST(Logistic, SeparationIsReportedNeverInfinite) {
  bq::RowMatrix X(8, 1);
  X << -4, -3, -2, -1, 1, 2, 3, 4;
  const std::vector<double> y{0, 0, 0, 0, 1, 1, 1, 1};
  const auto r = sc::fit_logistic(X, y, {});
  EXPECT_NE(r.separation, sc::Separation::none) << r.status.message;
  EXPECT_TRUE(r.status.code == bq::StatusCode::unbounded || r.status.code == bq::StatusCode::boundary);
  EXPECT_TRUE(r.coefficients.allFinite());
  EXPECT_NE(r.status.message.find("separation"), std::string::npos);
}

TEST(Logistic, WeightsAreFrequencies) {
  bq::RowMatrix X(4, 1), Xr(7, 1);
  X << 0, 1, 2, 3;
  Xr << 0, 0, 1, 2, 2, 2, 3;
  const std::vector<double> y{0, 1, 0, 1}, w{2, 1, 3, 1}, yr{0, 0, 1, 0, 0, 0, 1};
  const auto a = sc::fit_logistic(X, y, w);
  const auto b = sc::fit_logistic(Xr, yr, {});
  EXPECT_NEAR((a.coefficients - b.coefficients).norm(), 0.0, 1e-10);
  EXPECT_NEAR(a.log_likelihood, b.log_likelihood, 1e-10);
}

TEST(Logistic, BadInput) {
  bq::RowMatrix X(3, 1);
  X << 1, 2, 3;
  EXPECT_THROW((void)sc::fit_logistic(X, std::vector<double>{0, 1}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::fit_logistic(X, std::vector<double>{1, 1, 1}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::fit_logistic(X, std::vector<double>{0, 0.5, 1}, {}), bq::InvalidArgument);
  X(1, 0) = NAN;
  EXPECT_THROW((void)sc::fit_logistic(X, std::vector<double>{0, 1, 0}, {}), bq::InvalidArgument);
  sc::LogisticOptions o;
  o.l2 = -1;
  X(1, 0) = 2;
  EXPECT_THROW((void)sc::fit_logistic(X, std::vector<double>{0, 1, 0}, {}, o), bq::InvalidArgument);
}

TEST(Logistic, WarmStartReachesTheSameOptimumFaster) {
  const Data d = simulate(20'000, 5);
  const auto cold = sc::fit_logistic(d.X, d.y, {});
  Eigen::VectorXd start = cold.coefficients;
  start(3) += 0.05;
  const auto warm = sc::fit_logistic(d.X, d.y, {}, {}, start);
  EXPECT_NEAR((warm.coefficients - cold.coefficients).lpNorm<Eigen::Infinity>(), 0.0, 1e-8);
  EXPECT_LT(warm.status.iterations, cold.status.iterations);
  EXPECT_THROW((void)sc::fit_logistic(d.X, d.y, {}, {}, Eigen::VectorXd::Zero(2)), bq::InvalidArgument);
  const Eigen::VectorXd p = sc::predict_probability(d.X, cold.coefficients);
  EXPECT_NEAR(p(0), 1 / (1 + std::exp(-sc::linear_predictor(d.X, cold.coefficients)(0))), 1e-15);
}
