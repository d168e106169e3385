#include "bankquant/staffing/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "queue_kernels.hpp"

namespace bankquant::staffing {
namespace detail {

Measures erlang_a_measures(double arrival_rate, double service_time, double patience, int servers, double blocking,
                           double target_time) {
  Measures m;
  const double lambda = arrival_rate;
  const double theta = 1.0 / patience;
  const double rate = static_cast<double>(servers) / service_time;  // n mu
  if (lambda == 0.0) {
    m.service_level = 1.0;
    return m;
  }
  // Incomplete-beta state for P(S_m <= t), S_m = sum_{i=1..m} Exp(rate + i theta).
  const double y = -std::expm1(-theta * target_time);  // 1 - e^{-theta t}
  const double log_y = std::log(y);                    // -inf when t = 0: every P_m is 0
  const double alpha = rate / theta + 1.0;
  double p_within = -std::expm1(-(rate + theta) * target_time);  // P_1
  double log_d = log_y - (rate + theta) * target_time + std::log(alpha);  // log D_1
  bool d_in_log = log_d < -700.0;
  double d = d_in_log ? 0.0 : std::exp(log_d);
  bool p_done = target_time == 0.0;  // P_m stays 0 (t = 0) or has reached 0

  // Weights relative to sum_{k<=n} pi_k: below n 1 - B, then term_j = pi_{n+j} (j waiting).
  double below = 1.0 - blocking;
  double term = blocking;
  double z = below, waiting = 0.0, queue = 0.0, answered = below, within = below, answered_wait = 0.0;
  double harmonic = 0.0;  // H_{j+1} = sum_{i=1..j+1} 1 / (rate + i theta)
  long long j = 0;
  constexpr double kRescale = 1e-250;
  for (;; ++j) {
    if (j > kMaxQueueStates) {
      m.queue_states = -1;
      return m;
    }
    const double next_rate = rate + static_cast<double>(j + 1) * theta;  // rate + (j + 1) theta
    harmonic += 1.0 / next_rate;
    const double p_answer = rate / next_rate;
    z += term;
    waiting += term;
    queue += static_cast<double>(j) * term;
    answered += term * p_answer;
    within += term * p_answer * p_within;
    answered_wait += term * p_answer * harmonic;
    // Advance P_{j+1} -> P_{j+2} (m = j + 1 -> m + 1): P_{m+1} = P_m - D_m.
    if (!p_done) {
      const double mm = static_cast<double>(j + 1);
      if (d_in_log) {  // D_m below e^-700: nothing to subtract yet
        log_d += log_y + std::log1p((alpha - 1.0) / (mm + 1.0));
        if (log_d > -700.0) {
          d_in_log = false;
          d = std::exp(log_d);
        }
      } else {
        p_within -= d;
        const double ratio = y * (mm + alpha) / (mm + 1.0);
        d *= ratio;
        // Past the peak with decrements below every representable weight, what is left of P is
        // rounding (the decrements telescope to 0): stop stepping.
        if (p_within <= 0.0 || (ratio < 1.0 && d < 1e-300)) {
          p_within = std::max(0.0, p_within);
          p_done = true;
        }
      }
    }
    // Next queue state: term_{j+1} = term_j lambda / (rate + (j + 1) theta).
    const double ratio = lambda / next_rate;
    term *= ratio;
    if (ratio < 1.0 && term * ratio / (1.0 - ratio) < 1e-17 * z) {
      ++j;
      break;
    }
    if (term > 1e250) {  // keep every weight finite: all outputs are ratios of these sums
      term *= kRescale;
      z *= kRescale;
      waiting *= kRescale;
      queue *= kRescale;
      answered *= kRescale;
      within *= kRescale;
      answered_wait *= kRescale;
    }
  }
  m.queue_states = static_cast<int>(j);
  m.prob_wait = waiting / z;
  m.mean_queue = queue / z;
  m.prob_abandon = std::min(1.0, theta * m.mean_queue / lambda);
  m.service_level = within / z;
  const double p_answered = answered / z;
  m.asa = p_answered > 0 ? (answered_wait / z) / p_answered : 0.0;
  m.mean_wait = m.mean_queue / lambda;
  m.occupancy = std::min(1.0, lambda * service_time * (1.0 - m.prob_abandon) / static_cast<double>(servers));
  return m;
}

}  // namespace detail

namespace {

void check_rate_and_times(double arrival_rate, double service_time, double target_time) {
  check::finite("arrival_rate", arrival_rate);
  check::non_negative("arrival_rate", arrival_rate);
  check::finite("service_time", service_time);
  check::positive("service_time", service_time);
  check::finite("target_time", target_time);
  check::non_negative("target_time", target_time);
}

}  // namespace

double erlang_b(double load, int servers) {
  check::finite("load", load);
  check::non_negative("load", load);
  check::integer_at_least("servers", servers, 0);
  detail::InverseErlangB b(load);
  b.advance_to(servers);
  return b.blocking();
}

double erlang_b_continuous(double load, double servers) {
  check::finite("load", load);
  check::non_negative("load", load);
  check::finite("servers", servers);
  check::non_negative("servers", servers);
  if (load == 0.0) return servers == 0.0 ? 1.0 : 0.0;
  // B(x, a) = a^x e^-a / Gamma(x + 1, a) = [e^-a a^x / Gamma(x + 1)] / Q(x + 1, a).
  const double q = boost::math::gamma_q(servers + 1.0, load);
  const double density = boost::math::gamma_p_derivative(servers + 1.0, load);
  if (q == 0.0) return 1.0;  // a far above x: everything is blocked
  return std::min(1.0, density / q);
}

ErlangCResult erlang_c(double arrival_rate, double service_time, int servers, double target_time) {
  check_rate_and_times(arrival_rate, service_time, target_time);
  check::integer_at_least("servers", servers, 1);
  const double load = arrival_rate * service_time;
  if (!(load < static_cast<double>(servers))) {
    check::fail("servers", fmt::format("unstable queue: the offered load is {:.6g} Erlangs (arrival_rate x service_time), "
                                       "so at least {} servers are needed for the queue not to grow without bound; got {}",
                                       load, static_cast<long long>(std::floor(load)) + 1, servers));
  }
  detail::InverseErlangB b(load);
  b.advance_to(servers);
  const auto m = detail::erlang_c_measures(b.erlang_c(), load, servers, service_time, target_time, 1.0, 1.0);
  ErlangCResult r;
  r.arrival_rate = arrival_rate;
  r.service_time = service_time;
  r.servers = servers;
  r.target_time = target_time;
  r.load = load;
  r.occupancy = m.occupancy;
  r.prob_wait = m.prob_wait;
  r.asa = m.asa;
  r.service_level = m.service_level;
  r.mean_queue = m.mean_queue;
  return r;
}

ErlangAResult erlang_a(double arrival_rate, double service_time, double patience, int servers, double target_time) {
  check_rate_and_times(arrival_rate, service_time, target_time);
  check::finite("patience", patience);
  check::positive("patience", patience);
  check::integer_at_least("servers", servers, 1);
  const double load = arrival_rate * service_time;
  detail::InverseErlangB b(load);
  b.advance_to(servers);
  const auto m = detail::erlang_a_measures(arrival_rate, service_time, patience, servers, b.blocking(), target_time);
  if (m.queue_states < 0) {
    check::fail("patience", fmt::format("the queue is overloaded (load {:.6g} Erlangs on {} servers) and patience {:.6g} "
                                        "is so long that more than {} customers would be waiting; add servers or "
                                        "shorten patience",
                                        load, servers, patience, detail::kMaxQueueStates));
  }
  ErlangAResult r;
  r.arrival_rate = arrival_rate;
  r.service_time = service_time;
  r.patience = patience;
  r.servers = servers;
  r.target_time = target_time;
  r.load = load;
  r.occupancy = m.occupancy;
  r.prob_wait = m.prob_wait;
  r.prob_abandon = m.prob_abandon;
  r.service_level = m.service_level;
  r.asa = m.asa;
  r.mean_wait = m.mean_wait;
  r.mean_queue = m.mean_queue;
  r.queue_states = m.queue_states;
  return r;
}

}  // namespace bankquant::staffing
