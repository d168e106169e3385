// bankquant/graph/transaction_graph.hpp — a directed multigraph of transactions, compressed.
//
// Nodes are dense ids 0..n-1 (the Python layer, or graph/edge_batch.hpp in a C++ service, maps
// any ids to these and back). Edges keep their input order as edge ids; both directions are
// compressed (CSR, detail/edge_lists.hpp): out-edges of a node sorted by timestamp (then edge id),
// in-edges likewise, so time-respecting walks read them in order. Appends grow the lists in place
// (spans returned before an append are invalidated). Amounts are finite and non-negative;
// self-loops are kept (a transfer to one's own account is data).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/detail/edge_lists.hpp"

namespace bankquant::graph {

class BANKQUANT_EXPORT TransactionGraph {
 public:
  /// src/dst in [0, n_nodes); amount empty (all 1) or one per edge, finite, >= 0; timestamp
  /// empty (all 0) or one per edge. Throws InvalidArgument otherwise.
  [[nodiscard]] static TransactionGraph from_edges(std::size_t n_nodes, std::span<const std::int32_t> src,
                                                   std::span<const std::int32_t> dst,
                                                   std::span<const double> amount = {},
                                                   std::span<const std::int64_t> timestamp = {});

  /// Appends a batch of edges (their ids continue from n_edges()); n_nodes may grow. The same
  /// checks as from_edges; nothing changes when they fail. Each node's lists are merged in time
  /// order (a late batch lands in its place); the cost grows with the batch, not with the graph.
  void append_edges(std::size_t n_nodes, std::span<const std::int32_t> src, std::span<const std::int32_t> dst,
                    std::span<const double> amount = {}, std::span<const std::int64_t> timestamp = {});

  [[nodiscard]] std::size_t n_nodes() const { return out_.n_nodes(); }
  [[nodiscard]] std::size_t n_edges() const { return src_.size(); }

  [[nodiscard]] std::span<const std::int32_t> src() const { return src_; }
  [[nodiscard]] std::span<const std::int32_t> dst() const { return dst_; }
  [[nodiscard]] std::span<const double> amount() const { return amount_; }
  [[nodiscard]] std::span<const std::int64_t> timestamp() const { return timestamp_; }

  /// Edge ids leaving / entering node v, in time order.
  [[nodiscard]] std::span<const std::int32_t> out_edges(std::size_t v) const { return out_.of(v); }
  [[nodiscard]] std::span<const std::int32_t> in_edges(std::size_t v) const { return in_.of(v); }
  [[nodiscard]] std::size_t out_degree(std::size_t v) const { return out_.count(v); }
  [[nodiscard]] std::size_t in_degree(std::size_t v) const { return in_.count(v); }
  /// Bytes held by the graph's arrays.
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  std::vector<std::int32_t> src_, dst_;
  std::vector<double> amount_;
  std::vector<std::int64_t> timestamp_;
  detail::EdgeLists out_, in_;
};

/// Some edges of a graph, column by column (the witness table of an alert).
struct EdgeTable {
  std::vector<std::int64_t> edge;
  std::vector<std::int32_t> src, dst;
  std::vector<double> amount;
  std::vector<std::int64_t> timestamp;

  static constexpr auto fields() {
    return std::tuple{field("edge", &EdgeTable::edge, "edge id (row of the input, continued by appends)"),
                      field("src", &EdgeTable::src, "payer node"), field("dst", &EdgeTable::dst, "payee node"),
                      field("amount", &EdgeTable::amount, "amount of the transfer"),
                      field("timestamp", &EdgeTable::timestamp, "time of the transfer")};
  }
};

/// The given edges, in the order given; an id outside the graph is an
/// InvalidArgument naming 'edge_ids'.
[[nodiscard]] BANKQUANT_EXPORT EdgeTable edge_table(const TransactionGraph& g, std::span<const std::int64_t> edge_ids);
[[nodiscard]] BANKQUANT_EXPORT EdgeTable all_edges(const TransactionGraph& g);

/// Transfers per node, leaving or entering.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int64_t> out_degrees(const TransactionGraph& g);
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int64_t> in_degrees(const TransactionGraph& g);

/// One row per ordered pair (src, dst) with at least one transfer, sorted by (src, dst).
struct PairTable {
  std::vector<std::int32_t> src, dst;
  std::vector<double> amount;                 ///< summed
  std::vector<std::int64_t> count, first, last;

  static constexpr auto fields() {
    return std::tuple{field("src", &PairTable::src, "payer node"), field("dst", &PairTable::dst, "payee node"),
                      field("amount", &PairTable::amount, "summed amount of the pair's transfers"),
                      field("count", &PairTable::count, "number of transfers"),
                      field("first", &PairTable::first, "time of the first transfer"),
                      field("last", &PairTable::last, "time of the last transfer")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT PairTable aggregate_pairs(const TransactionGraph& g);

}  // namespace bankquant::graph
