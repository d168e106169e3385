// bankquant/graph/pagerank.hpp — PageRank and personalised PageRank.
//
// Power iteration x <- d (P'x + m v) + (1 - d) v, with P the row-stochastic transition matrix
// (edge weights 1, or amounts when weighted; parallel edges add up), v the personalisation
// (uniform by default; e.g. known-fraud seeds) and m the mass on dangling nodes, which jumps
// according to v — the semantics of igraph's personalized_pagerank and networkx's pagerank (equal
// to igraph's to 1e-8 in the tests). Each iteration pulls along in-edges, one node per task, so it
// parallelises without changing a bit of the result.
#pragma once

#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct PageRankOptions {
  double damping = 0.85;                ///< igraph's and networkx's default
  bool weighted = false;
  double tolerance = 1e-13;             ///< on the L1 change of an iteration
  int max_iterations = 10'000;
  std::vector<double> personalization;  ///< one non-negative weight per node (empty: uniform)
  void validate() const;
  /// validate(), and the personalisation has one entry per node with a positive total.
  void validate(std::size_t n_nodes) const;

  static constexpr auto fields() {
    return std::tuple{
        field("damping", &PageRankOptions::damping, "probability of following a link, in (0, 1) (0.85 as igraph, networkx)"),
        field("weighted", &PageRankOptions::weighted, "amounts as link weights (else each transfer weighs 1)"),
        field("tolerance", &PageRankOptions::tolerance, "stop when an iteration changes the scores by less (L1)"),
        field("max_iterations", &PageRankOptions::max_iterations, "iteration limit (status iteration_limit)"),
        field("personalization", &PageRankOptions::personalization,
              "restart weight per node (empty: uniform); e.g. known fraud accounts")};
  }
};

struct PageRankResult {
  std::vector<double> scores;  ///< sums to 1
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("scores", &PageRankResult::scores, "PageRank of each node (sums to 1)"),
                      field("status", &PageRankResult::status, "converged, or iteration_limit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT PageRankResult pagerank(const TransactionGraph& g, const PageRankOptions& options = {});

}  // namespace bankquant::graph
