// bankquant/forecast/baselines.hpp — the benchmark forecasts every model must beat.
//
// As R's forecast package (8.20) computes them, intervals included:
//   naive            y_n; residuals y_t - y_{t-1}; se_h = sigma sqrt(h)                 (rwf)
//   seasonal_naive   y_{n+h-m}; residuals y_t - y_{t-m}; se_h = sigma sqrt(ceil(h/m))   (snaive)
//   drift            y_n + h b, b the mean first difference; se_h =
//                    sqrt(sigma^2 h + (h se(b))^2)                                      (rwf drift)
//   mean             the sample mean; Student-t interval s sqrt(1 + 1/n), n - 1 df      (meanf)
//   window_average   the mean of the last `window` observations (statsforecast's
//                    WindowAverage); interval mean -+ z s_w sqrt(1 + 1/window), s_w the
//                    standard deviation of the one-step errors of the rolling window mean
//   seasonal_window_average  each slot of the season (a weekday's 5-minute interval, an hour of
//                    the week) forecast by its mean over the last `window` seasons
//                    (statsforecast's SeasonalWindowAverage); interval mean -+ z s_p
//                    sqrt(1 + 1/k_p), s_p the sample sd of slot p's k_p observed values, so
//                    quiet slots get narrow intervals and busy ones wide (one variance for
//                    every slot gave night hours negative-binomial sizes below 1). The call
//                    centre's classic plan: on its 5-minute calls (12 held-out weeks) the mean of
//                    the last 6 weeks by weekday and slot has MAE 18.7, MSTL 20.4, snaive 24.6;
//                    its intervals are narrower than they should be (80% cover 0.75), since the
//                    level moves from week to week and k values estimate a slot's spread.
// sigma^2 = sum of squared residuals / (their number - [drift]). Missing values (NaN) are carried
// over as R does (a missing lag takes the value before it) and skipped in the residuals.
// O(n) to fit, O(h) to forecast.
#pragma once

#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/forecast/prediction.hpp"

namespace bankquant::forecast {

enum class BaselineMethod { naive, seasonal_naive, drift, mean, window_average, seasonal_window_average };
BANKQUANT_ENUM_NAMES(BaselineMethod, {naive, "naive"}, {seasonal_naive, "seasonal_naive"}, {drift, "drift"},
                     {mean, "mean"}, {window_average, "window_average"},
                     {seasonal_window_average, "seasonal_window_average"})

struct BaselineOptions {
  BaselineMethod method = BaselineMethod::naive;
  int season_length = 1;
  int window = 7;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &BaselineOptions::method,
              "'naive', 'seasonal_naive', 'drift', 'mean', 'window_average' or 'seasonal_window_average'"),
        field("season_length", &BaselineOptions::season_length,
              "the lag of the seasonal naive method, the cycle of seasonal_window_average"),
        field("window", &BaselineOptions::window,
              "observations averaged by window_average, seasons by seasonal_window_average (statsforecast: required)")};
  }
};

struct BaselineFit {
  BaselineMethod method = BaselineMethod::naive;
  int season_length = 1;
  int window = 1;
  std::vector<double> last;  // the values the forecast repeats (last season, last value, or the mean)
  double drift = 0.0;
  double drift_se = 0.0;
  double sigma2 = 0.0;
  double sd = 0.0;  // mean: sample sd; window_average: sd of the window's one-step errors
  std::vector<double> slot_sd;  // seasonal_window_average: predictive sd per slot, s_p sqrt(1 + 1/k_p)
  int nobs = 0;
  std::vector<double> fitted;
  std::vector<double> residuals;

  [[nodiscard]] BANKQUANT_EXPORT std::string name() const;
  [[nodiscard]] BANKQUANT_EXPORT Forecast forecast(int h, std::span<const double> levels = {}) const;
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static BaselineFit from_json(const io::Json& model);

  static constexpr auto fields() {
    return std::tuple{field("method", &BaselineFit::method, "the method"),
                      field("season_length", &BaselineFit::season_length, "lag of seasonal_naive"),
                      field("window", &BaselineFit::window, "window of window_average"),
                      field("last", &BaselineFit::last, "the values the forecast repeats"),
                      field("drift", &BaselineFit::drift, "drift per step (drift method)"),
                      field("drift_se", &BaselineFit::drift_se, "standard error of the drift"),
                      field("sigma2", &BaselineFit::sigma2, "residual variance of the one-step method"),
                      field("sd", &BaselineFit::sd, "mean: sample sd; window_average: sd of its one-step errors"),
                      field("slot_sd", &BaselineFit::slot_sd,
                            "seasonal_window_average: predictive sd per slot of the season (empty otherwise)"),
                      field("nobs", &BaselineFit::nobs, "observed values"),
                      field("fitted", &BaselineFit::fitted, "in-sample one-step forecasts (NaN where none)"),
                      field("residuals", &BaselineFit::residuals, "y - fitted")};
  }
};

/// Fits a baseline to y (NaN = missing). Throws InvalidArgument for too few observations
/// (seasonal_naive needs one full season, drift two values, window_average `window`,
/// seasonal_window_average `window` full seasons).
[[nodiscard]] BANKQUANT_EXPORT BaselineFit fit_baseline(std::span<const double> y, const BaselineOptions& options = {});

}  // namespace bankquant::forecast
