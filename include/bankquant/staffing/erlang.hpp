// bankquant/staffing/erlang.hpp — the Erlang queues: B (loss), C (delay), A (delay with abandonment).
//
// One time unit throughout: arrival_rate is per unit, service_time, patience and target_time are in
// units. The offered load is a = arrival_rate x service_time (Erlangs); n is the number of servers.
//
// Erlang B (M/M/n/n, Erlang 1917): the blocking probability B(n, a), by the recursion on its
//   inverse I(k) = 1 + (k / a) I(k - 1), I(0) = 1, B = 1 / I — positive terms only, so it is stable
//   for any n (no factorials, no powers); O(n). Once I exceeds 1e280 the recursion continues on
//   log I (the +1 no longer matters), so B underflows gracefully to 0 instead of overflowing.
//   erlang_b_continuous extends B to real n (Jagerman 1974): B(x, a) = a^x e^-a / Gamma(x + 1, a),
//   with Boost.Math's incomplete gamma; it equals the recursion at integers.
// Erlang C (M/M/n): prob_wait C = 1 / (rho + (1 - rho) I(n)), rho = a / n < 1; ASA (mean wait of
//   all customers) C s / (n - a); service level P(W <= t) = 1 - C exp(-(n - a) t / s); occupancy
//   a / n. A load at or above n is an unstable queue: an error that says how many servers the load
//   needs. O(n).
// Erlang A (M/M/n+M; Palm 1943, Garnett, Mandelbaum and Reiman 2002): exponential patience with
//   mean `patience`, exact from the birth-death chain: pi_k ~ a^k / k! for k <= n and
//   pi_{n+j} = pi_n prod_{i<=j} lambda / (n mu + i theta) (mu = 1/s, theta = 1/patience), summed
//   until the tail bound falls below 1e-17 of the total. A customer who finds j waiting has an
//   offered wait V = sum_{i=0..j} Exp(n mu + i theta) and is answered iff patience exceeds V;
//   tilting by the patience survival telescopes to
//     P(answered) = n mu / (n mu + (j+1) theta),
//     P(answered within t) = n mu / (n mu + (j+1) theta) * P(S_{j+1} <= t),
//   with S_m = sum_{i=1..m} Exp(n mu + i theta) = -log(X) / theta, X ~ Beta(n mu / theta + 1, m)
//   (compare the Laplace transforms), so P(S_m <= t) is a regularized incomplete beta function,
//   stepped in m by its recurrence (positive decrements, log-space so nothing underflows).
//   Definitions (Mandelbaum and Zeltyn 2007 use the same): prob_wait = P(an arrival waits);
//   prob_abandon = theta E[Q] / lambda; service_level = P(answered within target_time), abandoners
//   count as failures; asa = mean wait of the answered; mean_wait = E[Q] / lambda over all arrivals.
//   Cost O(n + number of queue states that matter), no matrices; any load is stable.
//
// Everything is checked against published values and independent computations in
// tests/cpp/staffing/test_erlang.cpp (the dense birth-death chain, mpmath in the Python tests).
#pragma once

#include <tuple>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::staffing {

/// Erlang B blocking probability for `servers` >= 0 servers and offered load `load` >= 0 Erlangs.
[[nodiscard]] BANKQUANT_EXPORT double erlang_b(double load, int servers);

/// Erlang B for a real number of servers >= 0 (Jagerman's continuous extension).
[[nodiscard]] BANKQUANT_EXPORT double erlang_b_continuous(double load, double servers);

struct ErlangCResult {
  double arrival_rate = 0.0;
  double service_time = 0.0;
  int servers = 0;
  double target_time = 0.0;
  double load = 0.0;
  double occupancy = 0.0;
  double prob_wait = 0.0;
  double asa = 0.0;
  double service_level = 0.0;
  double mean_queue = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("arrival_rate", &ErlangCResult::arrival_rate, "arrivals per time unit"),
        field("service_time", &ErlangCResult::service_time, "mean handling time, in time units"),
        field("servers", &ErlangCResult::servers, "number of servers n"),
        field("target_time", &ErlangCResult::target_time, "the service-level target time, in time units"),
        field("load", &ErlangCResult::load, "offered load a = arrival_rate x service_time (Erlangs)"),
        field("occupancy", &ErlangCResult::occupancy, "share of time a server is busy, a / n"),
        field("prob_wait", &ErlangCResult::prob_wait, "probability an arrival waits (the Erlang C formula)"),
        field("asa", &ErlangCResult::asa, "average speed of answer: mean wait in queue, in time units"),
        field("service_level", &ErlangCResult::service_level, "probability of waiting at most target_time"),
        field("mean_queue", &ErlangCResult::mean_queue, "mean number waiting, arrival_rate x asa")};
  }
};

/// Erlang C measures. Throws InvalidArgument for rates or times out of range and for an unstable
/// queue (load >= servers), saying how many servers the load needs.
[[nodiscard]] BANKQUANT_EXPORT ErlangCResult erlang_c(double arrival_rate, double service_time, int servers,
                                                      double target_time);

struct ErlangAResult {
  double arrival_rate = 0.0;
  double service_time = 0.0;
  double patience = 0.0;
  int servers = 0;
  double target_time = 0.0;
  double load = 0.0;
  double occupancy = 0.0;
  double prob_wait = 0.0;
  double prob_abandon = 0.0;
  double service_level = 0.0;
  double asa = 0.0;
  double mean_wait = 0.0;
  double mean_queue = 0.0;
  int queue_states = 0;

  static constexpr auto fields() {
    return std::tuple{
        field("arrival_rate", &ErlangAResult::arrival_rate, "arrivals per time unit"),
        field("service_time", &ErlangAResult::service_time, "mean handling time, in time units"),
        field("patience", &ErlangAResult::patience, "mean (exponential) patience, in time units"),
        field("servers", &ErlangAResult::servers, "number of servers n"),
        field("target_time", &ErlangAResult::target_time, "the service-level target time, in time units"),
        field("load", &ErlangAResult::load, "offered load a = arrival_rate x service_time (Erlangs)"),
        field("occupancy", &ErlangAResult::occupancy, "share of time a server is busy, a (1 - prob_abandon) / n"),
        field("prob_wait", &ErlangAResult::prob_wait, "probability an arrival waits"),
        field("prob_abandon", &ErlangAResult::prob_abandon, "probability an arrival abandons before service"),
        field("service_level", &ErlangAResult::service_level,
              "probability an arrival is answered within target_time (abandoners count as not answered)"),
        field("asa", &ErlangAResult::asa, "average speed of answer: mean wait of answered arrivals"),
        field("mean_wait", &ErlangAResult::mean_wait, "mean time in queue over all arrivals (abandoners included)"),
        field("mean_queue", &ErlangAResult::mean_queue, "mean number waiting"),
        field("queue_states", &ErlangAResult::queue_states,
              "queue lengths summed (the birth-death chain beyond n, until its tail is below 1e-17)")};
  }
};

/// Erlang A measures (exact). Any load is allowed: abandonment keeps the queue stable.
[[nodiscard]] BANKQUANT_EXPORT ErlangAResult erlang_a(double arrival_rate, double service_time, double patience,
                                                      int servers, double target_time);

}  // namespace bankquant::staffing
