#include "bankquant/portfolio/cointegration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "dow_jones.hpp"
#include "golden.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;

TEST(Cointegration, EqualsStatsmodelsCointOnDowJonesPairs) {
  const bq::RowMatrix P = bq::testing::dow_jones_prices();
  for (const auto& g : bq::testing::portfolio_golden()["engle_granger"]) {
    std::vector<double> y(500), x(500);
    for (int t = 0; t < 500; ++t) {
      y[static_cast<std::size_t>(t)] = std::log(P(t, g["y"].get<int>()));
      x[static_cast<std::size_t>(t)] = std::log(P(t, g["x"].get<int>()));
    }
    const auto r = pf::engle_granger(y, x);
    EXPECT_NEAR(r.statistic, g["statistic"].get<double>(), 1e-9) << g["y"] << " " << g["x"];
    EXPECT_NEAR(r.p_value, g["p_value"].get<double>(), 1e-9);
    EXPECT_NEAR(r.critical_5, g["critical"][1].get<double>(), 1e-12);
  }
}

TEST(Cointegration, SimulatedPairs) {
  std::mt19937 rng(7);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<double> x(1000), y(1000), walk(1000);
  double level = 0.0, noise = 0.0, other = 0.0;
  for (int t = 0; t < 1000; ++t) {
    level += z(rng);
    noise = 0.7 * noise + z(rng);  // stationary AR(1) spread, half-life ln 2 / -ln 0.7 = 1.94
    other += z(rng);
    x[static_cast<std::size_t>(t)] = level;
    y[static_cast<std::size_t>(t)] = 2.0 + 1.5 * level + noise;
    walk[static_cast<std::size_t>(t)] = other;
  }
  const auto c = pf::engle_granger(y, x);
  EXPECT_LT(c.p_value, 0.01);
  EXPECT_NEAR(c.hedge_ratio, 1.5, 0.02);  // about 3 standard errors of the (super-consistent) OLS estimate
  EXPECT_GT(c.half_life, 1.0);
  EXPECT_LT(c.half_life, 4.0);
  EXPECT_GT(pf::engle_granger(walk, x).p_value, 0.05);
  EXPECT_THROW((void)pf::engle_granger(std::vector<double>(10, 1.0), std::vector<double>(10, 2.0)), bq::InvalidArgument);
  EXPECT_NEAR(pf::mackinnon_p_value(-3.33613, 2), 0.05, 0.01);  // the 5% asymptotic critical value
}
