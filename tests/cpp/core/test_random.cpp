#include "bankquant/core/random.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;

TEST(RandomStream, PhiloxKnownAnswer) {
  // Known-answer vector of Philox4x32-10 from Random123's kat_vectors: counter 0, key 0 gives
  // the words 6627e8d5 e169c58d bc57ac4c 9b00dbd8 (we pack two words per 64-bit value).
  bq::RandomStream s(0, 0);
  EXPECT_EQ(s.next_u64(), 0xe169c58d6627e8d5ULL);
  EXPECT_EQ(s.next_u64(), 0x9b00dbd8bc57ac4cULL);
}

TEST(RandomStream, SameSeedSameNumbersOtherSeedOrStreamOtherNumbers) {
  bq::RandomStream a(42, 7), b(42, 7), c(43, 7), d(42, 8);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    same_c += x == c.next_u64();
    same_d += x == d.next_u64();
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(RandomStream, SeekBlockSkipsAhead) {
  bq::RandomStream a(5, 1), b(5, 1);
  for (int i = 0; i < 2 * 1000; ++i) a.next_u64();  // 1000 blocks of two values
  b.seek_block(1000);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(RandomStream, UniformIsInsideTheOpenInterval) {
  EXPECT_GT(bq::RandomStream::bits_to_open_unit(0), 0.0);
  EXPECT_LT(bq::RandomStream::bits_to_open_unit(~0ULL), 1.0);
  bq::RandomStream s(1);
  bq::stats::RunningMoments m;
  for (int i = 0; i < 200'000; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    m.add(u);
  }
  // mean 1/2, variance 1/12; bounds are 6 standard errors.
  EXPECT_NEAR(m.mean(), 0.5, 6 * std::sqrt(1.0 / 12 / 200'000));
  EXPECT_NEAR(m.variance(), 1.0 / 12, 6 * std::sqrt(1.0 / 180 / 200'000));
}

TEST(RandomStream, FillNormalEqualsRepeatedNormal) {
  bq::RandomStream a(9, 3), b(9, 3);
  std::vector<double> filled(1001);
  a.fill_normal(filled);
  for (double v : filled) EXPECT_EQ(v, b.normal());
  // and continues identically after an odd count
  EXPECT_EQ(a.normal(), b.normal());
}

TEST(RandomStream, NormalMomentsAndTails) {
  const std::size_t n = 1'000'000;
  std::vector<double> z(n);
  bq::parallel_fill_normal(z, 2024);
  bq::stats::RunningMoments m;
  std::size_t beyond_2326 = 0;
  for (double v : z) {
    m.add(v);
    beyond_2326 += v > 2.326347874;  // the 99% quantile of N(0,1)
  }
  const double se_mean = 1.0 / std::sqrt(static_cast<double>(n));
  EXPECT_NEAR(m.mean(), 0.0, 6 * se_mean);
  EXPECT_NEAR(m.variance(), 1.0, 6 * std::sqrt(2.0 / n));
  const double share = static_cast<double>(beyond_2326) / n;
  EXPECT_NEAR(share, 0.01, 6 * std::sqrt(0.01 * 0.99 / n));
}

TEST(RandomStream, UniformIntIsUnbiased) {
  bq::RandomStream s(77);
  const int k = 7, draws = 700'000;
  std::vector<int> counts(k, 0);
  for (int i = 0; i < draws; ++i) {
    const auto v = s.uniform_int(k);
    ASSERT_LT(v, static_cast<std::uint64_t>(k));
    counts[v]++;
  }
  double chi2 = 0.0;
  const double expected = static_cast<double>(draws) / k;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 22.46);  // the 0.999 quantile of chi-square with 6 degrees of freedom
  EXPECT_EQ(s.uniform_int(1), 0u);
}

TEST(RandomStream, ExponentialMean) {
  bq::RandomStream s(3);
  bq::stats::RunningMoments m;
  for (int i = 0; i < 200'000; ++i) m.add(s.exponential());
  EXPECT_NEAR(m.mean(), 1.0, 6 / std::sqrt(200'000.0));
}

TEST(ParallelFill, SameNumbersForEveryThreadCount) {
  const std::size_t n = 300'001;
  std::vector<double> reference(n), other(n);
  bq::testing::with_threads(1, [&] { bq::parallel_fill_normal(reference, 11, 0, 4096); });
  for (int threads : {2, 3, 16}) {
    std::fill(other.begin(), other.end(), 0.0);
    bq::testing::with_threads(threads, [&] { bq::parallel_fill_normal(other, 11, 0, 4096); });
    EXPECT_EQ(other, reference) << threads << " threads";
  }
  // chunk c is stream c: the first chunk equals a serial stream 0
  bq::RandomStream s0(11, 0);
  for (std::size_t i = 0; i < 4096; ++i) ASSERT_EQ(reference[i], s0.normal());
  bq::RandomStream s1(11, 1);
  EXPECT_EQ(reference[4096], s1.normal());
}

TEST(ParallelFill, UniformStreamsMatchSerialChunks) {
  std::vector<double> u(10'000);
  bq::parallel_fill_uniform(u, 5, 100, 1000);
  bq::RandomStream s(5, 103);
  for (std::size_t i = 3000; i < 4000; ++i) ASSERT_EQ(u[i], s.uniform());
}
