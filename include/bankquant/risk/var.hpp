// bankquant/risk/var.hpp — value at risk and expected shortfall.
//
// Sign convention: inputs are P&L or returns (gains positive); VaR and ES are reported as
// positive losses. At level alpha (e.g. 0.99), with L = -x the loss:
//   VaR_alpha = the alpha-quantile of L
//   ES_alpha  = (1 / (1 - alpha)) * integral_alpha^1 VaR_u du, the mean loss beyond VaR (Acerbi
//               and Tasche 2002). For a continuous distribution this is E[L | L >= VaR_alpha]; for
//               a sample it averages the worst (1 - alpha) n losses, the boundary one with its
//               fractional weight. Every method below uses this one definition.
//
// Methods:
//   historical     empirical quantile of the losses (numpy's "linear" definition) and the ES above
//   age-weighted   Boudoukh, Richardson and Whitelaw (1998): observation i days old weighs
//                  lambda^i (1 - lambda) / (1 - lambda^n); quantile and ES of that distribution
//   normal / t     closed forms; t with location, scale and nu > 2 (a unit-variance t when the
//                  scale is derived from a volatility)
//   cornish-fisher the normal quantile corrected for skewness and excess kurtosis (Zangari 1996);
//                  ES by integrating that quantile function over (alpha, 1)
//   monte carlo    see monte_carlo.hpp
// Filtered historical simulation (Barone-Adesi et al. 1999) = historical on filtered_returns().
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "bankquant/export.hpp"

namespace bankquant::risk {

struct VarEs {
  double level = 0.0;
  double var = 0.0;
  double es = 0.0;
};

/// Historical VaR and ES of P&L or returns x at each level in (0, 1).
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> historical_var_es(std::span<const double> x,
                                                                    std::span<const double> levels);

/// Historical VaR and ES of many portfolios at once: pnl is days x portfolios (row-major, one
/// column per portfolio); the result holds, per portfolio, one VarEs per level. Parallel over
/// portfolios; O(days) per portfolio and level by selection, no full sort.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::vector<VarEs>> historical_var_es_many(
    std::span<const double> pnl, std::size_t days, std::size_t portfolios, std::span<const double> levels);

/// Age-weighted historical VaR and ES; x in time order (the last is the most recent).
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> age_weighted_var_es(std::span<const double> x,
                                                                      std::span<const double> levels,
                                                                      double lambda = 0.98);

/// Normal VaR/ES of a position whose P&L has the given mean and standard deviation.
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> normal_var_es(double mean, double sd,
                                                                std::span<const double> levels);

/// Student-t VaR/ES: P&L = mean + scale * T_nu (nu > 2; for a standard deviation sd use
/// scale = sd * sqrt((nu - 2) / nu)).
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> student_t_var_es(double mean, double scale, double nu,
                                                                   std::span<const double> levels);

/// Cornish–Fisher VaR/ES from the first four moments (skewness, excess kurtosis) of the P&L.
[[nodiscard]] BANKQUANT_EXPORT std::vector<VarEs> cornish_fisher_var_es(double mean, double sd, double skewness,
                                                                        double excess_kurtosis,
                                                                        std::span<const double> levels);

/// Filtered historical simulation: x_t * sqrt(next_variance / variance_t) — past shocks rescaled
/// to today's volatility; variance_t is the conditional variance of x_t (EWMA or GARCH).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> filtered_returns(std::span<const double> x,
                                                                    std::span<const double> variance,
                                                                    double next_variance);

/// Checks every level is in (0, 1) and that n observations can support it (at least one
/// observation beyond the quantile); throws InvalidArgument otherwise.
BANKQUANT_EXPORT void check_levels(std::span<const double> levels, std::size_t n_observations);

}  // namespace bankquant::risk
