// The umbrella headers compile on their own and together, and expose each module; the template
// definitions (_impl.hpp) and the detail headers other modules' sources use compile on their own.
#include "bankquant/bankquant.hpp"
#include "bankquant/core.hpp"
#include "bankquant/forecast.hpp"
#include "bankquant/graph.hpp"
#include "bankquant/portfolio.hpp"
#include "bankquant/risk.hpp"
#include "bankquant/scorecard.hpp"
#include "bankquant/staffing.hpp"

#include "bankquant/core/optimize_impl.hpp"
#include "bankquant/core/statistics_impl.hpp"
#include "bankquant/graph/detail/edge_filter.hpp"
#include "bankquant/graph/detail/relabel.hpp"
#include "bankquant/portfolio/detail/missing.hpp"
#include "bankquant/risk/detail/dual.hpp"
#include "bankquant/risk/detail/memory.hpp"
#include "bankquant/risk/stress.hpp"
#include "bankquant/staffing/detail/exponential_block.hpp"
#include "bankquant/staffing/detail/roster_mip.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

TEST(Umbrella, CoreIsReachable) {
  bankquant::RandomStream stream(1);
  EXPECT_GT(stream.uniform(), 0.0);
  EXPECT_FALSE(bankquant::version().empty());
}

TEST(Umbrella, DualNumbersCarryExactDerivatives) {
  using D = bankquant::risk::detail::Dual<2>;
  const D x = D::variable(3.0, 0), y = D::variable(2.0, 1);
  const D f = x * x * y + 1.0 / y;  // df/dx = 2xy = 12, df/dy = x^2 - 1/y^2 = 8.75
  EXPECT_DOUBLE_EQ(f.v, 18.5);
  EXPECT_DOUBLE_EQ(f.d[0], 12.0);
  EXPECT_DOUBLE_EQ(f.d[1], 8.75);
}

TEST(Umbrella, PortfolioRefusesInfiniteReturnsByName) {
  bankquant::RowMatrix x = bankquant::RowMatrix::Zero(3, 2);
  EXPECT_NO_THROW(bankquant::portfolio::detail::check_no_infinity("returns", x));
  x(1, 1) = std::numeric_limits<double>::infinity();
  try {
    bankquant::portfolio::detail::check_no_infinity("returns", x);
    FAIL() << "an infinite return was accepted";
  } catch (const bankquant::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("returns"), std::string::npos);
  }
}
