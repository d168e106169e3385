#include "bankquant/forecast/accuracy.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::forecast {

namespace {

template <typename Loss>
double mean_over_pairs(std::span<const double> a, std::span<const double> b, std::string_view b_name, Loss loss) {
  check::same_size("actual", a.size(), b_name, b.size());
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isinf(a[i])) check::fail("actual", fmt::format("expected finite values or NaN, found {} at {}", a[i], i));
    if (std::isinf(b[i])) check::fail(b_name, fmt::format("expected finite values or NaN, found {} at {}", b[i], i));
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    sum += loss(a[i], b[i], i);
    ++n;
  }
  return n == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(n);
}

}  // namespace

double mean_absolute_error(std::span<const double> y, std::span<const double> f) {
  return mean_over_pairs(y, f, "forecast", [](double a, double b, std::size_t) { return std::abs(a - b); });
}

double root_mean_squared_error(std::span<const double> y, std::span<const double> f) {
  return std::sqrt(mean_over_pairs(y, f, "forecast", [](double a, double b, std::size_t) { return (a - b) * (a - b); }));
}

double symmetric_mape(std::span<const double> y, std::span<const double> f) {
  return mean_over_pairs(y, f, "forecast", [](double a, double b, std::size_t) {
    const double d = std::abs(a) + std::abs(b);
    return d == 0 ? 0.0 : 200.0 * std::abs(a - b) / d;
  });
}

double mean_absolute_scaled_error(std::span<const double> y, std::span<const double> f, std::span<const double> insample,
                                  int m) {
  check::integer_at_least("season_length", m, 1);
  double scale = 0.0;
  std::size_t n = 0;
  for (std::size_t t = static_cast<std::size_t>(m); t < insample.size(); ++t) {
    const double d = insample[t] - insample[t - static_cast<std::size_t>(m)];
    if (std::isnan(d)) continue;
    scale += std::abs(d);
    ++n;
  }
  if (n == 0) check::fail("insample", fmt::format("expected more than season_length = {} observed values to scale by", m));
  scale /= static_cast<double>(n);
  if (!(scale > 0)) check::fail("insample", "the in-sample seasonal-naive errors are all zero: MASE is undefined");
  return mean_absolute_error(y, f) / scale;
}

double interval_coverage(std::span<const double> y, std::span<const double> lo, std::span<const double> hi) {
  check::same_size("lower", lo.size(), "upper", hi.size());
  return mean_over_pairs(y, lo, "lower", [&](double a, double l, std::size_t i) {
    return std::isnan(hi[i]) ? std::nan("") : (a >= l && a <= hi[i] ? 1.0 : 0.0);
  });
}

double winkler_score(std::span<const double> y, std::span<const double> lo, std::span<const double> hi, double level) {
  check::in_open_range("level", level, 0.0, 100.0);
  check::same_size("lower", lo.size(), "upper", hi.size());
  const double alpha = 1.0 - level / 100.0;
  return mean_over_pairs(y, lo, "lower", [&](double a, double l, std::size_t i) {
    const double u = hi[i];
    double s = u - l;
    if (a < l) s += 2.0 / alpha * (l - a);
    if (a > u) s += 2.0 / alpha * (a - u);
    return s;
  });
}

double pinball_loss(std::span<const double> y, std::span<const double> q, double p) {
  check::open_unit_interval("probability", p);
  return mean_over_pairs(y, q, "quantile", [p](double a, double b, std::size_t) {
    const double d = a - b;
    return d >= 0 ? p * d : (p - 1) * d;
  });
}

}  // namespace bankquant::forecast
