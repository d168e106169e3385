// The primal active-set engine behind solve_qp (qp.hpp), the exact efficient frontier
// (frontier.cpp) and branch and bound (mean_variance.cpp). Private to src/.
//
// State: a feasible x, the working set (variables fixed at a bound, the equalities, the active
// inequalities) and a Cholesky factor of M = H_FF + rho A_W' A_W over the free variables F.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <Eigen/QR>

#include "bankquant/portfolio/qp.hpp"

namespace bankquant::portfolio::detail {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

/// Read access to a dense or factor-form H.
class HessianView {
 public:
  explicit HessianView(const QpProblem& p);
  [[nodiscard]] Index size() const { return n_; }
  [[nodiscard]] double operator()(Index i, Index j) const;
  [[nodiscard]] double diagonal(Index j) const { return diagonal_(j); }
  /// out[r] = H(rows[r], j).
  void column(Index j, const std::vector<Index>& rows, double* out) const;
  /// y += alpha * H(:, cols) * v.
  void add_columns_times(const std::vector<Index>& cols, const VectorXd& v, double alpha, VectorXd& y) const;
  [[nodiscard]] VectorXd times(const VectorXd& x) const;
  [[nodiscard]] double max_diagonal() const { return max_diagonal_; }

 private:
  const MatrixXd* dense_ = nullptr;
  const FactorHessian* factor_ = nullptr;
  MatrixXd bf_;  // B F (n x k)
  VectorXd diagonal_;
  Index n_ = 0;
  double max_diagonal_ = 0.0;
};

/// A lower-triangular Cholesky factor that grows and shrinks by one row and column, and takes
/// rank-one updates (row-major storage with spare capacity).
class UpdatableCholesky {
 public:
  void reset(Index capacity);
  [[nodiscard]] Index size() const { return k_; }
  /// Appends the row for a new last variable with M column `column` (k entries) and diagonal
  /// `diagonal`. Returns false when the pivot was below `pivot_tolerance` and replaced by
  /// `regularisation` (a zero-curvature direction).
  bool append(const double* column, double diagonal, double pivot_tolerance, double regularisation);
  /// Removes variable `pos` (Givens rotations restore the triangle).
  void remove(Index pos);
  /// L L' += sign * v v'; returns false if a downdate would lose definiteness (L unchanged then
  /// only up to the failing column: the caller refactors).
  bool rank_one(VectorXd v, double sign);
  void solve_lower(double* v) const;  ///< v <- L^-1 v
  void solve_upper(double* v) const;  ///< v <- L^-T v

 private:
  double& at(Index i, Index j) { return data_[static_cast<std::size_t>(i * capacity_ + j)]; }
  [[nodiscard]] const double& at(Index i, Index j) const { return data_[static_cast<std::size_t>(i * capacity_ + j)]; }
  void grow();
  std::vector<double> data_;
  Index capacity_ = 0;
  Index k_ = 0;
};

/// The constraint of `problem` that x violates most, relative to max(1, |bound|) (qp.cpp); an
/// empty name when none is violated. solve_qp reports no violated solution as converged.
struct Violation {
  double relative = 0.0;
  std::string name;
};
[[nodiscard]] Violation worst_violation(const QpProblem& problem, const VectorXd& x);

enum class VarState : std::int8_t { free, lower, upper };

/// The engine. Construct, start(x) at a feasible point, run(); then read the state or move along
/// a parametric path (frontier.cpp) with the primitives below.
class ActiveSet {
 public:
  ActiveSet(const QpProblem& problem, const QpOptions& options);

  /// Initial working set at feasible x (bounds and rows within tolerance are taken as active).
  void start(const VectorXd& x);
  /// Iterates to optimality; the status says how it ended.
  Status run(std::chrono::steady_clock::time_point deadline, bool has_deadline);
  /// Fills the result's solution, multipliers and active sets (status set by the caller).
  void fill(QpResult& result);

  // --- primitives (public for the parametric frontier) ---
  /// Solves M p - A_W,F' lambda = rhs_F, A_W,F p = 0 on the current working set: the step for
  /// rhs = -gradient, the path direction for rhs = mu.
  void solve_kkt(const VectorXd& rhs_free, VectorXd& p_free, VectorXd& lambda);
  /// Gathers v over the free variables.
  [[nodiscard]] VectorXd gather_free(const VectorXd& v) const;
  /// Multipliers of the fixed variables given the working-row multipliers: g_j - A_W(:, j)' lambda.
  [[nodiscard]] VectorXd fixed_multipliers(const VectorXd& g, const VectorXd& lambda) const;
  void free_variable(Index j);
  void fix_variable(Index j, VarState side);
  void add_row(Index i, int side);
  void drop_row(Index i);
  void refactor();
  /// Moves x by alpha * p (p over the free variables), updating the gradient and row activities.
  void move(const VectorXd& p_free, double alpha);
  void set_linear(const VectorXd& c);  ///< replaces c and recomputes the gradient

  // --- state ---
  const QpProblem& problem;
  HessianView H;
  Index n, me, mi;
  VectorXd lower, upper, c, x, g, ax;
  std::vector<VarState> state;
  std::vector<Index> free_list;
  std::vector<Index> position;   // index in free_list, or -1
  std::vector<Index> active;     // inequality rows in the working set
  std::vector<int> side;         // per inequality row: 0, -1 (at lower), +1 (at upper)
  std::vector<char> equality_kept;  // equalities independent of the others (dependent ones are dropped)
  int iterations = 0;
  int regularised = 0;
  double rho = 1.0;
  double dual_tolerance = 0.0;

 private:
  [[nodiscard]] Index working_rows() const;
  /// The working rows restricted to the free variables (rows x |F|).
  [[nodiscard]] RowMatrix working_matrix() const;
  void working_row(Index r, std::vector<double>& full) const;  // the r-th working row, all n entries
  [[nodiscard]] double row_bound(Index i, int side) const;
  void ensure_full_rank();
  void restore_working_feasibility();
  void append_free(Index j);

  const QpOptions& options_;
  UpdatableCholesky chol_;
  double feasibility_tolerance_ = 0.0;
  double pivot_tolerance_ = 0.0;
  double regularisation_ = 0.0;
};

}  // namespace bankquant::portfolio::detail
