// bankquant/risk/attribution.hpp — VaR and ES of a portfolio and their Euler allocation to positions.
//
// The portfolio P&L in scenario s is R_s . w (R: scenarios x positions of factor returns, w the
// positions in currency). For a risk measure homogeneous of degree one the component of position
// i is w_i d(risk)/d(w_i), and the components add up to the total (Tasche 1999).
//   normal      (parametric: m the sample mean and C the sample covariance of R with n - 1, as
//               var_es(method="normal") uses them, so both give the same portfolio VaR and ES):
//               marginal VaR_i = -m_i + z (C w)_i / sigma_p,
//               marginal ES_i = -m_i + phi(z) / (1 - alpha) (C w)_i / sigma_p
//   historical  component ES_i = the tail mean of position i's loss over the scenarios that make
//               up the portfolio ES (the same fractional weights); component VaR_i = position
//               i's loss in the scenario(s) at the VaR quantile, interpolated as the portfolio
//               VaR is (numpy's linear rule between two order statistics). Both add up to the
//               total to rounding. The marginal figures are the per-unit losses in those same
//               scenarios, so they exist for a zero position too. VaR components rest on one or
//               two scenarios and are noisy, a known property of simulation VaR.
// incremental VaR/ES_i = risk(w) - risk(w without position i) (not additive).
// Cost: O(n k) for the components, O(n k^2) for the incremental figures (parallel over positions).
#pragma once

#include <span>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk {

enum class AttributionMethod { historical, normal };
BANKQUANT_ENUM_NAMES(AttributionMethod, {historical, "historical"}, {normal, "normal"})

struct AttributionResult {
  double level = 0.0;
  AttributionMethod method = AttributionMethod::historical;
  double var = 0.0, es = 0.0;  ///< the portfolio's
  std::vector<double> position, marginal_var, component_var, component_var_share, incremental_var;
  std::vector<double> marginal_es, component_es, component_es_share, incremental_es;

  static constexpr auto fields() {
    return std::tuple{
        field("level", &AttributionResult::level, "confidence level"),
        field("method", &AttributionResult::method, "'historical' or 'normal'"),
        field("var", &AttributionResult::var, "portfolio VaR"),
        field("es", &AttributionResult::es, "portfolio ES"),
        field("position", &AttributionResult::position, "the positions"),
        field("marginal_var", &AttributionResult::marginal_var, "d VaR / d position"),
        field("component_var", &AttributionResult::component_var, "position x marginal VaR; sums to VaR"),
        field("component_var_share", &AttributionResult::component_var_share, "component VaR / VaR"),
        field("incremental_var", &AttributionResult::incremental_var, "VaR minus the VaR without the position"),
        field("marginal_es", &AttributionResult::marginal_es, "d ES / d position"),
        field("component_es", &AttributionResult::component_es, "position x marginal ES; sums to ES"),
        field("component_es_share", &AttributionResult::component_es_share, "component ES / ES"),
        field("incremental_es", &AttributionResult::incremental_es, "ES minus the ES without the position")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT AttributionResult attribution(std::span<const double> positions,
                                                             const Eigen::Ref<const RowMatrix>& factor_returns,
                                                             double level,
                                                             AttributionMethod method = AttributionMethod::historical);

}  // namespace bankquant::risk
