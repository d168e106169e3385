// bankquant/risk/es_backtest.hpp — expected-shortfall backtests.
//
// Inputs per day t: the P&L x_t (gains positive), the forecast VaR_t and ES_t (positive losses)
// at level alpha, tail probability p = 1 - alpha; losses L_t = -x_t, exceptions I_t = [L_t > VaR_t].
//   Acerbi and Székely (2014), "Backtesting expected shortfall", Risk:
//     Z1 = 1 - (1/N) sum_t I_t L_t / ES_t      (N = sum I_t; conditional on exceptions)
//     Z2 = 1 - sum_t I_t L_t / (T p ES_t)      (unconditional)
//     Z3 = 1 - (1/T) sum_t ES^(T)(P_t^-1(U)) / E_V[ES^(T)(P_t^-1(V))]  (on the ranks U_t = P_t(x_t);
//          ES^(T) is the sample ES of T values, the mean of the worst floor(T p); V uniform)
//   Acerbi and Székely (2019), "The minimally biased backtest for ES", Risk; from ES = VaR +
//   E[(L - VaR)^+] / p (Rockafellar and Uryasev 2002):
//     absolute  Z = (1/T) sum_t (ES_t - VaR_t - (L_t - VaR_t)^+ / p)
//     relative  Z = (1/T) sum_t (ES_t - VaR_t - (L_t - VaR_t)^+ / p) / ES_t
//   All five are 0 in expectation under a correct model (Z3 approximately) and negative when the
//   model underestimates the tail; their p values are one-sided, P(Z_sim <= Z), simulated under
//   the forecast distributions with counter-based streams (same seed, same p values, any thread
//   count). Du and Escanciano (2017), "Backtesting expected shortfall: accounting for tail risk",
//   Management Science, on the cumulative violations H_t = (p - u_t)^+ / p, u_t = P_t(x_t):
//     unconditional  U = sqrt(T) (mean H - p/2) / sqrt(p (1/3 - p/4)) ~ N(0, 1), two-sided
//     conditional    C = T sum_{j=1..m} rho_j^2 ~ chi2(m), rho_j the lag-j autocorrelation of H - p/2
//   (MATLAB's esbacktestbyde with its default of one lag).
// The forecast distribution of day t: the user's own ranks u_t when given; otherwise L_t =
// m_t + s_t W, W from a standardised distribution (distributions.hpp), with m_t and s_t matched
// to (VaR_t, ES_t) — MATLAB esbacktestbysim's choice for forecasts that come without a model.
// Cost O(n_simulations x T) draws, parallel over simulations.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <tuple>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/backtest.hpp"
#include "bankquant/risk/distributions.hpp"

namespace bankquant::risk {

struct EsBacktestOptions {
  Innovation dist = Innovation::normal;  ///< the forecast distribution's family
  double nu = 5.0;                       ///< its shape (t, skew_t, ged)
  double skew = 0.0;                     ///< its skew (skew_t)
  int n_simulations = 10'000;
  std::uint64_t seed = 0;
  int lags = 1;                          ///< Du–Escanciano conditional test

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("dist", &EsBacktestOptions::dist,
              "the forecast distribution, matched to each day's VaR and ES: 'normal', 't', 'skew_t' or 'ged'"),
        field("nu", &EsBacktestOptions::nu, "its shape (t, skew_t: > 2; ged: > 0); 5 by default"),
        field("skew", &EsBacktestOptions::skew, "its skew in (-1, 1) (skew_t)"),
        field("n_simulations", &EsBacktestOptions::n_simulations,
              "simulated samples for the p values (MATLAB esbacktestbysim's default 1,000; 10,000 here for two "
              "reliable digits at 5%)"),
        field("seed", &EsBacktestOptions::seed, "random seed of the simulations"),
        field("lags", &EsBacktestOptions::lags, "autocorrelation lags of the conditional Du-Escanciano test "
                                                "(MATLAB's default 1)")};
  }
};

struct EsBacktestResult {
  TestResult z1, z2, z3;
  TestResult minimally_biased_absolute, minimally_biased_relative;
  TestResult du_escanciano_unconditional, du_escanciano_conditional;
  std::size_t n = 0;
  std::size_t n_exceptions = 0;
  double level = 0.0;
  int n_simulations = 0;

  static constexpr auto fields() {
    return std::tuple{
        field("z1", &EsBacktestResult::z1, "Acerbi-Szekely Z1 (conditional on exceptions); simulated p value"),
        field("z2", &EsBacktestResult::z2, "Acerbi-Szekely Z2 (unconditional); simulated p value"),
        field("z3", &EsBacktestResult::z3, "Acerbi-Szekely Z3 (on the ranks); simulated p value"),
        field("minimally_biased_absolute", &EsBacktestResult::minimally_biased_absolute,
              "Acerbi-Szekely (2019) minimally biased test, absolute; simulated p value"),
        field("minimally_biased_relative", &EsBacktestResult::minimally_biased_relative,
              "Acerbi-Szekely (2019) minimally biased test, relative to ES; simulated p value"),
        field("du_escanciano_unconditional", &EsBacktestResult::du_escanciano_unconditional,
              "Du-Escanciano unconditional test, N(0, 1), two-sided"),
        field("du_escanciano_conditional", &EsBacktestResult::du_escanciano_conditional,
              "Du-Escanciano conditional test, chi2(lags)"),
        field("n", &EsBacktestResult::n, "days"),
        field("n_exceptions", &EsBacktestResult::n_exceptions, "days with a loss beyond VaR"),
        field("level", &EsBacktestResult::level, "confidence level of the VaR and ES"),
        field("n_simulations", &EsBacktestResult::n_simulations, "simulated samples behind the p values")};
  }
};

/// Every ES test above. `ranks` (optional, empty for none) are the forecasts' own u_t = P_t(x_t).
[[nodiscard]] BANKQUANT_EXPORT EsBacktestResult es_backtest(std::span<const double> pnl, std::span<const double> var,
                                                            std::span<const double> es, double level,
                                                            const EsBacktestOptions& options = {},
                                                            std::span<const double> ranks = {});

}  // namespace bankquant::risk
