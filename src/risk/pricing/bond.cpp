#include "bankquant/risk/pricing/bond.hpp"

#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk::pricing {

void FixedRateBond::validate() const {
  check::positive("face", face);
  check::finite("coupon", coupon);
  check::positive("maturity", maturity);
  check::integer_at_least("frequency", frequency, 1);
  if (frequency > 12) check::fail("frequency", fmt::format("expected at most 12 coupons a year, got {}", frequency));
}

std::vector<std::pair<double, double>> FixedRateBond::cash_flows() const {
  validate();
  const double step = 1.0 / frequency;
  // coupon dates count back from maturity; the first may be less than a full period away
  const auto n = static_cast<long>(std::ceil(maturity * frequency - 1e-9));
  std::vector<std::pair<double, double>> flows;
  for (long i = 1; i <= n; ++i) {
    const double t = maturity - static_cast<double>(n - i) * step;
    flows.emplace_back(t, face * coupon / frequency + (i == n ? face : 0.0));
  }
  return flows;
}

double bond_price(const FixedRateBond& bond, const ZeroCurve& curve) {
  double p = 0;
  for (const auto& [t, amount] : bond.cash_flows()) p += amount * curve.discount(t);
  return p;
}

double bond_price_from_yield(const FixedRateBond& bond, double yield) {
  check::finite("yield", yield);
  double p = 0;
  for (const auto& [t, amount] : bond.cash_flows()) p += amount * std::exp(-yield * t);
  return p;
}

BondAnalytics bond_analytics(const FixedRateBond& bond, double yield) {
  check::finite("yield", yield);
  BondAnalytics a;
  a.yield = yield;
  double dp = 0, d2p = 0;
  for (const auto& [t, amount] : bond.cash_flows()) {
    const double pv = amount * std::exp(-yield * t);
    a.price += pv;
    dp += t * pv;
    d2p += t * t * pv;
  }
  a.duration = dp / a.price;
  a.convexity = d2p / a.price;
  a.dv01 = dp * 1e-4;
  return a;
}

double bond_yield(const FixedRateBond& bond, double price) {
  check::positive("price", price);
  check::finite("price", price);
  double lo = -0.99, hi = 5.0;
  if (!(bond_price_from_yield(bond, lo) > price && bond_price_from_yield(bond, hi) < price)) {
    check::fail("price", fmt::format("no yield between -99% and 500% gives the price {}", price));
  }
  double y = bond.coupon;
  for (int it = 0; it < 200; ++it) {
    const BondAnalytics a = bond_analytics(bond, y);
    const double f = a.price - price;
    if (std::abs(f) < 1e-13 * price) return y;
    (f > 0 ? lo : hi) = y;
    const double newton = y + f / (a.duration * a.price);  // dP/dy = -D P
    y = (newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
    if (hi - lo < 1e-16) break;
  }
  return y;
}

double fx_forward_rate(double spot, double rd, double rf, double expiry) {
  check::positive("spot", spot);
  check::non_negative("expiry", expiry);
  check::finite("rate_domestic", rd);
  check::finite("rate_foreign", rf);
  return spot * std::exp((rd - rf) * expiry);
}

double fx_forward_value(double spot, double strike, double rd, double rf, double expiry, double notional) {
  check::positive("strike", strike);
  check::finite("notional", notional);
  return notional * (fx_forward_rate(spot, rd, rf, expiry) - strike) * std::exp(-rd * expiry);
}

}  // namespace bankquant::risk::pricing
