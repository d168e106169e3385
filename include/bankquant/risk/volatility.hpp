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
// "backcast"). Parameters by maximum likelihood. Optimiser: BFGS with a backtracking (Armijo)
// line search on an unconstrained reparametrisation that keeps omega > 0, alpha, beta >= 0,
// alpha + beta < 1 and nu > 2, with central-difference gradients, run on returns rescaled to
// unit variance (results are mapped back, so they do not depend on the units of the returns).
// Standard errors from the numerical Hessian of the log-likelihood, and robust (QML, Bollerslev
// and Wooldridge 1992) standard errors H^-1 (G'G) H^-1 from the per-observation scores G.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/export.hpp"

namespace bankquant::risk {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Conditional variances sigma2_0..sigma2_n: sigma2_t uses returns before t, so the last entry is
/// the forecast for the day after the sample.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> ewma_variance(std::span<const double> returns,
                                                                 double lambda = 0.94);

/// The EWMA covariance forecast for the day after the sample (returns: T x k, rows are days).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd ewma_covariance(const Eigen::Ref<const RowMatrix>& returns,
                                                               double lambda = 0.94);

enum class GarchDistribution { normal, student_t };

struct GarchOptions {
  GarchDistribution distribution = GarchDistribution::normal;
  bool mean = true;            ///< estimate a constant mean mu (else mu = 0)
  int max_iterations = 500;    ///< BFGS iterations
  double tolerance = 1e-9;     ///< on the gradient norm (per observation) and the objective change
  void validate() const;
};

struct GarchResult {
  double mu = 0.0, omega = 0.0, alpha = 0.0, beta = 0.0, nu = 0.0;  ///< nu: Student-t only
  std::vector<std::string> names;            ///< parameter names, in the order of the vectors below
  Eigen::VectorXd params;
  Eigen::VectorXd standard_errors;
  Eigen::VectorXd robust_standard_errors;
  double log_likelihood = 0.0;
  double aic = 0.0, bic = 0.0;
  std::vector<double> conditional_variance;  ///< h_t for each observation
  std::vector<double> standardized_residuals;
  bool converged = false;
  int iterations = 0;
  std::string message;
  GarchDistribution distribution = GarchDistribution::normal;

  [[nodiscard]] double persistence() const { return alpha + beta; }
  [[nodiscard]] double unconditional_variance() const { return omega / (1.0 - alpha - beta); }
  /// Variance forecasts for 1..horizon days ahead: h_{T+k} = V + (alpha + beta)^(k-1) (h_{T+1} - V).
  [[nodiscard]] BANKQUANT_EXPORT std::vector<double> forecast_variance(int horizon) const;
  double next_variance = 0.0;                ///< h_{T+1}
};

[[nodiscard]] BANKQUANT_EXPORT GarchResult fit_garch11(std::span<const double> returns,
                                                       const GarchOptions& options = {});

/// Log-likelihood of given parameters (mu, omega, alpha, beta[, nu]) on returns; for tests and
/// profile likelihoods.
[[nodiscard]] BANKQUANT_EXPORT double garch11_log_likelihood(std::span<const double> returns, double mu,
                                                             double omega, double alpha, double beta, double nu,
                                                             GarchDistribution distribution);

}  // namespace bankquant::risk
