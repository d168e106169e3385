#include "bankquant/staffing/required_servers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/staffing/erlang.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

st::QueueModel erlang_c_model(double s) {
  st::QueueModel m;
  m.service_time = s;
  return m;
}

st::QueueModel erlang_a_model(double s, double patience) {
  st::QueueModel m;
  m.service_time = s;
  m.patience = patience;
  return m;
}

bool meets(const st::QueueMeasures& m, const st::StaffingTarget& t) {
  return m.stable && (t.service_level == 0 || m.service_level >= t.service_level) && m.asa <= t.max_asa &&
         m.occupancy <= t.max_occupancy && m.prob_abandon <= t.max_abandon;
}

}  // namespace

// pyworkforce's README: 100 calls per 30 minutes, 3 minutes each, 80% in 20 s, occupancy <= 85%,
// 30% shrinkage: 14 raw positions, 20 positions.
TEST(RequiredServers, PublishedExample) {
  st::StaffingTarget t;
  t.service_level = 0.8;
  t.target_time = 20.0 / 60.0;
  t.max_occupancy = 0.85;
  const int n = st::required_servers(100.0 / 30.0, erlang_c_model(3.0), t);
  EXPECT_EQ(n, 14);
  EXPECT_EQ(st::staff_for_servers(n, 0.3), 20);
}

TEST(RequiredServers, SmallestThatMeetsEveryTarget) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> rate(0.01, 300.0);
  for (int trial = 0; trial < 200; ++trial) {
    const double lambda = rate(rng);
    st::StaffingTarget t;
    t.service_level = 0.5 + 0.49 * (trial % 7) / 6.0;
    t.target_time = 0.05 * (trial % 5);
    if (trial % 3 == 0) t.max_asa = 0.02;
    if (trial % 4 == 0) t.max_occupancy = 0.9;
    const auto model = trial % 2 ? erlang_c_model(1.0) : erlang_a_model(1.0, 0.5 + trial % 5);
    if (trial % 2 == 0 && trial % 6 == 0) t.max_abandon = 0.02;
    const int n = st::required_servers(lambda, model, t);
    ASSERT_GE(n, 1);
    EXPECT_TRUE(meets(st::queue_measures(lambda, n, model, t.target_time), t)) << trial;
    EXPECT_FALSE(meets(st::queue_measures(lambda, n - 1, model, t.target_time), t)) << trial;
  }
}

TEST(RequiredServers, ThousandsOfServers) {
  st::StaffingTarget t;
  t.service_level = 0.9;
  t.target_time = 0.1;
  const int n = st::required_servers(5000.0, erlang_c_model(1.0), t);
  EXPECT_GT(n, 5000);
  EXPECT_LT(n, 5200);  // square-root staffing: a + beta sqrt(a) with beta about 1.5
  EXPECT_GE(st::erlang_c(5000.0, 1.0, n, 0.1).service_level, 0.9);
  EXPECT_LT(st::erlang_c(5000.0, 1.0, n - 1, 0.1).service_level, 0.9);
  const int na = st::required_servers(5000.0, erlang_a_model(1.0, 2.0), t);
  EXPECT_LE(na, n);
}

TEST(RequiredServers, ManyEqualsOneByOneOnAnyThreadCount) {
  std::vector<double> rates;
  for (int i = 0; i < 3000; ++i) rates.push_back(0.37 * (i % 211) + (i % 13 == 0 ? 0.0 : 0.01));
  st::StaffingTarget t;
  for (const auto& model : {erlang_c_model(0.8), erlang_a_model(0.8, 1.5)}) {
    const auto one = bq::testing::with_threads(1, [&] { return st::required_servers(rates, model, t); });
    const auto two = bq::testing::with_threads(2, [&] { return st::required_servers(rates, model, t); });
    EXPECT_EQ(one, two);
    for (std::size_t i = 0; i < rates.size(); i += 97) EXPECT_EQ(one[i], st::required_servers(rates[i], model, t));
    EXPECT_EQ(one[0], 0);  // no arrivals, no servers
  }
}

TEST(RequiredServers, ApproximationsReduceToErlangC) {
  st::StaffingTarget t;
  auto z = erlang_c_model(1.0);
  z.peakedness = 1.0 + 1e-9;  // the continuous Erlang B path, at peakedness ~ 1
  for (double lambda : {3.0, 40.0, 400.0}) {
    EXPECT_EQ(st::required_servers(lambda, z, t), st::required_servers(lambda, erlang_c_model(1.0), t));
    const auto a = st::queue_measures(lambda, static_cast<int>(lambda) + 5, z, t.target_time);
    const auto c = st::queue_measures(lambda, static_cast<int>(lambda) + 5, erlang_c_model(1.0), t.target_time);
    EXPECT_NEAR(a.service_level, c.service_level, 1e-7);
  }
  // Burstier arrivals and more variable handling times both need more servers.
  auto bursty = erlang_c_model(1.0);
  bursty.peakedness = 2.0;
  auto variable = erlang_c_model(1.0);
  variable.service_scv = 3.0;
  EXPECT_GT(st::required_servers(40.0, bursty, t), st::required_servers(40.0, erlang_c_model(1.0), t));
  EXPECT_GT(st::required_servers(40.0, variable, t), st::required_servers(40.0, erlang_c_model(1.0), t));
}

TEST(RequiredServers, UnstableIntervalsAreFlaggedNotThrown) {
  const auto m = st::queue_measures(10.0, 8, erlang_c_model(1.0), 0.1);
  EXPECT_FALSE(m.stable);
  EXPECT_EQ(m.service_level, 0.0);
  EXPECT_EQ(m.prob_wait, 1.0);
  EXPECT_TRUE(std::isinf(m.asa));
  const auto zero = st::queue_measures(10.0, 0, erlang_a_model(1.0, 1.0), 0.1);
  EXPECT_EQ(zero.prob_abandon, 1.0);
  EXPECT_EQ(zero.service_level, 0.0);
}

TEST(RequiredServers, BadTargetsAndModelsAreNamed) {
  auto names = [](auto f, const char* name) {
    try {
      f();
      ADD_FAILURE() << "expected an error naming " << name;
    } catch (const bq::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
    }
  };
  for (double bad : {1.0, 1.5, -0.2, std::nan("")}) {
    names([bad] {
      st::StaffingTarget t;
      t.service_level = bad;
      (void)st::required_servers(1.0, erlang_c_model(1.0), t);
    }, "service_level");
  }
  names([] {
    st::StaffingTarget t;
    t.shrinkage = 1.0;
    (void)st::required_servers(1.0, erlang_c_model(1.0), t);
  }, "shrinkage");
  names([] {
    st::StaffingTarget t;
    t.max_occupancy = 0.0;
    (void)st::required_servers(1.0, erlang_c_model(1.0), t);
  }, "max_occupancy");
  names([] { (void)st::required_servers(1.0, erlang_c_model(-1.0), st::StaffingTarget{}); }, "service_time");
  names([] { (void)st::required_servers(-1.0, erlang_c_model(1.0), st::StaffingTarget{}); }, "arrival_rate");
  names([] {
    auto m = erlang_a_model(1.0, 2.0);
    m.peakedness = 2.0;
    (void)st::required_servers(1.0, m, st::StaffingTarget{});
  }, "peakedness");
  names([] {
    auto m = erlang_c_model(1.0);
    m.peakedness = 0.5;
    (void)st::required_servers(1.0, m, st::StaffingTarget{});
  }, "peakedness");
  // A target no staffing can meet below max_servers names the target.
  names([] {
    st::StaffingTarget t;
    t.max_servers = 10;
    (void)st::required_servers(50.0, erlang_c_model(1.0), t);
  }, "max_servers");
  names([] {
    st::StaffingTarget t;
    t.max_servers = 60;
    t.service_level = 0.99;
    t.target_time = 0.0;
    (void)st::required_servers(50.0, erlang_c_model(1.0), t);
  }, "service_level");
}
