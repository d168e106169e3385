#include "bankquant/portfolio/risk_parity.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/portfolio/naive.hpp"
#include "bankquant/portfolio/qp.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
using bankquant::detail::kInf;
}

void RiskBudgetOptions::validate() const {
  for (Index i = 0; i < budgets.size(); ++i) {
    if (!(budgets(i) > 0) || !std::isfinite(budgets(i))) {
      check::fail("budgets", fmt::format("expected positive finite risk budgets, got {} at {}", budgets(i), i));
    }
  }
  // Budgets are shares of the risk: a sum of 1.1 is a typing mistake more often than a proportion,
  // so it is refused rather than silently rescaled (1e-6 admits budgets rounded to 6 decimals).
  if (budgets.size() > 0 && std::abs(budgets.sum() - 1.0) > 1e-6) {
    check::fail("budgets", fmt::format("expected risk budgets that sum to 1 (shares of the portfolio's risk), got a sum "
                                       "of {:.10g}; divide them by their sum to use them as proportions",
                                       budgets.sum()));
  }
  for (Index i = 0; i < lower.size(); ++i) {
    if (std::isnan(lower(i)) || lower(i) >= 1.0) check::fail("lower", fmt::format("expected values below 1, got {} at {}", lower(i), i));
  }
  for (Index i = 0; i < upper.size(); ++i) {
    if (!(upper(i) > 0)) check::fail("upper", fmt::format("expected positive values (every asset is held), got {} at {}", upper(i), i));
  }
  check::finite("risk_free", risk_free);
  check::integer_at_least("max_iterations", max_iterations, 1);
  check::positive("tolerance", tolerance);
}

PortfolioResult risk_budgeting(const Eigen::Ref<const MatrixXd>& cov, const Eigen::Ref<const VectorXd>& mu,
                               const RiskBudgetOptions& o) {
  o.validate();
  const auto started = std::chrono::steady_clock::now();
  const Index n = cov.rows();
  check_covariance("cov", cov, mu.size() ? mu.size() : n);
  for (Index i = 0; i < n; ++i) {
    if (!(cov(i, i) > 0)) check::fail("cov", fmt::format("risk budgeting needs positive variances; asset {} has {}", i, cov(i, i)));
  }
  if (o.budgets.size() && o.budgets.size() != n) check::shape("budgets", o.budgets.size(), 1, n, 1);
  if (o.lower.size() && o.lower.size() != n) check::shape("lower", o.lower.size(), 1, n, 1);
  if (o.upper.size() && o.upper.size() != n) check::shape("upper", o.upper.size(), 1, n, 1);
  VectorXd b = o.budgets.size() ? VectorXd(o.budgets) : VectorXd::Ones(n);
  b /= b.sum();
  const VectorXd lower = o.lower.size() ? VectorXd(o.lower.cwiseMax(0.0)) : VectorXd::Zero(n);
  const VectorXd upper = o.upper.size() ? VectorXd(o.upper) : VectorXd::Constant(n, kInf);

  // The cone constraints on x (rows r'x >= 0 or <= 0).
  std::vector<Eigen::RowVectorXd> rows;
  std::vector<double> lo, hi;
  std::vector<std::string> names;
  for (Index i = 0; i < n; ++i) {
    if (lower(i) > 0) {
      Eigen::RowVectorXd r = Eigen::RowVectorXd::Constant(n, -lower(i));
      r(i) += 1.0;
      rows.push_back(r);
      lo.push_back(0.0);
      hi.push_back(kInf);
      names.push_back(fmt::format("asset {} >= {}", i, lower(i)));
    }
    if (upper(i) < 1.0) {
      Eigen::RowVectorXd r = Eigen::RowVectorXd::Constant(n, -upper(i));
      r(i) += 1.0;
      rows.push_back(r);
      lo.push_back(-kInf);
      hi.push_back(0.0);
      names.push_back(fmt::format("asset {} <= {}", i, upper(i)));
    }
  }
  for (const auto& g : o.groups) {
    Eigen::RowVectorXd a = Eigen::RowVectorXd::Zero(n);
    for (int m : g.members) {
      if (m < 0 || m >= n) check::fail("groups", fmt::format("group '{}': asset index {} outside [0, {})", g.name, m, n));
      a(m) = 1.0;
    }
    if (std::isfinite(g.lower) && g.lower > 0) {
      rows.push_back(a - Eigen::RowVectorXd::Constant(n, g.lower));
      lo.push_back(0.0);
      hi.push_back(kInf);
      names.push_back(fmt::format("group '{}' >= {}", g.name, g.lower));
    }
    if (std::isfinite(g.upper) && g.upper < 1.0) {
      rows.push_back(a - Eigen::RowVectorXd::Constant(n, g.upper));
      lo.push_back(-kInf);
      hi.push_back(0.0);
      names.push_back(fmt::format("group '{}' <= {}", g.name, g.upper));
    }
  }
  const Index m = static_cast<Index>(rows.size());
  RowMatrix A(m, n);
  for (Index r = 0; r < m; ++r) A.row(r) = rows[static_cast<std::size_t>(r)];

  // A strictly positive feasible start: maximise the smallest weight (an LP) when constrained,
  // else inverse volatility. Scaled so that x'Sx = sum(b), the optimal scale.
  VectorXd w0 = inverse_volatility(cov);
  if (m > 0) {
    LpProblem lp;
    lp.objective = VectorXd::Zero(n + 1);
    lp.objective(n) = -1.0;  // maximise s
    lp.matrix = RowMatrix::Zero(1 + m + n, n + 1);
    lp.row_lower.resize(1 + m + n);
    lp.row_upper.resize(1 + m + n);
    lp.matrix.row(0).head(n).setOnes();
    lp.row_lower(0) = lp.row_upper(0) = 1.0;
    for (Index r = 0; r < m; ++r) {
      lp.matrix.row(1 + r).head(n) = A.row(r);
      lp.row_lower(1 + r) = lo[static_cast<std::size_t>(r)];
      lp.row_upper(1 + r) = hi[static_cast<std::size_t>(r)];
    }
    for (Index i = 0; i < n; ++i) {  // w_i - s >= 0
      lp.matrix(1 + m + i, i) = 1.0;
      lp.matrix(1 + m + i, n) = -1.0;
      lp.row_lower(1 + m + i) = 0.0;
      lp.row_upper(1 + m + i) = kInf;
    }
    lp.col_lower = VectorXd::Zero(n + 1);
    lp.col_upper = VectorXd::Constant(n + 1, kInf);
    lp.col_upper(n) = 1.0;
    const LpResult start = solve_lp(lp);
    if (start.status.code == StatusCode::infeasible || !start.status.usable() || !(start.x(n) > 1e-12)) {
      check::fail("bounds", "no fully invested portfolio with every weight positive satisfies the bounds and groups");
    }
    w0 = start.x.head(n);
    // Halfway to inverse volatility if that is feasible too keeps the start central.
    const VectorXd iv = inverse_volatility(cov);
    const VectorXd mid = 0.5 * (w0 + iv);
    bool ok = true;
    for (Index r = 0; r < m && ok; ++r) {
      const double v = A.row(r).dot(mid);
      ok = v >= lo[static_cast<std::size_t>(r)] - 1e-15 && v <= hi[static_cast<std::size_t>(r)] + 1e-15;
    }
    if (ok) w0 = mid;
  }
  VectorXd x = w0 * std::sqrt(b.sum() / w0.dot(cov * w0));

  auto f = [&](const VectorXd& v) { return 0.5 * v.dot(cov * v) - (b.array() * v.array().log()).sum(); };
  int it = 0;
  bool converged = false;
  int qp_iterations = 0;
  QpOptions qo;
  qo.check_convexity = false;
  qo.method = QpMethod::active_set;
  for (it = 0; it < o.max_iterations; ++it) {
    const VectorXd g = cov * x - b.cwiseQuotient(x);
    MatrixXd H = cov;
    H.diagonal() += b.cwiseQuotient(x.cwiseProduct(x));
    VectorXd p;
    if (m == 0) {
      p = -H.llt().solve(g);
    } else {
      QpProblem qp;
      qp.hessian = H;
      qp.linear = g;
      qp.inequality_matrix = A;
      qp.inequality_lower.resize(m);
      qp.inequality_upper.resize(m);
      const VectorXd ax = A * x;
      for (Index r = 0; r < m; ++r) {  // rows on x + p
        qp.inequality_lower(r) = lo[static_cast<std::size_t>(r)] - ax(r);
        qp.inequality_upper(r) = hi[static_cast<std::size_t>(r)] - ax(r);
      }
      qp.inequality_names = names;
      const QpResult step = solve_qp(qp, qo, VectorXd::Zero(n));
      qp_iterations += step.status.iterations;
      if (!step.status.usable()) {
        throw NumericalError(fmt::format("risk budgeting: the Newton step failed: {}", step.status.message));
      }
      p = step.x;
    }
    const double decrement = -g.dot(p);
    // Backtracking (Armijo) inside x > 0; the step is taken even when small, so the last one
    // squares the error (Newton's quadratic convergence). f / min(b) is self-concordant, so once
    // its decrement (decrement / min b) is below (1 - 2 * 0.25) / 4 the full step passes this test in
    // exact arithmetic (Boyd and Vandenberghe 2004, section 9.6.4); near the optimum, though, the
    // predicted decrease falls below f's rounding (about 1e-16 |f|) and the comparison would refuse
    // the step by noise, leaving the risk shares 1e-10 off instead of 1e-15. Below a decrement of
    // 1e-3 min(b), well inside that region, the feasible full step is taken without the test.
    double alpha = 1.0;
    for (Index i = 0; i < n; ++i) {
      if (p(i) < 0) alpha = std::min(alpha, -0.99 * x(i) / p(i));
    }
    const bool quadratic_phase = decrement <= 1e-3 * b.minCoeff();
    const double f0 = f(x);
    while (!quadratic_phase && alpha > 1e-20 && !(f(x + alpha * p) <= f0 - 0.25 * alpha * decrement)) alpha *= 0.5;
    if (alpha > 1e-20) x += alpha * p;
    if (decrement <= o.tolerance * b.sum()) {
      converged = true;
      ++it;
      break;
    }
  }
  const VectorXd w = x / x.sum();
  PortfolioResult r = evaluate_portfolio(w, mu, cov, o.risk_free, "risk_budgeting");
  r.iterations = it + qp_iterations;
  r.status = converged ? Status::make(StatusCode::converged, fmt::format("Newton converged in {} iterations", it), it)
                       : Status::make(StatusCode::iteration_limit,
                                      fmt::format("stopped after {} Newton iterations", o.max_iterations), it);
  r.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace bankquant::portfolio
