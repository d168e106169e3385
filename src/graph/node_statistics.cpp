#include <algorithm>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/node_statistics.hpp"

namespace bankquant::graph {

std::vector<std::int32_t> max_transfers_in_window(const TransactionGraph& g, std::int64_t window, bool outgoing) {
  if (window < 0) check::fail("window", fmt::format("expected a non-negative window, got {}", window));
  const std::size_t n = g.n_nodes();
  const auto ts = g.timestamp();
  std::vector<std::int32_t> out(n, 0);
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      const auto list = outgoing ? g.out_edges(v) : g.in_edges(v);
      std::size_t lo = 0;
      std::int32_t best = 0;
      for (std::size_t hi = 0; hi < list.size(); ++hi) {
        const std::int64_t t = ts[static_cast<std::size_t>(list[hi])];
        while (ts[static_cast<std::size_t>(list[lo])] < t - window) ++lo;
        best = std::max(best, static_cast<std::int32_t>(hi - lo + 1));
      }
      out[v] = best;
    }
  });
  return out;
}

}  // namespace bankquant::graph
