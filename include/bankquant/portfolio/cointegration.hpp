// bankquant/portfolio/cointegration.hpp — the Engle-Granger cointegration test for pairs trading.
//
// Engle and Granger (1987), two steps: (1) OLS of y on [x, 1] gives the hedge ratio beta and the
// intercept; (2) an augmented Dickey-Fuller regression on the residuals e, without constant:
// de_t = rho e_{t-1} + sum_{k=1..p} phi_k de_{t-k} + u_t, statistic = t of rho. The lag p is chosen
// by AIC over 0..maxlag on a common sample (maxlag = ceil(12 (T/100)^(1/4)), Schwert 1989), then
// re-estimated on all usable rows. The p-value is MacKinnon's (1994) response surface for two
// variables with a constant (his published coefficients), the critical values MacKinnon's (2010).
// This is statsmodels' coint(y, x) (0.13), so the two agree to rounding. O(T maxlag^2).
#pragma once

#include <span>
#include <tuple>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

struct CointegrationResult {
  double statistic = 0.0;
  double p_value = 1.0;
  double critical_1 = 0.0, critical_5 = 0.0, critical_10 = 0.0;
  int lags = 0;
  double hedge_ratio = 0.0;
  double intercept = 0.0;
  double residual_sd = 0.0;
  double half_life = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("statistic", &CointegrationResult::statistic, "ADF t statistic of the residuals"),
        field("p_value", &CointegrationResult::p_value, "MacKinnon (1994) approximate p-value (no cointegration under H0)"),
        field("critical_1", &CointegrationResult::critical_1, "1% critical value (MacKinnon 2010)"),
        field("critical_5", &CointegrationResult::critical_5, "5% critical value"),
        field("critical_10", &CointegrationResult::critical_10, "10% critical value"),
        field("lags", &CointegrationResult::lags, "ADF lags chosen by AIC"),
        field("hedge_ratio", &CointegrationResult::hedge_ratio, "beta of y on x"),
        field("intercept", &CointegrationResult::intercept, "alpha of y on x"),
        field("residual_sd", &CointegrationResult::residual_sd, "standard deviation of the spread y - alpha - beta x"),
        field("half_life", &CointegrationResult::half_life,
              "mean-reversion half-life of the spread in periods, -ln 2 / ln(1 + rho) (inf if rho >= 0)")};
  }
};

/// The Engle-Granger test of y and x (same length, at least 20, finite); maxlag < 0 for the default.
[[nodiscard]] BANKQUANT_EXPORT CointegrationResult engle_granger(std::span<const double> y, std::span<const double> x,
                                                                 int maxlag = -1);

/// MacKinnon (1994) approximate p-value of a Dickey-Fuller statistic, constant included, for
/// n_variables = 1 (ADF) to 6 (cointegration).
[[nodiscard]] BANKQUANT_EXPORT double mackinnon_p_value(double statistic, int n_variables);

}  // namespace bankquant::portfolio
