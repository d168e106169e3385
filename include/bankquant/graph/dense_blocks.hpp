// bankquant/graph/dense_blocks.hpp — FRAUDAR dense blocks in a payer→payee bipartite graph.
//
// Hooi et al. (KDD 2016): fraudsters buying fake activity form a dense block between a group of
// accounts and a group of merchants (or devices). Payers and payees are the two sides (an account
// that both pays and is paid appears once on each side); each distinct payer–payee pair counts
// once, weighted 1/log(c + payee degree) so that links to popular payees weigh little — the
// column weighting that makes the density camouflage-resistant. The greedy peel removes the node
// of least weight in the remaining set and keeps the set of highest average weight
// g(S) = f(S)/|S|, which is within a factor 2 of the optimum. Several blocks are found in turn,
// each after removing the links of the ones before, while a block stays at least min_lift times
// denser than everything that remains (past that point the peel only returns the background).
//
// DenseBlockDetector keeps the peeling order of the densest block so that new links re-peel only a
// suffix of it (the observation behind DenseAlert, Shin et al. KDD 2017). New links touch their
// endpoints and, through the payee's new degree, every payer of that payee (their link weights
// drop). An untouched node keeps its weight in every earlier set, so the old order stands up to the
// first step at which a touched or new node could be lighter than the node peeled there: its
// weight in those sets is at least its weight among the nodes peeled after it, compared with the
// running maximum of the peeled weights. The suffix from there is re-peeled: the result is the
// greedy peel of the whole graph, as if computed afresh.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct DenseBlockOptions {
  int n_blocks = 1;
  double log_offset = 5.0;  ///< c in 1/log(c + degree) (FRAUDAR's choice); 0: weight 1
  int min_size = 2;         ///< blocks with fewer payers or payees are not reported
  double min_lift = 2.0;    ///< stop when a block is less than this many times denser than all remaining links
  /// Accounts with more distinct counterparties on their side are left out (0: none): the busy core
  /// of a heavy-tailed graph (payroll payers, big merchants) is its densest block, and rarely fraud.
  /// 100, as the hub degree of screening (hubs.hpp): with no limit a new user's realistic
  /// 531k-transfer graph gave a 502 x 566 shopper-merchant block as its densest.
  std::int64_t max_degree = 100;
  /// Peel again inside each block while that finds a strictly denser part: the greedy peel over
  /// disjoint blocks of similar density returns their union. DenseBlockDetector does not split.
  bool split = true;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("n_blocks", &DenseBlockOptions::n_blocks, "blocks sought, each after removing the ones before"),
        field("log_offset", &DenseBlockOptions::log_offset,
              "c in the column weight 1/log(c + payee degree) (5, FRAUDAR's); 0 switches the weighting off"),
        field("min_size", &DenseBlockOptions::min_size, "blocks with fewer payers or payees are not reported"),
        field("min_lift", &DenseBlockOptions::min_lift,
              "stop when a block is less than this many times denser than all remaining links"),
        field("max_degree", &DenseBlockOptions::max_degree,
              "leave out accounts with more distinct counterparties on their side (100; 0: keep all)"),
        field("split", &DenseBlockOptions::split,
              "peel again inside each block while that finds a strictly denser part (disjoint blocks come out apart)")};
  }
};

struct DenseBlock {
  std::vector<std::int32_t> payers, payees;  ///< node ids
  double density = 0;                        ///< f(S)/|S|
  double weight = 0;                         ///< f(S)
  std::int64_t links = 0;                    ///< distinct payer–payee pairs inside
  double lift = 0;                           ///< density over the density of all links peeled

  static constexpr auto fields() {
    return std::tuple{field("payers", &DenseBlock::payers, "payer nodes of the block"),
                      field("payees", &DenseBlock::payees, "payee nodes of the block"),
                      field("density", &DenseBlock::density, "f(S)/|S|, the camouflage-resistant density"),
                      field("weight", &DenseBlock::weight, "f(S), the weighted number of links inside"),
                      field("links", &DenseBlock::links, "distinct payer-payee pairs inside"),
                      field("lift", &DenseBlock::lift, "density over the density of all the links it was peeled from")};
  }
};

struct DenseBlocksResult {
  std::vector<DenseBlock> blocks;  ///< densest first

  static constexpr auto fields() {
    return std::tuple{field("blocks", &DenseBlocksResult::blocks, "the blocks found, densest first")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT DenseBlocksResult dense_blocks(const TransactionGraph& g,
                                                             const DenseBlockOptions& options = {});

class BANKQUANT_EXPORT DenseBlockDetector {
 public:
  explicit DenseBlockDetector(std::size_t n_nodes = 0, DenseBlockOptions options = {});
  /// Adds links (payer, payee node ids; new ids grow the node range) and re-peels; returns the
  /// densest block afterwards.
  [[nodiscard]] DenseBlock add_links(std::span<const std::int32_t> payer, std::span<const std::int32_t> payee);
  [[nodiscard]] const DenseBlock& densest() const { return best_; }
  /// Positions re-peeled by the last add_links (for measuring what the update saved).
  [[nodiscard]] std::size_t last_repeeled() const { return last_repeeled_; }
  [[nodiscard]] std::size_t n_links() const { return n_links_; }
  /// The greedy peeling order: side ids (payer v = 2v, payee v = 2v + 1), lightest first.
  [[nodiscard]] const std::vector<std::int32_t>& peeling_order() const { return order_; }

 private:
  void repeel(std::size_t from, const std::vector<std::int32_t>& newcomers);
  template <typename F>
  void for_links(std::int32_t side_id, F&& f) const;  // f(other side id, link weight)
  double link_weight(std::int32_t payee) const;
  DenseBlockOptions options_;
  std::size_t n_ = 0, n_links_ = 0, last_repeeled_ = 0;
  std::vector<std::vector<std::int32_t>> payees_of_, payers_of_;  // adjacency per side, by node id
  std::vector<std::uint64_t> pair_keys_;   // sorted payer·2^32 + payee of every link
  std::vector<std::int32_t> order_;        // peeling order over side ids (payer v = 2v, payee v = 2v + 1)
  std::vector<std::int64_t> position_;     // side id -> position in order_
  std::vector<double> contribution_;       // weight a node carried when peeled, per position
  DenseBlock best_;
};

/// The blocks as alerts (typology dense_block; focal: the block's first payer; witness: the
/// transfers from its payers to its payees; score: the block's lift).
[[nodiscard]] BANKQUANT_EXPORT AlertList block_alerts(const TransactionGraph& g, const DenseBlocksResult& blocks);

}  // namespace bankquant::graph
