#include "bankquant/forecast/arima.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/forecast/decomposition.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "series_tools.hpp"

namespace bankquant::forecast {

namespace {

using bankquant::detail::kNaN;
using bankquant::detail::kInf;

// ---------------------------------------------------------------------------------------------
// Polynomials

// Roots of c0 + c1 z + ... + ck z^k (ck != 0), by the eigenvalues of the companion matrix.
std::vector<std::complex<double>> polynomial_roots(std::vector<double> c) {
  while (!c.empty() && c.back() == 0.0) c.pop_back();
  const int k = static_cast<int>(c.size()) - 1;
  if (k < 1) return {};
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(k, k);
  for (int i = 1; i < k; ++i) companion(i, i - 1) = 1.0;
  for (int i = 0; i < k; ++i) companion(i, k - 1) = -c[static_cast<std::size_t>(i)] / c[static_cast<std::size_t>(k)];
  const Eigen::VectorXcd roots = companion.eigenvalues();
  return {roots.data(), roots.data() + roots.size()};
}

// Smallest root modulus of 1 - a1 z - ... (sign -1) or 1 + a1 z + ... (sign +1), coefficients
// below 1e-8 trimmed from the end as R's myarima; 2 when there is no root (R's minroot start).
double min_root(const std::vector<double>& a, double sign) {
  int last = -1;
  for (int i = 0; i < static_cast<int>(a.size()); ++i) {
    if (std::abs(a[static_cast<std::size_t>(i)]) > 1e-8) last = i;
  }
  if (last < 0) return 2.0;
  std::vector<double> c{1.0};
  for (int i = 0; i <= last; ++i) c.push_back(sign * a[static_cast<std::size_t>(i)]);
  double m = 2.0;
  for (const auto& r : polynomial_roots(c)) m = std::min(m, std::abs(r));
  return m;
}

// R's arCheck: every root of 1 - phi_1 z - ... outside the unit circle.
bool ar_stationary(const double* ar, int p) {
  int last = -1;
  for (int i = 0; i < p; ++i) {
    if (ar[i] != 0.0) last = i;
  }
  if (last < 0) return true;
  std::vector<double> c{1.0};
  for (int i = 0; i <= last; ++i) c.push_back(-ar[i]);
  for (const auto& r : polynomial_roots(c)) {
    if (!(std::abs(r) > 1.0)) return false;
  }
  return true;
}

// R's maInvert: roots of 1 + theta(z) inside the unit circle replaced by their reciprocals.
void ma_invert(double* ma, int q) {
  int q0 = -1;
  for (int i = 0; i < q; ++i) {
    if (ma[i] != 0.0) q0 = i;
  }
  if (q0 < 0) return;
  std::vector<double> c{1.0};
  for (int i = 0; i <= q0; ++i) c.push_back(ma[i]);
  auto roots = polynomial_roots(c);
  bool any = false;
  for (auto& r : roots) any = any || std::abs(r) < 1.0;
  if (!any) return;
  if (q0 == 0) {
    ma[0] = 1.0 / ma[0];
    return;
  }
  for (auto& r : roots) {
    if (std::abs(r) < 1.0) r = 1.0 / r;
  }
  // prod (1 - z / r): x <- c(x, 0) - c(0, x) / r
  std::vector<std::complex<double>> x{1.0};
  for (const auto& r : roots) {
    std::vector<std::complex<double>> next(x.size() + 1, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
      next[i] += x[i];
      next[i + 1] -= x[i] / r;
    }
    x = std::move(next);
  }
  for (int i = 0; i <= q0; ++i) ma[i] = x[static_cast<std::size_t>(i + 1)].real();
  for (int i = q0 + 1; i < q; ++i) ma[i] = 0.0;
}

// tanh -> partial autocorrelations -> AR coefficients (Durbin-Levinson; R's partrans).
void partrans(int p, const double* raw, double* out) {
  std::vector<double> work(static_cast<std::size_t>(p));
  for (int j = 0; j < p; ++j) work[static_cast<std::size_t>(j)] = out[j] = std::tanh(raw[j]);
  for (int j = 1; j < p; ++j) {
    const double a = out[j];
    for (int k = 0; k < j; ++k) work[static_cast<std::size_t>(k)] -= a * out[j - k - 1];
    for (int k = 0; k < j; ++k) out[k] = work[static_cast<std::size_t>(k)];
  }
}

// The inverse: AR coefficients -> atanh of the partial autocorrelations (R's invpartrans).
void invpartrans(int p, const double* phi, double* out) {
  std::vector<double> work(static_cast<std::size_t>(p));
  for (int j = 0; j < p; ++j) work[static_cast<std::size_t>(j)] = out[j] = phi[j];
  for (int j = p - 1; j > 0; --j) {
    const double a = out[j];
    for (int k = 0; k < j; ++k) work[static_cast<std::size_t>(k)] = (out[k] + a * out[j - k - 1]) / (1 - a * a);
    for (int k = 0; k < j; ++k) out[k] = work[static_cast<std::size_t>(k)];
  }
  for (int j = 0; j < p; ++j) out[j] = std::atanh(out[j]);
}

struct Arma {
  int p = 0, q = 0, P = 0, Q = 0, m = 1, d = 0, D = 0;
  [[nodiscard]] int narma() const { return p + q + P + Q; }
};

// Full phi (p + mP) and theta (q + mQ) from the ARMA parameters (R's ARIMA_transPars).
void expand(const Arma& a, const double* par, bool transform, std::vector<double>& phi, std::vector<double>& theta) {
  std::vector<double> params(par, par + a.narma());
  if (transform) {
    if (a.p > 0) partrans(a.p, par, params.data());
    if (a.P > 0) partrans(a.P, par + a.p + a.q, params.data() + a.p + a.q);
  }
  const int pp = a.p + a.m * a.P, qq = a.q + a.m * a.Q;
  phi.assign(static_cast<std::size_t>(pp), 0.0);
  theta.assign(static_cast<std::size_t>(qq), 0.0);
  for (int i = 0; i < a.p; ++i) phi[static_cast<std::size_t>(i)] = params[static_cast<std::size_t>(i)];
  for (int i = 0; i < a.q; ++i) theta[static_cast<std::size_t>(i)] = params[static_cast<std::size_t>(i + a.p)];
  for (int j = 0; j < a.P; ++j) {
    const double s = params[static_cast<std::size_t>(j + a.p + a.q)];
    phi[static_cast<std::size_t>((j + 1) * a.m - 1)] += s;
    for (int i = 0; i < a.p; ++i) phi[static_cast<std::size_t>((j + 1) * a.m + i)] -= params[static_cast<std::size_t>(i)] * s;
  }
  for (int j = 0; j < a.Q; ++j) {
    const double s = params[static_cast<std::size_t>(j + a.p + a.q + a.P)];
    theta[static_cast<std::size_t>((j + 1) * a.m - 1)] += s;
    for (int i = 0; i < a.q; ++i) theta[static_cast<std::size_t>((j + 1) * a.m + i)] += params[static_cast<std::size_t>(i + a.p)] * s;
  }
}

// Differencing polynomial Delta (R: -coefficients of (1 - B)^d (1 - B^m)^D, constant dropped).
std::vector<double> differencing(int d, int D, int m) {
  std::vector<double> poly{1.0};
  auto times = [&](const std::vector<double>& f) {
    std::vector<double> out(poly.size() + f.size() - 1, 0.0);
    for (std::size_t i = 0; i < poly.size(); ++i) {
      for (std::size_t j = 0; j < f.size(); ++j) out[i + j] += poly[i] * f[j];
    }
    poly = std::move(out);
  };
  for (int i = 0; i < d; ++i) times({1.0, -1.0});
  for (int i = 0; i < D; ++i) {
    std::vector<double> f(static_cast<std::size_t>(m + 1), 0.0);
    f[0] = 1.0;
    f[static_cast<std::size_t>(m)] = -1.0;
    times(f);
  }
  std::vector<double> delta;
  for (std::size_t i = 1; i < poly.size(); ++i) delta.push_back(-poly[i]);
  return delta;
}

// ---------------------------------------------------------------------------------------------
// State space (R's makeARIMA) and the Kalman filter (R's ARIMA_Like)

struct StateSpace {
  std::vector<double> phi, theta, delta;
  int p = 0, q = 0, r = 1, d = 0, rd = 1;
  std::vector<double> Pn;  // initial prediction covariance, rd x rd column-major (as R)
};

// Stationary covariance of the ARMA part: P = T P T' + R R', T the companion form.
Eigen::MatrixXd stationary_covariance(const std::vector<double>& phi, const std::vector<double>& theta, int r) {
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  Eigen::MatrixXd T = Eigen::MatrixXd::Zero(r, r);
  for (int i = 0; i < p; ++i) T(i, 0) = phi[static_cast<std::size_t>(i)];
  for (int i = 0; i + 1 < r; ++i) T(i, i + 1) = 1.0;
  Eigen::VectorXd R = Eigen::VectorXd::Zero(r);
  R(0) = 1.0;
  for (int i = 0; i < q && i + 1 < r; ++i) R(i + 1) = theta[static_cast<std::size_t>(i)];
  const Eigen::MatrixXd V = R * R.transpose();
  if (r == 1) {
    Eigen::MatrixXd P(1, 1);
    P(0, 0) = p > 0 ? 1.0 / (1.0 - phi[0] * phi[0]) : 1.0;
    return P;
  }
  if (r <= 8) {
    // (I - T (x) T) vec(P) = vec(V)
    const int n2 = r * r;
    Eigen::MatrixXd A = Eigen::MatrixXd::Identity(n2, n2);
    for (int i = 0; i < r; ++i) {
      for (int j = 0; j < r; ++j) {
        for (int k = 0; k < r; ++k) {
          for (int l = 0; l < r; ++l) A(i + r * j, k + r * l) -= T(i, k) * T(j, l);
        }
      }
    }
    const Eigen::Map<const Eigen::VectorXd> v(V.data(), n2);
    const Eigen::VectorXd x = A.partialPivLu().solve(v);
    Eigen::MatrixXd P = Eigen::Map<const Eigen::MatrixXd>(x.data(), r, r);
    return 0.5 * (P + P.transpose());
  }
  // Doubling: P = sum_k T^k V T'^k, 2^j terms after j steps.
  Eigen::MatrixXd P = V, A = T;
  for (int it = 0; it < 80; ++it) {
    const Eigen::MatrixXd add = A * P * A.transpose();
    P += add;
    A = (A * A).eval();
    if (add.cwiseAbs().maxCoeff() <= 1e-16 * P.cwiseAbs().maxCoeff()) break;
  }
  return 0.5 * (P + P.transpose());
}

StateSpace make_state_space(const std::vector<double>& phi, const std::vector<double>& theta,
                            const std::vector<double>& delta, double kappa) {
  StateSpace s;
  s.phi = phi;
  s.theta = theta;
  s.delta = delta;
  s.p = static_cast<int>(phi.size());
  s.q = static_cast<int>(theta.size());
  s.r = std::max(s.p, s.q + 1);
  s.d = static_cast<int>(delta.size());
  s.rd = s.r + s.d;
  s.theta.resize(static_cast<std::size_t>(std::max(s.q, s.r - 1)), 0.0);
  s.Pn.assign(static_cast<std::size_t>(s.rd * s.rd), 0.0);
  const Eigen::MatrixXd P0 = stationary_covariance(phi, theta, s.r);
  for (int i = 0; i < s.r; ++i) {
    for (int j = 0; j < s.r; ++j) s.Pn[static_cast<std::size_t>(i + s.rd * j)] = P0(i, j);
  }
  for (int i = 0; i < s.d; ++i) s.Pn[static_cast<std::size_t>((s.r + i) + s.rd * (s.r + i))] = kappa;
  return s;
}

struct KalmanOutput {
  double ssq = 0.0, sumlog = 0.0;
  int nu = 0;
};

// R's ARIMA_Like: y already has the regression removed. use_up: R's sUP (the prediction
// covariance is recomputed from step use_up + 1 on; stats::arima always passes 0). resid, when
// given, receives the innovations / sqrt(gain); a_out / P_out the final state.
KalmanOutput kalman(const double* y, int n, const StateSpace& s, int use_up, double* resid, std::vector<double>* a_out,
                    std::vector<double>* P_out) {
  const int r = s.r, d = s.d, rd = s.rd, p = s.p, q = s.q;
  const double* phi = s.phi.data();
  const double* theta = s.theta.data();
  const double* delta = s.delta.data();
  std::vector<double> a(static_cast<std::size_t>(rd), 0.0), anew(static_cast<std::size_t>(rd)), M(static_cast<std::size_t>(rd));
  std::vector<double> P(static_cast<std::size_t>(rd * rd), 0.0), Pnew = s.Pn, mm(static_cast<std::size_t>(rd * rd));
  KalmanOutput out;
  // Steady state: once the prediction covariance stops changing (relative 1e-12, the diffuse
  // start long past), it is kept instead of recomputed: O(rd) per step instead of O(rd^2) (R
  // recomputes it every step; the likelihood changes by less than 1e-10 relative). A missing
  // value starts the recursion again.
  bool steady = false;
  std::vector<double> previous;
  for (int l = 0; l < n; ++l) {
    for (int i = 0; i < r; ++i) {
      double tmp = i < r - 1 ? a[static_cast<std::size_t>(i + 1)] : 0.0;
      if (i < p) tmp += phi[i] * a[0];
      anew[static_cast<std::size_t>(i)] = tmp;
    }
    if (d > 0) {
      for (int i = r + 1; i < rd; ++i) anew[static_cast<std::size_t>(i)] = a[static_cast<std::size_t>(i - 1)];
      double tmp = a[0];
      for (int i = 0; i < d; ++i) tmp += delta[i] * a[static_cast<std::size_t>(r + i)];
      anew[static_cast<std::size_t>(r)] = tmp;
    }
    if (l > use_up && !steady) {
      // mm = T P
      for (int i = 0; i < r; ++i) {
        for (int j = 0; j < rd; ++j) {
          double tmp = 0.0;
          if (i < p) tmp += phi[i] * P[static_cast<std::size_t>(rd * j)];
          if (i < r - 1) tmp += P[static_cast<std::size_t>(i + 1 + rd * j)];
          mm[static_cast<std::size_t>(i + rd * j)] = tmp;
        }
      }
      if (d > 0) {
        for (int j = 0; j < rd; ++j) {
          double tmp = P[static_cast<std::size_t>(rd * j)];
          for (int k = 0; k < d; ++k) tmp += delta[k] * P[static_cast<std::size_t>(r + k + rd * j)];
          mm[static_cast<std::size_t>(r + rd * j)] = tmp;
        }
        for (int i = 1; i < d; ++i) {
          for (int j = 0; j < rd; ++j) mm[static_cast<std::size_t>(r + i + rd * j)] = P[static_cast<std::size_t>(r + i - 1 + rd * j)];
        }
      }
      // Pnew = mm T'
      for (int i = 0; i < r; ++i) {
        for (int j = 0; j < rd; ++j) {
          double tmp = 0.0;
          if (i < p) tmp += phi[i] * mm[static_cast<std::size_t>(j)];
          if (i < r - 1) tmp += mm[static_cast<std::size_t>(rd * (i + 1) + j)];
          Pnew[static_cast<std::size_t>(j + rd * i)] = tmp;
        }
      }
      if (d > 0) {
        for (int j = 0; j < rd; ++j) {
          double tmp = mm[static_cast<std::size_t>(j)];
          for (int k = 0; k < d; ++k) tmp += delta[k] * mm[static_cast<std::size_t>(rd * (r + k) + j)];
          Pnew[static_cast<std::size_t>(rd * r + j)] = tmp;
        }
        for (int i = 1; i < d; ++i) {
          for (int j = 0; j < rd; ++j) Pnew[static_cast<std::size_t>(rd * (r + i) + j)] = mm[static_cast<std::size_t>(rd * (r + i - 1) + j)];
        }
      }
      // + (1, theta) (1, theta)'
      for (int i = 0; i <= q && i < r; ++i) {
        const double vi = i == 0 ? 1.0 : theta[i - 1];
        for (int j = 0; j <= q && j < r; ++j) Pnew[static_cast<std::size_t>(i + rd * j)] += vi * (j == 0 ? 1.0 : theta[j - 1]);
      }
    }
    if (!steady && l > use_up && l >= 2 * rd) {
      if (previous.size() == Pnew.size()) {
        double change = 0.0, scale = 0.0;
        for (std::size_t i = 0; i < Pnew.size(); ++i) {
          change = std::max(change, std::abs(Pnew[i] - previous[i]));
          scale = std::max(scale, std::abs(Pnew[i]));
        }
        steady = change <= 1e-12 * scale;
      }
      previous = Pnew;
    }
    if (!std::isnan(y[l])) {
      double innovation = y[l] - anew[0];
      for (int i = 0; i < d; ++i) innovation -= delta[i] * anew[static_cast<std::size_t>(r + i)];
      for (int i = 0; i < rd; ++i) {
        double tmp = Pnew[static_cast<std::size_t>(i)];
        for (int j = 0; j < d; ++j) tmp += Pnew[static_cast<std::size_t>(i + (r + j) * rd)] * delta[j];
        M[static_cast<std::size_t>(i)] = tmp;
      }
      double gain = M[0];
      for (int j = 0; j < d; ++j) gain += delta[j] * M[static_cast<std::size_t>(r + j)];
      if (gain < 1e4) {
        ++out.nu;
        out.ssq += innovation * innovation / gain;
        out.sumlog += std::log(gain);
      }
      if (resid) resid[l] = innovation / std::sqrt(gain);
      for (int i = 0; i < rd; ++i) a[static_cast<std::size_t>(i)] = anew[static_cast<std::size_t>(i)] + M[static_cast<std::size_t>(i)] * innovation / gain;
      if (steady) continue;  // P is the steady one already
      for (int i = 0; i < rd; ++i) {
        for (int j = 0; j < rd; ++j) {
          P[static_cast<std::size_t>(i + j * rd)] = Pnew[static_cast<std::size_t>(i + j * rd)] - M[static_cast<std::size_t>(i)] * M[static_cast<std::size_t>(j)] / gain;
        }
      }
    } else {
      a = anew;
      P = Pnew;
      if (resid) resid[l] = kNaN;
      steady = false;
      previous.clear();
    }
  }
  if (a_out) *a_out = a;
  if (P_out) *P_out = P;
  return out;
}

// R's ARIMA_CSS: sum of squares of the conditional residuals over t >= ncond, divided by their
// number; resid (optional) receives them (0 before ncond).
double css(const double* y, int n, const Arma& a, const std::vector<double>& phi, const std::vector<double>& theta,
           int ncond, double* resid_out) {
  std::vector<double> w(y, y + n), resid(static_cast<std::size_t>(n), 0.0);
  for (int i = 0; i < a.d; ++i) {
    for (int l = n - 1; l > 0; --l) w[static_cast<std::size_t>(l)] -= w[static_cast<std::size_t>(l - 1)];
  }
  for (int i = 0; i < a.D; ++i) {
    for (int l = n - 1; l >= a.m; --l) w[static_cast<std::size_t>(l)] -= w[static_cast<std::size_t>(l - a.m)];
  }
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  double ssq = 0.0;
  int nu = 0;
  for (int l = ncond; l < n; ++l) {
    double tmp = w[static_cast<std::size_t>(l)];
    for (int j = 0; j < p; ++j) tmp -= phi[static_cast<std::size_t>(j)] * w[static_cast<std::size_t>(l - j - 1)];
    for (int j = 0; j < std::min(l - ncond, q); ++j) tmp -= theta[static_cast<std::size_t>(j)] * resid[static_cast<std::size_t>(l - j - 1)];
    resid[static_cast<std::size_t>(l)] = tmp;
    if (!std::isnan(tmp)) {
      ++nu;
      ssq += tmp * tmp;
    }
  }
  if (resid_out) std::copy(resid.begin(), resid.end(), resid_out);
  return ssq / nu;
}

// ---------------------------------------------------------------------------------------------
// One order (R's stats::arima, as forecast's myarima calls it)

struct OrderFit {
  ArimaFit fit;
  double ic = kInf;
  std::string why;
  bool estimated = false;        // a fit exists (it may still be rejected, ic = inf)
  double arima_sigma2 = kNaN;    // R's arima sigma2 (ssq / n.used), before myarima's adjustment
};

// Least squares (no intercept); coefficients and standard errors over rows without NaN.
void least_squares(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::VectorXd& coef, Eigen::VectorXd& se,
                   int& rank) {
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    bool ok = !std::isnan(y(i));
    for (Eigen::Index j = 0; j < X.cols() && ok; ++j) ok = !std::isnan(X(i, j));
    if (ok) rows.push_back(i);
  }
  Eigen::MatrixXd A(static_cast<Eigen::Index>(rows.size()), X.cols());
  Eigen::VectorXd b(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    A.row(static_cast<Eigen::Index>(r)) = X.row(rows[r]);
    b(static_cast<Eigen::Index>(r)) = y(rows[r]);
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  rank = static_cast<int>(qr.rank());
  coef = qr.solve(b);
  const Eigen::VectorXd e = b - A * coef;
  const double dof = static_cast<double>(A.rows() - X.cols());
  const double s2 = dof > 0 ? e.squaredNorm() / dof : kNaN;
  const Eigen::MatrixXd inv = (A.transpose() * A).inverse();
  se.resize(X.cols());
  for (Eigen::Index j = 0; j < X.cols(); ++j) se(j) = std::sqrt(s2 * inv(j, j));
}

struct OrderSpec {
  Arma arma;
  bool constant = false;  // intercept (no differencing) or drift (one difference)
  ArimaMethod method = ArimaMethod::css_ml;
  double offset = 0.0;    // R's auto.arima likelihood offset for CSS information criteria
  InformationCriterion ic = InformationCriterion::aicc;
};

std::string order_name(const Arma& a, bool mean, bool drift, int user_regressors) {
  std::string s = fmt::format("ARIMA({},{},{})", a.p, a.d, a.q);
  if (a.m > 1 && a.P + a.D + a.Q > 0) s += fmt::format("({},{},{})[{}]", a.P, a.D, a.Q, a.m);
  if (user_regressors > 0) return "Regression with " + s + " errors" + (drift ? " and drift" : "");
  if (drift) return s + " with drift";
  if (mean) return s + " with non-zero mean";
  if (a.d == 0 && a.D == 0) return s + " with zero mean";
  return s;
}

// information_below: the information matrix (standard errors, and R's checkarima) is computed
// only when the model's criterion is below this (the automatic search passes its best so far:
// a model that cannot become the best needs no check, so the search's result is unchanged).
OrderFit fit_order(std::span<const double> y, const RowMatrix& user_xreg, const OrderSpec& spec, double kappa,
                   int max_evaluations, double information_below = kInf) {
  OrderFit out;
  const Arma& a = spec.arma;
  const int n = static_cast<int>(y.size());
  const int nd = a.d + a.D;
  const bool drift = spec.constant && nd == 1;
  const bool mean = spec.constant && nd == 0;
  const int k_user = static_cast<int>(user_xreg.cols());
  // Regressors in R's order: drift or intercept first, then the user's.
  const int ncx = k_user + (drift || mean ? 1 : 0);
  Eigen::MatrixXd X(n, ncx);
  int col = 0;
  if (drift) {
    for (int t = 0; t < n; ++t) X(t, 0) = t + 1.0;
    ++col;
  } else if (mean) {
    X.col(0).setOnes();
    ++col;
  }
  for (int j = 0; j < k_user; ++j) {
    for (int t = 0; t < n; ++t) X(t, col + j) = user_xreg(t, j);
  }
  const std::vector<double> delta = differencing(a.d, a.D, a.m);
  const int narma = a.narma();
  const auto observed = static_cast<int>(detail::count_observed(y));
  int n_used = observed - static_cast<int>(delta.size());
  ArimaMethod method = spec.method;
  const bool any_nan = detail::has_missing(y);
  if (method == ArimaMethod::css_ml && any_nan) method = ArimaMethod::ml;
  int ncond = 0;
  if (method != ArimaMethod::ml) ncond = a.d + a.D * a.m + a.p + a.m * a.P;
  // Start and scale of the regression coefficients: least squares on the differenced data
  // (R rotates several regressors to their singular vectors first, for conditioning).
  std::vector<double> init(static_cast<std::size_t>(narma + ncx), 0.0), parscale(static_cast<std::size_t>(narma + ncx), 1.0);
  Eigen::MatrixXd rotation = Eigen::MatrixXd::Identity(ncx, ncx);
  const bool rotate = ncx > 1;
  Eigen::VectorXd yv = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  if (ncx > 0) {
    if (rotate) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < n; ++i) {
        bool ok = true;
        for (Eigen::Index j = 0; j < ncx && ok; ++j) ok = !std::isnan(X(i, j));
        if (ok) rows.push_back(i);
      }
      Eigen::MatrixXd Xo(static_cast<Eigen::Index>(rows.size()), ncx);
      for (std::size_t r = 0; r < rows.size(); ++r) Xo.row(static_cast<Eigen::Index>(r)) = X.row(rows[r]);
      const Eigen::JacobiSVD<Eigen::MatrixXd> svd(Xo, Eigen::ComputeThinV);
      rotation = svd.matrixV();
      X = (X * rotation).eval();
    }
    Eigen::MatrixXd dX = X;
    Eigen::VectorXd dy = yv;
    auto diff = [](Eigen::MatrixXd& M, int lag) {
      const Eigen::MatrixXd out = M.bottomRows(M.rows() - lag) - M.topRows(M.rows() - lag);
      M = out;
    };
    for (int i = 0; i < a.d; ++i) {
      diff(dX, 1);
      Eigen::MatrixXd t = dy;
      diff(t, 1);
      dy = t;
    }
    for (int i = 0; i < a.D; ++i) {
      diff(dX, a.m);
      Eigen::MatrixXd t = dy;
      diff(t, a.m);
      dy = t;
    }
    Eigen::VectorXd coef, se;
    int rank = 0;
    if (dy.size() > ncx) least_squares(dX, dy, coef, se, rank);
    if (rank == 0) least_squares(X, yv, coef, se, rank);
    for (int j = 0; j < ncx; ++j) {
      init[static_cast<std::size_t>(narma + j)] = coef(j);
      parscale[static_cast<std::size_t>(narma + j)] = std::isfinite(se(j)) && se(j) > 0 ? 10 * se(j) : 1.0;
    }
    int bad = 0;
    for (int t = 0; t < n; ++t) {
      bool row_nan = std::isnan(y[static_cast<std::size_t>(t)]);
      for (int j = 0; j < ncx; ++j) row_nan = row_nan || std::isnan(X(t, j));
      bad += row_nan;
    }
    n_used = n - bad - static_cast<int>(delta.size());
  }
  if (n_used <= 0) {
    out.why = "too few non-missing observations";
    return out;
  }
  auto adjusted = [&](const double* par, std::vector<double>& x) {
    x.assign(y.begin(), y.end());
    if (ncx == 0) return;
    for (int t = 0; t < n; ++t) {
      double s = 0.0;
      for (int j = 0; j < ncx; ++j) s += X(t, j) * par[narma + j];
      x[static_cast<std::size_t>(t)] -= s;
    }
  };
  std::vector<double> phi, theta, x;
  optimize::Options oo;
  oo.method = optimize::Method::lbfgs;
  oo.max_evaluations = max_evaluations;
  oo.function_tolerance = 1e-12;
  oo.parameter_tolerance = 1e-10;
  oo.gradient_tolerance = 1e-8;
  const int npar = narma + ncx;
  auto scaled = [&](std::span<const double> u, std::vector<double>& par) {
    par.resize(static_cast<std::size_t>(npar));
    for (int i = 0; i < npar; ++i) par[static_cast<std::size_t>(i)] = u[static_cast<std::size_t>(i)] * parscale[static_cast<std::size_t>(i)];
  };
  Status status = Status::make(StatusCode::converged, "no parameters to estimate");
  int evaluations = 0;
  // CSS objective on raw (untransformed) coefficients, as R.
  auto css_objective = [&](std::span<const double> u) {
    std::vector<double> par;
    scaled(u, par);
    expand(a, par.data(), false, phi, theta);
    adjusted(par.data(), x);
    const double v = css(x.data(), n, a, phi, theta, ncond, nullptr);
    return std::isfinite(v) && v > 0 ? 0.5 * std::log(v) : kInf;
  };
  std::vector<double> u0(static_cast<std::size_t>(npar));
  for (int i = 0; i < npar; ++i) u0[static_cast<std::size_t>(i)] = init[static_cast<std::size_t>(i)] / parscale[static_cast<std::size_t>(i)];
  if (method == ArimaMethod::css || method == ArimaMethod::css_ml) {
    if (npar > 0) {
      auto fn = optimize::with_numerical_gradient([&](std::span<const double> u, std::span<double>) { return css_objective(u); });
      const auto r = optimize::minimize(fn, u0, {}, oo);
      evaluations += r.status.evaluations;
      status = r.status;
      if (r.status.usable()) u0 = r.x;
    }
    std::vector<double> par;
    scaled(u0, par);
    if (!ar_stationary(par.data(), a.p) || !ar_stationary(par.data() + a.p + a.q, a.P)) {
      out.why = "non-stationary AR part from CSS";
      return out;
    }
  }
  ArimaFit& f = out.fit;
  f.method = method;
  f.order = {a.p, a.d, a.q, a.P, a.D, a.Q, a.m};
  f.include_drift = drift;
  f.include_mean = mean;
  f.n_regressors = k_user;
  f.series_length = n;
  f.nobs = n_used;
  f.delta = delta;
  std::vector<double> coef;
  scaled(u0, coef);
  f.residuals.assign(static_cast<std::size_t>(n), kNaN);
  std::vector<double> hessian_point;  // natural coefficients where the Hessian is taken
  double value = kNaN;
  if (method == ArimaMethod::css) {
    expand(a, coef.data(), false, phi, theta);
    adjusted(coef.data(), x);
    const double sigma2 = css(x.data(), n, a, phi, theta, ncond, f.residuals.data());
    for (int t = 0; t < ncond && t < n; ++t) f.residuals[static_cast<std::size_t>(t)] = 0.0;
    f.sigma2 = sigma2;
    out.arima_sigma2 = sigma2;
    // R reports -0.5 (n log(2 pi sigma2) + n) for CSS fits too (the conditional likelihood).
    f.log_likelihood = -0.5 * (n_used * std::log(sigma2) + n_used + n_used * std::log(2 * std::numbers::pi));
    value = 0.5 * std::log(sigma2);
    f.phi = phi;
    f.theta = theta;
    // The state for forecasting: a Kalman pass at the CSS coefficients (R's arimaSS).
    const StateSpace ss = make_state_space(phi, theta, delta, kappa);
    (void)kalman(x.data(), n, ss, 0, nullptr, &f.state, &f.state_covariance);
  } else {
    // ML on the partial-autocorrelation scale, MA parts inverted first (R's CSS-ML hand-over).
    std::vector<double> t0 = coef;
    if (a.p > 0) invpartrans(a.p, coef.data(), t0.data());
    if (a.P > 0) invpartrans(a.P, coef.data() + a.p + a.q, t0.data() + a.p + a.q);
    if (a.q > 0) ma_invert(t0.data() + a.p, a.q);
    if (a.Q > 0) ma_invert(t0.data() + a.p + a.q + a.P, a.Q);
    bool finite_start = true;
    for (double v : t0) finite_start = finite_start && std::isfinite(v);
    if (!finite_start) {
      out.why = "the CSS start is on the edge of stationarity";
      return out;
    }
    auto ml_objective = [&](const std::vector<double>& par, bool transform) {
      expand(a, par.data(), transform, phi, theta);
      adjusted(par.data(), x);
      const StateSpace ss = make_state_space(phi, theta, delta, kappa);
      const KalmanOutput k = kalman(x.data(), n, ss, 0, nullptr, nullptr, nullptr);
      if (k.nu == 0) return kInf;
      const double s2 = k.ssq / k.nu;
      const double v = 0.5 * (std::log(s2) + k.sumlog / k.nu);
      return std::isfinite(v) ? v : kInf;
    };
    std::vector<double> v0(static_cast<std::size_t>(npar));
    for (int i = 0; i < npar; ++i) v0[static_cast<std::size_t>(i)] = t0[static_cast<std::size_t>(i)] / parscale[static_cast<std::size_t>(i)];
    if (npar > 0) {
      auto fn = optimize::with_numerical_gradient([&](std::span<const double> u, std::span<double>) {
        std::vector<double> par;
        scaled(u, par);
        return ml_objective(par, true);
      });
      const auto r = optimize::minimize(fn, v0, {}, oo);
      evaluations += r.status.evaluations;
      status = r.status;
      if (!std::isfinite(r.value)) {
        out.why = "the likelihood is not finite";
        return out;
      }
      v0 = r.x;
      value = r.value;
    } else {
      value = ml_objective(coef, true);
    }
    std::vector<double> par;
    scaled(v0, par);
    if (a.q > 0) ma_invert(par.data() + a.p, a.q);
    if (a.Q > 0) ma_invert(par.data() + a.p + a.q + a.P, a.Q);
    value = ml_objective(par, true);
    coef = par;
    if (a.p > 0) partrans(a.p, par.data(), coef.data());
    if (a.P > 0) partrans(a.P, par.data() + a.p + a.q, coef.data() + a.p + a.q);
    expand(a, coef.data(), false, phi, theta);
    f.phi = phi;
    f.theta = theta;
    adjusted(coef.data(), x);
    const StateSpace ss = make_state_space(phi, theta, delta, kappa);
    const KalmanOutput k = kalman(x.data(), n, ss, 0, f.residuals.data(), &f.state, &f.state_covariance);
    f.sigma2 = k.ssq / n_used;
    out.arima_sigma2 = f.sigma2;
    const double m2 = 2.0 * n_used * value + n_used + n_used * std::log(2 * std::numbers::pi);
    f.log_likelihood = -0.5 * m2;
    hessian_point = coef;
  }
  // Coefficients in natural units (undo the regressors' rotation), with names.
  Eigen::VectorXd beta(ncx);
  for (int j = 0; j < ncx; ++j) beta(j) = coef[static_cast<std::size_t>(narma + j)];
  const Eigen::VectorXd beta_natural = rotation * beta;
  for (int i = 0; i < a.p; ++i) f.names.push_back(fmt::format("ar{}", i + 1));
  for (int i = 0; i < a.q; ++i) f.names.push_back(fmt::format("ma{}", i + 1));
  for (int i = 0; i < a.P; ++i) f.names.push_back(fmt::format("sar{}", i + 1));
  for (int i = 0; i < a.Q; ++i) f.names.push_back(fmt::format("sma{}", i + 1));
  if (drift) f.names.emplace_back("drift");
  if (mean) f.names.emplace_back("intercept");
  for (int j = 0; j < k_user; ++j) f.names.push_back(fmt::format("x{}", j));
  f.coefficients.assign(coef.begin(), coef.begin() + narma);
  for (int j = 0; j < ncx; ++j) f.coefficients.push_back(beta_natural(j));
  // forecast's myarima: information criteria on n* = n - d - D m, k = free parameters + 1.
  const int nstar = observed - a.d - a.D * a.m;
  const int k = npar + 1;
  if (method == ArimaMethod::css) {
    f.aic = spec.offset + nstar * std::log(f.sigma2) + 2.0 * k;
  } else {
    f.aic = -2.0 * f.log_likelihood + 2.0 * k;
  }
  f.bic = f.aic + k * (std::log(static_cast<double>(nstar)) - 2.0);
  f.aicc = nstar - k - 1 > 0 ? f.aic + 2.0 * k * (k + 1.0) / (nstar - k - 1.0) : kInf;
  double ic = spec.ic == InformationCriterion::aic ? f.aic : spec.ic == InformationCriterion::bic ? f.bic : f.aicc;
  if (!std::isfinite(ic)) ic = kInf;
  // Standard errors: the inverse of n_used times the Hessian of the objective in the natural
  // coefficients (R: the same, through the transformation's Jacobian).
  f.standard_errors.assign(static_cast<std::size_t>(npar), kNaN);
  bool information_ok = true;
  if (npar > 0 && ic < information_below) {
    std::vector<double> natural_point(f.coefficients.begin(), f.coefficients.end());
    Eigen::MatrixXd Xn = rotate ? (X * rotation.transpose()).eval() : X;
    auto objective_natural = [&](std::span<const double> c, std::span<double>) {
      std::vector<double> cc(c.begin(), c.end());
      expand(a, cc.data(), false, phi, theta);
      std::vector<double> xx(y.begin(), y.end());
      for (int t = 0; t < n; ++t) {
        double s = 0.0;
        for (int j = 0; j < ncx; ++j) s += Xn(t, j) * cc[static_cast<std::size_t>(narma + j)];
        xx[static_cast<std::size_t>(t)] -= s;
      }
      if (method == ArimaMethod::css) {
        const double v = css(xx.data(), n, a, phi, theta, ncond, nullptr);
        return 0.5 * std::log(v);
      }
      const StateSpace ss = make_state_space(phi, theta, delta, kappa);
      const KalmanOutput k = kalman(xx.data(), n, ss, 0, nullptr, nullptr, nullptr);
      return 0.5 * (std::log(k.ssq / k.nu) + k.sumlog / k.nu);
    };
    const std::vector<double> H = optimize::numerical_hessian(objective_natural, natural_point, 1e-4, 0.1);
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> Hm(H.data(), npar, npar);
    const Eigen::MatrixXd info = Hm * static_cast<double>(n_used);
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(info);
    if (lu.isInvertible()) {
      const Eigen::MatrixXd var = lu.inverse();
      for (int i = 0; i < npar; ++i) {
        if (var(i, i) > 0) {
          f.standard_errors[static_cast<std::size_t>(i)] = std::sqrt(var(i, i));
        } else {
          information_ok = false;  // R's checkarima: a NaN standard error rejects the model
        }
      }
    } else {
      information_ok = false;
    }
  }
  double ss = 0.0;
  for (double r : f.residuals) {
    if (!std::isnan(r)) ss += r * r;
  }
  f.sigma2 = ss / (nstar - k + 1);
  f.fitted.resize(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) f.fitted[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t)] - f.residuals[static_cast<std::size_t>(t)];
  f.model_name = order_name(a, mean, drift, k_user);
  f.status = status;
  f.status.evaluations = evaluations;
  const double root = std::min(min_root(f.phi, -1.0), min_root(f.theta, 1.0));
  if (root < 1.01) {
    out.why = fmt::format("rejected: a root within 1.01 of the unit circle ({:.4f})", root);
    ic = kInf;
  } else if (!information_ok) {
    out.why = "rejected: the information matrix is not positive definite (R's checkarima)";
    ic = kInf;
  }
  out.ic = ic;
  out.estimated = true;
  if (out.why.empty()) out.why = std::string(enum_name(status.code));
  return out;
}

bool is_constant(std::span<const double> y) {
  double first = kNaN;
  for (double v : y) {
    if (std::isnan(v)) continue;
    if (std::isnan(first)) {
      first = v;
    } else if (v != first) {
      return false;
    }
  }
  return true;
}

std::vector<double> diff(std::span<const double> y, int lag) {
  if (static_cast<int>(y.size()) <= lag) return {};
  std::vector<double> out(y.size() - static_cast<std::size_t>(lag));
  for (std::size_t t = 0; t < out.size(); ++t) out[t] = y[t + static_cast<std::size_t>(lag)] - y[t];
  return out;
}

}  // namespace

std::string ArimaOrder::name() const {
  std::string s = fmt::format("ARIMA({},{},{})", p, d, q);
  if (period > 1 && P + D + Q > 0) s += fmt::format("({},{},{})[{}]", P, D, Q, period);
  return s;
}

void ArimaOptions::validate() const {
  check::integer_at_least("season_length", season_length, 1);
  if (order) {
    check::integer_at_least("order.p", order->p, 0);
    check::integer_at_least("order.d", order->d, 0);
    check::integer_at_least("order.q", order->q, 0);
    check::integer_at_least("order.P", order->P, 0);
    check::integer_at_least("order.D", order->D, 0);
    check::integer_at_least("order.Q", order->Q, 0);
    check::integer_at_least("order.period", order->period, 1);
    if (order->period == 1 && order->P + order->D + order->Q > 0) {
      check::fail("order", "seasonal terms (P, D, Q) need a period > 1");
    }
  }
  if (d) check::integer_at_least("d", *d, 0);
  if (D) check::integer_at_least("D", *D, 0);
  for (const auto& [name, v] : {std::pair<const char*, int>{"max_p", max_p}, {"max_q", max_q}, {"max_P", max_P},
                                {"max_Q", max_Q}, {"max_order", max_order}, {"max_d", max_d}, {"max_D", max_D},
                                {"start_p", start_p}, {"start_q", start_q}, {"start_P", start_P}, {"start_Q", start_Q}}) {
    check::integer_at_least(name, v, 0);
  }
  check::integer_at_least("nmodels", nmodels, 1);
  check::positive("kappa", kappa);
  check::integer_at_least("max_evaluations", max_evaluations, 1);
}

double kpss_statistic(std::span<const double> y, int lags) {
  const std::size_t n = y.size();
  double mean = 0.0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(n);
  std::vector<double> e(n);
  for (std::size_t t = 0; t < n; ++t) e[t] = y[t] - mean;
  double s = 0.0, numerator = 0.0, s2 = 0.0;
  for (std::size_t t = 0; t < n; ++t) {
    s += e[t];
    numerator += s * s;
    s2 += e[t] * e[t];
  }
  const double nn = static_cast<double>(n);
  numerator /= nn * nn;
  s2 /= nn;
  double denominator = s2;
  for (int l = 1; l <= lags; ++l) {
    double c = 0.0;
    for (std::size_t t = static_cast<std::size_t>(l); t < n; ++t) c += e[t] * e[t - static_cast<std::size_t>(l)];
    denominator += 2.0 / nn * (1.0 - l / (lags + 1.0)) * c;
  }
  return numerator / denominator;
}

int number_of_differences(std::span<const double> y_in, int max_d) {
  std::vector<double> y;
  for (double v : y_in) {
    if (!std::isnan(v)) y.push_back(v);
  }
  int d = 0;
  if (y.size() < 3 || is_constant(y)) return 0;
  // KPSS at 5%: the p-value interpolated in the table (0.347, 0.463, 0.574, 0.739) is below 0.05
  // exactly when the statistic exceeds 0.463 (urca's cval for type "mu").
  auto nonstationary = [](const std::vector<double>& x) {
    const int lags = static_cast<int>(3.0 * std::sqrt(static_cast<double>(x.size())) / 13.0);
    return kpss_statistic(x, lags) > 0.463;
  };
  bool dodiff = nonstationary(y);
  while (dodiff && d < max_d) {
    ++d;
    y = diff(y, 1);
    if (y.size() < 3 || is_constant(y)) return d;
    dodiff = nonstationary(y);
  }
  return d;
}

int number_of_seasonal_differences(std::span<const double> y_in, int m, int max_D) {
  std::vector<double> y(y_in.begin(), y_in.end());
  if (is_constant(y) || m <= 1 || static_cast<std::size_t>(m) >= y.size()) return 0;
  auto seasonal = [m](const std::vector<double>& x) {
    if (x.size() <= 2 * static_cast<std::size_t>(m)) return false;
    const MstlResult d = mstl(x, std::vector<int>{m});
    if (d.seasonal.empty()) return false;
    StlResult s;
    s.seasonal = d.seasonal[0];
    s.remainder = d.remainder;
    return seasonal_strength(s) > 0.64;
  };
  int D = 0;
  bool dodiff = seasonal(y);
  while (dodiff && D < max_D) {
    ++D;
    y = diff(y, m);
    if (is_constant(y)) return D;
    dodiff = y.size() >= 2 * static_cast<std::size_t>(m) && D < max_D ? seasonal(y) : false;
  }
  return D;
}

ArimaFit fit_arima(std::span<const double> y_in, const ArimaOptions& o, const Eigen::Ref<const RowMatrix>& xreg) {
  o.validate();
  check::not_empty("y", y_in.size());
  for (std::size_t i = 0; i < y_in.size(); ++i) {
    if (std::isinf(y_in[i])) check::fail("y", fmt::format("expected finite values or NaN for missing ones, found {} at index {}", y_in[i], i));
  }
  RowMatrix X;
  if (xreg.size() > 0) {
    if (xreg.rows() != static_cast<Eigen::Index>(y_in.size())) {
      check::fail("xreg", fmt::format("expected one row per observation ({}), got {}", y_in.size(), xreg.rows()));
    }
    check::all_finite("xreg", xreg);
    X = xreg;
  }
  // Leading missing values are dropped (R: subset from the first observation).
  std::size_t first = 0;
  while (first < y_in.size() && std::isnan(y_in[first])) ++first;
  if (first == y_in.size()) check::fail("y", "expected at least one observed value, got only missing ones");
  std::vector<double> y(y_in.begin() + static_cast<std::ptrdiff_t>(first), y_in.end());
  if (X.size() > 0) X = X.bottomRows(X.rows() - static_cast<Eigen::Index>(first)).eval();
  const int n = static_cast<int>(y.size());
  const int serieslength = static_cast<int>(detail::count_observed(y));
  if (serieslength < 3) check::fail("y", fmt::format("expected at least 3 observed values for ARIMA, got {}", serieslength));
  const auto started = std::chrono::steady_clock::now();

  // A fixed order (R's Arima).
  if (o.order) {
    OrderSpec spec;
    spec.arma = {o.order->p, o.order->q, o.order->P, o.order->Q, std::max(1, o.order->period), o.order->d, o.order->D};
    const int nd = o.order->d + o.order->D;
    spec.constant = nd == 0 ? o.include_mean.value_or(true) : (nd == 1 && o.include_drift.value_or(false));
    spec.method = o.method;
    spec.ic = o.ic;
    if (nd > 1 && o.include_drift.value_or(false)) {
      check::fail("include_drift", "a drift needs exactly one difference (d + D = 1)");
    }
    OrderFit r = fit_order(y, X, spec, o.kappa, o.max_evaluations);
    if (!r.estimated) {
      check::fail("y", fmt::format("{} could not be estimated: {}", order_name(spec.arma, false, false, 0), r.why));
    }
    r.fit.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!std::isfinite(r.ic)) r.fit.note = r.why;
    if (spec.method == ArimaMethod::css) {
      // R's arima gives no AIC for CSS fits (the conditional likelihood is not comparable).
      r.fit.aic = r.fit.aicc = r.fit.bic = kNaN;
    }
    return r.fit;
  }

  // ---- automatic selection (R's auto.arima) ----
  InformationCriterion ic = serieslength <= 3 ? InformationCriterion::aic : o.ic;
  const int m = o.seasonal ? std::max(1, o.season_length) : 1;
  int max_p = std::min(o.max_p, serieslength / 3), max_q = std::min(o.max_q, serieslength / 3);
  int max_P = std::min(o.max_P, serieslength / 3 / m), max_Q = std::min(o.max_Q, serieslength / 3 / m);
  std::string note;
  if (is_constant(y)) {
    // R: ARIMA(0,0,0) with the mean fixed; zero innovation variance.
    ArimaFit f;
    f.order = {0, 0, 0, 0, 0, 0, m};
    f.include_mean = o.allow_mean;
    f.model_name = o.allow_mean ? "ARIMA(0,0,0) with non-zero mean" : "ARIMA(0,0,0) with zero mean";
    const double mean = detail::observed_mean(y);
    if (o.allow_mean) {
      f.names = {"intercept"};
      f.coefficients = {mean};
      f.standard_errors = {kNaN};
    }
    f.sigma2 = 0.0;
    f.log_likelihood = kInf;
    f.aic = f.aicc = f.bic = -kInf;
    f.nobs = serieslength;
    f.series_length = n;
    f.state = {o.allow_mean ? 0.0 : mean};
    f.state_covariance = {0.0};
    f.residuals.assign(static_cast<std::size_t>(n), 0.0);
    f.fitted.assign(static_cast<std::size_t>(n), mean);
    f.note = fmt::format("constant series (every value {}): ARIMA(0,0,0) with the mean fixed, as R's auto.arima", mean);
    f.status = Status::make(StatusCode::converged, "constant series");
    return f;
  }
  // Regressors: constant columns dropped; unit-root tests on the regression residuals.
  std::vector<double> xx = y;
  if (X.cols() > 0) {
    std::vector<int> keep;
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      std::vector<double> col(static_cast<std::size_t>(n));
      for (int t = 0; t < n; ++t) col[static_cast<std::size_t>(t)] = X(t, j);
      if (!is_constant(col)) keep.push_back(static_cast<int>(j));
    }
    if (!keep.empty()) {
      Eigen::MatrixXd A(n, static_cast<Eigen::Index>(keep.size()) + 1);
      A.col(0).setOnes();
      for (std::size_t j = 0; j < keep.size(); ++j) A.col(static_cast<Eigen::Index>(j + 1)) = X.col(keep[j]);
      const Eigen::JacobiSVD<Eigen::MatrixXd> svd(A);
      const Eigen::VectorXd sv = svd.singularValues();
      if (sv.minCoeff() / sv.sum() < std::numeric_limits<double>::epsilon()) {
        check::fail("xreg", "the regressors (with an intercept) are rank deficient");
      }
      Eigen::VectorXd coef, se;
      int rank = 0;
      least_squares(A, Eigen::Map<const Eigen::VectorXd>(y.data(), n), coef, se, rank);
      for (int t = 0; t < n; ++t) {
        if (!std::isnan(y[static_cast<std::size_t>(t)])) xx[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t)] - A.row(t).dot(coef);
      }
    }
  }
  int d = o.d.value_or(-1), D = o.D.value_or(-1);
  if (o.stationary) d = D = 0;
  if (m == 1) {
    D = 0;
    max_P = max_Q = 0;
  } else if (D < 0 && static_cast<int>(xx.size()) <= 2 * m) {
    D = 0;
  } else if (D < 0) {
    D = number_of_seasonal_differences(detail::interpolate_missing(xx, "y"), m, o.max_D);
  }
  std::vector<double> dx = xx;
  for (int i = 0; i < D; ++i) dx = diff(dx, m);
  if (d < 0) d = number_of_differences(dx, o.max_d);
  for (int i = 0; i < d; ++i) dx = diff(dx, 1);
  if (dx.empty()) check::fail("y", "not enough data to proceed after differencing");
  if (m > 1) {
    if (max_P > 0) max_p = std::min(max_p, m - 1);
    if (max_Q > 0) max_q = std::min(max_q, m - 1);
  }
  const bool approximation = o.approximation.value_or(n > 150 || m > 12);
  double offset = 0.0;
  if (approximation) {
    OrderSpec base;
    base.arma = {0, 0, 0, 0, m, d, D};
    base.constant = d + D == 0;  // stats::arima's include.mean default
    base.method = ArimaMethod::css_ml;
    const OrderFit r = fit_order(y, X, base, o.kappa, o.max_evaluations);
    // R's offset uses arima's own sigma2 = ssq / n.used, before myarima's adjustment.
    if (r.estimated && std::isfinite(r.fit.log_likelihood)) {
      offset = -2.0 * r.fit.log_likelihood - serieslength * std::log(r.arima_sigma2);
    }
  }
  const bool allow_drift = o.allow_drift && d + D == 1;
  const bool allow_mean = o.allow_mean && d + D == 0;
  bool constant = allow_drift || allow_mean;

  struct Row {
    int p, q, P, Q;
    bool constant;
    double ic;
  };
  std::vector<Row> results;
  std::vector<ArimaCandidate> candidates;
  OrderFit best;
  best.ic = kInf;
  auto fit = [&](int p, int q, int P, int Q, bool c, bool approx, double threshold) {
    OrderSpec spec;
    spec.arma = {p, q, P, Q, m, d, D};
    spec.constant = c;
    spec.method = approx ? ArimaMethod::css : o.method;
    spec.offset = offset;
    spec.ic = ic;
    OrderFit r = fit_order(y, X, spec, o.kappa, o.max_evaluations, threshold);
    const Arma a{p, q, P, Q, m, d, D};
    candidates.push_back({order_name(a, c && d + D == 0, c && d + D == 1, static_cast<int>(X.cols())), r.ic, r.why});
    return r;
  };
  auto seen = [&](int p, int q, int P, int Q, bool c) {
    return std::any_of(results.begin(), results.end(),
                       [&](const Row& r) { return r.p == p && r.q == q && r.P == P && r.Q == Q && r.constant == c; });
  };
  if (!o.stepwise) {
    for (int i = 0; i <= max_p; ++i) {
      for (int j = 0; j <= max_q; ++j) {
        for (int I = 0; I <= max_P; ++I) {
          for (int J = 0; J <= max_Q; ++J) {
            if (i + j + I + J > o.max_order) continue;
            for (int c = constant ? 1 : 0; c >= 0; --c) {
              OrderFit r = fit(i, j, I, J, c == 1, approximation, best.ic);
              results.push_back({i, j, I, J, c == 1, r.ic});
              if (r.ic < best.ic) best = std::move(r);
            }
          }
        }
      }
    }
  } else {
    int start_p = o.start_p, start_q = o.start_q, start_P = o.start_P, start_Q = o.start_Q;
    if (n < 10) {
      start_p = std::min(start_p, 1);
      start_q = std::min(start_q, 1);
      start_P = start_Q = 0;
    }
    int p = std::min(start_p, max_p), q = std::min(start_q, max_q), P = std::min(start_P, max_P), Q = std::min(start_Q, max_Q);
    auto consider = [&](int pp, int qq, int PP, int QQ, bool cc) {
      OrderFit r = fit(pp, qq, PP, QQ, cc, approximation, best.ic);
      results.push_back({pp, qq, PP, QQ, cc, r.ic});
      const bool better = r.ic < best.ic;
      if (better) best = std::move(r);
      return better;
    };
    consider(p, q, P, Q, constant);
    if (consider(0, 0, 0, 0, constant)) p = q = P = Q = 0;
    if (max_p > 0 || max_P > 0) {
      const int pp = max_p > 0 ? 1 : 0, PP = (m > 1 && max_P > 0) ? 1 : 0;
      if (consider(pp, 0, PP, 0, constant)) {
        p = pp;
        P = PP;
        q = Q = 0;
      }
    }
    if (max_q > 0 || max_Q > 0) {
      const int qq = max_q > 0 ? 1 : 0, QQ = (m > 1 && max_Q > 0) ? 1 : 0;
      if (consider(0, qq, 0, QQ, constant)) {
        p = P = 0;
        q = qq;
        Q = QQ;
      }
    }
    if (constant) {
      if (consider(0, 0, 0, 0, false)) {
        p = q = P = Q = 0;
        constant = false;
      }
    }
    int k = static_cast<int>(results.size());
    int startk = 0;
    // The neighbours, in R's order: seasonal moves first, then non-seasonal, then the constant.
    while (startk < k && k < o.nmodels) {
      startk = k;
      struct Move {
        bool allowed;
        int dp, dq, dP, dQ;
        bool flip;
      };
      const Move moves[] = {
          {P > 0, 0, 0, -1, 0, false},
          {Q > 0, 0, 0, 0, -1, false},
          {P < max_P, 0, 0, 1, 0, false},
          {Q < max_Q, 0, 0, 0, 1, false},
          {Q > 0 && P > 0, 0, 0, -1, -1, false},
          {Q < max_Q && P > 0, 0, 0, -1, 1, false},
          {Q > 0 && P < max_P, 0, 0, 1, -1, false},
          {Q < max_Q && P < max_P, 0, 0, 1, 1, false},
          {p > 0, -1, 0, 0, 0, false},
          {q > 0, 0, -1, 0, 0, false},
          {p < max_p, 1, 0, 0, 0, false},
          {q < max_q, 0, 1, 0, 0, false},
          {q > 0 && p > 0, -1, -1, 0, 0, false},
          {q < max_q && p > 0, -1, 1, 0, 0, false},
          {q > 0 && p < max_p, 1, -1, 0, 0, false},
          {q < max_q && p < max_p, 1, 1, 0, 0, false},
          {allow_drift || allow_mean, 0, 0, 0, 0, true},
      };
      for (const Move& mv : moves) {
        if (!mv.allowed) continue;
        const int pp = p + mv.dp, qq = q + mv.dq, PP = P + mv.dP, QQ = Q + mv.dQ;
        const bool cc = mv.flip ? !constant : constant;
        if (seen(pp, qq, PP, QQ, cc)) continue;
        ++k;
        if (k > o.nmodels) break;
        if (consider(pp, qq, PP, QQ, cc)) {
          p = pp;
          q = qq;
          P = PP;
          Q = QQ;
          constant = cc;
          break;  // R: `next` restarts the neighbourhood from the new best
        }
      }
    }
    if (k > o.nmodels) note = fmt::format("stepwise search stopped at nmodels = {} models", o.nmodels);
  }
  // With the approximation, refit the best models by the exact method, best first.
  if (approximation && std::isfinite(best.ic)) {
    std::vector<std::size_t> idx(results.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return results[a].ic < results[b].ic; });
    bool refitted = false;
    for (std::size_t i : idx) {
      if (!std::isfinite(results[i].ic)) break;
      const Row& r = results[i];
      OrderFit exact = fit(r.p, r.q, r.P, r.Q, r.constant, false, kInf);
      if (std::isfinite(exact.ic)) {
        best = std::move(exact);
        refitted = true;
        break;
      }
    }
    if (!refitted) best.ic = kInf;
  }
  if (!std::isfinite(best.ic)) {
    std::string why;
    for (std::size_t i = 0; i < candidates.size() && i < 6; ++i) why += fmt::format("; {}: {}", candidates[i].model, candidates[i].status);
    check::fail("y", fmt::format("no suitable ARIMA model found{}", why));
  }
  best.fit.candidates = std::move(candidates);
  best.fit.note = note;
  best.fit.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return best.fit;
}

// ---------------------------------------------------------------------------------------------
// Forecasts (R's KalmanForecast) and model files

Forecast ArimaFit::forecast(int h, std::span<const double> levels, const Eigen::Ref<const RowMatrix>& xreg) const {
  check::integer_at_least("h", h, 1);
  if (n_regressors > 0 && (xreg.rows() != h || xreg.cols() != n_regressors)) {
    check::fail("xreg", fmt::format("the model has {} exogenous regressors: expected future values of shape ({}, {}), "
                                    "got ({}, {})", n_regressors, h, n_regressors, xreg.rows(), xreg.cols()));
  }
  if (n_regressors > 0) check::all_finite("xreg", xreg);
  Forecast out;
  out.model = model_name;
  out.mean.resize(static_cast<std::size_t>(h));
  out.variance.resize(static_cast<std::size_t>(h));
  const int rd = static_cast<int>(state.size());
  const int d = static_cast<int>(delta.size()), r = rd - d, p = static_cast<int>(phi.size());
  const int narma = order.p + order.q + order.P + order.Q;
  std::vector<double> th = theta;
  th.resize(static_cast<std::size_t>(std::max(r - 1, static_cast<int>(theta.size()))), 0.0);
  // T, V (R R'), Z as dense matrices: the horizon is short and the state small.
  Eigen::MatrixXd T = Eigen::MatrixXd::Zero(rd, rd);
  for (int i = 0; i < p; ++i) T(i, 0) = phi[static_cast<std::size_t>(i)];
  for (int i = 0; i + 1 < r; ++i) T(i, i + 1) = 1.0;
  Eigen::VectorXd Z = Eigen::VectorXd::Zero(rd);
  Z(0) = 1.0;
  for (int i = 0; i < d; ++i) Z(r + i) = delta[static_cast<std::size_t>(i)];
  if (d > 0) {
    T.row(r) = Z.transpose();
    for (int i = 1; i < d; ++i) T(r + i, r + i - 1) = 1.0;
  }
  Eigen::VectorXd R = Eigen::VectorXd::Zero(rd);
  R(0) = 1.0;
  for (int i = 0; i < r - 1; ++i) R(i + 1) = th[static_cast<std::size_t>(i)];
  const Eigen::MatrixXd V = R * R.transpose();
  Eigen::VectorXd a = Eigen::Map<const Eigen::VectorXd>(state.data(), rd);
  Eigen::MatrixXd P = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>>(state_covariance.data(), rd, rd);
  int beta_index = narma;
  for (int l = 0; l < h; ++l) {
    a = (T * a).eval();
    P = (T * P * T.transpose() + V).eval();
    double mean = Z.dot(a);
    int j = beta_index;
    if (include_drift) mean += coefficients[static_cast<std::size_t>(j++)] * (series_length + l + 1.0);
    if (include_mean) mean += coefficients[static_cast<std::size_t>(j++)];
    for (int c = 0; c < n_regressors; ++c) mean += coefficients[static_cast<std::size_t>(j++)] * xreg(l, c);
    out.mean[static_cast<std::size_t>(l)] = mean;
    out.variance[static_cast<std::size_t>(l)] = sigma2 * Z.dot(P * Z);
  }
  set_normal_intervals(out, levels);
  return out;
}

io::Json ArimaFit::to_json() const {
  io::Json j;
  j["order"] = {order.p, order.d, order.q, order.P, order.D, order.Q, order.period};
  j["model_name"] = model_name;
  j["include_mean"] = include_mean;
  j["include_drift"] = include_drift;
  j["names"] = names;
  j["coefficients"] = io::json_from_doubles(coefficients);
  j["standard_errors"] = io::json_from_doubles(standard_errors);
  j["sigma2"] = io::json_from_double(sigma2);
  j["log_likelihood"] = io::json_from_double(log_likelihood);
  j["aic"] = io::json_from_double(aic);
  j["aicc"] = io::json_from_double(aicc);
  j["bic"] = io::json_from_double(bic);
  j["nobs"] = nobs;
  j["n_regressors"] = n_regressors;
  j["method"] = std::string(enum_name(method));
  j["phi"] = io::json_from_doubles(phi);
  j["theta"] = io::json_from_doubles(theta);
  j["delta"] = io::json_from_doubles(delta);
  j["state"] = io::json_from_doubles(state);
  j["state_covariance"] = io::json_from_doubles(state_covariance);
  j["series_length"] = series_length;
  j["note"] = note;
  return j;
}

ArimaFit ArimaFit::from_json(const io::Json& j) {
  ArimaFit f;
  auto integer = [&](const io::Json& v, const char* what) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1000000000) {
      throw ModelFormatError(fmt::format("arima model: '{}' must be a non-negative integer", what));
    }
    return v.get<int>();
  };
  const io::Json& order = io::require_field(j, "order", "arima");
  if (!order.is_array() || order.size() != 7) throw ModelFormatError("arima model: 'order' must hold 7 integers");
  f.order = {integer(order[0], "order"), integer(order[1], "order"), integer(order[2], "order"), integer(order[3], "order"),
             integer(order[4], "order"), integer(order[5], "order"), integer(order[6], "order")};
  const io::Json& name = io::require_field(j, "model_name", "arima");
  if (!name.is_string()) throw ModelFormatError("arima model: 'model_name' must be a string");
  f.model_name = name.get<std::string>();
  for (const auto& [key, target] : {std::pair<const char*, bool*>{"include_mean", &f.include_mean}, {"include_drift", &f.include_drift}}) {
    const io::Json& v = io::require_field(j, key, "arima");
    if (!v.is_boolean()) throw ModelFormatError(fmt::format("arima model: '{}' must be true or false", key));
    *target = v.get<bool>();
  }
  const io::Json& names = io::require_field(j, "names", "arima");
  if (!names.is_array()) throw ModelFormatError("arima model: 'names' must be a list of strings");
  for (const auto& v : names) {
    if (!v.is_string()) throw ModelFormatError("arima model: 'names' must be a list of strings");
    f.names.push_back(v.get<std::string>());
  }
  f.coefficients = io::doubles_from_json(io::require_field(j, "coefficients", "arima"), "coefficients");
  f.standard_errors = io::doubles_from_json(io::require_field(j, "standard_errors", "arima"), "standard_errors");
  f.sigma2 = io::double_from_json(io::require_field(j, "sigma2", "arima"), "sigma2");
  f.log_likelihood = io::double_from_json(io::require_field(j, "log_likelihood", "arima"), "log_likelihood");
  f.aic = io::double_from_json(io::require_field(j, "aic", "arima"), "aic");
  f.aicc = io::double_from_json(io::require_field(j, "aicc", "arima"), "aicc");
  f.bic = io::double_from_json(io::require_field(j, "bic", "arima"), "bic");
  f.nobs = integer(io::require_field(j, "nobs", "arima"), "nobs");
  f.n_regressors = integer(io::require_field(j, "n_regressors", "arima"), "n_regressors");
  const io::Json& method = io::require_field(j, "method", "arima");
  if (!method.is_string()) throw ModelFormatError("arima model: 'method' must be a string");
  try {
    f.method = enum_from_name<ArimaMethod>(method.get<std::string>(), "method");
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("arima model: {}", e.what()));
  }
  f.phi = io::doubles_from_json(io::require_field(j, "phi", "arima"), "phi");
  f.theta = io::doubles_from_json(io::require_field(j, "theta", "arima"), "theta");
  f.delta = io::doubles_from_json(io::require_field(j, "delta", "arima"), "delta");
  f.state = io::doubles_from_json(io::require_field(j, "state", "arima"), "state");
  f.state_covariance = io::doubles_from_json(io::require_field(j, "state_covariance", "arima"), "state_covariance");
  f.series_length = integer(io::require_field(j, "series_length", "arima"), "series_length");
  const io::Json& note = io::require_field(j, "note", "arima");
  if (!note.is_string()) throw ModelFormatError("arima model: 'note' must be a string");
  f.note = note.get<std::string>();
  // Consistency: the state must fit the polynomials, the coefficients the names.
  const std::size_t r = std::max(f.phi.size(), f.theta.size() + 1);
  if (f.state.size() != r + f.delta.size() || f.state_covariance.size() != f.state.size() * f.state.size()) {
    throw ModelFormatError("arima model: the state does not match the model's polynomials");
  }
  const std::size_t narma = static_cast<std::size_t>(f.order.p + f.order.q + f.order.P + f.order.Q);
  const std::size_t needed = narma + (f.include_mean ? 1 : 0) + (f.include_drift ? 1 : 0) + static_cast<std::size_t>(f.n_regressors);
  if (f.coefficients.size() != needed || f.names.size() != needed) {
    throw ModelFormatError("arima model: the coefficients do not match the order and regressors");
  }
  for (double v : f.state) {
    if (!std::isfinite(v)) throw ModelFormatError("arima model: the state must be finite");
  }
  if (!(f.sigma2 >= 0)) throw ModelFormatError("arima model: sigma2 must be >= 0");
  f.status = Status::make(StatusCode::converged, "loaded from a model file");
  return f;
}

}  // namespace bankquant::forecast
