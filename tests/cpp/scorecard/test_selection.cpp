#include "bankquant/scorecard/selection.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <cmath>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/scorecard/binning_process.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {
struct Data {
  bq::RowMatrix X;
  std::vector<double> y;
};
// y depends on x0 and x1; x2 is noise; x3 = x0 + small noise (collinear)
Data simulate(Eigen::Index n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  Data d{bq::RowMatrix(n, 4), std::vector<double>(static_cast<std::size_t>(n))};
  for (Eigen::Index i = 0; i < n; ++i) {
    d.X(i, 0) = s.normal();
    d.X(i, 1) = s.normal();
    d.X(i, 2) = s.normal();
    d.X(i, 3) = d.X(i, 0) + 0.05 * s.normal();
    const double eta = -1 + 0.9 * d.X(i, 0) + 0.6 * d.X(i, 1);
    d.y[static_cast<std::size_t>(i)] = s.uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return d;
}
}  // namespace

TEST(Stepwise, ForwardFindsTheSignalAndEachStepLowersTheCriterion) {
  const Data d = simulate(20000, 1);
  sc::StepwiseOptions o;
  o.direction = sc::StepwiseDirection::forward;
  const auto r = sc::stepwise(d.X, d.y, {}, o);
  ASSERT_GE(r.selected.size(), 2u);
  EXPECT_TRUE(r.selected[0] == 0 || r.selected[0] == 3);
  EXPECT_NE(std::find(r.selected.begin(), r.selected.end(), 1), r.selected.end());
  for (std::size_t k = 1; k < r.history.size(); ++k) EXPECT_LT(r.history[k].value, r.history[k - 1].value);
  EXPECT_TRUE(r.status.converged());
  // the final model equals a cold fit on the selected columns
  bq::RowMatrix sub(d.X.rows(), static_cast<Eigen::Index>(r.selected.size()));
  for (std::size_t c = 0; c < r.selected.size(); ++c) sub.col(static_cast<Eigen::Index>(c)) = d.X.col(static_cast<Eigen::Index>(r.selected[c]));
  const auto cold = sc::fit_logistic(sub, d.y, {});
  EXPECT_NEAR(cold.aic, r.model.aic, 1e-6);
  // no single addition lowers the AIC further
  for (Eigen::Index c = 0; c < 4; ++c) {
    if (std::find(r.selected.begin(), r.selected.end(), static_cast<std::size_t>(c)) != r.selected.end()) continue;
    bq::RowMatrix more(d.X.rows(), sub.cols() + 1);
    more << sub, d.X.col(c);
    EXPECT_GE(sc::fit_logistic(more, d.y, {}).aic, r.model.aic - 1e-9);
  }
}

TEST(Stepwise, BackwardByPvalueAndThreads) {
  const Data d = simulate(20000, 2);
  sc::StepwiseOptions o;
  o.direction = sc::StepwiseDirection::backward;
  o.criterion = sc::SelectionCriterion::pvalue;
  const auto r = sc::stepwise(d.X, d.y, {}, o);
  for (std::size_t s = 0; s < r.selected.size(); ++s) EXPECT_LE(r.model.p_values(static_cast<Eigen::Index>(s) + 1), 0.10);
  auto run = [&] { return sc::stepwise(d.X, d.y, {}, {}).selected; };
  EXPECT_EQ(bq::testing::with_threads(1, run), bq::testing::with_threads(2, run));
  o.p_enter = 2.0;
  EXPECT_THROW((void)sc::stepwise(d.X, d.y, {}, o), bq::InvalidArgument);
}

TEST(Stepwise, OnBinnedColumnsTheGroupedFitsAreTheRowFits) {
  // WoE-like columns (a few values each), weights with zeros: stepwise fits on the rows' distinct
  // combinations; every model it reports must be the fit on the rows themselves
  bq::RandomStream s(7);
  const Eigen::Index n = 30000;
  bq::RowMatrix X(n, 5);
  std::vector<double> y(static_cast<std::size_t>(n)), w(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < 5; ++j) X(i, j) = 0.3 * static_cast<double>(s.uniform_int(static_cast<std::uint64_t>(3 + j))) - 0.4;
    const double eta = -1 + 1.2 * X(i, 0) + 0.8 * X(i, 1) - 0.5 * X(i, 3);
    y[static_cast<std::size_t>(i)] = s.uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
    w[static_cast<std::size_t>(i)] = i % 11 == 0 ? 0.0 : 1.0 + static_cast<double>(i % 3);
  }
  sc::StepwiseOptions o;
  o.direction = sc::StepwiseDirection::both;
  const auto r = sc::stepwise(X, y, w, o);
  ASSERT_GE(r.selected.size(), 3u);
  bq::RowMatrix sub(n, static_cast<Eigen::Index>(r.selected.size()));
  for (std::size_t c = 0; c < r.selected.size(); ++c) sub.col(static_cast<Eigen::Index>(c)) = X.col(static_cast<Eigen::Index>(r.selected[c]));
  const auto rows = sc::fit_logistic(sub, y, w);
  EXPECT_NEAR(r.model.log_likelihood, rows.log_likelihood, 1e-7 * std::abs(rows.log_likelihood));
  EXPECT_NEAR(r.model.aic, rows.aic, 1e-6);
  EXPECT_NEAR(r.model.bic, rows.bic, 1e-6);
  EXPECT_DOUBLE_EQ(r.model.n_observations, rows.n_observations);
  for (Eigen::Index k = 0; k < rows.coefficients.size(); ++k) {
    EXPECT_NEAR(r.model.coefficients(k), rows.coefficients(k), 1e-8);
    EXPECT_NEAR(r.model.standard_errors(k), rows.standard_errors(k), 1e-8);
  }
  // events only above the middle level, none below: the grouped fit finds the quasi-separation
  // the row fit finds (the middle level's rows are not fitted exactly)
  for (Eigen::Index i = 0; i < n; ++i) {
    if (X(i, 2) > 0.45) y[static_cast<std::size_t>(i)] = 1.0;
    if (X(i, 2) < 0.0) y[static_cast<std::size_t>(i)] = 0.0;
  }
  bq::RowMatrix one(n, 1);
  one.col(0) = X.col(2);
  const auto separated = sc::fit_logistic(one, y, w);
  sc::StepwiseOptions only;
  only.max_variables = 1;
  const auto grouped = sc::stepwise(X.col(2), y, w, only);
  EXPECT_EQ(grouped.model.separation, separated.separation);
  EXPECT_NE(separated.separation, sc::Separation::none);
}

TEST(Screening, DropsCollinearWeakAndLeakingCharacteristics) {
  const Data d = simulate(5000, 3);
  std::vector<std::vector<double>> cols(5);
  for (Eigen::Index i = 0; i < d.X.rows(); ++i) {
    for (Eigen::Index j = 0; j < 4; ++j) cols[static_cast<std::size_t>(j)].push_back(d.X(i, j));
  }
  cols[4] = d.y;  // a leak
  std::vector<sc::ColumnView> views;
  const char* names[] = {"x0", "x1", "x2", "x3", "leak"};
  for (std::size_t j = 0; j < 5; ++j) views.push_back({.name = names[j], .numbers = cols[j]});
  const auto binned = sc::bin_table(views, d.y, {}, {});
  const auto woe = sc::transform_table(binned.binnings, views);
  const auto r = sc::screen(binned.binnings, woe.values, {});
  EXPECT_FALSE(r.kept[4]);
  EXPECT_NE(r.reasons[4].find("separates"), std::string::npos);
  EXPECT_FALSE(r.kept[2]);  // noise: IV below 0.02
  EXPECT_NE(r.kept[0], r.kept[3]);  // one of the collinear pair
  EXPECT_TRUE(r.kept[1]);
  const auto vif = sc::variance_inflation(woe.values.topRows(4));
  EXPECT_GT(vif[3], 10.0);
  EXPECT_LT(vif[1], 1.5);
  // the correlation matrix equals the plain Pearson one without weights
  const auto c = sc::row_correlation(woe.values.topRows(2));
  const Eigen::VectorXd a = woe.values.row(0).transpose(), b = woe.values.row(1).transpose();
  const double r01 = ((a.array() - a.mean()) * (b.array() - b.mean())).sum() /
                     std::sqrt((a.array() - a.mean()).square().sum() * (b.array() - b.mean()).square().sum());
  EXPECT_NEAR(c(0, 1), r01, 1e-12);
}
