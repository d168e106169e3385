// bankquant/risk/monte_carlo.hpp — Monte Carlo VaR and ES of a linear portfolio.
//
// Risk-factor returns are multivariate normal N(0, C), or multivariate Student-t with nu degrees
// of freedom and the same covariance C (normal draws scaled by sqrt((nu - 2) / chi2_nu), a
// t copula with t marginals). The portfolio P&L is w'r. Scenarios are drawn in fixed chunks from
// the core's Philox streams (chunk c uses stream c), so a seed gives the same P&L vector on any
// number of threads. Each scenario needs only z'(L'w) with L the Cholesky factor of C, so the
// factor draws are never stored: memory is one double per scenario.
//
// Sharding (many processes or machines): monte_carlo_pnl_block draws scenarios [first, first + count)
// of a run, the very numbers monte_carlo_var_es draws for them; blocks that start on multiples of
// monte_carlo_stream_block(options) draw nothing twice. Their loss tails (tail.hpp) merge into the
// run's VaR and ES exactly, so any number of workers gives the one-machine figures to the bit.
//
// A covariance that is not positive semi-definite (e.g. estimated from a short or pairwise
// sample) is rejected, or, with psd_repair = nearest, replaced by its nearest positive
// semi-definite matrix in the Frobenius norm: the eigen-decomposition with negative eigenvalues
// set to zero (Higham 1988).
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

enum class ScenarioDistribution { normal, student_t };
BANKQUANT_ENUM_NAMES(ScenarioDistribution, {normal, "normal"}, {student_t, "t"})
enum class PsdRepair { error, nearest };
BANKQUANT_ENUM_NAMES(PsdRepair, {error, "error"}, {nearest, "nearest"})

struct MonteCarloOptions {
  std::size_t n_scenarios = 1'000'000;
  ScenarioDistribution dist = ScenarioDistribution::normal;
  double nu = 5.0;
  std::uint64_t seed = 0;
  bool antithetic = false;
  PsdRepair psd_repair = PsdRepair::error;
  bool full_factor = false;
  std::size_t tile = 256;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("n_scenarios", &MonteCarloOptions::n_scenarios, "scenarios, at least 100 (1,000,000 by default)"),
        field("dist", &MonteCarloOptions::dist, "factor returns: 'normal' or 't' (multivariate t with nu)"),
        field("nu", &MonteCarloOptions::nu, "Student-t degrees of freedom (> 2)"),
        field("seed", &MonteCarloOptions::seed, "random seed (chunk c draws from stream c)"),
        field("antithetic", &MonteCarloOptions::antithetic,
              "pair each draw z with -z (halves the variance of odd moments)"),
        field("psd_repair", &MonteCarloOptions::psd_repair,
              "a covariance that is not positive semi-definite: 'error', or 'nearest' (Higham 1988)"),
        field("full_factor", &MonteCarloOptions::full_factor,
              "materialise the factor scenarios tile by tile (normals, one product with the covariance root, "
              "P&L), as a non-linear book needs; off: the linear shortcut z'(L'w)"),
        field("tile", &MonteCarloOptions::tile, "scenarios per tile with full_factor (1 to 65536)")};
  }
};

struct MonteCarloResult {
  VarEsTable estimates;
  std::vector<double> pnl;
  bool repaired = false;
  double repair_distance = 0.0;

  static constexpr auto fields() {
    return std::tuple{field("estimates", &MonteCarloResult::estimates, "VaR and ES by level"),
                      field("pnl", &MonteCarloResult::pnl, "simulated P&L per scenario"),
                      field("repaired", &MonteCarloResult::repaired,
                            "the covariance was replaced by its nearest PSD matrix"),
                      field("repair_distance", &MonteCarloResult::repair_distance,
                            "Frobenius norm of that change (0 when not repaired)")};
  }
};

/// Scenarios [first, first + pnl.size()) of a Monte Carlo run.
struct MonteCarloBlock {
  std::size_t first = 0;
  std::vector<double> pnl;
  bool repaired = false;
  double repair_distance = 0.0;

  static constexpr auto fields() {
    return std::tuple{field("first", &MonteCarloBlock::first, "index of the block's first scenario in the run"),
                      field("pnl", &MonteCarloBlock::pnl, "simulated P&L of the block's scenarios"),
                      field("repaired", &MonteCarloBlock::repaired,
                            "the covariance was replaced by its nearest PSD matrix"),
                      field("repair_distance", &MonteCarloBlock::repair_distance,
                            "Frobenius norm of that change (0 when not repaired)")};
  }
};

/// Linear Monte Carlo VaR/ES of w'r, r ~ (0, cov).
[[nodiscard]] BANKQUANT_EXPORT MonteCarloResult monte_carlo_var_es(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                                                   const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                   std::span<const double> levels,
                                                                   const MonteCarloOptions& options = {});

/// Scenarios per random stream (4096, or `tile` with full_factor): scenario i is drawn from stream
/// i / monte_carlo_stream_block(options), whatever the thread count or the block asked for.
[[nodiscard]] BANKQUANT_EXPORT std::size_t monte_carlo_stream_block(const MonteCarloOptions& options);

/// The P&L of scenarios [first, first + count) of the run monte_carlo_var_es(weights, cov, levels,
/// options) simulates (options.n_scenarios scenarios in all), equal to its pnl there to the bit.
/// O(count d) plus at most two streams' chunks drawn and partly discarded when the block does not
/// start and end on chunk boundaries.
[[nodiscard]] BANKQUANT_EXPORT MonteCarloBlock monte_carlo_pnl_block(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                                                     const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                     const MonteCarloOptions& options,
                                                                     std::size_t first, std::size_t count);

/// The nearest positive semi-definite matrix in the Frobenius norm (symmetric part, negative
/// eigenvalues clipped to zero).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd nearest_psd(const Eigen::Ref<const Eigen::MatrixXd>& matrix);

}  // namespace bankquant::risk
