// Small helpers on series shared by the forecasting sources (not installed).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::forecast::detail {

/// NaN (missing) values replaced by linear interpolation between their observed neighbours, and
/// by the nearest observed value at the ends. Throws InvalidArgument naming `name` when every
/// value is missing or one is infinite.
inline std::vector<double> interpolate_missing(std::span<const double> y, std::string_view name) {
  std::vector<double> out(y.begin(), y.end());
  const std::size_t n = out.size();
  std::size_t first = n;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isinf(out[i])) check::fail(name, fmt::format("expected finite values, found {} at index {}", out[i], i));
    if (!std::isnan(out[i]) && first == n) first = i;
  }
  if (first == n) check::fail(name, "expected at least one observed value, got only missing ones");
  for (std::size_t i = 0; i < first; ++i) out[i] = out[first];
  std::size_t last = first;
  for (std::size_t i = first + 1; i < n; ++i) {
    if (std::isnan(out[i])) continue;
    if (i > last + 1) {
      const double a = out[last], b = out[i];
      for (std::size_t j = last + 1; j < i; ++j) {
        out[j] = a + (b - a) * static_cast<double>(j - last) / static_cast<double>(i - last);
      }
    }
    last = i;
  }
  for (std::size_t i = last + 1; i < n; ++i) out[i] = out[last];
  return out;
}

/// Number of non-NaN values.
inline std::size_t count_observed(std::span<const double> y) {
  std::size_t c = 0;
  for (double v : y) c += std::isnan(v) ? 0 : 1;
  return c;
}

/// True when some value is NaN.
inline bool has_missing(std::span<const double> y) {
  for (double v : y) {
    if (std::isnan(v)) return true;
  }
  return false;
}

/// Mean of the non-NaN values (NaN when none).
inline double observed_mean(std::span<const double> y) {
  double s = 0.0;
  std::size_t c = 0;
  for (double v : y) {
    if (!std::isnan(v)) {
      s += v;
      ++c;
    }
  }
  return c ? s / static_cast<double>(c) : std::nan("");
}

}  // namespace bankquant::forecast::detail
