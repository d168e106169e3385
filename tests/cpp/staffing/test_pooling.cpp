#include "bankquant/staffing/pooling.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

TEST(Pooling, OneServiceIsItsOwnQueue) {
  st::StaffingTarget t;
  const std::vector<double> rate{12.0}, time{2.5};
  const auto p = st::pooled_requirement(rate, time, {}, t);
  st::QueueModel m;
  m.service_time = 2.5;
  EXPECT_EQ(p.servers, st::required_servers(12.0, m, t));
  EXPECT_EQ(p.separate_total, p.servers);
  EXPECT_NEAR(p.service_scv, 1.0, 1e-12);
  EXPECT_EQ(p.servers_by_service, std::vector<int>{p.servers});
}

TEST(Pooling, MixtureMomentsSplitAndSaving) {
  st::StaffingTarget t;
  t.shrinkage = 0.25;
  const std::vector<double> rate{3.0, 1.0}, time{1.0, 5.0};
  const auto p = st::pooled_requirement(rate, time, {}, t);
  EXPECT_DOUBLE_EQ(p.arrival_rate, 4.0);
  EXPECT_DOUBLE_EQ(p.service_time, 2.0);
  EXPECT_NEAR(p.service_scv, 14.0 / 4.0 - 1.0, 1e-12);  // E[S^2] = 0.75 * 2 + 0.25 * 50
  EXPECT_NEAR(p.load_share[0], 3.0 / 8.0, 1e-15);
  EXPECT_EQ(std::accumulate(p.servers_by_service.begin(), p.servers_by_service.end(), 0), p.servers);
  EXPECT_LE(p.servers, p.separate_total);
  EXPECT_EQ(p.staff, st::staff_for_servers(p.servers, 0.25));
  EXPECT_GE(p.measures.service_level, t.service_level);
  // Equal handling times pool into one exponential queue.
  const std::vector<double> same{2.0, 2.0};
  const auto q = st::pooled_requirement(rate, same, {}, t);
  st::QueueModel m;
  m.service_time = 2.0;
  EXPECT_EQ(q.servers, st::required_servers(4.0, m, t));
  EXPECT_NEAR(q.service_scv, 1.0, 1e-12);
}

TEST(Pooling, ManyIntervalsOnAnyThreadCount) {
  bq::RowMatrix rates(500, 3);
  for (int i = 0; i < 500; ++i) {
    rates(i, 0) = 0.1 * (i % 50);
    rates(i, 1) = 0.05 * (i % 17);
    rates(i, 2) = i % 7 == 0 ? 0.0 : 0.3;
  }
  const std::vector<double> times{1.5, 4.0, 0.8}, scvs{1.0, 0.5, 2.0};
  st::StaffingTarget t;
  const auto one = bq::testing::with_threads(1, [&] { return st::pooled_requirements(rates, times, scvs, t); });
  const auto two = bq::testing::with_threads(2, [&] { return st::pooled_requirements(rates, times, scvs, t); });
  ASSERT_EQ(one.size(), 500u);
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].servers, two[i].servers);
    EXPECT_EQ(one[i].servers_by_service, two[i].servers_by_service);
    const std::vector<double> row{rates(i, 0), rates(i, 1), rates(i, 2)};
    EXPECT_EQ(one[i].servers, st::pooled_requirement(row, times, scvs, t).servers);
  }
  EXPECT_EQ(one[0].servers, 0);  // row 0: no arrivals
}

TEST(Pooling, BadInputIsNamed) {
  auto names = [](auto f, const char* name) {
    try {
      f();
      ADD_FAILURE() << "expected an error naming " << name;
    } catch (const bq::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
    }
  };
  const st::StaffingTarget t;
  names([&] { (void)st::pooled_requirement(std::vector<double>{1.0}, std::vector<double>{0.0}, {}, t); }, "service_times");
  names([&] { (void)st::pooled_requirement(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0}, {}, t); }, "arrival_rates");
  names([&] { (void)st::pooled_requirement(std::vector<double>{-1.0}, std::vector<double>{1.0}, {}, t); }, "arrival_rates");
  names([&] { (void)st::pooled_requirement(std::vector<double>{1.0}, std::vector<double>{1.0}, std::vector<double>{-1.0}, t); }, "service_scvs");
  names([&] { (void)st::pooled_requirement({}, {}, {}, t); }, "service_times");
  bq::RowMatrix wrong(2, 2);
  wrong.setOnes();
  names([&] { (void)st::pooled_requirements(wrong, std::vector<double>{1.0, 2.0, 3.0}, {}, t); }, "arrival_rates");
}
