#include "active_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio::detail {

namespace {
using bankquant::detail::kInf;
}

// ---------------------------------------------------------------- HessianView

HessianView::HessianView(const QpProblem& p) {
  n_ = p.size();
  if (p.is_factor()) {
    factor_ = &p.factor;
    const auto& f = p.factor;
    bf_ = f.loadings * f.factor_covariance;
    diagonal_ = (bf_.cwiseProduct(f.loadings)).rowwise().sum();
    if (f.specific.size() > 0) diagonal_ += f.specific;
  } else {
    dense_ = &p.hessian;
    diagonal_ = p.hessian.diagonal();
  }
  max_diagonal_ = n_ > 0 ? diagonal_.cwiseAbs().maxCoeff() : 0.0;
}

double HessianView::operator()(Index i, Index j) const {
  if (dense_) return (*dense_)(i, j);
  double v = bf_.row(i).dot(factor_->loadings.row(j));
  if (i == j && factor_->specific.size() > 0) v += factor_->specific(i);
  return v;
}

void HessianView::column(Index j, const std::vector<Index>& rows, double* out) const {
  if (dense_) {
    const double* col = dense_->data() + j * dense_->rows();
    for (std::size_t r = 0; r < rows.size(); ++r) out[r] = col[rows[r]];
    return;
  }
  const auto bj = factor_->loadings.row(j);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Index i = rows[r];
    double v = bf_.row(i).dot(bj);
    if (i == j && factor_->specific.size() > 0) v += factor_->specific(i);
    out[r] = v;
  }
}

void HessianView::add_columns_times(const std::vector<Index>& cols, const VectorXd& v, double alpha,
                                    VectorXd& y) const {
  if (cols.empty()) return;
  if (dense_) {
    for (std::size_t r = 0; r < cols.size(); ++r) {
      const double s = alpha * v(static_cast<Index>(r));
      if (s != 0.0) y.noalias() += s * dense_->col(cols[r]);
    }
    return;
  }
  const Index k = factor_->loadings.cols();
  VectorXd t = VectorXd::Zero(k);
  for (std::size_t r = 0; r < cols.size(); ++r) t += v(static_cast<Index>(r)) * factor_->loadings.row(cols[r]).transpose();
  y.noalias() += alpha * (bf_ * t);
  if (factor_->specific.size() > 0) {
    for (std::size_t r = 0; r < cols.size(); ++r) y(cols[r]) += alpha * v(static_cast<Index>(r)) * factor_->specific(cols[r]);
  }
}

VectorXd HessianView::times(const VectorXd& x) const {
  if (dense_) return (*dense_) * x;
  VectorXd y = bf_ * (factor_->loadings.transpose() * x);
  if (factor_->specific.size() > 0) y += factor_->specific.cwiseProduct(x);
  return y;
}

// ---------------------------------------------------------------- UpdatableCholesky

void UpdatableCholesky::reset(Index capacity) {
  capacity_ = std::max<Index>(capacity, 4);
  data_.assign(static_cast<std::size_t>(capacity_ * capacity_), 0.0);
  k_ = 0;
}

void UpdatableCholesky::grow() {
  const Index cap = capacity_ * 2;
  std::vector<double> bigger(static_cast<std::size_t>(cap * cap), 0.0);
  for (Index i = 0; i < k_; ++i) {
    std::copy_n(data_.begin() + i * capacity_, i + 1, bigger.begin() + i * cap);
  }
  data_.swap(bigger);
  capacity_ = cap;
}

bool UpdatableCholesky::append(const double* column, double diagonal, double pivot_tolerance, double regularisation) {
  if (k_ + 1 > capacity_) grow();
  double* row = &at(k_, 0);
  std::copy_n(column, k_, row);
  solve_lower(row);
  double d2 = diagonal;
  for (Index j = 0; j < k_; ++j) d2 -= row[j] * row[j];
  bool ok = true;
  if (!(d2 > pivot_tolerance)) {
    d2 = regularisation;
    ok = false;
  }
  row[k_] = std::sqrt(d2);
  ++k_;
  return ok;
}

void UpdatableCholesky::remove(Index pos) {
  // Drop row pos; the rows below keep one entry above the diagonal, removed by rotating column
  // pairs (c, c + 1) from the right.
  for (Index i = pos; i + 1 < k_; ++i) std::copy_n(&at(i + 1, 0), i + 2, &at(i, 0));
  for (Index c = pos; c + 1 < k_; ++c) {
    const double a = at(c, c), b = at(c, c + 1);
    const double r = std::hypot(a, b);
    if (r == 0.0) continue;
    const double cs = a / r, sn = b / r;
    for (Index i = c; i + 1 < k_; ++i) {
      const double u = at(i, c), v = at(i, c + 1);
      at(i, c) = cs * u + sn * v;
      at(i, c + 1) = -sn * u + cs * v;
    }
  }
  --k_;
  for (Index i = 0; i < k_; ++i) at(i, k_) = 0.0;
  for (Index c = 0; c < k_; ++c) {
    if (at(c, c) < 0) {
      for (Index i = c; i < k_; ++i) at(i, c) = -at(i, c);
    }
  }
}

bool UpdatableCholesky::rank_one(VectorXd v, double sign) {
  for (Index j = 0; j < k_; ++j) {
    const double ljj = at(j, j);
    const double r2 = ljj * ljj + sign * v(j) * v(j);
    if (!(r2 > 0)) return false;
    const double r = std::sqrt(r2);
    const double cs = r / ljj, sn = v(j) / ljj;
    at(j, j) = r;
    for (Index i = j + 1; i < k_; ++i) {
      at(i, j) = (at(i, j) + sign * sn * v(i)) / cs;
      v(i) = cs * v(i) - sn * at(i, j);
    }
  }
  return true;
}

void UpdatableCholesky::solve_lower(double* v) const {
  for (Index i = 0; i < k_; ++i) {
    const double* row = &at(i, 0);
    double s = v[i];
    for (Index j = 0; j < i; ++j) s -= row[j] * v[j];
    v[i] = s / row[i];
  }
}

void UpdatableCholesky::solve_upper(double* v) const {
  for (Index i = k_ - 1; i >= 0; --i) {
    const double* row = &at(i, 0);
    const double xi = v[i] / row[i];
    v[i] = xi;
    for (Index j = 0; j < i; ++j) v[j] -= row[j] * xi;
  }
}

// ---------------------------------------------------------------- ActiveSet

ActiveSet::ActiveSet(const QpProblem& p, const QpOptions& o)
    : problem(p), H(p), n(p.size()), me(p.equality_matrix.rows()), mi(p.inequality_matrix.rows()), options_(o) {
  lower = p.lower.size() ? p.lower : VectorXd::Constant(n, -kInf);
  upper = p.upper.size() ? p.upper : VectorXd::Constant(n, kInf);
  c = p.linear.size() ? p.linear : VectorXd::Zero(n);
  // Equalities that depend on the others are dropped (a consistent duplicate, e.g. a group that
  // spans every asset next to the budget); their multipliers are reported as 0.
  equality_kept.assign(static_cast<std::size_t>(me), 1);
  if (me > 0) {
    Eigen::ColPivHouseholderQR<MatrixXd> qr(MatrixXd(p.equality_matrix.transpose()));
    qr.setThreshold(1e-12);
    if (qr.rank() < me) {
      equality_kept.assign(static_cast<std::size_t>(me), 0);
      for (Index r = 0; r < qr.rank(); ++r) equality_kept[static_cast<std::size_t>(qr.colsPermutation().indices()(r))] = 1;
    }
  }
  double scale = std::max(H.max_diagonal(), c.size() ? c.cwiseAbs().maxCoeff() : 0.0);
  if (!(scale > 0)) scale = 1.0;
  dual_tolerance = o.optimality_tolerance * scale;
  feasibility_tolerance_ = o.feasibility_tolerance;
  // rho of the order of H's diagonal: large enough to make M definite along the working rows,
  // small enough not to swamp H's own conditioning.
  rho = H.max_diagonal() > 0 ? H.max_diagonal() : 1.0;
  pivot_tolerance_ = 1e-13 * std::max(H.max_diagonal(), 1e-300);
  regularisation_ = 1e-10 * std::max(H.max_diagonal(), 1e-300);
  if (!(H.max_diagonal() > 0)) {
    pivot_tolerance_ = 1e-300;
    regularisation_ = 1e-10;
  }
}

Index ActiveSet::working_rows() const {
  Index m = 0;
  for (char k : equality_kept) m += k;
  return m + static_cast<Index>(active.size());
}

void ActiveSet::working_row(Index r, std::vector<double>& full) const {
  full.assign(static_cast<std::size_t>(n), 0.0);
  Index e = 0;
  for (Index i = 0; i < me; ++i) {
    if (!equality_kept[static_cast<std::size_t>(i)]) continue;
    if (e == r) {
      for (Index j = 0; j < n; ++j) full[static_cast<std::size_t>(j)] = problem.equality_matrix(i, j);
      return;
    }
    ++e;
  }
  const Index i = active[static_cast<std::size_t>(r - e)];
  for (Index j = 0; j < n; ++j) full[static_cast<std::size_t>(j)] = problem.inequality_matrix(i, j);
}

RowMatrix ActiveSet::working_matrix() const {
  const Index m = working_rows(), k = static_cast<Index>(free_list.size());
  RowMatrix A(m, k);
  Index r = 0;
  for (Index i = 0; i < me; ++i) {
    if (!equality_kept[static_cast<std::size_t>(i)]) continue;
    for (Index q = 0; q < k; ++q) A(r, q) = problem.equality_matrix(i, free_list[static_cast<std::size_t>(q)]);
    ++r;
  }
  for (Index i : active) {
    for (Index q = 0; q < k; ++q) A(r, q) = problem.inequality_matrix(i, free_list[static_cast<std::size_t>(q)]);
    ++r;
  }
  return A;
}

double ActiveSet::row_bound(Index i, int s) const {
  return s < 0 ? problem.inequality_lower(i) : problem.inequality_upper(i);
}

VectorXd ActiveSet::gather_free(const VectorXd& v) const {
  VectorXd out(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) out(static_cast<Index>(q)) = v(free_list[q]);
  return out;
}

void ActiveSet::append_free(Index j) {
  const Index k = static_cast<Index>(free_list.size());
  std::vector<double> column(static_cast<std::size_t>(k));
  H.column(j, free_list, column.data());
  double diagonal = H.diagonal(j);
  // + rho A_W,F' a_W,j
  const Index m = working_rows();
  if (m > 0) {
    std::vector<double> full;
    for (Index r = 0; r < m; ++r) {
      working_row(r, full);
      const double arj = full[static_cast<std::size_t>(j)];
      if (arj == 0.0) continue;
      diagonal += rho * arj * arj;
      for (Index q = 0; q < k; ++q) column[static_cast<std::size_t>(q)] += rho * full[static_cast<std::size_t>(free_list[static_cast<std::size_t>(q)])] * arj;
    }
  }
  if (!chol_.append(column.data(), diagonal, pivot_tolerance_ * std::max(1.0, diagonal / std::max(H.max_diagonal(), 1e-300)),
                    regularisation_)) {
    ++regularised;
  }
  position[static_cast<std::size_t>(j)] = k;
  free_list.push_back(j);
}

void ActiveSet::refactor() {
  const std::vector<Index> list = free_list;
  free_list.clear();
  std::fill(position.begin(), position.end(), -1);
  chol_.reset(std::max<Index>(static_cast<Index>(list.size()) + 8, 16));
  regularised = 0;
  for (Index j : list) append_free(j);
}

void ActiveSet::free_variable(Index j) {
  state[static_cast<std::size_t>(j)] = VarState::free;
  append_free(j);
}

void ActiveSet::fix_variable(Index j, VarState s) {
  const Index pos = position[static_cast<std::size_t>(j)];
  state[static_cast<std::size_t>(j)] = s;
  x(j) = s == VarState::lower ? lower(j) : upper(j);
  if (pos < 0) return;
  chol_.remove(pos);
  free_list.erase(free_list.begin() + pos);
  position[static_cast<std::size_t>(j)] = -1;
  for (std::size_t q = static_cast<std::size_t>(pos); q < free_list.size(); ++q) position[static_cast<std::size_t>(free_list[q])] = static_cast<Index>(q);
}

void ActiveSet::add_row(Index i, int s) {
  side[static_cast<std::size_t>(i)] = s;
  active.push_back(i);
  VectorXd v(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) v(static_cast<Index>(q)) = std::sqrt(rho) * problem.inequality_matrix(i, free_list[q]);
  if (!chol_.rank_one(v, 1.0)) refactor();
}

void ActiveSet::drop_row(Index i) {
  side[static_cast<std::size_t>(i)] = 0;
  active.erase(std::find(active.begin(), active.end(), i));
  VectorXd v(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) v(static_cast<Index>(q)) = std::sqrt(rho) * problem.inequality_matrix(i, free_list[q]);
  if (!chol_.rank_one(v, -1.0)) refactor();
}

void ActiveSet::set_linear(const VectorXd& linear) {
  c = linear;
  g = H.times(x) + c;
}

void ActiveSet::move(const VectorXd& p_free, double alpha) {
  if (alpha == 0.0) return;
  for (std::size_t q = 0; q < free_list.size(); ++q) x(free_list[q]) += alpha * p_free(static_cast<Index>(q));
  H.add_columns_times(free_list, p_free, alpha, g);
  if (mi > 0) {
    for (Index i = 0; i < mi; ++i) {
      double s = 0.0;
      for (std::size_t q = 0; q < free_list.size(); ++q) s += problem.inequality_matrix(i, free_list[q]) * p_free(static_cast<Index>(q));
      ax(i) += alpha * s;
    }
  }
}

void ActiveSet::solve_kkt(const VectorXd& rhs_free, VectorXd& p, VectorXd& lambda) {
  const Index k = static_cast<Index>(free_list.size());
  const Index m = working_rows();
  VectorXd u = rhs_free;
  chol_.solve_lower(u.data());
  if (m == 0 || k == 0) {
    lambda = VectorXd::Zero(m);
    p = u;
    chol_.solve_upper(p.data());
    return;
  }
  const RowMatrix A = working_matrix();
  MatrixXd Y(k, m);
  for (Index r = 0; r < m; ++r) {
    VectorXd y = A.row(r).transpose();
    chol_.solve_lower(y.data());
    Y.col(r) = y;
  }
  // M p - A' lambda = rhs, A p = 0  <=>  lambda = argmin || L^-1 rhs + Y lambda ||, p = L^-T (u + Y lambda).
  Eigen::ColPivHouseholderQR<MatrixXd> qr(Y);
  lambda = -qr.solve(u);
  VectorXd r = u + Y * lambda;
  // One step of refinement of the projection (Y'r = 0 to rounding).
  lambda -= qr.solve(r);
  r = u + Y * lambda;
  // r is the part of u outside the span of the working rows. When the working rows leave the
  // free variables no freedom (rank >= |F|, a vertex), or r is at rounding level against u, the
  // exact answer is p = 0: rounding noise instead of 0 was followed as a direction by the
  // parametric frontier, which multiplied it by a step of 1e13 and lost the budget row.
  if (qr.rank() >= k || r.norm() <= 1e-12 * u.norm()) r.setZero();
  p = r;
  chol_.solve_upper(p.data());
}

VectorXd ActiveSet::fixed_multipliers(const VectorXd& grad, const VectorXd& lambda) const {
  VectorXd z = grad;
  Index r = 0;
  for (Index i = 0; i < me; ++i) {
    if (!equality_kept[static_cast<std::size_t>(i)]) continue;
    if (lambda(r) != 0.0) z.noalias() -= lambda(r) * problem.equality_matrix.row(i).transpose();
    ++r;
  }
  for (Index i : active) {
    if (lambda(r) != 0.0) z.noalias() -= lambda(r) * problem.inequality_matrix.row(i).transpose();
    ++r;
  }
  for (Index j : free_list) z(j) = 0.0;
  return z;
}

void ActiveSet::start(const VectorXd& x0) {
  x = x0;
  state.assign(static_cast<std::size_t>(n), VarState::free);
  position.assign(static_cast<std::size_t>(n), -1);
  free_list.clear();
  active.clear();
  side.assign(static_cast<std::size_t>(mi), 0);
  for (Index j = 0; j < n; ++j) {
    const double tl = feasibility_tolerance_ * (1.0 + std::abs(lower(j)));
    const double tu = feasibility_tolerance_ * (1.0 + std::abs(upper(j)));
    if (lower(j) == upper(j) || x(j) <= lower(j) + tl) {
      state[static_cast<std::size_t>(j)] = VarState::lower;
      x(j) = lower(j);
    } else if (x(j) >= upper(j) - tu) {
      state[static_cast<std::size_t>(j)] = VarState::upper;
      x(j) = upper(j);
    }
  }
  ax = mi > 0 ? VectorXd(problem.inequality_matrix * x) : VectorXd();
  for (Index i = 0; i < mi; ++i) {
    const double lo = problem.inequality_lower(i), hi = problem.inequality_upper(i);
    if (std::isfinite(hi) && ax(i) >= hi - feasibility_tolerance_ * (1.0 + std::abs(hi))) {
      side[static_cast<std::size_t>(i)] = 1;
    } else if (std::isfinite(lo) && ax(i) <= lo + feasibility_tolerance_ * (1.0 + std::abs(lo))) {
      side[static_cast<std::size_t>(i)] = -1;
    }
  }
  ensure_full_rank();
  restore_working_feasibility();
  g = H.times(x) + c;
  ax = mi > 0 ? VectorXd(problem.inequality_matrix * x) : VectorXd();
  chol_.reset(std::max<Index>(std::min<Index>(n, 64), static_cast<Index>(free_list.size()) + 8));
  const std::vector<Index> list = free_list;
  free_list.clear();
  regularised = 0;
  for (Index j : list) append_free(j);
}

void ActiveSet::ensure_full_rank() {
  // The working rows restricted to F must be independent. Rows are taken in order (equalities,
  // then the active inequalities); a dependent inequality stays out of the working set; a
  // dependent equality frees a fixed variable of its support (largest coefficient first).
  auto build_free = [&] {
    free_list.clear();
    for (Index j = 0; j < n; ++j) {
      position[static_cast<std::size_t>(j)] = -1;
      if (state[static_cast<std::size_t>(j)] == VarState::free) {
        position[static_cast<std::size_t>(j)] = static_cast<Index>(free_list.size());
        free_list.push_back(j);
      }
    }
  };
  build_free();
  for (bool changed = true; changed;) {
    changed = false;
    active.clear();
    std::vector<VectorXd> basis;  // orthonormal, over F
    auto residual_norm = [&](VectorXd v) {
      for (const auto& b : basis) v -= b.dot(v) * b;
      for (const auto& b : basis) v -= b.dot(v) * b;
      return v;
    };
    const Index k = static_cast<Index>(free_list.size());
    auto restrict = [&](const auto& row) {
      VectorXd v(k);
      for (Index q = 0; q < k; ++q) v(q) = row(free_list[static_cast<std::size_t>(q)]);
      return v;
    };
    for (Index i = 0; i < me && !changed; ++i) {
      if (!equality_kept[static_cast<std::size_t>(i)]) continue;
      const auto row = problem.equality_matrix.row(i);
      VectorXd v = residual_norm(restrict(row));
      const double norm = v.norm();
      if (norm > 1e-9 * std::max(row.cwiseAbs().maxCoeff(), 1e-300)) {
        basis.push_back(v / norm);
        continue;
      }
      // Free the fixed variable with the largest coefficient (not a fixed-by-bounds one).
      Index best = -1;
      double best_abs = 0.0;
      for (Index j = 0; j < n; ++j) {
        if (state[static_cast<std::size_t>(j)] == VarState::free || lower(j) == upper(j)) continue;
        if (std::abs(row(j)) > best_abs) {
          best_abs = std::abs(row(j));
          best = j;
        }
      }
      if (best < 0) {
        equality_kept[static_cast<std::size_t>(i)] = 0;  // only fixed-by-bounds variables: satisfied, redundant
        continue;
      }
      state[static_cast<std::size_t>(best)] = VarState::free;
      build_free();
      changed = true;
    }
    if (changed) continue;
    for (Index i = 0; i < mi; ++i) {
      if (side[static_cast<std::size_t>(i)] == 0) continue;
      const auto row = problem.inequality_matrix.row(i);
      VectorXd v = residual_norm(restrict(row));
      const double norm = v.norm();
      if (norm > 1e-9 * std::max(row.cwiseAbs().maxCoeff(), 1e-300)) {
        basis.push_back(v / norm);
        active.push_back(i);
      } else {
        side[static_cast<std::size_t>(i)] = 0;  // active but dependent: left out of the working set
      }
    }
  }
}

void ActiveSet::restore_working_feasibility() {
  // A phase-1 point from an LP solver satisfies the rows only to its tolerance; move the free
  // variables by the least-norm correction that makes every working row hold exactly.
  const Index m = working_rows(), k = static_cast<Index>(free_list.size());
  if (m == 0 || k == 0) return;
  const RowMatrix A = working_matrix();
  VectorXd r(m);
  Index row = 0;
  for (Index i = 0; i < me; ++i) {
    if (!equality_kept[static_cast<std::size_t>(i)]) continue;
    r(row++) = problem.equality_matrix.row(i).dot(x) - problem.equality_rhs(i);
  }
  for (Index i : active) r(row++) = problem.inequality_matrix.row(i).dot(x) - row_bound(i, side[static_cast<std::size_t>(i)]);
  if (r.cwiseAbs().maxCoeff() == 0.0) return;
  const MatrixXd At = A.transpose();
  const VectorXd dx = -At * (A * At).ldlt().solve(r);
  for (Index q = 0; q < k; ++q) {
    const Index j = free_list[static_cast<std::size_t>(q)];
    x(j) = std::clamp(x(j) + dx(q), lower(j), upper(j));
  }
}

Status ActiveSet::run(std::chrono::steady_clock::time_point deadline, bool has_deadline) {
  const int limit = options_.max_iterations > 0 ? options_.max_iterations
                                                : static_cast<int>(10 * (n + me + mi) + 100);
  int degenerate = 0;
  VectorXd p, lambda;
  for (;;) {
    if (iterations >= limit) {
      return Status::make(StatusCode::iteration_limit,
                          fmt::format("stopped at the iteration limit ({}) before the optimum", limit), iterations);
    }
    if (has_deadline && std::chrono::steady_clock::now() > deadline) {
      return Status::make(StatusCode::time_limit, "stopped at the time limit before the optimum", iterations);
    }
    ++iterations;
    const VectorXd g_free = gather_free(g);
    solve_kkt(-g_free, p, lambda);
    const double x_scale = 1.0 + (free_list.empty() ? 0.0 : gather_free(x).cwiseAbs().maxCoeff());
    const double p_norm = p.size() ? p.cwiseAbs().maxCoeff() : 0.0;
    if (!std::isfinite(p_norm)) {
      return Status::make(StatusCode::numerical_failure, "the step became non-finite (an ill-conditioned system)",
                          iterations);
    }
    const bool stationary = p_norm <= 1e-10 * x_scale;
    if (!stationary) {
      // Ratio test over the free variables and the inactive rows.
      double alpha = 1.0;
      Index block_var = -1, block_row = -1;
      int block_side = 0;
      VarState block_state = VarState::lower;
      const double tiny = 1e-15 * x_scale;
      for (std::size_t q = 0; q < free_list.size(); ++q) {
        const Index j = free_list[q];
        const double pj = p(static_cast<Index>(q));
        double a = kInf;
        VarState s = VarState::lower;
        if (pj < -tiny && std::isfinite(lower(j))) {
          a = (lower(j) - x(j)) / pj;
        } else if (pj > tiny && std::isfinite(upper(j))) {
          a = (upper(j) - x(j)) / pj;
          s = VarState::upper;
        }
        a = std::max(a, 0.0);
        if (a < alpha || (a == alpha && block_var >= 0 && j < block_var && degenerate > 20)) {
          alpha = a;
          block_var = j;
          block_state = s;
          block_row = -1;
        }
      }
      if (mi > 0) {
        for (Index i = 0; i < mi; ++i) {
          if (side[static_cast<std::size_t>(i)] != 0) continue;
          double s = 0.0;
          for (std::size_t q = 0; q < free_list.size(); ++q) s += problem.inequality_matrix(i, free_list[q]) * p(static_cast<Index>(q));
          const double scale = 1e-13 * std::max(problem.inequality_matrix.row(i).cwiseAbs().maxCoeff(), 1e-300) * (p_norm + 1e-300);
          double a = kInf;
          int sd = 0;
          if (s > scale && std::isfinite(problem.inequality_upper(i))) {
            a = (problem.inequality_upper(i) - ax(i)) / s;
            sd = 1;
          } else if (s < -scale && std::isfinite(problem.inequality_lower(i))) {
            a = (problem.inequality_lower(i) - ax(i)) / s;
            sd = -1;
          }
          a = std::max(a, 0.0);
          if (a < alpha) {
            alpha = a;
            block_row = i;
            block_side = sd;
            block_var = -1;
          }
        }
      }
      const bool blocked = block_var >= 0 || block_row >= 0;
      if (!blocked && regularised > 0) {
        // A zero-curvature direction that nothing blocks: the objective decreases without bound.
        VectorXd hp = VectorXd::Zero(n);
        H.add_columns_times(free_list, p, 1.0, hp);
        const double curvature = gather_free(hp).dot(p);
        if (curvature <= 1e-9 * H.max_diagonal() * p.squaredNorm() && g_free.dot(p) < 0) {
          return Status::make(StatusCode::unbounded,
                              "the objective decreases without bound along a direction of zero curvature that no "
                              "constraint limits",
                              iterations);
        }
      }
      if (alpha * p_norm > 1e12 * x_scale) {
        return Status::make(StatusCode::unbounded, "the objective decreases without bound (no constraint limits it)",
                            iterations);
      }
      move(p, alpha);
      degenerate = (blocked && alpha * p_norm <= 1e-14 * x_scale) ? degenerate + 1 : 0;
      if (block_var >= 0) {
        fix_variable(block_var, block_state);
      } else if (block_row >= 0) {
        add_row(block_row, block_side);
        ax(block_row) = row_bound(block_row, block_side);
      }
      // After a blocked zero-curvature step the regularised pivot may now be definite: refactor.
      if (blocked && regularised > 0) refactor();
      continue;
    }
    // Stationary on the working set: take the last tiny step, then release the constraint whose
    // multiplier has the wrong sign (lambda from the solve at this point).
    if (p_norm > 0) {
      bool inside = true;
      for (std::size_t q = 0; q < free_list.size() && inside; ++q) {
        const Index j = free_list[q];
        const double xj = x(j) + p(static_cast<Index>(q));
        inside = xj >= lower(j) && xj <= upper(j);
      }
      if (inside) move(p, 1.0);
    }
    const VectorXd z = fixed_multipliers(g, lambda);
    double worst = dual_tolerance;
    Index release_var = -1, release_row = -1;
    const bool bland = degenerate > 20;
    for (Index j = 0; j < n; ++j) {
      const VarState s = state[static_cast<std::size_t>(j)];
      if (s == VarState::free || lower(j) == upper(j)) continue;
      const double violation = s == VarState::lower ? -z(j) : z(j);
      if (violation > worst) {
        worst = violation;
        release_var = j;
        if (bland) break;
      }
    }
    Index r0 = 0;
    for (char k : equality_kept) r0 += k;
    if (!(bland && release_var >= 0)) {
      for (std::size_t a = 0; a < active.size(); ++a) {
        const Index i = active[a];
        const double li = lambda(r0 + static_cast<Index>(a));
        const double norm = std::max(problem.inequality_matrix.row(i).cwiseAbs().maxCoeff(), 1e-300);
        const double violation = (side[static_cast<std::size_t>(i)] > 0 ? li : -li) / norm;
        if (violation > worst) {
          worst = violation;
          release_row = i;
          release_var = -1;
          if (bland) break;
        }
      }
    }
    if (release_var < 0 && release_row < 0) {
      return Status::make(StatusCode::converged, "optimal", iterations);
    }
    if (release_row >= 0) {
      drop_row(release_row);
    } else {
      free_variable(release_var);
    }
  }
}

void ActiveSet::fill(QpResult& result) {
  g = H.times(x) + c;
  VectorXd p, lambda;
  solve_kkt(-gather_free(g), p, lambda);
  const VectorXd z = fixed_multipliers(g, lambda);
  result.x = x;
  result.objective = 0.5 * x.dot(g - c) + c.dot(x);
  result.equality_multipliers = VectorXd::Zero(me);
  result.inequality_multipliers = VectorXd::Zero(mi);
  result.bound_multipliers = z;
  Index r = 0;
  for (Index i = 0; i < me; ++i) {
    if (!equality_kept[static_cast<std::size_t>(i)]) continue;
    result.equality_multipliers(i) = lambda(r++);
  }
  for (Index i : active) result.inequality_multipliers(i) = lambda(r++);
  result.at_lower.clear();
  result.at_upper.clear();
  for (Index j = 0; j < n; ++j) {
    if (state[static_cast<std::size_t>(j)] == VarState::lower) result.at_lower.push_back(static_cast<int>(j));
    if (state[static_cast<std::size_t>(j)] == VarState::upper) result.at_upper.push_back(static_cast<int>(j));
  }
  result.active_inequalities.assign(active.begin(), active.end());
  std::sort(result.active_inequalities.begin(), result.active_inequalities.end());
}

}  // namespace bankquant::portfolio::detail
