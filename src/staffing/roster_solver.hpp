// Private to src/staffing: the MIP and LP solves behind the roster (COIN-OR CBC and Clp), so
// their headers stay out of every other file.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "bankquant/staffing/detail/roster_mip.hpp"

namespace bankquant::staffing::detail {

struct MipSolution {
  std::vector<double> solution;  // empty when none was found
  double lp_bound = 0.0;         // the root LP relaxation's optimum
  double best_bound = 0.0;       // the best bound branch-and-cut proved
  bool proven_infeasible = false;
  bool time_limit_reached = false;
  int nodes = 0;
};

/// Makes a feasible integer solution from the LP relaxation's solution (empty when it cannot).
using IncumbentHeuristic = std::function<std::vector<double>(const std::vector<double>& lp_solution)>;

/// Branch-and-cut with CBC, single-threaded, deterministic below the time limit. The incumbent
/// heuristic runs on the root LP solution; when its roster is already within relative_gap of the
/// LP bound, CBC is not needed.
MipSolution solve_mip(const MipModel& model, double relative_gap, double time_limit,
                      const IncumbentHeuristic& incumbent = {});

/// The LP relaxation's optimal solution, or nothing when it is infeasible.
std::optional<std::vector<double>> solve_lp(const MipModel& model);

/// Whether the LP relaxation is feasible.
bool lp_feasible(const MipModel& model);

}  // namespace bankquant::staffing::detail
