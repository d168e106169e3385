#include "bankquant/portfolio/cointegration.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::portfolio {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// MacKinnon (1994), Table 3 ("c": with constant), N = 1..6 variables.
constexpr std::array<double, 6> kTauStar{-1.61, -2.62, -3.13, -3.47, -3.78, -3.93};
constexpr std::array<double, 6> kTauMin{-18.83, -18.86, -23.48, -28.07, -25.96, -23.27};
constexpr std::array<double, 6> kTauMax{2.74, 0.92, 0.55, 0.61, 0.79, 1.0};
constexpr std::array<std::array<double, 3>, 6> kSmallP{{{2.1659, 1.4412, 3.8269e-2},
                                                        {2.92, 1.5012, 3.9796e-2},
                                                        {3.4699, 1.4856, 3.164e-2},
                                                        {3.9673, 1.4777, 2.6315e-2},
                                                        {4.5509, 1.5338, 2.9545e-2},
                                                        {5.1399, 1.6036, 3.4445e-2}}};
constexpr std::array<std::array<double, 4>, 6> kLargeP{{{1.7339, 9.3202e-1, -1.2745e-1, -1.0368e-2},
                                                        {2.1945, 6.4695e-1, -2.9198e-1, -4.2377e-2},
                                                        {2.5893, 4.5168e-1, -3.6529e-1, -5.0074e-2},
                                                        {3.0387, 4.5452e-1, -3.3666e-1, -4.1921e-2},
                                                        {3.5049, 5.2098e-1, -2.9158e-1, -3.3468e-2},
                                                        {3.9489, 5.8933e-1, -2.5359e-1, -2.721e-2}}};
// MacKinnon (2010), Table 2 ("c"), N = 2: tau_inf + b1/T + b2/T^2 + b3/T^3 at 1%, 5%, 10%.
constexpr std::array<std::array<double, 4>, 3> kCrit2{{{-3.89644, -10.9519, -33.527, 0.0},
                                                       {-3.33613, -6.1101, -6.823, 0.0},
                                                       {-3.04445, -4.2412, -2.720, 0.0}}};

struct Ols {
  VectorXd beta;
  VectorXd residuals;
  double ssr;
  VectorXd se;
};

Ols ols(const MatrixXd& X, const VectorXd& y) {
  Ols r;
  Eigen::ColPivHouseholderQR<MatrixXd> qr(X);
  r.beta = qr.solve(y);
  r.residuals = y - X * r.beta;
  r.ssr = r.residuals.squaredNorm();
  const double dof = static_cast<double>(X.rows() - X.cols());
  const MatrixXd XtX = X.transpose() * X;
  const MatrixXd inv = XtX.ldlt().solve(MatrixXd::Identity(X.cols(), X.cols()));
  r.se = (inv.diagonal() * (r.ssr / dof)).cwiseSqrt();
  return r;
}

// The ADF design on e (no constant): column 0 the level e_{t-1}, then lags of de, over rows that
// have `lags` lags available, using the last `rows` differences.
void adf_design(const VectorXd& e, int lags, Index rows, MatrixXd& X, VectorXd& y) {
  const Index T = e.size();
  const VectorXd de = e.tail(T - 1) - e.head(T - 1);  // de_1..de_{T-1}
  X.resize(rows, lags + 1);
  y.resize(rows);
  const Index first = (T - 1) - rows;  // index into de of the first row
  for (Index r = 0; r < rows; ++r) {
    const Index t = first + r;  // de index
    y(r) = de(t);
    X(r, 0) = e(t);  // the level before the difference
    for (int k = 1; k <= lags; ++k) X(r, k) = de(t - k);
  }
}

}  // namespace

double mackinnon_p_value(double stat, int N) {
  if (N < 1 || N > 6) check::fail("n_variables", fmt::format("expected 1 to 6, got {}", N));
  if (std::isnan(stat)) check::fail("statistic", "expected a number, got nan");
  const std::size_t i = static_cast<std::size_t>(N - 1);
  if (stat > kTauMax[i]) return 1.0;
  if (stat < kTauMin[i]) return 0.0;
  double z;
  if (stat <= kTauStar[i]) {
    const auto& c = kSmallP[i];
    z = c[0] + c[1] * stat + c[2] * stat * stat;
  } else {
    const auto& c = kLargeP[i];
    z = c[0] + c[1] * stat + c[2] * stat * stat + c[3] * stat * stat * stat;
  }
  return normal_cdf(z);
}

CointegrationResult engle_granger(std::span<const double> y, std::span<const double> x, int maxlag) {
  check::same_size("y", y.size(), "x", x.size());
  check::min_size("y", y.size(), 20);
  check::all_finite("y", y);
  check::all_finite("x", x);
  const Index T = static_cast<Index>(y.size());
  MatrixXd X(T, 2);
  VectorXd Y(T);
  for (Index t = 0; t < T; ++t) {
    X(t, 0) = x[static_cast<std::size_t>(t)];
    X(t, 1) = 1.0;
    Y(t) = y[static_cast<std::size_t>(t)];
  }
  const double xsd = std::sqrt((X.col(0).array() - X.col(0).mean()).square().sum());
  if (!(xsd > 0)) check::fail("x", "expected a series that varies, got a constant");
  const Ols step1 = ols(X, Y);
  CointegrationResult r;
  r.hedge_ratio = step1.beta(0);
  r.intercept = step1.beta(1);
  const VectorXd e = step1.residuals;
  r.residual_sd = std::sqrt(e.squaredNorm() / static_cast<double>(T - 1));
  const double sst = (Y.array() - Y.mean()).square().sum();
  const double nobs = static_cast<double>(T);
  // Crit values with nobs - 1, as statsmodels (following Stata's egranger).
  const double tn = nobs - 1.0;
  r.critical_1 = kCrit2[0][0] + kCrit2[0][1] / tn + kCrit2[0][2] / (tn * tn);
  r.critical_5 = kCrit2[1][0] + kCrit2[1][1] / tn + kCrit2[1][2] / (tn * tn);
  r.critical_10 = kCrit2[2][0] + kCrit2[2][1] / tn + kCrit2[2][2] / (tn * tn);
  // (Almost) perfectly collinear series (R^2 >= 1 - 100 sqrt(eps), statsmodels' rule): the ADF
  // regression is meaningless and the pair trivially cointegrated.
  if (!(step1.ssr > sst * 100 * std::sqrt(std::numeric_limits<double>::epsilon()))) {
    r.statistic = -std::numeric_limits<double>::infinity();  // collinear series: trivially cointegrated
    r.p_value = 0.0;
    r.half_life = 0.0;
    return r;
  }
  int lagmax = maxlag >= 0 ? maxlag : static_cast<int>(std::ceil(12.0 * std::pow(nobs / 100.0, 0.25)));
  lagmax = std::min(lagmax, static_cast<int>(T) / 2 - 1);
  if (lagmax < 0) check::fail("y", "the series is too short for the ADF regression");
  // AIC over 0..lagmax on the common sample (the last T - 1 - lagmax differences).
  const Index common = T - 1 - lagmax;
  int best = 0;
  double best_aic = std::numeric_limits<double>::infinity();
  for (int p = 0; p <= lagmax; ++p) {
    MatrixXd A;
    VectorXd b;
    adf_design(e, lagmax, common, A, b);
    const MatrixXd Ap = A.leftCols(p + 1);
    const Ols fit = ols(Ap, b);
    const double n = static_cast<double>(common);
    const double llf = -n / 2.0 * (std::log(2 * std::numbers::pi) + std::log(fit.ssr / n) + 1.0);
    const double aic = -2.0 * llf + 2.0 * static_cast<double>(p + 1);
    if (aic < best_aic) {
      best_aic = aic;
      best = p;
    }
  }
  MatrixXd A;
  VectorXd b;
  adf_design(e, best, T - 1 - best, A, b);
  const Ols fit = ols(A, b);
  r.lags = best;
  r.statistic = fit.beta(0) / fit.se(0);
  r.p_value = mackinnon_p_value(r.statistic, 2);
  const double rho = fit.beta(0);
  r.half_life = rho < 0 && rho > -1 ? -std::log(2.0) / std::log1p(rho) : std::numeric_limits<double>::infinity();
  return r;
}

}  // namespace bankquant::portfolio
