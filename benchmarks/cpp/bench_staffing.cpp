// Staffing: Erlang C and A for 1,000 servers, required servers for 10,000 intervals, the mixture
// requirement and the simulator's week (issue 12's performance targets).
//   build/release/benchmarks/cpp/bench_staffing --benchmark_min_time=0.2
//
// Data: the bundled bank call centre (bindings/python/bankquant/datasets/data/bank_call_centre_5min.csv,
// 5-minute calls, weekdays 07:00-21:05), as benchmarks/cases/staffing.py uses it: the week of
// 2003-06-02 forecast by weekday x slot means (and negative-binomial sizes by moments) of the eight
// weeks before, 4-minute handling, 80% answered in 20 s, staffed by SIPP on the mean.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bankquant/core/threading.hpp"
#include "bankquant/staffing/erlang.hpp"
#include "bankquant/staffing/required_servers.hpp"
#include "bankquant/staffing/requirements.hpp"
#include "bankquant/staffing/simulation.hpp"
#include "staffing/call_centre.hpp"

#ifndef BANKQUANT_CALL_CENTRE_CSV
#error "BANKQUANT_CALL_CENTRE_CSV: the path of bank_call_centre_5min.csv (benchmarks/cpp/CMakeLists.txt sets it)"
#endif

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

constexpr double kServiceTime = 4.0;   // minutes
constexpr double kIntervalLength = 5.0;
constexpr std::size_t kSlotsPerDay = 169;

// Days since 1970-01-01 of an ISO date (Howard Hinnant's days_from_civil).
long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

long parse_day(const std::string& iso) {
  return days_from_civil(std::stoi(iso.substr(0, 4)), static_cast<unsigned>(std::stoi(iso.substr(5, 2))),
                         static_cast<unsigned>(std::stoi(iso.substr(8, 2))));
}

// The forecast week: mean calls and negative-binomial sizes per 5-minute slot (5 days x 169).
struct Week {
  std::vector<double> mean, size;
};

const Week& call_centre_week() {
  static const Week week = [] {
    const long monday = parse_day("2003-06-02");
    std::map<std::pair<long, std::string>, std::pair<std::vector<double>, int>> history;  // (weekday, time)
    std::vector<std::pair<long, std::string>> actual;
    for (const auto& r : bankquant::testing::read_call_centre(BANKQUANT_CALL_CENTRE_CSV)) {
      const long day = parse_day(r.date);
      const long weekday = ((day % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday: Monday = 0
      if (day >= monday - 56 && day < monday) history[{weekday, r.time}].first.push_back(r.calls);
      if (day >= monday && day < monday + 7) actual.emplace_back(weekday, r.time);
    }
    Week w;
    for (const auto& key : actual) {
      const auto& x = history.at(key).first;
      double m = 0, v = 0;
      for (double c : x) m += c / static_cast<double>(x.size());
      for (double c : x) v += (c - m) * (c - m) / static_cast<double>(x.size() - 1);
      w.mean.push_back(m);
      w.size.push_back(v > m ? m * m / std::max(v - m, 1e-9) : std::numeric_limits<double>::infinity());
    }
    return w;
  }();
  return week;
}

st::RequirementOptions requirement_options(st::ForecastUse use) {
  st::RequirementOptions o;
  o.queue.service_time = kServiceTime;
  o.interval_length = kIntervalLength;
  o.use = use;
  return o;
}

std::vector<std::size_t> day_starts(std::size_t n) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < n; i += kSlotsPerDay) starts.push_back(i);
  return starts;
}

}  // namespace

// Erlang C's measures for 1,000 servers at 95% occupancy (per call).
static void BM_ErlangC1000Servers(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(st::erlang_c(950.0, 1.0, 1000, 0.2));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ErlangC1000Servers)->Unit(benchmark::kMicrosecond);

// Erlang A (exact birth-death chain), 1,000 servers, patience 2 service times, 5% overloaded.
static void BM_ErlangA1000Servers(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(st::erlang_a(1050.0, 1.0, 2.0, 1000, 0.2));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ErlangA1000Servers)->Unit(benchmark::kMicrosecond);

// Required servers (80% in 20 s, Erlang C) for 10,000 intervals of call-centre rates; threads = range(0).
static void BM_RequiredServers10000Intervals(benchmark::State& state) {
  bq::set_num_threads(static_cast<int>(state.range(0)));
  const auto& week = call_centre_week();
  std::vector<double> rates(10'000);
  for (std::size_t i = 0; i < rates.size(); ++i) rates[i] = week.mean[i % week.mean.size()] / kIntervalLength;
  st::QueueModel model;
  model.service_time = kServiceTime;
  const st::StaffingTarget target;
  for (auto _ : state) benchmark::DoNotOptimize(st::required_servers(rates, model, target));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rates.size()));
  bq::set_num_threads(0);
}
BENCHMARK(BM_RequiredServers10000Intervals)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The mixture requirement (Poisson-Gamma over the forecast's negative-binomial distribution) for
// the week's 845 intervals; threads = range(0).
static void BM_MixtureRequirementWeek(benchmark::State& state) {
  bq::set_num_threads(static_cast<int>(state.range(0)));
  const auto& week = call_centre_week();
  const auto starts = day_starts(week.mean.size());
  const auto o = requirement_options(st::ForecastUse::mixture);
  for (auto _ : state) benchmark::DoNotOptimize(st::staffing_requirements(week.mean, week.size, starts, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(week.mean.size()));
  bq::set_num_threads(0);
}
BENCHMARK(BM_MixtureRequirementWeek)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The simulator: 100 replications of range(1) five-minute intervals staffed by SIPP on the mean,
// the week's rates repeated (845: the benchmark's week of 5 days; 2016: a 7 x 288 week at the same
// volume per interval); threads = range(0). items/s: customers per second.
static void BM_SimulateWeek(benchmark::State& state) {
  bq::set_num_threads(static_cast<int>(state.range(0)));
  const auto& week = call_centre_week();
  const auto n = static_cast<std::size_t>(state.range(1));
  std::vector<double> mean(n);
  for (std::size_t i = 0; i < n; ++i) mean[i] = week.mean[i % week.mean.size()];
  const auto starts = day_starts(n);
  const auto req = st::staffing_requirements(mean, {}, starts, requirement_options(st::ForecastUse::mean));
  bq::RowMatrix rates(static_cast<Eigen::Index>(n), 1);
  for (std::size_t i = 0; i < n; ++i) rates(static_cast<Eigen::Index>(i), 0) = mean[i] / kIntervalLength;
  st::CustomerClass calls;
  calls.service_time = kServiceTime;
  const std::vector<st::CustomerClass> classes{calls};
  st::SimulationOptions o;
  o.replications = 100;
  o.seed = 1;
  double customers = 0;
  for (auto _ : state) {
    const auto sim = st::simulate(rates, req.servers, classes, kIntervalLength, {}, starts, o);
    customers += sim.customers;
    benchmark::DoNotOptimize(sim.summary_service_level);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(customers));
  bq::set_num_threads(0);
}
BENCHMARK(BM_SimulateWeek)
    ->ArgsProduct({{1, 2}, {845, 2016}})
    ->ArgNames({"threads", "intervals"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
