#include <algorithm>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/entity_resolution.hpp"
#include "bankquant/graph/detail/union_find.hpp"

namespace bankquant::graph {

void EntityResolutionOptions::validate() const { check::integer_at_least("max_customers", max_customers, 2); }

EntityResolutionResult resolve_entities(std::size_t n_customers, std::size_t n_identifiers, std::span<const std::int32_t> customer,
                                        std::span<const std::int32_t> identifier, const EntityResolutionOptions& options) {
  options.validate();
  const std::int32_t max_customers = options.max_customers;
  check::same_size("customer", customer.size(), "identifier", identifier.size());
  for (std::size_t i = 0; i < customer.size(); ++i) {
    if (customer[i] < 0 || static_cast<std::size_t>(customer[i]) >= n_customers) {
      check::fail("customer", fmt::format("link {}: code {} outside [0, {})", i, customer[i], n_customers));
    }
    if (identifier[i] < 0 || static_cast<std::size_t>(identifier[i]) >= n_identifiers) {
      check::fail("identifier", fmt::format("link {}: code {} outside [0, {})", i, identifier[i], n_identifiers));
    }
  }
  // distinct (identifier, customer) links, grouped by identifier
  std::vector<std::uint64_t> links(customer.size());
  for (std::size_t i = 0; i < customer.size(); ++i) {
    links[i] = (static_cast<std::uint64_t>(identifier[i]) << 32) | static_cast<std::uint32_t>(customer[i]);
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  EntityResolutionResult r;
  r.customers_per_identifier.assign(n_identifiers, 0);
  for (std::uint64_t l : links) ++r.customers_per_identifier[static_cast<std::size_t>(l >> 32)];
  r.hub.assign(n_identifiers, 0);
  for (std::size_t k = 0; k < n_identifiers; ++k) r.hub[k] = r.customers_per_identifier[k] > max_customers;
  detail::UnionFind sets(n_customers);
  for (std::size_t i = 1; i < links.size(); ++i) {
    const auto id = static_cast<std::size_t>(links[i] >> 32);
    if (id == static_cast<std::size_t>(links[i - 1] >> 32) && !r.hub[id]) {
      sets.unite(static_cast<std::int32_t>(links[i - 1] & 0xffffffffu), static_cast<std::int32_t>(links[i] & 0xffffffffu));
    }
  }
  r.entity = sets.labels();
  r.n_entities = r.entity.empty() ? 0 : *std::max_element(r.entity.begin(), r.entity.end()) + 1;
  return r;
}

}  // namespace bankquant::graph
