#include "bankquant/graph/centrality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/detail/relabel.hpp"

namespace bankquant::graph {
namespace {

// One link per ordered pair (or per unordered pair for `both`), self-loops left out; each link
// weighs its transfers' summed amount (in edge-id order) or 1. Neighbours ascending, in CSR.
struct SimpleView {
  std::vector<std::size_t> offsets;
  std::vector<std::int32_t> neighbours;
  std::vector<double> weights;

  [[nodiscard]] std::size_t n() const { return offsets.size() - 1; }
  [[nodiscard]] std::span<const std::int32_t> of(std::size_t v) const {
    return {neighbours.data() + offsets[v], offsets[v + 1] - offsets[v]};
  }
  [[nodiscard]] std::span<const double> weights_of(std::size_t v) const {
    return {weights.data() + offsets[v], offsets[v + 1] - offsets[v]};
  }
};

SimpleView simple_view(const TransactionGraph& g, Direction direction, bool weighted) {
  const std::size_t n = g.n_nodes();
  const auto src = g.src(), dst = g.dst();
  const auto amount = g.amount();
  std::vector<std::vector<std::pair<std::int32_t, double>>> rows(n);
  parallel_for_chunks(n, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<std::pair<std::int32_t, std::int32_t>> items;  // (neighbour, edge)
    for (std::size_t v = b; v < e; ++v) {
      items.clear();
      if (direction != Direction::in) {
        for (std::int32_t edge : g.out_edges(v)) items.emplace_back(dst[static_cast<std::size_t>(edge)], edge);
      }
      if (direction != Direction::out) {
        for (std::int32_t edge : g.in_edges(v)) items.emplace_back(src[static_cast<std::size_t>(edge)], edge);
      }
      std::sort(items.begin(), items.end());
      auto& row = rows[v];
      for (const auto& [u, edge] : items) {
        if (static_cast<std::size_t>(u) == v) continue;
        const double w = weighted ? amount[static_cast<std::size_t>(edge)] : 1.0;
        if (!row.empty() && row.back().first == u) {
          if (weighted) row.back().second += w;
        } else {
          row.emplace_back(u, w);
        }
      }
    }
  });
  SimpleView s;
  s.offsets.assign(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) s.offsets[v + 1] = s.offsets[v] + rows[v].size();
  s.neighbours.resize(s.offsets[n]);
  s.weights.resize(s.offsets[n]);
  for (std::size_t v = 0; v < n; ++v) {
    std::size_t k = s.offsets[v];
    for (const auto& [u, w] : rows[v]) {
      s.neighbours[k] = u;
      s.weights[k++] = w;
    }
    std::vector<std::pair<std::int32_t, double>>().swap(rows[v]);
  }
  return s;
}

double sum_in_order(std::span<const double> values) {
  double s = 0;
  for (double v : values) s += v;
  return s;
}

Status iteration_status(bool converged, int iterations, int max_iterations) {
  return converged
             ? Status::make(StatusCode::converged, fmt::format("converged in {} iterations", iterations), iterations)
             : Status::make(StatusCode::iteration_limit,
                            fmt::format("no convergence in {} iterations (max_iterations)", max_iterations),
                            max_iterations);
}

// Brandes' single-source step: breadth-first path counts, then dependencies accumulated in
// reverse order into `acc` (the source itself gets nothing). Workspace arrays are left reset.
struct BrandesWorkspace {
  std::vector<std::int32_t> dist, order;
  std::vector<double> sigma, delta;
  explicit BrandesWorkspace(std::size_t n) : dist(n, -1), sigma(n, 0.0), delta(n, 0.0) { order.reserve(n); }

  void accumulate(std::size_t s, const SimpleView& forward, const SimpleView& backward, double* acc) {
    order.clear();
    dist[s] = 0;
    sigma[s] = 1;
    order.push_back(static_cast<std::int32_t>(s));
    for (std::size_t head = 0; head < order.size(); ++head) {
      const auto v = static_cast<std::size_t>(order[head]);
      for (std::int32_t wi : forward.of(v)) {
        const auto w = static_cast<std::size_t>(wi);
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          order.push_back(wi);
        }
        if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (std::size_t i = order.size(); i-- > 1;) {
      const auto w = static_cast<std::size_t>(order[i]);
      const double coeff = (1 + delta[w]) / sigma[w];
      for (std::int32_t vi : backward.of(w)) {
        const auto v = static_cast<std::size_t>(vi);
        if (dist[v] == dist[w] - 1) delta[v] += sigma[v] * coeff;
      }
      acc[w] += delta[w];
    }
    for (std::int32_t vi : order) {
      const auto v = static_cast<std::size_t>(vi);
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
};

}  // namespace

void BetweennessOptions::validate() const { check::integer_at_least("samples", samples, 0); }

BetweennessResult betweenness(const TransactionGraph& g, const BetweennessOptions& o) {
  o.validate();
  const std::size_t n = g.n_nodes();
  const SimpleView forward = simple_view(g, o.directed ? Direction::out : Direction::both, false);
  const SimpleView backward = o.directed ? simple_view(g, Direction::in, false) : SimpleView{};
  const SimpleView& back = o.directed ? backward : forward;
  BetweennessResult r;
  r.sources.resize(n);
  std::iota(r.sources.begin(), r.sources.end(), 0);
  const bool sampled = o.samples > 0 && static_cast<std::size_t>(o.samples) < n;
  if (sampled) {  // partial Fisher-Yates: the first `samples` of a random permutation
    RandomStream rng(o.seed);
    const auto k = static_cast<std::size_t>(o.samples);
    for (std::size_t i = 0; i < k; ++i) std::swap(r.sources[i], r.sources[i + rng.uniform_int(n - i)]);
    r.sources.resize(k);
    std::sort(r.sources.begin(), r.sources.end());
  }
  const std::size_t k = r.sources.size();
  // Sources in fixed chunks; a block of chunks writes one partial vector each (at most ~64 MB in
  // all), added into the total in chunk order.
  constexpr std::size_t kSourcesPerChunk = 8;
  const std::size_t chunks_per_block =
      std::clamp<std::size_t>((std::size_t{1} << 23) / std::max<std::size_t>(n, 1), 1, 64);
  const std::size_t block = chunks_per_block * kSourcesPerChunk;
  std::vector<double> total(n, 0.0), partial;
  for (std::size_t first = 0; first < k; first += block) {
    const std::size_t count = std::min(block, k - first);
    const std::size_t chunks = chunk_count(count, kSourcesPerChunk);
    partial.assign(chunks * n, 0.0);
    parallel_for_chunks(count, kSourcesPerChunk, [&](std::size_t c, std::size_t b, std::size_t e) {
      BrandesWorkspace work(n);
      for (std::size_t i = b; i < e; ++i) {
        work.accumulate(static_cast<std::size_t>(r.sources[first + i]), forward, back, partial.data() + c * n);
      }
    });
    parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t c = 0; c < chunks; ++c) {
        for (std::size_t v = b; v < e; ++v) total[v] += partial[c * n + v];
      }
    });
  }
  // networkx's _rescale, with n / k for samples also when unnormalised
  double scale = 1.0;
  if (o.normalized) {
    if (n > 2) scale = 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2));
  } else if (!o.directed) {
    scale = 0.5;
  }
  if (sampled) scale *= static_cast<double>(n) / static_cast<double>(k);
  for (double& v : total) v *= scale;
  r.scores = std::move(total);
  r.status = Status::make(
      StatusCode::converged,
      sampled ? fmt::format("estimated from {} of {} sources", k, n) : fmt::format("exact, from all {} sources", k),
      static_cast<int>(k));
  return r;
}

std::vector<double> closeness(const TransactionGraph& g, const ClosenessOptions& o) {
  o.validate();
  const std::size_t n = g.n_nodes();
  // distances to the node (in) walk the in-links backwards
  const SimpleView view = simple_view(g, o.direction, false);
  std::vector<double> out(n, 0.0);
  parallel_for_chunks(n, 64, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<std::int32_t> dist(n, -1), queue;
    queue.reserve(n);
    for (std::size_t u = b; u < e; ++u) {
      queue.assign(1, static_cast<std::int32_t>(u));
      dist[u] = 0;
      double total = 0;
      for (std::size_t head = 0; head < queue.size(); ++head) {
        const auto v = static_cast<std::size_t>(queue[head]);
        total += dist[v];
        for (std::int32_t wi : view.of(v)) {
          const auto w = static_cast<std::size_t>(wi);
          if (dist[w] < 0) {
            dist[w] = dist[v] + 1;
            queue.push_back(wi);
          }
        }
      }
      const double reached = static_cast<double>(queue.size());
      if (total > 0 && n > 1) {
        out[u] = (reached - 1.0) / total;
        if (o.wf_improved) out[u] *= (reached - 1.0) / static_cast<double>(n - 1);
      }
      for (std::int32_t v : queue) dist[static_cast<std::size_t>(v)] = -1;
    }
  });
  return out;
}

void EigenvectorOptions::validate() const {
  check::positive("tolerance", tolerance);
  check::finite("tolerance", tolerance);
  check::integer_at_least("max_iterations", max_iterations, 1);
}

EigenvectorResult eigenvector_centrality(const TransactionGraph& g, const EigenvectorOptions& o) {
  o.validate();
  const std::size_t n = g.n_nodes();
  check::not_empty("graph", n);
  const SimpleView view = simple_view(g, o.directed ? Direction::in : Direction::both, o.weighted);
  std::vector<double> x(n, 1.0 / static_cast<double>(n)), last(n);
  constexpr std::size_t kChunk = 4096;
  const auto plus = [](double a, double b) { return a + b; };
  bool converged = false;
  int it = 1;
  for (; it <= o.max_iterations; ++it) {
    x.swap(last);
    // x <- (A' + I) x, pulled along in-links in ascending payer order (networkx's order of sums)
    const double squares = deterministic_reduce(
        n, kChunk, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s2 = 0;
          for (std::size_t v = b; v < e; ++v) {
            double s = last[v];
            const auto nb = view.of(v);
            const auto w = view.weights_of(v);
            for (std::size_t k = 0; k < nb.size(); ++k) s += last[static_cast<std::size_t>(nb[k])] * w[k];
            x[v] = s;
            s2 += s * s;
          }
          return s2;
        },
        plus);
    const double norm = squares > 0 ? std::sqrt(squares) : 1.0;
    const double change = deterministic_reduce(
        n, kChunk, 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t v = b; v < e; ++v) {
            x[v] /= norm;
            s += std::abs(x[v] - last[v]);
          }
          return s;
        },
        plus);
    if (change < static_cast<double>(n) * o.tolerance) {
      converged = true;
      break;
    }
  }
  return {std::move(x), iteration_status(converged, std::min(it, o.max_iterations), o.max_iterations)};
}

void HitsOptions::validate() const {
  check::positive("tolerance", tolerance);
  check::finite("tolerance", tolerance);
  check::integer_at_least("max_iterations", max_iterations, 1);
}

HitsResult hits(const TransactionGraph& g, const HitsOptions& o) {
  o.validate();
  const std::size_t n = g.n_nodes();
  check::not_empty("graph", n);
  const SimpleView out = simple_view(g, Direction::out, o.weighted);
  const SimpleView in = simple_view(g, Direction::in, o.weighted);
  std::vector<double> h(n, 1.0 / static_cast<double>(n)), a(n), last(n);
  const auto scale_to_max_one = [](std::vector<double>& v) {
    const double top = *std::max_element(v.begin(), v.end());
    if (top > 0) {
      const double s = 1.0 / top;  // networkx multiplies by the reciprocal
      for (double& x : v) x *= s;
    }
  };
  bool converged = false;
  int it = 1;
  for (; it <= o.max_iterations; ++it) {
    h.swap(last);
    parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t v = b; v < e; ++v) {
        double s = 0;
        const auto nb = in.of(v);
        const auto w = in.weights_of(v);
        for (std::size_t k = 0; k < nb.size(); ++k) s += last[static_cast<std::size_t>(nb[k])] * w[k];
        a[v] = s;
      }
    });
    parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t v = b; v < e; ++v) {
        double s = 0;
        const auto nb = out.of(v);
        const auto w = out.weights_of(v);
        for (std::size_t k = 0; k < nb.size(); ++k) s += a[static_cast<std::size_t>(nb[k])] * w[k];
        h[v] = s;
      }
    });
    scale_to_max_one(h);
    scale_to_max_one(a);
    double change = 0;
    for (std::size_t v = 0; v < n; ++v) change += std::abs(h[v] - last[v]);
    if (change < o.tolerance) {
      converged = true;
      break;
    }
  }
  const auto scale_to_sum_one = [](std::vector<double>& v) {
    const double total = sum_in_order(v);
    if (total > 0) {
      const double s = 1.0 / total;
      for (double& x : v) x *= s;
    }
  };
  scale_to_sum_one(a);
  scale_to_sum_one(h);
  return {std::move(h), std::move(a), iteration_status(converged, std::min(it, o.max_iterations), o.max_iterations)};
}

namespace {

// Triangles by the forward algorithm (Schank & Wagner 2005): each link points from the corner of
// lower (degree, id) rank to the higher; a triangle is found once, from its lowest corner, as a
// common out-neighbour of a link's two ends, so a hub's list is never scanned once per neighbour:
// O(m^1.5) in all. Corners are credited with atomic integer adds: the same counts in any order.
struct TriangleCounts {
  std::vector<std::int64_t> triangles, degrees;
};

TriangleCounts count_triangles(const TransactionGraph& g) {
  const SimpleView view = simple_view(g, Direction::both, false);
  const std::size_t n = view.n();
  TriangleCounts c;
  c.degrees.resize(n);
  for (std::size_t v = 0; v < n; ++v) c.degrees[v] = static_cast<std::int64_t>(view.of(v).size());
  const auto before = [&](std::size_t a, std::size_t b) {
    return c.degrees[a] != c.degrees[b] ? c.degrees[a] < c.degrees[b] : a < b;
  };
  std::vector<std::size_t> offsets(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) {
    std::size_t later = 0;
    for (std::int32_t u : view.of(v)) later += before(v, static_cast<std::size_t>(u));
    offsets[v + 1] = offsets[v] + later;
  }
  std::vector<std::int32_t> forward(offsets[n]);
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      std::size_t k = offsets[v];
      for (std::int32_t u : view.of(v)) {
        if (before(v, static_cast<std::size_t>(u))) forward[k++] = u;
      }
    }
  });
  c.triangles.assign(n, 0);
  parallel_for_chunks(n, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
    std::vector<std::int32_t> marked(n, -1);  // marked[w] == v: w follows v
    for (std::size_t v = b; v < e; ++v) {
      for (std::size_t k = offsets[v]; k < offsets[v + 1]; ++k) {
        marked[static_cast<std::size_t>(forward[k])] = static_cast<std::int32_t>(v);
      }
      std::int64_t at_v = 0;
      for (std::size_t k = offsets[v]; k < offsets[v + 1]; ++k) {
        const auto u = static_cast<std::size_t>(forward[k]);
        std::int64_t at_u = 0;
        for (std::size_t j = offsets[u]; j < offsets[u + 1]; ++j) {
          const auto w = static_cast<std::size_t>(forward[j]);
          if (marked[w] != static_cast<std::int32_t>(v)) continue;
          ++at_u;
          std::atomic_ref<std::int64_t>(c.triangles[w]).fetch_add(1, std::memory_order_relaxed);
        }
        at_v += at_u;
        if (at_u > 0) std::atomic_ref<std::int64_t>(c.triangles[u]).fetch_add(at_u, std::memory_order_relaxed);
      }
      if (at_v > 0) std::atomic_ref<std::int64_t>(c.triangles[v]).fetch_add(at_v, std::memory_order_relaxed);
    }
  });
  return c;
}

}  // namespace

std::vector<std::int64_t> triangles(const TransactionGraph& g) { return count_triangles(g).triangles; }

std::vector<double> clustering(const TransactionGraph& g) {
  const auto [t, d] = count_triangles(g);
  std::vector<double> c(t.size(), 0.0);
  for (std::size_t v = 0; v < c.size(); ++v) {
    if (t[v] > 0) c[v] = static_cast<double>(2 * t[v]) / static_cast<double>(d[v] * (d[v] - 1));
  }
  return c;
}

double average_clustering(const TransactionGraph& g) {
  check::not_empty("graph", g.n_nodes());
  const auto c = clustering(g);
  return sum_in_order(c) / static_cast<double>(c.size());
}

double transitivity(const TransactionGraph& g) {
  const auto [t, d] = count_triangles(g);
  std::int64_t closed = 0, triples = 0;
  for (std::size_t v = 0; v < t.size(); ++v) {
    closed += 2 * t[v];
    triples += d[v] * (d[v] - 1);
  }
  return closed == 0 ? 0.0 : static_cast<double>(closed) / static_cast<double>(triples);
}

void LabelPropagationOptions::validate() const { check::integer_at_least("max_iterations", max_iterations, 1); }

LabelPropagationResult label_propagation(const TransactionGraph& g, const LabelPropagationOptions& o) {
  o.validate();
  const SimpleView view = simple_view(g, Direction::both, o.weighted);
  const std::size_t n = view.n();
  std::vector<std::int32_t> labels(n), order(n), seen;
  std::iota(labels.begin(), labels.end(), 0);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> weight_of(n, 0.0);
  std::vector<std::int32_t> best, seen_at(n, -1);  // seen_at[label]: the last node that counted it
  RandomStream rng(o.seed);
  bool converged = false;
  int it = 1;
  for (; it <= o.max_iterations; ++it) {
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_int(i)]);
    bool changed = false;
    for (std::int32_t vi : order) {
      const auto v = static_cast<std::size_t>(vi);
      const auto nb = view.of(v);
      if (nb.empty()) continue;
      const auto w = view.weights_of(v);
      seen.clear();
      for (std::size_t k = 0; k < nb.size(); ++k) {  // labels in order of first appearance
        const auto label = static_cast<std::size_t>(labels[static_cast<std::size_t>(nb[k])]);
        if (seen_at[label] != vi) {
          seen_at[label] = vi;
          weight_of[label] = 0;
          seen.push_back(static_cast<std::int32_t>(label));
        }
        weight_of[label] += w[k];
      }
      double top = weight_of[static_cast<std::size_t>(seen[0])];
      for (std::int32_t label : seen) top = std::max(top, weight_of[static_cast<std::size_t>(label)]);
      best.clear();
      bool keep = false;
      for (std::int32_t label : seen) {
        if (weight_of[static_cast<std::size_t>(label)] == top) {
          best.push_back(label);
          keep = keep || label == labels[v];
        }
      }
      if (!keep) {
        labels[v] = best[rng.uniform_int(best.size())];
        changed = true;
      }
    }
    if (!changed) {
      converged = true;
      break;
    }
  }
  LabelPropagationResult r;
  r.labels = detail::relabel_by_first_node(labels);
  r.status = iteration_status(converged, std::min(it, o.max_iterations), o.max_iterations);
  return r;
}

}  // namespace bankquant::graph
