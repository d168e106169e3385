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

#include "bankquant/export.hpp"

namespace bankquant::graph {

struct EntityResolutionResult {
  std::vector<std::int32_t> entity;         ///< per customer: 0..k−1 in order of first customer
  std::vector<std::int32_t> customers_per_identifier;  ///< distinct customers holding each identifier
  std::vector<char> hub;                    ///< per identifier: set aside
  std::int32_t n_entities = 0;
};

/// links: (customer[i], identifier[i]) pairs of dense codes in [0, n_customers) and
/// [0, n_identifiers); max_customers >= 2.
[[nodiscard]] BANKQUANT_EXPORT EntityResolutionResult resolve_entities(std::size_t n_customers, std::size_t n_identifiers,
                                                                       std::span<const std::int32_t> customer,
                                                                       std::span<const std::int32_t> identifier,
                                                                       std::int32_t max_customers);

}  // namespace bankquant::graph
