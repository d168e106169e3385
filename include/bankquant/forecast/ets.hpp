// bankquant/forecast/ets.hpp — exponential smoothing state-space models (ETS), fitted by maximum
// likelihood, selected automatically by AICc.
//
// The innovations state-space family of Hyndman, Koehler, Snyder and Grose (2002) and Hyndman,
// Koehler, Ord and Snyder, "Forecasting with Exponential Smoothing" (Springer 2008): error
// additive (A) or multiplicative (M), trend none (N), additive (A) or damped (Ad), season none,
// additive or multiplicative; ETS(M,Ad,M) and so on. The recursions, the objective, the initial
// states, the parameter bounds, the admissibility rule and the model search are R's
// forecast::ets (8.20), so fits compare one to one:
//   objective   n log(sum e_t^2) + 2 sum log|yhat_t| (the second term for multiplicative errors),
//               e_t = y_t - yhat_t or (y_t - yhat_t) / yhat_t — minus twice the concentrated Gaussian
//               log-likelihood up to the constant n (1 + log(2 pi / n)). We report the full Gaussian
//               log-likelihood (statsmodels' ETSModel convention): log_likelihood = -objective / 2
//               - n/2 (1 + log(2 pi / n)); R's loglik and aic/aicc/bic are ours shifted by that constant
//               (R's loglik = ours + n/2 (1 + log(2 pi / n))).
//   parameters  alpha, beta, gamma, phi and the initial states l0, b0, s0..s_{m-2} (the last seasonal
//               state closes the seasonal sum at 0, or at m for multiplicative seasons); the
//               information criteria count them plus sigma^2 (R's np)
//   bounds      "usual": alpha in [1e-4, 0.9999], beta in [1e-4, alpha], gamma in [1e-4, 1 - alpha],
//               phi in [0.8, 0.98] (R's defaults); "both" (R's default) adds the admissibility
//               (forecastability) conditions of Hyndman, Akram and Archibald (2008), checked on the
//               roots of the characteristic polynomial
//   start       R's initstate (classical decomposition of the first seasons, a regression line on the
//               first max(10, 2m) adjusted values) and R's initial smoothing parameters
//   selection   errors A/M, trends N/A/Ad, seasons N/A/M, excluding the models with infinite forecast
//               variance (restrict: A errors with M seasons) and multiplicative models for data with
//               zeros or negatives; the lowest AICc (or AIC, BIC) wins, ties to R's search order.
//   sigma2      sum e_t^2 / (n - number of parameters), as R.
//
// Optimisation (core/optimize): bounded L-BFGS on all parameters with the exact gradient of the
// objective by reverse accumulation through the recursion (one backward sweep: O(n) per gradient
// whatever the number of parameters), on a box reparametrisation (beta = lo + u (min(alpha, hi) -
// lo), gamma likewise, states in units of the data's scale), from R's start and a second start
// (alpha = 0.5); the better optimum is kept. It reaches R's optimum or a better one (measured in
// tests/python/test_forecast_ets.py and benchmarks/cases/forecast.py); Nelder-Mead as R is the
// option optimizer.method = "nelder_mead". An L-BFGS optimum that is not admissible is re-searched
// by Nelder-Mead inside the admissible region (the objective is +inf outside it, as in R).
//
// Differences from R, on purpose: (1) seasons longer than 24 are allowed (R stops: its Nelder-Mead
// cannot cope with 169 seasonal states; the gradient search can); (2) missing values (NaN) inside
// the series are skipped by the recursion (the state is propagated by its forecast, Hyndman et al.
// 2008 ch. 5) instead of R's longest-contiguous-stretch; (3) a series too short for a model's
// parameters (n <= parameters + 4) drops the season, then the trend, and says so in `note`, where
// R switches to Holt-Winters; (4) multiplicative trends are not offered (R excludes them from its
// search by default); (5) exogenous regressors: y_t = x_t' c + z_t with z_t an ETS process (the
// regression in the measurement equation, Hyndman et al. 2008 ch. 9), c estimated jointly by
// maximum likelihood — offered by neither R's ets nor statsmodels.
//
// Forecast variances: analytic for classes 1-3 of Hyndman et al. (2008, ch. 6) as R's class1/2/3
// (class 3 — M errors with M seasons — exactly for m <= 24, by simulation above); otherwise
// (A errors with M seasons) by simulation of sample paths (R's default 5000) with Gaussian
// innovations from a Philox stream (same seed, same intervals on any thread count).
//
// Complexity: one likelihood evaluation O(n); one gradient O(n); a fit O(iterations x n); the
// automatic search fits up to 15 models. Thread-safe: fits share nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/forecast/prediction.hpp"

namespace bankquant::forecast {

enum class EtsError { additive, multiplicative };
BANKQUANT_ENUM_NAMES(EtsError, {additive, "A"}, {multiplicative, "M"})
enum class EtsTrend { none, additive, damped };
BANKQUANT_ENUM_NAMES(EtsTrend, {none, "N"}, {additive, "A"}, {damped, "Ad"})
enum class EtsSeason { none, additive, multiplicative };
BANKQUANT_ENUM_NAMES(EtsSeason, {none, "N"}, {additive, "A"}, {multiplicative, "M"})

enum class EtsBounds { usual, both };
BANKQUANT_ENUM_NAMES(EtsBounds, {usual, "usual"}, {both, "both"})
enum class InformationCriterion { aicc, aic, bic };
BANKQUANT_ENUM_NAMES(InformationCriterion, {aicc, "aicc"}, {aic, "aic"}, {bic, "bic"})
/// What the parameters minimise: the likelihood (R's "lik") or the one-step mean squared error
/// (R's "mse", used by the Theta method).
enum class EtsCriterion { likelihood, mse };
BANKQUANT_ENUM_NAMES(EtsCriterion, {likelihood, "lik"}, {mse, "mse"})
/// Initial states estimated with the smoothing parameters (R, statsmodels' "estimated") or fixed
/// at R's heuristic start (statsmodels' "heuristic"; far fewer parameters for long seasons).
enum class EtsInitialization { optimized, heuristic };
BANKQUANT_ENUM_NAMES(EtsInitialization, {optimized, "optimized"}, {heuristic, "heuristic"})

struct EtsComponents {
  EtsError error = EtsError::additive;
  EtsTrend trend = EtsTrend::none;
  EtsSeason season = EtsSeason::none;

  [[nodiscard]] bool has_trend() const { return trend != EtsTrend::none; }
  [[nodiscard]] bool damped() const { return trend == EtsTrend::damped; }
  [[nodiscard]] bool seasonal() const { return season != EtsSeason::none; }
  /// "ETS(M,Ad,M)".
  [[nodiscard]] BANKQUANT_EXPORT std::string name() const;
  bool operator==(const EtsComponents&) const = default;

  static constexpr auto fields() {
    return std::tuple{field("error", &EtsComponents::error, "'A' (additive) or 'M' (multiplicative)"),
                      field("trend", &EtsComponents::trend, "'N', 'A' or 'Ad' (damped)"),
                      field("season", &EtsComponents::season, "'N', 'A' or 'M'")};
  }
};

struct EtsOptions {
  std::string model = "ZZZ";
  std::optional<bool> damped;
  int season_length = 1;
  std::optional<double> alpha;
  std::optional<double> beta;
  std::optional<double> gamma;
  std::optional<double> phi;
  std::vector<double> lower = {1e-4, 1e-4, 1e-4, 0.8};
  std::vector<double> upper = {0.9999, 0.9999, 0.9999, 0.98};
  EtsBounds bounds = EtsBounds::both;
  InformationCriterion ic = InformationCriterion::aicc;
  EtsCriterion criterion = EtsCriterion::likelihood;
  bool restrict = true;
  EtsInitialization initialization = EtsInitialization::optimized;
  int starts = 3;
  int search_evaluations = 300;
  optimize::Options optimizer = default_optimizer();

  /// L-BFGS to a relative objective change of 1e-12 or a projected gradient of 1e-7 on the
  /// objective per observation: tight enough that the optimum does not depend on the start.
  static optimize::Options default_optimizer() {
    optimize::Options o;
    o.method = optimize::Method::lbfgs;
    o.max_evaluations = 2000;  // R's maxit for ets
    o.function_tolerance = 1e-12;
    o.parameter_tolerance = 1e-10;
    o.gradient_tolerance = 1e-7;
    return o;
  }
  BANKQUANT_EXPORT void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("model", &EtsOptions::model,
              "three letters error/trend/season: 'A', 'M' or 'Z' (choose), then 'N', 'A' or 'Z', then 'N', 'A', "
              "'M' or 'Z' — 'ZZZ' selects automatically by the information criterion (R's default)"),
        field("damped", &EtsOptions::damped, "damped trend: True, False, or None to try both (R's default)"),
        field("season_length", &EtsOptions::season_length,
              "observations per season (24 for hourly data with a daily cycle); 1 for none"),
        field("alpha", &EtsOptions::alpha, "fixed level smoothing (None: estimated)"),
        field("beta", &EtsOptions::beta, "fixed trend smoothing (None: estimated)"),
        field("gamma", &EtsOptions::gamma, "fixed seasonal smoothing (None: estimated)"),
        field("phi", &EtsOptions::phi, "fixed damping (None: estimated)"),
        field("lower", &EtsOptions::lower, "lower bounds of alpha, beta, gamma, phi (R's default 1e-4 x 3, 0.8)"),
        field("upper", &EtsOptions::upper,
              "upper bounds of alpha, beta, gamma, phi (R's default 0.9999 x 3, 0.98)"),
        field("bounds", &EtsOptions::bounds,
              "'both' (usual bounds and admissibility, R's default) or 'usual' (bounds only)"),
        field("ic", &EtsOptions::ic, "model selection criterion: 'aicc' (R's default), 'aic' or 'bic'"),
        field("criterion", &EtsOptions::criterion,
              "what the fit minimises: 'lik' (likelihood, R's default) or 'mse' (one-step squared error)"),
        field("restrict", &EtsOptions::restrict,
              "exclude models with infinite forecast variance (additive errors with multiplicative seasons; "
              "R's default True)"),
        field("initialization", &EtsOptions::initialization,
              "'optimized' (initial states estimated, R) or 'heuristic' (fixed at R's start values)"),
        field("starts", &EtsOptions::starts,
              "starts raced: short searches from the best `starts` of R's start and a grid of alpha (0.1, 0.3, "
              "0.5, 0.8) and gamma (5%, 50%, 95% of its range); the leader is searched to the end (1: no race)"),
        field("search_evaluations", &EtsOptions::search_evaluations,
              "evaluations each candidate of the automatic search may use; the winner's search then runs to "
              "optimizer.max_evaluations (the candidates that converge need 50-150 here)"),
        field("optimizer", &EtsOptions::optimizer, "the maximum-likelihood search (core/optimize)")};
  }
};

/// One model tried by the automatic search.
struct EtsCandidate {
  std::string model;
  double log_likelihood = 0.0;
  double aic = 0.0;
  double aicc = 0.0;
  double bic = 0.0;
  std::string status;

  static constexpr auto fields() {
    return std::tuple{field("model", &EtsCandidate::model, "e.g. 'ETS(A,N,N)'"),
                      field("log_likelihood", &EtsCandidate::log_likelihood, "at its optimum (inf: not fitted)"),
                      field("aic", &EtsCandidate::aic, "AIC"), field("aicc", &EtsCandidate::aicc, "AICc"),
                      field("bic", &EtsCandidate::bic, "BIC"),
                      field("status", &EtsCandidate::status, "how its fit ended, or why it was skipped")};
  }
};

struct EtsSimulation {
  int paths = 5000;
  std::uint64_t seed = 0;

  static constexpr auto fields() {
    return std::tuple{field("paths", &EtsSimulation::paths, "sample paths for simulated intervals (R's npaths 5000)"),
                      field("seed", &EtsSimulation::seed, "Philox seed of the simulated innovations")};
  }
};

struct EtsFit {
  EtsComponents components;
  std::string model_name;
  int season_length = 1;
  double alpha = 0.0;
  double beta = 0.0;
  double gamma = 0.0;
  double phi = 1.0;
  std::vector<std::string> names;
  std::vector<double> params;
  std::vector<double> initial_state;
  std::vector<double> last_state;
  std::vector<double> coefficients;
  double log_likelihood = 0.0;
  double aic = 0.0;
  double aicc = 0.0;
  double bic = 0.0;
  double sigma2 = 0.0;
  double mse = 0.0;
  int nobs = 0;
  int n_parameters = 0;
  std::vector<double> fitted;
  std::vector<double> residuals;
  std::vector<EtsCandidate> candidates;
  std::string note;
  Status status;

  /// Point forecasts, variances and intervals for 1..h steps. `xreg` (h x k) holds the future
  /// regressors when the model has coefficients. Intervals for `levels` (percent).
  [[nodiscard]] BANKQUANT_EXPORT Forecast forecast(int h, std::span<const double> levels = {},
                                                   const Eigen::Ref<const RowMatrix>& xreg = RowMatrix(),
                                                   const EtsSimulation& simulation = {}) const;

  /// paths x h sample paths of the future (Gaussian innovations, sigma^2 as fitted).
  [[nodiscard]] BANKQUANT_EXPORT RowMatrix simulate(int h, const EtsSimulation& simulation = {},
                                                    const Eigen::Ref<const RowMatrix>& xreg = RowMatrix()) const;

  /// The model file body (kind "ets"): everything forecast() needs, and the fit statistics.
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static EtsFit from_json(const io::Json& model);

  static constexpr auto fields() {
    return std::tuple{
        field("components", &EtsFit::components, "error, trend and season types"),
        field("model_name", &EtsFit::model_name, "e.g. 'ETS(M,Ad,M)'"),
        field("season_length", &EtsFit::season_length, "observations per season (1: none)"),
        field("alpha", &EtsFit::alpha, "level smoothing"),
        field("beta", &EtsFit::beta, "trend smoothing (0 without a trend)"),
        field("gamma", &EtsFit::gamma, "seasonal smoothing (0 without a season)"),
        field("phi", &EtsFit::phi, "damping (1 without damping)"),
        field("names", &EtsFit::names, "names of params: alpha, beta, gamma, phi, l, b, s0.. (R's par)"),
        field("params", &EtsFit::params, "smoothing parameters and initial states, as R's par"),
        field("initial_state", &EtsFit::initial_state,
              "l, b, s1..sm at time 0 (s1 the most recent season, R's initstate)"),
        field("last_state", &EtsFit::last_state, "l, b, s1..sm after the last observation"),
        field("coefficients", &EtsFit::coefficients, "regression coefficients, one per exogenous column"),
        field("log_likelihood", &EtsFit::log_likelihood,
              "full Gaussian log-likelihood (statsmodels' llf; R's loglik + constant, see the header)"),
        field("aic", &EtsFit::aic, "-2 log L + 2 k"),
        field("aicc", &EtsFit::aicc, "AIC + 2 k (k + 1) / (n - k - 1)"),
        field("bic", &EtsFit::bic, "-2 log L + k log n"),
        field("sigma2", &EtsFit::sigma2, "innovation variance, sum e^2 / (n - parameters) as R"),
        field("mse", &EtsFit::mse, "mean squared one-step error y - yhat"),
        field("nobs", &EtsFit::nobs, "observations used (missing values excluded)"),
        field("n_parameters", &EtsFit::n_parameters, "k of the information criteria: parameters + 1 (R's np)"),
        field("fitted", &EtsFit::fitted, "one-step forecasts yhat_t (with the regression part)"),
        field("residuals", &EtsFit::residuals,
              "innovations e_t: y - yhat, or (y - yhat) / yhat for multiplicative errors (R's residuals)"),
        field("candidates", &EtsFit::candidates, "every model the automatic search tried"),
        field("note", &EtsFit::note, "a fallback that was applied (e.g. season dropped), else empty"),
        field("status", &EtsFit::status, "how the chosen model's optimisation ended")};
  }
};

/// Parses R's model code ("ZZZ", "MAM", "AAdN" is not accepted: damping is `damped`) into the
/// candidate error, trend and season types. Throws InvalidArgument naming 'model'.
struct EtsModelCode {
  std::vector<EtsError> errors;
  std::vector<EtsTrend> trends;
  std::vector<EtsSeason> seasons;
};
[[nodiscard]] BANKQUANT_EXPORT EtsModelCode parse_ets_model(std::string_view model, std::optional<bool> damped);

/// Fits one model or searches (see the top). y may hold NaN for missing observations; xreg (n x k)
/// optional exogenous regressors. Throws InvalidArgument for bad input (naming 'y', 'model',
/// 'season_length', ...); an optimisation that stops short is reported in `status`.
[[nodiscard]] BANKQUANT_EXPORT EtsFit fit_ets(std::span<const double> y, const EtsOptions& options = {},
                                              const Eigen::Ref<const RowMatrix>& xreg = RowMatrix());

/// R's objective (n log SSE [+ 2 sum log|yhat|]) of a given model at given smoothing parameters and
/// initial states (l, b, s1..sm as R's initstate); for tests and profile likelihoods.
[[nodiscard]] BANKQUANT_EXPORT double ets_objective(std::span<const double> y, const EtsComponents& components,
                                                    int season_length, double alpha, double beta, double gamma,
                                                    double phi, std::span<const double> initial_state);

/// R's admissibility test (forecast:::%admissible) for the smoothing parameters of a model.
[[nodiscard]] BANKQUANT_EXPORT bool ets_admissible(const EtsComponents& components, int season_length, double alpha,
                                                   double beta, double gamma, double phi);

/// R's initial states (forecast:::%initstate): l, b, s0..s_{m-2} (the free seasonal states).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> ets_initial_states(std::span<const double> y, EtsTrend trend,
                                                                      EtsSeason season, int season_length);

}  // namespace bankquant::forecast
