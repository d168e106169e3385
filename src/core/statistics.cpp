// The compiled part of statistics.hpp: weighted quantiles, and the float and double instances of
// the selection and ranking templates (statistics_impl.hpp).
#define BANKQUANT_STATISTICS_INSTANTIATE
#include "bankquant/core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::stats {

BANKQUANT_STATISTICS_INSTANTIATIONS(, float)
BANKQUANT_STATISTICS_INSTANTIATIONS(, double)

std::vector<double> weighted_quantiles(std::span<const double> x, std::span<const double> weights,
                                       std::span<const double> qs) {
  check::not_empty("x", x.size());
  check::same_size("x", x.size(), "weights", weights.size());
  check::all_finite("x", x);
  check::all_non_negative("weights", weights);
  check::all_finite("weights", weights);
  for (double q : qs) check::probability("q", q);

  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> cumulative(x.size());
  double total = 0.0;
  for (std::size_t i = 0; i < order.size(); ++i) cumulative[i] = (total += weights[order[i]]);
  if (!(total > 0.0)) check::fail("weights", "expected a positive sum of weights, got 0");
  for (double& c : cumulative) c /= total;  // as numpy: the normalised CDF, then searchsorted(left)

  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) {
    auto it = std::lower_bound(cumulative.begin(), cumulative.end(), q);
    std::size_t i = static_cast<std::size_t>(it - cumulative.begin());
    if (i >= order.size()) i = order.size() - 1;
    out.push_back(x[order[i]]);
  }
  return out;
}

double weighted_quantile(std::span<const double> x, std::span<const double> weights, double q) {
  const double qs[] = {q};
  return weighted_quantiles(x, weights, qs).front();
}

}  // namespace bankquant::stats
