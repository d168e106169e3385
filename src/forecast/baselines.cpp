#include "bankquant/forecast/baselines.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "series_tools.hpp"

namespace bankquant::forecast {

namespace {
using bankquant::detail::kNaN;

void check_series(std::span<const double> y) {
  check::not_empty("y", y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isinf(y[i])) check::fail("y", fmt::format("expected finite values or NaN for missing ones, found {} at index {}", y[i], i));
  }
}
}  // namespace

void BaselineOptions::validate() const {
  check::integer_at_least("season_length", season_length, 1);
  check::integer_at_least("window", window, 1);
}

std::string BaselineFit::name() const {
  switch (method) {
    case BaselineMethod::naive: return "Naive";
    case BaselineMethod::seasonal_naive: return fmt::format("SeasonalNaive(m={})", season_length);
    case BaselineMethod::drift: return "Drift";
    case BaselineMethod::mean: return "Mean";
    case BaselineMethod::window_average: return fmt::format("WindowAverage(window={})", window);
    case BaselineMethod::seasonal_window_average:
      return fmt::format("SeasonalWindowAverage(m={}, window={})", season_length, window);
  }
  return "?";
}

BaselineFit fit_baseline(std::span<const double> y, const BaselineOptions& o) {
  o.validate();
  check_series(y);
  const int n = static_cast<int>(y.size());
  BaselineFit f;
  f.method = o.method;
  f.season_length = o.season_length;
  f.window = o.window;
  f.nobs = static_cast<int>(detail::count_observed(y));
  if (f.nobs == 0) check::fail("y", "expected at least one observed value, got only missing ones");
  f.fitted.assign(static_cast<std::size_t>(n), kNaN);
  f.residuals.assign(static_cast<std::size_t>(n), kNaN);
  if (o.method == BaselineMethod::mean) {
    double mean = detail::observed_mean(y), ss = 0.0;
    for (double v : y) {
      if (!std::isnan(v)) ss += (v - mean) * (v - mean);
    }
    f.sd = f.nobs > 1 ? std::sqrt(ss / (f.nobs - 1)) : kNaN;
    f.last = {mean};
    for (int t = 0; t < n; ++t) {
      f.fitted[static_cast<std::size_t>(t)] = mean;
      f.residuals[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t)] - mean;
    }
    f.sigma2 = f.sd * f.sd;
    return f;
  }
  if (o.method == BaselineMethod::window_average) {
    if (f.nobs < o.window) {
      check::fail("y", fmt::format("window_average with window = {} needs that many observed values, got {}", o.window, f.nobs));
    }
    // Rolling mean of the last `window` observed values, as one-step forecasts.
    std::vector<double> kept;
    double sum = 0.0, ss = 0.0;
    int errors = 0;
    for (int t = 0; t < n; ++t) {
      const double v = y[static_cast<std::size_t>(t)];
      if (static_cast<int>(kept.size()) >= o.window) {
        const double mean = sum / o.window;
        f.fitted[static_cast<std::size_t>(t)] = mean;
        if (!std::isnan(v)) {
          f.residuals[static_cast<std::size_t>(t)] = v - mean;
          ss += (v - mean) * (v - mean);
          ++errors;
        }
      }
      if (std::isnan(v)) continue;
      kept.push_back(v);
      sum += v;
      if (static_cast<int>(kept.size()) > o.window) sum -= kept[kept.size() - 1 - static_cast<std::size_t>(o.window)];
    }
    f.last = {sum / o.window};
    f.sd = errors > 0 ? std::sqrt(ss / errors) : kNaN;
    f.sigma2 = f.sd * f.sd;
    return f;
  }
  if (o.method == BaselineMethod::seasonal_window_average) {
    const int m = o.season_length;
    if (n < m * o.window) {
      check::fail("y", fmt::format("seasonal_window_average with window = {} seasons of {} needs {} observations, got {}",
                                   o.window, m, m * o.window, n));
    }
    // Slot p of the next season is slot p of the last `window` seasons.
    f.last.assign(static_cast<std::size_t>(m), kNaN);
    f.slot_sd.assign(static_cast<std::size_t>(m), kNaN);
    double pooled = 0.0;
    int pooled_dof = 0;
    std::vector<int> counts(static_cast<std::size_t>(m), 0);
    for (int p = 0; p < m; ++p) {
      double sum = 0.0, ss = 0.0;
      int k = 0;
      for (int j = 0; j < o.window; ++j) {
        const double v = y[static_cast<std::size_t>(n - m + p - m * j)];
        if (!std::isnan(v)) {
          sum += v;
          ++k;
        }
      }
      if (k == 0) {
        check::fail("y", fmt::format("seasonal_window_average: slot {} of the season of {} has no observed value in the "
                                     "last {} seasons", p + 1, m, o.window));
      }
      const double mean = sum / k;
      for (int j = 0; j < o.window; ++j) {
        const double v = y[static_cast<std::size_t>(n - m + p - m * j)];
        if (!std::isnan(v)) ss += (v - mean) * (v - mean);
      }
      f.last[static_cast<std::size_t>(p)] = mean;
      counts[static_cast<std::size_t>(p)] = k;
      if (k > 1) f.slot_sd[static_cast<std::size_t>(p)] = std::sqrt(ss / (k - 1));
      pooled += ss;
      pooled_dof += k - 1;
    }
    // A slot seen once takes the pooled sd of the others (none: a window of one season has no spread).
    const double pooled_sd = pooled_dof > 0 ? std::sqrt(pooled / pooled_dof) : kNaN;
    for (int p = 0; p < m; ++p) {
      auto& sd = f.slot_sd[static_cast<std::size_t>(p)];
      if (std::isnan(sd)) sd = pooled_sd;
      sd *= std::sqrt(1.0 + 1.0 / counts[static_cast<std::size_t>(p)]);
    }
    // In-sample one-step forecasts: the mean of the same slot in the `window` seasons before.
    double ss = 0.0;
    int errors = 0;
    for (int t = m * o.window; t < n; ++t) {
      double sum = 0.0;
      int k = 0;
      for (int j = 1; j <= o.window; ++j) {
        const double v = y[static_cast<std::size_t>(t - m * j)];
        if (!std::isnan(v)) {
          sum += v;
          ++k;
        }
      }
      if (k == 0) continue;
      const double fit = sum / k, v = y[static_cast<std::size_t>(t)];
      f.fitted[static_cast<std::size_t>(t)] = fit;
      if (!std::isnan(v)) {
        f.residuals[static_cast<std::size_t>(t)] = v - fit;
        ss += (v - fit) * (v - fit);
        ++errors;
      }
    }
    f.sigma2 = errors > 0 ? ss / errors : kNaN;
    f.sd = pooled_sd;
    return f;
  }
  const int lag = o.method == BaselineMethod::seasonal_naive ? o.season_length : 1;
  if (n <= lag) {
    check::fail("y", fmt::format("{} needs more than {} observations, got {}",
                                 o.method == BaselineMethod::seasonal_naive ? "seasonal_naive (one full season)" : "the method",
                                 lag, n));
  }
  // R's lagwalk: fits[t] = y[t - lag], a missing lag taking the fit before it.
  std::vector<double> lagged(static_cast<std::size_t>(n), kNaN);
  for (int t = lag; t < n; ++t) {
    double v = y[static_cast<std::size_t>(t - lag)];
    if (std::isnan(v) && t - lag >= lag) v = lagged[static_cast<std::size_t>(t - lag)];
    lagged[static_cast<std::size_t>(t)] = v;
  }
  // The future: the last `lag` values, each missing one replaced by the value a lag before.
  f.last.resize(static_cast<std::size_t>(lag));
  for (int i = 0; i < lag; ++i) {
    const int t = n - lag + i;
    double v = y[static_cast<std::size_t>(t)];
    if (std::isnan(v)) v = lagged[static_cast<std::size_t>(t)];
    f.last[static_cast<std::size_t>(i)] = v;
  }
  double ss = 0.0;
  int count = 0;
  if (o.method == BaselineMethod::drift) {
    // lm(y - fitted ~ 1): b the mean difference, its standard error s / sqrt(count).
    double sum = 0.0;
    for (int t = lag; t < n; ++t) {
      const double d = y[static_cast<std::size_t>(t)] - lagged[static_cast<std::size_t>(t)];
      if (!std::isnan(d)) {
        sum += d;
        ++count;
      }
    }
    if (count < 2) check::fail("y", fmt::format("the drift method needs at least two observed differences, got {}", count));
    f.drift = sum / count;
    double sd2 = 0.0;
    for (int t = lag; t < n; ++t) {
      const double d = y[static_cast<std::size_t>(t)] - lagged[static_cast<std::size_t>(t)];
      if (!std::isnan(d)) sd2 += (d - f.drift) * (d - f.drift);
    }
    const double s = std::sqrt(sd2 / (count - 1));
    f.drift_se = s / std::sqrt(static_cast<double>(count));
  }
  for (int t = lag; t < n; ++t) {
    const double fit = lagged[static_cast<std::size_t>(t)] + f.drift;
    f.fitted[static_cast<std::size_t>(t)] = fit;
    const double r = y[static_cast<std::size_t>(t)] - fit;
    f.residuals[static_cast<std::size_t>(t)] = r;
    if (!std::isnan(r)) {
      ss += r * r;
      if (o.method != BaselineMethod::drift) ++count;
    }
  }
  if (count == 0) check::fail("y", "expected at least one observed one-step difference, got none");
  const int dof = count - (o.method == BaselineMethod::drift ? 1 : 0);
  f.sigma2 = dof > 0 ? ss / dof : kNaN;
  return f;
}

Forecast BaselineFit::forecast(int h, std::span<const double> levels_in) const {
  check::integer_at_least("h", h, 1);
  const std::vector<double> levels = checked_levels(levels_in);
  Forecast out;
  out.model = name();
  out.mean.resize(static_cast<std::size_t>(h));
  out.variance.resize(static_cast<std::size_t>(h));
  if (method == BaselineMethod::mean || method == BaselineMethod::window_average) {
    const int size = method == BaselineMethod::mean ? nobs : window;
    for (int i = 0; i < h; ++i) {
      out.mean[static_cast<std::size_t>(i)] = last[0];
      out.variance[static_cast<std::size_t>(i)] = sd * sd * (1.0 + 1.0 / size);
    }
    if (method == BaselineMethod::mean && nobs > 1) {
      // R's meanf: Student-t quantiles with n - 1 degrees of freedom.
      out.levels = levels;
      boost::math::students_t_distribution<double> t(nobs - 1);
      for (double l : levels) {
        const double q = boost::math::quantile(t, 0.5 + l / 200.0);
        std::vector<double> lo(static_cast<std::size_t>(h)), hi(static_cast<std::size_t>(h));
        for (int i = 0; i < h; ++i) {
          const double w = q * sd * std::sqrt(1.0 + 1.0 / nobs);
          lo[static_cast<std::size_t>(i)] = last[0] - w;
          hi[static_cast<std::size_t>(i)] = last[0] + w;
        }
        out.lower.push_back(lo);
        out.upper.push_back(hi);
      }
      out.interval_method = IntervalMethod::analytic;
      return out;
    }
    set_normal_intervals(out, levels);
    return out;
  }
  if (method == BaselineMethod::seasonal_window_average) {
    // A seasonal mean does not drift: every season ahead has the same slot distribution.
    const std::size_t m = last.size();
    for (int i = 0; i < h; ++i) {
      const std::size_t p = static_cast<std::size_t>(i) % m;
      out.mean[static_cast<std::size_t>(i)] = last[p];
      out.variance[static_cast<std::size_t>(i)] = p < slot_sd.size() ? slot_sd[p] * slot_sd[p] : kNaN;
    }
    set_normal_intervals(out, levels);
    return out;
  }
  const int lag = static_cast<int>(last.size());
  for (int i = 0; i < h; ++i) {
    const int steps = i / lag + 1;  // full periods: R's rep(1:fullperiods, each = lag)
    out.mean[static_cast<std::size_t>(i)] = last[static_cast<std::size_t>(i % lag)] + steps * drift;
    out.variance[static_cast<std::size_t>(i)] = sigma2 * steps + (steps * drift_se) * (steps * drift_se);
  }
  set_normal_intervals(out, levels);
  return out;
}

io::Json BaselineFit::to_json() const {
  io::Json j;
  j["method"] = std::string(enum_name(method));
  j["season_length"] = season_length;
  j["window"] = window;
  j["last"] = io::json_from_doubles(last);
  j["drift"] = io::json_from_double(drift);
  j["drift_se"] = io::json_from_double(drift_se);
  j["sigma2"] = io::json_from_double(sigma2);
  j["sd"] = io::json_from_double(sd);
  if (!slot_sd.empty()) j["slot_sd"] = io::json_from_doubles(slot_sd);
  j["nobs"] = nobs;
  return j;
}

BaselineFit BaselineFit::from_json(const io::Json& j) {
  BaselineFit f;
  const io::Json& method = io::require_field(j, "method", "baseline");
  if (!method.is_string()) throw ModelFormatError("baseline model: 'method' must be a string");
  try {
    f.method = enum_from_name<BaselineMethod>(method.get<std::string>(), "method");
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("baseline model: {}", e.what()));
  }
  auto integer = [&](const char* key) {
    const io::Json& v = io::require_field(j, key, "baseline");
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000000000) {
      throw ModelFormatError(fmt::format("baseline model: '{}' must be a positive integer", key));
    }
    return v.get<int>();
  };
  f.season_length = integer("season_length");
  f.window = integer("window");
  f.nobs = integer("nobs");
  f.last = io::doubles_from_json(io::require_field(j, "last", "baseline"), "last");
  if (f.last.empty()) throw ModelFormatError("baseline model: 'last' must not be empty");
  f.drift = io::double_from_json(io::require_field(j, "drift", "baseline"), "drift");
  f.drift_se = io::double_from_json(io::require_field(j, "drift_se", "baseline"), "drift_se");
  f.sigma2 = io::double_from_json(io::require_field(j, "sigma2", "baseline"), "sigma2");
  f.sd = io::double_from_json(io::require_field(j, "sd", "baseline"), "sd");
  if (f.method == BaselineMethod::seasonal_window_average) {
    f.slot_sd = io::doubles_from_json(io::require_field(j, "slot_sd", "baseline"), "slot_sd");
    if (f.slot_sd.size() != f.last.size()) {
      throw ModelFormatError("baseline model: 'slot_sd' must have one value per slot of 'last'");
    }
  }
  return f;
}

}  // namespace bankquant::forecast
