#include "bankquant/forecast/decomposition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "series_tools.hpp"

namespace bankquant::forecast {

namespace {
using bankquant::detail::kNaN;
}  // namespace

std::vector<double> centred_moving_average(std::span<const double> y, int order) {
  check::integer_at_least("order", order, 1);
  const int n = static_cast<int>(y.size());
  std::vector<double> weights;
  if (order % 2 == 0) {
    weights.assign(static_cast<std::size_t>(order + 1), 1.0 / order);
    weights.front() = weights.back() = 0.5 / order;
  } else {
    weights.assign(static_cast<std::size_t>(order), 1.0 / order);
  }
  const int half = static_cast<int>(weights.size()) / 2;
  std::vector<double> out(static_cast<std::size_t>(n), kNaN);
  for (int t = half; t + half < n; ++t) {
    double s = 0.0;
    for (int k = -half; k <= half; ++k) s += weights[static_cast<std::size_t>(k + half)] * y[static_cast<std::size_t>(t + k)];
    out[static_cast<std::size_t>(t)] = s;
  }
  return out;
}

ClassicalDecomposition classical_decomposition(std::span<const double> y, int period, bool multiplicative) {
  check::integer_at_least("period", period, 2);
  const std::size_t observed = detail::count_observed(y);
  if (observed < 2 * static_cast<std::size_t>(period)) {
    check::fail("y", fmt::format("expected at least two full periods ({} observations), got {}", 2 * period, observed));
  }
  const int n = static_cast<int>(y.size());
  ClassicalDecomposition d;
  d.multiplicative = multiplicative;
  d.trend = centred_moving_average(y, period);
  std::vector<double> detrended(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) {
    detrended[static_cast<std::size_t>(t)] = multiplicative ? y[static_cast<std::size_t>(t)] / d.trend[static_cast<std::size_t>(t)]
                                                            : y[static_cast<std::size_t>(t)] - d.trend[static_cast<std::size_t>(t)];
  }
  d.figure.assign(static_cast<std::size_t>(period), 0.0);
  for (int i = 0; i < period; ++i) {
    double s = 0.0;
    int c = 0;
    for (int t = i; t < n; t += period) {
      const double v = detrended[static_cast<std::size_t>(t)];
      if (!std::isnan(v)) {
        s += v;
        ++c;
      }
    }
    d.figure[static_cast<std::size_t>(i)] = c ? s / c : kNaN;
  }
  const double mean = std::accumulate(d.figure.begin(), d.figure.end(), 0.0) / period;
  for (double& v : d.figure) v = multiplicative ? v / mean : v - mean;
  d.seasonal.resize(static_cast<std::size_t>(n));
  d.remainder.resize(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) {
    const double s = d.figure[static_cast<std::size_t>(t % period)];
    d.seasonal[static_cast<std::size_t>(t)] = s;
    d.remainder[static_cast<std::size_t>(t)] =
        multiplicative ? y[static_cast<std::size_t>(t)] / (d.trend[static_cast<std::size_t>(t)] * s)
                       : y[static_cast<std::size_t>(t)] - d.trend[static_cast<std::size_t>(t)] - s;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// STL (Cleveland et al. 1990). Indices inside the loess helpers are 1-based, as in the paper's
// Fortran, so the window arithmetic reads as published; arrays are accessed with [i - 1].

namespace {

// The Fortran writes these as single-precision literals (.999, .001) inside double arithmetic;
// the same values here, so thresholds (a robustness weight of 0 or not) fall where R's do.
constexpr double k999 = static_cast<double>(0.999f);
constexpr double k001 = static_cast<double>(0.001f);

// Loess estimate at xs from y[nleft..nright] (tricube weights, times robustness weights when
// userw; degree 0 or 1). Returns false when every weight is zero.
bool loess_estimate(const double* y, int n, int len, int degree, double xs, double& ys, int nleft, int nright,
                    double* w, bool userw, const double* rw) {
  const double range = static_cast<double>(n) - 1.0;
  double h = std::max(xs - static_cast<double>(nleft), static_cast<double>(nright) - xs);
  if (len > n) h += static_cast<double>((len - n) / 2);
  const double h9 = k999 * h, h1 = k001 * h;
  double a = 0.0;
  for (int j = nleft; j <= nright; ++j) {
    double wj = 0.0;
    const double r = std::abs(static_cast<double>(j) - xs);
    if (r <= h9) {
      if (r <= h1) {
        wj = 1.0;
      } else {
        const double u = r / h;
        const double c = 1.0 - u * u * u;
        wj = c * c * c;
      }
      if (userw) wj *= rw[j - 1];
      a += wj;
    }
    w[j - 1] = wj;
  }
  if (a <= 0.0) return false;
  for (int j = nleft; j <= nright; ++j) w[j - 1] /= a;
  if (h > 0.0 && degree > 0) {
    double mean = 0.0;
    for (int j = nleft; j <= nright; ++j) mean += w[j - 1] * j;
    double b = xs - mean, c = 0.0;
    for (int j = nleft; j <= nright; ++j) c += w[j - 1] * (j - mean) * (j - mean);
    if (std::sqrt(c) > k001 * range) {
      b /= c;
      for (int j = nleft; j <= nright; ++j) w[j - 1] *= b * (j - mean) + 1.0;
    }
  }
  double s = 0.0;
  for (int j = nleft; j <= nright; ++j) s += w[j - 1] * y[j - 1];
  ys = s;
  return true;
}

// Loess smoothing of y (length n) with span len, evaluated every njump points and interpolated.
void loess_smooth(const double* y, int n, int len, int degree, int njump, bool userw, const double* rw, double* ys,
                  double* work) {
  if (n < 2) {
    ys[0] = y[0];
    return;
  }
  const int newnj = std::min(njump, n - 1);
  int nleft = 1, nright = n;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (int i = 1; i <= n; i += newnj) {
      if (!loess_estimate(y, n, len, degree, i, ys[i - 1], nleft, nright, work, userw, rw)) ys[i - 1] = y[i - 1];
    }
  } else if (newnj == 1) {
    const int nsh = (len + 1) / 2;
    nleft = 1;
    nright = len;
    for (int i = 1; i <= n; ++i) {
      if (i > nsh && nright != n) {
        ++nleft;
        ++nright;
      }
      if (!loess_estimate(y, n, len, degree, i, ys[i - 1], nleft, nright, work, userw, rw)) ys[i - 1] = y[i - 1];
    }
  } else {
    const int nsh = (len + 1) / 2;
    for (int i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      if (!loess_estimate(y, n, len, degree, i, ys[i - 1], nleft, nright, work, userw, rw)) ys[i - 1] = y[i - 1];
    }
  }
  if (newnj != 1) {
    for (int i = 1; i <= n - newnj; i += newnj) {
      const double delta = (ys[i + newnj - 1] - ys[i - 1]) / newnj;
      for (int j = i + 1; j <= i + newnj - 1; ++j) ys[j - 1] = ys[i - 1] + delta * (j - i);
    }
    const int k = ((n - 1) / newnj) * newnj + 1;
    if (k != n) {
      if (!loess_estimate(y, n, len, degree, n, ys[n - 1], nleft, nright, work, userw, rw)) ys[n - 1] = y[n - 1];
      if (k != n - 1) {
        const double delta = (ys[n - 1] - ys[k - 1]) / (n - k);
        for (int j = k + 1; j <= n - 1; ++j) ys[j - 1] = ys[k - 1] + delta * (j - k);
      }
    }
  }
}

// Moving average of length len: output length n - len + 1.
void moving_average(const double* x, int n, int len, double* ave) {
  const int newn = n - len + 1;
  double v = 0.0;
  for (int i = 0; i < len; ++i) v += x[i];
  ave[0] = v / len;
  for (int j = 1, k = len, m = 0; j < newn; ++j, ++k, ++m) {
    v = v - x[m] + x[k];
    ave[j] = v / len;
  }
}

struct StlWindows {
  int np, ns, nt, nl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, ni, no;
};

void stl_inner(const std::vector<double>& y, const StlWindows& w, bool userw, const std::vector<double>& rw,
               std::vector<double>& season, std::vector<double>& trend) {
  const int n = static_cast<int>(y.size()), np = w.np;
  const std::size_t len = static_cast<std::size_t>(n + 2 * np);
  std::vector<double> w1(len), w2(len), w3(len), w4(len), w5(len);
  std::vector<double> sub(len), subw(len), subs(len + 2), subwork(len);
  for (int pass = 0; pass < w.ni; ++pass) {
    for (int i = 0; i < n; ++i) w1[static_cast<std::size_t>(i)] = y[static_cast<std::size_t>(i)] - trend[static_cast<std::size_t>(i)];
    // Cycle-subseries smoothing, extended one cycle each way: w2 has n + 2 np values.
    for (int j = 1; j <= np; ++j) {
      const int k = (n - j) / np + 1;
      for (int i = 1; i <= k; ++i) sub[static_cast<std::size_t>(i - 1)] = w1[static_cast<std::size_t>((i - 1) * np + j - 1)];
      if (userw) {
        for (int i = 1; i <= k; ++i) subw[static_cast<std::size_t>(i - 1)] = rw[static_cast<std::size_t>((i - 1) * np + j - 1)];
      }
      loess_smooth(sub.data(), k, w.ns, w.isdeg, w.nsjump, userw, subw.data(), subs.data() + 1, subwork.data());
      const int nright = std::min(w.ns, k);
      if (!loess_estimate(sub.data(), k, w.ns, w.isdeg, 0.0, subs[0], 1, nright, subwork.data(), userw, subw.data())) {
        subs[0] = subs[1];
      }
      const int nleft = std::max(1, k - w.ns + 1);
      if (!loess_estimate(sub.data(), k, w.ns, w.isdeg, k + 1.0, subs[static_cast<std::size_t>(k + 1)], nleft, k,
                          subwork.data(), userw, subw.data())) {
        subs[static_cast<std::size_t>(k + 1)] = subs[static_cast<std::size_t>(k)];
      }
      for (int mm = 1; mm <= k + 2; ++mm) w2[static_cast<std::size_t>((mm - 1) * np + j - 1)] = subs[static_cast<std::size_t>(mm - 1)];
    }
    // Low-pass filter of the cycle-subseries: MA(np), MA(np), MA(3), then loess.
    moving_average(w2.data(), n + 2 * np, np, w3.data());
    moving_average(w3.data(), n + np + 1, np, w1.data());
    moving_average(w1.data(), n + 2, 3, w3.data());
    loess_smooth(w3.data(), n, w.nl, w.ildeg, w.nljump, false, w4.data(), w1.data(), w5.data());
    for (int i = 0; i < n; ++i) {
      season[static_cast<std::size_t>(i)] = w2[static_cast<std::size_t>(np + i)] - w1[static_cast<std::size_t>(i)];
    }
    for (int i = 0; i < n; ++i) w1[static_cast<std::size_t>(i)] = y[static_cast<std::size_t>(i)] - season[static_cast<std::size_t>(i)];
    loess_smooth(w1.data(), n, w.nt, w.itdeg, w.ntjump, userw, rw.data(), trend.data(), w3.data());
  }
}

void robustness_weights(const std::vector<double>& y, const std::vector<double>& fit, std::vector<double>& rw) {
  const std::size_t n = y.size();
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = std::abs(y[i] - fit[i]);
  std::vector<double> sorted = r;
  const std::size_t mid1 = n / 2, mid2 = n - (n / 2 + 1);  // 0-based n/2 + 1 and n - mid1 + 1
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid1), sorted.end());
  const double a = sorted[mid1];
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid2), sorted.end());
  const double b = sorted[mid2];
  const double cmad = 3.0 * (a + b);
  const double c9 = k999 * cmad, c1 = k001 * cmad;
  for (std::size_t i = 0; i < n; ++i) {
    if (r[i] <= c1) {
      rw[i] = 1.0;
    } else if (r[i] <= c9) {
      const double u = r[i] / cmad;
      rw[i] = (1.0 - u * u) * (1.0 - u * u);
    } else {
      rw[i] = 0.0;
    }
  }
}

int next_odd(double x) {
  auto v = static_cast<int>(std::lround(x));
  if (v % 2 == 0) ++v;
  return v;
}

}  // namespace

void StlOptions::validate() const {
  if (!periodic && seasonal_window != 0) {
    check::integer_at_least("seasonal_window", seasonal_window, 3);
  }
  if (seasonal_degree != 0 && seasonal_degree != 1) check::fail("seasonal_degree", fmt::format("expected 0 or 1, got {}", seasonal_degree));
  if (trend_degree != 0 && trend_degree != 1) check::fail("trend_degree", fmt::format("expected 0 or 1, got {}", trend_degree));
  if (lowpass_degree != 0 && lowpass_degree != 1) check::fail("lowpass_degree", fmt::format("expected 0 or 1, got {}", lowpass_degree));
  check::integer_at_least("trend_window", trend_window, 0);
  check::integer_at_least("lowpass_window", lowpass_window, 0);
  check::integer_at_least("seasonal_jump", seasonal_jump, 0);
  check::integer_at_least("trend_jump", trend_jump, 0);
  check::integer_at_least("lowpass_jump", lowpass_jump, 0);
  check::integer_at_least("inner", inner, 1);
  check::integer_at_least("outer", outer, 0);
}

StlResult stl(std::span<const double> y_in, int period, const StlOptions& o) {
  o.validate();
  check::integer_at_least("period", period, 2);
  const int n = static_cast<int>(y_in.size());
  if (n <= 2 * period) {
    check::fail("y", fmt::format("STL needs more than two full periods ({} observations), got {}", 2 * period, n));
  }
  check::all_finite("y", y_in);
  const std::vector<double> y(y_in.begin(), y_in.end());
  // R's stl defaults.
  int ns = o.periodic ? 10 * n + 1 : (o.seasonal_window ? o.seasonal_window : 13);
  const int isdeg = o.periodic ? 0 : o.seasonal_degree;
  int nt = o.trend_window ? o.trend_window
                          : next_odd(std::ceil(1.5 * period / (1.0 - 1.5 / static_cast<double>(ns))));
  int nl = o.lowpass_window ? o.lowpass_window : next_odd(period);
  const int nsjump = o.seasonal_jump ? o.seasonal_jump : static_cast<int>(std::ceil(ns / 10.0));
  const int ntjump = o.trend_jump ? o.trend_jump : static_cast<int>(std::ceil(nt / 10.0));
  const int nljump = o.lowpass_jump ? o.lowpass_jump : static_cast<int>(std::ceil(nl / 10.0));
  int inner = o.inner, outer = o.outer;
  if (o.robust) {
    if (inner == 2) inner = 1;
    if (outer == 0) outer = 15;
  }
  // The Fortran driver: windows at least 3 and odd.
  ns = std::max(3, ns);
  nt = std::max(3, nt);
  nl = std::max(3, nl);
  if (ns % 2 == 0) ++ns;
  if (nt % 2 == 0) ++nt;
  if (nl % 2 == 0) ++nl;
  const StlWindows w{std::max(2, period), ns, nt, nl, isdeg, o.trend_degree, o.lowpass_degree, nsjump, ntjump, nljump,
                     inner, outer};
  StlResult r;
  r.period = period;
  r.seasonal.assign(static_cast<std::size_t>(n), 0.0);
  r.trend.assign(static_cast<std::size_t>(n), 0.0);
  r.weights.assign(static_cast<std::size_t>(n), 1.0);
  bool userw = false;
  for (int k = 0;; ++k) {
    stl_inner(y, w, userw, r.weights, r.seasonal, r.trend);
    if (k + 1 > outer) break;
    std::vector<double> fit(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) fit[static_cast<std::size_t>(i)] = r.trend[static_cast<std::size_t>(i)] + r.seasonal[static_cast<std::size_t>(i)];
    robustness_weights(y, fit, r.weights);
    userw = true;
  }
  if (outer <= 0) std::fill(r.weights.begin(), r.weights.end(), 1.0);
  if (o.periodic) {
    std::vector<double> sum(static_cast<std::size_t>(period), 0.0);
    std::vector<int> count(static_cast<std::size_t>(period), 0);
    for (int i = 0; i < n; ++i) {
      sum[static_cast<std::size_t>(i % period)] += r.seasonal[static_cast<std::size_t>(i)];
      ++count[static_cast<std::size_t>(i % period)];
    }
    for (int i = 0; i < n; ++i) {
      r.seasonal[static_cast<std::size_t>(i)] = sum[static_cast<std::size_t>(i % period)] / count[static_cast<std::size_t>(i % period)];
    }
  }
  r.remainder.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    r.remainder[static_cast<std::size_t>(i)] = y[static_cast<std::size_t>(i)] - r.seasonal[static_cast<std::size_t>(i)] - r.trend[static_cast<std::size_t>(i)];
  }
  return r;
}

void MstlOptions::validate() const {
  check::integer_at_least("iterations", iterations, 1);
  for (std::size_t i = 0; i < seasonal_windows.size(); ++i) {
    check::integer_at_least(fmt::format("seasonal_windows[{}]", i), seasonal_windows[i], 3);
  }
  stl.validate();
}

std::vector<double> MstlResult::seasonally_adjusted() const {
  std::vector<double> out(trend.size());
  for (std::size_t t = 0; t < trend.size(); ++t) out[t] = trend[t] + remainder[t];
  return out;
}

MstlResult mstl(std::span<const double> y_in, std::span<const int> periods_in, const MstlOptions& o) {
  o.validate();
  const int n = static_cast<int>(y_in.size());
  check::not_empty("y", y_in.size());
  check::not_empty("periods", periods_in.size());
  std::vector<int> periods(periods_in.begin(), periods_in.end());
  for (std::size_t i = 0; i < periods.size(); ++i) check::integer_at_least(fmt::format("periods[{}]", i), periods[i], 2);
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  // R: drop periods with fewer than two full cycles (msts >= n / 2).
  periods.erase(std::remove_if(periods.begin(), periods.end(), [&](int p) { return 2 * p >= n; }), periods.end());
  if (periods.empty()) {
    check::fail("y", fmt::format("MSTL needs more than two full cycles of the shortest period ({} observations)", n));
  }
  const std::vector<double> y = detail::interpolate_missing(y_in, "y");  // R: na.interp
  MstlResult r;
  r.periods = periods;
  r.seasonal.assign(periods.size(), std::vector<double>(static_cast<std::size_t>(n), 0.0));
  std::vector<double> deseas = y;
  // R's mstl iterates once for a single period (a ts), twice (iterate) for several (an msts).
  const int iterations = periods.size() == 1 ? 1 : o.iterations;
  StlResult last;
  for (int it = 0; it < iterations; ++it) {
    for (std::size_t i = 0; i < periods.size(); ++i) {
      for (int t = 0; t < n; ++t) deseas[static_cast<std::size_t>(t)] += r.seasonal[i][static_cast<std::size_t>(t)];
      StlOptions so = o.stl;
      if (so.seasonal_window == 0 && !so.periodic) {
        so.seasonal_window = i < o.seasonal_windows.size() ? o.seasonal_windows[i] : 7 + 4 * static_cast<int>(i + 1);
      }
      last = stl(deseas, periods[i], so);
      r.seasonal[i] = last.seasonal;
      for (int t = 0; t < n; ++t) deseas[static_cast<std::size_t>(t)] -= r.seasonal[i][static_cast<std::size_t>(t)];
    }
  }
  r.trend = last.trend;
  r.remainder.resize(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) r.remainder[static_cast<std::size_t>(t)] = deseas[static_cast<std::size_t>(t)] - r.trend[static_cast<std::size_t>(t)];
  return r;
}

double seasonal_strength(const StlResult& d) {
  const std::size_t n = d.remainder.size();
  if (n < 2) return 0.0;
  auto variance = [n](const std::vector<double>& v) {
    double mean = 0.0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(n);
    double s = 0.0;
    for (double x : v) s += (x - mean) * (x - mean);
    return s / static_cast<double>(n - 1);
  };
  std::vector<double> sr(n);
  for (std::size_t t = 0; t < n; ++t) sr[t] = d.seasonal[t] + d.remainder[t];
  const double vs = variance(sr);
  if (!(vs > 0)) return 0.0;
  return std::clamp(1.0 - variance(d.remainder) / vs, 0.0, 1.0);
}

}  // namespace bankquant::forecast
