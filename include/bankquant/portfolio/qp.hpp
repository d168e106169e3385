// bankquant/portfolio/qp.hpp — a dense convex quadratic programming solver of our own.
//
//   minimise    1/2 x' H x + c' x
//   subject to  A_eq x = b_eq,   lo <= A_in x <= hi,   lower <= x <= upper   (infinite sides allowed)
//
// with H symmetric positive semi-definite, given dense or in factor form H = B F B' + diag(D)
// (the covariance of a factor model, covariance.hpp). Debian ships no dense QP library for C++,
// so bankquant has its own (Eigen for the linear algebra), with two methods:
//
//   active_set      a primal active-set method (Gill, Murray, Saunders and Wright's inertia-
//                   controlling form; Nocedal and Wright, Numerical Optimization, 2nd ed., ch. 16.5)
//                   that starts at a vertex (phase 1 below) and frees one bound or constraint at a
//                   time. The free variables F carry a Cholesky factor of H_FF + rho A_W' A_W
//                   (A_W the working constraints restricted to F; adding rho A_W' A_W leaves every
//                   step unchanged, since A_W p = 0, and makes the matrix positive definite whenever
//                   the reduced Hessian is), updated in O(|F|^2) per change (appending a row,
//                   deleting one by Givens rotations, rank-one updates for constraints). The factor
//                   is kept definite (inertia control): a variable whose column would make the
//                   reduced Hessian singular (a duplicated asset, a riskless one, a covariance of
//                   low rank) opens a direction of zero curvature, which is followed downhill, with
//                   no step limit, to the first bound or row that blocks it; that constraint joins
//                   the working set. Only a descent direction that nothing blocks is reported
//                   unbounded, so a problem with bounds on every variable never is. Each
//                   iteration costs O(n |F| + |F|^2 + m |F|). Solutions are exact to rounding
//                   (a vertex of the optimality conditions, not an interior approximation), warm
//                   starts from a given point are cheap, and the final working set is the list of
//                   binding constraints.
//   interior_point  Mehrotra's primal-dual predictor-corrector (Mehrotra 1992; Nocedal and Wright
//                   ch. 16.6). Each iteration solves (H + diag + A_in' diag A_in) dx = r: by
//                   Cholesky for dense H (O(n^3)), or, for a factor-form H, by the
//                   Sherman-Morrison-Woodbury identity in O(n (k + m_in)^2), never forming an n x n
//                   matrix. Stops at a relative duality gap and residuals of `ipm_tolerance`.
//   auto            (the default) interior_point for a factor-form H, active_set otherwise.
//
// Why both, by measurement (benchmarks/RESULTS.md, the portfolio section): long-only minimum
// variance on real covariance matrices holds few assets (a few dozen of 500), so the active-set
// method's work grows with the assets held, not with n: it is one to two orders of magnitude
// faster than an interior-point method, which factors an n x n matrix at every iteration. A factor
// model of 5,000 assets spreads weight over most of them; there the interior-point method with
// Woodbury solves, linear in n, wins over factors of a growing |F| x |F| matrix.
//
// Phase 1 and infeasibility: a starting vertex comes from a greedy fill when the constraints are
// bounds and one positive equality (the budget), otherwise from an LP (COIN-OR Clp, lp.hpp).
// Before any iteration, check_feasibility() names the conflicting constraints: a bound whose lower
// end is above its upper one, a constraint that the bounds alone cannot satisfy ("the bounds let
// 'budget' range over [0, 0.8] but it must equal 1"), or, when the LP is infeasible, a minimal
// set of constraints that conflict (a deletion filter: Chinneck and Dravnieks 1991). An
// infeasible problem is a status with that message, not an exception.
//
// Results: the solution, the objective, signed multipliers with Hx + c = A_eq' y + A_in' l + z
// (so each multiplier is the derivative of the optimal value with respect to its constraint's
// bound: l, z <= 0 at upper bounds, >= 0 at lower ones), the binding constraints, and the KKT
// residuals (primal, dual, complementarity). Determinism: sequential and deterministic; many
// problems may be solved on different threads at once.
#pragma once

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

enum class QpMethod { automatic, active_set, interior_point };
BANKQUANT_ENUM_NAMES(QpMethod, {automatic, "auto"}, {active_set, "active_set"}, {interior_point, "interior_point"})

/// H = B F B' + diag(D): loadings B (n x k), factor covariance F (k x k, PSD), specific variances D.
struct FactorHessian {
  Eigen::MatrixXd loadings;
  Eigen::MatrixXd factor_covariance;
  Eigen::VectorXd specific;
  [[nodiscard]] bool empty() const { return loadings.size() == 0 && specific.size() == 0; }
};

/// A convex QP; names (optional) make the messages about infeasibility readable.
struct QpProblem {
  Eigen::MatrixXd hessian;  ///< dense n x n, or empty when `factor` is given
  FactorHessian factor;
  Eigen::VectorXd linear;  ///< c (n); empty means 0
  RowMatrix equality_matrix;
  Eigen::VectorXd equality_rhs;
  RowMatrix inequality_matrix;
  Eigen::VectorXd inequality_lower;  ///< -inf for none
  Eigen::VectorXd inequality_upper;  ///< +inf for none
  Eigen::VectorXd lower;             ///< empty means -inf
  Eigen::VectorXd upper;             ///< empty means +inf
  std::vector<std::string> variable_names;
  std::vector<std::string> equality_names;
  std::vector<std::string> inequality_names;

  [[nodiscard]] BANKQUANT_EXPORT Eigen::Index size() const;
  [[nodiscard]] bool is_factor() const { return hessian.size() == 0 && !factor.empty(); }
  /// H x.
  [[nodiscard]] BANKQUANT_EXPORT Eigen::VectorXd hessian_times(const Eigen::Ref<const Eigen::VectorXd>& x) const;
  /// 1/2 x' H x + c' x.
  [[nodiscard]] BANKQUANT_EXPORT double objective(const Eigen::Ref<const Eigen::VectorXd>& x) const;
  /// Shapes, finiteness and bound order; throws InvalidArgument naming the part.
  BANKQUANT_EXPORT void validate() const;
  /// Display names (given or made up: "x[3]", "equality 0", "inequality 2").
  [[nodiscard]] BANKQUANT_EXPORT std::string variable_name(Eigen::Index j) const;
  [[nodiscard]] BANKQUANT_EXPORT std::string equality_name(Eigen::Index i) const;
  [[nodiscard]] BANKQUANT_EXPORT std::string inequality_name(Eigen::Index i) const;
};

struct QpOptions {
  QpMethod method = QpMethod::automatic;
  int max_iterations = 0;
  double optimality_tolerance = 1e-9;
  double feasibility_tolerance = 1e-9;
  double ipm_tolerance = 1e-10;
  int ipm_max_iterations = 200;
  double time_limit = 0.0;
  bool check_convexity = true;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &QpOptions::method,
              "'auto' (interior_point for a factor-form H, else active_set), 'active_set' or 'interior_point'"),
        field("max_iterations", &QpOptions::max_iterations,
              "active set: iteration limit; 0 for 10 (n + m) + 100 (each iteration frees or fixes one constraint)"),
        field("optimality_tolerance", &QpOptions::optimality_tolerance,
              "active set: a multiplier of the wrong sign below this (relative to the gradient's scale) is zero"),
        field("feasibility_tolerance", &QpOptions::feasibility_tolerance,
              "constraint violation tolerated, relative to 1 + |bound|"),
        field("ipm_tolerance", &QpOptions::ipm_tolerance,
              "interior point: relative duality gap and residuals at which it stops (cvxopt's default is 1e-7)"),
        field("ipm_max_iterations", &QpOptions::ipm_max_iterations, "interior point: iteration limit"),
        field("time_limit", &QpOptions::time_limit, "seconds; 0 for none"),
        field("check_convexity", &QpOptions::check_convexity,
              "verify that a dense H is positive semi-definite (a shifted Cholesky, n^3/3 flops)")};
  }
};

struct QpResult {
  Eigen::VectorXd x;
  double objective = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd equality_multipliers;
  Eigen::VectorXd inequality_multipliers;
  Eigen::VectorXd bound_multipliers;
  std::vector<int> at_lower;
  std::vector<int> at_upper;
  std::vector<int> active_inequalities;
  double primal_residual = 0.0;
  double dual_residual = 0.0;
  double complementarity = 0.0;
  QpMethod method = QpMethod::active_set;
  Status status;

  static constexpr auto fields() {
    return std::tuple{
        field("x", &QpResult::x, "the solution"),
        field("objective", &QpResult::objective, "1/2 x'Hx + c'x at the solution"),
        field("equality_multipliers", &QpResult::equality_multipliers,
              "y: d(optimal value)/d(b_eq), one per equality"),
        field("inequality_multipliers", &QpResult::inequality_multipliers,
              "l: d(optimal value)/d(bound), <= 0 at an upper bound, >= 0 at a lower one, 0 when inactive"),
        field("bound_multipliers", &QpResult::bound_multipliers,
              "z: the same for the variable bounds (Hx + c = A_eq'y + A_in'l + z)"),
        field("at_lower", &QpResult::at_lower, "variables at their lower bound"),
        field("at_upper", &QpResult::at_upper, "variables at their upper bound"),
        field("active_inequalities", &QpResult::active_inequalities, "inequality rows that bind"),
        field("primal_residual", &QpResult::primal_residual, "largest constraint violation"),
        field("dual_residual", &QpResult::dual_residual,
              "largest entry of Hx + c - A_eq'y - A_in'l - z, plus multipliers of the wrong sign"),
        field("complementarity", &QpResult::complementarity, "largest |multiplier x slack|"),
        field("method", &QpResult::method, "the method that ran"),
        field("status", &QpResult::status, "how it ended (infeasible and unbounded say why)")};
  }
};

struct FeasibilityReport {
  bool feasible = true;
  std::string message;
  std::vector<std::string> conflicting;

  static constexpr auto fields() {
    return std::tuple{field("feasible", &FeasibilityReport::feasible, "whether some x satisfies every constraint"),
                      field("message", &FeasibilityReport::message, "why not, in words"),
                      field("conflicting", &FeasibilityReport::conflicting,
                            "names of a smallest set of constraints that conflict (bounds included as 'bounds')")};
  }
};

/// Solves the QP. `start` (n values, or empty) is a warm start: used as given when feasible,
/// else moved to a feasible point nearby first. Infeasible and unbounded problems come back as a
/// status with a message; malformed ones (shapes, NaN, a non-convex H) throw InvalidArgument.
[[nodiscard]] BANKQUANT_EXPORT QpResult solve_qp(const QpProblem& problem, const QpOptions& options = {},
                                                 const Eigen::Ref<const Eigen::VectorXd>& start = Eigen::VectorXd());

/// Whether the constraints admit a point, and if not which ones conflict (see the header comment).
[[nodiscard]] BANKQUANT_EXPORT FeasibilityReport check_feasibility(const QpProblem& problem,
                                                                   double tolerance = 1e-9);

/// Residuals of a candidate solution with its multipliers (for tests and the result).
struct KktResiduals {
  double primal = 0.0, dual = 0.0, complementarity = 0.0;
};
[[nodiscard]] BANKQUANT_EXPORT KktResiduals kkt_residuals(const QpProblem& problem, const Eigen::VectorXd& x,
                                                          const Eigen::VectorXd& y, const Eigen::VectorXd& l,
                                                          const Eigen::VectorXd& z);

}  // namespace bankquant::portfolio
