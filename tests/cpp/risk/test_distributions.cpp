#include "bankquant/risk/distributions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;
using risk::Innovation;
using risk::StandardizedDistribution;

namespace {

double integrate(const std::function<double(double)>& f, double a, double b) {
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, a, b, 15, 1e-12);
}

std::vector<StandardizedDistribution> all() {
  return {StandardizedDistribution(Innovation::normal), StandardizedDistribution(Innovation::student_t, 5.0),
          StandardizedDistribution(Innovation::student_t, 2.5), StandardizedDistribution(Innovation::skew_t, 6.0, -0.3),
          StandardizedDistribution(Innovation::skew_t, 4.0, 0.5), StandardizedDistribution(Innovation::ged, 1.0),
          StandardizedDistribution(Innovation::ged, 1.5), StandardizedDistribution(Innovation::ged, 3.0)};
}

}  // namespace

TEST(Distributions, DensitiesAreStandardised) {
  // By quadrature of the density alone: total mass 1, mean 0, variance 1 (what "standardised" means).
  for (const auto& d : all()) {
    const double inf = std::numeric_limits<double>::infinity();
    const double mass = integrate([&](double z) { return d.pdf(z); }, -inf, inf);
    const double mean = integrate([&](double z) { return z * d.pdf(z); }, -inf, inf);
    EXPECT_NEAR(mass, 1.0, 1e-9) << bq::enum_name(d.family()) << " " << d.nu();
    EXPECT_NEAR(mean, 0.0, 1e-8) << bq::enum_name(d.family()) << " " << d.nu();
    if (d.family() != Innovation::student_t || d.nu() > 3) {  // t(2.5) has an infinite fourth moment but finite variance
      const double var = integrate([&](double z) { return z * z * d.pdf(z); }, -inf, inf);
      EXPECT_NEAR(var, 1.0, 1e-7) << bq::enum_name(d.family()) << " " << d.nu();
    }
  }
}

TEST(Distributions, CdfQuantileAndTailMeanAgreeWithTheDensity) {
  for (const auto& d : all()) {
    for (double p : {0.001, 0.01, 0.025, 0.3, 0.5, 0.8, 0.99}) {
      const double q = d.quantile(p);
      EXPECT_NEAR(d.cdf(q), p, 1e-12 * std::max(1.0, 1 / p)) << bq::enum_name(d.family()) << " " << p;
      const double cdf = integrate([&](double z) { return d.pdf(z); }, -std::numeric_limits<double>::infinity(), q);
      EXPECT_NEAR(cdf, p, 1e-9) << bq::enum_name(d.family()) << " " << p;
      const double partial =
          integrate([&](double z) { return z * d.pdf(z); }, -std::numeric_limits<double>::infinity(), q);
      EXPECT_NEAR(d.lower_tail_mean(p), partial / p, 1e-7 * std::max(1.0, std::abs(partial / p)))
          << bq::enum_name(d.family()) << " " << p;
    }
  }
}

TEST(Distributions, SpecialCasesAndPublishedValues) {
  const StandardizedDistribution n(Innovation::normal), ged2(Innovation::ged, 2.0), skew0(Innovation::skew_t, 7.0, 0.0),
      t7(Innovation::student_t, 7.0);
  for (double z : {-3.0, -0.5, 0.0, 1.7}) {
    EXPECT_NEAR(ged2.log_pdf(z), n.log_pdf(z), 1e-13);  // GED with nu = 2 is the normal
    EXPECT_NEAR(skew0.log_pdf(z), t7.log_pdf(z), 1e-13);  // Hansen's skew t with lambda = 0 is the t
  }
  EXPECT_NEAR(n.quantile(0.99), 2.3263478740408408, 1e-14);
  // t(5) 99% quantile 3.364929997 (tables) on the unit-variance scale sqrt(3/5)
  EXPECT_NEAR(StandardizedDistribution(Innovation::student_t, 5.0).quantile(0.99), 3.3649299989 * std::sqrt(0.6), 1e-9);
  // ES of the standard normal at 97.5%: phi(1.959964) / 0.025 = 2.337803
  EXPECT_NEAR(-n.lower_tail_mean(0.025), 2.3378027922, 1e-9);
  EXPECT_THROW(StandardizedDistribution(Innovation::student_t, 2.0), bq::InvalidArgument);
  EXPECT_THROW(StandardizedDistribution(Innovation::skew_t, 5.0, 1.0), bq::InvalidArgument);
  EXPECT_THROW(StandardizedDistribution(Innovation::ged, 0.0), bq::InvalidArgument);
}

TEST(Distributions, SamplesHaveTheDistribution) {
  for (const auto& d : all()) {
    bq::RandomStream stream(5, 1);
    const int n = 200'000;
    double mean = 0, below = 0;
    const double q = d.quantile(0.1);
    for (int i = 0; i < n; ++i) {
      const double z = d.sample(stream);
      mean += z;
      below += z <= q ? 1 : 0;
    }
    EXPECT_NEAR(mean / n, 0.0, 5 / std::sqrt(n)) << bq::enum_name(d.family());
    EXPECT_NEAR(below / n, 0.1, 5 * std::sqrt(0.09 / n)) << bq::enum_name(d.family());
  }
}
