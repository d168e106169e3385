// bankquant/forecast/prediction.hpp — what every forecasting model returns: a predictive
// distribution per step ahead, its mean and its central intervals.
//
// One Forecast type for every model (ETS, ARIMA, Theta, baselines, GLMs, Croston, ...):
//   mean[h]                 the point forecast (the model's conditional mean)
//   variance[h]             the predictive variance where the model has one (NaN otherwise)
//   levels                  coverage levels in percent, ascending (80, 95: R's and statsforecast's
//                           convention)
//   lower[l][h], upper[l][h]  the central level-l interval: quantiles (1 -+ l/100) / 2
//   distribution[h]         for counts: a Poisson or negative-binomial predictive distribution
//                           (core/count_distribution.hpp), so quantiles are whole customers; the
//                           staffing module mixes queue performance over it
//   interval_method         how the intervals were made: analytic (normal, from the model's
//                           variance), simulated (sample paths), conformal (quantiles of
//                           out-of-sample errors), count (quantiles of `distribution`)
//
// Count-aware forecasts match the first two moments of the model's predictive distribution: a
// mean mu and variance v give a negative binomial of size mu^2 / (v - mu) when v > mu (over-
// dispersed, the usual case for arrivals), else the Poisson(mu) (equidispersion is the least a
// count can vary). A GLM's own NB2 size is used as it is.
//
// A size below 1 means the model's predictive standard deviation exceeds its mean: no
// non-negative distribution with those two moments is bell-shaped, and the negative binomial
// piles its mass at 0 (on the call centre's 5-minute calls, non-seasonal ETS 169 steps ahead:
// sizes 0.01-0.07, 80% intervals [0, 1] around means near 30, covering 6-8% of the calls in
// 2- and 5-window cross-validations where normal intervals covered 65%; on hourly bikes, models
// with one variance for every hour give sizes below 1 at night). Such a forecast is returned, but count_shape_note() says
// so: it is the model that does not describe the counts (a dropped season, an additive model far
// ahead), and a seasonal model or a log transform is the remedy.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankquant/core/count_distribution.hpp"
#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::forecast {

enum class IntervalMethod { none, analytic, simulated, conformal, count };
BANKQUANT_ENUM_NAMES(IntervalMethod, {none, "none"}, {analytic, "analytic"}, {simulated, "simulated"},
                     {conformal, "conformal"}, {count, "count"})

/// How forecast() turns a model's predictive distribution into intervals.
enum class PredictiveDistribution { automatic, normal, count };
BANKQUANT_ENUM_NAMES(PredictiveDistribution, {automatic, "auto"}, {normal, "normal"}, {count, "count"})

struct Forecast {
  std::string model;
  std::vector<double> mean;
  std::vector<double> variance;
  std::vector<double> levels;
  std::vector<std::vector<double>> lower;
  std::vector<std::vector<double>> upper;
  std::vector<CountDistribution> distribution;
  IntervalMethod interval_method = IntervalMethod::none;

  [[nodiscard]] std::size_t horizon() const { return mean.size(); }

  static constexpr auto fields() {
    return std::tuple{
        field("model", &Forecast::model, "the model's name, e.g. 'ETS(M,Ad,M)'"),
        field("mean", &Forecast::mean, "point forecasts (conditional means), one per step ahead"),
        field("variance", &Forecast::variance, "predictive variances (NaN where the model has none)"),
        field("levels", &Forecast::levels, "interval coverage levels in percent, ascending"),
        field("lower", &Forecast::lower, "lower[i][h]: lower end of the levels[i] interval, step h"),
        field("upper", &Forecast::upper, "upper[i][h]: upper end of the levels[i] interval, step h"),
        field("distribution", &Forecast::distribution,
              "count-aware forecasts: the Poisson or negative-binomial predictive distribution per step"),
        field("interval_method", &Forecast::interval_method,
              "'analytic', 'simulated', 'conformal', 'count' or 'none'")};
  }
};

/// Checks levels (percent, each in (0, 100)) and returns them sorted ascending without duplicates.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> checked_levels(std::span<const double> levels,
                                                                  std::string_view argument = "level");

/// Normal quantile of the upper end of a central level-% interval: z with P(|Z| <= z) = level/100.
[[nodiscard]] BANKQUANT_EXPORT double normal_interval_z(double level);

/// Fills levels/lower/upper from mean and variance (mean -+ z sqrt(variance)); interval_method
/// becomes analytic.
BANKQUANT_EXPORT void set_normal_intervals(Forecast& f, std::span<const double> levels);

/// Moment-matched count distribution of a mean and a variance (see the top of this header); the
/// mean is clipped at 0 (a count cannot be expected negative).
[[nodiscard]] BANKQUANT_EXPORT CountDistribution moment_matched_count(double mean, double variance);

/// Replaces the intervals of f by those of count distributions: `distribution` from mean and
/// variance by moment matching when it is empty; mean clipped at 0; interval_method count.
BANKQUANT_EXPORT void set_count_intervals(Forecast& f, std::span<const double> levels);

/// Below this negative-binomial size the distribution is J-shaped (the gamma mixing density's mode
/// is at 0): see the top of this header.
inline constexpr double kDegenerateCountSize = 1.0;

/// Empty, or a note naming the model and how many of its steps have a negative-binomial size below
/// kDegenerateCountSize (count intervals that pile at 0), with the remedies.
[[nodiscard]] BANKQUANT_EXPORT std::string count_shape_note(const Forecast& f);

/// Quantiles of the predictive distribution at probabilities p (each in (0, 1)): rows are
/// probabilities, columns steps. Count forecasts give whole numbers; analytic ones the normal
/// quantile; others need analytic or count intervals (throws InvalidArgument otherwise).
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::vector<double>> forecast_quantiles(const Forecast& f,
                                                                                  std::span<const double> p);

/// Sets mean, intervals and count distributions of the steps where closed[h] is true to exactly 0
/// (structural zeros: a closed branch has no demand).
BANKQUANT_EXPORT void apply_structural_zeros(Forecast& f, std::span<const std::uint8_t> closed);

}  // namespace bankquant::forecast
