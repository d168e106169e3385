// bankquant/staffing/roster.hpp — the cheapest shifts that cover a staffing requirement.
//
// The planning horizon is `days` days of `intervals_per_day` intervals each (a week of 15-minute
// intervals, say); the requirement, the opening hours and the minimum and maximum staff are given
// per day and interval. Shift templates say how long a shift is, when it may start (a window and a
// step), its breaks (each a length, paid or unpaid, and a window for its start measured from the
// shift's start), its cost per paid interval, the days it may be worked and its contract.
// Contracts (full-time, part-time, ...) bound the days each employee works in the horizon and the
// head count. Shifts lie within opening hours.
//
// The integer program (COIN-OR CBC: Clp for the LP relaxations, CglPreProcess, Cgl cuts, CBC's
// heuristics and branch-and-cut; chosen over GLPK 5.0, which found no roster of a branch's week in
// 30 s where CBC found one within a second — measured during development, the comparison program is
// not in the tree; benchmarks/cases/staffing.py compares against python3-pulp + CBC on one model):
//   x[d,k,s] >= 0 integer   shifts of template k starting at s on day d
//   w[d,k,j,p] >= 0 int     breaks j of template k's shifts starting at p. Breaks are implicit
//                           (Bechtold and Jacobs 1990, "Implicit modeling of flexible break
//                           assignments in optimal shift scheduling"): counted per position, not per
//                           shift, with forward rows sum_{p <= s0 + latest} w >= sum_{s <= s0} x and
//                           backward rows sum_{p >= s0 + earliest} w >= sum_{s >= s0} x and
//                           sum_p w = sum_s x. A template's windows are translates of each other, so
//                           these are Hall's condition and the breaks can always be dealt out (earliest
//                           window end first). Against Aykin's per-shift break variables (tried first)
//                           the program has a third of the columns, the same LP bound, and CBC finds
//                           far better rosters in the same time.
//   working[d,t] = sum x[d,k,s] (t in the shift) - sum w (t in the break)
//   working[d,t] + under[d,t] >= requirement[d,t]; min_staff <= working <= max_staff
//   per contract c: sum_{k in c} x[d,k,.] <= E_c every day d;
//                   min_days E_c <= sum_{d, k in c} x[d,k,.] <= max_days E_c;  E_c <= max_head_count_c
//   sum_c E_c <= max_head_count; sum cost x <= budget
//   minimise sum cost x + under_cover_penalty sum under
// How it is solved. The days are separate programs unless contracts, head counts or the budget
// tie them; each day is solved alone first, in parallel (a day's program is small enough for
// branch-and-cut to search well). Untied, that is the answer; tied, the days' shifts are completed
// for the contracts (their minimum days) and start the whole horizon's search. Every solve starts
// from a greedy roster built from the LP relaxation (shifts rounded, what is short repaired by the
// shift covering most shortfall per cost, breaks where cover is most plentiful, redundant shifts
// dropped) improved by ruin-and-recreate local search (Schrimpf et al. 2000) on a fixed random
// stream: CBC's own heuristics found no feasible roster of a large call centre's week in a minute.
// The search stops at relative_gap (1% by default) or the time limit; the result reports the root
// LP bound, the proven bound and the gap. Measured during development (not yet in
// benchmarks/RESULTS.md): a call centre's week (about 170 staff at peak) within 0.4% in about 8 s;
// a branch's week (about 12 staff) within 1.5-3% at a 20-60 s limit — CBC does not close small
// branches' gaps quickly.
// The day-count constraints are exact, not a relaxation: with E_c employees and at most E_c shifts
// a day, dealing the shifts out day by day in turn (McNaughton's wrap-around) gives every employee
// floor or ceil of the total / E_c days, none twice on one day — the result's employee numbers.
// An employee may work different templates of their contract on different days; consecutive days
// off and weekly hours are not modelled.
//
// Under-cover is allowed only at a finite under_cover_penalty (cost per staff-interval short, on
// the scale of cost_per_interval); it is reported per interval. Without it, a requirement the caps
// (head count, budget, maximum staff) cannot meet is an error that names the cap and the intervals
// left short (found by re-solving the LP relaxation with elastic cover).
//
// The result carries the optimum (or the best found at the time limit), the root LP bound, CBC's
// proven bound and the relative gap between them, and the status: converged (gap within
// relative_gap), time_limit (best so far, gap reported), infeasible. CBC runs single-threaded;
// results are identical for any thread count unless a time limit stops the search (the days'
// share of the time depends on how many run at once). solve_rosters solves many problems
// (branches) in parallel.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

namespace bankquant::staffing {

struct ShiftBreak {
  int length = 1;
  bool paid = false;
  int earliest_start = 0;
  int latest_start = 0;

  static constexpr auto fields() {
    return std::tuple{field("length", &ShiftBreak::length, "intervals"),
                      field("paid", &ShiftBreak::paid, "paid break (its intervals cost like work)"),
                      field("earliest_start", &ShiftBreak::earliest_start, "earliest start, intervals after the shift starts"),
                      field("latest_start", &ShiftBreak::latest_start, "latest start, intervals after the shift starts")};
  }
};

struct ShiftTemplate {
  std::string name = "shift";
  int length = 1;
  int earliest_start = 0;
  int latest_start = 0;
  int start_step = 1;
  std::vector<ShiftBreak> breaks;
  double cost_per_interval = 1.0;
  std::string contract = "full_time";
  std::vector<int> days;

  /// Paid intervals of one shift: length minus its unpaid breaks.
  [[nodiscard]] int paid_intervals() const {
    int paid = length;
    for (const auto& b : breaks) paid -= b.paid ? 0 : b.length;
    return paid;
  }

  static constexpr auto fields() {
    return std::tuple{
        field("name", &ShiftTemplate::name, "template name (unique)"),
        field("length", &ShiftTemplate::length, "intervals from start to end, breaks included"),
        field("earliest_start", &ShiftTemplate::earliest_start, "earliest start, interval of the day"),
        field("latest_start", &ShiftTemplate::latest_start, "latest start, interval of the day"),
        field("start_step", &ShiftTemplate::start_step, "starts every start_step intervals from earliest_start"),
        field("breaks", &ShiftTemplate::breaks, "breaks in shift order; their start windows must not overlap"),
        field("cost_per_interval", &ShiftTemplate::cost_per_interval, "cost of one paid interval, in [0, 1e12]"),
        field("contract", &ShiftTemplate::contract, "the contract of whoever works it"),
        field("days", &ShiftTemplate::days, "days it may be worked (0-based); empty for every day")};
  }
};

struct Contract {
  std::string name = "full_time";
  int min_days = 0;
  int max_days = std::numeric_limits<int>::max();
  int max_head_count = std::numeric_limits<int>::max();

  static constexpr auto fields() {
    return std::tuple{field("name", &Contract::name, "contract name, as templates refer to it"),
                      field("min_days", &Contract::min_days, "fewest days an employee works in the horizon"),
                      field("max_days", &Contract::max_days, "most days an employee works in the horizon"),
                      field("max_head_count", &Contract::max_head_count, "most employees on this contract")};
  }
};

struct RosterProblem {
  int days = 1;
  int intervals_per_day = 1;
  std::vector<double> requirement;
  std::vector<int> open;
  std::vector<int> min_staff;
  std::vector<int> max_staff;
  std::vector<ShiftTemplate> templates;
  std::vector<Contract> contracts;

  /// Checks shapes (days x intervals_per_day, row-major), the templates and contracts, and that
  /// every interval that needs staff can be covered by some template; errors name the argument.
  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("days", &RosterProblem::days, "days in the horizon"),
        field("intervals_per_day", &RosterProblem::intervals_per_day, "intervals in each day's grid"),
        field("requirement", &RosterProblem::requirement, "staff wanted, days x intervals_per_day, row-major"),
        field("open", &RosterProblem::open, "1 where open, 0 where closed (empty: open throughout)"),
        field("min_staff", &RosterProblem::min_staff, "fewest staff working (empty: 0)"),
        field("max_staff", &RosterProblem::max_staff, "most staff working (empty: no cap)"),
        field("templates", &RosterProblem::templates, "the shift templates"),
        field("contracts", &RosterProblem::contracts,
              "the contracts the templates name (a name without an entry has no day or head-count limit)")};
  }
};

struct RosterOptions {
  double under_cover_penalty = std::numeric_limits<double>::infinity();
  int max_head_count = std::numeric_limits<int>::max();
  double budget = std::numeric_limits<double>::infinity();
  double relative_gap = 0.01;
  double time_limit = 60.0;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("under_cover_penalty", &RosterOptions::under_cover_penalty,
              "cost of one staff-interval short of the requirement, up to 1e12; inf: the requirement is a hard constraint"),
        field("max_head_count", &RosterOptions::max_head_count, "most employees over all contracts"),
        field("budget", &RosterOptions::budget, "most total shift cost; inf for none"),
        field("relative_gap", &RosterOptions::relative_gap,
              "stop when (cost - bound) / cost is below this (1%: a planning roster's accuracy; CBC closes "
              "the last fraction of a percent slowly on weeks of whole staff)"),
        field("time_limit", &RosterOptions::time_limit, "seconds before the best roster found is returned")};
  }
};

/// One person's shift on one day.
struct AssignedShift {
  int day = 0;
  int template_index = 0;
  int start = 0;
  int end = 0;
  std::vector<int> break_starts;
  int employee = 0;

  static constexpr auto fields() {
    return std::tuple{field("day", &AssignedShift::day, "day of the horizon"),
                      field("template_index", &AssignedShift::template_index, "index into the problem's templates"),
                      field("start", &AssignedShift::start, "first interval"),
                      field("end", &AssignedShift::end, "one past the last interval"),
                      field("break_starts", &AssignedShift::break_starts, "start of each break, in template order"),
                      field("employee", &AssignedShift::employee,
                            "employee number within the contract (wrap-around assignment)")};
  }
};

struct RosterResult {
  std::vector<AssignedShift> shifts;
  std::vector<double> working;
  std::vector<double> under_cover;
  std::vector<double> over_cover;
  std::vector<std::string> contract_names;
  std::vector<int> employees;
  double cost = 0.0;
  double shift_cost = 0.0;
  double under_cover_cost = 0.0;
  double lp_bound = 0.0;
  double best_bound = 0.0;
  double gap = 0.0;
  int variables = 0;
  int constraints = 0;
  Status status;

  static constexpr auto fields() {
    return std::tuple{
        field("shifts", &RosterResult::shifts, "one entry per person and day worked"),
        field("working", &RosterResult::working, "staff working (not on break), days x intervals_per_day"),
        field("under_cover", &RosterResult::under_cover, "requirement minus working where positive"),
        field("over_cover", &RosterResult::over_cover, "working minus requirement where positive"),
        field("contract_names", &RosterResult::contract_names, "contracts, in the order of employees"),
        field("employees", &RosterResult::employees, "head count per contract"),
        field("cost", &RosterResult::cost, "objective: shift cost plus under-cover penalties"),
        field("shift_cost", &RosterResult::shift_cost, "cost of the shifts"),
        field("under_cover_cost", &RosterResult::under_cover_cost, "penalty paid for under-cover"),
        field("lp_bound", &RosterResult::lp_bound, "optimum of the LP relaxation (root): no roster costs less"),
        field("best_bound", &RosterResult::best_bound, "the best lower bound CBC proved"),
        field("gap", &RosterResult::gap, "(cost - best_bound) / cost"),
        field("variables", &RosterResult::variables, "columns of the integer program"),
        field("constraints", &RosterResult::constraints, "rows of the integer program"),
        field("status", &RosterResult::status, "converged (gap within relative_gap), time_limit or infeasible")};
  }
};

/// The cheapest roster. Throws InvalidArgument for a malformed problem, a requirement no template
/// can cover, and (with a hard requirement) caps that leave intervals short, naming the cap.
[[nodiscard]] BANKQUANT_EXPORT RosterResult solve_roster(const RosterProblem& problem, const RosterOptions& options);

/// solve_roster for each problem (e.g. each branch), in parallel; every problem is checked first.
[[nodiscard]] BANKQUANT_EXPORT std::vector<RosterResult> solve_rosters(std::span<const RosterProblem> problems,
                                                                       const RosterOptions& options);

}  // namespace bankquant::staffing
