#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/hubs.hpp"

namespace bankquant::graph {
namespace {

// Distinct counterparties of node v on one side; `seen` remembers the last node that saw each
// counterparty (node ids never repeat within a pass, so it needs no reset).
std::int32_t distinct(std::span<const std::int32_t> edges, std::span<const std::int32_t> other, std::int32_t v,
                      std::vector<std::int32_t>& seen) {
  std::int32_t count = 0;
  for (std::int32_t e : edges) {
    const auto u = static_cast<std::size_t>(other[static_cast<std::size_t>(e)]);
    if (seen[u] != v) {
      seen[u] = v;
      ++count;
    }
  }
  return count;
}

}  // namespace

void HubOptions::validate() const {
  check::integer_at_least("hub_degree", hub_degree, 0);
  for (std::int32_t v : known_hubs) check::integer_at_least("known_hubs", v, 0);
}

void count_counterparties(const TransactionGraph& g, std::span<const std::int32_t> nodes, std::vector<std::int32_t>& payers,
                          std::vector<std::int32_t>& payees) {
  const std::size_t n = g.n_nodes();
  payers.resize(n, 0);
  payees.resize(n, 0);
  const auto src = g.src(), dst = g.dst();
  tbb::enumerable_thread_specific<std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>>> seen(
      [n] { return std::pair{std::vector<std::int32_t>(n, -1), std::vector<std::int32_t>(n, -1)}; });
  parallel_for_chunks(nodes.size(), 2048, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& [in_seen, out_seen] = seen.local();
    for (std::size_t k = b; k < e; ++k) {
      const std::int32_t v = nodes[k];
      if (v < 0 || static_cast<std::size_t>(v) >= n) continue;
      payers[static_cast<std::size_t>(v)] = distinct(g.in_edges(static_cast<std::size_t>(v)), src, v, in_seen);
      payees[static_cast<std::size_t>(v)] = distinct(g.out_edges(static_cast<std::size_t>(v)), dst, v, out_seen);
    }
  });
}

HubResult find_hubs(const TransactionGraph& g, const HubOptions& o) {
  o.validate();
  const std::size_t n = g.n_nodes();
  for (std::int32_t v : o.known_hubs) {
    if (static_cast<std::size_t>(v) >= n) check::fail("known_hubs", fmt::format("node {} outside the {} nodes", v, n));
  }
  HubResult r;
  std::vector<std::int32_t> all(n);
  for (std::size_t v = 0; v < n; ++v) all[v] = static_cast<std::int32_t>(v);
  count_counterparties(g, all, r.payers, r.payees);
  r.hub.assign(n, 0);
  for (std::int32_t v : o.known_hubs) r.hub[static_cast<std::size_t>(v)] = 1;
  if (o.hub_degree > 0) {
    // First the accounts many pay (merchants, landlords, utilities), then those paying many
    // accounts that are not such hubs (employers, benefit payers): a busy customer paying a
    // hundred shops is no hub, and leaving it out would hide the patterns it takes part in.
    std::vector<char> paid_by_many(n, 0);
    for (std::size_t v = 0; v < n; ++v) {
      paid_by_many[v] = r.payers[v] >= o.hub_degree || r.hub[v];
      if (r.payers[v] >= o.hub_degree) r.hub[v] = 1;
    }
    const auto dst = g.dst();
    tbb::enumerable_thread_specific<std::vector<std::int32_t>> seen([n] { return std::vector<std::int32_t>(n, -1); });
    parallel_for_chunks(n, 2048, [&](std::size_t, std::size_t b, std::size_t e) {
      auto& mark = seen.local();
      for (std::size_t v = b; v < e; ++v) {
        if (r.hub[v] || r.payees[v] < o.hub_degree) continue;
        std::int64_t ordinary = 0;
        for (std::int32_t edge : g.out_edges(v)) {
          const auto u = static_cast<std::size_t>(dst[static_cast<std::size_t>(edge)]);
          if (paid_by_many[u] || mark[u] == static_cast<std::int32_t>(v)) continue;
          mark[u] = static_cast<std::int32_t>(v);
          ++ordinary;
        }
        if (ordinary >= o.hub_degree) r.hub[v] = 1;
      }
    });
  }
  return r;
}

}  // namespace bankquant::graph
