// bankquant/graph/edge_batch.hpp — transfers from outside: CSV text in, dense node ids out.
//
// A C++ service receives batches of transfers as text it did not write. read_edge_csv parses one
// (a header row naming the columns, RFC 4180 quoting, any other columns ignored) and checks every
// field — an id must be non-empty, an amount a finite non-negative number, a timestamp an integer —
// so a bad row is an InvalidArgument naming the row and column, never a crash (the libFuzzer
// target tests/fuzz/fuzz_edge_batch.cpp feeds it arbitrary bytes). NodeIndex maps text ids to the
// dense node ids of a TransactionGraph the way the Python package does: sorted at build, new ids
// after them in order of first appearance, so a service and a notebook number nodes alike.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::graph {

struct EdgeCsvOptions {
  std::string src = "src";              ///< column of the payer ids
  std::string dst = "dst";              ///< column of the payee ids
  std::string amount = "amount";        ///< column of the amounts ("" : every transfer weighs 1)
  std::string timestamp = "timestamp";  ///< column of the integer timestamps ("" : none)
  std::int64_t max_rows = 100'000'000;  ///< refuse larger batches (a service's memory guard)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("src", &EdgeCsvOptions::src, "column of the payer ids"),
                      field("dst", &EdgeCsvOptions::dst, "column of the payee ids"),
                      field("amount", &EdgeCsvOptions::amount, "column of the amounts ('' : all 1)"),
                      field("timestamp", &EdgeCsvOptions::timestamp, "column of the integer timestamps ('' : none)"),
                      field("max_rows", &EdgeCsvOptions::max_rows, "refuse batches with more rows")};
  }
};

/// Transfers with their ids still as text.
struct EdgeRecords {
  std::vector<std::string> src, dst;
  std::vector<double> amount;          ///< empty when there is no amount column
  std::vector<std::int64_t> timestamp;  ///< empty when there is no timestamp column
  [[nodiscard]] std::size_t size() const { return src.size(); }
};

[[nodiscard]] BANKQUANT_EXPORT EdgeRecords read_edge_csv(std::string_view text, const EdgeCsvOptions& options = {});

class BANKQUANT_EXPORT NodeIndex {
 public:
  /// The ids of a first batch, numbered in sorted (byte) order, as the Python package does.
  [[nodiscard]] static NodeIndex sorted(const EdgeRecords& records);
  /// Dense ids of `names`; names never seen get the next ids, in order of first appearance.
  [[nodiscard]] std::vector<std::int32_t> encode(std::span<const std::string> names);
  /// Node id of a name, or -1.
  [[nodiscard]] std::int32_t find(std::string_view name) const;
  [[nodiscard]] const std::string& name(std::int32_t node) const { return names_[static_cast<std::size_t>(node)]; }
  [[nodiscard]] std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::int32_t> code_;
};

}  // namespace bankquant::graph
