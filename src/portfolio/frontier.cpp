// The exact efficient frontier by the parametric active-set method (see mean_variance.hpp).
//
// For the family min 1/2 x'Hx + c'x - t mu'x, t >= 0, over fixed linear constraints, the solution
// on a fixed working set is affine in t: x(t) = x_k + (t - t_k) d with M d - A_W' nu = mu, A_W d = 0
// (one KKT solve with the factor the active-set engine already holds), and so are the multipliers.
// The next breakpoint is the smallest t at which a free variable or an inactive row reaches a
// bound, or a multiplier reaches zero; there exactly one working-set change is made and the path
// goes on (Best 1996; Markowitz's critical line algorithm for bounds and one budget is the special
// case). Cost per breakpoint: one KKT solve, O(|F|^2 + n m).
#include "frontier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "active_set.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio::detail {
namespace {
using bankquant::detail::kInf;
}

PathResult trace_path(const QpProblem& qp, const VectorXd& mu, const VectorXd& x_start, const QpOptions& options,
                      double t_max, const std::function<std::string(Index)>& variable_label,
                      const std::function<std::string(Index)>& row_label) {
  PathResult out;
  QpOptions o = options;
  ActiveSet engine(qp, o);
  engine.start(x_start);
  auto deadline = std::chrono::steady_clock::now();
  Status s = engine.run(deadline, false);
  if (!s.converged()) {
    out.status = s;
    return out;
  }
  const Index n = engine.n;
  const VectorXd c0 = engine.c;
  double t = 0.0;
  out.points.push_back({0.0, engine.x, "minimum risk"});
  const int limit = 20 * static_cast<int>(n + engine.mi + engine.me) + 200;
  int zero_steps = 0;
  double resolved_at = -1.0;
  const VectorXd minus_mu = -mu;  // how the objective's linear term changes with t
  VectorXd d, nu, p, lambda;
  for (int iteration = 0;; ++iteration) {
    if (iteration >= limit) {
      out.status = Status::make(StatusCode::iteration_limit,
                                fmt::format("the frontier stopped after {} breakpoints", limit), iteration);
      return out;
    }
    // Multipliers at t (engine.g is the gradient of the t-objective: c holds c0 - t mu).
    engine.solve_kkt(-engine.gather_free(engine.g), p, lambda);
    const VectorXd z = engine.fixed_multipliers(engine.g, lambda);
    engine.solve_kkt(engine.gather_free(mu), d, nu);
    VectorXd hd = VectorXd::Zero(n);
    engine.H.add_columns_times(engine.free_list, d, 1.0, hd);
    const VectorXd dz = engine.fixed_multipliers(hd - mu, nu);
    const double x_scale = 1.0 + engine.x.cwiseAbs().maxCoeff();
    const double d_norm = d.size() ? d.cwiseAbs().maxCoeff() : 0.0;
    const double tiny = 1e-13 * (d_norm + 1e-300);

    double best = kInf;
    int kind = -1;  // 0 fix variable, 1 add row, 2 free variable, 3 drop row
    Index which = -1;
    VarState fix_side = VarState::lower;
    int row_side = 0;
    for (std::size_t q = 0; q < engine.free_list.size(); ++q) {
      const Index j = engine.free_list[q];
      const auto [a, sd] = engine.bound_step(j, d(static_cast<Index>(q)), tiny);
      if (a < best) {
        best = a;
        kind = 0;
        which = j;
        fix_side = sd;
      }
    }
    for (Index i = 0; i < engine.mi; ++i) {
      if (engine.side[static_cast<std::size_t>(i)] != 0) continue;
      double sa = 0.0;
      for (std::size_t q = 0; q < engine.free_list.size(); ++q) sa += qp.inequality_matrix(i, engine.free_list[q]) * d(static_cast<Index>(q));
      const auto [a, sd] = engine.row_step(i, sa, d_norm + 1e-300);
      if (a < best) {
        best = a;
        kind = 1;
        which = i;
        row_side = sd;
      }
    }
    const double dual_eps = 1e-14 * (dz.size() ? dz.cwiseAbs().maxCoeff() : 0.0) + 1e-300;
    for (Index j = 0; j < n; ++j) {
      const VarState st = engine.state[static_cast<std::size_t>(j)];
      // Pinned and rejected variables (enter(): a direction along which nothing changes) stay.
      if (st == VarState::free || engine.lower(j) == engine.upper(j) || engine.rejected[static_cast<std::size_t>(j)]) continue;
      double a = kInf;
      if (st == VarState::lower && dz(j) < -dual_eps) a = z(j) / -dz(j);
      if (st == VarState::upper && dz(j) > dual_eps) a = -z(j) / dz(j);
      a = std::max(a, 0.0);
      if (a < best) {
        best = a;
        kind = 2;
        which = j;
      }
    }
    Index r0 = 0;
    for (char k : engine.equality_kept) r0 += k;
    for (std::size_t q = 0; q < engine.active.size(); ++q) {
      const Index i = engine.active[q];
      const double li = lambda(r0 + static_cast<Index>(q)), dli = nu(r0 + static_cast<Index>(q));
      const int sd = engine.side[static_cast<std::size_t>(i)];
      double a = kInf;
      if (sd > 0 && dli > 1e-300) a = -li / dli;
      if (sd < 0 && dli < -1e-300) a = li / -dli;
      a = std::max(a, 0.0);
      if (a < best) {
        best = a;
        kind = 3;
        which = i;
      }
    }
    if (kind < 0 || !std::isfinite(best)) {
      if (d_norm <= 1e-12 * x_scale) {
        out.points.back().event += out.points.size() == 1 ? "; also the maximum return" : "";
        out.status = Status::make(StatusCode::converged, "traced to the maximum-return portfolio", iteration);
        return out;
      }
      // Nothing limits the path: the return grows without bound.
      out.unbounded = true;
      if (t_max > t) {
        engine.move(d, t_max - t);
        out.points.push_back({t_max, engine.x, "stopped at t_max (the return is unbounded)"});
      }
      out.status = Status::make(StatusCode::converged, "the return is unbounded above; the path stops at t_max",
                                iteration);
      return out;
    }
    if (t_max > 0 && t + best > t_max) {
      engine.move(d, t_max - t);
      out.points.push_back({t_max, engine.x, "stopped at t_max"});
      out.status = Status::make(StatusCode::converged, "stopped at t_max", iteration);
      return out;
    }
    // A degenerate vertex (several bounds and multipliers at zero at once: e.g. a riskless asset,
    // where every asset of the tangency portfolio enters at t = 0) can make single pivots of zero
    // length cycle. Then the working set just past the vertex is found by solving the QP at
    // t + delta (delta = 1e-9 (1 + t)) from the current one, and the path goes on from there; the
    // segment across the vertex is interpolated linearly, within O(delta) of the exact path.
    zero_steps = best * d_norm <= 1e-15 * x_scale ? zero_steps + 1 : 0;
    if (zero_steps > 2 * static_cast<int>(n + engine.mi) + 10) {
      if (resolved_at == t) {
        out.status = Status::make(StatusCode::numerical_failure, "the frontier path cycles at a degenerate point",
                                  iteration);
        return out;
      }
      resolved_at = t;
      const double delta = 1e-9 * (1.0 + t);
      if (t_max > 0 && t + delta > t_max) {
        engine.set_linear(c0 - t_max * mu);
        t = t_max;
      } else {
        engine.set_linear(c0 - (t + delta) * mu);
        t += delta;
      }
      engine.iterations = 0;
      const Status jump = engine.run(deadline, false);
      if (!jump.converged()) {
        out.status = jump;
        return out;
      }
      out.points.push_back({t, engine.x, "past a degenerate vertex"});
      zero_steps = 0;
      if (t_max > 0 && t >= t_max) {
        out.status = Status::make(StatusCode::converged, "stopped at t_max", iteration);
        return out;
      }
      continue;
    }
    engine.move(d, best);
    engine.g -= best * mu;
    engine.c -= best * mu;
    t += best;
    std::string event;
    if (kind == 0) {
      engine.fix_variable(which, fix_side);
      event = variable_label(which) + (fix_side == VarState::lower ? " reaches its lower bound" : " reaches its upper bound");
    } else if (kind == 1) {
      engine.add_row(which, row_side);
      engine.ax(which) = row_side > 0 ? qp.inequality_upper(which) : qp.inequality_lower(which);
      event = row_label(which) + " becomes binding";
    } else if (kind == 2) {
      // A variable whose column is dependent on the free ones (a duplicated asset) enters along
      // its direction of zero curvature, oriented by the return; one along which neither risk
      // nor return changes stays at its bound, and the path goes on without an event.
      (void)engine.free_variable(which, &minus_mu);
      if (engine.rejected[static_cast<std::size_t>(which)]) continue;
      event = variable_label(which) + " leaves its bound";
    } else {
      engine.drop_row(which);
      event = row_label(which) + " stops binding";
    }
    // Polish at the breakpoint (one Newton step on the new working set, multipliers checked), so
    // rounding does not accumulate along the path.
    engine.iterations = 0;
    const Status polish = engine.run(deadline, false);
    if (!polish.converged()) {
      out.status = polish;
      return out;
    }
    if (best > 0 || out.points.empty()) {
      out.points.push_back({t, engine.x, event});
    } else {
      out.points.back().x = engine.x;
      out.points.back().event += "; " + event;
    }
  }
}

}  // namespace bankquant::portfolio::detail
