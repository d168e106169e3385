// bankquant/portfolio/mean_variance.hpp — Markowitz mean-variance allocation with the constraints
// desks use, solved exactly by the QP solver (qp.hpp).
//
//   MeanVariance mv(mu, cov, options);     // options: bounds, budget, groups, leverage, costs, ...
//   mv.min_volatility(); mv.max_sharpe(rf); mv.max_quadratic_utility(delta);
//   mv.efficient_return(r); mv.efficient_risk(vol); mv.frontier();
//
// Objectives (w the weights, S the covariance, mu the expected returns, gamma the L2 weight):
//   min_volatility         min w'Sw + gamma |w|^2
//   max_quadratic_utility  max mu_net(w) - delta/2 w'Sw - gamma |w|^2
//   efficient_return(r)    min w'Sw + gamma |w|^2  s.t. mu_net(w) >= r
//   efficient_risk(s)      max mu_net(w)           s.t. w'Sw <= s^2 (exactly, on the frontier path;
//                          with gamma > 0 by a root search on the risk multiplier)
//   max_sharpe(rf)         max (mu_net(w) - rf) / sqrt(w'Sw), exactly through the homogenised
//                          problem (Cornuejols and Tutuncu, Optimization Methods in Finance, 8.2):
//                          w = y / k, min y'Sy s.t. (mu - rf)'y = 1 and every constraint scaled by
//                          k >= 0; an error names the best attainable excess return when none is
//                          positive
//   max_diversification()  max w'sigma / sqrt(w'Sw) (Choueifaty and Coignard 2008), homogenised too
//   frontier()             the whole efficient frontier traced exactly by the parametric active-set
//                          method (Markowitz's critical line generalised to linear constraints;
//                          Best 1996): between breakpoints the weights are linear in the risk
//                          tolerance, so every point is exact, not one of a sweep of solves
//                          (across a degenerate vertex where zero-length pivots would cycle, e.g.
//                          a riskless asset at t = 0, one QP solve at t + 1e-9 (1 + t) steps past it)
// mu_net(w) = mu'w - c'|w - w0| is the expected return net of proportional transaction costs c
// from the current holdings w0 (costs do not change min_volatility, which ignores returns). With
// a benchmark b, risk is the tracking error: (w - b) replaces w in the risk terms, and max_sharpe
// maximises the information ratio mu'(w - b) / TE.
//
// Constraints: per-asset bounds (PyPortfolioOpt's default (0, 1)), budget sum(w) = 1 (NaN for
// none), groups lower <= sum of members <= upper, gross exposure sum|w| <= L (long-short
// leverage), turnover sum|w - w0| <= T, cardinality (at most K holdings) and a minimum holding
// (|w_i| >= m when held). |.| terms split into non-negative parts; cardinality and minimum
// holdings by best-first branch and bound over the warm-started QP (the relaxation bounds every
// node; limits end it with the best portfolio found and the gap, as a status).
//
// Every result reports the weights, expected return (net of costs), volatility, Sharpe ratio,
// risk contributions w_i (Sw)_i / vol (they sum to the volatility), tracking error, turnover,
// costs, the binding constraints with their shadow prices, and the solver summary.
// A factor-form covariance (covariance.hpp) is kept in factor form when no constraint needs split
// variables. Thread safety: const methods may run concurrently.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/qp.hpp"

namespace bankquant::portfolio {

/// A set of assets whose total weight must lie in [lower, upper] (a sector, a region, an asset class).
struct AssetGroup {
  std::string name;
  std::vector<int> members;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();

  static constexpr auto fields() {
    return std::tuple{field("name", &AssetGroup::name, "the group's name (used in messages)"),
                      field("members", &AssetGroup::members, "indices of the assets in the group"),
                      field("lower", &AssetGroup::lower, "lowest total weight (-inf for none)"),
                      field("upper", &AssetGroup::upper, "highest total weight (inf for none)")};
  }
};

struct MeanVarianceOptions {
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  double budget = 1.0;
  std::vector<AssetGroup> groups;
  double max_gross_exposure = std::numeric_limits<double>::infinity();
  double l2_gamma = 0.0;
  Eigen::VectorXd current_weights;
  Eigen::VectorXd transaction_costs;
  double max_turnover = std::numeric_limits<double>::infinity();
  Eigen::VectorXd benchmark;
  int max_assets = 0;
  double min_weight = 0.0;
  double risk_free = 0.0;
  std::vector<std::string> asset_names;
  int max_nodes = 20000;
  double time_limit = 30.0;
  QpOptions solver;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("lower", &MeanVarianceOptions::lower, "lowest weight per asset (empty: 0, long only)"),
        field("upper", &MeanVarianceOptions::upper, "highest weight per asset (empty: 1)"),
        field("budget", &MeanVarianceOptions::budget, "sum of the weights (1 fully invested, 0 market neutral, NaN none)"),
        field("groups", &MeanVarianceOptions::groups, "group (sector) constraints"),
        field("max_gross_exposure", &MeanVarianceOptions::max_gross_exposure,
              "sum of |w| at most this (long-short leverage; inf for none)"),
        field("l2_gamma", &MeanVarianceOptions::l2_gamma,
              "L2 regularisation: gamma |w|^2 added to the risk (PyPortfolioOpt's L2_reg)"),
        field("current_weights", &MeanVarianceOptions::current_weights,
              "holdings before rebalancing, for costs, turnover and the report (empty: none)"),
        field("transaction_costs", &MeanVarianceOptions::transaction_costs,
              "proportional cost per unit traded, per asset (empty: none); subtracted from the expected return"),
        field("max_turnover", &MeanVarianceOptions::max_turnover, "sum of |w - current| at most this (inf for none)"),
        field("benchmark", &MeanVarianceOptions::benchmark,
              "benchmark weights: risk becomes tracking error (empty: none)"),
        field("max_assets", &MeanVarianceOptions::max_assets, "cardinality: at most this many holdings (0 for no limit)"),
        field("min_weight", &MeanVarianceOptions::min_weight, "minimum holding: |w_i| >= this when held (0 for none)"),
        field("risk_free", &MeanVarianceOptions::risk_free, "risk-free rate for the reported Sharpe ratios"),
        field("asset_names", &MeanVarianceOptions::asset_names, "names used in messages and reports (optional)"),
        field("max_nodes", &MeanVarianceOptions::max_nodes, "branch and bound: node limit"),
        field("time_limit", &MeanVarianceOptions::time_limit, "branch and bound: seconds"),
        field("solver", &MeanVarianceOptions::solver, "the QP solver's options")};
  }
};

/// A constraint that binds at the solution, with its shadow price (d objective / d bound).
struct BindingConstraint {
  std::string name;
  double multiplier = 0.0;

  static constexpr auto fields() {
    return std::tuple{field("name", &BindingConstraint::name, "the constraint, in words"),
                      field("multiplier", &BindingConstraint::multiplier,
                            "shadow price: derivative of the solver's objective with respect to the bound")};
  }
};

struct PortfolioResult {
  Eigen::VectorXd weights;
  double expected_return = 0.0;
  double volatility = 0.0;
  double sharpe = 0.0;
  Eigen::VectorXd risk_contributions;
  double tracking_error = 0.0;
  double turnover = 0.0;
  double transaction_cost = 0.0;
  double diversification_ratio = 0.0;
  std::vector<BindingConstraint> binding;
  std::string method;
  QpMethod solver = QpMethod::active_set;
  int iterations = 0;
  int nodes = 0;
  double gap = 0.0;
  double primal_residual = 0.0;
  double dual_residual = 0.0;
  Status status;

  static constexpr auto fields() {
    return std::tuple{
        field("weights", &PortfolioResult::weights, "portfolio weights"),
        field("expected_return", &PortfolioResult::expected_return, "expected return, net of transaction costs"),
        field("volatility", &PortfolioResult::volatility, "sqrt(w'Sw)"),
        field("sharpe", &PortfolioResult::sharpe, "(expected_return - risk_free) / volatility"),
        field("risk_contributions", &PortfolioResult::risk_contributions,
              "w_i (Sw)_i / volatility; they sum to the volatility"),
        field("tracking_error", &PortfolioResult::tracking_error, "sqrt((w-b)'S(w-b)) against the benchmark (0 if none)"),
        field("turnover", &PortfolioResult::turnover, "sum |w - current_weights| (0 if none)"),
        field("transaction_cost", &PortfolioResult::transaction_cost, "c'|w - current_weights|"),
        field("diversification_ratio", &PortfolioResult::diversification_ratio,
              "w'sigma / volatility (Choueifaty and Coignard 2008)"),
        field("binding", &PortfolioResult::binding, "constraints that bind at the solution"),
        field("method", &PortfolioResult::method, "the allocation method"),
        field("solver", &PortfolioResult::solver, "the QP method that ran"),
        field("iterations", &PortfolioResult::iterations, "solver iterations (all nodes together)"),
        field("nodes", &PortfolioResult::nodes, "branch-and-bound nodes (0 without cardinality)"),
        field("gap", &PortfolioResult::gap, "branch and bound: relative gap to the best bound (0 when proven)"),
        field("primal_residual", &PortfolioResult::primal_residual, "largest constraint violation"),
        field("dual_residual", &PortfolioResult::dual_residual, "KKT stationarity residual"),
        field("status", &PortfolioResult::status, "how the optimisation ended")};
  }
};

/// One breakpoint of the exact frontier: the risk tolerance t at which the working set changes.
struct FrontierBreakpoint {
  double t = 0.0;
  Eigen::VectorXd weights;
  double expected_return = 0.0;
  double volatility = 0.0;
  std::string event;

  static constexpr auto fields() {
    return std::tuple{field("t", &FrontierBreakpoint::t, "risk tolerance (min w'Sw - t mu'w)"),
                      field("weights", &FrontierBreakpoint::weights, "weights at the breakpoint"),
                      field("expected_return", &FrontierBreakpoint::expected_return, "expected return (net)"),
                      field("volatility", &FrontierBreakpoint::volatility, "volatility"),
                      field("event", &FrontierBreakpoint::event, "what changes here, in words")};
  }
};

/// The exact efficient frontier: weights are linear in t between consecutive breakpoints.
struct FrontierResult {
  std::vector<FrontierBreakpoint> breakpoints;
  bool unbounded = false;
  Status status;

  /// The frontier portfolio with expected return r (in [first, last breakpoint return]).
  [[nodiscard]] BANKQUANT_EXPORT Eigen::VectorXd weights_at_return(double r) const;
  /// n portfolios with returns evenly spaced from the minimum-volatility to the maximum return.
  [[nodiscard]] BANKQUANT_EXPORT std::vector<Eigen::VectorXd> points(int n) const;

  static constexpr auto fields() {
    return std::tuple{field("breakpoints", &FrontierResult::breakpoints, "the corner portfolios, by increasing t"),
                      field("unbounded", &FrontierResult::unbounded,
                            "the return grows without bound (no upper bounds): the path stops at t_max"),
                      field("status", &FrontierResult::status, "how the tracing ended")};
  }
};

namespace detail {
struct Model;
struct MeanVarianceState;
}

class BANKQUANT_EXPORT MeanVariance {
 public:
  /// mu (n), cov (n x n, symmetric positive semi-definite; checked once here).
  MeanVariance(Eigen::VectorXd expected_returns, Eigen::MatrixXd covariance, MeanVarianceOptions options = {});
  /// The covariance in factor form B F B' + diag(D).
  MeanVariance(Eigen::VectorXd expected_returns, FactorHessian covariance, MeanVarianceOptions options = {});
  ~MeanVariance();
  MeanVariance(const MeanVariance&);             ///< shares the immutable state (cheap)
  MeanVariance& operator=(const MeanVariance&);

  [[nodiscard]] PortfolioResult min_volatility() const;
  [[nodiscard]] PortfolioResult max_sharpe(double risk_free) const;
  [[nodiscard]] PortfolioResult max_quadratic_utility(double risk_aversion) const;
  [[nodiscard]] PortfolioResult efficient_return(double target_return) const;
  [[nodiscard]] PortfolioResult efficient_risk(double target_volatility) const;
  /// Maximum diversification (Choueifaty and Coignard 2008): max w'sigma / sqrt(w'Sw), the same
  /// homogenised problem as max_sharpe with the volatilities in place of excess returns.
  [[nodiscard]] PortfolioResult max_diversification() const;
  [[nodiscard]] FrontierResult frontier(double t_max = 0.0) const;
  /// The largest expected return (net of costs) any feasible portfolio attains (an LP).
  [[nodiscard]] double max_return() const;
  /// The report for given weights (expected return, volatility, contributions, ...).
  [[nodiscard]] PortfolioResult evaluate(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                         const std::string& method = "given") const;

  [[nodiscard]] Eigen::Index size() const;
  [[nodiscard]] const MeanVarianceOptions& options() const;
  [[nodiscard]] const Eigen::VectorXd& expected_returns() const;

 private:
  [[nodiscard]] PortfolioResult max_ratio(const Eigen::VectorXd& numerator_x, double numerator0,
                                          const std::string& method) const;
  // Inputs, options and the model built from them, immutable after construction and shared by
  // copies (the model points into the state, which never moves).
  std::shared_ptr<const detail::MeanVarianceState> state_;
};

}  // namespace bankquant::portfolio
