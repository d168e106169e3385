#include "bankquant/portfolio/cvar.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/portfolio/naive.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void CvarOptions::validate() const {
  check::open_unit_interval("level", level);
  if (std::isinf(budget)) check::fail("budget", "expected a finite budget or NaN for none");
  if (std::isinf(target_return)) check::fail("target_return", "expected a finite target or NaN for none");
  check::positive("periods_per_year", periods_per_year);
  check::finite("risk_free", risk_free);
  check::non_negative("time_limit", time_limit);
}

CvarResult min_cvar(const Eigen::Ref<const RowMatrix>& R, const CvarOptions& o) {
  o.validate();
  const auto started = std::chrono::steady_clock::now();
  const Index T = R.rows(), n = R.cols();
  check::not_empty("scenarios", static_cast<std::size_t>(n));
  check::min_size("scenarios", static_cast<std::size_t>(T), 2);
  check::all_finite("scenarios", R);
  if ((1.0 - o.level) * static_cast<double>(T) < 1.0) {
    check::fail("level", fmt::format("level {} needs at least {} scenarios to leave one in the tail, got {}", o.level,
                                     static_cast<long>(std::ceil(1.0 / (1.0 - o.level))), T));
  }
  const VectorXd lower = o.lower.size() ? VectorXd(o.lower) : VectorXd::Zero(n);
  const VectorXd upper = o.upper.size() ? VectorXd(o.upper) : VectorXd::Ones(n);
  check::shape("lower", lower.size(), 1, n, 1);
  check::shape("upper", upper.size(), 1, n, 1);
  for (Index i = 0; i < n; ++i) {
    if (std::isnan(lower(i)) || std::isnan(upper(i)) || lower(i) > upper(i)) {
      check::fail("bounds", fmt::format("asset {}: bounds [{}, {}] are empty or not numbers", i, lower(i), upper(i)));
    }
  }
  const VectorXd mean = R.colwise().mean().transpose();
  const Index groups = static_cast<Index>(o.groups.size());
  const bool budget = std::isfinite(o.budget), target = std::isfinite(o.target_return);
  const Index rows = T + (budget ? 1 : 0) + groups + (target ? 1 : 0);
  const Index nv = n + 1 + T;  // w, z, u
  LpProblem lp;
  lp.objective = VectorXd::Zero(nv);
  lp.objective(n) = 1.0;
  lp.objective.tail(T).setConstant(1.0 / ((1.0 - o.level) * static_cast<double>(T)));
  lp.matrix = RowMatrix::Zero(rows, nv);
  lp.row_lower = VectorXd::Constant(rows, -std::numeric_limits<double>::infinity());
  lp.row_upper = VectorXd::Constant(rows, std::numeric_limits<double>::infinity());
  for (Index t = 0; t < T; ++t) {  // r_t'w + z + u_t >= 0
    lp.matrix.row(t).head(n) = R.row(t);
    lp.matrix(t, n) = 1.0;
    lp.matrix(t, n + 1 + t) = 1.0;
    lp.row_lower(t) = 0.0;
  }
  Index r = T;
  if (budget) {
    lp.matrix.row(r).head(n).setOnes();
    lp.row_lower(r) = lp.row_upper(r) = o.budget;
    ++r;
  }
  for (const auto& g : o.groups) {
    for (int m : g.members) {
      if (m < 0 || m >= n) check::fail("groups", fmt::format("group '{}': asset index {} outside [0, {})", g.name, m, n));
      lp.matrix(r, m) = 1.0;
    }
    lp.row_lower(r) = g.lower;
    lp.row_upper(r) = g.upper;
    ++r;
  }
  if (target) {
    lp.matrix.row(r).head(n) = mean.transpose();
    lp.row_lower(r) = o.target_return;
    ++r;
  }
  lp.col_lower = VectorXd::Zero(nv);
  lp.col_upper = VectorXd::Constant(nv, std::numeric_limits<double>::infinity());
  lp.col_lower.head(n) = lower;
  lp.col_upper.head(n) = upper;
  lp.col_lower(n) = -std::numeric_limits<double>::infinity();
  // Clp's primal simplex takes about half the dual's time on this LP (measured on the Dow Jones
  // scenarios: 232 against 640 iterations).
  lp.primal_simplex = true;
  const LpResult s = solve_lp(lp, o.time_limit);
  if (s.status.code == StatusCode::infeasible) {
    if (target) {
      LpProblem best = lp;
      best.matrix.conservativeResize(rows - 1, nv);
      best.row_lower.conservativeResize(rows - 1);
      best.row_upper.conservativeResize(rows - 1);
      best.objective.setZero();
      best.objective.head(n) = -mean;
      const LpResult top = solve_lp(best);
      if (top.status.usable()) {
        check::fail("target_return", fmt::format("target return {} is above the attainable maximum {} (mean of the "
                                                 "scenarios)",
                                                 o.target_return, -top.objective));
      }
    }
    check::fail("bounds", "the bounds, budget and groups admit no portfolio");
  }
  if (!s.status.usable()) throw NumericalError(fmt::format("min_cvar: the LP failed: {}", s.status.message));
  CvarResult out;
  const VectorXd w = s.x.head(n);
  const RowMatrix C = R.rowwise() - mean.transpose();
  const MatrixXd cov = C.transpose() * C / static_cast<double>(T - 1) * o.periods_per_year;
  out.portfolio = evaluate_portfolio(w, mean * o.periods_per_year, cov, o.risk_free, "min_cvar");
  out.portfolio.iterations = s.status.iterations;
  out.portfolio.status = s.status;
  out.portfolio.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.cvar = s.objective;
  out.var = s.x(n);
  out.scenarios = static_cast<int>(T);
  return out;
}

}  // namespace bankquant::portfolio
