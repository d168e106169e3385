// bankquant/risk/distributions.hpp — standardised innovation distributions (mean 0, variance 1).
//
// One place for the distributions that volatility models, conditional VaR/ES, Monte Carlo paths
// and expected-shortfall backtests use for a standardised shock z:
//   normal   the standard normal
//   t        Student-t with nu > 2 degrees of freedom, scaled to unit variance:
//            z = T sqrt((nu - 2) / nu), T ~ t_nu (Bollerslev 1987; fGarch's "std")
//   skew_t   Hansen's (1994) skewed t, nu > 2 and skew lambda in (-1, 1) (lambda < 0: a heavier
//            left tail), with a = 4 lambda c (nu - 2) / (nu - 1), b^2 = 1 + 3 lambda^2 - a^2,
//            c = Gamma((nu + 1) / 2) / (sqrt(pi (nu - 2)) Gamma(nu / 2)):
//              g(z) = b c (1 + ((b z + a) / (1 -+ lambda))^2 / (nu - 2))^(-(nu + 1) / 2),
//            the minus for z < -a/b. lambda = 0 is the unit-variance t. (arch's SkewStudent.)
//   ged      the generalised error distribution with shape nu > 0 (nu = 2: normal, nu = 1:
//            Laplace, nu < 2: heavier tails), f(z) = nu exp(-|z / l|^nu / 2) / (l 2^(1 + 1/nu)
//            Gamma(1 / nu)), l = sqrt(2^(-2/nu) Gamma(1/nu) / Gamma(3/nu)) (Nelson 1991; fGarch's
//            "ged")
// Every function is in closed form through Boost.Math's special functions (the t CDF and its
// inverse, regularised and incomplete gamma functions): the CDF, the quantile, and the mean of
// the lower tail E[z | z <= q_p], which gives ES. O(1) per call; sampling by the ziggurat
// (normal), a normal over a chi-square (t; the skewed t on the side of -a/b drawn with its
// probability (1 -+ lambda) / 2) or a gamma variate (GED) on the
// caller's RandomStream, so a stream gives the same draws on any thread.
#pragma once

#include <limits>
#include <tuple>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk {

enum class Innovation { normal, student_t, skew_t, ged };
BANKQUANT_ENUM_NAMES(Innovation, {normal, "normal"}, {student_t, "t"}, {skew_t, "skew_t"}, {ged, "ged"})

/// True for the families with a shape parameter nu.
[[nodiscard]] constexpr bool has_shape(Innovation d) { return d != Innovation::normal; }
/// True for the family with a skew parameter.
[[nodiscard]] constexpr bool has_skew(Innovation d) { return d == Innovation::skew_t; }

/// A standardised distribution: family, shape nu (t, skew_t, ged) and skew lambda (skew_t).
class BANKQUANT_EXPORT StandardizedDistribution {
 public:
  /// Throws InvalidArgument naming 'nu' or 'skew' for parameters outside their domain.
  explicit StandardizedDistribution(Innovation family = Innovation::normal, double nu = 0.0, double skew = 0.0);

  [[nodiscard]] Innovation family() const noexcept { return family_; }
  [[nodiscard]] double nu() const noexcept { return nu_; }
  [[nodiscard]] double skew() const noexcept { return skew_; }

  [[nodiscard]] double log_pdf(double z) const;
  [[nodiscard]] double pdf(double z) const;
  [[nodiscard]] double cdf(double z) const;
  /// The p-quantile, p in (0, 1).
  [[nodiscard]] double quantile(double p) const;
  /// E[z | z <= quantile(p)], the mean of the lower tail of probability p in (0, 1).
  [[nodiscard]] double lower_tail_mean(double p) const;
  /// One draw.
  [[nodiscard]] double sample(RandomStream& stream) const;

 private:
  Innovation family_;
  double nu_, skew_;
  // Precomputed constants: t/skew_t scale k = sqrt((nu - 2) / nu), Hansen's a, b; GED's l.
  double k_ = 1.0, a_ = 0.0, b_ = 1.0, ged_l_ = 1.0;
};

}  // namespace bankquant::risk
