#include "bankquant/portfolio/covariance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <Eigen/Eigenvalues>

#include "bankquant/core/errors.hpp"
#include "bankquant/risk/volatility.hpp"
#include "dow_jones.hpp"
#include "golden.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
const double kNan = std::numeric_limits<double>::quiet_NaN();

MatrixXd naive_sample(const bq::RowMatrix& X) {
  const Eigen::Index T = X.rows(), n = X.cols();
  MatrixXd C(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double mi = X.col(i).mean(), mj = X.col(j).mean();
      double s = 0;
      for (Eigen::Index t = 0; t < T; ++t) s += (X(t, i) - mi) * (X(t, j) - mj);
      C(i, j) = s / static_cast<double>(T - 1);
    }
  }
  return C;
}
}  // namespace

TEST(Covariance, SampleIsTheUnbiasedEstimateAnnualised) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(5);
  pf::CovarianceOptions o;
  const auto r = pf::estimate_covariance(R, o);
  EXPECT_NEAR((r.covariance / 252.0 - naive_sample(R)).cwiseAbs().maxCoeff(), 0.0, 1e-15);
  EXPECT_EQ(r.n_observations, 2528);
  EXPECT_EQ(r.rows_dropped, 0);
  EXPECT_GT(r.min_eigenvalue, 0.0);
  o.periods_per_year = 1.0;
  EXPECT_NEAR((pf::estimate_covariance(R, o).covariance - naive_sample(R)).cwiseAbs().maxCoeff(), 0.0, 1e-17);
}

TEST(Covariance, RiskEwmaIsThePortfolioKernelBitForBit) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(6);
  const MatrixXd a = bq::risk::ewma_covariance(R, 0.94);
  const MatrixXd b = pf::ewma_covariance(R, 0.94, 30, false);
  EXPECT_EQ((a - b).cwiseAbs().maxCoeff(), 0.0);
  // The recursion by hand on three rows.
  bq::RowMatrix X(3, 2);
  X << 0.01, 0.02, -0.02, 0.01, 0.03, -0.01;
  const MatrixXd S = pf::ewma_covariance(X, 0.94, 30, false);
  MatrixXd s0 = X.transpose() * X / 3.0;
  for (int t = 0; t < 3; ++t) s0 = 0.94 * s0 + 0.06 * X.row(t).transpose() * X.row(t);
  EXPECT_NEAR((S - s0).cwiseAbs().maxCoeff(), 0.0, 1e-18);
}

TEST(Covariance, EwmaNormalisedWeightsByHand) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(3).topRows(200);
  pf::CovarianceOptions o;
  o.method = pf::CovarianceMethod::ewma;
  o.half_life = 20;
  o.periods_per_year = 1;
  const auto r = pf::estimate_covariance(R, o);
  const double lambda = std::pow(0.5, 1.0 / 20);
  EXPECT_DOUBLE_EQ(pf::ewma_lambda(20), lambda);
  VectorXd w(200);
  for (int t = 0; t < 200; ++t) w(t) = std::pow(lambda, 199 - t);
  w /= w.sum();
  const Eigen::RowVectorXd m = w.transpose() * R;
  MatrixXd C = MatrixXd::Zero(3, 3);
  for (int t = 0; t < 200; ++t) {
    const VectorXd d = (R.row(t) - m).transpose();
    C += w(t) * d * d.transpose();
  }
  EXPECT_NEAR((r.covariance - C).cwiseAbs().maxCoeff(), 0.0, 1e-17);
}

TEST(Covariance, ShrinkageEstimatorsKeepTheTraceAndAreDefinite) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().topRows(120);  // few rows for 30 assets: shrinkage matters
  pf::CovarianceOptions o;
  o.periods_per_year = 1;
  const auto s = pf::estimate_covariance(R, o);
  const double trace_biased = s.covariance.trace() * 119.0 / 120.0;
  for (auto target : {pf::ShrinkageTarget::identity, pf::ShrinkageTarget::constant_correlation,
                      pf::ShrinkageTarget::single_factor}) {
    o.method = pf::CovarianceMethod::ledoit_wolf;
    o.target = target;
    const auto r = pf::estimate_covariance(R, o);
    EXPECT_GT(r.shrinkage, 0.0) << bq::enum_name(target);
    EXPECT_LT(r.shrinkage, 1.0) << bq::enum_name(target);
    EXPECT_NEAR(r.covariance.trace(), trace_biased, 1e-12 * trace_biased) << bq::enum_name(target);
    EXPECT_GT(r.min_eigenvalue, s.min_eigenvalue) << bq::enum_name(target);  // better conditioned than the sample
  }
  o.method = pf::CovarianceMethod::oas;
  const auto oas = pf::estimate_covariance(R, o);
  EXPECT_GT(oas.shrinkage, 0.0);
  EXPECT_NEAR(oas.covariance.trace(), trace_biased, 1e-12 * trace_biased);
}

TEST(Covariance, ConstantCorrelationTargetHasTheAverageCorrelation) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(8).topRows(300);
  pf::CovarianceOptions o;
  o.method = pf::CovarianceMethod::ledoit_wolf;
  o.target = pf::ShrinkageTarget::constant_correlation;
  o.periods_per_year = 1;
  const auto r = pf::estimate_covariance(R, o);
  // (C - (1 - d) S) / d is the target: unit-diagonal correlation with one off-diagonal value.
  const MatrixXd S = naive_sample(R) * 299.0 / 300.0;
  const MatrixXd F = (r.covariance - (1 - r.shrinkage) * S) / r.shrinkage;
  const MatrixXd corr = pf::correlation_from_covariance(F);
  const MatrixXd sc = pf::correlation_from_covariance(S);
  double rbar = 0;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      if (i != j) rbar += sc(i, j);
    }
  }
  rbar /= 56.0;
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(F(i, i), S(i, i), 1e-14);
    for (int j = 0; j < 8; ++j) {
      if (i != j) {
        EXPECT_NEAR(corr(i, j), rbar, 1e-10);
      }
    }
  }
}

TEST(Covariance, FactorModelIsBFBPlusD) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  pf::CovarianceOptions o;
  o.method = pf::CovarianceMethod::factor;
  const auto r = pf::estimate_covariance(R, o);
  const Eigen::Index k = r.loadings.cols();
  EXPECT_GE(k, 1);
  EXPECT_LE(k, 10);
  const MatrixXd rebuilt = r.loadings * r.factor_covariance * r.loadings.transpose() +
                           MatrixXd(r.specific_variance.asDiagonal());
  EXPECT_NEAR((rebuilt - r.covariance).cwiseAbs().maxCoeff(), 0.0, 1e-14);
  // The diagonal is the sample's: D is the residual variance.
  const auto sample = pf::estimate_covariance(R, {});
  EXPECT_NEAR((r.covariance.diagonal() - sample.covariance.diagonal()).cwiseAbs().maxCoeff(), 0.0, 1e-13);
  EXPECT_GT(r.explained_variance, 0.2);
  o.n_factors = 3;
  EXPECT_EQ(pf::estimate_covariance(R, o).loadings.cols(), 3);
  o.n_factors = 40;
  EXPECT_THROW((void)pf::estimate_covariance(R, o), bq::InvalidArgument);
}

TEST(Covariance, MissingPolicies) {
  bq::RowMatrix R = bq::testing::dow_jones_returns().leftCols(4).topRows(400);
  const bq::RowMatrix complete = R;
  R(10, 1) = kNan;
  R(50, 3) = kNan;
  R(51, 3) = kNan;
  pf::CovarianceOptions o;
  o.periods_per_year = 1;
  const auto c = pf::estimate_covariance(R, o);
  EXPECT_EQ(c.rows_dropped, 3);
  EXPECT_EQ(c.n_observations, 397);
  EXPECT_EQ(c.missing, pf::MissingPolicy::complete);
  // pairwise: each pair from its own rows (by hand for pair (1, 3) and (0, 2))
  o.missing = pf::MissingPolicy::pairwise;
  const auto p = pf::estimate_covariance(R, o);
  EXPECT_EQ(p.min_pair_observations, 397);
  auto pair_cov = [&](int i, int j) {
    std::vector<double> a, b;
    for (int t = 0; t < 400; ++t) {
      if (!std::isnan(R(t, i)) && !std::isnan(R(t, j))) {
        a.push_back(R(t, i));
        b.push_back(R(t, j));
      }
    }
    double ma = 0, mb = 0;
    for (std::size_t t = 0; t < a.size(); ++t) ma += a[t], mb += b[t];
    ma /= static_cast<double>(a.size());
    mb /= static_cast<double>(a.size());
    double s = 0;
    for (std::size_t t = 0; t < a.size(); ++t) s += (a[t] - ma) * (b[t] - mb);
    return s / static_cast<double>(a.size() - 1);
  };
  EXPECT_NEAR(p.covariance(1, 3), pair_cov(1, 3), 1e-17);
  EXPECT_NEAR(p.covariance(0, 2), pair_cov(0, 2), 1e-17);
  EXPECT_NEAR(p.covariance(3, 3), pair_cov(3, 3), 1e-17);
  // fill_zero shrinks the variance of a column with gaps; fill_mean keeps its mean
  o.missing = pf::MissingPolicy::fill_zero;
  const auto z = pf::estimate_covariance(R, o);
  o.missing = pf::MissingPolicy::fill_mean;
  const auto m = pf::estimate_covariance(R, o);
  EXPECT_LT(m.covariance(3, 3), pair_cov(3, 3));
  EXPECT_NE(z.covariance(3, 3), m.covariance(3, 3));
  // Pairwise is refused for shrinkage (one sample needed), and infinities are errors.
  o.missing = pf::MissingPolicy::pairwise;
  o.method = pf::CovarianceMethod::ledoit_wolf;
  EXPECT_THROW((void)pf::estimate_covariance(R, o), bq::InvalidArgument);
  R(5, 0) = std::numeric_limits<double>::infinity();
  EXPECT_THROW((void)pf::estimate_covariance(R, {}), bq::InvalidArgument);
}

TEST(Covariance, NearestCorrelationHighamExample) {
  // Higham (2002), IMA J. Numer. Anal. 22, section 4: the nearest correlation matrix to
  // [[1 1 0], [1 1 1], [0 1 1]] has off-diagonals 0.7607, 0.1573, 0.7607.
  MatrixXd A(3, 3);
  A << 1, 1, 0, 1, 1, 1, 0, 1, 1;
  pf::NearestPsdOptions o;
  o.eigenvalue_floor = 0.0;
  const auto r = pf::nearest_psd(A, o);
  EXPECT_TRUE(r.repaired);
  EXPECT_EQ(r.negative_eigenvalues, 1);
  EXPECT_NEAR(r.eigenvalues_before(0), 1 - std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(r.matrix(0, 1), 0.7607, 5e-5);
  EXPECT_NEAR(r.matrix(0, 2), 0.1573, 5e-5);
  EXPECT_NEAR(r.matrix(1, 2), 0.7607, 5e-5);
  EXPECT_NEAR((r.matrix.diagonal() - VectorXd::Ones(3)).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  EXPECT_GE(r.eigenvalues_after(0), -1e-12);
  // A PSD input comes back unchanged; variances of a covariance are kept.
  MatrixXd C = A * 0.04;
  C.diagonal() << 0.04, 0.09, 0.01;
  const auto rc = pf::nearest_psd(C);
  EXPECT_NEAR((rc.matrix.diagonal() - C.diagonal()).cwiseAbs().maxCoeff(), 0.0, 1e-15);
  EXPECT_GT(rc.eigenvalues_after(0), 0.0);
  EXPECT_FALSE(pf::nearest_psd(rc.matrix).repaired);
  EXPECT_THROW(pf::check_covariance("cov", C), bq::InvalidArgument);
  EXPECT_NO_THROW(pf::check_covariance("cov", rc.matrix));
}

TEST(Covariance, CheckCovarianceNamesTheProblem) {
  MatrixXd C = MatrixXd::Identity(3, 3);
  C(0, 1) = 0.5;
  try {
    pf::check_covariance("cov", C);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("symmetric"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("'cov'"), std::string::npos);
  }
  C(1, 0) = 0.5;
  C(2, 2) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(pf::check_covariance("cov", C), bq::InvalidArgument);
  EXPECT_THROW(pf::check_covariance("cov", MatrixXd::Identity(3, 3), 4), bq::InvalidArgument);
}

TEST(Covariance, ShrinkageIntensitiesEqualScikitLearn) {
  // scikit-learn 1.2.1 LedoitWolf and OAS on the first 120 Dow Jones days (golden.json).
  const bq::RowMatrix R = bq::testing::dow_jones_returns().topRows(120);
  const auto& g = bq::testing::portfolio_golden();
  pf::CovarianceOptions o;
  o.method = pf::CovarianceMethod::ledoit_wolf;
  EXPECT_NEAR(pf::estimate_covariance(R, o).shrinkage, g["ledoit_wolf_identity_shrinkage"].get<double>(), 1e-12);
  o.method = pf::CovarianceMethod::oas;
  EXPECT_NEAR(pf::estimate_covariance(R, o).shrinkage, g["oas_shrinkage"].get<double>(), 1e-12);
}
