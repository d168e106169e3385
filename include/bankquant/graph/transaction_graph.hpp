// bankquant/graph/transaction_graph.hpp — a directed multigraph of transactions, compressed.
//
// Nodes are dense ids 0..n-1 (the Python layer maps any ids to these and back). Edges keep their
// input order as edge ids; both directions are compressed (CSR, edge_lists.hpp): out-edges of a
// node sorted by timestamp (then edge id), in-edges likewise, so time-respecting walks read them
// in order. Appends grow the lists in place (spans returned before an append are invalidated).
// Amounts are non-negative; self-loops are kept (a transfer to one's own account is data).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/edge_lists.hpp"

namespace bankquant::graph {

class BANKQUANT_EXPORT TransactionGraph {
 public:
  /// src/dst in [0, n_nodes); amount empty (all 1) or one per edge, finite, >= 0; timestamp
  /// empty (all 0) or one per edge. Throws InvalidArgument otherwise.
  static TransactionGraph from_edges(std::size_t n_nodes, std::span<const std::int32_t> src,
                                     std::span<const std::int32_t> dst, std::span<const double> amount = {},
                                     std::span<const std::int64_t> timestamp = {});

  /// Appends a batch of edges (their ids continue from n_edges()); n_nodes may grow. The same
  /// checks as from_edges; nothing changes when they fail. Each node's lists are merged in time
  /// order; the cost grows with the batch, not with the graph.
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
  EdgeLists out_, in_;
};

}  // namespace bankquant::graph
