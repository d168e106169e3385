// bankquant/core/status.hpp — one verdict type for every iterative or capped computation.
//
// Each Result that can stop short carries a Status (ceres' Solver::Summary, reduced to what every
// module shares): how it ended, why in words, and how much work it took. Not converging is a
// result, not an exception: the last iterate is returned and `usable()` says whether to trust it.
// Python shows a usable but unfinished status as bankquant.ConvergenceWarning; an unusable one
// (infeasible, unbounded, numerical failure) is reported by the caller as it sees fit (portfolio
// solvers raise, with the message).
#pragma once

#include <string>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"

namespace bankquant {

enum class StatusCode {
  not_run,            ///< the default of a Result nobody filled in
  converged,          ///< finished as asked: converged, or a complete (uncapped) answer
  iteration_limit,    ///< stopped at the iteration or evaluation limit; result is the last iterate
  time_limit,         ///< stopped at the time limit; result is the best so far
  size_limit,         ///< an output cap was hit (e.g. max_cycles); the result is partial
  boundary,           ///< optimum on the edge of the admissible region (e.g. persistence at its cap)
  infeasible,         ///< the constraints admit no solution
  unbounded,          ///< the objective has no finite optimum
  numerical_failure,  ///< arithmetic broke down (NaN objective, singular system)
};
BANKQUANT_ENUM_NAMES(StatusCode, {not_run, "not_run"}, {converged, "converged"}, {iteration_limit, "iteration_limit"},
                     {time_limit, "time_limit"}, {size_limit, "size_limit"}, {boundary, "boundary"},
                     {infeasible, "infeasible"}, {unbounded, "unbounded"}, {numerical_failure, "numerical_failure"})

struct Status {
  StatusCode code = StatusCode::not_run;
  std::string message = "not run";
  int iterations = 0;   ///< iterations (or evaluations, for methods that count only those)
  int evaluations = 0;  ///< objective evaluations
  double seconds = 0.0; ///< wall time

  /// Finished as asked.
  [[nodiscard]] bool converged() const noexcept { return code == StatusCode::converged; }
  /// A result exists and may be used (possibly with a warning): everything but not_run,
  /// infeasible, unbounded and numerical_failure.
  [[nodiscard]] bool usable() const noexcept {
    return code == StatusCode::converged || code == StatusCode::iteration_limit || code == StatusCode::time_limit ||
           code == StatusCode::size_limit || code == StatusCode::boundary;
  }

  static Status make(StatusCode code, std::string message, int iterations = 0, int evaluations = 0) {
    Status s;
    s.code = code;
    s.message = std::move(message);
    s.iterations = iterations;
    s.evaluations = evaluations;
    return s;
  }

  static constexpr auto fields() {
    return std::tuple{
        field("code", &Status::code,
              "how it ended: converged, iteration_limit, time_limit, size_limit, boundary, infeasible, unbounded, "
              "numerical_failure"),
        field("message", &Status::message, "why, in words"),
        field("iterations", &Status::iterations, "iterations taken"),
        field("evaluations", &Status::evaluations, "objective evaluations"),
        field("seconds", &Status::seconds, "wall time in seconds")};
  }
};

}  // namespace bankquant
