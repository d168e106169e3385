// fraud_service — screens transfers for laundering patterns and round trips, and ranks the alerts.
//
//   fraud_service TRANSFERS.csv ALERTS.csv [--window SECONDS] [--budget N] [--batches K]
//
// Reads a CSV with a header and the columns src, dst, amount, timestamp (integer seconds; other
// columns ignored; account ids are text) with bankquant's edge-batch reader, which refuses a bad
// row with a message naming it. Builds the transaction graph and writes the ranked alerts of
// graph::screen — the windowed typologies, round trips, dense blocks and fraud rings within the
// window (default 3 days), grouped into cases (alerts sharing a transfer), most suspicious case
// first, cut at the budget of cases (default all) — one alert per row: rank, case, typology,
// account, start, end, amount, score, reason and the witness edge ids (row numbers of the input,
// 0-based) separated by ';'. The Python package's TransactionGraph.alerts returns the same list.
//
// With --batches K the transfers arrive in K batches instead: the first builds the graph, each
// later one is appended (graph::append_and_detect) and the alerts it creates are written, batch by
// batch — what a streaming service does.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <bankquant/graph.hpp>
#include <fmt/format.h>

namespace gr = bankquant::graph;

namespace {

void write_alerts(std::FILE* out, const gr::AlertList& alerts, const gr::NodeIndex& ids, std::size_t first_rank) {
  for (std::size_t k = 0; k < alerts.size(); ++k) {
    std::string reason = alerts.reason[k];
    for (char& c : reason) {
      if (c == '"') c = '\'';
    }
    fmt::print(out, "{},{},{},\"{}\",{},{},{:.2f},{:.17g},\"{}\",{}\n", first_rank + k, alerts.case_id[k],
               bankquant::enum_name(alerts.typology[k]),
               ids.name(alerts.node[k]), alerts.start[k], alerts.end[k], alerts.amount[k], alerts.score[k], reason,
               fmt::join(alerts.witness(k), ";"));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} TRANSFERS.csv ALERTS.csv [--window SECONDS] [--budget N] [--batches K]\n", argv[0]);
    return 2;
  }
  try {
    gr::ScreeningOptions options;
    long batches = 1;
    for (int k = 3; k + 1 < argc; k += 2) {
      const std::string flag = argv[k];
      if (flag == "--window") options.patterns.window = std::stoll(argv[k + 1]);
      else if (flag == "--budget") options.budget = std::stoll(argv[k + 1]);
      else if (flag == "--batches") batches = std::stol(argv[k + 1]);
      else throw bankquant::InvalidArgument(fmt::format("unknown option '{}'", flag));
    }
    options.validate();
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) throw bankquant::InvalidArgument(fmt::format("argument 'transfers': cannot open '{}'", argv[1]));
    std::stringstream text;
    text << in.rdbuf();
    const gr::EdgeRecords records = gr::read_edge_csv(text.str());
    if (records.size() == 0) throw bankquant::InvalidArgument("argument 'transfers': no transfers");
    std::FILE* out = std::fopen(argv[2], "w");
    if (!out) throw bankquant::InvalidArgument(fmt::format("argument 'alerts': cannot write '{}'", argv[2]));
    fmt::print(out, "rank,case,typology,account,start,end,amount,score,reason,edges\n");
    if (batches <= 1) {
      gr::NodeIndex ids = gr::NodeIndex::sorted(records);
      const auto src = ids.encode(records.src), dst = ids.encode(records.dst);
      const auto g = gr::TransactionGraph::from_edges(ids.size(), src, dst, records.amount, records.timestamp);
      const gr::ScreeningResult result = gr::screen(g, options);
      write_alerts(out, result.alerts, ids, 0);
      fmt::print("{} transfers among {} accounts: {} ranked alerts ({})\n", g.n_edges(), g.n_nodes(), result.alerts.size(),
                 result.status.message);
    } else {
      // the first batch builds the graph (ids numbered in sorted order), later ones are appended
      const std::size_t n = records.size(), step = (n + static_cast<std::size_t>(batches) - 1) / static_cast<std::size_t>(batches);
      auto slice = [&](std::size_t from, std::size_t to) {
        gr::EdgeRecords part;
        part.src.assign(records.src.begin() + static_cast<std::ptrdiff_t>(from), records.src.begin() + static_cast<std::ptrdiff_t>(to));
        part.dst.assign(records.dst.begin() + static_cast<std::ptrdiff_t>(from), records.dst.begin() + static_cast<std::ptrdiff_t>(to));
        if (!records.amount.empty()) part.amount.assign(records.amount.begin() + static_cast<std::ptrdiff_t>(from), records.amount.begin() + static_cast<std::ptrdiff_t>(to));
        if (!records.timestamp.empty()) part.timestamp.assign(records.timestamp.begin() + static_cast<std::ptrdiff_t>(from), records.timestamp.begin() + static_cast<std::ptrdiff_t>(to));
        return part;
      };
      const gr::EdgeRecords first = slice(0, std::min(step, n));
      gr::NodeIndex ids = gr::NodeIndex::sorted(first);
      const auto s0 = ids.encode(first.src), d0 = ids.encode(first.dst);
      auto g = gr::TransactionGraph::from_edges(ids.size(), s0, d0, first.amount, first.timestamp);
      gr::StreamingOptions streaming;
      streaming.patterns = options.patterns;
      std::size_t written = 0;
      for (std::size_t from = step; from < n; from += step) {
        const gr::EdgeRecords batch = slice(from, std::min(n, from + step));
        const auto s = ids.encode(batch.src), d = ids.encode(batch.dst);
        const auto update = gr::append_and_detect(g, ids.size(), s, d, batch.amount, batch.timestamp, streaming);
        write_alerts(out, update.alerts, ids, written);
        written += update.alerts.size();
        fmt::print("batch of {} transfers: {} new alerts\n", batch.size(), update.alerts.size());
      }
    }
    std::fclose(out);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fraud_service: {}\n", e.what());
    return 1;
  }
}
