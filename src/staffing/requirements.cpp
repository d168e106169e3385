#include "bankquant/staffing/requirements.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "queue_kernels.hpp"

namespace bankquant::staffing {
namespace {

using bankquant::detail::kInf;
// Above this negative-binomial size the rate's spread (sd = mean / sqrt(size)) is below 0.03% of
// the mean: staff for the mean.
constexpr double kPoissonSize = 1e7;

constexpr int kPanels = 16;
constexpr int kPerPanel = 8;
constexpr int kNodes = kPanels * kPerPanel;

// Rate factors G' ~ Gamma(size + 1, 1 / size) (the arrival-weighted Gamma(size, 1/size)) at the
// composite Gauss-Legendre nodes of the probability scale, and their weights (summing to 1).
using Rule = boost::math::quadrature::gauss<double, kPerPanel>;

struct MixtureNodes {
  double size = 0.0;
  std::array<double, kNodes> factor{};
  std::array<double, kNodes> weight{};
};

// Calls f(factor, weight) at the 8 Gauss-Legendre nodes of [lo, hi] in the probability scale.
template <typename F>
void panel_nodes(double size, double lo, double hi, F&& f) {
  const auto& x = Rule::abscissa();  // the positive half of the nodes on [-1, 1]
  const auto& w = Rule::weights();
  const double centre = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (double sign : {-1.0, 1.0}) {
      const double u = centre + sign * half * x[i];
      f(boost::math::gamma_p_inv(size + 1.0, u) / size, half * w[i]);
    }
  }
}

MixtureNodes mixture_nodes(double size) {
  MixtureNodes out;
  out.size = size;
  std::size_t k = 0;
  for (int p = 0; p < kPanels; ++p) {
    panel_nodes(size, static_cast<double>(p) / kPanels, static_cast<double>(p + 1) / kPanels, [&](double g, double w) {
      out.factor[k] = g;
      out.weight[k] = w;
      ++k;
    });
  }
  return out;
}

// Erlang C at the fixed nodes for every server count a search asks for: per node, C(k) from one
// inverse Erlang B recursion stepped once per k (the very values a fresh recursion to k gives), so
// a search over n pays O(1) per node and step instead of O(n). Erlang C without peakedness only.
class NodeErlangC {
 public:
  NodeErlangC(double mean_rate, const MixtureNodes& nodes, const QueueModel& model) {
    for (double g : nodes.factor) recursion_.emplace_back(mean_rate * g * model.service_time);
    c_.resize(recursion_.size());
  }

  double at(std::size_t node, int servers) {
    auto& c = c_[node];
    auto& r = recursion_[node];
    while (static_cast<int>(c.size()) <= servers) {
      c.push_back(r.erlang_c());
      r.step();
    }
    return c[static_cast<std::size_t>(servers)];
  }

 private:
  std::vector<detail::InverseErlangB> recursion_;
  std::vector<std::vector<double>> c_;
};

detail::Measures mixed_at(double mean_rate, const MixtureNodes& nodes, int servers, const QueueModel& model,
                          double target_time, NodeErlangC* tables = nullptr) {
  detail::Measures out;
  double answered = 0.0, answered_wait = 0.0, busy = 0.0;
  bool infinite_asa = false;
  const double load = mean_rate * model.service_time;
  auto add_measures = [&](double g, double w, const detail::Measures& m) {
    out.service_level += w * m.service_level;
    out.prob_wait += w * m.prob_wait;
    out.prob_abandon += w * m.prob_abandon;
    answered += w * (1.0 - m.prob_abandon);
    if (std::isinf(m.asa)) infinite_asa = infinite_asa || (w > 0 && m.prob_abandon < 1.0);
    else answered_wait += w * (1.0 - m.prob_abandon) * m.asa;
    // E[busy] = E[G f(G)] = E_{G'}[f(G')] with busy = G f(G): a (1 - P_ab) when stable, n / G when not.
    busy += w * (m.stable ? load * (1.0 - m.prob_abandon) : static_cast<double>(servers) / g);
  };
  auto add = [&](double g, double w) { add_measures(g, w, detail::measures_at(mean_rate * g, servers, model, target_time)); };
  // An Erlang C queue turns unstable at G = n / a, where the measures have a kink: the panel holding
  // it is integrated in two halves split there, so the rule stays accurate to ~1e-6.
  int split_panel = -1;
  double u_split = 0.0;
  if (!model.abandonment() && load > 0 && servers > 0) {
    try {
      u_split = boost::math::gamma_p(nodes.size + 1.0, static_cast<double>(servers) / load * nodes.size);
    } catch (const std::overflow_error&) {
      u_split = 0.0;  // Boost overflows in tgamma for a large shape at a tiny x, where P is 0
    }
    // A kink within 1e-12 of either end carries no weight worth integrating apart, and the nodes
    // beyond it would round to a probability of 0 or 1, where the Gamma quantile is 0 or overflows
    // (found on the call-centre forecast: size 16216, 119 servers).
    if (u_split > 1e-12 && u_split < 1.0 - 1e-12) split_panel = std::min(kPanels - 1, static_cast<int>(u_split * kPanels));
  }
  // Tables up to 20,000 servers (20 MB at most); beyond, the recursion afresh as before.
  const bool tabled = tables != nullptr && !model.abandonment() && model.peakedness == 1.0 && servers > 0 &&
                      servers <= 20000;
  for (int p = 0; p < kPanels; ++p) {
    if (p == split_panel) {
      panel_nodes(nodes.size, static_cast<double>(p) / kPanels, u_split, add);
      panel_nodes(nodes.size, u_split, static_cast<double>(p + 1) / kPanels, add);
      continue;
    }
    for (int i = 0; i < kPerPanel; ++i) {
      const auto k = static_cast<std::size_t>(p * kPerPanel + i);
      const double g = nodes.factor[k], rate = mean_rate * g;
      if (tabled && rate > 0.0) {  // measures_at's Erlang C, with C from the node's table
        const double node_load = rate * model.service_time, n = static_cast<double>(servers);
        const auto m = node_load < n ? detail::erlang_c_measures(tables->at(k, servers), node_load, n, model.service_time,
                                                                 target_time, model.peakedness, model.service_scv)
                                     : detail::erlang_c_measures(1.0, node_load, n, model.service_time, target_time, 1.0, 1.0);
        add_measures(g, nodes.weight[k], m);
      } else {
        add(g, nodes.weight[k]);
      }
    }
  }
  out.asa = infinite_asa ? kInf : (answered > 0 ? answered_wait / answered : 0.0);
  out.occupancy = servers > 0 ? std::min(1.0, busy / static_cast<double>(servers)) : 0.0;
  out.stable = true;
  return out;
}

int required_mixed(double mean_rate, const MixtureNodes& nodes, const QueueModel& model,
                   const StaffingTarget& target, NodeErlangC* tables) {
  auto meets = [&](int n) {
    return detail::missed_target(mixed_at(mean_rate, nodes, n, model, target.target_time, tables), target) == nullptr;
  };
  // Every averaged measure is monotone in n. Gallop from the mean's requirement (the answer is
  // usually a few servers away), then bisect.
  int start;
  try {
    start = required_servers(mean_rate, model, target);
  } catch (const InvalidArgument&) {
    start = target.max_servers;
  }
  int lo, hi;
  if (meets(start)) {
    hi = start;
    lo = start;
    for (int step = 1;; step *= 2) {
      lo = std::max(0, hi - step);
      if (lo == 0 || !meets(lo)) break;
      hi = lo;
    }
  } else {
    lo = start;
    for (int step = 1;; step = static_cast<int>(std::min<long long>(2LL * step, 1LL << 30))) {
      if (lo >= target.max_servers) {
        const char* missed = detail::missed_target(mixed_at(mean_rate, nodes, lo, model, target.target_time), target);
        check::fail(missed, fmt::format("cannot be met with up to max_servers = {} servers at a mean arrival_rate "
                                        "of {:.6g} averaged over the forecast's uncertainty",
                                        target.max_servers, mean_rate));
      }
      hi = static_cast<int>(std::min<long long>(static_cast<long long>(lo) + step, target.max_servers));
      if (meets(hi)) break;
      lo = hi;
    }
  }
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    (meets(mid) ? hi : lo) = mid;
  }
  return hi;
}

void check_period_starts(std::span<const std::size_t> starts, std::size_t n) {
  for (std::size_t i = 0; i < starts.size(); ++i) {
    if (starts[i] >= n && n > 0) {
      check::fail("period_starts", fmt::format("expected interval indices below {}, got {} at position {}", n, starts[i], i));
    }
    if (i > 0 && !(starts[i - 1] < starts[i])) {
      check::fail("period_starts", fmt::format("expected increasing indices, but {} follows {}", starts[i], starts[i - 1]));
    }
  }
}

std::vector<char> period_flags(std::span<const std::size_t> starts, std::size_t n) {
  std::vector<char> flag(n, 0);
  if (n > 0) flag[0] = 1;
  for (std::size_t s : starts) flag[s] = 1;
  return flag;
}

}  // namespace

void RequirementOptions::validate() const {
  queue.validate();
  target.validate();
  check::finite("interval_length", interval_length);
  check::positive("interval_length", interval_length);
  check::open_unit_interval("quantile", quantile);
  if (use == ForecastUse::mixture && !queue.abandonment() && target.max_asa < kInf) {
    check::fail("max_asa", "the ASA of an Erlang C queue averaged over an uncertain rate is infinite (some rates "
                           "exceed any capacity): give the queue a finite patience (Erlang A), or staff for the "
                           "mean or a quantile");
  }
}

std::vector<double> lagged_rates(std::span<const double> rates, double interval_length, double service_time,
                                 std::span<const std::size_t> period_starts) {
  check::all_finite("rates", rates);
  check::all_non_negative("rates", rates);
  check::finite("interval_length", interval_length);
  check::positive("interval_length", interval_length);
  check::finite("service_time", service_time);
  check::positive("service_time", service_time);
  check_period_starts(period_starts, rates.size());
  const auto starts = period_flags(period_starts, rates.size());
  // m' = lambda - m / s on each interval: m(u) = lambda s + (m0 - lambda s) e^{-u/s}.
  const double decay = std::exp(-interval_length / service_time);
  const double average = service_time / interval_length * -std::expm1(-interval_length / service_time);
  std::vector<double> out(rates.size());
  double m = 0.0;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (starts[i]) m = 0.0;
    const double level = rates[i] * service_time;
    const double mean_load = level + (m - level) * average;
    out[i] = mean_load / service_time;
    m = level + (m - level) * decay;
  }
  return out;
}

QueueMeasures mixed_measures(double mean_rate, double size, int servers, const QueueModel& model, double target_time) {
  check::finite("arrival_rate", mean_rate);
  check::non_negative("arrival_rate", mean_rate);
  if (!(size > 0)) check::fail("size", fmt::format("expected a negative-binomial size > 0 (inf for Poisson), got {}", size));
  check::integer_at_least("servers", servers, 0);
  check::finite("target_time", target_time);
  check::non_negative("target_time", target_time);
  model.validate();
  detail::Measures m;
  if (size >= kPoissonSize || mean_rate == 0.0) {
    m = detail::measures_at(mean_rate, servers, model, target_time);
  } else {
    m = mixed_at(mean_rate, mixture_nodes(size), servers, model, target_time);
  }
  QueueMeasures out;
  out.servers = servers;
  out.load = mean_rate * model.service_time;
  out.occupancy = m.occupancy;
  out.prob_wait = m.prob_wait;
  out.prob_abandon = m.prob_abandon;
  out.service_level = m.service_level;
  out.asa = m.asa;
  out.stable = m.stable;
  return out;
}

RequirementResult staffing_requirements(std::span<const CountDistribution> forecast,
                                        std::span<const std::size_t> period_starts, const RequirementOptions& options) {
  options.validate();
  const std::size_t n = forecast.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& d = forecast[i];
    if (!std::isfinite(d.mean) || d.mean < 0) {
      check::fail("forecast", fmt::format("expected finite mean counts >= 0, found {} at interval {}", d.mean, i));
    }
    if (d.family == CountFamily::negative_binomial && !(d.size > 0)) {
      check::fail("forecast", fmt::format("expected negative-binomial sizes > 0 (inf for Poisson), found {} at interval {}",
                                          d.size, i));
    }
  }
  check_period_starts(period_starts, n);
  const double dt = options.interval_length;
  const auto& model = options.queue;
  const auto& target = options.target;

  std::vector<double> rate(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double count = options.use == ForecastUse::quantile ? static_cast<double>(forecast[i].quantile(options.quantile))
                                                              : forecast[i].mean;
    rate[i] = count / dt;
  }
  if (options.period_method == PeriodMethod::lagged_sipp) rate = lagged_rates(rate, dt, model.service_time, period_starts);

  RequirementResult out;
  out.arrival_rate = rate;
  out.servers.assign(n, 0);
  out.staff.assign(n, 0);
  out.service_level.assign(n, 1.0);
  out.asa.assign(n, 0.0);
  out.prob_abandon.assign(n, 0.0);
  out.occupancy.assign(n, 0.0);
  parallel_for_chunks(n, 32, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const double r = rate[i];
      const auto& d = forecast[i];
      const bool mix = options.use == ForecastUse::mixture && d.family == CountFamily::negative_binomial &&
                       d.size < kPoissonSize && r > 0.0;
      int servers;
      detail::Measures m;
      if (mix) {
        const auto nodes = mixture_nodes(d.size);
        NodeErlangC tables(r, nodes, model);
        servers = required_mixed(r, nodes, model, target, &tables);
        m = mixed_at(r, nodes, servers, model, target.target_time, &tables);
      } else {
        servers = required_servers(r, model, target);
        m = detail::measures_at(r, servers, model, target.target_time);
      }
      out.servers[i] = servers;
      out.staff[i] = staff_for_servers(servers, target.shrinkage);
      out.service_level[i] = m.service_level;
      out.asa[i] = m.asa;
      out.prob_abandon[i] = m.prob_abandon;
      out.occupancy[i] = m.occupancy;
    }
  });
  return out;
}

RequirementResult staffing_requirements(std::span<const double> mean, std::span<const double> size,
                                        std::span<const std::size_t> period_starts, const RequirementOptions& options) {
  if (!size.empty()) check::same_size("mean", mean.size(), "size", size.size());
  std::vector<CountDistribution> forecast(mean.size());
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const double r = size.empty() ? kInf : size[i];
    if (std::isnan(r) || r <= 0) {
      check::fail("size", fmt::format("expected negative-binomial sizes > 0 (inf for Poisson), found {} at interval {}", r, i));
    }
    forecast[i] = std::isinf(r) ? CountDistribution::poisson(mean[i]) : CountDistribution::negative_binomial(mean[i], r);
  }
  return staffing_requirements(forecast, period_starts, options);
}

}  // namespace bankquant::staffing
