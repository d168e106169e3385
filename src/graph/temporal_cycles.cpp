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

void temporal_search(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts,
                     std::int32_t min_edge_id, Stop& stop, std::vector<Buffer>& out, std::size_t chunk) {
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
  const std::size_t n_starts = starts.empty() ? g.n_edges() : starts.size();
  parallel_for_chunks(n_starts, chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& on_path = on_path_tls.local();
    Buffer& buf = out[c];
    struct Frame {
      std::int32_t node;
      std::size_t next, end;  // remaining out-edges of node in the time window
    };
    std::vector<Frame> stack;
    std::vector<std::int32_t> path_edges;
    std::size_t steps = 0;
    auto emit = [&](std::int32_t closing) {
      bool fresh = closing >= min_edge_id;
      for (std::int32_t x : path_edges) fresh = fresh || x >= min_edge_id;
      if (!fresh) return false;
      buf.lengths.push_back(path_edges.size() + 1);
      for (std::int32_t x : path_edges) buf.nodes.push_back(src[static_cast<std::size_t>(x)]);
      buf.nodes.push_back(src[static_cast<std::size_t>(closing)]);
      buf.edges.insert(buf.edges.end(), path_edges.begin(), path_edges.end());
      buf.edges.push_back(closing);
      return stop.add_cycle();
    };
    for (std::size_t k = b; k < e && !stop.stopped; ++k) {
      const auto e0 = starts.empty() ? static_cast<std::int32_t>(k) : starts[k];
      const auto u = static_cast<std::size_t>(src[static_cast<std::size_t>(e0)]);
      const auto v = static_cast<std::size_t>(dst[static_cast<std::size_t>(e0)]);
      const std::int64_t t0 = ts[static_cast<std::size_t>(e0)];
      const std::int64_t deadline = t0 > INT64_MAX - window ? INT64_MAX : t0 + window;
      if (!excluded.empty() && (excluded[u] || excluded[v])) continue;
      if (u == v) {
        path_edges.clear();
        if (min_len <= 1 && e0 >= min_edge_id) {
          buf.lengths.push_back(1);
          buf.nodes.push_back(static_cast<std::int32_t>(u));
          buf.edges.push_back(e0);
          if (stop.add_cycle()) break;
        }
        continue;
      }
      if (max_len < 2) continue;
      auto window_of = [&](std::size_t x, std::int64_t after) {
        const auto outs = g.out_edges(x);
        std::size_t first = first_after(g, outs, after), last = first;
        while (last < outs.size() && ts[static_cast<std::size_t>(outs[last])] <= deadline) ++last;
        return Frame{static_cast<std::int32_t>(x), first, last};
      };
      on_path[u] = on_path[v] = 1;
      path_edges.assign(1, e0);
      stack.assign(1, window_of(v, t0));
      while (!stack.empty()) {
        if ((++steps & 1023) == 0 && stop.check_time()) break;
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
        if (y == u) {
          if (path_edges.size() + 1 >= min_len && returns(e0, edge) && emit(edge)) break;
        } else if (!on_path[y] && path_edges.size() + 1 < max_len && (excluded.empty() || !excluded[y])) {
          on_path[y] = 1;
          path_edges.push_back(edge);
          stack.push_back(window_of(y, ts[static_cast<std::size_t>(edge)]));
        }
      }
      for (const Frame& f : stack) on_path[static_cast<std::size_t>(f.node)] = 0;
      on_path[u] = on_path[v] = 0;
      stack.clear();
    }
  });
}

CycleResult run_search(const TransactionGraph& g, const CycleOptions& o, std::span<const std::int32_t> starts,
                       std::int32_t min_edge_id) {
  const auto began = Clock::now();
  Stop stop;
  stop.max_cycles = static_cast<std::size_t>(o.max_cycles);
  stop.timed = o.time_limit > 0;
  stop.deadline = began + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.time_limit));
  const std::size_t n_starts = o.window ? (starts.empty() ? g.n_edges() : starts.size()) : g.n_nodes();
  const std::size_t chunk = 256;
  std::vector<Buffer> buffers(chunk_count(n_starts, chunk));
  if (o.window) temporal_search(g, o, starts, min_edge_id, stop, buffers, chunk);
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
  const auto n = static_cast<int>(std::min<std::size_t>(r.count(), INT32_MAX));
  if (stop.full) {
    r.status = Status::make(StatusCode::size_limit,
                            fmt::format("stopped at max_cycles = {} cycles; the result is partial", o.max_cycles), n);
  } else if (stop.out_of_time) {
    r.status = Status::make(StatusCode::time_limit,
                            fmt::format("stopped at time_limit = {} s with {} cycles; the result is partial", o.time_limit, r.count()), n);
  } else {
    r.status = Status::make(StatusCode::converged, fmt::format("{} cycles, search complete", r.count()), n);
  }
  r.status.seconds = std::chrono::duration<double>(Clock::now() - began).count();
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

std::vector<std::int32_t> cycle_start_candidates(const TransactionGraph& g, std::span<const std::int32_t> edges,
                                                 std::int64_t window, int max_length) {
  check::non_negative("window", static_cast<double>(window));
  check::integer_at_least("max_length", max_length, 1);
  const auto src = g.src();
  const auto ts = g.timestamp();
  std::vector<std::int32_t> found(edges.begin(), edges.end());
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
  while (!frontier.empty()) {
    const Item it = frontier.back();
    frontier.pop_back();
    if (it.hops >= max_length - 1) continue;
    auto [pos, inserted] = latest.try_emplace(it.node, it);
    if (!inserted) {
      const Item& seen = pos->second;  // a visit that reaches everything this one can
      if (seen.before >= it.before && seen.hops <= it.hops && seen.floor <= it.floor) continue;
      pos->second = it;
    }
    for (std::int32_t in : g.in_edges(static_cast<std::size_t>(it.node))) {
      const auto t = ts[static_cast<std::size_t>(in)];
      if (t >= it.before) break;  // in-edges are in time order
      if (t < it.floor) continue;
      found.push_back(in);
      frontier.push_back({src[static_cast<std::size_t>(in)], t, it.hops + 1, it.floor});
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace detail

}  // namespace bankquant::graph
