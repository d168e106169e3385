#include "bankquant/risk/backtest_runner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

namespace {

std::vector<double> garch_returns(std::size_t n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  std::vector<double> r(n);
  double h = 1e-4, e = 0;
  for (double& v : r) {
    h = 2e-6 + 0.08 * e * e + 0.9 * h;
    e = std::sqrt(h) * s.normal();
    v = e;
  }
  return r;
}

risk::RollingModel model(const char* name, risk::VarMethod method) {
  risk::RollingModel m;
  m.name = name;
  m.var_es.method = method;
  return m;
}

}  // namespace

TEST(Runner, ForecastsEqualVarEsOnEachWindow) {
  const auto r = garch_returns(900, 1);
  const std::vector<double> levels{0.99, 0.975};
  const std::vector<risk::RollingModel> models{model("hist", risk::VarMethod::historical),
                                               model("normal", risk::VarMethod::normal),
                                               model("garch", risk::VarMethod::garch)};
  risk::RollingOptions o;
  o.window = 500;
  o.test_days = 100;
  const auto f = risk::rolling_forecasts(r, levels, models, o);
  ASSERT_EQ(f.var.rows(), 100);
  ASSERT_EQ(f.var.cols(), 6);
  EXPECT_EQ(f.start, 800u);
  for (int d : {0, 57, 99}) {
    const std::span<const double> w(r.data() + 800 + d - 500, 500);
    for (std::size_t m = 0; m < models.size(); ++m) {
      const auto ref = risk::var_es(w, levels, models[m].var_es);
      for (std::size_t j = 0; j < 2; ++j) {
        EXPECT_DOUBLE_EQ(f.var(d, static_cast<Eigen::Index>(m * 2 + j)), ref.estimates.var[j]) << m;
        EXPECT_DOUBLE_EQ(f.es(d, static_cast<Eigen::Index>(m * 2 + j)), ref.estimates.es[j]) << m;
      }
    }
    // the historical rank is the window's empirical CDF at the realised P&L
    double below = 0;
    for (double v : w) below += v <= r[800 + static_cast<std::size_t>(d)] ? 1 : 0;
    EXPECT_DOUBLE_EQ(f.ranks(d, 0), below / 500);
  }
  EXPECT_EQ(f.pnl[0], r[800]);
}

TEST(Runner, RefitsWithFilteringInBetweenAndIsDeterministic) {
  const auto r = garch_returns(1200, 2);
  const std::vector<double> levels{0.99};
  auto m = model("garch", risk::VarMethod::fhs);
  risk::RollingOptions o;
  o.window = 500;
  o.refit_every = 20;
  auto run = [&] { return risk::rolling_forecasts(r, levels, {m}, o); };
  const auto one = bq::testing::with_threads(1, run), two = bq::testing::with_threads(2, run);
  EXPECT_EQ(one.var, two.var);
  EXPECT_EQ(one.ranks, two.ranks);
  // day 25 is in the second group: the fit of day 20's window, filtered on day 25's window
  const std::span<const double> w20(r.data() + 500 + 20 - 500, 500), w25(r.data() + 500 + 25 - 500, 500);
  const auto fit = risk::fit_volatility(w20);
  const auto filtered = risk::filter_volatility(fit, w25);
  const auto ref = risk::conditional_var_es(filtered, levels, risk::ConditionalMethod::fhs);
  EXPECT_DOUBLE_EQ(one.var(25, 0), ref.var[0]);
}

TEST(Runner, BacktestTableHasEveryTest) {
  const auto r = garch_returns(1500, 3);
  const std::vector<double> levels{0.99, 0.975};
  risk::RollingOptions o;
  o.window = 500;
  const auto f = risk::rolling_forecasts(r, levels, {model("hist", risk::VarMethod::historical),
                                                     model("garch", risk::VarMethod::garch)}, o);
  risk::BacktestOptions bo;
  bo.es.n_simulations = 500;
  const auto b = risk::run_backtests(f.pnl, f.var, f.es, f.ranks, f.model, f.level, bo);
  ASSERT_EQ(b.series.size(), 4u);
  for (std::size_t s = 0; s < 4; ++s) {
    const auto& t = b.series[s];
    std::vector<double> var(f.pnl.size());
    for (std::size_t d = 0; d < var.size(); ++d) var[d] = f.var(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(s));
    const auto e = risk::exceptions(f.pnl, var);
    EXPECT_DOUBLE_EQ(t.pof.statistic, risk::kupiec(e, t.level).statistic);
    EXPECT_DOUBLE_EQ(t.cc.statistic, risk::christoffersen(e, t.level).conditional_coverage.statistic);
    EXPECT_EQ(t.traffic_light.n, f.pnl.size());
    ASSERT_TRUE(t.es.has_value());
    EXPECT_EQ(t.es->n_exceptions, t.exceptions);
  }
  // conditional GARCH forecasts on GARCH data pass coverage; the historical window is worse in CC
  EXPECT_GT(b.series[2].pof.p_value, 0.01);
}

TEST(Runner, BadInputNamesTheModel) {
  const auto r = garch_returns(600, 4);
  const std::vector<double> levels{0.99};
  risk::RollingOptions o;
  o.window = 1000;
  EXPECT_THROW((void)risk::rolling_forecasts(r, levels, {model("hist", risk::VarMethod::historical)}, o),
               bq::InvalidArgument);
  o.window = 50;  // too short for 99%
  EXPECT_THROW((void)risk::rolling_forecasts(r, levels, {model("hist", risk::VarMethod::historical)}, o),
               bq::InvalidArgument);
}
