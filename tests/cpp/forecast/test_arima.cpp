// ARIMA against R 4.2.2's stats::arima and forecast 8.20's Arima / auto.arima / ndiffs / nsdiffs,
// and urca's ur.kpss (golden values from tests/data/forecast/make_golden.R).
#include "bankquant/forecast/arima.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;
using bankquant::testing::number;

namespace {

const nlohmann::json& arima_golden() {
  static const nlohmann::json j = bankquant::testing::load_golden("golden_arima.json");
  return j;
}

std::vector<double> series_of(const nlohmann::json& c) {
  std::string name = c["series"].get<std::string>();
  if (name == "air_passengers_css") name = "air_passengers";
  return doubles(arima_golden()["series"][name]);
}

std::vector<std::string> names_of(const nlohmann::json& c) {
  std::vector<std::string> out;
  for (const auto& v : c["coef_names"]) out.push_back(v.get<std::string>());
  return out;
}

fc::ArimaOptions fixed_options(const nlohmann::json& c) {
  const auto arma = doubles(c["arma"]);  // p q P Q m d D
  fc::ArimaOptions o;
  o.order = fc::ArimaOrder{static_cast<int>(arma[0]), static_cast<int>(arma[5]), static_cast<int>(arma[1]),
                           static_cast<int>(arma[2]), static_cast<int>(arma[6]), static_cast<int>(arma[3]),
                           static_cast<int>(arma[4])};
  const auto names = names_of(c);
  o.include_drift = std::find(names.begin(), names.end(), "drift") != names.end();
  o.include_mean = std::find(names.begin(), names.end(), "intercept") != names.end();
  if (c["series"] == "air_passengers_css") o.method = fc::ArimaMethod::css;
  return o;
}

}  // namespace

TEST(Arima, FixedOrdersEqualRs) {
  int n = 0;
  for (const auto& c : arima_golden()["cases"]) {
    if (c["kind"] != "fixed") continue;
    const auto y = series_of(c);
    const auto f = fc::fit_arima(y, fixed_options(c));
    const std::string what = c["series"].get<std::string>();
    const auto coef = doubles(c["coef"]);
    ASSERT_EQ(f.coefficients.size(), coef.size()) << what;
    for (std::size_t i = 0; i < coef.size(); ++i) {
      // R's BFGS (1e-3 finite-difference steps) stops within about 1e-3 of the optimum.
      EXPECT_NEAR(f.coefficients[i], coef[i], 2e-3 * std::max(1.0, std::abs(coef[i]))) << what << " " << f.names[i];
    }
    const double ll = number(c["loglik"]);
    EXPECT_GE(f.log_likelihood, ll - 1e-6 * std::abs(ll)) << what;
    EXPECT_NEAR(f.log_likelihood, ll, 1e-3) << what;
    EXPECT_NEAR(f.sigma2, number(c["sigma2"]), 1e-4 * number(c["sigma2"])) << what;
    const auto mean = doubles(c["mean"]), hi95 = doubles(c["upper95"]);
    const auto out = f.forecast(static_cast<int>(mean.size()), std::vector<double>{80, 95});
    for (std::size_t h = 0; h < mean.size(); ++h) {
      EXPECT_NEAR(out.mean[h], mean[h], 1e-4 * std::max(1.0, std::abs(mean[h]))) << what << " h=" << h;
      EXPECT_NEAR(out.upper[1][h], hi95[h], 1e-3 * std::max(1.0, std::abs(hi95[h]))) << what << " h=" << h;
    }
    // Residuals as R's (innovations standardised by the Kalman gain; CSS residuals for CSS).
    const auto res = doubles(c["residuals"]);
    for (std::size_t t = 0; t < res.size(); ++t) {
      if (std::isnan(res[t])) continue;
      EXPECT_NEAR(f.residuals[t], res[t], 1e-3 * std::sqrt(f.sigma2) + 1e-3 * std::abs(res[t])) << what << " t=" << t;
    }
    ++n;
  }
  EXPECT_EQ(n, 5);
}

TEST(Arima, AutomaticSelectionEqualsRs) {
  int n = 0;
  for (const auto& c : arima_golden()["cases"]) {
    if (c["kind"] != "auto") continue;
    const auto y = series_of(c);
    fc::ArimaOptions o;
    o.season_length = c["m"].get<int>();
    const auto f = fc::fit_arima(y, o);
    const std::string method = c["method"].get<std::string>();
    // R prints trailing padding after the name; compare the order part.
    EXPECT_EQ(f.model_name.substr(0, f.model_name.find(' ')), method.substr(0, method.find(' '))) << c["series"];
    EXPECT_NEAR(f.aicc, number(c["aicc"]), 1e-3) << c["series"];
    EXPECT_FALSE(f.candidates.empty());
    // The unit-root tests: urca's KPSS statistic, ndiffs and nsdiffs.
    const int lags = static_cast<int>(3.0 * std::sqrt(static_cast<double>(y.size())) / 13.0);
    EXPECT_NEAR(fc::kpss_statistic(y, lags), number(c["kpss"]), 1e-10 * number(c["kpss"])) << c["series"];
    EXPECT_EQ(fc::number_of_differences(y), static_cast<int>(number(c["ndiffs"]))) << c["series"];
    EXPECT_EQ(fc::number_of_seasonal_differences(y, c["m"].get<int>()), static_cast<int>(number(c["nsdiffs"]))) << c["series"];
    ++n;
  }
  EXPECT_EQ(n, 5);
}

TEST(Arima, FourierRegressionIsAtLeastAsGoodAsRs) {
  // Hourly rentals with 4 Fourier pairs for the daily cycle and non-seasonal ARIMA errors: R's
  // stepwise search ends in ARIMA(3,1,4), AICc 13930.15; ours must reach that or better.
  for (const auto& c : arima_golden()["cases"]) {
    if (c["kind"] != "auto_xreg") continue;
    const auto y = series_of(c);
    bankquant::RowMatrix X(static_cast<Eigen::Index>(y.size()), static_cast<Eigen::Index>(c["xreg"].size()));
    bankquant::RowMatrix Xf(24, static_cast<Eigen::Index>(c["xreg"].size()));
    for (std::size_t j = 0; j < c["xreg"].size(); ++j) {
      const auto col = doubles(c["xreg"][j]), fut = doubles(c["xreg_future"][j]);
      for (std::size_t t = 0; t < y.size(); ++t) X(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) = col[t];
      for (int t = 0; t < 24; ++t) Xf(t, static_cast<Eigen::Index>(j)) = fut[static_cast<std::size_t>(t)];
    }
    fc::ArimaOptions o;
    o.season_length = 24;
    o.seasonal = false;
    const auto f = fc::fit_arima(y, o, X);
    EXPECT_LE(f.aicc, number(c["aicc"]) + 1e-6);
    EXPECT_EQ(f.n_regressors, 8);
    // Different ARMA orders, the same daily profile: the Fourier coefficients agree with R's
    // within two of our standard errors.
    const auto coef = doubles(c["coef"]);
    const std::size_t k = f.coefficients.size(), kr = coef.size();
    for (std::size_t j = 0; j < 8; ++j) {
      EXPECT_NEAR(f.coefficients[k - 8 + j], coef[kr - 8 + j], 2 * f.standard_errors[k - 8 + j]) << "Fourier term " << j;
    }
    const auto out = f.forecast(24, std::vector<double>{95}, Xf);
    EXPECT_EQ(out.mean.size(), 24U);
    EXPECT_THROW((void)f.forecast(24), bankquant::InvalidArgument);  // future regressors missing
  }
}

TEST(Arima, MissingValuesUseTheKalmanFilter) {
  auto y = doubles(arima_golden()["series"]["uk_gas"]);
  y[30] = y[31] = std::nan("");
  fc::ArimaOptions o;
  o.order = fc::ArimaOrder{0, 1, 1, 0, 1, 1, 4};
  const auto f = fc::fit_arima(y, o);
  EXPECT_EQ(f.method, fc::ArimaMethod::ml);  // R: CSS-ML becomes ML with missing values
  EXPECT_TRUE(std::isnan(f.residuals[30]));
  EXPECT_TRUE(std::isfinite(f.log_likelihood));
  EXPECT_EQ(f.nobs, static_cast<int>(y.size()) - 2 - 5);
}

TEST(Arima, BadInputIsRefusedByName) {
  auto expect_named = [](auto&& call, const std::string& name) {
    try {
      call();
      ADD_FAILURE() << "no exception for " << name;
    } catch (const bankquant::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("'" + name + "'"), std::string::npos) << e.what();
    }
  };
  const auto y = doubles(arima_golden()["series"]["uk_gas"]);
  fc::ArimaOptions o;
  o.order = fc::ArimaOrder{1, 0, 0, 1, 0, 0, 1};
  expect_named([&] { (void)fc::fit_arima(y, o); }, "order");
  o.order = fc::ArimaOrder{-1, 0, 0, 0, 0, 0, 1};
  expect_named([&] { (void)fc::fit_arima(y, o); }, "order.p");
  expect_named([&] { (void)fc::fit_arima(std::vector<double>{1, 2}, {}); }, "y");
  expect_named([&] { (void)fc::fit_arima(std::vector<double>{1, 2, INFINITY, 4}, {}); }, "y");
  bankquant::RowMatrix X(3, 1);
  expect_named([&] { (void)fc::fit_arima(y, {}, X); }, "xreg");
  fc::ArimaOptions drift;
  drift.order = fc::ArimaOrder{0, 1, 0, 0, 1, 0, 4};
  drift.include_drift = true;
  expect_named([&] { (void)fc::fit_arima(y, drift); }, "include_drift");
}

TEST(Arima, ModelFileRoundTripAndConstantSeries) {
  const auto y = doubles(arima_golden()["series"]["log_air_passengers"]);
  fc::ArimaOptions o;
  o.order = fc::ArimaOrder{0, 1, 1, 0, 1, 1, 12};
  const auto f = fc::fit_arima(y, o);
  const auto g = fc::ArimaFit::from_json(bankquant::io::parse_json(f.to_json().dump()));
  EXPECT_EQ(f.forecast(12, std::vector<double>{95}).upper, g.forecast(12, std::vector<double>{95}).upper);
  EXPECT_THROW((void)fc::ArimaFit::from_json(bankquant::io::parse_json(R"({"order": [1, 0]})")), bankquant::ModelFormatError);
  const auto flat = fc::fit_arima(std::vector<double>(40, 3.0), {});
  EXPECT_NE(flat.note.find("constant series"), std::string::npos);
  EXPECT_EQ(flat.forecast(3).mean[2], 3.0);
}
