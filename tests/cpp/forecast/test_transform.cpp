// Box-Cox and log(1 + y) transforms against R's forecast 8.20 lambda / biasadj arguments (golden
// values from tests/data/forecast/make_golden.R, section transform: snaive and rwf(drift = TRUE) of
// AirPassengers at lambda 0 and 0.5, medians and bias-adjusted means, and log of y + 1).
#include "bankquant/forecast/transform.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "bankquant/forecast/panel.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;

TEST(Transform, PanelForecastsEqualRsLambdaAndBiasadj) {
  const auto golden = bankquant::testing::load_golden("golden_transform.json");
  const auto y = doubles(golden["series"]["air_passengers"]);
  int n = 0;
  for (const auto& c : golden["cases"]) {
    fc::PanelOptions o;
    o.h = 24;
    o.level = {80, 95};
    o.season_length = {12};
    const double shift = c["shift"].get<double>();
    o.transform = shift == 1.0 ? fc::Transform::log1p : fc::Transform::box_cox;
    o.box_cox_lambda = c["lambda"].get<double>();
    o.bias_adjust = c["biasadj"].get<bool>();
    const auto model = c["kind"] == "drift" ? fc::PanelModel::drift : fc::PanelModel::seasonal_naive;
    const auto f = fc::forecast_model(y, model, o).forecast;
    const auto mean = doubles(c["mean"]), lo80 = doubles(c["lower80"]), hi80 = doubles(c["upper80"]);
    const auto lo95 = doubles(c["lower95"]), hi95 = doubles(c["upper95"]);
    for (std::size_t h = 0; h < mean.size(); ++h) {
      const double tol = 1e-10 * std::abs(mean[h]);
      const std::string what = fmt::format("{} lambda {} biasadj {} shift {} h={}", c["kind"].get<std::string>(),
                                           o.box_cox_lambda, o.bias_adjust, shift, h);
      EXPECT_NEAR(f.mean[h], mean[h], tol) << what;
      EXPECT_NEAR(f.lower[0][h], lo80[h], tol) << what;
      EXPECT_NEAR(f.upper[0][h], hi80[h], tol) << what;
      EXPECT_NEAR(f.lower[1][h], lo95[h], tol) << what;
      EXPECT_NEAR(f.upper[1][h], hi95[h], tol) << what;
    }
    EXPECT_NE(f.model.find(" on "), std::string::npos) << f.model;
    ++n;
  }
  EXPECT_EQ(n, 9);
}

TEST(Transform, InverseUndoesTheTransformAndMapsBeyondTheImageToItsEnds) {
  const std::vector<double> y{0.0, 1.0, 3.5, 120.0, std::nan("")};
  for (const fc::TransformSpec t : {fc::TransformSpec{fc::Transform::log1p, 0.0}, fc::TransformSpec{fc::Transform::box_cox, 0.5},
                                    fc::TransformSpec{fc::Transform::box_cox, 1.5}}) {
    const auto z = fc::transformed(y, t);
    for (std::size_t i = 0; i + 1 < y.size(); ++i) EXPECT_NEAR(fc::untransformed(z[i], t), y[i], 1e-12 * (1 + y[i]));
    EXPECT_TRUE(std::isnan(z.back()));
  }
  // lambda 0.5: z >= -2 is the image of y >= 0; below it the end of the support, y = 0.
  EXPECT_EQ(fc::untransformed(-3.0, {fc::Transform::box_cox, 0.5}), 0.0);
  // lambda -1: z < 1 is the image; at or beyond it y is unbounded.
  EXPECT_EQ(fc::untransformed(1.0, {fc::Transform::box_cox, -1.0}), std::numeric_limits<double>::infinity());
}

TEST(Transform, ValuesOutsideTheDomainAreNamed) {
  const std::vector<double> zero{3.0, 0.0}, negative{3.0, -2.0};
  EXPECT_THROW((void)fc::transformed(zero, {fc::Transform::box_cox, 0.0}), bankquant::InvalidArgument);
  EXPECT_NO_THROW((void)fc::transformed(zero, {fc::Transform::box_cox, 0.5}));  // y^0.5 is defined at 0
  EXPECT_NO_THROW((void)fc::transformed(zero, {fc::Transform::log1p, 0.0}));
  try {
    (void)fc::transformed(negative, {fc::Transform::log1p, 0.0});
    FAIL() << "expected InvalidArgument";
  } catch (const bankquant::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'y'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("-2"), std::string::npos) << e.what();
  }
  const std::vector<double> large{1e200, 3.0};
  EXPECT_THROW((void)fc::transformed(large, {fc::Transform::box_cox, 2.0}), bankquant::InvalidArgument);  // overflows
  auto refused = [](auto change) {
    fc::PanelOptions o;
    change(o);
    try {
      o.validate();
    } catch (const bankquant::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(refused([](auto& o) { o.transform = fc::Transform::box_cox; o.box_cox_lambda = std::nan(""); }).find("box_cox_lambda"), std::string::npos);
  EXPECT_NE(refused([](auto& o) { o.transform = fc::Transform::box_cox; o.box_cox_lambda = 5.0; }).find("[-1, 2]"), std::string::npos);
  // An option that would be ignored is refused, not dropped silently.
  EXPECT_NE(refused([](auto& o) { o.transform = fc::Transform::log1p; o.box_cox_lambda = 0.5; }).find("box_cox_lambda"), std::string::npos);
  EXPECT_NE(refused([](auto& o) { o.bias_adjust = true; }).find("bias_adjust"), std::string::npos);
  // R's second-order mean falls below the median for lambda > 1, negative once the variance grows.
  EXPECT_NE(refused([](auto& o) { o.transform = fc::Transform::box_cox; o.box_cox_lambda = 1.5; o.bias_adjust = true; })
                .find("bias_adjust"), std::string::npos);
  EXPECT_EQ(refused([](auto& o) { o.transform = fc::Transform::box_cox; o.box_cox_lambda = 1.5; }), "");
}

TEST(Transform, EtsIsAdditiveOnATransformedScaleAsInR) {
  const auto golden = bankquant::testing::load_golden("golden_transform.json");
  const auto y = doubles(golden["series"]["air_passengers"]);
  fc::PanelOptions o;
  o.h = 12;
  o.season_length = {12};
  o.transform = fc::Transform::log1p;
  const auto f = fc::forecast_model(y, fc::PanelModel::ets, o).forecast;
  EXPECT_EQ(f.model.rfind("ETS(A,", 0), 0u) << f.model;
  EXPECT_EQ(f.model.find(",M)"), std::string::npos) << f.model;
}

TEST(Transform, CountIntervalsFollowTheLevelOnALogScale) {
  // Hourly-like counts: quiet nights, busy days, errors proportional to the level. On log(1 + y)
  // the count intervals are many times wider at the peak than at night; untransformed, nearly alike.
  std::vector<double> y;
  std::uint64_t state = 7;
  for (int t = 0; t < 24 * 28; ++t) {
    const double level = 5.0 + 300.0 * std::pow(std::sin(3.14159265358979 * (t % 24) / 24.0), 4);
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(state >> 11) * 0x1.0p-53;
    y.push_back(std::round(level * std::exp(0.3 * (u - 0.5))));
  }
  std::vector<std::int64_t> offsets{0, static_cast<std::int64_t>(y.size())};
  fc::PanelOptions o;
  o.models = {fc::PanelModel::seasonal_naive};
  o.h = 24;
  o.level = {95};
  o.season_length = {24};
  auto width = [&](const fc::PanelForecast& p, int hour) { return p.values(hour, 2) - p.values(hour, 1); };
  const auto plain = fc::forecast_panel(y, offsets, o);
  o.transform = fc::Transform::log1p;
  const auto logged = fc::forecast_panel(y, offsets, o);
  ASSERT_TRUE(logged.count);
  EXPECT_GT(width(logged, 12), 5.0 * width(logged, 0));  // noon against midnight
  EXPECT_LT(width(plain, 12), 2.0 * width(plain, 0));  // one variance for all hours
}
