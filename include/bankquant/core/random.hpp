// bankquant/core/random.hpp — reproducible parallel random streams.
//
// A RandomStream is a counter-based generator: Philox4x32-10 (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011), taken from the Random123 library rather than written
// again. The key is the 64-bit seed; the 128-bit counter is (stream id, block index). Streams
// with different ids never overlap (2^64 blocks of 4 x 32 bits each), need no state to set up,
// and cost nothing to skip ahead. The rule for parallel Monte Carlo: cut the work into fixed
// chunks (threading.hpp), give chunk c the stream RandomStream(seed, c) — or
// RandomStream(seed, stream_offset + c) when one call needs several independent families — and
// the numbers are the same for every thread count.
//
// Distributions are fixed algorithms (not std::normal_distribution, whose output differs between
// standard libraries), so a seed gives the same numbers with every compiler:
//   uniform()      doubles on a 2^-52 grid, offset by half a step: always inside (0, 1)
//   normal()       the ziggurat method (Marsaglia and Tsang, J. Stat. Software 5(8), 2000), as
//                  implemented by Boost.Random's normal_distribution: 2.5x faster here than the
//                  Box–Muller transform; compiled in src/ so Boost stays a private dependency
//   exponential()  inversion, -log(U)
//   uniform_int(n) Lemire's nearly-divisionless method, unbiased
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include <Random123/philox.h>

#include "bankquant/export.hpp"

namespace bankquant {

class RandomStream {
 public:
  using result_type = std::uint64_t;  // also a C++ UniformRandomBitGenerator

  explicit RandomStream(std::uint64_t seed, std::uint64_t stream = 0) noexcept
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        stream_(stream) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// 64 random bits.
  result_type operator()() noexcept { return next_u64(); }

  result_type next_u64() noexcept {
    if (used_ == kBufferSize) refill();
    return buffer_[used_++];
  }

  /// Uniform double in (0, 1): 52 random bits, centred in their interval so that neither 0 nor 1
  /// can occur (with 53 bits, (2^53 - 1 + 0.5) / 2^53 would round up to exactly 1.0).
  double uniform() noexcept { return bits_to_open_unit(next_u64()); }

  /// Uniform double in (lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

  /// Standard normal (ziggurat).
  BANKQUANT_EXPORT double normal() noexcept;

  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }

  /// Exponential with rate 1.
  double exponential() noexcept { return -std::log(uniform()); }

  /// Uniform integer in [0, n); n must be positive (returns 0 for n == 0).
  std::uint64_t uniform_int(std::uint64_t n) noexcept {
    if (n == 0) return 0;
    // Lemire (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1).
    Uint128 m = static_cast<Uint128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<Uint128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  void fill_uniform(std::span<double> out) noexcept {
    for (double& v : out) v = uniform();
  }

  /// Fills with standard normals: the same sequence as repeated normal().
  BANKQUANT_EXPORT void fill_normal(std::span<double> out) noexcept;

  /// Jumps to block `block` of this stream (each block holds two 64-bit values).
  void seek_block(std::uint64_t block) noexcept {
    block_ = block;
    used_ = kBufferSize;
  }

  [[nodiscard]] std::uint64_t stream_id() const noexcept { return stream_; }

  static double bits_to_open_unit(std::uint64_t bits) noexcept {
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
  }

 private:
  __extension__ using Uint128 = unsigned __int128;  // gcc/clang; __extension__ silences -Wpedantic
  using Philox = r123::Philox4x32_R<10>;

  // Eight blocks per refill: independent counters in one loop let the compiler vectorise the
  // 32x32->64-bit products (measured 2.3 ns per 64 bits here, against 3.9 ns one block at a time).
  static constexpr unsigned kBlocksPerRefill = 8;
  static constexpr unsigned kBufferSize = 2 * kBlocksPerRefill;

  void refill() noexcept {
    const Philox philox;
    for (unsigned k = 0; k < kBlocksPerRefill; ++k) {
      const std::uint64_t b = block_ + k;
      const Philox::ctr_type counter{{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32),
                                      static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)}};
      const Philox::ctr_type r = philox(counter, key_);
      buffer_[2 * k] = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
      buffer_[2 * k + 1] = (static_cast<std::uint64_t>(r[3]) << 32) | r[2];
    }
    block_ += kBlocksPerRefill;
    used_ = 0;
  }

  Philox::key_type key_;
  std::uint64_t stream_;
  std::uint64_t block_ = 0;
  std::array<std::uint64_t, kBufferSize> buffer_{};
  unsigned used_ = kBufferSize;
};

class ProgressReporter;

/// Fills `out` with standard normals in parallel: fixed chunks of `chunk` values, chunk c drawn
/// from RandomStream(seed, stream_offset + c). Identical for every thread count. With a progress
/// reporter, counts values done and throws Cancelled (after finishing running chunks) on request.
BANKQUANT_EXPORT void parallel_fill_normal(std::span<double> out, std::uint64_t seed, std::uint64_t stream_offset = 0,
                                           std::size_t chunk = 1 << 16, ProgressReporter* progress = nullptr);

/// Fills `out` with uniforms in (0, 1), chunked like parallel_fill_normal.
BANKQUANT_EXPORT void parallel_fill_uniform(std::span<double> out, std::uint64_t seed,
                                            std::uint64_t stream_offset = 0, std::size_t chunk = 1 << 16,
                                            ProgressReporter* progress = nullptr);

}  // namespace bankquant
