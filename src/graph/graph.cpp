#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph.hpp"
#include "bankquant/graph/union_find.hpp"

namespace bankquant::graph {
namespace {

std::vector<std::int32_t> relabel_by_smallest_node(const std::vector<std::int32_t>& raw) {
  std::vector<std::int32_t> map(raw.size(), -1), out(raw.size());
  std::int32_t next = 0;
  for (std::size_t v = 0; v < raw.size(); ++v) {
    auto& m = map[static_cast<std::size_t>(raw[v])];
    if (m < 0) m = next++;
    out[v] = m;
  }
  return out;
}

}  // namespace

namespace {

void check_edges(std::size_t n, std::span<const std::int32_t> src, std::span<const std::int32_t> dst,
                 std::span<const double> amount, std::span<const std::int64_t> timestamp, std::size_t existing) {
  check::same_size("src", src.size(), "dst", dst.size());
  if (!amount.empty()) check::same_size("src", src.size(), "amount", amount.size());
  if (!timestamp.empty()) check::same_size("src", src.size(), "timestamp", timestamp.size());
  if (src.size() + existing > static_cast<std::size_t>(INT32_MAX)) check::fail("src", "more than 2^31 edges");
  for (std::size_t e = 0; e < src.size(); ++e) {
    if (src[e] < 0 || static_cast<std::size_t>(src[e]) >= n || dst[e] < 0 || static_cast<std::size_t>(dst[e]) >= n) {
      check::fail("src", fmt::format("edge {} joins {} and {}, outside the {} nodes", e, src[e], dst[e], n));
    }
  }
  check::all_finite("amount", amount);
  check::all_non_negative("amount", amount);
}

}  // namespace

void TransactionGraph::append_edges(std::size_t n, std::span<const std::int32_t> src, std::span<const std::int32_t> dst,
                                    std::span<const double> amount, std::span<const std::int64_t> timestamp) {
  if (n < n_nodes()) check::fail("n_nodes", fmt::format("a graph of {} nodes cannot shrink to {}", n_nodes(), n));
  check_edges(n, src, dst, amount, timestamp, n_edges());
  const auto first_new = static_cast<std::int32_t>(n_edges());
  std::vector<std::int32_t> s(src.begin(), src.end()), d(dst.begin(), dst.end());
  std::vector<std::int64_t> t(timestamp.begin(), timestamp.end());
  if (t.empty()) t.assign(src.size(), 0);
  // grow by a tenth at a time (not vector's doubling): a streaming graph's memory stays close to its size
  if (src_.capacity() < src_.size() + s.size()) {
    const std::size_t capacity = src_.size() + src_.size() / 10 + s.size();
    src_.reserve(capacity);
    dst_.reserve(capacity);
    amount_.reserve(capacity);
    timestamp_.reserve(capacity);
  }
  src_.insert(src_.end(), s.begin(), s.end());
  dst_.insert(dst_.end(), d.begin(), d.end());
  if (amount.empty()) amount_.insert(amount_.end(), src.size(), 1.0);
  else amount_.insert(amount_.end(), amount.begin(), amount.end());
  timestamp_.insert(timestamp_.end(), t.begin(), t.end());
  out_.append(n, s, first_new, timestamp_);
  in_.append(n, d, first_new, timestamp_);
}

TransactionGraph TransactionGraph::from_edges(std::size_t n, std::span<const std::int32_t> src,
                                              std::span<const std::int32_t> dst, std::span<const double> amount,
                                              std::span<const std::int64_t> timestamp) {
  check_edges(n, src, dst, amount, timestamp, 0);
  TransactionGraph g;
  g.src_.assign(src.begin(), src.end());
  g.dst_.assign(dst.begin(), dst.end());
  g.amount_.assign(amount.begin(), amount.end());
  if (g.amount_.empty()) g.amount_.assign(src.size(), 1.0);
  g.timestamp_.assign(timestamp.begin(), timestamp.end());
  g.out_.build(n, g.src_, g.timestamp_);
  g.in_.build(n, g.dst_, g.timestamp_);
  if (g.timestamp_.empty()) g.timestamp_.assign(src.size(), 0);
  return g;
}

std::size_t TransactionGraph::memory_bytes() const {
  return (src_.capacity() + dst_.capacity()) * sizeof(std::int32_t) + amount_.capacity() * sizeof(double) +
         timestamp_.capacity() * sizeof(std::int64_t) + out_.memory_bytes() + in_.memory_bytes();
}

std::vector<std::int32_t> weakly_connected_components(const TransactionGraph& g) {
  UnionFind sets(g.n_nodes());
  const auto src = g.src(), dst = g.dst();
  for (std::size_t e = 0; e < src.size(); ++e) sets.unite(src[e], dst[e]);
  return sets.labels();
}

std::vector<std::int32_t> strongly_connected_components(const TransactionGraph& g) {
  const std::size_t n = g.n_nodes();
  constexpr std::int32_t kUnvisited = -1;
  std::vector<std::int32_t> index(n, kUnvisited), low(n, 0), comp(n, -1);
  std::vector<char> on_stack(n, 0);
  std::vector<std::int32_t> stack;
  struct Frame {
    std::int32_t v;
    std::size_t next;  // position in v's out-edges
  };
  std::vector<Frame> call;
  std::int32_t counter = 0, components = 0;
  const auto dst = g.dst();
  for (std::size_t s = 0; s < n; ++s) {
    if (index[s] != kUnvisited) continue;
    call.push_back({static_cast<std::int32_t>(s), 0});
    index[s] = low[s] = counter++;
    stack.push_back(static_cast<std::int32_t>(s));
    on_stack[s] = 1;
    while (!call.empty()) {
      Frame& f = call.back();
      const auto v = static_cast<std::size_t>(f.v);
      const auto out = g.out_edges(v);
      if (f.next < out.size()) {
        const auto w = static_cast<std::size_t>(dst[static_cast<std::size_t>(out[f.next++])]);
        if (index[w] == kUnvisited) {
          index[w] = low[w] = counter++;
          stack.push_back(static_cast<std::int32_t>(w));
          on_stack[w] = 1;
          call.push_back({static_cast<std::int32_t>(w), 0});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {  // v is the root of a component
        std::int32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[static_cast<std::size_t>(w)] = 0;
          comp[static_cast<std::size_t>(w)] = components;
        } while (static_cast<std::size_t>(w) != v);
        ++components;
      }
      call.pop_back();
      if (!call.empty()) {
        const auto parent = static_cast<std::size_t>(call.back().v);
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return relabel_by_smallest_node(comp);
}

void PageRankOptions::validate(std::size_t n) const {
  check::in_open_range("damping", damping, 0.0, 1.0);
  check::positive("tolerance", tolerance);
  check::integer_at_least("max_iterations", max_iterations, 1);
  if (!personalization.empty()) {
    check::same_size("personalization", personalization.size(), "nodes", n);
    check::all_finite("personalization", personalization);
    check::all_non_negative("personalization", personalization);
    double s = 0;
    for (double p : personalization) s += p;
    if (!(s > 0)) check::fail("personalization", "expected a positive total weight");
  }
}

PageRankResult pagerank(const TransactionGraph& g, const PageRankOptions& o) {
  const std::size_t n = g.n_nodes();
  check::not_empty("graph", n);
  o.validate(n);
  std::vector<double> v(n, 1.0 / static_cast<double>(n));
  if (!o.personalization.empty()) {
    const double s = std::accumulate(o.personalization.begin(), o.personalization.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) v[i] = o.personalization[i] / s;
  }
  // out-weight of each node and each edge's share of it
  std::vector<double> out_weight(n, 0.0);
  const auto src = g.src();
  const auto amount = g.amount();
  for (std::size_t e = 0; e < src.size(); ++e) out_weight[static_cast<std::size_t>(src[e])] += o.weighted ? amount[e] : 1.0;
  // The pull loop reads, for each in-edge in CSR order, its source and its share of the source's
  // out-weight; laid out contiguously here so each iteration streams them instead of chasing edge ids.
  std::vector<std::int32_t> in_src(src.size());
  std::vector<double> in_share(src.size());
  std::vector<std::size_t> in_start(n + 1, 0);
  {
    std::size_t k = 0;
    for (std::size_t j = 0; j < n; ++j) {
      in_start[j] = k;
      for (std::int32_t edge : g.in_edges(j)) {
        const auto e = static_cast<std::size_t>(edge);
        const double total = out_weight[static_cast<std::size_t>(src[e])];
        in_src[k] = src[e];
        in_share[k] = total > 0 ? (o.weighted ? amount[e] : 1.0) / total : 0.0;
        ++k;
      }
    }
    in_start[n] = k;
  }
  PageRankResult r;
  std::vector<double> x = v, next(n);
  for (int it = 1; it <= o.max_iterations; ++it) {
    const double dangling = deterministic_reduce(
        n, 4096, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t i = b; i < e; ++i) s += out_weight[i] > 0 ? 0.0 : x[i];
          return s;
        },
        [](double a, double b) { return a + b; });
    parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t j = b; j < e; ++j) {
        double in = 0;
        for (std::size_t k = in_start[j]; k < in_start[j + 1]; ++k) in += x[static_cast<std::size_t>(in_src[k])] * in_share[k];
        next[j] = o.damping * (in + dangling * v[j]) + (1 - o.damping) * v[j];
      }
    });
    const double change = deterministic_reduce(
        n, 4096, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t i = b; i < e; ++i) s += std::abs(next[i] - x[i]);
          return s;
        },
        [](double a, double b) { return a + b; });
    x.swap(next);
    r.iterations = it;
    if (change < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  r.scores = std::move(x);
  return r;
}

}  // namespace bankquant::graph
