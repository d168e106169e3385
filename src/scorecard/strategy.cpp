#include "bankquant/scorecard/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/statistics.hpp"

namespace bankquant::scorecard {

void CutoffOptions::validate() const {
  check::all_finite("cutoffs", cutoffs);
  check::finite("profit_per_good", profit_per_good);
  check::finite("loss_per_bad", loss_per_bad);
}

CutoffAnalysis cutoff_analysis(std::span<const double> score, std::span<const double> bad, const CutoffOptions& o) {
  o.validate();
  check::not_empty("score", score.size());
  check::all_finite("score", score);
  check::same_size("score", score.size(), "y", bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    if (!(bad[i] >= 0.0 && bad[i] <= 1.0)) {
      check::fail("y", fmt::format("expected 0/1 outcomes or probabilities in [0, 1], found {} at index {}", bad[i], i));
    }
  }
  std::vector<double> sorted(score.begin(), score.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> cutoffs = o.cutoffs;
  if (cutoffs.empty()) {
    for (int k = 0; k <= 20; ++k) cutoffs.push_back(stats::quantile_sorted(sorted, k / 20.0));
  }
  std::sort(cutoffs.begin(), cutoffs.end());
  cutoffs.erase(std::unique(cutoffs.begin(), cutoffs.end()), cutoffs.end());
  // bads by score order: suffix sums give the approved bads of any cutoff
  std::vector<std::size_t> order(score.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  std::vector<double> suffix(order.size() + 1, 0.0);
  for (std::size_t k = order.size(); k-- > 0;) suffix[k] = suffix[k + 1] + bad[order[k]];
  CutoffAnalysis r;
  double top = -std::numeric_limits<double>::infinity();
  const auto n = static_cast<double>(score.size());
  for (double c : cutoffs) {
    const auto first = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), c) - sorted.begin());
    CutoffRow row;
    row.cutoff = c;
    row.approved = static_cast<double>(sorted.size() - first);
    row.approval_rate = row.approved / n;
    row.expected_bads = suffix[first];
    row.bad_rate = row.approved > 0 ? row.expected_bads / row.approved : std::numeric_limits<double>::quiet_NaN();
    row.profit = (row.approved - row.expected_bads) * o.profit_per_good - row.expected_bads * o.loss_per_bad;
    top = std::max(top, row.profit);
    r.rows.push_back(row);
  }
  for (auto& row : r.rows) row.best = row.profit == top;
  return r;
}

void DecisionOptions::validate() const {
  check::finite("approve_at", approve_at);
  check::finite("decline_below", decline_below);
  if (!(decline_below <= approve_at)) {
    throw InvalidArgument(fmt::format("arguments 'decline_below' ({}) and 'approve_at' ({}): expected decline_below "
                                      "<= approve_at",
                                      decline_below, approve_at));
  }
}

DecisionResult decision_bands(std::span<const double> score, const std::vector<std::vector<std::uint8_t>>& policy,
                              const DecisionOptions& o) {
  o.validate();
  check::all_finite("score", score);
  for (std::size_t r = 0; r < policy.size(); ++r) {
    if (policy[r].size() != score.size()) {
      check::fail("policy_rules", fmt::format("rule {} has {} flags for {} scores", r, policy[r].size(), score.size()));
    }
  }
  DecisionResult d;
  d.decision.resize(score.size());
  d.rule.assign(score.size(), -1);
  for (std::size_t i = 0; i < score.size(); ++i) {
    d.decision[i] = score[i] >= o.approve_at ? 0 : score[i] < o.decline_below ? 2 : 1;
    for (std::size_t r = 0; r < policy.size(); ++r) {
      if (policy[r][i]) {
        d.decision[i] = 2;
        d.rule[i] = static_cast<std::int32_t>(r);
        break;
      }
    }
  }
  return d;
}

void MasterScale::validate() const {
  if (grades.size() != pd_bounds.size() || grades.empty()) {
    throw InvalidArgument(fmt::format("arguments 'grades' and 'pd_bounds': expected the same non-zero length, got {} "
                                      "and {}",
                                      grades.size(), pd_bounds.size()));
  }
  check::all_finite("pd_bounds", pd_bounds);
  check::sorted<double>("pd_bounds", pd_bounds, true);
  if (!(pd_bounds.front() > 0) || pd_bounds.back() != 1.0) {
    check::fail("pd_bounds", "expected increasing bounds in (0, 1], the last 1.0");
  }
  check::probability("pd_floor", pd_floor);
}

std::vector<std::int32_t> MasterScale::grade(std::span<const double> pd) const {
  validate();
  std::vector<std::int32_t> out(pd.size());
  for (std::size_t i = 0; i < pd.size(); ++i) {
    if (!(pd[i] >= 0.0 && pd[i] <= 1.0)) {
      check::fail("pd_values", fmt::format("expected probabilities in [0, 1], found {} at index {}", pd[i], i));
    }
    out[i] = static_cast<std::int32_t>(std::lower_bound(pd_bounds.begin(), pd_bounds.end(), pd[i]) - pd_bounds.begin());
  }
  return out;
}

}  // namespace bankquant::scorecard
