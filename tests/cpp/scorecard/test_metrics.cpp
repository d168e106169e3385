#include "bankquant/scorecard/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;
constexpr auto R = sc::ScoreDirection::higher_is_riskier;
constexpr auto S = sc::ScoreDirection::higher_is_safer;

TEST(Metrics, AucGiniKsByHand) {
  // scikit-learn's roc_auc_score docstring example: AUC 0.75.
  const std::vector<double> y{0, 0, 1, 1}, s{0.1, 0.4, 0.35, 0.8};
  EXPECT_DOUBLE_EQ(sc::auc(y, s, {}, R), 0.75);
  EXPECT_DOUBLE_EQ(sc::gini(y, s, {}, R), 0.5);
  EXPECT_DOUBLE_EQ(sc::ks(y, s, {}, R), 0.5);
  // ties: every pair tied counts one half
  EXPECT_DOUBLE_EQ(sc::auc(y, std::vector<double>{1, 1, 1, 1}, {}, R), 0.5);
  // 2 of the 4 (event, non-event) pairs ordered, 2 tied: (2 + 2 * 0.5) / 4
  EXPECT_DOUBLE_EQ(sc::auc(y, std::vector<double>{0.2, 0.5, 0.5, 0.9}, {}, R), 0.875);
  // weights act as frequencies
  EXPECT_DOUBLE_EQ(sc::auc(y, s, std::vector<double>{1, 1, 1, 1}, R), 0.75);
}

TEST(Metrics, RocCurve) {
  const std::vector<double> y{0, 0, 1, 1}, s{0.1, 0.4, 0.35, 0.8};
  const auto c = sc::roc_curve(y, s, {}, R);
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
  EXPECT_EQ(c.thresholds[1], 0.8);
}

TEST(Metrics, BadInput) {
  EXPECT_THROW((void)sc::auc(std::vector<double>{1, 1}, std::vector<double>{0.1, 0.2}, {}, R), bq::InvalidArgument);
  EXPECT_THROW((void)sc::auc(std::vector<double>{0, 1}, std::vector<double>{0.1}, {}, R), bq::InvalidArgument);
  EXPECT_THROW((void)sc::ks(std::vector<double>{0, 1}, std::vector<double>{0.1, NAN}, {}, R), bq::InvalidArgument);
  EXPECT_THROW((void)sc::auc(std::vector<double>{}, std::vector<double>{}, {}, R), bq::InvalidArgument);
}

TEST(Metrics, DirectionIsExplicit) {
  // points: higher is safer; the same ranking as the negated probability
  const std::vector<double> y{0, 0, 1, 1}, points{700, 640, 660, 520}, minus{-700, -640, -660, -520};
  EXPECT_DOUBLE_EQ(sc::auc(y, points, {}, S), sc::auc(y, minus, {}, R));
  EXPECT_DOUBLE_EQ(sc::auc(y, points, {}, S), 0.75);
  EXPECT_DOUBLE_EQ(sc::auc(y, points, {}, R), 0.25);
  const auto c = sc::roc_curve(y, points, {}, S);
  EXPECT_EQ(c.thresholds[1], 520.0);  // riskiest first
  EXPECT_EQ(c.population.back(), 1.0);
  EXPECT_EQ(c.population[1], 0.25);
}

TEST(Metrics, GainsTableBandOneIsRiskiestAndHosmerLemeshowMatchesScipy) {
  std::vector<double> y, p;
  for (int i = 0; i < 100; ++i) {
    p.push_back((i + 0.5) / 100.0);
    y.push_back(i % 3 == 0 || i > 80 ? 1.0 : 0.0);
  }
  sc::GainsOptions o;
  o.bands = 5;
  const auto g = sc::gains_table(y, p, {}, o);
  ASSERT_EQ(g.bands.size(), 5u);
  EXPECT_EQ(g.bands[0].band, 1);
  EXPECT_GT(g.bands[0].min_score, g.bands[4].max_score);  // highest probabilities first
  EXPECT_DOUBLE_EQ(g.bands.back().cum_events_share, 1.0);
  o.direction = S;
  const auto safe = sc::gains_table(y, p, {}, o);
  EXPECT_LT(safe.bands[0].max_score, safe.bands[4].min_score);
  const auto hl = sc::hosmer_lemeshow(y, p, {});
  EXPECT_EQ(hl.degrees_of_freedom, 8);
  double stat = 0;
  for (const auto& gr : hl.groups) stat += (gr.observed - gr.expected) * (gr.observed - gr.expected) / (gr.expected * (1 - gr.expected / gr.count));
  EXPECT_NEAR(hl.statistic, stat, 1e-12);
  EXPECT_GT(hl.p_value, 0.0);
  EXPECT_LT(hl.p_value, 1.0);
  EXPECT_THROW((void)sc::hosmer_lemeshow(y, std::vector<double>(100, 1.5), {}), bq::InvalidArgument);
}
