#include "bankquant/forecast/transform.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::forecast {

std::string TransformSpec::describe() const {
  switch (kind) {
    case Transform::none: return "";
    case Transform::log1p: return "log(1 + y)";
    case Transform::box_cox: return fmt::format("Box-Cox({:g})", lambda);
  }
  return "";
}

std::vector<double> transformed(std::span<const double> y, const TransformSpec& t, std::string_view argument,
                                std::string_view context) {
  std::vector<double> z(y.begin(), y.end());
  if (t.kind == Transform::none) return z;
  if (t.kind == Transform::box_cox) check::finite("box_cox_lambda", t.lambda);
  const double c = t.shift(), lambda = t.power();
  const char* domain = t.kind == Transform::log1p ? "values above -1"
                       : lambda > 0               ? "values of at least 0"
                                                  : "positive values ('log1p' takes zero counts)";
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double v = z[i];
    if (std::isnan(v)) continue;
    const double x = v + c;
    if (!(x > 0) && !(lambda > 0 && x == 0)) {
      check::fail(argument, fmt::format("{}transform '{}' needs {}; found {} at position {}", context,
                                        enum_name(t.kind), domain, v, i));
    }
    z[i] = lambda == 0 ? std::log(x) : (std::pow(x, lambda) - 1.0) / lambda;
    if (!std::isfinite(z[i])) {
      check::fail(argument, fmt::format("{}Box-Cox({:g}) of {} at position {} overflows: rescale the data or take "
                                        "a smaller lambda", context, lambda, v, i));
    }
  }
  return z;
}

double untransformed(double z, const TransformSpec& t) {
  if (t.kind == Transform::none || std::isnan(z)) return z;
  const double c = t.shift(), lambda = t.power();
  if (lambda == 0) return std::exp(z) - c;
  const double base = lambda * z + 1.0;
  if (!(base > 0)) return lambda > 0 ? -c : std::numeric_limits<double>::infinity();
  return std::pow(base, 1.0 / lambda) - c;
}

void back_transform(Forecast& f, const TransformSpec& t) {
  if (t.kind == Transform::none) return;
  const double c = t.shift(), lambda = t.power();
  for (auto& row : f.lower) {
    for (double& v : row) v = untransformed(v, t);
  }
  for (auto& row : f.upper) {
    for (double& v : row) v = untransformed(v, t);
  }
  for (std::size_t h = 0; h < f.mean.size(); ++h) {
    const double m = f.mean[h];
    const double v = h < f.variance.size() ? f.variance[h] : std::numeric_limits<double>::quiet_NaN();
    const double median = untransformed(m, t);
    f.mean[h] = median;
    const double base = lambda * m + 1.0;  // (median + c)^lambda; 1 for the log
    if (!std::isfinite(v) || !(base > 0) || !std::isfinite(median)) {
      // No predictive variance, or the point at an end of the image: no local expansion exists.
      if (h < f.variance.size()) f.variance[h] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double slope = lambda == 0 ? median + c : std::pow(median + c, 1.0 - lambda);  // dy/dz at m
    f.variance[h] = slope * slope * v;
    if (t.bias_adjust) f.mean[h] = (median + c) * (1.0 + 0.5 * v * (1.0 - lambda) / (base * base)) - c;
  }
  if (!f.model.empty()) f.model += " on " + t.describe();
}

}  // namespace bankquant::forecast
