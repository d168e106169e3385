// bankquant/risk/detail/dual.hpp — forward-mode dual numbers with N derivative slots (internal).
//
// The volatility likelihoods are written once, as templates over their scalar type; evaluated
// on Dual<N> they return the value and its exact gradient with respect to N parameters (the
// derivative of every operation by the chain rule, O(N) extra work per operation), with
// per-observation scores for free. Hand-written because the one candidate at hand, Eigen's
// unsupported AutoDiffScalar, allocates for dynamic sizes, is slower than this fixed-size form
// for the 4 to 16 parameters of these models, and has no lgamma/digamma (needed for the shape
// parameters of the t, skewed t and GED densities). Only what the likelihoods use is defined.
#pragma once

#include <array>
#include <cmath>

#include <boost/math/special_functions/digamma.hpp>

namespace bankquant::risk::detail {

template <int N>
struct Dual {
  double v = 0.0;
  std::array<double, N> d{};

  Dual() = default;
  Dual(double value) : v(value) {}  // NOLINT: constants mix with duals implicitly
  /// The i-th independent variable, with value `value`.
  static Dual variable(double value, int i) {
    Dual x(value);
    x.d[static_cast<std::size_t>(i)] = 1.0;
    return x;
  }
  /// f(this) with f'(v) = slope.
  [[nodiscard]] Dual chain(double value, double slope) const {
    Dual r(value);
    for (int i = 0; i < N; ++i) r.d[static_cast<std::size_t>(i)] = slope * d[static_cast<std::size_t>(i)];
    return r;
  }

  Dual& operator+=(const Dual& o) {
    v += o.v;
    for (int i = 0; i < N; ++i) d[static_cast<std::size_t>(i)] += o.d[static_cast<std::size_t>(i)];
    return *this;
  }
  Dual& operator-=(const Dual& o) {
    v -= o.v;
    for (int i = 0; i < N; ++i) d[static_cast<std::size_t>(i)] -= o.d[static_cast<std::size_t>(i)];
    return *this;
  }
  Dual& operator*=(const Dual& o) {
    for (int i = 0; i < N; ++i) {
      const auto k = static_cast<std::size_t>(i);
      d[k] = d[k] * o.v + v * o.d[k];
    }
    v *= o.v;
    return *this;
  }
  Dual& operator/=(const Dual& o) {
    const double inv = 1.0 / o.v, q = v * inv;
    for (int i = 0; i < N; ++i) {
      const auto k = static_cast<std::size_t>(i);
      d[k] = (d[k] - q * o.d[k]) * inv;
    }
    v = q;
    return *this;
  }
  Dual operator-() const { return chain(-v, -1.0); }
};

template <int N> Dual<N> operator+(Dual<N> a, const Dual<N>& b) { return a += b; }
template <int N> Dual<N> operator-(Dual<N> a, const Dual<N>& b) { return a -= b; }
template <int N> Dual<N> operator*(Dual<N> a, const Dual<N>& b) { return a *= b; }
template <int N> Dual<N> operator/(Dual<N> a, const Dual<N>& b) { return a /= b; }
template <int N> Dual<N> operator+(Dual<N> a, double b) { a.v += b; return a; }
template <int N> Dual<N> operator+(double a, Dual<N> b) { b.v += a; return b; }
template <int N> Dual<N> operator-(Dual<N> a, double b) { a.v -= b; return a; }
template <int N> Dual<N> operator-(double a, const Dual<N>& b) { return (-b) + a; }
template <int N> Dual<N> operator*(const Dual<N>& a, double b) { return a.chain(a.v * b, b); }
template <int N> Dual<N> operator*(double a, const Dual<N>& b) { return b.chain(a * b.v, a); }
template <int N> Dual<N> operator/(const Dual<N>& a, double b) { return a.chain(a.v / b, 1.0 / b); }
template <int N> Dual<N> operator/(double a, const Dual<N>& b) { return b.chain(a / b.v, -a / (b.v * b.v)); }

template <int N> bool operator<(const Dual<N>& a, const Dual<N>& b) { return a.v < b.v; }
template <int N> bool operator<(const Dual<N>& a, double b) { return a.v < b; }
template <int N> bool operator>(const Dual<N>& a, double b) { return a.v > b; }

template <int N> Dual<N> exp(const Dual<N>& x) { const double e = std::exp(x.v); return x.chain(e, e); }
template <int N> Dual<N> log(const Dual<N>& x) { return x.chain(std::log(x.v), 1.0 / x.v); }
template <int N> Dual<N> log1p(const Dual<N>& x) { return x.chain(std::log1p(x.v), 1.0 / (1.0 + x.v)); }
template <int N> Dual<N> sqrt(const Dual<N>& x) { const double s = std::sqrt(x.v); return x.chain(s, 0.5 / s); }
template <int N> Dual<N> abs(const Dual<N>& x) { return x.v < 0 ? -x : x; }
template <int N> Dual<N> lgamma(const Dual<N>& x) { return x.chain(std::lgamma(x.v), boost::math::digamma(x.v)); }
/// x^y for x >= 0 (0^y = 0, with zero derivative: the densities use it for |z|^nu, nu > 0).
template <int N> Dual<N> pow(const Dual<N>& x, const Dual<N>& y) {
  if (x.v <= 0) return Dual<N>(0.0);
  return exp(y * log(x));
}

/// The value of a scalar (double or dual).
inline double value_of(double x) { return x; }
template <int N> double value_of(const Dual<N>& x) { return x.v; }

}  // namespace bankquant::risk::detail
