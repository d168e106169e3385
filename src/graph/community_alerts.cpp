#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/community_alerts.hpp"
#include "bankquant/graph/detail/edge_filter.hpp"
#include "bankquant/graph/hubs.hpp"

namespace bankquant::graph {
namespace {

// Labels checked against the graph; returns the number of communities (largest label + 1).
std::size_t check_labels(const TransactionGraph& g, std::span<const std::int32_t> labels) {
  check::same_size("labels", labels.size(), "nodes", g.n_nodes());
  std::int32_t k = 0;
  for (std::int32_t l : labels) {
    if (l < 0) check::fail("labels", fmt::format("expected non-negative community labels, got {}", l));
    k = std::max(k, l + 1);
  }
  return static_cast<std::size_t>(k);
}

}  // namespace

void RingOptions::validate() const {
  check::integer_at_least("min_size", min_size, 2);
  if (max_size < min_size) {
    throw InvalidArgument(fmt::format("arguments 'min_size' and 'max_size': expected 2 <= min_size <= max_size, got {} and {}",
                                      min_size, max_size));
  }
  check::non_negative("min_links_per_member", min_links_per_member);
  check::finite("min_links_per_member", min_links_per_member);
}

CommunitySummary community_summary(const TransactionGraph& g, std::span<const std::int32_t> labels,
                                   std::span<const std::int32_t> fraud) {
  const std::size_t k = check_labels(g, labels);
  for (std::int32_t v : fraud) {
    if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("fraud", fmt::format("node {} outside the graph", v));
  }
  std::vector<std::int64_t> size(k, 0), internal(k, 0), fraud_members(k, 0);
  std::vector<double> internal_amount(k, 0.0), out(k, 0.0), in(k, 0.0);
  for (std::int32_t l : labels) ++size[static_cast<std::size_t>(l)];
  std::vector<char> is_fraud(g.n_nodes(), 0);
  for (std::int32_t v : fraud) is_fraud[static_cast<std::size_t>(v)] = 1;
  for (std::size_t v = 0; v < g.n_nodes(); ++v) fraud_members[static_cast<std::size_t>(labels[v])] += is_fraud[v];
  const auto src = g.src(), dst = g.dst();
  const auto amount = g.amount();
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    const auto a = static_cast<std::size_t>(labels[static_cast<std::size_t>(src[e])]);
    const auto b = static_cast<std::size_t>(labels[static_cast<std::size_t>(dst[e])]);
    if (a == b) {
      ++internal[a];
      internal_amount[a] += amount[e];
    } else {
      out[a] += amount[e];
      in[b] += amount[e];
    }
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
  CommunitySummary s;
  for (std::size_t c : order) {
    s.community.push_back(static_cast<std::int32_t>(c));
    s.size.push_back(size[c]);
    s.internal_transfers.push_back(internal[c]);
    s.fraud_members.push_back(fraud_members[c]);
    s.internal_amount.push_back(internal_amount[c]);
    s.amount_out.push_back(out[c]);
    s.amount_in.push_back(in[c]);
  }
  return s;
}

AlertList community_alerts(const TransactionGraph& g, std::span<const std::int32_t> labels, const RingOptions& options) {
  options.validate();
  const std::size_t k = check_labels(g, labels);
  std::vector<std::int64_t> size(k, 0);
  std::vector<std::int32_t> first_member(k, -1);
  for (std::size_t v = 0; v < labels.size(); ++v) {
    const auto c = static_cast<std::size_t>(labels[v]);
    ++size[c];
    if (first_member[c] < 0) first_member[c] = static_cast<std::int32_t>(v);
  }
  // distinct internal pairs {u, v}, u != v, per community
  const auto src = g.src(), dst = g.dst();
  std::vector<std::uint64_t> pairs;
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    const auto u = static_cast<std::uint32_t>(src[e]), v = static_cast<std::uint32_t>(dst[e]);
    if (u != v && labels[u] == labels[v]) pairs.push_back((std::uint64_t{std::min(u, v)} << 32) | std::max(u, v));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<std::int64_t> distinct(k, 0);
  for (std::uint64_t p : pairs) ++distinct[static_cast<std::size_t>(labels[static_cast<std::size_t>(p >> 32)])];
  std::vector<char> chosen(k, 0);
  for (std::size_t c = 0; c < k; ++c) {
    const double per_member = size[c] > 0 ? static_cast<double>(distinct[c]) / static_cast<double>(size[c]) : 0.0;
    chosen[c] = size[c] >= options.min_size && size[c] <= options.max_size && per_member >= options.min_links_per_member;
  }
  std::vector<std::vector<std::int32_t>> witness(k);
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    const auto c = static_cast<std::size_t>(labels[static_cast<std::size_t>(src[e])]);
    if (src[e] != dst[e] && chosen[c] && labels[static_cast<std::size_t>(dst[e])] == labels[static_cast<std::size_t>(src[e])]) {
      witness[c].push_back(static_cast<std::int32_t>(e));
    }
  }
  AlertList out;
  for (std::size_t c = 0; c < k; ++c) {
    if (!chosen[c] || witness[c].empty()) continue;
    const double per_member = static_cast<double>(distinct[c]) / static_cast<double>(size[c]);
    out.add(g, Typology::fraud_ring, first_member[c], std::move(witness[c]), per_member,
            fmt::format("{} accounts trading among themselves: {} distinct internal pairs, {:.1f} per member", size[c],
                        distinct[c], per_member));
  }
  return out;
}

void RingSearchOptions::validate() const {
  check::integer_at_least("span", span, 0);
  check::positive("resolution", resolution);
  check::finite("resolution", resolution);
  rings.validate();
  check::integer_at_least("hub_degree", hub_degree, 0);
  for (std::int32_t v : known_hubs) check::integer_at_least("known_hubs", v, 0);
}

AlertList find_rings(const TransactionGraph& g, const RingSearchOptions& o) {
  o.validate();
  HubOptions h;
  h.hub_degree = o.hub_degree;
  h.known_hubs = o.known_hubs;
  const auto hub = find_hubs(g, h).hub;
  const auto span = detail::pair_spans(g);
  const auto src = g.src(), dst = g.dst();
  std::vector<char> keep(g.n_edges(), 0);
  for (std::size_t e = 0; e < g.n_edges(); ++e) {
    keep[e] = src[e] != dst[e] && !hub[static_cast<std::size_t>(src[e])] && !hub[static_cast<std::size_t>(dst[e])] && span[e] <= o.span;
  }
  const auto fresh = detail::filter_edges(g, keep);
  if (fresh.graph.n_edges() == 0) return {};
  CommunityOptions c;
  c.objective = CommunityObjective::cpm;
  c.resolution = o.resolution;
  c.seed = o.seed;
  const CommunityResult communities = detect_communities(fresh.graph, c);
  AlertList rings = community_alerts(fresh.graph, communities.labels, o.rings);
  for (std::int32_t& e : rings.edges) e = fresh.original[static_cast<std::size_t>(e)];
  for (std::size_t k = 0; k < rings.size(); ++k) {
    rings.reason[k] = fmt::format("{} (new relationships only)", rings.reason[k]);
  }
  return rings;
}

}  // namespace bankquant::graph
