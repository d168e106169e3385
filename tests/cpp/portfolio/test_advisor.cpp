#include "bankquant/portfolio/advisor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/expected_returns.hpp"
#include "dow_jones.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
// The 30 Dow Jones stocks ("equity") and a cash asset with a 4% return and no risk.
pf::Advisor universe() {
  std::vector<std::string> names;
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  bq::testing::dow_jones_prices(&names);
  VectorXd mu(31);
  mu.head(30) = pf::estimate_expected_returns(R).expected_returns;
  mu(30) = 0.04;
  MatrixXd cov = MatrixXd::Zero(31, 31);
  cov.topLeftCorner(30, 30) = pf::estimate_covariance(R).covariance;
  names.push_back("CASH");
  std::vector<std::string> classes(30, "equity");
  classes.push_back("cash");
  return pf::Advisor(mu, cov, names, classes, pf::RiskProfileTable::standard(), 0.04);
}
}  // namespace

TEST(Advisor, QuestionnaireTakesTheStricterDimension) {
  const auto t = pf::RiskProfileTable::standard();
  const auto top = pf::assess_risk(t, std::vector<int>(8, 4));
  EXPECT_DOUBLE_EQ(top.capacity_score, 100.0);
  EXPECT_EQ(top.profile, 5);
  // High capacity (answers 4 on questions 0-3), low willingness (0 on 4-7): profile 1.
  const auto mixed = pf::assess_risk(t, {4, 4, 4, 4, 0, 1, 0, 0});
  EXPECT_EQ(mixed.capacity_profile, 5);
  EXPECT_EQ(mixed.willingness_profile, 1);
  EXPECT_EQ(mixed.profile, 1);
  EXPECT_EQ(mixed.binding, "willingness");
  // Willingness 2 of 4 on every question: score 50 -> profile 3; a 3-year goal caps at 3, 1 year at 2.
  const auto mid = pf::assess_risk(t, {4, 4, 4, 4, 2, 2, 2, 2}, 1.0);
  EXPECT_EQ(mid.profile, 2);
  EXPECT_EQ(mid.binding, "horizon");
  try {
    (void)pf::assess_risk(t, {4, 4, 4, 4, 2, 2, 7, 2});
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("question 'experience'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)pf::assess_risk(t, {1, 2}), bq::InvalidArgument);
}

TEST(Advisor, TableRoundTripsThroughAModelFile) {
  auto t = pf::RiskProfileTable::standard();
  t.version = "bank-2024-07";
  t.profiles[2].target_volatility = 0.11;
  const auto path = std::filesystem::temp_directory_path() / "bq_profile_table.json";
  bq::io::save_model(path, "risk_profile_table", 1, t.to_json());
  const auto back = pf::RiskProfileTable::from_json(bq::io::load_model(path, "risk_profile_table", 1).model);
  EXPECT_EQ(back.version, "bank-2024-07");
  EXPECT_EQ(back.profiles[2].target_volatility, 0.11);
  EXPECT_EQ(back.questions.size(), 8u);
  EXPECT_EQ(back.to_json(), t.to_json());
  auto broken = t.to_json();
  broken["bands"] = {10, 5, 60, 80};
  EXPECT_THROW((void)pf::RiskProfileTable::from_json(broken), bq::ModelFormatError);
  std::filesystem::remove(path);
}

TEST(Advisor, ModelPortfoliosClimbTheRiskLadder) {
  const pf::Advisor a = universe();
  double previous = -1;
  for (int level = 1; level <= 5; ++level) {
    const auto p = a.model_portfolio(level);
    ASSERT_TRUE(p.status.usable()) << p.status.message;
    EXPECT_GT(p.volatility, previous);
    previous = p.volatility;
    EXPECT_LE(p.weights.head(30).sum(), 0.2 * level + 1e-9);  // the equity limit
    EXPECT_LE(p.weights.head(30).maxCoeff(), 0.1 + 1e-9);  // at most 10% in one stock
    EXPECT_LE(p.volatility, a.table().profile(level).target_volatility + 1e-9);
  }
  EXPECT_NEAR(a.model_portfolio(2).volatility, 0.07, 1e-8);  // the target is attainable
}

TEST(Advisor, AdviserViewTiltsAndIsExplained) {
  const pf::Advisor a = universe();
  pf::ClientRequest c;
  c.id = "client-1";
  c.answers = {3, 3, 3, 3, 3, 3, 3, 3};
  const auto base = a.advise(c);
  pf::AdviserView v;
  v.weights = VectorXd::Zero(31);
  v.weights(14) = 1.0;  // IBM
  v.expected_return = 0.40;
  v.confidence = 0.8;
  v.description = "IBM returns 40% next year";
  c.current_weights = base.portfolio.weights;
  const auto tilted = a.advise(c, {v});
  EXPECT_GT(tilted.portfolio.weights(14), base.portfolio.weights(14) + 0.01);
  EXPECT_NE(tilted.explanation.find("IBM returns 40% next year"), std::string::npos) << tilted.explanation;
  EXPECT_NE(tilted.explanation.find("Risk profile 4"), std::string::npos) << tilted.explanation;
  // Exclusions and the client's own limits hold.
  c.excluded = {14};
  EXPECT_EQ(a.advise(c, {v}).portfolio.weights(14), 0.0);
}

TEST(Advisor, ManyClientsInParallelEqualOneByOne) {
  const pf::Advisor a = universe();
  std::vector<pf::ClientRequest> clients;
  for (int i = 0; i < 40; ++i) {
    pf::ClientRequest c;
    c.id = "c" + std::to_string(i);
    c.profile = 1 + i % 5;
    c.horizon_years = 1.0 + i % 15;
    c.max_weights = VectorXd::Constant(31, 0.04 + 0.01 * (i % 7));
    c.max_weights(30) = 1.0;
    clients.push_back(c);
  }
  const auto one = bq::testing::with_threads(1, [&] { return a.advise_many(clients); });
  const auto two = bq::testing::with_threads(2, [&] { return a.advise_many(clients); });
  for (std::size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(one[i].portfolio.weights, two[i].portfolio.weights);
    EXPECT_EQ(one[i].portfolio.weights, a.advise(clients[i]).portfolio.weights);
    EXPECT_LE(one[i].portfolio.weights.head(30).maxCoeff(), clients[i].max_weights(0) + 1e-9);
  }
  clients[3].profile = 9;
  EXPECT_THROW((void)a.advise_many(clients), bq::InvalidArgument);
}

TEST(Advisor, DiscreteAllocationEqualsEnumeration) {
  VectorXd w(3), p(3);
  w << 0.5, 0.3, 0.2;
  p << 37.0, 52.0, 18.5;
  const double cash = 1000.0;
  const auto d = pf::discrete_allocation(w, p, cash);
  ASSERT_TRUE(d.status.converged()) << d.status.message;
  double best = 1e300;
  for (int a = 0; a <= 27; ++a) {
    for (int b = 0; b <= 19; ++b) {
      for (int c = 0; c <= 54; ++c) {
        const double spent = a * 37.0 + b * 52.0 + c * 18.5;
        if (spent > cash) continue;
        const double dev = std::abs(500 - a * 37.0) + std::abs(300 - b * 52.0) + std::abs(200 - c * 18.5) + (cash - spent);
        best = std::min(best, dev);
      }
    }
  }
  EXPECT_NEAR(d.deviation + d.leftover, best, 1e-9);
  EXPECT_NEAR(d.values.sum() + d.leftover, cash, 1e-9);
  EXPECT_GE(d.leftover, 0.0);
  const auto lots = pf::discrete_allocation(w, p, cash, {10, 1, 5});
  EXPECT_EQ(lots.shares[0] % 10, 0);
  EXPECT_EQ(lots.shares[2] % 5, 0);
  VectorXd neg = w;
  neg(0) = -0.1;
  EXPECT_THROW((void)pf::discrete_allocation(neg, p, cash), bq::InvalidArgument);
}
