#include "bankquant/risk/var.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

TEST(Var, NormalClosedFormTextbook) {
  // 99%: z = 2.326348, phi(z) / 0.01 = 2.665214 (Hull, Risk Management and Financial Institutions, ch. 12).
  const std::vector<double> levels{0.99, 0.975};
  const auto r = risk::normal_var_es(0.0, 1.0, levels);
  EXPECT_NEAR(r.var[0], 2.3263478740408408, 1e-12);
  EXPECT_NEAR(r.es[0], 2.6652142203458076, 1e-12);
  EXPECT_NEAR(r.var[1], 1.959963984540054, 1e-12);
  const auto shifted = risk::normal_var_es(0.5, 2.0, levels);  // mean gain lowers the loss
  EXPECT_NEAR(shifted.var[0], -0.5 + 2 * 2.3263478740408408, 1e-12);
}

TEST(Var, CornishFisherWithoutSkewOrKurtosisIsNormal) {
  const std::vector<double> levels{0.95, 0.99, 0.999};
  const auto cf = risk::cornish_fisher_var_es(0.1, 1.5, 0.0, 0.0, levels);
  const auto n = risk::normal_var_es(0.1, 1.5, levels);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    EXPECT_NEAR(cf.var[i], n.var[i], 1e-12);
    EXPECT_NEAR(cf.es[i], n.es[i], 2e-4 * n.es[i]);  // ES by 20-point quadrature of the quantile
  }
  // negative skew and fat tails raise both; by hand at 99%: z = -2.3263, z_cf = -3.3013
  const auto fat = risk::cornish_fisher_var_es(0.0, 1.0, -0.5, 3.0, levels);
  EXPECT_NEAR(fat.var[1], 3.30128, 1e-5);
  EXPECT_GT(fat.var[1], risk::normal_var_es(0.0, 1.0, levels).var[1]);
  EXPECT_GT(fat.es[1], fat.var[1]);
}

TEST(Var, StudentTTendsToNormalAndEsExceedsVar) {
  const std::vector<double> levels{0.99};
  const auto t = risk::student_t_var_es(0.0, 1.0, 1e6, levels);
  const auto n = risk::normal_var_es(0.0, 1.0, levels);
  EXPECT_NEAR(t.var[0], n.var[0], 1e-5);
  EXPECT_NEAR(t.es[0], n.es[0], 1e-5);
  const auto t4 = risk::student_t_var_es(0.0, 1.0, 4.0, levels);
  EXPECT_NEAR(t4.var[0], 3.746947387979196, 1e-9);  // t_4 0.99 quantile
  EXPECT_GT(t4.es[0], t4.var[0]);
  EXPECT_THROW((void)risk::student_t_var_es(0.0, 1.0, 2.0, levels), bq::InvalidArgument);
}

TEST(Var, HistoricalMatchesDefinitions) {
  // Losses 1..100: VaR 99% is numpy's linear quantile 99.01; ES averages the worst 1%: the loss 100.
  std::vector<double> pnl;
  for (int i = 1; i <= 100; ++i) pnl.push_back(-i);
  const std::vector<double> levels{0.99, 0.95, 0.975};
  const auto h = risk::historical_var_es(pnl, levels);
  EXPECT_NEAR(h.var[0], 99.01, 1e-12);
  EXPECT_NEAR(h.es[0], 100.0, 1e-12);
  EXPECT_NEAR(h.es[1], (96 + 97 + 98 + 99 + 100) / 5.0, 1e-12);
  EXPECT_NEAR(h.es[2], (100 + 99 + 0.5 * 98) / 2.5, 1e-12);  // 2.5 observations: the third worst counts half
}

TEST(Var, LargeSampleHistoricalApproachesNormal) {
  std::vector<double> z(2'000'000);
  bq::parallel_fill_normal(z, 5);
  const std::vector<double> levels{0.99, 0.975};
  const auto h = risk::historical_var_es(z, levels);
  const auto n = risk::normal_var_es(0.0, 1.0, levels);
  EXPECT_NEAR(h.var[0], n.var[0], 0.01);
  EXPECT_NEAR(h.es[0], n.es[0], 0.01);
  EXPECT_NEAR(h.es[1], n.es[1], 0.01);
}

TEST(Var, AgeWeightedTendsToHistoricalAndFavoursRecentDays) {
  bq::RandomStream s(2);
  std::vector<double> x(1000);
  s.fill_normal(x);
  const std::vector<double> levels{0.99};
  const auto flat = risk::age_weighted_var_es(x, levels, 0.999999);
  const auto hist = risk::historical_var_es(x, levels);
  EXPECT_NEAR(flat.es[0], hist.es[0], 1e-3);
  // a crash yesterday dominates the age-weighted tail but not the equally weighted one
  x.back() = -10;
  const auto recent = risk::age_weighted_var_es(x, levels, 0.97);
  EXPECT_EQ(recent.var[0], 10.0);
}

TEST(Var, FilteredReturnsAndBadInput) {
  const std::vector<double> x{0.01, -0.02}, v{0.0001, 0.0004};
  const auto f = risk::filtered_scenarios(x, v, 0.0001);
  EXPECT_NEAR(f[0], 0.01, 1e-15);
  EXPECT_NEAR(f[1], -0.01, 1e-15);
  const std::vector<double> levels{0.99};
  EXPECT_THROW((void)risk::historical_var_es(std::vector<double>(50, 1.0), levels), bq::InvalidArgument);  // too few
  EXPECT_THROW((void)risk::historical_var_es(std::vector<double>{1.0, NAN}, std::vector<double>{0.5}),
               bq::InvalidArgument);
  EXPECT_THROW((void)risk::normal_var_es(0.0, 1.0, std::vector<double>{1.0}), bq::InvalidArgument);
  EXPECT_THROW((void)risk::normal_var_es(0.0, -1.0, levels), bq::InvalidArgument);
  EXPECT_THROW((void)risk::filtered_scenarios(x, std::vector<double>{0.0, 1.0}, 1.0), bq::InvalidArgument);
}

// Errors from var_es name the caller's argument 'x', not an internal one ('sd', 'returns').
TEST(Var, VarEsNamesItsArgument) {
  const std::vector<double> levels{0.9};
  auto message = [&](const std::vector<double>& x, risk::VarMethod m) {
    risk::VarEsOptions o;
    o.method = m;
    try {
      (void)risk::var_es(x, levels, o);
    } catch (const bq::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::vector<double> huge(30, 1e300), few{0.01, -0.02, 0.03};
  std::vector<double> big = huge;
  big[3] = -1e300;
  for (auto m : {risk::VarMethod::normal, risk::VarMethod::cornish_fisher, risk::VarMethod::student_t}) {
    EXPECT_NE(message(big, m).find("argument 'x'"), std::string::npos) << message(big, m);
  }
  EXPECT_NE(message(few, risk::VarMethod::filtered_garch).find("argument 'x'"), std::string::npos);
}
