#include "bankquant/staffing/requirements.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "staffing/call_centre.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

using bankquant::detail::kInf;

// The bank call centre's mean calls per 5-minute interval of the day (164 weekdays, 07:00-21:05;
// bindings/python/bankquant/datasets/data/bank_call_centre_5min.csv).
std::vector<double> call_centre_profile() {
  return bankquant::testing::mean_calls_by_time(
      bankquant::testing::read_call_centre(std::string(BANKQUANT_TEST_DATA_DIR) + "/bank_call_centre_5min.csv"));
}

st::RequirementOptions options_for(double service_time, double patience = kInf) {
  st::RequirementOptions o;
  o.queue.service_time = service_time;
  o.queue.patience = patience;
  o.interval_length = 5.0;  // minutes
  o.target.service_level = 0.8;
  o.target.target_time = 20.0 / 60.0;
  return o;
}

}  // namespace

TEST(Requirements, SippIsRequiredServersPerInterval) {
  const auto profile = call_centre_profile();
  ASSERT_EQ(profile.size(), 169u);
  for (double patience : {kInf, 2.0}) {
    const auto o = options_for(4.0, patience);
    const auto r = st::staffing_requirements(profile, {}, {}, o);
    ASSERT_EQ(r.servers.size(), profile.size());
    for (std::size_t i = 0; i < profile.size(); ++i) {
      EXPECT_EQ(r.servers[i], st::required_servers(profile[i] / 5.0, o.queue, o.target));
      EXPECT_GE(r.service_level[i], 0.8);
      EXPECT_DOUBLE_EQ(r.arrival_rate[i], profile[i] / 5.0);
    }
  }
}

TEST(Requirements, LaggedRatesSolveTheInfiniteServerEquation) {
  const auto profile = call_centre_profile();
  std::vector<double> rates;
  for (double c : profile) rates.push_back(c / 5.0);
  const double s = 6.0, dt = 5.0;
  const std::vector<std::size_t> starts{0, 100};
  const auto lagged = st::lagged_rates(rates, dt, s, starts);
  // Independent: integrate m' = lambda - m / s by RK4 on a fine grid and average m per interval.
  double m = 0.0;
  const int steps = 2000;
  const double h = dt / steps;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (i == 0 || i == 100) m = 0.0;
    double integral = 0.0;
    auto f = [&](double x) { return rates[i] - x / s; };
    for (int k = 0; k < steps; ++k) {
      const double k1 = f(m), k2 = f(m + h / 2 * k1), k3 = f(m + h / 2 * k2), k4 = f(m + h * k3);
      const double next = m + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      integral += h / 2 * (m + next);  // trapezoid on the fine grid
      m = next;
    }
    EXPECT_NEAR(lagged[i], integral / dt / s, 1e-6 * (1 + lagged[i])) << i;
  }
  // At the opening the load has not built up: the first interval is staffed below SIPP.
  EXPECT_LT(lagged[0], rates[0]);
  EXPECT_LT(lagged[100], rates[100]);
  auto o = options_for(s);
  o.period_method = st::PeriodMethod::lagged_sipp;
  const auto r = st::staffing_requirements(profile, {}, starts, o);
  EXPECT_EQ(r.arrival_rate, lagged);
  const auto sipp = st::staffing_requirements(profile, {}, starts, options_for(s));
  EXPECT_LT(r.servers[0], sipp.servers[0]);
}

TEST(Requirements, QuantileStaffsForWholeCustomers) {
  const std::vector<double> mean{40.0, 120.0, 300.0};
  const std::vector<double> size{20.0, 20.0, kInf};
  auto o = options_for(3.0);
  o.use = st::ForecastUse::quantile;
  o.quantile = 0.9;
  const auto r = st::staffing_requirements(mean, size, {}, o);
  const auto base = st::staffing_requirements(mean, size, {}, options_for(3.0));
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const auto d = std::isinf(size[i]) ? bq::CountDistribution::poisson(mean[i])
                                       : bq::CountDistribution::negative_binomial(mean[i], size[i]);
    EXPECT_DOUBLE_EQ(r.arrival_rate[i], static_cast<double>(d.quantile(0.9)) / 5.0);
    EXPECT_GT(r.servers[i], base.servers[i]);
  }
}

TEST(Requirements, MixtureEqualsAnIndependentIntegral) {
  st::QueueModel model;
  model.service_time = 3.0;
  const double mean_rate = 20.0, size = 15.0, t = 20.0 / 60.0;
  for (st::QueueModel m : {model, [&] { auto a = model; a.patience = 2.0; return a; }()}) {
    for (int n : {60, 66, 72, 80}) {
      const auto mixed = st::mixed_measures(mean_rate, size, n, m, t);
      // E[G SL(lambda G)] for G ~ Gamma(size, 1/size), by adaptive Gauss-Kronrod over the rate,
      // split where the Erlang C queue turns unstable.
      boost::math::gamma_distribution<double> g(size, 1.0 / size);
      auto integrand = [&](double x) {
        return x * boost::math::pdf(g, x) * st::queue_measures(mean_rate * x, n, m, t).service_level;
      };
      const double kink = n / (mean_rate * m.service_time);
      using GK = boost::math::quadrature::gauss_kronrod<double, 61>;
      const double expected = GK::integrate(integrand, 0.0, kink, 15, 1e-13) + GK::integrate(integrand, kink, 10.0, 15, 1e-13);
      EXPECT_NEAR(mixed.service_level, expected, 2e-6) << n;
    }
  }
  // A Poisson forecast has no rate uncertainty: the mixture is the mean.
  const auto poisson = st::mixed_measures(mean_rate, kInf, 66, model, t);
  EXPECT_DOUBLE_EQ(poisson.service_level, st::queue_measures(mean_rate, 66, model, t).service_level);
}

// Found on the call-centre forecast (notebooks/staffing.ipynb): a large size puts the Erlang C kink
// within 1e-16 of probability 1 (Boost's Gamma quantile overflowed there), and no servers at all
// made Boost's incomplete gamma overflow at x = 0. Both are well-defined measures.
TEST(Requirements, MixtureAtExtremeKinksAndNoServers) {
  st::QueueModel model;
  model.service_time = 4.0;
  const double rate = 139.5 / 5.0, t = 20.0 / 60.0;
  for (double size : {15000.0, 16216.0, 1e6}) {
    for (int n = 0; n < 300; ++n) {
      const auto m = st::mixed_measures(rate, size, n, model, t);
      ASSERT_TRUE(std::isfinite(m.service_level)) << size << " " << n;
      ASSERT_GE(m.service_level, 0.0);
      ASSERT_LE(m.service_level, 1.0);
    }
    // Near-Poisson sizes mix to about the mean's measures.
    const auto mixed = st::mixed_measures(rate, size, 125, model, t);
    EXPECT_NEAR(mixed.service_level, st::queue_measures(rate, 125, model, t).service_level, 0.05) << size;
  }
  EXPECT_EQ(st::mixed_measures(rate, 50.0, 0, model, t).service_level, 0.0);
}

TEST(Requirements, MixtureNeedsMoreStaffAndMeetsItsTargetMinimally) {
  const std::vector<double> mean{100.0, 250.0};
  const std::vector<double> size{10.0, 30.0};
  for (double patience : {kInf, 3.0}) {
    auto o = options_for(3.0, patience);
    o.use = st::ForecastUse::mixture;
    const auto r = st::staffing_requirements(mean, size, {}, o);
    const auto base = st::staffing_requirements(mean, size, {}, options_for(3.0, patience));
    for (std::size_t i = 0; i < mean.size(); ++i) {
      EXPECT_GT(r.servers[i], base.servers[i]);
      const auto at = st::mixed_measures(mean[i] / 5.0, size[i], r.servers[i], o.queue, o.target.target_time);
      const auto below = st::mixed_measures(mean[i] / 5.0, size[i], r.servers[i] - 1, o.queue, o.target.target_time);
      EXPECT_GE(at.service_level, 0.8);
      EXPECT_LT(below.service_level, 0.8);
      EXPECT_DOUBLE_EQ(r.service_level[i], at.service_level);
    }
  }
}

TEST(Requirements, IdenticalOnAnyThreadCount) {
  std::vector<double> profile;
  const auto full = call_centre_profile();
  for (std::size_t i = 0; i < full.size(); i += 3) profile.push_back(full[i]);
  std::vector<double> size(profile.size(), 25.0);
  auto o = options_for(4.0, 3.0);
  o.use = st::ForecastUse::mixture;
  o.period_method = st::PeriodMethod::lagged_sipp;
  const auto one = bq::testing::with_threads(1, [&] { return st::staffing_requirements(profile, size, {}, o); });
  const auto two = bq::testing::with_threads(2, [&] { return st::staffing_requirements(profile, size, {}, o); });
  EXPECT_EQ(one.servers, two.servers);
  EXPECT_EQ(one.service_level, two.service_level);
}

TEST(Requirements, BadInputIsNamed) {
  auto names = [](auto f, const char* name) {
    try {
      f();
      ADD_FAILURE() << "expected an error naming " << name;
    } catch (const bq::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
    }
  };
  const std::vector<double> mean{10.0, 20.0};
  names([&] { (void)st::staffing_requirements(std::vector<double>{1.0, std::nan("")}, {}, {}, options_for(3.0)); }, "forecast");
  names([&] { (void)st::staffing_requirements(std::vector<double>{1.0, -2.0}, {}, {}, options_for(3.0)); }, "forecast");
  names([&] { (void)st::staffing_requirements(mean, std::vector<double>{1.0, 0.0}, {}, options_for(3.0)); }, "size");
  names([&] { (void)st::staffing_requirements(mean, std::vector<double>{1.0}, {}, options_for(3.0)); }, "mean");
  names([&] { (void)st::staffing_requirements(mean, {}, std::vector<std::size_t>{5}, options_for(3.0)); }, "period_starts");
  names([&] {
    auto o = options_for(3.0);
    o.quantile = 1.0;
    (void)st::staffing_requirements(mean, {}, {}, o);
  }, "quantile");
  names([&] {
    auto o = options_for(3.0);
    o.interval_length = 0.0;
    (void)st::staffing_requirements(mean, {}, {}, o);
  }, "interval_length");
  names([&] {
    auto o = options_for(3.0);
    o.use = st::ForecastUse::mixture;
    o.target.max_asa = 0.5;
    (void)st::staffing_requirements(mean, {}, {}, o);
  }, "max_asa");
}
