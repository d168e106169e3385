// bankquant/graph/alerts.hpp — alerts: what fired, on which account, why, and the evidence.
//
// Every detector of the module (typologies, round trips, dense blocks, fraud rings) reports an
// AlertList: per alert its typology, the focal account, the time span, the amount moved, a score,
// the reason in words, and the witness — the edge ids (hence payers, payees, timestamps and
// amounts) an investigator puts in a suspicious-activity report, in time order. rank_alerts groups
// alerts that share a witness transfer into cases (a dense block also fires fan-ins at its payees:
// one case), orders cases by their best score and alerts within a case by score, and cuts the
// list at a budget of cases: the list an investigator works through.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

/// What an alert found. The first seven are the windowed typologies of typologies.hpp.
enum class Typology : std::int8_t {
  fan_in,
  fan_out,
  scatter_gather,
  gather_scatter,
  stack,
  pass_through,
  structuring,
  cycle,
  dense_block,
  fraud_ring
};
BANKQUANT_ENUM_NAMES(Typology, {fan_in, "fan_in"}, {fan_out, "fan_out"}, {scatter_gather, "scatter_gather"},
                     {gather_scatter, "gather_scatter"}, {stack, "stack"}, {pass_through, "pass_through"},
                     {structuring, "structuring"}, {cycle, "cycle"}, {dense_block, "dense_block"},
                     {fraud_ring, "fraud_ring"})

/// True for the seven typologies detect_patterns looks for.
[[nodiscard]] constexpr bool is_pattern_typology(Typology t) { return t <= Typology::structuring; }

struct AlertList {
  std::vector<Typology> typology;
  std::vector<std::int32_t> node;        ///< focal account
  std::vector<std::int64_t> start, end;  ///< first and last witness transfer
  std::vector<double> amount;            ///< total amount of the witness transfers
  std::vector<double> score;             ///< higher is more suspicious; comparable across typologies
  std::vector<std::string> reason;       ///< why it fired, in words
  std::vector<std::int64_t> offsets{0};  ///< witness of alert k: edges[offsets[k] .. offsets[k+1])
  std::vector<std::int32_t> edges;       ///< witness edge ids, each alert's in time order
  std::vector<std::int64_t> case_id;     ///< case of each alert after rank_alerts (0 is the most suspicious; -1 before)

  [[nodiscard]] std::size_t size() const { return node.size(); }
  [[nodiscard]] std::span<const std::int32_t> witness(std::size_t k) const {
    return {edges.data() + offsets[k], static_cast<std::size_t>(offsets[k + 1] - offsets[k])};
  }
  /// Adds one alert; `witness` is sorted into time order (then edge id) and deduplicated, and the
  /// time span and amount are read from the graph.
  void add(const TransactionGraph& g, Typology t, std::int32_t focal, std::vector<std::int32_t> witness, double score,
           std::string reason);
  /// Appends every alert of `other`.
  void append(const AlertList& other);
  /// The alerts at the given positions, in that order.
  [[nodiscard]] AlertList select(std::span<const std::size_t> positions) const;

  static constexpr auto fields() {
    return std::tuple{field("typology", &AlertList::typology, "what fired"),
                      field("node", &AlertList::node, "focal account (node id)"),
                      field("start", &AlertList::start, "time of the first witness transfer"),
                      field("end", &AlertList::end, "time of the last witness transfer"),
                      field("amount", &AlertList::amount, "total amount of the witness transfers"),
                      field("score", &AlertList::score, "suspiciousness; higher first in the ranked list"),
                      field("reason", &AlertList::reason, "why the alert fired, in words"),
                      field("offsets", &AlertList::offsets, "alert k's witness is edges[offsets[k]:offsets[k+1]]"),
                      field("edges", &AlertList::edges, "witness edge ids, in time order per alert"),
                      field("case_id", &AlertList::case_id,
                            "case of each alert: alerts sharing a witness transfer are one case (-1: not ranked)")};
  }
};

struct RankOptions {
  std::int64_t budget = 0;  ///< cases kept, most suspicious first; 0 keeps all
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("budget", &RankOptions::budget, "cases kept, most suspicious first (0: all)")};
  }
};

/// The alerts grouped into cases (alerts sharing a witness transfer, transitively), cases by their
/// best score (highest first), alerts within a case by score; ties by typology, then first witness
/// edge, then focal account — an order that does not depend on how nodes are numbered. Cut at the
/// budget of cases; case_id numbers the cases in that order.
[[nodiscard]] BANKQUANT_EXPORT AlertList rank_alerts(const AlertList& alerts, const RankOptions& options = {});

}  // namespace bankquant::graph
