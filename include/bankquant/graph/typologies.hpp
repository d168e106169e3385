// bankquant/graph/typologies.hpp — money-laundering typologies within time windows, with witnesses.
//
// Each alert (alerts.hpp) names its typology, the focal account, the time span, the amount moved,
// a score, the reason in words, and the witness: the edge ids an investigator puts in a
// suspicious-activity report. Windows are Δ = window in timestamp units.
//
// What keeps a bank's ordinary traffic quiet (measured on synthetic.hpp's traffic and on an
// independently written generator in the tests):
//   hubs          merchants, employers, utilities (hubs.hpp, and the user's known_hubs) are never the
//                 focal account, an intermediate or a target: payroll, rent and shopping stay quiet.
//   new relationships  a counterparty counts only when the pair trades nowhere else in the observed
//                 period (all its transfers lie within Δ of the window): mules are recruited for the
//                 job, while tenants, employees, friends and repaid loans recur. Recurrence of monthly
//                 payments can only be seen when the period reaches recurrence_days (a month) past the
//                 window on one side, so nearer both ends of a short period (under two months) nothing
//                 is new.
//   bursts        the new counterparties must number min_burst times the account's usual count of
//                 transfers per window, from comparable periods — the same window shifted by 1–4
//                 weeks and by 1–3 months — and from its whole history, whichever is largest; so a
//                 month-end or weekday rhythm is its own baseline. min_burst = 1.5: on both generators
//                 the ranked top 25/50/75 cases are as precise as with 3, and the independent one's
//                 smaller fan-outs from busy accounts are found (42 of 48 patterns in 75 cases, not 37).
//                 The usual count is of the transfers that could count (counterparty not a hub, at
//                 least min_amount): shopping does not raise the bar for new payees (independent
//                 generator: 47 of 48 patterns found, not 42). And the burst must be unlikely under
//                 that rate for fan-in and fan-out, which rest on the count alone, min_surprise = 2
//                 (a Poisson chance <= 1%): a small shop's five new
//                 customers in three days, when it usually has one or two, are chance, not mules.
//   amounts       money that passes through stays mostly intact: every forwarded amount keeps at least
//                 1 − amount_tolerance of what came in, and never more than came in; and a layering hop
//                 is large for its payer (at least its median payment, large_hops_only), since chains
//                 of equal small sums (friends splitting a bill) are everyday traffic.
//
//   fan_in / fan_out     >= min_counterparties new payers (payees) within Δ, a burst (focal: the account).
//   scatter_gather       a source pays >= min_counterparties new intermediates within Δ, each of which
//                        forwards what it received to one common target within Δ (focal: the source).
//   gather_scatter       >= min_counterparties new payers within Δ, then >= min_counterparties payees
//                        within Δ of the last receipt, paid what came in (focal: the account in between).
//   stack                a layering chain of >= min_stack_length hops, each within Δ of the one before and
//                        forwarding what it received (focal: the origin).
//   pass_through         a receipt followed within Δ by payments adding up to it (off by default: it is the
//                        building block of the two above and of ordinary budgeting).
//   structuring          >= min_structuring_count payments within Δ, each in
//                        [threshold·(1 − structuring_margin), threshold), a burst (focal: the payer).
//
// Alerts of one typology on one account whose windows follow within Δ of each other are merged
// into one episode. Scores are surprise, about −log10 of the chance of the counts under the account's usual rate
// (a Poisson tail), plus a term per forwarded hop or near-threshold payment; comparable across
// typologies, so alerts rank together (alerts.hpp). After an alert a window scan resumes past its
// window; accounts are scanned in parallel in fixed chunks, and alerts come out by typology, then
// account, then time, identically on any thread count. O(m · window fan-out) in the worst case,
// O(m) on a bank's graph where hubs are left out.
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
  std::vector<Typology> typologies{Typology::fan_in, Typology::fan_out, Typology::scatter_gather,
                                   Typology::gather_scatter, Typology::stack, Typology::structuring};
  std::int64_t window = 3 * 86'400;    ///< Δ in timestamp units (three days in seconds)
  double units_per_day = 86'400;       ///< timestamp units in a day (comparable weeks and months)
  int min_counterparties = 5;
  double min_burst = 1.5;
  double recurrence_days = 30.44;      ///< a pair is judged new only with this much history past the window
  double min_surprise = 2.0;           ///< fan-in/out: −log10 chance of the burst under the usual rate, at least
  int min_stack_length = 4;
  double amount_tolerance = 0.2;
  double min_amount = 0;               ///< transfers below are ignored
  bool large_hops_only = true;         ///< layering hops are at least the payer's median payment
  bool new_relationship_hops = true;   ///< layering chains and round trips mostly through new relationships
  std::int64_t hub_degree = 100;       ///< distinct counterparties that make a hub (hubs.hpp; 0: none)
  std::vector<std::int32_t> known_hubs;  ///< hubs by the user's word
  double reporting_threshold = 10'000;
  double structuring_margin = 0.1;
  int min_structuring_count = 3;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("typologies", &PatternOptions::typologies,
              "the typologies to look for (default all but pass_through)"),
        field("window", &PatternOptions::window, "Δ in timestamp units (three days, as the issue's round trips)"),
        field("units_per_day", &PatternOptions::units_per_day,
              "timestamp units in a day, for comparable weeks and months (86400: seconds)"),
        field("min_counterparties", &PatternOptions::min_counterparties,
              "new counterparties within Δ for fan-in/out, scatter-gather and gather-scatter (5)"),
        field("min_burst", &PatternOptions::min_burst,
              "new counterparties over the account's usual transfers per window in comparable periods (1.5: chosen on "
              "synthetic.hpp's traffic and the tests' independent generator, ranked with a budget)"),
        field("recurrence_days", &PatternOptions::recurrence_days,
              "a pair counts as a new relationship only where the observed period reaches this many days past the "
              "window on one side (30.44, a month: a salary or rent seen once in a short period looks new; 0: always)"),
        field("min_surprise", &PatternOptions::min_surprise,
              "a fan-in or fan-out burst has at most 10^-min_surprise chance under the account's usual rate "
              "(a Poisson tail; 2.0: small shops' chance runs of five new customers stay quiet on synthetic.hpp's "
              "traffic, every injected fan-in found on both generators)"),
        field("min_stack_length", &PatternOptions::min_stack_length, "hops of a layering chain at least (4)"),
        field("amount_tolerance", &PatternOptions::amount_tolerance,
              "share of the amount an intermediate may keep (0.2: passes through at least 80% intact)"),
        field("min_amount", &PatternOptions::min_amount, "transfers below this amount are ignored"),
        field("large_hops_only", &PatternOptions::large_hops_only,
              "layering chains (and the screening's round trips) follow only transfers of at least the payer's "
              "median payment: friends passing the same small sum along are not layering"),
        field("new_relationship_hops", &PatternOptions::new_relationship_hops,
              "layering chains (and the screening's round trips) have at least half of their hops between accounts "
              "that trade only around them: mules recruited for the job, not friends and households passing sums "
              "along (on the tests' independent generator all such false chains and round trips go, no true one)"),
        field("hub_degree", &PatternOptions::hub_degree,
              "distinct payers or payees that make an account a hub, left out of every pattern (100; 0: none)"),
        field("known_hubs", &PatternOptions::known_hubs, "accounts known to be hubs (merchants, payroll, ...)"),
        field("reporting_threshold", &PatternOptions::reporting_threshold,
              "the amount above which a transfer is reported (structuring stays just below it)"),
        field("structuring_margin", &PatternOptions::structuring_margin,
              "structuring payments lie in [threshold (1 - margin), threshold)"),
        field("min_structuring_count", &PatternOptions::min_structuring_count,
              "structuring payments within Δ at least")};
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

/// −log10 P(X >= k) for X Poisson with mean `mean` (the surprise of k events where `mean` are usual).
[[nodiscard]] BANKQUANT_EXPORT double poisson_surprise(std::int64_t k, double mean);

namespace detail {
/// The typologies of the given focal accounts (all when empty; stack: the chains through edges >=
/// min_edge_id), keeping the alerts, merged into episodes as detect_patterns merges them, whose
/// witness holds an edge id >= min_edge_id: with every account a new transfer touches (and, for
/// scatter-gather, their recent payers) as focal, exactly the alerts of detect_patterns on the
/// whole graph that hold a new transfer (the streaming update). `hub`: one flag per node, as find_hubs gives.
[[nodiscard]] BANKQUANT_EXPORT PatternResult detect_patterns_around(const TransactionGraph& g, const PatternOptions& options,
                                                                    std::span<const std::int32_t> focal,
                                                                    std::span<const std::int32_t> hub,
                                                                    std::int32_t min_edge_id);
/// Whether accounts a and b trade (either way) only within [lo, hi] over the whole graph.
[[nodiscard]] BANKQUANT_EXPORT bool new_relationship(const TransactionGraph& g, std::int32_t a, std::int32_t b,
                                                     std::int64_t lo, std::int64_t hi);
/// Whether at least half of the transfers `hops` are between accounts that trade nowhere else than
/// within `window` of them: layering and round trips through mules recruited for the job, not
/// friends and households passing sums along (measured on the tests' independent generator).
[[nodiscard]] BANKQUANT_EXPORT bool mostly_new_relationships(const TransactionGraph& g, std::span<const std::int32_t> hops,
                                                             std::int64_t window);
/// Payers of the given nodes' transfers at or after `since`, sorted and unique.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::int32_t> recent_payers(const TransactionGraph& g,
                                                                     std::span<const std::int32_t> nodes,
                                                                     std::int64_t since);
}  // namespace detail

}  // namespace bankquant::graph
