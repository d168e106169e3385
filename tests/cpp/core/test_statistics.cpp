#include "bankquant/core/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <span>
#include <type_traits>
#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
using bq::stats::QuantileMethod;

// Reference values are numpy.quantile's (numpy 1.24) for the same inputs, worked by hand from its
// documented definitions; tests/python/test_statistics.py compares against numpy itself.
TEST(Quantile, NumpyMethodsOnASmallSample) {
  const std::vector<double> x{4.0, 1.0, 3.0, 2.0};
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5, QuantileMethod::lower), 2.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5, QuantileMethod::higher), 3.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5, QuantileMethod::midpoint), 2.5);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5, QuantileMethod::nearest), 3.0);  // around(1.5) = 2
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.5, QuantileMethod::inverted_cdf), 2.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.26, QuantileMethod::inverted_cdf), 2.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(x, 0.25, QuantileMethod::inverted_cdf), 1.0);
  EXPECT_DOUBLE_EQ(bq::stats::quantile(std::vector<double>{7.0}, 0.3), 7.0);
}

TEST(Quantile, MultiSelectionAgreesWithAFullSort) {
  bq::RandomStream s(1);
  std::vector<double> x(1001);
  s.fill_normal(x);
  for (std::size_t i = 0; i < x.size(); i += 7) x[i] = std::round(x[i]);  // ties
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  // few levels: divide-and-conquer selection; many levels (> 32 order statistics): a sort
  const std::vector<double> few{0.0, 0.01, 0.025, 0.5, 0.975, 0.99, 1.0};
  std::vector<double> many;
  for (int i = 0; i <= 100; ++i) many.push_back(i / 100.0);
  for (auto method : {QuantileMethod::linear, QuantileMethod::lower, QuantileMethod::higher, QuantileMethod::midpoint,
                      QuantileMethod::nearest, QuantileMethod::inverted_cdf}) {
    for (const std::vector<double>* qs : {&few, static_cast<const std::vector<double>*>(&many)}) {
      const auto got = bq::stats::quantiles(x, *qs, method);
      for (std::size_t i = 0; i < qs->size(); ++i) {
        EXPECT_EQ(got[i], bq::stats::quantile_sorted(sorted, (*qs)[i], method)) << "q = " << (*qs)[i];
        EXPECT_EQ(bq::stats::quantile(x, (*qs)[i], method), got[i]);
      }
    }
  }
}

TEST(Quantile, BadInput) {
  const std::vector<double> empty;
  EXPECT_THROW((void)bq::stats::quantile(empty, 0.5), bq::InvalidArgument);
  EXPECT_THROW((void)bq::stats::quantile(std::vector<double>{1.0, NAN}, 0.5), bq::InvalidArgument);
  EXPECT_THROW((void)bq::stats::quantile(std::vector<double>{1.0}, 1.5), bq::InvalidArgument);
  EXPECT_THROW((void)bq::enum_from_name<QuantileMethod>("hazen", "method"), bq::InvalidArgument);
  EXPECT_EQ(bq::enum_from_name<QuantileMethod>("midpoint", "method"), QuantileMethod::midpoint);
  EXPECT_EQ(bq::enum_name(QuantileMethod::inverted_cdf), "inverted_cdf");
}

TEST(WeightedQuantile, InvertedCdf) {
  const std::vector<double> x{3.0, 1.0, 2.0}, w{1.0, 1.0, 2.0};  // CDF 0.25, 0.75, 1 at 1, 2, 3
  EXPECT_EQ(bq::stats::weighted_quantile(x, w, 0.25), 1.0);
  EXPECT_EQ(bq::stats::weighted_quantile(x, w, 0.26), 2.0);
  EXPECT_EQ(bq::stats::weighted_quantile(x, w, 0.75), 2.0);
  EXPECT_EQ(bq::stats::weighted_quantile(x, w, 0.8), 3.0);
  // Equal weights reproduce the unweighted inverted_cdf quantile.
  bq::RandomStream s(4);
  std::vector<double> y(500), ones(500, 1.0);
  s.fill_normal(y);
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.99}) {
    EXPECT_EQ(bq::stats::weighted_quantile(y, ones, q), bq::stats::quantile(y, q, QuantileMethod::inverted_cdf));
  }
  EXPECT_THROW((void)bq::stats::weighted_quantile(x, std::vector<double>{1.0, -1.0, 1.0}, 0.5), bq::InvalidArgument);
  EXPECT_THROW((void)bq::stats::weighted_quantile(x, std::vector<double>{0.0, 0.0, 0.0}, 0.5), bq::InvalidArgument);
  EXPECT_THROW((void)bq::stats::weighted_quantile(x, std::vector<double>{1.0, 1.0}, 0.5), bq::InvalidArgument);
}

TEST(RunningMoments, MatchesTwoPassAndMergesToRounding) {
  bq::RandomStream s(8);
  std::vector<double> x(10'000);
  for (double& v : x) v = 1e6 + s.normal();  // a large offset: the naive formula loses digits here
  bq::stats::RunningMoments all, left, right;
  for (std::size_t i = 0; i < x.size(); ++i) {
    all.add(x[i]);
    (i < 3333 ? left : right).add(x[i]);
  }
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= x.size();
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  // Each Welford step rounds the running mean (one ULP of 1e6 is 1.2e-10), so the mean agrees to
  // a relative 1e-12; the variance (about 1) is what the naive sum-of-squares formula would lose.
  const double mean_tol = 1e-12 * mean;
  EXPECT_NEAR(all.mean(), mean, mean_tol);
  EXPECT_NEAR(all.variance(), ss / (x.size() - 1), 1e-9);
  EXPECT_NEAR(all.variance(0), ss / x.size(), 1e-9);
  left.merge(right);
  EXPECT_EQ(left.count(), all.count());
  EXPECT_NEAR(left.mean(), all.mean(), mean_tol);
  EXPECT_NEAR(left.variance(), all.variance(), 1e-9);
  EXPECT_EQ(left.min(), all.min());
  EXPECT_EQ(left.max(), all.max());
  bq::stats::RunningMoments empty;
  EXPECT_TRUE(std::isnan(empty.mean()));
  EXPECT_TRUE(std::isnan(empty.variance()));
}

TEST(Rank, ScipyRankdataMethods) {
  // scipy.stats.rankdata([0, 2, 3, 2], method=...) as documented by scipy.
  const std::vector<double> x{0, 2, 3, 2};
  using M = bq::stats::RankMethod;
  EXPECT_EQ(bq::stats::rank(x, M::average), (std::vector<double>{1, 2.5, 4, 2.5}));
  EXPECT_EQ(bq::stats::rank(x, M::min), (std::vector<double>{1, 2, 4, 2}));
  EXPECT_EQ(bq::stats::rank(x, M::max), (std::vector<double>{1, 3, 4, 3}));
  EXPECT_EQ(bq::stats::rank(x, M::dense), (std::vector<double>{1, 2, 3, 2}));
  EXPECT_EQ(bq::stats::rank(x, M::ordinal), (std::vector<double>{1, 2, 4, 3}));
  EXPECT_TRUE(bq::stats::rank(std::vector<double>{}).empty());
  EXPECT_THROW((void)bq::stats::rank(std::vector<double>{1.0, NAN}), bq::InvalidArgument);
  EXPECT_EQ(bq::enum_from_name<M>("dense", "method"), M::dense);
  EXPECT_THROW((void)bq::enum_from_name<M>("first", "method"), bq::InvalidArgument);
}

TEST(Statistics, TemplatesTakeFloatsAndAnyContiguousRange) {
  const std::vector<float> xf{3.0f, 1.0f, 2.0f, 4.0f};
  const std::array<double, 4> xd{3.0, 1.0, 2.0, 4.0};
  const float qf = bq::stats::quantile(xf, 0.5);
  static_assert(std::is_same_v<decltype(bq::stats::quantile(xf, 0.5)), float>);
  EXPECT_EQ(qf, 2.5f);
  EXPECT_EQ(bq::stats::quantile(xd, 0.5), 2.5);
  EXPECT_EQ(bq::stats::rank(xf), (std::vector<double>{3, 1, 2, 4}));
  std::vector<double> work{5, 4, 3, 2, 1};
  const std::size_t positions[] = {0, 4};
  bq::stats::select_order_statistics(std::span<double>(work), std::span<const std::size_t>(positions));
  EXPECT_EQ(work.front(), 1.0);
  EXPECT_EQ(work.back(), 5.0);
}
