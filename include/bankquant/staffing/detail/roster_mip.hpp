// bankquant/staffing/detail/roster_mip.hpp — the roster's integer program as plain arrays.
//
// Breaks are implicit (Bechtold and Jacobs 1990): counted per template, break and position, not
// per shift; forward and backward rows guarantee they can be dealt out to the shifts.
// Internal (not in the umbrella header): roster.cpp solves it with CBC; plain arrays so another
// solver (GLPK was compared during development) can take the very same program.
#pragma once

#include <string>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/staffing/roster.hpp"

namespace bankquant::staffing::detail {

/// A mixed-integer program: minimise objective . x subject to row_lower <= A x <= row_upper,
/// col_lower <= x <= col_upper, integer where flagged. A is stored by columns (CSC).
struct MipModel {
  std::vector<double> objective, col_lower, col_upper;
  std::vector<char> integer;
  std::vector<double> row_lower, row_upper;
  std::vector<int> col_starts{0};
  std::vector<int> row_index;
  std::vector<double> values;

  [[nodiscard]] int cols() const { return static_cast<int>(objective.size()); }
  [[nodiscard]] int rows() const { return static_cast<int>(row_lower.size()); }
};

/// What each column of the roster's program means.
struct RosterMip {
  MipModel mip;
  struct ShiftColumn {
    int column, day, template_index, start;
  };
  struct BreakColumn {  // breaks j of template k on a day starting at `start`, whichever shift takes them
    int column, day, template_index, break_index, start;
  };
  std::vector<ShiftColumn> shift_columns;
  std::vector<BreakColumn> break_columns;
  std::vector<int> under_columns;      // per day x interval; -1 where there is none
  std::vector<int> employee_columns;   // per contract
  std::vector<std::string> contract_names;
  std::vector<int> template_contract;  // contract index of each template
  int budget_row = -1;
  int total_head_count_row = -1;
};

/// Builds the program (the problem and options are validated first).
[[nodiscard]] BANKQUANT_EXPORT RosterMip build_roster_mip(const RosterProblem& problem, const RosterOptions& options);

}  // namespace bankquant::staffing::detail
