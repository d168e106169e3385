// bankquant/portfolio/naive.hpp — allocations without optimisation, and the one report every
// allocation method returns.
//
//   equal_weight         1/n each (DeMiguel, Garlappi and Uppal 2009: a hard benchmark to beat)
//   inverse_volatility   w_i proportional to 1/sigma_i (naive risk parity)
//   inverse_variance     w_i proportional to 1/sigma_i^2 (HRP's within-cluster weights)
//   evaluate_portfolio   expected return, volatility, Sharpe and risk contributions of given weights
// O(n) for the weights, O(n^2) for the report.
#pragma once

#include <string>

#include <Eigen/Core>

#include "bankquant/export.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

[[nodiscard]] BANKQUANT_EXPORT Eigen::VectorXd equal_weight(Eigen::Index n);
/// cov: n x n with positive variances.
[[nodiscard]] BANKQUANT_EXPORT Eigen::VectorXd inverse_volatility(const Eigen::Ref<const Eigen::MatrixXd>& cov);
[[nodiscard]] BANKQUANT_EXPORT Eigen::VectorXd inverse_variance(const Eigen::Ref<const Eigen::MatrixXd>& cov);

/// The report of weights w: expected return (NaN when mu is empty: no expected returns given),
/// volatility, Sharpe ratio against risk_free (NaN without mu), risk contributions.
[[nodiscard]] BANKQUANT_EXPORT PortfolioResult evaluate_portfolio(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                                                  const Eigen::Ref<const Eigen::VectorXd>& mu,
                                                                  const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                  double risk_free, const std::string& method);

}  // namespace bankquant::portfolio
