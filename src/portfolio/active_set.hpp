// The primal active-set engine behind solve_qp (qp.hpp), the exact efficient frontier
// (frontier.cpp) and branch and bound (mean_variance.cpp). Private to src/.
//
// State: a feasible x, the working set (variables fixed at a bound, the equalities, the active
// inequalities) and a Cholesky factor of M = H_FF + rho A_W' A_W over the free variables F.
//
// Inertia control (Gill, Murray, Saunders and Wright 1990; Nocedal and Wright, 2nd ed., 16.5): the
// factor is kept definite, i.e. the reduced Hessian on the working set positive definite. A
// variable whose column would make it singular (a duplicated asset, a riskless one, a rank-deficient
// covariance) opens a direction d of zero curvature with A_W d = 0; enter() follows d, oriented
// downhill, to the first constraint that blocks it (a ratio test over every free variable, the
// entering one included, and every inactive row, with no step limit), adds that constraint and
// retries. Only a descent direction that nothing blocks is unbounded. A direction along which the
// objective is flat and that nothing blocks (possible only without bounds) pins the variable where
// it is: a temporary bound whose multiplier is zero (SQOPT's temporary bounds, Gill, Murray and
// Saunders 2005).
#pragma once

#include <chrono>
#include <utility>
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
  /// `diagonal`. Returns false, leaving the factor as it was, when the pivot would not exceed
  /// `pivot_tolerance` (the new column is dependent: a direction of zero curvature).
  bool append(const double* column, double diagonal, double pivot_tolerance);
  /// Removes variable `pos` (Givens rotations restore the triangle).
  void remove(Index pos);
  /// L L' += sign * v v'; returns false if a downdate would bring a pivot to `pivot_tolerance` or
  /// below (L is then changed up to the failing column: the caller refactors).
  bool rank_one(VectorXd v, double sign, double pivot_tolerance);
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

/// pinned: held where it is (not at a bound) by a temporary bound, see enter().
enum class VarState : std::int8_t { free, lower, upper, pinned };

/// What enter() did with a variable.
enum class Entry : std::int8_t {
  entered,    ///< free, the factor definite
  held,       ///< not free: at a bound, or pinned, after following its zero-curvature direction
  unbounded,  ///< its zero-curvature direction descends and no constraint blocks it
};

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
  /// Frees a fixed (or pinned) variable through enter(); `tie` as there.
  Entry free_variable(Index j, const VectorXd* tie = nullptr);
  /// Brings variable j (not in the free list) into it. When its column is dependent (the reduced
  /// Hessian would be singular), follows the direction of zero curvature it opens (see the file
  /// comment); along a flat one, `tie` (n values, or null) orients it as a linear term would
  /// (the parametric frontier passes -mu), and if that is flat too, a variable at a bound stays
  /// there and is not offered again until the working set changes (rejected).
  Entry enter(Index j, const VectorXd* tie = nullptr);
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
  std::vector<char> rejected;    // per variable: enter() left it at its bound (flat); cleared on changes
  bool unbounded = false;        // enter() found an unblocked descent direction of zero curvature
  std::string unbounded_message;
  int iterations = 0;
  double rho = 1.0;
  double dual_tolerance = 0.0;

  /// Ratio test of one variable: the step along which variable q, moving at `rate`, meets its
  /// first bound (inf when none; |rate| <= tiny does not move it) and which bound.
  [[nodiscard]] std::pair<double, VarState> bound_step(Index q, double rate, double tiny) const;
  /// Ratio test of one inactive row: the step along which row i, moving at `rate` (A_i p) for a
  /// direction of max-norm `norm`, meets a side (inf when none; |rate| within 1e-13 |A_i|_inf
  /// norm does not move it) and which side (+1 upper, -1 lower, 0 none).
  [[nodiscard]] std::pair<double, int> row_step(Index i, double rate, double norm) const;

 private:
  [[nodiscard]] Index working_rows() const;
  /// The working rows restricted to the free variables (rows x |F|).
  [[nodiscard]] RowMatrix working_matrix() const;
  void working_row(Index r, std::vector<double>& full) const;  // the r-th working row, all n entries
  [[nodiscard]] double row_bound(Index i, int side) const;
  void ensure_full_rank();
  void restore_working_feasibility();
  /// Appends j to the free list and the factor; false (nothing changed) when its pivot is not positive.
  bool append_free(Index j);
  /// The direction d of zero curvature that j's column opens: d_j = 1, d_F with A_W d = 0 and
  /// minimal d'Hd (the factor over F is definite). Returns d over F (d_j = 1 implied) and d'Hd.
  double zero_curvature_direction(Index j, VectorXd& d_free);
  /// Rebuilds the factor over free_list; variables whose pivot fails go through enter().
  void rebuild(const std::vector<Index>& list);

  const QpOptions& options_;
  UpdatableCholesky chol_;
  double feasibility_tolerance_ = 0.0;
  double pivot_tolerance_ = 0.0;
};

}  // namespace bankquant::portfolio::detail
