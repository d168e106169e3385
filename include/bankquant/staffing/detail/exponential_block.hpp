// bankquant/staffing/detail/exponential_block.hpp — unit exponentials by inversion, a block at a time.
//
// Internal to the simulator (src/staffing/simulation.cpp); not part of the umbrella header.
//
// Why this exists: the simulator draws two or three unit exponentials per customer, and drawing them
// one call at a time (Boost.Random's ziggurat, used before) cost about a third of its run time. Here
// 256 uniforms are taken from the stream at once (every 64 bits of the Philox output becomes one
// uniform, core/random.hpp's uniform(): nothing is discarded) and turned into -log(U) in one loop
// the compiler vectorises. std::log would not vectorise (a libm call per value), and its result may
// depend on the libm variant the machine picks (glibc has an FMA one); portable_log below is plain
// arithmetic, which -ffp-contract=off keeps free of fused operations, so every build and every
// thread count give the same bits. Measured in the simulator (one thread, the benchmark's week):
// 85 -> 65 ns per customer together with one completion draw per customer instead of two. (Binning
// the answer times with it instead of std::log was measured too: no faster, one value at a time.)
//
// portable_log(x) for normal positive x: x = 2^k m with m in [sqrt(1/2), sqrt(2)), and
// log m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.1716, summed as the series
// 2 (s + s^3/3 + ... + s^21/21): the first term left out is below 2^-60 of the sum, so the result is
// within about 2 ulp of the true logarithm (tests/cpp/staffing/test_simulation.cpp checks it against
// std::log).
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include "bankquant/core/random.hpp"

namespace bankquant::staffing::detail {

/// Natural logarithm of a normal, positive, finite x (no checks: the simulator's uniforms are in
/// [2^-53, 1)).
inline double portable_log(double x) noexcept {
  // Shift x's bits by those of sqrt(1/2) so that the exponent field counts k with m in
  // [sqrt(1/2), sqrt(2)).
  constexpr std::uint64_t kSqrtHalfBits = 0x3FE6A09E667F3BCDULL;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const std::uint64_t shifted = bits - kSqrtHalfBits;
  const auto k = static_cast<std::int64_t>(shifted) >> 52;
  const double m = std::bit_cast<double>(bits - (shifted & 0xFFF0000000000000ULL));
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  // 1 + z/3 + z^2/5 + ... + z^10/21, by Horner's rule.
  double p = 1.0 / 21.0;
  p = p * z + 1.0 / 19.0;
  p = p * z + 1.0 / 17.0;
  p = p * z + 1.0 / 15.0;
  p = p * z + 1.0 / 13.0;
  p = p * z + 1.0 / 11.0;
  p = p * z + 1.0 / 9.0;
  p = p * z + 1.0 / 7.0;
  p = p * z + 1.0 / 5.0;
  p = p * z + 1.0 / 3.0;
  // log m = f - f s + s z p' arranged so that the large part f is added last: 2s = f - s f.
  const double log_m = f - s * (f - z * 2.0 * p);
  // ln 2 split so that k * kLn2Hi is exact for |k| < 2^20.
  constexpr double kLn2Hi = 0x1.62e42fee00000p-1;
  constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
  const auto kd = static_cast<double>(k);
  return kd * kLn2Hi + (log_m + kd * kLn2Lo);
}

/// Unit exponentials -log(U) from a RandomStream, kSize at a time (see above).
class ExponentialBlock {
 public:
  static constexpr unsigned kSize = 256;

  double next(RandomStream& rng) noexcept {
    if (used_ == kSize) refill(rng);
    return values_[used_++];
  }

  /// Forgets the values not yet used (before drawing from another stream).
  void clear() noexcept { used_ = kSize; }

 private:
  void refill(RandomStream& rng) noexcept {
    for (unsigned k = 0; k < kSize; ++k) values_[k] = RandomStream::bits_to_open_unit(rng.next_u64());
    for (unsigned k = 0; k < kSize; ++k) values_[k] = -portable_log(values_[k]);
    used_ = 0;
  }

  std::array<double, kSize> values_{};
  unsigned used_ = kSize;
};

}  // namespace bankquant::staffing::detail
