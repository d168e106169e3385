// Core primitives: random streams, the deterministic reduction, quantiles.
//   build/release/benchmarks/cpp/bench_core --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "bankquant/core/random.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;

// One stream, one thread: the cost of a 64-bit Philox draw, a uniform and a normal.
static void BM_StreamU64(benchmark::State& state) {
  bq::RandomStream s(1);
  for (auto _ : state) benchmark::DoNotOptimize(s.next_u64());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamU64);

static void BM_StreamNormal(benchmark::State& state) {
  bq::RandomStream s(1);
  std::vector<double> out(4096);
  for (auto _ : state) {
    s.fill_normal(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}
BENCHMARK(BM_StreamNormal);

// 10M normals across the arena, threads = range(0).
static void BM_ParallelFillNormal(benchmark::State& state) {
  bq::set_num_threads(static_cast<int>(state.range(0)));
  std::vector<double> out(10'000'000);
  for (auto _ : state) {
    bq::parallel_fill_normal(out, 7);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
  bq::set_num_threads(0);
}
BENCHMARK(BM_ParallelFillNormal)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// A deterministic sum of 10M doubles, threads = range(0).
static void BM_DeterministicSum(benchmark::State& state) {
  bq::set_num_threads(static_cast<int>(state.range(0)));
  std::vector<double> x(10'000'000);
  bq::parallel_fill_uniform(x, 3);
  for (auto _ : state) {
    const double s = bq::deterministic_reduce(
        x.size(), 1 << 14, 0.0,
        [&](std::size_t b, std::size_t e) {
          double acc = 0.0;
          for (std::size_t i = b; i < e; ++i) acc += x[i];
          return acc;
        },
        [](double a, double b) { return a + b; });
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(x.size() * sizeof(double)));
  bq::set_num_threads(0);
}
BENCHMARK(BM_DeterministicSum)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The 1% quantile of 1M values (selection on a copy).
static void BM_Quantile(benchmark::State& state) {
  std::vector<double> x(1'000'000);
  bq::parallel_fill_normal(x, 5);
  for (auto _ : state) benchmark::DoNotOptimize(bq::stats::quantile(x, 0.01));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_Quantile)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
