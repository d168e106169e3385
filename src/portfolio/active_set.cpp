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

bool UpdatableCholesky::append(const double* column, double diagonal, double pivot_tolerance) {
  if (k_ + 1 > capacity_) grow();
  double* row = &at(k_, 0);
  std::copy_n(column, k_, row);
  solve_lower(row);
  double d2 = diagonal;
  for (Index j = 0; j < k_; ++j) d2 -= row[j] * row[j];
  if (!(d2 > pivot_tolerance)) {
    std::fill_n(row, k_ + 1, 0.0);
    return false;
  }
  row[k_] = std::sqrt(d2);
  ++k_;
  return true;
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

bool UpdatableCholesky::rank_one(VectorXd v, double sign, double pivot_tolerance) {
  for (Index j = 0; j < k_; ++j) {
    const double ljj = at(j, j);
    const double r2 = ljj * ljj + sign * v(j) * v(j);
    if (!(r2 > (sign < 0 ? pivot_tolerance : 0.0))) return false;
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
  // A pivot of M at or below 1e-13 of its scale (rho, or 1 for H = 0) is a dependent column: the
  // Cholesky of a matrix of that scale is exact to a few hundred ulps, far below it.
  pivot_tolerance_ = 1e-13 * rho;
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

std::pair<double, VarState> ActiveSet::bound_step(Index q, double rate, double tiny) const {
  if (rate < -tiny && std::isfinite(lower(q))) return {std::max((lower(q) - x(q)) / rate, 0.0), VarState::lower};
  if (rate > tiny && std::isfinite(upper(q))) return {std::max((upper(q) - x(q)) / rate, 0.0), VarState::upper};
  return {kInf, VarState::lower};
}

std::pair<double, int> ActiveSet::row_step(Index i, double rate, double norm) const {
  const double eps = 1e-13 * std::max(problem.inequality_matrix.row(i).cwiseAbs().maxCoeff(), 1e-300) * norm;
  if (rate > eps && std::isfinite(problem.inequality_upper(i))) {
    return {std::max((problem.inequality_upper(i) - ax(i)) / rate, 0.0), 1};
  }
  if (rate < -eps && std::isfinite(problem.inequality_lower(i))) {
    return {std::max((problem.inequality_lower(i) - ax(i)) / rate, 0.0), -1};
  }
  return {kInf, 0};
}

VectorXd ActiveSet::gather_free(const VectorXd& v) const {
  VectorXd out(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) out(static_cast<Index>(q)) = v(free_list[q]);
  return out;
}

bool ActiveSet::append_free(Index j) {
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
  if (!chol_.append(column.data(), diagonal, pivot_tolerance_ * std::max(1.0, diagonal / rho))) return false;
  position[static_cast<std::size_t>(j)] = k;
  free_list.push_back(j);
  return true;
}

void ActiveSet::rebuild(const std::vector<Index>& list) {
  free_list.clear();
  std::fill(position.begin(), position.end(), -1);
  chol_.reset(std::max<Index>(std::max<Index>(std::min<Index>(n, 64), static_cast<Index>(list.size()) + 8), 16));
  std::vector<Index> dependent;
  for (Index j : list) {
    if (!append_free(j)) dependent.push_back(j);
  }
  for (Index j : dependent) {
    if (state[static_cast<std::size_t>(j)] != VarState::free) continue;  // fixed by an earlier one's step
    if (enter(j) == Entry::unbounded) return;
  }
}

void ActiveSet::refactor() { rebuild(std::vector<Index>(free_list)); }

Entry ActiveSet::free_variable(Index j, const VectorXd* tie) { return enter(j, tie); }

double ActiveSet::zero_curvature_direction(Index j, VectorXd& d) {
  const Index k = static_cast<Index>(free_list.size());
  const Index m = working_rows();
  VectorXd mj(k);
  if (k > 0) H.column(j, free_list, mj.data());
  VectorXd aj = VectorXd::Zero(m);
  RowMatrix A;
  if (m > 0) {
    A = working_matrix();
    std::vector<double> full;
    for (Index r = 0; r < m; ++r) {
      working_row(r, full);
      aj(r) = full[static_cast<std::size_t>(j)];
    }
    if (k > 0) mj.noalias() += rho * (A.transpose() * aj);
  }
  d = VectorXd::Zero(k);
  if (k > 0) {
    // min 1/2 [d; 1]' M [d; 1] subject to A d = -a_j: M d + m_j = A' nu. With M = L L', u = L^-1 m_j,
    // Y = L^-1 A': d = L^-T (Y nu - u) and Y'Y nu = Y'u - a_j (least squares: Y may be rank deficient).
    VectorXd u = mj;
    chol_.solve_lower(u.data());
    if (m > 0) {
      MatrixXd Y(k, m);
      for (Index r = 0; r < m; ++r) {
        VectorXd y = A.row(r).transpose();
        chol_.solve_lower(y.data());
        Y.col(r) = y;
      }
      const Eigen::CompleteOrthogonalDecomposition<MatrixXd> cod(MatrixXd(Y.transpose() * Y));
      const VectorXd nu = cod.solve(VectorXd(Y.transpose() * u - aj));
      d = Y * nu - u;
      chol_.solve_upper(d.data());
      // One step of refinement of A d = -a_j (the step along d must keep the working rows exact).
      const VectorXd residual = A * d + aj;
      VectorXd correction = Y * cod.solve(VectorXd(-residual));
      chol_.solve_upper(correction.data());
      d += correction;
    } else {
      d = -u;
      chol_.solve_upper(d.data());
    }
  }
  VectorXd hd = VectorXd::Zero(n);
  H.add_columns_times(free_list, d, 1.0, hd);
  H.add_columns_times(std::vector<Index>{j}, VectorXd::Ones(1), 1.0, hd);
  return (k > 0 ? gather_free(hd).dot(d) : 0.0) + hd(j);
}

Entry ActiveSet::enter(Index j, const VectorXd* tie) {
  const auto sj = static_cast<std::size_t>(j);
  struct Block {
    double alpha = kInf;
    Index var = -1, row = -1;
    VarState var_side = VarState::lower;
    int row_side = 0;
  };
  // Full-length direction sign * (d over F, 1 at j) and the first constraint it meets.
  auto full_direction = [&](const VectorXd& d, double sign) {
    VectorXd v = VectorXd::Zero(n);
    for (std::size_t q = 0; q < free_list.size(); ++q) v(free_list[q]) = sign * d(static_cast<Index>(q));
    v(j) = sign;
    return v;
  };
  auto ratio_test = [&](const VectorXd& v) {
    Block b;
    const double v_norm = v.cwiseAbs().maxCoeff();
    const double tiny = 1e-13 * v_norm;
    auto consider_var = [&](Index q) {
      const auto [a, s] = bound_step(q, v(q), tiny);
      if (a < b.alpha) b = Block{a, q, -1, s, 0};
    };
    for (Index q : free_list) consider_var(q);
    consider_var(j);
    if (mi > 0) {
      const VectorXd av = problem.inequality_matrix * v;
      for (Index i = 0; i < mi; ++i) {
        if (side[static_cast<std::size_t>(i)] != 0) continue;
        const auto [a, sd] = row_step(i, av(i), v_norm);
        if (a < b.alpha) b = Block{a, -1, i, VarState::lower, sd};
      }
    }
    return b;
  };
  // Each pass adds a constraint that cuts the zero-curvature direction off; n + mi passes bound it.
  for (Index pass = 0; pass <= n + mi + 1; ++pass) {
    if (append_free(j)) {
      state[sj] = VarState::free;
      std::fill(rejected.begin(), rejected.end(), 0);
      return Entry::entered;
    }
    VectorXd d;
    const double curvature = std::max(zero_curvature_direction(j, d), 0.0);
    const double d_norm = std::max(1.0, d.size() ? d.cwiseAbs().maxCoeff() : 0.0);
    const double slope = g(j) + (d.size() ? gather_free(g).dot(d) : 0.0);
    // Flat: the slope is far below the multipliers that free a variable (dual_tolerance).
    bool flat = std::abs(slope) <= 1e-3 * dual_tolerance * d_norm;
    double sign = slope > 0 ? -1.0 : 1.0;
    bool by_tie = false;
    if (flat && tie != nullptr) {
      const double tie_slope = (*tie)(j) + (d.size() ? gather_free(*tie).dot(d) : 0.0);
      if (std::abs(tie_slope) > 1e-9 * tie->cwiseAbs().maxCoeff() * d_norm) {
        flat = false;
        by_tie = true;
        sign = tie_slope > 0 ? -1.0 : 1.0;
      }
    }
    // Zero curvature to rounding (d'Hd is computed to about 1e-16 |H| |d|^2 per term).
    const bool zero_curvature = curvature <= 1e-12 * rho * d_norm * d_norm;
    const bool at_bound = state[sj] == VarState::lower || state[sj] == VarState::upper;
    if (at_bound && (flat || (by_tie && !zero_curvature))) {
      // Moving it changes nothing (e.g. the copy of a held asset): it stays at its bound.
      rejected[sj] = 1;
      return Entry::held;
    }
    VectorXd v = full_direction(d, sign);
    Block block = ratio_test(v);
    if (flat) {
      const VectorXd back = -v;
      const Block other = ratio_test(back);
      if (other.alpha < block.alpha) {
        block = other;
        v = back;
      }
    }
    double alpha = block.alpha;
    bool line_minimum = false;
    if (!flat && !by_tie && !zero_curvature && std::abs(slope) / curvature < alpha) {
      // Curvature small but not zero (a nearly dependent column): stop at the minimum along d.
      alpha = std::abs(slope) / curvature;
      line_minimum = true;
    }
    if (!std::isfinite(alpha)) {
      if (!flat) {
        unbounded = true;
        unbounded_message = fmt::format("the objective decreases without bound along a direction of zero curvature "
                                        "that no constraint limits (moving '{}')",
                                        problem.variable_name(j));
        return Entry::unbounded;
      }
      state[sj] = VarState::pinned;  // flat and unlimited both ways: any point of the line is as good
      return Entry::held;
    }
    if (alpha > 0) {
      x += alpha * v;
      g += alpha * H.times(v);
      if (mi > 0) ax += alpha * (problem.inequality_matrix * v);
    }
    if (line_minimum) {
      state[sj] = VarState::pinned;
      return Entry::held;
    }
    if (block.var == j) {
      // j crosses to its other bound (or cannot move off the one it is at).
      state[sj] = block.var_side;
      x(j) = block.var_side == VarState::lower ? lower(j) : upper(j);
      if (alpha == 0) rejected[sj] = 1;
      return Entry::held;
    }
    if (block.var >= 0) {
      fix_variable(block.var, block.var_side);
    } else {
      add_row(block.row, block.row_side);
      ax(block.row) = row_bound(block.row, block.row_side);
    }
  }
  // Not reached in exact arithmetic; rounding: leave j where it is.
  if (state[sj] == VarState::lower || state[sj] == VarState::upper) {
    x(j) = state[sj] == VarState::lower ? lower(j) : upper(j);
    rejected[sj] = 1;
  } else {
    state[sj] = VarState::pinned;
  }
  return Entry::held;
}

void ActiveSet::fix_variable(Index j, VarState s) {
  const Index pos = position[static_cast<std::size_t>(j)];
  state[static_cast<std::size_t>(j)] = s;
  std::fill(rejected.begin(), rejected.end(), 0);
  if (s == VarState::lower) x(j) = lower(j);
  if (s == VarState::upper) x(j) = upper(j);
  if (pos < 0) return;
  chol_.remove(pos);
  free_list.erase(free_list.begin() + pos);
  position[static_cast<std::size_t>(j)] = -1;
  for (std::size_t q = static_cast<std::size_t>(pos); q < free_list.size(); ++q) position[static_cast<std::size_t>(free_list[q])] = static_cast<Index>(q);
}

void ActiveSet::add_row(Index i, int s) {
  side[static_cast<std::size_t>(i)] = s;
  std::fill(rejected.begin(), rejected.end(), 0);
  active.push_back(i);
  VectorXd v(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) v(static_cast<Index>(q)) = std::sqrt(rho) * problem.inequality_matrix(i, free_list[q]);
  if (!chol_.rank_one(v, 1.0, pivot_tolerance_)) refactor();
}

void ActiveSet::drop_row(Index i) {
  side[static_cast<std::size_t>(i)] = 0;
  std::fill(rejected.begin(), rejected.end(), 0);
  active.erase(std::find(active.begin(), active.end(), i));
  VectorXd v(static_cast<Index>(free_list.size()));
  for (std::size_t q = 0; q < free_list.size(); ++q) v(static_cast<Index>(q)) = std::sqrt(rho) * problem.inequality_matrix(i, free_list[q]);
  if (!chol_.rank_one(v, -1.0, pivot_tolerance_)) refactor();  // dependent now: rebuild() resolves it
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
  unbounded = false;
  unbounded_message.clear();
  rejected.assign(static_cast<std::size_t>(n), 0);
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
  rebuild(std::vector<Index>(free_list));
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
  if (unbounded) return Status::make(StatusCode::unbounded, unbounded_message, iterations);
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
    // Stationary also when the step changes the objective by nothing to first order (g'p = -p'Mp):
    // a step along a direction of (numerically) zero curvature and zero slope that the factor,
    // nearly singular there, failed to resolve. Taking it moved x at no gain, without end.
    const bool flat_step = p_norm > 0 && std::abs(g_free.dot(p)) <= 1e-3 * dual_tolerance * p_norm;
    const bool stationary = p_norm <= 1e-10 * x_scale || flat_step;
    if (!stationary) {
      // Ratio test over the free variables and the inactive rows.
      double alpha = 1.0;
      Index block_var = -1, block_row = -1;
      int block_side = 0;
      VarState block_state = VarState::lower;
      const double tiny = 1e-15 * x_scale;
      for (std::size_t q = 0; q < free_list.size(); ++q) {
        const Index j = free_list[q];
        const auto [a, s] = bound_step(j, p(static_cast<Index>(q)), tiny);
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
          double rate = 0.0;
          for (std::size_t q = 0; q < free_list.size(); ++q) {
            rate += problem.inequality_matrix(i, free_list[q]) * p(static_cast<Index>(q));
          }
          const auto [a, sd] = row_step(i, rate, p_norm + 1e-300);
          if (a < alpha) {
            alpha = a;
            block_row = i;
            block_side = sd;
            block_var = -1;
          }
        }
      }
      const bool blocked = block_var >= 0 || block_row >= 0;
      // The factor is definite (enter() keeps it so): p is a Newton step of finite length, and
      // an unblocked one is taken whole. This guards against a badly conditioned one.
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
      if (unbounded) return Status::make(StatusCode::unbounded, unbounded_message, iterations);
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
      if (s == VarState::free || lower(j) == upper(j) || rejected[static_cast<std::size_t>(j)]) continue;
      // A pinned variable's temporary bound holds with a multiplier of either sign: none is right.
      const double violation = s == VarState::lower ? -z(j) : s == VarState::upper ? z(j) : std::abs(z(j));
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
      (void)free_variable(release_var);
    }
    if (unbounded) return Status::make(StatusCode::unbounded, unbounded_message, iterations);
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
