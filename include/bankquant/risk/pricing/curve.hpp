// bankquant/risk/pricing/curve.hpp — a zero curve and its bootstrap.
//
// Zero rates are continuously compounded; discount factor D(t) = exp(-z(t) t). Between nodes the
// curve interpolates linearly either the zero rate (`linear_zero`) or log D(t) (`log_linear_discount`,
// i.e. piecewise-flat forwards); before the first node the first rate holds, beyond the last the
// last rate (flat extrapolation in zero rate).
//
// Bootstrap (Hull, Options, Futures and Other Derivatives, sec. 4.5): instruments sorted by
// maturity, each a bond with a price per 100 face — a zero-coupon instrument (a deposit quoted as
// a simple rate r for t years has price 100 / (1 + r t)), a coupon bond, or a par swap/par bond
// (price 100, coupon = the par rate, paid `frequency` times a year). Each new maturity adds a node
// whose rate is solved (bracketed root finding) so that the instrument reprices exactly, with the
// coupons in between read off the curve built so far and the new segment.
#pragma once

#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk::pricing {

enum class Interpolation { linear_zero, log_linear_discount };
BANKQUANT_ENUM_NAMES(Interpolation, {linear_zero, "linear_zero"}, {log_linear_discount, "log_linear_discount"})

class BANKQUANT_EXPORT ZeroCurve {
 public:
  ZeroCurve() = default;
  /// times > 0 strictly increasing, rates finite.
  ZeroCurve(std::vector<double> times, std::vector<double> zero_rates,
            Interpolation interpolation = Interpolation::linear_zero);

  [[nodiscard]] double zero_rate(double t) const;
  [[nodiscard]] double discount(double t) const;
  /// Many at once.
  [[nodiscard]] std::vector<double> zero_rates_at(std::span<const double> t) const;
  [[nodiscard]] std::vector<double> discounts_at(std::span<const double> t) const;
  /// Continuously compounded forward rate between t1 < t2.
  [[nodiscard]] double forward_rate(double t1, double t2) const;
  /// The same curve with every zero rate moved by `shift` (a parallel shift).
  [[nodiscard]] ZeroCurve shifted(double shift) const;
  [[nodiscard]] const std::vector<double>& times() const { return times_; }
  [[nodiscard]] const std::vector<double>& zero_rates() const { return rates_; }
  [[nodiscard]] Interpolation interpolation() const { return interpolation_; }

 private:
  std::vector<double> times_, rates_;
  Interpolation interpolation_ = Interpolation::linear_zero;
};

struct CurveInstrument {
  double maturity = 0;   ///< years
  double coupon = 0;     ///< annual coupon rate (0.05 = 5%); 0 for zero-coupon
  int frequency = 2;     ///< coupons a year (ignored when coupon = 0)
  double price = 100;    ///< per 100 face (100 for a par swap or par bond)

  static constexpr auto fields() {
    return std::tuple{field("maturity", &CurveInstrument::maturity, "years"),
                      field("coupon", &CurveInstrument::coupon, "annual coupon rate; 0 for a zero-coupon instrument"),
                      field("frequency", &CurveInstrument::frequency, "coupons a year (ignored when coupon = 0)"),
                      field("price", &CurveInstrument::price, "price per 100 face (100 for a par swap or bond)")};
  }
};

/// A deposit quoted as a simple rate for `maturity` years, as a zero-coupon instrument.
[[nodiscard]] BANKQUANT_EXPORT CurveInstrument deposit(double maturity, double simple_rate);

[[nodiscard]] BANKQUANT_EXPORT ZeroCurve bootstrap_zero_curve(std::vector<CurveInstrument> instruments,
                                                              Interpolation interpolation = Interpolation::linear_zero);

}  // namespace bankquant::risk::pricing
