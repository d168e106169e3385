#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/dense_blocks.hpp"

namespace bankquant::graph {

void DenseBlockOptions::validate() const {
  check::integer_at_least("n_blocks", n_blocks, 1);
  check::non_negative("log_offset", log_offset);
  check::finite("log_offset", log_offset);
  check::integer_at_least("min_size", min_size, 1);
  check::non_negative("min_lift", min_lift);
  check::finite("min_lift", min_lift);
  check::integer_at_least("max_degree", max_degree, 0);
}

DenseBlockDetector::DenseBlockDetector(std::size_t n_nodes, DenseBlockOptions options)
    : options_(options), n_(n_nodes), payees_of_(n_nodes), payers_of_(n_nodes), position_(2 * n_nodes, -1) {
  options_.validate();
}

template <typename F>
void DenseBlockDetector::for_links(std::int32_t x, F&& f) const {
  const auto v = static_cast<std::size_t>(x / 2);
  if (x % 2 == 0) {
    for (std::int32_t q : payees_of_[v]) f(2 * q + 1, link_weight(q));
  } else {
    const double w = link_weight(static_cast<std::int32_t>(v));
    for (std::int32_t p : payers_of_[v]) f(2 * p, w);
  }
}

double DenseBlockDetector::link_weight(std::int32_t payee) const {
  if (options_.log_offset == 0) return 1.0;
  // Rounded to a multiple of 2^-24: sums of up to 2^28 such weights are exact in a double, so the
  // peel (and its ties) does not depend on the order in which weights were added or removed — an
  // incremental re-peel gives the very order a fresh one would.
  const double w = 1.0 / std::log(options_.log_offset + static_cast<double>(payers_of_[static_cast<std::size_t>(payee)].size()));
  return std::ldexp(std::round(std::ldexp(w, 24)), -24);
}

DenseBlock DenseBlockDetector::add_links(std::span<const std::int32_t> payer, std::span<const std::int32_t> payee) {
  check::same_size("payer", payer.size(), "payee", payee.size());
  for (std::size_t i = 0; i < payer.size(); ++i) {
    if (payer[i] < 0 || payee[i] < 0) check::fail("payer", fmt::format("link {} has a negative node id", i));
  }
  std::vector<std::uint64_t> keys;
  keys.reserve(payer.size());
  for (std::size_t i = 0; i < payer.size(); ++i) {
    keys.push_back((static_cast<std::uint64_t>(payer[i]) << 32) | static_cast<std::uint32_t>(payee[i]));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::uint64_t> fresh;
  std::set_difference(keys.begin(), keys.end(), pair_keys_.begin(), pair_keys_.end(), std::back_inserter(fresh));
  if (fresh.empty()) {  // every link already known: nothing changes
    last_repeeled_ = 0;
    return best_;
  }
  std::size_t needed = n_;
  for (std::uint64_t k : fresh) needed = std::max({needed, static_cast<std::size_t>(k >> 32) + 1, static_cast<std::size_t>(k & 0xffffffffu) + 1});
  if (needed > n_) {
    n_ = needed;
    payees_of_.resize(n_);
    payers_of_.resize(n_);
    position_.resize(2 * n_, -1);
  }
  std::vector<std::uint64_t> merged;
  merged.reserve(pair_keys_.size() + fresh.size());
  std::merge(pair_keys_.begin(), pair_keys_.end(), fresh.begin(), fresh.end(), std::back_inserter(merged));
  pair_keys_.swap(merged);
  // The nodes whose links or link weights change (see the header for why the order before the
  // first step at which one of them could be peeled stands).
  auto from = static_cast<std::int64_t>(order_.size());
  std::vector<std::int32_t> touched;
  for (std::uint64_t k : fresh) {
    const auto p = static_cast<std::int32_t>(k >> 32), q = static_cast<std::int32_t>(k & 0xffffffffu);
    payees_of_[static_cast<std::size_t>(p)].push_back(q);
    payers_of_[static_cast<std::size_t>(q)].push_back(p);
    touched.push_back(2 * p);
    touched.push_back(2 * q + 1);
    if (options_.log_offset != 0) {
      for (std::int32_t r : payers_of_[static_cast<std::size_t>(q)]) touched.push_back(2 * r);
    }
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  std::vector<std::int32_t> newcomers;
  for (std::int32_t x : touched) {
    const std::int64_t pos = position_[static_cast<std::size_t>(x)];
    if (pos < 0) newcomers.push_back(x);
    else from = std::min(from, pos);
  }
  // running maximum of (weight, side id) of the peeled nodes: the heap's order, ties to the smaller id
  std::vector<std::pair<double, std::int32_t>> running_max(contribution_.size());
  for (std::size_t k = 0; k < contribution_.size(); ++k) {
    running_max[k] = std::max(std::pair{contribution_[k], order_[k]}, k > 0 ? running_max[k - 1] : running_max[0]);
    if (k == 0) running_max[0] = {contribution_[0], order_[0]};
  }
  for (std::int32_t x : touched) {
    // A lower bound on x's weight in the sets before `from`: its links to the nodes peeled after it
    // and to newcomers (a newcomer's neighbours are all touched, so all its links count).
    const std::int64_t pos = position_[static_cast<std::size_t>(x)];
    double lower = 0;
    for_links(x, [&](std::int32_t y, double w) {
      const std::int64_t py = position_[static_cast<std::size_t>(y)];
      if (pos < 0 || py < 0 || py >= pos) lower += w;
    });
    // the old order stands while every peeled node came before x in the heap's order
    const auto end = running_max.begin() + (pos < 0 ? from : std::min(pos, from));
    const auto first_unsafe = std::lower_bound(running_max.begin(), end, std::pair{lower, x});
    from = std::min<std::int64_t>(from, first_unsafe - running_max.begin());
  }
  n_links_ = pair_keys_.size();
  repeel(static_cast<std::size_t>(from), newcomers);
  return best_;
}

void DenseBlockDetector::repeel(std::size_t from, const std::vector<std::int32_t>& newcomers) {
  std::vector<std::int32_t> nodes(order_.begin() + static_cast<std::ptrdiff_t>(from), order_.end());
  nodes.insert(nodes.end(), newcomers.begin(), newcomers.end());
  last_repeeled_ = nodes.size();
  order_.resize(from);
  contribution_.resize(from);
  for (std::int32_t x : nodes) position_[static_cast<std::size_t>(x)] = -2;  // in the set being peeled
  // weight of each node's links inside the set
  std::vector<double> weight(nodes.size(), 0.0);
  auto in_set = [&](std::int32_t x) { return position_[static_cast<std::size_t>(x)] == -2; };
  std::unordered_map<std::int32_t, std::size_t> index;
  index.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i], i);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for_links(nodes[i], [&](std::int32_t y, double w) {
      if (in_set(y)) weight[i] += w;
    });
  }
  using Entry = std::pair<double, std::int32_t>;  // (weight, side id): ties go to the smaller id
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  for (std::size_t i = 0; i < nodes.size(); ++i) heap.emplace(weight[i], nodes[i]);
  while (!heap.empty()) {
    const auto [w, x] = heap.top();
    heap.pop();
    const std::size_t i = index[x];
    if (!in_set(x) || w != weight[i]) continue;  // stale entry
    position_[static_cast<std::size_t>(x)] = static_cast<std::int64_t>(order_.size());
    order_.push_back(x);
    contribution_.push_back(w);
    for_links(x, [&](std::int32_t y, double lw) {
      if (!in_set(y)) return;
      const std::size_t j = index[y];
      weight[j] -= lw;
      heap.emplace(weight[j], y);
    });
  }
  // f(S_k) for the suffix sets S_k = order_[k..]; keep the densest
  DenseBlock best;
  double f = 0;
  std::size_t best_k = order_.size();
  double best_density = -1;
  for (std::size_t k = order_.size(); k-- > 0;) {
    f += contribution_[k];
    const double density = f / static_cast<double>(order_.size() - k);
    if (density > best_density) {
      best_density = density;
      best_k = k;
      best.weight = f;
    }
  }
  best.density = std::max(best_density, 0.0);
  const double overall = order_.empty() ? 0.0 : f / static_cast<double>(order_.size());  // f is now f(S_0)
  best.lift = overall > 0 ? best.density / overall : 0.0;
  for (std::size_t k = best_k; k < order_.size(); ++k) {
    const std::int32_t x = order_[k];
    (x % 2 == 0 ? best.payers : best.payees).push_back(x / 2);
  }
  std::sort(best.payers.begin(), best.payers.end());
  std::sort(best.payees.begin(), best.payees.end());
  for (std::int32_t p : best.payers) {
    for (std::int32_t q : payees_of_[static_cast<std::size_t>(p)]) {
      if (std::binary_search(best.payees.begin(), best.payees.end(), q)) ++best.links;
    }
  }
  best_ = std::move(best);
}

DenseBlocksResult dense_blocks(const TransactionGraph& g, const DenseBlockOptions& o) {
  o.validate();
  std::vector<std::int32_t> payer(g.src().begin(), g.src().end()), payee(g.dst().begin(), g.dst().end());
  if (o.max_degree > 0) {  // leave out the busy core: distinct counterparties on each side
    std::vector<std::uint64_t> pairs(payer.size());
    for (std::size_t i = 0; i < payer.size(); ++i) {
      pairs[i] = (static_cast<std::uint64_t>(payer[i]) << 32) | static_cast<std::uint32_t>(payee[i]);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<std::int64_t> payees_of(g.n_nodes(), 0), payers_of(g.n_nodes(), 0);
    for (std::uint64_t k : pairs) {
      ++payees_of[static_cast<std::size_t>(k >> 32)];
      ++payers_of[static_cast<std::size_t>(k & 0xffffffffu)];
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < payer.size(); ++i) {
      if (payees_of[static_cast<std::size_t>(payer[i])] <= o.max_degree && payers_of[static_cast<std::size_t>(payee[i])] <= o.max_degree) {
        payer[kept] = payer[i];
        payee[kept++] = payee[i];
      }
    }
    payer.resize(kept);
    payee.resize(kept);
  }
  DenseBlocksResult result;
  for (int b = 0; b < o.n_blocks && !payer.empty(); ++b) {
    DenseBlockDetector detector(g.n_nodes(), o);
    DenseBlock block = detector.add_links(payer, payee);
    if (static_cast<int>(block.payers.size()) < o.min_size || static_cast<int>(block.payees.size()) < o.min_size) break;
    if (block.lift < o.min_lift) break;
    // the next block is sought among the links outside this one
    std::size_t kept = 0;
    for (std::size_t i = 0; i < payer.size(); ++i) {
      const bool inside = std::binary_search(block.payers.begin(), block.payers.end(), payer[i]) &&
                          std::binary_search(block.payees.begin(), block.payees.end(), payee[i]);
      if (!inside) {
        payer[kept] = payer[i];
        payee[kept++] = payee[i];
      }
    }
    payer.resize(kept);
    payee.resize(kept);
    result.blocks.push_back(std::move(block));
  }
  return result;
}

AlertList block_alerts(const TransactionGraph& g, const DenseBlocksResult& blocks) {
  AlertList out;
  const auto dst = g.dst();
  for (const DenseBlock& b : blocks.blocks) {
    for (const auto* side : {&b.payers, &b.payees}) {
      for (std::int32_t v : *side) {
        if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("blocks", fmt::format("node {} outside the graph", v));
      }
    }
    std::vector<std::int32_t> payees(b.payees);
    std::sort(payees.begin(), payees.end());
    std::vector<std::int32_t> witness;
    for (std::int32_t p : b.payers) {
      for (std::int32_t e : g.out_edges(static_cast<std::size_t>(p))) {
        if (std::binary_search(payees.begin(), payees.end(), dst[static_cast<std::size_t>(e)])) witness.push_back(e);
      }
    }
    if (witness.empty()) continue;
    out.add(g, Typology::dense_block, b.payers.front(), std::move(witness), b.lift,
            fmt::format("{} payers and {} payees share {} distinct links, {:.1f} times denser than the rest", b.payers.size(),
                        b.payees.size(), b.links, b.lift));
  }
  return out;
}

}  // namespace bankquant::graph
