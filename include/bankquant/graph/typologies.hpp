// bankquant/graph/typologies.hpp — money-laundering typologies within time windows, with witnesses.
//
// Each alert (alerts.hpp) names its typology, the focal account, the time span, the amount moved
// and the witness: the edge ids (hence payers, payees, timestamps and amounts) an investigator puts
// in a suspicious-activity report. All windows are Δ = window in timestamp units.
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
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/transaction_graph.hpp"

namespace bankquant::graph {

struct PatternOptions {
  std::vector<Typology> typologies{Typology::fan_in,         Typology::fan_out, Typology::scatter_gather,
                                   Typology::gather_scatter, Typology::stack,   Typology::pass_through,
                                   Typology::structuring};
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
  std::vector<std::int32_t> exclude;  ///< accounts never alerted as the focal account (stack ignores this)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("typologies", &PatternOptions::typologies, "the typologies to look for (at least one)"),
        field("window", &PatternOptions::window, "Δ in timestamp units (7 days in seconds)"),
        field("min_counterparties", &PatternOptions::min_counterparties,
              "distinct counterparties within Δ for fan-in/out, scatter-gather and gather-scatter"),
        field("min_stack_length", &PatternOptions::min_stack_length, "hops of a layering chain at least"),
        field("amount_tolerance", &PatternOptions::amount_tolerance,
              "share of an amount that may be kept at each hop of a chain or pass-through"),
        field("min_amount", &PatternOptions::min_amount, "transfers below this amount are ignored"),
        field("min_burst", &PatternOptions::min_burst,
              "fan-in/out windows must hold this many times the account's usual transfers per window (0: off)"),
        field("reporting_threshold", &PatternOptions::reporting_threshold,
              "the amount above which a transfer is reported (structuring stays just below it)"),
        field("structuring_margin", &PatternOptions::structuring_margin,
              "structuring payments lie in [threshold (1 - margin), threshold)"),
        field("min_structuring_count", &PatternOptions::min_structuring_count,
              "structuring payments within Δ at least"),
        field("exclude", &PatternOptions::exclude, "accounts never alerted as the focal account")};
  }
};

struct PatternResult {
  AlertList alerts;
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("alerts", &PatternResult::alerts, "the alerts, by typology, then account, then time"),
                      field("status", &PatternResult::status, "converged (complete)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT PatternResult detect_patterns(const TransactionGraph& g, const PatternOptions& options = {});

namespace detail {
/// The typologies around given focal accounts (stack: chains ending at edges >= min_edge_id),
/// keeping alerts whose witness holds an edge id >= min_edge_id and ignoring transfers before
/// `since` (the streaming update).
[[nodiscard]] BANKQUANT_EXPORT PatternResult detect_patterns_around(const TransactionGraph& g, const PatternOptions& options,
                                                                    std::span<const std::int32_t> focal,
                                                                    std::int32_t min_edge_id, std::int64_t since);
/// Payers of the given nodes' transfers at or after `since`, sorted and unique.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> recent_payers(const TransactionGraph& g,
                                                                     std::span<const std::int32_t> nodes,
                                                                     std::int64_t since);
}  // namespace detail

}  // namespace bankquant::graph
