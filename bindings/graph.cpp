// bankquant._core.graph: the transaction graph and the fraud-mining algorithms. Conversions only:
// Options and Results are bound once from their C++ field tables (record.hpp).
#include "common.hpp"
#include "record.hpp"

#include "bankquant/graph.hpp"

namespace bankquant::python {
namespace {

namespace gr = bankquant::graph;

using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

template <typename T>
std::span<const T> view(const py::array_t<T, py::array::c_style | py::array::forcecast>& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

// A batch of edges from Python, held while the GIL is released (amount/timestamp may be None).
struct EdgeBatch {
  Int32Array src_array, dst_array;
  DoubleArray amount_array;
  Int64Array time_array;
  std::span<const std::int32_t> src, dst;
  std::span<const double> amount;
  std::span<const std::int64_t> timestamp;
  EdgeBatch(Int32Array s, Int32Array d, const py::object& a, const py::object& t)
      : src_array(std::move(s)), dst_array(std::move(d)) {
    src = view(src_array, "src");
    dst = view(dst_array, "dst");
    if (!a.is_none()) {
      amount_array = a.cast<DoubleArray>();
      amount = view_1d(amount_array, "amount");
    }
    if (!t.is_none()) {
      time_array = t.cast<Int64Array>();
      timestamp = view(time_array, "timestamp");
    }
  }
};

template <typename T>
std::optional<T> optional_record(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  return value.cast<T>();
}

}  // namespace

void init_graph(py::module_& m) {
  py::class_<gr::TransactionGraph>(m, "TransactionGraph", "A directed multigraph of transfers (transaction_graph.hpp).")
      .def_static(
          "from_edges",
          [](std::size_t n, Int32Array src, Int32Array dst, const py::object& amount, const py::object& timestamp) {
            const EdgeBatch b(std::move(src), std::move(dst), amount, timestamp);
            py::gil_scoped_release release;
            return gr::TransactionGraph::from_edges(n, b.src, b.dst, b.amount, b.timestamp);
          },
          py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount") = py::none(),
          py::arg("timestamp") = py::none())
      .def(
          "append_edges",
          [](gr::TransactionGraph& g, std::size_t n, Int32Array src, Int32Array dst, const py::object& amount,
             const py::object& timestamp) {
            const EdgeBatch b(std::move(src), std::move(dst), amount, timestamp);
            py::gil_scoped_release release;
            g.append_edges(n, b.src, b.dst, b.amount, b.timestamp);
          },
          py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount") = py::none(),
          py::arg("timestamp") = py::none())
      .def("__copy__", [](const gr::TransactionGraph& g) { return gr::TransactionGraph(g); })
      .def_property_readonly("n_nodes", &gr::TransactionGraph::n_nodes)
      .def_property_readonly("n_edges", &gr::TransactionGraph::n_edges)
      .def("memory_bytes", &gr::TransactionGraph::memory_bytes);

  bind_result<gr::EdgeTable>(m, "EdgeTable", "Edges of a graph, column by column.");
  bind_result<gr::PairTable>(m, "PairTable", "One row per ordered pair with transfers.");
  m.def(
      "edge_table",
      [](const gr::TransactionGraph& g, const Int64Array& ids) { return gr::edge_table(g, view(ids, "edge_ids")); },
      py::arg("graph"), py::arg("edge_ids"));
  m.def("all_edges", &gr::all_edges, py::arg("graph"), py::call_guard<py::gil_scoped_release>());
  m.def("out_degrees", [](const gr::TransactionGraph& g) { return to_python(gr::out_degrees(g)); }, py::arg("graph"));
  m.def("in_degrees", [](const gr::TransactionGraph& g) { return to_python(gr::in_degrees(g)); }, py::arg("graph"));
  m.def("aggregate_pairs", &gr::aggregate_pairs, py::arg("graph"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "weakly_connected_components",
      [](const gr::TransactionGraph& g) {
        std::vector<std::int32_t> out;
        {
          py::gil_scoped_release release;
          out = gr::weakly_connected_components(g);
        }
        return to_python(out);
      },
      py::arg("graph"));
  m.def(
      "strongly_connected_components",
      [](const gr::TransactionGraph& g) {
        std::vector<std::int32_t> out;
        {
          py::gil_scoped_release release;
          out = gr::strongly_connected_components(g);
        }
        return to_python(out);
      },
      py::arg("graph"));
  m.def(
      "core_numbers",
      [](const gr::TransactionGraph& g) {
        std::vector<std::int32_t> out;
        {
          py::gil_scoped_release release;
          out = gr::core_numbers(g);
        }
        return to_python(out);
      },
      py::arg("graph"));

  bind_options<gr::HubOptions>(m, "HubOptions", "Options of find_hubs (hubs.hpp).");
  bind_result<gr::HubResult>(m, "HubResult", "Distinct counterparties and hub flags per node.");
  m.def("find_hubs", &gr::find_hubs, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::PageRankOptions>(m, "PageRankOptions", "Options of pagerank (pagerank.hpp).");
  bind_result<gr::PageRankResult>(m, "PageRankResult", "PageRank scores and how the iteration ended.");
  m.def("pagerank", &gr::pagerank, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::CommunityOptions>(m, "CommunityOptions", "Options of Louvain and Leiden (community.hpp).");
  bind_result<gr::CommunityResult>(m, "CommunityResult", "Communities found by Louvain or Leiden.");
  m.def("detect_communities", &gr::detect_communities, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
  m.def(
      "modularity",
      [](const gr::TransactionGraph& g, const Int32Array& labels, double resolution, bool weighted) {
        const auto l = view(labels, "labels");
        py::gil_scoped_release release;
        return gr::modularity(g, l, resolution, weighted);
      },
      py::arg("graph"), py::arg("labels"), py::arg("resolution"), py::arg("weighted"));

  bind_options<gr::RingOptions>(m, "RingOptions", "Options of community_alerts (community_alerts.hpp).");
  bind_result<gr::CommunitySummary>(m, "CommunitySummary", "Per community: size, transfers and amounts.");
  m.def(
      "community_summary",
      [](const gr::TransactionGraph& g, const Int32Array& labels, const Int32Array& fraud) {
        const auto l = view(labels, "communities");
        const auto f = view(fraud, "fraud");
        py::gil_scoped_release release;
        return gr::community_summary(g, l, f);
      },
      py::arg("graph"), py::arg("labels"), py::arg("fraud"));
  m.def(
      "community_alerts",
      [](const gr::TransactionGraph& g, const Int32Array& labels, const gr::RingOptions& o) {
        const auto l = view(labels, "communities");
        py::gil_scoped_release release;
        return gr::community_alerts(g, l, o);
      },
      py::arg("graph"), py::arg("labels"), py::arg("options"));
  bind_options<gr::RingSearchOptions>(m, "RingSearchOptions", "Options of find_rings (community_alerts.hpp).");
  m.def("find_rings", &gr::find_rings, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  bind_result<gr::AlertList>(m, "AlertList", "Alerts with scores, reasons and witnesses (alerts.hpp).")
      .def("__len__", &gr::AlertList::size);
  bind_options<gr::RankOptions>(m, "RankOptions", "Options of rank_alerts (alerts.hpp).");
  m.def("rank_alerts", &gr::rank_alerts, py::arg("alerts"), py::arg("options"), py::call_guard<py::gil_scoped_release>());
  m.attr("TYPOLOGIES") = enum_names<gr::Typology>();

  bind_options<gr::DenseBlockOptions>(m, "DenseBlockOptions", "Options of dense_blocks (dense_blocks.hpp).");
  bind_result<gr::DenseBlock>(m, "DenseBlock", "A dense payer->payee block (FRAUDAR).");
  bind_result<gr::DenseBlocksResult>(m, "DenseBlocksResult", "Dense blocks, densest first.");
  m.def("dense_blocks", &gr::dense_blocks, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());
  m.def(
      "block_alerts",
      [](const gr::TransactionGraph& g, const py::handle& blocks) {  // a DenseBlocksResult, or a dict of its fields
        const auto b = from_python<gr::DenseBlocksResult>(blocks, "blocks");
        py::gil_scoped_release release;
        return gr::block_alerts(g, b);
      },
      py::arg("graph"), py::arg("blocks"));
  py::class_<gr::DenseBlockDetector>(m, "DenseBlockDetector", "Incremental FRAUDAR (dense_blocks.hpp).")
      .def(py::init<std::size_t, gr::DenseBlockOptions>(), py::arg("n_nodes"), py::arg("options"))
      .def(
          "add_links",
          [](gr::DenseBlockDetector& d, const Int32Array& payer, const Int32Array& payee) {
            const auto p = view(payer, "payers");
            const auto q = view(payee, "payees");
            py::gil_scoped_release release;
            return d.add_links(p, q);
          },
          py::arg("payers"), py::arg("payees"))
      .def_property_readonly("densest", &gr::DenseBlockDetector::densest)
      .def_property_readonly("last_repeeled", &gr::DenseBlockDetector::last_repeeled)
      .def_property_readonly("n_links", &gr::DenseBlockDetector::n_links);

  bind_options<gr::EntityResolutionOptions>(m, "EntityResolutionOptions", "Options of resolve_entities.");
  bind_result<gr::EntityResolutionResult>(m, "EntityResolutionResult", "Entities of customers sharing identifiers.");
  m.def(
      "resolve_entities",
      [](std::size_t n_customers, std::size_t n_identifiers, const Int32Array& customer, const Int32Array& identifier,
         const gr::EntityResolutionOptions& o) {
        const auto c = view(customer, "customer");
        const auto i = view(identifier, "identifier");
        py::gil_scoped_release release;
        return gr::resolve_entities(n_customers, n_identifiers, c, i, o);
      },
      py::arg("n_customers"), py::arg("n_identifiers"), py::arg("customer"), py::arg("identifier"), py::arg("options"));

  bind_options<gr::CycleOptions>(m, "CycleOptions", "Options of temporal_cycles (temporal_cycles.hpp).");
  bind_result<gr::CycleResult>(m, "CycleResult", "Cycles found, and whether the search was complete.")
      .def_property_readonly("truncated", &gr::CycleResult::truncated)
      .def_property_readonly("count", &gr::CycleResult::count);
  m.def("temporal_cycles", &gr::temporal_cycles, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
  m.def("cycle_alerts", &gr::cycle_alerts, py::arg("graph"), py::arg("cycles"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::PatternOptions>(m, "PatternOptions", "Options of detect_patterns (typologies.hpp).");
  bind_result<gr::PatternResult>(m, "PatternResult", "Typology alerts.");
  m.def("detect_patterns", &gr::detect_patterns, py::arg("graph"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());

  bind_options<gr::ScreeningOptions>(m, "ScreeningOptions", "Options of screen (screening.hpp).");
  bind_result<gr::ScreeningResult>(m, "ScreeningResult", "The ranked alerts of a graph.");
  m.def("screen", &gr::screen, py::arg("graph"), py::arg("options"), py::call_guard<py::gil_scoped_release>());

  bind_options<gr::StreamingOptions>(m, "StreamingOptions", "Options of append_and_detect (streaming.hpp).");
  bind_result<gr::StreamingUpdate>(m, "StreamingUpdate", "Alerts a batch created.");
  m.def(
      "append_and_detect",
      [](gr::TransactionGraph& g, std::size_t n, Int32Array src, Int32Array dst, const py::object& amount,
         const py::object& timestamp, const gr::StreamingOptions& o) {
        const EdgeBatch b(std::move(src), std::move(dst), amount, timestamp);
        py::gil_scoped_release release;
        return gr::append_and_detect(g, n, b.src, b.dst, b.amount, b.timestamp, o);
      },
      py::arg("graph"), py::arg("n_nodes"), py::arg("src"), py::arg("dst"), py::arg("amount"), py::arg("timestamp"),
      py::arg("options"));

  bind_options<gr::EvaluationOptions>(m, "EvaluationOptions", "Options of evaluate (evaluation.hpp).");
  bind_result<gr::Evaluation>(m, "Evaluation", "Precision and recall per typology.");
  m.def(
      "evaluate",
      [](const py::handle& alerts, const py::handle& typology, const Int64Array& offsets, const Int32Array& edges,
         const gr::EvaluationOptions& o) {
        const auto a = from_python<gr::AlertList>(alerts, "alerts");
        const auto t = from_python<std::vector<gr::Typology>>(typology, "truth");
        const auto off = view(offsets, "truth");
        const auto e = view(edges, "truth");
        py::gil_scoped_release release;
        return gr::evaluate(a, t, off, e, o);
      },
      py::arg("alerts"), py::arg("pattern_typology"), py::arg("edge_offsets"), py::arg("edges"), py::arg("options"));

  bind_options<gr::SyntheticOptions>(m, "SyntheticOptions", "Options of synthetic_transactions (synthetic.hpp).");
  bind_result<gr::SyntheticTransactions>(m, "SyntheticTransactions", "Synthetic bank transfers with labelled laundering.");
  m.def("synthetic_transactions", &gr::synthetic_transactions, py::arg("options"), py::call_guard<py::gil_scoped_release>());
  m.attr("ACCOUNT_ROLES") = enum_names<gr::AccountRole>();

  bind_options<gr::NodeFeatureOptions>(m, "NodeFeatureOptions", "Options of node_features (node_features.hpp).");
  bind_result<gr::NodeFeatures>(m, "NodeFeatures", "Per-node features for a classifier.");
  m.def(
      "node_features",
      [](const gr::TransactionGraph& g, const gr::NodeFeatureOptions& o, const py::object& communities,
         const py::object& cycles, const py::object& alerts) {  // alerts: an AlertList or a dict of its fields
        gr::NodeFeatureInputs inputs{optional_record<gr::CommunityResult>(communities),
                                     optional_record<gr::CycleResult>(cycles),
                                     alerts.is_none() ? std::nullopt
                                                      : std::optional(from_python<gr::AlertList>(alerts, "alerts"))};
        py::gil_scoped_release release;
        return gr::node_features(g, o, inputs);
      },
      py::arg("graph"), py::arg("options"), py::arg("communities") = py::none(), py::arg("cycles") = py::none(),
      py::arg("alerts") = py::none());
}

}  // namespace bankquant::python
