#include "bankquant/staffing/pooling.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant::staffing {
namespace {

void check_services(std::span<const double> service_times, std::span<const double> service_scvs) {
  check::not_empty("service_times", service_times.size());
  for (std::size_t k = 0; k < service_times.size(); ++k) {
    if (!std::isfinite(service_times[k]) || !(service_times[k] > 0)) {
      check::fail("service_times", fmt::format("expected positive finite handling times, found {} for service {}",
                                               service_times[k], k));
    }
  }
  if (!service_scvs.empty()) {
    check::same_size("service_times", service_times.size(), "service_scvs", service_scvs.size());
    for (std::size_t k = 0; k < service_scvs.size(); ++k) {
      if (!std::isfinite(service_scvs[k]) || service_scvs[k] < 0) {
        check::fail("service_scvs", fmt::format("expected finite values >= 0, found {} for service {}", service_scvs[k], k));
      }
    }
  }
}

// The pooled servers split in proportion to the shares, by largest remainder (ties: lower index).
std::vector<int> split(int servers, const std::vector<double>& share) {
  const std::size_t k = share.size();
  std::vector<int> out(k, 0);
  std::vector<double> remainder(k, 0.0);
  int given = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double exact = servers * share[i];
    out[i] = static_cast<int>(std::floor(exact));
    remainder[i] = exact - out[i];
    given += out[i];
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t i = 0; given < servers && i < k; ++i, ++given) ++out[order[i]];
  return out;
}

PooledRequirement pool(std::span<const double> rates, std::span<const double> times, std::span<const double> scvs,
                       const StaffingTarget& target) {
  PooledRequirement out;
  const std::size_t k = times.size();
  double lambda = 0.0;
  for (std::size_t i = 0; i < k; ++i) lambda += rates[i];
  out.arrival_rate = lambda;
  out.load_share.assign(k, 0.0);
  out.separate_servers.assign(k, 0);
  QueueModel model;
  for (std::size_t i = 0; i < k; ++i) {
    model.service_time = times[i];
    model.service_scv = scvs.empty() ? 1.0 : scvs[i];
    out.separate_servers[i] = required_servers(rates[i], model, target);
    out.separate_total += out.separate_servers[i];
  }
  if (lambda == 0.0) {
    out.service_time = std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(k);
    out.service_scv = 1.0;
    out.servers_by_service.assign(k, 0);
    out.measures.service_level = 1.0;
    return out;
  }
  // The mixture's moments weighted by each service's share of arrivals (rate / lambda, not the
  // rates themselves, so tiny rates do not underflow the handling time to 0).
  double mean = 0.0, second = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double c2 = scvs.empty() ? 1.0 : scvs[i], p = rates[i] / lambda;
    mean += p * times[i];
    second += p * (1.0 + c2) * times[i] * times[i];
  }
  out.service_time = mean;
  out.service_scv = std::max(0.0, second / (mean * mean) - 1.0);
  for (std::size_t i = 0; i < k; ++i) out.load_share[i] = rates[i] / lambda * times[i] / mean;
  model.service_time = out.service_time;
  model.service_scv = out.service_scv;
  out.servers = required_servers(lambda, model, target);
  out.staff = staff_for_servers(out.servers, target.shrinkage);
  out.servers_by_service = split(out.servers, out.load_share);
  out.measures = queue_measures(lambda, out.servers, model, target.target_time);
  return out;
}

}  // namespace

PooledRequirement pooled_requirement(std::span<const double> arrival_rates, std::span<const double> service_times,
                                     std::span<const double> service_scvs, const StaffingTarget& target) {
  target.validate();
  check_services(service_times, service_scvs);
  check::same_size("arrival_rates", arrival_rates.size(), "service_times", service_times.size());
  check::all_finite("arrival_rates", arrival_rates);
  check::all_non_negative("arrival_rates", arrival_rates);
  return pool(arrival_rates, service_times, service_scvs, target);
}

std::vector<PooledRequirement> pooled_requirements(const Eigen::Ref<const RowMatrix>& arrival_rates,
                                                   std::span<const double> service_times,
                                                   std::span<const double> service_scvs, const StaffingTarget& target) {
  target.validate();
  check_services(service_times, service_scvs);
  check::shape("arrival_rates", arrival_rates.rows(), arrival_rates.cols(), -1,
               static_cast<Eigen::Index>(service_times.size()));
  check::all_finite("arrival_rates", arrival_rates);
  for (Eigen::Index i = 0; i < arrival_rates.rows(); ++i) {
    for (Eigen::Index j = 0; j < arrival_rates.cols(); ++j) {
      if (arrival_rates(i, j) < 0) {
        check::fail("arrival_rates", fmt::format("expected rates >= 0, found {} at row {}, column {}", arrival_rates(i, j), i, j));
      }
    }
  }
  std::vector<PooledRequirement> out(static_cast<std::size_t>(arrival_rates.rows()));
  const auto cols = static_cast<std::size_t>(arrival_rates.cols());
  parallel_for_chunks(out.size(), 64, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double* row = arrival_rates.data() + static_cast<Eigen::Index>(i) * arrival_rates.outerStride();
      out[i] = pool(std::span<const double>(row, cols), service_times, service_scvs, target);
    }
  });
  return out;
}

}  // namespace bankquant::staffing
