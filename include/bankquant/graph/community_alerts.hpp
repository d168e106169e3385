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
#include "bankquant/graph/community.hpp"
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

/// Where find_rings looks: communities of the pairs that trade only within a short span.
struct RingSearchOptions {
  std::int64_t span = 14 * 86'400;  ///< a pair whose transfers all lie within this span is a new relationship
  double resolution = 0.1;          ///< CPM γ on the graph of those pairs
  std::uint64_t seed = 0;
  RingOptions rings;                ///< which communities are rings
  std::int64_t hub_degree = 100;    ///< hubs (hubs.hpp) are left out
  std::vector<std::int32_t> known_hubs;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("span", &RingSearchOptions::span,
              "a pair whose transfers all lie within this span (timestamp units) is a new relationship (14 days)"),
        field("resolution", &RingSearchOptions::resolution, "CPM resolution on the graph of new relationships (0.1)"),
        field("seed", &RingSearchOptions::seed, "seed of the community search"),
        field("rings", &RingSearchOptions::rings, "which communities are rings"),
        field("hub_degree", &RingSearchOptions::hub_degree, "distinct counterparties that make a hub, left out (100)"),
        field("known_hubs", &RingSearchOptions::known_hubs, "accounts known to be hubs, left out")};
  }
};

/// Fraud rings: accounts that form many new relationships among themselves. Friends and family trade
/// for months; a ring is recruited for a job. So rings are sought among the pairs of non-hub accounts
/// whose transfers all lie within `span`: constant Potts communities (resolution γ) of that graph, kept
/// by community_alerts' criteria. Witness edge ids are those of `g`.
[[nodiscard]] BANKQUANT_EXPORT AlertList find_rings(const TransactionGraph& g, const RingSearchOptions& options = {});

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
