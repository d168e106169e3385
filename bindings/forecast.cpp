// bankquant._core.forecast: ETS, ARIMA, Theta, baselines, decompositions, count models,
// intermittent demand, many-series forecasting, evaluation and reconciliation.
// Conversions only: every loop over data lives in the library.
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/forecast.hpp"

namespace bankquant::python {
namespace {

namespace fc = bankquant::forecast;

/// An optional (n x k) float64 matrix: None or an empty array give 0 columns.
RowMatrix optional_matrix(const py::object& value, const char* name) {
  if (value.is_none()) return RowMatrix();
  return from_python<RowMatrix>(value, name);
}

}  // namespace

void init_forecast(py::module_& m) {
  // --- predictive distributions ---
  bind_result<fc::Forecast>(m, "Forecast", "Point forecasts, variances, intervals and count distributions "
                                           "(bankquant/forecast/prediction.hpp).")
      .def(
          "quantiles",
          [](const fc::Forecast& f, const std::vector<double>& p) { return fc::forecast_quantiles(f, p); },
          py::arg("p"));
  m.def(
      "set_count_intervals",
      [](fc::Forecast f, const std::vector<double>& levels) {
        fc::set_count_intervals(f, levels);
        return f;
      },
      py::arg("forecast"), py::arg("levels"));
  m.def("moment_matched_count", &fc::moment_matched_count, py::arg("mean"), py::arg("variance"));
  m.def("normal_interval_z", &fc::normal_interval_z, py::arg("level"));

  // --- ETS ---
  bind_result<fc::EtsComponents>(m, "EtsComponents", "Error, trend and season types of an ETS model.")
      .def_property_readonly("name", &fc::EtsComponents::name);
  bind_options<fc::EtsOptions>(m, "EtsOptions", "Options of fit_ets (bankquant/forecast/ets.hpp).");
  bind_options<fc::EtsSimulation>(m, "EtsSimulation", "Sample paths of an ETS forecast.");
  bind_result<fc::EtsCandidate>(m, "EtsCandidate", "One model tried by the automatic ETS search.");
  bind_result<fc::EtsFit>(m, "EtsFit", "A fitted ETS model (bankquant/forecast/ets.hpp).")
      .def(
          "forecast",
          [](const fc::EtsFit& f, int h, const std::vector<double>& levels, const py::object& xreg,
             const fc::EtsSimulation& sim) {
            const RowMatrix X = optional_matrix(xreg, "xreg");
            py::gil_scoped_release release;
            return f.forecast(h, levels, X, sim);
          },
          py::arg("h"), py::arg("levels") = std::vector<double>{}, py::arg("xreg") = py::none(),
          py::arg("simulation") = fc::EtsSimulation{})
      .def(
          "simulate",
          [](const fc::EtsFit& f, int h, const fc::EtsSimulation& sim, const py::object& xreg) {
            const RowMatrix X = optional_matrix(xreg, "xreg");
            py::gil_scoped_release release;
            return f.simulate(h, sim, X);
          },
          py::arg("h"), py::arg("simulation") = fc::EtsSimulation{}, py::arg("xreg") = py::none())
      .def("to_json", [](const fc::EtsFit& f) { return f.to_json().dump(); })
      .def_static("from_json", [](const std::string& text) { return fc::EtsFit::from_json(io::parse_json(text, "ets model")); },
                  py::arg("text"));
  m.def(
      "fit_ets",
      [](const DoubleArray& y, const fc::EtsOptions& options, const py::object& xreg) {
        const auto ys = view_1d(y, "y");
        const RowMatrix X = optional_matrix(xreg, "xreg");
        py::gil_scoped_release release;
        return fc::fit_ets(ys, options, X);
      },
      py::arg("y"), py::arg("options") = fc::EtsOptions{}, py::arg("xreg") = py::none());
  m.def(
      "ets_objective",
      [](const DoubleArray& y, const fc::EtsComponents& c, int m, double alpha, double beta, double gamma, double phi,
         const std::vector<double>& state) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::ets_objective(ys, c, m, alpha, beta, gamma, phi, state);
      },
      py::arg("y"), py::arg("components"), py::arg("season_length"), py::arg("alpha"), py::arg("beta"),
      py::arg("gamma"), py::arg("phi"), py::arg("initial_state"));
  m.def("ets_components",
        [](const std::string& error, const std::string& trend, const std::string& season) {
          return fc::EtsComponents{enum_from_name<fc::EtsError>(error, "error"),
                                   enum_from_name<fc::EtsTrend>(trend, "trend"),
                                   enum_from_name<fc::EtsSeason>(season, "season")};
        },
        py::arg("error"), py::arg("trend"), py::arg("season"));
  m.def("ets_admissible", &fc::ets_admissible, py::arg("components"), py::arg("season_length"), py::arg("alpha"),
        py::arg("beta"), py::arg("gamma"), py::arg("phi"));
  m.def(
      "ets_initial_states",
      [](const DoubleArray& y, const std::string& trend, const std::string& season, int m) {
        return fc::ets_initial_states(view_1d(y, "y"), enum_from_name<fc::EtsTrend>(trend, "trend"),
                                      enum_from_name<fc::EtsSeason>(season, "season"), m);
      },
      py::arg("y"), py::arg("trend"), py::arg("season"), py::arg("season_length"));

  // --- baselines, Theta, intermittent demand ---
  bind_options<fc::BaselineOptions>(m, "BaselineOptions", "Options of fit_baseline (bankquant/forecast/baselines.hpp).");
  bind_result<fc::BaselineFit>(m, "BaselineFit", "A fitted baseline forecast.")
      .def_property_readonly("name", &fc::BaselineFit::name)
      .def("forecast", [](const fc::BaselineFit& f, int h, const std::vector<double>& levels) { return f.forecast(h, levels); },
           py::arg("h"), py::arg("levels") = std::vector<double>{})
      .def("to_json", [](const fc::BaselineFit& f) { return f.to_json().dump(); })
      .def_static("from_json", [](const std::string& t) { return fc::BaselineFit::from_json(io::parse_json(t, "baseline model")); },
                  py::arg("text"));
  m.def(
      "fit_baseline",
      [](const DoubleArray& y, const fc::BaselineOptions& o) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::fit_baseline(ys, o);
      },
      py::arg("y"), py::arg("options") = fc::BaselineOptions{});
  bind_options<fc::ThetaOptions>(m, "ThetaOptions", "Options of fit_theta (bankquant/forecast/theta.hpp).");
  bind_result<fc::ThetaFit>(m, "ThetaFit", "A fitted Theta model.")
      .def_property_readonly("name", &fc::ThetaFit::name)
      .def("forecast", [](const fc::ThetaFit& f, int h, const std::vector<double>& levels) { return f.forecast(h, levels); },
           py::arg("h"), py::arg("levels") = std::vector<double>{})
      .def("to_json", [](const fc::ThetaFit& f) { return f.to_json().dump(); })
      .def_static("from_json", [](const std::string& t) { return fc::ThetaFit::from_json(io::parse_json(t, "theta model")); },
                  py::arg("text"));
  m.def(
      "fit_theta",
      [](const DoubleArray& y, const fc::ThetaOptions& o) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::fit_theta(ys, o);
      },
      py::arg("y"), py::arg("options") = fc::ThetaOptions{});
  m.def("theta_seasonality_test", [](const DoubleArray& y, int m) { return fc::theta_seasonality_test(view_1d(y, "y"), m); },
        py::arg("y"), py::arg("season_length"));
  bind_options<fc::IntermittentOptions>(m, "IntermittentOptions", "Options of fit_intermittent (bankquant/forecast/intermittent.hpp).");
  bind_result<fc::IntermittentFit>(m, "IntermittentFit", "A fitted Croston, SBA or TSB model.")
      .def_property_readonly("name", &fc::IntermittentFit::name)
      .def("forecast", [](const fc::IntermittentFit& f, int h, const std::vector<double>& levels) { return f.forecast(h, levels); },
           py::arg("h"), py::arg("levels") = std::vector<double>{})
      .def("to_json", [](const fc::IntermittentFit& f) { return f.to_json().dump(); })
      .def_static("from_json", [](const std::string& t) { return fc::IntermittentFit::from_json(io::parse_json(t, "intermittent model")); },
                  py::arg("text"));
  m.def(
      "fit_intermittent",
      [](const DoubleArray& y, const fc::IntermittentOptions& o) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::fit_intermittent(ys, o);
      },
      py::arg("y"), py::arg("options") = fc::IntermittentOptions{});

  // --- ARIMA ---
  bind_options<fc::ArimaOrder>(m, "ArimaOrder", "(p,d,q)(P,D,Q)[m] of an ARIMA model.")
      .def_property_readonly("name", &fc::ArimaOrder::name);
  bind_options<fc::ArimaOptions>(m, "ArimaOptions", "Options of fit_arima (bankquant/forecast/arima.hpp).");
  bind_result<fc::ArimaCandidate>(m, "ArimaCandidate", "One model tried by the automatic ARIMA search.");
  bind_result<fc::ArimaFit>(m, "ArimaFit", "A fitted ARIMA model.")
      .def(
          "forecast",
          [](const fc::ArimaFit& f, int h, const std::vector<double>& levels, const py::object& xreg) {
            const RowMatrix X = optional_matrix(xreg, "xreg");
            py::gil_scoped_release release;
            return f.forecast(h, levels, X);
          },
          py::arg("h"), py::arg("levels") = std::vector<double>{}, py::arg("xreg") = py::none())
      .def("to_json", [](const fc::ArimaFit& f) { return f.to_json().dump(); })
      .def_static("from_json", [](const std::string& t) { return fc::ArimaFit::from_json(io::parse_json(t, "arima model")); },
                  py::arg("text"));
  m.def(
      "fit_arima",
      [](const DoubleArray& y, const fc::ArimaOptions& o, const py::object& xreg) {
        const auto ys = view_1d(y, "y");
        const RowMatrix X = optional_matrix(xreg, "xreg");
        py::gil_scoped_release release;
        return fc::fit_arima(ys, o, X);
      },
      py::arg("y"), py::arg("options") = fc::ArimaOptions{}, py::arg("xreg") = py::none());
  m.def("kpss_statistic", [](const DoubleArray& y, int lags) { return fc::kpss_statistic(view_1d(y, "y"), lags); },
        py::arg("y"), py::arg("lags"));
  m.def("number_of_differences", [](const DoubleArray& y, int max_d) { return fc::number_of_differences(view_1d(y, "y"), max_d); },
        py::arg("y"), py::arg("max_d") = 2);
  m.def("number_of_seasonal_differences",
        [](const DoubleArray& y, int period, int max_D) { return fc::number_of_seasonal_differences(view_1d(y, "y"), period, max_D); },
        py::arg("y"), py::arg("period"), py::arg("max_D") = 1);

  // --- decompositions ---
  bind_result<fc::ClassicalDecomposition>(m, "ClassicalDecomposition", "R's decompose().");
  bind_options<fc::StlOptions>(m, "StlOptions", "Options of stl (bankquant/forecast/decomposition.hpp).");
  bind_result<fc::StlResult>(m, "StlResult", "An STL decomposition.");
  bind_options<fc::MstlOptions>(m, "MstlOptions", "Options of mstl.");
  bind_result<fc::MstlResult>(m, "MstlResult", "A multiple seasonal STL decomposition.")
      .def("seasonally_adjusted", &fc::MstlResult::seasonally_adjusted);
  m.def(
      "classical_decomposition",
      [](const DoubleArray& y, int period, bool multiplicative) {
        return fc::classical_decomposition(view_1d(y, "y"), period, multiplicative);
      },
      py::arg("y"), py::arg("period"), py::arg("multiplicative") = false);
  m.def(
      "stl",
      [](const DoubleArray& y, int period, const fc::StlOptions& o) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::stl(ys, period, o);
      },
      py::arg("y"), py::arg("period"), py::arg("options") = fc::StlOptions{});
  m.def(
      "mstl",
      [](const DoubleArray& y, const std::vector<int>& periods, const fc::MstlOptions& o) {
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return fc::mstl(ys, periods, o);
      },
      py::arg("y"), py::arg("periods"), py::arg("options") = fc::MstlOptions{});
  m.def("seasonal_strength", &fc::seasonal_strength, py::arg("decomposition"));
  // --- many series, accuracy, Fourier terms ---
  bind_options<fc::PanelOptions>(m, "PanelOptions", "Options of forecast_panel (bankquant/forecast/panel.hpp).");
  bind_result<fc::PanelForecast>(m, "PanelForecast", "Forecasts of many series and models, wide block of the long frame.");
  m.def(
      "forecast_panel",
      [](const DoubleArray& values, const std::vector<std::int64_t>& offsets, const fc::PanelOptions& o,
         const std::vector<std::string>& names) {
        const auto v = view_1d(values, "y");
        py::gil_scoped_release release;
        return fc::forecast_panel(v, offsets, o, names);
      },
      py::arg("values"), py::arg("offsets"), py::arg("options"), py::arg("series_names") = std::vector<std::string>{});
  m.def(
      "fourier_terms",
      [](const std::vector<double>& periods, const std::vector<int>& harmonics, int rows, double first_time) {
        const auto f = fc::fourier_terms(periods, harmonics, rows, first_time);
        return py::make_tuple(to_python(f.values), to_python(f.names));
      },
      py::arg("periods"), py::arg("harmonics"), py::arg("rows"), py::arg("first_time") = 1.0);
  m.def("mean_absolute_error", [](const DoubleArray& y, const DoubleArray& f) {
        return fc::mean_absolute_error(view_1d(y, "actual"), view_1d(f, "forecast")); }, py::arg("actual"), py::arg("forecast"));
  m.def("root_mean_squared_error", [](const DoubleArray& y, const DoubleArray& f) {
        return fc::root_mean_squared_error(view_1d(y, "actual"), view_1d(f, "forecast")); }, py::arg("actual"), py::arg("forecast"));
  m.def("symmetric_mape", [](const DoubleArray& y, const DoubleArray& f) {
        return fc::symmetric_mape(view_1d(y, "actual"), view_1d(f, "forecast")); }, py::arg("actual"), py::arg("forecast"));
  m.def("mean_absolute_scaled_error", [](const DoubleArray& y, const DoubleArray& f, const DoubleArray& x, int sl) {
        return fc::mean_absolute_scaled_error(view_1d(y, "actual"), view_1d(f, "forecast"), view_1d(x, "insample"), sl); },
        py::arg("actual"), py::arg("forecast"), py::arg("insample"), py::arg("season_length") = 1);
  m.def("interval_coverage", [](const DoubleArray& y, const DoubleArray& lo, const DoubleArray& hi) {
        return fc::interval_coverage(view_1d(y, "actual"), view_1d(lo, "lower"), view_1d(hi, "upper")); },
        py::arg("actual"), py::arg("lower"), py::arg("upper"));
  m.def("winkler_score", [](const DoubleArray& y, const DoubleArray& lo, const DoubleArray& hi, double level) {
        return fc::winkler_score(view_1d(y, "actual"), view_1d(lo, "lower"), view_1d(hi, "upper"), level); },
        py::arg("actual"), py::arg("lower"), py::arg("upper"), py::arg("level"));
  m.def("pinball_loss", [](const DoubleArray& y, const DoubleArray& q, double p) {
        return fc::pinball_loss(view_1d(y, "actual"), view_1d(q, "quantile"), p); },
        py::arg("actual"), py::arg("quantile"), py::arg("probability"));
}

}  // namespace bankquant::python
