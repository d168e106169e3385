// bankquant._core.scorecard: binning, logistic regression, metrics, stability, scorecard model.
#include "common.hpp"

#include <pybind11/eigen.h>

#include "bankquant/core/threading.hpp"
#include "bankquant/scorecard.hpp"

namespace bankquant::python {
namespace {

namespace sc = bankquant::scorecard;

using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

std::span<const double> optional_1d(const py::object& a, const char* name, std::vector<double>& keep) {
  if (a.is_none()) return {};
  DoubleArray arr = a.cast<DoubleArray>();
  const auto v = view_1d(arr, name);
  keep.assign(v.begin(), v.end());
  return keep;
}

py::dict bin_to_dict(const sc::Bin& b, bool categorical) {
  py::dict d;
  d["kind"] = b.kind == sc::BinKind::regular ? "regular" : b.kind == sc::BinKind::missing ? "missing" : "special";
  d["label"] = b.label();
  d["lower"] = (b.kind == sc::BinKind::regular && !categorical) ? py::cast(b.lower) : py::none();
  d["upper"] = (b.kind == sc::BinKind::regular && !categorical) ? py::cast(b.upper) : py::none();
  d["special_value"] = b.kind == sc::BinKind::special ? py::cast(b.special_value) : py::none();
  d["categories"] = b.categories;
  d["count"] = b.counts.count;
  d["non_events"] = b.counts.non_events;
  d["events"] = b.counts.events;
  d["woe"] = b.woe;
  d["iv"] = b.iv;
  return d;
}

py::object result_to_dict(const sc::LogisticResult& r) {
  py::dict d;
  d["coefficients"] = r.coefficients;
  d["standard_errors"] = r.standard_errors;
  d["z_values"] = r.z_values;
  d["p_values"] = r.p_values;
  d["log_likelihood"] = r.log_likelihood;
  d["null_log_likelihood"] = r.null_log_likelihood;
  d["aic"] = r.aic;
  d["bic"] = r.bic;
  d["n_observations"] = r.n_observations;
  d["iterations"] = r.iterations;
  const char* status = r.status == sc::LogisticStatus::converged          ? "converged"
                       : r.status == sc::LogisticStatus::max_iterations   ? "max_iterations"
                       : r.status == sc::LogisticStatus::quasi_separation ? "quasi_separation"
                                                                          : "perfect_separation";
  d["status"] = status;
  d["message"] = r.message;
  return d;
}

py::dict stability_to_dict(const sc::StabilityResult& r) {
  py::dict d;
  d["index"] = r.index;
  d["flag"] = r.flag;
  py::list bins;
  for (const auto& b : r.bins) {
    py::dict e;
    e["lower"] = b.lower;
    e["upper"] = b.upper;
    e["expected_count"] = b.expected_count;
    e["actual_count"] = b.actual_count;
    e["expected_share"] = b.expected_share;
    e["actual_share"] = b.actual_share;
    e["contribution"] = b.contribution;
    bins.append(e);
  }
  d["bins"] = bins;
  return d;
}

}  // namespace

void init_scorecard(py::module_& m) {
  py::class_<sc::BinningOptions>(m, "BinningOptions")
      .def(py::init<>())
      .def_property(
          "method", [](const sc::BinningOptions& o) { return std::string(sc::to_string(o.method)); },
          [](sc::BinningOptions& o, const std::string& s) { o.method = sc::binning_method_from_string(s); })
      .def_property(
          "monotonic", [](const sc::BinningOptions& o) { return std::string(sc::to_string(o.monotonic)); },
          [](sc::BinningOptions& o, const std::string& s) { o.monotonic = sc::monotonic_trend_from_string(s); })
      .def_property(
          "tree_criterion", [](const sc::BinningOptions& o) { return std::string(sc::to_string(o.tree_criterion)); },
          [](sc::BinningOptions& o, const std::string& s) { o.tree_criterion = sc::tree_criterion_from_string(s); })
      .def_readwrite("max_bins", &sc::BinningOptions::max_bins)
      .def_readwrite("prebins", &sc::BinningOptions::prebins)
      .def_readwrite("min_bin_share", &sc::BinningOptions::min_bin_share)
      .def_readwrite("min_bin_events", &sc::BinningOptions::min_bin_events)
      .def_readwrite("min_bin_non_events", &sc::BinningOptions::min_bin_non_events)
      .def_readwrite("min_category_share", &sc::BinningOptions::min_category_share)
      .def_readwrite("woe_adjustment", &sc::BinningOptions::woe_adjustment)
      .def_readwrite("chimerge_threshold", &sc::BinningOptions::chimerge_threshold)
      .def_readwrite("breaks", &sc::BinningOptions::breaks)
      .def_readwrite("special_values", &sc::BinningOptions::special_values)
      .def("validate", &sc::BinningOptions::validate);

  py::class_<sc::VariableBinning>(m, "VariableBinning")
      .def_readonly("name", &sc::VariableBinning::name)
      .def_readonly("categorical", &sc::VariableBinning::categorical)
      .def_readonly("method", &sc::VariableBinning::method)
      .def_readonly("status", &sc::VariableBinning::status)
      .def_readonly("total_iv", &sc::VariableBinning::total_iv)
      .def_readonly("total_events", &sc::VariableBinning::total_events)
      .def_readonly("total_non_events", &sc::VariableBinning::total_non_events)
      .def("bins", [](const sc::VariableBinning& b) {
        py::list out;
        for (const auto& bin : b.bins) out.append(bin_to_dict(bin, b.categorical));
        return out;
      })
      .def("cut_points", &sc::VariableBinning::cut_points)
      .def("missing_bin", [](const sc::VariableBinning& b) { return static_cast<std::int64_t>(b.missing_bin()); })
      .def(
          "bin_index",
          [](const sc::VariableBinning& b, const DoubleArray& x) {
            const auto xs = view_1d(x, "x");
            py::array_t<std::int32_t> out(static_cast<py::ssize_t>(xs.size()));
            auto* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              parallel_for_chunks(xs.size(), 1 << 16, [&](std::size_t, std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i) {
                  const std::size_t k = b.bin_of(xs[i]);
                  o[i] = k == sc::VariableBinning::npos ? -1 : static_cast<std::int32_t>(k);
                }
              });
            }
            return out;
          },
          py::arg("x"))
      .def(
          "woe",
          [](const sc::VariableBinning& b, const DoubleArray& x) {
            const auto xs = view_1d(x, "x");
            py::array_t<double> out(static_cast<py::ssize_t>(xs.size()));
            auto* o = out.mutable_data();
            {
              py::gil_scoped_release release;
              parallel_for_chunks(xs.size(), 1 << 16, [&](std::size_t, std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i) {
                  const std::size_t k = b.bin_of(xs[i]);
                  o[i] = k == sc::VariableBinning::npos ? 0.0 : b.bins[k].woe;
                }
              });
            }
            return out;
          },
          py::arg("x"))
      .def("to_json", [](const sc::VariableBinning& b) { return b.to_json().dump(); })
      .def_static("from_json", [](const std::string& s) { return sc::VariableBinning::from_json(io::parse_json(s, "binning")); })
      .def(py::pickle([](const sc::VariableBinning& b) { return b.to_json().dump(); },
                      [](const std::string& s) { return sc::VariableBinning::from_json(io::parse_json(s, "binning")); }));

  m.def(
      "bin_numeric_batch",
      [](const std::vector<std::string>& names, const std::vector<DoubleArray>& columns, const DoubleArray& y,
         const py::object& weights, const sc::BinningOptions& options) {
        check::same_size("names", names.size(), "columns", columns.size());
        const auto ys = view_1d(y, "y");
        std::vector<double> w_keep;
        const auto ws = optional_1d(weights, "weights", w_keep);
        std::vector<std::span<const double>> views;
        for (std::size_t j = 0; j < columns.size(); ++j) views.push_back(view_1d(columns[j], names[j].c_str()));
        options.validate();
        std::vector<sc::VariableBinning> out(names.size());
        {
          py::gil_scoped_release release;
          // One variable per task; each binning is itself deterministic, so the set is too.
          parallel_for_chunks(names.size(), 1, [&](std::size_t j, std::size_t, std::size_t) {
            out[j] = sc::bin_numeric(names[j], views[j], ys, ws, options);
          });
        }
        return out;
      },
      py::arg("names"), py::arg("columns"), py::arg("y"), py::arg("weights"), py::arg("options"));
  m.def(
      "bin_categorical",
      [](const std::string& name, const Int32Array& codes, const std::vector<std::string>& categories,
         const DoubleArray& y, const py::object& weights, const sc::BinningOptions& options) {
        if (codes.ndim() != 1) check::fail("codes", "expected a 1-D array");
        std::span<const std::int32_t> cs(codes.data(), static_cast<std::size_t>(codes.shape(0)));
        std::vector<double> w_keep;
        const auto ws = optional_1d(weights, "weights", w_keep);
        const auto ys = view_1d(y, "y");
        py::gil_scoped_release release;
        return sc::bin_categorical(name, cs, categories, ys, ws, options);
      },
      py::arg("name"), py::arg("codes"), py::arg("categories"), py::arg("y"), py::arg("weights"), py::arg("options"));

  m.def(
      "fit_logistic",
      [](const Eigen::Ref<const RowMatrix>& X, const DoubleArray& y, const py::object& weights, bool fit_intercept,
         double l1, double l2, int max_iterations, double tolerance) {
        const auto ys = view_1d(y, "y");
        std::vector<double> w_keep;
        const auto ws = optional_1d(weights, "weights", w_keep);
        sc::LogisticOptions o;
        o.fit_intercept = fit_intercept;
        o.l1 = l1;
        o.l2 = l2;
        o.max_iterations = max_iterations;
        o.tolerance = tolerance;
        sc::LogisticResult r;
        {
          py::gil_scoped_release release;
          r = sc::fit_logistic(X, ys, ws, o);
        }
        return result_to_dict(r);
      },
      py::arg("X"), py::arg("y"), py::arg("weights") = py::none(), py::arg("fit_intercept") = true,
      py::arg("l1") = 0.0, py::arg("l2") = 0.0, py::arg("max_iterations") = 100, py::arg("tolerance") = 1e-10);

  auto metric = [&m](const char* name, double (*f)(std::span<const double>, std::span<const double>,
                                                     std::span<const double>)) {
    m.def(
        name,
        [f](const DoubleArray& y, const DoubleArray& score, const py::object& weights) {
          const auto ys = view_1d(y, "y");
          const auto ss = view_1d(score, "score");
          std::vector<double> w_keep;
          const auto ws = optional_1d(weights, "weights", w_keep);
          py::gil_scoped_release release;
          return f(ys, ss, ws);
        },
        py::arg("y"), py::arg("score"), py::arg("weights") = py::none());
  };
  metric("auc", &sc::auc);
  metric("gini", &sc::gini);
  metric("ks", &sc::ks);
  m.def(
      "roc_curve",
      [](const DoubleArray& y, const DoubleArray& score, const py::object& weights) {
        std::vector<double> w_keep;
        const auto ws = optional_1d(weights, "weights", w_keep);
        const auto c = sc::roc_curve(view_1d(y, "y"), view_1d(score, "score"), ws);
        return py::make_tuple(c.fpr, c.tpr, c.thresholds);
      },
      py::arg("y"), py::arg("score"), py::arg("weights") = py::none());

  m.def(
      "population_stability",
      [](const DoubleArray& expected, const DoubleArray& actual, int bins, double adjustment) {
        return stability_to_dict(
            sc::population_stability(view_1d(expected, "expected"), view_1d(actual, "actual"), bins, adjustment));
      },
      py::arg("expected"), py::arg("actual"), py::arg("bins") = 10, py::arg("adjustment") = 0.5);
  m.def(
      "stability_from_counts",
      [](const DoubleArray& expected, const DoubleArray& actual, double adjustment) {
        return stability_to_dict(sc::stability_from_counts(view_1d(expected, "expected_counts"),
                                                           view_1d(actual, "actual_counts"), adjustment));
      },
      py::arg("expected_counts"), py::arg("actual_counts"), py::arg("adjustment") = 0.5);

  py::class_<sc::ScorecardModel>(m, "ScorecardModel")
      .def(py::init([](std::vector<sc::VariableBinning> variables, std::vector<double> coefficients, double intercept,
                       double pdo, double base_score, double base_odds, bool round_points) {
             sc::ScorecardModel model;
             model.variables = std::move(variables);
             model.coefficients = std::move(coefficients);
             model.intercept = intercept;
             model.scaling = {pdo, base_score, base_odds};
             model.round_points = round_points;
             model.compute_points();
             return model;
           }),
           py::arg("variables"), py::arg("coefficients"), py::arg("intercept"), py::arg("pdo"), py::arg("base_score"),
           py::arg("base_odds"), py::arg("round_points"))
      .def_property_readonly("base_points", &sc::ScorecardModel::base_points)
      .def_property_readonly("points", &sc::ScorecardModel::points)
      .def_readonly("variables", &sc::ScorecardModel::variables)
      .def_readonly("coefficients", &sc::ScorecardModel::coefficients)
      .def_readonly("intercept", &sc::ScorecardModel::intercept)
      .def_readonly("round_points", &sc::ScorecardModel::round_points)
      .def_property_readonly("scaling", [](const sc::ScorecardModel& m) {
        return py::dict(py::arg("pdo") = m.scaling.pdo, py::arg("base_score") = m.scaling.base_score,
                        py::arg("base_odds") = m.scaling.base_odds);
      })
      .def(
          "score",
          [](const sc::ScorecardModel& model, const py::dict& numeric, const py::dict& bins) {
            // Keep the arrays alive while C++ reads them without the GIL.
            std::vector<std::string> names;
            std::vector<DoubleArray> numbers;
            std::vector<Int32Array> indices;
            std::vector<sc::ColumnView> columns;
            for (const auto& [key, value] : numeric) {
              names.push_back(key.cast<std::string>());
              numbers.push_back(value.cast<DoubleArray>());
            }
            for (const auto& [key, value] : bins) {
              names.push_back(key.cast<std::string>());
              indices.push_back(value.cast<Int32Array>());
            }
            for (std::size_t i = 0; i < numbers.size(); ++i) {
              columns.push_back({names[i], view_1d(numbers[i], names[i].c_str()), {}, {}});
            }
            for (std::size_t i = 0; i < indices.size(); ++i) {
              const auto& a = indices[i];
              if (a.ndim() != 1) check::fail(names[numbers.size() + i], "expected a 1-D array of bin indices");
              columns.push_back({names[numbers.size() + i], {}, {}, {a.data(), static_cast<std::size_t>(a.shape(0))}});
            }
            sc::ScoreResult r;
            {
              py::gil_scoped_release release;
              r = model.score(columns);
            }
            return py::make_tuple(to_array(r.score),
                                  to_array(r.probability),
                                  r.unseen);
          },
          py::arg("numeric"), py::arg("bins"))
      .def("to_sql", &sc::ScorecardModel::to_sql)
      .def("to_json", [](const sc::ScorecardModel& m) { return m.to_json().dump(); })
      .def_static("from_json", [](const std::string& s) { return sc::ScorecardModel::from_json(io::parse_json(s, "scorecard")); })
      .def("save", &sc::ScorecardModel::save, py::arg("path"))
      .def_static("load", &sc::ScorecardModel::load, py::arg("path"))
      .def(py::pickle([](const sc::ScorecardModel& m) { return m.to_json().dump(); },
                      [](const std::string& s) { return sc::ScorecardModel::from_json(io::parse_json(s, "scorecard")); }));
}

}  // namespace bankquant::python
