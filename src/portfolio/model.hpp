// The portfolio model behind mean_variance.hpp (private to src/): the constraints on the weights
// mapped onto QP variables x, with w = offset + T x where each x variable adds +-1 times itself to
// at most one asset's weight:
//   plain   x = w
//   split   x = (p, q), w = p - q            (gross exposure with short positions allowed)
//   trades  x = (b, s[, a]), w = w0 + b - s  (costs or turnover from current holdings; a >= |w|
//                                             for a gross-exposure limit)
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/portfolio/mean_variance.hpp"
#include "bankquant/portfolio/qp.hpp"

namespace bankquant::portfolio::detail {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

enum class Layout { plain, split, trades };

/// A branch-and-bound decision on one asset: zero, or held long (w >= m), or held short (w <= -m).
struct Restriction {
  enum Kind { zero, held_long, held_short } kind;
  Index asset;
  double minimum;
};

struct Model {
  Index n = 0, nx = 0;
  Layout layout = Layout::plain;
  bool gross_aux = false;
  std::vector<Index> asset_of;  // per x: its asset, or -1
  VectorXd sign;                // per x: its coefficient in that asset's weight
  VectorXd offset;              // w = offset + T x
  VectorXd mu;                  // expected returns of the assets
  VectorXd mu_x;                // net return = mu_x' x + mu0
  double mu0 = 0.0;
  // Constraints on x.
  RowMatrix A_eq;
  VectorXd b_eq;
  std::vector<std::string> eq_names;
  RowMatrix A_in;
  VectorXd in_lo, in_hi;
  std::vector<std::string> in_names;
  VectorXd lb, ub;
  Index budget_row = -1;  // index in A_eq of the budget, or -1
  // Risk in x: R(x) = x'Hx + 2 h'x + h0 (the benchmark folded in); dense or (plain only) factor form.
  bool factor = false;
  MatrixXd H;
  FactorHessian F;
  VectorXd h;
  double h0 = 0.0;
  // gamma |w|^2 = gamma (x' G2 x + 2 g2' x + g20), G2 = T'T.
  double gamma = 0.0;
  VectorXd g2;
  double g20 = 0.0;
  // Asset covariance (dense), kept for reports; or its factors.
  const MatrixXd* cov = nullptr;
  const FactorHessian* cov_factor = nullptr;
  const MeanVarianceOptions* options = nullptr;
  std::vector<std::string> names;

  [[nodiscard]] VectorXd weights(const VectorXd& x) const;
  [[nodiscard]] VectorXd cov_times(const VectorXd& w) const;
  [[nodiscard]] VectorXd asset_variances() const;
  /// The QP min (scale/2) R(x) + gamma |w|^2 + c_extra' x over the model's constraints.
  [[nodiscard]] QpProblem risk_problem(double scale, const VectorXd& c_extra) const;
  /// Adds a branch-and-bound restriction to a QP built from this model (bounds for plain x, rows otherwise).
  void restrict(QpProblem& qp, const Restriction& r) const;
  /// Names of the binding constraints of a QP solution of risk_problem (with target rows appended
  /// to in_names by the caller).
  [[nodiscard]] std::vector<BindingConstraint> binding(const QpProblem& qp, const QpResult& r) const;
};

/// Builds the model (validates the options against n).
[[nodiscard]] Model build_model(const VectorXd& mu, const MatrixXd* cov, const FactorHessian* factor,
                                const MeanVarianceOptions& options);

/// The homogenised max-ratio problem of a QP built from the model's constraints: maximise
/// (num' x + num0) / sqrt(R(x) + gamma |w|^2) over the constraints of `base` (a QP in x).
/// Variables (y, kappa), x = y / kappa.
[[nodiscard]] QpProblem homogenise(const Model& m, const QpProblem& base, const VectorXd& num, double num0);

}  // namespace bankquant::portfolio::detail
