#include "bankquant/portfolio/naive.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::VectorXd;

namespace {
VectorXd positive_variances(const Eigen::Ref<const Eigen::MatrixXd>& cov) {
  check::square("cov", cov.rows(), cov.cols());
  check::not_empty("cov", static_cast<std::size_t>(cov.rows()));
  check::all_finite("cov", cov);
  const VectorXd v = cov.diagonal();
  for (Index i = 0; i < v.size(); ++i) {
    if (!(v(i) > 0)) check::fail("cov", fmt::format("expected positive variances, got {} for asset {}", v(i), i));
  }
  return v;
}
}  // namespace

VectorXd equal_weight(Index n) {
  check::integer_at_least("n", n, 1);
  return VectorXd::Constant(n, 1.0 / static_cast<double>(n));
}

VectorXd inverse_volatility(const Eigen::Ref<const Eigen::MatrixXd>& cov) {
  const VectorXd w = positive_variances(cov).cwiseSqrt().cwiseInverse();
  return w / w.sum();
}

VectorXd inverse_variance(const Eigen::Ref<const Eigen::MatrixXd>& cov) {
  const VectorXd w = positive_variances(cov).cwiseInverse();
  return w / w.sum();
}

PortfolioResult evaluate_portfolio(const Eigen::Ref<const VectorXd>& w, const Eigen::Ref<const VectorXd>& mu,
                                   const Eigen::Ref<const Eigen::MatrixXd>& cov, double risk_free,
                                   const std::string& method) {
  const Index n = w.size();
  check::not_empty("weights", static_cast<std::size_t>(n));
  check::all_finite("weights", w);
  check::shape("cov", cov.rows(), cov.cols(), n, n);
  check::all_finite("cov", cov);
  if (mu.size() != 0) {
    check::shape("expected_returns", mu.size(), 1, n, 1);
    check::all_finite("expected_returns", mu);
  }
  check::finite("risk_free", risk_free);
  PortfolioResult r;
  r.method = method;
  r.weights = w;
  const VectorXd sw = cov * w;
  r.volatility = std::sqrt(std::max(w.dot(sw), 0.0));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.expected_return = mu.size() ? mu.dot(w) : nan;
  const double inf = std::numeric_limits<double>::infinity();
  if (mu.size() == 0) {
    r.sharpe = nan;
  } else if (r.volatility > 0) {
    r.sharpe = (r.expected_return - risk_free) / r.volatility;
  } else {
    r.sharpe = r.expected_return > risk_free ? inf : r.expected_return < risk_free ? -inf : 0.0;
  }
  r.risk_contributions = r.volatility > 0 ? VectorXd(w.cwiseProduct(sw) / r.volatility) : VectorXd::Zero(n);
  r.status = Status::make(StatusCode::converged, "closed form");
  return r;
}

}  // namespace bankquant::portfolio
