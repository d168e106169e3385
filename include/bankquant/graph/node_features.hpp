// bankquant/graph/node_features.hpp — per-account features for a fraud classifier.
//
// One row per node, one column per feature, named in `names`: degrees and strengths (amounts) in
// and out, distinct counterparties, PageRank and (with seeds) PageRank personalised on known fraud,
// the community and its size, the k-core number and, for graphs with times, velocity (the most
// transfers sent or received within any window of the account's own activity, a two-pointer scan
// of its time-ordered edges), the time-respecting cycles through the node and the pattern alerts
// whose witness touches it (each alert once per account). Communities, cycles and alerts computed
// before (any method or window) can be passed in and are used as given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/community.hpp"
#include "bankquant/graph/temporal_cycles.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct NodeFeatureOptions {
  std::optional<std::int64_t> window;  ///< velocity, cycle and pattern window; none: no time features
  std::vector<std::int32_t> seeds;     ///< known fraud nodes for personalised PageRank (empty: none)
  CommunityOptions communities;        ///< used when no communities are given
  int max_cycle_length = 6;            ///< 0: no cycle feature
  std::int64_t max_cycles = 0;         ///< cap of the cycle search (0: none)
  double time_limit = 0;               ///< seconds for the cycle search (0: none)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("window", &NodeFeatureOptions::window,
              "window of velocity, cycles and patterns, in timestamp units (None: no time features)"),
        field("seeds", &NodeFeatureOptions::seeds, "known fraud nodes for personalised PageRank"),
        field("communities", &NodeFeatureOptions::communities, "the community search, when none is given"),
        field("max_cycle_length", &NodeFeatureOptions::max_cycle_length, "longest cycle counted (0: no cycle feature)"),
        field("max_cycles", &NodeFeatureOptions::max_cycles, "cap of the cycle search (0: none)"),
        field("time_limit", &NodeFeatureOptions::time_limit, "seconds for the cycle search (0: none)")};
  }
};

/// Results computed before, used instead of computing them again.
struct NodeFeatureInputs {
  std::optional<CommunityResult> communities;
  std::optional<CycleResult> cycles;
  std::optional<AlertList> alerts;
};

struct NodeFeatures {
  std::vector<std::string> names;  ///< column names
  RowMatrix values;                ///< n_nodes x names.size()
  Status status;                   ///< the cycle search's (size_limit / time_limit when truncated)

  static constexpr auto fields() {
    return std::tuple{field("names", &NodeFeatures::names, "feature names, one per column"),
                      field("values", &NodeFeatures::values, "one row per node, one column per feature"),
                      field("status", &NodeFeatures::status, "converged, or the cycle search's limit")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT NodeFeatures node_features(const TransactionGraph& g, const NodeFeatureOptions& options = {},
                                                          const NodeFeatureInputs& inputs = {});

/// Velocity: per node, the most transfers it sent (outgoing) or received within any window
/// [t, t + window] of its own activity.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> max_transfers_in_window(const TransactionGraph& g,
                                                                                 std::int64_t window, bool outgoing);

}  // namespace bankquant::graph
