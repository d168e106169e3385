#include "bankquant/risk/tail.hpp"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/statistics.hpp"

namespace bankquant::risk {
namespace {

// How many of the largest losses the ES sum of var.cpp's tail_mean visits: the same loop over the
// same probabilities (1 / n each), without the data, so the count matches it in floating point.
std::size_t es_terms(std::size_t n, double a) {
  const double mass = 1.0 - a, p = 1.0 / static_cast<double>(n);
  double taken = 0.0;
  std::size_t i = 0;
  for (; i < n && taken < mass; ++i) taken += std::min(p, mass - taken);
  return i;
}

}  // namespace

std::size_t tail_size(std::size_t n, std::span<const double> levels) {
  check::not_empty("observations", n);
  check_levels(levels, n);
  std::size_t k = 1;
  for (double a : levels) {
    const auto p = stats::detail::locate(n, a, stats::QuantileMethod::linear);
    k = std::max({k, n - p.lo, es_terms(n, a)});
  }
  return std::min(k, n);
}

LossTail loss_tail(std::span<const double> pnl, std::size_t keep) {
  check::all_finite("pnl", pnl);
  LossTail tail;
  tail.observations = pnl.size();
  tail.losses.resize(pnl.size());
  std::transform(pnl.begin(), pnl.end(), tail.losses.begin(), [](double v) { return -v; });
  const std::size_t k = std::min(keep, pnl.size());
  std::partial_sort(tail.losses.begin(), tail.losses.begin() + static_cast<std::ptrdiff_t>(k), tail.losses.end(),
                    std::greater<>());
  tail.losses.resize(k);
  return tail;
}

LossTail merge_tails(std::span<const LossTail> tails, std::size_t keep) {
  LossTail out;
  for (std::size_t t = 0; t < tails.size(); ++t) {
    const LossTail& part = tails[t];
    const std::size_t want = std::min(keep, part.observations);
    if (part.losses.size() < want) {
      check::fail("tails", fmt::format("tail {} holds {} losses of {} observations; merging keeps {}: expected at "
                                       "least {}",
                                       t, part.losses.size(), part.observations, keep, want));
    }
    check::all_finite("tails", part.losses);
    out.observations += part.observations;
    out.losses.insert(out.losses.end(), part.losses.begin(), part.losses.end());
  }
  const std::size_t k = std::min(keep, out.losses.size());
  std::partial_sort(out.losses.begin(), out.losses.begin() + static_cast<std::ptrdiff_t>(k), out.losses.end(),
                    std::greater<>());
  out.losses.resize(k);
  return out;
}

VarEsTable tail_var_es(const LossTail& tail, std::span<const double> levels) {
  const std::size_t n = tail.observations;
  const std::size_t k = tail_size(n, levels);
  if (tail.losses.size() < k) {
    check::fail("tail", fmt::format("expected at least {} of the largest losses of {} observations for these levels, "
                                    "got {}",
                                    k, n, tail.losses.size()));
  }
  if (!std::is_sorted(tail.losses.begin(), tail.losses.end(), std::greater<>())) {
    check::fail("tail", "expected the losses largest first");
  }
  const std::vector<double>& worst = tail.losses;  // worst[r]: the (r + 1)-th largest loss
  const double p = 1.0 / static_cast<double>(n);
  VarEsTable out;
  for (double a : levels) {
    // VaR: numpy's linear quantile of the ascending losses, ascending[j] = worst[n - 1 - j], in the
    // arithmetic of stats::quantile_sorted (what historical_var_es calls).
    const auto pos = stats::detail::locate(n, a, stats::QuantileMethod::linear);
    const double var = stats::detail::value_at(pos, worst[n - 1 - pos.lo], worst[n - 1 - pos.hi]);
    // ES: var.cpp's tail_mean over the same losses in the same order.
    const double mass = 1.0 - a;
    double taken = 0.0, sum = 0.0;
    for (std::size_t i = 0; i < n && taken < mass; ++i) {
      const double w = std::min(p, mass - taken);
      sum += w * worst[i];
      taken += w;
    }
    out.level.push_back(a);
    out.var.push_back(var);
    out.es.push_back(sum / mass);
  }
  return out;
}

}  // namespace bankquant::risk
