#include "bankquant/risk/es_backtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

namespace {

struct Sample {
  std::vector<double> pnl, var, es;
};

// P&L with a changing volatility and its true normal VaR/ES at 97.5% (scaled by `understate`).
Sample normal_sample(std::size_t T, double understate, std::uint64_t seed) {
  bq::RandomStream s(seed);
  const risk::StandardizedDistribution n(risk::Innovation::normal);
  const double q = -n.quantile(0.025), e = -n.lower_tail_mean(0.025);
  Sample out;
  for (std::size_t t = 0; t < T; ++t) {
    const double sigma = std::exp(0.3 * s.normal());
    out.pnl.push_back(sigma * s.normal());
    out.var.push_back(understate * sigma * q);
    out.es.push_back(understate * sigma * e);
  }
  return out;
}

}  // namespace

TEST(EsBacktest, StatisticsByHand) {
  const auto x = normal_sample(500, 1.0, 11);
  risk::EsBacktestOptions o;
  o.n_simulations = 2000;
  const auto r = risk::es_backtest(x.pnl, x.var, x.es, 0.975, o);
  double hits = 0, ratio = 0, mb = 0;
  for (std::size_t t = 0; t < 500; ++t) {
    const double loss = -x.pnl[t];
    if (loss > x.var[t]) {
      hits += 1;
      ratio += loss / x.es[t];
    }
    mb += x.es[t] - x.var[t] - std::max(loss - x.var[t], 0.0) / 0.025;
  }
  EXPECT_EQ(r.n_exceptions, static_cast<std::size_t>(hits));
  EXPECT_NEAR(r.z1.statistic, 1 - ratio / hits, 1e-12);
  EXPECT_NEAR(r.z2.statistic, 1 - ratio / (500 * 0.025), 1e-12);
  EXPECT_NEAR(r.minimally_biased_absolute.statistic, mb / 500, 1e-12);
}

TEST(EsBacktest, CorrectModelsAreRejectedAtTheNominalRate) {
  // 200 samples from a correct model: each test rejects at 5% in about 5% of them (3 standard
  // errors of a rate from 200 draws: 0.5% to 9.6%).
  const int reps = 200;
  std::vector<int> rejected(7, 0);
  for (int i = 0; i < reps; ++i) {
    const auto x = normal_sample(250, 1.0, 1000 + static_cast<std::uint64_t>(i));
    risk::EsBacktestOptions o;
    o.n_simulations = 200;
    o.seed = static_cast<std::uint64_t>(i);
    const auto r = risk::es_backtest(x.pnl, x.var, x.es, 0.975, o);
    const risk::TestResult* tests[] = {&r.z1, &r.z2, &r.z3, &r.minimally_biased_absolute, &r.minimally_biased_relative,
                                       &r.du_escanciano_unconditional, &r.du_escanciano_conditional};
    for (int k = 0; k < 7; ++k) rejected[static_cast<std::size_t>(k)] += tests[k]->p_value < 0.05 ? 1 : 0;
  }
  for (int k = 0; k < 7; ++k) {
    const double rate = rejected[static_cast<std::size_t>(k)] / static_cast<double>(reps);
    EXPECT_GT(rate, 0.005) << k;
    EXPECT_LT(rate, 0.096) << k;
  }
}

TEST(EsBacktest, RejectsAModelThatUnderstatesTheTail) {
  const auto x = normal_sample(500, 0.6, 11);
  risk::EsBacktestOptions o;
  o.n_simulations = 2000;
  const auto r = risk::es_backtest(x.pnl, x.var, x.es, 0.975, o);
  EXPECT_LT(r.z2.statistic, 0.0);
  for (const auto* t : {&r.z2, &r.z3, &r.minimally_biased_absolute, &r.minimally_biased_relative}) {
    EXPECT_LT(t->p_value, 0.01) << t->name;
  }
  EXPECT_LT(r.du_escanciano_unconditional.p_value, 0.01);
}

TEST(EsBacktest, Z3UnderTheNullHasMeanNearZero) {
  // Acerbi and Székely (2014): E[Z3] is about 0 under a correct model; check it on simulated samples.
  double sum = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto x = normal_sample(250, 1.0, seed);
    risk::EsBacktestOptions o;
    o.n_simulations = 100;
    sum += risk::es_backtest(x.pnl, x.var, x.es, 0.975, o).z3.statistic;
  }
  EXPECT_NEAR(sum / 40, 0.0, 0.1);
}

TEST(EsBacktest, SameAnswerOnOneAndTwoThreads) {
  const auto x = normal_sample(300, 0.9, 3);
  risk::EsBacktestOptions o;
  o.dist = risk::Innovation::student_t;
  o.n_simulations = 3000;
  auto run = [&] { return risk::es_backtest(x.pnl, x.var, x.es, 0.975, o); };
  const auto one = bq::testing::with_threads(1, run), two = bq::testing::with_threads(2, run);
  EXPECT_EQ(one.z1.p_value, two.z1.p_value);
  EXPECT_EQ(one.z3.p_value, two.z3.p_value);
  EXPECT_EQ(one.minimally_biased_relative.p_value, two.minimally_biased_relative.p_value);
}

TEST(EsBacktest, BadInput) {
  const auto x = normal_sample(100, 1.0, 1);
  auto es_below = x.es;
  es_below[7] = x.var[7] * 0.9;
  EXPECT_THROW((void)risk::es_backtest(x.pnl, x.var, es_below, 0.975), bq::InvalidArgument);
  auto negative = x.var;
  negative[2] = -1.0;
  EXPECT_THROW((void)risk::es_backtest(x.pnl, negative, x.es, 0.975), bq::InvalidArgument);
  EXPECT_THROW((void)risk::es_backtest(x.pnl, x.var, x.es, 0.025), bq::InvalidArgument);
  EXPECT_THROW((void)risk::es_backtest(std::vector<double>(10, 0.0), std::vector<double>(10, 1.0),
                                       std::vector<double>(10, 2.0), 0.975),
               bq::InvalidArgument);  // 10 days cannot hold one beyond a 97.5% quantile
}
