#include "bankquant/forecast/ets.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/forecast/decomposition.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "ets_kernel.hpp"
#include "series_tools.hpp"

namespace bankquant::forecast {

using detail::EtsData;
using detail::EtsOutputs;
using detail::EtsWork;
using detail::kAlpha;
using detail::kBeta;
using detail::kGamma;
using detail::kLevel;
using detail::kPhi;
using detail::kSlope;
using detail::kSlot0;

std::string EtsComponents::name() const {
  return fmt::format("ETS({},{},{})", enum_name(error), enum_name(trend), enum_name(season));
}

void EtsOptions::validate() const {
  (void)parse_ets_model(model, damped);
  check::integer_at_least("season_length", season_length, 1);
  if (lower.size() != 4) check::fail("lower", fmt::format("expected 4 bounds (alpha, beta, gamma, phi), got {}", lower.size()));
  if (upper.size() != 4) check::fail("upper", fmt::format("expected 4 bounds (alpha, beta, gamma, phi), got {}", upper.size()));
  check::all_finite("lower", lower);
  check::all_finite("upper", upper);
  for (int i = 0; i < 4; ++i) {
    if (!(lower[static_cast<std::size_t>(i)] < upper[static_cast<std::size_t>(i)])) {
      check::fail("lower", fmt::format("expected lower < upper for every parameter, got {} >= {} at position {}",
                                       lower[static_cast<std::size_t>(i)], upper[static_cast<std::size_t>(i)], i));
    }
  }
  for (int i = 0; i < 3; ++i) {
    check::in_closed_range("lower", lower[static_cast<std::size_t>(i)], 0.0, 1.0);
    check::in_closed_range("upper", upper[static_cast<std::size_t>(i)], 0.0, 1.0);
  }
  check::in_closed_range("lower", lower[3], 0.0, 1.0);
  check::in_closed_range("upper", upper[3], 0.0, 1.0);
  if (alpha) check::in_open_range("alpha", *alpha, 0.0, 1.0);
  if (beta) check::in_open_range("beta", *beta, 0.0, 1.0);
  if (gamma) check::in_open_range("gamma", *gamma, 0.0, 1.0);
  if (phi) check::in_closed_range("phi", *phi, 0.0, 1.0);
  if (alpha && beta && *beta > *alpha) {
    check::fail("beta", fmt::format("expected beta <= alpha ({}), got {}", *alpha, *beta));
  }
  if (alpha && gamma && *gamma > 1 - *alpha) {
    check::fail("gamma", fmt::format("expected gamma <= 1 - alpha ({}), got {}", 1 - *alpha, *gamma));
  }
  check::integer_at_least("starts", starts, 1);
  check::integer_at_least("search_evaluations", search_evaluations, 1);
  if (starts > 5) check::fail("starts", fmt::format("expected 1 to 5 searches, got {}", starts));
  optimizer.validate();
}

EtsModelCode parse_ets_model(std::string_view model, std::optional<bool> damped) {
  if (model.size() != 3) {
    check::fail("model", fmt::format("expected three letters (error, trend, season) such as 'ZZZ' or 'MAM', got '{}'",
                                      model));
  }
  EtsModelCode code;
  const char e = model[0], t = model[1], s = model[2];
  if (e == 'Z') {
    code.errors = {EtsError::additive, EtsError::multiplicative};
  } else if (e == 'A' || e == 'M') {
    code.errors = {enum_from_name<EtsError>(std::string(1, e), "model")};
  } else {
    check::fail("model", fmt::format("error type (first letter) must be 'A', 'M' or 'Z', got '{}' in '{}'", e, model));
  }
  if (t == 'M') {
    check::fail("model", fmt::format("multiplicative trends are not offered (R's ets excludes them by default); use "
                                     "'A' with damped=True for a trend that levels off, got '{}'", model));
  }
  if (t != 'N' && t != 'A' && t != 'Z') {
    check::fail("model", fmt::format("trend type (second letter) must be 'N', 'A' or 'Z', got '{}' in '{}'", t, model));
  }
  if (t == 'N' && damped.value_or(false)) {
    check::fail("damped", fmt::format("a damped trend needs a trend, but model '{}' has none", model));
  }
  if (t == 'N' || t == 'Z') {
    if (!damped.value_or(false)) code.trends.push_back(EtsTrend::none);
  }
  if (t == 'A' || t == 'Z') {
    if (!damped.has_value() || *damped) code.trends.push_back(EtsTrend::damped);
    if (!damped.has_value() || !*damped) code.trends.push_back(EtsTrend::additive);
  }
  if (s == 'Z') {
    code.seasons = {EtsSeason::none, EtsSeason::additive, EtsSeason::multiplicative};
  } else if (s == 'N' || s == 'A' || s == 'M') {
    code.seasons = {enum_from_name<EtsSeason>(std::string(1, s), "model")};
  } else {
    check::fail("model", fmt::format("season type (third letter) must be 'N', 'A', 'M' or 'Z', got '{}' in '{}'", s,
                                     model));
  }
  return code;
}

// ---------------------------------------------------------------------------------------------
// Starting values (R's initstate and initparam)

std::vector<double> ets_initial_states(std::span<const double> y_in, EtsTrend trend, EtsSeason season, int m) {
  const std::vector<double> y = detail::interpolate_missing(y_in, "y");
  const int n = static_cast<int>(y.size());
  if (n < 4) check::fail("y", fmt::format("expected at least 4 observations to start an ETS model, got {}", n));
  std::vector<double> seasonal_series;  // y.d$seasonal
  std::vector<double> init_seas;        // s0..s_{m-2}
  std::vector<double> y_sa = y;
  if (season != EtsSeason::none) {
    check::integer_at_least("season_length", m, 2);
    const bool mult = season == EtsSeason::multiplicative;
    if (n < 3 * m) {
      // tslm(y ~ trend + fourier(y, 1)), t = 1..n
      const bool drop_sin = 2 == m;  // sin(pi t) is zero
      const int p = drop_sin ? 3 : 4;
      Eigen::MatrixXd A(n, p);
      Eigen::VectorXd b(n);
      for (int t = 0; t < n; ++t) {
        const double tt = t + 1.0;
        const double w = 2.0 * std::numbers::pi * tt / m;
        A(t, 0) = 1.0;
        A(t, 1) = tt;
        int col = 2;
        if (!drop_sin) A(t, col++) = std::sin(w);
        A(t, col) = std::cos(w);
        b(t) = y[static_cast<std::size_t>(t)];
      }
      const Eigen::VectorXd coef = A.colPivHouseholderQr().solve(b);
      seasonal_series.resize(static_cast<std::size_t>(n));
      for (int t = 0; t < n; ++t) {
        const double line = coef(0) + coef(1) * (t + 1.0);
        seasonal_series[static_cast<std::size_t>(t)] = mult ? y[static_cast<std::size_t>(t)] / line
                                                            : y[static_cast<std::size_t>(t)] - line;
      }
    } else {
      seasonal_series = classical_decomposition(y, m, mult).seasonal;
    }
    // init.seas = rev(seasonal[2:m])
    init_seas.resize(static_cast<std::size_t>(m - 1));
    for (int i = 0; i < m - 1; ++i) init_seas[static_cast<std::size_t>(i)] = seasonal_series[static_cast<std::size_t>(m - 1 - i)];
    if (!mult) {
      for (int t = 0; t < n; ++t) y_sa[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t)] - seasonal_series[static_cast<std::size_t>(t)];
    } else {
      double sum = 0.0;
      for (double& v : init_seas) {
        v = std::max(v, 0.01);
        sum += v;
      }
      if (sum > m) {
        const double denominator = sum + 0.01 * (m - 1);
        for (double& v : init_seas) v /= denominator;
      }
      for (int t = 0; t < n; ++t) {
        y_sa[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t)] / std::max(seasonal_series[static_cast<std::size_t>(t)], 0.01);
      }
    }
  } else {
    m = 1;
  }
  const int maxn = std::min(std::max(10, 2 * m), n);
  std::vector<double> out;
  if (trend == EtsTrend::none) {
    double sum = 0.0;
    for (int t = 0; t < maxn; ++t) sum += y_sa[static_cast<std::size_t>(t)];
    out.push_back(sum / maxn);
  } else {
    // lsfit(1:maxn, y.sa[1:maxn])
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int t = 0; t < maxn; ++t) {
      const double x = t + 1.0, v = y_sa[static_cast<std::size_t>(t)];
      sx += x;
      sy += v;
      sxx += x * x;
      sxy += x * v;
    }
    const double mx = sx / maxn, my = sy / maxn;
    const double slope = (sxy - maxn * mx * my) / (sxx - maxn * mx * mx);
    double l0 = my - slope * mx, b0 = slope;
    if (std::abs(l0 + b0) < 1e-8) {
      l0 *= 1 + 1e-3;
      b0 *= 1 - 1e-3;
    }
    out.push_back(l0);
    out.push_back(b0);
  }
  out.insert(out.end(), init_seas.begin(), init_seas.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Admissibility (R's admissible)

bool ets_admissible(const EtsComponents& c, int m, double alpha, double beta, double gamma, double phi) {
  if (!c.damped()) phi = 1.0;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!c.seasonal()) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (c.has_trend() && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  if (m <= 1) return true;
  if (!c.has_trend()) beta = 0.0;
  if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // Roots of z^{m+1} + (a+b-phi) z^m + (a+b-a phi) z^{m-1} ... + (a+b-a phi+g-1) z + phi(1-a-g):
  // the eigenvalues of its companion matrix must lie in the closed unit disc (R: |root| <= 1 + 1e-10).
  const int degree = m + 1;
  std::vector<double> coef(static_cast<std::size_t>(degree));  // increasing powers, monic term omitted
  coef[0] = phi * (1 - alpha - gamma);
  coef[1] = alpha + beta - alpha * phi + gamma - 1;
  for (int i = 2; i < m; ++i) coef[static_cast<std::size_t>(i)] = alpha + beta - alpha * phi;
  coef[static_cast<std::size_t>(m)] = alpha + beta - phi;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(degree, degree);
  for (int i = 1; i < degree; ++i) companion(i, i - 1) = 1.0;
  for (int i = 0; i < degree; ++i) companion(i, degree - 1) = -coef[static_cast<std::size_t>(i)];
  const Eigen::VectorXcd roots = companion.eigenvalues();
  double largest = 0.0;
  for (Eigen::Index i = 0; i < roots.size(); ++i) largest = std::max(largest, std::abs(roots(i)));
  return largest <= 1 + 1e-10;
}

// ---------------------------------------------------------------------------------------------
// One model: parameters <-> optimiser variables, the search, the fitted record

namespace {

using bankquant::detail::kNaN;
using bankquant::detail::kInf;

struct Problem {
  std::span<const double> y;
  const RowMatrix* X = nullptr;  // may be empty
  int m = 1;
  EtsComponents c;
  const EtsOptions* options = nullptr;
  double scale = 1.0;
  std::vector<double> coef_scale;
  std::vector<double> coef_start;
};

// Steps over which one unit of the scaled initial slope adds one data scale to the level.
constexpr double kTrendSpan = 1.0;
constexpr bool kScaleSlotsByForecast = false;
// Evaluations of each short search in the race between starts.
constexpr int kRaceEvaluations = 20;

// Optimiser variables theta: [alpha][u_beta][v_gamma][phi][l0][b0][s0..s_{m-2}][c...]; the
// smoothing block holds only the free ones, the states only with optimized initialization.
class Parameterization {
 public:
  Parameterization(const Problem& p, std::vector<double> heuristic_states) : p_(p), states_(std::move(heuristic_states)) {
    const EtsOptions& o = *p.options;
    m_ = p.c.seasonal() ? p.m : 1;
    k_ = p.X ? static_cast<int>(p.X->cols()) : 0;
    free_alpha_ = !o.alpha;
    free_beta_ = p.c.has_trend() && !o.beta;
    free_gamma_ = p.c.seasonal() && !o.gamma;
    free_phi_ = p.c.damped() && !o.phi;
    free_states_ = o.initialization == EtsInitialization::optimized;
    for (int i = 0; i < 4; ++i) {
      lo_[i] = o.lower[static_cast<std::size_t>(i)];
      hi_[i] = o.upper[static_cast<std::size_t>(i)];
    }
    // R's etsmodel: a fixed parameter narrows the others' bounds.
    if (o.alpha) {
      hi_[1] = std::min(*o.alpha, hi_[1]);
      hi_[2] = std::min(1 - *o.alpha, hi_[2]);
    }
    if (o.beta && p.c.has_trend()) lo_[0] = std::max(*o.beta, lo_[0]);
    if (o.gamma && p.c.seasonal()) hi_[0] = std::min(1 - *o.gamma, hi_[0]);
    if (lo_[0] > hi_[0]) {
      check::fail("alpha", fmt::format("the fixed beta/gamma leave no room for alpha (bounds [{}, {}])", lo_[0], hi_[0]));
    }
    if (free_beta_ && o.alpha && hi_[1] < lo_[1]) {
      check::fail("beta", fmt::format("alpha = {} is below beta's lower bound {}", *o.alpha, lo_[1]));
    }
    n_smoothing_ = int(free_alpha_) + int(free_beta_) + int(free_gamma_) + int(free_phi_);
    n_states_ = 1 + (p.c.has_trend() ? 1 : 0) + (p.c.seasonal() ? m_ - 1 : 0);
    first_season_ = 1 + (p.c.has_trend() ? 1 : 0);
    mult_season_ = p.c.season == EtsSeason::multiplicative;
    // Variable scales, so that a unit step in theta moves the one-step errors about equally:
    // the level and additive seasons in the data's units; the slope in units per trend_span
    // steps; additive seasons under relative errors in units of that season's forecast.
    state_scale_.assign(static_cast<std::size_t>(n_states_), p.scale);
    if (p.c.has_trend()) state_scale_[1] = p.scale / kTrendSpan;
    if (kScaleSlotsByForecast && p.c.seasonal() && !mult_season_ && p.c.error == EtsError::multiplicative) {
      for (int k = 0; k < m_ - 1; ++k) {
        const double level = states_[0] + states_[static_cast<std::size_t>(first_season_ + k)];
        state_scale_[static_cast<std::size_t>(first_season_ + k)] = std::max(std::abs(level), 0.05 * p.scale);
      }
    }
    size_ = n_smoothing_ + (free_states_ ? n_states_ : 0) + k_;
    natural_size_ = kSlot0 + (p.c.seasonal() ? m_ : 0) + k_;
  }

  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] int natural_size() const { return natural_size_; }
  [[nodiscard]] int free_smoothing() const { return n_smoothing_; }
  [[nodiscard]] int n_states() const { return n_states_; }
  [[nodiscard]] int n_fixed_smoothing() const {
    const EtsOptions& o = *p_.options;
    return int(bool(o.alpha)) + int(p_.c.has_trend() && bool(o.beta)) + int(p_.c.seasonal() && bool(o.gamma)) +
           int(p_.c.damped() && bool(o.phi));
  }

  // Smoothing parameters in natural units from theta.
  void smoothing(const double* theta, double& alpha, double& beta, double& gamma, double& phi, double& u,
                 double& v) const {
    const EtsOptions& o = *p_.options;
    int i = 0;
    alpha = free_alpha_ ? theta[i++] : *o.alpha;
    u = v = 0.0;
    beta = 0.0;
    if (p_.c.has_trend()) {
      if (free_beta_) {
        u = theta[i++];
        beta = lo_[1] + u * (std::min(alpha, hi_[1]) - lo_[1]);
      } else {
        beta = *o.beta;
      }
    }
    gamma = 0.0;
    if (p_.c.seasonal()) {
      if (free_gamma_) {
        v = theta[i++];
        gamma = lo_[2] + v * (std::min(1 - alpha, hi_[2]) - lo_[2]);
      } else {
        gamma = *o.gamma;
      }
    }
    phi = 1.0;
    if (p_.c.damped()) phi = free_phi_ ? theta[i++] : *o.phi;
  }

  // Initial states l, b, s0..s_{m-2} (R's par order, natural units) from theta.
  void states(const double* theta, std::vector<double>& out) const {
    out.resize(static_cast<std::size_t>(n_states_));
    if (!free_states_) {
      std::copy(states_.begin(), states_.end(), out.begin());
      return;
    }
    std::vector<double>& x = scratch_;
    natural(theta, x);
    out[0] = x[kLevel];
    if (p_.c.has_trend()) out[1] = x[kSlope];
    for (int k = 0; k < (p_.c.seasonal() ? m_ - 1 : 0); ++k) {
      out[static_cast<std::size_t>(first_season_ + k)] = x[static_cast<std::size_t>(kSlot0 + m_ - 1 - k)];
    }
  }

  // Natural vector x from theta. Optimised states: l0 and b0 in units of their scales; additive
  // seasonal states likewise with slot_0 closing the sum at 0; multiplicative seasonal states as
  // m exp(t_j) / sum exp(t) with t_0 = 0 (positive, summing to m: R's constraints, built in, and a
  // curvature that does not depend on how small a season is).
  bool natural(const double* theta, std::vector<double>& x) const {
    x.assign(static_cast<std::size_t>(natural_size_), 0.0);
    double u, v;
    smoothing(theta, x[kAlpha], x[kBeta], x[kGamma], x[kPhi], u, v);
    if (!free_states_) {
      x[kLevel] = states_[0];
      if (p_.c.has_trend()) x[kSlope] = states_[1];
      if (p_.c.seasonal()) {
        const bool mult = p_.c.season == EtsSeason::multiplicative;
        double sum = 0.0;
        for (int k = 0; k < m_ - 1; ++k) {
          const double sk = states_[static_cast<std::size_t>(first_season_ + k)];
          x[static_cast<std::size_t>(kSlot0 + m_ - 1 - k)] = sk;
          sum += sk;
        }
        x[kSlot0] = (mult ? m_ : 0.0) - sum;
        if (mult && x[kSlot0] < 0) return false;
      }
    } else {
      const double* t = theta + n_smoothing_;
      x[kLevel] = state_scale_[0] * t[0];
      if (p_.c.has_trend()) x[kSlope] = state_scale_[1] * t[1];
      if (p_.c.seasonal()) {
        if (mult_season_) {
          double top = 0.0;  // stabilise the exponentials
          for (int k = 0; k < m_ - 1; ++k) top = std::max(top, t[first_season_ + k]);
          double sum = std::exp(-top);
          x[kSlot0] = sum;
          for (int k = 0; k < m_ - 1; ++k) {
            const double e = std::exp(t[first_season_ + k] - top);
            x[static_cast<std::size_t>(kSlot0 + m_ - 1 - k)] = e;
            sum += e;
          }
          for (int j = 0; j < m_; ++j) x[static_cast<std::size_t>(kSlot0 + j)] *= m_ / sum;
        } else {
          double sum = 0.0;
          for (int k = 0; k < m_ - 1; ++k) {
            const double sk = state_scale_[static_cast<std::size_t>(first_season_ + k)] * t[first_season_ + k];
            x[static_cast<std::size_t>(kSlot0 + m_ - 1 - k)] = sk;
            sum += sk;
          }
          x[kSlot0] = -sum;
        }
      }
    }
    const int c0 = size_ - k_;
    for (int c = 0; c < k_; ++c) {
      x[static_cast<std::size_t>(natural_size_ - k_ + c)] = p_.coef_scale[static_cast<std::size_t>(c)] * theta[c0 + c];
    }
    return true;
  }

  // d objective / d theta from d objective / d natural.
  void chain(const double* theta, const double* gnat, double* g) const {
    double alpha, beta, gamma, phi, u, v;
    smoothing(theta, alpha, beta, gamma, phi, u, v);
    int i = 0;
    const int ia = free_alpha_ ? i++ : -1;
    const int ib = p_.c.has_trend() && free_beta_ ? i++ : -1;
    const int ig = p_.c.seasonal() && free_gamma_ ? i++ : -1;
    const int ip = p_.c.damped() && free_phi_ ? i++ : -1;
    if (ia >= 0) {
      double d = gnat[kAlpha];
      if (ib >= 0 && alpha < hi_[1]) d += gnat[kBeta] * u;
      if (ig >= 0 && 1 - alpha < hi_[2]) d -= gnat[kGamma] * v;
      g[ia] = d;
    }
    if (ib >= 0) g[ib] = gnat[kBeta] * (std::min(alpha, hi_[1]) - lo_[1]);
    if (ig >= 0) g[ig] = gnat[kGamma] * (std::min(1 - alpha, hi_[2]) - lo_[2]);
    if (ip >= 0) g[ip] = gnat[kPhi];
    if (free_states_) {
      double* gs = g + n_smoothing_;
      gs[0] = gnat[kLevel] * state_scale_[0];
      if (p_.c.has_trend()) gs[1] = gnat[kSlope] * state_scale_[1];
      if (p_.c.seasonal()) {
        if (mult_season_) {
          std::vector<double>& x = scratch_;
          natural(theta, x);
          double mean = 0.0;
          for (int j = 0; j < m_; ++j) mean += gnat[kSlot0 + j] * x[static_cast<std::size_t>(kSlot0 + j)];
          mean /= m_;
          for (int k = 0; k < m_ - 1; ++k) {
            const int j = m_ - 1 - k;
            gs[first_season_ + k] = x[static_cast<std::size_t>(kSlot0 + j)] * (gnat[kSlot0 + j] - mean);
          }
        } else {
          for (int k = 0; k < m_ - 1; ++k) {
            gs[first_season_ + k] =
                (gnat[kSlot0 + m_ - 1 - k] - gnat[kSlot0]) * state_scale_[static_cast<std::size_t>(first_season_ + k)];
          }
        }
      }
    }
    const int c0 = size_ - k_;
    for (int c = 0; c < k_; ++c) {
      g[c0 + c] = gnat[natural_size_ - k_ + c] * p_.coef_scale[static_cast<std::size_t>(c)];
    }
  }

  // Box bounds of theta.
  optimize::Bounds bounds() const {
    optimize::Bounds b;
    if (free_alpha_) push(b, lo_[0], hi_[0]);
    if (p_.c.has_trend() && free_beta_) push(b, 0.0, 1.0);
    if (p_.c.seasonal() && free_gamma_) push(b, 0.0, 1.0);
    if (p_.c.damped() && free_phi_) push(b, lo_[3], hi_[3]);
    if (free_states_) {
      for (int i = 0; i < n_states_; ++i) push(b, -kInf, kInf);
    }
    for (int c = 0; c < k_; ++c) push(b, -kInf, kInf);
    return b;
  }

  // R's start (initparam) with alpha = alpha0 when given; states from R's initstate.
  std::vector<double> start(std::optional<double> alpha0, double gamma_share = 0.05) const {
    std::vector<double> theta;
    double alpha = p_.options->alpha.value_or(0.0);
    if (free_alpha_) {
      alpha = alpha0 ? std::clamp(*alpha0, lo_[0], hi_[0]) : lo_[0] + 0.2 * (hi_[0] - lo_[0]) / m_;
      if (alpha > 1 || alpha < 0) alpha = lo_[0] + 2e-3;
      theta.push_back(alpha);
    }
    if (p_.c.has_trend() && free_beta_) theta.push_back(0.1);
    if (p_.c.seasonal() && free_gamma_) theta.push_back(gamma_share);
    if (p_.c.damped() && free_phi_) theta.push_back(lo_[3] + 0.99 * (hi_[3] - lo_[3]));
    if (free_states_) {
      theta.push_back(states_[0] / state_scale_[0]);
      if (p_.c.has_trend()) theta.push_back(states_[1] / state_scale_[1]);
      if (p_.c.seasonal()) {
        if (mult_season_) {
          // R's start, made positive: slot_0 = m - sum(s0..s_{m-2}), floored at 0.01 like the others.
          double sum = 0.0;
          for (int k = 0; k < m_ - 1; ++k) sum += states_[static_cast<std::size_t>(first_season_ + k)];
          const double s_first = std::max(m_ - sum, 0.01);
          for (int k = 0; k < m_ - 1; ++k) {
            theta.push_back(std::log(std::max(states_[static_cast<std::size_t>(first_season_ + k)], 0.01) / s_first));
          }
        } else {
          for (int k = 0; k < m_ - 1; ++k) {
            theta.push_back(states_[static_cast<std::size_t>(first_season_ + k)] /
                            state_scale_[static_cast<std::size_t>(first_season_ + k)]);
          }
        }
      }
    }
    for (int c = 0; c < k_; ++c) {
      theta.push_back(p_.coef_start[static_cast<std::size_t>(c)] / p_.coef_scale[static_cast<std::size_t>(c)]);
    }
    return theta;
  }

 private:
  static void push(optimize::Bounds& b, double lo, double hi) {
    b.lower.push_back(lo);
    b.upper.push_back(hi);
  }
  const Problem& p_;
  std::vector<double> states_;
  mutable std::vector<double> scratch_;
  std::vector<double> state_scale_;
  int m_ = 1, k_ = 0, n_smoothing_ = 0, n_states_ = 0, size_ = 0, natural_size_ = 0, first_season_ = 1;
  bool mult_season_ = false;
  bool free_alpha_ = true, free_beta_ = false, free_gamma_ = false, free_phi_ = false, free_states_ = true;
  double lo_[4] = {}, hi_[4] = {};
};

// The objective in optimiser variables, divided by the number of observations.
class Objective {
 public:
  Objective(const Problem& p, const Parameterization& map, bool admissible_wall)
      : p_(p), map_(map), wall_(admissible_wall), pass_(detail::ets_pass_for(p.c)) {
    data_.y = p.y.data();
    data_.n = static_cast<int>(p.y.size());
    data_.m = p.c.seasonal() ? p.m : 1;
    data_.X = p.X && p.X->cols() > 0 ? p.X->data() : nullptr;
    data_.k = p.X ? static_cast<int>(p.X->cols()) : 0;
    data_.criterion = p.options->criterion;
    work_.reserve(data_.n, data_.m);
    gnat_.resize(static_cast<std::size_t>(map.natural_size()));
    nobs_ = 0;
    for (double v : p.y) nobs_ += std::isnan(v) ? 0 : 1;
  }

  double operator()(std::span<const double> theta, std::span<double> gradient) {
    ++evaluations_;
    if (!map_.natural(theta.data(), x_)) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return kInf;
    }
    if (wall_ && p_.c.seasonal() &&
        !ets_admissible(p_.c, p_.m, x_[kAlpha], x_[kBeta], x_[kGamma], x_[kPhi])) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return kInf;
    }
    const bool want = !gradient.empty();
    const double value = pass_(data_, x_.data(), want ? gnat_.data() : nullptr, work_, nullptr);
    if (!std::isfinite(value)) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return kInf;
    }
    const double scale = p_.options->criterion == EtsCriterion::likelihood ? 1.0 / nobs_ : 1.0 / (p_.scale * p_.scale);
    if (want) {
      map_.chain(theta.data(), gnat_.data(), gradient.data());
      for (double& g : gradient) g *= scale;
    }
    return value * scale;
  }

  [[nodiscard]] int evaluations() const { return evaluations_; }

 private:
  const Problem& p_;
  const Parameterization& map_;
  bool wall_;
  detail::EtsPassFunction pass_;
  EtsData data_;
  EtsWork work_;
  std::vector<double> x_, gnat_;
  int nobs_ = 0;
  int evaluations_ = 0;
};

struct OneFit {
  EtsFit fit;
  bool ok = false;
  std::string why;
  std::vector<double> theta;  // the optimiser's last point, to continue a capped search
  bool capped = false;        // stopped at the search budget (not at max_evaluations)
};

std::vector<std::string> parameter_names(const EtsComponents& c, int m, const EtsOptions& o, bool with_states) {
  std::vector<std::string> names{"alpha"};
  if (c.has_trend()) names.emplace_back("beta");
  if (c.seasonal()) names.emplace_back("gamma");
  if (c.damped()) names.emplace_back("phi");
  (void)o;
  if (with_states) {
    names.emplace_back("l");
    if (c.has_trend()) names.emplace_back("b");
    if (c.seasonal()) {
      for (int i = 0; i < m - 1; ++i) names.push_back(fmt::format("s{}", i));
    }
  }
  return names;
}

// Fits one model; ok = false (with why) when it cannot be estimated (too many parameters).
// budget: evaluations for this search (the automatic search caps candidates); warm: continue
// from this point instead of racing the starts.
OneFit fit_one(const Problem& p, int budget, const std::vector<double>* warm = nullptr) {
  OneFit result;
  const EtsOptions& o = *p.options;
  const int n = static_cast<int>(p.y.size());
  int nobs = 0;
  for (double v : p.y) nobs += std::isnan(v) ? 0 : 1;
  const auto started = std::chrono::steady_clock::now();
  std::vector<double> y_for_start(p.y.begin(), p.y.end());
  if (p.X && p.X->cols() > 0) {
    for (int t = 0; t < n; ++t) {
      double xb = 0.0;
      for (Eigen::Index c = 0; c < p.X->cols(); ++c) xb += (*p.X)(t, c) * p.coef_start[static_cast<std::size_t>(c)];
      y_for_start[static_cast<std::size_t>(t)] -= xb;
    }
  }
  const std::vector<double> init = ets_initial_states(y_for_start, p.c.trend, p.c.season, p.m);
  Parameterization map(p, init);
  // R: a model with as many parameters as observations (less one) cannot be estimated.
  const int np_free = map.free_smoothing() + map.n_states() + (p.X ? static_cast<int>(p.X->cols()) : 0);
  if (np_free >= nobs - 1) {
    result.why = fmt::format("not estimated: {} parameters for {} observations", np_free, nobs);
    return result;
  }
  optimize::Options oo = o.optimizer;
  oo.max_evaluations = std::min(oo.max_evaluations, budget);
  const optimize::Bounds bounds = map.bounds();
  optimize::Result best;
  best.value = kInf;
  int evaluations = 0;
  std::vector<double> best_theta;
  if (map.size() > 0 && warm != nullptr) {
    Objective objective(p, map, oo.method != optimize::Method::lbfgs && o.bounds == EtsBounds::both);
    best = optimize::minimize(objective, *warm, bounds, oo);
    evaluations += objective.evaluations();
  } else if (map.size() > 0) {
    // Starts: R's (initparam: alpha = 0.2 / m of its range) and alpha on a coarse grid, the other
    // parameters at R's start values; the search runs from the `starts` best of them. The
    // likelihood of seasonal models has local optima (in alpha mostly), which R's single start
    // often ends in; five extra evaluations are cheap next to one search.
    const bool walled = oo.method != optimize::Method::lbfgs && o.bounds == EtsBounds::both;
    Objective scout(p, map, walled);
    std::vector<std::pair<double, std::vector<double>>> starts;
    const std::optional<double> grid[] = {std::nullopt, 0.1, 0.3, 0.5, 0.8};
    const double gamma_shares[] = {0.05, 0.5, 0.95};  // R's start, and gamma near its cap 1 - alpha
    for (const double share : gamma_shares) {
    if (share != gamma_shares[0] && !(p.c.seasonal() && !o.gamma)) break;
    for (const auto& alpha0 : grid) {
      if (alpha0 && o.alpha) break;  // alpha fixed: R's start only
      std::vector<double> theta0 = map.start(alpha0, share);
      std::vector<double> none;
      const double value = scout(theta0, none);
      if (!std::isfinite(value)) continue;  // outside the admissible region
      bool duplicate = false;
      for (const auto& s0 : starts) duplicate = duplicate || s0.second == theta0;
      if (!duplicate) starts.emplace_back(value, std::move(theta0));
    }
    }
    evaluations += scout.evaluations();
    std::stable_sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // A race: a short search from each of the `starts` best starts, then the leader to the end.
    const std::size_t racers = std::min(starts.size(), static_cast<std::size_t>(o.starts));
    std::vector<double> leader;
    double leader_value = kInf;
    optimize::Result leader_result;
    if (racers > 1) {
      optimize::Options heat = oo;
      heat.max_evaluations = std::min(oo.max_evaluations, kRaceEvaluations);
      for (std::size_t s = 0; s < racers; ++s) {
        Objective objective(p, map, walled);
        auto r = optimize::minimize(objective, starts[s].second, bounds, heat);
        evaluations += objective.evaluations();
        if (std::isfinite(r.value) && r.value < leader_value) {
          leader_value = r.value;
          leader = r.x;
          leader_result = std::move(r);
        }
      }
    } else if (racers == 1) {
      leader = starts[0].second;
    }
    if (!leader.empty()) {
      Objective objective(p, map, walled);
      auto r = optimize::minimize(objective, leader, bounds, oo);
      evaluations += objective.evaluations();
      if (r.status.usable() && r.value <= leader_value) {
        best = std::move(r);
      } else if (racers > 1) {
        // The final search could not improve on the leader (Luksan's line search can fail at a
        // point that is already optimal): keep the leader and say so.
        best = std::move(leader_result);
        best.status.message += fmt::format("; the continued search ended with: {}", r.status.message);
      } else if (r.status.usable()) {
        best = std::move(r);
      }
    }
  }
  if (map.size() > 0 && !best.status.usable() && best.x.size() == static_cast<std::size_t>(map.size()) && std::isfinite(best.value)) {
    // L-BFGS failed outright (NLopt's FAILURE: a spike can make the gradient useless): R's own
    // method, Nelder-Mead, from where it stopped.
    optimize::Options nm = oo;
    nm.method = optimize::Method::nelder_mead;
    Objective plain(p, map, o.bounds == EtsBounds::both);
    auto again = optimize::minimize(plain, best.x, bounds, nm);
    evaluations += plain.evaluations();
    if (std::isfinite(again.value) && again.value <= best.value + 1e-9 * std::abs(best.value) && again.status.usable()) {
      best = std::move(again);
      best.status.message += " (Nelder-Mead after L-BFGS failed)";
    }
  }
  if (map.size() > 0) {
    if (!std::isfinite(best.value)) {
      result.why = "not estimated: the objective is not finite at the start values";
      return result;
    }
    // An L-BFGS optimum outside the admissible region: search again inside it (R's rule).
    if (o.bounds == EtsBounds::both && p.c.seasonal()) {
      std::vector<double> x;
      map.natural(best.x.data(), x);
      if (!ets_admissible(p.c, p.m, x[kAlpha], x[kBeta], x[kGamma], x[kPhi])) {
        Objective walled(p, map, true);
        std::vector<double> theta0 = map.start(std::nullopt);
        std::vector<double> g0;
        if (std::isfinite(walled(theta0, g0))) {
          optimize::Options nm = oo;
          nm.method = optimize::Method::nelder_mead;
          auto r = optimize::minimize(walled, theta0, bounds, nm);
          evaluations += walled.evaluations();
          best = std::move(r);
          best.status.message += " (re-searched inside the admissible region)";
        } else {
          result.why = "not estimated: no admissible start";
          return result;
        }
      }
    }
    best_theta = best.x;
  } else {
    best.status = Status::make(StatusCode::converged, "all parameters fixed");
  }

  // The fitted record.
  std::vector<double> x;
  if (!map.natural(best_theta.data(), x)) {
    result.why = "not estimated: negative multiplicative seasonal state";
    return result;
  }
  EtsFit& f = result.fit;
  f.components = p.c;
  f.model_name = p.c.name();
  const int m = p.c.seasonal() ? p.m : 1;
  f.season_length = p.c.seasonal() ? p.m : 1;
  f.alpha = x[kAlpha];
  f.beta = p.c.has_trend() ? x[kBeta] : 0.0;
  f.gamma = p.c.seasonal() ? x[kGamma] : 0.0;
  f.phi = p.c.has_trend() ? x[kPhi] : 1.0;
  EtsData d;
  d.y = p.y.data();
  d.n = n;
  d.m = m;
  d.X = p.X && p.X->cols() > 0 ? p.X->data() : nullptr;
  d.k = p.X ? static_cast<int>(p.X->cols()) : 0;
  d.criterion = EtsCriterion::likelihood;
  EtsWork w;
  w.reserve(n, m);
  f.fitted.resize(static_cast<std::size_t>(n));
  f.residuals.resize(static_cast<std::size_t>(n));
  std::vector<double> last(static_cast<std::size_t>(2 + (p.c.seasonal() ? m : 0)));
  EtsOutputs out{f.fitted.data(), f.residuals.data(), last.data()};
  const double lik = detail::ets_pass_for(p.c)(d, x.data(), nullptr, w, &out);
  // States as R: l, [b], s1..sm with s1 the most recent.
  auto states_of = [&](const double* l_b_slots_first, bool slots_are_next_first) {
    std::vector<double> s;
    s.push_back(l_b_slots_first[0]);
    if (p.c.has_trend()) s.push_back(l_b_slots_first[1]);
    if (p.c.seasonal()) {
      // slots in use order (next first): s_m = next used, s1 = most recent = last in use order.
      for (int i = 0; i < m; ++i) s.push_back(l_b_slots_first[2 + (m - 1 - i)]);
    }
    (void)slots_are_next_first;
    return s;
  };
  std::vector<double> first(static_cast<std::size_t>(2 + (p.c.seasonal() ? m : 0)));
  first[0] = x[kLevel];
  first[1] = p.c.has_trend() ? x[kSlope] : 0.0;
  for (int i = 0; i < (p.c.seasonal() ? m : 0); ++i) first[static_cast<std::size_t>(2 + i)] = x[static_cast<std::size_t>(kSlot0 + i)];
  f.initial_state = states_of(first.data(), true);
  f.last_state = states_of(last.data(), true);
  const int k = d.k;
  for (int c = 0; c < k; ++c) f.coefficients.push_back(x[static_cast<std::size_t>(map.natural_size() - k + c)]);
  // R's par: free (then fixed) smoothing parameters and the free initial states.
  f.names = parameter_names(p.c, m, o, true);
  f.params.push_back(f.alpha);
  if (p.c.has_trend()) f.params.push_back(f.beta);
  if (p.c.seasonal()) f.params.push_back(f.gamma);
  if (p.c.damped()) f.params.push_back(f.phi);
  std::vector<double> states;
  map.states(best_theta.data(), states);
  f.params.insert(f.params.end(), states.begin(), states.end());
  for (int c = 0; c < k; ++c) {
    f.names.push_back(fmt::format("x{}", c));
    f.params.push_back(f.coefficients[static_cast<std::size_t>(c)]);
  }
  f.nobs = w.nobs;
  const double r_lik = w.nobs * std::log(w.sse) + (p.c.error == EtsError::multiplicative ? 2.0 * w.sum_log : 0.0);
  (void)lik;
  const double constant = 0.5 * w.nobs * (1.0 + std::log(2.0 * std::numbers::pi / w.nobs));
  f.log_likelihood = -0.5 * r_lik - constant;
  const int np = map.free_smoothing() + map.n_states() + k + 1;
  f.n_parameters = np;
  f.aic = -2.0 * f.log_likelihood + 2.0 * np;
  f.bic = -2.0 * f.log_likelihood + std::log(static_cast<double>(w.nobs)) * np;
  f.aicc = w.nobs - np - 1 > 0 ? f.aic + 2.0 * np * (np + 1.0) / (w.nobs - np - 1.0) : kInf;
  const int np_total = np - 1 + map.n_fixed_smoothing();
  f.sigma2 = w.nobs - np_total > 0 ? w.sse / (w.nobs - np_total) : kNaN;
  f.mse = w.sum_sq / w.nobs;
  f.status = best.status;
  f.status.evaluations = std::max(f.status.evaluations, evaluations);
  result.theta = best_theta;
  result.capped = best.status.code == StatusCode::iteration_limit && budget < o.optimizer.max_evaluations;
  f.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.ok = std::isfinite(f.log_likelihood);
  if (!result.ok) result.why = "not estimated: the likelihood is not finite at the optimum";
  return result;
}

double information_criterion(const EtsFit& f, InformationCriterion ic) {
  switch (ic) {
    case InformationCriterion::aic: return f.aic;
    case InformationCriterion::bic: return f.bic;
    case InformationCriterion::aicc: return f.aicc;
  }
  return f.aicc;
}

int parameter_count(const EtsComponents& c, int m) {
  // R's npars for the n <= npars + 4 rule: 2 + 2 (trend) + m (season) + damped.
  return 2 + (c.has_trend() ? 2 : 0) + (c.seasonal() ? m : 0) + (c.damped() ? 1 : 0);
}

}  // namespace

double ets_objective(std::span<const double> y, const EtsComponents& c, int m, double alpha, double beta, double gamma,
                     double phi, std::span<const double> initial_state) {
  check::not_empty("y", y.size());
  const int mm = c.seasonal() ? m : 1;
  const std::size_t expected = 1 + (c.has_trend() ? 1 : 0) + (c.seasonal() ? static_cast<std::size_t>(mm) : 0);
  if (initial_state.size() != expected) {
    check::fail("initial_state", fmt::format("expected {} values (l, b, s1..sm), got {}", expected, initial_state.size()));
  }
  std::vector<double> x(static_cast<std::size_t>(kSlot0 + (c.seasonal() ? mm : 0)), 0.0);
  x[kAlpha] = alpha;
  x[kBeta] = beta;
  x[kGamma] = gamma;
  x[kPhi] = c.damped() ? phi : 1.0;
  x[kLevel] = initial_state[0];
  if (c.has_trend()) x[kSlope] = initial_state[1];
  const std::size_t s0 = 1 + (c.has_trend() ? 1 : 0);
  // R's s1..sm: s_m is used first (slot 0), s1 last (slot m-1).
  for (int i = 0; i < (c.seasonal() ? mm : 0); ++i) {
    x[static_cast<std::size_t>(kSlot0 + i)] = initial_state[s0 + static_cast<std::size_t>(mm - 1 - i)];
  }
  EtsData d;
  d.y = y.data();
  d.n = static_cast<int>(y.size());
  d.m = mm;
  EtsWork w;
  w.reserve(d.n, mm);
  return detail::ets_pass_for(c)(d, x.data(), nullptr, w, nullptr);
}

EtsFit fit_ets(std::span<const double> y, const EtsOptions& options, const Eigen::Ref<const RowMatrix>& xreg) {
  options.validate();
  const EtsModelCode code = parse_ets_model(options.model, options.damped);
  check::not_empty("y", y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isinf(y[i])) check::fail("y", fmt::format("expected finite values or NaN for missing ones, found {} at index {}", y[i], i));
  }
  const int n = static_cast<int>(y.size());
  int nobs = 0;
  double min_y = kInf, max_y = -kInf, sum_abs = 0.0;
  for (double v : y) {
    if (std::isnan(v)) continue;
    ++nobs;
    min_y = std::min(min_y, v);
    max_y = std::max(max_y, v);
    sum_abs += std::abs(v);
  }
  if (nobs < 5) check::fail("y", fmt::format("expected at least 5 observed values for an ETS model, got {}", nobs));
  RowMatrix X;
  if (xreg.size() > 0) {
    if (xreg.rows() != n) {
      check::fail("xreg", fmt::format("expected one row per observation ({}), got {}", n, xreg.rows()));
    }
    check::all_finite("xreg", xreg);
    X = xreg;
  }
  const int m = options.season_length;
  std::string note;
  std::vector<EtsSeason> seasons = code.seasons;
  const bool season_asked = std::find(seasons.begin(), seasons.end(), EtsSeason::none) == seasons.end();
  if (m == 1) {
    if (season_asked) {
      check::fail("model", fmt::format("a seasonal model ('{}') needs season_length > 1", options.model));
    }
    seasons = {EtsSeason::none};
  } else if (n < 2 * m) {
    if (season_asked) {
      check::fail("y", fmt::format("a seasonal model needs at least two full seasons (2 x season_length = {} "
                                   "observations), got {}", 2 * m, n));
    }
    seasons = {EtsSeason::none};
    note = fmt::format("season dropped: {} observations are fewer than two seasons of {}", n, m);
  }
  const bool positive = min_y > 0;
  std::vector<EtsError> errors = code.errors;
  if (!positive) {
    const bool only_mult = std::all_of(errors.begin(), errors.end(), [](EtsError e) { return e == EtsError::multiplicative; });
    if (only_mult) {
      check::fail("model", fmt::format("multiplicative errors need positive data, but min(y) = {}", min_y));
    }
    if (!season_asked || seasons.size() > 1) {
      seasons.erase(std::remove(seasons.begin(), seasons.end(), EtsSeason::multiplicative), seasons.end());
    } else if (seasons.size() == 1 && seasons[0] == EtsSeason::multiplicative) {
      check::fail("model", fmt::format("multiplicative seasons need positive data, but min(y) = {}", min_y));
    }
  }

  Problem p;
  p.y = y;
  p.X = X.size() > 0 ? &X : nullptr;
  p.m = m;
  p.options = &options;
  p.scale = nobs > 0 && sum_abs > 0 ? sum_abs / nobs : 1.0;
  if (p.X) {
    // Starting coefficients by least squares of y on [1, t, X] (observed rows); variables scaled
    // so that one unit moves the fit by about the data's scale.
    const int k = static_cast<int>(X.cols());
    std::vector<int> rows;
    for (int t = 0; t < n; ++t) {
      if (!std::isnan(y[static_cast<std::size_t>(t)])) rows.push_back(t);
    }
    Eigen::MatrixXd A(static_cast<Eigen::Index>(rows.size()), k + 2);
    Eigen::VectorXd b(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const auto i = static_cast<Eigen::Index>(r);
      A(i, 0) = 1.0;
      A(i, 1) = rows[r];
      for (int c = 0; c < k; ++c) A(i, 2 + c) = X(rows[r], c);
      b(i) = y[static_cast<std::size_t>(rows[r])];
    }
    const Eigen::VectorXd coef = A.colPivHouseholderQr().solve(b);
    for (int c = 0; c < k; ++c) {
      const Eigen::VectorXd col = X.col(c);
      const double sd = std::sqrt((col.array() - col.mean()).square().mean());
      if (!(sd > 0)) check::fail("xreg", fmt::format("column {} is constant; a constant is already in the level", c));
      p.coef_scale.push_back(p.scale / sd);
      p.coef_start.push_back(std::isfinite(coef(2 + c)) ? coef(2 + c) : 0.0);
    }
  }

  // A constant series: R fits simple exponential smoothing with alpha = 0.99999 (ses(initial =
  // "simple")); the innovations are all zero.
  if (max_y == min_y) {
    EtsFit f;
    f.components = {EtsError::additive, EtsTrend::none, EtsSeason::none};
    f.model_name = f.components.name();
    f.alpha = 0.99999;
    f.names = {"alpha", "l"};
    f.params = {f.alpha, min_y};
    f.initial_state = {min_y};
    f.last_state = {min_y};
    f.fitted.assign(static_cast<std::size_t>(n), min_y);
    f.residuals.assign(static_cast<std::size_t>(n), 0.0);
    for (int t = 0; t < n; ++t) {
      if (std::isnan(y[static_cast<std::size_t>(t)])) f.residuals[static_cast<std::size_t>(t)] = kNaN;
    }
    f.nobs = nobs;
    f.n_parameters = 3;
    f.log_likelihood = kInf;
    f.aic = f.aicc = f.bic = -kInf;
    f.sigma2 = 0.0;
    f.mse = 0.0;
    f.coefficients.assign(p.X ? static_cast<std::size_t>(X.cols()) : 0, 0.0);
    f.note = fmt::format("constant series (every value {}): simple exponential smoothing with alpha = 0.99999, "
                         "zero forecast variance (R's ets does the same)", min_y);
    f.status = Status::make(StatusCode::converged, "constant series");
    return f;
  }

  EtsFit best;
  double best_ic = kInf;
  bool found = false;
  std::vector<double> best_theta;
  bool best_capped = false;
  std::size_t n_candidates = 0;
  for (EtsError e : errors) {
    for ([[maybe_unused]] EtsTrend t : code.trends) {
      for (EtsSeason s : seasons) {
        const bool skip = (options.restrict && e == EtsError::additive && s == EtsSeason::multiplicative) ||
                          (!positive && e == EtsError::multiplicative);
        n_candidates += skip ? 0 : 1;
      }
    }
  }
  const bool several = n_candidates > 1;
  std::vector<EtsCandidate> candidates;
  std::string skipped_for_length;
  for (EtsError e : errors) {
    for (EtsTrend t : code.trends) {
      for (EtsSeason s : seasons) {
        if (options.restrict && e == EtsError::additive && s == EtsSeason::multiplicative) continue;
        if (!positive && e == EtsError::multiplicative) continue;
        EtsComponents c{e, t, s};
        EtsCandidate cand;
        cand.model = c.name();
        if (nobs <= parameter_count(c, m) + 4) {
          cand.status = fmt::format("skipped: {} observations, too few for {} parameters (R's rule n > npars + 4)",
                                    nobs, parameter_count(c, m));
          cand.log_likelihood = cand.aic = cand.aicc = cand.bic = kNaN;
          candidates.push_back(cand);
          if (skipped_for_length.empty()) skipped_for_length = cand.model;
          continue;
        }
        p.c = c;
        OneFit one = fit_one(p, several ? options.search_evaluations : options.optimizer.max_evaluations);
        if (!one.ok) {
          cand.status = one.why;
          cand.log_likelihood = cand.aic = cand.aicc = cand.bic = kNaN;
          candidates.push_back(cand);
          continue;
        }
        cand.log_likelihood = one.fit.log_likelihood;
        cand.aic = one.fit.aic;
        cand.aicc = one.fit.aicc;
        cand.bic = one.fit.bic;
        cand.status = std::string(enum_name(one.fit.status.code));
        candidates.push_back(cand);
        const double ic = information_criterion(one.fit, options.ic);
        if (!std::isnan(ic) && ic < best_ic) {
          best_ic = ic;
          best = std::move(one.fit);
          best_theta = std::move(one.theta);
          best_capped = one.capped;
          found = true;
        }
      }
    }
  }
  // The winner's search, if the candidate budget stopped it, goes on to the end.
  if (found && best_capped) {
    p.c = best.components;
    OneFit one = fit_one(p, options.optimizer.max_evaluations, &best_theta);
    if (one.ok && one.fit.log_likelihood >= best.log_likelihood) {
      one.fit.status.evaluations += best.status.evaluations;
      best = std::move(one.fit);
      for (auto& cand : candidates) {
        if (cand.model == best.model_name) {
          cand.log_likelihood = best.log_likelihood;
          cand.aic = best.aic;
          cand.aicc = best.aicc;
          cand.bic = best.bic;
          cand.status = std::string(enum_name(best.status.code));
        }
      }
    }
  }
  if (!found) {
    std::string why;
    for (const auto& c : candidates) why += fmt::format("; {}: {}", c.model, c.status);
    check::fail("y", fmt::format("no ETS model could be fitted to {} observations{}", nobs, why));
  }
  if (!skipped_for_length.empty()) {
    const std::string extra = fmt::format("models with too many parameters for {} observations were skipped (first: {})",
                                          nobs, skipped_for_length);
    note = note.empty() ? extra : note + "; " + extra;
  }
  best.candidates = std::move(candidates);
  best.note = note;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Forecasts

namespace {

// Point forecasts from a state l, b, s1..sm (R's etsforecast).
std::vector<double> point_forecasts(const EtsFit& f, int h) {
  const auto& x = f.last_state;
  const bool trend = f.components.has_trend();
  const int m = f.components.seasonal() ? f.season_length : 1;
  const double l = x[0], b = trend ? x[1] : 0.0;
  const std::size_t s0 = trend ? 2 : 1;
  std::vector<double> out(static_cast<std::size_t>(h));
  double phistar = f.phi;
  for (int i = 0; i < h; ++i) {
    double v = trend ? l + phistar * b : l;
    if (f.components.seasonal()) {
      const int j = m - 1 - (i % m);  // R: s[j], j = m - 1 - i wrapped; s[0] = s1
      const double s = x[s0 + static_cast<std::size_t>(j)];
      v = f.components.season == EtsSeason::additive ? v + s : v * s;
    }
    out[static_cast<std::size_t>(i)] = v;
    phistar += std::pow(f.phi, i + 2);
    if (!f.components.damped()) phistar = i + 2.0;
  }
  return out;
}

// c_j = alpha + beta phi_j + gamma [j mod m == 0], phi_j = phi + ... + phi^j (Hyndman et al. 2008,
// Table 6.2; R's class1 computes the same through F^j).
std::vector<double> psi_weights(const EtsFit& f, int h) {
  std::vector<double> c(static_cast<std::size_t>(std::max(h - 1, 0)));
  double phij = 0.0, power = 1.0;
  for (int j = 1; j < h; ++j) {
    power *= f.phi;
    phij += f.components.damped() ? power : 1.0;
    double v = f.alpha;
    if (f.components.has_trend()) v += f.beta * phij;
    if (f.components.seasonal() && j % f.season_length == 0) v += f.gamma;
    c[static_cast<std::size_t>(j - 1)] = v;
  }
  return c;
}

// R's class3: M errors with M seasons (Hyndman et al. 2008, section 6.3), Kronecker form.
void class3_moments(const EtsFit& f, int h, std::vector<double>& mu, std::vector<double>& var) {
  const int m = f.season_length;
  const bool trend = f.components.has_trend();
  const int r = trend ? 2 : 1;
  const double s2 = f.sigma2;
  const auto& x = f.last_state;
  Eigen::MatrixXd H1 = Eigen::MatrixXd::Ones(1, r);
  if (trend) H1(0, 1) = f.phi;  // l + phi b (R's class3 writes 1 here, ignoring damping)
  Eigen::MatrixXd H2 = Eigen::MatrixXd::Zero(1, m);
  H2(0, m - 1) = 1.0;
  Eigen::MatrixXd F1(r, r), G1(r, r);
  if (trend) {
    F1 << 1.0, f.phi, 0.0, f.phi;
    G1 << f.alpha, f.alpha * f.phi, f.beta, f.beta * f.phi;
  } else {
    F1 << 1.0;
    G1 << f.alpha;
  }
  Eigen::MatrixXd F2 = Eigen::MatrixXd::Zero(m, m);
  F2(0, m - 1) = 1.0;
  for (int i = 1; i < m; ++i) F2(i, i - 1) = 1.0;
  Eigen::MatrixXd G2 = Eigen::MatrixXd::Zero(m, m);
  G2(0, m - 1) = f.gamma;
  Eigen::MatrixXd Mh(r, m);
  for (int i = 0; i < r; ++i) {
    for (int j = 0; j < m; ++j) Mh(i, j) = x[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(r + j)];
  }
  auto kron = [](const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) {
    Eigen::MatrixXd K(A.rows() * B.rows(), A.cols() * B.cols());
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      for (Eigen::Index j = 0; j < A.cols(); ++j) K.block(i * B.rows(), j * B.cols(), B.rows(), B.cols()) = A(i, j) * B;
    }
    return K;
  };
  const Eigen::MatrixXd H21 = kron(H2, H1), F21 = kron(F2, F1), G21 = kron(G2, G1);
  const Eigen::MatrixXd K = kron(G2, F1) + kron(F2, G1);
  const Eigen::Index dim = Mh.size();
  Eigen::MatrixXd Vh = Eigen::MatrixXd::Zero(dim, dim);
  mu.resize(static_cast<std::size_t>(h));
  var.resize(static_cast<std::size_t>(h));
  for (int i = 0; i < h; ++i) {
    mu[static_cast<std::size_t>(i)] = (H1 * Mh * H2.transpose())(0, 0);
    var[static_cast<std::size_t>(i)] =
        (1 + s2) * (H21 * Vh * H21.transpose())(0, 0) + s2 * mu[static_cast<std::size_t>(i)] * mu[static_cast<std::size_t>(i)];
    const Eigen::Map<const Eigen::VectorXd> vec(Mh.data(), dim);  // column-major vec, as R's c()
    const Eigen::MatrixXd vv = vec * vec.transpose();
    const Eigen::MatrixXd Vnew = F21 * Vh * F21.transpose() +
                                 s2 * (F21 * Vh * G21.transpose() + G21 * Vh * F21.transpose() +
                                       K * (Vh + vv) * K.transpose() + s2 * G21 * (3 * Vh + 2 * vv) * G21.transpose());
    Vh = Vnew;
    Mh = (F1 * Mh * F2.transpose() + G1 * Mh * G2.transpose() * s2).eval();
  }
}

// Hyndman-Fan type 8 sample quantile of sorted values (R's quantile(type = 8)).
double quantile_type8(const std::vector<double>& sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  const double h = (n + 1.0 / 3.0) * p + 1.0 / 3.0;
  if (h <= 1) return sorted.front();
  if (h >= n) return sorted.back();
  const auto lo = static_cast<std::size_t>(std::floor(h)) - 1;
  const double frac = h - std::floor(h);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace

RowMatrix EtsFit::simulate(int h, const EtsSimulation& simulation, const Eigen::Ref<const RowMatrix>& xreg) const {
  check::integer_at_least("h", h, 1);
  check::integer_at_least("paths", simulation.paths, 1);
  if (!std::isfinite(sigma2)) check::fail("model", "the innovation variance is not finite: cannot simulate");
  const std::size_t k = coefficients.size();
  if (k > 0 && (xreg.rows() != h || static_cast<std::size_t>(xreg.cols()) != k)) {
    check::fail("xreg", fmt::format("expected future regressors of shape ({}, {}), got ({}, {})", h, k, xreg.rows(),
                                    xreg.cols()));
  }
  const bool trend = components.has_trend(), seasonal = components.seasonal();
  const bool mult_e = components.error == EtsError::multiplicative;
  const int m = seasonal ? season_length : 1;
  const double sd = std::sqrt(sigma2);
  RowMatrix paths(simulation.paths, h);
  // Chunks of 256 paths, chunk c drawing from Philox stream c: identical for every thread count.
  constexpr std::size_t kChunk = 256;
  const std::size_t total = static_cast<std::size_t>(simulation.paths);
  for (std::size_t c = 0; c * kChunk < total; ++c) {
    RandomStream rng(simulation.seed, c);
    const std::size_t end = std::min(total, (c + 1) * kChunk);
    std::vector<double> slots(static_cast<std::size_t>(m));
    for (std::size_t path = c * kChunk; path < end; ++path) {
      double l = last_state[0], b = trend ? last_state[1] : 0.0;
      const std::size_t s0 = trend ? 2 : 1;
      for (int j = 0; j < (seasonal ? m : 0); ++j) slots[static_cast<std::size_t>(j)] = last_state[s0 + static_cast<std::size_t>(m - 1 - j)];
      int j = 0;
      for (int t = 0; t < h; ++t) {
        const double s = seasonal ? slots[static_cast<std::size_t>(j)] : 0.0;
        const double phib = trend ? phi * b : 0.0;
        const double q = l + phib;
        double fc = q;
        if (components.season == EtsSeason::additive) fc = q + s;
        if (components.season == EtsSeason::multiplicative) fc = q * s;
        double e = rng.normal() * sd;
        if (mult_e) e = std::max(-1.0, e);
        const double y = mult_e ? fc * (1 + e) : fc + e;
        double p = y;
        if (components.season == EtsSeason::additive) p = y - s;
        if (components.season == EtsSeason::multiplicative) p = std::abs(s) < detail::kEtsTol ? detail::kEtsHuge : y / s;
        const double l_new = q + alpha * (p - q);
        if (trend) b = phib + beta * (p - q);
        if (seasonal) {
          const double tt = components.season == EtsSeason::additive ? y - q
                            : std::abs(q) < detail::kEtsTol       ? detail::kEtsHuge
                                                                  : y / q;
          slots[static_cast<std::size_t>(j)] = s + gamma * (tt - s);
          if (++j == m) j = 0;
        }
        l = l_new;
        double xb = 0.0;
        for (std::size_t cc = 0; cc < k; ++cc) xb += xreg(t, static_cast<Eigen::Index>(cc)) * coefficients[cc];
        paths(static_cast<Eigen::Index>(path), t) = y + xb;
      }
    }
  }
  return paths;
}

Forecast EtsFit::forecast(int h, std::span<const double> levels_in, const Eigen::Ref<const RowMatrix>& xreg,
                          const EtsSimulation& simulation) const {
  check::integer_at_least("h", h, 1);
  const std::vector<double> levels = checked_levels(levels_in);
  const std::size_t k = coefficients.size();
  if (k > 0 && (xreg.rows() != h || static_cast<std::size_t>(xreg.cols()) != k)) {
    check::fail("xreg", fmt::format("the model has {} exogenous regressors: expected future values of shape ({}, {}), "
                                    "got ({}, {})", k, h, k, xreg.rows(), xreg.cols()));
  }
  if (k > 0) check::all_finite("xreg", xreg);
  Forecast out;
  out.model = model_name;
  out.mean = point_forecasts(*this, h);
  out.variance.assign(static_cast<std::size_t>(h), kNaN);
  const EtsComponents& c = components;
  const bool additive_parts = c.season != EtsSeason::multiplicative;
  bool simulated = false;
  if (sigma2 == 0.0) {
    out.variance.assign(static_cast<std::size_t>(h), 0.0);
  } else if (c.error == EtsError::additive && additive_parts) {
    const auto cj = psi_weights(*this, h);
    double acc = 1.0;
    for (int i = 0; i < h; ++i) {
      if (i > 0) acc += cj[static_cast<std::size_t>(i - 1)] * cj[static_cast<std::size_t>(i - 1)];
      out.variance[static_cast<std::size_t>(i)] = sigma2 * acc;
    }
  } else if (c.error == EtsError::multiplicative && additive_parts) {
    const auto cj = psi_weights(*this, h);
    std::vector<double> theta(static_cast<std::size_t>(h));
    for (int j = 0; j < h; ++j) {
      double sum = 0.0;
      for (int i = 1; i <= j; ++i) sum += cj[static_cast<std::size_t>(i - 1)] * cj[static_cast<std::size_t>(i - 1)] * theta[static_cast<std::size_t>(j - i)];
      theta[static_cast<std::size_t>(j)] = out.mean[static_cast<std::size_t>(j)] * out.mean[static_cast<std::size_t>(j)] + sigma2 * sum;
      out.variance[static_cast<std::size_t>(j)] =
          (1 + sigma2) * theta[static_cast<std::size_t>(j)] - out.mean[static_cast<std::size_t>(j)] * out.mean[static_cast<std::size_t>(j)];
    }
  } else if (c.error == EtsError::multiplicative && season_length <= 24) {
    std::vector<double> mu;
    class3_moments(*this, h, mu, out.variance);
    out.mean = mu;
  } else {
    simulated = true;
  }
  for (int i = 0; i < h; ++i) {
    double xb = 0.0;
    for (std::size_t cc = 0; cc < k; ++cc) xb += xreg(i, static_cast<Eigen::Index>(cc)) * coefficients[cc];
    out.mean[static_cast<std::size_t>(i)] += xb;
  }
  if (!simulated) {
    set_normal_intervals(out, levels);
    return out;
  }
  const RowMatrix paths = simulate(h, simulation, xreg);
  out.levels = levels;
  out.lower.assign(levels.size(), std::vector<double>(static_cast<std::size_t>(h)));
  out.upper.assign(levels.size(), std::vector<double>(static_cast<std::size_t>(h)));
  std::vector<double> column(static_cast<std::size_t>(paths.rows()));
  for (int t = 0; t < h; ++t) {
    double sum = 0.0, sum2 = 0.0;
    for (Eigen::Index r = 0; r < paths.rows(); ++r) {
      column[static_cast<std::size_t>(r)] = paths(r, t);
      sum += paths(r, t);
    }
    const double mean = sum / static_cast<double>(paths.rows());
    for (double v : column) sum2 += (v - mean) * (v - mean);
    out.variance[static_cast<std::size_t>(t)] = paths.rows() > 1 ? sum2 / static_cast<double>(paths.rows() - 1) : 0.0;
    std::sort(column.begin(), column.end());
    for (std::size_t l = 0; l < levels.size(); ++l) {
      out.lower[l][static_cast<std::size_t>(t)] = quantile_type8(column, 0.5 - levels[l] / 200.0);
      out.upper[l][static_cast<std::size_t>(t)] = quantile_type8(column, 0.5 + levels[l] / 200.0);
    }
  }
  out.interval_method = IntervalMethod::simulated;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Model files

io::Json EtsFit::to_json() const {
  io::Json j;
  j["error"] = std::string(enum_name(components.error));
  j["trend"] = std::string(enum_name(components.trend));
  j["season"] = std::string(enum_name(components.season));
  j["season_length"] = season_length;
  j["alpha"] = io::json_from_double(alpha);
  j["beta"] = io::json_from_double(beta);
  j["gamma"] = io::json_from_double(gamma);
  j["phi"] = io::json_from_double(phi);
  j["names"] = names;
  j["params"] = io::json_from_doubles(params);
  j["initial_state"] = io::json_from_doubles(initial_state);
  j["last_state"] = io::json_from_doubles(last_state);
  j["coefficients"] = io::json_from_doubles(coefficients);
  j["log_likelihood"] = io::json_from_double(log_likelihood);
  j["aic"] = io::json_from_double(aic);
  j["aicc"] = io::json_from_double(aicc);
  j["bic"] = io::json_from_double(bic);
  j["sigma2"] = io::json_from_double(sigma2);
  j["mse"] = io::json_from_double(mse);
  j["nobs"] = nobs;
  j["n_parameters"] = n_parameters;
  j["note"] = note;
  return j;
}

EtsFit EtsFit::from_json(const io::Json& j) {
  EtsFit f;
  auto text = [&](const char* key) {
    const io::Json& v = io::require_field(j, key, "ets");
    if (!v.is_string()) throw ModelFormatError(fmt::format("ets model: field '{}' must be a string", key));
    return v.get<std::string>();
  };
  auto integer = [&](const char* key) {
    const io::Json& v = io::require_field(j, key, "ets");
    if (!v.is_number_integer()) throw ModelFormatError(fmt::format("ets model: field '{}' must be an integer", key));
    return v.get<int>();
  };
  try {
    f.components.error = enum_from_name<EtsError>(text("error"), "error");
    f.components.trend = enum_from_name<EtsTrend>(text("trend"), "trend");
    f.components.season = enum_from_name<EtsSeason>(text("season"), "season");
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("ets model: {}", e.what()));
  }
  f.model_name = f.components.name();
  f.season_length = integer("season_length");
  if (f.season_length < 1 || (f.components.seasonal() && f.season_length < 2)) {
    throw ModelFormatError(fmt::format("ets model: season_length {} does not fit the model", f.season_length));
  }
  f.alpha = io::double_from_json(io::require_field(j, "alpha", "ets"), "alpha");
  f.beta = io::double_from_json(io::require_field(j, "beta", "ets"), "beta");
  f.gamma = io::double_from_json(io::require_field(j, "gamma", "ets"), "gamma");
  f.phi = io::double_from_json(io::require_field(j, "phi", "ets"), "phi");
  const io::Json& names = io::require_field(j, "names", "ets");
  if (!names.is_array()) throw ModelFormatError("ets model: 'names' must be a list of strings");
  for (const auto& v : names) {
    if (!v.is_string()) throw ModelFormatError("ets model: 'names' must be a list of strings");
    f.names.push_back(v.get<std::string>());
  }
  f.params = io::doubles_from_json(io::require_field(j, "params", "ets"), "params");
  f.initial_state = io::doubles_from_json(io::require_field(j, "initial_state", "ets"), "initial_state");
  f.last_state = io::doubles_from_json(io::require_field(j, "last_state", "ets"), "last_state");
  f.coefficients = io::doubles_from_json(io::require_field(j, "coefficients", "ets"), "coefficients");
  const std::size_t states = 1 + (f.components.has_trend() ? 1 : 0) +
                             (f.components.seasonal() ? static_cast<std::size_t>(f.season_length) : 0);
  if (f.last_state.size() != states) {
    throw ModelFormatError(fmt::format("ets model: last_state has {} values, the model needs {}", f.last_state.size(), states));
  }
  for (double v : f.last_state) {
    if (!std::isfinite(v)) throw ModelFormatError("ets model: last_state must be finite");
  }
  f.log_likelihood = io::double_from_json(io::require_field(j, "log_likelihood", "ets"), "log_likelihood");
  f.aic = io::double_from_json(io::require_field(j, "aic", "ets"), "aic");
  f.aicc = io::double_from_json(io::require_field(j, "aicc", "ets"), "aicc");
  f.bic = io::double_from_json(io::require_field(j, "bic", "ets"), "bic");
  f.sigma2 = io::double_from_json(io::require_field(j, "sigma2", "ets"), "sigma2");
  if (!(f.sigma2 >= 0)) throw ModelFormatError("ets model: sigma2 must be >= 0");
  f.mse = io::double_from_json(io::require_field(j, "mse", "ets"), "mse");
  f.nobs = integer("nobs");
  f.n_parameters = integer("n_parameters");
  f.note = text("note");
  f.status = Status::make(StatusCode::converged, "loaded from a model file");
  return f;
}

}  // namespace bankquant::forecast
