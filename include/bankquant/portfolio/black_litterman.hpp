// bankquant/portfolio/black_litterman.hpp — Black-Litterman posterior returns from market
// equilibrium and investor (adviser) views.
//
//   pi        = delta S w_mkt + rf                       equilibrium (reverse-optimised) returns
//   mu_BL     = pi + tau S P' (tau P S P' + Omega)^-1 (Q - P pi)
//   S_BL      = S + tau S - tau S P' (tau P S P' + Omega)^-1 P tau S      (He and Litterman 1999)
//   weights   = (delta S_BL)^-1 (mu_BL - rf)    He and Litterman's unconstrained optimum under the
//               posterior covariance (= (w_mkt + P' Lambda) / (1 + tau) without views' tilt scaling);
//               or, on request ('prior_normalised'), (delta S)^-1 (mu_BL - rf) scaled to sum to one
//               (PyPortfolioOpt's bl_weights convention)
// Views: absolute (a row of P with one 1) or relative (a row summing to 0), Q their expected
// returns. The view uncertainty Omega is, in order of precedence: given; from Idzorek's (2005)
// confidences c_k in [0, 1] (the tilt toward the 100%-confident weights is c_k of the full
// tilt; per view omega_k = (1 - c_k) / c_k p_k tau S p_k', which attains it exactly (Walters
// 2011), c_k = 0 drops the view (as does a c_k so small that omega_k overflows, that limit in
// floating point), c_k = 1 makes it exact); or He and Litterman's
// diag(P tau S P'). Defaults: delta = 2.5 and tau = 0.05 (He and Litterman 1999). Omega is never
// inverted, so fully confident views are exact. Cost O(n^3 + k^3).
#pragma once

#include <string>
#include <tuple>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

enum class BlackLittermanWeights { he_litterman, prior_normalised };
BANKQUANT_ENUM_NAMES(BlackLittermanWeights, {he_litterman, "he_litterman"}, {prior_normalised, "prior_normalised"})

struct BlackLittermanOptions {
  double delta = 2.5;
  double tau = 0.05;
  double risk_free = 0.0;
  BlackLittermanWeights weights = BlackLittermanWeights::he_litterman;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("delta", &BlackLittermanOptions::delta, "risk aversion of the market (He and Litterman 1999: 2.5)"),
        field("tau", &BlackLittermanOptions::tau, "scale of the uncertainty of the prior (He and Litterman 1999: 0.05)"),
        field("risk_free", &BlackLittermanOptions::risk_free, "added to the equilibrium returns (0: excess returns)"),
        field("weights", &BlackLittermanOptions::weights,
              "'he_litterman' (posterior covariance, unnormalised) or 'prior_normalised' (prior covariance, sum 1)")};
  }
};

struct BlackLittermanResult {
  Eigen::VectorXd pi;
  Eigen::VectorXd posterior_returns;
  Eigen::MatrixXd posterior_cov;
  Eigen::VectorXd weights;
  Eigen::MatrixXd omega;
  std::string omega_source;
  BlackLittermanWeights weights_convention = BlackLittermanWeights::he_litterman;
  int views_used = 0;

  static constexpr auto fields() {
    return std::tuple{
        field("pi", &BlackLittermanResult::pi, "equilibrium returns delta S w_mkt + rf"),
        field("posterior_returns", &BlackLittermanResult::posterior_returns, "mu_BL"),
        field("posterior_cov", &BlackLittermanResult::posterior_cov, "S_BL = S + M (He and Litterman 1999)"),
        field("weights", &BlackLittermanResult::weights, "optimal unconstrained weights (see weights_convention)"),
        field("omega", &BlackLittermanResult::omega, "the view uncertainty used (k x k)"),
        field("omega_source", &BlackLittermanResult::omega_source, "'given', 'idzorek' or 'he_litterman'"),
        field("weights_convention", &BlackLittermanResult::weights_convention, "how weights were computed"),
        field("views_used", &BlackLittermanResult::views_used, "views kept (a confidence of 0, or one so small that its omega overflows, drops a view)")};
  }
};

/// cov (n x n), market_weights (n), P (k x n, k may be 0), Q (k), omega (k x k or empty),
/// confidences (k or empty).
[[nodiscard]] BANKQUANT_EXPORT BlackLittermanResult black_litterman(
    const Eigen::Ref<const Eigen::MatrixXd>& cov, const Eigen::Ref<const Eigen::VectorXd>& market_weights,
    const Eigen::Ref<const RowMatrix>& P, const Eigen::Ref<const Eigen::VectorXd>& Q,
    const Eigen::Ref<const Eigen::MatrixXd>& omega, const Eigen::Ref<const Eigen::VectorXd>& confidences,
    const BlackLittermanOptions& options = {});

/// The market's risk aversion (E[r_m] - rf) / var(r_m) from its returns, annualised with
/// periods_per_year (PyPortfolioOpt's market_implied_risk_aversion).
[[nodiscard]] BANKQUANT_EXPORT double market_implied_risk_aversion(const Eigen::Ref<const Eigen::VectorXd>& market_returns,
                                                                   double risk_free = 0.0,
                                                                   double periods_per_year = 252.0);

}  // namespace bankquant::portfolio
