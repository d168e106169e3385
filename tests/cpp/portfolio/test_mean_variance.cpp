#include "bankquant/portfolio/mean_variance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <Eigen/Cholesky>

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/expected_returns.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "dow_jones.hpp"

namespace bq = bankquant;
namespace pf = bankquant::portfolio;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
using bankquant::detail::kInf;

struct Data {
  VectorXd mu;
  MatrixXd cov;
};

const Data& dow() {
  static const Data d = [] {
    const bq::RowMatrix R = bq::testing::dow_jones_returns();
    Data out;
    out.mu = pf::estimate_expected_returns(R).expected_returns;
    out.cov = pf::estimate_covariance(R).covariance;
    return out;
  }();
  return d;
}

double sharpe(const VectorXd& w, const Data& d, double rf) { return (d.mu.dot(w) - rf) / std::sqrt(w.dot(d.cov * w)); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(MeanVariance, MinVolatilityReport) {
  const pf::MeanVariance mv(dow().mu, dow().cov);
  const auto r = mv.min_volatility();
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.weights.sum(), 1.0, 1e-14);
  EXPECT_GE(r.weights.minCoeff(), 0.0);
  EXPECT_NEAR(r.risk_contributions.sum(), r.volatility, 1e-14);
  EXPECT_NEAR(r.volatility, std::sqrt(r.weights.dot(dow().cov * r.weights)), 1e-15);
  EXPECT_NEAR(r.expected_return, dow().mu.dot(r.weights), 1e-15);
  EXPECT_LE(r.dual_residual, 1e-12);
  bool budget = false;
  for (const auto& b : r.binding) budget = budget || contains(b.name, "budget");
  EXPECT_TRUE(budget);
  EXPECT_GT(r.binding.size(), 5u);  // assets at zero
}

TEST(MeanVariance, MaxSharpeIsTheBestPointOfTheFrontier) {
  const pf::MeanVariance mv(dow().mu, dow().cov);
  const double rf = 0.04;
  const auto best = mv.max_sharpe(rf);
  ASSERT_TRUE(best.status.converged()) << best.status.message;
  EXPECT_NEAR(best.weights.sum(), 1.0, 1e-12);
  EXPECT_NEAR(best.sharpe, sharpe(best.weights, dow(), rf), 1e-12);
  // Every portfolio on the exact frontier (sampled densely along each segment) has a lower ratio.
  const auto f = mv.frontier();
  double frontier_best = -kInf;
  for (std::size_t k = 0; k + 1 < f.breakpoints.size(); ++k) {
    for (int s = 0; s <= 200; ++s) {
      const VectorXd w = f.breakpoints[k].weights + (s / 200.0) * (f.breakpoints[k + 1].weights - f.breakpoints[k].weights);
      frontier_best = std::max(frontier_best, sharpe(w, dow(), rf));
    }
  }
  EXPECT_LE(frontier_best, best.sharpe + 1e-12);
  EXPECT_NEAR(frontier_best, best.sharpe, 1e-5);
  // Without bounds the tangency portfolio is S^-1 (mu - rf) normalised.
  pf::MeanVarianceOptions free;
  free.lower = VectorXd::Constant(30, -kInf);
  free.upper = VectorXd::Constant(30, kInf);
  const auto tangency = pf::MeanVariance(dow().mu, dow().cov, free).max_sharpe(rf);
  const VectorXd raw = dow().cov.llt().solve((dow().mu.array() - rf).matrix());
  EXPECT_NEAR((tangency.weights - raw / raw.sum()).cwiseAbs().maxCoeff(), 0.0, 1e-9);
  // No positive excess return: a clear error naming risk_free.
  try {
    (void)mv.max_sharpe(5.0);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_TRUE(contains(e.what(), "'risk_free'")) << e.what();
    EXPECT_TRUE(contains(e.what(), "best attainable")) << e.what();
  }
}

TEST(MeanVariance, FrontierBreakpointsAreOptimalForTheirRiskTolerance) {
  pf::MeanVarianceOptions o;
  o.upper = VectorXd::Constant(30, 0.25);
  o.groups.push_back({"tech", {9, 14, 15, 17}, 0.05, 0.3});  // HWP, IBM, INTC, MSFT
  const pf::MeanVariance mv(dow().mu, dow().cov, o);
  const auto f = mv.frontier();
  ASSERT_TRUE(f.status.converged()) << f.status.message;
  ASSERT_GT(f.breakpoints.size(), 5u);
  EXPECT_NEAR(f.breakpoints.front().volatility, mv.min_volatility().volatility, 1e-12);
  EXPECT_NEAR(f.breakpoints.back().expected_return, mv.max_return(), 1e-10);
  for (std::size_t k = 1; k < f.breakpoints.size(); ++k) {
    EXPECT_GE(f.breakpoints[k].expected_return, f.breakpoints[k - 1].expected_return - 1e-12);
    EXPECT_GE(f.breakpoints[k].volatility, f.breakpoints[k - 1].volatility - 1e-12);
  }
  // Between breakpoints the frontier is exact: efficient_return agrees at the mid returns.
  for (std::size_t k = 0; k + 1 < f.breakpoints.size(); k += 3) {
    const double r = 0.5 * (f.breakpoints[k].expected_return + f.breakpoints[k + 1].expected_return);
    const VectorXd w = f.weights_at_return(r);
    const auto direct = mv.efficient_return(r);
    EXPECT_NEAR(std::sqrt(w.dot(dow().cov * w)), direct.volatility, 1e-10) << k;
    EXPECT_NEAR((w - direct.weights).cwiseAbs().maxCoeff(), 0.0, 1e-7) << k;
  }
  const auto points = f.points(25);
  EXPECT_EQ(points.size(), 25u);
  for (const auto& w : points) {
    EXPECT_NEAR(w.sum(), 1.0, 1e-12);
    EXPECT_LE(w.maxCoeff(), 0.25 + 1e-12);
  }
}

TEST(MeanVariance, TargetsAndTheirRanges) {
  const pf::MeanVariance mv(dow().mu, dow().cov);
  const auto low = mv.min_volatility();
  const double top = mv.max_return();
  EXPECT_NEAR(top, dow().mu.maxCoeff(), 1e-12);  // long only, budget 1: the best single asset
  const double target = 0.5 * (low.expected_return + top);
  const auto er = mv.efficient_return(target);
  EXPECT_NEAR(er.expected_return, target, 1e-10);
  const auto ek = mv.efficient_risk(er.volatility);
  EXPECT_NEAR(ek.volatility, er.volatility, 1e-10);
  EXPECT_NEAR(ek.expected_return, target, 1e-8);
  try {
    (void)mv.efficient_return(top + 0.05);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_TRUE(contains(e.what(), "above the attainable maximum")) << e.what();
    EXPECT_TRUE(contains(e.what(), "'target_return'")) << e.what();
  }
  EXPECT_THROW((void)mv.efficient_risk(0.5 * low.volatility), bq::InvalidArgument);
  // A target volatility above the most risky frontier portfolio gives the maximum-return portfolio.
  const auto top_risk = mv.efficient_risk(10.0);
  EXPECT_NEAR(top_risk.expected_return, top, 1e-10);
  // Quadratic utility: a larger risk aversion never raises the volatility.
  EXPECT_GE(mv.max_quadratic_utility(1.0).volatility, mv.max_quadratic_utility(10.0).volatility);
  EXPECT_THROW((void)mv.max_quadratic_utility(-1.0), bq::InvalidArgument);
}

TEST(MeanVariance, EfficientRiskWithL2Regularisation) {
  pf::MeanVarianceOptions o;
  o.l2_gamma = 0.05;
  const pf::MeanVariance mv(dow().mu, dow().cov, o);
  const double low = mv.min_volatility().volatility;
  const auto r = mv.efficient_risk(low * 1.3);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.volatility, low * 1.3, 1e-9);
  // More diversified than without the penalty.
  const auto plain = pf::MeanVariance(dow().mu, dow().cov).efficient_risk(low * 1.3);
  EXPECT_LT(r.weights.squaredNorm(), plain.weights.squaredNorm());
}

TEST(MeanVariance, LongShortGrossExposure) {
  pf::MeanVarianceOptions o;
  o.lower = VectorXd::Constant(30, -0.2);
  o.upper = VectorXd::Constant(30, 0.4);
  o.max_gross_exposure = 1.6;
  const pf::MeanVariance mv(dow().mu, dow().cov, o);
  const auto r = mv.max_sharpe(0.02);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.weights.sum(), 1.0, 1e-10);
  EXPECT_LE(r.weights.cwiseAbs().sum(), 1.6 + 1e-9);
  EXPECT_LT(r.weights.minCoeff(), 0.0);
  EXPECT_GE(r.weights.minCoeff(), -0.2 - 1e-12);
  const auto u = mv.max_quadratic_utility(2.0);
  EXPECT_LE(u.weights.cwiseAbs().sum(), 1.6 + 1e-9);
  bool gross = false;
  for (const auto& b : u.binding) gross = gross || contains(b.name, "gross exposure");
  EXPECT_TRUE(gross);
}

TEST(MeanVariance, TurnoverAndCostsFromCurrentHoldings) {
  pf::MeanVarianceOptions o;
  o.current_weights = VectorXd::Constant(30, 1.0 / 30);
  o.max_turnover = 0.3;
  const auto r = pf::MeanVariance(dow().mu, dow().cov, o).max_quadratic_utility(3.0);
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.turnover, 0.3, 1e-9);
  EXPECT_NEAR(r.turnover, (r.weights - o.current_weights).cwiseAbs().sum(), 1e-12);
  // Costs far above any expected gain: nothing trades.
  o.max_turnover = kInf;
  o.transaction_costs = VectorXd::Constant(30, 5.0);
  const auto still = pf::MeanVariance(dow().mu, dow().cov, o).max_quadratic_utility(3.0);
  EXPECT_NEAR((still.weights - o.current_weights).cwiseAbs().maxCoeff(), 0.0, 1e-10);
  // Moderate costs: less turnover than without, and the reported return is net of costs.
  o.transaction_costs = VectorXd::Constant(30, 0.01);
  const auto some = pf::MeanVariance(dow().mu, dow().cov, o).max_quadratic_utility(3.0);
  o.transaction_costs = VectorXd();
  o.current_weights = VectorXd::Constant(30, 1.0 / 30);
  const auto none = pf::MeanVariance(dow().mu, dow().cov, o).max_quadratic_utility(3.0);
  EXPECT_LT(some.turnover, none.turnover);
  EXPECT_NEAR(some.expected_return, dow().mu.dot(some.weights) - 0.01 * some.turnover, 1e-12);
}

TEST(MeanVariance, BenchmarkTrackingError) {
  pf::MeanVarianceOptions o;
  o.benchmark = VectorXd::Constant(30, 1.0 / 30);
  const pf::MeanVariance mv(dow().mu, dow().cov, o);
  const auto r = mv.min_volatility();  // the benchmark itself is feasible
  EXPECT_NEAR(r.tracking_error, 0.0, 1e-7);
  EXPECT_NEAR((r.weights - o.benchmark).cwiseAbs().maxCoeff(), 0.0, 1e-7);
  const auto te = mv.efficient_risk(0.03);  // 3% tracking error
  EXPECT_NEAR(te.tracking_error, 0.03, 1e-9);
  const auto ir = mv.max_sharpe(0.0);  // information ratio
  ASSERT_TRUE(ir.status.converged()) << ir.status.message;
  const double best_ir = dow().mu.dot(ir.weights - o.benchmark) / ir.tracking_error;
  EXPECT_GE(best_ir, dow().mu.dot(te.weights - o.benchmark) / te.tracking_error - 1e-10);
}

TEST(MeanVariance, CardinalityEqualsEnumeration) {
  // 10 assets, at most 3: the best of the 120 subsets, each solved exactly.
  const Eigen::Index n = 10;
  const VectorXd mu = dow().mu.head(n);
  const MatrixXd cov = dow().cov.topLeftCorner(n, n);
  pf::MeanVarianceOptions o;
  o.max_assets = 3;
  const auto bb = pf::MeanVariance(mu, cov, o).min_volatility();
  ASSERT_TRUE(bb.status.converged()) << bb.status.message;
  EXPECT_LE((bb.weights.array().abs() > 1e-9).count(), 3);
  double best = kInf;
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      for (int c = b + 1; c < n; ++c) {
        pf::MeanVarianceOptions s;
        s.upper = VectorXd::Zero(n);
        s.upper(a) = s.upper(b) = s.upper(c) = 1.0;
        best = std::min(best, pf::MeanVariance(mu, cov, s).min_volatility().volatility);
      }
    }
  }
  EXPECT_NEAR(bb.volatility, best, 1e-12);
  // Minimum holding: every position is 0 or at least 15%.
  o.max_assets = 0;
  o.min_weight = 0.15;
  const auto mh = pf::MeanVariance(mu, cov, o).min_volatility();
  ASSERT_TRUE(mh.status.converged());
  for (int i = 0; i < n; ++i) EXPECT_TRUE(mh.weights(i) < 1e-9 || mh.weights(i) >= 0.15 - 1e-12) << mh.weights(i);
  const auto ms = pf::MeanVariance(mu, cov, o).max_sharpe(0.02);
  for (int i = 0; i < n; ++i) EXPECT_TRUE(ms.weights(i) < 1e-9 || ms.weights(i) >= 0.15 - 1e-9) << ms.weights(i);
}

TEST(MeanVariance, InfeasibleConstraintsAreNamed) {
  pf::MeanVarianceOptions o;
  o.upper = VectorXd::Constant(30, 0.02);  // 30 x 0.02 = 0.6 < 1
  try {
    pf::MeanVariance mv(dow().mu, dow().cov, o);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_TRUE(contains(e.what(), "the upper bounds sum to at most 0.6 but the budget is 1")) << e.what();
  }
  o.upper = VectorXd();
  o.groups.push_back({"tech", {9, 14, 15, 17}, 0.0, 0.1});
  o.groups.push_back({"not tech", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29}, 0.0, 0.8});
  try {
    pf::MeanVariance mv(dow().mu, dow().cov, o);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_TRUE(contains(e.what(), "'budget'") && contains(e.what(), "'groups'")) << e.what();
  }
  o.groups = {{"tech", {9, 14}, 0.9, 1.0}};
  o.upper = VectorXd::Constant(30, 0.3);
  try {
    pf::MeanVariance mv(dow().mu, dow().cov, o);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_TRUE(contains(e.what(), "group 'tech' needs at least 0.9 but its members' upper bounds sum to 0.6")) << e.what();
  }
  // A non-PSD covariance.
  MatrixXd bad = dow().cov;
  bad(0, 1) = bad(1, 0) = 10.0;
  EXPECT_THROW(pf::MeanVariance(dow().mu, bad), bq::InvalidArgument);
  VectorXd nan_mu = dow().mu;
  nan_mu(3) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(pf::MeanVariance(nan_mu, dow().cov), bq::InvalidArgument);
}

TEST(MeanVariance, FactorFormEqualsDense) {
  const bq::RowMatrix R = bq::testing::dow_jones_returns();
  pf::CovarianceOptions co;
  co.method = pf::CovarianceMethod::factor;
  co.n_factors = 3;
  const auto f = pf::estimate_covariance(R, co);
  pf::MeanVarianceOptions o;
  o.upper = VectorXd::Constant(30, 0.2);
  const pf::MeanVariance dense(dow().mu, f.covariance, o);
  const pf::MeanVariance factor(dow().mu, pf::FactorHessian{f.loadings, f.factor_covariance, f.specific_variance}, o);
  EXPECT_NEAR(dense.min_volatility().volatility, factor.min_volatility().volatility, 1e-9);
  EXPECT_NEAR(dense.max_sharpe(0.0).sharpe, factor.max_sharpe(0.0).sharpe, 1e-8);
}

// Issue 10, case 1: min_volatility without bounds at a covariance of daily size summed to 0.75
// with status converged. Reference: the closed form S^-1 1 / (1' S^-1 1).
TEST(MeanVariance, UnboundedMinVolatilityAtDailyScaleKeepsTheBudget) {
  VectorXd mu(2);
  mu << 0.000026, 0.000116;
  MatrixXd S(2, 2);
  S << 7.634213e-08, -8.304787e-09, -8.304787e-09, 6.616328e-08;
  pf::MeanVarianceOptions o;
  o.lower = VectorXd::Constant(2, -kInf);
  o.upper = VectorXd::Constant(2, kInf);
  const auto r = pf::MeanVariance(mu, S, o).min_volatility();
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.weights.sum(), 1.0, 1e-12);
  const VectorXd closed = S.ldlt().solve(VectorXd::Ones(2));
  EXPECT_LE((r.weights - closed / closed.sum()).cwiseAbs().maxCoeff(), 1e-9);
}

// Issue 10, case 2: a riskless asset at its upper bound is the whole minimum-risk portfolio, and
// (its return being the higher) the maximum-return one too. The path took a direction of rounding
// noise (1e-14) for t = 8.6e12, and its last corner held 0.1 + 1.0.
TEST(MeanVariance, FrontierWithARisklessAssetAtItsBoundKeepsTheBudget) {
  VectorXd mu(2);
  mu << 0.000144, 0.02;
  MatrixXd S = MatrixXd::Zero(2, 2);
  S(0, 0) = 3.586161e-07;
  pf::MeanVarianceOptions o;
  o.lower = VectorXd::Zero(2);
  o.upper = VectorXd(2);
  o.upper << 0.1, 1.0;
  const auto f = pf::MeanVariance(mu, S, o).frontier();
  ASSERT_TRUE(f.status.converged()) << f.status.message;
  for (const auto& b : f.breakpoints) {
    EXPECT_NEAR(b.weights.sum(), 1.0, 1e-12) << b.t << " " << b.event;
    EXPECT_NEAR(b.weights(1), 1.0, 1e-12) << b.t;
  }
  EXPECT_EQ(f.breakpoints.size(), 1u);
}

// Issue 10, singular covariance: the Dow data with one stock's return column twice. The answers
// are those without the copy (the copies share the original's weight in some split): a false
// 'unbounded' from min_volatility and max_sharpe, and a frontier that collapsed to copies of the
// minimum-risk portfolio, before.
namespace {
Data with_duplicate(const Data& d, Eigen::Index j) {
  const Eigen::Index n = d.mu.size();
  Data out;
  out.mu.resize(n + 1);
  out.mu << d.mu, d.mu(j);
  out.cov.resize(n + 1, n + 1);
  out.cov.topLeftCorner(n, n) = d.cov;
  out.cov.topRightCorner(n, 1) = d.cov.col(j);
  out.cov.bottomLeftCorner(1, n) = d.cov.row(j);
  out.cov(n, n) = d.cov(j, j);
  return out;
}

// Volatility of the frontier `f` at expected return r (linear between corners).
double volatility_at(const pf::FrontierResult& f, const MatrixXd& cov, double r) {
  const VectorXd w = f.weights_at_return(r);
  return std::sqrt(w.dot(cov * w));
}
}  // namespace

TEST(MeanVariance, ADuplicatedAssetChangesNothing) {
  for (Eigen::Index j : {16, 19, 22}) {  // IBM, JNJ, MSFT
    for (bool short_sales : {false, true}) {
    const Data dup = with_duplicate(dow(), j);
    pf::MeanVarianceOptions o, o2;
    if (short_sales) {  // [-0.5, 1] each; the copies together [-1, 2]
      o.lower = VectorXd::Constant(30, -0.5);
      o.upper = VectorXd::Ones(30);
      o.lower(j) = -1.0;
      o.upper(j) = 2.0;
      o2.lower = VectorXd::Constant(31, -0.5);
      o2.upper = VectorXd::Ones(31);
    }
    const pf::MeanVariance plain(dow().mu, dow().cov, o), twice(dup.mu, dup.cov, o2);
    const auto a = plain.min_volatility(), b = twice.min_volatility();
    ASSERT_TRUE(b.status.converged()) << j << ": " << b.status.message;
    EXPECT_NEAR(b.volatility, a.volatility, 1e-12 * a.volatility) << j;
    EXPECT_NEAR(b.weights(j) + b.weights(30), a.weights(j), 1e-9) << j;
    EXPECT_LE(b.primal_residual, 1e-12);
    EXPECT_LE(b.dual_residual, 1e-12);
    const auto s = plain.max_sharpe(0.02), t = twice.max_sharpe(0.02);
    ASSERT_TRUE(t.status.converged()) << j << ": " << t.status.message;
    EXPECT_NEAR(t.sharpe, s.sharpe, 1e-10 * s.sharpe) << j;
    EXPECT_NEAR(t.weights(j) + t.weights(30), s.weights(j), 1e-8) << j;
    const auto u = plain.max_quadratic_utility(3.0), v = twice.max_quadratic_utility(3.0);
    ASSERT_TRUE(v.status.converged()) << v.status.message;
    EXPECT_NEAR(v.expected_return, u.expected_return, 1e-10) << j;
    EXPECT_NEAR(v.volatility, u.volatility, 1e-10) << j;

    const auto f = plain.frontier(), g = twice.frontier();
    ASSERT_TRUE(g.status.converged()) << j << ": " << g.status.message;
    ASSERT_GT(g.breakpoints.size(), 2u) << j;
    EXPECT_NEAR(g.breakpoints.front().expected_return, f.breakpoints.front().expected_return, 1e-10) << j;
    EXPECT_NEAR(g.breakpoints.back().expected_return, f.breakpoints.back().expected_return, 1e-10) << j;
    // Every corner of each lies on the other (same volatility at the same return).
    for (const auto& p : g.breakpoints) {
      EXPECT_NEAR(p.volatility, volatility_at(f, dow().cov, p.expected_return), 1e-9) << j << " " << p.event;
    }
    for (const auto& p : f.breakpoints) {
      EXPECT_NEAR(p.volatility, volatility_at(g, dup.cov, p.expected_return), 1e-9) << j << " " << p.event;
    }
    }
  }
}
