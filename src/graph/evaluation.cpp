#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/evaluation.hpp"

namespace bankquant::graph {

void EvaluationOptions::validate() const {
  if (!(min_overlap > 0 && min_overlap <= 1)) {
    check::fail("min_overlap", fmt::format("expected a value in (0, 1], got {}", min_overlap));
  }
}

Evaluation evaluate(const AlertList& alerts, std::span<const Typology> pattern_typology, std::span<const std::int64_t> edge_offsets,
                    std::span<const std::int32_t> edges, const EvaluationOptions& o) {
  o.validate();
  const std::size_t n_patterns = pattern_typology.size();
  if (edge_offsets.size() != n_patterns + 1) {
    check::fail("truth", fmt::format("expected {} edge offsets for {} patterns, got {}", n_patterns + 1, n_patterns, edge_offsets.size()));
  }
  if (alerts.offsets.size() != alerts.size() + 1 || alerts.typology.size() != alerts.size()) {
    check::fail("alerts", "inconsistent alert list");
  }
  std::unordered_map<std::int32_t, std::int32_t> owner;  // edge -> pattern
  owner.reserve(edges.size());
  for (std::size_t k = 0; k < n_patterns; ++k) {
    if (edge_offsets[k] > edge_offsets[k + 1] || edge_offsets[k + 1] > static_cast<std::int64_t>(edges.size())) {
      check::fail("truth", "edge offsets must be increasing and within the edges");
    }
    for (auto i = edge_offsets[k]; i < edge_offsets[k + 1]; ++i) owner.emplace(edges[static_cast<std::size_t>(i)], static_cast<std::int32_t>(k));
  }
  constexpr std::size_t kTypes = static_cast<std::size_t>(Typology::fraud_ring) + 1;
  std::vector<std::int64_t> patterns(kTypes, 0), alert_count(kTypes, 0), detected(kTypes, 0), correct(kTypes, 0);
  for (Typology t : pattern_typology) ++patterns[static_cast<std::size_t>(t)];
  std::vector<char> found(n_patterns, 0);
  std::unordered_map<std::int32_t, std::int64_t> held;
  for (std::size_t a = 0; a < alerts.size(); ++a) {
    const auto t = static_cast<std::size_t>(alerts.typology[a]);
    ++alert_count[t];
    held.clear();
    std::int64_t fraud = 0;
    const auto w = alerts.witness(a);
    for (std::int32_t e : w) {
      const auto it = owner.find(e);
      if (it == owner.end()) continue;
      ++fraud;
      ++held[it->second];
    }
    if (!w.empty() && static_cast<double>(fraud) >= o.min_overlap * static_cast<double>(w.size())) ++correct[t];
    for (const auto& [p, count] : held) {
      const auto pi = static_cast<std::size_t>(p);
      const auto size = static_cast<double>(edge_offsets[pi + 1] - edge_offsets[pi]);
      if (pattern_typology[pi] == alerts.typology[a] && static_cast<double>(count) >= o.min_overlap * size) found[pi] = 1;
    }
  }
  for (std::size_t k = 0; k < n_patterns; ++k) detected[static_cast<std::size_t>(pattern_typology[k])] += found[k];
  Evaluation r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t t = 0; t < kTypes; ++t) {
    if (patterns[t] == 0 && alert_count[t] == 0) continue;
    r.typology.push_back(static_cast<Typology>(t));
    r.patterns.push_back(patterns[t]);
    r.alerts.push_back(alert_count[t]);
    r.detected.push_back(detected[t]);
    r.recall.push_back(patterns[t] > 0 ? static_cast<double>(detected[t]) / static_cast<double>(patterns[t]) : nan);
    r.precision.push_back(alert_count[t] > 0 ? static_cast<double>(correct[t]) / static_cast<double>(alert_count[t]) : nan);
  }
  return r;
}

}  // namespace bankquant::graph
