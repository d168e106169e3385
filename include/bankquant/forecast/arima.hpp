// bankquant/forecast/arima.hpp — seasonal ARIMA with regressors, and automatic order selection.
//
// The model and its estimation are R's stats::arima (R 4.2.2), so fits compare one to one:
//   (1 - phi(B))(1 - Phi(B^m)) (1 - B)^d (1 - B^m)^D (y_t - x_t' beta) = (1 + theta(B))(1 + Theta(B^m)) e_t
//   state space: Harvey's form with the differencing in the state (diffuse: variance kappa = 1e6),
//                the stationary part started at its exact covariance (the discrete Lyapunov
//                equation, solved directly for small states and by doubling above; R uses
//                Gardner et al.'s 1980 algorithm for the same matrix); observations whose
//                prediction variance exceeds 1e4 (the diffuse start) are left out of the likelihood
//   likelihood   concentrated: 0.5 (log(S / nu) + sum log F_t / nu), S the weighted sum of squared
//                innovations; AR parts searched through the partial autocorrelations (tanh),
//                so every iterate is stationary (R's transform.pars); MA parts inverted to
//                invertibility before and after the search (R's maInvert)
//   methods      "CSS-ML" (R's default: conditional sum of squares for the start, then maximum
//                likelihood), "ML", "CSS"
//   regression   x' beta with an intercept (no differencing) or a drift (one difference), started
//                by least squares on the differenced data, estimated jointly
// The optimiser is core/optimize's bounded L-BFGS with central-difference gradients (R: BFGS with
// 1e-3 steps), so our optimum is R's or, where R stops early, a better one.
//
// Automatic selection (Hyndman and Khandakar 2008, R's forecast::auto.arima 8.20): d by repeated
// KPSS tests at 5% (level-stationarity, Bartlett lag trunc(3 sqrt(n) / 13), Kwiatkowski et al.
// 1992 critical values); D by the STL seasonal strength > 0.64 (R's "seas" test); the stepwise
// search from ARIMA(2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1) moving one
// order at a time, up to 94 models, orders bounded by max_p..max_Q and max_order; models with a
// root within 1.01 of the unit circle, or a non-positive-definite information matrix, are
// rejected; AICc by default. With `approximation` (R: n > 150 or m > 12) the search uses CSS with
// R's likelihood offset and the best models are refitted by CSS-ML in order until one succeeds.
//
// Forecasts: the Kalman filter's state projected forward (R's KalmanForecast): exact means and
// variances sigma^2 Z'P_h Z, sigma^2 = sum e^2 / (n* - k + 1) as auto.arima sets it.
// Complexity: O(n s^2) per likelihood evaluation, s = max(p + mP, q + mQ + 1) + d + mD; seasonal
// models with long periods are slow (as in R): use non-seasonal ARIMA with Fourier terms
// (fourier.hpp) for intraday or weekly cycles.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/forecast/ets.hpp"
#include "bankquant/forecast/prediction.hpp"

namespace bankquant::forecast {

enum class ArimaMethod { css_ml, ml, css };
BANKQUANT_ENUM_NAMES(ArimaMethod, {css_ml, "CSS-ML"}, {ml, "ML"}, {css, "CSS"})

struct ArimaOrder {
  int p = 0, d = 0, q = 0;
  int P = 0, D = 0, Q = 0;
  int period = 1;

  /// "ARIMA(2,1,1)(0,1,1)[12]".
  [[nodiscard]] BANKQUANT_EXPORT std::string name() const;
  bool operator==(const ArimaOrder&) const = default;

  static constexpr auto fields() {
    return std::tuple{field("p", &ArimaOrder::p, "autoregressive order"), field("d", &ArimaOrder::d, "differences"),
                      field("q", &ArimaOrder::q, "moving-average order"),
                      field("P", &ArimaOrder::P, "seasonal autoregressive order"),
                      field("D", &ArimaOrder::D, "seasonal differences"),
                      field("Q", &ArimaOrder::Q, "seasonal moving-average order"),
                      field("period", &ArimaOrder::period, "season length m")};
  }
};

struct ArimaOptions {
  std::optional<ArimaOrder> order;
  int season_length = 1;
  bool seasonal = true;
  std::optional<int> d;
  std::optional<int> D;
  int max_p = 5, max_q = 5, max_P = 2, max_Q = 2, max_order = 5, max_d = 2, max_D = 1;
  int start_p = 2, start_q = 2, start_P = 1, start_Q = 1;
  bool stationary = false;
  InformationCriterion ic = InformationCriterion::aicc;
  bool stepwise = true;
  int nmodels = 94;
  std::optional<bool> approximation;
  std::optional<bool> include_mean;
  std::optional<bool> include_drift;
  bool allow_drift = true;
  bool allow_mean = true;
  ArimaMethod method = ArimaMethod::css_ml;
  double kappa = 1e6;
  int max_evaluations = 2000;

  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("order", &ArimaOptions::order, "a fixed order (None: automatic selection as R's auto.arima)"),
        field("season_length", &ArimaOptions::season_length, "observations per season m (1: none)"),
        field("seasonal", &ArimaOptions::seasonal, "allow seasonal terms in the automatic search (R's default True)"),
        field("d", &ArimaOptions::d, "fixed number of differences (None: KPSS tests, R's ndiffs)"),
        field("D", &ArimaOptions::D, "fixed seasonal differences (None: seasonal strength > 0.64, R's nsdiffs)"),
        field("max_p", &ArimaOptions::max_p, "largest p searched (R: 5)"),
        field("max_q", &ArimaOptions::max_q, "largest q searched (R: 5)"),
        field("max_P", &ArimaOptions::max_P, "largest P searched (R: 2)"),
        field("max_Q", &ArimaOptions::max_Q, "largest Q searched (R: 2)"),
        field("max_order", &ArimaOptions::max_order, "largest p + q + P + Q (R: 5; used when stepwise=False)"),
        field("max_d", &ArimaOptions::max_d, "largest d (R: 2)"),
        field("max_D", &ArimaOptions::max_D, "largest D (R: 1)"),
        field("start_p", &ArimaOptions::start_p, "p of the first model of the stepwise search (R: 2)"),
        field("start_q", &ArimaOptions::start_q, "q of the first model (R: 2)"),
        field("start_P", &ArimaOptions::start_P, "P of the first model (R: 1)"),
        field("start_Q", &ArimaOptions::start_Q, "Q of the first model (R: 1)"),
        field("stationary", &ArimaOptions::stationary, "search stationary models only (d = D = 0)"),
        field("ic", &ArimaOptions::ic, "'aicc' (R's default), 'aic' or 'bic'"),
        field("stepwise", &ArimaOptions::stepwise, "Hyndman-Khandakar stepwise search (else every model up to max_order)"),
        field("nmodels", &ArimaOptions::nmodels, "most models the stepwise search fits (R: 94)"),
        field("approximation", &ArimaOptions::approximation,
              "search with CSS and refit the best by CSS-ML (None: n > 150 or m > 12, as R)"),
        field("include_mean", &ArimaOptions::include_mean,
              "fixed order: estimate a mean when there is no differencing (None: True)"),
        field("include_drift", &ArimaOptions::include_drift, "fixed order: a drift with one difference (None: False)"),
        field("allow_drift", &ArimaOptions::allow_drift, "automatic: consider a drift when d + D = 1 (R: True)"),
        field("allow_mean", &ArimaOptions::allow_mean, "automatic: consider a mean when d + D = 0 (R: True)"),
        field("method", &ArimaOptions::method, "'CSS-ML' (R's default), 'ML' or 'CSS'"),
        field("kappa", &ArimaOptions::kappa, "prior variance of the diffuse (differencing) states (R: 1e6)"),
        field("max_evaluations", &ArimaOptions::max_evaluations, "likelihood evaluations per fit")};
  }
};

struct ArimaCandidate {
  std::string model;
  double ic = 0.0;
  std::string status;

  static constexpr auto fields() {
    return std::tuple{field("model", &ArimaCandidate::model, "e.g. 'ARIMA(1,1,1)(0,1,1)[12] with drift'"),
                      field("ic", &ArimaCandidate::ic, "its information criterion (inf: rejected or failed)"),
                      field("status", &ArimaCandidate::status, "how its fit ended, or why it was rejected")};
  }
};

struct ArimaFit {
  ArimaOrder order;
  std::string model_name;
  bool include_mean = false;
  bool include_drift = false;
  std::vector<std::string> names;
  std::vector<double> coefficients;
  std::vector<double> standard_errors;
  double sigma2 = 0.0;
  double log_likelihood = 0.0;
  double aic = 0.0, aicc = 0.0, bic = 0.0;
  int nobs = 0;           // n.used: observations minus differences
  int n_regressors = 0;   // user columns of xreg
  ArimaMethod method = ArimaMethod::css_ml;
  std::vector<double> phi, theta, delta;  // expanded polynomials
  std::vector<double> state;              // filtered state after the last observation
  std::vector<double> state_covariance;   // its covariance (row-major), in units of sigma^2
  int series_length = 0;                  // n, for the drift's future values
  std::vector<double> fitted;
  std::vector<double> residuals;
  std::vector<ArimaCandidate> candidates;
  std::string note;
  Status status;

  /// Forecasts 1..h steps; xreg (h x k) the future values of the user's regressors.
  [[nodiscard]] BANKQUANT_EXPORT Forecast forecast(int h, std::span<const double> levels = {},
                                                   const Eigen::Ref<const RowMatrix>& xreg = RowMatrix()) const;
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static ArimaFit from_json(const io::Json& model);

  static constexpr auto fields() {
    return std::tuple{
        field("order", &ArimaFit::order, "(p,d,q)(P,D,Q)[m]"), field("model_name", &ArimaFit::model_name, "as R prints it"),
        field("include_mean", &ArimaFit::include_mean, "an intercept was estimated"),
        field("include_drift", &ArimaFit::include_drift, "a drift was estimated"),
        field("names", &ArimaFit::names, "coefficient names: ar1.., ma1.., sar1.., sma1.., intercept, drift, x1.."),
        field("coefficients", &ArimaFit::coefficients, "estimates, in the order of names"),
        field("standard_errors", &ArimaFit::standard_errors, "from the numerical Hessian (NaN where not positive)"),
        field("sigma2", &ArimaFit::sigma2, "innovation variance (auto.arima's: sum e^2 / (n* - k + 1))"),
        field("log_likelihood", &ArimaFit::log_likelihood, "Gaussian log-likelihood (R's loglik; NaN for CSS)"),
        field("aic", &ArimaFit::aic, "AIC"), field("aicc", &ArimaFit::aicc, "AICc"), field("bic", &ArimaFit::bic, "BIC"),
        field("nobs", &ArimaFit::nobs, "observations used (after differencing)"),
        field("n_regressors", &ArimaFit::n_regressors, "exogenous columns"),
        field("method", &ArimaFit::method, "estimation method"),
        field("phi", &ArimaFit::phi, "expanded AR polynomial"), field("theta", &ArimaFit::theta, "expanded MA polynomial"),
        field("delta", &ArimaFit::delta, "differencing polynomial"),
        field("state", &ArimaFit::state, "Kalman state after the last observation"),
        field("state_covariance", &ArimaFit::state_covariance, "its covariance / sigma^2, row-major"),
        field("series_length", &ArimaFit::series_length, "n"),
        field("fitted", &ArimaFit::fitted, "y - residuals"),
        field("residuals", &ArimaFit::residuals, "innovations (standardised by the Kalman gain, as R)"),
        field("candidates", &ArimaFit::candidates, "models the automatic search tried"),
        field("note", &ArimaFit::note, "a fallback that was applied, else empty"),
        field("status", &ArimaFit::status, "how the optimisation ended")};
  }
};

/// Fits one order or selects one (see the top). y may contain NaN (the Kalman filter skips them;
/// CSS-ML then becomes ML, as R). xreg: n x k regressors. Throws InvalidArgument naming the
/// argument for bad input.
[[nodiscard]] BANKQUANT_EXPORT ArimaFit fit_arima(std::span<const double> y, const ArimaOptions& options = {},
                                                  const Eigen::Ref<const RowMatrix>& xreg = RowMatrix());

/// KPSS level-stationarity statistic (urca's ur.kpss type "mu") with `lags` Bartlett lags.
[[nodiscard]] BANKQUANT_EXPORT double kpss_statistic(std::span<const double> y, int lags);

/// R's ndiffs (KPSS, alpha 0.05) and nsdiffs (test "seas").
[[nodiscard]] BANKQUANT_EXPORT int number_of_differences(std::span<const double> y, int max_d = 2);
[[nodiscard]] BANKQUANT_EXPORT int number_of_seasonal_differences(std::span<const double> y, int period, int max_D = 1);

}  // namespace bankquant::forecast
