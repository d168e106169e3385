#include "bankquant/risk/monte_carlo.hpp"

#include <algorithm>
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

namespace {

// What every scenario of a run needs: the validated inputs, the covariance root and the P&L
// direction v = L'w of the linear shortcut.
struct Prepared {
  Eigen::MatrixXd root_t;  // the transposed symmetric root of the (repaired) covariance
  Eigen::VectorXd v;       // root * weights
  bool repaired = false;
  double repair_distance = 0.0;
};

// levels (when check_the_levels): checked where monte_carlo_var_es always checked them, before any work.
Prepared prepare(const Eigen::Ref<const Eigen::VectorXd>& weights, const Eigen::Ref<const Eigen::MatrixXd>& cov,
                 std::span<const double> levels, bool check_the_levels, const MonteCarloOptions& o) {
  o.validate();
  check::not_empty("weights", static_cast<std::size_t>(weights.size()));
  check::square("cov", cov.rows(), cov.cols());
  if (cov.rows() != weights.size()) {
    throw InvalidArgument(fmt::format("arguments 'weights' and 'cov': expected one weight per row of cov ({}), got {}",
                                      cov.rows(), weights.size()));
  }
  check::all_finite("weights", weights);
  check::all_finite("cov", cov);
  if (check_the_levels) check_levels(levels, o.n_scenarios);
  if ((cov - cov.transpose()).cwiseAbs().maxCoeff() > 1e-10 * (1 + cov.cwiseAbs().maxCoeff())) {
    check::fail("cov", "expected a symmetric matrix");
  }
  Prepared p;
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
    p.repaired = true;
    p.repair_distance = (repaired - C).norm();
    C = repaired;
  }
  // P&L sd along the portfolio: w' r with r = L z has sd ||L'w|| and direction v = L'w. Any factor
  // of C works; the symmetric square root avoids the pivoting of LDL'.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
  const Eigen::MatrixXd root = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal() *
                               eig.eigenvectors().transpose();
  p.v = root * weights;  // root is symmetric: L'w = root w
  p.root_t = root.transpose();
  return p;
}

// The P&L of the scenarios [begin, end) of chunk c (one random stream each), written to out[0, end - begin).
// Every scenario of a run is drawn here, so a run and any of its blocks hold the same numbers.
void simulate_chunk(const Prepared& p, const Eigen::Ref<const Eigen::VectorXd>& weights, const MonteCarloOptions& o,
                    std::size_t c, std::size_t begin, std::size_t end, double* out) {
  RandomStream stream(o.seed, c);
  const bool t = o.dist == ScenarioDistribution::student_t;
  const Eigen::Index d = weights.size();
  if (o.full_factor) {
    // Tiles of scenarios: Z (tile x d normals) -> R = Z root' (the factor scenarios, a GEMM) -> P&L = R w.
    const auto rows = static_cast<Eigen::Index>(end - begin);
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Z(rows, d);
    stream.fill_normal({Z.data(), static_cast<std::size_t>(rows * d)});
    if (o.antithetic) {
      for (Eigen::Index i = 1; i < rows; i += 2) Z.row(i) = -Z.row(i - 1);
    }
    const Eigen::MatrixXd R = Z * p.root_t;  // materialised factor scenarios of this tile
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
    for (Eigen::Index i = 0; i < rows; ++i) out[i] = pnl(i);
    return;
  }
  Eigen::VectorXd z(d);
  boost::random::gamma_distribution<double> chi_half(o.nu / 2, 2.0);  // chi-square(nu) = Gamma(nu/2, 2)
  for (std::size_t i = begin; i < end; ++i) {
    if (o.antithetic && ((i - begin) & 1u)) {
      out[i - begin] = -out[i - begin - 1];  // the mirror scenario -z (same t scaling)
      continue;
    }
    stream.fill_normal({z.data(), static_cast<std::size_t>(d)});
    double pnl = z.dot(p.v);
    if (t) pnl *= std::sqrt((o.nu - 2) / chi_half(stream));
    out[i - begin] = pnl;
  }
}

}  // namespace

std::size_t monte_carlo_stream_block(const MonteCarloOptions& options) {
  return options.full_factor ? options.tile : 4096;
}

MonteCarloResult monte_carlo_var_es(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                    const Eigen::Ref<const Eigen::MatrixXd>& cov, std::span<const double> levels,
                                    const MonteCarloOptions& o) {
  const Prepared p = prepare(weights, cov, levels, true, o);
  MonteCarloResult result;
  result.repaired = p.repaired;
  result.repair_distance = p.repair_distance;
  result.pnl.assign(o.n_scenarios, 0.0);
  parallel_for_chunks(o.n_scenarios, monte_carlo_stream_block(o), [&](std::size_t c, std::size_t begin, std::size_t end) {
    simulate_chunk(p, weights, o, c, begin, end, result.pnl.data() + begin);
  });
  result.estimates = historical_var_es(result.pnl, levels);
  return result;
}

MonteCarloBlock monte_carlo_pnl_block(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                      const Eigen::Ref<const Eigen::MatrixXd>& cov, const MonteCarloOptions& o,
                                      std::size_t first, std::size_t count) {
  const Prepared p = prepare(weights, cov, {}, false, o);
  const std::size_t n = o.n_scenarios;
  if (first >= n) check::fail("first", fmt::format("expected a scenario below n_scenarios ({}), got {}", n, first));
  if (count == 0 || count > n - first) {
    check::fail("count", fmt::format("expected 1 to {} scenarios (n_scenarios {} from first {}), got {}", n - first, n,
                                     first, count));
  }
  MonteCarloBlock block;
  block.first = first;
  block.repaired = p.repaired;
  block.repair_distance = p.repair_distance;
  block.pnl.assign(count, 0.0);
  const std::size_t size = monte_carlo_stream_block(o), last = first + count;
  const std::size_t c0 = first / size, c1 = chunk_count(last, size);
  // Each stream's chunk is drawn whole (a chunk's later draws depend on its earlier ones) and the
  // part inside [first, last) kept: blocks that start and end on chunk boundaries waste nothing.
  parallel_for_chunks(c1 - c0, 1, [&](std::size_t k, std::size_t, std::size_t) {
    const std::size_t c = c0 + k, begin = c * size, end = std::min(begin + size, n);
    const std::size_t lo = std::max(begin, first), hi = std::min(end, last);
    if (begin >= first && end <= last) {
      simulate_chunk(p, weights, o, c, begin, end, block.pnl.data() + (begin - first));
      return;
    }
    std::vector<double> whole(end - begin);
    simulate_chunk(p, weights, o, c, begin, end, whole.data());
    std::copy(whole.begin() + static_cast<std::ptrdiff_t>(lo - begin), whole.begin() + static_cast<std::ptrdiff_t>(hi - begin),
              block.pnl.begin() + static_cast<std::ptrdiff_t>(lo - first));
  });
  return block;
}

}  // namespace bankquant::risk
