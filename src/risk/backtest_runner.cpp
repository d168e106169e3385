#include "bankquant/risk/backtest_runner.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/volatility.hpp"

namespace bankquant::risk {
namespace {

double empirical_rank(std::span<const double> sample, double x) {
  std::size_t below = 0;
  for (double v : sample) below += v <= x ? 1 : 0;
  return static_cast<double>(below) / static_cast<double>(sample.size());
}

// P_t(x): the forecast distribution's probability of a P&L at or below x.
double rank_of(std::span<const double> w, const VarEsOptions& o, const VarEsResult& r, double x) {
  const boost::math::normal_distribution<double> n01;
  switch (o.method) {
    case VarMethod::historical:
      return empirical_rank(w, x);
    case VarMethod::age_weighted: {
      const double lambda = *r.lambda, n = static_cast<double>(w.size());
      double below = 0.0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] <= x) below += std::pow(lambda, static_cast<double>(w.size() - 1 - i));
      }
      return below * (1 - lambda) / (1 - std::pow(lambda, n));
    }
    case VarMethod::normal:
      return boost::math::cdf(n01, (x - r.mean) / r.sd);
    case VarMethod::student_t: {
      const double nu = *r.nu;
      return boost::math::cdf(boost::math::students_t_distribution<double>(nu), (x - r.mean) / (r.sd * std::sqrt((nu - 2) / nu)));
    }
    case VarMethod::cornish_fisher: {
      // invert the Cornish–Fisher quantile by bisection (monotone for moderate skewness and kurtosis)
      auto q = [&](double u) {
        const double z = boost::math::quantile(n01, u), s = r.skewness, k = r.excess_kurtosis;
        return r.mean + r.sd * (z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36);
      };
      double lo = 1e-12, hi = 1 - 1e-12;
      if (x <= q(lo)) return 0.0;
      if (x >= q(hi)) return 1.0;
      for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (q(mid) <= x ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
    case VarMethod::filtered_ewma: {
      const auto v = ewma_variance(w, *r.lambda);
      const auto scenarios = filtered_scenarios(w, std::span<const double>(v.data(), w.size()), v.back(), 0.0);
      return empirical_rank(scenarios, x);
    }
    case VarMethod::ewma_normal:
      return boost::math::cdf(n01, x / *r.volatility_forecast);
    case VarMethod::fhs:
    case VarMethod::filtered_garch:
    case VarMethod::garch: {
      const VolatilityResult& f = *r.volatility;
      const double sigma = std::sqrt(f.next_variance);
      if (o.method == VarMethod::garch) return f.innovation().cdf((x - f.next_mean) / sigma);
      std::vector<double> scenarios(f.standardized_residuals.size());
      for (std::size_t i = 0; i < scenarios.size(); ++i) scenarios[i] = f.next_mean + sigma * f.standardized_residuals[i];
      return empirical_rank(scenarios, x);
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

void RollingOptions::validate() const {
  if (window < 20) check::fail("window", fmt::format("expected at least 20 days, got {}", window));
  if (test_days && *test_days < 1) check::fail("test_days", "expected at least one day");
  check::integer_at_least("refit_every", refit_every, 1);
}

ForecastTable rolling_forecasts(std::span<const double> x, std::span<const double> levels,
                                const std::vector<RollingModel>& models, const RollingOptions& o) {
  o.validate();
  check::all_finite("returns", x);
  check_levels(levels, o.window);
  check::not_empty("models", models.size());
  for (const auto& m : models) {
    m.var_es.validate();
    if (m.var_es.horizon != 1) check::fail("models", fmt::format("model '{}': expected one-day forecasts (horizon 1)", m.name));
  }
  if (x.size() <= o.window) {
    check::fail("returns", fmt::format("{} days leave none to test after a {}-day window", x.size(), o.window));
  }
  const std::size_t available = x.size() - o.window;
  const std::size_t days = o.test_days.value_or(available);
  if (days > available) check::fail("test_days", fmt::format("expected 1 to {}, got {}", available, days));
  const std::size_t start = x.size() - days, L = levels.size(), M = models.size();
  ForecastTable out;
  out.start = start;
  out.pnl.assign(x.begin() + static_cast<std::ptrdiff_t>(start), x.end());
  for (const auto& m : models) {
    for (double a : levels) {
      out.model.push_back(m.name);
      out.level.push_back(a);
    }
  }
  const auto S = static_cast<Eigen::Index>(M * L), D = static_cast<Eigen::Index>(days);
  out.var.resize(D, S);
  out.es.resize(D, S);
  out.ranks.resize(D, S);
  const auto group = static_cast<std::size_t>(o.refit_every);
  const std::size_t groups = chunk_count(days, group);
  // One work item per (model, group of days); each item fills its own rows and columns.
  parallel_for_chunks(M * groups, 1, [&](std::size_t item, std::size_t, std::size_t) {
    const std::size_t m = item / groups, g = item % groups;
    const VarEsOptions& opt = models[m].var_es;
    const bool refit_only_at_start = uses_volatility_model(opt.method) && group > 1;
    std::optional<VolatilityResult> fit;
    for (std::size_t d = g * group; d < std::min(days, (g + 1) * group); ++d) {
      const std::size_t t = start + d;
      const std::span<const double> w = x.subspan(t - o.window, o.window);
      VarEsResult r;
      try {
        if (refit_only_at_start) {
          if (!fit) fit = fit_volatility(w, opt.volatility.value_or(VolatilityOptions{}));
          VolatilityResult filtered = d == g * group ? *fit : filter_volatility(*fit, w);
          r.method = opt.method;
          r.estimates = conditional_var_es(filtered, levels, opt.method == VarMethod::garch ? ConditionalMethod::parametric
                                                                                           : ConditionalMethod::fhs);
          r.volatility = std::move(filtered);
        } else {
          r = var_es(w, levels, opt);
        }
      } catch (const InvalidArgument& error) {
        throw InvalidArgument(fmt::format("model '{}' on the window ending day {}: {}", models[m].name, t, error.what()));
      }
      const double u = rank_of(w, opt, r, x[t]);
      for (std::size_t j = 0; j < L; ++j) {
        const auto row = static_cast<Eigen::Index>(d), col = static_cast<Eigen::Index>(m * L + j);
        out.var(row, col) = r.estimates.var[j];
        out.es(row, col) = r.estimates.es[j];
        out.ranks(row, col) = u;
      }
    }
  });
  return out;
}

BacktestSummary run_backtests(std::span<const double> pnl, const Eigen::Ref<const RowMatrix>& var,
                              const Eigen::Ref<const RowMatrix>& es, const Eigen::Ref<const RowMatrix>& ranks,
                              const std::vector<std::string>& model, std::span<const double> level,
                              const BacktestOptions& o) {
  o.es.validate();
  const auto T = static_cast<Eigen::Index>(pnl.size()), S = var.cols();
  check::not_empty("pnl", pnl.size());
  check::all_finite("pnl", pnl);
  check::shape("var", var.rows(), var.cols(), T, -1);
  check::all_finite("var", var);
  const bool with_es = es.size() > 0;
  if (with_es) {
    check::shape("es", es.rows(), es.cols(), T, S);
    check::all_finite("es", es);
  }
  if (ranks.size() > 0) check::shape("ranks", ranks.rows(), ranks.cols(), T, S);
  check::same_size("model", model.size(), "level", level.size());
  if (model.size() != static_cast<std::size_t>(S)) {
    check::fail("model", fmt::format("expected one name per forecast series ({}), got {}", S, model.size()));
  }
  BacktestSummary out;
  out.series.resize(static_cast<std::size_t>(S));
  parallel_for_chunks(static_cast<std::size_t>(S), 1, [&](std::size_t s, std::size_t, std::size_t) {
    const auto c = static_cast<Eigen::Index>(s);
    std::vector<double> vs(static_cast<std::size_t>(T)), esv, uv;
    for (Eigen::Index t = 0; t < T; ++t) vs[static_cast<std::size_t>(t)] = var(t, c);
    SeriesBacktest& b = out.series[s];
    b.model = model[s];
    b.level = level[s];
    try {
      const auto e = exceptions(pnl, vs);
      b.n = e.size();
      b.exceptions = static_cast<std::size_t>(std::accumulate(e.begin(), e.end(), 0));
      b.expected_exceptions = static_cast<double>(b.n) * (1 - b.level);
      b.traffic_light = traffic_light(e, b.level);
      b.binomial = binomial_test(e, b.level);
      b.pof = kupiec(e, b.level);
      b.tuff = tuff(e, b.level);
      const auto ch = christoffersen(e, b.level);
      b.cci = ch.independence;
      b.cc = ch.conditional_coverage;
      const auto tbf = time_between_failures(e, b.level);
      b.tbfi = tbf.independence;
      b.tbf = tbf.combined;
      if (with_es && o.es_tests) {
        esv.resize(static_cast<std::size_t>(T));
        for (Eigen::Index t = 0; t < T; ++t) esv[static_cast<std::size_t>(t)] = es(t, c);
        if (ranks.size() > 0) {
          uv.resize(static_cast<std::size_t>(T));
          for (Eigen::Index t = 0; t < T; ++t) uv[static_cast<std::size_t>(t)] = ranks(t, c);
        }
        b.es = es_backtest(pnl, vs, esv, b.level, o.es, uv);
      }
    } catch (const InvalidArgument& error) {
      throw InvalidArgument(fmt::format("series '{}' at level {}: {}", model[s], level[s], error.what()));
    }
  });
  return out;
}

}  // namespace bankquant::risk
