// bankquant._core: one submodule per library module; each init_<module> lives in its own file.
#include "common.hpp"

#include "bankquant/core/errors.hpp"

namespace bankquant::python {
void init_core(py::module_& m);
void init_scorecard(py::module_& m);
void init_risk(py::module_& m);
void init_graph(py::module_& m);
void init_graph_investigation(py::module_& m);
void init_graph_features(py::module_& m);
void init_portfolio(py::module_& m);
void init_forecast(py::module_& m);
void init_staffing(py::module_& m);

namespace {
// Looks the class up in bankquant.exceptions; the built-in base if that module cannot be imported.
void set_python_error(const char* class_name, PyObject* fallback, const char* message) {
  PyObject* type = fallback;
  py::object cls;
  try {
    cls = py::module_::import("bankquant.exceptions").attr(class_name);
    type = cls.ptr();
  } catch (const py::error_already_set&) {
  }
  PyErr_SetString(type, message);
}
}  // namespace

void register_exceptions(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InvalidArgument& e) {
      set_python_error("InvalidArgumentError", PyExc_ValueError, e.what());
    } catch (const NotFitted& e) {
      set_python_error("NotFittedError", PyExc_ValueError, e.what());
    } catch (const ModelFormatError& e) {
      set_python_error("ModelFormatError", PyExc_ValueError, e.what());
    } catch (const ConvergenceError& e) {
      set_python_error("ConvergenceError", PyExc_RuntimeError, e.what());
    } catch (const NumericalError& e) {
      set_python_error("NumericalError", PyExc_RuntimeError, e.what());
    } catch (const Cancelled& e) {
      set_python_error("CancelledError", PyExc_RuntimeError, e.what());
    }
  });
}

ProgressCallback PythonProgress::callback() {
  if (callable_.is_none()) return {};
  return [this](const ProgressEvent& event) {
    py::gil_scoped_acquire gil;
    if (error_) return false;
    try {
      const py::object answer = callable_(event.done, event.total, std::string(event.stage));
      return answer.is_none() || answer.cast<bool>();
    } catch (py::error_already_set& e) {
      error_.emplace(std::move(e));
      return false;
    }
  };
}

void PythonProgress::rethrow_if_failed() {
  if (error_) {
    py::error_already_set e = std::move(*error_);
    error_.reset();
    throw e;
  }
}

}  // namespace bankquant::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  m.doc() = "bankquant's compiled core; use the bankquant package, which wraps it for pandas.";
  bankquant::python::register_exceptions(m);
  py::module_ core = m.def_submodule("core", "threads, random streams, statistics, model files, build info");
  bankquant::python::init_core(core);
  py::module_ scorecard = m.def_submodule("scorecard", "binning, logistic model, metrics, stability, scorecard model");
  bankquant::python::init_scorecard(scorecard);
  py::module_ risk = m.def_submodule("risk", "volatility, VaR/ES, Monte Carlo, backtests");
  bankquant::python::init_risk(risk);
  py::module_ graph = m.def_submodule("graph", "transaction graph, components, PageRank");
  bankquant::python::init_graph(graph);
  bankquant::python::init_graph_investigation(graph);
  bankquant::python::init_graph_features(graph);
  py::module_ portfolio = m.def_submodule("portfolio", "estimators, QP solver, allocation, backtests, advisor");
  bankquant::python::init_portfolio(portfolio);
  py::module_ forecast = m.def_submodule("forecast", "ETS, ARIMA, Theta, count models, many-series forecasts");
  bankquant::python::init_forecast(forecast);
  py::module_ staffing = m.def_submodule("staffing", "Erlang queues, staff requirements, rosters, simulation");
  bankquant::python::init_staffing(staffing);
}
