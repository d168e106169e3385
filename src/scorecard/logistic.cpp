#include "bankquant/scorecard/logistic.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "logistic_internal.hpp"

namespace bankquant::scorecard {
namespace {

constexpr std::size_t kRowChunk = 8192;

double sigmoid(double eta) { return eta >= 0 ? 1.0 / (1.0 + std::exp(-eta)) : std::exp(eta) / (1.0 + std::exp(eta)); }

// log(1 + exp(eta)) without overflow
double log1pexp(double eta) { return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)); }

struct Moments {
  Eigen::MatrixXd hessian;  // X' W X (design with intercept column)
  Eigen::VectorXd gradient; // X' (y - p)
  double log_likelihood = 0.0;
  double max_residual = 0.0;     // max |y - p| over rows with positive weight
  double min_residual = 0.0;     // min |y - p|
};

// One pass over the data at beta: Hessian, gradient, log-likelihood, deterministic for any threads.
Moments evaluate(const Eigen::Ref<const RowMatrix>& X, const std::vector<Eigen::Index>& cols, std::span<const double> y,
                 std::span<const double> w, const Eigen::VectorXd& beta, bool intercept) {
  const Eigen::Index k = beta.size();
  const Eigen::Index offset = intercept ? 1 : 0;
  Moments zero;
  zero.hessian = Eigen::MatrixXd::Zero(k, k);
  zero.gradient = Eigen::VectorXd::Zero(k);
  zero.min_residual = std::numeric_limits<double>::infinity();
  return deterministic_reduce(
      static_cast<std::size_t>(X.rows()), kRowChunk, zero,
      [&](std::size_t begin, std::size_t end) {
        Moments m = zero;
        const auto rows = static_cast<Eigen::Index>(end - begin);
        Eigen::MatrixXd design(rows, k);
        if (intercept) design.col(0).setOnes();
        const auto block = X.middleRows(static_cast<Eigen::Index>(begin), rows);
        for (Eigen::Index c = 0; c < k - offset; ++c) design.col(c + offset) = block.col(cols[static_cast<std::size_t>(c)]);
        const Eigen::VectorXd eta = design * beta;
        Eigen::VectorXd sw(rows), resid(rows);
        for (Eigen::Index r = 0; r < rows; ++r) {
          const std::size_t i = begin + static_cast<std::size_t>(r);
          const double wi = w.empty() ? 1.0 : w[i];
          const double p = sigmoid(eta(r));
          sw(r) = std::sqrt(wi * p * (1 - p));
          resid(r) = wi * (y[i] - p);
          m.log_likelihood += wi * (y[i] * eta(r) - log1pexp(eta(r)));
          if (wi > 0) {
            // a group of rows with both classes holds residuals p (its non-events) and 1 - p (its events)
            const bool mixed = y[i] > 0 && y[i] < 1;
            const double a = std::abs(y[i] - p);
            m.max_residual = std::max(m.max_residual, mixed ? std::max(p, 1 - p) : a);
            m.min_residual = std::min(m.min_residual, mixed ? std::min(p, 1 - p) : a);
          }
        }
        const Eigen::MatrixXd weighted = sw.asDiagonal() * design;
        m.hessian.selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
        m.gradient = design.transpose() * resid;
        return m;
      },
      [](Moments a, const Moments& b) {
        a.hessian += b.hessian;
        a.gradient += b.gradient;
        a.log_likelihood += b.log_likelihood;
        a.max_residual = std::max(a.max_residual, b.max_residual);
        a.min_residual = std::min(a.min_residual, b.min_residual);
        return a;
      });
}

double soft_threshold(double z, double gamma) { return z > gamma ? z - gamma : z < -gamma ? z + gamma : 0.0; }

}  // namespace

void LogisticOptions::validate() const {
  check::non_negative("l2", l2);
  check::non_negative("l1", l1);
  check::finite("l2", l2);
  check::finite("l1", l1);
  check::integer_at_least("max_iterations", max_iterations, 1);
  check::positive("tolerance", tolerance);
  check::integer_at_least("max_coordinate_sweeps", max_coordinate_sweeps, 1);
}

Eigen::VectorXd linear_predictor(const Eigen::Ref<const RowMatrix>& X, const Eigen::VectorXd& coefficients,
                                 bool fit_intercept) {
  const Eigen::Index offset = fit_intercept ? 1 : 0;
  check::shape("coefficients", coefficients.size(), 1, X.cols() + offset, 1);
  Eigen::VectorXd eta = X * coefficients.tail(X.cols());
  if (fit_intercept) eta.array() += coefficients(0);
  return eta;
}

Eigen::VectorXd predict_probability(const Eigen::Ref<const RowMatrix>& X, const Eigen::VectorXd& coefficients,
                                    bool fit_intercept) {
  Eigen::VectorXd eta = linear_predictor(X, coefficients, fit_intercept);
  return eta.unaryExpr([](double e) { return sigmoid(e); });
}

LogisticResult fit_logistic(const Eigen::Ref<const RowMatrix>& X, std::span<const double> y,
                            std::span<const double> weights, const LogisticOptions& o, const Eigen::VectorXd& start) {
  check::all_finite("X", X);
  std::vector<Eigen::Index> cols(static_cast<std::size_t>(X.cols()));
  for (std::size_t c = 0; c < cols.size(); ++c) cols[c] = static_cast<Eigen::Index>(c);
  return detail::fit_logistic_columns(X, cols, y, weights, o, start);
}

LogisticResult detail::fit_logistic_columns(const Eigen::Ref<const RowMatrix>& X, const std::vector<Eigen::Index>& cols,
                                            std::span<const double> y, std::span<const double> weights,
                                            const LogisticOptions& o, const Eigen::VectorXd& start, bool grouped) {
  const auto started = std::chrono::steady_clock::now();
  o.validate();
  const auto n = static_cast<std::size_t>(X.rows());
  check::not_empty("X", n);
  check::same_size("X", n, "y", y.size());
  if (!grouped) check::binary("y", y);
  if (!weights.empty()) {
    check::same_size("X", n, "weights", weights.size());
    check::all_finite("weights", weights);
    check::all_non_negative("weights", weights);
  }
  double n_obs = 0.0, events = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    n_obs += w;
    events += w * y[i];
  }
  if (!(events > 0) || !(events < n_obs)) {
    check::fail("y", fmt::format("expected both classes with positive weight, got {} events among {} observations",
                                 events, n_obs));
  }

  const Eigen::Index offset = o.fit_intercept ? 1 : 0;
  const Eigen::Index k = static_cast<Eigen::Index>(cols.size()) + offset;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  if (o.fit_intercept) beta(0) = std::log(events / (n_obs - events));  // the intercept-only optimum
  if (start.size() > 0) {
    check::shape("start", start.size(), 1, k, 1);
    if (!start.allFinite()) check::fail("start", "expected finite coefficients");
    beta = start;
  }
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(k, o.l2);
  if (o.fit_intercept) penalty(0) = 0.0;

  LogisticResult result;
  result.status = Status::make(StatusCode::iteration_limit, "");
  result.n_observations = n_obs;
  result.null_log_likelihood = o.fit_intercept ? n_obs * (events / n_obs * std::log(events / n_obs) +
                                                          (1 - events / n_obs) * std::log(1 - events / n_obs))
                                               : -n_obs * std::log(2.0);
  Moments m = evaluate(X, cols, y, weights, beta, o.fit_intercept);
  double previous_norm = beta.lpNorm<Eigen::Infinity>();
  int growing = 0;
  for (int iteration = 1; iteration <= o.max_iterations; ++iteration) {
    result.status.iterations = iteration;
    Eigen::MatrixXd H = m.hessian.selfadjointView<Eigen::Lower>();
    H.diagonal() += penalty;
    Eigen::VectorXd g = m.gradient - penalty.cwiseProduct(beta);
    Eigen::VectorXd step;
    if (o.l1 > 0) {
      // Coordinate descent on the quadratic model q(b) = -g'(b - beta) + (b - beta)'H(b - beta)/2 + l1|b|.
      Eigen::VectorXd b = beta;
      const Eigen::VectorXd linear = g + H * beta;  // q(b) = -linear'b + b'Hb/2 + const
      for (int sweep = 0; sweep < o.max_coordinate_sweeps; ++sweep) {
        double change = 0.0;
        for (Eigen::Index j = 0; j < k; ++j) {
          const double hjj = H(j, j);
          if (hjj <= 0) continue;
          const double partial = linear(j) - H.row(j).dot(b) + hjj * b(j);
          const double gamma = (o.fit_intercept && j == 0) ? 0.0 : o.l1;
          const double updated = soft_threshold(partial, gamma) / hjj;
          change = std::max(change, std::abs(updated - b(j)));
          b(j) = updated;
        }
        if (change < o.tolerance * 0.1) break;
      }
      step = b - beta;
    } else {
      Eigen::LDLT<Eigen::MatrixXd> ldlt(H);
      if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0).all()) {
        result.status.code = StatusCode::numerical_failure;
        result.status.message = "the Hessian is singular: collinear features or a feature that separates the classes";
        break;
      }
      step = ldlt.solve(g);
    }
    // Step halving keeps the likelihood from decreasing (a safeguard; Newton rarely needs it here).
    Moments next;
    double scale = 1.0;
    auto objective = [&](const Moments& mm, const Eigen::VectorXd& b) {
      double pen = 0.5 * (penalty.array() * b.array().square()).sum();
      if (o.l1 > 0) pen += o.l1 * b.tail(k - offset).lpNorm<1>();
      return mm.log_likelihood - pen;
    };
    const double current = objective(m, beta);
    for (int halving = 0; halving < 30; ++halving) {
      next = evaluate(X, cols, y, weights, beta + scale * step, o.fit_intercept);
      ++result.status.evaluations;
      if (objective(next, beta + scale * step) >= current - 1e-12 * std::abs(current)) break;
      scale *= 0.5;
    }
    beta += scale * step;
    m = std::move(next);
    const double change = (scale * step).lpNorm<Eigen::Infinity>();
    if (m.max_residual < 1e-8) {
      result.separation = Separation::perfect;
      result.status.code = StatusCode::unbounded;
      result.status.message = fmt::format(
          "perfect separation: every fitted probability equals its 0/1 label after {} iterations, so the "
          "likelihood has no maximum; drop or coarsen the feature that separates the classes",
          iteration);
      break;
    }
    const double norm = beta.lpNorm<Eigen::Infinity>();
    growing = (norm > previous_norm + 1.0 && m.min_residual < 1e-8) ? growing + 1 : 0;
    previous_norm = norm;
    if (growing >= 3 || (norm > 50 && m.min_residual < 1e-8)) {
      result.separation = Separation::quasi;
      result.status.code = StatusCode::boundary;
      result.status.message = fmt::format(
          "quasi-separation: some observations are fitted exactly and the coefficients keep growing (largest "
          "|coefficient| {:.3g} after {} iterations); the estimates are not reliable",
          norm, iteration);
      break;
    }
    if (change < o.tolerance) {
      result.status.code = StatusCode::converged;
      result.status.message = fmt::format("converged in {} Newton iterations", iteration);
      break;
    }
  }
  if (result.status.code == StatusCode::iteration_limit) {
    result.status.message = fmt::format("no convergence in {} Newton iterations", o.max_iterations);
  }
  result.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  result.coefficients = beta;
  result.log_likelihood = m.log_likelihood;
  const double n_params = static_cast<double>(k);
  result.aic = -2 * result.log_likelihood + 2 * n_params;
  result.bic = -2 * result.log_likelihood + std::log(n_obs) * n_params;
  result.standard_errors = Eigen::VectorXd::Constant(k, std::numeric_limits<double>::quiet_NaN());
  if (o.l1 == 0) {
    Eigen::MatrixXd H = m.hessian.selfadjointView<Eigen::Lower>();
    H.diagonal() += penalty;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(H);
    if (ldlt.info() == Eigen::Success && (ldlt.vectorD().array() > 0).all()) {
      const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
      result.standard_errors = cov.diagonal().cwiseSqrt();
    }
  }
  result.z_values = result.coefficients.cwiseQuotient(result.standard_errors);
  result.p_values = result.z_values.unaryExpr([](double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); });
  return result;
}

}  // namespace bankquant::scorecard
