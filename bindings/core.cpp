// bankquant._core.core: threads, random streams, statistics helpers, model files, build info.
#include <pybind11/pybind11.h>

#include "common.hpp"
#include "record.hpp"

#include "bankquant/core/config.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant::python {
namespace {

std::uint64_t to_seed(const py::object& seed) {
  PyObject* index = PyNumber_Index(seed.ptr());
  if (index == nullptr) {
    PyErr_Clear();
    check::fail("seed", fmt::format("expected a non-negative integer, got {}", py::str(py::repr(seed)).cast<std::string>()));
  }
  const unsigned long long value = PyLong_AsUnsignedLongLong(index);
  Py_DECREF(index);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    check::fail("seed", fmt::format("expected an integer in [0, 2**64), got {}", py::str(seed).cast<std::string>()));
  }
  return value;
}

std::size_t to_size(std::int64_t size) {
  check::integer_at_least("size", size, 0);
  return static_cast<std::size_t>(size);
}

using FillFunction = void (*)(std::span<double>, std::uint64_t, std::uint64_t, std::size_t, ProgressReporter*);

py::array_t<double> fill_array(FillFunction fill, std::int64_t size, const py::object& seed,
                               const py::object& stream_offset, const py::object& progress, const char* stage) {
  const std::size_t n = to_size(size);
  const std::uint64_t s = to_seed(seed);
  const std::uint64_t offset = to_seed(stream_offset);
  py::array_t<double> out(static_cast<py::ssize_t>(n));
  std::span<double> view(out.mutable_data(), n);
  PythonProgress bridge(progress);
  {
    ProgressReporter reporter(bridge.callback(), n, stage);
    py::gil_scoped_release release;
    try {
      fill(view, s, offset, std::size_t{1} << 16, &reporter);
    } catch (const Cancelled&) {
      py::gil_scoped_acquire gil;
      bridge.rethrow_if_failed();  // the callback's own exception (KeyboardInterrupt, ...) wins
      throw;
    }
  }
  return out;
}

py::dict document_to_dict(const io::ModelDocument& doc) {
  py::dict out;
  out["kind"] = doc.kind;
  out["schema_version"] = doc.schema_version;
  out["library_version"] = doc.library_version;
  out["model_json"] = doc.model.dump();
  return out;
}

}  // namespace

void init_core(py::module_& m) {
  bind_result<Status>(m, "Status", "How an iterative or capped computation ended (bankquant/core/status.hpp).")
      .def_property_readonly("converged", &Status::converged)
      .def_property_readonly("usable", &Status::usable);
  bind_options<optimize::Options>(m, "OptimizerOptions", "Options of the smooth optimiser (bankquant/core/optimize.hpp).");
  m.attr("STATUS_CODES") = enum_names<StatusCode>();
  m.def("set_num_threads", &set_num_threads, py::arg("n"));
  m.def("get_num_threads", &get_num_threads);
  m.def("default_num_threads", &default_num_threads);
  m.def("version", &version);
  m.def("build_info", &build_info);
  m.def("config_report", &config_report);

  m.def(
      "standard_normal",
      [](std::int64_t size, const py::object& seed, const py::object& stream_offset, const py::object& progress) {
        return fill_array(&parallel_fill_normal, size, seed, stream_offset, progress, "standard normal");
      },
      py::arg("size"), py::arg("seed"), py::arg("stream_offset") = 0, py::arg("progress") = py::none());
  m.def(
      "uniform",
      [](std::int64_t size, const py::object& seed, const py::object& stream_offset, const py::object& progress) {
        return fill_array(&parallel_fill_uniform, size, seed, stream_offset, progress, "uniform");
      },
      py::arg("size"), py::arg("seed"), py::arg("stream_offset") = 0, py::arg("progress") = py::none());

  m.def(
      "quantiles",
      [](const DoubleArray& x, const DoubleArray& q, const std::string& method) {
        const auto xs = view_1d(x, "x");
        const auto qs = view_1d(q, "q");
        const auto m = enum_from_name<stats::QuantileMethod>(method, "method");
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = stats::quantiles(xs, qs, m);
        }
        return to_array(out);
      },
      py::arg("x"), py::arg("q"), py::arg("method") = "linear");
  m.def(
      "weighted_quantiles",
      [](const DoubleArray& x, const DoubleArray& weights, const DoubleArray& q) {
        const auto xs = view_1d(x, "x");
        const auto ws = view_1d(weights, "weights");
        const auto qs = view_1d(q, "q");
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = stats::weighted_quantiles(xs, ws, qs);
        }
        return to_array(out);
      },
      py::arg("x"), py::arg("weights"), py::arg("q"));
  m.def(
      "rank",
      [](const DoubleArray& x, const std::string& method) {
        const auto xs = view_1d(x, "x");
        const auto m = enum_from_name<stats::RankMethod>(method, "method");
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = stats::rank(xs, m);
        }
        return to_array(out);
      },
      py::arg("x"), py::arg("method") = "average");

  py::class_<stats::RunningMoments>(m, "RunningMoments")
      .def(py::init<>())
      .def(
          "add",
          [](stats::RunningMoments& self, const DoubleArray& x) {
            const auto xs = view_1d(x, "x");
            check::all_finite("x", xs);  // checked before the first add: a bad batch changes nothing
            for (double v : xs) self.add(v);
            return &self;
          },
          py::arg("x"), py::return_value_policy::reference)
      .def(
          "merge", [](stats::RunningMoments& self, const stats::RunningMoments& other) { self.merge(other); return &self; },
          py::arg("other"), py::return_value_policy::reference)
      .def_property_readonly("count", &stats::RunningMoments::count)
      .def_property_readonly("mean", &stats::RunningMoments::mean)
      .def_property_readonly("min", &stats::RunningMoments::min)
      .def_property_readonly("max", &stats::RunningMoments::max)
      .def("variance", &stats::RunningMoments::variance, py::arg("ddof") = 1)
      .def("std", &stats::RunningMoments::stddev, py::arg("ddof") = 1)
      .def(py::pickle(
          [](const stats::RunningMoments& r) { return py::make_tuple(r.count(), r.mean(), r.m2(), r.min(), r.max()); },
          [](const py::tuple& t) {
            if (t.size() != 5) check::fail("state", fmt::format("expected a 5-tuple, got {} items", t.size()));
            return stats::RunningMoments::from_parts(t[0].cast<std::size_t>(), t[1].cast<double>(),
                                                     t[2].cast<double>(), t[3].cast<double>(), t[4].cast<double>());
          }));

  m.def(
      "save_model",
      [](const std::string& path, const std::string& kind, int schema_version, const std::string& model_json) {
        io::save_model(path, kind, schema_version, io::parse_json(model_json, "model"));
      },
      py::arg("path"), py::arg("kind"), py::arg("schema_version"), py::arg("model_json"));
  m.def(
      "load_model",
      [](const std::string& path, const std::string& kind, int max_schema_version) {
        return document_to_dict(io::load_model(path, kind, max_schema_version));
      },
      py::arg("path"), py::arg("kind") = "", py::arg("max_schema_version"));
  m.def(
      "read_model_text",
      [](const std::string& text, const std::string& kind, int max_schema_version) {
        return document_to_dict(io::read_model_document(io::parse_json(text, "model text"), kind, max_schema_version));
      },
      py::arg("text"), py::arg("kind") = "", py::arg("max_schema_version"));
}

}  // namespace bankquant::python
