// Baselines against R's forecast 8.20 naive, snaive, rwf(drift = TRUE) and meanf (golden values
// from tests/data/forecast/make_golden.R on the call-centre, bike-sharing and AirPassengers data).
#include "bankquant/forecast/baselines.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;

TEST(Baselines, EqualRsForecastsAndIntervals) {
  const auto golden = bankquant::testing::load_golden("golden_baselines.json");
  int n = 0;
  for (const auto& c : golden["cases"]) {
    const std::string kind = c["kind"];
    if (kind == "theta" || kind == "croston") continue;
    const auto y = doubles(golden["series"][c["series"].get<std::string>()]);
    fc::BaselineOptions o;
    o.method = bankquant::enum_from_name<fc::BaselineMethod>(kind, "method");
    o.season_length = c["m"].get<int>();
    const auto f = fc::fit_baseline(y, o);
    const auto mean = doubles(c["mean"]);
    const auto out = f.forecast(static_cast<int>(mean.size()), std::vector<double>{80, 95});
    const auto lo80 = doubles(c["lower80"]), hi95 = doubles(c["upper95"]);
    for (std::size_t h = 0; h < mean.size(); ++h) {
      const double tol = 1e-10 * std::abs(mean[h]);
      EXPECT_NEAR(out.mean[h], mean[h], tol) << kind << " " << c["series"] << " h=" << h;
      EXPECT_NEAR(out.lower[0][h], lo80[h], tol) << kind << " " << c["series"] << " h=" << h;
      EXPECT_NEAR(out.upper[1][h], hi95[h], tol) << kind << " " << c["series"] << " h=" << h;
    }
    ++n;
  }
  EXPECT_EQ(n, 12);
}

TEST(Baselines, WindowAverageAndMissingValues) {
  std::vector<double> y{1, 2, 3, 4, std::nan(""), 6, 7};
  fc::BaselineOptions o;
  o.method = fc::BaselineMethod::window_average;
  o.window = 3;
  const auto f = fc::fit_baseline(y, o);
  EXPECT_DOUBLE_EQ(f.forecast(2).mean[1], (4 + 6 + 7) / 3.0);
  o.method = fc::BaselineMethod::naive;
  const auto g = fc::fit_baseline(y, o);
  EXPECT_EQ(g.forecast(1).mean[0], 7.0);
  y.back() = std::nan("");
  EXPECT_EQ(fc::fit_baseline(y, o).forecast(1).mean[0], 6.0);  // R: the last observed value carries over
}

TEST(Baselines, BadInputIsRefusedByName) {
  fc::BaselineOptions o;
  o.method = fc::BaselineMethod::seasonal_naive;
  o.season_length = 12;
  EXPECT_THROW((void)fc::fit_baseline(std::vector<double>(10, 1.0), o), bankquant::InvalidArgument);
  o.season_length = 0;
  EXPECT_THROW((void)fc::fit_baseline(std::vector<double>(10, 1.0), o), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fit_baseline(std::vector<double>{}, {}), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fit_baseline(std::vector<double>{1, INFINITY, 2}, {}), bankquant::InvalidArgument);
  const auto f = fc::fit_baseline(std::vector<double>{1, 2, 3}, {});
  EXPECT_THROW((void)f.forecast(0), bankquant::InvalidArgument);
  const auto g = fc::BaselineFit::from_json(bankquant::io::parse_json(f.to_json().dump()));
  EXPECT_EQ(g.forecast(3, std::vector<double>{95}).upper, f.forecast(3, std::vector<double>{95}).upper);
}

// Each slot of the season by its mean over the last `window` seasons and that slot's own spread
// (statsforecast's SeasonalWindowAverage for the mean), computed here by hand.
TEST(Baselines, SeasonalWindowAverageUsesEachSlotsMeanAndSpread) {
  // 4 seasons of 3 slots; slot 2's value in the second-last season is missing.
  const std::vector<double> y{1, 10, 100, 2, 12, 110, 4, 14, std::nan(""), 3, 16, 130};
  fc::BaselineOptions o;
  o.method = fc::BaselineMethod::seasonal_window_average;
  o.season_length = 3;
  o.window = 3;
  const auto fit = fc::fit_baseline(y, o);
  EXPECT_EQ(fit.name(), "SeasonalWindowAverage(m=3, window=3)");
  // slots over seasons 2-4: {2, 4, 3}, {12, 14, 16}, {110, 130} (the missing value skipped)
  ASSERT_EQ(fit.last.size(), 3u);
  EXPECT_NEAR(fit.last[0], 3.0, 1e-12);
  EXPECT_NEAR(fit.last[1], 14.0, 1e-12);
  EXPECT_NEAR(fit.last[2], 120.0, 1e-12);
  EXPECT_NEAR(fit.slot_sd[0], std::sqrt(1.0 * (1 + 1.0 / 3)), 1e-12);    // sample variance 1
  EXPECT_NEAR(fit.slot_sd[1], std::sqrt(4.0 * (1 + 1.0 / 3)), 1e-12);    // sample variance 4
  EXPECT_NEAR(fit.slot_sd[2], std::sqrt(200.0 * (1 + 1.0 / 2)), 1e-12);  // sample variance 200, 2 values
  const auto f = fit.forecast(7, std::vector<double>{95});
  EXPECT_EQ(f.mean, (std::vector<double>{3, 14, 120, 3, 14, 120, 3}));
  EXPECT_NEAR(f.variance[5], 300.0, 1e-9);
  EXPECT_NEAR(f.upper[0][2], 120 + 1.959963984540054 * std::sqrt(300.0), 1e-9);
  // one-step fits: the mean of the same slot in the 3 seasons before (t = 9, 10, 11)
  EXPECT_NEAR(fit.fitted[9], (1 + 2 + 4) / 3.0, 1e-12);
  EXPECT_NEAR(fit.fitted[11], (100 + 110) / 2.0, 1e-12);
  // the model file keeps the slot spreads
  const auto back = fc::BaselineFit::from_json(fit.to_json());
  EXPECT_EQ(back.slot_sd, fit.slot_sd);
  o.window = 5;
  EXPECT_THROW((void)fc::fit_baseline(y, o), bankquant::InvalidArgument);  // 5 seasons of 3 need 15 values
}
