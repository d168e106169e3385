#include "bankquant/risk/bootstrap.hpp"

#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

void BootstrapOptions::validate() const {
  if (n_boot < 100) check::fail("n_boot", fmt::format("expected at least 100 resamples, got {}", n_boot));
  check::open_unit_interval("ci", ci);
}

BootstrapResult bootstrap_var_es(std::span<const double> x, double level, const BootstrapOptions& o) {
  o.validate();
  const std::span<const double> levels(&level, 1);
  const VarEsTable point = historical_var_es(x, levels);  // checks x and the level
  const std::size_t n = x.size(), B = static_cast<std::size_t>(o.n_boot);
  std::vector<double> var(B), es(B);
  parallel_for_chunks(B, 1, [&](std::size_t b, std::size_t, std::size_t) {
    RandomStream stream(o.seed, b);
    std::vector<double> sample(n);
    for (double& v : sample) v = x[stream.uniform_int(n)];
    const VarEsTable e = historical_var_es(sample, levels);
    var[b] = e.var[0];
    es[b] = e.es[0];
  });
  BootstrapResult r;
  r.level = level;
  r.ci = o.ci;
  r.n_boot = o.n_boot;
  r.var = point.var[0];
  r.es = point.es[0];
  const std::vector<double> qs{(1 - o.ci) / 2, 1 - (1 - o.ci) / 2};
  const auto vq = stats::quantiles(var, qs), eq = stats::quantiles(es, qs);
  r.var_lower = vq[0];
  r.var_upper = vq[1];
  r.es_lower = eq[0];
  r.es_upper = eq[1];
  stats::RunningMoments mv, me;
  for (std::size_t b = 0; b < B; ++b) {
    mv.add(var[b]);
    me.add(es[b]);
  }
  r.var_std_error = mv.stddev(1);
  r.es_std_error = me.stddev(1);
  return r;
}

std::vector<double> bootstrap_sums(std::span<const double> x, int horizon, std::size_t n_paths, std::uint64_t seed) {
  check::not_empty("returns", x.size());
  check::all_finite("returns", x);
  check::integer_at_least("horizon", horizon, 1);
  if (n_paths < 100) check::fail("n_paths", fmt::format("expected at least 100 paths, got {}", n_paths));
  std::vector<double> out(n_paths);
  parallel_for_chunks(n_paths, 4096, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(seed, c);
    for (std::size_t p = begin; p < end; ++p) {
      double s = 0.0;
      for (int k = 0; k < horizon; ++k) s += x[stream.uniform_int(x.size())];
      out[p] = s;
    }
  });
  return out;
}

}  // namespace bankquant::risk
