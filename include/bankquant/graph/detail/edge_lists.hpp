// bankquant/graph/detail/edge_lists.hpp (internal: not part of the public API) — edge ids grouped by node, in time order, growable in place.
//
// The compressed (CSR) layout of the transaction graph, for one direction: node v's edge ids are
// ids[start(v) .. start(v) + count(v)), sorted by (timestamp, edge id). Built contiguous. An append
// writes into a node's spare room when it has some; otherwise it moves that node's list to the end
// of the array with half as much room again, and the array is compacted once a third of it is
// abandoned.
// A batch therefore costs time in proportion to its size, not the graph's — what makes streaming
// appends on a 10M-edge graph cheap. Hand-written: Boost.Graph's compressed_sparse_row_graph only
// appends edges in source order and keeps no time order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::graph::detail {

class BANKQUANT_EXPORT EdgeLists {
 public:
  /// key[e] is the node edge e belongs to (its source, or its target); time empty or one per edge.
  void build(std::size_t n_nodes, std::span<const std::int32_t> key, std::span<const std::int64_t> time);
  /// Adds edges first_id, first_id + 1, ... with the given keys (n_nodes may grow). `time` holds the
  /// timestamps of *all* edges, old and new. Spans returned before an append are invalidated.
  void append(std::size_t n_nodes, std::span<const std::int32_t> key, std::int32_t first_id,
              std::span<const std::int64_t> time);

  [[nodiscard]] std::size_t n_nodes() const { return n_; }
  [[nodiscard]] std::span<const std::int32_t> of(std::size_t v) const {
    return {ids_.data() + start_[v], static_cast<std::size_t>(count_[v])};
  }
  [[nodiscard]] std::size_t count(std::size_t v) const { return static_cast<std::size_t>(count_[v]); }
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  void compact();
  std::vector<std::size_t> start_;
  std::vector<std::int32_t> count_, room_;
  std::vector<std::int32_t> ids_;
  std::size_t n_ = 0;
  std::size_t abandoned_ = 0;  // slots of lists that moved away
};

}  // namespace bankquant::graph::detail
