#include "bankquant/graph/direction.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Direction, NamesRoundTripAndUnknownNamesAreNamedErrors) {
  for (gr::Direction d : {gr::Direction::out, gr::Direction::in, gr::Direction::both}) {
    EXPECT_EQ(bq::enum_from_name<gr::Direction>(bq::enum_name(d), "direction"), d);
  }
  EXPECT_EQ(bq::enum_name(gr::Direction::out), "out");
  EXPECT_THROW((void)bq::enum_from_name<gr::Direction>("sideways", "direction"), bq::InvalidArgument);
}
