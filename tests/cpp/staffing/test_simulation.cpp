#include "bankquant/staffing/simulation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/staffing/erlang.hpp"
#include "bankquant/staffing/pooling.hpp"
#include "bankquant/staffing/required_servers.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/staffing/detail/exponential_block.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

using bankquant::detail::kInf;

// A stationary run: `intervals` intervals of length 10 at constant rates and staff, 10 warm-up
// intervals left out, 99% confidence intervals.
st::SimulationResult stationary(const std::vector<double>& rates, int servers, const std::vector<st::CustomerClass>& classes,
                                double target, int replications = 40, double peakedness = 1.0, int intervals = 210) {
  bq::RowMatrix r(intervals, static_cast<Eigen::Index>(rates.size()));
  for (int i = 0; i < intervals; ++i) {
    for (std::size_t k = 0; k < rates.size(); ++k) r(i, static_cast<Eigen::Index>(k)) = rates[k];
  }
  const std::vector<int> staff(static_cast<std::size_t>(intervals), servers);
  st::SimulationOptions o;
  o.replications = replications;
  o.seed = 20240601;
  o.target_time = target;
  o.confidence = 0.99;
  o.warmup_intervals = 10;
  o.peakedness = peakedness;
  return st::simulate(r, staff, classes, 10.0, {}, {}, o);
}

st::CustomerClass exponential(double s, double patience = kInf) {
  st::CustomerClass c;
  c.service_time = s;
  c.patience = patience;
  return c;
}

}  // namespace

// The simulator's logarithm (exponential_block.hpp) against std::log: within 2 ulp over the
// uniforms' whole range (2^-53 to 1 - 2^-53), on a grid, near 1 and at random.
TEST(ExponentialBlock, LogWithinTwoUlpOfStdLog) {
  auto ulps = [](double x) {
    const double exact = std::log(x);
    const double spacing = std::nextafter(std::fabs(exact), kInf) - std::fabs(exact);
    return std::fabs(st::detail::portable_log(x) - exact) / spacing;
  };
  double worst = 0;
  for (double x = 0x1.0p-53; x < 1.0; x *= 1.0137) worst = std::max(worst, ulps(x));
  for (int k = 1; k < 2000; ++k) worst = std::max(worst, ulps(1.0 - k * 0x1.0p-53));
  for (int k = 1; k < 2000; ++k) worst = std::max(worst, ulps(std::sqrt(0.5) * (1.0 + (k - 1000) * 0x1.0p-52)));
  bq::RandomStream rng(5);
  for (int k = 0; k < 1'000'000; ++k) worst = std::max(worst, ulps(rng.uniform()));
  EXPECT_LE(worst, 2.0);
  std::cout << "portable_log: worst error " << worst << " ulp\n";
}

// Its draws: every 64 bits of the stream become one uniform, in order, and -log of it.
TEST(ExponentialBlock, InversionOfTheStreamsUniforms) {
  bq::RandomStream a(11, 3), b(11, 3);
  st::detail::ExponentialBlock block;
  for (int k = 0; k < 1000; ++k) EXPECT_NEAR(block.next(a), -std::log(b.uniform()), 1e-14) << k;
  // After clear() the next value starts a new block from wherever the stream is.
  block.clear();
  bq::RandomStream c(11, 3);
  // 1000 draws used 4 blocks of 256 uniforms: stream a has handed out 1024 values.
  for (int k = 0; k < 1024; ++k) (void)c.next_u64();
  EXPECT_NEAR(block.next(a), -std::log(c.uniform()), 1e-14);
  // Unit exponential: mean 1 (sd 1/sqrt(n)) and P(X > 3) = e^-3, within 5 standard errors.
  const int n = 1'000'000;
  double sum = 0, above = 0;
  for (int k = 0; k < n; ++k) {
    const double x = block.next(a);
    sum += x;
    above += x > 3.0;
  }
  EXPECT_NEAR(sum / n, 1.0, 5.0 / std::sqrt(n));
  const double p = std::exp(-3.0);
  EXPECT_NEAR(above / n, p, 5.0 * std::sqrt(p * (1 - p) / n));
}

TEST(Simulation, StationaryErlangCWithinItsConfidenceInterval) {
  for (const auto& [lambda, n, t] : {std::tuple{9.0, 10, 0.2}, std::tuple{45.0, 50, 0.05}, std::tuple{3.0, 4, 0.5}}) {
    const auto sim = stationary({lambda}, n, {exponential(1.0)}, t);
    const auto c = st::erlang_c(lambda, 1.0, n, t);
    EXPECT_GE(c.service_level, sim.summary_service_level_lo) << lambda;
    EXPECT_LE(c.service_level, sim.summary_service_level_hi) << lambda;
    EXPECT_LT(sim.summary_service_level_hi - sim.summary_service_level_lo, 0.05);  // informative: a few % wide
    EXPECT_NEAR(sim.summary_utilization, c.occupancy, 0.01);
    EXPECT_GE(c.asa, sim.summary_asa_lo) << lambda;
    EXPECT_LE(c.asa, sim.summary_asa_hi) << lambda;
    EXPECT_EQ(sim.summary_abandonment, 0.0);
  }
}

TEST(Simulation, StationaryErlangAWithinItsConfidenceIntervals) {
  for (const auto& [lambda, n, patience, t] : {std::tuple{11.0, 10, 2.0, 0.1}, std::tuple{19.0, 20, 0.5, 0.05},
                                                std::tuple{4.0, 3, 1.0, 0.3}}) {
    const auto sim = stationary({lambda}, n, {exponential(1.0, patience)}, t);
    const auto a = st::erlang_a(lambda, 1.0, patience, n, t);
    EXPECT_GE(a.service_level, sim.summary_service_level_lo) << lambda;
    EXPECT_LE(a.service_level, sim.summary_service_level_hi) << lambda;
    EXPECT_GE(a.prob_abandon, sim.summary_abandonment_lo) << lambda;
    EXPECT_LE(a.prob_abandon, sim.summary_abandonment_hi) << lambda;
    EXPECT_GE(a.asa, sim.summary_asa_lo) << lambda;
    EXPECT_LE(a.asa, sim.summary_asa_hi) << lambda;
  }
}

TEST(Simulation, AnswerTimeQuantilesFollowErlangC) {
  const double lambda = 18.0, s = 1.0;
  const int n = 20;
  const auto sim = stationary({lambda}, n, {exponential(s)}, 0.1, 30);
  const auto c = st::erlang_c(lambda, s, n, 0.1);
  // P(W <= x) = 1 - C exp(-(n - a) x / s) (here C = 0.55): each simulated quantile x_q, averaged
  // over the run's intervals (each pools the replications), must sit where the Erlang C
  // distribution function is q — checked on the probability scale, to the simulated distribution
  // function's own 99% sampling error (the service level's half-width: the same kind of estimate)
  // plus the histogram's 2% resolution, since near the atom at 0 a tiny error in C moves the median a lot.
  ASSERT_GT(c.prob_wait, 0.5);
  const double tolerance = 0.5 * (sim.summary_service_level_hi - sim.summary_service_level_lo) + 0.002;
  for (const auto& [column, q] : {std::pair{0, 0.5}, std::pair{1, 0.8}, std::pair{2, 0.95}}) {
    double sum = 0;
    int count = 0;
    for (Eigen::Index i = 10; i < sim.wait_quantiles.rows(); ++i) {
      sum += sim.wait_quantiles(i, column);
      ++count;
    }
    const double x = sum / count;
    EXPECT_NEAR(1 - c.prob_wait * std::exp(-(n - lambda * s) * x / s), q, tolerance) << q;
  }
}

// The pooled requirement's M/G/n approximation against the simulated multi-service queue.
TEST(Simulation, PooledServicesAgreeWithTheApproximation) {
  const std::vector<double> rates{3.0, 1.0}, times{1.0, 5.0};
  st::StaffingTarget target;
  target.service_level = 0.8;
  target.target_time = 0.5;
  const auto pool = st::pooled_requirement(rates, times, {}, target);
  const auto sim = stationary(rates, pool.servers, {exponential(1.0), exponential(5.0)}, 0.5);
  // FCFS: every class sees the same waits.
  EXPECT_NEAR(sim.class_service_level[0], sim.class_service_level[1], 0.01);
  // The approximation is within 0.03 of the simulated service level here.
  EXPECT_NEAR(pool.measures.service_level, sim.summary_service_level, 0.03);
  std::cout << "pooled: approximation " << pool.measures.service_level << ", simulated " << sim.summary_service_level
            << " [" << sim.summary_service_level_lo << ", " << sim.summary_service_level_hi << "]\n";
}

// Hayward's approximation for bursty arrivals against batch arrivals of the same peakedness: it is
// conservative (geometric batches of mean (z + 1) / 2 wait less than Hayward's batches of z), by
// 0.05 to 0.08 in service level at z = 2 and 3 — the error required_servers.hpp states.
TEST(Simulation, PeakednessAgreesWithHayward) {
  for (double z : {2.0, 3.0}) {
    st::QueueModel model;
    model.service_time = 1.0;
    model.peakedness = z;
    const double lambda = 20.0, t = 0.2;
    st::StaffingTarget target;
    target.target_time = t;
    const int n = st::required_servers(lambda, model, target);
    const auto predicted = st::queue_measures(lambda, n, model, t);
    const auto sim = stationary({lambda}, n, {exponential(1.0)}, t, 40, z);
    EXPECT_LE(predicted.service_level, sim.summary_service_level_hi) << z;  // conservative
    EXPECT_LT(sim.summary_service_level - predicted.service_level, 0.1) << z;
    // And burstiness does cost service: the same servers under Poisson arrivals do better still.
    const auto poisson = stationary({lambda}, n, {exponential(1.0)}, t, 40, 1.0);
    EXPECT_GT(poisson.summary_service_level_lo, sim.summary_service_level_hi) << z;
    std::cout << "peakedness " << z << ": Hayward " << predicted.service_level << ", simulated "
              << sim.summary_service_level << " at " << n << " servers\n";
  }
}

TEST(Simulation, OverDispersedArrivalsMatchTheNegativeBinomial) {
  const int intervals = 50;
  bq::RowMatrix r(intervals, 1);
  r.setConstant(4.0);  // 20 per interval of length 5
  const std::vector<int> staff(intervals, 30);
  const std::vector<double> size(intervals, 8.0);
  st::SimulationOptions o;
  o.replications = 400;
  const auto sim = st::simulate(r, staff, std::vector<st::CustomerClass>{exponential(1.0)}, 5.0, size, {}, o);
  double mean = 0;
  for (double a : sim.arrivals) mean += a / intervals;
  EXPECT_NEAR(mean, 20.0, 0.3);
  EXPECT_GT(sim.customers, 0.0);
}

TEST(Simulation, IdenticalOnAnyThreadCount) {
  const int intervals = 169;
  bq::RowMatrix r(intervals, 2);
  std::vector<int> staff(intervals);
  for (int i = 0; i < intervals; ++i) {
    r(i, 0) = 10.0 + 8.0 * std::sin(i / 20.0);
    r(i, 1) = 2.0;
    staff[static_cast<std::size_t>(i)] = 30 + (i % 7);
  }
  st::CustomerClass a = exponential(2.0, 3.0);
  st::CustomerClass b;
  b.service_time = 4.0;
  b.service_distribution = st::ServiceDistribution::lognormal;
  b.service_cv = 0.7;
  b.patience = 5.0;
  const std::vector<st::CustomerClass> classes{a, b};
  const std::vector<double> size(intervals, 30.0);
  const std::vector<std::size_t> starts{0, 85};
  st::SimulationOptions o;
  o.replications = 16;
  const auto one = bq::testing::with_threads(1, [&] { return st::simulate(r, staff, classes, 5.0, size, starts, o); });
  const auto two = bq::testing::with_threads(2, [&] { return st::simulate(r, staff, classes, 5.0, size, starts, o); });
  EXPECT_EQ(one.replication_service_level, two.replication_service_level);
  for (std::size_t i = 0; i < one.service_level.size(); ++i) {
    EXPECT_EQ(one.service_level[i], two.service_level[i]);
    EXPECT_EQ(one.utilization[i], two.utilization[i]);
  }
  EXPECT_EQ(one.wait_quantiles, two.wait_quantiles);
  o.seed = 1;
  const auto other = st::simulate(r, staff, classes, 5.0, size, starts, o);
  EXPECT_NE(other.replication_service_level, one.replication_service_level);
}

TEST(Simulation, NobodyOnDutyMeansNobodyAnswered) {
  bq::RowMatrix r(4, 1);
  r.setConstant(2.0);
  const std::vector<int> staff{0, 0, 0, 0};
  st::SimulationOptions o;
  o.replications = 5;
  const auto sim = st::simulate(r, staff, std::vector<st::CustomerClass>{exponential(1.0)}, 1.0, {}, {}, o);
  EXPECT_EQ(sim.summary_service_level, 0.0);
  EXPECT_EQ(sim.summary_abandonment, 1.0);
  EXPECT_TRUE(std::isnan(sim.utilization[0]));  // no staffed time
}

// Found by the Python property tests: one short interval, long handling. The overtime after
// closing (and after a drop in staff) is not staffed time, so utilisation stays within [0, 1].
TEST(Simulation, UtilisationLeavesOvertimeOut) {
  bq::RowMatrix r(3, 1);
  r << 1.0, 3.0, 1.0;
  const std::vector<int> staff{1, 3, 1};
  st::SimulationOptions o;
  o.replications = 50;
  const auto sim = st::simulate(r, staff, std::vector<st::CustomerClass>{exponential(2.0)}, 1.0, {}, {}, o);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(sim.utilization[i], 0.0);
    EXPECT_LE(sim.utilization[i], 1.0);
    EXPECT_LE(sim.utilization_hi[i], 1.0 + 1e-12);
  }
  EXPECT_LE(sim.summary_utilization, 1.0);
  EXPECT_GT(sim.summary_utilization, 0.2);
}

TEST(Simulation, BadInputIsNamed) {
  auto names = [](const std::function<void()>& f, const char* name) {
    try {
      f();
      ADD_FAILURE() << "expected an error naming " << name;
    } catch (const bq::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
    }
  };
  bq::RowMatrix r(3, 1);
  r.setConstant(1.0);
  const std::vector<int> staff{1, 1, 1};
  const std::vector<st::CustomerClass> one{exponential(1.0)};
  const st::SimulationOptions o;
  names([&] { (void)st::simulate(r, std::vector<int>{1, 1}, one, 1.0, {}, {}, o); }, "arrival_rates");
  names([&] { (void)st::simulate(r, std::vector<int>{1, -1, 1}, one, 1.0, {}, {}, o); }, "staff");
  names([&] { (void)st::simulate(r, staff, std::vector<st::CustomerClass>{exponential(0.0)}, 1.0, {}, {}, o); }, "service_time");
  names([&] { (void)st::simulate(r, staff, std::vector<st::CustomerClass>{exponential(1.0, -2.0)}, 1.0, {}, {}, o); }, "patience");
  names([&] { (void)st::simulate(r, staff, one, 0.0, {}, {}, o); }, "interval_length");
  names([&] { (void)st::simulate(r, staff, one, 1.0, std::vector<double>{1.0, 0.0, 1.0}, {}, o); }, "size");
  names([&] { (void)st::simulate(r, staff, one, 1.0, {}, std::vector<std::size_t>{7}, o); }, "period_starts");
  names([&] {
    auto bad = o;
    bad.replications = 1;
    (void)st::simulate(r, staff, one, 1.0, {}, {}, bad);
  }, "replications");
  names([&] {
    auto bad = o;
    bad.confidence = 1.0;
    (void)st::simulate(r, staff, one, 1.0, {}, {}, bad);
  }, "confidence");
  names([&] {
    bq::RowMatrix huge(3, 1);
    huge.setConstant(1e12);
    (void)st::simulate(huge, staff, one, 1.0, {}, {}, o);
  }, "arrival_rates");
  names([&] {
    bq::RowMatrix nan(3, 1);
    nan.setConstant(std::nan(""));
    (void)st::simulate(nan, staff, one, 1.0, {}, {}, o);
  }, "arrival_rates");
}
