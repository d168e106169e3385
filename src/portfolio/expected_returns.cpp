#include "bankquant/portfolio/expected_returns.hpp"

#include <cmath>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/detail/missing.hpp"

namespace bankquant::portfolio {
namespace {

using Eigen::Index;
using Eigen::VectorXd;

void check_simple_returns(const RowMatrix& X) {
  for (Index t = 0; t < X.rows(); ++t) {
    for (Index j = 0; j < X.cols(); ++j) {
      if (X(t, j) <= -1.0) {
        check::fail("returns", fmt::format("compounding needs simple returns above -1, found {} at row {}, column {}",
                                           X(t, j), t, j));
      }
    }
  }
}

// Normalised weights lambda^(T-1-t).
VectorXd ewma_weights(Index T, double lambda) {
  VectorXd w(T);
  double weight = 1.0;
  for (Index t = T - 1; t >= 0; --t) {
    w(t) = weight;
    weight *= lambda;
  }
  return w / w.sum();
}

}  // namespace

void ExpectedReturnsOptions::validate() const {
  if (!(half_life > 0) || !std::isfinite(half_life)) {
    check::fail("half_life", fmt::format("expected a positive number of periods, got {}", half_life));
  }
  check::finite("risk_free", risk_free);
  if (!(periods_per_year > 0) || !std::isfinite(periods_per_year)) {
    check::fail("periods_per_year", fmt::format("expected a positive number, got {}", periods_per_year));
  }
  if (missing == MissingPolicy::pairwise && (method == ReturnMethod::capm || method == ReturnMethod::james_stein)) {
    check::fail("missing", fmt::format("'pairwise' is available for 'mean' and 'ewma' only ('{}' needs one sample)",
                                       enum_name(method)));
  }
}

double annualize_return(double per_period, double periods_per_year, bool compounding) {
  check::finite("returns", per_period);
  check::positive("periods_per_year", periods_per_year);
  if (!compounding) return per_period * periods_per_year;
  if (!(per_period > -1)) check::fail("returns", fmt::format("compounding needs a return above -1, got {}", per_period));
  return std::pow(1.0 + per_period, periods_per_year) - 1.0;
}

double annualize_volatility(double per_period, double periods_per_year) {
  check::non_negative("volatility", per_period);
  check::positive("periods_per_year", periods_per_year);
  return per_period * std::sqrt(periods_per_year);
}

ExpectedReturnsResult estimate_expected_returns(const Eigen::Ref<const RowMatrix>& returns,
                                                const ExpectedReturnsOptions& o,
                                                const Eigen::Ref<const Eigen::VectorXd>& market) {
  o.validate();
  check::not_empty("returns", static_cast<std::size_t>(returns.cols()));
  detail::check_no_infinity("returns", returns);
  const Index n = returns.cols();
  const double ppy = o.periods_per_year;
  ExpectedReturnsResult result;
  result.method = o.method;
  result.missing = o.missing;
  if (market.size() > 0) {
    if (o.method != ReturnMethod::capm) check::fail("market", "market returns are used by method='capm' only");
    check::same_size("market", static_cast<std::size_t>(market.size()), "returns",
                     static_cast<std::size_t>(returns.rows()));
  }

  if (o.missing == MissingPolicy::pairwise) {
    // Each column from its own observed values.
    result.expected_returns.resize(n);
    const double lambda = o.method == ReturnMethod::ewma ? ewma_lambda(o.half_life) : 1.0;
    int fewest = static_cast<int>(returns.rows());
    for (Index j = 0; j < n; ++j) {
      double sum = 0.0, weights = 0.0, log_growth = 0.0, weight = 1.0;
      int count = 0;
      for (Index t = returns.rows() - 1; t >= 0; --t) {
        const double r = returns(t, j);
        if (!std::isnan(r)) {
          if (o.compounding && o.method == ReturnMethod::mean) {
            if (!(r > -1)) check::fail("returns", fmt::format("compounding needs simple returns above -1, found {} at "
                                                              "row {}, column {}",
                                                              r, t, j));
            log_growth += std::log1p(r);
          }
          sum += weight * r;
          weights += weight;
          ++count;
        }
        weight *= lambda;
      }
      if (count == 0) check::fail("returns", fmt::format("column {} has no observed value", j));
      fewest = std::min(fewest, count);
      if (o.compounding && o.method == ReturnMethod::mean) {
        result.expected_returns(j) = std::expm1(log_growth * ppy / static_cast<double>(count));
      } else {
        result.expected_returns(j) = annualize_return(sum / weights, ppy, o.compounding);
      }
    }
    result.n_observations = fewest;
    return result;
  }

  const detail::CompleteData data = detail::complete_data(returns, o.missing, "returns");
  const RowMatrix& X = data.values;
  const Index T = X.rows();
  result.n_observations = static_cast<int>(T);
  result.rows_dropped = data.rows_dropped;
  if (T < 1) check::fail("returns", fmt::format("no complete row ({} dropped for missing values)", data.rows_dropped));
  if (o.compounding) check_simple_returns(X);

  switch (o.method) {
    case ReturnMethod::mean: {
      if (o.compounding) {
        const VectorXd log_growth = X.array().log1p().colwise().sum().transpose();
        result.expected_returns = (log_growth * (ppy / static_cast<double>(T))).array().exp() - 1.0;
      } else {
        result.expected_returns = X.colwise().mean().transpose() * ppy;
      }
      break;
    }
    case ReturnMethod::ewma: {
      const VectorXd w = ewma_weights(T, ewma_lambda(o.half_life));
      const VectorXd m = X.transpose() * w;
      result.expected_returns.resize(n);
      for (Index j = 0; j < n; ++j) result.expected_returns(j) = annualize_return(m(j), ppy, o.compounding);
      break;
    }
    case ReturnMethod::capm: {
      if (T < 2) check::fail("returns", "capm needs at least 2 complete rows");
      VectorXd m;
      if (market.size() > 0) {
        check::all_finite("market", market);
        if (data.rows_dropped > 0) {
          // Align the market with the rows kept.
          m.resize(T);
          Index r = 0;
          for (Index t = 0; t < returns.rows(); ++t) {
            bool complete = true;
            for (Index j = 0; j < n && complete; ++j) complete = !std::isnan(returns(t, j));
            if (complete) m(r++) = market(t);
          }
        } else {
          m = market;
        }
      } else {
        m = X.rowwise().mean();
      }
      const double mean_m = m.mean();
      const VectorXd mc = m.array() - mean_m;
      const double var_m = mc.squaredNorm() / static_cast<double>(T - 1);
      if (!(var_m > 0)) check::fail("market", "the market returns are constant: betas are undefined");
      const RowMatrix C = X.rowwise() - X.colwise().mean();
      result.betas = C.transpose() * mc / static_cast<double>(T - 1) / var_m;
      double market_return;
      if (o.compounding) {
        if ((m.array() <= -1).any()) check::fail("market", "compounding needs market returns above -1");
        market_return = std::expm1(m.array().log1p().sum() * ppy / static_cast<double>(T));
      } else {
        market_return = mean_m * ppy;
      }
      result.market_return = market_return;
      result.expected_returns = (o.risk_free + result.betas.array() * (market_return - o.risk_free)).matrix();
      break;
    }
    case ReturnMethod::james_stein: {
      if (n < 4) check::fail("returns", fmt::format("james_stein needs at least 4 assets, got {}", n));
      if (T <= n) {
        check::fail("returns", fmt::format("james_stein needs more complete rows ({}) than assets ({}) for an "
                                           "invertible covariance",
                                           T, n));
      }
      const VectorXd mu = X.colwise().mean().transpose();
      const RowMatrix C = X.rowwise() - mu.transpose();
      const Eigen::MatrixXd S = C.transpose() * C / static_cast<double>(T - 1);
      const double grand = mu.mean();
      const VectorXd dev = mu.array() - grand;
      Eigen::LLT<Eigen::MatrixXd> llt(S);
      if (llt.info() != Eigen::Success) {
        check::fail("returns", "james_stein: the sample covariance is singular (collinear or constant columns)");
      }
      const double quad = dev.dot(llt.solve(dev)) * static_cast<double>(T);
      const double c = quad > 0 ? std::min(1.0, static_cast<double>(n - 3) / quad) : 1.0;
      result.shrinkage = c;
      const VectorXd shrunk = (grand + (1.0 - c) * dev.array()).matrix();
      result.expected_returns.resize(n);
      for (Index j = 0; j < n; ++j) result.expected_returns(j) = annualize_return(shrunk(j), ppy, o.compounding);
      break;
    }
  }
  return result;
}

}  // namespace bankquant::portfolio
