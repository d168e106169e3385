#include "bankquant/risk/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/risk/var.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

TEST(Bootstrap, IntervalCoversAndIsReproducible) {
  bq::RandomStream s(3);
  std::vector<double> x(2000);
  for (double& v : x) v = s.normal();
  risk::BootstrapOptions o;
  o.n_boot = 500;
  o.seed = 7;
  auto run = [&] { return risk::bootstrap_var_es(x, 0.99, o); };
  const auto a = bq::testing::with_threads(1, run), b = bq::testing::with_threads(2, run);
  EXPECT_EQ(a.var_lower, b.var_lower);
  EXPECT_EQ(a.es_std_error, b.es_std_error);
  EXPECT_EQ(a.var, risk::historical_var_es(x, std::vector<double>{0.99}).var[0]);
  EXPECT_LT(a.var_lower, a.var);
  EXPECT_GT(a.var_upper, a.var);
  // the normal 99% VaR is 2.326; the interval of a 2,000-draw sample holds it (seeded)
  EXPECT_LT(a.var_lower, 2.326);
  EXPECT_GT(a.var_upper, 2.326);
  // asymptotic sd of a sample quantile: sqrt(p (1 - p) / n) / phi(q) = 0.0825 here; bootstrap is close
  EXPECT_NEAR(a.var_std_error, std::sqrt(0.99 * 0.01 / 2000) / 0.026652, 0.03);
  o.n_boot = 50;
  EXPECT_THROW((void)risk::bootstrap_var_es(x, 0.99, o), bq::InvalidArgument);
}
