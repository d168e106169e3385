// forecast_panel: each column equals the single-series fit it stands for (fit_ets, fit_baseline,
// R-checked in their own tests), count columns are the moment-matched distributions, results are
// bit-identical on 1 and 2 threads, fallbacks are noted and bad input is refused by name.
#include "bankquant/forecast/panel.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "../with_threads.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/forecast/baselines.hpp"
#include "bankquant/forecast/ets.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;

namespace {

struct Panel {
  std::vector<double> values;
  std::vector<std::int64_t> offsets{0};
  void add(const std::vector<double>& y) {
    values.insert(values.end(), y.begin(), y.end());
    offsets.push_back(static_cast<std::int64_t>(values.size()));
  }
};

// Daily rentals (R's bikes_daily golden series, counts) and its last 200 days as a second series.
Panel bike_panel() {
  const auto g = bankquant::testing::load_golden("golden_arima.json");
  const auto y = doubles(g["series"]["bikes_daily"]);
  Panel p;
  p.add(y);
  p.add(std::vector<double>(y.end() - 200, y.end()));
  return p;
}

}  // namespace

TEST(Panel, ColumnsEqualTheSingleSeriesFits) {
  const Panel p = bike_panel();
  fc::PanelOptions o;
  o.models = {fc::PanelModel::ets, fc::PanelModel::seasonal_naive};
  o.h = 14;
  o.level = {95, 80};
  o.season_length = {7};
  o.distribution = fc::PredictiveDistribution::normal;
  const auto out = fc::forecast_panel(p.values, p.offsets, o, {"a", "b"});
  const std::vector<std::string> cols{"ets", "ets-lo-95", "ets-lo-80", "ets-hi-80", "ets-hi-95",
                                      "snaive", "snaive-lo-95", "snaive-lo-80", "snaive-hi-80", "snaive-hi-95"};
  EXPECT_EQ(out.columns, cols);
  ASSERT_EQ(out.values.rows(), 28);
  EXPECT_FALSE(out.count);
  const std::span<const double> second(p.values.data() + p.offsets[1], static_cast<std::size_t>(p.offsets[2] - p.offsets[1]));
  fc::EtsOptions e;
  e.season_length = 7;
  const std::vector<double> levels{80, 95};
  const auto ets = fc::fit_ets(second, e).forecast(14, levels);
  EXPECT_EQ(out.fitted_models[2], ets.model);
  fc::BaselineOptions b;
  b.method = fc::BaselineMethod::seasonal_naive;
  b.season_length = 7;
  const auto sn = fc::fit_baseline(second, b).forecast(14, levels);
  for (int t = 0; t < 14; ++t) {
    EXPECT_DOUBLE_EQ(out.values(14 + t, 0), ets.mean[static_cast<std::size_t>(t)]);
    EXPECT_DOUBLE_EQ(out.values(14 + t, 1), ets.lower[1][static_cast<std::size_t>(t)]);
    EXPECT_DOUBLE_EQ(out.values(14 + t, 4), ets.upper[1][static_cast<std::size_t>(t)]);
    EXPECT_DOUBLE_EQ(out.values(14 + t, 5), sn.mean[static_cast<std::size_t>(t)]);
    EXPECT_DOUBLE_EQ(out.values(14 + t, 7), sn.lower[0][static_cast<std::size_t>(t)]);
  }
}

TEST(Panel, CountForecastsAreWholeCustomersWithSizes) {
  const Panel p = bike_panel();
  fc::PanelOptions o;
  o.models = {fc::PanelModel::ets, fc::PanelModel::croston};
  o.h = 7;
  o.level = {90};
  o.season_length = {7};
  const auto out = fc::forecast_panel(p.values, p.offsets, o);  // auto: counts
  ASSERT_TRUE(out.count);
  ASSERT_EQ(out.columns.size(), 8U);
  EXPECT_EQ(out.columns[3], "ets-size");
  EXPECT_EQ(out.columns[7], "croston-size");
  for (Eigen::Index r = 0; r < out.values.rows(); ++r) {
    EXPECT_EQ(out.values(r, 1), std::floor(out.values(r, 1)));
    EXPECT_EQ(out.values(r, 2), std::floor(out.values(r, 2)));
    EXPECT_LE(out.values(r, 1), out.values(r, 0));
    EXPECT_GE(out.values(r, 2), out.values(r, 0));
    EXPECT_GT(out.values(r, 3), 0.0);  // daily rentals are over-dispersed: a finite NB size or inf
  }
  // the row's NB quantiles are those of (mean, size)
  const auto d = bankquant::CountDistribution::negative_binomial(out.values(0, 0), out.values(0, 3));
  if (std::isfinite(out.values(0, 3))) {
    EXPECT_EQ(static_cast<double>(d.quantile(0.05)), out.values(0, 1));
  }
}

TEST(Panel, SameResultOnOneAndTwoThreads) {
  const Panel p = bike_panel();
  fc::PanelOptions o;
  o.models = {fc::PanelModel::ets, fc::PanelModel::theta, fc::PanelModel::mstl};
  o.h = 7;
  o.level = {80};
  o.season_length = {7};
  const auto one = bankquant::testing::with_threads(1, [&] { return fc::forecast_panel(p.values, p.offsets, o); });
  const auto two = bankquant::testing::with_threads(2, [&] { return fc::forecast_panel(p.values, p.offsets, o); });
  ASSERT_EQ(one.values.size(), two.values.size());
  for (Eigen::Index i = 0; i < one.values.size(); ++i) {
    const double a = one.values.data()[i], b = two.values.data()[i];
    EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)));
  }
}

TEST(Panel, FallbacksAreNotedAndBadInputNamed) {
  Panel p;
  p.add({3, 4, 5, 4, std::nan(""), 6, 5});
  fc::PanelOptions o;
  o.models = {fc::PanelModel::seasonal_naive,
              fc::PanelModel::theta};
  o.h = 3;
  o.season_length = {24};
  const auto out = fc::forecast_panel(p.values, p.offsets, o);
  EXPECT_NE(out.notes[0].find("snaive: season dropped"), std::string::npos) << out.notes[0];
  EXPECT_NE(out.notes[0].find("theta: 1 missing values interpolated"), std::string::npos) << out.notes[0];
  auto bad = o;
  bad.h = 0;
  EXPECT_THROW((void)fc::forecast_panel(p.values, p.offsets, bad), bankquant::InvalidArgument);
  bad = o;
  bad.models = {fc::PanelModel::ets, fc::PanelModel::ets};
  EXPECT_THROW((void)fc::forecast_panel(p.values, p.offsets, bad), bankquant::InvalidArgument);
  bad = o;
  bad.distribution = fc::PredictiveDistribution::count;
  Panel frac;
  frac.add({1.5, 2, 3, 4});
  EXPECT_THROW((void)fc::forecast_panel(frac.values, frac.offsets, bad), bankquant::InvalidArgument);
  Panel empty;
  empty.add({std::nan(""), std::nan("")});
  EXPECT_THROW((void)fc::forecast_panel(empty.values, empty.offsets, o), bankquant::InvalidArgument);
  const std::vector<std::int64_t> wrong{0, 3};
  EXPECT_THROW((void)fc::forecast_panel(p.values, wrong, o), bankquant::InvalidArgument);
}

// Whole numbers beyond 2^53 say nothing about counts (every double there is whole): the automatic
// distribution keeps the models' normal intervals for them. Counts scaled by 1e300 once hung
// forecast() (the property test test_forecast_valid_or_named_error) in the count quantile.
TEST(Panel, HugeWholeNumbersAreNotTreatedAsCounts) {
  Panel p;
  std::vector<double> y;
  for (int i = 0; i < 20; ++i) y.push_back((i % 5 + 1) * 1e300);
  p.add(y);
  fc::PanelOptions o;
  o.models = {fc::PanelModel::naive, fc::PanelModel::mean};
  o.h = 2;
  o.level = {80, 95};
  const auto out = fc::forecast_panel(p.values, p.offsets, o);
  EXPECT_FALSE(out.count);
  EXPECT_EQ(out.values(0, 0), 5e300);
  auto counted = o;
  counted.distribution = fc::PredictiveDistribution::count;
  EXPECT_THROW((void)fc::forecast_panel(p.values, p.offsets, counted), bankquant::InvalidArgument);
  Panel big;  // 1e12-scaled counts stay counts
  std::vector<double> z;
  for (int i = 0; i < 20; ++i) z.push_back((i % 5 + 1) * 1e12);
  big.add(z);
  EXPECT_TRUE(fc::forecast_panel(big.values, big.offsets, o).count);
}
