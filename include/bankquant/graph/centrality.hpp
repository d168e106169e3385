// bankquant/graph/centrality.hpp — the centralities analysts ask for, as networkx defines them.
//
// All of them read the *simple* view of the transaction graph: one link per ordered pair (u, v)
// with at least one transfer, self-loops left out (a transfer to one's own account moves nothing
// between accounts); "weighted" makes a link weigh the summed amount of its transfers. Triangles,
// clustering and label propagation use the undirected simple view (one link per unordered pair).
// Each function states the networkx 2.8.8 function it equals (tests/python/test_graph_investigation.py
// checks them against networkx and python-igraph).
//
// Hand-written rather than Boost.Graph: the graph is already compressed (CSR) here, converting it
// to an adjacency_list costs as much as the cheaper algorithms, and Brandes' accumulation must be
// split over sources in fixed chunks to give the same bits on any thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/direction.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

// ------------------------------------------------------------------------------ betweenness
// Brandes (2001), breadth-first from each source: O(n m) exact. Sampled: the same sum over
// `samples` distinct sources drawn with `seed` (Brandes & Pich 2007), times n / samples, an
// unbiased estimate of the exact value. Normalised as networkx's betweenness_centrality: by
// 1 / ((n-1)(n-2)) when normalized; otherwise halved on the undirected view (each pair counted
// once). Unlike networkx 2.8.8, the n / samples factor applies also without normalisation
// (networkx skips it for directed unnormalised samples). Sources run in parallel in fixed chunks
// whose partial sums are added in chunk order: the same bits on any thread count.
struct BetweennessOptions {
  bool directed = true;    ///< along transfers (networkx on a DiGraph); false: the undirected view
  bool normalized = true;  ///< networkx's default
  int samples = 0;         ///< source pivots; 0 (or >= n): every node, exact
  std::uint64_t seed = 0;  ///< draws the pivots
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("directed", &BetweennessOptions::directed, "shortest paths along transfers (else either way)"),
        field("normalized", &BetweennessOptions::normalized, "divide by (n-1)(n-2), as networkx"),
        field("samples", &BetweennessOptions::samples, "number of source pivots (0: all nodes, exact)"),
        field("seed", &BetweennessOptions::seed, "random seed of the pivots")};
  }
};

struct BetweennessResult {
  std::vector<double> scores;
  std::vector<std::int32_t> sources;  ///< the pivots used, ascending (all nodes when exact)
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("scores", &BetweennessResult::scores, "betweenness of each node"),
                      field("sources", &BetweennessResult::sources, "source nodes the paths were counted from"),
                      field("status", &BetweennessResult::status, "converged (exact) or size_limit (sampled)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT BetweennessResult betweenness(const TransactionGraph& g,
                                                             const BetweennessOptions& options = {});

// -------------------------------------------------------------------------------- closeness
// networkx's closeness_centrality: (r - 1) / (sum of the distances to the r - 1 nodes reached),
// times (r - 1) / (n - 1) with wf_improved (Wasserman & Faust's correction for disconnected
// graphs); 0 for a node that reaches none. Direction in (networkx's choice on a DiGraph: the
// distances *to* the node), out (from it) or both. One breadth-first search per node, O(n m).
struct ClosenessOptions {
  Direction direction = Direction::in;  ///< networkx's convention for directed graphs
  bool wf_improved = true;              ///< networkx's default
  void validate() const {}

  static constexpr auto fields() {
    return std::tuple{field("direction", &ClosenessOptions::direction,
                            "'in' (distances to the node, as networkx), 'out' (from it) or 'both'"),
                      field("wf_improved", &ClosenessOptions::wf_improved,
                            "scale by the share of nodes reached (Wasserman & Faust), as networkx")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT std::vector<double> closeness(const TransactionGraph& g,
                                                             const ClosenessOptions& options = {});

// ---------------------------------------------------------------------- eigenvector centrality
// networkx's eigenvector_centrality: power iteration on (A' + I) from a uniform start, so a node is
// central when central nodes *pay it* (in-links; the left eigenvector on a directed graph), scaled
// to unit Euclidean norm; stops when the L1 change is below n * tolerance.
struct EigenvectorOptions {
  bool directed = true;      ///< false: the undirected view
  bool weighted = false;     ///< summed amounts as link weights
  double tolerance = 1e-6;   ///< networkx's default (per node)
  int max_iterations = 1000;  ///< networkx's 100 left sparse transfer subgraphs unconverged (a new user's, 1,500 accounts)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("directed", &EigenvectorOptions::directed, "in-links count (else the undirected view)"),
        field("weighted", &EigenvectorOptions::weighted, "summed amounts as link weights (else 1 a link)"),
        field("tolerance", &EigenvectorOptions::tolerance, "stop when the L1 change is below n * tolerance (networkx)"),
        field("max_iterations", &EigenvectorOptions::max_iterations, "iteration limit (1000; networkx's 100 stops short on sparse transfer graphs)")};
  }
};

struct EigenvectorResult {
  std::vector<double> scores;  ///< unit Euclidean norm
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("scores", &EigenvectorResult::scores, "eigenvector centrality (unit L2 norm)"),
                      field("status", &EigenvectorResult::status, "converged, or iteration_limit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT EigenvectorResult eigenvector_centrality(const TransactionGraph& g,
                                                                        const EigenvectorOptions& options = {});

// ------------------------------------------------------------------------------------- HITS
// Kleinberg's hubs and authorities, as networkx's hits: from uniform hubs, a = A'h, h = A a, each
// scaled to max 1, until the L1 change of h is below tolerance; both returned summing to 1. A
// hub pays many authorities; an authority is paid by many hubs (a collector account).
struct HitsOptions {
  bool weighted = false;     ///< summed amounts as link weights
  double tolerance = 1e-8;   ///< networkx's default
  int max_iterations = 1000;  ///< networkx's 100 left sparse transfer subgraphs unconverged (a new user's, 1,500 accounts)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("weighted", &HitsOptions::weighted, "summed amounts as link weights (else 1 a link)"),
                      field("tolerance", &HitsOptions::tolerance, "stop when the L1 change of the hubs is below"),
                      field("max_iterations", &HitsOptions::max_iterations, "iteration limit (1000; networkx's 100 stops short on sparse transfer graphs)")};
  }
};

struct HitsResult {
  std::vector<double> hubs, authorities;  ///< each sums to 1
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("hubs", &HitsResult::hubs, "hub score of each node (sums to 1)"),
                      field("authorities", &HitsResult::authorities, "authority score of each node (sums to 1)"),
                      field("status", &HitsResult::status, "converged, or iteration_limit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT HitsResult hits(const TransactionGraph& g, const HitsOptions& options = {});

// ------------------------------------------------------------------ triangles and clustering
// On the undirected simple view: networkx's triangles, clustering (2 t / (d (d - 1)), d distinct
// neighbours), average_clustering (mean over all nodes, zeros included) and transitivity (3 x
// triangles / connected triples). The forward algorithm (Schank & Wagner 2005), O(m^1.5).
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int64_t> triangles(const TransactionGraph& g);
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> clustering(const TransactionGraph& g);
[[nodiscard]] BANKQUANT_EXPORT double average_clustering(const TransactionGraph& g);
[[nodiscard]] BANKQUANT_EXPORT double transitivity(const TransactionGraph& g);

// ----------------------------------------------------------------------- label propagation
// Asynchronous label propagation (Raghavan, Albert & Kumara 2007), as networkx's
// asyn_lpa_communities: nodes in a random order each pass take the label most frequent (or
// heaviest) among their neighbours on the undirected view, keeping their own when it is among
// the best and drawing among the best otherwise; it stops after a pass that changes nothing. The
// passes are sequential by nature, so the result depends on the seed only, never on threads.
struct LabelPropagationOptions {
  bool weighted = false;  ///< summed amounts as link weights (else 1 a neighbour)
  std::uint64_t seed = 0;
  int max_iterations = 100;  ///< passes at most
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("weighted", &LabelPropagationOptions::weighted, "summed amounts as link weights (else 1 a neighbour)"),
        field("seed", &LabelPropagationOptions::seed, "random seed of the node order and the ties"),
        field("max_iterations", &LabelPropagationOptions::max_iterations, "passes at most (status iteration_limit)")};
  }
};

struct LabelPropagationResult {
  std::vector<std::int32_t> labels;  ///< 0.. in order of each community's first node
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("labels", &LabelPropagationResult::labels, "community of each node (0.. by first node)"),
                      field("status", &LabelPropagationResult::status, "converged, or iteration_limit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT LabelPropagationResult label_propagation(const TransactionGraph& g,
                                                                        const LabelPropagationOptions& options = {});

}  // namespace bankquant::graph
