#include "bankquant/risk/delta_gamma.hpp"

#include <cmath>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"

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
  f.kappa[1] = 0.5 * f.lambda.sum();
  for (int r = 2; r <= 4; ++r) {
    const double fact_r1 = r == 2 ? 1 : r == 3 ? 2 : 6, fact_r = r == 2 ? 2 : r == 3 ? 6 : 24;
    double s = 0;
    for (Eigen::Index i = 0; i < k; ++i) {
      s += fact_r1 / 2 * std::pow(f.lambda(i), r) + fact_r / 2 * f.d(i) * f.d(i) * std::pow(f.lambda(i), r - 2);
    }
    f.kappa[r] = s;
  }
  return f;
}

std::vector<VarEs> delta_gamma_monte_carlo(const DeltaGammaForm& f, std::span<const double> levels,
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

}  // namespace bankquant::risk
