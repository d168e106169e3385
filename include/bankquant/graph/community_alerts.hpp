// bankquant/graph/community_alerts.hpp — communities summarised, and small tight ones as fraud rings.
//
// A fraud ring is a group of accounts that trade among themselves: many distinct counterparty
// pairs inside the group per member. Ordinary small communities of a transfer graph are nearly
// trees (under one internal pair per member), so `min_links_per_member` separates the two; find the
// communities with the constant Potts model (community.hpp, objective cpm), which modularity's
// resolution limit (Fortunato & Barthélemy 2007) does not merge into large ones. O(m log m).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct RingOptions {
  int min_size = 5;                    ///< members at least
  int max_size = 100;                  ///< members at most
  double min_links_per_member = 2.0;   ///< distinct internal counterparty pairs per member
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("min_size", &RingOptions::min_size, "members of a ring at least (>= 2)"),
                      field("max_size", &RingOptions::max_size, "members of a ring at most"),
                      field("min_links_per_member", &RingOptions::min_links_per_member,
                            "distinct internal counterparty pairs (either direction) per member at least")};
  }
};

/// Per community, largest first (ties by community label).
struct CommunitySummary {
  std::vector<std::int32_t> community;
  std::vector<std::int64_t> size, internal_transfers, fraud_members;
  std::vector<double> internal_amount, amount_out, amount_in;

  static constexpr auto fields() {
    return std::tuple{field("community", &CommunitySummary::community, "community label"),
                      field("size", &CommunitySummary::size, "members"),
                      field("internal_transfers", &CommunitySummary::internal_transfers, "transfers inside"),
                      field("fraud_members", &CommunitySummary::fraud_members, "members among the known fraud nodes"),
                      field("internal_amount", &CommunitySummary::internal_amount, "amount moved inside"),
                      field("amount_out", &CommunitySummary::amount_out, "amount paid to other communities"),
                      field("amount_in", &CommunitySummary::amount_in, "amount received from other communities")};
  }
};

/// labels: one non-negative community label per node; fraud: known fraud nodes (may be empty).
[[nodiscard]] BANKQUANT_EXPORT CommunitySummary community_summary(const TransactionGraph& g,
                                                                  std::span<const std::int32_t> labels,
                                                                  std::span<const std::int32_t> fraud = {});

/// Communities of min_size..max_size members with at least min_links_per_member distinct internal
/// pairs per member, as alerts (typology fraud_ring; focal: the first member; witness: the
/// transfers inside; score: internal pairs per member).
[[nodiscard]] BANKQUANT_EXPORT AlertList community_alerts(const TransactionGraph& g, std::span<const std::int32_t> labels,
                                                          const RingOptions& options = {});

}  // namespace bankquant::graph
