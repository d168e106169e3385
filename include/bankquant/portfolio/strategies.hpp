// bankquant/portfolio/strategies.hpp — the strategies the backtest engine (backtest.hpp) runs.
//
// One parameter record, StrategySpec, describes any of them (so a grid of parameter sets is a
// list of records, evaluated in parallel by run_backtest_grid); make_strategy builds it.
//   allocation               every allocation method of this module on a rolling window of
//                            `lookback` rows of simple returns: estimators (covariance.hpp,
//                            expected_returns.hpp, annualised) then the method (`method`)
//   moving_average           trend following: long where the `fast`-row moving average of the price
//                            is above the `slow` one, short below (flat instead when long_only), flat
//                            when they are equal to 1e-12 relative (prices in cents tie exactly)
//   momentum                 time-series momentum (Moskowitz, Ooi and Pedersen 2012): the sign of
//                            the return over the last `lookback` rows
//   cross_sectional_momentum (Jegadeesh and Titman 1993): rank by the return from row t - lookback
//                            to t - skip; long the top `quantile`, and short the bottom one unless
//                            long_only (legs of +-1/2, so gross exposure is 1)
//   mean_reversion           z = (P - MA) / SD over `window` rows: enter long below -entry_z
//                            (short above entry_z unless long_only), exit inside exit_z
//   pairs                    pairs trading (Gatev, Goetzmann and Rouwenhorst 2006; Vidyamurthy
//                            2004): every `formation` rows, the Engle-Granger test
//                            (cointegration.hpp) on the log prices of every pair over the last
//                            `formation` rows; the max_pairs disjoint pairs with the smallest
//                            p-values below max_p_value are traded on the z-score of their spread
//                            log P_i - alpha - beta log P_j: short the spread above entry_z, long
//                            below -entry_z, exit inside exit_z (and beyond stop_z when set);
//                            each pair gets 1 / max_pairs of gross exposure, split 1 : |beta|
// Signal strategies spread weight 1/n per asset (or, with volatility_scaling, in proportion to
// 1/sigma_i over volatility_window rows, gross 1). Moving sums come from prefix sums, O(1) per
// asset and row.
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/backtest.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/expected_returns.hpp"
#include "bankquant/portfolio/hrp.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

enum class StrategyKind { allocation, moving_average, momentum, cross_sectional_momentum, mean_reversion, pairs };
BANKQUANT_ENUM_NAMES(StrategyKind, {allocation, "allocation"}, {moving_average, "moving_average"},
                     {momentum, "momentum"}, {cross_sectional_momentum, "cross_sectional_momentum"},
                     {mean_reversion, "mean_reversion"}, {pairs, "pairs"})

enum class AllocationMethod {
  equal_weight,
  inverse_volatility,
  min_volatility,
  max_sharpe,
  max_quadratic_utility,
  efficient_risk,
  efficient_return,
  max_diversification,
  risk_parity,
  hrp,
  herc,
  min_cvar
};
BANKQUANT_ENUM_NAMES(AllocationMethod, {equal_weight, "equal_weight"}, {inverse_volatility, "inverse_volatility"},
                     {min_volatility, "min_volatility"}, {max_sharpe, "max_sharpe"},
                     {max_quadratic_utility, "max_quadratic_utility"}, {efficient_risk, "efficient_risk"},
                     {efficient_return, "efficient_return"}, {max_diversification, "max_diversification"},
                     {risk_parity, "risk_parity"}, {hrp, "hrp"}, {herc, "herc"}, {min_cvar, "min_cvar"})

struct StrategySpec {
  StrategyKind kind = StrategyKind::allocation;
  std::string name;
  // allocation
  AllocationMethod method = AllocationMethod::min_volatility;
  int lookback = 252;
  CovarianceOptions covariance;
  ExpectedReturnsOptions expected_returns;
  MeanVarianceOptions constraints;
  HierarchicalOptions hierarchical;
  double risk_aversion = 1.0;
  double target = std::numeric_limits<double>::quiet_NaN();
  double risk_free = 0.0;
  double cvar_level = 0.95;
  // trend following
  int fast = 50;
  int slow = 200;
  bool long_only = false;
  bool volatility_scaling = false;
  int volatility_window = 63;
  // cross-sectional momentum
  int skip = 21;
  double quantile = 0.2;
  // mean reversion and pairs
  int window = 20;
  double entry_z = 2.0;
  double exit_z = 0.5;
  double stop_z = 0.0;
  int formation = 252;
  int max_pairs = 5;
  double max_p_value = 0.05;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("kind", &StrategySpec::kind,
              "'allocation', 'moving_average', 'momentum', 'cross_sectional_momentum', 'mean_reversion' or 'pairs'"),
        field("name", &StrategySpec::name, "a label for reports (empty: made from the parameters)"),
        field("method", &StrategySpec::method, "allocation: the method (min_volatility, max_sharpe, hrp, ...)"),
        field("lookback", &StrategySpec::lookback,
              "allocation: estimation window in rows; momentum and cross-sectional momentum: return horizon"),
        field("covariance", &StrategySpec::covariance, "allocation: the covariance estimator"),
        field("expected_returns", &StrategySpec::expected_returns, "allocation: the expected-return estimator"),
        field("constraints", &StrategySpec::constraints, "allocation: mean-variance constraints (bounds, groups, ...)"),
        field("hierarchical", &StrategySpec::hierarchical, "allocation: HRP/HERC clustering choices"),
        field("risk_aversion", &StrategySpec::risk_aversion, "allocation: for max_quadratic_utility"),
        field("target", &StrategySpec::target, "allocation: target volatility (efficient_risk) or return (efficient_return)"),
        field("risk_free", &StrategySpec::risk_free, "allocation: annual rate for max_sharpe"),
        field("cvar_level", &StrategySpec::cvar_level, "allocation: min_cvar's level"),
        field("fast", &StrategySpec::fast, "moving_average: fast window (rows)"),
        field("slow", &StrategySpec::slow, "moving_average: slow window (rows)"),
        field("long_only", &StrategySpec::long_only, "signal strategies: flat instead of short"),
        field("volatility_scaling", &StrategySpec::volatility_scaling,
              "signal strategies: weights in proportion to 1/sigma instead of 1/n"),
        field("volatility_window", &StrategySpec::volatility_window, "rows for sigma in volatility_scaling"),
        field("skip", &StrategySpec::skip, "cross-sectional momentum: most recent rows skipped (21: one month)"),
        field("quantile", &StrategySpec::quantile, "cross-sectional momentum: share of assets in each leg"),
        field("window", &StrategySpec::window, "mean_reversion: rows of the moving mean and deviation"),
        field("entry_z", &StrategySpec::entry_z, "mean_reversion and pairs: |z| to open a position"),
        field("exit_z", &StrategySpec::exit_z, "mean_reversion and pairs: |z| below which to close it"),
        field("stop_z", &StrategySpec::stop_z, "pairs: |z| beyond which to close (0: none)"),
        field("formation", &StrategySpec::formation, "pairs: rows of the formation window (and between re-formations)"),
        field("max_pairs", &StrategySpec::max_pairs, "pairs: most pairs traded at once"),
        field("max_p_value", &StrategySpec::max_p_value, "pairs: largest Engle-Granger p-value accepted")};
  }
};

/// The strategy a spec describes (validated).
[[nodiscard]] BANKQUANT_EXPORT std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec);

/// The pairs the pairs strategy would trade at row t: (i, j, hedge ratio, p-value) by rising p-value.
struct SelectedPair {
  int first = 0;
  int second = 0;
  double hedge_ratio = 0.0;
  double intercept = 0.0;
  double spread_sd = 0.0;
  double p_value = 1.0;

  static constexpr auto fields() {
    return std::tuple{field("first", &SelectedPair::first, "the asset bought when the spread is long"),
                      field("second", &SelectedPair::second, "the hedge asset"),
                      field("hedge_ratio", &SelectedPair::hedge_ratio, "beta of log P_first on log P_second"),
                      field("intercept", &SelectedPair::intercept, "alpha of the regression"),
                      field("spread_sd", &SelectedPair::spread_sd, "standard deviation of the spread"),
                      field("p_value", &SelectedPair::p_value, "Engle-Granger p-value")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT std::vector<SelectedPair> select_pairs(const Eigen::Ref<const RowMatrix>& prices,
                                                                      Eigen::Index t, int formation, int max_pairs,
                                                                      double max_p_value);

/// A strategy from a callable (the Python bindings use it): target(prices, t, current, out).
class BANKQUANT_EXPORT CallbackStrategy final : public Strategy {
 public:
  using Target = std::function<bool(const Eigen::Ref<const RowMatrix>&, Eigen::Index, const Eigen::VectorXd&,
                                    Eigen::VectorXd&)>;
  CallbackStrategy(Target target, Eigen::Index warmup, std::string name)
      : target_(std::move(target)), warmup_(warmup), name_(std::move(name)) {}
  bool target(const Eigen::Ref<const RowMatrix>& prices, Eigen::Index t, const Eigen::VectorXd& current,
              Eigen::VectorXd& out) override {
    return target_(prices, t, current, out);
  }
  [[nodiscard]] Eigen::Index warmup() const override { return warmup_; }
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<CallbackStrategy>(*this); }

 private:
  Target target_;
  Eigen::Index warmup_;
  std::string name_;
};

}  // namespace bankquant::portfolio
