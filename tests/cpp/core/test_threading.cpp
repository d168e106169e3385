#include "bankquant/core/threading.hpp"

#include <oneapi/tbb/task_arena.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include <oneapi/tbb/task_arena.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;

namespace {

// Restores the thread count a test changed.
struct ThreadCountGuard {
  int saved = bq::get_num_threads();
  ~ThreadCountGuard() { bq::set_num_threads(saved); }
};

// A sum whose value depends on the order of additions (terms of very different magnitudes).
double ill_conditioned_sum() {
  const std::size_t n = 1'000'003;
  return bq::deterministic_reduce(
      n, 4096, 0.0,
      [](std::size_t b, std::size_t e) {
        double s = 0.0;
        for (std::size_t i = b; i < e; ++i) s += std::sin(static_cast<double>(i)) * std::pow(10.0, static_cast<double>(i % 17));
        return s;
      },
      [](double a, double b) { return a + b; });
}

}  // namespace

TEST(Threading, SetAndGet) {
  ThreadCountGuard guard;
  bq::set_num_threads(3);
  EXPECT_EQ(bq::get_num_threads(), 3);
  bq::set_num_threads(1);
  EXPECT_EQ(bq::get_num_threads(), 1);
  bq::set_num_threads(0);
  EXPECT_EQ(bq::get_num_threads(), bq::default_num_threads());
  EXPECT_GE(bq::default_num_threads(), 1);
}

TEST(Threading, NegativeCountIsRejectedAndLeavesTheSettingAlone) {
  ThreadCountGuard guard;
  bq::set_num_threads(2);
  try {
    bq::set_num_threads(-1);
    FAIL() << "expected InvalidArgument";
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("argument 'n'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("got -1"), std::string::npos);
  }
  EXPECT_EQ(bq::get_num_threads(), 2);
}

TEST(Threading, DoesNotChangeTheApplicationsArena) {
  ThreadCountGuard guard;
  const int global_before = tbb::this_task_arena::max_concurrency();
  bq::set_num_threads(1);
  EXPECT_EQ(tbb::this_task_arena::max_concurrency(), global_before);
  int inside = 0;
  bq::run_in_arena([&] { inside = tbb::this_task_arena::max_concurrency(); });
  EXPECT_EQ(inside, 1);
}

TEST(Threading, ParallelForChunksVisitsEachIndexOnceWithFixedBoundaries) {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 4}) {
    bq::set_num_threads(threads);
    const std::size_t n = 10'007, chunk = 1000;
    std::vector<std::atomic<int>> visits(n);
    std::vector<std::size_t> chunk_begin(bq::chunk_count(n, chunk), n);
    bq::parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
      chunk_begin[c] = b;
      for (std::size_t i = b; i < e; ++i) visits[i]++;
    });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << "index " << i;
    for (std::size_t c = 0; c < chunk_begin.size(); ++c) EXPECT_EQ(chunk_begin[c], c * chunk);
  }
  bq::parallel_for_chunks(0, 10, [](std::size_t, std::size_t, std::size_t) { FAIL() << "no work for n = 0"; });
}

TEST(Threading, DeterministicReduceIsBitIdenticalForAnyThreadCount) {
  ThreadCountGuard guard;
  bq::set_num_threads(1);
  const double one = ill_conditioned_sum();
  for (int threads : {2, 3, 8}) {
    bq::set_num_threads(threads);
    for (int repeat = 0; repeat < 3; ++repeat) {
      const double many = ill_conditioned_sum();
      EXPECT_EQ(std::memcmp(&one, &many, sizeof(double)), 0) << threads << " threads: " << many << " vs " << one;
    }
  }
}

TEST(Threading, ExceptionsPropagateFromWorkers) {
  EXPECT_THROW(bq::parallel_for_chunks(100, 10,
                                       [](std::size_t c, std::size_t, std::size_t) {
                                         if (c == 7) throw bq::NumericalError("chunk 7 failed");
                                       }),
               bq::NumericalError);
}

TEST(Threading, ResizingWhileOtherThreadsWorkIsSafe) {
  ThreadCountGuard guard;
  std::atomic<bool> stop{false};
  std::thread worker([&] {
    while (!stop) {
      const double s = bq::deterministic_reduce(
          100'000, 1000, 0.0,
          [](std::size_t b, std::size_t e) { return static_cast<double>(e - b); },
          [](double a, double b) { return a + b; });
      ASSERT_EQ(s, 100'000.0);
    }
  });
  for (int i = 0; i < 50; ++i) bq::set_num_threads(1 + i % 3);
  stop = true;
  worker.join();
}
