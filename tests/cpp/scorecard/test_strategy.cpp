#include "bankquant/scorecard/strategy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

TEST(Strategy, CutoffAnalysisByHand) {
  const std::vector<double> score{500, 520, 540, 560, 580}, bad{1, 1, 0, 0, 0};
  sc::CutoffOptions o;
  o.cutoffs = {520, 540};
  const auto r = sc::cutoff_analysis(score, bad, o);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].approved, 4.0);
  EXPECT_EQ(r.rows[0].expected_bads, 1.0);
  EXPECT_EQ(r.rows[0].profit, 3.0 - 5.0);
  EXPECT_EQ(r.rows[1].profit, 3.0);
  EXPECT_TRUE(r.rows[1].best);
  EXPECT_THROW((void)sc::cutoff_analysis(score, std::vector<double>{7, 0, 0, 0, 0}, o), bq::InvalidArgument);
}

TEST(Strategy, DecisionsAndPolicy) {
  const std::vector<double> score{400, 500, 600};
  sc::DecisionOptions o{550, 450};
  const auto d = sc::decision_bands(score, {{0, 0, 1}}, o);
  EXPECT_EQ(d.decision, (std::vector<std::int32_t>{2, 1, 2}));
  EXPECT_EQ(d.rule, (std::vector<std::int32_t>{-1, -1, 0}));
  EXPECT_THROW((void)sc::decision_bands(std::vector<double>{NAN}, {}, o), bq::InvalidArgument);
  EXPECT_THROW((void)sc::decision_bands(score, {}, sc::DecisionOptions{400, 500}), bq::InvalidArgument);
}

TEST(Strategy, MasterScale) {
  const sc::MasterScale m;
  EXPECT_EQ(m.grade(std::vector<double>{0.0004, 0.0005, 0.02, 1.0}), (std::vector<std::int32_t>{0, 0, 5, 9}));
  EXPECT_THROW((void)m.grade(std::vector<double>{1.5}), bq::InvalidArgument);
}
