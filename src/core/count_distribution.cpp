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
  // Counts are exact in a double (and an int64) only up to 2^53; beyond it "the smallest k" has no
  // meaning (a mean of 1e300 once sent the search below stepping from INT64_MIN: a hang).
  constexpr double kLargest = 9007199254740992.0;  // 2^53
  if (mean > kLargest) {
    check::fail("mean", fmt::format("expected a count mean of at most 2^53 (whole numbers beyond it are not "
                                    "representable), got {}", mean));
  }
  // Boost's quantile rounded down as a guess, then the smallest k with cdf(k) >= p found by
  // bracketing and bisection (at most ~2 x 54 cdf evaluations), so the answer does not depend on
  // Boost's discrete-quantile policy or its last-bit rounding, and no input can make it walk.
  using namespace boost::math::policies;
  using Policy = policy<discrete_quantile<integer_round_down>>;
  double guess;
  if (is_poisson(*this)) {
    guess = boost::math::quantile(boost::math::poisson_distribution<double, Policy>(mean), p);
  } else {
    guess = boost::math::quantile(boost::math::negative_binomial_distribution<double, Policy>(size, size / (size + mean)), p);
  }
  if (!(guess <= kLargest)) {  // also NaN
    check::fail("size", fmt::format("the {} quantile of a count with mean {} and size {} exceeds 2^53 (variance {}): "
                                    "not a representable whole number", p, mean, size, variance()));
  }
  const auto k0 = static_cast<std::int64_t>(std::max(0.0, guess));
  constexpr auto kTop = static_cast<std::int64_t>(kLargest);
  // Invariant: cdf(lo) < p <= cdf(hi), with lo = -1 meaning "below 0".
  std::int64_t lo = -1, hi = k0;
  if (cdf(k0) >= p) {
    for (std::int64_t step = 1; k0 - step >= 0; step *= 2) {
      if (cdf(k0 - step) < p) {
        lo = k0 - step;
        break;
      }
      hi = k0 - step;
    }
  } else {
    lo = k0;
    hi = -1;
    for (std::int64_t step = 1; hi < 0; step *= 2) {
      const std::int64_t k = std::min(k0 + step, kTop);
      if (cdf(k) >= p) {
        hi = k;
      } else if (k == kTop) {
        check::fail("size", fmt::format("the {} quantile of a count with mean {} and size {} exceeds 2^53", p, mean,
                                        size));
      } else {
        lo = k;
      }
    }
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (cdf(mid) >= p ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace bankquant
