#include "bankquant/scorecard/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

TEST(Metrics, AucGiniKsByHand) {
  // scikit-learn's roc_auc_score docstring example: AUC 0.75.
  const std::vector<double> y{0, 0, 1, 1}, s{0.1, 0.4, 0.35, 0.8};
  EXPECT_DOUBLE_EQ(sc::auc(y, s), 0.75);
  EXPECT_DOUBLE_EQ(sc::gini(y, s), 0.5);
  EXPECT_DOUBLE_EQ(sc::ks(y, s), 0.5);
  // ties: every pair tied counts one half
  EXPECT_DOUBLE_EQ(sc::auc(y, std::vector<double>{1, 1, 1, 1}), 0.5);
  // 2 of the 4 (event, non-event) pairs ordered, 2 tied: (2 + 2 * 0.5) / 4
  EXPECT_DOUBLE_EQ(sc::auc(y, std::vector<double>{0.2, 0.5, 0.5, 0.9}), 0.875);
  // weights act as frequencies
  EXPECT_DOUBLE_EQ(sc::auc(y, s, std::vector<double>{1, 1, 1, 1}), 0.75);
}

TEST(Metrics, RocCurve) {
  const std::vector<double> y{0, 0, 1, 1}, s{0.1, 0.4, 0.35, 0.8};
  const auto c = sc::roc_curve(y, s);
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
  EXPECT_EQ(c.thresholds[1], 0.8);
}

TEST(Metrics, BadInput) {
  EXPECT_THROW((void)sc::auc(std::vector<double>{1, 1}, std::vector<double>{0.1, 0.2}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::auc(std::vector<double>{0, 1}, std::vector<double>{0.1}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::ks(std::vector<double>{0, 1}, std::vector<double>{0.1, NAN}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::auc(std::vector<double>{}, std::vector<double>{}), bq::InvalidArgument);
}
