#include "bankquant/risk/attribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/risk/var.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

namespace {

bq::RowMatrix returns(std::size_t n, std::size_t k, std::uint64_t seed) {
  bq::RandomStream s(seed);
  bq::RowMatrix R(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (Eigen::Index i = 0; i < R.rows(); ++i) {
    const double common = s.normal();
    for (Eigen::Index j = 0; j < R.cols(); ++j) R(i, j) = 0.01 * (0.6 * common + 0.8 * s.normal()) * (1 + 0.3 * j);
  }
  return R;
}

}  // namespace

TEST(Attribution, ComponentsAddUpForBothMethods) {
  const auto R = returns(1000, 5, 2);
  const std::vector<double> w{1e6, -2e5, 5e5, 0.0, 3e5};
  for (auto method : {risk::AttributionMethod::historical, risk::AttributionMethod::normal}) {
    const auto a = risk::attribution(w, R, 0.99, method);
    const double var_sum = std::accumulate(a.component_var.begin(), a.component_var.end(), 0.0);
    const double es_sum = std::accumulate(a.component_es.begin(), a.component_es.end(), 0.0);
    EXPECT_NEAR(var_sum, a.var, 1e-9 * a.var);
    EXPECT_NEAR(es_sum, a.es, 1e-9 * a.es);
    EXPECT_EQ(a.component_var[3], 0.0);               // a zero position carries nothing...
    EXPECT_TRUE(std::isfinite(a.marginal_var[3]));   // ...but has a marginal figure
    EXPECT_EQ(a.incremental_var[3], 0.0);
  }
}

TEST(Attribution, HistoricalTotalsEqualHistoricalVarEs) {
  const auto R = returns(800, 4, 9);
  const std::vector<double> w{1.0, 2.0, -1.0, 0.5};
  const auto a = risk::attribution(w, R, 0.975);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), 4);
  const Eigen::VectorXd pnl = R * wv;
  const std::vector<double> p(pnl.data(), pnl.data() + pnl.size()), level{0.975};
  const auto h = risk::historical_var_es(p, level);
  EXPECT_NEAR(a.var, h.var[0], 1e-14);
  EXPECT_NEAR(a.es, h.es[0], 1e-14);
  // incremental: the total without each position, recomputed
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<double> without(800);
    for (std::size_t s = 0; s < 800; ++s) without[s] = p[s] - R(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(i)) * w[i];
    EXPECT_NEAR(a.incremental_es[i], a.es - risk::historical_var_es(without, level).es[0], 1e-14);
  }
}

// The normal method keeps the sample mean, as normal_var_es on the portfolio P&L does: with a drift
// of 0.2% a day the zero-mean convention it had was off by the mean P&L (found by the report).
TEST(Attribution, NormalTotalsEqualNormalVarEsOfThePortfolioPnl) {
  auto R = returns(800, 4, 11);
  R.array() += 0.002;
  const std::vector<double> w{1.0, 2.0, -1.0, 0.5};
  const auto a = risk::attribution(w, R, 0.99, risk::AttributionMethod::normal);
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), 4);
  const Eigen::VectorXd pnl = R * wv;
  const double mean = pnl.mean();
  const double sd = std::sqrt((pnl.array() - mean).square().sum() / 799.0);
  const std::vector<double> level{0.99};
  const auto n = risk::normal_var_es(mean, sd, level);
  EXPECT_NEAR(a.var, n.var[0], 1e-13);
  EXPECT_NEAR(a.es, n.es[0], 1e-13);
  double var = 0.0, es = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    var += w[i] * a.marginal_var[i];
    es += w[i] * a.marginal_es[i];
  }
  EXPECT_NEAR(var, a.var, 1e-13);
  EXPECT_NEAR(es, a.es, 1e-13);
}

TEST(Attribution, NormalMarginalIsTheDerivative) {
  const auto R = returns(500, 3, 4);
  const std::vector<double> w{2.0, -1.0, 1.5};
  const auto a = risk::attribution(w, R, 0.99, risk::AttributionMethod::normal);
  for (std::size_t i = 0; i < 3; ++i) {
    auto up = w, down = w;
    up[i] += 1e-4;
    down[i] -= 1e-4;
    const double d = (risk::attribution(up, R, 0.99, risk::AttributionMethod::normal).var -
                      risk::attribution(down, R, 0.99, risk::AttributionMethod::normal).var) / 2e-4;
    EXPECT_NEAR(a.marginal_var[i], d, 1e-7);
  }
}

TEST(Attribution, DeterministicAndBadInput) {
  const auto R = returns(600, 6, 1);
  const std::vector<double> w{1, 2, 3, 4, 5, 6};
  auto run = [&] { return risk::attribution(w, R, 0.99); };
  const auto one = bq::testing::with_threads(1, run), two = bq::testing::with_threads(2, run);
  EXPECT_EQ(one.incremental_var, two.incremental_var);
  EXPECT_THROW((void)risk::attribution(std::vector<double>{1, 2}, R, 0.99), bq::InvalidArgument);
  EXPECT_THROW((void)risk::attribution(w, R, 1.5), bq::InvalidArgument);
  EXPECT_THROW((void)risk::attribution(std::vector<double>(6, 0.0), R, 0.99, risk::AttributionMethod::normal),
               bq::InvalidArgument);
}
