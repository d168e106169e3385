// core_service — reads a CSV of daily prices (first column a date, then one column per asset),
// and for each asset reports the 1% and 5% quantiles of its daily log returns; draws a seeded
// Monte Carlo sample on 1 and on all threads and checks the two are identical; saves the report
// as a bankquant model file and reads it back. Exit status 0 only if every check holds.
//
//   core_service dow_jones_30_daily.csv report.json
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <bankquant/core.hpp>
#include <fmt/format.h>

#include "csv.hpp"

namespace bq = bankquant;

namespace {

struct PriceTable {
  std::vector<std::string> assets;
  std::vector<std::vector<double>> prices;  // per asset
};

PriceTable read_prices(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw bq::InvalidArgument(fmt::format("argument 'prices': cannot open '{}'", path));
  std::string line;
  std::getline(in, line);
  PriceTable table;
  const auto header = examples::parse_csv_record(line);
  table.assets.assign(header.begin() + 1, header.end());
  table.prices.resize(table.assets.size());
  std::size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    const auto fields = examples::parse_csv_record(line);
    bq::check::same_size(fmt::format("row {}", row), fields.size() - 1, "header", table.assets.size());
    for (std::size_t j = 0; j < table.assets.size(); ++j) table.prices[j].push_back(std::stod(fields[j + 1]));
  }
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: {} PRICES.csv REPORT.json\n", argv[0]);
    return 2;
  }
  try {
    fmt::print("bankquant {} — {} threads\n", bq::version(), bq::get_num_threads());
    const PriceTable table = read_prices(argv[1]);

    bq::io::Json report = bq::io::Json::object();
    fmt::print("{:<6} {:>10} {:>10} {:>8}\n", "asset", "q1%", "q5%", "days");
    for (std::size_t j = 0; j < table.assets.size(); ++j) {
      const auto& p = table.prices[j];
      std::vector<double> returns;
      for (std::size_t t = 1; t < p.size(); ++t) returns.push_back(std::log(p[t] / p[t - 1]));
      bq::check::all_finite(table.assets[j], returns);
      const std::vector<double> levels{0.01, 0.05};
      const auto q = bq::stats::quantiles(returns, levels);
      fmt::print("{:<6} {:>10.5f} {:>10.5f} {:>8}\n", table.assets[j], q[0], q[1], returns.size());
      report[table.assets[j]] = bq::io::json_from_doubles(q);
    }

    // Seeded Monte Carlo: identical on 1 thread and on all of them.
    std::vector<double> one(2'000'000), all(2'000'000);
    const int threads = bq::get_num_threads();
    bq::set_num_threads(1);
    bq::parallel_fill_normal(one, 7);
    bq::set_num_threads(threads);
    bq::parallel_fill_normal(all, 7);
    if (one != all) {
      fmt::print(stderr, "FAILED: seeded normals differ between 1 and {} threads\n", threads);
      return 1;
    }
    fmt::print("2,000,000 seeded normals identical on 1 and {} threads\n", threads);

    bq::io::save_model(argv[2], "return_quantiles", 1, report);
    const auto loaded = bq::io::load_model(argv[2], "return_quantiles", 1);
    if (loaded.model != report) {
      fmt::print(stderr, "FAILED: the model file did not read back equal\n");
      return 1;
    }
    fmt::print("wrote and re-read {} ({} assets)\n", argv[2], loaded.model.size());
  } catch (const bq::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
