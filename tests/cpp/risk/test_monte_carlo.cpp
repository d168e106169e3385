#include "bankquant/risk/monte_carlo.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Eigenvalues>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

TEST(MonteCarlo, ConvergesToTheClosedForm) {
  Eigen::MatrixXd cov(3, 3);
  cov << 0.04, 0.006, 0.002, 0.006, 0.09, 0.01, 0.002, 0.01, 0.01;
  Eigen::VectorXd w(3);
  w << 0.5, 0.3, 0.2;
  const double sd = std::sqrt(w.dot(cov * w));
  const std::vector<double> levels{0.99, 0.975};
  risk::MonteCarloOptions o;
  o.n_scenarios = 1'000'000;
  o.seed = 3;
  const auto mc = risk::monte_carlo_var_es(w, cov, levels, o);
  const auto exact = risk::normal_var_es(0.0, sd, levels);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(mc.estimates.var[i], exact.var[i], 0.01 * exact.var[i]);
    EXPECT_NEAR(mc.estimates.es[i], exact.es[i], 0.01 * exact.es[i]);
  }
  o.dist = risk::ScenarioDistribution::student_t;
  o.nu = 5;
  const auto t = risk::monte_carlo_var_es(w, cov, levels, o);
  const auto t_exact = risk::student_t_var_es(0.0, sd * std::sqrt(3.0 / 5.0), 5.0, levels);
  EXPECT_NEAR(t.estimates.var[0], t_exact.var[0], 0.015 * t_exact.var[0]);
  EXPECT_NEAR(t.estimates.es[0], t_exact.es[0], 0.02 * t_exact.es[0]);
}

TEST(MonteCarlo, SameNumbersOnAnyThreadCountAndAntitheticPairs) {
  Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(4, 4) * 0.01;
  Eigen::VectorXd w = Eigen::VectorXd::Ones(4);
  const std::vector<double> levels{0.99};
  risk::MonteCarloOptions o;
  o.n_scenarios = 100'000;
  o.antithetic = true;
  const auto a = bq::testing::with_threads(1, [&] { return risk::monte_carlo_var_es(w, cov, levels, o); });
  const auto b = bq::testing::with_threads(2, [&] { return risk::monte_carlo_var_es(w, cov, levels, o); });
  EXPECT_EQ(a.pnl, b.pnl);
  EXPECT_EQ(a.pnl[1], -a.pnl[0]);
  double mean = 0;
  for (double v : a.pnl) mean += v;
  EXPECT_NEAR(mean, 0.0, 1e-9);  // antithetic pairs cancel exactly
}

TEST(MonteCarlo, NonPsdCovarianceIsRejectedOrRepaired) {
  Eigen::MatrixXd cov(3, 3);
  cov << 1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1;  // correlations that cannot coexist
  Eigen::VectorXd w = Eigen::VectorXd::Ones(3);
  const std::vector<double> levels{0.99};
  risk::MonteCarloOptions o;
  o.n_scenarios = 10'000;
  try {
    (void)risk::monte_carlo_var_es(w, cov, levels, o);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("positive semi-definite"), std::string::npos);
  }
  o.psd_repair = risk::PsdRepair::nearest;
  const auto r = risk::monte_carlo_var_es(w, cov, levels, o);
  EXPECT_TRUE(r.repaired);
  EXPECT_GT(r.repair_distance, 0.0);
  const Eigen::MatrixXd psd = risk::nearest_psd(cov);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(psd);
  EXPECT_GE(eig.eigenvalues().minCoeff(), -1e-12);
  EXPECT_THROW((void)risk::monte_carlo_var_es(Eigen::VectorXd::Ones(2), cov, levels, o), bq::InvalidArgument);
}

TEST(MonteCarlo, FullFactorTilesAgreeWithTheShortcutAndAreDeterministic) {
  Eigen::MatrixXd A = Eigen::MatrixXd::Random(30, 30) * 0.1;
  Eigen::MatrixXd cov = A * A.transpose() + Eigen::MatrixXd::Identity(30, 30) * 0.01;
  Eigen::VectorXd w = Eigen::VectorXd::LinSpaced(30, -1.0, 2.0);
  const std::vector<double> levels{0.99, 0.975};
  risk::MonteCarloOptions o;
  o.n_scenarios = 400'000;
  o.full_factor = true;
  o.tile = 128;
  const auto full = risk::monte_carlo_var_es(w, cov, levels, o);
  const auto exact = risk::normal_var_es(0.0, std::sqrt(w.dot(cov * w)), levels);
  EXPECT_NEAR(full.estimates.var[0], exact.var[0], 0.015 * exact.var[0]);
  EXPECT_NEAR(full.estimates.es[1], exact.es[1], 0.015 * exact.es[1]);
  o.n_scenarios = 10'000;
  const auto a = bq::testing::with_threads(1, [&] { return risk::monte_carlo_var_es(w, cov, levels, o); });
  const auto b = bq::testing::with_threads(2, [&] { return risk::monte_carlo_var_es(w, cov, levels, o); });
  EXPECT_EQ(a.pnl, b.pnl);
}

TEST(MonteCarlo, BlocksAreTheRunsScenariosAndTheirTailsMergeExactly) {
  Eigen::MatrixXd cov(3, 3);
  cov << 0.04, 0.006, 0.002, 0.006, 0.09, 0.01, 0.002, 0.01, 0.01;
  Eigen::VectorXd w(3);
  w << 0.5, -0.3, 0.2;
  const std::vector<double> levels{0.99, 0.975};
  for (const bool full_factor : {false, true}) {
    for (const bool t : {false, true}) {
      risk::MonteCarloOptions o;
      o.n_scenarios = 20'011;  // not a multiple of the stream block
      o.seed = 11;
      o.full_factor = full_factor;
      o.tile = 300;
      o.antithetic = t;
      if (t) o.dist = risk::ScenarioDistribution::student_t;
      const auto run = risk::monte_carlo_var_es(w, cov, levels, o);
      const std::size_t k = risk::tail_size(o.n_scenarios, levels);
      // blocks on stream boundaries and blocks that cut streams (odd starts, antithetic pairs split)
      for (const std::size_t step : {risk::monte_carlo_stream_block(o) * 2, std::size_t{3001}}) {
        std::vector<risk::LossTail> tails;
        for (std::size_t first = 0; first < o.n_scenarios; first += step) {
          const std::size_t count = std::min(step, o.n_scenarios - first);
          const auto block = bq::testing::with_threads(2, [&] { return risk::monte_carlo_pnl_block(w, cov, o, first, count); });
          ASSERT_EQ(block.first, first);
          ASSERT_EQ(block.pnl.size(), count);
          EXPECT_TRUE(std::equal(block.pnl.begin(), block.pnl.end(), run.pnl.begin() + static_cast<std::ptrdiff_t>(first)))
              << "block at " << first << " full_factor " << full_factor << " t " << t;
          tails.push_back(risk::loss_tail(block.pnl, k));
        }
        const auto merged = risk::tail_var_es(risk::merge_tails(tails, k), levels);
        EXPECT_EQ(merged.var, run.estimates.var);
        EXPECT_EQ(merged.es, run.estimates.es);
      }
    }
  }
  risk::MonteCarloOptions o;
  o.n_scenarios = 1000;
  EXPECT_EQ(risk::monte_carlo_stream_block(o), 4096u);
  EXPECT_THROW((void)risk::monte_carlo_pnl_block(w, cov, o, 1000, 1), bq::InvalidArgument);
  EXPECT_THROW((void)risk::monte_carlo_pnl_block(w, cov, o, 10, 991), bq::InvalidArgument);
  EXPECT_THROW((void)risk::monte_carlo_pnl_block(w, cov, o, 10, 0), bq::InvalidArgument);
  EXPECT_THROW((void)risk::monte_carlo_var_es(w, cov, std::vector<double>{}, o), bq::InvalidArgument);  // before any work
}
