// bankquant/graph/synthetic.hpp — transfer data that looks like a bank's, with labelled laundering.
//
// The background is what makes alerts hard: a bank's transfers are not a random graph. This
// generator builds, for n_accounts accounts over `days` days from `start` (Unix seconds, UTC):
//
//   people (most accounts)  salaries from an employer on the last business day of each month, rent
//                           to a landlord on the first days of the month, monthly bills to one or two
//                           utilities, payments to merchants (Zipf popularity, s = 1.1, plus a few
//                           favourite merchants each), and transfers to a contact list (heavy-tailed
//                           size: a circle of friends and family plus acquaintances anywhere), a share
//                           `reciprocity` of which the recipient pays back (a similar or equal amount,
//                           minutes to days later). Activity per person is heavy-tailed (log-normal
//                           rates), amounts log-normal per person and purpose.
//   merchants, employers    Zipf-sized: a few with thousands of customers or employees. Merchants pay
//                           suppliers (other merchants and employers) every week; employers run payroll
//                           in one batch at night.
//   landlords, utilities    rent from 1..20 tenants, bills from many customers, on fixed days.
//
// Times follow the week (more person-to-person payments on Fridays and Saturdays, business payments
// on weekdays), the day (little at night, peaks at lunch and in the evening) and the month (spending
// rises in the days after payday). Injected typologies, each n_patterns times (the typologies of
// IBM's AMLworld, Altman et al. 2023), at amounts a bank would see: cycles of 3–6 accounts returning
// 80–99% within three days; fan-in and fan-out of 8–15 mules paying or paid ordinary amounts (median
// 400) within two days; scatter-gathers and gather-scatters of 5–10 mules forwarding 85–98%; layering
// chains of 4–6 hops forwarding 90–99%; structuring (4–7 payments just below 10,000 in three days);
// dense blocks (30–60 accounts paying the same 10–25 colluding payees over a month, FRAUDAR's
// target); fraud rings (10–15 accounts trading among themselves). Half of the laundering accounts
// are ordinary people (they keep their background traffic: camouflage), half are newly opened.
//
// Deterministic for a seed on any thread count: each account draws from its own Philox stream and
// each pattern from one of its own. Roughly 4 transfers per person a month; 40,000 accounts over
// 120 days give about 0.6 million transfers.
#pragma once

#include <cstdint>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"

namespace bankquant::graph {

enum class AccountRole : std::int8_t { person, merchant, employer, landlord, utility, new_account };
BANKQUANT_ENUM_NAMES(AccountRole, {person, "person"}, {merchant, "merchant"}, {employer, "employer"},
                     {landlord, "landlord"}, {utility, "utility"}, {new_account, "new_account"})

struct SyntheticOptions {
  std::int64_t n_accounts = 40'000;
  int days = 120;
  std::int64_t start = 1'735'689'600;  ///< 2025-01-01 00:00 UTC
  std::uint64_t seed = 0;
  int n_patterns = 10;  ///< injected per typology
  std::vector<Typology> typologies{Typology::cycle,   Typology::fan_in,      Typology::fan_out,
                                   Typology::scatter_gather, Typology::gather_scatter, Typology::stack,
                                   Typology::structuring, Typology::dense_block, Typology::fraud_ring};
  double reciprocity = 0.15;    ///< share of person-to-person transfers paid back
  double activity = 1.0;        ///< scales every person's rate of discretionary payments
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("n_accounts", &SyntheticOptions::n_accounts, "accounts, of every role (>= 2,000)"),
        field("days", &SyntheticOptions::days, "days of traffic (>= 28)"),
        field("start", &SyntheticOptions::start, "first day, Unix seconds (UTC); 2025-01-01"),
        field("seed", &SyntheticOptions::seed, "random seed"),
        field("n_patterns", &SyntheticOptions::n_patterns, "injected patterns per typology"),
        field("typologies", &SyntheticOptions::typologies, "the typologies injected"),
        field("reciprocity", &SyntheticOptions::reciprocity,
              "share of person-to-person transfers the recipient pays back (0.15)"),
        field("activity", &SyntheticOptions::activity, "scales the rate of discretionary payments (1)")};
  }
};

struct SyntheticTransactions {
  // transfers, in time order (then payer, payee)
  std::vector<std::int32_t> src, dst;
  std::vector<double> amount;
  std::vector<std::int64_t> timestamp;  ///< Unix seconds
  std::vector<std::int32_t> pattern;    ///< per transfer: the injected pattern, or -1 for background
  // per account
  std::vector<AccountRole> role;
  std::vector<std::int32_t> phone, device, email;  ///< KYC identifiers (shared by households, a call centre, rings)
  // per injected pattern
  std::vector<Typology> pattern_typology;
  std::vector<std::int64_t> account_offsets{0};  ///< pattern k's accounts: accounts[offsets[k] .. offsets[k+1])
  std::vector<std::int32_t> accounts;
  std::vector<std::int64_t> edge_offsets{0};     ///< pattern k's transfers: edges[edge_offsets[k] .. ])
  std::vector<std::int32_t> edges;

  static constexpr auto fields() {
    return std::tuple{
        field("src", &SyntheticTransactions::src, "payer of each transfer"),
        field("dst", &SyntheticTransactions::dst, "payee of each transfer"),
        field("amount", &SyntheticTransactions::amount, "amount of each transfer"),
        field("timestamp", &SyntheticTransactions::timestamp, "time of each transfer, Unix seconds"),
        field("pattern", &SyntheticTransactions::pattern, "injected pattern of each transfer (-1: background)"),
        field("role", &SyntheticTransactions::role, "role of each account"),
        field("phone", &SyntheticTransactions::phone, "phone identifier of each account"),
        field("device", &SyntheticTransactions::device, "device identifier of each account (-1: unknown)"),
        field("email", &SyntheticTransactions::email, "email identifier of each account"),
        field("pattern_typology", &SyntheticTransactions::pattern_typology, "typology of each injected pattern"),
        field("account_offsets", &SyntheticTransactions::account_offsets, "pattern k's accounts in accounts[k:k+1]"),
        field("accounts", &SyntheticTransactions::accounts, "the accounts of the patterns"),
        field("edge_offsets", &SyntheticTransactions::edge_offsets, "pattern k's transfers in edges[k:k+1]"),
        field("edges", &SyntheticTransactions::edges, "the transfers of the patterns (edge ids)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT SyntheticTransactions synthetic_transactions(const SyntheticOptions& options = {});

}  // namespace bankquant::graph
