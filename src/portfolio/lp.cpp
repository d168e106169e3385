#include "bankquant/portfolio/lp.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include <CbcHeuristic.hpp>
#include <CbcModel.hpp>
#include <CglGomory.hpp>
#include <CglMixedIntegerRounding2.hpp>
#include <CglProbing.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include "bankquant/core/check.hpp"

namespace bankquant::portfolio {
namespace {

using Eigen::Index;

double to_coin(double v) {
  if (v == std::numeric_limits<double>::infinity()) return COIN_DBL_MAX;
  if (v == -std::numeric_limits<double>::infinity()) return -COIN_DBL_MAX;
  return v;
}

std::vector<double> coin_vector(const Eigen::VectorXd& v, Index n, double fill) {
  std::vector<double> out(static_cast<std::size_t>(n), to_coin(fill));
  for (Index i = 0; i < v.size(); ++i) out[static_cast<std::size_t>(i)] = to_coin(v(i));
  return out;
}

void check_problem(const LpProblem& p) {
  const Index n = p.objective.size();
  check::not_empty("objective", static_cast<std::size_t>(n));
  check::all_finite("objective", p.objective);
  const Index m = p.matrix.rows();
  if (m > 0) check::shape("matrix", p.matrix.rows(), p.matrix.cols(), m, n);
  check::all_finite("matrix", p.matrix);
  if (p.row_lower.size() != m || p.row_upper.size() != m) {
    check::fail("row_lower", fmt::format("expected {} row bounds, got {} and {}", m, p.row_lower.size(), p.row_upper.size()));
  }
  if (p.col_lower.size() != 0 && p.col_lower.size() != n) check::shape("col_lower", p.col_lower.size(), 1, n, 1);
  if (p.col_upper.size() != 0 && p.col_upper.size() != n) check::shape("col_upper", p.col_upper.size(), 1, n, 1);
  for (int j : p.integers) {
    if (j < 0 || j >= n) check::fail("integers", fmt::format("index {} outside [0, {})", j, n));
  }
}

CoinPackedMatrix packed(const RowMatrix& A) {
  // Column-major, zeros dropped.
  std::vector<CoinBigIndex> start(static_cast<std::size_t>(A.cols()) + 1, 0);
  std::vector<int> index;
  std::vector<double> value;
  for (Index j = 0; j < A.cols(); ++j) {
    for (Index i = 0; i < A.rows(); ++i) {
      if (A(i, j) != 0.0) {
        index.push_back(static_cast<int>(i));
        value.push_back(A(i, j));
      }
    }
    start[static_cast<std::size_t>(j) + 1] = static_cast<CoinBigIndex>(index.size());
  }
  return CoinPackedMatrix(true, static_cast<int>(A.rows()), static_cast<int>(A.cols()),
                          static_cast<CoinBigIndex>(index.size()), value.data(), index.data(), start.data(), nullptr);
}

// An LP's solution does not change when its objective is scaled, and Clp's tolerances are
// absolute: it asserts (aborts the process) on objective coefficients above 1e25, and reduced
// costs below its dual tolerance (1e-7) count as zero, so an objective of daily covariance size
// (1e-8) over free variables came back "optimal" at x = (-2e15, 2e15). The LP solver's objective
// is divided by its largest entry (solve_lp; the MILP keeps Cbc's absolute gaps on huge ones only).
double objective_scale(const Eigen::VectorXd& c) {
  const double top = c.size() ? c.cwiseAbs().maxCoeff() : 0.0;
  return top > 1e12 ? top : 1.0;
}
double unit_objective_scale(const Eigen::VectorXd& c) {
  const double top = c.size() ? c.cwiseAbs().maxCoeff() : 0.0;
  return top > 0 && std::isfinite(top) ? top : 1.0;
}

}  // namespace

LpResult solve_lp(const LpProblem& p, double time_limit) {
  check_problem(p);
  const auto started = std::chrono::steady_clock::now();
  const Index n = p.objective.size(), m = p.matrix.rows();
  ClpSimplex model;
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  const auto cl = coin_vector(p.col_lower, n, -std::numeric_limits<double>::infinity());
  const auto cu = coin_vector(p.col_upper, n, std::numeric_limits<double>::infinity());
  const auto rl = coin_vector(p.row_lower, m, -std::numeric_limits<double>::infinity());
  const auto ru = coin_vector(p.row_upper, m, std::numeric_limits<double>::infinity());
  const double scale = unit_objective_scale(p.objective);
  std::vector<double> c(p.objective.data(), p.objective.data() + n);
  for (double& v : c) v /= scale;
  const CoinPackedMatrix A = packed(p.matrix);
  model.loadProblem(A, cl.data(), cu.data(), c.data(), rl.data(), ru.data());
  if (time_limit > 0) model.setMaximumSeconds(time_limit);
  if (p.primal_simplex) {
    model.primal();
  } else {
    model.dual();
    if (model.status() == 4 || model.status() == 5) model.primal();  // numerical trouble in the dual
  }  // numerical trouble in the dual: try the primal
  LpResult result;
  result.x = Eigen::Map<const Eigen::VectorXd>(model.primalColumnSolution(), n);
  result.row_duals = scale * Eigen::Map<const Eigen::VectorXd>(model.dualRowSolution(), m);
  result.row_activity = Eigen::Map<const Eigen::VectorXd>(model.primalRowSolution(), m);
  result.objective = scale == 1.0 ? model.objectiveValue() : p.objective.dot(result.x);
  const int it = model.numberIterations();
  switch (model.status()) {
    case 0: result.status = Status::make(StatusCode::converged, "optimal", it); break;
    case 1: result.status = Status::make(StatusCode::infeasible, "the LP is infeasible", it); break;
    case 2: result.status = Status::make(StatusCode::unbounded, "the LP is unbounded", it); break;
    case 3:
      result.status = Status::make(time_limit > 0 ? StatusCode::time_limit : StatusCode::iteration_limit,
                                   "Clp stopped at its limit", it);
      break;
    default:
      result.status = Status::make(StatusCode::numerical_failure,
                                   fmt::format("Clp stopped with status {} (numerical difficulties)", model.status()), it);
  }
  result.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

LpResult solve_milp(const LpProblem& p, double time_limit, int max_nodes) {
  check_problem(p);
  check::integer_at_least("max_nodes", max_nodes, 1);
  const auto started = std::chrono::steady_clock::now();
  const Index n = p.objective.size(), m = p.matrix.rows();
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.getModelPtr()->setLogLevel(0);
  const auto cl = coin_vector(p.col_lower, n, -std::numeric_limits<double>::infinity());
  const auto cu = coin_vector(p.col_upper, n, std::numeric_limits<double>::infinity());
  const auto rl = coin_vector(p.row_lower, m, -std::numeric_limits<double>::infinity());
  const auto ru = coin_vector(p.row_upper, m, std::numeric_limits<double>::infinity());
  const double scale = objective_scale(p.objective);
  std::vector<double> c(p.objective.data(), p.objective.data() + n);
  for (double& v : c) v /= scale;
  solver.loadProblem(packed(p.matrix), cl.data(), cu.data(), c.data(), rl.data(), ru.data());
  for (int j : p.integers) solver.setInteger(j);
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
  CglProbing probing;
  probing.setUsingObjective(true);
  CglGomory gomory;
  CglMixedIntegerRounding2 mir;
  model.addCutGenerator(&probing, -1, "Probing");
  model.addCutGenerator(&gomory, -1, "Gomory");
  model.addCutGenerator(&mir, -1, "MIR");
  CbcRounding rounding(model);
  model.addHeuristic(&rounding);
  if (time_limit > 0) model.setMaximumSeconds(time_limit);
  model.setMaximumNodes(max_nodes);
  model.branchAndBound();
  LpResult result;
  result.best_bound = scale * model.getBestPossibleObjValue();
  const bool has_solution = model.bestSolution() != nullptr;
  if (has_solution) {
    result.x = Eigen::Map<const Eigen::VectorXd>(model.bestSolution(), n);
    for (int j : p.integers) result.x(j) = std::round(result.x(j));
    result.objective = p.objective.dot(result.x);
    result.row_activity = m > 0 ? Eigen::VectorXd(p.matrix * result.x) : Eigen::VectorXd();
  }
  const int nodes = model.getNodeCount();
  if (model.isProvenOptimal() && has_solution) {
    result.status = Status::make(StatusCode::converged, "optimal", nodes);
  } else if (model.isProvenInfeasible() || (!has_solution && model.status() == 0)) {
    result.status = Status::make(StatusCode::infeasible, "the integer program is infeasible", nodes);
  } else if (model.isContinuousUnbounded()) {
    result.status = Status::make(StatusCode::unbounded, "the integer program is unbounded", nodes);
  } else if (has_solution) {
    result.status = Status::make(model.isSecondsLimitReached() ? StatusCode::time_limit : StatusCode::iteration_limit,
                                 fmt::format("CBC stopped at its {} limit with an integer solution {:.6g} and bound "
                                             "{:.6g}",
                                             model.isSecondsLimitReached() ? "time" : "node", result.objective,
                                             result.best_bound),
                                 nodes);
  } else {
    result.status = Status::make(StatusCode::numerical_failure, "CBC stopped without an integer solution", nodes);
  }
  result.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace bankquant::portfolio
