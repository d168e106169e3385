// Tests of risk_parity.hpp, hrp.hpp, clustering.hpp, cvar.hpp and naive.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/clustering.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/cvar.hpp"
#include "bankquant/portfolio/hrp.hpp"
#include "bankquant/portfolio/naive.hpp"
#include "bankquant/portfolio/risk_parity.hpp"
#include "bankquant/risk/var.hpp"
#include "dow_jones.hpp"
#include "golden.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
const MatrixXd& dow_cov() {
  static const MatrixXd c = pf::estimate_covariance(bq::testing::dow_jones_returns()).covariance;
  return c;
}
}  // namespace

TEST(RiskParity, EqualRiskContributions) {
  const auto r = pf::risk_budgeting(dow_cov(), VectorXd());
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.weights.sum(), 1.0, 1e-14);
  const VectorXd share = r.risk_contributions / r.volatility;
  EXPECT_NEAR((share.array() - 1.0 / 30).abs().maxCoeff(), 0.0, 1e-10);
  EXPECT_LT(r.status.iterations, 30);
  // Unequal budgets.
  pf::RiskBudgetOptions o;
  o.budgets = VectorXd::LinSpaced(30, 1.0, 3.0);
  o.budgets /= o.budgets.sum();
  const auto b = pf::risk_budgeting(dow_cov(), VectorXd(), o);
  EXPECT_NEAR((b.risk_contributions / b.volatility - o.budgets).cwiseAbs().maxCoeff(), 0.0, 1e-10);
  // Budgets are shares of the risk: another sum is a mistake, refused naming the argument.
  o.budgets *= 1.1;
  try {
    (void)pf::risk_budgeting(dow_cov(), VectorXd(), o);
    FAIL() << "budgets summing to 1.1 were accepted";
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'budgets'"), std::string::npos) << e.what();
  }
}

TEST(RiskParity, BoundsBindAndTheRestKeepTheirProportions) {
  pf::RiskBudgetOptions o;
  o.upper = VectorXd::Constant(30, 1.0);
  const VectorXd free_w = pf::risk_budgeting(dow_cov(), VectorXd()).weights;
  Eigen::Index top;
  free_w.maxCoeff(&top);
  o.upper(top) = 0.8 * free_w(top);
  const auto r = pf::risk_budgeting(dow_cov(), VectorXd(), o);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.weights(top), o.upper(top), 1e-10);
  EXPECT_NEAR(r.weights.sum(), 1.0, 1e-12);
  // KKT of the cone form (Richard and Roncalli 2019): for every asset off its bound,
  // (x_i (Sx)_i - b_i) / x_i is the same number (the cone's multiplier times its upper bound).
  const VectorXd x = r.weights / std::sqrt(r.weights.dot(dow_cov() * r.weights) / 1.0);  // any scale
  const VectorXd sx = dow_cov() * x;
  const double scale = (x.array() * sx.array()).sum();  // = sum of budgets at the optimal scale
  const VectorXd xs = x / std::sqrt(scale), sxs = dow_cov() * xs;
  double first = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 30; ++i) {
    if (i == top) continue;
    const double k = (xs(i) * sxs(i) - 1.0 / 30) / xs(i);
    if (std::isnan(first)) first = k;
    EXPECT_NEAR(k, first, 1e-8);
  }
  const VectorXd share = r.risk_contributions / r.volatility;
  EXPECT_LT(share(top), 1.0 / 30);
  o.upper = VectorXd::Constant(30, 0.02);  // 30 x 0.02 < 1
  EXPECT_THROW((void)pf::risk_budgeting(dow_cov(), VectorXd(), o), bq::InvalidArgument);
}

TEST(Clustering, SmallExampleByHand) {
  // Points on a line at 0, 1, 3, 7: single linkage merges (0,1) at 1, then {0,1}+2 at 2, then 3 at 4.
  MatrixXd D(4, 4);
  const double x[4] = {0, 1, 3, 7};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) D(i, j) = std::abs(x[i] - x[j]);
  const auto t = pf::hierarchical_clustering(D, pf::Linkage::single);
  EXPECT_EQ(t.linkage(0, 0), 0);
  EXPECT_EQ(t.linkage(0, 1), 1);
  EXPECT_EQ(t.linkage(0, 2), 1);
  EXPECT_EQ(t.linkage(1, 0), 2);
  EXPECT_EQ(t.linkage(1, 1), 4);
  EXPECT_EQ(t.linkage(1, 2), 2);
  EXPECT_EQ(t.linkage(2, 2), 4);
  EXPECT_EQ(t.linkage(2, 3), 4);
  EXPECT_EQ(t.order, (std::vector<int>{3, 2, 0, 1}));
  const auto complete = pf::hierarchical_clustering(D, pf::Linkage::complete);
  EXPECT_EQ(complete.linkage(1, 2), 3);  // {0,1} to 2: max(3, 2)
  EXPECT_EQ(complete.linkage(2, 2), 7);
  const auto average = pf::hierarchical_clustering(D, pf::Linkage::average);
  EXPECT_NEAR(average.linkage(1, 2), 2.5, 1e-15);
  EXPECT_NEAR(average.linkage(2, 2), (7 + 6 + 4) / 3.0, 1e-15);
  EXPECT_EQ(pf::cut_tree(t, 2), (std::vector<int>{1, 1, 1, 0}));
}

TEST(Hrp, WeightsArePositiveAndFollowTheBisection) {
  const auto r = pf::hierarchical_risk_parity(dow_cov(), VectorXd());
  EXPECT_NEAR(r.portfolio.weights.sum(), 1.0, 1e-14);
  EXPECT_GT(r.portfolio.weights.minCoeff(), 0.0);
  EXPECT_EQ(r.order.size(), 30u);
  // Two uncorrelated blocks with equal variance: each block gets half.
  MatrixXd C = MatrixXd::Zero(4, 4);
  C << 0.04, 0.03, 0, 0, 0.03, 0.04, 0, 0, 0, 0, 0.04, 0.03, 0, 0, 0.03, 0.04;
  const auto b = pf::hierarchical_risk_parity(C, VectorXd());
  EXPECT_NEAR((b.portfolio.weights.array() - 0.25).abs().maxCoeff(), 0.0, 1e-15);
  const auto h = pf::hierarchical_equal_risk_contribution(dow_cov(), VectorXd());
  EXPECT_NEAR(h.portfolio.weights.sum(), 1.0, 1e-14);
  EXPECT_GE(h.n_clusters, 2);
  pf::HierarchicalOptions o;
  o.n_clusters = 40;
  EXPECT_THROW((void)pf::hierarchical_equal_risk_contribution(dow_cov(), VectorXd(), o), bq::InvalidArgument);
}

TEST(Cvar, MinimumEqualsTheRiskModulesExpectedShortfall) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  pf::CvarOptions o;
  o.level = 0.95;
  const auto r = pf::min_cvar(R, o);
  ASSERT_TRUE(r.portfolio.status.converged()) << r.portfolio.status.message;
  EXPECT_NEAR(r.portfolio.weights.sum(), 1.0, 1e-9);
  const VectorXd pnl = R * r.portfolio.weights;
  const std::vector<double> x(pnl.data(), pnl.data() + pnl.size());
  const std::vector<double> levels{0.95};
  const auto es = bq::risk::historical_var_es(x, levels);
  EXPECT_NEAR(es.es[0], r.cvar, 1e-9);
  // No portfolio has a lower CVaR than the optimum: equal weights, for one.
  const VectorXd eq = pf::equal_weight(30);
  const VectorXd pe = R * eq;
  const auto es_eq = bq::risk::historical_var_es(std::vector<double>(pe.data(), pe.data() + pe.size()), levels);
  EXPECT_GT(es_eq.es[0], r.cvar);
  o.target_return = 1.0;  // far above any asset's mean daily return
  EXPECT_THROW((void)pf::min_cvar(R, o), bq::InvalidArgument);
  o.target_return = std::numeric_limits<double>::quiet_NaN();
  o.level = 0.9999;
  EXPECT_THROW((void)pf::min_cvar(R.topRows(100), o), bq::InvalidArgument);
}

TEST(Naive, Weights) {
  EXPECT_NEAR(pf::equal_weight(4).sum(), 1.0, 1e-15);
  const VectorXd iv = pf::inverse_volatility(dow_cov());
  EXPECT_NEAR(iv.sum(), 1.0, 1e-14);
  EXPECT_NEAR(iv(0) / iv(1), std::sqrt(dow_cov()(1, 1) / dow_cov()(0, 0)), 1e-12);
  MatrixXd bad = dow_cov();
  bad(2, 2) = 0;
  EXPECT_THROW((void)pf::inverse_volatility(bad), bq::InvalidArgument);
  const auto r = pf::evaluate_portfolio(iv, VectorXd(), dow_cov(), 0.0, "inverse_volatility");
  EXPECT_TRUE(std::isnan(r.expected_return));
  EXPECT_NEAR(r.risk_contributions.sum(), r.volatility, 1e-14);
}

TEST(Clustering, EqualsScipyOnTheDowJonesCorrelationDistance) {
  // scipy 1.10.1 hierarchy.linkage(squareform(sqrt((1 - rho) / 2)), 'single' / 'ward') (golden.json).
  const MatrixXd d = pf::cluster_distance(dow_cov(), pf::ClusterDistance::correlation);
  for (auto [method, key] : {std::pair{pf::Linkage::single, "single_linkage"}, {pf::Linkage::ward, "ward_linkage"}}) {
    const auto& g = bq::testing::portfolio_golden()[key];
    const auto t = pf::hierarchical_clustering(d, method);
    for (int r = 0; r < 29; ++r) {
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(t.linkage(r, c), g["linkage"][static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].get<double>(), 1e-12) << key << r;
    }
    EXPECT_EQ(t.order, g["leaves"].get<std::vector<int>>()) << key;
  }
}
