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
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

struct DeltaGammaForm {
  Eigen::VectorXd d;                             ///< linear coefficients of the diagonal form
  Eigen::VectorXd lambda;                        ///< eigenvalues of L'Gamma L
  std::vector<double> kappa = {0.0, 0.0, 0.0, 0.0};  ///< cumulants 1..4 of dV

  static constexpr auto fields() {
    return std::tuple{field("d", &DeltaGammaForm::d, "linear coefficients of the diagonal form"),
                      field("lambda_", &DeltaGammaForm::lambda, "eigenvalues of L' Gamma L"),
                      field("kappa", &DeltaGammaForm::kappa, "cumulants 1 to 4 of the P&L")};
  }
};

/// Diagonalises the quadratic form; cov must be positive semi-definite, gamma symmetric.
[[nodiscard]] BANKQUANT_EXPORT DeltaGammaForm delta_gamma_form(const Eigen::Ref<const Eigen::VectorXd>& delta,
                                                               const Eigen::Ref<const Eigen::MatrixXd>& gamma,
                                                               const Eigen::Ref<const Eigen::MatrixXd>& cov);

/// Monte Carlo VaR/ES of dV from the diagonal form (chunk c uses stream c of `seed`).
[[nodiscard]] BANKQUANT_EXPORT VarEsTable delta_gamma_monte_carlo(const DeltaGammaForm& form,
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
[[nodiscard]] BANKQUANT_EXPORT VarEsTable delta_gamma_importance_sampling(const DeltaGammaForm& form,
                                                                                  std::span<const double> levels,
                                                                                  std::size_t n_scenarios,
                                                                                  std::uint64_t seed,
                                                                                  double target_loss);

enum class DeltaGammaMethod { normal, cornish_fisher, monte_carlo, importance_sampling };
BANKQUANT_ENUM_NAMES(DeltaGammaMethod, {normal, "normal"}, {cornish_fisher, "cornish_fisher"},
                     {monte_carlo, "monte_carlo"}, {importance_sampling, "importance_sampling"})

struct DeltaGammaOptions {
  DeltaGammaMethod method = DeltaGammaMethod::cornish_fisher;
  std::size_t n_scenarios = 1'000'000;  ///< monte_carlo and importance_sampling
  std::uint64_t seed = 0;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &DeltaGammaOptions::method,
              "'normal' (two cumulants), 'cornish_fisher' (four), 'monte_carlo' (the diagonal form) or "
              "'importance_sampling' (twisted towards the Cornish-Fisher VaR of the deepest level)"),
        field("n_scenarios", &DeltaGammaOptions::n_scenarios, "scenarios of the simulation methods"),
        field("seed", &DeltaGammaOptions::seed, "random seed")};
  }
};

struct DeltaGammaResult {
  VarEsTable estimates;
  DeltaGammaMethod method = DeltaGammaMethod::cornish_fisher;
  double mean = 0.0, sd = 0.0, skewness = 0.0, excess_kurtosis = 0.0;  ///< of the quadratic P&L

  static constexpr auto fields() {
    return std::tuple{field("estimates", &DeltaGammaResult::estimates, "VaR and ES by level"),
                      field("method", &DeltaGammaResult::method, "the method used"),
                      field("mean", &DeltaGammaResult::mean, "mean of the quadratic P&L (kappa 1)"),
                      field("sd", &DeltaGammaResult::sd, "its standard deviation"),
                      field("skewness", &DeltaGammaResult::skewness, "its skewness"),
                      field("excess_kurtosis", &DeltaGammaResult::excess_kurtosis, "its excess kurtosis")};
  }
};

/// VaR/ES of dV = delta'dx + 1/2 dx'Gamma dx, dx ~ N(0, cov), by the chosen method.
[[nodiscard]] BANKQUANT_EXPORT DeltaGammaResult delta_gamma_var_es(const Eigen::Ref<const Eigen::VectorXd>& delta,
                                                                   const Eigen::Ref<const Eigen::MatrixXd>& gamma,
                                                                   const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                   std::span<const double> levels,
                                                                   const DeltaGammaOptions& options = {});

}  // namespace bankquant::risk
