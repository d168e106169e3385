#include "bankquant/graph/temporal_cycles.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

gr::TransactionGraph complete_digraph(int n) {
  std::vector<std::int32_t> s, d;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) {
        s.push_back(i);
        d.push_back(j);
      }
    }
  }
  return gr::TransactionGraph::from_edges(static_cast<std::size_t>(n), s, d);
}

}  // namespace

TEST(TemporalCycles, CompleteDigraphAndTimeOrder) {
  const auto k5 = complete_digraph(5);
  gr::CycleOptions o;
  o.max_length = 5;
  const auto all = gr::temporal_cycles(k5, o);
  EXPECT_EQ(all.count(), 10u + 20u + 30u + 24u);  // C(5,k)(k−1)! for k = 2..5
  EXPECT_TRUE(all.status.converged());
  // a -> b at 1, b -> c at 2, c -> a at 3 is a round trip; with times 2, 1, 3 no rotation is in time order
  const std::vector<std::int32_t> cs{0, 1, 2}, cd{1, 2, 0};
  const auto forward = gr::TransactionGraph::from_edges(3, cs, cd, std::vector<double>{100, 90, 80}, std::vector<std::int64_t>{1, 2, 3});
  const auto backward = gr::TransactionGraph::from_edges(3, cs, cd, {}, std::vector<std::int64_t>{2, 1, 3});
  gr::CycleOptions timed;
  timed.window = 10;
  const auto r = gr::temporal_cycles(forward, timed);
  ASSERT_EQ(r.count(), 1u);
  EXPECT_EQ(r.edges, (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_EQ(gr::temporal_cycles(backward, timed).count(), 0u);
  const auto alerts = gr::cycle_alerts(forward, r);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::cycle);
  EXPECT_DOUBLE_EQ(alerts.score[0], 0.8);  // the returned share
  EXPECT_DOUBLE_EQ(alerts.amount[0], 270);
  timed.window = 1;  // the cycle spans 2 time units
  EXPECT_EQ(gr::temporal_cycles(forward, timed).count(), 0u);
  gr::CycleOptions bad;
  bad.max_length = 0;
  EXPECT_THROW((void)gr::temporal_cycles(forward, bad), bq::InvalidArgument);
}

TEST(TemporalCycles, CapsAreStatuses) {
  const auto k9 = complete_digraph(9);
  gr::CycleOptions o;
  o.max_length = 9;
  o.max_cycles = 1000;
  const auto capped = gr::temporal_cycles(k9, o);
  EXPECT_EQ(capped.status.code, bq::StatusCode::size_limit);
  EXPECT_TRUE(capped.truncated());
  EXPECT_EQ(capped.count(), 1000u);
  o.max_cycles = 0;
  o.time_limit = 1e-3;
  const auto timed = gr::temporal_cycles(k9, o);
  EXPECT_EQ(timed.status.code, bq::StatusCode::time_limit);
  o.time_limit = -1;
  EXPECT_THROW((void)gr::temporal_cycles(k9, o), bq::InvalidArgument);
}

namespace {

// The cycles (as edge lists) that hold an edge with id >= min_edge.
std::set<std::vector<std::int32_t>> cycles_holding(const gr::CycleResult& r, std::int32_t min_edge) {
  std::set<std::vector<std::int32_t>> out;
  for (std::size_t k = 0; k < r.count(); ++k) {
    std::vector<std::int32_t> c(r.edges.begin() + r.offsets[k], r.edges.begin() + r.offsets[k + 1]);
    if (*std::max_element(c.begin(), c.end()) >= min_edge) out.insert(std::move(c));
  }
  return out;
}

}  // namespace

TEST(TemporalCycles, StreamingSearchFindsTheCyclesThroughNewEdges) {
  // random timed transfers; cycles through the last 50 edges, searched from the candidate starts
  bq::RandomStream rng(3);
  std::vector<std::int32_t> s, d;
  std::vector<std::int64_t> t;
  for (int k = 0; k < 400; ++k) {
    s.push_back(static_cast<std::int32_t>(rng.uniform_int(25)));
    d.push_back(static_cast<std::int32_t>(rng.uniform_int(25)));
    t.push_back(static_cast<std::int64_t>(rng.uniform_int(200)));
  }
  const auto g = gr::TransactionGraph::from_edges(25, s, d, {}, t);
  gr::CycleOptions o;
  o.max_length = 4;
  o.window = 20;
  const auto all = gr::temporal_cycles(g, o);
  std::vector<std::int32_t> fresh;
  for (std::int32_t e = 350; e < 400; ++e) fresh.push_back(e);
  const auto starts = gr::detail::cycle_start_candidates(g, fresh, 20, 4);
  EXPECT_FALSE(starts.truncated);
  const auto some = gr::detail::temporal_cycles_from(g, o, starts.edges, 350);
  const auto expected = cycles_holding(all, 350);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(cycles_holding(some, 0), expected);
  const auto one = bq::testing::with_threads(1, [&] { return gr::temporal_cycles(g, o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::temporal_cycles(g, o); });
  EXPECT_EQ(one.edges, two.edges);
  EXPECT_THROW((void)gr::detail::cycle_start_candidates(g, std::vector<std::int32_t>{900}, 10, 3), bq::InvalidArgument);

  // accounts the search leaves out are not walked back through, and nothing is lost by it
  std::vector<std::int32_t> excluded(25, 0);
  for (std::int32_t v : {3, 7, 11}) {
    excluded[static_cast<std::size_t>(v)] = 1;
    o.exclude.push_back(v);
  }
  const auto fewer = gr::detail::cycle_start_candidates(g, fresh, 20, 4, excluded);
  EXPECT_LT(fewer.edges.size(), starts.edges.size());
  const auto expected_without = cycles_holding(gr::temporal_cycles(g, o), 350);
  EXPECT_FALSE(expected_without.empty());
  EXPECT_EQ(cycles_holding(gr::detail::temporal_cycles_from(g, o, fewer.edges, 350), 0), expected_without);
  EXPECT_THROW((void)gr::detail::cycle_start_candidates(g, fresh, 20, 4, std::vector<std::int32_t>(3, 0)),
               bq::InvalidArgument);
}

TEST(TemporalCycles, BoundsInsideTheSearch) {
  // 0 -> 1 -> 2 -> 0 passing on 90% then 94%; 0 -> 1 -> 0 a repayment
  std::vector<std::int32_t> s{0, 1, 2, 1}, d{1, 2, 0, 0};
  std::vector<double> a{100, 90, 85, 100};
  std::vector<std::int64_t> t{1, 2, 3, 4};
  const auto g = bankquant::graph::TransactionGraph::from_edges(3, s, d, a, t);
  bankquant::graph::CycleOptions o;
  o.window = 10;
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 2u);
  o.min_length = 3;  // no repayments
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 1u);
  o.amount_tolerance = 0.15;
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 1u);
  o.amount_tolerance = 0.05;  // the first hop keeps 10%
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.amount_tolerance = 0;
  o.min_returned_share = 0.9;  // 85 of 100 returned
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.min_returned_share = 0;
  o.exclude = {2};
  EXPECT_EQ(bankquant::graph::temporal_cycles(g, o).count(), 0u);
  o.exclude = {3};
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
  o.exclude = {};
  o.min_length = 4;
  o.max_length = 3;
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
  o = {};
  o.amount_tolerance = 0.1;  // amounts are followed only along time-respecting cycles
  EXPECT_THROW((void)bankquant::graph::temporal_cycles(g, o), bankquant::InvalidArgument);
}

namespace {

struct RandomTransfers {
  gr::TransactionGraph graph;
  std::vector<std::int32_t> src, dst;
  std::vector<double> amount;
  std::vector<std::int64_t> time;
};

RandomTransfers random_transfers(std::uint64_t seed, int n_nodes, int n_edges, int horizon) {
  bq::RandomStream rng(seed);
  RandomTransfers r{gr::TransactionGraph::from_edges(1, std::vector<std::int32_t>{0}, std::vector<std::int32_t>{0}), {}, {}, {}, {}};
  for (int k = 0; k < n_edges; ++k) {
    r.src.push_back(static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(n_nodes))));
    r.dst.push_back(static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(n_nodes))));
    r.amount.push_back(50 + static_cast<double>(rng.uniform_int(60)));
    r.time.push_back(static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(horizon))));
  }
  r.graph = gr::TransactionGraph::from_edges(static_cast<std::size_t>(n_nodes), r.src, r.dst, r.amount, r.time);
  return r;
}

// Every sequence of transfers that is a bounded time-respecting cycle, by brute force over edge
// sequences (no pruning, no shared code with the search).
std::vector<std::vector<std::int32_t>> brute_force_cycles(const RandomTransfers& r, const gr::CycleOptions& o) {
  std::vector<std::vector<std::int32_t>> out;
  std::vector<std::int32_t> path;
  const auto m = static_cast<std::int32_t>(r.src.size());
  auto excluded = [&](std::int32_t v) { return std::find(o.exclude.begin(), o.exclude.end(), v) != o.exclude.end(); };
  std::function<void()> extend = [&] {
    const std::int32_t first = path.front(), last = path.back();
    const auto k = path.size();
    if (r.dst[static_cast<std::size_t>(last)] == r.src[static_cast<std::size_t>(first)] && static_cast<int>(k) >= o.min_length &&
        (o.min_returned_share <= 0 || r.amount[static_cast<std::size_t>(last)] >= o.min_returned_share * r.amount[static_cast<std::size_t>(first)])) {
      out.push_back(path);
    }
    if (static_cast<int>(k) == o.max_length || r.dst[static_cast<std::size_t>(last)] == r.src[static_cast<std::size_t>(first)]) return;
    for (std::int32_t e = 0; e < m; ++e) {
      const auto ei = static_cast<std::size_t>(e);
      if (r.src[ei] != r.dst[static_cast<std::size_t>(last)] || r.time[ei] <= r.time[static_cast<std::size_t>(last)]) continue;
      if (r.time[ei] - r.time[static_cast<std::size_t>(first)] > *o.window) continue;
      if (o.amount_tolerance > 0 && !(r.amount[ei] <= r.amount[static_cast<std::size_t>(last)] &&
                                      r.amount[ei] >= (1 - o.amount_tolerance) * r.amount[static_cast<std::size_t>(last)])) continue;
      const std::int32_t y = r.dst[ei];
      const std::int32_t u = r.src[static_cast<std::size_t>(first)];
      if (y != u) {  // an intermediate: neither excluded nor on the path already
        bool repeats = excluded(y) || r.dst[static_cast<std::size_t>(last)] == y;
        for (std::int32_t p : path) repeats = repeats || r.src[static_cast<std::size_t>(p)] == y;
        if (repeats) continue;
      }
      path.push_back(e);
      extend();
      path.pop_back();
    }
  };
  for (std::int32_t e = 0; e < m; ++e) {
    if (excluded(r.src[static_cast<std::size_t>(e)]) || excluded(r.dst[static_cast<std::size_t>(e)])) continue;
    path.assign(1, e);
    extend();
  }
  return out;
}

}  // namespace

TEST(TemporalCycleCounts, BruteForceOnTinyGraphs) {
  std::size_t found = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto r = random_transfers(seed, 6, 40, 30);
    gr::CycleOptions o;
    o.max_length = 5;
    o.window = 12;
    if (seed % 2 == 0) o.min_length = 2;
    if (seed % 3 == 0) o.min_returned_share = 0.8;
    if (seed == 5) o.amount_tolerance = 0.3;
    if (seed == 4) o.exclude = {3};
    const auto brute = brute_force_cycles(r, o);
    found += brute.size();
    std::set<std::vector<std::int32_t>> expected(brute.begin(), brute.end()), listed;
    const auto cycles = gr::temporal_cycles(r.graph, o);
    for (std::size_t k = 0; k < cycles.count(); ++k) {
      listed.insert(std::vector<std::int32_t>(cycles.edges.begin() + cycles.offsets[k], cycles.edges.begin() + cycles.offsets[k + 1]));
    }
    EXPECT_EQ(listed, expected) << "seed " << seed;
    EXPECT_EQ(listed.size(), cycles.count());
    std::vector<std::int64_t> through(r.src.size(), 0), closing(r.src.size(), 0), nodes(6, 0);
    for (const auto& c : brute) {
      for (std::int32_t e : c) {
        ++through[static_cast<std::size_t>(e)];
        ++nodes[static_cast<std::size_t>(r.src[static_cast<std::size_t>(e)])];
      }
      ++closing[static_cast<std::size_t>(c.back())];
    }
    const auto counts = gr::temporal_cycle_counts(r.graph, o);
    EXPECT_TRUE(counts.status.converged());
    EXPECT_EQ(counts.total, static_cast<std::int64_t>(brute.size()));
    EXPECT_EQ(counts.edge_cycles, through);
    EXPECT_EQ(counts.closing_cycles, closing);
    EXPECT_EQ(counts.node_cycles, nodes);
  }
  EXPECT_GT(found, 30u);  // the graphs hold cycles of every kind the bounds allow
}

TEST(TemporalCycleCounts, SumsOfTheListedCyclesOnAnyThreadCount) {
  const auto r = random_transfers(11, 100, 6000, 1000);
  gr::CycleOptions o;
  o.max_length = 6;
  o.window = 80;
  const auto cycles = gr::temporal_cycles(r.graph, o);
  ASSERT_GT(cycles.count(), 1000u);
  std::vector<std::int64_t> through(r.src.size(), 0), closing(r.src.size(), 0), nodes(100, 0);
  for (std::size_t k = 0; k < cycles.count(); ++k) {
    for (auto i = cycles.offsets[k]; i < cycles.offsets[k + 1]; ++i) {
      ++through[static_cast<std::size_t>(cycles.edges[static_cast<std::size_t>(i)])];
      ++nodes[static_cast<std::size_t>(cycles.nodes[static_cast<std::size_t>(i)])];
    }
    ++closing[static_cast<std::size_t>(cycles.edges[static_cast<std::size_t>(cycles.offsets[k + 1] - 1)])];
  }
  const auto one = bq::testing::with_threads(1, [&] { return gr::temporal_cycle_counts(r.graph, o); });
  const auto two = bq::testing::with_threads(2, [&] { return gr::temporal_cycle_counts(r.graph, o); });
  EXPECT_EQ(one.total, static_cast<std::int64_t>(cycles.count()));
  EXPECT_EQ(one.edge_cycles, through);
  EXPECT_EQ(one.closing_cycles, closing);
  EXPECT_EQ(one.node_cycles, nodes);
  EXPECT_EQ(two.edge_cycles, one.edge_cycles);
  EXPECT_EQ(two.node_cycles, one.node_cycles);
  // from the candidate starts of the last edges: the same closing counts for those edges
  std::vector<std::int32_t> fresh;
  for (std::int32_t e = 5900; e < 6000; ++e) fresh.push_back(e);
  const auto starts = gr::detail::cycle_start_candidates(r.graph, fresh, 80, 6).edges;
  const auto some = gr::detail::temporal_cycle_counts_from(r.graph, o, starts);
  for (std::int32_t e : fresh) EXPECT_EQ(some.closing_cycles[static_cast<std::size_t>(e)], closing[static_cast<std::size_t>(e)]);
}

TEST(TemporalCycleCounts, CapsAreStatusesAndAWindowIsNeeded) {
  const auto k9 = complete_digraph(9);
  gr::CycleOptions o;
  o.max_length = 9;
  o.window = 0;  // all at time 0: nothing is time-respecting
  EXPECT_EQ(gr::temporal_cycle_counts(k9, o).total, 0);
  const auto r = random_transfers(5, 30, 20000, 100);
  o.window = 100;
  o.max_cycles = 500;
  const auto capped = gr::temporal_cycle_counts(r.graph, o);
  EXPECT_EQ(capped.status.code, bq::StatusCode::size_limit);
  EXPECT_TRUE(capped.truncated());
  EXPECT_EQ(capped.total, 500);
  o.max_cycles = 0;
  o.time_limit = 1e-3;
  const auto timed = gr::temporal_cycle_counts(r.graph, o);
  EXPECT_EQ(timed.status.code, bq::StatusCode::time_limit);
  EXPECT_TRUE(timed.truncated());
  o.window.reset();
  o.time_limit = 0;
  EXPECT_THROW((void)gr::temporal_cycle_counts(k9, o), bq::InvalidArgument);
}
