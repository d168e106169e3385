// bankquant/risk/backtest_runner.hpp — rolling out-of-sample VaR/ES forecasts from many models, and
// every backtest of them in one table (MATLAB's varbacktest and esbacktest, and more).
//
// rolling_forecasts: for each test day t and each model, VaR and ES at every level from the
// `window` returns before t (var_es with the model's options), the realised P&L x_t and the
// forecast's rank u_t = P_t(x_t) (the empirical CDF of the window or of the filtered scenarios,
// the model's own CDF for the parametric methods), which the Du–Escanciano tests use. Models that
// fit a volatility model refit every `refit_every` days and, in between, re-apply the last fit to
// the moving window with its parameters fixed (filter_volatility): the usual practice, and 20x
// less work at refit_every = 20. Days run in parallel in fixed groups of refit_every days, so the
// forecasts are the same on any thread count. Cost: O(test days x models x window) plus one fit
// per group for the volatility models.
//
// run_backtests: for each forecast series (a model at a level) the exceptions, the traffic light
// (zones scaled to n), the binomial test, POF, TUFF, CCI and CC, TBFI and TBF (backtest.hpp), and
// with ES forecasts the ES tests of es_backtest.hpp; series in parallel.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/backtest.hpp"
#include "bankquant/risk/es_backtest.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

struct RollingModel {
  std::string name;
  VarEsOptions var_es;  ///< the method and its parameters (horizon must be 1)

  static constexpr auto fields() {
    return std::tuple{field("name", &RollingModel::name, "the model's name in the tables"),
                      field("var_es", &RollingModel::var_es, "its var_es options")};
  }
};

struct RollingOptions {
  std::size_t window = 500;
  std::optional<std::size_t> test_days;  ///< the last test_days days (default: all after the first window)
  int refit_every = 1;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("window", &RollingOptions::window, "estimation days before each forecast (500: two years)"),
        field("test_days", &RollingOptions::test_days,
              "forecast the last test_days days (default: every day after the first window)"),
        field("refit_every", &RollingOptions::refit_every,
              "volatility-model methods: refit every k days, filtering with fixed parameters in between (1: "
              "every day)")};
  }
};

/// Forecasts of S series (model x level), one row per test day.
struct ForecastTable {
  std::vector<std::string> model;  ///< per series
  std::vector<double> level;       ///< per series
  std::size_t start = 0;           ///< index of the first test day in the returns
  std::vector<double> pnl;         ///< realised P&L of each test day
  RowMatrix var;                   ///< days x series
  RowMatrix es;
  RowMatrix ranks;                 ///< P_t(x_t) of the model behind the series (the same for its levels)

  static constexpr auto fields() {
    return std::tuple{field("model", &ForecastTable::model, "model of each series"),
                      field("level", &ForecastTable::level, "level of each series"),
                      field("start", &ForecastTable::start, "index of the first test day in the returns"),
                      field("pnl", &ForecastTable::pnl, "realised P&L of each test day"),
                      field("var", &ForecastTable::var, "test days x series VaR forecasts"),
                      field("es", &ForecastTable::es, "test days x series ES forecasts"),
                      field("ranks", &ForecastTable::ranks, "test days x series ranks u_t = P_t(x_t)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT ForecastTable rolling_forecasts(std::span<const double> returns,
                                                               std::span<const double> levels,
                                                               const std::vector<RollingModel>& models,
                                                               const RollingOptions& options = {});

struct BacktestOptions {
  bool es_tests = true;
  EsBacktestOptions es = default_es();

  /// 1,000 simulations per series, MATLAB esbacktestbysim's default (a table of many series).
  static EsBacktestOptions default_es() {
    EsBacktestOptions o;
    o.n_simulations = 1000;
    return o;
  }

  static constexpr auto fields() {
    return std::tuple{field("es_tests", &BacktestOptions::es_tests, "run the ES tests where ES forecasts exist"),
                      field("es", &BacktestOptions::es,
                            "options of the ES tests (1,000 simulations per series by default, MATLAB's)")};
  }
};

/// Every test of one forecast series.
struct SeriesBacktest {
  std::string model;
  double level = 0.0;
  std::size_t n = 0, exceptions = 0;
  double expected_exceptions = 0.0;
  TrafficLightResult traffic_light;
  TestResult binomial, pof, tuff, cci, cc, tbfi, tbf;
  std::optional<EsBacktestResult> es;

  static constexpr auto fields() {
    return std::tuple{field("model", &SeriesBacktest::model, "the model"),
                      field("level", &SeriesBacktest::level, "the VaR level"),
                      field("n", &SeriesBacktest::n, "days tested"),
                      field("exceptions", &SeriesBacktest::exceptions, "days with a loss beyond VaR"),
                      field("expected_exceptions", &SeriesBacktest::expected_exceptions, "n (1 - level)"),
                      field("traffic_light", &SeriesBacktest::traffic_light, "Basel zones scaled to n"),
                      field("binomial", &SeriesBacktest::binomial, "exact binomial test of too many exceptions"),
                      field("pof", &SeriesBacktest::pof, "Kupiec's proportion of failures"),
                      field("tuff", &SeriesBacktest::tuff, "time until first failure"),
                      field("cci", &SeriesBacktest::cci, "Christoffersen's independence test"),
                      field("cc", &SeriesBacktest::cc, "Christoffersen's conditional coverage"),
                      field("tbfi", &SeriesBacktest::tbfi, "time between failures, independence"),
                      field("tbf", &SeriesBacktest::tbf, "time between failures"),
                      field("es", &SeriesBacktest::es, "the ES tests (None without ES forecasts)")};
  }
};

struct BacktestSummary {
  std::vector<SeriesBacktest> series;

  static constexpr auto fields() {
    return std::tuple{field("series", &BacktestSummary::series, "the tests of each forecast series")};
  }
};

/// Every test of each series: pnl has one entry per day; var (and es, when not empty) are days x
/// series; ranks (optional, empty for none) days x series; model and level name each series.
[[nodiscard]] BANKQUANT_EXPORT BacktestSummary run_backtests(std::span<const double> pnl,
                                                             const Eigen::Ref<const RowMatrix>& var,
                                                             const Eigen::Ref<const RowMatrix>& es,
                                                             const Eigen::Ref<const RowMatrix>& ranks,
                                                             const std::vector<std::string>& model,
                                                             std::span<const double> level,
                                                             const BacktestOptions& options = {});

}  // namespace bankquant::risk
