// Accuracy measures on hand-checked values (definitions in accuracy.hpp; MASE as R's
// forecast::accuracy with the seasonal-naive scale).
#include "bankquant/forecast/accuracy.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace fc = bankquant::forecast;

TEST(Accuracy, HandCheckedValues) {
  const std::vector<double> y{1, 2, 3, std::nan("")}, f{2, 2, 5, 9};
  EXPECT_DOUBLE_EQ(fc::mean_absolute_error(y, f), 1.0);
  EXPECT_DOUBLE_EQ(fc::root_mean_squared_error(y, f), std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(fc::symmetric_mape(y, f), (200.0 / 3 + 0 + 200.0 * 2 / 8) / 3);
  const std::vector<double> insample{1, 3, 2, 4};  // lag-1 errors 2, 1, 2: scale 5/3
  EXPECT_DOUBLE_EQ(fc::mean_absolute_scaled_error(y, f, insample, 1), 1.0 / (5.0 / 3.0));
  const std::vector<double> lo{0, 2.5, 3, 0}, hi{1, 3, 4, 1};
  EXPECT_DOUBLE_EQ(fc::interval_coverage(y, lo, hi), 2.0 / 3.0);
  // level 80: alpha 0.2, penalty 10 per unit outside
  EXPECT_DOUBLE_EQ(fc::winkler_score(y, lo, hi, 80), (1 + (0.5 + 10 * 0.5) + 1) / 3.0);
  EXPECT_DOUBLE_EQ(fc::pinball_loss(y, f, 0.9), (0.1 * 1 + 0 + 0.1 * 2) / 3.0);
  const std::vector<double> none{std::nan("")}, one{1};
  EXPECT_TRUE(std::isnan(fc::mean_absolute_error(none, one)));
}

TEST(Accuracy, BadInputNamesTheArgument) {
  const std::vector<double> a{1, 2}, b{1}, inf{1, INFINITY}, flat{2, 2, 2};
  EXPECT_THROW((void)fc::mean_absolute_error(a, b), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::mean_absolute_error(a, inf), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::mean_absolute_scaled_error(a, a, flat, 1), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::winkler_score(a, a, a, 100), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::pinball_loss(a, a, 1.0), bankquant::InvalidArgument);
}
