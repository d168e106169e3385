#include "bankquant/risk/monte_carlo.hpp"

#include <cmath>

#include <Eigen/Eigenvalues>
#include <boost/random/gamma_distribution.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/detail/memory.hpp"

namespace bankquant::risk {

void MonteCarloOptions::validate() const {
  if (n_scenarios < 100) check::fail("n_scenarios", fmt::format("expected at least 100 scenarios, got {}", n_scenarios));
  if (tile < 1 || tile > 65536) check::fail("tile", fmt::format("expected 1 to 65536 scenarios per tile, got {}", tile));
  detail::check_fits_in_memory("n_scenarios", n_scenarios, sizeof(double));
  if (dist == ScenarioDistribution::student_t && (!(nu > 2) || !std::isfinite(nu))) {
    check::fail("nu", fmt::format("expected a finite value > 2, got {}", nu));
  }
}

Eigen::MatrixXd nearest_psd(const Eigen::Ref<const Eigen::MatrixXd>& matrix) {
  check::square("matrix", matrix.rows(), matrix.cols());
  check::all_finite("matrix", matrix);
  const Eigen::MatrixXd sym = 0.5 * (matrix + matrix.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(sym);
  const Eigen::VectorXd clipped = eig.eigenvalues().cwiseMax(0.0);
  return eig.eigenvectors() * clipped.asDiagonal() * eig.eigenvectors().transpose();
}

MonteCarloResult monte_carlo_var_es(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                    const Eigen::Ref<const Eigen::MatrixXd>& cov, std::span<const double> levels,
                                    const MonteCarloOptions& o) {
  o.validate();
  check::not_empty("weights", static_cast<std::size_t>(weights.size()));
  check::square("cov", cov.rows(), cov.cols());
  if (cov.rows() != weights.size()) {
    throw InvalidArgument(fmt::format("arguments 'weights' and 'cov': expected one weight per row of cov ({}), got {}",
                                      cov.rows(), weights.size()));
  }
  check::all_finite("weights", weights);
  check::all_finite("cov", cov);
  check_levels(levels, o.n_scenarios);
  const Eigen::Index d = weights.size();
  if ((cov - cov.transpose()).cwiseAbs().maxCoeff() > 1e-10 * (1 + cov.cwiseAbs().maxCoeff())) {
    check::fail("cov", "expected a symmetric matrix");
  }

  MonteCarloResult result;
  // Pivoted LDL' tolerates semi-definite matrices (zero-variance factors); a negative pivot means
  // the matrix is indefinite.
  Eigen::MatrixXd C = cov;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(C);
  const double tol = -1e-12 * (1 + C.diagonal().cwiseAbs().maxCoeff());
  if (ldlt.info() != Eigen::Success || (ldlt.vectorD().array() < tol).any()) {
    if (o.psd_repair == PsdRepair::error) {
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
      check::fail("cov", fmt::format("expected a positive semi-definite matrix, smallest eigenvalue {:.3g}; pass "
                                     "psd_repair='nearest' to use the nearest PSD matrix",
                                     eig.eigenvalues().minCoeff()));
    }
    const Eigen::MatrixXd repaired = nearest_psd(C);
    result.repaired = true;
    result.repair_distance = (repaired - C).norm();
    C = repaired;
  }
  // P&L sd along the portfolio: w' r with r = L z has sd ||L'w|| and direction v = L'w. Any factor
  // of C works; the symmetric square root avoids the pivoting of LDL'.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
  const Eigen::MatrixXd root = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal() *
                               eig.eigenvectors().transpose();
  const Eigen::VectorXd v = root * weights;  // root is symmetric: L'w = root w

  const std::size_t n = o.n_scenarios;
  result.pnl.assign(n, 0.0);
  const std::size_t chunk = 4096;
  const bool t = o.dist == ScenarioDistribution::student_t;
  if (o.full_factor) {
    // Tiles of scenarios: Z (tile x d normals) -> R = Z root' (the factor scenarios, a GEMM) -> P&L = R w.
    const Eigen::MatrixXd root_t = root.transpose();
    parallel_for_chunks(n, o.tile, [&](std::size_t c, std::size_t begin, std::size_t end) {
      RandomStream stream(o.seed, c);
      const auto rows = static_cast<Eigen::Index>(end - begin);
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Z(rows, d);
      stream.fill_normal({Z.data(), static_cast<std::size_t>(rows * d)});
      if (o.antithetic) {
        for (Eigen::Index i = 1; i < rows; i += 2) Z.row(i) = -Z.row(i - 1);
      }
      const Eigen::MatrixXd R = Z * root_t;  // materialised factor scenarios of this tile
      Eigen::VectorXd pnl = R * weights;
      if (t) {
        boost::random::gamma_distribution<double> chi_half(o.nu / 2, 2.0);
        for (Eigen::Index i = 0; i < rows; ++i) {
          const double scale = std::sqrt((o.nu - 2) / chi_half(stream));
          pnl(i) *= scale;
          if (o.antithetic && (i & 1) == 0 && i + 1 < rows) {
            pnl(i + 1) *= scale;  // the mirror scenario shares the scaling
            ++i;
          }
        }
      }
      for (Eigen::Index i = 0; i < rows; ++i) result.pnl[begin + static_cast<std::size_t>(i)] = pnl(i);
    });
    result.estimates = historical_var_es(result.pnl, levels);
    return result;
  }
  parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(o.seed, c);
    Eigen::VectorXd z(d);
    boost::random::gamma_distribution<double> chi_half(o.nu / 2, 2.0);  // chi-square(nu) = Gamma(nu/2, 2)
    for (std::size_t i = begin; i < end; ++i) {
      if (o.antithetic && ((i - begin) & 1u)) {
        result.pnl[i] = -result.pnl[i - 1];  // the mirror scenario -z (same t scaling)
        continue;
      }
      stream.fill_normal({z.data(), static_cast<std::size_t>(d)});
      double pnl = z.dot(v);
      if (t) pnl *= std::sqrt((o.nu - 2) / chi_half(stream));
      result.pnl[i] = pnl;
    }
  });
  result.estimates = historical_var_es(result.pnl, levels);
  return result;
}

}  // namespace bankquant::risk
