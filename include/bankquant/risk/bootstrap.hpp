// bankquant/risk/bootstrap.hpp — confidence intervals for historical VaR and ES by resampling.
//
// The percentile bootstrap (Efron 1979): n_boot resamples of the P&L drawn with replacement, the
// historical VaR and ES of each, and the (1 - ci)/2 and (1 + ci)/2 quantiles of those estimates
// (numpy's linear rule) as the interval; the standard error is their standard deviation (n - 1).
// Resample b draws its indices from RandomStream(seed, b) (Lemire's unbiased integers), so the
// interval is the same on any thread count; resamples run in parallel. O(n_boot n log n).
#pragma once

#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk {

struct BootstrapOptions {
  int n_boot = 1000;    ///< resamples (Efron and Tibshirani 1993 suggest 1,000 for percentile intervals)
  double ci = 0.95;
  std::uint64_t seed = 0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("n_boot", &BootstrapOptions::n_boot,
              "resamples, at least 100 (1,000: Efron and Tibshirani's advice for percentile intervals)"),
        field("ci", &BootstrapOptions::ci, "coverage of the interval, in (0, 1)"),
        field("seed", &BootstrapOptions::seed, "random seed")};
  }
};

struct BootstrapResult {
  double level = 0.0, ci = 0.0;
  int n_boot = 0;
  double var = 0.0, var_lower = 0.0, var_upper = 0.0, var_std_error = 0.0;
  double es = 0.0, es_lower = 0.0, es_upper = 0.0, es_std_error = 0.0;

  static constexpr auto fields() {
    return std::tuple{field("level", &BootstrapResult::level, "confidence level of the VaR and ES"),
                      field("ci", &BootstrapResult::ci, "coverage of the intervals"),
                      field("n_boot", &BootstrapResult::n_boot, "resamples"),
                      field("var", &BootstrapResult::var, "historical VaR of the sample"),
                      field("var_lower", &BootstrapResult::var_lower, "lower end of the VaR interval"),
                      field("var_upper", &BootstrapResult::var_upper, "upper end of the VaR interval"),
                      field("var_std_error", &BootstrapResult::var_std_error, "bootstrap standard error of VaR"),
                      field("es", &BootstrapResult::es, "historical ES of the sample"),
                      field("es_lower", &BootstrapResult::es_lower, "lower end of the ES interval"),
                      field("es_upper", &BootstrapResult::es_upper, "upper end of the ES interval"),
                      field("es_std_error", &BootstrapResult::es_std_error, "bootstrap standard error of ES")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT BootstrapResult bootstrap_var_es(std::span<const double> x, double level,
                                                                const BootstrapOptions& options = {});

/// Sums of `horizon` returns drawn with replacement from x, for n_paths paths (i.i.d. resampling,
/// no volatility dynamics: the multi-day benchmark for filtered simulation). Path chunk c draws
/// from RandomStream(seed, c).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> bootstrap_sums(std::span<const double> x, int horizon,
                                                                  std::size_t n_paths, std::uint64_t seed);

}  // namespace bankquant::risk
