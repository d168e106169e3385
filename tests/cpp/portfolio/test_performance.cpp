#include "bankquant/portfolio/performance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;

TEST(Performance, StatisticsByHand) {
  const std::vector<double> r{0.01, -0.02, 0.03, -0.01, 0.02};
  pf::PerformanceOptions o;
  o.periods_per_year = 12;
  const auto s = pf::performance_stats(r, o);
  const double growth = 1.01 * 0.98 * 1.03 * 0.99 * 1.02;
  EXPECT_NEAR(s.total_return, growth - 1, 1e-15);
  EXPECT_NEAR(s.annual_return, std::pow(growth, 12.0 / 5) - 1, 1e-14);
  const double mean = 0.006;
  double ss = 0;
  for (double v : r) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / 4);
  EXPECT_NEAR(s.annual_volatility, sd * std::sqrt(12.0), 1e-15);
  EXPECT_NEAR(s.sharpe, mean / sd * std::sqrt(12.0), 1e-14);
  const double dd = std::sqrt((0.02 * 0.02 + 0.01 * 0.01) / 5);
  EXPECT_NEAR(s.sortino, mean / dd * std::sqrt(12.0), 1e-14);
  // Peak 1.01 * 0.98 * 1.03 = 1.019494 after day 3; trough after day 4 = 1.009299...
  // Equity 1.01, 0.9898, 1.0195, 1.0093, 1.0295: day 2 falls 2% from the peak of day 1, and no
  // stretch below a peak lasts more than one day.
  EXPECT_NEAR(s.max_drawdown, 0.02, 1e-15);
  EXPECT_EQ(s.max_drawdown_periods, 1);
  EXPECT_NEAR(s.hit_rate, 0.6, 1e-15);
  EXPECT_NEAR(s.calmar, s.annual_return / 0.02, 1e-12);
  EXPECT_THROW((void)pf::performance_stats(std::vector<double>{0.1}, o), bq::InvalidArgument);
  EXPECT_THROW((void)pf::performance_stats(std::vector<double>{0.1, -1.5}, o), bq::InvalidArgument);
}

TEST(Performance, DeflatedSharpePublishedExample) {
  // Bailey and Lopez de Prado (2014), "The deflated Sharpe ratio", numerical example: an annual
  // Sharpe ratio of 2.5 over 1250 daily returns with skewness -3 and kurtosis 10, selected among
  // N = 100 trials whose annualised Sharpe ratios have variance 0.5: DSR = 0.9004.
  const double sr = 2.5 / std::sqrt(250.0);
  const double v = 0.5 / 250.0;
  const double sr0 = pf::expected_maximum_sharpe(v, 100);
  EXPECT_NEAR(sr0, 0.1132, 5e-5);  // the paper's SR*_0, per day
  const double dsr = pf::probabilistic_sharpe_ratio(sr, sr0, 1250, -3.0, 10.0);
  EXPECT_NEAR(dsr, 0.9004, 5e-4);
  // deflated_sharpe_ratio from trials with that variance gives the same.
  std::vector<double> trials(100);
  for (int i = 0; i < 100; ++i) trials[static_cast<std::size_t>(i)] = (i % 2 ? 1.0 : -1.0) * std::sqrt(v * 99.0 / 100.0);
  EXPECT_NEAR(pf::deflated_sharpe_ratio(sr, 1250, -3.0, 10.0, trials), dsr, 1e-12);
  // More trials raise the bar.
  EXPECT_GT(pf::expected_maximum_sharpe(v, 1000), sr0);
  EXPECT_EQ(pf::expected_maximum_sharpe(v, 1), 0.0);
}
