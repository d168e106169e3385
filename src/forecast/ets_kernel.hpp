// The ETS recursion (R's etscalc) and its exact gradient by reverse accumulation, compiled once
// per (error, trend, season) so the inner loop has no branches on the model.
//
// Natural parameters, flat: [alpha, beta, gamma, phi, l0, b0, slot_0 .. slot_{m-1}, c_0 .. c_{k-1}]
// where slot_j is the seasonal state used at step j (slot_0 = R's last, computed, initial state)
// and c the regression coefficients (y is adjusted to y - X c before the recursion).
//
// One step (R's update(), in its recurrence form; identical to the error-correction form):
//   q = l + phi b,  f = q (+ or x) s,  p = y (- or /) s,  l' = q + alpha (p - q),
//   b' = phi b + beta (p - q),  s' = s + gamma (t - s) with t = y (- or /) q.
// The backward sweep applies the chain rule to these in reverse order; its cost is a constant
// times the forward pass, whatever the number of parameters.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "bankquant/forecast/ets.hpp"

namespace bankquant::forecast::detail {

inline constexpr int kAlpha = 0, kBeta = 1, kGamma = 2, kPhi = 3, kLevel = 4, kSlope = 5, kSlot0 = 6;
inline constexpr double kEtsTol = 1e-10;   // R's TOL
inline constexpr double kEtsHuge = 1e10;   // R's HUGEN

struct EtsData {
  const double* y = nullptr;
  int n = 0;
  int m = 1;
  const double* X = nullptr;  // n x k, row-major
  int k = 0;
  EtsCriterion criterion = EtsCriterion::likelihood;
};

struct EtsWork {
  std::vector<double> yadj, lv, bv, sv, slots, adj_slots;
  double sse = 0.0, sum_log = 0.0, sum_sq = 0.0;
  int nobs = 0;
  void reserve(int n, int m) {
    yadj.resize(static_cast<std::size_t>(n));
    lv.resize(static_cast<std::size_t>(n));
    bv.resize(static_cast<std::size_t>(n));
    sv.resize(static_cast<std::size_t>(n));
    slots.resize(static_cast<std::size_t>(m));
    adj_slots.resize(static_cast<std::size_t>(m));
  }
};

/// Optional outputs of a forward pass.
struct EtsOutputs {
  double* fitted = nullptr;     // n
  double* residuals = nullptr;  // n
  double* last = nullptr;       // final l, b, slots (slot order: next to use first)
};

/// R's objective at natural parameters x (n log SSE + 2 sum log|f|, or the MSE); +inf when it is
/// not finite. gradient (same layout as x) when given.
template <bool Mult, bool Trend, EtsSeason Season>
double ets_pass(const EtsData& d, const double* x, double* gradient, EtsWork& w, const EtsOutputs* out) {
  constexpr bool Seasonal = Season != EtsSeason::none;
  constexpr bool MultSeason = Season == EtsSeason::multiplicative;
  const int n = d.n, m = d.m, k = d.k;
  const double alpha = x[kAlpha];
  const double beta = Trend ? x[kBeta] : 0.0;
  const double gamma = Seasonal ? x[kGamma] : 0.0;
  const double phi = Trend ? x[kPhi] : 0.0;
  const double* coef = x + kSlot0 + (Seasonal ? m : 0);
  double l = x[kLevel];
  double b = Trend ? x[kSlope] : 0.0;
  if constexpr (Seasonal) {
    for (int j = 0; j < m; ++j) w.slots[static_cast<std::size_t>(j)] = x[kSlot0 + j];
  }
  double sse = 0.0, sum_log = 0.0, sum_sq = 0.0;
  // sum log|f| as logs of products of 8 factors: one log per 8 steps (forecasts of counts stay far
  // from overflow: 8 factors of up to 1e30 each).
  double product = 1.0;
  int in_product = 0;
  int nobs = 0;
  int j = 0;
  for (int t = 0; t < n; ++t) {
    double yt = d.y[t];
    double xb = 0.0;
    if (k > 0) {
      const double* row = d.X + static_cast<std::ptrdiff_t>(t) * k;
      for (int c = 0; c < k; ++c) xb += row[c] * coef[c];
      yt -= xb;
    }
    const double s = Seasonal ? w.slots[static_cast<std::size_t>(j)] : 0.0;
    const double phib = Trend ? phi * b : 0.0;
    const double q = l + phib;
    double f = q;
    if constexpr (Season == EtsSeason::additive) f = q + s;
    if constexpr (MultSeason) f = q * s;
    w.yadj[static_cast<std::size_t>(t)] = yt;
    w.lv[static_cast<std::size_t>(t)] = l;
    w.bv[static_cast<std::size_t>(t)] = b;
    w.sv[static_cast<std::size_t>(t)] = s;
    if (out && out->fitted) out->fitted[t] = f + xb;
    if (std::isnan(yt)) {
      if (out && out->residuals) out->residuals[t] = std::numeric_limits<double>::quiet_NaN();
      l = q;
      b = phib;
    } else {
      const double e = Mult ? (yt - f) / f : yt - f;
      if (out && out->residuals) out->residuals[t] = e;
      sse += e * e;
      sum_sq += (yt - f) * (yt - f);
      if constexpr (Mult) {
        product *= std::abs(f);
        if (++in_product == 8) {
          sum_log += std::log(product);
          product = 1.0;
          in_product = 0;
        }
      }
      ++nobs;
      double p = yt;
      if constexpr (Season == EtsSeason::additive) p = yt - s;
      if constexpr (MultSeason) p = std::abs(s) < kEtsTol ? kEtsHuge : yt / s;
      const double l_new = q + alpha * (p - q);
      if constexpr (Trend) b = phib + beta * (p - q);
      if constexpr (Seasonal) {
        double tt;
        if constexpr (MultSeason) {
          tt = std::abs(q) < kEtsTol ? kEtsHuge : yt / q;
        } else {
          tt = yt - q;
        }
        w.slots[static_cast<std::size_t>(j)] = s + gamma * (tt - s);
      }
      l = l_new;
    }
    if constexpr (Seasonal) {
      if (++j == m) j = 0;
    }
  }
  if constexpr (Mult) {
    if (in_product > 0) sum_log += std::log(product);
  }
  w.sse = sse;
  w.sum_log = sum_log;
  w.sum_sq = sum_sq;
  w.nobs = nobs;
  if (out && out->last) {
    out->last[0] = l;
    out->last[1] = b;
    if constexpr (Seasonal) {
      for (int i = 0; i < m; ++i) out->last[2 + i] = w.slots[static_cast<std::size_t>((j + i) % m)];
    }
  }
  if (nobs == 0) return std::numeric_limits<double>::infinity();
  double value;
  if (d.criterion == EtsCriterion::likelihood) {
    value = nobs * std::log(sse) + (Mult ? 2.0 * sum_log : 0.0);
    if (value < -1e10) value = -1e10;  // R: avoid perfect fits
  } else {
    value = sum_sq / nobs;
  }
  if (!std::isfinite(value)) return std::numeric_limits<double>::infinity();
  if (gradient == nullptr) return value;

  // ---- backward sweep ----
  const int size = kSlot0 + (Seasonal ? m : 0) + k;
  for (int i = 0; i < size; ++i) gradient[i] = 0.0;
  if (d.criterion == EtsCriterion::likelihood && value <= -1e10) return value;  // clamped: flat
  const double d_sse = d.criterion == EtsCriterion::likelihood ? nobs / sse : 0.0;
  const double d_sq = d.criterion == EtsCriterion::mse ? 1.0 / nobs : 0.0;
  double L = 0.0, B = 0.0, ga = 0.0, gb = 0.0, gg = 0.0, gp = 0.0;
  if constexpr (Seasonal) {
    for (int i = 0; i < m; ++i) w.adj_slots[static_cast<std::size_t>(i)] = 0.0;
  }
  double* gcoef = gradient + kSlot0 + (Seasonal ? m : 0);
  int jj = Seasonal ? (n - 1) % m : 0;
  for (int t = n - 1; t >= 0; --t) {
    const double lt = w.lv[static_cast<std::size_t>(t)], bt = w.bv[static_cast<std::size_t>(t)];
    const double s = w.sv[static_cast<std::size_t>(t)], yt = w.yadj[static_cast<std::size_t>(t)];
    const double Sg = Seasonal ? w.adj_slots[static_cast<std::size_t>(jj)] : 0.0;
    const double phib = Trend ? phi * bt : 0.0;
    const double q = lt + phib;
    double qb = 0.0, sb = 0.0, phibb = 0.0, yb = 0.0;
    if (std::isnan(yt)) {
      qb = L;
      phibb = B;
      sb = Sg;
    } else {
      double f = q;
      if constexpr (Season == EtsSeason::additive) f = q + s;
      if constexpr (MultSeason) f = q * s;
      double fb = 0.0;
      // objective terms
      if (d.criterion == EtsCriterion::likelihood) {
        if constexpr (Mult) {
          const double e = (yt - f) / f;
          const double de = 2.0 * e * d_sse;
          fb += -de * yt / (f * f) + 2.0 / f;
          yb += de / f;
        } else {
          const double de = 2.0 * (yt - f) * d_sse;
          fb -= de;
          yb += de;
        }
      } else {
        const double de = 2.0 * (yt - f) * d_sq;
        fb -= de;
        yb += de;
      }
      bool p_huge = false;
      double p = yt;
      if constexpr (Season == EtsSeason::additive) p = yt - s;
      if constexpr (MultSeason) {
        p_huge = std::abs(s) < kEtsTol;
        p = p_huge ? kEtsHuge : yt / s;
      }
      double pb = 0.0;
      // l' = (1 - alpha) q + alpha p
      qb += L * (1.0 - alpha);
      pb += L * alpha;
      ga += L * (p - q);
      if constexpr (Trend) {
        // b' = phib + beta (p - q)
        phibb += B;
        pb += B * beta;
        qb -= B * beta;
        gb += B * (p - q);
      }
      if constexpr (Seasonal) {
        // s' = (1 - gamma) s + gamma tt
        double tt;
        bool t_huge = false;
        if constexpr (MultSeason) {
          t_huge = std::abs(q) < kEtsTol;
          tt = t_huge ? kEtsHuge : yt / q;
        } else {
          tt = yt - q;
        }
        sb += Sg * (1.0 - gamma);
        const double ttb = Sg * gamma;
        gg += Sg * (tt - s);
        if constexpr (MultSeason) {
          if (!t_huge) {
            yb += ttb / q;
            qb -= ttb * yt / (q * q);
          }
        } else {
          yb += ttb;
          qb -= ttb;
        }
      }
      // p
      if constexpr (Season == EtsSeason::none) {
        yb += pb;
      } else if constexpr (Season == EtsSeason::additive) {
        yb += pb;
        sb -= pb;
      } else {
        if (!p_huge) {
          yb += pb / s;
          sb -= pb * yt / (s * s);
        }
      }
      // f
      if constexpr (Season == EtsSeason::none) {
        qb += fb;
      } else if constexpr (Season == EtsSeason::additive) {
        qb += fb;
        sb += fb;
      } else {
        qb += fb * s;
        sb += fb * q;
      }
    }
    // q = l + phib, phib = phi b
    phibb += qb;
    L = qb;
    if constexpr (Trend) {
      B = phibb * phi;
      gp += phibb * bt;
    }
    if constexpr (Seasonal) {
      w.adj_slots[static_cast<std::size_t>(jj)] = sb;
      if (--jj < 0) jj = m - 1;
    }
    if (k > 0 && yb != 0.0) {
      const double* row = d.X + static_cast<std::ptrdiff_t>(t) * k;
      for (int c = 0; c < k; ++c) gcoef[c] -= yb * row[c];
    }
  }
  gradient[kAlpha] = ga;
  gradient[kBeta] = gb;
  gradient[kGamma] = gg;
  gradient[kPhi] = gp;
  gradient[kLevel] = L;
  gradient[kSlope] = B;
  if constexpr (Seasonal) {
    for (int i = 0; i < m; ++i) gradient[kSlot0 + i] = w.adj_slots[static_cast<std::size_t>(i)];
  }
  return value;
}

using EtsPassFunction = double (*)(const EtsData&, const double*, double*, EtsWork&, const EtsOutputs*);

/// The compiled pass for a model.
inline EtsPassFunction ets_pass_for(const EtsComponents& c) {
  const bool mult = c.error == EtsError::multiplicative;
  const bool trend = c.has_trend();
#define BANKQUANT_ETS_CASE(M, T, S)                                        \
  if (mult == M && trend == T && c.season == S) return &ets_pass<M, T, S>;
  BANKQUANT_ETS_CASE(false, false, EtsSeason::none)
  BANKQUANT_ETS_CASE(false, false, EtsSeason::additive)
  BANKQUANT_ETS_CASE(false, false, EtsSeason::multiplicative)
  BANKQUANT_ETS_CASE(false, true, EtsSeason::none)
  BANKQUANT_ETS_CASE(false, true, EtsSeason::additive)
  BANKQUANT_ETS_CASE(false, true, EtsSeason::multiplicative)
  BANKQUANT_ETS_CASE(true, false, EtsSeason::none)
  BANKQUANT_ETS_CASE(true, false, EtsSeason::additive)
  BANKQUANT_ETS_CASE(true, false, EtsSeason::multiplicative)
  BANKQUANT_ETS_CASE(true, true, EtsSeason::none)
  BANKQUANT_ETS_CASE(true, true, EtsSeason::additive)
  BANKQUANT_ETS_CASE(true, true, EtsSeason::multiplicative)
#undef BANKQUANT_ETS_CASE
  return nullptr;
}

}  // namespace bankquant::forecast::detail
