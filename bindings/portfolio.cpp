// bankquant._core.portfolio: estimators, the QP solver, allocation methods, backtests, the advisor.
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/core/model_io.hpp"
#include "bankquant/portfolio.hpp"

namespace bankquant::python {
namespace {

namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowRef = Eigen::Ref<const RowMatrix>;
using MatRef = Eigen::Ref<const MatrixXd>;
using VecRef = Eigen::Ref<const VectorXd>;

pf::FactorHessian factor_of(const MatrixXd& loadings, const MatrixXd& factor_covariance, const VectorXd& specific) {
  return pf::FactorHessian{loadings, factor_covariance, specific};
}

// Runs f with the GIL released and a Python progress callable bridged.
template <typename F>
auto with_progress(const py::object& progress, F&& f) {
  PythonProgress bridge(progress);
  try {
    py::gil_scoped_release release;
    return f(bridge.callback());
  } catch (const Cancelled&) {
    bridge.rethrow_if_failed();
    throw;
  }
}

}  // namespace

void init_portfolio(py::module_& m) {
  // --- estimators
  bind_options<pf::CovarianceOptions>(m, "CovarianceOptions", "Options of estimate_covariance (bankquant/portfolio/covariance.hpp).");
  bind_result<pf::CovarianceResult>(m, "CovarianceResult", "A covariance estimate.");
  bind_options<pf::ExpectedReturnsOptions>(m, "ExpectedReturnsOptions", "Options of estimate_expected_returns.");
  bind_result<pf::ExpectedReturnsResult>(m, "ExpectedReturnsResult", "Expected-return estimates.");
  bind_options<pf::NearestPsdOptions>(m, "NearestPsdOptions", "Options of nearest_psd (Higham 2002).");
  bind_result<pf::NearestPsdResult>(m, "NearestPsdResult", "A repaired covariance matrix.");
  m.def(
      "estimate_covariance",
      [](const RowRef& returns, const pf::CovarianceOptions& o) {
        py::gil_scoped_release release;
        return pf::estimate_covariance(returns, o);
      },
      py::arg("returns"), py::arg("options"));
  m.def(
      "estimate_expected_returns",
      [](const RowRef& returns, const pf::ExpectedReturnsOptions& o, const VecRef& market) {
        py::gil_scoped_release release;
        return pf::estimate_expected_returns(returns, o, market);
      },
      py::arg("returns"), py::arg("options"), py::arg("market"));
  m.def(
      "nearest_psd",
      [](const MatRef& matrix, const pf::NearestPsdOptions& o) {
        py::gil_scoped_release release;
        return pf::nearest_psd(matrix, o);
      },
      py::arg("matrix"), py::arg("options"));
  m.def("check_covariance", [](const MatRef& c, Eigen::Index n) { pf::check_covariance("cov", c, n); }, py::arg("cov"),
        py::arg("n"));
  m.def("annualize_return", &pf::annualize_return, py::arg("per_period"), py::arg("periods_per_year"),
        py::arg("compounding"));
  m.def("annualize_volatility", &pf::annualize_volatility, py::arg("per_period"), py::arg("periods_per_year"));

  // --- QP and LP
  bind_options<pf::QpOptions>(m, "QpOptions", "Options of solve_qp (bankquant/portfolio/qp.hpp).");
  bind_result<pf::QpResult>(m, "QpResult", "A QP solution with multipliers and KKT residuals.");
  bind_result<pf::FeasibilityReport>(m, "FeasibilityReport", "Whether constraints admit a point, and which conflict.");
  auto make_qp = [](const MatrixXd& H, const MatrixXd& loadings, const MatrixXd& F, const VectorXd& D,
                    const VectorXd& c, const RowMatrix& A_eq, const VectorXd& b_eq, const RowMatrix& A_in,
                    const VectorXd& lo, const VectorXd& hi, const VectorXd& lower, const VectorXd& upper,
                    const std::vector<std::string>& variable_names, const std::vector<std::string>& equality_names,
                    const std::vector<std::string>& inequality_names) {
    pf::QpProblem p;
    p.hessian = H;
    if (H.size() == 0) p.factor = factor_of(loadings, F, D);
    p.linear = c;
    p.equality_matrix = A_eq;
    p.equality_rhs = b_eq;
    p.inequality_matrix = A_in;
    p.inequality_lower = lo;
    p.inequality_upper = hi;
    p.lower = lower;
    p.upper = upper;
    p.variable_names = variable_names;
    p.equality_names = equality_names;
    p.inequality_names = inequality_names;
    return p;
  };
  m.def(
      "solve_qp",
      [make_qp](const MatrixXd& H, const MatrixXd& loadings, const MatrixXd& F, const VectorXd& D, const VectorXd& c,
                const RowMatrix& A_eq, const VectorXd& b_eq, const RowMatrix& A_in, const VectorXd& lo,
                const VectorXd& hi, const VectorXd& lower, const VectorXd& upper,
                const std::vector<std::string>& vn, const std::vector<std::string>& en,
                const std::vector<std::string>& in, const pf::QpOptions& o, const VectorXd& start) {
        const pf::QpProblem p = make_qp(H, loadings, F, D, c, A_eq, b_eq, A_in, lo, hi, lower, upper, vn, en, in);
        py::gil_scoped_release release;
        return pf::solve_qp(p, o, start);
      },
      py::arg("hessian"), py::arg("loadings"), py::arg("factor_covariance"), py::arg("specific"), py::arg("linear"),
      py::arg("equality_matrix"), py::arg("equality_rhs"), py::arg("inequality_matrix"), py::arg("inequality_lower"),
      py::arg("inequality_upper"), py::arg("lower"), py::arg("upper"), py::arg("variable_names"),
      py::arg("equality_names"), py::arg("inequality_names"), py::arg("options"), py::arg("start"));

  // --- mean-variance
  bind_options<pf::AssetGroup>(m, "AssetGroup", "A group constraint: lower <= total weight of the members <= upper.");
  bind_options<pf::MeanVarianceOptions>(m, "MeanVarianceOptions", "Constraints of MeanVariance (bankquant/portfolio/mean_variance.hpp).");
  bind_result<pf::BindingConstraint>(m, "BindingConstraint", "A constraint that binds, with its shadow price.");
  bind_result<pf::PortfolioResult>(m, "PortfolioResult", "An allocation and its report.");
  bind_result<pf::FrontierBreakpoint>(m, "FrontierBreakpoint", "A corner portfolio of the exact frontier.");
  bind_result<pf::FrontierResult>(m, "FrontierResult", "The exact efficient frontier.")
      .def("weights_at_return", &pf::FrontierResult::weights_at_return, py::arg("target_return"))
      .def("points", &pf::FrontierResult::points, py::arg("n"));
  py::class_<pf::MeanVariance>(m, "MeanVariance")
      .def(py::init([](const VectorXd& mu, const MatrixXd& cov, const pf::MeanVarianceOptions& o) {
             py::gil_scoped_release release;
             return pf::MeanVariance(mu, cov, o);
           }),
           py::arg("expected_returns"), py::arg("cov"), py::arg("options"))
      .def(py::init([](const VectorXd& mu, const MatrixXd& loadings, const MatrixXd& F, const VectorXd& D,
                       const pf::MeanVarianceOptions& o) {
             py::gil_scoped_release release;
             return pf::MeanVariance(mu, factor_of(loadings, F, D), o);
           }),
           py::arg("expected_returns"), py::arg("loadings"), py::arg("factor_covariance"), py::arg("specific"),
           py::arg("options"))
      .def("min_volatility", &pf::MeanVariance::min_volatility, py::call_guard<py::gil_scoped_release>())
      .def("max_sharpe", &pf::MeanVariance::max_sharpe, py::arg("risk_free"), py::call_guard<py::gil_scoped_release>())
      .def("max_quadratic_utility", &pf::MeanVariance::max_quadratic_utility, py::arg("risk_aversion"),
           py::call_guard<py::gil_scoped_release>())
      .def("efficient_return", &pf::MeanVariance::efficient_return, py::arg("target_return"),
           py::call_guard<py::gil_scoped_release>())
      .def("efficient_risk", &pf::MeanVariance::efficient_risk, py::arg("target_volatility"),
           py::call_guard<py::gil_scoped_release>())
      .def("max_diversification", &pf::MeanVariance::max_diversification, py::call_guard<py::gil_scoped_release>())
      .def("frontier", &pf::MeanVariance::frontier, py::arg("t_max"), py::call_guard<py::gil_scoped_release>())
      .def("max_return", &pf::MeanVariance::max_return, py::call_guard<py::gil_scoped_release>())
      .def("evaluate", &pf::MeanVariance::evaluate, py::arg("weights"), py::arg("method"))
      .def_property_readonly("size", &pf::MeanVariance::size);

  // --- other allocation methods
  bind_options<pf::BlackLittermanOptions>(m, "BlackLittermanOptions", "Options of black_litterman.");
  bind_result<pf::BlackLittermanResult>(m, "BlackLittermanResult", "The Black-Litterman posterior.");
  m.def(
      "black_litterman",
      [](const MatRef& cov, const VecRef& w, const RowRef& P, const VecRef& Q, const MatRef& omega,
         const VecRef& confidences, const pf::BlackLittermanOptions& o) {
        py::gil_scoped_release release;
        return pf::black_litterman(cov, w, P, Q, omega, confidences, o);
      },
      py::arg("cov"), py::arg("market_weights"), py::arg("P"), py::arg("Q"), py::arg("omega"), py::arg("confidences"),
      py::arg("options"));
  m.def("market_implied_risk_aversion", &pf::market_implied_risk_aversion, py::arg("market_returns"),
        py::arg("risk_free"), py::arg("periods_per_year"));
  bind_options<pf::RiskBudgetOptions>(m, "RiskBudgetOptions", "Options of risk_budgeting.");
  m.def(
      "risk_budgeting",
      [](const MatRef& cov, const VecRef& mu, const pf::RiskBudgetOptions& o) {
        py::gil_scoped_release release;
        return pf::risk_budgeting(cov, mu, o);
      },
      py::arg("cov"), py::arg("expected_returns"), py::arg("options"));
  bind_options<pf::HierarchicalOptions>(m, "HierarchicalOptions", "Options of HRP and HERC.");
  bind_result<pf::HierarchicalResult>(m, "HierarchicalResult", "A hierarchical allocation and its dendrogram.");
  m.def(
      "hierarchical_risk_parity",
      [](const MatRef& cov, const VecRef& mu, const pf::HierarchicalOptions& o) {
        py::gil_scoped_release release;
        return pf::hierarchical_risk_parity(cov, mu, o);
      },
      py::arg("cov"), py::arg("expected_returns"), py::arg("options"));
  m.def(
      "hierarchical_equal_risk_contribution",
      [](const MatRef& cov, const VecRef& mu, const pf::HierarchicalOptions& o) {
        py::gil_scoped_release release;
        return pf::hierarchical_equal_risk_contribution(cov, mu, o);
      },
      py::arg("cov"), py::arg("expected_returns"), py::arg("options"));
  m.def(
      "hierarchical_clustering",
      [](const MatRef& distance, const std::string& linkage) {
        const auto l = enum_from_name<pf::Linkage>(linkage, "linkage");
        py::gil_scoped_release release;
        const pf::Dendrogram d = pf::hierarchical_clustering(distance, l);
        return std::make_pair(RowMatrix(d.linkage), d.order);
      },
      py::arg("distance"), py::arg("linkage"));
  m.def(
      "cluster_distance",
      [](const MatRef& cov, const std::string& distance) {
        return pf::cluster_distance(cov, enum_from_name<pf::ClusterDistance>(distance, "distance"));
      },
      py::arg("cov"), py::arg("distance"));
  bind_options<pf::CvarOptions>(m, "CvarOptions", "Options of min_cvar.");
  bind_result<pf::CvarResult>(m, "CvarResult", "A minimum-CVaR allocation.");
  m.def(
      "min_cvar",
      [](const RowRef& scenarios, const pf::CvarOptions& o) {
        py::gil_scoped_release release;
        return pf::min_cvar(scenarios, o);
      },
      py::arg("scenarios"), py::arg("options"));
  m.def("equal_weight", &pf::equal_weight, py::arg("n"));
  m.def("inverse_volatility", &pf::inverse_volatility, py::arg("cov"));
  m.def("evaluate_portfolio", &pf::evaluate_portfolio, py::arg("weights"), py::arg("expected_returns"), py::arg("cov"),
        py::arg("risk_free"), py::arg("method"));

  // --- performance and cointegration
  bind_options<pf::PerformanceOptions>(m, "PerformanceOptions", "Options of performance_stats.");
  bind_result<pf::PerformanceStats>(m, "PerformanceStats", "Performance statistics of a return series.");
  m.def(
      "performance_stats",
      [](const DoubleArray& r, const pf::PerformanceOptions& o, const DoubleArray& turnover) {
        return pf::performance_stats(view_1d(r, "returns"), o, view_1d(turnover, "turnover"));
      },
      py::arg("returns"), py::arg("options"), py::arg("turnover"));
  m.def("probabilistic_sharpe_ratio", &pf::probabilistic_sharpe_ratio, py::arg("sharpe"), py::arg("benchmark"),
        py::arg("n"), py::arg("skewness"), py::arg("kurtosis"));
  m.def("expected_maximum_sharpe", &pf::expected_maximum_sharpe, py::arg("variance"), py::arg("n_trials"));
  m.def(
      "deflated_sharpe_ratio",
      [](double sr, int n, double skew, double kurt, const DoubleArray& trials) {
        return pf::deflated_sharpe_ratio(sr, n, skew, kurt, view_1d(trials, "trial_sharpes"));
      },
      py::arg("sharpe"), py::arg("n"), py::arg("skewness"), py::arg("kurtosis"), py::arg("trial_sharpes"));
  bind_result<pf::CointegrationResult>(m, "CointegrationResult", "The Engle-Granger test.");
  m.def(
      "engle_granger",
      [](const DoubleArray& y, const DoubleArray& x, int maxlag) {
        return pf::engle_granger(view_1d(y, "y"), view_1d(x, "x"), maxlag);
      },
      py::arg("y"), py::arg("x"), py::arg("maxlag"));
  m.def("mackinnon_p_value", &pf::mackinnon_p_value, py::arg("statistic"), py::arg("n_variables"));

  // --- backtests
  bind_options<pf::BacktestOptions>(m, "BacktestOptions", "Options of run_backtest (bankquant/portfolio/backtest.hpp).");
  bind_result<pf::BacktestResult>(m, "BacktestResult", "A backtest: paths, trades and statistics.");
  bind_options<pf::StrategySpec>(m, "StrategySpec", "A strategy by parameters (bankquant/portfolio/strategies.hpp).");
  bind_result<pf::SelectedPair>(m, "SelectedPair", "A cointegrated pair.");
  m.def(
      "run_backtest",
      [](const RowRef& prices, const pf::StrategySpec& spec, const pf::BacktestOptions& o,
         const pf::PerformanceOptions& s) {
        auto strategy = pf::make_strategy(spec);
        py::gil_scoped_release release;
        return pf::run_backtest(prices, *strategy, o, s);
      },
      py::arg("prices"), py::arg("spec"), py::arg("options"), py::arg("stats"));
  m.def(
      "run_backtest_callback",
      [](const RowRef& prices, const py::function& target, Eigen::Index warmup, const std::string& name,
         const pf::BacktestOptions& o, const pf::PerformanceOptions& s) {
        // The callable runs Python, so the GIL stays held for the whole run.
        pf::CallbackStrategy strategy(
            [&target](const RowRef&, Eigen::Index t, const VectorXd& current, VectorXd& out) {
              const py::object answer = target(t, current);
              if (answer.is_none()) return false;
              out = from_python<VectorXd>(answer, "strategy");
              return true;
            },
            warmup, name);
        return pf::run_backtest(prices, strategy, o, s);
      },
      py::arg("prices"), py::arg("target"), py::arg("warmup"), py::arg("name"), py::arg("options"), py::arg("stats"));
  m.def(
      "run_backtest_grid",
      [](const RowRef& prices, const std::vector<pf::StrategySpec>& specs, const pf::BacktestOptions& o,
         const pf::PerformanceOptions& s, const py::object& progress) {
        std::vector<std::unique_ptr<pf::Strategy>> strategies;
        for (std::size_t i = 0; i < specs.size(); ++i) strategies.push_back(pf::make_strategy(specs[i]));
        return with_progress(progress, [&](const ProgressCallback& cb) {
          return pf::run_backtest_grid(prices, strategies, o, s, cb);
        });
      },
      py::arg("prices"), py::arg("specs"), py::arg("options"), py::arg("stats"), py::arg("progress"));
  m.def("validate_strategy", [](const pf::StrategySpec& spec) { (void)pf::make_strategy(spec); }, py::arg("spec"));
  m.def(
      "select_pairs",
      [](const RowRef& prices, Eigen::Index t, int formation, int max_pairs, double max_p) {
        py::gil_scoped_release release;
        return pf::select_pairs(prices, t, formation, max_pairs, max_p);
      },
      py::arg("prices"), py::arg("t"), py::arg("formation"), py::arg("max_pairs"), py::arg("max_p_value"));
  m.def("check_prices", [](const RowRef& prices) { pf::check_prices(prices); }, py::arg("prices"));

  // --- the advisor
  bind_options<pf::Question>(m, "Question", "A questionnaire question.");
  bind_options<pf::ClassLimit>(m, "ClassLimit", "Limits on an asset class.");
  bind_options<pf::RiskProfile>(m, "RiskProfile", "One risk profile of the table.");
  bind_options<pf::GlideStep>(m, "GlideStep", "A glide-path step.");
  bind_options<pf::RiskProfileTable>(m, "RiskProfileTable", "The versioned questionnaire and profile table.")
      .def_static("standard", &pf::RiskProfileTable::standard)
      .def("to_json_text", [](const pf::RiskProfileTable& t) { return t.to_json().dump(); })
      .def_static("from_json_text", [](const std::string& text) {
        return pf::RiskProfileTable::from_json(io::parse_json(text, "risk_profile_table"));
      }, py::arg("text"));
  m.def(
      "save_profile_table",
      [](const std::string& path, const pf::RiskProfileTable& t) {
        t.validate();
        io::save_model(path, "risk_profile_table", 1, t.to_json());
      },
      py::arg("path"), py::arg("table"));
  m.def(
      "load_profile_table",
      [](const std::string& path) {
        return pf::RiskProfileTable::from_json(io::load_model(path, "risk_profile_table", 1).model);
      },
      py::arg("path"));
  bind_result<pf::RiskAssessment>(m, "RiskAssessment", "A client's risk profile and how it was reached.");
  bind_options<pf::AdviserView>(m, "AdviserView", "An adviser's Black-Litterman view.");
  bind_options<pf::ClientRequest>(m, "ClientRequest", "One client's request for advice.");
  bind_result<pf::Advice>(m, "Advice", "Advice for one client.");
  m.def("assess_risk", &pf::assess_risk, py::arg("table"), py::arg("answers"), py::arg("horizon_years"));
  py::class_<pf::Advisor>(m, "Advisor")
      .def(py::init<VectorXd, MatrixXd, std::vector<std::string>, std::vector<std::string>, pf::RiskProfileTable,
                    double>(),
           py::arg("expected_returns"), py::arg("cov"), py::arg("asset_names"), py::arg("asset_classes"),
           py::arg("table"), py::arg("risk_free"))
      .def("assess", &pf::Advisor::assess, py::arg("answers"), py::arg("horizon_years"))
      .def("model_portfolio", &pf::Advisor::model_portfolio, py::arg("profile"), py::call_guard<py::gil_scoped_release>())
      .def("advise", &pf::Advisor::advise, py::arg("client"), py::arg("views"), py::call_guard<py::gil_scoped_release>())
      .def(
          "advise_many",
          [](const pf::Advisor& a, const std::vector<pf::ClientRequest>& clients, const std::vector<pf::AdviserView>& views,
             const py::object& progress) {
            return with_progress(progress, [&](const ProgressCallback& cb) { return a.advise_many(clients, views, cb); });
          },
          py::arg("clients"), py::arg("views"), py::arg("progress"))
      .def("expected_returns", &pf::Advisor::expected_returns, py::arg("views"))
      .def_property_readonly("table", &pf::Advisor::table)
      .def_property_readonly("asset_names", &pf::Advisor::asset_names);
  bind_result<pf::DiscreteAllocation>(m, "DiscreteAllocation", "Whole lots for target weights.");
  m.def(
      "discrete_allocation",
      [](const VecRef& w, const VecRef& prices, double total, const std::vector<long long>& lots, double time_limit) {
        py::gil_scoped_release release;
        return pf::discrete_allocation(w, prices, total, lots, time_limit);
      },
      py::arg("weights"), py::arg("prices"), py::arg("total_value"), py::arg("lot_sizes"), py::arg("time_limit"));
}

}  // namespace bankquant::python
