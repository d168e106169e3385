#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/graph/detail/relabel.hpp"
#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/components.hpp"
#include "bankquant/graph/detail/union_find.hpp"
#include "bankquant/graph/pagerank.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {
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
  detail::UnionFind sets(g.n_nodes());
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
  return detail::relabel_by_first_node(comp);
}

void PageRankOptions::validate() const {
  check::in_open_range("damping", damping, 0.0, 1.0);
  check::positive("tolerance", tolerance);
  check::finite("tolerance", tolerance);
  check::integer_at_least("max_iterations", max_iterations, 1);
  check::all_finite("personalization", personalization);
  check::all_non_negative("personalization", personalization);
}

void PageRankOptions::validate(std::size_t n) const {
  validate();
  if (!personalization.empty()) {
    check::same_size("personalization", personalization.size(), "nodes", n);
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
  const auto src = g.src();
  const auto amount = g.amount();
  // The pull loop reads, per node, its distinct payers and the weight of each link (the count of
  // parallel transfers, or their summed amount), laid out contiguously so an iteration streams
  // them; each payer's share is x / out-weight, computed once per node and iteration. When every
  // link weighs 1 (no parallel transfers, unweighted) only the payer ids are read: 4 bytes a link.
  // The layout is built in two flat passes (count, then fill) with a per-thread marker of the last
  // node that saw each payer: payers in order of first transfer, parallel transfers summed in
  // time order (the in-edge order), so the sums do not depend on how nodes are numbered.
  struct Marker {
    std::vector<std::int32_t> seen;
    std::vector<std::size_t> slot;
  };
  tbb::enumerable_thread_specific<Marker> markers([n] { return Marker{std::vector<std::int32_t>(n, -1), std::vector<std::size_t>(n, 0)}; });
  std::vector<std::size_t> in_start(n + 1, 0);
  parallel_for_chunks(n, 2048, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& seen = markers.local().seen;
    for (std::size_t j = b; j < e; ++j) {
      std::size_t distinct = 0;
      for (std::int32_t edge : g.in_edges(j)) {
        auto& last = seen[static_cast<std::size_t>(src[static_cast<std::size_t>(edge)])];
        if (last != static_cast<std::int32_t>(j)) {
          last = static_cast<std::int32_t>(j);
          ++distinct;
        }
      }
      in_start[j + 1] = distinct;
    }
  });
  for (std::size_t j = 0; j < n; ++j) in_start[j + 1] += in_start[j];
  for (auto& m : markers) std::fill(m.seen.begin(), m.seen.end(), -1);
  std::vector<std::int32_t> in_src(in_start[n]);
  std::vector<double> in_weight(in_start[n], 0.0);
  parallel_for_chunks(n, 2048, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& [seen, slot] = markers.local();
    for (std::size_t j = b; j < e; ++j) {
      std::size_t k = in_start[j];
      for (std::int32_t edge : g.in_edges(j)) {
        const auto ei = static_cast<std::size_t>(edge);
        const auto u = static_cast<std::size_t>(src[ei]);
        if (seen[u] != static_cast<std::int32_t>(j)) {
          seen[u] = static_cast<std::int32_t>(j);
          slot[u] = k;
          in_src[k++] = src[ei];
        }
        in_weight[slot[u]] += o.weighted ? amount[ei] : 1.0;
      }
    }
  });
  std::vector<double> out_weight(n, 0.0);
  bool unit = true;
  for (std::size_t k = 0; k < in_src.size(); ++k) {
    out_weight[static_cast<std::size_t>(in_src[k])] += in_weight[k];
    unit = unit && in_weight[k] == 1.0;
  }
  // Each link's share of its payer's out-weight. Unit links (unweighted, no parallel transfers)
  // share 1/out-degree, a per-payer constant applied to x once per iteration; other links carry
  // their share w / out-weight, computed once here (never 1 / out-weight, which a subnormal amount
  // would overflow).
  std::vector<double> inverse_out(n, 0.0);
  if (unit) {
    std::vector<double>().swap(in_weight);
    for (std::size_t i = 0; i < n; ++i) inverse_out[i] = out_weight[i] > 0 ? 1.0 / out_weight[i] : 0.0;
  } else {
    for (std::size_t k = 0; k < in_weight.size(); ++k) {
      const double total = out_weight[static_cast<std::size_t>(in_src[k])];
      in_weight[k] = total > 0 ? in_weight[k] / total : 0.0;
    }
    for (std::size_t i = 0; i < n; ++i) inverse_out[i] = out_weight[i] > 0 ? 1.0 : 0.0;
  }
  PageRankResult r;
  std::vector<double> x = v, next(n), share(n);
  constexpr std::size_t kChunk = 4096;
  const auto plus = [](double a, double b) { return a + b; };
  int it = 1;
  bool converged = false;
  for (; it <= o.max_iterations; ++it) {
    const double dangling = deterministic_reduce(
        n, kChunk, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t i = b; i < e; ++i) {
            share[i] = x[i] * inverse_out[i];
            if (out_weight[i] == 0) s += x[i];
          }
          return s;
        },
        plus);
    const double change = deterministic_reduce(
        n, kChunk, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t j = b; j < e; ++j) {
            double in = 0;
            if (unit) {
              for (std::size_t k = in_start[j]; k < in_start[j + 1]; ++k) in += share[static_cast<std::size_t>(in_src[k])];
            } else {
              for (std::size_t k = in_start[j]; k < in_start[j + 1]; ++k) {
                in += share[static_cast<std::size_t>(in_src[k])] * in_weight[k];
              }
            }
            next[j] = o.damping * (in + dangling * v[j]) + (1 - o.damping) * v[j];
            s += std::abs(next[j] - x[j]);
          }
          return s;
        },
        plus);
    x.swap(next);
    if (change < o.tolerance) {
      converged = true;
      break;
    }
  }
  const int iterations = std::min(it, o.max_iterations);
  r.scores = std::move(x);
  r.status = converged ? Status::make(StatusCode::converged, fmt::format("converged in {} iterations", iterations), iterations)
                       : Status::make(StatusCode::iteration_limit,
                                      fmt::format("no convergence in {} iterations (max_iterations)", o.max_iterations),
                                      iterations);
  return r;
}

EdgeTable edge_table(const TransactionGraph& g, std::span<const std::int64_t> ids) {
  const std::size_t m = g.n_edges();
  for (std::int64_t e : ids) {
    if (e < 0 || static_cast<std::size_t>(e) >= m) {
      check::fail("edge_ids", fmt::format("edge id {} outside the {} edges", e, m));
    }
  }
  EdgeTable t;
  t.edge.assign(ids.begin(), ids.end());
  t.src.resize(ids.size());
  t.dst.resize(ids.size());
  t.amount.resize(ids.size());
  t.timestamp.resize(ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const auto e = static_cast<std::size_t>(ids[k]);
    t.src[k] = g.src()[e];
    t.dst[k] = g.dst()[e];
    t.amount[k] = g.amount()[e];
    t.timestamp[k] = g.timestamp()[e];
  }
  return t;
}

EdgeTable all_edges(const TransactionGraph& g) {
  EdgeTable t;
  t.edge.resize(g.n_edges());
  std::iota(t.edge.begin(), t.edge.end(), std::int64_t{0});
  t.src.assign(g.src().begin(), g.src().end());
  t.dst.assign(g.dst().begin(), g.dst().end());
  t.amount.assign(g.amount().begin(), g.amount().end());
  t.timestamp.assign(g.timestamp().begin(), g.timestamp().end());
  return t;
}

std::vector<std::int64_t> out_degrees(const TransactionGraph& g) {
  std::vector<std::int64_t> d(g.n_nodes());
  for (std::size_t v = 0; v < d.size(); ++v) d[v] = static_cast<std::int64_t>(g.out_degree(v));
  return d;
}

std::vector<std::int64_t> in_degrees(const TransactionGraph& g) {
  std::vector<std::int64_t> d(g.n_nodes());
  for (std::size_t v = 0; v < d.size(); ++v) d[v] = static_cast<std::int64_t>(g.in_degree(v));
  return d;
}

PairTable aggregate_pairs(const TransactionGraph& g) {
  // Each payer's out-edges grouped by payee: a stable sort by payee keeps time order within a pair.
  PairTable t;
  const auto dst = g.dst();
  const auto amount = g.amount();
  const auto ts = g.timestamp();
  std::vector<std::int32_t> edges;
  for (std::size_t v = 0; v < g.n_nodes(); ++v) {
    const auto out = g.out_edges(v);
    edges.assign(out.begin(), out.end());
    std::stable_sort(edges.begin(), edges.end(), [&](std::int32_t a, std::int32_t b) {
      return dst[static_cast<std::size_t>(a)] < dst[static_cast<std::size_t>(b)];
    });
    for (std::size_t i = 0; i < edges.size();) {
      const std::int32_t d = dst[static_cast<std::size_t>(edges[i])];
      double sum = 0;
      std::int64_t count = 0, first = INT64_MAX, last = INT64_MIN;
      for (; i < edges.size() && dst[static_cast<std::size_t>(edges[i])] == d; ++i) {
        const auto e = static_cast<std::size_t>(edges[i]);
        sum += amount[e];
        ++count;
        first = std::min(first, ts[e]);
        last = std::max(last, ts[e]);
      }
      t.src.push_back(static_cast<std::int32_t>(v));
      t.dst.push_back(d);
      t.amount.push_back(sum);
      t.count.push_back(count);
      t.first.push_back(first);
      t.last.push_back(last);
    }
  }
  return t;
}

}  // namespace bankquant::graph
