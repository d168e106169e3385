// bankquant/core/count_distribution.hpp — predictive distributions of counts (customers, calls).
//
// Forecasts of arrivals are whole customers: a forecast's mean with Poisson noise, or with
// negative-binomial noise when the counts are over-dispersed. The forecasting module produces
// them and the staffing module mixes queue performance over them, so both use this one type.
//
//   poisson            P(k) = e^-mu mu^k / k!                                variance mu
//   negative_binomial  mean mu, size r > 0 (NB2, as R's dnbinom(mu=, size=)):  variance mu + mu^2 / r
//                      r -> infinity is the Poisson
// Computed with Boost.Math (pmf, cdf in log space where needed; the quantile is the smallest k
// with cdf(k) >= p, R's qpois/qnbinom convention).
#pragma once

#include <cstdint>
#include <limits>
#include <tuple>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant {

enum class CountFamily { poisson, negative_binomial };
BANKQUANT_ENUM_NAMES(CountFamily, {poisson, "poisson"}, {negative_binomial, "negative_binomial"})

struct CountDistribution {
  CountFamily family = CountFamily::poisson;
  double mean = 0.0;
  double size = std::numeric_limits<double>::infinity();

  [[nodiscard]] static CountDistribution poisson(double mean) { return {CountFamily::poisson, mean}; }
  [[nodiscard]] static CountDistribution negative_binomial(double mean, double size) {
    return {CountFamily::negative_binomial, mean, size};
  }

  /// Checks mean >= 0 (finite) and, for the negative binomial, size > 0 (inf is the Poisson).
  BANKQUANT_EXPORT void validate() const;
  [[nodiscard]] BANKQUANT_EXPORT double variance() const;
  /// P(X = k); 0 for k < 0.
  [[nodiscard]] BANKQUANT_EXPORT double pmf(std::int64_t k) const;
  /// P(X <= k); 0 for k < 0.
  [[nodiscard]] BANKQUANT_EXPORT double cdf(std::int64_t k) const;
  /// The smallest k with P(X <= k) >= p, for p in [0, 1) (R's qpois / qnbinom).
  [[nodiscard]] BANKQUANT_EXPORT std::int64_t quantile(double p) const;

  static constexpr auto fields() {
    return std::tuple{field("family", &CountDistribution::family, "'poisson' or 'negative_binomial'"),
                      field("mean", &CountDistribution::mean, "expected count"),
                      field("size", &CountDistribution::size,
                            "negative-binomial size r (variance mean + mean^2 / r); inf for the Poisson")};
  }
};

}  // namespace bankquant
