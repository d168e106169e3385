#include "bankquant/core/count_distribution.hpp"

#include <cmath>

#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant {
namespace {

bool is_poisson(const CountDistribution& d) {
  return d.family == CountFamily::poisson || std::isinf(d.size);
}

}  // namespace

void CountDistribution::validate() const {
  if (!(mean >= 0) || !std::isfinite(mean)) check::fail("mean", fmt::format("expected a finite count >= 0, got {}", mean));
  if (family == CountFamily::negative_binomial && !(size > 0)) {
    check::fail("size", fmt::format("expected a negative-binomial size > 0 (inf for the Poisson), got {}", size));
  }
}

double CountDistribution::variance() const { return is_poisson(*this) ? mean : mean + mean * mean / size; }

double CountDistribution::pmf(std::int64_t k) const {
  validate();
  if (k < 0) return 0.0;
  if (mean == 0) return k == 0 ? 1.0 : 0.0;
  const auto x = static_cast<double>(k);
  if (is_poisson(*this)) return boost::math::pdf(boost::math::poisson_distribution<double>(mean), x);
  return boost::math::pdf(boost::math::negative_binomial_distribution<double>(size, size / (size + mean)), x);
}

double CountDistribution::cdf(std::int64_t k) const {
  validate();
  if (k < 0) return 0.0;
  if (mean == 0) return 1.0;
  const auto x = static_cast<double>(k);
  if (is_poisson(*this)) return boost::math::cdf(boost::math::poisson_distribution<double>(mean), x);
  return boost::math::cdf(boost::math::negative_binomial_distribution<double>(size, size / (size + mean)), x);
}

std::int64_t CountDistribution::quantile(double p) const {
  validate();
  if (!(p >= 0 && p < 1)) check::fail("p", fmt::format("expected a probability in [0, 1), got {}", p));
  if (mean == 0 || p == 0) return 0;
  // Start from Boost's quantile rounded down, then step to the smallest k with cdf(k) >= p, so the
  // answer does not depend on Boost's discrete-quantile policy or its last-bit rounding.
  using namespace boost::math::policies;
  using Policy = policy<discrete_quantile<integer_round_down>>;
  double guess;
  if (is_poisson(*this)) {
    guess = boost::math::quantile(boost::math::poisson_distribution<double, Policy>(mean), p);
  } else {
    guess = boost::math::quantile(boost::math::negative_binomial_distribution<double, Policy>(size, size / (size + mean)), p);
  }
  auto k = static_cast<std::int64_t>(std::max(0.0, guess));
  while (k > 0 && cdf(k - 1) >= p) --k;
  while (cdf(k) < p) ++k;
  return k;
}

}  // namespace bankquant
