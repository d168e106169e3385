// bankquant._core.graph: the transaction graph and the fraud-mining algorithms.
#include "common.hpp"

#include "bankquant/graph.hpp"

namespace bankquant::python {
namespace {

using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

// A batch of edges from Python, held while the GIL is released (amount/timestamp may be None).
struct EdgeBatch {
  std::span<const std::int32_t> src, dst;
  std::vector<double> amount;
  std::vector<std::int64_t> timestamp;
  EdgeBatch(const Int32Array& s, const Int32Array& d, const py::object& a, const py::object& t)
      : src(s.data(), static_cast<std::size_t>(s.size())), dst(d.data(), static_cast<std::size_t>(d.size())) {
    if (!a.is_none()) {
      const auto arr = a.cast<DoubleArray>();
      const auto v = view_1d(arr, "amount");
      amount.assign(v.begin(), v.end());
    }
    if (!t.is_none()) {
      const auto arr = t.cast<Int64Array>();
      timestamp.assign(arr.data(), arr.data() + arr.size());
    }
  }
};

}  // namespace

void init_graph(py::module_& m) {
  namespace gr = bankquant::graph;
  py::class_<gr::TransactionGraph>(m, "TransactionGraph")
      .def_static(
          "from_edges",
          [](std::size_t n, const Int32Array& src, const Int32Array& dst, const py::object& amount,
             const py::object& timestamp) {
            const EdgeBatch b(src, dst, amount, timestamp);
            py::gil_scoped_release release;
            return gr::TransactionGraph::from_edges(n, b.src, b.dst, b.amount, b.timestamp);
          },
          py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount") = py::none(),
          py::arg("timestamp") = py::none())
      .def(
          "append_edges",
          [](gr::TransactionGraph& g, std::size_t n, const Int32Array& src, const Int32Array& dst, const py::object& amount,
             const py::object& timestamp) {
            const EdgeBatch b(src, dst, amount, timestamp);
            py::gil_scoped_release release;
            g.append_edges(n, b.src, b.dst, b.amount, b.timestamp);
          },
          py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount") = py::none(),
          py::arg("timestamp") = py::none())
      .def("edges_at",
           [](const gr::TransactionGraph& g, const Int64Array& ids) {
             const auto n = static_cast<std::size_t>(ids.size());
             py::array_t<std::int32_t> s(static_cast<py::ssize_t>(n)), d(static_cast<py::ssize_t>(n));
             py::array_t<double> a(static_cast<py::ssize_t>(n));
             py::array_t<std::int64_t> t(static_cast<py::ssize_t>(n));
             for (std::size_t k = 0; k < n; ++k) {
               const std::int64_t e = ids.data()[k];
               if (e < 0 || static_cast<std::size_t>(e) >= g.n_edges()) check::fail("edge_ids", "edge id out of range");
               const auto i = static_cast<std::size_t>(e);
               s.mutable_data()[k] = g.src()[i];
               d.mutable_data()[k] = g.dst()[i];
               a.mutable_data()[k] = g.amount()[i];
               t.mutable_data()[k] = g.timestamp()[i];
             }
             return py::make_tuple(s, d, a, t);
           })
      .def("recent_payers",
           [](const gr::TransactionGraph& g, const Int32Array& nodes, std::int64_t since) {
             // payers of the given nodes' in-edges at or after `since` (in-edges are in time order)
             std::vector<std::int32_t> out;
             for (py::ssize_t k = 0; k < nodes.size(); ++k) {
               const std::int32_t v = nodes.data()[k];
               if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("nodes", "node id out of range");
               const auto in = g.in_edges(static_cast<std::size_t>(v));
               auto it = std::lower_bound(in.begin(), in.end(), since, [&](std::int32_t e, std::int64_t x) {
                 return g.timestamp()[static_cast<std::size_t>(e)] < x;
               });
               for (; it != in.end(); ++it) out.push_back(g.src()[static_cast<std::size_t>(*it)]);
             }
             std::sort(out.begin(), out.end());
             out.erase(std::unique(out.begin(), out.end()), out.end());
             return to_int_array(out);
           })
      .def("edge_arrays",
           [](const gr::TransactionGraph& g) {
             return py::make_tuple(to_int_array(g.src()), to_int_array(g.dst()), to_array(g.amount()),
                                   to_int_array(g.timestamp()));
           })
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
  m.def(
      "temporal_cycles",
      [](const gr::TransactionGraph& g, int max_length, const py::object& window, std::size_t max_cycles,
         double time_limit, std::vector<std::int32_t> start_edges, std::int32_t min_edge_id) {
        gr::CycleOptions o;
        o.max_length = max_length;
        if (!window.is_none()) o.window = window.cast<std::int64_t>();
        o.max_cycles = max_cycles;
        o.time_limit_seconds = time_limit;
        o.start_edges = std::move(start_edges);
        o.min_edge_id = min_edge_id;
        gr::CycleResult r;
        {
          py::gil_scoped_release release;
          r = gr::temporal_cycles(g, o);
        }
        return py::make_tuple(to_int_array(r.offsets), to_int_array(r.nodes), to_int_array(r.edges), r.truncated);
      },
      py::arg("graph"), py::arg("max_length"), py::arg("window"), py::arg("max_cycles"), py::arg("time_limit"),
      py::arg("start_edges"), py::arg("min_edge_id"));
  m.def(
      "cycle_start_candidates",
      [](const gr::TransactionGraph& g, const std::vector<std::int32_t>& edges, std::int64_t window, int max_length) {
        py::gil_scoped_release release;
        return gr::cycle_start_candidates(g, edges, window, max_length);
      },
      py::arg("graph"), py::arg("edges"), py::arg("window"), py::arg("max_length"));
  m.def("core_numbers", [](const gr::TransactionGraph& g) {
    std::vector<std::int32_t> cores;
    {
      py::gil_scoped_release release;
      cores = gr::core_numbers(gr::UndirectedGraph::from(g, false));
    }
    return to_int_array(cores);
  });
  m.def(
      "modularity",
      [](const gr::TransactionGraph& g, const std::vector<std::int32_t>& labels, double resolution, bool weighted) {
        return gr::modularity(gr::UndirectedGraph::from(g, weighted), labels, resolution);
      },
      py::arg("graph"), py::arg("labels"), py::arg("resolution"), py::arg("weighted"));
  auto block_tuple = [](const gr::DenseBlock& b) {
    return py::make_tuple(to_int_array(b.payers), to_int_array(b.payees), b.density, b.weight, b.links, b.lift);
  };
  m.def(
      "dense_blocks",
      [block_tuple](const gr::TransactionGraph& g, int n_blocks, double log_offset, int min_size, double min_lift) {
        gr::DenseBlockOptions o;
        o.min_lift = min_lift;
        o.n_blocks = n_blocks;
        o.log_offset = log_offset;
        o.min_size = min_size;
        std::vector<gr::DenseBlock> blocks;
        {
          py::gil_scoped_release release;
          blocks = gr::dense_blocks(g, o);
        }
        py::list out;
        for (const auto& b : blocks) out.append(block_tuple(b));
        return out;
      },
      py::arg("graph"), py::arg("n_blocks"), py::arg("log_offset"), py::arg("min_size"), py::arg("min_lift"));
  py::class_<gr::DenseBlockDetector>(m, "DenseBlockDetector")
      .def(py::init([](std::size_t n, double log_offset, int min_size) {
             gr::DenseBlockOptions o;
             o.log_offset = log_offset;
             o.min_size = min_size;
             return gr::DenseBlockDetector(n, o);
           }),
           py::arg("n_nodes"), py::arg("log_offset"), py::arg("min_size"))
      .def("add_links",
           [block_tuple](gr::DenseBlockDetector& d, const Int32Array& payer, const Int32Array& payee) {
             std::span<const std::int32_t> p(payer.data(), static_cast<std::size_t>(payer.size()));
             std::span<const std::int32_t> q(payee.data(), static_cast<std::size_t>(payee.size()));
             gr::DenseBlock b;
             {
               py::gil_scoped_release release;
               b = d.add_links(p, q);
             }
             return block_tuple(b);
           })
      .def_property_readonly("last_repeeled", &gr::DenseBlockDetector::last_repeeled)
      .def_property_readonly("n_links", &gr::DenseBlockDetector::n_links);
  m.def(
      "resolve_entities",
      [](std::size_t n_customers, std::size_t n_identifiers, const Int32Array& customer, const Int32Array& identifier,
         std::int32_t max_customers) {
        std::span<const std::int32_t> c(customer.data(), static_cast<std::size_t>(customer.size()));
        std::span<const std::int32_t> i(identifier.data(), static_cast<std::size_t>(identifier.size()));
        gr::EntityResolutionResult r;
        {
          py::gil_scoped_release release;
          r = gr::resolve_entities(n_customers, n_identifiers, c, i, max_customers);
        }
        std::vector<std::int32_t> hub(r.hub.begin(), r.hub.end());
        return py::make_tuple(to_int_array(r.entity), to_int_array(r.customers_per_identifier), to_int_array(hub));
      },
      py::arg("n_customers"), py::arg("n_identifiers"), py::arg("customer"), py::arg("identifier"),
      py::arg("max_customers"));
  m.def(
      "detect_patterns",
      [](const gr::TransactionGraph& g, const std::vector<std::string>& typologies, std::int64_t window,
         int min_counterparties, int min_stack_length, double amount_tolerance, double min_amount, double min_burst,
         double reporting_threshold, double structuring_margin, int min_structuring_count,
         std::vector<std::int32_t> focal_nodes, std::int32_t min_edge_id, std::int64_t since) {
        gr::PatternOptions o;
        o.since = since;
        for (const auto& name : typologies) {
          bool found = false;
          for (int t = 0; t < gr::kTypologyCount; ++t) {
            if (gr::typology_name(static_cast<gr::Typology>(t)) == name) {
              o.typologies.push_back(static_cast<gr::Typology>(t));
              found = true;
            }
          }
          if (!found) check::fail("typologies", "unknown typology '" + name + "'");
        }
        o.window = window;
        o.min_counterparties = min_counterparties;
        o.min_stack_length = min_stack_length;
        o.amount_tolerance = amount_tolerance;
        o.min_amount = min_amount;
        o.min_burst = min_burst;
        o.reporting_threshold = reporting_threshold;
        o.structuring_margin = structuring_margin;
        o.min_structuring_count = min_structuring_count;
        o.focal_nodes = std::move(focal_nodes);
        o.min_edge_id = min_edge_id;
        gr::Alerts a;
        {
          py::gil_scoped_release release;
          a = gr::detect_patterns(g, o);
        }
        std::vector<std::int32_t> typ;
        for (auto t : a.typology) typ.push_back(static_cast<std::int32_t>(t));
        return py::make_tuple(to_int_array(typ), to_int_array(a.node), to_int_array(a.start), to_int_array(a.end),
                              to_array(a.amount), to_int_array(a.offsets), to_int_array(a.edges));
      },
      py::arg("graph"), py::arg("typologies"), py::arg("window"), py::arg("min_counterparties"),
      py::arg("min_stack_length"), py::arg("amount_tolerance"), py::arg("min_amount"), py::arg("min_burst"),
      py::arg("reporting_threshold"),
      py::arg("structuring_margin"), py::arg("min_structuring_count"), py::arg("focal_nodes"), py::arg("min_edge_id"),
      py::arg("since") = INT64_MIN);
  m.attr("TYPOLOGIES") = [] {
    py::list names;
    for (int t = 0; t < gr::kTypologyCount; ++t) names.append(std::string(gr::typology_name(static_cast<gr::Typology>(t))));
    return names;
  }();
  m.def(
      "max_transfers_in_window",
      [](const gr::TransactionGraph& g, std::int64_t window, bool outgoing) {
        std::vector<std::int32_t> v;
        {
          py::gil_scoped_release release;
          v = gr::max_transfers_in_window(g, window, outgoing);
        }
        return to_int_array(v);
      },
      py::arg("graph"), py::arg("window"), py::arg("outgoing"));
}

}  // namespace bankquant::python
