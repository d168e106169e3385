// bankquant._core.scorecard: conversions only. Options and results are bound from their C++
// field tables (record.hpp); a table arrives as a list of column descriptors (see Columns).
#include "common.hpp"
#include "record.hpp"

#include <list>

#include <pybind11/eigen.h>

#include "bankquant/scorecard.hpp"

namespace bankquant::python {
namespace {

namespace sc = bankquant::scorecard;

using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using UInt8Array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
using OptionalArray = std::optional<DoubleArray>;

std::span<const double> optional_view(const OptionalArray& a, const char* name) {
  return a ? view_1d(*a, name) : std::span<const double>{};
}

std::span<const std::int32_t> int_view(const Int32Array& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

// A table from Python: a list of column descriptors, each
//   ("numeric", name, float64 values)                          NaN = missing
//   ("codes", name, type, int32 codes, keys)                    pandas.factorize's form; keys are
//                                                               strings (type "text") or numbers
// The arrays and key strings are kept here while C++ reads them (without the GIL).
class Columns {
 public:
  explicit Columns(const py::list& descriptors) {
    names_.reserve(py::len(descriptors));
    for (py::handle d : descriptors) {
      const auto t = py::reinterpret_borrow<py::tuple>(d);
      names_.push_back(t[1].cast<std::string>());
    }
    for (std::size_t j = 0; j < names_.size(); ++j) {
      const auto t = py::reinterpret_borrow<py::tuple>(descriptors[j]);
      const auto kind = t[0].cast<std::string>();
      sc::ColumnView c;
      c.name = names_[j];
      if (kind == "numeric") {
        numbers_.push_back(t[2].cast<DoubleArray>());
        c.numbers = view_1d(numbers_.back(), names_[j].c_str());
      } else {
        c.categorical = true;
        c.type = enum_from_name<sc::CategoryType>(t[2].cast<std::string>(), "type");
        codes_.push_back(t[3].cast<Int32Array>());
        c.codes = int_view(codes_.back(), names_[j].c_str());
        if (c.type == sc::CategoryType::text) {
          keys_.push_back(t[4].cast<std::vector<std::string>>());
          c.keys = keys_.back();
        } else {
          numbers_.push_back(t[4].cast<DoubleArray>());
          c.number_keys = view_1d(numbers_.back(), names_[j].c_str());
        }
      }
      views_.push_back(c);
    }
  }
  [[nodiscard]] const std::vector<sc::ColumnView>& views() const { return views_; }

 private:
  std::vector<std::string> names_;
  std::list<DoubleArray> numbers_;
  std::list<Int32Array> codes_;
  std::list<std::vector<std::string>> keys_;
  std::vector<sc::ColumnView> views_;
};

void bind_binning(py::module_& m) {
  bind_result<sc::BinCounts>(m, "BinCounts", "Weighted counts of a bin (bankquant/scorecard/woe.hpp).");
  bind_result<sc::Bin>(m, "Bin", "One bin of a binning (bankquant/scorecard/binning.hpp).")
      .def_property_readonly("label", &sc::Bin::label);
  bind_options<sc::BinningOptions>(m, "BinningOptions", "Options of the binning of one characteristic.");
  bind_options<sc::VariableOptions>(m, "VariableOptions", "Binning options of one column.");
  bind_options<sc::SelectionOptions>(m, "SelectionOptions", "Selection criteria of a binning process.");
  bind_options<sc::BinningProcessOptions>(m, "BinningProcessOptions", "Options of the binning of a table.");

  py::class_<sc::VariableBinning>(m, "VariableBinning", "A fitted binning of one characteristic.")
      .def_readonly("name", &sc::VariableBinning::name)
      .def_readonly("categorical", &sc::VariableBinning::categorical)
      .def_property_readonly("category_type", [](const sc::VariableBinning& b) { return to_python(b.category_type); })
      .def_property_readonly("target", [](const sc::VariableBinning& b) { return to_python(b.target); })
      .def_readonly("bins", &sc::VariableBinning::bins)
      .def_readonly("total", &sc::VariableBinning::total)
      .def_readonly("woe_adjustment", &sc::VariableBinning::woe_adjustment)
      .def_readonly("total_iv", &sc::VariableBinning::total_iv)
      .def_readonly("missing_share", &sc::VariableBinning::missing_share)
      .def_readonly("largest_value_share", &sc::VariableBinning::largest_value_share)
      .def_readonly("separates", &sc::VariableBinning::separates)
      .def_readonly("method", &sc::VariableBinning::method)
      .def_readonly("status", &sc::VariableBinning::status)
      .def_property_readonly("fine_cuts", [](const sc::VariableBinning& b) { return to_array(b.fine_cuts); })
      .def_readonly("fine_categories", &sc::VariableBinning::fine_categories)
      .def_readonly("fine_counts", &sc::VariableBinning::fine_counts)
      .def("cut_points", &sc::VariableBinning::cut_points)
      .def("missing_bin", [](const sc::VariableBinning& b) {
        return b.missing_bin() == sc::VariableBinning::npos ? -1 : static_cast<std::int64_t>(b.missing_bin());
      })
      .def("regular_bins", &sc::VariableBinning::regular_bins)
      .def("to_json", [](const sc::VariableBinning& b) { return b.to_json().dump(); })
      .def_static("from_json",
                  [](const std::string& s) { return sc::VariableBinning::from_json(io::parse_json(s, "binning")); })
      .def("__repr__", [](const sc::VariableBinning& b) {
        return fmt::format("VariableBinning(name='{}', bins={}, iv={:.4f}, method='{}')", b.name, b.bins.size(),
                           b.total_iv, b.method);
      })
      .def(py::pickle([](const sc::VariableBinning& b) { return b.to_json().dump(); },
                      [](const std::string& s) { return sc::VariableBinning::from_json(io::parse_json(s, "binning")); }));

  bind_result<sc::BinningProcessResult>(m, "BinningProcessResult", "The binning of every column of a table.");
  bind_result<sc::TableTransform>(m, "TableTransform", "WoE (or bin index) of every value, variables x rows.");
  m.def(
      "bin_table",
      [](const py::list& columns, const DoubleArray& y, const OptionalArray& weights,
         const sc::BinningProcessOptions& options) {
        const Columns c(columns);
        const auto ys = view_1d(y, "y");
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::bin_table(c.views(), ys, ws, options); });
      },
      py::arg("columns"), py::arg("y"), py::arg("weights"), py::arg("options"));
  m.def(
      "transform_table",
      [](const std::vector<sc::VariableBinning>& binnings, const py::list& columns, const std::string& metric) {
        const Columns c(columns);
        const auto mt = enum_from_name<sc::TransformMetric>(metric, "metric");
        return released([&] { return sc::transform_table(binnings, c.views(), mt); });
      },
      py::arg("binnings"), py::arg("columns"), py::arg("metric"));
  m.def("binning_quality", &sc::binning_quality, py::arg("binning"));
  bind_result<sc::BinRates>(m, "BinRates", "Derived columns of one row of a binning table.");
  m.def("bin_rates", &sc::bin_rates, py::arg("binning"));
  bind_result<sc::PrebinCounts>(m, "PrebinCounts",
                                "Counts per fixed pre-bin of one part of a sample: parts merge (bankquant/scorecard/binning.hpp).");
  m.def(
      "count_prebins",
      [](const DoubleArray& x, const DoubleArray& y, const OptionalArray& weights, const DoubleArray& cuts,
         const sc::BinningOptions& options) {
        const auto xs = view_1d(x, "x"), ys = view_1d(y, "y"), cs = view_1d(cuts, "cuts");
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::count_prebins(xs, ys, ws, cs, options); });
      },
      py::arg("x"), py::arg("y"), py::arg("weights"), py::arg("cuts"), py::arg("options"));
  m.def(
      "merge_prebin_counts",
      [](const std::vector<sc::PrebinCounts>& counts) { return released([&] { return sc::merge_prebin_counts(counts); }); },
      py::arg("counts"));
  m.def("bin_prebins", &sc::bin_prebins, py::arg("name"), py::arg("counts"), py::arg("options"));
  m.def("with_breaks", [](const sc::VariableBinning& b, const DoubleArray& breaks) {
    return sc::with_breaks(b, view_1d(breaks, "breaks"));
  }, py::arg("binning"), py::arg("breaks"));
  m.def("with_groups", &sc::with_groups, py::arg("binning"), py::arg("groups"));
  m.def("merge_bins", &sc::merge_bins, py::arg("binning"), py::arg("bin"));
  m.def("split_bin_at", py::overload_cast<const sc::VariableBinning&, std::size_t, double>(&sc::split_bin),
        py::arg("binning"), py::arg("bin"), py::arg("at"));
  m.def("split_bin_categories",
        py::overload_cast<const sc::VariableBinning&, std::size_t, const std::vector<std::string>&>(&sc::split_bin),
        py::arg("binning"), py::arg("bin"), py::arg("categories"));
}

void bind_model(py::module_& m) {
  bind_options<sc::LogisticOptions>(m, "LogisticOptions", "Options of the logistic regression.");
  bind_result<sc::LogisticResult>(m, "LogisticResult", "A fitted logistic regression.");
  m.def(
      "fit_logistic",
      [](const Eigen::Ref<const RowMatrix>& X, const DoubleArray& y, const OptionalArray& weights,
         const sc::LogisticOptions& options) {
        const auto ys = view_1d(y, "y");
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::fit_logistic(X, ys, ws, options); });
      },
      py::arg("X"), py::arg("y"), py::arg("weights"), py::arg("options"));
  m.def("linear_predictor", &sc::linear_predictor, py::arg("X"), py::arg("coefficients"), py::arg("fit_intercept"),
        py::call_guard<py::gil_scoped_release>());
  m.def("predict_probability", &sc::predict_probability, py::arg("X"), py::arg("coefficients"),
        py::arg("fit_intercept"), py::call_guard<py::gil_scoped_release>());

  bind_options<sc::ScreeningOptions>(m, "ScreeningOptions", "Limits of the screening of characteristics.");
  bind_result<sc::ScreeningResult>(m, "ScreeningResult", "Which characteristics passed the screening, and why not.");
  bind_options<sc::StepwiseOptions>(m, "StepwiseOptions", "Options of stepwise selection.");
  bind_result<sc::StepwiseStep>(m, "StepwiseStep", "One step of stepwise selection.");
  bind_result<sc::StepwiseResult>(m, "StepwiseResult", "The stepwise search.");
  m.def(
      "screen",
      [](const std::vector<sc::VariableBinning>& binnings, const Eigen::Ref<const RowMatrix>& values,
         const OptionalArray& weights, const sc::ScreeningOptions& options) {
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::screen(binnings, values, ws, options); });
      },
      py::arg("binnings"), py::arg("values"), py::arg("weights"), py::arg("options"));
  m.def(
      "variance_inflation",
      [](const Eigen::Ref<const RowMatrix>& values, const OptionalArray& weights) {
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::variance_inflation(values, ws); });
      },
      py::arg("values"), py::arg("weights"));
  m.def(
      "stepwise",
      [](const Eigen::Ref<const RowMatrix>& X, const DoubleArray& y, const OptionalArray& weights,
         const sc::StepwiseOptions& options, const std::vector<std::size_t>& start) {
        const auto ys = view_1d(y, "y");
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::stepwise(X, ys, ws, options, start); });
      },
      py::arg("X"), py::arg("y"), py::arg("weights"), py::arg("options"), py::arg("start"));

  bind_options<sc::Scaling>(m, "Scaling", "Points scaling: pdo, base_score, base_odds.")
      .def("event_probability", [](const sc::Scaling& s, const DoubleArray& score) {
        return to_python(s.event_probability(view_1d(score, "score")));
      }, py::arg("score"));
  bind_result<sc::ScoreResult>(m, "ScoreResult", "Scores and probabilities of a table.");
  bind_options<sc::ReasonOptions>(m, "ReasonOptions", "Options of reason codes.");
  bind_result<sc::ReasonCodes>(m, "ReasonCodes", "Reason codes, rows x reasons.");
  bind_options<sc::CounterfactualOptions>(m, "CounterfactualOptions", "Options of counterfactual reasons.");
  bind_result<sc::CounterfactualChange>(m, "CounterfactualChange", "One change of a counterfactual.");
  bind_result<sc::Counterfactual>(m, "Counterfactual", "The smallest change that reaches the target score.");
  py::class_<sc::ScorecardModel>(m, "ScorecardModel", "A scorecard ready to score (bankquant/scorecard/scorecard.hpp).")
      .def_readonly("variables", &sc::ScorecardModel::variables)
      .def_readonly("candidates", &sc::ScorecardModel::candidates)
      .def_readonly("coefficients", &sc::ScorecardModel::coefficients)
      .def_readonly("intercept", &sc::ScorecardModel::intercept)
      .def_readonly("scaling", &sc::ScorecardModel::scaling)
      .def_readonly("round_points", &sc::ScorecardModel::round_points)
      .def_property_readonly("logistic", [](const sc::ScorecardModel& c) { return to_python(c.logistic); })
      .def_property_readonly("metadata", [](const sc::ScorecardModel& c) { return c.metadata.dump(); })
      .def_property_readonly("base_points", &sc::ScorecardModel::base_points)
      .def_property_readonly("points", &sc::ScorecardModel::points)
      .def(
          "with_metadata",
          [](const sc::ScorecardModel& c, const std::string& json) {
            sc::ScorecardModel out = c;
            out.metadata = io::parse_json(json, "metadata");
            return out;
          },
          py::arg("json"))
      .def(
          "score",
          [](const sc::ScorecardModel& c, const py::list& columns) {
            const Columns cols(columns);
            return released([&] { return c.score(cols.views()); });
          },
          py::arg("columns"))
      .def(
          "bin_indices",
          [](const sc::ScorecardModel& c, const py::list& columns) {
            const Columns cols(columns);
            return to_python(released([&] { return c.bin_indices(cols.views()); }));
          },
          py::arg("columns"))
      .def(
          "reason_codes",
          [](const sc::ScorecardModel& c, const py::list& columns, const sc::ReasonOptions& o) {
            const Columns cols(columns);
            return released([&] { return c.reason_codes(cols.views(), o); });
          },
          py::arg("columns"), py::arg("options"))
      .def(
          "counterfactuals",
          [](const sc::ScorecardModel& c, const py::list& columns, const sc::CounterfactualOptions& o) {
            const Columns cols(columns);
            return to_python(released([&] { return c.counterfactuals(cols.views(), o); }));
          },
          py::arg("columns"), py::arg("options"))
      .def("to_sql", &sc::ScorecardModel::to_sql)
      .def("to_json", [](const sc::ScorecardModel& c) { return c.to_json().dump(); })
      .def_static(
          "from_json",
          [](const std::string& s, int schema_version) {
            return sc::ScorecardModel::from_json(io::parse_json(s, "scorecard"), schema_version);
          },
          py::arg("text"), py::arg("schema_version") = sc::ScorecardModel::kSchemaVersion)
      .def_property_readonly_static("schema_version", [](py::object) { return sc::ScorecardModel::kSchemaVersion; })
      .def("save", &sc::ScorecardModel::save, py::arg("path"))
      .def_static("load", &sc::ScorecardModel::load, py::arg("path"))
      .def(py::pickle([](const sc::ScorecardModel& c) { return c.to_json().dump(); },
                      [](const std::string& s) { return sc::ScorecardModel::from_json(io::parse_json(s, "scorecard")); }));
  bind_options<sc::ScorecardOptions>(m, "ScorecardOptions", "Options of the whole scorecard fit.");
  bind_result<sc::ScorecardFit>(m, "ScorecardFit", "A fitted scorecard with its binning, screening and selection.");
  m.def(
      "fit_scorecard",
      [](const py::list& columns, const DoubleArray& y, const OptionalArray& weights, const sc::ScorecardOptions& o) {
        const Columns c(columns);
        const auto ys = view_1d(y, "y");
        const auto ws = optional_view(weights, "sample_weight");
        return released([&] { return sc::fit_scorecard(c.views(), ys, ws, o); });
      },
      py::arg("columns"), py::arg("y"), py::arg("weights"), py::arg("options"));
}

void bind_metrics(py::module_& m) {
  auto direction = [](const std::string& d) { return enum_from_name<sc::ScoreDirection>(d, "higher_is_safer"); };
  using Metric = double (*)(std::span<const double>, std::span<const double>, std::span<const double>,
                            sc::ScoreDirection);
  for (const auto& [name, f] : {std::pair<const char*, Metric>{"auc", &sc::auc}, {"gini", &sc::gini}, {"ks", &sc::ks}}) {
    m.def(
        name,
        [f, direction](const DoubleArray& y, const DoubleArray& score, const OptionalArray& weights,
                       const std::string& d) {
          const auto ys = view_1d(y, "y");
          const auto ss = view_1d(score, "score");
          const auto ws = optional_view(weights, "sample_weight");
          const auto dir = direction(d);
          return released([&] { return f(ys, ss, ws, dir); });
        },
        py::arg("y"), py::arg("score"), py::arg("weights"), py::arg("direction"));
  }
  bind_result<sc::RocCurve>(m, "RocCurve", "ROC curve, riskiest first.");
  m.def(
      "roc_curve",
      [direction](const DoubleArray& y, const DoubleArray& score, const OptionalArray& weights, const std::string& d) {
        return sc::roc_curve(view_1d(y, "y"), view_1d(score, "score"), optional_view(weights, "sample_weight"),
                             direction(d));
      },
      py::arg("y"), py::arg("score"), py::arg("weights"), py::arg("direction"));
  bind_options<sc::GainsOptions>(m, "GainsOptions", "Options of the gains table.");
  bind_result<sc::GainsBand>(m, "GainsBand", "One band of a gains table.");
  bind_result<sc::GainsTable>(m, "GainsTable", "Gains and lift by score band, riskiest first.");
  m.def(
      "gains_table",
      [](const DoubleArray& y, const DoubleArray& score, const OptionalArray& weights, const sc::GainsOptions& o) {
        return sc::gains_table(view_1d(y, "y"), view_1d(score, "score"), optional_view(weights, "sample_weight"), o);
      },
      py::arg("y"), py::arg("score"), py::arg("weights"), py::arg("options"));
  bind_options<sc::HosmerLemeshowOptions>(m, "HosmerLemeshowOptions", "Options of the Hosmer-Lemeshow test.");
  bind_result<sc::HosmerLemeshowGroup>(m, "HosmerLemeshowGroup", "One group of the Hosmer-Lemeshow test.");
  bind_result<sc::HosmerLemeshowResult>(m, "HosmerLemeshowResult", "The Hosmer-Lemeshow calibration test.");
  m.def(
      "hosmer_lemeshow",
      [](const DoubleArray& y, const DoubleArray& p, const OptionalArray& weights, const sc::HosmerLemeshowOptions& o) {
        return sc::hosmer_lemeshow(view_1d(y, "y"), view_1d(p, "probability"), optional_view(weights, "sample_weight"), o);
      },
      py::arg("y"), py::arg("probability"), py::arg("weights"), py::arg("options"));
}

void bind_monitoring(py::module_& m) {
  bind_options<sc::StabilityOptions>(m, "StabilityOptions", "Options of PSI/CSI.");
  bind_result<sc::StabilityBin>(m, "StabilityBin", "One bin of a stability index.");
  bind_result<sc::StabilityResult>(m, "StabilityResult", "A population or characteristic stability index.");
  m.def(
      "population_stability",
      [](const DoubleArray& expected, const DoubleArray& actual, const sc::StabilityOptions& o) {
        return sc::population_stability(view_1d(expected, "expected"), view_1d(actual, "actual"), o);
      },
      py::arg("expected"), py::arg("actual"), py::arg("options"));
  m.def(
      "stability_from_counts",
      [](const DoubleArray& expected, const DoubleArray& actual, const sc::StabilityOptions& o) {
        return sc::stability_from_counts(view_1d(expected, "expected_counts"), view_1d(actual, "actual_counts"), o);
      },
      py::arg("expected_counts"), py::arg("actual_counts"), py::arg("options"));
  m.def(
      "characteristic_stability",
      [](const sc::VariableBinning& b, const Int32Array& e, const Int32Array& a, const sc::StabilityOptions& o) {
        return sc::characteristic_stability(b, int_view(e, "X_expected"), int_view(a, "X_actual"), o);
      },
      py::arg("binning"), py::arg("expected_bins"), py::arg("actual_bins"), py::arg("options"));
  m.def(
      "population_stability_by_period",
      [](const DoubleArray& e, const DoubleArray& a, const Int32Array& period, int n, const sc::StabilityOptions& o) {
        return sc::population_stability_by_period(view_1d(e, "expected"), view_1d(a, "actual"), int_view(period, "period"),
                                                  n, o);
      },
      py::arg("expected"), py::arg("actual"), py::arg("period"), py::arg("n_periods"), py::arg("options"));
  m.def(
      "characteristic_stability_by_period",
      [](const sc::VariableBinning& b, const Int32Array& e, const Int32Array& a, const Int32Array& period, int n,
         const sc::StabilityOptions& o) {
        return sc::characteristic_stability_by_period(b, int_view(e, "X_expected"), int_view(a, "X_actual"),
                                                      int_view(period, "period"), n, o);
      },
      py::arg("binning"), py::arg("expected_bins"), py::arg("actual_bins"), py::arg("period"), py::arg("n_periods"),
      py::arg("options"));
  bind_options<sc::EventRateTestOptions>(m, "EventRateTestOptions", "Options of the per-bin event-rate tests.");
  bind_result<sc::BinEventRateTest>(m, "BinEventRateTest", "The event-rate test of one bin.");
  bind_result<sc::EventRateTestResult>(m, "EventRateTestResult", "Per-bin event-rate tests of a characteristic.");
  m.def(
      "event_rate_tests",
      [](const sc::VariableBinning& b, const Int32Array& e_bins, const DoubleArray& e_y, const OptionalArray& e_w,
         const Int32Array& a_bins, const DoubleArray& a_y, const OptionalArray& a_w, const sc::EventRateTestOptions& o) {
        return sc::event_rate_tests(b, int_view(e_bins, "X_expected"), view_1d(e_y, "y_expected"),
                                    optional_view(e_w, "sample_weight_expected"), int_view(a_bins, "X_actual"),
                                    view_1d(a_y, "y_actual"), optional_view(a_w, "sample_weight_actual"), o);
      },
      py::arg("binning"), py::arg("expected_bins"), py::arg("expected_y"), py::arg("expected_weights"),
      py::arg("actual_bins"), py::arg("actual_y"), py::arg("actual_weights"), py::arg("options"));
}

void bind_strategy(py::module_& m) {
  bind_options<sc::CutoffOptions>(m, "CutoffOptions", "Options of the cutoff analysis.");
  bind_result<sc::CutoffRow>(m, "CutoffRow", "One cutoff of the analysis.");
  bind_result<sc::CutoffAnalysis>(m, "CutoffAnalysis", "Approval, bad rate and profit by cutoff.");
  m.def(
      "cutoff_analysis",
      [](const DoubleArray& score, const DoubleArray& bad, const sc::CutoffOptions& o) {
        return sc::cutoff_analysis(view_1d(score, "score"), view_1d(bad, "y"), o);
      },
      py::arg("score"), py::arg("bad"), py::arg("options"));
  bind_options<sc::DecisionOptions>(m, "DecisionOptions", "Score bands of the decisions.");
  bind_result<sc::DecisionResult>(m, "DecisionResult", "Decision of each applicant.");
  m.def(
      "decision_bands",
      [](const DoubleArray& score, const std::vector<UInt8Array>& policy, const sc::DecisionOptions& o) {
        std::vector<std::vector<std::uint8_t>> masks;
        for (const auto& p : policy) masks.emplace_back(p.data(), p.data() + p.size());
        return sc::decision_bands(view_1d(score, "score"), masks, o);
      },
      py::arg("score"), py::arg("policy"), py::arg("options"));
  bind_options<sc::MasterScale>(m, "MasterScale", "A rating master scale.")
      .def("grade", [](const sc::MasterScale& s, const DoubleArray& pd) { return to_python(s.grade(view_1d(pd, "pd_values"))); },
           py::arg("pd"));
  bind_options<sc::RejectInferenceOptions>(m, "RejectInferenceOptions", "Options of reject inference.");
  bind_result<sc::RejectInferenceResult>(m, "RejectInferenceResult", "The rows of the augmented sample.");
  m.def(
      "reject_inference",
      [](const DoubleArray& accepted_score, const DoubleArray& accepted_y, const DoubleArray& rejected_score,
         const DoubleArray& rejected_probability, const sc::RejectInferenceOptions& o) {
        return sc::reject_inference(view_1d(accepted_score, "X_accepted"), view_1d(accepted_y, "y_accepted"),
                                    view_1d(rejected_score, "X_rejected"), view_1d(rejected_probability, "X_rejected"), o);
      },
      py::arg("accepted_score"), py::arg("accepted_y"), py::arg("rejected_score"), py::arg("rejected_probability"),
      py::arg("options"));
  m.attr("SAMPLE_SOURCES") = enum_names<sc::SampleSource>();
  m.attr("DECISIONS") = enum_names<sc::Decision>();
}

}  // namespace

void init_scorecard(py::module_& m) {
  bind_binning(m);
  bind_model(m);
  bind_metrics(m);
  bind_monitoring(m);
  bind_strategy(m);
}

}  // namespace bankquant::python
