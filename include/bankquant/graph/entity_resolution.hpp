// bankquant/graph/entity_resolution.hpp — customers linked through shared identifiers.
//
// Customers who share a phone, device, email, address or IP end up in one entity (union-find over
// the customer–identifier links). An identifier shared by more than max_customers customers (a
// call-centre phone, a public Wi-Fi IP) would chain unrelated people together, so it is set aside
// and reported as a hub instead of linking.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::graph {

struct EntityResolutionOptions {
  std::int32_t max_customers = 10;  ///< an identifier held by more customers is a hub, set aside
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("max_customers", &EntityResolutionOptions::max_customers,
                            "an identifier shared by more customers is a hub (a call-centre phone) and links nobody")};
  }
};

struct EntityResolutionResult {
  std::vector<std::int32_t> entity;                    ///< per customer: 0..k−1 in order of first customer
  std::vector<std::int32_t> customers_per_identifier;  ///< distinct customers holding each identifier
  std::vector<std::int32_t> hub;                       ///< per identifier: 1 when set aside
  std::int32_t n_entities = 0;

  static constexpr auto fields() {
    return std::tuple{field("entity", &EntityResolutionResult::entity, "entity of each customer, numbered by first customer"),
                      field("customers_per_identifier", &EntityResolutionResult::customers_per_identifier,
                            "distinct customers holding each identifier"),
                      field("hub", &EntityResolutionResult::hub, "1 for identifiers set aside as hubs"),
                      field("n_entities", &EntityResolutionResult::n_entities, "number of entities")};
  }
};

/// links: (customer[i], identifier[i]) pairs of dense codes in [0, n_customers) and [0, n_identifiers).
[[nodiscard]] BANKQUANT_EXPORT EntityResolutionResult resolve_entities(std::size_t n_customers, std::size_t n_identifiers,
                                                                       std::span<const std::int32_t> customer,
                                                                       std::span<const std::int32_t> identifier,
                                                                       const EntityResolutionOptions& options = {});

}  // namespace bankquant::graph
