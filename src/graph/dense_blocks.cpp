#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/dense_blocks.hpp"
#include "bankquant/graph/detail/union_find.hpp"

namespace bankquant::graph {

namespace {

// The densest suffix S_k = order[k..] of a greedy peel, g(S_k) = f(S_k)/|S_k| (ties: the smaller
// set), with its sorted payers and payees, f(S), and its lift over the whole peeled set S_0.
DenseBlock densest_suffix(std::span<const std::int32_t> order, std::span<const double> contribution) {
  DenseBlock best;
  double f = 0, best_density = -1;
  std::size_t best_k = order.size();
  for (std::size_t k = order.size(); k-- > 0;) {
    f += contribution[k];
    const double density = f / static_cast<double>(order.size() - k);
    if (density > best_density) {
      best_density = density;
      best_k = k;
      best.weight = f;
    }
  }
  best.density = std::max(best_density, 0.0);
  const double overall = order.empty() ? 0.0 : f / static_cast<double>(order.size());  // f is now f(S_0)
  best.lift = overall > 0 ? best.density / overall : 0.0;
  for (std::size_t k = best_k; k < order.size(); ++k) {
    (order[k] % 2 == 0 ? best.payers : best.payees).push_back(order[k] / 2);
  }
  std::sort(best.payers.begin(), best.payers.end());
  std::sort(best.payees.begin(), best.payees.end());
  return best;
}

}  // namespace

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
  DenseBlock best = densest_suffix(order_, contribution_);
  for (std::int32_t p : best.payers) {
    for (std::int32_t q : payees_of_[static_cast<std::size_t>(p)]) {
      if (std::binary_search(best.payees.begin(), best.payees.end(), q)) ++best.links;
    }
  }
  best_ = std::move(best);
}

namespace {

// The batch peel on flat arrays. It gives DenseBlockDetector's greedy order (the same rounded link
// weights, so sums are exact in any order, and the same ties), without the per-node vectors and
// hash maps that its incremental re-peel needs: those made ten blocks on 1.8M links take 15 s.
class FlatPeel {
 public:
  FlatPeel(std::size_t n_nodes, std::vector<std::uint64_t> pairs, double log_offset)
      : n_(n_nodes), log_offset_(log_offset), pairs_(std::move(pairs)), alive_(pairs_.size(), 1),
        by_payer_start_(n_nodes + 1, 0), by_payee_start_(n_nodes + 1, 0), by_payee_(pairs_.size()),
        payee_degree_(n_nodes, 0) {
    for (std::uint64_t k : pairs_) {
      ++by_payer_start_[payer(k) + 1];
      ++by_payee_start_[payee(k) + 1];
    }
    for (std::size_t v = 0; v < n_; ++v) {
      by_payer_start_[v + 1] += by_payer_start_[v];
      by_payee_start_[v + 1] += by_payee_start_[v];
    }
    std::vector<std::int64_t> next(by_payee_start_.begin(), by_payee_start_.end() - 1);
    for (std::size_t i = 0; i < pairs_.size(); ++i) by_payee_[static_cast<std::size_t>(next[payee(pairs_[i])]++)] = i;
    for (std::uint64_t k : pairs_) ++payee_degree_[payee(k)];
  }

  [[nodiscard]] std::size_t alive_links() const { return n_alive_; }

  // The densest block among the links still alive (as DenseBlockDetector::add_links on them).
  DenseBlock densest() {
    n_alive_ = 0;
    for (char a : alive_) n_alive_ += a != 0;
    // payee v's link weight 1/log(c + its payers), rounded as link_weight() rounds it
    std::vector<double> link(n_, 1.0);
    if (log_offset_ != 0) {
      for (std::size_t v = 0; v < n_; ++v) {
        if (payee_degree_[v] == 0) continue;
        const double w = 1.0 / std::log(log_offset_ + static_cast<double>(payee_degree_[v]));
        link[v] = std::ldexp(std::round(std::ldexp(w, 24)), -24);
      }
    }
    // side ids: payer v = 2v, payee v = 2v + 1; in the set while they have a live link
    std::vector<double> weight(2 * n_, 0.0);
    std::vector<char> in_set(2 * n_, 0);
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
      if (!alive_[i]) continue;
      const double w = link[payee(pairs_[i])];
      weight[2 * payer(pairs_[i])] += w;
      weight[2 * payee(pairs_[i]) + 1] += w;
      in_set[2 * payer(pairs_[i])] = in_set[2 * payee(pairs_[i]) + 1] = 1;
    }
    using Entry = std::pair<double, std::int32_t>;  // (weight, side id): ties go to the smaller id
    std::vector<Entry> entries;
    for (std::size_t x = 0; x < 2 * n_; ++x) {
      if (in_set[x]) entries.emplace_back(weight[x], static_cast<std::int32_t>(x));
    }
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap(std::greater<>{}, std::move(entries));
    std::vector<std::int32_t> order;
    std::vector<double> contribution;
    auto lower = [&](std::size_t y, double w) {
      if (!in_set[y]) return;
      weight[y] -= w;
      heap.emplace(weight[y], static_cast<std::int32_t>(y));
    };
    while (!heap.empty()) {
      const auto [w, x] = heap.top();
      heap.pop();
      const auto xs = static_cast<std::size_t>(x);
      if (!in_set[xs] || w != weight[xs]) continue;  // stale entry
      in_set[xs] = 0;
      order.push_back(x);
      contribution.push_back(w);
      const std::size_t v = xs / 2;
      if (xs % 2 == 0) {
        for (auto i = by_payer_start_[v]; i < by_payer_start_[v + 1]; ++i) {
          const auto pi = static_cast<std::size_t>(i);
          if (alive_[pi]) lower(2 * payee(pairs_[pi]) + 1, link[payee(pairs_[pi])]);
        }
      } else {
        for (auto i = by_payee_start_[v]; i < by_payee_start_[v + 1]; ++i) {
          const std::size_t pi = by_payee_[static_cast<std::size_t>(i)];
          if (alive_[pi]) lower(2 * payer(pairs_[pi]), link[v]);
        }
      }
    }
    DenseBlock best = densest_suffix(order, contribution);
    for (std::int32_t p : best.payers) {
      const auto v = static_cast<std::size_t>(p);
      for (auto i = by_payer_start_[v]; i < by_payer_start_[v + 1]; ++i) {
        const auto pi = static_cast<std::size_t>(i);
        if (alive_[pi] && std::binary_search(best.payees.begin(), best.payees.end(), static_cast<std::int32_t>(payee(pairs_[pi])))) {
          ++best.links;
        }
      }
    }
    return best;
  }

  // The greedy peel over disjoint blocks of similar density returns their union (its density lies
  // between theirs): on the library's generator one block held four injected ones, and alerts()
  // merged nine blocks into one case of 306 alerts. So a block comes back as the connected parts
  // of its links with at least min_size payers and payees each, densest first (ties: first payer).
  std::vector<DenseBlock> split(const DenseBlock& block, std::size_t min_size) const {
    std::vector<std::int32_t> side_of(2 * n_, -1);  // side id -> member index
    for (std::size_t k = 0; k < block.payers.size(); ++k) side_of[2 * static_cast<std::size_t>(block.payers[k])] = static_cast<std::int32_t>(k);
    for (std::size_t k = 0; k < block.payees.size(); ++k) {
      side_of[2 * static_cast<std::size_t>(block.payees[k]) + 1] = static_cast<std::int32_t>(block.payers.size() + k);
    }
    detail::UnionFind parts(block.payers.size() + block.payees.size());
    std::vector<std::size_t> inside;  // live links of the block
    for (std::int32_t p : block.payers) {
      const auto v = static_cast<std::size_t>(p);
      for (auto i = by_payer_start_[v]; i < by_payer_start_[v + 1]; ++i) {
        const auto pi = static_cast<std::size_t>(i);
        const std::int32_t q = side_of[2 * payee(pairs_[pi]) + 1];
        if (!alive_[pi] || q < 0) continue;
        parts.unite(side_of[2 * v], q);
        inside.push_back(pi);
      }
    }
    const auto labels = parts.labels();  // 0.. in order of each part's first member
    const auto n_parts = static_cast<std::size_t>(labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1);
    if (n_parts <= 1) return {block};
    std::vector<DenseBlock> out(n_parts);
    for (std::size_t k = 0; k < block.payers.size(); ++k) out[static_cast<std::size_t>(labels[k])].payers.push_back(block.payers[k]);
    for (std::size_t k = 0; k < block.payees.size(); ++k) {
      out[static_cast<std::size_t>(labels[block.payers.size() + k])].payees.push_back(block.payees[k]);
    }
    for (std::size_t pi : inside) {  // the weights of densest(): 1/log(c + payee's live links), rounded
      DenseBlock& part = out[static_cast<std::size_t>(labels[static_cast<std::size_t>(side_of[2 * payer(pairs_[pi])])])];
      double w = 1.0;
      if (log_offset_ != 0) {
        w = 1.0 / std::log(log_offset_ + static_cast<double>(payee_degree_[payee(pairs_[pi])]));
        w = std::ldexp(std::round(std::ldexp(w, 24)), -24);
      }
      part.weight += w;
      ++part.links;
    }
    std::erase_if(out, [&](const DenseBlock& b) { return b.payers.size() < min_size || b.payees.size() < min_size; });
    for (DenseBlock& part : out) {
      part.density = part.weight / static_cast<double>(part.payers.size() + part.payees.size());
      part.lift = block.density > 0 ? block.lift * part.density / block.density : 0.0;  // against all links peeled
    }
    std::sort(out.begin(), out.end(), [](const DenseBlock& a, const DenseBlock& b) {  // ties: by first payer
      return a.density != b.density ? a.density > b.density : a.payers.front() < b.payers.front();
    });
    return out;
  }

  // The next block is sought among the links outside this one.
  void remove(const DenseBlock& block) {
    for (std::int32_t p : block.payers) {
      const auto v = static_cast<std::size_t>(p);
      for (auto i = by_payer_start_[v]; i < by_payer_start_[v + 1]; ++i) {
        const auto pi = static_cast<std::size_t>(i);
        if (alive_[pi] && std::binary_search(block.payees.begin(), block.payees.end(), static_cast<std::int32_t>(payee(pairs_[pi])))) {
          alive_[pi] = 0;
          --payee_degree_[payee(pairs_[pi])];
        }
      }
    }
  }

 private:
  static std::size_t payer(std::uint64_t k) { return static_cast<std::size_t>(k >> 32); }
  static std::size_t payee(std::uint64_t k) { return static_cast<std::size_t>(k & 0xffffffffu); }
  std::size_t n_;
  double log_offset_;
  std::vector<std::uint64_t> pairs_;  // sorted payer·2^32 + payee, distinct
  std::vector<char> alive_;
  std::vector<std::int64_t> by_payer_start_, by_payee_start_;  // pairs_ is grouped by payer already
  std::vector<std::size_t> by_payee_;
  std::vector<std::int64_t> payee_degree_;  // live links per payee
  std::size_t n_alive_ = 0;
};

}  // namespace

DenseBlocksResult dense_blocks(const TransactionGraph& g, const DenseBlockOptions& o) {
  o.validate();
  const auto src = g.src(), dst = g.dst();
  std::vector<std::uint64_t> pairs(src.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    pairs[i] = (static_cast<std::uint64_t>(src[i]) << 32) | static_cast<std::uint32_t>(dst[i]);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (o.max_degree > 0) {  // leave out the busy core: distinct counterparties on each side
    std::vector<std::int64_t> payees_of(g.n_nodes(), 0), payers_of(g.n_nodes(), 0);
    for (std::uint64_t k : pairs) {
      ++payees_of[static_cast<std::size_t>(k >> 32)];
      ++payers_of[static_cast<std::size_t>(k & 0xffffffffu)];
    }
    std::erase_if(pairs, [&](std::uint64_t k) {
      return payees_of[static_cast<std::size_t>(k >> 32)] > o.max_degree ||
             payers_of[static_cast<std::size_t>(k & 0xffffffffu)] > o.max_degree;
    });
  }
  DenseBlocksResult result;
  FlatPeel peel(g.n_nodes(), std::move(pairs), o.log_offset);
  for (int b = 0; b < o.n_blocks; ++b) {
    DenseBlock block = peel.densest();
    if (peel.alive_links() == 0) break;
    if (static_cast<int>(block.payers.size()) < o.min_size || static_cast<int>(block.payees.size()) < o.min_size) break;
    if (block.lift < o.min_lift) break;
    if (!o.split) {
      peel.remove(block);
      result.blocks.push_back(std::move(block));
      continue;
    }
    // parts too small or too thin to report keep their links for the blocks that follow (the
    // densest part is at least as dense as the whole, so it is reported unless it is too small)
    auto parts = peel.split(block, static_cast<std::size_t>(o.min_size));
    std::erase_if(parts, [&](const DenseBlock& part) { return part.lift < o.min_lift; });
    if (parts.empty()) {  // all of it thin: report it whole rather than lose it
      peel.remove(block);
      result.blocks.push_back(std::move(block));
      continue;
    }
    for (auto& part : parts) {
      if (static_cast<int>(result.blocks.size()) == o.n_blocks) break;
      peel.remove(part);
      result.blocks.push_back(std::move(part));
    }
    b = static_cast<int>(result.blocks.size()) - 1;
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
