// bankquant/graph/typologies.hpp — money-laundering typologies within time windows, with witnesses.
//
// Each alert names its typology, the focal account, the time span, the amount moved and the
// witness: the edge ids (hence payers, payees, timestamps and amounts) an investigator puts in a
// suspicious-activity report. All windows are Δ = window in timestamp units.
//
//   fan_out / fan_in     an account pays (is paid by) >= min_counterparties distinct accounts within Δ.
//   scatter_gather       a source pays >= min_counterparties intermediates within Δ, and each of them
//                        pays one common target within Δ of receiving (focal: the source).
//   gather_scatter       an account receives from >= min_counterparties payers within Δ, then pays
//                        >= min_counterparties payees within Δ of the last receipt (focal: the hub).
//   stack                a layering chain of >= min_stack_length hops, each hop within Δ of the one
//                        before and forwarding between (1 − amount_tolerance) and 100% of it (focal: origin).
//   pass_through         a receipt followed within Δ by payments that add up to within
//                        ±amount_tolerance of it (focal: the pass-through account).
//   structuring          >= min_structuring_count payments within Δ, each in
//                        [threshold·(1 − structuring_margin), threshold) (focal: the payer).
//
// Windows of fan-in/out, gather-scatter and structuring do not overlap: after an alert the scan
// resumes past its window. Accounts are scanned in parallel in fixed chunks; alerts come out by
// typology, then account, then time, identically on any thread count.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

enum class Typology : std::int8_t { fan_in, fan_out, scatter_gather, gather_scatter, stack, pass_through, structuring };
inline constexpr int kTypologyCount = 7;
[[nodiscard]] BANKQUANT_EXPORT std::string_view typology_name(Typology t);

struct PatternOptions {
  std::int64_t window = 7 * 86'400;  ///< Δ (timestamp units; the default is 7 days in seconds)
  int min_counterparties = 5;
  int min_stack_length = 3;
  double amount_tolerance = 0.1;
  double min_amount = 0;             ///< transfers below are ignored (noise)
  /// fan-in/out and the gathering of gather-scatter: the window must hold at least this many times
  /// the account's usual number of transfers per window (its count over the graph's whole time
  /// span); 0 switches the test off. A merchant paid by hundreds every week is then quiet unless
  /// its week is unusual.
  double min_burst = 0;
  double reporting_threshold = 10'000;
  double structuring_margin = 0.1;
  int min_structuring_count = 3;
  std::vector<Typology> typologies;  ///< empty: all
  std::vector<std::int32_t> focal_nodes;  ///< empty: all accounts (stack ignores this)
  std::int32_t min_edge_id = 0;      ///< keep alerts whose witness holds an edge id >= this (streaming)
  std::int64_t since = INT64_MIN;    ///< ignore transfers before this time (streaming: 2Δ before the batch)
  void validate() const;
};

struct Alerts {
  std::vector<Typology> typology;
  std::vector<std::int32_t> node;
  std::vector<std::int64_t> start, end;
  std::vector<double> amount;            ///< total amount of the witness edges
  std::vector<std::size_t> offsets{0};   ///< witness of alert k: edges[offsets[k] .. offsets[k+1]), in time order
  std::vector<std::int32_t> edges;
  [[nodiscard]] std::size_t size() const { return node.size(); }
};

[[nodiscard]] BANKQUANT_EXPORT Alerts detect_patterns(const TransactionGraph& g, const PatternOptions& options = {});

}  // namespace bankquant::graph
