#include "bankquant/portfolio/qp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "active_set.hpp"
#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "interior_point.hpp"

namespace bankquant::portfolio {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

using bankquant::detail::kInf;

VectorXd expanded(const VectorXd& v, Index n, double fill) { return v.size() ? v : VectorXd::Constant(n, fill); }

std::string number(double v) { return fmt::format("{:.6g}", v); }

// The range a row can take over the box: [sum of the smaller ends, sum of the larger ends].
std::pair<double, double> row_range(const Eigen::Ref<const Eigen::RowVectorXd>& a, const VectorXd& lower,
                                    const VectorXd& upper) {
  double lo = 0.0, hi = 0.0;
  for (Index j = 0; j < a.size(); ++j) {
    const double v = a(j);
    if (v == 0.0) continue;
    lo += v > 0 ? v * lower(j) : v * upper(j);
    hi += v > 0 ? v * upper(j) : v * lower(j);
  }
  return {lo, hi};
}

// LP feasibility of a subset of the rows (equalities, inequalities) with or without the bounds.
bool lp_feasible(const QpProblem& p, const std::vector<char>& use_eq, const std::vector<char>& use_in,
                 bool use_bounds) {
  const Index n = p.size();
  LpProblem lp;
  lp.objective = VectorXd::Zero(n);
  std::vector<Eigen::RowVectorXd> rows;
  std::vector<double> lo, hi;
  for (Index i = 0; i < p.equality_matrix.rows(); ++i) {
    if (!use_eq[static_cast<std::size_t>(i)]) continue;
    rows.push_back(p.equality_matrix.row(i));
    lo.push_back(p.equality_rhs(i));
    hi.push_back(p.equality_rhs(i));
  }
  for (Index i = 0; i < p.inequality_matrix.rows(); ++i) {
    if (!use_in[static_cast<std::size_t>(i)]) continue;
    rows.push_back(p.inequality_matrix.row(i));
    lo.push_back(p.inequality_lower(i));
    hi.push_back(p.inequality_upper(i));
  }
  lp.matrix.resize(static_cast<Index>(rows.size()), n);
  lp.row_lower.resize(static_cast<Index>(rows.size()));
  lp.row_upper.resize(static_cast<Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    lp.matrix.row(static_cast<Index>(r)) = rows[r];
    lp.row_lower(static_cast<Index>(r)) = lo[r];
    lp.row_upper(static_cast<Index>(r)) = hi[r];
  }
  if (use_bounds) {
    lp.col_lower = expanded(p.lower, n, -kInf);
    lp.col_upper = expanded(p.upper, n, kInf);
  }
  const LpResult r = solve_lp(lp);
  return r.status.code != StatusCode::infeasible;
}

}  // namespace

// ---------------------------------------------------------------- QpProblem

Eigen::Index QpProblem::size() const {
  if (hessian.size() > 0) return hessian.rows();
  if (factor.loadings.size() > 0) return factor.loadings.rows();
  if (factor.specific.size() > 0) return factor.specific.size();
  return linear.size();
}

Eigen::VectorXd QpProblem::hessian_times(const Eigen::Ref<const Eigen::VectorXd>& x) const {
  if (!is_factor()) return hessian.size() ? VectorXd(hessian * x) : VectorXd::Zero(x.size());
  VectorXd y = VectorXd::Zero(x.size());
  if (factor.loadings.size()) y = factor.loadings * (factor.factor_covariance * (factor.loadings.transpose() * x));
  if (factor.specific.size()) y += factor.specific.cwiseProduct(x);
  return y;
}

double QpProblem::objective(const Eigen::Ref<const Eigen::VectorXd>& x) const {
  double f = 0.5 * x.dot(hessian_times(x));
  if (linear.size()) f += linear.dot(x);
  return f;
}

std::string QpProblem::variable_name(Eigen::Index j) const {
  return j < static_cast<Index>(variable_names.size()) ? variable_names[static_cast<std::size_t>(j)]
                                                        : fmt::format("x[{}]", j);
}
std::string QpProblem::equality_name(Eigen::Index i) const {
  return i < static_cast<Index>(equality_names.size()) ? equality_names[static_cast<std::size_t>(i)]
                                                        : fmt::format("equality {}", i);
}
std::string QpProblem::inequality_name(Eigen::Index i) const {
  return i < static_cast<Index>(inequality_names.size()) ? inequality_names[static_cast<std::size_t>(i)]
                                                          : fmt::format("inequality {}", i);
}

void QpProblem::validate() const {
  const Index n = size();
  if (n == 0) check::fail("hessian", "expected at least one variable, got an empty problem");
  if (hessian.size() > 0) {
    check::shape("hessian", hessian.rows(), hessian.cols(), n, n);
    check::all_finite("hessian", hessian);
  } else {
    const auto& f = factor;
    if (f.loadings.size() > 0) {
      check::shape("loadings", f.loadings.rows(), f.loadings.cols(), n, -1);
      check::shape("factor_covariance", f.factor_covariance.rows(), f.factor_covariance.cols(), f.loadings.cols(),
                   f.loadings.cols());
      check::all_finite("loadings", f.loadings);
      check::all_finite("factor_covariance", f.factor_covariance);
    }
    if (f.specific.size() > 0) {
      check::shape("specific", f.specific.size(), 1, n, 1);
      check::all_finite("specific", f.specific);
    }
  }
  if (linear.size() > 0) {
    check::shape("linear", linear.size(), 1, n, 1);
    check::all_finite("linear", linear);
  }
  if (equality_matrix.rows() > 0 || equality_rhs.size() > 0) {
    check::shape("equality_matrix", equality_matrix.rows(), equality_matrix.cols(), equality_rhs.size(), n);
    check::all_finite("equality_matrix", equality_matrix);
    check::all_finite("equality_rhs", equality_rhs);
  }
  const Index mi = inequality_matrix.rows();
  if (mi > 0 || inequality_lower.size() > 0 || inequality_upper.size() > 0) {
    check::shape("inequality_matrix", inequality_matrix.rows(), inequality_matrix.cols(), -1, n);
    check::shape("inequality_lower", inequality_lower.size(), 1, mi, 1);
    check::shape("inequality_upper", inequality_upper.size(), 1, mi, 1);
    check::all_finite("inequality_matrix", inequality_matrix);
    for (Index i = 0; i < mi; ++i) {
      if (std::isnan(inequality_lower(i)) || std::isnan(inequality_upper(i)) || inequality_lower(i) == kInf ||
          inequality_upper(i) == -kInf) {
        check::fail("inequality_lower", fmt::format("row '{}': expected bounds in [-inf, inf) and (-inf, inf], got "
                                                    "[{}, {}]",
                                                    inequality_name(i), inequality_lower(i), inequality_upper(i)));
      }
    }
  }
  if (lower.size() > 0) check::shape("lower", lower.size(), 1, n, 1);
  if (upper.size() > 0) check::shape("upper", upper.size(), 1, n, 1);
  for (Index j = 0; j < n; ++j) {
    const double l = lower.size() ? lower(j) : -kInf, u = upper.size() ? upper(j) : kInf;
    if (std::isnan(l) || std::isnan(u) || l == kInf || u == -kInf) {
      check::fail("lower", fmt::format("bounds of '{}': expected numbers (infinite on the open side), got [{}, {}]",
                                       variable_name(j), l, u));
    }
  }
}

void QpOptions::validate() const {
  check::integer_at_least("max_iterations", max_iterations, 0);
  check::positive("optimality_tolerance", optimality_tolerance);
  check::positive("feasibility_tolerance", feasibility_tolerance);
  check::positive("ipm_tolerance", ipm_tolerance);
  check::integer_at_least("ipm_max_iterations", ipm_max_iterations, 1);
  check::non_negative("time_limit", time_limit);
}

// ---------------------------------------------------------------- residuals

KktResiduals kkt_residuals(const QpProblem& p, const VectorXd& x, const VectorXd& y, const VectorXd& l,
                           const VectorXd& z) {
  const Index n = p.size();
  const VectorXd lower = expanded(p.lower, n, -kInf), upper = expanded(p.upper, n, kInf);
  KktResiduals r;
  for (Index j = 0; j < n; ++j) r.primal = std::max({r.primal, lower(j) - x(j), x(j) - upper(j)});
  if (p.equality_matrix.rows()) r.primal = std::max(r.primal, (p.equality_matrix * x - p.equality_rhs).cwiseAbs().maxCoeff());
  VectorXd ax;
  if (p.inequality_matrix.rows()) {
    ax = p.inequality_matrix * x;
    for (Index i = 0; i < ax.size(); ++i) {
      r.primal = std::max({r.primal, p.inequality_lower(i) - ax(i), ax(i) - p.inequality_upper(i)});
    }
  }
  VectorXd grad = p.hessian_times(x);
  if (p.linear.size()) grad += p.linear;
  if (p.equality_matrix.rows()) grad -= p.equality_matrix.transpose() * y;
  if (p.inequality_matrix.rows()) grad -= p.inequality_matrix.transpose() * l;
  grad -= z;
  r.dual = grad.size() ? grad.cwiseAbs().maxCoeff() : 0.0;
  // Multipliers of the wrong sign count as dual infeasibility; products with slacks as complementarity.
  for (Index j = 0; j < n; ++j) {
    const double zj = z(j);
    if (lower(j) == upper(j)) continue;
    if (zj > 0) {
      if (!std::isfinite(lower(j))) r.dual = std::max(r.dual, zj);
      else r.complementarity = std::max(r.complementarity, zj * (x(j) - lower(j)));
    } else if (zj < 0) {
      if (!std::isfinite(upper(j))) r.dual = std::max(r.dual, -zj);
      else r.complementarity = std::max(r.complementarity, -zj * (upper(j) - x(j)));
    }
  }
  for (Index i = 0; i < l.size(); ++i) {
    const double li = l(i), lo = p.inequality_lower(i), hi = p.inequality_upper(i);
    if (lo == hi) continue;
    if (li > 0) {
      if (!std::isfinite(lo)) r.dual = std::max(r.dual, li);
      else r.complementarity = std::max(r.complementarity, li * (ax(i) - lo));
    } else if (li < 0) {
      if (!std::isfinite(hi)) r.dual = std::max(r.dual, -li);
      else r.complementarity = std::max(r.complementarity, -li * (hi - ax(i)));
    }
  }
  r.primal = std::max(r.primal, 0.0);
  return r;
}

// ---------------------------------------------------------------- feasibility

FeasibilityReport check_feasibility(const QpProblem& p, double tol) {
  p.validate();
  const Index n = p.size();
  const VectorXd lower = expanded(p.lower, n, -kInf), upper = expanded(p.upper, n, kInf);
  FeasibilityReport report;
  for (Index j = 0; j < n; ++j) {
    if (lower(j) > upper(j)) {
      report.feasible = false;
      report.message = fmt::format("the bounds of '{}' are empty: lower {} is above upper {}", p.variable_name(j),
                                   number(lower(j)), number(upper(j)));
      report.conflicting = {fmt::format("bounds of '{}'", p.variable_name(j))};
      return report;
    }
  }
  auto slack = [&](double v) { return tol * (1.0 + std::abs(v)); };
  for (Index i = 0; i < p.equality_matrix.rows(); ++i) {
    const auto [lo, hi] = row_range(p.equality_matrix.row(i), lower, upper);
    const double b = p.equality_rhs(i);
    if (lo > b + slack(b) || hi < b - slack(b)) {
      report.feasible = false;
      report.message = fmt::format("the bounds let '{}' range over [{}, {}], but it must equal {}", p.equality_name(i),
                                   number(lo), number(hi), number(b));
      report.conflicting = {p.equality_name(i), "bounds"};
      return report;
    }
  }
  for (Index i = 0; i < p.inequality_matrix.rows(); ++i) {
    const auto [lo, hi] = row_range(p.inequality_matrix.row(i), lower, upper);
    const double l = p.inequality_lower(i), u = p.inequality_upper(i);
    if (lo > u + slack(u)) {
      report.feasible = false;
      report.message = fmt::format("the bounds keep '{}' at or above {}, but it must be at most {}",
                                   p.inequality_name(i), number(lo), number(u));
      report.conflicting = {p.inequality_name(i), "bounds"};
      return report;
    }
    if (hi < l - slack(l)) {
      report.feasible = false;
      report.message = fmt::format("the bounds let '{}' reach at most {}, but it must be at least {}",
                                   p.inequality_name(i), number(hi), number(l));
      report.conflicting = {p.inequality_name(i), "bounds"};
      return report;
    }
  }
  const Index me = p.equality_matrix.rows(), mi = p.inequality_matrix.rows();
  if (me + mi <= 1) return report;  // one row and the bounds: the ranges above decide
  std::vector<char> eq(static_cast<std::size_t>(me), 1), in(static_cast<std::size_t>(mi), 1);
  if (lp_feasible(p, eq, in, true)) return report;
  // Deletion filter (Chinneck and Dravnieks 1991): drop each constraint in turn; keep it out when
  // the rest is still infeasible. What remains is an irreducible infeasible subset.
  bool bounds = true;
  if (!lp_feasible(p, eq, in, false)) bounds = false;
  for (Index i = 0; i < me; ++i) {
    eq[static_cast<std::size_t>(i)] = 0;
    if (lp_feasible(p, eq, in, bounds)) eq[static_cast<std::size_t>(i)] = 1;
  }
  for (Index i = 0; i < mi; ++i) {
    in[static_cast<std::size_t>(i)] = 0;
    if (lp_feasible(p, eq, in, bounds)) in[static_cast<std::size_t>(i)] = 1;
  }
  report.feasible = false;
  for (Index i = 0; i < me; ++i) {
    if (eq[static_cast<std::size_t>(i)]) report.conflicting.push_back(p.equality_name(i));
  }
  for (Index i = 0; i < mi; ++i) {
    if (in[static_cast<std::size_t>(i)]) report.conflicting.push_back(p.inequality_name(i));
  }
  if (bounds) report.conflicting.push_back("bounds");
  std::string list;
  for (std::size_t k = 0; k < report.conflicting.size(); ++k) {
    list += (k == 0 ? "" : k + 1 == report.conflicting.size() ? " and " : ", ") +
            fmt::format("'{}'", report.conflicting[k]);
  }
  report.message = fmt::format("no point satisfies {} together (each is satisfiable without the others)", list);
  return report;
}

// ---------------------------------------------------------------- solve

namespace detail {

// The constraint a solution violates most, relative to max(1, |bound|) (weights are of order 1;
// a budget of 1 must hold to the tolerance itself), and by how much. Empty name: none violated.
Violation worst_violation(const QpProblem& p, const VectorXd& x) {
  const Index n = p.size();
  const VectorXd lower = expanded(p.lower, n, -kInf), upper = expanded(p.upper, n, kInf);
  Violation worst;
  auto consider = [&](double excess, double bound, const auto& name) {
    if (!(excess > 0) && !std::isnan(excess)) return;
    const double rel = std::isnan(excess) ? kInf : excess / std::max(1.0, std::abs(bound));
    if (rel > worst.relative || worst.name.empty()) {
      worst.relative = rel;
      worst.name = name();
    }
  };
  for (Index j = 0; j < x.size(); ++j) {
    consider(lower(j) - x(j), lower(j), [&] { return fmt::format("lower bound of '{}'", p.variable_name(j)); });
    consider(x(j) - upper(j), upper(j), [&] { return fmt::format("upper bound of '{}'", p.variable_name(j)); });
  }
  for (Index i = 0; i < p.equality_matrix.rows(); ++i) {
    const double b = p.equality_rhs(i);
    consider(std::abs(p.equality_matrix.row(i).dot(x) - b), b, [&] { return p.equality_name(i); });
  }
  for (Index i = 0; i < p.inequality_matrix.rows(); ++i) {
    const double a = p.inequality_matrix.row(i).dot(x), lo = p.inequality_lower(i), hi = p.inequality_upper(i);
    consider(lo - a, lo, [&] { return p.inequality_name(i); });
    consider(a - hi, hi, [&] { return p.inequality_name(i); });
  }
  return worst;
}

}  // namespace detail

namespace {

bool is_feasible(const QpProblem& p, const VectorXd& lower, const VectorXd& upper, const VectorXd& x, double tol) {
  for (Index j = 0; j < x.size(); ++j) {
    if (x(j) < lower(j) - tol * (1 + std::abs(lower(j))) || x(j) > upper(j) + tol * (1 + std::abs(upper(j)))) {
      return false;
    }
  }
  for (Index i = 0; i < p.equality_matrix.rows(); ++i) {
    const double b = p.equality_rhs(i);
    if (std::abs(p.equality_matrix.row(i).dot(x) - b) > tol * (1 + std::abs(b))) return false;
  }
  for (Index i = 0; i < p.inequality_matrix.rows(); ++i) {
    const double a = p.inequality_matrix.row(i).dot(x), lo = p.inequality_lower(i), hi = p.inequality_upper(i);
    if (a < lo - tol * (1 + std::abs(lo)) || a > hi + tol * (1 + std::abs(hi))) return false;
  }
  return true;
}

// A starting vertex: greedy for bounds + one positive equality, else an LP. Returns false when
// the LP says infeasible.
bool phase_one(const QpProblem& p, const VectorXd& lower, const VectorXd& upper, const VectorXd& c,
               const detail::HessianView& H, const VectorXd& start, double tol, VectorXd& x) {
  const Index n = p.size(), me = p.equality_matrix.rows(), mi = p.inequality_matrix.rows();
  if (start.size() == n && is_feasible(p, lower, upper, start, tol)) {
    x = start;
    return true;
  }
  const bool finite_lower = lower.allFinite();
  const bool simple = mi == 0 && me <= 1 && finite_lower &&
                      (me == 0 || (p.equality_matrix.row(0).array() > 0).all()) && start.size() == 0;
  if (simple) {
    if (me == 0) {
      x = VectorXd::Zero(n).cwiseMax(lower).cwiseMin(upper);
      return true;
    }
    const auto a = p.equality_matrix.row(0);
    x = lower;
    double remaining = p.equality_rhs(0) - a.dot(x);
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    std::vector<double> key(static_cast<std::size_t>(n));
    for (Index j = 0; j < n; ++j) key[static_cast<std::size_t>(j)] = (0.5 * H.diagonal(j) + c(j)) / a(j);
    std::stable_sort(order.begin(), order.end(), [&](Index i, Index j) {
      return key[static_cast<std::size_t>(i)] < key[static_cast<std::size_t>(j)];
    });
    for (Index j : order) {
      if (remaining <= 0) break;
      const double room = upper(j) - lower(j);
      const double add = std::min(room, remaining / a(j));
      x(j) += add;
      remaining -= a(j) * add;
      if (add < room) remaining = 0.0;  // this variable took all that was left
    }
    return remaining <= tol * (1 + std::abs(p.equality_rhs(0)));
  }
  LpProblem lp;
  std::vector<Eigen::RowVectorXd> rows;
  std::vector<double> lo, hi;
  for (Index i = 0; i < me; ++i) {
    rows.push_back(p.equality_matrix.row(i));
    lo.push_back(p.equality_rhs(i));
    hi.push_back(p.equality_rhs(i));
  }
  for (Index i = 0; i < mi; ++i) {
    rows.push_back(p.inequality_matrix.row(i));
    lo.push_back(p.inequality_lower(i));
    hi.push_back(p.inequality_upper(i));
  }
  const bool near = start.size() == n;  // minimise |x - start| (split with e >= +-(x - start))
  const Index nv = near ? 2 * n : n;
  const Index extra = near ? 2 * n : 0;
  lp.matrix = RowMatrix::Zero(static_cast<Index>(rows.size()) + extra, nv);
  lp.row_lower.resize(lp.matrix.rows());
  lp.row_upper.resize(lp.matrix.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    lp.matrix.row(static_cast<Index>(r)).head(n) = rows[r];
    lp.row_lower(static_cast<Index>(r)) = lo[r];
    lp.row_upper(static_cast<Index>(r)) = hi[r];
  }
  lp.col_lower = VectorXd::Constant(nv, 0.0);
  lp.col_upper = VectorXd::Constant(nv, kInf);
  lp.col_lower.head(n) = lower;
  lp.col_upper.head(n) = upper;
  lp.objective = VectorXd::Zero(nv);
  if (near) {
    const Index base = static_cast<Index>(rows.size());
    for (Index j = 0; j < n; ++j) {
      // e_j - x_j >= -start_j and e_j + x_j >= start_j
      lp.matrix(base + 2 * j, j) = -1.0;
      lp.matrix(base + 2 * j, n + j) = 1.0;
      lp.row_lower(base + 2 * j) = -start(j);
      lp.row_upper(base + 2 * j) = kInf;
      lp.matrix(base + 2 * j + 1, j) = 1.0;
      lp.matrix(base + 2 * j + 1, n + j) = 1.0;
      lp.row_lower(base + 2 * j + 1) = start(j);
      lp.row_upper(base + 2 * j + 1) = kInf;
      lp.objective(n + j) = 1.0;
    }
  } else {
    for (Index j = 0; j < n; ++j) lp.objective(j) = c(j) + 0.5 * H.diagonal(j);
  }
  const LpResult r = solve_lp(lp);
  if (r.status.code == StatusCode::infeasible) return false;
  if (r.status.code == StatusCode::unbounded) {
    // A linear objective unbounded below on the feasible set: any feasible point will do.
    lp.objective.setZero();
    const LpResult again = solve_lp(lp);
    if (!again.status.usable()) return false;
    x = again.x.head(n);
  } else {
    if (!r.status.usable()) return false;
    x = r.x.head(n);
  }
  x = x.cwiseMax(lower).cwiseMin(upper);
  return true;
}

void check_convex(const QpProblem& p) {
  if (p.is_factor()) {
    const auto& f = p.factor;
    if (f.specific.size() && (f.specific.array() < 0).any()) check::fail("specific", "expected non-negative specific variances");
    if (f.factor_covariance.size()) {
      const MatrixXd F = f.factor_covariance;
      if ((F - F.transpose()).cwiseAbs().maxCoeff() > 1e-10 * std::max(F.cwiseAbs().maxCoeff(), 1e-300)) {
        check::fail("factor_covariance", "expected a symmetric matrix");
      }
      Eigen::SelfAdjointEigenSolver<MatrixXd> eig(F, Eigen::EigenvaluesOnly);
      if (eig.eigenvalues()(0) < -1e-10 * std::max(eig.eigenvalues().cwiseAbs().maxCoeff(), 1e-300)) {
        check::fail("factor_covariance", fmt::format("expected a positive semi-definite matrix, smallest eigenvalue {:.4g}",
                                                     eig.eigenvalues()(0)));
      }
    }
    return;
  }
  const MatrixXd& Hm = p.hessian;
  const double scale = std::max(Hm.cwiseAbs().maxCoeff(), 1e-300);
  for (Index j = 0; j < Hm.cols(); ++j) {
    for (Index i = 0; i < j; ++i) {
      if (std::abs(Hm(i, j) - Hm(j, i)) > 1e-10 * scale) {
        check::fail("hessian", fmt::format("expected a symmetric matrix, but ({0}, {1}) = {2} and ({1}, {0}) = {3}", i,
                                           j, Hm(i, j), Hm(j, i)));
      }
    }
  }
  const double shift = 1e-10 * std::max(Hm.diagonal().cwiseAbs().maxCoeff(), 1e-300);
  MatrixXd shifted = Hm;
  shifted.diagonal().array() += shift;
  Eigen::LLT<MatrixXd> llt(shifted);
  if (llt.info() != Eigen::Success) {
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(Hm, Eigen::EigenvaluesOnly);
    check::fail("hessian", fmt::format("expected a positive semi-definite matrix (a convex problem), but its smallest "
                                       "eigenvalue is {:.4g}",
                                       eig.eigenvalues()(0)));
  }
}

}  // namespace

QpResult solve_qp(const QpProblem& p, const QpOptions& o, const Eigen::Ref<const Eigen::VectorXd>& start_ref) {
  o.validate();
  p.validate();
  const auto started = std::chrono::steady_clock::now();
  const bool has_deadline = o.time_limit > 0;
  const auto deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(o.time_limit));
  const Index n = p.size();
  const VectorXd start = start_ref;
  if (start.size() != 0) {
    check::shape("start", start.size(), 1, n, 1);
    check::all_finite("start", start);
  }
  if (o.check_convexity) check_convex(p);
  const VectorXd lower = expanded(p.lower, n, -kInf), upper = expanded(p.upper, n, kInf);
  const VectorXd c = expanded(p.linear, n, 0.0);
  QpResult result;
  result.method = o.method == QpMethod::automatic ? (p.is_factor() ? QpMethod::interior_point : QpMethod::active_set)
                                                  : o.method;
  // A result reported converged must satisfy its constraints: a final check (the engines' own
  // stopping tests are on their working rows and residual scales; this one is on the problem).
  auto verify = [&](QpResult& r) {
    if (!r.status.converged() || r.x.size() != n) return;
    const detail::Violation v = detail::worst_violation(p, r.x);
    if (v.relative > o.feasibility_tolerance) {
      r.status = Status::make(StatusCode::numerical_failure,
                              fmt::format("the solution violates '{}' by {:.3g} (relative), above the feasibility "
                                          "tolerance {:.3g}: rounding overwhelmed the solve",
                                          v.name, v.relative, o.feasibility_tolerance),
                              r.status.iterations);
    }
  };
  auto finish = [&](QpResult& r) {
    verify(r);
    if (r.x.size() == n && r.equality_multipliers.size() == p.equality_matrix.rows() &&
        r.inequality_multipliers.size() == p.inequality_matrix.rows() && r.bound_multipliers.size() == n) {
      const KktResiduals k = kkt_residuals(p, r.x, r.equality_multipliers, r.inequality_multipliers, r.bound_multipliers);
      r.primal_residual = k.primal;
      r.dual_residual = k.dual;
      r.complementarity = k.complementarity;
    }
    r.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto infeasible = [&](const FeasibilityReport& report) {
    result.status = Status::make(StatusCode::infeasible, report.message);
    finish(result);
    return result;
  };

  // Pre-solve: empty bounds and rows the bounds cannot satisfy, named.
  {
    for (Index j = 0; j < n; ++j) {
      if (lower(j) > upper(j)) return infeasible(check_feasibility(p, o.feasibility_tolerance));
    }
    auto slack = [&](double v) { return o.feasibility_tolerance * (1.0 + std::abs(v)); };
    bool bad = false;
    for (Index i = 0; i < p.equality_matrix.rows() && !bad; ++i) {
      const auto [lo, hi] = row_range(p.equality_matrix.row(i), lower, upper);
      const double b = p.equality_rhs(i);
      bad = lo > b + slack(b) || hi < b - slack(b);
    }
    for (Index i = 0; i < p.inequality_matrix.rows() && !bad; ++i) {
      const auto [lo, hi] = row_range(p.inequality_matrix.row(i), lower, upper);
      bad = lo > p.inequality_upper(i) + slack(p.inequality_upper(i)) ||
            hi < p.inequality_lower(i) - slack(p.inequality_lower(i));
    }
    if (bad) return infeasible(check_feasibility(p, o.feasibility_tolerance));
  }

  detail::HessianView H(p);
  if (result.method == QpMethod::interior_point) {
    // The interior-point method needs no starting point, but infeasibility is decided up front.
    const bool simple = p.inequality_matrix.rows() == 0 && p.equality_matrix.rows() <= 1;
    if (!simple) {
      const FeasibilityReport report = check_feasibility(p, o.feasibility_tolerance);
      if (!report.feasible) return infeasible(report);
    }
    result = detail::solve_interior_point(p, o, lower, upper, c, deadline, has_deadline);
    verify(result);
    if (result.status.code != StatusCode::numerical_failure) {
      finish(result);
      return result;
    }
    result.method = QpMethod::active_set;  // fall back to the active-set method
  }

  VectorXd x0;
  if (!phase_one(p, lower, upper, c, H, start, o.feasibility_tolerance, x0)) {
    return infeasible(check_feasibility(p, o.feasibility_tolerance));
  }
  detail::ActiveSet engine(p, o);
  engine.start(x0);
  result.status = engine.run(deadline, has_deadline);
  engine.fill(result);
  result.method = QpMethod::active_set;
  finish(result);
  return result;
}

}  // namespace bankquant::portfolio
