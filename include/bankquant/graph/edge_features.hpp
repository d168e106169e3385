// bankquant/graph/edge_features.hpp — per-transfer features for a fraud classifier.
//
// One row per transfer e = (s -> d, t), computed only from the transfers before it: those with
// t − W <= time and (time, edge id) < (t, id of e), for each window W of the options (the order
// the graph keeps its lists in). Nothing after e enters its row, so a classifier trained on
// the rows sees no future, and a row never changes when later transfers arrive: the rows of a
// streaming batch, computed on the graph it was appended to, are those of the batch computation
// on the union. Per window (column suffix _w<k>, k the window's position):
//
//   src_out_degree, src_fan_out   transfers the payer sent, and to how many distinct payees
//   dst_in_degree, dst_fan_in     transfers the payee received, and from how many distinct payers
//   scatter_gather                distinct accounts x (not s, not d) with a transfer s -> x and a
//                                 later transfer x -> d, both in the window: two-hop paths beside e
//   src_amount_*, dst_amount_*    the amounts of those sent (payer) and received (payee) transfers:
//                                 mean, median, var (sample, ddof 1), skew and kurt (the bias-
//                                 corrected sample skewness and excess kurtosis of pandas'
//                                 Series.skew/kurt, scipy's bias=False); NaN below 1, 2, 3 and 4
//                                 values, 0 for skew and kurt when all values are equal
//   amount_to_src_median          e's amount over the payer's median (NaN without one, inf over 0)
//
// and per cycle window Wc (suffix _c<k>): cycles_closed, the time-respecting cycles of at most
// max_cycle_length transfers within Wc whose latest transfer is e (temporal_cycles.hpp; the cycles
// e closes, not those it opens, which would look ahead). Rows are independent and computed in
// parallel; the cost is O(Σ window sizes) per window (a busy account's row reads its whole window).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct EdgeFeatureOptions {
  std::vector<std::int64_t> windows;        ///< look-back windows in timestamp units, each > 0
  std::vector<std::int64_t> cycle_windows;  ///< windows of the cycle counts (empty: no cycle column)
  int max_cycle_length = 6;                 ///< transfers per cycle at most (1..64)
  double time_limit = 0;                    ///< seconds for each cycle count (0: none)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("windows", &EdgeFeatureOptions::windows, "look-back windows in timestamp units (each > 0)"),
        field("cycle_windows", &EdgeFeatureOptions::cycle_windows,
              "windows of the cycles each transfer closes, in timestamp units (empty: no cycle column)"),
        field("max_cycle_length", &EdgeFeatureOptions::max_cycle_length, "transfers per counted cycle at most (1..64)"),
        field("time_limit", &EdgeFeatureOptions::time_limit,
              "seconds for each cycle count, status time_limit when hit (0: none)")};
  }
};

struct EdgeFeatures {
  std::vector<std::string> names;   ///< column names
  std::vector<std::int64_t> edges;  ///< the edge id of each row
  RowMatrix values;                 ///< edges.size() x names.size()
  Status status;                    ///< converged, or the cycle count's time_limit (its counts partial)

  static constexpr auto fields() {
    return std::tuple{field("names", &EdgeFeatures::names, "feature names, one per column"),
                      field("edges", &EdgeFeatures::edges, "the edge id of each row"),
                      field("values", &EdgeFeatures::values, "one row per edge, one column per feature"),
                      field("status", &EdgeFeatures::status, "converged, or the cycle count's time_limit")};
  }
};

/// The rows of the given edges (all edges, in id order, when `edges` is empty). Throws
/// InvalidArgument naming 'windows', 'cycle_windows', 'max_cycle_length', 'time_limit' or 'edges'.
[[nodiscard]] BANKQUANT_EXPORT EdgeFeatures edge_features(const TransactionGraph& g, const EdgeFeatureOptions& options,
                                                          std::span<const std::int32_t> edges = {});

}  // namespace bankquant::graph
