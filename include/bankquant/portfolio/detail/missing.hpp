// bankquant/portfolio/detail/missing.hpp — the missing-data policies shared by the estimators
// (internal: not part of the umbrella header).
#pragma once

#include <cmath>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/portfolio/covariance.hpp"

namespace bankquant::portfolio::detail {

/// NaN marks a missing value; an infinity is always an error.
inline void check_no_infinity(std::string_view name, const Eigen::Ref<const RowMatrix>& x) {
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      if (std::isinf(x(t, j))) {
        check::fail(name, fmt::format("expected finite values or NaN for missing ones, found {} at row {}, column {}",
                                      x(t, j), t, j));
      }
    }
  }
}

struct CompleteData {
  RowMatrix values;
  int rows_dropped = 0;
  int values_filled = 0;
};

/// Complete data under a policy other than pairwise: rows with a NaN dropped (complete), or NaN
/// replaced by the column mean of the observed values (fill_mean) or by 0 (fill_zero). A column
/// with no observed value is an error naming `name`.
inline CompleteData complete_data(const Eigen::Ref<const RowMatrix>& x, MissingPolicy policy, std::string_view name) {
  CompleteData out;
  const Eigen::Index T = x.rows(), n = x.cols();
  if (policy == MissingPolicy::complete) {
    Eigen::Index kept = 0;
    std::vector<char> keep(static_cast<std::size_t>(T), 1);
    for (Eigen::Index t = 0; t < T; ++t) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (std::isnan(x(t, j))) {
          keep[static_cast<std::size_t>(t)] = 0;
          break;
        }
      }
      kept += keep[static_cast<std::size_t>(t)];
    }
    out.values.resize(kept, n);
    Eigen::Index r = 0;
    for (Eigen::Index t = 0; t < T; ++t) {
      if (keep[static_cast<std::size_t>(t)]) out.values.row(r++) = x.row(t);
    }
    out.rows_dropped = static_cast<int>(T - kept);
    return out;
  }
  out.values = x;
  for (Eigen::Index j = 0; j < n; ++j) {
    double sum = 0.0;
    Eigen::Index count = 0;
    for (Eigen::Index t = 0; t < T; ++t) {
      if (!std::isnan(x(t, j))) {
        sum += x(t, j);
        ++count;
      }
    }
    if (count == 0) check::fail(name, fmt::format("column {} has no observed value", j));
    const double fill = policy == MissingPolicy::fill_mean ? sum / static_cast<double>(count) : 0.0;
    for (Eigen::Index t = 0; t < T; ++t) {
      if (std::isnan(out.values(t, j))) {
        out.values(t, j) = fill;
        ++out.values_filled;
      }
    }
  }
  return out;
}

}  // namespace bankquant::portfolio::detail
