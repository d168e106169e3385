// bankquant._core.risk: volatility, VaR/ES, attribution, Monte Carlo, backtests (pricing in
// risk_pricing.cpp). Conversions only: every Options and Result is bound from its C++ field
// table, every function converts its arguments, releases the GIL and calls C++.
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/risk.hpp"

namespace bankquant::python {

void init_risk_pricing(py::module_& m);

namespace {

namespace risk = bankquant::risk;

using IntArray = py::array_t<int, py::array::c_style | py::array::forcecast>;

std::span<const int> view_int_1d(const IntArray& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

void bind_records(py::module_& m) {
  bind_result<risk::VarEsTable>(m, "VarEsTable", "VaR and ES by level (bankquant/risk/var.hpp).");
  bind_result<risk::VarEsManyResult>(m, "VarEsManyResult", "Historical VaR and ES of many portfolios.");
  bind_options<risk::VolatilityOptions>(m, "VolatilityOptions",
                                        "A volatility model and its fit (bankquant/risk/volatility.hpp).");
  bind_result<risk::VolatilityResult>(m, "VolatilityResult", "A fitted (or filtered) volatility model.")
      .def("forecast_variance", &risk::VolatilityResult::forecast_variance, py::arg("horizon"))
      .def("parameter", &risk::VolatilityResult::parameter, py::arg("name"))
      .def("unconditional_variance", &risk::VolatilityResult::unconditional_variance);
  bind_options<risk::PathOptions>(m, "PathOptions", "Options of simulate_paths.");
  bind_result<risk::PathResult>(m, "PathResult", "Simulated paths of a volatility model.");
  bind_options<risk::VarEsOptions>(m, "VarEsOptions", "Options of var_es (bankquant/risk/var.hpp).");
  bind_result<risk::VarEsResult>(m, "VarEsResult", "VaR and ES by one method, with what it estimated.");
  bind_result<risk::TestResult>(m, "TestResult", "A backtest: statistic and p value (bankquant/risk/backtest.hpp).");
  bind_result<risk::ChristoffersenResult>(m, "ChristoffersenResult",
                                          "Christoffersen's independence (CCI) and conditional coverage (CC) tests.")
      .def_property_readonly("statistic", &risk::ChristoffersenResult::statistic, "the CC statistic")
      .def_property_readonly("p_value", &risk::ChristoffersenResult::p_value, "the CC p value");
  bind_result<risk::TimeBetweenFailuresResult>(m, "TimeBetweenFailuresResult",
                                               "Haas's time-between-failures tests (TBFI and TBF).");
  bind_result<risk::TrafficLightResult>(m, "TrafficLightResult", "The Basel traffic light, zones scaled to n.");
  bind_options<risk::EsBacktestOptions>(m, "EsBacktestOptions", "Options of the ES backtests (bankquant/risk/es_backtest.hpp).");
  bind_result<risk::EsBacktestResult>(m, "EsBacktestResult", "Expected-shortfall backtests.");
  bind_options<risk::BootstrapOptions>(m, "BootstrapOptions", "Options of bootstrap_var_es.");
  bind_result<risk::BootstrapResult>(m, "BootstrapResult", "Bootstrap intervals of historical VaR and ES.");
  bind_result<risk::AttributionResult>(m, "AttributionResult", "Euler allocation of VaR and ES to positions.");
  bind_options<risk::MonteCarloOptions>(m, "MonteCarloOptions", "Options of monte_carlo_var_es.");
  bind_result<risk::MonteCarloResult>(m, "MonteCarloResult", "Monte Carlo VaR and ES of a linear portfolio.");
  bind_result<risk::MonteCarloBlock>(m, "MonteCarloBlock", "Scenarios [first, first + len(pnl)) of a Monte Carlo run.");
  bind_result<risk::LossTail>(m, "LossTail",
                              "The largest losses of a sample and its size: mergeable (bankquant/risk/tail.hpp).");
  bind_result<risk::DeltaGammaForm>(m, "DeltaGammaForm", "The diagonalised quadratic form of a delta-gamma book.");
  bind_options<risk::DeltaGammaOptions>(m, "DeltaGammaOptions", "Options of delta_gamma_var_es.");
  bind_result<risk::DeltaGammaResult>(m, "DeltaGammaResult", "Delta-gamma VaR and ES.");
  bind_options<risk::RevaluationOptions>(m, "RevaluationOptions", "Options of full_revaluation_var_es.");
  bind_result<risk::RevaluationResult>(m, "RevaluationResult", "Full-revaluation Monte Carlo VaR and ES of a book.");
  bind_options<risk::RollingModel>(m, "RollingModel", "A model of the rolling backtest runner.");
  bind_options<risk::RollingOptions>(m, "RollingOptions", "Options of rolling_forecasts.");
  bind_result<risk::ForecastTable>(m, "ForecastTable", "Rolling VaR/ES forecasts of many series.");
  bind_options<risk::BacktestOptions>(m, "BacktestOptions", "Options of run_backtests.");
  bind_result<risk::SeriesBacktest>(m, "SeriesBacktest", "Every backtest of one forecast series.");
  bind_result<risk::BacktestSummary>(m, "BacktestSummary", "The backtests of many forecast series.");
  bind_result<risk::WorstWindowsResult>(m, "WorstWindowsResult", "The worst non-overlapping windows of a P&L series.");
  bind_result<risk::ReverseStressResult>(m, "ReverseStressResult", "The most plausible shock with a given loss.");
}

}  // namespace

void init_risk(py::module_& m) {
  bind_records(m);
  init_risk_pricing(m);

  m.def("ewma_variance",
        [](const DoubleArray& r, double lambda) {
          const auto x = view_1d(r, "returns");
          return to_array(released([&] { return risk::ewma_variance(x, lambda); }));
        },
        py::arg("returns"), py::arg("lambda_") = 0.94);
  m.def("ewma_covariance",
        [](const Eigen::Ref<const RowMatrix>& r, double lambda) { return released([&] { return risk::ewma_covariance(r, lambda); }); },
        py::arg("returns"), py::arg("lambda_") = 0.94);
  m.def("fit_volatility",
        [](const DoubleArray& r, const risk::VolatilityOptions& o) {
          const auto x = view_1d(r, "returns");
          return released([&] { return risk::fit_volatility(x, o); });
        },
        py::arg("returns"), py::arg("options"));
  m.def("volatility_log_likelihood",
        [](const DoubleArray& r, const risk::VolatilityOptions& o, const DoubleArray& params) {
          return risk::volatility_log_likelihood(view_1d(r, "returns"), o, view_1d(params, "params"));
        },
        py::arg("returns"), py::arg("options"), py::arg("params"));
  m.def("volatility_parameter_names", &risk::volatility_parameter_names, py::arg("options"));
  m.def("filter_volatility",
        [](const risk::VolatilityResult& model, const DoubleArray& r) {
          const auto x = view_1d(r, "returns");
          return released([&] { return risk::filter_volatility(model, x); });
        },
        py::arg("model"), py::arg("returns"));
  m.def("simulate_paths",
        [](const risk::VolatilityResult& model, const risk::PathOptions& o) {
          return released([&] { return risk::simulate_paths(model, o); });
        },
        py::arg("model"), py::arg("options"));
  m.def("conditional_var_es",
        [](const risk::VolatilityResult& model, const DoubleArray& levels, py::handle method) {
          const auto ls = view_1d(levels, "level");
          return risk::conditional_var_es(model, ls, from_python<risk::ConditionalMethod>(method, "method"));
        },
        py::arg("model"), py::arg("levels"), py::arg("method"));

  m.def("var_es",
        [](const DoubleArray& x, const DoubleArray& levels, const risk::VarEsOptions& o) {
          const auto xs = view_1d(x, "x"), ls = view_1d(levels, "level");
          return released([&] { return risk::var_es(xs, ls, o); });
        },
        py::arg("x"), py::arg("levels"), py::arg("options"));
  m.def("historical_var_es",
        [](const DoubleArray& x, const DoubleArray& levels) {
          const auto xs = view_1d(x, "x"), ls = view_1d(levels, "level");
          return released([&] { return risk::historical_var_es(xs, ls); });
        },
        py::arg("x"), py::arg("levels"));
  m.def("historical_var_es_many",
        [](const Eigen::Ref<const RowMatrix>& pnl, const DoubleArray& levels) {
          const auto ls = view_1d(levels, "level");
          return released([&] { return risk::historical_var_es_many(pnl, ls); });
        },
        py::arg("pnl"), py::arg("levels"));
  m.def("age_weighted_var_es",
        [](const DoubleArray& x, const DoubleArray& levels, double lambda) {
          return risk::age_weighted_var_es(view_1d(x, "x"), view_1d(levels, "level"), lambda);
        },
        py::arg("x"), py::arg("levels"), py::arg("lambda_"));
  m.def("normal_var_es",
        [](double mean, double sd, const DoubleArray& levels) {
          return risk::normal_var_es(mean, sd, view_1d(levels, "level"));
        },
        py::arg("mean"), py::arg("sd"), py::arg("levels"));
  m.def("student_t_var_es",
        [](double mean, double scale, double nu, const DoubleArray& levels) {
          return risk::student_t_var_es(mean, scale, nu, view_1d(levels, "level"));
        },
        py::arg("mean"), py::arg("scale"), py::arg("nu"), py::arg("levels"));
  m.def("cornish_fisher_var_es",
        [](double mean, double sd, double skew, double kurt, const DoubleArray& levels) {
          return risk::cornish_fisher_var_es(mean, sd, skew, kurt, view_1d(levels, "level"));
        },
        py::arg("mean"), py::arg("sd"), py::arg("skewness"), py::arg("excess_kurtosis"), py::arg("levels"));
  m.def("filtered_scenarios",
        [](const DoubleArray& x, const DoubleArray& variance, double next_variance, double mu) {
          return to_array(risk::filtered_scenarios(view_1d(x, "x"), view_1d(variance, "variance"), next_variance, mu));
        },
        py::arg("x"), py::arg("variance"), py::arg("next_variance"), py::arg("mu") = 0.0);
  m.def("bootstrap_var_es",
        [](const DoubleArray& x, double level, const risk::BootstrapOptions& o) {
          const auto xs = view_1d(x, "x");
          return released([&] { return risk::bootstrap_var_es(xs, level, o); });
        },
        py::arg("x"), py::arg("level"), py::arg("options"));
  m.def("bootstrap_sums",
        [](const DoubleArray& x, int horizon, std::size_t n_paths, std::uint64_t seed) {
          const auto xs = view_1d(x, "returns");
          return to_array(released([&] { return risk::bootstrap_sums(xs, horizon, n_paths, seed); }));
        },
        py::arg("returns"), py::arg("horizon"), py::arg("n_paths"), py::arg("seed"));
  m.def("attribution",
        [](const DoubleArray& positions, const Eigen::Ref<const RowMatrix>& factor_returns, double level,
           py::handle method) {
          const auto w = view_1d(positions, "positions");
          const auto how = from_python<risk::AttributionMethod>(method, "method");
          return released([&] { return risk::attribution(w, factor_returns, level, how); });
        },
        py::arg("positions"), py::arg("factor_returns"), py::arg("level"), py::arg("method"));

  m.def("monte_carlo_var_es",
        [](const Eigen::Ref<const Eigen::VectorXd>& weights, const Eigen::Ref<const Eigen::MatrixXd>& cov,
           const DoubleArray& levels, const risk::MonteCarloOptions& o) {
          const auto ls = view_1d(levels, "level");
          return released([&] { return risk::monte_carlo_var_es(weights, cov, ls, o); });
        },
        py::arg("weights"), py::arg("cov"), py::arg("levels"), py::arg("options"));
  m.def("monte_carlo_stream_block", &risk::monte_carlo_stream_block, py::arg("options"));
  m.def("monte_carlo_pnl_block",
        [](const Eigen::Ref<const Eigen::VectorXd>& weights, const Eigen::Ref<const Eigen::MatrixXd>& cov,
           const risk::MonteCarloOptions& o, std::size_t first, std::size_t count) {
          return released([&] { return risk::monte_carlo_pnl_block(weights, cov, o, first, count); });
        },
        py::arg("weights"), py::arg("cov"), py::arg("options"), py::arg("first"), py::arg("count"));
  m.def("tail_size",
        [](std::size_t n, const DoubleArray& levels) { return risk::tail_size(n, view_1d(levels, "level")); },
        py::arg("n"), py::arg("levels"));
  m.def("loss_tail",
        [](const DoubleArray& pnl, std::size_t keep) {
          const auto x = view_1d(pnl, "pnl");
          return released([&] { return risk::loss_tail(x, keep); });
        },
        py::arg("pnl"), py::arg("keep"));
  m.def("merge_tails",
        [](const std::vector<risk::LossTail>& tails, std::size_t keep) {
          return released([&] { return risk::merge_tails(tails, keep); });
        },
        py::arg("tails"), py::arg("keep"));
  m.def("tail_var_es",
        [](const risk::LossTail& tail, const DoubleArray& levels) {
          return risk::tail_var_es(tail, view_1d(levels, "level"));
        },
        py::arg("tail"), py::arg("levels"));
  m.def("nearest_psd", &risk::nearest_psd, py::arg("matrix"));
  m.def("delta_gamma_form", &risk::delta_gamma_form, py::arg("delta"), py::arg("gamma"), py::arg("cov"));
  m.def("delta_gamma_var_es",
        [](const Eigen::Ref<const Eigen::VectorXd>& delta, const Eigen::Ref<const Eigen::MatrixXd>& gamma,
           const Eigen::Ref<const Eigen::MatrixXd>& cov, const DoubleArray& levels, const risk::DeltaGammaOptions& o) {
          const auto ls = view_1d(levels, "level");
          return released([&] { return risk::delta_gamma_var_es(delta, gamma, cov, ls, o); });
        },
        py::arg("delta"), py::arg("gamma"), py::arg("cov"), py::arg("levels"), py::arg("options"));

  m.def("rolling_forecasts",
        [](const DoubleArray& returns, const DoubleArray& levels, py::handle models, const risk::RollingOptions& o) {
          const auto x = view_1d(returns, "returns"), ls = view_1d(levels, "level");
          const auto specs = from_python<std::vector<risk::RollingModel>>(models, "models");
          return released([&] { return risk::rolling_forecasts(x, ls, specs, o); });
        },
        py::arg("returns"), py::arg("levels"), py::arg("models"), py::arg("options"));
  m.def("run_backtests",
        [](const DoubleArray& pnl, const Eigen::Ref<const RowMatrix>& var, const Eigen::Ref<const RowMatrix>& es,
           const Eigen::Ref<const RowMatrix>& ranks, const std::vector<std::string>& model, const DoubleArray& level,
           const risk::BacktestOptions& o) {
          const auto p = view_1d(pnl, "pnl"), ls = view_1d(level, "level");
          return released([&] { return risk::run_backtests(p, var, es, ranks, model, ls, o); });
        },
        py::arg("pnl"), py::arg("var"), py::arg("es"), py::arg("ranks"), py::arg("model"), py::arg("level"),
        py::arg("options"));
  m.def("worst_windows",
        [](const DoubleArray& pnl, std::size_t window, std::size_t n) {
          return risk::worst_windows(view_1d(pnl, "factor_returns"), window, n);
        },
        py::arg("daily_pnl"), py::arg("window"), py::arg("n"));
  m.def("worst_windows_held",
        [](const Eigen::Ref<const RowMatrix>& returns, const DoubleArray& positions, std::size_t window, std::size_t n) {
          return risk::worst_windows(returns, view_1d(positions, "positions"), window, n);
        },
        py::arg("returns"), py::arg("positions"), py::arg("window"), py::arg("n"));
  m.def("compound_moves", &risk::compound_moves, py::arg("returns"));
  m.def("reverse_stress",
        [](const DoubleArray& positions, const Eigen::Ref<const Eigen::MatrixXd>& cov, double loss) {
          return risk::reverse_stress(view_1d(positions, "positions"), cov, loss);
        },
        py::arg("positions"), py::arg("cov"), py::arg("loss"));

  m.def("exceptions",
        [](const DoubleArray& pnl, const DoubleArray& var) {
          return to_int_array(risk::exceptions(view_1d(pnl, "pnl"), view_1d(var, "var")));
        },
        py::arg("pnl"), py::arg("var"));
  m.def("kupiec", py::overload_cast<std::size_t, std::size_t, double>(&risk::kupiec), py::arg("exceptions"),
        py::arg("n"), py::arg("level"));
  m.def("kupiec_series", [](const IntArray& e, double level) { return risk::kupiec(view_int_1d(e, "exceptions"), level); },
        py::arg("exception_series"), py::arg("level"));
  m.def("binomial_test", py::overload_cast<std::size_t, std::size_t, double>(&risk::binomial_test),
        py::arg("exceptions"), py::arg("n"), py::arg("level"));
  m.def("binomial_test_series",
        [](const IntArray& e, double level) { return risk::binomial_test(view_int_1d(e, "exceptions"), level); },
        py::arg("exception_series"), py::arg("level"));
  m.def("tuff_series", [](const IntArray& e, double level) { return risk::tuff(view_int_1d(e, "exception_series"), level); },
        py::arg("exception_series"), py::arg("level"));
  m.def("christoffersen",
        [](const IntArray& e, double level) { return risk::christoffersen(view_int_1d(e, "exception_series"), level); },
        py::arg("exception_series"), py::arg("level"));
  m.def("time_between_failures",
        [](const IntArray& e, double level) {
          return risk::time_between_failures(view_int_1d(e, "exception_series"), level);
        },
        py::arg("exception_series"), py::arg("level"));
  m.def("traffic_light", py::overload_cast<std::size_t, std::size_t, double>(&risk::traffic_light),
        py::arg("exceptions"), py::arg("n"), py::arg("level"));
  m.def("traffic_light_series",
        [](const IntArray& e, double level) { return risk::traffic_light(view_int_1d(e, "exceptions"), level); },
        py::arg("exception_series"), py::arg("level"));
  m.def("es_backtest",
        [](const DoubleArray& pnl, const DoubleArray& var, const DoubleArray& es, double level,
           const risk::EsBacktestOptions& o, const DoubleArray& ranks) {
          const auto p = view_1d(pnl, "pnl"), v = view_1d(var, "var"), e = view_1d(es, "es"), u = view_1d(ranks, "ranks");
          return released([&] { return risk::es_backtest(p, v, e, level, o, u); });
        },
        py::arg("pnl"), py::arg("var"), py::arg("es"), py::arg("level"), py::arg("options"), py::arg("ranks"));
}

}  // namespace bankquant::python
