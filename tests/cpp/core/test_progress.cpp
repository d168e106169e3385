#include "bankquant/core/progress.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;

TEST(Progress, CallbackRunsOnlyOnTheOwnerThreadAndFinishReportsTheTotal) {
  const auto owner = std::this_thread::get_id();
  std::vector<bq::ProgressEvent> events;
  bool foreign_thread = false;
  bq::ProgressReporter reporter(
      [&](const bq::ProgressEvent& e) {
        foreign_thread |= std::this_thread::get_id() != owner;
        events.push_back(e);
        return true;
      },
      1'000'000, "normals", std::chrono::milliseconds(0));
  std::vector<double> out(1'000'000);
  bq::parallel_fill_normal(out, 1, 0, 10'000, &reporter);
  EXPECT_FALSE(foreign_thread);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().done, 1'000'000u);
  EXPECT_EQ(events.back().total, 1'000'000u);
  EXPECT_EQ(events.back().stage, "normals");
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LE(events[i - 1].done, events[i].done);
}

TEST(Progress, ReturningFalseCancels) {
  int calls = 0;
  bq::ProgressReporter reporter(
      [&](const bq::ProgressEvent&) {
        ++calls;
        return false;
      },
      2'000'000, "normals", std::chrono::milliseconds(0));
  std::vector<double> out(2'000'000);
  try {
    bq::parallel_fill_normal(out, 1, 0, 1000, &reporter);
    FAIL() << "expected Cancelled";
  } catch (const bq::Cancelled& e) {
    EXPECT_NE(std::string(e.what()).find("normals: cancelled by the progress callback"), std::string::npos);
  }
  EXPECT_GE(calls, 1);
  EXPECT_LT(reporter.done(), 2'000'000u);  // stopped early
}

TEST(Progress, EmptyCallbackIsANoOp) {
  bq::ProgressReporter reporter({}, 10, "nothing");
  reporter.advance(10);
  EXPECT_NO_THROW(reporter.finish());
  EXPECT_EQ(reporter.done(), 10u);
  EXPECT_FALSE(reporter.cancelled());
}

TEST(Progress, IntervalThrottlesReports) {
  int calls = 0;
  bq::ProgressReporter reporter(
      [&](const bq::ProgressEvent&) {
        ++calls;
        return true;
      },
      100, "slow", std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) reporter.advance(1);
  EXPECT_EQ(calls, 0);
  reporter.finish();
  EXPECT_EQ(calls, 1);
}
