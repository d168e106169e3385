#include "bankquant/portfolio/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/var.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::VectorXd;

namespace {
using bankquant::detail::kInf;
}

void BacktestOptions::validate() const {
  check::integer_at_least("rebalance_every", rebalance_every, 1);
  for (std::size_t i = 0; i < rebalance_rows.size(); ++i) {
    if (rebalance_rows[i] < 0) check::fail("rebalance_rows", fmt::format("expected non-negative rows, got {} at {}", rebalance_rows[i], i));
    if (i > 0 && rebalance_rows[i] <= rebalance_rows[i - 1]) {
      check::fail("rebalance_rows", fmt::format("expected increasing rows, but {} follows {}", rebalance_rows[i], rebalance_rows[i - 1]));
    }
  }
  if (!(drift_band >= 0) || !std::isfinite(drift_band)) check::fail("drift_band", fmt::format("expected a non-negative number, got {}", drift_band));
  check::integer_at_least("start", start, 0);
  for (auto [name, v] : {std::pair{"proportional_cost", proportional_cost}, {"spread", spread}, {"impact", impact},
                         {"stop_loss", stop_loss}, {"target_volatility", target_volatility}, {"var_limit", var_limit}}) {
    if (!(v >= 0) || !std::isfinite(v)) check::fail(name, fmt::format("expected a non-negative number, got {}", v));
  }
  if (proportional_cost >= 1 || spread >= 1) check::fail("proportional_cost", "expected costs below 1 (a fraction of the value traded)");
  if (impact > 0) {
    if (adv.size() == 0) check::fail("adv", "square-root impact needs the average daily traded value of each asset");
    for (Index i = 0; i < adv.size(); ++i) {
      if (!(adv(i) > 0) || !std::isfinite(adv(i))) check::fail("adv", fmt::format("expected positive values, got {} at {}", adv(i), i));
    }
  }
  check::positive("initial_capital", initial_capital);
  if (!std::isfinite(initial_capital)) check::fail("initial_capital", "expected a finite number");
  if (!(cash_rate > -1) || !std::isfinite(cash_rate)) check::fail("cash_rate", fmt::format("expected a rate above -1, got {}", cash_rate));
  if (!(max_position > 0)) check::fail("max_position", fmt::format("expected a positive number, got {}", max_position));
  if (!(max_gross > 0)) check::fail("max_gross", fmt::format("expected a positive number, got {}", max_gross));
  if (stop_loss >= 1) check::fail("stop_loss", fmt::format("expected a fraction below 1, got {}", stop_loss));
  check::integer_at_least("volatility_window", volatility_window, 2);
  if (!(max_leverage > 0) || !std::isfinite(max_leverage)) check::fail("max_leverage", fmt::format("expected a positive number, got {}", max_leverage));
  check::open_unit_interval("var_level", var_level);
  check::integer_at_least("var_window", var_window, 2);
  if (var_limit > 0 && (1.0 - var_level) * var_window < 1.0) {
    check::fail("var_window", fmt::format("a {} VaR needs at least {} rows of history, got {}", var_level,
                                          static_cast<int>(std::ceil(1.0 / (1.0 - var_level))), var_window));
  }
  check::positive("periods_per_year", periods_per_year);
}

void check_prices(const Eigen::Ref<const RowMatrix>& P) {
  check::not_empty("prices", static_cast<std::size_t>(P.cols()));
  check::min_size("prices", static_cast<std::size_t>(P.rows()), 2);
  for (Index t = 0; t < P.rows(); ++t) {
    for (Index j = 0; j < P.cols(); ++j) {
      const double v = P(t, j);
      if (std::isnan(v)) {
        check::fail("prices", fmt::format("expected complete prices, found a gap (NaN) at row {}, column {}; fill or "
                                          "drop it first",
                                          t, j));
      }
      if (!(v > 0) || !std::isfinite(v)) {
        check::fail("prices", fmt::format("expected positive finite prices, found {} at row {}, column {}", v, t, j));
      }
    }
  }
}

namespace {

// Returns of the weights w over rows [t - window + 1, t] (asset returns from prices).
VectorXd window_returns(const Eigen::Ref<const RowMatrix>& P, Index t, Index window, const VectorXd& w) {
  const Index first = std::max<Index>(1, t - window + 1);
  VectorXd out(t - first + 1);
  for (Index s = first; s <= t; ++s) {
    double r = 0.0;
    for (Index j = 0; j < P.cols(); ++j) {
      if (w(j) != 0.0) r += w(j) * (P(s, j) / P(s - 1, j) - 1.0);
    }
    out(s - first) = r;
  }
  return out;
}

double sample_sd(const VectorXd& x) {
  if (x.size() < 2) return 0.0;
  const double m = x.mean();
  return std::sqrt((x.array() - m).square().sum() / static_cast<double>(x.size() - 1));
}

}  // namespace

BacktestResult run_backtest(const Eigen::Ref<const RowMatrix>& P, Strategy& strategy, const BacktestOptions& o,
                            const PerformanceOptions& stats_options) {
  o.validate();
  stats_options.validate();
  check_prices(P);
  const Index T = P.rows(), n = P.cols();
  if (o.adv.size() != 0 && o.adv.size() != n) check::shape("adv", o.adv.size(), 1, n, 1);
  BacktestResult r;
  r.strategy = strategy.name();
  const Index start = std::max<Index>(o.start, strategy.warmup());
  if (start >= T - 1) {
    check::fail("prices", fmt::format("{} rows leave nothing to trade: the strategy needs {} rows of history (start "
                                      "{})",
                                      T, strategy.warmup(), o.start));
  }
  r.start = static_cast<int>(start);
  strategy.prepare(P);
  std::vector<char> scheduled(static_cast<std::size_t>(T), 0);
  if (!o.rebalance_rows.empty()) {
    for (int row : o.rebalance_rows) {
      if (row >= start && row < T) scheduled[static_cast<std::size_t>(row)] = 1;
    }
  } else {
    for (Index t = start; t < T; t += o.rebalance_every) scheduled[static_cast<std::size_t>(t)] = 1;
  }
  r.equity = VectorXd::Ones(T);
  r.returns = VectorXd::Zero(T);
  r.gross_returns = VectorXd::Zero(T);
  r.turnover = VectorXd::Zero(T);
  r.costs = VectorXd::Zero(T);
  r.cash = VectorXd::Ones(T);
  r.gross_exposure = VectorXd::Zero(T);
  if (o.keep_paths) r.weights = RowMatrix::Zero(T, n);
  const double rc = std::pow(1.0 + o.cash_rate, 1.0 / o.periods_per_year) - 1.0;
  VectorXd w = VectorXd::Zero(n), target = VectorXd::Zero(n), proposal(n), returns(n);
  VectorXd entry = VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<char> stopped(static_cast<std::size_t>(n), 0);
  bool have_target = false;
  double value = 1.0;
  const std::vector<double> var_levels{o.var_level};

  for (Index t = start; t < T; ++t) {
    double gross_r = 0.0;
    if (t > start) {
      double invested = 0.0;
      for (Index j = 0; j < n; ++j) {
        returns(j) = P(t, j) / P(t - 1, j) - 1.0;
        gross_r += w(j) * returns(j);
        invested += w(j);
      }
      gross_r += (1.0 - invested) * rc;
      value *= 1.0 + gross_r;
      const double grow = 1.0 + gross_r;
      if (grow > 0) {
        for (Index j = 0; j < n; ++j) w(j) = w(j) * (1.0 + returns(j)) / grow;
      }
      if (!(value > 0)) {
        r.status = Status::make(StatusCode::numerical_failure,
                                fmt::format("the portfolio lost all its value at row {} (leverage too high)", t),
                                static_cast<int>(t));
        value = 0.0;
        r.equity.tail(T - t).setZero();
        r.returns(t) = -1.0;
        break;
      }
    }
    r.gross_returns(t) = gross_r;
    bool trade = false;
    if (scheduled[static_cast<std::size_t>(t)]) {
      proposal = w;
      bool ok = false;
      try {
        ok = strategy.target(P, t, w, proposal);
      } catch (const InvalidArgument& e) {
        if (r.failed_rebalances++ == 0) r.first_failure = fmt::format("row {}: {}", t, e.what());
      } catch (const NumericalError& e) {
        if (r.failed_rebalances++ == 0) r.first_failure = fmt::format("row {}: {}", t, e.what());
      }
      if (ok) {
        if (proposal.size() != n) {
          check::fail("strategy", fmt::format("'{}' returned {} weights at row {}, expected {}", r.strategy,
                                              proposal.size(), t, n));
        }
        for (Index j = 0; j < n; ++j) {
          if (!std::isfinite(proposal(j))) {
            check::fail("strategy", fmt::format("'{}' returned a non-finite weight {} for asset {} at row {}",
                                                r.strategy, proposal(j), j, t));
          }
        }
        target = proposal;
        have_target = true;
        std::fill(stopped.begin(), stopped.end(), 0);
        // Risk controls on the new target.
        for (Index j = 0; j < n; ++j) target(j) = std::clamp(target(j), -o.max_position, o.max_position);
        const double gross = target.cwiseAbs().sum();
        if (gross > o.max_gross) target *= o.max_gross / gross;
        if (o.target_volatility > 0 && target.cwiseAbs().sum() > 0) {
          const VectorXd hist = window_returns(P, t, o.volatility_window, target);
          const double vol = sample_sd(hist) * std::sqrt(o.periods_per_year);
          if (hist.size() >= 10 && vol > 0) {
            const double scale = std::min(o.max_leverage, o.target_volatility / vol);
            if (scale != 1.0) {
              target *= scale;
              ++r.volatility_scalings;
            }
          }
        }
        if (o.var_limit > 0 && target.cwiseAbs().sum() > 0) {
          const VectorXd hist = window_returns(P, t, o.var_window, target);
          if (static_cast<double>(hist.size()) * (1.0 - o.var_level) >= 1.0) {
            const std::vector<double> pnl(hist.data(), hist.data() + hist.size());
            const double var = risk::historical_var_es(pnl, var_levels).var[0];
            if (var > o.var_limit) {
              target *= o.var_limit / var;  // historical VaR is positively homogeneous in the weights
              ++r.var_scalings;
            }
          }
        }
        trade = true;
      }
    }
    // Stop-loss on open positions.
    if (o.stop_loss > 0) {
      for (Index j = 0; j < n; ++j) {
        if (w(j) == 0.0 || std::isnan(entry(j)) || stopped[static_cast<std::size_t>(j)]) continue;
        const double move = P(t, j) / entry(j) - 1.0;
        if ((w(j) > 0 && move <= -o.stop_loss) || (w(j) < 0 && move >= o.stop_loss)) {
          stopped[static_cast<std::size_t>(j)] = 1;
          ++r.stops;
          trade = true;
        }
      }
    }
    if (!trade && have_target && o.drift_band > 0) {
      for (Index j = 0; j < n && !trade; ++j) {
        const double goal = stopped[static_cast<std::size_t>(j)] ? 0.0 : target(j);
        trade = std::abs(w(j) - goal) > o.drift_band;
      }
    }
    if (trade && have_target) {
      double turnover = 0.0, cost = 0.0;
      for (Index j = 0; j < n; ++j) {
        const double goal = stopped[static_cast<std::size_t>(j)] ? 0.0 : target(j);
        const double d = goal - w(j);
        if (d == 0.0) continue;
        const double a = std::abs(d);
        turnover += a;
        cost += (o.proportional_cost + o.spread) * a;
        if (o.impact > 0) {
          double s2 = 0.0;
          const Index first = std::max<Index>(1, t - 20);
          int count = 0;
          double mean = 0.0;
          for (Index s = first; s <= t; ++s) {
            mean += P(s, j) / P(s - 1, j) - 1.0;
            ++count;
          }
          mean /= std::max(count, 1);
          for (Index s = first; s <= t; ++s) s2 += std::pow(P(s, j) / P(s - 1, j) - 1.0 - mean, 2);
          const double sigma = count > 1 ? std::sqrt(s2 / (count - 1)) : 0.0;
          const double traded = a * value * o.initial_capital;
          cost += o.impact * sigma * std::sqrt(traded / o.adv(j)) * a;
        }
        // Entry price: a position opened or turned around starts a new entry.
        if (w(j) == 0.0 || (w(j) > 0) != (goal > 0)) entry(j) = P(t, j);
        if (goal == 0.0) entry(j) = std::numeric_limits<double>::quiet_NaN();
        w(j) = goal;
      }
      if (turnover > 0) {
        cost = std::min(cost, 1.0);
        value *= 1.0 - cost;
        r.turnover(t) = turnover;
        r.costs(t) = cost;
        r.trades.push_back(static_cast<int>(t));
      }
    }
    r.returns(t) = t > start ? (1.0 + gross_r) * (1.0 - r.costs(t)) - 1.0 : -r.costs(t);
    r.equity(t) = value;
    r.cash(t) = 1.0 - w.sum();
    r.gross_exposure(t) = w.cwiseAbs().sum();
    if (o.keep_paths) r.weights.row(t) = w.transpose();
  }
  if (r.status.code == StatusCode::not_run) {
    r.status = Status::make(StatusCode::converged,
                            r.failed_rebalances == 0
                                ? fmt::format("{} trades over {} rows", r.trades.size(), T - start)
                                : fmt::format("{} rebalancings failed and kept the holdings; the first: {}",
                                              r.failed_rebalances, r.first_failure),
                            static_cast<int>(r.trades.size()));
  }
  const Index live = T - start;
  if (live >= 2) {
    const std::vector<double> ret(r.returns.data() + start, r.returns.data() + T);
    const std::vector<double> turn(r.turnover.data() + start, r.turnover.data() + T);
    bool valid = true;
    for (double v : ret) valid = valid && v > -1.0;
    if (valid) r.stats = performance_stats(ret, stats_options, turn);
  }
  return r;
}

std::vector<BacktestResult> run_backtest_grid(const Eigen::Ref<const RowMatrix>& P,
                                              const std::vector<std::unique_ptr<Strategy>>& strategies,
                                              const BacktestOptions& o, const PerformanceOptions& stats,
                                              const ProgressCallback& progress) {
  o.validate();
  stats.validate();
  check_prices(P);
  check::not_empty("strategies", strategies.size());
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    if (!strategies[i]) check::fail("strategies", fmt::format("strategy {} is empty", i));
  }
  std::vector<BacktestResult> out(strategies.size());
  ProgressReporter reporter(progress, strategies.size(), "backtests");
  const RowMatrix prices = P;  // one copy every task reads
  std::vector<std::string> errors(strategies.size());
  parallel_for_chunks(strategies.size(), 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (reporter.cancelled()) return;
      try {
        std::unique_ptr<Strategy> mine = strategies[i]->clone();
        out[i] = run_backtest(prices, *mine, o, stats);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
      reporter.advance(1);
    }
  });
  reporter.finish();
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) throw InvalidArgument(fmt::format("argument 'strategies': strategy {}: {}", i, errors[i]));
  }
  return out;
}

}  // namespace bankquant::portfolio
