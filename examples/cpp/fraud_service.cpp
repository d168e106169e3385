// fraud_service — screens a day's transfers for laundering patterns and round trips.
//
//   fraud_service transfers.csv alerts.csv [window_seconds]
//
// Reads a CSV with a header and the columns src, dst, amount, timestamp (integer seconds; any
// order, other columns ignored; account ids are text), builds the transaction graph, runs the
// seven typologies and the time-respecting cycles (length <= 6) within the window (default 7
// days), and writes one alert per row: typology, account, start, end, amount and the witness
// edge ids (row numbers of the input, 0-based) separated by ';'.
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <bankquant/graph.hpp>
#include <fmt/format.h>

#include "csv.hpp"

namespace gr = bankquant::graph;

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    fmt::print(stderr, "usage: {} TRANSFERS.csv ALERTS.csv [WINDOW_SECONDS]\n", argv[0]);
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw bankquant::InvalidArgument(fmt::format("argument 'transfers': cannot open '{}'", argv[1]));
    std::string line;
    std::getline(in, line);
    const auto header = examples::parse_csv_record(line);
    auto column = [&](const char* name) {
      for (std::size_t k = 0; k < header.size(); ++k) if (header[k] == name) return k;
      throw bankquant::InvalidArgument(fmt::format("transfers: no column '{}'", name));
    };
    const std::size_t c_src = column("src"), c_dst = column("dst"), c_amount = column("amount"), c_time = column("timestamp");
    std::unordered_map<std::string, std::int32_t> code;
    std::vector<std::string> accounts;
    auto id = [&](const std::string& name) {
      auto [it, fresh] = code.try_emplace(name, static_cast<std::int32_t>(accounts.size()));
      if (fresh) accounts.push_back(name);
      return it->second;
    };
    std::vector<std::int32_t> src, dst;
    std::vector<double> amount;
    std::vector<std::int64_t> time;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto f = examples::parse_csv_record(line);
      if (f.size() != header.size()) {
        throw bankquant::InvalidArgument(fmt::format("transfers: row {} has {} fields, the header {}", src.size() + 1,
                                                     f.size(), header.size()));
      }
      src.push_back(id(f[c_src]));
      dst.push_back(id(f[c_dst]));
      amount.push_back(std::stod(f[c_amount]));
      time.push_back(std::stoll(f[c_time]));
    }
    const auto g = gr::TransactionGraph::from_edges(accounts.size(), src, dst, amount, time);

    gr::PatternOptions patterns;
    patterns.window = argc == 4 ? std::stoll(argv[3]) : 7 * 86'400;
    const gr::Alerts alerts = gr::detect_patterns(g, patterns);
    gr::CycleOptions cycles;
    cycles.window = patterns.window;
    cycles.max_length = 6;
    const gr::CycleResult round_trips = gr::temporal_cycles(g, cycles);

    std::FILE* out = std::fopen(argv[2], "w");
    if (!out) throw bankquant::InvalidArgument(fmt::format("argument 'alerts': cannot write '{}'", argv[2]));
    fmt::print(out, "typology,account,start,end,amount,edges\n");
    auto witness = [](std::span<const std::int32_t> edges) { return fmt::format("{}", fmt::join(edges, ";")); };
    for (std::size_t k = 0; k < alerts.size(); ++k) {
      const std::span<const std::int32_t> edges(alerts.edges.data() + alerts.offsets[k], alerts.offsets[k + 1] - alerts.offsets[k]);
      fmt::print(out, "{},{},{},{},{:.2f},{}\n", gr::typology_name(alerts.typology[k]),
                 accounts[static_cast<std::size_t>(alerts.node[k])], alerts.start[k], alerts.end[k], alerts.amount[k],
                 witness(edges));
    }
    for (std::size_t k = 0; k < round_trips.count(); ++k) {
      const std::span<const std::int32_t> edges(round_trips.edges.data() + round_trips.offsets[k],
                                                round_trips.offsets[k + 1] - round_trips.offsets[k]);
      double total = 0;
      for (std::int32_t e : edges) total += amount[static_cast<std::size_t>(e)];
      fmt::print(out, "cycle,{},{},{},{:.2f},{}\n", accounts[static_cast<std::size_t>(round_trips.nodes[round_trips.offsets[k]])],
                 time[static_cast<std::size_t>(edges.front())], time[static_cast<std::size_t>(edges.back())], total,
                 witness(edges));
    }
    std::fclose(out);
    fmt::print("{} transfers among {} accounts: {} pattern alerts, {} round trips{}\n", g.n_edges(), g.n_nodes(),
               alerts.size(), round_trips.count(), round_trips.truncated ? " (search truncated)" : "");
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fraud_service: {}\n", e.what());
    return 1;
  }
}
