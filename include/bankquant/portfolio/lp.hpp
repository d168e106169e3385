// bankquant/portfolio/lp.hpp — linear programs through COIN-OR Clp, and mixed-integer ones
// through COIN-OR CBC, behind bankquant's own types.
//
//   minimise c' x  subject to  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper
//   (and x_j integer for j in `integers`, solve_milp only)
//
// Clp (Forrest's dual simplex, Debian's coinor-libclp) and CBC (branch and cut, coinor-libcbc)
// are well-kept LP/MILP solvers; they earn their place over hand-written simplex code in the
// minimum-CVaR LP (cvar.hpp), phase 1 of the QP solver (qp.hpp), attainable-return bounds and
// whole-lot allocation (advisor.hpp). Their headers stay in src/. A is dense row-major here
// (portfolio LPs are small or dense); zeros are dropped before Clp sees them. Each call builds
// its own solver object, so calls on different threads are independent. Messages are silenced.
#pragma once

#include <limits>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

struct LpProblem {
  Eigen::VectorXd objective;
  RowMatrix matrix;
  Eigen::VectorXd row_lower, row_upper;
  Eigen::VectorXd col_lower, col_upper;
  std::vector<int> integers;  ///< solve_milp: indices of integer variables
  bool primal_simplex = false;  ///< Clp's primal simplex instead of its dual (faster for the CVaR LP)
};

struct LpResult {
  Eigen::VectorXd x;
  double objective = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd row_duals;
  Eigen::VectorXd row_activity;
  double best_bound = std::numeric_limits<double>::quiet_NaN();
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("x", &LpResult::x, "the solution"), field("objective", &LpResult::objective, "c'x"),
                      field("row_duals", &LpResult::row_duals, "dual values of the rows (LP only)"),
                      field("row_activity", &LpResult::row_activity, "A x"),
                      field("best_bound", &LpResult::best_bound, "MILP: the best lower bound proven"),
                      field("status", &LpResult::status, "optimal (converged), infeasible, unbounded or a limit")};
  }
};

/// Solves the LP with Clp's dual simplex. Infeasible/unbounded are statuses.
[[nodiscard]] BANKQUANT_EXPORT LpResult solve_lp(const LpProblem& problem, double time_limit = 0.0);

/// Solves the MILP with CBC (the `integers` are integer). A time or node limit leaves the best
/// integer solution found with status time_limit / iteration_limit.
[[nodiscard]] BANKQUANT_EXPORT LpResult solve_milp(const LpProblem& problem, double time_limit = 10.0,
                                                   int max_nodes = 100000);

}  // namespace bankquant::portfolio
