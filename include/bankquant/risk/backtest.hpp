// bankquant/risk/backtest.hpp — VaR backtests on exception counts and series.
//
// An exception is a day whose loss exceeds that day's VaR. With n days at level alpha the
// exception count is Binomial(n, p), p = 1 - alpha, under a correct model.
//   kupiec         proportion of failures, POF (Kupiec 1995): LR = -2 ln[(1-p)^(n-x) p^x]
//                  + 2 ln[(1-x/n)^(n-x) (x/n)^x] ~ chi2(1). The asymptotic p value misleads for
//                  few expected exceptions (2.5 a year at 99%), so the exact p value is given too:
//                  the probability under Binomial(n, p) of an LR at least as large as observed.
//   binomial       one-sided exact test of too many exceptions: P(X >= x)
//   tuff           time until first failure (Kupiec 1995), LR ~ chi2(1)
//   christoffersen independence of exceptions, CCI (a first-order Markov chain against
//                  independence, Christoffersen 1998), LR_ind ~ chi2(1), and conditional coverage
//                  CC: LR_cc = LR_pof + LR_ind ~ chi2(2)
//   tbf            time between failures (Haas 2001): with N_1 the day of the first exception and
//                  N_i the days between exceptions i-1 and i, TBFI = sum_i -2 ln[p (1-p)^(N_i - 1)
//                  / ((1/N_i)(1 - 1/N_i)^(N_i - 1))] ~ chi2(x) tests independence, TBF = TBFI +
//                  POF ~ chi2(x + 1) both (MATLAB varbacktest's tbfi and tbf). With no exception
//                  TBFI is the TUFF statistic at N = n + 1 (chi2(1)).
//   traffic_light  Basel Committee (1996) zones from the cumulative binomial probability
//                  P(X <= x) for the sample's own n: green below 95%, yellow below 99.99%, red
//                  above (the rule behind the Basel table, so zones scale to any n and level); for
//                  250 days at 99% also the plus factor of the table (0 up to 4 exceptions, 0.40,
//                  0.50, 0.65, 0.75, 0.85 for 5 to 9, 1 from 10).
// Every test takes either a count (with n) or the 0/1 exception series (n is its length).
// O(n) each (the exact Kupiec p value: O(n) binomial terms).
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk {

/// A hypothesis test: the statistic and its p value (small: reject a correct model).
struct TestResult {
  std::string name;
  double statistic = std::numeric_limits<double>::quiet_NaN();
  double p_value = std::numeric_limits<double>::quiet_NaN();  ///< asymptotic where the test has one
  std::optional<double> p_value_exact;                        ///< exact finite-sample p value, where defined

  static constexpr auto fields() {
    return std::tuple{field("name", &TestResult::name, "the test"),
                      field("statistic", &TestResult::statistic, "the test statistic"),
                      field("p_value", &TestResult::p_value,
                            "p value (asymptotic where the test has an asymptotic distribution, else exact or "
                            "simulated, as the test's doc says)"),
                      field("p_value_exact", &TestResult::p_value_exact,
                            "exact finite-sample p value where one is defined (None otherwise)")};
  }
};

/// 1 where loss > VaR; pnl is profit and loss (gains positive), var positive losses.
[[nodiscard]] BANKQUANT_EXPORT std::vector<int> exceptions(std::span<const double> pnl, std::span<const double> var);

[[nodiscard]] BANKQUANT_EXPORT TestResult kupiec(std::size_t n_exceptions, std::size_t n, double level);
[[nodiscard]] BANKQUANT_EXPORT TestResult kupiec(std::span<const int> exception_series, double level);
[[nodiscard]] BANKQUANT_EXPORT TestResult binomial_test(std::size_t n_exceptions, std::size_t n, double level);
[[nodiscard]] BANKQUANT_EXPORT TestResult binomial_test(std::span<const int> exception_series, double level);
/// first_failure: 1-based day of the first exception (0: none in the sample, then tested at n + 1).
[[nodiscard]] BANKQUANT_EXPORT TestResult tuff(std::size_t first_failure, std::size_t n, double level);
[[nodiscard]] BANKQUANT_EXPORT TestResult tuff(std::span<const int> exception_series, double level);

struct ChristoffersenResult {
  TestResult independence;          ///< CCI
  TestResult conditional_coverage;  ///< CC
  std::size_t n00 = 0, n01 = 0, n10 = 0, n11 = 0;

  [[nodiscard]] double statistic() const { return conditional_coverage.statistic; }
  [[nodiscard]] double p_value() const { return conditional_coverage.p_value; }

  static constexpr auto fields() {
    return std::tuple{
        field("independence", &ChristoffersenResult::independence, "independence test (CCI), chi2(1)"),
        field("conditional_coverage", &ChristoffersenResult::conditional_coverage,
              "conditional coverage (CC = POF + CCI), chi2(2)"),
        field("n00", &ChristoffersenResult::n00, "days without an exception after a day without one"),
        field("n01", &ChristoffersenResult::n01, "days with an exception after a day without one"),
        field("n10", &ChristoffersenResult::n10, "days without an exception after a day with one"),
        field("n11", &ChristoffersenResult::n11, "days with an exception after a day with one")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT ChristoffersenResult christoffersen(std::span<const int> exception_series,
                                                                   double level);

struct TimeBetweenFailuresResult {
  TestResult independence;  ///< TBFI, chi2(x)
  TestResult combined;      ///< TBF = TBFI + POF, chi2(x + 1)
  std::vector<std::size_t> durations;  ///< N_1 (day of the first exception), then the gaps

  static constexpr auto fields() {
    return std::tuple{
        field("independence", &TimeBetweenFailuresResult::independence, "TBFI: the durations alone, chi2(x)"),
        field("combined", &TimeBetweenFailuresResult::combined, "TBF: TBFI + POF, chi2(x + 1)"),
        field("durations", &TimeBetweenFailuresResult::durations,
              "day of the first exception, then the days between consecutive exceptions")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT TimeBetweenFailuresResult time_between_failures(std::span<const int> exception_series,
                                                                              double level);

enum class TrafficLightZone { green, yellow, red };
BANKQUANT_ENUM_NAMES(TrafficLightZone, {green, "green"}, {yellow, "yellow"}, {red, "red"})

struct TrafficLightResult {
  TrafficLightZone zone = TrafficLightZone::green;
  std::size_t exceptions = 0;
  std::size_t n = 0;
  double level = 0.0;
  double cumulative_probability = 0.0;  ///< P(X <= exceptions) under Binomial(n, 1 - level)
  std::size_t green_limit = 0;          ///< the most exceptions still green for this n and level
  std::size_t yellow_limit = 0;         ///< the most exceptions still yellow
  std::optional<double> plus_factor;    ///< Basel's plus factor: defined for n = 250 at 99% only

  static constexpr auto fields() {
    return std::tuple{
        field("zone", &TrafficLightResult::zone, "'green', 'yellow' or 'red'"),
        field("exceptions", &TrafficLightResult::exceptions, "exceptions counted"),
        field("n", &TrafficLightResult::n, "days in the sample"),
        field("level", &TrafficLightResult::level, "VaR confidence level"),
        field("cumulative_probability", &TrafficLightResult::cumulative_probability,
              "P(X <= exceptions) under Binomial(n, 1 - level); green below 0.95, yellow below 0.9999"),
        field("green_limit", &TrafficLightResult::green_limit, "the most exceptions still in the green zone"),
        field("yellow_limit", &TrafficLightResult::yellow_limit, "the most exceptions still in the yellow zone"),
        field("plus_factor", &TrafficLightResult::plus_factor,
              "the Basel (1996) plus factor; only defined for 250 days at 99% (None otherwise)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT TrafficLightResult traffic_light(std::size_t n_exceptions, std::size_t n = 250,
                                                                double level = 0.99);
[[nodiscard]] BANKQUANT_EXPORT TrafficLightResult traffic_light(std::span<const int> exception_series,
                                                                double level = 0.99);

/// Checks a VaR backtest level: in (0.5, 1), like every level in bankquant::risk.
BANKQUANT_EXPORT void check_backtest_level(double level);

}  // namespace bankquant::risk
