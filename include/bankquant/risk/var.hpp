// bankquant/risk/var.hpp — value at risk and expected shortfall.
//
// Sign convention: inputs are P&L or returns (gains positive); VaR and ES are reported as
// positive losses. At level alpha (e.g. 0.99), with L = -x the loss:
//   VaR_alpha = the alpha-quantile of L
//   ES_alpha  = (1 / (1 - alpha)) * integral_alpha^1 VaR_u du, the mean loss beyond VaR (Acerbi
//               and Tasche 2002). For a continuous distribution this is E[L | L >= VaR_alpha]; for
//               a sample it averages the worst (1 - alpha) n losses, the boundary one with its
//               fractional weight. Every method below uses this one definition.
// Levels are confidence levels in (0.5, 1): 0.99, not 0.01. A level at or below 0.5 is refused
// rather than read as a tail probability (VaR at 5% "confidence" is a gain, and passing 0.05 for
// 0.95 is the usual slip).
//
// Methods (var_es, VarEsOptions::method):
//   historical     empirical quantile of the losses (numpy's "linear" definition) and the ES above
//   age_weighted   Boudoukh, Richardson and Whitelaw (1998): observation i days old weighs
//                  lambda^i (1 - lambda) / (1 - lambda^n), lambda = 0.98 by default (theirs is
//                  0.97 or 0.99); quantile and ES of that distribution
//   normal / t     closed forms from the sample mean and standard deviation; t with nu > 2
//                  degrees of freedom on the unit-variance scale, nu from the sample excess
//                  kurtosis k (the kurtosis of t_nu is 6 / (nu - 4): nu = 4 + 6 / k, 100 when
//                  k <= 0.06) unless given
//   cornish_fisher the normal quantile corrected for skewness and excess kurtosis (Zangari 1996);
//                  ES by integrating that quantile function over (alpha, 1)
//   filtered_ewma  filtered historical simulation (Barone-Adesi, Giannopoulos and Vosper 1999)
//   filtered_garch with the EWMA (lambda = 0.94, RiskMetrics) or a GARCH(1,1) variance: the past
//   fhs            standardised residuals z_t = (x_t - m_t) / sigma_t, rescaled to tomorrow's
//                  volatility, m_{T+1} + sigma_{T+1} z_t, are the scenarios (m = 0 for EWMA);
//                  fhs with any model of volatility.hpp (`volatility`, default GARCH(1,1))
//   garch          conditional (parametric): the fitted model's next-day distribution,
//                  m_{T+1} + sigma_{T+1} z with z its innovation (normal, t, skewed t or GED)
//   ewma_normal    conditional normal with the RiskMetrics EWMA volatility and zero mean
//   monte carlo    see monte_carlo.hpp
// horizon > 1 scales one-day figures by sqrt(horizon) (exact for i.i.d. normal P&L with zero
// mean; see multi_day for simulated horizons). O(n log n) (a sort) per call; historical_var_es_many
// O(days log k) per portfolio for the k worst losses, in parallel over portfolios.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/distributions.hpp"
#include "bankquant/risk/volatility.hpp"

namespace bankquant::risk {

/// VaR and ES at one or several levels (one entry per level, in the order asked).
struct VarEsTable {
  std::vector<double> level;
  std::vector<double> var;
  std::vector<double> es;

  static constexpr auto fields() {
    return std::tuple{field("level", &VarEsTable::level, "confidence levels, in the order asked"),
                      field("var", &VarEsTable::var, "value at risk at each level (a positive loss)"),
                      field("es", &VarEsTable::es, "expected shortfall at each level (the mean loss beyond VaR)")};
  }
};

/// Historical VaR and ES of P&L or returns x at each level.
[[nodiscard]] BANKQUANT_EXPORT VarEsTable historical_var_es(std::span<const double> x,
                                                             std::span<const double> levels);

/// Historical VaR/ES of many portfolios: rows are portfolios, one column per level.
struct VarEsManyResult {
  std::vector<double> level;
  RowMatrix var;
  RowMatrix es;

  static constexpr auto fields() {
    return std::tuple{field("level", &VarEsManyResult::level, "confidence levels"),
                      field("var", &VarEsManyResult::var, "portfolios x levels VaR"),
                      field("es", &VarEsManyResult::es, "portfolios x levels ES")};
  }
};

/// Historical VaR and ES of many portfolios at once: pnl is days x portfolios (one column per
/// portfolio). Parallel over portfolios; O(days) per portfolio and level, no full sort.
[[nodiscard]] BANKQUANT_EXPORT VarEsManyResult historical_var_es_many(const Eigen::Ref<const RowMatrix>& pnl,
                                                                      std::span<const double> levels);

/// Age-weighted historical VaR and ES; x in time order (the last is the most recent).
[[nodiscard]] BANKQUANT_EXPORT VarEsTable age_weighted_var_es(std::span<const double> x,
                                                               std::span<const double> levels, double lambda = 0.98);

/// Normal VaR/ES of a position whose P&L has the given mean and standard deviation.
[[nodiscard]] BANKQUANT_EXPORT VarEsTable normal_var_es(double mean, double sd, std::span<const double> levels);

/// Student-t VaR/ES: P&L = mean + scale * T_nu (nu > 2; for a standard deviation sd use
/// scale = sd * sqrt((nu - 2) / nu)).
[[nodiscard]] BANKQUANT_EXPORT VarEsTable student_t_var_es(double mean, double scale, double nu,
                                                            std::span<const double> levels);

/// Cornish–Fisher VaR/ES from the first four moments (skewness, excess kurtosis) of the P&L.
[[nodiscard]] BANKQUANT_EXPORT VarEsTable cornish_fisher_var_es(double mean, double sd, double skewness,
                                                                 double excess_kurtosis,
                                                                 std::span<const double> levels);

/// VaR/ES of P&L = mean + sd * z with z from a standardised distribution.
[[nodiscard]] BANKQUANT_EXPORT VarEsTable location_scale_var_es(double mean, double sd,
                                                                 const StandardizedDistribution& z,
                                                                 std::span<const double> levels);

/// Filtered historical simulation scenarios: mu + sqrt(next_variance) (x_t - mu) / sqrt(variance_t),
/// past shocks rescaled to tomorrow's volatility.
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> filtered_scenarios(std::span<const double> x,
                                                                      std::span<const double> variance,
                                                                      double next_variance, double mu = 0.0);

enum class VarMethod {
  historical, age_weighted, normal, student_t, cornish_fisher, filtered_ewma, filtered_garch, fhs, garch, ewma_normal
};
BANKQUANT_ENUM_NAMES(VarMethod, {historical, "historical"}, {age_weighted, "age_weighted"}, {normal, "normal"},
                     {student_t, "t"}, {cornish_fisher, "cornish_fisher"}, {filtered_ewma, "filtered_ewma"},
                     {filtered_garch, "filtered_garch"}, {fhs, "fhs"}, {garch, "garch"}, {ewma_normal, "ewma_normal"})

/// True for the methods that fit a volatility model of volatility.hpp.
[[nodiscard]] constexpr bool uses_volatility_model(VarMethod m) {
  return m == VarMethod::filtered_garch || m == VarMethod::fhs || m == VarMethod::garch;
}

enum class ConditionalMethod { parametric, fhs };
BANKQUANT_ENUM_NAMES(ConditionalMethod, {parametric, "parametric"}, {fhs, "fhs"})

/// Next-day VaR/ES of a fitted volatility model: parametric, m_{T+1} + sigma_{T+1} z with z the
/// model's innovation distribution; or fhs, the scenarios m_{T+1} + sigma_{T+1} z_t over the
/// standardised residuals.
[[nodiscard]] BANKQUANT_EXPORT VarEsTable conditional_var_es(const VolatilityResult& model,
                                                             std::span<const double> levels,
                                                             ConditionalMethod method = ConditionalMethod::parametric);

struct VarEsOptions {
  VarMethod method = VarMethod::historical;
  std::optional<double> lambda;  ///< age_weighted (default 0.98) and filtered_ewma (default 0.94) only
  std::optional<double> nu;      ///< t only: degrees of freedom (default: from the sample kurtosis)
  int horizon = 1;
  std::optional<VolatilityOptions> volatility;  ///< fhs, filtered_garch, garch: the model (default GARCH(1,1))

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("method", &VarEsOptions::method,
              "'historical', 'age_weighted', 'normal', 't', 'cornish_fisher', 'filtered_ewma', 'filtered_garch', "
              "'fhs', 'garch' or 'ewma_normal'"),
        field("lambda_", &VarEsOptions::lambda,
              "decay: age_weighted (default 0.98, Boudoukh et al. 1998), filtered_ewma and ewma_normal (default "
              "0.94, RiskMetrics); an error for other methods"),
        field("nu", &VarEsOptions::nu,
              "t: degrees of freedom > 2 (default: 4 + 6 / sample excess kurtosis); an error for other methods"),
        field("horizon", &VarEsOptions::horizon, "days; one-day figures times sqrt(horizon)"),
        field("volatility", &VarEsOptions::volatility,
              "fhs, filtered_garch and garch: the volatility model fitted to the data (default GARCH(1,1) with a "
              "constant mean and normal innovations); an error for other methods")};
  }
};

/// What var_es estimated on the way, for the record (None where the method has no such quantity).
struct VarEsResult {
  VarEsTable estimates;
  VarMethod method = VarMethod::historical;
  int horizon = 1;
  std::size_t observations = 0;
  double mean = 0.0, sd = 0.0, skewness = 0.0, excess_kurtosis = 0.0;  ///< sample moments of x
  std::optional<double> nu;                   ///< t: degrees of freedom used
  std::optional<double> lambda;               ///< age_weighted / filtered_ewma: decay used
  std::optional<double> volatility_forecast;  ///< filtered methods: tomorrow's volatility
  std::optional<VolatilityResult> volatility;  ///< fhs, filtered_garch, garch: the fitted model

  static constexpr auto fields() {
    return std::tuple{
        field("estimates", &VarEsResult::estimates, "VaR and ES by level (one day, times sqrt(horizon))"),
        field("method", &VarEsResult::method, "the method used"),
        field("horizon", &VarEsResult::horizon, "days"),
        field("observations", &VarEsResult::observations, "observations used"),
        field("mean", &VarEsResult::mean, "sample mean of x"),
        field("sd", &VarEsResult::sd, "sample standard deviation of x (n - 1)"),
        field("skewness", &VarEsResult::skewness, "sample skewness of x (moment estimator)"),
        field("excess_kurtosis", &VarEsResult::excess_kurtosis, "sample excess kurtosis of x (moment estimator)"),
        field("nu", &VarEsResult::nu, "t: the degrees of freedom used"),
        field("lambda_", &VarEsResult::lambda, "age_weighted and filtered_ewma: the decay used"),
        field("volatility_forecast", &VarEsResult::volatility_forecast,
              "filtered and conditional methods: tomorrow's volatility sigma_{T+1}"),
        field("volatility", &VarEsResult::volatility, "fhs, filtered_garch and garch: the fitted model")};
  }
};

/// VaR and ES of P&L or returns x (in time order) by any method above.
[[nodiscard]] BANKQUANT_EXPORT VarEsResult var_es(std::span<const double> x, std::span<const double> levels,
                                                    const VarEsOptions& options = {});

/// Checks every level is in (0.5, 1) and that n observations can support it (at least one
/// observation beyond the quantile; n = 0 skips that part); throws InvalidArgument naming 'level'.
BANKQUANT_EXPORT void check_levels(std::span<const double> levels, std::size_t n_observations);

}  // namespace bankquant::risk
