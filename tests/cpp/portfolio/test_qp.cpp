#include "bankquant/portfolio/qp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <fmt/format.h>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "dow_jones.hpp"
#include "golden.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
using bankquant::detail::kInf;

MatrixXd dow_covariance() {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  return pf::estimate_covariance(R, {}).covariance;
}

pf::QpProblem min_variance(const MatrixXd& cov, double lo, double hi) {
  const Eigen::Index n = cov.rows();
  pf::QpProblem p;
  p.hessian = cov;
  p.equality_matrix = bq::RowMatrix::Ones(1, n);
  p.equality_rhs = VectorXd::Ones(1);
  p.equality_names = {"budget"};
  p.lower = VectorXd::Constant(n, lo);
  p.upper = VectorXd::Constant(n, hi);
  return p;
}

// A random convex QP with bounds, a budget and group rows; H = A'A/m (rank m), possibly singular.
pf::QpProblem random_problem(int n, int rank, int groups, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  MatrixXd A(rank, n);
  for (int i = 0; i < rank; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = z(rng) * 0.1;
  pf::QpProblem p;
  p.hessian = A.transpose() * A / rank;
  p.linear = VectorXd(n);
  for (int j = 0; j < n; ++j) p.linear(j) = -0.05 * u(rng);
  p.equality_matrix = bq::RowMatrix::Ones(1, n);
  p.equality_rhs = VectorXd::Ones(1);
  p.lower = VectorXd::Zero(n);
  p.upper = VectorXd::Constant(n, 0.3);
  p.inequality_matrix = bq::RowMatrix::Zero(groups, n);
  p.inequality_lower = VectorXd::Constant(groups, -kInf);
  p.inequality_upper = VectorXd(groups);
  for (int g = 0; g < groups; ++g) {
    for (int j = g; j < n; j += groups) p.inequality_matrix(g, j) = 1.0;
    p.inequality_upper(g) = 0.3 + 0.2 * u(rng);
    if (g == 0) p.inequality_lower(g) = 0.1;
  }
  return p;
}

// The same problem solved by one method (the tests compare the active set with the interior point).
pf::QpResult solve_with(const pf::QpProblem& p, pf::QpMethod method) {
  pf::QpOptions o;
  o.method = method;
  return pf::solve_qp(p, o);
}

void expect_optimal(const pf::QpResult& r, double tol = 1e-9) {
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_LE(r.primal_residual, tol);
  EXPECT_LE(r.dual_residual, tol);
  EXPECT_LE(r.complementarity, tol);
}
}  // namespace

TEST(Qp, EqualityConstrainedMinimumVarianceIsTheClosedForm) {
  const MatrixXd cov = dow_covariance();
  const pf::QpProblem p = min_variance(cov, -kInf, kInf);
  const auto r = pf::solve_qp(p);
  expect_optimal(r);
  const VectorXd ones = VectorXd::Ones(30);
  const VectorXd w = cov.llt().solve(ones);
  const VectorXd expected = w / ones.dot(w);
  EXPECT_NEAR((r.x - expected).cwiseAbs().maxCoeff(), 0.0, 1e-12);
  EXPECT_NEAR(r.objective, 0.5 / ones.dot(w), 1e-15);
  EXPECT_NEAR(r.equality_multipliers(0), 1.0 / ones.dot(w), 1e-13);  // d(min var / 2)/d(budget) = budget / 1'S^-1 1
}

TEST(Qp, LongOnlyActiveSetAndInteriorPointAgree) {
  const MatrixXd cov = dow_covariance();
  const pf::QpProblem p = min_variance(cov, 0.0, 1.0);
  const auto ra = solve_with(p, pf::QpMethod::active_set);
  const auto ri = solve_with(p, pf::QpMethod::interior_point);
  expect_optimal(ra, 1e-12);
  ASSERT_TRUE(ri.status.converged()) << ri.status.message;
  EXPECT_NEAR(ra.objective, ri.objective, 1e-10 * ra.objective);
  EXPECT_NEAR((ra.x - ri.x).cwiseAbs().maxCoeff(), 0.0, 1e-6);
  EXPECT_LE(ra.objective, ri.objective * (1 + 1e-12));  // the vertex solution is exact
  EXPECT_GT(ra.at_lower.size(), 5u);                    // long-only holds a subset
  for (int j : ra.at_lower) EXPECT_EQ(ra.x(j), 0.0);
  for (int j : ra.at_lower) EXPECT_GE(ra.bound_multipliers(j), 0.0);
}

TEST(Qp, RandomProblemsWithGroupsAndSingularHessians) {
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const int n = 10 + static_cast<int>(seed % 7) * 5;
    const int rank = seed % 3 == 0 ? n / 3 : n + 5;  // a third are singular
    const pf::QpProblem p = random_problem(n, rank, 1 + static_cast<int>(seed % 4), seed);
    const auto ra = solve_with(p, pf::QpMethod::active_set);
    const auto ri = solve_with(p, pf::QpMethod::interior_point);
    if (ra.status.code == bq::StatusCode::infeasible) {
      EXPECT_EQ(ri.status.code, bq::StatusCode::infeasible) << seed;
      continue;
    }
    expect_optimal(ra, 1e-10);
    ASSERT_TRUE(ri.status.usable()) << ri.status.message;
    EXPECT_NEAR(ra.objective, ri.objective, 1e-8 * (1 + std::abs(ra.objective))) << "seed " << seed;
    EXPECT_LE(ra.objective, ri.objective + 1e-12 * (1 + std::abs(ri.objective))) << "seed " << seed;
  }
}

TEST(Qp, WarmStartReachesTheSameOptimum) {
  const MatrixXd cov = dow_covariance();
  pf::QpProblem p = min_variance(cov, 0.0, 0.1);
  const auto cold = pf::solve_qp(p);
  expect_optimal(cold);
  const auto warm = pf::solve_qp(p, {}, cold.x);
  expect_optimal(warm);
  EXPECT_LE(warm.status.iterations, 2);
  EXPECT_NEAR((warm.x - cold.x).cwiseAbs().maxCoeff(), 0.0, 1e-13);
  // An infeasible start is moved to a feasible point nearby first.
  const auto moved = pf::solve_qp(p, {}, VectorXd::Constant(30, 0.5));
  expect_optimal(moved);
  EXPECT_NEAR(moved.objective, cold.objective, 1e-14);
}

TEST(Qp, FactorFormEqualsDense) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  pf::CovarianceOptions co;
  co.method = pf::CovarianceMethod::factor;
  co.n_factors = 4;
  const auto f = pf::estimate_covariance(R, co);
  pf::QpProblem dense = min_variance(f.covariance, 0.0, 0.15);
  pf::QpProblem factor = dense;
  factor.hessian.resize(0, 0);
  factor.factor = {f.loadings, f.factor_covariance, f.specific_variance};
  const auto rd = pf::solve_qp(dense);
  const auto rf = pf::solve_qp(factor);  // interior point with Woodbury solves
  expect_optimal(rd);
  ASSERT_TRUE(rf.status.converged()) << rf.status.message;
  EXPECT_EQ(rf.method, pf::QpMethod::interior_point);
  EXPECT_NEAR(rf.objective, rd.objective, 1e-10 * rd.objective);
  pf::QpOptions a;
  a.method = pf::QpMethod::active_set;
  const auto ra = pf::solve_qp(factor, a);
  expect_optimal(ra);
  EXPECT_NEAR((ra.x - rd.x).cwiseAbs().maxCoeff(), 0.0, 1e-11);
}

TEST(Qp, InfeasibilityIsNamed) {
  const MatrixXd cov = dow_covariance();
  pf::QpProblem p = min_variance(cov.topLeftCorner(4, 4), 0.0, 0.2);  // the bounds sum to at most 0.8
  const auto r = pf::solve_qp(p);
  EXPECT_EQ(r.status.code, bq::StatusCode::infeasible);
  EXPECT_NE(r.status.message.find("'budget' range over [0, 0.8]"), std::string::npos) << r.status.message;
  // Two groups that cannot both hold: {0, 1} >= 0.7 and {1, 2, 3} >= 0.6 (budget 1, long only).
  p = min_variance(cov.topLeftCorner(4, 4), 0.0, 1.0);
  p.inequality_matrix = bq::RowMatrix::Zero(3, 4);
  p.inequality_matrix.row(0) << 1, 1, 0, 0;
  p.inequality_matrix.row(1) << 0, 0, 1, 1;
  p.inequality_matrix.row(2) << 0, 1, 0, 0;
  p.inequality_lower = VectorXd(3);
  p.inequality_lower << 0.7, 0.6, -kInf;
  p.inequality_upper = VectorXd::Constant(3, kInf);
  p.inequality_names = {"group A", "group B", "unrelated"};
  const auto report = pf::check_feasibility(p);
  EXPECT_FALSE(report.feasible);
  // The groups ask for 1.3 in all but the budget is 1: the bounds play no part.
  EXPECT_EQ(report.conflicting, (std::vector<std::string>{"budget", "group A", "group B"}));
  const auto r2 = pf::solve_qp(p);
  EXPECT_EQ(r2.status.code, bq::StatusCode::infeasible);
  EXPECT_NE(r2.status.message.find("'group A'"), std::string::npos);
  // Empty bounds.
  p = min_variance(cov.topLeftCorner(3, 3), 0.0, 1.0);
  p.lower(1) = 0.5;
  p.upper(1) = 0.4;
  p.variable_names = {"AA", "AXP", "T"};
  const auto r3 = pf::solve_qp(p);
  EXPECT_EQ(r3.status.code, bq::StatusCode::infeasible);
  EXPECT_NE(r3.status.message.find("'AXP'"), std::string::npos) << r3.status.message;
}

TEST(Qp, UnboundedAndNonConvex) {
  pf::QpProblem p;
  p.hessian = MatrixXd::Zero(2, 2);
  p.hessian(0, 0) = 1.0;
  p.linear = VectorXd(2);
  p.linear << 0.0, -1.0;  // x1 has no curvature and no upper bound
  p.lower = VectorXd::Zero(2);
  const auto r = pf::solve_qp(p);
  EXPECT_EQ(r.status.code, bq::StatusCode::unbounded) << r.status.message;
  p.upper = VectorXd::Constant(2, 3.0);
  const auto bounded = pf::solve_qp(p);
  expect_optimal(bounded);
  EXPECT_NEAR(bounded.x(1), 3.0, 1e-15);
  p.hessian(1, 1) = -0.5;
  EXPECT_THROW((void)pf::solve_qp(p), bq::InvalidArgument);
  p.hessian(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW((void)pf::solve_qp(p), bq::InvalidArgument);
}

TEST(Qp, SingularCovarianceFromFewDays) {
  // 30 assets from 20 days: the sample covariance has rank 19, yet minimum variance is well defined.
  const bq::RowMatrix R = bq::testing::dow_jones_returns().topRows(20);
  const MatrixXd cov = pf::estimate_covariance(R, {}).covariance;
  const pf::QpProblem p = min_variance(cov, 0.0, 1.0);
  const auto ra = solve_with(p, pf::QpMethod::active_set);
  const auto ri = solve_with(p, pf::QpMethod::interior_point);
  expect_optimal(ra, 1e-11);
  ASSERT_TRUE(ri.status.usable());
  EXPECT_NEAR(ra.objective, ri.objective, 1e-8 * ra.objective + 1e-14);
}

TEST(Qp, BadShapesAreErrorsNamingThePart) {
  pf::QpProblem p = min_variance(MatrixXd::Identity(3, 3), 0.0, 1.0);
  p.lower = VectorXd::Zero(2);
  try {
    (void)pf::solve_qp(p);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'lower'"), std::string::npos);
  }
  p = min_variance(MatrixXd::Identity(3, 3), 0.0, 1.0);
  EXPECT_THROW((void)pf::solve_qp(p, {}, VectorXd::Zero(5)), bq::InvalidArgument);
  pf::QpOptions o;
  o.optimality_tolerance = -1;
  EXPECT_THROW((void)pf::solve_qp(p, o), bq::InvalidArgument);
}

TEST(Qp, LongOnlyMinimumVarianceEqualsCvxopt) {
  // cvxopt 1.3.0 solvers.qp with dense G = -I (as PyPortfolioOpt calls it), tolerances 1e-12 (golden.json).
  const auto& g = bq::testing::portfolio_golden()["min_variance"];
  const auto r = pf::solve_qp(min_variance(dow_covariance(), 0.0, 1.0));
  expect_optimal(r);
  EXPECT_NEAR(r.objective, g["objective"].get<double>(), 1e-10 * r.objective);
  EXPECT_LE(r.objective, g["objective"].get<double>() * (1 + 1e-12));
  // Weights to 1e-6, the bar (an interior-point method stops just inside the bounds).
  for (int j = 0; j < 30; ++j) EXPECT_NEAR(r.x(j), g["weights"][static_cast<std::size_t>(j)].get<double>(), 1e-6) << j;
}

// Issue 10: bounds (-inf, inf) and a covariance of daily size (1e-8). Clp's absolute dual tolerance
// (1e-7) took the phase-1 LP objective for zero and returned x = (-2e15, 2e15); the budget then
// held only to the rounding of 2e15 (0.25) and the solve said "optimal" with weights summing to 0.75.
// Reference: the closed form x = S^-1 1 / (1' S^-1 1) of equality-constrained minimum variance.
TEST(Qp, FreeVariablesAtDailyCovarianceScaleKeepTheBudget) {
  MatrixXd S(2, 2);
  S << 7.634213e-08, -8.304787e-09, -8.304787e-09, 6.616328e-08;
  const VectorXd closed = S.ldlt().solve(VectorXd::Ones(2));
  const VectorXd expected = closed / closed.sum();
  for (double scale : {1e-6, 1.0, 1e6, 1e12}) {
    pf::QpProblem p;
    p.hessian = 2 * scale * S;
    p.equality_matrix = bq::RowMatrix::Ones(1, 2);
    p.equality_rhs = VectorXd::Ones(1);
    p.lower = VectorXd::Constant(2, -kInf);
    p.upper = VectorXd::Constant(2, kInf);
    for (auto method : {pf::QpMethod::active_set, pf::QpMethod::interior_point}) {
      pf::QpOptions o;
      o.method = method;
      const auto r = pf::solve_qp(p, o);
      ASSERT_TRUE(r.status.converged()) << scale << ": " << r.status.message;
      // Exact to rounding for the active set; the interior point stops at ipm_tolerance (1e-10),
      // and does so at every scale (3.1e-12 here at each one).
      const double tol = method == pf::QpMethod::active_set ? 1e-12 : o.ipm_tolerance;
      EXPECT_NEAR(r.x.sum(), 1.0, tol) << scale;
      for (int j = 0; j < 2; ++j) EXPECT_NEAR(r.x(j), expected(j), 1e-9) << scale << " " << j;
      EXPECT_LE(r.primal_residual, tol) << scale;
    }
  }
}

// The minimiser does not depend on the scale of H (min 1/2 x'(sH)x + s c'x has the same x for any
// s > 0): 3..30 assets, bounded and unbounded, s = 1e-8, 1, 1e6 give the same weights, and every
// converged result meets its constraints to 1e-9.
TEST(Qp, MinimiserIsScaleInvariant) {
  for (int n : {3, 5, 8, 13, 21, 30}) {
    for (int bounded = 0; bounded < 3; ++bounded) {
      pf::QpProblem base = random_problem(n, std::max(2, n / 2), 0, static_cast<std::uint32_t>(100 + n));
      base.hessian.diagonal().array() += 1e-3;  // definite, so the minimiser is unique
      if (bounded == 0) {
        base.lower = VectorXd::Constant(n, -kInf);
        base.upper = VectorXd::Constant(n, kInf);
      } else if (bounded == 1) {
        base.lower = VectorXd::Zero(n);
        base.upper = VectorXd::Constant(n, std::max(0.3, 2.0 / n));
      } else {
        base.lower = VectorXd::Constant(n, -0.5);
        base.upper = VectorXd::Ones(n);
      }
      VectorXd reference;
      for (double s : {1.0, 1e-8, 1e6}) {
        pf::QpProblem p = base;
        p.hessian *= s;
        p.linear *= s;
        for (auto method : {pf::QpMethod::active_set, pf::QpMethod::interior_point}) {
          pf::QpOptions o;
          o.method = method;
          const auto r = pf::solve_qp(p, o);
          ASSERT_TRUE(r.status.converged()) << n << " " << bounded << " " << s << ": " << r.status.message;
          EXPECT_NEAR(r.x.sum(), 1.0, 1e-9) << n << " " << bounded << " " << s;
          EXPECT_GE((r.x - p.lower).minCoeff(), -1e-9);
          EXPECT_LE((r.x - p.upper).maxCoeff(), 1e-9);
          if (reference.size() == 0) reference = r.x;
          // The interior-point method stops at a relative gap of 1e-10: its weights to 1e-6.
          const double tol = method == pf::QpMethod::active_set ? 1e-9 : 1e-6;
          EXPECT_LE((r.x - reference).cwiseAbs().maxCoeff(), tol) << n << " " << bounded << " " << s;
        }
      }
    }
  }
}

// ---- issue 10: singular covariance matrices (a duplicated asset, a near-riskless one) ---------------
// A convex QP whose variables are all bounded is never unbounded; the active-set method took the
// step of a regularised factor (1e-10 on a zero pivot) along a direction of zero curvature, saw
// no bound within that step and reported "unbounded". The reference for a duplicated asset is the
// problem without it, the copy's bounds added to the original's (the two copies are one asset).

namespace {

// cov with asset j repeated as a last column.
MatrixXd with_duplicate(const MatrixXd& cov, Eigen::Index j) {
  const Eigen::Index n = cov.rows();
  MatrixXd out(n + 1, n + 1);
  out.topLeftCorner(n, n) = cov;
  out.topRightCorner(n, 1) = cov.col(j);
  out.bottomLeftCorner(1, n) = cov.row(j);
  out(n, n) = cov(j, j);
  return out;
}

void expect_same_as_merged(const pf::QpResult& r, const pf::QpResult& merged, Eigen::Index j, double tol,
                           const std::string& what) {
  const Eigen::Index n = merged.x.size();
  EXPECT_NEAR(r.objective, merged.objective, 1e-12 * std::abs(merged.objective) + 1e-300) << what;
  EXPECT_NEAR(r.x(j) + r.x(n), merged.x(j), tol) << what;
  for (Eigen::Index k = 0; k < n; ++k) {
    if (k != j) {
      EXPECT_NEAR(r.x(k), merged.x(k), tol) << what << " asset " << k;
    }
  }
}

}  // namespace

TEST(Qp, ADuplicatedAssetIsNotUnbounded) {
  const MatrixXd cov = dow_covariance();
  // 16 (IBM) and 19 (JNJ) are held by the long-only minimum-variance portfolio, 0 (AA) is not.
  for (Eigen::Index j : {0, 10, 16, 19, 25}) {
    const MatrixXd dup = with_duplicate(cov, j);
    for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{{0.0, 1.0}, {0.0, 0.1}, {0.0, 0.05}, {-0.5, 1.0}, {-0.1, 0.2}}) {
      for (double scale : {1.0, 1.0 / 252, 1e-6}) {
        const std::string what = fmt::format("asset {} bounds [{}, {}] scale {}", j, lo, hi, scale);
        pf::QpProblem merged = min_variance(scale * cov, lo, hi);
        merged.lower(j) = 2 * lo;
        merged.upper(j) = 2 * hi;
        const auto base = pf::solve_qp(merged);
        expect_optimal(base);
        pf::QpOptions a;
        a.method = pf::QpMethod::active_set;
        const auto r = pf::solve_qp(min_variance(scale * dup, lo, hi), a);
        expect_optimal(r, 1e-10 * std::max(scale, 1e-300) + 1e-15);
        ASSERT_TRUE(r.status.converged()) << what << ": " << r.status.message;
        expect_same_as_merged(r, base, j, 1e-9, what);
        // Also from a warm start that holds every asset (both copies free at the start).
        const VectorXd even = VectorXd::Constant(31, 1.0 / 31);
        const auto warm = pf::solve_qp(min_variance(scale * dup, lo, hi), a, even);
        ASSERT_TRUE(warm.status.converged()) << what << " (warm): " << warm.status.message;
        expect_same_as_merged(warm, base, j, 1e-9, what + " (warm)");
        const auto ri = solve_with(min_variance(scale * dup, lo, hi), pf::QpMethod::interior_point);
        ASSERT_TRUE(ri.status.converged()) << what << " (interior point): " << ri.status.message;
        EXPECT_NEAR(ri.objective, base.objective, 1e-8 * base.objective) << what;
      }
    }
  }
}

TEST(Qp, ADuplicatedAssetWithoutBoundsHasOptimalSolutions) {
  // Budget only: the copies may trade weight without limit at no cost; any split is optimal.
  const MatrixXd cov = dow_covariance();
  const auto base = pf::solve_qp(min_variance(cov, -kInf, kInf));
  for (Eigen::Index j : {0, 16}) {
    const auto r = pf::solve_qp(min_variance(with_duplicate(cov, j), -kInf, kInf));
    expect_optimal(r, 1e-12);
    expect_same_as_merged(r, base, j, 1e-9, fmt::format("asset {}", j));
    const auto warm = pf::solve_qp(min_variance(with_duplicate(cov, j), -kInf, kInf), {}, VectorXd::Constant(31, 1.0 / 31));
    expect_optimal(warm, 1e-12);
    expect_same_as_merged(warm, base, j, 1e-9, fmt::format("asset {} (warm)", j));
  }
}

TEST(Qp, AZeroCurvatureDescentIsFollowedToItsBound) {
  // min 1/2 (x0 + x1)^2 + x0 - x1: along (-1, 1) the curvature is 0 and the slope -2.
  pf::QpProblem p;
  p.hessian = MatrixXd::Ones(2, 2);
  p.linear = VectorXd(2);
  p.linear << 1.0, -1.0;
  const auto unbounded = pf::solve_qp(p);
  EXPECT_EQ(unbounded.status.code, bq::StatusCode::unbounded) << unbounded.status.message;
  p.lower = VectorXd::Zero(2);  // x0 >= 0 stops it: x = (0, 1), objective -1/2
  for (int start = 0; start < 2; ++start) {
    const auto r = start == 0 ? pf::solve_qp(p) : pf::solve_qp(p, {}, VectorXd::Constant(2, 3.0));
    expect_optimal(r, 1e-14);
    EXPECT_NEAR(r.x(0), 0.0, 1e-15);
    EXPECT_NEAR(r.x(1), 1.0, 1e-14);
    EXPECT_NEAR(r.objective, -0.5, 1e-14);
  }
  // With a budget x0 + x1 = 2 and a cap x1 <= 1.5: the zero-curvature direction ends at the cap.
  p.equality_matrix = bq::RowMatrix::Ones(1, 2);
  p.equality_rhs = VectorXd::Constant(1, 2.0);
  p.upper = VectorXd::Constant(2, 1.5);
  const auto capped = pf::solve_qp(p);
  expect_optimal(capped, 1e-14);
  EXPECT_NEAR(capped.x(1), 1.5, 1e-15);
  EXPECT_NEAR(capped.x(0), 0.5, 1e-15);
}

TEST(Qp, RandomProblemsWithDuplicatedColumns) {
  // The random problems of RandomProblemsWithGroupsAndSingularHessians with a third of the
  // variables repeated (same H row and column, same linear term, same group rows).
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const int n = 10 + static_cast<int>(seed % 7) * 5;
    const int rank = seed % 3 == 0 ? n / 3 : n + 5;
    pf::QpProblem p = random_problem(n, rank, 1 + static_cast<int>(seed % 4), seed);
    const int extra = n / 3;
    const int m = n + extra;
    std::vector<int> source(static_cast<std::size_t>(m));
    for (int j = 0; j < m; ++j) source[static_cast<std::size_t>(j)] = j < n ? j : (j - n) * 3 % n;
    pf::QpProblem q;
    q.hessian.resize(m, m);
    q.linear.resize(m);
    q.lower.resize(m);
    q.upper.resize(m);
    q.inequality_matrix.resize(p.inequality_matrix.rows(), m);
    for (int a = 0; a < m; ++a) {
      const int sa = source[static_cast<std::size_t>(a)];
      for (int b = 0; b < m; ++b) q.hessian(a, b) = p.hessian(sa, source[static_cast<std::size_t>(b)]);
      q.linear(a) = p.linear(sa);
      q.lower(a) = p.lower(sa);
      q.upper(a) = p.upper(sa);
      q.inequality_matrix.col(a) = p.inequality_matrix.col(sa);
    }
    q.equality_matrix = bq::RowMatrix::Ones(1, m);
    q.equality_rhs = p.equality_rhs;
    q.inequality_lower = p.inequality_lower;
    q.inequality_upper = p.inequality_upper;
    const auto ra = solve_with(q, pf::QpMethod::active_set);
    const auto ri = solve_with(q, pf::QpMethod::interior_point);
    if (ri.status.code == bq::StatusCode::infeasible) {
      EXPECT_EQ(ra.status.code, bq::StatusCode::infeasible) << seed;
      continue;
    }
    ASSERT_TRUE(ra.status.converged()) << "seed " << seed << ": " << ra.status.message;
    expect_optimal(ra, 1e-10);
    ASSERT_TRUE(ri.status.converged()) << "seed " << seed << ": " << ri.status.message;
    EXPECT_NEAR(ra.objective, ri.objective, 1e-8 * (1 + std::abs(ra.objective))) << "seed " << seed;
    EXPECT_LE(ra.objective, ri.objective + 1e-12 * (1 + std::abs(ri.objective))) << "seed " << seed;
  }
}

TEST(Qp, ANearRisklessAssetIsHeldToItsCap) {
  // The Dow returns plus a column of noise of variance 1e-12: nearly riskless and uncorrelated.
  bq::RowMatrix R0 = bq::testing::dow_jones_returns();
  bq::RowMatrix R(R0.rows(), 31);
  R.leftCols(30) = R0;
  std::mt19937 rng(11);
  std::normal_distribution<double> z(0.0, 1e-6);
  for (Eigen::Index t = 0; t < R.rows(); ++t) R(t, 30) = z(rng);
  const MatrixXd cov = pf::estimate_covariance(R, {}).covariance;
  for (double hi : {1.0, 0.5, 0.1}) {
    const pf::QpProblem p = min_variance(cov, 0.0, hi);
    const auto ra = solve_with(p, pf::QpMethod::active_set);
    ASSERT_TRUE(ra.status.converged()) << hi << ": " << ra.status.message;
    expect_optimal(ra, 1e-12);
    if (hi < 1) {  // at 1 a little stock against the noise's sample correlation lowers the risk
      EXPECT_NEAR(ra.x(30), hi, 1e-9) << hi;
    }
    const auto ri = solve_with(p, pf::QpMethod::interior_point);
    ASSERT_TRUE(ri.status.converged()) << ri.status.message;
    EXPECT_LE(ra.objective, ri.objective * (1 + 1e-12));
    // The interior-point method stops at a duality gap of 1e-10 on the scale of H (0.2 here), not
    // of this objective (1e-10): 1e-15 apart, the active set's the lower.
    EXPECT_NEAR(ra.objective, ri.objective, 1e-10 * cov.diagonal().maxCoeff());
  }
}

TEST(Qp, RankDeficientProblemsWithoutBounds) {
  // H of rank 1..n/2 with repeated columns, c in H's range (so the problem is bounded), a budget,
  // no bounds: a whole affine set of minimisers. The optimal value is unique; the reference is the
  // KKT system solved in the least-squares sense. A nearly singular factor took steps of zero
  // slope along the null space for ever (iteration limit) or to 1e74 before the flat-step test.
  std::mt19937 rng(379);
  std::normal_distribution<double> z(0.0, 1.0);
  for (int trial = 0; trial < 60; ++trial) {
    const int n0 = 4 + trial % 19, rank = 1 + trial % std::max(1, n0 / 2), extra = 1 + trial % 4;
    const int n = n0 + extra;
    MatrixXd B(n0, rank);
    for (int i = 0; i < n0; ++i)
      for (int k = 0; k < rank; ++k) B(i, k) = 0.1 * z(rng);
    MatrixXd B2(n, rank);
    B2.topRows(n0) = B;
    for (int e = 0; e < extra; ++e) B2.row(n0 + e) = B.row((7 * e + trial) % n0);
    pf::QpProblem p;
    p.hessian = B2 * B2.transpose() * std::pow(10.0, -(trial % 7));
    VectorXd v(n);
    for (int j = 0; j < n; ++j) v(j) = 0.1 * z(rng);
    p.linear = p.hessian * v;
    p.equality_matrix = bq::RowMatrix::Ones(1, n);
    p.equality_rhs = VectorXd::Ones(1);
    const auto r = pf::solve_qp(p);
    ASSERT_TRUE(r.status.converged()) << "trial " << trial << ": " << r.status.message;
    MatrixXd K = MatrixXd::Zero(n + 1, n + 1);
    K.topLeftCorner(n, n) = p.hessian;
    K.topRightCorner(n, 1) = VectorXd::Ones(n);
    K.bottomLeftCorner(1, n) = Eigen::RowVectorXd::Ones(n);
    VectorXd rhs(n + 1);
    rhs << -p.linear, 1.0;
    const VectorXd sol = Eigen::CompleteOrthogonalDecomposition<MatrixXd>(K).solve(rhs);
    const double reference = p.objective(sol.head(n));
    const double scale = p.hessian.diagonal().maxCoeff();
    EXPECT_NEAR(r.objective, reference, 1e-10 * scale) << "trial " << trial;
    EXPECT_LE(r.primal_residual, 1e-12) << trial;
    EXPECT_LE(r.dual_residual, 1e-9 * scale) << trial;
    // The interior-point method too: its dual residual was measured against H x + c, which is 0
    // at such an optimum, so it never stopped (iteration limit at an exact solution).
    const auto ri = solve_with(p, pf::QpMethod::interior_point);
    ASSERT_TRUE(ri.status.converged()) << "trial " << trial << " (interior point): " << ri.status.message;
    EXPECT_NEAR(ri.objective, reference, 1e-9 * scale) << "trial " << trial;
  }
}
