// bankquant/graph/hubs.hpp — accounts that many others pay or are paid by: merchants, employers, utilities.
//
// A hub has at least `hub_degree` distinct payers over the observed period (customers of a merchant
// or utility, tenants of a letting agent), or pays at least `hub_degree` distinct accounts that are
// not such hubs (employees of an employer, suppliers of a chain store), or is on the user's list of
// known hubs. Payees that are hubs do not count: a busy customer paying 200 shops in a quarter
// (3% of people in a new user's realistic data) is not a hub, and leaving it out hid the
// structuring, layering and round trips it took part in. Laundering patterns do not run through such accounts, while
// their ordinary business — payroll at month-end, hundreds of customers a day — looks like every
// typology at once; the detectors leave them out as focal accounts, intermediates and targets.
// Smaller regular counterparties (a landlord's tenants, a small employer's staff) are told apart
// by recurrence instead (typologies.hpp). The default of 100 lies above the largest laundering
// structures in the typologies literature (fan-ins of up to 15 mules, dense blocks of tens of
// accounts; Altman et al. 2023) and below the size of a busy merchant. O(m) with a per-thread marker.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct HubOptions {
  std::int64_t hub_degree = 100;       ///< distinct counterparties on one side that make a hub (0: none)
  std::vector<std::int32_t> known_hubs;  ///< hubs by the user's word (merchants, payroll, the bank's own accounts)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("hub_degree", &HubOptions::hub_degree,
                            "distinct payers or payees that make an account a hub (100; 0: detect none)"),
                      field("known_hubs", &HubOptions::known_hubs, "accounts the user knows to be hubs")};
  }
};

struct HubResult {
  std::vector<std::int32_t> payers, payees;  ///< distinct counterparties of each node, in and out
  std::vector<std::int32_t> hub;             ///< 1 for hubs

  static constexpr auto fields() {
    return std::tuple{field("payers", &HubResult::payers, "distinct payers of each node"),
                      field("payees", &HubResult::payees, "distinct payees of each node"),
                      field("hub", &HubResult::hub, "1 for hubs (detected or known)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT HubResult find_hubs(const TransactionGraph& g, const HubOptions& options = {});

/// Distinct payers and payees of the given nodes only (what a streaming update refreshes).
void BANKQUANT_EXPORT count_counterparties(const TransactionGraph& g, std::span<const std::int32_t> nodes,
                                           std::vector<std::int32_t>& payers, std::vector<std::int32_t>& payees);

}  // namespace bankquant::graph
