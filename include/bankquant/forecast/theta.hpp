// bankquant/forecast/theta.hpp — the Theta method: standard (Assimakopoulos and Nikolopoulos 2000,
// as R's forecast::thetaf) and optimised (Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler
// 2016, "Models for optimising the theta method and their relationship to state space models").
//
// Both first test for seasonality as R's thetaf: with r_k the autocorrelations, seasonal when
// |r_m| / sqrt((1 + 2 sum_{k<m} r_k^2) / n) > qnorm(0.95) (and n > 2m); the series is then
// divided by its multiplicative classical decomposition and the forecasts multiplied back by the
// last season's indices.
//   standard   simple exponential smoothing fitted by one-step MSE (R's ses), plus half the
//              slope b of the regression on time: yhat_{n+h} = l_n + b/2 (h - 1 + (1 - (1 - a)^n) / a)
//              (Hyndman and Billah 2003); se_h = sigma sqrt((h - 1) a^2 + 1) as R
//   optimised  Fiorucci et al.'s OTM: mu_t = l_{t-1} + (1 - 1/theta) [(1 - a)^{t-1} A_{t-1} +
//              (1 - (1 - a)^t) / a B_{t-1}], l_t = a y_t + (1 - a) l_{t-1}, with A_t, B_t the
//              intercept and slope of the least-squares line through y_1..y_t (updated
//              recursively); l_0, a in [1e-4, 0.9999] and theta >= 1 minimise the one-step MSE
//              (core/optimize, bounded L-BFGS with numerical gradients on 3 parameters);
//              theta = 2 is the standard method up to its start-up term. Intervals as the
//              standard method's with the OTM's residual variance.
// O(n) per evaluation; a fit takes some tens of evaluations.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/model_io.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/forecast/prediction.hpp"

namespace bankquant::forecast {

struct ThetaOptions {
  int season_length = 1;
  bool optimized = false;
  std::optional<double> theta;
  std::optional<bool> seasonal;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("season_length", &ThetaOptions::season_length, "observations per season (1: none)"),
        field("optimized", &ThetaOptions::optimized,
              "estimate theta (Fiorucci et al. 2016's OTM) instead of theta = 2 (R's thetaf)"),
        field("theta", &ThetaOptions::theta, "fixed theta >= 1 for the optimised model (None: estimated)"),
        field("seasonal", &ThetaOptions::seasonal,
              "deseasonalise: True, False, or None for R's autocorrelation test at the 90% level")};
  }
};

struct ThetaFit {
  bool optimized = false;
  bool seasonal = false;
  int season_length = 1;
  double alpha = 0.0;
  double theta = 2.0;
  double level = 0.0;          // l_n (of the seasonally adjusted series)
  double initial_level = 0.0;  // l_0
  double drift = 0.0;          // b / 2 (standard) or B_n (optimised)
  double intercept = 0.0;      // A_n (optimised)
  int nobs = 0;
  double sigma2 = 0.0;
  std::vector<double> season;  // the last m seasonal indices (when seasonal)
  std::vector<double> fitted;
  std::vector<double> residuals;
  Status status;

  [[nodiscard]] BANKQUANT_EXPORT std::string name() const;
  [[nodiscard]] BANKQUANT_EXPORT Forecast forecast(int h, std::span<const double> levels = {}) const;
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static ThetaFit from_json(const io::Json& model);

  static constexpr auto fields() {
    return std::tuple{field("optimized", &ThetaFit::optimized, "Fiorucci et al.'s OTM (else R's thetaf)"),
                      field("seasonal", &ThetaFit::seasonal, "the series was deseasonalised"),
                      field("season_length", &ThetaFit::season_length, "observations per season"),
                      field("alpha", &ThetaFit::alpha, "smoothing parameter"),
                      field("theta", &ThetaFit::theta, "theta (2 for the standard method)"),
                      field("level", &ThetaFit::level, "last smoothed level (seasonally adjusted)"),
                      field("initial_level", &ThetaFit::initial_level, "l_0"),
                      field("drift", &ThetaFit::drift, "standard: half the slope; optimised: the slope B_n"),
                      field("intercept", &ThetaFit::intercept, "optimised: the intercept A_n"),
                      field("nobs", &ThetaFit::nobs, "observations"),
                      field("sigma2", &ThetaFit::sigma2, "one-step error variance"),
                      field("season", &ThetaFit::season, "the last season's multiplicative indices"),
                      field("fitted", &ThetaFit::fitted, "one-step in-sample forecasts"),
                      field("residuals", &ThetaFit::residuals, "y - fitted"),
                      field("status", &ThetaFit::status, "how the fit ended")};
  }
};

/// Fits the Theta method to y (no missing values; at least 4 observations). Throws
/// InvalidArgument naming 'y' or the option.
[[nodiscard]] BANKQUANT_EXPORT ThetaFit fit_theta(std::span<const double> y, const ThetaOptions& options = {});

/// R's thetaf seasonality test.
[[nodiscard]] BANKQUANT_EXPORT bool theta_seasonality_test(std::span<const double> y, int season_length);

}  // namespace bankquant::forecast
