// bankquant/core/check.hpp — argument checks shared by every module.
//
// One line per check at the call site, e.g.
//
//   check::not_empty("returns", returns.size());
//   check::all_finite("returns", returns);
//   check::open_unit_interval("level", level);
//
// Each throws bankquant::InvalidArgument with a message that names the argument, the value seen
// and what was expected, e.g. "argument 'returns': expected finite values, found nan at index 17".
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <Eigen/Core>
#include <fmt/format.h>

#include "bankquant/core/errors.hpp"

namespace bankquant::check {

/// Throws InvalidArgument("argument 'name': <what>").
[[noreturn]] inline void fail(std::string_view name, std::string_view what) {
  throw InvalidArgument(fmt::format("argument '{}': {}", name, what));
}

inline void not_empty(std::string_view name, std::size_t size) {
  if (size == 0) fail(name, "expected at least one element, got an empty input");
}

inline void min_size(std::string_view name, std::size_t size, std::size_t minimum) {
  if (size < minimum) fail(name, fmt::format("expected at least {} elements, got {}", minimum, size));
}

inline void same_size(std::string_view name_a, std::size_t size_a, std::string_view name_b,
                      std::size_t size_b) {
  if (size_a != size_b) {
    throw InvalidArgument(fmt::format("arguments '{}' and '{}': expected the same length, got {} and {}",
                                      name_a, name_b, size_a, size_b));
  }
}

/// Matrix shape check; pass -1 for a dimension that may be anything.
inline void shape(std::string_view name, Eigen::Index rows, Eigen::Index cols, Eigen::Index expected_rows,
                  Eigen::Index expected_cols) {
  const bool rows_ok = expected_rows < 0 || rows == expected_rows;
  const bool cols_ok = expected_cols < 0 || cols == expected_cols;
  if (rows_ok && cols_ok) return;
  auto dim = [](Eigen::Index d) { return d < 0 ? std::string("any") : fmt::format("{}", d); };
  fail(name, fmt::format("expected shape ({}, {}), got ({}, {})", dim(expected_rows), dim(expected_cols), rows, cols));
}

inline void square(std::string_view name, Eigen::Index rows, Eigen::Index cols) {
  if (rows != cols) fail(name, fmt::format("expected a square matrix, got shape ({}, {})", rows, cols));
}

inline void finite(std::string_view name, double value) {
  if (!std::isfinite(value)) fail(name, fmt::format("expected a finite number, got {}", value));
}

inline void all_finite(std::string_view name, std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) fail(name, fmt::format("expected finite values, found {} at index {}", values[i], i));
  }
}

template <typename Derived>
void all_finite(std::string_view name, const Eigen::DenseBase<Derived>& m) {
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const double v = static_cast<double>(m(i, j));
      if (!std::isfinite(v)) {
        fail(name, fmt::format("expected finite values, found {} at row {}, column {}", v, i, j));
      }
    }
  }
}

inline void positive(std::string_view name, double value) {
  if (!(value > 0.0)) fail(name, fmt::format("expected a positive number, got {}", value));
}

inline void non_negative(std::string_view name, double value) {
  if (!(value >= 0.0)) fail(name, fmt::format("expected a non-negative number, got {}", value));
}

inline void all_non_negative(std::string_view name, std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= 0.0)) {
      fail(name, fmt::format("expected non-negative finite values, found {} at index {}", values[i], i));
    }
  }
}

/// lo <= value <= hi.
inline void in_closed_range(std::string_view name, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi)) fail(name, fmt::format("expected a value in [{}, {}], got {}", lo, hi, value));
}

/// lo < value < hi.
inline void in_open_range(std::string_view name, double value, double lo, double hi) {
  if (!(value > lo && value < hi)) fail(name, fmt::format("expected a value in ({}, {}), got {}", lo, hi, value));
}

/// A probability or confidence level strictly between 0 and 1.
inline void open_unit_interval(std::string_view name, double value) { in_open_range(name, value, 0.0, 1.0); }

/// A probability, 0 and 1 included.
inline void probability(std::string_view name, double value) { in_closed_range(name, value, 0.0, 1.0); }

inline void integer_at_least(std::string_view name, std::int64_t value, std::int64_t minimum) {
  if (value < minimum) fail(name, fmt::format("expected an integer >= {}, got {}", minimum, value));
}

/// Non-decreasing (strict = false) or increasing (strict = true) order, e.g. timestamps.
template <typename T>
void sorted(std::string_view name, std::span<const T> values, bool strict = false) {
  for (std::size_t i = 1; i < values.size(); ++i) {
    const bool bad = strict ? !(values[i - 1] < values[i]) : (values[i] < values[i - 1]);
    if (bad) {
      fail(name, fmt::format("expected {} values, but element {} ({}) follows {}",
                             strict ? "strictly increasing" : "non-decreasing", i, values[i], values[i - 1]));
    }
  }
}

/// Every value is 0 or 1 (a binary target).
inline void binary(std::string_view name, std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0.0 && values[i] != 1.0) {
      fail(name, fmt::format("expected 0/1 values, found {} at index {}", values[i], i));
    }
  }
}

}  // namespace bankquant::check
