// bankquant/risk/pricing/bond.hpp — fixed-rate bonds and FX forwards.
//
// A bullet bond pays coupon/frequency x face at t_i = maturity - (n - i)/frequency (i = 1..n, the
// last with the face), valued from today. Yields are continuously compounded (Hull, ch. 4), so
// that with a flat curve at y, price(curve) = price(y). Duration is the Macaulay duration in
// years (= modified duration under continuous compounding: -dP/dy / P), convexity (1/P) d2P/dy2,
// DV01 the price fall for a 1 basis-point rise in yield, -dP/dy x 0.0001 (analytic).
// FX forward: F = S exp((r_domestic - r_foreign) T) (covered interest parity); the value of a
// contract to buy `notional` foreign units at K is notional (F - K) exp(-r_domestic T).
#pragma once

#include <tuple>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/pricing/curve.hpp"

namespace bankquant::risk::pricing {

struct FixedRateBond {
  double face = 100;
  double coupon = 0.05;   ///< annual rate
  double maturity = 5;    ///< years from today
  int frequency = 2;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("face", &FixedRateBond::face, "face value"),
                      field("coupon", &FixedRateBond::coupon, "annual coupon rate (0.05 = 5%)"),
                      field("maturity", &FixedRateBond::maturity, "years from today"),
                      field("frequency", &FixedRateBond::frequency, "coupons a year (1 to 12)")};
  }
  /// (time, amount) of every remaining cash flow.
  [[nodiscard]] BANKQUANT_EXPORT std::vector<std::pair<double, double>> cash_flows() const;
};

struct BondAnalytics {
  double price = 0, yield = 0, duration = 0, convexity = 0, dv01 = 0;

  static constexpr auto fields() {
    return std::tuple{field("price", &BondAnalytics::price, "price at the yield"),
                      field("yield", &BondAnalytics::yield, "continuously compounded yield"),
                      field("duration", &BondAnalytics::duration, "Macaulay (= modified, continuous) duration, years"),
                      field("convexity", &BondAnalytics::convexity, "(1/P) d2P/dy2"),
                      field("dv01", &BondAnalytics::dv01, "price fall for a one basis point rise in yield")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT double bond_price(const FixedRateBond& bond, const ZeroCurve& curve);
[[nodiscard]] BANKQUANT_EXPORT double bond_price_from_yield(const FixedRateBond& bond, double yield);
/// The continuously compounded yield that reproduces `price` (Newton's method, bracketed).
[[nodiscard]] BANKQUANT_EXPORT double bond_yield(const FixedRateBond& bond, double price);
/// Price, yield, duration, convexity and DV01 at a given yield.
[[nodiscard]] BANKQUANT_EXPORT BondAnalytics bond_analytics(const FixedRateBond& bond, double yield);

[[nodiscard]] BANKQUANT_EXPORT double fx_forward_rate(double spot, double rate_domestic, double rate_foreign,
                                                      double expiry);
[[nodiscard]] BANKQUANT_EXPORT double fx_forward_value(double spot, double strike, double rate_domestic,
                                                       double rate_foreign, double expiry, double notional);

}  // namespace bankquant::risk::pricing
