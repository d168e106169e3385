#include "bankquant/risk/volatility.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Cholesky>
#include <boost/math/special_functions/digamma.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/covariance.hpp"

namespace bankquant::risk {
namespace {

constexpr double kPi = std::numbers::pi;

void check_returns(std::span<const double> r, std::size_t minimum) {
  check::min_size("returns", r.size(), minimum);
  check::all_finite("returns", r);
}

// Natural parameters p = (mu, omega, alpha, beta, nu) of a GARCH(1,1) on unit-variance returns.
constexpr int kMu = 0, kOmega = 1, kAlpha = 2, kBeta = 3, kNu = 4, kNatural = 5;
using Natural = std::array<double, kNatural>;

bool admissible(const Natural& p, GarchDistribution dist) {
  if (!(p[kOmega] > 0) || p[kAlpha] < 0 || p[kBeta] < 0 || !(p[kAlpha] + p[kBeta] < 1)) return false;
  return dist != GarchDistribution::student_t || p[kNu] > 2;
}

// The log-likelihood of z at p, with h_0 the backcast mean((z - mu)^2). When `gradient` is given
// it receives d logL / dp (the variance recursion is differentiated alongside itself); `scores`
// (n x 5, row-major) receives the per-observation contributions to it; `terms` and `h_out` the
// per-observation log densities and variances. Returns -inf outside the admissible region.
double garch_log_likelihood(std::span<const double> z, const Natural& p, GarchDistribution dist, bool mean,
                            Natural* gradient, std::vector<double>* scores, std::vector<double>* terms,
                            std::vector<double>* h_out) {
  if (!admissible(p, dist)) return -std::numeric_limits<double>::infinity();
  const std::size_t n = z.size();
  const double mu = p[kMu], omega = p[kOmega], alpha = p[kAlpha], beta = p[kBeta], nu = p[kNu];
  const bool t_dist = dist == GarchDistribution::student_t;
  double sum_e = 0.0, sum_e2 = 0.0;
  for (double v : z) {
    sum_e += v - mu;
    sum_e2 += (v - mu) * (v - mu);
  }
  const double h0 = sum_e2 / static_cast<double>(n);
  double t_const = 0.0, t_const_dnu = 0.0;
  if (t_dist) {
    t_const = std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(kPi * (nu - 2));
    t_const_dnu = 0.5 * boost::math::digamma((nu + 1) / 2) - 0.5 * boost::math::digamma(nu / 2) - 0.5 / (nu - 2);
  }
  const bool want = gradient != nullptr || scores != nullptr;
  // dh_t/d(mu, omega, alpha, beta); h_0 depends on mu only (when the mean is estimated).
  double dh_mu = mean ? -2.0 * sum_e / static_cast<double>(n) : 0.0, dh_omega = 0.0, dh_alpha = 0.0, dh_beta = 0.0;
  Natural g{};
  double h = h0, total = 0.0, e_prev = 0.0;
  for (std::size_t t = 0; t < n; ++t) {
    if (t > 0) {
      if (want) {
        // Derivatives use h_{t-1}, so update them before h itself.
        dh_mu = (mean ? -2.0 * alpha * e_prev : 0.0) + beta * dh_mu;
        dh_omega = 1.0 + beta * dh_omega;
        dh_alpha = e_prev * e_prev + beta * dh_alpha;
        dh_beta = h + beta * dh_beta;
      }
      h = omega + alpha * e_prev * e_prev + beta * h;
    }
    const double e = z[t] - mu;
    double l, dl_dh = 0.0, dl_dmu = 0.0, dl_dnu = 0.0;
    if (!t_dist) {
      l = -0.5 * (std::log(2 * kPi) + std::log(h) + e * e / h);
      if (want) {
        dl_dh = -0.5 * (1.0 / h - e * e / (h * h));
        dl_dmu = e / h;
      }
    } else {
      const double q = e * e / (h * (nu - 2));
      l = t_const - 0.5 * std::log(h) - (nu + 1) / 2 * std::log1p(q);
      if (want) {
        dl_dh = -0.5 / h + (nu + 1) / 2 * q / (1 + q) / h;
        dl_dmu = (nu + 1) * e / (h * (nu - 2) * (1 + q));
        dl_dnu = t_const_dnu - 0.5 * std::log1p(q) + (nu + 1) / 2 * q / ((nu - 2) * (1 + q));
      }
    }
    if (want) {
      const Natural s{mean ? dl_dmu + dl_dh * dh_mu : 0.0, dl_dh * dh_omega, dl_dh * dh_alpha, dl_dh * dh_beta,
                      dl_dnu};
      for (int k = 0; k < kNatural; ++k) g[k] += s[k];
      if (scores) std::copy(s.begin(), s.end(), scores->begin() + static_cast<std::ptrdiff_t>(t * kNatural));
    }
    if (terms) (*terms)[t] = l;
    if (h_out) (*h_out)[t] = h;
    total += l;
    e_prev = e;
  }
  if (gradient) *gradient = g;
  return total;
}

// Unconstrained theta <-> natural parameters: omega = exp, persistence alpha + beta =
// kPersistenceCap * logistic, alpha's share of it logistic, nu = 2 + 1e-6 + exp.
constexpr double kPersistenceCap = 0.999999;
constexpr double kNuFloor = 2.0 + 1e-6;

struct Mapping {
  bool mean;
  bool t;
  [[nodiscard]] int size() const { return (mean ? 1 : 0) + 3 + (t ? 1 : 0); }
  // Natural parameters at theta and, when `jacobian` is given, d natural / d theta (kNatural x size).
  Natural natural(std::span<const double> theta, std::vector<double>* jacobian = nullptr) const {
    Natural p{};
    int i = 0;
    const int k = size();
    if (jacobian) jacobian->assign(static_cast<std::size_t>(kNatural * k), 0.0);
    auto J = [&](int row, int col) -> double& { return (*jacobian)[static_cast<std::size_t>(row * k + col)]; };
    if (mean) {
      p[kMu] = theta[static_cast<std::size_t>(i)];
      if (jacobian) J(kMu, i) = 1.0;
      ++i;
    }
    p[kOmega] = std::exp(theta[static_cast<std::size_t>(i)]);
    if (jacobian) J(kOmega, i) = p[kOmega];
    ++i;
    const double sp = 1 / (1 + std::exp(-theta[static_cast<std::size_t>(i)]));
    const double persistence = kPersistenceCap * sp;
    const int ip = i++;
    const double share = 1 / (1 + std::exp(-theta[static_cast<std::size_t>(i)]));
    const int is = i++;
    p[kAlpha] = persistence * share;
    p[kBeta] = persistence * (1 - share);
    if (jacobian) {
      const double dp = persistence * (1 - sp), ds = share * (1 - share);
      J(kAlpha, ip) = share * dp;
      J(kBeta, ip) = (1 - share) * dp;
      J(kAlpha, is) = persistence * ds;
      J(kBeta, is) = -persistence * ds;
    }
    if (t) {
      p[kNu] = kNuFloor + std::exp(theta[static_cast<std::size_t>(i)]);
      if (jacobian) J(kNu, i) = p[kNu] - kNuFloor;
      ++i;
    }
    return p;
  }
  [[nodiscard]] std::vector<double> unconstrained(const Natural& p) const {
    std::vector<double> theta;
    if (mean) theta.push_back(p[kMu]);
    theta.push_back(std::log(p[kOmega]));
    const double persistence = (p[kAlpha] + p[kBeta]) / kPersistenceCap;
    theta.push_back(std::log(persistence / (1 - persistence)));
    const double share = p[kAlpha] / (p[kAlpha] + p[kBeta]);
    theta.push_back(std::log(share / (1 - share)));
    if (t) theta.push_back(std::log(p[kNu] - kNuFloor));
    return theta;
  }
};

}  // namespace

std::vector<double> ewma_variance(std::span<const double> returns, double lambda) {
  check_returns(returns, 1);
  check::in_open_range("lambda", lambda, 0.0, 1.0);
  const std::size_t warm = std::min<std::size_t>(returns.size(), 30);
  double s2 = 0.0;
  for (std::size_t t = 0; t < warm; ++t) s2 += returns[t] * returns[t];
  s2 /= static_cast<double>(warm);
  std::vector<double> out(returns.size() + 1);
  out[0] = s2;
  for (std::size_t t = 0; t < returns.size(); ++t) out[t + 1] = lambda * out[t] + (1 - lambda) * returns[t] * returns[t];
  return out;
}

Eigen::MatrixXd ewma_covariance(const Eigen::Ref<const RowMatrix>& returns, double lambda) {
  // One EWMA implementation serves risk and portfolio (ARCHITECTURE): the RiskMetrics recursion,
  // uncentred, started from the first 30 days.
  return portfolio::ewma_covariance(returns, lambda, /*warm_up=*/30, /*demean=*/false);
}

void GarchOptions::validate() const { optimizer.validate(); }

std::vector<double> GarchResult::forecast_variance(int horizon) const {
  check::integer_at_least("horizon", horizon, 1);
  std::vector<double> out(static_cast<std::size_t>(horizon));
  const double v = unconditional_variance(), p = persistence();
  double gap = next_variance - v;
  for (int k = 0; k < horizon; ++k) {
    out[static_cast<std::size_t>(k)] = v + gap;
    gap *= p;
  }
  return out;
}

double garch11_log_likelihood(std::span<const double> returns, double mu, double omega, double alpha, double beta,
                              double nu, GarchDistribution distribution) {
  check_returns(returns, 2);
  return garch_log_likelihood(returns, {mu, omega, alpha, beta, nu}, distribution, true, nullptr, nullptr, nullptr,
                              nullptr);
}

GarchResult fit_garch11(std::span<const double> returns, const GarchOptions& o) {
  o.validate();
  check_returns(returns, 20);
  const std::size_t n = returns.size();
  const bool is_t = o.dist == GarchDistribution::student_t;
  double mean = 0.0;
  for (double r : returns) mean += r;
  mean /= static_cast<double>(n);
  double var = 0.0;
  for (double r : returns) var += (r - mean) * (r - mean);
  var /= static_cast<double>(n);
  double largest = 0.0;
  for (double r : returns) largest = std::max(largest, std::abs(r));
  if (!(std::sqrt(var) > 1e-10 * largest) || !(var > 0)) {
    check::fail("returns", "expected returns that vary, got a constant series");
  }
  const double scale = std::sqrt(var);
  std::vector<double> z(n);
  for (std::size_t t = 0; t < n; ++t) z[t] = returns[t] / scale;  // unit variance: a well-scaled problem

  const Mapping map{o.mean, is_t};
  const int k = map.size();
  const double inv_n = 1.0 / static_cast<double>(n);
  std::vector<double> jacobian;
  // Minus the mean log-likelihood in theta, with its gradient by the chain rule.
  auto objective = [&](std::span<const double> theta, std::span<double> gradient) {
    const Natural p = map.natural(theta, gradient.empty() ? nullptr : &jacobian);
    Natural g{};
    const double ll = garch_log_likelihood(z, p, o.dist, o.mean, gradient.empty() ? nullptr : &g, nullptr, nullptr,
                                           nullptr);
    if (!std::isfinite(ll)) return std::numeric_limits<double>::infinity();
    for (int j = 0; j < static_cast<int>(gradient.size()); ++j) {
      double d = 0.0;
      for (int i = 0; i < kNatural; ++i) d += g[i] * jacobian[static_cast<std::size_t>(i * k + j)];
      gradient[static_cast<std::size_t>(j)] = -d * inv_n;
    }
    return -ll * inv_n;
  };

  const Natural start{o.mean ? mean / scale : 0.0, 0.05, 0.05, 0.90, 8.0};  // omega = (1 - 0.95) x unit variance
  auto search = optimize::minimize(objective, map.unconstrained(start), {}, o.optimizer);
  GarchResult result;
  result.dist = o.dist;
  result.status = search.status;
  if (!search.status.usable()) {
    throw ConvergenceError(fmt::format("GARCH(1,1) fit failed: {}", search.status.message));
  }

  // Natural parameters on the unit-variance scale; Hessian and scores there.
  const Natural p = map.natural(search.x);
  std::vector<int> free;  // indices of estimated parameters among (mu, omega, alpha, beta, nu)
  if (o.mean) free.push_back(kMu);
  free.insert(free.end(), {kOmega, kAlpha, kBeta});
  if (is_t) free.push_back(kNu);
  std::vector<double> scores(n * kNatural);
  Natural g_hat{};
  garch_log_likelihood(z, p, o.dist, o.mean, &g_hat, &scores, nullptr, nullptr);
  Eigen::MatrixXd G(static_cast<Eigen::Index>(n), k);
  for (std::size_t t = 0; t < n; ++t) {
    for (int a = 0; a < k; ++a) G(static_cast<Eigen::Index>(t), a) = scores[t * kNatural + static_cast<std::size_t>(free[static_cast<std::size_t>(a)])];
  }
  // Hessian in the natural parameters: central differences of the analytic gradient, symmetrised.
  Eigen::MatrixXd H(k, k);
  for (int b = 0; b < k; ++b) {
    const int ib = free[static_cast<std::size_t>(b)];
    const double step = 1e-5 * std::max(std::abs(p[static_cast<std::size_t>(ib)]), 1e-3);
    Natural up = p, down = p;
    up[static_cast<std::size_t>(ib)] += step;
    down[static_cast<std::size_t>(ib)] -= step;
    Natural g_up{}, g_down{};
    const double l_up = garch_log_likelihood(z, up, o.dist, o.mean, &g_up, nullptr, nullptr, nullptr);
    const double l_down = garch_log_likelihood(z, down, o.dist, o.mean, &g_down, nullptr, nullptr, nullptr);
    for (int a = 0; a < k; ++a) {
      const auto ia = static_cast<std::size_t>(free[static_cast<std::size_t>(a)]);
      H(a, b) = std::isfinite(l_up) && std::isfinite(l_down) ? (g_up[ia] - g_down[ia]) / (2 * step)
                                                              : std::numeric_limits<double>::quiet_NaN();
    }
  }
  H = (0.5 * (H + H.transpose())).eval();
  // Map back to the original units: mu scales by s, omega by s^2; alpha, beta, nu do not.
  Eigen::VectorXd unit(k), factor(k);
  for (int a = 0; a < k; ++a) {
    const int i = free[static_cast<std::size_t>(a)];
    unit(a) = p[static_cast<std::size_t>(i)];
    factor(a) = i == kMu ? scale : i == kOmega ? scale * scale : 1.0;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.standard_errors.assign(static_cast<std::size_t>(k), nan);
  result.robust_standard_errors.assign(static_cast<std::size_t>(k), nan);
  const Eigen::MatrixXd negH = -H;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(negH);
  const bool information_ok = negH.allFinite() && ldlt.info() == Eigen::Success && (ldlt.vectorD().array() > 0).all();
  if (information_ok) {
    const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
    const Eigen::MatrixXd robust = cov * (G.transpose() * G) * cov;
    for (int a = 0; a < k; ++a) {
      result.standard_errors[static_cast<std::size_t>(a)] = std::sqrt(cov(a, a)) * factor(a);
      result.robust_standard_errors[static_cast<std::size_t>(a)] = std::sqrt(robust(a, a)) * factor(a);
    }
  }
  for (int a = 0; a < k; ++a) result.params.push_back(unit(a) * factor(a));
  const char* all_names[] = {"mu", "omega", "alpha", "beta", "nu"};
  for (int i : free) result.names.emplace_back(all_names[i]);
  result.mu = p[kMu] * scale;
  result.omega = p[kOmega] * scale * scale;
  result.alpha = p[kAlpha];
  result.beta = p[kBeta];
  result.nu = is_t ? p[kNu] : 0.0;

  // A usable fit that sits on the edge of the parameter space is reported as such.
  if (result.status.usable()) {
    if (p[kAlpha] + p[kBeta] >= 0.9999) {
      result.status.code = StatusCode::boundary;
      result.status.message = fmt::format(
          "alpha + beta = {:.6f} is at the stationarity bound (an integrated GARCH): a boundary solution, whose "
          "unconditional variance and standard errors are not reliable ({} observations)",
          p[kAlpha] + p[kBeta], n);
    } else if (!information_ok) {
      result.status.code = StatusCode::boundary;
      result.status.message = fmt::format(
          "the information matrix is not positive definite at the estimate (a parameter at or near its bound, or "
          "too little data: {} observations): no standard errors",
          n);
    }
  }

  std::vector<double> h(n);
  double ll = garch_log_likelihood(z, p, o.dist, o.mean, nullptr, nullptr, nullptr, &h);
  ll -= static_cast<double>(n) * std::log(scale);  // the density of r is that of z divided by s
  result.log_likelihood = ll;
  result.aic = -2 * ll + 2 * static_cast<double>(k);
  result.bic = -2 * ll + std::log(static_cast<double>(n)) * static_cast<double>(k);
  result.conditional_variance.resize(n);
  result.standardized_residuals.resize(n);
  for (std::size_t t = 0; t < n; ++t) {
    result.conditional_variance[t] = h[t] * scale * scale;
    result.standardized_residuals[t] = (returns[t] - result.mu) / std::sqrt(result.conditional_variance[t]);
  }
  const double e_last = returns[n - 1] - result.mu;
  result.next_variance = result.omega + result.alpha * e_last * e_last + result.beta * result.conditional_variance[n - 1];
  return result;
}

}  // namespace bankquant::risk
