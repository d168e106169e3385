#include "bankquant/core/count_distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;

// Reference values from R 4.2.2: dpois, ppois, qpois, dnbinom(mu=, size=), pnbinom, qnbinom.
TEST(CountDistribution, PoissonEqualsR) {
  const auto d = bq::CountDistribution::poisson(3.5);
  EXPECT_NEAR(d.pmf(2), 0.184958973461701, 1e-14);   // dpois(2, 3.5)
  EXPECT_NEAR(d.cdf(5), 0.857613553095778, 1e-14);   // ppois(5, 3.5)
  EXPECT_EQ(d.quantile(0.95), 7);                     // qpois(0.95, 3.5)
  EXPECT_EQ(d.quantile(0.5), 3);                      // qpois(0.5, 3.5)
  EXPECT_DOUBLE_EQ(d.variance(), 3.5);
  EXPECT_EQ(d.pmf(-1), 0.0);
}

TEST(CountDistribution, NegativeBinomialEqualsR) {
  const auto d = bq::CountDistribution::negative_binomial(12.0, 4.0);
  EXPECT_NEAR(d.pmf(10), 0.062912754714489, 1e-13);  // dnbinom(10, size = 4, mu = 12)
  EXPECT_NEAR(d.cdf(20), 0.88498162948046, 1e-13);   // pnbinom(20, size = 4, mu = 12)
  EXPECT_EQ(d.quantile(0.9), 21);                      // qnbinom(0.9, size = 4, mu = 12)
  EXPECT_DOUBLE_EQ(d.variance(), 12.0 + 144.0 / 4.0);
}

TEST(CountDistribution, QuantileIsTheSmallestCountReachingP) {
  for (double mean : {0.3, 4.0, 57.5, 2500.0}) {
    for (double size : {0.5, 10.0, std::numeric_limits<double>::infinity()}) {
      const auto d = std::isinf(size) ? bq::CountDistribution::poisson(mean) : bq::CountDistribution::negative_binomial(mean, size);
      for (double p : {0.01, 0.25, 0.5, 0.8, 0.95, 0.999}) {
        const auto k = d.quantile(p);
        EXPECT_GE(d.cdf(k), p);
        if (k > 0) {
          EXPECT_LT(d.cdf(k - 1), p);
        }
      }
    }
  }
}

TEST(CountDistribution, ZeroMeanAndBadParameters) {
  const auto z = bq::CountDistribution::poisson(0.0);
  EXPECT_EQ(z.pmf(0), 1.0);
  EXPECT_EQ(z.quantile(0.99), 0);
  EXPECT_THROW((void)bq::CountDistribution::poisson(-1.0).pmf(0), bq::InvalidArgument);
  EXPECT_THROW((void)bq::CountDistribution::negative_binomial(2.0, 0.0).cdf(1), bq::InvalidArgument);
  EXPECT_THROW((void)bq::CountDistribution::poisson(2.0).quantile(1.0), bq::InvalidArgument);
}
