// Private to src/staffing: the Erlang kernels that erlang.cpp, required_servers.cpp,
// requirements.cpp and pooling.cpp share. No argument checks here: callers check first.
#pragma once

#include <cmath>
#include <limits>

#include "bankquant/staffing/required_servers.hpp"

namespace bankquant::staffing::detail {

/// The inverse Erlang B recursion I(k) = 1 + (k / a) I(k - 1), stepped one server at a time, so a
/// search over n pays O(1) per step. Beyond 1e280 it continues on log I.
class InverseErlangB {
 public:
  explicit InverseErlangB(double load) : load_(load), inverse_load_(load > 0 ? 1.0 / load : 0.0) {}

  void step() {
    ++servers_;
    if (load_ == 0.0) return;  // B(n, 0) = 0 for n >= 1; handled in blocking()
    if (!in_log_) {
      inverse_ = 1.0 + static_cast<double>(servers_) * inverse_load_ * inverse_;
      if (inverse_ > 1e280) {
        in_log_ = true;
        log_inverse_ = std::log(inverse_);
      }
    } else {
      log_inverse_ += std::log(static_cast<double>(servers_) * inverse_load_);
    }
  }

  void advance_to(int n) {
    while (servers_ < n) step();
  }

  [[nodiscard]] int servers() const { return servers_; }
  [[nodiscard]] double load() const { return load_; }

  /// B(n, a).
  [[nodiscard]] double blocking() const {
    if (load_ == 0.0) return servers_ == 0 ? 1.0 : 0.0;
    return in_log_ ? std::exp(-log_inverse_) : 1.0 / inverse_;
  }

  /// C(n, a) for a < n: 1 / (rho + (1 - rho) I).
  [[nodiscard]] double erlang_c() const {
    if (load_ == 0.0) return 0.0;
    const double rho = load_ / static_cast<double>(servers_);
    if (in_log_) return std::exp(-log_inverse_) / (1.0 - rho);
    return 1.0 / (rho + (1.0 - rho) * inverse_);
  }

 private:
  double load_;
  double inverse_load_;
  int servers_ = 0;
  double inverse_ = 1.0;
  double log_inverse_ = 0.0;
  bool in_log_ = false;
};

/// Erlang C from B: C = B / (1 - rho (1 - B)), for real servers x > a.
inline double erlang_c_from_blocking(double blocking, double load, double servers) {
  const double rho = load / servers;
  return blocking / (1.0 - rho * (1.0 - blocking));
}

/// What every queue evaluation returns (the measures of QueueMeasures and ErlangAResult).
struct Measures {
  double prob_wait = 0.0;
  double prob_abandon = 0.0;
  double service_level = 0.0;
  double asa = 0.0;        // mean wait of the answered
  double mean_wait = 0.0;  // mean time in queue of all arrivals
  double mean_queue = 0.0;
  double occupancy = 0.0;
  int queue_states = 0;
  bool stable = true;
};

/// Erlang C (with the M/G/n and Hayward corrections; peakedness 1 and scv 1 give Erlang C
/// exactly) given C, load a, servers n (real when peakedness != 1) and service time s.
inline Measures erlang_c_measures(double prob_wait, double load, double servers, double service_time,
                                  double target_time, double peakedness, double service_scv) {
  Measures m;
  if (!(load < servers)) {
    m.prob_wait = 1.0;
    m.service_level = 0.0;
    m.asa = std::numeric_limits<double>::infinity();
    m.mean_wait = m.asa;
    m.mean_queue = m.asa;
    m.occupancy = 1.0;
    m.stable = false;
    return m;
  }
  // Conditional wait given a wait: exponential with mean s / (n - a), times z (Hayward) and
  // (1 + c^2) / 2 (M/G/n).
  const double conditional_mean = service_time / (servers - load) * peakedness * 0.5 * (1.0 + service_scv);
  m.prob_wait = prob_wait;
  m.asa = prob_wait * conditional_mean;
  m.mean_wait = m.asa;
  m.mean_queue = m.asa * load / service_time;
  m.service_level = 1.0 - prob_wait * std::exp(-target_time / conditional_mean);
  m.occupancy = load / servers;
  return m;
}

/// The largest number of queue states erlang_a_measures sums before giving up (an overloaded queue
/// with near-infinite patience).
inline constexpr long long kMaxQueueStates = 20'000'000;

/// Erlang A, exact (see erlang.hpp for the derivation). `blocking` is B(n, a); n >= 1. Returns
/// queue_states < 0 when more than kMaxQueueStates states would be needed.
Measures erlang_a_measures(double arrival_rate, double service_time, double patience, int servers, double blocking,
                           double target_time);

/// Every measure of `servers` >= 0 servers facing `arrival_rate` under `model` (checked already):
/// Erlang C (unstable: flagged) or Erlang A. Throws InvalidArgument naming 'patience' when the
/// Erlang A chain would need more than kMaxQueueStates states.
Measures measures_at(double arrival_rate, int servers, const QueueModel& model, double target_time);

/// The name of the first target that `m` misses ("servers" when unstable), or nullptr.
const char* missed_target(const Measures& m, const StaffingTarget& target);

}  // namespace bankquant::staffing::detail
