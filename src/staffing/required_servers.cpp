#include "bankquant/staffing/required_servers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/staffing/erlang.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "queue_kernels.hpp"

namespace bankquant::staffing {
namespace {

using bankquant::detail::kInf;

void check_rate(double arrival_rate) {
  check::finite("arrival_rate", arrival_rate);
  check::non_negative("arrival_rate", arrival_rate);
}

// Measures of an Erlang C queue (with its approximations) when C is already known.
detail::Measures erlang_c_at(double arrival_rate, int servers, const QueueModel& model, double target_time,
                             const detail::InverseErlangB* recursion) {
  const double load = arrival_rate * model.service_time;
  const auto n = static_cast<double>(servers);
  if (!(load < n)) return detail::erlang_c_measures(1.0, load, n, model.service_time, target_time, 1.0, 1.0);
  double c;
  if (model.peakedness == 1.0) {
    if (recursion != nullptr) {
      c = recursion->erlang_c();
    } else {
      detail::InverseErlangB b(load);
      b.advance_to(servers);
      c = b.erlang_c();
    }
  } else {
    const double x = n / model.peakedness, a = load / model.peakedness;
    c = detail::erlang_c_from_blocking(erlang_b_continuous(a, x), a, x);
  }
  return detail::erlang_c_measures(c, load, n, model.service_time, target_time, model.peakedness, model.service_scv);
}

detail::Measures erlang_a_at(double arrival_rate, int servers, const QueueModel& model, double target_time) {
  const double load = arrival_rate * model.service_time;
  detail::InverseErlangB b(load);
  b.advance_to(servers);
  auto m = detail::erlang_a_measures(arrival_rate, model.service_time, model.patience, servers, b.blocking(),
                                     target_time);
  if (m.queue_states < 0) {
    check::fail("patience", fmt::format("the queue is overloaded (load {:.6g} Erlangs on {} servers) and patience {:.6g} "
                                        "is so long that more than {} customers would be waiting; add servers or "
                                        "shorten patience",
                                        load, servers, model.patience, detail::kMaxQueueStates));
  }
  return m;
}

[[noreturn]] void cannot_meet(const char* target, double arrival_rate, const StaffingTarget& t) {
  check::fail(target, fmt::format("cannot be met with up to max_servers = {} servers at arrival_rate {:.6g}",
                                  t.max_servers, arrival_rate));
}

int required_erlang_c(double arrival_rate, const QueueModel& model, const StaffingTarget& target) {
  const double load = arrival_rate * model.service_time;
  int n = static_cast<int>(std::min<double>(std::floor(load) + 1.0, static_cast<double>(target.max_servers) + 1.0));
  if (target.max_occupancy < 1.0) n = std::max(n, static_cast<int>(std::min(std::ceil(load / target.max_occupancy), 2e9)));
  if (n > target.max_servers) cannot_meet(load >= target.max_servers ? "max_servers" : "max_occupancy", arrival_rate, target);
  detail::InverseErlangB b(load);
  b.advance_to(n);
  for (;;) {
    const auto m = erlang_c_at(arrival_rate, n, model, target.target_time, &b);
    const char* missed = detail::missed_target(m, target);
    if (missed == nullptr) return n;
    if (n >= target.max_servers) cannot_meet(missed, arrival_rate, target);
    ++n;
    b.step();
  }
}

int required_erlang_a(double arrival_rate, const QueueModel& model, const StaffingTarget& target) {
  const double load = arrival_rate * model.service_time;
  auto meets = [&](int n) {
    return detail::missed_target(erlang_a_at(arrival_rate, n, model, target.target_time), target) == nullptr;
  };
  // Every measure is monotone in n: find a staffing level that meets all targets by growing steps
  // from the load, then bisect down to the smallest.
  int hi = static_cast<int>(std::clamp(std::ceil(load), 1.0, static_cast<double>(target.max_servers)));
  int lo = 0;  // meets(0) is false for a positive rate
  if (!meets(hi)) {
    int step = static_cast<int>(std::max(1.0, std::ceil(std::sqrt(load))));
    for (;;) {
      lo = hi;
      if (hi >= target.max_servers) {
        cannot_meet(detail::missed_target(erlang_a_at(arrival_rate, hi, model, target.target_time), target), arrival_rate,
                    target);
      }
      hi = static_cast<int>(std::min<long long>(static_cast<long long>(hi) + step, target.max_servers));
      if (meets(hi)) break;
      step = static_cast<int>(std::min<long long>(2LL * step, 1LL << 30));
    }
  }
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    (meets(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace

namespace detail {

Measures measures_at(double arrival_rate, int servers, const QueueModel& model, double target_time) {
  Measures m;
  if (arrival_rate == 0.0) {
    m.service_level = 1.0;
    return m;
  }
  if (servers == 0) {
    if (!model.abandonment()) return erlang_c_measures(1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0);
    m.prob_wait = 1.0;
    m.prob_abandon = 1.0;
    m.service_level = 0.0;
    m.asa = kInf;
    m.mean_wait = model.patience;
    m.mean_queue = arrival_rate * model.patience;
    return m;
  }
  return model.abandonment() ? erlang_a_at(arrival_rate, servers, model, target_time)
                             : erlang_c_at(arrival_rate, servers, model, target_time, nullptr);
}

// The first target that `m` misses, or nullptr.
const char* missed_target(const detail::Measures& m, const StaffingTarget& t) {
  if (!m.stable) return "servers";
  if (t.service_level > 0 && !(m.service_level >= t.service_level)) return "service_level";
  if (!(m.asa <= t.max_asa)) return "max_asa";
  if (!(m.occupancy <= t.max_occupancy)) return "max_occupancy";
  if (!(m.prob_abandon <= t.max_abandon)) return "max_abandon";
  return nullptr;
}

}  // namespace detail

void QueueModel::validate() const {
  check::finite("service_time", service_time);
  check::positive("service_time", service_time);
  if (!(patience > 0)) check::fail("patience", fmt::format("expected a positive number (inf for no abandonment), got {}", patience));
  check::finite("peakedness", peakedness);
  if (!(peakedness >= 1.0)) check::fail("peakedness", fmt::format("expected a number >= 1 (1 for Poisson arrivals), got {}", peakedness));
  check::finite("service_scv", service_scv);
  check::non_negative("service_scv", service_scv);
  if (abandonment() && (peakedness != 1.0 || service_scv != 1.0)) {
    check::fail(peakedness != 1.0 ? "peakedness" : "service_scv",
                "the Erlang A model (finite patience) is exact for Poisson arrivals and exponential handling "
                "times only; set peakedness = service_scv = 1, or patience = inf for the Erlang C approximations");
  }
}

void StaffingTarget::validate() const {
  if (!(service_level == 0.0 || (service_level > 0.0 && service_level < 1.0))) {
    check::fail("service_level", fmt::format("expected a value in (0, 1) (or 0 for no service-level target), got {}", service_level));
  }
  check::finite("target_time", target_time);
  check::non_negative("target_time", target_time);
  if (!(max_asa > 0)) check::fail("max_asa", fmt::format("expected a positive number (inf for none), got {}", max_asa));
  if (!(max_occupancy > 0 && max_occupancy <= 1)) check::fail("max_occupancy", fmt::format("expected a value in (0, 1], got {}", max_occupancy));
  if (!(max_abandon > 0 && max_abandon <= 1)) check::fail("max_abandon", fmt::format("expected a value in (0, 1], got {}", max_abandon));
  if (!(shrinkage >= 0 && shrinkage < 1)) check::fail("shrinkage", fmt::format("expected a value in [0, 1), got {}", shrinkage));
  check::integer_at_least("max_servers", max_servers, 1);
}

QueueMeasures queue_measures(double arrival_rate, int servers, const QueueModel& model, double target_time) {
  check_rate(arrival_rate);
  check::integer_at_least("servers", servers, 0);
  check::finite("target_time", target_time);
  check::non_negative("target_time", target_time);
  model.validate();
  const auto m = detail::measures_at(arrival_rate, servers, model, target_time);
  QueueMeasures out;
  out.servers = servers;
  out.load = arrival_rate * model.service_time;
  out.occupancy = m.occupancy;
  out.prob_wait = m.prob_wait;
  out.prob_abandon = m.prob_abandon;
  out.service_level = m.service_level;
  out.asa = m.asa;
  out.stable = m.stable;
  return out;
}

int required_servers(double arrival_rate, const QueueModel& model, const StaffingTarget& target) {
  check_rate(arrival_rate);
  model.validate();
  target.validate();
  if (arrival_rate == 0.0) return 0;
  return model.abandonment() ? required_erlang_a(arrival_rate, model, target)
                             : required_erlang_c(arrival_rate, model, target);
}

std::vector<int> required_servers(std::span<const double> arrival_rates, const QueueModel& model,
                                  const StaffingTarget& target) {
  model.validate();
  target.validate();
  for (std::size_t i = 0; i < arrival_rates.size(); ++i) {
    if (!std::isfinite(arrival_rates[i]) || arrival_rates[i] < 0) {
      check::fail("arrival_rate", fmt::format("expected finite rates >= 0, found {} at index {}", arrival_rates[i], i));
    }
  }
  std::vector<int> out(arrival_rates.size());
  parallel_for_chunks(arrival_rates.size(), 512, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double rate = arrival_rates[i];
      out[i] = rate == 0.0 ? 0
                           : (model.abandonment() ? required_erlang_a(rate, model, target)
                                                  : required_erlang_c(rate, model, target));
    }
  });
  return out;
}

int staff_for_servers(int servers, double shrinkage) {
  check::integer_at_least("servers", servers, 0);
  if (!(shrinkage >= 0 && shrinkage < 1)) check::fail("shrinkage", fmt::format("expected a value in [0, 1), got {}", shrinkage));
  // The relative 1e-12 keeps 14 / 0.7 = 20.000000000000004 at 20.
  const double staff = static_cast<double>(servers) / (1.0 - shrinkage);
  return static_cast<int>(std::ceil(staff * (1.0 - 1e-12)));
}

}  // namespace bankquant::staffing
