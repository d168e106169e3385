// bankquant/staffing/requirements.hpp — staff per interval from a forecast of arrivals.
//
// The staffing module consumes forecasts (issue 11's output) as one predictive distribution of the
// arrival count per interval: core's CountDistribution (Poisson, or negative binomial with size r).
// No forecast-module type is used, so staffing depends on core only.
//
// Time-varying arrivals, interval by interval:
//   sipp         stationary independent period-by-period: each interval is staffed as a stationary
//                queue at its own rate (Green, Kolesar and Soares 2001).
//   lagged_sipp  each interval is staffed for the time-average over the interval of the offered
//                load of the M(t)/M/inf system fed by the same arrivals, m'(t) = lambda(t) - m / s
//                (Eick, Massey and Whitt 1993; Green, Kolesar and Whitt 2007, "Coping with
//                time-varying demand when setting staffing requirements"), solved exactly for
//                piecewise-constant rates and started empty at each period's opening. The load lags
//                the arrivals by about one service time, which SIPP misses when rates change fast
//                relative to handling times (peaks, openings).
// The forecast's uncertainty, three ways:
//   mean         staff for the forecast mean.
//   quantile     staff for the count quantile (whole customers, R's qpois/qnbinom rule).
//   mixture      Jongbloed and Koole (2001), "Managing uncertainty in call centres using Poisson
//                mixtures": a negative-binomial forecast is a Poisson count whose rate is
//                Gamma(r, mean / r) — the rate itself is uncertain. The measures are averaged over
//                that rate, weighted by the arrivals it brings (the long-run share of customers
//                answered in time; Steckley, Henderson and Mehrotra 2009), and the smallest
//                staffing whose averaged measures meet the targets is chosen. Weighting a
//                Gamma(r, 1/r) factor by itself gives a Gamma(r + 1, 1/r) factor, integrated by
//                composite Gauss-Legendre (16 panels x 8 nodes) in its probability scale, so the kink
//                where an Erlang C queue turns unstable sits inside one narrow panel. A Poisson
//                forecast carries no rate uncertainty beyond the Poisson noise the queue already
//                models: mixture equals mean there.
// The ASA of an Erlang C queue averaged over an unbounded rate distribution is infinite (some
// rates exceed any capacity), so mixture with max_asa needs finite patience (Erlang A).
//
// Cost: O(intervals x required-servers search); mixture multiplies the search by the 128 nodes.
// Intervals run in parallel in fixed chunks (identical for any thread count).
#pragma once

#include <cstddef>
#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/count_distribution.hpp"
#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/staffing/required_servers.hpp"

namespace bankquant::staffing {

enum class PeriodMethod { sipp, lagged_sipp };
BANKQUANT_ENUM_NAMES(PeriodMethod, {sipp, "sipp"}, {lagged_sipp, "lagged_sipp"})

enum class ForecastUse { mean, quantile, mixture };
BANKQUANT_ENUM_NAMES(ForecastUse, {mean, "mean"}, {quantile, "quantile"}, {mixture, "mixture"})

struct RequirementOptions {
  QueueModel queue;
  StaffingTarget target;
  double interval_length = 1.0;
  PeriodMethod period_method = PeriodMethod::sipp;
  ForecastUse use = ForecastUse::mean;
  double quantile = 0.9;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("queue", &RequirementOptions::queue, "the queue the arrivals meet (QueueModel)"),
        field("target", &RequirementOptions::target, "what must hold in every interval (StaffingTarget)"),
        field("interval_length", &RequirementOptions::interval_length,
              "length of one forecast interval in time units: rate = count / interval_length"),
        field("period_method", &RequirementOptions::period_method,
              "'sipp' (each interval stationary) or 'lagged_sipp' (the M(t)/M/inf offered load)"),
        field("use", &RequirementOptions::use, "staff for the forecast's 'mean', a 'quantile', or the 'mixture'"),
        field("quantile", &RequirementOptions::quantile,
              "the count quantile staffed for with use = 'quantile', in (0, 1) (0.9: a common planning quantile)")};
  }
};

struct RequirementResult {
  std::vector<double> arrival_rate;
  std::vector<int> servers;
  std::vector<int> staff;
  std::vector<double> service_level;
  std::vector<double> asa;
  std::vector<double> prob_abandon;
  std::vector<double> occupancy;

  static constexpr auto fields() {
    return std::tuple{
        field("arrival_rate", &RequirementResult::arrival_rate,
              "the rate each interval is staffed for (after the lag and the quantile; the mean for mixture)"),
        field("servers", &RequirementResult::servers, "servers needed on the queue"),
        field("staff", &RequirementResult::staff, "staff to schedule: servers grossed up for shrinkage"),
        field("service_level", &RequirementResult::service_level,
              "service level at those servers (averaged over the forecast for mixture)"),
        field("asa", &RequirementResult::asa, "average speed of answer at those servers"),
        field("prob_abandon", &RequirementResult::prob_abandon, "abandonment probability at those servers"),
        field("occupancy", &RequirementResult::occupancy, "server occupancy at those servers")};
  }
};

/// Requirements for a forecast given as per-interval count distributions. `period_starts` lists the
/// intervals where a new period (a day: the queue starts empty) begins, increasing; interval 0
/// always starts one.
[[nodiscard]] BANKQUANT_EXPORT RequirementResult staffing_requirements(std::span<const CountDistribution> forecast,
                                                                       std::span<const std::size_t> period_starts,
                                                                       const RequirementOptions& options);

/// The same from arrays: mean counts per interval and negative-binomial sizes (empty, or inf
/// entries, for Poisson).
[[nodiscard]] BANKQUANT_EXPORT RequirementResult staffing_requirements(std::span<const double> mean,
                                                                       std::span<const double> size,
                                                                       std::span<const std::size_t> period_starts,
                                                                       const RequirementOptions& options);

/// The lagged-SIPP effective rates: per interval, the interval's average M(t)/M/inf offered load
/// divided by the service time (empty at each period start).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> lagged_rates(std::span<const double> rates, double interval_length,
                                                                double service_time,
                                                                std::span<const std::size_t> period_starts);

/// The measures of `servers` facing a rate with a Gamma(size, mean / size) uncertainty, averaged as
/// in use = 'mixture' (size inf: the measures at the mean).
[[nodiscard]] BANKQUANT_EXPORT QueueMeasures mixed_measures(double mean_rate, double size, int servers,
                                                            const QueueModel& model, double target_time);

}  // namespace bankquant::staffing
