#include "bankquant/graph/entity_resolution.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(EntityResolution, HubsAreSetAside) {
  // customers 0,1 share identifier 0; 2,3 share 1; identifier 2 is held by everyone (a hub at k = 3)
  const std::vector<std::int32_t> c{0, 1, 2, 3, 0, 1, 2, 3}, id{0, 0, 1, 1, 2, 2, 2, 2};
  gr::EntityResolutionOptions o;
  o.max_customers = 3;
  const auto r = gr::resolve_entities(4, 3, c, id, o);
  EXPECT_EQ(r.entity, (std::vector<std::int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(r.hub, (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(r.customers_per_identifier[2], 4);
  EXPECT_EQ(r.n_entities, 2);
  o.max_customers = 4;  // no longer a hub: one entity
  EXPECT_EQ(gr::resolve_entities(4, 3, c, id, o).n_entities, 1);
  o.max_customers = 1;
  EXPECT_THROW((void)gr::resolve_entities(4, 3, c, id, o), bq::InvalidArgument);
  EXPECT_THROW((void)gr::resolve_entities(2, 1, std::vector<std::int32_t>{0, 2}, std::vector<std::int32_t>{0, 0}),
               bq::InvalidArgument);
}
