// Helpers shared by the binding sources: numpy views, exception translation, progress bridge.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/progress.hpp"

namespace bankquant::python {

namespace py = pybind11;

/// A float64 C-contiguous array; forcecast copies only when the input is another dtype or layout.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// A read-only view of a 1-D array, or InvalidArgument naming `name` for another shape.
inline std::span<const double> view_1d(const DoubleArray& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

/// A new numpy array holding a copy of values.
inline py::array_t<double> to_array(const std::vector<double>& values) {
  return py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
}

inline py::array_t<double> to_array(std::span<const double> values) {
  return py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
}

/// A new numpy array of the same integer type holding a copy of values.
template <typename T>
py::array_t<T> to_int_array(std::span<const T> values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}
template <typename T>
py::array_t<T> to_int_array(const std::vector<T>& values) {
  return to_int_array(std::span<const T>(values));
}

/// Maps bankquant's C++ exceptions to the classes in bankquant/exceptions.py.
void register_exceptions(py::module_& m);

/// Bridges a Python callable f(done, total, stage) -> bool|None to a C++ ProgressCallback.
/// The callable runs with the GIL held, on the calling thread only (see ProgressReporter). If it
/// raises (KeyboardInterrupt from tqdm, say), the work is cancelled and the Python exception is
/// re-raised by rethrow_if_failed() once the C++ call returns.
class PythonProgress {
 public:
  explicit PythonProgress(py::object callable) : callable_(std::move(callable)) {}
  ~PythonProgress() {
    py::gil_scoped_acquire gil;
    error_.reset();
    callable_ = py::object();
  }

  /// An empty callback when no callable was given.
  ProgressCallback callback();

  /// Re-raises the exception the callable raised, if any. Call with the GIL held.
  void rethrow_if_failed();

 private:
  py::object callable_;
  std::optional<py::error_already_set> error_;
};

/// Calls f with the GIL released and returns its result.
template <typename F>
auto released(F&& f) {
  py::gil_scoped_release release;
  return f();
}

}  // namespace bankquant::python
