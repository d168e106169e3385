// bankquant/risk/backtest.hpp — VaR backtests.
//
// An exception is a day whose loss exceeds that day's VaR. With n days at level alpha the
// exception count is Binomial(n, p), p = 1 - alpha, under a correct model.
//   kupiec         proportion of failures (Kupiec 1995): LR = -2 ln[(1-p)^(n-x) p^x]
//                  + 2 ln[(1-x/n)^(n-x) (x/n)^x] ~ chi2(1). The asymptotic p value misleads for
//                  few expected exceptions (2.5 a year at 99%), so the exact p value is given too:
//                  the probability under Binomial(n, p) of an LR at least as large as observed.
//   binomial       one-sided exact test of too many exceptions: P(X >= x)
//   tuff           time until first failure (Kupiec 1995), LR ~ chi2(1)
//   christoffersen independence of exceptions (a first-order Markov chain against independence,
//                  Christoffersen 1998), LR_ind ~ chi2(1), and conditional coverage
//                  LR_cc = LR_pof + LR_ind ~ chi2(2)
//   traffic_light  Basel Committee (1996) zones from the cumulative binomial probability
//                  P(X <= x): green below 95%, yellow below 99.99%, red above; for 250 days at
//                  99% the plus factor of the Basel table (0 up to 4 exceptions, 0.40, 0.50,
//                  0.65, 0.75, 0.85 for 5 to 9, 1 from 10); other set-ups report no plus factor
#pragma once

#include <span>
#include <string>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::risk {

struct TestResult {
  double statistic = 0.0;
  double p_value = 0.0;        ///< asymptotic (chi-square) where the test has one; exact otherwise
  double p_value_exact = -1.0; ///< exact finite-sample p value where defined (else -1)
  std::string name;
};

/// 1 where loss > VaR (losses and VaR positive numbers; pnl = -loss).
[[nodiscard]] BANKQUANT_EXPORT std::vector<int> exceptions(std::span<const double> pnl, std::span<const double> var);

[[nodiscard]] BANKQUANT_EXPORT TestResult kupiec(std::size_t n_exceptions, std::size_t n, double level);
[[nodiscard]] BANKQUANT_EXPORT TestResult binomial_test(std::size_t n_exceptions, std::size_t n, double level);
/// first_failure: 1-based day of the first exception (0: none in the sample, then tested at n + 1).
[[nodiscard]] BANKQUANT_EXPORT TestResult tuff(std::size_t first_failure, std::size_t n, double level);

struct ChristoffersenResult {
  TestResult independence;
  TestResult conditional_coverage;
  std::size_t n00 = 0, n01 = 0, n10 = 0, n11 = 0;  ///< transitions: no exception/exception -> next day
};

[[nodiscard]] BANKQUANT_EXPORT ChristoffersenResult christoffersen(std::span<const int> exception_series,
                                                                   double level);

struct TrafficLight {
  std::string zone;                  ///< "green", "yellow" or "red"
  double cumulative_probability = 0; ///< P(X <= exceptions) under Binomial(n, 1 - level)
  double plus_factor = -1;           ///< Basel plus factor for n = 250 at 99%; -1 otherwise
};

[[nodiscard]] BANKQUANT_EXPORT TrafficLight traffic_light(std::size_t n_exceptions, std::size_t n = 250,
                                                          double level = 0.99);

}  // namespace bankquant::risk
