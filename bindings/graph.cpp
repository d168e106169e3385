// bankquant._core.graph: the transaction graph, components, PageRank.
#include "common.hpp"

#include "bankquant/graph.hpp"

namespace bankquant::python {

void init_graph(py::module_& m) {
  namespace gr = bankquant::graph;
  using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
  using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
  py::class_<gr::TransactionGraph>(m, "TransactionGraph")
      .def_static(
          "from_edges",
          [](std::size_t n, const Int32Array& src, const Int32Array& dst, const py::object& amount,
             const py::object& timestamp) {
            std::vector<double> a;
            std::vector<std::int64_t> t;
            if (!amount.is_none()) {
              const auto arr = amount.cast<DoubleArray>();
              const auto v = view_1d(arr, "amount");
              a.assign(v.begin(), v.end());
            }
            if (!timestamp.is_none()) {
              const auto arr = timestamp.cast<Int64Array>();
              t.assign(arr.data(), arr.data() + arr.size());
            }
            std::span<const std::int32_t> s(src.data(), static_cast<std::size_t>(src.size()));
            std::span<const std::int32_t> d(dst.data(), static_cast<std::size_t>(dst.size()));
            py::gil_scoped_release release;
            return gr::TransactionGraph::from_edges(n, s, d, a, t);
          },
          py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount") = py::none(),
          py::arg("timestamp") = py::none())
      .def_property_readonly("n_nodes", &gr::TransactionGraph::n_nodes)
      .def_property_readonly("n_edges", &gr::TransactionGraph::n_edges)
      .def("memory_bytes", &gr::TransactionGraph::memory_bytes)
      .def("out_degree", [](const gr::TransactionGraph& g) {
        py::array_t<std::int64_t> out(static_cast<py::ssize_t>(g.n_nodes()));
        for (std::size_t v = 0; v < g.n_nodes(); ++v) out.mutable_data()[v] = static_cast<std::int64_t>(g.out_degree(v));
        return out;
      })
      .def("in_degree", [](const gr::TransactionGraph& g) {
        py::array_t<std::int64_t> out(static_cast<py::ssize_t>(g.n_nodes()));
        for (std::size_t v = 0; v < g.n_nodes(); ++v) out.mutable_data()[v] = static_cast<std::int64_t>(g.in_degree(v));
        return out;
      });
  m.def("weakly_connected_components", [](const gr::TransactionGraph& g) {
    std::vector<std::int32_t> labels;
    {
      py::gil_scoped_release release;
      labels = gr::weakly_connected_components(g);
    }
    return py::array_t<std::int32_t>(static_cast<py::ssize_t>(labels.size()), labels.data());
  });
  m.def("strongly_connected_components", [](const gr::TransactionGraph& g) {
    std::vector<std::int32_t> labels;
    {
      py::gil_scoped_release release;
      labels = gr::strongly_connected_components(g);
    }
    return py::array_t<std::int32_t>(static_cast<py::ssize_t>(labels.size()), labels.data());
  });
  m.def(
      "pagerank",
      [](const gr::TransactionGraph& g, double damping, bool weighted, const py::object& personalization,
         double tolerance, int max_iterations) {
        gr::PageRankOptions o;
        o.damping = damping;
        o.weighted = weighted;
        o.tolerance = tolerance;
        o.max_iterations = max_iterations;
        if (!personalization.is_none()) {
          const auto arr = personalization.cast<DoubleArray>();
          const auto v = view_1d(arr, "personalization");
          o.personalization.assign(v.begin(), v.end());
        }
        gr::PageRankResult r;
        {
          py::gil_scoped_release release;
          r = gr::pagerank(g, o);
        }
        return py::make_tuple(to_array(r.scores), r.iterations, r.converged);
      },
      py::arg("graph"), py::arg("damping"), py::arg("weighted"), py::arg("personalization"), py::arg("tolerance"),
      py::arg("max_iterations"));
  m.def(
      "communities",
      [](const gr::TransactionGraph& g, const std::string& method, const std::string& objective, double resolution,
         bool weighted, std::uint64_t seed, int max_levels) {
        gr::CommunityOptions o;
        if (method == "louvain") o.method = gr::CommunityMethod::louvain;
        else if (method == "leiden") o.method = gr::CommunityMethod::leiden;
        else check::fail("method", "expected 'louvain' or 'leiden', got '" + method + "'");
        if (objective == "modularity") o.objective = gr::CommunityObjective::modularity;
        else if (objective == "cpm") o.objective = gr::CommunityObjective::cpm;
        else check::fail("objective", "expected 'modularity' or 'cpm', got '" + objective + "'");
        o.resolution = resolution;
        o.weighted = weighted;
        o.seed = seed;
        o.max_levels = max_levels;
        gr::CommunityResult r;
        {
          py::gil_scoped_release release;
          r = gr::detect_communities(g, o);
        }
        return py::make_tuple(py::array_t<std::int32_t>(static_cast<py::ssize_t>(r.labels.size()), r.labels.data()),
                              r.modularity, r.quality, r.levels);
      },
      py::arg("graph"), py::arg("method"), py::arg("objective"), py::arg("resolution"), py::arg("weighted"),
      py::arg("seed"), py::arg("max_levels"));
}

}  // namespace bankquant::python
