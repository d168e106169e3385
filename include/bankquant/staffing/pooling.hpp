// bankquant/staffing/pooling.hpp — one pool of tellers for several services.
//
// A branch counter where customers come for several services (deposits, loans, enquiries), each
// with its own arrival rate lambda_k and handling time s_k, and every teller handles them all from
// one first-come-first-served queue. The pool faces lambda = sum lambda_k with handling times from
// the mixture: mean s = sum p_k s_k (p_k = lambda_k / lambda) and second moment
// sum p_k (1 + c_k^2) s_k^2, so even exponential services (c_k^2 = 1) pool into a
// hyper-exponential with squared coefficient of variation c^2 = E[S^2] / s^2 - 1 >= 1. The pool is
// sized as an M/G/n queue by the Erlang C approximation of required_servers.hpp (probability of
// waiting from Erlang C, conditional wait scaled by (1 + c^2) / 2; Whitt 1993), which the tests
// check against the simulator's multi-class queue.
//
// Under FCFS every customer sees the same wait, whatever the service, so the service level is the
// pool's. The split per service gives each service its share of the pooled servers in proportion to
// the work it brings, a_k / a with a_k = lambda_k s_k (the busy tellers serving k in steady state),
// rounded by largest remainder so the split adds up; the separate requirement sizes each service
// as its own queue, and their difference is what pooling saves.
//
// Cost: O(services + the required-servers search) per interval.
#pragma once

#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/staffing/required_servers.hpp"

namespace bankquant::staffing {

struct PooledRequirement {
  int servers = 0;
  int staff = 0;
  double arrival_rate = 0.0;
  double service_time = 0.0;
  double service_scv = 0.0;
  std::vector<double> load_share;
  std::vector<int> servers_by_service;
  std::vector<int> separate_servers;
  int separate_total = 0;
  QueueMeasures measures;

  static constexpr auto fields() {
    return std::tuple{
        field("servers", &PooledRequirement::servers, "servers of the pooled queue"),
        field("staff", &PooledRequirement::staff, "staff to schedule for the pool (shrinkage applied)"),
        field("arrival_rate", &PooledRequirement::arrival_rate, "total arrival rate of all services"),
        field("service_time", &PooledRequirement::service_time, "mean handling time of the mixture of services"),
        field("service_scv", &PooledRequirement::service_scv,
              "squared coefficient of variation of the mixture's handling times"),
        field("load_share", &PooledRequirement::load_share, "each service's share of the work, a_k / a"),
        field("servers_by_service", &PooledRequirement::servers_by_service,
              "the pooled servers split by work share (largest remainder; they add up to servers)"),
        field("separate_servers", &PooledRequirement::separate_servers, "servers each service needs as its own queue"),
        field("separate_total", &PooledRequirement::separate_total, "sum of separate_servers: servers without pooling"),
        field("measures", &PooledRequirement::measures, "the pool's measures at `servers`")};
  }
};

/// The pooled and separate requirements of services with rates `arrival_rates`, mean handling
/// times `service_times` and handling-time squared coefficients of variation `service_scvs` (empty:
/// exponential, 1 each), for `target` (Erlang C throughout: patience is not modelled here).
[[nodiscard]] BANKQUANT_EXPORT PooledRequirement pooled_requirement(std::span<const double> arrival_rates,
                                                                    std::span<const double> service_times,
                                                                    std::span<const double> service_scvs,
                                                                    const StaffingTarget& target);

/// pooled_requirement for every row of `arrival_rates` (intervals x services), in parallel.
[[nodiscard]] BANKQUANT_EXPORT std::vector<PooledRequirement> pooled_requirements(
    const Eigen::Ref<const RowMatrix>& arrival_rates, std::span<const double> service_times,
    std::span<const double> service_scvs, const StaffingTarget& target);

}  // namespace bankquant::staffing
