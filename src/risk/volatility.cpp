#include "bankquant/risk/volatility.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include <Eigen/Cholesky>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/risk/detail/dual.hpp"

namespace bankquant::risk {
namespace {

using detail::Dual;
using detail::value_of;

constexpr double kPi = std::numbers::pi;
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // E|z| of a standard normal (egarch's centring)
constexpr int kMaxLags = 5;

// Where each parameter sits in the internal vector (-1: not in the model). The internal vector
// is the natural one except for gjr, whose "gamma" slots hold alpha + gamma (so that the bounds
// alpha >= 0, alpha + gamma >= 0 are boxes).
struct Layout {
  int mu = -1, phi = -1, omega = -1, alpha = -1, gamma = -1, beta = -1, lambda = -1, nu = -1, skew = -1;
  int p = 0, q = 0, size = 0;
};

Layout layout_of(const VolatilityOptions& o) {
  Layout L;
  int k = 0;
  if (o.mean != MeanModel::zero) L.mu = k++;
  if (o.mean == MeanModel::ar1) L.phi = k++;
  if (o.model == VarianceModel::ewma) {
    if (o.estimate_lambda) L.lambda = k++;
  } else {
    L.p = o.p;
    L.q = o.q;
    L.omega = k++;
    L.alpha = k;
    k += o.p;
    if (o.model != VarianceModel::garch) {
      L.gamma = k;
      k += o.p;
    }
    L.beta = k;
    k += o.q;
  }
  if (has_shape(o.dist)) L.nu = k++;
  if (has_skew(o.dist)) L.skew = k++;
  L.size = k;
  return L;
}

std::vector<std::string> names_of(const VolatilityOptions& o, const Layout& L) {
  std::vector<std::string> names(static_cast<std::size_t>(L.size));
  auto lagged = [&](int start, int count, const char* base) {
    for (int i = 0; i < count; ++i) {
      names[static_cast<std::size_t>(start + i)] = count == 1 ? std::string(base) : fmt::format("{}{}", base, i + 1);
    }
  };
  if (L.mu >= 0) names[static_cast<std::size_t>(L.mu)] = "mu";
  if (L.phi >= 0) names[static_cast<std::size_t>(L.phi)] = "phi";
  if (L.omega >= 0) names[static_cast<std::size_t>(L.omega)] = "omega";
  if (L.alpha >= 0) lagged(L.alpha, L.p, "alpha");
  if (L.gamma >= 0) lagged(L.gamma, L.p, "gamma");
  if (L.beta >= 0) lagged(L.beta, L.q, "beta");
  if (L.lambda >= 0) names[static_cast<std::size_t>(L.lambda)] = "lambda";
  if (L.nu >= 0) names[static_cast<std::size_t>(L.nu)] = "nu";
  if (L.skew >= 0) names[static_cast<std::size_t>(L.skew)] = "skew";
  (void)o;
  return names;
}

// Box bounds of the internal parameters on the unit-variance scale (see the header).
optimize::Bounds bounds_of(const VolatilityOptions& o, const Layout& L) {
  const double inf = std::numeric_limits<double>::infinity();
  optimize::Bounds b;
  b.lower.assign(static_cast<std::size_t>(L.size), -inf);
  b.upper.assign(static_cast<std::size_t>(L.size), inf);
  auto set = [&](int i, double lo, double hi) {
    b.lower[static_cast<std::size_t>(i)] = lo;
    b.upper[static_cast<std::size_t>(i)] = hi;
  };
  if (L.phi >= 0) set(L.phi, -0.9999, 0.9999);
  const bool egarch = o.model == VarianceModel::egarch;
  if (L.omega >= 0) set(L.omega, egarch ? -10.0 : 1e-8, egarch ? 10.0 : 100.0);
  for (int i = 0; i < L.p; ++i) {
    set(L.alpha + i, egarch ? -2.0 : 0.0, egarch ? 2.0 : 1.0);
    if (L.gamma >= 0) set(L.gamma + i, egarch ? -2.0 : 0.0, egarch ? 2.0 : 1.0);
  }
  for (int j = 0; j < L.q; ++j) set(L.beta + j, egarch ? -0.9999 : 0.0, egarch ? 0.9999 : 1.0);
  if (L.lambda >= 0) set(L.lambda, 0.5, 0.99999);
  if (L.nu >= 0) set(L.nu, o.dist == Innovation::ged ? 0.3 : 2.05, o.dist == Innovation::ged ? 20.0 : 300.0);
  if (L.skew >= 0) set(L.skew, -0.99, 0.99);
  return b;
}

// A start on the unit-variance scale: persistence 0.95, most of it in beta (the exemplar's start).
std::vector<double> start_of(const VolatilityOptions& o, const Layout& L, std::span<const double> z) {
  std::vector<double> x(static_cast<std::size_t>(L.size), 0.0);
  auto at = [&](int i) -> double& { return x[static_cast<std::size_t>(i)]; };
  double mean = 0.0;
  for (double v : z) mean += v;
  mean /= static_cast<double>(z.size());
  if (L.mu >= 0) at(L.mu) = mean;
  if (L.phi >= 0) {
    double num = 0, den = 0;
    for (std::size_t t = 1; t < z.size(); ++t) num += (z[t] - mean) * (z[t - 1] - mean);
    for (double v : z) den += (v - mean) * (v - mean);
    at(L.phi) = std::clamp(num / den, -0.5, 0.5);
    at(L.mu) = mean * (1 - at(L.phi));
  }
  if (o.model == VarianceModel::egarch) {
    at(L.omega) = 0.0;
    for (int i = 0; i < L.p; ++i) {
      at(L.alpha + i) = 0.1 / L.p;
      at(L.gamma + i) = -0.05 / L.p;
    }
    for (int j = 0; j < L.q; ++j) at(L.beta + j) = 0.95 / L.q;
  } else if (o.model != VarianceModel::ewma) {
    at(L.omega) = 0.05;
    for (int i = 0; i < L.p; ++i) {
      at(L.alpha + i) = (L.gamma >= 0 ? 0.03 : 0.05) / L.p;
      if (L.gamma >= 0) at(L.gamma + i) = 0.07 / L.p;  // alpha + gamma: a leverage effect to start from
    }
    for (int j = 0; j < L.q; ++j) at(L.beta + j) = (L.q > 0 ? 0.9 : 0.0) / L.q;
    if (L.q == 0) at(L.omega) = 0.5;
  } else if (L.lambda >= 0) {
    at(L.lambda) = o.lambda;
  }
  if (L.nu >= 0) at(L.nu) = o.dist == Innovation::ged ? 1.5 : 8.0;
  return x;
}

// Log density of a standardised innovation with the per-evaluation constants computed once.
template <typename T>
struct Density {
  Innovation dist;
  T nu, skew, c, a, b, ged_l, ged_const;

  Density(Innovation d, const T& nu_, const T& skew_) : dist(d), nu(nu_), skew(skew_) {
    using std::exp;
    using std::lgamma;
    using std::log;
    using std::sqrt;
    if (d == Innovation::student_t || d == Innovation::skew_t) {
      c = lgamma((nu + 1.0) / 2.0) - lgamma(nu / 2.0) - 0.5 * log(kPi * (nu - 2.0));
    }
    if (d == Innovation::skew_t) {
      a = 4.0 * skew * exp(c) * (nu - 2.0) / (nu - 1.0);
      b = sqrt(1.0 + 3.0 * skew * skew - a * a);
      c = c + log(b);
    }
    if (d == Innovation::ged) {
      ged_l = sqrt(exp((-2.0 / nu) * std::log(2.0) + lgamma(1.0 / nu) - lgamma(3.0 / nu)));
      ged_const = log(nu) - log(ged_l) - (1.0 + 1.0 / nu) * std::log(2.0) - lgamma(1.0 / nu);
    }
  }

  T operator()(const T& z) const {
    using std::abs;
    using std::log1p;
    using std::pow;
    switch (dist) {
      case Innovation::normal:
        return -0.5 * (std::log(2 * kPi) + z * z);
      case Innovation::student_t:
        return c - (nu + 1.0) / 2.0 * log1p(z * z / (nu - 2.0));
      case Innovation::skew_t: {
        const T side = value_of(z) < value_of(-a / b) ? 1.0 - skew : 1.0 + skew;
        const T y = (b * z + a) / side;
        return c - (nu + 1.0) / 2.0 * log1p(y * y / (nu - 2.0));
      }
      case Innovation::ged:
        return ged_const - 0.5 * pow(abs(z) / ged_l, nu);
    }
    return T(0.0);
  }
};

// The log-likelihood of returns r at internal parameters th, with the variance recursion of the
// header. Optional outputs: per-observation terms (for scores), residuals and variances.
template <typename T>
T log_likelihood(const VolatilityOptions& o, const Layout& L, std::span<const double> r, const T* th,
                 std::vector<T>* terms, std::vector<double>* e_out, std::vector<double>* h_out) {
  using std::exp;
  using std::log;
  using std::sqrt;
  const std::size_t first = o.mean == MeanModel::ar1 ? 1 : 0, m = r.size() - first;
  const T mu = L.mu >= 0 ? th[L.mu] : T(0.0);
  const T phi = L.phi >= 0 ? th[L.phi] : T(0.0);
  std::vector<T> e(m);
  T backcast(0.0);
  for (std::size_t t = 0; t < m; ++t) {
    e[t] = r[t + first] - mu;
    if (first) e[t] -= phi * r[t];
    backcast += e[t] * e[t];
  }
  backcast = backcast / static_cast<double>(m);
  const T nu = L.nu >= 0 ? th[L.nu] : T(0.0), skew = L.skew >= 0 ? th[L.skew] : T(0.0);
  const Density<T> density(o.dist, nu, skew);

  std::vector<T> h(m), z(m);
  const std::size_t lags = static_cast<std::size_t>(std::max(L.p, L.q));
  switch (o.model) {
    case VarianceModel::garch:
    case VarianceModel::gjr: {
      const bool gjr = o.model == VarianceModel::gjr;
      T persistence(0.0);  // with E[1(z < 0)] = 1/2 for the start, as fGarch and arch
      for (int i = 0; i < L.p; ++i) {
        persistence += gjr ? 0.5 * (th[L.alpha + i] + th[L.gamma + i]) : th[L.alpha + i];
      }
      for (int j = 0; j < L.q; ++j) persistence += th[L.beta + j];
      const T start = th[L.omega] + persistence * backcast;
      for (std::size_t t = 0; t < m; ++t) {
        if (t < lags) {
          h[t] = start;
          continue;
        }
        T v = th[L.omega];
        for (int i = 0; i < L.p; ++i) {
          const T& shock = e[t - 1 - static_cast<std::size_t>(i)];
          const T& weight = gjr && value_of(shock) < 0 ? th[L.gamma + i] : th[L.alpha + i];
          v += weight * (shock * shock);
        }
        for (int j = 0; j < L.q; ++j) v += th[L.beta + j] * h[t - 1 - static_cast<std::size_t>(j)];
        h[t] = v;
      }
      for (std::size_t t = 0; t < m; ++t) z[t] = e[t] / sqrt(h[t]);
      break;
    }
    case VarianceModel::egarch: {
      std::vector<T> log_h(m);
      T beta_sum(0.0);
      for (int j = 0; j < L.q; ++j) beta_sum += th[L.beta + j];
      const T start = th[L.omega] + beta_sum * log(backcast);
      for (std::size_t t = 0; t < m; ++t) {
        if (t < lags) {
          log_h[t] = start;
        } else {
          T v = th[L.omega];
          for (int i = 0; i < L.p; ++i) {
            const T& zi = z[t - 1 - static_cast<std::size_t>(i)];
            const T magnitude = value_of(zi) < 0 ? -zi : zi;
            v += th[L.alpha + i] * (magnitude - kSqrt2OverPi) + th[L.gamma + i] * zi;
          }
          for (int j = 0; j < L.q; ++j) v += th[L.beta + j] * log_h[t - 1 - static_cast<std::size_t>(j)];
          log_h[t] = v;
        }
        h[t] = exp(log_h[t]);
        z[t] = e[t] * exp(-0.5 * log_h[t]);
      }
      break;
    }
    case VarianceModel::ewma: {
      const T lambda = L.lambda >= 0 ? th[L.lambda] : T(o.lambda);
      const std::size_t warm = std::min<std::size_t>(m, 30);
      T s(0.0);
      for (std::size_t t = 0; t < warm; ++t) s += e[t] * e[t];
      h[0] = s / static_cast<double>(warm);
      for (std::size_t t = 1; t < m; ++t) h[t] = lambda * h[t - 1] + (1.0 - lambda) * (e[t - 1] * e[t - 1]);
      for (std::size_t t = 0; t < m; ++t) z[t] = e[t] / sqrt(h[t]);
      break;
    }
  }
  T total(0.0);
  if (terms) terms->resize(m);
  for (std::size_t t = 0; t < m; ++t) {
    const T l = density(z[t]) - 0.5 * log(h[t]);
    if (terms) (*terms)[t] = l;
    total += l;
  }
  if (e_out) {
    e_out->resize(m);
    for (std::size_t t = 0; t < m; ++t) (*e_out)[t] = value_of(e[t]);
  }
  if (h_out) {
    h_out->resize(m);
    for (std::size_t t = 0; t < m; ++t) (*h_out)[t] = value_of(h[t]);
  }
  return total;
}

// Calls f(std::integral_constant<int, N>) with the smallest Dual size N >= k.
template <typename F>
decltype(auto) with_dual_size(int k, F&& f) {
  if (k <= 2) return f(std::integral_constant<int, 2>{});
  if (k <= 4) return f(std::integral_constant<int, 4>{});
  if (k <= 6) return f(std::integral_constant<int, 6>{});
  if (k <= 8) return f(std::integral_constant<int, 8>{});
  if (k <= 12) return f(std::integral_constant<int, 12>{});
  if (k <= 16) return f(std::integral_constant<int, 16>{});
  return f(std::integral_constant<int, 24>{});
}

// The search runs on theta, where omega = exp(theta) (garch, gjr) and nu = floor + exp(theta):
// positive parameters whose scale spans decades are searched on the log scale (as the exemplar's
// reparametrisation did), which L-BFGS handles in far fewer iterations. floors[i] < 0: identity.
std::vector<double> log_floors(const VolatilityOptions& o, const Layout& L) {
  std::vector<double> floors(static_cast<std::size_t>(L.size), -1.0);
  if (L.omega >= 0 && o.model != VarianceModel::egarch) floors[static_cast<std::size_t>(L.omega)] = 0.0;
  if (L.nu >= 0) floors[static_cast<std::size_t>(L.nu)] = o.dist == Innovation::ged ? 0.0 : 2.0;
  return floors;
}

template <typename T>
T from_search(const T& theta, double floor) {
  using std::exp;
  return floor < 0 ? theta : floor + exp(theta);
}

double to_search(double x, double floor) { return floor < 0 ? x : std::log(x - floor); }

// Value, gradient and (optionally) per-observation scores (m x k, row-major) at theta, the
// search coordinates (pass floors of -1 for the natural internal parameters themselves).
double value_and_gradient(const VolatilityOptions& o, const Layout& L, std::span<const double> r,
                          std::span<const double> theta, const std::vector<double>& floors, std::span<double> gradient,
                          std::vector<double>* scores) {
  return with_dual_size(L.size, [&](auto size) {
    constexpr int N = decltype(size)::value;
    std::vector<Dual<N>> th(static_cast<std::size_t>(L.size));
    for (int i = 0; i < L.size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      th[k] = from_search(Dual<N>::variable(theta[k], i), floors[k]);
    }
    std::vector<Dual<N>> terms;
    const Dual<N> ll = log_likelihood(o, L, r, th.data(), scores ? &terms : nullptr, nullptr, nullptr);
    for (int i = 0; i < L.size; ++i) gradient[static_cast<std::size_t>(i)] = ll.d[static_cast<std::size_t>(i)];
    if (scores) {
      scores->resize(terms.size() * static_cast<std::size_t>(L.size));
      for (std::size_t t = 0; t < terms.size(); ++t) {
        for (int i = 0; i < L.size; ++i) {
          (*scores)[t * static_cast<std::size_t>(L.size) + static_cast<std::size_t>(i)] = terms[t].d[static_cast<std::size_t>(i)];
        }
      }
    }
    return ll.v;
  });
}

void check_returns(std::span<const double> r, std::size_t minimum) {
  check::min_size("returns", r.size(), minimum);
  check::all_finite("returns", r);
}

// Internal (unit-variance, gjr alpha + gamma) parameters <-> natural parameters in the units of
// returns scaled by s; J = d natural / d internal, for the delta method.
std::vector<double> to_natural(const VolatilityOptions& o, const Layout& L, std::span<const double> x, double s,
                               Eigen::MatrixXd* J) {
  std::vector<double> p(x.begin(), x.end());
  if (J) *J = Eigen::MatrixXd::Identity(L.size, L.size);
  const double log_s2 = std::log(s * s);
  if (L.mu >= 0) {
    p[static_cast<std::size_t>(L.mu)] = s * x[static_cast<std::size_t>(L.mu)];
    if (J) (*J)(L.mu, L.mu) = s;
  }
  if (o.model == VarianceModel::garch || o.model == VarianceModel::gjr) {
    p[static_cast<std::size_t>(L.omega)] = s * s * x[static_cast<std::size_t>(L.omega)];
    if (J) (*J)(L.omega, L.omega) = s * s;
  }
  if (o.model == VarianceModel::egarch) {  // ln h scales by + ln s^2: omega absorbs (1 - sum beta) ln s^2
    double beta_sum = 0.0;
    for (int j = 0; j < L.q; ++j) beta_sum += x[static_cast<std::size_t>(L.beta + j)];
    p[static_cast<std::size_t>(L.omega)] = x[static_cast<std::size_t>(L.omega)] + (1 - beta_sum) * log_s2;
    if (J) {
      for (int j = 0; j < L.q; ++j) (*J)(L.omega, L.beta + j) = -log_s2;
    }
  }
  if (o.model == VarianceModel::gjr) {  // gamma = (alpha + gamma) - alpha
    for (int i = 0; i < L.p; ++i) {
      p[static_cast<std::size_t>(L.gamma + i)] = x[static_cast<std::size_t>(L.gamma + i)] - x[static_cast<std::size_t>(L.alpha + i)];
      if (J) (*J)(L.gamma + i, L.alpha + i) = -1.0;
    }
  }
  return p;
}

std::vector<double> to_internal(const VolatilityOptions& o, const Layout& L, std::span<const double> p) {
  std::vector<double> x(p.begin(), p.end());
  if (o.model == VarianceModel::gjr) {
    for (int i = 0; i < L.p; ++i) x[static_cast<std::size_t>(L.gamma + i)] += x[static_cast<std::size_t>(L.alpha + i)];
  }
  return x;
}

double kappa_negative(const StandardizedDistribution& z) {
  // E[z^2 1(z < 0)]: 1/2 for a symmetric distribution.
  if (z.family() != Innovation::skew_t) return 0.5;
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
      [&](double v) { return v * v * z.pdf(v); }, -std::numeric_limits<double>::infinity(), 0.0, 15, 1e-12);
}

// Fills the result fields that follow from parameters (natural, in return units) and the data.
void fill_from_parameters(VolatilityResult& res, std::span<const double> r, const Layout& L) {
  const VolatilityOptions& o = res.options;
  const std::vector<double> x = to_internal(o, L, res.params);
  std::vector<double> e, h;
  const double ll = log_likelihood<double>(o, L, r, x.data(), nullptr, &e, &h);
  res.log_likelihood = ll;
  const auto k = static_cast<double>(L.size), n = static_cast<double>(e.size());
  res.observations = e.size();
  res.first = o.mean == MeanModel::ar1 ? 1 : 0;
  res.aic = -2 * ll + 2 * k;
  res.bic = -2 * ll + std::log(n) * k;
  res.residuals = e;
  res.conditional_variance = h;
  res.standardized_residuals.resize(e.size());
  for (std::size_t t = 0; t < e.size(); ++t) res.standardized_residuals[t] = e[t] / std::sqrt(h[t]);
  res.last_return = r.back();
  const double mu = L.mu >= 0 ? res.params[static_cast<std::size_t>(L.mu)] : 0.0;
  const double phi = L.phi >= 0 ? res.params[static_cast<std::size_t>(L.phi)] : 0.0;
  res.next_mean = mu + phi * r.back();
  res.next_variance = res.forecast_variance(1)[0];
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::vector<double> ewma_variance(std::span<const double> returns, double lambda) {
  check_returns(returns, 1);
  check::in_open_range("lambda_", lambda, 0.0, 1.0);
  const std::size_t warm = std::min<std::size_t>(returns.size(), 30);
  double s2 = 0.0;
  for (std::size_t t = 0; t < warm; ++t) s2 += returns[t] * returns[t];
  s2 /= static_cast<double>(warm);
  std::vector<double> out(returns.size() + 1);
  out[0] = s2;
  for (std::size_t t = 0; t < returns.size(); ++t) out[t + 1] = lambda * out[t] + (1 - lambda) * returns[t] * returns[t];
  return out;
}

Eigen::MatrixXd ewma_covariance(const Eigen::Ref<const RowMatrix>& returns, double lambda) {
  check::not_empty("returns", static_cast<std::size_t>(returns.rows()));
  check::all_finite("returns", returns);
  check::in_open_range("lambda_", lambda, 0.0, 1.0);
  // One EWMA implementation serves risk and portfolio (ARCHITECTURE): the RiskMetrics recursion,
  // uncentred, started from the first 30 days.
  return portfolio::ewma_covariance(returns, lambda, /*warm_up=*/30, /*demean=*/false);
}

void VolatilityOptions::validate() const {
  optimizer.validate();
  if (model == VarianceModel::ewma) {
    if (p != 1 || q != 1) check::fail(p != 1 ? "p" : "q", "ewma has no lag orders (leave p = q = 1)");
  } else {
    if (p < 1 || p > kMaxLags) check::fail("p", fmt::format("expected 1 to {} ARCH lags, got {}", kMaxLags, p));
    if (q < 0 || q > kMaxLags) check::fail("q", fmt::format("expected 0 to {} GARCH lags, got {}", kMaxLags, q));
    if (estimate_lambda) check::fail("estimate_lambda", fmt::format("only model 'ewma' has a lambda, not '{}'", enum_name(model)));
  }
  if (!(lambda > 0 && lambda < 1)) check::fail("lambda_", fmt::format("expected a value in (0, 1), got {}", lambda));
}

std::vector<std::string> volatility_parameter_names(const VolatilityOptions& o) {
  o.validate();
  return names_of(o, layout_of(o));
}

double VolatilityResult::parameter(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return params[i];
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  check::fail("name", fmt::format("the model has no parameter '{}' (it has {})", name, known));
}

StandardizedDistribution VolatilityResult::innovation() const {
  const Layout L = layout_of(options);
  return StandardizedDistribution(options.dist, L.nu >= 0 ? params[static_cast<std::size_t>(L.nu)] : 0.0,
                                  L.skew >= 0 ? params[static_cast<std::size_t>(L.skew)] : 0.0);
}

double VolatilityResult::unconditional_variance() const {
  const Layout L = layout_of(options);
  auto at = [&](int i) { return params[static_cast<std::size_t>(i)]; };
  if (options.model == VarianceModel::ewma || !(persistence < 1)) {
    check::fail("model", fmt::format("a {} model with persistence {} has no unconditional variance",
                                     enum_name(options.model), persistence));
  }
  if (options.model == VarianceModel::egarch) {
    // the fixed point of E[ln h] with the centred shocks at their mean: exp(omega / (1 - sum beta))
    return std::exp(at(L.omega) / (1 - persistence));
  }
  return at(L.omega) / (1 - persistence);
}

std::vector<double> VolatilityResult::forecast_variance(int horizon) const {
  check::integer_at_least("horizon", horizon, 1);
  const Layout L = layout_of(options);
  auto at = [&](int i) { return params[static_cast<std::size_t>(i)]; };
  const auto H = static_cast<std::size_t>(horizon);
  std::vector<double> out(H);
  const std::size_t n = residuals.size();
  if (options.model == VarianceModel::ewma) {
    const double lambda = L.lambda >= 0 ? at(L.lambda) : options.lambda;
    const double next = lambda * conditional_variance[n - 1] + (1 - lambda) * residuals[n - 1] * residuals[n - 1];
    std::fill(out.begin(), out.end(), next);
    return out;
  }
  if (options.model == VarianceModel::egarch) {
    if (horizon > 1) {
      check::fail("horizon", "egarch has no closed-form multi-step variance forecast; use simulate_paths (its "
                             "mean_variance)");
    }
    double v = at(L.omega);
    for (int i = 0; i < L.p; ++i) {
      const double zi = standardized_residuals[n - 1 - static_cast<std::size_t>(i)];
      v += at(L.alpha + i) * (std::abs(zi) - kSqrt2OverPi) + at(L.gamma + i) * zi;
    }
    for (int j = 0; j < L.q; ++j) v += at(L.beta + j) * std::log(conditional_variance[n - 1 - static_cast<std::size_t>(j)]);
    out[0] = std::exp(v);
    return out;
  }
  // garch / gjr: E[e^2_s] = h_s for s in the future; E[1(e < 0) e^2] = kappa h_s.
  const double kappa = options.model == VarianceModel::gjr ? kappa_negative(innovation()) : 0.0;
  std::vector<double> e2(n + H), neg(n + H), h(n + H);
  for (std::size_t t = 0; t < n; ++t) {
    e2[t] = residuals[t] * residuals[t];
    neg[t] = residuals[t] < 0 ? e2[t] : 0.0;
    h[t] = conditional_variance[t];
  }
  for (std::size_t s = n; s < n + H; ++s) {
    double v = at(L.omega);
    for (int i = 0; i < L.p; ++i) {
      const std::size_t k = s - 1 - static_cast<std::size_t>(i);
      v += at(L.alpha + i) * e2[k];
      if (L.gamma >= 0) v += at(L.gamma + i) * neg[k];
    }
    for (int j = 0; j < L.q; ++j) v += at(L.beta + j) * h[s - 1 - static_cast<std::size_t>(j)];
    h[s] = v;
    e2[s] = v;
    neg[s] = kappa * v;
    out[s - n] = v;
  }
  return out;
}

double volatility_log_likelihood(std::span<const double> returns, const VolatilityOptions& o,
                                 std::span<const double> params) {
  o.validate();
  check_returns(returns, 3);
  const Layout L = layout_of(o);
  if (params.size() != static_cast<std::size_t>(L.size)) {
    check::fail("params", fmt::format("expected {} parameters, got {}", L.size, params.size()));
  }
  check::all_finite("params", params);
  const auto x = to_internal(o, L, params);
  return log_likelihood<double>(o, L, returns, x.data(), nullptr, nullptr, nullptr);
}

VolatilityResult fit_volatility(std::span<const double> returns, const VolatilityOptions& o) {
  o.validate();
  check_returns(returns, 20);
  const Layout L = layout_of(o);
  const std::size_t n = returns.size();
  double mean = 0.0;
  for (double r : returns) mean += r;
  mean /= static_cast<double>(n);
  double var = 0.0, largest = 0.0;
  for (double r : returns) {
    var += (r - mean) * (r - mean);
    largest = std::max(largest, std::abs(r));
  }
  var /= static_cast<double>(n);
  if (!(std::sqrt(var) > 1e-10 * largest) || !(var > 0)) {
    check::fail("returns", "expected returns that vary, got a constant series");
  }
  const double s = std::sqrt(var);
  std::vector<double> z(n);
  for (std::size_t t = 0; t < n; ++t) z[t] = returns[t] / s;  // unit variance: a well-scaled problem
  const double inv_m = 1.0 / static_cast<double>(n - (o.mean == MeanModel::ar1 ? 1 : 0));

  VolatilityResult res;
  res.options = o;
  res.names = names_of(o, L);
  const auto bounds = bounds_of(o, L);
  const auto floors = log_floors(o, L);
  std::vector<double> x0 = start_of(o, L, z);
  for (std::size_t i = 0; i < x0.size(); ++i) x0[i] = std::clamp(x0[i], bounds.lower[i], bounds.upper[i]);

  if (L.size == 0) {  // ewma with a fixed lambda and no mean: nothing to estimate
    res.status = Status::make(StatusCode::converged, "no parameters to estimate");
    fill_from_parameters(res, returns, L);
    res.persistence = 1.0;
    return res;
  }
  // The search space: bounds and start mapped through the log transforms.
  optimize::Bounds search_bounds = bounds;
  std::vector<double> theta0 = x0;
  for (std::size_t i = 0; i < floors.size(); ++i) {
    search_bounds.lower[i] = to_search(bounds.lower[i], floors[i]);
    search_bounds.upper[i] = to_search(bounds.upper[i], floors[i]);
    theta0[i] = to_search(x0[i], floors[i]);
  }
  // Minus the mean log-likelihood, with its exact gradient.
  std::vector<double> x_work(x0.size());
  auto objective = [&](std::span<const double> theta, std::span<double> gradient) {
    double ll;
    if (gradient.empty()) {
      for (std::size_t i = 0; i < theta.size(); ++i) x_work[i] = from_search(theta[i], floors[i]);
      ll = log_likelihood<double>(o, L, z, x_work.data(), nullptr, nullptr, nullptr);
    } else {
      ll = value_and_gradient(o, L, z, theta, floors, gradient, nullptr);
      for (double& g : gradient) g = -g * inv_m;
    }
    if (!std::isfinite(ll)) return std::numeric_limits<double>::infinity();
    return -ll * inv_m;
  };
  auto search = optimize::minimize(objective, theta0, search_bounds, o.optimizer);
  if (!search.status.usable() && o.optimizer.method == optimize::Method::lbfgs) {
    // L-BFGS stopped by round-off (flat, heavy-tailed likelihoods at tiny scales): subplex, which
    // needs no gradient, from its best point (subplex: no finite bounds needed).
    optimize::Options fallback = o.optimizer;
    fallback.method = optimize::Method::sbplx;
    fallback.max_evaluations = std::max(o.optimizer.max_evaluations, 200 * static_cast<int>(theta0.size()));
    const bool finite_best = search.x.size() == theta0.size() && std::isfinite(objective(search.x, {}));
    auto retry = optimize::minimize(objective, finite_best ? search.x : theta0, search_bounds, fallback);
    retry.status.message = fmt::format("L-BFGS: {}; subplex from its best point: {}", search.status.message,
                                       retry.status.message);
    retry.status.evaluations += search.status.evaluations;
    search = std::move(retry);
  }
  res.status = search.status;
  if (!search.status.usable()) {
    throw ConvergenceError(fmt::format("{} fit failed: {}", enum_name(o.model), search.status.message));
  }
  std::vector<double> x(search.x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = from_search(search.x[i], floors[i]);
  const auto k = static_cast<Eigen::Index>(L.size);
  const std::vector<double> identity(floors.size(), -1.0);

  // Hessian of the log-likelihood (natural internal parameters, unit scale): central differences
  // of the exact gradient, symmetrised; scores for the sandwich.
  std::vector<double> scores, g(static_cast<std::size_t>(k));
  (void)value_and_gradient(o, L, z, x, identity, g, &scores);
  Eigen::MatrixXd H(k, k);
  for (Eigen::Index b = 0; b < k; ++b) {
    const auto ib = static_cast<std::size_t>(b);
    const double step = 1e-5 * std::max(std::abs(x[ib]), 1e-3);
    std::vector<double> up = x, down = x, g_up(static_cast<std::size_t>(k)), g_down(static_cast<std::size_t>(k));
    up[ib] += step;
    down[ib] -= step;
    const double l_up = value_and_gradient(o, L, z, up, identity, g_up, nullptr);
    const double l_down = value_and_gradient(o, L, z, down, identity, g_down, nullptr);
    for (Eigen::Index a = 0; a < k; ++a) {
      const auto ia = static_cast<std::size_t>(a);
      H(a, b) = std::isfinite(l_up) && std::isfinite(l_down) ? (g_up[ia] - g_down[ia]) / (2 * step)
                                                              : std::numeric_limits<double>::quiet_NaN();
    }
  }
  H = (0.5 * (H + H.transpose())).eval();
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> G(
      scores.data(), static_cast<Eigen::Index>(scores.size()) / k, k);
  Eigen::MatrixXd J;
  res.params = to_natural(o, L, x, s, &J);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  res.standard_errors.assign(static_cast<std::size_t>(k), nan);
  res.robust_standard_errors.assign(static_cast<std::size_t>(k), nan);
  const Eigen::MatrixXd negH = -H;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(negH);
  const bool information_ok = negH.allFinite() && ldlt.info() == Eigen::Success && (ldlt.vectorD().array() > 0).all();
  if (information_ok) {
    const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
    const Eigen::MatrixXd robust = cov * (G.transpose() * G) * cov;
    const Eigen::MatrixXd cov_n = J * cov * J.transpose(), robust_n = J * robust * J.transpose();
    for (Eigen::Index a = 0; a < k; ++a) {
      res.standard_errors[static_cast<std::size_t>(a)] = std::sqrt(cov_n(a, a));
      res.robust_standard_errors[static_cast<std::size_t>(a)] = std::sqrt(robust_n(a, a));
    }
  }

  // Persistence (with the innovation's own E[z^2 1(z < 0)] for gjr).
  auto at = [&](int i) { return res.params[static_cast<std::size_t>(i)]; };
  if (o.model == VarianceModel::ewma) {
    res.persistence = 1.0;
  } else {
    const double kappa = o.model == VarianceModel::gjr ? kappa_negative(res.innovation()) : 0.0;
    double pers = 0.0;
    for (int j = 0; j < L.q; ++j) pers += at(L.beta + j);
    if (o.model != VarianceModel::egarch) {
      for (int i = 0; i < L.p; ++i) pers += at(L.alpha + i) + (L.gamma >= 0 ? kappa * at(L.gamma + i) : 0.0);
    }
    res.persistence = pers;
  }
  fill_from_parameters(res, returns, L);

  // A converged fit at the edge of the parameter space is reported as such (an unfinished search
  // keeps its own status).
  if (res.status.converged()) {
    std::string at_bound;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double lo = search_bounds.lower[i], hi = search_bounds.upper[i], width = hi - lo, th = search.x[i];
      const double tol = std::isfinite(width) ? 1e-7 * width : 0.0;
      const bool on = (std::isfinite(lo) && th <= lo + tol) || (std::isfinite(hi) && th >= hi - tol);
      if (!on) continue;
      const std::string name = L.gamma >= 0 && o.model == VarianceModel::gjr && static_cast<int>(i) >= L.gamma &&
                                       static_cast<int>(i) < L.gamma + L.p
                                   ? fmt::format("{} + {}", res.names[i - static_cast<std::size_t>(L.p)], res.names[i])
                                   : res.names[i];
      at_bound += fmt::format("{}{} = {:.6g}", at_bound.empty() ? "" : ", ", name,
                              th <= lo + tol ? bounds.lower[i] : bounds.upper[i]);
    }
    const bool stationary_edge = o.model != VarianceModel::ewma && res.persistence >= 0.9999;
    if (!at_bound.empty()) {
      res.status.code = StatusCode::boundary;
      res.status.message = fmt::format("parameters at their bounds ({}; on the unit-variance scale): a boundary "
                                       "solution, whose standard errors are not reliable ({} observations)",
                                       at_bound, n);
    } else if (stationary_edge) {
      res.status.code = StatusCode::boundary;
      res.status.message = fmt::format(
          "persistence {:.6f} is at the stationarity bound (an integrated model): a boundary solution, whose "
          "unconditional variance and standard errors are not reliable ({} observations)",
          res.persistence, n);
    } else if (!information_ok) {
      res.status.code = StatusCode::boundary;
      res.status.message = fmt::format(
          "the information matrix is not positive definite at the estimate (a parameter at or near its bound, or "
          "too little data: {} observations): no standard errors",
          n);
    }
  }
  return res;
}

VolatilityResult filter_volatility(const VolatilityResult& model, std::span<const double> returns) {
  const VolatilityOptions& o = model.options;
  o.validate();
  check_returns(returns, 3);
  const Layout L = layout_of(o);
  if (model.params.size() != static_cast<std::size_t>(L.size)) {
    check::fail("model", fmt::format("expected {} parameters for this model, got {}", L.size, model.params.size()));
  }
  VolatilityResult res;
  res.options = o;
  res.names = model.names;
  res.params = model.params;
  res.persistence = model.persistence;
  res.status = Status::make(StatusCode::converged, "parameters fixed (filtered, not estimated)");
  fill_from_parameters(res, returns, L);
  return res;
}

void PathOptions::validate() const {
  check::integer_at_least("horizon", horizon, 1);
  if (n_paths < 100) check::fail("n_paths", fmt::format("expected at least 100 paths, got {}", n_paths));
}

PathResult simulate_paths(const VolatilityResult& model, const PathOptions& po) {
  po.validate();
  const VolatilityOptions& o = model.options;
  const Layout L = layout_of(o);
  if (model.residuals.empty() || model.params.size() != static_cast<std::size_t>(L.size)) {
    check::fail("model", "expected a fitted or filtered model");
  }
  auto at = [&](int i) { return model.params[static_cast<std::size_t>(i)]; };
  const StandardizedDistribution innovation = model.innovation();
  const std::vector<double>& pool = model.standardized_residuals;
  const double mu = L.mu >= 0 ? at(L.mu) : 0.0, phi = L.phi >= 0 ? at(L.phi) : 0.0;
  const double lambda = L.lambda >= 0 ? at(L.lambda) : o.lambda;
  const auto H = static_cast<std::size_t>(po.horizon);
  const std::size_t lags = static_cast<std::size_t>(std::max({L.p, L.q, 1}));
  const std::size_t n = model.residuals.size();
  // The last `lags` residuals, variances and shocks, oldest first.
  std::vector<double> e0(lags, 0.0), h0(lags, model.conditional_variance.back()), z0(lags, 0.0);
  for (std::size_t i = 0; i < lags && i < n; ++i) {
    e0[lags - 1 - i] = model.residuals[n - 1 - i];
    h0[lags - 1 - i] = model.conditional_variance[n - 1 - i];
    z0[lags - 1 - i] = model.standardized_residuals[n - 1 - i];
  }
  PathResult out;
  out.cumulative_returns.resize(po.n_paths);
  constexpr std::size_t kChunk = 1024;
  const std::size_t chunks = chunk_count(po.n_paths, kChunk);
  std::vector<std::vector<double>> sum_h(chunks, std::vector<double>(H, 0.0)), sum_r(chunks, std::vector<double>(H, 0.0));
  parallel_for_chunks(po.n_paths, kChunk, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(po.seed, c);
    std::vector<double> e(lags + H), h(lags + H), z(lags + H);
    for (std::size_t path = begin; path < end; ++path) {
      std::copy(e0.begin(), e0.end(), e.begin());
      std::copy(h0.begin(), h0.end(), h.begin());
      std::copy(z0.begin(), z0.end(), z.begin());
      double r_prev = model.last_return, total = 0.0;
      for (std::size_t k = 0; k < H; ++k) {
        const std::size_t s = lags + k;
        double v;
        switch (o.model) {
          case VarianceModel::ewma:
            v = lambda * h[s - 1] + (1 - lambda) * e[s - 1] * e[s - 1];
            break;
          case VarianceModel::egarch: {
            double lv = at(L.omega);
            for (int i = 0; i < L.p; ++i) {
              const double zi = z[s - 1 - static_cast<std::size_t>(i)];
              lv += at(L.alpha + i) * (std::abs(zi) - kSqrt2OverPi) + at(L.gamma + i) * zi;
            }
            for (int j = 0; j < L.q; ++j) lv += at(L.beta + j) * std::log(h[s - 1 - static_cast<std::size_t>(j)]);
            v = std::exp(lv);
            break;
          }
          default: {
            v = at(L.omega);
            for (int i = 0; i < L.p; ++i) {
              const double ei = e[s - 1 - static_cast<std::size_t>(i)];
              v += (L.gamma >= 0 && ei < 0 ? at(L.alpha + i) + at(L.gamma + i) : at(L.alpha + i)) * ei * ei;
            }
            for (int j = 0; j < L.q; ++j) v += at(L.beta + j) * h[s - 1 - static_cast<std::size_t>(j)];
          }
        }
        const double shock = po.innovations == PathInnovations::model ? innovation.sample(stream)
                                                                       : pool[stream.uniform_int(pool.size())];
        h[s] = v;
        z[s] = shock;
        e[s] = std::sqrt(v) * shock;
        const double r = mu + phi * r_prev + e[s];
        r_prev = r;
        total += r;
        sum_h[c][k] += v;
        sum_r[c][k] += r;
      }
      out.cumulative_returns[path] = total;
    }
  });
  out.mean_variance.assign(H, 0.0);
  out.mean_return.assign(H, 0.0);
  for (std::size_t c = 0; c < chunks; ++c) {  // chunk order: the same sums on any thread count
    for (std::size_t k = 0; k < H; ++k) {
      out.mean_variance[k] += sum_h[c][k];
      out.mean_return[k] += sum_r[c][k];
    }
  }
  for (std::size_t k = 0; k < H; ++k) {
    out.mean_variance[k] /= static_cast<double>(po.n_paths);
    out.mean_return[k] /= static_cast<double>(po.n_paths);
  }
  return out;
}

}  // namespace bankquant::risk
