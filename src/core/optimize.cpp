// The compiled core of optimize.hpp: one NLopt run with bankquant's options, status and errors.
#include "bankquant/core/optimize.hpp"

#include <chrono>
#include <exception>

#include <fmt/format.h>
#include <nlopt.h>

#include "bankquant/core/check.hpp"

namespace bankquant::optimize {

void Options::validate() const {
  check::integer_at_least("max_evaluations", max_evaluations, 1);
  check::non_negative("function_tolerance", function_tolerance);
  check::non_negative("parameter_tolerance", parameter_tolerance);
  check::non_negative("gradient_tolerance", gradient_tolerance);
  check::non_negative("time_limit", time_limit);
  check::non_negative("initial_step", initial_step);
  check::integer_at_least("memory", memory, 1);
}

namespace detail {
namespace {

nlopt_algorithm algorithm_of(Method m) {
  switch (m) {
    case Method::lbfgs: return NLOPT_LD_LBFGS;
    case Method::nelder_mead: return NLOPT_LN_NELDERMEAD;
    case Method::bobyqa: return NLOPT_LN_BOBYQA;
    case Method::sbplx: return NLOPT_LN_SBPLX;
  }
  return NLOPT_LD_LBFGS;
}

// What the C callback needs; exceptions are caught here (they must not cross NLopt's C frames)
// and rethrown once NLopt has returned.
struct Context {
  ObjectiveRef objective;
  const Options* options = nullptr;
  const Bounds* bounds = nullptr;
  ProgressReporter* progress = nullptr;
  nlopt_opt opt = nullptr;
  int evaluations = 0;
  bool gradient_converged = false;
  bool evaluation_limit = false;  // Luksan's L-BFGS checks NLopt's maxeval only between iterations
  bool stopping = false;          // a forced stop was requested
  // The best point evaluated, kept here because after a forced stop NLopt may report the last
  // point rather than the best.
  std::vector<double> best_x;
  double best_value = std::numeric_limits<double>::infinity();
  bool non_finite = false;
  std::exception_ptr error;
};

void stop(Context& c) {
  c.stopping = true;
  nlopt_force_stop(c.opt);
}

double projected_gradient_norm(const Context& c, const double* x, const double* g, unsigned n) {
  double norm = 0.0;
  for (unsigned i = 0; i < n; ++i) {
    double gi = g[i];
    // At a bound with the gradient pushing outwards the component cannot be reduced.
    if (!c.bounds->lower.empty() && x[i] <= c.bounds->lower[i] && gi > 0) gi = 0;
    if (!c.bounds->upper.empty() && x[i] >= c.bounds->upper[i] && gi < 0) gi = 0;
    norm = std::max(norm, std::abs(gi));
  }
  return norm;
}

double callback(unsigned n, const double* x, double* gradient, void* data) {
  auto& c = *static_cast<Context*>(data);
  if (c.stopping) {
    // Some NLopt methods evaluate a few more points before they notice a forced stop: those
    // points are neither computed nor counted, and cannot become the answer.
    if (gradient) std::fill(gradient, gradient + n, 0.0);
    return std::numeric_limits<double>::infinity();
  }
  try {
    ++c.evaluations;
    const std::span<double> g = gradient ? std::span<double>(gradient, n) : std::span<double>();
    const double value = c.objective.call(c.objective.context, std::span<const double>(x, n), g);
    if (!std::isfinite(value)) {
      // NLopt's methods treat +inf as "worse than anything": keep it; NaN becomes +inf.
      c.non_finite = true;
      if (gradient) std::fill(gradient, gradient + n, 0.0);
      return std::numeric_limits<double>::infinity();
    }
    if (value < c.best_value) {
      c.best_value = value;
      c.best_x.assign(x, x + n);
    }
    if (gradient && c.options->gradient_tolerance > 0 &&
        projected_gradient_norm(c, x, gradient, n) < c.options->gradient_tolerance) {
      c.gradient_converged = true;
      stop(c);
    }
    if (c.evaluations >= c.options->max_evaluations && !c.gradient_converged) {
      c.evaluation_limit = true;
      stop(c);
    }
    if (c.progress) {
      c.progress->advance(1);
      if (c.progress->cancelled()) stop(c);
    }
    return value;
  } catch (...) {
    c.error = std::current_exception();
    stop(c);
    return std::numeric_limits<double>::infinity();
  }
}

struct OptDeleter {
  void operator()(nlopt_opt o) const { nlopt_destroy(o); }
};

}  // namespace

Result minimize(ObjectiveRef objective, std::vector<double> x0, const Bounds& bounds, const Options& options,
                const ProgressCallback& progress_callback) {
  options.validate();
  const std::size_t n = x0.size();
  check::not_empty("x0", n);
  check::all_finite("x0", x0);
  if (!bounds.lower.empty()) check::same_size("x0", n, "lower", bounds.lower.size());
  if (!bounds.upper.empty()) check::same_size("x0", n, "upper", bounds.upper.size());
  for (std::size_t i = 0; i < n; ++i) {
    const double lo = bounds.lower.empty() ? -HUGE_VAL : bounds.lower[i];
    const double hi = bounds.upper.empty() ? HUGE_VAL : bounds.upper[i];
    if (std::isnan(lo) || std::isnan(hi) || lo > hi) {
      check::fail("bounds", fmt::format("expected lower <= upper, got [{}, {}] for parameter {}", lo, hi, i));
    }
    if (!(x0[i] >= lo && x0[i] <= hi)) {
      check::fail("x0", fmt::format("parameter {} = {} lies outside its bounds [{}, {}]", i, x0[i], lo, hi));
    }
  }

  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<nlopt_opt_s, OptDeleter> opt(nlopt_create(algorithm_of(options.method), static_cast<unsigned>(n)));
  if (!opt) throw NumericalError("optimize: NLopt could not create the optimiser (out of memory)");
  ProgressReporter reporter(progress_callback, static_cast<std::size_t>(options.max_evaluations), "optimize");
  Context c;
  c.objective = objective;
  c.options = &options;
  c.bounds = &bounds;
  c.progress = progress_callback ? &reporter : nullptr;
  c.opt = opt.get();
  nlopt_set_min_objective(opt.get(), callback, &c);
  if (!bounds.lower.empty()) nlopt_set_lower_bounds(opt.get(), bounds.lower.data());
  if (!bounds.upper.empty()) nlopt_set_upper_bounds(opt.get(), bounds.upper.data());
  nlopt_set_maxeval(opt.get(), options.max_evaluations);
  nlopt_set_ftol_rel(opt.get(), options.function_tolerance);
  nlopt_set_xtol_rel(opt.get(), options.parameter_tolerance);
  if (options.time_limit > 0) nlopt_set_maxtime(opt.get(), options.time_limit);
  if (options.method == Method::lbfgs) nlopt_set_vector_storage(opt.get(), static_cast<unsigned>(options.memory));
  if (options.initial_step > 0) nlopt_set_initial_step1(opt.get(), options.initial_step);

  Result result;
  result.x = std::move(x0);
  double best = std::numeric_limits<double>::quiet_NaN();
  const nlopt_result code = nlopt_optimize(opt.get(), result.x.data(), &best);
  if (c.error) std::rethrow_exception(c.error);
  if (c.progress) reporter.finish();  // throws Cancelled when the callback asked to stop

  if (!c.best_x.empty()) {
    result.x = c.best_x;
    best = c.best_value;
  }
  result.value = best;
  Status& s = result.status;
  s.evaluations = c.evaluations;
  s.iterations = c.evaluations;  // NLopt counts evaluations only
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string method(enum_name(options.method));
  if (!std::isfinite(best)) {
    s.code = StatusCode::numerical_failure;
    s.message = fmt::format("{}: the objective was not finite at any point tried ({} evaluations)", method,
                            c.evaluations);
    return result;
  }
  // Our own stops first: NLopt may report them as a forced stop or as a generic failure.
  if (c.evaluation_limit) {
    s.code = StatusCode::iteration_limit;
    s.message = fmt::format("{}: no convergence within max_evaluations = {}", method, options.max_evaluations);
    return result;
  }
  if (c.gradient_converged) {
    s.code = StatusCode::converged;
    s.message = fmt::format("{}: converged (projected gradient below {}) after {} evaluations", method,
                            options.gradient_tolerance, c.evaluations);
    return result;
  }
  switch (code) {
    case NLOPT_SUCCESS:
    case NLOPT_STOPVAL_REACHED:
    case NLOPT_FTOL_REACHED:
    case NLOPT_XTOL_REACHED:
      s.code = StatusCode::converged;
      s.message = fmt::format("{}: converged ({}) after {} evaluations", method,
                              code == NLOPT_FTOL_REACHED   ? "objective change below tolerance"
                              : code == NLOPT_XTOL_REACHED ? "parameter change below tolerance"
                                                           : "success",
                              c.evaluations);
      break;
    case NLOPT_FORCED_STOP:
      s.code = StatusCode::numerical_failure;
      s.message = fmt::format("{}: stopped early after {} evaluations", method, c.evaluations);
      break;
    case NLOPT_ROUNDOFF_LIMITED:
      // The objective cannot be decreased further in floating point: the best point is as good
      // as this precision allows (NLopt reports it when the line search cannot make progress).
      s.code = StatusCode::converged;
      s.message = fmt::format("{}: stopped by rounding (no further decrease representable) after {} evaluations",
                              method, c.evaluations);
      break;
    case NLOPT_MAXEVAL_REACHED:
      s.code = StatusCode::iteration_limit;
      s.message = fmt::format("{}: no convergence within max_evaluations = {}", method, options.max_evaluations);
      break;
    case NLOPT_MAXTIME_REACHED:
      s.code = StatusCode::time_limit;
      s.message = fmt::format("{}: stopped at time_limit = {} s after {} evaluations", method, options.time_limit,
                              c.evaluations);
      break;
    default:
      s.code = StatusCode::numerical_failure;
      s.message = fmt::format("{}: NLopt failed ({}) after {} evaluations", method,
                              nlopt_result_to_string(code), c.evaluations);
      break;
  }
  if (c.non_finite && s.code == StatusCode::converged) {
    s.message += "; the objective was not finite at some points tried";
  }
  return result;
}

}  // namespace detail
}  // namespace bankquant::optimize
