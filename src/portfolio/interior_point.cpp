// Mehrotra's predictor-corrector for the convex QP of qp.hpp (private to src/; see the header for
// the method and when it is chosen).
#include "interior_point.hpp"
#include "bankquant/core/detail/constants.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <fmt/format.h>

namespace bankquant::portfolio::detail {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

using bankquant::detail::kInf;

// The reduced problem: fixed variables (lower == upper) substituted, rows with lower == upper
// moved to the equalities.
struct Reduced {
  std::vector<Index> vars;  // original index of each reduced variable
  bool factor = false;
  MatrixXd H;        // dense, reduced
  MatrixXd B;        // factor: loadings of the reduced variables
  MatrixXd F_root;   // factor: F = F_root F_root'
  VectorXd D;        // factor: specific variances
  VectorXd c;
  RowMatrix A;  // equalities
  VectorXd b;
  RowMatrix G;  // two-sided rows
  VectorXd lo, hi;
  VectorXd lb, ub;
  VectorXd x_fixed_full;  // the full x with fixed values in place
  std::vector<Index> eq_source;    // >= 0: original equality; < 0: -(1 + original inequality) moved here
  std::vector<Index> row_source;   // original inequality index of each G row
};

Reduced reduce(const QpProblem& p, const VectorXd& lower, const VectorXd& upper, const VectorXd& c_full) {
  Reduced r;
  const Index n = p.size();
  r.x_fixed_full = VectorXd::Zero(n);
  std::vector<Index> fixed;
  for (Index j = 0; j < n; ++j) {
    if (lower(j) == upper(j)) {
      fixed.push_back(j);
      r.x_fixed_full(j) = lower(j);
    } else {
      r.vars.push_back(j);
    }
  }
  const Index k = static_cast<Index>(r.vars.size());
  auto pick = [&](const VectorXd& v) {
    VectorXd out(k);
    for (Index q = 0; q < k; ++q) out(q) = v(r.vars[static_cast<std::size_t>(q)]);
    return out;
  };
  VectorXd hx_fixed;
  if (p.is_factor()) {
    r.factor = true;
    const auto& f = p.factor;
    r.B.resize(k, f.loadings.cols());
    for (Index q = 0; q < k; ++q) r.B.row(q) = f.loadings.row(r.vars[static_cast<std::size_t>(q)]);
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(f.factor_covariance);
    r.F_root = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
    r.D = f.specific.size() ? pick(f.specific) : VectorXd::Zero(k);
    const VectorXd full = f.loadings * (f.factor_covariance * (f.loadings.transpose() * r.x_fixed_full)) +
                          (f.specific.size() ? VectorXd(f.specific.cwiseProduct(r.x_fixed_full)) : VectorXd::Zero(n));
    hx_fixed = pick(full);
  } else {
    r.H.resize(k, k);
    for (Index a = 0; a < k; ++a) {
      for (Index b = 0; b < k; ++b) r.H(a, b) = p.hessian(r.vars[static_cast<std::size_t>(a)], r.vars[static_cast<std::size_t>(b)]);
    }
    hx_fixed = pick(p.hessian * r.x_fixed_full);
  }
  r.c = pick(c_full) + hx_fixed;
  r.lb = pick(lower);
  r.ub = pick(upper);
  auto columns = [&](const RowMatrix& M, Index row) {
    Eigen::RowVectorXd out(k);
    for (Index q = 0; q < k; ++q) out(q) = M(row, r.vars[static_cast<std::size_t>(q)]);
    return out;
  };
  const Index me = p.equality_matrix.rows(), mi = p.inequality_matrix.rows();
  std::vector<Eigen::RowVectorXd> eq_rows, in_rows;
  std::vector<double> eq_b, in_lo, in_hi;
  for (Index i = 0; i < me; ++i) {
    eq_rows.push_back(columns(p.equality_matrix, i));
    eq_b.push_back(p.equality_rhs(i) - p.equality_matrix.row(i).dot(r.x_fixed_full));
    r.eq_source.push_back(i);
  }
  for (Index i = 0; i < mi; ++i) {
    const double shift = p.inequality_matrix.row(i).dot(r.x_fixed_full);
    const double lo = p.inequality_lower(i), hi = p.inequality_upper(i);
    if (lo == hi) {
      eq_rows.push_back(columns(p.inequality_matrix, i));
      eq_b.push_back(hi - shift);
      r.eq_source.push_back(-(1 + i));
    } else if (std::isfinite(lo) || std::isfinite(hi)) {
      in_rows.push_back(columns(p.inequality_matrix, i));
      in_lo.push_back(lo - shift);
      in_hi.push_back(hi - shift);
      r.row_source.push_back(i);
    }
  }
  r.A.resize(static_cast<Index>(eq_rows.size()), k);
  r.b.resize(static_cast<Index>(eq_rows.size()));
  for (std::size_t i = 0; i < eq_rows.size(); ++i) {
    r.A.row(static_cast<Index>(i)) = eq_rows[i];
    r.b(static_cast<Index>(i)) = eq_b[i];
  }
  r.G.resize(static_cast<Index>(in_rows.size()), k);
  r.lo.resize(static_cast<Index>(in_rows.size()));
  r.hi.resize(static_cast<Index>(in_rows.size()));
  for (std::size_t i = 0; i < in_rows.size(); ++i) {
    r.G.row(static_cast<Index>(i)) = in_rows[i];
    r.lo(static_cast<Index>(i)) = in_lo[i];
    r.hi(static_cast<Index>(i)) = in_hi[i];
  }
  return r;
}

// Solves K v = rhs with K = H + diag(dx) + G' diag(dr) G (dense: Cholesky; factor: Woodbury).
class NewtonSystem {
 public:
  // h_scale: the largest diagonal entry of H, so the shift that keeps the Cholesky definite is
  // relative to H and not to the barrier terms, which grow without bound near the solution.
  NewtonSystem(const Reduced& r, double h_scale) : r_(r), h_scale_(h_scale) {}

  bool factorize(const VectorXd& dx, const VectorXd& dr) {
    const Index k = static_cast<Index>(r_.vars.size());
    if (!r_.factor) {
      K_ = r_.H;
      K_.diagonal() += dx;
      if (r_.G.rows() > 0) K_.noalias() += r_.G.transpose() * dr.asDiagonal() * r_.G;
      const double shift = 1e-13 * h_scale_;
      Kreg_ = K_;
      Kreg_.diagonal().array() += shift;
      llt_.compute(Kreg_);
      if (llt_.info() != Eigen::Success) return false;
    } else {
      dinv_ = (r_.D + dx).array().max(1e-13 * h_scale_).inverse();
      const Index p1 = r_.B.cols(), p2 = r_.G.rows();
      V_.resize(k, p1 + p2);
      if (p1 > 0) V_.leftCols(p1) = r_.B * r_.F_root;
      if (p2 > 0) V_.rightCols(p2) = r_.G.transpose() * dr.cwiseSqrt().asDiagonal();
      MatrixXd C = MatrixXd::Identity(p1 + p2, p1 + p2);
      C.noalias() += V_.transpose() * dinv_.asDiagonal() * V_;
      cap_.compute(C);
      if (cap_.info() != Eigen::Success) return false;
      dx_ = dx;
      dr_ = dr;
    }
    return true;
  }

  VectorXd solve(const VectorXd& rhs) const {
    if (!r_.factor) {
      VectorXd v = llt_.solve(rhs);
      // One refinement against the unshifted matrix.
      v += llt_.solve(rhs - K_ * v);
      return v;
    }
    const VectorXd y = dinv_.cwiseProduct(rhs);
    return y - dinv_.cwiseProduct(V_ * cap_.solve(V_.transpose() * y));
  }

 private:
  const Reduced& r_;
  double h_scale_;
  MatrixXd K_, Kreg_;
  Eigen::LLT<MatrixXd> llt_;
  VectorXd dinv_, dx_, dr_;
  MatrixXd V_;
  Eigen::LLT<MatrixXd> cap_;
};

VectorXd reduced_h_times(const Reduced& r, const VectorXd& x) {
  if (!r.factor) return r.H * x;
  VectorXd out = r.B * (r.F_root * (r.F_root.transpose() * (r.B.transpose() * x)));
  if (r.D.size()) out += r.D.cwiseProduct(x);
  return out;
}

}  // namespace

QpResult solve_interior_point(const QpProblem& p, const QpOptions& o, const VectorXd& lower, const VectorXd& upper,
                              const VectorXd& c_full, std::chrono::steady_clock::time_point deadline,
                              bool has_deadline) {
  const Reduced r = reduce(p, lower, upper, c_full);
  const Index k = static_cast<Index>(r.vars.size());
  const Index me = r.A.rows(), mg = r.G.rows();
  // One-sided constraints in ">= 0" form: lower bounds, upper bounds, row lowers, row uppers.
  std::vector<Index> lbi, ubi, rli, rui;
  for (Index q = 0; q < k; ++q) {
    if (std::isfinite(r.lb(q))) lbi.push_back(q);
    if (std::isfinite(r.ub(q))) ubi.push_back(q);
  }
  for (Index i = 0; i < mg; ++i) {
    if (std::isfinite(r.lo(i))) rli.push_back(i);
    if (std::isfinite(r.hi(i))) rui.push_back(i);
  }
  const Index nl = static_cast<Index>(lbi.size()), nu = static_cast<Index>(ubi.size());
  const Index nrl = static_cast<Index>(rli.size()), nru = static_cast<Index>(rui.size());
  const Index m = nl + nu + nrl + nru;

  double h_scale = 0.0;
  if (!r.factor && k > 0) h_scale = r.H.diagonal().cwiseAbs().maxCoeff();
  if (r.factor && k > 0) h_scale = (r.B * r.F_root).rowwise().squaredNorm().maxCoeff() + (r.D.size() ? r.D.maxCoeff() : 0.0);
  const double scale = std::max({h_scale, r.c.size() ? r.c.cwiseAbs().maxCoeff() : 0.0, 1e-12});
  h_scale = std::max(h_scale, 1e-12 * scale);

  // Start: strictly inside the bounds.
  VectorXd x(k);
  for (Index q = 0; q < k; ++q) {
    const double a = r.lb(q), b = r.ub(q);
    if (std::isfinite(a) && std::isfinite(b)) x(q) = 0.5 * (a + b);
    else if (std::isfinite(a)) x(q) = a + 1.0;
    else if (std::isfinite(b)) x(q) = b - 1.0;
    else x(q) = 0.0;
  }
  auto slack_values = [&](const VectorXd& xv) {
    VectorXd s(m);
    const VectorXd gx = mg > 0 ? VectorXd(r.G * xv) : VectorXd();
    Index t = 0;
    for (Index q : lbi) s(t++) = xv(q) - r.lb(q);
    for (Index q : ubi) s(t++) = r.ub(q) - xv(q);
    for (Index i : rli) s(t++) = gx(i) - r.lo(i);
    for (Index i : rui) s(t++) = r.hi(i) - gx(i);
    return s;
  };
  // G' z as a k-vector, and G v as an m-vector.
  auto gt_times = [&](const VectorXd& z) {
    VectorXd out = VectorXd::Zero(k);
    VectorXd rows = VectorXd::Zero(mg);
    Index t = 0;
    for (Index q : lbi) out(q) += z(t++);
    for (Index q : ubi) out(q) -= z(t++);
    for (Index i : rli) rows(i) += z(t++);
    for (Index i : rui) rows(i) -= z(t++);
    if (mg > 0) out.noalias() += r.G.transpose() * rows;
    return out;
  };
  auto g_times = [&](const VectorXd& v) {
    VectorXd out(m);
    const VectorXd gv = mg > 0 ? VectorXd(r.G * v) : VectorXd();
    Index t = 0;
    for (Index q : lbi) out(t++) = v(q);
    for (Index q : ubi) out(t++) = -v(q);
    for (Index i : rli) out(t++) = gv(i);
    for (Index i : rui) out(t++) = -gv(i);
    return out;
  };
  VectorXd s = slack_values(x).cwiseMax(1.0);
  VectorXd z = VectorXd::Constant(m, scale);
  VectorXd y = VectorXd::Zero(me);
  const VectorXd h_shift = slack_values(VectorXd::Zero(k));  // s(x) = G x + h_shift, so r_s = G x + h_shift - s

  NewtonSystem system(r, h_scale);
  QpResult result;
  result.method = QpMethod::interior_point;
  int it = 0;
  bool converged = false;
  double best_merit = kInf;
  int stalled = 0;
  std::string stall_note;
  std::string failure;
  const double b_norm = 1.0 + (me ? r.b.cwiseAbs().maxCoeff() : 0.0);
  const double h_norm = 1.0 + (m ? h_shift.cwiseAbs().maxCoeff() : 0.0);
  for (it = 0; it < o.ipm_max_iterations; ++it) {
    if (has_deadline && std::chrono::steady_clock::now() > deadline) {
      failure = "time";
      break;
    }
    const VectorXd hx = reduced_h_times(r, x);
    const VectorXd aty = me ? VectorXd(r.A.transpose() * y) : VectorXd::Zero(k);
    const VectorXd gtz = gt_times(z);
    const VectorXd rd = hx + r.c - aty - gtz;
    const VectorXd rp = me ? VectorXd(r.A * x - r.b) : VectorXd();
    const VectorXd rs = slack_values(x) - s;
    const double mu = m > 0 ? s.dot(z) / static_cast<double>(m) : 0.0;
    const double f = 0.5 * x.dot(hx) + r.c.dot(x);
    const double primal_inf = std::max(me ? rp.cwiseAbs().maxCoeff() / b_norm : 0.0,
                                       m ? rs.cwiseAbs().maxCoeff() / h_norm : 0.0);
    // Relative to the largest term of the stationarity equation (portfolio gradients are small),
    // and at least to the size of H x before its terms cancel (h_scale |x|): a singular H with a
    // whole set of minimisers has H x + c = A'y = 0 at the optimum, and rd, rounding of H x, was
    // then measured against 1e-12 of the scale and never fell below the tolerance (iteration limit
    // at an exact solution).
    const double dual_scale = k ? std::max({(hx + r.c).cwiseAbs().maxCoeff(), aty.cwiseAbs().maxCoeff(),
                                            gtz.cwiseAbs().maxCoeff(), h_scale * x.cwiseAbs().maxCoeff(),
                                            1e-12 * scale})
                                : 1.0;
    const double dual_inf = k ? rd.cwiseAbs().maxCoeff() / dual_scale : 0.0;
    const double gap = m > 0 ? s.dot(z) / std::max(std::abs(f), 1e-3 * scale) : 0.0;
    if (primal_inf <= o.ipm_tolerance && dual_inf <= o.ipm_tolerance && gap <= o.ipm_tolerance) {
      converged = true;
      break;
    }
    // Stalled: the gap is far below the tolerance but a residual no longer decreases (rounding).
    const double merit = std::max({primal_inf, dual_inf, gap});
    if (merit < best_merit * 0.9) {
      best_merit = merit;
      stalled = 0;
    } else if (++stalled >= 5 && gap < o.ipm_tolerance && std::max(primal_inf, dual_inf) < 1e3 * o.ipm_tolerance) {
      converged = true;
      stall_note = fmt::format(" (stalled at residuals {:.2g}, {:.2g})", primal_inf, dual_inf);
      break;
    }
    if (!std::isfinite(f) || x.cwiseAbs().maxCoeff() > 1e15) {
      failure = "diverged";
      break;
    }
    // Newton system pieces.
    const VectorXd d = z.cwiseQuotient(s);
    VectorXd dx = VectorXd::Zero(k), dr = VectorXd::Zero(mg);
    {
      Index t = 0;
      for (Index q : lbi) dx(q) += d(t++);
      for (Index q : ubi) dx(q) += d(t++);
      for (Index i : rli) dr(i) += d(t++);
      for (Index i : rui) dr(i) += d(t++);
    }
    if (!system.factorize(dx, dr)) {
      failure = "factorization";
      break;
    }
    MatrixXd kinv_at;
    Eigen::LLT<MatrixXd> schur;
    if (me > 0) {
      kinv_at.resize(k, me);
      for (Index e = 0; e < me; ++e) kinv_at.col(e) = system.solve(r.A.row(e).transpose());
      MatrixXd S = r.A * kinv_at;
      S.diagonal().array() += 1e-14 * std::max(S.diagonal().cwiseAbs().maxCoeff(), 1e-300);
      schur.compute(S);
    }
    auto newton = [&](const VectorXd& rc, VectorXd& ddx, VectorXd& ddy, VectorXd& dds, VectorXd& ddz) {
      // (K) dx - A' dy = -rd - G' S^-1 (rc + Z rs);  A dx = -rp
      const VectorXd w = (rc + z.cwiseProduct(rs)).cwiseQuotient(s);
      const VectorXd rhs = -rd - gt_times(w);
      const VectorXd k_rhs = system.solve(rhs);
      if (me > 0) {
        ddy = schur.solve(-rp - r.A * k_rhs);
        ddx = k_rhs + kinv_at * ddy;
      } else {
        ddy = VectorXd();
        ddx = k_rhs;
      }
      dds = g_times(ddx) + rs;
      ddz = -(rc + z.cwiseProduct(dds)).cwiseQuotient(s);
    };
    auto max_step = [&](const VectorXd& v, const VectorXd& dv) {
      double a = 1.0;
      for (Index i = 0; i < v.size(); ++i) {
        if (dv(i) < 0) a = std::min(a, -v(i) / dv(i));
      }
      return a;
    };
    VectorXd ax, ay, as, az;
    newton(s.cwiseProduct(z), ax, ay, as, az);
    const double a_aff = std::min(max_step(s, as), max_step(z, az));
    const double mu_aff = m > 0 ? (s + a_aff * as).dot(z + a_aff * az) / static_cast<double>(m) : 0.0;
    const double sigma = mu > 0 ? std::pow(mu_aff / mu, 3) : 0.0;
    VectorXd cx, cy, cs, cz;
    newton(s.cwiseProduct(z) + as.cwiseProduct(az) - VectorXd::Constant(m, sigma * mu), cx, cy, cs, cz);
    const double step = std::min(1.0, 0.995 * std::min(max_step(s, cs), max_step(z, cz)));
    x += step * cx;
    if (me > 0) y += step * cy;
    s += step * cs;
    z += step * cz;
    if (!x.allFinite() || !s.allFinite() || !z.allFinite()) {
      failure = "non-finite";
      break;
    }
  }
  // Back to the full problem, in qp.hpp's sign conventions.
  const Index n = p.size();
  VectorXd xf = r.x_fixed_full;
  for (Index q = 0; q < k; ++q) xf(r.vars[static_cast<std::size_t>(q)]) = x(q);
  result.x = xf;
  result.equality_multipliers = VectorXd::Zero(p.equality_matrix.rows());
  result.inequality_multipliers = VectorXd::Zero(p.inequality_matrix.rows());
  for (Index e = 0; e < me; ++e) {
    const Index src = r.eq_source[static_cast<std::size_t>(e)];
    if (src >= 0) result.equality_multipliers(src) = y(e);
    else result.inequality_multipliers(-(src + 1)) = y(e);
  }
  VectorXd zb = VectorXd::Zero(k), zr = VectorXd::Zero(mg);
  {
    Index t = 0;
    for (Index q : lbi) zb(q) += z(t++);
    for (Index q : ubi) zb(q) -= z(t++);
    for (Index i : rli) zr(i) += z(t++);
    for (Index i : rui) zr(i) -= z(t++);
  }
  for (Index i = 0; i < mg; ++i) result.inequality_multipliers(r.row_source[static_cast<std::size_t>(i)]) = zr(i);
  // Fixed variables: their multiplier closes the stationarity equation.
  const VectorXd c_vec = c_full;
  VectorXd grad = p.hessian_times(xf) + c_vec;
  if (p.equality_matrix.rows() > 0) grad -= p.equality_matrix.transpose() * result.equality_multipliers;
  if (p.inequality_matrix.rows() > 0) grad -= p.inequality_matrix.transpose() * result.inequality_multipliers;
  result.bound_multipliers = grad;
  for (Index q = 0; q < k; ++q) result.bound_multipliers(r.vars[static_cast<std::size_t>(q)]) = zb(q);
  // Binding sets: a slack far below its multiplier.
  for (Index j = 0; j < n; ++j) {
    const double zj = result.bound_multipliers(j);
    const double tol = 1e-7 * (1.0 + std::abs(xf(j)));
    if (lower(j) == upper(j)) {
      result.at_lower.push_back(static_cast<int>(j));
    } else if (std::isfinite(lower(j)) && xf(j) - lower(j) <= tol && zj > 0) {
      result.at_lower.push_back(static_cast<int>(j));
    } else if (std::isfinite(upper(j)) && upper(j) - xf(j) <= tol && zj < 0) {
      result.at_upper.push_back(static_cast<int>(j));
    }
  }
  for (Index i = 0; i < p.inequality_matrix.rows(); ++i) {
    const double a = p.inequality_matrix.row(i).dot(xf);
    const double li = result.inequality_multipliers(i);
    const double lo = p.inequality_lower(i), hi = p.inequality_upper(i);
    if ((std::isfinite(hi) && hi - a <= 1e-7 * (1.0 + std::abs(hi)) && li <= 0) ||
        (std::isfinite(lo) && a - lo <= 1e-7 * (1.0 + std::abs(lo)) && li >= 0)) {
      if (li != 0.0 || lo == hi) result.active_inequalities.push_back(static_cast<int>(i));
    }
  }
  result.objective = p.objective(xf);
  if (converged) {
    result.status = Status::make(StatusCode::converged,
                                 "optimal (relative gap and residuals below ipm_tolerance)" + stall_note, it);
  } else if (failure == "time") {
    result.status = Status::make(StatusCode::time_limit, "stopped at the time limit before the tolerance", it);
  } else if (failure.empty()) {
    result.status = Status::make(StatusCode::iteration_limit,
                                 fmt::format("stopped after {} iterations before reaching ipm_tolerance {}", it,
                                             o.ipm_tolerance),
                                 it);
  } else if (failure == "diverged") {
    result.status = Status::make(StatusCode::unbounded, "the iterates diverge: the objective appears unbounded", it);
  } else {
    result.status = Status::make(StatusCode::numerical_failure,
                                 fmt::format("the Newton system could not be solved ({})", failure), it);
  }
  return result;
}

}  // namespace bankquant::portfolio::detail
