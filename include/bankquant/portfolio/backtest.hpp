// bankquant/portfolio/backtest.hpp — one walk-forward engine for allocation and trading strategies.
//
// A strategy maps the price history up to row t to target weights (strategies.hpp, or your own
// Strategy). The engine walks the rows once:
//   1. at row t > start the holdings drift with the asset returns P_t / P_{t-1} - 1 and cash earns
//      cash_rate (negative cash, i.e. leverage, pays it);
//   2. on a rebalancing row (every `rebalance_every` rows from the start, or the given
//      `rebalance_rows`: a calendar schedule made by the caller) the strategy gives a new target,
//      using prices up to and including row t only; the trade happens at row t's close and the
//      new holdings earn row t+1's returns (no look-ahead);
//   3. risk controls turn the target into what is traded: per-position limit |w_i| <= max_position,
//      gross exposure sum|w| <= max_gross (scaled down), volatility targeting (scale by
//      target_volatility / the realised volatility of the target over volatility_window rows,
//      capped at max_leverage), a VaR limit (the one-day historical VaR at var_level of the target
//      over var_window rows, computed with the risk module's historical_var_es — a dependency the
//      domain asks for — scaled down to var_limit), and a stop-loss per position (exit when the
//      price has moved stop_loss against it since entry; the position stays closed until the next
//      rebalancing);
//   4. with drift_band > 0 the holdings are also traded back to the target whenever some weight
//      drifts more than the band away from it (threshold rebalancing), checked every row;
//   5. trading costs: proportional_cost + spread per unit of value traded, plus square-root market
//      impact impact * sigma_i * sqrt(|trade_i| / adv_i) per unit traded (Almgren et al. 2005;
//      sigma_i the daily volatility over the last 21 rows, trade and adv in currency with
//      initial_capital), all taken from the portfolio's value.
// The result holds the equity curve, net and gross returns, weights, turnover, costs, cash and
// exposure per row, and the performance statistics of the returns after the start
// (performance.hpp). Cost O(T n) plus the strategy's work.
//
// Threads: run_backtest is sequential; run_backtest_grid runs many strategies on the same prices
// in parallel (one clone per task), each result identical to a sequential run.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/progress.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/performance.hpp"

namespace bankquant::portfolio {

/// Target weights from the history. Implementations read only rows <= t of `prices`.
class BANKQUANT_EXPORT Strategy {
 public:
  virtual ~Strategy() = default;
  /// Called once per run before the first target (for running sums and state resets).
  virtual void prepare(const Eigen::Ref<const RowMatrix>& prices) { (void)prices; }
  /// Writes the target weights at row t into `out` (n values, preset to `current`); returns false
  /// to keep the current holdings.
  virtual bool target(const Eigen::Ref<const RowMatrix>& prices, Eigen::Index t, const Eigen::VectorXd& current,
                      Eigen::VectorXd& out) = 0;
  /// The first row at which the strategy can give weights (its lookback).
  [[nodiscard]] virtual Eigen::Index warmup() const = 0;
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual std::unique_ptr<Strategy> clone() const = 0;
};

struct BacktestOptions {
  int rebalance_every = 21;
  std::vector<int> rebalance_rows;
  double drift_band = 0.0;
  int start = 0;
  double proportional_cost = 0.0;
  double spread = 0.0;
  double impact = 0.0;
  Eigen::VectorXd adv;
  double initial_capital = 1e6;
  double cash_rate = 0.0;
  double max_position = std::numeric_limits<double>::infinity();
  double max_gross = std::numeric_limits<double>::infinity();
  double stop_loss = 0.0;
  double target_volatility = 0.0;
  int volatility_window = 63;
  double max_leverage = 1.0;
  double var_limit = 0.0;
  double var_level = 0.99;
  int var_window = 250;
  double periods_per_year = 252.0;
  bool keep_paths = true;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("rebalance_every", &BacktestOptions::rebalance_every,
              "rows between strategy calls (21: about monthly on daily data; 1: every row)"),
        field("rebalance_rows", &BacktestOptions::rebalance_rows,
              "explicit rebalancing rows (a calendar schedule); overrides rebalance_every"),
        field("drift_band", &BacktestOptions::drift_band,
              "also trade back to the target when a weight drifts more than this (0: only on schedule)"),
        field("start", &BacktestOptions::start, "first row that may trade (at least the strategy's warm-up)"),
        field("proportional_cost", &BacktestOptions::proportional_cost,
              "commission per unit of value traded (0.001 = 10 basis points)"),
        field("spread", &BacktestOptions::spread, "half bid-ask spread per unit of value traded"),
        field("impact", &BacktestOptions::impact,
              "square-root impact coefficient (cost per unit = impact x daily vol x sqrt(trade / adv)); needs adv"),
        field("adv", &BacktestOptions::adv, "average daily traded value per asset, in currency (for impact)"),
        field("initial_capital", &BacktestOptions::initial_capital, "portfolio value at the start, in currency"),
        field("cash_rate", &BacktestOptions::cash_rate, "annual rate earned by cash (paid on borrowing)"),
        field("max_position", &BacktestOptions::max_position, "risk control: |w_i| at most this"),
        field("max_gross", &BacktestOptions::max_gross, "risk control: sum |w| at most this"),
        field("stop_loss", &BacktestOptions::stop_loss,
              "risk control: close a position that moved this fraction against its entry price (0: none)"),
        field("target_volatility", &BacktestOptions::target_volatility,
              "risk control: annual volatility to scale the target to (0: none)"),
        field("volatility_window", &BacktestOptions::volatility_window, "rows of realised volatility for targeting"),
        field("max_leverage", &BacktestOptions::max_leverage,
              "volatility targeting: largest scale (1: only scale down)"),
        field("var_limit", &BacktestOptions::var_limit,
              "risk control: largest one-day VaR as a fraction of value (0: none), by the risk module's historical VaR"),
        field("var_level", &BacktestOptions::var_level, "VaR confidence level (0.99, Basel)"),
        field("var_window", &BacktestOptions::var_window, "rows of history for the VaR (250, Basel)"),
        field("periods_per_year", &BacktestOptions::periods_per_year, "rows per year (252 trading days)"),
        field("keep_paths", &BacktestOptions::keep_paths, "keep the weights per row (off saves memory in grids)")};
  }
};

struct BacktestResult {
  std::string strategy;
  Eigen::VectorXd equity;
  Eigen::VectorXd returns;
  Eigen::VectorXd gross_returns;
  Eigen::VectorXd turnover;
  Eigen::VectorXd costs;
  Eigen::VectorXd cash;
  Eigen::VectorXd gross_exposure;
  RowMatrix weights;
  std::vector<int> trades;
  int start = 0;
  int stops = 0;
  int volatility_scalings = 0;
  int var_scalings = 0;
  int failed_rebalances = 0;
  std::string first_failure;
  PerformanceStats stats;
  Status status;

  static constexpr auto fields() {
    return std::tuple{
        field("strategy", &BacktestResult::strategy, "the strategy's name"),
        field("equity", &BacktestResult::equity, "portfolio value per row, 1 at the start"),
        field("returns", &BacktestResult::returns, "net return per row (0 before the start)"),
        field("gross_returns", &BacktestResult::gross_returns, "return before trading costs per row"),
        field("turnover", &BacktestResult::turnover, "one-way turnover sum |trade| per row"),
        field("costs", &BacktestResult::costs, "trading costs per row, as a fraction of value"),
        field("cash", &BacktestResult::cash, "cash weight per row after trading (negative: borrowing)"),
        field("gross_exposure", &BacktestResult::gross_exposure, "sum |w| per row after trading"),
        field("weights", &BacktestResult::weights, "weights per row after trading (T x n; empty without keep_paths)"),
        field("trades", &BacktestResult::trades, "rows with a trade"),
        field("start", &BacktestResult::start, "first row that could trade"),
        field("stops", &BacktestResult::stops, "positions closed by the stop-loss"),
        field("volatility_scalings", &BacktestResult::volatility_scalings, "targets scaled by volatility targeting"),
        field("var_scalings", &BacktestResult::var_scalings, "targets scaled down by the VaR limit"),
        field("failed_rebalances", &BacktestResult::failed_rebalances,
              "rebalancings where the strategy failed (holdings kept); see first_failure"),
        field("first_failure", &BacktestResult::first_failure, "the first failure's message"),
        field("stats", &BacktestResult::stats, "performance statistics after the start"),
        field("status", &BacktestResult::status, "how the run ended")};
  }
};

/// Runs `strategy` over prices (T x n, positive and finite; rows in time order).
[[nodiscard]] BANKQUANT_EXPORT BacktestResult run_backtest(const Eigen::Ref<const RowMatrix>& prices,
                                                           Strategy& strategy, const BacktestOptions& options = {},
                                                           const PerformanceOptions& stats = {});

/// Runs each strategy over the same prices, in parallel (each on its own clone).
[[nodiscard]] BANKQUANT_EXPORT std::vector<BacktestResult> run_backtest_grid(
    const Eigen::Ref<const RowMatrix>& prices, const std::vector<std::unique_ptr<Strategy>>& strategies,
    const BacktestOptions& options = {}, const PerformanceOptions& stats = {}, const ProgressCallback& progress = {});

/// Checks prices: T x n with T >= 2, every value finite and positive (errors name row and column).
BANKQUANT_EXPORT void check_prices(const Eigen::Ref<const RowMatrix>& prices);

}  // namespace bankquant::portfolio
