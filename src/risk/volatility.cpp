#include "bankquant/risk/volatility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk {
namespace {

constexpr double kPi = std::numbers::pi;

void check_returns(std::span<const double> r, std::size_t minimum) {
  check::min_size("returns", r.size(), minimum);
  check::all_finite("returns", r);
}

// Per-observation log-likelihood contributions of a GARCH(1,1); h0 is the backcast.
// Returns -inf when the parameters are outside the admissible region.
double garch_terms(std::span<const double> r, double mu, double omega, double alpha, double beta, double nu,
                   GarchDistribution dist, double h0, std::vector<double>* terms, std::vector<double>* h_out) {
  if (!(omega > 0) || alpha < 0 || beta < 0 || !(alpha + beta < 1)) return -std::numeric_limits<double>::infinity();
  if (dist == GarchDistribution::student_t && !(nu > 2)) return -std::numeric_limits<double>::infinity();
  double t_const = 0.0;
  if (dist == GarchDistribution::student_t) {
    t_const = std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(kPi * (nu - 2));
  }
  double h = h0, total = 0.0, e_prev = 0.0;
  for (std::size_t t = 0; t < r.size(); ++t) {
    if (t > 0) h = omega + alpha * e_prev * e_prev + beta * h;
    const double e = r[t] - mu;
    double l;
    if (dist == GarchDistribution::normal) {
      l = -0.5 * (std::log(2 * kPi) + std::log(h) + e * e / h);
    } else {
      l = t_const - 0.5 * std::log(h) - (nu + 1) / 2 * std::log1p(e * e / (h * (nu - 2)));
    }
    if (terms) (*terms)[t] = l;
    if (h_out) (*h_out)[t] = h;
    total += l;
    e_prev = e;
  }
  return total;
}

// Unconstrained theta <-> natural parameters (mu, omega, alpha, beta, nu).
struct Mapping {
  bool mean;
  bool t;
  [[nodiscard]] Eigen::VectorXd natural(const Eigen::VectorXd& theta) const {
    Eigen::VectorXd p(t ? 5 : 4);
    int i = 0;
    p(0) = mean ? theta(i++) : 0.0;
    p(1) = std::exp(theta(i++));
    const double persistence = 0.999999 / (1 + std::exp(-theta(i++)));
    const double share = 1 / (1 + std::exp(-theta(i++)));
    p(2) = persistence * share;
    p(3) = persistence * (1 - share);
    if (t) p(4) = 2.0 + 1e-6 + std::exp(theta(i++));
    return p;
  }
  [[nodiscard]] Eigen::VectorXd unconstrained(const Eigen::VectorXd& p) const {
    Eigen::VectorXd theta((mean ? 1 : 0) + 3 + (t ? 1 : 0));
    int i = 0;
    if (mean) theta(i++) = p(0);
    theta(i++) = std::log(p(1));
    const double persistence = (p(2) + p(3)) / 0.999999;
    theta(i++) = std::log(persistence / (1 - persistence));
    const double share = p(2) / (p(2) + p(3));
    theta(i++) = std::log(share / (1 - share));
    if (t) theta(i++) = std::log(p(4) - 2.0 - 1e-6);
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
  check::not_empty("returns", static_cast<std::size_t>(returns.rows()));
  check::all_finite("returns", returns);
  check::in_open_range("lambda", lambda, 0.0, 1.0);
  const Eigen::Index warm = std::min<Eigen::Index>(returns.rows(), 30);
  Eigen::MatrixXd S = returns.topRows(warm).transpose() * returns.topRows(warm) / static_cast<double>(warm);
  for (Eigen::Index t = 0; t < returns.rows(); ++t) {
    const Eigen::VectorXd r = returns.row(t).transpose();
    S = lambda * S + (1 - lambda) * r * r.transpose();
  }
  return S;
}

void GarchOptions::validate() const {
  check::integer_at_least("max_iterations", max_iterations, 1);
  check::positive("tolerance", tolerance);
}

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
  double h0 = 0.0;  // the backcast, as in fit_garch11
  for (double r : returns) h0 += (r - mu) * (r - mu);
  h0 /= static_cast<double>(returns.size());
  return garch_terms(returns, mu, omega, alpha, beta, nu, distribution, h0, nullptr, nullptr);
}

GarchResult fit_garch11(std::span<const double> returns, const GarchOptions& o) {
  o.validate();
  check_returns(returns, 20);
  const std::size_t n = returns.size();
  const bool is_t = o.distribution == GarchDistribution::student_t;
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
  // The backcast h0 uses the residuals about the mean estimate; fixed during the search.
  auto backcast = [&](double mu) {
    double s = 0.0;
    for (double v : z) s += (v - mu) * (v - mu);
    return s / static_cast<double>(n);
  };
  auto objective = [&](const Eigen::VectorXd& theta) {  // minus the mean log-likelihood
    const Eigen::VectorXd p = map.natural(theta);
    const double ll = garch_terms(z, p(0), p(1), p(2), p(3), is_t ? p(4) : 0.0, o.distribution, backcast(p(0)),
                                  nullptr, nullptr);
    return std::isfinite(ll) ? -ll / static_cast<double>(n) : std::numeric_limits<double>::infinity();
  };
  auto gradient = [&](const Eigen::VectorXd& theta) {
    Eigen::VectorXd g(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
      const double h = 1e-6 * std::max(1.0, std::abs(theta(i)));
      Eigen::VectorXd up = theta, down = theta;
      up(i) += h;
      down(i) -= h;
      g(i) = (objective(up) - objective(down)) / (2 * h);
    }
    return g;
  };

  Eigen::VectorXd start(is_t ? 5 : 4);
  start << (o.mean ? mean / scale : 0.0), 0.05, 0.05, 0.90, 8.0;  // omega = (1 - 0.95) x unit variance
  if (!is_t) start.conservativeResize(4);
  Eigen::VectorXd theta = map.unconstrained(start);
  double f = objective(theta);
  Eigen::VectorXd g = gradient(theta);
  Eigen::MatrixXd Hinv = Eigen::MatrixXd::Identity(theta.size(), theta.size());
  GarchResult result;
  result.distribution = o.distribution;
  for (int it = 1; it <= o.max_iterations; ++it) {
    result.iterations = it;
    Eigen::VectorXd direction = -Hinv * g;
    if (direction.dot(g) >= 0) {  // not a descent direction: restart from steepest descent
      Hinv.setIdentity();
      direction = -g;
    }
    double step = 1.0, f_new = f;
    Eigen::VectorXd theta_new = theta;
    for (int k = 0; k < 60; ++k) {
      theta_new = theta + step * direction;
      f_new = objective(theta_new);
      if (f_new <= f + 1e-4 * step * g.dot(direction)) break;
      step *= 0.5;
    }
    if (!(f_new <= f)) {
      result.message = "the line search found no decrease";
      break;
    }
    const Eigen::VectorXd g_new = gradient(theta_new);
    const Eigen::VectorXd s = theta_new - theta, y = g_new - g;
    const double sy = s.dot(y);
    if (sy > 1e-12) {  // BFGS update of the inverse Hessian
      const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(theta.size(), theta.size());
      Hinv = (I - s * y.transpose() / sy) * Hinv * (I - y * s.transpose() / sy) + s * s.transpose() / sy;
    }
    const double change = f - f_new;
    theta = theta_new;
    f = f_new;
    g = g_new;
    if (g.lpNorm<Eigen::Infinity>() < o.tolerance || change < o.tolerance * 1e-3 * (1 + std::abs(f))) {
      result.converged = g.lpNorm<Eigen::Infinity>() < 1e-4;
      if (!result.converged) result.message = fmt::format("stalled with gradient norm {:.2e}", g.lpNorm<Eigen::Infinity>());
      break;
    }
  }
  if (!result.converged && result.message.empty()) {
    result.message = fmt::format("no convergence in {} BFGS iterations", o.max_iterations);
  }

  // Natural parameters on the unit-variance scale, then the Hessian and scores there.
  const Eigen::VectorXd p = map.natural(theta);
  const double nu = is_t ? p(4) : 0.0;
  const double h0 = backcast(p(0));
  std::vector<int> free;  // indices of estimated parameters among (mu, omega, alpha, beta, nu)
  if (o.mean) free.push_back(0);
  free.insert(free.end(), {1, 2, 3});
  if (is_t) free.push_back(4);
  const auto k = static_cast<Eigen::Index>(free.size());
  auto terms_at = [&](const Eigen::VectorXd& q, std::vector<double>& terms) {
    return garch_terms(z, q(0), q(1), q(2), q(3), is_t ? q(4) : 0.0, o.distribution, h0, &terms, nullptr);
  };
  std::vector<double> base_terms(n), up_terms(n), down_terms(n);
  terms_at(p, base_terms);
  Eigen::MatrixXd G(static_cast<Eigen::Index>(n), k);
  Eigen::MatrixXd H(k, k);
  std::vector<double> steps(static_cast<std::size_t>(k));
  for (Eigen::Index a = 0; a < k; ++a) {
    steps[static_cast<std::size_t>(a)] = 1e-4 * std::max(std::abs(p(free[static_cast<std::size_t>(a)])), 1e-3);
  }
  for (Eigen::Index a = 0; a < k; ++a) {
    const int ia = free[static_cast<std::size_t>(a)];
    const double ha = steps[static_cast<std::size_t>(a)];
    Eigen::VectorXd up = p, down = p;
    up(ia) += ha;
    down(ia) -= ha;
    terms_at(up, up_terms);
    terms_at(down, down_terms);
    for (std::size_t t = 0; t < n; ++t) G(static_cast<Eigen::Index>(t), a) = (up_terms[t] - down_terms[t]) / (2 * ha);
  }
  auto total_at = [&](const Eigen::VectorXd& q) {
    std::vector<double> tmp(n);
    return terms_at(q, tmp);
  };
  for (Eigen::Index a = 0; a < k; ++a) {
    for (Eigen::Index b = a; b < k; ++b) {
      const int ia = free[static_cast<std::size_t>(a)], ib = free[static_cast<std::size_t>(b)];
      const double ha = steps[static_cast<std::size_t>(a)], hb = steps[static_cast<std::size_t>(b)];
      Eigen::VectorXd pp = p, pm = p, mp = p, mm = p;
      pp(ia) += ha; pp(ib) += hb;
      pm(ia) += ha; pm(ib) -= hb;
      mp(ia) -= ha; mp(ib) += hb;
      mm(ia) -= ha; mm(ib) -= hb;
      H(a, b) = H(b, a) = (total_at(pp) - total_at(pm) - total_at(mp) + total_at(mm)) / (4 * ha * hb);
    }
  }
  // Map back to the original units: mu scales by s, omega by s^2; alpha, beta, nu do not.
  Eigen::VectorXd unit(k), factor(k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const int i = free[static_cast<std::size_t>(a)];
    unit(a) = p(i);
    factor(a) = i == 0 ? scale : i == 1 ? scale * scale : 1.0;
  }
  const Eigen::MatrixXd negH = -H;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(negH);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.standard_errors = Eigen::VectorXd::Constant(k, nan);
  result.robust_standard_errors = Eigen::VectorXd::Constant(k, nan);
  if (ldlt.info() == Eigen::Success && (ldlt.vectorD().array() > 0).all()) {
    const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
    const Eigen::MatrixXd robust = cov * (G.transpose() * G) * cov;
    result.standard_errors = cov.diagonal().cwiseSqrt().cwiseProduct(factor);
    result.robust_standard_errors = robust.diagonal().cwiseSqrt().cwiseProduct(factor);
  } else if (result.message.empty()) {
    result.message = "the information matrix is not positive definite: no standard errors";
  }
  result.params = unit.cwiseProduct(factor);
  const char* all_names[] = {"mu", "omega", "alpha", "beta", "nu"};
  for (int i : free) result.names.emplace_back(all_names[i]);
  result.mu = p(0) * scale;
  result.omega = p(1) * scale * scale;
  result.alpha = p(2);
  result.beta = p(3);
  result.nu = nu;

  std::vector<double> h(n);
  double ll = garch_terms(z, p(0), p(1), p(2), p(3), nu, o.distribution, h0, nullptr, &h);
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
