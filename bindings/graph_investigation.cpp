// bankquant._core.graph, investigation tools: centralities (centrality.hpp), ego networks,
// subgraphs and money paths (neighbourhood.hpp). Conversions only; a source of its own so the
// two cores compile it beside graph.cpp.
#include "bankquant/graph/centrality.hpp"
#include "bankquant/graph/neighbourhood.hpp"
#include "common.hpp"
#include "record.hpp"

namespace bankquant::python {

namespace gr = bankquant::graph;

void init_graph_investigation(py::module_& m) {
  m.attr("DIRECTIONS") = enum_names<gr::Direction>();

  bind_options<gr::BetweennessOptions>(m, "BetweennessOptions", "Options of betweenness (centrality.hpp).");
  bind_result<gr::BetweennessResult>(m, "BetweennessResult", "Betweenness of each node, and the sources counted from.");
  m.def("betweenness", &gr::betweenness, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());

  bind_options<gr::ClosenessOptions>(m, "ClosenessOptions", "Options of closeness (centrality.hpp).");
  m.def(
      "closeness",
      [](const gr::TransactionGraph& g, const gr::ClosenessOptions& o) {
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = gr::closeness(g, o);
        }
        return to_python(out);
      },
      py::arg("graph"), py::arg("options"));

  bind_options<gr::EigenvectorOptions>(m, "EigenvectorOptions", "Options of eigenvector_centrality (centrality.hpp).");
  bind_result<gr::EigenvectorResult>(m, "EigenvectorResult", "Eigenvector centrality and how the iteration ended.");
  m.def("eigenvector_centrality", &gr::eigenvector_centrality, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());

  bind_options<gr::HitsOptions>(m, "HitsOptions", "Options of hits (centrality.hpp).");
  bind_result<gr::HitsResult>(m, "HitsResult", "Hub and authority scores and how the iteration ended.");
  m.def("hits", &gr::hits, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "triangles",
      [](const gr::TransactionGraph& g) {
        std::vector<std::int64_t> out;
        {
          py::gil_scoped_release release;
          out = gr::triangles(g);
        }
        return to_python(out);
      },
      py::arg("graph"));
  m.def(
      "clustering",
      [](const gr::TransactionGraph& g) {
        std::vector<double> out;
        {
          py::gil_scoped_release release;
          out = gr::clustering(g);
        }
        return to_python(out);
      },
      py::arg("graph"));
  m.def("average_clustering", &gr::average_clustering, py::arg("graph"), py::call_guard<py::gil_scoped_release>());
  m.def("transitivity", &gr::transitivity, py::arg("graph"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::LabelPropagationOptions>(m, "LabelPropagationOptions",
                                            "Options of label_propagation (centrality.hpp).");
  bind_result<gr::LabelPropagationResult>(m, "LabelPropagationResult", "Communities by label propagation.");
  m.def("label_propagation", &gr::label_propagation, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());

  py::class_<gr::Subgraph>(m, "Subgraph", "A subgraph with the maps back to the graph (neighbourhood.hpp).")
      .def_readonly("graph", &gr::Subgraph::graph)
      .def_property_readonly(
          "nodes", [](const gr::Subgraph& s) { return to_python(s.nodes); }, "original node of each node, ascending")
      .def_property_readonly(
          "edges", [](const gr::Subgraph& s) { return to_python(s.edges); }, "original edge of each edge, ascending")
      .def_property_readonly(
          "hops", [](const gr::Subgraph& s) { return to_python(s.hops); },
          "ego networks: transfers from the centre to each node");
  bind_options<gr::EgoOptions>(m, "EgoOptions", "Options of ego_network (neighbourhood.hpp).");
  m.def("ego_network", &gr::ego_network, py::arg("graph"), py::arg("node"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
  bind_options<gr::SubgraphOptions>(m, "SubgraphOptions", "Options of subgraph (neighbourhood.hpp).");
  m.def("subgraph", &gr::subgraph, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::MoneyPathOptions>(m, "MoneyPathOptions", "Options of money_path (neighbourhood.hpp).");
  bind_result<gr::MoneyPath>(m, "MoneyPath", "The earliest-arriving time-respecting path, or why there is none.");
  m.def("money_path", &gr::money_path, py::arg("graph"), py::arg("source"), py::arg("target"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
  bind_result<gr::EarliestArrival>(m, "EarliestArrival", "Earliest arrival from one account at every other.");
  m.def("earliest_arrival", &gr::earliest_arrival, py::arg("graph"), py::arg("source"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
}

}  // namespace bankquant::python
