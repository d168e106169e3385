#include "bankquant/forecast/prediction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::forecast {

std::vector<double> checked_levels(std::span<const double> levels, std::string_view argument) {
  std::vector<double> out(levels.begin(), levels.end());
  for (double l : out) {
    if (!(l > 0 && l < 100)) {
      check::fail(argument, fmt::format("expected coverage levels in percent, each in (0, 100), got {}", l));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double normal_interval_z(double level) {
  check::in_open_range("level", level, 0.0, 100.0);
  return boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + level / 200.0);
}

void set_normal_intervals(Forecast& f, std::span<const double> levels_in) {
  const std::vector<double> levels = checked_levels(levels_in);
  const std::size_t h = f.mean.size();
  f.levels = levels;
  f.lower.assign(levels.size(), std::vector<double>(h));
  f.upper.assign(levels.size(), std::vector<double>(h));
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const double z = normal_interval_z(levels[l]);
    for (std::size_t t = 0; t < h; ++t) {
      const double sd = t < f.variance.size() ? std::sqrt(std::max(f.variance[t], 0.0)) : std::nan("");
      f.lower[l][t] = f.mean[t] - z * sd;
      f.upper[l][t] = f.mean[t] + z * sd;
    }
  }
  f.interval_method = IntervalMethod::analytic;
}

CountDistribution moment_matched_count(double mean, double variance) {
  if (!std::isfinite(mean)) check::fail("mean", fmt::format("expected a finite forecast mean, got {}", mean));
  const double mu = std::max(mean, 0.0);
  // Over-dispersion beyond 1e-9 relative: negative binomial; else Poisson.
  if (std::isfinite(variance) && variance > mu * (1 + 1e-9) && mu > 0) {
    return CountDistribution::negative_binomial(mu, mu * mu / (variance - mu));
  }
  return CountDistribution::poisson(mu);
}

void set_count_intervals(Forecast& f, std::span<const double> levels_in) {
  const std::vector<double> levels = checked_levels(levels_in);
  const std::size_t h = f.mean.size();
  if (f.distribution.size() != h) {
    f.distribution.clear();
    for (std::size_t t = 0; t < h; ++t) {
      const double v = t < f.variance.size() ? f.variance[t] : std::nan("");
      f.distribution.push_back(moment_matched_count(f.mean[t], v));
    }
  }
  for (std::size_t t = 0; t < h; ++t) {
    f.mean[t] = f.distribution[t].mean;
    f.variance.resize(h, std::nan(""));
    f.variance[t] = f.distribution[t].variance();
  }
  f.levels = levels;
  f.lower.assign(levels.size(), std::vector<double>(h));
  f.upper.assign(levels.size(), std::vector<double>(h));
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const double a = 0.5 - levels[l] / 200.0, b = 0.5 + levels[l] / 200.0;
    for (std::size_t t = 0; t < h; ++t) {
      f.lower[l][t] = static_cast<double>(f.distribution[t].quantile(a));
      f.upper[l][t] = static_cast<double>(f.distribution[t].quantile(b));
    }
  }
  f.interval_method = IntervalMethod::count;
}

std::string count_shape_note(const Forecast& f) {
  std::size_t degenerate = 0, first = 0;
  for (std::size_t t = f.distribution.size(); t-- > 0;) {
    const auto& d = f.distribution[t];
    if (d.family == CountFamily::negative_binomial && d.size < kDegenerateCountSize && d.mean > 0) {
      ++degenerate;
      first = t;
    }
  }
  if (degenerate == 0) return {};
  return fmt::format("{}: predictive sd above the mean at {} of {} steps (from step {}, negative-binomial size < {}), "
                     "so its count intervals pile at 0: the model does not describe these counts (one variance for "
                     "quiet and busy intervals, or a season dropped)",
                     f.model, degenerate, f.distribution.size(), first + 1, kDegenerateCountSize);
}

std::vector<std::vector<double>> forecast_quantiles(const Forecast& f, std::span<const double> p) {
  for (double q : p) check::open_unit_interval("quantiles", q);
  const std::size_t h = f.mean.size();
  std::vector<std::vector<double>> out(p.size(), std::vector<double>(h));
  if (f.distribution.size() == h && h > 0) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      for (std::size_t t = 0; t < h; ++t) out[i][t] = static_cast<double>(f.distribution[t].quantile(p[i]));
    }
    return out;
  }
  bool have_variance = f.variance.size() == h;
  for (double v : f.variance) have_variance = have_variance && std::isfinite(v);
  if (!have_variance) {
    check::fail("quantiles", fmt::format("the forecast of {} has no predictive variance ({} intervals): ask for its "
                                         "levels instead", f.model, enum_name(f.interval_method)));
  }
  boost::math::normal_distribution<double> normal;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double z = boost::math::quantile(normal, p[i]);
    for (std::size_t t = 0; t < h; ++t) out[i][t] = f.mean[t] + z * std::sqrt(std::max(f.variance[t], 0.0));
  }
  return out;
}

void apply_structural_zeros(Forecast& f, std::span<const std::uint8_t> closed) {
  const std::size_t h = f.mean.size();
  if (closed.empty()) return;
  check::same_size("closed", closed.size(), "forecast horizon", h);
  for (std::size_t t = 0; t < h; ++t) {
    if (!closed[t]) continue;
    f.mean[t] = 0.0;
    if (t < f.variance.size()) f.variance[t] = 0.0;
    for (auto& row : f.lower) row[t] = 0.0;
    for (auto& row : f.upper) row[t] = 0.0;
    if (t < f.distribution.size()) f.distribution[t] = CountDistribution::poisson(0.0);
  }
}

}  // namespace bankquant::forecast
