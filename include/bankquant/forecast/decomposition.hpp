// bankquant/forecast/decomposition.hpp — seasonal decompositions: classical, STL and MSTL.
//
// classical_decomposition  R's stats::decompose: a centred moving average of order m (a 2 x m MA
//                          for even m) as the trend, the seasonal figure the mean detrended value
//                          at each position of the cycle, centred to sum 0 (or mean 1,
//                          multiplicative). Used for ETS and Theta starting values. O(n m).
// stl                      Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae and
//                          Terpenning, J. Official Statistics 6, 1990), as R's stats::stl / the
//                          authors' Fortran: inner loop of cycle-subseries loess (degree 0 or 1),
//                          low-pass filter (moving averages m, m, 3 and a loess), trend loess;
//                          robust outer loop with bisquare weights of |remainder| / (6 MAD).
//                          Windows default as R (s.window "periodic" or odd >= 7; t.window
//                          nextodd(1.5 m / (1 - 1.5 / s.window)); l.window nextodd(m)); loess fits
//                          every `jump` points and interpolates, as R. O(n (s + t + l windows)) per
//                          pass. Hand-written: no Debian C or C++ library offers STL. Equal to R
//                          to rounding, except robust fits of even-length series: there R's
//                          stlrwt passes the two middle ranks to its partial sort in descending
//                          order, which it does not honour, so R's "median" |residual| is not the
//                          median; ours is (Cleveland et al.'s definition).
// mstl                     Multiple seasonal STL (Bandara, Hyndman and Bergmeir 2021; R's
//                          forecast::mstl): STL for each period in ascending order, iterated twice,
//                          each pass removing the other seasonal components first; s.window
//                          7 + 4 i for the i-th period (R's default).
// seasonal_strength        max(0, 1 - var(remainder) / var(seasonal + remainder)) of an STL fit
//                          (Wang, Smith and Hyndman 2006; R's nsdiffs test "seas", threshold 0.64).
#pragma once

#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::forecast {

struct ClassicalDecomposition {
  std::vector<double> trend;
  std::vector<double> seasonal;
  std::vector<double> remainder;
  std::vector<double> figure;
  bool multiplicative = false;

  static constexpr auto fields() {
    return std::tuple{field("trend", &ClassicalDecomposition::trend, "centred moving average (NaN at the ends)"),
                      field("seasonal", &ClassicalDecomposition::seasonal, "the seasonal figure repeated"),
                      field("remainder", &ClassicalDecomposition::remainder,
                            "y - trend - seasonal, or y / (trend seasonal)"),
                      field("figure", &ClassicalDecomposition::figure,
                            "one value per position of the cycle, from the first observation"),
                      field("multiplicative", &ClassicalDecomposition::multiplicative, "type of the decomposition")};
  }
};

/// R's decompose(); y needs at least two full periods (NaN allowed, skipped in the averages).
[[nodiscard]] BANKQUANT_EXPORT ClassicalDecomposition classical_decomposition(std::span<const double> y, int period,
                                                                              bool multiplicative = false);

/// Centred moving average of order `order` (2 x order for even orders), NaN where the window
/// leaves the series: R's filter(y, weights, sides = 2).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> centred_moving_average(std::span<const double> y, int order);

struct StlOptions {
  int seasonal_window = 0;
  bool periodic = false;
  int seasonal_degree = 0;
  int trend_window = 0;
  int trend_degree = 1;
  int lowpass_window = 0;
  int lowpass_degree = 1;
  int seasonal_jump = 0;
  int trend_jump = 0;
  int lowpass_jump = 0;
  int inner = 2;
  int outer = 0;
  bool robust = false;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("seasonal_window", &StlOptions::seasonal_window,
              "odd span (in cycles) of the seasonal loess, >= 3; 0 with periodic=False means 13 (R's stlf "
              "default s.window = 13)"),
        field("periodic", &StlOptions::periodic,
              "s.window = 'periodic': a fixed seasonal pattern (the cycle-subseries mean)"),
        field("seasonal_degree", &StlOptions::seasonal_degree, "degree of the seasonal loess: 0 (R) or 1"),
        field("trend_window", &StlOptions::trend_window,
              "odd span of the trend loess; 0: nextodd(1.5 m / (1 - 1.5 / seasonal_window)) as R"),
        field("trend_degree", &StlOptions::trend_degree, "degree of the trend loess: 0 or 1 (R)"),
        field("lowpass_window", &StlOptions::lowpass_window, "span of the low-pass loess; 0: nextodd(m) as R"),
        field("lowpass_degree", &StlOptions::lowpass_degree, "degree of the low-pass loess (R: trend degree)"),
        field("seasonal_jump", &StlOptions::seasonal_jump, "loess evaluated every jump points; 0: ceil(window / 10) (R)"),
        field("trend_jump", &StlOptions::trend_jump, "as seasonal_jump, for the trend"),
        field("lowpass_jump", &StlOptions::lowpass_jump, "as seasonal_jump, for the low-pass filter"),
        field("inner", &StlOptions::inner, "inner iterations (R: 2, or 1 when robust)"),
        field("outer", &StlOptions::outer, "robustness iterations (R: 0, or 15 when robust)"),
        field("robust", &StlOptions::robust, "robust fitting (sets inner 1, outer 15 when they are 0/2 as R)")};
  }
};

struct StlResult {
  std::vector<double> seasonal;
  std::vector<double> trend;
  std::vector<double> remainder;
  std::vector<double> weights;
  int period = 0;

  static constexpr auto fields() {
    return std::tuple{field("seasonal", &StlResult::seasonal, "seasonal component"),
                      field("trend", &StlResult::trend, "trend component"),
                      field("remainder", &StlResult::remainder, "y - seasonal - trend"),
                      field("weights", &StlResult::weights, "final robustness weights (1 when not robust)"),
                      field("period", &StlResult::period, "the period m")};
  }
};

/// STL of y (no missing values) with period m >= 2 and at least two full periods.
[[nodiscard]] BANKQUANT_EXPORT StlResult stl(std::span<const double> y, int period, const StlOptions& options = {});

struct MstlResult {
  std::vector<int> periods;
  std::vector<std::vector<double>> seasonal;
  std::vector<double> trend;
  std::vector<double> remainder;

  /// y minus every seasonal component.
  [[nodiscard]] BANKQUANT_EXPORT std::vector<double> seasonally_adjusted() const;

  static constexpr auto fields() {
    return std::tuple{field("periods", &MstlResult::periods, "the seasonal periods used, ascending"),
                      field("seasonal", &MstlResult::seasonal, "seasonal[i]: the component of periods[i]"),
                      field("trend", &MstlResult::trend, "trend"),
                      field("remainder", &MstlResult::remainder, "y - trend - seasonal components")};
  }
};

struct MstlOptions {
  int iterations = 2;
  std::vector<int> seasonal_windows;
  StlOptions stl;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("iterations", &MstlOptions::iterations, "passes over the periods (R's mstl iterate = 2)"),
        field("seasonal_windows", &MstlOptions::seasonal_windows,
              "s.window per period; empty: 7 + 4 i for the i-th period (R's mstl default)"),
        field("stl", &MstlOptions::stl, "other STL options (windows chosen per period when 0)")};
  }
};

/// MSTL: periods longer than half the series are dropped (as R); a single period is plain STL.
[[nodiscard]] BANKQUANT_EXPORT MstlResult mstl(std::span<const double> y, std::span<const int> periods,
                                               const MstlOptions& options = {});

/// Seasonal strength of an STL decomposition in [0, 1].
[[nodiscard]] BANKQUANT_EXPORT double seasonal_strength(const StlResult& decomposition);

}  // namespace bankquant::forecast
