// bankquant/forecast/accuracy.hpp — forecast accuracy measures (Hyndman & Koehler 2006; Winkler
// 1972; Gneiting & Raftery 2007 for the pinball loss). Pairs where the actual or the forecast is
// NaN are skipped (a missing actual is not an error); no pair left gives NaN. O(n).
//   mae   mean |y - f|                 rmse  sqrt(mean (y - f)^2)
//   smape mean 200 |y - f| / (|y| + |f|) (percent; 0 when both are 0, as statsforecast)
//   mase  mae / (in-sample mean |y_t - y_{t-m}|) (R's accuracy(), seasonal naive scale)
//   coverage  share of y inside [lower, upper]
//   winkler   mean (upper - lower) + (2 / alpha)(lower - y)+ + (2 / alpha)(y - upper)+, alpha = 1 - level/100
//   pinball   mean max(p (y - q), (p - 1)(y - q)) of the p-quantile forecast q
#pragma once

#include <span>

#include "bankquant/export.hpp"

namespace bankquant::forecast {

[[nodiscard]] BANKQUANT_EXPORT double mean_absolute_error(std::span<const double> actual, std::span<const double> forecast);
[[nodiscard]] BANKQUANT_EXPORT double root_mean_squared_error(std::span<const double> actual, std::span<const double> forecast);
[[nodiscard]] BANKQUANT_EXPORT double symmetric_mape(std::span<const double> actual, std::span<const double> forecast);
/// `insample` is the training series whose seasonal-naive errors at lag `season_length` scale the MAE.
[[nodiscard]] BANKQUANT_EXPORT double mean_absolute_scaled_error(std::span<const double> actual, std::span<const double> forecast,
                                                                 std::span<const double> insample, int season_length = 1);
[[nodiscard]] BANKQUANT_EXPORT double interval_coverage(std::span<const double> actual, std::span<const double> lower,
                                                        std::span<const double> upper);
[[nodiscard]] BANKQUANT_EXPORT double winkler_score(std::span<const double> actual, std::span<const double> lower,
                                                    std::span<const double> upper, double level);
[[nodiscard]] BANKQUANT_EXPORT double pinball_loss(std::span<const double> actual, std::span<const double> quantile,
                                                   double probability);

}  // namespace bankquant::forecast
