#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include <fmt/format.h>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/detail/undirected_graph.hpp"
#include "bankquant/graph/detail/union_find.hpp"

namespace bankquant::graph {
namespace {

using detail::UndirectedGraph;
using detail::UnionFind;

using Index = std::int32_t;
constexpr std::size_t kBatch = 1024;  // nodes whose moves are proposed against one snapshot
constexpr std::size_t kChunk = 128;

// A dense accumulator indexed by community, with the list of entries touched (one per thread).
struct Accumulator {
  std::vector<double> sum;
  std::vector<Index> touched;
  explicit Accumulator(std::size_t n) : sum(n, 0.0) {}
  void add(Index c, double w) {
    if (sum[static_cast<std::size_t>(c)] == 0.0) touched.push_back(c);
    sum[static_cast<std::size_t>(c)] += w;
  }
  void clear() {
    for (Index c : touched) sum[static_cast<std::size_t>(c)] = 0.0;
    touched.clear();
  }
};
// Weights are positive, so sum == 0 marks "not yet touched"; a zero-weight edge is skipped.

struct Objective {
  double gamma_scale;  // γ/(2m) for modularity, γ for CPM: the gain of joining c is k_ic − gamma_scale·w_i·W_c
};

std::vector<Index> random_order(std::size_t n, RandomStream& rng) {
  std::vector<Index> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_int(i)]);
  return order;
}

struct MoveOutcome {
  bool moved = false;      // some node changed community
  bool exhausted = false;  // max_passes ended the moving while nodes still moved
};

// Local moving (both methods).
MoveOutcome move_nodes(const UndirectedGraph& g, const std::vector<double>& w, const Objective& obj, std::vector<Index>& comm,
                RandomStream& rng, int max_passes) {
  const std::size_t n = g.n_nodes();
  std::vector<double> total(n, 0.0);  // W_c
  std::vector<Index> members(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    total[static_cast<std::size_t>(comm[i])] += w[i];
    ++members[static_cast<std::size_t>(comm[i])];
  }
  std::vector<Index> empty;
  for (std::size_t c = n; c-- > 0;) if (members[c] == 0) empty.push_back(static_cast<Index>(c));
  const auto order = random_order(n, rng);
  std::vector<char> active(n, 1), next_active(n, 0);
  std::vector<Index> proposal(kBatch);
  tbb::enumerable_thread_specific<Accumulator> scratch([n] { return Accumulator(n); });
  constexpr Index kAlone = -1;
  MoveOutcome outcome;
  std::vector<Index> batch;
  batch.reserve(n);
  for (int pass = 0; pass < max_passes; ++pass) {
    outcome.exhausted = false;
    batch.clear();
    for (Index v : order) if (active[static_cast<std::size_t>(v)]) batch.push_back(v);
    if (batch.empty()) break;
    std::fill(next_active.begin(), next_active.end(), 0);
    std::size_t moved = 0;
    for (std::size_t start = 0; start < batch.size(); start += kBatch) {
      const std::size_t len = std::min(kBatch, batch.size() - start);
      parallel_for_chunks(len, kChunk, [&](std::size_t, std::size_t b, std::size_t e) {
        auto& acc = scratch.local();
        for (std::size_t k = b; k < e; ++k) {
          const auto v = static_cast<std::size_t>(batch[start + k]);
          const auto nb = g.neighbours(v);
          const auto wt = g.weights(v);
          for (std::size_t j = 0; j < nb.size(); ++j) if (wt[j] > 0) acc.add(comm[static_cast<std::size_t>(nb[j])], wt[j]);
          const Index own = comm[v];
          Index best = own;
          double best_gain = acc.sum[static_cast<std::size_t>(own)] - obj.gamma_scale * w[v] * (total[static_cast<std::size_t>(own)] - w[v]);
          for (Index c : acc.touched) {
            if (c == own) continue;
            const double gain = acc.sum[static_cast<std::size_t>(c)] - obj.gamma_scale * w[v] * total[static_cast<std::size_t>(c)];
            if (gain > best_gain) {
              best_gain = gain;
              best = c;
            }
          }
          if (best_gain < 0 && members[static_cast<std::size_t>(own)] > 1) best = kAlone;  // an empty community gains 0
          proposal[k] = best;
          acc.clear();
        }
      });
      // Apply in order, each move re-checked exactly against the current state.
      for (std::size_t k = 0; k < len; ++k) {
        const auto v = static_cast<std::size_t>(batch[start + k]);
        const Index own = comm[v];
        Index target = proposal[k];
        if (target == own) continue;
        if (target == kAlone && members[static_cast<std::size_t>(own)] == 1) continue;
        const auto nb = g.neighbours(v);
        const auto wt = g.weights(v);
        double k_own = 0, k_target = 0;
        for (std::size_t j = 0; j < nb.size(); ++j) {
          const Index c = comm[static_cast<std::size_t>(nb[j])];
          if (c == own) k_own += wt[j];
          else if (c == target) k_target += wt[j];
        }
        const double gain_own = k_own - obj.gamma_scale * w[v] * (total[static_cast<std::size_t>(own)] - w[v]);
        const double gain_target =
            target == kAlone ? 0.0 : k_target - obj.gamma_scale * w[v] * total[static_cast<std::size_t>(target)];
        const double tolerance = 1e-12 * (std::abs(gain_own) + std::abs(gain_target) + w[v] * obj.gamma_scale);
        if (!(gain_target > gain_own + tolerance)) continue;
        if (target == kAlone) {
          target = empty.back();
          empty.pop_back();
        }
        total[static_cast<std::size_t>(own)] -= w[v];
        total[static_cast<std::size_t>(target)] += w[v];
        if (--members[static_cast<std::size_t>(own)] == 0) empty.push_back(own);
        ++members[static_cast<std::size_t>(target)];
        comm[v] = target;
        ++moved;
        for (std::size_t j = 0; j < nb.size(); ++j) {
          const auto u = static_cast<std::size_t>(nb[j]);
          if (comm[u] != target) next_active[u] = 1;
        }
      }
    }
    if (moved == 0) break;
    outcome.moved = true;
    outcome.exhausted = pass + 1 == max_passes;
    active.swap(next_active);
  }
  return outcome;
}

// Renumbers labels to 0..k−1 in order of first node; returns k.
Index renumber(std::vector<Index>& labels) {
  std::vector<Index> map(labels.size(), -1);
  Index next = 0;
  for (auto& l : labels) {
    auto& m = map[static_cast<std::size_t>(l)];
    if (m < 0) m = next++;
    l = m;
  }
  return next;
}

// Members of each of k groups, in node order (CSR).
void group_members(const std::vector<Index>& labels, Index k, std::vector<std::size_t>& offsets, std::vector<Index>& members) {
  offsets.assign(static_cast<std::size_t>(k) + 1, 0);
  for (Index l : labels) ++offsets[static_cast<std::size_t>(l) + 1];
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  members.resize(labels.size());
  std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
  for (std::size_t v = 0; v < labels.size(); ++v) members[cursor[static_cast<std::size_t>(labels[v])]++] = static_cast<Index>(v);
}

// Leiden's refinement: within each community, singletons merge into well-connected sub-communities,
// chosen at random with probability ∝ exp(gain/θ). Returns the refined labels (node ids of the level).
std::vector<Index> refine(const UndirectedGraph& g, const std::vector<double>& w, const Objective& obj,
                          const std::vector<Index>& comm, std::uint64_t seed, std::uint64_t stream_base, double theta) {
  const std::size_t n = g.n_nodes();
  std::vector<Index> part(comm.begin(), comm.end());
  const Index k = renumber(part);
  std::vector<std::size_t> offsets;
  std::vector<Index> members;
  group_members(part, k, offsets, members);
  std::vector<Index> refined(n);
  std::iota(refined.begin(), refined.end(), 0);
  // Per-node state of sub-communities; a node belongs to one community, so tasks never share entries.
  std::vector<double> sub_total(w), sub_external(n, 0.0), acc(n, 0.0), node_external(n, 0.0);
  std::vector<Index> sub_size(n, 1);
  parallel_for_chunks(static_cast<std::size_t>(k), 64, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<Index> touched;
    std::vector<double> probability;
    for (std::size_t c = b; c < e; ++c) {
      const std::size_t first = offsets[c], last = offsets[c + 1];
      if (last - first < 2) continue;
      double community_total = 0;
      for (std::size_t i = first; i < last; ++i) {
        const auto v = static_cast<std::size_t>(members[i]);
        community_total += w[v];
        double ext = 0;
        const auto nb = g.neighbours(v);
        const auto wt = g.weights(v);
        for (std::size_t j = 0; j < nb.size(); ++j) if (part[static_cast<std::size_t>(nb[j])] == static_cast<Index>(c)) ext += wt[j];
        node_external[v] = sub_external[v] = ext;
      }
      RandomStream rng(seed, stream_base + c);
      std::vector<Index> order(members.begin() + static_cast<std::ptrdiff_t>(first), members.begin() + static_cast<std::ptrdiff_t>(last));
      for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.uniform_int(i)]);
      for (Index vi : order) {
        const auto v = static_cast<std::size_t>(vi);
        if (sub_size[static_cast<std::size_t>(refined[v])] != 1) continue;  // only singletons move
        if (node_external[v] < obj.gamma_scale * w[v] * (community_total - w[v])) continue;  // v not well connected
        const auto nb = g.neighbours(v);
        const auto wt = g.weights(v);
        for (std::size_t j = 0; j < nb.size(); ++j) {
          const auto u = static_cast<std::size_t>(nb[j]);
          if (part[u] != static_cast<Index>(c) || !(wt[j] > 0)) continue;
          const Index r = refined[u];
          if (acc[static_cast<std::size_t>(r)] == 0.0) touched.push_back(r);
          acc[static_cast<std::size_t>(r)] += wt[j];
        }
        const Index own = refined[v];
        // Candidates: staying alone (gain 0) and each well-connected neighbouring sub-community with gain >= 0.
        double best = 0;
        for (Index r : touched) {
          const auto ri = static_cast<std::size_t>(r);
          if (r == own || sub_external[ri] < obj.gamma_scale * sub_total[ri] * (community_total - sub_total[ri])) continue;
          best = std::max(best, acc[ri] - obj.gamma_scale * w[v] * sub_total[ri]);
        }
        probability.assign(touched.size() + 1, 0.0);
        double sum = probability[touched.size()] = std::exp((0.0 - best) / theta);
        for (std::size_t t = 0; t < touched.size(); ++t) {
          const auto ri = static_cast<std::size_t>(touched[t]);
          if (touched[t] == own || sub_external[ri] < obj.gamma_scale * sub_total[ri] * (community_total - sub_total[ri])) continue;
          const double gain = acc[ri] - obj.gamma_scale * w[v] * sub_total[ri];
          if (gain < 0) continue;
          sum += probability[t] = std::exp((gain - best) / theta);
        }
        double u = rng.uniform() * sum;
        std::size_t chosen = touched.size();
        for (std::size_t t = 0; t < touched.size(); ++t) {
          if (probability[t] <= 0) continue;
          if (u < probability[t]) {
            chosen = t;
            break;
          }
          u -= probability[t];
        }
        if (chosen < touched.size()) {
          const Index r = touched[chosen];
          const auto ri = static_cast<std::size_t>(r);
          sub_external[ri] += node_external[v] - 2 * acc[ri];
          sub_total[ri] += w[v];
          ++sub_size[ri];
          sub_size[static_cast<std::size_t>(own)] = 0;
          refined[v] = r;
        }
        for (Index r : touched) acc[static_cast<std::size_t>(r)] = 0.0;
        touched.clear();
      }
    }
  });
  return refined;
}

// Contracts each group of `part` (0..k−1) into one node; node weights add up.
UndirectedGraph aggregate(const UndirectedGraph& g, const std::vector<Index>& part, Index k) {
  std::vector<std::size_t> offsets;
  std::vector<Index> members;
  group_members(part, k, offsets, members);
  const auto kk = static_cast<std::size_t>(k);
  std::vector<std::vector<std::pair<Index, double>>> rows(kk);
  std::vector<double> loops(kk, 0.0);
  tbb::enumerable_thread_specific<Accumulator> scratch([kk] { return Accumulator(kk); });
  parallel_for_chunks(kk, 256, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& acc = scratch.local();
    for (std::size_t c = b; c < e; ++c) {
      double inside = 0, loop = 0;
      for (std::size_t i = offsets[c]; i < offsets[c + 1]; ++i) {
        const auto v = static_cast<std::size_t>(members[i]);
        loop += g.loop(v);
        const auto nb = g.neighbours(v);
        const auto wt = g.weights(v);
        for (std::size_t j = 0; j < nb.size(); ++j) {
          const Index p = part[static_cast<std::size_t>(nb[j])];
          if (p == static_cast<Index>(c)) inside += wt[j];
          else if (wt[j] > 0) acc.add(p, wt[j]);
        }
      }
      loops[c] = loop + inside / 2;
      auto& row = rows[c];
      row.reserve(acc.touched.size());
      for (Index p : acc.touched) row.emplace_back(p, acc.sum[static_cast<std::size_t>(p)]);
      std::sort(row.begin(), row.end());
      acc.clear();
    }
  });
  std::vector<std::size_t> out_offsets(kk + 1, 0);
  for (std::size_t c = 0; c < kk; ++c) out_offsets[c + 1] = out_offsets[c] + rows[c].size();
  std::vector<Index> neighbours(out_offsets[kk]);
  std::vector<double> weights(out_offsets[kk]);
  parallel_for_chunks(kk, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t c = b; c < e; ++c) {
      std::size_t o = out_offsets[c];
      for (const auto& [p, x] : rows[c]) {
        neighbours[o] = p;
        weights[o++] = x;
      }
    }
  });
  return UndirectedGraph::from_sorted(kk, std::move(out_offsets), std::move(neighbours), std::move(weights), std::move(loops));
}

// Splits every community into its connected components (never lowers modularity or CPM).
std::vector<Index> split_disconnected(const UndirectedGraph& g, const std::vector<Index>& labels) {
  UnionFind sets(g.n_nodes());
  for (std::size_t v = 0; v < g.n_nodes(); ++v) {
    for (Index u : g.neighbours(v)) {
      if (static_cast<std::size_t>(u) > v && labels[static_cast<std::size_t>(u)] == labels[v]) sets.unite(static_cast<Index>(v), u);
    }
  }
  return sets.labels();
}

struct Totals {
  std::vector<double> inside, degree, size;
};

Totals community_totals(const UndirectedGraph& g, std::span<const Index> labels) {
  Index k = 0;
  for (Index l : labels) {
    check::integer_at_least("labels", l, 0);
    k = std::max(k, l + 1);
  }
  Totals t{std::vector<double>(static_cast<std::size_t>(k), 0.0), std::vector<double>(static_cast<std::size_t>(k), 0.0),
           std::vector<double>(static_cast<std::size_t>(k), 0.0)};
  for (std::size_t v = 0; v < g.n_nodes(); ++v) {
    const auto c = static_cast<std::size_t>(labels[v]);
    t.degree[c] += g.degree(v);
    t.size[c] += 1;
    t.inside[c] += g.loop(v);
    const auto nb = g.neighbours(v);
    const auto wt = g.weights(v);
    for (std::size_t j = 0; j < nb.size(); ++j) if (labels[static_cast<std::size_t>(nb[j])] == labels[v]) t.inside[c] += wt[j] / 2;
  }
  return t;
}

}  // namespace

void CommunityOptions::validate() const {
  check::positive("resolution", resolution);
  check::finite("resolution", resolution);
  check::integer_at_least("max_levels", max_levels, 1);
  check::integer_at_least("max_passes", max_passes, 1);
  check::positive("randomness", randomness);
  check::finite("randomness", randomness);
}

namespace {

double modularity_of(const UndirectedGraph& g, std::span<const Index> labels, double resolution) {
  check::same_size("labels", labels.size(), "nodes", g.n_nodes());
  const double m = g.total_weight();
  if (!(m > 0)) check::fail("graph", "modularity needs at least one edge of positive weight");
  const auto t = community_totals(g, labels);
  double q = 0;
  for (std::size_t c = 0; c < t.inside.size(); ++c) q += t.inside[c] / m - resolution * (t.degree[c] / (2 * m)) * (t.degree[c] / (2 * m));
  return q;
}

double cpm_of(const UndirectedGraph& g, std::span<const Index> labels, double resolution) {
  check::same_size("labels", labels.size(), "nodes", g.n_nodes());
  const auto t = community_totals(g, labels);
  double q = 0;
  for (std::size_t c = 0; c < t.inside.size(); ++c) q += t.inside[c] - resolution * t.size[c] * (t.size[c] - 1) / 2;
  return q;
}

CommunityResult communities_of(const UndirectedGraph& graph, const CommunityOptions& o) {
  const std::size_t n0 = graph.n_nodes();
  check::not_empty("graph", n0);
  const double m = graph.total_weight();
  if (o.objective == CommunityObjective::modularity && !(m > 0)) check::fail("graph", "modularity needs at least one edge of positive weight");
  const bool modularity_objective = o.objective == CommunityObjective::modularity;
  const Objective obj{modularity_objective ? o.resolution / (2 * m) : o.resolution};
  std::vector<double> w(n0);
  for (std::size_t v = 0; v < n0; ++v) w[v] = modularity_objective ? graph.degree(v) : 1.0;
  // θ is relative to the mean weight of a link, so amount-weighted graphs get the same randomness
  std::size_t links = 0;
  double link_weight = 0;
  for (std::size_t v = 0; v < n0; ++v) {
    links += graph.neighbours(v).size();
    for (double x : graph.weights(v)) link_weight += x;
  }
  const double theta = o.randomness * (links > 0 && link_weight > 0 ? link_weight / static_cast<double>(links) : 1.0);

  std::vector<Index> node_of(n0);  // original node -> node of the current level
  std::iota(node_of.begin(), node_of.end(), 0);
  std::vector<Index> comm(n0);
  std::iota(comm.begin(), comm.end(), 0);
  UndirectedGraph level_graph;
  const UndirectedGraph* g = &graph;
  CommunityResult r;
  RandomStream rng(o.seed, 0);
  bool exhausted = false, settled = false;
  for (int level = 0; level < o.max_levels; ++level) {
    r.levels = level + 1;
    exhausted = move_nodes(*g, w, obj, comm, rng, o.max_passes).exhausted || exhausted;
    std::vector<Index> counted(comm);
    const Index k_comm = renumber(counted);
    if (static_cast<std::size_t>(k_comm) == g->n_nodes()) {  // every community is one node: done
      settled = true;
      break;
    }
    std::vector<Index> part = o.method == CommunityMethod::leiden
                                  ? refine(*g, w, obj, comm, o.seed, (static_cast<std::uint64_t>(level) + 1) << 32, theta)
                                  : comm;
    const Index k = renumber(part);
    std::vector<Index> next_comm(static_cast<std::size_t>(k));
    std::vector<double> next_w(static_cast<std::size_t>(k), 0.0);
    for (std::size_t v = 0; v < g->n_nodes(); ++v) {
      next_comm[static_cast<std::size_t>(part[v])] = counted[v];
      next_w[static_cast<std::size_t>(part[v])] += w[v];
    }
    for (auto& x : node_of) x = part[static_cast<std::size_t>(x)];
    level_graph = aggregate(*g, part, k);
    g = &level_graph;
    w.swap(next_w);
    comm.swap(next_comm);
  }
  std::vector<Index> labels(n0);
  for (std::size_t v = 0; v < n0; ++v) labels[v] = comm[static_cast<std::size_t>(node_of[v])];
  // Multilevel refinement (Rotta & Noack 2011): one more round of local moving of the original
  // nodes from the final partition, which lets single nodes leave a community they were merged into early.
  if (r.levels > 1) {
    w.resize(n0);
    for (std::size_t v = 0; v < n0; ++v) w[v] = modularity_objective ? graph.degree(v) : 1.0;
    exhausted = move_nodes(graph, w, obj, labels, rng, o.max_passes).exhausted || exhausted;
  }
  r.labels = split_disconnected(graph, labels);
  r.n_communities = r.labels.empty() ? 0 : *std::max_element(r.labels.begin(), r.labels.end()) + 1;
  r.modularity = m > 0 ? modularity_of(graph, r.labels, 1.0) : 0.0;
  r.quality = modularity_objective ? modularity_of(graph, r.labels, o.resolution) : cpm_of(graph, r.labels, o.resolution);
  if (exhausted) {
    r.status = Status::make(StatusCode::iteration_limit,
                            fmt::format("local moving still moved nodes after max_passes = {} passes", o.max_passes), r.levels);
  } else if (!settled && r.levels == o.max_levels) {
    r.status = Status::make(StatusCode::iteration_limit,
                            fmt::format("still aggregating after max_levels = {} levels", o.max_levels), r.levels);
  } else {
    r.status = Status::make(StatusCode::converged, fmt::format("converged after {} levels", r.levels), r.levels);
  }
  return r;
}

}  // namespace

CommunityResult detect_communities(const TransactionGraph& g, const CommunityOptions& o) {
  o.validate();
  return communities_of(UndirectedGraph::from(g, o.weighted), o);
}

double modularity(const TransactionGraph& g, std::span<const std::int32_t> labels, double resolution, bool weighted) {
  check::positive("resolution", resolution);
  check::finite("resolution", resolution);
  return modularity_of(UndirectedGraph::from(g, weighted), labels, resolution);
}

double cpm_quality(const TransactionGraph& g, std::span<const std::int32_t> labels, double resolution, bool weighted) {
  check::positive("resolution", resolution);
  check::finite("resolution", resolution);
  return cpm_of(UndirectedGraph::from(g, weighted), labels, resolution);
}

}  // namespace bankquant::graph
