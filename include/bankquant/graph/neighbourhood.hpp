// bankquant/graph/neighbourhood.hpp — the part of the graph around an alert, and money paths.
//
// Subgraphs are new TransactionGraphs with the maps back: the original node of each new node and
// the original edge of each new edge, both ascending (so a subgraph keeps the graph's order). An
// ego network is networkx's ego_graph: the nodes within `radius` transfers of the centre (walking
// out, in or both ways), with every transfer among them (the induced subgraph); a time window
// restricts both the walk and the transfers kept.
//
// The money path is the time-respecting path that reaches the target earliest: consecutive
// transfers at non-decreasing times by default (a same-day forward counts when times are days),
// or strictly increasing; from `start` on, at most `max_hops` transfers, each of at least
// `min_amount`. Among the earliest, the one with fewest transfers. Hop-indexed label correcting
// (Bellman-Ford in rounds): a transfer is looked at only when its payer's arrival first drops
// to or below its time, so the work is O(m log d) for the whole one-to-all search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/direction.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct Subgraph {
  TransactionGraph graph;
  std::vector<std::int32_t> nodes;  ///< original node of each node of `graph`, ascending
  std::vector<std::int64_t> edges;  ///< original edge of each edge of `graph`, ascending
  std::vector<std::int32_t> hops;   ///< ego networks: transfers from the centre to each node (else empty)
};

struct EgoOptions {
  int radius = 1;  ///< networkx's default
  Direction direction = Direction::both;
  std::optional<std::int64_t> start;  ///< transfers at or after (none: from the first)
  std::optional<std::int64_t> end;    ///< transfers at or before (none: to the last)
  /// Hubs are reached but not walked through: an account with more transfers than this (sent
  /// plus received, in the time range) is kept with its transfers to the accounts reached, but
  /// its other counterparties are not added (a merchant two hops away would bring in thousands
  /// of shoppers). 0: no limit (networkx's ego_graph). The centre is always walked.
  std::int64_t max_degree = 0;
  std::vector<std::int32_t> stop_at;  ///< accounts reached but not walked through (known hubs)
  void validate(std::size_t n_nodes) const;

  static constexpr auto fields() {
    return std::tuple{
        field("radius", &EgoOptions::radius, "transfers from the centre, >= 0"),
        field("direction", &EgoOptions::direction, "'out' (whom it paid, onwards), 'in' (who paid it) or 'both'"),
        field("start", &EgoOptions::start, "only transfers at or after this time"),
        field("end", &EgoOptions::end, "only transfers at or before this time"),
        field("max_degree", &EgoOptions::max_degree,
              "accounts with more transfers than this are reached but not walked through; 0: no limit"),
        field("stop_at", &EgoOptions::stop_at, "accounts reached but not walked through (known hubs)")};
  }
};

/// The ego network of `node`; InvalidArgument naming 'node', 'radius' or 'end' on bad input.
[[nodiscard]] BANKQUANT_EXPORT Subgraph ego_network(const TransactionGraph& g, std::int64_t node,
                                                    const EgoOptions& options = {});

/// Filters that a kept transfer passes all of: both ends among `nodes`, its id among `edges`, its
/// time in [start, end]. The subgraph's nodes are `nodes` when given (isolated ones included),
/// else the ends of the kept transfers. Duplicates are ignored.
struct SubgraphOptions {
  std::optional<std::vector<std::int32_t>> nodes;
  std::optional<std::vector<std::int64_t>> edges;
  std::optional<std::int64_t> start, end;
  void validate(const TransactionGraph& g) const;

  static constexpr auto fields() {
    return std::tuple{field("nodes", &SubgraphOptions::nodes, "keep transfers among these nodes (and these nodes)"),
                      field("edges", &SubgraphOptions::edges, "keep these transfers (edge ids)"),
                      field("start", &SubgraphOptions::start, "keep transfers at or after this time"),
                      field("end", &SubgraphOptions::end, "keep transfers at or before this time")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT Subgraph subgraph(const TransactionGraph& g, const SubgraphOptions& options);

struct MoneyPathOptions {
  std::optional<std::int64_t> start;  ///< the first transfer at or after (none: any time)
  std::optional<std::int64_t> end;    ///< transfers after this time are ignored
  int max_hops = 0;                   ///< transfers at most (0: no limit)
  double min_amount = 0;              ///< each transfer at least this amount
  bool strictly_increasing = false;   ///< each transfer strictly after the one before (else at or after)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("start", &MoneyPathOptions::start, "the first transfer at or after this time"),
                      field("end", &MoneyPathOptions::end, "ignore transfers after this time"),
                      field("max_hops", &MoneyPathOptions::max_hops, "transfers at most (0: no limit)"),
                      field("min_amount", &MoneyPathOptions::min_amount, "each transfer of at least this amount"),
                      field("strictly_increasing", &MoneyPathOptions::strictly_increasing,
                            "each transfer strictly later than the one before (else at the same time or later)")};
  }
};

struct MoneyPath {
  bool found = false;
  std::vector<std::int64_t> edges;      ///< the transfers in order (empty when none, or source == target)
  std::optional<std::int64_t> arrival;  ///< time of the last transfer
  std::string message;                  ///< why there is none, or what was found

  static constexpr auto fields() {
    return std::tuple{field("found", &MoneyPath::found, "whether money can reach the target"),
                      field("edges", &MoneyPath::edges, "edge ids of the transfers, in order"),
                      field("arrival", &MoneyPath::arrival, "time the money arrives (the last transfer)"),
                      field("message", &MoneyPath::message, "what was found, or why nothing")};
  }
};

/// InvalidArgument naming 'source', 'target', 'max_hops', 'min_amount' or 'end' on bad input.
[[nodiscard]] BANKQUANT_EXPORT MoneyPath money_path(const TransactionGraph& g, std::int64_t source, std::int64_t target,
                                                    const MoneyPathOptions& options = {});

struct EarliestArrival {
  std::vector<std::int64_t> arrival;  ///< earliest arrival per node (source: start, or 0); 0 where unreached
  std::vector<std::int32_t> hops;     ///< transfers on that path; -1 where unreached, 0 at the source

  static constexpr auto fields() {
    return std::tuple{field("arrival", &EarliestArrival::arrival, "earliest time money from the source arrives"),
                      field("hops", &EarliestArrival::hops, "transfers on that path (-1: never reached)")};
  }
};

/// One to all: the same search as money_path, without a target.
[[nodiscard]] BANKQUANT_EXPORT EarliestArrival earliest_arrival(const TransactionGraph& g, std::int64_t source,
                                                                const MoneyPathOptions& options = {});

}  // namespace bankquant::graph
