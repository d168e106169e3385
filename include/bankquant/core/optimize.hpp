// bankquant/core/optimize.hpp — smooth minimisation behind one interface, for every module.
//
// GARCH and its relatives, ETS, GLMs and risk parity all minimise a smooth function of a few to
// a few dozen parameters, some with bounds. They share this one entry point:
//
//   auto objective = [&](std::span<const double> x, std::span<double> gradient) {
//     if (!gradient.empty()) { ...fill gradient... }   // asked for by gradient methods only
//     return value;
//   };
//   optimize::Options o;  o.method = optimize::Method::lbfgs;
//   optimize::Result r = optimize::minimize(objective, x0, bounds, o);
//   if (!r.status.usable()) ...;  r.x, r.value, r.status.message
//
// Methods (all from NLopt 2.7, Debian's libnlopt: well-kept, reentrant, bound-constrained; it
// earns its place over a hand-written optimiser by giving quasi-Newton and derivative-free
// methods with one interface and years of use):
//   lbfgs        limited-memory quasi-Newton with bounds (Luksan's code in NLopt); needs the
//                gradient — analytic, or by central differences with with_numerical_gradient()
//   nelder_mead  the downhill simplex with bounds (the method R's optim and forecast::ets use)
//   bobyqa       Powell's bounded quadratic-model trust region: derivative-free and usually far
//                fewer evaluations than Nelder–Mead on smooth problems
//   sbplx        Rowan's subplex: Nelder–Mead on subspaces, more robust in higher dimension
//
// Stopping: a relative change of the objective below function_tolerance or of the parameters
// below parameter_tolerance (NLopt's ftol_rel and xtol_rel); for lbfgs also the projected
// gradient's largest component below gradient_tolerance (scipy L-BFGS-B's pgtol); otherwise
// the evaluation or time limit. Not converging is a status, never an exception; the best point
// seen is returned. An exception thrown by the objective propagates to the caller unchanged.
//
// Thread safety: minimize() keeps no global state; many threads may minimise at once (NLopt's
// only global state is the random seed of stochastic methods, none of which are offered).
// Determinism: every method here is deterministic for a given objective and start.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/progress.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

namespace bankquant::optimize {

enum class Method { lbfgs, nelder_mead, bobyqa, sbplx };
BANKQUANT_ENUM_NAMES(Method, {lbfgs, "lbfgs"}, {nelder_mead, "nelder_mead"}, {bobyqa, "bobyqa"}, {sbplx, "sbplx"})

/// True for methods that ask the objective for a gradient.
[[nodiscard]] constexpr bool uses_gradient(Method m) { return m == Method::lbfgs; }

struct Options {
  Method method = Method::lbfgs;
  int max_evaluations = 2000;
  double function_tolerance = 1e-10;
  double parameter_tolerance = 1e-8;
  double gradient_tolerance = 1e-6;
  double time_limit = 0.0;
  double initial_step = 0.0;
  int memory = 10;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &Options::method, "'lbfgs' (needs a gradient), 'nelder_mead', 'bobyqa' or 'sbplx'"),
        field("max_evaluations", &Options::max_evaluations,
              "limit on objective evaluations (R's optim stops Nelder-Mead at 500 iterations, forecast::ets at "
              "2000; 2000 here)"),
        field("function_tolerance", &Options::function_tolerance,
              "stop when one step changes the objective by less than this, relatively (scipy L-BFGS-B's "
              "factr * eps is 2.2e-9; R's optim reltol 1.5e-8)"),
        field("parameter_tolerance", &Options::parameter_tolerance,
              "stop when one step changes every parameter by less than this, relatively"),
        field("gradient_tolerance", &Options::gradient_tolerance,
              "lbfgs: stop when the largest component of the projected gradient is below this (scipy's pgtol "
              "default 1e-5)"),
        field("time_limit", &Options::time_limit, "seconds; 0 for none"),
        field("initial_step", &Options::initial_step,
              "derivative-free methods: the initial simplex or trust-region size per parameter; 0 lets NLopt "
              "choose from the start and the bounds"),
        field("memory", &Options::memory, "lbfgs: correction pairs kept (scipy's maxcor default 10)")};
  }
};

/// Box constraints; empty vectors mean unbounded, +-inf entries leave one side open.
struct Bounds {
  std::vector<double> lower;
  std::vector<double> upper;
};

struct Result {
  std::vector<double> x;   ///< the best point found
  double value = std::numeric_limits<double>::quiet_NaN();  ///< the objective there
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("x", &Result::x, "the best point found"),
                      field("value", &Result::value, "the objective at x"),
                      field("status", &Result::status, "how the search ended")};
  }
};

/// The objective as the compiled core sees it: a context pointer and a plain function, so
/// minimize() is a thin template over any callable (see optimize_impl.hpp).
struct ObjectiveRef {
  void* context = nullptr;
  double (*call)(void* context, std::span<const double> x, std::span<double> gradient) = nullptr;
};

/// Minimises `objective` from `x0` within `bounds`. `objective(x, gradient)` returns the value at
/// x and, when `gradient` is not empty, writes the gradient there. A progress callback, if given,
/// sees the evaluation count (total = max_evaluations) and may cancel (throws Cancelled).
template <typename Objective>
[[nodiscard]] Result minimize(Objective&& objective, std::vector<double> x0, const Bounds& bounds = {},
                              const Options& options = {}, const ProgressCallback& progress = {});

/// Wraps an objective that computes only values into one that also fills gradients, by central
/// differences with step relative_step * max(|x_i|, 1) (cube root of machine epsilon by
/// default, the optimal order for central differences), clipped so it never leaves the bounds.
template <typename Objective>
[[nodiscard]] auto with_numerical_gradient(Objective objective, Bounds bounds = {},
                                           double relative_step = 6.0555e-6);

/// Central-difference gradient of f (values only) at x, into `gradient`.
template <typename Objective>
void numerical_gradient(Objective& f, std::span<const double> x, std::span<double> gradient, const Bounds& bounds = {},
                        double relative_step = 6.0555e-6);

/// Central-difference Hessian of f (values only) at x: the matrix of second derivatives, row-major
/// n x n, steps relative_step * max(|x_i|, scale_floor). For standard errors from a likelihood.
template <typename Objective>
[[nodiscard]] std::vector<double> numerical_hessian(Objective& f, std::span<const double> x,
                                                    double relative_step = 1e-4, double scale_floor = 1e-3);

namespace detail {
BANKQUANT_EXPORT Result minimize(ObjectiveRef objective, std::vector<double> x0, const Bounds& bounds,
                                 const Options& options, const ProgressCallback& progress);
}  // namespace detail

}  // namespace bankquant::optimize

#define BANKQUANT_INSIDE_OPTIMIZE_HPP
#include "bankquant/core/optimize_impl.hpp"
#undef BANKQUANT_INSIDE_OPTIMIZE_HPP
