#include "bankquant/forecast/panel.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/forecast/arima.hpp"
#include "bankquant/forecast/baselines.hpp"
#include "bankquant/forecast/decomposition.hpp"
#include "bankquant/forecast/ets.hpp"
#include "bankquant/forecast/fourier.hpp"
#include "bankquant/forecast/intermittent.hpp"
#include "bankquant/forecast/theta.hpp"
#include "bankquant/forecast/transform.hpp"

namespace bankquant::forecast {

namespace {

constexpr int kMaxFourierPairs = 5;  // per period (see the header)
constexpr int kEtsLongestSeason = 24;  // R's ets
// Seasons a seasonal window average takes by default, chosen on the bundled data
// (benchmarks/accuracy_seasonal_window.py): the call centre's 12 last weeks held out, MAE 18.45,
// 18.66, 19.13, 20.37 with 4, 6, 8, 12 weeks; hourly bikes' 28 last days, 67.7, 67.5, 72.9 with 4,
// 6, 8 weeks. 6 is within 1% of the best on both.
constexpr int kSeasonalWindow = 6;
constexpr double kLargestCount = 9007199254740992.0;  // 2^53: whole numbers are exact up to here

void add_note(std::string& notes, const std::string& note) {
  if (note.empty()) return;
  if (!notes.empty()) notes += "; ";
  notes += note;
}

// Linear interpolation of NaN inside the series; leading / trailing NaN take the nearest value.
std::vector<double> interpolated(std::span<const double> y, std::string& note, std::string_view model) {
  std::vector<double> out(y.begin(), y.end());
  std::size_t missing = 0;
  std::ptrdiff_t last = -1;
  const auto n = static_cast<std::ptrdiff_t>(out.size());
  for (std::ptrdiff_t t = 0; t < n; ++t) {
    if (std::isnan(out[static_cast<std::size_t>(t)])) {
      ++missing;
      continue;
    }
    if (last < 0) {
      for (std::ptrdiff_t s = 0; s < t; ++s) out[static_cast<std::size_t>(s)] = out[static_cast<std::size_t>(t)];
    } else {
      const double a = out[static_cast<std::size_t>(last)], b = out[static_cast<std::size_t>(t)];
      for (std::ptrdiff_t s = last + 1; s < t; ++s) {
        out[static_cast<std::size_t>(s)] = a + (b - a) * static_cast<double>(s - last) / static_cast<double>(t - last);
      }
    }
    last = t;
  }
  if (last >= 0) {
    for (std::ptrdiff_t s = last + 1; s < n; ++s) out[static_cast<std::size_t>(s)] = out[static_cast<std::size_t>(last)];
  }
  if (missing > 0) note = fmt::format("{}: {} missing values interpolated linearly", model, missing);
  return out;
}

std::size_t observed(std::span<const double> y) {
  return static_cast<std::size_t>(std::count_if(y.begin(), y.end(), [](double v) { return !std::isnan(v); }));
}

// The season a single-season model uses: m_1 when the series has two seasons of data, else 1.
int usable_season(std::span<const double> y, const std::vector<int>& seasons, std::string_view model,
                  std::string& note, int seasons_needed = 2, int longest = std::numeric_limits<int>::max()) {
  const int m = seasons.empty() ? 1 : seasons.front();
  if (m <= 1) return 1;
  if (m > longest) {
    add_note(note, fmt::format("{}: season {} longer than {} dropped (use mstl or arima)", model, m, longest));
    return 1;
  }
  if (static_cast<std::int64_t>(y.size()) < static_cast<std::int64_t>(seasons_needed) * m) {
    add_note(note, fmt::format("{}: season dropped, {} observations are fewer than {} seasons of {}", model, y.size(),
                               seasons_needed, m));
    return 1;
  }
  return m;
}

Forecast baseline(std::span<const double> y, BaselineMethod method, const PanelOptions& o, std::string& note) {
  BaselineOptions b;
  b.method = method;
  if (method == BaselineMethod::seasonal_naive) {
    b.season_length = usable_season(y, o.season_length, "snaive", note, 1);
    if (b.season_length == 1) b.method = BaselineMethod::naive;
  }
  if (method == BaselineMethod::seasonal_window_average) {
    // The longest season: a slot of the week holds the slot of the day too.
    const int m = o.season_length.empty() ? 1 : *std::max_element(o.season_length.begin(), o.season_length.end());
    const auto seasons = static_cast<int>(std::min<std::size_t>(y.size() / static_cast<std::size_t>(std::max(m, 1)),
                                                                1000000));
    if (m <= 1 || seasons < 2) {
      add_note(note, m <= 1 ? "seasonal_window_average: no season given, window_average"
                            : fmt::format("seasonal_window_average: {} observations are fewer than 2 seasons of {}, "
                                          "window_average", y.size(), m));
      method = BaselineMethod::window_average;
    } else {
      b.season_length = m;
      b.window = o.window > 0 ? o.window : kSeasonalWindow;
      if (b.window > seasons) {
        if (o.window > 0) {
          add_note(note, fmt::format("seasonal_window_average: window of {} seasons shortened to the {} the series holds",
                                     o.window, seasons));
        }
        b.window = seasons;
      }
    }
    b.method = method;
  }
  if (method == BaselineMethod::window_average) {
    const int first = o.season_length.empty() ? 1 : o.season_length.front();
    b.window = o.window > 0 ? o.window : (first > 1 ? first : 7);
    b.window = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(b.window), y.size()));
  }
  return fit_baseline(y, b).forecast(o.h, o.level);
}

Forecast mstl_forecast(std::span<const double> y_in, const PanelOptions& o, std::string& note) {
  const std::vector<double> y = interpolated(y_in, note, "mstl");
  std::vector<int> periods;
  for (int m : o.season_length) {
    if (m > 1 && static_cast<std::int64_t>(y.size()) >= 2LL * m) periods.push_back(m);
  }
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  EtsOptions e;
  e.model = o.transform == Transform::none ? "ZZN" : "AZN";  // additive only on a transformed scale, as R
  if (periods.empty()) {
    add_note(note, "mstl: no season with two cycles of data, non-seasonal ETS");
    Forecast f = fit_ets(y, e).forecast(o.h, o.level);
    return f;
  }
  const MstlResult d = mstl(y, periods);
  const std::vector<double> adjusted = d.seasonally_adjusted();
  const EtsFit fit = fit_ets(adjusted, e);
  Forecast f = fit.forecast(o.h, o.level);
  const std::size_t n = y.size();
  for (std::size_t j = 0; j < d.periods.size(); ++j) {
    const auto m = static_cast<std::size_t>(d.periods[j]);
    for (std::size_t t = 0; t < f.mean.size(); ++t) {
      const double s = d.seasonal[j][n - m + (t % m)];
      f.mean[t] += s;
      for (auto& row : f.lower) row[t] += s;
      for (auto& row : f.upper) row[t] += s;
    }
  }
  f.model = fmt::format("STL({}) + {}", fmt::join(d.periods, ","), fit.model_name);
  return f;
}

Forecast arima_forecast(std::span<const double> y, const PanelOptions& o, std::string& note) {
  std::vector<double> periods;
  std::vector<int> harmonics;
  for (int m : o.season_length) {
    if (m > 1 && static_cast<std::int64_t>(y.size()) >= 2LL * m) {
      periods.push_back(m);
      harmonics.push_back(std::min(m / 2, kMaxFourierPairs));
    }
  }
  ArimaOptions a;
  if (periods.size() == 1 && periods[0] <= kEtsLongestSeason) {
    a.season_length = static_cast<int>(periods[0]);
    return fit_arima(y, a).forecast(o.h, o.level);
  }
  if (periods.empty()) {
    const bool asked = std::any_of(o.season_length.begin(), o.season_length.end(), [](int m) { return m > 1; });
    if (asked) add_note(note, "arima: no season with two cycles of data, non-seasonal ARIMA");
    return fit_arima(y, a).forecast(o.h, o.level);
  }
  a.seasonal = false;
  const auto n = static_cast<int>(y.size());
  const FourierTerms past = fourier_terms(periods, harmonics, n);
  const FourierTerms future = fourier_terms(periods, harmonics, o.h, n + 1.0);
  Forecast f = fit_arima(y, a, past.values).forecast(o.h, o.level, future.values);
  f.model += fmt::format(" + {} Fourier terms", past.names.size());
  return f;
}

}  // namespace

void PanelOptions::validate() const {
  check::not_empty("models", models.size());
  for (std::size_t i = 0; i < models.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (models[i] == models[j]) check::fail("models", fmt::format("'{}' is listed twice", enum_name(models[i])));
    }
  }
  check::integer_at_least("h", h, 1);
  (void)checked_levels(level, "level");
  for (int m : season_length) check::integer_at_least("season_length", m, 1);
  check::integer_at_least("window", window, 0);
  if (transform == Transform::box_cox) {
    check::finite("box_cox_lambda", box_cox_lambda);
    // Guerrero's search range in R's BoxCox.lambda; beyond it back-transformed forecasts explode
    // (lambda 50 gave means of -5e22 on Poisson(20) counts).
    if (box_cox_lambda < -1.0 || box_cox_lambda > 2.0) {
      check::fail("box_cox_lambda", fmt::format("expected a number in [-1, 2], got {}", box_cox_lambda));
    }
  } else if (box_cox_lambda != 0.0) {
    check::fail("box_cox_lambda", fmt::format("is used only with transform='box_cox' (transform is '{}')", enum_name(transform)));
  }
  if (bias_adjust && transform == Transform::none) check::fail("bias_adjust", "needs a transform ('log1p' or 'box_cox')");
  // R's second-order adjustment scales the median by 1 + v (1 - lambda) / (2 (lambda m + 1)^2): below
  // one for lambda > 1, and negative once v is large, a negative mean for positive data.
  if (bias_adjust && transform == Transform::box_cox && box_cox_lambda > 1.0) {
    check::fail("bias_adjust", fmt::format("the bias adjustment holds for box_cox_lambda <= 1 (above, it can make "
                                           "means negative); got lambda {}", box_cox_lambda));
  }
}

ModelForecast forecast_model(std::span<const double> y_in, PanelModel model, const PanelOptions& o) {
  const TransformSpec transform{o.transform, o.box_cox_lambda, o.bias_adjust};
  const std::vector<double> z = transformed(y_in, transform);
  const std::span<const double> y(z);
  ModelForecast out;
  std::string& note = out.note;
  Forecast& f = out.forecast;
  switch (model) {
    case PanelModel::ets: {
      EtsOptions e;
      // On a transformed scale R's ets fits additive models only (additive.only when lambda is
      // given): additive errors, and `restrict` then excludes multiplicative seasons.
      if (o.transform != Transform::none) e.model = "AZZ";
      e.season_length = usable_season(y, o.season_length, "ets", note, 2, kEtsLongestSeason);
      const EtsFit fit = fit_ets(y, e);
      if (!fit.note.empty()) add_note(note, fmt::format("ets: {}", fit.note));
      f = fit.forecast(o.h, o.level);
      break;
    }
    case PanelModel::arima: f = arima_forecast(y, o, note); break;
    case PanelModel::mstl: f = mstl_forecast(y, o, note); break;
    case PanelModel::theta:
    case PanelModel::optimized_theta: {
      const std::string name(enum_name(model));
      const std::vector<double> yi = interpolated(y, note, name);
      ThetaOptions t;
      t.optimized = model == PanelModel::optimized_theta;
      t.season_length = usable_season(yi, o.season_length, name, note);
      f = fit_theta(yi, t).forecast(o.h, o.level);
      break;
    }
    case PanelModel::naive: f = baseline(y, BaselineMethod::naive, o, note); break;
    case PanelModel::seasonal_naive: f = baseline(y, BaselineMethod::seasonal_naive, o, note); break;
    case PanelModel::drift: f = baseline(y, BaselineMethod::drift, o, note); break;
    case PanelModel::mean: f = baseline(y, BaselineMethod::mean, o, note); break;
    case PanelModel::window_average: f = baseline(y, BaselineMethod::window_average, o, note); break;
    case PanelModel::seasonal_window_average:
      f = baseline(y, BaselineMethod::seasonal_window_average, o, note);
      break;
    case PanelModel::croston:
    case PanelModel::sba:
    case PanelModel::tsb: {
      const std::string name(enum_name(model));
      const std::vector<double> yi = interpolated(y, note, name);
      IntermittentOptions io;
      io.method = model == PanelModel::croston ? IntermittentMethod::croston
                  : model == PanelModel::sba   ? IntermittentMethod::sba
                                               : IntermittentMethod::tsb;
      f = fit_intermittent(yi, io).forecast(o.h, o.level);
      break;
    }
  }
  back_transform(f, transform);
  return out;
}

PanelForecast forecast_panel(std::span<const double> values, std::span<const std::int64_t> offsets,
                             const PanelOptions& options, const std::vector<std::string>& series_names) {
  options.validate();
  if (offsets.size() < 2) check::fail("y", "expected at least one series");
  if (offsets.front() != 0 || offsets.back() != static_cast<std::int64_t>(values.size())) {
    check::fail("offsets", fmt::format("expected offsets from 0 to {} (the number of values), got {} to {}",
                                       values.size(), offsets.front(), offsets.back()));
  }
  const std::size_t series = offsets.size() - 1;
  if (!series_names.empty()) check::same_size("series_names", series_names.size(), "series", series);
  auto label = [&](std::size_t i) { return series_names.empty() ? fmt::format("series {}", i) : fmt::format("series '{}'", series_names[i]); };
  bool integers = true;
  for (std::size_t i = 0; i < series; ++i) {
    if (offsets[i + 1] < offsets[i]) check::fail("offsets", "expected non-decreasing offsets");
    const auto y = values.subspan(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    if (observed(y) == 0) check::fail("y", fmt::format("{} has no observed value", label(i)));
    for (double v : y) {
      if (std::isinf(v)) check::fail("y", fmt::format("{} holds {}: expected finite values or NaN for missing ones", label(i), v));
      // Beyond 2^53 every double is a whole number: that says nothing about counts.
      if (!std::isnan(v) && (v < 0 || v != std::floor(v) || v > kLargestCount)) integers = false;
    }
    // The transform's domain, checked here so the message names the series once (not per model).
    if (options.transform != Transform::none) {
      (void)transformed(y, {options.transform, options.box_cox_lambda, options.bias_adjust}, "y", label(i) + ": ");
    }
  }
  bool count = options.distribution == PredictiveDistribution::count;
  if (count && !integers) {
    check::fail("y", "distribution='count' needs non-negative integer counts (at most 2^53); the data hold negative, "
                     "fractional or larger values");
  }
  if (options.distribution == PredictiveDistribution::automatic) count = integers;

  const std::vector<double> levels = checked_levels(options.level, "level");
  PanelForecast out;
  out.count = count;
  for (PanelModel model : options.models) {
    const std::string name(enum_name(model));
    out.columns.push_back(name);
    for (auto l = levels.rbegin(); l != levels.rend(); ++l) out.columns.push_back(fmt::format("{}-lo-{}", name, *l));
    for (double l : levels) out.columns.push_back(fmt::format("{}-hi-{}", name, l));
    if (count) out.columns.push_back(name + "-size");
  }
  const std::size_t per_model = 1 + 2 * levels.size() + (count ? 1 : 0);
  const auto h = static_cast<std::size_t>(options.h);
  out.values.resize(static_cast<Eigen::Index>(series * h), static_cast<Eigen::Index>(out.columns.size()));
  out.notes.assign(series, "");
  out.fitted_models.assign(series * options.models.size(), "");
  std::vector<std::string> errors(series);

  PanelOptions fit_options = options;
  fit_options.level = levels;
  parallel_for_chunks(series, 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto y = values.subspan(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
      for (std::size_t k = 0; k < options.models.size(); ++k) {
        const std::string name(enum_name(options.models[k]));
        try {
          ModelForecast mf = forecast_model(y, options.models[k], fit_options);
          Forecast& f = mf.forecast;
          add_note(out.notes[i], mf.note);
          if (count) {
            set_count_intervals(f, levels);
            add_note(out.notes[i], count_shape_note(f));
          }
          out.fitted_models[i * options.models.size() + k] = f.model;
          const std::size_t c0 = k * per_model;
          for (std::size_t t = 0; t < h; ++t) {
            const auto r = static_cast<Eigen::Index>(i * h + t);
            out.values(r, static_cast<Eigen::Index>(c0)) = f.mean[t];
            for (std::size_t l = 0; l < levels.size(); ++l) {
              const std::size_t back = levels.size() - 1 - l;
              const bool have = f.lower.size() == levels.size();
              out.values(r, static_cast<Eigen::Index>(c0 + 1 + l)) = have ? f.lower[back][t] : std::nan("");
              out.values(r, static_cast<Eigen::Index>(c0 + 1 + levels.size() + l)) = have ? f.upper[l][t] : std::nan("");
            }
            if (count) {
              const auto& d = f.distribution[t];
              out.values(r, static_cast<Eigen::Index>(c0 + per_model - 1)) =
                  d.family == CountFamily::poisson ? std::numeric_limits<double>::infinity() : d.size;
            }
          }
        } catch (const std::exception& e) {
          errors[i] = fmt::format("{}, model '{}': {}", label(i), name, e.what());
          return;
        }
      }
    }
  });
  for (const auto& e : errors) {
    if (!e.empty()) check::fail("y", e);
  }
  return out;
}

}  // namespace bankquant::forecast
