// bankquant/risk/volatility.hpp — conditional volatility: EWMA, and a family of GARCH models on
// one likelihood engine.
//
// EWMA (J.P. Morgan/Reuters, RiskMetrics Technical Document, 1996), ewma_variance:
// sigma2_t = lambda sigma2_{t-1} + (1 - lambda) r_{t-1}^2, lambda = 0.94 for daily data, started
// from the mean of the squared returns over the first min(n, 30) observations (RiskMetrics
// leaves the start open; any start is forgotten at rate lambda^t).
//
// The family (fit_volatility): r_t = m_t + e_t, e_t = sqrt(h_t) z_t, z_t i.i.d. standardised
// (distributions.hpp: normal, t, Hansen's skewed t, GED), with the mean m_t
//   zero      0
//   constant  mu
//   ar1       mu + phi r_{t-1}  (conditional on the first observation)
// and the variance h_t (p ARCH lags, q GARCH lags)
//   garch   h_t = omega + sum_i alpha_i e_{t-i}^2 + sum_j beta_j h_{t-j}          (Bollerslev 1986)
//   gjr     h_t = omega + sum_i (alpha_i + gamma_i [e_{t-i} < 0]) e_{t-i}^2 + sum_j beta_j h_{t-j}
//                                                          (Glosten, Jagannathan and Runkle 1993)
//   egarch  ln h_t = omega + sum_i (alpha_i (|z_{t-i}| - sqrt(2/pi)) + gamma_i z_{t-i})
//                  + sum_j beta_j ln h_{t-j}                  (Nelson 1991; arch's centring)
//   ewma    h_t = lambda h_{t-1} + (1 - lambda) e_{t-1}^2, lambda fixed (0.94) or estimated
// Start (fGarch's "mci" recursion, = arch's backcast for one lag): with b = mean(e_t^2), the
// first max(p, q) variances are omega + P b (P the persistence: sum alpha + sum gamma / 2 +
// sum beta), for egarch ln h = omega + sum beta ln b; for ewma the start of ewma_variance.
// Estimation: exact maximum likelihood with core/optimize's bounded L-BFGS on returns rescaled
// to unit variance (results mapped back, so they do not depend on the units), the gradient exact
// by forward-mode differentiation of the one templated likelihood (O(n k) per evaluation for k
// parameters, per-observation scores included). Bounds (on the unit-variance scale; fGarch's
// where it has them): omega in [1e-8, 100], alpha and beta in [0, 1] (gjr: alpha and alpha +
// gamma in [0, 1], so h stays positive), egarch omega in [-10, 10], alpha and gamma in [-2, 2],
// beta in [-0.9999, 0.9999], phi in (-1, 1), t and skew_t nu in [2.05, 300], ged nu in [0.3, 20],
// skew in [-0.99, 0.99], lambda in [0.5, 0.99999]. Standard errors from the Hessian (central
// differences of the exact gradient), and robust (QML, Bollerslev and Wooldridge 1992) ones
// H^-1 (G'G) H^-1 from the scores G, both mapped to the reported parameters by the delta method.
// A fit at a bound, with persistence of 0.9999 or more (sum beta for egarch), or with an
// information matrix that is not positive definite, is reported with status `boundary`.
//
// Forecasts: analytic multi-step variance for garch, gjr and ewma (E[z^2 1(z < 0)] from the
// innovation distribution for gjr); simulated paths (the model's innovations, or bootstrap of
// the standardised residuals: filtered historical simulation, Barone-Adesi et al. 1999) for every
// model, in parallel on counter-based streams. filter_volatility re-applies fitted parameters to
// new data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/distributions.hpp"

namespace bankquant::risk {

/// Conditional variances sigma2_0..sigma2_n: sigma2_t uses returns before t, so the last entry is
/// the forecast for the day after the sample.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> ewma_variance(std::span<const double> returns,
                                                                 double lambda = 0.94);

/// The EWMA covariance forecast for the day after the sample (returns: T x k, rows are days): the
/// RiskMetrics recursion started from the first 30 days. Depends on the portfolio module, which
/// holds the one EWMA covariance implementation both modules use (portfolio/covariance.hpp).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd ewma_covariance(const Eigen::Ref<const RowMatrix>& returns,
                                                               double lambda = 0.94);

enum class VarianceModel { garch, gjr, egarch, ewma };
BANKQUANT_ENUM_NAMES(VarianceModel, {garch, "garch"}, {gjr, "gjr"}, {egarch, "egarch"}, {ewma, "ewma"})
enum class MeanModel { zero, constant, ar1 };
BANKQUANT_ENUM_NAMES(MeanModel, {zero, "zero"}, {constant, "constant"}, {ar1, "ar1"})

struct VolatilityOptions {
  VarianceModel model = VarianceModel::garch;
  int p = 1;
  int q = 1;
  MeanModel mean = MeanModel::constant;
  Innovation dist = Innovation::normal;
  double lambda = 0.94;
  bool estimate_lambda = false;
  optimize::Options optimizer = default_optimizer();

  /// L-BFGS to a projected gradient of 1e-7 per observation (the mean log-likelihood is the
  /// objective), or a relative change of 1e-12: tighter than scipy's L-BFGS-B defaults, so the
  /// reported optimum does not depend on the start.
  static optimize::Options default_optimizer() {
    optimize::Options o;
    o.method = optimize::Method::lbfgs;
    o.max_evaluations = 500;
    o.gradient_tolerance = 1e-7;
    o.function_tolerance = 1e-12;
    o.parameter_tolerance = 1e-10;
    return o;
  }
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("model", &VolatilityOptions::model, "variance model: 'garch', 'gjr', 'egarch' or 'ewma'"),
        field("p", &VolatilityOptions::p, "ARCH lags (alpha, and gamma for gjr and egarch), 1 to 5; 1 for ewma"),
        field("q", &VolatilityOptions::q, "GARCH lags (beta), 0 to 5; 1 for ewma"),
        field("mean", &VolatilityOptions::mean, "mean model: 'zero', 'constant' (fGarch's default) or 'ar1'"),
        field("dist", &VolatilityOptions::dist, "innovations: 'normal', 't', 'skew_t' (Hansen) or 'ged'"),
        field("lambda_", &VolatilityOptions::lambda,
              "ewma: the decay (RiskMetrics' 0.94 for daily data), or the start when estimated"),
        field("estimate_lambda", &VolatilityOptions::estimate_lambda, "ewma: estimate lambda by maximum likelihood"),
        field("optimizer", &VolatilityOptions::optimizer, "the maximum-likelihood search (core/optimize)")};
  }
};

/// A fitted (or filtered) volatility model.
struct VolatilityResult {
  VolatilityOptions options;                 ///< the model
  std::vector<std::string> names;            ///< parameter names, in the order of params
  std::vector<double> params;                ///< estimates, in the units of the returns
  std::vector<double> standard_errors;       ///< from the Hessian (NaN when it is not positive definite)
  std::vector<double> robust_standard_errors;
  double log_likelihood = 0.0, aic = 0.0, bic = 0.0;
  std::size_t observations = 0;              ///< terms of the likelihood
  std::size_t first = 0;                     ///< index of the first modelled return (1 for ar1)
  std::vector<double> residuals;             ///< e_t = r_t - m_t, for t >= first
  std::vector<double> conditional_variance;  ///< h_t
  std::vector<double> standardized_residuals;  ///< z_t = e_t / sqrt(h_t)
  double last_return = 0.0;                  ///< r_T (the AR(1) forecast needs it)
  double next_mean = 0.0;                    ///< m_{T+1}
  double next_variance = 0.0;                ///< h_{T+1}
  double persistence = 0.0;
  Status status;

  /// The estimate called `name` (throws InvalidArgument naming the known ones otherwise).
  [[nodiscard]] BANKQUANT_EXPORT double parameter(std::string_view name) const;
  /// The fitted innovation distribution.
  [[nodiscard]] BANKQUANT_EXPORT StandardizedDistribution innovation() const;
  /// Unconditional variance (garch and gjr with persistence < 1; egarch: exp of the mean log
  /// variance's fixed point, a lower bound); throws InvalidArgument for a non-stationary model.
  [[nodiscard]] BANKQUANT_EXPORT double unconditional_variance() const;
  /// Analytic variance forecasts h_{T+1..T+horizon} (garch, gjr, ewma; egarch: use
  /// simulate_paths, whose mean variance is the forecast).
  [[nodiscard]] BANKQUANT_EXPORT std::vector<double> forecast_variance(int horizon) const;

  static constexpr auto fields() {
    return std::tuple{
        field("options", &VolatilityResult::options, "the model"),
        field("names", &VolatilityResult::names, "names of the parameters, in the order of params"),
        field("params", &VolatilityResult::params, "estimates, in the units of the returns"),
        field("standard_errors", &VolatilityResult::standard_errors,
              "from the inverse Hessian of the log-likelihood (NaN when it is not positive definite)"),
        field("robust_standard_errors", &VolatilityResult::robust_standard_errors,
              "QML sandwich standard errors (Bollerslev and Wooldridge 1992)"),
        field("log_likelihood", &VolatilityResult::log_likelihood, "at the estimate, in the units of the returns"),
        field("aic", &VolatilityResult::aic, "-2 log L + 2 k"),
        field("bic", &VolatilityResult::bic, "-2 log L + k log n"),
        field("observations", &VolatilityResult::observations, "terms of the likelihood"),
        field("first", &VolatilityResult::first, "index of the first modelled return (1 for ar1)"),
        field("residuals", &VolatilityResult::residuals, "e_t = r_t - m_t"),
        field("conditional_variance", &VolatilityResult::conditional_variance, "h_t for each modelled observation"),
        field("standardized_residuals", &VolatilityResult::standardized_residuals, "e_t / sqrt(h_t)"),
        field("last_return", &VolatilityResult::last_return, "the last return of the sample"),
        field("next_mean", &VolatilityResult::next_mean, "m_{T+1}, the mean forecast for the next day"),
        field("next_variance", &VolatilityResult::next_variance, "h_{T+1}, the variance forecast for the next day"),
        field("persistence", &VolatilityResult::persistence,
              "sum alpha + sum gamma / 2 + sum beta (egarch: sum beta; ewma: 1)"),
        field("status", &VolatilityResult::status, "how the estimation ended")};
  }
};

/// Maximum-likelihood fit of the model in `options` to returns (in time order).
[[nodiscard]] BANKQUANT_EXPORT VolatilityResult fit_volatility(std::span<const double> returns,
                                                               const VolatilityOptions& options = {});

/// The model's log-likelihood at `params` (natural parameters in the units of the returns, in
/// the order fit_volatility names them); for tests and profile likelihoods.
[[nodiscard]] BANKQUANT_EXPORT double volatility_log_likelihood(std::span<const double> returns,
                                                                const VolatilityOptions& options,
                                                                std::span<const double> params);

/// The parameter names of a model, in order.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::string> volatility_parameter_names(const VolatilityOptions& options);

/// A fitted model re-applied, with its parameters fixed, to `returns` (e.g. the days after the
/// fit): variances, residuals, likelihood and forecasts on that data; no standard errors.
[[nodiscard]] BANKQUANT_EXPORT VolatilityResult filter_volatility(const VolatilityResult& model,
                                                                  std::span<const double> returns);

enum class PathInnovations { model, bootstrap };
BANKQUANT_ENUM_NAMES(PathInnovations, {model, "model"}, {bootstrap, "bootstrap"})

struct PathOptions {
  int horizon = 10;
  std::size_t n_paths = 100'000;
  PathInnovations innovations = PathInnovations::model;
  std::uint64_t seed = 0;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("horizon", &PathOptions::horizon, "days simulated"),
        field("n_paths", &PathOptions::n_paths, "paths, at least 100"),
        field("innovations", &PathOptions::innovations,
              "'model' (draws from the fitted distribution) or 'bootstrap' (the standardised residuals, "
              "filtered historical simulation)"),
        field("seed", &PathOptions::seed, "random seed (chunk c of paths draws from stream c)")};
  }
};

struct PathResult {
  std::vector<double> cumulative_returns;  ///< per path: the sum of the simulated returns over the horizon
  std::vector<double> mean_variance;       ///< per day ahead: the mean simulated h (the variance forecast)
  std::vector<double> mean_return;         ///< per day ahead: the mean simulated return

  static constexpr auto fields() {
    return std::tuple{
        field("cumulative_returns", &PathResult::cumulative_returns,
              "per path, the sum of its returns over the horizon (log returns add)"),
        field("mean_variance", &PathResult::mean_variance, "per day ahead, the mean simulated conditional variance"),
        field("mean_return", &PathResult::mean_return, "per day ahead, the mean simulated return")};
  }
};

/// Simulated paths from the end of the sample, in parallel (same seed, same paths, any thread count).
[[nodiscard]] BANKQUANT_EXPORT PathResult simulate_paths(const VolatilityResult& model, const PathOptions& options = {});

}  // namespace bankquant::risk
