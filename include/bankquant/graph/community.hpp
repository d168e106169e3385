// bankquant/graph/community.hpp — Louvain and Leiden community detection.
//
// Both optimise, on the undirected weighted view (detail/undirected_graph.hpp), either modularity with a
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
#include <span>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

enum class CommunityObjective { modularity, cpm };
BANKQUANT_ENUM_NAMES(CommunityObjective, {modularity, "modularity"}, {cpm, "cpm"})
enum class CommunityMethod { louvain, leiden };
BANKQUANT_ENUM_NAMES(CommunityMethod, {louvain, "louvain"}, {leiden, "leiden"})

struct CommunityOptions {
  CommunityMethod method = CommunityMethod::leiden;
  CommunityObjective objective = CommunityObjective::modularity;
  double resolution = 1.0;        ///< γ > 0
  bool weighted = false;          ///< amounts as weights (else transfer counts)
  std::uint64_t seed = 0;
  int max_levels = 50;            ///< aggregation levels
  int max_passes = 100;           ///< local-moving passes per level
  double randomness = 0.01;       ///< Leiden's θ, relative to the mean edge weight (the paper's 0.01)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &CommunityOptions::method, "'leiden' (Traag et al. 2019) or 'louvain' (Blondel et al. 2008)"),
        field("objective", &CommunityOptions::objective,
              "'modularity' or 'cpm' (constant Potts model: small dense rings stay apart)"),
        field("resolution", &CommunityOptions::resolution, "γ > 0 (1 is Newman's modularity)"),
        field("weighted", &CommunityOptions::weighted, "amounts as weights (else transfer counts)"),
        field("seed", &CommunityOptions::seed, "random seed of the node order and Leiden's refinement"),
        field("max_levels", &CommunityOptions::max_levels, "aggregation levels at most"),
        field("max_passes", &CommunityOptions::max_passes, "local-moving passes per level at most"),
        field("randomness", &CommunityOptions::randomness,
              "Leiden's θ relative to the mean link weight (0.01, the paper's value)")};
  }
};

struct CommunityResult {
  std::vector<std::int32_t> labels;  ///< per node, 0..k−1 in order of each community's first node
  std::int32_t n_communities = 0;
  double modularity = 0;             ///< Newman modularity at γ = 1 (comparable across runs)
  double quality = 0;                ///< the optimised objective at the chosen γ
  int levels = 0;
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("labels", &CommunityResult::labels, "community of each node, numbered by first node"),
                      field("n_communities", &CommunityResult::n_communities, "number of communities"),
                      field("modularity", &CommunityResult::modularity, "Newman modularity at resolution 1"),
                      field("quality", &CommunityResult::quality, "the optimised objective at the chosen resolution"),
                      field("levels", &CommunityResult::levels, "aggregation levels run"),
                      field("status", &CommunityResult::status,
                            "converged, or iteration_limit when max_passes or max_levels stopped the search")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT CommunityResult detect_communities(const TransactionGraph& g,
                                                                  const CommunityOptions& options = {});

/// Modularity of a partition at resolution γ on the undirected view (labels any non-negative
/// integers, one per node), as igraph's Graph.modularity.
[[nodiscard]] BANKQUANT_EXPORT double modularity(const TransactionGraph& g, std::span<const std::int32_t> labels,
                                                 double resolution = 1.0, bool weighted = false);
/// Constant Potts model quality of a partition (node weight 1 per node).
[[nodiscard]] BANKQUANT_EXPORT double cpm_quality(const TransactionGraph& g, std::span<const std::int32_t> labels,
                                                  double resolution, bool weighted = false);

}  // namespace bankquant::graph
