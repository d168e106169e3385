// bankquant._core.graph, continued: cycle counts and per-transfer features (a source of its own,
// so it compiles beside graph.cpp). Conversions only.
#include "common.hpp"
#include "record.hpp"

#include "bankquant/graph/edge_features.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

namespace bankquant::python {

void init_graph_features(py::module_& m) {
  namespace gr = bankquant::graph;
  using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

  bind_result<gr::CycleCounts>(m, "CycleCounts", "Time-respecting cycles counted per edge and node (temporal_cycles.hpp).")
      .def_property_readonly("truncated", &gr::CycleCounts::truncated);
  m.def("temporal_cycle_counts", &gr::temporal_cycle_counts, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>(),
        "Counts of the cycles temporal_cycles would list: per edge, closing edge, node and in total.");

  bind_options<gr::EdgeFeatureOptions>(m, "EdgeFeatureOptions", "Options of edge_features (edge_features.hpp).");
  bind_result<gr::EdgeFeatures>(m, "EdgeFeatures", "Per-transfer features for a classifier.");
  m.def(
      "edge_features",
      [](const gr::TransactionGraph& g, const gr::EdgeFeatureOptions& o, const py::object& edges) {
        Int32Array ids;
        std::span<const std::int32_t> rows;
        if (!edges.is_none()) {
          ids = edges.cast<Int32Array>();
          if (ids.ndim() != 1) check::fail("edges", fmt::format("expected a 1-D array, got {} dimensions", ids.ndim()));
          rows = {ids.data(), static_cast<std::size_t>(ids.shape(0))};
        }
        py::gil_scoped_release release;
        return gr::edge_features(g, o, rows);
      },
      py::arg("graph"), py::arg("options"), py::arg("edges") = py::none(),
      "Rows of the given edge ids (None: all edges), from the transfers before each one.");
}

}  // namespace bankquant::python
