#include "roster_solver.hpp"

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <limits>
#include <memory>

#include <CbcHeuristic.hpp>
#include <CbcHeuristicDiveCoefficient.hpp>
#include <CbcHeuristicFPump.hpp>
#include <CbcHeuristicRINS.hpp>
#include <CbcModel.hpp>
#include <CglClique.hpp>
#include <CglFlowCover.hpp>
#include <CglGomory.hpp>
#include <CglKnapsackCover.hpp>
#include <CglMixedIntegerRounding2.hpp>
#include <CglProbing.hpp>
#include <CglPreProcess.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

namespace bankquant::staffing::detail {
namespace {

double coin_bound(double v) {
  if (v == std::numeric_limits<double>::infinity()) return COIN_DBL_MAX;
  if (v == -std::numeric_limits<double>::infinity()) return -COIN_DBL_MAX;
  return v;
}

void load(OsiClpSolverInterface& solver, const MipModel& m, bool with_integers) {
  std::vector<double> cl(m.col_lower.size()), cu(m.col_upper.size()), rl(m.row_lower.size()), ru(m.row_upper.size());
  for (std::size_t i = 0; i < cl.size(); ++i) {
    cl[i] = coin_bound(m.col_lower[i]);
    cu[i] = coin_bound(m.col_upper[i]);
  }
  for (std::size_t i = 0; i < rl.size(); ++i) {
    rl[i] = coin_bound(m.row_lower[i]);
    ru[i] = coin_bound(m.row_upper[i]);
  }
  std::vector<int> lengths(static_cast<std::size_t>(m.cols()));
  for (int j = 0; j < m.cols(); ++j) lengths[static_cast<std::size_t>(j)] = m.col_starts[static_cast<std::size_t>(j) + 1] - m.col_starts[static_cast<std::size_t>(j)];
  const CoinPackedMatrix matrix(true, m.rows(), m.cols(), static_cast<CoinBigIndex>(m.values.size()), m.values.data(),
                                m.row_index.data(), m.col_starts.data(), lengths.data());
  solver.loadProblem(matrix, cl.data(), cu.data(), m.objective.data(), rl.data(), ru.data());
  if (with_integers) {
    for (int j = 0; j < m.cols(); ++j) {
      if (m.integer[static_cast<std::size_t>(j)]) solver.setInteger(j);
    }
  }
  solver.messageHandler()->setLogLevel(0);
  solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
}

struct CbcOutcome {
  std::vector<double> solution;
  double best_bound = 0.0;
  bool proven_infeasible = false;
  bool time_limit_reached = false;
  int nodes = 0;
};

// Branch-and-cut on a loaded solver (its LP solved), from an optional start: CglPreProcess first
// (as CBC's own driver does; on a call-centre day its presolved program let the coefficient dive
// find the optimum at the root, where the raw program needed hundreds of nodes), then CBC on the
// presolved program, and the solution mapped back.
CbcOutcome run_cbc(OsiClpSolverInterface& solver, double relative_gap, double time_limit,
                   const std::vector<double>& start, double start_cost) {
  CbcOutcome out;
  CglPreProcess process;
  process.messageHandler()->setLogLevel(0);
  OsiSolverInterface* presolved = process.preProcess(solver, false, 5);
  if (presolved == nullptr) {
    out.proven_infeasible = true;
    return out;
  }
  presolved->messageHandler()->setLogLevel(0);
  presolved->resolve();
  CbcModel cbc(*presolved);
  // Silent: the model's own messages and those of the sub-models RINS starts (they inherit this).
  cbc.setLogLevel(0);
  cbc.messageHandler()->setLogLevel(0);
  cbc.solver()->messageHandler()->setLogLevel(0);
  CglProbing probing;
  probing.setUsingObjective(true);
  probing.setMaxPass(1);
  probing.setMaxPassRoot(5);
  probing.setMaxProbe(10);
  probing.setMaxProbeRoot(50);
  probing.setMaxLook(10);
  probing.setMaxLookRoot(50);
  probing.setMaxElements(200);
  probing.setRowCuts(3);
  CglGomory gomory;
  // Short Gomory cuts only: long ones (a week's cuts ran to 1,500 entries) slow every LP more than
  // they raise the bound.
  gomory.setLimit(50);
  gomory.setLimitAtRoot(100);
  CglKnapsackCover knapsack;
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  CglMixedIntegerRounding2 mir;
  CglFlowCover flow;
  cbc.addCutGenerator(&probing, -1, "Probing");
  cbc.addCutGenerator(&gomory, -1, "Gomory");
  cbc.addCutGenerator(&knapsack, -1, "Knapsack");
  cbc.addCutGenerator(&clique, -1, "Clique");
  cbc.addCutGenerator(&mir, -1, "MixedIntegerRounding2");
  cbc.addCutGenerator(&flow, -1, "FlowCover");
  CbcRounding rounding(cbc);
  CbcHeuristicFPump pump(cbc);
  pump.setMaximumPasses(30);
  CbcHeuristicRINS rins(cbc);
  CbcHeuristicDiveCoefficient dive(cbc);
  cbc.addHeuristic(&rounding);
  cbc.addHeuristic(&pump);
  cbc.addHeuristic(&rins);
  cbc.addHeuristic(&dive);
  cbc.setAllowableFractionGap(relative_gap);
  cbc.setMaximumSeconds(time_limit);
  cbc.setUseElapsedTime(true);
  cbc.setNumberThreads(0);
  // Strong branching on 5 candidates, no reliability phase: on the call centre's days this found
  // rosters within 1% in under a second, where reliability branching spent its first seconds
  // initialising pseudo-costs.
  cbc.setNumberStrong(5);
  cbc.setNumberBeforeTrust(0);
  if (!start.empty()) {
    // The start in the presolved program's columns (presolve drops fixed columns).
    const int* original = process.originalColumns();
    std::vector<double> mapped(static_cast<std::size_t>(presolved->getNumCols()));
    for (int j = 0; j < presolved->getNumCols(); ++j) mapped[static_cast<std::size_t>(j)] = start[static_cast<std::size_t>(original[j])];
    cbc.setBestSolution(mapped.data(), static_cast<int>(mapped.size()), start_cost, true);
  }
  cbc.analyzeObjective();  // costs on a grid (multiples of 0.1, say) let nodes be pruned by that step
  cbc.branchAndBound();

  out.nodes = cbc.getNodeCount();
  out.time_limit_reached = cbc.isSecondsLimitReached();
  if (cbc.bestSolution() != nullptr) {
    out.best_bound = cbc.getBestPossibleObjValue();
    process.postProcess(*cbc.solver());  // the solution, in the original columns, now in `solver`
    const double* x = solver.getColSolution();
    out.solution.assign(x, x + solver.getNumCols());
  } else {
    out.proven_infeasible = cbc.isProvenInfeasible();
  }
  return out;
}

}  // namespace

std::optional<std::vector<double>> solve_lp(const MipModel& model) {
  OsiClpSolverInterface solver;
  load(solver, model, false);
  solver.initialSolve();
  if (!solver.isProvenOptimal()) return std::nullopt;
  const double* x = solver.getColSolution();
  return std::vector<double>(x, x + model.cols());
}

bool lp_feasible(const MipModel& model) { return solve_lp(model).has_value(); }

MipSolution solve_mip(const MipModel& model, double relative_gap, double time_limit,
                      const IncumbentHeuristic& incumbent) {
  MipSolution out;
  const auto clock_start = std::chrono::steady_clock::now();
  OsiClpSolverInterface solver;
  load(solver, model, true);
  solver.initialSolve();
  if (solver.isProvenPrimalInfeasible() || !solver.isProvenOptimal()) {
    out.proven_infeasible = true;
    return out;
  }
  out.lp_bound = solver.getObjValue();
  std::vector<double> start;
  double start_cost = 0.0;
  if (incumbent) {
    const double* x = solver.getColSolution();
    start = incumbent(std::vector<double>(x, x + model.cols()));
    for (std::size_t j = 0; j < start.size(); ++j) start_cost += model.objective[j] * start[j];
    const double gap = start_cost > 0 ? (start_cost - out.lp_bound) / start_cost : 0.0;
    if (!start.empty() && gap <= relative_gap) {
      out.solution = std::move(start);
      out.best_bound = out.lp_bound;
      return out;
    }
  }

  const double left = time_limit - std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  CbcOutcome run = run_cbc(solver, relative_gap, std::max(0.1, left), start, start_cost);
  out.nodes = run.nodes;
  out.time_limit_reached = run.time_limit_reached;
  if (!run.solution.empty()) {
    out.solution = std::move(run.solution);
    out.best_bound = run.best_bound;
  } else if (run.proven_infeasible) {
    out.proven_infeasible = true;
  }
  return out;
}

}  // namespace bankquant::staffing::detail
