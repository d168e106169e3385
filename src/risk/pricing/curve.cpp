#include "bankquant/risk/pricing/curve.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/risk/pricing/bond.hpp"

namespace bankquant::risk::pricing {

ZeroCurve::ZeroCurve(std::vector<double> times, std::vector<double> zero_rates, Interpolation interpolation)
    : times_(std::move(times)), rates_(std::move(zero_rates)), interpolation_(interpolation) {
  check::not_empty("times", times_.size());
  check::same_size("times", times_.size(), "zero_rates", rates_.size());
  check::all_finite("times", times_);
  check::all_finite("zero_rates", rates_);
  check::positive("times[0]", times_.front());
  check::sorted<double>("times", times_, true);
}

double ZeroCurve::zero_rate(double t) const {
  check::finite("t", t);
  if (times_.empty()) check::fail("curve", "the curve has no nodes");
  if (t <= times_.front()) return rates_.front();
  if (t >= times_.back()) return rates_.back();
  const auto it = std::upper_bound(times_.begin(), times_.end(), t);
  const std::size_t i = static_cast<std::size_t>(it - times_.begin());
  const double t0 = times_[i - 1], t1 = times_[i], w = (t - t0) / (t1 - t0);
  if (interpolation_ == Interpolation::linear_zero) return rates_[i - 1] + w * (rates_[i] - rates_[i - 1]);
  // log-linear in discount factors: -z t interpolated linearly in t
  const double log_d = -(1 - w) * rates_[i - 1] * t0 - w * rates_[i] * t1;
  return -log_d / t;
}

double ZeroCurve::discount(double t) const { return t <= 0 ? 1.0 : std::exp(-zero_rate(t) * t); }

std::vector<double> ZeroCurve::zero_rates_at(std::span<const double> t) const {
  std::vector<double> out(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) out[i] = zero_rate(t[i]);
  return out;
}

std::vector<double> ZeroCurve::discounts_at(std::span<const double> t) const {
  std::vector<double> out(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) out[i] = discount(t[i]);
  return out;
}

double ZeroCurve::forward_rate(double t1, double t2) const {
  if (!(t2 > t1) || t1 < 0) check::fail("t2", fmt::format("expected 0 <= t1 < t2, got t1 = {}, t2 = {}", t1, t2));
  return (std::log(discount(t1)) - std::log(discount(t2))) / (t2 - t1);
}

ZeroCurve ZeroCurve::shifted(double shift) const {
  std::vector<double> r = rates_;
  for (double& v : r) v += shift;
  return ZeroCurve(times_, r, interpolation_);
}

CurveInstrument deposit(double maturity, double simple_rate) {
  check::positive("maturity", maturity);
  check::finite("simple_rate", simple_rate);
  if (!(1 + simple_rate * maturity > 0)) check::fail("simple_rate", fmt::format("gives a non-positive price: {}", simple_rate));
  return {maturity, 0.0, 1, 100.0 / (1 + simple_rate * maturity)};
}

ZeroCurve bootstrap_zero_curve(std::vector<CurveInstrument> instruments, Interpolation interpolation) {
  check::not_empty("instruments", instruments.size());
  for (std::size_t i = 0; i < instruments.size(); ++i) {
    const auto& x = instruments[i];
    const std::string name = fmt::format("instruments[{}]", i);
    check::positive(name + ".maturity", x.maturity);
    check::positive(name + ".price", x.price);
    check::finite(name + ".coupon", x.coupon);
    if (x.coupon != 0) check::integer_at_least(name + ".frequency", x.frequency, 1);
  }
  std::sort(instruments.begin(), instruments.end(),
            [](const CurveInstrument& a, const CurveInstrument& b) { return a.maturity < b.maturity; });
  for (std::size_t i = 1; i < instruments.size(); ++i) {
    if (instruments[i].maturity == instruments[i - 1].maturity) {
      check::fail("instruments", fmt::format("two instruments mature at {} years", instruments[i].maturity));
    }
  }
  std::vector<double> times, rates;
  for (const CurveInstrument& x : instruments) {
    const FixedRateBond bond{100.0, x.coupon, x.maturity, x.coupon == 0 ? 1 : x.frequency};
    const auto flows = x.coupon == 0 ? std::vector<std::pair<double, double>>{{x.maturity, 100.0}} : bond.cash_flows();
    auto price_with = [&](double z) {
      std::vector<double> t = times, r = rates;
      t.push_back(x.maturity);
      r.push_back(z);
      const ZeroCurve c(t, r, interpolation);
      double p = 0;
      for (const auto& [time, amount] : flows) p += amount * c.discount(time);
      return p;
    };
    // Price falls as the new rate rises: bracket the root, then bisect (with a secant step).
    double lo = -0.5, hi = 2.0;
    double f_lo = price_with(lo) - x.price, f_hi = price_with(hi) - x.price;
    if (!(f_lo > 0 && f_hi < 0)) {
      check::fail("instruments", fmt::format("the instrument maturing at {} years (price {}) cannot be repriced with a "
                                             "zero rate between -50% and 200%: check its quote",
                                             x.maturity, x.price));
    }
    double z = 0.0;
    for (int it = 0; it < 200; ++it) {
      z = lo - f_lo * (hi - lo) / (f_hi - f_lo);
      if (!(z > lo && z < hi)) z = 0.5 * (lo + hi);
      const double f = price_with(z) - x.price;
      if (std::abs(f) < 1e-13 * x.price || hi - lo < 1e-15) break;
      if (f > 0) {
        lo = z;
        f_lo = f;
      } else {
        hi = z;
        f_hi = f;
      }
      if (it % 2 == 1) {  // alternate with bisection so a one-sided secant cannot stall
        z = 0.5 * (lo + hi);
        const double fm = price_with(z) - x.price;
        (fm > 0 ? lo : hi) = z;
        (fm > 0 ? f_lo : f_hi) = fm;
      }
    }
    times.push_back(x.maturity);
    rates.push_back(z);
  }
  return ZeroCurve(times, rates, interpolation);
}

}  // namespace bankquant::risk::pricing
