#include "bankquant/portfolio/black_litterman.hpp"

#include <cmath>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/covariance.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void BlackLittermanOptions::validate() const {
  if (!(delta > 0) || !std::isfinite(delta)) check::fail("delta", fmt::format("expected a positive risk aversion, got {}", delta));
  if (!(tau > 0) || !std::isfinite(tau)) check::fail("tau", fmt::format("expected a positive number, got {}", tau));
  check::finite("risk_free", risk_free);
}

BlackLittermanResult black_litterman(const Eigen::Ref<const MatrixXd>& cov, const Eigen::Ref<const VectorXd>& w_mkt,
                                     const Eigen::Ref<const RowMatrix>& P_in, const Eigen::Ref<const VectorXd>& Q_in,
                                     const Eigen::Ref<const MatrixXd>& omega_in,
                                     const Eigen::Ref<const VectorXd>& confidences, const BlackLittermanOptions& o) {
  o.validate();
  const Index n = w_mkt.size();
  check::not_empty("market_weights", static_cast<std::size_t>(n));
  check::all_finite("market_weights", w_mkt);
  check_covariance("cov", cov, n);
  const Index k = P_in.rows();
  if (k > 0 || Q_in.size() > 0) {
    if (P_in.cols() != n) check::fail("P", fmt::format("expected {} columns (one per asset), got {}", n, P_in.cols()));
    if (Q_in.size() != k) {
      throw InvalidArgument(fmt::format("arguments 'P' and 'Q': expected one expected return per view, got {} views "
                                        "and {} returns",
                                        k, Q_in.size()));
    }
    check::all_finite("P", P_in);
    check::all_finite("Q", Q_in);
    for (Index v = 0; v < k; ++v) {
      if (P_in.row(v).cwiseAbs().maxCoeff() == 0.0) check::fail("P", fmt::format("view {} has no asset (a zero row)", v));
    }
  }
  if (omega_in.size() > 0) {
    check::shape("omega", omega_in.rows(), omega_in.cols(), k, k);
    check_covariance("omega", omega_in, k);
    if (confidences.size() > 0) {
      throw InvalidArgument("arguments 'omega' and 'confidences': give the view uncertainty one way, not both");
    }
  }
  if (confidences.size() > 0) {
    check::shape("confidences", confidences.size(), 1, k, 1);
    for (Index v = 0; v < k; ++v) check::probability("confidences", confidences(v));
  }

  BlackLittermanResult r;
  r.weights_convention = o.weights;
  r.pi = (o.delta * (cov * w_mkt)).array() + o.risk_free;
  const MatrixXd tS = o.tau * cov;
  // Views kept and Omega. A zero confidence drops its view (Omega infinite); so does a confidence so
  // small (subnormal) that (1 - c) / c * s overflows, which is that same limit c -> 0 in floating point.
  const auto idzorek_variance = [&](Index v) {
    const double c = confidences(v);
    const double s = P_in.row(v) * tS * P_in.row(v).transpose();
    return (1.0 - c) / c * s;
  };
  std::vector<Index> keep;
  for (Index v = 0; v < k; ++v) {
    if (confidences.size() > 0 && (confidences(v) == 0.0 || !std::isfinite(idzorek_variance(v)))) continue;
    keep.push_back(v);
  }
  const Index kk = static_cast<Index>(keep.size());
  RowMatrix P(kk, n);
  VectorXd Q(kk);
  for (Index a = 0; a < kk; ++a) {
    P.row(a) = P_in.row(keep[static_cast<std::size_t>(a)]);
    Q(a) = Q_in(keep[static_cast<std::size_t>(a)]);
  }
  MatrixXd omega = MatrixXd::Zero(kk, kk);
  if (omega_in.size() > 0) {
    for (Index a = 0; a < kk; ++a) {
      for (Index b = 0; b < kk; ++b) omega(a, b) = omega_in(keep[static_cast<std::size_t>(a)], keep[static_cast<std::size_t>(b)]);
    }
    r.omega_source = "given";
  } else if (confidences.size() > 0) {
    for (Index a = 0; a < kk; ++a) omega(a, a) = idzorek_variance(keep[static_cast<std::size_t>(a)]);
    r.omega_source = "idzorek";
  } else {
    const MatrixXd PSP = P * tS * P.transpose();
    omega.diagonal() = PSP.diagonal();
    r.omega_source = "he_litterman";
  }
  r.views_used = static_cast<int>(kk);
  r.omega = MatrixXd::Zero(k, k);
  for (Index a = 0; a < kk; ++a) {
    for (Index b = 0; b < kk; ++b) r.omega(keep[static_cast<std::size_t>(a)], keep[static_cast<std::size_t>(b)]) = omega(a, b);
  }
  if (kk == 0) {
    r.posterior_returns = r.pi;
    r.posterior_cov = cov + tS;
  } else {
    const MatrixXd A = P * tS * P.transpose() + omega;
    Eigen::FullPivLU<MatrixXd> lu(A);
    if (!lu.isInvertible()) {
      check::fail("P", "the views are linearly dependent and certain (P tau S P' + Omega is singular): drop the "
                       "duplicate or give it an uncertainty");
    }
    const MatrixXd SPt = tS * P.transpose();  // n x k
    r.posterior_returns = r.pi + SPt * lu.solve(Q - P * r.pi);
    r.posterior_cov = cov + tS - SPt * lu.solve(SPt.transpose());
    r.posterior_cov = 0.5 * (r.posterior_cov + r.posterior_cov.transpose());
  }
  const VectorXd excess = (r.posterior_returns.array() - o.risk_free).matrix();
  if (o.weights == BlackLittermanWeights::he_litterman) {
    r.weights = (o.delta * r.posterior_cov).ldlt().solve(excess);
  } else {
    const VectorXd raw = (o.delta * MatrixXd(cov)).ldlt().solve(excess);
    const double total = raw.sum();
    if (!(std::abs(total) > 1e-12 * raw.cwiseAbs().sum())) {
      check::fail("weights", "the prior-covariance weights sum to zero and cannot be normalised; use 'he_litterman'");
    }
    r.weights = raw / total;
  }
  return r;
}

double market_implied_risk_aversion(const Eigen::Ref<const VectorXd>& r, double risk_free, double periods_per_year) {
  check::min_size("market_returns", static_cast<std::size_t>(r.size()), 2);
  check::all_finite("market_returns", r);
  check::finite("risk_free", risk_free);
  check::positive("periods_per_year", periods_per_year);
  const double mean = r.mean() * periods_per_year;
  const double var = (r.array() - r.mean()).square().sum() / static_cast<double>(r.size() - 1) * periods_per_year;
  if (!(var > 0)) check::fail("market_returns", "the market returns are constant: the risk aversion is undefined");
  return (mean - risk_free) / var;
}

}  // namespace bankquant::portfolio
