#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::graph {
namespace {

using Clock = std::chrono::steady_clock;

// Shared stop state of one search: the cycle count against the cap and the deadline.
struct Stop {
  std::atomic<std::size_t> found{0};
  std::atomic<bool> stopped{false}, out_of_time{false}, full{false};
  std::size_t max_cycles = 0;  // 0: no cap
  bool timed = false;
  Clock::time_point deadline;
  // Called every so many steps and per cycle; true when the search must end.
  bool check_time() {
    if (timed && Clock::now() > deadline) {
      out_of_time = true;
      stopped = true;
    }
    return stopped;
  }
  bool add_cycle() {
    if (found.fetch_add(1) + 1 >= max_cycles && max_cycles > 0) {
      full = true;
      stopped = true;
    }
    return stopped;
  }
};

struct Buffer {
  std::vector<std::size_t> lengths;
  std::vector<std::int32_t> nodes, edges;
};

// One flag per node of the nodes no cycle may touch (empty when there are none).
std::vector<char> excluded_nodes(const TransactionGraph& g, const CycleOptions& o) {
  std::vector<char> out;
  if (o.exclude.empty()) return out;
  out.assign(g.n_nodes(), 0);
  for (std::int32_t v : o.exclude) {
    if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("exclude", fmt::format("node {} outside the {} nodes", v, g.n_nodes()));
    out[static_cast<std::size_t>(v)] = 1;
  }
  return out;
}

// Sorted unique successors of each node (the simple digraph).
void simple_successors(const TransactionGraph& g, std::vector<std::size_t>& offsets, std::vector<std::int32_t>& succ,
                       std::vector<char>& self_loop) {
  const std::size_t n = g.n_nodes();
  const auto dst = g.dst();
  offsets.assign(n + 1, 0);
  self_loop.assign(n, 0);
  std::vector<std::vector<std::int32_t>> rows(n);
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      auto& row = rows[v];
      for (std::int32_t edge : g.out_edges(v)) {
        const std::int32_t u = dst[static_cast<std::size_t>(edge)];
        if (static_cast<std::size_t>(u) == v) self_loop[v] = 1;
        else row.push_back(u);
      }
      std::sort(row.begin(), row.end());
      row.erase(std::unique(row.begin(), row.end()), row.end());
    }
  });
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] = offsets[v] + rows[v].size();
  succ.resize(offsets[n]);
  for (std::size_t v = 0; v < n; ++v) std::copy(rows[v].begin(), rows[v].end(), succ.begin() + static_cast<std::ptrdiff_t>(offsets[v]));
}

void static_search(const TransactionGraph& g, const CycleOptions& o, Stop& stop, std::vector<Buffer>& out, std::size_t chunk) {
  const std::size_t n = g.n_nodes();
  std::vector<std::size_t> offsets;
  std::vector<std::int32_t> succ;
  std::vector<char> self_loop;
  simple_successors(g, offsets, succ, self_loop);
  tbb::enumerable_thread_specific<std::vector<char>> on_path_tls([n] { return std::vector<char>(n, 0); });
  const auto max_len = static_cast<std::size_t>(o.max_length);
  const auto min_len = static_cast<std::size_t>(o.min_length);
  const auto excluded = excluded_nodes(g, o);
  parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& on_path = on_path_tls.local();
    Buffer& buf = out[c];
    std::vector<std::int32_t> path;
    std::vector<std::size_t> next;  // position in each path node's successors
    std::size_t steps = 0;
    for (std::size_t s = b; s < e && !stop.stopped; ++s) {
      if (!excluded.empty() && excluded[s]) continue;
      if (self_loop[s] && min_len <= 1) {
        buf.lengths.push_back(1);
        buf.nodes.push_back(static_cast<std::int32_t>(s));
        if (stop.add_cycle()) break;
      }
      if (max_len < 2) continue;
      path.assign(1, static_cast<std::int32_t>(s));
      next.assign(1, offsets[s]);
      on_path[s] = 1;
      while (!path.empty()) {
        if ((++steps & 1023) == 0 && stop.check_time()) break;
        const auto x = static_cast<std::size_t>(path.back());
        if (next.back() == offsets[x + 1]) {
          on_path[x] = 0;
          path.pop_back();
          next.pop_back();
          continue;
        }
        const auto y = static_cast<std::size_t>(succ[next.back()++]);
        if (y == s) {
          if (path.size() < min_len) continue;
          buf.lengths.push_back(path.size());
          buf.nodes.insert(buf.nodes.end(), path.begin(), path.end());
          if (stop.add_cycle()) break;
        } else if (y > s && !on_path[y] && path.size() < max_len && (excluded.empty() || !excluded[y])) {
          path.push_back(static_cast<std::int32_t>(y));
          next.push_back(offsets[y]);
          on_path[y] = 1;
        }
      }
      for (std::int32_t v : path) on_path[static_cast<std::size_t>(v)] = 0;
    }
  });
}

// First out-edge of v (time order) with timestamp > t.
std::size_t first_after(const TransactionGraph& g, std::span<const std::int32_t> out, std::int64_t t) {
  const auto ts = g.timestamp();
  return static_cast<std::size_t>(std::upper_bound(out.begin(), out.end(), t, [&](std::int64_t value, std::int32_t e) {
                                    return value < ts[static_cast<std::size_t>(e)];
                                  }) -
                                  out.begin());
}

// Backward labels of one start edge u -> v at t0 (deadline D): latest[x] is the latest time a
// transfer may leave x and still begin a time-respecting way back to u by D (INT64_MIN: none
// found), hops[x] the fewest transfers of such a way. Both ignore amounts and repeated nodes, so
// they only ever over-promise: a node they rule out cannot lie on a cycle.
struct BackwardLabels {
  std::vector<std::int64_t> latest;
  std::vector<std::int32_t> hops;
  std::vector<std::int32_t> touched, frontier, next;
  std::vector<char> queued;
  explicit BackwardLabels(std::size_t n) : latest(n, INT64_MIN), hops(n, 0), queued(n, 0) {}

  void clear() {
    for (std::int32_t x : touched) latest[static_cast<std::size_t>(x)] = INT64_MIN;
    touched.clear();
  }

  // Level by level up to max_hops transfers back from u; returns false when the time limit hit.
  bool compute(const TransactionGraph& g, std::int32_t u, std::int64_t t0, std::int64_t deadline, int max_hops,
               const std::vector<char>& excluded, Stop& stop, std::size_t& steps) {
    const auto src = g.src();
    const auto ts = g.timestamp();
    frontier.assign(1, u);
    for (int h = 1; h <= max_hops && !frontier.empty(); ++h) {
      next.clear();
      for (std::int32_t y : frontier) {
        // a transfer into y must be later than t0 and earlier than y's own departure (u: by D)
        const std::int64_t bound = y == u ? (deadline == INT64_MAX ? INT64_MAX : deadline + 1) : latest[static_cast<std::size_t>(y)];
        const auto ins = g.in_edges(static_cast<std::size_t>(y));
        auto k = static_cast<std::size_t>(std::upper_bound(ins.begin(), ins.end(), t0, [&](std::int64_t value, std::int32_t e) {
                                            return value < ts[static_cast<std::size_t>(e)];
                                          }) - ins.begin());
        for (; k < ins.size(); ++k) {
          const auto e = static_cast<std::size_t>(ins[k]);
          if (ts[e] >= bound) break;
          if ((++steps & 1023) == 0 && stop.check_time()) return false;
          const std::int32_t x = src[e];
          const auto xi = static_cast<std::size_t>(x);
          if (x == u || (!excluded.empty() && excluded[xi]) || ts[e] <= latest[xi]) continue;
          if (latest[xi] == INT64_MIN) {
            touched.push_back(x);
            hops[xi] = h;
          }
          latest[xi] = ts[e];
          if (!queued[xi]) {
            queued[xi] = 1;
            next.push_back(x);
          }
        }
      }
      for (std::int32_t x : next) queued[static_cast<std::size_t>(x)] = 0;
      std::swap(frontier, next);
    }
    return true;
  }
};

// Is there a transfer in `list` (time-ordered) with a timestamp in (after, until]?
bool any_in(const TransactionGraph& g, std::span<const std::int32_t> list, std::int64_t after, std::int64_t until) {
  const auto ts = g.timestamp();
  const auto it = std::upper_bound(list.begin(), list.end(), after,
                                   [&](std::int64_t value, std::int32_t e) { return value < ts[static_cast<std::size_t>(e)]; });
  return it != list.end() && ts[static_cast<std::size_t>(*it)] <= until;
}

// The time-respecting search from each start edge (all edges when `starts` is empty). For every
// cycle found, sink(chunk, path_edges, closing_edge) is called; it returns true to stop the search.
template <typename Sink>
void temporal_search(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts, Stop& stop,
                     std::size_t chunk, Sink&& sink) {
  const std::size_t n = g.n_nodes();
  const auto src = g.src(), dst = g.dst();
  const auto ts = g.timestamp();
  const std::int64_t window = *o.window;
  const auto max_len = static_cast<std::size_t>(o.max_length);
  const auto min_len = static_cast<std::size_t>(o.min_length);
  const auto amount = g.amount();
  const auto excluded = excluded_nodes(g, o);
  // amount consistency inside the search: each hop keeps at least 1 − tolerance of the one before
  // and never more, and the last returns at least min_returned_share of the first
  auto fits = [&](std::int32_t prev, std::int32_t next) {
    if (o.amount_tolerance <= 0) return true;
    const double a = amount[static_cast<std::size_t>(prev)], b = amount[static_cast<std::size_t>(next)];
    return b <= a && b >= (1 - o.amount_tolerance) * a;
  };
  auto returns = [&](std::int32_t first, std::int32_t last) {
    return o.min_returned_share <= 0 ||
           amount[static_cast<std::size_t>(last)] >= o.min_returned_share * amount[static_cast<std::size_t>(first)];
  };
  tbb::enumerable_thread_specific<std::vector<char>> on_path_tls([n] { return std::vector<char>(n, 0); });
  tbb::enumerable_thread_specific<BackwardLabels> labels_tls([n] { return BackwardLabels(n); });
  const std::size_t n_starts = starts.empty() ? g.n_edges() : starts.size();
  parallel_for_chunks(n_starts, chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& on_path = on_path_tls.local();
    auto& labels = labels_tls.local();
    struct Frame {
      std::int32_t node;
      std::size_t next, end;  // remaining out-edges of node in the time window
    };
    std::vector<Frame> stack;
    std::vector<std::int32_t> path_edges;
    std::size_t steps = 0;
    for (std::size_t k = b; k < e && !stop.stopped; ++k) {
      const auto e0 = starts.empty() ? static_cast<std::int32_t>(k) : starts[k];
      const auto u = static_cast<std::size_t>(src[static_cast<std::size_t>(e0)]);
      const auto v = static_cast<std::size_t>(dst[static_cast<std::size_t>(e0)]);
      const std::int64_t t0 = ts[static_cast<std::size_t>(e0)];
      const std::int64_t deadline = t0 > INT64_MAX - window ? INT64_MAX : t0 + window;
      if (!excluded.empty() && (excluded[u] || excluded[v])) continue;
      path_edges.assign(1, e0);
      if (u == v) {
        path_edges.clear();
        if (min_len <= 1 && sink(c, path_edges, e0)) break;
        continue;
      }
      if (max_len < 2) continue;
      // most transfers start nothing: nobody pays u back within the window, or v pays no one on
      if (!any_in(g, g.in_edges(u), t0, deadline) || !any_in(g, g.out_edges(v), t0, deadline)) continue;
      labels.clear();
      if (!labels.compute(g, static_cast<std::int32_t>(u), t0, deadline, o.max_length - 1, excluded, stop, steps)) break;
      if (labels.latest[v] <= t0) continue;
      auto window_of = [&](std::size_t x, std::int64_t after) {
        const auto outs = g.out_edges(x);
        std::size_t first = first_after(g, outs, after), last = first;
        while (last < outs.size() && ts[static_cast<std::size_t>(outs[last])] <= deadline) ++last;
        return Frame{static_cast<std::int32_t>(x), first, last};
      };
      on_path[u] = on_path[v] = 1;
      stack.assign(1, window_of(v, t0));
      bool stopping = false;
      while (!stack.empty()) {
        if ((++steps & 1023) == 0 && stop.check_time()) {
          stopping = true;
          break;
        }
        Frame& f = stack.back();
        if (f.next == f.end) {
          on_path[static_cast<std::size_t>(f.node)] = 0;
          stack.pop_back();
          path_edges.pop_back();
          continue;
        }
        const std::int32_t edge = g.out_edges(static_cast<std::size_t>(f.node))[f.next++];
        const auto y = static_cast<std::size_t>(dst[static_cast<std::size_t>(edge)]);
        if (!fits(path_edges.back(), edge)) continue;
        const std::size_t length = path_edges.size() + 1;  // with this edge
        if (y == u) {
          if (length >= min_len && returns(e0, edge) && sink(c, path_edges, edge)) {
            stopping = true;
            break;
          }
        } else if (!on_path[y] && length < max_len && (excluded.empty() || !excluded[y]) &&
                   labels.latest[y] > ts[static_cast<std::size_t>(edge)] &&
                   length + static_cast<std::size_t>(labels.hops[y]) <= max_len) {
          on_path[y] = 1;
          path_edges.push_back(edge);
          stack.push_back(window_of(y, ts[static_cast<std::size_t>(edge)]));
        }
      }
      for (const Frame& f : stack) on_path[static_cast<std::size_t>(f.node)] = 0;
      on_path[u] = on_path[v] = 0;
      stack.clear();
      if (stopping) break;
    }
  });
}

void search_cycles(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts,
                   std::int32_t min_edge_id, Stop& stop, std::vector<Buffer>& out, std::size_t chunk) {
  const auto src = g.src();
  temporal_search(g, o, starts, stop, chunk, [&](std::size_t c, const std::vector<std::int32_t>& path, std::int32_t closing) {
    bool fresh = closing >= min_edge_id;
    for (std::int32_t x : path) fresh = fresh || x >= min_edge_id;
    if (!fresh) return false;
    Buffer& buf = out[c];
    buf.lengths.push_back(path.size() + 1);
    for (std::int32_t x : path) buf.nodes.push_back(src[static_cast<std::size_t>(x)]);
    buf.nodes.push_back(src[static_cast<std::size_t>(closing)]);
    buf.edges.insert(buf.edges.end(), path.begin(), path.end());
    buf.edges.push_back(closing);
    return stop.add_cycle();
  });
}

Status finish_status(const Stop& stop, const CycleOptions& o, std::size_t count, Clock::time_point began) {
  const auto n = static_cast<int>(std::min<std::size_t>(count, INT32_MAX));
  Status status;
  if (stop.full) {
    status = Status::make(StatusCode::size_limit,
                          fmt::format("stopped at max_cycles = {} cycles; the result is partial", o.max_cycles), n);
  } else if (stop.out_of_time) {
    status = Status::make(StatusCode::time_limit,
                          fmt::format("stopped at time_limit = {} s with {} cycles; the result is partial", o.time_limit, count), n);
  } else {
    status = Status::make(StatusCode::converged, fmt::format("{} cycles, search complete", count), n);
  }
  status.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  return status;
}

void start_clock(Stop& stop, const CycleOptions& o, Clock::time_point began) {
  stop.max_cycles = static_cast<std::size_t>(o.max_cycles);
  stop.timed = o.time_limit > 0;
  stop.deadline = began + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.time_limit));
}

// Counts per thread, summed at the end: integer sums, so the same on any thread count.
CycleCounts count_cycles(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts) {
  const auto began = Clock::now();
  Stop stop;
  start_clock(stop, o, began);
  const std::size_t m = g.n_edges(), n = g.n_nodes();
  struct Tally {
    std::vector<std::int64_t> through, closing, nodes;
    std::int64_t total = 0;
  };
  tbb::enumerable_thread_specific<Tally> tallies([m, n] {
    return Tally{std::vector<std::int64_t>(m, 0), std::vector<std::int64_t>(m, 0), std::vector<std::int64_t>(n, 0), 0};
  });
  const auto src = g.src();
  std::atomic<std::size_t> kept{0};
  temporal_search(g, o, starts, stop, 256, [&](std::size_t, const std::vector<std::int32_t>& path, std::int32_t closing) {
    std::size_t rank = 0;  // this cycle's place in the count, against the cap
    if (o.max_cycles > 0 && (rank = kept.fetch_add(1)) >= static_cast<std::size_t>(o.max_cycles)) {
      stop.full = true;
      stop.stopped = true;
      return true;  // over the cap: not counted
    }
    Tally& t = tallies.local();
    for (std::int32_t x : path) {
      ++t.through[static_cast<std::size_t>(x)];
      ++t.nodes[static_cast<std::size_t>(src[static_cast<std::size_t>(x)])];
    }
    ++t.through[static_cast<std::size_t>(closing)];
    ++t.nodes[static_cast<std::size_t>(src[static_cast<std::size_t>(closing)])];
    ++t.closing[static_cast<std::size_t>(closing)];
    ++t.total;
    if (o.max_cycles > 0 && rank + 1 == static_cast<std::size_t>(o.max_cycles)) {  // as add_cycle: the cap reached
      stop.full = true;
      stop.stopped = true;
      return true;
    }
    return false;
  });
  CycleCounts r;
  r.edge_cycles.assign(m, 0);
  r.closing_cycles.assign(m, 0);
  r.node_cycles.assign(n, 0);
  for (const Tally& t : tallies) {
    for (std::size_t e = 0; e < m; ++e) {
      r.edge_cycles[e] += t.through[e];
      r.closing_cycles[e] += t.closing[e];
    }
    for (std::size_t v = 0; v < n; ++v) r.node_cycles[v] += t.nodes[v];
    r.total += t.total;
  }
  r.status = finish_status(stop, o, static_cast<std::size_t>(r.total), began);
  return r;
}

CycleResult run_search(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts,
                       std::int32_t min_edge_id) {
  const auto began = Clock::now();
  Stop stop;
  start_clock(stop, o, began);
  const std::size_t n_starts = o.window ? (starts.empty() ? g.n_edges() : starts.size()) : g.n_nodes();
  const std::size_t chunk = 256;
  std::vector<Buffer> buffers(chunk_count(n_starts, chunk));
  if (o.window) search_cycles(g, o, starts, min_edge_id, stop, buffers, chunk);
  else static_search(g, o, stop, buffers, chunk);
  CycleResult r;
  std::size_t total = 0;
  for (const Buffer& b : buffers) total += b.lengths.size();
  r.offsets.reserve(total + 1);
  for (const Buffer& b : buffers) {
    for (std::size_t len : b.lengths) r.offsets.push_back(r.offsets.back() + static_cast<std::int64_t>(len));
    r.nodes.insert(r.nodes.end(), b.nodes.begin(), b.nodes.end());
    r.edges.insert(r.edges.end(), b.edges.begin(), b.edges.end());
  }
  if (o.max_cycles > 0 && r.count() > static_cast<std::size_t>(o.max_cycles)) {
    r.offsets.resize(static_cast<std::size_t>(o.max_cycles) + 1);
    r.nodes.resize(static_cast<std::size_t>(r.offsets.back()));
    if (!r.edges.empty()) r.edges.resize(static_cast<std::size_t>(r.offsets.back()));
  }
  r.status = finish_status(stop, o, r.count(), began);
  return r;
}

}  // namespace

void CycleOptions::validate() const {
  check::integer_at_least("max_length", max_length, 1);
  if (max_length > 64) check::fail("max_length", fmt::format("expected at most 64, got {}", max_length));
  check::integer_at_least("min_length", min_length, 1);
  if (min_length > max_length) {
    throw InvalidArgument(fmt::format("arguments 'min_length' and 'max_length': expected min_length <= max_length, got {} and {}",
                                      min_length, max_length));
  }
  if (!(amount_tolerance >= 0 && amount_tolerance < 1)) {
    check::fail("amount_tolerance", fmt::format("expected a value in [0, 1), got {}", amount_tolerance));
  }
  check::in_closed_range("min_returned_share", min_returned_share, 0.0, 1.0);
  if (!window && amount_tolerance > 0) check::fail("amount_tolerance", "amounts are followed hop by hop only with a time window");
  if (!window && min_returned_share > 0) check::fail("min_returned_share", "needs a time window (cycles of transfers)");
  for (std::int32_t v : exclude) check::integer_at_least("exclude", v, 0);
  if (window && *window < 0) check::fail("window", fmt::format("expected a non-negative window, got {}", *window));
  check::integer_at_least("max_cycles", max_cycles, 0);
  check::non_negative("time_limit", time_limit);
  check::finite("time_limit", time_limit);
}

CycleResult temporal_cycles(const TransactionGraph& g, const CycleOptions& o) {
  o.validate();
  return run_search(g, o, {}, 0);
}

CycleCounts temporal_cycle_counts(const TransactionGraph& g, const CycleOptions& o) {
  o.validate();
  if (!o.window) check::fail("window", "cycle counts need a time window (time-respecting cycles)");
  // start edges payer by payer, in time order: consecutive starts share the payer's lists and
  // labels' neighbourhood in cache (a count does not depend on the order)
  std::vector<std::int32_t> by_payer;
  by_payer.reserve(g.n_edges());
  for (std::size_t v = 0; v < g.n_nodes(); ++v) {
    const auto outs = g.out_edges(v);
    by_payer.insert(by_payer.end(), outs.begin(), outs.end());
  }
  return count_cycles(g, o, by_payer);
}

AlertList cycle_alerts(const TransactionGraph& g, const CycleResult& cycles) {
  AlertList out;
  if (cycles.edges.empty()) return out;
  check::same_size("cycles.edges", cycles.edges.size(), "cycles.nodes", cycles.nodes.size());
  const auto amount = g.amount();
  for (std::size_t k = 0; k < cycles.count(); ++k) {
    const auto a = static_cast<std::size_t>(cycles.offsets[k]), b = static_cast<std::size_t>(cycles.offsets[k + 1]);
    std::vector<std::int32_t> witness(cycles.edges.begin() + static_cast<std::ptrdiff_t>(a),
                                      cycles.edges.begin() + static_cast<std::ptrdiff_t>(b));
    for (std::int32_t e : witness) {
      if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("cycles", fmt::format("edge {} outside the graph", e));
    }
    const double first = amount[static_cast<std::size_t>(witness.front())], last = amount[static_cast<std::size_t>(witness.back())];
    // the share of the first amount that came back, at most 1 (more coming back is not money passing through)
    const double share = first > 0 ? std::min(1.0, last / first) : 0.0;
    out.add(g, Typology::cycle, cycles.nodes[a], std::move(witness), share,
            fmt::format("{} transfers back to the payer, {:.0f}% of the first amount returned", b - a, 100 * share));
  }
  return out;
}

namespace detail {

CycleResult temporal_cycles_from(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> start_edges,
                                 std::int32_t min_edge_id) {
  o.validate();
  if (!o.window) check::fail("window", "a search from given start edges needs a window");
  for (std::int32_t e : start_edges) {
    if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("start_edges", fmt::format("edge id {} out of range", e));
  }
  if (start_edges.empty()) {
    CycleResult r;
    r.status = Status::make(StatusCode::converged, "no start edges");
    return r;
  }
  return run_search(g, o, start_edges, min_edge_id);
}

CycleCounts temporal_cycle_counts_from(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> start_edges) {
  o.validate();
  if (!o.window) check::fail("window", "cycle counts need a time window (time-respecting cycles)");
  for (std::int32_t e : start_edges) {
    if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("start_edges", fmt::format("edge id {} out of range", e));
  }
  if (start_edges.empty()) {
    CycleCounts r;
    r.edge_cycles.assign(g.n_edges(), 0);
    r.closing_cycles.assign(g.n_edges(), 0);
    r.node_cycles.assign(g.n_nodes(), 0);
    r.status = Status::make(StatusCode::converged, "no start edges");
    return r;
  }
  return count_cycles(g, o, start_edges);
}

StartCandidates cycle_start_candidates(const TransactionGraph& g, std::span<const std::int32_t> edges,
                                       std::int64_t window, int max_length, std::span<const std::int32_t> excluded,
                                       double time_limit) {
  check::non_negative("window", static_cast<double>(window));
  check::integer_at_least("max_length", max_length, 1);
  check::non_negative("time_limit", time_limit);
  if (!excluded.empty()) check::same_size("excluded", excluded.size(), "n_nodes", g.n_nodes());
  const auto src = g.src();
  const auto ts = g.timestamp();
  const auto is_excluded = [&](std::int32_t v) { return !excluded.empty() && excluded[static_cast<std::size_t>(v)] != 0; };
  const auto started = std::chrono::steady_clock::now();
  StartCandidates result;
  std::vector<std::int32_t>& found = result.edges;
  found.assign(edges.begin(), edges.end());
  // Walk back from each payer: in-edges earlier than the current bound but within the window of
  // the new edge, for at most max_length − 1 hops. `latest` prunes revisits that cannot reach further.
  struct Item {
    std::int32_t node;
    std::int64_t before;
    int hops;
    std::int64_t floor;
  };
  std::unordered_map<std::int32_t, Item> latest;
  std::vector<Item> frontier;
  for (std::int32_t e : edges) {
    if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("edges", fmt::format("edge id {} out of range", e));
    const auto t = ts[static_cast<std::size_t>(e)];
    frontier.push_back({src[static_cast<std::size_t>(e)], t, 0, t - window});
  }
  std::size_t steps = 0;
  while (!frontier.empty()) {
    if (time_limit > 0 && (++steps & 1023U) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > time_limit) {
      result.truncated = true;
      break;
    }
    const Item it = frontier.back();
    frontier.pop_back();
    if (it.hops >= max_length - 1 || is_excluded(it.node)) continue;
    auto [pos, inserted] = latest.try_emplace(it.node, it);
    if (!inserted) {
      const Item& seen = pos->second;  // a visit that reaches everything this one can
      if (seen.before >= it.before && seen.hops <= it.hops && seen.floor <= it.floor) continue;
      pos->second = it;
    }
    // in-edges are in time order: start at the window's floor (a busy account has thousands before it)
    const auto in = g.in_edges(static_cast<std::size_t>(it.node));
    auto first = std::partition_point(in.begin(), in.end(),
                                      [&](std::int32_t e) { return ts[static_cast<std::size_t>(e)] < it.floor; });
    for (auto k = first; k != in.end(); ++k) {
      const auto t = ts[static_cast<std::size_t>(*k)];
      if (t >= it.before) break;
      found.push_back(*k);
      frontier.push_back({src[static_cast<std::size_t>(*k)], t, it.hops + 1, it.floor});
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return result;
}

}  // namespace detail

}  // namespace bankquant::graph
