#include "bankquant/portfolio/lp.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::VectorXd;

TEST(Lp, TextbookProblem) {
  // max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18 (Hillier and Lieberman's Wyndor Glass): x = 2, y = 6, 36.
  pf::LpProblem p;
  p.objective = VectorXd(2);
  p.objective << -3, -5;
  p.matrix.resize(3, 2);
  p.matrix << 1, 0, 0, 2, 3, 2;
  p.row_lower = VectorXd::Constant(3, -std::numeric_limits<double>::infinity());
  p.row_upper = VectorXd(3);
  p.row_upper << 4, 12, 18;
  p.col_lower = VectorXd::Zero(2);
  const auto r = pf::solve_lp(p);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.x(0), 2.0, 1e-9);
  EXPECT_NEAR(r.x(1), 6.0, 1e-9);
  EXPECT_NEAR(r.objective, -36.0, 1e-9);
  // Integer version with y integer and a fractional optimum forced: 3x + 2y <= 17.
  p.row_upper(2) = 17;
  p.integers = {0, 1};
  const auto m = pf::solve_milp(p);
  ASSERT_TRUE(m.status.converged()) << m.status.message;
  EXPECT_NEAR(m.objective, -33.0, 1e-9);  // (1, 6): 33; (2, 5): 31; (3, 4): 29
}

TEST(Lp, InfeasibleAndUnbounded) {
  pf::LpProblem p;
  p.objective = VectorXd::Ones(2);
  p.matrix.resize(1, 2);
  p.matrix << 1, 1;
  p.row_lower = VectorXd::Constant(1, 3.0);
  p.row_upper = VectorXd::Constant(1, 3.0);
  p.col_lower = VectorXd::Zero(2);
  p.col_upper = VectorXd::Ones(2);
  EXPECT_EQ(pf::solve_lp(p).status.code, bq::StatusCode::infeasible);
  p.col_upper = VectorXd();
  p.objective << -1, 0;
  p.row_upper(0) = std::numeric_limits<double>::infinity();
  EXPECT_EQ(pf::solve_lp(p).status.code, bq::StatusCode::unbounded);
  p.matrix.resize(1, 3);
  EXPECT_THROW((void)pf::solve_lp(p), bq::InvalidArgument);
}
