// bankquant/forecast/intermittent.hpp — intermittent demand: a small branch where most intervals
// see nobody.
//
//   croston  Croston (1972) as R's forecast::croston: the non-zero demands z and the intervals p
//            between them smoothed separately by simple exponential smoothing (alpha, R's default
//            0.1, started at the first value: R's ses(initial = "simple")); forecast z / p
//   sba      Syntetos and Boylan (2005): Croston times (1 - alpha / 2), which removes its bias
//   tsb      Teunter, Syntetos and Babai (2011): the demand probability d is smoothed every period
//            (beta, on the 0/1 occurrence), the size z only when demand occurs (alpha); forecast
//            d z — it decays towards zero while no demand comes, so obsolete branches fade
// `optimized` picks alpha (and beta) in [0.05, 0.5] minimising the one-step MSE (statsforecast's
// CrostonOptimized idea; bounded BOBYQA from core/optimize). Forecasts are flat over the horizon;
// their variance is the in-sample mean squared one-step error (no model-based variance exists for
// these methods), so count-aware intervals come from a negative binomial matched to it.
// Negative demand is an error; non-integer sizes are allowed (the count interval then rounds).
// O(n) per fit (per evaluation when optimised).
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

enum class IntermittentMethod { croston, sba, tsb };
BANKQUANT_ENUM_NAMES(IntermittentMethod, {croston, "croston"}, {sba, "sba"}, {tsb, "tsb"})

struct IntermittentOptions {
  IntermittentMethod method = IntermittentMethod::croston;
  double alpha = 0.1;
  double beta = 0.1;
  bool optimized = false;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &IntermittentOptions::method, "'croston', 'sba' or 'tsb'"),
        field("alpha", &IntermittentOptions::alpha,
              "smoothing of sizes (and, for Croston/SBA, intervals); R's croston default 0.1"),
        field("beta", &IntermittentOptions::beta, "TSB: smoothing of the demand probability (default 0.1)"),
        field("optimized", &IntermittentOptions::optimized,
              "choose alpha (and beta) in [0.05, 0.5] by one-step MSE instead of the fixed values")};
  }
};

struct IntermittentFit {
  IntermittentMethod method = IntermittentMethod::croston;
  double alpha = 0.1;
  double beta = 0.1;
  double demand = 0.0;    // smoothed size z
  double interval = 0.0;  // Croston/SBA: smoothed interval p; TSB: probability d
  double point = 0.0;     // the flat forecast
  double mse = 0.0;
  int nobs = 0;
  std::vector<double> fitted;
  std::vector<double> residuals;

  [[nodiscard]] BANKQUANT_EXPORT std::string name() const;
  [[nodiscard]] BANKQUANT_EXPORT Forecast forecast(int h, std::span<const double> levels = {}) const;
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static IntermittentFit from_json(const io::Json& model);

  static constexpr auto fields() {
    return std::tuple{field("method", &IntermittentFit::method, "the method"),
                      field("alpha", &IntermittentFit::alpha, "size (and interval) smoothing"),
                      field("beta", &IntermittentFit::beta, "TSB probability smoothing"),
                      field("demand", &IntermittentFit::demand, "smoothed non-zero demand size"),
                      field("interval", &IntermittentFit::interval,
                            "Croston/SBA: smoothed interval between demands; TSB: demand probability"),
                      field("point", &IntermittentFit::point, "the forecast per period"),
                      field("mse", &IntermittentFit::mse, "in-sample one-step mean squared error"),
                      field("nobs", &IntermittentFit::nobs, "observations"),
                      field("fitted", &IntermittentFit::fitted, "one-step forecasts (NaN where none)"),
                      field("residuals", &IntermittentFit::residuals, "y - fitted")};
  }
};

/// Fits y (non-negative; NaN not allowed). Throws InvalidArgument naming 'y' or the option.
[[nodiscard]] BANKQUANT_EXPORT IntermittentFit fit_intermittent(std::span<const double> y,
                                                                const IntermittentOptions& options = {});

}  // namespace bankquant::forecast
