#include <algorithm>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/typologies.hpp"

namespace bankquant::graph {
namespace {

using Edges = std::vector<std::int32_t>;

// Where the search looks: the streaming update keeps alerts that hold a new edge and ignores
// transfers long before the batch.
struct Scope {
  std::int32_t min_edge_id = 0;
  std::int64_t since = INT64_MIN;
};

// Alerts of one chunk of accounts; chunks are concatenated in order.
struct Sink {
  const TransactionGraph& g;
  const Scope& scope;
  AlertList alerts;
  Edges witness;
  void emit(Typology t, std::int32_t node) {
    if (std::none_of(witness.begin(), witness.end(), [&](std::int32_t e) { return e >= scope.min_edge_id; })) {
      witness.clear();
      return;
    }
    alerts.add(g, t, node, std::move(witness), 0.0, std::string(enum_name(t)));
    witness.clear();
  }
};

// Distinct-value counter over node ids (one per thread, reset by removing what was added).
struct Distinct {
  std::vector<std::int32_t> count;
  std::int32_t distinct = 0;
  explicit Distinct(std::size_t n) : count(n, 0) {}
  void add(std::int32_t v) { distinct += count[static_cast<std::size_t>(v)]++ == 0; }
  void remove(std::int32_t v) { distinct -= --count[static_cast<std::size_t>(v)] == 0; }
};

class Detector {
 public:
  Detector(const TransactionGraph& g, const PatternOptions& o, const Scope& scope)
      : g_(g), o_(o), scope_(scope), src_(g.src()), dst_(g.dst()), ts_(g.timestamp()), amount_(g.amount()) {
    if (o.min_burst > 0 && !ts_.empty()) {
      const auto [lo, hi] = std::minmax_element(ts_.begin(), ts_.end());
      observed_span_ = static_cast<double>(*hi) - static_cast<double>(*lo);
    }
  }

  // Edges of `list` with amount >= min_amount (time order kept).
  void filtered(std::span<const std::int32_t> list, Edges& out) const {
    out.clear();
    // lists are in time order: skip what precedes `since`
    auto it = list.begin();
    if (scope_.since != INT64_MIN) {
      it = std::lower_bound(list.begin(), list.end(), scope_.since, [&](std::int32_t e, std::int64_t x) { return t(e) < x; });
    }
    for (; it != list.end(); ++it) if (amount_[static_cast<std::size_t>(*it)] >= o_.min_amount) out.push_back(*it);
  }
  std::int64_t t(std::int32_t e) const { return ts_[static_cast<std::size_t>(e)]; }
  double amount(std::int32_t e) const { return amount_[static_cast<std::size_t>(e)]; }
  // An account's usual number of transfers per window: its count over the graph's whole time span
  // (not its own active span: an account that does nothing but burst is the signal).
  double usual_per_window(std::size_t count) const {
    return static_cast<double>(count) * static_cast<double>(o_.window) / (observed_span_ + static_cast<double>(o_.window));
  }
  bool bursts(std::size_t in_window, double usual) const {
    return o_.min_burst == 0 || static_cast<double>(in_window) >= o_.min_burst * usual;
  }
  std::int64_t until(std::int64_t from) const { return from > INT64_MAX - o_.window ? INT64_MAX : from + o_.window; }

  // Non-overlapping windows of `edges` (time order) holding >= k distinct counterparties and
  // passing accept(i, j); calls found(i, j) for each window [i, j).
  template <typename Counterparty, typename Found, typename Accept>
  void windows(const Edges& edges, std::int32_t k, Distinct& d, Counterparty cp, Found found, Accept accept) const {
    std::size_t i = 0, j = 0;
    while (i < edges.size()) {
      while (j < edges.size() && t(edges[j]) <= until(t(edges[i]))) d.add(cp(edges[j++]));
      if (d.distinct >= k && accept(i, j)) {
        found(i, j);
        for (std::size_t x = i; x < j; ++x) d.remove(cp(edges[x]));
        i = j;
      } else {
        d.remove(cp(edges[i++]));
      }
    }
    for (std::size_t x = i; x < j; ++x) d.remove(cp(edges[x]));
  }

  void fan(std::int32_t v, bool out, Distinct& d, Edges& buf, Sink& sink) const {
    const auto all = out ? g_.out_edges(static_cast<std::size_t>(v)) : g_.in_edges(static_cast<std::size_t>(v));
    filtered(all, buf);
    auto cp = [&](std::int32_t e) { return out ? dst_[static_cast<std::size_t>(e)] : src_[static_cast<std::size_t>(e)]; };
    const double usual = usual_per_window(all.size());
    windows(
        buf, o_.min_counterparties, d, cp,
        [&](std::size_t i, std::size_t j) {
          sink.witness.assign(buf.begin() + static_cast<std::ptrdiff_t>(i), buf.begin() + static_cast<std::ptrdiff_t>(j));
          sink.emit(out ? Typology::fan_out : Typology::fan_in, v);
        },
        [&](std::size_t i, std::size_t j) { return bursts(j - i, usual); });
  }

  void structuring(std::int32_t v, Edges& buf, Sink& sink) const {
    filtered(g_.out_edges(static_cast<std::size_t>(v)), buf);
    const double lo = o_.reporting_threshold * (1 - o_.structuring_margin);
    std::erase_if(buf, [&](std::int32_t e) { return amount(e) < lo || amount(e) >= o_.reporting_threshold; });
    // count transfers, not counterparties: each edge is its own "counterparty"
    std::size_t i = 0, j = 0;
    while (i < buf.size()) {
      while (j < buf.size() && t(buf[j]) <= until(t(buf[i]))) ++j;
      if (static_cast<std::int32_t>(j - i) >= o_.min_structuring_count) {
        sink.witness.assign(buf.begin() + static_cast<std::ptrdiff_t>(i), buf.begin() + static_cast<std::ptrdiff_t>(j));
        sink.emit(Typology::structuring, v);
        i = j;
      } else {
        ++i;
      }
    }
  }

  void pass_through(std::int32_t v, Edges& in, Edges& out, std::vector<char>& used, Sink& sink) const {
    filtered(g_.in_edges(static_cast<std::size_t>(v)), in);
    filtered(g_.out_edges(static_cast<std::size_t>(v)), out);
    if (in.empty() || out.empty()) return;
    used.assign(out.size(), 0);
    std::size_t first = 0;
    for (std::int32_t e : in) {
      const double a = amount(e);
      if (!(a > 0)) continue;
      while (first < out.size() && t(out[first]) <= t(e)) ++first;
      double sum = 0;
      sink.witness.assign(1, e);
      std::vector<std::size_t> taken;
      for (std::size_t k = first; k < out.size() && t(out[k]) <= until(t(e)) && sum < (1 - o_.amount_tolerance) * a; ++k) {
        if (used[k]) continue;
        sum += amount(out[k]);
        taken.push_back(k);
        sink.witness.push_back(out[k]);
      }
      if (sum >= (1 - o_.amount_tolerance) * a && sum <= (1 + o_.amount_tolerance) * a) {
        for (std::size_t k : taken) used[k] = 1;
        sink.emit(Typology::pass_through, v);
      } else {
        sink.witness.clear();
      }
    }
  }

  void gather_scatter(std::int32_t v, Distinct& d, Edges& in, Edges& out, Sink& sink) const {
    filtered(g_.in_edges(static_cast<std::size_t>(v)), in);
    filtered(g_.out_edges(static_cast<std::size_t>(v)), out);
    if (out.empty()) return;
    std::vector<std::pair<std::size_t, std::size_t>> found;
    windows(in, o_.min_counterparties, d, [&](std::int32_t e) { return src_[static_cast<std::size_t>(e)]; },
            [&](std::size_t i, std::size_t j) { found.emplace_back(i, j); },
            [&, usual = usual_per_window(g_.in_degree(static_cast<std::size_t>(v)))](std::size_t i, std::size_t j) {
              return bursts(j - i, usual);
            });
    for (const auto& [i, j] : found) {
      const std::int64_t lo = t(in[i]), hi = until(t(in[j - 1]));
      Edges payments;
      for (std::int32_t e : out) {
        if (t(e) > lo && t(e) <= hi) {
          payments.push_back(e);
          d.add(dst_[static_cast<std::size_t>(e)]);
        }
      }
      const bool alert = d.distinct >= o_.min_counterparties;
      for (std::int32_t e : payments) d.remove(dst_[static_cast<std::size_t>(e)]);
      if (!alert) continue;
      sink.witness.assign(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(j));
      sink.witness.insert(sink.witness.end(), payments.begin(), payments.end());
      sink.emit(Typology::gather_scatter, v);
    }
  }

  void scatter_gather(std::int32_t s, Distinct& d, Edges& buf, Sink& sink) const {
    struct Hop {
      std::int32_t target, middle, first, second;
      std::int64_t time;
    };
    std::vector<Hop> hops;
    filtered(g_.out_edges(static_cast<std::size_t>(s)), buf);
    for (std::int32_t e1 : buf) {
      const std::int32_t m = dst_[static_cast<std::size_t>(e1)];
      if (m == s) continue;
      const auto outs = g_.out_edges(static_cast<std::size_t>(m));
      auto it = std::upper_bound(outs.begin(), outs.end(), t(e1), [&](std::int64_t x, std::int32_t e) { return x < t(e); });
      for (; it != outs.end() && t(*it) <= until(t(e1)); ++it) {
        const std::int32_t target = dst_[static_cast<std::size_t>(*it)];
        if (target == s || target == m || amount(*it) < o_.min_amount) continue;
        hops.push_back({target, m, e1, *it, t(e1)});
      }
    }
    std::sort(hops.begin(), hops.end(), [](const Hop& a, const Hop& b) {
      return std::tie(a.target, a.time, a.first, a.second) < std::tie(b.target, b.time, b.first, b.second);
    });
    for (std::size_t b = 0; b < hops.size();) {
      std::size_t e = b;
      while (e < hops.size() && hops[e].target == hops[b].target) ++e;
      // windows over first-hop times within this target's group
      std::size_t i = b, j = b;
      while (i < e) {
        while (j < e && hops[j].time <= until(hops[i].time)) d.add(hops[j++].middle);
        if (d.distinct >= o_.min_counterparties) {
          sink.witness.clear();
          for (std::size_t x = i; x < j; ++x) {
            sink.witness.push_back(hops[x].first);
            sink.witness.push_back(hops[x].second);
            d.remove(hops[x].middle);
          }
          sink.emit(Typology::scatter_gather, s);
          i = j;
        } else {
          d.remove(hops[i++].middle);
        }
      }
      for (std::size_t x = i; x < j; ++x) d.remove(hops[x].middle);
      b = e;
    }
  }

  // Edges that `x` may continue in a layering chain: earlier receipts of its payer within Δ whose
  // amount it forwards (between 1 − tolerance and 100%).
  void chain_predecessors(std::int32_t x, Edges& out) const {
    out.clear();
    const auto xi = static_cast<std::size_t>(x);
    const double a = amount(x);
    if (a < o_.min_amount || !(a > 0)) return;
    const std::int64_t lo = t(x) < INT64_MIN + o_.window ? INT64_MIN : t(x) - o_.window;
    for (std::int32_t p : g_.in_edges(static_cast<std::size_t>(src_[xi]))) {
      if (t(p) >= t(x)) break;
      if (t(p) < lo || src_[static_cast<std::size_t>(p)] == dst_[xi]) continue;
      if (a <= amount(p) && a >= (1 - o_.amount_tolerance) * amount(p)) out.push_back(p);
    }
  }

  // Layering chains: the longest chain ending at each edge, over the sparse "forwards" relation.
  // In a streaming update (min_edge_id > 0) only chains ending at new edges are evaluated, and
  // only the edges they reach back to are visited.
  void stacks(AlertList& out) const {
    const std::size_t m = g_.n_edges();
    const bool streaming = scope_.min_edge_id > 0;
    // Batch: predecessor lists for every edge, found in parallel. Streaming: only the edges that
    // chains ending at new edges reach back to, in hash maps (the graph may be far larger).
    std::vector<Edges> all_preds;
    std::unordered_map<std::int32_t, Edges> some_preds;
    if (!streaming) {
      all_preds.resize(m);
      parallel_for_chunks(m, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
        for (std::size_t x = b; x < e; ++x) chain_predecessors(static_cast<std::int32_t>(x), all_preds[x]);
      });
    }
    auto preds_of = [&](std::int32_t x) -> const Edges& {
      if (!streaming) return all_preds[static_cast<std::size_t>(x)];
      auto [it, fresh] = some_preds.try_emplace(x);
      if (fresh) chain_predecessors(x, it->second);
      return it->second;
    };
    const auto first = static_cast<std::size_t>(streaming ? scope_.min_edge_id : 0);
    std::unordered_map<std::int32_t, std::pair<std::int32_t, std::int32_t>> some_chain;  // edge -> (length, pred)
    std::vector<std::int32_t> all_length(streaming ? 0 : m, 0), all_pred(streaming ? 0 : m, -1);
    auto length = [&](std::int32_t x) -> std::int32_t {
      if (!streaming) return all_length[static_cast<std::size_t>(x)];
      const auto it = some_chain.find(x);
      return it == some_chain.end() ? 0 : it->second.first;
    };
    auto best_pred = [&](std::int32_t x) -> std::int32_t {
      if (!streaming) return all_pred[static_cast<std::size_t>(x)];
      const auto it = some_chain.find(x);
      return it == some_chain.end() ? -1 : it->second.second;
    };
    std::vector<std::int32_t> stack;
    for (std::size_t x = first; x < m; ++x) {  // memoised depth-first evaluation; predecessors are strictly earlier
      if (length(static_cast<std::int32_t>(x)) > 0) continue;
      stack.push_back(static_cast<std::int32_t>(x));
      while (!stack.empty()) {
        const std::int32_t y = stack.back();
        bool ready = true;
        for (std::int32_t p : preds_of(y)) {
          if (length(p) == 0) {
            stack.push_back(p);
            ready = false;
          }
        }
        if (!ready) continue;
        stack.pop_back();
        if (length(y) > 0) continue;
        std::int32_t best = 1, pred = -1;
        for (std::int32_t p : preds_of(y)) {
          if (length(p) + 1 > best) {
            best = length(p) + 1;
            pred = p;
          }
        }
        if (streaming) some_chain[y] = {best, pred};
        else {
          all_length[static_cast<std::size_t>(y)] = best;
          all_pred[static_cast<std::size_t>(y)] = pred;
        }
      }
    }
    std::vector<char> extended(m - first, 0);
    for (std::size_t x = first; x < m; ++x) {
      const std::int32_t p = best_pred(static_cast<std::int32_t>(x));
      if (p >= static_cast<std::int32_t>(first)) extended[static_cast<std::size_t>(p) - first] = 1;
    }
    Sink sink{g_, scope_, {}, {}};
    for (std::size_t x = first; x < m; ++x) {
      if (extended[x - first] || length(static_cast<std::int32_t>(x)) < o_.min_stack_length) continue;
      for (std::int32_t y = static_cast<std::int32_t>(x); y >= 0; y = best_pred(y)) sink.witness.push_back(y);
      const std::int32_t origin = src_[static_cast<std::size_t>(sink.witness.back())];
      sink.emit(Typology::stack, origin);
    }
    out.append(sink.alerts);
  }

 private:
  const TransactionGraph& g_;
  const PatternOptions& o_;
  const Scope& scope_;
  std::span<const std::int32_t> src_, dst_;
  std::span<const std::int64_t> ts_;
  std::span<const double> amount_;
  double observed_span_ = 0;  // last minus first timestamp of the graph
};

}  // namespace

void PatternOptions::validate() const {
  if (typologies.empty()) check::fail("typologies", "expected at least one typology, got none");
  for (Typology t : typologies) {
    if (!is_pattern_typology(t)) {
      check::fail("typologies", fmt::format("'{}' is not a windowed typology (expected one of fan_in, fan_out, "
                                            "scatter_gather, gather_scatter, stack, pass_through, structuring)",
                                            enum_name(t)));
    }
  }
  if (window <= 0) check::fail("window", fmt::format("expected a positive window, got {}", window));
  check::integer_at_least("min_counterparties", min_counterparties, 2);
  check::integer_at_least("min_stack_length", min_stack_length, 2);
  check::in_closed_range("amount_tolerance", amount_tolerance, 0.0, 1.0);
  check::non_negative("min_amount", min_amount);
  check::finite("min_amount", min_amount);
  check::non_negative("min_burst", min_burst);
  check::finite("min_burst", min_burst);
  check::positive("reporting_threshold", reporting_threshold);
  check::finite("reporting_threshold", reporting_threshold);
  check::in_open_range("structuring_margin", structuring_margin, 0.0, 1.0);
  check::integer_at_least("min_structuring_count", min_structuring_count, 2);
  for (std::int32_t v : exclude) check::integer_at_least("exclude", v, 0);
}

namespace {

PatternResult run_patterns(const TransactionGraph& g, const PatternOptions& o, std::span<const std::int32_t> focal,
                           const Scope& scope) {
  o.validate();
  const std::size_t n = g.n_nodes();
  for (std::int32_t v : focal) {
    if (v < 0 || static_cast<std::size_t>(v) >= n) check::fail("focal_nodes", fmt::format("node {} outside the {} nodes", v, n));
  }
  for (std::int32_t v : o.exclude) {
    if (static_cast<std::size_t>(v) >= n) check::fail("exclude", fmt::format("node {} outside the {} nodes", v, n));
  }
  std::vector<char> wanted(static_cast<std::size_t>(Typology::structuring) + 1, 0);
  for (Typology t : o.typologies) wanted[static_cast<std::size_t>(t)] = 1;
  std::vector<char> excluded(n, 0);
  for (std::int32_t v : o.exclude) excluded[static_cast<std::size_t>(v)] = 1;
  std::vector<std::int32_t> nodes;
  if (focal.empty()) {
    for (std::size_t v = 0; v < n; ++v) if (!excluded[v]) nodes.push_back(static_cast<std::int32_t>(v));
  } else {
    for (std::int32_t v : focal) if (!excluded[static_cast<std::size_t>(v)]) nodes.push_back(v);
  }
  const Detector detector(g, o, scope);
  PatternResult result;
  AlertList& all = result.alerts;
  tbb::enumerable_thread_specific<Distinct> distinct([n] { return Distinct(n); });
  for (std::size_t ti = 0; ti < wanted.size(); ++ti) {
    const auto typology = static_cast<Typology>(ti);
    if (!wanted[ti]) continue;
    if (typology == Typology::stack) {
      detector.stacks(all);
      continue;
    }
    const std::size_t chunk = 512;
    std::vector<AlertList> parts(chunk_count(nodes.size(), chunk));
    parallel_for_chunks(nodes.size(), chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
      Sink sink{g, scope, {}, {}};
      auto& d = distinct.local();
      Edges buf, other;
      std::vector<char> used;
      for (std::size_t k = b; k < e; ++k) {
        const std::int32_t v = nodes[k];
        switch (typology) {
          case Typology::fan_in: detector.fan(v, false, d, buf, sink); break;
          case Typology::fan_out: detector.fan(v, true, d, buf, sink); break;
          case Typology::scatter_gather: detector.scatter_gather(v, d, buf, sink); break;
          case Typology::gather_scatter: detector.gather_scatter(v, d, buf, other, sink); break;
          case Typology::pass_through: detector.pass_through(v, buf, other, used, sink); break;
          case Typology::structuring: detector.structuring(v, buf, sink); break;
          default: break;
        }
      }
      parts[c] = std::move(sink.alerts);
    });
    for (const AlertList& p : parts) all.append(p);
  }
  result.status = Status::make(StatusCode::converged, fmt::format("{} alerts", all.size()));
  return result;
}

}  // namespace

PatternResult detect_patterns(const TransactionGraph& g, const PatternOptions& o) { return run_patterns(g, o, {}, Scope{}); }

namespace detail {

PatternResult detect_patterns_around(const TransactionGraph& g, const PatternOptions& o, std::span<const std::int32_t> focal,
                                     std::int32_t min_edge_id, std::int64_t since) {
  if (focal.empty()) {
    o.validate();
    PatternResult r;
    r.status = Status::make(StatusCode::converged, "no focal accounts");
    return r;
  }
  return run_patterns(g, o, focal, Scope{min_edge_id, since});
}

std::vector<std::int32_t> recent_payers(const TransactionGraph& g, std::span<const std::int32_t> nodes, std::int64_t since) {
  const auto ts = g.timestamp();
  const auto src = g.src();
  std::vector<std::int32_t> out;
  for (std::int32_t v : nodes) {
    if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("nodes", fmt::format("node {} out of range", v));
    const auto in = g.in_edges(static_cast<std::size_t>(v));
    auto it = std::lower_bound(in.begin(), in.end(), since,
                               [&](std::int32_t e, std::int64_t x) { return ts[static_cast<std::size_t>(e)] < x; });
    for (; it != in.end(); ++it) out.push_back(src[static_cast<std::size_t>(*it)]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace detail

}  // namespace bankquant::graph
