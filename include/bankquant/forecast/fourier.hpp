// bankquant/forecast/fourier.hpp — Fourier terms for long or multiple seasonal cycles.
//
// R's forecast::fourier(x, K, h): for each period m_j and k = 1..K_j, the pair
// sin(2 pi k t / m_j), cos(2 pi k t / m_j) at t = 1..n (history) or n+1..n+h (future), named
// "S<k>-<m>" / "C<k>-<m>"; a frequency k/m that repeats an earlier one (24 and 168: k = 7 of the
// week is k = 1 of the day) is left out, and so is the sine when 2k = m (it is zero). K_j <= m_j/2.
// With these as regressors, a non-seasonal ARIMA or ETS-X model carries intraday and weekly
// cycles that seasonal ARIMA or ETS cannot (R's ets stops above m = 24; seasonal ARIMA's state
// grows with m). Periods may be fractional (365.25). O((n + h) sum K).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/export.hpp"

namespace bankquant::forecast {

struct FourierTerms {
  RowMatrix values;                 // rows: times, columns: terms
  std::vector<std::string> names;   // "S1-24", "C1-24", ...
};

/// Terms at t = first_time, first_time + 1, ... (first_time = 1 for a series' history, n + 1 for
/// its future). Throws InvalidArgument naming 'periods' or 'harmonics'.
[[nodiscard]] BANKQUANT_EXPORT FourierTerms fourier_terms(std::span<const double> periods, std::span<const int> harmonics,
                                                          int rows, double first_time = 1.0);

}  // namespace bankquant::forecast
