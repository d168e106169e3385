// bankquant/risk/volatility.hpp — conditional volatility: EWMA and GARCH(1,1).
//
// EWMA (J.P. Morgan/Reuters, RiskMetrics Technical Document, 1996): sigma2_t = lambda sigma2_{t-1}
// + (1 - lambda) r_{t-1}^2, lambda = 0.94 for daily data. The recursion starts from the mean of the
// squared returns over the first min(n, 30) observations (RiskMetrics leaves the start open; any
// start is forgotten at rate lambda^t).
//
// GARCH(1,1) (Bollerslev 1986): r_t = mu + e_t, e_t = sqrt(h_t) z_t,
// h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}, z_t standard normal or standardised Student-t
// with nu > 2 degrees of freedom (unit variance). h_0 is the sample variance of the residuals (the
// "backcast"). Parameters by maximum likelihood with core/optimize's bounded L-BFGS and the
// analytic gradient (the variance recursion differentiated alongside itself, O(n) per
// evaluation), on an unconstrained reparametrisation that keeps omega > 0, alpha, beta >= 0,
// alpha + beta < 1 and nu > 2, run on returns rescaled to unit variance (results are mapped
// back, so they do not depend on the units of the returns). Standard errors from the Hessian
// (central differences of the analytic gradient), and robust (QML, Bollerslev and Wooldridge
// 1992) standard errors H^-1 (G'G) H^-1 from the analytic per-observation scores G.
// A fit whose persistence alpha + beta reaches 0.9999, or whose information matrix is not
// positive definite, is reported with status `boundary`: usable, but its standard errors are not.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

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

enum class GarchDistribution { normal, student_t };
BANKQUANT_ENUM_NAMES(GarchDistribution, {normal, "normal"}, {student_t, "t"})

struct GarchOptions {
  GarchDistribution dist = GarchDistribution::normal;
  bool mean = true;
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
    return std::tuple{field("dist", &GarchOptions::dist, "innovation distribution: 'normal' or 't' (Student-t)"),
                      field("mean", &GarchOptions::mean, "estimate a constant mean mu (else mu = 0)"),
                      field("optimizer", &GarchOptions::optimizer, "the maximum-likelihood search (core/optimize)")};
  }
};

struct GarchResult {
  double mu = 0.0, omega = 0.0, alpha = 0.0, beta = 0.0, nu = 0.0;
  std::vector<std::string> names;
  std::vector<double> params;
  std::vector<double> standard_errors;
  std::vector<double> robust_standard_errors;
  double log_likelihood = 0.0;
  double aic = 0.0, bic = 0.0;
  std::vector<double> conditional_variance;
  std::vector<double> standardized_residuals;
  double next_variance = 0.0;
  GarchDistribution dist = GarchDistribution::normal;
  Status status;

  [[nodiscard]] double persistence() const { return alpha + beta; }
  [[nodiscard]] double unconditional_variance() const { return omega / (1.0 - alpha - beta); }
  /// Variance forecasts for 1..horizon days ahead: h_{T+k} = V + (alpha + beta)^(k-1) (h_{T+1} - V).
  [[nodiscard]] BANKQUANT_EXPORT std::vector<double> forecast_variance(int horizon) const;

  static constexpr auto fields() {
    return std::tuple{
        field("mu", &GarchResult::mu, "constant mean (0 when not estimated)"),
        field("omega", &GarchResult::omega, "variance intercept, in squared return units"),
        field("alpha", &GarchResult::alpha, "weight of yesterday's squared shock"),
        field("beta", &GarchResult::beta, "weight of yesterday's variance"),
        field("nu", &GarchResult::nu, "Student-t degrees of freedom (0 for normal innovations)"),
        field("names", &GarchResult::names, "names of the estimated parameters, in the order of params"),
        field("params", &GarchResult::params, "estimated parameters"),
        field("standard_errors", &GarchResult::standard_errors,
              "from the inverse Hessian of the log-likelihood (NaN when it is not positive definite)"),
        field("robust_standard_errors", &GarchResult::robust_standard_errors,
              "QML sandwich standard errors (Bollerslev and Wooldridge 1992)"),
        field("log_likelihood", &GarchResult::log_likelihood, "at the estimate, in the units of the returns"),
        field("aic", &GarchResult::aic, "-2 log L + 2 k"),
        field("bic", &GarchResult::bic, "-2 log L + k log n"),
        field("conditional_variance", &GarchResult::conditional_variance, "h_t for each observation"),
        field("standardized_residuals", &GarchResult::standardized_residuals, "(r_t - mu) / sqrt(h_t)"),
        field("next_variance", &GarchResult::next_variance, "h_{T+1}, the variance forecast for the next day"),
        field("dist", &GarchResult::dist, "innovation distribution"),
        field("status", &GarchResult::status, "how the estimation ended")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT GarchResult fit_garch11(std::span<const double> returns,
                                                       const GarchOptions& options = {});

/// Log-likelihood of given parameters (mu, omega, alpha, beta[, nu]) on returns; for tests and
/// profile likelihoods.
[[nodiscard]] BANKQUANT_EXPORT double garch11_log_likelihood(std::span<const double> returns, double mu,
                                                             double omega, double alpha, double beta, double nu,
                                                             GarchDistribution distribution);

}  // namespace bankquant::risk
