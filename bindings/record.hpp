// Binds C++ Options and Result records (core/record.hpp) as Python classes, generically.
//
//   bind_options<risk::GarchOptions>(m, "GarchOptions", "Options of fit_garch");
//   bind_result<risk::GarchResult>(m, "GarchResult", "A fitted GARCH model");
//
// gives a class whose attributes, defaults and docs come from the C++ fields() table:
//   GarchOptions(distribution="t", max_iterations=np.int64(200))   keyword constructor, validated
//   o.max_iterations = 300                                          checked assignment
//   o.to_dict(), repr(o), o == p, pickle, copy                       from the same table
//   GarchOptions.fields()                                           [(name, doc), ...] for docstrings
// Results are read-only: vectors come out as numpy arrays, enums as their names, nested
// records as their bound classes.
//
// Conversions accept what users pass (Python numbers, numpy scalars and 0-d arrays, sequences
// and arrays) and report failures as InvalidArgument naming the field, e.g.
// "argument 'max_iterations': expected an integer, got 2.5". Nothing here computes.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"

namespace bankquant::python {

namespace py = pybind11;

template <typename T>
struct is_std_vector : std::false_type {};
template <typename T, typename A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};
template <typename T>
struct is_std_optional : std::false_type {};
template <typename T>
struct is_std_optional<std::optional<T>> : std::true_type {};
/// std::vector of numbers (not of bool): these cross as numpy arrays.
template <typename T>
struct is_numeric_vector : std::false_type {};
template <typename T, typename A>
struct is_numeric_vector<std::vector<T, A>>
    : std::bool_constant<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>> {};
/// std::vector of integers (not of bool): numpy integer arrays convert in one step.
template <typename T>
struct is_integer_vector : std::false_type {};
template <typename T, typename A>
struct is_integer_vector<std::vector<T, A>> : std::bool_constant<std::is_integral_v<T> && !std::is_same_v<T, bool>> {};
template <typename T>
concept EigenDense = std::is_base_of_v<Eigen::PlainObjectBase<T>, T>;

/// repr() of a Python object, shortened for messages.
inline std::string describe(py::handle value) {
  std::string text = py::repr(value).cast<std::string>();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

[[noreturn]] inline void conversion_error(std::string_view name, std::string_view expected, py::handle value) {
  check::fail(name, fmt::format("expected {}, got {}", expected, describe(value)));
}

/// A Python bool, numpy bool or 0-d bool array.
inline bool bool_from_python(py::handle value, std::string_view name) {
  if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
  const py::module_ np = py::module_::import("numpy");
  if (py::isinstance(value, np.attr("bool_"))) return value.cast<bool>();
  if (py::isinstance<py::array>(value)) {
    const auto a = py::reinterpret_borrow<py::array>(value);
    if (a.ndim() == 0 && a.dtype().kind() == 'b') return py::bool_(a.attr("item")()).cast<bool>();
  }
  conversion_error(name, "True or False", value);
}

/// A real number: Python int or float, numpy scalar, 0-d array (not a bool, not None).
inline double double_from_python(py::handle value, std::string_view name) {
  if (value.is_none() || PyBool_Check(value.ptr())) conversion_error(name, "a number", value);
  py::object v = py::reinterpret_borrow<py::object>(value);
  if (py::isinstance<py::array>(v)) {
    const auto a = py::reinterpret_borrow<py::array>(v);
    if (a.ndim() != 0 || a.dtype().kind() == 'b') conversion_error(name, "a number", value);
    v = a.attr("item")();
  }
  if (PyFloat_Check(v.ptr())) return PyFloat_AsDouble(v.ptr());
  PyObject* number = PyNumber_Float(v.ptr());
  if (number == nullptr || PyBool_Check(v.ptr())) {
    PyErr_Clear();
    conversion_error(name, "a number", value);
  }
  const double d = PyFloat_AsDouble(number);
  Py_DECREF(number);
  return d;
}

/// An integer: Python int, numpy integer, 0-d integer array, or a float with an integral value
/// (1e6 for a count); checked against the range of T.
template <typename T>
T integer_from_python(py::handle value, std::string_view name) {
  static_assert(std::is_integral_v<T>);
  if (value.is_none() || PyBool_Check(value.ptr())) conversion_error(name, "an integer", value);
  py::object v = py::reinterpret_borrow<py::object>(value);
  if (py::isinstance<py::array>(v)) {
    const auto a = py::reinterpret_borrow<py::array>(v);
    if (a.ndim() != 0 || a.dtype().kind() == 'b') conversion_error(name, "an integer", value);
    v = a.attr("item")();
  }
  if (PyFloat_Check(v.ptr()) || py::isinstance(v, py::module_::import("numpy").attr("floating"))) {
    const double d = v.cast<double>();
    if (!std::isfinite(d) || d != std::floor(d)) conversion_error(name, "an integer", value);
    if (!(d >= static_cast<double>(std::numeric_limits<T>::min()) &&
          d <= static_cast<double>(std::numeric_limits<T>::max()))) {
      check::fail(name, fmt::format("expected an integer in [{}, {}], got {}", std::numeric_limits<T>::min(),
                                    std::numeric_limits<T>::max(), describe(value)));
    }
    return static_cast<T>(d);
  }
  PyObject* index = PyNumber_Index(v.ptr());
  if (index == nullptr) {
    PyErr_Clear();
    conversion_error(name, "an integer", value);
  }
  py::object as_int = py::reinterpret_steal<py::object>(index);
  const py::int_ lo(std::numeric_limits<T>::min()), hi(std::numeric_limits<T>::max());
  if (as_int < lo || as_int > hi) {
    check::fail(name, fmt::format("expected an integer in [{}, {}], got {}", std::numeric_limits<T>::min(),
                                  std::numeric_limits<T>::max(), describe(value)));
  }
  return as_int.cast<T>();
}

template <typename T>
T from_python(py::handle value, std::string_view name);
template <Record T>
void set_fields(T& target, const py::dict& values, std::string_view context);

/// A 1-D float64 array from any sequence or array of numbers.
inline py::array_t<double> float_array_from_python(py::handle value, std::string_view name, int ndim) {
  py::object a;
  try {
    a = py::module_::import("numpy").attr("asarray")(value, "float64");
  } catch (py::error_already_set&) {
    conversion_error(name, ndim == 1 ? "a sequence of numbers" : "a matrix of numbers", value);
  }
  auto arr = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!arr || arr.ndim() != ndim) {
    check::fail(name, fmt::format("expected a {}-D array, got {} dimensions", ndim,
                                  arr ? arr.ndim() : py::ssize_t{-1}));
  }
  return arr;
}

template <typename T>
T from_python(py::handle value, std::string_view name) {
  if constexpr (std::is_same_v<T, bool>) {
    return bool_from_python(value, name);
  } else if constexpr (std::is_integral_v<T>) {
    return integer_from_python<T>(value, name);
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(double_from_python(value, name));
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!py::isinstance<py::str>(value)) conversion_error(name, "a string", value);
    return value.cast<std::string>();
  } else if constexpr (NamedEnum<T>) {
    if (!py::isinstance<py::str>(value)) check::fail(name, fmt::format("expected one of {}; got {}", enum_choices<T>(), describe(value)));
    return enum_from_name<T>(value.cast<std::string>(), name);
  } else if constexpr (is_std_optional<T>::value) {
    if (value.is_none()) return T{};
    return T{from_python<typename T::value_type>(value, name)};
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    const auto a = float_array_from_python(value, name, 1);
    return std::vector<double>(a.data(), a.data() + a.size());
  } else if constexpr (is_integer_vector<T>::value) {
    // numpy integer arrays in one step (ids, offsets); anything else element by element, checked
    using V = typename T::value_type;
    if (py::isinstance<py::array>(value)) {
      const auto a = py::reinterpret_borrow<py::array>(value);
      const char kind = a.dtype().kind();
      if (a.ndim() == 1 && (kind == 'i' || kind == 'u')) {
        if (a.size() > 0) {
          const py::module_ np = py::module_::import("numpy");
          const py::int_ lo(std::numeric_limits<V>::min()), hi(std::numeric_limits<V>::max());
          if (py::int_(np.attr("min")(a)) < lo || py::int_(np.attr("max")(a)) > hi) {
            check::fail(name, fmt::format("expected integers in [{}, {}]", std::numeric_limits<V>::min(),
                                          std::numeric_limits<V>::max()));
          }
        }
        const auto cast = py::array_t<V, py::array::c_style | py::array::forcecast>::ensure(a);
        return T(cast.data(), cast.data() + cast.size());
      }
    }
    if (py::isinstance<py::str>(value) || !py::isinstance<py::iterable>(value)) conversion_error(name, "a list", value);
    T out;
    std::size_t i = 0;
    for (py::handle item : value) out.push_back(from_python<V>(item, fmt::format("{}[{}]", name, i++)));
    return out;
  } else if constexpr (is_std_vector<T>::value) {
    if (py::isinstance<py::str>(value) || !py::isinstance<py::iterable>(value)) conversion_error(name, "a list", value);
    T out;
    std::size_t i = 0;
    for (py::handle item : value) {
      out.push_back(from_python<typename T::value_type>(item, fmt::format("{}[{}]", name, i++)));
    }
    return out;
  } else if constexpr (EigenDense<T>) {
    constexpr int dims = T::IsVectorAtCompileTime ? 1 : 2;
    const auto a = float_array_from_python(value, name, dims);
    if constexpr (dims == 1) {
      return Eigen::Map<const Eigen::VectorXd>(a.data(), a.size());
    } else {
      using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
      return Eigen::Map<const RowMajor>(a.data(), a.shape(0), a.shape(1));
    }
  } else if constexpr (Record<T>) {
    if (py::isinstance<T>(value)) return value.cast<T>();
    if (py::isinstance<py::dict>(value)) {
      T out{};
      set_fields(out, py::reinterpret_borrow<py::dict>(value), name);
      return out;
    }
    conversion_error(name, "a record or a dict of its fields", value);
  } else {
    return value.cast<T>();  // a bound class
  }
}

template <typename T>
py::object to_python(const T& value) {
  if constexpr (NamedEnum<T>) {
    return py::str(std::string(enum_name(value)));
  } else if constexpr (is_std_optional<T>::value) {
    return value ? to_python(*value) : py::object(py::none());
  } else if constexpr (is_numeric_vector<T>::value) {
    return py::array_t<typename T::value_type>(static_cast<py::ssize_t>(value.size()), value.data());
  } else if constexpr (is_std_vector<T>::value) {
    py::list out;
    for (const auto& item : value) out.append(to_python(item));
    return out;
  } else if constexpr (EigenDense<T>) {
    return py::cast(value);  // a numpy copy
  } else {
    return py::cast(value);
  }
}

/// Sets the fields of `target` named in `values`; an unknown name is an error naming the known
/// ones. Works on a copy, so a failed call leaves `target` as it was.
template <Record T>
void set_fields(T& target, const py::dict& values, std::string_view context) {
  T updated = target;
  for (const auto& [key, value] : values) {
    const std::string name = py::str(key).cast<std::string>();
    bool found = false;
    for_each_field<T>([&](const auto& f) {
      if (found || f.name != name) return;
      found = true;
      using V = typename std::decay_t<decltype(f)>::value_type;
      updated.*f.member = from_python<V>(value, name);
    });
    if (!found) {
      std::vector<std::string_view> known;  // (joined by fmt: GCC 12 misreads string concatenation here)
      for_each_field<T>([&](const auto& f) { known.push_back(f.name); });
      check::fail(name, fmt::format("not a field of {} (fields: {})", context, fmt::join(known, ", ")));
    }
  }
  target = std::move(updated);
}

template <Record T>
py::dict fields_to_dict(const T& value) {
  py::dict out;
  for_each_field<T>([&](const auto& f) { out[py::str(std::string(f.name))] = to_python(value.*f.member); });
  return out;
}

template <typename T>
concept Validatable = requires(const T& t) { t.validate(); };

/// A short description of one value for repr(): numbers and strings in full, arrays by length.
inline std::string repr_value(py::handle v) {
  if (py::isinstance<py::array>(v)) {
    const auto a = py::reinterpret_borrow<py::array>(v);
    std::string shape;
    for (py::ssize_t d = 0; d < a.ndim(); ++d) shape += (d ? " x " : "") + std::to_string(a.shape(d));
    return fmt::format("<array {}>", shape);
  }
  if (py::isinstance<py::list>(v) && py::len(v) > 4) return fmt::format("<list of {}>", py::len(v));
  return describe(v);
}

template <Record T>
std::string record_repr(const T& value, const char* name) {
  std::string out = std::string(name) + "(";
  bool first = true;
  for_each_field<T>([&](const auto& f) {
    out += fmt::format("{}{}={}", first ? "" : ", ", f.name, repr_value(to_python(value.*f.member)));
    first = false;
  });
  return out + ")";
}

template <Record T>
std::string record_doc(const char* doc) {
  std::string out = std::string(doc) + "\n\nAttributes\n----------\n";  // numpydoc's section name
  for_each_field<T>([&](const auto& f) { out += fmt::format("{}\n    {}\n", f.name, f.doc); });
  return out;
}

template <Record T>
py::list record_fields() {
  py::list out;
  for_each_field<T>([&](const auto& f) { out.append(py::make_tuple(std::string(f.name), std::string(f.doc))); });
  return out;
}

/// Common part of both bindings: repr, to_dict, fields(), pickling, equality by fields.
template <Record T>
void add_record_methods(py::class_<T>& cls, const char* name) {
  cls.def("to_dict", [](const T& self) { return fields_to_dict(self); }, "The fields as a dict.")
      .def("__repr__", [name](const T& self) { return record_repr(self, name); })
      .def_static("fields", &record_fields<T>, "[(name, doc), ...] of the fields, in order.")
      .def("__eq__", [](const T& a, py::object b) {
        if (!py::isinstance<T>(b)) return false;
        const py::dict da = fields_to_dict(a), db = fields_to_dict(b.cast<const T&>());
        for (const auto& [key, value] : da) {
          py::object other = db[key];
          if (py::isinstance<py::array>(value) || py::isinstance<py::array>(other)) {
            const py::object same = py::module_::import("numpy").attr("array_equal")(value, other, true);
            if (!same.template cast<bool>()) return false;
          } else if (!value.equal(other)) {
            return false;
          }
        }
        return true;
      })
      .def("__copy__", [](const T& self) { return T(self); })
      .def("__deepcopy__", [](const T& self, py::dict) { return T(self); }, py::arg("memo"))
      .def(py::pickle([](const T& self) { return fields_to_dict(self); },
                      [name](const py::dict& state) {
                        T out{};
                        set_fields(out, state, name);
                        return out;
                      }));
}

/// Options: default-constructible, keyword constructor, writable checked attributes; validate()
/// runs at construction so a bad option fails where it is written.
template <Record T>
py::class_<T> bind_options(py::handle scope, const char* name, const char* doc) {
  py::class_<T> cls(scope, name, record_doc<T>(doc).c_str());
  cls.def(py::init([name](const py::kwargs& kwargs) {
    T out{};
    set_fields(out, kwargs, name);
    if constexpr (Validatable<T>) out.validate();
    return out;
  }));
  for_each_field<T>([&](const auto& f) {
    using V = typename std::decay_t<decltype(f)>::value_type;
    const auto member = f.member;
    const std::string field_name(f.name);
    auto setter = [member, field_name](T& self, py::handle value) { self.*member = from_python<V>(value, field_name); };
    if constexpr (Record<V>) {
      // A nested options record is returned by reference, so `o.optimizer.max_evaluations = 10`
      // changes `o` (a copy would silently drop the change).
      cls.def_property(
          field_name.c_str(), [member](T& self) -> V& { return self.*member; }, setter,
          py::return_value_policy::reference_internal, std::string(f.doc).c_str());
    } else {
      cls.def_property(
          field_name.c_str(), [member](const T& self) { return to_python(self.*member); }, setter,
          std::string(f.doc).c_str());
    }
  });
  if constexpr (Validatable<T>) {
    cls.def("validate", [](const T& self) { self.validate(); }, "Checks every field; raises naming the first bad one.");
  }
  add_record_methods(cls, name);
  return cls;
}

/// Results: read-only attributes.
template <Record T>
py::class_<T> bind_result(py::handle scope, const char* name, const char* doc) {
  py::class_<T> cls(scope, name, record_doc<T>(doc).c_str());
  cls.def(py::init<>());
  for_each_field<T>([&](const auto& f) {
    const auto member = f.member;
    cls.def_property_readonly(std::string(f.name).c_str(), [member](const T& self) { return to_python(self.*member); },
                              std::string(f.doc).c_str());
  });
  add_record_methods(cls, name);
  return cls;
}

}  // namespace bankquant::python
