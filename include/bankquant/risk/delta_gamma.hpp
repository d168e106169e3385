// bankquant/risk/delta_gamma.hpp — delta-gamma (quadratic) VaR and ES.
//
// A book's P&L for factor moves dx ~ N(0, C) is approximated by dV = delta'dx + 1/2 dx'Gamma dx.
// With C = L L' and L'Gamma L = Q diag(lambda) Q', dV = sum_i (d_i y_i + 1/2 lambda_i y_i^2),
// d = Q'L'delta, y ~ N(0, I) independent (Britten-Jones and Schaefer 1999). Its cumulants are
//   kappa_1 = 1/2 sum lambda_i,  kappa_r = sum_i ((r-1)!/2 lambda_i^r + r!/2 d_i^2 lambda_i^(r-2)), r >= 2,
// which give the delta-gamma-normal and Cornish–Fisher approximations; the Monte Carlo draws the
// diagonal form, O(d) per scenario instead of O(d^2), on the core's reproducible streams.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "bankquant/export.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

struct DeltaGammaForm {
  Eigen::VectorXd d;        ///< linear coefficients of the diagonal form
  Eigen::VectorXd lambda;   ///< eigenvalues of L'Gamma L
  double kappa[5] = {0, 0, 0, 0, 0};  ///< cumulants 1..4 of dV (index 0 unused)
};

/// Diagonalises the quadratic form; cov must be positive semi-definite, gamma symmetric.
[[nodiscard]] BANKQUANT_EXPORT DeltaGammaForm delta_gamma_form(const Eigen::Ref<const Eigen::VectorXd>& delta,
                                                               const Eigen::Ref<const Eigen::MatrixXd>& gamma,
                                                               const Eigen::Ref<const Eigen::MatrixXd>& cov);

/// Monte Carlo VaR/ES of dV from the diagonal form (chunk c uses stream c of `seed`).
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> delta_gamma_monte_carlo(const DeltaGammaForm& form,
                                                                          std::span<const double> levels,
                                                                          std::size_t n_scenarios,
                                                                          std::uint64_t seed);

/// Importance sampling for deep tails (Glasserman, Heidelberger and Shahabuddin, Management
/// Science 46(10), 2000): the scenarios are drawn under the exponentially twisted measure of the
/// loss L = -dV, with the twist theta chosen so that the twisted mean of L is `target_loss` (e.g.
/// a Cornish–Fisher first guess of the deepest VaR); each scenario is weighted by the likelihood
/// ratio exp(-theta L + psi(theta)), psi the cumulant generating function of L. VaR and ES are
/// the quantile and tail mean of the weighted sample. Far fewer scenarios reach the same
/// accuracy at 99.9% and beyond.
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> delta_gamma_importance_sampling(const DeltaGammaForm& form,
                                                                                  std::span<const double> levels,
                                                                                  std::size_t n_scenarios,
                                                                                  std::uint64_t seed,
                                                                                  double target_loss);

}  // namespace bankquant::risk
