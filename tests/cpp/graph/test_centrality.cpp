#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/centrality.hpp"
#include "graph_fixtures.hpp"
#include "with_threads.hpp"

namespace gr = bankquant::graph;
using bankquant::testing::with_threads;

namespace {

gr::TransactionGraph random_graph(int n, int m, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> node(0, n - 1);
  std::vector<std::int32_t> s, d;
  std::vector<double> a;
  for (int i = 0; i < m; ++i) {
    s.push_back(node(rng));
    d.push_back(node(rng));
    a.push_back(1.0 + (rng() % 100));
  }
  return gr::TransactionGraph::from_edges(static_cast<std::size_t>(n), s, d, a);
}

// Distinct links (self-loops left out), as a dense 0/1 matrix: directed, or symmetrised.
std::vector<std::vector<int>> adjacency(const gr::TransactionGraph& g, bool directed) {
  const std::size_t n = g.n_nodes();
  std::vector<std::vector<int>> a(n, std::vector<int>(n, 0));
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    const auto s = static_cast<std::size_t>(g.src()[e]), d = static_cast<std::size_t>(g.dst()[e]);
    if (s == d) continue;
    a[s][d] = 1;
    if (!directed) a[d][s] = 1;
  }
  return a;
}

// Betweenness from its definition: for every s != v != t, the share of shortest s-t paths
// through v, with distances and path counts by Floyd-Warshall on the dense matrix.
std::vector<double> brute_betweenness(const gr::TransactionGraph& g, bool directed) {
  const auto a = adjacency(g, directed);
  const std::size_t n = a.size();
  constexpr int kFar = 1 << 20;
  std::vector<std::vector<int>> dist(n, std::vector<int>(n, kFar));
  std::vector<std::vector<double>> paths(n, std::vector<double>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    dist[i][i] = 0;
    paths[i][i] = 1;
    for (std::size_t j = 0; j < n; ++j) {
      if (a[i][j]) dist[i][j] = 1;
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) dist[i][j] = std::min(dist[i][j], dist[i][k] + dist[k][j]);
    }
  }
  // paths by increasing distance: sigma(s, t) = sum over predecessors p of t at distance d - 1
  for (std::size_t s = 0; s < n; ++s) {
    for (int d = 1; d < static_cast<int>(n); ++d) {
      for (std::size_t t = 0; t < n; ++t) {
        if (dist[s][t] != d) continue;
        for (std::size_t p = 0; p < n; ++p) {
          if (a[p][t] && dist[s][p] == d - 1) paths[s][t] += paths[s][p];
        }
      }
    }
  }
  std::vector<double> b(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t t = 0; t < n; ++t) {
        if (s == v || t == v || s == t || dist[s][t] >= kFar) continue;
        if (dist[s][v] + dist[v][t] == dist[s][t]) b[v] += paths[s][v] * paths[v][t] / paths[s][t];
      }
    }
  }
  return b;
}

}  // namespace

TEST(Betweenness, DirectedPathByHand) {
  const std::vector<std::int32_t> s{0, 1, 2}, d{1, 2, 3};
  const auto g = gr::TransactionGraph::from_edges(4, s, d);
  gr::BetweennessOptions o;
  o.normalized = false;
  EXPECT_EQ(gr::betweenness(g, o).scores, (std::vector<double>{0, 2, 2, 0}));
  o.normalized = true;  // by (n-1)(n-2) = 6
  const auto r = gr::betweenness(g, o);
  EXPECT_DOUBLE_EQ(r.scores[1], 2.0 / 6);
  EXPECT_TRUE(r.status.converged());
}

TEST(Betweenness, EqualsTheDefinitionOnRandomGraphs) {
  for (unsigned seed = 0; seed < 6; ++seed) {
    const auto g = random_graph(9, 22, seed);
    for (bool directed : {true, false}) {
      gr::BetweennessOptions o;
      o.directed = directed;
      o.normalized = false;
      const auto got = gr::betweenness(g, o).scores;
      const auto want = brute_betweenness(g, directed);
      for (std::size_t v = 0; v < want.size(); ++v) {
        // undirected: every pair was counted in both orders, networkx halves it
        EXPECT_NEAR(got[v], directed ? want[v] : want[v] / 2, 1e-12) << "seed " << seed << " node " << v;
      }
    }
  }
}

TEST(Betweenness, KarateAsNetworkx) {
  // networkx 2.8.8 betweenness_centrality(karate_club_graph())
  gr::BetweennessOptions o;
  o.directed = false;
  const auto b = gr::betweenness(gr::testing::karate(), o).scores;
  EXPECT_NEAR(b[0], 0.43763528138528146, 1e-14);
  EXPECT_NEAR(b[33], 0.30407497594997596, 1e-14);
  EXPECT_NEAR(b[32], 0.145247113997114, 1e-14);
}

TEST(Betweenness, SampledIsRescaledAndDeterministic) {
  const auto g = random_graph(3000, 12000, 7);
  gr::BetweennessOptions o;
  o.samples = 3000;  // every node: the exact value
  const auto all = gr::betweenness(g, o);
  o.samples = 0;
  EXPECT_EQ(all.scores, gr::betweenness(g, o).scores);
  o.samples = 200;
  o.seed = 11;
  const auto one = with_threads(1, [&] { return gr::betweenness(g, o); });
  const auto two = with_threads(2, [&] { return gr::betweenness(g, o); });
  EXPECT_EQ(one.scores, two.scores);  // bit for bit
  EXPECT_EQ(one.sources, two.sources);
  ASSERT_EQ(one.sources.size(), 200u);
  EXPECT_TRUE(std::is_sorted(one.sources.begin(), one.sources.end()));
  EXPECT_EQ(std::adjacent_find(one.sources.begin(), one.sources.end()), one.sources.end());
  // an estimate of the exact sum: within 15% on this many pivots
  double exact = 0, estimate = 0;
  for (std::size_t v = 0; v < all.scores.size(); ++v) {
    exact += all.scores[v];
    estimate += one.scores[v];
  }
  EXPECT_NEAR(estimate / exact, 1.0, 0.15);
  o.seed = 12;
  EXPECT_NE(gr::betweenness(g, o).sources, one.sources);
  const auto exact_one = with_threads(1, [&] { return gr::betweenness(g, {}); });
  const auto exact_two = with_threads(2, [&] { return gr::betweenness(g, {}); });
  EXPECT_EQ(exact_one.scores, exact_two.scores);
}

TEST(Betweenness, RefusesNegativeSamples) {
  gr::BetweennessOptions o;
  o.samples = -1;
  EXPECT_THROW((void)gr::betweenness(gr::testing::karate(), o), bankquant::InvalidArgument);
}

TEST(Closeness, ByHandAndKarate) {
  const std::vector<std::int32_t> s{0, 1}, d{1, 2};
  const auto g = gr::TransactionGraph::from_edges(3, s, d);
  // in: distances to the node; node 2 is reached from 1 (1) and 0 (2)
  auto c = gr::closeness(g);
  EXPECT_DOUBLE_EQ(c[0], 0.0);
  EXPECT_DOUBLE_EQ(c[1], 1.0 * (1.0 / 2));
  EXPECT_DOUBLE_EQ(c[2], 2.0 / 3);
  gr::ClosenessOptions o;
  o.direction = gr::Direction::out;
  o.wf_improved = false;
  c = gr::closeness(g, o);
  EXPECT_DOUBLE_EQ(c[0], 2.0 / 3);
  EXPECT_DOUBLE_EQ(c[1], 1.0);
  o.direction = gr::Direction::both;
  o.wf_improved = true;
  // networkx 2.8.8 closeness_centrality(karate_club_graph())
  c = gr::closeness(gr::testing::karate(), o);
  EXPECT_DOUBLE_EQ(c[0], 0.5689655172413793);
  EXPECT_DOUBLE_EQ(c[33], 0.55);
}

TEST(Eigenvector, IsTheLeadingEigenvectorOfInLinks) {
  const auto g = random_graph(40, 200, 3);
  gr::EigenvectorOptions o;
  o.tolerance = 1e-15;
  o.max_iterations = 100000;
  const auto r = gr::eigenvector_centrality(g, o);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  const auto a = adjacency(g, true);
  // x = A' x / lambda with lambda = |A' x|
  std::vector<double> y(a.size(), 0);
  double norm = 0, unit = 0;
  for (std::size_t v = 0; v < a.size(); ++v) {
    for (std::size_t u = 0; u < a.size(); ++u) y[v] += a[u][v] * r.scores[u];
    norm += y[v] * y[v];
    unit += r.scores[v] * r.scores[v];
  }
  EXPECT_NEAR(unit, 1.0, 1e-12);
  norm = std::sqrt(norm);
  for (std::size_t v = 0; v < a.size(); ++v) EXPECT_NEAR(y[v] / norm, r.scores[v], 1e-9);
  EXPECT_EQ(with_threads(1, [&] { return gr::eigenvector_centrality(g, o).scores; }),
            with_threads(2, [&] { return gr::eigenvector_centrality(g, o).scores; }));
}

TEST(Eigenvector, KarateAsNetworkxAndLimits) {
  // networkx 2.8.8 eigenvector_centrality(karate_club_graph()) (tolerance 1e-6, 100 iterations)
  gr::EigenvectorOptions o;
  o.directed = false;
  const auto r = gr::eigenvector_centrality(gr::testing::karate(), o);
  EXPECT_NEAR(r.scores[0], 0.35548349418519426, 1e-14);
  EXPECT_NEAR(r.scores[33], 0.37337121301323506, 1e-14);
  o.max_iterations = 2;
  EXPECT_EQ(gr::eigenvector_centrality(gr::testing::karate(), o).status.code, bankquant::StatusCode::iteration_limit);
  o.tolerance = 0;
  EXPECT_THROW((void)gr::eigenvector_centrality(gr::testing::karate(), o), bankquant::InvalidArgument);
}

TEST(Hits, StarAndEigenRelations) {
  const std::vector<std::int32_t> s{0, 0, 0}, d{1, 2, 3};
  const auto star = gr::hits(gr::TransactionGraph::from_edges(4, s, d));
  EXPECT_EQ(star.hubs, (std::vector<double>{1, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(star.authorities[1], 1.0 / 3);
  EXPECT_DOUBLE_EQ(star.authorities[0], 0.0);
  const auto g = random_graph(30, 120, 5);
  gr::HitsOptions o;
  o.tolerance = 1e-14;
  o.max_iterations = 100000;
  const auto r = gr::hits(g, o);
  ASSERT_TRUE(r.status.converged());
  // authorities proportional to A' h, hubs to A a
  const auto a = adjacency(g, true);
  std::vector<double> ah(a.size(), 0), ha(a.size(), 0);
  double sa = 0, sh = 0;
  for (std::size_t u = 0; u < a.size(); ++u) {
    for (std::size_t v = 0; v < a.size(); ++v) {
      ah[v] += a[u][v] * r.hubs[u];
      ha[u] += a[u][v] * r.authorities[v];
    }
  }
  for (std::size_t v = 0; v < a.size(); ++v) {
    sa += ah[v];
    sh += ha[v];
  }
  for (std::size_t v = 0; v < a.size(); ++v) {
    EXPECT_NEAR(ah[v] / sa, r.authorities[v], 1e-10);
    EXPECT_NEAR(ha[v] / sh, r.hubs[v], 1e-10);
  }
}

TEST(Triangles, BruteForceAndKarate) {
  for (unsigned seed = 0; seed < 5; ++seed) {
    const auto g = random_graph(12, 40, seed);
    const auto a = adjacency(g, false);
    const auto t = gr::triangles(g);
    const auto c = gr::clustering(g);
    std::int64_t closed = 0, triples = 0;
    for (std::size_t v = 0; v < a.size(); ++v) {
      std::int64_t count = 0, degree = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        degree += a[v][i];
        for (std::size_t j = i + 1; j < a.size(); ++j) count += a[v][i] && a[v][j] && a[i][j];
      }
      EXPECT_EQ(t[v], count);
      EXPECT_DOUBLE_EQ(c[v], degree < 2 ? 0.0 : 2.0 * count / static_cast<double>(degree * (degree - 1)));
      closed += 2 * count;
      triples += degree * (degree - 1);
    }
    EXPECT_DOUBLE_EQ(gr::transitivity(g), closed == 0 ? 0.0 : static_cast<double>(closed) / triples);
  }
  // networkx 2.8.8 on karate_club_graph()
  const auto k = gr::testing::karate();
  EXPECT_EQ(gr::triangles(k)[0], 18);
  EXPECT_EQ(gr::triangles(k)[33], 15);
  EXPECT_DOUBLE_EQ(gr::transitivity(k), 0.2556818181818182);
  EXPECT_DOUBLE_EQ(gr::average_clustering(k), 0.5706384782076823);
  EXPECT_EQ(with_threads(1, [&] { return gr::triangles(k); }), with_threads(2, [&] { return gr::triangles(k); }));
  // many chunks crediting the same corners: the same counts on any thread count, three per triangle
  const auto big = random_graph(20000, 200000, 1);
  const auto one = with_threads(1, [&] { return gr::triangles(big); });
  EXPECT_EQ(one, with_threads(2, [&] { return gr::triangles(big); }));
  std::int64_t corners = 0;
  for (auto t : one) corners += t;
  EXPECT_EQ(corners % 3, 0);
  EXPECT_GT(corners, 0);
}

TEST(LabelPropagation, FindsSeparateCliquesAndIsAFixedPoint) {
  std::vector<std::int32_t> s, d;
  for (int base : {0, 5, 10}) {  // three 5-cliques, one link between the first two
    for (int i = 0; i < 5; ++i) {
      for (int j = i + 1; j < 5; ++j) {
        s.push_back(base + i);
        d.push_back(base + j);
      }
    }
  }
  s.push_back(4);
  d.push_back(5);
  const auto g = gr::TransactionGraph::from_edges(16, s, d);  // node 15 alone
  gr::LabelPropagationOptions o;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    o.seed = seed;
    const auto r = gr::label_propagation(g, o);
    ASSERT_TRUE(r.status.converged());
    EXPECT_EQ(r.labels[0], 0);
    for (int v = 1; v < 4; ++v) EXPECT_EQ(r.labels[static_cast<std::size_t>(v)], r.labels[0]);
    for (int v = 10; v < 15; ++v) EXPECT_EQ(r.labels[static_cast<std::size_t>(v)], r.labels[10]);
    EXPECT_NE(r.labels[10], r.labels[0]);
    EXPECT_NE(r.labels[15], r.labels[10]);
    EXPECT_NE(r.labels[15], r.labels[0]);
    EXPECT_EQ(r.labels, gr::label_propagation(g, o).labels);
  }
  // on a random graph: every node holds a most frequent label of its neighbours
  const auto h = random_graph(200, 600, 9);
  const auto r = with_threads(1, [&] { return gr::label_propagation(h, o); });
  EXPECT_EQ(r.labels, with_threads(2, [&] { return gr::label_propagation(h, o); }).labels);
  ASSERT_TRUE(r.status.converged());
  const auto a = adjacency(h, false);
  for (std::size_t v = 0; v < a.size(); ++v) {
    std::vector<int> count(a.size(), 0);
    for (std::size_t u = 0; u < a.size(); ++u) count[static_cast<std::size_t>(r.labels[u])] += a[v][u];
    const int top = *std::max_element(count.begin(), count.end());
    if (top > 0) {
      EXPECT_EQ(count[static_cast<std::size_t>(r.labels[v])], top) << "node " << v;
    }
  }
}
