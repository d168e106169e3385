// bankquant/graph/community.hpp — Louvain and Leiden community detection.
//
// Both optimise, on the undirected weighted view (undirected_graph.hpp), either modularity with a
// resolution γ, Q = Σ_c [w_in(c)/m − γ (K_c / 2m)²], or the constant Potts model (CPM),
// H = Σ_c [w_in(c) − γ n_c (n_c − 1) / 2], whose fixed γ lets small dense rings stand apart from
// large communities (Traag, Van Dooren & Nesterov 2011: CPM is free of modularity's resolution
// limit). Louvain: Blondel et al. (2008). Leiden: Traag, Waltman & Van Eck (2019), with the
// refinement step that keeps communities well connected.
//
// Parallel and deterministic: nodes are visited in a seeded random order cut into fixed batches;
// within a batch each node's best move is computed in parallel against the state at the batch
// start, then the moves are applied in order, each only if it still improves the objective against
// the current state (so every applied move is an exact improvement and the search terminates).
// Leiden's refinement runs per community in parallel with one random stream per community. Batch
// boundaries and streams depend only on the graph and the seed, so labels are identical for every
// thread count. Every returned community is connected: a community that ends split (possible
// for Louvain) is cut into its components, which never lowers either objective.
//
// Hand-written: Boost.Graph has no Louvain/Leiden, and igraph's are sequential (and GPL).
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"
#include "bankquant/graph/undirected_graph.hpp"

namespace bankquant::graph {

enum class CommunityObjective { modularity, cpm };
enum class CommunityMethod { louvain, leiden };

struct CommunityOptions {
  CommunityMethod method = CommunityMethod::leiden;
  CommunityObjective objective = CommunityObjective::modularity;
  double resolution = 1.0;        ///< γ > 0
  bool weighted = false;          ///< amounts as weights (else transfer counts)
  std::uint64_t seed = 0;
  int max_levels = 50;            ///< aggregation levels
  int max_passes = 100;           ///< local-moving passes per level
  double randomness = 0.01;       ///< Leiden's θ, relative to the mean edge weight
  void validate() const;
};

struct CommunityResult {
  std::vector<std::int32_t> labels;  ///< per node, 0..k−1 in order of each community's first node
  std::int32_t n_communities = 0;
  double modularity = 0;             ///< Newman modularity at γ = 1 (comparable across runs)
  double quality = 0;                ///< the optimised objective at the chosen γ
  int levels = 0;
};

[[nodiscard]] BANKQUANT_EXPORT CommunityResult detect_communities(const TransactionGraph& g,
                                                                  const CommunityOptions& options = {});
[[nodiscard]] BANKQUANT_EXPORT CommunityResult detect_communities(const UndirectedGraph& g,
                                                                  const CommunityOptions& options = {});

/// Modularity of a partition at resolution γ (labels any non-negative integers).
[[nodiscard]] BANKQUANT_EXPORT double modularity(const UndirectedGraph& g, const std::vector<std::int32_t>& labels,
                                                 double resolution = 1.0);
/// Constant Potts model quality of a partition (node weight 1 per original node).
[[nodiscard]] BANKQUANT_EXPORT double cpm_quality(const UndirectedGraph& g, const std::vector<std::int32_t>& labels,
                                                  double resolution);

}  // namespace bankquant::graph
