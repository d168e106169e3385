// bankquant/forecast/panel.hpp — many series, many models: the engine of bq.forecast.forecast().
//
// The series of a long panel arrive concatenated (values, with offsets[i]..offsets[i+1] the i-th
// series, regular steps, NaN for a missing step). Every (series, model) pair is fitted and
// forecast h steps ahead, series in parallel on bankquant's arena (threading.hpp); each series is
// independent, so results are bit-identical for any thread count. The result is the wide block
// of the long output frame: rows series-major (series i, steps 1..h), one column per model and
// per interval bound, named as statsforecast: "<model>", "<model>-lo-<level>", "<model>-hi-<level>",
// and, for count-aware forecasts, "<model>-size" (the negative-binomial size of the row's
// predictive distribution; inf: Poisson) — the interface the staffing module reads.
//
// Models and the rule each follows with season lengths m_1 < m_2 < ... (`season_length`):
//   ets             automatic ETS by AICc (fit_ets) with m = m_1; R's ets refuses m > 24, and so
//                   does this (non-seasonal, noted): use mstl or arima for long seasons
//   arima           auto.arima; with one m <= 24 seasonal ARIMA, else (a long season or several)
//                   non-seasonal ARIMA errors with K = min(m_j / 2, 5) Fourier pairs per period
//                   (Hyndman & Athanasopoulos, FPP3 ch. 12.1: "dynamic harmonic regression")
//   mstl            MSTL on every period with two seasons of data, ETS (no season) on the
//                   seasonally adjusted series, each seasonal component repeated from its last
//                   cycle (R's stlf / forecast(mstl(y)))
//   theta, optimized_theta, naive, snaive, drift, mean, window_average, croston, sba, tsb
//                   as fit_theta / fit_baseline / fit_intermittent with m = m_1
//   seasonal_window_average  fit_baseline with the longest season (a slot of the week holds the
//                   slot of the day) and `window` seasons (0: 6, or as many as the series holds)
// A seasonal model on a series shorter than two seasons (one season for snaive) falls back to
// its non-seasonal form, and a model that cannot take missing values gets them linearly
// interpolated; both are reported in `notes` (never silent).
//
// Transform: with 'log1p' or 'box_cox' every model is fitted on the transformed series and its
// forecast mapped back (transform.hpp) before the count conversion; fitted_models say so. ETS is
// then additive only (as R's ets with lambda); box_cox_lambda is in [-1, 2], and options that
// would be ignored (a lambda without 'box_cox', bias_adjust without a transform) are refused.
//
// Predictive distribution: "normal" keeps each model's own intervals; "count" replaces them by
// moment-matched Poisson / negative-binomial quantiles (prediction.hpp), whole customers, and
// needs non-negative integer data; "auto" is count when every observed value is a non-negative
// integer. Cost: the sum of the models' fits, divided over the threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/forecast/prediction.hpp"
#include "bankquant/forecast/transform.hpp"

namespace bankquant::forecast {

enum class PanelModel {
  ets, arima, mstl, theta, optimized_theta, naive, seasonal_naive, drift, mean, window_average,
  seasonal_window_average, croston, sba, tsb
};
BANKQUANT_ENUM_NAMES(PanelModel, {ets, "ets"}, {arima, "arima"}, {mstl, "mstl"}, {theta, "theta"},
                     {optimized_theta, "optimized_theta"}, {naive, "naive"}, {seasonal_naive, "snaive"},
                     {drift, "drift"}, {mean, "mean"}, {window_average, "window_average"},
                     {seasonal_window_average, "seasonal_window_average"}, {croston, "croston"},
                     {sba, "sba"}, {tsb, "tsb"})

struct PanelOptions {
  std::vector<PanelModel> models = {PanelModel::ets};
  int h = 1;
  std::vector<double> level;
  std::vector<int> season_length;
  PredictiveDistribution distribution = PredictiveDistribution::automatic;
  int window = 0;
  Transform transform = Transform::none;
  double box_cox_lambda = 0.0;
  bool bias_adjust = false;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("models", &PanelOptions::models, "models to fit, e.g. ['ets', 'snaive'] (see panel.hpp)"),
        field("h", &PanelOptions::h, "steps ahead (>= 1)"),
        field("level", &PanelOptions::level, "interval levels in percent, e.g. [80, 95] (empty: none)"),
        field("season_length", &PanelOptions::season_length,
              "observations per seasonal cycle, one or several (empty: 1, no season)"),
        field("distribution", &PanelOptions::distribution,
              "'auto' (count for non-negative integer data), 'normal' or 'count'"),
        field("window", &PanelOptions::window,
              "window of window_average (0: the first season length, or 7); seasons of seasonal_window_average "
              "(0: 6, or as many as the series holds)"),
        field("transform", &PanelOptions::transform,
              "'none', 'log1p' (fit on log(1 + y): errors proportional to the level, for counts) or 'box_cox' "
              "(with box_cox_lambda); forecasts come back on the original scale (forecast/transform.hpp)"),
        field("box_cox_lambda", &PanelOptions::box_cox_lambda,
              "Box-Cox parameter of transform='box_cox' (0: log, 0.5: square root, 1: none), R's lambda"),
        field("bias_adjust", &PanelOptions::bias_adjust,
              "with a transform: point forecasts are means (R's biasadj) rather than medians")};
  }
};

struct PanelForecast {
  std::vector<std::string> columns;
  RowMatrix values;                 // (series x h) rows, one column per name in `columns`
  std::vector<std::string> notes;   // per series: the fallbacks applied, "" if none
  std::vector<std::string> fitted_models;  // per series and model (series-major): e.g. "ETS(M,N,M)"
  bool count = false;

  static constexpr auto fields() {
    return std::tuple{field("columns", &PanelForecast::columns, "names of the columns of values"),
                      field("values", &PanelForecast::values, "rows: series-major, steps 1..h"),
                      field("notes", &PanelForecast::notes, "fallbacks applied per series"),
                      field("fitted_models", &PanelForecast::fitted_models,
                            "the model each fit chose, series-major then model"),
                      field("count", &PanelForecast::count, "count-aware intervals and '-size' columns")};
  }
};

/// Forecasts every series of the panel with every model (see the top). `offsets` has one entry
/// per series plus one (0, ..., values.size()); `series_names` (optional, for messages) one per
/// series. Throws InvalidArgument naming 'y', 'models', 'h', 'level' or 'season_length'.
[[nodiscard]] BANKQUANT_EXPORT PanelForecast forecast_panel(std::span<const double> values,
                                                            std::span<const std::int64_t> offsets,
                                                            const PanelOptions& options,
                                                            const std::vector<std::string>& series_names = {});

/// One series, one model: the Forecast forecast_panel() puts in its columns (before the count
/// conversion), and the note of any fallback.
struct ModelForecast {
  Forecast forecast;
  std::string note;
};
[[nodiscard]] BANKQUANT_EXPORT ModelForecast forecast_model(std::span<const double> y, PanelModel model,
                                                            const PanelOptions& options);

}  // namespace bankquant::forecast
