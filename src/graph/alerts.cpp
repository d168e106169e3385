#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <numeric>
#include <tuple>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/alerts.hpp"
#include "bankquant/graph/detail/union_find.hpp"

namespace bankquant::graph {

void AlertList::add(const TransactionGraph& g, Typology t, std::int32_t focal, std::vector<std::int32_t> witness_edges,
                    double alert_score, std::string why) {
  const auto ts = g.timestamp();
  const auto amounts = g.amount();
  // the witness in time order (then edge id), each transfer once: the order of a report
  std::sort(witness_edges.begin(), witness_edges.end(), [&](std::int32_t a, std::int32_t b) {
    return std::pair{ts[static_cast<std::size_t>(a)], a} < std::pair{ts[static_cast<std::size_t>(b)], b};
  });
  witness_edges.erase(std::unique(witness_edges.begin(), witness_edges.end()), witness_edges.end());
  std::int64_t lo = INT64_MAX, hi = INT64_MIN;
  double total = 0;
  for (std::int32_t e : witness_edges) {
    lo = std::min(lo, ts[static_cast<std::size_t>(e)]);
    hi = std::max(hi, ts[static_cast<std::size_t>(e)]);
    total += amounts[static_cast<std::size_t>(e)];
  }
  if (witness_edges.empty()) lo = hi = 0;
  typology.push_back(t);
  node.push_back(focal);
  start.push_back(lo);
  end.push_back(hi);
  amount.push_back(total);
  score.push_back(alert_score);
  reason.push_back(std::move(why));
  edges.insert(edges.end(), witness_edges.begin(), witness_edges.end());
  offsets.push_back(static_cast<std::int64_t>(edges.size()));
  case_id.push_back(-1);
}

void AlertList::append(const AlertList& other) {
  const auto base = static_cast<std::int64_t>(edges.size());
  typology.insert(typology.end(), other.typology.begin(), other.typology.end());
  node.insert(node.end(), other.node.begin(), other.node.end());
  start.insert(start.end(), other.start.begin(), other.start.end());
  end.insert(end.end(), other.end.begin(), other.end.end());
  amount.insert(amount.end(), other.amount.begin(), other.amount.end());
  score.insert(score.end(), other.score.begin(), other.score.end());
  reason.insert(reason.end(), other.reason.begin(), other.reason.end());
  case_id.insert(case_id.end(), other.case_id.begin(), other.case_id.end());
  case_id.resize(node.size(), -1);
  edges.insert(edges.end(), other.edges.begin(), other.edges.end());
  for (std::size_t k = 1; k < other.offsets.size(); ++k) offsets.push_back(base + other.offsets[k]);
}

AlertList AlertList::select(std::span<const std::size_t> positions) const {
  AlertList out;
  for (std::size_t k : positions) {
    if (k >= size()) check::fail("positions", fmt::format("alert {} outside the {} alerts", k, size()));
    out.typology.push_back(typology[k]);
    out.node.push_back(node[k]);
    out.start.push_back(start[k]);
    out.end.push_back(end[k]);
    out.amount.push_back(amount[k]);
    out.score.push_back(score[k]);
    out.reason.push_back(reason[k]);
    out.case_id.push_back(k < case_id.size() ? case_id[k] : -1);
    const auto w = witness(k);
    out.edges.insert(out.edges.end(), w.begin(), w.end());
    out.offsets.push_back(static_cast<std::int64_t>(out.edges.size()));
  }
  return out;
}

void RankOptions::validate() const { check::integer_at_least("budget", budget, 0); }

AlertList rank_alerts(const AlertList& alerts, const RankOptions& options) {
  options.validate();
  const std::size_t n = alerts.size();
  if (alerts.score.size() != n || alerts.offsets.size() != n + 1 || alerts.typology.size() != n) {
    check::fail("alerts", fmt::format("inconsistent alert list: {} alerts, {} scores, {} offsets", n, alerts.score.size(),
                                      alerts.offsets.size()));
  }
  for (double s : alerts.score) {
    if (!std::isfinite(s)) check::fail("alerts", "expected finite scores");
  }
  // cases: alerts sharing a witness edge, through a union-find over alerts keyed by edge
  detail::UnionFind cases(n);
  std::unordered_map<std::int32_t, std::int32_t> first_alert;
  first_alert.reserve(alerts.edges.size());
  for (std::size_t k = 0; k < n; ++k) {
    for (std::int32_t e : alerts.witness(k)) {
      const auto [it, fresh] = first_alert.try_emplace(e, static_cast<std::int32_t>(k));
      if (!fresh) cases.unite(it->second, static_cast<std::int32_t>(k));
    }
  }
  auto first_edge = [&](std::size_t k) {
    const auto w = alerts.witness(k);
    return w.empty() ? INT32_MAX : *std::min_element(w.begin(), w.end());
  };
  auto before = [&](std::size_t a, std::size_t b) {  // the order of alerts, and of cases by their best alert
    if (alerts.score[a] != alerts.score[b]) return alerts.score[a] > alerts.score[b];
    return std::tuple{alerts.typology[a], first_edge(a), alerts.witness(a).size(), alerts.node[a]} <
           std::tuple{alerts.typology[b], first_edge(b), alerts.witness(b).size(), alerts.node[b]};
  };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), before);
  // a case ranks where its best alert ranks
  std::vector<std::int64_t> rank_of_root(n, -1);
  std::int64_t n_cases = 0;
  for (std::size_t k : order) {
    auto& r = rank_of_root[static_cast<std::size_t>(cases.find(static_cast<std::int32_t>(k)))];
    if (r < 0) r = n_cases++;
  }
  std::vector<std::int64_t> case_of(n);
  for (std::size_t k = 0; k < n; ++k) case_of[k] = rank_of_root[static_cast<std::size_t>(cases.find(static_cast<std::int32_t>(k)))];
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return case_of[a] < case_of[b]; });
  if (options.budget > 0) {
    std::erase_if(order, [&](std::size_t k) { return case_of[k] >= options.budget; });
  }
  AlertList out = alerts.select(order);
  for (std::size_t k = 0; k < order.size(); ++k) out.case_id[k] = case_of[order[k]];
  return out;
}

}  // namespace bankquant::graph
