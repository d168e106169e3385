// bankquant/staffing/simulation.hpp — a discrete-event simulation that checks a staffing plan.
//
// One first-come-first-served queue served by the staff on duty in each interval (a roster's
// working staff, breaks already taken out), fed by one or more customer classes (services):
//   arrivals     non-stationary Poisson, piecewise constant per interval; over-dispersed when a
//                negative-binomial size is given (each replication draws a Gamma(size, 1/size)
//                factor per interval, so counts are NB(mean, size) as the forecast says), and
//                bursty when peakedness z > 1 (arrivals come in geometric batches of mean
//                (z + 1) / 2, whose peakedness for exponential services is z).
//   handling     exponential, or log-normal with a given coefficient of variation, per class.
//   patience     exponential per class (abandonment when the wait exceeds it), or none (inf).
//   staffing     the staff on duty per interval; a server whose shift or break starts while busy
//                finishes the customer first (no pre-emption). Each period (a day) starts empty;
//                after its last interval arrivals stop and the staff of that interval answer the
//                customers still waiting (with no staff left, those still waiting are lost and
//                counted as abandoned).
// Replications run in parallel, replication r on Philox stream (seed, r) (core/random.hpp), so
// results are identical for any thread count. Per interval (by arrival): arrivals, the service
// level (answered within target_time over arrivals, abandoners count as failures, as in
// erlang.hpp), ASA of the answered, abandonment, utilisation (busy server time over staffed server
// time), with confidence intervals across replications by the delta method for ratio estimators;
// answer-time quantiles pooled over replications from log-linear histograms (32 equal bins per
// doubling over six decades from 1e-3 of the mean handling time: bins 1.6-3.1% wide, quantiles to
// about 2%). Warm-up intervals are left out of the summary (for stationary checks).
//
// Random numbers: unit exponentials by inversion, 256 at a time from the replication's stream
// (staffing/detail/exponential_block.hpp); with exponential handling one draw per completion (the
// clock of the busy servers is rescaled, not redrawn, when a customer is answered: memorylessness).
//
// Cost: O(customers) per replication with exponential handling, O(customers x log servers) with
// log-normal; about 50 ns per customer on one core here (benchmarks/cpp/bench_staffing.cpp).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::staffing {

enum class ServiceDistribution { exponential, lognormal };
BANKQUANT_ENUM_NAMES(ServiceDistribution, {exponential, "exponential"}, {lognormal, "lognormal"})

/// One customer class (service): its handling and patience.
struct CustomerClass {
  double service_time = 1.0;
  ServiceDistribution service_distribution = ServiceDistribution::exponential;
  double service_cv = 1.0;
  double patience = std::numeric_limits<double>::infinity();

  static constexpr auto fields() {
    return std::tuple{
        field("service_time", &CustomerClass::service_time, "mean handling time, in time units"),
        field("service_distribution", &CustomerClass::service_distribution, "'exponential' or 'lognormal'"),
        field("service_cv", &CustomerClass::service_cv,
              "coefficient of variation of log-normal handling times (exponential: 1)"),
        field("patience", &CustomerClass::patience, "mean exponential patience; inf for none")};
  }
};

struct SimulationOptions {
  int replications = 100;
  std::uint64_t seed = 0;
  double target_time = 20.0 / 60.0;
  double confidence = 0.95;
  std::vector<double> wait_quantiles{0.5, 0.8, 0.95};
  int warmup_intervals = 0;
  double peakedness = 1.0;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("replications", &SimulationOptions::replications, "independent replications (100: the issue's default)"),
        field("seed", &SimulationOptions::seed, "seed of the Philox streams; replication r uses stream r"),
        field("target_time", &SimulationOptions::target_time, "service-level target time, in time units"),
        field("confidence", &SimulationOptions::confidence, "level of the confidence intervals, in (0, 1)"),
        field("wait_quantiles", &SimulationOptions::wait_quantiles, "answer-time quantiles to report, in (0, 1)"),
        field("warmup_intervals", &SimulationOptions::warmup_intervals,
              "intervals at the start left out of the summary (for stationary runs)"),
        field("peakedness", &SimulationOptions::peakedness,
              "arrivals' peakedness z >= 1: geometric batches of mean (z + 1) / 2 (1: Poisson)")};
  }
};

struct SimulationResult {
  std::vector<double> arrivals;
  std::vector<double> service_level, service_level_lo, service_level_hi;
  std::vector<double> asa;
  std::vector<double> abandonment, abandonment_lo, abandonment_hi;
  std::vector<double> utilization, utilization_lo, utilization_hi;
  RowMatrix wait_quantiles;
  double summary_service_level = 0.0, summary_service_level_lo = 0.0, summary_service_level_hi = 0.0;
  double summary_abandonment = 0.0, summary_abandonment_lo = 0.0, summary_abandonment_hi = 0.0;
  double summary_asa = 0.0, summary_asa_lo = 0.0, summary_asa_hi = 0.0;
  double summary_utilization = 0.0;
  std::vector<double> class_service_level, class_service_level_lo, class_service_level_hi;
  std::vector<double> replication_service_level;
  double customers = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("arrivals", &SimulationResult::arrivals, "mean arrivals per interval and replication"),
        field("service_level", &SimulationResult::service_level, "answered within target_time / arrivals, per interval"),
        field("service_level_lo", &SimulationResult::service_level_lo, "lower confidence bound"),
        field("service_level_hi", &SimulationResult::service_level_hi, "upper confidence bound"),
        field("asa", &SimulationResult::asa, "mean wait of the answered, per interval of arrival"),
        field("abandonment", &SimulationResult::abandonment, "abandoned / arrivals, per interval"),
        field("abandonment_lo", &SimulationResult::abandonment_lo, "lower confidence bound"),
        field("abandonment_hi", &SimulationResult::abandonment_hi, "upper confidence bound"),
        field("utilization", &SimulationResult::utilization, "busy server time / staffed server time, per interval (overtime after a shift or closing left out)"),
        field("utilization_lo", &SimulationResult::utilization_lo, "lower confidence bound"),
        field("utilization_hi", &SimulationResult::utilization_hi, "upper confidence bound"),
        field("wait_quantiles", &SimulationResult::wait_quantiles,
              "answer-time quantiles of the answered, intervals x wait_quantiles (NaN where none was answered)"),
        field("summary_service_level", &SimulationResult::summary_service_level, "over all intervals after the warm-up"),
        field("summary_service_level_lo", &SimulationResult::summary_service_level_lo, "lower confidence bound"),
        field("summary_service_level_hi", &SimulationResult::summary_service_level_hi, "upper confidence bound"),
        field("summary_abandonment", &SimulationResult::summary_abandonment, "over all intervals after the warm-up"),
        field("summary_abandonment_lo", &SimulationResult::summary_abandonment_lo, "lower confidence bound"),
        field("summary_abandonment_hi", &SimulationResult::summary_abandonment_hi, "upper confidence bound"),
        field("summary_asa", &SimulationResult::summary_asa, "mean wait of the answered after the warm-up"),
        field("summary_asa_lo", &SimulationResult::summary_asa_lo, "lower confidence bound"),
        field("summary_asa_hi", &SimulationResult::summary_asa_hi, "upper confidence bound"),
        field("summary_utilization", &SimulationResult::summary_utilization, "busy over staffed time after the warm-up"),
        field("class_service_level", &SimulationResult::class_service_level, "service level per customer class"),
        field("class_service_level_lo", &SimulationResult::class_service_level_lo, "lower confidence bound"),
        field("class_service_level_hi", &SimulationResult::class_service_level_hi, "upper confidence bound"),
        field("replication_service_level", &SimulationResult::replication_service_level,
              "each replication's service level after the warm-up"),
        field("customers", &SimulationResult::customers, "customers simulated in all replications")};
  }
};

/// Simulates `staff` (servers on duty per interval) facing `arrival_rates` (intervals x classes,
/// per time unit) with the classes' handling and patience. `size` holds negative-binomial sizes
/// per interval (empty or inf: Poisson); `period_starts` the intervals where a new day begins.
[[nodiscard]] BANKQUANT_EXPORT SimulationResult simulate(const Eigen::Ref<const RowMatrix>& arrival_rates,
                                                         std::span<const int> staff,
                                                         std::span<const CustomerClass> classes,
                                                         double interval_length, std::span<const double> size,
                                                         std::span<const std::size_t> period_starts,
                                                         const SimulationOptions& options);

}  // namespace bankquant::staffing
