// Theta against R's forecast 8.20 thetaf (golden values from tests/data/forecast/make_golden.R).
#include "bankquant/forecast/theta.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;
using bankquant::testing::number;

TEST(Theta, StandardEqualsRsThetaf) {
  const auto golden = bankquant::testing::load_golden("golden_baselines.json");
  int n = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "theta") continue;
    const auto y = doubles(golden["series"][c["series"].get<std::string>()]);
    fc::ThetaOptions o;
    o.season_length = c["m"].get<int>();
    const auto f = fc::fit_theta(y, o);
    // R's ses optimum (Nelder-Mead on the MSE) and ours agree to the optimiser's precision.
    EXPECT_NEAR(f.alpha, number(c["alpha"]), 2e-3) << c["series"];
    EXPECT_NEAR(f.drift, number(c["drift"]), 1e-9 * std::abs(number(c["drift"]))) << c["series"];
    const auto mean = doubles(c["mean"]);
    const auto out = f.forecast(static_cast<int>(mean.size()), std::vector<double>{80, 95});
    const auto hi95 = doubles(c["upper95"]);
    for (std::size_t h = 0; h < mean.size(); ++h) {
      EXPECT_NEAR(out.mean[h], mean[h], 2e-3 * std::abs(mean[h])) << c["series"] << " h=" << h;
      EXPECT_NEAR(out.upper[1][h], hi95[h], 5e-3 * std::abs(hi95[h])) << c["series"] << " h=" << h;
    }
    ++n;
  }
  EXPECT_EQ(n, 3);
}

TEST(Theta, OptimisedFitsAtLeastAsWellAndThetaOneIsSes) {
  const auto golden = bankquant::testing::load_golden("golden_baselines.json");
  for (const char* name : {"air_passengers", "calls_daily", "bikes_daily"}) {
    const auto y = doubles(golden["series"][name]);
    fc::ThetaOptions o;
    o.season_length = name == std::string("air_passengers") ? 12 : (name == std::string("calls_daily") ? 5 : 7);
    const auto standard = fc::fit_theta(y, o);
    o.optimized = true;
    const auto optimised = fc::fit_theta(y, o);
    o.theta = 2.0;
    const auto two = fc::fit_theta(y, o);
    auto mse = [](const fc::ThetaFit& f) {
      double s = 0;
      int k = 0;
      for (double r : f.residuals) {
        if (std::isfinite(r)) {
          s += r * r;
          ++k;
        }
      }
      return s / k;
    };
    EXPECT_LE(mse(optimised), mse(two) * (1 + 1e-6)) << name;
    EXPECT_GE(optimised.theta, 1.0);
    // theta = 1 removes the trend line: OTM is simple exponential smoothing by MSE, R's ses.
    o.theta = 1.0;
    o.seasonal = false;
    const auto one = fc::fit_theta(y, o);
    fc::ThetaOptions plain;
    plain.seasonal = false;
    const auto ses = fc::fit_theta(y, plain);  // its alpha and level are R's ses()
    EXPECT_NEAR(one.alpha, ses.alpha, 1e-3) << name;
    EXPECT_NEAR(one.level, ses.level, 1e-4 * std::abs(ses.level)) << name;
    (void)standard;
  }
}

TEST(Theta, SeasonalityTestAndBadInput) {
  const auto golden = bankquant::testing::load_golden("golden_baselines.json");
  EXPECT_TRUE(fc::theta_seasonality_test(doubles(golden["series"]["air_passengers"]), 12));
  EXPECT_FALSE(fc::theta_seasonality_test(doubles(golden["series"]["air_passengers"]), 1));
  EXPECT_THROW((void)fc::fit_theta(std::vector<double>{1, 2, 3}, {}), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fit_theta(std::vector<double>{1, 2, std::nan(""), 4, 5}, {}), bankquant::InvalidArgument);
  fc::ThetaOptions o;
  o.theta = 0.5;
  EXPECT_THROW((void)fc::fit_theta(std::vector<double>{1, 2, 3, 4, 5}, o), bankquant::InvalidArgument);
  const auto f = fc::fit_theta(doubles(golden["series"]["calls_daily"]), {});
  const auto g = fc::ThetaFit::from_json(bankquant::io::parse_json(f.to_json().dump()));
  EXPECT_EQ(g.forecast(5).mean, f.forecast(5).mean);
}
