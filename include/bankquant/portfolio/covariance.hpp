// bankquant/portfolio/covariance.hpp — covariance estimators for allocation and risk.
//
// Every estimator takes a returns table (T x n: rows are periods, columns assets; NaN marks a
// missing value) and an explicit missing-data policy, stated again in the result:
//   complete   drop every row with a missing value (the default: one sample, so every shrinkage
//              formula holds as published and the matrix is positive semi-definite)
//   pairwise   each pair (i, j) from the rows where both are observed (pandas' DataFrame.cov);
//              sample and EWMA only, and the result may be indefinite (min_eigenvalue says so)
//   fill_mean  a missing value becomes its column's mean (no bias in the mean; variances shrink)
//   fill_zero  a missing value becomes 0 (PyPortfolioOpt's behaviour: it shrinks variances and
//              covariances toward 0, and with them the Ledoit-Wolf intensities)
//
// Methods (all O(T n^2) for the cross products, plus O(n^3) where an eigen-decomposition is
// needed):
//   sample        unbiased 1/(T-1) sample covariance (numpy's and pandas' default)
//   ewma          exponentially weighted: weight lambda^(T-1-t) on row t, lambda = 0.5^(1/half_life),
//                 normalised to sum to one, centred at the weighted mean (pandas ewm(adjust=True)
//                 without its bias correction). With warm_up > 0 it is instead the RiskMetrics
//                 recursion S_t = lambda S_{t-1} + (1 - lambda) r_t r_t' (uncentred), started
//                 from the mean outer product of the first warm_up rows (J.P. Morgan/Reuters,
//                 RiskMetrics Technical Document, 1996) — the one implementation behind
//                 bankquant::risk::ewma_covariance.
//   ledoit_wolf   (1 - d) S + d F with the optimal intensity d of Ledoit and Wolf, S the 1/T
//                 sample covariance, F one of three targets:
//                   identity              mu I, mu = tr(S)/n (Ledoit and Wolf 2004, "A
//                                         well-conditioned estimator ..."; scikit-learn's
//                                         LedoitWolf, to the rounding)
//                   constant_correlation  the average correlation on every pair (Ledoit and Wolf
//                                         2004, "Honey, I shrunk the sample covariance matrix")
//                   single_factor         the market model with the equally weighted market
//                                         (Ledoit and Wolf 2003, J. Empirical Finance)
//   oas           Oracle Approximating Shrinkage toward mu I (Chen, Wiesel, Eldar and Hero 2010;
//                 scikit-learn's formula, to the rounding)
//   factor        statistical factor model Sigma = B F B' + D from the k leading principal
//                 components of the sample covariance: B their eigenvectors, F = diag of their
//                 eigenvalues, D the residual variances (floored at 1e-12 of the mean variance);
//                 k chosen by Bai and Ng's (2002) IC_p2 criterion (up to 10) unless given. The
//                 optimiser exploits the factor form (see qp.hpp).
// Annualisation: every covariance is multiplied by periods_per_year (252 by default, the
// trading days of a year and PyPortfolioOpt's `frequency`; 1 leaves it per period).
//
// Nearest positive semi-definite repair for a user-given matrix (nearest_psd): Higham's (2002)
// alternating projections with Dykstra's correction on the correlation matrix (unit diagonal
// kept, so every variance is unchanged), then an eigenvalue floor; the result reports the
// eigenvalues before and after and the distance moved. O(n^3) per iteration.
//
// Thread safety: pure functions.
#pragma once

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

enum class MissingPolicy { complete, pairwise, fill_mean, fill_zero };
BANKQUANT_ENUM_NAMES(MissingPolicy, {complete, "complete"}, {pairwise, "pairwise"}, {fill_mean, "fill_mean"},
                     {fill_zero, "fill_zero"})

enum class CovarianceMethod { sample, ewma, ledoit_wolf, oas, factor };
BANKQUANT_ENUM_NAMES(CovarianceMethod, {sample, "sample"}, {ewma, "ewma"}, {ledoit_wolf, "ledoit_wolf"}, {oas, "oas"},
                     {factor, "factor"})

enum class ShrinkageTarget { identity, constant_correlation, single_factor };
BANKQUANT_ENUM_NAMES(ShrinkageTarget, {identity, "identity"}, {constant_correlation, "constant_correlation"},
                     {single_factor, "single_factor"})

struct CovarianceOptions {
  CovarianceMethod method = CovarianceMethod::sample;
  MissingPolicy missing = MissingPolicy::complete;
  ShrinkageTarget target = ShrinkageTarget::identity;
  double half_life = 62.4;
  int warm_up = 0;
  int n_factors = 0;
  double periods_per_year = 252.0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &CovarianceOptions::method, "'sample', 'ewma', 'ledoit_wolf', 'oas' or 'factor'"),
        field("missing", &CovarianceOptions::missing,
              "missing values: 'complete' (drop rows), 'pairwise' (sample/ewma only), 'fill_mean' or 'fill_zero'"),
        field("target", &CovarianceOptions::target,
              "ledoit_wolf target: 'identity' (scikit-learn's LedoitWolf), 'constant_correlation' or "
              "'single_factor'"),
        field("half_life", &CovarianceOptions::half_life,
              "ewma: half-life in periods (62.4 = PyPortfolioOpt's span of 180 days)"),
        field("warm_up", &CovarianceOptions::warm_up,
              "ewma: 0 for normalised weights; k > 0 for the RiskMetrics recursion started from the first k rows"),
        field("n_factors", &CovarianceOptions::n_factors,
              "factor: number of principal components; 0 chooses by Bai and Ng's IC_p2 (at most 10)"),
        field("periods_per_year", &CovarianceOptions::periods_per_year,
              "annualisation factor (252 trading days; 1 keeps the per-period scale)")};
  }
};

struct CovarianceResult {
  Eigen::MatrixXd covariance;
  CovarianceMethod method = CovarianceMethod::sample;
  MissingPolicy missing = MissingPolicy::complete;
  int n_observations = 0;
  int rows_dropped = 0;
  int min_pair_observations = 0;
  double shrinkage = 0.0;
  std::string target;
  double min_eigenvalue = 0.0;
  Eigen::MatrixXd loadings;
  Eigen::MatrixXd factor_covariance;
  Eigen::VectorXd specific_variance;
  double explained_variance = 0.0;

  static constexpr auto fields() {
    return std::tuple{
        field("covariance", &CovarianceResult::covariance, "the n x n estimate, annualised"),
        field("method", &CovarianceResult::method, "the estimator"),
        field("missing", &CovarianceResult::missing, "the missing-data policy that was applied"),
        field("n_observations", &CovarianceResult::n_observations, "rows used (all rows for pairwise)"),
        field("rows_dropped", &CovarianceResult::rows_dropped, "rows dropped for a missing value (complete)"),
        field("min_pair_observations", &CovarianceResult::min_pair_observations,
              "pairwise: the fewest rows any pair had"),
        field("shrinkage", &CovarianceResult::shrinkage, "shrinkage intensity in [0, 1] (ledoit_wolf, oas)"),
        field("target", &CovarianceResult::target, "the shrinkage target, in words"),
        field("min_eigenvalue", &CovarianceResult::min_eigenvalue,
              "smallest eigenvalue of the estimate (negative: indefinite, possible with pairwise)"),
        field("loadings", &CovarianceResult::loadings, "factor: B (n x k)"),
        field("factor_covariance", &CovarianceResult::factor_covariance, "factor: F (k x k)"),
        field("specific_variance", &CovarianceResult::specific_variance, "factor: the diagonal of D (n)"),
        field("explained_variance", &CovarianceResult::explained_variance,
              "factor: share of total variance the k factors explain")};
  }
};

/// The covariance of the columns of `returns` (T x n, NaN for missing values).
[[nodiscard]] BANKQUANT_EXPORT CovarianceResult estimate_covariance(const Eigen::Ref<const RowMatrix>& returns,
                                                                    const CovarianceOptions& options = {});

/// The EWMA covariance with decay `lambda` (in (0, 1)) of complete data, per period: normalised
/// weights (warm_up = 0) or the RiskMetrics recursion from the first warm_up rows; centred at the
/// weighted mean when `demean`. The kernel of estimate_covariance's ewma method and of
/// risk::ewma_covariance.
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd ewma_covariance(const Eigen::Ref<const RowMatrix>& returns,
                                                               double lambda, int warm_up, bool demean);

/// Decay factor of a half-life in periods: 0.5^(1 / half_life).
[[nodiscard]] BANKQUANT_EXPORT double ewma_lambda(double half_life);

struct NearestPsdOptions {
  double eigenvalue_floor = 1e-10;
  double tolerance = 1e-12;
  int max_iterations = 200;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("eigenvalue_floor", &NearestPsdOptions::eigenvalue_floor,
              "smallest eigenvalue kept for the correlation matrix (so the result is positive definite)"),
        field("tolerance", &NearestPsdOptions::tolerance,
              "stop when an iteration moves the correlation matrix by less than this (Frobenius, relative)"),
        field("max_iterations", &NearestPsdOptions::max_iterations, "alternating projections (Higham 2002)")};
  }
};

struct NearestPsdResult {
  Eigen::MatrixXd matrix;
  Eigen::VectorXd eigenvalues_before;
  Eigen::VectorXd eigenvalues_after;
  int negative_eigenvalues = 0;
  double distance = 0.0;
  bool repaired = false;
  Status status;

  static constexpr auto fields() {
    return std::tuple{
        field("matrix", &NearestPsdResult::matrix, "the repaired matrix (the input when it was already PSD)"),
        field("eigenvalues_before", &NearestPsdResult::eigenvalues_before, "eigenvalues of the input, ascending"),
        field("eigenvalues_after", &NearestPsdResult::eigenvalues_after, "eigenvalues of the result, ascending"),
        field("negative_eigenvalues", &NearestPsdResult::negative_eigenvalues,
              "eigenvalues of the input below the floor"),
        field("distance", &NearestPsdResult::distance, "Frobenius norm of the change"),
        field("repaired", &NearestPsdResult::repaired, "whether anything was changed"),
        field("status", &NearestPsdResult::status, "how the alternating projections ended")};
  }
};

/// The nearest covariance matrix whose correlation matrix has eigenvalues >= floor, with the same diagonal
/// (a symmetric, finite, square input with a positive diagonal).
[[nodiscard]] BANKQUANT_EXPORT NearestPsdResult nearest_psd(const Eigen::Ref<const Eigen::MatrixXd>& matrix,
                                                            const NearestPsdOptions& options = {});

/// Correlation matrix of a covariance matrix (positive diagonal).
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd correlation_from_covariance(
    const Eigen::Ref<const Eigen::MatrixXd>& covariance);

/// Checks a covariance matrix supplied by a user: square n x n, finite, symmetric (to 1e-10
/// relative), non-negative diagonal, positive semi-definite (smallest eigenvalue >= -1e-10 of the
/// largest). Throws InvalidArgument naming `name` (and suggesting nearest_psd for an indefinite one).
BANKQUANT_EXPORT void check_covariance(const char* name, const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                       Eigen::Index n = -1);

}  // namespace bankquant::portfolio
