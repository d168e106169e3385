// bankquant/risk/monte_carlo.hpp — Monte Carlo VaR and ES of a linear portfolio.
//
// Risk-factor returns are multivariate normal N(0, C), or multivariate Student-t with nu degrees
// of freedom and the same covariance C (normal draws scaled by sqrt((nu - 2) / chi2_nu), a
// t copula with t marginals). The portfolio P&L is w'r. Scenarios are drawn in fixed chunks from
// the core's Philox streams (chunk c uses stream c), so a seed gives the same P&L vector on any
// number of threads. Each scenario needs only z'(L'w) with L the Cholesky factor of C, so the
// factor draws are never stored: memory is one double per scenario.
//
// A covariance that is not positive semi-definite (e.g. estimated from a short or pairwise
// sample) is rejected, or, with psd_repair = nearest, replaced by its nearest positive
// semi-definite matrix in the Frobenius norm: the eigen-decomposition with negative eigenvalues
// set to zero (Higham 1988).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "bankquant/export.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

enum class ScenarioDistribution { normal, student_t };
enum class PsdRepair { error, nearest };

struct MonteCarloOptions {
  std::size_t n_scenarios = 1'000'000;
  ScenarioDistribution distribution = ScenarioDistribution::normal;
  double nu = 5.0;            ///< Student-t degrees of freedom (> 2)
  std::uint64_t seed = 0;
  bool antithetic = false;    ///< pair each draw z with -z (halves the variance of odd moments)
  PsdRepair psd_repair = PsdRepair::error;
  /// Materialise the factor scenarios r = L z tile by tile (a tile of `tile` scenarios x d factors:
  /// normals, then one matrix product with the covariance root, then P&L), as a non-linear book
  /// needs; memory stays at one tile per thread. Off: the linear shortcut z'(L'w).
  bool full_factor = false;
  std::size_t tile = 256;
  void validate() const;
};

struct MonteCarloResult {
  std::vector<VarEs> estimates;   ///< one per level
  std::vector<double> pnl;        ///< simulated P&L per scenario
  bool repaired = false;          ///< the covariance was replaced by its nearest PSD matrix
  double repair_distance = 0.0;   ///< Frobenius norm of the change
};

/// Linear Monte Carlo VaR/ES of w'r, r ~ (0, cov).
[[nodiscard]] BANKQUANT_EXPORT MonteCarloResult monte_carlo_var_es(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                                                   const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                   std::span<const double> levels,
                                                                   const MonteCarloOptions& options = {});

/// The nearest positive semi-definite matrix in the Frobenius norm (symmetric part, negative
/// eigenvalues clipped to zero).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd nearest_psd(const Eigen::Ref<const Eigen::MatrixXd>& matrix);

}  // namespace bankquant::risk
