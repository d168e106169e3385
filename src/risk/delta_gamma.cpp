#include "bankquant/risk/delta_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/detail/memory.hpp"

namespace bankquant::risk {

DeltaGammaForm delta_gamma_form(const Eigen::Ref<const Eigen::VectorXd>& delta,
                                const Eigen::Ref<const Eigen::MatrixXd>& gamma,
                                const Eigen::Ref<const Eigen::MatrixXd>& cov) {
  const Eigen::Index k = delta.size();
  check::not_empty("delta", static_cast<std::size_t>(k));
  check::shape("gamma", gamma.rows(), gamma.cols(), k, k);
  check::shape("cov", cov.rows(), cov.cols(), k, k);
  check::all_finite("delta", delta);
  check::all_finite("gamma", gamma);
  check::all_finite("cov", cov);
  if ((gamma - gamma.transpose()).cwiseAbs().maxCoeff() > 1e-10 * (1 + gamma.cwiseAbs().maxCoeff())) {
    check::fail("gamma", "expected a symmetric matrix");
  }
  // A square root of the covariance that tolerates semi-definite matrices.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ec(0.5 * (cov + cov.transpose()));
  if (ec.eigenvalues().minCoeff() < -1e-12 * (1 + ec.eigenvalues().cwiseAbs().maxCoeff())) {
    check::fail("cov", fmt::format("expected a positive semi-definite matrix, smallest eigenvalue {:.3g}",
                                   ec.eigenvalues().minCoeff()));
  }
  const Eigen::MatrixXd L = ec.eigenvectors() * ec.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eg(L.transpose() * gamma * L);
  DeltaGammaForm f;
  f.lambda = eg.eigenvalues();
  f.d = eg.eigenvectors().transpose() * (L.transpose() * delta);
  f.kappa[0] = 0.5 * f.lambda.sum();
  for (int r = 2; r <= 4; ++r) {
    const double fact_r1 = r == 2 ? 1 : r == 3 ? 2 : 6, fact_r = r == 2 ? 2 : r == 3 ? 6 : 24;
    double s = 0;
    for (Eigen::Index i = 0; i < k; ++i) {
      s += fact_r1 / 2 * std::pow(f.lambda(i), r) + fact_r / 2 * f.d(i) * f.d(i) * std::pow(f.lambda(i), r - 2);
    }
    f.kappa[static_cast<std::size_t>(r - 1)] = s;
  }
  return f;
}

VarEsTable delta_gamma_monte_carlo(const DeltaGammaForm& f, std::span<const double> levels,
                                           std::size_t n, std::uint64_t seed) {
  if (n < 100) check::fail("n_scenarios", fmt::format("expected at least 100 scenarios, got {}", n));
  check_levels(levels, n);
  const auto k = static_cast<std::size_t>(f.d.size());
  std::vector<double> pnl(n);
  parallel_for_chunks(n, 4096, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(seed, c);
    std::vector<double> y(k);
    for (std::size_t s = begin; s < end; ++s) {
      stream.fill_normal(y);
      double v = 0;
      for (std::size_t i = 0; i < k; ++i) {
        const auto ii = static_cast<Eigen::Index>(i);
        v += f.d(ii) * y[i] + 0.5 * f.lambda(ii) * y[i] * y[i];
      }
      pnl[s] = v;
    }
  });
  return historical_var_es(pnl, levels);
}

VarEsTable delta_gamma_importance_sampling(const DeltaGammaForm& f, std::span<const double> levels,
                                                   std::size_t n, std::uint64_t seed, double target_loss) {
  if (n < 100) check::fail("n_scenarios", fmt::format("expected at least 100 scenarios, got {}", n));
  check_levels(levels, 0);
  check::finite("target_loss", target_loss);
  const Eigen::Index k = f.d.size();
  // L = -dV = sum (b_i y_i + 1/2 c_i y_i^2), b = -d, c = -lambda.
  const Eigen::VectorXd b = -f.d, c = -f.lambda;
  double theta_max = std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < k; ++i) {
    if (c(i) > 0) theta_max = std::min(theta_max, 1.0 / c(i));
  }
  auto psi = [&](double t) {
    double s = 0;
    for (Eigen::Index i = 0; i < k; ++i) {
      const double one = 1 - t * c(i);
      s += t * t * b(i) * b(i) / (2 * one) - 0.5 * std::log(one);
    }
    return s;
  };
  auto psi_prime = [&](double t) {
    double s = 0;
    for (Eigen::Index i = 0; i < k; ++i) {
      const double one = 1 - t * c(i);
      s += t * b(i) * b(i) / one + t * t * b(i) * b(i) * c(i) / (2 * one * one) + c(i) / (2 * one);
    }
    return s;
  };
  // psi' increases from E[L] at theta = 0; find theta with psi'(theta) = target (0 if the target is below the mean).
  double theta = 0;
  if (psi_prime(0) < target_loss) {
    double lo = 0, hi = std::isfinite(theta_max) ? theta_max * (1 - 1e-9) : 1.0;
    if (!std::isfinite(theta_max)) {
      while (psi_prime(hi) < target_loss && hi < 1e12) hi *= 2;
    }
    for (int it = 0; it < 200; ++it) {
      const double mid = 0.5 * (lo + hi);
      (psi_prime(mid) < target_loss ? lo : hi) = mid;
    }
    theta = lo;
  }
  const double psi_theta = psi(theta);
  std::vector<double> loss(n), weight(n);
  parallel_for_chunks(n, 4096, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    RandomStream stream(seed, chunk);
    std::vector<double> z(static_cast<std::size_t>(k));
    for (std::size_t s = begin; s < end; ++s) {
      stream.fill_normal(z);
      double l = 0;
      for (Eigen::Index i = 0; i < k; ++i) {
        const double one = 1 - theta * c(i);
        const double y = theta * b(i) / one + z[static_cast<std::size_t>(i)] / std::sqrt(one);  // twisted normal
        l += b(i) * y + 0.5 * c(i) * y * y;
      }
      loss[s] = l;
      weight[s] = std::exp(-theta * l + psi_theta);
    }
  });
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b2) { return loss[a] > loss[b2]; });
  VarEsTable out;
  const double nd = static_cast<double>(n);
  for (double a : levels) {
    const double mass = 1 - a;
    double taken = 0, sum = 0, var = loss[order.back()];
    bool found = false;
    for (std::size_t r = 0; r < n; ++r) {
      const double p = weight[order[r]] / nd;
      const double use = std::min(p, mass - taken);
      sum += use * loss[order[r]];
      taken += use;
      if (taken >= mass * (1 - 1e-12)) {
        var = loss[order[r]];
        found = true;
        break;
      }
    }
    if (!found) check::fail("target_loss", fmt::format("the twisted sample does not reach level {}; lower target_loss", a));
    out.level.push_back(a);
    out.var.push_back(var);
    out.es.push_back(sum / mass);
  }
  return out;
}

void DeltaGammaOptions::validate() const {
  if (method == DeltaGammaMethod::monte_carlo || method == DeltaGammaMethod::importance_sampling) {
    if (n_scenarios < 100) check::fail("n_scenarios", fmt::format("expected at least 100 scenarios, got {}", n_scenarios));
    detail::check_fits_in_memory("n_scenarios", n_scenarios, method == DeltaGammaMethod::monte_carlo ? 8.0 : 24.0);
  }
}

DeltaGammaResult delta_gamma_var_es(const Eigen::Ref<const Eigen::VectorXd>& delta,
                                    const Eigen::Ref<const Eigen::MatrixXd>& gamma,
                                    const Eigen::Ref<const Eigen::MatrixXd>& cov, std::span<const double> levels,
                                    const DeltaGammaOptions& o) {
  o.validate();
  check_levels(levels, o.method == DeltaGammaMethod::monte_carlo ? o.n_scenarios : 0);
  const DeltaGammaForm f = delta_gamma_form(delta, gamma, cov);
  DeltaGammaResult r;
  r.method = o.method;
  const double k2 = f.kappa[1];
  r.mean = f.kappa[0];
  r.sd = std::sqrt(std::max(k2, 0.0));
  r.skewness = k2 > 0 ? f.kappa[2] / std::pow(k2, 1.5) : 0.0;
  r.excess_kurtosis = k2 > 0 ? f.kappa[3] / (k2 * k2) : 0.0;
  if (o.method != DeltaGammaMethod::monte_carlo && !(k2 > 0)) {
    check::fail("cov", "the book has no risk under it (the quadratic P&L has zero variance)");
  }
  switch (o.method) {
    case DeltaGammaMethod::normal:
      r.estimates = normal_var_es(r.mean, r.sd, levels);
      break;
    case DeltaGammaMethod::cornish_fisher:
      r.estimates = cornish_fisher_var_es(r.mean, r.sd, r.skewness, r.excess_kurtosis, levels);
      break;
    case DeltaGammaMethod::monte_carlo:
      r.estimates = delta_gamma_monte_carlo(f, levels, o.n_scenarios, o.seed);
      break;
    case DeltaGammaMethod::importance_sampling: {
      const double deepest = *std::max_element(levels.begin(), levels.end());
      const double target =
          cornish_fisher_var_es(r.mean, r.sd, r.skewness, r.excess_kurtosis, std::span<const double>(&deepest, 1)).var[0];
      r.estimates = delta_gamma_importance_sampling(f, levels, o.n_scenarios, o.seed, target);
      break;
    }
  }
  return r;
}

}  // namespace bankquant::risk
