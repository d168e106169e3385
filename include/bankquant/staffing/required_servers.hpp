// bankquant/staffing/required_servers.hpp — how many servers a queue needs to meet its targets.
//
// A QueueModel says which queue the arrivals meet: Erlang C (patience = inf) or Erlang A (finite
// exponential patience), with two documented approximations for Erlang C:
//   peakedness z != 1 — over-dispersed (bursty) arrivals, by Hayward's approximation (Fredericks
//     1980): n servers facing load a with peakedness z behave like n / z servers facing load a / z,
//     with waits z times longer (batches of z customers served as one). Servers become real
//     numbers, so Erlang C uses the continuous Erlang B (erlang.hpp). z = 1 is Erlang C exactly.
//   service_scv c^2 != 1 — non-exponential handling times (M/G/n): the probability of waiting is
//     kept, the conditional wait is scaled by (1 + c^2) / 2 (Lee and Longton 1959; Whitt 1993,
//     "Approximations for the GI/G/m queue"). c^2 = 1 is Erlang C exactly.
// Both approximations are checked against the simulator (simulation.hpp) in
// tests/cpp/staffing/test_simulation.cpp: pooled exponential services (c^2 = 2.5) within 0.03 of the
// simulated service level; Hayward conservative by 0.05-0.08 in service level for geometric-batch
// arrivals of peakedness 2-3 (it errs towards more staff). Erlang A takes neither.
//
// A StaffingTarget lists what must hold, all at once: a service level (probability of being
// answered within target_time), and optionally an ASA ceiling, an occupancy ceiling and an
// abandonment ceiling. required_servers returns the smallest n meeting all of them. Each measure
// is monotone in n, so the search is a scan up from the stability bound for Erlang C (O(1) per
// step: the Erlang B recursion continues) and a doubling-then-bisection for Erlang A. Shrinkage
// (breaks, training, absence: a share of paid time off the queue) turns servers into staff:
// staff = ceil(servers / (1 - shrinkage)).
//
// Cost: Erlang C O(a + sqrt(a)) per interval; Erlang A O(log n) chain evaluations. The many-interval
// form runs intervals in parallel (fixed chunks; identical for any thread count).
#pragma once

#include <limits>
#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::staffing {

struct QueueModel {
  double service_time = 1.0;
  double patience = std::numeric_limits<double>::infinity();
  double peakedness = 1.0;
  double service_scv = 1.0;

  /// Checks service_time > 0, patience > 0 (inf: Erlang C), peakedness >= 1 finite, service_scv >= 0
  /// finite, and that an Erlang A model keeps peakedness = service_scv = 1.
  BANKQUANT_EXPORT void validate() const;
  [[nodiscard]] bool abandonment() const { return patience < std::numeric_limits<double>::infinity(); }

  static constexpr auto fields() {
    return std::tuple{
        field("service_time", &QueueModel::service_time, "mean handling time, in time units"),
        field("patience", &QueueModel::patience,
              "mean exponential patience in time units (Erlang A); inf for no abandonment (Erlang C)"),
        field("peakedness", &QueueModel::peakedness,
              "variance / mean of the arrivals' offered load (1 for Poisson); Hayward's approximation"),
        field("service_scv", &QueueModel::service_scv,
              "squared coefficient of variation of handling times (1 for exponential); M/G/n approximation")};
  }
};

struct StaffingTarget {
  double service_level = 0.8;
  double target_time = 20.0 / 60.0;
  double max_asa = std::numeric_limits<double>::infinity();
  double max_occupancy = 1.0;
  double max_abandon = 1.0;
  double shrinkage = 0.0;
  int max_servers = 1'000'000;

  /// Checks service_level in (0, 1) (or exactly 0: no service-level target), target_time >= 0
  /// finite, max_asa > 0, max_occupancy in (0, 1], max_abandon in (0, 1], shrinkage in [0, 1).
  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("service_level", &StaffingTarget::service_level,
              "share answered within target_time, in (0, 1); 0 for none (the 80/20 rule's 0.8 by default)"),
        field("target_time", &StaffingTarget::target_time,
              "the service-level target time in time units (20 s in minutes by default: the 80/20 rule)"),
        field("max_asa", &StaffingTarget::max_asa, "ceiling on the average speed of answer; inf for none"),
        field("max_occupancy", &StaffingTarget::max_occupancy, "ceiling on server occupancy, in (0, 1]; 1 for none"),
        field("max_abandon", &StaffingTarget::max_abandon, "ceiling on the abandonment probability, in (0, 1]; 1 for none"),
        field("shrinkage", &StaffingTarget::shrinkage,
              "share of paid time off the queue (breaks, training, absence), in [0, 1): staff = ceil(servers / (1 - shrinkage))"),
        field("max_servers", &StaffingTarget::max_servers,
              "give up above this many servers (an error naming the target that cannot be met)")};
  }
};

/// Every measure of one queue at one staffing level.
struct QueueMeasures {
  int servers = 0;
  double load = 0.0;
  double occupancy = 0.0;
  double prob_wait = 0.0;
  double prob_abandon = 0.0;
  double service_level = 0.0;
  double asa = 0.0;
  bool stable = true;

  static constexpr auto fields() {
    return std::tuple{
        field("servers", &QueueMeasures::servers, "number of servers"),
        field("load", &QueueMeasures::load, "offered load in Erlangs"),
        field("occupancy", &QueueMeasures::occupancy, "share of time a server is busy (1 when unstable)"),
        field("prob_wait", &QueueMeasures::prob_wait, "probability an arrival waits (1 when unstable)"),
        field("prob_abandon", &QueueMeasures::prob_abandon, "probability an arrival abandons (0 for Erlang C)"),
        field("service_level", &QueueMeasures::service_level,
              "probability of being answered within the target time (0 when unstable)"),
        field("asa", &QueueMeasures::asa, "average speed of answer of answered arrivals (inf when unstable)"),
        field("stable", &QueueMeasures::stable,
              "false when an Erlang C queue's load reaches its servers (the queue grows without bound)")};
  }
};

/// The measures of `servers` >= 0 servers facing `arrival_rate`. Unlike erlang_c(), an unstable
/// Erlang C queue is not an error here (rosters are evaluated interval by interval and some may be
/// short): it is reported with stable = false, service_level 0, prob_wait 1 and asa inf.
[[nodiscard]] BANKQUANT_EXPORT QueueMeasures queue_measures(double arrival_rate, int servers, const QueueModel& model,
                                                            double target_time);

/// The smallest number of servers meeting every target (0 when arrival_rate is 0), before shrinkage.
/// Throws InvalidArgument naming the target that cannot be met below target.max_servers.
[[nodiscard]] BANKQUANT_EXPORT int required_servers(double arrival_rate, const QueueModel& model,
                                                    const StaffingTarget& target);

/// required_servers for each rate, in parallel.
[[nodiscard]] BANKQUANT_EXPORT std::vector<int> required_servers(std::span<const double> arrival_rates,
                                                                 const QueueModel& model, const StaffingTarget& target);

/// Staff to schedule for `servers` on the queue: ceil(servers / (1 - shrinkage)).
[[nodiscard]] BANKQUANT_EXPORT int staff_for_servers(int servers, double shrinkage);

}  // namespace bankquant::staffing
